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
# super-efficiency: the evaluated DMU's own column is excluded, and a solution that uses it is not certified
# ----------------------------------------------------------------------------------------------------

# found by the oracle (the radial instance of the property test): output NIRS super-efficiency, DMU 1
SUPER_SLACK_ROWS = [
    [139040137933.17194, 0.3445184170490739, 7.977365958153361e-07, 0.06751197791966872],
    [3386327681.5689797, 449917157113.38837, 2188.1310816144905, 75891.7745093475],
    [402902093202.10114, 0.09261998457965791, 594.1471000112966, 1000000000000000.0],
    [517163553.87321454, 1.0765210214909348e-07, 2.9166314232649946e-06, 0.0001629867370925817],
    [465080948.78108454, 30122801708.37743, 1e-08, 1e-08],
    [2195345188.3316407, 3.5624880171923955e-05, 1.014002110389706e-08, 1664649.5751467312]]


@pytest.mark.parametrize("method", METHODS)
def test_super_efficiency_max_slacks_never_use_the_dmu_itself(method):
    """DMU 1's max-slack LP (its own column fixed at 0) came back from HiGHS with the own column basic at 1.35e-9,
    inside HiGHS's absolute bound tolerance: the DMU served as its own peer (lambda = phi on itself reproduces
    phi y0), slack sum 613.6 where the exact LP gives 5.17e8 (DMU 3 as the peer). The certificate did not look at
    the excluded column; now a solution that uses it is refused, and the DMU gets the exact max-slack optimum."""
    df = pd.DataFrame(SUPER_SLACK_ROWS, columns=["x0", "x1", "y", "b0"])
    options = dict(model="radial", orientation="output", rts="nirs", super_efficiency=True,
                   bad_disposability="strong")
    res = fr.efficiency(df, ["x0", "x1"], ["y"], ["b0"], method=method, **options)
    assert not (res.peers.dmu == res.peers.peer).any(), res.peers
    assert res.status.iloc[1] == "optimal"
    assert res.targets.iloc[1]["x0"] == pytest.approx(517163553.87321454, rel=1e-6)     # about DMU 3's input
    assert_judged_ok(df, ["x0", "x1"], ["y"], ["b0"], options, method)


# ----------------------------------------------------------------------------------------------------
# SBM: a tiny score the certificate cannot tell from its error
# ----------------------------------------------------------------------------------------------------

# the oracle's instance 1 of seed 1 (benchmarks/bench_oracle.py): CRS SBM, DMU 7's exact score is 8.0128e-14
TINY_SBM_ROWS = [
    [1e-08, 6.706231189458404e-05, 4.276144251414196e-07, 1272153408.0991752],
    [1000000000000000.0, 1000000000000000.0, 1323975551.9242468, 146101.05457794515],
    [1e-08, 82114.13295137024, 2501426.0607807836, 1e-08],
    [0.004340667776080819, 0.0002015409694457921, 61182.553879975865, 126210841.6547613],
    [187679767559.18915, 1.0244637798384853e-05, 44.080627073315256, 7840021324.071555],
    [2.846676649083244, 6166.535580321624, 3.088968999984558e-08, 294576.2593762953],
    [24086427637.46011, 343958931.48461175, 1e-08, 161104.47738272577],
    [0.0008147893520675203, 23460646.61997101, 0.000171196488404277, 422179064.5746983]]


@pytest.mark.parametrize("method", METHODS)
def test_sbm_score_below_its_certified_error_is_not_reported(method):
    """DMU 7's LP (Charnes-Cooper: t + sum w S' = 1) has the reduced cost of t as a difference 1 - 0.5 - 0.5 of terms
    of about 1, so the relative dual certificate (1e-9 of those terms) leaves the objective uncertain by about 1e-9
    over t's range [0, 1]: a basis that is not optimal (score 2.40e-13; exact 8.01e-14) passed it. A score below
    what the certificate can resolve is now reported only when its basis is optimal in exact arithmetic, else NaN
    with ``numerical_error``: never the wrong number."""
    df = pd.DataFrame(TINY_SBM_ROWS, columns=["x0", "x1", "y", "b0"])
    options = dict(model="sbm", rts="crs", super_efficiency=False)
    res = fr.efficiency(df, ["x0", "x1"], ["y"], ["b0"], method=method, **options)
    score = res.scores.iloc[7]
    assert (np.isnan(score) and res.status.iloc[7] == "numerical_error") or score == pytest.approx(
        8.012795533452701e-14, rel=1e-6), (score, res.status.iloc[7])
    counts, failures = judged_run(df, ["x0", "x1"], ["y"], ["b0"], options, method)
    assert not failures and counts["wrong_status"] == counts["wrong_number"] == 0, (counts, failures)


