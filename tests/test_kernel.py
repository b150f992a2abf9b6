"""The compiled kernel of the restricted path (frontier/engine/kernel.py): its simplex against HiGHS on small LPs
(degenerate, boxed, infeasible, unbounded), its warm starts, and the engine with the kernel forced on (a call uses it
from KERNEL_MIN_DMUS DMUs, so these small cases set that to 0) against HiGHS's full-column path and the exact-rational
oracle; whatever the kernel does not finish, or whose answer the certificate refuses, HiGHS solves."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from frontier.engine import kernel as K
from frontier.engine import simplex as S
from frontier.engine.certify import BatchPatch
from frontier.engine.highs import HINF, new_highs
from frontier.models.base import Patch

from exact_lp import judged_run, model_configurations
from test_engine import CROSS_CASES, LARGE_CASES, assert_same, large, two_groups  # noqa: F401 (fixtures)

pytest.importorskip("numba")


@pytest.fixture(autouse=True)
def kernel_on(monkeypatch):
    """Every call of these tests uses the kernel, however small."""
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 0)


class KernelOutcomes:
    """The kernel's solves over a test, by outcome (OPTIMAL, INFEASIBLE, ...), summed over every :class:`KernelLP`
    made meanwhile: its per-LP solves and those of its compiled runs (``KernelLP.outcomes``)."""

    def __init__(self):
        self.models: list = []

    def get(self, outcome: int, default: int = 0) -> int:
        total = sum(int(lp.outcomes[outcome]) for lp in self.models)
        return total if total else default

    def __bool__(self) -> bool:
        return any(lp.outcomes.any() for lp in self.models)


@pytest.fixture
def kernel_calls(monkeypatch):
    """The kernel's solves by outcome over the calls of a test (:class:`KernelOutcomes`)."""
    counts = KernelOutcomes()
    K.load()            # (loaded now, so a call's own loading, which runs the kernel once, is not counted)
    monkeypatch.setattr(K, "load", lambda: None)
    original = K.KernelLP.__init__

    def spy(self, *args, **kwargs):
        original(self, *args, **kwargs)
        counts.models.append(self)

    monkeypatch.setattr(K.KernelLP, "__init__", spy)
    return counts


# ----------------------------------------------------------------------------------------------------
# the simplex alone, against HiGHS
# ----------------------------------------------------------------------------------------------------

def highs_lp(A, cost, lower, upper, row_lower, row_upper):
    """HiGHS's status name, objective and row duals for ``min cost'x, row_lower <= A x <= row_upper, bounds``."""
    h = new_highs()
    # (one thread, as the engine's models: HiGHS's global scheduler keeps the thread count of the first run in a
    # process, and a model asking another one afterwards fails to run)
    h.setOptionValue("threads", 1)
    h.setOptionValue("presolve", "off")
    R, n = A.shape
    finite = lambda v, sign: np.where(np.isinf(v), sign * HINF, v)
    h.addRows(R, finite(row_lower, -1), finite(row_upper, 1), 0, np.zeros(R, dtype=np.int32),
              np.zeros(0, dtype=np.int32), np.zeros(0))
    for j in range(n):
        rows = np.flatnonzero(A[:, j])
        h.addCol(cost[j], finite(lower[j], -1), finite(upper[j], 1), rows.size, rows.astype(np.int32), A[rows, j])
    h.run()
    status = str(h.getModelStatus()).split(".")[-1]
    return status, h.getObjectiveValue(), np.asarray(h.getSolution().row_dual)


def kernel_lp(A, cost, lower, upper, row_lower, row_upper, n_own=0):
    """A :class:`KernelLP` of the LP (its first ``n_own`` columns as the stage's own columns)."""
    R, n = A.shape
    lp = K.KernelLP(R, n_own)
    lp.add_columns(np.arange(R), A[:, n_own:].T.copy(), cost[n_own:])
    lp.lower[R + n_own: R + n], lp.upper[R + n_own: R + n] = lower[n_own:], upper[n_own:]
    lp.set_dmu(A[:, :n_own], cost[:n_own], lower[:n_own], upper[:n_own], row_lower, row_upper)
    return lp


