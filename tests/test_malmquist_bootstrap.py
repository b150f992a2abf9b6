"""The Simar & Wilson (1999) Malmquist bootstrap: productivity(..., bootstrap=B) (frontier/malmquist_bootstrap.py).

Small on purpose (each bootstrap LP costs about a millisecond): the coverage Monte Carlo here is a few data sets;
benchmarks/malmquist_bootstrap_coverage.py runs the same design at scale (rates in
docs/indices/malmquist-bootstrap.md).
"""
from __future__ import annotations

import importlib.util
import pathlib

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from frontier import productivity
from frontier.datasets import synthetic_city_panel
from frontier.malmquist_bootstrap import smoothed_pairs

# the Monte Carlo design lives with its full-size run in benchmarks/ (one definition of the DGP and its truth)
_spec = importlib.util.spec_from_file_location(
    "malmquist_bootstrap_coverage",
    pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "malmquist_bootstrap_coverage.py")
coverage_design = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(coverage_design)

X, Y = ["x1", "x2"], ["y"]


def radial(data, **options):
    base = dict(index="malmquist", model="radial", orientation="input", rts="crs")
    return productivity(data, "firm", "year", X, Y, **{**base, **options})


@pytest.fixture(scope="module")
def panel3():
    """8 firms x 3 years from the coverage design (frontier shifts by 1.15, then by 1.15 again)."""
    rng = np.random.default_rng(7)
    first, _ = coverage_design.simulate(8, 1.15, rng)
    second, _ = coverage_design.simulate(8, 1.15, rng)
    second = second[second["year"] == 2001].assign(year=2002)
    second[X] = second[X] / 1.15                       # the third year's frontier is 1.15 above the second's
    return pd.concat([first, second], ignore_index=True)


def test_smoothed_pairs_keep_support_and_correlation():
    """Draws are >= 1 (reflection), keep the pairs' correlation (the bivariate kernel) and roughly their spread."""
    rng = np.random.default_rng(0)
    z = rng.multivariate_normal([0, 0], [[1, 0.8], [0.8, 1]], size=200)
    D = 1 + 0.3 * np.abs(z)
    draws = smoothed_pairs(D, 200, 50, 200 ** (-1 / 6), np.random.default_rng(1)).reshape(-1, 2)
    assert draws.min() >= 1.0
    corr_data, corr_draws = np.corrcoef(D.T)[0, 1], np.corrcoef(draws.T)[0, 1]
    assert corr_data > 0.5 and abs(corr_draws - corr_data) < 0.1
    assert np.allclose(draws.mean(axis=0), D.mean(axis=0), atol=0.03)
    assert np.allclose(draws.std(axis=0), D.std(axis=0), rtol=0.2)
    # the same generator state gives the same draws
    again = smoothed_pairs(D, 200, 50, 200 ** (-1 / 6), np.random.default_rng(1)).reshape(-1, 2)
    assert np.array_equal(draws, again)


def test_point_estimates_unchanged_and_columns(panel3):
    """The bootstrap adds columns; the point estimates, statuses and distances are the plain productivity()'s."""
    options = dict(decomposition="fgnz", rts="vrs", orientation="output")
    plain = radial(panel3, **options)
    boot = radial(panel3, bootstrap=3, random_state=1, **options)
    comps = ["index", "ec", "tc", "pec", "sec"]
    pd.testing.assert_frame_equal(boot.indices[plain.indices.columns], plain.indices)
    pd.testing.assert_frame_equal(boot.distances, plain.distances)
    for c in comps:
        lower, upper = boot.indices[f"{c}_lower"], boot.indices[f"{c}_upper"]
        assert (lower <= upper).all()
        flag = (lower > 1) | (upper < 1)
        assert (boot.indices[f"{c}_significant"].astype(bool) == flag).all()
        assert boot.bootstrap.replicates[c].shape == (3, len(plain.indices))
    assert boot.spec.parameters["bootstrap"]["B"] == 3 and boot.spec.parameters["bootstrap"]["alpha"] == 0.05
    assert list(boot.bootstrap.groups["status"]) == ["ok", "ok"]
    # replicates combine like the point estimates: index = ec x tc, ec = pec x sec
    r = boot.bootstrap.replicates
    assert np.allclose(r["index"], r["ec"] * r["tc"]) and np.allclose(r["ec"], r["pec"] * r["sec"])


