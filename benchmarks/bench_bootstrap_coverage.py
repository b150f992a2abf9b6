"""Coverage of :func:`frontier.bootstrap`'s 95% and 90% intervals for the homogeneous, heterogeneous and subsampling
bootstraps on a frontier with known true efficiencies, with run times. docs/bootstrap.md ("Coverage") quotes the
table this prints, and the command that made it.

Design (a multi-output Cobb-Douglas in the spirit of Simar & Wilson 1998, 2000; input orientation): p inputs and q
outputs; frontier inputs x0_ij ~ U(10, 20); the technology {(x, y): ||y||_2 <= f(x)}, f(x) = prod_i x_i^(s/p),
s = 1 (``crs``: constant returns, estimated under CRS) or s = 0.8 (``vrs``: decreasing returns, estimated under
VRS); the output direction uniform on the positive unit sphere (q > 1); the true input efficiency theta_j =
exp(-u_j), u_j ~ |N(0, 0.3^2)|; observed x_j = x0_j / theta_j and ||y_j|| = f(x0_j). The frontier is convex and
freely disposable, and the input-oriented Farrell efficiency of (x_j, y_j) is exactly theta_j.

A cell is (method, returns to scale, n, p, q). Its R samples are drawn from one (returns to scale, n, p, q) seed,
so every method sees the same samples, and each is bootstrapped on its own (its own frontier, bandwidth and, for
subsampling, kappa); a sample the bootstrap refuses is counted (``refused``, with the reason) and left out.
Methods: ``homogeneous``, ``heterogeneous`` (both with their default bandwidth), ``subsampling`` (m = n^kappa with
kappa chosen by the package's volatility rule) and ``subsampling-k<kappa>`` (kappa given, ``--kappa``). Coverage is the share of DMUs whose interval holds the true
theta (a DMU without an interval counts as not covering and is reported); the Monte Carlo standard error is the
sd of the R per-sample coverages over sqrt(R) (the DMUs of a sample share one frontier, so they are not
independent draws). The 90% intervals come from the same replicates as the 95% ones (for subsampling: with the
kappa chosen for 95%).

Every finished cell is appended to ``<out>/coverage.csv`` at once; ``--resume`` skips the cells already there, so
an interrupted run loses at most the cell it was in. The table is printed from the CSV; cells of the design not in
it are listed as not run.

    python benchmarks/bench_bootstrap_coverage.py --out out/first-look          # a small first look (n 25, 50)

The docs' run (docs/bootstrap.md, "Coverage"): one design, run as a sequence of resumed calls so that every n is
reached within the time (an interrupted call is resumed by running it again):

    C="nice -n 10 python benchmarks/bench_bootstrap_coverage.py --out out/coverage --resume --B 199 --n-jobs 1 \
       --dims 1,1 2,2 3,3"
    $C --n 25 --reps 8
    $C --n 100 --reps 3
    $C --n 400 --reps 2 --methods homogeneous heterogeneous --kappa 0.7
    $C --n 800 --reps 1 --methods homogeneous heterogeneous --kappa 0.7
    $C --n 400 --reps 2 --methods subsampling
    $C --n 25 100 --reps 25:8 100:3 --methods homogeneous --kappa 0.7
    $C --n 800 --reps 1 --methods subsampling
    python benchmarks/bench_bootstrap_coverage.py --out out/coverage --table --n 25 100 400 800 \
        --dims 1,1 2,2 3,3 --kappa 0.7                                           # the table, not-run cells listed
"""
from __future__ import annotations

import argparse
import os
import subprocess
import time

import numpy as np
import pandas as pd

import frontier as fr
from frontier.analyses.bootstrap import _estimates           # the package's own interval formulas
from frontier.analyses.bootstrap_methods import convergence_rate
from common import print_table

SCHEMES = ("homogeneous", "heterogeneous", "subsampling")
RETURNS = {"crs": 1.0, "vrs": 0.8}
KEY = ["method", "rts", "n", "p", "q"]


