"""Cost, revenue and profit efficiency (fr.economic): published cases, independent cvxpy LPs, identities, bad input."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

ECONOMIC_CASES = ("cost_revenue_crs_cooper_seiford_tone2007", "cost_revenue_zofio_prieto2006",
                  "profit_nerlovian_zpa2013")


@pytest.mark.parametrize("case", ECONOMIC_CASES)
def test_published_cases_pass(validation_dir, run_case_once, case):
    rows = run_case_once(case, validation_dir)
    assert rows and all(r.passed and not r.soft for r in rows), [r for r in rows if not r.passed]


def random_firms(seed: int, n: int = 12) -> pd.DataFrame:
    """Two inputs, two outputs and per-DMU prices (prices differ by DMU)."""
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"x1": rng.uniform(1, 10, n), "x2": rng.uniform(1, 10, n)})
    df["y1"] = (df.x1 ** 0.4 * df.x2 ** 0.5) * rng.uniform(0.5, 1.0, n) * 3
    df["y2"] = (df.x1 ** 0.6 * df.x2 ** 0.3) * rng.uniform(0.5, 1.0, n) * 2
    for col in ("w1", "w2", "p1", "p2"):
        df[col] = rng.uniform(0.5, 2.0, n)
    df.index = [f"f{i}" for i in range(n)]
    return df


INPUTS, OUTPUTS = ["x1", "x2"], ["y1", "y2"]
COST_PRICES = {"x1": "w1", "x2": "w2"}
REVENUE_PRICES = {"y1": "p1", "y2": "p2"}
ALL_PRICES = {**COST_PRICES, **REVENUE_PRICES}


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("seed", [1, 2])
def test_cost_and_revenue_against_cvxpy(seed, rts):
    df = random_firms(seed)
    X, Y = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    W, P = df[["w1", "w2"]].to_numpy(), df[["p1", "p2"]].to_numpy()
    cost = fr.economic(df, INPUTS, OUTPUTS, kind="cost", prices=COST_PRICES, rts=rts)
    revenue = fr.economic(df, INPUTS, OUTPUTS, kind="revenue", prices=REVENUE_PRICES, rts=rts)
    for o in range(len(df)):
        _, c_star = ref.min_cost(X, Y, o, W[o], rts=rts)
        _, theta = ref.radial(X, Y, None, o, rts=rts, orientation="input")
        assert cost.economic.iloc[o] == pytest.approx(c_star / (W[o] @ X[o]), abs=1e-7)
        assert cost.technical.iloc[o] == pytest.approx(theta, abs=1e-7)
        assert cost.optimal_value.iloc[o] == pytest.approx(c_star, rel=1e-7)
        _, r_star = ref.max_revenue(X, Y, o, P[o], rts=rts)
        _, phi = ref.radial(X, Y, None, o, rts=rts, orientation="output")
        assert revenue.economic.iloc[o] == pytest.approx((P[o] @ Y[o]) / r_star, abs=1e-7)
        assert revenue.technical.iloc[o] == pytest.approx(1.0 / phi, abs=1e-7)
    # the optimal bundle is feasible and costs C*: it produces y_o (cost) with the reported inputs
    assert np.allclose((cost.optimal.to_numpy() * W).sum(axis=1), cost.optimal_value, rtol=1e-7)
    assert np.allclose((revenue.optimal.to_numpy() * P).sum(axis=1), revenue.optimal_value, rtol=1e-7)


@pytest.mark.parametrize("direction", ["observed", "ones", "mean"])
def test_profit_against_cvxpy(direction):
    df = random_firms(3)
    X, Y = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    W, P = df[["w1", "w2"]].to_numpy(), df[["p1", "p2"]].to_numpy()
    res = fr.economic(df, INPUTS, OUTPUTS, kind="profit", prices=ALL_PRICES, direction=direction)
    G = ref.direction(direction, X, Y, None)
    for o in range(len(df)):
        _, pi_star = ref.max_profit(X, Y, W[o], P[o], rts="vrs")
        norm = P[o] @ G[o, 2:] + W[o] @ G[o, :2]
        expected = (pi_star - (P[o] @ Y[o] - W[o] @ X[o])) / norm
        _, beta = ref.ddf(X, Y, None, o, G[o], rts="vrs")
        assert res.economic.iloc[o] == pytest.approx(expected, abs=1e-7)
        assert res.technical.iloc[o] == pytest.approx(beta, abs=1e-7)
        assert res.optimal_value.iloc[o] == pytest.approx(pi_star, abs=1e-6)


@pytest.mark.parametrize("rts", ["crs", "vrs", "nirs", "ndrs"])
def test_identities_cost_and_revenue(rts):
    df = random_firms(4, n=15)
    for kind, prices in (("cost", COST_PRICES), ("revenue", REVENUE_PRICES)):
        res = fr.economic(df, INPUTS, OUTPUTS, kind=kind, prices=prices, rts=rts)
        assert (res.status == "optimal").all() and (res.technical_status == "optimal").all()
        assert (res.economic <= res.technical + 1e-9).all()               # overall <= technical
        assert ((res.allocative > 0) & (res.allocative <= 1.0)).all()     # allocative in (0, 1]
        np.testing.assert_allclose(res.economic, res.technical * res.allocative, rtol=1e-12)
        assert (res.economic == 1.0).sum() >= 1                           # someone minimises cost


def test_identities_profit():
    df = random_firms(5, n=15)
    res = fr.economic(df, INPUTS, OUTPUTS, kind="profit", prices=ALL_PRICES)
    np.testing.assert_allclose(res.economic, res.technical + res.allocative, atol=1e-12)
    assert (res.technical >= 0).all() and (res.allocative >= -1e-9).all()
    frame = res.to_frame()
    assert list(frame.columns[:5]) == ["economic", "technical", "allocative", "status", "technical_status"]
    assert {"observed_profit", "maximum_profit", "optimal_x1", "optimal_y2"} <= set(frame.columns)
    # profit at the optimal bundle is the maximum profit
    bundle = frame[["optimal_y1", "optimal_y2"]].to_numpy() * df[["p1", "p2"]].to_numpy()
    cost = frame[["optimal_x1", "optimal_x2"]].to_numpy() * df[["w1", "w2"]].to_numpy()
    np.testing.assert_allclose(bundle.sum(axis=1) - cost.sum(axis=1), frame["maximum_profit"], rtol=1e-7)


def test_common_prices_equal_constant_columns_and_scale_free():
    df = random_firms(6)
    by_number = fr.economic(df, INPUTS, OUTPUTS, kind="cost", prices={"x1": 2.0, "x2": 1.0})
    df2 = df.assign(c1=2.0, c2=1.0)
    by_column = fr.economic(df2, INPUTS, OUTPUTS, kind="cost", prices={"x1": "c1", "x2": "c2"})
    pd.testing.assert_series_equal(by_number.economic, by_column.economic)
    # cost efficiency does not depend on the currency unit
    scaled = fr.economic(df, INPUTS, OUTPUTS, kind="cost", prices={"x1": 200.0, "x2": 100.0})
    np.testing.assert_allclose(scaled.economic, by_number.economic, rtol=1e-9)


def test_periods_use_each_period_frontier():
    df = random_firms(7, n=16)
    df["year"] = [2020] * 8 + [2021] * 8
    res = fr.economic(df, INPUTS, OUTPUTS, kind="cost", prices=COST_PRICES, period="year")
    late = fr.economic(df[df.year == 2021], INPUTS, OUTPUTS, kind="cost", prices=COST_PRICES)
    np.testing.assert_allclose(res.economic[df.year == 2021], late.economic, atol=1e-10)
    np.testing.assert_allclose(res.technical[df.year == 2021], late.technical, atol=1e-10)
    assert "year" in res.to_frame().columns


def test_unbounded_profit_is_nan_with_status():
    """Under CRS a DMU whose prices make some activity profitable has unbounded profit: NaN, never a number."""
    df = random_firms(8)
    res = fr.economic(df, INPUTS, OUTPUTS, kind="profit", prices=ALL_PRICES, rts="crs")
    unbounded = res.status == "unbounded"
    assert unbounded.any()
    assert res.economic[unbounded].isna().all() and res.allocative[unbounded].isna().all()
    assert res.optimal[unbounded].isna().all().all()


def test_user_data_untouched():
    df = random_firms(9)
    before = df.copy()
    fr.economic(df, INPUTS, OUTPUTS, kind="profit", prices=ALL_PRICES)
    pd.testing.assert_frame_equal(df, before)


@pytest.mark.parametrize("change, prices, kind, match", [
    (None, {"x1": "w1"}, "cost", r"needs a price for every input; prices lacks \['x2'\]"),
    (None, {"x1": "w1", "x2": "nope"}, "cost", r"column 'nope' not found"),
    (None, {"x1": "w1", "x2": "w2", "z": 1.0}, "cost", r"names \['z'\], which are not variables"),
    (("w2", 3, -1.0), COST_PRICES, "cost", r"column 'w2' \(for 'x2'\) has negative values in rows \['f3'\]"),
    (("w1", 5, np.nan), COST_PRICES, "cost", r"column 'w1' \(for 'x1'\) has missing or infinite values in rows \['f5'\]"),
    (None, {"x1": -1.0, "x2": 1.0}, "cost", r"the constant for 'x1' has negative values"),
    (None, {"y1": "p1", "y2": True}, "revenue", r"must be a column name or a number"),
    (("p1", 2, 0.0), {"y1": "p1", "y2": 0.0}, "revenue", r"observed revenue p'y is not positive in rows \['f2'\]"),
    (None, ["w1", "w2"], "cost", r"prices must be a dict"),
    # a price the kind does not use was silently ignored (cost with an output's price, revenue with an input's)
    (None, {**COST_PRICES, "y2": "p2"}, "cost",
     r"kind='cost' prices the inputs only; prices also names \['y2'\] \(outputs\)"),
    (None, ALL_PRICES, "revenue",
     r"kind='revenue' prices the outputs only; prices also names \['x1', 'x2'\] \(inputs\)"),
])
def test_bad_prices_raise_naming_column_and_rows(change, prices, kind, match):
    df = random_firms(10)
    if change:
        df.loc[df.index[change[1]], change[0]] = change[2]
    with pytest.raises(ValueError, match=match):
        fr.economic(df, INPUTS, OUTPUTS, kind=kind, prices=prices)


def test_bad_options_raise():
    df = random_firms(11)
    with pytest.raises(ValueError, match="kind must be one of"):
        fr.economic(df, INPUTS, OUTPUTS, kind="margin", prices=COST_PRICES)
    with pytest.raises(ValueError, match="direction applies to kind='profit'"):
        fr.economic(df, INPUTS, OUTPUTS, kind="cost", prices=COST_PRICES, direction="ones")
    with pytest.raises(ValueError, match=r"direction lacks \['y2'\]"):
        fr.economic(df, INPUTS, OUTPUTS, kind="profit", prices=ALL_PRICES, direction={"x1": 1, "x2": 1, "y1": 1})
    with pytest.raises(ValueError, match="normalisation p'g_y \\+ w'g_x is not positive"):
        fr.economic(df, INPUTS, OUTPUTS, kind="profit", prices=ALL_PRICES,
                    direction={"x1": 0.0, "x2": 0.0, "y1": 0.0, "y2": 0.0})


# ---- factor (variable-level) efficiency: formulations §3.5 ------------------------------------------------

HAND = pd.DataFrame({"K": [2.0, 4.0, 4.0, 2.0], "E": [2.0, 4.0, 8.0, 2.0], "Y": [1.0, 1.0, 1.0, 0.5]},
                    index=["A", "B", "C", "D"])


def test_factor_efficiency_radial_hand_computed():
    """Radial CRS: B contracts to A (theta 0.5); C contracts to (2, 4) and keeps an energy slack of 2, so its
    Hu-Wang target energy is 2 of 8 (TFEE 0.25); D contracts to (1, 1)."""
    fe = fr.efficiency(HAND, ["K", "E"], ["Y"], model="radial", rts="crs").factor_efficiency()
    np.testing.assert_allclose(fe["efficiency_E"], [1.0, 0.5, 0.25, 0.5], atol=1e-9)
    np.testing.assert_allclose(fe["efficiency_K"], [1.0, 0.5, 0.5, 0.5], atol=1e-9)
    np.testing.assert_allclose(fe["redundancy_E"], [0.0, 0.5, 0.75, 0.5], atol=1e-9)
    np.testing.assert_allclose(fe["efficiency_Y"], 1.0, atol=1e-9)
    np.testing.assert_allclose(fe["shortfall_Y"], 0.0, atol=1e-9)
    assert not any(c.startswith("share_") for c in fe.columns)


def test_factor_efficiency_sbm_shares_hand_computed():
    """SBM VRS: C's only projection is A, slacks (2, 6): terms 2/4 and 6/8 share the input deficit 0.4 : 0.6."""
    res = fr.efficiency(HAND, ["K", "E"], ["Y"], model="sbm", rts="vrs")
    assert res.scores["C"] == pytest.approx(0.375)
    fe = res.factor_efficiency()
    assert fe.loc["C", "share_K"] == pytest.approx(0.4) and fe.loc["C", "share_E"] == pytest.approx(0.6)
    assert np.isnan(fe.loc["C", "share_Y"])              # no output slack: nothing to share
    assert fe.loc["A", ["share_K", "share_E"]].isna().all()   # efficient: no inefficiency to share


