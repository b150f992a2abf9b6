"""Where the engine plans (pricing candidates and seed columns, :mod:`frontier.engine.pricing`): a job of one chunk
(a bootstrap's replicate, a panel's period) is planned inside its unit of work, where it is solved, not in the
calling process before the units start; a job split into chunks is planned once, before them, for all its chunks;
seed columns are computed only when something reads them. The answers are those of plans computed up front."""
from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from frontier.models import sbm as sbm_model
from frontier.models.base import Layout


def _data(n: int, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n, 3))
    Y = (X.prod(axis=1) ** 0.3)[:, None] * rng.uniform(0.3, 1.0, (n, 2))
    return pd.DataFrame(np.hstack([X, Y]), columns=["x1", "x2", "x3", "y1", "y2"])


@pytest.fixture
def planning(monkeypatch):
    """Counts of pricing sets and seed columns computed and of reference sets whose LPs HiGHS's restricted path took
    (the one reader of seeds in these calls), and the pricing count at each unit's start and end."""
    seen = {"pricing": 0, "seeds": 0, "restricted": 0, "units": []}
    with_highs = engine.stages.solve_with_highs
    pricing_set, seed_columns, solve = engine.pricing.pricing_set, engine.pricing.seed_columns, engine.stages.WorkUnit.solve

    def counted_pricing(*args, **kwargs):
        seen["pricing"] += 1
        return pricing_set(*args, **kwargs)

    def counted_seeds(*args, **kwargs):
        seen["seeds"] += 1
        return seed_columns(*args, **kwargs)

    def timed_unit(unit):
        start = seen["pricing"]
        answer = solve(unit)
        seen["units"].append((start, seen["pricing"]))
        return answer

    def counted_highs(stage, ref_data, plan, method, *args):
        seen["restricted"] += method != "full"
        return with_highs(stage, ref_data, plan, method, *args)

    monkeypatch.setattr(engine.stages, "solve_with_highs", counted_highs)
    monkeypatch.setattr(engine.pricing, "pricing_set", counted_pricing)
    monkeypatch.setattr(engine.pricing, "seed_columns", counted_seeds)
    monkeypatch.setattr(engine.stages.WorkUnit, "solve", timed_unit)
    return seen


def test_one_chunk_jobs_are_planned_in_their_units_and_dense_batches_never_seed(planning):
    df = _data(60)
    fr.bootstrap(df, ["x1", "x2", "x3"], ["y1", "y2"], rts="vrs", B=16, random_state=5, n_jobs=1)   # dense, packed
    units = planning["units"]
    assert len(units) >= 2 and units[-1][1] >= 16          # every replicate planned (a packed unit plans its jobs)
    # nothing was planned between units: each unit's plans were computed while it was being solved
    assert units[0][0] == 0 and all(start == end for (_, end), (start, _) in zip(units, units[1:]))
    # the dense batch prices every candidate: seeds only for the replicates some LP of which it left to HiGHS
    assert planning["seeds"] == planning["restricted"] < 16


def test_a_job_of_several_chunks_is_planned_once_before_its_units(planning):
    df = _data(200)
    fr.efficiency(df, ["x1", "x2", "x3"], ["y1", "y2"], model="sbm", rts="vrs", method="restricted",
                  chunk_size=50, n_jobs=1)
    units = planning["units"]
    assert len(units) == 4
    assert units[0][0] > 0 and units[-1][1] == units[0][0]  # planned before the first unit, never again
    assert planning["seeds"] == units[0][0]                  # the restricted path's seeds, computed with them


def test_deferred_plans_equal_plans_made_up_front_and_ship_computed_or_not(monkeypatch):
    df = _data(80)
    args = (df, ["x1", "x2", "x3"], ["y1", "y2"])
    deferred = fr.bootstrap(*args, rts="vrs", B=12, random_state=2, n_jobs=1)
    plan_stage = engine.pricing.plan_stage
    monkeypatch.setattr(engine.schedule, "plan_stage", lambda *a, **kw: plan_stage(*a, **{**kw, "deferred": False}))
    up_front = fr.bootstrap(*args, rts="vrs", B=12, random_state=2, n_jobs=1)
    np.testing.assert_array_equal(deferred.replicates.to_numpy(), up_front.replicates.to_numpy())
    # a plan pickled before it is computed (shipped to a worker) computes the same sets there
    M = df.to_numpy() / df.to_numpy().mean(axis=0)
    L = Layout(3, 2, 0)
    spec = sbm_model.build(L, rts="vrs", orientation="nonoriented", super_efficiency=True, weights=np.ones(L.d),
                           zeros="error", small=np.ones(L.d))
    for stage in spec.stages:
        eager = plan_stage(stage, M, "restricted", n_evaluated=80)
        shipped = pickle.loads(pickle.dumps(plan_stage(stage, M, "restricted", n_evaluated=80, deferred=True)))
        for got, want in zip(shipped.seeds + shipped.pricing, eager.seeds + eager.pricing):
            np.testing.assert_array_equal(got, want)
