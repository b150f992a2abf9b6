"""Speed of frontier's VRS SBM with undesirable outputs (and super-SBM, input-oriented BCC, DDF models) against
baselines.

For each size n it prints: frontier's wall time (n_jobs as given), the speed ratio against
(a) a plain per-DMU ``scipy.optimize.linprog`` loop (Charnes-Cooper SBM LP over all n columns; for super-SBM
the SBM LP and, where the DMU is efficient, the super-SBM LP over the other n - 1; for BCC the score LP only, while
frontier also solves the max-slack stage) timed on a sample of DMUs and
scaled to n, and (b) the package's own full-column path (every reference column in every
LP, warm-started patching, no column generation; also sampled and scaled above --full-max), the max score
difference against both (``inf`` if they disagree on which LPs fail), and the process's peak memory. Ratios are
measured in the same process on the same data, so they are meaningful on a noisy machine; the absolute seconds
are not.

``--data friendly|hard|both`` picks the data (``benchmarks/common.py``: the friendly ``synthetic_firms``, about 8 %
of 3,000 DMUs efficient, or ``hard_firms``, about 15 %). ``--cold`` times each of frontier's calls in a fresh Python
process, as a new user's first call runs (imports done, the worker pool not yet started); without it a warm-up call
starts the pool first and the figures are warm.

    python benchmarks/bench_efficiency.py --sizes 1000 3000 --models sbm --data both --cold
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from common import BADS, INPUTS, OUTPUTS, cross_section, data_kinds, installed_environment, max_abs_diff, peak_rss_mb
from scipy.optimize import linprog

import frontier as fr
from frontier import engine


def sbm_linprog(X, Y, B, o, vrs=True):
    """Tone's SBM with bad outputs for DMU o: the Charnes-Cooper LP written for scipy, all n columns."""
    n, m = X.shape
    s1, s2 = Y.shape[1], B.shape[1]
    x0, y0, b0 = X[o], Y[o], B[o]
    # variables: t, Lambda (n), S- (m), Sg (s1), Sb (s2)
    nv = 1 + n + m + s1 + s2
    c = np.zeros(nv)
    c[0] = 1.0
    c[1 + n: 1 + n + m] = -1.0 / (m * x0)
    rows, rhs = [], []
    norm = np.zeros(nv)
    norm[0] = 1.0
    norm[1 + n + m: 1 + n + m + s1] = 1.0 / ((s1 + s2) * y0)
    norm[1 + n + m + s1:] = 1.0 / ((s1 + s2) * b0)
    rows.append(norm); rhs.append(1.0)
    for i in range(m):
        r = np.zeros(nv); r[0] = -x0[i]; r[1:1 + n] = X[:, i]; r[1 + n + i] = 1.0
        rows.append(r); rhs.append(0.0)
    for j in range(s1):
        r = np.zeros(nv); r[0] = -y0[j]; r[1:1 + n] = Y[:, j]; r[1 + n + m + j] = -1.0
        rows.append(r); rhs.append(0.0)
    for k in range(s2):
        r = np.zeros(nv); r[0] = -b0[k]; r[1:1 + n] = B[:, k]; r[1 + n + m + s1 + k] = 1.0
        rows.append(r); rhs.append(0.0)
    if vrs:
        r = np.zeros(nv); r[0] = -1.0; r[1:1 + n] = 1.0
        rows.append(r); rhs.append(0.0)
    res = linprog(c, A_eq=np.array(rows), b_eq=np.array(rhs), bounds=(0, None), method="highs")
    return res.fun if res.status == 0 else np.nan


