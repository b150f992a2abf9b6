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

Multiplier form (the LP dual; ``res.multipliers``, in the user's units): weights v >= 0 (inputs), u >= 0 (outputs),
mu (bad outputs: free in sign under weak disposability, >= 0 under strong) and omega (0 under CRS; free under VRS,
>= 0 under NIRS, <= 0 under NDRS) with ``v'x_j - u'y_j + mu'b_j + omega >= 0`` for every reference DMU j (and,
weak disposability under a convexity row, ``v'x_j + omega >= 0`` for Kuosmanen's abatement columns)::

    input:   theta = max  u'y0 - mu'b0 - omega   s.t.  v'x0 = 1          (Cooper, Seiford & Tone's u_0 = omega)
    output:  phi   = min  v'x0 + mu'b0 + omega   s.t.  u'y0 = 1

Weight restrictions (``weight_bounds=``, ``weight_cone=``; :mod:`frontier.models.restrictions`) add homogeneous rows
``a_x'v + a_y'u >= 0`` to the multiplier form and one zero-cost column ``pi >= 0`` each to the envelopment LP, which
then measures against the trade-off technology (Podinovski 2004): ``X'lambda + A_x'pi <= theta x0``,
``Y'lambda - A_y'pi >= y0``. The slacks are then measured to that LP's point ``(X'lambda + A_x'pi,
Y'lambda - A_y'pi)`` and maximised there (:class:`RadialSlacks`), and the targets are that point.
"""
from __future__ import annotations

import numpy as np

from .base import (INF, Layout, MaxSlackStage, ModelSpec, Stage, StageOutput, bad_row_bounds, convexity_bounds,
                   envelopment_blocks, max_slack_cost, multipliers_from_duals, nonnegative_slacks)
from .registry import ModelFamily, register
from .restrictions import FIXED_OPTIONS, WEIGHT_OPTIONS, refuse_all_fixed

ORIENTATIONS = ("input", "output")


class RadialScore(Stage):
    """Stage 1: the radial score. One own column (theta or phi)."""

    def __init__(self, layout: Layout, rts: str, orientation: str, disposability: str, super_eff: bool,
                 fixed: np.ndarray | None = None, weight_columns: np.ndarray | None = None):
        blocks = envelopment_blocks(layout, rts, disposability == "weak")
        weight_columns = np.zeros((0, layout.d)) if weight_columns is None else weight_columns
        # the score LP keeps its row duals: the multiplier form's weights (res.multipliers)
        super().__init__(d=layout.d, blocks=blocks, convexity=rts != "crs", n_extra_rows=0,
                         n_extra_cols=1 + len(weight_columns), exclude_self=super_eff, name="score", keep_duals=True,
                         relative_objective=True)
        self.layout, self.rts, self.orientation, self.disposability = layout, rts, orientation, disposability
        self.fixed = np.zeros(layout.d, dtype=bool) if fixed is None else fixed
        self.weight_columns = weight_columns

    def scaled_side(self) -> np.ndarray:
        """The mask of the variables the score scales: the oriented side's, the fixed ones left out."""
        L = self.layout
        side = L.mask(inputs=True) if self.orientation == "input" else L.mask(goods=True)
        return side & ~self.fixed

    def rows_and_column(self, data0: np.ndarray):
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        x0, y0, b0 = data0[:, L.inputs], data0[:, L.goods], data0[:, L.bads]
        p.row_upper[:, L.inputs] = x0
        p.row_lower[:, L.goods] = y0
        scaled = np.flatnonzero(self.scaled_side())     # X'lambda <= theta x0 (Y'lambda >= phi y0) on these rows
        if self.orientation == "input":
            p.row_upper[:, scaled] = 0.0
        else:
            p.row_lower[:, scaled] = 0.0
        p.extra_matrix[:, scaled, 0] = -data0[:, scaled]
        p.row_lower[:, L.bads], p.row_upper[:, L.bads] = bad_row_bounds(self.disposability, b0)
        if self.convexity:
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts)
        p.extra_lower[:, 0] = -INF
        p.extra_matrix[:, : L.d, 1:] = self.weight_columns.T     # the weight restrictions' columns, pi >= 0, cost 0
        return p

    def patch(self, data0, prev):
        p = self.rows_and_column(data0)
        p.extra_cost[:, 0] = 1.0 if self.orientation == "input" else -1.0
        return p

    def always_feasible(self, in_reference):
        return in_reference       # the DMU itself (lambda = e_0, theta = phi = 1) is a feasible point

    def objective_range(self, in_reference):
        # theta = max_i (X'lambda)_i / x_i0 >= 0 and phi = min_r (Y'lambda)_r / y_r0 >= 0; the DMU itself
        # (lambda = e_0) gives theta <= 1, phi >= 1. The objective is theta, or -phi.
        if self.orientation == "input":
            return 0.0, 1.0 if in_reference else INF
        return -INF, -1.0 if in_reference else 0.0

    def decode(self, sol, data0, prev):
        weights, omega = multipliers_from_duals(self.layout, sol.duals, self.convexity)
        return StageOutput(sol.status, score=sol.extras[:, 0], multipliers=weights, omega=omega)

    def trade_off_point(self, sol) -> np.ndarray:
        """The point the envelopment LP compares the DMU with, in LP units: the reference combination plus the weight
        restrictions' columns (Podinovski's 2004 trade-off technology; the reference combination without them)."""
        return sol.sums + sol.extras[:, 1:] @ self.weight_columns

    def moved(self, data0, score):
        """The radially contracted (input) or expanded (output) point, from which the slacks are measured."""
        point = data0[:, : self.layout.d].copy()
        side = self.scaled_side()
        point[:, side] *= score[:, None]
        return point


