"""``ReturnsToScaleTestResult`` and ``IndependenceTestResult``: the bootstrap tests of
:func:`frontier.test_returns_to_scale` (Simar & Wilson 2002) and :func:`frontier.test_independence` (Wilson 2003),
each a one-row test table (H0, statistic, p-value, B, decision), a per-DMU table, summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import colors as palette, default_title, figure, finish
from .._text import check_lang, label
from .base import FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, row_line

STATISTICS = {"ratio_of_means": "mean(F0) / mean(F_VRS) (Simar & Wilson 2002, eq. 4.6; npsf's)",
              "mean_of_ratios": "mean(F0 / F_VRS) (Simar & Wilson 2002, eq. 4.5)",
              "T4n": "sum_i (F_n(score_i, W_i) - F_n(score_i) G_n(W_i))^2 (Wilson 2003; npsf's T4n)"}


class _TestReport(SummaryViews, FileExports):
    """What both tests share: the test row's numbers, the summary's closing rows, the export's common rows."""

    @property
    def p_value(self) -> float:
        return float(self.test["p_value"].iloc[0])

    @property
    def value(self) -> float:
        """The statistic's value on the data."""
        return float(self.test["value"].iloc[0])

    @property
    def reject(self) -> bool:
        """True when H0 is rejected at level ``alpha`` (p <= alpha)."""
        return bool(self.p_value <= self.alpha)

    def to_frame(self) -> pd.DataFrame:
        """The per-DMU table led by the ``id`` columns, indexed like the data."""
        return pd.concat(leading_columns(self.ids, None, self.table.index) + [self.table], axis=1)

    def _test_lines(self) -> list[str]:
        return ["  test:", "    " + self.test.to_string(index=False, float_format=lambda v: f"{v:.4g}")
                .replace("\n", "\n    ")]

    def _common_rows(self) -> list[tuple]:
        s = self.spec
        return [("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"),
                ("DMUs", int(self.table["score" if "score" in self.table else "vrs"].notna().sum())),
                ("bootstrap", f"smoothed homogeneous, B = {self.B} ({int(self.test['B'].iloc[0])} with a statistic), "
                              f"seed {self.random_state!r}"),
                ("bandwidth", f"{self.bandwidth:.4g} ({self.bandwidth_rule})"),
                ("statistic", STATISTICS[self.test["statistic"].iloc[0]]),
                ("p-value", f"{self.p_value:.4f}: {self.test['decision'].iloc[0]} at the {100 * self.alpha:g}% level")]

    def _export_rows(self, extra) -> list[tuple]:
        s = self.spec
        rows = export_header(extra, s.call) + [
            ("orientation", self.orientation), ("inputs", io.format_value(s["inputs"])),
            ("outputs", io.format_value(s["outputs"])), ("H0", self.test["H0"].iloc[0]),
            ("statistic", STATISTICS[self.test["statistic"].iloc[0]]), ("value", f"{self.value:.6g}"),
            ("p_value", f"{self.p_value:.6g}"), ("B", self.B), ("alpha", self.alpha),
            ("decision", self.test["decision"].iloc[0]),
            ("bandwidth", f"{self.bandwidth:.6g} ({self.bandwidth_rule})"), ("seed", str(self.random_state))]
        return rows


@dataclass(frozen=True, repr=False)
class ReturnsToScaleTestResult(_TestReport):
    """The outcome of :func:`frontier.test_returns_to_scale`.

    Attributes
    ----------
    test : DataFrame, one row: ``H0``, ``H1``, ``statistic`` (its name), ``value``, ``p_value``, ``B`` (replicates
        with a statistic), ``alpha``, ``decision`` (``"reject H0"`` when p <= alpha).
    table : DataFrame per DMU (the data's index): the score under H0 (column ``crs`` or ``nirs``), ``vrs``, their
        ``ratio`` F0/F_VRS (the scale efficiency for CRS in the input orientation) and ``status``.
    replicates : Series, the statistic S*_b of every replicate (NaN where none).
    null, statistic, orientation, bandwidth, bandwidth_rule, B, alpha, random_state : the settings.
    spec : :class:`frontier.Specification` (the VRS model and the call). ids : the ``id`` columns, else None.
    """

    test: pd.DataFrame
    table: pd.DataFrame
    replicates: pd.Series
    null: str
    statistic: str
    orientation: str
    bandwidth: float
    bandwidth_rule: str
    B: int
    alpha: float
    random_state: object
    spec: Specification
    ids: pd.DataFrame | None = None

    def summary(self) -> Summary:
        """The hypotheses, the bootstrap, the statistic and its p-value, the test table."""
        title = (f"frontier test_returns_to_scale: H0 {self.null.upper()} against VRS (Simar & Wilson 2002), "
                 f"radial {self.orientation}-oriented")
        side = "small" if self.orientation == "input" else "large"
        rows = [("H0", f"{self.test['H0'].iloc[0]}; rejected for {side} values of the statistic")] \
            + self._common_rows()
        if self.spec.call is not None:
            rows.append(("call", str(self.spec.call)))
        lines = [title] + [row_line(k, v) for k, v in rows] + self._test_lines()
        return Summary("\n".join(lines), title, rows, {"test": self.test})

    def __repr__(self) -> str:
        return (f"<ReturnsToScaleTestResult H0 {self.null} vs vrs, {self.orientation}: {self.statistic} = "
                f"{self.value:.4f}, p = {self.p_value:.4f}, B = {self.B}>")

    def export(self, extra: dict | None = None) -> io.Export:
        """The per-DMU table, the test table as an extra sheet and the test in the specification."""
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        score = "theta (<= 1)" if self.orientation == "input" else "phi (>= 1)"
        desc = {self.null: f"radial {self.null.upper()} score {score}", "vrs": f"radial VRS score {score}",
                "ratio": f"{self.null.upper()} score / VRS score",
                "status": "optimal, or which LP failed"}
        desc = {c: desc[c] for c in table.columns if c in desc}
        return io.Export(table=table, name="returns to scale test", specification=self._export_rows(extra),
                         descriptions=desc, extra_tables={"test": self.test},
                         title=f"frontier test_returns_to_scale: H0 {self.null} vs VRS ({self.orientation})")


