"""Independent reference formulations of every ``frontier`` model, written with cvxpy straight from
``docs/formulations.md`` (§2.2 radial, §2.3 DDF / NDDF, §2.4 SBM, §2.5 super-SBM, §2.6 SBM-DDF).

Nothing here is imported from ``frontier``: every LP is written out per evaluated DMU on the raw data
(no scaling, no column generation, no patches), so agreement with ``frontier.efficiency`` is a genuine
cross-check of the formulations, the engine and the result decoding.

Conventions shared by every function
------------------------------------
``X`` (n x m), ``Y`` (n x s1), ``B`` (n x s2; may have 0 columns) are numpy arrays; ``o`` is the row of the
evaluated DMU; ``ref`` the rows spanning the frontier (default: all rows); ``super_eff=True`` removes ``o``
from ``ref`` (Andersen-Petersen / Tone 2002). ``rts`` is ``"crs" | "vrs" | "nirs" | "ndrs"``.
Every function returns ``(status, score)`` with status ``"optimal"``, ``"infeasible"`` or ``"unbounded"``
and score NaN unless optimal.
"""
from __future__ import annotations

import warnings

import cvxpy as cp
import numpy as np

SOLVER = "CLARABEL" if "CLARABEL" in cp.installed_solvers() else "HIGHS"
# interior point, tightened so that agreement to ~1e-7 is meaningful
SOLVER_OPTS = ({"tol_gap_abs": 1e-10, "tol_gap_rel": 1e-10, "tol_feas": 1e-10, "tol_ktratio": 1e-8}
               if SOLVER == "CLARABEL" else {})


# ----------------------------------------------------------------------------------------------------
# helpers
# ----------------------------------------------------------------------------------------------------

def _ref_rows(n: int, o: int, ref, super_eff: bool) -> np.ndarray:
    rows = np.arange(n) if ref is None else np.asarray(ref, dtype=int)
    if super_eff:
        rows = rows[rows != o]
    return rows


def _rts(total, rts: str, scale=1.0) -> list:
    """Returns-to-scale constraint on sum(lambda) (``scale`` = t in Charnes-Cooper form)."""
    if rts == "crs":
        return []
    if rts == "vrs":
        return [total == scale]
    if rts == "nirs":
        return [total <= scale]
    if rts == "ndrs":
        return [total >= scale]
    raise ValueError(rts)


def _solve(objective, constraints, value=None):
    prob = cp.Problem(objective, constraints)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)      # "solution may be inaccurate": handled below
            prob.solve(solver=SOLVER, **SOLVER_OPTS)
        retry = prob.status in cp.settings.INACCURATE
    except cp.error.SolverError:
        retry = True
    if retry and SOLVER != "HIGHS":       # an inaccurate interior-point answer: re-solve by simplex
        prob.solve(solver="HIGHS")
    if prob.status in (cp.OPTIMAL, cp.OPTIMAL_INACCURATE):
        return "optimal", float(prob.value if value is None else value())
    if prob.status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        return "infeasible", np.nan
    if prob.status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
        return "unbounded", np.nan
    return prob.status, np.nan


def _split(X, Y, B, rows):
    B = np.zeros((X.shape[0], 0)) if B is None else B
    return X[rows], Y[rows], B[rows], B


# ----------------------------------------------------------------------------------------------------
# §2.2 radial (CCR / BCC), input or output oriented, bad outputs weak (Kuosmanen) or strong
# ----------------------------------------------------------------------------------------------------

def radial(X, Y, B, o, *, rts="crs", orientation="input", disposability="weak", super_eff=False, ref=None):
    """theta = min theta (input) or phi = max phi (output).

    Weak disposability: B'z = b0; under CRS lambda = z; otherwise Kuosmanen (2005): lambda = z + u with u
    entering only the input rows and the returns-to-scale row. Strong: B'lambda <= b0 (bads not contracted).
    """
    rows = _ref_rows(X.shape[0], o, ref, super_eff)
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    x0, y0, b0 = X[o], Y[o], B[o]
    k = len(rows)
    z = cp.Variable(k, nonneg=True)
    kuosmanen = disposability == "weak" and rts != "crs" and B.shape[1] > 0
    u = cp.Variable(k, nonneg=True) if kuosmanen else None
    lam_x = z + u if kuosmanen else z
    score = cp.Variable()
    cons = []
    if orientation == "input":
        cons += [Xr.T @ lam_x <= score * x0, Yr.T @ z >= y0]
        objective = cp.Minimize(score)
    else:
        cons += [Xr.T @ lam_x <= x0, Yr.T @ z >= score * y0]
        objective = cp.Maximize(score)
    if B.shape[1]:
        cons += [Br.T @ z == b0] if disposability == "weak" else [Br.T @ z <= b0]
    cons += _rts(cp.sum(lam_x), rts)
    return _solve(objective, cons)


# ----------------------------------------------------------------------------------------------------
# §2.4 SBM (Tone 2001/2004) and §2.5 super-SBM (Tone 2002, slack form)
# ----------------------------------------------------------------------------------------------------

def _sbm_weights(m, s, weights):
    """Normalised weights: inputs share 1, good and bad outputs share 1 (default: equal)."""
    if weights is None:
        return np.full(m, 1.0 / m), (np.full(s, 1.0 / s) if s else np.zeros(0))
    w = np.asarray(weights, dtype=float)
    wi, wo = w[:m], w[m:]
    return wi / wi.sum(), (wo / wo.sum() if s else np.zeros(0))


def sbm(X, Y, B, o, *, rts="crs", orientation="nonoriented", weights=None, ref=None):
    """Tone's SBM rho in (0, 1].

    * non-oriented: the fractional program solved through its Charnes-Cooper LP (t, Lambda, S);
    * input: rho = min 1 - (1/m) sum s-/x0 (a plain LP over lambda, s);
    * output: rho = 1 / (1 + max (1/(s1+s2)) (sum sg/y0 + sum sb/b0)) (a plain LP, then the reciprocal).
    """
    rows = _ref_rows(X.shape[0], o, ref, False)
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    x0, y0, b0 = X[o], Y[o], B[o]
    m, s1, s2 = X.shape[1], Y.shape[1], B.shape[1]
    wi, wo = _sbm_weights(m, s1 + s2, weights)
    wy, wb = wo[:s1], wo[s1:]
    k = len(rows)
    if orientation == "nonoriented":
        t = cp.Variable(nonneg=True)
        L = cp.Variable(k, nonneg=True)
        Sm, Sg = cp.Variable(m, nonneg=True), cp.Variable(s1, nonneg=True)
        cons = [Xr.T @ L + Sm == t * x0, Yr.T @ L - Sg == t * y0]
        denom = t + (wy / y0) @ Sg
        if s2:
            Sb = cp.Variable(s2, nonneg=True)
            cons.append(Br.T @ L + Sb == t * b0)
            denom = denom + (wb / b0) @ Sb
        cons.append(denom == 1)
        cons += _rts(cp.sum(L), rts, t)
        return _solve(cp.Minimize(t - (wi / x0) @ Sm), cons)
    lam = cp.Variable(k, nonneg=True)
    sm, sg = cp.Variable(m, nonneg=True), cp.Variable(s1, nonneg=True)
    cons = [Xr.T @ lam + sm == x0, Yr.T @ lam - sg == y0] + _rts(cp.sum(lam), rts)
    if s2:
        sb = cp.Variable(s2, nonneg=True)
        cons.append(Br.T @ lam + sb == b0)
    if orientation == "input":
        return _solve(cp.Minimize(1 - (wi / x0) @ sm), cons)
    out_terms = (wy / y0) @ sg + ((wb / b0) @ sb if s2 else 0)
    status, best = _solve(cp.Maximize(out_terms), cons)
    return status, (1.0 / (1.0 + best) if status == "optimal" else np.nan)


