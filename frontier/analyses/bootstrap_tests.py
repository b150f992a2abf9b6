r"""``test_returns_to_scale()`` and ``test_independence()``: the bootstrap tests npsf offers (``nptestrts``,
``nptestind``), with p-values from the smoothed homogeneous bootstrap of :func:`frontier.bootstrap`.

Scores are in the package's convention, which is npsf's Farrell measure: input theta <= 1, output phi >= 1.

**Returns to scale** (Simar & Wilson 2002, "Non-parametric tests of returns to scale", EJOR 139:115-132; npsf's
``nptestrts``). H0: the technology is CRS (``null="crs"``) or NIRS (``null="nirs"``); H1: VRS. With F0_j the score
under H0 and F_j the VRS score of DMU j (n DMUs):

* ``statistic="ratio_of_means"`` (default; npsf's global test, S&W 2002 eq. 4.6): S = mean_j F0_j / mean_j F_j;
* ``statistic="mean_of_ratios"`` (S&W 2002 eq. 4.5): S = mean_j (F0_j / F_j).

S = 1 under H0 in the population and S < 1 (input) or S > 1 (output) when H0 fails. The bootstrap imposes H0:

1. distances delta_j of the H0 scores (input 1/theta_j, output phi_j); the bandwidth h as :func:`frontier.bootstrap`
   (``bandwidth=``, on those distances);
2. for b = 1..B: smoothed reflected draws delta**_j (step 3 of :mod:`frontier.analyses.bootstrap`) and the pseudo
   sample on the H0 frontier along each DMU's ray (input x* = delta** / delta x, output y* = phi / phi** y);
3. every original DMU scored against the pseudo sample under H0 and under VRS: F0*_b(j), F*_b(j), and S*_b from
   them (pairs where both LPs solved);
4. p = #{S*_b <= S} / B' (input) or #{S*_b >= S} / B' (output), B' the replicates with a statistic; H0 is rejected
   at level ``alpha`` when p <= alpha (npsf's rule).

Not offered: npsf's tests of each DMU's own ratio F0_j / F_j against F0*_b(j) / F*_b(j) (on one sample drawn
under CRS, n = 40, B = 99, 11 of the 40 DMUs had p <= 0.05: a DMU at the edge of the data, VRS-efficient by
extremity, keeps a ratio far below 1 that pseudo data drawn on the CRS frontier do not reproduce), and npsf's
heterogeneous variant (``homogeneous = FALSE``).

**Independence** (Wilson 2003, "Testing independence in models of productive efficiency", JPA 20:361-390; coded
after npsf's ``nptestind``). The homogeneous bootstrap assumes the efficiency's distribution is the same wherever a
DMU lies on the frontier. H0: the score F is independent of W, where DMUs lie: input orientation W = (the outputs,
the polar angles of the input mix), output W = (the inputs, the angles of the output mix) — the coordinates the
heterogeneous bootstrap smooths over (:func:`frontier.analyses.bootstrap_methods.heterogeneous_sample`). The
statistic is npsf's T4n, the squared distance between the empirical joint distribution function and the product
of the marginals at the data points:

    T = sum_i (F_n(F_i, W_i) - F_n(F_i) G_n(W_i))^2,   F_n(f, w) = #{j: F_j <= f, W_j <= w (all elements)} / n.

The bootstrap imposes independence: for b = 1..B the scores are drawn from the smoothed homogeneous density of the
distances (as in the RTS test; no LP is solved) and, independently, the W's by resampling rows of W with
replacement; p = #{T*_b >= T} / B; H0 rejected when p <= alpha (then the heterogeneous bootstrap is the one to use).
Unlike npsf, with one input (input orientation) W holds the outputs only: npsf adds the input itself, which is the
score times the frontier input and so depends on the score by construction.

Computation: the RTS test solves 2 n LPs for the scores and 2 B n re-solves, B pseudo reference sets per parallel
map of the engine (:meth:`frontier.problem.Problem.evaluate_many`), both models against the same pseudo samples.
All random numbers are drawn up front from ``numpy.random.default_rng(random_state)``: the same seed gives the
same p-value whatever ``n_jobs``.
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..options import BANDWIDTH_RULES, BOOTSTRAP_RTS, RADIAL_ORIENTATIONS, RTS_NULLS, RTS_STATISTICS
from ..panel import row_ids
from ..results.bootstrap_tests import IndependenceTestResult, ReturnsToScaleTestResult
from ._pipeline import Analysis, bind_model, progress_bar, public, spec_of
from .bandwidth import univariate_bandwidth
from .bootstrap import MAP_VALUES, check_replicates, pseudo_sample, refuse_dmus_without_inputs, smoothed_draws
from .bootstrap_methods import heterogeneous_sample

TEST_RETURNS_TO_SCALE = Analysis("test_returns_to_scale", roles=("inputs", "outputs", "id"),
                                 result=ReturnsToScaleTestResult, serves=None)
TEST_INDEPENDENCE = Analysis("test_independence", roles=("inputs", "outputs", "id"), result=IndependenceTestResult,
                             serves=None)
INDEPENDENCE_BLOCK = 4_000_000        # comparisons per block of the T statistic's replicates (bounds memory)


# ----------------------------------------------------------------------------------------------------
# shared checks and pieces
# ----------------------------------------------------------------------------------------------------

def _check_common(orientation, B, alpha, bandwidth, n_jobs, chunk_size) -> tuple:
    orientation = option_value(orientation)
    if orientation not in RADIAL_ORIENTATIONS:
        raise ValueError(f"orientation must be one of {RADIAL_ORIENTATIONS} (radial scores), got {orientation!r}")
    B = check_replicates(B, "B")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real) or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1) (0.05: a decision at the 5% level), got {alpha!r}")
    rules = f"{', '.join(map(repr, BANDWIDTH_RULES))} or a positive number"
    if bandwidth is None:
        bandwidth = "silverman"
    elif isinstance(bandwidth, str):
        bandwidth = option_value(bandwidth)
        if bandwidth not in BANDWIDTH_RULES:
            raise ValueError(f"bandwidth must be {rules}, got {bandwidth!r}")
    elif isinstance(bandwidth, (bool, np.bool_)) or not isinstance(bandwidth, numbers.Real) \
            or not np.isfinite(bandwidth) or bandwidth <= 0:
        raise ValueError(f"bandwidth must be {rules}, got {bandwidth!r}")
    check_engine_options(n_jobs, chunk_size)
    return orientation, B, float(alpha), bandwidth


def _bind(data, inputs, outputs, id, orientation, rts_list):
    id_columns = as_column_list(id, "id")
    dea = validate_frame(data, inputs, outputs, other_columns=[c for c in id_columns if c in data.columns])
    refuse_dmus_without_inputs(dea.X, data.index)
    problems = {rts: bind_model(dea, data.index, model="radial", orientation=orientation, rts=rts,
                                bad_disposability=None, direction=None, super_efficiency=False, weights=None,
                                zeros="error", model_options={})
                for rts in rts_list}
    return dea, id_columns, row_ids(data, id_columns, None), problems


def _rng(random_state) -> np.random.Generator:
    return random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)


def _shown_seed(random_state):
    return "Generator" if isinstance(random_state, np.random.Generator) else random_state


def to_distance(score: np.ndarray, orientation: str) -> np.ndarray:
    """Scores on the bootstrap's distance scale (input 1/theta, output phi); theta = 0 is infinite."""
    with np.errstate(divide="ignore"):
        return 1.0 / score if orientation == "input" else np.asarray(score, dtype=float)


