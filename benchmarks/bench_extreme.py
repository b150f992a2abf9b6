"""Hangs and aborts on extreme data, counted (issue 33, item 3): the large run of ``tests/test_extreme_data.py``.

Every registered model family, every orientation, with and without super-efficiency, under every method, on
cross-sections whose values span 1e-8..1e12 (``--n`` DMUs, ``--seeds`` instances), plus the issues' reproductions
(output SBM VRS with 10 % zero placeholders, radial output VRS super-efficiency with the dense method, CRS radial on
2,000 such DMUs). Each call runs in a forked child with a timeout (``--timeout`` seconds): a child still running then
is a hang, one ended by a signal an abort. Prints the counts (ok, refused with a ValueError, error, hang, abort) and
how many LPs ended as NaN ``numerical_error`` among all those solved.

    python benchmarks/bench_extreme.py --n 60 300 --seeds 2 --timeout 300

It also reports the longest HiGHS solve and the most simplex iterations per row and column of any solve that ended
optimal (the measurements behind ``engine.settings.SOLVE_SECONDS`` and ``engine.settings.SIMPLEX_ITERATIONS_PER_SIZE``) when run with
``--limits``, on the hard benchmark data of ``common.hard_firms``.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from test_extreme_data import (RADIAL_SUPER_HANG, extreme_frame, family_calls,  # noqa: E402
                               outcomes, placeholder_frame)

KINDS = ("ok", "refused", "error", "hang", "abort")


def repro_calls() -> list[tuple[str, dict]]:
    """The issues' reproductions, under every method."""
    calls = []
    for method in ("auto", "restricted", "full", "dense"):
        calls.append((f"output SBM VRS, 500 firms with zero placeholders, {method}",
                      dict(data=placeholder_frame(500, seed=3), inputs=["x0", "x1"], outputs=["y0", "y1"],
                           model="sbm", orientation="output", rts="vrs", method=method)))
        calls.append((f"radial output VRS super-efficiency, 200 DMUs 1e-8..1e12, {method}",
                      dict(data=extreme_frame(200, ["x0", "x1", "y0", "y1"], seed=2),
                           **{**RADIAL_SUPER_HANG, "method": method})))
        columns = ["x0", "x1", "x2", "y0", "y1", "y2", "y3"]
        calls.append((f"radial input CRS, 2,000 DMUs 1e-8..1e12 (7 rows), {method}",
                      dict(data=extreme_frame(2000, columns, seed=0), inputs=columns[:3], outputs=columns[3:],
                           model="radial", orientation="input", rts="crs", method=method)))
    return calls


def report(title: str, found: dict, seconds: float) -> None:
    solved = [detail for _, detail in found["ok"]]
    lps = sum(sum(counts.values()) for counts in solved)
    nan = sum(counts.get("numerical_error", 0) + counts.get("slacks_numerical_error", 0) for counts in solved)
    print(f"{title}: " + ", ".join(f"{kind} {len(found[kind])}" for kind in KINDS)
          + f"; numerical_error {nan} of {lps} DMUs ({100 * nan / max(lps, 1):.1f} %); {seconds:.0f} s", flush=True)
    for kind in ("error", "hang", "abort"):
        for label, detail in found[kind]:
            print(f"   {kind}: {label} {str(detail)[-300:] if detail else ''}")


def limits() -> None:
    """The longest solve and the most iterations per row and column that valid data need, over every family and
    method on the hard benchmark data."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import frontier as fr
    from common import BADS, INPUTS, OUTPUTS, hard_firms
    from frontier import engine

    record = []
    run = engine.highs.run_highs

    def measured(h, seconds=engine.settings.SOLVE_SECONDS):
        start = time.perf_counter()
        status = run(h, seconds)
        if status == engine.highs.MS.kOptimal:
            info = h.getInfo()
            record.append((time.perf_counter() - start, info.simplex_iteration_count / (h.getNumRow() + h.getNumCol()),
                           info.simplex_iteration_count, info.ipm_iteration_count))
        return status

    engine.highs.run_highs = measured
    df = hard_firms(3000)
    for method in ("full", "restricted", "dense"):
        for kwargs in (dict(model="sbm", bad_outputs=BADS), dict(model="radial"), dict(model="ddf", bad_outputs=BADS),
                       dict(model="sbm", super_efficiency=True), dict(model="radial", orientation="output")):
            kwargs = dict(kwargs)
            fr.efficiency(df, INPUTS, OUTPUTS, kwargs.pop("bad_outputs", None), method=method, **kwargs)
    engine.highs.run_highs = run
    seconds, per_size, iterations, ipm = (max(column) for column in zip(*record))
    print(f"valid data (hard_firms(3000), 5 models x 3 methods): {len(record)} optimal HiGHS solves; longest "
          f"{seconds:.3f} s (limit {engine.settings.SOLVE_SECONDS:.0f} s); most simplex iterations {iterations}, per row and "
          f"column {per_size:.2f} (limit max({engine.settings.SIMPLEX_ITERATIONS_MIN}, {engine.settings.SIMPLEX_ITERATIONS_PER_SIZE} per "
          f"row and column)); most interior-point iterations {ipm} (limit {engine.settings.IPM_ITERATIONS})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[60, 300])
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--no-repros", action="store_true", help="skip the issues' reproductions")
    parser.add_argument("--limits", action="store_true", help="measure solve times and iterations on valid data")
    args = parser.parse_args()
    if args.limits:
        limits()
    total = {kind: [] for kind in KINDS}
    groups = [(f"families, n = {n}, seed {seed}", family_calls(n, seed, every_orientation=True))
              for n in args.n for seed in range(args.seeds)]
    if not args.no_repros:
        groups.append(("the issues' reproductions", repro_calls()))
    for title, calls in groups:
        start = time.perf_counter()
        found = outcomes(calls, args.timeout)
        report(title, found, time.perf_counter() - start)
        for kind in KINDS:
            total[kind].extend(found[kind])
    report("total", total, 0.0)


if __name__ == "__main__":
    main()
