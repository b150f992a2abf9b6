"""``second_stage()``: the truncated-normal regression of DEA distances on covariates, Simar & Wilson (2007).

Source: L. Simar and P. W. Wilson (2007), "Estimation and inference in two-stage, semi-parametric models of
production processes", Journal of Econometrics 136, 31-64, Section 4 (Algorithms 1 and 2).

The model
---------
The first stage gives each DMU i a radial distance delta_i >= 1: the Shephard input distance 1/theta_i (input
orientation; theta <= 1 the Farrell input efficiency) or the Farrell output measure phi_i (output orientation). The
second stage explains it by covariates z_i (an intercept is always included)::

    delta_i = z_i beta + eps_i >= 1,    eps_i ~ N(0, sigma^2) left-truncated at 1 - z_i beta.

**Sign convention**: delta is a distance to the frontier, so a covariate with a *positive* coefficient *raises* the
distance, i.e. *lowers* efficiency; a negative coefficient goes with higher efficiency.

Why not OLS or a Tobit on the DEA scores: the scores are estimates, serially correlated through the estimated
frontier, and the DEA-efficient DMUs sit at 1 because the frontier was estimated from them, not because a latent
variable was censored. The data-generating process above is truncated, not censored: a Tobit is the wrong
likelihood, and conventional standard errors ignore the first stage's noise. SW (2007) show that ML on the
truncated model with a parametric bootstrap gives valid inference (Algorithm 1), and that bias-correcting the
distances first improves it in small samples (Algorithm 2).

Algorithm 1 (``algorithm=1``)
-----------------------------
1. delta_hat_i from the first stage (i = 1..n).
2. Truncated-normal ML of delta_hat_i on z_i over the m DMUs with delta_hat_i > 1 (the estimated-efficient ones,
   delta_hat_i = 1, are dropped): (beta_hat, sigma_hat).
3. For b = 1..L2: for each of the m DMUs draw eps_i from N(0, sigma_hat^2) left-truncated at 1 - z_i beta_hat,
   set delta*_i = z_i beta_hat + eps_i, and re-estimate the truncated regression of delta* on z: (beta*_b,
   sigma*_b).
4. Intervals from the L2 values beta*_b (and sigma*_b), with q_p their p-quantile: ``interval="percentile"``
   (the default) [q_{alpha/2}, q_{1-alpha/2}]; ``interval="basic"`` [2 beta_hat - q_{1-alpha/2}, 2 beta_hat -
   q_{alpha/2}], the construction SW (2007) write out, from the distribution of beta*_b - beta_hat. The two agree
   when that distribution is symmetric. The bootstrap standard error is the standard deviation of the beta*_b.

Algorithm 2 (``algorithm=2``)
-----------------------------
1-2. As in Algorithm 1: delta_hat_i for all n, and (beta_hat, sigma_hat) from the m DMUs with delta_hat_i > 1.
3. For b = 1..L1: for *every* DMU i = 1..n draw eps_i from N(0, sigma_hat^2) left-truncated at 1 - z_i beta_hat,
   delta*_i = z_i beta_hat + eps_i; build pseudo data on the ray through DMU i's estimated frontier point
   (input orientation x*_i = x_i delta*_i / delta_hat_i = x_i theta_hat_i / theta*_i, y*_i = y_i; output
   orientation y*_i = y_i delta_hat_i / delta*_i, x*_i = x_i); re-estimate every *original* DMU against the pseudo
   reference set {(x*_j, y*_j)}: delta_hat*_{i,b}.
4. Bias-corrected distances delta_hat_hat_i = delta_hat_i - bias_i, bias_i = mean_b delta_hat*_{i,b} - delta_hat_i.
5. Truncated-normal ML of delta_hat_hat_i on z_i (every DMU with delta_hat_hat_i > 1, usually all n):
   (beta_hat_hat, sigma_hat_hat).
6. For b = 1..L2: draw delta**_i = z_i beta_hat_hat + eps_i, eps_i ~ N(0, sigma_hat_hat^2) left-truncated at
   1 - z_i beta_hat_hat, and re-estimate: (beta**_b, sigma**_b).
7. Percentile intervals from the L2 values, as in Algorithm 1.

Implementation: the L1 x n linear programs of step 3 go through one parallel map of the engine
(:meth:`frontier.problem.Problem.evaluate_many`, score stage only); every random number is drawn in the calling
process from ``numpy.random.default_rng(random_state)`` (uniforms turned into truncated-normal draws by the inverse
CDF), so a seed gives the same numbers whatever ``n_jobs``. The L2 truncated regressions are fitted together by a
vectorised Newton method (Olsen's parametrisation gamma = beta / sigma, tau = 1 / sigma); a replicate whose fit
does not converge is left out of the intervals and counted in the summary, never replaced by a number. Every fit
runs on standardised covariates and the coefficients are mapped back to the data's units, so the results do not
depend on the covariates' units (:class:`_Standardisation`).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import log_ndtr, ndtri_exp

from .._text import format_labels
from ..data import as_column_list, check_engine_options, validate_frame
from ..models import family, resolve_options
from ..options import INTERVALS, METHODS as LP_METHODS, SECOND_STAGE_METHODS
from ..panel import row_ids
from ..problem import Problem
from ..results import SecondStageResult
from ._pipeline import Analysis, progress_bar, public, recorded_call
from .second_stage_methods import RegressionFit, fit_fractional_logit, fit_ols, fit_tobit

# a distance within EFFICIENT_TOL of 1 is the first stage's "efficient": dropped from Algorithm 1's regression
# (LP scores carry noise of about 1e-12; frontier.problem snaps efficient scores to exactly 1)
EFFICIENT_TOL = 1e-9
_LOG_SQRT_2PI = 0.5 * np.log(2.0 * np.pi)
# the table's rows besides the covariates: a covariate may not take one of these names
RESERVED_TERMS = {"const": "the intercept (always included)", "sigma": "the error's standard deviation"}


# ----------------------------------------------------------------------------------------------------
# the truncated-normal regression: likelihood, vectorised Newton fit, draws
# ----------------------------------------------------------------------------------------------------

def truncated_normal_loglik(delta, Z, beta, sigma, lower: float = 1.0) -> float:
    """Log-likelihood of ``delta_i = Z_i beta + eps_i``, eps ~ N(0, sigma^2) left-truncated at ``lower - Z_i beta``.

    Each observation contributes log phi((delta_i - mu_i) / sigma) - log sigma - log Phi((mu_i - lower) / sigma),
    mu_i = Z_i beta: the normal density renormalised by the probability of the region delta >= lower.
    """
    mu = np.asarray(Z, dtype=float) @ np.asarray(beta, dtype=float)
    r = (np.asarray(delta, dtype=float) - mu) / sigma
    return float(np.sum(-_LOG_SQRT_2PI - np.log(sigma) - 0.5 * r * r - log_ndtr((mu - lower) / sigma)))


@dataclass(frozen=True)
class TruncatedFit:
    """Truncated-normal ML estimates of B samples at once: ``beta`` (B x k), ``sigma``, ``loglik`` and
    ``converged`` (B,); NaN where the fit did not converge (e.g. a sample for which the ML estimate does not
    exist: it runs off to sigma -> infinity)."""

    beta: np.ndarray
    sigma: np.ndarray
    loglik: np.ndarray
    converged: np.ndarray


def _olsen_terms(params, D, Z, lower):
    """Log-likelihood, gradient and Hessian in Olsen's parametrisation (gamma = beta/sigma, tau = 1/sigma).

    With a_i = Z_i gamma - lower tau, r_i = tau delta_i - Z_i gamma and the inverse Mills ratio
    lam_i = phi(a_i) / Phi(a_i): loglik = sum(log tau - r^2/2 - log Phi(a)) (constant dropped);
    d/dgamma = Z'(r - lam), d/dtau = m/tau - sum(r delta) + lower sum(lam); w = lam (a + lam) in (0, 1) gives
    the Hessian blocks -Z' diag(1 - w) Z, Z'(delta - lower w) and -m/tau^2 - sum(delta^2) + lower^2 sum(w).
    """
    gamma, tau = params[:, :-1], params[:, -1:]
    zg = gamma @ Z.T
    a = zg - lower * tau
    r = tau * D - zg
    log_phi_a = log_ndtr(a)
    lam = np.exp(-0.5 * a * a - _LOG_SQRT_2PI - log_phi_a)
    m = D.shape[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        loglik = m * np.log(tau[:, 0]) - 0.5 * np.sum(r * r, axis=1) - np.sum(log_phi_a, axis=1)
    w = lam * (a + lam)
    grad = np.concatenate([(r - lam) @ Z, m / tau - np.sum(r * D, axis=1, keepdims=True)
                           + lower * np.sum(lam, axis=1, keepdims=True)], axis=1)
    k = Z.shape[1]
    H = np.empty((len(params), k + 1, k + 1))
    H[:, :k, :k] = -np.einsum("bm,mk,ml->bkl", 1.0 - w, Z, Z)
    H[:, :k, k] = H[:, k, :k] = (D - lower * w) @ Z
    H[:, k, k] = -m / tau[:, 0] ** 2 - np.sum(D * D, axis=1) + lower ** 2 * np.sum(w, axis=1)
    return loglik - m * _LOG_SQRT_2PI, grad, H


def fit_truncated_normal(delta, Z, lower: float = 1.0, *, max_iter: int = 200, tol: float = 1e-14) -> TruncatedFit:
    """Truncated-normal ML of ``delta`` (m,) or (B x m) on the regressors ``Z`` (m x k, intercept included).

    A damped Newton method on the B samples together, from OLS starting values: each step is the Newton step
    (the Hessian shifted to be negative definite where it is not) halved until the likelihood does not fall;
    a sample has converged when its Newton decrement g'(-H)^-1 g is below ``tol``. Samples that do not converge
    in ``max_iter`` steps, or whose sigma runs off to infinity (the ML estimate does not exist), get NaN.
    """
    D = np.atleast_2d(np.asarray(delta, dtype=float))
    Z = np.asarray(Z, dtype=float)
    B, k = D.shape[0], Z.shape[1]
    beta0 = D @ np.linalg.pinv(Z).T                  # OLS starting values, every sample at once
    resid = D - beta0 @ Z.T
    sigma0 = np.sqrt(np.maximum(np.mean(resid * resid, axis=1), 1e-12))
    params = np.concatenate([beta0 / sigma0[:, None], 1.0 / sigma0[:, None]], axis=1)
    converged = np.zeros(B, dtype=bool)
    active = np.flatnonzero(np.isfinite(params).all(axis=1))
    ll, g, H = _olsen_terms(params[active], D[active], Z, lower)
    loglik = np.full(B, np.nan)
    eye = np.eye(k + 1)
    for _ in range(max_iter):
        if active.size == 0:
            break
        top = np.linalg.eigvalsh(H)[:, -1]
        scale = np.abs(np.diagonal(H, axis1=1, axis2=2)).max(axis=1)
        shift = np.where(top > -1e-10 * scale, top + 1e-6 * (1.0 + np.abs(top)), 0.0)
        step = -np.linalg.solve(H - shift[:, None, None] * eye, g[:, :, None])[:, :, 0]
        decrement = np.einsum("bk,bk->b", g, step)
        done = (decrement < tol) & (shift == 0.0)
        converged[active[done]], loglik[active[done]] = True, ll[done]
        keep = ~done
        active, ll, g, H = active[keep], ll[keep], g[keep], H[keep]
        step, decrement, concave = step[keep], decrement[keep], shift[keep] == 0.0
        # backtracking: halve the step of every sample whose likelihood would fall, until none does
        t = np.ones(len(active))
        pending = np.ones(len(active), dtype=bool)
        for _ in range(60):
            idx = np.flatnonzero(pending)
            if idx.size == 0:
                break
            trial = params[active[idx]] + t[idx, None] * step[idx]
            ll_new = np.full(idx.size, -np.inf)
            positive = trial[:, -1] > 0
            terms = _olsen_terms(trial[positive], D[active[idx[positive]]], Z, lower) if positive.any() else None
            if terms is not None:
                ll_new[positive] = terms[0]
            better = np.isfinite(ll_new) & (ll_new >= ll[idx] - 1e-12 * np.abs(ll[idx]))
            if terms is not None:
                up = better[positive]
                rows = idx[positive][up]
                ll[rows], g[rows], H[rows] = terms[0][up], terms[1][up], terms[2][up]
            params[active[idx[better]]] = trial[better]
            pending[idx[better]] = False
            t[idx[~better]] *= 0.5
        # no step raised the likelihood: at its maximum up to rounding if the decrement is already tiny there
        at_max = pending & concave & (decrement < 1e-6)
        converged[active[at_max]], loglik[active[at_max]] = True, ll[at_max]
        moving = ~pending & np.isfinite(params[active]).all(axis=1) & (params[active, -1] > 1e-12)
        active, ll, g, H = active[moving], ll[moving], g[moving], H[moving]
    beta = params[:, :-1] / params[:, -1:]
    sigma = 1.0 / params[:, -1]
    beta[~converged], sigma[~converged] = np.nan, np.nan
    return TruncatedFit(beta, sigma, loglik, converged)


def draw_truncated(mean, sigma, uniforms, lower: float = 1.0) -> np.ndarray:
    """``mean + eps`` with eps ~ N(0, sigma^2) left-truncated at ``lower - mean``, from uniforms in [0, 1).

    Inverse CDF on the upper tail, in logs so that a truncation point far in the tail is still exact:
    with b = (lower - mean) / sigma, eps / sigma = -Phi^-1(u Phi(-b)) lies in [b, inf).
    """
    b = (lower - np.asarray(mean, dtype=float)) / sigma
    u = np.clip(np.asarray(uniforms, dtype=float), np.finfo(float).tiny, 1.0)
    eps = -ndtri_exp(np.log(u) + log_ndtr(-b)) * sigma
    return np.maximum(mean + eps, lower)


# ----------------------------------------------------------------------------------------------------
# second_stage(): input checks, the two algorithms
# ----------------------------------------------------------------------------------------------------

def _first_stage(scores_or_result):
    """(scores Series, specification or None, where they come from) of the first argument.

    An :class:`~frontier.EfficiencyResult`, anything with a specification (``.spec`` or ``.specification``) and a
    ``to_frame()`` holding a ``score`` column (a bootstrap result: its original, not bias-corrected, scores), or a
    Series of scores.
    """
    if isinstance(scores_or_result, pd.Series):
        return scores_or_result, None, "scores given as a Series"
    spec = getattr(scores_or_result, "spec", None)
    if spec is None:
        spec = getattr(scores_or_result, "specification", None)
    scores = getattr(scores_or_result, "scores", None)
    if spec is not None and not isinstance(scores, pd.Series) and hasattr(scores_or_result, "to_frame"):
        frame = scores_or_result.to_frame()
        scores = frame["score"] if "score" in frame.columns else None
    if spec is None or not isinstance(scores, pd.Series):
        raise ValueError("the first argument must be an EfficiencyResult of a radial model, a bootstrap result, or "
                         f"a pandas Series of scores aligned to data.index; got {type(scores_or_result).__name__}")
    return scores, spec, spec.get("description") or spec.get("model")


def _checked_scores(scores: pd.Series) -> np.ndarray:
    """The scores' values, refused where missing (a failed LP), infinite or not positive."""
    values = scores.to_numpy(dtype=float)
    missing = ~np.isfinite(values)
    if missing.any():
        raise ValueError(f"scores are missing (NaN: a failed LP) or infinite for rows {format_labels(scores.index[missing])}; "
                         "drop those DMUs from the scores and the data first")
    if (values <= 0).any():
        raise ValueError(f"scores must be positive; rows {format_labels(scores.index[values <= 0])} are not")
    return values


