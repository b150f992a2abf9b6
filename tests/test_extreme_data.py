"""Every LP ends: no hang, no abort, and Ctrl-C stops a run, on data no tolerance can be trusted with (issue 25 item
8, issue 33 items 1-3).

Values spanning 1e-8..1e12 and 1e-8 placeholders for zeros once made HiGHS cycle at tight tolerances
(``method="full"``), spin in an interior-point solve that Ctrl-C could not stop, or abort the interpreter. Each call
here runs in a forked child with a timeout, so a hang or an abort is counted instead of stopping the suite: every
registered model family under every method, and the issues' reproductions. ``benchmarks/bench_extreme.py`` runs the
same on larger data and reports the counts with the NaN ``numerical_error`` share.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import time
import traceback
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.engine import METHODS
from frontier.models.registry import family, model_names

ROOT = Path(__file__).resolve().parents[1]


def extreme_frame(n: int, columns: list[str], seed: int) -> pd.DataFrame:
    """``n`` rows, every value log-uniform in 1e-8..1e12."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame(10.0 ** rng.uniform(-8, 12, size=(n, len(columns))), columns=columns)


def placeholder_frame(n: int, seed: int) -> pd.DataFrame:
    """Lognormal firms (2 inputs, 2 outputs) with about 10 % of each column replaced by a zero placeholder of
    1e-8..5e-8 times the column's mean (issue 33, item 2)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame(rng.lognormal(0, 1, size=(n, 4)), columns=["x0", "x1", "y0", "y1"])
    for column in df:
        mask = rng.random(n) < 0.1
        df.loc[mask, column] = df[column].mean() * rng.uniform(1e-8, 5e-8, mask.sum())
    return df


def family_calls(n: int, seed: int, every_orientation: bool = False) -> list[tuple[str, dict]]:
    """One call per registered family, orientation (the default one unless ``every_orientation``), super-efficiency
    (where the family has it) and method, on an extreme cross-section with two inputs, one output and one bad output:
    ``(label, efficiency keywords)``."""
    df = extreme_frame(n, ["x0", "x1", "y0", "b0"], seed)
    calls = []
    for name in model_names("efficiency"):
        fam = family(name)
        for orientation in (fam.orientations if every_orientation else fam.orientations[:1]):
            for super_efficiency in ((False, True) if fam.super_efficiency else (False,)):
                for method in METHODS:
                    kwargs = dict(data=df, inputs=["x0", "x1"], outputs=["y0"], bad_outputs=["b0"], model=name,
                                  orientation=orientation, rts="vrs", super_efficiency=super_efficiency,
                                  method=method)
                    calls.append((f"{name} {orientation} super={super_efficiency} {method}", kwargs))
    return calls


def _child(kwargs: dict, queue) -> None:
    try:
        result = fr.efficiency(**kwargs)
        queue.put(result.status.value_counts().to_dict())
    except ValueError as exc:       # a refusal with a message (e.g. EBM's calibration failing on such data)
        queue.put(("refused", str(exc)))
    except BaseException:
        queue.put(("error", traceback.format_exc(limit=3)))
        os._exit(1)
    os._exit(0)


def run_isolated(kwargs: dict, timeout: float) -> tuple[str, object]:
    """Run ``fr.efficiency(**kwargs)`` in a forked child: ``("ok", status counts)``, ``("refused", message)`` (a
    ValueError), ``("error", traceback)`` (any other exception), ``("hang", None)`` when it outlives ``timeout`` seconds (it is killed) or ``("abort", signal)`` when a signal
    ended it (SIGABRT: a C++ abort inside the solver)."""
    context = multiprocessing.get_context("fork")
    queue = context.SimpleQueue()
    child = context.Process(target=_child, args=(kwargs, queue))
    start = time.monotonic()
    child.start()
    while child.is_alive() and queue.empty() and time.monotonic() - start < timeout:
        child.join(0.02)
    answer = None if queue.empty() else queue.get()        # (read before join: a full pipe would block the child)
    child.join(max(0.0, timeout - (time.monotonic() - start)))
    if child.is_alive():
        child.kill()
        child.join()
        return "hang", None
    if child.exitcode < 0:
        return "abort", signal.Signals(-child.exitcode).name
    if isinstance(answer, tuple):
        return answer
    if child.exitcode != 0 or answer is None:
        return "error", answer
    return "ok", answer


def outcomes(calls: list[tuple[str, dict]], timeout: float) -> dict[str, list]:
    """The calls' outcomes by kind (ok, refused, error, hang, abort): each a list of ``(label, detail)``."""
    found: dict[str, list] = {"ok": [], "refused": [], "error": [], "hang": [], "abort": []}
    for label, kwargs in calls:
        kind, detail = run_isolated(kwargs, timeout)
        found[kind].append((label, detail))
    return found


