"""Monte Carlo size and power of the bootstrap tests :func:`frontier.test_returns_to_scale` (Simar & Wilson 2002)
and :func:`frontier.test_independence` (Wilson 2003): the share of R simulated samples in which H0 is rejected at
the 5% and 10% levels, with the run time. docs/bootstrap.md ("Tests of returns to scale and independence") quotes
the table this prints.

Designs (two inputs, one output; x_ij ~ U(1, 10) independent; u_j ~ |N(0, 0.3^2)|; y_j = f(x_j) exp(-u_j)
(input orientation: theta_j = exp(-u_j) in the input direction under CRS)):

* ``rts-crs`` (H0 true for both tests of returns to scale): f(x) = x1^0.5 x2^0.5, constant returns;
* ``rts-vrs`` (power): f(x) = (x1^0.5 x2^0.5)^0.6 ... a frontier with decreasing returns everywhere, y =
  (x1 x2)^0.3, so CRS is false and NIRS true;
* ``ind-null`` (H0 true for the independence test): the CRS design (u independent of the mix and y);
* ``ind-dep`` (power): u_j ~ |N(0, s_j^2)| with s_j = 0.6 * angle_j / (pi/2), the inefficiency growing with the
  input mix's angle arctan(x2/x1).

    python benchmarks/bench_bootstrap_tests.py                       # the table in docs/bootstrap.md
    python benchmarks/bench_bootstrap_tests.py --n 40 100 --B 199 --reps 200 --orientation input output

Every sample and every bootstrap is seeded from --seed: rerunning prints the same table.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import frontier as fr

DESIGNS = ("rts-crs", "rts-vrs", "ind-null", "ind-dep")


def sample(design: str, n: int, rng: np.random.Generator) -> pd.DataFrame:
    """One simulated sample of ``design`` (module docstring)."""
    x = rng.uniform(1, 10, size=(n, 2))
    if design == "ind-dep":
        angle = np.arctan2(x[:, 1], x[:, 0])
        u = np.abs(rng.normal(0, 1, n)) * 0.6 * angle / (np.pi / 2)
    else:
        u = np.abs(rng.normal(0, 0.3, n))
    exponent = 0.3 if design == "rts-vrs" else 0.5
    y = (x[:, 0] * x[:, 1]) ** exponent * np.exp(-u)
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": y})


def run(design: str, test: str, n: int, B: int, reps: int, orientation: str, seed: int) -> dict:
    """Rejection rates at 5% and 10% over ``reps`` samples, and the mean run time of one test."""
    rng = np.random.default_rng([seed, n, DESIGNS.index(design)])
    p_values, seconds = [], 0.0
    for r in range(reps):
        data = sample(design, n, rng)
        start = time.perf_counter()
        if test == "independence":
            res = fr.test_independence(data, ["x1", "x2"], ["y"], orientation=orientation, rts="crs", B=B,
                                       random_state=[seed, r])
        else:
            res = fr.test_returns_to_scale(data, ["x1", "x2"], ["y"], orientation=orientation, null=test, B=B,
                                           random_state=[seed, r])
        seconds += time.perf_counter() - start
        p_values.append(res.p_value)
    p = np.array(p_values)
    return {"design": design, "H0": test, "orientation": orientation, "n": n, "B": B, "R": reps,
            "reject 5%": float((p <= 0.05).mean()), "reject 10%": float((p <= 0.10).mean()),
            "mean p": float(p.mean()), "s per test": seconds / reps}


CASES = (("rts-crs", "crs"), ("rts-crs", "nirs"), ("rts-vrs", "crs"), ("rts-vrs", "nirs"),
         ("ind-null", "independence"), ("ind-dep", "independence"))


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[40])
    parser.add_argument("--B", type=int, default=99)
    parser.add_argument("--reps", type=int, default=100, help="simulated samples per cell")
    parser.add_argument("--orientation", nargs="+", default=["input"], choices=["input", "output"])
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    rows = [run(design, test, n, args.B, args.reps, orientation, args.seed)
            for orientation in args.orientation for n in args.n for design, test in CASES]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 140, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return table


if __name__ == "__main__":
    main()