def _distances(scores: pd.Series, spec) -> tuple[np.ndarray, str | None]:
    """delta >= 1 from the scores: 1/theta (input), phi (output); a Series is read by its range."""
    values = _checked_scores(scores)
    if spec is not None:
        if spec.get("model") != "radial":
            raise ValueError(f"second_stage needs radial (Farrell/Shephard) distances, the ones Simar & Wilson (2007) "
                             f"establish the method for; this result is of model {spec.get('model')!r}. To regress "
                             "other scores anyway, pass them as a Series (algorithm 1 only) and say so in the write-up, "
                             "or use method='tobit', 'fractional' or 'ols', which take any efficiency score")
        orientation = spec.get("orientation")
        return (1.0 / values if orientation == "input" else values), orientation
    if (values <= 1 + EFFICIENT_TOL).all():
        return 1.0 / values, None          # Farrell input efficiency theta (or a Shephard output distance)
    if (values >= 1 - EFFICIENT_TOL).all():
        return values, None                # Farrell output measure phi (or a Shephard input distance)
    raise ValueError("scores mix values below and above 1: give Farrell input efficiencies theta <= 1 (or Shephard "
                     "output distances) or distances >= 1 (Farrell output phi, Shephard input 1/theta), not both; "
                     f"e.g. rows {format_labels(scores.index[values < 1][:3])} are below 1 and "
                     f"{format_labels(scores.index[values > 1][:3])} above")


