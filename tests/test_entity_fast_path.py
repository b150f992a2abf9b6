"""The restricted (column generation) path for models whose blocks declare a row map (dynamic SBM, network DEA):
the same scores as the model with every column (``method="full"``) on random data, with a restricted model that
starts from a fraction of the reference columns (issue 29's "Speed": its seeds once took each block's largest and
smallest value in every column of the wide row, T p of them for a dynamic SBM term, most of the reference set)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.analyses import dynamic as dynamic_analysis
from frontier.analyses.network import network_layout
from frontier.engine import restricted
from frontier.engine.pricing import plan_stage
from frontier.models import dynamic as dynamic_model
from frontier.models.network import NetworkStage, dominance_sense


def _panel(seed: int, n: int, T: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(n):
        size = rng.uniform(1.0, 5.0)
        for t in range(T):
            x = size * rng.uniform(1.0, 10.0, 2)
            rows.append({"firm": e, "year": t, "x1": x[0], "x2": x[1], "y": np.sqrt(x.prod()) * rng.uniform(0.5, 1.0),
                         "b": size * rng.uniform(1.0, 5.0), "zg": size * rng.uniform(1.0, 6.0),
                         "zb": size * rng.uniform(1.0, 6.0), "zf": size * rng.uniform(1.0, 6.0)})
    return pd.DataFrame(rows)


def _two_stage(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, 3))
    z = np.sqrt(x[:, :2].prod(axis=1, keepdims=True)) * rng.uniform(0.3, 1.0, size=(n, 2))
    y = (z.sum(axis=1) * x[:, 2]) ** 0.5 * rng.uniform(0.3, 1.0, size=n)
    b = y * rng.uniform(0.2, 1.0, size=n)
    return pd.DataFrame(np.column_stack([x, z, y, b]), columns=["x1", "x2", "x3", "z1", "z2", "y1", "b1"])


@pytest.fixture
def model_sizes(monkeypatch):
    """Per restricted model built: the reference columns it starts from (its seeds) and the stage's columns in all."""
    sizes = []
    init = restricted.StageSolver.__init__

    def recording(self, stage, ref_data, plan, method, *args):
        init(self, stage, ref_data, plan, method, *args)
        if not self.full:
            sizes.append((self.pos_arr.size, ref_data.shape[0] * len(stage.blocks)))

    monkeypatch.setattr(restricted.StageSolver, "__init__", recording)
    return sizes


def _dynamic(df, method, rts):
    return fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], ["b"], carry_overs={"good": ["zg"], "bad": ["zb"],
                      "fixed": ["zf"]}, rts=rts, method=method, progress=False)


@pytest.mark.parametrize("rts", ["vrs", "crs"])
def test_dynamic_restricted_equals_full_with_a_small_model(rts, model_sizes):
    df = _panel(11, n=60, T=4)
    fast, full = _dynamic(df, "restricted", rts), _dynamic(df, "full", rts)
    assert (fast.status == "optimal").all() and (full.status == "optimal").all()
    np.testing.assert_allclose(fast.scores, full.scores, rtol=0, atol=1e-9)
    np.testing.assert_allclose(fast.terms, full.terms, rtol=0, atol=1e-7)
    seeded, columns = max(model_sizes)
    assert seeded <= columns / 3, f"the restricted model starts from {seeded} of {columns} columns"


@pytest.mark.parametrize("model, rts", [("relational", "crs"), ("additive", "vrs"), ("sbm", "vrs"), ("sbm", "crs")])
def test_network_restricted_equals_full_with_a_small_model(model, rts, model_sizes):
    df = _two_stage(5, n=80)
    nodes = {"rd": {"inputs": ["x1", "x2"]},
             "market": {"inputs": ["x3"], "outputs": ["y1"], **({"bad_outputs": ["b1"]} if model == "sbm" else {})}}
    links = [("rd", "market", "z1"), ("rd", "market", "z2")]
    kw = {"ccr": False} if model != "sbm" else {}
    fast, full = (fr.network(df, nodes=nodes, links=links, model=model, rts=rts, method=m, progress=False, **kw)
                  for m in ("restricted", "full"))
    # (one DMU of this sample has no additive VRS decomposition: "first_stage_weight_zero", its system score kept)
    assert (fast.status == full.status).all() and full.status.isin(["optimal", "first_stage_weight_zero"]).all()
    np.testing.assert_allclose(fast.system, full.system, rtol=0, atol=1e-9)
    seeded, columns = max(model_sizes)
    assert seeded <= columns / 3, f"the restricted model starts from {seeded} of {columns} columns"


