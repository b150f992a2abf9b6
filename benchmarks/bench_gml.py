"""End-to-end GML on a large firm panel: VRS super-SBM with undesirable outputs against the global frontier.

Builds a seeded synthetic panel of n firms x T years (``benchmarks/common.py``: ``--data friendly`` is
``synthetic_city_panel``, ``hard`` is ``hard_panel``, ``both`` runs each; inputs K, L, E, output Y, bad outputs SO2,
COD), runs ``frontier.productivity(index="gml")`` end to end, and compares the global distances of a sample of
observations against the package's full-column path (every one of the n x T columns in every LP). Prints wall
time, LP counts and statuses, the share of observations on the global frontier, the max difference, and peak memory.
``--cold`` times the GML call in a fresh process (a new user's first call: the worker pool not yet started); without
it the call is timed in this process with the workers started first (``engine.start_pool``).

    python benchmarks/bench_gml.py --entities 3000 --years 10 --n-jobs 2 --data both --cold
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
from common import BADS, INPUTS, OUTPUTS, data_kinds, installed_environment, max_abs_diff, panel, peak_rss_mb

import frontier as fr
from frontier import engine
from frontier.data import validate_frame
from frontier.models import resolve_options
from frontier.problem import Problem


def gml(data, n_jobs: int, super_efficiency: bool):
    return fr.productivity(data, entity="firm", period="year", inputs=INPUTS, outputs=OUTPUTS, bad_outputs=BADS,
                           index="gml", model="sbm", rts="vrs", super_efficiency=super_efficiency, n_jobs=n_jobs)


def timed_gml(kind, firms, years, n_jobs, super_efficiency, cold, kernel=True):
    """The GML's distances table, wall time and the calling process's CPU time (its threads, not its workers');
    ``cold``: in a fresh process (its peak memory returned too); ``kernel``: the compiled kernel on or off
    (``engine.settings.KERNEL``; off is the engine before it)."""
    if not cold:
        data = panel(kind, firms, years)
        engine.start_pool(n_jobs)       # warm: the workers already running, as for a session's later calls
        saved_kernel, engine.settings.KERNEL = engine.settings.KERNEL, kernel
        try:
            t0, c0 = time.perf_counter(), time.process_time()
            dist = gml(data, n_jobs, super_efficiency).distances
            return time.perf_counter() - t0, time.process_time() - c0, dist, None
        finally:
            engine.settings.KERNEL = saved_kernel
    import pandas as pd

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "distances.pkl")
        spec = json.dumps(dict(kind=kind, firms=firms, years=years, n_jobs=n_jobs, super=super_efficiency, path=path,
                               kernel=kernel))
        done = subprocess.run([sys.executable, os.path.abspath(__file__), "--cold-child", spec], check=True,
                              capture_output=True, text=True, env=installed_environment())
        seconds, cpu, child_mb = json.loads(done.stdout.strip().splitlines()[-1])
        return seconds, cpu, pd.read_pickle(path), child_mb


def cold_child(spec: str) -> None:
    """This fresh process builds the panel, then times one GML call (frontier imported, no worker pool; numba, if
    the call uses the kernel, imported and loaded inside the call)."""
    args = json.loads(spec)
    engine.settings.KERNEL = args["kernel"]
    data = panel(args["kind"], args["firms"], args["years"])
    t0, c0 = time.perf_counter(), time.process_time()
    dist = gml(data, args["n_jobs"], args["super"]).distances
    seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
    dist.to_pickle(args["path"])
    print(json.dumps([seconds, cpu, peak_rss_mb()]))


def run(kind, args) -> None:
    t0 = time.perf_counter()
    data = panel(kind, args.entities, args.years)
    t_data = time.perf_counter() - t0
    print(f"[{kind}] panel {args.entities} x {args.years} = {len(data)} observations (generated in {t_data:.1f} s)")
    runs = []
    for setting in args.kernel:         # one after another, as given ("on off on off": interleaved)
        t_gml, cpu, dist, child_mb = timed_gml(kind, args.entities, args.years, args.n_jobs, args.super, args.cold,
                                               setting == "on")
        glob = dist[dist.technology == "global"]
        frontier_share = float((glob.value >= 1 - 1e-9).mean())
        print(f"[{kind}] GML, VRS SBM with bad outputs, super_efficiency={args.super}, n_jobs={args.n_jobs}, "
              f"{'cold' if args.cold else 'warm'}, kernel {setting}: {t_gml:.1f} s end to end (CPU of the calling "
              f"process {cpu:.1f} s); {len(dist)} LPs ({len(glob)} against the global frontier of {len(data)} "
              f"columns, {frontier_share:.1%} of them on it); statuses {dist.status.value_counts().to_dict()}",
              flush=True)
        runs.append((setting, glob, t_gml))
    if len(runs) > 1:
        first = runs[0][1].set_index(["firm", "year"])["value"]
        for setting, other, _ in runs[1:]:
            print(f"[{kind}] global distances, kernel {runs[0][0]} vs kernel {setting}: max abs diff "
                  f"{max_abs_diff(first.to_numpy(), other.set_index(['firm', 'year'])['value'].reindex(first.index).to_numpy()):.1e}")

    # exactness: the global distances of a sample against the full-column path
    dea = validate_frame(data.reset_index(drop=True), INPUTS, OUTPUTS, BADS)
    problem = Problem(dea, resolve_options("sbm", rts="vrs"))
    sample = np.unique(np.linspace(0, len(data) - 1, args.sample).astype(int))
    t0 = time.perf_counter()
    full = problem.evaluate(sample, np.arange(len(data)), super_efficiency=args.super, score_outside=True,
                            detail=False, method="full", n_jobs=args.n_jobs)
    t_full = (time.perf_counter() - t0) * len(data) / len(sample)
    keys = list(zip(data["firm"].to_numpy()[sample], data["year"].to_numpy()[sample]))
    for setting, glob, t_gml in runs:
        values = glob.set_index(["firm", "year"])["value"]
        diff = max_abs_diff(values.reindex(keys).to_numpy(), full.score)
        print(f"[{kind}] kernel {setting}: global distances vs the full-column path on {len(sample)} observations: "
              f"max abs diff {diff:.1e}; the full-column path would need about {t_full:.0f} s for the {len(data)} "
              f"global LPs alone ({t_full / t_gml:.0f}x this whole GML run)")
    print(f"[{kind}] peak memory (largest process): {max(peak_rss_mb(), child_mb or 0.0):.0f} MB", flush=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=3000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--data", choices=["friendly", "hard", "both"], default="both")
    ap.add_argument("--cold", action="store_true", help="time the GML call in a fresh process (first call)")
    ap.add_argument("--super", action=argparse.BooleanOptionalAction, default=True,
                    help="hybrid super-SBM distances (the default of productivity() for sbm)")
    ap.add_argument("--sample", type=int, default=200, help="observations re-solved with the full-column path")
    ap.add_argument("--kernel", nargs="+", choices=["on", "off"], default=["on"],
                    help="the compiled kernel on and/or off (off: the engine before it), one run each, in this order")
    ap.add_argument("--cold-child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.cold_child:
        return cold_child(args.cold_child)
    for kind in data_kinds(args.data):
        run(kind, args)


if __name__ == "__main__":
    main()
