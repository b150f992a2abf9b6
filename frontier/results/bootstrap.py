"""``BootstrapResult``: the bias-corrected scores and intervals of :func:`frontier.bootstrap` (Simar & Wilson 1998,
2000), their table, summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish, legend_on_top
from .._text import check_lang, label
from .base import (FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, model_name,
                   row_line)


SCHEME_TITLES = {"homogeneous": "smoothed homogeneous bootstrap with reflection (Simar & Wilson 1998, 2000)",
                 "heterogeneous": "smoothed heterogeneous bootstrap with reflection (Simar & Wilson 2000)",
                 "subsampling": "m out of n subsampling bootstrap (Kneip, Simar & Wilson 2008; Simar & Wilson 2011)"}
INTERVAL_TITLES = {"homogeneous": "percentile interval (Simar & Wilson 1998)",
                   "heterogeneous": "percentile interval (Simar & Wilson 1998)",
                   "subsampling": "subsampling interval, rescaled by the rate (Simar & Wilson 2011)"}


@dataclass(frozen=True)
class BootstrapResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.bootstrap`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    estimates : DataFrame with ``score`` (as :func:`frontier.efficiency`: input theta <= 1, output phi >= 1),
        ``bias`` (= score - bias_corrected), ``bias_corrected``, ``lower``, ``upper`` (the (1 - alpha) interval),
        ``bias_to_variance`` (bias^2 / bootstrap variance on the distance scale), ``correction_advised``
        (``bias_to_variance > 1/3``, Simar & Wilson's rule), ``n_replicates`` (replicates whose LP solved) and
        ``status`` (the LP status of the original score; NaN estimates where it is not optimal).
    replicates : DataFrame B x n, the re-estimated scores theta*_b (phi*_b) of every DMU in every replicate (columns
        the data's index; NaN where the replicate's LP failed).
    draws : DataFrame B x n. Homogeneous: the smoothed reflected pseudo distances delta** (phi**) that made each
        replicate's pseudo data (NaN for DMUs whose original score is missing). Heterogeneous: the drawn distances
        of the replicate's pseudo DMUs (column j holds the j-th pseudo DMU of the DMU's reference set, which is not
        DMU j). Subsampling: how many times each DMU was drawn into the replicate's subsample.
    replicate_failures : tidy DataFrame ``(replicate, dmu, status)`` of the replicate LPs that failed.
    bandwidth : float, the kernel bandwidth used (None for subsampling); with ``period=`` and a contemporaneous
        technology a Series by period (each period is bootstrapped on its own), as are ``kappa`` and
        ``subsample_size``.
    B, alpha, bandwidth_rule, random_state, scheme : the settings.
    kappa, subsample_size : subsampling: the kappa used and m = round(n^kappa); else None.
    volatility : subsampling with the data-driven kappa: DataFrame by kappa (and period) of m and the volatility
        index (Politis, Romano & Wolf 2001) it was chosen by; else None.
    reference_size : Series by replicate, the number of DMUs (pseudo DMUs) in the replicate's reference sets: n,
        except for the heterogeneous bootstrap (drawn DMUs whose frontier LP failed are left out) and subsampling.
    spec : :class:`frontier.Specification` of the model.
    periods, ids : as in :class:`frontier.EfficiencyResult`.
    """

    estimates: pd.DataFrame
    replicates: pd.DataFrame
    draws: pd.DataFrame
    replicate_failures: pd.DataFrame
    bandwidth: float | pd.Series | None
    B: int
    alpha: float
    bandwidth_rule: str
    random_state: object
    spec: Specification
    periods: pd.Series | None = None
    ids: pd.DataFrame | None = None
    scheme: str = "homogeneous"
    kappa: float | pd.Series | None = None
    subsample_size: int | pd.Series | None = None
    volatility: pd.DataFrame | None = None
    reference_size: pd.Series | None = None

    @property
    def scores(self) -> pd.Series:
        return self.estimates["score"]

    @property
    def bias_corrected(self) -> pd.Series:
        return self.estimates["bias_corrected"]

    @property
    def n_failed_replicates(self) -> int:
        return len(self.replicate_failures)

    def to_frame(self) -> pd.DataFrame:
        """The estimates, indexed like the data and led by the ``id`` and period columns (as
        :meth:`frontier.EfficiencyResult.to_frame`), so the frame merges straight back onto the data."""
        return pd.concat(leading_columns(self.ids, self.periods, self.estimates.index) + [self.estimates], axis=1)

    def _bandwidth_text(self) -> str:
        if self.bandwidth is None:
            return "none (subsampling draws the data themselves)"
        if isinstance(self.bandwidth, pd.Series):
            return ", ".join(f"{p}: {h:.4g}" for p, h in self.bandwidth.items()) + f" ({self.bandwidth_rule})"
        return f"{self.bandwidth:.4g} ({self.bandwidth_rule})"

    def summary(self) -> Summary:
        """The specification, the bootstrap settings, LP outcomes and the mean score, bias-corrected score and
        interval width. Prints as text; in a notebook it renders as HTML tables (:class:`frontier.results.Summary`)."""
        e, s = self.estimates, self.spec
        title = f"frontier bootstrap ({SCHEME_TITLES[self.scheme]}): {s['description']}"
        rows = [(k, s[k]) for k in ("model", "orientation", "rts", "technology") if s.get(k) is not None]
        rows.append(("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"))
        rows.append(("DMUs", len(e)))
        rows.append(("replicates", f"B = {self.B}, seed {self.random_state!r}"))
        rows.append(("bandwidth", self._bandwidth_text()))
        if self.scheme == "subsampling":
            rows.append(("subsample", self._subsample_text()))
        rows.append(("interval", f"{100 * (1 - self.alpha):g}% {INTERVAL_TITLES[self.scheme]}"))
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in e["status"].value_counts().items())))
        total = self.B * int((e["status"] == "optimal").sum())
        rows.append(("replicate LPs", f"{total - self.n_failed_replicates} of {total} optimal"
                     + (f"; {self.n_failed_replicates} failed, left out of the intervals" if self.n_failed_replicates
                        else "")))
        ok = e.dropna(subset=["score", "lower", "upper"])
        tables = {}
        if len(ok):
            rows.append(("score", f"mean {ok['score'].mean():.4f}, bias-corrected mean "
                                  f"{ok['bias_corrected'].mean():.4f}"))
            rows.append(("interval width", f"mean {(ok['upper'] - ok['lower']).mean():.4f}"))
            advised = int(ok["correction_advised"].astype(bool).sum())
            rows.append(("bias correction", f"advised (bias^2/var > 1/3) for {advised} of {len(ok)} DMUs"))
            if self.periods is not None:
                by = ok.groupby(self.periods.loc[ok.index])[["score", "bias_corrected", "lower", "upper"]].mean()
                tables["means by period"] = by
        lines = [title] + [row_line(k, v) for k, v in rows]
        for name, table in tables.items():
            lines.append(f"  {name}:")
            lines.append("    " + table.round(4).to_string().replace("\n", "\n    "))
        return Summary("\n".join(lines), title, rows, tables)

    def _subsample_text(self) -> str:
        def one(kappa, m):
            return f"m = {m} (kappa = {kappa:.2f})"
        if isinstance(self.kappa, pd.Series):
            return ", ".join(f"{p}: {one(k, self.subsample_size[p])}" for p, k in self.kappa.items())
        chosen = "chosen by volatility" if self.volatility is not None else "given"
        return f"{one(self.kappa, self.subsample_size)}, kappa {chosen}"

    def __repr__(self) -> str:
        s = self.spec
        return f"<BootstrapResult {self.scheme} radial {s['orientation']} {s['rts']} n={len(self.estimates)} B={self.B}>"

    # -- export and figure (the files: FileExports) --------------------------------------------------------
    def export(self, extra: dict | None = None) -> io.Export:
        """The estimates (:meth:`to_frame` with the identifying columns leading), the bootstrap's settings as the
        specification and column descriptions."""
        return bootstrap_export(self, extra)


