"""Three-stage DEA (Fried, Lovell, Schmidt & Yaisawarng 2002): each stage against an independent computation
(stage 1 = fr.efficiency, stage 2 = fr.sfa on the slacks, the separation by Luo's closed form, the adjustment by
hand in numpy, stage 3 = fr.efficiency on the hand-adjusted inputs), properties of the adjustment, the warnings."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

import frontier as fr
from frontier.cli import main

INPUTS, OUTPUTS, ENVIRONMENT = ["x1", "x2"], ["y"], ["z1", "z2"]


def provinces(n: int = 80, seed: int = 3) -> pd.DataFrame:
    """Inputs inflated by the environment (z1 raises both, z2 lowers x2), half-normal inefficiency and noise."""
    rng = np.random.default_rng(seed)
    z1, z2, y = rng.uniform(0, 1, n), rng.uniform(0, 1, n), rng.uniform(5, 10, n)
    x1 = y * np.exp(0.4 * z1 + np.abs(rng.normal(0, 0.2, n)) + rng.normal(0, 0.1, n))
    x2 = y * np.exp(0.3 * z1 - 0.2 * z2 + np.abs(rng.normal(0, 0.2, n)) + rng.normal(0, 0.1, n))
    return pd.DataFrame({"region": [f"r{i:02d}" for i in range(n)], "x1": x1, "x2": x2, "y": y, "z1": z1, "z2": z2})


@pytest.fixture(scope="module")
def data():
    return provinces()


@pytest.fixture(scope="module")
def result(data):
    with warnings.catch_warnings():
        warnings.simplefilter("error")                       # this example's second stages are not degenerate
        return fr.three_stage(data, INPUTS, OUTPUTS, environment=ENVIRONMENT, id="region")


def test_stage1_is_efficiency_and_the_slacks_are_x_minus_target(data, result):
    stage1 = fr.efficiency(data, INPUTS, OUTPUTS, model="radial", rts="vrs")
    np.testing.assert_allclose(result.stage1.scores, stage1.scores, rtol=1e-12)
    np.testing.assert_allclose(result.slacks, data[INPUTS] - stage1.targets[INPUTS], atol=1e-12)
    assert (result.slacks.to_numpy() >= -1e-9).all()


def test_stage2_is_sfa_on_each_slack(data, result):
    for name in INPUTS:
        frame = data[ENVIRONMENT].assign(s=result.slacks[name])
        fit = fr.sfa(frame, "s", ENVIRONMENT, frontier="cost", log=False)
        np.testing.assert_allclose(result.sfa[name].params.to_numpy(), fit.params.to_numpy(), rtol=1e-10)
        assert result.sfa[name].lr_test.statistic == pytest.approx(fit.lr_test.statistic, rel=1e-10)
        assert 0.05 < fit.params["gamma"] < 0.9999
    assert set(result.lr_tests().index) == set(INPUTS)


def test_the_separation_is_luos_formula(data, result):
    """E[u|e] = sigma_* [phi(lambda e / sigma) / Phi(lambda e / sigma) + lambda e / sigma] for the half-normal cost
    frontier (Luo Dengyue 2012), E[v|e] = s - z b - E[u|e], written out here from the parameters."""
    for name in INPUTS:
        p = result.sfa[name].params
        zb = p["const"] + data[ENVIRONMENT].to_numpy() @ p[ENVIRONMENT].to_numpy()
        e = result.slacks[name].to_numpy() - zb
        sigma = np.sqrt(p["sigma_squared"])
        sigma_u, sigma_v = np.sqrt(p["gamma"]) * sigma, np.sqrt(1 - p["gamma"]) * sigma
        lam, sigma_star = sigma_u / sigma_v, sigma_u * sigma_v / sigma
        a = lam * e / sigma
        u = sigma_star * (norm.pdf(a) / norm.cdf(a) + a)
        np.testing.assert_allclose(result.environment_effect[name], zb, rtol=1e-10)
        np.testing.assert_allclose(result.managerial[name], u, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(result.noise[name], e - u, rtol=1e-8, atol=1e-10)


def test_the_adjustment_by_hand_and_stage3_is_efficiency_on_it(data, result):
    x = data[INPUTS].to_numpy()
    zb, v = result.environment_effect.to_numpy(), result.noise.to_numpy()
    adjusted = x + (zb.max(axis=0) - zb) + (v.max(axis=0) - v)
    np.testing.assert_allclose(result.adjusted.to_numpy(), adjusted, rtol=1e-12)
    stage3 = fr.efficiency(data.assign(x1=adjusted[:, 0], x2=adjusted[:, 1]), INPUTS, OUTPUTS, model="radial")
    np.testing.assert_allclose(result.stage3.scores, stage3.scores, rtol=1e-10)
    np.testing.assert_allclose(result.table["change"], stage3.scores - result.stage1.scores, atol=1e-12)


def test_adjusted_inputs_never_fall_and_the_best_placed_dmu_keeps_that_term(result):
    assert (result.adjusted.to_numpy() >= result.stage1.observed[INPUTS].to_numpy() - 1e-12).all()
    for name in INPUTS:
        env_term = result.environment_effect[name].max() - result.environment_effect[name]
        noise_term = result.noise[name].max() - result.noise[name]
        # the DMU in the least favourable environment (largest z b) gets no environment adjustment, the one with
        # the worst luck (largest v) no noise adjustment; the others get a positive amount
        assert env_term[result.environment_effect[name].idxmax()] == 0.0 and (env_term >= 0).all()
        assert noise_term[result.noise[name].idxmax()] == 0.0 and (noise_term >= 0).all()


def test_an_affine_change_of_the_environment_changes_nothing(data, result):
    """Only differences of z b enter: z -> 3 z - 2 (the intercept and the slopes absorb it) gives the same
    adjusted inputs and stage-3 scores."""
    moved = data.assign(z1=3 * data["z1"] - 2, z2=0.5 * data["z2"] + 7)
    again = fr.three_stage(moved, INPUTS, OUTPUTS, environment=ENVIRONMENT, id="region")
    np.testing.assert_allclose(again.adjusted, result.adjusted, rtol=1e-5)
    np.testing.assert_allclose(again.scores, result.scores, rtol=1e-5)


def test_environment_raising_the_slacks_gets_a_positive_coefficient(result):
    """The simulated environment: z1 inflates both inputs (more slack), the coefficient is positive."""
    assert result.sfa["x1"].params["z1"] > 0 and result.sfa["x2"].params["z1"] > 0


def test_a_degenerate_second_stage_warns_naming_the_input():
    """Many DMUs on the frontier with exactly zero slack pin a deterministic frontier: gamma ends at 1."""
    rng = np.random.default_rng(1)
    n = 60
    z1, z2 = rng.uniform(0, 1, n), rng.uniform(0, 1, n)
    x1, x2 = rng.uniform(5, 10, n), rng.uniform(5, 10, n)
    y = (x1 ** 0.5 * x2 ** 0.4) * np.exp(-np.abs(rng.normal(0, 0.3, n)) - 0.3 * z1)
    df = pd.DataFrame({"x1": x1, "x2": x2, "y": y, "z1": z1, "z2": z2})
    with pytest.warns(UserWarning, match=r"three_stage: the second stage of input 'x1'.*gamma"):
        res = fr.three_stage(df, INPUTS, OUTPUTS, environment=ENVIRONMENT)
    assert any("gamma" in w and "'x2'" in w for w in res.warnings)


def test_bad_environment_is_refused(data):
    with pytest.raises(ValueError, match="environment="):
        fr.three_stage(data, INPUTS, OUTPUTS, environment=[])
    with pytest.raises(ValueError, match="not found"):
        fr.three_stage(data, INPUTS, OUTPUTS, environment=["nope"])
    with pytest.raises(ValueError, match="rows"):
        fr.three_stage(data.assign(z1=data["z1"].where(data.index != 3)), INPUTS, OUTPUTS, environment=ENVIRONMENT)
    with pytest.raises(ValueError, match="distribution"):
        fr.three_stage(data, INPUTS, OUTPUTS, environment=ENVIRONMENT, distribution="gamma")


def test_sbm_stage1_and_exports(data, tmp_path):
    res = fr.three_stage(data, INPUTS, OUTPUTS, environment=ENVIRONMENT, model="sbm", id="region")
    sbm = fr.efficiency(data, INPUTS, OUTPUTS, model="sbm")
    np.testing.assert_allclose(res.stage1.scores, sbm.scores, rtol=1e-10)
    frame = res.to_frame()
    assert list(frame.columns[:1]) == ["region"] and "adjusted_x2" in frame and "noise_x1" in frame
    res.to_csv(tmp_path / "ts.csv")
    back = pd.read_csv(tmp_path / "ts.csv")
    np.testing.assert_allclose(back["score_stage3"], res.scores, rtol=1e-9)
    assert "three_stage" in res.summary() and "LR =" in res.summary()


def test_cli_three_stage(data, tmp_path, capsys):
    pytest.importorskip("matplotlib").use("Agg")
    path = tmp_path / "d.csv"
    data.to_csv(path, index=False)
    out = tmp_path / "out.csv"
    code = main(["three-stage", str(path), "-x", *INPUTS, "-y", *OUTPUTS, "--environment", *ENVIRONMENT,
                 "--id", "region", "-q", "-o", str(out), "--plot", str(tmp_path / "change.png")])
    assert code == 0, capsys.readouterr().err
    api = fr.three_stage(data, INPUTS, OUTPUTS, environment=ENVIRONMENT, id="region")
    np.testing.assert_allclose(pd.read_csv(out)["score_stage3"], api.scores, rtol=1e-9)
    assert (tmp_path / "change.png").is_file()