def _covariate_matrix(data: pd.DataFrame, index: pd.Index, covariates) -> tuple[np.ndarray, list[str]]:
    """[1, Z] for the DMUs of ``index``, checked: known numeric columns, finite values, not constant."""
    if isinstance(covariates, str):
        covariates = [covariates]
    covariates = list(covariates) if covariates is not None else []
    if not covariates:
        raise ValueError("covariates must name at least one column of data, e.g. covariates=['size', 'public']")
    for name, row in RESERVED_TERMS.items():
        if name in covariates:
            raise ValueError(f"{name!r} names the table's row of {row}; rename that covariate")
    dup = sorted({c for c in covariates if covariates.count(c) > 1})
    if dup:
        raise ValueError(f"covariates named twice: {dup}")
    missing = [c for c in covariates if c not in data.columns]
    if missing:
        raise ValueError(f"covariate column(s) {missing} not found in data; available columns: {list(data.columns)}")
    frame = data.loc[index, covariates]
    columns = []
    for col in covariates:
        series = frame[col]
        if pd.api.types.is_bool_dtype(series):
            series = series.astype(float)
        if not pd.api.types.is_numeric_dtype(series):
            raise ValueError(f"covariate {col!r} is not numeric (dtype {series.dtype}); code categories as 0/1 "
                             "dummies")
        values = series.to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(f"covariate {col!r} has missing or infinite values in rows {format_labels(index[bad])}")
        columns.append(values)
    return np.column_stack([np.ones(len(index))] + columns), covariates


