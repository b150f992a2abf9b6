r"""Radial DEA: CCR / BCC envelopment models, input or output oriented, with a max-slack second stage.

Input orientation (Charnes, Cooper & Rhodes 1978; Banker, Charnes & Cooper 1984)::

    theta* = min theta   s.t.  X'lambda <= theta x0,  Y'lambda >= y0,  B'lambda (= | <=) b0,  lambda >= 0

Output orientation::

    phi* = max phi       s.t.  X'lambda <= x0,  Y'lambda >= phi y0,  B'lambda (= | <=) b0

Returns to scale add ``sum lambda = 1`` (VRS), ``<= 1`` (NIRS) or ``>= 1`` (NDRS). Bad outputs are held at
their observed level: ``bad_disposability="weak"`` is the environmental technology of Färe, Grosskopf,
Lovell & Pasurka (1989) with the equality ``B'lambda = b0``, which under a convexity constraint uses
Kuosmanen's (2005) form (lambda = z + u, u spanning inputs only); ``"strong"`` uses ``B'lambda <= b0``.

Scores: theta in (0, 1] (input), phi >= 1 (output); 1 = radially efficient. ``super_efficiency=True`` is
Andersen & Petersen (1993): the evaluated DMU leaves its own reference set, so theta > 1 (phi < 1) is
possible and VRS LPs may be infeasible (reported as NaN with status ``"infeasible"``).

Second stage (Ali & Seiford 1993 style, as DEAMATLAB and DataEnvelopmentAnalysis.jl): with the score fixed,
maximise the unweighted sum of input and output slacks (and bad-output slacks under strong disposability),
measured in the data's own units. Slacks are ``theta x0 - X'lambda`` (input excess after the radial
contraction), ``Y'lambda - y0`` (output shortfall); targets are the reference combination
``(X'lambda, Y'lambda, B'lambda)``.
"""
from __future__ import annotations

import numpy as np

from .base import (INF, Layout, ModelSpec, Stage, bad_row_bounds, convexity_bounds, envelopment_blocks,
                   max_slack_cost, nonnegative_slacks, status_after_detail_stage)

ORIENTATIONS = ("input", "output")


class RadialScore(Stage):
    """Stage 1: the radial score. One own column (theta or phi)."""

    def __init__(self, layout: Layout, rts: str, orientation: str, disposability: str, super_eff: bool):
        blocks = envelopment_blocks(layout, rts, disposability == "weak")
        super().__init__(d=layout.d, blocks=blocks, convexity=rts != "crs", n_extra_rows=0,
                         n_extra_cols=1, exclude_self=super_eff, name="score")
        self.layout, self.rts, self.orientation, self.disposability = layout, rts, orientation, disposability

    def rows_and_column(self, data0: np.ndarray):
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        x0, y0, b0 = data0[:, L.inputs], data0[:, L.goods], data0[:, L.bads]
        if self.orientation == "input":
            p.row_upper[:, L.inputs] = 0.0
            p.extra_matrix[:, L.inputs, 0] = -x0
            p.row_lower[:, L.goods] = y0
        else:
            p.row_upper[:, L.inputs] = x0
            p.row_lower[:, L.goods] = 0.0
            p.extra_matrix[:, L.goods, 0] = -y0
        p.row_lower[:, L.bads], p.row_upper[:, L.bads] = bad_row_bounds(self.disposability, b0)
        if self.convexity:
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts)
        p.extra_lower[:, 0] = -INF
        return p

    def patch(self, data0, prev):
        p = self.rows_and_column(data0)
        p.extra_cost[:, 0] = 1.0 if self.orientation == "input" else -1.0
        return p

    def objective_range(self, in_reference):
        # theta = max_i (X'lambda)_i / x_i0 >= 0 and phi = min_r (Y'lambda)_r / y_r0 >= 0; the DMU itself
        # (lambda = e_0) gives theta <= 1, phi >= 1. The objective is theta, or -phi.
        if self.orientation == "input":
            return 0.0, 1.0 if in_reference else INF
        return -INF, -1.0 if in_reference else 0.0

    def decode(self, sol, data0, prev):
        return {"status": sol.status, "score": sol.extras[:, 0]}


class RadialSlacks(RadialScore):
    """Stage 2: the score fixed, the sum of slacks (in data units) maximised."""

    def __init__(self, layout, rts, orientation, disposability, super_eff, scale: np.ndarray):
        super().__init__(layout, rts, orientation, disposability, super_eff)
        cost = max_slack_cost(layout, disposability, scale)
        self.blocks = envelopment_blocks(layout, rts, disposability == "weak", slack_cost=cost)
        self.name = "slacks"

    def select(self, prev):
        return prev["status"] == "optimal"

    def objective_range(self, in_reference):
        return -INF, INF

    def patch(self, data0, prev):
        p = self.rows_and_column(data0)
        p.extra_lower[:, 0] = prev["score"]
        p.extra_upper[:, 0] = prev["score"]
        return p

    def decode(self, sol, data0, prev):
        L = self.layout
        score = prev["score"][:, None]
        x0, y0, b0 = data0[:, L.inputs], data0[:, L.goods], data0[:, L.bads]
        sums = sol.sums
        slacks = np.empty_like(sums)
        if self.orientation == "input":
            slacks[:, L.inputs] = score * x0 - sums[:, L.inputs]
            slacks[:, L.goods] = sums[:, L.goods] - y0
        else:
            slacks[:, L.inputs] = x0 - sums[:, L.inputs]
            slacks[:, L.goods] = sums[:, L.goods] - score * y0
        slacks[:, L.bads] = b0 - sums[:, L.bads]
        slacks, targets = nonnegative_slacks(L, slacks, sums)   # every row is an inequality (or equality)
        return {
            "status": status_after_detail_stage(sol.status, "slacks"),
            "slacks": slacks,
            "targets": targets,
            "_intensity_scale": np.ones(len(sol.status)),
        }


def build(layout: Layout, *, rts: str, orientation: str, disposability: str, super_efficiency: bool,
          scale: np.ndarray) -> ModelSpec:
    if orientation not in ORIENTATIONS:
        raise ValueError(f"radial models take orientation 'input' or 'output', got {orientation!r}")
    if disposability not in ("weak", "strong"):
        raise ValueError(f"radial models take bad_disposability 'weak' or 'strong', got {disposability!r}")
    stages = [RadialScore(layout, rts, orientation, disposability, super_efficiency),
              RadialSlacks(layout, rts, orientation, disposability, super_efficiency, scale)]
    what = "theta (input, <= 1 unless super-efficient)" if orientation == "input" else "phi (output, >= 1)"
    return ModelSpec(stages=stages, d=layout.d, description=f"radial DEA, score = {what}")
