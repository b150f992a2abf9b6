"""Hicks-Moorsteen (Bjurek 1996) and Luenberger-Hicks-Moorsteen (Briec & Kerstens 2004) indices.

Checked against an independent implementation (scipy's linprog on the raw data, the distance functions and the
index formulas written out from formulations §3.7 and the docs page), for random panels under CRS and VRS; the
transitivity of the global version; the identity with the Malmquist index under CRS with one input and one
output; infeasible mixed-point LPs (NaN with a status, never a number); and the options the index fixes itself.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr

ENT, PER = "firm", "t"


def random_panel(n_firms=6, n_periods=3, m=2, s=2, s_bad=0, seed=0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_firms):
        for t in range(n_periods):
            x = rng.uniform(1, 10, m)
            y = rng.uniform(1, 10, s) * (1 + 0.1 * t)
            b = rng.uniform(1, 5, s_bad)
            rows.append({ENT: f"f{i}", PER: 2000 + t, **{f"x{k}": v for k, v in enumerate(x)},
                         **{f"y{k}": v for k, v in enumerate(y)}, **{f"b{k}": v for k, v in enumerate(b)}})
    return pd.DataFrame(rows)


def names(df, prefix):
    return [c for c in df.columns if c.startswith(prefix)]


# ---------------------------------------------------------------------------------------------------------
# the independent implementation: distances of arbitrary points against a reference set, by linprog
# ---------------------------------------------------------------------------------------------------------

def _solve(c, A_ub, b_ub, A_eq, b_eq, bounds):
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq if len(A_eq) else None, b_eq=b_eq if len(b_eq) else None,
                  bounds=bounds, method="highs")
    return res.fun if res.status == 0 else np.nan


def shephard_output(X, Y, x, y, rts):
    """D_O(x, y) = 1 / max{phi : X'l <= x, Y'l >= phi y, (sum l = 1)}."""
    n = len(X)
    c = np.r_[np.zeros(n), -1.0]                                        # max phi
    A_ub = np.vstack([np.c_[X.T, np.zeros(X.shape[1])], np.c_[-Y.T, y]])
    b_ub = np.r_[x, np.zeros(Y.shape[1])]
    A_eq, b_eq = (np.r_[np.ones(n), 0.0][None, :], [1.0]) if rts == "vrs" else ([], [])
    phi = -_solve(c, A_ub, b_ub, A_eq, b_eq, [(0, None)] * n + [(None, None)])
    return 1.0 / phi


def shephard_input(X, Y, x, y, rts):
    """D_I(x, y) = 1 / min{theta : X'l <= theta x, Y'l >= y, (sum l = 1)}."""
    n = len(X)
    c = np.r_[np.zeros(n), 1.0]
    A_ub = np.vstack([np.c_[X.T, -x], np.c_[-Y.T, np.zeros(Y.shape[1])]])
    b_ub = np.r_[np.zeros(X.shape[1]), -y]
    A_eq, b_eq = (np.r_[np.ones(n), 0.0][None, :], [1.0]) if rts == "vrs" else ([], [])
    return 1.0 / _solve(c, A_ub, b_ub, A_eq, b_eq, [(0, None)] * n + [(None, None)])


def ddf(X, Y, B, x, y, b, g, rts):
    """max beta : X'l <= x - beta gx, Y'l >= y + beta gy, B'l = b - beta gb (CRS, weak) or <= (VRS, strong)."""
    n, gx, gy, gb = len(X), *g
    c = np.r_[np.zeros(n), -1.0]
    A_ub = [np.c_[X.T, gx], np.c_[-Y.T, gy]]
    b_ub = [x, -y]
    A_eq, b_eq = [], []
    if rts == "crs":
        A_eq, b_eq = [np.c_[B.T, gb]], [b]
    else:
        A_ub.append(np.c_[B.T, gb])
        b_ub.append(b)
        A_eq, b_eq = [np.r_[np.ones(n), 0.0][None, :]], [[1.0]]
    return -_solve(c, np.vstack(A_ub), np.concatenate(b_ub), np.vstack(A_eq) if A_eq else [],
                   np.concatenate(b_eq) if b_eq else [], [(0, None)] * n + [(None, None)])


def independent_hm(df, rts, technology):
    """{(firm, t_to): (index, output_quantity, input_quantity)} of the ratio HM, formulas written out."""
    X, Y = df[names(df, "x")].to_numpy(), df[names(df, "y")].to_numpy()
    per = df[PER].to_numpy()
    xbar, ybar = X.mean(axis=0), Y.mean(axis=0)
    out = {}
    for firm, g in df.groupby(ENT):
        rows = g.sort_values(PER).index.to_numpy()
        for a, b in zip(rows[:-1], rows[1:]):
            if technology == "global":
                DO = lambda y: shephard_output(X, Y, xbar, y, rts)  # noqa: E731
                DI = lambda x: shephard_input(X, Y, x, ybar, rts)   # noqa: E731
                oq, iq = DO(Y[b]) / DO(Y[a]), DI(X[b]) / DI(X[a])
            else:
                Ta, Tb = per == per[a], per == per[b]
                DO = lambda T, x, y: shephard_output(X[T], Y[T], x, y, rts)  # noqa: E731
                DI = lambda T, x, y: shephard_input(X[T], Y[T], x, y, rts)   # noqa: E731
                oq = np.sqrt(DO(Ta, X[a], Y[b]) / DO(Ta, X[a], Y[a]) * DO(Tb, X[b], Y[b]) / DO(Tb, X[b], Y[a]))
                iq = np.sqrt(DI(Ta, X[b], Y[a]) / DI(Ta, X[a], Y[a]) * DI(Tb, X[b], Y[b]) / DI(Tb, X[a], Y[b]))
            out[(firm, per[b])] = (oq / iq, oq, iq)
    return out


