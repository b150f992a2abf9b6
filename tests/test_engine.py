"""The LP engine: failed LPs give NaN with an honest status, exact column generation equals the full LP on
larger data (including Farkas-certified infeasibility of restricted LPs), and the dominance screen that
limits pricing never drops a column that pricing needs."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import frontier as fr
from frontier import engine
from frontier.engine import settings as settings_module
from frontier.models.base import Layout
from frontier.models import sbm as sbm_model


def firms(n, seed, m=3, s2=2, spread=1.0):
    """Firm-like data: a size factor drives inputs, Cobb-Douglas output with half-normal inefficiency,
    bad outputs proportional to energy use; one to two orders of magnitude of spread."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, spread, n)
    X = size[:, None] ** rng.uniform(0.8, 1.2, m) * rng.lognormal(0.0, 0.3, (n, m)) * [100, 50, 20][:m]
    Y = (np.prod(X, axis=1) ** (1.0 / m) * np.exp(-np.abs(rng.normal(0, 0.3, n))))[:, None]
    B = X[:, -1:] * rng.lognormal(0.0, 0.4, (n, s2)) * 0.05
    cols = [f"x{i}" for i in range(m)], ["y"], [f"b{k}" for k in range(s2)]
    df = pd.DataFrame(np.hstack([X, Y, B]), columns=sum(cols, []), index=[f"f{j:04d}" for j in range(n)])
    return df, *cols


def assert_same(full, auto, atol=1e-9):
    np.testing.assert_array_equal(full.status.to_numpy(), auto.status.to_numpy())
    np.testing.assert_allclose(full.scores.to_numpy(), auto.scores.to_numpy(), rtol=0, atol=atol, equal_nan=True)


def assert_failed(res, labels, status):
    """Failed LPs: the given status, NaN everywhere (score, slacks, targets), no peers - never 0 or 1."""
    for label in labels:
        assert res.status[label] == status
        assert np.isnan(res.scores[label])
        assert res.slacks.loc[label].isna().all() and res.targets.loc[label].isna().all()
        assert label not in set(res.peers["dmu"])
    assert res.n_failed >= len(labels)


# ----------------------------------------------------------------------------------------------------
# infeasible and unbounded LPs
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["auto", "full"])
def test_infeasible_vrs_input_super_efficiency(method):
    """Under VRS the input-oriented AP LP of the DMU with the largest output has no feasible point
    (sum lambda = 1 cannot reach an output above every other DMU's)."""
    df, inputs, outputs, bads = firms(40, 1)
    top = df["y"].idxmax()
    res = fr.efficiency(df, inputs, outputs, model="radial", rts="vrs", super_efficiency=True, method=method)
    assert_failed(res, [top], "infeasible")
    ok = res.status == "optimal"
    assert ok.sum() >= 30 and res.scores[ok].gt(0).all()
    assert "infeasible" in res.summary()
    # the same DMU in the plain (not super) model is feasible and efficient
    plain = fr.efficiency(df, inputs, outputs, model="radial", rts="vrs", method=method)
    assert plain.status[top] == "optimal" and plain.scores[top] == pytest.approx(1.0, abs=1e-9)


@pytest.mark.parametrize("method", ["auto", "full"])
def test_infeasible_sbm_ddf_outside_the_reference_frontier(method):
    """SBM-DDF has equality constraints with non-negative slacks: a DMU whose output exceeds every
    reference DMU's cannot be reached under VRS, so its LP is infeasible (cross-reference evaluation)."""
    df, inputs, outputs, bads = firms(60, 2)
    order = df["y"].sort_values().index
    reference, outside = list(order[:45]), list(order[45:])
    res = fr.efficiency(df, inputs, outputs, bads, model="sbm_ddf", rts="vrs", reference=reference, method=method)
    assert_failed(res, outside, "infeasible")
    assert (res.status.loc[reference] == "optimal").all()
    assert res.scores.loc[reference].ge(-1e-12).all()


@pytest.mark.parametrize("model,kwargs", [("ddf", dict(bad_disposability="weak")),
                                          ("ddf", dict(bad_disposability="apz", super_efficiency=True))])
def test_zero_direction_is_unbounded_for_ddf(model, kwargs):
    """With g = 0 beta does not appear in any constraint: max beta is unbounded (free beta) as soon as the
    DMU is inside the technology (take the least efficient one, also inside without itself). The engine
    reports it as such, NaN, not a huge number."""
    df, inputs, outputs, bads = firms(30, 3)
    worst = fr.efficiency(df, inputs, outputs, bads, model=model, rts="vrs", **kwargs).scores.idxmax()
    G = df.copy()
    G.loc[worst] = 0.0
    res = fr.efficiency(df, inputs, outputs, bads, model=model, rts="vrs", direction=G, **kwargs)
    assert_failed(res, [worst], "unbounded")
    others = res.status.drop(worst)
    assert (others.isin(["optimal", "infeasible"])).all() and (others == "optimal").sum() >= 20


def test_zero_direction_in_bounded_models_scores_zero():
    """NDDF fixes a beta with g_v = 0 at 0 and SBM-DDF drops its term: an all-zero direction scores 0."""
    df, inputs, outputs, bads = firms(30, 3)
    G = df.copy()
    G.loc["f0007"] = 0.0
    for model in ("nddf", "sbm_ddf"):
        res = fr.efficiency(df, inputs, outputs, bads, model=model, rts="vrs", direction=G)
        assert res.status["f0007"] == "optimal"
        assert res.scores["f0007"] == pytest.approx(0.0, abs=1e-12)


# ----------------------------------------------------------------------------------------------------
# restricted column generation = full LP on larger data
# ----------------------------------------------------------------------------------------------------

LARGE_CASES = {
    "sbm-bads-vrs": dict(model="sbm", rts="vrs"),
    "super-sbm-vrs": dict(model="sbm", rts="vrs", super_efficiency=True),
    "super-sbm-crs-input": dict(model="sbm", rts="crs", orientation="input", super_efficiency=True),
    "radial-weak-vrs-kuosmanen": dict(model="radial", rts="vrs", bad_disposability="weak"),
    "radial-weak-vrs-output-super": dict(model="radial", rts="vrs", orientation="output", super_efficiency=True),
    "radial-strong-nirs-super": dict(model="radial", rts="nirs", bad_disposability="strong", super_efficiency=True),
    "ddf-apz-vrs": dict(model="ddf", rts="vrs", bad_disposability="apz"),
    "ddf-weak-vrs-super": dict(model="ddf", rts="vrs", bad_disposability="weak", super_efficiency=True),
    "nddf-strong-crs": dict(model="nddf", rts="crs", bad_disposability="strong"),
    "sbm_ddf-vrs": dict(model="sbm_ddf", rts="vrs"),
}


@pytest.fixture(scope="module")
def large():
    return firms(300, 11)


