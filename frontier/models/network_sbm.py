r"""Network SBM (Tone & Tsutsui 2009, EJOR 197, 243-252): a DMU opened into divisions (nodes) linked by intermediate
products, scored in one slacks-based LP over every node, with undesirable outputs at any node.

Each node k of DMU o has its inputs x^k, desirable outputs y^k and undesirable outputs b^k (m_k, r_k, q_k of them),
its own intensities lambda^k over the n DMUs' node-k data and, under VRS, its own convexity row (returns to scale are
per node). A link l carries column z_l from node k (its producer) to node h (its consumer)::

    x^k_o = X^k lambda^k + s^k-,   y^k_o = Y^k lambda^k - s^k+,   b^k_o = B^k lambda^k + s^kb,   s >= 0
    sum_j lambda^k_j = 1                                                   (a VRS node; no row for a CRS node)
    free link:   Z_l lambda^k = Z_l lambda^h          (continuity: the link may move, but what k sends h receives)
    fixed link:  Z_l lambda^k = z_lo = Z_l lambda^h   (non-discretionary: held at the DMU's own value)

With node weights w_k >= 0 summing to 1, a_k = 1 - (1/m_k) sum_i s^k-_i / x^k_io (the input side) and b_k = 1 +
(1/(r_k + q_k)) (sum_r s^k+_r / y^k_ro + sum_p s^kb_p / b^k_po) (the output side, bad outputs on it as in the
package's SBM: Tone 2004; Cooper, Seiford & Tone 2007, ch. 13), the overall efficiency is

    input-oriented:   theta* = min sum_k w_k a_k                  divisional theta_k = a_k
    output-oriented:  tau*   = 1 / max sum_k w_k b_k              divisional tau_k = 1 / b_k
    non-oriented:     rho*   = min (sum_k w_k a_k) / (sum_k w_k b_k)   divisional rho_k = a_k / b_k

(Tone & Tsutsui 2009, models (9), (14), (18) and the divisional efficiencies after each): the input-oriented overall
score is the w-weighted arithmetic mean of the divisional ones, the output-oriented one their w-weighted harmonic
mean, and the non-oriented one their mean weighted by w_k b_k / sum_h w_h b_h, so it lies between the smallest and
the largest divisional score. A node without inputs (its inputs are all links) has a_k = 1, one without final
outputs b_k = 1 (an empty side has no slack term): it counts in the weighted means at 1 on that side. Undesirable
outputs are not in Tone & Tsutsui (2009); with none the model is theirs, with one node it is the package's SBM.

**The LP** (Charnes-Cooper: t = 1 / sum_k w_k b_k, Lambda^k = t lambda^k, S = t s) is one stage. Rows: one per data
column (a node's own variable: ``X^k Lambda^k + S - t x_o = 0`` and the like; a link: its producer's side
``Z_l Lambda^k``, free-bounded for a free link, ``= t z_lo`` for a fixed one), then one row per link (free:
``Z_l Lambda^k - Z_l Lambda^h = 0``; fixed: ``Z_l Lambda^h = t z_lo``), then one convexity row per VRS node
(``sum Lambda^k = t``) and the normalisation ``t + sum_k w_k / (r_k + q_k) sum_out S'_v = 1``; the objective is
``t - sum_k w_k / m_k sum_in S'_v``. Each node is a :class:`~frontier.models.base.ReferenceBlock` over the DMUs' rows
with its own row map and convexity row (the widened model contract, as dynamic SBM). An orientation drops the other
side (input: t = 1; output: no input-side cost). Slack columns are in units of the DMU's own values (S_v = value_v
S'_v), so the LP's coefficients are the data.

**Super-efficiency** is not offered: Tone & Tsutsui (2009) define none, and removing the DMU from every node's
reference set under the link constraints is a different model (later papers), not theirs.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .base import ModelSpec, ReferenceBlock, Stage, StageOutput, charnes_cooper_upper
from .registry import ModelFamily, register

ORIENTATIONS = ("nonoriented", "input", "output")
KINDS = ("input", "output", "bad_output", "link")
#: the sign of a slack column in its row (data = combination + sign * slack); links have none
SLACK_SIGN = {"input": 1.0, "output": -1.0, "bad_output": 1.0, "link": 0.0}


@dataclass(frozen=True)
class NetworkSBMLayout:
    """A network for network SBM over the data columns.

    ``kinds``: per column, one of :data:`KINDS`; ``owner``: per column, its node's position (a link: its producer);
    ``links``: per link ``(column position, producer, consumer, fixed)``; ``vrs``: per node; ``weights``: the node
    weights w_k (>= 0, summing to 1).

    Two generalisations serve dynamic network SBM (:mod:`frontier.models.dynamic_network`), whose carry-overs are
    links between one node's periods: a link's column may be an own variable of its producer (kind ``"input"`` or
    ``"output"``: a bad or good carry-over, with its slack row as any own variable and, besides, the free continuity
    row ``Z Lambda^k - Z Lambda^h = 0``), and a link's consumer may be ``None`` (a last-period free or fixed
    carry-over: no continuity row, only the producer's row, free or held at ``t z_o``)."""

    columns: tuple
    nodes: tuple
    kinds: tuple
    owner: tuple
    links: tuple
    vrs: tuple
    weights: np.ndarray

    @property
    def width(self) -> int:
        return len(self.columns)

    def of_node(self, k: int, kinds) -> np.ndarray:
        """Over the columns: node k's own variables of the given kinds."""
        return np.array([o == k and kind in kinds for o, kind in zip(self.owner, self.kinds)], dtype=bool)

    def side_weights(self, orientation: str) -> tuple[np.ndarray, np.ndarray]:
        """Each column's weight in the input side (w_k / m_k on node k's inputs) and in the output side
        (w_k / (r_k + q_k) on its desirable and undesirable outputs), 0 on the side the orientation drops."""
        inputs, outputs = np.zeros(self.width), np.zeros(self.width)
        for k in range(len(self.nodes)):
            own_in, own_out = self.of_node(k, ("input",)), self.of_node(k, ("output", "bad_output"))
            if own_in.any():
                inputs[own_in] = self.weights[k] / own_in.sum()
            if own_out.any():
                outputs[own_out] = self.weights[k] / own_out.sum()
        if orientation == "output":
            inputs[:] = 0.0
        if orientation == "input":
            outputs[:] = 0.0
        return inputs, outputs


