"""The evaluation primitive: a data set bound to one model's options, evaluating any points against any reference.

A :class:`Problem` owns the transformation between the user's units and the LP's (each variable divided by the
power of two nearest its column mean, so the scaled data are the user's exactly; every model here is invariant to that, and directions, caps and costs are scaled alike) together with
its inverse, the data-derived constants the model needs (:class:`frontier.models.registry.Constants`) and the rule
that turns LP statuses into NaN. Everything above it (``efficiency()``, the productivity indices, metafrontiers,
bootstraps) is a composition of :meth:`Problem.evaluate` calls:

* ``points``: rows of the data (an integer array of positions) **or** arbitrary points in data units (a k x d
  array, columns in the order inputs, outputs, bad outputs), e.g. inputs of one period with outputs of another;
* ``reference``: rows of the data **or** an arbitrary n_ref x d matrix in data units (e.g. a bootstrap's pseudo
  data);
* ``detail=False`` solves the score stages only (no max-slack stage): what the indices need.

The NaN rule, applied here once for every caller: a DMU whose score LP is not optimal gets NaN everywhere and the
LP's status (``"infeasible"``, ``"unbounded"``, ``"numerical_error"``, ...); when only the detail (max-slack) stage
failed, the status is ``"slacks_<status>"``, the score is kept and its slacks and targets are NaN.
"""
from __future__ import annotations

import warnings

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import engine
from ._text import format_labels
from .data import DEAData, zero_error
from .models import family as model_family
from .models import restrictions
from .models.base import Layout, ModelSpec
from .models.registry import Constants, ModelOptions
from .options import DIRECTIONS

DETAIL_FAILED = "slacks_"
# scores within SNAP_TOL (absolute) of the efficient value are reported as exactly that value, and slacks below
# SNAP_TOL relative to the points they are the difference of as exactly 0: LP solutions carry noise of about 1e-12
SNAP_TOL = 1e-9
# an intensity is listed (a peer) when its share of some variable's reference combination, or of the intensities'
# sum, is above this: a relative rule, since an intensity of 1e-13 on a reference DMU 1e12 times larger than the
# others can supply most of a target
PEER_SHARE = 1e-10


@dataclass(frozen=True)
class Evaluation:
    """The outcome of :meth:`Problem.evaluate` for k points, in the user's units.

    ``score`` and ``status`` (k,); ``slacks``, ``targets`` (k x d, NaN without detail for models whose slacks come
    from a second stage); ``betas`` (k x d) for models with one beta per variable, else None; ``parts`` the
    family's other per-DMU scalars (``ModelFamily.parts``, e.g. EBM's theta and phi; NaN where the LP failed); the
    intensities in
    CSR form (``lam_ptr``, ``lam_idx``, ``lam_val``; only those the targets use, :func:`used_intensities`),
    ``lam_idx`` being data rows when the reference was given as rows, positions in the reference matrix otherwise; ``multipliers`` (k x d) and ``omega`` (k,), the weights
    (v, u, mu) of the score LP's multiplier form in the user's units and its free variable (from the LP duals; see
    :func:`frontier.models.base.multipliers_from_duals`; NaN where the score is, or where the score stage reports
    none), else None.
    """

    score: np.ndarray
    status: np.ndarray
    slacks: np.ndarray
    targets: np.ndarray
    betas: np.ndarray | None
    lam_ptr: np.ndarray
    lam_idx: np.ndarray
    lam_val: np.ndarray
    multipliers: np.ndarray | None = None
    omega: np.ndarray | None = None
    parts: dict = field(default_factory=dict)

    @property
    def score_ok(self) -> np.ndarray:
        """Where the score is defined: optimal, or only the detail stage failed."""
        return (self.status == "optimal") | np.char.startswith(self.status.astype(str), DETAIL_FAILED)


