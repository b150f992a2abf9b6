r"""Slacks-based measure (SBM) and super-SBM, with undesirable outputs.

SBM (Tone 2001; with bad outputs Tone 2004 / Cooper, Seiford & Tone 2007 ch. 13), non-oriented::

    rho* = min [1 - (1/m) sum_i s-_i / x_i0] / [1 + (1/(s1+s2)) (sum_r sg_r / y_r0 + sum_k sb_k / b_k0)]
    s.t.  x0 = X'lambda + s-,  y0 = Y'lambda - sg,  b0 = B'lambda + sb,  lambda, s >= 0

solved in its Charnes-Cooper linearisation (t = 1 / denominator, Lambda = t lambda, S = t s)::

    min t - (1/m) sum S-_i / x_i0
    s.t. t + (1/(s1+s2)) (sum Sg_r / y_r0 + sum Sb_k / b_k0) = 1
         X'Lambda + S- = t x0,  Y'Lambda - Sg = t y0,  B'Lambda + Sb = t b0
         sum Lambda = t (VRS; <= t NIRS; >= t NDRS)    -- not "= 1": see kerrydu/sbmeff#2

Input orientation drops the output terms (rho = 1 - (1/m) sum s-/x0), output orientation the input term
(rho = 1 / (1 + ...)). Score rho in (0, 1]; 1 = Pareto efficient.

Super-SBM (Tone 2002; with bad outputs in its slack form, the super-efficiency counterpart of Tone 2004): the evaluated DMU leaves
the reference set and the score is the distance to the nearest point of the remaining technology that it
dominates::

    delta* = min [1 + (1/m) sum s-/x0] / [1 - (1/(s1+s2)) (sum sg/y0 + sum sb/b0)]
    s.t.  X'lambda - s- <= x0,  Y'lambda + sg >= y0,  B'lambda - sb <= b0,  sg <= y0,  lambda, s >= 0

``super_efficiency=True`` reports the hybrid score applied work uses (MaxDEA style): rho where the DMU is
SBM-inefficient, delta >= 1 where rho = 1 (within ``EFFICIENT_TOL``) or where the DMU lies outside the
reference technology (the SBM LP is infeasible, e.g. a cross-period evaluation). Because delta = 1 exactly
for an inefficient DMU, the threshold can only move a score by less than ``EFFICIENT_TOL``.

Feasibility (the non-oriented super-SBM is often called always feasible; with bad outputs it is not):
with bad outputs the slack form's denominator ``1 - (sum sg/y0 + sum sb/b0)/(s1+s2)`` must stay positive. Under
VRS (or NIRS/NDRS) a DMU whose bad outputs are far below every convex combination of the others (e.g. the
smallest unit of a panel) can have no such point: the LP is infeasible, the DMU is reported NaN with status
``"infeasible"`` rather than an arbitrary large number. Under CRS the combination can be scaled down, so the
LP stays feasible.

Slacks are signed as improvements: input and bad-output excess, output shortfall (>= 0). For super-efficient
DMUs they are the super-slacks with a minus sign: the target input is ``x0 + s-``, reported as slack ``-s-``.
Targets are ``x0 - slack_x``, ``y0 + slack_y``, ``b0 - slack_b``.

Multiplier form (Tone 2001's dual, from the Charnes-Cooper LP's row duals; ``res.multipliers``, in the user's
units), with c_i = w_i/x_i0 the input terms' coefficients and c_r = w_r/y_r0, c_k = w_k/b_k0 the output ones::

    rho = max xi   s.t.  xi + v'x0 - u'y0 + mu'b0 + omega = 1,
                         v'x_j - u'y_j + mu'b_j + omega >= 0  (every reference DMU j),
                         v >= c_x,  u >= xi c_y,  mu >= xi c_b,  omega = 0 (CRS), free (VRS), >= 0 (NIRS), <= 0 (NDRS)

so ``rho = 1 - v'x0 + u'y0 - mu'b0 - omega``. DMUs scored by super-SBM (``super_efficiency=True``, rho = 1) get the
dual of the super-SBM LP (Tone 2002, with bad outputs; from its linearisation's row duals), with every reference
DMU j != 0 on or above the hyperplane and the DMU itself beyond it::

    delta = max xi  s.t.  xi + v'x0 - (u - c)'y0 + mu'b0 + omega = 1,
                          v'x_j - u'y_j + mu'b_j + omega >= 0  (j != 0),
                          0 <= v <= c_x,  u >= 0,  c >= 0,  u - c <= xi c_y,  0 <= mu <= xi c_b

so, with u - c reported as u, ``delta = 1 - v'x0 + u'y0 - mu'b0 - omega`` as for rho. The bounds are the
super-slacks' columns (reversed from SBM's: the slacks now move away from the frontier); c are the duals of the caps
``sg_r <= y_r0`` (nonzero only where a target output is 0), reported netted into u (``u - c``, which still supports
every j since c'y_j >= 0); an orientation drops the other side's bounds.

Weight restrictions (``weight_bounds=``, ``weight_cone=``; :mod:`frontier.models.restrictions`): homogeneous rows
``a_x'v + a_y'u >= 0`` added to Tone's dual above, the choice made here since no SBM with assurance regions is
standard in the literature. In the envelopment LP each row is a column ``pi >= 0`` of cost 0 (``a_x`` in the input
rows, ``-a_y`` in the output rows), so the DMU is measured against Podinovski's (2004) trade-off technology
``{(x, y) >= 0: x >= X'lambda + A_x'pi, y <= Y'lambda - A_y'pi}``. Its points may hold less of an input than any
observed combination, even a negative amount (the trade-off directions have no end); the SBM ratio of such a point
is below 0, so the technology is kept in the nonnegative orthant: the input rows take free disposal and each input's
target ``x_i0 - s_i >= 0`` is a row (``div_i S'_i <= t x_i0``). The dual is then Tone's with the restrictions, with
``v >= 0`` and ``v + eta >= c_x`` for ``eta >= 0`` the target rows' duals (``xi + (v + eta)'x0 - u'y0 + ... = 1``);
``eta_i = 0`` wherever input i's target is positive, so there the dual is exactly Tone's with the restrictions.
The slacks reported are the LP's slack columns (the distance to the projection on that technology; the score is
their SBM ratio) and the targets the projection, ``x0 - s-``, ``y0 + sg``, ``b0 - sb``: a point of the trade-off
technology, not in general a combination of observed DMUs. ``res.multipliers`` are the data rows' duals (v, u,
mu): they satisfy the restrictions and the hyperplanes. Super-SBM takes the same columns in its data rows (the
super-SBM dual with the restrictions): delta is the distance to the trade-off technology of the other DMUs.

Zero data: the terms divide by x_i0, y_r0, b_k0. ``zeros="drop_term"`` leaves a zero's term out of its
average (the average is over the remaining terms); ``zeros="small_positive"`` divides by 1/100 of the
column's smallest positive value instead (Tone 2001, case 2; deaR's rule).
"""
from __future__ import annotations