def test_factor_efficiency_nddf_is_one_minus_beta():
    """Zhou, Ang & Wang (2012): with direction (x, y, b) the energy and emission efficiency is 1 - beta_v."""
    rng = np.random.default_rng(12)
    n = 14
    df = pd.DataFrame({"K": rng.uniform(1, 10, n), "E": rng.uniform(1, 10, n)})
    df["Y"] = (df.K * df.E) ** 0.5 * rng.uniform(0.5, 1, n)
    df["CO2"] = df.E * rng.uniform(0.5, 1.5, n)
    res = fr.efficiency(df, ["K", "E"], ["Y"], ["CO2"], model="nddf", rts="vrs")
    fe = res.factor_efficiency()
    for v in ("K", "E", "CO2"):
        np.testing.assert_allclose(fe[f"efficiency_{v}"], 1.0 - res.betas[v], atol=1e-7)
    np.testing.assert_allclose(fe["efficiency_Y"], 1.0 / (1.0 + res.betas["Y"]), atol=1e-7)


def test_factor_efficiency_nan_where_lp_failed_or_zero():
    df = HAND.assign(E=[2.0, 4.0, 8.0, 0.0])
    fe = fr.efficiency(df, ["K", "E"], ["Y"], model="radial", rts="crs").factor_efficiency()
    assert np.isnan(fe.loc["D", "efficiency_E"])          # target / 0
    bare = fr.EfficiencyResult(**{**fr.efficiency(HAND, ["K", "E"], ["Y"], model="radial").__dict__,
                                  "observed": None})
    with pytest.raises(ValueError, match="observed data"):
        bare.factor_efficiency()


