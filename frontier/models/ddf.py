r"""Directional distance functions with undesirable outputs: radial DDF and non-radial DDF.

Directions are non-negative magnitudes g = (g_x, g_y, g_b): the DMU moves to (x0 - beta g_x, y0 + beta g_y,
b0 - beta g_b). (gtfpch writes the same direction as (-g_x, g_y, -g_b).)

Radial DDF (Chambers, Chung & Färe 1996; with bad outputs Chung, Färe & Grosskopf 1997)::

    D = max beta   s.t.  X'lambda <= x0 - beta g_x,   Y'lambda >= y0 + beta g_y,
                         B'lambda  = b0 - beta g_b   (weak; "strong": <=),   lambda >= 0,   beta free

beta is free (as in gtfpch and DEAMATLAB), so an observation outside the reference technology gets D < 0
instead of an infeasible LP. ``bad_disposability="apz"`` is Aparicio, Pastor & Zofío (2013): the bad-output
rows are inequalities and ``b0 - beta g_b <= max_j b_j`` (the maximum over all rows of the data). Under a
convexity constraint, weak disposability uses Kuosmanen's (2005) form. ``super_efficiency=True`` removes the
DMU from its own reference set (super-DDF, efficient DMUs get D < 0). A second stage maximises the slacks
(in data units) with beta fixed, as DEAMATLAB does. 0 = efficient; larger = more inefficient.

Non-radial DDF (Zhou, Ang & Wang 2012; teddf/gtfpch ``nonradial``)::

    Dv = max sum_v w_v beta_v   s.t.  X'lambda <= x0 - diag(beta_x) g_x,  Y'lambda >= y0 + diag(beta_y) g_y,
                                      B'lambda  = b0 - diag(beta_b) g_b,  beta >= 0,  lambda >= 0

with raw (not normalised) weights, default 1. A beta whose direction component is 0 is fixed at 0.
Slacks are what remains after the directional move (e.g. ``x0 - beta_x g_x - X'lambda``); targets are the
reference combination. A variable weighted 0 is not scored: its beta is not determined by the LP and the reference
combination is chosen for the other variables, so its beta, slack and target (and so its factor efficiency) are
NaN rather than numbers of a non-unique projection.

Multiplier form (the LP dual; ``res.multipliers``, in the user's units): v >= 0, u >= 0, mu (free under weak
disposability, >= 0 otherwise), omega (0 under CRS) with ``v'x_j - u'y_j + mu'b_j + omega >= 0`` for every
reference DMU j (Kuosmanen's abatement columns: ``v'x_j + omega >= 0``)::

    DDF:   D  = min  v'x0 - u'y0 + mu'b0 + omega   s.t.  v'g_x + u'g_y + mu'g_b = 1
    NDDF:  Dv = min  v'x0 - u'y0 + mu'b0 + omega   s.t.  v_i g_xi >= w_i, u_r g_yr >= w_r, mu_k g_bk >= w_k

(APZ: mu and omega also carry the cap rows' duals, see :meth:`_Directional.multipliers`.)
"""
from __future__ import annotations

import numpy as np

from .base import (DISPOSABILITY, INF, Layout, MaxSlackStage, ModelSpec, Stage, StageOutput, bad_row_bounds,
                   convexity_bounds, envelopment_blocks, max_slack_cost, multipliers_from_duals)
from .registry import ModelFamily, register
from .restrictions import FIXED_OPTIONS, refuse_all_fixed


