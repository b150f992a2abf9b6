"""``DynamicResult``: the dynamic SBM of :func:`frontier.dynamic` (Tone & Tsutsui 2010), its tables, summary, export
and figure (the term efficiencies over time)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish, legend_on_top
from .._text import check_lang, label, word
from .base import FileExports, Specification, Summary, SummaryViews, export_header, row_line

SOURCE = "dynamic SBM with carry-overs (Tone & Tsutsui 2010, Omega 38); bad outputs as in SBM (Tone 2004)"
NETWORK_SOURCE = ("dynamic network SBM with links and carry-overs (Tone & Tsutsui 2014, Omega 42); bad outputs as in "
                  "SBM (Tone 2004)")
MEAN_OF_TERMS = {"input": "the period-weighted arithmetic mean of the term efficiencies",
                 "output": "the period-weighted harmonic mean of the term efficiencies",
                 "nonoriented": "a weighted mean of the term efficiencies (weights: period weight x the term's "
                                "output-side denominator), between the smallest and the largest"}


@dataclass(frozen=True)
class DynamicResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.dynamic`.

    Attributes
    ----------
    scores : Series, the overall efficiency of each entity over all periods, in (0, 1] (1 = efficient in every
        period); NaN where the LP failed (``status`` says why).
    terms : DataFrame, entity x period: the term (period) efficiencies in (0, 1] of the same solution.
    slacks, targets, observed : DataFrame, one row per (entity, period), one column per variable (inputs, outputs,
        bad outputs, carry-overs): slacks as improvements (input, bad output and bad carry-over excess; output and
        good carry-over shortfall; a free carry-over's signed change; 0 for a fixed one), targets = the period's
        reference combination.
    status : Series, the LP status per entity.
    carry_overs : {kind: columns}. period_weights : Series, W_t (summing to 1) in time order.
    spec : :class:`frontier.Specification` (``parameters`` holds the carry-overs and period weights).
    divisions : DataFrame, entity x node, dynamic network SBM only (else None): each node's (divisional) efficiency
        over all periods; ``terms`` are then the period efficiencies over all nodes.
    period_divisions : DataFrame, one row per (entity, period), a column per node, dynamic network SBM only: the
        period-node efficiencies.
    """

    scores: pd.Series
    terms: pd.DataFrame
    slacks: pd.DataFrame
    targets: pd.DataFrame
    observed: pd.DataFrame
    status: pd.Series
    carry_overs: dict
    period_weights: pd.Series
    spec: Specification
    divisions: pd.DataFrame | None = None
    period_divisions: pd.DataFrame | None = None

    @property
    def source(self) -> str:
        return SOURCE if self.divisions is None else NETWORK_SOURCE

    def to_frame(self) -> pd.DataFrame:
        """One row per (entity, period): the period's term efficiency, the entity's overall efficiency and status,
        (dynamic network SBM) the period-node efficiencies (``node_<node>``), and the slacks (``slack_<column>``)
        and targets (``target_<column>``) of every variable."""
        term = self.terms.stack(future_stack=True).rename("term")
        index = self.slacks.index
        term = term.reindex(index)
        entity = index.get_level_values(0)
        overall = pd.Series(self.scores.reindex(entity).to_numpy(), index=index, name="overall")
        status = pd.Series(self.status.reindex(entity).to_numpy(), index=index, name="status")
        nodes = [] if self.period_divisions is None else [self.period_divisions.add_prefix("node_")]
        return pd.concat([term, overall, status, *nodes, self.slacks.add_prefix("slack_"),
                          self.targets.add_prefix("target_")], axis=1)

    def term_table(self) -> pd.DataFrame:
        """Per period: the mean, median and minimum term efficiency across the entities, and how many are 1."""
        terms = self.terms
        return pd.DataFrame({"mean": terms.mean(), "median": terms.median(), "min": terms.min(),
                             "efficient": (terms == 1.0).sum(), "n": terms.notna().sum()})

    def summary(self) -> Summary:
        """The model and its carry-overs, the overall scores, how the overall relates to the terms, and the term
        efficiencies by period (``tables["terms by period"]``)."""
        s, scores = self.spec, self.scores
        title = f"frontier dynamic: {s['description']}"
        links = ", ".join(f"{kind} {list(cols)}" for kind, cols in self.carry_overs.items() if cols) or "none"
        rows = [("model", self.source), ("orientation", s["orientation"]), ("rts", s["rts"]),
                ("variables", f"inputs {s['inputs']}, outputs {s['outputs']}, bad outputs {s['bad_outputs']}"),
                ("carry-overs", links),
                ("entities x periods", f"{len(scores)} x {self.terms.shape[1]}"),
                ("period weights", ", ".join(f"{p} {w:.4g}" for p, w in self.period_weights.items())),
                ("overall", f"mean {scores.mean():.4f} (n = {int(scores.notna().sum())}), min {scores.min():.4f}, "
                            f"efficient {int((scores == 1.0).sum())}"),
                ("overall vs terms", MEAN_OF_TERMS[s["orientation"]])]
        if self.divisions is not None:
            rows.append(("node efficiencies", ", ".join(f"{node} mean {value:.4f}"
                                                        for node, value in self.divisions.mean().items())))
        failed = int((self.status != "optimal").sum())
        if failed:
            rows.append(("not optimal", f"{failed} entities (NaN; see status)"))
        if s.call is not None:
            rows.append(("call", str(s.call)))
        table = self.term_table()
        lines = [title] + [row_line(k, v) for k, v in rows] + ["", "term efficiencies by period:",
                                                                 table.to_string(float_format=lambda v: f"{v:.4f}")]
        return Summary("\n".join(lines), title, rows, {"terms by period": table})

    def __repr__(self) -> str:
        return f"<DynamicResult {self.spec['orientation']} {self.spec['rts']} n={len(self.scores)} " \
               f"T={self.terms.shape[1]}>"

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame`, entity and period leading), the model's settings, column descriptions, and the
        entity x period term efficiencies and the overall scores as extra tables (Excel sheets)."""
        s = self.spec
        table = self.to_frame().reset_index()
        rows = export_header(extra, s.call)
        rows += [("analysis", self.source), ("score", s["description"]), ("orientation", s["orientation"]),
                 ("rts", s["rts"]), ("inputs", io.format_value(s["inputs"])),
                 ("outputs", io.format_value(s["outputs"])), ("bad_outputs", io.format_value(s["bad_outputs"]))]
        rows += [(f"carry-overs {kind}", io.format_value(list(cols)))
                 for kind, cols in self.carry_overs.items() if cols]
        rows.append(("period weights", ", ".join(f"{p}={w:.6g}" for p, w in self.period_weights.items())))
        rows.append(("overall vs terms", MEAN_OF_TERMS[s["orientation"]]))
        desc = {"term": "the period's (term) efficiency in (0, 1] within the entity's dynamic LP",
                "overall": "the entity's overall dynamic SBM efficiency in (0, 1] over all periods",
                "status": "the LP status of the entity (a score is NaN unless optimal)"}
        desc.update({f"slack_{c}": f"slack of {c} (an improvement: excess or shortfall)" for c in self.slacks.columns})
        desc.update({f"target_{c}": f"target of {c} (the period's reference combination)"
                     for c in self.targets.columns})
        overall = pd.concat([self.scores, self.status], axis=1).reset_index()
        terms = self.terms.copy()
        terms.columns = [str(c) for c in terms.columns]
        extra = {"terms": terms.reset_index(), "overall": overall}
        if self.divisions is not None:
            desc.update({f"node_{c}": f"the efficiency of node {c} in the period (period-node efficiency)"
                         for c in self.period_divisions.columns})
            extra["nodes"] = self.divisions.reset_index()
        return io.Export(table=table, name="dynamic SBM", specification=rows, descriptions=desc,
                         extra_tables=extra,
                         title=f"frontier dynamic: {s['orientation']} {s['rts']}")


def plot_terms(res: DynamicResult, path=None, *, ax=None, title: str | None = None, entities=None, lang: str = "en",
               figsize=None):
    """The term efficiencies over time: the mean across entities with the interquartile band, or the ``entities``'
    own lines. ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (7, 4.6))
    terms = res.terms
    x = np.arange(terms.shape[1])
    if entities is not None:
        for k, name in enumerate(entities):
            ax.plot(x, terms.loc[name].to_numpy(), marker="o", ms=3.5, color=colors[k % len(colors)], label=str(name))
    else:
        ax.fill_between(x, terms.quantile(0.25).to_numpy(), terms.quantile(0.75).to_numpy(), color=colors[0],
                        alpha=0.2, label=label("interquartile range", lang))
        ax.plot(x, terms.mean().to_numpy(), marker="o", ms=3.5, color=colors[0],
                label=label("mean term efficiency", lang))
    ax.set_xticks(x)
    ax.set_xticklabels([str(c) for c in terms.columns])
    ax.set_xlabel(word(terms.columns.name or "period", lang))
    ax.set_ylabel(label("term efficiency (1 = efficient)", lang))
    legend_on_top(ax)
    ax.set_title(default_title(title, label("dynamic SBM term efficiencies, n = {n}", lang, n=len(terms))), fontsize=10)
    ax.grid(True, alpha=0.3)
    return finish(fig, path)


DynamicResult.PLOTS = {"terms": plot_terms}
