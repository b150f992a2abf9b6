"""``n_jobs=2`` never slower than ``n_jobs=1`` on a cold call (docs/performance.md, "n_jobs never slower").

For each size, two fresh Python processes, interleaved (which runs first alternates over the repetitions): each
generates the hard cross-section (``benchmarks/common.py``) and times its first call, VRS SBM with two bad outputs,
one with ``n_jobs=1`` and one with ``n_jobs=2`` (cold: no worker process runs yet, so the rules in
``frontier.engine.pool`` decide whether to use threads or start workers). Prints the medians over ``--repeat`` pairs,
the ratio (``n_jobs=2`` / ``n_jobs=1``, below 1 = faster), whether the workers were started, and whether the scores
are identical (exactly) to the serial run's. The machine is shared, so the load is printed; at n = 300 both settings
run the same code (below ``PARALLEL_MIN`` a call stays serial), so that row's ratio is the noise of the measurement.

    python benchmarks/bench_parallel_cold.py --sizes 300 1000 3000 10000 --repeat 1
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent

CHILD = r"""
import json, sys, time
import numpy as np
sys.path.insert(0, sys.argv[4])
from common import BADS, INPUTS, OUTPUTS, hard_firms, installed_environment
import frontier as fr
from frontier.engine import pool
n, n_jobs, out = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
data = hard_firms(n, seed=n)
t0 = time.perf_counter()
res = fr.efficiency(data, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", n_jobs=n_jobs)
seconds = time.perf_counter() - t0
np.save(out, res.scores.to_numpy())
print(json.dumps({"seconds": seconds, "started": pool._pool["warm_until"] > 0}))
"""


def run_child(n: int, n_jobs: int, out: str) -> dict:
    done = subprocess.run([sys.executable, "-c", CHILD, str(n), str(n_jobs), out, str(HERE)], capture_output=True,
                          text=True, check=True, env=installed_environment())
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 1000, 3000, 10000])
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    print(f"cold VRS SBM with two bad outputs, hard data; {os.cpu_count()} cores; load average "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}; medians of {args.repeat}")
    print(f"{'n':>7} {'n_jobs=1':>9} {'n_jobs=2':>9} {'ratio':>7}  workers started  identical")
    with tempfile.TemporaryDirectory() as tmp:
        for n in args.sizes:
            one, two, started, same = [], [], [], True
            for r in range(args.repeat):
                a, b = f"{tmp}/{n}-{r}-1.npy", f"{tmp}/{n}-{r}-2.npy"
                runs = {}
                for n_jobs in ((1, 2) if r % 2 == 0 else (2, 1)):       # alternate which one runs first
                    runs[n_jobs] = run_child(n, n_jobs, a if n_jobs == 1 else b)
                one.append(runs[1]["seconds"])
                two.append(runs[2]["seconds"])
                started.append(runs[2]["started"])
                same &= np.array_equal(np.load(a), np.load(b), equal_nan=True)
            t1, t2 = np.median(one), np.median(two)
            print(f"{n:>7} {t1:>8.2f}s {t2:>8.2f}s {t2 / t1:>7.2f}  {sum(started)}/{args.repeat}"
                  f"{'':>13}{same}", flush=True)
    print(f"load average at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
