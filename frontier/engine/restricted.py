"""The HiGHS backends (``method="restricted"`` and ``"full"``): one warm-started model per stage and reference
set, patched per DMU, with exact column generation and Farkas pricing (:class:`StageSolver`), and its pass over a
batch (:func:`solve_with_highs`)."""
from __future__ import annotations

import dataclasses
import weakref

import numpy as np

from ..models.base import Stage
from . import settings
from .certify import BatchPatch, Columns, NegativeCosts, Stacked, StageAnswers, accepted, certified, held_exact
from .highs import DEFAULT_OPTIONS, HINF, MS, RETRY_OPTIONS, engine_threads, new_highs, run_highs, status_name
from .kernel import (INFEASIBLE, OPTIMAL, RUN_CAP, RUN_END, RUN_HANDOFF, KernelLP, RunPricing, in_range,
                     magnitudes, pricing_screen, use_kernel)
from .pricing import StagePlan
from .robust import in_reference, infeasible_certified

class _SharedPricing:
    """What every solver of one stage, reference set and pricing plan prices over, computed once and shared by the
    solvers of every chunk of the plan that a process solves and by their rebuilt models (:func:`_shared_pricing`;
    at 50,000 DMUs, 50 chunks each computed it again): per block the reference columns' costs and the candidates'
    pricing matrix, and, made when first needed, the magnitudes of the reference data (the kernel's ``in_range``)
    and the pricing of the kernel's compiled run."""

    def __init__(self, stage: Stage, ref_data: np.ndarray, plan: StagePlan):
        # (nothing that holds the plan: the cache's entry goes when the plan does)
        self.blocks, self.pricing, self.width = stage.blocks, plan.pricing, ref_data.shape[1]
        self.conv_rows = np.array([stage.convexity_row_of(b) for b in stage.blocks], dtype=np.int64)
        self.costs = [b.costs(ref_data) for b in stage.blocks]
        # per block, the candidates' data rows, a convexity coefficient and the cost side by side, so that a reduced
        # cost c_j - a_j'y (or a product a_j'y) is one product with a short vector; column-major, so that product runs
        # over contiguous columns, 2.3-3x faster (3,000 / 20,000 / 100,000 candidates x 6 rows: 18 / 100 / 293 us
        # row-major, 7 / 32 / 128 us)
        self.pricing_matrix = [
            np.asfortranarray(np.column_stack([data, np.full(p.size, float(block.convexity)), cost[p]]))
            for (p, data), cost, block in zip(plan.candidates(ref_data), self.costs, stage.blocks)]
        self.pricing_data = [m[:, : self.width] for m in self.pricing_matrix]
        self._magnitudes: tuple[float, float] | None = None
        self._run_pricing: RunPricing | None = None

    def reference_magnitudes(self) -> tuple[float, float]:
        """The largest and smallest nonzero magnitude of the candidates' data (:func:`~frontier.engine.kernel.
        in_range`)."""
        if self._magnitudes is None:
            spans = [magnitudes(data, (0, 1)) for data in self.pricing_data]
            self._magnitudes = (max(hi for hi, _ in spans), min(lo for _, lo in spans))
        return self._magnitudes

    def run_pricing(self, is_active: np.ndarray, col_of: np.ndarray) -> RunPricing:
        """The pricing of the kernel's compiled run (:class:`~frontier.engine.kernel.RunPricing`) over a solver's
        ``is_active`` and ``col_of``: every block's candidates one after another (one block's pricing matrix as it
        is) and their float32 screen."""
        if self._run_pricing is None:
            blocks, pricing = self.blocks, self.pricing
            prices = (self.pricing_matrix[0] if len(blocks) == 1
                      else np.asfortranarray(np.vstack(self.pricing_matrix)))
            fills = np.zeros((len(blocks), self.width), dtype=bool)      # data column v fills row v
            for b, block in enumerate(blocks):
                fills[b, np.flatnonzero(block.variables)] = True
            self._run_pricing = RunPricing(
                prices, np.concatenate(pricing).astype(np.int64, copy=False),
                np.cumsum([0] + [p.size for p in pricing]).astype(np.int64), fills,
                self.conv_rows, is_active, col_of,
                *pricing_screen(prices))
        if self._run_pricing.is_active is not is_active or self._run_pricing.col_of is not col_of:
            self._run_pricing = dataclasses.replace(self._run_pricing, is_active=is_active, col_of=col_of)
        return self._run_pricing


_SHARED: dict[int, tuple] = {}      # id(plan): (the plan, reference set and stage, weakly; their _SharedPricing)


