"""Where worker processes start to pay: n_jobs=2 against n_jobs=1 on one reference set of n DMUs, in one script.

For each n, VRS SBM with two bad outputs on ``synthetic_firms(n)`` is solved with the same chunks (``--chunks`` of
about n / chunks DMUs each, so every run solves exactly the same LPs from the same seeds) once serially
(``n_jobs=1``) and once on two worker processes (``n_jobs=2``, the pool already started). The runs are interleaved
and repeated (``--repeat``), and the medians compared: the ratio serial / parallel above 1 means the workers pay.
A serial run with one chunk (``chunk_size=n``) is timed too: splitting is not free (each chunk grows its own active
set), so the fair comparison for "should a job of n DMUs be split" is one chunk serially against two in parallel.
Scores must agree exactly across the runs. The machine is shared, so the load (``os.getloadavg``) is printed.

    python benchmarks/bench_threshold.py --sizes 200 500 1000 2000 --repeat 5
"""
from __future__ import annotations

import argparse
import math
import os
import time

import numpy as np

import frontier as fr
from frontier import engine
from frontier.datasets import synthetic_firms

INPUTS, OUTPUTS, BADS = ["K", "L", "E"], ["Y"], ["SO2", "COD"]


def timed(data, n_jobs, chunk_size, model):
    kwargs = dict(model="sbm", rts="vrs", super_efficiency=model == "super_sbm")
    t0 = time.perf_counter()
    res = fr.efficiency(data, INPUTS, OUTPUTS, BADS, n_jobs=n_jobs, chunk_size=chunk_size, **kwargs)
    return time.perf_counter() - t0, res.scores.to_numpy()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[200, 500, 1000, 2000])
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--chunks", type=int, default=2, help="chunks each job is split into (the parallel tasks)")
    ap.add_argument("--model", choices=["sbm", "super_sbm"], default="sbm")
    args = ap.parse_args(argv)
    engine.start_pool(2)     # the worker pool running before the clock starts
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    header = f"{'n':>6}{'1 chunk, serial':>17}{'2 chunks, serial':>18}{'2 chunks, n_jobs=2':>20}{'speed-up':>10}" \
             f"{'vs 1 chunk':>12}"
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        data = synthetic_firms(n, seed=n)
        size = math.ceil(n / args.chunks)
        one, serial, parallel = [], [], []
        for _ in range(args.repeat):
            t, s_one = timed(data, 1, n, args.model)
            one.append(t)
            t, s_serial = timed(data, 1, size, args.model)
            serial.append(t)
            t, s_par = timed(data, 2, size, args.model)
            parallel.append(t)
            assert np.array_equal(s_serial, s_par, equal_nan=True), "parallel scores differ from serial ones"
            assert np.allclose(s_one, s_serial, rtol=0, atol=1e-8, equal_nan=True)
        m1, ms, mp = np.median(one), np.median(serial), np.median(parallel)
        print(f"{n:>6}{m1:>16.3f}s{ms:>17.3f}s{mp:>19.3f}s{ms / mp:>9.2f}x{m1 / mp:>11.2f}x", flush=True)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
