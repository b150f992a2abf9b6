"""``dynamic()``: Tone & Tsutsui's (2010) dynamic SBM of a balanced panel, one LP per entity over all its periods.

The long panel (one row per entity and period) becomes one wide row per entity (its periods side by side, each with
its inputs, outputs, bad outputs and carry-overs: :class:`frontier.models.dynamic.DynamicLayout`); every entity is
evaluated against all of them in one engine job (:func:`frontier.engine.run_jobs`: column generation, warm starts,
the certificate and the parallel map as for every model), and the answers are read back per period. The mathematics
is in :mod:`frontier.models.dynamic`; the result is a :class:`frontier.results.dynamic.DynamicResult`.

Units: each wide column is divided by the power of two nearest its mean (the LP's data are then the user's exactly;
dynamic SBM is invariant to each variable's unit, and a carry-over's continuity rows compare one period's column with
itself, so they are too); slacks and targets are multiplied back. The NaN rule is the package's: an entity whose LP is
not optimal gets NaN everywhere and the LP's status.
"""
from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from .. import engine
from .._text import format_labels
from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..models import family
from ..models.dynamic import INPUT_SIDE, OUTPUT_SIDE, DynamicLayout, build
from ..options import CARRY_OVER_KINDS, DYNAMIC_RTS
from ..panel import key_values, period_order, period_values as period_column
from ..results.base import ModelSettings
from ..results.dynamic import DynamicResult
from ._pipeline import Analysis, progress_bar, public, spec_of

DYNAMIC = Analysis("dynamic", roles=("entity", "period", "inputs", "outputs", "bad_outputs", "carry_overs"),
                   result=DynamicResult, serves=None)
SNAP_TOL = 1e-9        # an overall or term score within this of 1 is reported as exactly 1 (LP noise is ~1e-12)


def carry_over_columns(carry_overs) -> dict:
    """``{kind: [columns]}`` from a mapping ``{kind: column or columns}`` or an iterable of ``(kind, column)`` pairs
    (the command line's ``--carry-overs KIND=COL ...``), every kind one of :data:`CARRY_OVER_KINDS`."""
    out = {kind: [] for kind in CARRY_OVER_KINDS}
    if carry_overs is None:
        return out
    if isinstance(carry_overs, dict):
        pairs = [(kind, col) for kind, cols in carry_overs.items()
                 for col in as_column_list(cols, f"carry_overs[{kind!r}]")]
    elif isinstance(carry_overs, (list, tuple)) and all(isinstance(p, (list, tuple)) and len(p) == 2
                                                        for p in carry_overs):
        pairs = [tuple(p) for p in carry_overs]
    else:
        raise ValueError("carry_overs must be a dict {kind: [columns]} with kinds "
                         f"{CARRY_OVER_KINDS}, e.g. {{'good': ['capital']}}, got {carry_overs!r}")
    for kind, col in pairs:
        key = option_value(kind)
        if key not in CARRY_OVER_KINDS:
            raise ValueError(f"carry-over kind must be one of {CARRY_OVER_KINDS}, got {kind!r} (for {col!r})")
        if col in out[key]:
            raise ValueError(f"carry-over column {col!r} is given twice")
        out[key].append(col)
    return out


def _weights_by_period(period_weights, order: list) -> np.ndarray:
    """W_t >= 0 summing to 1, in time order: equal by default; else a sequence (one per period, in time order), a
    mapping ``{period: weight}`` or ``(period, weight)`` pairs (the command line's ``PERIOD=W``; a period matched by
    its value or its text). Tone & Tsutsui's w^t are these times T."""
    T = len(order)
    if period_weights is None:
        return np.full(T, 1.0 / T)
    if isinstance(period_weights, dict) or (isinstance(period_weights, (list, tuple)) and period_weights
                                             and all(isinstance(p, (list, tuple)) for p in period_weights)):
        given = dict(period_weights)
        text = {str(p): p for p in order}
        values = {}
        for key, w in given.items():
            period = key if key in order else text.get(str(key))
            if period is None:
                raise ValueError(f"period_weights names period {key!r}, which is not in the data ({order})")
            values[period] = w
        missing = [p for p in order if p not in values]
        if missing:
            raise ValueError(f"period_weights gives no weight for periods {missing}: give one per period")
        raw = [values[p] for p in order]
    else:
        raw = list(period_weights)
        if len(raw) != T:
            raise ValueError(f"period_weights needs one weight per period ({T}, in time order {order}), got {len(raw)}")
    for w in raw:
        if isinstance(w, (bool, np.bool_)) or not isinstance(w, numbers.Real) or not np.isfinite(w) or w < 0:
            raise ValueError(f"period weights must be finite numbers >= 0, got {w!r}")
    W = np.asarray(raw, dtype=float)
    if W.sum() <= 0:
        raise ValueError("period_weights are all zero: at least one period must count")
    return W / W.sum()


