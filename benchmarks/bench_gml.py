"""End-to-end GML on a large firm panel: VRS SBM with undesirable outputs against the global frontier.

Builds a seeded synthetic panel (``synthetic_city_panel`` with n entities x T years: inputs capital, labour,
energy; output value_added; bad outputs so2, wastewater), runs ``frontier.productivity(index="gml")`` end to
end, and compares the global distances of a sample of observations against the package's full-column path
(every one of the n x T columns in every LP). Prints wall time, LP counts and statuses, the max difference,
and peak memory.

    python benchmarks/bench_gml.py --entities 3000 --years 10 --n-jobs 2
"""
from __future__ import annotations

import argparse
import time

import numpy as np
from common import max_abs_diff, peak_rss_mb

import frontier as fr
from frontier.data import validate_frame
from frontier.datasets import synthetic_city_panel
from frontier.models import resolve_options
from frontier.problem import Problem

INPUTS, OUTPUTS, BADS = ["capital", "labour", "energy"], ["value_added"], ["so2", "wastewater"]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entities", type=int, default=3000)
    ap.add_argument("--years", type=int, default=10)
    ap.add_argument("--n-jobs", type=int, default=2)
    ap.add_argument("--super", action=argparse.BooleanOptionalAction, default=True,
                    help="hybrid super-SBM distances (the default of productivity() for sbm)")
    ap.add_argument("--sample", type=int, default=200, help="observations re-solved with the full-column path")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    panel = synthetic_city_panel(n_cities=args.entities, n_years=args.years, seed=7)
    t_data = time.perf_counter() - t0
    t0 = time.perf_counter()
    pr = fr.productivity(panel, entity="city", period="year", inputs=INPUTS, outputs=OUTPUTS, bad_outputs=BADS,
                         index="gml", model="sbm", rts="vrs", super_efficiency=args.super, n_jobs=args.n_jobs)
    t_gml = time.perf_counter() - t0
    dist = pr.distances
    print(f"panel {args.entities} x {args.years} = {len(panel)} observations (generated in {t_data:.1f} s)")
    print(f"GML, VRS SBM with bad outputs, super_efficiency={args.super}, n_jobs={args.n_jobs}: {t_gml:.1f} s "
          f"end to end; {len(dist)} LPs ({(dist.technology == 'global').sum()} against the global frontier of "
          f"{len(panel)} columns); statuses {dist.status.value_counts().to_dict()}")

    # exactness: the global distances of a sample against the full-column path
    dea = validate_frame(panel.reset_index(drop=True), INPUTS, OUTPUTS, BADS)
    problem = Problem(dea, resolve_options("sbm", rts="vrs"))
    sample = np.unique(np.linspace(0, len(panel) - 1, args.sample).astype(int))
    t0 = time.perf_counter()
    full = problem.evaluate(sample, np.arange(len(panel)), super_efficiency=args.super, score_outside=True,
                            detail=False, method="full", n_jobs=args.n_jobs)
    t_full = (time.perf_counter() - t0) * len(panel) / len(sample)
    glob = dist[dist.technology == "global"].set_index(["city", "year"])["value"]
    keys = list(zip(panel["city"].to_numpy()[sample], panel["year"].to_numpy()[sample]))
    ours = glob.reindex(keys).to_numpy()
    diff = max_abs_diff(ours, full.score)
    print(f"global distances vs the full-column path on {len(sample)} observations: max abs diff {diff:.1e}; "
          f"the full-column path would need about {t_full:.0f} s for the {len(panel)} global LPs alone "
          f"({t_full / t_gml:.0f}x this whole GML run)")
    print(f"peak memory (largest process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