@dataclass(frozen=True)
class _Standardisation:
    """The covariates centred and scaled, ``(z - centre) / scale`` column by column, for the fit.

    The truncated-normal ML is the same model in any units of the covariates (z_new = a z + b only rescales the slope
    and moves the intercept), but the Newton fit and the rank check are not: a covariate in the thousands (a year) or
    at 1e14 makes [1, Z] so ill-conditioned that the fit stalls or the intercept looks collinear. So every fit runs
    on standardised covariates (coefficients ``gamma``) and the results are mapped back to the data's units by
    :meth:`to_original`, which is linear: each bootstrap replicate maps the same way, and so do the standard errors
    and intervals taken from them.
    """

    centre: np.ndarray      # per covariate (the intercept column excluded)
    scale: np.ndarray

    @classmethod
    def of(cls, Z: np.ndarray) -> _Standardisation:
        """Mean and standard deviation of the covariates of ``Z = [1, covariates]`` (:func:`_check_rank` refuses a
        constant one before any standardisation is applied)."""
        covariates = Z[:, 1:]
        return cls(covariates.mean(axis=0), covariates.std(axis=0))

    def apply(self, Z: np.ndarray) -> np.ndarray:
        """[1, (covariates - centre) / scale]: the same linear predictor with coefficients gamma."""
        return np.column_stack([Z[:, 0], (Z[:, 1:] - self.centre) / self.scale])

    def to_original(self, gamma: np.ndarray) -> np.ndarray:
        """Coefficients (rows of ``gamma``: intercept, covariates) in the data's units:
        beta_j = gamma_j / scale_j, beta_0 = gamma_0 - sum_j gamma_j centre_j / scale_j."""
        gamma = np.atleast_2d(gamma)
        slopes = gamma[:, 1:] / self.scale
        return np.column_stack([gamma[:, 0] - slopes @ self.centre, slopes])


def _check_rank(Z: np.ndarray, names: list[str], labels: pd.Index, what: str) -> None:
    """Raise for too few DMUs, a covariate constant over the regression's DMUs or a linear combination of the others.

    ``Z`` is [1, covariates] in the data's units. Collinearity is judged on the standardised scale, where it does not
    depend on the covariates' units (a raw rank test calls a year, or a covariate in units of 1e14, "collinear with
    the intercept"): covariate j is refused when its least-squares residual on the intercept and the covariates before
    it is within rounding of zero. Its values carry an absolute error of about eps * max|z_j|, which is
    eps * R_j on the standardised scale (R_j = max|z_j| / std(z_j), the same in any unit of z_j but large for values
    far from 0 relative to their spread); the residual is refused below max(m, k) * eps * (R_j + sum_k |g_k| R_k),
    g_k the standardised coefficients of the earlier covariates: numpy's matrix_rank tolerance applied to the
    precision the values actually have.
    """
    m, k = Z.shape
    if m <= k:
        raise ValueError(f"{m} DMUs {what} for {k} coefficients and sigma: too few to estimate")
    standardisation = _Standardisation.of(Z)
    for j, name in enumerate(names, start=1):
        if np.ptp(Z[:, j]) == 0 or standardisation.scale[j - 1] == 0:       # the latter: a spread that underflows
            raise ValueError(f"covariate {name!r} is constant ({Z[0, j]:g}) over the {len(labels)} DMUs {what}; "
                             "it cannot be told apart from the intercept")
    standardised = standardisation.apply(Z)
    magnitude = np.abs(Z[:, 1:]).max(axis=0) / standardisation.scale        # R_j
    for j in range(1, k):
        earlier = standardised[:, :j]
        coefficients = np.linalg.lstsq(earlier, standardised[:, j], rcond=None)[0]
        residual = np.sqrt(np.mean((standardised[:, j] - earlier @ coefficients) ** 2))   # of a column of rms 1
        precision = max(m, k) * np.finfo(float).eps * (magnitude[j - 1] + np.abs(coefficients[1:]) @ magnitude[:j - 1])
        if residual <= precision:
            others = f"the intercept and {names[:j - 1]}" if j > 1 else "the intercept"
            raise ValueError(f"covariate {names[j - 1]!r} is a linear combination of {others} over the "
                             f"{len(labels)} DMUs {what} (collinear, to the precision of its values); drop one of them")


