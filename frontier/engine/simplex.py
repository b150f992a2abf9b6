"""The bounded-variable primal simplex of the compiled kernels (:func:`solve`), written once and compiled by Numba for
both of its callers: the restricted path's small LPs (:mod:`~frontier.engine.kernel`) and the dense batch's loop
(:mod:`~frontier.engine.dense_kernel`).

The LP, with one logical variable ``r_i`` per row (its activity, boxed by the row's bounds)::

    min c'x   s.t.   A x - r = 0,   lower <= x <= upper,   row_lower <= r <= row_upper

Variables ``0 .. R-1`` are the logicals (column ``-e_i``), ``R .. R+n-1`` the first ``n`` structural columns of ``A``
(a dense, row-major R x capacity matrix: pricing runs along its rows). ``lower`` / ``upper`` cover all R + n variables
(the logicals' first: the row bounds). The basis inverse is an explicit R x R matrix, updated at each pivot and
recomputed every ``refactor`` pivots and before an optimum is reported. A basis whose basic values break their bounds
first minimises the sum of infeasibilities (the textbook composite phase 1, from the warm basis; from the logical
basis when the warm one is singular), then the objective; Dantzig pricing scaled by the column norms, Harris's
two-pass ratio test (:func:`row_ratio`), Bland's rule after ``bland_after`` degenerate pivots in a row.

Nothing here is trusted: each caller accepts only an optimal basis whose clipped solution meets every row to its
residual tolerance (:func:`rows_met`) and has the engine's certificate check it (:func:`~frontier.engine.certify.
certified`); everything else is HiGHS's. The functions are plain Python until :func:`compile` replaces them by their
compiled versions (Numba is imported only then: the callers load it only for calls large enough to repay it,
:func:`~frontier.engine.kernel.kernel_pays`). Numba caches each caller's compiled loop (``cache=True``) next to the
caller's source file, keyed by that file alone, so a loop compiled with an older version of this module would load
unchanged after an edit here: :func:`drop_stale_loops` keeps a stamp of this file's contents in the cache directory
and, when it differs, deletes the engine's cached loops first (they compile again, once).

Loading a cached loop in a new process: numba's own cache load first refreshes its whole compiler context, most of
what a cold call spent loading the kernel, which a compiled loop does not use; :func:`jit` gives each of the engine's
loops a cache that loads without it (:func:`quick_load_cache`).
"""
from __future__ import annotations

import functools
import hashlib
import threading
from pathlib import Path

import numpy as np

# FAILED: a singular basis; INACCURATE: an optimal basis whose rows the clipped solution misses by more than the
# residual tolerance of their terms (badly scaled data: HiGHS, which scales the LP, solves it instead)
OPTIMAL, INFEASIBLE, UNBOUNDED, ITERATION_LIMIT, FAILED, INACCURATE = 0, 1, 2, 3, 4, 5
# a variable's place: in the basis, nonbasic at its lower or upper bound, nonbasic free at 0
BASIC, AT_LOWER, AT_UPPER, FREE = 0, 1, 2, 3


def factor(A, head, Binv, work) -> bool:
    """The inverse of the basis ``head`` (logicals ``-e_i`` below R, else columns of ``A``) in ``Binv``
    (Gauss-Jordan with partial pivoting); False if singular."""
    R = head.shape[0]
    for k in range(R):
        for i in range(R):
            work[i, k] = 0.0
        j = head[k]
        if j < R:
            work[j, k] = -1.0
        else:
            for i in range(R):
                work[i, k] = A[i, j - R]
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


def basic_values(A, n, head, state, x, Binv, rhs) -> None:
    """x_B = -B^-1 (N x_N): the basic values from the nonbasic ones."""
    R = head.shape[0]
    for i in range(R):
        rhs[i] = 0.0
    for j in range(R + n):
        if state[j] != BASIC and x[j] != 0.0:
            if j < R:
                rhs[j] += x[j]
            else:
                for i in range(R):
                    rhs[i] -= A[i, j - R] * x[j]
    for k in range(R):
        s = 0.0
        for i in range(R):
            s += Binv[k, i] * rhs[i]
        x[head[k]] = s