def test_too_few_pairs_warns_and_leaves_nan(panel3):
    """A period pair with fewer than 3 paired entities gets no interval, a warning and bootstrap_failed = B."""
    gap = panel3[~((panel3["firm"] == 0) & (panel3["year"] == 2001))]       # firm 0 pairs 2000 with 2002
    with pytest.warns(UserWarning, match="2000-2002: not bootstrapped: 1 paired"):
        res = radial(gap, bootstrap=2, random_state=1)
    row = res.indices.loc[(0, 2002)]
    assert np.isfinite(row["index"]) and np.isnan(row["index_lower"]) and pd.isna(row["index_significant"])
    assert row["bootstrap_failed"] == 2
    assert res.indices.drop(index=[(0, 2002)])["index_lower"].notna().all()


def test_reproducible_and_independent_of_n_jobs():
    """Same seed, same numbers, with 1 or 2 workers (all random numbers are drawn in the parent); another seed
    gives other numbers. chunk_size=5 makes the map parallel at this size; joblib's threading backend spares
    the test the start of worker processes (the map and its chunks are the same)."""
    data, _ = coverage_design.simulate(6, 1.15, np.random.default_rng(3))
    one = radial(data, bootstrap=4, random_state=11, chunk_size=5)
    with joblib.parallel_config(backend="threading"):
        two = radial(data, bootstrap=4, random_state=11, chunk_size=5, n_jobs=2)
    pd.testing.assert_frame_equal(one.indices, two.indices)
    for c in ("index", "ec", "tc"):
        pd.testing.assert_frame_equal(one.bootstrap.replicates[c], two.bootstrap.replicates[c])
    other = radial(data, bootstrap=4, random_state=12, chunk_size=5)
    assert not np.allclose(other.bootstrap.replicates["index"], one.bootstrap.replicates["index"])


def _farrell(x0, y0, X_ref, Y_ref, orientation, vrs):
    """theta (input) or phi (output) of (x0, y0) against the reference (X_ref, Y_ref), by scipy's linprog."""
    n = len(X_ref)
    c = np.r_[1.0 if orientation == "input" else -1.0, np.zeros(n)]
    if orientation == "input":   # X'l <= theta x0, Y'l >= y0
        A = np.vstack([np.c_[-x0, X_ref.T], np.c_[np.zeros(len(y0)), -Y_ref.T]])
        b = np.r_[np.zeros(len(x0)), -y0]
    else:                        # X'l <= x0, Y'l >= phi y0
        A = np.vstack([np.c_[np.zeros(len(x0)), X_ref.T], np.c_[y0, -Y_ref.T]])
        b = np.r_[x0, np.zeros(len(y0))]
    eq = dict(A_eq=np.r_[0.0, np.ones(n)][None, :], b_eq=[1.0]) if vrs else {}
    res = linprog(c, A_ub=A, b_ub=b, bounds=[(None, None)] + [(0, None)] * n, method="highs", **eq)
    return res.fun if orientation == "input" else -res.fun


def test_one_replicate_against_linprog(panel3):
    """Replicate 0: the pseudo data follow step 4 (y* = y delta_hat / delta*), delta_hat are the point estimate's
    own-period VRS distances, and every bootstrap distance of the original observations against the pseudo
    technologies equals an independent scipy linprog."""
    data = panel3[panel3["year"] < 2002]
    res = radial(data, bootstrap=2, random_state=5, decomposition="fgnz", rts="vrs", orientation="output")
    pseudo = res.bootstrap.pseudo_data(0, 2000, 2001)
    own = res.distances[(res.distances["rts"] == "vrs")].set_index(["firm", "year"])["value"]
    assert np.allclose(pseudo.set_index(["firm", "year"])["delta_hat"], own.loc[pseudo.set_index(["firm", "year"])
                                                                                .index], rtol=1e-9)
    observed = data.set_index(["firm", "year"]).loc[pseudo.set_index(["firm", "year"]).index]
    assert np.allclose(pseudo["y"], observed["y"].to_numpy() * pseudo["delta_hat"] / pseudo["delta_star"])
    assert np.allclose(pseudo[X], observed[X])
    ref = {t: pseudo[pseudo["year"] == t] for t in (2000, 2001)}
    obs = data.set_index(["firm", "year"])
    roles = {"own_a": ("a", 2000, False), "own_b": ("b", 2001, False), "cross_ab": ("b", 2000, False),
             "cross_ba": ("a", 2001, False), "pure_a": ("a", 2000, True), "pure_b": ("b", 2001, True)}
    checked = 0
    for role, (side, tech, vrs) in roles.items():
        values = res.bootstrap.distances[role].iloc[0]
        for (firm, _), value in values.items():
            x0y0 = obs.loc[(firm, 2000 if side == "a" else 2001)]
            expected = _farrell(x0y0[X].to_numpy(float), x0y0[Y].to_numpy(float), ref[tech][X].to_numpy(float),
                                ref[tech][Y].to_numpy(float), "output", vrs)
            assert value == pytest.approx(expected, rel=1e-7)
            checked += 1
    assert checked == 6 * 8


