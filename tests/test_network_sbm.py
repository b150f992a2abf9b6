"""Network SBM (frontier.network(model="sbm"), Tone & Tsutsui 2009) against an independent cvxpy formulation written
from the paper on random data (three orientations, CRS, VRS and mixed per node, free and fixed links, with and
without bad outputs), one node against the package's SBM, the overall score against the divisional ones as the
paper states, and a wrong call refused with a clear message."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

ORIENTATIONS = ("nonoriented", "input", "output")


def _data(seed: int, n: int = 9) -> pd.DataFrame:
    """Two stages: R&D (x1, x2 -> z1, z2) and commercialisation (z1, z2, x3 -> y1, bad b1), positive values in
    different units."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, 3)) * [1.0, 100.0, 1.0]
    z = np.sqrt(x[:, :2].prod(axis=1, keepdims=True)) * rng.uniform(0.3, 1.0, size=(n, 2))
    y = (z.sum(axis=1) * x[:, 2]) ** 0.5 * rng.uniform(0.3, 1.0, size=n)
    b = y * rng.uniform(0.2, 1.0, size=n) * 1000.0
    return pd.DataFrame(np.column_stack([x, z, y, b]), columns=["x1", "x2", "x3", "z1", "z2", "y1", "b1"])


def _network(bad: bool, fixed: bool):
    nodes = {"rd": {"inputs": ["x1", "x2"]},
             "market": {"inputs": ["x3"], "outputs": ["y1"], **({"bad_outputs": ["b1"]} if bad else {})}}
    links = [{"from": "rd", "to": "market", "column": "z1", "kind": "fixed" if fixed else "free"},
             ("rd", "market", "z2")]
    return nodes, links


def _reference(data, bad, fixed, o, orientation, rts, weights):
    nodes = [{"X": data[["x1", "x2"]].to_numpy()},
             {"X": data[["x3"]].to_numpy(), "Y": data[["y1"]].to_numpy(),
              **({"B": data[["b1"]].to_numpy()} if bad else {})}]
    links = [(data["z1"].to_numpy(), 0, 1, fixed), (data["z2"].to_numpy(), 0, 1, False)]
    return ref.network_sbm(nodes, links, o, orientation=orientation, rts=rts, weights=weights)


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("rts", [("crs", "crs"), ("vrs", "vrs"), ("vrs", "crs")], ids="-".join)
@pytest.mark.parametrize("fixed", [False, True], ids=["free", "fixed"])
@pytest.mark.parametrize("bad", [False, True], ids=["good", "bad"])
def test_overall_score_equals_the_cvxpy_formulation(orientation, rts, fixed, bad):
    data = _data(3 + 2 * fixed + bad)
    nodes, links = _network(bad, fixed)
    res = fr.network(data, nodes=nodes, links=links, model="sbm", orientation=orientation, rts="crs",
                     node_rts={"rd": rts[0], "market": rts[1]}, node_weights={"rd": 0.3, "market": 0.7})
    assert (res.status == "optimal").all()
    for o in range(len(data)):
        status, expected = _reference(data, bad, fixed, o, orientation, list(rts), [0.3, 0.7])
        assert status == "optimal"
        assert res.system.iloc[o] == pytest.approx(expected, abs=1e-6), o


def test_a_general_network_with_a_link_back_equals_the_cvxpy_formulation():
    """Three divisions, links 1 -> 2, 1 -> 3, 2 -> 3 and 3 -> 1 (network SBM needs no order), VRS."""
    rng = np.random.default_rng(21)
    n = 8
    data = pd.DataFrame(rng.uniform(1, 10, size=(n, 10)),
                        columns=["a_x", "a_y", "b_x", "b_y", "c_x", "c_y", "ab", "ac", "bc", "ca"])
    nodes = {"a": {"inputs": ["a_x"], "outputs": ["a_y"]}, "b": {"inputs": ["b_x"], "outputs": ["b_y"]},
             "c": {"inputs": ["c_x"], "outputs": ["c_y"]}}
    links = [("a", "b", "ab"), ("a", "c", "ac"), ("b", "c", "bc"),
             {"from": "c", "to": "a", "column": "ca", "kind": "fixed"}]
    res = fr.network(data, nodes=nodes, links=links, model="sbm", rts="vrs")
    parts = [{"X": data[[f"{k}_x"]].to_numpy(), "Y": data[[f"{k}_y"]].to_numpy()} for k in "abc"]
    ref_links = [(data["ab"].to_numpy(), 0, 1, False), (data["ac"].to_numpy(), 0, 2, False),
                 (data["bc"].to_numpy(), 1, 2, False), (data["ca"].to_numpy(), 2, 0, True)]
    for o in range(n):
        status, expected = ref.network_sbm(parts, ref_links, o, rts=["vrs"] * 3)
        assert res.system.iloc[o] == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("bad", [False, True], ids=["good", "bad"])
def test_a_single_node_is_the_package_sbm(orientation, rts, bad):
    data = _data(7, n=12)
    bads = ["b1"] if bad else []
    res = fr.network(data, nodes={"firm": {"inputs": ["x1", "x2", "x3"], "outputs": ["y1", "z1"],
                                           "bad_outputs": bads}},
                     model="sbm", orientation=orientation, rts=rts)
    sbm = fr.efficiency(data, inputs=["x1", "x2", "x3"], outputs=["y1", "z1"], bad_outputs=bads or None,
                        model="sbm", orientation=orientation, rts=rts)
    np.testing.assert_allclose(res.system, sbm.scores, atol=1e-8)
    np.testing.assert_allclose(res.nodes["firm"], sbm.scores, atol=1e-8)
    np.testing.assert_allclose(res.slacks[sbm.slacks.columns], sbm.slacks, atol=1e-6 * data.abs().max().max())