# ----------------------------------------------------------------------------------------------------
# the snap: slack noise is judged on the scale of what the slack is the difference of
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", METHODS)
def test_snap_keeps_a_slack_measured_from_a_contracted_point(method):
    """EBM (non-oriented, the ratio form: CRS; VRS gave the same before the bounded form became its default) on the
    tiny-SBM instance: DMU 1 (observed 1e15) was contracted to theta x0 = 82,114 on
    x0 and its reference combination uses about 1e-5 of it: a real slack of 82,114. The snap judged it against the
    observed 1e15 (SNAP_TOL x 1e15 = 1e6), zeroed it and moved the target to the contracted point, which no peer
    combination gives. Now noise is judged against the slack's own terms (the target and the point it is measured
    from), and the oracle's judge checks each target on its own scale."""
    df = pd.DataFrame(TINY_SBM_ROWS, columns=["x0", "x1", "y", "b0"])
    options = dict(model="ebm", orientation="nonoriented", rts="crs", super_efficiency=False)
    res = fr.efficiency(df, ["x0", "x1"], ["y"], ["b0"], method=method, **options)
    assert res.status.iloc[1] == "optimal"
    assert res.slacks.iloc[1, 0] > 1e4          # a real slack beside 1e15, not snapped to 0 (the judge checks its value)
    np.testing.assert_allclose(rebuilt_targets(res, df, ["x0", "x1", "y", "b0"])[1], res.targets.iloc[1],
                               rtol=1e-9, atol=1e-9)
    counts, failures = judged_run(df, ["x0", "x1"], ["y"], ["b0"], options, method)
    assert not failures and counts["wrong_status"] == counts["wrong_number"] == 0, (counts, failures)


def placeholder_panel(seed, n=120):
    """Lognormal firms (two inputs, two outputs) with about 10 % of the values replaced by 1e-8..5e-8 of their
    column's mean: zero placeholders (issue 33)."""
    rng = np.random.default_rng(seed)
    values = rng.lognormal(0, 1, size=(n, 4))
    mask = rng.random(values.shape) < 0.1
    values[mask] = (values.mean(axis=0) * rng.uniform(1e-8, 5e-8, size=values.shape))[mask]
    return pd.DataFrame(values, columns=["x0", "x1", "y0", "y1"])


@pytest.mark.parametrize("seed, rts", [(1, "crs"), (4, "crs"), (8, "vrs")])
def test_sbm_slacks_are_never_negative(seed, rts):
    """Input-oriented SBM on firms with zero placeholders reported output slacks of -1.5e-9 and -1e-8 relative to
    the DMU's value (issue 33 item 4): SBM's data rows are equalities with slack columns >= 0, so a negative slack is
    the certified row residual; it is clipped at 0 with the target at the DMU's own value, as the max-slack stage
    does."""
    df = placeholder_panel(seed)
    res = fr.efficiency(df, ["x0", "x1"], ["y0", "y1"], model="sbm", rts=rts, orientation="input")
    ok = (res.status == "optimal").to_numpy()
    assert (res.slacks.to_numpy()[ok] >= 0).all()
    sign = np.array([-1.0, -1.0, 1.0, 1.0])      # target = observed -/+ slack, to the rounding of the observed value
    gap = np.abs(res.targets.to_numpy() - (df.to_numpy() + sign * res.slacks.to_numpy()))[ok]
    assert (gap <= 1e-12 * df.to_numpy()[ok]).all()


# ----------------------------------------------------------------------------------------------------
# the property test: random badly scaled instances, every family, every method
# ----------------------------------------------------------------------------------------------------

CONFIGURATIONS_PER_FAMILY = 3     # drawn per family and instance from model_configurations (CI: small and fast)


@pytest.mark.parametrize("family", ["radial", "sbm", "ddf", "nddf", "sbm_ddf", "ebm"])
def test_badly_scaled_instances_against_exact_oracle(family):
    """One seeded badly scaled instance per family, a few of its configurations (orientation, returns to scale,
    super-efficiency) drawn at random, through every method: not one wrong status or wrong number; NaN with
    ``numerical_error`` is counted (and printed), not failed. ``benchmarks/bench_oracle.py`` is the larger run."""
    from frontier.models import REGISTRY

    row_families = {n for n, f in REGISTRY.items() if f.serves == "efficiency" and f.evaluates == "rows"}
    assert row_families == {"radial", "sbm", "ddf", "nddf", "sbm_ddf", "ebm"}, "a new family joins this test"
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


# ----------------------------------------------------------------------------------------------------
# issue 25: max-slack answers within VERIFY_TOL of their rows but far from the exact ones
# ----------------------------------------------------------------------------------------------------

