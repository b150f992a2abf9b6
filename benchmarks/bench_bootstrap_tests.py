"""Monte Carlo size and power of the bootstrap tests :func:`frontier.test_returns_to_scale` (Simar & Wilson 2002)
and :func:`frontier.test_independence` (Wilson 2003): the share of R simulated samples in which H0 is rejected at
the 5% and 10% levels, with the run time. docs/bootstrap.md ("Tests of returns to scale and independence") quotes
the table this prints.

Designs (two inputs, one output, input orientation): frontier inputs x0_ij ~ U(1, 10); y_j = (x0_j1 x0_j2)^(s/2);
true efficiency theta_j = exp(-u_j); observed x_j = x0_j / theta_j, so theta_j is independent of where the DMU
lies (y_j and the mix x_j2/x_j1) unless the design says otherwise:

* ``rts-crs``: s = 1, constant returns (H0 true for both tests of returns to scale), u ~ |N(0, 0.3^2)|;
* ``rts-vrs``: s = 0.6, decreasing returns everywhere (H0 CRS false: power; H0 NIRS true: size);
* ``ind-null``: the CRS design (H0 true for the independence test);
* ``ind-dep``: u_j ~ |N(0, s_j^2)|, s_j = (angle_j / (pi/2))^2, angle_j = arctan(x0_j2 / x0_j1): the inefficiency
  grows with the input mix's angle (power of the independence test).

    python benchmarks/bench_bootstrap_tests.py                       # the table in docs/bootstrap.md
    python benchmarks/bench_bootstrap_tests.py --n 40 100 --B 199 --reps 200

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
    x0 = rng.uniform(1, 10, size=(n, 2))
    scale = (np.arctan2(x0[:, 1], x0[:, 0]) / (np.pi / 2)) ** 2 if design == "ind-dep" else 0.3
    theta = np.exp(-np.abs(rng.normal(0, 1, n)) * scale)
    x = x0 / theta[:, None]
    exponent = 0.3 if design == "rts-vrs" else 0.5
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": (x0[:, 0] * x0[:, 1]) ** exponent})


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
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args(argv)
    rows = [run(design, test, n, args.B, args.reps, "input", args.seed) for n in args.n for design, test in CASES]
    table = pd.DataFrame(rows)
    with pd.option_context("display.width", 140, "display.max_columns", 20):
        print(table.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    return table


if __name__ == "__main__":
    main()