import numpy as np

from .base import (INF, Layout, ModelSpec, ReferenceBlock, Stage, StageOutput, convexity_bounds, dominance_sense,
                   multipliers_from_duals, nonnegative_slacks)
from .registry import ModelFamily, register
from .restrictions import FIXED_OPTIONS, WEIGHT_OPTIONS, refuse_all_fixed

ORIENTATIONS = ("nonoriented", "input", "output")
EFFICIENT_TOL = 1e-6


def term_weights(values: np.ndarray, base: np.ndarray, zeros: str, small: np.ndarray):
    """Weights and divisors of the terms ``s_v / value_v`` of one side of the SBM ratio, per DMU.

    ``base`` are the user's relative weights (default all 1); weights are normalised to sum to 1 over the
    terms kept. Returns ``(weights, divisors)``, both shaped like ``values`` (k x terms).
    """
    k, n = values.shape
    if n == 0:
        return np.zeros((k, 0)), np.ones((k, 0))
    w = np.broadcast_to(base, (k, n)).astype(float).copy()
    div = values.astype(float).copy()
    zero = div == 0
    if zeros == "drop_term":
        w[zero] = 0.0
        div[zero] = 1.0
    elif zeros == "small_positive":
        div = np.where(zero, np.broadcast_to(small, (k, n)), div)
    div[w == 0] = 1.0        # a term of weight 0 (a fixed variable) leaves the ratio: nothing is divided by its value
    total = w.sum(axis=1, keepdims=True)
    w = np.divide(w, total, out=np.zeros_like(w), where=total > 0)
    return w, div


