"""Monte Carlo of the Simar & Wilson (2007) second stage: coverage of the 95% interval of the true slope by
Algorithm 1, Algorithm 2, OLS on the DEA distances and a Tobit (censored at 1) on them.

Design (after SW 2007, Section 5; the same as tests/test_second_stage.py, whose helpers this script imports):
one input x ~ U(6, 16), one output y = x^(3/4) / delta, delta = 0.5 + 0.5 z + eps >= 1, z ~ N(2, 2^2),
eps ~ N(0, 1) left-truncated at 1 - 0.5 - 0.5 z; delta estimated by output-oriented VRS DEA. True slope 0.5.

    python benchmarks/mc_second_stage.py --n 100 --trials 200 --trials2 40 --L1 50 --L2 1000

prints a markdown table (coverage, mean slope estimate, mean interval width, time) and, for Algorithm 2, the mean
absolute error of the raw and the bias-corrected distances against the true delta. Algorithm 2 costs L1 x n LPs
per sample: keep --trials2 modest on a small machine.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import frontier as fr  # noqa: E402
from test_second_stage import TRUE_BETA, batched_dea, ols_interval, simulate_design, tobit_interval  # noqa: E402


def markdown(table: pd.DataFrame) -> str:
    """A pipe table (no optional dependency)."""
    lines = ["| " + " | ".join(table.columns) + " |", "|" + "---|" * len(table.columns)]
    lines += ["| " + " | ".join(str(v) for v in row) + " |" for row in table.itertuples(index=False)]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100, help="DMUs per sample")
    parser.add_argument("--trials", type=int, default=200, help="samples for Algorithm 1, OLS and Tobit")
    parser.add_argument("--trials2", type=int, default=40, help="samples for Algorithm 2 (the first ones)")
    parser.add_argument("--L1", type=int, default=50)
    parser.add_argument("--L2", type=int, default=1000)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2007)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    frames = [simulate_design(rng, args.n) for _ in range(args.trials)]
    rows, slope = [], TRUE_BETA[1]

    start = time.perf_counter()
    distances = batched_dea(frames)
    dea_time = time.perf_counter() - start
    found = {"Algorithm 1": [], "OLS": [], "Tobit": []}
    clock = {name: 0.0 for name in found}
    for trial, (frame, delta_hat) in enumerate(zip(frames, distances)):
        t = time.perf_counter()
        table = fr.second_stage(pd.Series(delta_hat, index=frame.index), frame, ["z"], L2=args.L2,
                                random_state=trial).table()
        clock["Algorithm 1"] += time.perf_counter() - t
        found["Algorithm 1"].append((table.loc["z", "coefficient"], table.loc["z", "lower"], table.loc["z", "upper"]))
        for name, interval in (("OLS", ols_interval), ("Tobit", tobit_interval)):
            t = time.perf_counter()
            lo, hi = interval(delta_hat, frame["z"].to_numpy())
            clock[name] += time.perf_counter() - t
            found[name].append(((lo + hi) / 2, lo, hi))
    clock = {name: value + dea_time for name, value in clock.items()}

    found["Algorithm 2"], clock["Algorithm 2"], raw_error, corrected_error = [], 0.0, [], []
    for trial, frame in enumerate(frames[: args.trials2]):
        t = time.perf_counter()
        first = fr.efficiency(frame, ["x"], ["y"], model="radial", orientation="output", rts="vrs")
        res = fr.second_stage(first, frame, ["z"], algorithm=2, L1=args.L1, L2=args.L2, random_state=trial,
                              n_jobs=args.n_jobs)
        clock["Algorithm 2"] += time.perf_counter() - t
        table = res.table()
        found["Algorithm 2"].append((table.loc["z", "coefficient"], table.loc["z", "lower"], table.loc["z", "upper"]))
        raw_error.append(np.mean(np.abs(res.delta - frame["delta"])))
        corrected_error.append(np.mean(np.abs(res.delta_bias_corrected - frame["delta"])))

    for name in ("Algorithm 1", "Algorithm 2", "OLS", "Tobit"):
        values = np.array(found[name])
        if not len(values):
            continue
        covered = np.mean((values[:, 1] <= slope) & (slope <= values[:, 2]))
        rows.append({"method": name, "samples": len(values), "coverage of 0.5": f"{covered:.3f}",
                     "mean slope": f"{values[:, 0].mean():.3f}", "mean width": f"{(values[:, 2] - values[:, 1]).mean():.3f}",
                     
                     "seconds per sample": f"{clock[name] / len(values):.2f}"})
    print(f"SW (2007) design, n = {args.n}, L1 = {args.L1}, L2 = {args.L2}, nominal 0.95, seed {args.seed}\n")
    print(markdown(pd.DataFrame(rows)))
    if raw_error:
        print(f"\nmean |delta_hat - delta| {np.mean(raw_error):.4f}; bias-corrected {np.mean(corrected_error):.4f} "
              f"({args.trials2} samples)")


if __name__ == "__main__":
    main()
