"""The draws of the heterogeneous smoothed bootstrap and the subsampling (m out of n) bootstrap of
:func:`frontier.bootstrap`; the homogeneous draws are in :mod:`frontier.efficiency_bootstrap`.

Heterogeneous (Simar & Wilson 2000, "A general methodology for bootstrapping in non-parametric frontier models",
sec. 4; coded after npsf's ``teradialbc, heterogeneous``): the efficiency may depend on where a DMU lies, so the
joint density of (the quantities held fixed, the mix of the quantities scaled, the distance) is smoothed instead of
the distance's alone. Input orientation (p inputs, q outputs): Z_j = (y_j, eta_j, delta_j) with the input mix in
polar angles eta_j (p - 1 of them; :func:`mix_angles`), and delta_j = 1/theta_j. Output orientation:
Z_j = (x_j, eta_j, phi_j) with eta the q - 1 angles of the outputs. With one input (one output) the mix is
degenerate: no angle, Z = (y, delta) (Z = (x, phi)). d = dim Z.

1. Reflect the distance: Z^R_j = Z_j with 2 - delta_j. S, S^R: the sample covariances of {Z_j} and {Z^R_j}.
2. Draw n rows with replacement from the 2n rows {Z_j} u {Z^R_j}; add kernel noise h eps, eps ~ N(0, S) for a row
   of {Z_j}, N(0, S^R) for a reflected one (a symmetric square root of the covariance, so a singular S, e.g. a
   constant output, is allowed); correct the variance about the draw's mean zbar*: Z** = zbar* + (Z* + h eps -
   zbar*) / sqrt(1 + h^2).
3. Keep a drawn row only if its quantities are >= 0, its angles in [0, pi/2] and it stays in the data's range as
   npsf requires (input orientation: each output <= the largest observed; output: each input >= the smallest);
   the rejected rows are replaced by the next draws (each round of step 2 is a full draw of n rows). Reflect the
   distance back: delta** = d if d >= 1 else 2 - d.
4. The pseudo DMU: its fixed quantities as drawn, the mix as drawn (x_dir from the angles, scaled so its largest
   element is 1), on the estimated frontier (theta_dir: the radial score of (x_dir, y**) against the original
   DMUs, so x_frontier = theta_dir x_dir), moved off it by its distance: x* = delta** theta_dir x_dir (output:
   y* = phi_dir y_dir / phi**). A drawn row whose frontier LP fails (its outputs cannot be produced by the
   estimated technology, VRS/NIRS) is left out of that replicate's reference set, as npsf does;
   ``BootstrapResult.reference_size`` counts the pseudo DMUs used.

The bandwidth is one scalar h for the sphered data (kernel covariance h^2 S): Silverman's (1986, eq. 4.14)
normal-reference rule h = (4/((d + 2) n))^(1/(d + 4)), or a number. npsf instead takes R's ``bw.SJ`` of each
column in the column's own units and multiplies it into noise already scaled by S (``cons2 * eps %*% chol(S)``),
which mixes units (docs/bootstrap.md).

Subsampling (Kneip, Simar & Wilson 2008; Simar & Wilson 2011): each replicate draws m = round(n^kappa) DMUs with
replacement and scores every DMU against them (npsf's ``subsampling``). The DEA distance converges at the rate
n^r, r = 2/(p + q + 1) under VRS (and NIRS) and r = 2/(p + q) under CRS (Park, Jeong & Simar 2010), so with
c = (m/n)^r: bias = c (mean_b delta*_b - delta); variance = c^2 var_b(delta*_b); and, with u_b = m^r (delta*_b /
delta - 1) and its quantiles q(alpha/2), q(1 - alpha/2), the interval [delta / (1 + n^-r q(1 - alpha/2)),
delta / (1 + n^-r q(alpha/2))] (Simar & Wilson 2011, as npsf codes it). npsf leaves the variance unscaled, so its
3 bias^2/var is c^2 times this one. kappa is given or chosen by the volatility method of Politis, Romano & Wolf
(2001) as Simar & Wilson (2011) use it: on the grid ``KAPPA_GRID`` the interval ends of every DMU are computed for
each kappa; the volatility of kappa_k is the mean over DMUs of sd(lower) + sd(upper) over the window kappa_(k-2)..
kappa_(k+2); the kappa of least volatility is used (one kappa per reference set).
"""
from __future__ import annotations

import warnings

import numpy as np

KAPPA_GRID = tuple(np.round(np.arange(0.50, 0.951, 0.05), 2))
VOLATILITY_HALF_WINDOW = 2
MAX_DRAW_ROUNDS = 1000        # rounds of n draws per replicate before a heterogeneous draw is given up


# ----------------------------------------------------------------------------------------------------
# heterogeneous
# ----------------------------------------------------------------------------------------------------