# the oracle's instances 4 and 5 of seed 1 (benchmarks/bench_oracle.py); instance 1 is TINY_SBM_ROWS
OUTLIER_SLACK_ROWS = [
    [384.1104765234679, 1e-08, 1e-08, 5.4434418397278555e-05],
    [1e-08, 2578.0536983909374, 1.4828618077474158e-05, 109795710778.01717],
    [1.2220040660054083e-05, 1e-08, 7.586780169924433e-06, 2225535.479119361],
    [0.003359388892310251, 1e-08, 8.312728826599599e-08, 3.138417797533763e-05],
    [1266.5084834431116, 10140873380.654736, 0.18477098274054635, 0.18477098274054635],
    [121067266629.95348, 85294732.07951145, 270241.8962451108, 795173377.4369938]]
PLACEHOLDER_SLACK_ROWS = [
    [1.7255943394964118e-07, 7.241688724525688e-07, 183499267431.5035],
    [11676383.823086908, 0.057158925428743464, 1e-08], [1e-08, 0.06079919870776038, 3081938930.861783],
    [2.3717032367338797, 4.374214947468303e-07, 34364026650.31049],
    [1e-08, 2.1587240781474312e-06, 1.8343542105550265e-06],
    [1415738573.9254303, 47.21690928663213, 2933337849019.654],
    [21265.510942968976, 4.3815419325242087e-08, 140752339.06671795]]

# the oracle's instances 3 and 7 of seed 2: rows that are differences of large terms (y0 - beta g with beta near 1)
CANCELLING_SLACK_ROWS = [
    [1e-08, 70635346.68933211, 1.3185560077361744, 308771172088.6569],
    [12681.870336874208, 225922587679.4332, 7.581477337615688e-08, 4506641969.182129],
    [1540.0816663252788, 1874047.6068686007, 7.110489633275299e-05, 941.5155990664247],
    [0.0061032123745176576, 1.2870918411534903e-06, 1.1580716028017658e-08, 13702518506.28441],
    [261870.33314799736, 0.0001260185950109149, 0.0014334203020764868, 20.506249183368034],
    [1000000000000000.0, 13.663629320239837, 1000000000000000.0, 1000000000000000.0],
    [0.0007819912864678507, 65408.951884796945, 0.15920278300620824, 1e-08]]
ONE_INPUT_SLACK_ROWS = [
    [2.6687645010798664e-06, 189373212.9939586], [1000000000000000.0, 950352416.9920018],
    [0.680485470096762, 3708083.537956977], [11998.390499912892, 20907652396.126022],
    [24449710695.472694, 44.00419256508126], [152301.83620770904, 1e-08], [0.016058716607578405, 11.756241441007058],
    [2651656.6225405224, 1131.4700264248495]]


@pytest.mark.parametrize("method", METHODS)
def test_max_slack_stage_keeps_the_peer_its_score_rests_on(method):
    """Radial output CRS, DMU 5 (x1 = 8.5e7): its exact score needs DMU 4 at intensity 8.4e-3, which supplies all of
    the x1 target and 7e-10 of the output row. The max-slack answer left DMU 4 out, met the output row to 3.7e-10 of
    its terms (inside VERIFY_TOL) and reported a slack of 8.5e7 on x1, where the exact slack is 0. A score that needed
    the robust path holds its max-slack answer to exactness (certify.primal_tolerance); the exact simplex finds it."""
    df = pd.DataFrame(OUTLIER_SLACK_ROWS, columns=["x0", "x1", "y", "b0"])
    options = dict(model="radial", orientation="output", rts="crs", super_efficiency=False,
                   bad_disposability="strong")
    res = fr.efficiency(df, ["x0", "x1"], ["y"], ["b0"], method=method, **options)
    assert res.status.iloc[5] == "optimal"
    assert res.slacks.iloc[5]["x1"] <= 1e-6 * res.targets.iloc[5]["x1"], res.slacks.iloc[5]
    assert 4 in set(res.peers[res.peers.dmu == 5].peer)
    assert_judged_ok(df, ["x0", "x1"], ["y"], ["b0"], options, method)


