"""Monte Carlo coverage of the Simar & Wilson (1999) Malmquist bootstrap intervals (productivity(bootstrap=B)).

Design (the one tests/test_malmquist_bootstrap.py runs small): n entities, two periods, two inputs and one
output, CRS Cobb-Douglas frontier y = c_t sqrt(x1 x2) with c_1 = 1 and c_2 = ``shift`` (known technical change);
each entity's frontier point has inputs uniform on [1, 10]^2 (drawn anew each period), observed inputs are
x = x_frontier / theta with input efficiency theta = exp(-0.3 |z|), (z_1, z_2) standard bivariate normal with
correlation 0.7 between the periods. True values: index = shift theta_2 / theta_1, ec = theta_2 / theta_1,
tc = shift. Radial input-oriented CRS Malmquist, 1 - alpha intervals; coverage = share of (data set, entity)
intervals containing the truth.

    PYTHONPATH=$PWD python benchmarks/malmquist_bootstrap_coverage.py --datasets 20 --n 20 --B 200
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

import frontier as fr


def simulate(n: int, shift: float, rng: np.random.Generator) -> tuple[pd.DataFrame, dict]:
    z = rng.multivariate_normal([0.0, 0.0], [[1.0, 0.7], [0.7, 1.0]], size=n)
    theta = np.exp(-0.3 * np.abs(z))
    rows = []
    for t, c in enumerate((1.0, shift)):
        x = rng.uniform(1.0, 10.0, size=(n, 2))
        y = c * np.sqrt(x[:, 0] * x[:, 1])
        for i in range(n):
            rows.append({"firm": i, "year": 2000 + t, "x1": x[i, 0] / theta[i, t], "x2": x[i, 1] / theta[i, t],
                         "y": y[i]})
    truth = {"index": shift * theta[:, 1] / theta[:, 0], "ec": theta[:, 1] / theta[:, 0], "tc": np.full(n, shift)}
    return pd.DataFrame(rows), truth


def coverage(datasets: int, n: int, B: int, alpha: float, shift: float, seed: int, n_jobs: int = 1) -> dict:
    """Coverage of each component's intervals, and ``tc_detected``: the share of rows whose tc interval lies
    above 1 (the known technical progress found significant)."""
    rng = np.random.default_rng(seed)
    hits = {c: [] for c in ("index", "ec", "tc")}
    detected = []
    for r in range(datasets):
        data, truth = simulate(n, shift, rng)
        pr = fr.productivity(data, "firm", "year", ["x1", "x2"], ["y"], index="malmquist", model="radial",
                             orientation="input", rts="crs", bootstrap=B, alpha=alpha, random_state=seed + r,
                             n_jobs=n_jobs)
        idx = pr.indices
        for c in hits:
            hits[c].extend((idx[f"{c}_lower"] <= truth[c]) & (truth[c] <= idx[f"{c}_upper"]))
        detected.extend(idx["tc_lower"] > 1)
    return {**{c: float(np.mean(v)) for c, v in hits.items()}, "tc_detected": float(np.mean(detected))}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--datasets", type=int, default=20)
    parser.add_argument("--n", type=int, default=20)
    parser.add_argument("--B", type=int, default=200)
    parser.add_argument("--alpha", type=float, default=0.1)
    parser.add_argument("--shift", type=float, default=1.15)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--n-jobs", type=int, default=1)
    a = parser.parse_args()
    start = time.perf_counter()
    rates = coverage(a.datasets, a.n, a.B, a.alpha, a.shift, a.seed, a.n_jobs)
    print(f"{a.datasets} data sets x {a.n} entities, B = {a.B}, nominal {1 - a.alpha:.0%}: coverage "
          + ", ".join(f"{c} {v:.3f}" for c, v in rates.items())
          + f" ({time.perf_counter() - start:.0f} s)")
