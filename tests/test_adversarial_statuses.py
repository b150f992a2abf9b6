"""The exact-rational oracle as a property test: badly scaled instances (values 1e-8..1e12, 1e-8 placeholders
for zeros, one outlier row) for every registered model family, orientation, returns to scale and
super-efficiency, through every method of the engine, judged stage by stage against the same LPs solved in exact
arithmetic (tests/exact_lp.py: :func:`exact_evaluate`, :func:`judge`): scores, statuses, the max-slack optimum,
targets and peers. No wrong number (beyond the judge's stated tolerances) and no wrong status; a NaN with status
``numerical_error`` is an honest answer and is counted, not failed. ``benchmarks/bench_oracle.py`` runs the same
on more instances and prints the counts per model and method.

The issue's reproductions (issue 25 items 1-4, issue 33's SBM slack) come first, each as the instance it was
found on."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from exact_lp import badly_scaled_instance, configuration_key, judged_run, model_configurations

METHODS = tuple(engine.METHODS)


def rebuilt_targets(res, df, columns):
    """Each DMU's peers' combination ``sum_j lambda_j data_j`` (zeros for a DMU without peers)."""
    data = df[columns].to_numpy(dtype=float)
    rows = res.peers.peer.map({label: i for i, label in enumerate(df.index)}).to_numpy()
    out = np.zeros((len(df), len(columns)))
    np.add.at(out, res.peers.dmu.map({label: i for i, label in enumerate(df.index)}).to_numpy(),
              res.peers.weight.to_numpy()[:, None] * data[rows])
    return out


# ----------------------------------------------------------------------------------------------------
# issue 25, item 4: peers that do not span the target
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["auto", "full"])
def test_peers_list_a_tiny_intensity_that_supplies_the_target(method):
    """A's target is reached by B alone, a DMU 1e13 times larger: its intensity is 4e-14 (below the old absolute
    1e-10 cut), yet it supplies all of A's target output. The peers list it, and rebuild every target."""
    df = pd.DataFrame({"x": [1.0, 2.0, 1e13], "y": [1.0, 1.5, 2.4e13]}, index=["A", "C", "B"])
    res = fr.efficiency(df, ["x"], ["y"], model="radial", rts="crs", method=method)
    assert (res.status == "optimal").all()
    assert set(res.peers[res.peers.dmu == "A"].peer) == {"B"}
    np.testing.assert_allclose(rebuilt_targets(res, df, ["x", "y"]), res.targets.to_numpy(), rtol=1e-9)


def assert_judged_ok(df, inputs, outputs, bads, options, method):
    """Every DMU's score, status, max-slack optimum, targets and peers agree with the exact LPs, with no NaN."""
    counts, failures = judged_run(df, inputs, outputs, bads, options, method)
    assert not failures and counts["ok"] == len(df), (counts, failures)


# ----------------------------------------------------------------------------------------------------
# issue 25, item 1: "infeasible" for LPs that are feasible
# ----------------------------------------------------------------------------------------------------

# found by the oracle: CRS super-SBM (no bad outputs) was "infeasible" for DMU 0, whose exact score is 3.2067e12
SUPER_SBM_ROWS = [
    [4.956548321485359e-07, 4345.6183355357, 5229642.458870309], [5897.732067681295, 4.087531991104437e-06,
     4.729404692450858e-07], [35577562422.84716, 28.33678510510404, 8118543891.346796],
    [12657913.723809069, 50.41311275926957, 1492949.8814789362], [6270544767.021725, 0.0020613957424529218, 1e-08],
    [340478.1643943295, 137413.37249811934, 560144.4616021898], [2.021059324256534e-06, 242144.40997968707,
                                                                 1.355097286439117e-08],
    [2.6155805783553774, 0.3693070583722297, 2.3949874846601193e-06]]


@pytest.mark.parametrize("method", METHODS)
def test_crs_super_sbm_outlier_is_scored_not_infeasible(method):
    """CRS super-SBM always has a feasible point here (the others' positive outputs, scaled): HiGHS's restricted
    model said infeasible and that was reported without a certificate. Now an "infeasible" needs a Farkas ray checked
    exactly against every reference column, so the outlier gets its exact score."""
    df = pd.DataFrame(SUPER_SBM_ROWS, columns=["x0", "x1", "y"])
    res = fr.efficiency(df, ["x0", "x1"], ["y"], model="sbm", rts="crs", super_efficiency=True, method=method)
    assert res.status.iloc[0] == "optimal"
    assert res.scores.iloc[0] == pytest.approx(3206652336136.33, rel=1e-9)
    assert not (res.status == "infeasible").any()
    counts, failures = judged_run(df, ["x0", "x1"], ["y"], [], dict(model="sbm", rts="crs", super_efficiency=True),
                                  method)
    assert not failures and counts["wrong_status"] == counts["wrong_number"] == 0


