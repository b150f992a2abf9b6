"""``partial_frontier()``: free disposal hull (FDH), order-m and order-alpha efficiency, with no LP.

Every estimator here is built on one number per pair of DMUs. Input orientation, DMU 0 and a DMU j that produces
at least as much (y_j >= y_0 in every output; the *dominating set* D_0, which holds DMU 0 itself):

    c_j = max_i x_ij / x_i0,

the smallest factor theta with theta x_0 >= x_j, i.e. the radial contraction of DMU 0's inputs that DMU j shows
possible. (An input DMU 0 does not use: 0 if DMU j does not use it either, else infinite.) Then, with K_0 = |D_0|
and c_(1) <= ... <= c_(K_0) the sorted values:

* FDH (Deprins, Simar & Tulkens 1984): theta = min_j c_j = c_(1) <= 1 (DMU 0 itself has c = 1);
* order-m (Cazals, Florens & Simar 2002): theta_m = E[min of c over m units drawn with replacement from D_0]
  = integral_0^inf (1 - F(u))^m du, F the empirical distribution of c over D_0. It may exceed 1 (DMU 0 is
  better than the expected best of m peers: super-efficient) and decreases to FDH as m grows;
* order-alpha (Aragon, Daouia & Thomas-Agnan 2005; Daouia & Simar 2007): theta_alpha = inf{theta : F(theta) >
  1 - alpha} = c_(k), k = floor((1 - alpha) K_0) + 1; alpha = 1 is FDH, and theta_alpha falls as alpha rises.

Output orientation is the mirror image: D_0 holds the DMUs using at most DMU 0's inputs (x_j <= x_0), c_j = min_r
y_rj / y_r0 (the expansion of DMU 0's outputs DMU j shows possible; an output DMU 0 does not make constrains
nothing), phi = max over D_0 for FDH (>= 1), the expected maximum of m draws for order-m and the k-th largest for
order-alpha (both may be < 1: super-efficient).

Computation: the c_j of a block of DMUs against all n are built with numpy (a running max over the inputs and a
running dominance mask over the outputs, ``BLOCK_VALUES`` pairs at a time, so memory stays bounded), set to
infinity outside D_0 and sorted along each row (FDH needs only the row minimum). Order-m draws B times, for every
DMU, the minimum of m uniform positions in its sorted row: the minimum of m independent uniforms U_1..U_m on (0, 1)
is distributed as 1 - V^(1/m) (V uniform), so the drawn position floor(K_0 (1 - V^(1/m))) has exactly the law of
the smallest of m positions drawn with replacement, and one draw costs O(1) instead of O(m). The uniforms V are
drawn in DMU order from ``numpy.random.default_rng(random_state)``, so a seed gives the same scores whatever the
block size. ``order_m_exact`` gives the expectation without draws (the sum over the sorted values), used by the
tests as the oracle.
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .._text import format_labels
from ..data import as_column_list, option_value, validate_frame
from ..options import PARTIAL_ESTIMATORS as ESTIMATORS, PARTIAL_ORIENTATIONS as ORIENTATIONS
from ..panel import row_ids
from ..results.base import ModelSettings
from ..results.partial import SOURCES, PartialFrontierResult, describe
from ._pipeline import Analysis, public, spec_of

DEFAULT_M = 25
DEFAULT_ALPHA = 0.95
DEFAULT_DRAWS = 200
BLOCK_VALUES = 2_000_000          # pairs (DMU, reference DMU) per block: 16 MB of float64

#: the grids of the outlier curve (Daraio & Simar 2007): the share of super-efficient DMUs against m or alpha
M_GRID = (1, 2, 3, 4, 5, 7, 10, 15, 20, 25, 30, 40, 50, 75, 100, 150, 200, 300, 500)
ALPHA_GRID = tuple(np.round(np.arange(0.80, 1.0 + 1e-9, 0.005), 3))


PARTIAL_FRONTIER = Analysis("partial_frontier", roles=("inputs", "outputs", "id"), result=PartialFrontierResult,
                            serves=None, engine=False)


# ----------------------------------------------------------------------------------------------------
# the pairwise values and the estimators
# ----------------------------------------------------------------------------------------------------

def pair_values(X: np.ndarray, Y: np.ndarray, rows: np.ndarray, orientation: str) -> np.ndarray:
    """c_j of every DMU in ``rows`` (k) against every DMU (n), k x n, infinite outside the dominating set; for the
    output orientation the negated min_r y_rj / y_r0, so that every estimator reads the smallest values."""
    if orientation == "input":
        own, other, scale, dominate = X[rows], X, Y, Y[rows]
    else:
        own, other, scale, dominate = Y[rows], Y, X, X[rows]
    k, n = len(rows), X.shape[0]
    c = np.full((k, n), -np.inf if orientation == "input" else np.inf)
    with np.errstate(divide="ignore", invalid="ignore"):
        for v in range(own.shape[1]):
            ratio = other[None, :, v] / own[:, v, None]
            if not (own[:, v] > 0).all():
                # 0/0: a variable neither uses (input) or that DMU 0 does not make (output) constrains nothing
                ratio[np.isnan(ratio)] = 0.0 if orientation == "input" else np.inf
            np.maximum(c, ratio, out=c) if orientation == "input" else np.minimum(c, ratio, out=c)
    inside = np.ones((k, n), dtype=bool)
    for v in range(scale.shape[1]):
        if orientation == "input":
            inside &= scale[None, :, v] >= dominate[:, v, None]
        else:
            inside &= scale[None, :, v] <= dominate[:, v, None]
    if orientation == "output":
        c = -c
    np.copyto(c, np.inf, where=~inside)
    return c


def blocks(n: int):
    """Consecutive row blocks of at most BLOCK_VALUES // n rows (at least one)."""
    size = max(1, BLOCK_VALUES // max(n, 1))
    for start in range(0, n, size):
        yield np.arange(start, min(n, start + size))


def order_alpha_position(K: np.ndarray, alpha: float) -> np.ndarray:
    """The 0-based position floor((1 - alpha) K) of the order-alpha score in each sorted row (alpha = 1: 0, FDH)."""
    return np.minimum(np.floor((1.0 - alpha) * K + 1e-12).astype(int), K - 1)


def order_m_positions(K: np.ndarray, m: int, uniforms: np.ndarray) -> np.ndarray:
    """Per DMU (rows) and draw (columns): the smallest of m positions drawn with replacement from 0..K-1, made
    from one uniform each (the minimum of m uniforms is 1 - V^(1/m))."""
    smallest = -np.expm1(np.log(uniforms) / m)                   # 1 - V^(1/m), accurate for large m
    return np.minimum(np.floor(K[:, None] * smallest).astype(int), K[:, None] - 1)


def order_m_exact(sorted_row: np.ndarray, m: int) -> float:
    """E[min of m draws with replacement] from the finite values of one sorted row (the expectation the draws
    estimate): sum_k c_(k) [((K - k + 1) / K)^m - ((K - k) / K)^m]."""
    values = sorted_row[np.isfinite(sorted_row)]
    K = len(values)
    above = ((K - np.arange(K)) / K) ** m
    below = ((K - np.arange(1, K + 1)) / K) ** m
    return float(np.sum(values * (above - below)))


def _draw_uniforms(rng: np.random.Generator, k: int, B: int) -> np.ndarray:
    """k x B uniforms in (0, 1] (never 0: log(V) must be finite)."""
    return 1.0 - rng.random((k, B))


def estimate(X: np.ndarray, Y: np.ndarray, orientation: str, estimator: str, *, m=None, alpha=None, B=None,
             rng=None, m_grid=(), alpha_grid=()):
    """The scores (in the package's convention: output scores positive), their Monte Carlo standard errors
    (order-m; else None), the size of each dominating set, and the super-efficient count at each value of the
    grids (order-m grid with the draws of ``rng``, which the scores share)."""
    n = X.shape[0]
    # c is theta (input) or -phi (output): beyond the frontier, super-efficient, is theta > 1 or -phi > -1
    sign = 1.0 if orientation == "input" else -1.0
    scores, K_all = np.empty(n), np.empty(n, dtype=int)
    se = np.empty(n) if estimator == "order_m" else None
    beyond_m, beyond_alpha = np.zeros(len(m_grid), dtype=int), np.zeros(len(alpha_grid), dtype=int)
    for rows in blocks(n):
        c = pair_values(X, Y, rows, orientation)
        K = np.isfinite(c).sum(axis=1)
        K_all[rows] = K
        if estimator == "fdh" and not len(m_grid) and not len(alpha_grid):
            scores[rows] = c.min(axis=1)
            continue
        c.sort(axis=1)
        here = np.arange(len(rows))[:, None]
        if estimator == "fdh":
            scores[rows] = c[:, 0]
        elif estimator == "order_alpha":
            scores[rows] = c[here[:, 0], order_alpha_position(K, alpha)]
        for g, a in enumerate(alpha_grid):
            beyond_alpha[g] += int(np.sum(c[here[:, 0], order_alpha_position(K, a)] > sign))
        if estimator == "order_m" or len(m_grid):
            uniforms = _draw_uniforms(rng, len(rows), B)
            if estimator == "order_m":
                draws = c[here, order_m_positions(K, m, uniforms)]
                scores[rows] = draws.mean(axis=1)
                se[rows] = draws.std(axis=1, ddof=1) / np.sqrt(B) if B > 1 else np.nan
            for g, mm in enumerate(m_grid):
                beyond_m[g] += int(np.sum(c[here, order_m_positions(K, mm, uniforms)].mean(axis=1) > sign))
    return sign * scores, se, K_all, beyond_m, beyond_alpha


# ----------------------------------------------------------------------------------------------------
# the checks
# ----------------------------------------------------------------------------------------------------

def _check_options(estimator, orientation, m, alpha, B, random_state) -> tuple:
    """The options as used; a ValueError for a wrong value, or for an option the estimator does not use (it would
    change nothing)."""
    estimator, orientation = option_value(estimator), option_value(orientation)
    if estimator not in ESTIMATORS:
        raise ValueError(f"estimator must be one of {ESTIMATORS}, got {estimator!r}")
    if orientation not in ORIENTATIONS:
        raise ValueError(f"orientation must be 'input' or 'output' (partial frontiers are radial), got "
                         f"{orientation!r}")
    unused = [name for name, value, user in (("m", m, "order_m"), ("B", B, "order_m"),
                                             ("random_state", random_state, "order_m"),
                                             ("alpha", alpha, "order_alpha"))
              if value is not None and estimator != user]
    if unused:
        raise ValueError(f"{', '.join(unused)} {'does' if len(unused) == 1 else 'do'} not apply to "
                         f"estimator={estimator!r} (m, B and random_state are order-m's; alpha is order-alpha's)")
    if estimator == "order_m":
        m = DEFAULT_M if m is None else m
        B = DEFAULT_DRAWS if B is None else B
        if isinstance(m, (bool, np.bool_)) or not isinstance(m, numbers.Integral) or m < 1:
            raise ValueError(f"m (the number of units each DMU is compared with) must be a whole number >= 1, "
                             f"got {m!r}")
        if isinstance(B, (bool, np.bool_)) or not isinstance(B, numbers.Integral) or B < 2:
            raise ValueError(f"B (the Monte Carlo draws per DMU) must be a whole number >= 2, got {B!r}: the "
                             "standard error needs two; 200 is usual")
        if random_state is None:
            random_state = int(np.random.SeedSequence().entropy)      # drawn, and reported so it can be repeated
        elif isinstance(random_state, (bool, np.bool_)) or \
                not isinstance(random_state, (numbers.Integral, np.random.Generator)):
            raise ValueError(f"random_state must be None, an integer seed or a numpy Generator, got {random_state!r}")
        m, B = int(m), int(B)
    if estimator == "order_alpha":
        alpha = DEFAULT_ALPHA if alpha is None else alpha
        if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, numbers.Real) or not 0 < alpha <= 1:
            raise ValueError(f"alpha (the order of the quantile frontier) must be in (0, 1], got {alpha!r}; "
                             "alpha = 1 is FDH, 0.95 to 0.99 are usual")
        alpha = float(alpha)
    return estimator, orientation, m, alpha, B, random_state


