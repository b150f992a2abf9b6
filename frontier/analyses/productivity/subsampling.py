r"""Subsampling intervals for productivity indices without an established bootstrap: ML, GML, SML, the SBM and
directional Malmquist and Luenberger indices (``productivity(..., bootstrap=B, scheme="subsampling")``).

**What it is.** m out of n subsampling of the *entities* (Politis, Romano & Wolf 1999, 2001; for DEA Kneip,
Simar & Wilson 2008 and Simar & Wilson 2011): each of B replicates draws m of the n entities without replacement,
spans every reference technology of the index (contemporaneous, global, sequential, window, biennial) with the
observations of those m entities only, and recomputes the index of *every* pair of the panel against them, by the
code that computed the estimate (:class:`.estimate.IndexEstimator` with the reference sets restricted). An
observation outside the subsample is scored as an outside point (``score_outside``), so it may be super-efficient
against the subsample's frontier. With m = n the replicate is the estimate itself.

**The interval.** With tau_n = n^r the assumed rate of the index estimator I_hat, the law of tau_n (I_hat - I)
is estimated by that of tau_m (I*_m - I_hat) over the replicates. With c = (m/n)^r and q_p the p quantile of
the replicates I*_m::

    [ I_hat - c (q_{1-alpha/2} - I_hat),  I_hat - c (q_{alpha/2} - I_hat) ]

(the basic interval of the subsample replicates, rescaled by the ratio of the rates). Every reference set of the
panel shrinks by m/n when m of n entities are kept (exactly in a balanced panel), so c is the same for every
technology. The rate assumed is that of the DEA distance at a fixed point (Kneip, Park & Simar 1998; Park, Jeong &
Simar 2010): r = 2/(p + q + 1) under VRS (also used for NIRS and NDRS), r = 2/(p + q) under CRS, p inputs and q
outputs counting the bad outputs; a decomposition that mixes CRS and VRS distances takes the slower VRS rate.

**What is proven and what is not.** The rate and the consistency of subsampling are proven for radial (Farrell)
distances at a fixed point (KSW 2008; SW 2011), and Simar, Vanhems & Wilson (2012) give the same rate for the
directional distance function without bad outputs. Nothing comparable is established for the *indices* built
from several such distances on shared reference sets (contemporaneous, global, sequential), for weakly disposable
bad outputs (ML, GML), for slack-based measures (SBM, super-SBM) or for the Luenberger difference form: for them
the rate above is a conjecture, and the interval is labelled so (:data:`LABEL`) in the result, its summary and
its exports. docs/bootstrap.md ("Subsampling intervals for productivity indices") states how to report it.

**m.** ``kappa`` fixes m = round(n^kappa) (kept in [2, n - 1], :func:`frontier.analyses.bootstrap_methods.
subsample_size`); None chooses kappa on the grid ``KAPPA_GRID`` by the volatility method of Politis, Romano & Wolf
(2001) as the efficiency bootstrap does (:func:`frontier.analyses.bootstrap_methods.volatility_choice`), on the
interval ends of the index over all pairs: B replicates per kappa of the grid, ten times the LPs of a fixed kappa.

**Determinism.** All subsamples (every kappa of the grid) are drawn up front from
``numpy.random.default_rng(random_state)``, so a seed gives the same numbers whatever ``n_jobs``.
"""
from __future__ import annotations

import numbers
import warnings

import numpy as np
import pandas as pd

from ...panel import Panel
from ...results.malmquist_bootstrap import IndexSubsampling
from .._pipeline import progress_bar
from ..bootstrap_methods import KAPPA_GRID, convergence_rate, subsample_size, volatility_choice
from .estimate import IndexEstimator

#: the label every subsampling interval carries (result, summary, exports)
LABEL = "subsampling interval — not established theory for this index; see docs/bootstrap.md"
#: what the subsampling interval is offered for
OFFERED = ("scheme='subsampling' is offered for the Malmquist-family indices (index='ml', 'gml', 'sml', "
           "'malmquist', 'luenberger', any technology and model) without group=")
