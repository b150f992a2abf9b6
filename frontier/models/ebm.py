r"""Epsilon-based measure (EBM) and super-EBM, with undesirable outputs (Tone & Tsutsui 2010).

EBM combines a radial score with a weighted sum of slacks, the weight of the slacks being ``epsilon`` in [0, 1]
(Tone, K. & Tsutsui, M. 2010, "An epsilon-based measure of efficiency in DEA -- a third pole of technical
efficiency", EJOR 207(3):1554-1563). Input orientation (CRS; VRS adds sum lambda = 1)::

    gamma* = min  theta - eps_x sum_i w-_i s-_i / x_i0
    s.t.   X'lambda + s- = theta x0,  Y'lambda - s+ = y0,  B'lambda + sb = b0,  lambda, s >= 0

Output orientation, score ``1 / eta*`` (an efficiency in (0, 1], as the paper reports it)::

    eta* = max  phi + eps_y [sum_r w+_r s+_r / y_r0 + sum_p wb_p sb_p / b_p0]
    s.t.   X'lambda + s- = x0,  Y'lambda - s+ = phi y0,  B'lambda + sb = phi b0

Non-oriented (the MaxDEA-style form with bad outputs: the bad outputs move with phi and their slacks count on the
output side, with good and bad output weights summing to 1 together)::

    kappa* = min (theta - eps_x sum w-_i s-_i / x_i0) / (phi + eps_y [sum w+_r s+_r / y_r0 + sum wb_p sb_p / b_p0])
    s.t.   X'lambda + s- = theta x0,  Y'lambda - s+ = phi y0,  B'lambda + sb = phi b0

solved in its Charnes-Cooper form: the denominator is set to 1 and, under VRS (NIRS, NDRS), ``sum Lambda = t``
(``<= t``, ``>= t``) with the scale t a variable; under CRS the ratio is invariant to scaling, so the reported
solution (theta, slacks, targets, intensities) is the one with phi = 1 (where phi > 0). theta and phi are >= 0
(theta >= 0 is implied by the data rows; in the non-oriented model a negative phi only inflates the reference
combination). epsilon = 0 gives the radial (CCR/BCC) score; weights are normalised within the input side and
within the output side.

The two non-oriented forms (option ``bounded``). The ratio and its constraints above are homogeneous in
(lambda, s, theta, phi), so ``sum lambda = 1`` (``<= 1``, ``>= 1``) only fixes the scale of a solution: in this
*ratio form* (the paper's model as written) every returns-to-scale setting gives the CRS score. The *bounded form*
(MaxDEA's and Dearun's non-oriented EBM) adds ``theta <= 1`` and ``phi >= 1`` (inputs are not expanded, outputs
not contracted), which fixes the scale, so VRS (NIRS, NDRS) binds; in Charnes-Cooper form ``theta <= t`` and
``phi >= t`` (under CRS, where any scale is allowed, ``theta <= phi``). Its score is >= the ratio form's (more
constraints), and VRS >= CRS within it. ``bounded=None`` (the default) is the ratio form under CRS (the paper's
model, as validated) and the bounded form under VRS, NIRS and NDRS (the only form in which they take effect);
``bounded=False`` with rts other than crs is refused (the setting would change nothing), and so is
``bounded`` with an oriented model or with super-efficiency (the self-excluded bounded LP of an efficient DMU has
no feasible point: inputs may not grow nor outputs shrink).

Super-EBM (``super_efficiency=True``): the hybrid score applied work reports (as super-SBM here, and MaxDEA's
super-efficiency): the EBM score where it is below 1, and where EBM rates the DMU efficient (score 1 within
``EFFICIENT_TOL``) the same LP with the DMU removed from its own reference set, a score >= 1 (the
Andersen-Petersen construction applied to EBM; with epsilon = 0 it is Andersen-Petersen's super-radial score).
Only efficient DMUs are re-scored because, with bad outputs or in the non-oriented model, the self-excluded LP
of an inefficient DMU need not give its EBM score (it can even be infeasible: when the DMU alone has its mix of
good and bad outputs). The self-excluded LP can be infeasible under VRS, and with bad outputs even under CRS (no
combination of the others reaches the DMU's good outputs with proportionally no more bad output; output
orientation: eta = 0, no other DMU produces anything with at most its inputs): NaN with status ``"infeasible"``.

Parameters: ``epsilon=`` (a number, or ``{"input": eps_x, "output": eps_y}``) and ``weights=`` may be declared.
What is not declared is calibrated from the data (paper, section 3): every DMU is projected by the VRS additive
model in its units-invariant form (max sum s-/x0 + sum s+/y0 + sum sb/b0, the form that reproduces the paper's
hospital example: eps_x = 0.52942), then for each pair of variables (a, b) of one side the diversity of the
projected ratios c_j = ln(b_j / a_j) is ``D = sum_j |c_j - mean(c)| / (n (max c - min c))`` (0 when c is
constant), the affinity ``S = 1 - 2 D``; with rho the largest eigenvalue of the side's affinity matrix,
``eps = (m - rho) / (m - 1)`` (0 for a single variable) and the weights are its eigenvector normalised to sum 1.
Tie rule: when the largest eigenvalue is repeated (e.g. S = I), the weights are the projection of the all-ones
vector onto its eigenspace, normalised -- the equal split the paper prints for its example 2 (for a simple
eigenvalue this is the usual Perron vector).

Slacks are improvements (input and bad-output excess, output shortfall), measured from the radially moved point
theta x0 (phi y0, phi b0) as in the paper; targets are the reference combination. ``parts`` reports theta and
phi (1 where the orientation fixes them).

Multiplier form (the LP dual, from the score LP's row duals; ``res.multipliers``, in the user's units), with
c-_i = eps_x w-_i / x_i0 and c+_r = eps_y w+_r / y_r0, cb_p = eps_y wb_p / b_p0 the slack terms' coefficients and,
for every reference DMU j, the supporting hyperplane ``v'x_j - u'y_j + mu'b_j + omega >= 0`` (omega = 0 under CRS,
free under VRS, >= 0 NIRS, <= 0 NDRS)::

    input:        gamma = max u'y0 - mu'b0 - omega    s.t. v'x0 = 1,  v >= c-,  u >= 0,  mu >= 0
    output:       eta   = min v'x0 + omega            s.t. u'y0 - mu'b0 = 1,  v >= 0,  u >= c+,  mu >= cb
    non-oriented: kappa = max u'y0 - mu'b0 - omega    s.t. v'x0 = 1,  v >= c-,  u >= kappa c+,  mu >= kappa cb

(Tone & Tsutsui 2010, the duals of their models (3), (9) and (14), with the bad outputs on the output side as in
the primal; the output score is 1 / eta.) In the non-oriented model the convexity row reads ``sum Lambda = t`` with
the scale t free, so omega <= 0 from t's column (0 where t > 0). In the bounded form the duals a >= 0 of
``theta <= t`` and b >= 0 of ``phi >= t`` enter: v'x0 = 1 + a, kappa = u'y0 - mu'b0 - b and omega = b - a (where
theta, phi, t > 0), so in both forms ``kappa = 1 - v'x0 + u'y0 - mu'b0 - omega``. Super-EBM DMUs get the dual of their
self-excluded LP: the hyperplane then holds for every other DMU, and the DMU itself lies beyond it.
"""
from __future__ import annotations