def logical_basis(n, head, state) -> None:
    """The slack basis: every logical basic, every structural column of the first ``n`` nonbasic at its lower bound
    (always a basis: B = -I)."""
    R = head.shape[0]
    for j in range(R + n):
        state[j] = AT_LOWER
    for k in range(R):
        head[k] = k
        state[k] = BASIC


def place_nonbasic(lower, upper, state, x, count) -> None:
    """Every nonbasic variable of the first ``count`` at a finite bound (the bounds may have changed since the basis
    was left): at its upper bound if it was there and that is finite, else at its lower bound, else its upper, else
    free at 0."""
    for j in range(count):
        if state[j] == BASIC:
            continue
        lo, up = lower[j], upper[j]
        if state[j] == AT_UPPER and up < np.inf:
            x[j] = up
        elif lo > -np.inf:
            state[j], x[j] = AT_LOWER, lo
        elif up < np.inf:
            state[j], x[j] = AT_UPPER, up
        else:
            state[j], x[j] = FREE, 0.0


def column_norms(A, first, last, norms) -> None:
    """``norms[R + j]``: the squared norm of column ``j`` of ``A``, for ``first <= j < last`` (the scale of Dantzig's
    pricing; a logical's is 1). The callers keep ``norms`` in step with ``A``'s columns."""
    R = A.shape[0]
    for j in range(first, last):
        s = 0.0
        for i in range(R):
            s += A[i, j] * A[i, j]
        norms[R + j] = s


def rows_met(A, n, lower, upper, x, residual_tol) -> bool:
    """Whether the solution ``x``, clipped to its bounds, meets every row to ``residual_tol`` of the magnitude of the
    row's terms (the certificate's primal measure, :func:`~frontier.engine.certify.kkt_violation`, held tighter)."""
    R = A.shape[0]
    for i in range(R):
        activity, size = 0.0, 0.0
        for j in range(n):
            v = min(max(x[R + j], lower[R + j]), upper[R + j])
            activity += A[i, j] * v
            size += abs(A[i, j] * v)
        lo, up = lower[i], upper[i]
        bound = 0.0
        if lo > -np.inf:
            bound = abs(lo)
        if up < np.inf:
            bound = max(bound, abs(up))
        if max(lo - activity, activity - up, 0.0) > residual_tol * (size + bound):
            return False
    return True


def row_ratio(delta, lo, up, xv, primal_tol, relaxed):
    """Harris's ratio test for one basic variable, at ``xv`` in [``lo``, ``up``] and moving by ``delta`` per unit
    step: the step at which it reaches the bound that blocks it (its upper bound if it is above it and falls, its lower
    if it falls, and the mirror cases), and whether that is its upper bound; ``(inf, False)`` where no bound blocks
    it. ``relaxed``: pass 1, each bound moved out by its primal tolerance (the largest step no row breaks beyond
    tolerance); else pass 2, the exact bound (the step to the bound of the row chosen among those within pass 1's)."""
    tlo = primal_tol * max(1.0, abs(lo))
    tup = primal_tol * max(1.0, abs(up))
    if delta < 0:
        if xv > up + tup:
            return (xv - up + (tup if relaxed else 0.0)) / -delta, True
        if xv >= lo - tlo and lo > -np.inf:
            return (xv - lo + (tlo if relaxed else 0.0)) / -delta, False
    else:
        if xv < lo - tlo:
            return (lo + (tlo if relaxed else 0.0) - xv) / delta, False
        if xv <= up + tup and up < np.inf:
            return (up + (tup if relaxed else 0.0) - xv) / delta, True
    return np.inf, False