def _whole(value, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"{name} must be a whole number >= {minimum}, got {value!r}")
    return int(value)


def _fit_or_raise(delta, Z, what: str) -> TruncatedFit:
    fit = fit_truncated_normal(delta, Z)
    if not fit.converged[0]:
        raise ValueError(f"the truncated-normal ML on {what} did not converge (the likelihood has no maximum for "
                         "these data: sigma runs off to infinity); check the scores (their spread in the tail)")
    return fit


def _bootstrap_coefficients(beta, sigma, Z, uniforms) -> TruncatedFit:
    """Steps 3 (Algorithm 1) and 6 (Algorithm 2): refit the truncated regression on parametric draws."""
    return fit_truncated_normal(draw_truncated(Z @ beta, sigma, uniforms), Z)


SECOND_STAGE = Analysis("second_stage", roles=("covariates", "id"), result=SecondStageResult, serves=None)


@public(SECOND_STAGE)
def second_stage(scores_or_result, data: pd.DataFrame, covariates, *, id=None, method: str = "sw2007",
                 algorithm: int = 1, L1: int = 100, L2: int = 2000, alpha: float = 0.05, interval: str = "percentile",
                 random_state=None, n_jobs: int = 1, lp_method: str = "auto", chunk_size: int | None = None,
                 progress: bool | None = None) -> SecondStageResult:
    """Regress DEA scores on covariates: Simar & Wilson's (2007) truncated-normal ML with bootstrap intervals (the
    default), or a Tobit, a fractional logit or OLS with robust standard errors.

    ``method="sw2007"`` (default): delta_i = z_i beta + eps_i >= 1, eps ~ N(0, sigma^2) left-truncated at
    1 - z_i beta, delta the radial distance (input orientation 1/theta, output orientation phi). **A positive
    coefficient raises the distance, i.e. lowers efficiency.** The algorithms step by step are in this module's
    docstring. The other methods regress the score in the first stage's own convention (docs/second-stage.md; their
    formulas are in :mod:`frontier.analyses.second_stage_methods`):

    - ``"tobit"``: the score censored at 1, above for an efficiency in (0, 1] (theta, SBM), below for a distance
      >= 1 (the radial output phi); a DMU at 1 is censored. Sandwich standard errors.
    - ``"fractional"``: Papke & Wooldridge's (1996) fractional logit of the efficiency in (0, 1] (the radial output
      phi enters as 1/phi); coefficients on the logit index; sandwich standard errors.
    - ``"ols"``: the score as given, HC1 standard errors, t on n - k degrees of freedom.

    These take the scores of any model whose score is an efficiency (1 = efficient: radial, SBM, EBM, ...), and
    every DMU (none is dropped); a positive coefficient raises the score, which is higher efficiency for an
    efficiency in (0, 1] and lower efficiency for phi.

    Parameters
    ----------
    scores_or_result : an :class:`~frontier.EfficiencyResult` of ``model="radial"`` (any orientation and returns to
        scale), a bootstrap result (its original scores are used), or a Series of scores aligned to ``data.index``
        (Algorithm 1 only): values <= 1 are read as Farrell input efficiencies theta (delta = 1/theta; a Shephard
        output distance reads the same), values >= 1 as distances (Farrell output phi).
    data : the DataFrame the first stage was computed from (Algorithm 2 re-estimates the DEA from its inputs and
        outputs); it holds the covariates. Rows are matched on the scores' index.
    covariates : column name(s) of data; an intercept ``const`` is always added.
    id : column(s) (or index levels) of data identifying the DMUs: they lead the exported distances table, so it
        merges back onto the data (as :func:`frontier.efficiency`'s ``id``).
    method : ``"sw2007"`` (default), ``"tobit"``, ``"fractional"`` or ``"ols"`` (above). ``algorithm``, ``L1``,
        ``L2``, ``interval``, ``random_state`` and the engine's options belong to ``"sw2007"``.
    algorithm : 1 (ML on the DMUs with delta > 1 and a parametric bootstrap) or 2 (bias-correct the distances with
        L1 replicates of the DEA first; needs the first stage's model, and a cross-section scored against all rows).
    L1, L2 : replicates of the bias correction (Algorithm 2) and of the parametric bootstrap of the coefficients.
    alpha : 1 - the intervals' level.
    interval : ``"percentile"`` (default; the alpha/2 and 1 - alpha/2 quantiles of the bootstrap coefficients) or
        ``"basic"`` (those quantiles reflected about the estimate, 2 beta_hat - q, the form SW 2007 write out).
    random_state : seed (int), numpy Generator or None. A seed gives the same numbers whatever ``n_jobs``.
    n_jobs, lp_method, chunk_size, progress : the engine's options for Algorithm 2's L1 x n LPs (see
        :func:`frontier.efficiency`, where ``lp_method`` is called ``method``).

    Returns
    -------
    SecondStageResult : ``.table()``, ``.summary()``, ``.replicates``, ``to_csv`` / ``to_excel``.
    """
    if method not in SECOND_STAGE_METHODS:
        hint = (f"; {method!r} is an LP strategy of the engine, which second_stage calls lp_method"
                if method in LP_METHODS else "")
        raise ValueError(f"method must be one of {SECOND_STAGE_METHODS}, got {method!r}{hint}")
    if algorithm not in (1, 2) or isinstance(algorithm, (bool, np.bool_)):
        raise ValueError(f"algorithm must be 1 or 2 (Simar & Wilson 2007), got {algorithm!r}")
    if algorithm == 2 and method != "sw2007":
        raise ValueError(f"algorithm=2 is Simar & Wilson's (2007) bias correction, part of method='sw2007'; "
                         f"method={method!r} regresses the first stage's scores as they are")
    L2 = _whole(L2, "L2", 1)
    L1 = _whole(L1, "L1", 1) if algorithm == 2 else None
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, (int, float, np.integer, np.floating)) \
            or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1), e.g. 0.05 for 95% intervals, got {alpha!r}")
    if interval not in INTERVALS:
        raise ValueError(f"interval must be one of {INTERVALS}, got {interval!r}")
    if method == "sw2007" and L2 * alpha / 2 < 1:
        raise ValueError(f"L2 = {L2} replicates cannot give the alpha/2 = {alpha / 2:g} tails of a percentile "
                         f"interval; use L2 >= {int(np.ceil(2 / alpha))} (Simar & Wilson use 2000)")
    check_engine_options(n_jobs, chunk_size)
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    scores, spec, first_stage = _first_stage(scores_or_result)
    if scores.index.has_duplicates:
        raise ValueError(f"the scores' index has duplicate labels {format_labels(scores.index[scores.index.duplicated()])}")
    absent = scores.index.difference(data.index)
    if len(absent):
        raise ValueError(f"data has no rows for the scores' DMUs {format_labels(absent)}; pass the data the scores are from")
    if data.index.has_duplicates:
        raise ValueError(f"data's index has duplicate labels {format_labels(data.index[data.index.duplicated()])}")
    if method != "sw2007":
        return _regression(method, scores, spec, first_stage, data, covariates, id, float(alpha))
    if algorithm == 2:
        _check_replicable(spec)
    delta, orientation = _distances(scores, spec)
    index = scores.index
    covariate_values, names = _covariate_matrix(data, index, covariates)
    ids = row_ids(data.loc[index], as_column_list(id, "id"), None)
    rng = np.random.default_rng(random_state)
    used = delta > 1 + EFFICIENT_TOL
    _check_rank(covariate_values[used], names, index[used], "with delta > 1 (the estimated-efficient ones are dropped)")
    standardisation = _Standardisation.of(covariate_values)
    Z = standardisation.apply(covariate_values)   # every fit and draw on this scale; coefficients mapped back at the end
    fit = _fit_or_raise(delta[used], Z[used], "the DMUs with delta > 1")
    bias_corrected, n_failed_lps = None, 0
    if algorithm == 2:
        bias_corrected, n_failed_lps = _bias_corrected(delta, fit, Z, data.loc[index], spec, L1, rng, n_jobs=n_jobs,
                                                       method=lp_method, chunk_size=chunk_size, progress=progress,
                                                       observed=getattr(scores_or_result, "observed", None))
        used = bias_corrected > 1 + EFFICIENT_TOL
        _check_rank(covariate_values[used], names, index[used], "with a bias-corrected delta > 1")
        fit = _fit_or_raise(bias_corrected[used], Z[used], "the bias-corrected distances")
    gamma, sigma = fit.beta[0], float(fit.sigma[0])
    boot = _bootstrap_coefficients(gamma, sigma, Z[used], rng.random((L2, int(used.sum()))))
    beta = standardisation.to_original(gamma)[0]
    labels = ["const"] + names
    replicates = pd.DataFrame(np.column_stack([standardisation.to_original(boot.beta), boot.sigma]),
                              columns=labels + ["sigma"])
    replicates.index.name = "replicate"
    return SecondStageResult(
        coefficients=pd.Series(beta, index=labels, name="coefficient"), sigma=sigma, replicates=replicates,
        delta=pd.Series(delta, index=index, name="delta"),
        delta_bias_corrected=None if bias_corrected is None else pd.Series(bias_corrected, index=index,
                                                                           name="delta_bias_corrected"),
        used=pd.Series(used, index=index, name="used"), algorithm=algorithm, L1=L1, L2=L2, alpha=float(alpha),
        orientation=orientation, first_stage=str(first_stage), loglik=float(fit.loglik[0]),
        n_failed_lps=n_failed_lps, interval=interval, ids=ids, call=recorded_call(),
        pooled_frontiers=_pooled_frontiers(spec, getattr(scores_or_result, "periods", None), index))


