"""Dynamic network SBM (``fr.dynamic(..., nodes=, links=)``, Tone & Tsutsui 2014) against an independent cvxpy
formulation written from the paper (``reference_cvxpy.dynamic_network_sbm``) on small random panels (2 nodes, 2-3
periods, one link, one carry-over per node; every orientation, CRS, VRS and mixed per node, each carry-over kind,
free and fixed links, with and without a bad output), and the properties: one period without carry-overs is network
SBM, one node without links is dynamic SBM, the overall score between the period and the node efficiencies."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

TOL = 1e-6
ORIENTATIONS = ("nonoriented", "input", "output")


def panel(seed: int, n: int = 10, T: int = 3) -> pd.DataFrame:
    """Node "rd" (x1 -> link z, final output y1, carry-over c1) and node "market" (x2, z -> y2, bad output b,
    carry-over c2), values in different units."""
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(n):
        for t in range(T):
            x1, x2 = rng.uniform(1.0, 10.0), rng.uniform(1.0, 10.0) * 100.0
            z = x1 * rng.uniform(0.3, 1.0)
            rows.append({"firm": f"f{e:02d}", "year": 2010 + t, "x1": x1, "x2": x2, "z": z,
                         "y1": x1 * rng.uniform(0.2, 1.0), "y2": np.sqrt(z * x2) * rng.uniform(0.3, 1.0),
                         "b": rng.uniform(1.0, 5.0), "c1": rng.uniform(1.0, 6.0),
                         "c2": rng.uniform(1.0, 6.0) * 10.0})
    return pd.DataFrame(rows)


def network(kinds=("good", "bad"), bad: bool = True, fixed_link: bool = False, carry: bool = True):
    nodes = {"rd": {"inputs": ["x1"], "outputs": ["y1"]},
             "market": {"inputs": ["x2"], "outputs": ["y2"], **({"bad_outputs": ["b"]} if bad else {})}}
    if carry:
        nodes["rd"]["carry_overs"] = {kinds[0]: ["c1"]}
        nodes["market"]["carry_overs"] = {kinds[1]: ["c2"]}
    links = [{"from": "rd", "to": "market", "column": "z", "kind": "fixed" if fixed_link else "free"}]
    return nodes, links


def oracle(df, kinds, bad, fixed_link, orientation, rts, node_weights, period_weights):
    years = sorted(df["year"].unique())
    periods = []
    for y in years:
        D = df[df["year"] == y].set_index("firm")

        def cols(*names):
            return D[list(names)].to_numpy()

        rd = {"X": cols("x1"), "Y": cols("y1"), kinds[0]: cols("c1")}
        market = {"X": cols("x2"), "Y": cols("y2"), kinds[1]: cols("c2"), **({"B": cols("b")} if bad else {})}
        periods.append({"nodes": [rd, market], "links": [(D["z"].to_numpy(), 0, 1, fixed_link)]})
    n = len(periods[0]["nodes"][0]["X"])
    W = np.asarray(period_weights, float) / np.sum(period_weights)
    w = np.asarray(node_weights, float) / np.sum(node_weights)
    out = []
    for o in range(n):
        status, value = ref.dynamic_network_sbm(periods, o, orientation=orientation, rts=list(rts), node_weights=w,
                                                period_weights=W)
        assert status == "optimal"
        out.append(value)
    return np.array(out)


CASES = [(orientation, rts, kinds, bad, fixed_link, T)
         for orientation in ORIENTATIONS
         for rts in (("crs", "crs"), ("vrs", "vrs"), ("vrs", "crs"))
         for kinds, bad, fixed_link, T in ((("good", "bad"), True, False, 3), (("free", "fixed"), False, True, 2))]


@pytest.mark.parametrize("orientation, rts, kinds, bad, fixed_link, T", CASES)
def test_overall_score_equals_the_cvxpy_formulation(orientation, rts, kinds, bad, fixed_link, T):
    df = panel(CASES.index((orientation, rts, kinds, bad, fixed_link, T)), T=T)
    nodes, links = network(kinds, bad, fixed_link)
    node_weights, period_weights = [0.4, 0.6], [1.0, 2.0, 1.5][:T]
    res = fr.dynamic(df, "firm", "year", nodes=nodes, links=links, orientation=orientation, rts="crs",
                     node_rts={"rd": rts[0], "market": rts[1]}, node_weights=node_weights,
                     period_weights=period_weights)
    assert (res.status == "optimal").all()
    expected = oracle(df, kinds, bad, fixed_link, orientation, rts, node_weights, period_weights)
    np.testing.assert_allclose(res.scores.to_numpy(), expected, atol=TOL)
    assert (res.scores > 0).all() and (res.scores <= 1).all() and (res.scores < 1 - 1e-3).any()
    # the decompositions as the paper defines them (module docstring of frontier.models.dynamic_network)
    for part in (res.terms, res.divisions, res.period_divisions):
        assert ((part > 0) & (part <= 1 + 1e-12)).all().all()
    overall = res.scores.to_numpy()
    for part in (res.terms.to_numpy(), res.divisions.to_numpy()):
        assert (overall >= part.min(axis=1) - 1e-9).all() and (overall <= part.max(axis=1) + 1e-9).all()
    W, w = res.period_weights.to_numpy(), np.array(node_weights) / sum(node_weights)
    if orientation == "input":          # arithmetic means: of periods, of nodes, of period-nodes
        np.testing.assert_allclose(overall, res.terms.to_numpy() @ W, atol=1e-9)
        np.testing.assert_allclose(overall, res.divisions.to_numpy() @ w, atol=1e-9)
        cells = res.period_divisions.to_numpy().reshape(len(overall), T, 2)
        np.testing.assert_allclose(res.terms.to_numpy(), cells @ w, atol=1e-9)
    if orientation == "output":         # harmonic means
        np.testing.assert_allclose(overall, 1.0 / ((1.0 / res.terms.to_numpy()) @ W), atol=1e-9)
        np.testing.assert_allclose(overall, 1.0 / ((1.0 / res.divisions.to_numpy()) @ w), atol=1e-9)
    if "fixed" in kinds:                # held at the observed value, no slack
        assert (res.slacks["c2"] == 0).all()
        np.testing.assert_allclose(res.targets["c2"], res.observed["c2"], rtol=1e-7)
    if fixed_link:
        np.testing.assert_allclose(res.targets["z"], res.observed["z"], rtol=1e-7)
    assert "z" not in res.slacks          # a link has no slack


def test_the_links_and_carry_overs_bind():
    """On this data neither the link nor the carry-overs are slack for every entity: dropping them changes scores."""
    df = panel(41, n=12, T=3)
    nodes, links = network()
    linked = fr.dynamic(df, "firm", "year", nodes=nodes, links=links, rts="vrs")
    assert (linked.scores < 1).any()
    no_carry = fr.dynamic(df, "firm", "year", nodes=network(carry=False)[0], links=links, rts="vrs")
    assert np.abs(linked.scores - no_carry.scores).max() > 1e-4


# ----------------------------------------------------------------------------------------------------
# the two models it unites
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("fixed_link", [False, True], ids=["free", "fixed"])
def test_one_period_without_carry_overs_is_network_sbm(orientation, rts, fixed_link):
    df = panel(7, n=12, T=1)
    nodes, links = network(bad=True, fixed_link=fixed_link, carry=False)
    res = fr.dynamic(df, "firm", "year", nodes=nodes, links=links, orientation=orientation, rts=rts,
                     node_weights={"rd": 1, "market": 3})
    nsbm = fr.network(df.set_index("firm"), nodes=nodes, links=links, model="sbm", orientation=orientation, rts=rts,
                      node_weights={"rd": 1, "market": 3})
    np.testing.assert_allclose(res.scores.to_numpy(), nsbm.system.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(res.divisions.to_numpy(), nsbm.nodes.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(res.terms.iloc[:, 0].to_numpy(), nsbm.system.to_numpy(), atol=1e-9)
    assert (res.scores < 1).any()


@pytest.mark.parametrize("orientation", ORIENTATIONS)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_one_node_without_links_is_dynamic_sbm(orientation, rts):
    df = panel(13, n=12, T=3)
    df["c3"] = df["c1"] * 1.7 + 1.0
    df["c4"] = df["c2"] * 0.3 + 2.0
    carry = {"good": ["c1"], "bad": ["c2"], "free": ["c3"], "fixed": ["c4"]}
    nodes = {"plant": {"inputs": ["x1", "x2"], "outputs": ["y1", "y2"], "bad_outputs": ["b"], "carry_overs": carry}}
    res = fr.dynamic(df, "firm", "year", nodes=nodes, orientation=orientation, rts=rts, period_weights=[1, 3, 2])
    dsbm = fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y1", "y2"], ["b"], carry_overs=carry,
                      orientation=orientation, rts=rts, period_weights=[1, 3, 2])
    np.testing.assert_allclose(res.scores.to_numpy(), dsbm.scores.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(res.divisions["plant"].to_numpy(), dsbm.scores.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(res.period_divisions["plant"].to_numpy(), res.terms.stack().to_numpy(), atol=1e-9)
    assert (res.scores < 1).any()
    # the term split and the slacks are one optimal solution's (not unique): the tables line up, the free
    # carry-over's slack is its signed change and the fixed one's 0, as dynamic SBM reports them
    assert list(res.slacks.columns) == list(dsbm.slacks.columns)
    np.testing.assert_allclose(res.slacks["c3"], res.observed["c3"] - res.targets["c3"], atol=1e-9)
    assert (res.slacks["c4"] == 0).all()
    assert list(res.targets.columns) == list(dsbm.targets.columns)


# ----------------------------------------------------------------------------------------------------
# the call, the result
# ----------------------------------------------------------------------------------------------------

def test_a_wrong_call_is_refused_clearly():
    df = panel(3, n=5, T=2)
    nodes, links = network()
    with pytest.raises(ValueError, match=r"with nodes=.*\['inputs'\]"):
        fr.dynamic(df, "firm", "year", ["x1"], nodes=nodes, links=links)
    with pytest.raises(ValueError, match=r"\['links'\] describe a network"):
        fr.dynamic(df, "firm", "year", ["x1"], ["y1"], links=links)
    with pytest.raises(ValueError, match="needs inputs and outputs"):
        fr.dynamic(df, "firm", "year")
    with pytest.raises(ValueError, match="carry-over kind must be one of"):
        fr.dynamic(df, "firm", "year", nodes={**nodes, "rd": {"inputs": ["x1"], "carry_overs": {"nice": ["c1"]}}},
                   links=links)
    twice = {"rd": {"inputs": ["x1"], "outputs": ["y1"], "carry_overs": {"good": ["y1"]}}, "market": nodes["market"]}
    with pytest.raises(ValueError, match="'y1' is given twice"):
        fr.dynamic(df, "firm", "year", nodes=twice, links=links)
    zero = df.copy()
    zero.loc[3, "c2"] = 0.0
    with pytest.raises(ValueError, match=r"column 'c2' is zero for \(entity, period\).*f01"):
        fr.dynamic(zero, "firm", "year", nodes=nodes, links=links)
    with pytest.raises(ValueError, match="balanced panel"):
        fr.dynamic(df.drop(index=2), "firm", "year", nodes=nodes, links=links)


def test_the_result_tables_and_export(tmp_path):
    df = panel(5, n=8, T=3)
    nodes, links = network()
    res = fr.dynamic(df, "firm", "year", nodes=nodes, links=links)
    table = res.to_frame()
    assert list(table.columns[:5]) == ["term", "overall", "status", "node_rd", "node_market"] and len(table) == 24
    assert "node efficiencies" in str(res) and "Tone & Tsutsui 2014" in str(res)
    assert res.spec["model"] == "dynamic_network_sbm"
    xlsx = tmp_path / "dnsbm.xlsx"
    res.to_excel(xlsx)
    assert {"terms", "overall", "nodes"} <= set(pd.ExcelFile(xlsx).sheet_names)


def test_the_command_line_takes_the_network_description(tmp_path, capsys):
    import json

    from frontier.cli import main
    from frontier.io import read_table

    df = panel(9, n=8, T=2)
    nodes, links = network()
    res = fr.dynamic(df, "firm", "year", nodes=nodes, links=links, rts="crs")
    data, description, out = tmp_path / "panel.csv", tmp_path / "dnsbm.json", tmp_path / "dnsbm.csv"
    df.to_csv(data, index=False)
    description.write_text(json.dumps({"nodes": nodes, "links": links}))
    code = main(["dynamic", str(data), "--entity", "firm", "--period", "year", "--network", str(description),
                 "--rts", "crs", "-o", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    back = read_table(out)
    np.testing.assert_allclose(back["overall"].to_numpy(float), res.to_frame()["overall"].to_numpy(), atol=1e-12)
    np.testing.assert_allclose(back["node_market"].to_numpy(float), res.to_frame()["node_market"].to_numpy(),
                               atol=1e-12)