def mix_angles(values: np.ndarray) -> np.ndarray:
    """The polar (hyperspherical) angles of each row's mix (n x (K - 1)), in [0, pi/2] for non-negative rows:
    eta_k = arctan2(|(v_k+1, ..., v_K)|, v_k). With K = 2 this is arctan(v_2 / v_1), npsf's angle; unlike npsf's
    arctan(v_k+1 / v_1) for K > 2 it keeps the mix of a row whose first element is 0."""
    tails = np.sqrt(np.cumsum(values[:, ::-1] ** 2, axis=1)[:, ::-1])        # |(v_k, ..., v_K)|
    return np.arctan2(tails[:, 1:], values[:, :-1])


def mix_direction(angles: np.ndarray) -> np.ndarray:
    """The mix vector of each row's angles (v_k = sin eta_1 ... sin eta_k-1 cos eta_k, v_K = sin eta_1 ... sin
    eta_K-1), scaled so its largest element is 1."""
    n, k = angles.shape
    sines = np.hstack([np.ones((n, 1)), np.cumprod(np.sin(angles), axis=1)])
    direction = sines * np.hstack([np.cos(angles), np.ones((n, 1))])
    return direction / direction.max(axis=1, keepdims=True)


def heterogeneous_sample(fixed: np.ndarray, scaled: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """Z (n x d): the fixed quantities, the angles of the scaled quantities' mix, the distance (step 1)."""
    return np.column_stack([fixed, mix_angles(scaled), distance])


def _covariance_root(sample: np.ndarray) -> np.ndarray:
    """A symmetric square root A of the sample covariance S (A A = S; eigenvalues below 0 from rounding are 0)."""
    values, vectors = np.linalg.eigh(np.atleast_2d(np.cov(sample, rowvar=False)))
    return (vectors * np.sqrt(np.clip(values, 0, None))) @ vectors.T


def heterogeneous_draws(Z: np.ndarray, n_fixed: int, h: float, B: int, rng: np.random.Generator,
                        orientation: str) -> np.ndarray:
    """B x n x d drawn rows Z** (steps 2 and 3), distances reflected to >= 1. The columns are ``n_fixed`` fixed
    quantities, the angles, the distance; ``orientation`` picks the range rule of step 3."""
    n, d = Z.shape
    reflected = Z.copy()
    reflected[:, -1] = 2 - Z[:, -1]
    rows = np.vstack([Z, reflected])
    roots = np.stack([_covariance_root(Z), _covariance_root(reflected)])
    shrink = 1 / np.sqrt(1 + h * h)
    fixed, angles = slice(0, n_fixed), slice(n_fixed, d - 1)
    limit = Z[:, fixed].max(axis=0) if orientation == "input" else Z[:, fixed].min(axis=0)
    out = np.empty((B, n, d))
    for b in range(B):
        kept, count = [], 0
        for _ in range(MAX_DRAW_ROUNDS):
            index = rng.integers(0, 2 * n, size=n)
            noise = np.einsum("ij,ijk->ik", rng.standard_normal((n, d)), roots[(index >= n).astype(int)])
            drawn = rows[index]
            centre = drawn.mean(axis=0)
            drawn = centre + (drawn + h * noise - centre) * shrink
            inside = drawn[:, fixed] <= limit if orientation == "input" else drawn[:, fixed] >= limit
            good = ((drawn[:, fixed] >= 0).all(axis=1) & inside.all(axis=1)
                    & ((drawn[:, angles] >= 0) & (drawn[:, angles] <= np.pi / 2)).all(axis=1))
            kept.append(drawn[good])
            count += int(good.sum())
            if count >= n:
                break
        else:
            raise ValueError(f"the heterogeneous bootstrap kept only {count} of {n} drawn DMUs in "
                             f"{MAX_DRAW_ROUNDS} rounds (draws outside the data's range): pass a smaller bandwidth")
        out[b] = np.vstack(kept)[:n]
    out[:, :, -1] = np.where(out[:, :, -1] < 1, 2 - out[:, :, -1], out[:, :, -1])
    return out


def direction_points(drawn: np.ndarray, n_fixed: int, orientation: str) -> np.ndarray:
    """The points (k x d, inputs then outputs, data units) whose radial scores against the original DMUs put each
    drawn row's mix on the estimated frontier (step 4): (x_dir, y**) for input, (x**, y_dir) for output."""
    fixed = drawn[:, :n_fixed]
    mix = mix_direction(drawn[:, n_fixed:-1])
    return np.hstack([mix, fixed]) if orientation == "input" else np.hstack([fixed, mix])


def heterogeneous_pseudo(points: np.ndarray, frontier_score: np.ndarray, distance: np.ndarray, side: slice
                         ) -> np.ndarray:
    """The pseudo DMUs (step 4): the scaled side of each direction point moved to the frontier by its radial score
    and off it by its drawn distance (input: x* = delta** theta_dir x_dir; output: y* = phi_dir y_dir / phi**)."""
    pseudo = points.copy()
    factor = distance * frontier_score if side.start == 0 else frontier_score / distance
    pseudo[:, side] *= factor[:, None]
    return pseudo


# ----------------------------------------------------------------------------------------------------
# replicate LPs infeasible by a one-line certificate
# ----------------------------------------------------------------------------------------------------

REACH_MARGIN = 1e-6     # relative excess a certificate needs: far above the engine's accepted residuals (VERIFY_TOL)


def beyond_reach(fixed: np.ndarray, reference_fixed: np.ndarray, orientation: str, rts: str) -> np.ndarray:
    """Which rows of ``fixed`` (k x f: the quantities the radial LP holds fixed, outputs for input orientation,
    inputs for output) no reference point set (``reference_fixed``, r x f) can reach, so that their radial LP is
    infeasible; a cheap screen before the LPs of the heterogeneous and subsampling bootstraps, whose pseudo
    reference sets often cannot produce the largest DMUs' outputs under VRS (most of those replicates' LP time
    otherwise goes to the engine's exact proofs of infeasibility).

    The certificate is a weight vector w >= 0 with, input orientation, w'y > (1 + REACH_MARGIN) max_i w'y_i: every
    combination with sum(lambda) <= 1 (VRS, NIRS) has w'Y lambda <= max_i w'y_i, so none has Y lambda >= y. Two
    weights are tried, each unit vector (an output above every reference's) and w = y itself (the row's own
    direction). Output orientation under VRS (sum(lambda) = 1): w'x < (1 - REACH_MARGIN) min_i w'x_i, so no X lambda
    <= x. CRS, and NIRS output orientation (lambda = 0 is feasible), have no such certificate: nothing is screened.
    The margin keeps the screen clear of ties, which are left to the engine (the same answers as without it)."""
    k = fixed.shape[0]
    if rts == "crs" or (orientation == "output" and rts != "vrs") or len(reference_fixed) == 0:
        return np.zeros(k, dtype=bool)
    own = np.einsum("ij,ij->i", fixed, fixed)
    across = fixed @ reference_fixed.T                  # w'z_i with w = the row itself, every reference i
    if orientation == "input":
        top = reference_fixed.max(axis=0)
        return ((fixed > top * (1 + REACH_MARGIN)).any(axis=1)
                | (own > across.max(axis=1) * (1 + REACH_MARGIN)))
    bottom = reference_fixed.min(axis=0)
    return ((fixed < bottom * (1 - REACH_MARGIN)).any(axis=1)
            | (own < across.min(axis=1) * (1 - REACH_MARGIN)))


# ----------------------------------------------------------------------------------------------------
# subsampling
# ----------------------------------------------------------------------------------------------------

def convergence_rate(rts: str, n_inputs: int, n_outputs: int) -> float:
    """r of the DEA distance's rate n^r: 2/(p + q) under CRS, 2/(p + q + 1) under VRS and NIRS."""
    return 2.0 / (n_inputs + n_outputs + (0 if rts == "crs" else 1))


def subsample_size(n: int, kappa: float) -> int:
    """m = round(n^kappa), kept in [2, n - 1]: a reference set of two at least, and fewer DMUs than the data."""
    return int(min(max(round(n ** kappa), 2), n - 1))


def subsampling_estimates(distance: np.ndarray, boot: np.ndarray, m: np.ndarray, n: np.ndarray, rate: float,
                          alpha: float) -> dict:
    """Bias, variance and interval ends on the distance scale (module docstring) from replicate distances ``boot``
    (B x k, NaN where the LP failed) of k DMUs with subsample sizes ``m`` and reference-set sizes ``n`` (each
    scalar or per DMU)."""
    c = (m / n) ** rate
    with warnings.catch_warnings():      # a DMU with fewer than two solved replicates on a kappa of the grid: NaN
        warnings.simplefilter("ignore", RuntimeWarning)
        bias = c * (np.nanmean(boot, axis=0) - distance)
        variance = c * c * np.nanvar(boot, axis=0, ddof=1)
        u = m ** rate * (boot / distance - 1)
        low_q, high_q = np.nanquantile(u, [alpha / 2, 1 - alpha / 2], axis=0)
    with np.errstate(divide="ignore"):
        lower = np.where(1 + high_q / n ** rate > 0, distance / (1 + high_q / n ** rate), np.inf)
        upper = np.where(1 + low_q / n ** rate > 0, distance / (1 + low_q / n ** rate), np.inf)
    return {"bias": bias, "variance": variance, "lower": lower, "upper": upper}


def volatility_choice(lower: np.ndarray, upper: np.ndarray) -> tuple[int, np.ndarray]:
    """The grid position of least volatility and the volatility of each position (NaN where the window is
    incomplete), from the interval ends ``lower``, ``upper`` (grid x DMUs; NaN for a DMU without estimates)."""
    K = len(lower)
    k = VOLATILITY_HALF_WINDOW
    volatility = np.full(K, np.nan)
    for j in range(k, K - k):
        window = slice(j - k, j + k + 1)
        spread = np.std(lower[window], axis=0, ddof=1) + np.std(upper[window], axis=0, ddof=1)
        if np.isfinite(spread).any():
            volatility[j] = np.nanmean(np.where(np.isfinite(spread), spread, np.nan))
    if not np.isfinite(volatility).any():
        raise ValueError("the volatility method found no interval ends to compare across kappa; pass kappa=<number>")
    return int(np.nanargmin(volatility)), volatility
