"""One stage for a batch of DMUs (:func:`solve_stage_batch`: the dense, HiGHS and robust passes in turn) and a
whole model for several chunks in one process (:func:`solve_chunks`), with the CSR plumbing of the intensities and
the unit of parallel work (:class:`WorkUnit`)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models.base import ModelSpec, Stage, StageOutput, StageSolution
from . import settings
from .certify import StageAnswers, certified_accuracy, row_residuals, stacked_answers
from .dense import solve_dense
from .pricing import StagePlan, plan_stage
from .restricted import solve_with_highs
from .robust import solve_robust

def solve_stage_batch(stage: Stage, ref_data: np.ndarray, plan: StagePlan, method: str, data0: np.ndarray,
                      own: np.ndarray, prev: dict, answers: StageAnswers | None = None) -> StageSolution:
    """Solve one stage for k DMUs with one warm-started solver.

    Columns only ever join the shared active set; when it grows past ``ACTIVE_CAP`` the model is rebuilt
    from the columns that the last ``RECENT`` solutions used, which keeps each simplex solve small. With
    ``method="dense"`` the batched simplex (:func:`solve_dense`) goes first and HiGHS solves only what it leaves;
    ``answers``: the stage's answers begun by the caller (:func:`solve_chunks`: with the accuracy of the previous
    stage's answers, and with ``method="dense"`` those of a batched solve already run with other reference sets').
    """
    k = data0.shape[0]
    if answers is None:
        answers = StageAnswers.start(stage, data0, prev)
        if method == "dense" and k >= settings.DENSE_MIN_BATCH:
            solve_dense(stage, [(ref_data, plan, own, answers)])
    pending = np.flatnonzero(answers.status == "not_solved").tolist()
    active = None     # the restricted model's active columns, where the robust path's LPs start
    if pending:      # (a dense batch may have left none: then no HiGHS model is built)
        active = solve_with_highs(stage, ref_data, plan, method, own, answers, pending)
    left = np.flatnonzero(answers.status == "not_solved").tolist()
    if method == "full" and left:
        # what the model with every column could not solve or certify (on extreme data its dual simplex can cycle
        # at the tight tolerances, ending at the iteration limit) goes to column generation over the screened
        # candidates first: the same LP, smaller, solved as "auto" would, so "full" gives the same answers
        plan = plan_stage(stage, ref_data, "restricted", n_evaluated=k)
        active = solve_with_highs(stage, ref_data, plan, "restricted", own, answers, left)
    patch, status, objective, row_duals, sols = (answers.patch, answers.status, answers.objective, answers.row_duals,
                                                 answers.sols)
    robust = status == "not_solved"
    for i in sorted(np.flatnonzero(robust).tolist()):
        start = active if sols[i] is None else [np.union1d(a, sols[i].pos[sols[i].blk == b])
                                                for b, a in enumerate(active)]      # with its refused answer's
        status[i], objective[i], sols[i] = solve_robust(stage, ref_data, patch, i, int(own[i]), data0[i], start,
                                                        plan.pricing)
        row_duals[i] = np.nan if sols[i] is None or sols[i].duals is None else sols[i].duals
    return _stage_solution(stage, ref_data, patch, status, objective, sols, row_duals, robust, answers.bulk)


def _stage_solution(stage: Stage, ref: np.ndarray, patch, status: np.ndarray, objective: np.ndarray,
                    sols: list, row_duals: np.ndarray, robust: np.ndarray, bulk: tuple | None = None) -> StageSolution:
    """The answers of one stage for k DMUs (of the :class:`~frontier.engine.certify.BatchPatch` ``patch``): values
    of the optimal ones, NaN elsewhere; intensities summed over blocks per reference position (sorted) in CSR form;
    the accuracy each is certified to (``robust``: the DMUs solved on the robust path); ``bulk``: the solutions
    certified at once (:attr:`~frontier.engine.certify.StageAnswers.bulk`)."""
    k, n_ref = status.size, ref.shape[0]
    done = np.flatnonzero(status == "optimal")
    objective = np.where(status == "optimal", objective, np.nan)
    stacked = stacked_answers(sols, done, stage.n_extra_cols, bulk)
    extras = np.full((k, stage.n_extra_cols), np.nan)
    sums = np.full((k, stage.d), np.nan)
    accuracy = np.full(k, np.nan)
    extras[done] = stacked.own
    ref_activity, ref_size = stacked.reference_activity(stage, ref)
    sums[done] = ref_activity[:, : stage.d]
    accuracy[done] = certified_accuracy(*row_residuals(patch, done, stacked.own, ref_activity, ref_size), robust[done])
    keys = stacked.seg * n_ref + stacked.pos          # (DMU, reference position), sortable as one integer
    order = np.argsort(keys, kind="stable")
    key, first = np.unique(keys[order], return_index=True)
    lam_val = np.add.reduceat(stacked.lam[order], first) if key.size else np.zeros(0)
    ptr = np.zeros(k + 1, dtype=np.int64)
    ptr[1:] = np.cumsum(np.bincount(done[key // n_ref], minlength=k)) if key.size else 0
    duals = np.where((status == "optimal")[:, None], row_duals, np.nan) if stage.keep_duals else None
    return StageSolution(status, objective, extras, sums, ptr, key % n_ref, lam_val, duals, accuracy)


# ----------------------------------------------------------------------------------------------------
# a whole model for a batch of DMUs, in chunks, optionally in parallel
# ----------------------------------------------------------------------------------------------------

@dataclass
class BatchResult:
    """Per-DMU outputs of a model: its stages' :class:`~frontier.models.base.StageOutput` merged, as arrays keyed
    by name (``values``; :attr:`output` reads them as the typed fields), plus intensities in CSR form."""

    values: dict
    lam_ptr: np.ndarray
    lam_idx: np.ndarray
    lam_val: np.ndarray

    @property
    def output(self) -> StageOutput:
        """The merged outputs as their typed fields (a field no stage produced is None)."""
        return StageOutput.merged(self.values)


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
                         sol.lam_idx[take], sol.lam_val[take], None if sol.duals is None else sol.duals[rows],
                         None if sol.accuracy is None else sol.accuracy[rows])


def _cat(sols: list[StageSolution]) -> StageSolution:
    """Stage solutions one after another (duals and accuracies only if every part has them)."""
    ptr = np.concatenate([[0], np.cumsum(np.concatenate([np.diff(s.lam_ptr) for s in sols]))]).astype(np.int64)
    duals = None if any(s.duals is None for s in sols) else np.concatenate([s.duals for s in sols])
    accuracy = (None if any(s.accuracy is None for s in sols)
                else np.concatenate([s.accuracy for s in sols]))
    return StageSolution(*(np.concatenate([getattr(s, f) for s in sols]) for f in ("status", "objective", "extras",
                                                                                    "sums")),
                         ptr, np.concatenate([s.lam_idx for s in sols]), np.concatenate([s.lam_val for s in sols]),
                         duals, accuracy)


def _previous(last: tuple, sel: np.ndarray, field: str) -> np.ndarray | None:
    """A per-DMU field of the stage solved last (``(rows, StageSolution)``; ``"duals"``, ``"accuracy"``) for the
    DMUs ``sel``: NaN for a DMU it did not solve; None if that stage does not have the field."""
    rows, sol = last
    values = getattr(sol, field)
    if values is None:
        return None
    pos = np.minimum(np.searchsorted(rows, sel), rows.size - 1)
    out = np.full((sel.size,) + values.shape[1:], np.nan)
    hit = rows[pos] == sel
    out[hit] = values[pos[hit]]
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
    left to solve (``todo``, rows of ``sel``; ``prev_todo``: their earlier values) and their answers (begun with the
    accuracy the previous stage's answers of them were certified to; with ``method="dense"``, from the batched
    simplex)."""

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
            settled = (stage.settled(prev, data0[sel], _previous(last, sel, "duals")) if last is not None
                       else np.zeros(sel.size, dtype=bool))
            todo = np.flatnonzero(~settled)
            w = _ChunkStage(state, ref_data, plans[s], data0, own, sel, prev, settled, todo,
                            {key: val[todo] for key, val in prev.items()})
            if todo.size:
                w.answers = StageAnswers.start(stage, data0[sel[todo]], w.prev_todo,
                                               _previous(last, sel[todo], "accuracy") if last is not None else None)
            work.append(w)
        batch = [(w.ref_data, w.plan, w.own[w.sel[w.todo]], w.answers) for w in work if w.answers is not None]
        if method == "dense" and sum(len(answers.status) for *_, answers in batch) >= settings.DENSE_MIN_BATCH:
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
            for key, val in out.values().items():
                if key not in values:
                    shape = (k,) + np.shape(val)[1:]
                    values[key] = (np.full(shape, np.nan) if np.asarray(val).dtype != object
                                   else np.full(shape, None, dtype=object))
                values[key][w.sel] = val
            if out.intensity_scale is not None:
                w.state["lam"] = _merge_lambda(k, w.state["lam"], sol, w.sel, out.intensity_scale)
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

    @property
    def uses_kernel(self) -> bool:
        """Whether its LPs go to the compiled kernel (a worker loads numba for it first)."""
        return any(plan.kernel for _, plans, _, _ in self.pieces for plan in plans)

    def solve(self) -> list[BatchResult]:
        return solve_chunks(self.spec, self.pieces, self.method)
