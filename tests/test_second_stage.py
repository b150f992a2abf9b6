"""Simar & Wilson (2007) second stage: the truncated-normal ML, a small Monte Carlo of the intervals' coverage
against OLS and Tobit, reproducibility, and bad input.

The Monte Carlo design (after SW 2007, Section 5; also ``benchmarks/mc_second_stage.py`` at full size): one input
x ~ U(6, 16), one output y = x^(3/4) / delta, delta = 0.5 + 0.5 z + eps >= 1 with z ~ N(2, 2^2) and
eps ~ N(0, 1) left-truncated at 1 - 0.5 - 0.5 z; output-oriented VRS DEA estimates delta. True slope 0.5.
"""
from __future__ import annotations

import joblib
import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.special import log_ndtr
from scipy.stats import norm, t as student_t, truncnorm

import frontier as fr
from frontier.data import validate_frame
from frontier.models import resolve_options
from frontier.problem import Problem
from frontier.truncated_regression import draw_truncated, fit_truncated_normal

TRUE_BETA = np.array([0.5, 0.5])
TRUE_SIGMA = 1.0


# -- the design and the naive estimators the SW intervals are compared with --------------------------------------

def simulate_design(rng: np.random.Generator, n: int) -> pd.DataFrame:
    """One sample of the SW (2007) design above: columns x, y, z and the true distance delta."""
    z = rng.normal(2.0, 2.0, n)
    mean = TRUE_BETA[0] + TRUE_BETA[1] * z
    # the truncated error by scipy's own sampler, independent of frontier.truncated_regression.draw_truncated
    eps = truncnorm.rvs((1.0 - mean) / TRUE_SIGMA, np.inf, scale=TRUE_SIGMA, random_state=rng)
    delta = mean + eps
    x = rng.uniform(6.0, 16.0, n)
    return pd.DataFrame({"x": x, "y": x ** 0.75 / delta, "z": z, "delta": delta})


def ols_interval(delta_hat, z, alpha=0.05):
    """The naive second stage: OLS of the DEA distances on z with the textbook t interval of the slope."""
    Z = np.column_stack([np.ones_like(z), z])
    b = np.linalg.lstsq(Z, delta_hat, rcond=None)[0]
    resid = delta_hat - Z @ b
    se = np.sqrt(resid @ resid / (len(z) - 2) * np.linalg.inv(Z.T @ Z)[1, 1])
    q = student_t.ppf(1 - alpha / 2, len(z) - 2)
    return b[1] - q * se, b[1] + q * se


def tobit_interval(delta_hat, z, alpha=0.05):
    """The Tobit second stage referees reject: DEA distances censored at 1, normal ML, Wald interval of the slope."""
    Z = np.column_stack([np.ones_like(z), z])
    censored = delta_hat <= 1 + 1e-9

    def negative_loglik(p):
        mu, s = Z @ p[:2], np.exp(p[2])
        return -(norm.logpdf(delta_hat[~censored], mu[~censored], s).sum()
                 + log_ndtr((1.0 - mu[censored]) / s).sum())

    start = np.append(np.linalg.lstsq(Z, delta_hat, rcond=None)[0], 0.0)
    fit = minimize(negative_loglik, start, method="BFGS")
    se = np.sqrt(fit.hess_inv[1, 1])
    q = norm.ppf(1 - alpha / 2)
    return fit.x[1] - q * se, fit.x[1] + q * se


def batched_dea(frames: list[pd.DataFrame]) -> list[np.ndarray]:
    """Output-oriented VRS distances of several samples in one parallel map (each sample its own reference)."""
    problem = Problem(validate_frame(frames[0], ["x"], ["y"]), resolve_options("radial", orientation="output",
                                                                               rts="vrs"))
    points = [f[["x", "y"]].to_numpy() for f in frames]
    return [ev.score for ev in problem.evaluate_many([(p, p) for p in points], detail=False, method="full")]


