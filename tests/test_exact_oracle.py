"""Scores against an exact rational LP oracle (tests/exact_lp.py), on data no floating-point tolerance
can be trusted with: values far below their column's mean, columns spanning 1e-8..1e12 (issue 10, item 1).

Each model is written here directly from its formulation (docs: formulations.md) in exact rationals, with the
instance's floats converted exactly, so the reference is the true optimum of the data frontier was given.
frontier must return it to a relative error of ``REL_TOL``, or NaN with status ``numerical_error`` (never a
wrong number)."""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from exact_lp import solve_lp

REL_TOL = 1e-6


def exact_sbm(X, Y, B, o, rts):
    """Tone's non-oriented SBM, Charnes-Cooper form: variables [t, S- (m), Sg (s1), Sb (s2), Lambda (n)]."""
    n, m, s1, s2 = len(X), len(X[0]), len(Y[0]), len(B[0]) if B else 0
    d = m + s1 + s2
    rows = [[list(X[j]) + list(Y[j]) + (list(B[j]) if B else []) for j in range(n)]][0]
    rows = [[Fraction(v) for v in r] for r in rows]
    v0 = rows[o]
    c = [Fraction(1)] + [-Fraction(1, m) / v0[i] for i in range(m)] + [Fraction(0)] * (s1 + s2 + n)
    A_eq, b_eq = [], []
    A_eq.append([Fraction(1)] + [Fraction(0)] * m + [Fraction(1, s1 + s2) / v0[m + r] for r in range(s1 + s2)]
                + [Fraction(0)] * n)
    b_eq.append(1)
    for v in range(d):
        sign = -1 if m <= v < m + s1 else 1
        A_eq.append([-v0[v]] + [Fraction(sign if k == v else 0) for k in range(d)] + [rows[j][v] for j in range(n)])
        b_eq.append(0)
    if rts == "vrs":
        A_eq.append([Fraction(-1)] + [Fraction(0)] * d + [Fraction(1)] * n)
        b_eq.append(0)
    return solve_lp(c, A_eq=A_eq, b_eq=b_eq)


def exact_radial_input(X, Y, o, rts):
    """CCR / BCC input-oriented envelopment: min theta, X'lambda <= theta x0, Y'lambda >= y0."""
    n, m, s = len(X), len(X[0]), len(Y[0])
    X = [[Fraction(v) for v in r] for r in X]
    Y = [[Fraction(v) for v in r] for r in Y]
    c = [Fraction(1)] + [Fraction(0)] * n
    A_ub = [[-X[o][i]] + [X[j][i] for j in range(n)] for i in range(m)]
    A_ub += [[Fraction(0)] + [-Y[j][r] for j in range(n)] for r in range(s)]
    b_ub = [0] * m + [-Y[o][r] for r in range(s)]
    A_eq, b_eq = ([[Fraction(0)] + [Fraction(1)] * n], [1]) if rts == "vrs" else ([], [])
    return solve_lp(c, A_ub, b_ub, A_eq, b_eq, free=[0])


def exact_ddf(X, Y, B, o, rts):
    """Radial DDF with the observed direction, strongly disposable bad outputs: max beta (free)."""
    n, m, s1, s2 = len(X), len(X[0]), len(Y[0]), len(B[0])
    F = [[Fraction(v) for v in list(X[j]) + list(Y[j]) + list(B[j])] for j in range(n)]
    g = F[o]
    c = [Fraction(-1)] + [Fraction(0)] * n
    A_ub, b_ub = [], []
    for v in range(m + s1 + s2):
        if m <= v < m + s1:       # -Y'lambda + beta g_y <= -y0
            A_ub.append([g[v]] + [-F[j][v] for j in range(n)])
            b_ub.append(-g[v])
        else:                     # X'lambda + beta g_x <= x0
            A_ub.append([g[v]] + [F[j][v] for j in range(n)])
            b_ub.append(g[v])
    A_eq, b_eq = ([[Fraction(0)] + [Fraction(1)] * n], [1]) if rts == "vrs" else ([], [])
    status, value, x = solve_lp(c, A_ub, b_ub, A_eq, b_eq, free=[0])
    return status, (None if value is None else -value), x


def check(got, status, exact_status, exact, *, distance=False):
    """Error of one frontier score against the exact one (0 when frontier honestly reports a failure).

    A failed slack stage (status ``slacks_...``) keeps the score, which is checked like an optimal one."""
    status = "optimal" if status.startswith("slacks_") else status
    if status == "numerical_error" or (exact_status == "optimal" and status != "optimal"):
        assert np.isnan(got), (got, status)          # an honest failure (NaN), never a number
        return 0.0, 1
    if exact_status != "optimal":
        assert np.isnan(got) and status == exact_status, (got, status, exact_status)
        return 0.0, 0
    assert status == "optimal" and np.isfinite(got), (got, status, float(exact))
    exact = float(exact)
    if distance:                   # beta in [0, 1): absolute error
        return abs(got - exact), 0
    return abs(got - exact) / abs(exact) if exact != 0 else abs(got), 0


# ----------------------------------------------------------------------------------------------------
# the repros
# ----------------------------------------------------------------------------------------------------