def bootstrap_export(res: BootstrapResult, extra: dict | None = None) -> io.Export:
    """The table, specification and column descriptions of a :class:`BootstrapResult` (its ``export``)."""

    spec = res.spec
    table = io.index_to_columns(res.to_frame(), has_ids=res.ids is not None)
    # 1 = advised, 0 = not, missing where there is no estimate (a nullable boolean does not reach every format)
    table["correction_advised"] = table["correction_advised"].to_numpy(dtype=float, na_value=np.nan)
    rows = export_header(extra, spec.call)
    rows.append(("analysis", SCHEME_TITLES[res.scheme]))
    rows.append(("score", spec.get("description", "")))
    for key in ("model", "orientation", "rts", "period", "technology", "inputs", "outputs"):
        value = spec.get(key)
        if value is not None and value != ():
            rows.append((key, " ".join(map(str, value)) if isinstance(value, tuple) else str(value)))
    rows.append(("replicates", str(res.B)))
    rows.append(("alpha", str(res.alpha)))
    rows.append(("bandwidth", res._bandwidth_text()))
    if res.scheme == "subsampling":
        rows.append(("subsample", res._subsample_text()))
    rows.append(("random_state", repr(res.random_state)))
    rows.append(("LP status", io.status_counts(res.estimates["status"])))
    rows.append(("failed replicate LPs", str(res.n_failed_replicates)))
    level = f"{100 * (1 - res.alpha):g}%"
    desc = {"score": f"DEA estimate: {spec.get('description', '')}",
            "bias": "bootstrap bias estimate, score - bias_corrected (in the score's units)",
            "bias_corrected": "bias-corrected score (use when correction_advised)",
            "lower": f"lower bound of the {level} bootstrap interval", "upper": f"upper bound of the {level} interval",
            "bias_to_variance": "bias^2 / bootstrap variance on the distance scale (1/theta, or phi)",
            "correction_advised": "1 if bias_to_variance > 1/3 (Simar & Wilson 2000): bias correction advised; else 0",
            "n_replicates": "replicates whose LP solved (the others are left out of bias and interval)",
            "status": "LP status of the original score: optimal, or why the estimates are missing"}
    if spec.get("period"):
        desc[spec["period"]] = "period"
    desc = {c: desc[c] for c in table.columns if c in desc}
    return io.Export(table=table, name="bootstrap", specification=rows, descriptions=desc,
                  title=f"frontier bootstrap ({res.scheme}): radial {spec['orientation']} {spec['rts']}, B = {res.B}")


