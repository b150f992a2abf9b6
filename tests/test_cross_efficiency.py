"""Cross-efficiency (``fr.cross_efficiency``): against an independent scipy formulation of the CCR, Doyle & Green
and Liang et al. multiplier LPs (primal form, where the package solves their envelopment duals), and properties."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr

INPUTS, OUTPUTS = ["x1", "x2"], ["y1", "y2"]


def random_data(seed: int, n: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n, 2))
    Y = np.column_stack([X[:, 0] ** 0.6 * X[:, 1] ** 0.3, rng.uniform(1, 5, n)]) * rng.uniform(0.4, 1, (n, 1))
    return pd.DataFrame(np.hstack([X, Y]), columns=INPUTS + OUTPUTS)


def multiplier_lp(X, Y, objective_u, equalities, maximise=True):
    """Optimise objective_u @ u over (v, u) >= 0 with u'y_j - v'x_j <= 0 and the given equalities
    [(coef_v, coef_u, rhs)]; returns the optimum."""
    n, m = X.shape
    c = np.r_[np.zeros(m), objective_u] * (-1 if maximise else 1)
    A_eq = np.array([np.r_[cv, cu] for cv, cu, _ in equalities])
    b_eq = np.array([r for *_, r in equalities])
    res = linprog(c, A_ub=np.hstack([-X, Y]), b_ub=np.zeros(n), A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * (m + Y.shape[1]),
                  method="highs")
    assert res.status == 0, res.message
    return -res.fun if maximise else res.fun


def ccr(X, Y, d):
    return multiplier_lp(X, Y, Y[d], [(X[d], np.zeros(Y.shape[1]), 1.0)])


def game_reference(X, Y, alpha, tolerance, max_iter=500):
    """Liang et al.'s (2008) algorithm on the primal multiplier LPs."""
    n = len(X)
    for _ in range(max_iter):
        values = np.array([[_game_lp(X, Y, d, j, alpha[d]) for j in range(n)] for d in range(n)])
        new = values.mean(axis=0)
        if np.abs(new - alpha).max() <= tolerance:
            return new
        alpha = new
    raise AssertionError("the reference game did not converge")


def _game_lp(X, Y, d, j, alpha_d):
    n, m = X.shape
    s = Y.shape[1]
    A_ub = np.vstack([np.hstack([-X, Y]), np.r_[alpha_d * X[d], -Y[d]][None, :]])
    res = linprog(np.r_[np.zeros(m), -Y[j]], A_ub=A_ub, b_ub=np.zeros(n + 1), A_eq=np.r_[X[j], np.zeros(s)][None, :],
                  b_eq=[1.0], bounds=[(0, None)] * (m + s), method="highs")
    assert res.status == 0
    return -res.fun


@pytest.mark.parametrize("seed", [1, 2])
def test_simple_diagonal_is_the_ccr_score_and_weights_are_optimal(seed):
    df = random_data(seed)
    X, Y = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    res = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="simple")
    theta = np.array([ccr(X, Y, d) for d in range(len(df))])
    np.testing.assert_allclose(np.diag(res.matrix), theta, rtol=1e-7)
    np.testing.assert_allclose(res.table["ccr"], theta, rtol=1e-7)
    assert (res.matrix.to_numpy() <= 1).all() and (res.matrix.to_numpy() > 0).all()


@pytest.mark.parametrize("variant", ["aggressive", "benevolent"])
@pytest.mark.parametrize("seed", [1, 3])
def test_secondary_goals_against_scipy(seed, variant):
    """The weights keep each DMU's CCR score and reach the scipy optimum of the secondary goal u'Y_d (v'X_d = 1)."""
    df = random_data(seed)
    X, Y = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    res = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant=variant)
    W = res.weights.to_numpy()
    V, U = W[:, :2], W[:, 2:]
    theta = np.array([ccr(X, Y, d) for d in range(len(df))])
    np.testing.assert_allclose(np.diag(res.matrix), theta, rtol=1e-6)
    assert ((U @ Y.T) <= (V @ X.T) * (1 + 1e-7)).all()                # every DMU rated <= 1
    for d in range(len(df)):
        Xo, Yo = X.sum(axis=0) - X[d], Y.sum(axis=0) - Y[d]
        best = multiplier_lp(X, Y, Yo, [(Xo, np.zeros(2), 1.0), (-theta[d] * X[d], Y[d], 0.0)],
                             maximise=variant == "benevolent")
        assert (U[d] @ Yo) / (V[d] @ Xo) == pytest.approx(best, rel=1e-6, abs=1e-9)


def test_benevolent_mean_is_at_least_aggressive_and_summary_columns():
    df = random_data(4, n=12)
    agg = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="aggressive")
    ben = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="benevolent")
    assert ben.table["cross_efficiency"].mean() >= agg.table["cross_efficiency"].mean() - 1e-9
    t = agg.table
    M = agg.matrix.to_numpy()
    np.testing.assert_allclose(t["cross_efficiency"], M.mean(axis=0))
    np.testing.assert_allclose(t["peer_appraisal"], (M.sum(axis=0) - np.diag(M)) / (len(df) - 1))
    np.testing.assert_allclose(t["maverick"], (t["ccr"] - t["peer_appraisal"]) / t["peer_appraisal"])
    assert t["rank"].min() == 1 and t.loc[t["cross_efficiency"].idxmax(), "rank"] == 1


def test_game_converges_to_the_reference_equilibrium():
    df = random_data(5, n=6)
    X, Y = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    res = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="game", tolerance=1e-7)
    assert res.converged and res.iterations >= 1
    game = res.table["cross_efficiency"].to_numpy()
    assert (game <= 1).all() and (game > 0).all()
    assert (game <= res.table["ccr"] + 1e-9).all()
    start = res.history.iloc[0].to_numpy()                       # the aggressive mean cross-efficiencies
    agg = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="aggressive")
    np.testing.assert_allclose(start, agg.table["cross_efficiency"])
    np.testing.assert_allclose(game, game_reference(X, Y, start, 1e-7), atol=1e-5)
    np.testing.assert_allclose(np.diag(res.matrix), res.table["ccr"], rtol=1e-7)   # against itself: its CCR score


def test_game_that_does_not_converge_warns():
    df = random_data(5, n=6)
    with pytest.warns(RuntimeWarning, match="did not converge"):
        res = fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="game", tolerance=1e-12, max_iter=1)
    assert res.converged is False


def test_export_and_refusals(tmp_path):
    df = random_data(6)
    res = fr.cross_efficiency(df, INPUTS, OUTPUTS)
    res.to_excel(tmp_path / "cross.xlsx")
    sheets = pd.read_excel(tmp_path / "cross.xlsx", sheet_name=None)
    assert any("matrix" in name for name in sheets) and any("weights" in name for name in sheets)
    assert "cross-efficiency" in res.summary()
    bad = df.copy()
    bad.loc[3, "x1"] = 0.0
    with pytest.raises(ValueError, match="positive inputs"):
        fr.cross_efficiency(bad, INPUTS, OUTPUTS)
    with pytest.raises(ValueError, match="variant"):
        fr.cross_efficiency(df, INPUTS, OUTPUTS, variant="neutral")