def super_sbm(X, Y, B, o, *, rts="crs", orientation="nonoriented", weights=None, ref=None):
    """Tone's (2002) super-SBM delta >= 1, slack form of §2.5 (DMU o excluded from the reference set).

    * non-oriented: Charnes-Cooper LP of  [1 + avg s-/x0] / [1 - avg(sg/y0, sb/b0)];
    * input: delta = 1 + min avg s-/x0 with outputs and bads held (Y'l >= y0, B'l <= b0);
    * output: delta = 1 / (1 - min avg(sg/y0, sb/b0)) with inputs held (X'l <= x0).
    """
    rows = _ref_rows(X.shape[0], o, ref, True)
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    x0, y0, b0 = X[o], Y[o], B[o]
    m, s1, s2 = X.shape[1], Y.shape[1], B.shape[1]
    wi, wo = _sbm_weights(m, s1 + s2, weights)
    wy, wb = wo[:s1], wo[s1:]
    k = len(rows)
    if orientation == "nonoriented":
        t = cp.Variable(nonneg=True)
        L = cp.Variable(k, nonneg=True)
        Sm, Sg = cp.Variable(m, nonneg=True), cp.Variable(s1, nonneg=True)
        cons = [Xr.T @ L - Sm <= t * x0, Yr.T @ L + Sg >= t * y0, Sg <= t * y0]
        denom = t - (wy / y0) @ Sg
        if s2:
            Sb = cp.Variable(s2, nonneg=True)
            cons.append(Br.T @ L - Sb <= t * b0)
            denom = denom - (wb / b0) @ Sb
        cons.append(denom == 1)
        cons += _rts(cp.sum(L), rts, t)
        return _solve(cp.Minimize(t + (wi / x0) @ Sm), cons)
    lam = cp.Variable(k, nonneg=True)
    cons = _rts(cp.sum(lam), rts)
    if orientation == "input":
        sm = cp.Variable(m, nonneg=True)
        cons += [Xr.T @ lam - sm <= x0, Yr.T @ lam >= y0]
        if s2:
            cons.append(Br.T @ lam <= b0)
        return _solve(cp.Minimize(1 + (wi / x0) @ sm), cons)
    sg = cp.Variable(s1, nonneg=True)
    cons += [Xr.T @ lam <= x0, Yr.T @ lam + sg >= y0, sg <= y0]
    terms = (wy / y0) @ sg
    if s2:
        sb = cp.Variable(s2, nonneg=True)
        cons.append(Br.T @ lam - sb <= b0)
        terms = terms + (wb / b0) @ sb
    status, best = _solve(cp.Minimize(terms), cons)
    return status, (1.0 / (1.0 - best) if status == "optimal" else np.nan)


def hybrid_super_sbm(X, Y, B, o, *, tol=1e-6, **kw):
    """The hybrid score: SBM rho if rho < 1 - tol, otherwise the super-SBM delta."""
    status, rho = sbm(X, Y, B, o, **kw)
    if status == "optimal" and rho < 1 - tol:
        return status, rho
    return super_sbm(X, Y, B, o, **kw)


# ----------------------------------------------------------------------------------------------------
# §2.3 directional distance functions: radial DDF (beta free) and non-radial DDF (beta >= 0)
# ----------------------------------------------------------------------------------------------------

def _ddf_constraints(Xr, Yr, Br, x0, y0, b0, mx, my, mb, rts, disposability, bmax):
    """Envelopment rows for the moved point (mx, my, mb) (cvxpy expressions)."""
    k = Xr.shape[0]
    z = cp.Variable(k, nonneg=True)
    s2 = Br.shape[1]
    kuosmanen = disposability == "weak" and rts != "crs" and s2 > 0
    lam_x = z + cp.Variable(k, nonneg=True) if kuosmanen else z
    cons = [Xr.T @ lam_x <= mx, Yr.T @ z >= my]
    if s2:
        if disposability == "weak":
            cons.append(Br.T @ z == mb)
        else:
            cons.append(Br.T @ z <= mb)
            if disposability == "apz":
                cons.append(mb <= bmax)
    cons += _rts(cp.sum(lam_x), rts)
    return cons


def ddf(X, Y, B, o, g, *, rts="crs", disposability="weak", super_eff=False, ref=None):
    """D = max beta (free) s.t. X'l <= x0 - beta gx, Y'l >= y0 + beta gy, B'l (=, <=) b0 - beta gb.

    ``g`` is the direction (length m + s1 + s2, non-negative magnitudes). ``"apz"``: bads as inequalities
    plus b0 - beta gb <= max_j b_j (maximum over every row of the data).
    """
    rows = _ref_rows(X.shape[0], o, ref, super_eff)
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    m, s1 = X.shape[1], Y.shape[1]
    g = np.asarray(g, dtype=float)
    gx, gy, gb = g[:m], g[m:m + s1], g[m + s1:]
    beta = cp.Variable()
    bmax = B.max(axis=0) if B.shape[1] else None
    cons = _ddf_constraints(Xr, Yr, Br, X[o], Y[o], B[o], X[o] - beta * gx, Y[o] + beta * gy,
                            B[o] - beta * gb, rts, disposability, bmax)
    return _solve(cp.Maximize(beta), cons)


