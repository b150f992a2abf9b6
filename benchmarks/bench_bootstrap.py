"""Speed of frontier.bootstrap against a plain per-replicate scipy loop on the same data, in one script.

The workload of issue 15: B = 2,000 replicates of n = 300 DMUs (600,000 LPs), radial VRS input orientation, three
inputs and two outputs drawn from a Cobb-Douglas frontier with half-normal inefficiency, ``n_jobs=2``.

The baseline is what R's Benchmarking ``boot.sw98`` and rDEA do: for each replicate, build the pseudo data and solve
every DMU's LP over all n pseudo DMUs with ``scipy.optimize.linprog`` (HiGHS). It uses frontier's own draws
(``result.draws``), so both sides solve the same LPs; it is timed on ``--scipy-replicates`` replicates (one process)
and scaled to B. The score differences between the two on those replicates are reported.

    python benchmarks/bench_bootstrap.py --n 300 --B 2000 --n-jobs 2 --scipy-replicates 5
"""
from __future__ import annotations

import argparse
import os
import time

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import frontier as fr

from bench_scale import cpu_seconds
from common import max_abs_diff, peak_rss_mb


def cobb_douglas(n: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    X = rng.uniform(1, 10, (n, 3))
    share = rng.dirichlet([2, 2], n)
    total = X[:, 0] ** 0.3 * X[:, 1] ** 0.3 * X[:, 2] ** 0.2
    Y = total[:, None] * share * np.exp(-np.abs(rng.normal(0, 0.3, n)))[:, None]
    return pd.DataFrame({"x1": X[:, 0], "x2": X[:, 1], "x3": X[:, 2], "y1": Y[:, 0], "y2": Y[:, 1]})


def scipy_replicate(X, Y, pseudo_X) -> np.ndarray:
    """theta*_b of every original DMU against the pseudo inputs, one linprog per DMU over all n columns."""
    n, m = X.shape
    s = Y.shape[1]
    out = np.empty(n)
    A_eq = np.r_[0.0, np.ones(n)][None, :]
    bounds = [(None, None)] + [(0, None)] * n
    for j in range(n):
        A = np.vstack([np.c_[-X[j][:, None], pseudo_X.T], np.c_[np.zeros((s, 1)), -Y.T]])
        b = np.r_[np.zeros(m), -Y[j]]
        res = linprog(np.r_[1.0, np.zeros(n)], A_ub=A, b_ub=b, A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs")
        out[j] = res.fun if res.status == 0 else np.nan
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=300)
    ap.add_argument("--B", type=int, default=2000)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--scipy-replicates", type=int, default=5)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    df = cobb_douglas(args.n, args.seed)
    inputs, outputs = ["x1", "x2", "x3"], ["y1", "y2"]
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    start, cpu_start, own_start = time.perf_counter(), cpu_seconds(), time.process_time()
    res = fr.bootstrap(df, inputs, outputs, rts="vrs", B=args.B, random_state=args.seed, n_jobs=args.n_jobs)
    seconds = time.perf_counter() - start
    cpu, own = cpu_seconds() - cpu_start, time.process_time() - own_start
    lps = args.B * args.n
    print(f"frontier.bootstrap: n = {args.n}, B = {args.B} ({lps:,} LPs), n_jobs = {args.n_jobs}: {seconds:.1f} s "
          f"({lps / seconds:,.0f} LPs/s), {res.n_failed_replicates} failed replicate LPs, "
          f"peak memory {peak_rss_mb():.0f} MB")
    print(f"CPU: {cpu:.1f} s in this process and its workers, {own:.1f} s of it in this process (on a shared machine "
          "the CPU is the figure to compare)")

    X, Y = df[inputs].to_numpy(), df[outputs].to_numpy()
    distance = 1 / res.estimates["score"].to_numpy()
    k = min(args.scipy_replicates, args.B)
    start = time.perf_counter()
    diffs = []
    for b in range(k):
        pseudo_X = X * (res.draws.iloc[b].to_numpy() / distance)[:, None]
        diffs.append(max_abs_diff(scipy_replicate(X, Y, pseudo_X), res.replicates.iloc[b].to_numpy()))
    per_replicate = (time.perf_counter() - start) / k
    scipy_total = per_replicate * args.B
    print(f"scipy loop: {per_replicate:.2f} s per replicate ({k} timed, one process), {scipy_total:.0f} s for "
          f"B = {args.B}; ratio {scipy_total / seconds:.1f}x; max |difference| on those replicates "
          f"{max(diffs):.1e}")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