@pytest.mark.parametrize("model, rts", [("relational", "crs"), ("additive", "crs"), ("additive", "vrs")])
def test_network_blocks_are_priced_over_their_undominated_columns(model, rts):
    """The relational and additive models' node blocks declare each data column's sense (+1 produced, -1 consumed:
    every measure row is a >= row), so pricing screens them by dominance (above its 128 strongest columns): fewer
    candidates than DMUs, every column left out dominated by a candidate of the same node, and the decomposition as
    with every column in the model (the system score; additive VRS's decomposition is left out: where a stage's
    weight is about 1e-9 its efficiency is a ratio of rounding errors, on either path)."""
    df = _two_stage(5, n=200)
    nodes = {"rd": {"inputs": ["x1", "x2"]}, "market": {"inputs": ["x3"], "outputs": ["y1"]}}
    links = [("rd", "market", "z1"), ("rd", "market", "z2")]
    layout = network_layout(nodes, links)
    stage = NetworkStage(layout, model, rts == "vrs", tie=False)
    data = df[list(layout.columns)].to_numpy()
    plan = plan_stage(stage, data, "restricted")
    for k, (block, candidates) in enumerate(zip(stage.blocks, plan.pricing)):
        net = layout.net(k)
        np.testing.assert_array_equal(block.sense[block.variables], net[:, block.variables].sum(axis=0))
        assert 0 < candidates.size < len(df)
        better = data[:, block.variables] * block.sense[block.variables]
        for j in np.setdiff1d(np.arange(len(df)), candidates):
            assert (better[candidates] >= better[j]).all(axis=1).any(), f"node {k}: column {j} is not dominated"
    fast, full = (fr.network(df, nodes=nodes, links=links, model=model, rts=rts, method=m, ccr=False,
                             progress=False) for m in ("restricted", "full"))
    np.testing.assert_allclose(fast.system, full.system, rtol=0, atol=1e-9)
    if rts == "vrs":
        return
    assert (fast.status == "optimal").all() and (full.status == "optimal").all()
    # the decomposition holds the system score at its optimum times 1 - TIE_SLACK: equal to about that
    np.testing.assert_allclose(fast.stages, full.stages, rtol=0, atol=1e-7)


def test_a_node_column_in_two_rows_leaves_its_block_unscreened():
    """A column a node's row map sends to two rows (or to none) has no one sense: the node's block is priced over
    every column."""
    row_map = np.array([[1.0, -1.0, 0.0], [1.0, 0.0, 1.0]])
    assert not dominance_sense(row_map, np.array([True, True, True])).any()
    np.testing.assert_array_equal(dominance_sense(row_map[1:], np.array([True, False, True])), [1.0, 0.0, 1.0])
    assert not dominance_sense(row_map[:1], np.array([True, True, True])).any()


def test_dynamic_cold_start_gives_the_warm_start_answers(monkeypatch):
    """Dynamic SBM's stage asks HiGHS to start each entity's LP from its slack basis (``Stage.cold_start``: the
    previous entity's basis cost more iterations than it saved); the answers are those of warm starts, and of the
    model with every column."""
    df = _panel(12, n=40, T=3)
    cold = _dynamic(df, "restricted", "vrs")
    init = dynamic_model.DynamicSBMScore.__init__

    def warm(self, *args, **kwargs):
        init(self, *args, **kwargs)
        assert self.cold_start
        self.cold_start = False

    monkeypatch.setattr(dynamic_model.DynamicSBMScore, "__init__", warm)
    warm_started = _dynamic(df, "restricted", "vrs")
    full = _dynamic(df, "full", "vrs")
    np.testing.assert_allclose(cold.scores, warm_started.scores, rtol=0, atol=1e-9)
    np.testing.assert_allclose(cold.scores, full.scores, rtol=0, atol=1e-9)
    np.testing.assert_allclose(cold.terms, full.terms, rtol=0, atol=1e-7)


def test_dynamic_auto_takes_every_column_from_fifty_rows(monkeypatch):
    """``method="auto"`` gives dynamic SBM LPs of ``FULL_MIN_ROWS`` rows or more every column (their entities' optima
    rest on columns of their own, so column generation only adds re-solves), shorter ones column generation, whose
    answers are the full model's."""
    methods = []
    run_jobs = dynamic_analysis.engine.run_jobs

    def recording(jobs, **kwargs):
        methods.append((jobs[0].spec.stages[0].n_rows, kwargs["method"]))
        return run_jobs(jobs, **kwargs)

    monkeypatch.setattr(dynamic_analysis.engine, "run_jobs", recording)
    long_panel, short_panel = _panel(13, n=30, T=6), _panel(13, n=30, T=3)
    auto_long, auto_short = _dynamic(long_panel, "auto", "vrs"), _dynamic(short_panel, "auto", "vrs")
    assert methods[0][0] >= dynamic_analysis.FULL_MIN_ROWS and methods[0][1] == "full"
    assert methods[1][0] < dynamic_analysis.FULL_MIN_ROWS and methods[1][1] == "auto"
    np.testing.assert_array_equal(auto_long.scores, _dynamic(long_panel, "full", "vrs").scores)
    np.testing.assert_allclose(auto_short.scores, _dynamic(short_panel, "full", "vrs").scores, rtol=0, atol=1e-9)
