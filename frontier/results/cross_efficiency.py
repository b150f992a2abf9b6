"""``CrossEfficiencyResult``: the cross-efficiency matrix of :func:`frontier.cross_efficiency`, the mean
cross-efficiency, rank and maverick index of every DMU, their summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish
from .._text import check_lang, label
from .base import FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, row_line

VARIANTS = {"simple": "the optimal weights the solver returns (Sexton, Silkman & Hogan 1986)",
            "aggressive": "aggressive secondary goal (Doyle & Green 1994)",
            "benevolent": "benevolent secondary goal (Doyle & Green 1994)",
            "game": "game cross-efficiency (Liang, Wu, Cook & Zhu 2008)"}


@dataclass(frozen=True)
class CrossEfficiencyResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.cross_efficiency`.

    Attributes
    ----------
    matrix : DataFrame n x n, ``matrix.loc[d, j]`` the efficiency of DMU j with DMU d's weights (rows rate, columns
        are rated; the game: alpha_dj, j's best efficiency while d keeps its game value).
    table : DataFrame, one row per DMU: ``ccr`` (its CCR input score, the simple matrix's diagonal),
        ``cross_efficiency`` (the column mean, self-appraisal included), ``peer_appraisal`` (the mean of the others'
        ratings), ``rank`` (1 = the highest cross-efficiency), ``maverick`` ((ccr - peer) / peer, Doyle & Green
        1994) and ``status``.
    weights : DataFrame of the rating weights (v per input, u per output, in the data's units), None for the game.
    variant : as used. iterations, converged, history, tolerance : the game's iterations, whether it converged, the
        game cross-efficiencies after each (row 0 the start) and its convergence tolerance, else None.
    spec, ids : the specification (the CCR model's settings and the call) and the ``id`` columns.
    """

    matrix: pd.DataFrame
    table: pd.DataFrame
    weights: pd.DataFrame | None
    variant: str
    iterations: int | None
    converged: bool | None
    history: pd.DataFrame | None
    tolerance: float | None
    spec: Specification
    ids: pd.DataFrame | None = None

    @property
    def scores(self) -> pd.Series:
        """The mean cross-efficiency of each DMU."""
        return self.table["cross_efficiency"]

    def to_frame(self) -> pd.DataFrame:
        """The per-DMU table, led by the ``id`` columns, indexed like the data."""
        return pd.concat(leading_columns(self.ids, None, self.table.index) + [self.table], axis=1)

    def summary(self) -> Summary:
        """The variant, the mean cross-efficiency against the mean CCR score, the top-ranked DMUs and (the game)
        the iterations."""
        s, t = self.spec, self.table
        title = f"frontier cross_efficiency: {VARIANTS[self.variant]}, input-oriented CRS multiplier form"
        top = t.sort_values("rank").head(5)
        rows = [("variant", self.variant), ("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"),
                ("DMUs", len(t)),
                ("mean CCR score", f"{t['ccr'].mean():.4f} ({int((t['ccr'] == 1).sum())} efficient)"),
                ("cross-efficiency", f"mean {t['cross_efficiency'].mean():.4f}, min "
                                     f"{t['cross_efficiency'].min():.4f}, max {t['cross_efficiency'].max():.4f}"),
                ("top ranked", ", ".join(f"{i} ({v:.4f})" for i, v in top["cross_efficiency"].items()))]
        if self.variant == "game":
            rows.append(("iterations", f"{self.iterations} ({'converged' if self.converged else 'NOT converged'})"))
        failed = int((t["status"] != "optimal").sum())
        if failed:
            rows.append(("failed LPs", f"{failed} DMUs (see status)"))
        if s.call is not None:
            rows.append(("call", str(s.call)))
        lines = [title] + [row_line(k, v) for k, v in rows]
        return Summary("\n".join(lines), title, rows, {"top ranked": top})

    def __repr__(self) -> str:
        return f"<CrossEfficiencyResult {self.variant} n={len(self.table)}>"

    def export(self, extra: dict | None = None) -> io.Export:
        """The per-DMU table, the matrix and the weights (or the game's history) as further tables."""
        s = self.spec
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        rows = export_header(extra, s.call) + [
            ("analysis", "cross-efficiency, input-oriented CRS (CCR) multiplier form"),
            ("variant", VARIANTS[self.variant]),
            ("inputs", io.format_value(s["inputs"])), ("outputs", io.format_value(s["outputs"]))]
        if self.variant == "game":
            rows += [("iterations", str(self.iterations)), ("converged", str(self.converged)),
                     ("tolerance", f"{self.tolerance:g}")]
        desc = {"ccr": "CCR input-oriented score (the self-appraisal)",
                "cross_efficiency": "mean cross-efficiency: the mean of the DMU's ratings by every DMU, itself "
                                    "included",
                "peer_appraisal": "the mean of the DMU's ratings by the other DMUs",
                "rank": "rank by the mean cross-efficiency (1 = best)",
                "maverick": "maverick index (ccr - peer_appraisal) / peer_appraisal (Doyle & Green 1994)",
                "status": "optimal, or which LP failed"}
        desc = {c: desc[c] for c in table.columns if c in desc}
        matrix = self.matrix.copy()
        matrix.index = matrix.index.map(str)
        matrix.columns = matrix.columns.map(str)
        extra_tables = {"matrix": matrix.rename_axis("rater").reset_index()}
        if self.weights is not None:
            extra_tables["weights"] = io.index_to_columns(self.weights)
        if self.history is not None:
            history = self.history.copy()
            history.columns = history.columns.map(str)
            extra_tables["iterations"] = history.reset_index()
        return io.Export(table=table, name="cross-efficiency", specification=rows, descriptions=desc,
                         extra_tables=extra_tables, title=f"frontier cross_efficiency: {self.variant}")


def plot_cross_efficiency(res: CrossEfficiencyResult, path=None, *, lang: str = "en", ax=None,
                          title: str | None = None, figsize=None):
    """Each DMU's CCR score against its mean cross-efficiency, sorted by rank.
    ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    t = res.table.sort_values("rank")
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (max(6.0, 0.25 * len(t) + 2), 4.6))
    x = np.arange(len(t))
    ax.bar(x, t["ccr"], color=colors[0], alpha=0.35, label=label("CCR score (self-appraisal)", lang))
    ax.plot(x, t["cross_efficiency"], "o", color=colors[1], label=label("mean cross-efficiency", lang))
    ax.set_xticks(x)
    ax.set_xticklabels([str(i) for i in t.index], rotation=90, fontsize=7)
    ax.set_ylabel(label("efficiency", lang))
    ax.legend(fontsize=8)
    ax.set_title(default_title(title, label("cross-efficiency ({variant}), n = {n}", lang,
                                            variant=label(res.variant, lang), n=len(t))), fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    return finish(fig, path)


CrossEfficiencyResult.PLOTS = {"ranking": plot_cross_efficiency}