# a fitted logit index beyond this (|index| > 35: the mean within 1e-15 of 0 or 1) is a quasi-ML estimate running off
# to infinity, not a maximum
_SEPARATED_INDEX = 35.0


@dataclass(frozen=True)
class _Dependent:
    """The dependent variable of a Tobit, fractional or OLS second stage: ``values`` (one per DMU), what it is
    (``label``), the side a Tobit censors at 1 (``"above"`` for an efficiency in (0, 1], ``"below"`` for a distance
    >= 1; None when the scores cross 1) and the sign convention of its coefficients."""

    values: pd.Series
    label: str
    side: str | None
    sign: str


def _dependent(scores: pd.Series, spec, method: str) -> _Dependent:
    """The scores in the first stage's convention (``method`` "tobit", "ols"), or as an efficiency in (0, 1]
    ("fractional": the radial output phi enters as 1/phi); refused where the method needs a side of 1 they cross."""
    if spec is not None:
        model = spec.get("model")
        try:
            model_family = family(model)
        except ValueError:
            model_family = None
        if model_family is None or model_family.score_kind != "efficiency":
            raise ValueError(f"method={method!r} regresses an efficiency score (1 = efficient); model {model!r} "
                             "scores something else (an inefficiency, 0 = efficient, for the directional models). "
                             "Pass the scores as a Series (e.g. 1 / (1 + beta)) and say so in the write-up")
    values = _checked_scores(scores)
    if spec is not None:
        expansion = spec.get("orientation") in model_family.output_expansion
    elif (values <= 1 + EFFICIENT_TOL).all():
        expansion = False
    elif (values >= 1 - EFFICIENT_TOL).all():
        expansion = True
    else:
        expansion = None                     # a Series crossing 1 (super-efficiency scores): OLS only
    # the rows on the wrong side of 1 (a Series crossing 1: those above it, while the others are below)
    beyond = (values < 1 - EFFICIENT_TOL) if expansion else (values > 1 + EFFICIENT_TOL)
    if method != "ols" and beyond.any():
        side = "below 1" if expansion else "above 1 (super-efficiency scores?)" if expansion is False else \
            "above 1 while the others are below"
        raise ValueError(f"method={method!r} needs scores on one side of 1 (an efficiency in (0, 1] or a distance "
                         f">= 1); rows {format_labels(scores.index[beyond])} are {side}. Use the ordinary (not "
                         "super-efficiency) scores, or method='ols'")
    if method == "fractional":
        efficiency = pd.Series(1.0 / values if expansion else values, index=scores.index, name="efficiency")
        label = "1/phi, the output efficiency in (0, 1]" if expansion else "the efficiency score in (0, 1]"
        return _Dependent(efficiency, label, None,
                          "dependent variable: the efficiency in (0, 1] (1 = efficient), E[y|z] = logistic(z b); a "
                          "positive coefficient RAISES efficiency (coefficients on the logit index)")
    if expansion:
        return _Dependent(pd.Series(values, index=scores.index, name="score"),
                          "phi, the Farrell output measure >= 1 (1 = efficient)", "below",
                          "dependent variable: the score phi >= 1 (output); a positive coefficient raises phi, "
                          "i.e. LOWERS efficiency; a negative one raises efficiency")
    if expansion is None:
        return _Dependent(pd.Series(values, index=scores.index, name="score"), "the scores as given", None,
                          "dependent variable: the scores as given; a positive coefficient raises the score")
    return _Dependent(pd.Series(values, index=scores.index, name="score"),
                      "the efficiency score in (0, 1] (1 = efficient)", "above",
                      "dependent variable: the efficiency score in (0, 1]; a positive coefficient RAISES efficiency")


