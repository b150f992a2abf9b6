"""Kernel bandwidths for the smoothed Simar-Wilson bootstraps (:func:`frontier.bootstrap`), one rule per software
a user may need to match. Every rule's formula is in docs/bootstrap.md ("Bandwidth rules").

The homogeneous bootstrap smooths the univariate density of the distances delta >= 1 (input: the Shephard distance
1/theta; output: the Farrell phi), reflected about 1. The rules, on the distances of one reference set of n DMUs:

* ``"silverman"`` (default): 1.06 min(sd, IQR/1.34) N^(-1/5) on the reflected sample {delta, 2 - delta} of the N/2
  inefficient DMUs, rescaled to n: h = h0 (N/n)^(1/5) sd(delta)/sd(reflected) (Daraio & Simar 2007, eqs.
  3.23-3.26).
* ``"lscv"``: least-squares cross-validation (R's ``bw.ucv``) on the same reflected sample, rescaled the same way.
* ``"benchmarking"``: R's Benchmarking (``dea.boot``) and Julia's DataEnvelopmentAnalysis.jl (``deaboot``): the
  Farrell scores (input theta <= 1, output phi >= 1) not within 1e-5 of 1 are reflected, {e, 2 - e} (2m values);
  h0 = 0.9 min(sd, IQR/1.349) (2m)^(-1/5); h = h0 (2m/n)^(1/5) sd(delta)/sd(reflected). In the input orientation
  the reflected set is built from theta while the rescaling uses sd(1/theta), as those packages code it.
* ``"sj"`` and ``"sj-dpi"``: Sheather & Jones (1991), the solve-the-equation and the direct plug-in rule, as R's
  ``bw.SJ(method = "ste" | "dpi")`` on the reflected Farrell scores {e, 2 - e} of all n DMUs, used as is: npsf's
  ``teradialbc`` (Badunenko & Mozharovskyi 2016) calls ``bw.SJ(c(te, 2 - te), method = "dpi")``.
* a positive number, used as given.

The heterogeneous bootstrap smooths a d-dimensional joint density with the kernel N(0, h^2 S) (S the sample
covariance); its rule is :func:`multivariate_normal_reference`.
"""
from __future__ import annotations

import numpy as np

from ..options import BANDWIDTH_RULES

UNIVARIATE_RULES = BANDWIDTH_RULES
SILVERMAN_CONSTANT = 1.06
BENCHMARKING_CONSTANT = 0.9
BENCHMARKING_TOL = 1e-5       # Benchmarking and DataEnvelopmentAnalysis.jl drop Farrell scores within this of 1
EFFICIENT_TOL = 1e-6          # a distance within this of 1 counts as efficient for the silverman and lscv rules
BINS = 1000                   # pair distances binned as R's bw.ucv and bw.SJ (nb = 1000)
SJ_DELTA_MAX = 1000.0         # R's DELMAX: pairs with (distance/h)^2 beyond it add nothing to the functionals


def _spread(values: np.ndarray, iqr_divisor: float = 1.34) -> float:
    """min(sd, IQR/divisor), the robust spread of Silverman's rule (sd alone when the IQR is 0)."""
    sd = values.std(ddof=1)
    q75, q25 = np.percentile(values, [75, 25])
    iqr = (q75 - q25) / iqr_divisor
    return float(iqr) if 0 < iqr < sd else float(sd)


def _pair_counts(x: np.ndarray, width: float, cells: bool) -> np.ndarray:
    """Counts of the pairs i < j by binned distance, ``BINS + 1`` bins of ``width`` (the last one open): the lag
    floor(|x_i - x_j| / width) (R's ``bw.ucv``), or with ``cells`` the lag |floor(x_i/width) - floor(x_j/width)|
    between the cells of the two values (R's ``bw_den``, used by ``bw.SJ``). Counted in blocks: memory O(N)."""
    N = len(x)
    cell = np.floor(x / width).astype(np.int64) if cells else None
    counts = np.zeros(BINS + 1)
    for a in range(0, N, 2048):
        stop = min(a + 2048, N)
        upper = np.arange(a, stop)[:, None] < np.arange(N)[None, :]          # each pair once: j > i
        if cells:
            lag = np.abs(cell[a:stop, None] - cell[None, :])[upper]
        else:
            lag = (np.abs(x[a:stop, None] - x[None, :])[upper] / width).astype(np.int64)
        counts += np.bincount(np.minimum(lag, BINS), minlength=BINS + 1)
    return counts


