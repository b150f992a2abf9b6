"""The exact frame pre-pass (frontier.frame) against the dominance screen it narrows, on the benchmark firms and on
a hard frontier, for VRS SBM with two bad outputs and input-oriented BCC (score and max-slack stages).

For each data set and model it prints the pricing-set size per reference block before (dominance screen) and after
(frame), the pre-pass's own time, the model's wall time with the screen and with the frame (``n_jobs=1``, same
process, same data: the ratio is meaningful on a noisy machine, the seconds are not), the largest score difference
between the two, and the figures the engine's decision rule (``engine.settings.FRAME_MIN_EVALUATED``) rests on: the pre-pass
cost per candidate column, the cost of pricing one candidate column once (the reduced costs ``c - A'y`` and their
scan, as ``StageSolver._price`` and the certificate do), the pricing passes per LP, and the break-even number of
evaluated DMUs ``frame time / (passes x per-column cost x columns saved)``.

Hard frontier: three inputs driven by a common size with wide independent noise (lognormal sigma 0.7), Cobb-Douglas
output with little inefficiency, two bad outputs proportional to size with wide independent noise (sigma 0.9).
About 18 % of 3,000 DMUs are SBM-efficient (23 % BCC), and almost no DMU is dominated, so the dominance screen
keeps nearly every column.

    python benchmarks/bench_frame.py --n 3000

Measured (n = 3,000, n_jobs=1, the shared 2-core machine under a load of about 10, so seconds are inflated; ratios
within one script). "LPs alone" is the screened run's time over the framed run's time without the pre-pass:

    data   model         efficient  pricing set         pre-pass           screened  framed   LPs alone  break-even
    hard   SBM VRS bads  19 %       2,972 -> 579        33.9 s (11.4 ms)   50.8 s    80.9 s   1.08x      303,000
    hard   BCC input     25 %       3,000 -> 736, 9->6  52.5 s (17.5 ms)   143.7 s   172.9 s  1.19x       90,000
    firms  SBM VRS bads   7 %       2,891 -> 212         7.7 s (2.7 ms)    35.1 s    42.0 s   1.02x       32,000
    firms  BCC input     12 %       3,000 -> 353, 5->5  21.3 s (7.1 ms)    98.5 s   114.3 s   1.06x       38,000

(BCC's bad outputs are weakly disposable by default: equality rows, so the dominance screen keeps every column and
the frame is what narrows it.) Scores with and without the frame agree to 6e-13 with the same statuses. The pre-pass
costs about one DMU LP per candidate, so at n = 3,000 it does not pay; the engine uses it from 300,000 evaluated DMUs.
"""
from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import pandas as pd

import frontier as fr
from frontier import engine
from frontier.engine import reduction as frame_module
from frontier.datasets import synthetic_firms

INPUTS, OUTPUTS, BADS = ["K", "L", "E"], ["Y"], ["SO2", "COD"]
MODELS = {"sbm-vrs-bads": dict(model="sbm", rts="vrs"),
          "bcc-input": dict(model="radial", rts="vrs", orientation="input")}


