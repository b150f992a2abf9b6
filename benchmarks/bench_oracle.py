"""The exact-rational oracle on many badly scaled instances: every registered model configuration through every
method of the engine, judged against the same LPs solved in exact arithmetic (tests/exact_lp.py). Prints, per
model configuration and method, the DMUs judged ok, the honest failures (NaN with ``numerical_error``, and
``slacks_numerical_error`` where only the max-slack stage failed), and the wrong statuses and wrong numbers (the
property test in tests/test_adversarial_statuses.py asserts these are 0 on its smaller seeded run).

    python benchmarks/bench_oracle.py [--instances 40] [--seed 1] [--methods auto,full,dense,restricted]
"""
from __future__ import annotations

import argparse
import os
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests"))

import numpy as np  # noqa: E402

from frontier import engine  # noqa: E402
from exact_lp import badly_scaled_instance, configuration_key, judged_run, model_configurations  # noqa: E402

COLUMNS = ["ok", "nan", "slack_nan", "refused", "wrong_status", "wrong_number"]


def run(instances: int, seed: int, methods: list[str], verbose: bool = False) -> dict:
    rng = np.random.default_rng(seed)
    totals: dict = {}
    for k in range(instances):
        df, inputs, outputs, bads = badly_scaled_instance(rng)
        for options in model_configurations(bool(bads)):
            for method in methods:
                counts, failures = judged_run(df, inputs, outputs, bads, options, method)
                row = totals.setdefault((configuration_key(options), method), dict.fromkeys(COLUMNS, 0))
                for key, value in counts.items():
                    row[key] += value
                if verbose:
                    for failure in failures:
                        print(f"instance {k} {method}: {failure}", flush=True)
    return totals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--methods", default=",".join(engine.METHODS))
    parser.add_argument("--verbose", action="store_true", help="print every wrong answer")
    args = parser.parse_args()
    start = time.perf_counter()
    totals = run(args.instances, args.seed, args.methods.split(","), args.verbose)
    columns = COLUMNS
    print(f"{'model configuration':32s} {'method':10s} " + " ".join(f"{c:>12s}" for c in columns))
    for (key, method), row in sorted(totals.items()):
        print(f"{key:32s} {method:10s} " + " ".join(f"{row[c]:12d}" for c in columns))
    sums = {c: sum(row[c] for row in totals.values()) for c in columns}
    print(f"{'total':43s} " + " ".join(f"{sums[c]:12d}" for c in columns))
    print(f"{args.instances} instances, seed {args.seed}, {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
