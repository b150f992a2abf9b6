"""``ZSGResult``: zero-sum-gains DEA (:func:`frontier.zsg`): the radial and ZSG efficiencies of every DMU, the
reallocation of the fixed total, its rounds; summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish, legend_on_top
from .._text import check_lang, label, word
from .base import FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, row_line

STRATEGY = ("proportional reduction (Lins, Gomes, Soares de Mello & Soares de Mello 2003): a DMU's cut is shared "
            "among the others in proportion to their amounts")


@dataclass(frozen=True)
class ZSGResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.zsg`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    table : DataFrame with ``radial`` (the CCR / BCC input score on the observed data), ``zsg`` (the ZSG efficiency,
        >= radial; 1 = efficient), ``observed`` and ``reallocated`` (the amounts of the fixed variable before and
        after; the same total), ``change`` (reallocated - observed) and ``final_radial`` (the radial score on the
        reallocated data: 1 within ``tolerance`` when ``converged``).
    history : DataFrame, the amounts after each round (``round_0`` observed).
    reallocate, rts, tolerance : as called. rounds : reallocation rounds made; converged : every DMU efficient.
    total : the fixed total. spec : :class:`frontier.Specification`. ids : the ``id`` columns or None.
    """

    table: pd.DataFrame
    history: pd.DataFrame
    reallocate: str
    rts: str
    rounds: int
    converged: bool
    tolerance: float
    total: float
    spec: Specification
    ids: pd.DataFrame | None = None

    @property
    def scores(self) -> pd.Series:
        """The ZSG efficiencies."""
        return self.table["zsg"]

    @property
    def reallocated(self) -> pd.Series:
        """The reallocated amounts of the fixed variable."""
        return self.table["reallocated"]

    def to_frame(self) -> pd.DataFrame:
        """The table, led by the ``id`` columns, indexed like the data."""
        return pd.concat(leading_columns(self.ids, None, self.table.index) + [self.table], axis=1)

    def summary(self) -> Summary:
        """The model, the total, the mean efficiencies and the rounds."""
        t = self.table
        model = f"ZSG-{'CCR' if self.rts == 'crs' else 'BCC'}"
        title = f"frontier zsg: {model}, the fixed total of {self.reallocate!r} reallocated"
        rows = [("model", self.spec["description"]), ("strategy", STRATEGY),
                ("inputs", ", ".join(self.spec["inputs"])), ("outputs", ", ".join(self.spec["outputs"])),
                ("fixed total", f"{self.reallocate} = {self.total:.6g} (after: {t['reallocated'].sum():.6g})"),
                ("DMUs", len(t)),
                ("mean efficiency", f"radial {t['radial'].mean():.4f}, ZSG {t['zsg'].mean():.4f}"),
                ("efficient DMUs", f"radial {int((t['radial'] >= 1 - self.tolerance).sum())}, after reallocation "
                                   f"{int((t['final_radial'] >= 1 - self.tolerance).sum())} of {len(t)}"),
                ("rounds", f"{self.rounds} ({'converged' if self.converged else 'NOT converged'}, tolerance "
                           f"{self.tolerance:g})"),
                ("gainers / losers", f"{int((t['change'] > 0).sum())} / {int((t['change'] < 0).sum())}")]
        if self.spec.call is not None:
            rows.append(("call", str(self.spec.call)))
        lines = [title] + [row_line(k, v) for k, v in rows]
        return Summary("\n".join(lines), title, rows, {"allocation": t})

    def __repr__(self) -> str:
        return f"<ZSGResult {self.rts} {self.reallocate!r} n={len(self.table)} rounds={self.rounds}>"

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame`), the rounds as an extra table, the model and the total as the
        specification."""
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        rows = export_header(extra, self.spec.call) + [
            ("analysis", "zero-sum-gains DEA (Lins et al. 2003; Gomes & Lins 2008)"),
            ("model", self.spec["description"]), ("strategy", STRATEGY),
            ("inputs", io.format_value(self.spec["inputs"])), ("outputs", io.format_value(self.spec["outputs"])),
            ("reallocate", self.reallocate), ("total", f"{self.total:.17g}"), ("rounds", str(self.rounds)),
            ("converged", str(self.converged)), ("tolerance", f"{self.tolerance:g}")]
        r = self.reallocate
        desc = {"radial": "radial input score on the observed data (CCR / BCC)",
                "zsg": "ZSG efficiency (>= radial; 1 = efficient)", "observed": f"observed {r}",
                "reallocated": f"{r} after the reallocation (same total)", "change": "reallocated - observed",
                "final_radial": "radial score on the reallocated data (1 = efficient)"}
        desc = {c: desc[c] for c in table.columns if c in desc}
        history = io.index_to_columns(pd.concat(leading_columns(self.ids, None, self.history.index)
                                                + [self.history], axis=1), has_ids=self.ids is not None)
        return io.Export(table=table, name="zsg allocation", specification=rows, descriptions=desc,
                         extra_tables={"rounds": history}, title=f"frontier zsg: {r}")


def plot_allocation(res: ZSGResult, path=None, *, lang: str = "en", ax=None, title: str | None = None,
                    figsize=None):
    """The observed and the reallocated amount of every DMU, sorted by the ZSG efficiency.
    ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (8, 4.6))
    t = res.table.sort_values("zsg")
    x = np.arange(len(t))
    ax.bar(x - 0.2, t["observed"], width=0.4, color=colors[0], label=label("observed", lang))
    ax.bar(x + 0.2, t["reallocated"], width=0.4, color=colors[1], label=label("reallocated", lang))
    ax.set_xticks(x)
    ax.set_xticklabels([str(v) for v in t.index], rotation=90, fontsize=7)
    ax.set_ylabel(word(res.reallocate, lang))
    legend_on_top(ax)
    ax.set_title(default_title(title, label("ZSG reallocation of {variable} (DMUs by ZSG efficiency)", lang,
                                            variable=word(res.reallocate, lang))), fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    return finish(fig, path)


ZSGResult.PLOTS = {"allocation": plot_allocation}
