r"""LP stages of the economic (price-based) models: minimum cost, maximum revenue, maximum profit.

Farrell (1957); Färe, Grosskopf & Lovell (1985, 1994); Chambers, Chung & Färe (1998). With per-DMU prices w_o
(inputs) and p_o (outputs)::

    cost     C*(o)  = min_{x, lambda}    w_o'x          s.t.  X'lambda <= x,    Y'lambda >= y_o
    revenue  R*(o)  = max_{y, lambda}    p_o'y          s.t.  X'lambda <= x_o,  Y'lambda >= y
    profit   Pi*(o) = max_{x, y, lambda} p_o'y - w_o'x  s.t.  X'lambda <= x,    Y'lambda >= y

with lambda >= 0 and the returns-to-scale row (``sum lambda = 1`` under VRS). Bad outputs b, when given, enter
the technology at their observed level and carry no price: ``B'lambda = b_o`` (weak disposability; Kuosmanen's
form under a convexity row, as the radial model) or ``B'lambda <= b_o`` (strong). The optimised quantities (x, y) are
the stage's own columns and their prices its own costs, so each reference column depends only on the reference
DMU's data and the stages fit the engine's contract (:mod:`frontier.models.base`) unchanged.

Each DMU's objective is divided by a per-DMU denominator so that the LP value is the reported measure itself:
the observed cost w_o'x_o (objective = C*/C_o, the cost efficiency), the observed revenue p_o'y_o (objective =
-R*/R_o) and the Nerlovian normalisation p_o'g_y + w_o'g_x (objective = -Pi*/(p'g_y + w'g_x)).

``data0`` rows are ``[scaled data (d), objective coefficients (d)]``: :class:`frontier.problem.Problem` appends
each DMU's ``price_v / denominator`` (its ``row_costs``) times the variable's scale, so the objective is in money
units of the original data. The stage decodes the measure itself as the score: the cost efficiency C*/C_o, the
revenue efficiency R_o/R* and the Nerlovian profit inefficiency (Pi* - Pi_o)/(p'g_y + w'g_x), so ``Problem``'s
snap and NaN rule apply to them as to every model's score; the objective is kept as a part (the optimal value).

Each kind is a registered :class:`~frontier.models.registry.ModelFamily` that ``serves="economic"``: only
:func:`frontier.economic` takes them (they need prices), never ``efficiency()`` and its kin; their technical parts
are the registered radial and DDF models.
"""
from __future__ import annotations

import numpy as np

from .base import (INF, Layout, ModelSpec, Stage, StageOutput, bad_row_bounds, convexity_bounds,
                   envelopment_blocks)
from .registry import ModelFamily, register
from ..options import ECONOMIC_KINDS

KINDS = ECONOMIC_KINDS


class EconomicStage(Stage):
    """One LP per DMU: the optimised inputs (cost), outputs (revenue) or both (profit) are the own columns."""

    def __init__(self, layout: Layout, rts: str, kind: str, disposability: str = "weak"):
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
        self.free = {"cost": layout.mask(inputs=True), "revenue": layout.mask(goods=True),
                     "profit": layout.mask(inputs=True, goods=True)}[kind]
        if disposability not in ("weak", "strong"):
            raise ValueError(f"bad_disposability must be 'weak' or 'strong', got {disposability!r}")
        blocks = envelopment_blocks(layout, rts, bads_weak=disposability == "weak")
        super().__init__(d=layout.d, blocks=blocks, convexity=rts != "crs", n_extra_rows=0,
                         n_extra_cols=int(self.free.sum()), name=kind)
        self.layout, self.rts, self.kind, self.disposability = layout, rts, kind, disposability

    def patch(self, data0, prev):
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        observed, coefficient = data0[:, : L.d], data0[:, L.d: 2 * L.d]
        # a fixed variable keeps its observed value on the right-hand side; a free one is an own column:
        # X'lambda - x <= 0 (inputs), Y'lambda - y >= 0 (outputs)
        fixed_rhs = np.where(self.free, 0.0, observed)
        p.row_upper[:, L.inputs] = fixed_rhs[:, L.inputs]
        p.row_lower[:, L.goods] = fixed_rhs[:, L.goods]
        # bad outputs are never priced nor optimised: the technology holds them at their observed level
        p.row_lower[:, L.bads], p.row_upper[:, L.bads] = bad_row_bounds(self.disposability, observed[:, L.bads])
        rows = np.flatnonzero(self.free)
        own = np.arange(rows.size)
        p.extra_matrix[:, rows, own] = -1.0
        # minimise cost (inputs at +price); maximise revenue (outputs at -price)
        sign = np.where(L.mask(inputs=True), 1.0, -1.0)[rows]
        p.extra_cost[:] = coefficient[:, rows] * sign
        if self.convexity:
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts)
        return p

    def objective_range(self, in_reference):
        # C*/C_o >= 0, and <= 1 when the DMU itself is feasible; -R*/R_o <= 0, and <= -1 likewise. The profit
        # objective's bound for the DMU itself (-Pi_o/norm) differs by DMU, so only its sign-free range is stated.
        if self.kind == "cost":
            return 0.0, 1.0 if in_reference else INF
        if self.kind == "revenue":
            return -INF, -1.0 if in_reference else 0.0
        return -INF, INF

    def decode(self, sol, data0, prev):
        objective = sol.objective
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.kind == "cost":
                score = objective.copy()                      # C*/C_o
            elif self.kind == "revenue":
                score = -1.0 / objective                      # R_o/R* (the objective is -R*/R_o)
            else:
                # (Pi* - Pi_o)/norm: the objective is -Pi*/norm, and the observed profit over the norm is the
                # DMU's own coefficients times its (scaled) quantities, outputs counted +, inputs -
                L = self.layout
                sign = np.where(L.mask(inputs=True), -1.0, 1.0)
                observed = (data0[:, : L.d] * data0[:, L.d: 2 * L.d] * sign).sum(axis=1)
                score = -objective - observed
        # the optimised quantities are the reference combination's sums (x = X'lambda, y = Y'lambda at the optimum)
        return StageOutput(sol.status, score=score, targets=sol.sums, parts={"objective": objective})


def build(layout: Layout, *, rts: str, kind: str, disposability: str = "weak") -> ModelSpec:
    what = {"cost": "C*/C_o (minimum over observed cost)", "revenue": "-R*/R_o (maximum over observed revenue)",
            "profit": "-Pi*/(p'g_y + w'g_x) (normalised maximum profit)"}[kind]
    return ModelSpec(stages=[EconomicStage(layout, rts, kind, disposability)], d=layout.d,
                     description=f"{kind} LP, objective {what}")


_EFFICIENT = {"cost": "C*/(w'x) in (0, 1], 1 = cost efficient", "revenue": "p'y/R* in (0, 1], 1 = revenue efficient",
              "profit": "(Pi* - Pi)/(p'g_y + w'g_x) >= 0, 0 = profit efficient"}

for _kind, _label, _score_kind in (("cost", "minimum cost (cost efficiency)", "efficiency"),
                                   ("revenue", "maximum revenue (revenue efficiency)", "efficiency"),
                                   ("profit", "maximum profit (Nerlovian profit inefficiency)", "inefficiency")):
    register(ModelFamily(
        name=_kind, label=_label, short_name=_kind, serves="economic", score_kind=_score_kind,
        build=lambda layout, options, constants, super_efficiency, score_outside: build(
            layout, rts=options.rts, kind=options.model, disposability=options.bad_disposability),
        disposabilities=("weak", "strong"), parts=("objective",), convention=_EFFICIENT[_kind],
    ))