def random_lp(rng, degenerate: bool):
    """A small LP with boxed, free and nonnegative columns and equality, ranged and one-sided rows; ``degenerate``:
    duplicated columns, zero right-hand sides and a repeated row (many ties in the ratio test)."""
    R, n = int(rng.integers(2, 9)), int(rng.integers(2, 40))
    A = rng.normal(size=(R, n)) * (rng.random((R, n)) < 0.7)
    boxed = rng.random(n) < 0.5
    cost = np.where(boxed, rng.normal(size=n), np.abs(rng.normal(size=n)))
    lower, upper = np.zeros(n), np.where(boxed, rng.random(n) * 3, np.inf)
    lower[boxed & (rng.random(n) < 0.2)] = -np.inf
    x0 = np.clip(rng.random(n), lower, upper)
    if degenerate:
        A[:, n // 2:] = A[:, : n - n // 2] if n % 2 == 0 else A[:, n // 2:]
        A[-1] = A[0]
        x0[rng.random(n) < 0.5] = 0.0
    activity = A @ x0
    kind = rng.integers(0, 3, size=R)
    row_lower = np.where(kind == 0, activity, np.where(kind == 1, activity - rng.random(R), -np.inf))
    row_upper = np.where(kind == 0, activity, np.where(kind == 1, np.inf, activity + rng.random(R)))
    if rng.random() < 0.15:          # an equality no box reaches: (probably) infeasible
        row_lower[0] = row_upper[0] = np.abs(A[0]).sum() * 10 + 100
    return A, cost, lower, upper, row_lower, row_upper


@pytest.mark.parametrize("degenerate", [False, True])
def test_kernel_agrees_with_highs_on_random_lps(degenerate):
    """Same status (optimal, infeasible or unbounded) and the same optimum; the kernel's row duals make every column's
    reduced cost of the right sign (HiGHS's sign convention: the objective's derivative along the row's bound)."""
    rng = np.random.default_rng(7 + degenerate)
    names = {K.OPTIMAL: "kOptimal", K.INFEASIBLE: "kInfeasible", K.UNBOUNDED: "kUnbounded"}
    seen = set()
    for _ in range(300):
        A, cost, lower, upper, row_lower, row_upper = random_lp(rng, degenerate)
        lp = kernel_lp(A, cost, lower, upper, row_lower, row_upper)
        outcome = lp.solve()
        status, objective, _ = highs_lp(A, cost, lower, upper, row_lower, row_upper)
        assert names[outcome] == status
        seen.add(status)
        if outcome != K.OPTIMAL:
            continue
        x = lp.values
        assert lp.objective == pytest.approx(objective, rel=1e-9, abs=1e-9)
        assert np.all(A @ x >= row_lower - 1e-9) and np.all(A @ x <= row_upper + 1e-9)
        assert np.all(x >= lower - 1e-12) and np.all(x <= upper + 1e-12)
        reduced = cost - A.T @ lp.duals
        assert np.all(reduced[x <= lower + 1e-12] >= -1e-9) and np.all(reduced[x >= upper - 1e-12] <= 1e-9)
        inside = (x > lower + 1e-9) & (x < upper - 1e-9)
        assert np.all(np.abs(reduced[inside]) <= 1e-9)
    assert seen == {"kOptimal", "kInfeasible", "kUnbounded"}


def test_kernel_warm_start_across_dmus():
    """A DEA-like sequence: the own column and the row bounds change from one LP to the next (as from one DMU to the
    next); each solve starts from the basis the previous one left, matches HiGHS, and an unchanged LP takes no
    pivot."""
    rng = np.random.default_rng(3)
    ref = rng.lognormal(0, 0.5, (40, 4))            # 40 DMUs, 3 inputs and 1 output
    R = 5                                            # 3 input rows, 1 output row, convexity
    A = np.vstack([ref.T, np.ones(40)])
    cost = np.zeros(40)
    lp = K.KernelLP(R, 1)
    lp.add_columns(np.arange(R), A.T.copy(), cost)
    iterations = []
    for o in range(40):         # input BCC: min theta s.t. X'lam <= theta x_o, Y'lam >= y_o, sum lam = 1
        own = np.r_[-ref[o, :3], 0.0, 0.0][:, None]
        row_lower = np.r_[-np.inf, -np.inf, -np.inf, ref[o, 3], 1.0]
        row_upper = np.r_[0.0, 0.0, 0.0, np.inf, 1.0]
        lp.set_dmu(own, [1.0], [-np.inf], [np.inf], row_lower, row_upper)
        assert lp.solve() == K.OPTIMAL
        iterations.append(lp.iterations)
        full_A = np.hstack([own, A])
        _, objective, _ = highs_lp(full_A, np.r_[1.0, cost], np.r_[-np.inf, np.zeros(40)], np.full(41, np.inf),
                                   row_lower, row_upper)
        assert lp.objective == pytest.approx(objective, abs=1e-12)
        assert lp.solve() == K.OPTIMAL and lp.iterations == 0        # warm: the optimal basis is kept
    cold = K.KernelLP(R, 1)
    cold.add_columns(np.arange(R), A.T.copy(), cost)
    cold.set_dmu(own, [1.0], [-np.inf], [np.inf], row_lower, row_upper)
    cold.solve()
    assert np.mean(iterations[1:]) < cold.iterations


def test_kernel_column_norms_follow_its_columns():
    """The simplex prices with the squared column norms the kernel keeps beside its matrix (simplex.column_norms):
    they equal the columns' after the own columns change, after columns join and after the matrix grows past its
    capacity; the logicals' stay 1."""
    rng = np.random.default_rng(5)
    R = 4
    lp = K.KernelLP(R, 1, capacity=8)
    for _ in range(3):                                   # 3 x 5 columns join: the matrix grows past 8
        lp.add_columns(np.array([0, 2, 3]), rng.normal(size=(5, 3)), np.zeros(5))
        lp.set_dmu(rng.normal(size=(R, 1)), [1.0], [-np.inf], [np.inf], np.full(R, -np.inf), np.zeros(R))
        n = lp.n
        assert lp.A.shape[1] >= n and np.array_equal(lp.norms[:R], np.ones(R))
        np.testing.assert_allclose(lp.norms[R: R + n], (lp.A[:, :n] ** 2).sum(axis=0), rtol=1e-15)


@pytest.mark.parametrize("relaxed", [False, True])
def test_harris_row_ratio(relaxed):
    """Harris's per-row test (simplex.row_ratio), both passes: the step at which a basic value reaches the bound that
    blocks it, moved out by its tolerance in pass 1 (``relaxed``), and whether that bound is the upper one."""
    from frontier.engine.simplex import row_ratio

    tol = 1e-7
    shift = tol if relaxed else 0.0
    # (rate, lower, upper, value): falls to its lower bound, rises to its upper, falls back to its upper from above,
    # rises back to its lower from below
    assert row_ratio(-2.0, 0.0, 5.0, 1.0, tol, relaxed) == ((1.0 + shift) / 2.0, False)
    assert row_ratio(4.0, 0.0, 5.0, 1.0, tol, relaxed) == ((5.0 + 5 * shift - 1.0) / 4.0, True)
    assert row_ratio(-1.0, 0.0, 5.0, 6.0, tol, relaxed) == (6.0 - 5.0 + 5 * shift, True)
    assert row_ratio(2.0, 0.0, 5.0, -1.0, tol, relaxed) == ((shift + 1.0) / 2.0, False)
    # nothing blocks: towards an infinite bound
    assert row_ratio(-1.0, -np.inf, 5.0, 1.0, tol, relaxed) == (np.inf, False)
    assert row_ratio(1.0, 0.0, np.inf, 1.0, tol, relaxed) == (np.inf, False)


# ----------------------------------------------------------------------------------------------------
# the engine with the kernel on, against HiGHS's full-column path
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(LARGE_CASES))
def test_kernel_equals_full_highs(large, name, kernel_calls):
    """Every model family (super-efficiency's excluded column, weak disposability's equality rows, free and boxed own
    columns) through the kernel: the same scores as HiGHS's full-column path, and the kernel solved them."""
    df, inputs, outputs, bads = large
    kw = LARGE_CASES[name]
    full = fr.efficiency(df, inputs, outputs, bads, method="full", **kw)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", chunk_size=70, **kw))
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="auto", **kw))
    assert kernel_calls.get(K.OPTIMAL, 0) >= len(df)


