"""The batched dense simplex's LPs solved one after another by a compiled loop (:func:`solve_packed`), no Python per
LP or per iteration: the fast path of :func:`~frontier.engine.dense.solve_dense` when the call is large enough to
repay loading Numba (its plans' ``kernel`` flag, :func:`~frontier.engine.kernel.kernel_pays`).

Why: the numpy batch (:func:`~frontier.engine.dense.solve_batch`) spreads the fixed cost of a numpy call over the LPs
of a batch, but on LPs of 5-7 rows that cost still dominates (about 50 microseconds per LP of a bootstrap replicate
of 300 DMUs, most of it in numpy dispatch), while one LP is a few pivots over a few hundred columns: a few
microseconds of arithmetic. Here each LP of the batch (the LPs of :func:`~frontier.engine.dense.solve_batch`: one per
evaluated DMU, over its group's columns, with its own columns, row bounds and banned columns) is solved in turn by a
bounded-variable primal simplex warm-started from the optimal basis of the LP before it in the same group (the engine
orders a reference set's DMUs so that neighbours are similar: :func:`~frontier.engine.schedule.solve_order`).

The LP of one DMU, with one logical variable ``r_i`` per row (its activity, boxed by the row's bounds)::

    min c'x   s.t.   A x - r = 0,   lower <= x <= upper,   row_lower <= r <= row_upper

Variables ``0 .. R-1`` are the logicals (column ``-e_i``), then the DMU's E own columns, then the group's N reference
columns (bounds [0, inf), [0, 0] where banned; padding columns are zero with cost 0 and never enter). The basis
inverse is an explicit R x R matrix, updated at each pivot and recomputed every ``REFACTOR`` pivots and before an
optimum is reported. A basis whose basic values break their bounds first minimises the sum of infeasibilities (the
composite phase 1, from the warm basis; the logical basis when the warm one is singular), then the objective;
Dantzig pricing scaled by the column norms, Harris's two-pass ratio test, Bland's rule after ``BLAND_AFTER``
degenerate pivots in a row (the dense section of :mod:`~frontier.engine.settings`).

Nothing here is trusted, exactly as for the numpy batch: only an optimal basis whose clipped solution meets every row
to ``DENSE_RESIDUAL_TOL`` of its terms counts as solved, and :func:`~frontier.engine.dense.solve_dense` certifies it
(:func:`~frontier.engine.certify.certified`); anything else (an infeasible or unbounded LP, the iteration limit, a
singular basis) and every refused answer is HiGHS's, which proves infeasibility and unboundedness.
"""
from __future__ import annotations

import threading

import numpy as np

from . import settings
from .kernel import use_kernel

_BASIC, _AT_LOWER, _AT_UPPER, _FREE = 0, 1, 2, 3
OPTIMAL, INFEASIBLE, UNBOUNDED, ITERATION_LIMIT, FAILED, INACCURATE = 0, 1, 2, 3, 4, 5


def _factor(M, R, head, Binv, work) -> bool:
    """The inverse of the basis ``head`` (logicals ``-e_i`` below R, else columns of ``M``) in ``Binv``
    (Gauss-Jordan with partial pivoting); False if singular."""
    for k in range(R):
        for i in range(R):
            work[i, k] = 0.0
        j = head[k]
        if j < R:
            work[j, k] = -1.0
        else:
            for i in range(R):
                work[i, k] = M[i, j - R]
    for i in range(R):
        for k in range(R):
            Binv[i, k] = 1.0 if i == k else 0.0
    for c in range(R):
        p, best, scale = c, 0.0, 0.0
        for i in range(R):
            scale = max(scale, abs(work[i, c]))
        for i in range(c, R):
            if abs(work[i, c]) > best:
                best, p = abs(work[i, c]), i
        if best == 0.0 or best <= 1e-11 * scale:
            return False
        if p != c:
            for k in range(R):
                work[c, k], work[p, k] = work[p, k], work[c, k]
                Binv[c, k], Binv[p, k] = Binv[p, k], Binv[c, k]
        piv = work[c, c]
        for k in range(R):
            work[c, k] /= piv
            Binv[c, k] /= piv
        for i in range(R):
            if i != c:
                f = work[i, c]
                if f != 0.0:
                    for k in range(R):
                        work[i, k] -= f * work[c, k]
                        Binv[i, k] -= f * Binv[c, k]
    return True


