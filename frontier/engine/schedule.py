"""Jobs to units of work: chunks (:func:`chunk_bounds`), the solve order (:func:`solve_order`), the method of
a job (:func:`job_method`), packing (:func:`pack_tasks`) and :func:`run_jobs`, the one entry point below
:class:`~frontier.problem.Problem`."""
from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

import numpy as np

from ..models.base import ModelSpec
from . import settings
from . import kernel as small_lp
from .pool import effective_jobs, is_lost_worker, map_units
from .pricing import plan_stage
from .stages import BatchResult, WorkUnit, _concat, _csr_rows
from ..options import METHODS


def chunk_bounds(k: int, chunk_size: int | None) -> list[tuple[int, int]]:
    """The chunks ``(start, stop)`` of a job of ``k`` DMUs: ``chunk_size`` DMUs each when given; by default one
    chunk below ``SPLIT_MIN`` DMUs, else an even number of balanced chunks of at most ``DEFAULT_CHUNK`` (a function of
    ``k`` only, so that the same LPs are solved from the same seeds whatever ``n_jobs`` is)."""
    if k == 0:
        return [(0, 0)]
    if chunk_size is not None:
        return [(a, min(a + chunk_size, k)) for a in range(0, k, chunk_size)]
    if k < settings.SPLIT_MIN:
        return [(0, k)]
    count = -(-k // settings.DEFAULT_CHUNK)
    count += count % 2
    cuts = np.linspace(0, k, count + 1).round().astype(int)
    return list(zip(cuts[:-1].tolist(), cuts[1:].tolist()))


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
    if k < settings.ORDER_MIN:
        return np.arange(k)
    ranks = np.empty((data0.shape[1], k))         # each column's ranks (ties in row order), scattered from its sort
    np.put_along_axis(ranks, np.argsort(data0.T, axis=1, kind="stable"), np.arange(k, dtype=float)[None, :], axis=1)
    ranks = ranks.T / k
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
    for a in range(0, k, settings.ORDER_WINDOW):
        window = z[a: a + settings.ORDER_WINDOW]
        W = ranks[window]
        # the window's squared distances at once, summed column by column (numpy's sum over a short last axis adds
        # its terms in this order too, 8x slower); a chosen DMU's column becomes inf, so each step is one argmin
        dist = (W[:, None, 0] - W[None, :, 0]) ** 2
        for v in range(1, W.shape[1]):
            dist += (W[:, None, v] - W[None, :, v]) ** 2
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


def job_method(method: str, n_reference: int, n_rows: int = 0, n_packable: int = 1, kernel: bool = False) -> str:
    """The method of a job of ``n_reference`` reference columns whose largest stage LP has ``n_rows`` rows, in a call
    with ``n_packable`` one-chunk jobs of its model (itself included). ``"auto"``: ``"dense"`` up to ``DENSE_ROWS``
    rows and ``DENSE_MAX`` columns when ``PACK_MIN_JOBS`` jobs can be packed or, where the compiled kernel solves
    (``kernel``: the dense batch then goes through its compiled loop, :mod:`~frontier.engine.dense_kernel`), up to
    ``DENSE_KERNEL_MAX`` columns; otherwise ``"restricted"`` where the
    compiled kernel solves its LPs (``kernel``, :func:`~frontier.engine.kernel.kernel_pays`: 1.5-6x faster than
    HiGHS and the dense simplex on one reference set, slower than the packed dense simplex on a bootstrap's
    replicates), else ``"dense"`` up to ``DENSE_ROWS`` rows and ``DENSE_MAX`` columns above ``FULL_MAX`` columns,
    else ``"full"`` up to ``FULL_MAX`` columns, else ``"restricted"``. Any other method as given."""
    if method != "auto":
        return method
    dense_fits = n_rows <= settings.DENSE_ROWS and n_reference <= settings.DENSE_MAX
    if dense_fits and (n_packable >= settings.PACK_MIN_JOBS or (kernel and n_reference <= settings.DENSE_KERNEL_MAX)):
        return "dense"
    if kernel:
        return "restricted"
    if dense_fits and n_reference > settings.FULL_MAX:
        return "dense"
    return "full" if n_reference <= settings.FULL_MAX else "restricted"


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
                and specs[j] is specs[first] and size + (b - a) <= settings.PACK_DMUS):
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
    n_dmus = sum(job.data0.shape[0] for job in jobs)
    loading = None
    if any(small_lp.kernel_pays(max(stage.n_rows for stage in job.spec.stages), n_dmus) for job in jobs):
        # numba's import and the kernel's loading overlap the solve orders and planning below
        loading = threading.Thread(target=small_lp.load, name="frontier-kernel", daemon=True)
        loading.start()
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
        n_rows = max(stage.n_rows for stage in job.spec.stages)
        kernel = small_lp.kernel_pays(n_rows, n_dmus)
        how = job_method(method, ref_data.shape[0], n_rows, packable[id(job.spec)] if one_chunk[j] else 1, kernel)
        # a job of one chunk is one unit's: planned where that unit is solved (on a worker, in parallel; a stage
        # none of its DMUs reaches is never planned); a job of several chunks is planned here, once for them all
        plans = [plan_stage(stage, ref_data, how, n_evaluated=job.data0.shape[0], kernel=kernel,
                            deferred=len(bounds[j]) == 1) for stage in job.spec.stages]
        prepared.append((ref_data, plans, how))
        tasks.extend((j, a, b) for a, b in bounds[j])
    if loading is not None:         # ready before the first unit is timed (the pool's rule times LPs, not loading)
        loading.join()
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

    if effective_jobs(n_jobs) == 1 or len(units) == 1 or (chunk_size is None and total < settings.PARALLEL_MIN):
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