def test_farkas_certificate_is_exact():
    """The certificate is checked in rational arithmetic: a ray that proves infeasibility only up to a relative
    rounding (A'y = +2^-60 on a column that can grow without bound) is refused, an exact one is accepted."""
    from frontier.engine.robust import _LP, farkas_certified

    # x >= 0 with rows  -x <= -1  (x >= 1)  and  x <= 1/2: infeasible, and y = (-1, -1) proves it (A'y = 0 < 1/2)
    lp = _LP(np.array([[-1.0], [1.0]]), np.zeros(1), np.zeros(1), np.full(1, np.inf), np.full(2, -np.inf),
             np.array([-1.0, 0.5]))
    assert farkas_certified(lp, np.array([-1.0, -1.0]))
    # feasible (x = 1): rows  x >= 1  and  (1 - 2^-53) x <= 1; the same ray has A'y = 2^-53 > 0, which a relative
    # allowance on A'y took for 0 (and so for a proof)
    feasible = _LP(np.array([[-1.0], [1.0 - 2.0 ** -53]]), np.zeros(1), np.zeros(1), np.full(1, np.inf),
                   np.full(2, -np.inf), np.array([-1.0, 1.0]))
    assert not farkas_certified(feasible, np.array([-1.0, -1.0]))


# ----------------------------------------------------------------------------------------------------
# issue 25, item 2: max-slack stages called infeasible
# ----------------------------------------------------------------------------------------------------

SLACK_ROWS = [
    [8.901210863792537e-06, 0.004144014134706909, 1e-08], [2311.2466029875513, 9975068087.883865, 9.060814510252786],
    [1e-08, 0.013494113248196868, 0.0004240835757653275], [103592.11387568527, 0.0019666181205099716,
                                                          1759990861.7136607],
    [0.002588021697409607, 293219.34852899687, 2310.3769231930337], [37083.093620985426, 8097212048.069481,
                                                                     2.510550891407278e-05]]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("model", ["radial", "ddf"])
def test_max_slack_stage_is_never_infeasible(model, method):
    """The score stage's optimum is a feasible point of the max-slack LP: DMU 1 got ``slacks_infeasible`` (slacks and
    targets NaN) under radial and DDF CRS. The max-slack stage is a stage the model guarantees feasible
    (``Stage.always_feasible``), and its exact slacks come out."""
    df = pd.DataFrame(SLACK_ROWS, columns=["x0", "x1", "y"])
    options = dict(model=model, rts="crs", super_efficiency=False)
    if model == "ddf":
        options["direction"] = "observed"
    res = fr.efficiency(df, ["x0", "x1"], ["y"], method=method, **options)
    assert not res.status.str.contains("infeasible").any(), res.status.tolist()
    assert_judged_ok(df, ["x0", "x1"], ["y"], [], options, method)


# ----------------------------------------------------------------------------------------------------
# the property test: random badly scaled instances, every family, every method
# ----------------------------------------------------------------------------------------------------

CONFIGURATIONS_PER_FAMILY = 3     # drawn per family and instance from model_configurations (CI: small and fast)


@pytest.mark.parametrize("family", [
    pytest.param("radial", marks=pytest.mark.xfail(strict=True, reason=(
        "open: radial-output-nirs-super DMU 1 (also on main): its max-slack stage is settled from a score-stage "
        "solution whose only peer is the DMU itself, slack sum 613.6 where the exact max-slack LP gives 5.17e8"))),
    "sbm", "ddf", "nddf", "sbm_ddf", "ebm"])
def test_badly_scaled_instances_against_exact_oracle(family):
    """One seeded badly scaled instance per family, a few of its configurations (orientation, returns to scale,
    super-efficiency) drawn at random, through every method: not one wrong status or wrong number; NaN with
    ``numerical_error`` is counted (and printed), not failed. ``benchmarks/bench_oracle.py`` is the larger run."""
    from frontier.models import REGISTRY

    assert {n for n, f in REGISTRY.items() if f.serves == "efficiency"} == {"radial", "sbm", "ddf", "nddf", "sbm_ddf", "ebm"}, "a new family joins this test"
    rng = np.random.default_rng(sum(map(ord, family)))
    df, inputs, outputs, bads = badly_scaled_instance(rng)
    configurations = [o for o in model_configurations(bool(bads)) if o["model"] == family]
    picked = rng.choice(len(configurations), size=min(CONFIGURATIONS_PER_FAMILY, len(configurations)), replace=False)
    totals, wrong = {}, []
    for options in (configurations[k] for k in picked):
        for method in METHODS:
            counts, failures = judged_run(df, inputs, outputs, bads, options, method)
            for key, value in counts.items():
                totals[key] = totals.get(key, 0) + value
            wrong += [(method,) + f for f in failures]
    print(f"{family}: {totals}")
    assert not wrong, wrong[:5]
    assert totals.get("wrong_status", 0) == totals.get("wrong_number", 0) == 0