def lscv_bandwidth(values: np.ndarray) -> float:
    """Least-squares cross-validation bandwidth of a Gaussian kernel density estimate of ``values``.

    LSCV(h) = 1/(2 N h sqrt(pi)) + 1/(N^2 h sqrt(pi)) sum_{i<j} [exp(-D_ij^2/(4h^2)) - sqrt(8) exp(-D_ij^2/(2h^2))]
    with the pair distances D_ij binned into ``BINS`` bins, minimised over [0.1 hmax, hmax], hmax = 1.144
    sd N^(-1/5): R's ``bw.ucv``.
    """
    from scipy.optimize import minimize_scalar

    x = np.sort(np.asarray(values, dtype=float))
    N = len(x)
    width = (x[-1] - x[0]) / BINS
    counts = _pair_counts(x, width, cells=False)
    centers = (np.arange(BINS + 1) + 0.5) * width

    def lscv(h: float) -> float:
        u2 = (centers / h) ** 2
        terms = np.exp(-u2 / 4) - np.sqrt(8.0) * np.exp(-u2 / 2)
        return (0.5 + (counts * terms).sum() / N) / (N * h * np.sqrt(np.pi))

    hmax = 1.144 * x.std(ddof=1) * N ** (-0.2)
    grid = np.geomspace(0.1 * hmax, hmax, 40)
    best = int(np.argmin([lscv(h) for h in grid]))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    found = minimize_scalar(lscv, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6 * hmax})
    return float(found.x)


def sheather_jones_bandwidth(values: np.ndarray, method: str = "ste") -> float:
    """Sheather & Jones (1991) bandwidth of a Gaussian kernel density estimate of ``values``, as R's ``bw.SJ``.

    With the density functionals estimated from the binned pair distances D (bins of width w = 1.01 range / 1000
    on floor(x / w), R's ``bw_den``; lags k w):
        phi4(g) = [2 sum_k c_k exp(-u_k/2)(u_k^2 - 6 u_k + 3) + 3N] / (N (N - 1) g^5 sqrt(2 pi)),  u_k = (k w/g)^2,
        phi6(g) = [2 sum_k c_k exp(-u_k/2)(u_k^3 - 15 u_k^2 + 45 u_k - 15) - 15N] / (N (N - 1) g^7 sqrt(2 pi)),
    scale = min(sd, IQR/1.349), a = 1.24 scale N^(-1/7), b = 1.23 scale N^(-1/9), c1 = 1/(2 sqrt(pi) N),
    TD = -phi6(b):
        ``"dpi"`` (direct plug-in): h = (c1 / phi4((2.394/(N TD))^(1/7)))^(1/5);
        ``"ste"`` (solve the equation): the root of h = (c1 / phi4(alpha2 h^(5/7)))^(1/5) with
        alpha2 = 1.357 (phi4(a)/TD)^(1/7), bracketed as R does from [0.1 hmax, hmax], hmax = 1.144 scale N^(-1/5).
    R stops its root search at a tolerance of 0.1 lower; this solves to 1e-10 relative, so "ste" can differ from R's
    value by up to that tolerance ("dpi" has no search and matches).
    """
    from scipy.optimize import brentq

    x = np.asarray(values, dtype=float)
    N = len(x)
    width = 1.01 * (x.max() - x.min()) / BINS
    counts = _pair_counts(x, width, cells=True)
    lags2 = (np.arange(BINS + 1) * width) ** 2

    def functional(g: float, order: int) -> float:
        u = lags2 / (g * g)
        keep = u < SJ_DELTA_MAX
        u, c = u[keep], counts[keep]
        if order == 4:
            total = 2 * (c * np.exp(-u / 2) * (u * u - 6 * u + 3)).sum() + 3 * N
        else:
            total = 2 * (c * np.exp(-u / 2) * (u ** 3 - 15 * u * u + 45 * u - 15)).sum() - 15 * N
        return total / (N * (N - 1) * g ** (order + 1) * np.sqrt(2 * np.pi))

    scale = _spread(x, 1.349)
    c1 = 1 / (2 * np.sqrt(np.pi) * N)
    TD = -functional(1.23 * scale * N ** (-1 / 9), 6)
    if not np.isfinite(TD) or TD <= 0:
        raise ValueError("the Sheather-Jones bandwidth cannot be estimated: the sample is too sparse; pass "
                         "bandwidth='silverman' or a number")
    if method == "dpi":
        return float((c1 / functional((2.394 / (N * TD)) ** (1 / 7), 4)) ** 0.2)
    alpha2 = 1.357 * (functional(1.24 * scale * N ** (-1 / 7), 4) / TD) ** (1 / 7)

    def equation(h: float) -> float:
        return (c1 / functional(alpha2 * h ** (5 / 7), 4)) ** 0.2 - h

    hmax = 1.144 * scale * N ** (-0.2)
    lower, upper = 0.1 * hmax, hmax
    for attempt in range(100):
        if equation(lower) * equation(upper) <= 0:
            return float(brentq(equation, lower, upper, xtol=1e-12 * hmax, rtol=1e-10))
        if attempt % 2 == 0:
            upper *= 1.2
        else:
            lower /= 1.2
    raise ValueError("the Sheather-Jones equation has no root in the bandwidths searched; pass bandwidth='sj-dpi', "
                     "'silverman' or a number")


