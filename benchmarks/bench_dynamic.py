"""Dynamic SBM (``fr.dynamic``) through the engine against a plain per-entity scipy ``linprog`` loop.

The same LP (non-oriented, VRS, Charnes-Cooper form; 2 inputs, 1 output, 1 bad output and the carry-overs, one
good, one bad, one fixed, then more good ones) is built densely for each entity with every entity's every period as a
column, and solved by ``scipy.optimize.linprog(method="highs")``, one call per entity: what a user writes without the
engine. Both are timed once in the same process on the same data, and the largest score difference is printed (the
two must agree).

    python benchmarks/bench_dynamic.py --n 300 --T 10 --carry 3

Measured (2-core machine shared with other jobs, load 5-9, one process, wall time; the figures move 2x with the
load, compare the ratio of one run): before the row-mapped blocks' seeds and own columns were fixed (issue 29), engine
74.1 s, scipy loop 64.5 s (0.87x); after, 9.5 s against 21.7 s (2.3x) and 18.7 s against 27.2 s (1.5x), max score
difference 3e-11. CPU time of the engine alone: 8.0 s before, 6.7 s after. The 50x target of issue 32 is missed: each
entity's LP has 108 rows and 3,000 columns, its warm start from the entity before saves nothing (245 dual simplex
iterations warm, 219 cold, with every column in the model), no column can be screened out (each term's columns enter
the continuity rows, equalities, with both signs), and HiGHS's iterations (about 100 us each here) are the floor;
the loop pays the same HiGHS per entity.
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import frontier as fr

KINDS = ("good", "bad", "fixed")


def make_panel(n: int, T: int, n_carry: int, seed: int = 0) -> tuple[pd.DataFrame, dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(n):
        size = rng.uniform(1.0, 5.0)
        for t in range(T):
            x = size * rng.uniform(1.0, 10.0, 2)
            row = {"entity": e, "period": t, "x1": x[0], "x2": x[1], "y": np.sqrt(x.prod()) * rng.uniform(0.5, 1.0),
                   "b": size * rng.uniform(1.0, 5.0)}
            row.update({f"z{c}": size * rng.uniform(1.0, 6.0) for c in range(n_carry)})
            rows.append(row)
    carry = {}
    for c in range(n_carry):
        carry.setdefault(KINDS[c] if c < len(KINDS) else "good", []).append(f"z{c}")
    return pd.DataFrame(rows), carry


def scipy_loop(df: pd.DataFrame, carry: dict) -> np.ndarray:
    """Each entity's non-oriented VRS dynamic SBM score, one dense ``linprog`` call per entity."""
    T = df["period"].nunique()
    n = df["entity"].nunique()
    sides = [("x1", 1, "in"), ("x2", 1, "in"), ("y", -1, "out"), ("b", 1, "out")]
    sides += [(c, -1, "out") for c in carry.get("good", [])] + [(c, 1, "in") for c in carry.get("bad", [])]
    fixed = carry.get("fixed", [])
    links = [c for kind in ("good", "bad", "free", "fixed") for c in carry.get(kind, [])]
    n_in = sum(1 for _, _, s in sides if s == "in")
    n_out = sum(1 for _, _, s in sides if s == "out")
    data = {t: df[df["period"] == t].sort_values("entity") for t in range(T)}
    k = len(sides)
    n_cols = 1 + T * k + T * n              # u, slacks, lambdas
    scores = np.empty(n)
    for o in range(n):
        A, rhs, cost = [], [], np.zeros(n_cols)
        cost[0] = 1.0
        norm = np.zeros(n_cols)
        norm[0] = 1.0
        for t in range(T):
            D = data[t]
            lam = slice(1 + T * k + t * n, 1 + T * k + (t + 1) * n)
            for v, (col, sign, side) in enumerate(sides):
                row = np.zeros(n_cols)
                value = D[col].to_numpy()
                row[lam] = value
                row[1 + t * k + v] = sign
                row[0] = -value[o]
                A.append(row)
                if side == "in":
                    cost[1 + t * k + v] = -1.0 / (T * n_in * value[o])
                else:
                    norm[1 + t * k + v] = 1.0 / (T * n_out * value[o])
            for col in fixed:
                row = np.zeros(n_cols)
                row[lam] = D[col].to_numpy()
                row[0] = -D[col].to_numpy()[o]
                A.append(row)
            row = np.zeros(n_cols)
            row[lam] = 1.0
            row[0] = -1.0
            A.append(row)
            if t < T - 1:
                nxt = slice(lam.start + n, lam.stop + n)
                for col in links:
                    row = np.zeros(n_cols)
                    row[lam] = D[col].to_numpy()
                    row[nxt] = -D[col].to_numpy()
                    A.append(row)
        A.append(norm)
        rhs = np.zeros(len(A))
        rhs[-1] = 1.0
        out = linprog(cost, A_eq=np.array(A), b_eq=rhs, bounds=(0, None), method="highs")
        scores[o] = out.fun
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--T", type=int, default=10)
    parser.add_argument("--carry", type=int, default=3)
    args = parser.parse_args()
    df, carry = make_panel(args.n, args.T, args.carry)
    start = time.perf_counter()
    res = fr.dynamic(df, "entity", "period", ["x1", "x2"], ["y"], ["b"], carry_overs=carry, progress=False)
    engine_time = time.perf_counter() - start
    start = time.perf_counter()
    loop = scipy_loop(df, carry)
    loop_time = time.perf_counter() - start
    diff = np.nanmax(np.abs(res.scores.to_numpy() - loop))
    print(f"dynamic SBM, {args.n} entities x {args.T} periods x {args.carry} carry-overs ({carry}), non-oriented VRS")
    print(f"  frontier (engine)   {engine_time:8.2f} s   ({(res.status == 'optimal').sum()} optimal)")
    print(f"  scipy linprog loop  {loop_time:8.2f} s")
    print(f"  loop / engine       {loop_time / engine_time:8.2f}x     max |score difference| {diff:.2e}")


if __name__ == "__main__":
    main()