def covers(table: pd.DataFrame, value: float, term: str = "z") -> bool:
    return bool(table.loc[term, "lower"] <= value <= table.loc[term, "upper"])


# -- (1) the truncated-normal ML against an independent fit -----------------------------------------------------

def test_truncated_mle_matches_an_independent_scipy_fit():
    rng = np.random.default_rng(11)
    n = 150
    Z = np.column_stack([np.ones(n), rng.normal(2, 2, n), rng.uniform(-1, 1, n)])
    beta, sigma = np.array([0.8, 0.4, -0.6]), 0.9
    mean = Z @ beta
    delta = mean + truncnorm.rvs((1 - mean) / sigma, np.inf, scale=sigma, random_state=rng)

    def negative_loglik(p):        # straight from scipy's truncated normal density
        mu, s = Z @ p[:3], np.exp(p[3])
        return -truncnorm.logpdf(delta, (1 - mu) / s, np.inf, loc=mu, scale=s).sum()

    ref = minimize(negative_loglik, [1.0, 0.0, 0.0, 0.0], method="BFGS", options={"gtol": 1e-8})
    assert ref.nit > 5 and np.abs(ref.jac).max() < 1e-3      # at the optimum up to numerical differentiation
    fit = fit_truncated_normal(delta, Z)
    assert fit.converged[0]
    np.testing.assert_allclose(fit.beta[0], ref.x[:3], atol=1e-4)
    assert fit.sigma[0] == pytest.approx(np.exp(ref.x[3]), abs=1e-4)
    assert fit.loglik[0] == pytest.approx(-ref.fun, abs=1e-7)
    assert fit.loglik[0] >= -ref.fun - 1e-9          # ours is the maximum, not merely close to it

    # the same through second_stage (a Series of distances >= 1), and the table carries the estimate
    data = pd.DataFrame({"a": Z[:, 1], "b": Z[:, 2]})
    res = fr.second_stage(pd.Series(delta, index=data.index), data, ["a", "b"], L2=100, random_state=0)
    np.testing.assert_allclose(res.table()["coefficient"].to_numpy(), np.append(fit.beta[0], fit.sigma[0]))
    assert res.n_dropped == 0 and res.n_used == n


def test_truncated_draws_follow_the_truncated_normal():
    rng = np.random.default_rng(5)
    mean = np.array([-3.0, 0.5, 4.0, -12.0])          # little, some, no truncation; far in the tail
    draws = draw_truncated(mean[:, None], 0.7, rng.random((4, 20000)))
    assert (draws >= 1.0).all()
    expected = truncnorm.mean((1 - mean) / 0.7, np.inf, loc=mean, scale=0.7)
    np.testing.assert_allclose(draws.mean(axis=1), expected, rtol=0.01)


def test_no_maximum_gives_nan_and_a_clear_error_never_a_number():
    """Distances with a heavier-than-normal tail (coefficient of variation of delta - 1 above 1): the truncated
    normal's likelihood rises forever as sigma -> infinity, so there is no estimate to report."""
    rng = np.random.default_rng(0)
    delta = 1 + rng.lognormal(0.0, 1.5, 80)
    fit = fit_truncated_normal(np.vstack([delta, 1 + np.abs(rng.normal(0, 1, 80))]), np.ones((80, 1)))
    assert fit.converged.tolist() == [False, True]
    assert np.isnan(fit.beta[0]).all() and np.isnan(fit.sigma[0]) and np.isfinite(fit.beta[1]).all()
    data = pd.DataFrame({"z": rng.normal(size=80)})
    with pytest.raises(ValueError, match=r"did not converge .*sigma runs off to infinity"):
        fr.second_stage(pd.Series(delta), data, ["z"], L2=50)


# -- (2) the Monte Carlo: SW intervals cover the true slope, OLS and Tobit do not ------------------------------------

