"""The robust path: DMU ``i``'s LP rescaled (:func:`own_value_scaling`, :func:`equilibrate`), tightly toleranced, its
basis recomputed in exact rationals (:func:`exact_basic_solution`, :func:`exact_simplex`), and infeasible or unbounded
only with a checked certificate (:func:`farkas_certified`, :func:`infeasibility_certificate`, :func:`ray_certified`); over
every reference column for a small reference set, else over a restricted column set grown by exact pricing of every
other column (:func:`solve_robust`)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property

import highspy
import numpy as np

from ..models.base import Stage
from . import settings
from .certify import BatchPatch, Columns, _relative, accepted, column_matrix, held_exact, in_range
from .highs import HINF, MS, RETRY_OPTIONS, engine_threads, new_highs, robust_options, run_highs

def equilibrate(A: np.ndarray, row_fixed: np.ndarray | None = None, passes: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Row and column factors (powers of two, so scaling is exact) that bring the nonzero entries of ``A``
    towards 1: alternately centre each row's and each column's log-range (geometric scaling). Rows where
    ``row_fixed`` is True keep the factor 1 (they have been scaled already)."""
    nonzero = A != 0
    log_a = np.where(nonzero, np.log2(np.where(nonzero, np.abs(A), 1.0)), 0.0)
    free_rows = np.ones(A.shape[0], dtype=bool) if row_fixed is None else ~row_fixed
    row = np.zeros(A.shape[0])
    col = np.zeros(A.shape[1])
    for _ in range(passes):
        for axis, shift in ((1, row), (0, col)):
            M = log_a + row[:, None] + col[None, :]
            top = np.where(nonzero, M, -np.inf).max(axis=axis, initial=-np.inf)
            bottom = np.where(nonzero, M, np.inf).min(axis=axis, initial=np.inf)
            centre = np.where(np.isfinite(top), (np.where(np.isfinite(top), top, 0.0) + np.where(
                np.isfinite(bottom), bottom, 0.0)) / 2.0, 0.0)
            shift -= centre if axis == 0 else np.where(free_rows, centre, 0.0)
    return np.exp2(np.round(row)), np.exp2(np.round(col))


