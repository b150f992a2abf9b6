"""Property-based tests of frontier.efficiency (hypothesis).

Each property holds for every data set by construction of the models (formulations.md); hypothesis draws
small strictly positive data sets of varying shape and style (continuous, production-like, and integer
data with many ties and duplicates, which stresses degenerate LPs). Examples are kept few so the whole
file runs in well under a minute.
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import frontier as fr
from frontier import engine
from frontier.models import sbm as sbm_model
from frontier.models.base import Layout, ModelSpec

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

FAST = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
FEW = settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
EPS = 1e-6


# ----------------------------------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------------------------------

def make_frame(seed, n, m, s1, s2, style):
    rng = np.random.default_rng(seed)
    if style == "integer":                      # few distinct values: ties, duplicates, degenerate LPs
        M = rng.integers(1, 6, (n, m + s1 + s2)).astype(float)
    else:
        X = rng.uniform(1.0, 20.0, (n, m))
        if style == "production":
            core = np.prod(X, axis=1) ** (0.9 / m)
            Y = core[:, None] * rng.uniform(0.3, 1.0, (n, s1))
            B = core[:, None] * rng.uniform(0.2, 1.5, (n, s2))
        else:
            Y = rng.uniform(1.0, 20.0, (n, s1))
            B = rng.uniform(1.0, 20.0, (n, s2))
        M = np.hstack([X, Y, B])
    inputs = [f"x{i}" for i in range(m)]
    outputs = [f"y{i}" for i in range(s1)]
    bads = [f"b{i}" for i in range(s2)]
    df = pd.DataFrame(M, columns=inputs + outputs + bads, index=[f"u{j}" for j in range(n)])
    return df, inputs, outputs, bads


@st.composite
def frames(draw, n_min=5, n_max=14, s2_min=0, s2_max=2):
    seed = draw(st.integers(0, 2**32 - 1))
    n = draw(st.integers(n_min, n_max))
    m = draw(st.integers(1, 3))
    s1 = draw(st.integers(1, 2))
    s2 = draw(st.integers(s2_min, s2_max))
    style = draw(st.sampled_from(["uniform", "production", "integer"]))
    return make_frame(seed, n, m, s1, s2, style)


def run(frame_tuple, **kw):
    df, inputs, outputs, bads = frame_tuple
    return fr.efficiency(df, inputs, outputs, bads or None, **kw)


def all_optimal(res):
    assert (res.status == "optimal").all(), res.status.value_counts().to_dict()


# ----------------------------------------------------------------------------------------------------
# score ranges
# ----------------------------------------------------------------------------------------------------

RANGE_CASES = [
    (dict(model="radial", orientation="input", rts="vrs"), (EPS, 1.0)),
    (dict(model="radial", orientation="input", rts="crs", bad_disposability="strong"), (EPS, 1.0)),
    (dict(model="radial", orientation="output", rts="vrs"), (1.0, np.inf)),
    (dict(model="radial", orientation="output", rts="nirs", bad_disposability="strong"), (1.0, np.inf)),
    (dict(model="sbm", rts="vrs"), (EPS, 1.0)),
    (dict(model="sbm", rts="crs", orientation="input"), (EPS, 1.0)),
    (dict(model="sbm", rts="ndrs", orientation="output"), (EPS, 1.0)),
    (dict(model="ddf", rts="vrs"), (0.0, np.inf)),
    (dict(model="ddf", rts="crs", bad_disposability="apz", direction="ones"), (0.0, np.inf)),
    (dict(model="nddf", rts="vrs", bad_disposability="strong"), (0.0, np.inf)),
    (dict(model="sbm_ddf", rts="vrs"), (0.0, np.inf)),
    (dict(model="sbm_ddf", rts="crs", direction="mean"), (0.0, np.inf)),
]


@pytest.mark.parametrize("kwargs,bounds", RANGE_CASES, ids=[str(i) for i in range(len(RANGE_CASES))])
@FAST
@given(data=frames())
def test_score_ranges(kwargs, bounds, data):
    res = run(data, **kwargs)
    all_optimal(res)                       # the DMU is in its own reference set: always feasible, bounded
    lo, hi = bounds
    s = res.scores.to_numpy()
    assert np.all(s >= lo - 1e-9) and np.all(s <= hi + 1e-9), s
    # the best DMU of any model is efficient: some score sits on the efficient value
    efficient = 1.0 if kwargs["model"] in ("radial", "sbm") else 0.0
    assert np.min(np.abs(s - efficient)) < 1e-7


@pytest.mark.parametrize("rts", ["vrs", "crs"])
@FAST
@given(data=frames())
def test_super_sbm_hybrid_ranges(rts, data):
    """Hybrid super-SBM: rho < 1 for the inefficient, delta >= 1 for the efficient, never 0.

    Under VRS with bad outputs the slack-form super-SBM LP of an efficient DMU can be infeasible (every
    feasible point needs bad-output slacks so large that the denominator 1 - avg(sg/y0, sb/b0) is not
    positive; formulations.md §2.5 claims "always feasible", which only holds without bads or under CRS):
    then the score is NaN with status "infeasible", never a number. Such an LP can be infeasible with a zero margin
    (points with t -> infinity come ever closer to the rows): its float coefficients (1/3 rounded) then admit a
    feasible point with t ~ 2^54, so no certificate exists for the LP as stored and the status is
    "numerical_error" (:func:`test_zero_margin_infeasible_super_sbm_is_never_a_number`), NaN as well."""
    df, inputs, outputs, bads = data
    plain = run(data, model="sbm", rts=rts)
    hyb = run(data, model="sbm", rts=rts, super_efficiency=True)
    rho, score, status = plain.scores.to_numpy(), hyb.scores.to_numpy(), hyb.status.to_numpy()
    ineff = rho < 1 - 1e-6
    assert np.all(status[ineff] == "optimal")
    np.testing.assert_allclose(score[ineff], rho[ineff], rtol=0, atol=1e-9)
    ok = status == "optimal"
    if rts == "crs" or not bads:
        assert ok.all(), status
    assert np.all(np.isin(status[~ok], ["infeasible", "numerical_error"])) and np.all(np.isnan(score[~ok]))
    assert np.all(score[~ineff & ok] >= 1 - 1e-9)


def test_zero_margin_infeasible_super_sbm_is_never_a_number():
    """Found by the property above: u7's VRS super-SBM LP with bad outputs is infeasible (cvxpy agrees) with a zero
    margin. In exact arithmetic on its float coefficients the engine's phase 1 finds a feasible point (t = 2^54,
    a slack 3 * 2^54: 1/3 rounded leaves room), so infeasibility cannot be certified and HiGHS's ray is refused:
    the DMU gets NaN with status "numerical_error", never a number; the other DMUs are optimal."""
    values = [[5, 1, 3, 5, 4, 1], [3, 3, 3, 3, 4, 2], [2, 5, 5, 1, 2, 3], [5, 1, 4, 5, 2, 4],
              [5, 4, 4, 1, 1, 5], [1, 2, 2, 1, 4, 5], [5, 2, 4, 1, 5, 3], [5, 2, 5, 5, 1, 1]]
    df = pd.DataFrame(np.array(values, dtype=float), index=[f"u{i}" for i in range(8)],
                      columns=["x0", "x1", "x2", "y0", "b0", "b1"])
    X, Y, B = df[["x0", "x1", "x2"]].to_numpy(), df[["y0"]].to_numpy(), df[["b0", "b1"]].to_numpy()
    assert ref.super_sbm(X, Y, B, 7, rts="vrs")[0] == "infeasible"
    for method in ("full", "restricted", "dense"):
        res = fr.efficiency(df, ["x0", "x1", "x2"], ["y0"], ["b0", "b1"], model="sbm", rts="vrs",
                            super_efficiency=True, method=method)
        assert res.status.iloc[7] in ("infeasible", "numerical_error") and np.isnan(res.scores.iloc[7])
        assert (res.status.iloc[:7] == "optimal").all()


# ----------------------------------------------------------------------------------------------------
# the projection of a DMU is efficient against the same frontier
# ----------------------------------------------------------------------------------------------------

def with_targets(data, res, direction=None):
    """The data plus each DMU's target as a new row ``T<label>``; the reference set is the original rows."""
    df, inputs, outputs, bads = data
    T = res.targets[df.columns].copy()
    T.index = [f"T{j}" for j in df.index]
    ext = pd.concat([df, T])
    return (ext, inputs, outputs, bads), list(df.index), T.index


