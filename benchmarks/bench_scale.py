"""Scale: 100,000 DMUs (VRS SBM with bad outputs) and the million-observation GML, with time and memory.

Three runs, on the hard data of ``benchmarks/common.py`` (``hard_firms``, ``hard_panel``) by default or on the friendly
data with ``--data friendly`` (``synthetic_firms``, the city panel):

* ``cross``: ``efficiency()`` of ``--n`` DMUs (default 100,000), VRS SBM with bad outputs (issue 32's target:
  <= 15 s on the 2-core machine);
* ``gml``: ``productivity(index="gml")`` on ``--firms`` x ``--years`` (default 100,000 x 10 = 1,000,000
  observations), VRS super-SBM with bad outputs, global technology (issue 32's target: <= 10 min and <= 4 GB).
* ``robust``: the robust path's LPs (engine/robust.py) over every reference column against the restricted ones, on
  the global technology of the ``--firms`` x ``--years`` panel, ``--sample`` DMUs per stage (time per LP, statuses
  and values compared).

Memory is the peak of the summed resident memory of this process and all its children (the joblib worker
processes), sampled every 0.2 s with psutil, since the workers of a reusable pool are still alive when the run
ends (``getrusage(RUSAGE_CHILDREN)`` counts only children that have exited); the own process's peak from
``getrusage`` is printed too. ``--profile`` runs the call under cProfile (use it with ``--n-jobs 1`` so the work
is in this process) and prints where the time goes. ``--stub-lps`` replaces the engine's LP solving by a stub
that returns made-up optimal scores at once: what is left is the time and memory of everything around the LPs
(validation, building the requests, assembling and sorting the results), measurable at the full million rows in
seconds; its figures are that overhead only, never a result. The default sizes are the targets; they take minutes and
gigabytes, so on a shared machine start smaller and extrapolate:

    python benchmarks/bench_scale.py cross --n 10000
    python benchmarks/bench_scale.py gml --firms 10000 --years 10
    python benchmarks/bench_scale.py gml --firms 2000 --years 10 --n-jobs 1 --profile
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import resource
import threading
import time

import numpy as np
import psutil
from common import BADS, INPUTS, OUTPUTS, cross_section, panel

import frontier as fr


class MemorySampler:
    """Peak of the summed RSS of this process and its descendants, sampled in a background thread."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peak, self._stop = interval, 0, threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def current(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:      # a worker that just exited
                pass
        return total

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.current())
            self._stop.wait(self.interval)

    def __enter__(self):
        self.peak = self.current()
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.current())


def cpu_seconds() -> float:
    """CPU time (user and system) of this process and its descendants so far: the live ones' (the joblib workers of
    a reusable pool outlive the call) and the exited ones' (``RUSAGE_CHILDREN``)."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.Error:      # a worker that just exited
            pass
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return total + usage.ru_utime + usage.ru_stime


def measured(label: str, call, profile: bool):
    """Run ``call()``, print its wall time, CPU time and memory (and a profile); return its result. On a shared
    machine the CPU time is the figure to compare: the wall time grows with the other processes' load."""
    profiler = cProfile.Profile() if profile else None
    with MemorySampler() as memory:
        t0, cpu0 = time.perf_counter(), cpu_seconds()
        if profiler:
            profiler.enable()
        out = call()
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - t0, cpu_seconds() - cpu0
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = " ".join(f"{x:.2f}" for x in psutil.getloadavg())
    print(f"{label}: {seconds:.1f} s ({cpu:.1f} s of CPU in this process and its workers); peak memory "
          f"{memory.peak / 2**20:.0f} MB (this process and its workers together; this process alone {own:.0f} MB); "
          f"load average {load}", flush=True)
    if profiler:
        text = io.StringIO()
        pstats.Stats(profiler, stream=text).sort_stats("tottime").print_stats(25)
        print(text.getvalue())
    return out, seconds, memory.peak


def stub_lps() -> None:
    """Replace ``frontier.engine.run_jobs`` by a stub returning made-up optimal scores without solving any LP (for
    measuring the overhead around the LPs; see the module docstring)."""
    from frontier import engine

    def run_jobs(jobs, **_):
        rng = np.random.default_rng(0)
        outs = []
        for job in jobs:
            k = job.data0.shape[0]
            values = {"status": np.full(k, "optimal", dtype=object), "score": rng.uniform(0.5, 1.0, k)}
            outs.append(engine.BatchResult(values, np.zeros(k + 1, dtype=np.int64), np.zeros(0, dtype=np.int64),
                                           np.zeros(0)))
        return outs

    engine.run_jobs = run_jobs


