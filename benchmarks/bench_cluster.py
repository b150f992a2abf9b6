"""Throughput against the number of Dask workers, on a local cluster (docs/scaling.md).

Runs one workload, VRS SBM with bad outputs on the hard cross-section (``benchmarks/common.py``), in this process
(``n_jobs=1``) and on ``distributed.LocalCluster`` clusters of 1, 2, ... worker processes (one thread each) through
joblib's Dask backend, and prints wall time, DMUs per second, the speed-up over one worker and whether the scores
equal the local run's exactly. Each cluster is started (and a warm-up call run on it) before the clock starts, as
on a cluster that is already up. On one machine, workers beyond its cores only share them.

    python benchmarks/bench_cluster.py --n 3000 --workers 1 2
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
from common import BADS, INPUTS, OUTPUTS, hard_firms
from joblib import parallel_config

import frontier as fr


def score(data, n_jobs, chunk_size):
    res = fr.efficiency(data, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", n_jobs=n_jobs, chunk_size=chunk_size)
    return res.scores.to_numpy()


def main(argv=None):
    import distributed

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--chunk-size", type=int, default=250, help="DMUs per task (fixed, so results are identical)")
    args = ap.parse_args(argv)
    data = hard_firms(args.n, seed=args.n)
    print(f"hard cross-section n = {args.n}, VRS SBM with bad outputs, chunk_size {args.chunk_size}; "
          f"{os.cpu_count()} cores; load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    t0 = time.perf_counter()
    local = score(data, 1, args.chunk_size)
    t_local = time.perf_counter() - t0
    print(f"{'run':<22}{'seconds':>9}{'DMUs/s':>9}{'vs 1 worker':>13}  identical")
    print(f"{'local, n_jobs=1':<22}{t_local:>9.1f}{args.n / t_local:>9.0f}{'':>13}  -")
    one = None
    for workers in args.workers:
        with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                                      dashboard_address=None) as cluster, distributed.Client(cluster):
            with parallel_config(backend="dask"):
                score(data.iloc[:200], -1, 50)                  # warm-up: workers import frontier
                t0 = time.perf_counter()
                scores = score(data, -1, args.chunk_size)
                seconds = time.perf_counter() - t0
        one = one or seconds
        same = np.array_equal(scores, local, equal_nan=True)
        print(f"{f'LocalCluster, {workers} worker' + ('s' if workers > 1 else ''):<22}{seconds:>9.1f}"
              f"{args.n / seconds:>9.0f}{one / seconds:>12.2f}x  {same}", flush=True)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
