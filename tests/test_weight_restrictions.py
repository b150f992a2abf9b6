"""Weight restrictions for the radial and SBM families (issue 30, item 7): ``weight_cone=`` (homogeneous linear
restrictions sum_j a_j w_j >= 0 on the input and desirable-output weights: cone ratios, AR-II) beside
``weight_bounds=`` (assurance region I), for radial and SBM (and super-SBM), against independent cvxpy
formulations written here from the mathematics, BOTH the multiplier form (the restricted dual) and the envelopment
form (the trade-off technology of Podinovski 2004), on random and badly scaled data; their invariants; the
refusals; the command line."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import cvxpy as cp
import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402  (the solver settings and the solve helper only)

TOL = 1e-6
INPUTS, OUTPUTS = ["K", "L", "E"], ["Y1", "Y2"]
COLUMNS = INPUTS + OUTPUTS


def make_data(seed: int, badly_scaled: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    M = rng.uniform(1.0, 10.0, (16, 5))
    if badly_scaled:
        M *= np.array([1e-4, 1.0, 1e6, 1e3, 1e-3])
    return pd.DataFrame(M, columns=COLUMNS)


DATA = {"random": make_data(11, False), "badly_scaled": make_data(12, True)}


def restrictions(df: pd.DataFrame, which: str) -> list[dict]:
    """Restriction rows in the user's units, written on the weights' value shares (w_j times the column's mean),
    so that they mean the same on the badly scaled data (where the coefficients then span 1e-4 .. 1e6)."""
    m = df.mean()
    rows = {
        # assurance region I as cone rows: 0.5 <= (v_K mK) / (v_L mL) <= 2, (u_Y1 m1) <= 3 (u_Y2 m2)
        "ar1": [{"L": 2 * m.L, "K": -m.K}, {"K": m.K, "L": -0.5 * m.L}, {"Y2": 3 * m.Y2, "Y1": -m.Y1}],
        # AR-II, linking an output weight to an input weight, and a three-weight cone row
        "ar2": [{"Y1": m.Y1, "E": -0.2 * m.E}, {"K": m.K, "L": m.L, "E": -m.E}],
        # a mixed cone: v_K mK <= v_L mL + v_E mE, u_Y2 m2 >= 0.5 u_Y1 m1 - 0.1 v_K mK
        "cone": [{"K": -m.K, "L": m.L, "E": m.E}, {"Y2": m.Y2, "Y1": -0.5 * m.Y1, "K": 0.1 * m.K}],
    }
    return rows[which]


def matrices(rows: list[dict]):
    """The rows as (A_in, A_out): A_in v + A_out u >= 0."""
    A = np.array([[row.get(c, 0.0) for c in COLUMNS] for row in rows])
    return A[:, :3], A[:, 3:]


@pytest.fixture(autouse=True)
def simplex_for_badly_scaled(request, monkeypatch):
    """The interior-point reference is inaccurate on the badly scaled data: solved by simplex there (as in
    tests/test_fixed_and_weights.py)."""
    if "badly_scaled" in request.node.name:
        monkeypatch.setattr(ref, "SOLVER", "HIGHS")
        monkeypatch.setattr(ref, "SOLVER_OPTS", {})


def omega_for(rts):
    return cp.Variable() if rts == "vrs" else 0.0


def rts_rows(total, rts, scale=1.0):
    return [total == scale] if rts == "vrs" else []


# ----------------------------------------------------------------------------------------------------
# independent formulations, from the mathematics (user units)
# ----------------------------------------------------------------------------------------------------

def radial_multiplier(X, Y, o, A_in, A_out, rts, orientation):
    """theta = max u'y0 - omega s.t. v'x0 = 1 (input); phi = min v'x0 + omega s.t. u'y0 = 1 (output);
    v'x_j - u'y_j + omega >= 0 for every j; A_in v + A_out u >= 0; v, u >= 0."""
    v, u = cp.Variable(X.shape[1], nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
    omega = omega_for(rts)
    cons = [X @ v - Y @ u + omega >= 0, A_in @ v + A_out @ u >= 0]
    if orientation == "input":
        return ref._solve(cp.Maximize(Y[o] @ u - omega), cons + [X[o] @ v == 1])[1]
    return ref._solve(cp.Minimize(X[o] @ v + omega), cons + [Y[o] @ u == 1])[1]


def radial_envelopment(X, Y, o, A_in, A_out, rts, orientation):
    """The dual: min theta s.t. X'lambda + A_in'pi <= theta x0, Y'lambda - A_out'pi >= y0 (output: phi y0 and
    x0), lambda, pi >= 0: the radial score against the trade-off technology."""
    lam, pi, score = cp.Variable(len(X), nonneg=True), cp.Variable(len(A_in), nonneg=True), cp.Variable()
    inputs, outputs = X.T @ lam + A_in.T @ pi, Y.T @ lam - A_out.T @ pi
    if orientation == "input":
        cons, objective = [inputs <= score * X[o], outputs >= Y[o]], cp.Minimize(score)
    else:
        cons, objective = [inputs <= X[o], outputs >= score * Y[o]], cp.Maximize(score)
    return ref._solve(objective, cons + rts_rows(cp.sum(lam), rts))[1]


def sbm_costs(X, Y, o, orientation):
    m, s = X.shape[1], Y.shape[1]
    c_in = np.full(m, 1.0 / m) / X[o] if orientation != "output" else np.zeros(m)
    c_out = np.full(s, 1.0 / s) / Y[o] if orientation != "input" else np.zeros(s)
    return c_in, c_out


def sbm_multiplier(X, Y, o, A_in, A_out, rts, orientation):
    """Tone's (2001) SBM dual with the restrictions added: max xi s.t. xi + (v + eta)'x0 - u'y0 + omega = 1,
    v'x_j - u'y_j + omega >= 0, A_in v + A_out u >= 0, v + eta >= c_in, u >= xi c_out, v, eta >= 0; eta are the
    duals of the inputs' target rows (0 wherever the target is positive; without restrictions eta = 0 is optimal).
    Returns (score, v, u, omega)."""
    c_in, c_out = sbm_costs(X, Y, o, orientation)
    v, eta = cp.Variable(X.shape[1], nonneg=True), cp.Variable(X.shape[1], nonneg=True)
    u, xi = cp.Variable(Y.shape[1]), cp.Variable()
    omega = omega_for(rts)
    cons = [xi + X[o] @ (v + eta) - Y[o] @ u + omega == 1, X @ v - Y @ u + omega >= 0,
            A_in @ v + A_out @ u >= 0, v + eta >= c_in, u >= xi * c_out, u >= 0]
    return ref._solve(cp.Maximize(xi), cons)[1]


def sbm_envelopment(X, Y, o, A_in, A_out, rts, orientation):
    """SBM against the trade-off technology within the orthant, T = {(x, y) >= 0: x >= X'lambda + A_in'pi,
    y <= Y'lambda - A_out'pi}, as a Charnes-Cooper LP: min t - c_in'S s.t. t + c_out'G = 1,
    X'L + A_in'P + S <= t x0, S <= t x0, Y'L - A_out'P - G >= t y0, L, P, S, G >= 0."""
    c_in, c_out = sbm_costs(X, Y, o, orientation)
    t = cp.Variable(nonneg=True)
    lam, pi = cp.Variable(len(X), nonneg=True), cp.Variable(len(A_in), nonneg=True)
    S, G = cp.Variable(X.shape[1], nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
    cons = [t + c_out @ G == 1, X.T @ lam + A_in.T @ pi + S <= t * X[o], S <= t * X[o],
            Y.T @ lam - A_out.T @ pi - G >= t * Y[o]] + rts_rows(cp.sum(lam), rts, t)
    return ref._solve(cp.Minimize(t - c_in @ S), cons)[1]


def super_sbm_envelopment(X, Y, o, A_in, A_out, rts):
    """Non-oriented super-SBM against the trade-off technology of the other DMUs: min (1 + mean s-/x0) /
    (1 - mean sg/y0) s.t. X_{-o}'lambda + A_in'pi <= x0 + s-, Y_{-o}'lambda - A_out'pi >= y0 - sg, sg <= y0;
    Charnes-Cooper form."""
    c_in, c_out = sbm_costs(X, Y, o, "nonoriented")
    keep = np.arange(len(X)) != o
    t = cp.Variable(nonneg=True)
    lam, pi = cp.Variable(keep.sum(), nonneg=True), cp.Variable(len(A_in), nonneg=True)
    S, G = cp.Variable(X.shape[1], nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
    cons = [t - c_out @ G == 1, X[keep].T @ lam + A_in.T @ pi <= t * X[o] + S,
            Y[keep].T @ lam - A_out.T @ pi >= t * Y[o] - G, G <= t * Y[o]] + rts_rows(cp.sum(lam), rts, t)
    return ref._solve(cp.Minimize(t + c_in @ S), cons)[1]


def arrays(df):
    return df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()


def close(engine, reference, tol=TOL):
    engine, reference = np.asarray(engine, float), np.asarray(reference, float)
    assert np.allclose(engine, reference, rtol=tol, atol=tol), np.c_[engine, reference]


def satisfies_cone(res, rows, df):
    """The reported weights satisfy every restriction, judged relative to the DMU's weights altogether (weight x
    the column's mean): a weight of 1e-9 next to weights of order 1 is the LP's tolerance."""
    w = res.multipliers.table
    means = df[COLUMNS].mean()
    size = (np.abs(w[COLUMNS]) * means).sum(axis=1).to_numpy()
    for row in rows:
        value = sum(coefficient * w[name].to_numpy() for name, coefficient in row.items())
        scale = sum(abs(coefficient) / means[name] for name, coefficient in row.items())
        assert (value >= -1e-7 * size * scale).all(), (row, value)


# ----------------------------------------------------------------------------------------------------
# radial: the cone in both forms
# ----------------------------------------------------------------------------------------------------

# every restriction set on the random data; the badly scaled data with the most general set (the cone) only
RADIAL_CASES = [(d, r, o, w) for d in DATA for r in ("crs", "vrs") for o in ("input", "output")
                for w in ("ar1", "ar2", "cone") if d == "random" or w == "cone"]
SBM_CASES = [(d, r, o, w) for d in DATA for r in ("crs", "vrs") for o in ("nonoriented", "input", "output")
             for w in ("ar1", "ar2", "cone") if d == "random" or w == "cone"]


@pytest.mark.parametrize("data, rts, orientation, which", RADIAL_CASES)
def test_radial_cone_matches_both_forms(data, rts, orientation, which):
    df = DATA[data]
    X, Y = arrays(df)
    rows = restrictions(df, which)
    A_in, A_out = matrices(rows)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="radial", rts=rts, orientation=orientation, weight_cone=rows)
    assert (res.status == "optimal").all()
    close(res.scores, [radial_multiplier(X, Y, o, A_in, A_out, rts, orientation) for o in range(len(df))])
    close(res.scores, [radial_envelopment(X, Y, o, A_in, A_out, rts, orientation) for o in range(len(df))])
    satisfies_cone(res, rows, df)
    # the slacks are measured to the trade-off point and are >= 0 without clipping: target = moved point - slack
    moved = df[COLUMNS].to_numpy().copy()
    side = slice(0, 3) if orientation == "input" else slice(3, 5)
    moved[:, side] *= res.scores.to_numpy()[:, None]
    sign = np.array([1, 1, 1, -1, -1])
    close(res.targets[COLUMNS].to_numpy() / moved, (moved - sign * res.slacks[COLUMNS].to_numpy()) / moved)


def test_radial_slacks_are_measured_to_the_trade_off_point():
    """Before, the max-slack stage measured the slacks to the reference combination X'lambda, which under weight
    restrictions can lie beyond the radially moved point by the restriction columns' part (up to 76 % of a value
    here): those negative slacks were clipped to 0, the targets mixed the two points, and the sum maximised was
    not that of the reported slacks. Now the slacks are the rows' own, theta x0 - (X'lambda + A_in'pi) and
    (Y'lambda - A_out'pi) - y0, >= 0, and their sum (in the data's units) is the largest on the score's optimal
    face: the cvxpy second stage written from that definition."""
    df = DATA["random"]
    X, Y = arrays(df)
    bounds = {("K", "L"): (0.5, 2.0), ("Y1", "Y2"): (0.25, 4.0)}
    rows = [{"L": 2.0, "K": -1.0}, {"K": 1.0, "L": -0.5}, {"Y2": 4.0, "Y1": -1.0}, {"Y1": 1.0, "Y2": -0.25}]
    A_in, A_out = matrices(rows)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="radial", rts="crs", weight_bounds=bounds)
    theta = res.scores.to_numpy()
    expected = []
    for o in range(len(df)):
        lam, pi = cp.Variable(len(X), nonneg=True), cp.Variable(len(rows), nonneg=True)
        s_in = theta[o] * X[o] - (X.T @ lam + A_in.T @ pi)
        s_out = Y.T @ lam - A_out.T @ pi - Y[o]
        expected.append(ref._solve(cp.Maximize(cp.sum(s_in) + cp.sum(s_out)), [s_in >= 0, s_out >= 0])[1])
    close(res.slacks[COLUMNS].sum(axis=1), expected, tol=1e-5)
    close(res.targets[INPUTS] + res.slacks[INPUTS], theta[:, None] * X)
    close(res.targets[OUTPUTS] - res.slacks[OUTPUTS], Y)


# ----------------------------------------------------------------------------------------------------
# SBM: the restricted dual and the envelopment form
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, rts, orientation, which", SBM_CASES)
def test_sbm_cone_matches_both_forms(data, rts, orientation, which):
    df = DATA[data]
    X, Y = arrays(df)
    rows = restrictions(df, which)
    A_in, A_out = matrices(rows)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", rts=rts, orientation=orientation, weight_cone=rows)
    assert (res.status == "optimal").all()
    close(res.scores, [sbm_multiplier(X, Y, o, A_in, A_out, rts, orientation) for o in range(len(df))])
    close(res.scores, [sbm_envelopment(X, Y, o, A_in, A_out, rts, orientation) for o in range(len(df))])
    satisfies_cone(res, rows, df)
    # the score is the SBM ratio of the reported slacks, and the targets are observed -/+ slacks, >= 0
    x0, y0 = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    s_in, s_out = res.slacks[INPUTS].to_numpy(), res.slacks[OUTPUTS].to_numpy()
    assert (res.slacks.to_numpy() >= 0).all() and (res.targets.to_numpy() >= 0).all()
    close(res.targets[INPUTS], x0 - s_in)
    close(res.targets[OUTPUTS], y0 + s_out)
    top = 1 - (s_in / x0).mean(axis=1) if orientation != "output" else 1.0
    bottom = 1 + (s_out / y0).mean(axis=1) if orientation != "input" else 1.0
    close(res.scores, top / bottom)
    # the multipliers: every DMU on or above the hyperplane, and where no input target is 0 (eta = 0) Tone's
    # identity rho = 1 - v'x0 + u'y0 - omega
    w = res.multipliers.table
    v, u, omega = w[INPUTS].to_numpy(), w[OUTPUTS].to_numpy(), w["omega"].to_numpy()
    hyper = v @ x0.T - u @ y0.T + omega[:, None]
    assert (hyper >= -1e-7 * (v @ x0.T + u @ y0.T)).all()
    inner = (res.targets[INPUTS].to_numpy() > 1e-6 * x0).all(axis=1)
    assert inner.any()
    identity = 1 - (v * x0).sum(axis=1) + (u * y0).sum(axis=1) - omega
    close(identity[inner], res.scores.to_numpy()[inner])


def test_sbm_targets_stay_in_the_orthant():
    """Tone's dual with a restriction that makes one input's weight large (v_K mK >= 20 v_L mL) would, without the
    inputs' target rows, project onto negative amounts of L (the trade-off direction trades K for L without limit):
    the score would fall below 0. The target rows keep every target >= 0 and the score in [0, 1]; at least one DMU
    has its L target at 0 there, and the cvxpy envelopment form without those rows is lower."""
    df = DATA["random"]
    X, Y = arrays(df)
    m = df.mean()
    rows = [{"K": m.K, "L": -20 * m.L}]
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", rts="crs", weight_cone=rows)
    assert (res.scores >= 0).all() and (res.scores <= 1 + 1e-9).all()
    assert (res.targets.to_numpy() >= 0).all()
    at_zero = (res.targets["L"] <= 1e-9 * df["L"]).to_numpy()
    assert at_zero.any()
    A_in, A_out = matrices(rows)
    close(res.scores, [sbm_envelopment(X, Y, o, A_in, A_out, "crs", "nonoriented") for o in range(len(df))])
    close(res.scores, [sbm_multiplier(X, Y, o, A_in, A_out, "crs", "nonoriented") for o in range(len(df))])
    o = int(np.flatnonzero(at_zero)[0])
    c_in, c_out = sbm_costs(X, Y, o, "nonoriented")
    t, lam, pi = cp.Variable(nonneg=True), cp.Variable(len(X), nonneg=True), cp.Variable(1, nonneg=True)
    S, G = cp.Variable(3, nonneg=True), cp.Variable(2, nonneg=True)
    without = ref._solve(cp.Minimize(t - c_in @ S), [t + c_out @ G == 1, X.T @ lam + A_in.T @ pi + S <= t * X[o],
                                                       Y.T @ lam - A_out.T @ pi - G >= t * Y[o]])[1]
    assert without < res.scores.iloc[o] - 1e-6


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_super_sbm_takes_the_restrictions(data, rts):
    """The hybrid super-SBM: the SBM-efficient DMUs (under the restrictions) get delta against the trade-off
    technology of the others (Tone 2002 with the restrictions' columns), the others keep rho."""
    df = DATA[data]
    X, Y = arrays(df)
    rows = restrictions(df, "ar1")
    A_in, A_out = matrices(rows)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", rts=rts, super_efficiency=True, weight_cone=rows)
    plain = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", rts=rts, weight_cone=rows)
    efficient = (plain.scores >= 1 - 1e-6).to_numpy()
    assert efficient.any() and (~efficient).any()
    close(res.scores[~efficient], plain.scores[~efficient])
    ok = (res.status == "optimal").to_numpy() & efficient
    assert ok.any()
    close(res.scores[ok], [super_sbm_envelopment(X, Y, o, A_in, A_out, rts) for o in np.flatnonzero(ok)])
    assert (res.scores[ok] >= 1 - 1e-9).all()


# ----------------------------------------------------------------------------------------------------
# invariants
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model, orientation", [("radial", "input"), ("radial", "output"), ("sbm", "nonoriented"),
                                                ("sbm", "input"), ("sbm", "output")])
