"""The calling process solving beside n_jobs - 1 workers against joblib.Parallel with n_jobs workers, in one script.

On joblib's default process backend ``frontier.engine.run_jobs`` lets the calling process solve tasks while the
workers start (``engine._map_with_caller``); any other backend goes through ``joblib.Parallel``
(``engine._map_joblib``), which this script forces in the other arm by making ``engine.default_process_backend``
answer False. Each repetition starts one fresh process per arm (interleaved), which times the first call (cold: the
worker pool is not running) and then ``--warm`` more calls; medians over the repetitions. Both arms must give the
same scores.

    python benchmarks/bench_caller.py --n 3000 --data hard --models sbm bcc --repeat 3
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import numpy as np

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[5])
import frontier as fr
from frontier import engine
from common import BADS, INPUTS, OUTPUTS, cross_section
kind, n, model, arm = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
if arm == "joblib":
    engine.default_process_backend = lambda: False
data = cross_section(kind, n)
kwargs = (dict(rts="vrs", model="radial", orientation="input", bad_outputs=[]) if model == "bcc"
          else dict(rts="vrs", model="sbm", bad_outputs=BADS))
times, scores = [], None
for _ in range(1 + int(sys.argv[6])):
    t0 = time.perf_counter()
    res = fr.efficiency(data, INPUTS, OUTPUTS, n_jobs=2, **kwargs)
    times.append(time.perf_counter() - t0)
    scores = res.scores.to_numpy().tolist()
print(json.dumps({"cold": times[0], "warm": sorted(times[1:])[len(times[1:]) // 2], "scores": scores}))
"""


def run_child(kind: str, n: int, model: str, arm: str, warm: int) -> dict:
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([sys.executable, "-c", CHILD, kind, str(n), model, arm, here, str(warm)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--data", choices=["friendly", "hard"], default="hard")
    ap.add_argument("--models", nargs="+", choices=["sbm", "bcc"], default=["sbm", "bcc"])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--warm", type=int, default=3, help="warm calls after the cold one, per process")
    args = ap.parse_args(argv)
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; n = {args.n}, {args.data} data, n_jobs=2")
    header = f"{'model':<6}{'arm':<8}{'cold (median)':>15}{'warm (median)':>15}  cold runs"
    print(header)
    print("-" * len(header))
    for model in args.models:
        runs = {"caller": [], "joblib": []}
        for _ in range(args.repeat):
            for arm in runs:
                runs[arm].append(run_child(args.data, args.n, model, arm, args.warm))
        same = max(np.nanmax(np.abs(np.array(a["scores"], dtype=float) - np.array(b["scores"], dtype=float)))
                   for a, b in zip(runs["caller"], runs["joblib"]))
        for arm, rs in runs.items():
            cold = [r["cold"] for r in rs]
            print(f"{model:<6}{arm:<8}{np.median(cold):>14.2f}s{np.median([r['warm'] for r in rs]):>14.2f}s  "
                  f"{' '.join(f'{c:.2f}' for c in cold)}")
        print(f"{'':<6}max |score difference| between the arms: {same:.1e}", flush=True)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
