"""FDH, order-m and order-alpha at n = 10,000 (issue 31.4): the blocked numpy computation of
frontier.analyses.partial against a plain loop over the DMUs (one numpy pass per DMU), and the whole public call.

    python benchmarks/bench_partial.py [n]

The loop is what a direct translation of the definition does: for DMU o, the dominating set and min_j max_i
x_ij / x_io. Both give the same scores (checked here).
"""
from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

import frontier as fr
from frontier.analyses import partial


def fdh_loop(X, Y):
    scores = np.empty(len(X))
    for o in range(len(X)):
        dominating = (Y >= Y[o]).all(axis=1)
        scores[o] = (X[dominating] / X[o]).max(axis=1).min()
    return scores


def main(n: int = 10_000) -> None:
    rng = np.random.default_rng(0)
    X = rng.uniform(1, 10, (n, 3))
    Y = (X.prod(axis=1) ** 0.3)[:, None] * rng.uniform(0.5, 1.0, (n, 2))
    data = pd.DataFrame(np.hstack([X, Y]), columns=["x1", "x2", "x3", "y1", "y2"])
    t = time.perf_counter()
    looped = fdh_loop(X, Y)
    loop = time.perf_counter() - t
    t = time.perf_counter()
    blocked = partial.estimate(X, Y, "input", "fdh")[0]
    block = time.perf_counter() - t
    assert np.allclose(looped, blocked, rtol=1e-14)
    print(f"n = {n}, 3 inputs, 2 outputs (input orientation)")
    print(f"  FDH, plain loop over the DMUs      {loop:7.2f} s")
    print(f"  FDH, numpy blocks (no sort)        {block:7.2f} s   ({loop / block:.1f}x)")
    for estimator, options in (("fdh", {}), ("order_alpha", {}), ("order_m", {"random_state": 1})):
        t = time.perf_counter()
        fr.partial_frontier(data, ["x1", "x2", "x3"], ["y1", "y2"], estimator=estimator, **options)
        print(f"  fr.partial_frontier({estimator!r}) with its outlier curve  {time.perf_counter() - t:7.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