@pytest.mark.parametrize("options, match", [
    (dict(model="sbm"), "model='sbm'"),
    (dict(model="ddf", orientation=None), "model='ddf'"),
    (dict(index="luenberger"), "index family 'luenberger'"),
    (dict(index="gml"), "technology='global'"),
    (dict(index="sml"), "technology='sequential'"),
    (dict(technology="window", window=1), "technology='window'"),
    (dict(super_efficiency=True), "super_efficiency=True"),
    (dict(index="hicks_moorsteen", model=None, orientation=None), "index='hicks_moorsteen'"),
])
def test_unsupported_models_refused(panel3, options, match):
    with pytest.raises(ValueError, match="radial Malmquist indices only") as err:
        radial(panel3, bootstrap=10, **options)
    assert match in str(err.value)


def test_bad_outputs_refused():
    data = synthetic_city_panel(n_cities=5, n_years=2, seed=1)
    with pytest.raises(ValueError, match=r"radial Malmquist indices only.*bad outputs \['so2'\]"):
        productivity(data, "city", "year", ["capital", "labour"], ["value_added"], ["so2"], index="ml",
                     model="radial", orientation="input", bootstrap=10)


@pytest.mark.parametrize("options, match", [
    (dict(bootstrap=0), r"bootstrap \(the number of bootstrap replicates\) must be a whole number >= 2"),
    (dict(bootstrap=1), r"bootstrap \(the number of bootstrap replicates\) must be a whole number >= 2, got 1"),
    (dict(bootstrap=2.5), r"must be a whole number >= 2, got 2.5"),
    (dict(bootstrap=10, alpha=1.5), "alpha must be in"), (dict(bootstrap=10, bandwidth="lscv"), "'lscv' is not"),
    (dict(bootstrap=10, bandwidth=-1), "bandwidth must be"), (dict(bootstrap=10, random_state="x"), "random_state"),
])
def test_bad_options(panel3, options, match):
    with pytest.raises(ValueError, match=match):
        radial(panel3, **options)


def test_a_dmu_with_every_input_zero_is_refused_naming_entity_and_period(panel3):
    """The rule of fr.bootstrap (one function): output from no input is outside the bootstrap's model. It used to
    leave the whole period pair without intervals, blaming an "own-period LP failed" for the DMUs it dominates."""
    data = panel3.copy()
    data.loc[(data["firm"] == 2) & (data["year"] == 2001), X] = 0.0
    with pytest.raises(ValueError, match=r"rows \[\(2, 2001\)\] have every input zero"):
        radial(data, bootstrap=5, random_state=0)


def test_coverage_small_monte_carlo():
    """The design of benchmarks/malmquist_bootstrap_coverage.py (two periods, CRS Cobb-Douglas frontier in two
    inputs shifted by 1.15, input efficiencies exp(-0.3|z|) correlated 0.7 across the periods, all known) at toy
    size: 2 data sets x 16 firms, B = 30, nominal 90% intervals. Measured with this seed: coverage index 0.62,
    ec 0.69, tc 0.78, and the tc interval lies above 1 (progress detected) for 0.91 of the rows. Below nominal,
    as at scale (docs/indices/malmquist-bootstrap.md: 0.64 / 0.79 / 0.76 with 20 firms, 0.77 / 0.78 / 0.76 with
    40): the bounds here guard against broken intervals (a sign error or zero width covers almost nothing)
    and check that the known technical change is found, not that the small-sample coverage is nominal."""
    rates = coverage_design.coverage(datasets=2, n=16, B=30, alpha=0.1, shift=1.15, seed=2026)
    assert rates["index"] >= 0.5 and rates["ec"] >= 0.55 and rates["tc"] >= 0.65
    assert max(rates["index"], rates["ec"], rates["tc"]) < 0.99
    assert rates["tc_detected"] >= 0.75