# ---- multipliers and shadow prices of bad outputs: formulations §3.6 ---------------------------------------

def polluters(seed: int, n: int = 15) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"K": rng.uniform(1, 10, n), "E": rng.uniform(1, 10, n)})
    df["Y"] = (df.K ** 0.5 * df.E ** 0.4) * rng.uniform(0.4, 1.0, n)
    df["SO2"] = df.E * rng.uniform(0.3, 1.2, n)
    df["CO2"] = df.E * rng.uniform(0.8, 1.2, n)
    return df


@pytest.mark.parametrize("rts, disposability", [("crs", "weak"), ("crs", "strong"), ("vrs", "strong")])
def test_shadow_prices_against_cvxpy_duals_and_finite_differences(rts, disposability):
    """Where D is differentiable in b and y (the two one-sided differences agree, so the dual is unique), the
    shadow price equals the cvxpy dual ratio and the finite-difference ratio -p (dD/db)/(dD/dy)."""
    df = polluters(21)
    cols = ["K", "E", "Y", "SO2", "CO2"]
    res = fr.efficiency(df, ["K", "E"], ["Y"], ["SO2", "CO2"], model="ddf", rts=rts, bad_disposability=disposability)
    prices = res.shadow_prices("Y", price=2.0)
    M = df[cols].to_numpy()
    X, Y, B = M[:, :2], M[:, 2:3], M[:, 3:]
    checked = 0
    for o in np.flatnonzero(prices["status"] == "optimal"):
        point = (X[o], Y[o], B[o])

        def D(shift):
            moved = [v + shift[i] for i, v in enumerate(point)]
            return ref.ddf_at_point(X, Y, B, *moved, M[o], rts=rts, disposability=disposability)[1]

        status, beta, dual_y, dual_b = ref.ddf_at_point(X, Y, B, *point, M[o], rts=rts, disposability=disposability)
        assert res.scores.iloc[o] == pytest.approx(beta, abs=1e-7)
        h = 1e-4
        zero = [np.zeros(2), np.zeros(1), np.zeros(2)]
        dy = [(D([zero[0], zero[1] + s * h, zero[2]]) - beta) / (s * h) for s in (1, -1)]
        db = [[(D([zero[0], zero[1], zero[2] + s * h * np.eye(2)[k]]) - beta) / (s * h) for s in (1, -1)]
              for k in range(2)]
        if abs(dy[0] - dy[1]) > 1e-5 or any(abs(a - b) > 1e-5 for a, b in db):
            continue                                         # a kink: the dual (and the price) is not unique
        for k, bad in enumerate(["SO2", "CO2"]):
            assert prices[bad].iloc[o] == pytest.approx(2.0 * dual_b[k] / dual_y[0], abs=1e-5)
            assert prices[bad].iloc[o] == pytest.approx(-2.0 * db[k][0] / dy[0], abs=1e-4)
        checked += 1
    assert checked >= 3


