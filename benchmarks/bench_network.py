"""Network DEA (``fr.network``) through the engine against a plain per-DMU scipy ``linprog`` loop.

Two-stage data (R&D: inputs x1, x2 -> links z1, z2; commercialisation: z1, z2 and input x3 -> output y1 and bad
output b1). Two models in the same process on the same data, with the largest differences printed (the two must
agree):

* the relational model (Kao & Hwang 2008, CRS; ``ccr=False``): ``fr.network`` returns the system score and its
  decomposition, two LPs per DMU, so the loop solves both in multiplier form: the score, ``max u'y_o  s.t.  v'x_o = 1,
  w'z_j - v'x_j <= 0, u'y_j - w'z_j - v3'x3_j <= 0``, then the tie rule (the first stage's efficiency maximised with
  the score held at its optimum times ``1 - TIE_SLACK``, as the engine holds it); the ratio against the score's LPs
  alone is printed too;
* network SBM (Tone & Tsutsui 2009), non-oriented, VRS in both nodes, free links, the bad output on the output side,
  equal node weights (the Charnes-Cooper LP of ``frontier.models.network_sbm``, built densely per DMU).

Each engine call is timed twice (the process's first call, then again), wall and CPU time.

    python benchmarks/bench_network.py --n 2000

Measured at n = 2,000 (eighth session; 2-core machine loaded 5-9 by other jobs, so read the CPU ratios): relational
0.93 s of CPU on a first call, 0.45 s again, against 54.9 s for the loop of both LPs (59x, 121x; wall 46x, 108x) and
24.5 s for the score's LPs alone (26x, 54x); network SBM 0.30 s / 0.39 s against 42.3 s (143x, 110x); max
differences 6e-15 (system), 4.8e-10 (first stage, held to TIE_SLACK) and 1e-13 (network SBM).
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd
from scipy.optimize import linprog

import frontier as fr
from frontier.models.network import TIE_SLACK

NODES_REL = {"rd": {"inputs": ["x1", "x2"]}, "market": {"inputs": ["x3"], "outputs": ["y1"]}}
NODES_SBM = {"rd": {"inputs": ["x1", "x2"]}, "market": {"inputs": ["x3"], "outputs": ["y1"], "bad_outputs": ["b1"]}}
LINKS = [("rd", "market", "z1"), ("rd", "market", "z2")]


def make_data(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, 3))
    z = np.sqrt(x[:, :2].prod(axis=1, keepdims=True)) * rng.uniform(0.3, 1.0, size=(n, 2))
    y = (z.sum(axis=1) * x[:, 2]) ** 0.5 * rng.uniform(0.3, 1.0, size=n)
    b = y * rng.uniform(0.2, 1.0, size=n)
    return pd.DataFrame(np.column_stack([x, z, y, b]), columns=["x1", "x2", "x3", "z1", "z2", "y1", "b1"])


def relational_loop(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Kao & Hwang's (2008) CRS system efficiency and its decomposition, two multiplier LPs per DMU: variables (v1,
    v2, v3, w1, w2, u). The first is the system score; the second the tie rule (``frontier.models.network``): the
    first stage's efficiency ``(w'z_o + v3 x3_o) / v'x_o`` maximised with the system score held at its optimum
    (times ``1 - TIE_SLACK``, as the engine holds it). Returns both scores and the seconds spent on each kind of LP."""
    X12, x3, Z, y = df[["x1", "x2"]].to_numpy(), df[["x3"]].to_numpy(), df[["z1", "z2"]].to_numpy(), df[["y1"]].to_numpy()
    n = len(df)
    zeros = np.zeros((n, 1))
    stage1 = np.hstack([-X12, zeros, Z, zeros])            # w'z_j - v'x_j <= 0
    stage2 = np.hstack([np.zeros((n, 2)), -x3, -Z, y])     # u'y_j - w'z_j - v3 x3_j <= 0
    A_ub = np.vstack([stage1, stage2])
    scores, first = np.empty(n), np.empty(n)
    seconds = [0.0, 0.0]
    for o in range(n):
        start = time.perf_counter()
        A_eq = np.concatenate([X12[o], x3[o], [0.0, 0.0, 0.0]])[None, :]
        cost = np.array([0, 0, 0, 0, 0, -y[o, 0]])
        out = linprog(cost, A_ub=A_ub, b_ub=np.zeros(2 * n), A_eq=A_eq, b_eq=[1.0], bounds=(0, None), method="highs")
        scores[o] = -out.fun
        middle = time.perf_counter()
        held = np.array([[0, 0, 0, 0, 0, -y[o, 0]]])        # u y_o >= E v'x_o = E
        cost = -np.concatenate([[0.0, 0.0], x3[o], Z[o], [0.0]])
        out = linprog(cost, A_ub=np.vstack([A_ub, held]), b_ub=np.append(np.zeros(2 * n), -scores[o] * (1 - TIE_SLACK)),
                      A_eq=A_eq, b_eq=[1.0], bounds=(0, None), method="highs")
        first[o] = -out.fun
        seconds[0] += middle - start
        seconds[1] += time.perf_counter() - middle
    return scores, first, seconds[0], seconds[1]