@pytest.mark.parametrize("name", list(LARGE_CASES))
def test_restricted_and_dense_equal_full_n300(large, name):
    df, inputs, outputs, bads = large
    kw = LARGE_CASES[name]
    full = fr.efficiency(df, inputs, outputs, bads, method="full", **kw)
    auto = fr.efficiency(df, inputs, outputs, bads, method="auto", **kw)
    restricted = fr.efficiency(df, inputs, outputs, bads, method="restricted", chunk_size=70, **kw)
    dense = fr.efficiency(df, inputs, outputs, bads, method="dense", **kw)
    assert_same(full, auto)
    assert_same(full, restricted)
    assert_same(full, dense)
    assert (full.status == "optimal").mean() > 0.8


def test_auto_picks_the_method_measured_fastest_and_every_method_agrees(monkeypatch):
    """method="auto" solves LPs of at most DENSE_ROWS rows against more than FULL_MAX and at most DENSE_MAX DMUs (or
    fewer, when PACK_MIN_JOBS such jobs can be packed) with the batched dense simplex, other reference sets of at most
    FULL_MAX DMUs with every column in the model and larger ones by column generation (each measured fastest there);
    the answers equal every explicit method's."""
    seen = []
    original = engine.pricing.plan_stage
    monkeypatch.setattr(engine.schedule, "plan_stage", lambda stage, ref, method, **kw: seen.append((ref.shape[0], method))
                        or original(stage, ref, method, **kw))
    rows = engine.settings.DENSE_ROWS
    assert engine.job_method("auto", engine.settings.DENSE_MAX, rows) == "dense"
    assert engine.job_method("auto", engine.settings.DENSE_MAX + 1, rows) == "restricted"
    assert engine.job_method("auto", engine.settings.FULL_MAX, rows) == "full"          # alone: HiGHS's full model
    assert engine.job_method("auto", engine.settings.FULL_MAX, rows, engine.settings.PACK_MIN_JOBS) == "dense"    # packed
    assert engine.job_method("auto", engine.settings.FULL_MAX, rows + 1) == "full"
    assert engine.job_method("auto", engine.settings.FULL_MAX + 1, rows + 1) == "restricted"
    assert engine.job_method("restricted", 10) == "restricted" and engine.job_method("full", 10**6) == "full"
    assert engine.job_method("dense", 10**6, 50) == "dense"
    df, inputs, outputs, bads = firms(engine.settings.FULL_MAX + 50, 8)
    small = df.iloc[: engine.settings.FULL_MAX]
    # VRS SBM with two bad outputs: 3 + 1 + 2 data rows, the convexity and the normalisation row (8 > DENSE_ROWS)
    for data in (small, df):
        seen.clear()
        auto = fr.efficiency(data, inputs, outputs, bads, model="sbm", rts="vrs", super_efficiency=True)
        expected = "full" if len(data) <= engine.settings.FULL_MAX else "restricted"
        # (the full model's LPs it cannot certify, e.g. infeasible super-efficiency LPs whose ray needs the robust
        # path, are planned again by column generation before the robust path)
        assert expected in {method for _, method in seen} <= {expected, "restricted"}
        for method in ("full", "restricted", "dense"):
            assert_same(auto, fr.efficiency(data, inputs, outputs, bads, model="sbm", rts="vrs",
                                            super_efficiency=True, method=method))
    # input BCC without bad outputs: 3 + 1 data rows and the convexity row
    seen.clear()
    auto = fr.efficiency(df, inputs, outputs, model="radial", rts="vrs")
    assert {method for _, method in seen} == {"dense"}
    for method in ("full", "restricted"):
        assert_same(auto, fr.efficiency(df, inputs, outputs, model="radial", rts="vrs", method=method))


def test_restricted_path_starts_small_and_screens(large):
    """The restricted path under test really is restricted: the dominance screen leaves out dominated
    reference columns and the starting active set is a small part of the reference set."""
    df, inputs, outputs, bads = large
    M = df[inputs + outputs + bads].to_numpy()
    M = M / M.mean(axis=0)
    L = Layout(3, 1, 2)
    spec = sbm_model.build(L, rts="vrs", orientation="nonoriented", super_efficiency=True, weights=np.ones(L.d),
                           zeros="error", small=np.ones(L.d))
    for stage in spec.stages:
        plan = engine.pricing.plan_stage(stage, M, "restricted")
        assert plan.pricing[0].size < len(df)
        assert plan.seeds[0].size <= 50
        full_plan = engine.pricing.plan_stage(stage, M, "full")
        assert full_plan.pricing[0].size == len(df)


@pytest.mark.parametrize("name", ["super-sbm-vrs", "radial-weak-vrs-kuosmanen", "ddf-apz-vrs"])
def test_restricted_equals_full_with_model_rebuilds(large, name, monkeypatch):
    """A tiny active-set cap forces the restricted model to be rebuilt from recent columns many times."""
    monkeypatch.setattr(engine.settings, "ACTIVE_CAP", 20)
    monkeypatch.setattr(engine.settings, "RECENT", 3)
    df, inputs, outputs, bads = large
    kw = LARGE_CASES[name]
    assert_same(fr.efficiency(df, inputs, outputs, bads, method="full", **kw),
                fr.efficiency(df, inputs, outputs, bads, method="auto", **kw))


SLACK_CASES = {
    "radial-input-vrs-strong": dict(model="radial", rts="vrs", orientation="input", bad_disposability="strong"),
    "radial-output-crs-weak": dict(model="radial", rts="crs", orientation="output", bad_disposability="weak"),
    "radial-weak-vrs-kuosmanen": dict(model="radial", rts="vrs", bad_disposability="weak"),
    "radial-strong-nirs-super": dict(model="radial", rts="nirs", bad_disposability="strong", super_efficiency=True),
    "ddf-apz-vrs": dict(model="ddf", rts="vrs", bad_disposability="apz"),
    "ddf-weak-vrs-super": dict(model="ddf", rts="vrs", bad_disposability="weak", super_efficiency=True),
}


@pytest.mark.parametrize("name", list(SLACK_CASES))
def test_max_slack_stage_settled_by_the_score_duals_equals_solving_it(large, name, monkeypatch):
    """A DMU whose score-LP duals are clearly nonzero on every row whose slack is maximised keeps its score-stage
    solution (complementary slackness: those rows bind on the whole optimal face, so every slack is 0). The
    answers equal those of the second LP solved for every DMU; the DMUs that are not settled include some with
    positive slacks."""
    from frontier.models import base

    df, inputs, outputs, bads = large
    kw = SLACK_CASES[name]
    settled = []
    original = base.MaxSlackStage.settled

    def counting(self, prev, data0, duals):
        mask = original(self, prev, data0, duals)
        settled.append((mask.sum(), mask.size))
        return mask

    monkeypatch.setattr(base.MaxSlackStage, "settled", counting)
    reused = fr.efficiency(df, inputs, outputs, bads, **kw)
    n_settled, n_selected = np.sum(settled, axis=0)
    monkeypatch.setattr(base, "SETTLED_SHARE", np.inf)          # nothing settled: the second LP for every DMU
    solved = fr.efficiency(df, inputs, outputs, bads, **kw)
    assert 0 < n_settled < n_selected          # both paths taken (here 10 % to 77 % of the DMUs are settled)
    assert_same(solved, reused)
    for table in ("slacks", "targets"):
        np.testing.assert_allclose(getattr(reused, table).to_numpy(float), getattr(solved, table).to_numpy(float),
                                   rtol=1e-8, atol=1e-8 * df[inputs + outputs + bads].abs().max().max(),
                                   equal_nan=True)
    assert (reused.slacks.to_numpy(float) > 1e-6).any()