def independent_lhm(df, rts):
    """{(firm, t_to): (index, output, input)} of the contemporaneous LHM with directions (0, y, b), (x, 0, 0)."""
    X, Y, B = (df[names(df, p)].to_numpy() for p in ("x", "y", "b"))
    per = df[PER].to_numpy()
    out = {}

    def D_out(T, x, y, b):
        return ddf(X[T], Y[T], B[T], x, y, b, (0 * x, y, b), rts)

    def D_in(T, x, y, b):
        return ddf(X[T], Y[T], B[T], x, y, b, (x, 0 * y, 0 * b), rts)

    for firm, g in df.groupby(ENT):
        rows = g.sort_values(PER).index.to_numpy()
        for a, b in zip(rows[:-1], rows[1:]):
            Ta, Tb = per == per[a], per == per[b]
            oq = 0.5 * ((D_out(Ta, X[a], Y[a], B[a]) - D_out(Ta, X[a], Y[b], B[b]))
                        + (D_out(Tb, X[b], Y[a], B[a]) - D_out(Tb, X[b], Y[b], B[b])))
            iq = 0.5 * ((D_in(Ta, X[b], Y[a], B[a]) - D_in(Ta, X[a], Y[a], B[a]))
                        + (D_in(Tb, X[b], Y[b], B[b]) - D_in(Tb, X[a], Y[b], B[b])))
            out[(firm, per[b])] = (oq - iq, oq, iq)
    return out


def check_against(res, expected):
    idx = res.indices
    assert len(idx) == len(expected)
    for key, values in expected.items():
        got = idx.loc[key, ["index", "output_quantity", "input_quantity"]].to_numpy(float)
        if np.isnan(values[0]):
            assert np.isnan(got[0]) and idx.loc[key, "status"] != "optimal"
        else:
            np.testing.assert_allclose(got, values, rtol=1e-7, atol=1e-9, err_msg=str(key))


# ---------------------------------------------------------------------------------------------------------
# against the independent implementation
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("technology", ["contemporaneous", "global"])
def test_hicks_moorsteen_matches_independent_implementation(rts, technology):
    df = random_panel(seed=3)
    res = fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"), index="hicks_moorsteen", rts=rts,
                          technology=technology)
    check_against(res, independent_hm(df, rts, technology))
    # without bad outputs every HM LP is feasible, VRS included (each mixed point keeps one side of an
    # observation that spans the technology, or the panel mean, which every convex technology contains)
    assert (res.distances["status"] == "optimal").all()
    assert res.spec.components == ("index", "output_quantity", "input_quantity")
    assert res.spec.model == "radial" and res.spec.form == "ratio"


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_lhm_with_bad_outputs_matches_independent_implementation(rts):
    df = random_panel(seed=4, s=1, s_bad=1)
    res = fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"), names(df, "b"), index="lhm", rts=rts,
                          bad_disposability="weak" if rts == "crs" else "strong")
    check_against(res, independent_lhm(df, rts))
    np.testing.assert_allclose(res.indices["index"], res.indices["output_quantity"] - res.indices["input_quantity"])


# ---------------------------------------------------------------------------------------------------------
# transitivity, and the Malmquist identity
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("index", ["hicks_moorsteen", "lhm"])
def test_global_version_is_transitive(index):
    df = random_panel(n_firms=5, n_periods=3, seed=7)
    run = lambda base: fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"), index=index,  # noqa: E731
                                       technology="global", base=base)
    chained, direct = run("previous").indices, run("first").indices
    for firm in df[ENT].unique():
        steps = chained.loc[firm]
        assert list(steps.index) == [2001, 2002]
        for col in ("index", "output_quantity", "input_quantity"):
            combined = steps[col].prod() if index == "hicks_moorsteen" else steps[col].sum()
            assert np.isfinite(combined)
            assert combined == pytest.approx(direct.loc[(firm, 2002), col], rel=1e-10, abs=1e-12)