def test_auto_uses_the_kernel_from_the_calls_size(monkeypatch):
    """``method="auto"``: the restricted path with the kernel from KERNEL_MIN_DMUS DMUs in the call (numba's
    loading in a process costs more than smaller calls save), except for small reference sets, which the dense batch's
    compiled loop solves (packed or not); below, the methods measured before it."""
    rows = engine.settings.DENSE_ROWS
    large = engine.settings.DENSE_KERNEL_MAX + 1    # up to DENSE_KERNEL_MAX columns: the dense batch's compiled loop
    assert engine.job_method("auto", large, rows, 1, kernel=True) == "restricted"
    assert engine.job_method("auto", large, rows + 1, 1, kernel=True) == "restricted"
    assert engine.job_method("auto", 100, rows, 1, kernel=True) == "dense"
    packed = engine.settings.PACK_MIN_JOBS          # a bootstrap's replicates: the packed dense simplex is faster
    assert engine.job_method("auto", 300, rows, packed, kernel=True) == "dense"
    assert engine.job_method("auto", 300, rows, 1, kernel=False) == "dense"
    assert engine.job_method("full", 300, rows, 1, kernel=True) == "full"
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 2000)
    assert K.kernel_pays(8, 2000) and not K.kernel_pays(8, 1999)
    assert not K.kernel_pays(engine.settings.KERNEL_ROWS + 1, 10**6)
    monkeypatch.setattr(engine.settings, "KERNEL", False)
    assert not K.kernel_pays(8, 10**6)


