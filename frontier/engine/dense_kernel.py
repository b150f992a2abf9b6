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

The LP of one DMU is :mod:`~frontier.engine.simplex`'s (one logical per row; the DMU's E own columns, then the
group's N reference columns with bounds [0, inf), [0, 0] where banned; padding columns are zero with cost 0 and never
enter), solved by its compiled simplex (shared with the restricted path's kernel) with the dense section's constants
of :mod:`~frontier.engine.settings` (``REFACTOR``, ``BLAND_AFTER``, the tolerances); a group's column norms are
computed once, the own columns' per LP, and the logical basis starts each group.

Nothing here is trusted, exactly as for the numpy batch: only an optimal basis whose clipped solution meets every row
to ``DENSE_RESIDUAL_TOL`` of its terms counts as solved, and :func:`~frontier.engine.dense.solve_dense` certifies it
(:func:`~frontier.engine.certify.certified`); anything else (an infeasible or unbounded LP, the iteration limit, a
singular basis) and every refused answer is HiGHS's, which proves infeasibility and unboundedness.
"""
from __future__ import annotations

import threading

import numpy as np

from . import settings, simplex
from .kernel import use_kernel
from .simplex import OPTIMAL


def _solve_all(A, cost, own_matrix, own_cost, own_lower, own_upper, row_lower, row_upper, group, banned,
               iterations_min, iterations_per_size, refactor, bland_after, primal_tol, dual_tol, pivot_tol,
               residual_tol, intensity_cut, solved, own_out, lam_count, lam_col, lam_val, duals_out,
               objective_out) -> int:
    """Every LP of the batch in turn (the module docstring), each warm-started from the last optimal basis of its
    group; fills the outputs of the optimal ones and returns the pivots taken in all. ``banned``: k x N, or 0 x 0
    for none. The intensities are kept sparse: per LP the columns above ``intensity_cut`` times the largest (at
    least 1), in column order (``lam_count``, ``lam_col``, ``lam_val``: k, k x S, k x S); an LP with more than S of
    them (a basic solution has at most R) is left unsolved."""
    G, R, N = A.shape
    k, _, E = own_matrix.shape
    S = lam_col.shape[1]
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
    norms = np.ones(R + n)              # the variables' squared column norms (simplex.column_norms; logicals 1)
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
            simplex.column_norms(M, E, n, norms)
            current, warm = g, False
        if not warm:
            simplex.logical_basis(n, head, state)
            for j in range(R + n):
                x[j] = 0.0
        for r in range(R):
            lower[r], upper[r] = row_lower[i, r], row_upper[i, r]
            for e in range(E):
                M[r, e] = own_matrix[i, r, e]
        for e in range(E):
            cost_lp[e] = own_cost[i, e]
            lower[R + e], upper[R + e] = own_lower[i, e], own_upper[i, e]
        simplex.column_norms(M, 0, E, norms)
        for j in range(N):
            upper[R + E + j] = 0.0 if has_bans and banned[i, j] else np.inf
        status, iterations = simplex.solve(M, norms, n, cost_lp, lower, upper, head, state, x, Binv, y, work, rhs,
                                           cB, alpha, d, max_iter, refactor, bland_after, primal_tol, dual_tol,
                                           pivot_tol, residual_tol)
        total += iterations
        warm = status == OPTIMAL
        if not warm:
            continue
        value, largest = 0.0, 1.0
        for e in range(E):
            own_out[i, e] = x[R + e]
            value += own_cost[i, e] * x[R + e]
        for j in range(N):
            lam = max(x[R + E + j], 0.0)
            value += cost[g, j] * lam
            largest = max(largest, lam)
        cut, count = intensity_cut * largest, 0
        for j in range(N):
            lam = max(x[R + E + j], 0.0)
            if lam > cut:
                if count < S:
                    lam_col[i, count], lam_val[i, count] = j, lam
                count += 1
        if count > S:
            continue
        lam_count[i] = count
        solved[i] = True
        for r in range(R):
            duals_out[i, r] = y[r]
        objective_out[i] = value
    return total


_compiled = None
_compile_lock = threading.Lock()


def _compiled_solver():
    """:func:`_solve_all` compiled by Numba, with the simplex it calls (:func:`~frontier.engine.simplex.
    jit_functions`): numba imported and the loop loaded from its cache, or compiled once per machine, on first use in
    a process."""
    global _compiled
    if _compiled is None:
        with _compile_lock:
            if _compiled is None:
                simplex.jit_functions()
                _compiled = simplex.jit(_solve_all)
    return _compiled


def available(n_rows: int) -> bool:
    """Whether LPs of ``n_rows`` rows may go to this loop: numba is installed and the compiled kernel is on
    (:func:`~frontier.engine.kernel.use_kernel`: ``settings.KERNEL``, at most ``KERNEL_ROWS`` rows)."""
    return use_kernel(n_rows)


def solve_packed(A: np.ndarray, cost: np.ndarray, own_matrix: np.ndarray, own_cost: np.ndarray,
                 own_lower: np.ndarray, own_upper: np.ndarray, row_lower: np.ndarray, row_upper: np.ndarray,
                 group: np.ndarray | None = None, banned: np.ndarray | None = None) -> tuple:
    """The LPs of :func:`~frontier.engine.dense.solve_batch` (same arguments; every column of a group is priced, so
    there is no active set) solved by the compiled loop: ``(solved, own, intensities, duals, objective,
    iterations)`` as the fields of :class:`~frontier.engine.dense.DenseSolution`, but the intensities sparse, as
    :func:`~frontier.engine.dense.nonzero_intensities` gives them: ``(count, col, lam)``, per LP its ``count``
    nonzero intensities (k x R each, in column order; those above ``INTENSITY_CUT`` of the largest)."""
    G, R, N = A.shape
    k, _, E = own_matrix.shape
    group = np.zeros(k, dtype=np.int64) if group is None else np.ascontiguousarray(group, dtype=np.int64)
    banned = np.zeros((0, 0), dtype=np.bool_) if banned is None else np.ascontiguousarray(banned, dtype=np.bool_)
    solved = np.zeros(k, dtype=np.bool_)
    own, duals = np.zeros((k, E)), np.full((k, R), np.nan)
    count, col, lam = np.zeros(k, dtype=np.int64), np.zeros((k, R), dtype=np.int64), np.zeros((k, R))
    objective = np.full(k, np.nan)

    def c(a):
        return np.ascontiguousarray(a, dtype=np.float64)

    iterations = _compiled_solver()(
        c(A), c(cost), c(own_matrix), c(own_cost), c(own_lower), c(own_upper), c(row_lower), c(row_upper), group,
        banned, settings.DENSE_KERNEL_ITERATIONS_MIN, settings.DENSE_KERNEL_ITERATIONS_PER_SIZE, settings.REFACTOR,
        settings.BLAND_AFTER, settings.PRIMAL_TOL, settings.DUAL_TOL, settings.PIVOT_TOL,
        settings.DENSE_RESIDUAL_TOL, settings.INTENSITY_CUT, solved, own, count, col, lam, duals, objective)
    return solved, own, (count, col, lam), duals, objective, int(iterations)
