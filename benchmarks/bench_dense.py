"""Where the batched dense simplex (``method="dense"``) beats HiGHS: the measurements behind ``engine.job_method``.

One core, hard data (:func:`common.hard_firms`), one call of ``frontier.efficiency`` per method and model, the best of
two repetitions, all methods timed in the same script and reported as ratios: ``dense / best`` is the dense path's time
over the better of ``"full"`` (HiGHS, every column) and ``"restricted"`` (HiGHS, column generation). Then the same
for many small reference sets packed together: bootstrap replicates (``frontier.bootstrap``, B replicates of n DMUs,
radial VRS, 3 inputs, 2 outputs), dense against full.

    python benchmarks/bench_dense.py --n 300 1000 3000 --bootstrap-n 50 100 200
"""
from __future__ import annotations

import argparse
import time

import frontier as fr
from bench_bootstrap import cobb_douglas
from common import BADS, INPUTS, OUTPUTS, hard_firms, max_abs_diff

MODELS = {
    "radial input VRS (5 rows)": dict(model="radial", rts="vrs"),
    "radial output VRS (5 rows)": dict(model="radial", rts="vrs", orientation="output"),
    "SBM VRS, no bad outputs (6 rows)": dict(model="sbm", rts="vrs"),
    "EBM input VRS (5 rows)": dict(model="ebm", rts="vrs", orientation="input"),
    "radial input VRS, 2 weak bad outputs (7 rows)": dict(model="radial", rts="vrs", bad_outputs=BADS),
    "SBM VRS, 2 bad outputs (8 rows)": dict(model="sbm", rts="vrs", bad_outputs=BADS),
}
METHODS = ("full", "restricted", "dense")


def timed(call, repeats: int = 2):
    best, out = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        out = call()
        best = min(best, time.perf_counter() - start)
    return best, out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[300, 1000, 3000])
    ap.add_argument("--bootstrap-n", type=int, nargs="+", default=[50, 100, 200])
    ap.add_argument("--B", type=int, default=40)
    args = ap.parse_args()
    print("| model | n | full | restricted | dense | dense / best | max diff |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for n in args.n:
        df = hard_firms(n)
        for name, kw in MODELS.items():
            kw = dict(kw)
            bad = kw.pop("bad_outputs", None)
            times, scores = {}, {}
            for method in METHODS:
                times[method], res = timed(lambda: fr.efficiency(df, INPUTS, OUTPUTS, bad, method=method, **kw))
                scores[method] = res.scores.to_numpy()
            diff = max(max_abs_diff(scores["full"], scores[m]) for m in METHODS)
            print(f"| {name} | {n:,} | {times['full']:.3f} s | {times['restricted']:.3f} s | {times['dense']:.3f} s "
                  f"| {times['dense'] / min(times['full'], times['restricted']):.2f} | {diff:.1e} |", flush=True)
    print()
    print("| bootstrap n | B | full | dense | dense / full | max diff |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in args.bootstrap_n:
        df = cobb_douglas(n, 1)
        runs = {method: timed(lambda: fr.bootstrap(df, ["x1", "x2", "x3"], ["y1", "y2"], rts="vrs", B=args.B,
                                                   random_state=1, method=method), repeats=1)
                for method in ("full", "dense")}
        full, dense = (runs[m][1].replicates.to_numpy().ravel() for m in ("full", "dense"))
        diff = max_abs_diff(full, dense)
        print(f"| {n} | {args.B} | {runs['full'][0]:.2f} s | {runs['dense'][0]:.2f} s "
              f"| {runs['dense'][0] / runs['full'][0]:.2f} | {diff:.1e} |", flush=True)


if __name__ == "__main__":
    main()