class _Directional(Stage):
    """Envelopment rows with a direction; data0 rows are [data (d), direction (d)]."""

    def __init__(self, layout: Layout, rts: str, disposability: str, n_extra_cols: int, super_eff: bool,
                 bad_cap: np.ndarray, name: str, fixed: np.ndarray | None = None):
        blocks = envelopment_blocks(layout, rts, disposability == "weak")
        extra_rows = layout.s2 if disposability == "apz" else 0
        # the score LPs keep their row duals: the multipliers behind the shadow prices of bad outputs
        super().__init__(d=layout.d, blocks=blocks, convexity=rts != "crs", n_extra_rows=extra_rows,
                         n_extra_cols=n_extra_cols, exclude_self=super_eff, name=name, keep_duals=True)
        self.layout, self.rts, self.disposability, self.bad_cap = layout, rts, disposability, bad_cap
        self.fixed = np.zeros(layout.d, dtype=bool) if fixed is None else fixed

    def direction(self, data0):
        """Each DMU's direction g (k x d), 0 on the non-discretionary variables (Banker & Morey 1986)."""
        return np.where(self.fixed, 0.0, data0[:, self.layout.d: 2 * self.layout.d])

    def envelopment_rows(self, data0):
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        x = data0[:, : L.d]
        p.row_upper[:, L.inputs] = x[:, L.inputs]
        p.row_lower[:, L.goods] = x[:, L.goods]
        p.row_lower[:, L.bads], p.row_upper[:, L.bads] = bad_row_bounds(self.disposability, x[:, L.bads])
        if self.convexity:
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts)
        if self.disposability == "apz":       # -beta g_b <= max_j b_j - b0, one row per bad output
            first = L.d + int(self.convexity)
            for j in range(L.s2):
                p.row_upper[:, first + j] = self.bad_cap[j] - x[:, L.m + L.s1 + j]
        return p

    def multipliers(self, duals: np.ndarray | None):
        """The multiplier form's weights (v, u, mu) and omega from the row duals, in LP units
        (:func:`~frontier.models.base.multipliers_from_duals`), with ``D = v'x0 - u'y0 + mu'b0 + omega``.

        v = dD/dx0, u = -dD/dy0, mu = dD/db0: the derivatives of the score with the direction and the reference
        set held fixed (Färe, Grosskopf, Noh & Weber 2005). An APZ cap row's bound ``max_j b_j - b0`` falls as b0
        rises, so its dual enters mu with the opposite sign and its constant part ``max_j b_j`` enters omega.
        """
        weights, omega = multipliers_from_duals(self.layout, duals, self.convexity)
        if weights is None or self.disposability != "apz":
            return weights, omega
        L = self.layout
        first = L.d + int(self.convexity)
        cap_duals = duals[:, first: first + L.s2]
        weights[:, L.bads] += cap_duals
        return weights, omega - cap_duals @ self.bad_cap

    def direction_signs(self) -> np.ndarray:
        """Sign of beta's coefficient in each data row: +g (inputs, bads), -g (outputs)."""
        signs = np.ones(self.layout.d)
        signs[self.layout.goods] = -1
        return signs


class DDFScore(_Directional):
    def __init__(self, layout, rts, disposability, super_eff, bad_cap, fixed=None):
        super().__init__(layout, rts, disposability, 1, super_eff, bad_cap, "score", fixed)

    def beta_column(self, data0):
        L = self.layout
        p = self.envelopment_rows(data0)
        g = self.direction(data0)
        p.extra_matrix[:, : L.d, 0] = g * self.direction_signs()
        if self.disposability == "apz":
            first = L.d + int(self.convexity)
            p.extra_matrix[:, first: first + L.s2, 0] = -g[:, L.bads]
        p.extra_lower[:, 0] = -INF
        return p

    def patch(self, data0, prev):
        p = self.beta_column(data0)
        p.extra_cost[:, 0] = -1.0
        return p

    def always_feasible(self, in_reference):
        return in_reference       # the DMU itself with beta = 0 is a feasible point

    def objective_range(self, in_reference):
        return -INF, 0.0 if in_reference else INF     # the DMU itself gives beta = 0; the objective is -beta

    def decode(self, sol, data0, prev):
        weights, omega = self.multipliers(sol.duals)
        return StageOutput(sol.status, score=sol.extras[:, 0], multipliers=weights, omega=omega)

    def moved(self, data0, score):
        """The point after the directional move, (x0 - beta g_x, y0 + beta g_y, b0 - beta g_b)."""
        L = self.layout
        return data0[:, : L.d] - score[:, None] * self.direction(data0) * self.direction_signs()


class NDDFScore(_Directional):
    def __init__(self, layout, rts, disposability, weights, bad_cap, fixed=None):
        super().__init__(layout, rts, disposability, layout.d, False, bad_cap, "score", fixed)
        self.weights = weights

    def always_feasible(self, in_reference):
        return in_reference       # the DMU itself with every beta = 0 is a feasible point

    def objective_range(self, in_reference):
        return -INF, 0.0      # -sum w_v beta_v with beta >= 0

    def patch(self, data0, prev):
        L = self.layout
        p = self.envelopment_rows(data0)
        g = self.direction(data0)
        own = np.arange(L.d)
        p.extra_matrix[:, own, own] = g * self.direction_signs()
        if self.disposability == "apz":
            first = L.d + int(self.convexity)
            for j in range(L.s2):
                v = L.m + L.s1 + j
                p.extra_matrix[:, first + j, v] = -g[:, v]
        p.extra_cost[:] = -self.weights
        p.extra_upper[:] = np.where(g > 0, INF, 0.0)
        return p

    def decode(self, sol, data0, prev):
        L = self.layout
        x, g = data0[:, : L.d], self.direction(data0)
        betas = sol.extras
        moved = x - betas * g * self.direction_signs()
        slacks = moved - sol.sums
        slacks[:, L.goods] = -slacks[:, L.goods]
        targets = sol.sums.copy()
        # a variable weighted 0 is not scored: its beta is any value the LP happened to pick, and its slack and
        # target (the reference combination, chosen for the other variables) no measure of it: NaN, never a number
        # read as that variable's efficiency (the model's description says so)
        unscored = self.weights == 0
        betas[:, unscored] = slacks[:, unscored] = targets[:, unscored] = np.nan
        weights, omega = self.multipliers(sol.duals)
        return StageOutput(sol.status, score=-sol.objective, betas=betas, slacks=slacks, targets=targets,
                           multipliers=weights, omega=omega, intensity_scale=np.ones(len(sol.status)))


