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

DUAL_TOL = 1e-11       # a reduced cost below -DUAL_TOL x (|c_j| + |a_j|'|y|) enters
PRIMAL_TOL = 1e-9      # Harris's bound relaxation, times max(1, |bound|)
PIVOT_TOL = 1e-9       # smallest pivot, relative to the largest entry of the direction
PHASE1_TOL = 1e-9      # artificials summing to more than this (times max(1, |row bounds|)) after phase 1: infeasible
REFACTOR = 16          # iterations between recomputations of the basis inverse and the basic values
BLAND_AFTER = 30       # degenerate pivots in a row before an LP switches to Bland's rule
MAX_ITER_PER_ROW = 40  # iteration limit: this many per row, plus the number of local variables
TAIL_FACTOR = 3        # the batch stops once it has run this many times as long as half its LPs took, if at most
TAIL_SHARE = 20        # ... 1 / TAIL_SHARE of them remain (the engine gives those to HiGHS)
ADD_PER_LP = 8         # column generation: columns an LP adds to its group's active set per pricing pass
PRICE_SHARE = 8        # ... and a pass waits until 1 / PRICE_SHARE of the running LPs have nothing to enter


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

    Each LP has *local* variables, different in every LP (its E own columns, R activity variables, R artificials),
    and its group's N reference columns. Only the local variables' values are stored (a nonbasic reference column is
    at 0); the basic values, the basis inverse and the basic costs are updated at each pivot. The LPs still running
    form a working set, compacted once a quarter of it has finished.
    """
    G, R, N = A.shape
    k, _, E = own_matrix.shape
    group = np.zeros(k, dtype=np.int64) if group is None else np.asarray(group, dtype=np.int64)
    rows = np.arange(R)
    nl = E + 2 * R                               # local variables: own columns, activities, artificials
    art = slice(E + R, nl)
    AT = np.ascontiguousarray(A.transpose(0, 2, 1))            # G x N x R: column j of group g is AT[g, j]
    abs_AT, abs_cost = np.abs(AT), np.abs(cost)
    has_cost = bool(cost.any())

    loc = np.zeros((k, R, nl))                   # the local columns: E_i, -I (activities), +-I (artificials)
    loc[:, :, :E] = own_matrix
    loc[:, rows, E + rows] = -1.0
    lo = np.concatenate([own_lower, row_lower, np.zeros((k, R))], axis=1)
    up = np.concatenate([own_upper, row_upper, np.zeros((k, R))], axis=1)
    cost2 = np.concatenate([own_cost, np.zeros((k, 2 * R))], axis=1)      # phase-2 costs of the local variables
    cost1 = np.zeros(nl)
    cost1[art] = 1.0                                                      # phase 1: the sum of the artificials
    val = np.zeros((k, nl))
    val[:, :E] = np.where(np.isfinite(own_lower), own_lower, np.where(np.isfinite(own_upper), own_upper, 0.0))
    activity = np.einsum("kre,ke->kr", own_matrix, val[:, :E])
    inside = (activity >= row_lower) & (activity <= row_upper)
    nearest = np.where(activity < row_lower, row_lower, row_upper)
    val[:, E: E + R] = np.where(inside, activity, nearest)
    loc[:, rows, E + R + rows] = np.where(nearest >= activity, 1.0, -1.0)
    up[:, art] = np.where(inside, 0.0, np.inf)
    val[:, art] = np.where(inside, 0.0, np.abs(nearest - activity))
    abs_loc = np.abs(loc)
    # the basis, per slot: the local variable's index (or -1) and the reference column's index (or -1)
    at_loc = np.where(inside, E + rows, E + R + rows)
    at_ref = np.full((k, R), -1)
    basic = np.zeros((k, nl), dtype=bool)
    np.put_along_axis(basic, at_loc, True, axis=1)
    p1 = (~inside).any(axis=1)
    cost_l = np.where(p1[:, None], cost1, cost2)
    B = np.take_along_axis(loc, at_loc[:, None, :], axis=2)
    xb = np.take_along_axis(val, at_loc, axis=1)
    lb, ub = np.take_along_axis(lo, at_loc, axis=1), np.take_along_axis(up, at_loc, axis=1)
    cb = np.take_along_axis(cost_l, at_loc, axis=1)
    can_up = ~basic & (lo < up) & (val < up)
    can_down = ~basic & (lo < up) & (val > lo)
    degenerate = np.zeros(k, dtype=np.int64)
    size = np.maximum(1.0, np.maximum(np.where(np.isfinite(row_lower), np.abs(row_lower), 0.0),
                                      np.where(np.isfinite(row_upper), np.abs(row_upper), 0.0)).sum(axis=1))
    ids, gid = np.arange(k), group.copy()
    live = np.ones(k, dtype=bool)
    everything = active is None or active.all()
    members = [np.arange(N) if active is None else np.flatnonzero(active[g]) for g in range(G)]
    is_active = np.ones((G, N), dtype=bool) if active is None else active.copy()
    columns = _ActiveColumns(A, cost, members, banned)
    ban_r, ban_c = columns.banned(ids, gid)

    solved = np.zeros(k, dtype=bool)
    own_out, lam_out, duals_out = np.zeros((k, E)), np.zeros((k, N)), np.full((k, R), np.nan)
    inverse, ok = None, None
    max_iter = (MAX_ITER_PER_ROW * R + nl) * (1 if everything else 3)
    it = 0
    half_at = None             # the iteration by which half the LPs had finished
    for it in range(1, max_iter + 1):
        a = ids.size
        if half_at is None and a * 2 <= k:
            half_at = it
        if a == 0 or (half_at is not None and it > TAIL_FACTOR * half_at and a * TAIL_SHARE <= k):
            break              # the last few LPs (degenerate, stalling) cost a whole iteration each: HiGHS's
        ar = np.arange(a)
        if inverse is None or it % REFACTOR == 0:
            inverse = _inverse(B)
            nonbasic = np.where(basic, 0.0, val)
            rhs = np.einsum("are,ae->ar", loc[:, :, :E], nonbasic[:, :E]) - nonbasic[:, E: E + R]
            xb = -np.einsum("aij,aj->ai", inverse, rhs)
            ok = np.isfinite(inverse).all(axis=(1, 2)) & np.isfinite(xb).all(axis=1)
        y = np.einsum("aji,aj->ai", inverse, cb)
        abs_y = np.abs(y)
        # pricing: the reference columns (at 0, may only increase), one product per group, and the local columns
        cuts = np.searchsorted(gid, np.arange(G + 1)) if G > 1 else np.array([0, a])
        rc_ref = _reduced_costs(y, columns.A, columns.cost if has_cost else None, p1, cuts)
        if ban_r.size:
            rc_ref[ban_r, ban_c] = np.inf
        best_pos = np.argmin(rc_ref, axis=1)
        rc_best = rc_ref[ar, best_pos]
        best_ref = columns.index[gid, best_pos]
        size_best = np.einsum("ar,ar->a", abs_AT[gid, best_ref], abs_y)
        if has_cost:
            size_best += np.where(p1, 0.0, abs_cost[gid, best_ref])
        ref_gain = np.where(rc_best < -DUAL_TOL * size_best, -rc_best, 0.0)
        rc_l = cost_l - np.einsum("arj,ar->aj", loc, y)
        tol_l = DUAL_TOL * (np.abs(cost_l) + np.einsum("arj,ar->aj", abs_loc, abs_y))
        gain_l = np.where(can_up & (rc_l < -tol_l), -rc_l, np.where(can_down & (rc_l > tol_l), rc_l, 0.0))
        bland = np.flatnonzero(degenerate >= BLAND_AFTER)
        if bland.size:        # Bland's rule: the lowest variable number (own columns, reference columns, the rest)
            bg = gid[bland]
            tol_ref = DUAL_TOL * (np.einsum("bnr,br->bn", abs_AT[bg], abs_y[bland])
                                  + np.where(p1[bland], 0.0, 1.0)[:, None] * abs_cost[bg])
            eligible = rc_ref[bland] < -tol_ref[np.arange(bland.size)[:, None], columns.index[bg]]
            first = np.argmax(eligible, axis=1)
            has_ref = eligible[np.arange(bland.size), first]
            best_ref[bland] = columns.index[bg, first]
            ref_gain[bland] = np.where(has_ref, 1.0, 0.0)
            first_l = np.argmax(gain_l[bland] > 0, axis=1)
            use_l = (gain_l[bland, first_l] > 0) & ((first_l < E) | ~has_ref)
            gain_l[bland] = 0.0
            gain_l[bland[use_l], first_l[use_l]] = 2.0
        best_l = np.argmax(gain_l, axis=1)
        gain_best_l = gain_l[ar, best_l]
        enter_l = gain_best_l > ref_gain
        done = (np.maximum(gain_best_l, ref_gain) <= 0) & ok & live
        finished = ~ok | ~live
        waiting = np.zeros(a, dtype=bool)
        if not everything and done.any():
            # nothing enters among the active columns: price these LPs against every column of their group, once
            # enough of them wait (or nothing else moves), so that each pass over all the columns serves many LPs
            check = np.flatnonzero(done)
            if check.size * PRICE_SHARE < (live & ok).sum():
                waiting[check] = True
                done[check] = False
            elif (added := _price_all(A, cost, has_cost, banned, y[check], p1[check], gid[check], ids[check],
                                      is_active, members)).any():
                waiting[check[added]] = True            # they go on next iteration, over the larger active set
                done[check[added]] = False
                columns = _ActiveColumns(A, cost, members, banned)
                ban_r, ban_c = columns.banned(ids, gid)
                everything = all(m.size == N for m in members)
        end1, end2 = np.flatnonzero(done & p1), np.flatnonzero(done & ~p1)

        # phase 1 over: infeasible (left to HiGHS), or on to phase 2 with the artificials fixed at 0
        if end1.size:
            is_art = at_loc[end1] >= E + R
            infeasible = np.where(is_art, xb[end1], 0.0).sum(axis=1) > PHASE1_TOL * size[ids[end1]]
            finished[end1[infeasible]] = True
            p1[end1] = False
            up[end1, art] = 0.0
            can_up[end1, art] = can_down[end1, art] = False
            ub[end1] = np.where(is_art, 0.0, ub[end1])
            cost_l[end1] = cost2[end1]
            cb[end1] = np.where(at_ref[end1] >= 0, cost[gid[end1][:, None], at_ref[end1]],
                                np.take_along_axis(cost2[end1], at_loc[end1].clip(0), axis=1))
        # phase 2 over: optimal
        if end2.size:
            o = ids[end2]
            solved[o] = True
            values = val[end2]
            slot_l = at_loc[end2] >= 0
            i2, s2 = np.nonzero(slot_l)
            values[i2, at_loc[end2][i2, s2]] = xb[end2][i2, s2]
            own_out[o] = values[:, :E]
            i3, s3 = np.nonzero(~slot_l)
            lam_out[o[i3], at_ref[end2][i3, s3]] = np.maximum(xb[end2][i3, s3], 0.0)
            duals_out[o] = y[end2]
            finished[end2] = True

        # the others pivot: ratio test (Harris) along the entering column, or the entering variable flips bounds
        go = np.flatnonzero(~done & ~finished & ~waiting)
        if go.size:
            bl, br, el = best_l[go], best_ref[go], enter_l[go]
            sigma = np.where(el & (rc_l[go, bl] > 0), -1.0, 1.0)
            column = np.where(el[:, None], loc[go, :, bl], AT[gid[go], br])
            w = np.einsum("gij,gj->gi", inverse[go], column)
            delta = -sigma[:, None] * w                          # change of each basic variable per unit step
            xg, lg, ug = xb[go], lb[go], ub[go]
            big = np.abs(delta).max(axis=1, keepdims=True)
            falling = delta < -PIVOT_TOL * big
            rising = delta > PIVOT_TOL * big
            with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
                loose = np.where(falling, (xg - lg + PRIMAL_TOL * np.maximum(1.0, np.abs(lg))) / -delta,
                                 np.where(rising, (ug + PRIMAL_TOL * np.maximum(1.0, np.abs(ug)) - xg) / delta,
                                          np.inf))
                exact = np.where(falling, (xg - lg) / -delta, np.where(rising, (ug - xg) / delta, np.inf))
            t_max = loose.min(axis=1)
            near = (exact <= t_max[:, None]) & (falling | rising)
            leave = np.argmax(np.where(near, np.abs(delta), -1.0), axis=1)
            ag = np.arange(go.size)
            step = np.maximum(np.where(near[ag, leave], exact[ag, leave], np.inf), 0.0)
            span = np.where(el, up[go, bl] - lo[go, bl], np.inf)
            flip = span <= np.minimum(step, t_max)
            step = np.where(flip, span, step)
            unbounded = ~np.isfinite(step)
            finished[go[unbounded]] = True                      # left to HiGHS, which proves it
            step = np.where(unbounded, 0.0, step)
            degenerate[go] = np.where(step <= 1e-14, degenerate[go] + 1, 0)
            xb[go] = xg + step[:, None] * delta
            fl = np.flatnonzero(flip & ~unbounded)            # a flip: the entering variable to its other bound
            if fl.size:
                gf, lf = go[fl], bl[fl]
                val[gf, lf] = np.where(sigma[fl] > 0, up[gf, lf], lo[gf, lf])      # exactly at the other bound
                can_up[gf, lf] = val[gf, lf] < up[gf, lf]
                can_down[gf, lf] = val[gf, lf] > lo[gf, lf]
            piv = np.flatnonzero(~flip & ~unbounded)
            if piv.size:
                _pivot(go[piv], leave[piv], bl[piv], br[piv], el[piv], sigma[piv] * step[piv], delta[piv], w[piv],
                       column[piv], gid, cost, p1, val, lo, up, basic, can_up, can_down, cost_l, at_loc, at_ref, xb,
                       lb, ub, cb, B, inverse)
        # finished LPs take no further part; the working set is compacted once a quarter of it has finished
        live &= ~finished
        if (~live).sum() * 4 >= a:
            ids = ids[live]
            (loc, abs_loc, lo, up, val, cost2, cost_l, basic, can_up, can_down, at_loc, at_ref, B, inverse, xb, lb,
             ub, cb, degenerate, p1, ok, gid, live) = (
                v[live] for v in (loc, abs_loc, lo, up, val, cost2, cost_l, basic, can_up, can_down, at_loc, at_ref,
                                  B, inverse, xb, lb, ub, cb, degenerate, p1, ok, gid, live))
            ban_r, ban_c = columns.banned(ids, gid)
    objective = np.einsum("ke,ke->k", own_cost, own_out) + np.einsum("kn,kn->k", lam_out, cost[group])
    return DenseSolution(solved, own_out, lam_out, duals_out, np.where(solved, objective, np.nan), it)


class _ActiveColumns:
    """Each group's active columns side by side (G x R x M, padded with zero columns of cost 0, which never enter):
    ``A``, ``cost`` and ``index`` (the column number in the group's full set; 0 for padding, which is never chosen)."""

    def __init__(self, A: np.ndarray, cost: np.ndarray, members: list, banned: np.ndarray | None):
        G, R, _ = A.shape
        M = max(m.size for m in members)
        self.A = np.zeros((G, R, M))
        self.cost = np.zeros((G, M))
        self.index = np.zeros((G, M), dtype=np.int64)
        self.valid = np.zeros((G, M), dtype=bool)
        for g, m in enumerate(members):
            self.A[g, :, : m.size], self.cost[g, : m.size] = A[g][:, m], cost[g, m]
            self.index[g, : m.size], self.valid[g, : m.size] = m, True
        self.full = all(m.size == A.shape[2] for m in members) and all(np.array_equal(m, np.arange(m.size))
                                                                       for m in members)
        self._banned = banned

    def banned(self, ids: np.ndarray, gid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The (working-set row, active position) pairs of banned columns of the LPs ``ids``."""
        if self._banned is None:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        if self.full:
            return np.nonzero(self._banned[ids])
        mask = self._banned[ids[:, None], self.index[gid]] & self.valid[gid]
        return np.nonzero(mask)


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


def _price_all(A, cost, has_cost, banned, y, p1, gid, ids, is_active, members) -> np.ndarray:
    """Price LPs (duals ``y``, groups ``gid``, batch rows ``ids``) against every column of their group; up to
    ``ADD_PER_LP`` of each one's most negative reduced costs join the group's active set (``is_active``,
    ``members``). Returns which LPs had a column to add."""
    G = A.shape[0]
    cuts = np.searchsorted(gid, np.arange(G + 1))
    rc = _reduced_costs(y, A, cost if has_cost else None, p1, cuts)
    size = -_reduced_costs(np.abs(y), np.abs(A), None, p1, cuts)          # |a_j|'|y|
    if has_cost:
        size += np.where(p1, 0.0, 1.0)[:, None] * np.abs(cost[gid])
    if banned is not None:
        rc[banned[ids]] = np.inf
    rc[is_active[gid]] = np.inf
    violated = rc < -DUAL_TOL * size
    added = violated.any(axis=1)
    for g in np.unique(gid[added]):
        rows = np.flatnonzero(added & (gid == g))
        part = rc[rows]
        take = min(ADD_PER_LP, part.shape[1])
        best = np.argpartition(part, take - 1, axis=1)[:, :take]
        best = best[np.take_along_axis(violated[rows], best, axis=1)]
        new = np.unique(best)
        new = new[~is_active[g, new]]
        is_active[g, new] = True
        members[g] = np.concatenate([members[g], new])
    return added


def _pivot(rows, r, entering_local, entering_ref, enters_local, move, delta, w, column, gid, cost, p1, val, lo, up,
           basic, can_up, can_down, cost_l, at_loc, at_ref, xb, lb, ub, cb, B, inverse) -> None:
    """Basis change in the LPs ``rows`` (working-set positions): the variable in slot ``r`` leaves at the bound it
    reached (a reference column at 0), the entering one (local ``entering_local`` where ``enters_local``, else
    reference column ``entering_ref``), moved by ``move``, takes the slot; the inverse is updated in product form."""
    out = at_loc[rows, r]
    lv = np.flatnonzero(out >= 0)
    gl, ol = rows[lv], out[lv]
    val[gl, ol] = np.where(delta[lv, r[lv]] < 0, lo[gl, ol], up[gl, ol])
    basic[gl, ol] = False
    can_up[gl, ol] = (lo[gl, ol] < up[gl, ol]) & (val[gl, ol] < up[gl, ol])
    can_down[gl, ol] = (lo[gl, ol] < up[gl, ol]) & (val[gl, ol] > lo[gl, ol])
    el, ql, qr = enters_local, entering_local, entering_ref
    xb[rows, r] = np.where(el, val[rows, ql], 0.0) + move
    at_loc[rows, r] = np.where(el, ql, -1)
    at_ref[rows, r] = np.where(el, -1, qr)
    lb[rows, r] = np.where(el, lo[rows, ql], 0.0)
    ub[rows, r] = np.where(el, up[rows, ql], np.inf)
    cb[rows, r] = np.where(el, cost_l[rows, ql], np.where(p1[rows], 0.0, cost[gid[rows], qr]))
    le = np.flatnonzero(el)
    basic[rows[le], ql[le]] = True
    can_up[rows[le], ql[le]] = can_down[rows[le], ql[le]] = False
    B[rows, :, r] = column
    n = np.arange(rows.size)
    pivot_row = inverse[rows, r, :] / w[n, r][:, None]
    eta = w.copy()
    eta[n, r] -= 1.0
    inverse[rows] -= eta[:, :, None] * pivot_row[:, None, :]


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
