"""``frontier.bootstrap`` schemes (heterogeneous, subsampling) and bandwidth rules (frontier/bandwidth.py).

Small seeded data and few replicates; the published comparison (npsf's teradialbc on ccr81) is a validation case.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq, linprog

import frontier as fr
from frontier.analyses.bandwidth import (multivariate_normal_reference, sheather_jones_bandwidth, univariate_bandwidth)
from frontier.analyses import bootstrap as bootstrap_module
from frontier.analyses.bootstrap_methods import (beyond_reach, direction_points, heterogeneous_draws,
                                                 heterogeneous_pseudo, heterogeneous_sample, mix_angles, mix_direction,
                                                 subsample_size)
from frontier.problem import Problem

FIVE = "bootstrap_bandwidth_dea_jl_5dmu"


def firms(seed: int = 0, n: int = 25) -> pd.DataFrame:
    """Two inputs, one output, VRS-shaped frontier y = (x1 x2)^0.4, input efficiency exp(-|N(0, 0.25^2)|)."""
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(1, 5, (n, 2))
    theta = np.exp(-np.abs(rng.normal(0, 0.25, n)))
    return pd.DataFrame({"x1": x0[:, 0] / theta, "x2": x0[:, 1] / theta, "y": (x0[:, 0] * x0[:, 1]) ** 0.4})


def input_theta(ref_x, ref_y, x0, y0) -> float:
    """VRS input theta of (x0, y0) against (ref_x, ref_y) by scipy: min theta, X l <= theta x0, Y l >= y0, sum l = 1."""
    n = len(ref_x)
    A = np.vstack([np.c_[-x0[:, None], ref_x.T], np.c_[np.zeros((ref_y.shape[1], 1)), -ref_y.T]])
    out = linprog(np.r_[1.0, np.zeros(n)], A_ub=A, b_ub=np.r_[np.zeros(ref_x.shape[1]), -y0],
                  A_eq=np.r_[0.0, np.ones(n)][None, :], b_eq=[1.0], bounds=[(None, None)] + [(0, None)] * n,
                  method="highs")
    assert out.status == 0
    return out.fun


@pytest.mark.parametrize("scheme", ["heterogeneous", "subsampling"])
def test_same_seed_same_numbers_whatever_n_jobs(scheme):
    data = firms()
    args = dict(B=4, random_state=5, scheme=scheme, chunk_size=10, **({"kappa": 0.7} if scheme == "subsampling"
                                                                     else {}))
    one = fr.bootstrap(data, ["x1", "x2"], "y", n_jobs=1, **args)
    two = fr.bootstrap(data, ["x1", "x2"], "y", n_jobs=2, **args)
    pd.testing.assert_frame_equal(one.estimates, two.estimates)
    pd.testing.assert_frame_equal(one.replicates, two.replicates)
    other = fr.bootstrap(data, ["x1", "x2"], "y", n_jobs=1, **{**args, "random_state": 6})
    assert not np.allclose(one.replicates.to_numpy(), other.replicates.to_numpy(), equal_nan=True)
    assert one.scheme == scheme and scheme in str(one.summary())


def test_benchmarking_bandwidth_is_exact_on_the_five_dmu_case(validation_dir):
    """R's Benchmarking / DataEnvelopmentAnalysis.jl rule: 0.1341004361869776 (input) and 0.13986344669637404
    (output), VRS, on x = 2, 4, 3, 5, 6; y = 1, 2, 3, 4, 5 (case.md)."""
    data = pd.read_csv(validation_dir / FIVE / "data.csv")
    expected = pd.read_csv(validation_dir / FIVE / "expected.csv").set_index("orientation")["bandwidth"]
    for orientation in ("input", "output"):
        res = fr.bootstrap(data, "x", "y", orientation=orientation, bandwidth="benchmarking", B=2, random_state=0)
        assert res.bandwidth == pytest.approx(expected[orientation], abs=1e-15)
        assert res.bandwidth_rule == "benchmarking"


def test_each_univariate_rule_is_its_formula():
    rng = np.random.default_rng(1)
    distance = np.r_[np.ones(6), 1 + np.abs(rng.normal(0, 0.3, 34))]
    n = len(distance)
    theta = 1 / distance                                            # input orientation: the Farrell scores
    # benchmarking: Farrell scores off 1 reflected, 0.9 min(sd, IQR/1.349) (2m)^-1/5, rescaled by sd(1/theta)
    kept = theta[np.abs(theta - 1) > 1e-5]
    reflected = np.r_[kept, 2 - kept]
    iqr = np.subtract(*np.percentile(reflected, [75, 25])) / 1.349
    h0 = 0.9 * min(reflected.std(ddof=1), iqr) * len(reflected) ** -0.2
    expected = h0 * (len(reflected) / n) ** 0.2 * distance.std(ddof=1) / reflected.std(ddof=1)
    assert univariate_bandwidth(distance, "benchmarking", "input") == pytest.approx(expected, rel=1e-13)
    # Sheather-Jones: the reflected Farrell scores of all DMUs, used as is (npsf: bw.SJ(c(te, 2 - te), "dpi"))
    all_reflected = np.r_[theta, 2 - theta]
    assert univariate_bandwidth(distance, "sj-dpi", "input") == sheather_jones_bandwidth(all_reflected, "dpi")
    assert univariate_bandwidth(distance, "sj", "output") == sheather_jones_bandwidth(
        np.r_[distance, 2 - distance], "ste")
    assert multivariate_normal_reference(40, 3) == pytest.approx((4 / (5 * 40)) ** (1 / 7), rel=1e-15)


def _sheather_jones_brute_force(x: np.ndarray, method: str) -> float:
    """Sheather & Jones (1991) from the unbinned pair sums (every pair, diagonal included)."""
    N = len(x)
    D2 = (x[:, None] - x[None, :]) ** 2

    def phi(g, order):
        u = D2 / (g * g)
        poly = u * u - 6 * u + 3 if order == 4 else u ** 3 - 15 * u * u + 45 * u - 15
        return (np.exp(-u / 2) * poly).sum() / (N * (N - 1) * g ** (order + 1) * np.sqrt(2 * np.pi))

    scale = min(x.std(ddof=1), np.subtract(*np.percentile(x, [75, 25])) / 1.349)
    c1 = 1 / (2 * np.sqrt(np.pi) * N)
    TD = -phi(1.23 * scale * N ** (-1 / 9), 6)
    if method == "dpi":
        return (c1 / phi((2.394 / (N * TD)) ** (1 / 7), 4)) ** 0.2
    alpha2 = 1.357 * (phi(1.24 * scale * N ** (-1 / 7), 4) / TD) ** (1 / 7)
    hmax = 1.144 * scale * N ** -0.2
    return brentq(lambda h: (c1 / phi(alpha2 * h ** (5 / 7), 4)) ** 0.2 - h, 0.05 * hmax, 2 * hmax, xtol=1e-14)


@pytest.mark.parametrize("method", ["ste", "dpi"])
def test_sheather_jones_matches_a_brute_force_evaluation(method):
    """The binned functionals (1000 bins, as R) agree with the exact pair sums to the binning error."""
    x = np.random.default_rng(2).gamma(3.0, 1.0, 300)
    assert sheather_jones_bandwidth(x, method) == pytest.approx(_sheather_jones_brute_force(x, method), rel=2e-3)


def test_subsampling_estimates_are_the_rescaled_formula():
    """bias = (m/n)^r (mean delta* - delta), var = (m/n)^2r var(delta*), interval [delta/(1 + n^-r q97.5),
    delta/(1 + n^-r q2.5)] of u = m^r (delta*/delta - 1), r = 2/(p + q + 1) under VRS; m = round(n^kappa)."""
    data = firms(3, 30)
    res = fr.bootstrap(data, ["x1", "x2"], "y", scheme="subsampling", kappa=0.7, B=30, random_state=1)
    n, r = 30, 2 / 4
    m = subsample_size(n, 0.7)
    assert res.subsample_size == m == round(30 ** 0.7) and res.kappa == 0.7 and res.bandwidth is None
    assert (res.draws.sum(axis=1) == m).all() and (res.reference_size == m).all()
    e = res.estimates
    delta = 1 / e["score"].to_numpy()
    boot = 1 / res.replicates.to_numpy()
    c = (m / n) ** r
    bias = c * (np.nanmean(boot, axis=0) - delta)
    np.testing.assert_allclose(1 / e["bias_corrected"], delta - bias, rtol=1e-12)
    variance = c * c * np.nanvar(boot, axis=0, ddof=1)
    spread = variance > 0                  # a DMU whose replicates all equal its score: ratio 0 (bias 0)
    np.testing.assert_allclose(e["bias_to_variance"][spread], bias[spread] ** 2 / variance[spread], rtol=1e-10)
    q_low, q_high = np.nanquantile(m ** r * (boot / delta - 1), [0.025, 0.975], axis=0)
    np.testing.assert_allclose(1 / e["upper"], delta / (1 + q_high * n ** -r), rtol=1e-12)   # theta = 1/delta
    np.testing.assert_allclose(1 / e["lower"], delta / (1 + q_low * n ** -r), rtol=1e-12)
    crs = fr.bootstrap(data, ["x1", "x2"], "y", rts="crs", scheme="subsampling", kappa=0.7, B=30, random_state=1)
    boot, delta = 1 / crs.replicates.to_numpy(), 1 / crs.estimates["score"].to_numpy()
    c = (m / n) ** (2 / 3)                                        # CRS: r = 2/(p + q)
    np.testing.assert_allclose(1 / crs.estimates["bias_corrected"], delta - c * (np.nanmean(boot, axis=0) - delta),
                               rtol=1e-12)


def test_data_driven_kappa_is_the_least_volatile():
    res = fr.bootstrap(firms(4, 20), ["x1", "x2"], "y", scheme="subsampling", B=6, random_state=2)
    table = res.volatility
    assert list(table.columns) == ["kappa", "m", "volatility"]
    assert res.kappa == table.loc[table["volatility"].idxmin(), "kappa"]
    assert res.subsample_size == subsample_size(20, res.kappa)


def test_mix_angles_round_trip():
    x = np.array([[2.0, 1.0, 4.0], [0.0, 3.0, 1.0], [1.0, 0.0, 0.0]])
    direction = mix_direction(mix_angles(x))
    np.testing.assert_allclose(direction, x / x.max(axis=1, keepdims=True), atol=1e-15)


@pytest.mark.parametrize("n_inputs", [1, 2])
def test_heterogeneous_pseudo_dmus_lie_at_their_drawn_distance(n_inputs):
    """Step 4: each pseudo DMU's input distance to the estimated (VRS) frontier is its drawn delta**. With one
    input the mix is degenerate: Z = (y, delta), no angle, and the pseudo input is delta** times the frontier input
    at the drawn output."""
    data = firms(5, 15)
    X, Y = data[["x1", "x2"][:n_inputs]].to_numpy(), data[["y"]].to_numpy()
    theta = np.array([input_theta(X, Y, X[j], Y[j]) for j in range(len(X))])
    Z = heterogeneous_sample(Y, X, 1 / theta)
    assert Z.shape[1] == 1 + (n_inputs - 1) + 1
    drawn = heterogeneous_draws(Z, 1, multivariate_normal_reference(15, Z.shape[1]), 3, np.random.default_rng(0),
                                "input")
    assert (drawn[:, :, -1] >= 1).all() and (drawn[:, :, 0] <= Y.max()).all()
    points = direction_points(drawn[1], 1, "input")
    frontier_theta = np.array([input_theta(X, Y, p[:n_inputs], p[n_inputs:]) for p in points])
    pseudo = heterogeneous_pseudo(points, frontier_theta, drawn[1, :, -1], slice(0, n_inputs))
    distance = [1 / input_theta(X, Y, p[:n_inputs], p[n_inputs:]) for p in pseudo]
    np.testing.assert_allclose(distance, drawn[1, :, -1], rtol=1e-7)
    np.testing.assert_allclose(pseudo[:, n_inputs:], drawn[1, :, :1])       # the output as drawn


def test_heterogeneous_bootstrap_end_to_end():
    res = fr.bootstrap(firms(6, 20), ["x1", "x2"], "y", scheme="heterogeneous", B=8, random_state=3)
    e = res.estimates.dropna(subset=["lower"])
    assert len(e) >= 15 and ((e["lower"] <= e["upper"]) & (e["upper"] <= e["score"] + 0.05)).all()
    assert res.bandwidth == pytest.approx(multivariate_normal_reference(20, 3))
    assert (res.reference_size <= 20).all() and (res.draws.to_numpy() >= 1).all()


def test_nirs_is_offered():
    res = fr.bootstrap(firms(7, 15), ["x1", "x2"], "y", rts="nirs", B=4, random_state=0)
    plain = fr.efficiency(firms(7, 15), ["x1", "x2"], "y", model="radial", rts="nirs")
    np.testing.assert_allclose(res.estimates["score"], plain.scores, rtol=1e-9)


@pytest.mark.parametrize("kwargs, message", [
    (dict(scheme="wild"), r"scheme must be one of 'homogeneous', 'heterogeneous', 'subsampling', got 'wild'"),
    (dict(scheme="subsampling", bandwidth="silverman"), "uses no bandwidth"),
    (dict(scheme="heterogeneous", bandwidth="sj"), "multivariate density"),
    (dict(kappa=0.7), "belongs to scheme='subsampling'"),
    (dict(scheme="subsampling", kappa=1.0), r"kappa must be a number in \(0, 1\)"),
    (dict(scheme="subsampling", kappa="0.7"), r"kappa must be a number in \(0, 1\)"),
    (dict(bandwidth="scott"), "'benchmarking', 'sj', 'sj-dpi'"),
    (dict(rts="ndrs"), "'crs', 'vrs', 'nirs'"),
])
def test_bad_options_are_refused_clearly(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fr.bootstrap(firms(), ["x1", "x2"], "y", B=3, **kwargs)


def reachable(reference: np.ndarray, point: np.ndarray, orientation: str, rts: str) -> bool:
    """Whether some lambda >= 0 (sum 1 under VRS, <= 1 under NIRS) has Z lambda >= point (input orientation: the
    outputs) or Z lambda <= point (output orientation: the inputs), by scipy."""
    sign = -1.0 if orientation == "input" else 1.0
    n = len(reference)
    kind = {"A_eq": np.ones((1, n)), "b_eq": [1.0]} if rts == "vrs" else {}
    A_ub = sign * reference.T
    if rts == "nirs":
        A_ub = np.vstack([A_ub, np.ones((1, n))])
    b_ub = np.r_[sign * point, [1.0] * (rts == "nirs")]
    return linprog(np.zeros(n), A_ub=A_ub, b_ub=b_ub, bounds=[(0, None)] * n, method="highs", **kind).status == 0


@pytest.mark.parametrize("orientation, rts", [("input", "vrs"), ("input", "nirs"), ("output", "vrs"),
                                              ("output", "nirs"), ("input", "crs")])
def test_beyond_reach_flags_only_unreachable_points(orientation, rts):
    rng = np.random.default_rng(5)
    reference = rng.uniform(1, 10, (8, 2))
    points = rng.uniform(0.5, 12, (60, 2))
    flagged = beyond_reach(points, reference, orientation, rts)
    truth = np.array([not reachable(reference, z, orientation, rts) for z in points])
    assert not (flagged & ~truth).any()                      # never a reachable point
    if rts == "crs" or (orientation, rts) == ("output", "nirs"):
        assert not flagged.any()                             # no certificate there: nothing screened
    else:
        assert flagged.sum() >= 0.7 * truth.sum() > 0        # most of the unreachable ones
    tie = beyond_reach(reference[:1] * (1 + 1e-9 * (1 if orientation == "input" else -1)), reference, orientation,
                       rts)
    assert not tie.any()                                     # within the margin: left to the engine


@pytest.mark.parametrize("scheme, orientation", [("heterogeneous", "input"), ("subsampling", "input"),
                                                 ("heterogeneous", "output")])
def test_screened_replicates_are_the_engines(monkeypatch, scheme, orientation):
    """The screen only saves LPs: the same replicates (to the LPs' rounding: the engine's last bits depend on which
    LPs share a batch), failures and draws as with every LP sent to the engine, and fewer LPs sent."""
    data = firms(8, 30).assign(y2=lambda f: f["y"] * np.random.default_rng(2).uniform(0.5, 1.5, len(f)))
    sent = []
    evaluate = Problem.evaluate_many

    def counted(self, requests, **kwargs):
        sent.append(sum(len(points) for points, _ in requests))
        return evaluate(self, requests, **kwargs)

    monkeypatch.setattr(Problem, "evaluate_many", counted)
    kwargs = dict(B=8, scheme=scheme, orientation=orientation, random_state=4, kappa=0.7 if scheme == "subsampling"
                  else None)
    screened = fr.bootstrap(data, ["x1", "x2"], ["y", "y2"], **kwargs)
    lps_screened, sent[:] = sum(sent), []
    monkeypatch.setattr(bootstrap_module, "beyond_reach", lambda fixed, *args: np.zeros(len(fixed), dtype=bool))
    every = fr.bootstrap(data, ["x1", "x2"], ["y", "y2"], **kwargs)
    assert lps_screened < sum(sent)
    pd.testing.assert_frame_equal(screened.replicate_failures, every.replicate_failures)
    np.testing.assert_allclose(screened.replicates, every.replicates, rtol=1e-12, atol=0)
    np.testing.assert_array_equal(screened.draws, every.draws)
    np.testing.assert_array_equal(screened.reference_size, every.reference_size)
