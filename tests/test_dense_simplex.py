"""The batched dense simplex (frontier.engine.dense) against an independent solver, and the engine's use of it: every
answer it gives is certified, and whatever it does not settle (or gets wrong) is solved by HiGHS."""
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr
from frontier import engine
from frontier.engine import dense as dense_simplex


def random_batch(rng, groups=3, per_group=(5, 9, 4), R=5, E=2, N=(12, 7, 10)):
    """LPs of the module's form with a known feasible point and a bounded objective: row bounds of every kind around
    the activity of that point (equalities, <=, >=, ranges, free rows), own columns boxed, bounded below or free in
    rows that cap them, reference costs >= 0, padded groups of different sizes and some banned columns."""
    n_max = max(N)
    A = np.zeros((groups, R, n_max))
    cost = np.zeros((groups, n_max))
    for g in range(groups):
        A[g, :, : N[g]] = rng.uniform(0.1, 2.0, (R, N[g]))
        cost[g, : N[g]] = rng.choice([0.0, 1.0], N[g]) * rng.uniform(0, 1, N[g])
    k = sum(per_group)
    group = np.repeat(np.arange(groups), per_group)
    own = rng.normal(0, 1, (k, R, E))
    own_cost = rng.uniform(0.1, 1.0, (k, E))
    own_lower = np.where(rng.random((k, E)) < 0.8, rng.uniform(-1, 0, (k, E)), -np.inf)
    own_lower[:, 0] = 0.0                          # the first own column bounded below: the objective is bounded
    own_upper = np.where(rng.random((k, E)) < 0.5, np.maximum(own_lower, -1) + rng.uniform(0.5, 2, (k, E)), np.inf)
    banned = np.zeros((k, n_max), dtype=bool)
    x0 = np.where(np.isfinite(own_upper), (np.maximum(own_lower, -1) + own_upper) / 2, np.maximum(own_lower, 0) + 0.5)
    row_lower, row_upper = np.empty((k, R)), np.empty((k, R))
    for i in range(k):
        g = group[i]
        lam = np.where(rng.random(N[g]) < 0.3, rng.uniform(0, 1, N[g]), 0.0)
        if rng.random() < 0.5:
            banned[i, rng.integers(N[g])] = True
        lam[banned[i, : N[g]]] = 0.0
        activity = own[i] @ x0[i] + A[g, :, : N[g]] @ lam
        kind = rng.integers(0, 5, R)
        width = rng.uniform(0.1, 1.0, R)
        row_lower[i] = np.select([kind == 0, kind == 1, kind == 2, kind == 3], [activity, -np.inf, activity - width,
                                                                                 activity - width], -np.inf)
        row_upper[i] = np.select([kind == 0, kind == 1, kind == 2, kind == 3], [activity, activity + width, np.inf,
                                                                                 activity + width], np.inf)
    # the free (unbounded) own columns must not make the objective unbounded: give them a zero cost
    own_cost = np.where(np.isinf(own_lower) & np.isinf(own_upper), 0.0, own_cost)
    return dict(A=A, cost=cost, own_matrix=own, own_cost=own_cost, own_lower=own_lower, own_upper=own_upper,
                row_lower=row_lower, row_upper=row_upper, group=group, banned=banned), N


def scipy_solve(lp, i, N):
    """LP i straight from its statement: min c_own'x + c'lam s.t. row bounds, own bounds, 0 <= lam (0 if banned)."""
    g = lp["group"][i]
    n = N[g]
    A = np.hstack([lp["own_matrix"][i], lp["A"][g, :, :n]])
    c = np.concatenate([lp["own_cost"][i], lp["cost"][g, :n]])
    lo, up = lp["row_lower"][i], lp["row_upper"][i]
    A_ub = np.vstack([A[np.isfinite(up)], -A[np.isfinite(lo)]])
    b_ub = np.concatenate([up[np.isfinite(up)], -lo[np.isfinite(lo)]])
    bounds = [(None if np.isinf(l) else l, None if np.isinf(u) else u)
              for l, u in zip(lp["own_lower"][i], lp["own_upper"][i])]
    bounds += [(0, 0) if lp["banned"][i, j] else (0, None) for j in range(n)]
    return linprog(c, A_ub=A_ub, b_ub=b_ub, bounds=bounds, method="highs")


