"""The second stages beside Simar & Wilson (2007): ``second_stage(..., method="tobit" | "fractional" | "ols")``.

Each against an independent fit written here (a plain Tobit likelihood and the Bernoulli quasi-likelihood maximised
by scipy.optimize, standard errors from numerical derivatives; OLS by numpy lstsq with HC1 by hand; statsmodels' GLM
where installed), the properties (covariate units, Tobit without censoring = OLS), the command line's --method, the
exports with Chinese covariate names, and the refusals.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import norm, t as student_t

import frontier as fr
from frontier.cli import main
from frontier.io import read_table


def censored_sample(rng, n=150, side="above"):
    """y* = 0.8 + 0.1 a - 0.15 b + 0.15 e; y = min(y*, 1) (an efficiency) or max(y*, 1) mirrored (a distance >= 1);
    about a third of the DMUs at 1."""
    a, b = rng.normal(size=n), rng.uniform(-1, 1, n)
    latent = 0.8 + 0.1 * a - 0.15 * b + 0.15 * rng.normal(size=n)
    y = np.minimum(latent, 1.0) if side == "above" else np.maximum(2.0 - latent, 1.0)
    return pd.DataFrame({"a": a, "b": b}), pd.Series(y, name="score")


def numerical_gradient(f, p, h=1e-6):
    return np.array([(f(p + h * e) - f(p - h * e)) / (2 * h) for e in np.eye(len(p))])


def numerical_sandwich(per_observation, p, n):
    """H^-1 (sum g_i g_i') H^-1 n/(n-1), g_i and H by central differences of the per-observation log-likelihood."""
    scores = np.column_stack([(per_observation(p + 1e-6 * e) - per_observation(p - 1e-6 * e)) / 2e-6
                              for e in np.eye(len(p))])
    hessian = np.column_stack([numerical_gradient(lambda q: per_observation(q).sum(), p + 1e-4 * e)
                               - numerical_gradient(lambda q: per_observation(q).sum(), p - 1e-4 * e)
                               for e in np.eye(len(p))]) / 2e-4
    bread = np.linalg.inv(hessian)
    return n / (n - 1) * bread @ (scores.T @ scores) @ bread


# -- each method against an independent fit ---------------------------------------------------------------------------

@pytest.mark.parametrize("side", ["above", "below"])
def test_tobit_matches_a_plain_likelihood_and_its_numerical_sandwich(side):
    """Scores in (0, 1] are censored above at 1, distances >= 1 below at 1: the likelihood written out here."""
    data, y = censored_sample(np.random.default_rng(3), side=side)
    Z = np.column_stack([np.ones(len(y)), data[["a", "b"]]])
    at_bound = y.to_numpy() == 1.0
    assert 20 < at_bound.sum() < 100

    def per_observation(p):                          # (beta, sigma): the Tobit density, by scipy.stats.norm
        mu, sigma = Z @ p[:3], p[3]
        tail = norm.logsf((1.0 - mu) / sigma) if side == "above" else norm.logcdf((1.0 - mu) / sigma)
        return np.where(at_bound, tail, norm.logpdf(y.to_numpy(), mu, sigma))

    ref = minimize(lambda q: -per_observation(np.append(q[:3], np.exp(q[3]))).sum(), [0.5, 0.0, 0.0, -1.0],
                   method="BFGS", options={"gtol": 1e-10})
    estimate = np.append(ref.x[:3], np.exp(ref.x[3]))
    res = fr.second_stage(y, data, ["a", "b"], method="tobit")
    table = res.table()
    assert list(table.index) == ["const", "a", "b", "sigma"]
    np.testing.assert_allclose(table["coefficient"], estimate, atol=1e-5)
    assert res.loglik == pytest.approx(per_observation(estimate).sum(), abs=1e-8)
    assert res.loglik >= per_observation(estimate).sum() - 1e-10         # ours is the maximum
    covariance = numerical_sandwich(per_observation, table["coefficient"].to_numpy(), len(y))
    np.testing.assert_allclose(table["std_error"], np.sqrt(np.diag(covariance)), rtol=1e-4)
    assert int(res.censored.sum()) == at_bound.sum() and res.censoring == f"{side} at 1"
    z = table["coefficient"] / table["std_error"]
    np.testing.assert_allclose(table["p_value"][:3], 2 * norm.sf(np.abs(z[:3])), rtol=1e-10)
    np.testing.assert_allclose(table["upper"] - table["coefficient"], norm.ppf(0.975) * table["std_error"])
    assert np.isnan(table.loc["sigma", "z"]) and table.loc["sigma", "significant"] is None
    # the sign: an efficiency rises with a positive coefficient; a distance phi >= 1 falls
    assert ("RAISES efficiency" if side == "above" else "LOWERS efficiency") in table.attrs["sign_convention"]


def fractional_sample(rng, n=200):
    a, b = rng.normal(size=n), rng.integers(0, 2, n)
    y = np.minimum(expit(0.5 + 0.8 * a - 0.4 * b + 0.6 * rng.normal(size=n)) + 0.1, 1.0)      # some at 1
    return pd.DataFrame({"a": a, "b": b}), pd.Series(y, name="score")


def test_fractional_logit_matches_a_direct_quasi_likelihood_maximisation():
    data, y = fractional_sample(np.random.default_rng(5))
    assert (y == 1).sum() > 5
    Z = np.column_stack([np.ones(len(y)), data[["a", "b"]]])
    v = y.to_numpy()

    def per_observation(beta):                       # the Bernoulli quasi-log-likelihood of Papke & Wooldridge
        mean = expit(Z @ beta)
        return v * np.log(mean) + (1 - v) * np.log1p(-mean)

    ref = minimize(lambda q: -per_observation(q).sum(), np.zeros(3), method="BFGS", options={"gtol": 1e-10})
    res = fr.second_stage(y, data, ["a", "b"], method="fractional")
    table = res.table()
    assert list(table.index) == ["const", "a", "b"] and res.sigma is None
    np.testing.assert_allclose(table["coefficient"], ref.x, atol=1e-5)
    covariance = numerical_sandwich(per_observation, table["coefficient"].to_numpy(), len(y))
    np.testing.assert_allclose(table["std_error"], np.sqrt(np.diag(covariance)), rtol=1e-4)
    assert res.loglik == pytest.approx(per_observation(ref.x).sum(), abs=1e-7)


def test_fractional_logit_matches_statsmodels_glm_binomial():
    sm = pytest.importorskip("statsmodels.api")
    data, y = fractional_sample(np.random.default_rng(6))
    Z = sm.add_constant(data[["a", "b"]].astype(float))
    glm = sm.GLM(y, Z, family=sm.families.Binomial()).fit(cov_type="HC0", tol=1e-12)
    table = fr.second_stage(y, data, ["a", "b"], method="fractional").table()
    n = len(y)
    np.testing.assert_allclose(table["coefficient"], glm.params, atol=1e-6)
    np.testing.assert_allclose(table["std_error"], glm.bse * np.sqrt(n / (n - 1)), rtol=1e-5)   # Stata's n/(n-1)


def test_ols_matches_lstsq_with_hc1_by_hand():
    rng = np.random.default_rng(7)
    data = pd.DataFrame({"a": rng.normal(size=80), "b": rng.normal(size=80)})
    y = pd.Series(np.clip(0.7 + 0.1 * data["a"] + 0.05 * rng.normal(size=80) * (1 + data["b"] ** 2), 0.05, 1.0))
    X = np.column_stack([np.ones(80), data])
    beta = np.linalg.lstsq(X, y.to_numpy(), rcond=None)[0]
    e = y.to_numpy() - X @ beta
    bread = np.linalg.inv(X.T @ X)
    hc1 = 80 / (80 - 3) * bread @ X.T @ np.diag(e ** 2) @ X @ bread
    res = fr.second_stage(y, data, ["a", "b"], method="ols")
    table = res.table()
    np.testing.assert_allclose(table["coefficient"], beta, rtol=1e-10)
    np.testing.assert_allclose(table["std_error"], np.sqrt(np.diag(hc1)), rtol=1e-10)
    t = beta / np.sqrt(np.diag(hc1))
    np.testing.assert_allclose(table["p_value"], 2 * student_t.sf(np.abs(t), 77), rtol=1e-10)    # Stata's regress
    np.testing.assert_allclose(table["lower"], beta - student_t.ppf(0.975, 77) * np.sqrt(np.diag(hc1)))
    assert res.statistic == "t" and "P>|t|" in str(res.summary()) and "sigma" not in table.index


# -- properties ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["tobit", "fractional", "ols"])
@pytest.mark.parametrize("scale, shift", [(1e4, 0.0), (1e-6, 0.0), (1.0, 2000.0), (-1e4, 2000.0)])
def test_a_covariate_in_other_units_gives_the_same_fit_in_those_units(method, scale, shift):
    data, y = censored_sample(np.random.default_rng(9), n=90)
    base = fr.second_stage(y, data, ["a", "b"], method=method).table()
    moved = fr.second_stage(y, data.assign(a=scale * data["a"] + shift), ["a", "b"], method=method).table()
    tol = 1e-7
    np.testing.assert_allclose(moved.loc["a", ["coefficient", "std_error"]],
                               [base.loc["a", "coefficient"] / scale, base.loc["a", "std_error"] / abs(scale)], rtol=tol)
    assert moved.loc["const", "coefficient"] == pytest.approx(
        base.loc["const", "coefficient"] - base.loc["a", "coefficient"] * shift / scale, rel=tol, abs=tol)
    others = [t for t in base.index if t not in ("a", "const")]
    np.testing.assert_allclose(moved.loc[others, ["coefficient", "std_error", "z"]].to_numpy(float),
                               base.loc[others, ["coefficient", "std_error", "z"]].to_numpy(float), rtol=tol)
    np.testing.assert_allclose(moved.loc["a", "z"], np.sign(scale) * base.loc["a", "z"], rtol=tol)


def test_tobit_without_censored_dmus_is_ols():
    """No score at the bound: the Tobit likelihood is the normal regression's, so its coefficients are OLS's and its
    sigma the ML root mean square residual."""
    rng = np.random.default_rng(2)
    data = pd.DataFrame({"a": rng.normal(size=60)})
    y = pd.Series(0.6 + 0.05 * data["a"] + 0.05 * rng.normal(size=60))
    assert (y < 1).all()
    tobit = fr.second_stage(y, data, ["a"], method="tobit")
    ols = fr.second_stage(y, data, ["a"], method="ols")
    np.testing.assert_allclose(tobit.coefficients, ols.coefficients, rtol=1e-9)
    residuals = y - ols.coefficients["const"] - ols.coefficients["a"] * data["a"]
    assert tobit.sigma == pytest.approx(np.sqrt(np.mean(residuals ** 2)), rel=1e-9)
    assert int(tobit.censored.sum()) == 0


def test_the_dependent_follows_the_first_stage_s_convention():
    """Radial input theta and SBM rho are efficiencies in (0, 1] (Tobit censored above); radial output phi is a
    distance >= 1 (censored below); the fractional logit regresses theta, or 1/phi."""
    data, _ = censored_sample(np.random.default_rng(4), n=40)
    rng = np.random.default_rng(4)
    frame = data.assign(x=rng.uniform(6, 16, 40))
    frame["y"] = frame["x"] ** 0.75 * np.exp(-np.abs(0.2 + 0.1 * frame["a"] + 0.1 * rng.normal(size=40)))
    out = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", rts="vrs")
    inp = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="input", rts="vrs")
    sbm = fr.efficiency(frame, ["x"], ["y"], model="sbm", rts="vrs")
    assert fr.second_stage(out, frame, "a", method="tobit").censoring == "below at 1"
    assert fr.second_stage(inp, frame, "a", method="tobit").censoring == "above at 1"
    assert fr.second_stage(sbm, frame, "a", method="tobit").censoring == "above at 1"
    res = fr.second_stage(out, frame, "a", method="fractional")
    np.testing.assert_allclose(res.dependent, 1 / out.scores)
    direct = fr.second_stage(1 / out.scores, frame, "a", method="fractional")
    pd.testing.assert_frame_equal(res.table(), direct.table())
    np.testing.assert_allclose(fr.second_stage(out, frame, "a", method="ols").dependent, out.scores)