def test_tighter_restrictions_never_raise_the_score(model, orientation):
    """Nested cones: no restriction, a loose AR-I, a tight one, the tight one plus an AR-II row. The efficiency
    (theta, rho; 1 / phi) can only fall."""
    df = DATA["badly_scaled"]
    m = df.mean()
    loose = [{"L": 10 * m.L, "K": -m.K}, {"K": m.K, "L": -0.1 * m.L}]
    tight = [{"L": 2 * m.L, "K": -m.K}, {"K": m.K, "L": -0.5 * m.L}]
    linked = tight + [{"Y1": m.Y1, "E": -0.2 * m.E}]
    run = lambda rows: fr.efficiency(df, INPUTS, OUTPUTS, model=model, rts="vrs", orientation=orientation,
                                     weight_cone=rows).scores.to_numpy()
    scores = [run(None), run(loose), run(tight), run(linked)]
    efficiency = [1 / s if orientation == "output" and model == "radial" else s for s in scores]
    for wider, narrower in zip(efficiency, efficiency[1:]):
        assert (narrower <= wider + 1e-9).all()
    assert (efficiency[3] < efficiency[0] - 1e-6).any()


@pytest.mark.parametrize("model", ["radial", "sbm"])
def test_a_restriction_the_optimum_satisfies_leaves_the_score(model):
    """For each of a few DMUs: a restriction its unrestricted optimal weights already satisfy (a bound on v_K/v_L
    and on u_Y1/u_Y2 around their values, and an AR-II row through them) leaves its score unchanged (its optimum
    stays feasible in the smaller multiplier set), while the same restriction is not empty (some DMU moves)."""
    df = DATA["random"]
    plain = fr.efficiency(df, INPUTS, OUTPUTS, model=model, rts="vrs")
    w = plain.multipliers.table
    moved_any = False
    for o in (2, 5, 9):
        ratio_in = max(w["K"].iloc[o], 1e-3) / max(w["L"].iloc[o], 1e-3)
        rows = [{"L": 1.5 * ratio_in, "K": -1.0}, {"K": 1.0, "L": -ratio_in / 1.5}]
        if w["Y1"].iloc[o] > 0 and w["E"].iloc[o] > 0:
            rows.append({"Y1": 1.0, "E": -0.5 * w["Y1"].iloc[o] / w["E"].iloc[o]})
        if not all(sum(c * w[n].iloc[o] for n, c in row.items()) >= 0 for row in rows):
            continue
        res = fr.efficiency(df, INPUTS, OUTPUTS, model=model, rts="vrs", weight_cone=rows)
        close(res.scores.iloc[o], plain.scores.iloc[o])
        moved_any |= bool((np.abs(res.scores - plain.scores) > 1e-6).any())
    assert moved_any


