"""Scale-out paths: a real Dask cluster through joblib, chunking, and the progress bar."""
import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.datasets import synthetic_city_panel, synthetic_firms

INPUTS, OUTPUTS, BADS = ["K", "L", "E"], ["Y"], ["SO2", "COD"]


@pytest.fixture(scope="module")
def firms():
    return synthetic_firms(240, seed=11)


@pytest.fixture(scope="module")
def dask_client():
    """One local Dask cluster of two worker processes for the module's cluster tests (starting one takes seconds)."""
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        yield client


def test_dask_cluster_gives_identical_results(firms, dask_client):
    import distributed
    from joblib import parallel_config

    base = fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", super_efficiency=True, chunk_size=40)
    with distributed.get_task_stream(dask_client) as stream, parallel_config(backend="dask"):
        res = fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", super_efficiency=True,
                            chunk_size=40, n_jobs=-1)
    workers = {task["worker"] for task in stream.data}
    assert len(stream.data) >= 6, "the chunks did not run on the cluster"
    assert len(workers) >= 1
    pd.testing.assert_series_equal(res.scores, base.scores)
    pd.testing.assert_series_equal(res.status, base.status)
    pd.testing.assert_frame_equal(res.slacks, base.slacks)
    pd.testing.assert_frame_equal(res.peers, base.peers)


@pytest.mark.parametrize("chunk_size", [7, 64, 1000])
def test_scores_do_not_depend_on_chunking(firms, chunk_size):
    ref = fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", method="full")
    res = fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", chunk_size=chunk_size)
    np.testing.assert_allclose(res.scores, ref.scores, atol=1e-9, rtol=0)


def test_productivity_on_dask_matches_local(dask_client):
    from joblib import parallel_config

    panel = synthetic_city_panel(n_cities=20, n_years=3)
    kw = dict(entity="city", period="year", inputs=["capital", "labour", "energy"], outputs=["value_added"],
              bad_outputs=["so2"], index="gml", model="sbm", rts="vrs", chunk_size=16)
    base = fr.productivity(panel, **kw)
    with parallel_config(backend="dask"):
        res = fr.productivity(panel, n_jobs=-1, **kw)
    pd.testing.assert_frame_equal(res.indices, base.indices)
    pd.testing.assert_frame_equal(res.distances, base.distances)


def test_a_worker_killed_mid_run_gives_identical_results_or_a_clear_error(firms, dask_client, monkeypatch):
    """A real worker process of the cluster is killed (SIGKILL) as the first chunk's result arrives. Dask either
    recomputes the lost chunks elsewhere (the run completes, identical to the local run) or, when the killed worker
    held data joblib scattered to it (the reference set), cannot: then the run fails with the engine's clear
    RuntimeError. Never a partial result. (Runs last of the cluster tests: the nanny restarts the worker.)"""
    import os
    import signal

    from joblib import parallel_config

    from frontier.analyses import _pipeline as scoring

    base = fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", chunk_size=10)

    class KillingBar:
        def __init__(self):
            self.killed, self.updates = None, []

        def update(self, k):
            self.updates.append(k)
            if self.killed is None:
                address, pid = sorted(dask_client.run(os.getpid).items())[0]
                os.kill(pid, signal.SIGKILL)
                self.killed = pid

        def close(self):
            pass

    bar = KillingBar()
    monkeypatch.setattr(scoring, "make_progress", lambda progress, total, unit="DMU": bar)
    result = None
    with parallel_config(backend="dask"):
        try:
            result = fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", chunk_size=10, n_jobs=-1, progress=True)
        except RuntimeError as exc:
            assert "worker was lost" in str(exc) and "No partial results" in str(exc)
    assert bar.killed is not None and bar.updates[0] == 10       # killed after the first of 24 chunks
    if result is not None:
        assert sum(bar.updates) == 240
        pd.testing.assert_series_equal(result.scores, base.scores)
        pd.testing.assert_frame_equal(result.peers, base.peers)


def test_progress_bar_only_when_asked(firms, capsys):
    fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm", progress=True)
    shown = capsys.readouterr().err
    assert "DMU" in shown and "240" in shown
    fr.efficiency(firms, INPUTS, OUTPUTS, BADS, model="sbm")      # default: off when not interactive
    assert capsys.readouterr().err == ""


def _pairs_by_loop(panel, adjacency, base):
    """The pairs an entity-by-entity loop finds (the definition Panel.pairs vectorises)."""
    pairs, gaps, single = [], [], []
    for e in pd.unique(panel.entity):
        pos = np.flatnonzero(panel.entity == e)
        pos = pos[np.argsort(panel.rank[pos], kind="stable")]
        if len(pos) < 2:
            single.append(e)
            continue
        for a, b in ([(pos[0], q) for q in pos[1:]] if base == "first" else zip(pos[:-1], pos[1:])):
            gap = adjacency == "calendar" and base == "previous" and panel.rank[b] - panel.rank[a] != 1
            (gaps if gap else pairs).append((a, b))
    return pairs, gaps, single