def plot_bootstrap(res, path=None, *, ax=None, title: str | None = None, sort_by: str = "bias_corrected",
                   lang: str = "en", figsize=None):
    """Bootstrap estimates of :func:`frontier.bootstrap`, one DMU per x position sorted by ``sort_by``
    (``"bias_corrected"`` or ``"score"``): the (1 - alpha) interval as a vertical bar, the DEA score and the
    bias-corrected score as markers, the efficient score as a dashed line. DMUs without estimates are counted in the
    axis label. ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    if not isinstance(res, BootstrapResult):
        raise TypeError(f"plot_bootstrap needs a BootstrapResult, got {type(res).__name__}")
    if sort_by not in ("bias_corrected", "score"):
        raise ValueError(f"sort_by must be 'bias_corrected' or 'score', got {sort_by!r}")
    e = res.estimates
    ok = e.dropna(subset=["score", "bias_corrected", "lower", "upper"]).sort_values(sort_by, kind="stable")
    missing = len(e) - len(ok)
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (max(7.0, min(14.0, 0.12 * len(ok) + 4)), 4.6))
    x = np.arange(len(ok))
    level = f"{100 * (1 - res.alpha):g}%"
    ax.vlines(x, ok["lower"], ok["upper"], color=colors[0], alpha=0.55, lw=2.2 if len(ok) <= 80 else 1.0,
              label=label("{level} interval", lang, level=level))
    small = len(ok) > 80
    ax.plot(x, ok["score"], ls="none", marker="o", ms=2.5 if small else 4, color=colors[1],
            label=label("DEA score", lang))
    ax.plot(x, ok["bias_corrected"], ls="none", marker="D", ms=2.5 if small else 4, color=colors[2],
            label=label("bias-corrected", lang))
    ax.axhline(1.0, color="0.45", lw=0.9, ls="--", zorder=0, label=label("efficient", lang))
    if len(ok) <= 40:
        ax.set_xticks(x)
        names = ok.index if res.ids is None else \
            res.ids.loc[ok.index].astype(str).agg(" ".join, axis=1)       # the id columns name the DMUs
        ax.set_xticklabels([str(v) for v in names], rotation=60, ha="right", fontsize=8)
    else:
        ax.set_xticks([])
    ax.set_xlabel(label("DMUs sorted by bias-corrected score" if sort_by == "bias_corrected" else
                        "DMUs sorted by DEA score", lang)
                  + (label("; {missing} without estimates not shown", lang, missing=missing) if missing else ""))
    name = f"{model_name(res.spec)} ({res.spec['rts'].upper()})"
    ax.set_ylabel(label("input efficiency theta (1 = efficient)" if res.spec["orientation"] == "input"
                        else "output expansion phi (1 = efficient)", lang))
    ax.set_title(default_title(title, label("{name}: bootstrap (B = {B}), n = {n}", lang, name=name, B=res.B,
                                            n=len(e))), fontsize=11)
    legend_on_top(ax)
    ax.grid(True, axis="y", alpha=0.3)
    return finish(fig, path)


BootstrapResult.PLOTS = {"intervals": plot_bootstrap}