def build_ddf(layout: Layout, *, rts: str, disposability: str, super_efficiency: bool, bad_cap: np.ndarray,
              scale: np.ndarray, fixed: np.ndarray | None = None) -> ModelSpec:
    """The DDF stages; ``fixed`` (a mask): the non-discretionary variables, direction 0 and no max-slack term."""
    score = DDFScore(layout, rts, disposability, super_efficiency, bad_cap, fixed)
    stages = [score, MaxSlackStage(score, max_slack_cost(layout, disposability, scale, fixed), disposability == "weak")]
    return ModelSpec(stages=stages, d=layout.d,
                     description="radial directional distance function, score = beta (0 = efficient)")


def build_nddf(layout: Layout, *, rts: str, disposability: str, weights: np.ndarray, bad_cap: np.ndarray,
               fixed: np.ndarray | None = None) -> ModelSpec:
    """The NDDF stage; ``fixed`` (a mask): the non-discretionary variables, direction 0 (their beta held at 0)."""
    stages = [NDDFScore(layout, rts, disposability, weights, bad_cap, fixed)]
    unscored = "; variables weighted 0 are not scored: their betas, slacks and targets are NaN" \
        if (weights == 0).any() else ""
    return ModelSpec(stages=stages, d=layout.d, description="non-radial directional distance function, score = "
                                                            f"sum_v w_v beta_v (0 = efficient){unscored}")


def moved_columns(layout: Layout, options) -> np.ndarray:
    """The variables a named direction moves (its component > 0 somewhere): every one but the inputs under
    ``"output"`` (0, y, b) and but the outputs under ``"input"`` (x, 0, 0); all for a custom direction. A
    non-radial score counts only these: a beta with a 0 direction is fixed at 0."""
    mask = np.ones(layout.d, dtype=bool)
    if isinstance(options.direction, str) and options.direction in ("output", "input"):
        mask = ~layout.mask(inputs=True) if options.direction == "output" else layout.mask(inputs=True)
    return mask


def _build_ddf(layout: Layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    refuse_all_fixed(constants.fixed, moved_columns(layout, options), "ddf", f"direction {options.direction!r}")
    return build_ddf(layout, rts=options.rts, disposability=options.bad_disposability,
                     super_efficiency=super_efficiency, bad_cap=constants.bad_cap, scale=constants.scale,
                     fixed=constants.fixed)


def _build_nddf(layout: Layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    refuse_all_fixed(constants.fixed, moved_columns(layout, options), "nddf", f"direction {options.direction!r}")
    return build_nddf(layout, rts=options.rts, disposability=options.bad_disposability, weights=constants.weights,
                      bad_cap=constants.bad_cap, fixed=constants.fixed)


DDF = register(ModelFamily(
    name="ddf", label="radial directional distance function (Chambers, Chung & Färe 1996; Chung et al. 1997)",
    short_name="DDF", build=_build_ddf, disposabilities=DISPOSABILITY, directional=True,
    productivity_direction="output", super_efficiency=True, score_kind="inefficiency", shadow_prices=True,
    distance_function="directional", model_options=dict(FIXED_OPTIONS),
    convention="directional distance beta: 0 = efficient, larger = more inefficient (negative = outside)",
))
NDDF = register(ModelFamily(
    name="nddf", label="non-radial directional distance function (Zhou, Ang & Wang 2012)", short_name="NDDF",
    build=_build_nddf, disposabilities=DISPOSABILITY, directional=True, productivity_direction="output",
    weights="raw", score_kind="inefficiency", has_betas=True, shadow_prices=True, counted=moved_columns,
    model_options=dict(FIXED_OPTIONS),
    super_efficiency_note="with beta >= 0 an efficient DMU has no feasible point once it leaves its reference set",
    convention="non-radial directional distance sum w_v beta_v: 0 = efficient, larger = more inefficient",
))
