"""res.multipliers for every model of fr.efficiency: the dual weights in the user's units, checked against an
independent cvxpy multiplier form (where the dual is unique) and by strong duality and dual feasibility everywhere."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

# (model, options): radial in both orientations, SBM (non-oriented and oriented), DDF, NDDF, SBM-DDF
CASES = [
    ("radial", dict(orientation="input")),
    ("radial", dict(orientation="output")),
    ("sbm", dict(orientation="nonoriented")),
    ("sbm", dict(orientation="input")),
    ("ddf", dict()),
    ("nddf", dict()),
    ("sbm_ddf", dict()),
]


def firms(seed: int, n: int = 12, bads: bool = True) -> pd.DataFrame:
    """Units of very different sizes (column means far from 1, so the LP's scaling is exercised)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"K": rng.uniform(1, 10, n) * 1000.0, "L": rng.uniform(1, 10, n) * 0.01})
    df["Y"] = (df.K ** 0.4 * (100 * df.L) ** 0.5) * rng.uniform(0.5, 1.0, n) * 50
    if bads:
        df["CO2"] = df.K * rng.uniform(0.2, 0.6, n) * 0.001
    return df


def columns(df):
    return ["K", "L"], ["Y"], [c for c in ("CO2",) if c in df.columns]


def multiplier_value(model, orientation, mult, data, m, s1):
    """The multiplier form's value at the DMU's own data (formulas of EfficiencyResult.multipliers)."""
    x, y, b = data[:, :m], data[:, m:m + s1], data[:, m + s1:]
    v, u, mu = mult[:, :m], mult[:, m:m + s1], mult[:, m + s1:-1]
    omega = mult[:, -1]
    vx, uy, mb = (v * x).sum(1), (u * y).sum(1), (mu * b).sum(1)
    if model == "radial":
        return uy - mb - omega if orientation == "input" else vx + mb + omega
    if model == "sbm":      # rho, and delta for the DMUs scored by super-SBM
        return 1 - vx + uy - mb - omega
    if model == "ebm":      # gamma (v'x0 = 1), kappa (both forms); output: 1 / eta
        if orientation == "output":
            return 1 / (vx + omega)
        return 1 - vx + uy - mb - omega if orientation == "nonoriented" else uy - mb - omega
    return vx - uy + mb + omega


@pytest.mark.parametrize("model, options", CASES)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("bads, disposability", [(False, None), (True, "weak"), (True, "strong")])
def test_multipliers_strong_duality_and_feasibility_everywhere(model, options, rts, bads, disposability):
    """Every DMU, efficient or not: the score is the multiplier form's value, and the weights support the frontier
    (v'x_j - u'y_j + mu'b_j + omega >= 0 for every reference DMU, v, u >= 0; mu >= 0 where the bad rows are
    inequalities)."""
    if model not in ("radial", "ddf", "nddf") and disposability == "strong":
        pytest.skip("SBM models treat bad outputs through their slacks (no disposability option)")
    df = firms(3, bads=bads)
    inputs, outputs, bad = columns(df)
    envelopment = model in ("radial", "ddf", "nddf")
    extra = {"bad_disposability": disposability} if disposability and envelopment else {}
    res = fr.efficiency(df, inputs, outputs, bad, model=model, rts=rts, **options, **extra)
    mult = res.multipliers
    names = inputs + outputs + bad
    assert list(mult.columns) == names + ["omega", "status"]
    W = mult[names + ["omega"]].to_numpy(dtype=float)
    assert np.isfinite(W).all()
    data = df[names].to_numpy()
    m, s1 = len(inputs), len(outputs)
    np.testing.assert_allclose(multiplier_value(model, options.get("orientation"), W, data, m, s1),
                               res.scores.to_numpy(), atol=1e-7)
    # the supporting hyperplane, relative to the size of its terms
    sign = np.r_[np.ones(m), -np.ones(s1), np.ones(len(bad))]
    terms = W[:, None, :-1] * (data * sign)[None, :, :]
    support = terms.sum(axis=2) + W[:, -1:]
    magnitude = np.abs(terms).sum(axis=2) + np.abs(W[:, -1:])
    assert (support >= -1e-7 * magnitude).all()
    assert (W[:, : m + s1] >= -1e-9 * np.abs(W[:, :-1]).max(axis=1, keepdims=True)).all()
    if bad and (disposability == "strong" or not envelopment):
        assert (W[:, m + s1:-1] >= -1e-9).all()
    if rts == "crs":
        assert (W[:, -1] == 0).all()
    efficient = 0.0 if model in ("ddf", "nddf", "sbm_ddf") else 1.0
    assert ((mult["status"] == "on_frontier") == (res.scores == efficient)).all()
    assert (mult.loc[res.scores != efficient, "status"] == "optimal").all()


@pytest.mark.parametrize("model, options", CASES)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_multipliers_match_an_independent_cvxpy_dual_where_it_is_unique(model, options, rts):
    """Inefficient DMUs whose dual is unique (a random functional is constant over cvxpy's optimal face): the
    weights equal cvxpy's multiplier form, in the user's units; its value is the score."""
    df = firms(5, n=16)
    inputs, outputs, bad = columns(df)
    names = inputs + outputs + bad
    res = fr.efficiency(df, inputs, outputs, bad, model=model, rts=rts, **options)
    M = df[names].to_numpy()
    X, Y, B = M[:, :2], M[:, 2:3], M[:, 3:]
    G = ref.direction("observed", X, Y, B)
    mult = res.multipliers
    W = mult[names + ["omega"]].to_numpy(dtype=float)
    probe = np.random.default_rng(0).uniform(0.5, 1.5, len(names) + 1)
    unique = 0
    for o in np.flatnonzero(mult["status"] == "optimal"):
        status, value, (low, high, w) = ref.multiplier_form(
            model, X, Y, B, o, rts=rts, orientation=options.get("orientation"), disposability="weak", g=G[o],
            probe=probe * np.r_[M.mean(axis=0), 1.0])     # each term of order 1
        assert status == "optimal"
        assert res.scores.iloc[o] == pytest.approx(value, abs=1e-7)
        if high - low > 1e-6 * (1 + abs(high)):
            continue                                     # a degenerate dual: many optimal weights
        np.testing.assert_allclose(W[o] * np.r_[M.mean(axis=0), 1.0], w * np.r_[M.mean(axis=0), 1.0],
                                   atol=1e-5, rtol=1e-5)
        unique += 1
    assert unique >= 3


# EBM in its three orientations (one with super-EBM) and the DMUs scored by super-SBM: (model, options)
SUPER_CASES = [
    ("ebm", dict(orientation="input")),
    ("ebm", dict(orientation="output")),
    ("ebm", dict(orientation="nonoriented")),
    ("ebm", dict(orientation="nonoriented", bounded=True)),
    ("ebm", dict(orientation="input", super_efficiency=True)),
    ("sbm", dict(orientation="nonoriented", super_efficiency=True)),
    ("sbm", dict(orientation="input", super_efficiency=True)),
    ("sbm", dict(orientation="output", super_efficiency=True)),
]


def reference_dual(model, options, res, X, Y, B, o, probe):
    """The independent cvxpy dual of DMU o's LP: EBM (self-excluded where super-EBM scored it) with the parameters
    the run used, or super-SBM."""
    orientation, sup = options["orientation"], options.get("super_efficiency", False) and res.scores.iloc[o] >= 1
    if model == "sbm":
        return ref.super_sbm_multiplier_form(X, Y, B, o, rts=res.spec.rts, orientation=orientation, probe=probe)
    p = res.spec.parameters
    eps = (p["epsilon"].get("input", 0.0), p["epsilon"].get("output", 0.0))
    names = list(res.targets.columns)
    w = np.array([p["weights"].get(v, 1.0) for v in names])
    bounded = options.get("bounded", orientation == "nonoriented" and res.spec.rts != "crs")   # default: VRS
    return ref.ebm_multiplier_form(X, Y, B, o, rts=res.spec.rts, orientation=orientation, epsilon=eps, weights=w,
                                   super_eff=bool(sup), probe=probe, bounded=bounded)


@pytest.mark.parametrize("model, options", SUPER_CASES)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("bads", [False, True])
def test_ebm_and_super_sbm_multipliers_are_their_lps_duals(model, options, rts, bads):
    """Every DMU: the score is the dual's value and the weights support the frontier (for a self-excluded LP, every
    other DMU); on the first DMU of each case whose dual is unique (super-SBM-scored, or EBM-inefficient /
    super-EBM-scored), the weights equal an independent cvxpy dual's, in the user's units."""
    df = firms(7 if model == "sbm" else 3, bads=bads)
    inputs, outputs, bad = columns(df)
    names = inputs + outputs + bad
    res = fr.efficiency(df, inputs, outputs, bad, model=model, rts=rts, **options)
    mult = res.multipliers
    assert list(mult.columns) == names + ["omega", "status"]
    ok = res.scores.notna().to_numpy()
    W = mult[names + ["omega"]].to_numpy(dtype=float)
    assert np.isfinite(W[ok]).all() and np.isnan(W[~ok]).all()
    assert (mult.loc[~ok, "status"] == res.status[~ok]).all()
    data = df[names].to_numpy()
    m, s1 = len(inputs), len(outputs)
    np.testing.assert_allclose(multiplier_value(model, options["orientation"], W[ok], data[ok], m, s1),
                               res.scores.to_numpy()[ok], rtol=1e-7, atol=1e-7)
    sign = np.r_[np.ones(m), -np.ones(s1), np.ones(len(bad))]
    terms = W[ok, None, :-1] * (data * sign)[None, :, :]
    support = terms.sum(axis=2) + W[ok, -1:]
    magnitude = np.abs(terms).sum(axis=2) + np.abs(W[ok, -1:])
    excluded = options.get("super_efficiency", False) & (res.scores.to_numpy()[ok] >= 1)
    support[excluded, np.flatnonzero(ok)[excluded]] = 0.0         # a self-excluded LP need not support its DMU
    assert (support >= -1e-7 * magnitude).all()
    assert (W[ok][:, :m] >= -1e-9).all() and (W[ok][:, m + s1:-1] >= -1e-9).all()
    if rts == "crs":
        assert (W[ok, -1] == 0).all()
    scale = np.r_[data.mean(axis=0), 1.0]
    probe = np.random.default_rng(0).uniform(0.5, 1.5, len(names) + 1) * scale
    X, Y, B = data[:, :m], data[:, m:m + s1], data[:, m + s1:]
    super_scored = (res.scores >= 1).to_numpy() if options.get("super_efficiency") else None
    candidates = np.flatnonzero(ok & (super_scored if model == "sbm" else
                                      (res.scores < 1).to_numpy() | (super_scored if super_scored is not None
                                                                     else False)))
    assert candidates.size
    unique = 0
    for o in candidates:
        status, value, (low, high, w) = reference_dual(model, options, res, X, Y, B, o, probe)
        assert status == "optimal"
        assert res.scores.iloc[o] == pytest.approx(1 / value if model == "ebm" and options["orientation"] == "output"
                                                   else value, rel=1e-6, abs=1e-7)
        if high - low <= 1e-6 * (1 + abs(high)):
            np.testing.assert_allclose(W[o] * scale, w * scale, atol=1e-5, rtol=1e-5)
            unique += 1
        if unique:
            break
    assert unique


def test_super_sbm_dmus_get_the_super_sbm_dual_and_failed_lps_are_nan():
    df = firms(7)
    inputs, outputs, bad = columns(df)
    res = fr.efficiency(df, inputs, outputs, bad, model="sbm", rts="vrs", super_efficiency=True)
    mult = res.multipliers
    super_scored = (res.scores > 1).to_numpy()
    assert super_scored.any()
    assert (mult.loc[super_scored, "status"] == "optimal").all()
    assert mult.loc[super_scored, inputs + outputs + bad + ["omega"]].notna().all().all()
    # an infeasible super-efficiency LP: NaN weights with the LP's status
    radial = fr.efficiency(df, inputs, outputs, model="radial", rts="vrs", orientation="output",
                           super_efficiency=True)
    failed = radial.scores.isna()
    if failed.any():
        assert radial.multipliers.loc[failed, "K"].isna().all()
        assert (radial.multipliers.loc[failed, "status"] == radial.status[failed]).all()


def test_a_result_without_duals_says_which_model_it_is():
    """A result that carries no duals (not made by fr.efficiency) gets an error naming its model, not the caller."""
    from dataclasses import replace

    res = fr.efficiency(firms(3), ["K", "L"], ["Y"], model="ebm", rts="vrs")
    with pytest.raises(ValueError, match="model='ebm' does not report its multiplier form"):
        replace(res, multiplier_weights=None).multipliers


def test_multipliers_are_snapped_to_zero_at_the_slack_tolerance():
    """Issue 27.8: a dual of -1e-17 beside weights of order one (strongly disposable SO2, VRS DDF, period by period) was
    reported as a negative shadow price; the solver's noise is now exactly 0, like a slack below the tolerance."""
    from frontier.datasets import synthetic_city_panel

    panel = synthetic_city_panel(30, 4, seed=2)
    res = fr.efficiency(panel, ["capital", "labour", "energy"], ["value_added"], ["so2"], model="ddf", rts="vrs",
                        period="year", bad_disposability="strong")
    weights = res.multipliers[["capital", "labour", "energy", "value_added", "so2", "omega"]].to_numpy(dtype=float)
    scale = np.r_[panel[["capital", "labour", "energy", "value_added", "so2"]].mean().to_numpy(), 1.0]
    terms = np.abs(weights * scale)                       # each weight's term at the variables' means
    noise = (terms > 0) & (terms <= 1e-9 * terms.max(axis=1, keepdims=True))
    assert not noise.any()
    prices = res.shadow_prices("value_added")["so2"].to_numpy(dtype=float)
    assert (prices[np.isfinite(prices)] >= 0).all()        # strong disposability: mu >= 0, no -1e-17
    assert (prices == 0).any()                            # the snapped ones are exact zeros
