"""The exact-rational oracle as a property test: badly scaled instances (values 1e-8..1e12, 1e-8 placeholders
for zeros, one outlier row) for every registered model family, orientation, returns to scale and
super-efficiency, through every method of the engine, judged stage by stage against the same LPs solved in exact
arithmetic (tests/exact_lp.py: :func:`exact_evaluate`, :func:`judge`): scores, statuses, the max-slack optimum,
targets and peers. No wrong number (beyond the judge's stated tolerances) and no wrong status; a NaN with status
``numerical_error`` is an honest answer and is counted, not failed. ``benchmarks/bench_oracle.py`` runs the same
on more instances and prints the counts per model and method.

The issue's reproductions (issue 25 items 1-4, issue 33's SBM slack) come first, each as the instance it was
found on."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from exact_lp import badly_scaled_instance, configuration_key, judge, model_configurations

METHODS = tuple(engine.METHODS)


def rebuilt_targets(res, df, columns):
    """Each DMU's peers' combination ``sum_j lambda_j data_j`` (zeros for a DMU without peers)."""
    data = df[columns].to_numpy(dtype=float)
    rows = res.peers.peer.map({label: i for i, label in enumerate(df.index)}).to_numpy()
    out = np.zeros((len(df), len(columns)))
    np.add.at(out, res.peers.dmu.map({label: i for i, label in enumerate(df.index)}).to_numpy(),
              res.peers.weight.to_numpy()[:, None] * data[rows])
    return out


# ----------------------------------------------------------------------------------------------------
# issue 25, item 4: peers that do not span the target
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("method", ["auto", "full"])
def test_peers_list_a_tiny_intensity_that_supplies_the_target(method):
    """A's target is reached by B alone, a DMU 1e13 times larger: its intensity is 4e-14 (below the old absolute
    1e-10 cut), yet it supplies all of A's target output. The peers list it, and rebuild every target."""
    df = pd.DataFrame({"x": [1.0, 2.0, 1e13], "y": [1.0, 1.5, 2.4e13]}, index=["A", "C", "B"])
    res = fr.efficiency(df, ["x"], ["y"], model="radial", rts="crs", method=method)
    assert (res.status == "optimal").all()
    assert set(res.peers[res.peers.dmu == "A"].peer) == {"B"}
    np.testing.assert_allclose(rebuilt_targets(res, df, ["x", "y"]), res.targets.to_numpy(), rtol=1e-9)