def _status_column(runs: dict) -> np.ndarray:
    parts = [np.where(run.score_ok, "", f"{rts}: " + run.status.astype(str)) for rts, run in runs.items()]
    joined = ["; ".join(p for p in row if p) for row in zip(*parts)]
    return np.array([text or "optimal" for text in joined], dtype=object)


def p_value(replicates: np.ndarray, observed: float, lower_rejects: bool) -> tuple[float, int]:
    """The bootstrap p-value #{T* <= T} / B' (``lower_rejects``) or #{T* >= T} / B', B' the finite replicates,
    and B'; NaN without a replicate."""
    finite = replicates[np.isfinite(replicates)]
    if not finite.size or not np.isfinite(observed):
        return float("nan"), int(finite.size)
    hits = finite <= observed if lower_rejects else finite >= observed
    return float(hits.mean()), int(finite.size)


# ----------------------------------------------------------------------------------------------------
# returns to scale
# ----------------------------------------------------------------------------------------------------

def rts_statistic(null_scores: np.ndarray, vrs_scores: np.ndarray, statistic: str) -> np.ndarray:
    """S along the last axis, over the DMUs whose two scores are both finite: mean(F0)/mean(F) or mean(F0/F)."""
    ok = np.isfinite(null_scores) & np.isfinite(vrs_scores)
    count = ok.sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if statistic == "ratio_of_means":
            value = np.where(ok, null_scores, 0).sum(axis=-1) / np.where(ok, vrs_scores, 0).sum(axis=-1)
        else:
            value = np.where(ok, null_scores / np.where(ok, vrs_scores, 1), 0).sum(axis=-1) / count
    return np.where(count > 0, value, np.nan)