PROJECTION_CASES = [
    dict(model="radial", orientation="input", rts="vrs", bad_disposability="weak"),
    dict(model="radial", orientation="output", rts="crs", bad_disposability="strong"),
    dict(model="radial", orientation="input", rts="nirs", bad_disposability="strong"),
    dict(model="sbm", rts="vrs"),
    dict(model="sbm", rts="crs"),
    dict(model="sbm_ddf", rts="vrs"),
]


@pytest.mark.parametrize("kwargs", PROJECTION_CASES, ids=lambda k: "-".join(str(v) for v in k.values()))
@FAST
@given(data=frames(s2_min=0))
def test_projection_is_efficient(kwargs, data):
    res = run(data, **kwargs)
    all_optimal(res)
    ext, reference, new = with_targets(data, res)
    again = run(ext, reference=reference, **kwargs)
    got = again.scores.loc[new].to_numpy()
    assert (again.status.loc[new] == "optimal").all()
    efficient = 1.0 if kwargs["model"] in ("radial", "sbm") else 0.0
    np.testing.assert_allclose(got, efficient, atol=1e-6)
    # the original rows are unaffected by the extra (non-reference) rows
    np.testing.assert_allclose(again.scores.loc[reference].to_numpy(), res.scores.to_numpy(), atol=1e-9)