def solve(A, norms, n, cost, lower, upper, head, state, x, Binv, y, work, rhs, cB, alpha, d, max_iter, refactor,
          bland_after, primal_tol, dual_tol, pivot_tol, residual_tol):
    """Solve the LP of the module docstring over the first ``n`` structural columns of ``A`` (``norms``: every
    variable's squared column norm, :func:`column_norms`) from the basis ``head`` / ``state`` (updated in place, with
    the values ``x`` and the row duals ``y``; ``work`` (R x R), ``rhs``, ``cB``, ``alpha`` (R) and ``d`` (R + n at
    least) are scratch). Returns (status, iterations)."""
    R = head.shape[0]
    N = R + n
    place_nonbasic(lower, upper, state, x, N)
    if not factor(A, head, Binv, work):
        logical_basis(n, head, state)       # a singular warm basis: start again from the slack basis
        place_nonbasic(lower, upper, state, x, N)
        if not factor(A, head, Binv, work):
            return FAILED, 0
    basic_values(A, n, head, state, x, Binv, rhs)
    since_factor, degenerate, iterations = 0, 0, 0
    while True:
        if since_factor >= refactor:
            if not factor(A, head, Binv, work):
                return FAILED, iterations
            basic_values(A, n, head, state, x, Binv, rhs)
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
        # pricing: every reduced cost at once (the logicals' are the duals; the structural columns' a tight loop along
        # the rows of A), then the entering variable and its direction: Dantzig's rule scaled by the column norms,
        # Bland's (the first eligible one) after a run of degenerate pivots. A reduced cost enters only beyond
        # dual_tol x (1 + |c_j| + sum |a_ij y_i|), computed only for a column that would be chosen
        for i in range(R):
            d[i] = y[i]
        for j in range(n):
            d[R + j] = 0.0 if infeasible else cost[j]
        for i in range(R):
            yi = y[i]
            if yi != 0.0:
                for j in range(n):
                    d[R + j] -= A[i, j] * yi
        q, direction, best = -1, 0.0, 0.0
        bland = degenerate >= bland_after
        for j in range(N):
            dv, st = d[j], state[j]
            if dv < 0.0:
                if st != AT_LOWER and st != FREE:
                    continue
            elif dv > 0.0:
                if st != AT_UPPER and st != FREE:
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
                    scale += abs(A[i, j - R] * y[i])
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
            return (OPTIMAL if rows_met(A, n, lower, upper, x, residual_tol) else INACCURATE), iterations
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
                    s += Binv[k, i] * A[i, q - R]
            alpha[k] = s
            amax = max(amax, abs(s))
        # Harris's ratio test (basic k moves by -direction * alpha[k] per unit step): pass 1 the relaxed step, pass 2
        # among the rows that block within it the largest pivot
        relaxed = np.inf
        for k in range(R):
            if abs(alpha[k]) > pivot_tol * amax:
                v = head[k]
                t, _ = row_ratio(-direction * alpha[k], lower[v], upper[v], x[v], primal_tol, True)
                relaxed = min(relaxed, t)
        flip = upper[q] - lower[q]      # inf unless the entering variable is boxed
        r, step, hit_upper, size = -1, np.inf, False, 0.0
        if relaxed < np.inf:
            for k in range(R):
                if abs(alpha[k]) > pivot_tol * amax:
                    v = head[k]
                    t, bound_up = row_ratio(-direction * alpha[k], lower[v], upper[v], x[v], primal_tol, False)
                    if t <= relaxed and abs(alpha[k]) > size:
                        r, step, hit_upper, size = k, max(t, 0.0), bound_up, abs(alpha[k])
        if flip <= step:        # the entering variable reaches its other bound first: no basis change
            if flip == np.inf:
                return (UNBOUNDED if not infeasible else FAILED), iterations
            x[q] += direction * flip
            for k in range(R):
                x[head[k]] -= direction * flip * alpha[k]
            state[q] = AT_UPPER if direction > 0 else AT_LOWER
            degenerate = 0
            continue
        degenerate = degenerate + 1 if step <= 1e-12 else 0
        x[q] += direction * step
        for k in range(R):
            x[head[k]] -= direction * step * alpha[k]
        v = head[r]
        if lower[v] == upper[v] or not hit_upper:
            state[v], x[v] = AT_LOWER, lower[v]
        else:
            state[v], x[v] = AT_UPPER, upper[v]
        head[r] = q
        state[q] = BASIC
        piv = alpha[r]
        for i in range(R):
            Binv[r, i] /= piv
        for k in range(R):
            if k != r and alpha[k] != 0.0:
                f = alpha[k]
                for i in range(R):
                    Binv[k, i] -= f * Binv[r, i]
        since_factor += 1


