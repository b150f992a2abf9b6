"""Network DEA (frontier.network): the relational model (Kao & Hwang 2008; Kao 2009) and the additive two-stage
model (Chen, Cook, Li & Zhu 2009) against an independent cvxpy multiplier formulation on random data, the
decomposition identities, a single node against CCR, and the network's description refused where it is wrong."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

TWO_STAGE = {"nodes": {"rd": {"inputs": ["x1", "x2"]}, "market": {"outputs": ["y1", "y2"]}},
             "links": [("rd", "market", "z1"), ("rd", "market", "z2")]}


def _two_stage(seed: int, n: int = 14) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, 2))
    z = np.sqrt(x.prod(axis=1, keepdims=True)) * rng.uniform(0.3, 1.0, size=(n, 2)) * [1.0, 50.0]
    y = np.sqrt(z.prod(axis=1, keepdims=True)) * rng.uniform(0.3, 1.0, size=(n, 2)) * [1000.0, 1.0]
    return pd.DataFrame(np.hstack([x, z, y]), columns=["x1", "x2", "z1", "z2", "y1", "y2"])


def _matrices(data):
    return data[["x1", "x2"]].to_numpy(), data[["z1", "z2"]].to_numpy(), data[["y1", "y2"]].to_numpy()


@pytest.mark.parametrize("model,rts", [("relational", "crs"), ("additive", "crs"), ("additive", "vrs")])
def test_system_and_first_stage_equal_the_cvxpy_multiplier_form(model, rts):
    data = _two_stage(3)
    res = fr.network(data, **TWO_STAGE, model=model, rts=rts, ccr=False)
    assert (res.status == "optimal").all()
    X, Z, Y = _matrices(data)
    for o in range(len(data)):
        system, first = ref.network_two_stage(X, Z, Y, o, model, rts, first_stage=True)
        assert res.system.iloc[o] == pytest.approx(system, abs=1e-6)
        assert res.stages["1"].iloc[o] == pytest.approx(first, abs=1e-5)


def test_relational_decomposition_identities():
    """System = product of the stage efficiencies; 1 - system = the sum of the node slacks; every score in
    (0, 1]; the system below each stage (Kao & Hwang)."""
    res = fr.network(_two_stage(5), **TWO_STAGE, ccr=False)
    f = res.to_frame()
    np.testing.assert_allclose(f["stage_1"] * f["stage_2"], f["system"], atol=1e-8)
    np.testing.assert_allclose(f[["slack_rd", "slack_market"]].sum(axis=1), 1 - f["system"], atol=1e-8)
    scores = f[["system", "stage_1", "stage_2", "node_rd", "node_market"]].to_numpy()
    assert (scores > 0).all() and (scores <= 1 + 1e-9).all()
    assert (f["system"] <= f[["stage_1", "stage_2"]].min(axis=1) + 1e-8).all()
    assert (f[["slack_rd", "slack_market"]] >= -1e-9).all().all()


def test_kao_2009_series_parallel_identities():
    """Three processes (1 and 2 in parallel, both feeding 3) with shared system inputs: the slacks of the three
    processes add up to 1 - E and the two stages multiply to E, on random data."""
    rng = np.random.default_rng(11)
    n = 12
    cols = {c: rng.uniform(1, 10, n) for c in ["p1_x1", "p1_x2", "p2_x1", "p2_x2", "p3_x1", "p3_x2",
                                               "p1_y", "p1_z", "p2_y", "p2_z", "p3_y"]}
    data = pd.DataFrame(cols)
    nodes = {"1": {"inputs": {"x1": "p1_x1", "x2": "p1_x2"}, "outputs": {"y1": "p1_y"}},
             "2": {"inputs": {"x1": "p2_x1", "x2": "p2_x2"}, "outputs": {"y2": "p2_y"}},
             "3": {"inputs": {"x1": "p3_x1", "x2": "p3_x2"}, "outputs": {"y3": "p3_y"}}}
    links = [{"from": "1", "to": "3", "column": "p1_z", "measure": "y1"},
             {"from": "2", "to": "3", "column": "p2_z", "measure": "y2"}]
    res = fr.network(data, nodes=nodes, links=links)
    assert res.spec.network["stages"] == (("1", "2"), ("3",))
    f = res.to_frame()
    np.testing.assert_allclose(f[["slack_1", "slack_2", "slack_3"]].sum(axis=1), 1 - f["system"], atol=1e-8)
    np.testing.assert_allclose(f["stage_1"] * f["stage_2"], f["system"], atol=1e-8)


def test_additive_overall_is_the_weighted_mean_of_the_stages():
    for rts in ("crs", "vrs"):
        res = fr.network(_two_stage(8), **TWO_STAGE, model="additive", rts=rts, ccr=False)
        mean = (res.stages * res.stage_weights.to_numpy()).sum(axis=1)
        np.testing.assert_allclose(mean, res.system, atol=1e-8)
        np.testing.assert_allclose(res.stage_weights.sum(axis=1), 1.0, atol=1e-12)


def test_a_single_node_is_ccr_and_the_black_box_is_ccr():
    data = _two_stage(4)
    res = fr.network(data, nodes={"firm": {"inputs": ["x1", "x2"], "outputs": ["y1", "y2"]}})
    ccr = fr.efficiency(data, inputs=["x1", "x2"], outputs=["y1", "y2"], model="radial", rts="crs",
                        orientation="input").scores
    np.testing.assert_allclose(res.system, ccr, atol=1e-9)
    np.testing.assert_allclose(res.ccr["system"], ccr, atol=1e-12)
    additive = fr.network(data, nodes={"firm": {"inputs": ["x1", "x2"], "outputs": ["y1", "y2"]}},
                          model="additive", rts="vrs", ccr=False)
    bcc = fr.efficiency(data, inputs=["x1", "x2"], outputs=["y1", "y2"], model="radial", rts="vrs",
                        orientation="input").scores
    np.testing.assert_allclose(additive.system, bcc, atol=1e-8)


def test_the_system_is_never_above_the_black_box_ccr():
    res = fr.network(_two_stage(6), **TWO_STAGE)
    assert (res.system <= res.ccr["system"] + 1e-9).all()


def test_exports_and_summary(tmp_path):
    res = fr.network(_two_stage(2), **TWO_STAGE)
    res.to_csv(tmp_path / "n.csv")
    back = pd.read_csv(tmp_path / "n.csv")
    assert {"system", "stage_1", "stage_2", "node_rd", "slack_market", "ccr_system", "status"} <= set(back.columns)
    np.testing.assert_allclose(back["system"], res.system, atol=1e-12)
    res.to_excel(tmp_path / "n.xlsx")
    assert "relational" in str(res.summary()) and "rd -> market" in str(res.summary())
    assert str(res.spec.call).startswith("frontier.network(data, nodes=")


@pytest.mark.parametrize("kwargs,message", [
    ({"model": "relational", "rts": "vrs"}, "CRS only"),
    ({"model": "bogus"}, "model must be one of"),
    ({"links": [("rd", "lab", "z1")]}, "to node 'lab' is not one of"),
    ({"links": [("rd", "market", "x1")]}, "column 'x1' is in node 'rd' inputs and in link 0"),
    ({"links": [{"from": "rd", "to": "market", "column": "z1", "kind": "fixed"}]}, "kind 'fixed' is not defined"),
    ({"links": [("rd", "market", "z1"), ("market", "rd", "z2")]}, "cycle"),
    ({"stages": [["market"], ["rd"]]}, "goes back from stage 2 to stage 1"),
])
def test_a_wrong_network_is_refused_with_a_clear_message(kwargs, message):
    spec = {**TWO_STAGE, **kwargs}
    with pytest.raises(ValueError, match=message):
        fr.network(_two_stage(1), **spec)


def test_bad_outputs_are_refused_by_these_models():
    nodes = {"rd": {"inputs": ["x1", "x2"], "bad_outputs": ["z2"]}, "market": {"outputs": ["y1", "y2"]}}
    with pytest.raises(ValueError, match="bad outputs are not defined"):
        fr.network(_two_stage(1), nodes=nodes, links=[("rd", "market", "z1")])


def test_an_additive_decomposition_that_does_not_exist_is_named_and_keeps_the_system_score():
    """DMU 8 of this sample has stage weight w_1 = 0 at every optimum of its additive VRS score (cvxpy: the largest
    first-stage share of the input value over the optimal face is ~0), so E_1 = 0/0: the status says so instead
    of the solver-failure "decomposition_failed", the system score stands (the cvxpy optimum), the stages are NaN."""
    import cvxpy as cp

    rng = np.random.default_rng(5)
    x = rng.uniform(1.0, 10.0, size=(80, 3))
    z = np.sqrt(x[:, :2].prod(axis=1, keepdims=True)) * rng.uniform(0.3, 1.0, size=(80, 2))
    y = (z.sum(axis=1) * x[:, 2]) ** 0.5 * rng.uniform(0.3, 1.0, size=80)
    data = pd.DataFrame(np.column_stack([x, z, y]), columns=["x1", "x2", "x3", "z1", "z2", "y1"])
    res = fr.network(data, nodes={"rd": {"inputs": ["x1", "x2"]}, "market": {"inputs": ["x3"], "outputs": ["y1"]}},
                     links=[("rd", "market", "z1"), ("rd", "market", "z2")], model="additive", rts="vrs", ccr=False)
    assert res.status.iloc[8] == "first_stage_weight_zero"
    assert (res.status.drop(index=8) == "optimal").all()
    assert res.stages.iloc[8].isna().all()

    o, p, u0 = 8, cp.Variable(6, nonneg=True), cp.Variable(2)
    first_in = p[0] * x[:, 0] + p[1] * x[:, 1]
    links = p[3] * z[:, 0] + p[4] * z[:, 1]
    second_in, out = links + p[2] * x[:, 2], p[5] * y
    nodes = [links - first_in + u0[0] <= 0, out - second_in + u0[1] <= 0, first_in[o] + second_in[o] == 1]
    system = cp.Problem(cp.Maximize(links[o] + out[o] + cp.sum(u0)), nodes)
    system.solve()
    assert res.system.iloc[o] == pytest.approx(system.value, abs=1e-6)
    share = cp.Problem(cp.Maximize(first_in[o]), nodes + [links[o] + out[o] + cp.sum(u0) >= system.value - 1e-7])
    share.solve()
    assert share.value < 1e-5