@pytest.mark.parametrize("adjacency,base", [("observed", "previous"), ("calendar", "previous"),
                                            ("observed", "first")])
def test_vectorised_pairs_match_the_entity_loop(adjacency, base):
    from frontier.panel import Panel

    rng = np.random.default_rng(5)
    full = pd.DataFrame([(f"e{e}", 2000 + t) for e in range(40) for t in range(6)], columns=["e", "t"])
    unbalanced = full.sample(frac=0.6, random_state=3)        # shuffled rows, gaps, some single observations
    panel, _ = Panel.from_frame(unbalanced.assign(x=rng.random(len(unbalanced))), "e", "t")
    got = panel.pairs(adjacency, base)
    pairs, gaps, single = _pairs_by_loop(panel, adjacency, base)
    assert list(zip(got.a, got.b)) == pairs and list(zip(got.gap_a, got.gap_b)) == gaps
    assert list(got.single) == single and len(single) > 0 and len(pairs) > 50
    assert (len(gaps) > 0) == (adjacency == "calendar")


def test_index_terms_are_built_per_period_combination_not_per_pair(monkeypatch):
    """A million-observation GML must not build a Python dict of distances per pair: the definition's terms are
    asked once per distinct (period, period) combination and spread over the pairs as arrays (same results)."""
    from frontier import indices

    calls = []
    original = indices.PooledTechnology.terms
    monkeypatch.setattr(indices.PooledTechnology, "terms",
                        lambda self, *args: calls.append(args[1:3]) or original(self, *args))
    panel = synthetic_city_panel(n_cities=30, n_years=3)
    kw = dict(entity="city", period="year", inputs=["capital", "labour"], outputs=["value_added"], index="gml",
              model="radial")
    res = fr.productivity(panel, **kw)
    assert len(calls) == 2                        # 2010 -> 2011 and 2011 -> 2012, for 60 pairs
    assert len(res.indices) == 60 and res.indices["index"].notna().all()
    # every pair got its own observations' distances: index = E^G(b) / E^G(a), ec = E^C(b) / E^C(a)
    dist = res.distances.set_index(["city", "year", "technology"])["value"]
    for (city, year), row in res.indices.iterrows():
        a, b = row["period_from"], year
        assert row["index"] == dist[(city, b, "global")] / dist[(city, a, "global")]
        assert row["ec"] == dist[(city, b, f"contemporaneous:{b}")] / dist[(city, a, f"contemporaneous:{a}")]


class RecordingBar:
    """Stands in for tqdm: records the total and each update."""

    made = []

    def __init__(self, total, unit, desc):
        self.total, self.unit, self.updates, self.closed = total, unit, [], False
        RecordingBar.made.append(self)

    def update(self, k):
        self.updates.append(k)

    def close(self):
        self.closed = True


@pytest.fixture
def recording_bar(monkeypatch):
    import tqdm.auto

    RecordingBar.made = []
    monkeypatch.setattr(tqdm.auto, "tqdm", RecordingBar)
    return RecordingBar.made


def test_progress_counts_every_dmu_of_every_reference_set_and_chunk(recording_bar):
    panel = synthetic_city_panel(n_cities=15, n_years=4)
    fr.efficiency(panel, ["capital", "labour"], ["value_added"], model="radial", period="year", chunk_size=4,
                  progress=True)
    (bar,) = recording_bar
    assert bar.total == 60 and sum(bar.updates) == 60 and bar.closed
    assert len(bar.updates) == 16          # 4 periods x 4 chunks (4, 4, 4, 3 DMUs), each reported as it finishes
    assert max(bar.updates) == 4


def test_progress_of_an_index_counts_every_lp_across_rts(recording_bar):
    panel = synthetic_city_panel(n_cities=10, n_years=3)
    res = fr.productivity(panel, "city", "year", ["capital", "labour"], ["value_added"], index="ml",
                          model="radial", decomposition="fgnz", chunk_size=8, progress=True)
    (bar,) = recording_bar
    assert bar.unit == "LP" and bar.total == len(res.distances) == sum(bar.updates) and bar.closed
    assert set(res.distances.rts) == {"crs", "vrs"} and len(bar.updates) > 10


def test_progress_bar_shows_rate_and_time_left(firms, capsys):
    fr.efficiency(firms.iloc[:60], INPUTS, OUTPUTS, model="sbm", chunk_size=20, progress=True)
    shown = capsys.readouterr().err
    assert "60/60" in shown and "DMU/s" in shown and "<00:00" in shown     # done/total [elapsed<left, rate]