@pytest.mark.parametrize("name", list(CROSS_CASES))
def test_kernel_infeasible_restricted_lps(two_groups, name, kernel_calls):
    """Cross-reference evaluation: restricted LPs the kernel finds infeasible are priced with its phase-1 duals
    (Farkas pricing), and LPs infeasible over every column are HiGHS's to prove: the same answers as the full path."""
    df, inputs, outputs, bads, ref_labels, _ = two_groups
    kw = CROSS_CASES[name]
    full = fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="full", **kw)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="auto", **kw))
    if name == "radial-vrs-input":
        assert kernel_calls.get(K.INFEASIBLE, 0) >= 5 and (full.status == "infeasible").sum() >= 5


def test_kernel_failures_go_to_highs(large, monkeypatch, kernel_calls, highs_runs):
    """A kernel that stops at its iteration limit on every LP with a pivot to make: HiGHS solves those LPs, with the
    same answers."""
    df, inputs, outputs, bads = large
    full = fr.efficiency(df, inputs, outputs, bads, method="full", model="sbm", rts="vrs")
    monkeypatch.setattr(engine.settings, "KERNEL_ITERATIONS_MIN", 0)
    monkeypatch.setattr(engine.settings, "KERNEL_ITERATIONS_PER_SIZE", 0)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", model="sbm", rts="vrs"))
    assert kernel_calls.get(K.ITERATION_LIMIT, 0) >= 100 and highs_runs["runs"] >= 100


def test_models_past_the_kernels_size_are_highs(large, monkeypatch, kernel_calls):
    """A restricted model of more than KERNEL_MAX_COLUMNS columns is solved by HiGHS (a kernel call cannot be
    interrupted, so its size is bounded)."""
    df, inputs, outputs, bads = large
    monkeypatch.setattr(engine.settings, "KERNEL_MAX_COLUMNS", 0)
    full = fr.efficiency(df, inputs, outputs, bads, method="full", model="sbm", rts="vrs")
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", model="sbm", rts="vrs"))
    assert not kernel_calls


