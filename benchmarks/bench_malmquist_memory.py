"""Peak memory of the Malmquist bootstrap against B (docs/performance.md, "The Malmquist bootstrap's memory").

Each B runs in a fresh process: the radial Malmquist index (VRS, FGNZ decomposition, input orientation) of the
synthetic city panel with ``bootstrap=B``; it prints the time (wall and the process's CPU), the peak resident memory
of the process (``ru_maxrss``; with the default ``--n-jobs 1`` no worker holds any of it; with more, the workers'
memory is not counted: time with ``--n-jobs 2``, memory with 1) and a digest of the intervals and
replicates, so runs of two versions of the code can be compared number for number (``--save DIR`` keeps the arrays).

    python benchmarks/bench_malmquist_memory.py --cities 270 --years 12 --B 25 50 100
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

CHILD = r"""
import json, resource, sys, time
import numpy as np
import frontier as fr
from frontier.datasets import synthetic_city_panel
cities, years, B, save, n_jobs = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
panel = synthetic_city_panel(cities, years)
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0, c0 = time.perf_counter(), time.process_time()
pr = fr.productivity(panel, entity="city", period="year", inputs=["capital", "labour", "energy"],
                     outputs=["value_added"], index="malmquist", model="radial", rts="vrs", orientation="input",
                     bootstrap=B, random_state=7, n_jobs=n_jobs)
seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
boot = pr.bootstrap
reps = np.concatenate([boot.replicates[k].to_numpy().ravel() for k in sorted(boot.replicates)])
if save != "-":
    np.save(f"{save}/replicates-{B}.npy", reps)
    pr.indices.to_pickle(f"{save}/indices-{B}.pkl")
print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak, "before_mb": base, "n_lps": boot.n_lps,
                  "digest": float(np.nansum(reps))}))
"""


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cities", type=int, default=270)
    ap.add_argument("--years", type=int, default=12)
    ap.add_argument("--B", type=int, nargs="+", default=[25, 50, 100])
    ap.add_argument("--save", default="-")
    ap.add_argument("--n-jobs", type=int, default=1, help="workers (peak memory counts this process only)")
    args = ap.parse_args(argv)
    print(f"radial VRS Malmquist bootstrap, city panel {args.cities} x {args.years}, n_jobs={args.n_jobs}; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'B':>6} {'LPs':>10} {'seconds':>9} {'CPU s':>7} {'peak MB':>9} {'before MB':>10}  "
          "digest of the replicates")
    for B in args.B:
        done = subprocess.run([sys.executable, "-c", CHILD, str(args.cities), str(args.years), str(B), args.save,
                               str(args.n_jobs)],
                              capture_output=True, text=True, check=True, env=os.environ.copy())
        r = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"{B:>6} {r['n_lps']:>10} {r['seconds']:>9.1f} {r['cpu']:>7.1f} {r['peak_mb']:>9.0f} "
              f"{r['before_mb']:>10.0f}  {r['digest']!r}", flush=True)


if __name__ == "__main__":
    main()
