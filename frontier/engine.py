"""The LP engine: one HiGHS model per stage and reference set, patched per DMU, solved exactly over a
restricted set of reference columns.

How one stage is solved for a batch of DMUs
-------------------------------------------
1. A HiGHS model is built once with the stage's own columns, its rows, and a small *active set* of reference
   columns. For each DMU only the :class:`~frontier.models.base.Patch` is applied (row bounds, the stage's own
   columns' coefficients, costs and bounds); HiGHS keeps the previous basis, so each solve is warm-started.
2. **Exact column generation.** After the restricted LP is optimal, every other reference column is priced
   with the row duals ``pi``: reduced cost ``c_j - a_j' pi``, vectorised over the reference data. Columns with a
   negative reduced cost join the active set and the LP is re-solved, until none remain: the restricted
   optimum is then the full LP's optimum. The active set is shared by the DMUs solved in sequence.
3. **Infeasible restricted LPs** are never reported as such without proof: the dual ray (Farkas certificate)
   of the restricted LP is priced the same way; columns that break the certificate join the active set. Only
   when no reference column can break it is the LP declared infeasible (a certificate for the full LP).
   A restricted LP that is unbounded implies the full LP is unbounded (its feasible set is larger).
4. **Dominance screening.** A reference column whose data is strictly dominated by another column's in every
   freely-disposable row (no larger input or strongly disposable bad output, no smaller output) can be
   replaced by the dominating one without losing feasibility or objective value, so it never needs pricing
   (:func:`dominance_screen`). Blocks with an equality row (weakly disposable bad outputs) are priced in
   full. For super-efficiency a column is only left out when two columns dominate it, so one remains when
   the evaluated DMU leaves its own reference set. For very large jobs (``FRAME_MIN_EVALUATED`` DMUs or more)
   pricing is narrowed further to the block's *frame*, its extreme columns (:mod:`frontier.frame`, exact and
   LP-certified): removing a non-frame column leaves the technology, and so every stage's optimum, unchanged.

``method="full"`` puts every reference column in the model from the start (no pricing); it is the
baseline the restricted path is tested and benchmarked against.

``method="dense"`` first solves all the LPs of a stage at once with the batched dense simplex of
:mod:`frontier.dense_simplex` over the pricing candidates (several small reference sets, e.g. a bootstrap's
replicates, in one batch: :func:`pack_tasks`), certifies every answer as below, and gives HiGHS (the restricted
path) only the LPs it did not finish or whose answer the certificate refused. ``"auto"`` picks it for LPs of few
rows against small reference sets (:func:`job_method`), where it was measured fastest.

The DMUs of a job are solved in :func:`solve_order`, similar DMUs one after another, so each warm start begins near
the next optimum (about half the simplex iterations); results are returned in the job's own order.

Every LP's HiGHS model status is mapped to a string (``"optimal"``, ``"infeasible"``, ``"unbounded"``,
``"numerical_error"``, ...); a stage that is not optimal yields NaN values, never a number.

Verification and the robust path
--------------------------------
HiGHS works to absolute tolerances (1e-7) and drops matrix entries below 1e-9. A DMU whose value is tiny relative to
its column (a bad output of 1e-6 among values near 100, a 1e-8 placeholder for a zero, a column spanning
1e-8..1e12) enters its LP as coefficients the solver treats as zero, and an "optimal" answer can be meaningless
(an efficient DMU scored 0, a feasible but far from optimal vertex). So every optimal solution is *certified*
before it is reported (:func:`accepted`, :func:`kkt_violation`): with the variables clipped to their bounds, each
row's residual below ``VERIFY_TOL`` relative to the magnitude of its terms, every reduced cost (the stage's own
columns and every priced reference column, in the model or not) of the right sign to within ``OPTIMALITY_TOL``
of its terms' magnitude, and the objective in the stage's documented range (:meth:`Stage.objective_range`). These
measures do not change when a row or column is rescaled, so they mean the same in the user's units.

The certificate runs once per batch of DMUs, vectorised over all their solutions (:func:`certified`): pricing
already found each LP's negative reduced costs under its final duals, so only those few are judged there. A solution
it refuses is first solved again from the same warm model at HiGHS's tightest tolerances (HiGHS stops at 1e-7
absolute, the certificate asks 1e-9 relative; this second solve usually closes the gap).

A solution that still fails, and any LP the fast path calls unbounded or fails to solve, goes to :func:`solve_robust`:
one LP with every reference column, rows scaled by the evaluated DMU's own values (:func:`own_value_scaling`) or
equilibrated, tight HiGHS tolerances, HiGHS's final basis recomputed in exact rationals
(:func:`exact_basic_solution`), and each answer certified as above. An infeasible or unbounded status is only
returned with a checked Farkas ray (:func:`farkas_certified`) or unbounded ray and feasible point
(:func:`ray_certified`). Anything else is NaN with status ``"numerical_error"``, never a number.
"""
from __future__ import annotations

import hashlib
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass
from fractions import Fraction

import highspy
import numpy as np

from . import dense_simplex
from .models.base import ModelSpec, Patch, ReferenceBlock, Stage, StageSolution

HINF = highspy.kHighsInf
MS = highspy.HighsModelStatus
PRICING_TOL = 1e-9
FARKAS_TOL = 1e-12
MAX_ADD_PER_ROUND = 64
METHODS = ("auto", "restricted", "full", "dense")
VERIFY_TOL = 1e-7       # largest accepted row residual, relative to the magnitude of the row's terms
OPTIMALITY_TOL = 1e-9   # largest accepted wrong-signed reduced cost, relative to the magnitude of its terms
CANCELLATION_TOL = 1e-5  # an objective below this fraction of its terms' magnitude needs an exact certificate
RANGE_TOL = 1e-9        # slack on an objective's documented range, times max(1, |bound|)
TIGHT_TOL = 1e-10       # HiGHS's feasibility tolerances for a second attempt at a solution the certificate refused

# presolve off (tiny LPs, solved thousands of times); dual simplex (patches keep the basis dual feasible)
DEFAULT_OPTIONS = {"presolve": "off", "simplex_strategy": 1, "solver": "simplex"}
# on a numerical failure: drop the basis and retry, then primal simplex, then interior point with crossover
RETRY_OPTIONS = [{}, {"simplex_strategy": 4}, {"solver": "ipm", "run_crossover": "on"}]
# the robust path: an equilibrated model, the tightest tolerances HiGHS accepts, no entry dropped as "small"
ROBUST_OPTIONS = {"presolve": "off", "solver": "simplex", "primal_feasibility_tolerance": TIGHT_TOL,
                  "dual_feasibility_tolerance": TIGHT_TOL, "small_matrix_value": 1e-12, "large_matrix_value": 1e30}
# The matrix entries the robust path hands HiGHS, after scaling: none above HiGHS's default bound on an entry (its
# option large_matrix_value; a scaling with larger ones is shifted down by a power of two on every row), and none
# below the smallest it keeps (small_matrix_value at its least, as set above: such entries are zeros to HiGHS anyway,
# and are left out here, so HiGHS never edits its matrix). On data spanning 1e-8..1e12, entries from 6.6e-19 to 2.6e18 made HiGHS 1.16 abort
# the interpreter ("double free or corruption", docs/upstream/highs-abort.md). What HiGHS returns for the
# shortened matrix is certified against the LP's own entries, as every answer is.
HIGHS_LARGEST_ENTRY = 1e15
HIGHS_SMALLEST_ENTRY = 1e-12

_banner_shown = False
_banner_lock = threading.Lock()


def new_highs() -> highspy.Highs:
    """A silent HiGHS instance.

    highspy >= 1.16 prints a copyright banner to the C-level standard output the first time a ``Highs`` is
    constructed in a process (before any option can switch output off). The first construction in each process
    runs with file descriptor 1 pointed at the null device so the banner does not end up in the user's terminal
    or in the CSV a shell redirect writes; later instances print nothing anyway.
    """
    global _banner_shown
    if _banner_shown:
        h = highspy.Highs()
    else:
        with _banner_lock:         # two threads swapping file descriptor 1 at once could leave it on the null device
            if _banner_shown:
                h = highspy.Highs()
            else:
                sys.stdout.flush()
                saved = os.dup(1)
                try:
                    with open(os.devnull, "w") as devnull:
                        os.dup2(devnull.fileno(), 1)
                        h = highspy.Highs()
                finally:
                    os.dup2(saved, 1)
                    os.close(saved)
                _banner_shown = True
    h.setOptionValue("output_flag", False)
    return h


_STATUS_NAMES = {
    MS.kOptimal: "optimal",
    MS.kInfeasible: "infeasible",
    MS.kUnbounded: "unbounded",
    MS.kIterationLimit: "iteration_limit",
    MS.kTimeLimit: "time_limit",
    MS.kSolveError: "numerical_error",
    MS.kUnknown: "numerical_error",
}


def status_name(ms) -> str:
    return _STATUS_NAMES.get(ms, f"solver_error:{str(ms).split('.')[-1]}")


# ----------------------------------------------------------------------------------------------------
# Limits on every HiGHS call
#
# On extreme data HiGHS can run forever: a dual simplex cycling at the tightest tolerances (output SBM with 1e-8
# placeholders, method="full"), an interior-point solve whose inner conjugate-residual iterations never converge
# (data spanning 1e-8..1e12). A C++ call that never returns is a hang Ctrl-C cannot stop either, since Python handles
# a signal only between bytecodes. So every HiGHS solve goes through :func:`run_highs`, which bounds it by iterations
# and time (a limit reached is a numerical failure like any other: the next retry, then the robust path, then NaN with
# ``"numerical_error"``) and hands control back to Python often enough for a Ctrl-C to stop the run within
# ``INTERRUPT_SECONDS`` or so. The limits are far above what any LP of valid data needs (benchmarks/bench_extreme.py
# measures both), so they change no answer there.
SOLVE_SECONDS = 30.0        # the longest one HiGHS solve may run (all its slices together)
INTERRUPT_SECONDS = 0.25    # a simplex solve runs in slices this long: Python handles Ctrl-C between them
SIMPLEX_ITERATIONS_MIN = 10_000     # simplex iterations one solve may take: at least this many ...
SIMPLEX_ITERATIONS_PER_SIZE = 20    # ... or this many per row and column of the model
IPM_ITERATIONS = 100        # interior-point iterations (its own default is 2^31 - 1)
ROBUST_SECONDS = 60.0       # the robust path's time for one LP, over all its scalings and retries

STOP = threading.Event()    # set when the caller was interrupted: solves in other threads end at their next slice


def highs_option(h: highspy.Highs, name: str):
    """The value of HiGHS option ``name`` (highspy 1.16 returns it with a status, earlier versions alone)."""
    value = h.getOptionValue(name)
    return value[1] if isinstance(value, tuple) else value


def simplex_iteration_limit(h: highspy.Highs) -> int:
    """The simplex iterations a solve of the model in ``h`` may take (:data:`SIMPLEX_ITERATIONS_PER_SIZE`)."""
    return max(SIMPLEX_ITERATIONS_MIN, SIMPLEX_ITERATIONS_PER_SIZE * (h.getNumRow() + h.getNumCol()))


