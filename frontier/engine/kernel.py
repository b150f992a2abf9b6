"""The restricted path's small LPs solved by the compiled simplex (:class:`KernelLP`), tried before HiGHS's ``run()``.

Why: on the 8-row LPs of column generation HiGHS's ``run()`` costs about 0.16 ms per call plus 0.6 microseconds per
column plus 14 microseconds per iteration (docs/performance.md), about 60 % of an LP's time, while the arithmetic of
an 8-row LP over a few hundred active columns is a few microseconds per pivot. This module keeps its own dense copy
of the restricted LP (the stage's own columns first, then the active reference columns, in HiGHS's column order) and
solves it with a bounded-variable primal simplex compiled by Numba, warm-started from the previous DMU's basis (the
solve order puts similar DMUs one after another).

The LP and its simplex (a bounded-variable primal simplex on an explicit basis inverse, phase 1 from the warm basis,
Dantzig pricing scaled by the column norms, Harris's ratio test, Bland's rule after ``KERNEL_BLAND_AFTER`` degenerate
pivots) are :mod:`~frontier.engine.simplex`'s, shared with the dense batch's loop (:mod:`~frontier.engine.
dense_kernel`); this module keeps the LP (:class:`KernelLP`: the matrix row-major, the column norms beside it, the
basis between solves) and the compiled per-DMU run with its column generation (:func:`_run_dmus`), whose pricing
screens every candidate in float32 and computes in float64 only those the screen cannot prove positive
(:func:`_negative_candidates`: the candidates found and their values are a float64 pass's, bit for bit).

Nothing here is trusted: the caller (:class:`~frontier.engine.restricted.StageSolver`) prices the answer's duals
over every candidate and the batch certificate (:func:`~frontier.engine.certify.certified`) checks it as it checks
HiGHS's; whatever the kernel does not finish (an infeasible restricted LP its phase-1 duals cannot price out of, an
unbounded ray, the iteration limit, a singular basis it cannot repair, an optimum whose rows it meets only to more
than ``KERNEL_RESIDUAL_TOL``) and any answer the certificate refuses are HiGHS's, as before; so are badly scaled LPs
(:func:`in_range`). Numba compiles the kernel once per machine (``cache=True``, in ``frontier/engine/__pycache__``:
5 s of CPU on the quiet 2-core machine, 16-17 s on the loaded one; the dense loop 2.5 s more) and loads it from its
cache in every new process (0.24-0.28 s of CPU, numba's import 0.16-0.19 s of it; numba's own cache load took 0.2 s
more: :func:`~frontier.engine.simplex.quick_load_cache`), so a call uses it only when it is large enough to repay that
(:func:`kernel_pays`); numba is imported only then.
"""
from __future__ import annotations

import importlib.util
import threading
from dataclasses import dataclass

import numpy as np

from ..models.base import Patch
from . import settings, simplex
from .certify import BatchPatch
# the simplex's statuses, read here by the restricted path and the tests
from .simplex import AT_LOWER, BASIC, FAILED, INACCURATE, INFEASIBLE, ITERATION_LIMIT, OPTIMAL, UNBOUNDED  # noqa: F401

# numba is a dependency, but the engine stays correct without it (HiGHS then solves everything); it is imported only
# when the kernel is first used (its import and the kernel's loading cost about 0.25 s of CPU: docs/performance.md)
_NUMBA = importlib.util.find_spec("numba") is not None


# why a run of DMUs (:func:`_run_dmus`) returned to Python before its end: RUN_END, every DMU solved; RUN_ROOM, the
# model or the output buffers are full (grow them and call again from the DMU it stopped at); RUN_CAP, the active set
# passed the caller's cap after the DMU before (the caller rebuilds its model); RUN_HANDOFF, the model is larger than
# KERNEL_MAX_COLUMNS (the DMU is the per-LP path's); else the kernel's status of the LP it did not finish
RUN_END, RUN_ROOM, RUN_CAP, RUN_HANDOFF = 10, 11, 12, 13

# pricing's float32 screen (:func:`_negative_candidates`) is sound while every nonzero magnitude it multiplies lies in
# this range: float32 holds them to its relative precision (normal numbers from 1.2e-38) and no sum overflows (3.4e38)
SCREEN_LOWEST, SCREEN_HIGHEST = 1e-30, 1e30
SCREEN_PIECE = 256      # screened sums checked at a time for one that needs its float64 reduced cost


def _block_weights(fills, conv, b, y, cost_weight, weights):
    """Block ``b``'s weights on the candidates' columns (data, convexity coefficient, cost): ``cost_weight * c_j -
    a_j' y`` is their product with ``weights``."""
    W = weights.shape[0] - 2
    for w in range(W):
        weights[w] = -y[w] if fills[b, w] else 0.0
    weights[W] = -y[conv[b]] if conv[b] >= 0 else 0.0
    weights[W + 1] = cost_weight


def _candidate_products(prices, starts, fills, conv, y, cost_weight, weights, out):
    """``out[j] = cost_weight * c_j - a_j' y`` for every candidate j (``prices``: their data, convexity coefficient and
    cost side by side, column-major; block b's candidates ``starts[b]`` to ``starts[b + 1]``, filling the data rows
    ``fills[b]`` and the convexity row ``conv[b]``), one pass over each block's candidates' data column by column."""
    for b in range(starts.shape[0] - 1):
        _block_weights(fills, conv, b, y, cost_weight, weights)
        _block_products(prices, starts[b], starts[b + 1], weights, out)