# ----------------------------------------------------------------------------------------------------
# infeasible restricted LPs (Farkas certificates) in cross-reference evaluation
# ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_groups():
    """Group 'ref' (250 DMUs) spans the frontier; group 'new' (150 DMUs) is drawn wider, so some of its
    DMUs lie outside the reference technology."""
    a, inputs, outputs, bads = firms(250, 21, spread=0.8)
    b = firms(150, 22, spread=1.4)[0]
    b.index = [f"n{j:04d}" for j in range(len(b))]
    b["y"] *= np.random.default_rng(5).uniform(0.7, 2.0, len(b))
    df = pd.concat([a, b])
    return df, inputs, outputs, bads, list(a.index), list(b.index)


CROSS_CASES = {
    "radial-vrs-input": dict(model="radial", rts="vrs", orientation="input", bad_disposability="strong"),
    "radial-vrs-input-weak": dict(model="radial", rts="vrs", orientation="input", bad_disposability="weak"),
    "radial-vrs-output": dict(model="radial", rts="vrs", orientation="output", bad_disposability="strong"),
    "sbm-hybrid-vrs": dict(model="sbm", rts="vrs", super_efficiency=True),
    "sbm_ddf-vrs": dict(model="sbm_ddf", rts="vrs"),
    "ddf-weak-crs": dict(model="ddf", rts="crs", bad_disposability="weak"),
}


@pytest.mark.parametrize("name", list(CROSS_CASES))
def test_cross_reference_full_equals_auto(two_groups, name):
    df, inputs, outputs, bads, ref_labels, new_labels = two_groups
    kw = CROSS_CASES[name]
    full = fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="full", **kw)
    auto = fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="auto", **kw)
    assert_same(full, auto)
    if name == "radial-vrs-input":
        new = full.status.loc[new_labels]
        assert (new == "infeasible").sum() >= 5, "the case must exercise infeasible restricted LPs"
        assert (full.scores.loc[new_labels] > 1 + 1e-6).sum() >= 5, "and super-efficient (outside) DMUs"
        assert (full.scores.loc[new_labels] < 1 - 1e-6).sum() >= 5
        assert_failed(auto, list(new.index[new == "infeasible"]), "infeasible")


def test_cross_reference_exercises_farkas_pricing(two_groups, monkeypatch):
    """The case above is not vacuous: restricted LPs turn infeasible, their Farkas certificates are priced,
    some are broken by new columns (the full LP is feasible) and others certify infeasibility."""
    calls = {"rays": 0, "broken": 0}
    original = engine.restricted.StageSolver._farkas

    def spy(self, *args):
        out = original(self, *args)
        calls["rays"] += 1
        calls["broken"] += bool(out)
        return out

    monkeypatch.setattr(engine.restricted.StageSolver, "_farkas", spy)
    df, inputs, outputs, bads, ref_labels, new_labels = two_groups
    res = fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="auto",
                        **CROSS_CASES["radial-vrs-input"])
    n_infeasible = int((res.status == "infeasible").sum())
    assert calls["broken"] >= 1 and calls["rays"] - calls["broken"] >= 1
    assert n_infeasible >= 1


# ----------------------------------------------------------------------------------------------------
# the dominance screen against a brute-force O(n^2) filter
# ----------------------------------------------------------------------------------------------------

def strict_dominators(P):
    """D[i, j] = row j strictly dominates row i (<= everywhere, < somewhere; smaller is better)."""
    le = np.all(P[None, :, :] <= P[:, None, :], axis=2)
    lt = np.any(P[None, :, :] < P[:, None, :], axis=2)
    return le & lt


def weak_dominators(P):
    return np.all(P[None, :, :] <= P[:, None, :], axis=2)


@st.composite
def point_sets(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(1, 160))
    d = draw(st.integers(1, 4))
    rng = np.random.default_rng(seed)
    if draw(st.booleans()):
        P = rng.integers(0, 4, (n, d)).astype(float)       # many ties and duplicates
    else:
        P = rng.lognormal(0, 1, (n, d))
        P[rng.random(n) < 0.2] = P[0]                      # some duplicates of one row
    return P, draw(st.sampled_from([1, 3, 8, 200]))


@settings(max_examples=60, deadline=None)
@given(case=point_sets(), layers=st.sampled_from([1, 2]))
def test_dominance_screen_against_brute_force(case, layers):
    P, n_strong = case
    n = P.shape[0]
    keep = engine.reduction.dominance_screen(P, layers=layers, n_strong=n_strong)
    assert np.all(np.diff(keep) > 0) and (keep.size == 0 or (keep[0] >= 0 and keep[-1] < n))
    kept = np.zeros(n, dtype=bool)
    kept[keep] = True
    D = strict_dominators(P)
    # 1. a superset of the non-dominated rows (duplicates of a non-dominated row included)
    assert kept[~D.any(axis=1)].all()
    if n <= n_strong:
        assert kept.all()
    # 2. every dropped row has at least `layers` distinct strict dominators
    dropped = np.flatnonzero(~kept)
    assert np.all(D[dropped].sum(axis=1) >= layers)
    # 3. what exact pricing needs: a dropped row is weakly dominated by a kept row, and with two layers
    #    still by a kept row other than any one excluded row (the evaluated DMU under super-efficiency)
    #    (by induction over the dominance order: some dominator other than the excluded row is kept or is
    #    itself dropped and so dominated by a kept row other than the excluded one)
    W = weak_dominators(P) & ~np.eye(n, dtype=bool)
    kept_dominators = (W & kept[None, :]).sum(axis=1)
    assert np.all(kept_dominators[dropped] >= layers)


def test_dominance_screen_drops_dominated_rows():
    """A 2-D staircase front, points 0.5 behind each front point, and a duplicate of front point 1.
    With n_strong = 8 the strong set is every row but (5.5, 1.5) (largest normalised sum, last in order)."""
    front = np.array([[1.0, 5.0], [2.0, 3.0], [3.0, 2.0], [5.0, 1.0]])
    P = np.vstack([front, front + 0.5, front[1:2]])
    # one layer: every behind-point has a strictly dominating front point -> only the front (and the
    # duplicate, which nothing strictly dominates) remains
    np.testing.assert_array_equal(engine.reduction.dominance_screen(P, layers=1, n_strong=8), [0, 1, 2, 3, 8])
    # two layers: only (2.5, 3.5) has two dominators (front point 1 and its duplicate)
    np.testing.assert_array_equal(engine.reduction.dominance_screen(P, layers=2, n_strong=8), [0, 1, 2, 3, 4, 6, 7, 8])
    # n <= n_strong: nothing is screened
    np.testing.assert_array_equal(engine.reduction.dominance_screen(P, layers=1, n_strong=9), np.arange(9))


# ----------------------------------------------------------------------------------------------------
# per-DMU cost and the parallel threshold
# ----------------------------------------------------------------------------------------------------

