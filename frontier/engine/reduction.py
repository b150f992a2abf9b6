"""The frame of a reference technology: the reference columns that are extreme, found exactly before pricing.

The technology of one :class:`~frontier.models.base.ReferenceBlock` is

    T = { sum_j lambda_j z_j + delta :  lambda >= 0 in the block's convexity set,  delta in the disposal cone D }

with ``z_j`` the column's data in the block's rows, ``D`` the cone of the block's ``sense`` (an input or strongly
disposable bad output may grow, a desirable output may shrink, an equality row -- a weakly disposable bad output --
may not move) and the convexity set ``sum lambda = 1`` (VRS), ``<= 1`` (NIRS), ``>= 1`` (NDRS) or none (CRS). The
*frame* is the smallest set of columns that spans the same T: the columns that are not in T of the others (extreme
points, or extreme rays under CRS), one of each group of duplicates.

Why pricing over the frame is exact
-----------------------------------
A column k outside the frame is ``z_k = sum_j mu_j z_j + delta`` over frame columns, ``mu`` in the convexity set
(``sum mu = 1`` VRS, ``<= 1`` NIRS, ``>= 1`` NDRS, free CRS), ``delta`` in D. Under any row duals ``y`` of a stage
LP its reduced cost is ``rc_k = sum_j mu_j rc_j + (c - y)' delta + y_conv (sum mu - 1)`` with ``c`` the block's
per-variable column cost. The second term is >= 0 by the same fact the dominance screen rests on (a freely
disposable row's dual never rewards more input or less output: moving a column in D never makes it price lower;
the max-slack costs have that sign too), the third is 0 under VRS and >= 0 under NIRS (``y_conv <= 0`` on a ``<=``
row, ``sum mu <= 1``) and NDRS (both signs reversed). So when every frame column prices non-negative, so does every
column: the restricted optimum is the full LP's optimum, for every stage that uses the block (a score stage or a
max-slack stage; the costs only enter through ``c``), and a Farkas ray no frame column breaks is a certificate for
the full LP (a feasible full solution becomes a feasible frame solution by the same substitution). T itself is
unchanged, so scores, slacks and targets are those of the full LP (up to its alternative optima, as before).

The engine uses the VRS frame for every block with a convexity row (a VRS representation keeps that row's sum,
so it is exact whatever bounds the stage puts on it; the NIRS and NDRS frames are subsets, for callers that know the
row's bounds) and the CRS frame otherwise.

Super-efficiency (the evaluated DMU k leaves the reference set)
---------------------------------------------------------------
If k is not a frame column, T without k is T, and the frame serves. If it is, columns k helped to represent may be
needed. ``layers=2`` therefore returns the frame plus every other candidate that does not have two representations
over the frame with disjoint supports ``S1`` and ``S2`` (the second found over the frame without ``S1``): removing
one frame column k leaves one of them intact, so such a column is in T(frame without k) and never needed. For every
excluded k the returned set spans T(all without k) (the frame without k, plus the columns kept for k).

Algorithm (in the spirit of Dula's BuildHull, Dula 2011; Dula & Lopez 2009 for the preprocessing)
-------------------------------------------------------------------------------------------------
Candidates (the dominance screen: the frame is among the non-dominated columns) are tested in order, strongest
first, against the current frame with a small warm-started LP: minimise the total violation ``a >= 0`` of
``sum mu_j q_j - a <= p`` (disposable rows; ``= p`` with two-sided violations on equality rows) with ``mu`` in the
convexity set. Zero (and a verified representation) drops the candidate. A positive optimum gives, through its row
duals, a hyperplane ``g`` with ``g(q) <= 0`` on the current frame's T and ``g(p) > 0``; the candidate maximising ``g``
(per unit of its size under CRS) is outside the current frame's T and joins it; the test is repeated until the
candidate is dropped or joins. Each LP has only the current frame's columns, so the cost is about one small LP per
candidate. A final pass drops any frame member that the others represent (a hyperplane's maximiser can be a
non-extreme point when it ties), so every returned column is needed and every dropped one is certified. That pass
costs one LP over the whole frame per member, so it is skipped for a single-layer frame of more than ``CLEANUP_MAX``
members (measured on a million friendly observations: about 150 ms per member at several thousand members, while the
main pass had tested a million candidates in 11 minutes); the frame is then exact, possibly not minimal.

A single-layer frame of more than ``2 * PART_SIZE`` candidates is found by divide and conquer: the frames of
interleaved parts, then one pass over their union (the frame of a union lies in the union of its parts' frames).

A candidate is only dropped with a representation checked in floating point: every row within ``FRAME_TOL`` of the
magnitude of its terms (rows scaled to unit size), the convexity row likewise; one that fails the check is kept
(keeping is always exact).

The dominance screen (:func:`dominance_screen`) is here too: the frame's candidates are the columns it keeps, and
pricing (:mod:`frontier.engine.pricing`) narrows to either.
"""
from __future__ import annotations

