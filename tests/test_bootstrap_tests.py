"""fr.test_returns_to_scale (Simar & Wilson 2002) and fr.test_independence (Wilson 2003): size on data generated
under H0 and power against a clear alternative (small seeded Monte Carlo designs), determinism, the statistics
against direct computations, refusals and the report."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.analyses.bootstrap_tests import independence_statistic, rts_statistic


def cobb_douglas(n: int, rng: np.random.Generator, degree: float = 1.0, dependent: bool = False) -> pd.DataFrame:
    """Two inputs, one output, input orientation: frontier inputs x0 ~ U(1, 10)^2, y = (x01 x02)^(degree/2)
    (degree 1: CRS; below 1: decreasing returns), true efficiency theta = exp(-u), observed x = x0 / theta. u ~
    |N(0, 0.3^2)| independent of (y, the input mix), or (``dependent``) with the scale (angle / (pi/2))^2 of the
    mix's angle arctan(x02 / x01)."""
    x0 = rng.uniform(1, 10, size=(n, 2))
    scale = (np.arctan2(x0[:, 1], x0[:, 0]) / (np.pi / 2)) ** 2 if dependent else 0.3
    theta = np.exp(-np.abs(rng.normal(0, 1, n)) * scale)
    x = x0 / theta[:, None]
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": (x0[:, 0] * x0[:, 1]) ** (degree / 2)})


def output_cobb_douglas(n: int, rng: np.random.Generator, degree: float = 1.0, dependent: bool = False
                        ) -> pd.DataFrame:
    """The output-oriented design: x ~ U(1, 10)^2 observed, y = (x1 x2)^(degree/2) exp(-u), u ~ |N(0, 0.3^2)|, so
    the output efficiency exp(u) is independent of the inputs (the output orientation's homogeneity)."""
    x = rng.uniform(1, 10, size=(n, 2))
    y = (x[:, 0] * x[:, 1]) ** (degree / 2) * np.exp(-np.abs(rng.normal(0, 0.3, n)))
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": y})


def p_values(test, degree: float, reps: int, n: int, B: int, seed: int, dependent: bool = False, **kw) -> np.ndarray:
    rng = np.random.default_rng(seed)
    design = output_cobb_douglas if kw.get("orientation") == "output" else cobb_douglas
    return np.array([test(design(n, rng, degree, dependent), ["x1", "x2"], ["y"], B=B, random_state=r,
                          **kw).p_value for r in range(reps)])


# ----------------------------------------------------------------------------------------------------
# Monte Carlo size and power (seeded: the numbers are fixed; the bounds say what a working test must meet)
# ----------------------------------------------------------------------------------------------------

def test_returns_to_scale_size_under_crs():
    """n = 30, B = 49, 40 samples drawn under CRS: at the 5% level a test of the right size rejects about 2 times
    (binomial sd 1.4); the bound 6 (15%) fails a test that rejects far too often, and the p-values of a test of
    the right size average about 0.5 (a one-sided mistake drives them to 0 or 1)."""
    p = p_values(fr.test_returns_to_scale, 1.0, reps=40, n=30, B=49, seed=11)
    assert (p <= 0.05).sum() <= 6, p
    assert 0.3 <= p.mean() <= 0.7, p.mean()


def test_returns_to_scale_power_against_decreasing_returns():
    """y = (x1 x2)^0.3 (decreasing returns everywhere): H0 CRS is false and is rejected in most samples; H0 NIRS
    is true there and is not."""
    crs = p_values(fr.test_returns_to_scale, 0.6, reps=10, n=30, B=49, seed=12)
    assert (crs <= 0.05).sum() >= 8, crs
    nirs = p_values(fr.test_returns_to_scale, 0.6, reps=10, n=30, B=49, seed=12, null="nirs")
    assert (nirs <= 0.05).sum() <= 3, nirs


def test_returns_to_scale_output_orientation_rejects_the_right_side():
    """Output orientation rejects for large statistics (phi_CRS >= phi_VRS): on the output-oriented design (the
    efficiency independent of the inputs; the input-oriented design breaks the output orientation's homogeneity
    and the test then rejects CRS wrongly) decreasing returns are rejected, CRS mostly not."""
    power = p_values(fr.test_returns_to_scale, 0.6, reps=8, n=30, B=49, seed=13, orientation="output")
    size = p_values(fr.test_returns_to_scale, 1.0, reps=8, n=30, B=49, seed=13, orientation="output")
    assert (power <= 0.05).sum() >= 6 and (size <= 0.05).sum() <= 2, (power, size)


def test_independence_size_and_power():
    """n = 40, B = 99, 40 samples with the inefficiency independent of the mix: about 2 rejections at 5% (bound 6);
    with the inefficiency's scale growing with the mix's angle, most samples are rejected."""
    size = p_values(fr.test_independence, 1.0, reps=40, n=40, B=99, seed=21, rts="crs")
    assert (size <= 0.05).sum() <= 6, size
    assert 0.3 <= size.mean() <= 0.7, size.mean()
    power = p_values(fr.test_independence, 1.0, reps=10, n=40, B=99, seed=22, dependent=True, rts="crs")
    assert (power <= 0.05).sum() >= 7, power


