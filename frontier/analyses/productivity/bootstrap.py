r"""Bootstrap confidence intervals for Malmquist indices and their components (Simar & Wilson 1999).

``frontier.productivity(..., bootstrap=B)`` calls :func:`bootstrap_malmquist` after the point estimates. The
method is the smoothed bivariate bootstrap of Simar & Wilson (1999, "Estimating and bootstrapping Malmquist
indices", EJOR 115:459-471), itself the extension of the homogeneous smoothed bootstrap of Simar & Wilson
(1998, Management Science 44:49-61) to pairs of periods; see docs/indices/malmquist-bootstrap.md.

Scope. Radial (Shephard / Farrell) distances, input or output oriented, the ratio-form Malmquist index on
adjacent-period (contemporaneous) technologies, CRS or VRS, with the FGNZ decomposition. Those are the indices
whose bootstrap has published theory; everything else (bad outputs, SBM, directional distances, Luenberger
indicators, global / sequential / window / biennial technologies, metafrontiers, Hicks-Moorsteen) is refused
by :func:`check_supported`, never bootstrapped silently.

Algorithm, for each technology pair (periods a < b) that the index compares and each replicate r = 1..B:

1. Shephard-type distances delta >= 1 of every observation of periods a and b against its own period's
   technology, under the maintained returns to scale ``rts`` (input orientation: delta = 1/theta; output:
   delta = phi). The n entities paired on (a, b) give the n x 2 matrix D of (delta_a, delta_b).
2. Reflection: the 4n x 2 matrix D_R = [(D1, D2); (2 - D1, D2); (2 - D1, 2 - D2); (D1, 2 - D2)], the
   support boundary delta = 1 reflected in each coordinate. Sigma = cov(D) (the pairs' sample covariance)
   and Sigma_R = Sigma with the covariance negated, the covariance of the mixed reflections.
3. Draw n rows of D_R with replacement (Gamma*), add bivariate normal noise h eps with eps ~ N(0, Sigma) for
   rows from the first and third blocks and N(0, Sigma_R) for rows from the second and fourth, shrink the
   variance back, Gamma = mean + (Gamma* + h eps - mean) / sqrt(1 + h^2) (mean over the n drawn rows), and
   reflect: delta** = Gamma where Gamma >= 1, else 2 - Gamma (coordinate-wise). The pair of draws keeps the
   temporal correlation of an entity's inefficiencies: that is the point of SW 1999 over two separate
   univariate bootstraps.
4. Pseudo data: every observation moved along its ray to the estimated frontier and out again by its draw,
   input orientation x* = x delta** / delta_hat, output orientation y* = y delta_hat / delta** (the other
   quantities unchanged); entity i's period-a and period-b pseudo observations take the two coordinates of
   one draw. Observations of period a or b without a partner in the other period (unbalanced panels) take
   the matching coordinate of a further draw from the same smoothed density (its marginal).
5. The original observations are evaluated against the pseudo technologies of a and b (the four distances
   of the index, plus the own-period ``rts`` distances of the FGNZ decomposition), and the index and its
   components are computed from them exactly as the point estimates are.

Confidence intervals (SW 1999 eq. 4.9-4.10, the "basic" bootstrap interval): with q the empirical quantiles of
the replicates M*_r, ``lower = 2 M_hat - q(1 - alpha/2)``, ``upper = 2 M_hat - q(alpha/2)`` (i.e. the
distribution of M* - M_hat stands for that of M_hat - M). A component differs significantly from 1 when its
interval excludes 1.

Bandwidth: ``"silverman"`` is the normal reference rule for a bivariate density with kernel covariance
h^2 Sigma (Silverman 1986 eq. 4.14 and Table 4.1 with d = 2): h = (4 / ((d + 2) n))^(1/(d + 4)) = n^(-1/6),
n the number of pairs of the technology pair. Simar & Wilson (1999) and DEAMATLAB's ``deamalmboot`` write
h = (4 / (5n))^(1/6) = 0.963 n^(-1/6); pass that number to reproduce them. A number is used as h for every
period pair.

Engineering. All random numbers are drawn in the parent process from ``numpy.random.default_rng(random_state)``
before any LP is solved, so a seed gives the same numbers whatever ``n_jobs`` or backend. Every replicate's
LPs (score stage only) go through one :meth:`frontier.problem.Problem.evaluate_many` call per returns-to-scale
problem (one call; two with FGNZ and ``rts="vrs"``), i.e. one parallel map over all replicates. A failed LP
(e.g. an infeasible VRS cross-period LP) is NaN with its status; the replicates it touches are counted in
``bootstrap_failed`` and left out of the quantiles.
"""
from __future__ import annotations