def _regression(method, scores, spec, first_stage, data, covariates, id, alpha) -> SecondStageResult:
    """``method`` "tobit", "fractional" or "ols": every DMU's score regressed on the covariates, robust standard
    errors (:mod:`frontier.analyses.second_stage_methods`). Fitted on standardised covariates, as the truncated
    regression, and mapped back with the covariance (beta = gamma M, Cov(beta) = M' Cov(gamma) M)."""
    dependent = _dependent(scores, spec, method)
    index = scores.index
    covariate_values, names = _covariate_matrix(data, index, covariates)
    ids = row_ids(data.loc[index], as_column_list(id, "id"), None)
    _check_rank(covariate_values, names, index, "in the regression")
    standardisation = _Standardisation.of(covariate_values)
    Z = standardisation.apply(covariate_values)
    y = dependent.values.to_numpy(dtype=float)
    censored = None
    if method == "tobit":
        censored = np.abs(y - 1.0) <= EFFICIENT_TOL          # the efficient DMUs (LP noise of ~1e-12 snapped to 1)
        y = np.where(censored, 1.0, y)
        if (~censored).sum() <= Z.shape[1]:
            raise ValueError(f"{int((~censored).sum())} DMUs with a score other than 1 for {Z.shape[1]} "
                             "coefficients: too few uncensored observations for a Tobit")
        fit = fit_tobit(y, Z, 1.0, dependent.side)
    elif method == "fractional":
        fit = fit_fractional_logit(y, Z)
        if fit.converged and np.abs(Z @ fit.params).max() > _SEPARATED_INDEX:
            fit = RegressionFit(fit.params * np.nan, fit.covariance * np.nan, None, False)
    else:
        fit = fit_ols(y, Z)
    if not fit.converged:
        raise ValueError(f"the {method} fit did not converge: its (quasi-)likelihood has no finite maximum for "
                         "these data (e.g. the efficient DMUs are separated by the covariates); check the scores")
    k = Z.shape[1]
    transform = np.eye(len(fit.params))
    transform[:k, :k] = standardisation.to_original(np.eye(k))
    params = fit.params @ transform
    labels = ["const"] + names
    rows = labels + (["sigma"] if method == "tobit" else [])
    covariance = pd.DataFrame(transform.T @ fit.covariance @ transform, index=rows, columns=rows)
    return SecondStageResult(
        coefficients=pd.Series(params[:k], index=labels, name="coefficient"),
        sigma=float(params[k]) if method == "tobit" else None, replicates=None, delta=None,
        delta_bias_corrected=None, used=pd.Series(True, index=index, name="used"), algorithm=None, L1=None, L2=None,
        alpha=alpha, orientation=spec.get("orientation") if spec is not None else None,
        first_stage=str(first_stage), loglik=fit.loglik, ids=ids, call=recorded_call(), method=method,
        covariance=covariance, df_resid=fit.df_resid, dependent=dependent.values, dependent_label=dependent.label,
        sign_convention=dependent.sign,
        censored=None if censored is None else pd.Series(censored, index=index, name="censored"),
        censoring=None if censored is None else f"{dependent.side} at 1")