def test_monte_carlo_sw_intervals_cover_where_ols_and_tobit_do_not():
    """Design in the module docstring, n = 50. Algorithm 1 over 30 samples (L2 = 200): SW (2007) report coverage
    somewhat below nominal for Algorithm 1 at small n, so the band is [0.75, 1]; Algorithm 2 (L1 = 8) over the
    first 5 samples: at least 4 cover. OLS and Tobit on the same DEA distances cover the true slope in at most 20%
    of the samples (they estimate another quantity: the truncation biases the slope towards 0). A full-size study
    is ``benchmarks/mc_second_stage.py``."""
    rng = np.random.default_rng(2007)
    frames = [simulate_design(rng, 50) for _ in range(30)]
    distances = batched_dea(frames)
    hits = {"algorithm 1": 0, "ols": 0, "tobit": 0}
    for trial, (frame, delta_hat) in enumerate(zip(frames, distances)):
        scores = pd.Series(delta_hat, index=frame.index)
        table = fr.second_stage(scores, frame, ["z"], L2=200, random_state=trial).table()
        hits["algorithm 1"] += covers(table, TRUE_BETA[1])
        lo, hi = ols_interval(delta_hat, frame["z"].to_numpy())
        hits["ols"] += lo <= TRUE_BETA[1] <= hi
        lo, hi = tobit_interval(delta_hat, frame["z"].to_numpy())
        hits["tobit"] += lo <= TRUE_BETA[1] <= hi
    rate = {k: v / len(frames) for k, v in hits.items()}
    assert 0.75 <= rate["algorithm 1"] <= 1.0, rate
    assert rate["ols"] <= 0.2 and rate["tobit"] <= 0.2, rate

    covered, raw_error, corrected_error = 0, [], []
    for trial, frame in enumerate(frames[:5]):
        first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", rts="vrs")
        res = fr.second_stage(first, frame, ["z"], algorithm=2, L1=8, L2=200, random_state=trial, lp_method="full")
        covered += covers(res.table(), TRUE_BETA[1])
        raw_error.append(np.mean(np.abs(res.delta - frame["delta"])))
        corrected_error.append(np.mean(np.abs(res.delta_bias_corrected - frame["delta"])))
    assert covered >= 4
    assert np.mean(corrected_error) < np.mean(raw_error)     # bias-corrected distances are closer to the truth


# -- Algorithm 2's pseudo data: input and output orientation agree under CRS ----------------------------------------

def test_algorithm_2_is_orientation_free_under_crs():
    """Under CRS the input distance 1/theta equals the output phi, and the pseudo points x* = x delta*/delta_hat
    (input) and y* = y delta_hat/delta* (output) lie on the same rays: the same seed must give the same result."""
    rng = np.random.default_rng(3)
    frame = simulate_design(rng, 30)
    out = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", rts="crs")
    inp = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="crs")
    a = fr.second_stage(out, frame, ["z"], algorithm=2, L1=5, L2=50, random_state=1, lp_method="full")
    b = fr.second_stage(inp, frame, ["z"], algorithm=2, L1=5, L2=50, random_state=1, lp_method="full")
    np.testing.assert_allclose(a.delta, b.delta, rtol=1e-9)
    np.testing.assert_allclose(a.delta_bias_corrected, b.delta_bias_corrected, rtol=1e-7)
    assert (a.delta_bias_corrected >= a.delta - 1e-9).all()    # DEA underestimates the distance: bias < 0
    pd.testing.assert_frame_equal(a.table(), b.table(), rtol=1e-6)
    assert a.orientation == "output" and b.orientation == "input"


# -- (3) reproducibility --------------------------------------------------------------------------------------------

