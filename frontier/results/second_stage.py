"""``SecondStageResult``: the truncated-normal regression of :func:`frontier.second_stage` (Simar & Wilson 2007),
its regression table, summary and export."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scipy.special import ndtr

from .. import io
from .base import FileExports, Summary, SummaryViews, export_header, row_line

SIGN_CONVENTION = ("dependent variable: the distance delta >= 1 (input: 1/theta; output: phi); a positive "
                   "coefficient raises the distance, i.e. LOWERS efficiency; a negative one raises efficiency")
#: significance stars by two-sided p-value, the most stars first (the levels of Stata's estout/outreg2 tables in
#: economics: *** p < 0.01, ** p < 0.05, * p < 0.1)
STARS = ((0.01, "***"), (0.05, "**"), (0.10, "*"))
STARS_NOTE = (", ".join(f"{mark} p < {level:g}" for level, mark in STARS)
              + "; p = P>|z|, two-sided, z = coefficient / bootstrap standard error against the standard normal")
#: the regression table's columns as Stata prints them (the summary's header)
STATA_HEADERS = {"coefficient": "Coef.", "std_error": "Bootstrap Std. Err.", "z": "z", "p_value": "P>|z|",
                 "lower": "lower", "upper": "upper", "stars": ""}


def stars(p_value: float) -> str:
    """The significance stars of a two-sided p-value (:data:`STARS`); none for NaN."""
    return next((mark for level, mark in STARS if p_value < level), "")


@dataclass(frozen=True)
class SecondStageResult(SummaryViews, FileExports):
    """The outcome of :func:`second_stage`: a truncated-normal regression of the distance delta >= 1 on covariates.

    Attributes
    ----------
    coefficients : Series, the ML estimates (``const`` and one per covariate) on the regression's distances
        (Algorithm 1: the first stage's delta_hat > 1; Algorithm 2: the bias-corrected delta_hat_hat).
    sigma : float, the ML estimate of the error's standard deviation (before truncation).
    replicates : DataFrame (L2 rows), the bootstrap estimates of the coefficients and ``sigma`` (NaN where the fit of
        a replicate did not converge; those are left out of the intervals).
    delta : Series, the first stage's distance delta_hat of every DMU (input: 1/theta; output: phi).
    delta_bias_corrected : Series, Algorithm 2's bias-corrected delta_hat_hat (NaN-free), else None.
    used : Series of bool, the DMUs in the regression (Algorithm 1: delta_hat > 1).
    algorithm, L1, L2, alpha, interval : as called (``L1`` None for Algorithm 1).
    orientation : ``"input"``, ``"output"`` or None (scores given as a Series).
    first_stage : what the distances come from (the model's description, or how a Series was read).
    loglik : float, the maximised log-likelihood.
    n_failed_lps : int, first-stage bootstrap LPs (Algorithm 2) that failed (left out of the bias).
    ids : DataFrame of the ``id`` columns (``second_stage(..., id=...)``), indexed like ``delta``, else None.
    call : the call as made (:class:`frontier.results.base.Call`; ``str(call)`` reproduces the result), or None.
    pooled_frontiers : where the first stage scored the DMUs against several frontiers (one per period), what the
        summary says about it; else None.
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

    @property
    def n(self) -> int:
        """DMUs given."""
        return len(self.delta)

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
        return int(self.replicates.isna().any(axis=1).sum())

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
        p_value = 2.0 * ndtr(-z.abs())
        out = pd.DataFrame({"coefficient": estimates, "std_error": std_error, "z": z, "p_value": p_value,
                            "lower": lower, "upper": upper})
        significant = (out["lower"] > 0) | (out["upper"] < 0)
        out["significant"] = significant.astype(object)
        out.loc["sigma", "significant"] = None
        out["stars"] = out["p_value"].map(stars)
        out.attrs = {"sign_convention": SIGN_CONVENTION, "interval": f"{1 - self.alpha:.0%} {self.interval} bootstrap",
                     "algorithm": self.algorithm, "stars": STARS_NOTE}
        return out

    def to_frame(self) -> pd.DataFrame:
        """The regression table, :meth:`table` (one row per coefficient and ``sigma``)."""
        return self.table()

    def summary(self) -> Summary:
        """A regression table with the design: algorithm, bootstrap sizes, n used and dropped, sigma, convention."""
        title = f"frontier second stage: Simar & Wilson (2007) Algorithm {self.algorithm}, truncated-normal regression"
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
        table = self.table()
        level = f"{1 - self.alpha:.0%}"
        shown = table.drop(columns="significant").rename(columns={
            **STATA_HEADERS, "lower": f"[{level} {self.interval}", "upper": "interval]"})
        text = shown.to_string(float_format=lambda v: f"{v:.4f}", na_rep="")
        excludes = [term for term, flag in table["significant"].items() if flag is True]
        lines = [title] + [row_line(k, v) for k, v in rows] + [
            "", text, "",
            "stars: " + STARS_NOTE,
            f"interval: {level} {self.interval} bootstrap interval (Simar & Wilson 2007); it excludes 0 for "
            + (", ".join(excludes) if excludes else "no term"),
            "sign: " + SIGN_CONVENTION]
        return Summary("\n".join(lines), title, rows + [("stars", STARS_NOTE), ("sign convention", SIGN_CONVENTION)],
                       {"coefficients": table})

    def __repr__(self) -> str:
        return f"<SecondStageResult algorithm {self.algorithm}, n used {self.n_used} of {self.n}>"

    def export(self, extra: dict | None = None) -> io.Export:
        """What the files hold: :meth:`table` with a leading ``term`` column, the distances (an extra table), the
        design and sign convention as the specification (after the caller's ``extra`` rows)."""
        table = self.table().reset_index(names="term")
        # 1 = the interval excludes 0, 0 = not, missing for sigma (a number in every format, as Stata reads it)
        table["significant"] = table["significant"].map({True: 1.0, False: 0.0}).astype(float)
        summary = self.summary()
        call = None if self.call is None else str(self.call).replace("(data, ", "(scores, data, ", 1)
        rows = export_header(extra, call)
        rows += [(k, str(v)) for k, v in summary.rows]
        descriptions = {"term": "const (intercept), a covariate, or sigma (the error's standard deviation)",
                        "coefficient": "truncated-normal ML estimate",
                        "std_error": "bootstrap standard error: standard deviation of the bootstrap estimates",
                        "z": "z = coefficient / bootstrap standard error",
                        "p_value": "P>|z|: two-sided p-value of z against the standard normal",
                        "lower": f"lower end of the {1 - self.alpha:.0%} {self.interval} bootstrap interval",
                        "upper": f"upper end of the {1 - self.alpha:.0%} {self.interval} bootstrap interval",
                        "significant": "1 = the bootstrap interval excludes 0, 0 = it does not (missing for sigma)",
                        "stars": STARS_NOTE.split(";")[0]}
        per_dmu = pd.DataFrame({"delta": self.delta, "used": self.used}
                               | ({} if self.delta_bias_corrected is None else
                                  {"delta_bias_corrected": self.delta_bias_corrected}))
        distances = {"distances": per_dmu.reset_index() if self.ids is None else
                     pd.concat([self.ids, per_dmu], axis=1).reset_index(drop=True)}
        return io.Export(table=table, name="second stage", specification=rows, descriptions=descriptions,
                         extra_tables=distances, title=summary.title)
