"""``efficiency()``: score every DMU of a DataFrame with one DEA model.

The function validates the data, scales each variable by its mean (all models here are invariant to that,
directions and caps are scaled alike), builds the model's LP stages (see :mod:`frontier.models`) and hands
them to the engine (:mod:`frontier.engine`) once per reference set.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import engine
from .data import DEAData, _rows, check_engine_options, check_flag, check_zero_policy, validate_frame, zero_error
from .models import base, ddf, radial, sbm, sbm_ddf
from .models.base import Layout, ModelSpec
from .panel import period_order
from .results import EfficiencyResult
from .technology import reference_mask

MODELS = ("radial", "sbm", "ddf", "nddf", "sbm_ddf")
DIRECTIONS = ("observed", "output", "input", "ones", "mean")
DIRECTIONAL = ("ddf", "nddf", "sbm_ddf")


def _direction_matrix(direction, data: DEAData, frame: pd.DataFrame) -> np.ndarray:
    M = data.matrix
    L = Layout(len(data.inputs), len(data.outputs), len(data.bad_outputs))
    if isinstance(direction, pd.DataFrame):
        missing = [c for c in data.variables if c not in direction.columns]
        if missing:
            raise ValueError(f"direction DataFrame lacks column(s) {missing}; it needs one column per variable")
        aligned = direction.reindex(frame.index)
        absent = frame.index[aligned[list(data.variables)].isna().any(axis=1).to_numpy()]
        if len(absent):
            raise ValueError(f"direction DataFrame has no (or NaN) values for rows {_rows(absent)}")
        G = aligned[list(data.variables)].to_numpy(dtype=float)
        if not np.isfinite(G).all() or (G < 0).any():
            raise ValueError("direction values must be finite and non-negative magnitudes "
                             "(the DMU moves to x - beta g_x, y + beta g_y, b - beta g_b)")
        return G
    if direction not in DIRECTIONS:
        raise ValueError(f"direction must be one of {DIRECTIONS} or a DataFrame, got {direction!r}")
    if direction == "observed":
        return M.copy()
    if direction == "ones":
        return np.ones_like(M)
    if direction == "mean":
        return np.broadcast_to(M.mean(axis=0), M.shape).copy()
    G = M.copy()
    if direction == "output":
        G[:, L.inputs] = 0.0
    else:
        G[:, L.m:] = 0.0
    return G


def _weights_vector(weights, data: DEAData, default: np.ndarray) -> np.ndarray:
    w = default.astype(float).copy()
    if weights is None:
        return w
    if not isinstance(weights, dict):
        raise ValueError("weights must be a dict {column: weight}")
    for col, val in weights.items():
        if col not in data.variables:
            raise ValueError(f"weights names column {col!r}, which is not an input, output or bad output")
        if isinstance(val, (bool, np.bool_)) or not isinstance(val, (numbers.Real, np.integer, np.floating)):
            raise ValueError(f"weight of {col!r} must be a number, got {val!r} ({type(val).__name__})")
        if not np.isfinite(val) or val < 0:
            raise ValueError(f"weight of {col!r} must be finite and >= 0, got {val!r}")
        w[data.variables.index(col)] = float(val)
    return w


def check_weights(weights, data: DEAData, model: str, orientation: str | None) -> None:
    """Raise for weights the score cannot use: not numbers, negative, or zero on every term the score counts
    (an objective of zero scores every DMU as efficient)."""
    if weights is None:
        return
    L = Layout(len(data.inputs), len(data.outputs), len(data.bad_outputs))
    default = sbm_ddf.default_weights(L) if model == "sbm_ddf" else np.ones(L.d)
    w = _weights_vector(weights, data, default)
    used = np.ones(L.d, dtype=bool)
    if model == "sbm" and orientation == "input":
        used[L.m:] = False
    elif model == "sbm" and orientation == "output":
        used[: L.m] = False
    if not (w[used] > 0).any():
        names = [v for v, u in zip(data.variables, used) if u]
        raise ValueError(f"weights are zero for every variable the {model} score counts ({names}): every DMU "
                         "would score as efficient. Give at least one of them a positive weight")


@dataclass
class Problem:
    """A validated data set and one model specification, ready to solve against any reference set."""

    data: DEAData
    model: str
    orientation: str | None
    rts: str
    bad_disposability: str
    direction: object
    weights: dict | None
    zeros: str
    direction_matrix: np.ndarray | None = None
    layout: Layout = field(init=False)
    scale: np.ndarray = field(init=False)
    rows: np.ndarray = field(init=False)
    _specs: dict = field(init=False, default_factory=dict)

    def __post_init__(self):
        d = self.data
        self.layout = Layout(len(d.inputs), len(d.outputs), len(d.bad_outputs))
        M = d.matrix
        scale = M.mean(axis=0)
        scale[scale <= 0] = 1.0
        self.scale = scale
        positive = np.where(M > 0, M, np.inf).min(axis=0)
        self.small = np.where(np.isfinite(positive), positive / 100.0, 1.0) / scale
        parts = [M / scale]
        if self.model in DIRECTIONAL:
            G = self.direction_matrix / scale
            if self.model == "sbm_ddf" and self.zeros == "small_positive" and isinstance(self.direction, str) \
                    and self.direction == "observed":
                G = np.where(G == 0, self.small, G)
            parts.append(G)
        self.rows = np.ascontiguousarray(np.hstack(parts))
        self.bad_cap = M[:, self.layout.bads].max(axis=0) / scale[self.layout.bads] if self.layout.s2 else np.zeros(0)

    # -- set-up --------------------------------------------------------------------------------------
    def check_zeros(self, frame_labels: pd.Index, rows: np.ndarray) -> None:
        """Raise for zeros in the variables this model divides by (policy ``"error"``)."""
        if self.zeros != "error":
            return
        L, d = self.layout, self.data
        if self.model == "sbm":
            mask = sbm.divided_columns(L, self.orientation)
            values = d.matrix
        elif self.model == "sbm_ddf" and isinstance(self.direction, str) and self.direction == "observed":
            mask = np.ones(L.d, dtype=bool)
            values = d.matrix
        else:
            return
        names = [v for v, keep in zip(d.variables, mask) if keep]
        zero_error(names, values[np.ix_(rows, np.flatnonzero(mask))], frame_labels[rows], f"model={self.model!r}")

    def spec(self, super_efficiency: bool, score_outside: bool = False) -> ModelSpec:
        key = (bool(super_efficiency), bool(score_outside))
        if key not in self._specs:
            self._specs[key] = self._build(*key)
        return self._specs[key]

    def _build(self, super_efficiency: bool, score_outside: bool) -> ModelSpec:
        L, m = self.layout, self.model
        if m == "radial":
            return radial.build(L, rts=self.rts, orientation=self.orientation,
                                disposability=self.bad_disposability, super_efficiency=super_efficiency,
                                scale=self.scale)
        if m == "sbm":
            w = _weights_vector(self.weights, self.data, np.ones(L.d))
            return sbm.build(L, rts=self.rts, orientation=self.orientation, super_efficiency=super_efficiency,
                             weights=w, zeros=self.zeros, small=self.small, score_outside=score_outside)
        if m == "ddf":
            return ddf.build_ddf(L, rts=self.rts, disposability=self.bad_disposability,
                                 super_efficiency=super_efficiency, bad_cap=self.bad_cap, scale=self.scale)
        if m == "nddf":
            w = _weights_vector(self.weights, self.data, np.ones(L.d))
            return ddf.build_nddf(L, rts=self.rts, disposability=self.bad_disposability, weights=w,
                                  bad_cap=self.bad_cap)
        w = _weights_vector(self.weights, self.data, sbm_ddf.default_weights(L))
        return sbm_ddf.build(L, rts=self.rts, weights=w)

    # -- solving -------------------------------------------------------------------------------------
    def solve(self, eval_idx: np.ndarray, ref_idx: np.ndarray, *, super_efficiency: bool,
              score_outside: bool = False, n_jobs: int = 1, method: str = "auto", chunk_size: int | None = None,
              progress=None) -> engine.BatchResult:
        """Evaluate the rows ``eval_idx`` against the reference rows ``ref_idx`` (positions in the data)."""
        ref_idx = np.asarray(ref_idx, dtype=np.int64)
        eval_idx = np.asarray(eval_idx, dtype=np.int64)
        order = np.argsort(ref_idx)
        found = np.searchsorted(ref_idx[order], eval_idx)
        found = np.clip(found, 0, max(len(ref_idx) - 1, 0))
        own = np.where((len(ref_idx) > 0) & (ref_idx[order][found] == eval_idx), order[found], -1)
        ref_data = self.rows[ref_idx, : self.layout.d]
        out = engine.run_model(self.spec(super_efficiency, score_outside), ref_data, self.rows[eval_idx], own,
                               method=method, n_jobs=n_jobs, chunk_size=chunk_size, progress=progress)
        for key in ("slacks", "targets"):
            if key in out.values:
                out.values[key] = out.values[key] * self.scale
        for key, value in out.values.items():  # + 0.0 turns an LP's signed zero -0.0 into 0.0
            if value.dtype.kind == "f":
                out.values[key] = value + 0.0
        out.lam_idx = ref_idx[out.lam_idx]
        return out


def normalise_options(model, orientation, rts, bad_disposability, direction, super_efficiency, weights):
    """Check the option combination; return (orientation, bad_disposability, direction) with defaults."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {MODELS}, got {model!r}")
    check_flag(super_efficiency, "super_efficiency")
    if rts not in base.RTS:
        raise ValueError(f"rts must be one of {base.RTS}, got {rts!r}")
    if model == "radial":
        orientation = orientation or "input"
    elif model == "sbm":
        orientation = orientation or "nonoriented"
    elif orientation is not None:
        raise ValueError(f"model={model!r} has no orientation; choose the direction instead "
                         "(direction='output' is output oriented, 'input' input oriented)")
    if model in ("radial", "ddf", "nddf"):
        bad_disposability = bad_disposability or "weak"
        allowed = ("weak", "strong") if model == "radial" else base.DISPOSABILITY
        if bad_disposability not in allowed:
            raise ValueError(f"bad_disposability for model={model!r} must be one of {allowed}, got {bad_disposability!r}")
    else:
        if bad_disposability not in (None, "slacks"):
            raise ValueError(f"model={model!r} treats bad outputs through their slacks; bad_disposability "
                             f"{bad_disposability!r} does not apply (leave it None)")
        bad_disposability = "slacks"
    if model in DIRECTIONAL:
        direction = "observed" if direction is None else direction
    elif direction is not None:
        raise ValueError(f"direction applies to the directional models {DIRECTIONAL}, not model={model!r}")
    if super_efficiency and model in ("nddf", "sbm_ddf"):
        raise ValueError(f"super_efficiency is not defined for model={model!r}: with beta >= 0 (or equality "
                         "constraints) an efficient DMU has no feasible point once it leaves its reference set")
    if weights is not None and model not in ("sbm", "nddf", "sbm_ddf"):
        raise ValueError(f"weights apply to models 'sbm', 'nddf' and 'sbm_ddf', not {model!r}")
    return orientation, bad_disposability, direction