def run_highs(h: highspy.Highs, seconds: float = SOLVE_SECONDS):
    """Solve the model in ``h`` within the limits above and return HiGHS's model status (``kTimeLimit`` or
    ``kIterationLimit`` when one ended it).

    A simplex solve runs in slices of ``INTERRUPT_SECONDS`` (HiGHS's ``time_limit``; it resumes from its basis), so
    between two slices Python runs a pending Ctrl-C handler (``KeyboardInterrupt``) and a solve in another thread sees
    :data:`STOP`. An interior-point solve cannot resume: it runs in one piece with HiGHS's interrupt callback
    (:func:`_run_interruptible`). HiGHS's run clock adds up over all runs of a model, so each limit is set relative
    to it."""
    if STOP.is_set():
        raise KeyboardInterrupt
    iterations = simplex_iteration_limit(h)
    seconds = min(max(seconds, 0.0), SOLVE_SECONDS)
    start = h.getRunTime()
    if highs_option(h, "solver") == "ipm":
        h.setOptionValue("ipm_iteration_limit", IPM_ITERATIONS)
        h.setOptionValue("simplex_iteration_limit", iterations)      # crossover
        h.setOptionValue("time_limit", start + seconds)
        return _run_interruptible(h)
    while True:
        h.setOptionValue("simplex_iteration_limit", iterations)
        h.setOptionValue("time_limit", min(h.getRunTime() + INTERRUPT_SECONDS, start + seconds))
        h.run()
        ms = h.getModelStatus()
        if ms != MS.kTimeLimit or h.getRunTime() >= start + seconds:
            return ms
        if STOP.is_set():        # (in the calling thread a Ctrl-C has raised KeyboardInterrupt by now)
            raise KeyboardInterrupt
        iterations -= h.getInfo().simplex_iteration_count
        if iterations <= 0:
            return MS.kIterationLimit


def _run_interruptible(h: highspy.Highs):
    """``h.run()`` with HiGHS's interior-point interrupt callback asking to stop once :data:`STOP` is set or, in the
    main thread, a Ctrl-C arrived: during the run SIGINT only sets a flag (a Python exception raised inside HiGHS's
    callback would be swallowed by HiGHS), and after it the signal is raised again for the original handler."""
    caught = []
    main = threading.current_thread() is threading.main_thread()
    if main:
        previous = signal.signal(signal.SIGINT, lambda signum, frame: caught.append(signum))

    def interrupt(event) -> None:
        if caught or STOP.is_set():
            event.interrupt()

    h.cbIpmInterrupt += interrupt
    try:
        h.run()
    finally:
        h.cbIpmInterrupt -= interrupt
        if main:
            signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if caught:
        signal.raise_signal(signal.SIGINT)
    if STOP.is_set():
        raise KeyboardInterrupt
    return h.getModelStatus()


# ----------------------------------------------------------------------------------------------------
# dominance screening
# ----------------------------------------------------------------------------------------------------

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


# The frame pre-pass (frontier.frame) costs about one small LP per candidate column (up to three with layers=2), about
# as much as one DMU's own LP; it saves a pricing pass over the non-frame candidates (about 80 % of them on hard data)
# for every LP of every evaluated DMU, and keeps non-extreme columns out of the active sets. Measured at n = 3,000
# (benchmarks/bench_frame.py, a loaded 2-core machine): 2.7-17 ms of pre-pass per candidate against 40-110 ns per
# priced column and 1.0-1.2 passes per LP, so the pricing savings alone repay it from 32,000 (benchmark firms, SBM),
# 90,000 (hard data, BCC) and 300,000 (hard data, SBM) evaluated DMUs, whatever the reference size (both sides grow
# with the candidates); the rule takes the largest. Smaller active sets save more (LPs alone 1.02-1.19x faster).
# Only single-layer frames are built: the two-layer frame of a super-efficiency stage costs up to three LPs per
# candidate, and such a stage usually evaluates only the DMUs its first stage found efficient (1.2 % of a million
# friendly panel observations against the global frontier), whose pricing over the screened candidates costs far less.
FRAME_MIN_EVALUATED = 300_000
FRAME_MIN_CANDIDATES = 500


def pricing_set(ref_data: np.ndarray, block: ReferenceBlock, layers: int, n_evaluated: int | None = None) -> np.ndarray:
    """Reference positions that pricing must consider for ``block``: the dominance screen (all of them if a row has
    no disposal), narrowed to the block's frame (:func:`frontier.frame.frame`, exact) when that pays, i.e. for one
    layer when at least ``FRAME_MIN_EVALUATED`` DMUs (``n_evaluated``, default the reference set's size) are priced
    against at least ``FRAME_MIN_CANDIDATES`` candidates."""
    used = block.variables & (block.sense != 0)
    if np.any(block.variables & (block.sense == 0)) or not used.any():
        candidates = np.arange(ref_data.shape[0])
    else:
        candidates = dominance_screen(-ref_data[:, used] * block.sense[used], layers)
    n_evaluated = ref_data.shape[0] if n_evaluated is None else n_evaluated
    if layers == 1 and candidates.size >= FRAME_MIN_CANDIDATES and n_evaluated >= FRAME_MIN_EVALUATED:
        from .frame import cached_frame

        return cached_frame(ref_data, block, layers, candidates)
    return candidates


def seed_columns(ref_data: np.ndarray, block: ReferenceBlock, candidates: np.ndarray, size: int = 24) -> np.ndarray:
    """A small starting active set: the best candidate in each variable's sense plus the best composite."""
    if candidates.size <= size:
        return candidates
    D = ref_data[candidates]
    picks = []
    for v in np.flatnonzero(block.variables):
        col = D[:, v]
        if block.sense[v] >= 0:
            picks.append(np.argmax(col))
        if block.sense[v] <= 0:
            picks.append(np.argmin(col))
    scale = D.mean(axis=0)
    scale[scale == 0] = 1
    sense = np.where(block.variables, block.sense, 0)
    composite = (D / scale) @ sense
    picks.extend(np.argsort(-composite)[: max(size - len(picks), 0)])
    return candidates[np.unique(np.asarray(picks, dtype=np.int64))]


# ----------------------------------------------------------------------------------------------------
# one stage, one reference set: a patched, warm-started HiGHS model
# ----------------------------------------------------------------------------------------------------

@dataclass
class StagePlan:
    """What every worker needs to solve a stage against one reference set (computed once, shipped)."""

    pricing: list[np.ndarray]
    seeds: list[np.ndarray]

    def candidates(self, ref_data: np.ndarray) -> list[tuple]:
        """Per block, the pricing candidates' positions and their data rows (what pricing and the optimality
        certificate, :func:`kkt_violation`, go over)."""
        return [(p, ref_data if p.size == ref_data.shape[0] else np.ascontiguousarray(ref_data[p]))
                for p in self.pricing]


def plan_stage(stage: Stage, ref_data: np.ndarray, method: str, n_evaluated: int | None = None) -> StagePlan:
    """Pricing candidates and starting columns of each block; ``n_evaluated`` (default: as many DMUs as the
    reference set has) decides whether the exact frame pre-pass pays (:func:`pricing_set`)."""
    n_ref = ref_data.shape[0]
    if method == "full":
        everything = [np.arange(n_ref) for _ in stage.blocks]
        return StagePlan(pricing=everything, seeds=everything)
    layers = 2 if stage.exclude_self else 1
    pricing = [pricing_set(ref_data, b, layers, n_evaluated) for b in stage.blocks]
    seeds = [seed_columns(ref_data, b, p) for b, p in zip(stage.blocks, pricing)]
    return StagePlan(pricing=pricing, seeds=seeds)