def nddf(X, Y, B, o, g, *, rts="crs", disposability="weak", weights=None, ref=None):
    """Non-radial DDF: max sum w_v beta_v, beta >= 0 (beta_v = 0 where g_v = 0), raw weights (default 1)."""
    rows = _ref_rows(X.shape[0], o, ref, False)
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    m, s1 = X.shape[1], Y.shape[1]
    d = m + s1 + B.shape[1]
    g = np.asarray(g, dtype=float)
    w = np.ones(d) if weights is None else np.asarray(weights, dtype=float)
    beta = cp.Variable(d, nonneg=True)
    move = cp.multiply(beta, g)
    bmax = B.max(axis=0) if B.shape[1] else None
    cons = _ddf_constraints(Xr, Yr, Br, X[o], Y[o], B[o], X[o] - move[:m], Y[o] + move[m:m + s1],
                            B[o] - move[m + s1:], rts, disposability, bmax)
    zero = np.flatnonzero(g == 0)
    if zero.size:
        cons.append(beta[zero] == 0)
    return _solve(cp.Maximize(w @ beta), cons)


# ----------------------------------------------------------------------------------------------------
# §2.6 SBM-DDF (Fukuyama & Weber 2009), slack form
# ----------------------------------------------------------------------------------------------------

def sbm_ddf_default_weights(m, s1, s2):
    return np.concatenate([np.full(m, 0.5 / m), np.full(s1 + s2, 0.5 / (s1 + s2))])


def sbm_ddf(X, Y, B, o, g, *, rts="crs", weights=None, ref=None):
    """S = max sum_v w_v s_v / g_v (terms with g_v = 0 left out)
    s.t. X'l + sx = x0, Y'l - sy = y0, B'l + sb = b0, l, s >= 0."""
    rows = _ref_rows(X.shape[0], o, ref, False)
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    m, s1, s2 = X.shape[1], Y.shape[1], B.shape[1]
    g = np.asarray(g, dtype=float)
    w = sbm_ddf_default_weights(m, s1, s2) if weights is None else np.asarray(weights, dtype=float)
    coef = np.where(g > 0, w / np.where(g > 0, g, 1.0), 0.0)
    lam = cp.Variable(len(rows), nonneg=True)
    s = cp.Variable(m + s1 + s2, nonneg=True)
    cons = [Xr.T @ lam + s[:m] == X[o], Yr.T @ lam - s[m:m + s1] == Y[o]]
    if s2:
        cons.append(Br.T @ lam + s[m + s1:] == B[o])
    cons += _rts(cp.sum(lam), rts)
    return _solve(cp.Maximize(coef @ s), cons)


# ----------------------------------------------------------------------------------------------------
# directions, as the frontier docs define them (non-negative magnitudes)
# ----------------------------------------------------------------------------------------------------

def direction(kind: str, X, Y, B) -> np.ndarray:
    """Direction matrix (n x d) for ``"observed" | "output" | "input" | "ones" | "mean"``."""
    B = np.zeros((X.shape[0], 0)) if B is None else B
    M = np.hstack([X, Y, B])
    m = X.shape[1]
    if kind == "observed":
        return M.copy()
    if kind == "ones":
        return np.ones_like(M)
    if kind == "mean":
        return np.tile(M.mean(axis=0), (M.shape[0], 1))
    G = M.copy()
    if kind == "output":
        G[:, :m] = 0.0
    elif kind == "input":
        G[:, m:] = 0.0
    else:
        raise ValueError(kind)
    return G


# ----------------------------------------------------------------------------------------------------
# §3.3 EBM (Tone & Tsutsui 2010), bad outputs in the MaxDEA-style form; the calibration of epsilon and weights
# ----------------------------------------------------------------------------------------------------

def _ebm_program(X, Y, B, o, rows, rts, orientation, eps_x, eps_y, wx, wo, bounded=False):
    """The EBM's variables, constraints, numerator and denominator in the paper's own (unscaled) variables;
    theta and phi are free, as in the paper, or (``bounded``, the non-oriented model of MaxDEA and Dearun)
    theta <= 1 and phi >= 1."""
    Xr, Yr, Br, B = _split(X, Y, B, rows)
    x0, y0, b0 = X[o], Y[o], B[o]
    s1 = Y.shape[1]
    lam = cp.Variable(len(rows), nonneg=True)
    sx = cp.Variable(X.shape[1], nonneg=True)
    sy = cp.Variable(s1, nonneg=True)
    sb = cp.Variable(B.shape[1], nonneg=True) if B.shape[1] else None
    theta = cp.Variable() if orientation != "output" else 1.0
    phi = cp.Variable() if orientation != "input" else 1.0
    cons = [Xr.T @ lam + sx == theta * x0, Yr.T @ lam - sy == phi * y0] + _rts(cp.sum(lam), rts)
    if bounded:
        cons += [theta <= 1, phi >= 1]
    out_term = (wo[:s1] / y0) @ sy
    if sb is not None:
        cons.append(Br.T @ lam + sb == phi * b0)
        out_term = out_term + (wo[s1:] / b0) @ sb
    numerator = theta - eps_x * ((wx / x0) @ sx)
    denominator = phi + eps_y * out_term
    return cons, numerator, denominator


def ebm(X, Y, B, o, *, rts="crs", orientation="input", epsilon=(0.5, 0.5), weights=None, super_eff=False, ref=None,
        bounded=False):
    """EBM score: gamma (input), 1/eta (output), kappa (non-oriented; Dinkelbach's parametric method on the
    ratio, not a Charnes-Cooper transform). ``epsilon`` = (eps_x, eps_y); ``weights`` over all variables, each
    side normalised to 1 (outputs good and bad together; default equal). ``super_eff`` removes o from the
    reference set. ``bounded`` (non-oriented): theta <= 1 and phi >= 1 (MaxDEA's and Dearun's form)."""
    B = np.zeros((X.shape[0], 0)) if B is None else B
    m, s = X.shape[1], Y.shape[1] + B.shape[1]
    wx, wo = _sbm_weights(m, s, weights)
    eps_x, eps_y = epsilon
    rows = _ref_rows(X.shape[0], o, ref, super_eff)
    cons, num, den = _ebm_program(X, Y, B, o, rows, rts, orientation, eps_x, eps_y, wx, wo, bounded)
    if orientation == "input":
        return _solve(cp.Minimize(num), cons)
    if orientation == "output":
        status, eta = _solve(cp.Maximize(den), cons)
        return status, (1.0 / eta if status == "optimal" else np.nan)
    # start from a ratio known to be attainable (1: the DMU itself) or, without the DMU, from far above
    kappa = 1.0 if o in rows else 1e3
    # a compact feasible set for the parametric LPs: under CRS and NIRS every point can be scaled down to den <= 1
    # (the ratio is scale invariant); under NDRS it can be scaled down to sum(lambda) = 1, where den is at most
    # a few times the data's spread, far below the cap; VRS is bounded as it is, and so is the bounded form
    # (X'lambda <= theta x0 <= x0 bounds lambda)
    cap = [] if bounded else {"crs": [den <= 1], "nirs": [den <= 1], "ndrs": [den <= 1e4]}.get(rts, [])
    for iteration in range(100):
        status, _ = _solve(cp.Minimize(num - kappa * den), cons + cap)
        if status != "optimal":
            return status, np.nan
        n_val, d_val = float(num.value), float(den.value)
        if iteration == 0 and kappa > 1 and d_val <= 1e-9:   # no feasible point with den > 0: no ratio
            return "infeasible", np.nan
        if n_val - kappa * d_val >= -1e-10:
            return "optimal", kappa
        kappa = n_val / d_val
    raise RuntimeError("Dinkelbach did not converge")


