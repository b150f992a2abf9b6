"""The solve order (``frontier.engine.solve_order``): simplex iterations and time with and without it.

Runs VRS SBM with bad outputs (and input-oriented BCC) serially on the same data twice in one process: once in the
order the engine chooses (similar DMUs one after another, so each warm-started LP starts near its optimum) and once
in the data's own order (``solve_order`` replaced by the identity). Prints wall time (best of ``--repeat``), mean
HiGHS simplex iterations per LP and the largest score difference between the two runs.

    python benchmarks/bench_order.py --n 3000 --data both
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from common import BADS, INPUTS, OUTPUTS, cross_section, data_kinds, max_abs_diff

import frontier as fr
from frontier import engine

MODELS = {"sbm": dict(model="sbm", bad_outputs=BADS, rts="vrs"),
          "bcc": dict(model="radial", orientation="input", rts="vrs")}


def counting_iterations():
    """Wrap StageSolver.solve to record HiGHS's simplex iteration count of each LP's last run."""
    iterations = []
    solve = engine.restricted.StageSolver.solve

    def counted(self, patch, i, own):
        out = solve(self, patch, i, own)
        iterations.append(self.h.getInfo().simplex_iteration_count)
        return out

    engine.restricted.StageSolver.solve = counted
    return iterations


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--data", default="both", choices=["friendly", "hard", "both"])
    ap.add_argument("--models", nargs="+", default=["sbm", "bcc"], choices=sorted(MODELS))
    ap.add_argument("--repeat", type=int, default=2)
    args = ap.parse_args(argv)
    iterations = counting_iterations()
    chosen = engine.schedule.solve_order
    print(f"{'data':9}{'model':6}{'n':>7}{'order':>14}{'seconds':>9}{'iters/LP':>10}{'speed-up':>10}{'max diff':>10}")
    for kind in data_kinds(args.data):
        df = cross_section(kind, args.n)
        for model in args.models:
            runs = {}
            for label, order in (("data order", lambda d: np.arange(d.shape[0])), ("solve_order", chosen)):
                engine.schedule.solve_order = order
                best = np.inf
                for _ in range(args.repeat):
                    iterations.clear()
                    t0 = time.perf_counter()
                    res = fr.efficiency(df, INPUTS, OUTPUTS, n_jobs=1, **MODELS[model])
                    best = min(best, time.perf_counter() - t0)
                runs[label] = (best, float(np.mean(iterations)), res.scores.to_numpy())
            base = runs["data order"]
            for label, (seconds, iters, scores) in runs.items():
                print(f"{kind:9}{model:6}{args.n:7d}{label:>14}{seconds:9.2f}{iters:10.1f}{base[0] / seconds:9.2f}x"
                      f"{max_abs_diff(scores, base[2]):10.1e}")
    engine.schedule.solve_order = chosen


if __name__ == "__main__":
    main()
