"""The regressions :func:`frontier.second_stage` offers beside Simar & Wilson (2007): Tobit, fractional logit, OLS.

Each fit takes the dependent variable ``y`` (m,) and the regressors ``Z`` (m x k, the intercept included) and
returns a :class:`RegressionFit`: the estimates, their robust covariance and the (quasi-) log-likelihood. The
callers standardise the covariates first and map the estimates back (``second_stage``'s ``_Standardisation``).

Tobit (Tobin 1958), censored at a bound c
    y*_i = z_i beta + eps_i, eps ~ N(0, sigma^2). Censored below (a distance phi >= 1): y_i = max(y*_i, c);
    censored above (an efficiency in (0, 1]): y_i = min(y*_i, c). An observation at c contributes
    P(y* beyond c), one inside its normal density. Fitted by Newton's method in Olsen's (1978) parametrisation
    gamma = beta / sigma, tau = 1 / sigma, where the log-likelihood is globally concave; censoring above is
    censoring below of -y at -c with -beta. Standard errors: the sandwich H^-1 (sum_i g_i g_i') H^-1 times
    m / (m - 1) (Stata's ``tobit ..., vce(robust)``), in (beta, sigma) by the delta method.
Fractional logit (Papke & Wooldridge 1996)
    E[y_i | z_i] = Lambda(z_i beta), Lambda the logistic function, y in [0, 1]; beta maximises the Bernoulli
    quasi-log-likelihood sum y log Lambda + (1 - y) log(1 - Lambda), which is consistent whatever the distribution
    of y given its mean. Fitted by Newton's method (= iteratively reweighted least squares; the quasi-likelihood is
    concave). Standard errors: the sandwich with m / (m - 1) (Stata's ``fracreg logit``, robust by default).
OLS
    beta = (Z'Z)^-1 Z'y with White's heteroskedasticity-robust covariance in MacKinnon & White's (1985) HC1 form,
    (Z'Z)^-1 Z' diag(e^2) Z (Z'Z)^-1 times m / (m - k) (Stata's ``regress ..., vce(robust)``); inference with the
    t distribution on m - k degrees of freedom.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit, log_expit, log_ndtr

_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)


@dataclass(frozen=True)
class RegressionFit:
    """Estimates ``params`` (the coefficients, then sigma for Tobit), their robust ``covariance``, the maximised
    ``loglik`` (Tobit: log-likelihood; fractional: Bernoulli quasi-log-likelihood; OLS: None), ``converged`` and
    ``df_resid`` (OLS: m - k for the t distribution; None: the standard normal)."""

    params: np.ndarray
    covariance: np.ndarray
    loglik: float | None
    converged: bool
    df_resid: int | None = None


def _newton(objective, start, *, max_iter: int = 200, tol: float = 1e-20):
    """Maximise a concave ``objective(p) -> (value, gradient, hessian)`` by damped Newton steps.

    Each step is halved until the value does not fall; the fit has converged when the Newton decrement
    g' (-H)^-1 g is below ``tol`` (relative to 1 + |value|) or no step raises the value while the decrement is
    already tiny. Returns (params, value, converged).
    """
    params = np.asarray(start, dtype=float)
    value, grad, hess = objective(params)
    for _ in range(max_iter):
        try:
            step = np.linalg.solve(-hess, grad)
        except np.linalg.LinAlgError:
            return params, value, False
        decrement = float(grad @ step)
        if not np.isfinite(decrement):
            return params, value, False
        if decrement < tol * (1.0 + abs(value)):
            return params, value, True
        t = 1.0
        for _ in range(60):
            trial = params + t * step
            terms = objective(trial)
            if np.isfinite(terms[0]) and terms[0] >= value - 1e-13 * abs(value):
                break
            t *= 0.5
        else:
            return params, value, decrement < 1e-8 * (1.0 + abs(value))
        params, (value, grad, hess) = trial, terms
    return params, value, False


def _sandwich(hess: np.ndarray, scores: np.ndarray, factor: float) -> np.ndarray:
    """H^-1 (sum_i g_i g_i') H^-1 times ``factor`` (``scores``: m x p, one gradient contribution per row)."""
    bread = np.linalg.inv(hess)
    return factor * bread @ (scores.T @ scores) @ bread


def fit_tobit(y, Z, bound: float = 1.0, side: str = "below") -> RegressionFit:
    """Tobit ML of ``y`` on ``Z``, censored ``side`` ("below": y >= bound; "above": y <= bound) at ``bound``.

    An observation equal to the bound is censored. ``params`` are (beta, sigma) with the robust (sandwich)
    covariance; see the module docstring.
    """
    if side not in ("below", "above"):
        raise ValueError(f"side must be 'below' or 'above', got {side!r}")
    flip = -1.0 if side == "above" else 1.0          # censoring above at c is censoring below of -y at -c
    y, c = flip * np.asarray(y, dtype=float), flip * bound
    Z = np.asarray(Z, dtype=float)
    m, k = Z.shape
    censored = y <= c
    Zu, yu, Zc = Z[~censored], y[~censored], Z[censored]

    def contributions(params):
        """Per-observation log-likelihood and gradient (m x (k+1)) in Olsen's (gamma, tau), and the Hessian."""
        gamma, tau = params[:k], params[k]
        r = tau * yu - Zu @ gamma                                       # uncensored: standardised residual
        a = tau * c - Zc @ gamma                                        # censored: P(y* <= c) = Phi(a)
        log_phi_a = log_ndtr(a)
        lam = np.exp(-0.5 * a * a - _LOG_SQRT_2PI - log_phi_a)          # inverse Mills ratio phi(a) / Phi(a)
        w = lam * (a + lam)
        ll = np.empty(m)
        with np.errstate(divide="ignore", invalid="ignore"):
            ll[~censored] = np.log(tau) - _LOG_SQRT_2PI - 0.5 * r * r
        ll[censored] = log_phi_a
        g = np.empty((m, k + 1))
        g[~censored, :k] = r[:, None] * Zu
        g[~censored, k] = 1.0 / tau - r * yu
        g[censored, :k] = -lam[:, None] * Zc
        g[censored, k] = lam * c
        H = np.empty((k + 1, k + 1))
        H[:k, :k] = -Zu.T @ Zu - (w[:, None] * Zc).T @ Zc
        H[:k, k] = H[k, :k] = yu @ Zu + c * (w @ Zc)
        H[k, k] = -len(yu) / tau ** 2 - yu @ yu - c * c * w.sum()
        return ll, g, H

    def objective(params):
        if not params[k] > 0:
            return -np.inf, None, None
        ll, g, H = contributions(params)
        return ll.sum(), g.sum(axis=0), H

    beta0 = np.linalg.lstsq(Z, y, rcond=None)[0]                       # OLS start
    sigma0 = max(float(np.sqrt(np.mean((y - Z @ beta0) ** 2))), 1e-8)
    params, loglik, converged = _newton(objective, np.append(beta0 / sigma0, 1.0 / sigma0))
    if not converged:
        return RegressionFit(np.full(k + 1, np.nan), np.full((k + 1, k + 1), np.nan), None, False)
    _, g, H = contributions(params)
    covariance_olsen = _sandwich(H, g, m / (m - 1))
    gamma, tau = params[:k], params[k]
    jacobian = np.zeros((k + 1, k + 1))                                # d(beta, sigma) / d(gamma, tau)
    jacobian[:k, :k] = np.eye(k) / tau
    jacobian[:k, k] = -gamma / tau ** 2
    jacobian[k, k] = -1.0 / tau ** 2
    signs = np.append(np.full(k, flip), 1.0)                           # beta of -y is -beta; sigma unchanged
    estimates = signs * np.append(gamma / tau, 1.0 / tau)
    covariance = signs[:, None] * (jacobian @ covariance_olsen @ jacobian.T) * signs[None, :]
    return RegressionFit(estimates, covariance, float(loglik), True)


def fit_fractional_logit(y, Z) -> RegressionFit:
    """Papke & Wooldridge's (1996) fractional logit of ``y`` in [0, 1] on ``Z``: Bernoulli quasi-ML, robust
    (sandwich) covariance; see the module docstring."""
    y = np.asarray(y, dtype=float)
    Z = np.asarray(Z, dtype=float)
    m, k = Z.shape

    def objective(beta):
        index = Z @ beta
        value = float(np.sum(y * log_expit(index) + (1.0 - y) * log_expit(-index)))
        mean = expit(index)
        return value, Z.T @ (y - mean), -(Z * (mean * (1.0 - mean))[:, None]).T @ Z

    mean_y = float(np.clip(y.mean(), 1e-6, 1 - 1e-6))
    start = np.zeros(k)
    start[0] = np.log(mean_y / (1.0 - mean_y))                         # the intercept of a constant mean
    beta, quasi_loglik, converged = _newton(objective, start)
    if not converged:
        return RegressionFit(np.full(k, np.nan), np.full((k, k), np.nan), None, False)
    _, _, H = objective(beta)
    scores = (y - expit(Z @ beta))[:, None] * Z
    return RegressionFit(beta, _sandwich(H, scores, m / (m - 1)), quasi_loglik, True)


def fit_ols(y, Z) -> RegressionFit:
    """OLS of ``y`` on ``Z`` with the HC1 robust covariance and m - k degrees of freedom; see the module
    docstring."""
    y = np.asarray(y, dtype=float)
    Z = np.asarray(Z, dtype=float)
    m, k = Z.shape
    beta = np.linalg.lstsq(Z, y, rcond=None)[0]
    residuals = y - Z @ beta
    bread = np.linalg.inv(Z.T @ Z)
    meat = (Z * (residuals ** 2)[:, None]).T @ Z
    return RegressionFit(beta, m / (m - k) * bread @ meat @ bread, None, True, df_resid=m - k)