def _shared_pricing(stage: Stage, ref_data: np.ndarray, plan: StagePlan) -> _SharedPricing:
    """The :class:`_SharedPricing` of ``plan`` (with ``stage`` and ``ref_data``): made for its first chunk in this
    process, then reused while the plan lives (a call's plans live until its results are assembled; the entry goes
    with its plan)."""
    key = id(plan)
    entry = _SHARED.get(key)
    if entry is not None and entry[0]() is plan and entry[1]() is ref_data and entry[2]() is stage:
        return entry[3]
    shared = _SharedPricing(stage, ref_data, plan)
    _SHARED[key] = (weakref.ref(plan), weakref.ref(ref_data), weakref.ref(stage), shared)
    weakref.finalize(plan, _SHARED.pop, key, None)
    return shared


class StageSolver:
    """A HiGHS model for one stage against one reference set, reused for many DMUs."""

    def __init__(self, stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str,
                 previous: "StageSolver | None" = None):
        """``previous``: the solver this one replaces (:func:`_rebuilt`: the same stage, data and pricing sets, its
        model grown past the cap), which it takes over and which is not used again: its pricing arrays
        (:class:`_SharedPricing`), its arrays per reference position (reset where it had columns: at 30,000 DMUs a
        model is rebuilt every 80 DMUs or so, and clearing every position each time grew with the reference set)
        and the room its kernel's model had grown to."""
        self.stage = stage
        self.ref = ref_data
        self.full = method == "full"
        # blocks with their own row map (dynamic SBM's terms, network nodes) have no dominance screen, so a restricted
        # LP without the right columns is often infeasible, and Farkas pricing then pulls in most of the reference set:
        # when it is, the DMU's own columns join first where they make its LP feasible (Stage.always_feasible)
        self.own_seeded = not self.full and all(block.declared for block in stage.blocks)
        self.d = stage.d
        self.width = ref_data.shape[1]      # data columns (the variables; a block with a row map reads them as declared)
        self.n_rows = stage.n_rows
        self.n_extra = stage.n_extra_cols
        self._h = None      # the HiGHS model, made when first needed (the h property)
        E, R = self.n_extra, self.n_rows
        # what the HiGHS model holds of the evaluated DMU's own columns (_apply patches only what differs)
        self.E_cur = np.zeros((R, E))
        self.extra_lower = np.zeros(E)
        self.extra_upper = np.full(E, np.inf)
        self.extra_cost = np.zeros(E)
        self.extra_idx = np.arange(E, dtype=np.int32)
        self.row_idx = np.arange(R, dtype=np.int32)
        self.shared = previous.shared if previous is not None else _shared_pricing(stage, ref_data, plan)
        self.conv_rows = self.shared.conv_rows.tolist()     # per block, -1: none (as Python ints: read per LP)
        self.costs = self.shared.costs
        self.pricing = plan.pricing
        self.pricing_matrix, self.pricing_data = self.shared.pricing_matrix, self.shared.pricing_data
        # per block and reference position: whether its column is in the model and its model column (-1: none)
        if previous is not None:
            self.is_active, self.col_of = previous.is_active, previous.col_of
            for b in range(len(stage.blocks)):
                had = previous.pos_arr[previous.block_arr == b]
                self.is_active[b][had], self.col_of[b][had] = False, -1
        else:
            self.is_active = np.zeros((len(stage.blocks), ref_data.shape[0]), dtype=bool)
            self.col_of = np.full((len(stage.blocks), ref_data.shape[0]), -1, dtype=np.int64)
        # the model's reference columns, in column order (after the stage's own): their block and position
        self.block_arr = np.zeros(0, dtype=np.int64)
        self.pos_arr = np.zeros(0, dtype=np.int64)
        self.last_duals = None
        self.negative = None     # the last solve's negative reduced costs (see _price)
        self.applied: tuple[BatchPatch | None, int] = (None, -1)     # the patch and DMU the HiGHS model holds
        self.current: tuple[BatchPatch | None, int] = (None, -1)     # ... and those of the LP being solved
        # the compiled kernel's copy of the restricted LP (None: HiGHS solves every LP); the HiGHS model then takes
        # a DMU's patch only when the kernel leaves that DMU's LP to it (_apply)
        room = previous.kernel.capacity if previous is not None and previous.kernel is not None else 0
        self.kernel = (KernelLP(R, E, max(room, KernelLP.CAPACITY)) if plan.kernel and not self.full
                       and use_kernel(R) else None)
        self.kernel_dmus: tuple[BatchPatch | None, np.ndarray | None] = (None, None)   # per DMU of a batch: in_range
        # the magnitudes of the reference data (kernel.in_range)
        self.reference_magnitudes = self.shared.reference_magnitudes() if self.kernel is not None else None
        # the kernel's compiled loop over a run of DMUs (KernelLP.run) serves blocks of the default layout; its
        # arrays share is_active and col_of with this solver
        self.run_pricing = (self.shared.run_pricing(self.is_active, self.col_of)
                            if self.kernel is not None and not any(block.declared for block in stage.blocks) else None)
        self.highs_columns = 0      # the reference columns the HiGHS model holds (the first of pos_arr: _highs)
        self.excluded = -1          # the reference position whose column the LP being solved excludes
        for b, seed in enumerate(plan.seeds):
            self._add_columns(b, seed)

    @property
    def h(self):
        """The HiGHS model: the stage's own columns and rows, made on first use, since the kernel solves most LPs
        and a model is rebuilt every 80 DMUs or so at 30,000 DMUs (a new HiGHS model and its threads probe cost
        about 1 ms); it takes the reference columns when it next solves (:meth:`_highs`)."""
        if self._h is None:
            h = new_highs()
            for key, value in {"threads": engine_threads(), **DEFAULT_OPTIONS}.items():
                h.setOptionValue(key, value)
            E, R = self.n_extra, self.n_rows
            h.addCols(E, np.zeros(E), np.zeros(E), np.full(E, HINF), 0,
                      np.zeros(E, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
            h.addRows(R, np.full(R, -HINF), np.full(R, HINF), 0,
                      np.zeros(R, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
            self._h = h
        return self._h

    # -- model edits ---------------------------------------------------------------------------------
    def _entries(self, b: int, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The rows that block ``b``'s columns fill and the columns ``positions``' entries there (columns x rows)."""
        block = self.stage.blocks[b]
        rows = np.flatnonzero(block.row_map.any(axis=1) if block.declared else block.variables)
        vals = block.data_rows(self.ref[positions], self.n_rows, self.d)[:, rows]
        if self.conv_rows[b] >= 0:
            rows = np.append(rows, self.conv_rows[b])
            vals = np.hstack([vals, np.ones((positions.size, 1))])
        return rows, vals

    def _add_columns(self, b: int, positions: np.ndarray) -> None:
        """Reference columns ``positions`` of block ``b`` join the restricted LP (those not in it yet)."""
        positions = np.asarray(positions, dtype=np.int64)
        positions = positions[~self.is_active[b][positions]]
        if positions.size == 0:
            return
        if self.kernel is not None:
            self.kernel.add_columns(*self._entries(b, positions), self.costs[b][positions], positions, b)
        self._joined(b, positions)

    def _joined(self, b: int, positions: np.ndarray) -> None:
        """The bookkeeping of reference columns ``positions`` of block ``b`` appended to the model (the kernel's
        already, HiGHS's when it next solves: :meth:`_highs`)."""
        k = positions.size
        self.col_of[b][positions] = self.n_extra + self.pos_arr.size + np.arange(k)
        self.block_arr = np.concatenate([self.block_arr, np.full(k, b, dtype=np.int64)])
        self.pos_arr = np.concatenate([self.pos_arr, positions])
        self.is_active[b][positions] = True

    def _highs(self):
        """The HiGHS model, first given the reference columns that joined since it last ran: columns join the
        bookkeeping and the kernel at once, the HiGHS model only when it solves (most LPs never reach it)."""
        start = self.highs_columns
        if start < self.pos_arr.size:
            blocks = self.block_arr[start:]
            cuts = np.flatnonzero(np.diff(blocks)) + 1
            for first, stop in zip(np.r_[0, cuts], np.r_[cuts, blocks.size]):
                b = int(blocks[first])
                positions = self.pos_arr[start + first: start + stop]
                rows, vals = self._entries(b, positions)
                k, per = vals.shape
                self.h.addCols(k, self.costs[b][positions], np.zeros(k), np.full(k, HINF), k * per,
                               (np.arange(k) * per).astype(np.int32), np.tile(rows, k).astype(np.int32),
                               vals.ravel())
            self.highs_columns = self.pos_arr.size
            if self.excluded >= 0:
                self._set_own_bound(self.excluded, 0.0)
        return self.h

    def _apply(self, patch: BatchPatch, i: int) -> None:
        """Make the HiGHS model DMU ``i``'s LP: after DMU ``i - 1`` of the same batch only what differs between the two
        (:class:`BatchPatch`), otherwise whatever differs from the model's current state."""
        h = self.h
        follows = self.applied[0] is patch and self.applied[1] == i - 1
        self.applied = (patch, i)
        if follows:
            for r, c, v in patch.coeff_changes[i]:
                h.changeCoeff(r, c, v)
        else:
            E_new = patch.extra_matrix[i]
            for r, c in np.argwhere(E_new != self.E_cur):
                h.changeCoeff(int(r), int(c), float(E_new[r, c]))
        self.E_cur = patch.extra_matrix[i]
        if not follows or patch.rows_changed[i]:
            h.changeRowsBounds(self.n_rows, self.row_idx, patch.highs_row_lower[i], patch.highs_row_upper[i])
        E = self.n_extra
        if E:
            cost, el, eu = patch.extra_cost[i], patch.extra_lower[i], patch.extra_upper[i]
            if patch.cost_changed[i] if follows else not np.array_equal(cost, self.extra_cost):
                h.changeColsCost(E, self.extra_idx, cost)
            if patch.bounds_changed[i] if follows else not (np.array_equal(el, self.extra_lower)
                                                            and np.array_equal(eu, self.extra_upper)):
                h.changeColsBounds(E, self.extra_idx, patch.highs_extra_lower[i], patch.highs_extra_upper[i])
            self.extra_cost, self.extra_lower, self.extra_upper = cost, el, eu

    def _kernel_solves(self, patch: BatchPatch, i: int) -> bool:
        """Whether the kernel may solve DMU ``i`` of ``patch``: its LP's data within the kernel's range
        (:func:`~frontier.engine.kernel.in_range`), its answer not held to an exact answer's rounding (a max-slack
        stage whose score needed the robust path: there a float answer that meets every row can still be far from
        the exact optimum, :func:`~frontier.engine.certify.held_exact`), and the model no larger than
        ``KERNEL_MAX_COLUMNS`` (a kernel call cannot be interrupted: its iteration limit bounds it)."""
        if self.kernel_dmus[0] is not patch:
            self.kernel_dmus = (patch, in_range(self.reference_magnitudes, patch))
        return (bool(self.kernel_dmus[1][i]) and not held_exact(patch.primal_tol[i])
                and self.kernel.n <= settings.KERNEL_MAX_COLUMNS)

    def tighten(self) -> None:
        """Solve to HiGHS's tightest primal and dual feasibility tolerances from now on (HiGHS alone: the kernel's
        answers are the ones being solved again)."""
        self.kernel = None
        for key in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
            self.h.setOptionValue(key, settings.TIGHT_TOL)

    def _set_own_bound(self, own: int, upper: float) -> None:
        """Bound the column of reference position ``own`` (of every block) above by ``upper``: 0 excludes it."""
        self.excluded = own if upper == 0.0 else -1
        for b in range(len(self.stage.blocks)):
            col = int(self.col_of[b][own])
            if col >= 0:
                if col < self.n_extra + self.highs_columns:
                    self.h.changeColBounds(col, 0.0, upper)
                if self.kernel is not None:
                    self.kernel.set_column_upper(col, np.inf if upper >= HINF else upper)

    # -- pricing ---------------------------------------------------------------------------------------
    def _reduced_costs(self, b: int, y: np.ndarray, cost_weight: float = 1.0) -> np.ndarray:
        """``cost_weight * c_j - a_j' y`` for the pricing candidates of block b: their reduced costs under the row
        duals ``y``, or with ``cost_weight=0`` minus their products with a ray ``y``."""
        block, W = self.stage.blocks[b], self.width
        v = np.empty(W + 2)
        v[:W] = block.dual_weights(-y, self.d)          # -(M' y): by default -y in the block's data rows
        v[W] = -y[self.conv_rows[b]] if self.conv_rows[b] >= 0 else 0.0
        v[W + 1] = cost_weight
        return self.pricing_matrix[b] @ v

    def _eligible(self, b: int, cand: np.ndarray, own: int) -> np.ndarray:
        """The candidates (indices into the pricing set) that are not yet active nor the excluded DMU."""
        pos = self.pricing[b][cand]
        ok = ~self.is_active[b][pos]
        if own >= 0:
            ok &= pos != own
        return cand[ok]

    def _price(self, duals: np.ndarray, own: int) -> bool:
        """Add the columns that price out under ``duals`` (at most ``MAX_ADD_PER_ROUND`` per block); keep every
        negative reduced cost in ``negative`` (per block: indices into the pricing set and their values, without
        the excluded DMU ``own``), which the optimality certificate checks once no column prices out."""
        added = False
        self.negative = []
        for b in range(len(self.stage.blocks)):
            rc = self._reduced_costs(b, duals)
            negative = np.flatnonzero(rc < 0)
            if own >= 0:
                negative = negative[self.pricing[b][negative] != own]
            self.negative.append((negative, rc[negative]))
            cand = self._eligible(b, negative[rc[negative] < -settings.PRICING_TOL], own)
            if cand.size:
                if cand.size > settings.MAX_ADD_PER_ROUND:
                    cand = cand[np.argpartition(rc[cand], settings.MAX_ADD_PER_ROUND)[:settings.MAX_ADD_PER_ROUND]]
                self._add_columns(b, self.pricing[b][cand])
                added = True
        return added

    def _farkas(self, own: int, ray: np.ndarray | None = None) -> bool | None:
        """Add columns that break the restricted LP's infeasibility certificate: ``ray``, or HiGHS's dual ray (the
        kernel's is the duals of its phase 1, which ended with rows it cannot meet).

        Returns True if columns were added, False if none can (the full LP is infeasible), None if no usable
        certificate was available (the caller then falls back to all pricing columns).
        """
        if ray is None:
            _, has_ray, ray = self.h.getDualRay()
            if not has_ray:
                return None
        y = np.asarray(ray, dtype=float)
        patch, i = self.current
        row_lower, row_upper = patch.row_lower[i], patch.row_upper[i]
        # a' y over the columns in the model, and the extreme values of (A x)' y and r' y over the boxes
        q_extra = patch.extra_matrix[i].T @ y if self.n_extra else np.zeros(0)
        q_ref = np.zeros(self.pos_arr.size)
        for b, block in enumerate(self.stage.blocks):
            at = np.flatnonzero(self.block_arr == b)
            q_ref[at] = self.ref[self.pos_arr[at]] @ block.dual_weights(y, self.d)
            if self.conv_rows[b] >= 0:
                q_ref[at] += y[self.conv_rows[b]]
        upper_ref = np.full(self.pos_arr.size, np.inf)
        for b in range(len(self.stage.blocks)):
            col = self.col_of[b][own] if own >= 0 else -1
            if col >= 0:
                upper_ref[col - self.n_extra] = 0.0
        q = np.concatenate([q_extra, q_ref])
        q[np.abs(q) <= 1e-9 * max(1.0, np.abs(q).max(initial=0.0))] = 0.0   # the ray is numerical
        y = np.where(np.abs(y) <= 1e-12 * max(1.0, np.abs(y).max(initial=0.0)), 0.0, y)
        lo = np.concatenate([patch.extra_lower[i], np.zeros(self.pos_arr.size)])
        up = np.concatenate([patch.extra_upper[i], upper_ref])
        with np.errstate(invalid="ignore"):
            ax_max = np.sum(np.where(q > 0, q * up, np.where(q < 0, q * lo, 0.0)))
            ax_min = np.sum(np.where(q > 0, q * lo, np.where(q < 0, q * up, 0.0)))
            r_min = np.sum(np.where(y > 0, y * row_lower, np.where(y < 0, y * row_upper, 0.0)))
            r_max = np.sum(np.where(y > 0, y * row_upper, np.where(y < 0, y * row_lower, 0.0)))
        if ax_max < r_min:
            sign = 1.0     # (Ax)'y can never reach the rows: columns with a'y > 0 can help
        elif ax_min > r_max:
            sign = -1.0
        else:
            return None
        added = False
        for b in range(len(self.stage.blocks)):
            qb = -sign * self._reduced_costs(b, y, cost_weight=0.0)
            # any column that could break the certificate joins (near-exact threshold): a false
            # "infeasible" must not come from the restriction
            cand = self._eligible(b, np.flatnonzero(qb > settings.FARKAS_TOL * max(1.0, np.abs(qb).max(initial=0.0))), own)
            if cand.size:
                if cand.size > settings.MAX_ADD_PER_ROUND:
                    cand = cand[np.argpartition(-qb[cand], settings.MAX_ADD_PER_ROUND)[:settings.MAX_ADD_PER_ROUND]]
                self._add_columns(b, self.pricing[b][cand])
                added = True
        return added

    def _add_all(self, own: int) -> bool:
        added = False
        for b in range(len(self.stage.blocks)):
            cand = self._eligible(b, np.arange(self.pricing[b].size), own)
            if cand.size:
                self._add_columns(b, self.pricing[b][cand])
                added = True
        return added

    def _classify_unbounded_or_infeasible(self) -> str:
        """Tell infeasible from unbounded by solving the feasibility problem (zero costs)."""
        h = self.h
        n = h.getNumCol()
        idx = np.arange(n, dtype=np.int32)
        lp = h.getLp()
        saved = np.asarray(lp.col_cost_, dtype=float).copy()
        h.changeColsCost(n, idx, np.zeros(n))
        feasible = run_highs(h) == MS.kOptimal
        h.changeColsCost(n, idx, saved)
        return "unbounded" if feasible else "infeasible"

    # -- the per-DMU loop ---------------------------------------------------------------------------------
    def solve(self, patch: BatchPatch, i: int, own: int, kernel_first: bool = True):
        """Solve DMU ``i`` of ``patch``; ``own`` is its position in the reference set (-1 if absent). The compiled
        kernel solves the restricted LP first where there is one (and ``kernel_first``: not after a compiled run
        that it did not finish, :meth:`run`); from the first LP it does not finish, HiGHS (given the DMU's patch
        then) solves this DMU's LPs."""
        self.current = (patch, i)
        kernel = (self.kernel if kernel_first and self.kernel is not None and self._kernel_solves(patch, i)
                  else None)
        if kernel is not None:
            kernel.set_dmu(patch.extra_matrix[i], patch.extra_cost[i], patch.extra_lower[i], patch.extra_upper[i],
                           patch.row_lower[i], patch.row_upper[i])
        else:
            self._apply(patch, i)
        if self.stage.cold_start:
            self.h.clearSolver()
        exclude = self.stage.exclude_self and own >= 0
        if exclude:
            self._set_own_bound(own, 0.0)
        own_for_pricing = own if exclude else -1
        own_rescues = self.own_seeded and own >= 0 and self.stage.always_feasible(in_reference(self.stage, own))
        self.negative = None
        retries = 0
        solution = None
        while True:
            if kernel is not None:
                outcome = kernel.solve()
                if outcome == OPTIMAL:
                    row_dual = kernel.duals
                    if self._price(row_dual, own_for_pricing):
                        continue
                    status = "optimal"
                    break
                if outcome == INFEASIBLE:
                    if own_rescues and not all(self.is_active[b][own] for b in range(len(self.stage.blocks))):
                        for b in range(len(self.stage.blocks)):
                            self._add_columns(b, np.array([own]))
                        continue
                    if self._farkas(own_for_pricing, kernel.duals):
                        continue
                kernel = None         # not finished: HiGHS solves this DMU's LP from here on
                self._apply(patch, i)
            ms = run_highs(self._highs())
            if ms == MS.kOptimal:
                solution = self.h.getSolution()
                row_dual = np.asarray(solution.row_dual, dtype=float)
                if not self.full and self._price(row_dual, own_for_pricing):
                    continue
                status = "optimal"
                break
            if ms == MS.kInfeasible:
                if self.full:
                    status = "infeasible"
                    break
                if own_rescues and not all(self.is_active[b][own] for b in range(len(self.stage.blocks))):
                    for b in range(len(self.stage.blocks)):
                        self._add_columns(b, np.array([own]))
                    continue
                added = self._farkas(own_for_pricing)
                if added is None:
                    added = self._add_all(own_for_pricing)
                if added:
                    continue
                status = "infeasible"
                break
            if ms == MS.kUnboundedOrInfeasible:
                status = self._classify_unbounded_or_infeasible()
                if status == "infeasible" and not self.full:
                    if self._add_all(own_for_pricing):
                        continue
                break
            if ms == MS.kUnbounded:
                status = "unbounded"
                break
            if retries < len(RETRY_OPTIONS):   # numerical trouble: drop the basis, then change the algorithm
                for key, value in RETRY_OPTIONS[retries].items():
                    self.h.setOptionValue(key, value)
                retries += 1
                self.h.clearSolver()
                continue
            status = status_name(ms)
            break
        if retries:
            for key, value in DEFAULT_OPTIONS.items():
                self.h.setOptionValue(key, value)
        if status == "optimal":
            if solution is None:       # the kernel's answer
                values, objective = self.kernel.values, self.kernel.objective
            else:
                values, objective = np.asarray(solution.col_value, dtype=float), self.h.getObjectiveValue()
            if self.stage.keep_duals:
                self.last_duals = row_dual
        elif status == "infeasible":       # the dual ray (None if HiGHS has none), for infeasible_certified
            has_ray, ray = self.h.getDualRay()[1:]
            values, row_dual, objective = None, np.asarray(ray, dtype=float) if has_ray else None, np.nan
        else:
            values, row_dual, objective = None, None, np.nan
        if exclude:
            self._set_own_bound(own, HINF)
        return status, objective, values, row_dual

    def kernel_runs(self, patch: BatchPatch) -> np.ndarray:
        """Per DMU of ``patch``, whether the kernel's compiled loop (:meth:`run`) may solve it: the loop serves this
        stage, and the kernel may solve the DMU's LPs (:meth:`_kernel_solves`, but the model's size, which the loop
        checks before each DMU)."""
        k = patch.row_lower.shape[0]
        if self.run_pricing is None:
            return np.zeros(k, dtype=bool)
        return in_range(self.reference_magnitudes, patch) & ~held_exact(patch.primal_tol)

    def run(self, patch: BatchPatch, dmus: np.ndarray, own: np.ndarray, cap: int):
        """Solve the DMUs ``dmus`` of ``patch`` (each at reference position ``own``, -1: absent) in the kernel's
        compiled loop (:meth:`KernelLP.run`: set the DMU's LP, solve, price, add columns, until none prices in, then
        the next DMU) until one it does not finish or the model passes ``cap`` reference columns; the
        :class:`~frontier.engine.kernel.RunAnswers` say which, and the caller solves that DMU with :meth:`solve`."""
        excluded = own if self.stage.exclude_self else np.full(own.shape, -1, dtype=np.int64)
        first = self.n_extra + self.pos_arr.size
        answers = self.kernel.run(dmus, excluded, patch, self.run_pricing, cap)
        joined = self.kernel.col_pos[first: self.kernel.n]
        if joined.size:          # columns the loop added (is_active and col_of it has set already)
            self.block_arr = np.concatenate([self.block_arr, self.kernel.col_block[first: self.kernel.n]])
            self.pos_arr = np.concatenate([self.pos_arr, joined])
        return answers

    @property
    def candidates(self) -> list[tuple]:
        """Per block, the reference columns an optimality certificate prices (:func:`kkt_violation`): the pricing
        set's positions and their data rows."""
        return list(zip(self.pricing, self.pricing_data))

    def columns(self, values: np.ndarray) -> "Columns":
        """The solution as the stage's own column values and the nonzero reference intensities."""
        lam = values[self.n_extra:]
        nz = np.flatnonzero(lam > 1e-12 * max(1.0, lam.max(initial=0.0)))
        duals = self.last_duals if self.stage.keep_duals else None
        return Columns(values[: self.n_extra], self.pos_arr[nz], self.block_arr[nz], lam[nz], duals)


class _Found:
    """The fast path's optimal answers of one pass of :func:`solve_with_highs`, in the order they were found (the
    pass's DMUs ascending), before the batch certificate: their DMUs, solutions and what their last pricing found,
    one piece per compiled run (:meth:`add_run`: its arrays as they are, no object per DMU) or per LP HiGHS solved
    (:meth:`add`)."""

    def __init__(self, stage: Stage):
        self.n_blocks, self.n_extra = len(stage.blocks), stage.n_extra_cols
        self.rows: list[np.ndarray] = []
        self.sols: list[Stacked] = []
        self.negatives: list[NegativeCosts] = []

    def add_run(self, got, dmus: np.ndarray, starts: np.ndarray) -> None:
        """The answers of a compiled run (:meth:`StageSolver.run`, ``got``) for its DMUs ``dmus`` (those it finished):
        its last pricing's negatives are indices into every block's candidates one after another (block b's from
        ``starts[b]``)."""
        done = got.done
        nz, neg = got.nz_ptr[: done + 1], got.neg_ptr[: done + 1]
        self.rows.append(dmus[:done])
        self.sols.append(Stacked(got.own[:done], np.repeat(np.arange(done), np.diff(nz)), got.nz_pos[: nz[done]],
                                 got.nz_blk[: nz[done]], got.nz_lam[: nz[done]]))
        owner = np.repeat(np.arange(done), np.diff(neg))
        index, value = got.neg_idx[: neg[done]], got.neg_val[: neg[done]]
        if starts.size == 2:        # one block (most stages): its candidates' indices as they are
            negatives = NegativeCosts(np.ones(done, dtype=bool), [owner], [index], [value])
        else:
            block = np.searchsorted(starts, index, side="right") - 1
            mine = [block == b for b in range(starts.size - 1)]
            negatives = NegativeCosts(np.ones(done, dtype=bool), [owner[m] for m in mine],
                                      [index[m] - starts[b] for b, m in enumerate(mine)], [value[m] for m in mine])
        self.negatives.append(negatives)

    def add(self, i: int, sol: Columns, negative: list | None) -> None:
        """DMU ``i``'s answer, found by :meth:`StageSolver.solve` (``negative``: its :attr:`StageSolver.negative`)."""
        self.rows.append(np.array([i], dtype=np.int64))
        self.sols.append(Stacked.of([sol], self.n_extra))
        self.negatives.append(NegativeCosts.of([negative], self.n_blocks))

    def recent_columns(self, count: int) -> np.ndarray:
        """The reference positions that the last ``count`` answers use (with repeats)."""
        taken, left = [np.zeros(0, dtype=np.int64)], count
        for part in reversed(self.sols):
            m = part.own.shape[0]
            taken.append(part.pos if m <= left else part.pos[part.seg >= m - left])
            left -= min(m, left)
            if not left:
                break
        return np.concatenate(taken)

    def collected(self) -> tuple[np.ndarray, Stacked, NegativeCosts]:
        """Every answer found: their DMUs (ascending), solutions and what their last pricing found."""
        return (np.concatenate([np.zeros(0, dtype=np.int64)] + self.rows), Stacked.joined(self.sols, self.n_extra),
                NegativeCosts.joined(self.negatives, self.n_blocks))


def _rebuilt(solver: StageSolver, stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str, found: _Found,
             cap: int) -> tuple[StageSolver, int]:
    """``solver``, or a new one seeded with the columns the last ``RECENT`` solutions used once its model has grown
    past ``cap`` reference columns (and the new cap: never rebuild over and over)."""
    if method == "full" or solver.pos_arr.size <= cap:
        return solver, cap
    used = np.unique(found.recent_columns(settings.RECENT))
    seeds = [np.union1d(s, used) for s in plan.seeds]
    solver = StageSolver(stage, ref_data, StagePlan(plan.pricing, seeds, plan.kernel), method, solver)
    return solver, max(settings.ACTIVE_CAP, 2 * solver.pos_arr.size)


def solve_with_highs(stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str, own: np.ndarray,
                     answers: StageAnswers, pending: list[int]) -> None:
    """The HiGHS pass of :func:`solve_stage_batch` over the DMUs ``pending``: one warm-started restricted model (rebuilt
    past the active-set cap), every optimal answer certified (a refused one solved again at HiGHS's tightest
    tolerances); what stays ``"not_solved"`` in ``answers`` goes to the robust path, which starts from the model's
    active columns (returned, per block)."""
    patch, status, objective, row_duals, sols = (answers.patch, answers.status, answers.objective, answers.row_duals,
                                                 answers.sols)
    solver = StageSolver(stage, ref_data, plan, method)
    cap = settings.ACTIVE_CAP
    found = _Found(stage)   # optimal on the fast path, to certify (an unbounded LP or a failure: the robust path's)
    pending = np.asarray(pending, dtype=np.int64)
    # the DMUs the kernel's compiled loop may take, and from each place in ``pending`` the next one it may not
    in_loop = solver.kernel_runs(patch)[pending]
    stops = np.append(np.flatnonzero(~in_loop), pending.size)
    t = 0
    while t < pending.size:
        kernel_first = True
        if in_loop[t]:
            dmus = pending[t: stops[np.searchsorted(stops, t)]]
            got = solver.run(patch, dmus, own[dmus], cap)
            if got.done:
                objective[dmus[:got.done]], row_duals[dmus[:got.done]] = got.objective[:got.done], got.duals[:got.done]
                found.add_run(got, dmus, solver.run_pricing.starts)
            t += got.done
            if got.why in (RUN_END, RUN_CAP):
                solver, cap = _rebuilt(solver, stage, ref_data, plan, method, found, cap)
                continue
            # the DMU it did not finish goes to the per-LP path: HiGHS's where the kernel failed on it or its
            # infeasible restricted LP's Farkas pricing added no column (as solve() does), solve()'s own choice where
            # the model outgrew the kernel
            kernel_first = got.why == RUN_HANDOFF
        i = int(pending[t])
        t += 1
        st, obj, values, row_dual = solver.solve(patch, i, int(own[i]), kernel_first)
        if st == "optimal":
            objective[i], row_duals[i] = obj, row_dual
            found.add(i, solver.columns(values).clipped(patch, i), solver.negative)
        elif st == "infeasible" and infeasible_certified(stage, ref_data, patch, i, int(own[i]), row_dual):
            status[i] = st          # else the robust path proves it or reports numerical_error
        solver, cap = _rebuilt(solver, stage, ref_data, plan, method, found, cap)
    fast, stacked, negatives = found.collected()
    ok = certified(stage, ref_data, patch, fast, own[fast], objective[fast], stacked, row_duals[fast],
                   solver.candidates, negatives)
    status[fast[ok]] = "optimal"
    if ok.any():            # the certified answers stay stacked (StageAnswers.bulk), the others get a Columns each
        answers.add_bulk(fast[ok], stacked.taken(ok))
    if not ok.all():
        refused = fast[~ok]     # (the robust path starts from a refused answer's columns)
        duals = row_duals[refused] if stage.keep_duals else None
        for i, cols in zip(refused.tolist(), stacked.taken(~ok).split(duals)):
            sols[i] = cols
        # HiGHS stops at absolute tolerances of 1e-7, the certificate asks 1e-9 relative: a second solve of the same
        # restricted model with HiGHS's tightest tolerances usually closes the gap at the cost of one warm LP
        solver.tighten()
        for i in refused.tolist():
            st, obj, values, row_dual = solver.solve(patch, i, int(own[i]))
            if st == "optimal":
                cols = solver.columns(values).clipped(patch, i)
                if accepted(stage, ref_data, patch, i, int(own[i]), obj, cols, row_dual, solver.candidates,
                            solver.negative):
                    status[i], objective[i], sols[i], row_duals[i] = "optimal", obj, cols, row_dual
    return [solver.pos_arr[solver.block_arr == b] for b in range(len(stage.blocks))]