class _SBMStage(Stage):
    """Common layout: own columns [t, S- (m), Sg (s1), Sb (s2), the weight restrictions' pi], extra rows
    [normalisation (+ caps, or the inputs' target rows)]."""

    def __init__(self, layout: Layout, rts: str, orientation: str, weights: np.ndarray, zeros: str,
                 small: np.ndarray, n_extra_rows: int, exclude_self: bool, name: str,
                 weight_columns: np.ndarray | None = None):
        block = ReferenceBlock(layout.mask(True, True, True), dominance_sense(layout, True), rts != "crs")
        self.weight_columns = np.zeros((0, layout.d)) if weight_columns is None else weight_columns
        super().__init__(d=layout.d, blocks=[block], convexity=rts != "crs", n_extra_rows=n_extra_rows,
                         n_extra_cols=1 + layout.d + len(self.weight_columns), exclude_self=exclude_self, name=name)
        self.layout, self.rts, self.orientation = layout, rts, orientation
        self.weights, self.zeros, self.small = weights, zeros, small

    @property
    def restricted(self) -> bool:
        """Whether the multiplier form has weight restrictions (the envelopment LP their columns)."""
        return len(self.weight_columns) > 0

    @property
    def norm_row(self) -> int:
        return self.d + int(self.convexity)

    def _oriented_terms(self, data0):
        """Each side's term weights and divisors (:func:`term_weights`), the side the orientation leaves out
        weighted 0: ``(wi, di, wo, do)``."""
        L = self.layout
        wi, di = term_weights(data0[:, L.inputs], self.weights[L.inputs], self.zeros, self.small[L.inputs])
        out = slice(L.m, L.d)
        wo, do = term_weights(data0[:, out], self.weights[out], self.zeros, self.small[out])
        if self.orientation == "input":
            wo = np.zeros_like(wo)
        if self.orientation == "output":
            wi = np.zeros_like(wi)
        return wi, di, wo, do

    def weights_for(self, data0):
        wi, di, wo, do = self._oriented_terms(data0)
        # a side the orientation leaves out may hold zeros (not checked, not divided by): 0, not 0/0 = NaN
        return (np.divide(wi, di, out=np.zeros_like(wi), where=wi != 0),
                np.divide(wo, do, out=np.zeros_like(wo), where=wo != 0))

    def terms(self, data0):
        """The weight ``w_v`` and divisor ``div_v`` of each variable's term ``w_v s_v / div_v`` (k x d each; a
        divisor is 1 where the orientation leaves the term out or the value is 0 and not divided by)."""
        wi, di, wo, do = self._oriented_terms(data0)
        w, div = np.hstack([wi, wo]), np.hstack([di, do])
        d = self.layout.d
        return w, np.where((w > 0) & (div > 0), div, np.where(data0[:, :d] > 0, data0[:, :d], 1.0))

    def slacks(self, extras, data0):
        """The slacks ``S_v = div_v S'_v`` (Charnes-Cooper scaled) from the LP's slack columns."""
        return extras[:, 1: 1 + self.layout.d] * self.terms(data0)[1]

    def base_patch(self, data0, sign: float):
        """Rows  X'L + sign*S- - t x0,  Y'L - sign*Sg - t y0,  B'L + sign*Sb - t b0, convexity, normalisation.

        The slack columns are in units of the term divisors (the DMU's own values): ``S_v = div_v S'_v``, so the
        LP's coefficients are the data themselves and the score's weights, not rounded quotients ``w_v / x_v0``
        (SBM is invariant to each variable's units; this is the same LP, and an exact one: the robust path's
        exact rational certificate then speaks of the user's LP, not of a rounded copy)."""
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        x0 = data0[:, : L.d]
        p.extra_matrix[:, : L.d, 0] = -x0
        own = np.arange(L.d)
        signs = np.ones(L.d) * sign
        signs[L.goods] = -sign
        p.extra_matrix[:, own, 1 + own] = signs * self.terms(data0)[1]
        p.extra_matrix[:, : L.d, 1 + L.d:] = self.weight_columns.T     # the weight restrictions: pi >= 0, cost 0
        if self.convexity:
            p.extra_matrix[:, L.d, 0] = -1.0
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts, t_scaled=True)
        p.extra_lower[:, 0] = 0.0
        return p


