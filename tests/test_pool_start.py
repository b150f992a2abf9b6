"""When a cold call starts joblib's workers (frontier.engine.pool.map_units): from the cost of its first round of
units in the calling process, decided while that round runs (issue 32: a million-observation GML's first round of
two units ran for minutes before the decision)."""
from __future__ import annotations

import time

import pytest

from frontier import engine


@pytest.fixture
def timed_units(monkeypatch):
    """Units of work whose solve sleeps ``spec`` seconds and answers its own index (the chunk solver replaced), and
    joblib's Parallel replaced by an in-process one that records when it was created."""
    import joblib

    monkeypatch.setattr(engine.stages, "solve_chunks", lambda spec, pieces, method: time.sleep(spec[0]) or spec[1])
    started = []

    class InProcess:
        def __init__(self, n_jobs, return_as):
            started.append(time.perf_counter())

        def __call__(self, tasks):
            return (func(*args, **kwargs) for func, args, kwargs in tasks)

    monkeypatch.setattr(joblib, "Parallel", InProcess)
    monkeypatch.setitem(engine.pool._pool, "warm_until", 0.0)
    monkeypatch.setitem(engine.pool._pool, "forgone", 0.0)

    def make(seconds: list[float]):
        return [engine.stages.WorkUnit((s, i), "restricted", [(i, 0, 100)], []) for i, s in enumerate(seconds)]

    return make, started


def test_the_workers_start_while_a_long_first_round_runs(monkeypatch, timed_units):
    """Two units of 1.5 s in the first round (two threads), eight more left: once the round's time so far shows the
    workers' saving above their start-up (0.2 s here), they start, before the round ends; every unit is answered
    once, the round's in this process."""
    make, started = timed_units
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 0.2)
    units = make([1.5, 1.5] + [0.0] * 8)
    answers = {}
    t0 = time.perf_counter()
    engine.pool.map_units(units, 2, lambda i, answer: answers.setdefault(i, []).append(answer))
    assert len(started) == 1 and started[0] - t0 < 1.0
    assert answers == {i: [i] for i in range(10)}
    assert engine.pool._pool["forgone"] == 0.0 and not engine.pool.pool_is_cold()


def test_a_round_that_does_not_show_a_saving_keeps_the_call_in_the_process(monkeypatch, timed_units):
    """With a start-up no saving reaches, nothing starts the workers, during the round or after it (n_jobs never
    makes a call slower): the rest is solved in the process and the saving forgone is counted."""
    make, started = timed_units
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 1e6)
    answers = {}
    engine.pool.map_units(make([0.3, 0.3] + [0.0] * 4), 2, lambda i, answer: answers.setdefault(i, []).append(answer))
    assert started == [] and answers == {i: [i] for i in range(6)}
    assert engine.pool._pool["forgone"] > 0.0


def test_no_early_start_without_a_second_free_core(monkeypatch, timed_units):
    """A round begun with no second core free decides only after it ends (then with the free cores read again)."""
    make, started = timed_units
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 0.0)
    monkeypatch.setattr(engine.pool, "free_cores", lambda: 1.0)
    answers = {}
    engine.pool.map_units(make([0.3] + [0.0] * 4), 2, lambda i, answer: answers.setdefault(i, []).append(answer))
    assert started == [] and answers == {i: [i] for i in range(5)}


def test_the_workers_start_once_a_core_frees_during_a_long_first_round(monkeypatch, timed_units):
    """A call begun with no second core free runs a round of one unit; when a core frees while that unit runs, the
    workers start for the rest before it ends (issue 32: the free cores were read once, before the round, and a
    moment's load at the start kept a million-observation GML's round of minutes on one thread)."""
    make, started = timed_units
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 0.2)
    t0 = time.perf_counter()
    monkeypatch.setattr(engine.pool, "free_cores", lambda: 1.0 if time.perf_counter() - t0 < 0.3 else 2.0)
    answers = {}
    engine.pool.map_units(make([1.5] + [0.0] * 6), 2, lambda i, answer: answers.setdefault(i, []).append(answer))
    assert len(started) == 1 and started[0] - t0 < 1.0
    assert answers == {i: [i] for i in range(7)}


def test_own_runnable_threads_counts_this_process_running_threads():
    """The free-core reading subtracts this process's runnable threads from the machine's (so that a call's own round
    does not read as other work): two threads hashing (which releases the GIL, so both run) are counted."""
    import hashlib
    import os
    import threading

    if not os.path.exists("/proc/self/task"):
        pytest.skip("Linux's /proc only")
    stop, block = threading.Event(), bytes(1 << 22)

    def hash_until_stopped():
        while not stop.is_set():
            hashlib.sha256(block).digest()

    threads = [threading.Thread(target=hash_until_stopped) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(0.05)
        spinning = max(engine.pool.own_runnable_threads() for _ in range(50))
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert spinning >= 3