MIN_ENTITIES = 3       # m in [2, n - 1] needs three entities


def check_options(kappa, bandwidth) -> float | None:
    """Validate the options of the subsampling interval; return kappa (None: chosen from the data)."""
    if not (isinstance(bandwidth, str) and bandwidth.lower() == "silverman"):
        raise ValueError(f"scheme='subsampling' draws entities and smooths nothing, so it takes no bandwidth; got "
                         f"bandwidth={bandwidth!r}: leave it out")
    if kappa is None:
        return None
    if isinstance(kappa, (bool, np.bool_)) or not isinstance(kappa, numbers.Real) or not 0 < kappa < 1:
        raise ValueError(f"kappa must be a number in (0, 1) (m = n^kappa of the n entities per subsample), or None "
                         f"for the data-driven choice, got {kappa!r}")
    return float(kappa)


def check_supported(*, family_name: str, group) -> None:
    """Refuse what the subsampling interval is not offered for (:data:`OFFERED`)."""
    if family_name not in ("malmquist", "luenberger"):
        raise ValueError(f"{OFFERED}; got index family {family_name!r}")
    if group is not None:
        raise ValueError(f"{OFFERED}; got group={group!r} (the metafrontier index)")


def index_rate(rts_used, n_inputs: int, n_outputs: int) -> float:
    """r of the assumed rate n^r (module docstring): the CRS rate when every distance is CRS, else the VRS one."""
    return convergence_rate("crs" if set(rts_used) == {"crs"} else "vrs", n_inputs, n_outputs)


