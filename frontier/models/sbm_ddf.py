r"""SBM directional distance function (slacks-based inefficiency) — Fukuyama & Weber (2009);
Färe & Grosskopf (2010); gtfpch2's ``sbmdf``.

::

    S = max  sum_v w_v s_v / g_v
    s.t.  X'lambda + s_x = x0,   Y'lambda - s_y = y0,   B'lambda + s_b = b0,   lambda, s >= 0   (VRS: sum lambda = 1)

Default weights w = 1/2 (1/m, ..., 1/(s1+s2), ...) (inputs share one half, good and bad outputs the other);
custom weights replace them per variable. The LP is already linear. A variable whose direction component is
0 keeps its slack (free disposal) but earns nothing: its term is left out. ``betas`` are ``s_v / g_v`` (0
where g_v = 0); ``slacks`` are the s_v; targets ``x0 - s_x``, ``y0 + s_y``, ``b0 - s_b``. S = 0 exactly for
Pareto-efficient DMUs; with the observed direction S is unit-invariant.

With equality constraints an observation outside the reference technology has no feasible point: the LP is
infeasible and the score NaN (use a global or biennial technology to avoid this in productivity indices).

Multiplier form (the LP dual; ``res.multipliers``, in the user's units), with c_v = w_v / g_v (0 where g_v = 0)::

    S = min  v'x0 - u'y0 + mu'b0 + omega   s.t.  v'x_j - u'y_j + mu'b_j + omega >= 0 (every reference DMU j),
                                                 v >= c_x,  u >= c_y,  mu >= c_b,  omega = 0 (CRS), free (VRS)
"""
from __future__ import annotations

import numpy as np

from .base import (INF, Layout, ModelSpec, ReferenceBlock, Stage, StageOutput, convexity_bounds, dominance_sense,
                   multipliers_from_duals)
from .ddf import moved_columns
from .registry import ModelFamily, register
from .restrictions import FIXED_OPTIONS, refuse_all_fixed


def default_weights(layout: Layout) -> np.ndarray:
    w = np.zeros(layout.d)
    w[layout.inputs] = 0.5 / layout.m
    w[layout.m:] = 0.5 / (layout.s1 + layout.s2)
    return w


class SBMDDFScore(Stage):
    def __init__(self, layout: Layout, rts: str, weights: np.ndarray, fixed: np.ndarray | None = None):
        block = ReferenceBlock(layout.mask(True, True, True), dominance_sense(layout, True), rts != "crs")
        super().__init__(d=layout.d, blocks=[block], convexity=rts != "crs", n_extra_rows=0,
                         n_extra_cols=layout.d, exclude_self=False, name="score", keep_duals=True)
        self.layout, self.rts, self.weights = layout, rts, weights
        self.fixed = np.zeros(layout.d, dtype=bool) if fixed is None else fixed

    def direction(self, data0):
        """Each DMU's direction g (k x d), 0 on the non-discretionary variables: their slack earns nothing."""
        return np.where(self.fixed, 0.0, data0[:, self.layout.d: 2 * self.layout.d])

    def always_feasible(self, in_reference):
        return in_reference       # the DMU itself with every slack 0 is a feasible point

    def objective_range(self, in_reference):
        return -INF, 0.0      # -sum w_v s_v / g_v with s >= 0

    def patch(self, data0, prev):
        L = self.layout
        p = self.empty_patch(data0.shape[0])
        x, g = data0[:, : L.d], self.direction(data0)
        p.row_lower[:, : L.d] = x
        p.row_upper[:, : L.d] = x
        own = np.arange(L.d)
        signs = np.ones(L.d)
        signs[L.goods] = -1
        p.extra_matrix[:, own, own] = signs
        if self.convexity:
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts)
        with np.errstate(divide="ignore"):
            p.extra_cost[:] = np.where(g > 0, -self.weights / np.where(g > 0, g, 1.0), 0.0)
        return p

    def decode(self, sol, data0, prev):
        L = self.layout
        x, g = data0[:, : L.d], self.direction(data0)
        s = sol.extras
        betas = np.where(g > 0, s / np.where(g > 0, g, 1.0), 0.0)
        betas[~np.isfinite(s)] = np.nan
        targets = x - s
        targets[:, L.goods] = x[:, L.goods] + s[:, L.goods]
        weights, omega = multipliers_from_duals(L, sol.duals, self.convexity)
        return StageOutput(sol.status, score=-sol.objective, betas=betas, slacks=s, targets=targets,
                           multipliers=weights, omega=omega, intensity_scale=np.ones(len(sol.status)))


def build(layout: Layout, *, rts: str, weights: np.ndarray, fixed: np.ndarray | None = None) -> ModelSpec:
    """The SBM-DDF stage; ``fixed`` (a mask): the non-discretionary variables, whose terms are left out."""
    return ModelSpec(stages=[SBMDDFScore(layout, rts, weights, fixed)], d=layout.d,
                     description="SBM directional distance function, score = sum_v w_v s_v / g_v (0 = efficient)")


def _build_family(layout: Layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    refuse_all_fixed(constants.fixed, moved_columns(layout, options), "sbm_ddf",
                     f"direction {options.direction!r}")
    return build(layout, rts=options.rts, weights=constants.weights, fixed=constants.fixed)


def _divides_by(layout: Layout, options) -> np.ndarray | None:
    """With the observed direction the terms s_v / g_v divide by the data."""
    observed = isinstance(options.direction, str) and options.direction == "observed"
    return layout.mask(True, True, True) if observed else None


FAMILY = register(ModelFamily(
    name="sbm_ddf", label="SBM directional distance function (Fukuyama & Weber 2009)", short_name="SBM-DDF",
    build=_build_family, directional=True, weights="relative", score_kind="inefficiency", has_betas=True,
    shadow_prices=True, model_options=dict(FIXED_OPTIONS),
    default_weights=default_weights, divides_by=_divides_by, counted=moved_columns,
    super_efficiency_note="with its equality constraints an efficient DMU has no feasible point once it leaves "
                          "its reference set",
    convention="SBM-DDF inefficiency: 0 = efficient, larger = more inefficient",
))
