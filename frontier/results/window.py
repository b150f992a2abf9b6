"""``WindowAnalysisResult``: the scores of :func:`frontier.window_analysis` (Charnes, Clark, Cooper & Golany 1985),
the paper's table and views, summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, category_ticks, figure, finish
from .._text import check_lang, label, word
from ..models import family as model_family
from .base import (FileExports, Specification, Summary, SummaryViews, export_header, export_parameter_rows,
                   export_spec_rows, model_name, row_line, spec_rows)


@dataclass(frozen=True)
class WindowAnalysisResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.window_analysis` (Charnes, Clark, Cooper & Golany 1985).

    scores : tidy DataFrame, one row per (entity, window, period): ``score`` and LP ``status`` of the
        observation of that entity and period scored against the pooled reference set of that window. Sorted by
        entity (first appearance), window, period.
    spec : the specification (``technology="window_analysis"``, ``window`` = the width).
    windows : the periods of each window, in order.
    period_order : the panel's periods from the earliest.

    Views (each a DataFrame computed from ``scores``; NaN scores are skipped and counted):
    :meth:`table` (entity x window rows, period columns: the paper's table), :attr:`by_entity` (mean, column
    range, total range per entity), :attr:`row_view` (per entity and window), :attr:`column_view` (per entity and
    period). ``to_excel`` writes the scores, these views (one sheet each) and a ``specification`` sheet.
    """

    scores: pd.DataFrame
    spec: Specification
    windows: tuple
    period_order: tuple = ()

    @property
    def _keys(self) -> tuple[str, str]:
        return self.spec.entity, self.spec.period

    def _entities(self) -> list:
        return list(pd.unique(self.scores[self.spec.entity]))

    def table(self) -> pd.DataFrame:
        """The paper's table: one row per (entity, window), one column per period (NaN where the window does not
        contain the period or the LP failed)."""
        ent, per = self._keys
        wide = self.scores.pivot(index=[ent, "window"], columns=per, values="score")
        rows = pd.MultiIndex.from_frame(self.scores[[ent, "window"]].drop_duplicates())
        return wide.reindex(index=rows, columns=[p for p in self.period_order if p in wide.columns])

    @property
    def row_view(self) -> pd.DataFrame:
        """Per (entity, window): ``mean``, ``min``, ``max``, ``range`` of the window's scores over its periods,
        and ``n`` (scores) and ``n_nan`` (failed LPs)."""
        ent, _ = self._keys
        return self._stats([ent, "window"])

    @property
    def column_view(self) -> pd.DataFrame:
        """Per (entity, period): ``mean``, ``min``, ``max``, ``range`` of the period's scores across the windows
        that contain it, ``n`` and ``n_nan``."""
        return self._stats(list(self._keys))

    @property
    def by_entity(self) -> pd.DataFrame:
        """Per entity: ``mean`` of all its scores, ``column_range`` (the largest range of one period's scores
        across windows, Cooper, Seiford & Tone's LDY), ``total_range`` (max - min of all its scores, their LDT),
        ``n`` and ``n_nan``."""
        ent, _ = self._keys
        total = self._stats([ent])
        columns = self.column_view["range"].groupby(level=0, sort=False).max()
        out = pd.DataFrame({"mean": total["mean"], "column_range": columns.reindex(total.index),
                            "total_range": total["range"], "n": total["n"], "n_nan": total["n_nan"]})
        return out

    def _stats(self, keys: list) -> pd.DataFrame:
        grouped = self.scores.groupby(keys, sort=False)["score"]
        out = grouped.agg(["mean", "min", "max", "count", "size"])
        out["range"] = out["max"] - out["min"]
        out["n_nan"] = out["size"] - out["count"]
        out = out.rename(columns={"count": "n"})[["mean", "min", "max", "range", "n", "n_nan"]]
        if self.spec.period in keys:
            rank = pd.Index(self.period_order).get_indexer(out.index.get_level_values(self.spec.period))
            ent_rank = pd.Index(self._entities()).get_indexer(out.index.get_level_values(0))
            out = out.iloc[np.lexsort((rank, ent_rank))]
        return out

    def to_frame(self) -> pd.DataFrame:
        """``scores`` indexed by (entity, window, period)."""
        ent, per = self._keys
        return self.scores.set_index([ent, "window", per])

    def summary(self) -> Summary:
        """The specification, LP outcomes, the mean score of each window (with n and the NaN count) and the
        per-entity ranges. Prints as text; in a notebook it renders as HTML tables (:class:`Summary`)."""
        s = self.spec
        sc = self.scores
        title = f"frontier window analysis: width {s.window}, {len(self.windows)} window(s), model {s.model}"
        rows = [("score", s.description)]
        rows += spec_rows(s, ["orientation", "rts", "super_efficiency", "bad_disposability", "direction", "weights",
                              "zeros"])
        rows.append(("observations", f"{s.n_observations} ({s.n_entities} entities, {s.n_periods} periods); "
                                     f"{len(sc)} scores (each observation in up to {s.window} windows)"))
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in sc["status"].value_counts().items())))
        lines = [title] + [row_line(k, v) for k, v in rows]
        by_window = self._stats(["window"])
        tables = {"by window": by_window}
        lines.append("  by window (mean score, n scores, n NaN):")
        for w, r in by_window.iterrows():
            lines.append(f"    {w:<16} {r['mean']:.4f}  n={int(r['n'])}  NaN={int(r['n_nan'])}")
        ent = self.by_entity
        ok = ent.dropna(subset=["mean"])
        if len(ok):
            rows.append(("per entity", f"mean of means {ok['mean'].mean():.4f} (n={len(ok)}), mean column range "
                                       f"{ok['column_range'].mean():.4f}, mean total range "
                                       f"{ok['total_range'].mean():.4f}; largest total range "
                                       f"{ok['total_range'].max():.4f} ({ok['total_range'].idxmax()})"))
            lines.append(row_line(*rows[-1]))
            tables["by entity"] = ent
        return Summary("\n".join(lines), title, rows, tables)

    def export(self, extra: dict | None = None) -> io.Export:
        """The scores (one row per entity, window, period), the specification, column descriptions and, as extra
        tables (Excel sheets), the paper's table, the per-entity statistics and the row and column views."""
        return window_export(self, extra)

    def plot(self, path=None, **kwargs):
        """Mean score of each window by period (one line per window); see :func:`frontier.plots.plot_windows`."""
        return self.draw("windows", path, **kwargs)

    def __repr__(self) -> str:
        return f"<WindowAnalysisResult {self.spec.model} width={self.spec.window} windows={len(self.windows)}>"