def test_exact_lp_solver_on_known_lps():
    assert solve_lp([-3, -2], [[1, 1], [1, 3], [1, 0]], [4, 6, 3])[1] == -11          # max 3x + 2y -> 11 at (3, 1)
    assert solve_lp([1, 1], [[-1, 0]], [-2], [[1, -1]], [5])[1] == 5                  # x >= 2, x - y = 5
    assert solve_lp([1], [[1]], [-1])[0] == "infeasible"                              # x <= -1, x >= 0
    assert solve_lp([-1, 0], [[-1, 1]], [1])[0] == "unbounded"
    assert solve_lp([1], A_eq=[[1]], b_eq=[Fraction(-3, 2)], free=[0])[1] == Fraction(-3, 2)   # a free variable
    # degenerate (Beale-type cycling example is avoided by Bland's rule)
    status, value, _ = solve_lp([Fraction(-3, 4), 150, Fraction(-1, 50), 6],
                                [[Fraction(1, 4), -60, Fraction(-1, 25), 9], [Fraction(1, 2), -90, Fraction(-1, 50), 3],
                                 [0, 0, 1, 0]], [0, 0, 1])
    assert status == "optimal" and value == Fraction(-1, 20)


def test_tiny_bad_output_scores_exactly_one():
    """A bad output of 1e-6 among values 0.3..153 gave C an SBM score of -8.7e-08 with status optimal."""
    df = pd.DataFrame({"x": [75.0, 327.0, 8.7], "y": [74.0, 255.0, 4.1], "b": [0.28, 153.0, 1e-6]}, index=list("ABC"))
    res = fr.efficiency(df, ["x"], ["y"], ["b"], model="sbm")
    X, Y, B = df[["x"]].to_numpy().tolist(), df[["y"]].to_numpy().tolist(), df[["b"]].to_numpy().tolist()
    for o in range(3):
        assert exact_sbm(X, Y, B, o, "vrs")[1] == 1
    assert res.scores.tolist() == [1.0, 1.0, 1.0] and (res.status == "optimal").all()
    assert (res.targets.to_numpy() >= 0).all()


@pytest.mark.parametrize("method", ["auto", "full"])
def test_column_spanning_twenty_orders_of_magnitude(method):
    """x = 1e-8, 1, 1e12 with y = 1: SBM CRS and radial input CCR/BCC are 1, 1e-8, 1e-20 (were 0, 0, 0)."""
    df = pd.DataFrame({"x": [1e-8, 1.0, 1e12], "y": [1.0, 1.0, 1.0]})
    exact = [float(exact_sbm([[v] for v in df.x], [[1.0]] * 3, [], o, "crs")[1]) for o in range(3)]
    np.testing.assert_allclose(exact, [1.0, 1e-8, 1e-20], rtol=1e-15)    # exact: 1e-8 / 1e12 of the floats
    sbm = fr.efficiency(df, ["x"], ["y"], model="sbm", rts="crs", method=method)
    np.testing.assert_allclose(sbm.scores, exact, rtol=1e-12)
    for rts in ("crs", "vrs"):
        radial = fr.efficiency(df, ["x"], ["y"], model="radial", rts=rts, method=method)
        np.testing.assert_allclose(radial.scores, exact, rtol=1e-12)


# ----------------------------------------------------------------------------------------------------
# random badly scaled instances
# ----------------------------------------------------------------------------------------------------

def random_instance(rng):
    n = int(rng.integers(5, 8))
    m, s2 = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    values = 10.0 ** rng.uniform(-8, 12, size=(n, m + 1 + s2))
    cols = [f"x{i}" for i in range(m)], ["y"], [f"b{k}" for k in range(s2)]
    return pd.DataFrame(values, columns=sum(cols, [])), *cols


N_INSTANCES = 12


def test_random_badly_scaled_instances_against_exact_oracle():
    rng = np.random.default_rng(20240610)
    worst = {"sbm": 0.0, "radial": 0.0, "ddf": 0.0}
    failures = checked = wrong = 0
    for _ in range(N_INSTANCES):
        df, inputs, outputs, bads = random_instance(rng)
        X, Y = df[inputs].to_numpy().tolist(), df[outputs].to_numpy().tolist()
        B = df[bads].to_numpy().tolist() if bads else []
        n = len(df)
        for rts in ("crs", "vrs"):
            res = fr.efficiency(df, inputs, outputs, bads, model="sbm", rts=rts)
            for o in range(n):
                status, value, _ = exact_sbm(X, Y, B, o, rts)
                err, fail = check(res.scores[o], res.status[o], status, value)
                worst["sbm"], failures, checked = max(worst["sbm"], err), failures + fail, checked + 1
                wrong += err > REL_TOL
            res = fr.efficiency(df, inputs, outputs, model="radial", rts=rts)
            for o in range(n):
                status, value, _ = exact_radial_input(X, Y, o, rts)
                err, fail = check(res.scores[o], res.status[o], status, value)
                worst["radial"], failures, checked = max(worst["radial"], err), failures + fail, checked + 1
                wrong += err > REL_TOL
        if bads:
            res = fr.efficiency(df, inputs, outputs, bads, model="ddf", rts="vrs", bad_disposability="strong")
            for o in range(n):
                status, value, _ = exact_ddf(X, Y, B, o, "vrs")
                err, fail = check(res.scores[o], res.status[o], status, value, distance=True)
                worst["ddf"], failures, checked = max(worst["ddf"], err), failures + fail, checked + 1
                wrong += err > REL_TOL
    print(f"exact oracle: {checked} LPs on {N_INSTANCES} instances, worst error {worst}, "
          f"{wrong} wrong, {failures} honest failures (NaN)")
    print("WRONG", wrong)
    assert max(worst.values()) <= REL_TOL, worst
    assert failures <= checked // 20
