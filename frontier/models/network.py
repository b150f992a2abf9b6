"""Network DEA (an entity family: one LP per DMU across all its nodes): the relational model (Kao & Hwang 2008;
Kao 2009) and the additive two-stage model (Chen, Cook, Li & Zhu 2009), in envelopment form over one block of
intensities per node.

**The network as data** (:class:`NetworkLayout`). Each node k has exogenous inputs, final outputs and links. Every
quantity is a *measure* m (a column, or several columns that are shares of one measure: Kao 2009's system inputs
split among processes, a product partly leaving the system and partly going on to another process); the relational
model prices each measure once for every node. With the data columns c of a DMU j, per node k:

* ``I_k`` (measures x columns): what k consumes (its exogenous inputs and the links into it);
* ``O_k``: what k produces (its final outputs and the links out of it);
* the system inputs ``X = sum_k EXT_k`` and final outputs ``Y = sum_k FINAL_k``.

**The multiplier form** (pi >= 0, one weight per measure; u0_k free per node under VRS)::

    node constraints, every node k and DMU j:  pi'(O_k - I_k) data_j + u0_k <= 0
    relational (CRS):  max pi'Y_o        s.t. pi'X_o = 1
    additive:          max pi'O_o + sum_k u0_k  s.t. pi'I_o = 1     (O = sum_k O_k, I = sum_k I_k)

The relational score is the system efficiency E = pi'Y_o / pi'X_o; the additive one Chen et al.'s weighted sum
sum_s w_s E_s with w_s = pi'I_s / pi'I (the weights of the paper: each stage's share of the total input value).
**The envelopment form** (the LP solved; its row duals are pi): one block of intensities lambda^k per node, whose
column j is ``(O_k - I_k) data_j`` in the measure rows (a link column: + in its producer's block, - in its
consumer's) and, under VRS, 1 in the node's own convexity row::

    min theta  s.t.  sum_k sum_j lambda^k_j (O_k - I_k) data_j + theta N_o >= T_o  (every measure);
                     sum_j lambda^k_j = 1 (VRS, every node)
    relational: N = X, T = Y;   additive: N = I, T = O

**The tie rule** (the decomposition is not unique): Kao & Hwang (2008) and Chen et al. (2009) maximise the first
stage's efficiency with the system score held at its optimum, then read the rest from that solution (two stages:
E_2 = E / E_1 for the relational model, (E - w_1 E_1) / w_2 for the additive one). As an LP (Charnes-Cooper, the
stage's input value normalised to 1; ``F`` the system score's numerator minus E times its denominator)::

    max pi'B_o (+ sum_{k in S1} u0_k)  s.t.  pi'D_o = 1,  pi'F_o (+ sum_k u0_k) >= 0,  node constraints
    relational: B = what crosses the boundary after stage 1 (its final outputs, its links into later stages and
                the later stages' exogenous inputs), D = X, F = Y - E X
    additive:   B = O_{S1}, D = I_{S1}, F = O - E I

whose envelopment form is the score LP's blocks with theta's column ``D_o``, a second own column ``phi >= 0`` with
``-F_o`` (and -1 in every convexity row) and right-hand sides ``B_o`` (convexity rows ``[k in S1]``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import INF, ModelSpec, ReferenceBlock, Stage, StageOutput
from .registry import ModelFamily, register

#: E slightly below its optimum in the tie LP, so that rounding of the score cannot make that LP infeasible
TIE_SLACK = 1e-9


@dataclass(frozen=True)
class NetworkLayout:
    """A network's structure over the data columns (every matrix is measures x columns, 0/1).

    ``nodes``: node names in order; ``measures``: measure names (the LP's rows); ``input_measure``: which measures
    are exogenous inputs; ``external``, ``final``, ``link_out``, ``link_in``: per node (a tuple of matrices);
    ``stages``: tuples of node positions, in order (every link goes to the same or a later stage)."""

    columns: tuple
    nodes: tuple
    measures: tuple
    input_measure: np.ndarray
    external: tuple
    final: tuple
    link_out: tuple
    link_in: tuple
    stages: tuple

    @property
    def width(self) -> int:
        return len(self.columns)

    @property
    def n_measures(self) -> int:
        return len(self.measures)

    def consumed(self, k: int) -> np.ndarray:
        return self.external[k] + self.link_in[k]

    def produced(self, k: int) -> np.ndarray:
        return self.final[k] + self.link_out[k]

    def net(self, k: int) -> np.ndarray:
        """Node k's row map: what it produces minus what it consumes, per measure."""
        return self.produced(k) - self.consumed(k)

    @property
    def system_inputs(self) -> np.ndarray:
        return sum(self.external)

    @property
    def system_outputs(self) -> np.ndarray:
        return sum(self.final)

    def stage_of(self) -> np.ndarray:
        out = np.zeros(len(self.nodes), dtype=int)
        for s, members in enumerate(self.stages):
            out[list(members)] = s
        return out

    def boundary(self, s: int) -> np.ndarray:
        """What crosses the cut after stage ``s`` (a measures x columns map): the final outputs of the stages up to
        ``s``, their links into later stages and the later stages' exogenous inputs. ``boundary(-1)`` is X and the
        last stage's is Y; stage s's relational efficiency is ``pi'boundary(s) / pi'boundary(s - 1)``, so the stage
        efficiencies multiply to the system's. (Links within the first stages cancel; no link goes backwards.)"""
        stage = self.stage_of()
        out = np.zeros((self.n_measures, self.width))
        for k in range(len(self.nodes)):
            out += self.final[k] + self.link_out[k] - self.link_in[k] if stage[k] <= s else self.external[k]
        return out

    def stage_consumed(self, s: int) -> np.ndarray:
        return sum(self.consumed(k) for k in self.stages[s])

    def stage_produced(self, s: int) -> np.ndarray:
        return sum(self.produced(k) for k in self.stages[s])


def dominance_sense(row_map: np.ndarray, uses: np.ndarray) -> np.ndarray:
    """The sense of a node's block for pricing's dominance screen (:class:`~frontier.models.base.ReferenceBlock`):
    per data column the sign of its one entry in the node's row map (+1 produced, -1 consumed); all zeros (no
    screen) if a column the node uses feeds no row or several.

    Why the screen is exact here: every measure row of both stages is a ``>=`` row (the score LP's ``>= T_o``, the
    tie LP's ``>= B_o``), the convexity rows give every column of a node the same coefficient 1, and reference
    columns cost nothing. If column i is at least as good as column j of the same node in every column the node
    uses (``sense * data_i >= sense * data_j``), then ``M data_i >= M data_j`` in every measure row (each row adds
    data columns of one sign), so moving column j's intensity onto column i keeps every row satisfied and the
    objective unchanged; and at an optimum the row duals of ``>=`` rows are ``>= 0``, so column j's reduced cost is
    at least column i's: pricing and the certificate may leave j out."""
    entries = row_map[:, uses]
    if np.any((entries != 0).sum(axis=0) != 1):
        return np.zeros(row_map.shape[1])
    sense = np.zeros(row_map.shape[1])
    sense[uses] = np.sign(entries.sum(axis=0))
    return sense


class NetworkStage(Stage):
    """The score LP (``tie=False``) or the tie-rule LP (``tie=True``) of a network model; rows: the measures, then
    (VRS) one convexity row per node. Own columns: theta (free), and in the tie LP phi >= 0."""

    def __init__(self, layout: NetworkLayout, model: str, vrs: bool, tie: bool):
        n_rows = layout.n_measures
        blocks = []
        for k in range(len(layout.nodes)):
            uses = (layout.consumed(k) + layout.produced(k)).any(axis=0)
            blocks.append(ReferenceBlock(uses, dominance_sense(layout.net(k), uses), vrs, row_map=layout.net(k),
                                         convexity_row=n_rows + k if vrs else None))
        super().__init__(d=n_rows, blocks=blocks, convexity=False, n_extra_rows=len(layout.nodes) if vrs else 0,
                         n_extra_cols=2 if tie else 1, name="decomposition" if tie else "score", detail=tie,
                         keep_duals=True)
        self.layout, self.model, self.vrs, self.tie = layout, model, vrs, tie

    def vectors(self, data0: np.ndarray):
        """(N, T) of the score LP for k DMUs, or (D, F-numerator, F-denominator, B) of the tie LP (k x measures)."""
        L = self.layout
        if self.model == "relational":
            norm, target = L.system_inputs, L.system_outputs
            first, first_norm = L.boundary(0), L.system_inputs
        else:
            norm = sum(L.consumed(k) for k in range(len(L.nodes)))
            target = sum(L.produced(k) for k in range(len(L.nodes)))
            first, first_norm = L.stage_produced(0), L.stage_consumed(0)
        at = lambda M: data0 @ M.T      # noqa: E731  (measures of each DMU)
        return at(norm), at(target), at(first), at(first_norm)

    def objective_range(self, in_reference):
        if self.tie:
            return -INF, INF
        return (0.0, 1.0) if in_reference else (0.0, INF)

    def always_feasible(self, in_reference):
        return in_reference and not self.tie    # every node at the DMU itself, theta = 1

    def select(self, prev):
        if not self.tie:
            return np.ones(len(prev["status"]), dtype=bool)
        return prev["status"] == "optimal"

    def patch(self, data0, prev):
        k, m = data0.shape[0], self.layout.n_measures
        p = self.empty_patch(k)
        norm, target, first, first_norm = self.vectors(data0)
        p.extra_lower[:, 0] = -INF
        p.extra_cost[:, 0] = 1.0
        if not self.tie:
            p.row_lower[:, :m] = target
            p.extra_matrix[:, :m, 0] = norm
            if self.vrs:
                p.row_lower[:, m:] = p.row_upper[:, m:] = 1.0
            return p
        score = prev["score"] * (1.0 - TIE_SLACK)
        p.row_lower[:, :m] = first
        p.extra_matrix[:, :m, 0] = first_norm
        p.extra_matrix[:, :m, 1] = -(target - score[:, None] * norm)
        if self.vrs:
            in_first = np.isin(np.arange(len(self.layout.nodes)), self.layout.stages[0]).astype(float)
            p.row_lower[:, m:] = p.row_upper[:, m:] = in_first
            p.extra_matrix[:, m:, 1] = -1.0
        return p

    def decode(self, sol, data0, prev):
        m = self.layout.n_measures
        duals = sol.duals if sol.duals is not None else np.full((len(sol.status), self.n_rows), np.nan)
        weights = np.maximum(duals[:, :m], 0.0)
        free = duals[:, m:] if self.vrs else np.zeros((len(sol.status), 0))
        parts = {"weights": weights, "free": free}
        if not self.tie:
            return StageOutput(sol.status, score=sol.objective, parts=parts,
                               intensity_scale=np.ones(len(sol.status)))
        return StageOutput(sol.status, parts={**parts, "first_stage": sol.objective},
                           detail_failed=sol.status != "optimal")


def build(layout: NetworkLayout, options, constants, super_efficiency: bool, detail: bool,
          model: str = "relational") -> ModelSpec:
    """The score LP, then (unless only scores are wanted) the tie-rule LP of the decomposition."""
    vrs = options.rts == "vrs"
    stages = [NetworkStage(layout, model, vrs, tie=False), NetworkStage(layout, model, vrs, tie=True)]
    what = {"relational": "relational network system efficiency (Kao & Hwang 2008; Kao 2009)",
            "additive": "additive two-stage efficiency (Chen, Cook, Li & Zhu 2009)"}[model]
    return ModelSpec(stages, layout.width, f"{what}, {options.rts.upper()}")


def _build_of(model: str):
    def build_model(layout, options, constants, super_efficiency, detail):
        return build(layout, options, constants, super_efficiency, detail, model=model)
    return build_model


#: the network models and the returns to scale the literature defines them under
NETWORK_RTS = {"relational": ("crs",), "additive": ("crs", "vrs"), "sbm": ("crs", "vrs")}

register(ModelFamily(
    name="network_relational", label="relational network DEA (Kao & Hwang 2008; Kao 2009)",
    build=_build_of("relational"), convention="system efficiency in (0, 1], 1 = efficient; the product of the stage "
    "efficiencies; 1 - E = the sum of the process slacks", short_name="relational", evaluates="entities",
    serves="network"))
register(ModelFamily(
    name="network_additive", label="additive two-stage network DEA (Chen, Cook, Li & Zhu 2009)",
    build=_build_of("additive"), convention="overall efficiency in (0, 1], 1 = efficient; the input-value weighted "
    "mean of the stage efficiencies", short_name="additive", evaluates="entities", serves="network"))
