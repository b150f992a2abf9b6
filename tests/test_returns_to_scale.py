"""Returns to scale per DMU (``fr.returns_to_scale``): against an independent scipy formulation of the CRS, VRS and
NIRS scores and of Banker & Thrall's min and max sums of lambdas, and the properties the rules promise."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr

INPUTS, OUTPUTS = ["x1", "x2"], ["y1", "y2"]


def random_data(seed: int, n: int = 14) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n, 2))
    size = rng.uniform(0.3, 3, n)
    Y = np.column_stack([(X[:, 0] ** 0.5 * X[:, 1] ** 0.4) * size ** 0.3, rng.uniform(1, 5, n)])
    Y *= rng.uniform(0.5, 1, (n, 1))
    return pd.DataFrame(np.hstack([X, Y]), columns=INPUTS + OUTPUTS)


def radial(X, Y, o, orientation, rts):
    """theta (input) or phi (output) of DMU o and its lambdas: variables (score, lambda_1..n)."""
    n, m = X.shape
    s = Y.shape[1]
    c = np.r_[1.0 if orientation == "input" else -1.0, np.zeros(n)]
    if orientation == "input":
        A = np.vstack([np.c_[-X[o][:, None], X.T], np.c_[np.zeros((s, 1)), -Y.T]])
        b = np.r_[np.zeros(m), -Y[o]]
    else:
        A = np.vstack([np.c_[np.zeros((m, 1)), X.T], np.c_[Y[o][:, None], -Y.T]])
        b = np.r_[X[o], np.zeros(s)]
    A_eq = b_eq = None
    if rts == "vrs":
        A_eq, b_eq = np.r_[0.0, np.ones(n)][None, :], [1.0]
    if rts == "nirs":
        A, b = np.vstack([A, np.r_[0.0, np.ones(n)]]), np.r_[b, 1.0]
    res = linprog(c, A_ub=A, b_ub=b, A_eq=A_eq, b_eq=b_eq, bounds=[(None, None)] + [(0, None)] * n,
                  method="highs")
    assert res.status == 0
    return res.x[0]


def lambda_sum(X, Y, o, orientation, score, sense):
    """min or max sum lambda with the CRS score fixed."""
    n, m = X.shape
    s = Y.shape[1]
    if orientation == "input":
        A, b = np.vstack([X.T, -Y.T]), np.r_[score * X[o], -Y[o]]
    else:
        A, b = np.vstack([X.T, -Y.T]), np.r_[X[o], -score * Y[o]]
    res = linprog(np.ones(n) * (1 if sense == "min" else -1), A_ub=A, b_ub=b * (1 + 1e-10 * np.sign(b)),
                  bounds=[(0, None)] * n, method="highs")
    assert res.status == 0
    return res.x.sum()


@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("seed", [1, 2])
def test_against_scipy(seed, orientation):
    df = random_data(seed)
    X, Y = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    res = fr.returns_to_scale(df, INPUTS, OUTPUTS, orientation=orientation, rule="banker_thrall")
    t = res.table
    for o in range(len(df)):
        for rts in ("crs", "vrs", "nirs"):
            assert t[rts].iloc[o] == pytest.approx(radial(X, Y, o, orientation, rts), rel=1e-7)
        crs = t["crs"].iloc[o]
        assert t["lambda_sum_min"].iloc[o] == pytest.approx(lambda_sum(X, Y, o, orientation, crs, "min"), abs=1e-6)
        assert t["lambda_sum_max"].iloc[o] == pytest.approx(lambda_sum(X, Y, o, orientation, crs, "max"), abs=1e-6)
    assert (t["status"] == "optimal").all()


@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("seed", [3, 4, 5])
def test_properties_and_the_two_rules_agree(seed, orientation):
    df = random_data(seed, n=18)
    deap = fr.returns_to_scale(df, INPUTS, OUTPUTS, orientation=orientation)
    bt = fr.returns_to_scale(df, INPUTS, OUTPUTS, orientation=orientation, rule="banker_thrall")
    t = bt.table
    # the two rules agree on every DMU (Seiford & Zhu 1999), not only where the CRS optimum is unique
    assert (deap.rts == bt.rts).all()
    assert set(deap.rts) <= {"irs", "crs", "drs"}
    # CRS-efficient DMUs are crs; SE = CRS / VRS in (0, 1]; crs exactly where SE = 1
    assert (t.loc[t["crs"] == 1, "rts"] == "crs").all()
    se = t["scale_efficiency"]
    assert ((se > 0) & (se <= 1)).all()
    expected = t["crs"] / t["vrs"] if orientation == "input" else t["vrs"] / t["crs"]
    np.testing.assert_allclose(se, expected)
    assert ((se > 1 - 1e-6) == (t["rts"] == "crs")).all()
    # Banker & Thrall's sums say the same: irs below 1, drs above
    assert (t.loc[t["rts"] == "irs", "lambda_sum_max"] < 1).all()
    assert (t.loc[t["rts"] == "drs", "lambda_sum_min"] > 1).all()
    assert (t["lambda_sum_min"] <= t["lambda_sum_max"] + 1e-9).all()
    # the elasticity's side of 1 follows the class where the class is strict
    assert (t.loc[t["rts"] == "irs", "scale_elasticity"] > 1 - 1e-7).all()
    assert (t.loc[t["rts"] == "drs", "scale_elasticity"] < 1 + 1e-7).all()
    # the most productive scale size is on the CRS frontier (and the VRS one)
    mpss = bt.mpss.rename(index=lambda i: f"mpss{i}")
    check = fr.efficiency(pd.concat([mpss, df]), INPUTS, OUTPUTS, model="radial", rts="crs",
                          reference=list(df.index), orientation=orientation)
    np.testing.assert_allclose(check.scores.iloc[: len(df)], 1.0, atol=1e-7)


def test_a_one_input_one_output_example_by_hand():
    """Four DMUs on x -> y: (1, 1), (2, 3), (4, 5), (4, 2). The CRS ray is y = 1.5 x through B; A is irs, C drs;
    D projects onto A-B (irs) with less input and onto C (drs) with more output: the orientation matters."""
    df = pd.DataFrame({"x": [1.0, 2.0, 4.0, 4.0], "y": [1.0, 3.0, 5.0, 2.0]}, index=list("ABCD"))
    res = fr.returns_to_scale(df, ["x"], ["y"])
    assert list(res.rts) == ["irs", "crs", "drs", "irs"]
    np.testing.assert_allclose(res.table["crs"], [2 / 3, 1.0, 5 / 6, 1 / 3])
    np.testing.assert_allclose(res.table["vrs"], [1.0, 1.0, 1.0, 0.375])     # D: x = 1.5 makes y = 2 on A-B
    np.testing.assert_allclose(res.mpss.loc["A"], [2.0, 3.0])                  # B, the most productive scale
    out = fr.returns_to_scale(df, ["x"], ["y"], orientation="output")
    assert list(out.rts) == ["irs", "crs", "drs", "drs"]                       # D projects up to C (4, 5)
    np.testing.assert_allclose(out.table["vrs"], [1.0, 1.0, 1.0, 2.5])


def test_export_summary_and_refusals(tmp_path):
    df = random_data(6)
    res = fr.returns_to_scale(df, INPUTS, OUTPUTS, rule="banker_thrall")
    assert "returns to scale" in res.summary() and "banker" in str(res.spec.call)
    res.to_csv(tmp_path / "rts.csv")
    back = pd.read_csv(tmp_path / "rts.csv")
    assert {"rts", "scale_efficiency", "lambda_sum_min", "mpss_x1"} <= set(back.columns)
    assert int(res.counts().sum()) == len(df)
    with pytest.raises(ValueError, match="orientation"):
        fr.returns_to_scale(df, INPUTS, OUTPUTS, orientation="nonoriented")
    with pytest.raises(ValueError, match="rule"):
        fr.returns_to_scale(df, INPUTS, OUTPUTS, rule="banker")