def _basic_values(M, R, n, head, state, x, Binv, rhs) -> None:
    """x_B = -B^-1 (N x_N): the basic values from the nonbasic ones."""
    for i in range(R):
        rhs[i] = 0.0
    for j in range(R + n):
        if state[j] != _BASIC and x[j] != 0.0:
            if j < R:
                rhs[j] += x[j]
            else:
                for i in range(R):
                    rhs[i] -= M[i, j - R] * x[j]
    for k in range(R):
        s = 0.0
        for i in range(R):
            s += Binv[k, i] * rhs[i]
        x[head[k]] = s


def _logical_basis(R, n, head, state) -> None:
    """The slack basis: every logical basic, every structural column nonbasic (always a basis: B = -I)."""
    for j in range(R + n):
        state[j] = _AT_LOWER
    for k in range(R):
        head[k] = k
        state[k] = _BASIC


def _place_nonbasic(lower, upper, state, x, count) -> None:
    """Every nonbasic variable at a finite bound (the bounds change from LP to LP): at its upper bound if it was there
    and that is finite, else at its lower bound, else its upper, else free at 0."""
    for j in range(count):
        if state[j] == _BASIC:
            continue
        lo, up = lower[j], upper[j]
        if state[j] == _AT_UPPER and up < np.inf:
            x[j] = up
        elif lo > -np.inf:
            state[j], x[j] = _AT_LOWER, lo
        elif up < np.inf:
            state[j], x[j] = _AT_UPPER, up
        else:
            state[j], x[j] = _FREE, 0.0


def _rows_met(M, R, n, lower, upper, x, residual_tol) -> bool:
    """Whether the solution ``x``, clipped to its bounds, meets every row to ``residual_tol`` of the magnitude of the
    row's terms."""
    for i in range(R):
        activity, size = 0.0, 0.0
        for j in range(n):
            v = min(max(x[R + j], lower[R + j]), upper[R + j])
            activity += M[i, j] * v
            size += abs(M[i, j] * v)
        lo, up = lower[i], upper[i]
        bound = 0.0
        if lo > -np.inf:
            bound = abs(lo)
        if up < np.inf:
            bound = max(bound, abs(up))
        if max(lo - activity, activity - up, 0.0) > residual_tol * (size + bound):
            return False
    return True