import numbers
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...models.registry import ModelFamily, ModelOptions
from ...panel import Pairs, Panel
from ...results.malmquist_bootstrap import MalmquistBootstrap, pseudo_points
from ...technology import ReferenceSets, Technology
from .._pipeline import progress_bar
from ..bootstrap import check_replicates, refuse_dmus_without_inputs
from ...options import MALMQUIST_BANDWIDTH_RULES

MIN_PAIRS = 3          # fewer paired entities leave the pairs' covariance (and the bootstrap) meaningless
BANDWIDTHS = MALMQUIST_BANDWIDTH_RULES
# The replicates are solved in blocks of about this many LPs (one engine call per block and returns to scale), so
# memory does not grow with B: the engine's jobs, plans and answers of all replicates at once took about 4.4 MB per
# replicate on the 270 x 12 city panel (11,880 LPs each; 11.2 GB at B = 2,000), a block of ~8 of them ~40 MB. A block
# is still thousands of units of work for the workers.
REPLICATE_LPS_PER_CALL = 100_000
THEORY = ("the Simar & Wilson (1999) bootstrap covers radial Malmquist indices only: index='malmquist' (ratio "
          "form) with model='radial' (Shephard/Farrell distances, input or output orientation), "
          "technology='contemporaneous' (adjacent periods), no bad outputs, no super-efficiency, no group")


# ----------------------------------------------------------------------------------------------------
# options
# ----------------------------------------------------------------------------------------------------

def check_supported(*, family_name: str, technology: str, model: str, bad_outputs, super_efficiency: bool,
                    group) -> None:
    """Raise a ValueError naming what falls outside the bootstrap's theory (see :data:`THEORY`)."""
    problems = []
    if family_name != "malmquist":
        problems.append(f"index family {family_name!r} (difference-form Luenberger indicators have no published "
                        "bootstrap of this kind)")
    if model != "radial":
        problems.append(f"model={model!r}")
    if technology != "contemporaneous":
        problems.append(f"technology={technology!r}")
    if len(bad_outputs):
        problems.append(f"bad outputs {list(bad_outputs)} (Malmquist-Luenberger)")
    if super_efficiency:
        problems.append("super_efficiency=True")
    if group is not None:
        problems.append(f"group={group!r} (metafrontier index)")
    if problems:
        raise ValueError(f"bootstrap: {THEORY}; got " + ", ".join(problems))


def check_options(B, alpha, bandwidth, random_state) -> tuple[int, float, object, object]:
    """Validate the bootstrap options; return (B, alpha, bandwidth, seed). With ``random_state=None`` a fresh
    seed is drawn from the operating system's entropy and reported, so the run can be repeated."""
    B = check_replicates(B, "bootstrap")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1) (0.05 gives 95% intervals), got {alpha!r}")
    if isinstance(bandwidth, str):
        if bandwidth.lower() == "lscv":
            raise ValueError("bandwidth='lscv' is not available for the bivariate Malmquist bootstrap; use "
                             "'silverman' (the bivariate normal reference rule) or a positive number")
        if bandwidth.lower() not in BANDWIDTHS:
            raise ValueError(f"bandwidth must be one of {BANDWIDTHS} or a positive number, got {bandwidth!r}")
        bandwidth = bandwidth.lower()
    elif isinstance(bandwidth, (bool, np.bool_)) or not isinstance(bandwidth, numbers.Real) or \
            not np.isfinite(bandwidth) or bandwidth <= 0:
        raise ValueError(f"bandwidth must be one of {BANDWIDTHS} or a positive number, got {bandwidth!r}")
    else:
        bandwidth = float(bandwidth)
    if random_state is None:
        random_state = int(np.random.SeedSequence().entropy)
    elif not isinstance(random_state, (numbers.Integral, np.random.SeedSequence, np.random.Generator)) or \
            isinstance(random_state, (bool, np.bool_)):
        raise ValueError(f"random_state must be None, an integer seed or a numpy Generator, got {random_state!r}")
    return B, float(alpha), bandwidth, random_state