def test_contemporaneous_version_is_not_transitive():
    """The contrast that makes the global version worth having: with period technologies and the pair's own
    quantities as conditioning, t0 -> t1 -> t2 differs from t0 -> t2 on a random panel."""
    df = random_panel(n_firms=5, n_periods=3, seed=7)
    run = lambda base: fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"),  # noqa: E731
                                       index="hicks_moorsteen", base=base).indices
    chained, direct = run("previous"), run("first")
    gaps = [abs(chained.loc[f, "index"].prod() - direct.loc[(f, 2002), "index"]) for f in df[ENT].unique()]
    assert max(gaps) > 1e-4


@pytest.mark.parametrize("technology, alias", [("contemporaneous", "malmquist"), ("global", "gml")])
def test_equals_malmquist_under_crs_with_one_input_one_output(technology, alias):
    df = random_panel(m=1, s=1, seed=11)
    hm = fr.productivity(df, ENT, PER, ["x0"], ["y0"], index="hicks_moorsteen", rts="crs", technology=technology)
    mq = fr.productivity(df, ENT, PER, ["x0"], ["y0"], index=alias, model="radial", rts="crs",
                         **({"technology": technology} if alias == "malmquist" else {}))
    np.testing.assert_allclose(hm.indices["index"], mq.indices["index"], rtol=1e-9)
    # and both are the change of the productivity ratio y / x
    productivity_level = (df["y0"] / df["x0"]).set_axis(pd.MultiIndex.from_frame(df[[ENT, PER]]))
    for (firm, t), value in hm.indices["index"].items():
        assert value == pytest.approx(productivity_level[(firm, t)] / productivity_level[(firm, t - 1)], rel=1e-9)


# ---------------------------------------------------------------------------------------------------------
# infeasible mixed points, chains, exports, bad input
# ---------------------------------------------------------------------------------------------------------

def test_infeasible_mixed_point_gives_nan_and_names_the_lp():
    """With bad outputs held at another period's level (weak disposability), an output-side LP can be
    infeasible: the pair's index is NaN and its status names the LP, never a number."""
    df = random_panel(n_firms=6, n_periods=2, m=1, s=1, s_bad=1, seed=2)
    df.loc[(df[ENT] == "f0") & (df[PER] == 2001), "b0"] = 100.0   # far more pollution than any peer
    res = fr.productivity(df, ENT, PER, ["x0"], ["y0"], ["b0"], index="hicks_moorsteen", rts="vrs")
    row = res.indices.loc[("f0", 2001)]
    assert np.isnan(row["index"]) and np.isnan(row["output_quantity"])
    assert "infeasible (output distance" in row["status"]
    bad = res.distances[res.distances["status"] != "optimal"]
    assert len(bad) and bad["value"].isna().all() and set(bad["distance"]) == {"output"}


def test_cumulative_summary_and_exports(tmp_path):
    df = random_panel(seed=5)
    res = fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"), index="hicks_moorsteen",
                          technology="global")
    levels = res.cumulative()
    assert {"gtfp", "cum_output_quantity", "cum_input_quantity"} <= set(levels.columns)
    np.testing.assert_allclose(levels["gtfp"], levels["cum_output_quantity"] / levels["cum_input_quantity"],
                               rtol=1e-12)
    text = res.summary()
    assert "Hicks-Moorsteen" in text and "output_quantity" in text
    res.to_csv(tmp_path / "hm.csv")
    back = pd.read_csv(tmp_path / "hm.csv")
    assert {"output_quantity", "input_quantity", "cum_output_quantity"} <= set(back.columns)
    res.to_excel(tmp_path / "hm.xlsx")
    spec = pd.read_excel(tmp_path / "hm.xlsx", sheet_name="specification", header=None)
    assert spec.astype(str).apply(lambda c: c.str.contains("output quantity index / input quantity")).any().any()


def test_plot_decomposition_shows_quantity_indices(tmp_path):
    pytest.importorskip("matplotlib")
    df = random_panel(seed=5)
    res = fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"), index="lhm")
    fig = res.plot(kind="decomposition", path=tmp_path / "d.png")
    assert (tmp_path / "d.png").stat().st_size > 0
    labels = [t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()] if fig.axes[0].get_legend() \
        else []
    assert any("output quantity" in s for s in labels)


@pytest.mark.parametrize("options, message", [
    (dict(index="hicks_moorsteen", model="sbm"), "defined on the 'radial' model only"),
    (dict(index="lhm", model="radial"), "defined on the 'ddf' model only"),
    (dict(index="hicks_moorsteen", orientation="input"), "fixes the orientation"),
    (dict(index="lhm", direction="ones"), "fixes the directions"),
    (dict(index="hicks_moorsteen", technology="biennial"), "technology for index='hicks_moorsteen'"),
    (dict(index="hicks_moorsteen", super_efficiency=True), "super_efficiency does not apply"),
    (dict(index="lhm", decomposition="fgnz"), "decomposition='fgnz' does not apply"),
    (dict(index="hicks_moorsteen", technology="window"), "window=h"),
])
def test_options_the_index_fixes_are_refused(options, message):
    df = random_panel(n_firms=3, n_periods=2, seed=1)
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fr.productivity(df, ENT, PER, names(df, "x"), names(df, "y"), **options)