def hybrid_super_ebm(X, Y, B, o, *, tol=1e-6, **kw):
    """The EBM score where the DMU is inefficient, the self-excluded (super-EBM) score where it scores 1."""
    status, score = ebm(X, Y, B, o, **kw)
    if status == "optimal" and score < 1 - tol:
        return status, score
    return ebm(X, Y, B, o, super_eff=True, **kw)


def additive_projection(X, Y, B):
    """Every DMU projected by the VRS additive model max sum s-/x0 + sum s+/y0 + sum sb/b0 (rows: X, Y, B)."""
    B = np.zeros((X.shape[0], 0)) if B is None else B
    n = X.shape[0]
    out = []
    for o in range(n):
        lam = cp.Variable(n, nonneg=True)
        sx, sy = cp.Variable(X.shape[1], nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
        cons = [X.T @ lam + sx == X[o], Y.T @ lam - sy == Y[o], cp.sum(lam) == 1]
        obj = (1 / X[o]) @ sx + (1 / Y[o]) @ sy
        if B.shape[1]:
            sb = cp.Variable(B.shape[1], nonneg=True)
            cons.append(B.T @ lam + sb == B[o])
            obj = obj + (1 / B[o]) @ sb
        cp.Problem(cp.Maximize(obj), cons).solve(solver="HIGHS")
        out.append(np.concatenate([X.T @ lam.value, Y.T @ lam.value, B.T @ lam.value]))
    return np.array(out)


def ebm_parameters(P):
    """(epsilon, weights) of one side from its projected data P (n x k): the affinity matrix written out
    pair by pair as in the paper, its largest eigenvalue and (simple eigenvalue) its Perron vector."""
    n, k = P.shape
    if k == 1:
        return 0.0, np.ones(1)
    S = np.eye(k)
    for a in range(k):
        for b in range(k):
            if a != b:
                c = np.log(P[:, b] / P[:, a])
                spread = c.max() - c.min()
                S[a, b] = 1 - 2 * (0.0 if spread == 0 else np.abs(c - c.mean()).sum() / (n * spread))
    values, vectors = np.linalg.eigh(S)
    v = vectors[:, -1]
    v = v * np.sign(v.sum())
    return (k - values[-1]) / (k - 1), v / v.sum()


# ----------------------------------------------------------------------------------------------------
# formulations §3.4: minimum cost, maximum revenue, maximum profit (prices of the evaluated DMU)
# ----------------------------------------------------------------------------------------------------

def min_cost(X, Y, o, w, *, rts="crs"):
    """C* = min_{x, l} w'x  s.t.  X'l <= x,  Y'l >= y0,  l >= 0 (+ RTS)."""
    lam, x = cp.Variable(X.shape[0], nonneg=True), cp.Variable(X.shape[1], nonneg=True)
    return _solve(cp.Minimize(w @ x), [X.T @ lam <= x, Y.T @ lam >= Y[o]] + _rts(cp.sum(lam), rts))


def max_revenue(X, Y, o, p, *, rts="crs"):
    """R* = max_{y, l} p'y  s.t.  X'l <= x0,  Y'l >= y,  l >= 0 (+ RTS)."""
    lam, y = cp.Variable(X.shape[0], nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
    return _solve(cp.Maximize(p @ y), [X.T @ lam <= X[o], Y.T @ lam >= y] + _rts(cp.sum(lam), rts))


def max_profit(X, Y, w, p, *, rts="vrs"):
    """Pi* = max_{x, y, l} p'y - w'x  s.t.  X'l <= x,  Y'l >= y,  l >= 0 (+ RTS)."""
    lam = cp.Variable(X.shape[0], nonneg=True)
    x, y = cp.Variable(X.shape[1], nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
    return _solve(cp.Maximize(p @ y - w @ x), [X.T @ lam <= x, Y.T @ lam >= y] + _rts(cp.sum(lam), rts))


# ----------------------------------------------------------------------------------------------------
# formulations §3.6: the DDF at an arbitrary point, with the duals of its output and bad-output rows
# ----------------------------------------------------------------------------------------------------

def ddf_at_point(X, Y, B, x0, y0, b0, g, *, rts="crs", disposability="weak"):
    """D = max beta s.t. X'l <= x0 - beta gx, Y'l >= y0 + beta gy, B'l (=, <=) b0 - beta gb over the reference
    rows X, Y, B (the point (x0, y0, b0) is separate, so its right-hand side can be perturbed alone).

    Returns ``(status, D, dual_y, dual_b)``: cvxpy's duals of the desirable-output rows (>= 0) and the bad-output
    rows. cvxpy solves max beta as min -beta with the Lagrangian -beta + sum(dual * constraint residual), so
    dD/dy0 = -dual_y and dD/db0 = dual_b, and the shadow price of bad k in units of output r's price p is
    -p (dD/db_k)/(dD/dy_r) = p dual_b_k / dual_y_r.
    """
    m, s1 = X.shape[1], Y.shape[1]
    g = np.asarray(g, dtype=float)
    gx, gy, gb = g[:m], g[m:m + s1], g[m + s1:]
    beta = cp.Variable()
    lam = cp.Variable(X.shape[0], nonneg=True)
    goods = Y.T @ lam >= y0 + beta * gy
    bads = (B.T @ lam == b0 - beta * gb) if disposability == "weak" else (B.T @ lam <= b0 - beta * gb)
    status, value = _solve(cp.Maximize(beta), [X.T @ lam <= x0 - beta * gx, goods, bads] + _rts(cp.sum(lam), rts))
    if status != "optimal":
        return status, np.nan, None, None
    return status, value, np.asarray(goods.dual_value, dtype=float), np.asarray(bads.dual_value, dtype=float)


# ----------------------------------------------------------------------------------------------------
# multiplier forms (the LP duals of §2.2-2.6), for res.multipliers: weights v, u, mu and omega in data units
# ----------------------------------------------------------------------------------------------------

def multiplier_form(model, X, Y, B, o, *, rts="crs", orientation="input", disposability="weak", g=None,
                    weights=None, probe=None):
    """The multiplier (dual) form of ``model`` for DMU ``o``, written directly (not from any envelopment LP's duals).

    Every reference DMU j: ``v'x_j - u'y_j + mu'b_j + omega >= 0`` (radial / DDF / NDDF with weak bads under a
    convexity row also ``v'x_j + omega >= 0``, Kuosmanen's abatement columns); v, u >= 0; mu >= 0 unless the bad
    rows are equalities (weak; SBM's slack rows give their own bounds); omega = 0 (CRS), >= 0 (NIRS), <= 0 (NDRS).

    * radial input:  max u'y0 - mu'b0 - omega, v'x0 = 1;    radial output: min v'x0 + mu'b0 + omega, u'y0 = 1;
    * ddf:           min v'x0 - u'y0 + mu'b0 + omega, v'g_x + u'g_y + mu'g_b = 1;
    * nddf:          the same objective, v_v g_v >= w_v where g_v > 0;
    * sbm_ddf:       the same objective, every weight >= w_v / g_v (0 where g_v = 0);
    * sbm:           max xi, xi + v'x0 - u'y0 + mu'b0 + omega = 1, v >= w_i/x_i0, u >= xi w_r/y_r0, mu >= xi w_k/b_k0
                     (``orientation`` "input" drops the output bounds' weights, "output" the input ones).

    Returns ``(status, value, w)`` with ``w`` = concatenated (v, u, mu, omega). With ``probe`` (a vector like
    ``w``), instead returns the (min, max) of ``probe'w`` over the optimal face (the value held within 1e-9): equal
    when the dual is unique.
    """
    B = np.zeros((X.shape[0], 0)) if B is None else B
    m, s1, s2 = X.shape[1], Y.shape[1], B.shape[1]
    x0, y0, b0 = X[o], Y[o], B[o]
    v, u = cp.Variable(m), cp.Variable(s1)
    mu = cp.Variable(s2) if s2 else None
    omega = cp.Variable()
    cons = [v >= 0, u >= 0]
    bad_term = (lambda b: mu @ b) if s2 else (lambda b: 0)
    cons.append(X @ v - Y @ u + (B @ mu if s2 else 0) + omega >= 0)
    if model in ("radial", "ddf", "nddf") and disposability == "weak" and rts != "crs" and s2:
        cons.append(X @ v + omega >= 0)
    if s2 and model != "sbm" and not (model in ("radial", "ddf", "nddf") and disposability == "weak"):
        cons.append(mu >= 0)
    cons += {"crs": [omega == 0], "vrs": [], "nirs": [omega >= 0], "ndrs": [omega <= 0]}[rts]
    d = m + s1 + s2
    if model == "radial" and orientation == "input":
        cons.append(v @ x0 == 1)
        value, sense = u @ y0 - bad_term(b0) - omega, "max"
    elif model == "radial":
        cons.append(u @ y0 == 1)
        value, sense = v @ x0 + bad_term(b0) + omega, "min"
    elif model == "sbm":
        wi, wo = _sbm_weights(m, s1 + s2, weights)
        wi, wo = (wi * (orientation != "output"), wo * (orientation != "input"))   # an oriented score drops a side
        xi = cp.Variable()
        cons += [xi + v @ x0 - u @ y0 + bad_term(b0) + omega == 1, v >= wi / x0, u >= xi * wo[:s1] / y0]
        if s2:
            cons.append(mu >= xi * wo[s1:] / b0)
        value, sense = xi, "max"
    else:
        g = np.asarray(g, dtype=float)
        gx, gy, gb = g[:m], g[m:m + s1], g[m + s1:]
        value, sense = v @ x0 - u @ y0 + bad_term(b0) + omega, "min"
        if model == "ddf":
            cons.append(v @ gx + u @ gy + (mu @ gb if s2 else 0) == 1)
        else:
            w = (np.ones(d) if weights is None else np.asarray(weights, dtype=float)) if model == "nddf" else \
                (sbm_ddf_default_weights(m, s1, s2) if weights is None else np.asarray(weights, dtype=float))
            parts = [(v, slice(0, m)), (u, slice(m, m + s1))] + ([(mu, slice(m + s1, d))] if s2 else [])
            for var, side in parts:
                if model == "nddf":
                    pos = np.flatnonzero(g[side] > 0)
                    if pos.size:
                        cons.append(cp.multiply(g[side][pos], var[pos]) >= w[side][pos])
                else:
                    gs = g[side]
                    cons.append(var >= np.where(gs > 0, w[side] / np.where(gs > 0, gs, 1.0), 0.0))
    stacked = cp.hstack([v, u] + ([mu] if s2 else []) + [cp.reshape(omega, (1,), order="C")])
    return _dual_answer(value, sense, cons, stacked, probe)


def _dual_answer(value, sense, cons, stacked, probe):
    """Solve a multiplier form: ``(status, value, weights)``, or with ``probe`` ``(status, value, (min, max,
    weights))`` with min / max of ``probe'weights`` over the optimal face (equal when the dual is unique)."""
    objective = cp.Maximize(value) if sense == "max" else cp.Minimize(value)
    status, best = _solve(objective, cons)
    if status != "optimal":
        return status, np.nan, None
    if probe is None:
        return status, best, np.asarray(stacked.value, dtype=float)
    face = cons + [value >= best - 1e-9 * (1 + abs(best))] if sense == "max" else \
        cons + [value <= best + 1e-9 * (1 + abs(best))]
    low = _solve(cp.Minimize(probe @ stacked), face)[1]
    high = _solve(cp.Maximize(probe @ stacked), face)[1]
    return status, best, (low, high, np.asarray(stacked.value, dtype=float))


def _weights_and_hyperplane(X, Y, B, rows):
    """The multiplier variables (v, u, mu, omega) and the supporting hyperplane over the reference ``rows``."""
    s2 = B.shape[1]
    v, u, omega = cp.Variable(X.shape[1]), cp.Variable(Y.shape[1]), cp.Variable()
    mu = cp.Variable(s2) if s2 else None
    plane = X[rows] @ v - Y[rows] @ u + (B[rows] @ mu if s2 else 0) + omega >= 0
    return v, u, mu, omega, plane


def ebm_multiplier_form(X, Y, B, o, *, rts="crs", orientation="input", epsilon=(0.5, 0.5), weights=None,
                        super_eff=False, probe=None, bounded=False):
    """The dual of Tone & Tsutsui's (2010) EBM (their models (3), (9), (14); formulations §3.3, bad outputs on the
    output side as in the primal), written directly. With c- = eps_x w-/x0, c+ = eps_y w+/y0, cb = eps_y wb/b0 and
    the hyperplane ``v'x_j - u'y_j + mu'b_j + omega >= 0`` over the reference DMUs:

    * input:        max u'y0 - mu'b0 - omega,  v'x0 = 1, v >= c-, u, mu >= 0  (= gamma);
    * output:       min v'x0 + omega,  u'y0 - mu'b0 = 1, v >= 0, u >= c+, mu >= cb  (= eta; the score is 1/eta);
    * non-oriented: max xi = u'y0 - mu'b0 - omega, v'x0 = 1, v >= c-, u >= xi c+, mu >= xi cb  (= kappa); under
      VRS the Charnes-Cooper row ``sum Lambda = t`` with t >= 0 free gives omega <= 0;
    * non-oriented, bounded form (theta <= t, phi >= t in Charnes-Cooper form; CRS: theta <= phi), the LP dual with
      a, b >= 0 the duals of those rows (CRS: one row, b = a): max xi s.t. v'x0 <= 1 + a, xi <= u'y0 - mu'b0 - b,
      omega <= b - a (t's column), v >= c-, u >= xi c+, mu >= xi cb.

    omega = 0 (CRS), free (VRS), >= 0 (NIRS), <= 0 (NDRS). Returns as :func:`multiplier_form`."""
    B = np.zeros((X.shape[0], 0)) if B is None else B
    m, s1, s2 = X.shape[1], Y.shape[1], B.shape[1]
    wx, wo = _sbm_weights(m, s1 + s2, weights)
    x0, y0, b0 = X[o], Y[o], B[o]
    rows = _ref_rows(X.shape[0], o, None, super_eff)
    v, u, mu, omega, plane = _weights_and_hyperplane(X, Y, B, rows)
    cons = [plane, v >= 0, u >= 0] + ([mu >= 0] if s2 else [])
    cons += {"crs": [omega == 0], "vrs": [], "nirs": [omega >= 0], "ndrs": [omega <= 0]}[rts]
    eps_x, eps_y = epsilon
    good = u @ y0 - (mu @ b0 if s2 else 0)
    if orientation == "output":
        cons += [good == 1, u >= eps_y * wo[:s1] / y0] + ([mu >= eps_y * wo[s1:] / b0] if s2 else [])
        value, sense = v @ x0 + omega, "min"
    else:
        bounds = orientation == "nonoriented" and bounded
        a, b = cp.Variable(nonneg=True), cp.Variable(nonneg=True)      # the bounded form's row duals
        cons += [v @ x0 <= 1 + a if bounds else v @ x0 == 1, v >= eps_x * wx / x0]
        value, sense = good - omega, "max"
        if orientation == "nonoriented":
            xi = cp.Variable()
            cons += [u >= xi * eps_y * wo[:s1] / y0] + ([mu >= xi * eps_y * wo[s1:] / b0] if s2 else [])
            if bounds:
                cons += [xi <= good - b] + ([b == a] if rts == "crs" else [omega <= b - a])
            else:
                cons += [xi == value] + ([omega <= 0] if rts == "vrs" else [])
            value = xi
    stacked = cp.hstack([v, u] + ([mu] if s2 else []) + [cp.reshape(omega, (1,), order="C")])
    return _dual_answer(value, sense, cons, stacked, probe)


def super_sbm_multiplier_form(X, Y, B, o, *, rts="crs", orientation="nonoriented", weights=None, probe=None):
    """The dual of Tone's (2002) super-SBM with bad outputs (formulations §2.5, its linearisation), written directly:
    over the DMUs j != o,

        delta = max xi  s.t.  xi + v'x0 - (u - c)'y0 + mu'b0 + omega = 1,  v'x_j - u'y_j + mu'b_j + omega >= 0,
                              0 <= v <= w-/x0,  u >= 0,  c >= 0,  u - c <= xi wg/y0,  0 <= mu <= xi wb/b0

    (c: the caps sg <= y0; "input" drops the output bounds, "output" the input ones; omega as in
    :func:`multiplier_form`). The weights returned are (v, u - c, mu, omega)."""
    B = np.zeros((X.shape[0], 0)) if B is None else B
    m, s1, s2 = X.shape[1], Y.shape[1], B.shape[1]
    wx, wo = _sbm_weights(m, s1 + s2, weights)
    x0, y0, b0 = X[o], Y[o], B[o]
    v, u, mu, omega, plane = _weights_and_hyperplane(X, Y, B, _ref_rows(X.shape[0], o, None, True))
    c, xi = cp.Variable(s1, nonneg=True), cp.Variable()
    cons = [plane, v >= 0, u >= 0] + ([mu >= 0] if s2 else [])
    cons += {"crs": [omega == 0], "vrs": [], "nirs": [omega >= 0], "ndrs": [omega <= 0]}[rts]
    cons.append(xi + v @ x0 - (u - c) @ y0 + (mu @ b0 if s2 else 0) + omega == 1)
    if orientation != "output":
        cons.append(v <= wx / x0)
    if orientation != "input":
        cons.append(u - c <= xi * wo[:s1] / y0)
        if s2:
            cons.append(mu <= xi * wo[s1:] / b0)
    stacked = cp.hstack([v, u - c] + ([mu] if s2 else []) + [cp.reshape(omega, (1,), order="C")])
    return _dual_answer(xi, "max", cons, stacked, probe)


def economic_with_bads(kind, X, Y, B, o, w=None, p=None, *, rts="vrs", disposability="weak"):
    """Minimum cost, maximum revenue or maximum profit with bad outputs held at b0 (not priced): the technology of
    §2.2, B'z = b0 (weak; Kuosmanen lambda = z + u under a convexity row) or B'z <= b0 (strong), and
    X'lambda <= x, Y'z >= y with x (cost, profit) and y (revenue, profit) optimised, else the DMU's own."""
    n = X.shape[0]
    z = cp.Variable(n, nonneg=True)
    kuosmanen = disposability == "weak" and rts != "crs"
    lam_x = z + cp.Variable(n, nonneg=True) if kuosmanen else z
    x = cp.Variable(X.shape[1], nonneg=True) if kind in ("cost", "profit") else X[o]
    y = cp.Variable(Y.shape[1], nonneg=True) if kind in ("revenue", "profit") else Y[o]
    cons = [X.T @ lam_x <= x, Y.T @ z >= y]
    cons.append(B.T @ z == B[o] if disposability == "weak" else B.T @ z <= B[o])
    cons += _rts(cp.sum(lam_x), rts)
    objective = {"cost": lambda: cp.Minimize(w @ x), "revenue": lambda: cp.Maximize(p @ y),
                 "profit": lambda: cp.Maximize(p @ y - w @ x)}[kind]()
    return _solve(objective, cons)


def network_two_stage(X, Z, Y, o, model="relational", rts="crs", first_stage=False):
    """Two-stage network DEA in multiplier form, written from the papers (x -> stage 1 -> z -> stage 2 -> y).

    Relational (Kao & Hwang 2008, CRS): max u'y_o s.t. v'x_o = 1; w'z_j - v'x_j <= 0; u'y_j - w'z_j <= 0.
    Additive (Chen, Cook, Li & Zhu 2009): max w'z_o + u'y_o (+ uA + uB) s.t. v'x_o + w'z_o = 1;
    w'z_j + uA - v'x_j <= 0; u'y_j + uB - w'z_j <= 0 (uA, uB free under VRS, 0 under CRS).
    ``first_stage``: the tie rule instead (stage 1's efficiency maximised with the system score held at its
    optimum, Charnes-Cooper with v'x_o = 1); returns (system, stage 1 score)."""
    v = cp.Variable(X.shape[1], nonneg=True)
    w = cp.Variable(Z.shape[1], nonneg=True)
    u = cp.Variable(Y.shape[1], nonneg=True)
    free = cp.Variable(2) if rts == "vrs" else np.zeros(2)
    cons = [Z @ w + free[0] - X @ v <= 0, Y @ u + free[1] - Z @ w <= 0]
    if model == "relational":
        status, system = _solve(cp.Maximize(Y[o] @ u), cons + [X[o] @ v == 1])
    else:
        status, system = _solve(cp.Maximize(Z[o] @ w + Y[o] @ u + cp.sum(free)), cons + [X[o] @ v + Z[o] @ w == 1])
    if not first_stage:
        return system
    if model == "relational":
        tie = cons + [X[o] @ v == 1, Y[o] @ u >= system * (1 - 1e-9)]
    else:
        tie = cons + [X[o] @ v == 1, Z[o] @ w + Y[o] @ u + cp.sum(free) >= system * (1 - 1e-9) * (1 + Z[o] @ w)]
    _, first = _solve(cp.Maximize(Z[o] @ w + free[0]), tie)
    return system, first


def network_sbm(nodes, links, o, *, orientation="nonoriented", rts=None, weights=None):
    """Tone & Tsutsui's (2009) network SBM overall efficiency of DMU ``o``, written from the paper (models (9),
    (14), (18)), bad outputs on the output side as in Tone's SBM (Tone 2004).

    ``nodes``: per node ``{"X": n x m_k, "Y": n x r_k, "B": n x q_k}`` (absent or empty matrices allowed);
    ``links``: ``(z, from, to, fixed)`` with ``z`` the n values of the link; ``rts``: per node "crs" / "vrs";
    ``weights``: per node (summing to 1). Input and output orientations are plain LPs in lambda and s; the
    non-oriented ratio goes through its Charnes-Cooper LP."""
    K = len(nodes)
    rts = rts or ["crs"] * K
    weights = np.full(K, 1.0 / K) if weights is None else np.asarray(weights, dtype=float)
    n = next(np.asarray(v).shape[0] for node in nodes for v in node.values())
    scaled = orientation == "nonoriented"
    t = cp.Variable(nonneg=True) if scaled else 1.0
    lam = [cp.Variable(n, nonneg=True) for _ in range(K)]
    cons, in_terms, out_terms = [], [], []
    for k, node in enumerate(nodes):
        parts = {key: np.asarray(node.get(key, np.zeros((n, 0))), dtype=float).reshape(n, -1)
                 for key in ("X", "Y", "B")}
        X, Y, B = parts["X"], parts["Y"], parts["B"]
        sx = cp.Variable(X.shape[1], nonneg=True) if X.shape[1] else None
        sy = cp.Variable(Y.shape[1], nonneg=True) if Y.shape[1] else None
        sb = cp.Variable(B.shape[1], nonneg=True) if B.shape[1] else None
        a_terms, b_terms = 0, 0
        if sx is not None:
            cons.append(X.T @ lam[k] + sx == t * X[o])
            a_terms = cp.sum(cp.multiply(1.0 / X[o], sx)) / X.shape[1]
        if sy is not None:
            cons.append(Y.T @ lam[k] - sy == t * Y[o])
        if sb is not None:
            cons.append(B.T @ lam[k] + sb == t * B[o])
        n_out = Y.shape[1] + B.shape[1]
        if n_out:
            b_terms = (cp.sum(cp.multiply(1.0 / Y[o], sy)) if sy is not None else 0) \
                + (cp.sum(cp.multiply(1.0 / B[o], sb)) if sb is not None else 0)
            b_terms = b_terms / n_out
        if rts[k] == "vrs":
            cons.append(cp.sum(lam[k]) == t)
        in_terms.append(weights[k] * a_terms)
        out_terms.append(weights[k] * b_terms)
    for z, k, h, fixed in links:
        z = np.asarray(z, dtype=float)
        if fixed:
            cons += [z @ lam[k] == t * z[o], z @ lam[h] == t * z[o]]
        else:
            cons.append(z @ lam[k] == z @ lam[h])
    if orientation == "input":
        return _solve(cp.Minimize(1 - sum(in_terms)), cons)
    if orientation == "output":
        status, best = _solve(cp.Maximize(sum(out_terms)), cons)
        return status, (1.0 / (1.0 + best) if status == "optimal" else np.nan)
    cons.append(t + sum(out_terms) == 1)
    return _solve(cp.Minimize(t - sum(in_terms)), cons)


def dynamic_network_sbm(periods, o, *, orientation="nonoriented", rts=None, node_weights=None, period_weights=None):
    """Tone & Tsutsui's (2014) dynamic network SBM overall efficiency of DMU ``o``, written from the paper: per period
    t and node k an intensity vector; inputs, outputs, bad outputs (output side, as in Tone 2004) and carry-overs of
    node k in period t, with the slacks of their kinds (good: shortfall, bad: excess, free: free, fixed: none);
    the within-period links (free: continuity; fixed: both ends at the DMU's value); the continuity of every
    carry-over of node k between t and t + 1; overall = (sum_t W_t sum_k w_k a_tk) / (sum_t W_t sum_k w_k b_tk).

    ``periods``: per period ``{"nodes": [per node {"X", "Y", "B", "good", "bad", "free", "fixed"}: n x count
    matrices, absent = none], "links": [(z, from, to, fixed)]}``; ``rts``: per node; weights: per node and per
    period, each summing to 1. Input and output orientations are plain LPs; the non-oriented ratio goes through its
    Charnes-Cooper LP."""
    T, K = len(periods), len(periods[0]["nodes"])
    rts = rts or ["crs"] * K
    w = np.full(K, 1.0 / K) if node_weights is None else np.asarray(node_weights, dtype=float)
    W = np.full(T, 1.0 / T) if period_weights is None else np.asarray(period_weights, dtype=float)
    n = next(np.asarray(v).shape[0] for v in periods[0]["nodes"][0].values())
    scaled = orientation == "nonoriented"
    t_var = cp.Variable(nonneg=True) if scaled else 1.0
    lam = [[cp.Variable(n, nonneg=True) for _ in range(K)] for _ in range(T)]
    cons, in_terms, out_terms = [], 0, 0

    def matrix(node, key):
        return np.asarray(node.get(key, np.zeros((n, 0))), dtype=float).reshape(n, -1)

    for t, period in enumerate(periods):
        for k, node in enumerate(period["nodes"]):
            L = lam[t][k]
            a_sum, a_count, b_sum, b_count = 0, 0, 0, 0
            for key, sign, side in (("X", 1, "in"), ("bad", 1, "in"), ("Y", -1, "out"), ("good", -1, "out"),
                                    ("B", 1, "out")):
                M = matrix(node, key)
                if not M.shape[1]:
                    continue
                s = cp.Variable(M.shape[1], nonneg=True)
                cons.append(M.T @ L + sign * s == t_var * M[o])
                rate = cp.sum(cp.multiply(1.0 / M[o], s))
                if side == "in":
                    a_sum, a_count = a_sum + rate, a_count + M.shape[1]
                else:
                    b_sum, b_count = b_sum + rate, b_count + M.shape[1]
            F = matrix(node, "fixed")
            if F.shape[1]:
                cons.append(F.T @ L == t_var * F[o])
            # a free carry-over: z_o = Z lambda + s_free with s_free free in sign: no restriction in period t
            if rts[k] == "vrs":
                cons.append(cp.sum(L) == t_var)
            if a_count:
                in_terms += W[t] * w[k] * a_sum / a_count
            if b_count:
                out_terms += W[t] * w[k] * b_sum / b_count
            if t < T - 1:
                carried = np.hstack([matrix(node, key) for key in ("good", "bad", "free", "fixed")])
                if carried.shape[1]:
                    cons.append(carried.T @ L == carried.T @ lam[t + 1][k])
        for z, k, h, fixed in period.get("links", ()):
            z = np.asarray(z, dtype=float)
            if fixed:
                cons += [z @ lam[t][k] == t_var * z[o], z @ lam[t][h] == t_var * z[o]]
            else:
                cons.append(z @ lam[t][k] == z @ lam[t][h])
    if orientation == "input":
        return _solve(cp.Minimize(1 - in_terms), cons)
    if orientation == "output":
        status, best = _solve(cp.Maximize(out_terms), cons)
        return status, (1.0 / (1.0 + best) if status == "optimal" else np.nan)
    cons.append(t_var + out_terms == 1)
    return _solve(cp.Minimize(t_var - in_terms), cons)


# ----------------------------------------------------------------------------------------------------
# non-discretionary variables (Banker & Morey 1986) and assurance regions (Thompson et al. 1990)
# ----------------------------------------------------------------------------------------------------

def radial_fixed(X, Y, o, *, rts="crs", orientation="input", fixed_inputs=(), fixed_outputs=()):
    """Banker-Morey radial score: theta scales the discretionary inputs only (X_D'l <= theta x_D0,
    X_F'l <= x_F0, Y'l >= y0); output orientation alike with phi on the discretionary outputs."""
    n, m = X.shape
    fi = np.isin(np.arange(m), list(fixed_inputs))
    fo = np.isin(np.arange(Y.shape[1]), list(fixed_outputs))
    lam, score = cp.Variable(n, nonneg=True), cp.Variable()
    if orientation == "input":
        cons = [X[:, ~fi].T @ lam <= score * X[o, ~fi], Y.T @ lam >= Y[o]]
        if fi.any():
            cons.append(X[:, fi].T @ lam <= X[o, fi])
        objective = cp.Minimize(score)
    else:
        cons = [X.T @ lam <= X[o], Y[:, ~fo].T @ lam >= score * Y[o, ~fo]]
        if fo.any():
            cons.append(Y[:, fo].T @ lam >= Y[o, fo])
        objective = cp.Maximize(score)
    return _solve(objective, cons + _rts(cp.sum(lam), rts))


def sbm_fixed(X, Y, o, *, rts="crs", orientation="nonoriented", fixed_inputs=(), fixed_outputs=()):
    """SBM with non-discretionary variables: the ratio averages the discretionary terms only,
    rho = (1 - mean_{i in D} s_i / x_i0) / (1 + mean_{r in D} s_r / y_r0); a fixed variable's row keeps its slack
    (an inequality) but the slack earns nothing. Solved as the fractional program's Charnes-Cooper LP."""
    n, m = X.shape
    s = Y.shape[1]
    di = ~np.isin(np.arange(m), list(fixed_inputs))
    do = ~np.isin(np.arange(s), list(fixed_outputs))
    wi = np.where(di, 1.0 / di.sum(), 0.0) if orientation != "output" else np.zeros(m)
    wo = np.where(do, 1.0 / do.sum(), 0.0) if orientation != "input" else np.zeros(s)
    t, L = cp.Variable(nonneg=True), cp.Variable(n, nonneg=True)
    Sm, Sp = cp.Variable(m, nonneg=True), cp.Variable(s, nonneg=True)
    # only the discretionary terms are divided by the DMU's values (a fixed variable may be 0)
    per_x = np.divide(wi, X[o], out=np.zeros(m), where=wi > 0)
    per_y = np.divide(wo, Y[o], out=np.zeros(s), where=wo > 0)
    cons = [X.T @ L + Sm == t * X[o], Y.T @ L - Sp == t * Y[o], t + per_y @ Sp == 1]
    return _solve(cp.Minimize(t - per_x @ Sm), cons + _rts(cp.sum(L), rts, t))


def radial_assurance_region(X, Y, o, bounds, *, rts="crs", orientation="input"):
    """The radial multiplier form with an assurance region (type I): bounds is a list of (i, k, lower, upper,
    side) with side "input" (lower <= v_i / v_k <= upper) or "output" (on u_i / u_k), written as the linear
    constraints lower v_k <= v_i <= upper v_k. theta = max u'y0 - omega s.t. v'x0 = 1 (input);
    phi = min v'x0 + omega s.t. u'y0 = 1 (output); v'x_j - u'y_j + omega >= 0 for every j, omega = 0 under CRS,
    free under VRS. Returns (status, score, v, u)."""
    n, m = X.shape
    v, u = cp.Variable(m, nonneg=True), cp.Variable(Y.shape[1], nonneg=True)
    omega = cp.Variable() if rts == "vrs" else 0.0
    if rts not in ("crs", "vrs"):
        raise ValueError(rts)
    cons = [X @ v - Y @ u + omega >= 0]
    for i, k, lower, upper, side in bounds:
        w = v if side == "input" else u
        if upper is not None:
            cons.append(w[i] <= upper * w[k])
        if lower is not None:
            cons.append(w[i] >= lower * w[k])
    if orientation == "input":
        status, score = _solve(cp.Maximize(Y[o] @ u - omega), cons + [X[o] @ v == 1])
    else:
        status, score = _solve(cp.Minimize(X[o] @ v + omega), cons + [Y[o] @ u == 1])
    return status, score, v.value, u.value