def code_version() -> str:
    """The package's git commit (with ``+`` if the worktree has changes), so a resumed run's cells can be told
    apart when the code changed between them; ``?`` outside git."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=here, capture_output=True, text=True,
                              check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "../frontier"], cwd=here, capture_output=True,
                               text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return head + ("+" if dirty else "")


CODE_VERSION = code_version()


def samples(rng: np.random.Generator, reps: int, n: int, p: int, q: int, rts: str) -> pd.DataFrame:
    """``reps`` samples of n DMUs (column ``sample``), inputs x1..xp, outputs y1..yq, the true efficiency."""
    k = reps * n
    x0 = rng.uniform(10, 20, size=(k, p))
    f = np.prod(x0 ** (RETURNS[rts] / p), axis=1)
    direction = np.abs(rng.normal(size=(k, q)))
    direction /= np.linalg.norm(direction, axis=1, keepdims=True)
    theta = np.exp(-np.abs(rng.normal(0, 0.3, k)))
    frame = pd.DataFrame(x0 / theta[:, None], columns=[f"x{i + 1}" for i in range(p)])
    for i in range(q):
        frame[f"y{i + 1}"] = f * direction[:, i]
    frame["sample"] = np.repeat(np.arange(reps), n)
    frame["true"] = theta
    return frame


def held(sample: pd.DataFrame, res, scheme: str, rts: str, p: int, q: int, alpha: float) -> np.ndarray:
    """Per DMU of one sample: whether its (1 - alpha) interval holds the true theta (False without an interval)."""
    if alpha == res.alpha:
        est = res.estimates
    else:
        k = len(sample)
        sub = (np.full(k, float(res.subsample_size)), np.full(k, float(k)), convergence_rate(rts, p, q)) \
            if scheme == "subsampling" else None
        est = _estimates(res.estimates["score"].to_numpy(), res.replicates.to_numpy(), "input", alpha, sub)
    lower, upper, true = np.asarray(est["lower"]), np.asarray(est["upper"]), sample["true"].to_numpy()
    return np.isfinite(lower) & np.isfinite(upper) & (lower <= true) & (true <= upper)


def method_settings(method: str) -> tuple[str, float | None]:
    """The bootstrap scheme and the given kappa (None: the scheme's default) of a method name."""
    if method.startswith("subsampling-k"):
        return "subsampling", float(method.removeprefix("subsampling-k"))
    return method, None


def run_cell(method: str, rts: str, n: int, p: int, q: int, B: int, reps: int, seed: int, n_jobs: int) -> dict:
    """One cell: R samples, each bootstrapped on its own; coverage over the samples the bootstrap ran on, its Monte
    Carlo SE, the seconds per sample. A sample the bootstrap refuses (e.g. too few inefficient DMUs for the
    bandwidth rule) is counted in ``refused`` with the first reason in ``note``, and left out of the coverage."""
    scheme, kappa = method_settings(method)
    data = samples(np.random.default_rng([seed, n, p, q, list(RETURNS).index(rts)]), reps, n, p, q, rts)
    inputs, outputs = [f"x{i + 1}" for i in range(p)], [f"y{i + 1}" for i in range(q)]
    covered = {"95": [], "90": []}
    missing = failed = 0
    kappas, refusals, seconds = [], [], 0.0
    for r, sample in data.groupby("sample"):
        start = time.perf_counter()
        try:
            res = fr.bootstrap(sample, inputs, outputs, rts=rts, B=B, alpha=0.05, scheme=scheme, kappa=kappa,
                               random_state=[seed, n, p, q, SCHEMES.index(scheme), int(r)], n_jobs=n_jobs)
        except ValueError as error:
            refusals.append(str(error))
            continue
        finally:
            seconds += time.perf_counter() - start
        for alpha, name in ((0.05, "95"), (0.10, "90")):
            covered[name].append(held(sample, res, scheme, rts, p, q, alpha).mean())
        est = res.estimates
        missing += int((~np.isfinite(est["lower"]) | ~np.isfinite(est["upper"])).sum())
        failed += len(res.replicate_failures)
        if scheme == "subsampling":
            kappas.append(float(res.kappa))
    ran = len(covered["95"])
    row = {"method": method, "rts": rts, "n": n, "p": p, "q": q, "B": B, "R": ran}
    for name, values in covered.items():
        row[f"cover {name}%"] = float(np.mean(values)) if ran else np.nan
        row[f"se {name}%"] = float(np.std(values, ddof=1) / np.sqrt(ran)) if ran > 1 else np.nan
    row["no interval"] = missing
    row["failed LPs"] = failed
    row["kappa"] = float(np.mean(kappas)) if kappas else np.nan      # given, or the mean of the chosen ones
    row["s per sample"] = seconds / reps
    row["refused"] = len(refusals)
    row["note"] = refusals[0] if refusals else ""
    row["code"] = CODE_VERSION
    return row


def design(args) -> list[tuple]:
    """The cells of the design in run order: small n first, so a run cut short has the whole small-n table."""
    methods = list(args.methods) + [f"subsampling-k{k:g}" for k in args.kappa]
    return [(method, rts, n, p, q) for n in args.n for p, q in args.dims for rts in args.rts for method in methods]


def reps_for(n: int, reps: dict) -> int:
    """R for n: ``--reps`` entries n:R (the largest n' <= n that is given), or one number for every n."""
    given = [k for k in reps if k <= n]
    return reps[max(given)] if given else reps[min(reps)]


def parse_reps(values: list[str]) -> dict:
    if len(values) == 1 and ":" not in values[0]:
        return {0: int(values[0])}
    return {int(k): int(v) for k, v in (value.split(":") for value in values)}


def table(done: pd.DataFrame, cells: list[tuple]) -> pd.DataFrame:
    """The results in design order, with the cells of the design that have no row marked not run."""
    rows = []
    index = done.set_index(KEY) if len(done) else None
    for cell in cells:
        if index is not None and cell in index.index:
            rows.append(index.loc[[cell]].reset_index().iloc[-1].to_dict())
        else:
            rows.append(dict(zip(KEY, cell), **{"cover 95%": np.nan, "note": "not run"}))
    out = pd.DataFrame(rows)
    out.insert(KEY.index("q") + 1, "p+q", out["p"] + out["q"])
    out["note"] = [v if isinstance(v, str) else "" for v in out["note"]]
    return out


def main(argv=None) -> pd.DataFrame:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[25, 50])
    parser.add_argument("--dims", nargs="+", default=["1,1", "2,2"], help="p,q pairs (inputs,outputs)")
    parser.add_argument("--methods", nargs="+", default=list(SCHEMES), choices=SCHEMES)
    parser.add_argument("--kappa", type=float, nargs="*", default=[],
                        help="also subsampling with m = n^kappa given, for each kappa listed")
    parser.add_argument("--rts", nargs="+", default=list(RETURNS), choices=list(RETURNS))
    parser.add_argument("--B", type=int, default=199)
    parser.add_argument("--reps", nargs="+", default=["10"],
                        help="samples per cell: one number, or n:R entries (e.g. 25:24 100:8 400:3 800:2)")
    parser.add_argument("--seed", type=int, default=1998)
    parser.add_argument("--n-jobs", type=int, default=1)
    parser.add_argument("--out", default="out/coverage", help="directory of coverage.csv")
    parser.add_argument("--resume", action="store_true", help="skip the cells already in coverage.csv")
    parser.add_argument("--table", action="store_true", help="print the table from coverage.csv, run nothing")
    args = parser.parse_args(argv)
    args.dims = [tuple(int(v) for v in dims.split(",")) for dims in args.dims]
    reps = parse_reps(args.reps)
    path = os.path.join(args.out, "coverage.csv")
    os.makedirs(args.out, exist_ok=True)
    cells = design(args)
    done = pd.read_csv(path) if os.path.exists(path) else pd.DataFrame(columns=KEY)
    if not args.table:
        if len(done) and not args.resume:
            raise SystemExit(f"{path} exists: pass --resume to add to it, or another --out")
        have = set(map(tuple, done[KEY].itertuples(index=False, name=None))) if len(done) else set()
        for cell in cells:
            if cell in have:
                continue
            method, rts, n, p, q = cell
            row = run_cell(method, rts, n, p, q, args.B, reps_for(n, reps), args.seed, args.n_jobs)
            pd.DataFrame([row]).to_csv(path, mode="a", header=not os.path.exists(path), index=False)
            print(", ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in row.items()),
                  flush=True)
        done = pd.read_csv(path)
    result = table(done, cells)
    print()
    print_table(result)
    return result


if __name__ == "__main__":
    main()