def _reference_positions(reference, frame: pd.DataFrame) -> np.ndarray:
    n = len(frame)
    if reference is None:
        return np.ones(n, dtype=bool)
    if isinstance(reference, pd.Series) and reference.dtype == bool:
        mask = reference.reindex(frame.index)
        if mask.isna().any():
            raise ValueError(f"reference mask has no value for rows {_rows(frame.index[mask.isna().to_numpy()])}")
        return mask.to_numpy(dtype=bool)
    arr = np.asarray(reference)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"a boolean reference mask needs one value per row ({n}), got shape {arr.shape}")
        return arr.copy()
    labels = pd.Index(list(reference))
    unknown = labels.difference(frame.index)
    if len(unknown):
        raise ValueError(f"reference names DMUs not in data: {_rows(unknown)}")
    return frame.index.isin(labels)


def efficiency(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    model: str = "sbm",
    orientation: str | None = None,
    rts: str = "vrs",
    super_efficiency: bool = False,
    bad_disposability: str | None = None,
    direction=None,
    weights: dict | None = None,
    reference=None,
    period: str | None = None,
    technology: str | None = None,
    window: int | None = None,
    zeros: str = "error",
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> EfficiencyResult:
    """Score every DMU (row) of ``data`` with one DEA model.

    Parameters
    ----------
    data : DataFrame, one row per DMU; its index labels the DMUs (panels: one row per entity-period).
    inputs, outputs, bad_outputs : column names of inputs, desirable and undesirable outputs.
    model : ``"radial"`` (CCR/BCC), ``"sbm"`` (Tone's SBM, hybrid super-SBM with ``super_efficiency``),
        ``"ddf"`` (radial directional distance function), ``"nddf"`` (non-radial DDF), ``"sbm_ddf"``.
    orientation : radial: ``"input"`` (default; theta <= 1) or ``"output"`` (phi >= 1); sbm: ``"nonoriented"``
        (default), ``"input"`` or ``"output"``. Directional models use ``direction`` instead.
    rts : returns to scale, ``"crs"``, ``"vrs"`` (default), ``"nirs"`` or ``"ndrs"``.
    super_efficiency : the DMU leaves its own reference set (Andersen-Petersen for radial and ddf; for sbm the
        hybrid score: SBM rho if inefficient, Tone's super-SBM delta >= 1 if efficient).
    bad_disposability : radial / ddf / nddf: ``"weak"`` (default; B'lambda = b, Kuosmanen's form under
        VRS), ``"strong"`` (B'lambda <= b), ``"apz"`` (ddf/nddf: Aparicio-Pastor-Zofío 2013). SBM models treat
        bad outputs through their slacks.
    direction : directional models: ``"observed"`` (default, g = (x, y, b)), ``"output"`` (0, y, b),
        ``"input"`` (x, 0, 0), ``"ones"``, ``"mean"`` (column means) or a DataFrame aligned to ``data`` with one
        column per variable (non-negative magnitudes).
    weights : ``{column: weight}`` for sbm (relative weights), nddf (raw weights, default 1) and sbm_ddf
        (default 1/(2m) per input, 1/(2(s1+s2)) per output).
    reference : rows spanning the frontier: a boolean mask or a list of labels (default all rows).
    period, technology, window : a column (or an index level of a panel indexed by entity and period): score
        each period's rows against the frontier of that period
        (``"contemporaneous"``), of all earlier and current periods (``"sequential"``), of all periods
        (``"global"``) or of a window of ``window`` periods on each side (``"window"``), in one call.
        ``technology`` defaults to ``"contemporaneous"`` and needs ``period``. Periods are put in time order
        by :func:`frontier.panel.period_order` (sequential and window frontiers depend on it).
    zeros : what to do with zeros in variables the score divides by (SBM family): ``"error"`` (default),
        ``"small_positive"`` or ``"drop_term"``. Recorded in the result.
    n_jobs : parallel workers (joblib; -1 = all cores). Results do not depend on it.
    method : ``"auto"``/``"restricted"`` (exact column generation over a restricted reference set) or
        ``"full"`` (every reference column in every LP).
    progress : show a progress bar (default: only for long runs in an interactive terminal).

    Returns
    -------
    EfficiencyResult with ``scores``, ``status``, ``slacks``, ``targets``, ``peers`` (and ``betas``).
    """
    bad_outputs = [] if bad_outputs is None else bad_outputs
    if technology is not None and period is None:
        raise ValueError(f"technology={technology!r} needs period= (the column, or index level, of periods)")
    technology = "contemporaneous" if technology is None else technology
    check_engine_options(n_jobs, chunk_size)
    frame = data
    # the period is a column (validated with the variables) or else an index level of an (entity, period) panel
    from_index = period is not None and period not in frame.columns and period in frame.index.names
    other = [period] if period is not None and not from_index else []
    dea = validate_frame(frame, inputs, outputs, bad_outputs, other_columns=other)
    if period is None:
        period_values = None
    elif from_index:
        period_values = pd.Series(frame.index.get_level_values(period), index=frame.index, name=period)
    else:
        period_values = frame[period].copy()
    orientation, bad_disposability, direction = normalise_options(
        model, orientation, rts, bad_disposability, direction, super_efficiency, weights)
    check_zero_policy(zeros)
    check_weights(weights, dea, model, orientation)
    G = _direction_matrix(direction, dea, frame) if model in DIRECTIONAL else None
    problem = Problem(dea, model, orientation, rts, bad_disposability, direction, weights, zeros, G)
    ref_mask = _reference_positions(reference, frame)
    if ref_mask.sum() < 1:
        raise ValueError("the reference set is empty")

    n = len(frame)
    if period is None:
        groups = [(np.arange(n), np.flatnonzero(ref_mask))]
    else:
        if technology not in ("contemporaneous", "sequential", "global", "window"):
            raise ValueError("technology for efficiency() must be 'contemporaneous', 'sequential', 'global' or 'window'")
        per = period_values
        if per.isna().any():
            raise ValueError(f"period column {period!r} has missing values in rows {_rows(frame.index[per.isna().to_numpy()])}")
        periods = per.to_numpy()
        # only sequential and window frontiers depend on the time order (text periods without one are refused)
        order = period_order(per, period) if technology in ("sequential", "window") else list(pd.unique(periods))
        groups = []
        for t in order:
            ev = np.flatnonzero(periods == t)
            ref = np.flatnonzero(reference_mask(periods, t, technology, window, order) & ref_mask)
            if ref.size == 0:
                raise ValueError(f"period {t!r} has an empty reference set")
            groups.append((ev, ref))

    problem.check_zeros(frame.index, np.arange(n))
    bar = make_progress(progress, n)
    scores = np.full(n, np.nan)
    status = np.full(n, "not_solved", dtype=object)
    slacks = np.full((n, problem.layout.d), np.nan)
    targets = np.full((n, problem.layout.d), np.nan)
    betas = np.full((n, problem.layout.d), np.nan) if model in ("nddf", "sbm_ddf") else None
    peer_rows = []
    for ev, ref in groups:
        out = problem.solve(ev, ref, super_efficiency=super_efficiency, n_jobs=n_jobs, method=method,
                            chunk_size=chunk_size, progress=bar.update if bar else None)
        v = out.values
        scores[ev] = np.where(v["status"] == "optimal", v["score"], np.where(
            np.char.startswith(v["status"].astype(str), "slacks_"), v["score"], np.nan))
        status[ev] = v["status"]
        for key, target in (("slacks", slacks), ("targets", targets), ("betas", betas)):
            if target is not None and key in v:
                target[ev] = v[key]
        counts = np.diff(out.lam_ptr)
        peer_rows.append((np.repeat(ev, counts), out.lam_idx, out.lam_val))
    if bar:
        bar.close()
    # a failed LP gives NaN everywhere, never a number
    failed = ~np.isin(status, ["optimal"]) & ~np.char.startswith(status.astype(str), "slacks_")
    scores[failed] = np.nan
    slack_failed = status != "optimal"
    slacks[slack_failed] = np.nan
    targets[slack_failed] = np.nan
    if betas is not None:
        betas[failed] = np.nan

    labels = frame.index
    dmu = np.concatenate([p[0] for p in peer_rows]) if peer_rows else np.zeros(0, dtype=int)
    peer = np.concatenate([p[1] for p in peer_rows]) if peer_rows else np.zeros(0, dtype=int)
    weight = np.concatenate([p[2] for p in peer_rows]) if peer_rows else np.zeros(0)
    keep = np.abs(weight) > 1e-10
    peers = pd.DataFrame({"dmu": labels[dmu[keep]], "peer": labels[peer[keep]], "weight": weight[keep]})

    spec = {
        "model": model, "orientation": orientation, "rts": rts, "super_efficiency": bool(super_efficiency),
        "bad_disposability": bad_disposability if len(dea.bad_outputs) else None,
        "direction": "custom" if isinstance(direction, pd.DataFrame) else direction,
        "weights": dict(weights) if weights else None, "zeros": zeros,
        "period": period, "technology": technology if period is not None else None,
        "window": window if technology == "window" else None,
        "reference": "all rows" if reference is None else f"{int(ref_mask.sum())} rows",
        "inputs": list(dea.inputs), "outputs": list(dea.outputs), "bad_outputs": list(dea.bad_outputs),
        "description": problem.spec(super_efficiency).description,
    }
    variables = list(dea.variables)
    return EfficiencyResult(
        scores=pd.Series(scores, index=labels, name="score"),
        status=pd.Series(status.astype(str), index=labels, name="status"),
        slacks=pd.DataFrame(slacks, index=labels, columns=variables),
        targets=pd.DataFrame(targets, index=labels, columns=variables),
        peers=peers,
        betas=None if betas is None else pd.DataFrame(betas, index=labels, columns=variables),
        spec=spec,
        periods=period_values,
    )


def make_progress(progress: bool | None, total: int):
    """A tqdm bar when asked for, or by default for large interactive runs; None otherwise."""
    import sys

    if progress is None:
        progress = total >= 5000 and sys.stderr.isatty()
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit="DMU", desc="frontier")