import warnings
from dataclasses import replace

import numpy as np

from .base import (INF, Layout, ModelSpec, ReferenceBlock, Stage, StageOutput, convexity_bounds, dominance_sense,
                   multipliers_from_duals)
from .registry import Constants, ModelFamily, labelled, register
from .sbm import term_weights

ORIENTATIONS = ("input", "output", "nonoriented")
SIDES = ("input", "output")
PROJECTION = "VRS additive model, slacks over the DMU's own values (Tone & Tsutsui 2010, section 3)"
EFFICIENT_TOL = 1e-6    # EBM scores this close to 1 count as efficient for the super-EBM stage
EIGEN_TIE = 1e-9        # eigenvalues this close (relative to m) to the largest count as the same eigenvalue


def sides_used(orientation: str) -> tuple[str, ...]:
    """The sides whose slacks the score counts: inputs (input), outputs (output), both (non-oriented)."""
    return {"input": ("input",), "output": ("output",), "nonoriented": SIDES}[orientation]


def side_mask(layout: Layout, side: str) -> np.ndarray:
    return layout.mask(inputs=True) if side == "input" else layout.mask(goods=True, bads=True)


def counted_columns(layout: Layout, orientation: str) -> np.ndarray:
    """Mask of the variables whose slacks the score counts (and divides by)."""
    mask = np.zeros(layout.d, dtype=bool)
    for side in sides_used(orientation):
        mask |= side_mask(layout, side)
    return mask


