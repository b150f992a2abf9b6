"""Efficient DMUs score exactly their efficient value and slacks carry no LP noise (issue 10, item 4)."""
from __future__ import annotations

import numpy as np
import pandas as pd

import frontier as fr
from frontier.datasets import synthetic_firms
from frontier.problem import SNAP_TOL

INPUTS, OUTPUTS, BADS = ["K", "L", "E"], ["Y"], ["SO2", "COD"]


def test_sbm_efficient_dmus_score_exactly_one():
    """1,000 firms under SBM VRS: 126 within 1e-9 of 1, of which 19 were exactly 1.0 and 55 above 1."""
    res = fr.efficiency(synthetic_firms(1000), INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs")
    near = (res.scores - 1.0).abs() <= SNAP_TOL
    assert near.sum() > 50
    assert (res.scores[near] == 1.0).all()
    assert (res.scores > 1).sum() == 0


def test_radial_slacks_are_clean():
    """400 firms, radial: no negative slack without super-efficiency, none in (0, tol * scale)."""
    df = synthetic_firms(400)
    values = df[INPUTS + OUTPUTS + BADS].to_numpy()
    for orientation in ("input", "output"):
        res = fr.efficiency(df, INPUTS, OUTPUTS, BADS, model="radial", orientation=orientation)
        slacks = res.slacks.to_numpy()
        assert (slacks >= 0).all()
        assert not ((slacks != 0) & (np.abs(slacks) <= SNAP_TOL * values)).any()
        # targets stay consistent with the cleaned slacks: input target = theta x - slack (output: y + slack)
        if orientation == "input":
            expected = res.scores.to_numpy()[:, None] * df[INPUTS].to_numpy() - res.slacks[INPUTS].to_numpy()
            np.testing.assert_allclose(res.targets[INPUTS].to_numpy(), expected, rtol=1e-7)


def test_directional_scores_are_not_negative_noise():
    df = synthetic_firms(400)
    for model in ("ddf", "nddf", "sbm_ddf"):
        res = fr.efficiency(df, INPUTS, OUTPUTS, BADS, model=model)
        assert (res.scores >= 0).all(), model
        assert (res.scores == 0).sum() > 0, model
        if res.betas is not None:
            assert (res.betas.to_numpy() >= 0).all(), model


def test_super_sbm_never_below_one_for_efficient_dmus():
    res = fr.efficiency(synthetic_firms(300), INPUTS, OUTPUTS, BADS, model="sbm", super_efficiency=True)
    plain = fr.efficiency(synthetic_firms(300), INPUTS, OUTPUTS, BADS, model="sbm")
    efficient = plain.scores == 1.0
    assert efficient.sum() > 0
    ok = res.status[efficient] == "optimal"
    assert (res.scores[efficient][ok] >= 1.0).all()