def test_sw2007_is_the_default_and_unchanged():
    data, y = censored_sample(np.random.default_rng(1), n=50, side="below")
    default = fr.second_stage(y, data, ["a"], L2=60, random_state=0)
    named = fr.second_stage(y, data, ["a"], method="sw2007", L2=60, random_state=0)
    assert default.method == "sw2007"
    pd.testing.assert_frame_equal(default.table(), named.table())
    assert "Bootstrap Std. Err." in str(default.summary())


# -- refusals -------------------------------------------------------------------------------------------------------------

def test_refusals_name_the_reason():
    data, y = censored_sample(np.random.default_rng(3), n=40)
    with pytest.raises(ValueError, match=r"method must be one of \('sw2007', 'tobit', 'fractional', 'ols'\).*"
                                         r"LP strategy .* lp_method"):
        fr.second_stage(y, data, ["a"], method="full")
    with pytest.raises(ValueError, match=r"algorithm=2 is Simar & Wilson's .* method='sw2007'"):
        fr.second_stage(y, data, ["a"], method="tobit", algorithm=2)
    crossing = y.copy()
    crossing.iloc[[2, 5]] = 1.2                      # super-efficiency scores above 1
    for method in ("tobit", "fractional"):
        with pytest.raises(ValueError, match=r"one side of 1 .*rows \[2, 5\]|rows \[2, 5\].*above 1"):
            fr.second_stage(crossing, data, ["a"], method=method)
    assert fr.second_stage(crossing, data, ["a"], method="ols").n == 40          # OLS takes them as they are
    with pytest.raises(ValueError, match=r"too few uncensored"):
        fr.second_stage(pd.Series(1.0, index=data.index), data, ["a"], method="tobit")
    with pytest.raises(ValueError, match=r"fractional fit did not converge"):
        fr.second_stage(pd.Series(1.0, index=data.index), data, ["a"], method="fractional")
    with pytest.raises(ValueError, match=r"covariate 'c' is constant"):
        fr.second_stage(y, data.assign(c=3.0), ["a", "c"], method="ols")
    frame = data.assign(x=np.linspace(1, 2, 40), yy=np.linspace(1, 3, 40) ** 0.5, bad=np.linspace(0, 1, 40))
    ddf = fr.efficiency(frame, ["x"], ["yy"], model="ddf")
    with pytest.raises(ValueError, match=r"model 'ddf' scores something else"):
        fr.second_stage(ddf, frame, ["a"], method="tobit")


