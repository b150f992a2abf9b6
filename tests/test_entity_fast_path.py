"""The restricted (column generation) path for models whose blocks declare a row map (dynamic SBM, network DEA):
the same scores as the model with every column (``method="full"``) on random data, with a restricted model that
starts from a fraction of the reference columns (issue 29's "Speed": its seeds once took each block's largest and
smallest value in every column of the wide row, T p of them for a dynamic SBM term, most of the reference set)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.engine import restricted


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