@pytest.mark.parametrize("bad", [False, True], ids=["good", "bad"])
def test_overall_and_divisional_efficiencies_as_the_paper_states(bad):
    """Input-oriented: the overall score is the w-weighted mean of the divisional ones; output-oriented: their
    w-weighted harmonic mean; non-oriented: between the smallest and the largest (Tone & Tsutsui 2009)."""
    data = _data(11, n=14)
    nodes, links = _network(bad, fixed=False)
    w = np.array([0.25, 0.75])
    kw = dict(nodes=nodes, links=links, model="sbm", rts="vrs", node_weights=[0.25, 0.75])
    inp = fr.network(data, orientation="input", **kw)
    np.testing.assert_allclose(inp.nodes.to_numpy() @ w, inp.system, atol=1e-9)
    out = fr.network(data, orientation="output", **kw)
    np.testing.assert_allclose(1.0 / ((1.0 / out.nodes.to_numpy()) @ w), out.system, atol=1e-9)
    non = fr.network(data, orientation="nonoriented", **kw)
    assert (non.system >= non.nodes.min(axis=1) - 1e-9).all()
    assert (non.system <= non.nodes.max(axis=1) + 1e-9).all()
    for res in (inp, out, non):
        scores = pd.concat([res.system, res.nodes], axis=1).to_numpy()
        assert (scores > 0).all() and (scores <= 1).all()
    # the non-oriented score is never above either oriented one (it counts both sides' slacks)
    assert (non.system <= np.minimum(inp.system, out.system) + 1e-8).all()


def test_slacks_targets_and_links():
    """Targets are the data minus the input and bad-output slacks and plus the output shortfalls; a fixed link's
    target is its observed value; every slack >= 0; an efficient DMU has no slack."""
    data = _data(5, n=12)
    nodes, links = _network(bad=True, fixed=True)
    res = fr.network(data, nodes=nodes, links=links, model="sbm", rts="vrs")
    s, t = res.slacks, res.targets
    assert (s >= 0).all().all()
    for col in ("x1", "x2", "x3", "b1"):
        np.testing.assert_allclose(t[col], data[col] - s[col], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(t["y1"], data["y1"] + s["y1"], rtol=1e-9)
    np.testing.assert_allclose(t["z1"], data["z1"], rtol=1e-7)
    efficient = res.system == 1.0
    assert efficient.any() and (s[efficient].abs() < 1e-7 * data.max().max()).all().all()
    assert set(res.to_frame().columns) >= {"system", "node_rd", "node_market", "slack_x1", "target_z2", "status"}


def test_exports_and_summary(tmp_path):
    nodes, links = _network(bad=True, fixed=True)
    res = fr.network(_data(2), nodes=nodes, links=links, model="sbm", orientation="input",
                     node_rts={"market": "vrs"})
    res.to_csv(tmp_path / "n.csv")
    back = pd.read_csv(tmp_path / "n.csv")
    np.testing.assert_allclose(back["system"], res.system, atol=1e-12)
    res.to_excel(tmp_path / "n.xlsx")
    text = str(res.summary())
    assert "rd CRS, market VRS" in text and "z1 (fixed), z2 (free)" in text
    assert res.model == "sbm" and res.stages is None and res.multipliers is None


@pytest.mark.parametrize("kwargs,message", [
    ({"orientation": "input", "model": "relational"}, "orientation is network SBM's"),
    ({"node_weights": {"rd": 1}, "model": "additive"}, "node_weights is network SBM's"),
    ({"stages": [["rd"], ["market"]]}, "network SBM's divisions are the nodes"),
    ({"node_rts": {"lab": "vrs"}}, "names node 'lab'"),
    ({"node_rts": {"rd": "nirs"}}, r"node_rts\['rd'\] must be one of"),
    ({"node_weights": {"rd": 1}}, "no weight for nodes \\['market'\\]"),
    ({"node_weights": [1, -1]}, "finite numbers >= 0"),
    ({"orientation": "hyperbolic"}, "orientation for model='sbm'"),
    ({"links": [{"from": "rd", "to": "market", "column": "z1", "kind": "semi"}]}, "kind must be one of"),
])
def test_a_wrong_call_is_refused(kwargs, message):
    nodes, links = _network(bad=True, fixed=False)
    call = {"nodes": nodes, "links": links, "model": "sbm", **kwargs}
    with pytest.raises(ValueError, match=message):
        fr.network(_data(1), **call)


def test_a_zero_the_score_divides_by_is_refused_naming_the_column_and_rows():
    data = _data(1)
    data.loc[[2, 4], "x3"] = 0.0
    nodes, links = _network(bad=False, fixed=False)
    with pytest.raises(ValueError, match=r"column 'x3' is zero in rows \[2, 4\]"):
        fr.network(data, nodes=nodes, links=links, model="sbm")
    res = fr.network(data, nodes=nodes, links=links, model="sbm", orientation="output")   # not divided by
    assert (res.status == "optimal").all()