def super_sbm_linprog(X, Y, B, o, vrs=True):
    """Tone's (2002) super-SBM with bad outputs (slack form) for DMU o, Charnes-Cooper linearised for scipy over
    the other n - 1 columns: min t + (1/m) sum S-/x0 s.t. t - (sum Sg/y0 + sum Sb/b0)/(s1+s2) = 1,
    X'L - S- <= t x0, Y'L + Sg >= t y0, B'L - Sb <= t b0, Sg <= t y0, (VRS) sum L = t."""
    keep = np.arange(X.shape[0]) != o
    x0, y0, b0 = X[o], Y[o], B[o]
    X, Y, B = X[keep], Y[keep], B[keep]
    n, m = X.shape
    s1, s2 = Y.shape[1], B.shape[1]
    nv = 1 + n + m + s1 + s2
    lam, sx, sg, sb = slice(1, 1 + n), slice(1 + n, 1 + n + m), slice(1 + n + m, 1 + n + m + s1), \
        slice(1 + n + m + s1, nv)
    c = np.zeros(nv)
    c[0] = 1.0
    c[sx] = 1.0 / (m * x0)
    eq, eq_rhs = [np.zeros(nv)], [1.0]
    eq[0][0] = 1.0
    eq[0][sg] = -1.0 / ((s1 + s2) * y0)
    eq[0][sb] = -1.0 / ((s1 + s2) * b0)
    if vrs:
        r = np.zeros(nv); r[0] = -1.0; r[lam] = 1.0
        eq.append(r); eq_rhs.append(0.0)
    ub = []
    for i in range(m):
        r = np.zeros(nv); r[0] = -x0[i]; r[lam] = X[:, i]; r[sx.start + i] = -1.0
        ub.append(r)
    for j in range(s1):
        r = np.zeros(nv); r[0] = y0[j]; r[lam] = -Y[:, j]; r[sg.start + j] = -1.0
        ub.append(r)
        r = np.zeros(nv); r[0] = -y0[j]; r[sg.start + j] = 1.0
        ub.append(r)
    for k in range(s2):
        r = np.zeros(nv); r[0] = -b0[k]; r[lam] = B[:, k]; r[sb.start + k] = -1.0
        ub.append(r)
    res = linprog(c, A_ub=np.array(ub), b_ub=np.zeros(len(ub)), A_eq=np.array(eq), b_eq=np.array(eq_rhs),
                  bounds=(0, None), method="highs")
    return res.fun if res.status == 0 else np.nan


def hybrid_super_sbm_linprog(X, Y, B, o, vrs=True, efficient_tol=1e-9):
    """The hybrid score: SBM rho if the DMU is SBM-inefficient, else its super-SBM delta (two LPs)."""
    rho = sbm_linprog(X, Y, B, o, vrs)
    return super_sbm_linprog(X, Y, B, o, vrs) if rho >= 1.0 - efficient_tol else rho


def bcc_linprog(X, Y, o):
    """Input-oriented BCC score of DMU ``o`` over all n columns, the score stage only (a baseline that does less
    than frontier, which also solves the max-slack stage): min theta s.t. X'lambda <= theta x_o,
    Y'lambda >= y_o, sum lambda = 1, lambda >= 0."""
    n = X.shape[0]
    c = np.r_[1.0, np.zeros(n)]
    A_ub = np.vstack([np.c_[-X[o][:, None], X.T], np.c_[np.zeros((Y.shape[1], 1)), -Y.T]])
    b_ub = np.r_[np.zeros(X.shape[1]), -Y[o]]
    A_eq = np.r_[0.0, np.ones(n)][None, :]
    res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=[(None, None)] + [(0, None)] * n,
                  method="highs")
    return res.fun if res.status == 0 else np.nan


def sample_positions(n: int, size: int) -> np.ndarray:
    return np.unique(np.linspace(0, n - 1, min(size, n)).astype(int))


def model_kwargs(model: str) -> dict:
    """frontier's keyword arguments for a benchmark model (``bcc``: input-oriented VRS radial, inputs and the good
    output only, score and max-slack stages)."""
    if model == "super_sbm":
        return dict(rts="vrs", model="sbm", super_efficiency=True, bad_outputs=BADS)
    if model == "bcc":
        return dict(rts="vrs", model="radial", orientation="input", bad_outputs=[])
    return dict(rts="vrs", model=model, bad_outputs=BADS)


def timed_call(kind: str, n: int, model: str, n_jobs: int, cold: bool, kernel: bool = True,
               kernel_min_dmus: int | None = None):
    """frontier's scores and statuses for one call, its wall time and the CPU time of the calling process (all its
    threads; not the workers'); ``cold``: in a fresh process (see :func:`cold_child`), whose peak memory is returned
    too (else None); ``kernel``: the compiled kernel on or off (``engine.settings.KERNEL``: off is the engine before
    it); ``kernel_min_dmus``: ``engine.settings.KERNEL_MIN_DMUS`` for the call (default: as set), the size from
    which a call uses the kernel."""
    if not cold:
        data = cross_section(kind, n)
        saved = engine.settings.KERNEL, engine.settings.KERNEL_MIN_DMUS
        engine.settings.KERNEL = kernel
        engine.settings.KERNEL_MIN_DMUS = saved[1] if kernel_min_dmus is None else kernel_min_dmus
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            res = fr.efficiency(data, INPUTS, OUTPUTS, n_jobs=n_jobs, **model_kwargs(model))
            seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        finally:
            engine.settings.KERNEL, engine.settings.KERNEL_MIN_DMUS = saved
        return seconds, cpu, res.scores.to_numpy(), res.status.to_numpy(), None
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "scores.npz")
        spec = json.dumps(dict(kind=kind, n=n, model=model, n_jobs=n_jobs, path=path, kernel=kernel,
                               kernel_min_dmus=kernel_min_dmus))
        done = subprocess.run([sys.executable, os.path.abspath(__file__), "--cold-child", spec], check=True,
                              capture_output=True, text=True, env=installed_environment())
        seconds, cpu, child_mb = json.loads(done.stdout.strip().splitlines()[-1])
        saved = np.load(path, allow_pickle=True)
        return seconds, cpu, saved["scores"], saved["status"], child_mb