def _refuse_rows_without_scale(values: np.ndarray, labels: pd.Index, orientation: str) -> None:
    """A DMU with every input zero (input orientation) or every output zero (output) has no radial score."""
    none = ~(values > 0).any(axis=1)
    if none.any():
        side = "input" if orientation == "input" else "output"
        raise ValueError(f"rows {format_labels(labels[none])} have every {side} zero: an {side}-oriented score "
                         f"scales the {side}s, which these DMUs do not have; drop those rows, or use "
                         f"orientation={'output' if side == 'input' else 'input'!r}")


# ----------------------------------------------------------------------------------------------------
# the entry point
# ----------------------------------------------------------------------------------------------------

@public(PARTIAL_FRONTIER)
def partial_frontier(
    data: pd.DataFrame,
    inputs,
    outputs,
    *,
    estimator: str = "order_m",
    orientation: str = "input",
    m: int | None = None,
    alpha: float | None = None,
    B: int | None = None,
    random_state=None,
    id=None,
) -> PartialFrontierResult:
    """FDH, order-m or order-alpha efficiency of every DMU (row) of ``data``: frontiers robust to outliers.

    Parameters
    ----------
    data : DataFrame, one row per DMU; its index labels the DMUs.
    inputs, outputs : column names of the inputs and the (desirable) outputs. Bad outputs are not offered: the
        partial-frontier theory is for free-disposal technologies.
    estimator : ``"order_m"`` (default; Cazals, Florens & Simar 2002), ``"order_alpha"`` (Aragon, Daouia &
        Thomas-Agnan 2005) or ``"fdh"`` (Deprins, Simar & Tulkens 1984).
    orientation : ``"input"`` (default): theta, the factor DMU 0's inputs could shrink by (FDH <= 1; order-m and
        order-alpha may exceed 1, super-efficient); ``"output"``: phi, the factor its outputs could grow by (FDH
        >= 1; order-m and order-alpha may fall below 1).
    m : order-m: the number of units drawn (with replacement) among those producing at least as much (input) or
        using at most as much (output); default 25. As m grows order-m tends to FDH.
    alpha : order-alpha: the order in (0, 1] of the quantile frontier (default 0.95); 1 is FDH.
    B : order-m: Monte Carlo draws per DMU (default 200); ``std_error`` reports their error.
    random_state : order-m: an integer seed or a numpy Generator; the same seed gives the same scores. Default: a
        seed is drawn and reported (``result.random_state``), so the run can be repeated.
    id : column(s) identifying each DMU, leading :meth:`~frontier.PartialFrontierResult.to_frame` and every export.

    An option the estimator does not use (``m`` with ``"fdh"``...) is refused, as are negative, missing or
    non-numeric values and DMUs without any input (input orientation) or output (output orientation).

    Returns
    -------
    PartialFrontierResult with ``scores``, ``std_error`` (order-m), ``n_reference`` (the DMUs each score is taken
    over), ``outliers`` (the share of super-efficient DMUs against m or alpha, Daraio & Simar 2007) and ``plot``.
    """
    estimator, orientation, m, alpha, B, random_state = _check_options(estimator, orientation, m, alpha, B,
                                                                       random_state)
    id_columns = as_column_list(id, "id")
    clash = [c for c in id_columns if c in as_column_list(inputs, "inputs") + as_column_list(outputs, "outputs")]
    if clash:
        raise ValueError(f"column {clash[0]!r} is given both as id and as a variable; an identifier is not an "
                         "input or output")
    dea = validate_frame(data, inputs, outputs, other_columns=[c for c in id_columns if c in data.columns])
    ids = row_ids(data, id_columns, None)
    _refuse_rows_without_scale(dea.X if orientation == "input" else dea.Y, data.index, orientation)

    # the outlier curve: order-m's grid for order-m (its own draws), order-alpha's otherwise (deterministic)
    m_grid = tuple(sorted(set(M_GRID) | {m})) if estimator == "order_m" else ()
    alpha_grid = () if estimator == "order_m" else tuple(sorted(set(ALPHA_GRID) | ({alpha} if alpha else set())))
    rng = random_state if isinstance(random_state, np.random.Generator) else \
        np.random.default_rng(random_state) if estimator == "order_m" else None
    scores, se, K, beyond_m, beyond_alpha = estimate(dea.X, dea.Y, orientation, estimator, m=m, alpha=alpha, B=B,
                                                     rng=rng, m_grid=m_grid, alpha_grid=alpha_grid)
    n = len(data)
    if estimator == "order_m":
        outliers = pd.DataFrame({"m": m_grid, "share": beyond_m / n, "n": n})
    else:
        outliers = pd.DataFrame({"alpha": alpha_grid, "share": beyond_alpha / n, "n": n})
    settings = ModelSettings(model=estimator, orientation=orientation, rts="fdh", super_efficiency=estimator != "fdh",
                             bad_disposability=None, direction=None, weights=None, zeros="error",
                             inputs=dea.inputs, outputs=dea.outputs, bad_outputs=(),
                             description=describe(estimator, orientation, m, alpha),
                             parameters={"source": SOURCES[estimator]})
    labels = data.index
    return PartialFrontierResult(
        scores=pd.Series(scores, index=labels, name="score"),
        std_error=None if se is None else pd.Series(se, index=labels, name="std_error"),
        n_reference=pd.Series(K, index=labels, name="n_reference"),
        estimator=estimator, orientation=orientation, m=m, alpha=alpha, B=B,
        random_state="Generator" if isinstance(random_state, np.random.Generator) else random_state,
        outliers=outliers, spec=spec_of(settings, id=tuple(id_columns)), ids=ids)