@pytest.fixture
def sbm_score(large):
    """The large sample's data scaled to column means 1, and a VRS SBM score stage with two bad outputs over it."""
    df, inputs, outputs, bads = large
    problem_data = df[inputs + outputs + bads].to_numpy() / df[inputs + outputs + bads].to_numpy().mean(axis=0)
    L = Layout(3, 1, 2)
    return problem_data, L, sbm_model.SBMScore(L, "vrs", "none", np.ones(L.d), "error", np.zeros(L.d))


def _solved_one_by_one(solver, patch, k: int) -> tuple[list, list, list, list]:
    """DMUs 0..k-1 of ``patch`` solved one at a time (each optimal): their clipped solutions, objectives, row duals
    and the negative reduced costs pricing found for each."""
    sols, objectives, duals, negatives = [], [], [], []
    for i in range(k):
        status, objective, values, row_dual = solver.solve(patch, i, i)
        assert status == "optimal"
        sols.append(solver.columns(values).clipped(patch, i))
        objectives.append(objective)
        duals.append(row_dual)
        negatives.append(solver.negative)
    return sols, objectives, duals, negatives


def test_batch_certificate_equals_one_by_one(sbm_score):
    """The certificate of a batch (one vectorised pass over all its solutions) decides each solution as the
    certificate of that solution alone does, and a solution made slightly wrong fails it."""
    problem_data, L, stage = sbm_score
    plan = engine.pricing.plan_stage(stage, problem_data, "restricted")
    solver = engine.restricted.StageSolver(stage, problem_data, plan, "restricted")
    patch = engine.certify.BatchPatch(stage.patch(problem_data[:40], {}))
    sols, objectives, duals, _ = _solved_one_by_one(solver, patch, 40)
    rows = np.arange(40)
    batch = engine.certify.certified(stage, problem_data, patch, rows, rows, np.array(objectives),
                             engine.certify.Stacked.of(sols, stage.n_extra_cols), np.array(duals), solver.candidates)
    alone = [engine.certify.accepted(stage, problem_data, patch, i, i, objectives[i], sols[i], duals[i], solver.candidates)
             for i in range(40)]
    assert batch.all() and alone == batch.tolist()
    # a wrong dual (a reference column prices out) and a wrong objective (outside [0, 1]) are refused
    wrong = np.array(duals)
    wrong[3, : L.d] *= 1.5
    wrong_objective = np.array(objectives)
    wrong_objective[5] = 1.5
    batch = engine.certify.certified(stage, problem_data, patch, rows, rows, wrong_objective,
                             engine.certify.Stacked.of(sols, stage.n_extra_cols), wrong, solver.candidates)
    assert not batch[3] and not batch[5] and batch[np.setdiff1d(rows, [3, 5])].all()


def test_score_one_with_degenerate_large_duals_is_certified_by_its_measured_errors(sbm_score):
    """An efficient DMU's score 1 (its own column) has a dual optimal face with rays: any supporting hyperplane at
    its point, scaled up, added to an optimal dual stays optimal. HiGHS returns such duals of 1e4 and more on large
    frontiers, whose terms times OPTIMALITY_TOL swamp the objective: the certificate accepts the answer on its
    measured reduced-cost errors (exact to rounding here), and refuses it once one is wrong by 1e-11 of its
    terms (within OPTIMALITY_TOL), which leaves the objective known to only 1e-6 of itself."""
    from scipy.optimize import linprog

    problem_data, L, stage = sbm_score
    solver = engine.restricted.StageSolver(stage, problem_data, engine.pricing.plan_stage(stage, problem_data,
                                                                                         "restricted"), "restricted")
    patch = engine.certify.BatchPatch(stage.patch(problem_data, {}))
    assert (patch.row_lower == patch.row_upper).all()           # (every row of the score stage an equality)
    positions = np.arange(problem_data.shape[0])
    A_ref = engine.certify.column_matrix(stage, problem_data, positions, np.zeros(positions.size, dtype=int))
    for i in range(problem_data.shape[0]):
        status, objective, values, row_dual = solver.solve(patch, i, i)
        cols = solver.columns(values).clipped(patch, i)
        if not (status == "optimal" and objective == 1.0 and cols.pos.tolist() == [i]):
            continue
        # a ray of the dual optimal face: A'r = 0 on the used columns (t and the own column), A'r <= 0 on the rest
        A = np.hstack([patch.extra_matrix[i], A_ref])
        used = np.concatenate([cols.own > 0, positions == i])
        # (the hyperplane's input and bad-output weights made negative, its good outputs' positive, by the objective)
        toward = np.zeros(A.shape[0])
        toward[: L.d] = np.where(L.mask(goods=True), -1.0, 1.0)
        ray = linprog(toward, A_ub=A[:, ~used].T, b_ub=np.zeros((~used).sum()),
                      A_eq=np.vstack([A[:, used].T, patch.row_lower[i]]), b_eq=np.zeros(used.sum() + 1),
                      bounds=(-1, 1), method="highs")
        if ray.status == 0 and np.abs(ray.x).max() > 0.1:
            break
    else:
        pytest.fail("no efficient DMU with a dual ray in the sample")
    large = row_dual + 1e5 / np.abs(ray.x).max() * ray.x
    assert np.abs(large).max() >= 1e5

    def judged(duals):
        return engine.certify.certified(stage, problem_data, patch, np.array([i]), np.array([i]), np.array([1.0]),
                                        engine.certify.Stacked.of([cols], stage.n_extra_cols), duals[None, :],
                                        solver.candidates)[0]

    primal, dual = engine.certify.kkt_violation(stage, problem_data, patch, np.array([i]), np.array([i]),
                                                engine.certify.Stacked.of([cols], stage.n_extra_cols),
                                                large[None, :], solver.candidates)
    assert primal[0] <= 1e-13 and dual[0] <= 1e-13
    assert judged(row_dual) and judged(large)
    # the score column t (basic: its reduced cost must be 0) off by 1e-11 of its terms through the convexity row
    t_terms = np.abs(patch.extra_matrix[i][:, 0]) @ np.abs(large) + abs(patch.extra_cost[i][0])
    off = large.copy()
    off[stage.convexity_row_of(stage.blocks[0])] += 1e-11 * t_terms
    primal, dual = engine.certify.kkt_violation(stage, problem_data, patch, np.array([i]), np.array([i]),
                                                engine.certify.Stacked.of([cols], stage.n_extra_cols),
                                                off[None, :], solver.candidates)
    assert 5e-12 <= dual[0] <= settings_module.OPTIMALITY_TOL      # (within the dual tolerance)
    assert not judged(off)