def cold_child(spec: str) -> None:
    """The cold call: this fresh process builds the data, then times frontier's one call (the import of frontier
    is done before the clock starts, as in a session that imported it; the worker pool is not started; numba, if
    the call uses the kernel, is imported and loaded inside the call)."""
    args = json.loads(spec)
    engine.settings.KERNEL = args["kernel"]
    if args["kernel_min_dmus"] is not None:
        engine.settings.KERNEL_MIN_DMUS = args["kernel_min_dmus"]
    data = cross_section(args["kind"], args["n"])
    t0, c0 = time.perf_counter(), time.process_time()
    res = fr.efficiency(data, INPUTS, OUTPUTS, n_jobs=args["n_jobs"], **model_kwargs(args["model"]))
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    np.savez(args["path"], scores=res.scores.to_numpy(), status=res.status.to_numpy().astype(str))
    print(json.dumps([seconds, cpu, peak_rss_mb()]))


def run(kind: str, n: int, model: str, n_jobs: int, scipy_sample: int, full_max: int, full_sample: int,
        cold: bool, kernels: list[bool], kernel_min_dmus: int | None = None) -> list[dict]:
    """One row per kernel setting in ``kernels``: frontier's call (the settings' calls one after another), its
    wall and CPU time, and the baselines (timed once) with their score differences against it."""
    data = cross_section(kind, n)
    calls = [(kernel, *timed_call(kind, n, model, n_jobs, cold, kernel, kernel_min_dmus)) for kernel in kernels]
    base = baselines(data, n, model, n_jobs, scipy_sample, full_max, full_sample)
    rows = []
    for kernel, seconds, cpu, scores, status, child_mb in calls:
        row = {"n": n, "model": model, "frontier_s": seconds, "frontier_cpu_s": cpu, "n_jobs": n_jobs,
               "kernel": kernel, "not_optimal": int((status != "optimal").sum()), "full_s": base["full_s"],
               "efficient": float(np.mean(scores >= 1 - 1e-9)) if model in ("sbm", "super_sbm") else np.nan,
               "diff_full": max_abs_diff(base["full_scores"], scores[base["full_pos"]]),
               "peak_rss_mb": max(peak_rss_mb(), child_mb or 0.0)}
        if "scipy_s" in base:
            row["scipy_s"] = base["scipy_s"]
            row["diff_scipy"] = max_abs_diff(base["scipy_scores"], scores[base["scipy_pos"]])
        rows.append(row)
    return rows


def baselines(data, n: int, model: str, n_jobs: int, scipy_sample: int, full_max: int, full_sample: int) -> dict:
    """(b) the package's own full-column path and (a) the plain scipy loop (SBM and BCC models): their times (scaled
    to n where timed on a sample), the DMUs they solved and their scores."""
    kwargs = model_kwargs(model)
    base = {}
    if n <= full_max:
        t0 = time.perf_counter()
        full = fr.efficiency(data, INPUTS, OUTPUTS, n_jobs=n_jobs, method="full", **kwargs)
        base.update(full_s=time.perf_counter() - t0, full_pos=np.arange(n), full_scores=full.scores.to_numpy())
    else:
        pos = sample_positions(n, full_sample)
        t0 = time.perf_counter()
        sub_scores = _full_sample(data, pos, n_jobs, kwargs)
        base.update(full_s=(time.perf_counter() - t0) * n / len(pos), full_pos=pos, full_scores=sub_scores)
    if model in ("sbm", "super_sbm", "bcc"):    # the BCC loop solves the score stage only
        pos = sample_positions(n, scipy_sample)
        if model == "bcc":
            X, Y = (data[c].to_numpy() for c in (INPUTS, OUTPUTS))
            one_lp = lambda o: bcc_linprog(X, Y, o)
        else:
            X, Y, B = (data[c].to_numpy() for c in (INPUTS, OUTPUTS, BADS))
            solve = sbm_linprog if model == "sbm" else hybrid_super_sbm_linprog
            one_lp = lambda o: solve(X, Y, B, o)
        t0 = time.perf_counter()
        ref = np.array([one_lp(o) for o in pos])
        base.update(scipy_s=(time.perf_counter() - t0) * n / len(pos), scipy_pos=pos, scipy_scores=ref)
    return base