def _simplex(M, norms, R, n, cost, lower, upper, head, state, x, Binv, y, work, rhs, cB, alpha, d, max_iter,
             refactor, bland_after, primal_tol, dual_tol, pivot_tol, residual_tol):
    """Solve one LP (the module docstring) over the ``n`` structural columns of ``M`` (``norms``: the squared norm
    of every variable's column) from the basis ``head`` / ``state`` (updated in place, with the values ``x`` and the
    row duals ``y``; ``work`` .. ``d`` are scratch). Returns (status, iterations)."""
    N = R + n
    _place_nonbasic(lower, upper, state, x, N)
    if not _factor(M, R, head, Binv, work):
        _logical_basis(R, n, head, state)       # a singular warm basis: start again from the slack basis
        _place_nonbasic(lower, upper, state, x, N)
        if not _factor(M, R, head, Binv, work):
            return FAILED, 0
    _basic_values(M, R, n, head, state, x, Binv, rhs)
    since_factor, degenerate, iterations = 0, 0, 0
    while True:
        if since_factor >= refactor:
            if not _factor(M, R, head, Binv, work):
                return FAILED, iterations
            _basic_values(M, R, n, head, state, x, Binv, rhs)
            since_factor = 0
        # phase: the sum of infeasibilities while a basic value breaks its bounds, else the objective
        infeasible = False
        for k in range(R):
            v = head[k]
            if x[v] < lower[v] - primal_tol * max(1.0, abs(lower[v])):
                cB[k] = -1.0
                infeasible = True
            elif x[v] > upper[v] + primal_tol * max(1.0, abs(upper[v])):
                cB[k] = 1.0
                infeasible = True
            else:
                cB[k] = 0.0
        if not infeasible:
            for k in range(R):
                v = head[k]
                cB[k] = cost[v - R] if v >= R else 0.0
        for i in range(R):
            s = 0.0
            for k in range(R):
                s += Binv[k, i] * cB[k]
            y[i] = s
        # pricing: every reduced cost at once (the logicals' are the duals; the structural columns' a tight loop over
        # contiguous rows of M), then the entering variable and its direction: Dantzig's rule scaled by the column
        # norms, Bland's (the first eligible one) after a run of degenerate pivots. A reduced cost enters only beyond
        # DUAL_TOL x (1 + |c_j| + sum |a_ij y_i|), computed only for a column that would be chosen
        for i in range(R):
            d[i] = y[i]
        for j in range(n):
            d[R + j] = 0.0 if infeasible else cost[j]
        for i in range(R):
            yi = y[i]
            if yi != 0.0:
                for j in range(n):
                    d[R + j] -= M[i, j] * yi
        q, direction, best = -1, 0.0, 0.0
        bland = degenerate >= bland_after
        for j in range(N):
            dv, st = d[j], state[j]
            if dv < 0.0:
                if st != _AT_LOWER and st != _FREE:
                    continue
            elif dv > 0.0:
                if st != _AT_UPPER and st != _FREE:
                    continue
            else:
                continue
            score = dv * dv / (1.0 + norms[j])
            if (score <= best and not bland) or lower[j] == upper[j]:
                continue
            if j < R:
                scale = 1.0 + abs(y[j])
            else:
                scale = 1.0 + (0.0 if infeasible else abs(cost[j - R]))
                for i in range(R):
                    scale += abs(M[i, j - R] * y[i])
            if abs(dv) <= dual_tol * scale:
                continue
            q, direction, best = j, (1.0 if dv < 0 else -1.0), score
            if bland:
                break
        if q < 0:
            if since_factor > 0:        # confirm on a fresh factorisation
                since_factor = refactor
                continue
            if infeasible:
                return INFEASIBLE, iterations
            return (OPTIMAL if _rows_met(M, R, n, lower, upper, x, residual_tol) else INACCURATE), iterations
        if iterations >= max_iter:
            return ITERATION_LIMIT, iterations
        iterations += 1
        # the entering column in the basis: alpha = B^-1 a_q
        amax = 0.0
        for k in range(R):
            if q < R:
                s = -Binv[k, q]
            else:
                s = 0.0
                for i in range(R):
                    s += Binv[k, i] * M[i, q - R]
            alpha[k] = s
            amax = max(amax, abs(s))
        # Harris's ratio test: basic k moves by -direction * alpha[k] per unit step; pass 1 the relaxed bound
        relaxed = np.inf
        for k in range(R):
            if abs(alpha[k]) <= pivot_tol * amax:
                continue
            v = head[k]
            delta = -direction * alpha[k]
            lo, up, xv = lower[v], upper[v], x[v]
            tlo = primal_tol * max(1.0, abs(lo))
            tup = primal_tol * max(1.0, abs(up))
            if delta < 0:
                if xv > up + tup:
                    t = (xv - up + tup) / -delta
                elif xv >= lo - tlo and lo > -np.inf:
                    t = (xv - lo + tlo) / -delta
                else:
                    continue
            else:
                if xv < lo - tlo:
                    t = (lo + tlo - xv) / delta
                elif xv <= up + tup and up < np.inf:
                    t = (up + tup - xv) / delta
                else:
                    continue
            if t < relaxed:
                relaxed = t
        # pass 2: among the rows that block within the relaxed step, the largest pivot
        flip = upper[q] - lower[q]      # inf unless the entering variable is boxed
        r, step, hit_upper, size = -1, np.inf, False, 0.0
        if relaxed < np.inf:
            for k in range(R):
                if abs(alpha[k]) <= pivot_tol * amax:
                    continue
                v = head[k]
                delta = -direction * alpha[k]
                lo, up, xv = lower[v], upper[v], x[v]
                tlo = primal_tol * max(1.0, abs(lo))
                tup = primal_tol * max(1.0, abs(up))
                if delta < 0:
                    if xv > up + tup:
                        t, bound_up = (xv - up) / -delta, True
                    elif xv >= lo - tlo and lo > -np.inf:
                        t, bound_up = (xv - lo) / -delta, False
                    else:
                        continue
                else:
                    if xv < lo - tlo:
                        t, bound_up = (lo - xv) / delta, False
                    elif xv <= up + tup and up < np.inf:
                        t, bound_up = (up - xv) / delta, True
                    else:
                        continue
                if t <= relaxed and abs(alpha[k]) > size:
                    r, step, hit_upper, size = k, max(t, 0.0), bound_up, abs(alpha[k])
        if flip <= step:        # the entering variable reaches its other bound first: no basis change
            if flip == np.inf:
                return (UNBOUNDED if not infeasible else FAILED), iterations
            x[q] += direction * flip
            for k in range(R):
                x[head[k]] -= direction * flip * alpha[k]
            state[q] = _AT_UPPER if direction > 0 else _AT_LOWER
            degenerate = 0
            continue
        degenerate = degenerate + 1 if step <= 1e-12 else 0
        x[q] += direction * step
        for k in range(R):
            x[head[k]] -= direction * step * alpha[k]
        v = head[r]
        if lower[v] == upper[v] or not hit_upper:
            state[v], x[v] = _AT_LOWER, lower[v]
        else:
            state[v], x[v] = _AT_UPPER, upper[v]
        head[r] = q
        state[q] = _BASIC
        piv = alpha[r]
        for i in range(R):
            Binv[r, i] /= piv
        for k in range(R):
            if k != r and alpha[k] != 0.0:
                f = alpha[k]
                for i in range(R):
                    Binv[k, i] -= f * Binv[r, i]
        since_factor += 1


