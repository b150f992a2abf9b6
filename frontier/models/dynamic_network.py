r"""Dynamic network SBM (Tone & Tsutsui 2014, Omega 42, 124-131): an entity's divisions (nodes) over all its
periods in one slacks-based LP, with links between the nodes within a period and carry-overs from each node's
period to the same node's next period.

Entity o, periods t = 1..T, nodes k = 1..K. Each (period, node) has its own intensities lambda^t_k over the n
entities' (t, k) data and, for a VRS node, its own convexity row ``sum_j lambda^t_kj = 1``. Within period t, node k
has the constraints of network SBM (:mod:`frontier.models.network_sbm`)::

    x^t_ok = X^t_k lambda^t_k + s^t-_k,   y^t_ok = Y^t_k lambda^t_k - s^t+_k,   b^t_ok = B^t_k lambda^t_k + s^tb_k
    free link (k, h):   Z^t lambda^t_k = Z^t lambda^t_h;      fixed link:   Z^t lambda^t_k = z^t_o = Z^t lambda^t_h

and node k's carry-overs from t to t + 1 those of dynamic SBM (:mod:`frontier.models.dynamic`), per node::

    good: z_ok = Z lambda^t_k - s_good,   bad: z_ok = Z lambda^t_k + s_bad,   free: z_ok = Z lambda^t_k + s_free (free),
    fixed: z_ok = Z lambda^t_k;           continuity (every kind, t = 1..T-1):   Z^t lambda^t_k = Z^t lambda^(t+1)_k

With period weights W_t and node weights w_k (each >= 0 and summing to 1), the node's input side
a^t_k = 1 - (1 / (m_k + nbad_k)) (sum_i s-_i / x_io + sum_i sbad_i / zbad_io) and its output side
b^t_k = 1 + (1 / (r_k + q_k + ngood_k)) (sum_r s+_r / y_ro + sum_p sb_p / b_po + sum_i sgood_i / zgood_io), the
efficiencies are (Tone & Tsutsui 2014, section 3; their w^t / T is our W_t)::

    overall (non-oriented)  theta* = min (sum_t W_t sum_k w_k a^t_k) / (sum_t W_t sum_k w_k b^t_k)
    period t                tau^t  = (sum_k w_k a^t_k) / (sum_k w_k b^t_k)
    node (divisional) k     delta_k = (sum_t W_t a^t_k) / (sum_t W_t b^t_k)
    period-node             tau^t_k = a^t_k / b^t_k

Input-oriented: every b = 1 (the objective min sum_t W_t sum_k w_k a^t_k); output-oriented: every a = 1 (the
objective max sum_t W_t sum_k w_k b^t_k, each efficiency the reciprocal of its weighted b). The overall score is
then a weighted mean of the period efficiencies and of the node efficiencies (arithmetic when input-oriented,
harmonic when output-oriented, with weights W_t b^t / sum W b when non-oriented), so it lies between their
smallest and largest values. Undesirable outputs are on the output side as in the package's SBM (Tone 2004); with
none the model is Tone & Tsutsui's. With one period and no carry-over it is network SBM; with one node and no link,
dynamic SBM (both tested).

**How it is built**: the model *is* network SBM over an expanded network whose nodes are the (period, node) pairs,
weighted W_t w_k: a within-period link is a link of the expanded network; a carry-over of node k in period t is a
variable of node (t, k) (good: an output, bad: an input, free or fixed: a link) that is also a link from (t, k) to
(t + 1, k) (its continuity; none from the last period). :func:`expanded_layout` builds that
:class:`~frontier.models.network_sbm.NetworkSBMLayout` over the entity's wide row (its periods side by side, the
base network's columns then the carry-overs in each), and the stage is
:class:`~frontier.models.network_sbm.NetworkSBMScore`, whose parts ``input_side`` and ``output_side`` (a^t_k, b^t_k)
give the period and node efficiencies (:func:`grouped_efficiencies`).
"""
from __future__ import annotations

import numpy as np

from . import network_sbm
from .base import ModelSpec
from .network_sbm import NetworkSBMLayout

#: a carry-over's kind as a variable of its (period, node): good on the output side, bad on the input side, free
#: and fixed without slack (the network's links, free or held)
CARRY_OVER_AS = {"good": "output", "bad": "input", "free": "link", "fixed": "link"}


def expanded_layout(network: NetworkSBMLayout, carry_overs: tuple, T: int, period_weights: np.ndarray
                    ) -> NetworkSBMLayout:
    """The network SBM layout of dynamic network SBM over an entity's wide row.

    ``network``: the base network (its columns, nodes, links, per-node VRS and node weights); ``carry_overs``:
    ``(column, node position, kind)`` per carry-over, kind one of :data:`CARRY_OVER_AS`. Period t's columns are
    ``network.columns`` then the carry-overs' (p per period, data column ``t p + v``); node (t, k) is position
    ``t K + k``, weighted ``W_t w_k``."""
    K, base_width = len(network.nodes), network.width
    p = base_width + len(carry_overs)
    columns, kinds, owner, links = [], [], [], []
    for t in range(T):
        columns += [(t, c) for c in network.columns] + [(t, c) for c, _, _ in carry_overs]
        kinds += list(network.kinds) + [CARRY_OVER_AS[kind] for _, _, kind in carry_overs]
        owner += [t * K + k for k in network.owner] + [t * K + k for _, k, _ in carry_overs]
        links += [(t * p + c, t * K + producer, t * K + consumer, fixed)
                  for c, producer, consumer, fixed in network.links]
        for v, (_, k, kind) in enumerate(carry_overs):
            consumer = (t + 1) * K + k if t < T - 1 else None
            if consumer is not None or kind in ("free", "fixed"):      # good and bad are own variables anyway
                links.append((t * p + base_width + v, t * K + k, consumer, kind == "fixed"))
    nodes = tuple((t, name) for t in range(T) for name in network.nodes)
    weights = np.outer(np.asarray(period_weights, dtype=float), network.weights).ravel()
    return NetworkSBMLayout(tuple(columns), nodes, tuple(kinds), tuple(owner), tuple(links),
                            tuple(network.vrs) * T, weights)


def build(layout: NetworkSBMLayout, orientation: str) -> ModelSpec:
    """The dynamic network SBM stage for entities with the expanded ``layout`` (:func:`expanded_layout`): network
    SBM's stage over it."""
    return network_sbm.build(layout, orientation, name="dynamic network SBM")


def grouped_efficiencies(input_side: np.ndarray, output_side: np.ndarray, period_weights: np.ndarray,
                         node_weights: np.ndarray) -> dict:
    """The period, node (divisional) and period-node efficiencies from a^t_k and b^t_k (``(n, T K)``, node (t, k)
    at ``t K + k``): ``{"periods": (n, T), "nodes": (n, K), "period_nodes": (n, T, K)}`` (module docstring)."""
    T, K = len(period_weights), len(node_weights)
    a = input_side.reshape(-1, T, K)
    b = output_side.reshape(-1, T, K)
    return {"periods": (a @ node_weights) / (b @ node_weights),
            "nodes": np.einsum("ntk,t->nk", a, period_weights) / np.einsum("ntk,t->nk", b, period_weights),
            "period_nodes": a / b}