@public(TEST_RETURNS_TO_SCALE)
def test_returns_to_scale(
    data: pd.DataFrame,
    inputs,
    outputs,
    *,
    id=None,
    orientation: str = "input",
    null: str = "crs",
    statistic: str = "ratio_of_means",
    B: int = 999,
    alpha: float = 0.05,
    bandwidth=None,
    random_state=None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> ReturnsToScaleTestResult:
    """Test H0: CRS (or NIRS) against VRS by Simar & Wilson's (2002) bootstrap, as npsf's ``nptestrts``; the
    algorithm is stated in :mod:`frontier.analyses.bootstrap_tests`.

    Parameters
    ----------
    data, inputs, outputs, id : as :func:`frontier.efficiency` (one cross-section).
    orientation : ``"input"`` (theta <= 1; default) or ``"output"`` (phi >= 1).
    null : ``"crs"`` (default; H0 constant returns to scale) or ``"nirs"`` (H0 non-increasing returns, the test to
        run after CRS is rejected); H1 is VRS.
    statistic : ``"ratio_of_means"`` (default, npsf's) mean(F0)/mean(F_VRS), or ``"mean_of_ratios"`` mean(F0/F_VRS).
    B : bootstrap replicates (2 B n LPs; npsf's default 999).
    alpha : the level of the decision (reject H0 when p <= alpha).
    bandwidth : the kernel bandwidth rule of the smoothed draws, as :func:`frontier.bootstrap` (default
        ``"silverman"``; npsf uses ``"sj-dpi"``) or a number.
    random_state : seed (int) or ``numpy.random.Generator``; the same seed gives the same numbers whatever ``n_jobs``.
    n_jobs, method, chunk_size, progress : the engine's options, as for :func:`frontier.efficiency`.

    Returns
    -------
    ReturnsToScaleTestResult: ``test`` (one row: H0, statistic, p-value, B, decision), ``table`` (per DMU: the
    scores and their ratio), ``replicates`` (S*_b).
    """
    orientation, B, alpha, rule = _check_common(orientation, B, alpha, bandwidth, n_jobs, chunk_size)
    null, statistic = option_value(null), option_value(statistic)
    if null not in RTS_NULLS:
        raise ValueError(f"null must be one of {RTS_NULLS} (H0 constant or non-increasing returns; H1 is VRS), "
                         f"got {null!r}")
    if statistic not in RTS_STATISTICS:
        raise ValueError(f"statistic must be one of {RTS_STATISTICS}, got {statistic!r}")
    engine = dict(n_jobs=n_jobs, method=option_value(method), chunk_size=chunk_size)
    dea, id_columns, ids, problems = _bind(data, inputs, outputs, id, orientation, (null, "vrs"))
    n, every = len(data), np.arange(len(data))
    d = dea.matrix.shape[1]
    side = slice(0, len(dea.inputs)) if orientation == "input" else slice(len(dea.inputs), d)
    rng = _rng(random_state)
    with progress_bar(progress, 2 * n * (B + 1), unit="LP") as advance:
        runs = {rts: problems[rts].evaluate(every, every, detail=False, progress=advance, **engine)
                for rts in (null, "vrs")}
        null_score, vrs_score = runs[null].score, runs["vrs"].score
        distance = to_distance(null_score, orientation)
        rows = np.flatnonzero(np.isfinite(distance) & np.isfinite(vrs_score) & (null_score > 0))
        if len(rows) < 2:
            raise ValueError(f"the test needs at least 2 DMUs with both scores, found {len(rows)}")
        h = univariate_bandwidth(distance[rows], rule, orientation)
        k = len(rows)
        index = rng.integers(0, 2 * k, size=(B, k))
        noise = rng.standard_normal((B, k))
        draws = smoothed_draws(distance[rows], h, index, noise)
        boot_null, boot_vrs = np.full((B, n), np.nan), np.full((B, n), np.nan)
        per_map = max(1, MAP_VALUES // (k * d))
        for first in range(0, B, per_map):
            block = range(first, min(first + per_map, B))
            pseudo = pseudo_sample(dea.matrix[rows], distance[rows], draws[block.start:block.stop], side)
            requests = [(rows, pseudo[i]) for i in range(len(block))]
            for rts, into in ((null, boot_null), ("vrs", boot_vrs)):
                outs = problems[rts].evaluate_many(requests, detail=False, progress=advance, **engine)
                for b, out in zip(block, outs):
                    into[b, rows] = out.score
    observed = float(rts_statistic(null_score[rows], vrs_score[rows], statistic))
    replicates = rts_statistic(boot_null[:, rows], boot_vrs[:, rows], statistic)
    lower_rejects = orientation == "input"
    p, used = p_value(replicates, observed, lower_rejects)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = null_score / vrs_score
    labels = data.index
    table = pd.DataFrame({null: null_score, "vrs": vrs_score, "ratio": ratio, "status": _status_column(runs)},
                         index=labels)
    spec = spec_of(problems["vrs"], id=tuple(id_columns))
    return ReturnsToScaleTestResult(
        test=_test_row(f"the technology is {null.upper()}", "VRS", statistic, observed, p, used, alpha),
        table=table, replicates=pd.Series(replicates, index=pd.RangeIndex(B, name="replicate"), name="statistic"),
        null=null, statistic=statistic, orientation=orientation, bandwidth=float(h),
        bandwidth_rule=rule if isinstance(rule, str) else "given", B=B, alpha=alpha,
        random_state=_shown_seed(random_state), spec=spec, ids=ids)


def _test_row(h0: str, h1: str, statistic: str, observed: float, p: float, used: int, alpha: float
              ) -> pd.DataFrame:
    """The printable test table: one row."""
    decision = "not computed" if not np.isfinite(p) else "reject H0" if p <= alpha else "do not reject H0"
    return pd.DataFrame({"H0": [h0], "H1": [h1], "statistic": [statistic], "value": [observed], "p_value": [p],
                         "B": [used], "alpha": [alpha], "decision": [decision]})


# ----------------------------------------------------------------------------------------------------
# independence
# ----------------------------------------------------------------------------------------------------

def independence_statistic(scores: np.ndarray, position: np.ndarray) -> np.ndarray:
    """T = sum_i (F_n(s_i, w_i) - F_n(s_i) G_n(w_i))^2 of each row of ``scores`` (R x n) with the matching
    ``position`` (R x n x k): npsf's T4n (module docstring)."""
    below_score = scores[:, None, :] <= scores[:, :, None]                            # [r, i, j]: s_j <= s_i
    below_position = (position[:, None, :, :] <= position[:, :, None, :]).all(axis=-1)   # w_j <= w_i
    joint = (below_score & below_position).mean(axis=-1)
    return ((joint - below_score.mean(axis=-1) * below_position.mean(axis=-1)) ** 2).sum(axis=-1)


@public(TEST_INDEPENDENCE)
def test_independence(
    data: pd.DataFrame,
    inputs,
    outputs,
    *,
    id=None,
    orientation: str = "input",
    rts: str = "vrs",
    B: int = 999,
    alpha: float = 0.05,
    bandwidth=None,
    random_state=None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> IndependenceTestResult:
    """Test H0: the radial score is independent of where the DMU lies (the quantities held fixed and the mix of
    those scaled), Wilson's (2003) test as npsf's ``nptestind``: whether the homogeneous bootstrap's assumption
    holds. The statistic and the bootstrap are stated in :mod:`frontier.analyses.bootstrap_tests`.

    Parameters
    ----------
    data, inputs, outputs, id : as :func:`frontier.efficiency` (one cross-section).
    orientation : ``"input"`` (theta <= 1; the input mix; default) or ``"output"`` (phi >= 1; the output mix).
    rts : ``"vrs"`` (default), ``"crs"`` or ``"nirs"``: the technology of the scores.
    B : bootstrap replicates (no LP: the scores are drawn, the positions resampled; npsf's default 999).
    alpha : the level of the decision (reject H0 when p <= alpha).
    bandwidth : the bandwidth rule of the smoothed draws of the scores, as :func:`frontier.bootstrap` (default
        ``"silverman"``; npsf uses ``"sj-dpi"``) or a number.
    random_state : seed (int) or ``numpy.random.Generator``.
    n_jobs, method, chunk_size, progress : the engine's options for the n score LPs.

    Returns
    -------
    IndependenceTestResult: ``test`` (one row: H0, T, p-value, B, decision), ``table`` (per DMU: the score and
    its position W), ``replicates`` (T*_b).
    """
    orientation, B, alpha, rule = _check_common(orientation, B, alpha, bandwidth, n_jobs, chunk_size)
    rts = option_value(rts)
    if rts not in BOOTSTRAP_RTS:
        raise ValueError(f"rts must be one of {BOOTSTRAP_RTS}, got {rts!r}")
    engine = dict(n_jobs=n_jobs, method=option_value(method), chunk_size=chunk_size)
    dea, id_columns, ids, problems = _bind(data, inputs, outputs, id, orientation, (rts,))
    n, every = len(data), np.arange(len(data))
    m = len(dea.inputs)
    with progress_bar(progress, n, unit="LP") as advance:
        run = problems[rts].evaluate(every, every, detail=False, progress=advance, **engine)
    score = run.score
    distance = to_distance(score, orientation)
    rows = np.flatnonzero(np.isfinite(distance))
    if len(rows) < 3:
        raise ValueError(f"the test needs at least 3 DMUs with a score, found {len(rows)}")
    fixed, scaled = (dea.matrix[:, m:], dea.matrix[:, :m]) if orientation == "input" else \
        (dea.matrix[:, :m], dea.matrix[:, m:])
    position = heterogeneous_sample(fixed, scaled, distance)[:, :-1]
    names = list(dea.outputs if orientation == "input" else dea.inputs) \
        + [f"angle_{i + 1}" for i in range(scaled.shape[1] - 1)]
    k = len(rows)
    observed = float(independence_statistic(score[rows][None], position[rows][None])[0])

    rng = _rng(random_state)
    h = univariate_bandwidth(distance[rows], rule, orientation)
    index = rng.integers(0, 2 * k, size=(B, k))
    noise = rng.standard_normal((B, k))
    picks = rng.integers(0, k, size=(B, k))
    drawn = smoothed_draws(distance[rows], h, index, noise)
    drawn_scores = 1.0 / drawn if orientation == "input" else drawn
    replicates = np.empty(B)
    per_block = max(1, INDEPENDENCE_BLOCK // (k * k * position.shape[1]))
    for first in range(0, B, per_block):
        block = slice(first, min(first + per_block, B))
        replicates[block] = independence_statistic(drawn_scores[block], position[rows][picks[block]])
    p, used = p_value(replicates, observed, lower_rejects=False)
    mix = "input" if orientation == "input" else "output"
    table = pd.DataFrame(position, index=data.index, columns=names)
    table.insert(0, "score", score)
    table["status"] = np.asarray(run.status).astype(str)
    spec = spec_of(problems[rts], id=tuple(id_columns))
    return IndependenceTestResult(
        test=_test_row(f"the score is independent of the {mix} mix and the {'outputs' if mix == 'input' else 'inputs'}",
                       "dependence", "T4n", observed, p, used, alpha),
        table=table, replicates=pd.Series(replicates, index=pd.RangeIndex(B, name="replicate"), name="statistic"),
        orientation=orientation, rts=rts, bandwidth=float(h),
        bandwidth_rule=rule if isinstance(rule, str) else "given", B=B, alpha=alpha,
        random_state=_shown_seed(random_state), spec=spec, ids=ids)