def test_multipliers_reproduce_the_distance_and_normalisation():
    """CRS strong duality: D = v'x - u'y + mu'b, and the normalisation v'g_x + u'g_y + mu'g_b = 1."""
    df = polluters(22)
    res = fr.efficiency(df, ["K", "E"], ["Y"], ["SO2", "CO2"], model="ddf", rts="crs")
    data = df[["K", "E", "Y", "SO2", "CO2"]]
    mult = res.multipliers[data.columns]
    sign = np.array([1, 1, -1, 1, 1])
    np.testing.assert_allclose((mult * data * sign).sum(axis=1), res.scores, atol=1e-8)
    np.testing.assert_allclose((mult * data).sum(axis=1), 1.0, atol=1e-8)     # g = observed (x, y, b)
    assert (mult[["K", "E", "Y"]] >= -1e-12).all().all()


def test_shadow_price_statuses_and_errors():
    df = polluters(23)
    res = fr.efficiency(df, ["K", "E"], ["Y"], ["SO2"], model="ddf", rts="vrs")
    prices = res.shadow_prices("Y")
    assert set(prices["status"]) <= {"optimal", "on_frontier", "numeraire_dual_zero"}
    assert (prices["status"][res.scores == 0] != "optimal").all()
    assert prices.loc[prices["status"] == "numeraire_dual_zero", "SO2"].isna().all()
    with pytest.raises(ValueError, match="numeraire must be a desirable output"):
        res.shadow_prices("SO2")
    with pytest.raises(ValueError, match="positive number"):
        res.shadow_prices("Y", price=-1.0)
    sbm = fr.efficiency(df, ["K", "E"], ["Y"], ["SO2"], model="sbm")
    with pytest.raises(ValueError, match="DDF family"):
        sbm.shadow_prices("Y")
    nddf = fr.efficiency(df, ["K", "E"], ["Y"], ["SO2"], model="nddf")
    assert nddf.multipliers.shape == (len(df), 4 + 2)        # K, E, Y, SO2, then omega and status