@pytest.mark.parametrize("seed", range(6))
def test_batched_simplex_equals_an_independent_solver(seed):
    """Random LPs of every row and column kind, three reference sets of different sizes in one batch: every LP the
    batch solves has scipy's optimum, a feasible solution (row and column bounds, banned columns at 0) and row duals
    that price every column correctly (reduced costs of the right sign), and it solves nearly all of them."""
    rng = np.random.default_rng(seed)
    lp, N = random_batch(rng)
    out = dense_simplex.solve_batch(**lp)
    assert out.solved.mean() >= 0.9
    for i in np.flatnonzero(out.solved):
        ref = scipy_solve(lp, i, N)
        assert ref.status == 0
        assert abs(out.objective[i] - ref.fun) <= 1e-8 * max(1.0, abs(ref.fun))
        g, n = lp["group"][i], N[lp["group"][i]]
        activity = lp["own_matrix"][i] @ out.own[i] + lp["A"][g, :, :n] @ out.lam[i, :n]
        assert np.all(activity >= lp["row_lower"][i] - 1e-9) and np.all(activity <= lp["row_upper"][i] + 1e-9)
        assert np.all(out.own[i] >= lp["own_lower"][i] - 1e-9) and np.all(out.own[i] <= lp["own_upper"][i] + 1e-9)
        assert np.all(out.lam[i] >= 0) and np.all(out.lam[i][lp["banned"][i]] == 0) and np.all(out.lam[i, n:] == 0)
        reduced = lp["cost"][g, :n] - out.duals[i] @ lp["A"][g, :, :n]
        allowed = ~lp["banned"][i, :n]
        assert np.all(reduced[allowed] >= -1e-8)                   # no column prices out
        assert np.all(np.abs(reduced[out.lam[i, :n] > 1e-9]) <= 1e-8)  # the used columns are priced at 0


def test_infeasible_lps_are_left_unsolved():
    """An infeasible LP (rows that no combination meets) is never reported solved: HiGHS proves it in the engine."""
    rng = np.random.default_rng(0)
    lp, N = random_batch(rng)
    lp["row_lower"][0, 0], lp["row_upper"][0, 0] = 1e6, 1e6      # far beyond what the columns reach with bounded own
    lp["own_lower"][0], lp["own_upper"][0] = 0.0, 1.0
    out = dense_simplex.solve_batch(**lp)
    assert not out.solved[0] and np.isnan(out.objective[0])
    assert scipy_solve(lp, 0, N).status == 2


def _firms(n=120, seed=3):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n, 3))
    Y = X.prod(axis=1) ** 0.3 * rng.uniform(0.5, 1, n)
    return pd.DataFrame({"K": X[:, 0], "L": X[:, 1], "E": X[:, 2], "Y": Y})


def test_wrong_or_unfinished_answers_go_to_highs(monkeypatch):
    """The engine trusts nothing from the batch: an answer moved off the optimum is refused by the certificate and
    an LP stopped by the iteration limit is left; HiGHS solves both, so the results equal the full HiGHS model's."""
    df = _firms()
    kwargs = dict(model="radial", rts="vrs", super_efficiency=True)
    full = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="full", **kwargs)
    real = dense_simplex.solve_batch
    touched = []

    def corrupted(*args, **kw):
        out = real(*args, **kw)
        bad = np.flatnonzero(out.solved)[::2]
        touched.append(bad.size)
        own = out.own.copy()
        own[bad] *= 1.05                   # a feasible but worse (or infeasible) point, reported as optimal
        return dense_simplex.DenseSolution(out.solved, own, out.lam, out.duals, out.objective * 1.05,
                                           out.iterations)

    monkeypatch.setattr(dense_simplex, "solve_batch", corrupted)
    dense = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="dense", **kwargs)
    assert sum(touched) > 10
    pd.testing.assert_series_equal(dense.status, full.status)
    np.testing.assert_allclose(dense.scores, full.scores, rtol=0, atol=1e-9, equal_nan=True)
    monkeypatch.setattr(dense_simplex, "solve_batch", real)
    monkeypatch.setattr(engine.settings, "MAX_ITER_PER_ROW", 0)      # stops after a handful of pivots
    stopped = fr.efficiency(df, ["K", "L", "E"], ["Y"], method="dense", **kwargs)
    pd.testing.assert_series_equal(stopped.status, full.status)
    np.testing.assert_allclose(stopped.scores, full.scores, rtol=0, atol=1e-9, equal_nan=True)
    # VRS super-efficiency leaves some LPs infeasible: proven by HiGHS, NaN with the status
    assert (full.status == "infeasible").any() and stopped.scores[full.status == "infeasible"].isna().all()


