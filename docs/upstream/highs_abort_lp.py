"""Generator of the LPs behind docs/upstream/highs-abort.md: input-oriented CRS radial (CCR) envelopment LPs of 2,000
DMUs whose 3 inputs and 4 outputs are log-uniform in 1e-8..1e12, scaled as frontier's robust path scaled them before
the fix (rows by the evaluated DMU's own values, columns equilibrated by powers of two: 7 x 2,001 matrices with
entries from about 1e-19 to 1e18), solved by HiGHS alone with the options that path used.

Each LP is written to ``highs_abort_<dmu>.mps`` before it is solved and removed after, so when HiGHS aborts the
process the file left behind is the LP that aborted it. Needs numpy, highspy and this repository (for the scaling).

    python docs/upstream/highs_abort_lp.py [--seed 0] [--first 0] [--out DIR]
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import highspy
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from frontier.engine import equilibrate, own_value_scaling  # noqa: E402

OPTIONS = {"output_flag": False, "threads": 1, "presolve": "off", "solver": "simplex", "simplex_strategy": 1,
           "primal_feasibility_tolerance": 1e-10, "dual_feasibility_tolerance": 1e-10,
           "small_matrix_value": 1e-12, "large_matrix_value": 1e30}
RETRIES = [{"simplex_strategy": 4}, {"solver": "ipm", "run_crossover": "on"}]


def lp_matrix(data: np.ndarray, o: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``min theta  s.t.  -x_o theta + X'lambda <= 0,  Y'lambda >= y_o`` (data scaled by column means): the matrix
    (theta first), row lower and upper bounds."""
    n, d = data.shape
    A = np.hstack([np.concatenate([-data[o, :m], np.zeros(d - m)])[:, None], data.T])
    lower = np.concatenate([np.full(m, -np.inf), data[o, m:]])
    upper = np.concatenate([np.zeros(m), np.full(d - m, np.inf)])
    return A, lower, upper


def model(A, lower, upper, row_factor, col_factor) -> highspy.Highs:
    h = highspy.Highs()
    for key, value in OPTIONS.items():
        h.setOptionValue(key, value)
    As = (A * row_factor[:, None] * col_factor[None, :]).T
    R, C = A.shape
    inf = highspy.kHighsInf
    lo, up = lower * row_factor, upper * row_factor
    h.addRows(R, np.where(np.isinf(lo), -inf, lo), np.where(np.isinf(up), inf, up), 0,
              np.zeros(R, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))
    col, row = np.nonzero(As)
    cost = np.zeros(C)
    cost[0] = col_factor[0]
    h.addCols(C, cost, np.concatenate([[-inf], np.zeros(C - 1)]), np.full(C, inf), col.size,
              np.searchsorted(col, np.arange(C)).astype(np.int32), row.astype(np.int32), As[As != 0])
    return h


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--first", type=int, default=0, help="first DMU to evaluate")
    parser.add_argument("--out", default=".")
    args = parser.parse_args()
    n, m, s = 2000, 3, 4
    raw = 10.0 ** np.random.default_rng(args.seed).uniform(-8, 12, size=(n, m + s))
    data = raw / raw.mean(axis=0)
    for o in range(args.first, n):
        A, lower, upper = lp_matrix(data, o, m)
        for scaling in ("own_value", "geometric"):
            row_factor, col_factor = (own_value_scaling(A, data[o], m + s) if scaling == "own_value"
                                      else equilibrate(A))
            h = model(A, lower, upper, row_factor, col_factor)
            path = os.path.join(args.out, f"highs_abort_{o}.mps")
            h.writeModel(path)
            for retry in [{}] + RETRIES:
                for key, value in retry.items():
                    h.setOptionValue(key, value)
                h.clearSolver()
                h.run()
                if h.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                    break
            os.remove(path)
            scaled = np.abs(A * row_factor[:, None] * col_factor[None, :])
            print(f"DMU {o} {scaling}: entries {scaled[scaled > 0].min():.2g}..{scaled.max():.2g}, "
                  f"{h.getModelStatus()}", flush=True)


if __name__ == "__main__":
    main()