import hashlib

import highspy
import numpy as np

from ..models.base import ReferenceBlock
from . import settings
from .highs import HINF, engine_threads, new_highs, run_highs
from ..options import RTS

def dominance_screen(P: np.ndarray, layers: int = 1, n_strong: int = 128) -> np.ndarray:
    """Positions of the rows of ``P`` (smaller is better in every column) that pricing must consider.

    A row can be left out when it is strictly dominated (<= in every column, < in one) by ``layers``
    distinct rows of a small set of strong rows (the ``n_strong`` smallest by normalised sum): with one
    dominator it never prices below it, and with two it still has a dominator when one of them, the
    evaluated DMU, leaves its own reference set (super-efficiency). The result is a superset of the
    non-dominated rows, found in O(n x n_strong) vectorised comparisons.
    """
    n = P.shape[0]
    if n <= n_strong:
        return np.arange(n)
    span = P.max(axis=0) - P.min(axis=0)
    span[span == 0] = 1.0
    strong = P[np.argsort((P / span).sum(axis=1), kind="stable")[:n_strong]]
    keep = np.ones(n, dtype=bool)
    for a in range(0, n, 2048):
        R = P[a: a + 2048]
        le = np.all(strong[None, :, :] <= R[:, None, :], axis=2)
        lt = np.any(strong[None, :, :] < R[:, None, :], axis=2)
        keep[a: a + 2048] = (le & lt).sum(axis=1) < layers
    return np.flatnonzero(keep)