def rescaled_interval(estimate: np.ndarray, replicates: np.ndarray, scale: float,
                      alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column: [est - c (q(1 - alpha/2) - est), est - c (q(alpha/2) - est)] over the finite replicates, c =
    ``scale``; NaN where the estimate is NaN or fewer than two replicates are finite."""
    n = replicates.shape[1]
    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    ok = np.isfinite(estimate) & (np.isfinite(replicates).sum(axis=0) >= 2)
    if ok.any():
        low_q, high_q = np.nanquantile(replicates[:, ok], [alpha / 2, 1 - alpha / 2], axis=0)
        lower[ok] = estimate[ok] - scale * (high_q - estimate[ok])
        upper[ok] = estimate[ok] - scale * (low_q - estimate[ok])
    return lower, upper


def entity_codes(panel: Panel) -> tuple[np.ndarray, np.ndarray]:
    """The distinct entities (sorted) and each observation's entity as a position among them."""
    names, codes = np.unique(panel.entity, return_inverse=True)
    return names, codes.ravel()


def subsample_replicates(estimator: IndexEstimator, codes: np.ndarray, subsamples: list, progress=None
                         ) -> tuple[dict, dict, int]:
    """The components of every pair recomputed with each subsample's reference sets: ``subsamples`` lists arrays
    of entity positions; returns (component -> replicates x pairs array, LP status -> count of the LPs not
    optimal, the number of LPs). Every subsample requests the same distances, so the first one counts them."""
    out = {c: np.full((len(subsamples), estimator.n_pairs), np.nan) for c in estimator.definition.components}
    lp_status: dict = {}
    per_subsample = sum(cache.n_requested for cache in estimator.requested().values())
    with progress_bar(progress, per_subsample * len(subsamples), unit="LP") as advance:
        for b, chosen in enumerate(subsamples):
            estimate = estimator.solve(estimator.requested(np.isin(codes, chosen)), progress=advance)
            for c, values in estimate.components.items():
                out[c][b] = values
            for cache in estimate.caches.values():
                statuses = [s for _, _, solved in cache.row_values.values() for s in solved.tolist()]
                statuses += [s for _, s in cache.values.values()]
                for s in statuses:
                    if s != "optimal":
                        lp_status[str(s)] = lp_status.get(str(s), 0) + 1
    return out, lp_status, per_subsample * len(subsamples)


def subsampling_intervals(estimator: IndexEstimator, panel: Panel, labels: pd.MultiIndex, point: dict, *, B: int,
                          alpha: float, kappa: float | None, rate: float, null: float, random_state,
                          progress=None) -> tuple[pd.DataFrame, IndexSubsampling]:
    """Run the subsampling interval (module docstring) and return (columns, result): ``columns`` indexed by
    ``labels`` (the pairs' (entity, later period)) with ``<component>_lower``, ``_upper``, ``_significant`` (the
    interval excludes ``null``: 1 for a ratio index, 0 for a difference) and ``bootstrap_failed``; ``point``
    holds the estimates (component -> array over the pairs)."""
    names, codes = entity_codes(panel)
    n = len(names)
    if n < MIN_ENTITIES:
        raise ValueError(f"scheme='subsampling' needs at least {MIN_ENTITIES} entities (m of n, 2 <= m < n); the "
                         f"panel has {n}")
    rng = np.random.default_rng(random_state)
    grid = KAPPA_GRID if kappa is None else (kappa,)
    sizes = [subsample_size(n, k) for k in grid]
    draws = [[np.sort(rng.choice(n, size=m, replace=False)) for _ in range(B)] for m in sizes]
    subsamples = [chosen for per_kappa in draws for chosen in per_kappa]
    reps, lp_status, n_lps = subsample_replicates(estimator, codes, subsamples, progress)
    by_kappa = [{c: values[j * B:(j + 1) * B] for c, values in reps.items()} for j in range(len(grid))]
    estimate = {c: np.asarray(v, dtype=float) for c, v in point.items()}

    def ends(j: int, component: str):
        return rescaled_interval(estimate[component], by_kappa[j][component], (sizes[j] / n) ** rate, alpha)

    best, volatility = 0, None
    if len(grid) > 1:
        bounds = [ends(j, "index") for j in range(len(grid))]
        best, values = volatility_choice(np.array([lo for lo, _ in bounds]), np.array([hi for _, hi in bounds]))
        volatility = pd.DataFrame({"kappa": grid, "m": sizes, "volatility": values})
    chosen = by_kappa[best]
    columns = {}
    for c in point:
        lower, upper = ends(best, c)
        significant = pd.array(np.where(np.isfinite(lower), (lower > null) | (upper < null), False),
                               dtype="boolean")
        significant[~np.isfinite(lower)] = pd.NA
        columns[f"{c}_lower"], columns[f"{c}_upper"], columns[f"{c}_significant"] = lower, upper, significant
    lost = np.zeros(chosen["index"].shape, dtype=bool)        # a replicate lost to a failed LP: NaN where the
    for c in point:                                            # estimate is finite, in any component
        lost |= np.isfinite(estimate[c]) & ~np.isfinite(chosen[c])
    defined = np.isfinite(estimate["index"])
    failed = np.where(defined, lost.sum(axis=0), B)
    columns["bootstrap_failed"] = failed
    frame = pd.DataFrame(columns, index=labels)
    if failed[defined].any():
        rows = int((failed[defined] > 0).sum())
        warnings.warn(f"subsampling: {rows} index rows lost replicates to a failed LP (column bootstrap_failed; "
                      f"LPs not optimal over all subsamples: {', '.join(f'{k}: {v}' for k, v in lp_status.items())}"
                      "); their intervals leave those replicates out", UserWarning, stacklevel=4)
    result = IndexSubsampling(
        B=B, alpha=alpha, kappa=float(grid[best]), subsample_size=int(sizes[best]), n_entities=n, rate=rate,
        random_state=random_state, label=LABEL,
        replicates={c: pd.DataFrame(values, columns=labels) for c, values in chosen.items()},
        subsamples=pd.DataFrame(names[np.array(draws[best])], index=pd.RangeIndex(B, name="replicate")),
        volatility=volatility, lp_status=lp_status, n_lps=n_lps)
    return frame, result