def hard_firms(n: int, seed: int = 0) -> pd.DataFrame:
    """The hard frontier (see the module docstring)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 1.0, n)
    X = size[:, None] ** np.array([1.0, 0.9, 1.1]) * rng.lognormal(0.0, 0.7, (n, 3)) * [100, 50, 20]
    Y = 2.0 * X[:, 0] ** 0.35 * X[:, 1] ** 0.45 * X[:, 2] ** 0.2 * np.exp(-np.abs(rng.normal(0, 0.15, n)))
    B = size[:, None] * rng.lognormal(0.0, 0.9, (n, 2)) * [1.0, 0.4]
    return pd.DataFrame(np.column_stack([X, Y, B]), columns=INPUTS + OUTPUTS + BADS)


class Spy:
    """Counts the frame pre-pass's calls, sizes and time, and the engine's pricing passes and LPs."""

    def __init__(self):
        self.frames, self.frame_s, self.passes, self.lps = [], 0.0, 0, 0
        self._frame, self._price, self._solve = frame_module.frame, engine.restricted.StageSolver._price, engine.restricted.StageSolver.solve
        spy = self

        def frame(ref_data, block, rts="vrs", candidates=None, layers=1):
            t0 = time.perf_counter()
            out = spy._frame(ref_data, block, rts, candidates, layers)
            spy.frame_s += time.perf_counter() - t0
            spy.frames.append((len(candidates), len(out)))
            return out

        def price(self, *args):
            spy.passes += 1
            return spy._price(self, *args)

        def solve(self, *args):
            spy.lps += 1
            return spy._solve(self, *args)

        frame_module.frame, engine.restricted.StageSolver._price, engine.restricted.StageSolver.solve = frame, price, solve

    def reset(self):
        self.frames, self.frame_s, self.passes, self.lps = [], 0.0, 0, 0


def pricing_column_cost(n_cols: int, d: int = 6, repeats: int = 200) -> float:
    """Seconds per candidate column of one pricing pass: products with the duals, reduced costs, their scan."""
    rng = np.random.default_rng(0)
    data, cost, y = rng.random((n_cols, d)), rng.random(n_cols), rng.normal(size=d)
    t0 = time.perf_counter()
    for _ in range(repeats):
        rc = cost - (data @ y + 0.1)
        np.flatnonzero(rc < -1e-9)
    return (time.perf_counter() - t0) / repeats / n_cols


def run(name: str, df: pd.DataFrame, model: str, spy: Spy) -> dict:
    kw = MODELS[model]
    args = (df, INPUTS, OUTPUTS, BADS)
    spy.reset()
    t0 = time.perf_counter()
    screened = fr.efficiency(*args, **kw)
    t_screen = time.perf_counter() - t0
    passes_per_lp = spy.passes / max(spy.lps, 1)
    engine.settings.FRAME_MIN_EVALUATED, engine.settings.FRAME_MIN_CANDIDATES = 0, 0
    frame_module._CACHE.clear()
    spy.reset()
    t0 = time.perf_counter()
    framed = fr.efficiency(*args, **kw)
    t_frame = time.perf_counter() - t0
    engine.settings.FRAME_MIN_EVALUATED, engine.settings.FRAME_MIN_CANDIDATES = DEFAULTS
    candidates = sum(c for c, _ in spy.frames)
    saved = sum(c - f for c, f in spy.frames)
    per_column = pricing_column_cost(max(candidates, 1))
    stages = 2 if model == "bcc-input" else 1
    break_even = spy.frame_s / (stages * passes_per_lp * per_column * max(saved, 1))
    both = screened.status.eq("optimal") & framed.status.eq("optimal")
    return {"data": name, "model": model, "n": len(df), "efficient": float((screened.scores > 1 - 1e-9).mean()),
            "sizes": ", ".join(f"{c}->{f}" for c, f in spy.frames), "frame_s": spy.frame_s,
            "frame_per_candidate_ms": 1e3 * spy.frame_s / max(candidates, 1), "screen_s": t_screen,
            "with_frame_s": t_frame, "ratio": t_screen / t_frame, "passes_per_lp": passes_per_lp,
            "column_ns": 1e9 * per_column, "break_even": break_even,
            "diff": float(np.max(np.abs(screened.scores[both] - framed.scores[both]).to_numpy(), initial=0.0)),
            "same_status": bool((screened.status == framed.status).all())}


DEFAULTS = (engine.settings.FRAME_MIN_EVALUATED, engine.settings.FRAME_MIN_CANDIDATES)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--data", nargs="+", default=["hard", "firms"], choices=["hard", "firms"])
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=list(MODELS))
    args = ap.parse_args(argv)
    spy = Spy()
    make = {"hard": lambda n: hard_firms(n, seed=n), "firms": lambda n: synthetic_firms(n, seed=n)}
    for data in args.data:
        df = make[data](args.n)
        for model in args.models:
            r = run(data, df, model, spy)
            print(f"{r['data']:<6}{r['model']:<14}n={r['n']} efficient {100 * r['efficient']:.0f}%  pricing set "
                  f"{r['sizes']}  frame {r['frame_s']:.2f} s ({r['frame_per_candidate_ms']:.2f} ms/candidate)  "
                  f"model: screen {r['screen_s']:.2f} s, frame {r['with_frame_s']:.2f} s (ratio {r['ratio']:.2f}x; LPs "
                  f"alone {r['screen_s'] / (r['with_frame_s'] - r['frame_s']):.2f}x)  "
                  f"passes/LP {r['passes_per_lp']:.2f}  pricing {r['column_ns']:.1f} ns/column  break-even "
                  f"{r['break_even']:.0f} DMUs  max diff {r['diff']:.1e}  same statuses {r['same_status']}",
                  flush=True)


if __name__ == "__main__":
    sys.exit(main())
