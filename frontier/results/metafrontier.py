"""``MetafrontierResult``: group and meta scores of :func:`frontier.metafrontier` and the technology gap, their
table, summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import (annotate_counts, colors as palette, default_title, figure, finish, legend_on_top, n_range,
                         period_axis, sorted_periods)
from .._text import check_lang, label, word
from ..models import family as model_family
from .base import (FileExports, Specification, Summary, SummaryViews, export_header, export_spec_rows,
                   export_parameter_rows, leading_columns, model_name, row_line, spec_rows)


@dataclass(frozen=True)
class MetafrontierResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.metafrontier`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    groups : Series, each DMU's group (named after the group column).
    group_scores, group_status : the score against the DMU's group frontier and its LP status.
    meta_scores, meta_status : the score against the metafrontier (``spec.meta``: pooled or union) and its
        status (for the union: ``"infeasible"`` when no group's LP is feasible, or which group's LP failed).
    technology_gap : Series named ``"tgr"`` (technology gap ratio E*/E^g in (0, 1], models scored as
        efficiencies) or ``"gap"`` (D* - D^g >= 0, the DDF family's inefficiencies); NaN where a score is.
    spec : :class:`Specification` (``group``, ``meta`` and the model's options).
    periods : the period of each DMU, or None.
    ids : DataFrame of the ``id`` columns (``metafrontier(..., id=...)``), indexed like the data, else None.
    """

    groups: pd.Series
    group_scores: pd.Series
    group_status: pd.Series
    meta_scores: pd.Series
    meta_status: pd.Series
    technology_gap: pd.Series
    spec: Specification
    periods: pd.Series | None = None
    ids: pd.DataFrame | None = None

    @property
    def ratio(self) -> bool:
        """True when the gap is the ratio TGR (efficiency scores), False for the additive gap (DDF family)."""
        return self.technology_gap.name == "tgr"

    @property
    def tgr(self) -> pd.Series:
        """The technology gap ratio E*/E^g (models scored as efficiencies)."""
        if not self.ratio:
            raise AttributeError(f"model {self.spec.model!r} scores inefficiencies: its technology gap is the "
                                 "difference .gap = meta_score - group_score, not a ratio")
        return self.technology_gap

    @property
    def gap(self) -> pd.Series:
        """The additive technology gap D* - D^g (DDF family)."""
        if self.ratio:
            raise AttributeError(f"model {self.spec.model!r} scores efficiencies: its technology gap is the "
                                 "ratio .tgr = E*/E^g")
        return self.technology_gap

    def to_frame(self) -> pd.DataFrame:
        """The ``id`` columns (when given), the period (unless an index level without ids), group,
        ``group_score``, ``group_status``, ``meta_score``, ``meta_status`` and ``tgr`` or ``gap``, indexed like the
        data (merges straight back onto it, on its index or on the id columns)."""
        index = self.group_scores.index
        parts = leading_columns(self.ids, self.periods, index)
        taken = [c for p in parts for c in (p.columns if isinstance(p, pd.DataFrame) else [p.name])]
        if self.groups.name not in taken and (self.ids is not None or self.groups.name not in index.names):
            parts.append(self.groups)
        parts += [self.group_scores, self.group_status, self.meta_scores, self.meta_status, self.technology_gap]
        return pd.concat(parts, axis=1)

    def by(self, level: str = "group") -> pd.DataFrame:
        """Mean scores and technology gap by ``"group"``, ``"period"`` or ``"group_period"``, each mean with
        its count beside it (``n_group``, ``n_meta``, ``n_tgr`` / ``n_gap``: the DMUs whose value is defined)."""
        keys = {"group": [self.groups], "period": [self.periods], "group_period": [self.groups, self.periods]}
        if level not in keys or any(k is None for k in keys[level]):
            raise ValueError("level must be 'group', or with periods 'period' or 'group_period'")
        gap = self.technology_gap.name
        frame = pd.DataFrame({"group_score": self.group_scores, "meta_score": self.meta_scores,
                              gap: self.technology_gap})
        grouped = frame.groupby([k.to_numpy() for k in keys[level]], sort=False)
        means, counts = grouped.mean(), grouped.count()
        out = pd.DataFrame({"group_score": means["group_score"], "n_group": counts["group_score"],
                            "meta_score": means["meta_score"], "n_meta": counts["meta_score"],
                            gap: means[gap], f"n_{gap}": counts[gap]})
        out.index.names = [k.name for k in keys[level]]
        return out

    def summary(self) -> Summary:
        """The specification, LP outcomes and the mean group score, meta score and technology gap by group (and by
        period), each mean with the number of DMUs behind it (:meth:`by`).

        Prints as text; in a notebook it renders as HTML tables (:class:`Summary`)."""
        s = self.spec
        gap = self.technology_gap.name
        what = "TGR = E*/E^g (1 = on the metafrontier)" if self.ratio else "gap = D* - D^g (0 = on the metafrontier)"
        title = f"frontier metafrontier: {s['meta']} metafrontier over the groups of {s['group']!r}"
        rows = [("score", s["description"])]
        rows += spec_rows(s, ["model", "orientation", "rts", "super_efficiency", "bad_disposability", "direction",
                               "weights", "technology", "window", "zeros"])
        rows.append(("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"
                     + (f", bad outputs {s['bad_outputs']}" if s['bad_outputs'] else "")))
        rows.append(("DMUs", f"{len(self.groups)} in {self.groups.nunique()} groups"))
        for name, status in (("group LP status", self.group_status), ("meta LP status", self.meta_status)):
            rows.append((name, ", ".join(f"{k}: {v}" for k, v in status.value_counts().items())))
        rows.append((gap, what))
        lines = [title] + [row_line(k, v) for k, v in rows]
        tables = {}
        for level in ["group"] + (["period"] if self.periods is not None else []):
            table = self.by(level)
            tables[f"mean by {level} (n = DMUs with a defined value)"] = table
            lines.append(f"  mean by {level} (n = DMUs with a defined value):")
            lines.append("    " + table.round(4).to_string().replace("\n", "\n    "))
        ok = self.technology_gap.dropna()
        if len(ok):
            rows.append((f"{gap} overall", f"mean {ok.mean():.4f} (n={len(ok)}), min {ok.min():.4f}, "
                                           f"max {ok.max():.4f}"))
            lines.append(row_line(*rows[-1]))
        return Summary("\n".join(lines), title, rows, tables)

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame` with the index as leading columns), specification and column descriptions."""
        return metafrontier_export(self, extra)

    def plot(self, path=None, *, over: str = "group", **kwargs):
        """The technology gap by group (``over="group"``: box plots with the mean and n per group) or its mean by
        group and period (``over="period"``, results with ``period=``); see :func:`frontier.plots.plot_tgr`."""
        return self.draw("tgr", path, over=over, **kwargs)

    def __repr__(self) -> str:
        return (f"<MetafrontierResult {self.spec['meta']} {self.spec['model']} n={len(self.groups)} "
                f"groups={self.groups.nunique()}>")


def metafrontier_export(res, extra: dict | None = None) -> io.Export:
    """The table, specification and column descriptions of a :class:`MetafrontierResult` (its ``export``)."""
    spec = res.spec
    table = io.index_to_columns(res.to_frame(), has_ids=res.ids is not None)
    rows = export_header(extra, spec.call)
    rows.append(("score", spec.get("description", "")))
    rows.append(("convention", model_family(spec["model"]).convention))
    rows.append(("technology gap", "tgr = E*/E^g in (0, 1], 1 = the group frontier touches the metafrontier"
                 if res.ratio else "gap = D* - D^g >= 0, 0 = the group frontier touches the metafrontier"))
    rows += export_spec_rows(spec, ("group", "meta", "model", "orientation", "rts", "super_efficiency",
                                    "bad_disposability", "direction", "weights", "period", "technology", "window",
                                    "zeros", "id", "inputs", "outputs", "bad_outputs"))
    rows += export_parameter_rows(spec)
    rows.append(("DMUs", f"{len(res.groups)} in {res.groups.nunique()} groups"))
    rows.append(("group LP status", io.status_counts(res.group_status)))
    rows.append(("meta LP status", io.status_counts(res.meta_status)))
    meta = f"{spec['meta']} metafrontier" + (" (convex hull of all groups)" if spec["meta"] == "pooled"
                                             else " (union of the group technologies)")
    desc = {c: "identifies the DMU" for c in (spec.get("id") or [])}
    desc.update({spec["group"]: "group of the DMU", "group_score": f"score against the group frontier: "
            f"{spec.get('description', '')}", "group_status": "LP status of the group score",
            "meta_score": f"score against the {meta}", "meta_status": "LP status of the meta score",
            "tgr": "technology gap ratio E*/E^g (meta over group efficiency)",
            "gap": "technology gap D* - D^g (meta minus group inefficiency)"})
    if spec.get("period"):
        desc[spec["period"]] = "period"
    desc = {c: desc[c] for c in table.columns if c in desc}
    label = f"frontier metafrontier: {spec['meta']}, {spec['model']} {spec['rts']}"
    return io.Export(table=table, name="metafrontier", specification=rows, descriptions=desc, title=label)


# ----------------------------------------------------------------------------------------------------
# the figure
# ----------------------------------------------------------------------------------------------------

def plot_tgr(res, path=None, *, over: str = "group", lang: str = "en", ax=None, title: str | None = None,
             figsize=None):
    """The technology gap of a :class:`~frontier.MetafrontierResult`: the TGR E*/E^g, or for the DDF family the
    gap D* - D^g.

    ``over="group"``: a box plot per group with its mean (diamond); each group's label carries ``n``, the DMUs
    with a defined gap (and how many are NaN). ``over="period"`` (results with ``period=``): the mean gap of
    each group in each period, one line per group, with ``n`` in the legend and written under every point.
    The means are those of ``res.by("group")`` / ``res.by("group_period")`` and the summary. The dashed line
    is the metafrontier (TGR = 1, gap = 0), where the group frontier touches it. ``lang="zh"``: the labels in
    Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure.
    """
    check_lang(lang)
    if not isinstance(res, MetafrontierResult):
        raise TypeError(f"plot_tgr needs a MetafrontierResult, got {type(res).__name__}")
    if over not in ("group", "period"):
        raise ValueError(f"over must be 'group' or 'period', got {over!r}")
    if over == "period" and res.periods is None:
        raise ValueError("over='period' needs a result computed with period= (the mean gap by group and period)")
    spec = res.spec
    gap = res.technology_gap.name
    on_meta = 1.0 if res.ratio else 0.0
    ylabel = label("TGR = E*/E^g (1 = on the metafrontier)" if res.ratio else
                   "gap = D* - D^g (0 = on the metafrontier)", lang)
    what = "TGR" if res.ratio else label("technology gap", lang)
    model = label("{model}, {rts}, {meta} metafrontier", lang, model=model_name(spec), rts=spec["rts"].upper(),
                  meta=label(spec["meta"], lang))
    group = word(spec["group"], lang)
    colors = palette()
    values = res.technology_gap.astype(float)
    if over == "group":
        table = res.by("group")
        groups = list(table.index)
        fig, (ax,) = figure(ax, path, figsize or (max(5.5, 1.1 * len(groups) + 2.5), 4.6))
        members = [values[(res.groups == g).to_numpy()] for g in groups]
        data = [m.dropna().to_numpy() for m in members]
        keep = [i for i, d in enumerate(data) if len(d)]
        x = np.arange(len(groups))
        ax.boxplot([data[i] for i in keep], positions=x[keep], widths=0.6, patch_artist=True,
                   boxprops=dict(facecolor=colors[0], alpha=0.35), medianprops=dict(color=colors[0], lw=2),
                   flierprops=dict(marker=".", ms=3, alpha=0.5))
        ax.plot(x, table[gap].to_numpy(dtype=float), ls="none", marker="D", ms=6, color=colors[1],
                label=label("mean", lang))
        labels = []
        for g, m in zip(groups, members):
            nan = int(m.isna().sum())
            labels.append(f"{g}\nn={int(m.notna().sum())}" + (f"\n({nan} NaN)" if nan else ""))
        ax.set_xticks(x)
        ax.set_xticklabels(labels)
        ax.set_xlim(-0.6, len(groups) - 0.4)
        ax.set_xlabel(label("{group} (n = DMUs with a defined {gap})", lang, group=group, gap=gap))
        ax.set_title(default_title(title, label("{what} by {group} ({model})", lang, what=what, group=group,
                                                model=model)), fontsize=11)
    else:
        table = res.by("group_period")
        groups = list(pd.unique(table.index.get_level_values(0)))
        periods = sorted_periods(res.periods)
        fig, (ax,) = figure(ax, path, figsize or (8, 4.8))
        pos = period_axis(ax, periods)
        counts = []
        for i, g in enumerate(groups):
            part = table.xs(g, level=0).reindex(periods)
            n = part[f"n_{gap}"].fillna(0).astype(int)
            drawn = [p for p in periods if n[p] > 0]
            color = colors[i % len(colors)]
            ax.plot([pos[p] for p in drawn], part.loc[drawn, gap].to_numpy(dtype=float), color=color, lw=2,
                    marker="o", ms=4, label=f"{g}, n = {n_range(n[drawn])}")
            counts.append(([pos[p] for p in periods], n.to_numpy(), color))
        annotate_counts(ax, counts)
        pname = res.periods.name if isinstance(res.periods.name, str) else "period"
        ax.set_xlabel(label("{period} ({technology} frontiers; n = DMUs per point)", lang, period=word(pname, lang),
                            technology=label(spec.get("technology") or "contemporaneous", lang)))
        ax.set_title(default_title(title, label("mean {what} by {group} and {period} ({model})", lang, what=what,
                                                group=group, period=word(pname, lang), model=model)), fontsize=11)
    ax.axhline(on_meta, color="0.45", lw=0.9, ls="--", zorder=0, label=label("metafrontier", lang))
    ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", alpha=0.3)
    if over == "group":
        ax.legend(frameon=False, fontsize=9, loc="best")
    else:
        legend_on_top(ax)                  # the counts take the bottom of the axes
    return finish(fig, path)


MetafrontierResult.PLOTS = {"tgr": plot_tgr}