@dataclass(frozen=True, repr=False)
class IndependenceTestResult(_TestReport):
    """The outcome of :func:`frontier.test_independence`.

    Attributes
    ----------
    test : DataFrame, one row as :class:`ReturnsToScaleTestResult`'s (statistic ``"T4n"``).
    table : DataFrame per DMU: ``score``, the position W (the quantities held fixed, ``angle_k`` the polar angles
        of the mix of those scaled) and ``status``.
    replicates : Series, T*_b of every replicate.
    orientation, rts, bandwidth, bandwidth_rule, B, alpha, random_state, spec, ids : the settings.
    """

    test: pd.DataFrame
    table: pd.DataFrame
    replicates: pd.Series
    orientation: str
    rts: str
    bandwidth: float
    bandwidth_rule: str
    B: int
    alpha: float
    random_state: object
    spec: Specification
    ids: pd.DataFrame | None = None

    def summary(self) -> Summary:
        title = (f"frontier test_independence: radial {self.orientation}-oriented {self.rts.upper()} score and the "
                 f"{self.orientation} mix (Wilson 2003)")
        rows = [("H0", f"{self.test['H0'].iloc[0]}; rejected for large T")] + self._common_rows()
        advice = "heterogeneous" if self.reject else "homogeneous"
        rows.append(("advice", f"the {advice} bootstrap (scheme={advice!r}) fits these data (npsf's reading)"))
        if self.spec.call is not None:
            rows.append(("call", str(self.spec.call)))
        lines = [title] + [row_line(k, v) for k, v in rows] + self._test_lines()
        return Summary("\n".join(lines), title, rows, {"test": self.test})

    def __repr__(self) -> str:
        return (f"<IndependenceTestResult {self.orientation} {self.rts}: T4n = {self.value:.4g}, "
                f"p = {self.p_value:.4f}, B = {self.B}>")

    def export(self, extra: dict | None = None) -> io.Export:
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        desc = {"score": f"radial {self.rts.upper()} score " + ("theta (<= 1)" if self.orientation == "input"
                                                                 else "phi (>= 1)"),
                "status": "LP status of the score"}
        desc.update({c: f"polar angle {c.split('_')[1]} of the {self.orientation} mix (radians)"
                     for c in table.columns if c.startswith("angle_")})
        return io.Export(table=table, name="independence test", specification=self._export_rows(extra),
                         descriptions=desc, extra_tables={"test": self.test},
                         title=f"frontier test_independence: {self.orientation} ({self.rts})")


def plot_null_distribution(res, path=None, *, lang: str = "en", ax=None, title: str | None = None, figsize=None):
    """The bootstrap distribution of the statistic under H0 (histogram) and its value on the data (a line).
    ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (7, 4.2))
    values = res.replicates.dropna().to_numpy()
    ax.hist(values, bins=max(10, int(np.sqrt(len(values)))), color=colors[0], alpha=0.7,
            label=label("bootstrap under H0 (B = {B})", lang, B=len(values)))
    ax.axvline(res.value, color=colors[1], linewidth=2,
               label=label("data: {value:.4g}, p = {p:.3f}", lang, value=res.value, p=res.p_value))
    ax.set_xlabel(label("statistic ({statistic})", lang, statistic=res.test["statistic"].iloc[0]))
    ax.set_ylabel(label("replicates", lang))
    ax.legend(frameon=False, fontsize=9)
    ax.set_title(default_title(title, label("H0: {H0}", lang, H0=res.test["H0"].iloc[0])), fontsize=10)
    ax.grid(True, alpha=0.3)
    return finish(fig, path)


ReturnsToScaleTestResult.PLOTS = {"null_distribution": plot_null_distribution}
IndependenceTestResult.PLOTS = {"null_distribution": plot_null_distribution}