def own_value_scaling(A: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row factors that put the evaluated DMU at 1: row ``r`` is divided by the DMU's own value ``own[r]`` (rounded to
    a power of two) where it is positive (``own``: one value per data row, :func:`own_row_values`); columns are then
    equilibrated with those rows held.

    Every model here is invariant to the units of each variable (SBM's terms divide by the DMU's own values; the
    radial score multiplies them; a direction, a cap and a max-slack cost are per-variable and scale alike), and
    scaling a row never changes an LP, so this is the same LP, well scaled around the point that matters: the
    DMU's own coefficients are 1 and a reference value far below it (a 1e-8 placeholder next to 1e12) is what it
    is, a negligible entry, instead of a tolerance-sized one next to the column mean."""
    d = own.size
    row = np.ones(A.shape[0])
    row[:d] = np.where(own > 0, np.exp2(-np.round(np.log2(np.where(own > 0, own, 1.0)))), 1.0)
    fixed = np.zeros(A.shape[0], dtype=bool)
    fixed[:d] = own > 0
    row_eq, col = equilibrate(A * row[:, None], fixed)
    return row * row_eq, col


def own_row_values(stage: Stage, point: np.ndarray) -> np.ndarray:
    """The evaluated DMU's own value in each data row (what :func:`own_value_scaling` divides by): ``point[:d]`` in
    the default layout; with blocks that declare a row map, the largest ``|M| |point|`` any block puts in the row
    (the DMU's own coefficient there, as one of the reference columns), over every row the maps reach."""
    if not stage.declared_layout:
        return point[: stage.d]
    own = np.zeros(stage.n_rows)
    for block in stage.blocks:
        width = len(block.variables)
        own = np.maximum(own, block.data_magnitudes(point[None, :width], stage.n_rows, stage.d)[0])
    return own


ROBUST_SCALINGS = ("own_value", "geometric", "objective")
# each scaling with the dual, then the primal simplex: on a degenerate, badly scaled LP they end in different bases
ROBUST_ATTEMPTS = [(scaling, strategy) for strategy in (1, 4) for scaling in ROBUST_SCALINGS]


def _reference_columns(stage: Stage, ref: np.ndarray, exclude: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per block, every reference position but ``exclude`` (-1: none), and their costs."""
    positions, costs = [], []
    for block in stage.blocks:
        p = np.arange(ref.shape[0])
        if exclude >= 0:
            p = p[p != exclude]
        positions.append(p)
        costs.append(block.costs(ref)[p])
    return positions, costs


def solve_robust(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, point: np.ndarray,
                 active: list[np.ndarray] | None = None, pricing: list[np.ndarray] | None = None):
    """Solve DMU ``i`` of ``patch`` (its own data ``point``) rescaled, tightly toleranced, and certify the answer;
    the rare path for LPs the fast path could not solve or certify.

    Over every reference column when the reference set has at most ``ROBUST_FULL_COLUMNS`` columns (or no ``active``
    set is given); else over a restricted set, starting from ``active`` (per block, the restricted path's active
    columns) and the DMU's own column, grown until no other column prices in (:class:`_Outside`): an optimum's exact
    duals price every column of ``pricing`` (per block, the stage plan's candidates; default every column), a Farkas
    certificate is checked against every reference column, in rational arithmetic where floating point cannot
    decide. An answer is reported only when no column outside the LP breaks its certificate, so it is the full LP's.

    Each LP is solved by :func:`_solve_columns`: scalings tried in turn (:data:`ROBUST_SCALINGS`), the first answer
    certified in the LP's units returned: an optimum exactly optimal or by :func:`accepted` (relative primal and dual
    errors), an ``"infeasible"`` by a Farkas certificate checked exactly and never for a stage the model guarantees
    feasible (:meth:`Stage.always_feasible`), an ``"unbounded"`` by a primal ray and a feasible point
    (:func:`ray_certified`). Returns ``(status, objective, Columns | None)``; when no answer can be certified within
    ``ROBUST_SECONDS`` the status is ``"numerical_error"`` (NaN, never a number).
    """
    excluded = own if stage.exclude_self and own >= 0 else -1
    every = [_without(np.arange(ref.shape[0]), excluded) for _ in stage.blocks]
    if active is None or ref.shape[0] * len(stage.blocks) <= settings.ROBUST_FULL_COLUMNS:
        columns, priced = every, every
    else:
        mine = np.array([own] if own >= 0 else [], dtype=np.int64)
        columns = [_without(np.union1d(np.asarray(a, dtype=np.int64), mine), excluded) for a in active]
        priced = every if pricing is None else [_without(np.asarray(p, dtype=np.int64), excluded) for p in pricing]
    outside = _Outside(stage, ref, every, priced, restricted=columns is not every)
    deadline = time.monotonic() + settings.ROBUST_SECONDS
    while True:
        answer, more = _solve_columns(stage, ref, patch, i, own, point, columns, outside, deadline)
        if more is None or time.monotonic() >= deadline:
            return answer if more is None else ("numerical_error", np.nan, None)
        columns = [np.union1d(c, m) for c, m in zip(columns, more)]


def _without(positions: np.ndarray, excluded: int) -> np.ndarray:
    """``positions`` but ``excluded`` (-1: none)."""
    return positions[positions != excluded] if excluded >= 0 else positions


def _solve_columns(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, point: np.ndarray,
                   columns: list[np.ndarray], outside: "_Outside", deadline: float):
    """DMU ``i``'s LP over the reference ``columns`` (per block), solved and certified as :func:`solve_robust` says.

    Returns ``(answer, None)`` with ``answer`` the ``(status, objective, Columns | None)`` of the full LP, or
    ``(None, more)`` when columns outside the LP break the certificate of an answer (per block, the positions to
    add: an exact optimum's negative reduced costs, a float optimum's beyond ``OPTIMALITY_TOL``, a Farkas ray's
    columns that could meet the rows)."""
    E = stage.n_extra_cols
    lp, every_pos, every_blk = dmu_lp(stage, ref, patch, i, own, columns)
    # a max-slack answer held to its score's exactness (certify.primal_tolerance) is solved exactly: the fixed score
    # free within its rounding, optimised first by the score stage's own cost (so it takes its exact optimum), then
    # the slacks over that face; from HiGHS's basis, pivoted on in rationals (exact_simplex), else the slack basis
    exact_only = stage.detail and patch.score_cost is not None and held_exact(patch.primal_tol[i])
    score_first = None
    if exact_only:
        lp = _with_rounding_room(lp, E, patch.score_accuracy[i])
        score_first = np.concatenate([patch.score_cost[i], np.zeros(every_pos.size)])
    A = lp.A
    feasible = stage.always_feasible(in_reference(stage, own))
    for scaling, strategy in ROBUST_ATTEMPTS:
        if time.monotonic() >= deadline:
            break
        if scaling == "own_value":
            row_factor, col_factor = own_value_scaling(A, own_row_values(stage, point))
        else:
            row_factor, col_factor = equilibrate(np.vstack([A, lp.cost]) if scaling == "objective" else A)
            row_factor = row_factor[: A.shape[0]]
        status, x, objective, row_dual, basis = _solve_scaled(lp, row_factor, col_factor, strategy, deadline,
                                                              prove=not feasible)
        if status == "optimal":
            answers = [(x, objective, row_dual, None)]
            exact = _exact_answer(lp, basis, score_first, pivot=outside.restricted)
            if exact is not None:
                answers.insert(0, exact)
            for x, objective, row_dual, levels in answers:
                if levels is not None:       # exactly optimal over the LP's columns: exactly over all, or more
                    more = outside.breaking(columns, levels)
                    if more is not None:
                        return None, more
                cols = _columns(stage, patch, i, x, row_dual, every_pos, every_blk)
                if levels is not None and in_range(stage, np.array([own]), np.array([objective]))[0]:
                    return ("optimal", objective, cols), None
                if accepted(stage, ref, patch, i, own, objective, cols, row_dual, outside.candidates):
                    return ("optimal", objective, cols), None
                more = outside.violating(columns, row_dual)
                if more is not None:
                    return None, more
        elif status == "infeasible" and feasible:
            continue     # only the LP as rounded can be (a max-slack stage's fixed score), never the model's
        elif status == "infeasible":          # row_dual: the certificate, checked against the LP's columns
            more = outside.breaking(columns, [(False, *row_dual)])
            return (("infeasible", np.nan, None), None) if more is None else (None, more)
        elif status == "unbounded":           # a ray of the LP is one of any LP with more columns
            return ("unbounded", np.nan, None), None
    if (exact_only or outside.restricted) and np.isfinite(lp.col_lo).all():
        # HiGHS found no basis under any scaling (a score of 1e7 on coefficients of 1e-17): the exact simplex from
        # the slack basis (every column at its lower bound, every row basic), with a phase 1
        slack_basis = (np.full(A.shape[1], AT_LOWER), np.full(A.shape[0], BASIC))
        exact = (_exact_max_slack(lp, slack_basis, score_first) if exact_only
                 else _exact_answer(lp, slack_basis, None, pivot=True))
        if exact is not None and exact[3] is not None:
            more = outside.breaking(columns, exact[3])
            if more is not None:
                return None, more
            if in_range(stage, np.array([own]), np.array([exact[1]]))[0]:
                return ("optimal", exact[1], _columns(stage, patch, i, exact[0], exact[2], every_pos, every_blk)), None
    return ("numerical_error", np.nan, None), None


def _exact_answer(lp: "_LP", basis: tuple, score_first: np.ndarray | None, pivot: bool = False):
    """HiGHS's optimal ``basis`` of ``lp`` recomputed in rationals: ``(x, objective, row_dual, levels)``, ``levels``
    the exact duals that prove it optimal (:meth:`_Outside.breaking`) or None when it is optimal only within
    tolerances; with ``score_first`` (a max-slack LP) its exact lexicographic optimum (:func:`_exact_max_slack`).
    With ``pivot`` (a restricted LP of at most ``ROBUST_EXACT_COLUMNS`` columns, where rational pivots are cheap) a
    basis that is not exactly optimal, or not even feasible (HiGHS's answer on data its tolerances cannot hold), is
    pivoted on to one that is (:func:`exact_simplex`). None when the basis is singular or the pivots fail."""
    if score_first is not None:
        lexicographic = _exact_max_slack(lp, basis, score_first)
        if lexicographic is not None:
            return lexicographic
    exact = _basic_solution(lp, *basis)
    if (exact is None or not exact[3]) and pivot and lp.A.shape[1] <= settings.ROBUST_EXACT_COLUMNS:
        polished = exact_simplex(lp, *basis, max_pivots=settings.EXACT_PIVOTS)
        exact = (_basic_solution(lp, *polished) if polished is not None else None) or exact
    if exact is None:
        return None
    x, objective, row_dual, exactly_optimal, y = exact
    return x, objective, row_dual, [(True, row_dual, y)] if exactly_optimal else None


class _Outside:
    """The reference columns outside a restricted robust LP, priced against an answer's certificate.

    ``priced``: per block, the positions an optimum must price (every column, or the stage plan's candidates: the
    dominance screen and the frame are exact); a Farkas certificate is checked against every reference column
    (``every``: the reference set but the excluded DMU). Their reduced costs ``c_j - a_j'y`` are one product of the
    data with the duals carried to the data columns, decided in floating point with a rigorous error bound and, where
    that leaves the sign open, in rational arithmetic on those columns' coefficients (:meth:`_signs`); no dense
    matrix of the whole reference set is formed. ``restricted``: the LP holds fewer than every column."""

    def __init__(self, stage: Stage, ref: np.ndarray, every: list[np.ndarray], priced: list[np.ndarray],
                 restricted: bool = False):
        self.stage, self.ref, self.every, self.priced, self.restricted = stage, ref, every, priced, restricted

    @cached_property
    def costs(self) -> list[np.ndarray]:
        """Per block, every reference column's cost."""
        return [block.costs(self.ref) for block in self.stage.blocks]

    @cached_property
    def candidates(self) -> list[tuple]:
        """Per block, the priced positions and their data rows (what :func:`accepted` prices)."""
        n = self.ref.shape[0]
        return [(p, self.ref if p.size == n else np.ascontiguousarray(self.ref[p])) for p in self.priced]

    @cached_property
    def abs_ref(self) -> np.ndarray:
        """``|ref|`` (the reference data themselves when non-negative, as they are after validation)."""
        return self.ref if (self.ref >= 0).all() else np.abs(self.ref)

    def _outside(self, b: int, columns: list[np.ndarray], every: bool) -> np.ndarray:
        """Block ``b``'s positions not in ``columns``: of ``priced``, or with ``every`` of the reference set but the
        excluded DMU."""
        mask = np.zeros(self.ref.shape[0], dtype=bool)
        mask[(self.every if every else self.priced)[b]] = True
        mask[columns[b]] = False
        return np.flatnonzero(mask)

    def _reduced(self, b: int, pos: np.ndarray, y: np.ndarray, with_costs: bool) -> tuple[np.ndarray, np.ndarray]:
        """For block ``b``'s columns ``pos``: ``c_j - a_j'y`` in floating point (``-a_j'y`` without costs) and the
        magnitude of its terms ``|c_j| + |a_j|'|y|`` (with a row map, the upper bound ``|data_j|'|M|'|y|``), from
        the data and the duals carried to the data columns (:meth:`ReferenceBlock.dual_weights`), the reference set
        in one product where most of it is asked."""
        stage, block = self.stage, self.stage.blocks[b]
        conv = stage.convexity_row_of(block)
        y_conv = y[conv] if conv >= 0 else 0.0
        whole = pos.size > self.ref.shape[0] // 2
        data, abs_data = (self.ref, self.abs_ref) if whole else (self.ref[pos], self.abs_ref[pos])
        q = data @ block.dual_weights(y, stage.d) + y_conv
        size = abs_data @ block.dual_magnitudes(np.abs(y), stage.d) + abs(y_conv)
        if whole:
            q, size = q[pos], size[pos]
        if not with_costs:
            return -q, size
        cost = self.costs[b][pos]
        return cost - q, size + np.abs(cost)

    def _signs(self, b: int, pos: np.ndarray, with_costs: bool, y_float: np.ndarray,
               y_exact: list) -> tuple[np.ndarray, np.ndarray]:
        """The exact sign (-1, 0, 1) of ``c_j - a_j'y`` (:meth:`_reduced`) for the exact duals ``y_exact``
        (Fractions, one per row; ``y_float`` their rounding) and its float value relative to its terms: decided in
        floating point where the value exceeds a rigorous bound on its error (the duals' rounding, the products' and
        sums' rounding, underflow), exactly 0 where every term is 0, in rational arithmetic elsewhere
        (:func:`_exact_signs` on those columns' coefficients, :func:`column_matrix`)."""
        d, size = self._reduced(b, pos, y_float, with_costs)
        width = self.ref.shape[1] + len(y_float) + 2
        bound = 4.0 * width * np.finfo(float).eps * size + 1e-300
        sign = np.where(d >= bound, 1, np.where(d <= -bound, -1, 0))
        underflow = any(f == 0 and y != 0 for f, y in zip(y_float, y_exact))    # a dual below the floats' range
        open_ = np.flatnonzero((sign == 0) & ((size > 0) | underflow))
        if open_.size:
            A = column_matrix(self.stage, self.ref, pos[open_], np.full(open_.size, b))
            cost = self.costs[b][pos[open_]] if with_costs else np.zeros(open_.size)
            sign[open_] = _exact_signs(A, cost, y_exact)
        return sign, d / (size + 1e-300)

    def breaking(self, columns: list[np.ndarray], levels: list[tuple]) -> list[np.ndarray] | None:
        """Per block, the columns outside ``columns`` that break an exact certificate, or None if none does.

        ``levels``: ``(with_costs, y_float, y_exact)`` per objective, lexicographically: a column breaks it when its
        exact ``c_j - a_j'y`` (``-a_j'y`` without costs) is negative at some level and zero at every level before.
        An optimum has one level (its duals), a max-slack optimum two (the score's, then the slacks'), a Farkas
        certificate one without costs, signed so that a column with ``a_j'y > 0`` breaks it; those are checked
        against every reference column."""
        farkas = not levels[0][0]
        found = [[] for _ in columns]
        for b in range(len(columns)):
            pos = self._outside(b, columns, every=farkas)
            for with_costs, y_float, y_exact in levels:
                if not pos.size:
                    break
                sign, relative = self._signs(b, pos, with_costs, y_float, y_exact)
                if (sign < 0).any():
                    found[b].append((pos[sign < 0], relative[sign < 0]))
                pos = pos[sign == 0]
        return self._strongest(found)

    def violating(self, columns: list[np.ndarray], row_dual: np.ndarray) -> list[np.ndarray] | None:
        """Per block, the columns outside ``columns`` whose reduced cost under a float answer's duals is negative
        beyond ``OPTIMALITY_TOL`` of its terms (those the certificate refuses), or None if none is."""
        found = [[] for _ in columns]
        for b in range(len(columns)):
            pos = self._outside(b, columns, every=False)
            d, size = self._reduced(b, pos, row_dual, True)
            relative = d / (size + 1e-300)
            hit = relative < -settings.OPTIMALITY_TOL
            if hit.any():
                found[b].append((pos[hit], relative[hit]))
        return self._strongest(found)

    @staticmethod
    def _strongest(found: list[list[tuple]]) -> list[np.ndarray] | None:
        """Per block, at most ``MAX_ADD_PER_ROUND`` of the positions found, the most negative first."""
        if not any(found):
            return None
        more = []
        for parts in found:
            pos = np.concatenate([p for p, _ in parts]) if parts else np.zeros(0, dtype=np.int64)
            key = np.concatenate([k for _, k in parts]) if parts else np.zeros(0)
            if pos.size > settings.MAX_ADD_PER_ROUND:
                pos = pos[np.argpartition(key, settings.MAX_ADD_PER_ROUND)[: settings.MAX_ADD_PER_ROUND]]
            more.append(np.sort(pos))
        return more


def _exact_signs(A: np.ndarray, cost: np.ndarray, y_exact: list) -> np.ndarray:
    """The sign (-1, 0, 1) of each column's ``cost_j - a_j'y`` for the duals ``y_exact`` (Fractions, one per row), in
    rational arithmetic (the columns' floats are exact rationals)."""
    F = Fraction
    used = [(int(r), y) for r, y in enumerate(y_exact) if y != 0]
    sign = np.zeros(A.shape[1], dtype=np.int64)
    for j in range(A.shape[1]):
        exact = F(float(cost[j])) - sum((F(float(A[r, j])) * y for r, y in used if A[r, j] != 0), F(0))
        sign[j] = (exact > 0) - (exact < 0)
    return sign


def _exact_max_slack(lp: "_LP", basis: tuple, score_first: np.ndarray):
    """The exact lexicographic optimum of a max-slack LP (the score's own cost first, :func:`exact_simplex`) from
    ``basis``, as :func:`exact_basic_solution` gives it, with the exact duals of both objectives that prove it
    (``levels``, :meth:`_Outside.breaking`; the score's cost is 0 on every reference column); None if the pivots
    fail."""
    duals: list = []
    polished = exact_simplex(lp, *basis, max_pivots=settings.EXACT_PIVOTS, first_cost=score_first, duals=duals)
    exact = exact_basic_solution(lp, *polished) if polished is not None else None
    if exact is None:
        return None
    levels = [(with_costs, np.array([float(v) for v in y]), y) for with_costs, y in zip((False, True), duals)]
    return (*exact[:3], levels)


def _columns(stage: Stage, patch: BatchPatch, i: int, x: np.ndarray, row_dual: np.ndarray, every_pos: np.ndarray,
             every_blk: np.ndarray) -> Columns:
    """A robust solution ``x`` of DMU ``i``'s LP (:func:`dmu_lp`) as :class:`Columns`, clipped to the bounds."""
    E = stage.n_extra_cols
    lam = x[E:]
    nz = np.flatnonzero(lam > 0)
    duals = row_dual if stage.keep_duals else None
    return Columns(x[:E], every_pos[nz], every_blk[nz], lam[nz], duals).clipped(patch, i)


def _with_rounding_room(lp: "_LP", n_own: int, accuracy: float) -> "_LP":
    """``lp`` with each fixed own column (a max-slack stage's score) free within the accuracy of its value: the
    larger of ``accuracy`` (the relative primal error the score stage's answer was certified to) and
    ``OPTIMALITY_TOL`` (its dual side), times ``max(|value|, 1)``, at least two units in the last place. The value is
    the score stage's optimum rounded to a float, or a float answer within that accuracy, which can cut the exact LP
    off: the exact max-slack LP with the rounded score of a badly scaled DMU is infeasible. The exact solve takes the
    score at its exact optimum within this room first (:func:`_exact_max_slack`), so the room is never spent on
    slacks, and a wider room only makes an exact answer likelier."""
    value = lp.col_lo[:n_own]
    fixed = (value == lp.col_up[:n_own]) & np.isfinite(value)
    relative = max(accuracy, settings.OPTIMALITY_TOL) if np.isfinite(accuracy) else settings.VERIFY_TOL
    room = np.maximum(relative * np.maximum(np.abs(value), 1.0), 2.0 * np.spacing(np.abs(value)))
    room = np.where(fixed, room, 0.0)
    col_lo, col_up = lp.col_lo.copy(), lp.col_up.copy()
    col_lo[:n_own] -= room
    col_up[:n_own] += room
    return _LP(lp.A, lp.cost, col_lo, col_up, lp.row_lo, lp.row_up)


def in_reference(stage: Stage, own: int) -> bool:
    """Whether the evaluated DMU (at reference position ``own``, -1 if absent) is one of its LP's columns."""
    return own >= 0 and not stage.exclude_self


def dmu_lp(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int,
           columns: list[np.ndarray] | None = None):
    """DMU ``i``'s LP of ``stage`` as a dense :class:`_LP`, over the reference positions ``columns`` (per block;
    default every reference column but the DMU itself where the stage excludes it); with the columns' reference
    positions and blocks."""
    if columns is None:
        columns = _reference_columns(stage, ref, own if stage.exclude_self and own >= 0 else -1)[0]
    every_pos = np.concatenate(columns).astype(np.int64)
    every_blk = np.concatenate([np.full(p.size, b) for b, p in enumerate(columns)])
    costs = [block.costs(ref)[p] if p.size else np.zeros(0) for block, p in zip(stage.blocks, columns)]
    A = np.hstack([patch.extra_matrix[i], column_matrix(stage, ref, every_pos, every_blk)])
    lp = _LP(A, np.concatenate([patch.extra_cost[i]] + costs),
             np.concatenate([patch.extra_lower[i], np.zeros(every_pos.size)]),
             np.concatenate([patch.extra_upper[i], np.full(every_pos.size, np.inf)]),
             patch.row_lower[i], patch.row_upper[i])
    return lp, every_pos, every_blk


def infeasible_certified(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, ray) -> bool:
    """Whether a fast-path "infeasible" stands: the stage does not guarantee a feasible LP
    (:meth:`Stage.always_feasible`) and the restricted model's dual ray ``ray`` is a Farkas certificate of DMU
    ``i``'s LP with every reference column, checked exactly: :func:`farkas_certified` of the LP's own columns, and
    no reference column with ``a_j'y > 0`` for the sign that holds (:meth:`_Outside.breaking`: no dense
    matrix of the whole reference set). Otherwise the LP goes to the robust path, which proves infeasibility or
    reports ``"numerical_error"``."""
    if ray is None or stage.always_feasible(in_reference(stage, own)):
        return False
    y = np.asarray(ray, dtype=float)
    if not np.isfinite(y).all() or not y.any():
        return False
    no_columns = [np.zeros(0, dtype=np.int64) for _ in stage.blocks]
    lp = dmu_lp(stage, ref, patch, i, own, no_columns)[0]
    excluded = own if stage.exclude_self and own >= 0 else -1
    every = [_without(np.arange(ref.shape[0]), excluded) for _ in stage.blocks]
    outside = _Outside(stage, ref, every, every)
    return any(_farkas_exact(lp, signed) and outside.breaking(no_columns, [(False, signed, _fractions(signed))]) is None
               for signed in (y, -y))


def _fractions(v: np.ndarray) -> list:
    """The floats ``v`` as exact rationals."""
    return [Fraction(float(x)) for x in v]


BASIC, AT_LOWER, AT_UPPER = (int(highspy.HighsBasisStatus.kBasic), int(highspy.HighsBasisStatus.kLower),
                                      int(highspy.HighsBasisStatus.kUpper))


def _solve_exact(M: list[list[Fraction]], rhs: list[Fraction]) -> list[Fraction] | None:
    """The solution of the square system ``M z = rhs`` in rational arithmetic, None if ``M`` is singular."""
    k = len(M)
    T = [row[:] + [b] for row, b in zip(M, rhs)]
    for c in range(k):
        pivot = next((r for r in range(c, k) if T[r][c] != 0), None)
        if pivot is None:
            return None
        T[c], T[pivot] = T[pivot], T[c]
        for r in range(k):
            if r != c and T[r][c] != 0:
                f = T[r][c] / T[c][c]
                T[r] = [a - f * b for a, b in zip(T[r], T[c])]
    return [T[r][k] / T[r][r] for r in range(k)]


def exact_basic_solution(lp: "_LP", col_status: np.ndarray, row_status: np.ndarray):
    """The primal and dual solution of a simplex basis, computed in exact rational arithmetic.

    A floating-point simplex can find the right basis of a badly scaled LP and still report a meaningless
    solution for it (a 3e-20 coefficient is below what it keeps, so ``t = 0`` looks feasible). The LP's entries
    are floats, hence exact rationals: with the nonbasic columns at their bounds and the nonbasic rows at theirs,
    the basic columns' values and the nonbasic rows' duals solve square systems of the size of the LP's rows
    (:func:`_solve_exact`). The answer is rounded to floats and certified like any other (:func:`accepted`).
    Returns ``(x, objective, row_dual, exactly_optimal)`` (:func:`_exactly_optimal`), or None when the basis is
    singular or rests on an infinite bound.
    """
    exact = _basic_solution(lp, col_status, row_status)
    return None if exact is None else exact[:4]


def _basic_solution(lp: "_LP", col_status: np.ndarray, row_status: np.ndarray):
    """:func:`exact_basic_solution` with the exact row duals (Fractions, one per row) as a fifth element."""
    R, C = lp.A.shape
    basic = np.flatnonzero(col_status == BASIC)
    tight = np.flatnonzero(row_status != BASIC)
    value = _nonbasic_values(lp, col_status)
    row_value = np.array([lp.row_lo[i] if lp.row_lo[i] == lp.row_up[i] or row_status[i] == AT_LOWER else lp.row_up[i]
                          for i in tight])
    if basic.size != tight.size or not (np.isfinite(value).all() and np.isfinite(row_value).all()):
        return None
    F = Fraction
    nonbasic = np.flatnonzero((col_status != BASIC) & (value != 0))
    x_basic = _solve_exact([[F(lp.A[i, j]) for j in basic] for i in tight],
                           [F(b) - sum((F(lp.A[i, j]) * F(value[j]) for j in nonbasic), F(0))
                            for i, b in zip(tight, row_value)])
    y_tight = _solve_exact([[F(lp.A[i, j]) for i in tight] for j in basic], [F(lp.cost[j]) for j in basic])
    if x_basic is None or y_tight is None:
        return None
    x = {int(j): F(value[j]) for j in nonbasic}
    x.update({int(j): v for j, v in zip(basic, x_basic)})
    x_float = value.copy()
    x_float[basic] = [float(v) for v in x_basic]
    exact = _exactly_optimal(lp, col_status, row_status, basic, tight, x, y_tight)
    row_dual = np.zeros(R)
    row_dual[tight] = [float(y) for y in y_tight]
    objective = float(sum((F(lp.cost[j]) * v for j, v in x.items() if lp.cost[j] != 0), F(0)))
    y = [F(0)] * R
    for i, v in zip(tight, y_tight):
        y[int(i)] = v
    return x_float, objective, row_dual, exact, y


def _exactly_optimal(lp, col_status, row_status, basic, tight, x, y_tight) -> bool:
    """Whether a basic solution (exact ``x``, exact duals ``y_tight`` of the nonbasic rows) is exactly optimal: every
    basic column and row within its bounds, every nonbasic row's dual and column's reduced cost of the sign its
    bound allows, in rational arithmetic (no tolerance)."""
    F = Fraction
    for j in basic:
        v = x[int(j)]
        if (np.isfinite(lp.col_lo[j]) and v < F(lp.col_lo[j])) or (np.isfinite(lp.col_up[j]) and v > F(lp.col_up[j])):
            return False
    for i in np.flatnonzero(row_status == BASIC):
        activity = sum((F(lp.A[i, j]) * v for j, v in x.items() if lp.A[i, j] != 0), F(0))
        if (np.isfinite(lp.row_lo[i]) and activity < F(lp.row_lo[i])) or \
                (np.isfinite(lp.row_up[i]) and activity > F(lp.row_up[i])):
            return False
    for i, y in zip(tight, y_tight):
        if lp.row_lo[i] != lp.row_up[i] and (y < 0 if row_status[i] == AT_LOWER else y > 0):
            return False
    used = [(int(i), y) for i, y in zip(tight, y_tight) if y != 0]
    # the reduced costs of the nonbasic columns: in floating point with a rigorous error bound first (a column at
    # its lower bound whose float reduced cost exceeds the bound has an exact one > 0, likewise at the upper bound),
    # in rational arithmetic only for the few the bound leaves undecided (most of a reference set of 10^5 columns
    # is decided in one matrix product instead of 10^5 sums of Fractions)
    nonbasic = np.flatnonzero((col_status != BASIC) & (lp.col_lo != lp.col_up))
    rows = np.array([i for i, _ in used], dtype=np.int64)
    y_float = np.array([float(y) for _, y in used])
    A_used = lp.A[np.ix_(rows, nonbasic)]
    d_float = lp.cost[nonbasic] - y_float @ A_used
    size = np.abs(lp.cost[nonbasic]) + np.abs(y_float) @ np.abs(A_used)
    bound = 4.0 * (rows.size + 2) * np.finfo(float).eps * size + 1e-300 * (np.abs(A_used).sum(axis=0) + 1.0)
    status = col_status[nonbasic]
    sure = ((status == AT_LOWER) & (d_float >= bound)) | ((status == AT_UPPER) & (d_float <= -bound))
    sure |= (lp.cost[nonbasic] == 0) & ~(A_used != 0).any(axis=0)     # exactly 0: no cost, no entry in a used row
    for j in nonbasic[~sure]:
        d = F(lp.cost[j]) - sum((F(lp.A[i, j]) * y for i, y in used if lp.A[i, j] != 0), F(0))
        if (d < 0 and col_status[j] != AT_UPPER) or (d > 0 and col_status[j] != AT_LOWER):
            return False
    return True


def exact_simplex(lp: "_LP", col_status: np.ndarray, row_status: np.ndarray, max_pivots: int = 50,
                  first_cost: np.ndarray | None = None, duals: list | None = None):
    """Primal simplex pivots in rational arithmetic from a floating-point simplex's final basis, until the basis is
    exactly optimal for the LP as given (its floats are exact rationals).

    A float simplex stops at a basis that is optimal within its tolerances; on a degenerate LP the exact reduced
    cost of a nonbasic column may then be -5e-17 instead of 0, so the basis is not exactly optimal and its exact
    dual is no certificate, although a basis one or two pivots away is. Its basis may also be a tolerance outside a
    bound (a max-slack LP on data spanning 1e-8..1e10: a row missed by 4e-10 of its terms, the peer that meets it
    left out): then a phase 1 of the same pivots first minimises the sum of the basic variables' bound violations,
    a violated bound being where a step stops (the variable leaves there, feasible). The LP is taken with a slack
    per row (``A x - s = 0``, ``row_lo <= s <= row_up``); Bland's rule (the lowest index enters, ties leave by the
    lowest index) cannot cycle. With ``first_cost`` the optimum is lexicographic: ``first_cost`` is minimised first,
    then every nonbasic variable it prices nonzero is held at its bound (the rest span its optimal face) and the LP's
    own cost is minimised over that face. Returns HiGHS-coded ``(col_status, row_status)`` of an exactly optimal basis,
    or None when the LP is exactly infeasible, a basis is singular, the LP is unbounded, or ``max_pivots`` run out.
    ``duals`` (a list): receives the exact row duals (Fractions) that prove each objective optimal, in turn (with
    ``first_cost``, those of ``first_cost`` at its optimum, then those of the LP's cost over its optimal face).
    """
    F = Fraction
    R, C = lp.A.shape
    lower = np.concatenate([lp.col_lo, lp.row_lo])
    upper = np.concatenate([lp.col_up, lp.row_up])
    status = np.concatenate([col_status, row_status]).astype(np.int64)
    basis = [int(j) for j in np.flatnonzero(status == BASIC)]
    if len(basis) != R:
        return None
    column_cache: dict[int, list] = {}

    def column(j: int) -> list:          # [A, -I] column j in rationals
        if j not in column_cache:
            column_cache[j] = [F(float(v)) for v in lp.A[:, j]] if j < C else \
                [F(-1) if i == j - C else F(0) for i in range(R)]
        return column_cache[j]

    costs = [[F(float(c)) for c in objective] + [F(0)] * R
             for objective in ([] if first_cost is None else [first_cost]) + [lp.cost]]
    cost = costs.pop(0)

    def nonbasic_value(j: int) -> F:
        fixed_or_lower = lower[j] == upper[j] or status[j] == AT_LOWER
        bound = lower[j] if fixed_or_lower else upper[j] if status[j] == AT_UPPER else 0.0
        return F(float(bound)) if np.isfinite(bound) else F(0)

    def bound_of(j: int, side: np.ndarray) -> F | None:
        return F(float(side[j])) if np.isfinite(side[j]) else None

    for _ in range(max_pivots):
        B = [[column(j)[i] for j in basis] for i in range(R)]
        in_basis = set(basis)
        nonbasic = [j for j in range(C + R) if j not in in_basis]
        values = {j: nonbasic_value(j) for j in nonbasic}
        rhs = [-sum((column(j)[i] * v for j, v in values.items() if v != 0), F(0)) for i in range(R)]
        x_basic = _solve_exact(B, rhs)
        if x_basic is None:
            return None
        lows = [bound_of(j, lower) for j in basis]
        ups = [bound_of(j, upper) for j in basis]
        below = [lo is not None and v < lo for v, lo in zip(x_basic, lows)]
        above = [up is not None and v > up for v, up in zip(x_basic, ups)]
        phase1 = any(below) or any(above)
        # phase 1 prices the sum of violations (a basic variable below its bound costs -1, above +1), phase 2 the LP
        basic_cost = ([F(-1) if b else F(1) if a else F(0) for b, a in zip(below, above)] if phase1
                      else [cost[j] for j in basis])
        y = _solve_exact([list(row) for row in zip(*B)], basic_cost)
        if y is None:
            return None
        entering, priced = None, []
        for j in nonbasic:
            if lower[j] == upper[j]:
                continue
            d = (F(0) if phase1 else cost[j]) - sum((yi * a for yi, a in zip(y, column(j)) if a != 0), F(0))
            at = values[j]
            if (d < 0 and (not np.isfinite(upper[j]) or at < F(float(upper[j])))) or \
                    (d > 0 and (not np.isfinite(lower[j]) or at > F(float(lower[j])))):
                entering, direction = j, (1 if d < 0 else -1)
                break
            if d != 0:
                priced.append(j)
        if entering is None:
            if phase1:
                return None                      # no pivot reduces the violations: exactly infeasible
            if duals is not None:
                duals.append(list(y))
            if costs:                            # optimal for the first cost: on to the next over its optimal face
                for j in priced:
                    lower[j] = upper[j] = float(values[j])
                cost = costs.pop(0)
                continue
            col = np.where(status[:C] == BASIC, BASIC, status[:C])
            return col, status[C:].copy()
        w = _solve_exact(B, column(entering))
        span = upper[entering] - lower[entering]
        step = F(float(span)) if np.isfinite(span) else None
        leaving, leaving_bound = None, None
        for k, (j, v, wk) in enumerate(zip(basis, x_basic, w)):
            change = -direction * wk            # d x_j / d step
            lo, up = lows[k], ups[k]
            if below[k] or above[k]:
                # a violated variable stops the step where it reaches the bound it violates; moving away, never
                if below[k] and change > 0:
                    room, bound = (lo - v) / change, AT_LOWER
                elif above[k] and change < 0:
                    room, bound = (v - up) / -change, AT_UPPER
                else:
                    continue
            elif change < 0 and lo is not None:
                room, bound = (v - lo) / -change, AT_LOWER
            elif change > 0 and up is not None:
                room, bound = (up - v) / change, AT_UPPER
            else:
                continue
            if step is None or room < step or (room == step and leaving is not None and j < basis[leaving]):
                step, leaving, leaving_bound = room, k, bound
        if step is None:
            return None                          # unbounded
        if leaving is None:                      # the entering variable reaches its other bound
            status[entering] = AT_UPPER if direction > 0 else AT_LOWER
            continue
        status[basis[leaving]] = leaving_bound
        status[entering] = BASIC
        basis[leaving] = entering
    return None


def _nonbasic_values(lp: "_LP", col_status: np.ndarray) -> np.ndarray:
    """Each nonbasic column's value: its lower or upper bound by status (a fixed column's bound, 0 if free and
    nonbasic); basic columns get 0 here."""
    fixed = lp.col_lo == lp.col_up
    return np.where(col_status == BASIC, 0.0, np.where(fixed | (col_status == AT_LOWER), lp.col_lo,
                                                       np.where(col_status == AT_UPPER, lp.col_up, 0.0)))


@dataclass
class _LP:
    """``min cost'x  s.t.  row_lo <= A x <= row_up,  col_lo <= x <= col_up`` (dense, the robust path's LP)."""

    A: np.ndarray
    cost: np.ndarray
    col_lo: np.ndarray
    col_up: np.ndarray
    row_lo: np.ndarray
    row_up: np.ndarray


def _box_range(q: np.ndarray, lo: np.ndarray, up: np.ndarray) -> tuple[float, float]:
    """The smallest and largest value of ``q'z`` over the box ``lo <= z <= up`` (infinite bounds allowed)."""
    with np.errstate(invalid="ignore"):
        top = np.where(q > 0, q * up, np.where(q < 0, q * lo, 0.0))
        bottom = np.where(q > 0, q * lo, np.where(q < 0, q * up, 0.0))
    return float(bottom.sum()), float(top.sum())


def farkas_certified(lp: _LP, y: np.ndarray) -> bool:
    """Whether ``y`` (or ``-y``) proves the LP infeasible, exactly: over the column box, ``(A x)'y`` stays below the
    smallest value ``r'y`` takes over the row box (or above the largest).

    The ray's floats are exact rationals, so the proof is for the LP as given, with no tolerance (an LP the model
    guarantees feasible can never pass it; a relative allowance on ``A'y``, which this check once had, turned the
    rounding of a badly scaled ray into a false "infeasible", issue 25 item 1). The many reference columns (bounds
    ``[0, inf)``) are decided in floating point with a rigorous error bound on ``A'y`` where its sign is clear; the
    few others, and every column whose sign the bound leaves open, in rational arithmetic."""
    return _farkas_signed(lp, y) is not None


def _farkas_signed(lp: _LP, y) -> np.ndarray | None:
    """``y`` or ``-y``, whichever :func:`farkas_certified` proves the LP infeasible with (signed so that a column
    with ``a_j'y > 0`` could break it, :meth:`_Outside.breaking`), or None."""
    y = np.asarray(y, dtype=float)
    if not np.isfinite(y).all() or not y.any():
        return None
    return next((signed for signed in (y, -y) if _farkas_exact(lp, signed)), None)


def _farkas_exact(lp: _LP, y: np.ndarray) -> bool:
    """:func:`farkas_certified` for one sign: ``max over the box of (A x)'y < min over the row box of r'y``."""
    F = Fraction
    R = lp.A.shape[0]
    q = lp.A.T @ y
    error = 4.0 * (R + 2) * np.finfo(float).eps * (np.abs(lp.A).T @ np.abs(y)) + 1e-300
    plain = (lp.col_lo == 0) & np.isposinf(lp.col_up)
    if (plain & (q - error > 0)).any():
        return False                       # a column that (A x)'y can grow along without bound
    exact_cols = np.flatnonzero(~plain | (q + error > 0))
    rows = np.flatnonzero(y)
    y_exact = {int(r): F(float(y[r])) for r in rows}
    bound = F(0)          # the largest (A x)'y over the box: 0 from every plain column whose q_j <= 0
    for j in exact_cols:
        qj = sum((F(float(lp.A[r, j])) * y_exact[int(r)] for r in rows if lp.A[r, j] != 0), F(0))
        if qj == 0:
            continue
        limit = lp.col_up[j] if qj > 0 else lp.col_lo[j]
        if not np.isfinite(limit):
            return False
        bound += qj * F(float(limit))
    floor = F(0)          # the smallest r'y over the row box
    for r in rows:
        limit = lp.row_lo[r] if y[r] > 0 else lp.row_up[r]
        if not np.isfinite(limit):
            return False
        floor += y_exact[int(r)] * F(float(limit))
    return bound < floor


def infeasibility_certificate(lp: _LP, row_factor: np.ndarray, col_factor: np.ndarray,
                              deadline: float | None = None) -> list | None:
    """A proof that ``lp`` is infeasible, found exactly when HiGHS's ray is not a certificate (its rounding can break
    one on a badly scaled LP): the phase-1 LP ``min sum(u + v)  s.t.  row_lo <= A x + u - v <= row_up`` (x in its box,
    u, v >= 0; always feasible and bounded) is solved with the same scaling (within ``deadline``, as the LP's own
    solves), and its final basis is recomputed and checked in rational arithmetic (:func:`exact_basic_solution`). An
    exactly optimal basis with a positive exact objective proves that no x meets the rows; its exact row duals
    (returned, Fractions) are the Farkas certificate: a column outside the LP with ``a_j'y > 0`` would price into the
    phase 1 (:meth:`_Outside.breaking`). None when no proof is found."""
    R, C = lp.A.shape
    identity = np.eye(R)
    phase1 = _LP(np.hstack([lp.A, identity, -identity]), np.concatenate([np.zeros(C), np.ones(2 * R)]),
                 np.concatenate([lp.col_lo, np.zeros(2 * R)]), np.concatenate([lp.col_up, np.full(2 * R, np.inf)]),
                 lp.row_lo, lp.row_up)
    factors = np.concatenate([col_factor, 1.0 / row_factor, 1.0 / row_factor])
    status, _, _, _, basis = _solve_scaled(phase1, row_factor, factors, deadline=deadline, prove=False)
    if status != "optimal":
        return None
    exact = _basic_solution(phase1, *basis)
    if exact is not None and not exact[3]:          # optimal within tolerances only: pivot on, exactly
        polished = exact_simplex(phase1, *basis)
        exact = _basic_solution(phase1, *polished) if polished is not None else None
    return exact[4] if exact is not None and exact[3] and exact[1] > 0 else None


def ray_certified(lp: _LP, r: np.ndarray) -> bool:
    """Whether ``r`` is a direction of unbounded descent: it keeps every bound (a component may move towards an
    infinite bound only; each row's ``A r`` relatively 0 on a side with a finite bound) and ``cost'r < 0`` by a
    margin relative to ``sum |cost_j r_j|``."""
    r = np.where(np.abs(r) <= 1e-12 * np.abs(r).max(initial=0.0), 0.0, r)
    if np.any((r < 0) & np.isfinite(lp.col_lo)) or np.any((r > 0) & np.isfinite(lp.col_up)):
        return False
    Ar, size = lp.A @ r, np.abs(lp.A) @ np.abs(r)
    if np.any((Ar < -settings.VERIFY_TOL * size) & np.isfinite(lp.row_lo)) or \
            np.any((Ar > settings.VERIFY_TOL * size) & np.isfinite(lp.row_up)):
        return False
    return bool(lp.cost @ r < -settings.VERIFY_TOL * (np.abs(lp.cost) @ np.abs(r)))


def _solve_scaled(lp: _LP, row_factor: np.ndarray, col_factor: np.ndarray, strategy: int = 1,
                  deadline: float | None = None, prove: bool = True):
    """Solve ``lp`` after scaling rows by ``row_factor`` and columns by ``col_factor`` (and the objective by a
    power of two that brings its largest entry near 1), with :func:`~frontier.engine.highs.robust_options`, every HiGHS call ending by
    ``deadline`` (:func:`time.monotonic`; default ``SOLVE_SECONDS`` from now) at the latest.

    Returns ``(status, x, objective, row_dual, basis)`` in the LP's own units; ``x``, ``row_dual`` and ``basis``
    (HiGHS's column and row basis statuses as integers) are None unless optimal. ``"infeasible"`` and ``"unbounded"``
    are only returned when certified: HiGHS's dual ray checked exactly (:func:`farkas_certified`) or, where it fails,
    the infeasibility proven exactly (:func:`infeasibility_certificate`, unless ``prove`` is False); a primal ray
    with a feasible point (:func:`ray_certified`). Otherwise ``"numerical_error"``. An ``"infeasible"`` comes with
    its certificate in place of ``row_dual``: ``(y_float, y_exact)``, signed so that a column with ``a_j'y > 0``
    could break it (:meth:`_Outside.breaking`).
    """
    if deadline is None:
        deadline = time.monotonic() + settings.SOLVE_SECONDS
    A, cost = lp.A, lp.cost
    top = np.abs(cost * col_factor).max(initial=0.0)
    cost_factor = np.exp2(-np.round(np.log2(top))) if top > 0 else 1.0
    As = (A * row_factor[:, None] * col_factor[None, :]).T       # column-major for addCols
    top = np.abs(As).max(initial=0.0)
    if top > settings.HIGHS_LARGEST_ENTRY:     # every row by the same power of two: the same LP, its entries in HiGHS's range
        shift = np.exp2(-np.ceil(np.log2(top / settings.HIGHS_LARGEST_ENTRY)))
        row_factor, As = row_factor * shift, As * shift
    As[np.abs(As) < settings.HIGHS_SMALLEST_ENTRY] = 0.0
    R, C = A.shape
    h = new_highs()
    for key, value in {"threads": engine_threads(), **robust_options(), "simplex_strategy": strategy}.items():
        h.setOptionValue(key, value)
    rlo, rup = lp.row_lo * row_factor, lp.row_up * row_factor
    h.addRows(R, np.where(np.isinf(rlo), -HINF, rlo), np.where(np.isinf(rup), HINF, rup), 0,
              np.zeros(R, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    col_idx, row_idx = np.nonzero(As)
    starts = np.searchsorted(col_idx, np.arange(C)).astype(np.int32)
    clo, cup = lp.col_lo / col_factor, lp.col_up / col_factor
    h.addCols(C, cost * col_factor * cost_factor, np.where(np.isinf(clo), -HINF, clo),
              np.where(np.isinf(cup), HINF, cup), col_idx.size, starts, row_idx.astype(np.int32), As[As != 0])
    for options in RETRY_OPTIONS[1:] + [None]:   # dual simplex, then primal simplex, then interior point
        ms = run_highs(h, seconds=deadline - time.monotonic())
        if ms in (MS.kOptimal, MS.kInfeasible, MS.kUnbounded, MS.kUnboundedOrInfeasible) or options is None:
            break
        for key, value in options.items():
            h.setOptionValue(key, value)
        h.clearSolver()
    if ms == MS.kOptimal:
        solution = h.getSolution()
        x = np.asarray(solution.col_value, dtype=float) * col_factor
        row_dual = np.asarray(solution.row_dual, dtype=float) * row_factor / cost_factor
        basis = h.getBasis()
        status = (np.array([int(v) for v in basis.col_status]), np.array([int(v) for v in basis.row_status]))
        return "optimal", x, h.getObjectiveValue() / cost_factor, row_dual, status
    if ms in (MS.kInfeasible, MS.kUnboundedOrInfeasible):
        _, has_ray, ray = h.getDualRay()
        signed = _farkas_signed(lp, np.asarray(ray, dtype=float) * row_factor) if has_ray else None
        if signed is not None:
            return "infeasible", None, np.nan, (signed, _fractions(signed)), None
        y = infeasibility_certificate(lp, row_factor, col_factor, deadline) if prove else None
        if y is not None:
            return "infeasible", None, np.nan, (np.array([float(v) for v in y]), y), None
    if ms in (MS.kUnbounded, MS.kUnboundedOrInfeasible):
        _, has_ray, ray = h.getPrimalRay()
        if has_ray and ray_certified(lp, np.asarray(ray, dtype=float) * col_factor) and _feasible(h, lp, col_factor,
                                                                                                  deadline):
            return "unbounded", None, np.nan, None, None
    return "numerical_error", None, np.nan, None, None


def _feasible(h: highspy.Highs, lp: _LP, col_factor: np.ndarray, deadline: float) -> bool:
    """Whether the model in ``h`` has a point that is feasible in ``lp``'s units (solved with zero costs, by
    ``deadline``)."""
    C = lp.A.shape[1]
    h.changeColsCost(C, np.arange(C, dtype=np.int32), np.zeros(C))
    if run_highs(h, seconds=deadline - time.monotonic()) != MS.kOptimal:
        return False
    x = np.clip(np.asarray(h.getSolution().col_value, dtype=float) * col_factor, lp.col_lo, lp.col_up)
    activity, size = lp.A @ x, np.abs(lp.A) @ np.abs(x)
    bound = np.maximum(np.where(np.isfinite(lp.row_lo), np.abs(lp.row_lo), 0.0),
                       np.where(np.isfinite(lp.row_up), np.abs(lp.row_up), 0.0))
    violation = np.maximum(np.maximum(lp.row_lo - activity, activity - lp.row_up), 0.0)
    return bool((_relative(violation, size + bound) <= settings.VERIFY_TOL).all())
