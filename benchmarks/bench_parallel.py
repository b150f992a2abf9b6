"""Parallel speed-up of whole calls: n_jobs=2 against n_jobs=1, processes against threads, in one script.

Two workloads made of many reference sets, the case the parallel map over (reference set x chunk) tasks is for:

* the demo's super-SBM ML on the synthetic city panel (270 cities x 12 years): 12 contemporaneous technologies,
  each observation against its own and its neighbours' frontiers;
* a period-by-period VRS SBM efficiency of the same panel (12 reference sets of 270 DMUs).

Each is run with ``n_jobs=1``, with ``n_jobs=2`` on joblib's default backend (loky worker processes) and with
``n_jobs=2`` on the threading backend (highspy releases the GIL while HiGHS solves, but the per-DMU patching and
pricing in Python hold it). Every run's results must equal the serial run's exactly. Each timing is the best of
``--repeat`` runs on the running pool (``engine.start_pool``); the first call with ``n_jobs=2`` is reported
separately (cold: under the default rule it starts the workers only if they pay, else it runs in the process).

    python benchmarks/bench_parallel.py --repeat 3
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from joblib import parallel_config

import frontier as fr
from frontier import engine
from frontier.datasets import synthetic_city_panel

VARS = dict(inputs=["capital", "labour", "energy"], outputs=["value_added"],
            bad_outputs=["so2", "wastewater", "dust"])


def ml(panel, n_jobs):
    pr = fr.productivity(panel, entity="city", period="year", index="ml", model="sbm", rts="vrs",
                         super_efficiency=True, n_jobs=n_jobs, **VARS)
    return pr.indices[["index", "ec", "tc"]].to_numpy()


def periodwise(panel, n_jobs):
    res = fr.efficiency(panel, model="sbm", rts="vrs", period="year", n_jobs=n_jobs, **VARS)
    return res.scores.to_numpy()


def timed(func, panel, n_jobs, repeat, backend=None):
    times, out = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        if backend is None:
            out = func(panel, n_jobs)
        else:
            with parallel_config(backend=backend):
                out = func(panel, n_jobs)
        times.append(time.perf_counter() - t0)
    return min(times), times[0], out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cities", type=int, default=270)
    ap.add_argument("--years", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    panel = synthetic_city_panel(args.cities, args.years)
    print(f"panel {args.cities} x {args.years}; best of {args.repeat}")
    print(f"{'workload':<28} {'n_jobs=1':>9} {'processes':>10} {'(cold)':>8} {'threads':>9} "
          f"{'speed-up proc':>14} {'speed-up thr':>13}  identical")
    for name, func in (("super-SBM ML (demo)", ml), ("period-wise SBM efficiency", periodwise)):
        serial, _, ref = timed(func, panel, 1, args.repeat)
        _, cold, _ = timed(func, panel, 2, 1)        # the default rule: a cold pool starts only if it pays
        engine.start_pool(2)
        procs, _, out_p = timed(func, panel, 2, args.repeat)
        threads, _, out_t = timed(func, panel, 2, args.repeat, backend="threading")
        same = np.array_equal(ref, out_p, equal_nan=True) and np.array_equal(ref, out_t, equal_nan=True)
        print(f"{name:<28} {serial:>8.2f}s {procs:>9.2f}s {cold:>7.2f}s {threads:>8.2f}s "
              f"{serial / procs:>13.2f}x {serial / threads:>12.2f}x  {same}")


if __name__ == "__main__":
    main()
