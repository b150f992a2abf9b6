"""Monte Carlo coverage of frontier.bootstrap's intervals on a known frontier (the design of
tests/test_bootstrap.py, more samples and replicates): one input, one output, VRS, input orientation; frontier
y = x^0.5 with frontier inputs x0 ~ U(1, 4); true efficiency theta = exp(-u), u ~ |N(0, 0.3^2)|; x = x0 / theta.

    python benchmarks/mc_bootstrap.py --samples 16 --n 40 --B 200 --n-jobs 1

Prints the share of (1 - alpha) intervals covering the true theta (all DMUs, and split by whether the DEA score is
1), and the mean absolute error of the raw and the bias-corrected scores. The samples are bootstrapped in one call
as periods (each its own frontier and bandwidth).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import frontier as fr


def known_frontier_samples(seed: int, n: int, samples: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(1, 4, (samples, n))
    theta = np.exp(-np.abs(rng.normal(0, 0.3, (samples, n))))
    return pd.DataFrame({"sample": np.repeat(np.arange(samples), n), "x": (x0 / theta).ravel(),
                         "y": np.sqrt(x0).ravel(), "true": theta.ravel()})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--samples", type=int, default=16)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--B", type=int, default=200)
    ap.add_argument("--alpha", type=float, default=0.05)
    ap.add_argument("--bandwidth", default="silverman")
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--n-jobs", type=int, default=1)
    args = ap.parse_args()
    df = known_frontier_samples(args.seed, args.n, args.samples)
    start = time.perf_counter()
    res = fr.bootstrap(df, "x", "y", rts="vrs", period="sample", B=args.B, alpha=args.alpha,
                       bandwidth=args.bandwidth, random_state=args.seed, n_jobs=args.n_jobs)
    seconds = time.perf_counter() - start
    e = res.estimates
    covered = (e["lower"] <= df["true"]) & (df["true"] <= e["upper"])
    on_frontier = e["score"] >= 1 - 1e-9
    per_sample = covered.groupby(df["sample"]).mean()
    print(f"design: {args.samples} samples x n = {args.n}, B = {args.B}, {res.B * len(df):,} replicate LPs, "
          f"{seconds:.1f} s (n_jobs = {args.n_jobs})")
    print(f"coverage of {100 * (1 - args.alpha):g}% intervals: {covered.mean():.3f} (sd across samples "
          f"{per_sample.std():.3f}); DEA-inefficient DMUs {covered[~on_frontier].mean():.3f} "
          f"(n = {int((~on_frontier).sum())}), DEA-efficient {covered[on_frontier].mean():.3f} "
          f"(n = {int(on_frontier.sum())})")
    print(f"mean absolute error: raw {(e['score'] - df['true']).abs().mean():.4f}, bias-corrected "
          f"{(e['bias_corrected'] - df['true']).abs().mean():.4f}")


if __name__ == "__main__":
    main()