class RadialSlacks(MaxSlackStage):
    """The max-slack second stage measured to the trade-off point (:meth:`RadialScore.trade_off_point`): under
    weight restrictions the slacks are the rows' own slacks ``theta x0 - (X'lambda + pi'A_x)`` (>= 0, each row being
    an inequality), maximised with the restrictions' columns priced as reference columns are, and the targets are
    that point; without restrictions it is :class:`MaxSlackStage` itself (the reference combination)."""

    def patch(self, data0, prev):
        p = super().patch(data0, prev)
        p.extra_cost[:, 1:] = self.score_stage.weight_columns @ self.slack_cost     # a column costs a @ slack_cost
        return p

    def decode(self, sol, data0, prev):
        L = self.layout
        point = self.score_stage.trade_off_point(sol)
        slacks = self.score_stage.moved(data0, prev["score"]) - point
        slacks[:, L.goods] = -slacks[:, L.goods]
        slacks, targets = nonnegative_slacks(L, slacks, point)   # every row is an inequality (or equality)
        return StageOutput(sol.status, slacks=slacks, targets=targets, intensity_scale=np.ones(len(sol.status)),
                           detail_failed=sol.status != "optimal")


def build(layout: Layout, *, rts: str, orientation: str, disposability: str, super_efficiency: bool,
          scale: np.ndarray, fixed: np.ndarray | None = None, weight_columns: np.ndarray | None = None) -> ModelSpec:
    """The radial stages; ``fixed`` (a mask) the non-discretionary variables, ``weight_columns`` the assurance
    region's envelopment columns (:mod:`frontier.models.restrictions`)."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"radial models take orientation 'input' or 'output', got {orientation!r}")
    if disposability not in ("weak", "strong"):
        raise ValueError(f"radial models take bad_disposability 'weak' or 'strong', got {disposability!r}")
    side = layout.mask(inputs=orientation == "input", goods=orientation == "output")
    refuse_all_fixed(fixed, side, f"radial ({orientation} oriented)", f"the {orientation}s")
    score = RadialScore(layout, rts, orientation, disposability, super_efficiency, fixed, weight_columns)
    slacks = RadialSlacks if len(score.weight_columns) else MaxSlackStage
    stages = [score, slacks(score, max_slack_cost(layout, disposability, scale, fixed), disposability == "weak")]
    what = "theta (input, <= 1 unless super-efficient)" if orientation == "input" else "phi (output, >= 1)"
    return ModelSpec(stages=stages, d=layout.d, description=f"radial DEA, score = {what}")


def _build_family(layout: Layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    return build(layout, rts=options.rts, orientation=options.orientation, disposability=options.bad_disposability,
                 super_efficiency=super_efficiency, scale=constants.scale, fixed=constants.fixed,
                 weight_columns=constants.weight_columns)


FAMILY = register(ModelFamily(
    name="radial", label="radial DEA (CCR / BCC, Andersen-Petersen super-efficiency)", short_name="radial",
    build=_build_family, orientations=ORIENTATIONS, disposabilities=("weak", "strong"), super_efficiency=True,
    output_expansion=("output",), distance_function="shephard", model_options={**FIXED_OPTIONS, **WEIGHT_OPTIONS},
    convention="radial score: input orientation theta <= 1 (1 = efficient); output orientation phi >= 1",
))