def test_no_restriction_is_the_unrestricted_model():
    """weight_cone=None (not given) gives the plain model's numbers exactly; restrictions far wider than any
    optimum's weights give them up to the LP's tolerance."""
    df = DATA["random"]
    for model in ("radial", "sbm"):
        plain = fr.efficiency(df, INPUTS, OUTPUTS, model=model)
        none = fr.efficiency(df, INPUTS, OUTPUTS, model=model, weight_cone=None)
        close(none.scores, plain.scores, tol=0)
        wide = fr.efficiency(df, INPUTS, OUTPUTS, model=model, weight_cone=[{"L": 1e6, "K": -1.0},
                                                                            {"K": 1e6, "L": -1.0}])
        close(wide.scores, plain.scores)


def test_weight_bounds_and_their_cone_rows_are_one_model():
    """An AR-I bound and the cone rows it stands for give the same numbers, for radial and SBM: one mechanism."""
    df = DATA["badly_scaled"]
    bounds = {("K", "L"): (0.5, 2.0), ("Y1", "Y2"): (None, 3.0)}
    rows = [{"L": 2.0, "K": -1.0}, {"K": 1.0, "L": -0.5}, {"Y2": 3.0, "Y1": -1.0}]
    for model in ("radial", "sbm"):
        a = fr.efficiency(df, INPUTS, OUTPUTS, model=model, weight_bounds=bounds)
        b = fr.efficiency(df, INPUTS, OUTPUTS, model=model, weight_cone=rows)
        close(a.scores, b.scores, tol=1e-9)
        c = fr.efficiency(df, INPUTS, OUTPUTS, model=model, weight_cone=pd.DataFrame(rows))   # a table, NaN = 0
        close(a.scores, c.scores, tol=1e-9)


