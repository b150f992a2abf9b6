"""Coverage of :func:`frontier.bootstrap`'s 95% and 90% intervals for the homogeneous, heterogeneous and subsampling
bootstraps on a frontier with known true efficiencies, with run times. docs/bootstrap.md ("Coverage") quotes the
table this prints, and the command that made it.

Design (a multi-output Cobb-Douglas in the spirit of Simar & Wilson 1998, 2000; input orientation): p inputs and q
outputs; frontier inputs x0_ij ~ U(10, 20); the technology {(x, y): ||y||_2 <= f(x)}, f(x) = prod_i x_i^(s/p),
s = 1 (``crs``: constant returns, estimated under CRS) or s = 0.8 (``vrs``: decreasing returns, estimated under
VRS); the output direction uniform on the positive unit sphere (q > 1); the true input efficiency theta_j =
exp(-u_j), u_j ~ |N(0, 0.3^2)|; observed x_j = x0_j / theta_j and ||y_j|| = f(x0_j). The frontier is convex and
freely disposable, and the input-oriented Farrell efficiency of (x_j, y_j) is exactly theta_j.

For each cell (scheme, returns to scale, n, p + q) R samples are drawn and bootstrapped in one call (the samples
as periods: each its own frontier, bandwidth and, for subsampling, kappa); coverage is the share of the R x n
intervals holding the true theta (DMUs without an interval are counted as not covering and reported). The 90%
intervals are computed from the same replicates as the 95% ones (for subsampling: with the kappa chosen for 95%).

    python benchmarks/bench_bootstrap_coverage.py                                        # the docs' small run
    python benchmarks/bench_bootstrap_coverage.py --n 25 50 100 200 400 800 --dims 1,1 2,1 2,2 3,2 3,3 \\
        --B 2000 --reps 200                                                               # the full design
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import frontier as fr
from frontier.analyses.bootstrap import _estimates           # the package's own interval formulas
from frontier.analyses.bootstrap_methods import convergence_rate
from common import print_table

SCHEMES = ("homogeneous", "heterogeneous", "subsampling")
RETURNS = {"crs": 1.0, "vrs": 0.8}


def samples(rng: np.random.Generator, reps: int, n: int, p: int, q: int, rts: str) -> pd.DataFrame:
    """``reps`` samples of n DMUs (column ``sample``), inputs x1..xp, outputs y1..yq, the true efficiency."""
    k = reps * n
    x0 = rng.uniform(10, 20, size=(k, p))
    f = np.prod(x0 ** (RETURNS[rts] / p), axis=1)
    direction = np.abs(rng.normal(size=(k, q)))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    theta = np.exp(-np.abs(rng.normal(0, 0.3, k)))
    frame = pd.DataFrame(x0 / theta[:, None], columns=[f"x{i + 1}" for i in range(p)])
    for i in range(q):
        frame[f"y{i + 1}"] = f * direction[:, i]
    frame["sample"] = np.repeat(np.arange(reps), n)
    frame["true"] = theta
    return frame


def coverage(data: pd.DataFrame, res, scheme: str, rts: str, p: int, q: int, alpha: float) -> tuple[float, int]:
    """Share of DMUs whose (1 - alpha) interval holds the true theta, and how many had no interval."""
    if alpha == res.alpha:
        est = res.estimates
    else:
        score = res.estimates["score"].to_numpy()
        replicates = res.replicates.to_numpy()
        sub = None
        if scheme == "subsampling":
            m = res.subsample_size.reindex(data["sample"]).to_numpy(dtype=float)
            n = data.groupby("sample")["sample"].transform("size").to_numpy(dtype=float)
            sub = (m, n, convergence_rate(rts, p, q))
        est = pd.DataFrame(_estimates(score, replicates, "input", alpha, sub), index=data.index)
    lower, upper = est["lower"].to_numpy(), est["upper"].to_numpy()
    missing = int((~np.isfinite(lower) | ~np.isfinite(upper)).sum())
    held = (lower <= data["true"].to_numpy()) & (data["true"].to_numpy() <= upper)
    return float(held.mean()), missing


def run_cell(scheme, rts, n, p, q, B, reps, seed, n_jobs, kappa) -> dict:
    rng = np.random.default_rng([seed, n, p, q, SCHEMES.index(scheme), list(RETURNS).index(rts)])
    data = samples(rng, reps, n, p, q, rts)
    inputs, outputs = [f"x{i + 1}" for i in range(p)], [f"y{i + 1}" for i in range(q)]
    start = time.perf_counter()
    res = fr.bootstrap(data, inputs, outputs, rts=rts, B=B, alpha=0.05, scheme=scheme, period="sample",
                       kappa=kappa if scheme == "subsampling" else None, random_state=seed, n_jobs=n_jobs)
    seconds = time.perf_counter() - start
    c95, missing = coverage(data, res, scheme, rts, p, q, 0.05)
    c90, _ = coverage(data, res, scheme, rts, p, q, 0.10)
    return {"scheme": scheme, "rts": rts, "n": n, "p+q": p + q, "p,q": f"{p},{q}", "B": B, "R": reps,
            "cover 95%": c95, "cover 90%": c90, "no interval": missing, "s per sample": seconds / reps}


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[25, 50])
    parser.add_argument("--dims", nargs="+", default=["1,1", "2,2"], help="p,q pairs (inputs,outputs)")
    parser.add_argument("--schemes", nargs="+", default=list(SCHEMES), choices=SCHEMES)
    parser.add_argument("--rts", nargs="+", default=list(RETURNS), choices=list(RETURNS))
    parser.add_argument("--B", type=int, default=199)
    parser.add_argument("--reps", type=int, default=20, help="simulated samples per cell")
    parser.add_argument("--kappa", type=float, default=None,
                        help="subsampling: m = n^kappa (default: chosen by the volatility method)")
    parser.add_argument("--seed", type=int, default=1998)
    parser.add_argument("--n-jobs", type=int, default=1)
    args = parser.parse_args(argv)
    rows = []
    for scheme in args.schemes:
        for rts in args.rts:
            for n in args.n:
                for dims in args.dims:
                    p, q = (int(v) for v in dims.split(","))
                    rows.append(run_cell(scheme, rts, n, p, q, args.B, args.reps, args.seed, args.n_jobs, args.kappa))
                    print(pd.DataFrame(rows[-1:]).to_string(index=False, header=len(rows) == 1,
                                                            float_format=lambda v: f"{v:.3f}"), flush=True)
    table = pd.DataFrame(rows)
    print()
    print_table(table)
    return table


if __name__ == "__main__":
    main()