def test_refused_kernel_answers_are_solved_again_by_highs(large, monkeypatch):
    """Kernel answers the certificate refuses (here: every intensity made 1 % too large) are solved again by HiGHS
    at its tightest tolerances: the reported scores are HiGHS's, not the kernel's."""
    df, inputs, outputs, bads = large
    full = fr.efficiency(df, inputs, outputs, bads, method="full", model="sbm", rts="vrs")
    monkeypatch.setattr(K.KernelLP, "values", property(lambda self: self.x[self.R: self.R + self.n] * 1.01))
    original_record = engine.restricted._Found.add_run

    def record_too_large(self, got, *args):        # the same for the answers of the compiled runs
        got.nz_lam *= 1.01
        original_record(self, got, *args)

    monkeypatch.setattr(engine.restricted._Found, "add_run", record_too_large)
    tightened = {"count": 0}
    original = engine.restricted.StageSolver.tighten

    def spy(self):
        tightened["count"] += 1
        original(self)

    monkeypatch.setattr(engine.restricted.StageSolver, "tighten", spy)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", model="sbm", rts="vrs"))
    assert tightened["count"] >= 1


def test_badly_scaled_lps_are_left_to_highs():
    """Data spanning more than KERNEL_MAX_RANGE (the oracle's badly scaled instance, 1e-8..1e15: there a kernel
    answer met the certificate's rows yet scored 1.1e-8 where the exact score is 0): not the kernel's."""
    patch = BatchPatch(Patch(
        row_lower=np.array([[1.0, 0.0], [1e-8, 0.0]]), row_upper=np.array([[1.0, np.inf], [1e3, np.inf]]),
        extra_matrix=np.array([[[2.0], [1.0]], [[2.0], [1e15]]]), extra_cost=np.ones((2, 1)),
        extra_lower=np.zeros((2, 1)), extra_upper=np.full((2, 1), np.inf)))
    np.testing.assert_array_equal(K.in_range((10.0, 0.1), patch), [True, False])
    assert not K.in_range((1e12, 1e-3), patch).any()


def test_oracle_cases_the_kernel_answered_wrong():
    """Two badly scaled oracle cases (tests/test_adversarial_statuses.py) the kernel answered wrong before its range
    and residual gates: VRS SBM-DDF scored 1.1e-8 where the exact score is 0 (rows met to 2e-8 of their terms), and
    a DDF super-efficiency max-slack optimum of -1.8937e8 where the exact one is -1.8935e8 (the kernel's exact-looking
    score took away the mark, a score that needed the robust path, that holds the slacks to exactness)."""
    from test_adversarial_statuses import ONE_INPUT_SLACK_ROWS, badly_scaled_instance

    df, inputs, outputs, bads = badly_scaled_instance(np.random.default_rng(sum(map(ord, "sbm_ddf"))))
    for rts in ("vrs", "nirs"):
        counts, failures = judged_run(df, inputs, outputs, bads, dict(model="sbm_ddf", rts=rts, super_efficiency=False,
                                                                      direction="observed"), "auto")
        assert not failures and counts["wrong_number"] == 0, failures
    df = pd.DataFrame(ONE_INPUT_SLACK_ROWS, columns=["x0", "y"])
    options = dict(model="ddf", rts="vrs", super_efficiency=True, direction="observed")
    counts, failures = judged_run(df, ["x0"], ["y"], [], options, "auto")
    assert not failures and counts["wrong_number"] == 0, failures


def moderate_instance(rng):
    """A small instance the kernel solves (values log-uniform in 0.01..100, some ties): judged by the exact oracle."""
    n = int(rng.integers(6, 10))
    values = np.round(10.0 ** rng.uniform(-2, 2, size=(n, 4)), 2)
    values[rng.integers(n)] = values[rng.integers(n)]         # a duplicated DMU: degenerate LPs
    return pd.DataFrame(values, columns=["x0", "x1", "y", "b0"]), ["x0", "x1"], ["y"], ["b0"]


