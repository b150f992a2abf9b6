"""A bounded-variable primal simplex that solves many small LPs at once, vectorised across them with numpy.

Why: a DEA stage LP has few rows (one per variable, a convexity row, a normalisation row: 3-10) and its reference
columns are shared by every DMU evaluated against the same reference set. For small reference sets (a bootstrap
replicate of 300 DMUs, a period of a province panel) HiGHS spends most of its time in the fixed cost of each call
(about 0.27 ms per ``run()``), not in pivoting. Here the LPs of a batch pivot together: one iteration is a few array
operations over all of them (the pricing of the shared columns is one product per reference set), so each LP costs a
small share of one vectorised iteration. A batch may hold the LPs of several reference sets (*groups*: the replicates
of a bootstrap), which spreads the fixed cost of an iteration over more LPs.

The LPs (one per evaluated DMU i, of group g(i); every group has the same R rows)::

    min  c_own_i' x_own + c_g' lam
    s.t. row_lower_i <= E_i x_own + A_g lam <= row_upper_i
         own_lower_i <= x_own <= own_upper_i,   0 <= lam (<= 0 where ``banned``)

Method: each row gets an activity variable r = E_i x_own + A_g lam with bounds [row_lower, row_upper], so the
constraints read ``E_i x_own + A_g lam - r = 0`` and every variable is boxed (bounds may be infinite). The own columns
start at a finite bound (0 if free), the reference columns at 0; a row whose activity is then inside its bounds starts
with its activity variable basic, any other row with an artificial variable (phase 1 minimises their sum, then phase 2
fixes them at 0). Pricing is Dantzig's rule (the most negative reduced cost), with Bland's rule for an LP after
``BLAND_AFTER`` degenerate pivots in a row (no cycling); the ratio test is Harris's two-pass test (the largest pivot
among the near-tied rows). The basis inverse is updated in product form at each pivot and recomputed, with the basic
values, every ``REFACTOR`` iterations.

The result is *not trusted*: the engine certifies every solution with the same relative KKT check as HiGHS's
(:func:`frontier.engine.certified`) and solves any LP this solver does not finish (an iteration limit, a phase 1 that
ends infeasible, an unbounded ray, a singular basis) or whose solution the certificate refuses with HiGHS. So this
module only has to be fast and usually right; infeasibility and unboundedness are always left to HiGHS, which proves
them.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.base import Stage
from . import dense_kernel, settings
from .certify import JoinedPatch, Stacked, certified_packed, column_matrix, held_exact
from .kernel import in_range, magnitudes

@dataclass(frozen=True)
class DenseSolution:
    """The outcome for k LPs: ``solved`` (True where this solver reached an optimal basis; everything else is for
    HiGHS), the own columns' values (k x E), the reference intensities (k x N, dense, in the LP's group's columns),
    the row duals (k x R; HiGHS's sign convention: the objective's derivative with respect to the row's bound), the
    objective (k,) and the number of iterations the batch took."""

    solved: np.ndarray
    own: np.ndarray
    lam: np.ndarray
    duals: np.ndarray
    objective: np.ndarray
    iterations: int


def solve_batch(A: np.ndarray, cost: np.ndarray, own_matrix: np.ndarray, own_cost: np.ndarray,
                own_lower: np.ndarray, own_upper: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray,
                group: np.ndarray | None = None, banned: np.ndarray | None = None,
                active: np.ndarray | None = None) -> DenseSolution:
    """Solve the k LPs stated in the module docstring.

    A: G x R x N shared columns of each group (a group with fewer columns is padded with zero columns of cost 0, which
    never enter), cost: G x N; own_matrix: k x R x E; own_cost, own_lower, own_upper: k x E; row_lower, row_upper:
    k x R; group: k group numbers in 0..G-1, ascending (default all 0); banned: optional k x N mask of reference
    columns fixed at 0 (the evaluated DMU itself under super-efficiency); active: optional G x N mask of the columns
    to start from (default all). With ``active``, the LPs pivot over their group's *active* columns only (exact
    column generation, vectorised): an LP with nothing left to enter there is priced against all N columns, and up to
    ``ADD_PER_LP`` of the most negative join its group's active set (and it goes on) until none prices out, in
    phase 1 (its infeasibility) as in phase 2. Columns join at the end, so the order Bland's rule follows is fixed.

    One iteration (the loop below): the duals of every running LP's basis; its entering column
    (:meth:`_WorkingSet.entering`); for an LP with none, column generation (:meth:`_ActiveColumns.price_all`), the
    end of phase 1
    (:meth:`_WorkingSet.end_phase_one`) or its optimum (:meth:`_Outcome.record`); for the others the ratio test and
    the basis change (:meth:`_WorkingSet.step`). The LPs still running form the working set (:class:`_WorkingSet`),
    compacted once a quarter of it has finished.
    """
    G, R, N = A.shape
    k, _, E = own_matrix.shape
    group = np.zeros(k, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    columns = _ActiveColumns(A, cost, np.ones((G, N), dtype=bool) if active is None else active, banned)
    ws = _WorkingSet(own_matrix, own_cost, own_lower, own_upper, row_lower, row_upper, group)
    ws.bans = columns.banned(ws.ids, ws.gid)
    outcome = _Outcome(k, E, N, R)
    max_iter = (settings.MAX_ITER_PER_ROW * R + ws.n_local) * (1 if columns.everything else 3)
    it = 0
    half_at = None             # the iteration by which half the LPs had finished
    for it in range(1, max_iter + 1):
        a = ws.ids.size
        if half_at is None and a * 2 <= k:
            half_at = it
        if a == 0 or (half_at is not None and it > settings.TAIL_FACTOR * half_at and a * settings.TAIL_SHARE <= k):
            break              # the last few LPs (degenerate, stalling) cost a whole iteration each: HiGHS's
        if it == 1 or it % settings.REFACTOR == 0:
            ws.refactor()
        y = np.einsum("aji,aj->ai", ws.inverse, ws.cb)
        best_local, best_ref, enters_local, gain, rc_local = ws.entering(y, columns, A, cost)
        done = (gain <= 0) & ws.ok & ws.live
        finished = ~ws.ok | ~ws.live
        waiting = np.zeros(a, dtype=bool)
        if not columns.everything and done.any():
            # nothing enters among the active columns: price these LPs against every column of their group, once
            # enough of them wait (or nothing else moves), so that each pass over all the columns serves many LPs
            check = np.flatnonzero(done)
            if check.size * settings.PRICE_SHARE < (ws.live & ws.ok).sum():
                waiting[check] = True
                done[check] = False
            elif (added := columns.price_all(y[check], ws.p1[check], ws.gid[check], ws.ids[check])).any():
                waiting[check[added]] = True            # they go on next iteration, over the larger active set
                done[check[added]] = False
                ws.bans = columns.banned(ws.ids, ws.gid)
        end1, end2 = np.flatnonzero(done & ws.p1), np.flatnonzero(done & ~ws.p1)
        if end1.size:
            finished[end1[ws.end_phase_one(end1, cost)]] = True
        if end2.size:
            outcome.record(ws, end2, y)
            finished[end2] = True
        go = np.flatnonzero(~done & ~finished & ~waiting)
        if go.size:
            finished[go[ws.step(go, best_local[go], best_ref[go], enters_local[go], rc_local, A, cost)]] = True
        ws.live &= ~finished
        if (~ws.live).sum() * 4 >= a:
            ws.compact()
            ws.bans = columns.banned(ws.ids, ws.gid)
    return outcome.solution(own_cost, cost, group, it)


class _WorkingSet:
    """The LPs still running, one row each (compacted as they finish): their *local* variables (different in every
    LP: its E own columns, R activity variables, R artificials) with values, bounds, current costs and which are basic
    or may move up / down; and their basis: per slot the local variable's index or the reference column's (-1 for
    the other), the basis matrix ``B`` and its inverse, the basic values ``xb``, bounds and costs. Only the local
    variables' values are stored: a nonbasic reference column is at 0.

    The initial basis: the own columns at a finite bound (0 if free); a row whose activity is then inside its bounds
    has its activity variable basic, any other an artificial (phase 1 minimises their sum)."""

    PER_LP = ("ids", "gid", "loc", "abs_loc", "lo", "up", "val", "cost2", "cost_l", "basic", "can_up", "can_down",
              "at_loc", "at_ref", "B", "inverse", "xb", "lb", "ub", "cb", "degenerate", "p1", "ok", "live", "size")

    def __init__(self, own_matrix, own_cost, own_lower, own_upper, row_lower, row_upper, group):
        k, R, E = own_matrix.shape
        rows = np.arange(R)
        self.E, self.R, self.n_local = E, R, E + 2 * R
        self.art = slice(E + R, E + 2 * R)
        loc = np.zeros((k, R, self.n_local))     # the local columns: E_i, -I (activities), +-I (artificials)
        loc[:, :, :E] = own_matrix
        loc[:, rows, E + rows] = -1.0
        lo = np.concatenate([own_lower, row_lower, np.zeros((k, R))], axis=1)
        up = np.concatenate([own_upper, row_upper, np.zeros((k, R))], axis=1)
        self.cost2 = np.concatenate([own_cost, np.zeros((k, 2 * R))], axis=1)   # phase-2 costs of the local variables
        self.cost1 = np.zeros(self.n_local)
        self.cost1[self.art] = 1.0                                              # phase 1: the artificials' sum
        val = np.zeros((k, self.n_local))
        val[:, :E] = np.where(np.isfinite(own_lower), own_lower, np.where(np.isfinite(own_upper), own_upper, 0.0))
        activity = np.einsum("kre,ke->kr", own_matrix, val[:, :E])
        inside = (activity >= row_lower) & (activity <= row_upper)
        nearest = np.where(activity < row_lower, row_lower, row_upper)
        val[:, E: E + R] = np.where(inside, activity, nearest)
        loc[:, rows, E + R + rows] = np.where(nearest >= activity, 1.0, -1.0)
        up[:, self.art] = np.where(inside, 0.0, np.inf)
        val[:, self.art] = np.where(inside, 0.0, np.abs(nearest - activity))
        self.loc, self.abs_loc, self.lo, self.up, self.val = loc, np.abs(loc), lo, up, val
        self.at_loc = np.where(inside, E + rows, E + R + rows)
        self.at_ref = np.full((k, R), -1)
        self.basic = np.zeros((k, self.n_local), dtype=bool)
        np.put_along_axis(self.basic, self.at_loc, True, axis=1)
        self.p1 = (~inside).any(axis=1)
        self.cost_l = np.where(self.p1[:, None], self.cost1, self.cost2)
        self.B = np.take_along_axis(loc, self.at_loc[:, None, :], axis=2)
        self.inverse = None
        self.xb = np.take_along_axis(val, self.at_loc, axis=1)
        self.lb, self.ub = np.take_along_axis(lo, self.at_loc, axis=1), np.take_along_axis(up, self.at_loc, axis=1)
        self.cb = np.take_along_axis(self.cost_l, self.at_loc, axis=1)
        self.can_up = ~self.basic & (lo < up) & (val < up)
        self.can_down = ~self.basic & (lo < up) & (val > lo)
        self.degenerate = np.zeros(k, dtype=np.int64)
        self.size = np.maximum(1.0, np.maximum(np.where(np.isfinite(row_lower), np.abs(row_lower), 0.0),
                                               np.where(np.isfinite(row_upper), np.abs(row_upper), 0.0)).sum(axis=1))
        self.ids, self.gid = np.arange(k), group.copy()
        self.live = np.ones(k, dtype=bool)
        self.ok = np.ones(k, dtype=bool)
        self.bans = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))

    def compact(self) -> None:
        keep = self.live
        for name in self.PER_LP:
            setattr(self, name, getattr(self, name)[keep])

    def refactor(self) -> None:
        """The basis inverse and the basic values from scratch (B x_B = -(the nonbasic local columns at their
        values); reference columns sit at 0). An LP whose basis is singular or values not finite stops (HiGHS's)."""
        E, R = self.E, self.R
        self.inverse = _inverse(self.B)
        nonbasic = np.where(self.basic, 0.0, self.val)
        rhs = np.einsum("are,ae->ar", self.loc[:, :, :E], nonbasic[:, :E]) - nonbasic[:, E: E + R]
        self.xb = -np.einsum("aij,aj->ai", self.inverse, rhs)
        self.ok = np.isfinite(self.inverse).all(axis=(1, 2)) & np.isfinite(self.xb).all(axis=1)

    def entering(self, y: np.ndarray, columns: "_ActiveColumns", A: np.ndarray, cost: np.ndarray):
        """Each LP's entering variable under duals ``y``: the most negative reduced cost among its group's active
        reference columns (at 0, they may only increase) and its local variables (either way within their bounds),
        Dantzig's rule; Bland's (the lowest variable number: own columns, reference columns, the rest) for an LP after
        ``BLAND_AFTER`` degenerate pivots. Returns (local index, reference column, whether the local one enters, the
        gain (0: nothing enters), the local reduced costs)."""
        a, ar, E, gid, p1 = self.ids.size, np.arange(self.ids.size), self.E, self.gid, self.p1
        has_cost = columns.has_cost
        abs_y = np.abs(y)
        cuts = np.searchsorted(gid, np.arange(A.shape[0] + 1)) if A.shape[0] > 1 else np.array([0, a])
        rc_ref = _reduced_costs(y, columns.A, columns.cost if has_cost else None, p1, cuts)
        if self.bans[0].size:
            rc_ref[self.bans] = np.inf
        best_pos = np.argmin(rc_ref, axis=1)
        rc_best = rc_ref[ar, best_pos]
        best_ref = columns.index[gid, best_pos]
        size_best = np.einsum("ar,ar->a", np.abs(A[gid, :, best_ref]), abs_y)
        if has_cost:
            size_best += np.where(p1, 0.0, np.abs(cost[gid, best_ref]))
        ref_gain = np.where(rc_best < -settings.DUAL_TOL * size_best, -rc_best, 0.0)
        rc_l = self.cost_l - np.einsum("arj,ar->aj", self.loc, y)
        tol_l = settings.DUAL_TOL * (np.abs(self.cost_l) + np.einsum("arj,ar->aj", self.abs_loc, abs_y))
        gain_l = np.where(self.can_up & (rc_l < -tol_l), -rc_l,
                          np.where(self.can_down & (rc_l > tol_l), rc_l, 0.0))
        bland = np.flatnonzero(self.degenerate >= settings.BLAND_AFTER)
        if bland.size:
            bg = gid[bland]
            idx = columns.index[bg]
            tol_ref = settings.DUAL_TOL * (np.einsum("bnr,br->bn", np.abs(A[bg[:, None], :, idx]), abs_y[bland])
                                  + np.where(p1[bland], 0.0, 1.0)[:, None] * np.abs(cost[bg[:, None], idx]))
            eligible = rc_ref[bland] < -tol_ref
            first = np.argmax(eligible, axis=1)
            has_ref = eligible[np.arange(bland.size), first]
            best_ref[bland] = idx[np.arange(bland.size), first]
            ref_gain[bland] = np.where(has_ref, 1.0, 0.0)
            first_l = np.argmax(gain_l[bland] > 0, axis=1)
            use_l = (gain_l[bland, first_l] > 0) & ((first_l < E) | ~has_ref)
            gain_l[bland] = 0.0
            gain_l[bland[use_l], first_l[use_l]] = 2.0
        best_l = np.argmax(gain_l, axis=1)
        gain_best_l = gain_l[ar, best_l]
        return best_l, best_ref, gain_best_l > ref_gain, np.maximum(gain_best_l, ref_gain), rc_l

    def end_phase_one(self, rows: np.ndarray, cost: np.ndarray) -> np.ndarray:
        """Phase 1 is over for ``rows``: on to phase 2 with the artificials fixed at 0. Returns which are infeasible
        (artificials still positive; left to HiGHS, which proves it)."""
        E, R, art = self.E, self.R, self.art
        is_art = self.at_loc[rows] >= E + R
        infeasible = np.where(is_art, self.xb[rows], 0.0).sum(axis=1) > settings.PHASE1_TOL * self.size[rows]
        self.p1[rows] = False
        self.up[rows, art] = 0.0
        self.can_up[rows, art] = self.can_down[rows, art] = False
        self.ub[rows] = np.where(is_art, 0.0, self.ub[rows])
        self.cost_l[rows] = self.cost2[rows]
        self.cb[rows] = np.where(self.at_ref[rows] >= 0, cost[self.gid[rows][:, None], self.at_ref[rows]],
                                 np.take_along_axis(self.cost2[rows], self.at_loc[rows].clip(0), axis=1))
        return infeasible

    def step(self, go, best_l, best_ref, enters_local, rc_l, A, cost) -> np.ndarray:
        """One simplex step for the LPs ``go``: Harris's two-pass ratio test along the entering column, then a bound
        flip of the entering variable or a basis change (:meth:`pivot`). Returns which have an unbounded ray (left to
        HiGHS, which proves it)."""
        bl, br, el = best_l, best_ref, enters_local
        sigma = np.where(el & (rc_l[go, bl] > 0), -1.0, 1.0)
        column = np.where(el[:, None], self.loc[go, :, bl], A[self.gid[go], :, br])
        w = np.einsum("gij,gj->gi", self.inverse[go], column)
        delta = -sigma[:, None] * w                          # change of each basic variable per unit step
        xg, lg, ug = self.xb[go], self.lb[go], self.ub[go]
        big = np.abs(delta).max(axis=1, keepdims=True)
        falling = delta < -settings.PIVOT_TOL * big
        rising = delta > settings.PIVOT_TOL * big
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            loose = np.where(falling, (xg - lg + settings.PRIMAL_TOL * np.maximum(1.0, np.abs(lg))) / -delta,
                             np.where(rising, (ug + settings.PRIMAL_TOL * np.maximum(1.0, np.abs(ug)) - xg) / delta, np.inf))
            exact = np.where(falling, (xg - lg) / -delta, np.where(rising, (ug - xg) / delta, np.inf))
        t_max = loose.min(axis=1)
        near = (exact <= t_max[:, None]) & (falling | rising)
        leave = np.argmax(np.where(near, np.abs(delta), -1.0), axis=1)
        ag = np.arange(go.size)
        step = np.maximum(np.where(near[ag, leave], exact[ag, leave], np.inf), 0.0)
        span = np.where(el, self.up[go, bl] - self.lo[go, bl], np.inf)
        flip = span <= np.minimum(step, t_max)
        step = np.where(flip, span, step)
        unbounded = ~np.isfinite(step)
        step = np.where(unbounded, 0.0, step)
        self.degenerate[go] = np.where(step <= 1e-14, self.degenerate[go] + 1, 0)
        self.xb[go] = xg + step[:, None] * delta
        fl = np.flatnonzero(flip & ~unbounded)            # a flip: the entering variable to its other bound
        if fl.size:
            gf, lf = go[fl], bl[fl]
            self.val[gf, lf] = np.where(sigma[fl] > 0, self.up[gf, lf], self.lo[gf, lf])   # exactly on the bound
            self.can_up[gf, lf] = self.val[gf, lf] < self.up[gf, lf]
            self.can_down[gf, lf] = self.val[gf, lf] > self.lo[gf, lf]
        piv = np.flatnonzero(~flip & ~unbounded)
        if piv.size:
            self.pivot(go[piv], leave[piv], bl[piv], br[piv], el[piv], sigma[piv] * step[piv], delta[piv], w[piv],
                       column[piv], cost)
        return unbounded

    def pivot(self, rows, r, entering_local, entering_ref, enters_local, move, delta, w, column, cost) -> None:
        """Basis change in the LPs ``rows``: the variable in slot ``r`` leaves at the bound it reached (a reference
        column at 0), the entering one (local ``entering_local`` where ``enters_local``, else reference column
        ``entering_ref``), moved by ``move``, takes the slot; the inverse is updated in product form."""
        lo, up, val = self.lo, self.up, self.val
        out = self.at_loc[rows, r]
        lv = np.flatnonzero(out >= 0)
        gl, ol = rows[lv], out[lv]
        val[gl, ol] = np.where(delta[lv, r[lv]] < 0, lo[gl, ol], up[gl, ol])
        self.basic[gl, ol] = False
        self.can_up[gl, ol] = (lo[gl, ol] < up[gl, ol]) & (val[gl, ol] < up[gl, ol])
        self.can_down[gl, ol] = (lo[gl, ol] < up[gl, ol]) & (val[gl, ol] > lo[gl, ol])
        el, ql, qr = enters_local, entering_local, entering_ref
        self.xb[rows, r] = np.where(el, val[rows, ql], 0.0) + move
        self.at_loc[rows, r] = np.where(el, ql, -1)
        self.at_ref[rows, r] = np.where(el, -1, qr)
        self.lb[rows, r] = np.where(el, lo[rows, ql], 0.0)
        self.ub[rows, r] = np.where(el, up[rows, ql], np.inf)
        self.cb[rows, r] = np.where(el, self.cost_l[rows, ql], np.where(self.p1[rows], 0.0, cost[self.gid[rows], qr]))
        le = np.flatnonzero(el)
        self.basic[rows[le], ql[le]] = True
        self.can_up[rows[le], ql[le]] = self.can_down[rows[le], ql[le]] = False
        self.B[rows, :, r] = column
        n = np.arange(rows.size)
        pivot_row = self.inverse[rows, r, :] / w[n, r][:, None]
        eta = w.copy()
        eta[n, r] -= 1.0
        self.inverse[rows] -= eta[:, :, None] * pivot_row[:, None, :]


class _Outcome:
    """The answers of the batch's k LPs, filled as they reach their optimum."""

    def __init__(self, k: int, E: int, N: int, R: int):
        self.solved = np.zeros(k, dtype=bool)
        self.own, self.lam, self.duals = np.zeros((k, E)), np.zeros((k, N)), np.full((k, R), np.nan)

    def record(self, ws: _WorkingSet, rows: np.ndarray, y: np.ndarray) -> None:
        """The optimal basic solutions and duals of the working set's LPs ``rows``."""
        o = ws.ids[rows]
        self.solved[o] = True
        values = ws.val[rows]
        slot_local = ws.at_loc[rows] >= 0
        i, s = np.nonzero(slot_local)
        values[i, ws.at_loc[rows][i, s]] = ws.xb[rows][i, s]
        self.own[o] = values[:, : ws.E]
        i, s = np.nonzero(~slot_local)
        self.lam[o[i], ws.at_ref[rows][i, s]] = np.maximum(ws.xb[rows][i, s], 0.0)
        self.duals[o] = y[rows]

    def solution(self, own_cost, cost, group, iterations) -> DenseSolution:
        objective = np.einsum("ke,ke->k", own_cost, self.own) + np.einsum("kn,kn->k", self.lam, cost[group])
        return DenseSolution(self.solved, self.own, self.lam, self.duals, np.where(self.solved, objective, np.nan),
                             iterations)


class _ActiveColumns:
    """The active columns of each group, the one record of them: ``is_active`` (G x N) and, side by side in the order
    they joined (G x R x M, padded with zero columns of cost 0, which never enter), ``A``, ``cost``, ``index`` (the
    column number in the group's full set; 0 for padding, which is never chosen) and ``valid`` (not padding)."""

    def __init__(self, A: np.ndarray, cost: np.ndarray, active: np.ndarray, banned: np.ndarray | None):
        self.A_full, self.cost_full, self._banned = A, cost, banned
        self.has_cost = bool(cost.any())
        self.is_active = active.copy()
        self.members = [np.flatnonzero(row) for row in active]
        self._arrange()

    def _arrange(self) -> None:
        G, R, N = self.A_full.shape
        M = max(m.size for m in self.members)
        self.A, self.cost = np.zeros((G, R, M)), np.zeros((G, M))
        self.index, self.valid = np.zeros((G, M), dtype=np.int64), np.zeros((G, M), dtype=bool)
        for g, m in enumerate(self.members):
            self.A[g, :, : m.size], self.cost[g, : m.size] = self.A_full[g][:, m], self.cost_full[g, m]
            self.index[g, : m.size], self.valid[g, : m.size] = m, True
        self.everything = bool(self.is_active.all())
        self.full = self.everything and all(np.array_equal(m, np.arange(N)) for m in self.members)

    def banned(self, ids: np.ndarray, gid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (working-set row, active position) pairs of banned columns of the LPs ``ids``."""
        if self._banned is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if self.full:
            return np.nonzero(self._banned[ids])
        mask = self._banned[ids[:, None], self.index[gid]] & self.valid[gid]
        return np.nonzero(mask)

    def price_all(self, y: np.ndarray, p1: np.ndarray, gid: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Price LPs (duals ``y``, groups ``gid``, batch rows ``ids``) against every column of their group; up to
        ``ADD_PER_LP`` of each one's most negative reduced costs join the group's active columns (at the end). Returns
        which LPs had a column to add."""
        A, cost = self.A_full, self.cost_full
        cuts = np.searchsorted(gid, np.arange(A.shape[0] + 1))
        rc = _reduced_costs(y, A, cost if self.has_cost else None, p1, cuts)
        size = -_reduced_costs(np.abs(y), np.abs(A), None, p1, cuts)          # |a_j|'|y|
        if self.has_cost:
            size += np.where(p1, 0.0, 1.0)[:, None] * np.abs(cost[gid])
        if self._banned is not None:
            rc[self._banned[ids]] = np.inf
        rc[self.is_active[gid]] = np.inf
        violated = rc < -settings.DUAL_TOL * size
        added = violated.any(axis=1)
        for g in np.unique(gid[added]):
            rows = np.flatnonzero(added & (gid == g))
            part = rc[rows]
            take = min(settings.ADD_PER_LP, part.shape[1])
            best = np.argpartition(part, take - 1, axis=1)[:, :take]
            new = np.unique(best[np.take_along_axis(violated[rows], best, axis=1)])
            self.is_active[g, new] = True
            self.members[g] = np.concatenate([self.members[g], new])
        if added.any():
            self._arrange()
        return added


def _reduced_costs(y: np.ndarray, A: np.ndarray, cost: np.ndarray | None, p1: np.ndarray, cuts) -> np.ndarray:
    """``c_j - a_j' y`` of each LP's group's columns (phase-1 LPs: costs 0), one product per group (rows ``cuts``)."""
    out = np.empty((y.shape[0], A.shape[2]))
    for g in range(A.shape[0]):
        if cuts[g + 1] > cuts[g]:
            np.matmul(y[cuts[g]: cuts[g + 1]], A[g], out=out[cuts[g]: cuts[g + 1]])
    np.negative(out, out=out)
    if cost is not None:
        out += np.where(p1, 0.0, 1.0)[:, None] * cost[np.repeat(np.arange(A.shape[0]), np.diff(cuts))]
    return out


def _inverse(B: np.ndarray) -> np.ndarray:
    """Inverses of the bases; NaN for a singular one (its LP is left to HiGHS)."""
    try:
        return np.linalg.inv(B)
    except np.linalg.LinAlgError:
        out = np.full_like(B, np.nan)
        for i in range(B.shape[0]):
            try:
                out[i] = np.linalg.inv(B[i])
            except np.linalg.LinAlgError:
                pass
        return out


def solve_dense(stage: Stage, parts: list[tuple]) -> None:
    """Solve the stage's LPs of every DMU of every part ``(ref_data, plan, own, answers)`` (one reference set each) in
    one batch of the dense simplex (:func:`solve_batch`), over each reference set's pricing candidates (exact:
    the other columns are dominated), and certify the solutions exactly as HiGHS's
    (:func:`~frontier.engine.certify.certified`). The certified ones are written into each part's
    :class:`StageAnswers`; the others stay ``"not_solved"`` (for HiGHS)."""
    columns = []
    for ref_data, plan, _, _ in parts:
        pos = np.concatenate(plan.pricing).astype(np.int64)
        blk = np.repeat(np.arange(len(stage.blocks)), [p.size for p in plan.pricing])
        cost = np.concatenate([b.costs(ref_data)[p] for b, p in zip(stage.blocks, plan.pricing)])
        columns.append((pos, blk, column_matrix(stage, ref_data, pos, blk), cost))
    N = max(pos.size for pos, _, _, _ in columns)
    A = np.zeros((len(parts), stage.n_rows, N))           # every reference set padded to N columns (zero, cost 0)
    cost = np.zeros((len(parts), N))
    for g, (pos, _, A_g, cost_g) in enumerate(columns):
        A[g, :, : pos.size], cost[g, : pos.size] = A_g, cost_g
    active = None
    if N > settings.DENSE_ALL_COLUMNS:      # column generation over an active set that starts from the plan's seed columns
        active = np.zeros((len(parts), N), dtype=bool)
        for g, ((_, plan, _, _), (pos, blk, _, _)) in enumerate(zip(parts, columns)):
            for b, seed in enumerate(plan.seeds):
                active[g, : pos.size] |= (blk == b) & np.isin(pos, seed)
    patches = [answers.patch for _, _, _, answers in parts]
    sizes = [len(p.row_lower) for p in patches]
    joined = JoinedPatch(patches)
    banned = None
    if stage.exclude_self:
        banned = np.zeros((sum(sizes), N), dtype=bool)
        first = 0
        for (_, _, own, _), (pos, _, _, _), size in zip(parts, columns, sizes):
            banned[first: first + size, : pos.size] = (pos[None, :] == own[:, None]) & (own[:, None] >= 0)
            first += size
    lps = (A, cost, joined.extra_matrix, joined.extra_cost, joined.extra_lower, joined.extra_upper, joined.row_lower,
           joined.row_upper)
    group = np.repeat(np.arange(len(parts)), sizes)
    if all(plan.kernel for _, plan, _, _ in parts) and dense_kernel.available(stage.n_rows):
        solved, own_columns, intensities, duals, objective, _ = dense_kernel.solve_packed(*lps, group=group,
                                                                                         banned=banned)
        # as on the restricted path's kernel: LPs whose data span more than KERNEL_MAX_RANGE, and those held to an
        # exact answer's rounding (a max-slack stage after the robust path), are HiGHS's
        reference_hi, reference_lo = magnitudes(A, (1, 2))         # per reference set (its padding is zero)
        solved &= in_range((reference_hi[group], reference_lo[group]), joined)
        solved &= ~held_exact(joined.primal_tol)
    else:
        out = solve_batch(*lps, group=group, banned=banned, active=active)
        solved, own_columns, duals, objective = out.solved, out.own, out.duals, out.objective
        intensities = nonzero_intensities(out.lam)
    _record(stage, parts, columns, sizes, group, joined, (solved, own_columns, intensities, duals, objective))


def nonzero_intensities(lam: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The intensities a dense batch's answer keeps, from the dense k x N ``lam``: per LP those above
    ``INTENSITY_CUT`` times its largest (at least 1), in column order, as ``(count, col, value)`` (k, k x S, k x S;
    S the largest count), the form the compiled loop gives them in (:func:`~frontier.engine.dense_kernel.
    solve_packed`)."""
    keep = lam > settings.INTENSITY_CUT * np.maximum(1.0, lam.max(axis=1, initial=0.0))[:, None]
    count = keep.sum(axis=1)
    at, col = np.nonzero(keep)
    slot = np.arange(at.size) - np.repeat(np.cumsum(count) - count, count)
    shape = (lam.shape[0], count.max(initial=0))
    cols, values = np.zeros(shape, dtype=np.int64), np.zeros(shape)
    cols[at, slot], values[at, slot] = col, lam[at, col]
    return count, cols, values


def _record(stage: Stage, parts: list[tuple], columns: list[tuple], sizes: list[int], group: np.ndarray,
            joined: JoinedPatch, answer: tuple) -> None:
    """Certify the batch's solved LPs and write the certified ones into their parts' :class:`StageAnswers` (status,
    objective, row duals and, for all of a part at once, the solutions as ``bulk``). ``answer``: the batch's
    ``(solved, own, intensities, duals, objective)`` (:func:`nonzero_intensities`). One certificate for the whole
    batch (:func:`certified_packed`: the reference sets one after another, the tests of ``certified``). The
    solutions are the clipped ones (as :meth:`Columns.clipped`)."""
    solved, own_columns, (count, col_of, lam_of), duals, objective = answer
    firsts = np.cumsum([0] + sizes)
    done = np.flatnonzero(solved)
    part_of = group[done]
    cuts = np.searchsorted(part_of, np.arange(len(parts) + 1))          # each part's LPs in done
    own_values = np.clip(own_columns[done], joined.extra_lower[done], joined.extra_upper[done])
    at, slot = np.nonzero(np.arange(col_of.shape[1]) < count[done][:, None])
    col, lam_at = col_of[done[at], slot], lam_of[done[at], slot]
    at_part = part_of[at]
    N = max(pos.size for pos, _, _, _ in columns)
    pos_of = np.zeros((len(parts), N), dtype=np.int64)               # each part's column -> reference position, block
    blk_of = np.zeros((len(parts), N), dtype=np.int64)
    for g, (pos, blk, _, _) in enumerate(columns):
        pos_of[g, : pos.size], blk_of[g, : pos.size] = pos, blk
    pos_at, blk_at = pos_of[at_part, col], blk_of[at_part, col]
    objective, duals = objective[done], duals[done]
    local = done - firsts[part_of]                                   # each LP's row in its part
    offsets = np.cumsum([0] + [ref_data.shape[0] for ref_data, _, _, _ in parts])
    own_all = np.concatenate([own for _, _, own, _ in parts])[done]
    own_all = np.where(own_all >= 0, own_all + offsets[part_of], -1)
    groups = [(cuts[g], cuts[g + 1], [(p + offsets[g], data) for p, data in plan.candidates(ref_data)])
              for g, (ref_data, plan, _, _) in enumerate(parts)]
    stacked = Stacked(own_values, at, pos_at + offsets[at_part], blk_at, lam_at)
    ok = certified_packed(stage, np.concatenate([ref_data for ref_data, _, _, _ in parts]), joined, done,
                          own_all, objective, stacked, duals, groups)
    # the certified LPs' solutions, renumbered among them, part by part
    rank = np.cumsum(ok) - 1
    keep = ok[at]
    at, pos_at, blk_at, lam_at = at[keep], pos_at[keep], blk_at[keep], lam_at[keep]
    ok_cuts = np.concatenate([[0], np.cumsum(ok)])[cuts]                # each part's certified LPs, counted
    entry_cuts = np.searchsorted(rank[at], ok_cuts)
    good = np.flatnonzero(ok)
    for g, (_, _, _, answers) in enumerate(parts):
        lps, entries = good[ok_cuts[g]: ok_cuts[g + 1]], slice(entry_cuts[g], entry_cuts[g + 1])
        if not lps.size:
            continue
        rows = local[lps]
        answers.status[rows] = "optimal"
        answers.objective[rows] = objective[lps]
        answers.row_duals[rows] = duals[lps]
        answers.add_bulk(rows, Stacked(own_values[lps], rank[at[entries]] - ok_cuts[g], pos_at[entries],
                                       blk_at[entries], lam_at[entries]))
