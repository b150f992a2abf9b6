"""Partial frontiers (issue 31.4): FDH against a brute-force loop, order-m against its exact expectation and the
one-input integral of the survival function, the limits (order-m -> FDH as m grows, order-alpha = FDH at alpha =
1), determinism, refusals, exports and figures."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import integrate

import frontier as fr
from frontier.analyses import partial
from frontier.io import read_specification


def _data(n=40, p=2, q=2, seed=0, integers=False):
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n, p))
    Y = rng.uniform(1, 10, (n, q))
    if integers:                                   # ties: dominance with equal values must count
        X, Y = np.round(X), np.round(Y)
    cols = [f"x{i}" for i in range(p)] + [f"y{r}" for r in range(q)]
    return pd.DataFrame(np.hstack([X, Y]), columns=cols), cols[:p], cols[p:]


def _fdh_loop(X, Y, orientation):
    """FDH by its definition, one pair at a time."""
    n = len(X)
    out = np.empty(n)
    for o in range(n):
        best = np.inf if orientation == "input" else -np.inf
        for j in range(n):
            if orientation == "input" and all(Y[j] >= Y[o]):
                best = min(best, max(X[j, i] / X[o, i] for i in range(X.shape[1])))
            if orientation == "output" and all(X[j] <= X[o]):
                best = max(best, min(Y[j, r] / Y[o, r] for r in range(Y.shape[1])))
        out[o] = best
    return out


@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("integers", [False, True])
def test_fdh_equals_a_brute_force_loop(orientation, integers):
    df, x, y = _data(integers=integers)
    res = fr.partial_frontier(df, x, y, estimator="fdh", orientation=orientation)
    expected = _fdh_loop(df[x].to_numpy(), df[y].to_numpy(), orientation)
    np.testing.assert_allclose(res.scores.to_numpy(), expected, rtol=1e-14)
    assert (res.scores <= 1).all() if orientation == "input" else (res.scores >= 1).all()


def test_fdh_is_the_same_whatever_the_block_size(monkeypatch):
    df, x, y = _data(n=50)
    whole = fr.partial_frontier(df, x, y, estimator="fdh").scores
    monkeypatch.setattr(partial, "BLOCK_VALUES", 7 * 50)         # blocks of 7 rows
    np.testing.assert_array_equal(fr.partial_frontier(df, x, y, estimator="fdh").scores, whole)


@pytest.mark.parametrize("orientation", ["input", "output"])
def test_order_m_converges_to_fdh(orientation):
    df, x, y = _data(n=40)
    fdh = fr.partial_frontier(df, x, y, estimator="fdh", orientation=orientation).scores.to_numpy()
    distance = []
    for m in (5, 25, 200):
        res = fr.partial_frontier(df, x, y, m=m, orientation=orientation, random_state=3)
        distance.append(np.abs(res.scores.to_numpy() - fdh).mean())
    assert distance[0] > distance[1] > distance[2]
    # m = 10^4 draws out of at most 40 units: the best unit is drawn with probability 1 - (39/40)^10^4 ~ 1
    big = fr.partial_frontier(df, x, y, m=10_000, orientation=orientation, random_state=3)
    np.testing.assert_allclose(big.scores.to_numpy(), fdh, rtol=1e-12)


@pytest.mark.parametrize("orientation", ["input", "output"])
def test_order_m_draws_agree_with_the_exact_expectation(orientation):
    """Monte Carlo within 4.5 of its own standard errors of E[min of m draws], computed as the sum over the sorted
    values; some scores beyond the partial frontier (super-efficient)."""
    df, x, y = _data(n=40)
    res = fr.partial_frontier(df, x, y, m=10, B=4000, orientation=orientation, random_state=11)
    X, Y = df[x].to_numpy(), df[y].to_numpy()
    c = np.sort(partial.pair_values(X, Y, np.arange(len(df)), orientation), axis=1)
    sign = 1 if orientation == "input" else -1
    exact = np.array([sign * partial.order_m_exact(row, 10) for row in c])
    z = (res.scores.to_numpy() - exact) / np.maximum(res.std_error.to_numpy(), 1e-12)
    assert np.abs(z).max() < 4.5
    assert res.super_efficient.any()


def test_order_m_against_the_one_input_survival_integral():
    """One input: theta_m(x0, y0) = int_0^inf (1 - F(u x0 | y0))^m du, F the share of the DMUs producing at least
    y0 whose input is at most u x0 (Cazals, Florens & Simar 2002), integrated numerically."""
    df, x, y = _data(n=30, p=1, q=2, seed=5)
    m = 4
    res = fr.partial_frontier(df, x, y, m=m, B=20_000, random_state=1)
    X, Y = df[x].to_numpy()[:, 0], df[y].to_numpy()
    for o in range(len(df)):
        peers = X[(Y >= Y[o]).all(axis=1)] / X[o]

        def survival(u):
            return (1 - np.mean(peers <= u)) ** m
        integral = integrate.quad(survival, 0, peers.max(), points=sorted(peers), limit=200)[0]
        assert abs(res.scores.iloc[o] - integral) < 4.5 * res.std_error.iloc[o] + 1e-12, o


def test_order_alpha_is_fdh_at_one_and_monotone():
    df, x, y = _data(n=40)
    for orientation in ("input", "output"):
        fdh = fr.partial_frontier(df, x, y, estimator="fdh", orientation=orientation).scores
        at_one = fr.partial_frontier(df, x, y, estimator="order_alpha", alpha=1.0, orientation=orientation).scores
        np.testing.assert_array_equal(at_one, fdh)
        scores = [fr.partial_frontier(df, x, y, estimator="order_alpha", alpha=a, orientation=orientation).scores
                  for a in (0.5, 0.8, 0.9, 0.95, 1.0)]
        for lower, higher in zip(scores, scores[1:]):     # input theta falls as alpha rises; output phi rises
            assert ((higher <= lower) if orientation == "input" else (higher >= lower)).all()
        assert (scores[0] > 1).any() if orientation == "input" else (scores[0] < 1).any()


def test_order_alpha_is_the_quantile_of_the_dominating_units():
    """alpha = 0.75 among a DMU's 8 dominating units: the value at position floor(0.25 * 8) = 2 (0-based)."""
    df = pd.DataFrame({"x": [1.0, 2, 3, 4, 5, 6, 7, 8], "y": [1.0] * 8})
    res = fr.partial_frontier(df, "x", "y", estimator="order_alpha", alpha=0.75)
    assert res.scores.iloc[7] == pytest.approx(3 / 8)      # sorted ratios 1/8, 2/8, 3/8, ...
    assert res.scores.iloc[0] == pytest.approx(3.0)        # x = 1 against 1, 2, 3: super-efficient
    assert res.n_reference.tolist() == [8] * 8