@pytest.mark.parametrize("model,disp", [("ddf", "weak"), ("ddf", "strong"), ("ddf", "apz"), ("nddf", "weak"),
                                        ("nddf", "apz")])
@FAST
@given(data=frames(s2_min=1))
def test_ddf_projection_is_efficient(model, disp, data):
    """Moving the DDF target further along the *same* direction would beat the optimum: D(target) = 0."""
    df = data[0]
    res = run(data, model=model, rts="vrs", bad_disposability=disp)
    all_optimal(res)
    ext, reference, new = with_targets(data, res)
    G = pd.concat([df, df.set_axis(new)])            # every target keeps its DMU's (observed) direction
    again = run(ext, model=model, rts="vrs", bad_disposability=disp, direction=G, reference=reference)
    assert (again.status.loc[new] == "optimal").all()
    np.testing.assert_allclose(again.scores.loc[new].to_numpy(), 0.0, atol=1e-6)


# ----------------------------------------------------------------------------------------------------
# batch = one by one; order, chunking and parallelism do not matter
# ----------------------------------------------------------------------------------------------------

ALONE_CASES = [
    dict(model="radial", orientation="input", rts="vrs"),
    dict(model="sbm", rts="vrs"),
    dict(model="ddf", rts="vrs", bad_disposability="apz"),
    dict(model="nddf", rts="crs"),
    dict(model="sbm_ddf", rts="vrs"),
]


@pytest.mark.parametrize("kwargs", ALONE_CASES, ids=lambda k: k["model"])
@FEW
@given(data=frames(n_max=10))
def test_batch_equals_one_by_one(kwargs, data):
    """Each DMU evaluated alone (as a probe row outside the reference set) scores as in the batch."""
    df, inputs, outputs, bads = data
    batch = run(data, **kwargs)
    for label in df.index:
        probe = pd.concat([df, df.loc[[label]].set_axis(["probe"])])
        alone = run((probe, inputs, outputs, bads), reference=list(df.index), **kwargs)
        assert alone.status["probe"] == batch.status[label]
        np.testing.assert_allclose(alone.scores["probe"], batch.scores[label], rtol=0, atol=1e-8)


@FEW
@given(data=frames(n_max=10))
def test_super_efficiency_is_evaluation_against_the_others(data):
    """Andersen-Petersen: the super score of DMU j = its score against the reference set without j."""
    df, inputs, outputs, bads = data
    kw = dict(model="radial", orientation="input", rts="crs", bad_disposability="strong")
    sup = run(data, super_efficiency=True, **kw)
    for label in df.index:
        probe = pd.concat([df, df.loc[[label]].set_axis(["probe"])])
        others = [j for j in df.index if j != label]
        alone = run((probe, inputs, outputs, bads), reference=others, **kw)
        assert alone.status["probe"] == sup.status[label]
        np.testing.assert_allclose(alone.scores["probe"], sup.scores[label], rtol=0, atol=1e-8, equal_nan=True)