def test_certificate_judges_what_pricing_found_as_it_judges_every_candidate(sbm_score):
    """The negative reduced costs pricing found under each answer's duals, flat for a batch (NegativeCosts, some
    answers' unknown), give the certificate's dual errors that pricing every candidate gives."""
    problem_data, _, stage = sbm_score
    solver = engine.restricted.StageSolver(stage, problem_data, engine.pricing.plan_stage(stage, problem_data,
                                                                                         "restricted"), "restricted")
    patch = engine.certify.BatchPatch(stage.patch(problem_data[:30], {}))
    sols, _, duals, negatives = _solved_one_by_one(solver, patch, 30)
    negatives = [None if i % 4 == 0 else found for i, found in enumerate(negatives)]     # some answers' unknown
    assert sum(neg[0][0].size for neg in negatives if neg is not None) > 0      # (some candidates price below 0)
    rows, stacked = np.arange(30), engine.certify.Stacked.of(sols, stage.n_extra_cols)
    found = engine.certify.NegativeCosts.of(negatives, len(stage.blocks))
    with_found = engine.certify.kkt_violation(stage, problem_data, patch, rows, rows, stacked, np.array(duals),
                                              solver.candidates, found)
    every = engine.certify.kkt_violation(stage, problem_data, patch, rows, rows, stacked, np.array(duals),
                                         solver.candidates)
    np.testing.assert_array_equal(with_found[0], every[0])
    # (the same errors up to rounding: pricing and the certificate sum a reduced cost's terms differently)
    np.testing.assert_allclose(with_found[1], every[1], rtol=1e-6, atol=1e-14)
    assert with_found[1].max() > 0


def test_answers_certified_in_two_batches_join_in_order():
    """Answers certified at once in two batches (a dense batch's, then a HiGHS pass's) join StageAnswers.bulk as
    one: the DMUs ascending, each DMU's entries in their order, as stacking every answer one by one gives."""
    rng = np.random.default_rng(3)
    sols = [engine.certify.Columns(rng.normal(size=2), rng.permutation(50)[: 1 + i % 4], np.zeros(1 + i % 4, dtype=int),
                                   rng.uniform(size=1 + i % 4)) for i in range(9)]
    answers = engine.certify.StageAnswers(None, np.full(9, "optimal", dtype=object), np.zeros(9), np.zeros((9, 1)),
                                          [None] * 9)
    for rows in (np.array([0, 3, 4, 8]), np.array([1, 2, 5, 7])):
        answers.add_bulk(rows, engine.certify.Stacked.of([sols[i] for i in rows], 2))
    rows, merged = answers.bulk
    expected = engine.certify.Stacked.of([sols[i] for i in rows], 2)
    np.testing.assert_array_equal(rows, [0, 1, 2, 3, 4, 5, 7, 8])
    for name in ("own", "seg", "pos", "blk", "lam"):
        np.testing.assert_array_equal(getattr(merged, name), getattr(expected, name))


def test_solvers_of_one_plan_share_its_pricing_arrays_while_it_lives(sbm_score):
    """Every chunk's solver of one stage plan shares the pricing arrays made for the first (not made again per
    chunk); another plan gets its own, and the shared arrays go with their plan."""
    import gc
    problem_data, _, stage = sbm_score
    plan = engine.pricing.plan_stage(stage, problem_data, "restricted")
    first = engine.restricted.StageSolver(stage, problem_data, plan, "restricted")
    second = engine.restricted.StageSolver(stage, problem_data, plan, "restricted")
    assert second.shared is first.shared and second.pricing_matrix[0] is first.pricing_matrix[0]
    other = engine.pricing.plan_stage(stage, problem_data, "restricted")
    assert engine.restricted.StageSolver(stage, problem_data, other, "restricted").shared is not first.shared
    key = id(plan)
    assert key in engine.restricted._SHARED
    del plan, first, second
    gc.collect()
    assert key not in engine.restricted._SHARED


def test_a_rebuilt_solver_marks_only_its_own_columns(sbm_score):
    """A rebuilt model takes over its predecessor's per-position arrays: afterwards they mark exactly its own
    columns (none of the predecessor's that it left out), and it solves as a new solver does."""
    problem_data, _, stage = sbm_score
    plan = engine.pricing.plan_stage(stage, problem_data, "restricted")
    old = engine.restricted.StageSolver(stage, problem_data, plan, "restricted")
    patch = engine.certify.BatchPatch(stage.patch(problem_data[:20], {}))
    for i in range(20):
        old.solve(patch, i, i)
    seeds = [np.union1d(plan.seeds[0], old.pos_arr[:3])]
    assert np.setdiff1d(old.pos_arr, seeds[0]).size          # (columns the rebuilt model leaves out)
    rebuilt_plan = engine.pricing.StagePlan(plan.pricing, seeds, plan.kernel)
    rebuilt = engine.restricted.StageSolver(stage, problem_data, rebuilt_plan, "restricted", old)
    fresh = engine.restricted.StageSolver(stage, problem_data, rebuilt_plan, "restricted")
    np.testing.assert_array_equal(np.flatnonzero(rebuilt.is_active[0]), np.sort(rebuilt.pos_arr))
    np.testing.assert_array_equal(rebuilt.col_of, fresh.col_of)
    for i in range(20):
        assert rebuilt.solve(patch, i, i)[:2] == fresh.solve(patch, i, i)[:2]


def test_chunks_depend_on_the_job_size_only():
    """Default chunks: one below SPLIT_MIN DMUs, else an even number of balanced chunks of at most DEFAULT_CHUNK."""
    assert engine.schedule.chunk_bounds(engine.settings.SPLIT_MIN - 1, None) == [(0, engine.settings.SPLIT_MIN - 1)]
    assert engine.schedule.chunk_bounds(1000, None) == [(0, 500), (500, 1000)]
    chunks = engine.schedule.chunk_bounds(3000, None)
    assert len(chunks) == 4 and {b - a for a, b in chunks} == {750}
    for k in (engine.settings.SPLIT_MIN, 2047, 5000, 100_000):
        chunks = engine.schedule.chunk_bounds(k, None)
        sizes = [b - a for a, b in chunks]
        assert chunks[0][0] == 0 and chunks[-1][1] == k and all(a2 == b1 for (_, b1), (a2, _) in zip(chunks, chunks[1:]))
        assert len(chunks) % 2 == 0 and max(sizes) <= engine.settings.DEFAULT_CHUNK and max(sizes) - min(sizes) <= 1
    assert engine.schedule.chunk_bounds(10, 4) == [(0, 4), (4, 8), (8, 10)]
    assert engine.schedule.chunk_bounds(0, None) == [(0, 0)]


def _recorded_parallel(monkeypatch) -> list:
    """joblib.Parallel replaced by a stand-in that records each call's n_jobs and runs its tasks in this process."""
    import joblib

    calls = []

    class InProcess:
        def __init__(self, n_jobs, return_as):
            calls.append(n_jobs)

        def __call__(self, tasks):
            return (func(*args, **kwargs) for func, args, kwargs in tasks)

    monkeypatch.setattr(joblib, "Parallel", InProcess)
    return calls


def test_n_jobs_2_uses_running_workers_from_parallel_min(monkeypatch):
    """With the worker pool running, a call of PARALLEL_MIN DMUs with n_jobs=2 goes to the workers (issue 16:
    n = 1,000 ran on one core), with the serial run's results; a smaller one stays in the process."""
    calls = _recorded_parallel(monkeypatch)
    monkeypatch.setitem(engine.pool._pool, "warm_until", np.inf)
    df, inputs, outputs, bads = firms(engine.settings.PARALLEL_MIN, 5)
    serial = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=1)
    assert calls == []
    parallel = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2)
    assert calls == [2]
    np.testing.assert_array_equal(parallel.scores.to_numpy(), serial.scores.to_numpy())
    fr.efficiency(df.iloc[: engine.settings.PARALLEL_MIN - 1], inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2)
    assert calls == [2]