def _full_sample(data, pos, n_jobs, kwargs):
    """Full-column scores of the DMUs ``pos`` against all rows, through the package's Problem API."""
    from frontier.data import validate_frame
    from frontier.models import resolve_options
    from frontier.problem import Problem

    dea = validate_frame(data, INPUTS, OUTPUTS, kwargs["bad_outputs"])
    problem = Problem(dea, resolve_options(kwargs["model"], rts="vrs", orientation=kwargs.get("orientation")))
    out = problem.evaluate(pos, np.arange(len(data)), super_efficiency=kwargs.get("super_efficiency", False),
                           n_jobs=n_jobs, method="full")
    return out.score


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 3000])
    ap.add_argument("--models", nargs="+", default=["sbm"], choices=["sbm", "super_sbm", "bcc", "ddf", "nddf", "sbm_ddf"])
    ap.add_argument("--data", choices=["friendly", "hard", "both"], default="both")
    ap.add_argument("--cold", action="store_true", help="time each frontier call in a fresh process (first call)")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--scipy-sample", type=int, default=200, help="DMUs timed in the scipy loop (scaled to n)")
    ap.add_argument("--full-max", type=int, default=3000, help="largest n whose full-column path runs on all DMUs")
    ap.add_argument("--full-sample", type=int, default=300)
    ap.add_argument("--kernel", nargs="+", choices=["on", "off"], default=["on"],
                    help="the compiled kernel on and/or off (off: the engine before it); 'on off' times both, one "
                         "after the other, against the same baselines")
    ap.add_argument("--kernel-min-dmus", type=int, help="engine.settings.KERNEL_MIN_DMUS for frontier's calls (the "
                    "size from which a call uses the kernel; 0 with '--kernel on off' measures the threshold)")
    ap.add_argument("--cold-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cold_child:
        return cold_child(args.cold_child)
    # start this process's worker pool once (the baselines' runs; cold calls get their own) and warm it, and this
    # process (its first call's imports, numba's loading), by a run
    t0 = time.perf_counter()
    if args.n_jobs != 1:
        engine.start_pool(args.n_jobs)
    fr.efficiency(cross_section("friendly", 3000), INPUTS, OUTPUTS, BADS, n_jobs=args.n_jobs)
    print(f"(worker pool started where n_jobs > 1, and warmed by a run: {time.perf_counter() - t0:.1f} s)")
    print(f"frontier's calls: {'cold (each in a fresh process)' if args.cold else 'warm (worker pool running)'}, "
          f"n_jobs={args.n_jobs}")
    header = (f"{'data':<9}{'model':<10}{'n':>8}{'kernel':>7}{'efficient':>10}{'frontier s':>12}{'cpu s':>8}"
              f"{'vs scipy':>10}{'vs full':>10}{'diff scipy':>12}{'diff full':>11}{'peak MB':>9}{'not optimal':>13}")
    print(header)
    print("-" * len(header))
    for kind in data_kinds(args.data):
        for model in args.models:
            for n in args.sizes:
                for r in run(kind, n, model, args.n_jobs, args.scipy_sample, args.full_max, args.full_sample,
                             args.cold, [k == "on" for k in args.kernel], args.kernel_min_dmus):
                    vs_scipy = f"{r['scipy_s'] / r['frontier_s']:.0f}x" if "scipy_s" in r else "-"
                    diff_scipy = f"{r['diff_scipy']:.1e}" if "diff_scipy" in r else "-"
                    efficient = "-" if np.isnan(r["efficient"]) else format(r["efficient"], ".1%")
                    print(f"{kind:<9}{model:<10}{n:>8}{'on' if r['kernel'] else 'off':>7}{efficient:>10}"
                          f"{r['frontier_s']:>12.2f}{r['frontier_cpu_s']:>8.2f}{vs_scipy:>10}"
                          f"{r['full_s'] / r['frontier_s']:>9.1f}x{diff_scipy:>12}{r['diff_full']:>11.1e}"
                          f"{r['peak_rss_mb']:>9.0f}{r['not_optimal']:>13}", flush=True)
    print("\nscipy and full-column baselines above their sample size are timed on a sample of DMUs and scaled to n;"
          " score differences are over the timed DMUs. 'efficient': share of DMUs with score >= 1 - 1e-9 (SBM"
          " models). 'cpu s': the calling process's CPU time (its threads, not its workers'). 'kernel': the compiled"
          " kernel (frontier/engine/kernel.py) on, or off (the engine before it).")


if __name__ == "__main__":
    sys.exit(main())
