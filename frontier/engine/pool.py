"""The worker pool: whether a parallel call starts joblib's workers (the ski-rental rule, ``settings.POOL_*``),
solving in the calling process on threads meanwhile, the units of work on a Dask cluster (:func:`map_units_on_dask`:
lost work resubmitted, Ctrl-C cancels), and lost-worker errors."""
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
    GIL: two threads were slower than one); one when no second core is free (:func:`usable_jobs`)."""
    if len(which) < 2 or all(units[i].method == "dense" for i in which):
        return 1
    return min(usable_jobs(n_jobs), settings.THREADS_MAX)


def solve_in_process(units: list[WorkUnit], which: list[int], n_jobs: int, finished) -> None:
    """Solve the units ``which`` in this process, on :func:`in_process_threads` threads."""
    if in_process_threads(units, which, n_jobs) == 1:
        for i in which:
            finished(i, units[i].solve())
        return
    _Round(units, which, n_jobs).finish(finished)


class _Round:
    """Units of work solved in this process on :func:`in_process_threads` threads, started at once, while the caller
    waits for them (:meth:`wait`) or does other work, then takes their answers (:meth:`finish`)."""

    def __init__(self, units: list[WorkUnit], which: list[int], n_jobs: int):
        from concurrent.futures import ThreadPoolExecutor

        self.executor = ThreadPoolExecutor(in_process_threads(units, which, n_jobs), thread_name_prefix="frontier")
        self.running = {self.executor.submit(units[i].solve): i for i in which}

    def wait(self, seconds: float) -> bool:
        """Wait up to ``seconds`` for every unit; whether all have ended."""
        from concurrent.futures import wait

        return not wait(self.running, timeout=seconds).not_done

    def finish(self, finished) -> None:
        """Call ``finished(i, answer)`` for each unit as it ends, then end the threads."""
        from concurrent.futures import as_completed

        try:
            for done in as_completed(self.running):
                finished(self.running[done], done.result())
        finally:
            self.stop()

    def stop(self) -> None:
        """End the threads: unstarted units are dropped; after an error or a Ctrl-C (``STOP``) the running HiGHS
        solves end at their next time slice."""
        if any(not future.done() for future in self.running):
            STOP.set()
        try:
            self.executor.shutdown(wait=True, cancel_futures=True)
        finally:
            STOP.clear()


def workers_pay(units: list[WorkUnit], done: list[int], left: list[int], seconds: float, usable: int) -> tuple:
    """``(saving, start_up)`` of starting the workers for the units ``left``: the time they would save, the work left
    extrapolated from ``seconds`` spent on the units ``done`` in this process (their time, or while they run a lower
    bound on it) by DMUs, times ``1 - 1 / usable``; and the workers' start-up, ``POOL_START_SECONDS`` plus
    ``KERNEL_LOAD_SECONDS`` when the units use the compiled kernel (each new worker loads numba)."""
    rest = seconds * sum(units[i].size for i in left) / max(sum(units[i].size for i in done), 1)
    start_up = settings.POOL_START_SECONDS + (settings.KERNEL_LOAD_SECONDS if any(
        units[i].uses_kernel for i in left) else 0.0)
    return rest * (1.0 - 1.0 / usable), start_up


def map_units(units: list[WorkUnit], n_jobs: int, finished) -> None:
    """Solve every unit of work, calling ``finished(i, answer)`` as unit ``i`` ends: on joblib's workers, except that
    a call that would start a cold pool solves a round of units in this process (one per thread:
    :func:`in_process_threads`) and decides from its cost (:func:`workers_pay`, the ski-rental rule): while the round
    runs, every ``POOL_POLL_SECONDS``, the workers start for the rest at once if the time the round has taken so far
    (a lower bound on each of its units') already shows they pay, with a second core free at that poll
    (:func:`usable_jobs`, whose reading leaves out the round's own threads; the round then ends in this process
    meanwhile); once it ends, another round here while no second core is free, else the rest here unless the
    workers' saving is worth their start-up. On a Dask cluster (joblib's Dask backend active) the units go to
    :func:`map_units_on_dask`."""
    client = active_dask_client()
    if client is not None:
        map_units_on_dask(client, units, finished)
        return
    left = list(range(len(units)))
    while left and pool_is_cold():
        # a round in this process (one unit per thread), then the decision again: a call that starts while other
        # work holds the cores is not pinned to this process for the rest of a long run
        k = in_process_threads(units, left, n_jobs)
        probe, left = left[:k], left[k:]
        start = time.perf_counter()
        round_ = _Round(units, probe, n_jobs)
        try:
            while left and not round_.wait(settings.POOL_POLL_SECONDS):
                usable = usable_jobs(n_jobs)    # read at each poll: a core may free while a long round runs
                if usable < 2:
                    continue
                saving, start_up = workers_pay(units, probe, left, time.perf_counter() - start, usable)
                if _pool["forgone"] + saving > start_up:
                    # a large unit (a million-observation job's) need not end first: its time so far shows enough
                    _on_workers(units, left, n_jobs, finished)
                    left = []
        except BaseException:
            round_.stop()
            raise
        round_.finish(finished)
        usable = usable_jobs(n_jobs)
        if not left or usable < 2:
            continue
        saving, start_up = workers_pay(units, probe, left, time.perf_counter() - start, usable)
        if _pool["forgone"] + saving <= start_up:
            _pool["forgone"] += saving
            solve_in_process(units, left, n_jobs, finished)
            return
        break
    if left:
        _on_workers(units, left, n_jobs, finished)


def _on_workers(units: list[WorkUnit], which: list[int], n_jobs: int, finished) -> None:
    """Solve the units ``which`` on joblib's workers (started if they are not running)."""
    from joblib import Parallel, delayed

    calls = (delayed(WorkUnit.solve)(units[i]) for i in which)
    for i, answer in zip(which, Parallel(n_jobs=n_jobs, return_as="generator")(calls)):
        finished(i, answer)
    pool_started()


