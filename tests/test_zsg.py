"""Zero-sum-gains DEA (Lins et al. 2003; Gomes & Lins 2008): the total is preserved, every DMU is efficient after
the reallocation (the radial model re-run on it), ZSG >= radial efficiency, the closed form of Lins et al. for one
input under CRS, and the fixed-point equation of the nonlinear ZSG program checked with an independent LP."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr
from frontier.cli import main


def provinces(n: int = 12, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"province": [f"p{i}" for i in range(n)], "labour": rng.uniform(1, 5, n),
                         "energy": rng.uniform(1, 5, n), "gdp": rng.uniform(1, 5, n), "co2": rng.uniform(1, 5, n)})


@pytest.fixture(scope="module")
def data():
    return provinces()


@pytest.fixture(scope="module")
def crs(data):
    return fr.zsg(data, ["labour", "energy"], ["gdp"], ["co2"], reallocate="co2", id="province")


def test_the_total_is_preserved_exactly(data, crs):
    total = data["co2"].sum()
    assert abs(crs.reallocated.sum() - total) <= 1e-9 * total
    for column in crs.history:
        assert abs(crs.history[column].sum() - total) <= 1e-9 * total
    assert crs.converged and crs.rounds >= 1


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_every_dmu_is_efficient_after_the_reallocation(data, rts):
    sample = data if rts == "crs" else data.iloc[:8]          # ZSG-BCC takes more rounds: a smaller example
    res = fr.zsg(sample, ["labour", "energy"], ["gdp"], ["co2"], reallocate="co2", rts=rts)
    assert res.converged
    again = fr.efficiency(sample.assign(co2=res.reallocated.to_numpy()), ["labour", "energy", "co2"], ["gdp"],
                          model="radial", orientation="input", rts=rts)
    np.testing.assert_allclose(again.scores, 1.0, atol=1e-5)


def test_zsg_efficiency_is_at_least_the_radial_one(data, crs):
    radial = fr.efficiency(data, ["labour", "energy", "co2"], ["gdp"], model="radial", orientation="input",
                           rts="crs").scores
    np.testing.assert_allclose(crs.table["radial"], radial, rtol=1e-9)
    t = crs.table
    assert (t["zsg"] >= t["radial"] - 1e-9).all() and (t["zsg"] <= 1 + 1e-12).all()
    assert (t.loc[t["radial"] >= 1 - 1e-9, "zsg"] == 1.0).all()
    assert (t["zsg"] > t["radial"] + 1e-6).any()                 # the gains matter for some DMUs


def test_one_input_crs_is_lins_closed_form(data):
    """Lins et al. (2003): with one input under CRS, h_Z = h_R (1 + x_o (1 - h_Z) / sum_{j != o} x_j), i.e.
    h_Z = h_R S / (S - x_o (1 - h_R))."""
    res = fr.zsg(data, ["co2"], ["gdp", "labour"], reallocate="co2")
    S, h, x = data["co2"].sum(), res.table["radial"].to_numpy(), data["co2"].to_numpy()
    np.testing.assert_allclose(res.table["zsg"], h * S / (S - x * (1 - h)), rtol=1e-10)


def independent_radial(X, Y, o, vrs=False):
    """min h: sum lambda x <= h x_o, sum lambda y >= y_o (scipy, written out separately from the package)."""
    n = len(X)
    c = np.r_[1.0, np.zeros(n)]
    A = np.vstack([np.c_[-X[o][:, None], X.T], np.c_[np.zeros((Y.shape[1], 1)), -Y.T]])
    b = np.r_[np.zeros(X.shape[1]), -Y[o]]
    eq = dict(A_eq=np.r_[0.0, np.ones(n)][None], b_eq=[1.0]) if vrs else {}
    return linprog(c, A_ub=A, b_ub=b, bounds=[(None, None)] + [(0, None)] * n, method="highs", **eq).x[0]


def test_the_zsg_score_solves_the_nonlinear_program(data, crs):
    """At h = h_Z, scaling every other DMU's co2 by c(h) = 1 + x_o (1 - h) / sum_{j != o} x_j makes the radial
    score of DMU o equal h (the fixed point), and any h' > h is strictly feasible (h_Z is the smallest)."""
    X = data[["labour", "energy", "co2"]].to_numpy()
    Y = data[["gdp"]].to_numpy()
    for o, h in enumerate(crs.table["zsg"].to_numpy()):
        others = X[:, 2].sum() - X[o, 2]
        scaled = X.copy()
        mask = np.arange(len(X)) != o
        scaled[mask, 2] *= 1 + X[o, 2] * (1 - h) / others
        assert independent_radial(scaled, Y, o) == pytest.approx(h, abs=1e-8)


def test_bad_arguments(data):
    with pytest.raises(ValueError, match="desirable output"):
        fr.zsg(data, ["labour"], ["gdp"], reallocate="gdp")
    with pytest.raises(ValueError, match="must be one of the inputs"):
        fr.zsg(data, ["labour"], ["gdp"], reallocate="co2")
    with pytest.raises(ValueError, match="rts"):
        fr.zsg(data, ["labour", "co2"], ["gdp"], reallocate="co2", rts="nirs")
    with pytest.raises(ValueError, match="<= 0"):
        fr.zsg(data.assign(co2=data["co2"].where(data.index != 2, 0.0)), ["labour", "co2"], ["gdp"],
               reallocate="co2")


def test_not_converged_warns(data):
    with pytest.warns(UserWarning, match="after 1 rounds"):
        res = fr.zsg(data, ["labour", "energy"], ["gdp"], ["co2"], reallocate="co2", max_iter=1)
    assert not res.converged and res.rounds == 1
    assert abs(res.reallocated.sum() - data["co2"].sum()) <= 1e-9 * data["co2"].sum()


def test_exports_and_cli(data, crs, tmp_path, capsys):
    pytest.importorskip("matplotlib").use("Agg")
    assert list(crs.to_frame().columns[:2]) == ["province", "radial"]
    assert "ZSG-CCR" in crs.summary()
    path = tmp_path / "d.csv"
    data.to_csv(path, index=False)
    out = tmp_path / "z.csv"
    code = main(["zsg", str(path), "-x", "labour", "energy", "-y", "gdp", "--bad-outputs", "co2", "--reallocate",
                 "co2", "--id", "province", "-q", "-o", str(out), "--plot", str(tmp_path / "z.png")])
    assert code == 0, capsys.readouterr().err
    np.testing.assert_allclose(pd.read_csv(out)["reallocated"], crs.reallocated, rtol=1e-9)
    assert (tmp_path / "z.png").is_file()