def _solve_all(A, cost, own_matrix, own_cost, own_lower, own_upper, row_lower, row_upper, group, banned,
               iterations_min, iterations_per_size, refactor, bland_after, primal_tol, dual_tol, pivot_tol,
               residual_tol, solved, own_out, lam_out, duals_out, objective_out) -> int:
    """Every LP of the batch in turn (the module docstring), each warm-started from the last optimal basis of its
    group; fills the outputs of the optimal ones and returns the pivots taken in all. ``banned``: k x N, or 0 x 0
    for none."""
    G, R, N = A.shape
    k, _, E = own_matrix.shape
    n = E + N
    M = np.zeros((R, n))                # the structural columns of the current LP: its own, then its group's
    cost_lp = np.zeros(n)
    lower = np.zeros(R + n)
    upper = np.full(R + n, np.inf)
    head = np.arange(R)
    state = np.empty(R + n, dtype=np.int8)
    x = np.zeros(R + n)
    Binv = np.empty((R, R))
    y = np.zeros(R)
    norms = np.ones(R + n)              # the variables' squared column norms (pricing's scale; logicals 1)
    work, rhs, cB, alpha, d = np.empty((R, R)), np.empty(R), np.empty(R), np.empty(R), np.empty(R + n)
    max_iter = iterations_min + iterations_per_size * (R + n)
    has_bans = banned.shape[0] > 0
    current, warm, total = -1, False, 0
    for i in range(k):
        g = group[i]
        if g != current:
            for r in range(R):
                for j in range(N):
                    M[r, E + j] = A[g, r, j]
            for j in range(N):
                cost_lp[E + j] = cost[g, j]
                norm = 0.0
                for r in range(R):
                    norm += A[g, r, j] * A[g, r, j]
                norms[R + E + j] = norm
            current, warm = g, False
        if not warm:
            _logical_basis(R, n, head, state)
            for j in range(R + n):
                x[j] = 0.0
        for r in range(R):
            lower[r], upper[r] = row_lower[i, r], row_upper[i, r]
            for e in range(E):
                M[r, e] = own_matrix[i, r, e]
        for e in range(E):
            cost_lp[e] = own_cost[i, e]
            norm = 0.0
            for r in range(R):
                norm += M[r, e] * M[r, e]
            norms[R + e] = norm
            lower[R + e], upper[R + e] = own_lower[i, e], own_upper[i, e]
        for j in range(N):
            upper[R + E + j] = 0.0 if has_bans and banned[i, j] else np.inf
        status, iterations = _simplex(M, norms, R, n, cost_lp, lower, upper, head, state, x, Binv, y, work, rhs,
                                      cB, alpha, d, max_iter, refactor, bland_after, primal_tol, dual_tol,
                                      pivot_tol, residual_tol)
        total += iterations
        warm = status == OPTIMAL
        if not warm:
            continue
        solved[i] = True
        value = 0.0
        for e in range(E):
            own_out[i, e] = x[R + e]
            value += own_cost[i, e] * x[R + e]
        for j in range(N):
            lam = max(x[R + E + j], 0.0)
            lam_out[i, j] = lam
            value += cost[g, j] * lam
        for r in range(R):
            duals_out[i, r] = y[r]
        objective_out[i] = value
    return total


