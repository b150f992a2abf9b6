"""A real Dask cluster on the loopback: a scheduler and two workers started as separate processes with Dask's own
command line (``dask scheduler``, ``dask worker``), as on a computing centre. A worker killed mid-run costs nothing
but time (its units of work are solved again elsewhere, each counted once), and Ctrl-C on the client leaves no worker
busy with the call's tasks (docs/scaling.md, "When a worker dies")."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

import frontier as fr
from frontier.datasets import synthetic_city_panel

distributed = pytest.importorskip("distributed")

GML = dict(entity="city", period="year", inputs=["capital", "labour", "energy"], outputs=["value_added"],
           bad_outputs=["so2", "wastewater"], index="gml", model="sbm", rts="vrs", chunk_size=8)
ROOT = Path(fr.__file__).resolve().parents[1]        # the checkout under test: the workers must import the same code


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def cluster():
    """A scheduler and two single-threaded workers (each under its nanny, which restarts a killed worker), every
    process in a session of its own so that all of it is ended at the end, whatever happened."""
    if shutil.which("dask") is None:
        pytest.skip("the `dask` command line (package distributed) is not installed")
    address = f"tcp://127.0.0.1:{_free_port()}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    quiet = dict(env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    procs = [subprocess.Popen(["dask", "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                               "--no-dashboard"], **quiet)]
    try:
        for _ in range(2):
            procs.append(subprocess.Popen(["dask", "worker", address, "--nthreads", "1", "--nworkers", "1",
                                           "--no-dashboard", "--host", "127.0.0.1"], **quiet))
        with distributed.Client(address, timeout=30) as client:
            client.wait_for_workers(2, timeout=30)
            yield client
    finally:
        for proc in reversed(procs):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def panel():
    return synthetic_city_panel(n_cities=30, n_years=4)


class Bar:
    """Stands in for the progress bar: records each unit's DMUs as its answer arrives, and runs ``on_first`` then."""

    def __init__(self, on_first):
        self.on_first, self.updates = on_first, []

    def update(self, k):
        self.updates.append(k)
        if len(self.updates) == 1:
            self.on_first()

    def close(self):
        pass


def _run_with_bar(monkeypatch, panel, bar):
    from joblib import parallel_config

    from frontier.analyses import _pipeline

    monkeypatch.setattr(_pipeline, "make_progress", lambda progress, total, unit="DMU": bar)
    with parallel_config(backend="dask"):
        return fr.productivity(panel, n_jobs=-1, progress=True, **GML)


def test_ctrl_c_leaves_no_worker_busy(cluster, panel, monkeypatch):
    """A KeyboardInterrupt in the client as the first answer arrives (tasks still queued and running) cancels every
    task of the call: within a few seconds no worker has any in its queue or running."""
    def interrupt():
        assert any(cluster.processing().values()), "no task was in flight"
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run_with_bar(monkeypatch, panel, Bar(interrupt))
    deadline = time.monotonic() + 10
    while True:
        busy = {w: len(tasks) for w, tasks in cluster.processing().items() if tasks}
        running = {w: n for w, n in cluster.run(lambda dask_worker: dask_worker.state.executing_count).items() if n}
        if not busy and not running:
            break
        assert time.monotonic() < deadline, f"workers still busy 10 s after Ctrl-C: queued {busy}, running {running}"
        time.sleep(0.1)


def test_a_killed_worker_costs_nothing_but_time(cluster, panel, monkeypatch):
    """One of the two worker processes is killed (SIGKILL) while it solves units of a GML: the units it was solving
    and the answers it held are solved again on the other worker (and the restarted one), and the indices equal a
    serial run's exactly, every unit counted once."""
    serial = fr.productivity(panel, **GML)
    counted = Bar(lambda: None)
    _run_with_bar(monkeypatch, panel, counted)         # every DMU of the call, each unit once
    killed = {}

    def kill_a_busy_worker():
        processing = cluster.processing()
        worker = next(w for w, tasks in sorted(processing.items()) if tasks)
        killed["tasks"] = len(processing[worker])
        killed["pid"] = cluster.run(os.getpid, workers=[worker])[worker]
        os.kill(killed["pid"], signal.SIGKILL)

    bar = Bar(kill_a_busy_worker)
    result = _run_with_bar(monkeypatch, panel, bar)
    assert killed["tasks"] >= 1, "the killed worker had no unit in flight"
    assert len(bar.updates) > 2, "too few units to kill a worker mid-run"
    assert sorted(bar.updates) == sorted(counted.updates), "a unit was counted twice or lost"
    pd.testing.assert_frame_equal(result.indices, serial.indices)
    pd.testing.assert_frame_equal(result.distances, serial.distances)
    cluster.wait_for_workers(2, timeout=30)       # the nanny restarted it


if __name__ == "__main__":
    sys.exit(pytest.main([__file__, "-q"]))