@pytest.mark.parametrize("kwargs", ALONE_CASES + [dict(model="sbm", rts="crs", super_efficiency=True)],
                         ids=lambda k: k["model"])
@FEW
@given(data=frames(n_min=20, n_max=40), seed=st.integers(0, 1000))
def test_row_order_and_chunking_do_not_matter(kwargs, data, seed):
    df, inputs, outputs, bads = data
    base = run(data, **kwargs)
    perm = df.sample(frac=1.0, random_state=seed)
    shuffled = run((perm, inputs, outputs, bads), chunk_size=1, **kwargs)
    np.testing.assert_array_equal(shuffled.status.loc[df.index].to_numpy(), base.status.to_numpy())
    np.testing.assert_allclose(shuffled.scores.loc[df.index].to_numpy(), base.scores.to_numpy(), rtol=0, atol=1e-8)


def test_n_jobs_does_not_change_results():
    """chunk_size=8 cuts 45 DMUs into 6 chunks that run on 2 workers: results are identical to n_jobs=1."""
    data = make_frame(7, 45, 2, 1, 1, "production")
    for kw in (dict(model="sbm", rts="vrs", super_efficiency=True), dict(model="radial", rts="vrs"),
               dict(model="ddf", rts="vrs", bad_disposability="weak", super_efficiency=True),
               dict(model="sbm_ddf", rts="crs")):
        one = run(data, n_jobs=1, chunk_size=8, **kw)
        two = run(data, n_jobs=2, chunk_size=8, **kw)
        pd.testing.assert_series_equal(one.scores, two.scores, check_exact=True)
        pd.testing.assert_series_equal(one.status, two.status)
        pd.testing.assert_frame_equal(one.slacks, two.slacks, check_exact=True)
        pd.testing.assert_frame_equal(one.peers, two.peers, check_exact=True)
        default = run(data, **kw)
        np.testing.assert_allclose(one.scores.to_numpy(), default.scores.to_numpy(), rtol=0, atol=1e-8)


# ----------------------------------------------------------------------------------------------------
# method="full" (every column) = method="restricted" (column generation) = method="dense" (the batched simplex)
# ----------------------------------------------------------------------------------------------------

FULL_AUTO_CASES = [
    dict(model="radial", orientation="input", rts="vrs"),
    dict(model="radial", orientation="output", rts="crs", bad_disposability="strong"),
    dict(model="radial", orientation="input", rts="vrs", super_efficiency=True),
    dict(model="radial", orientation="output", rts="ndrs", bad_disposability="strong", super_efficiency=True),
    dict(model="sbm", rts="vrs"),
    dict(model="sbm", rts="crs", orientation="input"),
    dict(model="sbm", rts="vrs", super_efficiency=True),
    dict(model="sbm", rts="nirs", orientation="output", super_efficiency=True),
    dict(model="ddf", rts="vrs", bad_disposability="weak"),
    dict(model="ddf", rts="crs", bad_disposability="apz", super_efficiency=True),
    dict(model="ddf", rts="vrs", bad_disposability="strong", direction="output", super_efficiency=True),
    dict(model="nddf", rts="vrs", bad_disposability="apz"),
    dict(model="nddf", rts="crs", direction="mean"),
    dict(model="sbm_ddf", rts="vrs"),
    dict(model="sbm_ddf", rts="crs", direction="ones"),
]


def _same(full, auto):
    np.testing.assert_array_equal(full.status.to_numpy(), auto.status.to_numpy())
    np.testing.assert_allclose(full.scores.to_numpy(), auto.scores.to_numpy(), rtol=0, atol=1e-9, equal_nan=True)


@pytest.mark.parametrize("kwargs", FULL_AUTO_CASES, ids=lambda k: "-".join(str(v) for v in k.values()))
@FEW
@given(data=frames(n_min=30, n_max=60))
def test_full_equals_restricted(kwargs, data):
    _same(run(data, method="full", **kwargs), run(data, method="restricted", **kwargs))