def test_unbalanced_panel_and_failed_lps(panel3):
    """An entity seen in one period only still spans that period's pseudo technology (a marginal draw); a VRS
    cross-period LP that is infeasible in every replicate leaves the index interval NaN and counts B failures,
    while the row's ec (own-period LPs only) keeps its interval."""
    data = panel3[panel3["year"] < 2002].copy()
    data = data[~((data["firm"] == 7) & (data["year"] == 2000))]             # firm 7: 2001 only
    big = (data["firm"] == 0) & (data["year"] == 2001)
    data.loc[big, "y"] *= 10                                                  # beyond every 2000 output
    with pytest.warns(UserWarning, match="bootstrap LPs not optimal"):
        res = radial(data, bootstrap=3, random_state=2, rts="vrs")
    pseudo = res.bootstrap.pseudo_data(1, 2000, 2001)
    assert len(pseudo) == len(data) and (pseudo["delta_star"] >= 1).all()
    assert 7 in set(pseudo.loc[pseudo["year"] == 2001, "firm"])
    row = res.indices.loc[(0, 2001)]
    assert "infeasible" in row["status"] and row["bootstrap_failed"] == 3
    assert np.isnan(row["index_lower"]) and np.isfinite(row["ec_lower"])
    assert res.bootstrap.lp_status.get("infeasible", 0) >= 3
    others = res.indices.drop(index=[(0, 2001)])
    assert (others["bootstrap_failed"] == 0).all() and others["index_lower"].notna().all()


def test_cli_bootstrap_to_stata(tmp_path):
    """frontier productivity --bootstrap B --random-state S writes the interval columns; in Stata the nullable
    significance flags are 0/1 with missing on each entity's first period (they used to fail the .dta write)."""
    from frontier.cli import main

    data, _ = coverage_design.simulate(6, 1.15, np.random.default_rng(4))
    data.to_csv(tmp_path / "panel.csv", index=False)
    out = tmp_path / "out.dta"
    argv = [str(tmp_path / "panel.csv"), "--entity", "firm", "--period", "year", "--inputs", *X, "--outputs", *Y,
            "--index", "malmquist", "--model", "radial", "--orientation", "input", "--rts", "crs",
            "--bootstrap", "3", "--random-state", "8", "-o", str(out), "--quiet"]
    assert main(["productivity", *argv]) == 0
    back = pd.read_stata(out)
    direct = radial(data, bootstrap=3, random_state=8)
    later = back[back["period_from"].notna()]
    assert np.allclose(later["index_upper"], direct.indices["index_upper"])
    assert set(later["index_significant"]) <= {0, 1}
    assert back.loc[back["period_from"].isna(), "index_significant"].isna().all()


def test_replicates_are_solved_in_blocks_with_the_same_numbers(monkeypatch):
    """Memory does not grow with B (issue 32: 11.2 GB at B = 2,000 on the city panel, every replicate's LPs in one
    engine call): the replicates go to the engine in blocks of about REPLICATE_LPS_PER_CALL LPs, here one or two
    replicates per call, and the intervals, replicates and distances equal the one-call run's."""
    from frontier.analyses.productivity import bootstrap as malmquist_bootstrap
    from frontier.problem import Problem

    data, _ = coverage_design.simulate(6, 1.15, np.random.default_rng(3))
    whole = radial(data, rts="vrs", bootstrap=5, random_state=11)
    sizes = []
    evaluate_many = Problem.evaluate_many

    def recorded(self, requests, **kwargs):
        sizes.append(sum(len(points) for points, _ in requests))
        return evaluate_many(self, requests, **kwargs)

    monkeypatch.setattr(Problem, "evaluate_many", recorded)
    per_replicate = whole.bootstrap.n_lps // 5
    monkeypatch.setattr(malmquist_bootstrap, "REPLICATE_LPS_PER_CALL", 2 * per_replicate)
    blocks = radial(data, rts="vrs", bootstrap=5, random_state=11)
    assert blocks.bootstrap.n_lps == whole.bootstrap.n_lps
    assert len(sizes) > 3 and max(sizes[1:]) <= 2 * per_replicate      # sizes[0]: the own-period distances
    pd.testing.assert_frame_equal(blocks.indices, whole.indices)
    for name in whole.bootstrap.replicates:
        pd.testing.assert_frame_equal(blocks.bootstrap.replicates[name], whole.bootstrap.replicates[name])
    for name in whole.bootstrap.distances:
        pd.testing.assert_frame_equal(blocks.bootstrap.distances[name], whole.bootstrap.distances[name])
    assert blocks.bootstrap.lp_status == whole.bootstrap.lp_status