class StageSolver:
    """A HiGHS model for one stage against one reference set, reused for many DMUs."""

    def __init__(self, stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str,
                 pricing_matrix: list[np.ndarray] | None = None):
        """``pricing_matrix``: that of a solver over the same stage, data and pricing sets (a rebuilt model reuses
        it rather than gathering the candidates again)."""
        self.stage = stage
        self.ref = ref_data
        self.full = method == "full"
        self.d = stage.d
        self.n_rows = stage.n_rows
        self.n_extra = stage.n_extra_cols
        self.conv_row = stage.d if stage.convexity else -1
        h = new_highs()
        for key, value in {"threads": 1, **DEFAULT_OPTIONS}.items():
            h.setOptionValue(key, value)
        self.h = h
        E = self.n_extra
        h.addCols(E, np.zeros(E), np.zeros(E), np.full(E, HINF), 0,
                  np.zeros(E, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
        R = self.n_rows
        h.addRows(R, np.full(R, -HINF), np.full(R, HINF), 0,
                  np.zeros(R, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
        self.E_cur = np.zeros((R, E))
        self.row_lower = np.full(R, -np.inf)
        self.row_upper = np.full(R, np.inf)
        self.extra_lower = np.zeros(E)
        self.extra_upper = np.full(E, np.inf)
        self.extra_cost = np.zeros(E)
        self.extra_idx = np.arange(E, dtype=np.int32)
        self.row_idx = np.arange(R, dtype=np.int32)
        self.costs = [b.costs(ref_data) for b in stage.blocks]
        self.pricing = plan.pricing
        # per block, the candidates' data rows, a convexity coefficient and the cost side by side, so that a reduced
        # cost c_j - a_j'y (or a product a_j'y) is one product with a short vector; column-major, so that product runs
        # over contiguous columns, 2.3-3x faster (3,000 / 20,000 / 100,000 candidates x 6 rows: 18 / 100 / 293 us
        # row-major, 7 / 32 / 128 us)
        self.pricing_matrix = pricing_matrix or [
            np.asfortranarray(np.column_stack([data, np.full(p.size, float(block.convexity)), cost[p]]))
            for (p, data), cost, block in zip(plan.candidates(ref_data), self.costs, stage.blocks)]
        self.pricing_data = [m[:, : self.d] for m in self.pricing_matrix]
        self.is_active = [np.zeros(ref_data.shape[0], dtype=bool) for _ in stage.blocks]
        # the model's reference columns, in column order (after the stage's own): their block and position, and per
        # block the model column of each reference position (-1: not in the model)
        self.block_arr = np.zeros(0, dtype=np.int64)
        self.pos_arr = np.zeros(0, dtype=np.int64)
        self.col_of = [np.full(ref_data.shape[0], -1, dtype=np.int64) for _ in stage.blocks]
        self.block_masks = np.array([b.variables for b in stage.blocks], dtype=float)
        self.last_duals = None
        self.negative = None     # the last solve's negative reduced costs (see _price)
        self.applied: tuple[BatchPatch | None, int] = (None, -1)     # the patch and DMU the model holds
        for b, seed in enumerate(plan.seeds):
            self._add_columns(b, seed)

    # -- model edits ---------------------------------------------------------------------------------
    def _add_columns(self, b: int, positions: np.ndarray) -> None:
        positions = np.asarray(positions, dtype=np.int64)
        positions = positions[~self.is_active[b][positions]]
        if positions.size == 0:
            return
        block = self.stage.blocks[b]
        rows = np.flatnonzero(block.variables)
        vals = self.ref[np.ix_(positions, rows)]
        if block.convexity:
            rows = np.append(rows, self.conv_row)
            vals = np.hstack([vals, np.ones((positions.size, 1))])
        k, per = vals.shape
        starts = (np.arange(k) * per).astype(np.int32)
        index = np.tile(rows, k).astype(np.int32)
        first = self.n_extra + self.pos_arr.size
        self.h.addCols(k, self.costs[b][positions], np.zeros(k), np.full(k, HINF), k * per,
                       starts, index, vals.ravel())
        self.col_of[b][positions] = first + np.arange(k)
        self.block_arr = np.concatenate([self.block_arr, np.full(k, b, dtype=np.int64)])
        self.pos_arr = np.concatenate([self.pos_arr, positions])
        self.is_active[b][positions] = True

    def _apply(self, patch: BatchPatch, i: int) -> None:
        """Make the model DMU ``i``'s LP: after DMU ``i - 1`` of the same batch only what differs between the two
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
        self.row_lower, self.row_upper = patch.row_lower[i], patch.row_upper[i]
        E = self.n_extra
        if E:
            cost, el, eu = patch.extra_cost[i], patch.extra_lower[i], patch.extra_upper[i]
            if patch.cost_changed[i] if follows else not np.array_equal(cost, self.extra_cost):
                h.changeColsCost(E, self.extra_idx, cost)
            if patch.bounds_changed[i] if follows else not (np.array_equal(el, self.extra_lower)
                                                            and np.array_equal(eu, self.extra_upper)):
                h.changeColsBounds(E, self.extra_idx, patch.highs_extra_lower[i], patch.highs_extra_upper[i])
            self.extra_cost, self.extra_lower, self.extra_upper = cost, el, eu

    def tighten(self) -> None:
        """Solve to HiGHS's tightest primal and dual feasibility tolerances from now on."""
        for key in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
            self.h.setOptionValue(key, TIGHT_TOL)

    def _set_own_bound(self, own: int, upper: float) -> None:
        for b in range(len(self.stage.blocks)):
            col = int(self.col_of[b][own])
            if col >= 0:
                self.h.changeColBounds(col, 0.0, upper)

    # -- pricing ---------------------------------------------------------------------------------------
    def _reduced_costs(self, b: int, y: np.ndarray, cost_weight: float = 1.0) -> np.ndarray:
        """``cost_weight * c_j - a_j' y`` for the pricing candidates of block b: their reduced costs under the row
        duals ``y``, or with ``cost_weight=0`` minus their products with a ray ``y``."""
        block = self.stage.blocks[b]
        v = np.empty(self.d + 2)
        v[: self.d] = np.where(block.variables, -y[: self.d], 0.0)
        v[self.d] = -y[self.conv_row] if block.convexity else 0.0
        v[self.d + 1] = cost_weight
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
            cand = self._eligible(b, negative[rc[negative] < -PRICING_TOL], own)
            if cand.size:
                if cand.size > MAX_ADD_PER_ROUND:
                    cand = cand[np.argpartition(rc[cand], MAX_ADD_PER_ROUND)[:MAX_ADD_PER_ROUND]]
                self._add_columns(b, self.pricing[b][cand])
                added = True
        return added

    def _farkas(self, own: int) -> bool | None:
        """Add columns that break the restricted LP's infeasibility certificate.

        Returns True if columns were added, False if none can (the full LP is infeasible), None if no usable
        certificate was available (the caller then falls back to all pricing columns).
        """
        _, has_ray, ray = self.h.getDualRay()
        if not has_ray:
            return None
        y = np.asarray(ray, dtype=float)
        # a' y over the columns in the model, and the extreme values of (A x)' y and r' y over the boxes
        q_extra = self.E_cur.T @ y if self.n_extra else np.zeros(0)
        conv = np.array([blk.convexity for blk in self.stage.blocks], dtype=float)[self.block_arr]
        q_ref = (self.ref[self.pos_arr] * self.block_masks[self.block_arr]) @ y[: self.d]
        if self.conv_row >= 0:
            q_ref = q_ref + conv * y[self.conv_row]
        upper_ref = np.full(self.pos_arr.size, np.inf)
        for b in range(len(self.stage.blocks)):
            col = self.col_of[b][own] if own >= 0 else -1
            if col >= 0:
                upper_ref[col - self.n_extra] = 0.0
        q = np.concatenate([q_extra, q_ref])
        q[np.abs(q) <= 1e-9 * max(1.0, np.abs(q).max(initial=0.0))] = 0.0   # the ray is numerical
        y = np.where(np.abs(y) <= 1e-12 * max(1.0, np.abs(y).max(initial=0.0)), 0.0, y)
        lo = np.concatenate([self.extra_lower, np.zeros(self.pos_arr.size)])
        up = np.concatenate([self.extra_upper, upper_ref])
        with np.errstate(invalid="ignore"):
            ax_max = np.sum(np.where(q > 0, q * up, np.where(q < 0, q * lo, 0.0)))
            ax_min = np.sum(np.where(q > 0, q * lo, np.where(q < 0, q * up, 0.0)))
            r_min = np.sum(np.where(y > 0, y * self.row_lower, np.where(y < 0, y * self.row_upper, 0.0)))
            r_max = np.sum(np.where(y > 0, y * self.row_upper, np.where(y < 0, y * self.row_lower, 0.0)))
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
            cand = self._eligible(b, np.flatnonzero(qb > FARKAS_TOL * max(1.0, np.abs(qb).max(initial=0.0))), own)
            if cand.size:
                if cand.size > MAX_ADD_PER_ROUND:
                    cand = cand[np.argpartition(-qb[cand], MAX_ADD_PER_ROUND)[:MAX_ADD_PER_ROUND]]
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
    def solve(self, patch: BatchPatch, i: int, own: int):
        """Solve DMU ``i`` of ``patch``; ``own`` is its position in the reference set (-1 if absent)."""
        self._apply(patch, i)
        exclude = self.stage.exclude_self and own >= 0
        if exclude:
            self._set_own_bound(own, 0.0)
        own_for_pricing = own if exclude else -1
        self.negative = None
        retries = 0
        while True:
            ms = run_highs(self.h)
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
            values = np.asarray(solution.col_value, dtype=float)
            objective = self.h.getObjectiveValue()
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


class BatchPatch:
    """A :class:`~frontier.models.base.Patch` for k DMUs with what every DMU's solve and certificate derive from it,
    computed once per batch in a few vectorised operations instead of per DMU: the row bounds as HiGHS takes them,
    the magnitude of each row's bounds and of the own columns' coefficients and costs (the certificate's scales), and
    for each DMU what differs from the DMU before it (so the solver patches only that)."""

    def __init__(self, patch: Patch):
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
        # DMU i >= 1 against DMU i - 1: which of the row bounds, costs and column bounds changed, and which entries of
        # the own columns' coefficients (as (row, column, value) lists, grouped by DMU)
        self.rows_changed = np.ones(k, dtype=bool)
        self.cost_changed = np.ones(k, dtype=bool)
        self.bounds_changed = np.ones(k, dtype=bool)
        if k > 1:
            self.rows_changed[1:] = ((lo[1:] != lo[:-1]) | (up[1:] != up[:-1])).any(axis=1)
            self.cost_changed[1:] = (patch.extra_cost[1:] != patch.extra_cost[:-1]).any(axis=1)
            self.bounds_changed[1:] = ((patch.extra_lower[1:] != patch.extra_lower[:-1])
                                       | (patch.extra_upper[1:] != patch.extra_upper[:-1])).any(axis=1)
        dmu, row, col = np.nonzero(patch.extra_matrix[1:] != patch.extra_matrix[:-1])
        value = patch.extra_matrix[dmu + 1, row, col]
        cuts = np.searchsorted(dmu, np.arange(k))
        triples = list(zip(row.tolist(), col.tolist(), value.tolist()))
        self.coeff_changes = [triples[cuts[i - 1]: cuts[i]] if i else None for i in range(k)]


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
    """Coefficients of the reference columns ``pos`` of blocks ``blk`` in every row of ``stage`` (n_rows x columns)."""
    A = np.zeros((stage.n_rows, pos.size))
    masks = np.array([b.variables for b in stage.blocks], dtype=float)
    A[: stage.d] = (ref[pos] * masks[blk]).T
    if stage.convexity:
        A[stage.d] = np.array([b.convexity for b in stage.blocks], dtype=float)[blk]
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

    def reference_activity(self, stage: Stage, ref: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Per DMU and row, ``A lam`` and ``|A| lam`` over the reference columns (m x n_rows)."""
        m, d = self.own.shape[0], stage.d
        masks = np.array([b.variables for b in stage.blocks], dtype=float)
        terms = ref[self.pos] * masks[self.blk] * self.lam[:, None]
        signed, size = np.zeros((m, stage.n_rows)), np.zeros((m, stage.n_rows))
        for v in range(d):
            signed[:, v] = np.bincount(self.seg, weights=terms[:, v], minlength=m)
            size[:, v] = np.bincount(self.seg, weights=np.abs(terms[:, v]), minlength=m)
        if stage.convexity:
            conv = np.array([b.convexity for b in stage.blocks], dtype=float)[self.blk] * self.lam
            signed[:, d] = size[:, d] = np.bincount(self.seg, weights=conv, minlength=m)
        return signed, size


CERTIFY_ENTRIES = 1 << 21    # reduced costs computed at once by the certificate (pricing candidates x DMUs)


def kkt_violation(stage: Stage, ref: np.ndarray, patch: BatchPatch, rows: np.ndarray, own: np.ndarray,
                  sols: Stacked, row_duals: np.ndarray, candidates: list[tuple],
                  negatives: list | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Relative primal and dual (optimality) errors of the clipped solutions ``sols`` of DMUs ``rows`` of ``patch``
    (``own``: their positions in the reference set, -1 if absent) with row duals ``row_duals`` (one row each).

    Primal: each row's violation of its bounds relative to the magnitude of its terms ``sum |a_rj x_j| + |bound|``
    (the scale a row's residual is judged on: a row whose terms are all about 1e-20 is judged on its own scale,
    which an absolute tolerance cannot do).

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
    ``negatives`` (optional, per DMU, None where unknown) holds what pricing already found under the same duals:
    per block, the candidates with a negative reduced cost and their values (:meth:`StageSolver._price`); only
    those are then judged. Elsewhere the candidates' reduced costs are one matrix product per block and slice.
    """
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        return _kkt_violation(stage, ref, patch, rows, own, sols, row_duals, candidates, negatives)


def _kkt_violation(stage, ref, patch, rows, own, sols, row_duals, candidates, negatives):
    m, d = rows.size, stage.d
    E, abs_E, x = patch.extra_matrix[rows], patch.abs_extra_matrix[rows], sols.own
    lo, up = patch.row_lower[rows], patch.row_upper[rows]
    ref_activity, ref_size = sols.reference_activity(stage, ref)
    activity = np.einsum("mre,me->mr", E, x) + ref_activity
    magnitude = np.einsum("mre,me->mr", abs_E, np.abs(x)) + ref_size + patch.bound[rows]
    below, above = lo - activity, activity - up
    primal = _row_max_relative(np.maximum(np.maximum(below, above), 0.0), magnitude)
    tol = VERIFY_TOL * magnitude
    y = np.where(np.where(row_duals > 0, np.abs(below) <= tol, np.abs(above) <= tol), row_duals, 0.0)
    # the own columns: d >= 0 at the lower bound, d <= 0 at the upper, d = 0 between, nothing if fixed
    d_own = patch.extra_cost[rows] - np.einsum("mre,mr->me", E, y)
    violation = np.maximum(np.where(x <= patch.extra_lower[rows], 0.0, d_own),
                           np.where(x >= patch.extra_upper[rows], 0.0, -d_own))
    dual = _row_max_relative(violation, patch.abs_extra_cost[rows] + np.einsum("mre,mr->me", abs_E, np.abs(y)))
    same = (y == row_duals).all(axis=1)
    for b, (block, (positions, data)) in enumerate(zip(stage.blocks, candidates)):
        cost_v = np.zeros(d) if block.cost is None else block.cost
        Y = np.where(block.variables, y[:, :d], 0.0)
        y_conv = y[:, d] if block.convexity else np.zeros(m)
        # every candidate: only a negative reduced cost can violate (an unused column must have d >= 0). Where
        # pricing kept them under these very duals, only those few are judged; elsewhere all are recomputed.
        known = [j for j in range(m) if negatives is not None and negatives[j] is not None and same[j]]
        if known:
            at = np.repeat(known, [negatives[j][b][0].size for j in known])
            index = np.concatenate([negatives[j][b][0] for j in known])
            reduced = np.concatenate([negatives[j][b][1] for j in known])
            terms = (np.einsum("jv,jv->j", data[index], np.abs(cost_v) + np.abs(Y[at])) + np.abs(y_conv[at]))
            np.fmax.at(dual, at, -reduced / terms)
        rest = np.setdiff1d(np.arange(m), known)
        step = max(1, CERTIFY_ENTRIES // max(positions.size, 1))
        for a in range(0, rest.size if positions.size else 0, step):
            part = rest[a: a + step]
            reduced = data @ (cost_v[:, None] - Y[part].T) - y_conv[part]
            if stage.exclude_self:
                at = np.minimum(np.searchsorted(positions, own[part]), positions.size - 1)
                hit = np.flatnonzero((own[part] >= 0) & (positions[at] == own[part]))
                reduced[at[hit], hit] = np.inf
            col, lp = np.nonzero(reduced < 0)      # only these can violate: their terms are computed alone
            if col.size:
                terms = (np.einsum("kv,kv->k", data[col], np.abs(cost_v) + np.abs(Y[part[lp]]))
                         + np.abs(y_conv[part[lp]]))
                np.fmax.at(dual, part[lp], -reduced[col, lp] / terms)
        # every used column must have d = 0 (the data are non-negative, so |a_j|'|y| is a_j' |y|)
        used = sols.blk == b
        at, data_used = sols.seg[used], ref[sols.pos[used]]
        reduced = data_used @ cost_v - np.einsum("jv,jv->j", data_used, Y[at]) - y_conv[at]
        terms = data_used @ np.abs(cost_v) + np.einsum("jv,jv->j", data_used, np.abs(Y[at])) + np.abs(y_conv[at])
        np.fmax.at(dual, at, np.abs(reduced) / terms)
    return primal, dual


def certified(stage: Stage, ref: np.ndarray, patch: BatchPatch, rows: np.ndarray, own: np.ndarray,
              objective: np.ndarray, sols: Stacked, row_duals: np.ndarray, candidates: list[tuple],
              negatives: list | None = None) -> np.ndarray:
    """Which of the clipped solutions ``sols`` (of DMUs ``rows`` of ``patch``) are certified optimal: the objective
    inside its documented range (:func:`in_range`) and relative primal and dual errors (:func:`kkt_violation`)
    below ``VERIFY_TOL`` and ``OPTIMALITY_TOL``; for a stage with a ``relative_objective``, the objective not a
    tiny difference of large terms either."""
    ok = in_range(stage, own, objective)
    primal, dual = kkt_violation(stage, ref, patch, rows, own, sols, row_duals, candidates, negatives)
    ok &= (primal <= VERIFY_TOL) & (dual <= OPTIMALITY_TOL)
    if not stage.relative_objective:
        return ok
    # relative errors of size OPTIMALITY_TOL leave the objective uncertain by that much of its terms' magnitude:
    # an objective that is a tiny difference of large terms (an SBM score of 1e-21) is not certified by them
    terms = np.einsum("me,me->m", patch.abs_extra_cost[rows], np.abs(sols.own))
    for b, block in enumerate(stage.blocks):
        if block.cost is not None:
            used = sols.blk == b
            terms += np.bincount(sols.seg[used], weights=(ref[sols.pos[used]] @ np.abs(block.cost)) * sols.lam[used],
                                 minlength=rows.size)
    return ok & (np.abs(objective) >= CANCELLATION_TOL * terms)


def accepted(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, objective: float, cols: Columns,
             row_dual: np.ndarray, candidates: list[tuple], negative: list | None = None) -> bool:
    """:func:`certified` for one solution (DMU ``i`` of ``patch``, at reference position ``own``)."""
    return bool(certified(stage, ref, patch, np.array([i]), np.array([own]), np.array([objective]),
                          Stacked.of([cols], stage.n_extra_cols), row_dual[None, :], candidates, [negative])[0])


def in_range(stage: Stage, own: np.ndarray, objective: np.ndarray) -> np.ndarray:
    """Whether each ``objective`` is finite and inside the stage's documented range (:meth:`Stage.objective_range`),
    for DMUs at reference positions ``own`` (-1: not in the reference set)."""
    bounds = np.array([stage.objective_range(False), stage.objective_range(True)])
    lo, up = bounds[((np.asarray(own) >= 0) & (not stage.exclude_self)).astype(int)].T
    with np.errstate(invalid="ignore"):
        return (np.isfinite(objective) & (lo - RANGE_TOL * np.maximum(1.0, np.abs(lo)) <= objective)
                & (objective <= up + RANGE_TOL * np.maximum(1.0, np.abs(up))))


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


def own_value_scaling(A: np.ndarray, point: np.ndarray, d: int) -> tuple[np.ndarray, np.ndarray]:
    """Row factors that put the evaluated DMU at 1: data row ``v`` is divided by the DMU's own value ``point[v]``
    (rounded to a power of two) where it is positive; columns are then equilibrated with those rows held.

    Every model here is invariant to the units of each variable (SBM's terms divide by the DMU's own values; the
    radial score multiplies them; a direction, a cap and a max-slack cost are per-variable and scale alike), and
    scaling a row never changes an LP, so this is the same LP, well scaled around the point that matters: the
    DMU's own coefficients are 1 and a reference value far below it (a 1e-8 placeholder next to 1e12) is what it
    is, a negligible entry, instead of a tolerance-sized one next to the column mean."""
    row = np.ones(A.shape[0])
    own = point[:d]
    row[:d] = np.where(own > 0, np.exp2(-np.round(np.log2(np.where(own > 0, own, 1.0)))), 1.0)
    fixed = np.zeros(A.shape[0], dtype=bool)
    fixed[:d] = own > 0
    row_eq, col = equilibrate(A * row[:, None], fixed)
    return row * row_eq, col


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


def solve_robust(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, point: np.ndarray):
    """Solve DMU ``i`` of ``patch`` (its own data ``point``) with every reference column, rescaled, tightly
    toleranced, and certify the answer; the rare path for LPs the fast path could not solve or certify.

    Scalings are tried in turn (:data:`ROBUST_SCALINGS`): rows by the DMU's own values (:func:`own_value_scaling`),
    then plain geometric equilibration (:func:`equilibrate`), then with the objective balanced as a further row.
    Scaling rows and columns by powers of two is exact, so each is the same LP. The first answer that is certified
    in the LP's units is returned: an optimum by :func:`accepted` (relative primal and dual errors), an
    ``"infeasible"`` by a Farkas certificate checked exactly (:func:`farkas_certified`, :func:`infeasibility_proven`)
    and never for a stage the model guarantees feasible (:meth:`Stage.always_feasible`), an ``"unbounded"`` by a
    primal ray and a feasible point (:func:`ray_certified`). Returns ``(status, objective, Columns | None)``; when no answer can be
    certified the status is ``"numerical_error"`` (NaN, never a number).
    """
    E = stage.n_extra_cols
    lp, every_pos, every_blk, positions = dmu_lp(stage, ref, patch, i, own)
    A = lp.A
    candidates = [(p, ref[p]) for p in positions]
    feasible = stage.always_feasible(in_reference(stage, own))
    deadline = time.monotonic() + ROBUST_SECONDS
    for scaling, strategy in ROBUST_ATTEMPTS:
        if time.monotonic() >= deadline:
            break
        if scaling == "own_value":
            row_factor, col_factor = own_value_scaling(A, point, stage.d)
        else:
            row_factor, col_factor = equilibrate(np.vstack([A, lp.cost]) if scaling == "objective" else A)
            row_factor = row_factor[: A.shape[0]]
        status, x, objective, row_dual, basis = _solve_scaled(lp, row_factor, col_factor, strategy, deadline,
                                                              prove=not feasible)
        if status == "optimal":
            answers = [(x, objective, row_dual, False)]
            exact = exact_basic_solution(lp, *basis)
            if exact is not None:
                answers.insert(0, exact)
            for x, objective, row_dual, exactly_optimal in answers:
                lam = x[E:]
                nz = np.flatnonzero(lam > 0)
                cols = Columns(x[:E], every_pos[nz], every_blk[nz], lam[nz],
                               row_dual if stage.keep_duals else None).clipped(patch, i)
                if exactly_optimal and in_range(stage, np.array([own]), np.array([objective]))[0]:
                    return "optimal", objective, cols
                if accepted(stage, ref, patch, i, own, objective, cols, row_dual, candidates):
                    return "optimal", objective, cols
        elif status == "infeasible" and feasible:
            continue     # only the LP as rounded can be (a max-slack stage's fixed score), never the model's
        elif status in ("infeasible", "unbounded"):
            return status, np.nan, None      # certified by _solve_scaled
    return "numerical_error", np.nan, None


def in_reference(stage: Stage, own: int) -> bool:
    """Whether the evaluated DMU (at reference position ``own``, -1 if absent) is one of its LP's columns."""
    return own >= 0 and not stage.exclude_self


def dmu_lp(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int):
    """DMU ``i``'s LP of ``stage`` with every reference column (but the DMU itself where the stage excludes it), as a
    dense :class:`_LP`; with the columns' reference positions and blocks, and per block the positions."""
    excluded = own if stage.exclude_self and own >= 0 else -1
    positions, costs = _reference_columns(stage, ref, excluded)
    every_pos = np.concatenate(positions)
    every_blk = np.concatenate([np.full(p.size, b) for b, p in enumerate(positions)])
    A = np.hstack([patch.extra_matrix[i], column_matrix(stage, ref, every_pos, every_blk)])
    lp = _LP(A, np.concatenate([patch.extra_cost[i]] + costs),
             np.concatenate([patch.extra_lower[i], np.zeros(every_pos.size)]),
             np.concatenate([patch.extra_upper[i], np.full(every_pos.size, np.inf)]),
             patch.row_lower[i], patch.row_upper[i])
    return lp, every_pos, every_blk, positions


def infeasible_certified(stage: Stage, ref: np.ndarray, patch: BatchPatch, i: int, own: int, ray) -> bool:
    """Whether a fast-path "infeasible" stands: the stage does not guarantee a feasible LP
    (:meth:`Stage.always_feasible`) and the restricted model's dual ray ``ray`` is a Farkas certificate of DMU
    ``i``'s LP with every reference column, checked exactly (:func:`farkas_certified`). Otherwise the LP goes to
    the robust path, which proves infeasibility or reports ``"numerical_error"``."""
    if ray is None or stage.always_feasible(in_reference(stage, own)):
        return False
    return farkas_certified(dmu_lp(stage, ref, patch, i, own)[0], ray)


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
    return x_float, objective, row_dual, exact


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
    for j in nonbasic[~sure]:
        d = F(lp.cost[j]) - sum((F(lp.A[i, j]) * y for i, y in used if lp.A[i, j] != 0), F(0))
        if (d < 0 and col_status[j] != AT_UPPER) or (d > 0 and col_status[j] != AT_LOWER):
            return False
    return True


def exact_simplex(lp: "_LP", col_status: np.ndarray, row_status: np.ndarray, max_pivots: int = 50):
    """Primal simplex pivots in rational arithmetic from a floating-point simplex's final basis, until the basis is
    exactly optimal for the LP as given (its floats are exact rationals).

    A float simplex stops at a basis that is optimal within its tolerances; on a degenerate LP the exact reduced
    cost of a nonbasic column may then be -5e-17 instead of 0, so the basis is not exactly optimal and its exact
    dual is no certificate, although a basis one or two pivots away is. The LP is taken with a slack per row
    (``A x - s = 0``, ``row_lo <= s <= row_up``); Bland's rule (the lowest index enters, ties leave by the lowest
    index) cannot cycle. Returns HiGHS-coded ``(col_status, row_status)`` of an exactly optimal basis, or None when
    the start is not exactly primal feasible or singular, the LP is unbounded, or ``max_pivots`` run out.
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

    cost = [F(float(c)) for c in lp.cost] + [F(0)] * R

    def nonbasic_value(j: int) -> F:
        fixed_or_lower = lower[j] == upper[j] or status[j] == AT_LOWER
        bound = lower[j] if fixed_or_lower else upper[j] if status[j] == AT_UPPER else 0.0
        return F(float(bound)) if np.isfinite(bound) else F(0)

    for _ in range(max_pivots):
        B = [[column(j)[i] for j in basis] for i in range(R)]
        in_basis = set(basis)
        nonbasic = [j for j in range(C + R) if j not in in_basis]
        values = {j: nonbasic_value(j) for j in nonbasic}
        rhs = [-sum((column(j)[i] * v for j, v in values.items() if v != 0), F(0)) for i in range(R)]
        x_basic = _solve_exact(B, rhs)
        y = _solve_exact([list(row) for row in zip(*B)], [cost[j] for j in basis])
        if x_basic is None or y is None:
            return None
        if any((np.isfinite(lower[j]) and v < F(float(lower[j]))) or (np.isfinite(upper[j]) and v > F(float(upper[j])))
               for j, v in zip(basis, x_basic)):
            return None
        entering = None
        for j in nonbasic:
            if lower[j] == upper[j]:
                continue
            d = cost[j] - sum((yi * a for yi, a in zip(y, column(j)) if a != 0), F(0))
            at = values[j]
            if (d < 0 and (not np.isfinite(upper[j]) or at < F(float(upper[j])))) or \
                    (d > 0 and (not np.isfinite(lower[j]) or at > F(float(lower[j])))):
                entering, direction = j, (1 if d < 0 else -1)
                break
        if entering is None:
            col = np.where(status[:C] == BASIC, BASIC, status[:C])
            return col, status[C:].copy()
        w = _solve_exact(B, column(entering))
        span = upper[entering] - lower[entering]
        step = F(float(span)) if np.isfinite(span) else None
        leaving, leaving_bound = None, None
        for k, (j, v, wk) in enumerate(zip(basis, x_basic, w)):
            change = -direction * wk            # d x_j / d step
            if change < 0 and np.isfinite(lower[j]):
                room, bound = (v - F(float(lower[j]))) / -change, AT_LOWER
            elif change > 0 and np.isfinite(upper[j]):
                room, bound = (F(float(upper[j])) - v) / change, AT_UPPER
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
    y = np.asarray(y, dtype=float)
    if not np.isfinite(y).all() or not y.any():
        return False
    return _farkas_exact(lp, y) or _farkas_exact(lp, -y)


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


def infeasibility_proven(lp: _LP, row_factor: np.ndarray, col_factor: np.ndarray,
                         deadline: float | None = None) -> bool:
    """Whether ``lp`` is infeasible, proven exactly when HiGHS's ray is not a certificate (its rounding can break one
    on a badly scaled LP): the phase-1 LP ``min sum(u + v)  s.t.  row_lo <= A x + u - v <= row_up`` (x in its box,
    u, v >= 0; always feasible and bounded) is solved with the same scaling (within ``deadline``, as the LP's own
    solves), and its final basis is recomputed and checked in rational arithmetic (:func:`exact_basic_solution`). An exactly optimal basis with a positive
    exact objective proves that no x meets the rows; its dual is the Farkas certificate."""
    R, C = lp.A.shape
    identity = np.eye(R)
    phase1 = _LP(np.hstack([lp.A, identity, -identity]), np.concatenate([np.zeros(C), np.ones(2 * R)]),
                 np.concatenate([lp.col_lo, np.zeros(2 * R)]), np.concatenate([lp.col_up, np.full(2 * R, np.inf)]),
                 lp.row_lo, lp.row_up)
    factors = np.concatenate([col_factor, 1.0 / row_factor, 1.0 / row_factor])
    status, _, _, _, basis = _solve_scaled(phase1, row_factor, factors, deadline=deadline, prove=False)
    if status != "optimal":
        return False
    exact = exact_basic_solution(phase1, *basis)
    if exact is not None and not exact[3]:          # optimal within tolerances only: pivot on, exactly
        polished = exact_simplex(phase1, *basis)
        exact = exact_basic_solution(phase1, *polished) if polished is not None else None
    return exact is not None and exact[3] and exact[1] > 0


def ray_certified(lp: _LP, r: np.ndarray) -> bool:
    """Whether ``r`` is a direction of unbounded descent: it keeps every bound (a component may move towards an
    infinite bound only; each row's ``A r`` relatively 0 on a side with a finite bound) and ``cost'r < 0`` by a
    margin relative to ``sum |cost_j r_j|``."""
    r = np.where(np.abs(r) <= 1e-12 * np.abs(r).max(initial=0.0), 0.0, r)
    if np.any((r < 0) & np.isfinite(lp.col_lo)) or np.any((r > 0) & np.isfinite(lp.col_up)):
        return False
    Ar, size = lp.A @ r, np.abs(lp.A) @ np.abs(r)
    if np.any((Ar < -VERIFY_TOL * size) & np.isfinite(lp.row_lo)) or \
            np.any((Ar > VERIFY_TOL * size) & np.isfinite(lp.row_up)):
        return False
    return bool(lp.cost @ r < -VERIFY_TOL * (np.abs(lp.cost) @ np.abs(r)))


def _solve_scaled(lp: _LP, row_factor: np.ndarray, col_factor: np.ndarray, strategy: int = 1,
                  deadline: float | None = None, prove: bool = True):
    """Solve ``lp`` after scaling rows by ``row_factor`` and columns by ``col_factor`` (and the objective by a
    power of two that brings its largest entry near 1), with :data:`ROBUST_OPTIONS`, every HiGHS call ending by
    ``deadline`` (:func:`time.monotonic`; default ``SOLVE_SECONDS`` from now) at the latest.

    Returns ``(status, x, objective, row_dual, basis)`` in the LP's own units; ``x``, ``row_dual`` and ``basis``
    (HiGHS's column and row basis statuses as integers) are None unless optimal. ``"infeasible"`` and ``"unbounded"``
    are only returned when certified: HiGHS's dual ray checked exactly (:func:`farkas_certified`) or, where it fails,
    the infeasibility proven exactly (:func:`infeasibility_proven`, unless ``prove`` is False); a primal ray with a
    feasible point (:func:`ray_certified`). Otherwise ``"numerical_error"``.
    """
    if deadline is None:
        deadline = time.monotonic() + SOLVE_SECONDS
    A, cost = lp.A, lp.cost
    top = np.abs(cost * col_factor).max(initial=0.0)
    cost_factor = np.exp2(-np.round(np.log2(top))) if top > 0 else 1.0
    As = (A * row_factor[:, None] * col_factor[None, :]).T       # column-major for addCols
    top = np.abs(As).max(initial=0.0)
    if top > HIGHS_LARGEST_ENTRY:     # every row by the same power of two: the same LP, its entries in HiGHS's range
        shift = np.exp2(-np.ceil(np.log2(top / HIGHS_LARGEST_ENTRY)))
        row_factor, As = row_factor * shift, As * shift
    As[np.abs(As) < HIGHS_SMALLEST_ENTRY] = 0.0
    R, C = A.shape
    h = new_highs()
    for key, value in {"threads": 1, **ROBUST_OPTIONS, "simplex_strategy": strategy}.items():
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
        if has_ray and farkas_certified(lp, np.asarray(ray, dtype=float) * row_factor):
            return "infeasible", None, np.nan, None, None
        if prove and infeasibility_proven(lp, row_factor, col_factor, deadline):
            return "infeasible", None, np.nan, None, None
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
    return bool((_relative(violation, size + bound) <= VERIFY_TOL).all())


ACTIVE_CAP = 300        # rebuild the restricted model from recently used columns beyond this many columns
RECENT = 256           # ... namely the support of the last RECENT solutions


@dataclass
class StageAnswers:
    """One stage's answers for k DMUs while they are being found: the batch's patch and, per DMU, the status
    (``"not_solved"`` until an answer is certified or proven), objective, row duals and solution."""

    patch: BatchPatch
    status: np.ndarray
    objective: np.ndarray
    row_duals: np.ndarray
    sols: list

    @classmethod
    def start(cls, stage: Stage, data0: np.ndarray, prev: dict) -> "StageAnswers":
        k = data0.shape[0]
        return cls(BatchPatch(stage.patch(data0, prev)), np.full(k, "not_solved", dtype=object), np.full(k, np.nan),
                   np.full((k, stage.n_rows), np.nan), [None] * k)


def solve_stage_batch(stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str, data0: np.ndarray,
                      own: np.ndarray, prev: dict, answers: StageAnswers | None = None) -> StageSolution:
    """Solve one stage for k DMUs with one warm-started solver.

    Columns only ever join the shared active set; when it grows past ``ACTIVE_CAP`` the model is rebuilt
    from the columns that the last ``RECENT`` solutions used, which keeps each simplex solve small. With
    ``method="dense"`` the batched simplex (:func:`solve_dense`) goes first and HiGHS solves only what it leaves;
    ``answers`` are those of a batched solve already run (with other reference sets', :func:`solve_chunks`).
    """
    k = data0.shape[0]
    if answers is None:
        answers = StageAnswers.start(stage, data0, prev)
        if method == "dense" and k >= DENSE_MIN_BATCH:
            solve_dense(stage, [(ref_data, plan, own, answers)])
    pending = np.flatnonzero(answers.status == "not_solved").tolist()
    if pending:      # (a dense batch may have left none: then no HiGHS model is built)
        solve_with_highs(stage, ref_data, plan, method, own, answers, pending)
    left = np.flatnonzero(answers.status == "not_solved").tolist()
    if method == "full" and left:
        # what the model with every column could not solve or certify (on extreme data its dual simplex can cycle
        # at the tight tolerances, ending at the iteration limit) goes to column generation over the screened
        # candidates first: the same LP, smaller, solved as "auto" would, so "full" gives the same answers
        solve_with_highs(stage, ref_data, plan_stage(stage, ref_data, "restricted", n_evaluated=k), "restricted", own, answers,
                         left)
    patch, status, objective, row_duals, sols = (answers.patch, answers.status, answers.objective, answers.row_duals,
                                                 answers.sols)
    for i in sorted(np.flatnonzero(status == "not_solved").tolist()):
        status[i], objective[i], sols[i] = solve_robust(stage, ref_data, patch, i, int(own[i]), data0[i])
        row_duals[i] = np.nan if sols[i] is None or sols[i].duals is None else sols[i].duals
    return _stage_solution(stage, ref_data, status, objective, sols, row_duals)


def solve_with_highs(stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str, own: np.ndarray,
                     answers: StageAnswers, pending: list[int]) -> None:
    """The HiGHS pass of :func:`solve_stage_batch` over the DMUs ``pending``: one warm-started restricted model (rebuilt
    past the active-set cap), every optimal answer certified (a refused one solved again at HiGHS's tightest
    tolerances); what stays ``"not_solved"`` in ``answers`` goes to the robust path."""
    patch, status, objective, row_duals, sols = (answers.patch, answers.status, answers.objective, answers.row_duals,
                                                 answers.sols)
    solver = StageSolver(stage, ref_data, plan, method)
    recent: list[np.ndarray] = []
    cap = ACTIVE_CAP
    negatives: list = [None] * len(status)
    fast = []       # optimal on the fast path, to certify (an unbounded LP or a failure stays for the robust path)
    for i in pending:
        st, obj, values, row_dual = solver.solve(patch, i, int(own[i]))
        if st == "optimal":
            sols[i] = solver.columns(values).clipped(patch, i)
            objective[i], row_duals[i], negatives[i] = obj, row_dual, solver.negative
            fast.append(i)
            recent.append(sols[i].pos)
        elif st == "infeasible" and infeasible_certified(stage, ref_data, patch, i, int(own[i]), row_dual):
            status[i] = st          # else the robust path proves it or reports numerical_error
        if method != "full" and solver.pos_arr.size > cap:
            used = np.unique(np.concatenate(recent[-RECENT:] or [np.zeros(0, dtype=np.int64)]))
            seeds = [np.union1d(s, used) for s in plan.seeds]
            solver = StageSolver(stage, ref_data, StagePlan(plan.pricing, seeds), method, solver.pricing_matrix)
            cap = max(ACTIVE_CAP, 2 * solver.pos_arr.size)     # never rebuild over and over
    fast = np.asarray(fast, dtype=np.int64)
    ok = certified(stage, ref_data, patch, fast, own[fast], objective[fast],
                   Stacked.of([sols[i] for i in fast], stage.n_extra_cols), row_duals[fast], solver.candidates,
                   [negatives[i] for i in fast])
    status[fast[ok]] = "optimal"
    if not ok.all():
        # HiGHS stops at absolute tolerances of 1e-7, the certificate asks 1e-9 relative: a second solve of the same
        # restricted model with HiGHS's tightest tolerances usually closes the gap at the cost of one warm LP
        solver.tighten()
        for i in fast[~ok].tolist():
            st, obj, values, row_dual = solver.solve(patch, i, int(own[i]))
            if st == "optimal":
                cols = solver.columns(values).clipped(patch, i)
                if accepted(stage, ref_data, patch, i, int(own[i]), obj, cols, row_dual, solver.candidates,
                            solver.negative):
                    status[i], objective[i], sols[i], row_duals[i] = "optimal", obj, cols, row_dual


def solve_dense(stage: Stage, parts: list[tuple]) -> None:
    """Solve the stage's LPs of every DMU of every part ``(ref_data, plan, own, answers)`` (one reference set each) in
    one batch of the dense simplex (:mod:`frontier.dense_simplex`), over each reference set's pricing candidates (exact:
    the other columns are dominated), and certify the solutions exactly as HiGHS's (:func:`certified`). The certified
    ones are written into each part's :class:`StageAnswers`; the others stay ``"not_solved"`` (for HiGHS)."""
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
    if N > DENSE_ALL_COLUMNS:      # column generation over an active set that starts from the plan's seed columns
        active = np.zeros((len(parts), N), dtype=bool)
        for g, ((_, plan, _, _), (pos, blk, _, _)) in enumerate(zip(parts, columns)):
            for b, seed in enumerate(plan.seeds):
                active[g, : pos.size] |= (blk == b) & np.isin(pos, seed)
    patches = [answers.patch for _, _, _, answers in parts]
    sizes = [len(p.row_lower) for p in patches]

    def stack(name):
        return np.concatenate([getattr(p, name) for p in patches])

    banned = None
    if stage.exclude_self:
        banned = np.zeros((sum(sizes), N), dtype=bool)
        first = 0
        for (_, _, own, _), (pos, _, _, _), size in zip(parts, columns, sizes):
            banned[first: first + size, : pos.size] = (pos[None, :] == own[:, None]) & (own[:, None] >= 0)
            first += size
    out = dense_simplex.solve_batch(A, cost, stack("extra_matrix"), stack("extra_cost"), stack("extra_lower"),
                                    stack("extra_upper"), stack("row_lower"), stack("row_upper"),
                                    group=np.repeat(np.arange(len(parts)), sizes), banned=banned, active=active)
    first = 0
    for (ref_data, plan, own, answers), (pos, blk, _, _), size in zip(parts, columns, sizes):
        rows = slice(first, first + size)
        first += size
        patch = answers.patch
        done = np.flatnonzero(out.solved[rows])
        lam, duals, objective = out.lam[rows][:, : pos.size], out.duals[rows], out.objective[rows]
        own_values = np.clip(out.own[rows], patch.extra_lower, patch.extra_upper)    # as Columns.clipped
        # the nonzero intensities of the solved LPs, row by row (an unsolved LP's are all 0)
        at, col = np.nonzero(lam > 1e-12 * np.maximum(1.0, lam.max(axis=1, initial=0.0))[:, None])
        stacked = Stacked(own_values[done], np.searchsorted(done, at), pos[col], blk[col], lam[at, col])
        ok = certified(stage, ref_data, patch, done, own[done], objective[done], stacked, duals[done],
                       plan.candidates(ref_data))
        cuts = np.searchsorted(at, np.arange(size + 1))
        for i in done[ok].tolist():
            nz = slice(cuts[i], cuts[i + 1])
            answers.sols[i] = Columns(own_values[i], stacked.pos[nz], stacked.blk[nz], stacked.lam[nz],
                                      duals[i] if stage.keep_duals else None)
        answers.status[done[ok]] = "optimal"
        answers.objective[done[ok]] = objective[done[ok]]
        answers.row_duals[done[ok]] = duals[done[ok]]


def _stage_solution(stage: Stage, ref: np.ndarray, status: np.ndarray, objective: np.ndarray,
                    sols: list, row_duals: np.ndarray) -> StageSolution:
    """The answers of one stage for k DMUs: values of the optimal ones, NaN elsewhere; intensities summed over blocks
    per reference position (sorted) in CSR form."""
    k, n_ref = status.size, ref.shape[0]
    done = np.flatnonzero(status == "optimal")
    objective = np.where(status == "optimal", objective, np.nan)
    stacked = Stacked.of([sols[i] for i in done], stage.n_extra_cols)
    extras = np.full((k, stage.n_extra_cols), np.nan)
    sums = np.full((k, stage.d), np.nan)
    extras[done] = stacked.own
    sums[done] = stacked.reference_activity(stage, ref)[0][:, : stage.d]
    keys = stacked.seg * n_ref + stacked.pos          # (DMU, reference position), sortable as one integer
    order = np.argsort(keys, kind="stable")
    key, first = np.unique(keys[order], return_index=True)
    lam_val = np.add.reduceat(stacked.lam[order], first) if key.size else np.zeros(0)
    ptr = np.zeros(k + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(done[key // n_ref], minlength=k)) if key.size else 0
    duals = np.where((status == "optimal")[:, None], row_duals, np.nan) if stage.keep_duals else None
    return StageSolution(status, objective, extras, sums, ptr, key % n_ref, lam_val, duals)


# ----------------------------------------------------------------------------------------------------
# a whole model for a batch of DMUs, in chunks, optionally in parallel
# ----------------------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    """Per-DMU outputs of a model: arrays keyed by name, plus intensities in CSR form."""

    values: dict
    lam_ptr: np.ndarray
    lam_idx: np.ndarray
    lam_val: np.ndarray


def _csr_rows(lam_ptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows ``rows`` of intensities in CSR form: the new row pointer and the positions of their entries."""
    counts = np.diff(lam_ptr)[rows]
    ptr = np.zeros(rows.size + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])
    return ptr, np.repeat(lam_ptr[:-1][rows] - ptr[:-1], counts) + np.arange(ptr[-1])


def _take(sol: StageSolution, rows: np.ndarray) -> StageSolution:
    """The rows ``rows`` of a stage's solution (intensities regathered)."""
    ptr, take = _csr_rows(sol.lam_ptr, rows)
    return StageSolution(sol.status[rows], sol.objective[rows], sol.extras[rows], sol.sums[rows], ptr,
                         sol.lam_idx[take], sol.lam_val[take], None if sol.duals is None else sol.duals[rows])


def _cat(sols: list[StageSolution]) -> StageSolution:
    """Stage solutions one after another (duals only if every part has them)."""
    ptr = np.concatenate([[0], np.cumsum(np.concatenate([np.diff(s.lam_ptr) for s in sols]))]).astype(np.int64)
    duals = None if any(s.duals is None for s in sols) else np.concatenate([s.duals for s in sols])
    return StageSolution(*(np.concatenate([getattr(s, f) for s in sols]) for f in ("status", "objective", "extras",
                                                                                    "sums")),
                         ptr, np.concatenate([s.lam_idx for s in sols]), np.concatenate([s.lam_val for s in sols]),
                         duals)


def _previous_duals(last: tuple, sel: np.ndarray) -> np.ndarray | None:
    """The row duals of the stage solved last (``(rows, StageSolution)``) for the DMUs ``sel``: NaN for a DMU it did
    not solve; None if it keeps no duals."""
    rows, sol = last
    if sol.duals is None:
        return None
    pos = np.minimum(np.searchsorted(rows, sel), rows.size - 1)
    out = np.full((sel.size, sol.duals.shape[1]), np.nan)
    hit = rows[pos] == sel
    out[hit] = sol.duals[pos[hit]]
    return out


def _merge_lambda(k, old, new_sol: StageSolution, rows: np.ndarray, scale: np.ndarray):
    """Replace the intensities of ``rows`` by those of a later stage (scaled, e.g. by 1/t) where that stage is
    optimal; every other DMU of the ``k`` keeps its CSR row of ``old = (ptr, idx, val)``."""
    old_ptr, old_idx, old_val = old
    solved = np.flatnonzero(new_sol.status == "optimal")
    kept = np.ones(k, dtype=bool)
    kept[rows[solved]] = False
    kept = np.flatnonzero(kept)
    counts = np.diff(old_ptr)
    counts[rows[solved]] = np.diff(new_sol.lam_ptr)[solved]
    ptr = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(counts, out=ptr[1:])

    def placed(source_ptr, source_rows, target_rows):
        """Where the entries of ``source_rows`` go (rows ``target_rows`` of ``ptr``) and where they come from."""
        sub_ptr, take = _csr_rows(source_ptr, source_rows)
        return np.repeat(ptr[target_rows] - sub_ptr[:-1], np.diff(sub_ptr)) + np.arange(take.size), take

    idx, val = np.empty(ptr[-1], dtype=np.int64), np.empty(ptr[-1])
    at, take = placed(old_ptr, kept, kept)
    idx[at], val[at] = old_idx[take], old_val[take]
    at, take = placed(new_sol.lam_ptr, solved, rows[solved])
    idx[at] = new_sol.lam_idx[take]
    val[at] = new_sol.lam_val[take] * np.repeat(scale[solved], np.diff(new_sol.lam_ptr)[solved])
    return ptr, idx, val


@dataclass
class _ChunkStage:
    """One chunk's share of a stage in :func:`solve_chunks`: the DMUs the stage selects (``sel``, rows of the chunk;
    ``prev``: the earlier stages' values for them), those that the previous stage's solution already settles, those
    left to solve (``todo``, rows of ``sel``; ``prev_todo``: their earlier values) and, with ``method="dense"``, their
    answers from the batched simplex."""

    state: dict
    ref_data: np.ndarray
    plan: StagePlan
    data0: np.ndarray
    own: np.ndarray
    sel: np.ndarray
    prev: dict
    settled: np.ndarray
    todo: np.ndarray
    prev_todo: dict
    answers: StageAnswers | None = None


def solve_chunks(spec: ModelSpec, pieces: list[tuple], method: str) -> list[BatchResult]:
    """Run every stage of ``spec`` for several chunks ``(ref_data, plans, data0, own)`` (one reference set each) in one
    process. With ``method="dense"`` each stage's LPs of every chunk go through one batch of the dense simplex
    (:func:`solve_dense`); HiGHS then solves, chunk by chunk, what that batch left."""
    states = []
    for _, _, data0, _ in pieces:
        k = data0.shape[0]
        states.append({"values": {"status": np.full(k, "not_solved", dtype=object)},
                       "lam": (np.zeros(k + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0)),
                       "last": None})       # last: (rows, StageSolution) of the stage solved last
    for s, stage in enumerate(spec.stages):
        work = []
        for (ref_data, plans, data0, own), state in zip(pieces, states):
            values, last = state["values"], state["last"]
            sel = np.flatnonzero(stage.select(values))
            if sel.size == 0:
                continue
            prev = {key: val[sel] for key, val in values.items()}
            settled = (stage.settled(prev, data0[sel], _previous_duals(last, sel)) if last is not None
                       else np.zeros(sel.size, dtype=bool))
            todo = np.flatnonzero(~settled)
            w = _ChunkStage(state, ref_data, plans[s], data0, own, sel, prev, settled, todo,
                            {key: val[todo] for key, val in prev.items()})
            if method == "dense" and todo.size:
                w.answers = StageAnswers.start(stage, data0[sel[todo]], w.prev_todo)
            work.append(w)
        batch = [(w.ref_data, w.plan, w.own[w.sel[w.todo]], w.answers) for w in work if w.answers is not None]
        if sum(len(answers.status) for *_, answers in batch) >= DENSE_MIN_BATCH:
            solve_dense(stage, batch)
        for w in work:
            last, pieces_of_sol = w.state["last"], []
            if w.settled.any():
                pieces_of_sol.append(_take(last[1], np.searchsorted(last[0], w.sel[w.settled])))
                pieces_of_sol[0].objective = stage.objective_at(pieces_of_sol[0])
                pieces_of_sol[0].duals = pieces_of_sol[0].duals if stage.keep_duals else None
            if w.todo.size:
                rows = w.sel[w.todo]
                pieces_of_sol.append(solve_stage_batch(stage, w.ref_data, w.plan, method, w.data0[rows], w.own[rows],
                                                       w.prev_todo, answers=w.answers))
            placed = np.concatenate([np.flatnonzero(w.settled), w.todo])       # the pieces' rows, as rows of sel
            sol = (_take(_cat(pieces_of_sol), np.argsort(placed, kind="stable")) if len(pieces_of_sol) > 1
                   else pieces_of_sol[0])
            w.state["last"] = (w.sel, sol)
            out = stage.decode(sol, w.data0[w.sel], w.prev)
            values, k = w.state["values"], w.data0.shape[0]
            for key, val in out.items():
                if key.startswith("_"):
                    continue
                if key not in values:
                    shape = (k,) + np.shape(val)[1:]
                    values[key] = (np.full(shape, np.nan) if np.asarray(val).dtype != object
                                   else np.full(shape, None, dtype=object))
                values[key][w.sel] = val
            if "_intensity_scale" in out:
                w.state["lam"] = _merge_lambda(k, w.state["lam"], sol, w.sel, out["_intensity_scale"])
    return [BatchResult(state["values"], *state["lam"]) for state in states]


def _concat(parts: list[BatchResult]) -> BatchResult:
    # a later stage may have run in some chunks only (e.g. every DMU of a chunk infeasible in stage 1, so
    # no slack stage there): such a chunk lacks that stage's keys, which are filled with NaN (None)
    keys = list(dict.fromkeys(key for p in parts for key in p.values))
    values = {}
    for key in keys:
        template = next(np.asarray(p.values[key]) for p in parts if key in p.values)
        arrays = []
        for p in parts:
            if key in p.values:
                arrays.append(p.values[key])
                continue
            shape = (len(p.values["status"]),) + template.shape[1:]
            arrays.append(np.full(shape, None, dtype=object) if template.dtype == object else np.full(shape, np.nan))
        values[key] = np.concatenate(arrays)
    ptr = [np.zeros(1, dtype=np.int64)]
    offset = 0
    for p in parts:
        ptr.append(p.lam_ptr[1:] + offset)
        offset += p.lam_ptr[-1]
    return BatchResult(values, np.concatenate(ptr), np.concatenate([p.lam_idx for p in parts]),
                       np.concatenate([p.lam_val for p in parts]))


DEFAULT_CHUNK = 1024    # the largest default chunk (DMUs per task)
# Parallel work, measured with benchmarks/bench_threshold.py (SBM VRS, two bad outputs, pool started, same chunks
# serially and on two workers): dispatching the tasks of a call to running workers costs about 35-60 ms of wall time
# (n = 20..100, where the serial call takes 0.1-0.5 s; on a machine loaded about 10 on 2 cores, where one DMU's LPs
# took about 4 ms), so two free cores pay from about 2 x 45 / 4 = 25 DMUs on. Jobs of SPLIT_MIN DMUs or more are split
# into an even number of balanced chunks (two workers end together) whatever n_jobs is, so results never depend on
# it; splitting costs nothing measurable serially at n = 500..3,000 (each chunk's active set is smaller) and 10% at
# n = 200. Workers start when a call has PARALLEL_MIN DMUs or more in two tasks or more: a 20-fold margin over the
# break-even, as the pool's first start (a cold call) costs about a second more (benchmarks/bench_cold.py). At load
# about 3.5, two workers against one serial chunk: n = 200 1.5x, 500 1.7x, 1,000 1.7x (medians of 3).
SPLIT_MIN = 500
PARALLEL_MIN = 500


def chunk_bounds(k: int, chunk_size: int | None) -> list[tuple[int, int]]:
    """The chunks ``(start, stop)`` of a job of ``k`` DMUs: ``chunk_size`` DMUs each when given; by default one
    chunk below ``SPLIT_MIN`` DMUs, else an even number of balanced chunks of at most ``DEFAULT_CHUNK`` (a function of
    ``k`` only, so that the same LPs are solved from the same seeds whatever ``n_jobs`` is)."""
    if k == 0:
        return [(0, 0)]
    if chunk_size is not None:
        return [(a, min(a + chunk_size, k)) for a in range(0, k, chunk_size)]
    if k < SPLIT_MIN:
        return [(0, k)]
    count = -(-k // DEFAULT_CHUNK)
    count += count % 2
    cuts = np.linspace(0, k, count + 1).round().astype(int)
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


ORDER_MIN = 64          # jobs of fewer DMUs are solved in the given order
ORDER_WINDOW = 128     # DMUs chained by nearest neighbours within each window of the Z-order


def solve_order(data0: np.ndarray) -> np.ndarray:
    """An order of the evaluated DMUs in which each LP is close to the one before it, so the warm-started simplex
    needs few iterations: data ranks (so units and outliers do not matter) projected on their three leading
    principal components, sorted along a Z-order (Morton) curve, then chained by nearest neighbours within windows of
    ``ORDER_WINDOW`` DMUs. A function of the data alone (results do not depend on ``n_jobs``); O(n x window).

    Measured with ``benchmarks/bench_order.py`` (n = 3,000, serial, against the data's own order): simplex
    iterations per LP 6.7 -> 3.4 (friendly data) and 11.2 -> 5.6 (hard) for VRS SBM with bad outputs, 10.2 -> 2.2
    and 13.0 -> 2.6 for input-oriented BCC; time 1.20x, 1.06x, 1.36x and 1.26x faster. On the hard data the Z-order
    alone gave 6.4 iterations, a full nearest-neighbour chain (O(n^2)) 4.7.
    """
    k = data0.shape[0]
    if k < ORDER_MIN:
        return np.arange(k)
    ranks = np.argsort(np.argsort(data0, axis=0, kind="stable"), axis=0, kind="stable") / k
    ranks = ranks[:, np.ptp(ranks, axis=0) > 0] - 0.5
    if ranks.shape[1] == 0:
        return np.arange(k)
    _, _, vt = np.linalg.svd(ranks, full_matrices=False)
    P = ranks @ vt[:3].T
    bits = 10
    Q = ((P - P.min(axis=0)) / np.maximum(np.ptp(P, axis=0), 1e-300) * (2 ** bits - 1)).astype(np.int64)
    key = np.zeros(k, dtype=np.int64)
    for b in range(bits):
        for v in range(Q.shape[1]):
            key |= ((Q[:, v] >> b) & 1) << (b * Q.shape[1] + v)
    z = np.argsort(key, kind="stable")
    order = np.empty(k, dtype=np.int64)
    last = None
    for a in range(0, k, ORDER_WINDOW):
        window = z[a: a + ORDER_WINDOW]
        W = ranks[window]
        # the window's squared distances at once; a chosen DMU's column becomes inf, so each step is one argmin
        dist = ((W[:, None, :] - W[None, :, :]) ** 2).sum(axis=2)
        j = 0 if last is None else int(np.argmin(((W - last) ** 2).sum(axis=1)))
        for t in range(window.size):
            order[a + t] = window[j]
            dist[:, j] = np.inf
            if t + 1 < window.size:
                j = int(dist[j].argmin())
        last = W[j]
    return order


def _reordered(result: BatchResult, order: np.ndarray) -> BatchResult:
    """``result`` of DMUs solved in ``order``, put back in the job's own order."""
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    values = {key: val[inverse] for key, val in result.values.items()}
    ptr, take = _csr_rows(result.lam_ptr, inverse)
    return BatchResult(values, ptr, result.lam_idx[take], result.lam_val[take])


@dataclass
class Job:
    """One reference set and the DMUs evaluated against it (scaled data; ``own``: each DMU's position in the
    reference set, -1 if absent)."""

    spec: ModelSpec
    ref_data: np.ndarray
    data0: np.ndarray
    own: np.ndarray


# "auto" puts every reference column in the model for reference sets of at most FULL_MAX columns: measured with one
# core on the hard data (VRS SBM with bad outputs / input BCC), the full model against column generation took 0.90 /
# 0.75 of the time at 100 DMUs, 0.86 / 0.92 at 200, 0.99 / 1.09 at 300, 1.16 / 1.07 at 500 and 1.48 / 1.46 at 800
FULL_MAX = 200

# "auto" solves LPs of at most DENSE_ROWS rows against reference sets of at most DENSE_MAX DMUs with the batched dense
# simplex (frontier.dense_simplex; column generation inside it above DENSE_ALL_COLUMNS candidates).
# benchmarks/bench_dense.py (one core, hard data, one reference set) timed it against the better of "full" and
# "restricted" at 300 / 1,000 / 2,000 / 3,000 DMUs: input BCC (5 rows) 0.67 / 0.56 / 0.55 / 0.91, output BCC 0.57 /
# 0.62 / 0.67 / 0.69, SBM without bad outputs (6 rows) 0.61 / 0.72 / 0.61 / 0.71, input EBM (5 rows) 0.78 / 0.67 / 0.66
# / 0.84, radial with two weakly disposable bad outputs (7 rows) 0.84 / 0.62 / 0.61 / 0.69; at 6,000 about even (BCC
# 0.93-1.07, SBM 1.02-1.12). VRS SBM with two bad outputs (8 rows, 7 own columns) lost: 0.85 / 1.35 / 1.97 / 2.20 (its
# LPs need many distinct columns, so the shared active set grows to most candidates and the iterations triple).
# Below FULL_MAX DMUs it pays only when jobs are packed (pack_tasks): bootstrap replicates of 50 / 100 / 200 DMUs took
# 0.37 / 0.34 / 0.37 of the full model's time, so small reference sets use it when PACK_MIN_JOBS one-chunk jobs of the
# model come together.
DENSE_MAX = 3000
DENSE_ROWS = 7
PACK_MIN_JOBS = 4


def job_method(method: str, n_reference: int, n_rows: int = 0, n_packable: int = 1) -> str:
    """The method of a job of ``n_reference`` reference columns whose largest stage LP has ``n_rows`` rows, in a call
    with ``n_packable`` one-chunk jobs of its model (itself included). ``"auto"``: ``"dense"`` up to ``DENSE_ROWS``
    rows and ``DENSE_MAX`` columns (below ``FULL_MAX`` columns only with ``PACK_MIN_JOBS`` jobs to pack), else
    ``"full"`` up to ``FULL_MAX`` columns, else ``"restricted"``. Any other method as given."""
    if method != "auto":
        return method
    if n_rows <= DENSE_ROWS and n_reference <= DENSE_MAX and (n_reference > FULL_MAX or n_packable >= PACK_MIN_JOBS):
        return "dense"
    return "full" if n_reference <= FULL_MAX else "restricted"


DENSE_MIN_BATCH = 64     # fewer LPs (a max-slack stage's few unsettled DMUs) are HiGHS's: an iteration costs too much
DENSE_ALL_COLUMNS = 400  # the dense simplex prices every candidate column up to this many, else generates columns
PACK_DMUS = 1200        # "dense" jobs of one model are packed into one batch of the dense simplex up to this many DMUs


@dataclass
class WorkUnit:
    """One unit of parallel work: the chunks ``tasks`` (``(job, start, stop)``, one job or several packed by
    :func:`pack_tasks`) of one model and method, solved together by :func:`solve_chunks` over ``pieces`` (each
    chunk's ``(ref_data, plans, data0, own)``, views of the jobs' arrays)."""

    spec: ModelSpec
    method: str
    tasks: list[tuple]
    pieces: list[tuple]

    @property
    def size(self) -> int:
        """The unit's DMUs."""
        return sum(b - a for _, a, b in self.tasks)

    def solve(self) -> list[BatchResult]:
        return solve_chunks(self.spec, self.pieces, self.method)


def pack_tasks(tasks: list[tuple], specs: list[ModelSpec], methods: list[str]) -> list[list[tuple]]:
    """The units of work: consecutive ``"dense"`` jobs of the same model that are one chunk ``(job, start, stop)``
    each are packed together up to ``PACK_DMUS`` DMUs (a bootstrap's replicates, the periods of a panel), so one batch
    of the dense simplex spreads its per-iteration cost over more LPs; a job split into chunks stays split (for the
    workers), and every other chunk is a unit of its own. The packing depends on the jobs and chunks only, never on
    ``n_jobs``, so results do not either. A ``chunk_size`` given by the caller is the unit of work as asked
    (:func:`run_jobs` does not pack then)."""
    whole = {}
    for j, _, _ in tasks:
        whole[j] = j not in whole
    units: list[list[tuple]] = []
    size = 0
    for j, a, b in tasks:
        first = units[-1][0][0] if units else None
        if (first is not None and whole[j] and whole[first] and methods[j] == "dense" and methods[first] == "dense"
                and specs[j] is specs[first] and size + (b - a) <= PACK_DMUS):
            units[-1].append((j, a, b))
            size += b - a
        else:
            units.append([(j, a, b)])
            size = b - a
    return units


def run_jobs(jobs: list[Job], *, method: str = "auto", n_jobs: int = 1, chunk_size: int | None = None,
             progress=None) -> list[BatchResult]:
    """Solve every job, as one parallel map over all (reference set x chunk) tasks.

    The natural units of work are reference sets (periods, technologies, groups, bootstrap replicates) and, within
    a large one, chunks of its DMUs: every chunk of every job is one task, so a period-by-period evaluation or an
    index's many technologies use every worker, not only the chunks of one large reference set. Chunks are fixed
    by ``chunk_size`` and the job's size alone (:func:`chunk_bounds`) and each builds its HiGHS models from the same
    seed, so the results do not depend on ``n_jobs`` or on the joblib backend (including Dask). By default workers
    start only for calls of ``PARALLEL_MIN`` DMUs or more (measured; see there). ``progress`` is an optional callable
    receiving the number of DMUs finished. Each job's DMUs are solved in :func:`solve_order` (similar LPs one after
    another, fewer simplex iterations) and returned in the job's own order.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    orders, known = [], {}
    for job in jobs:            # one order per distinct set of evaluated DMUs (a bootstrap's replicates share theirs)
        key = (job.data0.shape, hashlib.blake2b(np.ascontiguousarray(job.data0).tobytes(), digest_size=16).digest())
        if key not in known:
            known[key] = solve_order(job.data0)
        orders.append(known[key])
    jobs = [Job(job.spec, job.ref_data, job.data0[order], job.own[order]) for job, order in zip(jobs, orders)]
    prepared, tasks = [], []
    bounds = [chunk_bounds(job.data0.shape[0], chunk_size) for job in jobs]
    one_chunk = [chunk_size is None and len(b) == 1 for b in bounds]
    packable = {}
    for job, whole in zip(jobs, one_chunk):
        packable[id(job.spec)] = packable.get(id(job.spec), 0) + whole
    for j, job in enumerate(jobs):
        ref_data = np.ascontiguousarray(job.ref_data, dtype=float)
        how = job_method(method, ref_data.shape[0], max(stage.n_rows for stage in job.spec.stages),
                         packable[id(job.spec)] if one_chunk[j] else 1)
        plans = [plan_stage(stage, ref_data, how, n_evaluated=job.data0.shape[0]) for stage in job.spec.stages]
        prepared.append((ref_data, plans, how))
        tasks.extend((j, a, b) for a, b in bounds[j])
    total = sum(b - a for _, a, b in tasks)
    grouped = (pack_tasks(tasks, [job.spec for job in jobs], [how for _, _, how in prepared]) if chunk_size is None
               else [[task] for task in tasks])
    units = [WorkUnit(jobs[unit[0][0]].spec, prepared[unit[0][0]][2], unit,
                      [(prepared[j][0], prepared[j][1], jobs[j].data0[a:b], jobs[j].own[a:b]) for j, a, b in unit])
             for unit in grouped]
    results: list[list[BatchResult] | None] = [None] * len(units)

    def finished(i: int, answer: list[BatchResult]) -> None:
        results[i] = answer
        if progress:
            progress(units[i].size)

    if effective_jobs(n_jobs) == 1 or len(units) == 1 or (chunk_size is None and total < PARALLEL_MIN):
        for i, unit in enumerate(units):
            finished(i, unit.solve())
    else:
        try:
            map_units(units, n_jobs, finished)
        except Exception as exc:
            if not is_lost_worker(exc):
                raise
            raise RuntimeError(
                f"a parallel worker was lost while solving ({type(exc).__name__}: "
                f"{' '.join(str(exc).split())[:200]}). No partial results are returned. Run again; if it recurs, "
                "check the workers' memory (a worker killed for using too much memory is the usual cause): use "
                f"fewer workers per machine, give them more memory, or a smaller chunk_size (now "
                f"{max(b - a for _, a, b in tasks)} DMUs per chunk)") from exc
    parts: list[list[BatchResult]] = [[] for _ in jobs]
    for unit, answer in zip(units, results):
        for (j, _, _), part in zip(unit.tasks, answer):
            parts[j].append(part)
    return [_reordered(_concat(p), order) for p, order in zip(parts, orders)]


def run_model(spec: ModelSpec, ref_data: np.ndarray, data0: np.ndarray, own: np.ndarray, *,
              method: str = "auto", n_jobs: int = 1, chunk_size: int | None = None,
              progress=None) -> BatchResult:
    """Solve ``spec`` for every row of ``data0`` against the reference set ``ref_data`` (scaled data): one job of
    :func:`run_jobs`."""
    return run_jobs([Job(spec, ref_data, data0, own)], method=method, n_jobs=n_jobs, chunk_size=chunk_size,
                    progress=progress)[0]


# A cold pool: starting joblib's default (loky) workers costs about a second on the 2-core machine (two fresh
# interpreters importing numpy, highspy and the engine: 0.8 s for the pool, then the engine's import in each worker;
# benchmarks/bench_cold.py), more than a call whose LPs take a second or two serially saves on two workers. Starting
# them while the calling process works does not help on two cores (measured: hard BCC at n = 3,000 1.95 s against
# 1.79 s waiting for the pool and 1.2 s serially). So when a call would start a cold pool, its first units of work
# are solved in the calling process (one per thread where threads help: in_process_threads), and the workers start
# only once the time they would save is worth their start-up: the work left, extrapolated from those units, times
# (1 - 1 / workers), added up over the calls kept in the process so far (the ski-rental rule: a session of many
# small calls starts the pool after forgoing about one start-up's worth), above POOL_START_SECONDS. A pool that ran
# within its idle timeout counts as running (warm), and any other joblib backend (threads, Dask, multiprocessing) as
# cheap to start. Whoever solves a unit, its answer is the same.
POOL_START_SECONDS = 1.0
POOL_IDLE_SECONDS = 300.0      # joblib's loky workers stop after this long idle (its default idle_worker_timeout)
_pool = {"warm_until": 0.0, "forgone": 0.0}


def pool_is_cold() -> bool:
    """Whether a parallel call now would have to start joblib's loky worker processes first."""
    from joblib.parallel import get_active_backend

    backend = type(get_active_backend()[0]).__name__
    return backend == "LokyBackend" and time.monotonic() > _pool["warm_until"]


def pool_started() -> None:
    """Record that joblib's pool has just run: warm for its idle timeout, and no start-up saving forgone."""
    _pool.update(warm_until=time.monotonic() + POOL_IDLE_SECONDS, forgone=0.0)


def start_pool(n_jobs: int = -1) -> None:
    """Start joblib's worker pool now (and count it as running), so that the calls that follow use it at once: for
    a session that will make many parallel calls, or a benchmark timing calls on running workers."""
    from joblib import Parallel, delayed

    for _ in Parallel(n_jobs=n_jobs, return_as="generator")(delayed(os.getpid)()
                                                             for _ in range(effective_jobs(n_jobs))):
        pass
    pool_started()


THREADS_MAX = 2     # HiGHS releases the GIL for about half of an LP's time, so more threads would add little


def in_process_threads(units: list[WorkUnit], which: list[int], n_jobs: int) -> int:
    """How many threads solve the units ``which`` in this process: up to ``THREADS_MAX`` when several workers are
    asked for and some unit goes to HiGHS, which releases the GIL while it solves (VRS SBM with bad outputs at
    n = 3,000: 1.35x on two threads); one when all are dense-simplex batches (numpy's many small operations hold the
    GIL: two threads were slower than one)."""
    if len(which) < 2 or all(units[i].method == "dense" for i in which):
        return 1
    return min(effective_jobs(n_jobs), THREADS_MAX)


def solve_in_process(units: list[WorkUnit], which: list[int], n_jobs: int, finished) -> None:
    """Solve the units ``which`` in this process, on :func:`in_process_threads` threads."""
    threads = in_process_threads(units, which, n_jobs)
    if threads == 1:
        for i in which:
            finished(i, units[i].solve())
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    pool = ThreadPoolExecutor(threads, thread_name_prefix="frontier")
    try:
        running = {pool.submit(units[i].solve): i for i in which}
        for done in as_completed(running):
            finished(running[done], done.result())
    except BaseException:
        STOP.set()      # (a Ctrl-C here): the other threads' HiGHS solves end at their next time slice
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        STOP.clear()


def map_units(units: list[WorkUnit], n_jobs: int, finished) -> None:
    """Solve every unit of work, calling ``finished(i, answer)`` as unit ``i`` ends: on joblib's workers, except that
    a call that would start a cold pool first solves a unit in this process (one per thread:
    :func:`in_process_threads`) and goes on there unless the workers' saving is worth their start-up
    (``POOL_START_SECONDS``)."""
    from joblib import Parallel, delayed

    left = list(range(len(units)))
    if pool_is_cold():
        k = in_process_threads(units, left, n_jobs)
        probe, left = left[:k], left[k:]
        start = time.perf_counter()
        solve_in_process(units, probe, n_jobs, finished)
        rest = (time.perf_counter() - start) * sum(units[i].size for i in left) / max(
            sum(units[i].size for i in probe), 1)
        _pool["forgone"] += rest * (1.0 - 1.0 / effective_jobs(n_jobs))
        if _pool["forgone"] <= POOL_START_SECONDS:
            solve_in_process(units, left, n_jobs, finished)
            return
    calls = (delayed(WorkUnit.solve)(units[i]) for i in left)
    for i, answer in zip(left, Parallel(n_jobs=n_jobs, return_as="generator")(calls)):
        finished(i, answer)
    pool_started()


LOST_WORKER_ERRORS = ("KilledWorker", "FutureCancelledError", "TerminatedWorkerError", "WorkerLostError")


def is_lost_worker(exc: BaseException) -> bool:
    """Whether ``exc`` says a parallel worker process died: Dask's ``KilledWorker`` (the scheduler gave up on
    a task whose workers kept dying) and ``FutureCancelledError`` (its future was forgotten with the worker),
    loky's ``TerminatedWorkerError``. Matched by class name, so neither package has to be importable."""
    return any(cls.__name__ in LOST_WORKER_ERRORS for cls in type(exc).__mro__)



def effective_jobs(n_jobs: int | None) -> int:
    """joblib's convention: -1 = all cores, None = 1."""
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return max(1, int(n_jobs))
