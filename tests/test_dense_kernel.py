"""The compiled loop over a dense batch's LPs (frontier.engine.dense_kernel) against an independent solver and the
numpy batch, and the engine's use of it: it runs where the call's plans carry the kernel flag, every answer it gives
is certified, and whatever it does not settle (or gets wrong) is solved by HiGHS."""
import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from frontier.engine import dense as dense_simplex
from frontier.engine import dense_kernel
from frontier.engine.certify import Columns, Stacked, certified, stacked_answers
from frontier.engine.schedule import job_method
from test_dense_simplex import _firms, random_batch, scipy_solve

pytestmark = pytest.mark.skipif(not dense_kernel.available(5), reason="numba is not installed")


def _dense(intensities, n_columns):
    """The loop's sparse intensities ``(count, col, lam)`` as a dense k x n_columns matrix."""
    count, col, lam = intensities
    dense = np.zeros((count.size, n_columns))
    at, slot = np.nonzero(np.arange(col.shape[1]) < count[:, None])
    dense[at, col[at, slot]] = lam[at, slot]
    return dense


def _check_against_scipy(lp, N, out, rtol=1e-8):
    """Every LP the loop reports solved has scipy's optimum, a feasible solution and duals that price every column;
    its intensities are kept in column order."""
    count, col, _ = out[2]
    dense = _dense(out[2], lp["A"].shape[2])
    for i in np.flatnonzero(out[0]):
        ref = scipy_solve(lp, i, N)
        assert ref.status == 0
        assert np.all(np.diff(col[i, : count[i]]) > 0)
        own, lam, duals, objective = out[1][i], dense[i], out[3][i], out[4][i]
        assert abs(objective - ref.fun) <= rtol * max(1.0, abs(ref.fun))
        g, n = lp["group"][i], N[lp["group"][i]]
        activity = lp["own_matrix"][i] @ own + lp["A"][g, :, :n] @ lam[:n]
        size = np.abs(lp["own_matrix"][i]) @ np.abs(own) + np.abs(lp["A"][g, :, :n]) @ lam[:n] + 1.0
        assert np.all(activity >= lp["row_lower"][i] - 1e-9 * size)
        assert np.all(activity <= lp["row_upper"][i] + 1e-9 * size)
        assert np.all(lam >= 0) and np.all(lam[lp["banned"][i]] == 0) and np.all(lam[n:] == 0)
        reduced = lp["cost"][g, :n] - duals @ lp["A"][g, :, :n]
        allowed = ~lp["banned"][i, :n]
        scale = 1.0 + np.abs(lp["cost"][g, :n]) + np.abs(duals) @ np.abs(lp["A"][g, :, :n])
        assert np.all(reduced[allowed] >= -1e-8 * scale[allowed])


@pytest.mark.parametrize("seed", range(6))
def test_compiled_loop_equals_an_independent_solver_and_the_numpy_batch(seed):
    """Random LPs of every row and column kind, three groups of different sizes, banned columns: every LP the loop
    solves has scipy's optimum (and the numpy batch's objective), and it solves nearly all of them."""
    rng = np.random.default_rng(seed)
    lp, N = random_batch(rng, per_group=(9, 14, 7))
    out = dense_kernel.solve_packed(**lp)
    assert out[0].mean() >= 0.9
    _check_against_scipy(lp, N, out)
    numpy_batch = dense_simplex.solve_batch(**lp)
    both = out[0] & numpy_batch.solved
    np.testing.assert_allclose(out[4][both], numpy_batch.objective[both], rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_compiled_loop_on_badly_scaled_lps(seed):
    """Columns and rows scaled by factors spanning 1e-6..1e6: what the loop reports solved is still scipy's optimum
    (to the certificate's relative accuracy); what it cannot solve accurately it leaves unsolved."""
    rng = np.random.default_rng(100 + seed)
    lp, N = random_batch(rng, per_group=(9, 14, 7))
    row_scale = 10.0 ** rng.uniform(-6, 6, lp["A"].shape[1])
    lp["A"] = lp["A"] * row_scale[None, :, None]
    lp["own_matrix"] = lp["own_matrix"] * row_scale[None, :, None]
    lp["row_lower"], lp["row_upper"] = lp["row_lower"] * row_scale, lp["row_upper"] * row_scale
    column_scale = 10.0 ** rng.uniform(-3, 3, lp["A"].shape[2])
    lp["A"], lp["cost"] = lp["A"] * column_scale, lp["cost"] * column_scale
    out = dense_kernel.solve_packed(**lp)
    assert out[0].any()
    _check_against_scipy(lp, N, out, rtol=1e-7)


def test_infeasible_lps_are_left_unsolved():
    rng = np.random.default_rng(0)
    lp, N = random_batch(rng)
    lp["row_lower"][0, 0], lp["row_upper"][0, 0] = 1e6, 1e6
    lp["own_lower"][0], lp["own_upper"][0] = 0.0, 1.0
    out = dense_kernel.solve_packed(**lp)
    assert not out[0][0] and np.isnan(out[4][0])
    assert out[0][1:].mean() >= 0.9          # the LP after it starts again from the slack basis


def test_auto_routes_small_reference_sets_to_the_dense_batch_where_the_kernel_runs():
    assert job_method("auto", 150, 5, 1, kernel=True) == "dense"
    assert job_method("auto", 150, 5, 1, kernel=False) == "full"
    assert job_method("auto", engine.settings.DENSE_KERNEL_MAX + 1, 5, 1, kernel=True) == "restricted"
    assert job_method("auto", 270, engine.settings.DENSE_ROWS + 1, 1, kernel=True) == "restricted"


@pytest.fixture
def kernel_on(monkeypatch):
    """Every call's plans carry the kernel flag (however small), and the compiled loop's calls are counted."""
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 0)
    calls = []
    real = dense_kernel.solve_packed

    def counted(*args, **kw):
        out = real(*args, **kw)
        calls.append(int(out[0].sum()))
        return out

    monkeypatch.setattr(dense_kernel, "solve_packed", counted)
    return calls