_compiled = False
_compile_lock = threading.Lock()


def drop_stale_loops(source: Path = Path(__file__)) -> None:
    """Delete numba's cached loops in the cache directory beside ``source`` (this module) when ``source`` changed
    since they were compiled (its contents' digest is the name of a stamp file there); a directory that cannot be
    written is left alone (numba then caches elsewhere, keyed the same way)."""
    cache = source.parent / "__pycache__"
    stamp = cache / f"simplex-{hashlib.blake2b(source.read_bytes(), digest_size=8).hexdigest()}.stamp"
    if stamp.exists():
        return
    try:
        for old in [*cache.glob("*.nbi"), *cache.glob("*.nbc"), *cache.glob("simplex-*.stamp")]:
            old.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.touch()
    except OSError:
        pass


@functools.cache
def quick_load_cache() -> type:
    """The class of the engine's loops' disk cache (numba imported here): numba's ``FunctionCache`` (same files, same
    keys), but a cached loop loads after initialising numba's runtime only, not after numba's refresh of its whole
    compiler context (importing and registering every implementation numba could compile: 0.20-0.24 s of CPU in a new
    process; a compilation still refreshes it, as numba's compiler always does). What the loaded code links against
    is in place without it: numba's C helpers and Python's exceptions (registered when numba's context is made) and
    its runtime (``rtsys``, initialised here). So the engine's loops must use no numba feature whose C symbols are
    registered only by importing its implementation (``parallel=True``'s scheduler, for one); the kernel tests load
    the loops this way in every test process. Any error on the way falls back to numba's own load."""
    from numba.core.caching import FunctionCache
    from numba.core.runtime import rtsys

    class QuickLoadCache(FunctionCache):
        def load_overload(self, sig, target_context):
            try:
                rtsys.initialize(target_context)
                with self._guard_against_spurious_io_errors():
                    return self._load_overload(sig, target_context)
            except Exception:
                return super().load_overload(sig, target_context)

    return QuickLoadCache


def jit(function, inline: bool = False):
    """``function`` compiled by Numba: ``nogil`` (the engine's in-process threads solve in parallel), cached on disk
    beside its module (``cache=True``) and loaded from there by :func:`quick_load_cache`; ``inline``: inlined into
    its callers (numba's ``inline="always"``)."""
    from numba import njit
    from numba.core.caching import FunctionCache

    dispatcher = njit(cache=True, nogil=True, **({"inline": "always"} if inline else {}))(function)
    if type(getattr(dispatcher, "_cache", None)) is FunctionCache:     # numba's own, as cache=True made it
        dispatcher._cache = quick_load_cache()(function)
    return dispatcher


def jit_functions() -> None:
    """Replace this module's functions by their Numba-compiled versions (:func:`jit`), once per process (numba
    imported here; the callers call this before compiling their loops, which call these functions as
    ``simplex.solve`` and so on). The small helpers are inlined into their callers."""
    global _compiled, factor, basic_values, logical_basis, place_nonbasic, column_norms, rows_met, row_ratio, solve
    if not _compiled:
        with _compile_lock:
            if not _compiled:
                drop_stale_loops()
                factor, basic_values, logical_basis = jit(factor), jit(basic_values), jit(logical_basis)
                place_nonbasic, column_norms, rows_met = jit(place_nonbasic), jit(column_norms), jit(rows_met)
                row_ratio = jit(row_ratio, inline=True)
                solve = jit(solve)
                _compiled = True
