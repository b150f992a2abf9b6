"""Coverage and run time of the subsampling interval of ML and GML (``productivity(..., bootstrap=B,
scheme="subsampling")``), on data whose true productivity change is known. The table in docs/bootstrap.md
("Subsampling intervals for productivity indices") comes from this script; tests/test_index_subsampling.py runs
the same design (:func:`simulate`) at a few samples.

Design: n firms, two years, one input x ~ U(1, 4) drawn anew each year, one output on the frontier f_1(x) = x^0.5
in year 1 and f_2(x) = shift x^0.5 in year 2, times exp(-u), u ~ |N(0, 0.2^2)| (output inefficiency, independent
across firms and years). Model ddf with direction (0, y) (the output-direction ML / GML of Chung, Färe & Grosskopf
1997 and Oh 2010, E = 1/(1 + D)), VRS. Since 1 + D is the Farrell output distance here, every E of the index is the
Shephard output distance and the true index of a firm is, for ML and GML alike,

    shift * exp(u_1 - u_2)

(ML: sqrt[(E^1(2) / E^1(1)) (E^2(2) / E^2(1))] with E^1(2) = shift e^-u2, E^2(1) = e^-u1 / shift; GML: the global
frontier is year 2's). Coverage is the share of (sample, firm) whose interval holds the true index, over the firms
whose interval is defined (ML's cross-year VRS LPs can be infeasible: those rows have no interval and are counted
apart). No bad output: with one, the true index of the weakly disposable technology has no closed form.

    python benchmarks/bench_index_subsampling.py --samples 20 --n 20 40 --B 200 --kappa 0.7
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np
import pandas as pd

from frontier import productivity
from frontier.analyses.productivity.subsampling import rescaled_interval


def simulate(n: int, shift: float, rng: np.random.Generator) -> tuple[pd.DataFrame, pd.Series]:
    """The panel (columns firm, year, x, y; years 1 and 2) and the true index per firm (module docstring)."""
    x = rng.uniform(1, 4, size=(n, 2))
    u = np.abs(rng.normal(0, 0.2, size=(n, 2)))
    y = np.column_stack([x[:, 0] ** 0.5, shift * x[:, 1] ** 0.5]) * np.exp(-u)
    data = pd.DataFrame({"firm": np.repeat(np.arange(n), 2), "year": np.tile([1, 2], n),
                         "x": x.ravel(), "y": y.ravel()})
    return data, pd.Series(shift * np.exp(u[:, 0] - u[:, 1]), index=pd.RangeIndex(n, name="firm"))


def run(data: pd.DataFrame, index: str, B: int, kappa, seed: int):
    """The productivity result with subsampling intervals (warnings about failed LPs silenced: counted below)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return productivity(data, "firm", "year", ["x"], ["y"], index=index, model="ddf", rts="vrs",
                            bootstrap=B, scheme="subsampling", kappa=kappa, random_state=seed)


def covers(result, truth: pd.Series, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """(covered, width) per index row at level 1 - alpha, from the stored replicates; NaN where undefined."""
    boot = result.bootstrap
    estimate = result.indices["index"].to_numpy(dtype=float)
    scale = (boot.subsample_size / boot.n_entities) ** boot.rate
    lower, upper = rescaled_interval(estimate, boot.replicates["index"].to_numpy(dtype=float), scale, alpha)
    true = truth.loc[result.indices.index.get_level_values("firm")].to_numpy()
    covered = np.where(np.isfinite(lower), (lower <= true) & (true <= upper), np.nan)
    return covered, upper - lower


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--n", type=int, nargs="+", default=[20, 40])
    parser.add_argument("--B", type=int, default=100)
    parser.add_argument("--kappa", type=float, default=None, help="fixed kappa (default: the volatility choice)")
    parser.add_argument("--shift", type=float, default=1.2)
    parser.add_argument("--indices", nargs="+", default=["ml", "gml"])
    args = parser.parse_args(argv)
    rows = []
    for index in args.indices:
        for n in args.n:
            rng = np.random.default_rng(2024 + n)
            cover95, cover90, widths, ms, undefined, start = [], [], [], [], 0, time.perf_counter()
            for s in range(args.samples):
                data, truth = simulate(n, args.shift, rng)
                result = run(data, index, args.B, args.kappa, seed=s)
                c95, w95 = covers(result, truth, 0.05)
                c90, _ = covers(result, truth, 0.10)
                cover95.append(c95[np.isfinite(c95)])
                cover90.append(c90[np.isfinite(c90)])
                widths.append(w95[np.isfinite(w95)])
                ms.append(result.bootstrap.subsample_size)
                undefined += int((~np.isfinite(c95)).sum())
            seconds = time.perf_counter() - start
            rows.append({"index": index, "n": n, "samples": args.samples, "B": args.B,
                         "kappa": "volatility" if args.kappa is None else args.kappa,
                         "m (median)": int(np.median(ms)),
                         "coverage 95%": float(np.concatenate(cover95).mean()),
                         "coverage 90%": float(np.concatenate(cover90).mean()),
                         "mean width 95%": float(np.concatenate(widths).mean()),
                         "rows without interval": undefined, "seconds": round(seconds, 1)})
            print(pd.DataFrame(rows[-1:]).to_string(index=False), flush=True)
    table = pd.DataFrame(rows)
    print()
    print(table.to_markdown(index=False, floatfmt=".3f") if _has_tabulate() else table.to_string(index=False))
    return table


def _has_tabulate() -> bool:
    try:
        import tabulate  # noqa: F401
    except ImportError:
        return False
    return True


if __name__ == "__main__":
    main()
