"""A new user's first call: fresh processes, cold against warm, in one script.

Each repetition starts a fresh Python process (``--repeat`` of them, interleaved over the settings) that generates the
data, then times ``import frontier`` and the first ``fr.efficiency`` call (VRS SBM with two bad outputs on
``synthetic_firms(n)``; with ``n_jobs=2`` this starts the worker processes: interpreters, imports, the first data
shipped), then the same call again in the same process (warm: the pool is running). Medians over the repetitions
are printed with the cold overhead (first - second call). The machine is shared, so the load is printed.

    python benchmarks/bench_cold.py --sizes 1000 3000 --n-jobs 1 2 --repeat 3
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

import numpy as np
from common import installed_environment

CHILD = r"""
import json, sys, time
n, n_jobs, model = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
t0 = time.perf_counter()
import frontier as fr
fr.efficiency     # the public names are imported on first use
t_import = time.perf_counter() - t0
from frontier.datasets import synthetic_firms
data = synthetic_firms(n, seed=n)
kwargs = dict(model="sbm", rts="vrs", super_efficiency=model == "super_sbm", n_jobs=n_jobs)
args = (data, ["K", "L", "E"], ["Y"], ["SO2", "COD"])
t0 = time.perf_counter()
first = fr.efficiency(*args, **kwargs)
t_first = time.perf_counter() - t0
t0 = time.perf_counter()
second = fr.efficiency(*args, **kwargs)
t_second = time.perf_counter() - t0
same = bool((first.scores.fillna(-1) == second.scores.fillna(-1)).all())
print(json.dumps({"import": t_import, "first": t_first, "second": t_second, "same": same}))
"""


def run_child(n: int, n_jobs: int, model: str) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, str(n), str(n_jobs), model], capture_output=True, text=True,
                         check=True, env=installed_environment())
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    ap.add_argument("--n-jobs", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--model", choices=["sbm", "super_sbm"], default="sbm")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    settings = [(n, j) for n in args.sizes for j in args.n_jobs]
    runs = {s: [] for s in settings}
    print(f"load before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for _ in range(args.repeat):
        for n, j in settings:
            runs[(n, j)].append(run_child(n, j, args.model))
    header = f"{'n':>6}{'n_jobs':>8}{'import':>9}{'first call':>12}{'second call':>13}{'cold overhead':>15}{'same':>6}"
    print(header)
    print("-" * len(header))
    for (n, j), rs in runs.items():
        med = {key: float(np.median([r[key] for r in rs])) for key in ("import", "first", "second")}
        print(f"{n:>6}{j:>8}{med['import']:>8.2f}s{med['first']:>11.2f}s{med['second']:>12.2f}s"
              f"{med['first'] - med['second']:>14.2f}s{str(all(r['same'] for r in rs)):>6}", flush=True)
    print(f"load after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