# -- the command line and the files ---------------------------------------------------------------------------------------

def test_cli_method_flag_gives_the_api_s_table(tmp_path):
    data, y = censored_sample(np.random.default_rng(8), n=60)
    frame = data.assign(score=y)
    path = tmp_path / "scores.csv"
    frame.to_csv(path, index=False)
    for method in ("tobit", "fractional", "ols"):
        out = tmp_path / f"{method}.csv"
        assert main(["second-stage", str(path), "--score", "score", "--covariates", "a", "b", "--method", method,
                     "-o", str(out), "-q"]) == 0
        expected = fr.second_stage(y, data, ["a", "b"], method=method).table()
        back = read_table(out)
        assert back["term"].tolist() == list(expected.index)
        np.testing.assert_allclose(back["std_error"].to_numpy(float), expected["std_error"].to_numpy(float),
                                   rtol=1e-10)


@pytest.mark.parametrize("method", ["tobit", "fractional", "ols"])
def test_exports_to_stata_and_excel_keep_chinese_covariate_names(method, tmp_path):
    data, y = censored_sample(np.random.default_rng(12), n=60)
    data = data.rename(columns={"a": "国有比重", "b": "开放度"})
    data["城市"] = [f"c{i:02d}" for i in range(60)]
    res = fr.second_stage(y, data, ["国有比重", "开放度"], id="城市", method=method)
    table = res.table()
    res.to_stata(tmp_path / "t.dta")
    back = pd.read_stata(tmp_path / "t.dta")
    assert list(back.columns) == ["term", "coefficient", "std_error", "z", "p_value", "lower", "upper",
                                  "significant", "stars"]
    assert back["term"].tolist() == list(table.index) and back["term"][1] == "国有比重"
    np.testing.assert_allclose(back["std_error"].to_numpy(float), table["std_error"].to_numpy(float), rtol=1e-12)
    spec = fr.io.read_specification(tmp_path / "t.dta")
    assert spec["call"].startswith("frontier.second_stage(scores, data") and f"method='{method}'" in spec["call"]
    assert "robust" in spec["standard errors"].lower()
    openpyxl = pytest.importorskip("openpyxl")
    res.to_excel(tmp_path / "t.xlsx")
    book = openpyxl.load_workbook(tmp_path / "t.xlsx")
    assert book.sheetnames == ["second stage", "dependent", "specification"]
    assert [cell.value for cell in book["dependent"][1]][:2] == ["城市", res.dependent.name]
    rows = list(book["second stage"].iter_rows(values_only=True))
    assert rows[2][0] == "国有比重"
