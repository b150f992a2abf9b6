"""Shared pytest fixtures (additive: add more fixtures below)."""
from __future__ import annotations

from pathlib import Path

import pytest

from frontier.validation import ENV_VAR, validation_directory


@pytest.fixture(scope="session")
def validation_dir() -> Path:
    """The published validation cases ($FRONTIER_VALIDATION_DIR, else ../shared/validation); skip if absent."""
    directory = validation_directory()
    if not directory.is_dir():
        pytest.skip(f"validation directory {directory} not found (set {ENV_VAR} to the folder of cases)")
    return directory


@pytest.fixture(scope="session")
def run_case_once(validation_dir):
    """``frontier.validation.run_case`` solved once per session for each case of the shared folder.

    The per-case tests, the whole-folder run (``run_validation``) and ``frontier validate`` all assert on the same
    published cases; with this memo each case is solved once and every test still asserts on its rows. A test
    that runs the whole folder patches ``V.run_case`` with it (``monkeypatch.setattr``), so the runner's own logic
    (listing, not-run and error rows, the table, the exit code) is still what is tested. Calls on another folder
    (a modified copy in ``tmp_path``) are passed through, and an error is raised again on every call, never cached.
    """
    from frontier import validation as V

    solve, cache, shared = V.run_case, {}, validation_dir.resolve()

    def run_case(name: str, directory=None):
        if V.validation_directory(directory).resolve() != shared:
            return solve(name, directory)
        if name not in cache:
            cache[name] = solve(name, directory)
        return cache[name]

    return run_case


@pytest.fixture(autouse=True)
def workers_start_at_once(monkeypatch):
    """A call with ``n_jobs > 1`` sends its work to the worker pool even when the pool is cold and the call small, so
    the tests that compare ``n_jobs=2`` with ``n_jobs=1`` run both the calling process (the first unit) and the
    workers (the rest), whatever the machine's load: every core counts as free (a loaded CI machine otherwise ran
    ``n_jobs=2`` on one thread, and a test of the workers' failures saw none). The default start-up rule
    (``engine.settings.POOL_START_SECONDS``) and the free-core rule (``engine.pool.free_cores``) have their own
    tests in test_engine."""
    from frontier import engine

    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 0.0)
    monkeypatch.setattr(engine.pool, "free_cores", lambda: 8.0)


@pytest.fixture
def highs_runs(monkeypatch):
    """A counter of the restricted path's HiGHS solves (``engine.restricted.run_highs``), as ``{"runs": n}``."""
    from frontier import engine

    counted = {"runs": 0}
    original = engine.restricted.run_highs

    def counting(h, *args):
        counted["runs"] += 1
        return original(h, *args)

    monkeypatch.setattr(engine.restricted, "run_highs", counting)
    return counted


def pytest_configure(config):
    """Before any test process starts (the pytest-xdist controller, or the only process), the compiled kernels are
    compiled into numba's cache, or loaded from it, once: the restricted path's per-DMU run and the dense batch's loop,
    on small data with the kernel forced on. On a fresh checkout the test processes otherwise compiled them at the
    same time (20-30 s of CPU each), and the browser tests' page, whose run compiled them as well, never answered."""
    if hasattr(config, "workerinput"):                  # a pytest-xdist worker: the controller has done it
        return
    from frontier.engine import kernel, settings

    if not kernel._NUMBA:
        return
    import frontier as fr
    from frontier.datasets import synthetic_firms

    data = synthetic_firms(40, seed=1)
    saved = settings.KERNEL_MIN_DMUS
    settings.KERNEL_MIN_DMUS = 0
    try:
        fr.efficiency(data, ["K", "L", "E"], ["Y"], ["SO2", "COD"], model="sbm", rts="vrs")
        fr.bootstrap(data, ["K", "L", "E"], ["Y"], B=5, random_state=1)
    finally:
        settings.KERNEL_MIN_DMUS = saved
