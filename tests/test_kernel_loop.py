"""The kernel's compiled run over the DMUs of a batch (frontier/engine/kernel.py ``KernelLP.run``: set each DMU's LP,
solve warm from the previous basis, price every candidate, add columns, next DMU): its answers against HiGHS's
full-column path, through warm starts across DMUs, a DMU it leaves to HiGHS mid-run, infeasible restricted LPs it
prices on with their Farkas certificates, and badly scaled data it leaves alone. The certificate judges every answer
as before; these small cases set KERNEL_MIN_DMUS to 0 so the kernel serves them."""
from __future__ import annotations

import numpy as np
import pytest

import frontier as fr
from frontier import engine
from frontier.engine import kernel as K

import pandas as pd

from test_engine import assert_same, firms, large  # noqa: F401 (fixtures)

pytest.importorskip("numba")


@pytest.fixture(autouse=True)
def kernel_on(monkeypatch):
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 0)


@pytest.fixture
def runs(monkeypatch):
    """What the compiled runs of a test did: per call, its DMUs, those it solved, why it stopped, and the kernel's
    outcomes over the model's life (OPTIMAL, INFEASIBLE, ...)."""
    calls = []
    K.load()            # (loaded now, so a call's own loading, a one-DMU run, is not counted)
    monkeypatch.setattr(K, "load", lambda: None)
    original = K.KernelLP.run

    def spy(self, dmus, *args):
        before = self.outcomes.copy()
        answers = original(self, dmus, *args)
        calls.append(dict(dmus=dmus.size, done=answers.done, why=answers.why, outcomes=self.outcomes - before))
        return answers

    monkeypatch.setattr(K.KernelLP, "run", spy)
    return calls


def outcome(calls, status):
    return sum(int(c["outcomes"][status]) for c in calls)


@pytest.mark.parametrize("kw", [dict(model="sbm", rts="vrs"), dict(model="sbm", rts="vrs", super_efficiency=True)])
def test_runs_warm_start_across_dmus(large, runs, kw):
    """Whole chunks in one compiled run each, every LP warm from the DMU before's basis (a run's first LP also from
    the previous run's): the same scores and statuses as HiGHS's full-column path, with fewer LPs than DMUs left to
    anything else."""
    df, inputs, outputs, bads = large
    full = fr.efficiency(df, inputs, outputs, bads, method="full", **kw)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", chunk_size=100, **kw))
    assert sum(c["done"] for c in runs) >= 0.9 * len(df)
    assert max(c["done"] for c in runs) >= 50          # many DMUs per run
    assert outcome(runs, K.OPTIMAL) >= len(df)


def test_a_dmu_the_kernel_does_not_finish_goes_to_highs_mid_run(large, runs, monkeypatch, highs_runs):
    """An iteration limit of 12 pivots: the run stops at each LP that needs more, HiGHS solves that DMU, and a new run
    goes on from the next one; the answers are HiGHS's full-column path's."""
    df, inputs, outputs, bads = large
    full = fr.efficiency(df, inputs, outputs, bads, method="full", model="sbm", rts="vrs")
    monkeypatch.setattr(engine.settings, "KERNEL_ITERATIONS_MIN", 12)
    monkeypatch.setattr(engine.settings, "KERNEL_ITERATIONS_PER_SIZE", 0)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", model="sbm", rts="vrs"))
    stopped = [c for c in runs if c["why"] == K.ITERATION_LIMIT]
    assert len(stopped) >= 5 and highs_runs["runs"] >= len(stopped)
    assert any(0 < c["done"] < c["dmus"] for c in stopped)        # stopped mid-run, after solving some
    assert outcome(runs, K.OPTIMAL) >= len(df) // 2


@pytest.fixture
def two_groups():
    """Group 'ref' (120 DMUs) spans the frontier; group 'new' (60 DMUs) is drawn wider, so some of its DMUs lie
    outside the reference technology (test_engine's, smaller)."""
    a, inputs, outputs, bads = firms(120, 21, spread=0.8)
    b = firms(60, 22, spread=1.4)[0]
    b.index = [f"n{j:04d}" for j in range(len(b))]
    b["y"] *= np.random.default_rng(5).uniform(0.7, 2.0, len(b))
    return pd.concat([a, b]), inputs, outputs, bads, list(a.index), list(b.index)