def silverman_bandwidth(n: int) -> float:
    """The bivariate normal reference rule, h = (4 / ((d + 2) n))^(1 / (d + 4)) with d = 2, i.e. n^(-1/6)."""
    return float(n) ** (-1.0 / 6.0)


# ----------------------------------------------------------------------------------------------------
# the smoothed bivariate draws (SW 1999, steps 2-3)
# ----------------------------------------------------------------------------------------------------

def _root(cov: np.ndarray) -> np.ndarray:
    """A matrix L with L L' = cov for a positive semi-definite 2 x 2 covariance (symmetric square root; a
    degenerate covariance, e.g. every entity efficient in one period, gives a degenerate L, not an error)."""
    w, v = np.linalg.eigh(cov)
    return v @ np.diag(np.sqrt(np.clip(w, 0.0, None))) @ v.T


def smoothed_pairs(D: np.ndarray, n_draws: int, B: int, h: float, rng: np.random.Generator) -> np.ndarray:
    """B x n_draws x 2 draws from the reflected bivariate kernel estimate of the pairs ``D`` (n x 2, >= 1).

    Random numbers, in this order: the row indices into the 4n reflected rows (B x n_draws integers), then the
    standard normals (B x n_draws x 2).
    """
    n = D.shape[0]
    reflected = np.vstack([D, np.column_stack([2 - D[:, 0], D[:, 1]]), 2 - D,
                           np.column_stack([D[:, 0], 2 - D[:, 1]])])
    root = _root(np.cov(D, rowvar=False))
    rows = rng.integers(0, 4 * n, size=(B, n_draws))
    z = rng.standard_normal((B, n_draws, 2))
    drawn = reflected[rows]                                       # B x n_draws x 2
    noise = z @ root.T                                            # ~ N(0, Sigma)
    mixed = (rows // n) % 2 == 1                                  # blocks 2 and 4: covariance Sigma_R
    noise[..., 1] = np.where(mixed, -noise[..., 1], noise[..., 1])
    mean = drawn.mean(axis=1, keepdims=True)
    gamma = mean + (drawn + h * noise - mean) / np.sqrt(1.0 + h * h)
    return np.where(gamma < 1.0, 2.0 - gamma, gamma)


# ----------------------------------------------------------------------------------------------------
# the driver
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProductivityProblem:
    """A productivity index bound to its panel: what :func:`frontier.productivity` computed the point estimates
    from, and what the bootstrap evaluates again against pseudo technologies.

    ``roles`` are the index's terms over the pairs (:func:`frontier.analyses.productivity.definitions.pair_terms`:
    ``{role: RoleTerms(side, {Technology: Points})}``, one side, plain rows), ``definition`` and ``form`` combine
    them, ``family`` and ``options`` are the model's, ``problems`` maps each returns to scale the terms use to its
    :class:`~frontier.problem.Problem`, and ``engine_options`` are the caller's ``n_jobs``, ``method`` and
    ``chunk_size``.
    """

    panel: Panel
    pairs: Pairs
    roles: dict
    definition: object
    form: object
    family: ModelFamily
    options: ModelOptions
    problems: dict
    references: ReferenceSets
    engine_options: dict


def terms_per_pair(roles: dict, n_pairs: int) -> list[dict]:
    """The index's distances per pair, ``[{role: (observation, Technology)}]``, from the arrays
    ``{role: RoleTerms(side, {Technology: Points})}`` that ``pair_terms`` builds."""
    terms: list[dict] = [{} for _ in range(n_pairs)]
    for role, role_terms in roles.items():
        for tech, points in role_terms.points.items():
            for o, k in zip(points.rows.tolist(), points.at.tolist()):
                terms[k][role] = (o, tech)
    return terms


def bootstrap_malmquist(problem: ProductivityProblem, point: dict, *, B: int, alpha: float, bandwidth,
                        random_state, progress=None) -> tuple[pd.DataFrame, MalmquistBootstrap]:
    """Run the bootstrap for the index ``problem`` and return (columns, result): ``columns`` indexed like the
    pairs by (entity, later period) with ``<component>_lower``, ``_upper``, ``_significant`` and
    ``bootstrap_failed``. ``point`` holds the point estimates (component -> array over the pairs)."""
    panel, pairs, references, problems = problem.panel, problem.pairs, problem.references, problem.problems
    definition, form, fam, options = problem.definition, problem.form, problem.family, problem.options
    engine_options = problem.engine_options
    terms = terms_per_pair(problem.roles, len(pairs.a))
    rng = np.random.default_rng(random_state)
    orientation, rts = options.orientation, options.rts
    dgp_problem = problems[rts]
    refuse_dmus_without_inputs(dgp_problem.data.X, pd.MultiIndex.from_arrays(
        [panel.entity, panel.period], names=[panel.entity_name, panel.period_name]))
    n_pairs = len(terms)
    components = list(point)
    roles = list(terms[0]) if terms else []

    # step 1: own-period distances (delta >= 1) of every observation of every period a pair touches
    periods_a, periods_b = panel.period[pairs.a], panel.period[pairs.b]
    involved = list(dict.fromkeys(list(periods_a) + list(periods_b)))
    own_rows = {p: references.rows(Technology("contemporaneous", p, rts)) for p in involved}
    outs = dgp_problem.evaluate_many([(own_rows[p], own_rows[p]) for p in involved], score_outside=True,
                                     detail=False, **engine_options)
    delta = np.full(len(panel.period), np.nan)
    for p, out in zip(involved, outs):
        with np.errstate(divide="ignore"):
            delta[own_rows[p]] = np.maximum(1.0 / fam.to_efficiency(out.score, orientation), 1.0)

    # steps 2-4: draws per technology pair, then the jobs of every replicate
    rank = {p: i for i, p in enumerate(panel.order)}
    keys = sorted(dict.fromkeys(zip(periods_a, periods_b)), key=lambda k: (rank[k[0]], rank[k[1]]))
    members = {key: np.flatnonzero((periods_a == key[0]) & (periods_b == key[1])) for key in keys}
    group_rows, draws, plans = [], {}, []
    for key in keys:
        ks = members[key]
        a_rows, b_rows = pairs.a[ks], pairs.b[ks]
        ref_a, ref_b = own_rows[key[0]], own_rows[key[1]]
        info = {"period_from": key[0], "period": key[1], "pairs": len(ks), "reference_from": len(ref_a),
                "reference": len(ref_b), "bandwidth": np.nan, "cov_from": np.nan, "cov": np.nan,
                "cov_between": np.nan}
        D = np.column_stack([delta[a_rows], delta[b_rows]])
        failed_own = np.concatenate([ref_a[~np.isfinite(delta[ref_a])], ref_b[~np.isfinite(delta[ref_b])]])
        if len(failed_own):
            info["status"] = (f"not bootstrapped: own-period LP failed for {len(failed_own)} observation(s), so "
                              "their frontier projection (and the pseudo data) is undefined")
        elif len(ks) < MIN_PAIRS:
            info["status"] = f"not bootstrapped: {len(ks)} paired entities (at least {MIN_PAIRS} needed)"
        else:
            h = silverman_bandwidth(len(ks)) if bandwidth == "silverman" else bandwidth
            cov = np.cov(D, rowvar=False)
            info.update(bandwidth=h, cov_from=cov[0, 0], cov=cov[1, 1], cov_between=cov[0, 1], status="ok")
            only_a = np.setdiff1d(ref_a, a_rows)
            only_b = np.setdiff1d(ref_b, b_rows)
            n = len(ks)
            stars = smoothed_pairs(D, n + len(only_a) + len(only_b), B, h, rng)
            # each row of the two reference sets and the column of its draw
            rows = np.concatenate([a_rows, only_a, b_rows, only_b])
            draw_of = np.concatenate([np.arange(n), n + np.arange(len(only_a)), np.arange(n),
                                      n + len(only_a) + np.arange(len(only_b))])
            coord = np.concatenate([np.zeros(n + len(only_a), int), np.ones(n + len(only_b), int)])
            star = stars[:, draw_of, coord]                            # B x len(rows)
            draws[key] = (rows, star)
            plans.append((key, ks, rows, star))
        group_rows.append(info)

    matrix = dgp_problem.data.matrix
    m = dgp_problem.layout.m
    # the points each (period, rts) pseudo technology evaluates: whatever the roles of the pairs ask of it
    values = {role: np.full((B, n_pairs), np.nan) for role in roles}
    not_optimal = {role: np.ones((B, n_pairs), dtype=bool) for role in roles}    # True until solved optimally
    wanted = {}                               # (key, period, rts) -> sorted observation positions
    for key, ks, rows, star in plans:
        for p in key:
            for r in problems:
                obs = sorted({terms[k][role][0] for k in ks for role in roles
                              if terms[k][role][1].period == p and terms[k][role][1].rts == r})
                if obs:
                    wanted[(key, p, r)] = np.array(obs, dtype=np.int64)
    sides = {(key, p): panel.period[rows] == p for key, _, rows, _ in plans for p in key}
    # where each role of each technology pair reads its distances in the block's answers
    reads = []
    for key, ks, rows, star in plans:
        for role in roles:
            obs = np.array([terms[k][role][0] for k in ks], dtype=np.int64)
            tech = terms[ks[0]][role][1]
            reads.append((key, ks, role, tech.period, tech.rts,
                          np.searchsorted(wanted[(key, tech.period, tech.rts)], obs)))
    per_replicate = sum(len(pts) for pts in wanted.values())
    n_lps = B * per_replicate
    block = max(1, REPLICATE_LPS_PER_CALL // max(per_replicate, 1))
    lp_status_by_rts: dict = {r: {} for r in problems}
    with progress_bar(progress, n_lps) as advance:
        for first in range(0, B, block):        # the replicates in blocks: memory bounded whatever B is
            results = {}
            for r in problems:
                requests, where = [], []
                for rep in range(first, min(first + block, B)):
                    for key, ks, rows, star in plans:
                        for p in key:
                            if (key, p, r) in wanted:
                                sel = sides[(key, p)]
                                pseudo = pseudo_points(matrix[rows[sel]], delta[rows[sel]], star[rep, sel],
                                                       orientation, m)
                                requests.append((wanted[(key, p, r)], pseudo))
                                where.append((rep, key, p))
                if requests:
                    outs = problems[r].evaluate_many(requests, score_outside=True, detail=False,
                                                     progress=advance, **engine_options)
                    for (rep, key, p), out in zip(where, outs):
                        results[(rep, key, p, r)] = (out.score, out.status)
                        for s in out.status[out.status != "optimal"]:
                            lp_status_by_rts[r][str(s)] = lp_status_by_rts[r].get(str(s), 0) + 1
            # step 5: the replicate distances of the block
            for key, ks, role, period, r, pos in reads:
                for rep in range(first, min(first + block, B)):
                    score, status = results[(rep, key, period, r)]
                    values[role][rep, ks] = score[pos]
                    not_optimal[role][rep, ks] = status[pos] != "optimal"
    lp_status: dict = {}
    for counts in lp_status_by_rts.values():
        for s, count in counts.items():
            lp_status[s] = lp_status.get(s, 0) + count
    measures = {role: form.measure(fam, values[role], orientation) for role in roles}
    reps = definition.combine(form, measures) if roles else {c: np.zeros((B, 0)) for c in components}

    labels = pd.MultiIndex.from_arrays([panel.entity[pairs.b], panel.period[pairs.b]],
                                       names=[panel.entity_name, panel.period_name])
    bootstrapped = np.zeros(n_pairs, dtype=bool)
    for _, ks, _, _ in plans:
        bootstrapped[ks] = True
    failed = np.zeros(n_pairs, dtype=np.int64)
    if roles:
        lp_failed = np.zeros((B, n_pairs), dtype=bool)
        for role in roles:
            lp_failed |= not_optimal[role]
        failed = np.where(bootstrapped, lp_failed.sum(axis=0), B)
    columns = {}
    for c in components:
        lower, upper = basic_interval(np.asarray(point[c], dtype=float), reps[c], alpha)
        significant = pd.array(np.where(np.isfinite(lower), (lower > 1) | (upper < 1), False), dtype="boolean")
        significant[~np.isfinite(lower)] = pd.NA
        columns[f"{c}_lower"], columns[f"{c}_upper"], columns[f"{c}_significant"] = lower, upper, significant
    columns["bootstrap_failed"] = failed
    frame = pd.DataFrame(columns, index=labels)

    kept = labels[bootstrapped]
    table = lambda arrays: {name: pd.DataFrame(a[:, bootstrapped], columns=kept)  # noqa: E731
                            for name, a in arrays.items()}
    groups = pd.DataFrame(group_rows)
    not_done = groups[groups["status"] != "ok"] if len(groups) else groups
    if len(not_done):
        warnings.warn("bootstrap: no intervals for the technology pairs "
                      + "; ".join(f"{r.period_from}-{r.period}: {r.status}" for r in not_done.itertuples()),
                      UserWarning, stacklevel=3)
    n_failed_rows = int((failed[bootstrapped] > 0).sum())
    if n_failed_rows:
        warnings.warn(f"bootstrap: {sum(lp_status.values())} of {n_lps} bootstrap LPs not optimal "
                      f"({', '.join(f'{k}: {v}' for k, v in lp_status.items())}); {n_failed_rows} index rows lost "
                      "replicates (column bootstrap_failed), which their intervals leave out", UserWarning,
                      stacklevel=3)
    dgp = {"draws": draws, "matrix": matrix, "delta": delta, "orientation": orientation, "m": m,
           "variables": list(dgp_problem.data.variables), "entity": panel.entity, "period": panel.period,
           "entity_name": panel.entity_name, "period_name": panel.period_name}
    result = MalmquistBootstrap(B=B, alpha=alpha, bandwidth=bandwidth, random_state=random_state,
                                replicates=table(reps), distances=table(values), groups=groups, lp_status=lp_status,
                                n_lps=n_lps, _dgp=dgp)
    return frame, result


def basic_interval(estimate: np.ndarray, replicates: np.ndarray, alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """SW (1999) intervals per column: [2 est - q(1 - alpha/2), 2 est - q(alpha/2)] over the finite replicates;
    NaN where the estimate is NaN or fewer than two replicates are finite."""
    n = replicates.shape[1] if replicates.ndim == 2 else 0
    lower, upper = np.full(n, np.nan), np.full(n, np.nan)
    ok = np.isfinite(estimate) & (np.isfinite(replicates).sum(axis=0) >= 2)
    if ok.any():
        q = np.nanquantile(replicates[:, ok], [alpha / 2, 1 - alpha / 2], axis=0)
        lower[ok] = 2 * estimate[ok] - q[1]
        upper[ok] = 2 * estimate[ok] - q[0]
    return lower, upper
