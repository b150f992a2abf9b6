"""Dynamic SBM (``fr.dynamic``) through the engine against a plain per-entity scipy ``linprog`` loop.

The same LP (non-oriented, VRS, Charnes-Cooper form; 2 inputs, 1 output, 1 bad output and the carry-overs, one
good, one bad, one fixed, then more good ones) is built densely for each entity with every entity's every period as a
column, and solved by ``scipy.optimize.linprog(method="highs")``, one call per entity: what a user writes without the
engine. Then HiGHS's ``run()`` alone on each of those LPs (built outside the clock): the floor of any per-entity
HiGHS solve. All in the same process on the same data, wall and CPU time, with the largest score differences.

    python benchmarks/bench_dynamic.py --n 300 --T 10 --carry 3

Measured (eighth session; 2-core machine loaded 5-9 by other jobs, so read the CPU ratios): engine 5.6 s of CPU
against 11.6 s for the loop (2.1x; wall 2.6x) and 4.2 s for HiGHS alone (217 dual simplex iterations per entity,
2.8x the loop), scores equal to 6e-12. Before the session (warm starts across entities, column generation): 8.7 s
against 13.2 s (1.5x). Issue 32's 50x is out of reach for any per-entity simplex: 50x the loop is 0.77 ms per entity,
217 pivots of 3.5 microseconds on a 108-row basis, where HiGHS takes about 65 (docs/performance.md, eighth session).
Issue 29's figures: before the row-mapped blocks' seeds and own columns were fixed, engine 74.1 s, loop 64.5 s.
"""
from __future__ import annotations

import argparse
import time

import highspy
import numpy as np
import pandas as pd
from scipy import sparse
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


def entity_lps(df: pd.DataFrame, carry: dict):
    """Each entity's non-oriented VRS dynamic SBM LP in Charnes-Cooper form, built densely with every entity's every
    period as a column: ``(cost, A_eq, b_eq)`` per entity, variables >= 0 (u, the slacks, then the intensities)."""
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
    for o in range(n):
        A, cost = [], np.zeros(n_cols)
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
        yield cost, np.array(A), rhs


def scipy_loop(df: pd.DataFrame, carry: dict) -> np.ndarray:
    """Each entity's score, one dense ``linprog`` call per entity (what a user writes without the engine)."""
    return np.array([linprog(cost, A_eq=A, b_eq=rhs, bounds=(0, None), method="highs").fun
                     for cost, A, rhs in entity_lps(df, carry)])


def highs_alone(df: pd.DataFrame, carry: dict) -> tuple[np.ndarray, float, float]:
    """The floor of any per-entity HiGHS solve: HiGHS's ``run()`` alone (dual simplex from its slack basis, no
    presolve, as the engine runs it) on each entity's LP, built and passed outside the clock. Returns the scores,
    the CPU seconds of the ``run()`` calls and the mean simplex iterations per entity."""
    scores, seconds, iterations = [], 0.0, 0
    for cost, A, rhs in entity_lps(df, carry):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("presolve", "off")
        matrix = sparse.csc_matrix(A)
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = A.shape[1], A.shape[0]
        lp.col_cost_, lp.col_lower_, lp.col_upper_ = cost, np.zeros(A.shape[1]), np.full(A.shape[1], highspy.kHighsInf)
        lp.row_lower_ = lp.row_upper_ = rhs
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
        h.passModel(lp)
        start = time.process_time()
        h.run()
        seconds += time.process_time() - start
        iterations += h.getInfo().simplex_iteration_count
        scores.append(h.getInfo().objective_function_value)
    return np.array(scores), seconds, iterations / len(scores)


def clocked(function):
    """``function()``'s answer, its wall time and its CPU time (this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    answer = function()
    return answer, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--T", type=int, default=10)
    parser.add_argument("--carry", type=int, default=3)
    args = parser.parse_args()
    df, carry = make_panel(args.n, args.T, args.carry)
    res, wall, cpu = clocked(lambda: fr.dynamic(df, "entity", "period", ["x1", "x2"], ["y"], ["b"],
                                                carry_overs=carry, progress=False))
    loop, loop_wall, loop_cpu = clocked(lambda: scipy_loop(df, carry))
    floor, floor_cpu, iterations = highs_alone(df, carry)
    ours = res.scores.to_numpy()
    print(f"dynamic SBM, {args.n} entities x {args.T} periods x {args.carry} carry-overs ({carry}), non-oriented VRS")
    print(f"  frontier (engine)   {wall:8.2f} s wall  {cpu:8.2f} s CPU   ({(res.status == 'optimal').sum()} optimal)")
    print(f"  scipy linprog loop  {loop_wall:8.2f} s wall  {loop_cpu:8.2f} s CPU   loop / engine "
          f"{loop_wall / wall:5.2f}x wall, {loop_cpu / cpu:5.2f}x CPU")
    print(f"  HiGHS run() alone                    {floor_cpu:8.2f} s CPU   ({iterations:.0f} simplex iterations per "
          f"entity; loop / HiGHS alone {loop_cpu / floor_cpu:5.2f}x CPU: what any per-entity HiGHS solve can reach)")
    print(f"  max |score difference| engine - loop {np.nanmax(np.abs(ours - loop)):.2e}, "
          f"engine - HiGHS alone {np.nanmax(np.abs(ours - floor)):.2e}")


if __name__ == "__main__":
    main()
