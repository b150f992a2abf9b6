"""``SecondStageResult``: the regression of :func:`frontier.second_stage` (Simar & Wilson's 2007 truncated
regression, or a Tobit, fractional logit or OLS), its regression table (one layout for every method), summary and
export."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


from .. import io
from .base import FileExports, Summary, SummaryViews, export_header, row_line

SIGN_CONVENTION = ("dependent variable: the distance delta >= 1 (input: 1/theta; output: phi); a positive "
                   "coefficient raises the distance, i.e. LOWERS efficiency; a negative one raises efficiency")
#: significance stars by two-sided p-value, the most stars first (the levels of Stata's estout/outreg2 tables in
#: economics: *** p < 0.01, ** p < 0.05, * p < 0.1)
STARS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))
STAR_LEVELS = ", ".join(f"{mark} p < {level:g}" for level, mark in STARS)
STARS_NOTE = STAR_LEVELS + "; p = P>|z|, two-sided, z = coefficient / bootstrap standard error against the standard normal"
#: the regression table's columns as Stata prints them (the summary's header)
STATA_HEADERS = {"coefficient": "Coef.", "std_error": "Bootstrap Std. Err.", "z": "z", "p_value": "P>|z|",
                 "lower": "lower", "upper": "upper", "stars": ""}
#: what the robust standard errors of the methods besides sw2007 are (the footnote and the files)
ROBUST_ERRORS = {"tobit": "sandwich (robust) standard error, times n/(n-1) as Stata's vce(robust)",
                 "fractional": "sandwich (robust) standard error, times n/(n-1) as Stata's fracreg",
                 "ols": "HC1 robust standard error, as Stata's regress, vce(robust)"}


def stars(p_value: float) -> str:
    """The significance stars of a two-sided p-value (:data:`STARS`); none for NaN."""
    return next((mark for level, mark in STARS if p_value < level), "")


@dataclass(frozen=True)
class SecondStageResult(SummaryViews, FileExports):
    """The outcome of :func:`second_stage`: ``method="sw2007"``, a truncated-normal regression of the distance
    delta >= 1 on covariates with bootstrap inference; ``"tobit"``, ``"fractional"``, ``"ols"``, a regression of the
    scores with robust standard errors. The SW-only attributes (replicates, delta, algorithm, L1, L2) are None for the
    others, and the others' (covariance, dependent, ...) None for sw2007.

    Attributes
    ----------
    coefficients : Series, the estimates (``const`` and one per covariate): SW on the regression's distances
        (Algorithm 1: the first stage's delta_hat > 1; Algorithm 2: the bias-corrected delta_hat_hat).
    sigma : float, the ML estimate of the error's standard deviation (SW: before truncation; Tobit: of the latent
        variable); None for fractional and OLS.
    replicates : DataFrame (L2 rows), the bootstrap estimates of the coefficients and ``sigma`` (NaN where the fit of
        a replicate did not converge; those are left out of the intervals).
    delta : Series, the first stage's distance delta_hat of every DMU (input: 1/theta; output: phi).
    delta_bias_corrected : Series, Algorithm 2's bias-corrected delta_hat_hat (NaN-free), else None.
    used : Series of bool, the DMUs in the regression (Algorithm 1: delta_hat > 1).
    algorithm, L1, L2, alpha, interval : as called (``L1`` None for Algorithm 1).
    orientation : ``"input"``, ``"output"`` or None (scores given as a Series).
    first_stage : what the distances come from (the model's description, or how a Series was read).
    loglik : float, the maximised log-likelihood (fractional: the Bernoulli quasi-log-likelihood; OLS: None).
    n_failed_lps : int, first-stage bootstrap LPs (Algorithm 2) that failed (left out of the bias).
    ids : DataFrame of the ``id`` columns (``second_stage(..., id=...)``), indexed like ``delta``, else None.
    call : the call as made (:class:`frontier.results.base.Call`; ``str(call)`` reproduces the result), or None.
    pooled_frontiers : where the first stage scored the DMUs against several frontiers (one per period), what the
        summary says about it; else None.
    method : ``"sw2007"``, ``"tobit"``, ``"fractional"`` or ``"ols"``.
    covariance : DataFrame, the robust covariance of the estimates (and sigma for Tobit); None for sw2007.
    df_resid : int, OLS's n - k (t distribution); None for the others (standard normal).
    dependent : Series, the regressed score of every DMU (tobit, fractional, ols); ``dependent_label`` what it is,
        ``sign_convention`` how its coefficients read.
    censored : Series of bool, Tobit's DMUs at 1 (censored ``censoring``: "above at 1" or "below at 1").
    """

    coefficients: pd.Series
    sigma: float
    replicates: pd.DataFrame
    delta: pd.Series
    delta_bias_corrected: pd.Series | None
    used: pd.Series
    algorithm: int
    L1: int | None
    L2: int
    alpha: float
    orientation: str | None
    first_stage: str
    loglik: float
    n_failed_lps: int = 0
    interval: str = "percentile"
    ids: pd.DataFrame | None = None
    call: object = None
    pooled_frontiers: str | None = None
    method: str = "sw2007"
    covariance: pd.DataFrame | None = None
    df_resid: int | None = None
    dependent: pd.Series | None = None
    dependent_label: str | None = None
    sign_convention: str = SIGN_CONVENTION
    censored: pd.Series | None = None
    censoring: str | None = None

    @property
    def n(self) -> int:
        """DMUs given."""
        return len(self.used)

    @property
    def n_used(self) -> int:
        """DMUs in the truncated regression."""
        return int(self.used.sum())

    @property
    def n_dropped(self) -> int:
        """DMUs left out of the regression as efficient (distance 1)."""
        return self.n - self.n_used

    @property
    def n_failed_replicates(self) -> int:
        """Bootstrap replicates whose truncated regression did not converge (left out of the intervals)."""
        return 0 if self.replicates is None else int(self.replicates.isna().any(axis=1).sum())

    @property
    def statistic(self) -> str:
        """The test statistic's name: ``"t"`` for OLS (t on n - k degrees of freedom, as Stata's regress), else
        ``"z"`` (standard normal)."""
        return "t" if self.df_resid is not None else "z"

    def _stars_note(self) -> str:
        if self.method == "sw2007":
            return STARS_NOTE
        reference = f"the t distribution with {self.df_resid} degrees of freedom" if self.df_resid is not None \
            else "the standard normal"
        return (f"{STAR_LEVELS}; p = P>|{self.statistic}|, two-sided, {self.statistic} = coefficient / robust "
                f"standard error against {reference}")

    def _interval_note(self) -> str:
        level = f"{1 - self.alpha:.0%}"
        return f"{level} {self.interval} bootstrap" if self.method == "sw2007" else \
            f"{level} Wald (coefficient +- {'t' if self.df_resid is not None else 'z'} quantile x robust std. err.)"

    def table(self) -> pd.DataFrame:
        """The regression table as Stata users read it: one row per coefficient (``const``, covariates) and ``sigma``.

        Columns ``coefficient`` (ML estimate), ``std_error`` (standard deviation of the bootstrap estimates), ``z``
        (coefficient / std_error) and ``p_value`` (P>|z|, two-sided, against the standard normal, as Stata's
        bootstrap tables), ``lower`` and ``upper`` (the ``interval`` -- percentile or basic -- bootstrap interval at
        level 1 - alpha, Simar & Wilson's inference), ``significant`` (that interval excludes 0) and ``stars``
        (:data:`STARS` by ``p_value``: *** p < 0.01, ** p < 0.05, * p < 0.1). z, p, significance and stars are not
        defined for sigma. The sign convention is in ``.attrs["sign_convention"]``, the star levels in
        ``.attrs["stars"]``.
        """
        if self.method != "sw2007":
            return self._robust_table()
        estimates = pd.concat([self.coefficients, pd.Series({"sigma": self.sigma})])
        draws = self.replicates[list(estimates.index)]
        ok = draws.dropna()
        q = ok.quantile([self.alpha / 2, 1 - self.alpha / 2]).T if len(ok) else \
            pd.DataFrame(np.nan, index=estimates.index, columns=[0, 1])
        lower, upper = q.iloc[:, 0], q.iloc[:, 1]
        if self.interval == "basic":
            lower, upper = 2 * estimates - upper, 2 * estimates - lower
        std_error = ok.std(ddof=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (estimates / std_error).where(estimates.index != "sigma")
        from scipy.special import ndtr     # here, not at import: scipy.special costs every first call 0.18 s

        p_value = 2.0 * ndtr(-z.abs())
        out = self._layout(estimates, std_error, z, p_value, lower, upper)
        out.attrs["algorithm"] = self.algorithm
        return out

    def _layout(self, estimates, std_error, z, p_value, lower, upper) -> pd.DataFrame:
        """The one table layout of every method: coefficient, std_error, z, p_value, lower, upper, significant
        (the interval excludes 0; None for sigma), stars."""
        out = pd.DataFrame({"coefficient": estimates, "std_error": std_error, "z": z, "p_value": p_value,
                            "lower": lower, "upper": upper})
        significant = (out["lower"] > 0) | (out["upper"] < 0)
        out["significant"] = significant.astype(object)
        if "sigma" in out.index:
            out.loc["sigma", "significant"] = None
        out["stars"] = out["p_value"].map(stars)
        out.attrs = {"sign_convention": self.sign_convention, "interval": self._interval_note(),
                     "stars": self._stars_note(), "method": self.method}
        return out

    def _robust_table(self) -> pd.DataFrame:
        """Tobit, fractional, OLS: z (OLS: t) = coefficient / robust standard error, p two-sided against the
        standard normal (OLS: t on n - k degrees of freedom), the Wald interval coefficient +- quantile x std. err.;
        sigma (Tobit) gets a standard error and an interval, no z (as the SW table and Stata's tobit)."""
        estimates = self.coefficients.copy()
        if self.sigma is not None:
            estimates = pd.concat([estimates, pd.Series({"sigma": self.sigma})])
        std_error = pd.Series(np.sqrt(np.diag(self.covariance.loc[estimates.index, estimates.index])),
                              index=estimates.index)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = (estimates / std_error).where(estimates.index != "sigma")
        from scipy.special import ndtr, ndtri, stdtr, stdtrit     # (as above: not at import)

        if self.df_resid is not None:
            p_value = 2.0 * stdtr(self.df_resid, -z.abs())
            quantile = stdtrit(self.df_resid, 1 - self.alpha / 2)
        else:
            p_value = 2.0 * ndtr(-z.abs())
            quantile = ndtri(1 - self.alpha / 2)
        return self._layout(estimates, std_error, z, p_value, estimates - quantile * std_error,
                            estimates + quantile * std_error)

    def to_frame(self) -> pd.DataFrame:
        """The regression table, :meth:`table` (one row per coefficient and ``sigma``)."""
        return self.table()

    def _title(self) -> str:
        if self.method == "sw2007":
            return f"frontier second stage: Simar & Wilson (2007) Algorithm {self.algorithm}, truncated-normal regression"
        return "frontier second stage: " + {
            "tobit": f"Tobit censored {self.censoring}, ML with robust (sandwich) standard errors",
            "fractional": "fractional logit (Papke & Wooldridge 1996), Bernoulli quasi-ML with robust (sandwich) "
                          "standard errors",
            "ols": "OLS with robust (HC1) standard errors"}[self.method]

    def _design_rows(self) -> list:
        """The summary's rows above the table: what was regressed on what, and how."""
        if self.method != "sw2007":
            rows = [("first stage", self.first_stage), ("dependent", self.dependent_label), ("DMUs", self.n)]
            if self.censored is not None:
                rows.append(("censored", f"{int(self.censored.sum())} {self.censoring} (the DMUs with score 1)"))
            rows.append(("standard errors", ROBUST_ERRORS[self.method]))
            rows.append(("interval", self._interval_note()))
            if self.sigma is not None:
                rows.append(("sigma", f"{self.sigma:.4f}"))
            if self.loglik is not None:
                rows.append(("log-likelihood", f"{self.loglik:.4f}" if self.method == "tobit" else
                             f"{self.loglik:.4f} (Bernoulli quasi-likelihood)"))
            if self.method == "ols":
                rows.append(("residual df", self.df_resid))
            return rows
        rows = [("first stage", self.first_stage),
                ("dependent", "delta = 1/theta (Shephard input distance)" if self.orientation == "input" else
                 "delta = phi (Farrell output measure)" if self.orientation == "output" else
                 "delta >= 1 (distance read from the scores)"),
                ("DMUs", self.n),
                ("used", self.n_used),
                ("dropped", f"{self.n_dropped} (estimated efficient, delta = 1)" if self.algorithm == 1 else
                 f"{self.n_dropped} (bias-corrected delta <= 1)"),
                ("bootstrap", f"L1 = {self.L1} (bias correction), L2 = {self.L2}" if self.algorithm == 2 else
                 f"L2 = {self.L2} (parametric)"),
                ("interval", f"{1 - self.alpha:.0%} {self.interval}"),
                ("sigma", f"{self.sigma:.4f}"),
                ("log-likelihood", f"{self.loglik:.4f}")]
        if self.n_failed_replicates:
            rows.append(("failed replicates", f"{self.n_failed_replicates} of {self.L2} (did not converge; "
                                              "left out of the intervals)"))
        if self.n_failed_lps:
            rows.append(("failed LPs", f"{self.n_failed_lps} first-stage bootstrap LPs (left out of the bias)"))
        if self.pooled_frontiers:
            rows.append(("frontiers", self.pooled_frontiers))
        return rows

    def summary(self) -> Summary:
        """A regression table with the design: method (SW: algorithm, bootstrap sizes, n used and dropped), sigma,
        the star levels and the sign convention."""
        title, rows, table = self._title(), self._design_rows(), self.table()
        level = f"{1 - self.alpha:.0%}"
        if self.method == "sw2007":
            headers = {**STATA_HEADERS, "lower": f"[{level} {self.interval}", "upper": "interval]"}
            interval = f"{level} {self.interval} bootstrap interval (Simar & Wilson 2007)"
        else:
            statistic = self.statistic
            headers = {**STATA_HEADERS, "std_error": "Robust Std. Err.", "z": statistic,
                       "p_value": f"P>|{statistic}|", "lower": f"[{level} conf.", "upper": "interval]"}
            interval = f"{level} Wald interval (robust standard errors)"
        shown = table.drop(columns="significant").rename(columns=headers)
        text = shown.to_string(float_format=lambda v: f"{v:.4f}", na_rep="")
        excludes = [term for term, flag in table["significant"].items() if flag is True]
        note = self._stars_note()
        lines = [title] + [row_line(k, v) for k, v in rows] + [
            "", text, "",
            "stars: " + note,
            f"interval: {interval}; it excludes 0 for " + (", ".join(excludes) if excludes else "no term"),
            "sign: " + self.sign_convention]
        return Summary("\n".join(lines), title, rows + [("stars", note), ("sign convention", self.sign_convention)],
                       {"coefficients": table})

    def __repr__(self) -> str:
        if self.method != "sw2007":
            return f"<SecondStageResult {self.method}, n {self.n}>"
        return f"<SecondStageResult algorithm {self.algorithm}, n used {self.n_used} of {self.n}>"

    def _descriptions(self) -> dict:
        """The exported columns' descriptions."""
        if self.method == "sw2007":
            return {"term": "const (intercept), a covariate, or sigma (the error's standard deviation)",
                    "coefficient": "truncated-normal ML estimate",
                    "std_error": "bootstrap standard error: standard deviation of the bootstrap estimates",
                    "z": "z = coefficient / bootstrap standard error",
                    "p_value": "P>|z|: two-sided p-value of z against the standard normal",
                    "lower": f"lower end of the {1 - self.alpha:.0%} {self.interval} bootstrap interval",
                    "upper": f"upper end of the {1 - self.alpha:.0%} {self.interval} bootstrap interval",
                    "significant": "1 = the bootstrap interval excludes 0, 0 = it does not (missing for sigma)",
                    "stars": STAR_LEVELS}
        statistic = self.statistic
        reference = f"t({self.df_resid})" if self.df_resid is not None else "the standard normal"
        estimate = {"tobit": "Tobit ML estimate", "fractional": "fractional logit quasi-ML estimate (logit index)",
                    "ols": "OLS estimate"}[self.method]
        return {"term": "const (intercept), a covariate" + (", or sigma (the latent error's standard deviation)"
                                                            if self.sigma is not None else ""),
                "coefficient": estimate,
                "std_error": ROBUST_ERRORS[self.method],
                "z": f"{statistic} = coefficient / robust standard error (the column is z in every method)",
                "p_value": f"P>|{statistic}|: two-sided p-value against {reference}",
                "lower": f"lower end of the {self._interval_note()} interval",
                "upper": f"upper end of the {self._interval_note()} interval",
                "significant": "1 = the interval excludes 0, 0 = it does not" + (" (missing for sigma)"
                                                                                  if self.sigma is not None else ""),
                "stars": STAR_LEVELS}

    def export(self, extra: dict | None = None) -> io.Export:
        """What the files hold: :meth:`table` with a leading ``term`` column, the per-DMU values (an extra table:
        SW's distances, the others' dependent variable), the design and sign convention as the specification (after
        the caller's ``extra`` rows)."""
        table = self.table().reset_index(names="term")
        # 1 = the interval excludes 0, 0 = not, missing for sigma (a number in every format, as Stata reads it)
        table["significant"] = table["significant"].map({True: 1.0, False: 0.0}).astype(float)
        summary = self.summary()
        call = None if self.call is None else str(self.call).replace("(data, ", "(scores, data, ", 1)
        rows = export_header(extra, call)
        rows += [(k, str(v)) for k, v in summary.rows]
        if self.method == "sw2007":
            name = "distances"
            per_dmu = pd.DataFrame({"delta": self.delta, "used": self.used}
                                   | ({} if self.delta_bias_corrected is None else
                                      {"delta_bias_corrected": self.delta_bias_corrected}))
        else:
            name = "dependent"
            per_dmu = pd.DataFrame({self.dependent.name: self.dependent}
                                   | ({} if self.censored is None else {"censored": self.censored}))
        per_dmu_table = {name: per_dmu.reset_index() if self.ids is None else
                         pd.concat([self.ids, per_dmu], axis=1).reset_index(drop=True)}
        return io.Export(table=table, name="second stage", specification=rows, descriptions=self._descriptions(),
                         extra_tables=per_dmu_table, title=summary.title)