# ---- bad outputs: in the technology at their observed level, not priced --------------------------------------

def polluting_firms(seed: int, n: int = 12) -> pd.DataFrame:
    df = random_firms(seed, n)
    rng = np.random.default_rng(seed + 100)
    df["b"] = (df.x1 + df.x2) * rng.uniform(0.3, 1.0, n)
    return df


@pytest.mark.parametrize("kind", ["cost", "revenue", "profit"])
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("disposability", ["weak", "strong"])
def test_economic_with_bad_outputs_against_cvxpy(kind, rts, disposability):
    """The economic LP with bad outputs held at b0 (weak: equality, Kuosmanen under VRS; strong: at most) agrees
    with cvxpy; the technical part is the radial (DDF, bads' direction 0) model with the same bad outputs, and
    the identities hold (cost and revenue: economic = technical x allocative <= technical; profit: additive)."""
    if kind == "profit" and rts == "crs":
        pytest.skip("CRS profit is unbounded or 0")
    df = polluting_firms(7)
    X, Y, B = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy(), df[["b"]].to_numpy()
    W, P = df[["w1", "w2"]].to_numpy(), df[["p1", "p2"]].to_numpy()
    prices = {"cost": COST_PRICES, "revenue": REVENUE_PRICES, "profit": ALL_PRICES}[kind]
    res = fr.economic(df, INPUTS, OUTPUTS, ["b"], kind=kind, prices=prices, rts=rts, bad_disposability=disposability)
    assert res.spec.bad_outputs == ("b",) and res.spec.bad_disposability == disposability
    assert "b" not in res.prices.columns and "b" not in res.optimal.columns
    for o in range(len(df)):
        status, best = ref.economic_with_bads(kind, X, Y, B, o, W[o], P[o], rts=rts, disposability=disposability)
        assert status == "optimal"
        assert res.optimal_value.iloc[o] == pytest.approx(best, rel=1e-7, abs=1e-7)
        if kind == "profit":
            g = np.r_[X[o], Y[o], 0.0]
            _, beta = ref.ddf(X, Y, B, o, g, rts=rts, disposability=disposability)
            assert res.technical.iloc[o] == pytest.approx(beta, abs=1e-7)
        else:
            _, radial = ref.radial(X, Y, B, o, rts=rts, orientation="input" if kind == "cost" else "output",
                                   disposability=disposability)
            assert res.technical.iloc[o] == pytest.approx(radial if kind == "cost" else 1 / radial, abs=1e-7)
    if kind == "profit":
        np.testing.assert_allclose(res.economic, res.technical + res.allocative, atol=1e-10)
        assert (res.allocative >= -1e-9).all()
    else:
        np.testing.assert_allclose(res.economic, res.technical * res.allocative, atol=1e-10)
        assert (res.economic <= res.technical + 1e-9).all()