def test_every_family_and_method_ends_on_extreme_data():
    """Every registered family (its default orientation), super-efficiency and method on 12 DMUs spanning
    1e-8..1e12: each call returns (numbers or NaN with a status, or a clear refusal), none hangs or aborts."""
    found = outcomes(family_calls(12, seed=3), timeout=60)
    assert not found["hang"] and not found["abort"] and not found["error"], {k: v for k, v in found.items() if k != "ok"}
    assert len(found["ok"]) >= 0.9 * sum(len(v) for v in found.values())


def test_full_method_does_not_cycle_on_zero_placeholders():
    """Output SBM VRS, 500 lognormal firms with 10 % zero placeholders: ``method="full"`` cycled forever in its
    tight-tolerance second solve (auto and dense took 0.3 s). Now it ends, and wherever both "full" and "auto" give a
    number it is the same."""
    kwargs = dict(data=placeholder_frame(500, seed=3), inputs=["x0", "x1"], outputs=["y0", "y1"], model="sbm",
                  orientation="output", rts="vrs")
    kind, detail = run_isolated({**kwargs, "method": "full"}, timeout=60)
    assert kind == "ok", (kind, detail)
    full, auto = fr.efficiency(**kwargs, method="full"), fr.efficiency(**kwargs, method="auto")
    both = full.scores.notna() & auto.scores.notna()
    assert both.sum() >= 0.95 * len(auto.scores)
    np.testing.assert_allclose(full.scores[both], auto.scores[both], rtol=1e-7)


RADIAL_SUPER_HANG = dict(inputs=["x0", "x1"], outputs=["y0", "y1"], model="radial", orientation="output", rts="vrs",
                         super_efficiency=True, method="dense")


def test_dense_radial_super_efficiency_ends():
    """Output radial VRS super-efficiency with ``method="dense"`` on 200 DMUs spanning 1e-8..1e12: the robust path's
    last retry (interior point) spun forever in its inner iterations."""
    kind, detail = run_isolated(dict(data=extreme_frame(200, ["x0", "x1", "y0", "y1"], seed=2), **RADIAL_SUPER_HANG),
                                timeout=60)
    assert kind == "ok", (kind, detail)