def test_same_seed_same_numbers_whatever_n_jobs():
    frame = simulate_design(np.random.default_rng(8), 30)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs")
    run = dict(algorithm=2, L1=4, L2=60, random_state=42, lp_method="full", chunk_size=10)   # chunks fix the LPs
    one = fr.second_stage(first, frame, ["z"], **run)
    with joblib.parallel_config(backend="threading"):     # a real parallel map, without spawning processes
        two = fr.second_stage(first, frame, ["z"], n_jobs=2, **run)
    pd.testing.assert_frame_equal(one.table(), two.table(), check_exact=True)
    pd.testing.assert_frame_equal(one.replicates, two.replicates, check_exact=True)
    np.testing.assert_array_equal(one.delta_bias_corrected, two.delta_bias_corrected)
    other = fr.second_stage(first, frame, ["z"], **{**run, "random_state": 43})
    assert not np.array_equal(one.replicates.to_numpy(), other.replicates.to_numpy())
    gen = fr.second_stage(first, frame, ["z"], **{**run, "random_state": np.random.default_rng(42)})
    pd.testing.assert_frame_equal(one.replicates, gen.replicates, check_exact=True)


# -- the result: table, summary, exports ---------------------------------------------------------------------------

def test_table_summary_and_exports(tmp_path):
    frame = simulate_design(np.random.default_rng(4), 40)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs")
    res = fr.second_stage(first, frame, covariates="z", L2=100, random_state=0)
    table = res.table()
    assert list(table.index) == ["const", "z", "sigma"]
    assert list(table.columns) == ["coefficient", "std_error", "z", "p_value", "lower", "upper", "significant",
                                   "stars"]
    assert "LOWERS efficiency" in table.attrs["sign_convention"]
    assert (table["lower"] < table["upper"]).all()
    np.testing.assert_allclose(table["std_error"], res.replicates.std(ddof=1)[table.index])
    efficient = int((first.scores == 1).sum())
    assert efficient >= 1 and res.n_dropped == efficient and res.n_used == 40 - efficient
    np.testing.assert_allclose(res.delta, 1 / first.scores)          # input orientation: delta = 1/theta
    text = str(res.summary())
    for piece in ("Algorithm 1", f"used               {res.n_used}", "estimated efficient", "L2 = 100",
                  "sigma", "LOWERS efficiency", "1/theta"):
        assert piece in text, piece
    res.to_csv(tmp_path / "second.csv")
    back = pd.read_csv(tmp_path / "second.csv")
    assert list(back["term"]) == ["const", "z", "sigma"]
    np.testing.assert_allclose(back["coefficient"], table["coefficient"])
    pytest.importorskip("openpyxl")
    res.to_excel(tmp_path / "second.xlsx")
    sheets = pd.read_excel(tmp_path / "second.xlsx", sheet_name=None)
    assert {"second stage", "distances", "specification"} <= set(sheets)
    assert sheets["specification"].astype(str).apply(lambda c: c.str.contains("LOWERS efficiency")).any().any()


def test_a_bootstrap_result_is_read_by_its_specification_and_original_scores():
    """fr.bootstrap's result (built on another branch) is read by duck typing: ``.specification`` and a
    ``to_frame()`` with the original ``score`` column (not ``bias_corrected``: Algorithm 2 corrects by itself)."""
    frame = simulate_design(np.random.default_rng(4), 40)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs")

    class BootstrapLike:
        specification = first.spec

        def to_frame(self):
            return pd.DataFrame({"score": first.scores, "bias_corrected": first.scores * 0.9})

    direct = fr.second_stage(first, frame, ["z"], L2=60, random_state=0)
    ducked = fr.second_stage(BootstrapLike(), frame, ["z"], L2=60, random_state=0)
    pd.testing.assert_frame_equal(direct.table(), ducked.table())


# -- (4) bad input ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def small():
    frame = simulate_design(np.random.default_rng(9), 25)
    frame["dummy"] = (frame["z"] > 2).astype(int)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", rts="vrs")
    return frame, first