def _block_products(prices, first, stop, weights, out):
    """``out[j] = sum_w prices[j, w] * weights[w]`` for the candidates ``first`` to ``stop``, column by column (a zero
    weight skipped): the float64 pass of pricing."""
    # the block's part of each column, a contiguous slice looped from 0 (a loop from an offset keeps numba's
    # negative-index checks and a 2-d slice its strides, both in the way of SIMD)
    block_out = out[first: stop]
    for j in range(block_out.shape[0]):
        block_out[j] = 0.0
    for w in range(weights.shape[0]):
        f = weights[w]
        if f != 0.0:
            column = prices[first: stop, w]
            for j in range(column.shape[0]):
                block_out[j] += column[j] * f


def _screen_usable(weights, used, screen_max, lowest, highest):
    """Whether the float32 screen (:func:`_negative_candidates`) is sound for these weights: every weight of a used
    column finite and 0 or within ``lowest`` .. ``highest`` in magnitude (no overflow, no float32 subnormal weight),
    and the largest weight times the largest row sum of the screen's columns (``screen_max``) at most ``highest`` (no
    sum overflows); the largest weight, or -1 where the screen is not sound (then the pass is float64's)."""
    largest = 0.0
    for w in range(weights.shape[0]):
        if used[w]:
            f = abs(weights[w])
            if not f <= highest:        # (also NaN)
                return -1.0
            if f != 0.0 and f < lowest:
                return -1.0
            largest = max(largest, f)
    if largest * screen_max > highest:
        return -1.0
    return largest