def test_a_seed_gives_the_same_scores_whatever_the_block_size(monkeypatch):
    df, x, y = _data(n=50)
    first = fr.partial_frontier(df, x, y, random_state=7)
    again = fr.partial_frontier(df, x, y, random_state=7)
    monkeypatch.setattr(partial, "BLOCK_VALUES", 3 * 50)
    blocked = fr.partial_frontier(df, x, y, random_state=7)
    np.testing.assert_array_equal(first.scores, again.scores)
    np.testing.assert_array_equal(first.scores, blocked.scores)
    pd.testing.assert_frame_equal(first.outliers, blocked.outliers)
    other = fr.partial_frontier(df, x, y, random_state=8)
    assert not np.array_equal(first.scores, other.scores)
    drawn = fr.partial_frontier(df, x, y)                  # a seed is drawn and reported: the run repeats
    np.testing.assert_array_equal(fr.partial_frontier(df, x, y, random_state=drawn.random_state).scores,
                                  drawn.scores)


def test_outlier_curve_falls_with_m_and_ends_at_fdh():
    df, x, y = _data(n=40)
    curve = fr.partial_frontier(df, x, y, random_state=1).outliers
    assert list(curve.columns) == ["m", "share", "n"] and (curve["n"] == 40).all()
    assert (np.diff(curve["share"]) <= 0).all() and curve["share"].iloc[0] > 0.3
    alpha = fr.partial_frontier(df, x, y, estimator="fdh").outliers
    assert alpha["alpha"].iloc[-1] == 1.0 and alpha["share"].iloc[-1] == 0      # FDH: nobody beyond
    assert (np.diff(alpha["share"]) <= 0).all()


@pytest.mark.parametrize("kwargs, message", [
    (dict(estimator="dea"), "estimator must be one of"),
    (dict(orientation="nonoriented"), "orientation must be 'input' or 'output'"),
    (dict(estimator="fdh", m=10), "m does not apply to estimator='fdh'"),
    (dict(estimator="order_alpha", B=100), "B does not apply"),
    (dict(estimator="order_m", alpha=0.9), "alpha does not apply"),
    (dict(m=0), "m (the number of units"),
    (dict(m=2.5), "m (the number of units"),
    (dict(B=1), "B (the Monte Carlo draws"),
    (dict(estimator="order_alpha", alpha=0), "alpha (the order"),
    (dict(estimator="order_alpha", alpha=1.2), "alpha (the order"),
    (dict(random_state="seed"), "random_state must be"),
])
def test_bad_options_are_refused_clearly(kwargs, message):
    df, x, y = _data(n=10)
    with pytest.raises(ValueError) as err:
        fr.partial_frontier(df, x, y, **kwargs)
    assert message in str(err.value)