def test_bad_outputs_are_not_priced_and_change_the_technology():
    df = polluting_firms(8)
    with pytest.raises(ValueError, match="bad outputs are not priced"):
        fr.economic(df, INPUTS, OUTPUTS, ["b"], kind="cost", prices={**COST_PRICES, "b": 1.0})
    with pytest.raises(ValueError, match="bad_disposability"):
        fr.economic(df, INPUTS, OUTPUTS, ["b"], kind="cost", prices=COST_PRICES, bad_disposability="apz")
    plain = fr.economic(df, INPUTS, OUTPUTS, kind="cost", prices=COST_PRICES, rts="crs")
    strong = fr.economic(df, INPUTS, OUTPUTS, ["b"], kind="cost", prices=COST_PRICES, rts="crs",
                         bad_disposability="strong")
    # holding pollution at its level restricts the technology: the minimum cost can only rise
    assert (strong.optimal_value >= plain.optimal_value - 1e-9).all()
    assert (strong.optimal_value > plain.optimal_value + 1e-6).any()


# ---- exports, summary and repr, like the other results ------------------------------------------------------

def test_economic_result_exports_with_its_specification(tmp_path):
    pytest.importorskip("openpyxl")
    pytest.importorskip("pyarrow")
    from frontier.io import read_specification

    df = polluting_firms(9)
    res = fr.economic(df, INPUTS, OUTPUTS, ["b"], kind="cost", prices={"x1": "w1", "x2": 1.5}, rts="vrs")
    frame = res.to_frame()
    res.to_csv(tmp_path / "cost.csv")
    back = pd.read_csv(tmp_path / "cost.csv", index_col=0)
    assert list(back.columns) == list(frame.columns)
    np.testing.assert_allclose(back["economic"], frame["economic"])
    for name, write in (("cost.xlsx", res.to_excel), ("cost.dta", res.to_stata), ("cost.parquet", res.to_parquet)):
        write(tmp_path / name)
        spec = read_specification(tmp_path / name)
        assert "frontier.economic(data" in spec["call"] and "prices={'x1': 'w1', 'x2': 1.5}" in spec["call"]
        assert spec["kind"] == "cost" and spec["bad_outputs"] == "b"
    sheets = pd.read_excel(tmp_path / "cost.xlsx", sheet_name=None)
    assert {"cost", "prices", "specification"} <= set(sheets)
    np.testing.assert_allclose(sheets["cost"]["allocative"], frame["allocative"])
    np.testing.assert_allclose(pd.read_parquet(tmp_path / "cost.parquet")["minimum_cost"], frame["minimum_cost"])
    np.testing.assert_allclose(pd.read_stata(tmp_path / "cost.dta")["technical"], frame["technical"])