def test_productivity_takes_sbm_restrictions():
    """productivity() with SBM (hybrid super-SBM, the cross-period distances through super-SBM) runs with a cone
    and records it; the indices differ from the unrestricted ones."""
    rng = np.random.default_rng(7)
    panel = pd.DataFrame(rng.uniform(1, 10, (24, 5)), columns=COLUMNS)
    panel["firm"] = np.repeat(np.arange(8), 3)
    panel["year"] = np.tile([2001, 2002, 2003], 8)
    rows = [{"L": 2.0, "K": -1.0}, {"Y1": 1.0, "E": -0.3}]
    prod = fr.productivity(panel, "firm", "year", INPUTS, OUTPUTS, model="sbm", weight_cone=rows)
    plain = fr.productivity(panel, "firm", "year", INPUTS, OUTPUTS, model="sbm")
    assert prod.spec.model_options["weight_cone"]
    a, b = prod.to_frame()["index"].to_numpy(dtype=float), plain.to_frame()["index"].to_numpy(dtype=float)
    assert np.isfinite(a).any() and not np.allclose(a, b, equal_nan=True)


# ----------------------------------------------------------------------------------------------------
# refusals and the command line
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(weight_cone=[{"K": 1.0, "L": -2.0}, {"L": 1.0, "K": -2.0}]), r"force the weights of \['K', 'L'\] to 0"),
    (dict(weight_cone=[{"K": -1.0}]), r"force the weights of \['K'\] to 0"),
    (dict(weight_cone=[{"K": 1.0, "L": 2.0}]), "restricts nothing"),
    (dict(weight_cone=[{"K": 0.0}]), "no nonzero coefficient"),
    (dict(weight_cone=[]), "non-empty list"),
    (dict(weight_cone=[{"K": "a"}]), "must be a finite number"),
    (dict(weight_cone=[{"Z": 1.0, "K": -1.0}]), "names 'Z', which is not an input or desirable output"),
    (dict(weight_cone=np.eye(2)), "non-empty list"),
    (dict(weight_bounds={("K", "Y1"): (0.5, 2)}), "a weight_cone row"),
    (dict(model="ebm", weight_cone=[{"K": 1.0, "L": -1.0}]), "has no option 'weight_cone'"),
])
def test_refusals(kwargs, message):
    with pytest.raises(ValueError, match=message):
        fr.efficiency(DATA["random"], INPUTS, OUTPUTS, **{"model": "sbm", **kwargs})