RTS_SETS = RTS
LP_OPTIONS = {"presolve": "off", "solver": "simplex", "simplex_strategy": 1,
              "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10}


def oriented(ref_data: np.ndarray, block: ReferenceBlock) -> tuple[np.ndarray, np.ndarray]:
    """The block's rows of ``ref_data`` with smaller better in every disposable row (``-sense * value``), the
    equality rows as they are; and the mask of equality rows. Only for the default layout: a block that declares its
    own row map (a continuity row may take one data column with either sign) has no frame here, and pricing takes
    every one of its columns instead (:func:`frontier.engine.pricing.pricing_set`)."""
    if block.declared:
        raise ValueError("the frame is defined for the default layout only; a block with its own row map is priced "
                         "over every column")
    rows = np.flatnonzero(block.variables)
    sense = block.sense[rows]
    P = np.where(sense != 0, -sense, 1.0) * ref_data[:, rows]
    return P, sense == 0


def default_candidates(P: np.ndarray, equality: np.ndarray, layers: int) -> np.ndarray:
    """The dominance screen over the disposable rows when there is no equality row; every column otherwise."""
    if equality.any():
        return np.arange(P.shape[0])
    return dominance_screen(P, layers)


class _HullTest:
    """A warm-started HiGHS model: is a point in T of the columns added so far (those not switched off)?"""

    def __init__(self, Q: np.ndarray, equality: np.ndarray, rts: str):
        self.Q, self.equality, self.rts = Q, equality, rts
        r = Q.shape[1]
        self.r = r
        self.conv = rts != "crs"
        h = new_highs()
        for key, value in {"threads": engine_threads(), **LP_OPTIONS}.items():
            h.setOptionValue(key, value)
        n_rows = r + int(self.conv)
        h.addRows(n_rows, np.full(n_rows, -HINF), np.full(n_rows, HINF), 0, np.zeros(n_rows, dtype=np.int32),
                  np.zeros(0, dtype=np.int32), np.zeros(0))
        if self.conv:
            lo, up = {"vrs": (1.0, 1.0), "nirs": (-HINF, 1.0), "ndrs": (1.0, HINF)}[rts]
            h.changeRowBounds(r, lo, up)
        # violations: -1 on every row (sum mu q - a <= p), +1 on equality rows (sum mu q + a = p)
        rows = np.concatenate([np.arange(r), np.flatnonzero(equality)]).astype(np.int32)
        coef = np.concatenate([-np.ones(r), np.ones(int(equality.sum()))])
        k = rows.size
        h.addCols(k, np.ones(k), np.zeros(k), np.full(k, HINF), k, np.arange(k, dtype=np.int32), rows, coef)
        self.n_art = k
        self.h = h
        self.members: list[int] = []       # positions (rows of Q) of the model's frame columns, in column order
        self.on: list[bool] = []

    def add(self, j: int) -> None:
        rows = np.arange(self.r + int(self.conv), dtype=np.int32)
        vals = np.append(self.Q[j], 1.0) if self.conv else self.Q[j]
        self.h.addCol(0.0, 0.0, HINF, rows.size, rows, vals)
        self.members.append(j)
        self.on.append(True)

    def switch(self, i: int, on: bool) -> None:
        """Switch the model's ``i``-th frame column on (bounds [0, inf)) or off ([0, 0])."""
        self.h.changeColBounds(self.n_art + i, 0.0, HINF if on else 0.0)
        self.on[i] = on

    def test(self, p: np.ndarray):
        """``(representable, mu, y)``: whether ``p`` is in T of the switched-on columns (verified), the intensities
        over ``members`` and the row duals (the separating hyperplane when not representable)."""
        h = self.h
        lo = np.where(self.equality, p, -HINF)
        h.changeRowsBounds(self.r, np.arange(self.r, dtype=np.int32), lo, p)
        if run_highs(h) != highspy.HighsModelStatus.kOptimal:
            h.clearSolver()
            if run_highs(h) != highspy.HighsModelStatus.kOptimal:
                return False, None, None
        sol = h.getSolution()
        mu = np.maximum(np.asarray(sol.col_value, dtype=float)[self.n_art:], 0.0)
        mu[~np.asarray(self.on, dtype=bool)] = 0.0
        y = np.asarray(sol.row_dual, dtype=float)
        if h.getObjectiveValue() > settings.FRAME_TOL:
            return False, mu, y
        return self.verified(p, mu), mu, y

    def verified(self, p: np.ndarray, mu: np.ndarray) -> bool:
        """Whether ``sum mu_j q_j`` is within ``FRAME_TOL`` (relative) of ``p``: at most ``p`` in the disposable
        rows, equal in the equality rows, with ``mu`` in the convexity set."""
        used = np.flatnonzero(mu > 0)
        return bool(self.represents(np.asarray(self.members)[used], p[None, :], mu[None, used])[0])

    def represents(self, cols: np.ndarray, points: np.ndarray, mu: np.ndarray) -> np.ndarray:
        """Per row of ``points``: whether the intensities (the same row of ``mu``, >= 0) over the columns ``cols``
        represent it (:meth:`verified`)."""
        Qs = self.Q[cols]
        combo = mu @ Qs
        size = mu @ np.abs(Qs) + np.abs(points)
        excess = np.where(self.equality, np.abs(combo - points), np.maximum(combo - points, 0.0))
        ok = np.all(excess <= settings.FRAME_TOL * np.maximum(size, 1e-300), axis=1) & np.all(mu >= 0, axis=1)
        total = mu.sum(axis=1)
        if self.rts == "vrs":
            ok &= np.abs(total - 1.0) <= settings.FRAME_TOL
        elif self.rts == "nirs":
            ok &= total <= 1.0 + settings.FRAME_TOL
        elif self.rts == "ndrs":
            ok &= total >= 1.0 - settings.FRAME_TOL
        return ok

    def same_basis(self, p: np.ndarray, mu: np.ndarray, points: np.ndarray):
        """Points the optimal basis of the last representation of ``p`` also represents: ``(mask, cols, mu)``.

        The basis is the support of ``mu`` with the slacks of the disposable rows (and of a NIRS / NDRS convexity
        row) that are not tight; solving its linear system for every point at once costs one small matrix product,
        and each answer is verified like an LP's (:meth:`represents`), so only the LPs of these points are saved.
        """
        used = np.flatnonzero(mu > 0)
        cols = np.asarray(self.members)[used]
        Qs = self.Q[cols]
        combo = mu[used] @ Qs
        loose = ~self.equality & (combo < p - settings.FRAME_TOL * (np.abs(p) + mu[used] @ np.abs(Qs)))
        B = np.hstack([Qs.T, np.eye(self.r)[:, loose]])
        rhs = points.T
        if self.conv:
            total = mu.sum()
            conv_row = np.concatenate([np.ones(used.size), np.zeros(int(loose.sum()))])
            B = np.vstack([B, conv_row])
            rhs = np.vstack([rhs, np.ones(points.shape[0])])
            slack = {"nirs": 1.0 if total < 1.0 - settings.FRAME_TOL else 0.0, "ndrs": -1.0 if total > 1.0 + settings.FRAME_TOL else 0.0}
            if slack.get(self.rts, 0.0):
                B = np.hstack([B, np.zeros((B.shape[0], 1))])
                B[-1, -1] = slack[self.rts]
        x = (np.linalg.pinv(B) @ rhs).T
        feasible = np.all(x >= -settings.FRAME_TOL, axis=1)
        mus = np.maximum(x[:, : used.size], 0.0)
        ok = feasible & self.represents(cols, points, mus)
        return ok, cols, mus

    def hyperplane(self, y: np.ndarray, Q: np.ndarray) -> np.ndarray:
        """``g(q) = q' y + y_conv``: at most 0 on T of the switched-on columns, positive at the tested point."""
        g = Q @ y[: self.r]
        return g + y[self.r] if self.conv else g


def frame(ref_data: np.ndarray, block: ReferenceBlock, rts: str = "vrs", candidates: np.ndarray | None = None,
          layers: int = 1) -> np.ndarray:
    """Sorted positions (rows of ``ref_data``) of the frame of the block's technology under ``rts``.

    ``candidates`` (default: the dominance screen, or every column when the block has an equality row) must contain
    the frame; with ``layers=2`` the result also holds the columns that a super-efficiency LP may need when its
    evaluated DMU leaves the reference set (see the module docstring).
    """
    if rts not in RTS_SETS:
        raise ValueError(f"rts must be one of {RTS_SETS}, got {rts!r}")
    if layers not in (1, 2):
        raise ValueError(f"layers must be 1 or 2, got {layers!r}")
    P, equality = oriented(np.asarray(ref_data, dtype=float), block)
    if candidates is None:
        candidates = default_candidates(P, equality, layers)
    candidates = np.asarray(candidates, dtype=np.int64)
    return _frame(P, equality, rts, candidates, layers)


def _frame(P: np.ndarray, equality: np.ndarray, rts: str, candidates: np.ndarray, layers: int) -> np.ndarray:
    """:func:`frame` over the oriented data ``P``: a single-layer frame of a large candidate set by divide and
    conquer (``PART_SIZE``), repeated while the union of the parts' frames is still large and shrinking."""
    if candidates.size <= 1:
        return np.sort(candidates)
    while layers == 1 and candidates.size > 2 * settings.PART_SIZE:
        union = np.sort(np.concatenate([_frame(P, equality, rts, part, 1) for part in split(candidates)]))
        shrinking = union.size < 0.9 * candidates.size
        candidates = union
        if not shrinking:
            break
    return _build_hull(P, equality, rts, candidates, layers)


def split(candidates: np.ndarray) -> list[np.ndarray]:
    """The parts of a large candidate set for :func:`frame`'s divide and conquer: ``ceil(n / PART_SIZE)`` interleaved
    slices (each a spread-out sample of the set), a function of the candidates alone."""
    parts = -(-candidates.size // settings.PART_SIZE)
    return [candidates[i::parts] for i in range(parts)]


def _build_hull(P: np.ndarray, equality: np.ndarray, rts: str, candidates: np.ndarray, layers: int) -> np.ndarray:
    """The BuildHull pass of :func:`frame` over ``candidates`` (rows of the oriented data ``P``)."""
    scale = np.abs(P[candidates]).max(axis=0)
    scale[scale == 0] = 1.0
    Q = P[candidates] / scale
    n = Q.shape[0]
    # one column of each group of exact duplicates is tested; the others are represented by it
    _, first = np.unique(Q, axis=0, return_index=True)
    status = np.full(n, -1, dtype=np.int8)       # -1 dropped, 0 untested, 1 frame
    status[first] = 0
    size = np.abs(Q).sum(axis=1)
    weight = np.where(size > 0, size, 1.0) if rts == "crs" else np.ones(n)
    hull = _HullTest(Q, equality, rts)
    support: dict[int, np.ndarray] = {}
    disposable = ~equality

    def dominated_by(q: np.ndarray, members: np.ndarray) -> np.ndarray:
        F = Q[members]
        return members[np.all(F[:, disposable] <= q[disposable], axis=1)
                       & np.all(F[:, equality] == q[equality], axis=1)]

    def join(j: int) -> None:
        status[j] = 1
        hull.add(j)

    order = np.argsort((Q / weight[:, None]).sum(axis=1), kind="stable")
    join(int(order[0]))
    for i in order:
        while status[i] == 0:
            members = np.asarray(hull.members)
            dom = dominated_by(Q[i], members)
            if dom.size:
                status[i], support[int(i)] = -1, dom[:1]
                break
            ok, mu, y = hull.test(Q[i])
            if ok:
                status[i], support[int(i)] = -1, members[mu > 0]
                open_ = np.flatnonzero(status == 0)
                if open_.size:
                    same, cols, _ = hull.same_basis(Q[i], mu, Q[open_])
                    status[open_[same]] = -1
                    for j in open_[same]:
                        support[int(j)] = cols
                break
            if y is None:       # the LP failed: keep the candidate (exact, if not minimal)
                join(int(i))
                break
            open_ = np.flatnonzero(status == 0)
            g = hull.hyperplane(y, Q[open_]) / weight[open_]
            join(int(open_[np.argmax(g)]))
    # every member the others represent leaves (a tie's maximiser need not be extreme); skipped for a large frame,
    # where it costs one LP over the whole frame per member (keeping a member is always exact)
    for k in range(len(hull.members) if layers == 2 or len(hull.members) <= settings.CLEANUP_MAX else 0):
        hull.switch(k, False)
        ok, _, _ = hull.test(Q[hull.members[k]])
        if ok:
            status[hull.members[k]] = -1
        else:
            hull.switch(k, True)
    keep = status == 1
    if layers == 2:
        keep |= _needed_without_one(Q, status, support, hull, dominated_by)
    return np.sort(candidates[keep])


def _needed_without_one(Q, status, support, hull, dominated_by) -> np.ndarray:
    """Mask of the non-frame candidates without two representations over the frame with disjoint supports."""
    frame_mask = status == 1
    index = {j: c for c, j in enumerate(hull.members)}
    needed = np.zeros(Q.shape[0], dtype=bool)
    members = np.asarray(hull.members)
    members_on = members[np.asarray(hull.on, dtype=bool)]
    for i in np.flatnonzero(~frame_mask):
        first = support.get(int(i))
        if first is None or not frame_mask[first].all():     # a duplicate, or represented through a dropped member
            dom = dominated_by(Q[i], members_on)
            if dom.size >= 2:
                continue
            if dom.size == 1:
                first = dom
            else:
                ok, mu, _ = hull.test(Q[i])
                if not ok:
                    needed[i] = True
                    continue
                first = members[mu > 0]
        off = [index[int(j)] for j in first]
        for c in off:
            hull.switch(c, False)
        ok, _, _ = hull.test(Q[i])
        for c in off:
            hull.switch(c, True)
        needed[i] = not ok
    return needed


_CACHE: dict = {}


def cached_frame(ref_data: np.ndarray, block: ReferenceBlock, layers: int, candidates: np.ndarray) -> np.ndarray:
    """:func:`frame` for the engine: the VRS frame for a block with a convexity row (exact whatever that row's
    bounds, see the module docstring), the CRS frame otherwise; remembered for the last few (data, block) pairs, so
    the stages of one model (score and max-slack) share one pre-pass."""
    data = np.ascontiguousarray(ref_data, dtype=float)
    key = (hashlib.blake2b(data.tobytes(), digest_size=16).hexdigest(), data.shape, block.variables.tobytes(),
           np.asarray(block.sense, dtype=float).tobytes(), bool(block.convexity), layers,
           hashlib.blake2b(np.asarray(candidates, dtype=np.int64).tobytes(), digest_size=16).hexdigest())
    if key not in _CACHE:
        if len(_CACHE) >= settings.CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = frame(data, block, "vrs" if block.convexity else "crs", candidates=candidates, layers=layers)
    return _CACHE[key].copy()
