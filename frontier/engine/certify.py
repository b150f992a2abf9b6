"""The certificate every answer passes before it is reported, whichever backend found it: the batch's patch
(:class:`BatchPatch`), solutions (:class:`Columns`, :class:`Stacked`), relative primal and dual errors
(:func:`kkt_violation`), the objective's documented range (:func:`in_range`), and :func:`certified` /
:func:`accepted` over them; and :class:`StageAnswers`, one stage's answers while the backends find them."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from ..models.base import MaxSlackStage, Patch, Stage
from . import settings
from .highs import HINF

class BatchPatch:
    """A :class:`~frontier.models.base.Patch` for k DMUs with what every DMU's solve and certificate derive from it,
    computed once per batch in a few vectorised operations instead of per DMU: the row bounds as HiGHS takes them,
    the magnitude of each row's bounds and of the own columns' coefficients and costs (the certificate's scales), and
    for each DMU what differs from the DMU before it (so the solver patches only that). ``primal_tol`` (k,): the
    largest relative row residual each DMU's answer may have (:func:`primal_tolerance`; ``VERIFY_TOL`` by default);
    ``score_cost`` (k x own columns) and ``score_accuracy`` (k,), a max-slack stage's: the score stage's costs of the
    own columns, which the robust path's exact max-slack solve optimises first, and the accuracy its answer was
    certified to (:func:`~frontier.engine.robust.solve_robust`)."""

    def __init__(self, patch: Patch, primal_tol: np.ndarray | None = None, score_cost: np.ndarray | None = None,
                 score_accuracy: np.ndarray | None = None):
        self.patch = patch
        lo, up = patch.row_lower, patch.row_upper
        self.row_lower, self.row_upper = lo, up
        self.extra_matrix, self.extra_cost = patch.extra_matrix, patch.extra_cost
        self.extra_lower, self.extra_upper = patch.extra_lower, patch.extra_upper
        self.highs_row_lower = np.where(np.isinf(lo), -HINF, lo)
        self.highs_row_upper = np.where(np.isinf(up), HINF, up)
        self.highs_extra_lower = np.where(np.isinf(patch.extra_lower), -HINF, patch.extra_lower)
        self.highs_extra_upper = np.where(np.isinf(patch.extra_upper), HINF, patch.extra_upper)
        self.bound = np.maximum(np.where(np.isfinite(lo), np.abs(lo), 0.0), np.where(np.isfinite(up), np.abs(up), 0.0))
        self.abs_extra_matrix = np.abs(patch.extra_matrix)
        self.abs_extra_cost = np.abs(patch.extra_cost)
        k = lo.shape[0]
        self.primal_tol = np.full(k, settings.VERIFY_TOL) if primal_tol is None else np.asarray(primal_tol, float)
        self.score_cost, self.score_accuracy = score_cost, score_accuracy
        # DMU i >= 1 against DMU i - 1: which of the row bounds, costs and column bounds changed, and which entries of
        # the own columns' coefficients (coeff_changes)
        self.rows_changed = np.ones(k, dtype=bool)
        self.cost_changed = np.ones(k, dtype=bool)
        self.bounds_changed = np.ones(k, dtype=bool)
        if k > 1:
            self.rows_changed[1:] = ((lo[1:] != lo[:-1]) | (up[1:] != up[:-1])).any(axis=1)
            self.cost_changed[1:] = (patch.extra_cost[1:] != patch.extra_cost[:-1]).any(axis=1)
            self.bounds_changed[1:] = ((patch.extra_lower[1:] != patch.extra_lower[:-1])
                                       | (patch.extra_upper[1:] != patch.extra_upper[:-1])).any(axis=1)

    @cached_property
    def coeff_changes(self) -> list:
        """Per DMU i >= 1, the entries of the own columns' coefficients that differ from DMU i - 1's, as (row,
        column, value) triples (None for DMU 0): what HiGHS's warm-started model patches. Computed when first read
        (the dense batch never reads it)."""
        matrix = self.extra_matrix
        dmu, row, col = np.nonzero(matrix[1:] != matrix[:-1])
        value = matrix[dmu + 1, row, col]
        cuts = np.searchsorted(dmu, np.arange(matrix.shape[0]))
        triples = list(zip(row.tolist(), col.tolist(), value.tolist()))
        return [triples[cuts[i - 1]: cuts[i]] if i else None for i in range(matrix.shape[0])]


@dataclass
class Columns:
    """One LP solution: the stage's own column values, the nonzero intensities with their blocks, and the row
    duals when the stage keeps them (optimal for the full LP: column generation stops when no column prices out)."""

    own: np.ndarray
    pos: np.ndarray
    blk: np.ndarray
    lam: np.ndarray
    duals: np.ndarray | None = None

    def clipped(self, patch: Patch | BatchPatch, i: int) -> "Columns":
        """The solution with every variable moved inside its bounds (solvers return them up to a tolerance)."""
        own = np.clip(self.own, patch.extra_lower[i], patch.extra_upper[i])
        return Columns(own, self.pos, self.blk, np.maximum(self.lam, 0.0), self.duals)


def column_matrix(stage: Stage, ref: np.ndarray, pos: np.ndarray, blk: np.ndarray) -> np.ndarray:
    """Coefficients of the reference columns ``pos`` of blocks ``blk`` in every row of ``stage`` (n_rows x columns),
    each block by its layout (:class:`~frontier.models.base.ReferenceBlock`)."""
    A = np.zeros((stage.n_rows, pos.size))
    for b, block in enumerate(stage.blocks):
        at = np.flatnonzero(blk == b)
        A[:, at] = block.data_rows(ref[pos[at]], stage.n_rows, stage.d).T
        conv = stage.convexity_row_of(block)
        if conv >= 0:
            A[conv, at] = 1.0
    return A


def _relative(violation: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """``violation / scale`` (both >= 0), with 0 / 0 = 0 and x / 0 = inf."""
    out = np.divide(violation, scale, out=np.zeros_like(violation), where=scale > 0)
    out[(scale <= 0) & (violation > 0)] = np.inf
    return out


def _row_max_relative(violation: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """Per row, the largest ``violation / scale`` (both >= 0), with 0 / 0 = 0 and x / 0 = inf (``fmax`` skips the
    NaN of 0 / 0 and of a NaN violation; an infinite one counts). Call under ``np.errstate(divide=..., invalid=...)``."""
    return np.fmax.reduce(violation / scale, axis=1, initial=0.0)


@dataclass
class Stacked:
    """Solutions of m DMUs stacked for vectorised checks: the own columns' values (m x E) and the nonzero
    intensities of all m as flat arrays (``seg``: which DMU each belongs to, in order)."""

    own: np.ndarray
    seg: np.ndarray
    pos: np.ndarray
    blk: np.ndarray
    lam: np.ndarray

    @classmethod
    def of(cls, sols: list[Columns], n_extra: int) -> "Stacked":
        counts = np.fromiter((s.pos.size for s in sols), dtype=np.int64, count=len(sols))
        flat = (lambda name, dtype: np.concatenate([getattr(s, name) for s in sols]).astype(dtype, copy=False)
                if sols else np.zeros(0, dtype=dtype))
        own = np.stack([s.own for s in sols]) if sols else np.zeros((0, n_extra))
        return cls(own, np.repeat(np.arange(len(sols)), counts), flat("pos", np.int64), flat("blk", np.int64),
                   flat("lam", float))

    @classmethod
    def joined(cls, parts: list["Stacked"], n_extra: int) -> "Stacked":
        """The solutions of ``parts`` one after another (each part's DMUs renumbered after the parts before it)."""
        if not parts:
            return cls.of([], n_extra)
        offsets = np.cumsum([0] + [part.own.shape[0] for part in parts[:-1]])
        return cls(np.concatenate([part.own for part in parts]),
                   np.concatenate([part.seg + offset for part, offset in zip(parts, offsets)]),
                   *(np.concatenate([getattr(part, name) for part in parts]) for name in ("pos", "blk", "lam")))

    def taken(self, keep: np.ndarray) -> "Stacked":
        """The solutions of the DMUs where ``keep`` (one flag per DMU) holds, renumbered in order."""
        rank = np.cumsum(keep) - 1
        entries = keep[self.seg]
        return Stacked(self.own[keep], rank[self.seg[entries]], self.pos[entries], self.blk[entries],
                       self.lam[entries])

    def split(self, duals: np.ndarray | None = None) -> list[Columns]:
        """Each DMU's solution as one :class:`Columns` (``duals``: their row duals, one row per DMU, or None)."""
        cuts = np.searchsorted(self.seg, np.arange(self.own.shape[0] + 1))
        return [Columns(self.own[r], self.pos[a: b], self.blk[a: b], self.lam[a: b],
                        None if duals is None else duals[r]) for r, (a, b) in enumerate(zip(cuts[:-1], cuts[1:]))]

    def reference_activity(self, stage: Stage, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per DMU and row, ``A lam`` and ``|A| lam`` over the reference columns (m x n_rows); with a block's row
        map, ``|M| |data_j| lam_j`` (the magnitude of the row's terms before they cancel)."""
        m, d = self.own.shape[0], stage.d
        signed, size = np.zeros((m, stage.n_rows)), np.zeros((m, stage.n_rows))
        terms, magnitude = np.zeros((self.pos.size, stage.n_rows)), np.zeros((self.pos.size, stage.n_rows))
        for b, block in enumerate(stage.blocks):
            at = np.flatnonzero(self.blk == b)
            data = ref[self.pos[at]]
            terms[at] = block.data_rows(data, stage.n_rows, d) * self.lam[at, None]
            magnitude[at] = block.data_magnitudes(data, stage.n_rows, d) * self.lam[at, None]
            conv = stage.convexity_row_of(block)
            if conv >= 0:
                terms[at, conv] = magnitude[at, conv] = self.lam[at]
        for r in np.flatnonzero(magnitude.any(axis=0)):
            signed[:, r] = np.bincount(self.seg, weights=terms[:, r], minlength=m)
            size[:, r] = np.bincount(self.seg, weights=magnitude[:, r], minlength=m)
        return signed, size


@dataclass
class NegativeCosts:
    """What pricing found under the final duals of m answers (:meth:`StageSolver._price`, or a compiled run's last
    pricing), flat for all of them: per block, the candidates with a negative reduced cost (``index``: indices into
    the block's pricing set), their values (``value``) and the answer each belongs to (``seg``, ascending);
    ``known`` (m,): whether an answer's are known at all (else the certificate prices every candidate for it)."""

    known: np.ndarray
    seg: list[np.ndarray]
    index: list[np.ndarray]
    value: list[np.ndarray]

    @classmethod
    def of(cls, negatives: list, n_blocks: int) -> "NegativeCosts":
        """From one entry per answer: None (unknown) or, per block, the indices and the values."""
        known = np.array([n is not None for n in negatives], dtype=bool)
        found = [n for n in negatives if n is not None]
        seg, index, value = [], [], []
        for b in range(n_blocks):
            seg.append(np.repeat(np.flatnonzero(known), [n[b][0].size for n in found]).astype(np.int64))
            index.append(np.concatenate([np.zeros(0, dtype=np.int64)] + [n[b][0] for n in found]).astype(np.int64))
            value.append(np.concatenate([np.zeros(0)] + [n[b][1] for n in found]).astype(float))
        return cls(known, seg, index, value)

    @classmethod
    def joined(cls, parts: list["NegativeCosts"], n_blocks: int) -> "NegativeCosts":
        """The answers of ``parts`` one after another (renumbered after the parts before each)."""
        if not parts:
            return cls.of([], n_blocks)
        offsets = np.cumsum([0] + [part.known.size for part in parts[:-1]])
        return cls(np.concatenate([part.known for part in parts]),
                   [np.concatenate([part.seg[b] + offset for part, offset in zip(parts, offsets)])
                    for b in range(n_blocks)],
                   [np.concatenate([part.index[b] for part in parts]) for b in range(n_blocks)],
                   [np.concatenate([part.value[b] for part in parts]) for b in range(n_blocks)])


def kkt_violation(stage: Stage, ref: np.ndarray, patch: BatchPatch, rows: np.ndarray, own: np.ndarray,
                  sols: Stacked, row_duals: np.ndarray, candidates: list[tuple],
                  negatives: NegativeCosts | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Relative primal and dual (optimality) errors of the clipped solutions ``sols`` of DMUs ``rows`` of ``patch``
    (``own``: their positions in the reference set, -1 if absent) with row duals ``row_duals`` (one row each).

    Primal: each row's violation of its bounds relative to the magnitude of its terms ``sum |a_rj x_j| + |bound|``
    (the scale a row's residual is judged on: a row whose terms are all about 1e-20 is judged on its own scale,
    which an absolute tolerance cannot do). A stage that excludes the evaluated DMU (super-efficiency) fails it outright
    if the solution uses that DMU's column.

    Dual: the row duals are first made consistent with the solution (complementary slackness): a dual may be
    positive only on a row at its lower bound and negative only on a row at its upper bound (within the primal
    tolerance, relative), otherwise it is taken as 0. The reduced costs ``d_j = c_j - a_j' y`` of the stage's own
    columns, of every reference column in ``candidates`` (per block: the positions pricing considers and their data
    rows; the evaluated DMU left out when the stage excludes it) and of every used column must then satisfy their
    sign conditions relative to the magnitude of their terms ``|c_j| + sum_r |a_rj y_r|``: a column at its lower
    bound needs ``d >= 0``, at its upper bound ``d <= 0``, strictly between them ``d = 0``; a fixed column needs
    nothing. A reference column not in the solution is at its lower bound 0.

    Both measures are invariant to scaling any row or column, so they mean the same in the LP's units as in the
    user's. Together they say the solution is the exact optimum of an LP whose costs and row bounds differ from
    this one's by that relative amount: a feasible but non-optimal basis (a reduced cost of -1e-12 on terms of
    1e-12, which an absolute tolerance accepts) fails. Reference columns left out of ``candidates`` are the
    dominated ones (:func:`dominance_screen`): a column dominated by another never prices below it.

    Computed for all m DMUs at once, so the certificate costs a few vectorised operations per batch, not per LP.
    ``negatives`` (optional, :class:`NegativeCosts`) holds what pricing already found under the same duals: per
    block, the candidates with a negative reduced cost and their values (:meth:`StageSolver._price`); only those
    are then judged for a DMU whose are known. Elsewhere the candidates' reduced costs are one matrix product per
    block and slice.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        primal, dual, _ = _kkt_violation(stage, ref, patch, rows, own, sols, row_duals, [(0, rows.size, candidates)],
                                         negatives)
    return primal, dual


def row_residuals(patch: BatchPatch, rows: np.ndarray, own_values: np.ndarray, ref_activity: np.ndarray,
                  ref_size: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per DMU ``rows`` of ``patch`` and row, how far the solution lies below the row's lower bound and above its
    upper bound (negative inside), and the magnitude of the row's terms ``sum |a_rj x_j| + |bound|`` (m x n_rows
    each), from the own columns' values ``own_values`` and the reference columns' ``A lam`` and ``|A| lam``
    (:meth:`Stacked.reference_activity`)."""
    E = patch.extra_matrix[rows]
    activity = np.einsum("mre,me->mr", E, own_values) + ref_activity
    magnitude = (np.einsum("mre,me->mr", patch.abs_extra_matrix[rows], np.abs(own_values)) + ref_size
                 + patch.bound[rows])
    return patch.row_lower[rows] - activity, activity - patch.row_upper[rows], magnitude


def primal_error(below: np.ndarray, above: np.ndarray, magnitude: np.ndarray) -> np.ndarray:
    """Per DMU, the largest row violation relative to the magnitude of the row's terms (:func:`row_residuals`)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return _row_max_relative(np.maximum(np.maximum(below, above), 0.0), magnitude)


def primal_tolerance(stage: Stage, previous_accuracy: np.ndarray | None) -> np.ndarray | None:
    """The largest relative row residual (:func:`kkt_violation`) each DMU's answer of ``stage`` may have, given the
    accuracy the previous stage's answer of each was certified to (:func:`certified_accuracy`; NaN: unknown).
    None: ``VERIFY_TOL`` for every DMU.

    A detail stage (the max-slack stage) is the previous stage's LP with its own columns (the score) fixed at the
    previous optimum. After a score certified on the fast path, its rows are met to ``DETAIL_FAST_VERIFY_TOL``
    (1e-9): an optimal face that is a single point at the exact score moves far on a row missed by more (a slack of
    4,009 on a moved input of 4,012, exactly 0, from an output row missed by 5.6e-8 of its terms), and ordinary
    answers miss by 1e-12..3e-11. A score that needed the robust path (its LP defeats HiGHS's tolerances) is exact,
    or close to it, and a max-slack answer within ``VERIFY_TOL`` of its rows can be far from exact: on data spanning
    1e-8..1e10 the score may rest on a peer whose contribution to a row is 7e-10 of the row's terms (or 5e-13, where
    the row is the difference of two large terms, y0 - beta g), and a max-slack solution that leaves it out frees a
    slack of 8.5e7 whose exact value is 0. Its slacks must then be exact: rows met to ``DETAIL_VERIFY_TOL`` (the
    rounding of an exact answer), which a float answer rarely is, so the robust path solves the LP exactly
    (:func:`~frontier.engine.robust.solve_robust`) or reports ``numerical_error``."""
    if not stage.detail or previous_accuracy is None:
        return None
    exact_score = np.isfinite(previous_accuracy) & (previous_accuracy < settings.VERIFY_TOL)
    return np.where(exact_score, settings.DETAIL_VERIFY_TOL, settings.DETAIL_FAST_VERIFY_TOL)


def held_exact(primal_tol):
    """Whether an answer with row tolerance ``primal_tol`` (per DMU, :func:`primal_tolerance`) is held to an exact
    answer's rounding (a max-slack stage whose score needed the robust path): only the robust path's exact solve
    meets that, so neither compiled loop tries it."""
    return np.asarray(primal_tol) <= settings.DETAIL_VERIFY_TOL


def certified_accuracy(below: np.ndarray, above: np.ndarray, magnitude: np.ndarray, robust: np.ndarray) -> np.ndarray:
    """The relative primal error each optimal answer of a stage is certified to: ``VERIFY_TOL`` (the certificate's
    bound) for an answer of the fast path, the answer's own error (:func:`primal_error`) for one of the robust path
    (``robust``), which solves and rounds an exact basis where it can."""
    return np.where(robust, primal_error(below, above, magnitude), settings.VERIFY_TOL)


def _kkt_violation(stage, ref, patch, rows, own, sols, row_duals, groups, negatives):
    """:func:`kkt_violation`, for the LPs of one or several reference sets (``groups``: per reference set ``(first,
    stop, candidates)``, its LPs ``first:stop`` of ``rows`` and their pricing candidates per block), and per LP the
    objective's first-order change were the row bounds moved onto the solution, ``sum_r |y_r| residual_r``."""
    m, d = rows.size, stage.d
    E, abs_E, x = patch.extra_matrix[rows], patch.abs_extra_matrix[rows], sols.own
    below, above, magnitude = row_residuals(patch, rows, x, *sols.reference_activity(stage, ref))
    primal = primal_error(below, above, magnitude)
    if stage.exclude_self:
        # the excluded DMU's column is fixed at 0: any use of it is infinitely infeasible (HiGHS may leave that column
        # basic at a value inside its absolute bound tolerance, the DMU then its own peer)
        on_self = (own[sols.seg] >= 0) & (sols.pos == own[sols.seg]) & (sols.lam > 0)
        primal[sols.seg[on_self]] = np.inf
    tol = settings.VERIFY_TOL * magnitude
    y = np.where(np.where(row_duals > 0, np.abs(below) <= tol, np.abs(above) <= tol), row_duals, 0.0)
    # the own columns: d >= 0 at the lower bound, d <= 0 at the upper, d = 0 between, nothing if fixed
    d_own = patch.extra_cost[rows] - np.einsum("mre,mr->me", E, y)
    violation = np.maximum(np.where(x <= patch.extra_lower[rows], 0.0, d_own),
                           np.where(x >= patch.extra_upper[rows], 0.0, -d_own))
    dual = _row_max_relative(violation, patch.abs_extra_cost[rows] + np.einsum("mre,mr->me", abs_E, np.abs(y)))
    same = (y == row_duals).all(axis=1)
    known = negatives.known & same if negatives is not None else np.zeros(m, dtype=bool)
    for b, block in enumerate(stage.blocks):
        cost_v = np.zeros(ref.shape[1]) if block.cost is None else block.cost
        Y = block.dual_weights(y, d)                        # M' y per data column (the layout's, see ReferenceBlock)
        abs_Y = block.dual_magnitudes(np.abs(y), d)         # |M|' |y|
        conv = stage.convexity_row_of(block)
        y_conv = y[:, conv] if conv >= 0 else np.zeros(m)
        for first, stop, candidates in groups:
            positions, data = candidates[b]
            # every candidate: only a negative reduced cost can violate (an unused column must have d >= 0). Where
            # pricing kept them under these very duals, only those few are judged; elsewhere all are recomputed.
            mine = known[first: stop]
            if mine.any():
                seg = negatives.seg[b]
                take = known[seg] & (seg >= first) & (seg < stop)
                at, index, reduced = seg[take], negatives.index[b][take], negatives.value[b][take]
                terms = (np.einsum("jv,jv->j", data[index], np.abs(cost_v) + abs_Y[at]) + np.abs(y_conv[at]))
                np.fmax.at(dual, at, -reduced / terms)
            rest = np.flatnonzero(~mine) + first
            step = max(1, settings.CERTIFY_ENTRIES // max(positions.size, 1))
            for a in range(0, rest.size if positions.size else 0, step):
                part = rest[a: a + step]
                priced = data @ (cost_v[:, None] - Y[part].T)      # the reduced costs plus y_conv
                if stage.exclude_self:
                    at = np.minimum(np.searchsorted(positions, own[part]), positions.size - 1)
                    hit = np.flatnonzero((own[part] >= 0) & (positions[at] == own[part]))
                    priced[at[hit], hit] = np.inf
                # only these can violate: their terms are computed alone (one flat pass: faster than 2-d nonzero)
                col, lp = np.divmod(np.flatnonzero(priced < y_conv[part]), part.size)
                if col.size:
                    reduced = priced[col, lp] - y_conv[part[lp]]
                    terms = (np.einsum("kv,kv->k", data[col], np.abs(cost_v) + abs_Y[part[lp]])
                             + np.abs(y_conv[part[lp]]))
                    np.fmax.at(dual, part[lp], -reduced / terms)
        # every used column must have d = 0 (the data are non-negative, so |a_j|'|y| is a_j' |y|)
        used = sols.blk == b
        at, data_used = sols.seg[used], ref[sols.pos[used]]
        reduced = data_used @ cost_v - np.einsum("jv,jv->j", data_used, Y[at]) - y_conv[at]
        terms = data_used @ np.abs(cost_v) + np.einsum("jv,jv->j", data_used, abs_Y[at]) + np.abs(y_conv[at])
        np.fmax.at(dual, at, np.abs(reduced) / terms)
    # what moving each row's bound onto the solution moves the objective by, to first order: sum_r |y_r| residual_r
    shift = np.einsum("mr,mr->m", np.abs(y), np.maximum(np.maximum(below, above), 0.0))
    return primal, dual, shift


def certified(stage: Stage, ref: np.ndarray, patch: BatchPatch, rows: np.ndarray, own: np.ndarray,
              objective: np.ndarray, sols: Stacked, row_duals: np.ndarray, candidates: list[tuple],
              negatives: NegativeCosts | None = None) -> np.ndarray:
    """Which of the clipped solutions ``sols`` (of DMUs ``rows`` of ``patch``) are certified optimal: the objective
    inside its documented range (:func:`in_range`) and relative primal and dual errors (:func:`kkt_violation`)
    below the batch's ``primal_tol`` (``VERIFY_TOL``, or for a max-slack stage :func:`primal_tolerance`) and
    ``OPTIMALITY_TOL``; for a stage with a ``relative_objective`` (its score is the objective, judged relative to
    its size), also the objective not lost in the errors of its terms. Three parts bound the objective's error,
    each invariant to scaling rows and columns:

    - the cost side: relative errors of size ``OPTIMALITY_TOL`` leave the objective uncertain by that much of its
      terms ``sum |c_j x_j|`` (an SBM score of 1e-21 that is a tiny difference of terms of 1 is not certified);
    - the own columns' reduced costs, each known to a relative error of its terms ``|c_e| + sum_r |a_re y_r|``:
      the optimum may lie that much per unit lower along the column, over the whole range the model allows it
      (:meth:`Stage.implied_upper`; SBM's t in [0, 1], whose reduced cost 1 - 0.5 - 0.5 left a score of 2.4e-13
      certified where the exact one is 8.0e-14);
    - the rows: ``sum_r |y_r| residual_r``, the objective's first-order change were each row's bound moved onto
      the solution.

    The rows' part alone must be at most ``VERIFY_TOL`` of the objective: the objective of a solution that misses
    rows with large duals is off by that much however exact its reduced costs (a radial score of 1.0000051 whose
    exact value is 1, on data spanning 1e-8..1e12, met every row to 2.6e-8 of its terms under duals of 3e11). And
    the objective is certified if either of two readings holds. With the reduced costs known only to their
    tolerance ``OPTIMALITY_TOL`` (the cost and column parts), the objective is at least ``CANCELLATION_TOL`` of the
    terms, i.e. known to ``OPTIMALITY_TOL / CANCELLATION_TOL`` of itself. Or, with each reduced cost known to the
    error measured (the largest relative dual error, at least the rounding of an ``n_rows``-term sum) and the rows'
    part, the three parts together are at most ``VERIFY_TOL`` of the objective (the accuracy a fast answer is
    reported with, :func:`certified_accuracy`). The second is what certifies a DMU on a large frontier: its score 1
    has degenerate duals of 1e4 and more (any supporting hyperplane scaled up is optimal), whose terms times the
    tolerance swamp the objective though its reduced costs are exact to rounding. An objective certified by
    neither needs the robust path's exact certificate, else it is a ``numerical_error``."""
    ok = in_range(stage, own, objective)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        errors = _kkt_violation(stage, ref, patch, rows, own, sols, row_duals, [(0, rows.size, candidates)], negatives)
    return ok & _within(stage, ref, patch, rows, objective, sols, row_duals, *errors)


def _within(stage, ref, patch, rows, objective, sols, row_duals, primal, dual, shift):
    """The tests of :func:`certified` on the errors :func:`_kkt_violation` measured (``ref``, ``patch`` and
    ``sols.pos`` may hold several reference sets one after another, as :func:`certified_packed` passes them)."""
    ok = (primal <= patch.primal_tol[rows]) & (dual <= settings.OPTIMALITY_TOL)
    if not stage.relative_objective:
        return ok
    cost_terms = np.einsum("me,me->m", patch.abs_extra_cost[rows], np.abs(sols.own))
    for b, block in enumerate(stage.blocks):
        if block.cost is not None:
            used = sols.blk == b
            cost_terms += np.bincount(sols.seg[used], weights=(ref[sols.pos[used]] @ np.abs(block.cost))
                                      * sols.lam[used], minlength=rows.size)
    column_terms = (patch.abs_extra_cost[rows]
                    + np.einsum("mre,mr->me", patch.abs_extra_matrix[rows], np.abs(row_duals)))
    upper = stage.implied_upper(patch.extra_matrix[rows], patch.extra_upper[rows])
    rounding = (patch.extra_matrix.shape[1] + 1) * np.finfo(float).eps
    size = np.abs(objective)
    with np.errstate(invalid="ignore"):
        along_own = np.where(np.isfinite(upper), column_terms * upper, 0.0).sum(axis=1)
        at_tolerance = size >= settings.CANCELLATION_TOL * (cost_terms + along_own)
        measured = (settings.OPTIMALITY_TOL * cost_terms + np.maximum(dual, rounding) * along_own + shift
                    <= settings.VERIFY_TOL * size)
        rows_met = shift <= settings.VERIFY_TOL * size
        return ok & rows_met & (at_tolerance | measured)      # (NaN duals: neither)


def accepted(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, objective: float, cols: Columns,
             row_dual: np.ndarray, candidates: list[tuple], negative: list | None = None) -> bool:
    """:func:`certified` for one solution (DMU ``i`` of ``patch``, at reference position ``own``)."""
    return bool(certified(stage, ref, patch, np.array([i]), np.array([own]), np.array([objective]),
                          Stacked.of([cols], stage.n_extra_cols), row_dual[None, :], candidates,
                          NegativeCosts.of([negative], len(stage.blocks)))[0])


def in_range(stage: Stage, own: np.ndarray, objective: np.ndarray) -> np.ndarray:
    """Whether each ``objective`` is finite and inside the stage's documented range (:meth:`Stage.objective_range`),
    for DMUs at reference positions ``own`` (-1: not in the reference set)."""
    bounds = np.array([stage.objective_range(False), stage.objective_range(True)])
    lo, up = bounds[((np.asarray(own) >= 0) & (not stage.exclude_self)).astype(int)].T
    with np.errstate(invalid="ignore"):
        return (np.isfinite(objective) & (lo - settings.RANGE_TOL * np.maximum(1.0, np.abs(lo)) <= objective)
                & (objective <= up + settings.RANGE_TOL * np.maximum(1.0, np.abs(up))))

@dataclass
class StageAnswers:
    """One stage's answers for k DMUs while they are being found: the batch's patch and, per DMU, the status
    (``"not_solved"`` until an answer is certified or proven), objective, row duals and solution (``sols``, a
    :class:`Columns` each, or for the answers certified at once, by a dense batch or after a HiGHS pass's compiled
    runs, ``bulk``: their rows, ascending, and their solutions as one :class:`Stacked`; :func:`stacked_answers`
    reads both)."""

    patch: BatchPatch
    status: np.ndarray
    objective: np.ndarray
    row_duals: np.ndarray
    sols: list
    bulk: tuple | None = None     # (rows, Stacked): answers certified in one batch, without a Columns each

    def add_bulk(self, rows: np.ndarray, sols: Stacked) -> None:
        """The answers of DMUs ``rows`` (ascending, none in ``bulk`` yet), certified at once, join ``bulk``."""
        self.bulk = (rows, sols) if self.bulk is None else merged_answers([self.bulk, (rows, sols)])

    @classmethod
    def start(cls, stage: Stage, data0: np.ndarray, prev: dict,
              previous_accuracy: np.ndarray | None = None) -> "StageAnswers":
        """No answers yet for the k DMUs ``data0``; ``previous_accuracy``: the accuracy the previous stage's answer of
        each was certified to (what :func:`primal_tolerance` holds a max-slack stage to)."""
        k = data0.shape[0]
        score_cost = stage.score_stage.patch(data0, prev).extra_cost if isinstance(stage, MaxSlackStage) else None
        patch = BatchPatch(stage.patch(data0, prev), primal_tolerance(stage, previous_accuracy), score_cost,
                           previous_accuracy)
        return cls(patch, np.full(k, "not_solved", dtype=object), np.full(k, np.nan),
                   np.full((k, stage.n_rows), np.nan), [None] * k)


def stacked_answers(sols: list, done: np.ndarray, n_extra: int, bulk: tuple | None = None) -> Stacked:
    """The solutions of the DMUs ``done`` (ascending) stacked in that order: each DMU's :class:`Columns` from
    ``sols``, or for the DMUs certified at once (``bulk``: their rows, ascending, all in ``done``, and their
    :class:`Stacked`; :attr:`StageAnswers.bulk`) their entries as they are, in the same order within a DMU."""
    if bulk is None:
        return Stacked.of([sols[i] for i in done], n_extra)
    rows, batch = bulk
    if rows.size == done.size:
        return batch
    others = np.setdiff1d(done, rows, assume_unique=True)
    return merged_answers([bulk, (others, Stacked.of([sols[i] for i in others], n_extra))])[1]


def merged_answers(parts: list[tuple]) -> tuple[np.ndarray, Stacked]:
    """The answers of disjoint sets of DMUs (``(rows, Stacked)`` each, rows ascending) as one: the DMUs ascending,
    each DMU's entries in their order."""
    rows = np.concatenate([part_rows for part_rows, _ in parts])
    order = np.argsort(rows, kind="stable")
    place = np.empty(order.size, dtype=np.int64)        # each DMU's place among all
    place[order] = np.arange(order.size)
    joined = Stacked.joined([part for _, part in parts], parts[0][1].own.shape[1])
    seg = place[joined.seg]
    entries = np.argsort(seg, kind="stable")
    return rows[order], Stacked(joined.own[order], seg[entries], joined.pos[entries], joined.blk[entries],
                                joined.lam[entries])


class JoinedPatch:
    """The DMUs of several :class:`BatchPatch` one after another, with the fields the certificate reads
    (:func:`certified_packed`, :func:`~frontier.engine.kernel.in_range`)."""

    FIELDS = ("row_lower", "row_upper", "extra_matrix", "extra_cost", "extra_lower", "extra_upper", "bound",
              "abs_extra_matrix", "abs_extra_cost", "primal_tol")

    def __init__(self, patches: list[BatchPatch]):
        for name in self.FIELDS:
            setattr(self, name, np.concatenate([getattr(p, name) for p in patches]))


def certified_packed(stage: Stage, ref: np.ndarray, patch: JoinedPatch, rows: np.ndarray, own: np.ndarray,
                     objective: np.ndarray, sols: Stacked, row_duals: np.ndarray, groups: list[tuple]) -> np.ndarray:
    """:func:`certified` for the LPs of several reference sets at once (a packed dense batch: a bootstrap's
    replicates), in one pass instead of one per reference set, with the same tests and tolerances: ``ref`` holds the
    reference sets one after another, ``own`` and ``sols.pos`` are positions in it; ``groups``: per reference set
    ``(first, stop, candidates)``, its LPs ``first:stop`` of ``rows`` and its pricing candidates per block (positions
    in ``ref`` and data rows, :meth:`~frontier.engine.pricing.StagePlan.candidates`), the only columns its LPs are
    priced against."""
    ok = in_range(stage, own, objective)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        errors = _kkt_violation(stage, ref, patch, rows, own, sols, row_duals, groups, None)
    return ok & _within(stage, ref, patch, rows, objective, sols, row_duals, *errors)