def _negative_candidates(prices, screen, used, screen_max, screen_eps, lowest, highest, first, stop, weights,
                         reduced, screen_sums, found):
    """The candidates ``first`` to ``stop`` with a negative reduced cost ``sum_w prices[j, w] * weights[w]``: their
    indices (ascending) in ``found``, their reduced costs in ``reduced`` (elsewhere ``reduced`` is left stale); their
    number.

    Each reduced cost that can be negative is computed exactly as a full float64 pass (:func:`_block_products`)
    computes it, term by term in column order, so the candidates found and their values are that pass's. Which can
    be negative, a float32 screen decides where it is sound (:func:`_screen_usable`; ``screen``: the used columns in
    float32, one row each, then each candidate's sum of their magnitudes ``S_j``): in one pass over the float32 rows,
    eight at a time, ``t_j = sum_w a_jw f_w - screen_eps * max|f| * S_j``; the float32 error of that sum is below
    half of the subtracted term, so ``t_j > 2^-100`` (the floor of float32 underflow) proves ``rc_j > 0`` and only
    the few others (about 2 in 30,000 per pass on hard data) are computed in float64. Where the screen is off
    (``screen`` has no rows) or not sound, every candidate is computed in float64."""
    W = prices.shape[1]
    count = 0
    largest = _screen_usable(weights, used, screen_max, lowest, highest) if screen.shape[0] else -1.0
    if largest < 0.0:
        _block_products(prices, first, stop, weights, reduced)
        block_reduced = reduced[first: stop]
        for j in range(block_reduced.shape[0]):
            if block_reduced[j] < 0.0:
                found[count] = first + j
                count += 1
        return count
    # the float32 rows used (a used column with a nonzero weight) and their weights, then S_j's
    rows = np.empty(W + 1, dtype=np.int64)
    factors = np.empty(W + 1, dtype=np.float32)
    m = 0
    for w in range(W):
        if used[w] and weights[w] != 0.0:
            rows[m], factors[m] = w, np.float32(weights[w])
            m += 1
    rows[m], factors[m] = W, np.float32(-screen_eps * largest)
    m += 1
    # (unsigned slice bounds: with signed ones numba keeps its negative-index checks and the loops lose SIMD)
    first, stop = np.uint64(first), np.uint64(stop)
    t = screen_sums[: stop - first]
    for j in range(t.shape[0]):
        t[j] = 0.0
    g = 0
    while g + 8 <= m:
        c0, c1, c2, c3 = (screen[rows[g]][first: stop], screen[rows[g + 1]][first: stop],
                          screen[rows[g + 2]][first: stop], screen[rows[g + 3]][first: stop])
        c4, c5, c6, c7 = (screen[rows[g + 4]][first: stop], screen[rows[g + 5]][first: stop],
                          screen[rows[g + 6]][first: stop], screen[rows[g + 7]][first: stop])
        f0, f1, f2, f3 = factors[g], factors[g + 1], factors[g + 2], factors[g + 3]
        f4, f5, f6, f7 = factors[g + 4], factors[g + 5], factors[g + 6], factors[g + 7]
        for j in range(t.shape[0]):
            t[j] += (((c0[j] * f0 + c1[j] * f1) + (c2[j] * f2 + c3[j] * f3))
                     + ((c4[j] * f4 + c5[j] * f5) + (c6[j] * f6 + c7[j] * f7)))
        g += 8
    while g + 4 <= m:
        c0, c1, c2, c3 = (screen[rows[g]][first: stop], screen[rows[g + 1]][first: stop],
                          screen[rows[g + 2]][first: stop], screen[rows[g + 3]][first: stop])
        f0, f1, f2, f3 = factors[g], factors[g + 1], factors[g + 2], factors[g + 3]
        for j in range(t.shape[0]):
            t[j] += (c0[j] * f0 + c1[j] * f1) + (c2[j] * f2 + c3[j] * f3)
        g += 4
    while g < m:
        c0, f0 = screen[rows[g]][first: stop], factors[g]
        for j in range(t.shape[0]):
            t[j] += c0[j] * f0
        g += 1
    # the few sums the screen cannot prove positive, found 256 at a time: a count of the clear ones vectorises, a
    # loop that branches on each does not (26 of 40 microseconds per pass over 30,000 candidates)
    floor = np.float32(2.0 ** -100)
    size = t.shape[0]
    for piece in range((size + SCREEN_PIECE - 1) // SCREEN_PIECE):
        lo = piece * SCREEN_PIECE
        part = t[lo: min(lo + SCREEN_PIECE, size)]
        clear = 0
        for j in range(part.shape[0]):
            clear += 1 if part[j] > floor else 0
        if clear == part.shape[0]:
            continue
        for j in range(part.shape[0]):
            if not part[j] > floor:        # (NaN included)
                k = np.int64(first) + lo + j
                rc = 0.0
                for w in range(W):
                    f = weights[w]
                    if f != 0.0:
                        rc += prices[k, w] * f
                if rc < 0.0:
                    reduced[k] = rc
                    found[count] = k
                    count += 1
    return count


def _most_negative(values, chosen, count, max_add):
    """Keep in ``chosen[:count]`` the ``max_add`` candidates of the smallest ``values`` (in candidate order); their
    number."""
    if count <= max_add:
        return count
    order = np.argsort(values[chosen[:count]], kind="mergesort")[:max_add]
    picked = np.sort(chosen[:count][order])
    chosen[:max_add] = picked
    return max_add


def _block_of(starts, j):
    """The block of candidate ``j`` (``starts``: each block's first candidate, then their number)."""
    b = 0
    while j >= starts[b + 1]:
        b += 1
    return b


def _exclude(col_of, own, upper, R, bound):
    """The upper bound ``bound`` (0: excluded; inf: restored) on every block's model column of reference position
    ``own`` (none where -1 or not in the model)."""
    if own >= 0:
        for b in range(col_of.shape[0]):
            col = col_of[b, own]
            if col >= 0:
                upper[R + col] = bound


def _append_columns(A, norms, n, cost, lower, upper, state, x, col_pos, col_block, prices, positions, starts, fills,
                    conv, is_active, col_of, chosen, count):
    """The candidates ``chosen[:count]`` join the LP as columns ``n, n + 1, ...`` (nonbasic at 0, their ``norms``
    set); the new ``n``."""
    R = A.shape[0]
    W = prices.shape[1] - 2
    for c in range(count):
        j = chosen[c]
        p = positions[j]
        b = _block_of(starts, j)
        for r in range(R):
            A[r, n] = 0.0
        for r in range(W):
            if fills[b, r]:
                A[r, n] = prices[j, r]
        if conv[b] >= 0:
            A[conv[b], n] = prices[j, W]
        cost[n] = prices[j, W + 1]
        lower[R + n], upper[R + n] = 0.0, np.inf
        state[R + n], x[R + n] = AT_LOWER, 0.0
        is_active[b, p] = True
        col_of[b, p] = n
        col_pos[n], col_block[n] = p, b
        n += 1
    simplex.column_norms(A, n - count, n, norms)
    return n


def _farkas_candidates(A, n, lower, upper, y, prices, positions, starts, fills, conv, is_active, own, farkas_tol,
                       max_add, weights, products, chosen):
    """The candidates that can break the infeasibility certificate ``y`` of the restricted LP (the kernel's phase-1
    duals), as :meth:`~frontier.engine.restricted.StageSolver._farkas` finds them (at most ``max_add`` per block): in
    ``chosen``, their number; -1 where ``y`` proves nothing (the caller then leaves the LP to HiGHS), 0 where no
    candidate can break it."""
    R = A.shape[0]
    y_max, q_max = 0.0, 0.0
    for r in range(R):
        y_max = max(y_max, abs(y[r]))
    q = np.empty(n)
    for j in range(n):
        s = 0.0
        for r in range(R):
            s += A[r, j] * y[r]
        q[j] = s
        q_max = max(q_max, abs(s))
    ax_max, ax_min, r_min, r_max = 0.0, 0.0, 0.0, 0.0
    for j in range(n):
        qj = q[j]
        if abs(qj) <= 1e-9 * max(1.0, q_max):       # the ray is numerical
            continue
        lo = lower[R + j]       # (a reference column's bounds: 0 and inf, or 0 and 0 for the excluded DMU's)
        up = upper[R + j]
        if qj > 0:
            ax_max += qj * up
            ax_min += qj * lo
        else:
            ax_max += qj * lo
            ax_min += qj * up
    for r in range(R):
        yr = y[r]
        if abs(yr) <= 1e-12 * max(1.0, y_max):
            continue
        if yr > 0:
            r_min += yr * lower[r]
            r_max += yr * upper[r]
        else:
            r_min += yr * upper[r]
            r_max += yr * lower[r]
    if ax_max < r_min:
        sign = 1.0      # (Ax)'y can never reach the rows: columns with a'y > 0 can help
    elif ax_min > r_max:
        sign = -1.0
    else:
        return -1       # (also where a sum is NaN, inf - inf)
    ray = y.copy()
    for r in range(R):
        if abs(ray[r]) <= 1e-12 * max(1.0, y_max):
            ray[r] = 0.0
    _candidate_products(prices, starts, fills, conv, ray, 0.0, weights, products)
    count = 0
    for b in range(starts.shape[0] - 1):
        largest = 0.0
        for j in range(starts[b], starts[b + 1]):
            products[j] = sign * products[j]        # -sign a_j'y: StageSolver._farkas's -qb
            largest = max(largest, abs(products[j]))
        threshold = farkas_tol * max(1.0, largest)
        first = count
        for j in range(starts[b], starts[b + 1]):
            if products[j] < -threshold and not is_active[b, positions[j]] and positions[j] != own:
                chosen[count] = j
                count += 1
        count = first + _most_negative(products, chosen[first:], count - first, max_add)
    return count


def _run_dmus(A, norms, n, cost, lower, upper, head, state, x, Binv, y, d, col_pos, col_block, outcomes,
              dmus, own, extra_matrix, extra_cost, extra_lower, extra_upper, row_lower, row_upper,
              prices, positions, starts, fills, conv, is_active, col_of, screen, screen_used, screen_max, screen_eps,
              pricing_tol, farkas_tol, max_add, cap,
              max_columns, out_own, out_dual, out_obj, nz_ptr, nz_pos, nz_blk, nz_lam, neg_ptr, neg_idx, neg_val,
              iterations_min, iterations_per_size, refactor, bland_after, primal_tol, dual_tol, pivot_tol,
              residual_tol):
    """Solve the LPs of the DMUs ``dmus`` (rows of the batch's patch arrays) one after another on one restricted
    LP of default-layout blocks, each with exact column generation: set the DMU's part of the LP, solve (warm, from
    the previous basis), price every candidate with the duals (the pricing of :class:`RunPricing`), add the
    ``max_add`` most negative eligible ones of each block (not active, not the excluded DMU ``own[t]``) and solve
    again, until none prices in; an infeasible restricted LP is priced with its phase-1 duals (Farkas pricing,
    :func:`_farkas_candidates`). Then it records the answer: the own columns' values clipped to their bounds, the row
    duals, the objective, the nonzero intensities (their reference positions and blocks), and the last pricing's
    negative reduced costs (indices into the candidates, as ``StageSolver._price`` keeps them per block).

    Returns (DMUs done, columns ``n``, why it stopped: ``RUN_*``, or the kernel's status of the LP of
    ``dmus[done]``, which it leaves to the caller: INFEASIBLE where its Farkas pricing adds no column (HiGHS proves
    it or finds the columns), any other with the basis reset)."""
    R = head.shape[0]
    E = extra_cost.shape[1]
    capacity = A.shape[1]
    n_cand = prices.shape[0]
    weights = np.zeros(prices.shape[1])
    reduced = np.empty(n_cand)
    chosen = np.empty(n_cand, dtype=np.int64)
    found = np.empty(n_cand, dtype=np.int64)
    screen_sums = np.empty(n_cand if screen.shape[0] else 0, dtype=np.float32)
    work, rhs, cB, alpha = np.empty((R, R)), np.empty(R), np.empty(R), np.empty(R)
    for t in range(dmus.shape[0]):
        if n - E > cap:
            return t, n, RUN_CAP
        if n > max_columns:
            return t, n, RUN_HANDOFF
        if neg_ptr[t] + n_cand > neg_idx.shape[0]:
            return t, n, RUN_ROOM
        i = dmus[t]
        for r in range(R):
            for e in range(E):
                A[r, e] = extra_matrix[i, r, e]
            lower[r], upper[r] = row_lower[i, r], row_upper[i, r]
        for e in range(E):
            cost[e] = extra_cost[i, e]
            lower[R + e], upper[R + e] = extra_lower[i, e], extra_upper[i, e]
        simplex.column_norms(A, 0, E, norms)
        _exclude(col_of, own[t], upper, R, 0.0)
        while True:
            status, _ = simplex.solve(A, norms, n, cost, lower, upper, head, state, x, Binv, y, work, rhs, cB, alpha,
                                      d, iterations_min + iterations_per_size * (R + n), refactor, bland_after,
                                      primal_tol, dual_tol, pivot_tol, residual_tol)
            outcomes[status] += 1
            if status == OPTIMAL:
                start = neg_ptr[t]
                stored, count = 0, 0
                for b in range(starts.shape[0] - 1):
                    _block_weights(fills, conv, b, y, 1.0, weights)
                    negatives = _negative_candidates(prices, screen, screen_used, screen_max, screen_eps,
                                                     SCREEN_LOWEST, SCREEN_HIGHEST, starts[b], starts[b + 1], weights,
                                                     reduced, screen_sums, found)
                    first = count
                    active = is_active[b]
                    for q in range(negatives):
                        k = found[q]
                        rc, p = reduced[k], positions[k]
                        if p == own[t]:
                            continue
                        neg_idx[start + stored], neg_val[start + stored] = k, rc
                        stored += 1
                        if rc < -pricing_tol and not active[p]:
                            chosen[count] = k
                            count += 1
                    if count - first > max_add:
                        count = first + _most_negative(reduced, chosen[first:], count - first, max_add)
                neg_ptr[t + 1] = start + stored
                if count == 0:
                    break
            elif status == INFEASIBLE:
                count = _farkas_candidates(A, n, lower, upper, y, prices, positions, starts, fills, conv, is_active,
                                           own[t], farkas_tol, max_add, weights, reduced, chosen)
            else:
                count = 0
                simplex.logical_basis(n, head, state)       # the basis is forgotten (KernelLP.solve)
            if count <= 0 or n + count > capacity:
                _exclude(col_of, own[t], upper, R, np.inf)
                return t, n, (status if count <= 0 else RUN_ROOM)
            n = _append_columns(A, norms, n, cost, lower, upper, state, x, col_pos, col_block, prices, positions,
                                starts, fills, conv, is_active, col_of, chosen, count)
        # the answer
        _exclude(col_of, own[t], upper, R, np.inf)
        largest = 0.0
        for j in range(E, n):
            largest = max(largest, x[R + j])
        threshold = 1e-12 * max(1.0, largest)
        at = nz_ptr[t]
        used = 0
        for j in range(E, n):
            if x[R + j] > threshold:
                used += 1
        if at + used > nz_pos.shape[0]:     # (at most R basic intensities: not expected)
            return t, n, RUN_ROOM
        objective = 0.0
        for j in range(n):
            objective += cost[j] * x[R + j]
        out_obj[t] = objective
        for e in range(E):
            out_own[t, e] = min(max(x[R + e], extra_lower[i, e]), extra_upper[i, e])
        for r in range(R):
            out_dual[t, r] = y[r]
        for j in range(E, n):
            if x[R + j] > threshold:
                nz_pos[at], nz_blk[at], nz_lam[at] = col_pos[j], col_block[j], x[R + j]
                at += 1
        nz_ptr[t + 1] = at
    return dmus.shape[0], n, RUN_END


_compiled_run = None
_compile_lock = threading.Lock()


def compiled_run():
    """:func:`_run_dmus` compiled by Numba, with the helpers it calls and the simplex (:func:`~frontier.engine.simplex.
    jit_functions`): on first use in a process numba is imported and the kernel loaded from its cache, or compiled
    once per machine (callers check :func:`use_kernel` first). ``nogil``: the engine's in-process threads solve in
    parallel."""
    global _compiled_run, _candidate_products, _most_negative, _block_of, _exclude, _append_columns
    global _farkas_candidates, _block_weights, _block_products, _screen_usable, _negative_candidates
    if _compiled_run is None:
        with _compile_lock:
            if _compiled_run is None:
                simplex.jit_functions()
                jit = simplex.jit
                _candidate_products, _most_negative = jit(_candidate_products), jit(_most_negative)
                _block_weights, _block_products = jit(_block_weights), jit(_block_products)
                _screen_usable, _negative_candidates = jit(_screen_usable), jit(_negative_candidates)
                _block_of, _exclude = jit(_block_of), jit(_exclude)
                _append_columns, _farkas_candidates = jit(_append_columns), jit(_farkas_candidates)
                _compiled_run = jit(_run_dmus)
    return _compiled_run


def load() -> None:
    """Make the kernel ready in this process (numba imported, the kernel's compiled run compiled or loaded from
    numba's cache and run once, with the array layouts of real work, two rows at least, since a one-row matrix would
    be typed C-contiguous and load another signature), so that the first unit of work a call times (the pool's rule,
    :func:`~frontier.engine.pool.map_units`) measures its LPs, not this one-off cost. Only the run: the per-LP solve
    (:meth:`KernelLP.solve`, a DMU the run hands back, a stage of declared layouts) loads on its first use, about
    0.01 s of CPU, which the SBM family's and radial models' calls never pay (their runs finish every DMU on ordinary
    data), and the dense batch's loop (:mod:`~frontier.engine.dense_kernel`) likewise."""
    lp = KernelLP(2, 1)
    prices = np.asfortranarray([[1.0, 1.0, 0.0], [2.0, 1.0, 0.0]])      # two candidates: data, convexity, cost
    positions = np.arange(2, dtype=np.int64)
    active, col_of = np.zeros((1, 2), dtype=bool), np.full((1, 2), -1, dtype=np.int64)      # one block
    lp.add_columns(np.array([0, 1]), np.array([[1.0, 1.0]]), np.zeros(1), positions[:1])
    active[0, 0], col_of[0, 0] = True, 1
    patch = BatchPatch(Patch(row_lower=np.array([[-np.inf, 1.0]]), row_upper=np.array([[0.0, 1.0]]),
                             extra_matrix=np.array([[[-1.0], [0.0]]]), extra_cost=np.ones((1, 1)),
                             extra_lower=np.full((1, 1), -np.inf), extra_upper=np.full((1, 1), np.inf)))
    lp.run(np.zeros(1, dtype=np.int64), np.full(1, -1, dtype=np.int64), patch,
           RunPricing(prices, positions, np.array([0, 2], dtype=np.int64), np.ones((1, 1), dtype=bool),
                      np.array([1], dtype=np.int64), active, col_of, *pricing_screen(prices)), 300)


def pricing_screen(prices: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """The float32 screen of the candidates ``prices`` (candidates x columns) that pricing's passes read
    (:func:`_negative_candidates`): per column whether any candidate has a nonzero entry there (``used``), the used
    columns in float32 one row each (all-zero rows for the others), then per candidate the sum of the magnitudes of
    its used entries, and the largest such sum. No rows (every pass in float64) where ``settings.PRICING_SCREEN`` is
    off or an entry's or a sum's magnitude lies outside ``SCREEN_LOWEST`` .. ``SCREEN_HIGHEST``, where float32 would
    not hold it to its relative precision."""
    n, W = prices.shape
    size = np.abs(prices)
    used = size.max(axis=0, initial=0.0) > 0
    sums = size.sum(axis=1)
    largest = float(sums.max(initial=0.0))
    smallest = float(size.min(where=size > 0, initial=np.inf))
    sound = (smallest >= SCREEN_LOWEST or smallest == np.inf) and largest <= SCREEN_HIGHEST    # (NaN: not sound)
    if not (settings.PRICING_SCREEN and sound):
        return np.zeros((0, n), dtype=np.float32), used, largest
    screen = np.zeros((W + 1, n), dtype=np.float32)
    for w in np.flatnonzero(used):
        screen[w] = prices[:, w]
    screen[W] = sums
    return screen, used, largest


def screen_tolerance(columns: int) -> float:
    """The relative margin of pricing's float32 screen over ``columns`` columns: ``4 (columns + 5) 2^-24``, twice the
    float32 rounding error bound of its sums (their terms rounded to float32, the products and the additions), so a
    screened sum above the margin proves the float64 reduced cost positive (:func:`_negative_candidates`)."""
    return 4.0 * (columns + 5) * 2.0 ** -24


def kernel_pays(n_rows: int, n_dmus: int) -> bool:
    """Whether a call that evaluates ``n_dmus`` DMUs in all its jobs, whose LPs have at most ``n_rows`` rows, solves
    them with the kernel: where it can (:func:`use_kernel`) and the call is large enough to repay loading numba in a
    process (``KERNEL_MIN_DMUS``). Decided per call, from its size alone, so a call's answers do not depend on what
    the process ran before."""
    return use_kernel(n_rows) and n_dmus >= settings.KERNEL_MIN_DMUS


def use_kernel(n_rows: int) -> bool:
    """Whether the restricted path solves LPs of ``n_rows`` rows with the kernel: numba is installed, the kernel is
    on (``settings.KERNEL``) and the LP has at most ``settings.KERNEL_ROWS`` rows."""
    return settings.KERNEL and n_rows <= settings.KERNEL_ROWS and _NUMBA


def magnitudes(values: np.ndarray, axes: tuple) -> tuple[np.ndarray, np.ndarray]:
    """The largest and the smallest nonzero finite magnitude of ``values`` over ``axes`` (0 and inf where none)."""
    size = np.abs(values)
    size = np.where(np.isfinite(size), size, 0.0)
    return size.max(axis=axes, initial=0.0), np.where(size > 0, size, np.inf).min(axis=axes, initial=np.inf)


def in_range(reference: tuple[float, float], patch) -> np.ndarray:
    """Per DMU of the batch ``patch`` (:class:`~frontier.engine.certify.BatchPatch`), whether its LP's data (the
    reference columns' magnitudes ``reference``, the own columns' coefficients and the row bounds) span at most
    ``KERNEL_MAX_RANGE``: the kernel computes in the LP's units with fixed tolerances, so badly scaled LPs (data
    spanning 1e-8..1e15) are left to HiGHS, which scales them, and to the robust path behind it."""
    own_hi, own_lo = magnitudes(patch.extra_matrix, (1, 2))
    lo_hi, lo_lo = magnitudes(patch.row_lower, (1,))
    up_hi, up_lo = magnitudes(patch.row_upper, (1,))
    hi = np.maximum.reduce([own_hi, lo_hi, up_hi, np.full(own_hi.shape, reference[0])])
    lo = np.minimum.reduce([own_lo, lo_lo, up_lo, np.full(own_lo.shape, reference[1])])
    return hi <= settings.KERNEL_MAX_RANGE * lo


class KernelLP:
    """The restricted LP of one :class:`~frontier.engine.restricted.StageSolver` as dense arrays, solved by the
    compiled simplex from the basis the previous solve left (see the module docstring)."""

    CAPACITY = 128      # the structural columns a new model has room for (it grows as columns join)

    def __init__(self, n_rows: int, n_extra: int, capacity: int = CAPACITY):
        compiled_run()
        R = n_rows
        self.R, self.E, self.n = R, n_extra, n_extra      # n: structural columns (own first)
        capacity = max(capacity, n_extra + 1)
        self.A = np.zeros((R, capacity))        # row-major: the simplex prices along its rows
        self.norms = np.ones(R + capacity)      # the variables' squared column norms (simplex.column_norms)
        self.cost = np.zeros(capacity)
        self.lower = np.zeros(R + capacity)
        self.upper = np.full(R + capacity, np.inf)
        self.state = np.full(R + capacity, AT_LOWER, dtype=np.int8)
        self.state[:R] = BASIC
        self.head = np.arange(R, dtype=np.int64)
        self.x = np.zeros(R + capacity)
        self.Binv = -np.eye(R)
        self.y = np.zeros(R)
        # the simplex's scratch arrays (simplex.solve)
        self.work, self.rhs, self.cB, self.alpha = np.empty((R, R)), np.empty(R), np.empty(R), np.empty(R)
        self.d = np.empty(R + capacity)
        self.col_pos = np.full(capacity, -1, dtype=np.int64)   # per structural column: its reference position
        self.col_block = np.zeros(capacity, dtype=np.int64)     # ... and its block
        self.iterations = 0
        self.outcomes = np.zeros(6, dtype=np.int64)      # solves ended OPTIMAL, INFEASIBLE, ... (tests read them)

    @property
    def capacity(self) -> int:
        """The structural columns the model has room for."""
        return self.A.shape[1]

    def _grow(self, needed: int) -> None:
        capacity = self.A.shape[1]
        if needed <= capacity:
            return
        new = max(needed, 2 * capacity)
        R = self.R
        A = np.zeros((R, new))
        A[:, :capacity] = self.A
        self.A = A
        self.norms = np.concatenate([self.norms, np.ones(new - capacity)])
        self.d = np.empty(R + new)
        self.cost = np.concatenate([self.cost, np.zeros(new - capacity)])
        self.lower = np.concatenate([self.lower, np.zeros(new - capacity)])
        self.upper = np.concatenate([self.upper, np.full(new - capacity, np.inf)])
        self.state = np.concatenate([self.state, np.full(new - capacity, AT_LOWER, dtype=np.int8)])
        self.x = np.concatenate([self.x, np.zeros(new - capacity)])
        self.col_pos = np.concatenate([self.col_pos, np.full(new - capacity, -1, dtype=np.int64)])
        self.col_block = np.concatenate([self.col_block, np.zeros(new - capacity, dtype=np.int64)])

    def add_columns(self, rows: np.ndarray, values: np.ndarray, costs: np.ndarray,
                    positions: np.ndarray | None = None, block: int = 0) -> None:
        """Append reference columns (nonbasic at 0): their entries ``values`` (columns x len(rows)) in ``rows``;
        ``positions``: their reference positions and ``block`` their block (what :meth:`run` reports the
        intensities by)."""
        k = values.shape[0]
        self._grow(self.n + k)
        first = self.n
        if positions is not None:
            self.col_pos[first: first + k] = positions
            self.col_block[first: first + k] = block
        self.A[np.ix_(rows, np.arange(first, first + k))] = values.T
        simplex.column_norms(self.A, first, first + k, self.norms)
        self.cost[first: first + k] = costs
        R = self.R
        self.lower[R + first: R + first + k] = 0.0
        self.upper[R + first: R + first + k] = np.inf
        self.state[R + first: R + first + k] = AT_LOWER
        self.x[R + first: R + first + k] = 0.0
        self.n += k

    def set_dmu(self, extra_matrix, extra_cost, extra_lower, extra_upper, row_lower, row_upper) -> None:
        """The evaluated DMU's part of the LP: its own columns, their costs and bounds, the row bounds."""
        R, E = self.R, self.E
        self.A[:, :E] = extra_matrix
        simplex.column_norms(self.A, 0, E, self.norms)
        self.cost[:E] = extra_cost
        self.lower[:R], self.upper[:R] = row_lower, row_upper
        self.lower[R: R + E], self.upper[R: R + E] = extra_lower, extra_upper

    def set_column_upper(self, col: int, upper: float) -> None:
        """The upper bound of model column ``col`` (HiGHS's numbering: own columns first)."""
        self.upper[self.R + col] = upper

    def solve(self) -> int:
        """Solve from the current basis; the status (``OPTIMAL`` ... ``INACCURATE``)."""
        status, self.iterations = self._run()
        self.outcomes[status] += 1
        if status != OPTIMAL and status != INFEASIBLE:
            self.reset()
        return status

    def _run(self) -> tuple[int, int]:
        """The compiled simplex on this LP: its status and iterations."""
        return simplex.solve(
            self.A, self.norms, self.n, self.cost, self.lower, self.upper, self.head, self.state, self.x, self.Binv,
            self.y, self.work, self.rhs, self.cB, self.alpha, self.d,
            settings.KERNEL_ITERATIONS_MIN + settings.KERNEL_ITERATIONS_PER_SIZE * (self.R + self.n),
            settings.KERNEL_REFACTOR, settings.KERNEL_BLAND_AFTER, settings.KERNEL_PRIMAL_TOL,
            settings.KERNEL_DUAL_TOL, settings.KERNEL_PIVOT_TOL, settings.KERNEL_RESIDUAL_TOL)

    def run(self, dmus: np.ndarray, own: np.ndarray, patch, pricing: "RunPricing", cap: int) -> "RunAnswers":
        """Solve the LPs of the DMUs ``dmus`` of the batch ``patch`` (:class:`~frontier.engine.certify.BatchPatch`)
        in one compiled loop with exact column generation over the blocks' candidates (:func:`_run_dmus`); ``own``:
        per DMU, the reference position whose column its LP excludes (-1: none); ``cap``: stop once the model has
        more reference columns than this (the caller rebuilds it). The model grows as columns join; what the loop
        leaves (see :class:`RunAnswers`) is the caller's."""
        m, R, E = dmus.size, self.R, self.E
        answers = RunAnswers(m, R, E, pricing.prices.shape[0])
        done, n, why = 0, self.n, RUN_ROOM
        while why == RUN_ROOM:         # room for a pricing round's columns: MAX_ADD_PER_ROUND per block
            self._grow(n + (pricing.starts.size - 1) * settings.MAX_ADD_PER_ROUND + 1)
            rest = answers.view(done)
            done_now, n, why = compiled_run()(
                self.A, self.norms, self.n, self.cost, self.lower, self.upper, self.head, self.state, self.x,
                self.Binv, self.y, self.d, self.col_pos, self.col_block, self.outcomes, dmus[done:], own[done:],
                patch.extra_matrix, patch.extra_cost, patch.extra_lower, patch.extra_upper, patch.row_lower,
                patch.row_upper, pricing.prices, pricing.positions, pricing.starts, pricing.fills, pricing.conv,
                pricing.is_active, pricing.col_of, pricing.screen, pricing.screen_used, pricing.screen_max,
                screen_tolerance(pricing.prices.shape[1]), settings.PRICING_TOL, settings.FARKAS_TOL,
                settings.MAX_ADD_PER_ROUND, cap, settings.KERNEL_MAX_COLUMNS, *rest,
                settings.KERNEL_ITERATIONS_MIN, settings.KERNEL_ITERATIONS_PER_SIZE, settings.KERNEL_REFACTOR,
                settings.KERNEL_BLAND_AFTER, settings.KERNEL_PRIMAL_TOL, settings.KERNEL_DUAL_TOL,
                settings.KERNEL_PIVOT_TOL, settings.KERNEL_RESIDUAL_TOL)
            self.n = n
            answers.keep(done, done_now)
            done += done_now
        answers.done, answers.why = done, why
        return answers

    def reset(self) -> None:
        """Forget the basis: the next solve starts from the logicals."""
        simplex.logical_basis(self.n, self.head, self.state)

    @property
    def values(self) -> np.ndarray:
        """The structural columns' values (HiGHS's ``col_value``)."""
        return self.x[self.R: self.R + self.n].copy()

    @property
    def duals(self) -> np.ndarray:
        """The row duals (HiGHS's ``row_dual``: the objective's derivative with respect to the row's bound)."""
        return self.y.copy()

    @property
    def objective(self) -> float:
        return float(self.cost[: self.n] @ self.x[self.R: self.R + self.n])


@dataclass
class RunPricing:
    """What :meth:`KernelLP.run` prices over, for the blocks of the default layout: every block's candidates one
    after another, their data, convexity coefficient and cost side by side (``prices``, candidates x (data columns +
    2), column-major) and their reference positions; each block's first candidate, then their number (``starts``);
    per block the data columns that fill rows (``fills``, blocks x data columns: column v fills row v) and its
    convexity row (``conv``, -1: none); per block and reference position whether its column is in the model and its
    model column (-1: none), both updated in place as columns join (``is_active``, ``col_of``: blocks x positions);
    the float32 screen of ``prices`` that pricing reads first, the columns it covers and its largest row sum
    (:func:`pricing_screen`)."""

    prices: np.ndarray
    positions: np.ndarray
    starts: np.ndarray
    fills: np.ndarray
    conv: np.ndarray
    is_active: np.ndarray
    col_of: np.ndarray
    screen: np.ndarray
    screen_used: np.ndarray
    screen_max: float


class RunAnswers:
    """The answers of :meth:`KernelLP.run` for its m DMUs, of which the first ``done`` are solved (``why``: why it
    stopped there, ``RUN_END`` or as :func:`_run_dmus`): per DMU the own columns' clipped values (``own``, m x E), the
    row duals (``duals``), the objective, and in CSR form (``*_ptr``) the nonzero intensities (reference positions
    ``nz_pos``, blocks ``nz_blk``, values ``nz_lam``) and the last pricing's negative reduced costs (indices into the
    candidates ``neg_idx``, values ``neg_val``)."""

    def __init__(self, m: int, R: int, E: int, n_cand: int):
        self.own, self.duals, self.objective = np.zeros((m, E)), np.zeros((m, R)), np.zeros(m)
        self.nz_ptr, self.neg_ptr = np.zeros(m + 1, dtype=np.int64), np.zeros(m + 1, dtype=np.int64)
        # (the loop writes every entry before the pointers cover it: np.empty leaves the room of a DMU's negative
        # reduced costs, one per candidate, untouched; zeroing it cost 0.5 ms per run at 100,000 candidates)
        self.nz_pos, self.nz_blk, self.nz_lam = (np.empty(m * R, dtype=np.int64), np.empty(m * R, dtype=np.int64),
                                                 np.empty(m * R))
        self.neg_idx, self.neg_val = np.empty(n_cand + 8 * m, dtype=np.int64), np.empty(n_cand + 8 * m)
        self.n_cand = n_cand
        self.done, self.why = 0, RUN_END

    def view(self, t: int) -> tuple:
        """The output arrays from DMU ``t`` on, for a loop resumed there (its pointers continue the ones before)."""
        return (self.own[t:], self.duals[t:], self.objective[t:], self.nz_ptr[t:], self.nz_pos, self.nz_blk,
                self.nz_lam, self.neg_ptr[t:], self.neg_idx, self.neg_val)

    def keep(self, t: int, count: int) -> None:
        """After a loop that solved ``count`` DMUs from ``t``: make room for the next DMU's negative reduced costs (at
        most one per candidate) and intensities (at most one per row), so a loop resumed there goes on."""
        at = t + count
        if self.neg_ptr[at] + self.n_cand > self.neg_idx.size:
            grow = self.neg_idx.size + self.n_cand
            self.neg_idx = np.concatenate([self.neg_idx, np.zeros(grow, dtype=np.int64)])
            self.neg_val = np.concatenate([self.neg_val, np.zeros(grow)])
        if self.nz_ptr[at] + self.duals.shape[1] > self.nz_pos.size:
            grow = self.nz_pos.size + self.duals.shape[1]
            self.nz_pos = np.concatenate([self.nz_pos, np.zeros(grow, dtype=np.int64)])
            self.nz_blk = np.concatenate([self.nz_blk, np.zeros(grow, dtype=np.int64)])
            self.nz_lam = np.concatenate([self.nz_lam, np.zeros(grow)])