def active_dask_client():
    """The Dask client of joblib's active Dask backend (``parallel_config(backend="dask")`` with a ``Client`` made
    before, or ``parallel_config(backend="dask", scheduler_host="tcp://host:8786")``), or None for any other
    backend."""
    from joblib.parallel import get_active_backend

    backend = get_active_backend()[0]
    return backend.client if type(backend).__name__ == "DaskDistributedBackend" else None


def _held(value):
    """A task that returns its argument: the reference sets go to the cluster as tasks of their own, so the scheduler
    keeps them (once, in the task's definition) and recomputes them on another worker when the worker holding them
    dies; data scattered to a worker (joblib's way) would be lost with it."""
    return value


def _solve_on_worker(spec, method, tasks, pieces, *references) -> list:
    """Solve one unit of work on a Dask worker: :class:`WorkUnit` rebuilt from its chunks (``(reference, data0,
    own)``, ``reference`` an index into ``references``, the ``(ref_data, plans)`` of :func:`_held` tasks)."""
    return WorkUnit(spec, method, tasks, [references[r] + (data0, own) for r, data0, own in pieces]).solve()


def map_units_on_dask(client, units: list[WorkUnit], finished) -> None:
    """Solve every unit of work on the Dask cluster of ``client``, calling ``finished(i, answer)`` once per unit, in
    the order the units end.

    Each distinct reference set (with its pricing plans) is one :func:`_held` task and each unit one task that
    depends on it, its own chunk of evaluated DMUs in its definition. Everything a unit needs can thus be recomputed
    by the scheduler: when a worker dies, the units it was solving (and the reference sets and finished answers it
    held) are computed again on the other workers, up to Dask's ``distributed.scheduler.allowed-failures`` deaths per
    task (then ``KilledWorker``). An answer is taken once per unit, from its future, so a unit solved twice is still
    counted once. Any exception here, a ``KeyboardInterrupt`` (Ctrl-C) included, cancels every task of the call
    before it propagates, so no worker goes on with them (a unit already running ends its current LPs: a Python
    thread cannot be stopped)."""
    from distributed import as_completed

    references, keys, pieces = [], {}, []
    for unit in units:
        light = []
        for ref_data, plans, data0, own in unit.pieces:
            key = (id(ref_data), id(plans))
            if key not in keys:
                keys[key] = len(references)
                references.append(client.submit(_held, (ref_data, plans), pure=False))
            light.append((keys[key], data0, own))
        pieces.append(light)
    futures = {}
    try:
        for i, (unit, light) in enumerate(zip(units, pieces)):
            used = sorted({r for r, _, _ in light})
            local = [(used.index(r), data0, own) for r, data0, own in light]
            futures[client.submit(_solve_on_worker, unit.spec, unit.method, unit.tasks, local,
                                  *[references[r] for r in used], pure=False)] = i
        for future in as_completed(list(futures)):
            finished(futures.pop(future), future.result())
            future.release()
    except BaseException:
        client.cancel(list(futures) + references)
        raise
    client.cancel(references)