def used_intensities(lam_ptr: np.ndarray, lam_idx: np.ndarray, lam_val: np.ndarray,
                     ref_data: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The intensities (CSR form, ``lam_idx`` positions in ``ref_data``) without those the targets do not use.

    An intensity is kept when its contribution ``lambda_j * data_jv`` is above ``PEER_SHARE`` of the reference
    combination's magnitude ``sum_j |lambda_j| data_jv`` for some variable v, or ``lambda_j`` above that share of
    the intensities' sum (the convexity row). The rule is relative to what each intensity supplies, not to its
    size: an intensity below 1e-12 of the largest can supply most of a target output when its DMU's data are 1e12
    times larger (issue 25, item 4); one that supplies nothing measurable is LP noise."""
    k = lam_ptr.size - 1
    owner = np.repeat(np.arange(k), np.diff(lam_ptr))
    contribution = np.abs(np.hstack([lam_val[:, None] * ref_data[lam_idx], lam_val[:, None]]))
    total = np.zeros((k, contribution.shape[1]))
    np.add.at(total, owner, contribution)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(total[owner] > 0, contribution / total[owner], 0.0)
    used = (share > PEER_SHARE).any(axis=1)
    ptr = np.zeros(k + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner[used], minlength=k), out=ptr[1:])
    return ptr, lam_idx[used], lam_val[used]


def direction_matrix(direction, points: np.ndarray, layout: Layout, data_means: np.ndarray) -> np.ndarray:
    """The direction (non-negative magnitudes, one column per variable) of each point for a named direction."""
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS} or a DataFrame, got {direction!r}")
    if direction == "observed":
        return points.copy()
    if direction == "ones":
        return np.ones_like(points)
    if direction == "mean":
        return np.broadcast_to(data_means, points.shape).copy()
    G = points.copy()
    if direction == "output":
        G[:, layout.inputs] = 0.0
    else:
        G[:, layout.m:] = 0.0
    return G


def custom_direction(direction: pd.DataFrame, data: DEAData, frame_index: pd.Index) -> np.ndarray:
    """A user's direction DataFrame aligned to the data rows (one column per variable)."""
    missing = [c for c in data.variables if c not in direction.columns]
    if missing:
        raise ValueError(f"direction DataFrame lacks column(s) {missing}; it needs one column per variable")
    aligned = direction.reindex(frame_index)
    absent = frame_index[aligned[list(data.variables)].isna().any(axis=1).to_numpy()]
    if len(absent):
        raise ValueError(f"direction DataFrame has no (or NaN) values for rows {format_labels(absent)}")
    G = aligned[list(data.variables)].to_numpy(dtype=float)
    if not np.isfinite(G).all() or (G < 0).any():
        raise ValueError("direction values must be finite and non-negative magnitudes "
                         "(the DMU moves to x - beta g_x, y + beta g_y, b - beta g_b)")
    return G


def weights_vector(weights: dict | None, data: DEAData, default: np.ndarray) -> np.ndarray:
    """The model's weight per variable: the user's ``{column: weight}`` over the model's defaults."""
    w = default.astype(float).copy()
    if weights is None:
        return w
    for col, val in weights.items():
        if col not in data.variables:
            raise ValueError(f"weights names column {col!r}, which is not an input, output or bad output")
        if isinstance(val, (bool, np.bool_)) or not isinstance(val, (int, float, np.integer, np.floating)):
            raise ValueError(f"weight of {col!r} must be a number, got {val!r}")
        if not np.isfinite(val) or val < 0:
            raise ValueError(f"weight of {col!r} must be finite and >= 0, got {val!r}")
        w[data.variables.index(col)] = float(val)
    return w


@dataclass
class Problem:
    """A validated data set bound to one model's options, ready to evaluate any points against any reference.

    ``direction_data`` is the user's direction DataFrame aligned to the rows (directional models with a custom
    direction), else None. ``row_costs`` (n x d, the economic models) are each row's objective coefficients in the
    user's units (money per unit of each variable, the price over the DMU's normalisation): the LP's rows carry them
    times each variable's scale after the scaled data, so the objective is in the user's money units.
    """

    data: DEAData
    options: ModelOptions
    direction_data: np.ndarray | None = None
    row_costs: np.ndarray | None = None
    layout: Layout = field(init=False)
    constants: Constants = field(init=False)
    rows: np.ndarray = field(init=False)
    _specs: dict = field(init=False, default_factory=dict)

    def __post_init__(self):
        self.family = model_family(self.options.model)
        d = self.data
        L = self.layout = Layout(len(d.inputs), len(d.outputs), len(d.bad_outputs))
        M = d.matrix
        scale = M.mean(axis=0)
        scale[scale <= 0] = 1.0
        scale = np.exp2(np.round(np.log2(scale)))      # a power of two: the LP's data are the user's, exactly
        positive = np.where(M > 0, M, np.inf).min(axis=0)
        small = np.where(np.isfinite(positive), positive / 100.0, 1.0) / scale
        bad_cap = M[:, L.bads].max(axis=0) / scale[L.bads] if L.s2 else np.zeros(0)
        weights = weights_vector(self.options.weights, d, self.family.default_weights(L))
        counted = self.family.counted(L, self.options)
        if self.options.weights is not None:
            names = [v for v, c in zip(d.variables, counted) if c]
            if not (weights[counted] > 0).any():
                raise ValueError(f"weights are zero for every variable the {self.options.model} score counts "
                                 f"({names}): every DMU would score as efficient. Give at least one of them a "
                                 "positive weight")
            idle = [v for v, w in self.options.weights.items() if w != 0 and v not in names]
            if idle:     # a weight that changes nothing is said so, never taken silently as if it had effect
                warnings.warn(f"weights on {idle} have no effect: the {self.options.model} score with these options "
                              f"counts only {names}", UserWarning, stacklevel=2)
        extra = self.options.extra
        fixed = restrictions.fixed_mask(extra, d.inputs, d.outputs, d.bad_outputs)
        self.constants = Constants(scale=scale, small=small, bad_cap=bad_cap, weights=weights, fixed=fixed,
                                   weight_columns=restrictions.weight_columns(extra, d.inputs, d.outputs,
                                                                              d.bad_outputs, scale))
        self.means = M.mean(axis=0)
        self.rows = self._scaled(M, self.direction_data)
        if self.row_costs is not None:
            self.rows = np.hstack([self.rows, self.row_costs * scale])
        self.rows = np.ascontiguousarray(self.rows)
        if self.family.calibrate is not None:     # data-derived model parameters, settled once for every LP
            self.constants = self.family.calibrate(L, self.options, self.rows, self.constants, list(d.variables),
                                                   self.solve_auxiliary)

    def solve_auxiliary(self, spec: ModelSpec, rows: np.ndarray) -> dict:
        """Solve an auxiliary model a family needs before its own LPs (EBM's additive projection, to calibrate
        epsilon): every row of ``rows`` (the LP's units) against all of them, itself included, on the engine's
        defaults; the values the model's last stage decodes. The family receives this as its ``calibrate`` hook's
        ``solve``, so a model never calls the engine itself."""
        return self.solve_auxiliary_many(spec, [rows])[0]

    def solve_auxiliary_many(self, spec: ModelSpec, row_sets: list) -> list[dict]:
        """:meth:`solve_auxiliary` for several sets of rows (each against itself) as one engine call, so that the
        engine packs and parallelises them (e.g. a cross-efficiency game's LPs, one set per player)."""
        jobs = [engine.Job(spec, np.ascontiguousarray(rows[:, : self.layout.d]), rows, np.arange(len(rows)))
                for rows in row_sets]
        return [out.values for out in engine.run_jobs(jobs)]

    @property
    def parameters(self) -> dict | None:
        """The model parameters the family settled (declared or calibrated; ``Constants.parameters``), or None."""
        return self.constants.parameters or None

    @property
    def scale(self) -> np.ndarray:
        return self.constants.scale

    def _scaled(self, points: np.ndarray, direction: np.ndarray | None = None) -> np.ndarray:
        """Points in data units -> the LP's rows: scaled data, then (directional models) the scaled direction."""
        scale = self.constants.scale
        if not self.family.directional:
            return points / scale
        if direction is None:
            if self.options.direction_label == "custom":
                raise ValueError("a custom direction is given per data row; it cannot be applied to other points")
            direction = direction_matrix(self.options.direction, points, self.layout, self.means)
        G = direction / scale
        if self.options.zeros == "small_positive" and self.family.divides_by(self.layout, self.options) is not None:
            G = np.where(G == 0, self.constants.small, G)
        return np.hstack([points / scale, G])

    # -- set-up --------------------------------------------------------------------------------------
    def check_zeros(self, labels: pd.Index, rows: np.ndarray) -> None:
        """Raise for zeros in the variables this model divides by (zero policy ``"error"``); a fixed
        (non-discretionary) variable's term leaves the score, so its zeros are allowed."""
        if self.options.zeros != "error":
            return
        mask = self.family.divides_by(self.layout, self.options)
        if mask is None:
            return
        if self.constants.fixed is not None:
            mask = mask & ~self.constants.fixed
        names = [v for v, keep in zip(self.data.variables, mask) if keep]
        zero_error(names, self.data.matrix[np.ix_(rows, np.flatnonzero(mask))], labels[rows],
                   f"model={self.options.model!r}")

    def spec(self, super_efficiency: bool = False, score_outside: bool = False, detail: bool = True) -> ModelSpec:
        """The model's LP stages (cached); ``detail=False`` leaves out the max-slack stage."""
        key = (bool(super_efficiency), bool(score_outside), bool(detail))
        if key not in self._specs:
            full = self.family.build(self.layout, self.options, self.constants, bool(super_efficiency),
                                     bool(score_outside))
            self._specs[key] = full if detail else full.score_only()
        return self._specs[key]

    def description(self, super_efficiency: bool = False) -> str:
        return self.spec(super_efficiency).description

    # -- evaluation ------------------------------------------------------------------------------------
    def _job(self, points, reference, super_efficiency, score_outside, detail):
        rows_given = np.asarray(points).ndim == 1
        ref_given = np.asarray(reference).ndim == 1
        if ref_given:
            ref_idx = self._positions(reference, "reference")
            ref_data = self.rows[ref_idx, : self.layout.d]
        else:
            ref_idx = None
            ref_data = self._reference_matrix(reference)
        if rows_given:
            eval_idx = self._positions(points, "points")
            data0 = self.rows[eval_idx]
        elif self.row_costs is not None:
            raise ValueError("row costs (prices) are given per data row; evaluate data rows, not other points")
        else:
            eval_idx = None
            data0 = self._scaled(self._point_matrix(points, "points"))
        own = np.full(data0.shape[0], -1, dtype=np.int64)
        if rows_given and ref_given and len(ref_idx):
            order = np.argsort(ref_idx)
            found = np.clip(np.searchsorted(ref_idx[order], eval_idx), 0, len(ref_idx) - 1)
            own = np.where(ref_idx[order][found] == eval_idx, order[found], -1)
        spec = self.spec(super_efficiency, score_outside, detail)
        return engine.Job(spec, ref_data, data0, own), ref_idx

    def _positions(self, rows, what: str) -> np.ndarray:
        """Data rows given as integer positions, checked: a 1-D array of floats (one point in data units) or of
        booleans (a mask) would otherwise be read as positions, and a negative position as counted from the end."""
        idx = np.asarray(rows)
        n = self.rows.shape[0]
        if idx.size and (idx.dtype == bool or not np.issubdtype(idx.dtype, np.integer)):
            raise ValueError(f"{what} given as data rows must be integer positions 0..{n - 1}, got dtype {idx.dtype} "
                             f"(a boolean mask: use np.flatnonzero(mask); one point in data units: a 1 x "
                             f"{self.layout.d} matrix)")
        idx = idx.astype(np.int64)
        outside = idx[(idx < 0) | (idx >= n)]
        if outside.size:
            raise ValueError(f"{what} positions must be in 0..{n - 1}, got {format_labels(outside)}")
        return idx

    def _point_matrix(self, points, what: str) -> np.ndarray:
        P = np.asarray(points, dtype=float)
        if P.ndim != 2 or P.shape[1] != self.layout.d:
            raise ValueError(f"{what} must be data rows (positions) or a k x {self.layout.d} matrix in data units")
        if not np.isfinite(P).all() or (P < 0).any():
            raise ValueError(f"{what} must be finite and non-negative")
        return P

    def _reference_matrix(self, reference) -> np.ndarray:
        return np.ascontiguousarray(self._point_matrix(reference, "reference") / self.constants.scale)

    def _snap(self, score, slacks, targets, betas) -> None:
        """Exact efficient values and clean slacks (see ``SNAP_TOL``), in place.

        A score within ``SNAP_TOL`` of the efficient value (1 for ratio scores, 0 for distances) becomes exactly
        that value, and so does a beta within ``SNAP_TOL`` of 0. A slack is the difference of two points, the point
        it is measured from (the observed one, or for radial, directional and EBM models the contracted or moved
        one) and the target: when its magnitude is at most ``SNAP_TOL`` times the larger of the two it is solver
        noise and becomes 0, and the target moves to the point it was measured from. Never judged against the
        observed value: a slack of 82,114 measured from theta x0 = 82,114 when x0 = 1e15 is no noise.
        """
        efficient = self.family.efficient_value(self.options.orientation)
        score[np.abs(score - efficient) <= SNAP_TOL] = efficient
        if betas is not None:
            betas[np.abs(betas) <= SNAP_TOL] = 0.0
        sign = np.where(self.layout.mask(goods=True), 1.0, -1.0)    # target = measured_from + sign * slack
        measured_from = targets - sign * slacks
        noise = np.abs(slacks) <= SNAP_TOL * np.maximum(np.abs(targets), np.abs(measured_from))
        targets[noise] = measured_from[noise]
        slacks[noise] = 0.0

    @staticmethod
    def _snap_multipliers(weights: np.ndarray, omega: np.ndarray) -> None:
        """Multiplier weights and omega within ``SNAP_TOL`` of 0, relative to the DMU's largest one, become exactly 0,
        in place. Judged in LP units, where every data row is of order 1 (each column divided by its scale), so each
        weight's term in the multiplier form is comparable with the others: a weight of -1e-19 beside weights of
        order 1 is the solver's noise, not a negative shadow price."""
        with np.errstate(invalid="ignore"):
            cutoff = SNAP_TOL * np.maximum(np.abs(weights).max(axis=1, initial=0.0), np.abs(omega))
            weights[np.abs(weights) <= cutoff[:, None]] = 0.0
            omega[np.abs(omega) <= cutoff] = 0.0

    def _finish(self, out: engine.BatchResult, ref_data: np.ndarray, ref_idx) -> Evaluation:
        """Back to the user's units; exact efficient values; the NaN rule; the intensities the targets use."""
        v = out.output
        status = v.status.astype(object)
        k, d, scale = len(status), self.layout.d, self.constants.scale

        def matrix(value, scaled):
            if value is None:
                return np.full((k, d), np.nan)
            value = np.asarray(value, dtype=float)
            return value * scale if scaled else value.copy()

        score = np.full(k, np.nan) if v.score is None else np.asarray(v.score, dtype=float).copy()
        slacks, targets = matrix(v.slacks, True), matrix(v.targets, True)
        betas = matrix(v.betas, False) if self.family.has_betas else None
        self._snap(score, slacks, targets, betas)
        ok = status == "optimal"
        # a failed detail stage (the max-slack slacks) keeps the score; its status says what failed
        detail_failed = np.zeros(k, dtype=bool) if v.detail_failed is None else np.asarray(v.detail_failed) == 1
        status[detail_failed] = [DETAIL_FAILED + s for s in status[detail_failed]]
        score_ok = ok | detail_failed
        score[~score_ok] = np.nan
        slacks[~ok] = np.nan
        targets[~ok] = np.nan
        if betas is not None:
            betas[~score_ok] = np.nan
        multipliers, omega = v.multipliers, v.omega
        if multipliers is not None:
            # a data row is the variable divided by its scale, so its dual in the user's units is divided by it
            multipliers, omega = np.array(multipliers, dtype=float), np.array(omega, dtype=float)
            self._snap_multipliers(multipliers, omega)
            multipliers = multipliers / scale
            multipliers[~score_ok], omega[~score_ok] = np.nan, np.nan
            multipliers, omega = multipliers + 0.0, omega + 0.0
        parts = {name: np.where(score_ok, np.asarray(v.parts.get(name, np.full(k, np.nan)), dtype=float), np.nan)
                 + 0.0 for name in self.family.parts}
        lam_ptr, lam_idx, lam_val = used_intensities(out.lam_ptr, out.lam_idx, out.lam_val, ref_data)
        lam_idx = lam_idx if ref_idx is None else ref_idx[lam_idx]
        # + 0.0 turns an LP's signed zero -0.0 into 0.0
        return Evaluation(score + 0.0, status, slacks + 0.0, targets + 0.0, None if betas is None else betas + 0.0,
                          lam_ptr, lam_idx, lam_val + 0.0, multipliers, omega, parts)

    def evaluate(self, points, reference, *, super_efficiency: bool = False, score_outside: bool = False,
                 detail: bool = True, n_jobs: int = 1, method: str = "auto", chunk_size: int | None = None,
                 progress=None) -> Evaluation:
        """Evaluate ``points`` against ``reference`` (see the module docstring)."""
        return self.evaluate_many([(points, reference)], super_efficiency=super_efficiency,
                                  score_outside=score_outside, detail=detail, n_jobs=n_jobs, method=method,
                                  chunk_size=chunk_size, progress=progress)[0]

    def evaluate_many(self, requests, *, super_efficiency: bool = False, score_outside: bool = False,
                      detail: bool = True, n_jobs: int = 1, method: str = "auto", chunk_size: int | None = None,
                      progress=None) -> list[Evaluation]:
        """Several (points, reference) evaluations as one parallel map over the workers."""
        built = [self._job(p, r, super_efficiency, score_outside, detail) for p, r in requests]
        outs = engine.run_jobs([job for job, _ in built], method=method, n_jobs=n_jobs, chunk_size=chunk_size,
                               progress=progress)
        return [self._finish(out, job.ref_data, ref_idx) for out, (job, ref_idx) in zip(outs, built)]