def cross(args):
    t0 = time.perf_counter()
    data = cross_section(args.data, args.n)
    print(f"{args.data} cross-section, n = {args.n} (generated in {time.perf_counter() - t0:.1f} s), VRS SBM with bad "
          f"outputs, n_jobs={args.n_jobs}")
    res, seconds, peak = measured("efficiency", lambda: fr.efficiency(
        data, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", n_jobs=args.n_jobs, progress=args.progress),
        args.profile)
    status = res.status.value_counts().to_dict()
    print(f"efficient share {float((res.scores >= 1 - 1e-9).mean()):.1%}; statuses {status}; "
          f"{args.n / seconds:.0f} DMUs/s")


def gml(args):
    t0 = time.perf_counter()
    data = panel(args.data, args.firms, args.years)
    print(f"{args.data} panel {args.firms} x {args.years} = {len(data)} observations (generated in "
          f"{time.perf_counter() - t0:.1f} s), GML: VRS super-SBM with bad outputs, global technology, "
          f"n_jobs={args.n_jobs}")
    res, seconds, peak = measured("productivity(index='gml')", lambda: fr.productivity(
        data, entity="firm", period="year", inputs=INPUTS, outputs=OUTPUTS, bad_outputs=BADS, index="gml",
        model="sbm", rts="vrs", n_jobs=args.n_jobs, progress=args.progress), args.profile)
    dist = res.distances
    glob = dist[dist.technology == "global"]
    print(f"{len(dist)} LPs ({len(glob)} against the global frontier, {float((glob.value >= 1 - 1e-9).mean()):.1%} "
          f"on it); statuses {dist.status.value_counts().to_dict()}; {len(dist) / seconds:.0f} LPs/s; "
          f"{np.isfinite(res.indices['index']).sum()} finite indices")


def robust(args):
    """Per LP, the robust path over every reference column against the restricted one (from the stage plan's seed
    columns, adding what prices in), on the global technology of a ``--firms`` x ``--years`` panel: ``--sample`` DMUs
    per stage of the GML's model, both ways, with their statuses and values compared."""
    from frontier.data import validate_frame
    from frontier.engine import robust as robust_path
    from frontier.engine import settings
    from frontier.engine.certify import BatchPatch
    from frontier.engine.pricing import plan_stage
    from frontier.models import resolve_options
    from frontier.problem import Problem

    data = panel(args.data, args.firms, args.years)
    problem = Problem(validate_frame(data.reset_index(drop=True), INPUTS, OUTPUTS, BADS),
                      resolve_options("sbm", rts="vrs"))
    rows = problem.rows
    ref = np.ascontiguousarray(rows[:, : problem.layout.d])
    sample = np.unique(np.linspace(0, len(rows) - 1, args.sample).astype(int))
    saved = settings.ROBUST_FULL_COLUMNS
    try:
        for stage in problem.spec(True).stages:
            plan = plan_stage(stage, ref, "restricted")
            patch = BatchPatch(stage.patch(rows[sample], {"status": np.full(sample.size, "not_solved", dtype=object)}))
            seconds, same, diff = {"full": 0.0, "restricted": 0.0}, True, 0.0
            for i, o in enumerate(sample):
                answers = {}
                for way, threshold, start in (("full", 10 ** 12, None), ("restricted", 0, plan.seeds)):
                    settings.ROBUST_FULL_COLUMNS = threshold
                    t0 = time.perf_counter()
                    answers[way] = robust_path.solve_robust(stage, ref, patch, i, int(o), rows[o], start, plan.pricing)
                    seconds[way] += time.perf_counter() - t0
                same &= answers["full"][0] == answers["restricted"][0]
                if answers["full"][0] == "optimal" == answers["restricted"][0]:
                    diff = max(diff, abs(answers["full"][1] - answers["restricted"][1]))
            print(f"{stage.name}: {sample.size} robust LPs over {ref.shape[0]} columns ({plan.pricing[0].size} pricing "
                  f"candidates): every column {seconds['full'] / sample.size * 1e3:.0f} ms per LP, restricted from "
                  f"{plan.seeds[0].size} seed columns {seconds['restricted'] / sample.size * 1e3:.0f} ms per LP; "
                  f"statuses equal: {same}; max abs diff {diff:.1e}; load average "
                  f"{' '.join(f'{x:.2f}' for x in psutil.getloadavg())}", flush=True)
    finally:
        settings.ROBUST_FULL_COLUMNS = saved


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("run", choices=["cross", "gml", "robust"])
    ap.add_argument("--n", type=int, default=100_000, help="cross: DMUs")
    ap.add_argument("--firms", type=int, default=100_000, help="gml: firms")
    ap.add_argument("--years", type=int, default=10, help="gml: years")
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--data", choices=["friendly", "hard"], default="hard", help="benchmark data (common.py)")
    ap.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                    help="the progress bar (default: frontier's, on in a terminal for long runs)")
    ap.add_argument("--profile", action="store_true", help="cProfile the call (with --n-jobs 1)")
    ap.add_argument("--stub-lps", action="store_true", help="no LPs: measure the overhead around them only")
    ap.add_argument("--sample", type=int, default=20, help="robust: DMUs per stage")
    args = ap.parse_args(argv)
    if args.stub_lps:
        stub_lps()
        print("--stub-lps: NO LP IS SOLVED; the figures below are the overhead around the LPs only")
    {"cross": cross, "gml": gml, "robust": robust}[args.run](args)


if __name__ == "__main__":
    main()