def check_epsilon(value) -> dict:
    """epsilon, the weight of the slack terms in [0, 1]: one number for both sides or {"input": eps_x, "output":
    eps_y}; calibrated from the data when not given."""
    def number(v, what):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)) \
                or not np.isfinite(v) or not 0.0 <= v <= 1.0:
            raise ValueError(f"{what} must be a number in [0, 1], got {v!r}")
        return float(v)

    if isinstance(value, dict):
        unknown = set(value) - set(SIDES)
        if unknown:
            raise ValueError(f"epsilon keys must be 'input' and/or 'output', got {sorted(map(str, unknown))}")
        return {side: number(v, f"epsilon[{side!r}]") for side, v in value.items() if v is not None}
    eps = number(value, "epsilon")
    return {"input": eps, "output": eps}


# ----------------------------------------------------------------------------------------------------
# the EBM score stage
# ----------------------------------------------------------------------------------------------------

class EBMScore(Stage):
    """EBM in one LP: own columns [t, theta, phi, S (d)]; the non-oriented model adds the normalisation row, and
    its bounded form the rows ``theta - t <= 0`` and ``phi - t >= 0`` (under CRS the one row ``theta - phi <= 0``).

    Data rows: ``X'L + S- - theta x0 = 0``, ``Y'L - S+ - phi y0 = 0``, ``B'L + Sb - phi b0 = 0``. The input
    orientation fixes phi = 1, the output orientation theta = 1; t is the Charnes-Cooper scale of the
    non-oriented model under VRS (fixed at 1 otherwise).
    """

    def __init__(self, layout: Layout, rts: str, orientation: str, epsilon: dict, weights: np.ndarray, zeros: str,
                 small: np.ndarray, super_efficiency: bool = False, bounded: bool = False):
        block = ReferenceBlock(layout.mask(True, True, True), dominance_sense(layout, True), rts != "crs")
        ratio = orientation == "nonoriented"
        bound_rows = (1 if rts == "crs" else 2) if bounded else 0
        # the score LPs keep their row duals: the multiplier form's weights (res.multipliers, module docstring)
        super().__init__(d=layout.d, blocks=[block], convexity=rts != "crs", n_extra_rows=int(ratio) + bound_rows,
                         n_extra_cols=3 + layout.d, exclude_self=super_efficiency,
                         name="super" if super_efficiency else "score", keep_duals=True)
        self.layout, self.rts, self.orientation, self.bounded = layout, rts, orientation, bounded
        self.epsilon, self.weights, self.zeros, self.small = epsilon, weights, zeros, small

    def always_feasible(self, in_reference):
        return in_reference       # the DMU itself (theta = phi = t = 1, no slack) is a feasible point

    def objective_range(self, in_reference):
        # gamma, kappa >= 0 (s-_i <= theta x_i0, the weights sum to 1, eps <= 1); the DMU itself gives 1.
        # The output orientation minimises -eta, eta >= 1 when the DMU is in its reference set.
        if self.orientation == "output":
            return -INF, -1.0 if in_reference else 0.0
        return 0.0, 1.0 if in_reference else INF

    def select(self, prev):
        """The super-EBM stage re-scores the DMUs the EBM stage rates efficient."""
        if not self.exclude_self:
            return np.ones(len(prev["status"]), dtype=bool)
        status, score = prev["status"], prev["score"]
        with np.errstate(invalid="ignore"):
            return (status == "optimal") & (score >= 1.0 - EFFICIENT_TOL)

    def slack_costs(self, data0: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """eps w_v / v0 per DMU for the input side (k x m) and the output side (k x (s1 + s2)); 0 off the
        orientation's sides (term weights normalised per side; zeros handled by the zero policy)."""
        L = self.layout
        out = slice(L.m, L.d)
        costs = []
        for side, cols in (("input", L.inputs), ("output", out)):
            w, div = term_weights(data0[:, cols], self.weights[cols], self.zeros, self.small[cols])
            eps = self.epsilon.get(side, 0.0) if side in sides_used(self.orientation) else 0.0
            costs.append(eps * np.divide(w, div, out=np.zeros_like(w), where=w != 0))
        return costs[0], costs[1]

    def patch(self, data0, prev):
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        own = np.arange(L.d)
        p.row_lower[:, : L.d] = 0.0
        p.row_upper[:, : L.d] = 0.0
        p.extra_matrix[:, L.inputs, 1] = -data0[:, L.inputs]
        p.extra_matrix[:, L.m: L.d, 2] = -data0[:, L.m: L.d]
        p.extra_matrix[:, own, 3 + own] = np.where(L.mask(goods=True), -1.0, 1.0)
        p.extra_lower[:, :3] = 1.0          # t, theta, phi fixed at 1 unless freed below
        p.extra_upper[:, :3] = 1.0
        cin, cout = self.slack_costs(data0)
        if self.orientation == "input":
            p.extra_lower[:, 1], p.extra_upper[:, 1] = 0.0, INF
            p.extra_cost[:, 1] = 1.0
            p.extra_cost[:, 3: 3 + L.m] = -cin
        elif self.orientation == "output":
            p.extra_lower[:, 2], p.extra_upper[:, 2] = 0.0, INF
            p.extra_cost[:, 2] = -1.0
            p.extra_cost[:, 3 + L.m:] = -cout
        else:
            p.extra_lower[:, 1:3], p.extra_upper[:, 1:3] = 0.0, INF
            p.extra_cost[:, 1] = 1.0
            p.extra_cost[:, 3: 3 + L.m] = -cin
            r = L.d + int(self.convexity)
            p.extra_matrix[:, r, 2] = 1.0
            p.extra_matrix[:, r, 3 + L.m:] = cout
            p.row_lower[:, r] = p.row_upper[:, r] = 1.0
            if self.bounded:            # theta <= t and phi >= t (CRS: theta <= phi, any scale being allowed)
                scale_col = 0 if self.convexity else 2
                p.extra_matrix[:, r + 1, 1], p.extra_matrix[:, r + 1, scale_col] = 1.0, -1.0
                p.row_lower[:, r + 1], p.row_upper[:, r + 1] = -INF, 0.0
                if self.convexity:
                    p.extra_matrix[:, r + 2, 2], p.extra_matrix[:, r + 2, 0] = 1.0, -1.0
                    p.row_lower[:, r + 2], p.row_upper[:, r + 2] = 0.0, INF
        if self.convexity:
            scaled = self.orientation == "nonoriented"
            p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds(self.rts, t_scaled=scaled)
            if scaled:
                p.extra_matrix[:, L.d, 0] = -1.0
                p.extra_lower[:, 0], p.extra_upper[:, 0] = 0.0, INF
        return p

    def decode(self, sol, data0, prev):
        """Back from the Charnes-Cooper scale (lambda = Lambda / t, s = S / t); the score is the objective (1 / eta
        in the output orientation)."""
        t = sol.extras[:, 0]
        status = sol.status.copy()
        if self.orientation == "output":
            # eta = 0: no reference point uses at most x0 and produces any output (possible only without the DMU,
            # super-EBM): no finite score 1/eta exists, as a super-radial LP is infeasible
            status[(status == "optimal") & (-sol.objective <= 1e-12)] = "infeasible"
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = 1.0 / t
            if self.orientation == "nonoriented" and not self.convexity:
                # CRS: every positive multiple of a solution is optimal; report the one with phi = 1 (outputs
                # not scaled down, bad outputs not scaled up), where phi > 0
                phi = sol.extras[:, 2]
                scale = np.where(phi > 1e-12, 1.0 / phi, scale)
            score = 1.0 / -sol.objective if self.orientation == "output" else sol.objective.copy()
            weights, omega = multipliers_from_duals(self.layout, sol.duals, self.convexity)
            return StageOutput(status, score=score, slacks=sol.extras[:, 3:] * scale[:, None],
                               targets=sol.sums * scale[:, None], multipliers=weights, omega=omega,
                               parts={"theta": sol.extras[:, 1] * scale, "phi": sol.extras[:, 2] * scale},
                               intensity_scale=scale)


def build(layout: Layout, *, rts: str, orientation: str, super_efficiency: bool, epsilon: dict,
          weights: np.ndarray, zeros: str, small: np.ndarray, bounded: bool = False) -> ModelSpec:
    if orientation not in ORIENTATIONS:
        raise ValueError(f"EBM takes orientation 'input', 'output' or 'nonoriented', got {orientation!r}")
    stages: list[Stage] = [EBMScore(layout, rts, orientation, epsilon, weights, zeros, small, bounded=bounded)]
    if super_efficiency:
        stages.append(EBMScore(layout, rts, orientation, epsilon, weights, zeros, small, super_efficiency=True))
    eps = ", ".join(f"eps_{'x' if side == 'input' else 'y'}={epsilon[side]:.6g}" for side in sides_used(orientation))
    form = {True: ", bounded: theta <= 1, phi >= 1", False: ", ratio form"}[bounded] \
        if orientation == "nonoriented" else ""
    what = {"input": "gamma", "output": "1/eta", "nonoriented": "kappa"}[orientation]
    bound = "< 1 inefficient, super-EBM >= 1 efficient" if super_efficiency else "in (0, 1]"
    return ModelSpec(stages=stages, d=layout.d,
                     description=f"EBM ({orientation}{form}, {eps}), score = {what} {bound}")


def is_bounded(options) -> bool:
    """Whether the non-oriented model takes its bounded form: ``bounded`` as declared, else (None) under the returns
    to scale other than crs, the only ones it changes (module docstring)."""
    declared = options.extra.get("bounded")
    if declared is not None:
        return declared
    return options.orientation == "nonoriented" and options.rts != "crs"


def _build_family(layout: Layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    # an observation outside its reference technology gets its LP's value (> 1 where feasible), as radial DEA
    return build(layout, rts=options.rts, orientation=options.orientation, super_efficiency=super_efficiency,
                 epsilon=constants.parameters["epsilon"], weights=constants.weights, zeros=options.zeros,
                 small=constants.small, bounded=is_bounded(options))


def check_bounded(value) -> bool:
    """bounded, the non-oriented form: True for theta <= 1 and phi >= 1 (MaxDEA's and Dearun's form, in which VRS
    binds), False for the paper's ratio form (every rts gives the CRS score); default: ratio form under crs, bounded
    otherwise."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"bounded must be True or False, got {value!r}")
    return bool(value)


def check_combination(options, super_efficiency: bool, declared: dict) -> None:
    """Refuse the EBM settings that would change nothing (module docstring): ``bounded`` outside the non-oriented
    model, the ratio form with rts other than crs, the bounded form with super-efficiency; warn about an epsilon
    declared (``declared``: the family options as the call gave them) for a side the orientation does not count."""
    bounded = options.extra.get("bounded")
    if bounded is not None and options.orientation != "nonoriented":
        raise ValueError(f"bounded applies to orientation='nonoriented' only (theta <= 1 and phi >= 1); with "
                         f"orientation={options.orientation!r} it has no effect: leave it out")
    if bounded is False and options.rts != "crs":
        raise ValueError(f"bounded=False (the ratio form of the non-oriented EBM) gives the CRS scores whatever the "
                         f"returns to scale: rts={options.rts!r} would have no effect. Use rts='crs' (the same "
                         "numbers, recorded as what they are) or the bounded form (bounded=True, the default under "
                         f"rts={options.rts!r})")
    if super_efficiency and options.orientation == "nonoriented" and is_bounded(options):
        raise ValueError("super-EBM is not defined for the bounded non-oriented form (theta <= 1, phi >= 1): an "
                         "efficient DMU's self-excluded LP has no feasible point once inputs may not grow nor "
                         "outputs shrink. Use rts='crs' (the ratio form) or an oriented model for super-EBM")
    epsilon = declared.get("epsilon")
    unused = sorted(set(epsilon) - set(sides_used(options.orientation))) if isinstance(epsilon, dict) else []
    if unused:
        warnings.warn(f"epsilon[{unused[0]!r}] has no effect with orientation={options.orientation!r}, whose score "
                      f"counts the {' and '.join(sides_used(options.orientation))} slacks only", UserWarning,
                      stacklevel=2)


# ----------------------------------------------------------------------------------------------------
# calibration of epsilon and the weights (paper, section 3)
# ----------------------------------------------------------------------------------------------------

class AdditiveProjection(Stage):
    """The VRS additive model in units-invariant form: max sum_v s_v / v0 over every variable.

    Own columns: the slacks S (d); data rows ``X'lambda + S- = x0``, ``Y'lambda - S+ = y0``,
    ``B'lambda + Sb = b0``; ``sum lambda = 1``. The projection is the reference combination.
    """

    def __init__(self, layout: Layout):
        block = ReferenceBlock(layout.mask(True, True, True), dominance_sense(layout, True), True)
        super().__init__(d=layout.d, blocks=[block], convexity=True, n_extra_rows=0, n_extra_cols=layout.d,
                         name="additive")
        self.layout = layout

    def objective_range(self, in_reference):
        return -INF, 0.0

    def patch(self, data0, prev):
        L = self.layout
        p = self.empty_patch(data0.shape[0])
        v0 = data0[:, : L.d]
        p.row_lower[:, : L.d] = p.row_upper[:, : L.d] = v0
        own = np.arange(L.d)
        p.extra_matrix[:, own, own] = np.where(L.mask(goods=True), -1.0, 1.0)
        p.row_lower[:, L.d], p.row_upper[:, L.d] = convexity_bounds("vrs")
        p.extra_cost[:] = -np.divide(1.0, v0, out=np.zeros_like(v0), where=v0 > 0)
        return p

    def decode(self, sol, data0, prev):
        return StageOutput(sol.status, targets=sol.sums)


def affinity_matrix(projected: np.ndarray) -> np.ndarray:
    """The affinity S(a, b) = 1 - 2 D(a, b) between every pair of columns of ``projected`` (positive values)."""
    n, m = projected.shape
    S = np.eye(m)
    logs = np.log(projected)
    for a in range(m):
        for b in range(a + 1, m):
            c = logs[:, b] - logs[:, a]
            spread = c.max() - c.min()
            D = 0.0 if spread <= 1e-12 * max(1.0, np.abs(c).max()) else np.abs(c - c.mean()).sum() / (n * spread)
            S[a, b] = S[b, a] = 1.0 - 2.0 * D
    return S


def epsilon_and_weights(S: np.ndarray) -> tuple[float, np.ndarray]:
    """eps = (m - rho) / (m - 1) and the weights from the affinity matrix ``S`` (tie rule: module docstring)."""
    m = S.shape[0]
    if m == 1:
        return 0.0, np.ones(1)
    values, vectors = np.linalg.eigh(S)
    rho = values[-1]
    space = vectors[:, values >= rho - EIGEN_TIE * m]
    w = space @ (space.T @ np.ones(m))          # the all-ones vector projected onto the top eigenspace
    w[np.abs(w) <= 1e-12] = 0.0
    if (w < 0).any() or w.sum() <= 0:            # not expected for a non-negative S; refuse rather than guess
        raise ValueError("EBM calibration: the affinity matrix has no non-negative leading eigenvector; "
                         "declare epsilon= and weights=")
    return float(np.clip((m - rho) / (m - 1), 0.0, 1.0)), w / w.sum()


def calibrate(layout: Layout, options, rows: np.ndarray, constants: Constants, variables, solve) -> Constants:
    """Settle epsilon and the weights of the sides the orientation counts: declared values are kept, the rest is
    calibrated on the additive-model projections of ``rows`` (all rows, pooled: one set of parameters per call,
    so that every score and every distance of an index uses the same ones). Reported in ``parameters``.
    ``solve(spec, rows)`` solves the projection LPs (:meth:`frontier.problem.Problem.solve_auxiliary`)."""
    sides = sides_used(options.orientation)
    declared = options.extra.get("epsilon", {})
    epsilon = {side: declared[side] for side in sides if side in declared}
    weights = constants.weights.copy()
    calibrated = [] if len(epsilon) == len(sides) else ["epsilon"]
    if options.weights is None:
        calibrated.append("weights")
    if calibrated:
        spec = ModelSpec([AdditiveProjection(layout)], layout.d, "additive projection")
        out = solve(spec, rows)
        failed = np.flatnonzero(out["status"] != "optimal")
        if failed.size:
            raise ValueError(f"EBM calibration: the additive model failed for data rows {failed[:10].tolist()} "
                             f"({out['status'][failed[0]]}); declare epsilon= and weights=")
        projected = out["targets"]
        for side in sides:
            cols = np.flatnonzero(side_mask(layout, side))
            P = projected[:, cols]
            if (P <= 0).any():
                names = [variables[c] for c in cols[(P <= 0).any(axis=0)]]
                raise ValueError(f"EBM calibration needs positive projected values; {names} project to 0 for some "
                                 "DMUs (zeros in the data?). Declare epsilon= and weights=")
            eps, w = epsilon_and_weights(affinity_matrix(P))
            epsilon.setdefault(side, eps)
            if options.weights is None:
                weights[cols] = w
    report_weights = {}
    for side in sides:
        cols = np.flatnonzero(side_mask(layout, side))
        total = weights[cols].sum()
        report_weights.update({variables[c]: float(weights[c] / total) if total > 0 else 0.0 for c in cols})
    parameters = {"epsilon": epsilon, "weights": report_weights, "calibrated": tuple(calibrated),
                  "projection": PROJECTION if calibrated else None}
    return replace(constants, weights=weights, parameters=parameters)


FAMILY = register(ModelFamily(
    name="ebm", short_name="EBM",
    label="epsilon-based measure (Tone & Tsutsui 2010), super-EBM (efficient DMUs leave their reference set)",
    build=_build_family, orientations=ORIENTATIONS, weights="relative", super_efficiency=True,
    convention="EBM score in (0, 1], 1 = efficient (output orientation: 1/eta); super-EBM > 1 for efficient DMUs",
    divides_by=lambda layout, options: counted_columns(layout, options.orientation),
    counted=lambda layout, options: counted_columns(layout, options.orientation),
    model_options={"epsilon": labelled(check_epsilon, "Slack weight ε", "松弛项权重 ε",
                                       "epsilon，松弛项的权重，取值于 [0, 1]：两侧共用一个数，或 "
                                       "{\"input\": eps_x, \"output\": eps_y}；不给出时由数据校准。"),
                   "bounded": check_bounded},
    check_combination=check_combination,
    calibrate=calibrate, parts=("theta", "phi"),
))