def test_bad_outputs_weights_are_not_restricted():
    df = DATA["random"].assign(B=np.linspace(1, 2, 16))
    with pytest.raises(ValueError, match="names 'B', which is a bad output"):
        fr.efficiency(df, INPUTS, OUTPUTS, ["B"], model="sbm", weight_cone=[{"B": 1.0, "K": -1.0}])


def test_command_line_offers_and_takes_the_cone(tmp_path):
    from frontier.cli import main

    env = {**os.environ, "PYTHONPATH": os.path.dirname(os.path.dirname(os.path.abspath(__file__)))}
    help_text = subprocess.run([sys.executable, "-m", "frontier", "efficiency", "--help"], capture_output=True,
                               text=True, env=env, check=True).stdout
    assert "--weight-cone" in help_text and "--weight-bounds" in help_text
    df = DATA["random"]
    path, out = tmp_path / "data.csv", tmp_path / "scores.csv"
    df.to_csv(path, index=False)
    rows = [{"L": 2.0, "K": -1.0}, {"Y1": 1.0, "E": -0.3}]
    code = main(["efficiency", str(path), "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--model", "sbm",
                 "--weight-cone", json.dumps(rows), "-q", "-o", str(out)])
    assert code == 0
    api = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", weight_cone=rows)
    close(pd.read_csv(out, encoding="utf-8-sig")["score"], api.scores)