_compiled = None
_compile_lock = threading.Lock()


def _compiled_solver():
    """:func:`_solve_all` compiled by Numba (numba imported and the loop loaded from its cache, or compiled once per
    machine, on first use in a process)."""
    global _compiled, _factor, _basic_values, _logical_basis, _place_nonbasic, _rows_met, _simplex
    if _compiled is None:
        with _compile_lock:
            if _compiled is None:
                from numba import njit

                jit = njit(cache=True, nogil=True)
                _factor, _basic_values, _logical_basis = jit(_factor), jit(_basic_values), jit(_logical_basis)
                _place_nonbasic, _rows_met, _simplex = jit(_place_nonbasic), jit(_rows_met), jit(_simplex)
                _compiled = jit(_solve_all)
    return _compiled


def available(n_rows: int) -> bool:
    """Whether LPs of ``n_rows`` rows may go to this loop: numba is installed and the compiled kernel is on
    (:func:`~frontier.engine.kernel.use_kernel`: ``settings.KERNEL``, at most ``KERNEL_ROWS`` rows)."""
    return use_kernel(n_rows)


def solve_packed(A: np.ndarray, cost: np.ndarray, own_matrix: np.ndarray, own_cost: np.ndarray,
                 own_lower: np.ndarray, own_upper: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray,
                 group: np.ndarray | None = None, banned: np.ndarray | None = None) -> tuple:
    """The LPs of :func:`~frontier.engine.dense.solve_batch` (same arguments; every column of a group is priced, so
    there is no active set) solved by the compiled loop: ``(solved, own, lam, duals, objective, iterations)`` as the
    fields of :class:`~frontier.engine.dense.DenseSolution`."""
    G, R, N = A.shape
    k, _, E = own_matrix.shape
    group = np.zeros(k, dtype=np.int64) if group is None else np.ascontiguousarray(group, dtype=np.int64)
    banned = np.zeros((0, 0), dtype=np.bool_) if banned is None else np.ascontiguousarray(banned, dtype=np.bool_)
    solved = np.zeros(k, dtype=np.bool_)
    own, lam, duals = np.zeros((k, E)), np.zeros((k, N)), np.full((k, R), np.nan)
    objective = np.full(k, np.nan)

    def c(a):
        return np.ascontiguousarray(a, dtype=np.float64)

    iterations = _compiled_solver()(
        c(A), c(cost), c(own_matrix), c(own_cost), c(own_lower), c(own_upper), c(row_lower), c(row_upper), group,
        banned, settings.DENSE_KERNEL_ITERATIONS_MIN, settings.DENSE_KERNEL_ITERATIONS_PER_SIZE, settings.REFACTOR,
        settings.BLAND_AFTER, settings.PRIMAL_TOL, settings.DUAL_TOL, settings.PIVOT_TOL,
        settings.DENSE_RESIDUAL_TOL, solved, own, lam, duals, objective)
    return solved, own, lam, duals, objective, int(iterations)