@pytest.mark.parametrize("change, covariates, message", [
    (lambda f: f.assign(z=f["z"].where(f.index != 3)), ["z"], r"covariate 'z' has missing or infinite values in rows \[3\]"),
    (lambda f: f.assign(z=f["z"].where(f.index != 5, np.inf)), ["z"], r"'z' .*infinite values in rows \[5\]"),
    (lambda f: f.assign(c=7.0), ["z", "c"], r"covariate 'c' is constant"),
    (lambda f: f.assign(z2=2 * f["z"] + 1), ["z", "z2"], r"covariate 'z2' is a linear combination .*collinear"),
    (lambda f: f.assign(s="a"), ["s"], r"covariate 's' is not numeric"),
    (lambda f: f, ["nope"], r"covariate column\(s\) \['nope'\] not found"),
    (lambda f: f, [], r"covariates must name at least one column"),
    (lambda f: f, ["z", "z"], r"covariates named twice"),
])
def test_bad_covariates_name_the_column_and_rows(small, change, covariates, message):
    frame, first = small
    with pytest.raises(ValueError, match=message):
        fr.second_stage(first, change(frame.copy()), covariates, L2=50)


def test_basic_interval_reflects_the_percentile_interval_about_the_estimate():
    """interval="basic" (SW 2007's construction from beta* - beta_hat) is [2 beta_hat - q_hi, 2 beta_hat - q_lo]
    of the same replicates that give the percentile interval [q_lo, q_hi]; the estimates do not change."""
    frame = simulate_design(np.random.default_rng(4), 40)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs")
    percentile = fr.second_stage(first, frame, covariates="z", L2=100, random_state=0)
    basic = fr.second_stage(first, frame, covariates="z", L2=100, random_state=0, interval="basic")
    pd.testing.assert_frame_equal(percentile.replicates, basic.replicates)
    p, b = percentile.table(), basic.table()
    np.testing.assert_allclose(b["coefficient"], p["coefficient"])
    np.testing.assert_allclose(b["lower"], 2 * p["coefficient"] - p["upper"])
    np.testing.assert_allclose(b["upper"], 2 * p["coefficient"] - p["lower"])
    assert "95% basic" in str(basic.summary()) and b.attrs["interval"] == "95% basic bootstrap"
    with pytest.raises(ValueError, match=r"interval must be one of \('percentile', 'basic'\)"):
        fr.second_stage(first, frame, covariates="z", L2=100, interval="bca")


def test_bad_first_stage_and_options(small):
    frame, first = small
    sbm = fr.efficiency(frame, ["x"], ["y"], model="sbm")
    for algorithm in (1, 2):
        with pytest.raises(ValueError, match=r"radial .*model .sbm.*"):
            fr.second_stage(sbm, frame, ["z"], algorithm=algorithm, L2=50)
    with pytest.raises(ValueError, match=r"algorithm=2 .*needs the first stage's model.*not a Series"):
        fr.second_stage(first.scores, frame, ["z"], algorithm=2, L2=50)
    with pytest.raises(ValueError, match=r"mix values below and above 1"):
        fr.second_stage(pd.Series(np.linspace(0.5, 1.5, 25), index=frame.index), frame, ["z"], L2=50)
    with pytest.raises(ValueError, match=r"missing \(NaN: a failed LP\) .*rows \[2\]"):
        fr.second_stage(first.scores.where(first.scores.index != 2), frame, ["z"], L2=50)
    with pytest.raises(ValueError, match=r"data has no rows for the scores' DMUs \[24\]"):
        fr.second_stage(first, frame.iloc[:24], ["z"], L2=50)
    with pytest.raises(ValueError, match=r"0 DMUs with delta > 1 .* too few"):
        fr.second_stage(pd.Series(1.0, index=frame.index), frame, ["z"], L2=50)
    with pytest.raises(ValueError, match=r"algorithm must be 1 or 2"):
        fr.second_stage(first, frame, ["z"], algorithm=3)
    with pytest.raises(ValueError, match=r"L2 = 20 replicates cannot give .* L2 >= 40"):
        fr.second_stage(first, frame, ["z"], L2=20)
    with pytest.raises(ValueError, match=r"alpha must be a number in \(0, 1\)"):
        fr.second_stage(first, frame, ["z"], alpha=1.5)
    with pytest.raises(ValueError, match=r"L1 must be a whole number >= 1"):
        fr.second_stage(first, frame, ["z"], algorithm=2, L1=0)
    with pytest.raises(ValueError, match=r"inputs/outputs differ .* rows \[0\]"):
        fr.second_stage(first, frame.assign(x=frame["x"].where(frame.index != 0, 99.0)), ["z"], algorithm=2, L1=2,
                        L2=50)
    with pytest.raises(ValueError, match=r"first argument must be an EfficiencyResult"):
        fr.second_stage(frame, frame, ["z"])
    # a dummy constant over the inefficient DMUs only: named with the rows it was checked on
    only_inefficient = frame.assign(d=(first.scores == 1).astype(float))
    with pytest.raises(ValueError, match=r"covariate 'd' is constant .*delta > 1"):
        fr.second_stage(first, only_inefficient, ["d"], L2=50)