def _pooled_frontiers(spec, periods, index: pd.Index) -> str | None:
    """What the summary says when the first stage scored the DMUs against one frontier per period (``period=`` with a
    contemporaneous, sequential or window technology) and Algorithm 1 pools those scores in one regression; None for
    one frontier (a cross-section, or ``technology="global"``) or scores given as a Series (nothing is known)."""
    if spec is None or spec.get("period") is None or spec.get("technology") == "global" or periods is None:
        return None
    count = pd.Series(periods).reindex(index).nunique()
    if count < 2:
        return None
    return (f"the distances pool scores measured against {count} frontiers, one per {spec.get('period')} "
            f"(technology {spec.get('technology')!r}): each DMU's distance is to its own period's frontier, while "
            "Simar & Wilson's (2007) model has one frontier; add period dummies as covariates, or score against one "
            "frontier (technology='global'), and say which in the write-up")


def _check_replicable(spec) -> None:
    """Raise unless Algorithm 2 can re-estimate this first stage: one radial frontier of inputs and desirable
    outputs from all rows, ordinary (not super-efficiency) distances."""
    if spec is None:
        raise ValueError("algorithm=2 re-estimates the DEA from the data, so it needs the first stage's model: "
                         "pass the EfficiencyResult (or bootstrap result), not a Series of scores")
    if spec.get("model") != "radial":
        raise ValueError(f"algorithm=2 replicates a radial DEA (Simar & Wilson 2007); this first stage is model "
                         f"{spec.get('model')!r}, for which no such bootstrap is established")
    if spec.get("bad_outputs"):
        raise ValueError("algorithm=2 covers inputs and desirable outputs (Simar & Wilson 2007); this first stage "
                         f"has bad outputs {list(spec.get('bad_outputs'))}")
    if spec.get("super_efficiency"):
        raise ValueError("algorithm=2 needs the distances delta >= 1 of the ordinary (not super-efficiency) model; "
                         "score the first stage with super_efficiency=False")
    if spec.get("period") is not None or spec.get("reference") not in (None, "all rows"):
        where = f"per-period frontiers (period={spec.get('period')!r})" if spec.get("period") is not None \
            else f"a reference subset ({spec.get('reference')})"
        raise ValueError(f"algorithm=2 re-estimates one frontier from all rows; this first stage used {where}. "
                         "Run the first stage on the cross-section alone, or use algorithm=1")


def _bias_corrected(delta, fit, Z, data, spec, L1, rng, *, n_jobs, method, chunk_size, progress, observed):
    """Algorithm 2, steps 3-4: the bias-corrected distances from L1 parametric replicates of the DEA.

    Every replicate is one (original points, pseudo reference set) request of a single parallel map; the
    truncated-normal draws for all of them are made here, before any LP is solved.
    """
    inputs, outputs = list(spec.get("inputs")), list(spec.get("outputs"))
    dea = validate_frame(data, inputs, outputs)
    if observed is not None:
        given = observed[inputs + outputs].reindex(data.index).to_numpy(dtype=float)
        differ = ~np.isclose(given, dea.matrix, rtol=1e-12, atol=0.0).all(axis=1)
        if differ.any():
            raise ValueError(f"data's inputs/outputs differ from those the first stage was computed from, in rows "
                             f"{format_labels(data.index[differ])}; pass the same data")
    problem = Problem(dea, resolve_options("radial", orientation=spec.get("orientation"), rts=spec.get("rts")))
    n = len(delta)
    star = draw_truncated(Z @ fit.beta[0], float(fit.sigma[0]), rng.random((L1, n)))   # L1 x n: delta*
    ratio = star / delta
    X, Y = dea.X, dea.Y
    requests = []
    for b in range(L1):
        pseudo = np.hstack([X * ratio[b, :, None], Y]) if spec.get("orientation") == "input" else \
            np.hstack([X, Y / ratio[b, :, None]])
        requests.append((np.arange(n), pseudo))
    with progress_bar(progress, L1 * n) as advance:
        evaluations = problem.evaluate_many(requests, detail=False, n_jobs=n_jobs, method=method, chunk_size=chunk_size,
                                            progress=advance)
    scores = np.vstack([ev.score for ev in evaluations])
    replicated = 1.0 / scores if spec.get("orientation") == "input" else scores
    failed = ~np.isfinite(replicated)
    none = failed.all(axis=0)
    if none.any():
        raise ValueError(f"every bootstrap LP failed for rows {format_labels(data.index[none])} (statuses "
                         f"{sorted(set(evaluations[0].status[none].astype(str)))}); no bias can be estimated")
    bias = np.nanmean(replicated, axis=0) - delta
    return delta - bias, int(failed.sum())