def test_economic_summary_counts_beside_means_and_repr():
    df = polluting_firms(10)
    df["year"] = [2019, 2020] * (len(df) // 2)
    res = fr.economic(df, INPUTS, OUTPUTS, kind="revenue", prices=REVENUE_PRICES, period="year")
    text = res.summary()
    n = len(df)
    assert f"economic           mean {res.economic.mean():.4f} (n={n})" in text
    assert f"allocative         mean {res.allocative.mean():.4f} (n={n})" in text
    stats = text.tables["economic, technical and allocative (n = DMUs with a value)"]
    assert stats.loc["technical", "n"] == n
    by = text.tables["means by period"]
    assert list(by["economic_n"]) == [n // 2, n // 2]
    assert by.loc[2019, "economic_mean"] == pytest.approx(res.economic[df.year == 2019].mean())
    assert repr(res) == f"<EconomicResult revenue rts=vrs n={n}>"
    assert "<table>" in res._repr_html_()


def test_id_columns_lead_the_table_and_every_export(tmp_path):
    """Issue 27.2: ``id=`` as in fr.efficiency (it raised TypeError); a default-indexed frame's exports, the prices
    sheet included, start with the ids, not ``row``."""
    from frontier import io
    from frontier.datasets import synthetic_firms

    firms = synthetic_firms(20).reset_index()
    firms["w"] = 1.0 + np.arange(20) % 3
    res = fr.economic(firms, ["K", "L"], ["Y"], id="firm", kind="cost", prices={"K": "w", "L": 2.0})
    plain = fr.economic(firms.drop(columns="firm"), ["K", "L"], ["Y"], kind="cost", prices={"K": "w", "L": 2.0})
    np.testing.assert_array_equal(res.economic.to_numpy(), plain.economic.to_numpy())
    assert res.to_frame().columns[0] == "firm" and res.economic.index.equals(firms.index)
    export = res.export()
    assert list(export.table.columns[:2]) == ["firm", "economic"]
    assert list(export.extra_tables["prices"].columns[:1]) == ["firm"]
    path = tmp_path / "cost.dta"
    res.to_stata(path)
    assert list(io.read_table(path).columns[:2]) == ["firm", "economic"]
    assert "id=['firm']" in str(res.spec.call)