def test_algorithm_2_refuses_first_stages_it_cannot_replicate(small):
    frame, _ = small
    panel = frame.assign(year=np.repeat([1, 2], [13, 12]))
    per_period = fr.efficiency(panel, ["x"], ["y"], model="radial", orientation="output", period="year")
    with pytest.raises(ValueError, match=r"per-period frontiers \(period='year'\).*algorithm=1"):
        fr.second_stage(per_period, panel, ["z"], algorithm=2, L1=2, L2=50)
    sup = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", super_efficiency=True)
    with pytest.raises(ValueError, match=r"super_efficiency=False"):
        fr.second_stage(sup, frame, ["z"], algorithm=2, L1=2, L2=50)


def test_user_data_is_not_modified(small):
    frame, first = small
    before = frame.copy()
    fr.second_stage(first, frame, ["z", "dummy"], algorithm=2, L1=2, L2=50, random_state=0, lp_method="full")
    pd.testing.assert_frame_equal(frame, before)


# -- (5) the units of a covariate: the fit is the same, its coefficient in the new units -----------------------------

@pytest.mark.parametrize("scale, shift", [(1e4, 0.0), (1e-6, 0.0), (1e14, 0.0), (1.0, 2000.0), (1.0, 1e8),
                                          (-1e4, 2000.0)])
def test_a_covariate_in_other_units_gives_the_same_fit_in_those_units(scale, shift):
    """z_new = scale * z + shift (a unit change, a year written out) is the same regression: beta_z becomes
    beta_z / scale, the intercept const - beta_z * shift / scale, every other coefficient, sigma, the
    log-likelihood and the significance stay; each bootstrap replicate transforms the same way (same seed), so the
    standard errors and intervals do too. Before the covariates were standardised internally, 1e4 and +2000 gave
    "did not converge" and 1e14 and +1e8 "collinear with the intercept"."""
    frame = simulate_design(np.random.default_rng(4), 40)
    frame["w"] = np.random.default_rng(5).uniform(-1.0, 1.0, 40)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs")
    base = fr.second_stage(first, frame, ["z", "w"], L2=100, random_state=0)
    moved = fr.second_stage(first, frame.assign(z=scale * frame["z"] + shift), ["z", "w"], L2=100, random_state=0)
    # the moved values themselves are rounded: to eps * |shift| absolute, i.e. relative to the spread of z
    tol = 1e-8 + 100 * np.finfo(float).eps * abs(shift) / frame["z"].std()

    def close(actual, desired):
        desired = np.asarray(desired, dtype=float)
        np.testing.assert_allclose(np.asarray(actual, dtype=float), desired, rtol=tol, atol=tol * np.abs(desired).max())

    b, m = base.replicates, moved.replicates
    close(m["z"], b["z"] / scale)
    close(m["const"], b["const"] - b["z"] * shift / scale)
    close(m[["w", "sigma"]], b[["w", "sigma"]])
    bt, mt = base.table(), moved.table()
    close(mt.loc["z", "coefficient"], bt.loc["z", "coefficient"] / scale)
    close(mt.loc["const", "coefficient"], bt.loc["const", "coefficient"] - bt.loc["z", "coefficient"] * shift / scale)
    close(mt.loc["z", "std_error"], bt.loc["z", "std_error"] / abs(scale))
    ends = ["lower", "upper"] if scale > 0 else ["upper", "lower"]       # a negative unit swaps the ends
    close(mt.loc["z", ends], bt.loc["z", ["lower", "upper"]] / scale)
    close(mt.loc[["w", "sigma"], ["coefficient", "std_error", "lower", "upper"]],
          bt.loc[["w", "sigma"], ["coefficient", "std_error", "lower", "upper"]])
    assert mt.loc[["z", "w"], "significant"].tolist() == bt.loc[["z", "w"], "significant"].tolist()
    assert moved.loglik == pytest.approx(base.loglik, rel=tol)