def window_export(res, extra: dict | None = None) -> io.Export:
    """The tables, specification and column descriptions of a :class:`WindowAnalysisResult` (its ``export``):
    the scores (one row per entity, window, period) and, as extra sheets, the paper's table, the per-entity
    statistics and the row and column views."""
    spec = res.spec
    ent, per = spec["entity"], spec["period"]
    rows = export_header(extra, spec.call)
    rows.append(("analysis", f"window analysis (Charnes, Clark, Cooper & Golany 1985): width {spec['window']}, "
                             f"{len(res.windows)} windows; every observation scored against the pooled periods of "
                             "each window that contains it"))
    rows.append(("score", spec.get("description", "")))
    rows.append(("convention", model_family(spec["model"]).convention))
    rows += export_spec_rows(spec, ("model", "orientation", "rts", "super_efficiency", "bad_disposability",
                                    "direction", "weights", "zeros", "entity", "period", "inputs", "outputs",
                                    "bad_outputs", "n_observations", "n_entities", "n_periods"))
    rows += export_parameter_rows(spec)
    rows.append(("LP status", io.status_counts(res.scores["status"])))
    table = res.table()
    table.columns = [str(c) for c in table.columns]
    extra_tables = {"window table": table.reset_index(), "by entity": res.by_entity.reset_index(),
                    "row view": res.row_view.reset_index(), "column view": res.column_view.reset_index()}
    desc = {ent: "entity", "window": "the window (its first and last period)", per: "period",
            "score": f"score against the window's pooled frontier: {spec.get('description', '')}",
            "status": "LP status: optimal, or why the score is missing (infeasible, ...)"}
    return io.Export(table=res.scores.copy(), name="window scores", specification=rows, descriptions=desc,
                  extra_tables=extra_tables, title=f"frontier window analysis: {spec['model']} {spec['rts']}, "
                                                    f"width {spec['window']}")


# ----------------------------------------------------------------------------------------------------
# the figure
# ----------------------------------------------------------------------------------------------------

def plot_windows(res, path=None, *, entities=None, lang: str = "en", ax=None, title: str | None = None,
                 figsize=None):
    """Window analysis (Charnes, Clark, Cooper & Golany 1985): one line per window over its periods.

    Without ``entities``, each line is the mean score over all entities of each period in that window (a
    failed LP is left out of the mean); with ``entities`` (a list of entity labels), one panel per entity shows
    its own rows of the paper's table. Where the lines of one period disagree, the period's score depends on
    the window (the paper's "column view"). ``lang="zh"``: the labels in Simplified Chinese
    (:data:`frontier._text.ZH`). Returns the Figure.
    """
    check_lang(lang)
    if not isinstance(res, WindowAnalysisResult):
        raise TypeError(f"plot_windows needs a WindowAnalysisResult, got {type(res).__name__}")
    spec = res.spec
    ent, per = spec.entity, spec.period
    periods = list(res.period_order)
    x_of = {p: i for i, p in enumerate(periods)}
    efficient = model_family(spec.model).efficient_value(spec.orientation)
    if entities is None:
        panels = [(label("all entities (mean)", lang), res.scores.groupby(["window", per], sort=False)["score"].mean())]
    else:
        known = set(res.scores[ent])
        missing = [e for e in entities if e not in known]
        if missing:
            raise ValueError(f"entities {missing[:5]} are not in the window analysis")
        panels = [(str(e), res.scores[res.scores[ent] == e].set_index(["window", per])["score"]) for e in entities]
    fig, axes = figure(ax, path, figsize or (min(5.5 * len(panels), 16), 4.4), ncols=len(panels))
    for axis, (name, values) in zip(axes, panels):
        for w in dict.fromkeys(values.index.get_level_values(0)):
            line = values.xs(w, level=0)
            xs = [x_of[p] for p in line.index]
            axis.plot(xs, line.to_numpy(float), marker="o", ms=4, lw=1.4, label=str(w))
        axis.axhline(efficient, color="0.45", lw=0.9, ls="--", zorder=0)
        category_ticks(axis, np.arange(len(periods)), periods)
        axis.set_xlabel(word(per, lang))
        axis.set_title(name, fontsize=10)
        axis.grid(True, axis="y", alpha=0.3)
    axes[0].set_ylabel(label("inefficiency (0 = efficient)" if efficient == 0 else "efficiency score (1 = efficient)",
                             lang))
    axes[-1].legend(title=label("window", lang), frameon=False, fontsize=8, loc="best")
    fig.suptitle(default_title(title, label("Window analysis: {model} ({rts}), width {width}", lang,
                                            model=model_name(spec), rts=spec.rts.upper(), width=spec.window)),
                 fontsize=11)
    return finish(fig, path)


WindowAnalysisResult.PLOTS = {"windows": plot_windows}