@pytest.mark.parametrize("kw", [dict(model="sbm", rts="vrs", super_efficiency=True), dict(model="sbm", rts="vrs")])
def test_infeasible_restricted_lps_are_priced_on_in_the_run(two_groups, runs, kw):
    """Cross-reference evaluation: restricted LPs the kernel finds infeasible are priced with its phase-1 duals
    inside the run (Farkas pricing: columns join and the run goes on), LPs infeasible over every column are left to
    HiGHS to prove; the same answers as the full path."""
    df, inputs, outputs, bads, ref_labels, _ = two_groups
    full = fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="full", **kw)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, reference=ref_labels, method="restricted", **kw))
    infeasible_in_runs = outcome(runs, K.INFEASIBLE)
    left = sum(1 for c in runs if c["why"] == K.INFEASIBLE)
    assert infeasible_in_runs > left        # some infeasible restricted LPs were priced on, not handed over


def test_badly_scaled_data_stay_out_of_the_run(runs):
    """Data spanning more than KERNEL_MAX_RANGE (one input 1e-6..1e6 times the others): no DMU goes to the run; the
    answers are HiGHS's and the robust path's, as the full-column path's."""
    df, inputs, outputs, bads = firms(120, 31)
    df[inputs[0]] *= np.where(np.arange(len(df)) % 2, 1e6, 1e-6)
    full = fr.efficiency(df, inputs, outputs, bads, method="full", model="sbm", rts="vrs")
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", model="sbm", rts="vrs"))
    assert not runs


def test_run_answers_match_the_per_lp_kernel(large, monkeypatch):
    """The compiled run and the kernel's per-LP path (the loop in Python: the engine before the run) give the same
    scores, statuses and peers."""
    df, inputs, outputs, bads = large
    kw = dict(model="sbm", rts="vrs", super_efficiency=True)
    with_runs = fr.efficiency(df, inputs, outputs, bads, method="restricted", **kw)
    monkeypatch.setattr(engine.restricted.StageSolver, "kernel_runs",
                        lambda self, patch: np.zeros(patch.row_lower.shape[0], dtype=bool))
    per_lp = fr.efficiency(df, inputs, outputs, bads, method="restricted", **kw)
    assert_same(per_lp, with_runs, atol=1e-12)


@pytest.mark.parametrize("kw", [dict(model="radial", orientation="input"), dict(model="ddf"),
                                dict(model="radial", orientation="input", reference="half")])
def test_two_block_stages_run_compiled(large, runs, monkeypatch, kw):
    """Weakly disposable bad outputs under VRS (Kuosmanen's technology: two reference blocks per stage, lambda = z + u)
    run in the compiled loop too: the LPs of the score and max-slack stages, each block priced and its columns joining
    with their block, every answer accepted by the certificate (the per-LP path solves only the DMUs a run stops at),
    the scores and statuses of HiGHS's full-column path; also against a reference set half the DMUs are not in."""
    df, inputs, outputs, bads = large
    kw = dict(rts="vrs", bad_disposability="weak", **kw)
    if kw.get("reference") == "half":
        kw["reference"] = list(df.index[::2])
    per_lp = {"solves": 0}
    original = engine.restricted.StageSolver.solve

    def spy(self, *args, **kwargs):
        per_lp["solves"] += 1
        return original(self, *args, **kwargs)

    full = fr.efficiency(df, inputs, outputs, bads, method="full", **kw)
    monkeypatch.setattr(engine.restricted.StageSolver, "solve", spy)
    assert_same(full, fr.efficiency(df, inputs, outputs, bads, method="restricted", **kw))
    assert sum(c["done"] for c in runs) >= 0.9 * len(df)        # the score stage's LPs, then the max-slack stage's
    # the per-LP path solved only the DMUs a run stopped at (LPs infeasible over every column, HiGHS's to prove)
    assert per_lp["solves"] == sum(c["why"] not in (K.RUN_END, K.RUN_CAP) for c in runs)