def univariate_bandwidth(distance: np.ndarray, rule, orientation: str, where: str = "") -> float:
    """The kernel bandwidth of the homogeneous bootstrap for the distances (>= 1) of one reference set under
    ``rule`` (see the module docstring); ``orientation`` says whether the Farrell score is 1/distance (input)."""
    if not isinstance(rule, str):
        return float(rule)
    n = len(distance)
    farrell = 1.0 / distance if orientation == "input" else distance
    if rule in ("sj", "sj-dpi"):
        return sheather_jones_bandwidth(np.concatenate([farrell, 2 - farrell]), "dpi" if rule == "sj-dpi" else "ste")
    if rule == "benchmarking":
        kept = farrell[np.abs(farrell - 1) > BENCHMARKING_TOL]
    else:
        kept = distance[distance > 1 + EFFICIENT_TOL]
    if len(kept) < 2:
        raise ValueError(f"bandwidth={rule!r} needs at least 2 inefficient DMUs{where} to estimate the density of "
                         f"efficiency, found {len(kept)}; pass bandwidth=<number>")
    reflected = np.concatenate([kept, 2 - kept])
    N = len(reflected)
    if rule == "silverman":
        h0 = SILVERMAN_CONSTANT * _spread(reflected) * N ** (-0.2)
    elif rule == "lscv":
        h0 = lscv_bandwidth(reflected)
    else:
        h0 = BENCHMARKING_CONSTANT * _spread(reflected, 1.349) * N ** (-0.2)
    return float(h0 * (N / n) ** 0.2 * distance.std(ddof=1) / reflected.std(ddof=1))


def multivariate_normal_reference(n: int, dimension: int) -> float:
    """Silverman's (1986, eq. 4.14) normal-reference bandwidth for a d-dimensional Gaussian kernel on sphered data
    (kernel covariance h^2 S, S the sample covariance): h = (4 / ((d + 2) n))^(1/(d + 4))."""
    return float((4.0 / ((dimension + 2) * n)) ** (1.0 / (dimension + 4)))