def test_engine_answers_through_the_compiled_loop_equal_the_full_model(kernel_on):
    """VRS super-efficiency (banned own columns, infeasible LPs) through the compiled loop: the same statuses and
    scores as the full HiGHS model; the infeasible ones proven by HiGHS."""
    df = _firms()
    kwargs = dict(model="radial", rts="vrs", super_efficiency=True)
    full = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="full", **kwargs)
    dense = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="dense", **kwargs)
    assert sum(kernel_on) > len(df) // 2
    pd.testing.assert_series_equal(dense.status, full.status)
    np.testing.assert_allclose(dense.scores, full.scores, rtol=0, atol=1e-9, equal_nan=True)
    assert (full.status == "infeasible").any()


def test_wrong_answers_of_the_compiled_loop_go_to_highs(kernel_on, monkeypatch):
    """An answer moved off the optimum is refused by the certificate and solved by HiGHS (a forced fallback)."""
    df = _firms()
    full = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="full", model="radial", rts="vrs")
    real = dense_kernel.solve_packed
    touched = []

    def corrupted(*args, **kw):
        solved, own, intensities, duals, objective, iterations = real(*args, **kw)
        bad = np.flatnonzero(solved)[::2]
        touched.append(bad.size)
        own, objective = own.copy(), objective.copy()
        own[bad] *= 1.05
        objective[bad] *= 1.05
        return solved, own, intensities, duals, objective, iterations

    monkeypatch.setattr(dense_kernel, "solve_packed", corrupted)
    dense = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="dense", model="radial", rts="vrs")
    assert sum(touched) > 10
    pd.testing.assert_series_equal(dense.status, full.status)
    np.testing.assert_allclose(dense.scores, full.scores, rtol=0, atol=1e-9, equal_nan=True)


def test_bootstrap_replicates_through_the_compiled_loop_equal_the_numpy_batch(monkeypatch):
    """The same draws give the same replicate scores (to 1e-9) whether the packed replicates go through the compiled
    loop or the numpy batch."""
    df = _firms(n=60, seed=5)
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 0)
    compiled = fr.bootstrap(df, ["K", "L", "E"], ["Y"], rts="vrs", B=12, random_state=3)
    monkeypatch.setattr(engine.settings, "KERNEL", False)
    numpy_batch = fr.bootstrap(df, ["K", "L", "E"], ["Y"], rts="vrs", B=12, random_state=3)
    np.testing.assert_allclose(compiled.replicates, numpy_batch.replicates, rtol=0, atol=1e-9)


def test_nonzero_intensities_keep_those_above_the_cut_in_column_order():
    """The numpy batch's dense intensities in the compiled loop's sparse form: per LP the columns above
    INTENSITY_CUT of its largest intensity (at least 1), in column order, padded to the largest count."""
    lam = np.array([[0.0, 2.0, 1e-13, 0.5],
                    [0.0, 0.0, 0.0, 0.0],
                    [3e-12, 0.0, 1e-13, 0.0]])
    count, col, value = dense_simplex.nonzero_intensities(lam)
    np.testing.assert_array_equal(count, [2, 0, 1])
    np.testing.assert_array_equal(col[0], [1, 3])
    np.testing.assert_array_equal(value[0], [2.0, 0.5])
    assert col[2, 0] == 0 and value[2, 0] == 3e-12


