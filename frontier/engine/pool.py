"""The worker pool: whether a parallel call starts joblib's workers (the ski-rental rule, ``settings.POOL_*``),
solving in the calling process on threads meanwhile, and lost-worker errors."""
from __future__ import annotations

import os
import time


from . import settings
from .highs import STOP
from .stages import WorkUnit

_pool = {"warm_until": 0.0, "forgone": 0.0}


def pool_is_cold() -> bool:
    """Whether a parallel call now would have to start joblib's loky worker processes first."""
    from joblib.parallel import get_active_backend

    backend = type(get_active_backend()[0]).__name__
    return backend == "LokyBackend" and time.monotonic() > _pool["warm_until"]


def pool_started() -> None:
    """Record that joblib's pool has just run: warm for its idle timeout, and no start-up saving forgone."""
    _pool.update(warm_until=time.monotonic() + settings.POOL_IDLE_SECONDS, forgone=0.0)


def start_pool(n_jobs: int = -1) -> None:
    """Start joblib's worker pool now (and count it as running), so that the calls that follow use it at once: for
    a session that will make many parallel calls, or a benchmark timing calls on running workers."""
    from joblib import Parallel, delayed

    for _ in Parallel(n_jobs=n_jobs, return_as="generator")(delayed(os.getpid)()
                                                             for _ in range(effective_jobs(n_jobs))):
        pass
    pool_started()


def in_process_threads(units: list[WorkUnit], which: list[int], n_jobs: int) -> int:
    """How many threads solve the units ``which`` in this process: up to ``THREADS_MAX`` when several workers are
    asked for and some unit goes to HiGHS, which releases the GIL while it solves (VRS SBM with bad outputs at
    n = 3,000: 1.35x on two threads); one when all are dense-simplex batches (numpy's many small operations hold the
    GIL: two threads were slower than one)."""
    if len(which) < 2 or all(units[i].method == "dense" for i in which):
        return 1
    return min(effective_jobs(n_jobs), settings.THREADS_MAX)


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
        if _pool["forgone"] <= settings.POOL_START_SECONDS:
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
