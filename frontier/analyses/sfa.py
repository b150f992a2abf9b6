"""``sfa()``: stochastic frontier analysis by maximum likelihood, as FRONTIER 4.1 estimates it, and more.

The model (``frontier="production"``, s = +1; ``frontier="cost"``, s = -1)::

    y_i = x_i beta + v_i - s u_i,    v_i ~ N(0, sigma_v^2),    u_i >= 0 independent of v_i,

with y the (log) output or cost and x the (log) regressors, Cobb-Douglas or translog. Writing e_i = s (y_i - x_i beta)
= s v_i - u_i, every formula below is the production one in e (s v is as normal as v): a cost frontier fitted to
-y gives the production coefficients with reversed signs and the same likelihood.

Inefficiency ``distribution``:

- ``"half_normal"``: u ~ |N(0, sigma_u^2)| (Aigner, Lovell & Schmidt 1977);
- ``"truncated_normal"``: u ~ N+(mu, sigma_u^2) (Stevenson 1980), or with ``inefficiency_covariates`` z the
  inefficiency-effects model mu_i = delta_0 + z_i delta (Battese & Coelli 1995);
- ``"exponential"``: u ~ Exp with mean sigma_u (Meeusen & van den Broeck 1977), so var(u) = sigma_u^2.

Parametrisation (Battese & Corra 1977; Battese & Coelli): sigma^2 = sigma_v^2 + sigma_u^2, gamma = sigma_u^2 /
sigma^2 in [0, 1]; the optimiser works on ln sigma^2 and logit gamma (unconstrained) with the analytic gradient.
Log-likelihood of one observation, with sigma_* ^2 = gamma (1 - gamma) sigma^2:

- truncated normal (half normal: mu_i = 0, the Phi(mu_i / sigma_u) term is then 1/2)::

      -ln sqrt(2 pi) - ln sigma - ln Phi(mu_i / sigma_u) + ln Phi(mu*_i / sigma_*) - (e_i + mu_i)^2 / (2 sigma^2),
      mu*_i = (1 - gamma) mu_i - gamma e_i;

- exponential::

      -ln sigma_u + ln Phi(-e_i / sigma_v - sigma_v / sigma_u) + e_i / sigma_u + sigma_v^2 / (2 sigma_u^2).

Start (FRONTIER 4.1, Coelli 1996): OLS, then a grid over gamma = 0.1, ..., 0.9 with the other slopes at OLS and
the intercept and sigma^2 corrected so that the composed error has the OLS residuals' mean and variance (SSR / n);
the best grid point starts a BFGS maximisation. Standard errors: the inverse of the negative Hessian of the
log-likelihood, by central differences of the analytic gradient in the unconstrained parametrisation, mapped to
(sigma^2, gamma) by the delta method (at the maximum this equals the inverse Hessian in the reported
parametrisation). FRONTIER prints the DFP quasi-Newton approximation instead, which agrees to about 1 %.

Efficiency: u_i | e_i ~ N+(mu*_i, sigma_*^2) (the exponential: mu*_i = -e_i - sigma_v^2 / sigma_u, sigma_* =
sigma_v); technical (or cost) efficiency TE_i = E[exp(-u_i) | e_i] (Battese & Coelli 1988) and exp(-E[u_i | e_i])
(Jondrow, Lovell, Materov & Schmidt 1982), both in (0, 1].

LR test of the one-sided error: LR = 2 (ln L_ML - ln L_OLS) with q restrictions (gamma = 0, and mu or every delta),
distributed as the mixture 0.5 chi2(q - 1) + 0.5 chi2(q) (chi2(0) a point mass at 0): exact for q = 1 (Self &
Liang 1987), the upper bound of Kodde & Palm (1986) for q > 1 (their Table 1's critical values).
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy import optimize
from scipy.special import expit, log_ndtr, logit
from scipy.stats import chi2, norm

from ..data import as_column_list, check_unique_columns
from ..options import SFA_DISTRIBUTIONS, SFA_FORMS
from ..panel import row_ids
from ..io import Export, format_value, write_table
from ..results import Summary
from ._pipeline import Analysis, public

FORMS = SFA_FORMS
DISTRIBUTIONS = SFA_DISTRIBUTIONS
FRONTIERS = {"production": 1.0, "cost": -1.0}          # s in e = s (y - x beta)
# FRONTIER 4.1's grid over gamma (Coelli 1996): 0.1, 0.2, ..., 0.9
FRONTIER41_GRID = tuple(k / 10 for k in range(1, 10))
# gamma this close to 0 or 1 is a degenerate fit: no inefficiency, or no noise
GAMMA_DEGENERATE = 1e-4
CONST = "const"
_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
STANDARD_ERRORS = ("inverse negative Hessian of the log-likelihood (central differences of the analytic gradient; "
                   "delta method from ln sigma^2, logit gamma)")


def _row_labels(labels, limit: int = 8) -> str:
    labels = list(labels)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in labels[:limit])
    return f"[{shown}" + (f" and {len(labels) - limit} more]" if len(labels) > limit else "]")


def _mills(x: np.ndarray) -> np.ndarray:
    """phi(x) / Phi(x), stable for large negative x (in logs)."""
    return np.exp(-0.5 * x * x - _LOG_SQRT_2PI - log_ndtr(x))


# ----------------------------------------------------------------------------------------------------
# the likelihood
# ----------------------------------------------------------------------------------------------------

class Likelihood:
    """The log-likelihood of a stochastic frontier and its analytic gradient.

    Parameters are ordered ``[beta (k), delta (p), sigma^2, gamma]`` in the reported parametrisation (``delta``:
    the coefficients of mu_i = Z_i delta, truncated normal only; ``Z`` is a column of ones for a constant mu); the
    unconstrained vector ``theta`` replaces sigma^2 and gamma by ln sigma^2 and logit gamma. ``sign`` is s: +1 for
    a production frontier, -1 for a cost frontier.
    """

    def __init__(self, y, X, distribution: str, sign: float = 1.0, Z=None):
        if distribution not in DISTRIBUTIONS:
            raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, got {distribution!r}")
        self.y = np.asarray(y, dtype=float)
        self.X = np.asarray(X, dtype=float)
        self.distribution = distribution
        self.sign = float(sign)
        if Z is not None and distribution != "truncated_normal":
            raise ValueError("a mean of the inefficiency (Z) needs distribution='truncated_normal'")
        self.Z = None if Z is None else np.asarray(Z, dtype=float)
        self.k = self.X.shape[1]
        self.p = 0 if self.Z is None else self.Z.shape[1]

    @property
    def n_params(self) -> int:
        return self.k + self.p + 2

    def split(self, params):
        """(beta, delta, sigma^2, gamma) of a parameter vector."""
        params = np.asarray(params, dtype=float)
        return params[:self.k], params[self.k:self.k + self.p], params[-2], params[-1]

    def to_params(self, theta) -> np.ndarray:
        theta = np.asarray(theta, dtype=float)
        return np.concatenate([theta[:-2], [np.exp(theta[-2]), expit(theta[-1])]])

    def to_theta(self, params) -> np.ndarray:
        params = np.asarray(params, dtype=float)
        return np.concatenate([params[:-2], [np.log(params[-2]), logit(params[-1])]])

    def jacobian_diagonal(self, params) -> np.ndarray:
        """d params / d theta (diagonal): 1 for beta and delta, sigma^2, gamma (1 - gamma)."""
        _, _, S, g = self.split(params)
        return np.concatenate([np.ones(self.k + self.p), [S, g * (1.0 - g)]])

    def residuals(self, params) -> np.ndarray:
        """e_i = s (y_i - x_i beta): v_i - u_i in production terms."""
        beta = self.split(params)[0]
        return self.sign * (self.y - self.X @ beta)

    def mu(self, params) -> np.ndarray:
        delta = self.split(params)[1]
        return np.zeros(len(self.y)) if self.Z is None else self.Z @ delta

    def observations(self, params) -> np.ndarray:
        """The log-likelihood of each observation."""
        return self._terms(params, gradient=False)[0]

    def value(self, params) -> float:
        return float(np.sum(self.observations(params)))

    def gradient(self, params) -> np.ndarray:
        """The analytic gradient in the reported parametrisation."""
        return self._terms(params, gradient=True)[1]

    def value_and_gradient_theta(self, theta) -> tuple[float, np.ndarray]:
        """(log-likelihood, gradient) in the unconstrained parametrisation."""
        params = self.to_params(theta)
        ll, grad = self._terms(params, gradient=True)
        return float(np.sum(ll)), grad * self.jacobian_diagonal(params)

    def _terms(self, params, gradient: bool):
        beta, delta, S, g = self.split(params)
        e = self.residuals(params)
        if self.distribution == "exponential":
            ll, dl_de, dl_dmu, dl_dS, dl_dg = _exponential(e, S, g, gradient)
        else:
            ll, dl_de, dl_dmu, dl_dS, dl_dg = _truncated_normal(e, self.mu(params), S, g, gradient)
        if not gradient:
            return ll, None
        grad = np.concatenate([-self.sign * (self.X.T @ dl_de),
                               self.Z.T @ dl_dmu if self.Z is not None else [],
                               [np.sum(dl_dS), np.sum(dl_dg)]])
        return ll, grad

    def conditional(self, params) -> tuple[np.ndarray, np.ndarray]:
        """(mu*_i, sigma_*): u_i given e_i is N(mu*_i, sigma_*^2) truncated below at 0."""
        _, _, S, g = self.split(params)
        e = self.residuals(params)
        if self.distribution == "exponential":
            su, sv = np.sqrt(g * S), np.sqrt((1.0 - g) * S)
            return -e - sv * sv / su, np.full(len(e), sv)
        return (1.0 - g) * self.mu(params) - g * e, np.full(len(e), np.sqrt(g * (1.0 - g) * S))


def _truncated_normal(e, mu, S, g, gradient):
    """ln f(e) of e = v - u, u ~ N+(mu, g S), v ~ N(0, (1 - g) S), and its derivatives in e, mu, S, g."""
    su = np.sqrt(g * S)
    s_star = np.sqrt(g * (1.0 - g) * S)
    a = ((1.0 - g) * mu - g * e) / s_star
    d = mu / su
    r = e + mu
    ll = -_LOG_SQRT_2PI - 0.5 * np.log(S) - log_ndtr(d) + log_ndtr(a) - 0.5 * r * r / S
    if not gradient:
        return ll, None, None, None, None
    A, D = _mills(a), _mills(d)
    dl_de = -A * g / s_star - r / S
    dl_dmu = -D / su + A * (1.0 - g) / s_star - r / S
    dl_dS = -0.5 / S + (D * d - A * a) / (2.0 * S) + 0.5 * r * r / (S * S)
    dl_dg = D * d / (2.0 * g) + A * (-r / s_star - a * (1.0 - 2.0 * g) / (2.0 * g * (1.0 - g)))
    return ll, dl_de, dl_dmu, dl_dS, dl_dg


def _exponential(e, S, g, gradient):
    """ln f(e) of e = v - u, u ~ Exp(mean sigma_u = sqrt(g S)), v ~ N(0, (1 - g) S), and its derivatives."""
    su, sv = np.sqrt(g * S), np.sqrt((1.0 - g) * S)
    c = -e / sv - sv / su
    ll = -np.log(su) + log_ndtr(c) + e / su + sv * sv / (2.0 * su * su)
    if not gradient:
        return ll, None, None, None, None
    C = _mills(c)
    dl_de = -C / sv + 1.0 / su
    dl_dsu = -1.0 / su + C * sv / su ** 2 - e / su ** 2 - sv * sv / su ** 3
    dl_dsv = C * (e / sv ** 2 - 1.0 / su) + sv / su ** 2
    dl_dS = dl_dsu * su / (2.0 * S) + dl_dsv * sv / (2.0 * S)
    dl_dg = dl_dsu * su / (2.0 * g) - dl_dsv * sv / (2.0 * (1.0 - g))
    return ll, dl_de, None, dl_dS, dl_dg


# ----------------------------------------------------------------------------------------------------
# OLS start, FRONTIER's grid, the ML fit, the Hessian
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class OLSFit:
    """The OLS regression that starts the ML fit (FRONTIER 4.1 prints it): ``coefficients``, ``std_errors`` (with
    s^2 = SSR / (n - k)), ``sigma_squared`` = SSR / (n - k) and ``loglik``, the normal log-likelihood at
    sigma^2 = SSR / n (the ML fit's limit gamma -> 0, so the LR test's restricted model)."""

    coefficients: pd.Series
    std_errors: pd.Series
    sigma_squared: float
    loglik: float
    residuals: np.ndarray = field(repr=False)


def _ols(y, X, names) -> OLSFit:
    n, k = X.shape
    beta, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ beta
    ssr = float(resid @ resid)
    s2 = ssr / (n - k)
    se = np.sqrt(np.diag(s2 * np.linalg.inv(X.T @ X)))
    loglik = -0.5 * n * (np.log(2.0 * np.pi * ssr / n) + 1.0)
    return OLSFit(pd.Series(beta, index=names), pd.Series(se, index=names), s2, loglik, resid)


def grid_start(lik: Likelihood, ols: OLSFit, grid=FRONTIER41_GRID) -> np.ndarray:
    """FRONTIER 4.1's start: for each gamma of ``grid`` the slopes at OLS, sigma^2 and the intercept (column 0 of
    X) corrected so that the composed error has the OLS residuals' variance SSR / n and mean 0 (delta = 0, i.e.
    mu = 0); the grid point with the highest log-likelihood."""
    n = len(lik.y)
    variance = float(ols.residuals @ ols.residuals) / n
    best, best_ll = None, -np.inf
    for g in grid:
        if lik.distribution == "exponential":        # var(u) = sigma_u^2, E(u) = sigma_u
            S = variance
            mean_u = np.sqrt(g * S)
        else:                                        # var(u) = (1 - 2/pi) sigma_u^2, E(u) = sqrt(2/pi) sigma_u
            S = variance / (1.0 - 2.0 * g / np.pi)
            mean_u = np.sqrt(2.0 * g * S / np.pi)
        beta = ols.coefficients.to_numpy(dtype=float).copy()
        beta[0] += lik.sign * mean_u
        params = np.concatenate([beta, np.zeros(lik.p), [S, g]])
        ll = lik.value(params)
        if np.isfinite(ll) and ll > best_ll:
            best, best_ll = params, ll
    return best


def hessian_theta(lik: Likelihood, theta) -> np.ndarray:
    """The Hessian of the log-likelihood in theta, by central differences of the analytic gradient (symmetrised)."""
    theta = np.asarray(theta, dtype=float)
    m = len(theta)
    H = np.empty((m, m))
    for j in range(m):
        h = 1e-5 * max(1.0, abs(theta[j]))
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        H[:, j] = (lik.value_and_gradient_theta(up)[1] - lik.value_and_gradient_theta(down)[1]) / (2.0 * h)
    return 0.5 * (H + H.T)


@dataclass(frozen=True)
class _Fit:
    params: np.ndarray
    loglik: float
    cov: np.ndarray
    converged: bool
    iterations: int
    message: str


def _maximise(lik: Likelihood, start: np.ndarray, max_iter: int) -> _Fit:
    """BFGS on -ln L / n in theta with the analytic gradient, then Newton steps on the numerical Hessian until the
    Newton decrement is negligible; the covariance from that Hessian."""
    n = len(lik.y)

    def objective(theta):
        ll, grad = lik.value_and_gradient_theta(theta)
        if not np.isfinite(ll):
            return np.inf, np.zeros_like(theta)
        return -ll / n, -grad / n

    theta0 = lik.to_theta(start)
    res = optimize.minimize(objective, theta0, jac=True, method="BFGS",
                            options={"maxiter": max_iter, "gtol": 1e-8})
    theta, iterations = res.x, int(res.nit)
    converged = False
    for _ in range(20):                     # polish: BFGS stops on its line search's precision
        ll, grad = lik.value_and_gradient_theta(theta)
        H = hessian_theta(lik, theta)
        try:
            step = np.linalg.solve(-H, grad)
        except np.linalg.LinAlgError:
            break
        if not np.all(np.isfinite(step)) or grad @ step <= 0:       # not an ascent direction: not concave here
            break
        if grad @ step < 1e-12 * max(1.0, abs(ll)):
            converged = True
            break
        for _ in range(30):
            trial = theta + step
            if lik.value_and_gradient_theta(trial)[0] >= ll - 1e-12 * abs(ll):
                theta = trial
                break
            step = step / 2.0
        else:
            break
        iterations += 1
    ll, grad = lik.value_and_gradient_theta(theta)
    H = hessian_theta(lik, theta)
    params = lik.to_params(theta)
    J = lik.jacobian_diagonal(params)
    try:
        eigen = np.linalg.eigvalsh(-H)
        cov_theta = np.linalg.inv(-H) if eigen.min() > 0 else np.full_like(H, np.nan)
    except np.linalg.LinAlgError:
        cov_theta = np.full_like(H, np.nan)
    message = "converged" if converged else f"not converged: {res.message} (max |gradient| {np.abs(grad).max():.2e})"
    return _Fit(params, ll, cov_theta * np.outer(J, J), converged, iterations, message)


# ----------------------------------------------------------------------------------------------------
# the LR test and the efficiency predictors
# ----------------------------------------------------------------------------------------------------

def mixed_chi2_sf(statistic: float, df: int) -> float:
    """P(X >= statistic) for X ~ 0.5 chi2(df - 1) + 0.5 chi2(df), chi2(0) a point mass at 0."""
    if statistic <= 0:
        return 1.0
    lower = 0.0 if df == 1 else chi2.sf(statistic, df - 1)
    return float(0.5 * lower + 0.5 * chi2.sf(statistic, df))


def kodde_palm_critical_value(df: int, alpha: float) -> float:
    """The critical value c with 0.5 P(chi2(df-1) >= c) + 0.5 P(chi2(df) >= c) = alpha (Kodde & Palm 1986,
    Table 1: 2.706 and 5.412 for df = 1 at 5 % and 1 %)."""
    return float(optimize.brentq(lambda c: mixed_chi2_sf(c, df) - alpha, 1e-9, 200.0, xtol=1e-12))


@dataclass(frozen=True)
class LRTest:
    """The LR test of the one-sided error (H0: no inefficiency, the OLS model): ``statistic`` = 2 (ln L_ML -
    ln L_OLS), ``df`` restrictions, ``p_value`` of the 0.5 chi2(df-1) + 0.5 chi2(df) mixture and its critical
    values at 5 % and 1 % (Kodde & Palm 1986; exact for df = 1, an upper bound for df > 1)."""

    statistic: float
    df: int
    p_value: float
    critical_5: float
    critical_1: float

    @classmethod
    def of(cls, loglik: float, ols_loglik: float, df: int) -> LRTest:
        """The test of a fit: a statistic below 0 by rounding only (gamma at 0 is the OLS model) is 0."""
        statistic = 2.0 * (loglik - ols_loglik)
        if -1e-8 * max(1.0, abs(ols_loglik)) < statistic < 0:
            statistic = 0.0
        return cls(statistic, df, mixed_chi2_sf(statistic, df), kodde_palm_critical_value(df, 0.05),
                   kodde_palm_critical_value(df, 0.01))

    def __str__(self) -> str:
        return (f"LR = {self.statistic:.4f}, {self.df} restriction{'s' if self.df > 1 else ''}, "
                f"p = {self.p_value:.4g} (0.5 chi2({self.df - 1}) + 0.5 chi2({self.df})); "
                f"Kodde-Palm critical values {self.critical_5:.3f} (5%), {self.critical_1:.3f} (1%)")


def efficiency_predictors(mu_star, s_star) -> dict[str, np.ndarray]:
    """E[u | e] (Jondrow et al. 1982), E[exp(-u) | e] (Battese & Coelli 1988) and exp(-E[u | e]) for u | e ~
    N+(mu_star, s_star^2)."""
    a = mu_star / s_star
    u_mean = mu_star + s_star * _mills(a)
    te_bc = np.exp(-mu_star + 0.5 * s_star ** 2 + log_ndtr(a - s_star) - log_ndtr(a))
    return {"inefficiency": u_mean, "te_bc": te_bc, "te_jlms": np.exp(-u_mean)}


# ----------------------------------------------------------------------------------------------------
# the result
# ----------------------------------------------------------------------------------------------------

FRAME_DESCRIPTIONS = {
    "residual": "composed error e = y - x b (production: v - u; cost: v + u)",
    "inefficiency": "E[u | e], Jondrow, Lovell, Materov & Schmidt (1982)",
    "te_bc": "efficiency E[exp(-u) | e], Battese & Coelli (1988)",
    "te_jlms": "efficiency exp(-E[u | e]), Jondrow et al. (1982)",
}
TABLE_DESCRIPTIONS = {
    "term": "const (intercept), a frontier term, mu or mu:<z> (mean of the inefficiency), sigma_squared, gamma",
    "coefficient": "maximum-likelihood estimate",
    "std_error": "from the inverse negative Hessian of the log-likelihood",
    "z": "coefficient / std_error",
    "p_value": "two-sided P > |z| (normal)",
    "lower": "lower end of the 95% Wald interval",
    "upper": "upper end of the 95% Wald interval",
}


@dataclass(frozen=True)
class SFAResult:
    """The outcome of :func:`sfa`.

    Attributes
    ----------
    params : Series, the ML estimates: the frontier's terms (``const``, ``ln_<input>``..., translog squares and
        products), ``mu`` or ``mu:const``, ``mu:<z>``... (truncated normal), ``sigma_squared``, ``gamma``.
    std_errors : Series; cov : DataFrame, their covariance (see :data:`STANDARD_ERRORS`).
    loglik : float, the maximised log-likelihood; lr_test : :class:`LRTest`; ols : :class:`OLSFit`.
    start : Series, the grid point that started the ML fit.
    residuals, inefficiency, te_bc, te_jlms : Series, per observation (see :meth:`to_frame`).
    output, inputs, terms, form, distribution, frontier, log, inefficiency_covariates : as called / built.
    ids : DataFrame of the ``id`` columns or None; converged, iterations, message : the optimiser's outcome.
    """

    params: pd.Series
    std_errors: pd.Series
    cov: pd.DataFrame
    loglik: float
    lr_test: LRTest
    ols: OLSFit
    start: pd.Series
    residuals: pd.Series
    inefficiency: pd.Series
    te_bc: pd.Series
    te_jlms: pd.Series
    output: str
    inputs: tuple
    terms: tuple
    form: str
    distribution: str
    frontier: str
    log: bool
    inefficiency_covariates: tuple
    ids: pd.DataFrame | None
    converged: bool
    iterations: int
    message: str

    @property
    def n(self) -> int:
        return len(self.residuals)

    @property
    def mean_efficiency(self) -> float:
        """Mean of the Battese & Coelli (1988) efficiencies (FRONTIER 4.1's "mean efficiency")."""
        return float(self.te_bc.mean())

    @property
    def sigma_u(self) -> float:
        """sqrt(gamma sigma^2): the half-normal's / truncated normal's scale, the exponential's mean."""
        return float(np.sqrt(self.params["gamma"] * self.params["sigma_squared"]))

    @property
    def sigma_v(self) -> float:
        return float(np.sqrt((1.0 - self.params["gamma"]) * self.params["sigma_squared"]))

    def table(self, alpha: float = 0.05) -> pd.DataFrame:
        """The regression table: ``coefficient``, ``std_error``, ``z``, ``p_value`` (two-sided, normal),
        ``lower`` and ``upper`` (the 1 - alpha Wald interval), one row per parameter."""
        q = norm.ppf(1.0 - alpha / 2.0)
        z = self.params / self.std_errors
        return pd.DataFrame({"coefficient": self.params, "std_error": self.std_errors, "z": z,
                             "p_value": 2.0 * norm.sf(np.abs(z)),
                             "lower": self.params - q * self.std_errors, "upper": self.params + q * self.std_errors})

    def to_frame(self) -> pd.DataFrame:
        """One row per observation (the data's index; the ``id`` columns lead): ``residual``, ``inefficiency``
        (E[u|e]), ``te_bc`` (E[exp(-u)|e]) and ``te_jlms`` (exp(-E[u|e]))."""
        frame = pd.DataFrame({"residual": self.residuals, "inefficiency": self.inefficiency, "te_bc": self.te_bc,
                              "te_jlms": self.te_jlms})
        return frame if self.ids is None else pd.concat([self.ids, frame], axis=1)

    def _description(self) -> str:
        form = {"cobb_douglas": "Cobb-Douglas", "translog": "translog"}[self.form]
        dist = self.distribution.replace("_", "-")
        if self.inefficiency_covariates:
            dist += " with inefficiency effects (Battese & Coelli 1995)"
        return f"{form} {self.frontier} frontier, {dist} inefficiency"

    def _specification(self) -> list[tuple[str, str]]:
        dependent = f"ln({self.output})" if self.log else self.output
        rows = [("dependent", dependent), ("regressors", ", ".join(self.terms)), ("observations", str(self.n)),
                ("log-likelihood", f"{self.loglik:.6f}"), ("OLS log-likelihood", f"{self.ols.loglik:.6f}"),
                ("LR test", str(self.lr_test)),
                ("sigma_u, sigma_v", f"{self.sigma_u:.4f}, {self.sigma_v:.4f}"),
                ("mean efficiency", f"{self.mean_efficiency:.6f} (E[exp(-u)|e], Battese & Coelli 1988); "
                                    f"{float(self.te_jlms.mean()):.6f} (exp(-E[u|e]), Jondrow et al. 1982)"),
                ("start", f"FRONTIER 4.1 grid: gamma = {self.start['gamma']:.2f}"),
                ("optimiser", f"{self.message}, {self.iterations} iterations"),
                ("standard errors", STANDARD_ERRORS)]
        if self.frontier == "cost":
            rows.append(("efficiency", "cost efficiency exp(-u) <= 1 (FRONTIER 4.1 prints E[exp(u)|e] >= 1)"))
        return rows

    def summary(self) -> Summary:
        """The specification, the LR test and the regression table."""
        title = f"frontier stochastic frontier analysis: {self._description()}"
        rows = self._specification()
        table = self.table()
        text = table.to_string(float_format=lambda v: f"{v:.4f}", na_rep="NaN")
        lines = [title] + [f"  {k:<18} {v}" for k, v in rows] + ["", text]
        return Summary("\n".join(lines), title, rows, {"coefficients": table})

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return self.summary()._repr_html_()

    def __repr__(self) -> str:
        return f"<SFAResult {self._description()}, n {self.n}, log-likelihood {self.loglik:.4f}>"

    def _export(self) -> Export:
        coefficients = self.table().reset_index(names="term")
        rows = self._specification() + [(f"coefficient {t}", f"{c:.6g} (std. error {s:.4g})") for t, c, s in
                                         zip(coefficients["term"], coefficients["coefficient"],
                                             coefficients["std_error"])]
        return Export(table=self.to_frame().reset_index(drop=self.ids is not None), name="efficiency", specification=rows,
                      descriptions=FRAME_DESCRIPTIONS | TABLE_DESCRIPTIONS, extra_tables={"coefficients": coefficients},
                      title=self.summary().title)

    def export(self, extra: dict | None = None) -> Export:
        """What the files hold (and the command line's ``-o``): :meth:`to_frame`, the coefficients and the
        specification, after the caller's ``extra`` rows."""
        export = self._export()
        rows = [(k, format_value(v)) for k, v in (extra or {}).items()] + list(export.specification)
        return replace(export, specification=rows)

    def _write(self, path, fmt: str) -> None:
        export = self._export()
        write_table(export.table, path, export=export, fmt=fmt)

    def to_csv(self, path) -> None:
        """Write :meth:`to_frame` (the index as a column) to a CSV file."""
        self._write(path, "csv")

    def to_excel(self, path) -> None:
        """Write :meth:`to_frame`, the regression table (sheet ``coefficients``) and a ``specification`` sheet."""
        self._write(path, "excel")

    def to_stata(self, path) -> None:
        """Write :meth:`to_frame` to a Stata .dta file: variable labels, the specification and the coefficients
        as dataset notes."""
        self._write(path, "stata")


# ----------------------------------------------------------------------------------------------------
# sfa(): input checks, the design, the fit
# ----------------------------------------------------------------------------------------------------

def _values(data: pd.DataFrame, column: str, role: str, positive: bool) -> np.ndarray:
    """A numeric, finite column (positive when it will be logged), or a ValueError naming column and rows."""
    series = data[column]
    if pd.api.types.is_bool_dtype(series):
        series = series.astype(float)
    if not pd.api.types.is_numeric_dtype(series):
        bad = series[pd.to_numeric(series, errors="coerce").isna() & series.notna()].index
        raise ValueError(f"{role} {column!r} is not numeric (dtype {series.dtype}); non-numeric values in rows "
                         f"{_row_labels(bad) if len(bad) else '(dtype)'}")
    values = series.to_numpy(dtype=float, na_value=np.nan)
    bad = ~np.isfinite(values)
    if bad.any():
        raise ValueError(f"{role} {column!r} has missing or infinite values in rows {_row_labels(data.index[bad])}")
    if positive:
        bad = values <= 0
        if bad.any():
            raise ValueError(f"{role} {column!r} has values <= 0 in rows {_row_labels(data.index[bad])}, which have "
                             "no logarithm; drop those rows, or pass log=False with the variables already "
                             "transformed")
    return values


def translog_terms(columns: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The translog's terms of (log) regressors x_1..x_m: each x_j, then 0.5 x_j^2 (named ``0.5*x_j^2``) and
    x_j x_k for j < k (``x_j*x_k``): the convention of Christensen, Jorgenson & Lau (1973) and Coelli et al.
    (2005), in which the coefficient of 0.5 x_j^2 is the second derivative d^2 y / dx_j^2."""
    names = list(columns)
    terms = dict(columns)
    for a in names:
        terms[f"0.5*{a}^2"] = 0.5 * columns[a] ** 2
    for j, a in enumerate(names):
        for b in names[j + 1:]:
            terms[f"{a}*{b}"] = columns[a] * columns[b]
    return terms


def _check_rank(matrix: np.ndarray, names: list[str], what: str) -> None:
    if np.linalg.matrix_rank(matrix) < matrix.shape[1]:
        raise ValueError(f"the {what} ({', '.join(names)}) are collinear (or one is constant besides the "
                         "intercept): drop a term")


SFA = Analysis("sfa", roles=("output", "inputs", "inefficiency_covariates", "id"), result=SFAResult, serves=None,
               engine=False)


@public(SFA)
def sfa(data: pd.DataFrame, output: str, inputs, *, form: str = "cobb_douglas", distribution: str = "half_normal",
        frontier: str = "production", inefficiency_covariates=None, log: bool = True, id=None,
        max_iter: int = 1000) -> SFAResult:
    """Stochastic frontier analysis: a Cobb-Douglas or translog production or cost frontier by maximum likelihood.

    Parameters
    ----------
    data : DataFrame, one row per observation (firm, or firm-period pooled).
    output : the dependent variable's column: the output of a production frontier, the cost of a cost frontier
        (or any variable with a one-sided error, e.g. an input slack in a three-stage DEA).
    inputs : the regressors' columns: inputs of a production frontier; output quantities and input prices of a
        cost frontier.
    form : ``"cobb_douglas"`` (y = b0 + sum b_j x_j) or ``"translog"`` (adds 0.5 b_jj x_j^2 and b_jk x_j x_k).
    distribution : ``"half_normal"``, ``"truncated_normal"`` or ``"exponential"`` inefficiency.
    frontier : ``"production"`` (y = x b + v - u) or ``"cost"`` (y = x b + v + u).
    inefficiency_covariates : columns z of the Battese & Coelli (1995) model mu_i = delta_0 + z_i delta
        (``distribution="truncated_normal"``); None for a constant mu (truncated normal) or none (the others).
    log : take the natural logs of ``output`` and ``inputs`` (default; they must then be positive). False when the
        columns already hold logs (or for a linear frontier in levels). The covariates are never logged.
    id : column(s) that identify the rows, leading :meth:`SFAResult.to_frame` and the exports.
    max_iter : the BFGS iteration limit.

    Returns an :class:`SFAResult`: ``summary()``, ``table()``, ``params``, ``to_frame()`` (per-observation
    efficiencies), ``lr_test``, ``to_csv``/``to_excel``/``to_stata``. Warns when gamma ends at 0 or 1 (a degenerate
    fit: no inefficiency, or no noise) and when the optimiser did not converge.
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    if form not in FORMS:
        raise ValueError(f"form must be one of {FORMS}, got {form!r}")
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, got {distribution!r}")
    if frontier not in FRONTIERS:
        raise ValueError(f"frontier must be 'production' or 'cost', got {frontier!r}")
    if not isinstance(log, (bool, np.bool_)):
        raise ValueError(f"log must be True or False, got {log!r}")
    if not isinstance(output, str):
        raise ValueError(f"output must be one column name, got {output!r}")
    inputs = as_column_list(inputs, "inputs")
    if not inputs:
        raise ValueError("no inputs given: pass at least one regressor column, e.g. inputs=['capital', 'labour']")
    covariates = as_column_list(inefficiency_covariates, "inefficiency_covariates")
    if covariates and distribution != "truncated_normal":
        raise ValueError("inefficiency_covariates model the mean of a truncated-normal inefficiency (Battese & Coelli "
                         f"1995): pass distribution='truncated_normal' (got {distribution!r})")
    id_columns = as_column_list(id, "id")
    roles: dict[str, str] = {}
    for role, cols in (("output", [output]), ("inputs", inputs), ("inefficiency_covariates", covariates),
                       ("id", id_columns)):
        for col in cols:
            if col in roles:
                raise ValueError(f"column {col!r} is given in both {roles[col]} and {role}" if roles[col] != role
                                 else f"column {col!r} is given twice in {role}")
            roles[col] = role
    missing = [c for c in roles if c not in data.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found in data; available columns: {list(data.columns)}")
    check_unique_columns(data, list(roles))
    if CONST in inputs or CONST in covariates:
        raise ValueError(f"{CONST!r} names the intercept (always included); rename that column")

    y = _values(data, output, "output", log)
    regressors = {(f"ln_{c}" if log else c): _values(data, c, "input", log) for c in inputs}
    if log:
        y = np.log(y)
        regressors = {name: np.log(v) for name, v in regressors.items()}
    if form == "translog":
        regressors = translog_terms(regressors)
    terms = [CONST] + list(regressors)
    X = np.column_stack([np.ones(len(data))] + list(regressors.values()))
    Z = None
    mu_names: list[str] = []
    if distribution == "truncated_normal":
        z_values = [_values(data, c, "inefficiency covariate", False) for c in covariates]
        Z = np.column_stack([np.ones(len(data))] + z_values)
        mu_names = ["mu"] if not covariates else [f"mu:{CONST}"] + [f"mu:{c}" for c in covariates]
        _check_rank(Z, mu_names, "inefficiency covariates")
    n_params = X.shape[1] + (0 if Z is None else Z.shape[1]) + 2
    if len(data) <= n_params:
        raise ValueError(f"{len(data)} observations for {n_params} parameters: a stochastic frontier needs more "
                         "observations than parameters")
    _check_rank(X, terms, "frontier's terms")
    ids = row_ids(data, id_columns, None)

    lik = Likelihood(y, X, distribution, FRONTIERS[frontier], Z)
    ols = _ols(y, X, terms)
    if not np.any(np.abs(ols.residuals) > 1e-12 * max(1.0, float(np.abs(y).max()))):
        raise ValueError(f"the frontier's terms fit {output!r} exactly (every OLS residual is 0): there is no error "
                         "to split into noise and inefficiency")
    _warn_skewness(ols.residuals, frontier)
    start = grid_start(lik, ols)
    fit = _maximise(lik, start, max_iter)
    names = terms + mu_names + ["sigma_squared", "gamma"]
    params = pd.Series(fit.params, index=names)
    std_errors = pd.Series(np.sqrt(np.diag(fit.cov)), index=names)
    gamma = params["gamma"]
    if gamma < GAMMA_DEGENERATE or gamma > 1.0 - GAMMA_DEGENERATE:
        what = ("0: no inefficiency (the OLS model)" if gamma < 0.5 else
                "1: no noise (a deterministic frontier)")
        warnings.warn(f"sfa: gamma = {gamma:.6g} is at its bound {what}; the fit is degenerate and the standard "
                      "errors are not reliable", UserWarning, stacklevel=2)
    if not fit.converged:
        warnings.warn(f"sfa: the maximum-likelihood fit did not converge ({fit.message}); the estimates are where "
                      "it stopped", UserWarning, stacklevel=2)
    if fit.loglik < ols.loglik - 1e-8 * max(1.0, abs(ols.loglik)):
        warnings.warn(f"sfa: the maximised log-likelihood {fit.loglik:.6f} is below the OLS model's "
                      f"{ols.loglik:.6f}, its limit at gamma = 0: the optimiser failed", UserWarning, stacklevel=2)
    if not np.isfinite(std_errors).all():
        warnings.warn("sfa: the Hessian of the log-likelihood is not negative definite at the estimates; standard "
                      "errors are NaN", UserWarning, stacklevel=2)
    predictors = efficiency_predictors(*lik.conditional(fit.params))
    index = data.index
    q = 1 + (0 if Z is None else Z.shape[1])
    return SFAResult(
        params=params, std_errors=std_errors, cov=pd.DataFrame(fit.cov, index=names, columns=names),
        loglik=fit.loglik, lr_test=LRTest.of(fit.loglik, ols.loglik, q), ols=ols,
        start=pd.Series(start, index=names),
        residuals=pd.Series(lik.sign * lik.residuals(fit.params), index=index, name="residual"),
        inefficiency=pd.Series(predictors["inefficiency"], index=index, name="inefficiency"),
        te_bc=pd.Series(predictors["te_bc"], index=index, name="te_bc"),
        te_jlms=pd.Series(predictors["te_jlms"], index=index, name="te_jlms"),
        output=output, inputs=tuple(inputs), terms=tuple(terms), form=form, distribution=distribution,
        frontier=frontier, log=bool(log), inefficiency_covariates=tuple(covariates), ids=ids,
        converged=fit.converged, iterations=fit.iterations, message=fit.message)


def _warn_skewness(residuals: np.ndarray, frontier: str) -> None:
    """Warn when the OLS residuals are skewed the wrong way: the ML estimate of gamma is then 0 (Waldman 1982)."""
    r = residuals - residuals.mean()
    skew = float(np.mean(r ** 3) / np.mean(r ** 2) ** 1.5) if np.any(r) else 0.0
    if FRONTIERS[frontier] * skew > 0:
        expected = "negative" if frontier == "production" else "positive"
        warnings.warn(f"sfa: the OLS residuals' skewness is {skew:+.4f}, not {expected} as a {frontier} frontier "
                      "needs: expect gamma at 0 (no inefficiency; Waldman 1982)", UserWarning, stacklevel=3)


__all__ = ["DISTRIBUTIONS", "FORMS", "FRONTIER41_GRID", "FRONTIERS", "LRTest", "Likelihood", "OLSFit", "SFAResult",
           "efficiency_predictors", "grid_start", "hessian_theta", "kodde_palm_critical_value", "mixed_chi2_sf", "sfa",
           "translog_terms"]