def test_one_certificate_for_a_packed_batch_equals_one_per_reference_set(monkeypatch):
    """A packed batch of bootstrap replicates is certified in one pass (certify.certified_packed): for every
    reference set it accepts exactly what certify.certified accepts of that set's LPs alone, refusing the answers
    moved off the optimum; HiGHS solves those, and the replicates equal a run without the moved answers."""
    df = _firms(n=60, seed=5)
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 0)
    clean = fr.bootstrap(df, ["K", "L", "E"], ["Y"], rts="vrs", B=12, random_state=3)
    real_certified, real_solve = dense_simplex.certified_packed, dense_kernel.solve_packed
    seen = []

    def compared(stage, ref, patch, rows, own, objective, sols, duals, groups):
        ok = real_certified(stage, ref, patch, rows, own, objective, sols, duals, groups)
        for first, stop, candidates in groups:
            inside = (sols.seg >= first) & (sols.seg < stop)
            alone = Stacked(sols.own[first:stop], sols.seg[inside] - first, sols.pos[inside], sols.blk[inside],
                            sols.lam[inside])
            np.testing.assert_array_equal(ok[first:stop], certified(
                stage, ref, patch, rows[first:stop], own[first:stop], objective[first:stop], alone,
                duals[first:stop], candidates))
        seen.append((len(groups), int(ok.sum()), int((~ok).sum())))
        return ok

    def corrupted(*args, **kw):
        solved, own, intensities, duals, objective, iterations = real_solve(*args, **kw)
        bad = np.flatnonzero(solved)[::3]
        own[bad] *= 1.05
        objective[bad] *= 1.05
        return solved, own, intensities, duals, objective, iterations

    monkeypatch.setattr(dense_simplex, "certified_packed", compared)
    monkeypatch.setattr(dense_kernel, "solve_packed", corrupted)
    moved = fr.bootstrap(df, ["K", "L", "E"], ["Y"], rts="vrs", B=12, random_state=3)
    assert max(groups for groups, _, _ in seen) > 1
    assert sum(accepted for _, accepted, _ in seen) > 0 and sum(refused for _, _, refused in seen) > 0
    np.testing.assert_allclose(moved.replicates, clean.replicates, rtol=0, atol=1e-9)


def test_stacked_answers_merge_a_batch_with_single_answers():
    """A stage's solutions in the order of its optimal DMUs, some certified in one dense batch (bulk), the others one
    by one: the same as stacking every DMU's own Columns."""
    rng = np.random.default_rng(0)
    sols = [Columns(rng.random(2), np.sort(rng.choice(9, size, replace=False)), np.zeros(size, dtype=np.int64),
                    rng.random(size)) for size in (2, 3, 1, 2, 3)]
    done, bulk_rows = np.array([0, 1, 3, 4]), np.array([1, 4])
    bulk = (bulk_rows, Stacked.of([sols[i] for i in bulk_rows], 2))
    merged = stacked_answers([s if i not in bulk_rows else None for i, s in enumerate(sols)], done, 2, bulk)
    expected = Stacked.of([sols[i] for i in done], 2)
    for field in ("own", "seg", "pos", "blk", "lam"):
        np.testing.assert_array_equal(getattr(merged, field), getattr(expected, field))
    assert stacked_answers([None] * 5, bulk_rows, 2, bulk) is bulk[1]


def test_sbm_periods_through_the_compiled_loop_equal_the_full_model(kernel_on):
    """SBM (a relative objective, whose tests certify.certified_packed applies as certify.certified does) over the
    packed periods of a panel through the compiled loop: the same statuses and scores as the full HiGHS model."""
    df = pd.concat([_firms(n=40, seed=s).assign(year=s) for s in range(4)], ignore_index=True)
    full = fr.efficiency(df, ["K", "L", "E"], ["Y"], model="sbm", period="year", method="full")
    dense = fr.efficiency(df, ["K", "L", "E"], ["Y"], model="sbm", period="year", method="dense")
    assert sum(kernel_on) > len(df) // 2
    pd.testing.assert_series_equal(dense.status, full.status)
    np.testing.assert_allclose(dense.scores, full.scores, rtol=0, atol=1e-9, equal_nan=True)