class NetworkSBMScore(Stage):
    """The one stage of network SBM (module docstring). Own columns: t, then one slack column per data column
    (``1 + c``; bounded to 0 for links)."""

    def __init__(self, layout: NetworkSBMLayout, orientation: str):
        width, n_links = layout.width, len(layout.links)
        d = width + n_links
        vrs_nodes = [k for k, v in enumerate(layout.vrs) if v]
        blocks = []
        for k in range(len(layout.nodes)):
            entries = [(c, c, 1.0) for c in range(width) if layout.owner[c] == k and layout.kinds[c] != "link"]
            for i, (c, producer, consumer, fixed) in enumerate(layout.links):
                if producer == k:
                    if layout.kinds[c] == "link":            # an own variable's row is already in entries
                        entries.append((c, c, 1.0))
                    if not fixed and consumer is not None:
                        entries.append((c, width + i, 1.0))
                if consumer is not None and consumer == k:
                    entries.append((c, width + i, 1.0 if fixed else -1.0))
            uses = np.zeros(width, dtype=bool)
            uses[[c for c, _, _ in entries]] = True
            blocks.append(ReferenceBlock(uses, np.zeros(width), layout.vrs[k], row_map=entries,
                                         convexity_row=d + vrs_nodes.index(k) if layout.vrs[k] else None))
        super().__init__(d=d, blocks=blocks, convexity=False, n_extra_rows=len(vrs_nodes) + 1,
                         n_extra_cols=1 + width, name="score")
        self.layout, self.orientation, self.vrs_nodes = layout, orientation, vrs_nodes
        self.keep_duals = False
        self.relative_objective = True
        self.input_weight, self.output_weight = layout.side_weights(orientation)
        self.sign = np.array([SLACK_SIGN[kind] for kind in layout.kinds])
        self.is_link = np.array([kind == "link" for kind in layout.kinds])

    @property
    def norm_row(self) -> int:
        return self.d + len(self.vrs_nodes)

    def always_feasible(self, in_reference):
        return in_reference          # Lambda^k = e_o in every node, t = 1, no slack

    def objective_range(self, in_reference):
        return 0.0, 1.0

    def implied_upper(self, extra_matrix, extra_upper):
        return charnes_cooper_upper(extra_matrix, extra_upper, self.norm_row)

    def patch(self, data0, prev):
        L, k = self.layout, data0.shape[0]
        width = L.width
        p = self.empty_patch(k)
        x0 = data0[:, :width]
        own = np.flatnonzero(~self.is_link)
        p.extra_matrix[:, own, 0] = -x0[:, own]                    # combination + sign * S - t x0 = 0
        p.extra_matrix[:, own, 1 + own] = self.sign[own] * np.where(x0[:, own] > 0, x0[:, own], 1.0)
        p.row_lower[:, own] = p.row_upper[:, own] = 0.0
        p.extra_upper[:, 1 + np.flatnonzero(self.is_link)] = 0.0   # links have no slack
        for i, (c, _, consumer, fixed) in enumerate(L.links):
            row = width + i
            if fixed:                                             # Z Lambda^k = t z_o (= Z Lambda^h)
                p.extra_matrix[:, c, 0] = -x0[:, c]
                p.row_lower[:, c] = p.row_upper[:, c] = 0.0
            if consumer is None:                                  # no continuity: row `row` is empty and free
                continue
            p.row_lower[:, row] = p.row_upper[:, row] = 0.0
            if fixed:
                p.extra_matrix[:, row, 0] = -x0[:, c]
            # a free link's row c (its producer's side) has no bounds: it reports the link's target
        for j in range(len(self.vrs_nodes)):
            p.extra_matrix[:, self.d + j, 0] = -1.0
            p.row_lower[:, self.d + j] = p.row_upper[:, self.d + j] = 0.0    # sum Lambda^k = t
        r = self.norm_row
        p.extra_matrix[:, r, 0] = 1.0
        p.extra_matrix[:, r, 1:] = self.output_weight
        p.row_lower[:, r] = p.row_upper[:, r] = 1.0
        p.extra_cost[:, 0] = 1.0
        p.extra_cost[:, 1:] = -self.input_weight
        p.extra_lower[:, 0] = 0.0
        return p

    def decode(self, sol, data0, prev):
        """Targets are the node combinations (a link's: its producer's side, ``Z_l lambda^k``), slacks their
        distance to the data (clipped at 0; none for links), the divisional and overall efficiencies computed
        from the slacks (no cancellation of ``t - sum ...``). Parts: ``divisional`` (a_k / b_k) and its two sides
        ``input_side`` (a_k) and ``output_side`` (b_k), from which weighted groupings of nodes are scored."""
        L = self.layout
        t = sol.extras[:, 0]
        x0 = data0[:, : L.width]
        with np.errstate(divide="ignore", invalid="ignore"):
            targets = sol.sums[:, : L.width] / t[:, None]
            scale = 1.0 / t
        improvement = np.where(self.sign >= 0, 1.0, -1.0)     # slack = sign (x0 - target)
        raw = improvement * (x0 - targets)
        slacks = np.where(self.is_link, 0.0, np.maximum(raw, 0.0))
        targets = np.where(self.is_link, targets, targets + improvement * (raw - slacks))
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(x0 > 0, slacks / x0, 0.0)
        a = np.column_stack([1.0 - rates @ (L.of_node(k, ("input",)) * self.side_share(k, "in"))
                             for k in range(len(L.nodes))])
        b = np.column_stack([1.0 + rates @ (L.of_node(k, ("output", "bad_output"))
                                            * self.side_share(k, "out"))
                             for k in range(len(L.nodes))])
        divisional = a / b
        overall = (a @ L.weights) / (b @ L.weights)
        return StageOutput(sol.status, score=overall, slacks=slacks, targets=targets, intensity_scale=scale,
                           parts={"divisional": divisional, "input_side": a, "output_side": b})

    def side_share(self, k: int, side: str) -> float:
        """1 / m_k (``side="in"``) or 1 / (r_k + q_k) (``"out"``), 0 where the orientation drops that side or the
        node has no variable on it: the divisional a_k and b_k average the node's own slack ratios."""
        L = self.layout
        if side == "in":
            count, dropped = L.of_node(k, ("input",)).sum(), self.orientation == "output"
        else:
            count, dropped = L.of_node(k, ("output", "bad_output")).sum(), self.orientation == "input"
        return 0.0 if dropped or count == 0 else 1.0 / count


def build(layout: NetworkSBMLayout, orientation: str, name: str = "network SBM") -> ModelSpec:
    """The network SBM stage for DMUs with ``layout``'s columns (``name`` in the description and the refusal:
    dynamic network SBM is this stage over its expanded layout)."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"{name} takes orientation {ORIENTATIONS}, got {orientation!r}")
    rts = "VRS" if all(layout.vrs) else "CRS" if not any(layout.vrs) else "CRS/VRS per node"
    return ModelSpec([NetworkSBMScore(layout, orientation)], layout.width,
                     f"{name} ({orientation}, {rts}), overall score in (0, 1]")


def _build_family(layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    if super_efficiency or score_outside:
        raise ValueError("network SBM has no super-efficiency form here (Tone & Tsutsui 2009 define none)")
    return build(layout, options.orientation)


FAMILY = register(ModelFamily(
    name="network_sbm", label="network SBM (Tone & Tsutsui 2009), bad outputs as in Tone 2004",
    short_name="sbm", build=_build_family, orientations=ORIENTATIONS, evaluates="entities", serves="network",
    convention="overall and divisional efficiencies in (0, 1], 1 = efficient",
    super_efficiency_note="Tone & Tsutsui (2009) define none for network SBM",
))
