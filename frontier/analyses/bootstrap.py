"""``bootstrap()``: bias-corrected radial efficiency scores and confidence intervals by the smoothed homogeneous
bootstrap of Simar & Wilson (1998, 2000).

DEA scores are estimates: the frontier is the convex hull of a sample, so it lies inside the true one, every score
is biased towards efficiency and has sampling noise. Simar & Wilson's bootstrap mimics the data-generating process
under the *homogeneity* assumption (the distribution of efficiency is the same everywhere on the frontier) and
re-estimates every score against many pseudo samples.

Algorithm (input orientation; output orientation is the same with the Farrell output score phi >= 1 in place of the
Shephard input distance delta = 1/theta >= 1, and outputs in place of inputs). The bootstrap works on the distance
scale, where values are >= 1 with a boundary at 1:

1. Estimate delta_j = 1/theta_j of every DMU by DEA (CRS or VRS).
2. Bandwidth h (``bandwidth=``): Silverman's normal-reference rule h0 = 1.06 min(sd, IQR/1.34) N^(-1/5) or least
   squares cross-validation (Gaussian kernel, pair distances binned as R's ``bw.ucv``), both on the reflected sample
   {delta_j, 2 - delta_j} of the N/2 estimates with delta_j > 1 (efficient DMUs left out, their spike at 1 would
   drive h to 0), then rescaled to the full sample of n: h = h0 (N/n)^(1/5) sd(delta)/sd(reflected) (Daraio &
   Simar 2007, eqs. 3.23-3.26; Benchmarking's ``boot.sw98`` does the same with the constant 0.9). A number is used
   as given.
3. For b = 1..B: draw beta_1..beta_n with replacement from the 2n reflected values {delta_j, 2 - delta_j}; add
   kernel noise and correct the variance, d_j = mean(beta) + (beta_j + h eps_j - mean(beta)) / sqrt(1 + h^2 / s^2)
   (eps_j standard normal, s^2 the variance of the reflected sample); reflect back, delta**_j = d_j if d_j >= 1 else
   2 - d_j; the pseudo DMU j lies on the ray through its estimated frontier point: x*_j = (delta**_j / delta_j) x_j,
   y*_j = y_j (output orientation: y*_j = (phi_j / phi**_j) y_j, x*_j = x_j).
4. Re-estimate every original DMU against the pseudo reference set: delta*_b(j). The DMU is not in that set, so
   theta*_b(j) > 1 (phi*_b(j) < 1) is possible and is kept.
5. bias(j) = mean_b delta*_b(j) - delta_j; bias-corrected delta~_j = delta_j - bias(j); the (1 - alpha) interval
   is [delta_j - q(1 - alpha/2), delta_j - q(alpha/2)], q the empirical quantiles (numpy's linear rule) of
   delta*_b(j) - delta_j (Simar & Wilson 1998). Simar & Wilson (2000) advise using the corrected
   score only when bias^2 / var > 1/3 (var the bootstrap variance of delta*): reported as ``bias_to_variance``
   (the ratio) and ``correction_advised`` (the flag), both on the distance scale.

Results are reported in the package's score convention (:func:`frontier.efficiency`): input theta = 1/delta <= 1,
with the interval [1/upper_delta, 1/lower_delta]; output phi >= 1 as is. ``bias`` is always ``score -
bias_corrected`` in the score's own units, so it is positive for theta (DEA overstates input efficiency) and
negative for phi.

Computation: every replicate is one batch of n LPs against a new reference set, evaluated with
:meth:`frontier.problem.Problem.evaluate_many`, so all B replicates go through one parallel map of the engine
(joblib processes, exact column generation in every LP, score stage only). All random numbers are drawn up front in
the calling process from ``numpy.random.default_rng(random_state)``: the same seed gives the same numbers whatever
``n_jobs`` and backend. A replicate LP that fails is NaN (its status is kept in ``replicate_failures``) and left out
of that DMU's bias, variance and interval; ``n_replicates`` counts the replicates used.

Scope: radial (CCR / BCC) models of inputs and desirable outputs only, the models with an established bootstrap
theory (Kneip, Simar & Wilson 2008). SBM, the directional family and bad outputs are refused rather than offered
an unproven bootstrap. Panels: ``period=`` with a contemporaneous technology bootstraps each period on its own (its
own bandwidth); ``technology="global"`` pools all periods into one frontier.

Sources: Simar, L. & Wilson, P.W. (1998) Management Science 44:49-61; (2000) Journal of Applied Statistics
27:779-802; Daraio, C. & Simar, L. (2007) Advanced Robust and Nonparametric Methods in Efficiency Analysis,
Springer, ch. 3; Silverman, B.W. (1986) Density Estimation, sec. 3.4; Bogetoft & Otto's R package Benchmarking
(``boot.sw98``) for the bandwidth's rescaling.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .bandwidth import UNIVARIATE_RULES, multivariate_normal_reference, univariate_bandwidth
from .bootstrap_methods import (KAPPA_GRID, beyond_reach, convergence_rate, direction_points, heterogeneous_draws,
                                heterogeneous_pseudo, heterogeneous_sample, subsample_size, subsampling_estimates,
                                volatility_choice)
from .._text import format_labels
from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..models import resolve_options
from ..panel import in_index, period_values as period_column, row_ids
from ..problem import Problem
from ..results import BootstrapResult
from ._pipeline import Analysis, evaluation_groups, progress_bar, public, spec_of
from ..options import BANDWIDTH_RULES, BOOTSTRAP_RTS, BOOTSTRAP_SCHEMES as SCHEMES, BOOTSTRAP_TECHNOLOGIES as TECHNOLOGIES

MAP_VALUES = 10_000_000       # pseudo-data numbers per parallel map (80 MB): bounds memory for large n x B
ESTIMATE_COLUMNS = ("score", "bias", "bias_corrected", "lower", "upper", "bias_to_variance", "correction_advised",
                    "n_replicates", "status")


MIN_REPLICATES = 2            # an interval (and a variance) needs at least two replicates


def check_replicates(B, name: str) -> int:
    """The number of bootstrap replicates as an int; a ValueError (naming the argument ``name``) unless it is a whole
    number >= MIN_REPLICATES. The one rule for :func:`bootstrap` (``B``) and the Malmquist bootstrap
    (``productivity(..., bootstrap=B)``)."""
    if isinstance(B, (bool, np.bool_)) or not isinstance(B, numbers.Integral) or B < MIN_REPLICATES:
        raise ValueError(f"{name} (the number of bootstrap replicates) must be a whole number >= {MIN_REPLICATES}, "
                         f"got {B!r}: an interval needs at least two replicates; Simar & Wilson use 2000")
    return int(B)


def refuse_dmus_without_inputs(X: np.ndarray, labels: pd.Index) -> None:
    """Raise, naming the rows, for DMUs whose inputs are all zero: the Simar & Wilson bootstraps assume no output
    without input. Such a DMU has no radial distance of its own (its LP is unbounded) and no frontier projection to
    draw pseudo data on; with an output it also makes the input distance 1/theta of every DMU it dominates infinite
    (theta = 0). Leaving it out of the reference sets would bootstrap another technology, so it is refused."""
    none = ~(X > 0).any(axis=1)
    if none.any():
        raise ValueError(f"rows {format_labels(labels[none])} have every input zero: the bootstrap's model has no "
                         "output without input (their radial LP is unbounded, and they make the input distance of the "
                         "DMUs they dominate infinite); drop those rows, or fix their inputs")


# ----------------------------------------------------------------------------------------------------
# the smoothed, reflected draws
# ----------------------------------------------------------------------------------------------------

def smoothed_draws(distance: np.ndarray, h: float, index: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """The pseudo distances delta** (B x n, all >= 1) from pre-drawn positions ``index`` (B x n, in 0..2n-1) into
    the reflected sample {delta, 2 - delta} and standard normal ``noise`` (B x n): step 3 of the algorithm."""
    reflected = np.concatenate([distance, 2 - distance])
    beta = reflected[index]
    centre = beta.mean(axis=1, keepdims=True)
    variance = reflected.var(ddof=1)
    # a sample with no spread (every DMU efficient, with a given bandwidth) has nothing to correct: kernel noise only
    shrink = 1 / np.sqrt(1 + h ** 2 / variance) if variance > 0 else 1.0
    d = centre + (beta + h * noise - centre) * shrink
    return np.where(d < 1, 2 - d, d)


def pseudo_sample(points: np.ndarray, distance: np.ndarray, draws: np.ndarray, side: slice) -> np.ndarray:
    """Pseudo data (B x n x d): every DMU moved along its ray from the estimated frontier point, the inputs
    (input orientation: x* = delta**/delta x) or the outputs (output: y* = phi/phi** y) on ``side``."""
    pseudo = np.broadcast_to(points, (draws.shape[0],) + points.shape).copy()
    factor = draws / distance if side.start == 0 else distance / draws
    pseudo[:, :, side] *= factor[:, :, None]
    return pseudo


# ----------------------------------------------------------------------------------------------------
# the result
# ----------------------------------------------------------------------------------------------------

# ----------------------------------------------------------------------------------------------------
# the entry point
# ----------------------------------------------------------------------------------------------------

def _check_settings(model, bad_outputs, B, alpha, scheme, bandwidth, kappa, technology) -> tuple:
    model = option_value(model)
    if model != "radial":
        raise ValueError(f"bootstrap covers model='radial' only, got model={model!r}: the Simar-Wilson bootstrap "
                         "has established theory for radial (CCR/BCC) efficiency; none is established for SBM or "
                         "the directional (DDF) family, so none is offered")
    if as_column_list(bad_outputs, "bad_outputs"):
        raise ValueError("bootstrap covers inputs and desirable outputs only: the Simar-Wilson theory does not "
                         "cover bad outputs held at their level, so bad_outputs is refused")
    B = check_replicates(B, "B")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, (int, float, np.floating)) \
            or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1) (0.05 for 95% intervals), got {alpha!r}")
    scheme = option_value(scheme)
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(map(repr, SCHEMES))}, got {scheme!r}")
    rules = "'silverman', 'lscv', 'benchmarking', 'sj', 'sj-dpi' or a positive number"
    if scheme == "subsampling":
        if bandwidth is not None:
            raise ValueError(f"scheme='subsampling' draws the data themselves and uses no bandwidth; drop "
                             f"bandwidth={bandwidth!r}")
    elif bandwidth is None:
        bandwidth = "silverman"
    elif isinstance(bandwidth, str):
        bandwidth = option_value(bandwidth)
        if bandwidth not in BANDWIDTH_RULES:
            raise ValueError(f"bandwidth must be {rules}, got {bandwidth!r}")
        if scheme == "heterogeneous" and bandwidth != "silverman":
            raise ValueError(f"scheme='heterogeneous' smooths a multivariate density: bandwidth takes 'silverman' "
                             f"(the multivariate normal-reference rule) or a positive number, got {bandwidth!r}; "
                             f"{bandwidth!r} is a rule for the univariate density of the homogeneous bootstrap")
    elif isinstance(bandwidth, (bool, np.bool_)) or not isinstance(bandwidth, (int, float, np.integer, np.floating)) \
            or not np.isfinite(bandwidth) or bandwidth <= 0:
        raise ValueError(f"bandwidth must be {rules}, got {bandwidth!r}")
    if kappa is not None:
        if scheme != "subsampling":
            raise ValueError(f"kappa (the subsample size m = n^kappa) belongs to scheme='subsampling', got "
                             f"kappa={kappa!r} with scheme={scheme!r}")
        if isinstance(kappa, (bool, np.bool_)) or not isinstance(kappa, (int, float, np.floating)) \
                or not 0 < kappa < 1:
            raise ValueError(f"kappa must be a number in (0, 1) (m = n^kappa DMUs per subsample), or None for the "
                             f"data-driven choice, got {kappa!r}")
        kappa = float(kappa)
    technology = "contemporaneous" if technology is None else option_value(technology)
    if technology not in TECHNOLOGIES:
        raise ValueError(f"bootstrap takes technology 'contemporaneous' (each period its own frontier, "
                         f"bootstrapped on its own) or 'global' (one pooled frontier), got {technology!r}: "
                         "sequential and window frontiers share observations between reference sets, which the "
                         "Simar-Wilson bootstrap does not cover")
    return model, B, float(alpha), scheme, bandwidth, kappa, technology


BOOTSTRAP = Analysis("bootstrap", roles=("inputs", "outputs", "bad_outputs", "id", "period"), result=BootstrapResult,
                     fixed_models=("radial",))


@public(BOOTSTRAP)
def bootstrap(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    id=None,
    model: str = "radial",
    orientation: str = "input",
    rts: str = "vrs",
    B: int = 2000,
    alpha: float = 0.05,
    scheme: str = "homogeneous",
    bandwidth=None,
    kappa: float | None = None,
    random_state=None,
    period: str | None = None,
    technology: str | None = None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> BootstrapResult:
    """Bias-corrected radial efficiency scores and confidence intervals by the Simar & Wilson bootstraps; the
    algorithms are stated in :mod:`frontier.analyses.bootstrap` (homogeneous) and
    :mod:`frontier.analyses.bootstrap_methods` (heterogeneous, subsampling).

    Parameters
    ----------
    data, inputs, outputs, id : as :func:`frontier.efficiency`. ``bad_outputs`` is refused (not covered).
    model : ``"radial"``, the only model with an established bootstrap; others raise ``ValueError``.
    orientation : ``"input"`` (theta <= 1) or ``"output"`` (phi >= 1), the conventions of :func:`frontier.efficiency`.
    rts : ``"crs"``, ``"vrs"`` or ``"nirs"``.
    B : number of bootstrap replicates (B x n LPs); Simar & Wilson use 2000 for intervals.
    alpha : the intervals are (1 - alpha) intervals.
    scheme : ``"homogeneous"`` (default: the smoothed bootstrap of the distances' density, Simar & Wilson 1998),
        ``"heterogeneous"`` (the smoothed bootstrap of the joint density of distance, mix and the quantities held
        fixed, Simar & Wilson 2000) or ``"subsampling"`` (m out of n, Kneip, Simar & Wilson 2008).
    bandwidth : homogeneous: ``"silverman"`` (default), ``"lscv"``, ``"benchmarking"`` (R's Benchmarking and
        DataEnvelopmentAnalysis.jl), ``"sj"``, ``"sj-dpi"`` (Sheather-Jones; npsf uses the latter) or a positive
        number (:mod:`frontier.analyses.bandwidth`); heterogeneous: ``"silverman"`` (the multivariate normal-reference rule)
        or a number; subsampling: none. The value used is ``result.bandwidth``.
    kappa : subsampling only: m = round(n^kappa), kappa in (0, 1); None (default) chooses it by the volatility
        method. ``result.kappa`` and ``result.subsample_size`` hold the values used.
    random_state : seed (int) or ``numpy.random.Generator``; the same seed gives the same numbers whatever ``n_jobs``.
    period, technology : ``period=`` with ``technology="contemporaneous"`` (default) bootstraps each period against
        its own frontier; ``"global"`` pools all periods. Sequential and window technologies are refused.
    n_jobs, method, chunk_size, progress : engine options as :func:`frontier.efficiency` (``method`` is the LP
        strategy, not the bootstrap scheme; the progress bar counts the replicate LPs).
    """
    model, B, alpha, scheme, rule, kappa, technology = _check_settings(model, bad_outputs, B, alpha, scheme,
                                                                       bandwidth, kappa, technology)
    if period is None and technology != "contemporaneous":
        raise ValueError(f"technology={technology!r} needs period= (the column, or index level, of periods)")
    check_engine_options(n_jobs, chunk_size)
    engine_options = dict(n_jobs=n_jobs, method=option_value(method), chunk_size=chunk_size)
    frame = data
    id_columns = as_column_list(id, "id")
    other = [c for c in dict.fromkeys(id_columns + ([period] if period is not None else [])) if not in_index(frame, c)]
    dea = validate_frame(frame, inputs, outputs, [], other_columns=other)
    refuse_dmus_without_inputs(dea.X, frame.index)
    period_values = period_column(frame, period)
    ids = row_ids(frame, id_columns, period_values)
    options = resolve_options(model, orientation=orientation, rts=rts)
    if options.rts not in BOOTSTRAP_RTS:
        raise ValueError(f"bootstrap takes rts {', '.join(map(repr, BOOTSTRAP_RTS))}, got {options.rts!r}")
    problem = Problem(dea, options)
    n, labels = len(frame), frame.index
    if technology == "global":          # one pooled frontier: the periods are one sample
        evaluation_groups(labels, period, period_values, technology, None, np.ones(n, dtype=bool))  # checks
        groups = [(np.arange(n), np.arange(n))]
    else:
        groups = evaluation_groups(labels, period, period_values, technology, None, np.ones(n, dtype=bool))

    originals = problem.evaluate_many(groups, detail=False, **engine_options)
    score = np.full(n, np.nan)
    status = np.full(n, "not_solved", dtype=object)
    for (ev, _), out in zip(groups, originals):
        score[ev], status[ev] = out.score, out.status
    # the bootstrap works on distances >= 1: the Shephard input distance 1/theta, or the Farrell output phi; theta = 0
    # (a DMU without output under CRS: it adds nothing to the others' frontier) is an infinite distance
    with np.errstate(divide="ignore"):
        distance = 1.0 / score if options.orientation == "input" else score.copy()

    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    members, keys = [], []
    for ev, _ in groups:                # ev is also the reference set: contemporaneous periods, or one pool
        where = "" if period is None or technology == "global" else f" in period {period_values.iloc[ev[0]]!r}"
        rows = ev[np.isfinite(distance[ev])]          # DMUs whose distance is missing or infinite take no part
        if len(rows) < 2 or (scheme == "subsampling" and len(rows) < 3):
            raise ValueError(f"the bootstrap needs at least {3 if scheme == 'subsampling' else 2} DMUs with a "
                             f"score{where}, found {len(rows)}")
        members.append(rows)
        keys.append(period_values.iloc[ev[0]] if where else None)
    run = _Run(problem, options.orientation, distance, B, rng, engine_options)
    with progress_bar(progress, B * sum(len(rows) for rows in members) * SCHEME_PASSES[scheme](len(kappa_grid(kappa)))
                      ) as advance:
        run.advance = advance
        if scheme == "subsampling":
            rate = convergence_rate(options.rts, problem.layout.m, problem.layout.d - problem.layout.m)
            settings = run.subsampling(members, keys, kappa, alpha, rate)
            subsampling = (settings["m"], settings["n"], rate)
        else:
            settings, subsampling = run.smoothed(members, keys, scheme, rule), None
    estimates = _estimates(score, run.replicates, options.orientation, alpha, subsampling)
    estimates["status"] = status.astype(str)
    spec = spec_of(problem, False, period=period, technology=technology if period is not None else None,
                   reference="all rows", id=tuple(id_columns))
    replicate_index = pd.RangeIndex(B, name="replicate")
    return BootstrapResult(
        estimates=pd.DataFrame(estimates, index=labels)[list(ESTIMATE_COLUMNS)],
        replicates=pd.DataFrame(run.replicates, index=replicate_index, columns=labels),
        draws=pd.DataFrame(run.draws, index=replicate_index, columns=labels),
        replicate_failures=pd.DataFrame([(b, labels[r], s) for b, r, s in run.failures],
                                        columns=["replicate", "dmu", "status"]),
        bandwidth=_by_period(settings.get("bandwidth"), keys, period), B=B, alpha=alpha,
        bandwidth_rule="none" if scheme == "subsampling" else rule if isinstance(rule, str) else "given",
        random_state=random_state if not isinstance(random_state, np.random.Generator) else "Generator",
        spec=spec, periods=period_values, ids=ids, scheme=scheme,
        kappa=_by_period(settings.get("kappa"), keys, period),
        subsample_size=_by_period(settings.get("subsample_size"), keys, period),
        volatility=settings.get("volatility"),
        reference_size=pd.Series(run.reference_size, index=replicate_index, name="reference_size"))


# LP passes per replicate: the heterogeneous bootstrap also projects its draws on the frontier; subsampling runs
# every kappa of its grid
SCHEME_PASSES = {"homogeneous": lambda grid: 1, "heterogeneous": lambda grid: 2, "subsampling": lambda grid: grid}


def kappa_grid(kappa: float | None) -> tuple:
    """The kappas subsampling runs: the given one, or the grid the volatility method chooses from."""
    return KAPPA_GRID if kappa is None else (kappa,)


def _by_period(values: list | None, keys: list, period):
    """One setting per reference set as a number (one set) or a Series by period; None if the scheme has none."""
    if values is None:
        return None
    if keys == [None]:
        return values[0]
    series = pd.Series(values, index=pd.Index(keys, name=period))
    return series


class _Run:
    """The replicates of one bootstrap call: the draws (all made here, in the calling process, in a fixed order)
    and the LPs (through the engine's parallel map, in as few maps as keep the pseudo data under MAP_VALUES
    numbers). Fills ``replicates`` (B x n scores), ``draws``, ``failures`` and ``reference_size``."""

    def __init__(self, problem: Problem, orientation: str, distance: np.ndarray, B: int, rng, engine_options: dict):
        self.problem, self.orientation, self.distance, self.B, self.rng = problem, orientation, distance, B, rng
        self.engine_options = engine_options
        n = len(distance)
        self.replicates = np.full((B, n), np.nan)
        self.draws = np.full((B, n), np.nan)
        self.failures: list = []
        self.reference_size = np.zeros(B, dtype=np.int64)
        self.advance = None
        m, d = problem.layout.m, problem.layout.d
        self.side = slice(0, m) if orientation == "input" else slice(m, d)
        self.fixed = slice(m, d) if orientation == "input" else slice(0, m)      # the quantities the LP holds

    def _blocks(self, width: int):
        """Replicate blocks whose pseudo data (``width`` numbers per replicate) stay under MAP_VALUES."""
        per_map = max(1, MAP_VALUES // max(1, width))
        return [range(first, min(first + per_map, self.B)) for first in range(0, self.B, per_map)]

    def _evaluate(self, requests: list, screen: bool = True) -> list[tuple[np.ndarray, np.ndarray]]:
        """(score, status) of each (points, reference) request, points and reference as row positions or data
        matrices: with ``screen``, the LPs :func:`beyond_reach` proves infeasible are NaN with status
        ``"infeasible"`` without an LP (the engine would prove the same, at the cost of an exact proof each); the
        others go through one parallel map of the engine."""
        matrix, rts = self.problem.data.matrix, self.problem.options.rts
        answers, todo, where = [], [], []
        for points, reference in requests:
            fixed = (matrix[points] if points.ndim == 1 else points)[:, self.fixed]
            unreachable = (beyond_reach(fixed, (matrix[reference] if reference.ndim == 1 else reference)[:, self.fixed],
                                        self.orientation, rts) if screen else np.zeros(len(fixed), dtype=bool))
            answer = (np.full(len(fixed), np.nan), np.where(unreachable, "infeasible", "not_solved").astype(object))
            keep = np.flatnonzero(~unreachable)
            if keep.size:
                todo.append((points[keep], reference))
                where.append((answer, keep))
            answers.append(answer)
        if self.advance is not None:
            self.advance(sum(int((status == "infeasible").sum()) for _, status in answers))
        outs = self.problem.evaluate_many(todo, detail=False, progress=self.advance, **self.engine_options)
        for ((score, status), keep), out in zip(where, outs):
            score[keep], status[keep] = out.score, out.status
        return answers

    def _solve(self, requests: list, owners: list, into: np.ndarray, failures: list, screen: bool = True) -> None:
        """Score the (rows, reference) requests into ``into[b, rows]`` (``screen``: see :meth:`_evaluate`); a failed
        LP is NaN and its (replicate, row position, status) goes to ``failures``."""
        for (b, rows), (score, status) in zip(owners, self._evaluate(requests, screen)):
            into[b, rows] = score
            bad = status != "optimal"
            failures.extend((b, r, s) for r, s in zip(rows[bad], status[bad]))

    # -- the smoothed bootstraps ----------------------------------------------------------------------
    def smoothed(self, members: list, keys: list, scheme: str, rule) -> dict:
        """The homogeneous or heterogeneous draws of every reference set, the pseudo data and their LPs."""
        bandwidths = []
        plans = []
        d = self.problem.layout.d
        for rows, key in zip(members, keys):
            where = "" if key is None else f" in period {key!r}"
            distance = self.distance[rows]
            if scheme == "homogeneous":
                h = univariate_bandwidth(distance, rule, self.orientation, where)
                index = self.rng.integers(0, 2 * len(rows), size=(self.B, len(rows)))
                noise = self.rng.standard_normal((self.B, len(rows)))
                self.draws[:, rows] = smoothed_draws(distance, h, index, noise)
                plans.append((rows, None))
            else:
                fixed_side = slice(self.problem.layout.m, d) if self.orientation == "input" else \
                    slice(0, self.problem.layout.m)
                points = self.problem.data.matrix[rows]
                Z = heterogeneous_sample(points[:, fixed_side], points[:, self.side], distance)
                h = float(rule) if not isinstance(rule, str) else multivariate_normal_reference(len(rows), Z.shape[1])
                drawn = heterogeneous_draws(Z, fixed_side.stop - fixed_side.start, h, self.B, self.rng,
                                            self.orientation)
                self.draws[:, rows] = drawn[:, :, -1]
                plans.append((rows, drawn))
            bandwidths.append(h)
        n_scored = sum(len(rows) for rows in members)
        for block in self._blocks(n_scored * d):
            requests, owners = [], []
            references = {}
            if scheme == "heterogeneous":        # each drawn mix on the estimated frontier: radial score vs the data
                targets = []
                n_fixed = d - (self.side.stop - self.side.start)          # the quantities held fixed
                for rows, drawn in plans:
                    for b in block:
                        point = direction_points(drawn[b], n_fixed, self.orientation)
                        targets.append((b, rows, point))
                outs = self._evaluate([(point, rows) for _, rows, point in targets])
                for (b, rows, point), (score, _) in zip(targets, outs):
                    ok = np.isfinite(score)
                    pseudo = heterogeneous_pseudo(point[ok], score[ok], self.draws[b, rows][ok], self.side)
                    references[(b, rows[0])] = pseudo
            for rows, _ in plans:
                if scheme == "homogeneous":
                    pseudo = pseudo_sample(self.problem.data.matrix[rows], self.distance[rows],
                                           self.draws[block.start: block.stop][:, rows], self.side)
                for i, b in enumerate(block):
                    reference = pseudo[i] if scheme == "homogeneous" else references[(b, rows[0])]
                    self.reference_size[b] += len(reference)
                    requests.append((rows, reference))
                    owners.append((b, rows))
            # the homogeneous scheme's pseudo DMUs keep the quantities the LP holds fixed (each DMU's own among
            # them reaches it), so none of its LPs is beyond reach: no screen
            self._solve(requests, owners, self.replicates, self.failures, screen=scheme != "homogeneous")
        return {"bandwidth": bandwidths}

    # -- subsampling ----------------------------------------------------------------------------------
    def subsampling(self, members: list, keys: list, kappa, alpha: float, rate: float) -> dict:
        """Every kappa of the grid (or the given one): B subsamples of m = round(n^kappa) DMUs each, every DMU
        scored against them; then, per reference set, the kappa of least volatility. Returns the settings and
        ``m`` and ``n`` per DMU for :func:`_estimates`."""
        grid = kappa_grid(kappa)
        picks = [[self.rng.integers(0, len(rows), size=(self.B, subsample_size(len(rows), k))) for k in grid]
                 for rows in members]
        by_kappa = np.full((len(grid),) + self.replicates.shape, np.nan)
        failures = [[] for _ in grid]
        for j in range(len(grid)):
            owners = [(b, rows) for rows in members for b in range(self.B)]
            requests = [(rows, rows[picks[g][j][b]]) for g, rows in enumerate(members) for b in range(self.B)]
            self._solve(requests, owners, by_kappa[j], failures[j])
        m_of, n_of = np.full(len(self.distance), np.nan), np.full(len(self.distance), np.nan)
        chosen = np.full(len(self.distance), -1)
        kappas, sizes, tables = [], [], []
        for g, (rows, key) in enumerate(zip(members, keys)):
            m_grid = np.array([subsample_size(len(rows), k) for k in grid])
            best = 0
            if len(grid) > 1:
                ends = [subsampling_estimates(self.distance[rows], self._distance(by_kappa[j][:, rows]), m_grid[j],
                                              len(rows), rate, alpha) for j in range(len(grid))]
                best, volatility = volatility_choice(np.array([e["lower"] for e in ends]),
                                                     np.array([e["upper"] for e in ends]))
                table = pd.DataFrame({"kappa": grid, "m": m_grid, "volatility": volatility})
                tables.append(table if key is None else table.assign(period=key))
            chosen[rows], m_of[rows], n_of[rows] = best, m_grid[best], len(rows)
            kappas.append(float(grid[best]))
            sizes.append(int(m_grid[best]))
            self.replicates[:, rows] = by_kappa[best][:, rows]
            for b in range(self.B):
                self.draws[b, rows] = np.bincount(picks[g][best][b], minlength=len(rows))
            self.reference_size += m_grid[best]
        self.failures.extend(sorted((f for j in range(len(grid)) for f in failures[j] if chosen[f[1]] == j),
                                    key=lambda f: (f[0], f[1])))
        return {"kappa": kappas, "subsample_size": sizes, "m": m_of, "n": n_of,
                "volatility": pd.concat(tables, ignore_index=True) if tables else None}

    def _distance(self, scores: np.ndarray) -> np.ndarray:
        """Scores on the distance scale (input: 1/theta; theta = 0 is an infinite distance)."""
        with np.errstate(divide="ignore"):
            return 1.0 / scores if self.orientation == "input" else scores


def _estimates(score: np.ndarray, replicates: np.ndarray, orientation: str, alpha: float,
               subsampling: tuple | None = None) -> dict:
    """Bias, bias-corrected score, interval and the bias-to-variance ratio per DMU, computed on the distance scale
    and reported in the score's convention. Failed replicates (NaN) are left out per DMU. The smoothed bootstraps:
    step 5 of the module docstring; ``subsampling`` = (m, n, r) per DMU: the rescaled estimates of
    :mod:`frontier.analyses.bootstrap_methods`."""
    to_distance = (lambda v: 1.0 / v) if orientation == "input" else (lambda v: v)
    with np.errstate(divide="ignore"):            # theta = 0: an infinite distance, no estimates
        distance, boot = to_distance(score), to_distance(replicates)
    used = np.isfinite(boot).sum(axis=0)
    enough = np.isfinite(distance) & (used >= 2)
    boot = boot[:, enough]
    bias = np.full(len(score), np.nan)
    variance, lower, upper = bias.copy(), bias.copy(), bias.copy()
    if subsampling is None:
        bias[enough] = np.nanmean(boot, axis=0) - distance[enough]
        variance[enough] = np.nanvar(boot, axis=0, ddof=1)
        low_q, high_q = np.nanquantile(boot - distance[enough], [alpha / 2, 1 - alpha / 2], axis=0)
        lower[enough], upper[enough] = distance[enough] - high_q, distance[enough] - low_q
    else:
        m, n, rate = subsampling
        found = subsampling_estimates(distance[enough], boot, m[enough], n[enough], rate, alpha)
        bias[enough], variance[enough] = found["bias"], found["variance"]
        lower[enough], upper[enough] = found["lower"], found["upper"]
    corrected = distance - bias
    if orientation == "input":
        with np.errstate(divide="ignore"):
            corrected, lower, upper = 1.0 / corrected, 1.0 / upper, 1.0 / lower
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(variance > 0, bias ** 2 / variance, np.where(bias == 0, 0.0, np.inf))
    ratio[~enough] = np.nan
    advised = pd.array(np.where(enough, ratio > 1 / 3, False), dtype="boolean")
    advised[~enough] = pd.NA
    return {"score": score, "bias": score - corrected, "bias_corrected": corrected, "lower": lower, "upper": upper,
            "bias_to_variance": ratio, "correction_advised": advised, "n_replicates": used}