def test_bad_data_is_refused_naming_rows():
    df, x, y = _data(n=10)
    bad = df.copy()
    bad.loc[3, "x0"] = -1
    with pytest.raises(ValueError, match="negative"):
        fr.partial_frontier(bad, x, y, estimator="fdh")
    bad = df.copy()
    bad.loc[[2, 5], x] = 0
    with pytest.raises(ValueError, match=r"rows \[2, 5\] have every input zero"):
        fr.partial_frontier(bad, x, y, estimator="fdh")
    fr.partial_frontier(bad, x, y, estimator="fdh", orientation="output")     # fine for the output orientation
    with pytest.raises(ValueError, match="both as id and as a variable"):
        fr.partial_frontier(df, x, y, id="x0")


def test_a_zero_input_constrains_only_where_the_peer_uses_it():
    """DMU 0 uses no x1: a peer using none either is compared on x0 alone; one using some cannot dominate."""
    df = pd.DataFrame({"x0": [4.0, 2, 1], "x1": [0.0, 0, 5], "y": [1.0, 1, 1]})
    res = fr.partial_frontier(df, ["x0", "x1"], "y", estimator="fdh")
    assert res.scores.iloc[0] == pytest.approx(0.5)


def test_exports_carry_the_specification_and_the_outlier_curve(tmp_path):
    df, x, y = _data(n=20)
    df["firm"] = [f"{i:03d}" for i in range(20)]
    res = fr.partial_frontier(df, x, y, m=10, B=50, random_state=2, id="firm")
    frame = res.to_frame()
    assert list(frame.columns) == ["firm", "score", "std_error", "n_reference"]
    res.to_csv(tmp_path / "pf.csv")
    back = pd.read_csv(tmp_path / "pf.csv", dtype={"firm": str})
    assert back["firm"].iloc[0] == "000"
    np.testing.assert_allclose(back["score"].to_numpy(), res.scores.to_numpy(), rtol=1e-12)
    res.to_excel(tmp_path / "pf.xlsx")
    sheets = pd.read_excel(tmp_path / "pf.xlsx", sheet_name=None)
    pd.testing.assert_frame_equal(sheets["outliers"], res.outliers, check_dtype=False)
    spec = read_specification(tmp_path / "pf.xlsx")
    assert (spec["m"], spec["B"], spec["random_state"]) == ("10", "50", "2")
    assert "order-m" in spec["analysis"] and "Cazals" in spec["analysis"]
    res.to_stata(tmp_path / "pf.dta")
    stata = pd.read_stata(tmp_path / "pf.dta")
    np.testing.assert_allclose(stata["score"].to_numpy(), res.scores.to_numpy(), rtol=1e-12)
    assert "partial_frontier" in read_specification(tmp_path / "pf.dta")["call"]
    assert "n = 20" in res.summary() and "seed 2" in res.summary()


def test_the_figures(tmp_path):
    pytest.importorskip("matplotlib")
    df, x, y = _data(n=20)
    res = fr.partial_frontier(df, x, y, estimator="order_alpha")
    assert list(res.PLOTS) == ["scores", "outliers"]
    fig = res.draw("outliers", tmp_path / "outliers.png")
    assert (tmp_path / "outliers.png").stat().st_size > 0
    line = fig.axes[0].lines[0]
    np.testing.assert_allclose(line.get_ydata(), 100 * res.outliers["share"].to_numpy())
    res.plot(tmp_path / "scores.png")
    assert (tmp_path / "scores.png").stat().st_size > 0


def test_the_command_line_writes_what_the_api_returns(tmp_path):
    from frontier.cli import main

    df, x, y = _data(n=20)
    df.to_csv(tmp_path / "d.csv", index=False)
    assert main(["partial-frontier", str(tmp_path / "d.csv"), "-x", *x, "-y", *y, "--estimator", "order_alpha",
                 "--alpha", "0.9", "--orientation", "output", "-o", str(tmp_path / "o.csv"), "-q"]) == 0
    api = fr.partial_frontier(df, x, y, estimator="order_alpha", alpha=0.9, orientation="output")
    np.testing.assert_allclose(pd.read_csv(tmp_path / "o.csv")["score"].to_numpy(), api.scores.to_numpy())