def _wide(frame: pd.DataFrame, entities: pd.Series, periods: pd.Series, order: list, columns: list) -> tuple:
    """The entities (first-seen order) and their wide rows (n x T p, periods in time order), refusing an unbalanced
    panel with the entities and periods that are missing."""
    ids = pd.unique(entities)
    key = pd.MultiIndex.from_arrays([entities.to_numpy(), periods.to_numpy()])
    if key.has_duplicates:
        raise ValueError(f"entity and period do not identify the rows: {format_labels(key[key.duplicated()])} "
                         "appear more than once")
    values = pd.DataFrame(frame[columns].to_numpy(dtype=float), index=key, columns=columns)
    full = pd.MultiIndex.from_product([ids, order])
    absent = full.difference(key)
    if len(absent):
        raise ValueError(f"dynamic SBM needs a balanced panel (every entity in every period: the carry-overs link "
                         f"consecutive periods); missing (entity, period): {format_labels(absent)}")
    return ids, values.reindex(full).to_numpy().reshape(len(ids), len(order) * len(columns))


@public(DYNAMIC)
def dynamic(
    data: pd.DataFrame,
    entity: str,
    period: str,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    carry_overs=None,
    orientation: str = "nonoriented",
    rts: str = "vrs",
    period_weights=None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> DynamicResult:
    """Dynamic SBM (Tone & Tsutsui 2010): each entity's periods in one LP, linked by carry-overs.

    Parameters
    ----------
    data : DataFrame, a balanced long panel: one row per entity and period (entity and period columns or index levels).
    entity, period : the columns (or index levels) identifying the entity and the period; periods are put in time
        order by :func:`frontier.panel.period_order`.
    inputs, outputs, bad_outputs : column names of inputs, desirable and undesirable outputs (in every period).
        Bad outputs are treated as in ``efficiency(model="sbm")`` (Tone 2004): an excess slack on the output side.
    carry_overs : ``{"good": [...], "bad": [...], "free": [...], "fixed": [...]}`` (any subset of the kinds): the
        columns carried from each period into the next, the value in period t's row being the one carried into t+1.
        good (desirable, an output: its shortfall counts), bad (undesirable, an input: its excess counts), free
        (discretionary, moves either way without counting), fixed (non-discretionary: held at its value). Also
        ``[(kind, column), ...]`` pairs.
    orientation : ``"nonoriented"`` (default), ``"input"`` or ``"output"``.
    rts : ``"vrs"`` (default; one convexity row per period) or ``"crs"``.
    period_weights : the weight of each period in the overall score: one per period in time order, or
        ``{period: weight}``; normalised to sum to 1. Default equal.
    n_jobs, method, chunk_size, progress : the engine's options, as for :func:`frontier.efficiency`.

    Returns
    -------
    DynamicResult with ``scores`` (overall, one per entity), ``terms`` (entity x period), ``slacks`` and ``targets``
    (one row per entity and period), ``status``.
    """
    orientation, rts, method = option_value(orientation), option_value(rts), option_value(method)
    fam = family("dynamic_sbm")
    if orientation not in fam.orientations:
        raise ValueError(f"orientation must be one of {fam.orientations}, got {orientation!r}")
    if rts not in DYNAMIC_RTS:
        raise ValueError(f"rts must be one of {DYNAMIC_RTS} for dynamic SBM (Tone & Tsutsui define CRS and VRS), "
                         f"got {rts!r}")
    check_engine_options(n_jobs, chunk_size)
    links = carry_over_columns(carry_overs)
    link_columns = [c for kind in CARRY_OVER_KINDS for c in links[kind]]
    inputs, outputs = as_column_list(inputs, "inputs"), as_column_list(outputs, "outputs")
    bad_outputs = as_column_list(bad_outputs, "bad_outputs")
    clash = [c for c in link_columns if c in inputs + outputs + bad_outputs]
    if clash:
        raise ValueError(f"column {clash[0]!r} is given both as a carry-over and as an input or output")
    for role, name in (("entity", entity), ("period", period)):
        if name in inputs + outputs + bad_outputs + link_columns:
            raise ValueError(f"column {name!r} is given both as {role} and as a variable")
    other = [c for c in (entity, period) if c in data.columns]
    # the carry-overs are validated as variables (numeric, finite, >= 0) alongside the inputs
    dea = validate_frame(data, inputs + link_columns, outputs, bad_outputs, other_columns=other)
    entities = key_values(data, entity, "entity")
    periods = period_column(data, period)
    if periods.isna().any():
        raise ValueError(f"period column {period!r} has missing values in rows "
                         f"{format_labels(data.index[periods.isna().to_numpy()])}")
    order = period_order(periods, period)
    W = _weights_by_period(period_weights, order)
    columns = inputs + outputs + bad_outputs + link_columns
    kinds = tuple(["input"] * len(inputs) + ["output"] * len(outputs) + ["bad_output"] * len(bad_outputs)
                  + [f"{kind}_carry_over" for kind in CARRY_OVER_KINDS for _ in links[kind]])
    ids, wide = _wide(data, entities, periods, order, columns)
    layout = DynamicLayout(kinds, len(order))
    if len(ids) < 2:
        raise ValueError("dynamic SBM needs at least 2 entities")
    _refuse_zeros(wide, layout, ids, order, columns, orientation)

    scale = wide.mean(axis=0)
    scale[scale <= 0] = 1.0
    scale = np.exp2(np.round(np.log2(scale)))
    rows = np.ascontiguousarray(wide / scale)
    spec = build(layout, rts=rts, orientation=orientation, period_weights=W)
    n = len(ids)
    with progress_bar(progress, n, unit="entity") as advance:
        out = engine.run_jobs([engine.Job(spec, rows, rows, np.arange(n))], method=method, n_jobs=n_jobs,
                              chunk_size=chunk_size, progress=advance)[0]
    v = out.values
    status = np.asarray(v["status"]).astype(object)
    ok = status == "optimal"
    overall = np.where(ok, np.asarray(v["score"], dtype=float), np.nan)
    terms = np.where(ok[:, None], np.asarray(v["terms"], dtype=float), np.nan)
    slacks = np.where(ok[:, None], np.asarray(v["slacks"], dtype=float) * scale, np.nan)
    targets = np.where(ok[:, None], np.asarray(v["targets"], dtype=float) * scale, np.nan)
    for values in (overall, terms):
        values[np.abs(values - 1.0) <= SNAP_TOL] = 1.0

    T, p = len(order), len(columns)
    long_index = pd.MultiIndex.from_product([ids, order], names=[entity, period])
    entity_index = pd.Index(ids, name=entity)
    settings = ModelSettings(model="dynamic_sbm", orientation=orientation, rts=rts, super_efficiency=False,
                             bad_disposability="slacks" if bad_outputs else None, direction=None, weights=None,
                             zeros="error", inputs=tuple(inputs), outputs=tuple(outputs),
                             bad_outputs=tuple(bad_outputs), description=spec.description,
                             parameters={"carry_overs": {k: tuple(c) for k, c in links.items() if c},
                                         "period_weights": {str(t): float(w) for t, w in zip(order, W)}})
    return DynamicResult(
        scores=pd.Series(overall + 0.0, index=entity_index, name="overall"),
        terms=pd.DataFrame(terms + 0.0, index=entity_index, columns=pd.Index(order, name=period)),
        slacks=pd.DataFrame((slacks + 0.0).reshape(n * T, p), index=long_index, columns=columns),
        targets=pd.DataFrame((targets + 0.0).reshape(n * T, p), index=long_index, columns=columns),
        observed=pd.DataFrame(wide.reshape(n * T, p), index=long_index, columns=columns),
        status=pd.Series(status.astype(str), index=entity_index, name="status"),
        carry_overs={k: tuple(c) for k, c in links.items()},
        period_weights=pd.Series(W, index=pd.Index(order, name=period), name="weight"),
        spec=spec_of(settings, entity=entity, period=period, n_entities=n, n_periods=T),
    )


def _refuse_zeros(wide: np.ndarray, layout: DynamicLayout, ids, order, columns, orientation: str) -> None:
    """A zero in a variable the score divides by (the input side unless output-oriented, the output side unless
    input-oriented) is refused, naming the column and the (entity, period) rows."""
    divided = set()
    if orientation != "output":
        divided |= set(INPUT_SIDE)
    if orientation != "input":
        divided |= set(OUTPUT_SIDE)
    T, p = layout.T, layout.p
    values = wide.reshape(len(ids), T, p)
    for v, (col, kind) in enumerate(zip(columns, layout.kinds)):
        zero = np.argwhere(values[:, :, v] == 0)
        if kind in divided and len(zero):
            where = [(ids[i], order[t]) for i, t in zero]
            raise ValueError(f"column {col!r} is zero for (entity, period) {format_labels(pd.Index(where))}, and "
                             f"dynamic SBM ({orientation}) divides by it; drop those entities or use a positive value")