# ----------------------------------------------------------------------------------------------------
# the numbers
# ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def crs_data():
    return cobb_douglas(25, np.random.default_rng(5))


def test_statistics_and_p_value_from_their_parts(crs_data):
    """The statistic is mean(theta_CRS)/mean(theta_VRS) of fr.efficiency's scores; the p-value is the share of
    replicates at or below it (input orientation); mean_of_ratios is mean(theta_CRS/theta_VRS)."""
    res = fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], B=30, random_state=3)
    crs = fr.efficiency(crs_data, ["x1", "x2"], ["y"], model="radial", orientation="input", rts="crs").scores
    vrs = fr.efficiency(crs_data, ["x1", "x2"], ["y"], model="radial", orientation="input", rts="vrs").scores
    assert res.value == pytest.approx(crs.mean() / vrs.mean(), rel=1e-9)
    np.testing.assert_allclose(res.table["crs"], crs, rtol=1e-9)
    assert res.p_value == pytest.approx((res.replicates <= res.value).mean())
    assert int(res.test["B"].iloc[0]) == 30 and res.reject == (res.p_value <= 0.05)
    ratios = fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], B=30, random_state=3,
                                      statistic="mean_of_ratios")
    assert ratios.value == pytest.approx((crs / vrs).mean(), rel=1e-9)
    assert rts_statistic(np.array([[1.0, np.nan, 0.5]]), np.array([[1.0, 1.0, 1.0]]), "ratio_of_means")[0] == 0.75


def test_independence_statistic_by_brute_force():
    rng = np.random.default_rng(0)
    s, w = rng.uniform(size=12), rng.uniform(size=(12, 2))
    expected = 0.0
    for i in range(12):
        joint = np.mean((s <= s[i]) & (w <= w[i]).all(axis=1))
        expected += (joint - np.mean(s <= s[i]) * np.mean((w <= w[i]).all(axis=1))) ** 2
    assert independence_statistic(s[None], w[None])[0] == pytest.approx(expected)


def test_the_same_seed_gives_the_same_p_value_whatever_n_jobs(crs_data):
    one = fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], B=20, random_state=9)
    two = fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], B=20, random_state=9, n_jobs=2)
    pd.testing.assert_series_equal(one.replicates, two.replicates)
    other = fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], B=20, random_state=10)
    assert not np.allclose(one.replicates, other.replicates)
    a = fr.test_independence(crs_data, ["x1", "x2"], ["y"], B=20, random_state=9)
    b = fr.test_independence(crs_data, ["x1", "x2"], ["y"], B=20, random_state=np.random.default_rng(9))
    pd.testing.assert_series_equal(a.replicates, b.replicates)


# ----------------------------------------------------------------------------------------------------
# refusals and the report
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    ({"null": "vrs"}, "null must be one of"), ({"statistic": "median"}, "statistic must be one of"),
    ({"B": 1}, "B .the number of bootstrap replicates"), ({"alpha": 1.5}, "alpha must be"),
    ({"orientation": "nonoriented"}, "orientation must be"), ({"bandwidth": "scott"}, "bandwidth must be"),
])
def test_returns_to_scale_refuses_bad_settings(crs_data, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], **kwargs)


def test_independence_refuses_ndrs_and_rows_without_inputs(crs_data):
    with pytest.raises(ValueError, match="rts must be one of"):
        fr.test_independence(crs_data, ["x1", "x2"], ["y"], rts="ndrs")
    bad = crs_data.copy()
    bad.loc[3, ["x1", "x2"]] = 0.0
    with pytest.raises(ValueError, match=r"rows \[3\] have every input zero"):
        fr.test_independence(bad, ["x1", "x2"], ["y"])


def test_the_report_prints_the_test_table_and_exports(crs_data, tmp_path):
    res = fr.test_returns_to_scale(crs_data, ["x1", "x2"], ["y"], B=20, random_state=1, null="nirs")
    text = str(res.summary())
    assert "H0 NIRS against VRS" in text and "p-value" in text and "B = 20" in text
    assert list(res.test.columns) == ["H0", "H1", "statistic", "value", "p_value", "B", "alpha", "decision"]
    res.to_excel(tmp_path / "rts.xlsx")
    assert pd.read_excel(tmp_path / "rts.xlsx", sheet_name="test")["p_value"].iloc[0] == pytest.approx(res.p_value)
    ind = fr.test_independence(crs_data, ["x1", "x2"], ["y"], B=20, random_state=1, orientation="output")
    assert list(ind.table.columns) == ["score", "x1", "x2", "status"]          # one output: no mix angle
    assert "independent of the output mix" in str(ind.summary())
    ind.to_csv(tmp_path / "ind.csv")
    assert len(pd.read_csv(tmp_path / "ind.csv")) == len(crs_data)
