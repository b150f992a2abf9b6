"""``NetworkResult``: the system, stage and node efficiencies of :func:`frontier.network` (network DEA: Kao & Hwang
2008, Kao 2009, Chen, Cook, Li & Zhu 2009; network SBM, Tone & Tsutsui 2009), their table, summary and export."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import io
from ..models import family as model_family
from .base import FileExports, Specification, Summary, SummaryViews, export_header, row_line


@dataclass(frozen=True)
class NetworkResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.network`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    system : Series, the system efficiency (relational) or overall efficiency (additive, network SBM), 1 =
        efficient.
    nodes : DataFrame, each node's efficiency under the reported multipliers (one column per node); network SBM:
        the divisional efficiencies of Tone & Tsutsui.
    stages : DataFrame, each stage's efficiency (columns ``"1"``, ``"2"``, ...): relational, they multiply to
        ``system``; additive, their mean weighted by ``stage_weights`` is ``system``. None for network SBM.
    slacks : DataFrame, relational: each node's share of the inefficiency (they add up to 1 - system); network
        SBM: each input's and bad output's excess and each desirable output's shortfall (one column per variable,
        in the data's units). None for the additive model.
    targets : DataFrame (network SBM), the projection of every variable and link (a link: its producer's side,
        held at the observed value for a fixed link).
    stage_weights : DataFrame (additive), each stage's share of the total input value (Chen et al.'s w_s).
    ccr : DataFrame, the independent input-oriented CCR scores of the black box (``system``) and of each node on
        its own (what it consumes -> what it produces); None when not asked for.
    multipliers : DataFrame (relational, additive), the weight of each measure in the user's units, scaled so the
        system input value is 1.
    status : Series, ``"optimal"``; ``"decomposition_failed"`` when only the tie-rule LP failed (the system score
        stands, the decomposition is NaN); ``"first_stage_weight_zero"`` (additive) when it failed because the first
        stage has weight 0 at every optimum of the system score, where Chen et al.'s decomposition does not exist; else the failed LP's status (everything NaN).
    spec : :class:`frontier.Specification`; ``spec.network`` holds the nodes, stages and measures.
    """

    system: pd.Series
    nodes: pd.DataFrame
    stages: pd.DataFrame | None
    slacks: pd.DataFrame | None
    targets: pd.DataFrame | None
    stage_weights: pd.DataFrame | None
    ccr: pd.DataFrame | None
    multipliers: pd.DataFrame | None
    status: pd.Series
    spec: Specification

    def to_frame(self) -> pd.DataFrame:
        """One row per DMU: ``system``, ``stage_<s>``, ``node_<k>``, ``slack_<k>`` (relational) or
        ``slack_<column>`` and ``target_<column>`` (network SBM), ``weight_<s>`` (additive), ``ccr_system`` and
        ``ccr_<k>``, ``status``."""
        parts = [self.system.rename("system").to_frame()]
        if self.stages is not None:
            parts.append(self.stages.add_prefix("stage_"))
        parts.append(self.nodes.add_prefix("node_"))
        if self.slacks is not None:
            parts.append(self.slacks.add_prefix("slack_"))
        if self.targets is not None:
            parts.append(self.targets.add_prefix("target_"))
        if self.stage_weights is not None:
            parts.append(self.stage_weights.add_prefix("weight_"))
        if self.ccr is not None:
            parts.append(self.ccr.add_prefix("ccr_"))
        parts.append(self.status.rename("status").to_frame())
        return pd.concat(parts, axis=1)

    @property
    def model(self) -> str:
        return model_family(self.spec.model).short_name

    def summary(self) -> Summary:
        """The model, the network, LP outcomes and the mean of each efficiency."""
        s, net = self.spec, self.spec.network
        title = f"frontier network DEA: {self.model}, {s.rts.upper()}, {len(self.system)} DMUs"
        rows = [("score", s.description), ("nodes", ", ".join(net["nodes"]))] + _structure_rows(self)
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in self.status.value_counts().items())))
        frame = self.to_frame().drop(columns="status")
        if self.model == "sbm":             # the scores only: slacks and targets are in the data's units
            frame = frame[["system"] + [c for c in frame.columns if c.startswith("node_")]]
        means = frame.mean()
        rows.append(("means", ", ".join(f"{k} {v:.4f}" for k, v in means.items())))
        lines = [title] + [row_line(k, v) for k, v in rows]
        return Summary("\n".join(lines), title, rows, {"means": means.to_frame("mean")})

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame` with the DMU first), the specification and column descriptions; the
        multipliers as an extra table (Excel sheet)."""
        spec, net = self.spec, self.spec.network
        rows = export_header(extra, spec.call)
        rows.append(("analysis", model_family(spec.model).label))
        rows.append(("score", spec.description))
        rows.append(("convention", model_family(spec.model).convention))
        rows.append(("nodes", ", ".join(net["nodes"])))
        rows.extend(_structure_rows(self))
        rows.append(("LP status", io.status_counts(self.status)))
        table = self.to_frame()
        index_name = table.index.name or "dmu"
        table = table.rename_axis(index_name).reset_index()
        desc = {index_name: "DMU", "system": f"system efficiency: {spec.description}", "status": "LP status"}
        for column in table.columns:
            if column.startswith("stage_"):
                desc[column] = f"efficiency of stage {column[6:]}"
            elif column.startswith("node_"):
                desc[column] = (f"divisional efficiency of node {column[5:]}" if self.model == "sbm"
                                else f"efficiency of node {column[5:]} under the same multipliers")
            elif column.startswith("slack_"):
                desc[column] = (f"slack of {column[6:]} (input and bad output: excess; output: shortfall)"
                                if self.model == "sbm" else
                                f"node {column[6:]}'s share of the system inefficiency (the slacks add up to 1 - E)")
            elif column.startswith("target_"):
                desc[column] = f"target of {column[7:]} (a link: its producer's side)"
            elif column.startswith("weight_"):
                desc[column] = f"stage {column[7:]}'s weight: its share of the total input value"
            elif column.startswith("ccr_"):
                desc[column] = f"independent CCR input-oriented score of {column[4:]}"
        extra_tables = ({} if self.multipliers is None
                        else {"multipliers": self.multipliers.rename_axis(index_name).reset_index()})
        return io.Export(table=table, name="network efficiencies", specification=rows, descriptions=desc,
                         extra_tables=extra_tables, title=title_of(self))

    def __repr__(self) -> str:
        return f"<NetworkResult {self.model} {self.spec.rts} n={len(self.system)}>"


def _structure_rows(res: NetworkResult) -> list:
    """The summary's and export's rows on the structure: the stages and tie rule (relational, additive) or the node
    returns to scale, weights and link kinds (network SBM)."""
    net, parameters = res.spec.network, res.spec.parameters or {}
    if res.model == "sbm":
        return [("node rts", ", ".join(f"{n} {r.upper()}" for n, r in parameters["node_rts"].items())),
                ("node weights", ", ".join(f"{n} {w:.4g}" for n, w in parameters["node_weights"].items())),
                ("links", ", ".join(f"{c} ({kind})" for c, kind in parameters["links"].items()) or "none")]
    return [("stages", " -> ".join("+".join(stage) for stage in net["stages"])),
            ("tie rule", "the first stage's efficiency maximised with the system score at its optimum; the rest "
                         "from that solution")]


def title_of(res: NetworkResult) -> str:
    return f"frontier network DEA: {res.model}, {res.spec.rts.upper()}"