class SBMScore(_SBMStage):
    """Tone's SBM in Charnes-Cooper form."""

    def __init__(self, layout, rts, orientation, weights, zeros, small, weight_columns=None):
        restricted = weight_columns is not None and len(weight_columns) > 0
        super().__init__(layout, rts, orientation, weights, zeros, small, n_extra_rows=1 + layout.m * restricted,
                         exclude_self=False, name="score", weight_columns=weight_columns)
        self.keep_duals = True      # the row duals are Tone's dual weights (res.multipliers)
        self.relative_objective = True

    def always_feasible(self, in_reference):
        return in_reference       # the DMU itself (t = 1, Lambda = e_0, no slack) is a feasible point

    def objective_range(self, in_reference):
        return 0.0, 1.0       # rho in [0, 1] whatever the reference set (slacks never exceed the data)

    def implied_upper(self, extra_matrix, extra_upper):
        # the normalisation row t + sum_r w_r S'_r = 1 has non-negative terms: t <= 1 and S'_r <= 1 / w_r (no
        # bound where w_r = 0); an input row X'Lambda + div_i S'_i = t x_i0 with div_i = x_i0 (or x_i0 = 0) gives
        # S'_i <= t <= 1
        L = self.layout
        norm = extra_matrix[:, self.norm_row, 1 + L.m: 1 + L.d]
        with np.errstate(divide="ignore"):
            outputs = np.where(norm > 0, 1.0 / norm, INF)
        # (under weight restrictions the inputs' target rows div_i S'_i <= t x_i0 keep S'_i <= t; pi is unbounded)
        restrictions = np.full((extra_matrix.shape[0], len(self.weight_columns)), INF)
        return np.hstack([np.ones((extra_matrix.shape[0], 1 + L.m)), outputs, restrictions])

    def patch(self, data0, prev):
        L = self.layout
        p = self.base_patch(data0, sign=1.0)
        p.row_lower[:, : L.d] = 0.0
        p.row_upper[:, : L.d] = 0.0
        w = self.terms(data0)[0]
        r = self.norm_row
        p.extra_matrix[:, r, 0] = 1.0
        p.extra_matrix[:, r, 1 + L.m: 1 + L.d] = w[:, L.m:]
        p.row_lower[:, r] = p.row_upper[:, r] = 1.0
        p.extra_cost[:, 0] = 1.0
        p.extra_cost[:, 1: 1 + L.m] = -w[:, L.inputs]
        if self.restricted:
            # the trade-off technology (Podinovski 2004) within the nonnegative orthant: the input rows take free
            # disposal, X'L + pi'A_x + S- <= t x0, and each input's target stays >= 0, div_i S'_i <= t x_i0
            p.row_lower[:, L.inputs] = -INF
            div = self.terms(data0)[1]
            for i in range(L.m):
                row = r + 1 + i
                p.extra_matrix[:, row, 0] = -data0[:, i]
                p.extra_matrix[:, row, 1 + i] = div[:, i]
                p.row_upper[:, row] = 0.0
        return p

    def decode(self, sol, data0, prev):
        """Targets are the reference combination ``X'lambda = X'Lambda / t``, slacks their distance to the data,
        and the score is computed without cancellation: ``1 - sum w_i s_i / x_i0 = sum w_i target_i / x_i0``
        (an efficient-looking DMU at 1e-20 of its column comes out as 1e-20, not as 1 - 1 = 0)."""
        L = self.layout
        t = sol.extras[:, 0]
        x0 = data0[:, : L.d]
        with np.errstate(divide="ignore", invalid="ignore"):
            targets = sol.sums / t[:, None]
            column_slacks = self.slacks(sol.extras, data0) / t[:, None]
            output_slacks = column_slacks[:, L.m:]
            scale = 1.0 / t
        if self.restricted:
            # the slacks are the LP's slack columns (the distance to the projection on the trade-off technology,
            # whose ratio the score is), the targets that projection: x0 - s-, y0 + sg, b0 - sb
            # (>= 0 by the target rows, up to the LP's tolerance)
            targets = np.maximum(x0 - column_slacks, 0.0)
            targets[:, L.goods] = x0[:, L.goods] + column_slacks[:, L.goods]
        slacks = x0 - targets
        slacks[:, L.goods] = -slacks[:, L.goods]
        # every data row is an equality with a slack column >= 0, so a negative slack is the row's certified
        # residual (relative to the row's terms, about t x0): 0, with the target at the DMU's own value
        slacks, targets = nonnegative_slacks(L, slacks, targets)
        cin, cout = self.weights_for(data0)
        # a zero input (zeros="small_positive") has target and slack 0: its term (small - 0) / small is 1
        kept = np.where(x0[:, L.inputs] > 0, targets[:, L.inputs], self.small[L.inputs])
        numerator = np.where((cin > 0).any(axis=1), (cin * kept).sum(axis=1), 1.0)
        score = numerator / (1.0 + (cout * output_slacks).sum(axis=1))
        weights, omega = multipliers_from_duals(L, sol.duals, self.convexity)
        return StageOutput(sol.status, score=score, slacks=slacks, targets=targets, multipliers=weights,
                           omega=omega, intensity_scale=scale)