def test_a_cold_pool_starts_once_the_saving_is_worth_it(monkeypatch):
    """The ski-rental rule: with the pool cold, a call solves its first unit in the process and keeps the rest there
    while the workers' estimated saving, added up over such calls, stays within POOL_START_SECONDS; the call that
    passes it starts the pool (and resets the sum), and later calls use the running pool at once. Results are the
    same on every path (the first units on two threads here: VRS SBM with bad outputs goes to HiGHS)."""
    calls = _recorded_parallel(monkeypatch)
    monkeypatch.setitem(engine.pool._pool, "warm_until", 0.0)
    monkeypatch.setitem(engine.pool._pool, "forgone", 0.0)
    df, inputs, outputs, bads = firms(engine.settings.PARALLEL_MIN, 6)
    serial = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=1, chunk_size=100)
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", np.inf)
    kept = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2, chunk_size=100)
    assert calls == [] and engine.pool._pool["forgone"] > 0
    # the sum just below the start-up: the next call's saving passes it and that call starts the pool
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 100.0)
    engine.pool._pool["forgone"] = 100.0 - 1e-9
    started = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2, chunk_size=100)
    assert calls == [2] and engine.pool._pool["forgone"] == 0.0 and engine.pool._pool["warm_until"] > 0
    again = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2, chunk_size=100)
    assert calls == [2, 2]
    for result in (kept, started, again):
        np.testing.assert_array_equal(result.scores.to_numpy(), serial.scores.to_numpy())


def test_no_threads_or_workers_without_a_free_core(monkeypatch):
    """n_jobs counts only the cores other processes leave free (issue 32: on 2 cores at load 10, a cold n_jobs=2
    call took 1.24x as long as n_jobs=1 on two threads at n = 1,000, and 1.23x with the workers started at 10,000).
    With no second core free, a cold call with a saving that would start the pool stays in the process on one
    thread, with the serial run's results; with free cores it starts the pool."""
    calls = _recorded_parallel(monkeypatch)
    units = [engine.stages.WorkUnit(None, "full", [(0, 0, 1)], [])] * 3
    monkeypatch.setattr(engine.pool, "free_cores", lambda: 1.5)
    assert engine.pool.usable_jobs(2) == 1 and engine.pool.usable_jobs(-1) == 1
    assert engine.pool.in_process_threads(units, [0, 1, 2], 8) == 1
    monkeypatch.setitem(engine.pool._pool, "warm_until", 0.0)
    df, inputs, outputs, bads = firms(engine.settings.PARALLEL_MIN, 6)
    serial = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=1, chunk_size=100)
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 0.0)     # any saving would start the pool
    monkeypatch.setitem(engine.pool._pool, "forgone", 0.0)
    kept = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2, chunk_size=100)
    assert calls == []
    np.testing.assert_array_equal(kept.scores.to_numpy(), serial.scores.to_numpy())
    monkeypatch.setattr(engine.pool, "free_cores", lambda: 2.0)
    assert engine.pool.usable_jobs(2) == 2 and engine.pool.usable_jobs(8) == 2
    fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2, chunk_size=100)
    assert calls == [2]


def test_a_call_that_starts_on_a_busy_machine_starts_the_pool_once_a_core_frees(monkeypatch):
    """The free-core reading is taken again after each round in the calling process: a call that began while other
    work held the second core used to stay in the process for the whole call (a million-observation GML ran on
    one process for 20 minutes after a moment's load at its start). Here the second core frees after the first
    round: the rest goes to the workers, with the serial run's results."""
    calls = _recorded_parallel(monkeypatch)
    monkeypatch.setitem(engine.pool._pool, "warm_until", 0.0)
    monkeypatch.setitem(engine.pool._pool, "forgone", 0.0)
    monkeypatch.setattr(engine.settings, "POOL_START_SECONDS", 0.0)     # any saving starts the pool
    df, inputs, outputs, bads = firms(engine.settings.PARALLEL_MIN, 6)
    serial = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=1, chunk_size=100)
    readings = iter([1.0, 1.0])
    monkeypatch.setattr(engine.pool, "free_cores", lambda: next(readings, 2.0))
    freed = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts="vrs", n_jobs=2, chunk_size=100)
    assert calls == [2]
    np.testing.assert_array_equal(freed.scores.to_numpy(), serial.scores.to_numpy())


def test_only_the_loky_pool_is_cold(monkeypatch):
    """Threads and Dask start at no cost here, so any backend but joblib's default loky is never held back."""
    from joblib import parallel_config

    monkeypatch.setitem(engine.pool._pool, "warm_until", 0.0)
    assert engine.pool.pool_is_cold()
    with parallel_config(backend="threading"):
        assert not engine.pool.pool_is_cold()
    monkeypatch.setitem(engine.pool._pool, "warm_until", np.inf)
    assert not engine.pool.pool_is_cold()


def test_the_facade_exposes_no_tunable():
    """Every tuning constant lives in ``frontier.engine.settings`` and is read there at call time: the façade
    ``frontier.engine`` (and no other engine module) holds a copy, so ``monkeypatch.setattr(engine, "FULL_MAX", 0)``
    fails loudly instead of patching a name nothing reads."""
    import importlib
    import pkgutil

    tunables = {name for name in vars(engine.settings) if name.isupper()}
    assert {"FULL_MAX", "VERIFY_TOL", "POOL_START_SECONDS", "MAX_ITER_PER_ROW", "PART_SIZE"} <= tunables
    for info in pkgutil.iter_modules(engine.__path__):
        if info.name == "settings":
            continue
        module = importlib.import_module(f"frontier.engine.{info.name}")
        assert not tunables & set(vars(module)), f"frontier.engine.{info.name} copies {tunables & set(vars(module))}"
    assert not tunables & set(vars(engine))
    with pytest.raises(AttributeError):
        pytest.MonkeyPatch().setattr(engine, "FULL_MAX", 0)


def test_a_tuning_constant_is_read_at_call_time(monkeypatch):
    """Setting one in ``settings`` changes what the engine does at once (no module copied it at import)."""
    assert engine.job_method("auto", engine.settings.FULL_MAX, engine.settings.DENSE_ROWS + 1) == "full"
    monkeypatch.setattr(engine.settings, "FULL_MAX", 0)
    assert engine.job_method("auto", 1, engine.settings.DENSE_ROWS + 1) == "restricted"