def test_packing_joins_whole_dense_jobs_of_one_model_and_changes_no_answer():
    """pack_tasks puts consecutive one-chunk "dense" jobs of the same model in one batch up to PACK_DMUS DMUs; a job
    split into chunks, another model or another method stays on its own. Packed and one-by-one answers agree."""
    a, b = object(), object()
    tasks = [(0, 0, 300), (1, 0, 300), (2, 0, 300), (3, 0, 300), (4, 0, 300), (5, 0, 600), (5, 600, 1200),
             (6, 0, 100), (7, 0, 100)]
    specs = [a, a, a, a, a, a, a, b, a]
    methods = ["dense"] * 7 + ["dense", "restricted"]
    units = engine.schedule.pack_tasks(tasks, specs, methods)
    assert units == [tasks[0:4], [tasks[4]], [tasks[5]], [tasks[6]], [tasks[7]], [tasks[8]]]
    # a bootstrap's replicates are such jobs: the same numbers packed (default) and one chunk at a time
    df = _firms(60)
    packed = fr.bootstrap(df, ["K", "L", "E"], ["Y"], B=8, random_state=1)
    alone = fr.bootstrap(df, ["K", "L", "E"], ["Y"], B=8, random_state=1, chunk_size=60)
    np.testing.assert_allclose(packed.replicates.to_numpy(), alone.replicates.to_numpy(), rtol=0, atol=1e-12)
    full = fr.bootstrap(df, ["K", "L", "E"], ["Y"], B=8, random_state=1, method="full")
    np.testing.assert_allclose(packed.replicates.to_numpy(), full.replicates.to_numpy(), rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_column_generation_equals_pricing_every_column(seed):
    """Started from a few active columns per reference set, the batch generates the columns it needs (in phase 1 for
    feasibility as in phase 2 for optimality) and reaches the optimum of the LP over every column."""
    rng = np.random.default_rng(seed)
    lp, N = random_batch(rng, per_group=(40, 30, 50), N=(120, 80, 150))
    active = np.zeros(lp["A"].shape[::2], dtype=bool)
    for g, n in enumerate(N):
        active[g, rng.choice(n, 3, replace=False)] = True
    every = dense_simplex.solve_batch(**lp)
    generated = dense_simplex.solve_batch(**lp, active=active)
    assert generated.solved.mean() >= 0.9
    both = every.solved & generated.solved
    np.testing.assert_allclose(generated.objective[both], every.objective[both], rtol=1e-9, atol=1e-9)
    for i in np.flatnonzero(generated.solved & ~every.solved):
        assert abs(generated.objective[i] - scipy_solve(lp, i, N).fun) <= 1e-8 * max(1.0, abs(generated.objective[i]))


def test_large_reference_sets_generate_columns_in_the_engine(monkeypatch):
    """Above DENSE_ALL_COLUMNS candidates the engine starts the batch from the plan's seed columns (column generation
    inside the dense simplex); the answers equal HiGHS's with every column."""
    starts = []
    real = dense_simplex.solve_batch

    def spy(*args, **kwargs):
        starts.append(None if kwargs.get("active") is None else int(kwargs["active"].sum()))
        return real(*args, **kwargs)

    monkeypatch.setattr(dense_simplex, "solve_batch", spy)
    rng = np.random.default_rng(5)
    n = 900
    X = rng.lognormal(0, 0.8, (n, 3))
    df = pd.DataFrame({"K": X[:, 0], "L": X[:, 1], "E": X[:, 2],
                       "Y": X.prod(axis=1) ** 0.3 * np.exp(-np.abs(rng.normal(0, 0.3, n)))})
    dense = fr.efficiency(df, ["K", "L", "E"], ["Y"], model="radial", rts="vrs", method="dense")
    full = fr.efficiency(df, ["K", "L", "E"], ["Y"], model="radial", rts="vrs", method="full")
    assert any(s is not None and s < engine.settings.DENSE_ALL_COLUMNS for s in starts)
    pd.testing.assert_series_equal(dense.status, full.status)
    np.testing.assert_allclose(dense.scores, full.scores, rtol=0, atol=1e-9)