@pytest.mark.parametrize("rows, options, columns, dmu", [
    (OUTLIER_SLACK_ROWS, dict(model="ddf", rts="crs", super_efficiency=True), ["x0", "x1", "y", "b0"], 5),
    (OUTLIER_SLACK_ROWS, dict(model="ddf", rts="vrs", super_efficiency=True), ["x0", "x1", "y", "b0"], 5),
    (PLACEHOLDER_SLACK_ROWS, dict(model="ddf", rts="nirs", super_efficiency=True), ["x0", "y", "b0"], 4),
    (TINY_SBM_ROWS, dict(model="radial", orientation="input", rts="crs", super_efficiency=True),
     ["x0", "x1", "y", "b0"], 3),
    (CANCELLING_SLACK_ROWS, dict(model="ddf", rts="crs", super_efficiency=True), ["x0", "x1", "y", "b0"], 5),
    (ONE_INPUT_SLACK_ROWS, dict(model="ddf", rts="vrs", super_efficiency=True), ["x0", "y"], 3),
], ids=["ddf-crs-super", "ddf-vrs-super", "ddf-nirs-super-placeholders", "radial-input-crs-super",
        "ddf-crs-super-cancelling", "ddf-vrs-super-one-input"])
def test_max_slack_answers_are_exact_where_the_score_is(rows, options, columns, dmu):
    """The oracle's other wrong max-slack optima of this kind (DDF super-efficiency, radial input CRS super-efficiency:
    rows missed by 4e-11..6e-9 of their terms, slacks off by up to 1.8e9; on seed 2, rows that are differences of large
    terms, y0 - beta g with beta near 1, missed by 5e-13 of them, a slack of 2e15 reported as 0 and one of 23,888 where
    the exact one is 0): no wrong number, and the DMU found wrong gets its exact slacks, not NaN. The radial one's LP
    defeats HiGHS under every scaling (a score of 1e7 on coefficients of 1e-17): the exact simplex starts from the
    slack basis."""
    df = pd.DataFrame(rows, columns=columns)
    inputs = [c for c in columns if c.startswith("x")]
    bads = [c for c in columns if c.startswith("b")]
    options = dict(options, bad_disposability="strong")
    if options["model"] == "ddf":
        options["direction"] = "observed"
    res = fr.efficiency(df, inputs, ["y"], bads or None, **options)
    assert res.status.iloc[dmu] == "optimal", res.status.tolist()
    counts, failures = judged_run(df, inputs, ["y"], bads, options, "auto")
    # (another DMU may end in numerical_error or slacks_numerical_error: NaN, counted, honest)
    assert not failures and counts["wrong_number"] == counts["wrong_status"] == 0, counts


@pytest.mark.parametrize("options", [dict(rts="nirs", super_efficiency=False), dict(rts="crs", super_efficiency=True)],
                         ids=["nirs", "crs-super"])
def test_max_slack_answer_after_a_fast_score_meets_its_rows_tighter(options):
    """Radial input, the fourth instance of benchmarks/bench_oracle.py's seed 11, DMU 2: its score (0.0017, exact
    to the last bit on the fast path) leaves an optimal face that is one point, where DMU 4 supplies the output and
    DMU 0 the last 13.9 of 1.24e8 of it, using all of x1's 4,012. The max-slack answer left DMU 0 out, missed the
    output row by 5.6e-8 of its terms (inside VERIFY_TOL) and reported a slack of 4,009 on x1, exactly 0. After a
    fast score the max-slack rows are held to DETAIL_FAST_VERIFY_TOL (1e-9)."""
    rng = np.random.default_rng(11)
    for _ in range(4):
        df, inputs, outputs, bads = badly_scaled_instance(rng)
    options = dict(options, model="radial", orientation="input")
    for method in METHODS:
        counts, failures = judged_run(df, inputs, outputs, bads, options, method)
        assert not failures and counts["wrong_number"] == counts["wrong_status"] == 0, (method, counts, failures)
    res = fr.efficiency(df, inputs, outputs, bads or None, **options)
    assert res.status.iloc[2] == "optimal" and res.slacks.iloc[2]["x1"] <= 1e-6 * res.targets.iloc[2]["x1"]


def test_exact_simplex_starts_from_an_infeasible_basis():
    """The rational simplex's phase 1: from the slack basis of ``min x0 + 2 x1  s.t.  x0 + x1 >= 1,  x0 <= 3/4``
    (the row basic at 0, below its bound) it pivots to the exactly optimal basis x = (3/4, 1/4), value 5/4. Before,
    a start outside a bound ended the polish (None)."""
    from frontier.engine.robust import AT_LOWER, BASIC, _LP, exact_basic_solution, exact_simplex

    lp = _LP(np.array([[1.0, 1.0]]), np.array([1.0, 2.0]), np.zeros(2), np.array([0.75, np.inf]), np.array([1.0]),
             np.array([np.inf]))
    basis = exact_simplex(lp, np.full(2, AT_LOWER), np.full(1, BASIC))
    assert basis is not None
    x, value, _, exactly_optimal = exact_basic_solution(lp, *basis)
    assert exactly_optimal and value == 1.25 and x.tolist() == [0.75, 0.25]