def test_a_worker_imports_the_engine_without_pandas():
    """Cold start: a worker process unpickling the engine imports numpy and highspy, not pandas and the layers above
    (the package's public names are imported on first use)."""
    import subprocess
    import sys

    code = "import sys, frontier.engine; assert 'pandas' not in sys.modules, sorted(m for m in sys.modules if 'pandas' in m)"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_solve_order_chains_nearest_neighbours_within_each_window():
    """Within each window of ORDER_WINDOW positions, every DMU is the nearest (in the data's rank space) of those of
    its window not yet placed to the DMU before it, and a window starts at its DMU nearest to the last one placed;
    on random data with ties and a constant column."""
    rng = np.random.default_rng(8)
    for k, d in [(700, 5), (300, 1), (1000, 8)]:
        X = np.round(rng.lognormal(size=(k, d)), 1)
        X[:, 0] = 1.0 if d > 1 else X[:, 0]
        order = engine.schedule.solve_order(X)
        ranks = np.argsort(np.argsort(X, axis=0, kind="stable"), axis=0, kind="stable") / k
        ranks = ranks[:, np.ptp(ranks, axis=0) > 0] - 0.5
        R = ranks[order]
        dist = lambda a, rows: ((rows - a) ** 2).sum(axis=1)  # noqa: E731
        for a in range(0, k, engine.settings.ORDER_WINDOW):
            b = min(a + engine.settings.ORDER_WINDOW, k)
            if a:
                assert dist(R[a - 1], R[a:a + 1])[0] <= dist(R[a - 1], R[a:b]).min()
            for t in range(a + 1, b):
                assert dist(R[t - 1], R[t:t + 1])[0] <= dist(R[t - 1], R[t:b]).min()


def test_solve_order_is_a_deterministic_permutation_that_keeps_neighbours_together():
    """solve_order returns every DMU once, depends on the data alone, and puts similar DMUs next to each other
    (mean rank distance between consecutive DMUs far below the data order's); results come back in the job's
    order (_reordered undoes it, intensities included)."""
    rng = np.random.default_rng(3)
    X = rng.lognormal(size=(700, 5))
    order = engine.schedule.solve_order(X)
    np.testing.assert_array_equal(np.sort(order), np.arange(700))
    np.testing.assert_array_equal(order, engine.schedule.solve_order(X.copy()))
    ranks = np.argsort(np.argsort(X, axis=0), axis=0)
    step = lambda o: np.abs(np.diff(ranks[o], axis=0)).sum(axis=1).mean()  # noqa: E731
    assert step(order) < 0.5 * step(np.arange(700))
    np.testing.assert_array_equal(engine.schedule.solve_order(X[:10]), np.arange(10))
    # a result solved in `order` (DMU order[i] in position i, with order[i] + 1 intensities) comes back in place
    counts = order + 1
    ptr = np.concatenate([[0], np.cumsum(counts)])
    solved = engine.BatchResult({"score": order.astype(float)}, ptr, np.repeat(order, counts),
                                np.repeat(order * 2.0, counts))
    back = engine.schedule._reordered(solved, order)
    np.testing.assert_array_equal(back.values["score"], np.arange(700.0))
    np.testing.assert_array_equal(np.diff(back.lam_ptr), np.arange(700) + 1)
    np.testing.assert_array_equal(back.lam_idx, np.repeat(np.arange(700), np.arange(700) + 1))
    np.testing.assert_array_equal(back.lam_val, 2.0 * back.lam_idx)


def test_a_refused_solution_is_solved_again_at_tight_tolerances_before_the_robust_path(sbm_score, monkeypatch):
    """A solution the batch certificate refuses gets one more solve of the same warm model at HiGHS's tightest
    tolerances; certified there, it is reported (the robust path is not needed) with the full LP's value."""
    problem_data, _, stage = sbm_score
    real_certified, real_tighten = engine.certify.certified, engine.restricted.StageSolver.tighten
    tightened = []

    def refuse_third(stage, ref, patch, rows, own, objective, sols, row_duals, candidates, negatives=None):
        ok = real_certified(stage, ref, patch, rows, own, objective, sols, row_duals, candidates, negatives)
        if rows.size > 1:        # the batch's certificate, not the second attempt's
            ok[rows == 2] = False
        return ok

    def counted_tighten(self):
        tightened.append(self)
        real_tighten(self)

    monkeypatch.setattr(engine.restricted, "certified", refuse_third)
    monkeypatch.setattr(engine.restricted.StageSolver, "tighten", counted_tighten)
    monkeypatch.setattr(engine.stages, "solve_robust", lambda *args: pytest.fail("the robust path was taken"))
    own = np.arange(40)
    restricted = engine.stages.solve_stage_batch(stage, problem_data, engine.pricing.plan_stage(stage, problem_data, "restricted"),
                                          "restricted", problem_data[:40], own, {})
    full = engine.stages.solve_stage_batch(stage, problem_data, engine.pricing.plan_stage(stage, problem_data, "full"), "full",
                                    problem_data[:40], own, {})
    assert len(tightened) == 2          # once in each call, for DMU 2
    assert (restricted.status == "optimal").all()
    np.testing.assert_allclose(restricted.objective, full.objective, atol=1e-9)


def test_exact_optimality_check_decides_like_rational_arithmetic_alone():
    """The exact check of a basis (exact_basic_solution) prices most nonbasic columns in floating point under a
    rigorous error bound and only the undecided ones in rationals: on a random LP it accepts HiGHS's optimal basis,
    and a column made to price out by 1e-15 of its terms (below what floating point can decide) is caught."""
    from fractions import Fraction

    rng = np.random.default_rng(5)
    R, C = 4, 400
    A = rng.uniform(0.5, 2.0, (R, C))
    lp = engine.robust._LP(A, -rng.uniform(0.5, 1.5, C), np.zeros(C), np.full(C, np.inf), np.full(R, -np.inf), np.ones(R))
    status, x, objective, row_dual, basis = engine.robust._solve_scaled(lp, np.ones(R), np.ones(C))
    assert status == "optimal"
    _, exact_objective, _, exactly_optimal = engine.robust.exact_basic_solution(lp, *basis)
    assert exactly_optimal and abs(exact_objective - objective) <= 1e-9 * abs(objective)
    # make a nonbasic column price out by a hair: its cost set to a'y minus a tiny amount, in exact arithmetic
    col_status, row_status = basis
    tight = np.flatnonzero(row_status != engine.robust.BASIC)
    basic = np.flatnonzero(col_status == engine.robust.BASIC)
    y = engine.robust._solve_exact([[Fraction(A[i, j]) for i in tight] for j in basic], [Fraction(lp.cost[j]) for j in basic])
    j = int(np.flatnonzero(col_status == engine.robust.AT_LOWER)[0])
    price = sum(Fraction(A[i, j]) * yi for i, yi in zip(tight, y))
    lp.cost[j] = float(price) * (1 + 1e-15)          # below the price by ~1e-15 relative (price is negative)
    assert Fraction(lp.cost[j]) - price < 0           # the column really prices out
    assert not engine.robust.exact_basic_solution(lp, *basis)[3]


def test_start_pool_counts_the_pool_as_running(monkeypatch):
    """engine.start_pool starts joblib's workers now (a ping through Parallel) and the next call uses them at once."""
    calls = _recorded_parallel(monkeypatch)
    monkeypatch.setitem(engine.pool._pool, "warm_until", 0.0)
    monkeypatch.setitem(engine.pool._pool, "forgone", 0.5)
    engine.start_pool(2)
    assert calls == [2] and not engine.pool.pool_is_cold() and engine.pool._pool["forgone"] == 0.0