def test_algorithm_2_in_other_units_gives_the_same_fit_in_those_units():
    """The bias correction draws delta* from the fitted model over every DMU: shifting a covariate by a year must
    leave the bias-corrected distances and the slope unchanged."""
    frame = simulate_design(np.random.default_rng(8), 30)
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", rts="vrs")
    run = dict(algorithm=2, L1=3, L2=60, random_state=1, lp_method="full")
    base = fr.second_stage(first, frame, ["z"], **run)
    moved = fr.second_stage(first, frame.assign(z=frame["z"] + 2000.0), ["z"], **run)
    np.testing.assert_allclose(moved.delta_bias_corrected, base.delta_bias_corrected, rtol=1e-9)
    np.testing.assert_allclose(moved.replicates["z"], base.replicates["z"], rtol=1e-8)
    np.testing.assert_allclose(moved.replicates["const"], base.replicates["const"] - 2000.0 * base.replicates["z"],
                               rtol=1e-8)


@pytest.mark.parametrize("change, covariates, message", [
    (lambda f: f.assign(c=1e14), ["z", "c"], r"covariate 'c' is constant"),
    (lambda f: f.assign(c=1e-300), ["z", "c"], r"covariate 'c' is constant"),
    (lambda f: f.assign(z2=1e14 * f["z"] + 1e8), ["z", "z2"], r"covariate 'z2' is a linear combination .*collinear"),
    (lambda f: f.assign(z2=1e-6 * f["z"] - 3.0 * f["dummy"] + 2000.0), ["z", "dummy", "z2"],
     r"covariate 'z2' is a linear combination of the intercept and \['z', 'dummy'\].*collinear"),
])
def test_collinearity_is_judged_whatever_the_units(small, change, covariates, message):
    """Standardising for the fit must not hide a truly constant or collinear covariate in any units."""
    frame, first = small
    with pytest.raises(ValueError, match=message):
        fr.second_stage(first, change(frame.copy()), covariates, L2=50)


@pytest.mark.parametrize("name", ["const", "sigma"])
def test_a_covariate_named_like_a_row_of_the_table_is_refused(small, name):
    """The table's rows are const, the covariates and sigma: a covariate called ``sigma`` used to fit and then make
    table(), summary() and to_csv() fail with a raw pandas "duplicate labels" error."""
    frame, first = small
    with pytest.raises(ValueError, match=rf"'{name}' names the table's row of .*; rename that covariate"):
        fr.second_stage(first, frame.assign(**{name: frame["dummy"]}), ["z", name], L2=50)


# -- a regression table as Stata users read it (issue 27 item 5) ---------------------------------------------------

@pytest.fixture(scope="module")
def chinese_design():
    """The SW design with the covariate named in Chinese (国有比重) and a second, irrelevant covariate."""
    frame = simulate_design(np.random.default_rng(11), 120).rename(columns={"z": "国有比重"})
    frame["噪声"] = np.random.default_rng(12).normal(size=len(frame))
    frame["城市"] = [f"c{i:03d}" for i in range(len(frame))]
    first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs", id="城市")
    return frame, fr.second_stage(first, frame, ["国有比重", "噪声"], id="城市", L2=400, random_state=5)