@pytest.mark.parametrize("family", ["radial", "sbm", "ddf", "nddf", "sbm_ddf", "ebm"])
def test_kernel_against_the_exact_oracle(family, kernel_calls):
    """Each family's configurations on a seeded instance, through the kernel: no wrong status or number against the
    exact-rational oracle (tests/exact_lp.py)."""
    rng = np.random.default_rng(sum(map(ord, family)) + 1)
    df, inputs, outputs, bads = moderate_instance(rng)
    wrong = []
    for options in (o for o in model_configurations(True) if o["model"] == family):
        counts, failures = judged_run(df, inputs, outputs, bads, options, "restricted")
        wrong += failures
        assert counts.get("wrong_status", 0) == counts.get("wrong_number", 0) == 0, (options, counts)
    assert not wrong, wrong[:5]
    assert kernel_calls.get(K.OPTIMAL, 0) >= len(df)


def test_an_edit_of_the_simplex_drops_the_cached_loops_that_call_it(tmp_path):
    """Numba keys a cached loop by its own file only: after the simplex changes, its callers' cached loops (which
    hold the old simplex compiled in) are deleted, once; while it is unchanged they are kept."""
    from frontier.engine.simplex import drop_stale_loops

    source = tmp_path / "simplex.py"
    source.write_text("version = 1\n")
    cache = tmp_path / "__pycache__"
    cache.mkdir()
    loop = cache / "kernel._run_dmus-1.py311.nbi"
    loop.write_bytes(b"old")
    drop_stale_loops(source)
    assert not loop.exists()                            # no stamp yet: compiled with an unknown simplex
    loop.write_bytes(b"new")
    drop_stale_loops(source)
    assert loop.exists()                                # the simplex is the one its stamp names
    source.write_text("version = 2\n")
    drop_stale_loops(source)
    assert not loop.exists() and len(list(cache.glob("simplex-*.stamp"))) == 1


def test_a_cached_loop_loads_without_numbas_refresh_and_falls_back_to_numbas_own_load(monkeypatch):
    """The engine's loops load from numba's cache after numba's runtime only (``simplex.quick_load_cache``), not
    after numba's refresh of its whole compiler context (0.2 s of a cold call); where that way fails (numba's
    internals changed), numba's own load, refresh and all, loads the loop."""
    from numba.core.registry import cpu_target
    from numba.core.runtime import rtsys

    K.load()                                    # (compiled into the cache on a fresh checkout)
    context = cpu_target.target_context
    refreshes, original_refresh = [], type(context).refresh
    monkeypatch.setattr(type(context), "refresh", lambda self: (refreshes.append(self), original_refresh(self))[1])
    signature = S.column_norms.signatures[0]
    cache = S.quick_load_cache()(S.column_norms.py_func)
    assert cache.load_overload(signature, context) is not None and not refreshes

    failed, original_initialize = [], rtsys.initialize

    def fails_once(target_context):
        if not failed:
            failed.append(target_context)
            raise RuntimeError("numba's runtime changed")
        return original_initialize(target_context)

    monkeypatch.setattr(rtsys, "initialize", fails_once)
    assert cache.load_overload(signature, context) is not None and failed and refreshes


def test_a_new_process_loads_only_the_compiled_run_and_without_numbas_refresh():
    """A new process readies the kernel (``kernel.load``, what a call that uses it runs first) by loading the
    compiled run alone from numba's cache: not numba's refresh, not the per-LP solve (loaded at its first use), not
    the dense batch's loop; and the run it loaded solves."""
    code = """
from numba.core.base import BaseContext
refreshes = []
original = BaseContext.refresh
BaseContext.refresh = lambda self: (refreshes.append(self), original(self))[1]
import numpy as np
from frontier.engine import dense_kernel, kernel, simplex
kernel.load()
print(len(refreshes), len(simplex.solve.signatures), dense_kernel._compiled is None)
"""
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=root, env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["0", "0", "True"]