def _interrupted_after(script: str, seconds: float) -> tuple[float, subprocess.CompletedProcess]:
    """Start ``script`` in a fresh interpreter, send it SIGINT ``seconds`` after it prints ``running``, and return
    how long it took to exit after that and its output."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # SIGINT as a terminal's foreground process has it: a child inherits an ignored SIGINT (a test run started in the
    # background by a shell without job control has it ignored), and Python then installs no KeyboardInterrupt handler
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True, env=env, cwd=ROOT,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert child.stdout.readline().strip() == "running"
        time.sleep(seconds)
        sent = time.monotonic()
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=30)
        return time.monotonic() - sent, subprocess.CompletedProcess(child.args, child.returncode, out, err)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


@pytest.mark.parametrize("solver", ["simplex", "ipm"])
def test_ctrl_c_stops_a_long_highs_solve(solver):
    """A HiGHS solve of several seconds (a dense 300 x 3,000 LP, solved over and over) stops within about a second of
    SIGINT with KeyboardInterrupt: the simplex between two time slices, the interior point through HiGHS's callback."""
    script = f"""
import numpy as np
from frontier import engine
rng = np.random.default_rng(0)
R, C = 300, 3000
A = rng.standard_normal((R, C)); b = A @ rng.random(C)
h = engine.highs.new_highs()
h.setOptionValue("presolve", "off"); h.setOptionValue("solver", "{solver}")
h.addRows(R, b, b, 0, np.zeros(R, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
h.addCols(C, rng.random(C), np.zeros(C), np.full(C, engine.highs.HINF), R * C, (np.arange(C) * R).astype(np.int32),
          np.tile(np.arange(R), C).astype(np.int32), A.T.ravel())
print("running", flush=True)
while True:
    h.clearSolver()
    engine.highs.run_highs(h)
"""
    took, done = _interrupted_after(script, 1.0)
    assert "KeyboardInterrupt" in done.stderr, done.stderr[-2000:]
    assert took < 3.0, took


def test_ctrl_c_stops_an_analysis_on_extreme_data():
    """The dense radial super-efficiency case above, run over and over: SIGINT ends it promptly with
    KeyboardInterrupt (its interior-point retry once ignored Ctrl-C for good)."""
    script = f"""
import sys
sys.path.insert(0, {str(ROOT / "tests")!r})
from test_extreme_data import extreme_frame, RADIAL_SUPER_HANG
import frontier as fr
df = extreme_frame(200, ["x0", "x1", "y0", "y1"], seed=2)
print("running", flush=True)
while True:
    fr.efficiency(df, **RADIAL_SUPER_HANG)
"""
    took, done = _interrupted_after(script, 3.0)
    assert "KeyboardInterrupt" in done.stderr, done.stderr[-2000:]
    assert took < 3.0, took


def test_the_robust_path_hands_highs_entries_within_its_range(monkeypatch):
    """Issue 33 item 1: HiGHS aborted ("double free or corruption") on a robust-path LP whose scaled entries ran
    from 6.6e-19 to 2.6e18. Whatever the LP, the matrix the robust path passes to HiGHS stays within
    [HIGHS_SMALLEST_ENTRY, HIGHS_LARGEST_ENTRY] (rows shifted by a power of two: the same LP), and the answer is
    still that LP's: here an LP whose optimum is known exactly."""
    from frontier.engine import robust, settings

    passed = []
    real_new_highs = robust.new_highs

    def spying_highs():
        h = real_new_highs()
        add_cols = h.addCols

        def add(num, cost, lo, up, nnz, starts, rows, values):
            passed.append(np.asarray(values, dtype=float).copy())
            return add_cols(num, cost, lo, up, nnz, starts, rows, values)

        h.addCols = add
        return h

    monkeypatch.setattr(robust, "new_highs", spying_highs)
    # min x1 + x2  s.t.  1e18 x1 + 6.6e-19 x2 >= 1e18,  x2 >= 0 row with a tiny coefficient, x >= 0: x1 = 1, x2 = 0
    A = np.array([[1e18, 6.6e-19], [2.6e18, 1.0]])
    lp = robust._LP(A, np.array([1.0, 1.0]), np.zeros(2), np.full(2, np.inf), np.array([1e18, 2.6e18]),
                    np.full(2, np.inf))
    status, x, objective, _, _ = robust._solve_scaled(lp, np.ones(2), np.ones(2))
    assert passed and all(np.abs(v).max() <= settings.HIGHS_LARGEST_ENTRY for v in passed)
    assert all(np.abs(v[v != 0]).min() >= settings.HIGHS_SMALLEST_ENTRY for v in passed)
    assert status == "optimal" and objective == pytest.approx(1.0, rel=1e-9) and x[0] == pytest.approx(1.0)