def test_in_process_threads_only_where_highs_solves(monkeypatch):
    """Units that go to HiGHS (which releases the GIL) share up to THREADS_MAX threads; dense batches, a single unit
    or n_jobs=1 run on one."""
    units = [engine.stages.WorkUnit(None, method, [(0, 0, 10)], []) for method in ("dense", "dense", "restricted")]
    assert engine.pool.in_process_threads(units, [0, 1], 8) == 1
    assert engine.pool.in_process_threads(units, [0, 1, 2], 8) == engine.settings.THREADS_MAX
    assert engine.pool.in_process_threads(units, [0, 1, 2], 1) == 1
    assert engine.pool.in_process_threads(units, [2], 8) == 1


def test_merge_lambda_replaces_the_optimal_rows_only():
    """The later stage's intensities (scaled) replace a DMU's row where that stage is optimal; every other row is
    kept: against a row-by-row merge on random CSR data, rows in any order, empty rows and k = 0 included."""
    from frontier.models.base import StageSolution

    rng = np.random.default_rng(1)
    for _ in range(200):
        k = int(rng.integers(0, 12))
        old_ptr = np.r_[0, np.cumsum(rng.integers(0, 4, k))].astype(np.int64)
        old = (old_ptr, rng.integers(0, 50, old_ptr[-1]).astype(np.int64), rng.random(old_ptr[-1]))
        rows = rng.permutation(k)[: int(rng.integers(0, k + 1))]
        m = rows.size
        new_ptr = np.r_[0, np.cumsum(rng.integers(0, 4, m))].astype(np.int64)
        status = np.array(rng.choice(["optimal", "infeasible"], m), dtype=object)
        new = StageSolution(status, np.zeros(m), np.zeros((m, 1)), np.zeros((m, 1)), new_ptr,
                            rng.integers(0, 50, new_ptr[-1]).astype(np.int64), rng.random(new_ptr[-1]))
        scale = rng.random(m)
        expected = [(old[1][old_ptr[i]:old_ptr[i + 1]], old[2][old_ptr[i]:old_ptr[i + 1]]) for i in range(k)]
        for j, i in enumerate(rows):
            if status[j] == "optimal":
                expected[i] = (new.lam_idx[new_ptr[j]:new_ptr[j + 1]], new.lam_val[new_ptr[j]:new_ptr[j + 1]] * scale[j])
        ptr, idx, val = engine.stages._merge_lambda(k, old, new, rows, scale)
        assert ptr[0] == 0 and ptr.size == k + 1 and idx.dtype == np.int64
        for i, (want_idx, want_val) in enumerate(expected):
            np.testing.assert_array_equal(idx[ptr[i]:ptr[i + 1]], want_idx)
            np.testing.assert_array_equal(val[ptr[i]:ptr[i + 1]], want_val)


def test_an_ordinary_infeasible_lp_is_proven_infeasible_not_numerical_error():
    """A super-SBM VRS cross-period LP whose SBM stage is infeasible (no convex combination of the reference set
    has as little of the bad output and as much output): the float ray of HiGHS leaves a reduced cost of -5e-17 on a
    degenerate column, so neither it nor the float phase-1 basis is an exact certificate; the exact simplex pivots
    on to one that is (engine.robust.exact_simplex), so the status is "infeasible" and the super-efficiency score is found."""
    ref = pd.DataFrame({"x": [1.05, 10.5, 12.6, 9.45], "y": [1.1, 8.8, 9.9, 11], "b": [1, 9, 10, 12]},
                       index=list("ABCD"))
    data = pd.concat([ref, pd.DataFrame({"x": [11.0], "y": [9.6], "b": [9.0]}, index=["B2"])])
    for method in engine.METHODS:
        plain = fr.efficiency(data, ["x"], ["y"], ["b"], model="sbm", rts="vrs", reference=list("ABCD"),
                              method=method)
        assert plain.status["B2"] == "infeasible" and np.isnan(plain.scores["B2"])
        sup = fr.efficiency(data, ["x"], ["y"], ["b"], model="sbm", rts="vrs", super_efficiency=True,
                            reference=list("ABCD"), method=method)
        assert sup.status["B2"] == "optimal" and sup.scores["B2"] == pytest.approx(1.0392517858457913, rel=1e-12)


def test_exact_simplex_pivots_a_float_basis_to_an_exactly_optimal_one():
    """The phase-1 LP of that infeasible SBM LP: HiGHS's optimal basis has an exact reduced cost of -4.9e-17 on
    one column; one or two exact pivots reach a basis whose exact dual proves the phase-1 optimum positive."""
    A = np.array([[-1.375, 1.375, 0, 0, 0.13125, 1.3125, 1.575, 1.18125],
                  [-1.2, 0, -1.2, 0, 0.1375, 1.1, 1.2375, 1.375],
                  [-1.125, 0, 0, 1.125, 0.125, 1.125, 1.25, 1.5],
                  [-1, 0, 0, 0, 1, 1, 1, 1],
                  [1, 0, 0.5, 0.5, 0, 0, 0, 0]])
    R, C = A.shape
    rows = np.array([0, 0, 0, 0, 1.0])
    phase1 = engine.robust._LP(np.hstack([A, np.eye(R), -np.eye(R)]), np.concatenate([np.zeros(C), np.ones(2 * R)]),
                        np.zeros(C + 2 * R), np.full(C + 2 * R, np.inf), rows, rows)
    col_status = np.array([1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    row_status = np.array([0, 2, 0, 0, 2])
    first = engine.robust.exact_basic_solution(phase1, col_status, row_status)
    assert first is not None and not first[3]                      # optimal within tolerances only
    polished = engine.robust.exact_simplex(phase1, col_status, row_status)
    assert polished is not None
    x, objective, _, exactly_optimal = engine.robust.exact_basic_solution(phase1, *polished)
    assert exactly_optimal and objective > 0.09


@pytest.mark.parametrize("first_threads", [None, 2])
def test_the_users_own_highs_run_first_does_not_break_the_engine(first_threads):
    """HiGHS sizes one global thread scheduler per process at its first run(); the engine's models asked for one
    thread, so after a user's own HiGHS solve with the default (cvxpy's HIGHS solver, highspy) or another count every
    engine LP came back "numerical_error". Each model now asks what the scheduler accepts (highs.engine_threads).
    In a fresh process, since the scheduler is process-wide; the scores equal those of a process without it."""
    import json
    import subprocess
    import sys

    script = f"""
import json, highspy
import frontier as fr
from frontier.datasets import synthetic_firms
h = highspy.Highs(); h.setOptionValue("output_flag", False)
if {first_threads!r} is not None:
    h.setOptionValue("threads", {first_threads!r})
h.addVar(0, 1); h.changeColCost(0, 1.0); h.run()
df = synthetic_firms(120)
r = fr.efficiency(df, inputs=["K", "L"], outputs=["Y"], model="sbm", method="restricted")
print(json.dumps([r.status.tolist(), r.scores.tolist()]))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    status, scores = json.loads(out.stdout.strip().splitlines()[-1])
    assert set(status) == {"optimal"}
    from frontier.datasets import synthetic_firms
    expected = fr.efficiency(synthetic_firms(120), inputs=["K", "L"], outputs=["Y"], model="sbm", method="restricted")
    np.testing.assert_allclose(scores, expected.scores.to_numpy(), rtol=0, atol=1e-12)