def sbm_loop(df: pd.DataFrame) -> np.ndarray:
    """Non-oriented VRS network SBM with free links and equal node weights, one dense Charnes-Cooper LP per DMU.

    Variables: t, the slacks (s1-, s2- of node 1; s3-, s+ and sb of node 2, in units of the DMU's own values), then
    lambda^1 and lambda^2 (n each)."""
    X12, x3, Z = df[["x1", "x2"]].to_numpy(), df["x3"].to_numpy(), df[["z1", "z2"]].to_numpy()
    y, b = df["y1"].to_numpy(), df["b1"].to_numpy()
    n = len(df)
    S = 5
    L1, L2 = 1 + S, 1 + S + n
    cols = 1 + S + 2 * n
    scores = np.empty(n)
    for o in range(n):
        A = np.zeros((9, cols))
        for r, (data, sign, slack, block) in enumerate([(X12[:, 0], 1, 1, L1), (X12[:, 1], 1, 2, L1),
                                                        (x3, 1, 3, L2), (y, -1, 4, L2), (b, 1, 5, L2)]):
            A[r, block: block + n] = data
            A[r, slack] = sign
            A[r, 0] = -data[o]
        for c in range(2):                                  # free links: Z lambda^1 = Z lambda^2
            A[5 + c, L1: L1 + n] = Z[:, c]
            A[5 + c, L2: L2 + n] = -Z[:, c]
        A[7, L1: L1 + n] = 1.0                              # VRS in each node: sum Lambda = t
        A[7, 0] = -1.0
        A[8, L2: L2 + n] = 1.0
        A[8, 0] = -1.0
        norm = np.zeros(cols)                               # t + 0.5 * (1/2) (S+ / y_o + Sb / b_o) = 1
        norm[0] = 1.0
        norm[4], norm[5] = 0.25 / y[o], 0.25 / b[o]
        cost = np.zeros(cols)                               # t - 0.5 * (1/2) (S1/x1 + S2/x2) - 0.5 * S3/x3
        cost[0] = 1.0
        cost[1], cost[2], cost[3] = -0.25 / X12[o, 0], -0.25 / X12[o, 1], -0.5 / x3[o]
        A_eq = np.vstack([A, norm])
        b_eq = np.zeros(10)
        b_eq[-1] = 1.0
        out = linprog(cost, A_eq=A_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        scores[o] = out.fun
    return scores


def clocked(function):
    """``function()``'s answer, its wall time and its CPU time (this process)."""
    wall, cpu = time.perf_counter(), time.process_time()
    answer = function()
    return answer, time.perf_counter() - wall, time.process_time() - cpu


def report(label: str, engine_times: list[tuple[str, float, float]], loops: list[tuple[str, float, float]],
           diffs: str) -> None:
    """Print the engine's wall and CPU times (its first call in the process, then the same call again) and, per loop,
    its times and the ratios loop / engine for each engine call."""
    print(label)
    for name, wall, cpu in engine_times:
        print(f"  {name:<26} {wall:8.2f} s wall  {cpu:8.2f} s CPU")
    for name, wall, cpu in loops:
        ratios = ", ".join(f"{wall / w:.1f}x wall {cpu / c:.1f}x CPU" for _, w, c in engine_times)
        print(f"  {name:<26} {wall:8.2f} s wall  {cpu:8.2f} s CPU   loop / engine (first, again): {ratios}")
    print(f"  {diffs}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    args = parser.parse_args()
    df = make_data(args.n)
    relational = lambda: fr.network(df, nodes=NODES_REL, links=LINKS, ccr=False, progress=False)  # noqa: E731
    res, wall, cpu = clocked(relational)
    _, again_wall, again_cpu = clocked(relational)
    (scores, first, system_seconds, tie_seconds), loop_wall, loop_cpu = clocked(lambda: relational_loop(df))
    # the loop's CPU time split as its wall time is (the two kinds of LP alternate, so the load is the same on both)
    system_share = system_seconds / (system_seconds + tie_seconds)
    report(f"relational two-stage network (CRS), {args.n} DMUs, system efficiency and its decomposition",
           [("frontier, first call", wall, cpu), ("frontier, again", again_wall, again_cpu)],
           [("loop, system LPs only", system_seconds, loop_cpu * system_share),
            ("loop, both LPs", loop_wall, loop_cpu)],
           f"max |system difference| {np.nanmax(np.abs(res.system.to_numpy() - scores)):.2e}, "
           f"|first stage difference| {np.nanmax(np.abs(res.stages['1'].to_numpy() - first)):.2e}")
    sbm = lambda: fr.network(df, nodes=NODES_SBM, links=LINKS, model="sbm", rts="vrs", progress=False)  # noqa: E731
    res, wall, cpu = clocked(sbm)
    _, again_wall, again_cpu = clocked(sbm)
    loop, loop_wall, loop_cpu = clocked(lambda: sbm_loop(df))
    report(f"network SBM (non-oriented, VRS, free links, a bad output), {args.n} DMUs",
           [("frontier (after the above)", wall, cpu), ("frontier, again", again_wall, again_cpu)],
           [("scipy linprog loop", loop_wall, loop_cpu)],
           f"max |score difference| {np.nanmax(np.abs(res.system.to_numpy() - loop)):.2e}")


if __name__ == "__main__":
    main()