def test_z_p_value_and_stars_are_stata_s_and_the_footnote_says_their_levels(chinese_design):
    _, res = chinese_design
    table = res.table()
    z = table["coefficient"] / table["std_error"]
    np.testing.assert_allclose(table.loc[["const", "国有比重", "噪声"], "z"], z[["const", "国有比重", "噪声"]], rtol=1e-12)
    p = 2 * norm.sf(np.abs(z))
    np.testing.assert_allclose(table.loc[["const", "国有比重", "噪声"], "p_value"], p[:3], rtol=1e-10)
    expected = ["***" if v < 0.01 else "**" if v < 0.05 else "*" if v < 0.1 else "" for v in p[:3]]
    assert table["stars"].tolist()[:3] == expected
    assert table.loc["国有比重", "stars"] != ""             # the true slope 0.5 is found
    assert np.isnan(table.loc["sigma", ["z", "p_value"]].astype(float)).all() and table.loc["sigma", "stars"] == ""
    text = str(res.summary())
    for piece in ("Coef.", "Bootstrap Std. Err.", "P>|z|", "[95% percentile", "*** p < 0.01, ** p < 0.05, * p < 0.1",
                  "it excludes 0 for"):
        assert piece in text, piece
    assert dict(res.summary().rows)["stars"].startswith("*** p < 0.01")


def test_the_regression_table_opens_in_stata_and_excel_with_chinese_terms(chinese_design, tmp_path):
    frame, res = chinese_design
    res.to_stata(tmp_path / "sw.dta")
    back = pd.read_stata(tmp_path / "sw.dta")
    assert list(back.columns) == ["term", "coefficient", "std_error", "z", "p_value", "lower", "upper", "significant",
                                  "stars"]
    assert back["term"].tolist() == ["const", "国有比重", "噪声", "sigma"]
    table = res.table()
    np.testing.assert_allclose(back["p_value"].to_numpy(float)[:3], table["p_value"].to_numpy(float)[:3], rtol=1e-12)
    assert back["stars"].tolist() == table["stars"].tolist()
    assert back["significant"].tolist()[:3] == [float(v) for v in table["significant"][:3]]
    assert np.isnan(back["significant"].iloc[3])
    spec = fr.io.read_specification(tmp_path / "sw.dta")
    assert spec["stars"].startswith("*** p < 0.01") and spec["call"].startswith("frontier.second_stage(scores, data")
    openpyxl = pytest.importorskip("openpyxl")
    res.to_excel(tmp_path / "sw.xlsx")
    book = openpyxl.load_workbook(tmp_path / "sw.xlsx")
    assert book.sheetnames == ["second stage", "distances", "specification"]
    rows = list(book["second stage"].iter_rows(values_only=True))
    assert rows[0][:5] == ("term", "coefficient", "std_error", "z", "p_value") and rows[2][0] == "国有比重"
    assert [cell.value for cell in book["distances"][1]][:2] == ["城市", "delta"]


def test_algorithm_1_on_per_period_frontiers_says_it_pools_them():
    """Issue 27.8: scores from one frontier per year, pooled in one truncated regression, were reported as if from
    one frontier; the summary (and so the exports) now says so, and a global frontier says nothing."""
    rng = np.random.default_rng(3)
    frame = pd.concat([simulate_design(rng, 30).assign(year=year) for year in (2018, 2019, 2020)], ignore_index=True)
    yearly = fr.efficiency(frame, ["x"], ["y"], model="radial", period="year")
    res = fr.second_stage(yearly, frame, "z", L2=100, random_state=0)
    note = dict(res.summary().rows)["frontiers"]
    assert "3 frontiers, one per year" in note and "technology='global'" in note
    assert dict(res.export().specification)["frontiers"] == note
    pooled = fr.efficiency(frame, ["x"], ["y"], model="radial", period="year", technology="global")
    assert "frontiers" not in dict(fr.second_stage(pooled, frame, "z", L2=100, random_state=0).summary().rows)