class SuperSBMScore(_SBMStage):
    """Tone's (2002) super-SBM with bad outputs, slack form, linearised (t >= 1 automatically)."""

    def __init__(self, layout, rts, orientation, weights, zeros, small, only_where_efficient: bool,
                 fixed: np.ndarray | None = None, weight_columns: np.ndarray | None = None):
        super().__init__(layout, rts, orientation, weights, zeros, small, n_extra_rows=1 + layout.s1,
                         exclude_self=True, name="super", weight_columns=weight_columns)
        self.only_where_efficient = only_where_efficient
        self.fixed = np.zeros(layout.d, dtype=bool) if fixed is None else fixed
        self.keep_duals = True      # the row duals are the super-SBM dual's weights (res.multipliers)

    def objective_range(self, in_reference):
        return 1.0, INF       # t >= 1 by the normalisation row, so delta >= 1

    def select(self, prev):
        if not self.only_where_efficient:
            return np.ones(len(prev["status"]), dtype=bool)
        status, score = prev["status"], prev["score"]
        with np.errstate(invalid="ignore"):
            efficient = (status == "optimal") & (score >= 1.0 - EFFICIENT_TOL)
        return efficient | (status == "infeasible")

    def patch(self, data0, prev):
        L = self.layout
        p = self.base_patch(data0, sign=-1.0)
        p.row_upper[:, L.inputs] = 0.0          # X'L - S- - t x0 <= 0
        p.row_lower[:, L.goods] = 0.0           # Y'L + Sg - t y0 >= 0
        p.row_upper[:, L.bads] = 0.0            # B'L - Sb - t b0 <= 0
        w, div = self.terms(data0)
        r = self.norm_row
        p.extra_matrix[:, r, 0] = 1.0
        p.extra_matrix[:, r, 1 + L.m: 1 + L.d] = -w[:, L.m:]
        p.row_lower[:, r] = p.row_upper[:, r] = 1.0
        for j in range(L.s1):                   # Sg_r - t y_r0 <= 0  (target output stays >= 0)
            row = r + 1 + j
            p.extra_matrix[:, row, 0] = -data0[:, L.m + j]
            p.extra_matrix[:, row, 1 + L.m + j] = div[:, L.m + j]
            p.row_upper[:, row] = 0.0
        p.extra_cost[:, 0] = 1.0
        p.extra_cost[:, 1: 1 + L.m] = w[:, L.inputs]
        if self.orientation == "input":
            p.extra_upper[:, 1 + L.m: 1 + L.d] = 0.0
        if self.orientation == "output":
            p.extra_upper[:, 1: 1 + L.m] = 0.0
        p.extra_upper[:, 1 + np.flatnonzero(self.fixed)] = 0.0     # a fixed variable stays at its observed level
        return p

    def decode(self, sol, data0, prev):
        L = self.layout
        t = sol.extras[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            s = self.slacks(sol.extras, data0) / t[:, None]
            scale = 1.0 / t
        targets = data0[:, : L.d] + s
        targets[:, L.goods] = data0[:, L.goods] - s[:, L.goods]
        weights, omega = self.multipliers(sol.duals)
        return StageOutput(sol.status, score=sol.objective, slacks=-s, targets=targets, multipliers=weights,
                           omega=omega, intensity_scale=scale)

    def multipliers(self, duals: np.ndarray | None):
        """The super-SBM dual's weights (module docstring) from the row duals, in LP units: the data rows' duals
        (:func:`~frontier.models.base.multipliers_from_duals`) with the output caps' duals c >= 0 (rows
        ``Sg_r <= t y_r0``, dual -c_r) netted into u: u - c, so that ``delta = 1 - v'x0 + (u - c)'y0 - mu'b0 - omega``
        and, since c'y_j >= 0, every reference DMU still satisfies the hyperplane with u - c."""
        weights, omega = multipliers_from_duals(self.layout, duals, self.convexity)
        if duals is None:
            return weights, omega
        first = self.norm_row + 1
        weights[:, self.layout.goods] += duals[:, first: first + self.layout.s1]
        return weights + 0.0, omega


def divided_columns(layout: Layout, orientation: str) -> np.ndarray:
    """Mask of the variables whose observed value the SBM score divides by."""
    return layout.mask(inputs=orientation != "output", goods=orientation != "input",
                       bads=orientation != "input")


def build(layout: Layout, *, rts: str, orientation: str, super_efficiency: bool, weights: np.ndarray,
          zeros: str, small: np.ndarray, score_outside: bool = False, fixed: np.ndarray | None = None,
          weight_columns: np.ndarray | None = None) -> ModelSpec:
    """The SBM stages. ``super_efficiency`` adds the super-SBM stage for efficient DMUs, which leave their
    own reference set. ``score_outside`` adds it (without self-exclusion when ``super_efficiency`` is False)
    so that observations outside the reference technology get delta >= 1 instead of an infeasible LP, as
    the cross-period distances of a productivity index need (Tone 2004). ``fixed`` (a mask): the
    non-discretionary variables, whose terms leave the ratio (weight 0: the remaining terms' weights are normalised
    over them), so their rows keep a costless slack, an inequality; super-SBM holds them at their level.
    ``weight_columns``: the weight restrictions' envelopment columns (:mod:`frontier.models.restrictions`), in both
    stages (module docstring, "Weight restrictions")."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"SBM takes orientation 'nonoriented', 'input' or 'output', got {orientation!r}")
    if fixed is not None:
        refuse_all_fixed(fixed, divided_columns(layout, orientation), f"SBM ({orientation})",
                         "the variables its ratio counts")
        weights = np.where(fixed, 0.0, weights)
    stages: list[Stage] = [SBMScore(layout, rts, orientation, weights, zeros, small, weight_columns)]
    if super_efficiency or score_outside:
        super_stage = SuperSBMScore(layout, rts, orientation, weights, zeros, small, only_where_efficient=True,
                                    fixed=fixed, weight_columns=weight_columns)
        super_stage.exclude_self = bool(super_efficiency)
        stages.append(super_stage)
    what = "hybrid SBM / super-SBM (rho < 1 inefficient, delta >= 1 efficient)" if super_efficiency else "rho in (0, 1]"
    return ModelSpec(stages=stages, d=layout.d, description=f"SBM ({orientation}), score = {what}")


def _build_family(layout: Layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    return build(layout, rts=options.rts, orientation=options.orientation, super_efficiency=super_efficiency,
                 weights=constants.weights, zeros=options.zeros, small=constants.small, score_outside=score_outside,
                 fixed=constants.fixed, weight_columns=constants.weight_columns)


FAMILY = register(ModelFamily(
    name="sbm", label="slacks-based measure (Tone 2001; bad outputs Tone 2004), hybrid super-SBM (Tone 2002)",
    short_name="SBM", build=_build_family, orientations=ORIENTATIONS, weights="relative", super_efficiency=True,
    productivity_super_efficiency=True,         # the super-SBM ML / GML of applied work
    slack_shares=True, model_options={**FIXED_OPTIONS, **WEIGHT_OPTIONS},
    convention="SBM score rho in (0, 1], 1 = efficient; with super-efficiency delta >= 1 for efficient DMUs",
    divides_by=lambda layout, options: divided_columns(layout, options.orientation),
    counted=lambda layout, options: divided_columns(layout, options.orientation),
))