@pytest.mark.parametrize("kwargs", FULL_AUTO_CASES, ids=lambda k: "-".join(str(v) for v in k.values()))
@FEW
@given(data=frames(n_min=30, n_max=60))
def test_full_equals_dense(kwargs, data):
    """The batched dense simplex (each answer certified, HiGHS for the rest) = HiGHS with every column (batches of any
    size go to the dense simplex here, as larger ones do by default)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(engine.settings, "DENSE_MIN_BATCH", 1)
        _same(run(data, method="full", **kwargs), run(data, method="dense", **kwargs))


PERIOD_CASES = [
    ("sequential", dict(model="sbm", rts="vrs", super_efficiency=True)),
    ("contemporaneous", dict(model="radial", orientation="input", rts="vrs", super_efficiency=True)),
    ("global", dict(model="ddf", rts="vrs", bad_disposability="weak")),
    ("window", dict(model="sbm_ddf", rts="vrs")),
    ("sequential", dict(model="ddf", rts="crs", bad_disposability="apz", super_efficiency=True)),
]


@pytest.mark.parametrize("technology,kwargs", PERIOD_CASES, ids=lambda v: v if isinstance(v, str) else v["model"])
@FEW
@given(data=frames(n_min=40, n_max=60, s2_min=1), periods=st.integers(2, 4))
def test_full_equals_restricted_with_periods(technology, kwargs, data, periods):
    df, inputs, outputs, bads = data
    df = df.assign(t=np.arange(len(df)) % periods)
    extra = dict(window=1) if technology == "window" else {}
    full = fr.efficiency(df, inputs, outputs, bads, period="t", technology=technology, method="full",
                         **extra, **kwargs)
    auto = fr.efficiency(df, inputs, outputs, bads, period="t", technology=technology, method="restricted",
                         chunk_size=16, **extra, **kwargs)
    _same(full, auto)


# ----------------------------------------------------------------------------------------------------
# SBM: unit invariance, and the super-SBM of an inefficient DMU
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [dict(model="sbm", rts="vrs", super_efficiency=True),
                                    dict(model="sbm", rts="crs", orientation="output"),
                                    dict(model="sbm_ddf", rts="vrs", direction="observed"),
                                    dict(model="sbm_ddf", rts="crs", direction="mean")],
                         ids=["sbm-super", "sbm-output", "sbm_ddf-observed", "sbm_ddf-mean"])
@FAST
@given(data=frames(), factors=st.lists(st.floats(1e-3, 1e3), min_size=7, max_size=7))
def test_unit_invariance(kwargs, data, factors):
    df, inputs, outputs, bads = data
    scaled = df * np.asarray(factors[: df.shape[1]])
    a = run(data, **kwargs)
    b = run((scaled, inputs, outputs, bads), **kwargs)
    np.testing.assert_array_equal(a.status.to_numpy(), b.status.to_numpy())
    np.testing.assert_allclose(a.scores.to_numpy(), b.scores.to_numpy(), rtol=1e-7, atol=1e-8)


def _super_sbm_everywhere(df, inputs, outputs, bads, rts):
    """The super-SBM stage alone, for every DMU (not only the efficient ones), through the engine."""
    L = Layout(len(inputs), len(outputs), len(bads))
    M = df[inputs + outputs + bads].to_numpy(dtype=float)
    M = M / M.mean(axis=0)
    stage = sbm_model.SuperSBMScore(L, rts, "nonoriented", np.ones(L.d), "error", np.ones(L.d),
                                    only_where_efficient=False)
    out = engine.run_model(ModelSpec([stage], L.d, "super-SBM"), M, M, np.arange(len(df)))
    return out.values["status"], out.values["score"]


@FAST
@given(data=frames())
def test_super_sbm_of_inefficient_dmu_is_one(data):
    """§2.5: an SBM-inefficient DMU is dominated by a combination of the *other* DMUs, so the super-SBM
    reaches delta = 1 with zero slacks, and cannot go below 1 (t >= 1): delta = 1 exactly, and the hybrid
    score reports rho instead. For efficient DMUs the hybrid score is the super-SBM delta itself."""
    df, inputs, outputs, bads = data
    status, delta = _super_sbm_everywhere(df, inputs, outputs, bads, "vrs")
    rho = run(data, model="sbm", rts="vrs").scores.to_numpy()
    hybrid = run(data, model="sbm", rts="vrs", super_efficiency=True)
    ineff = rho < 1 - 1e-6
    assert np.all(status[ineff] == "optimal")
    np.testing.assert_allclose(delta[ineff], 1.0, atol=1e-8)
    np.testing.assert_allclose(hybrid.scores.to_numpy()[ineff], rho[ineff], atol=1e-12)
    np.testing.assert_array_equal(hybrid.status.to_numpy()[~ineff], status[~ineff])
    np.testing.assert_allclose(hybrid.scores.to_numpy()[~ineff], delta[~ineff], atol=1e-8, equal_nan=True)
    assert np.all(delta[status == "optimal"] >= 1 - 1e-9)


# ----------------------------------------------------------------------------------------------------
# SBM-DDF closed form and efficient DMUs
# ----------------------------------------------------------------------------------------------------

def test_sbm_ddf_closed_form_hand_example():
    """One input, one output, CRS, observed direction, default weights (1/2, 1/2):
    S = max (1/2)(s_x/x0 + s_y/y0) with the best ratio r* = max y/x is reached at X'lambda = x0, so
    S = (1/2)(r* x0/y0 - 1).  Ratios here: 2, 1, 2, 0.5, 1.5  =>  S = 0, 1/2, 0, 3/2, 1/6."""
    df = pd.DataFrame({"x": [2.0, 4.0, 5.0, 3.0, 8.0], "y": [4.0, 4.0, 10.0, 1.5, 12.0]})
    res = fr.efficiency(df, "x", "y", model="sbm_ddf", rts="crs")
    np.testing.assert_allclose(res.scores.to_numpy(), [0.0, 0.5, 0.0, 1.5, 1.0 / 6.0], atol=1e-10)
    # slacks of DMU 1 (x=4, y=4): X'lambda = x0 = 4 from the ratio-2 frontier, so s_x = 0 and s_y = 4
    np.testing.assert_allclose(res.slacks.loc[1].to_numpy(), [0.0, 4.0], atol=1e-9)


@FAST
@given(x=st.lists(st.floats(1, 50), min_size=3, max_size=12), r=st.lists(st.floats(0.1, 5), min_size=12,
                                                                            max_size=12))
def test_sbm_ddf_closed_form_one_input_one_output(x, r):
    x = np.asarray(x)
    y = x * np.asarray(r[: len(x)])
    df = pd.DataFrame({"x": x, "y": y})
    res = fr.efficiency(df, "x", "y", model="sbm_ddf", rts="crs")
    ratio = y / x
    expected = 0.5 * (ratio.max() / ratio - 1.0)
    np.testing.assert_allclose(res.scores.to_numpy(), expected, rtol=1e-8, atol=1e-9)


@pytest.mark.parametrize("rts", ["vrs", "crs"])
@FAST
@given(data=frames())
def test_sbm_ddf_zero_exactly_at_pareto_efficient_dmus(rts, data):
    """Pareto-efficient DMUs (SBM rho = 1, same technology) have S = 0; the others S > 0."""
    rho = run(data, model="sbm", rts=rts).scores.to_numpy()
    S = run(data, model="sbm_ddf", rts=rts).scores.to_numpy()
    eff = rho > 1 - 1e-9
    assert np.all(np.abs(S[eff]) <= 1e-12), S[eff]
    assert np.all(S[rho < 1 - 1e-7] > 1e-9)


@FAST
@given(data=frames(s2_max=0))
def test_crs_input_and_output_radial_are_reciprocal(data):
    """Without bad outputs, under CRS theta_input = 1 / phi_output (with bads held at b0 it fails: the
    technology is then not a cone in (x, y) alone)."""
    theta = run(data, model="radial", orientation="input", rts="crs", bad_disposability="strong").scores
    phi = run(data, model="radial", orientation="output", rts="crs", bad_disposability="strong").scores
    np.testing.assert_allclose(theta.to_numpy() * phi.to_numpy(), 1.0, rtol=1e-8)