LOST_WORKER_ERRORS = ("KilledWorker", "FutureCancelledError", "TerminatedWorkerError", "WorkerLostError")


def is_lost_worker(exc: BaseException) -> bool:
    """Whether ``exc`` says a parallel worker process died: Dask's ``KilledWorker`` (the scheduler gave up on
    a task whose workers kept dying) and ``FutureCancelledError`` (its future was forgotten with the worker),
    loky's ``TerminatedWorkerError``. Matched by class name, so neither package has to be importable."""
    return any(cls.__name__ in LOST_WORKER_ERRORS for cls in type(exc).__mro__)


def free_cores() -> float:
    """The cores other processes leave free now: the machine's cores less the threads of other processes running or
    waiting to run (Linux: ``/proc/loadavg``'s count of runnable threads less this process's own, from
    ``/proc/self/task``, so that a reading taken while this call's threads solve does not count them; elsewhere the
    1-minute load average less one, which lags a minute behind; every core where there is neither, e.g. Windows)."""
    cores = os.cpu_count() or 1
    try:
        with open("/proc/loadavg") as f:
            busy = int(f.read().split()[3].split("/")[0]) - own_runnable_threads()
    except (OSError, IndexError, ValueError):
        try:
            busy = os.getloadavg()[0] - 1.0
        except (AttributeError, OSError):
            busy = 0.0
    return cores - max(busy, 0.0)


def own_runnable_threads() -> int:
    """How many of this process's threads are running or waiting to run (state ``R`` in ``/proc/self/task/*/stat``),
    at least one: the thread asking. A thread waiting for the GIL or for a result sleeps, and is not counted."""
    count = 0
    for task in os.listdir("/proc/self/task"):
        try:
            with open(f"/proc/self/task/{task}/stat") as f:
                count += f.read().rpartition(")")[2].split()[0] == "R"
        except (OSError, IndexError):
            continue                        # a thread that ended meanwhile
    return max(count, 1)


def usable_jobs(n_jobs: int | None) -> int:
    """How many threads or worker processes this machine can run a call's work on now: ``n_jobs``
    (:func:`effective_jobs`), but no more than the cores free of other work (:func:`free_cores`; at least one).
    On a machine whose cores other jobs keep busy, a second thread or a started pool only adds its own cost (issue
    32, 2 cores at load 10, cold VRS SBM with bad outputs: two threads at n = 1,000 took 1.24x as long as one, a
    started pool at n = 10,000 1.23x)."""
    return max(1, min(effective_jobs(n_jobs), int(free_cores())))


def effective_jobs(n_jobs: int | None) -> int:
    """joblib's convention: -1 = all cores, None = 1."""
    if n_jobs is None:
        return 1
    if n_jobs < 0:
        return max(1, (os.cpu_count() or 1) + 1 + n_jobs)
    return max(1, int(n_jobs))
