"""``ThreeStageResult``: three-stage DEA (:func:`frontier.three_stage`): the scores before and after the
adjustment, the second stage's frontier per input slack with its LR test, the separation of each slack into
environment, managerial inefficiency and noise, the adjusted inputs; summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish, legend_on_top
from .._text import check_lang, label
from .base import FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, row_line
from .efficiency import EfficiencyResult

SEPARATION = ("E[u|e] (Jondrow et al. 1982; for the half-normal cost frontier Luo Dengyue 2012's formula), "
              "E[v|e] = s - z b - E[u|e]")
ADJUSTMENT = "x_A = x + [max(z b) - z b] + [max(v) - v] (Fried, Lovell, Schmidt & Yaisawarng 2002)"


@dataclass(frozen=True)
class ThreeStageResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.three_stage`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    stage1, stage3 : :class:`~frontier.EfficiencyResult`, the model on the observed and on the adjusted inputs.
    sfa : dict input -> the second stage's :class:`~frontier.analyses.sfa.SFAResult` (its ``table()`` and
        ``lr_test``), None for an input whose slack does not vary (not adjusted).
    slacks : DataFrame, the total slack of every input, x - target (radial plus non-radial).
    environment_effect : DataFrame, z b per input (the fitted slack frontier).
    managerial : DataFrame, E[u | e] per input (managerial inefficiency).
    noise : DataFrame, E[v | e] = s - z b - E[u | e] per input.
    adjusted : DataFrame, the inputs of stage 3.
    table : DataFrame, ``score_stage1``, ``status_stage1``, ``score_stage3``, ``status_stage3``, ``change``.
    environment, distribution : as called. warnings : the second stages' warnings, each naming its input.
    spec : :class:`frontier.Specification` (the model's settings and the call). ids : the ``id`` columns or None.
    """

    stage1: EfficiencyResult
    stage3: EfficiencyResult
    sfa: dict
    slacks: pd.DataFrame
    environment_effect: pd.DataFrame
    managerial: pd.DataFrame
    noise: pd.DataFrame
    adjusted: pd.DataFrame
    table: pd.DataFrame
    environment: tuple
    distribution: str
    warnings: tuple
    spec: Specification
    ids: pd.DataFrame | None = None

    @property
    def scores(self) -> pd.Series:
        """The stage-3 scores (environment and noise purged)."""
        return self.table["score_stage3"]

    def second_stage(self) -> pd.DataFrame:
        """Every second-stage frontier's regression table, stacked: index (input, term)."""
        tables = {name: fit.table() for name, fit in self.sfa.items() if fit is not None}
        if not tables:
            return pd.DataFrame()
        return pd.concat(tables, names=["input", "term"])

    def lr_tests(self) -> pd.DataFrame:
        """One row per input: the LR test of the one-sided error (gamma = 0), gamma, the log-likelihood."""
        rows = {}
        for name, fit in self.sfa.items():
            if fit is None:
                continue
            t = fit.lr_test
            rows[name] = {"gamma": float(fit.params["gamma"]), "sigma_squared": float(fit.params["sigma_squared"]),
                          "loglik": fit.loglik, "lr_statistic": t.statistic, "df": t.df, "p_value": t.p_value,
                          "critical_5": t.critical_5}
        out = pd.DataFrame.from_dict(rows, orient="index")
        out.index.name = "input"
        return out

    def to_frame(self) -> pd.DataFrame:
        """The scores before and after, then per input ``slack_<x>``, ``environment_<x>`` (z b),
        ``managerial_<x>`` (E[u|e]), ``noise_<x>`` (E[v|e]) and ``adjusted_<x>``, led by the ``id`` columns."""
        parts = [self.table]
        for name in self.adjusted.columns:
            parts.append(pd.DataFrame({f"slack_{name}": self.slacks[name],
                                       f"environment_{name}": self.environment_effect[name],
                                       f"managerial_{name}": self.managerial[name],
                                       f"noise_{name}": self.noise[name],
                                       f"adjusted_{name}": self.adjusted[name]}))
        return pd.concat(leading_columns(self.ids, None, self.table.index) + parts, axis=1)

    def summary(self) -> Summary:
        """The model, the environment, the second stage per input (gamma and the LR test) and the mean scores
        before and after."""
        s, t = self.spec, self.table
        title = f"frontier three_stage: {s['description']}, environment {list(self.environment)}"
        rows = [("model", s["description"]), ("environment", ", ".join(self.environment)),
                ("second stage", f"cost-type SFA of each input slack, {self.distribution.replace('_', '-')} "
                                 "inefficiency"),
                ("separation", SEPARATION), ("adjustment", ADJUSTMENT), ("DMUs", len(t))]
        for name, fit in self.sfa.items():
            rows.append((f"slack of {name}", "no variation: not adjusted" if fit is None else
                         f"gamma {fit.params['gamma']:.4f}; {fit.lr_test}"))
        rows += [("mean score", f"stage 1 {t['score_stage1'].mean():.4f}, stage 3 {t['score_stage3'].mean():.4f}"),
                 ("efficient DMUs", f"stage 1 {int(np.isclose(t['score_stage1'], 1.0).sum())}, stage 3 "
                                    f"{int(np.isclose(t['score_stage3'], 1.0).sum())}")]
        if self.warnings:
            rows.append(("warnings", f"{len(self.warnings)} (see .warnings)"))
        if s.call is not None:
            rows.append(("call", str(s.call)))
        lines = [title] + [row_line(k, v) for k, v in rows]
        second = self.second_stage()
        if len(second):
            lines += ["", second.to_string(float_format=lambda v: f"{v:.4f}", na_rep="NaN")]
        return Summary("\n".join(lines), title, rows, {"second stage": second, "LR tests": self.lr_tests()})

    def __repr__(self) -> str:
        return f"<ThreeStageResult {self.spec['model']} n={len(self.table)} environment={list(self.environment)}>"

    def export(self, extra: dict | None = None) -> io.Export:
        """The per-DMU table (:meth:`to_frame`), the second-stage coefficients and LR tests as extra tables."""
        s = self.spec
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        rows = export_header(extra, s.call) + [
            ("analysis", "three-stage DEA (Fried, Lovell, Schmidt & Yaisawarng 2002)"),
            ("model", s["description"]), ("inputs", io.format_value(s["inputs"])),
            ("outputs", io.format_value(s["outputs"])), ("environment", io.format_value(list(self.environment))),
            ("second stage", f"cost-type SFA per input slack ({self.distribution})"),
            ("separation", SEPARATION), ("adjustment", ADJUSTMENT)]
        if s["bad_outputs"]:
            rows.append(("bad_outputs", io.format_value(s["bad_outputs"])))
        rows += [(f"warning {k + 1}", text) for k, text in enumerate(self.warnings)]
        desc = {"score_stage1": "stage-1 score (observed inputs)", "status_stage1": "stage-1 solver status",
                "score_stage3": "stage-3 score (adjusted inputs)", "status_stage3": "stage-3 solver status",
                "change": "score_stage3 - score_stage1"}
        for name in self.adjusted.columns:
            desc.update({f"slack_{name}": f"total slack of {name}: x - target",
                         f"environment_{name}": f"z b: the environment's part of the slack of {name}",
                         f"managerial_{name}": f"E[u|e]: managerial inefficiency in the slack of {name}",
                         f"noise_{name}": f"E[v|e] = slack - z b - E[u|e]: statistical noise ({name})",
                         f"adjusted_{name}": f"adjusted {name}: x + [max(z b) - z b] + [max(v) - v]"})
        desc = {c: desc[c] for c in table.columns if c in desc}
        extra_tables = {}
        second = self.second_stage()
        if len(second):
            extra_tables["second stage"] = second.reset_index()
            extra_tables["lr tests"] = self.lr_tests().reset_index()
        return io.Export(table=table, name="three-stage DEA", specification=rows, descriptions=desc,
                         extra_tables=extra_tables, title=f"frontier three_stage: {s['model']}")


def plot_change(res: ThreeStageResult, path=None, *, lang: str = "en", ax=None, title: str | None = None,
                figsize=None):
    """Each DMU's stage-3 score against its stage-1 score, with the 45-degree line.
    ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (5.6, 5.2))
    t = res.table
    ax.scatter(t["score_stage1"], t["score_stage3"], s=16, color=colors[0], label=label("DMUs ({n})", lang, n=len(t)))
    both = pd.concat([t["score_stage1"], t["score_stage3"]]).dropna()
    if len(both):
        low, high = float(both.min()), float(both.max())
        ax.plot([low, high], [low, high], color="grey", linewidth=1, label=label("no change", lang))
    ax.set_xlabel(label("stage 1 score (observed inputs)", lang))
    ax.set_ylabel(label("stage 3 score (adjusted inputs)", lang))
    legend_on_top(ax)
    ax.set_title(default_title(title, label("three-stage DEA, n = {n}", lang, n=len(t))), fontsize=10)
    ax.grid(True, alpha=0.3)
    return finish(fig, path)


ThreeStageResult.PLOTS = {"change": plot_change}
