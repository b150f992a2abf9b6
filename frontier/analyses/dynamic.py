"""``dynamic()``: Tone & Tsutsui's (2010) dynamic SBM of a balanced panel, one LP per entity over all its periods;
with ``nodes=``, their (2014) dynamic network SBM, each period opened into nodes (:func:`_dynamic_network`).

The long panel (one row per entity and period) becomes one wide row per entity (its periods side by side, each with
its inputs, outputs, bad outputs and carry-overs: :class:`frontier.models.dynamic.DynamicLayout`); every entity is
evaluated against all of them in one engine job (:func:`frontier.engine.run_jobs`: column generation, or every
column from :data:`FULL_MIN_ROWS` rows under ``method="auto"``, each entity's LP from HiGHS's slack basis, the
certificate and the parallel map as for every model), and the answers are read back per period. The mathematics
is in :mod:`frontier.models.dynamic`; the result is a :class:`frontier.results.dynamic.DynamicResult`.

Units: each wide column is divided by the power of two nearest its mean (the LP's data are then the user's exactly;
dynamic SBM is invariant to each variable's unit, and a carry-over's continuity rows compare one period's column with
itself, so they are too); slacks and targets are multiplied back. The NaN rule is the package's: an entity whose LP is
not optimal gets NaN everywhere and the LP's status.
"""
from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .. import engine
from .._text import format_labels
from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..models import family
from ..models.dynamic import INPUT_SIDE, OUTPUT_SIDE, DynamicLayout, build
from ..models.dynamic_network import build as build_network, expanded_layout, grouped_efficiencies
from ..options import CARRY_OVER_KINDS, DYNAMIC_RTS
from ..panel import key_values, period_order, period_values as period_column
from ..results.base import ModelSettings
from ..results.dynamic import DynamicResult
from ._pipeline import Analysis, progress_bar, public, spec_of
from .network import network_sbm_layout, normalised_weights

DYNAMIC = Analysis("dynamic", roles=("entity", "period", "inputs", "outputs", "bad_outputs", "carry_overs"),
                   result=DynamicResult, serves=None)
#: ``method="auto"`` solves dynamic SBM LPs of at least this many rows with every column in the model (``"full"``),
#: smaller ones by column generation. Each entity's optimum rests on columns of its own (21 intensities on average,
#: 2,479 of the 3,000 columns used by some entity at 300 entities x 10 periods x 3 carry-overs), so on long LPs the
#: restricted model grows to most columns anyway and its pricing rounds only add re-solves. CPU seconds, one core,
#: each entity from HiGHS's slack basis, full against column generation: 300 x 10 x 3 (108 rows) 5.2-6.3 against
#: 8.6-8.8, 500 x 10 x 3 14.2 against 17.1, 300 x 10 x 1 (70 rows) 3.0-3.5 against 4.1-4.8, 600 x 5 x 3 (53 rows) 6.5
#: against 7.7, 1,000 x 5 x 3 14.9 against 15.3, 300 x 10 x 3 input-oriented 4.1 against 8.1, output-oriented 7.4
#: against 7.6-8.1; 300 x 5 x 1 (35 rows) 1.2 against 1.0-1.2, 1,000 x 5 x 1 8.7 against 5.4 (column generation's side)
FULL_MIN_ROWS = 50
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
    return normalised_weights(raw, "period")


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
    inputs=None,
    outputs=None,
    bad_outputs=None,
    *,
    carry_overs=None,
    orientation: str = "nonoriented",
    rts: str = "vrs",
    period_weights=None,
    nodes=None,
    links=(),
    node_rts=None,
    node_weights=None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> DynamicResult:
    """Dynamic SBM (Tone & Tsutsui 2010): each entity's periods in one LP, linked by carry-overs; with ``nodes``,
    dynamic network SBM (Tone & Tsutsui 2014): each period opened into nodes linked within the period.

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
    nodes : dynamic network SBM (:mod:`frontier.models.dynamic_network`): ``{node: {"inputs": [...], "outputs":
        [...], "bad_outputs": [...], "carry_overs": {kind: [...]}}}``, each node's own variables and the carry-overs
        from its period to its next (as :func:`frontier.network`'s nodes, plus ``carry_overs``). ``inputs``,
        ``outputs``, ``bad_outputs`` and ``carry_overs`` are then not given: the nodes hold them.
    links, node_rts, node_weights : with ``nodes``, as for ``frontier.network(model="sbm")``: the links within each
        period (free or fixed), the returns to scale of some nodes (the others: ``rts``), the node weights
        (normalised to sum to 1; default equal).
    n_jobs, method, chunk_size, progress : the engine's options, as for :func:`frontier.efficiency`.

    Returns
    -------
    DynamicResult with ``scores`` (overall, one per entity), ``terms`` (entity x period), ``slacks`` and ``targets``
    (one row per entity and period), ``status``; with ``nodes`` also ``divisions`` (entity x node) and
    ``period_divisions`` (one row per entity and period, a column per node).
    """
    orientation, rts, method = option_value(orientation), option_value(rts), option_value(method)
    fam = family("dynamic_sbm")
    if orientation not in fam.orientations:
        raise ValueError(f"orientation must be one of {fam.orientations}, got {orientation!r}")
    if rts not in DYNAMIC_RTS:
        raise ValueError(f"rts must be one of {DYNAMIC_RTS} for dynamic SBM (Tone & Tsutsui define CRS and VRS), "
                         f"got {rts!r}")
    check_engine_options(n_jobs, chunk_size)
    if nodes is not None:
        given = [name for name, value in (("inputs", inputs), ("outputs", outputs), ("bad_outputs", bad_outputs),
                                          ("carry_overs", carry_overs)) if value is not None]
        if given:
            raise ValueError(f"with nodes=, each node's description holds its variables and carry-overs; "
                             f"{given} must not be given as well")
        return _dynamic_network(data, entity, period, nodes, links, rts, node_rts, node_weights, orientation,
                                period_weights, n_jobs, method, chunk_size, progress)
    network_only = [name for name, value in (("links", links), ("node_rts", node_rts),
                                             ("node_weights", node_weights)) if value]
    if network_only:
        raise ValueError(f"{network_only} describe a network: give nodes= as well (dynamic network SBM)")
    if inputs is None or outputs is None:
        raise ValueError("dynamic SBM needs inputs and outputs (or nodes=, for dynamic network SBM)")
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
    validate_frame(data, inputs + link_columns, outputs, bad_outputs, other_columns=other)
    columns = inputs + outputs + bad_outputs + link_columns
    kinds = tuple(["input"] * len(inputs) + ["output"] * len(outputs) + ["bad_output"] * len(bad_outputs)
                  + [f"{kind}_carry_over" for kind in CARRY_OVER_KINDS for _ in links[kind]])
    ids, order, W, wide = _panel(data, entity, period, period_weights, columns)
    layout = DynamicLayout(kinds, len(order))
    _refuse_zeros(wide, layout, ids, order, columns, orientation)

    spec = build(layout, rts=rts, orientation=orientation, period_weights=W)
    if method == "auto" and spec.stages[0].n_rows >= FULL_MIN_ROWS:
        method = "full"
    v, ok, status, scale = _solve_entities(spec, wide, n_jobs, method, chunk_size, progress)
    n = len(ids)
    overall = _snapped(np.where(ok, np.asarray(v["score"], dtype=float), np.nan))
    terms = _snapped(np.where(ok[:, None], np.asarray(v["terms"], dtype=float), np.nan))
    slacks = np.where(ok[:, None], np.asarray(v["slacks"], dtype=float) * scale, np.nan)
    targets = np.where(ok[:, None], np.asarray(v["targets"], dtype=float) * scale, np.nan)

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


def _solve_entities(spec, wide: np.ndarray, n_jobs, method, chunk_size, progress) -> tuple:
    """Every entity's LP in one engine job: ``(values, ok, status, scale)``. Each wide column is divided by the power
    of two nearest its mean (``scale``; slacks and targets are multiplied back by it)."""
    scale = wide.mean(axis=0)
    scale[scale <= 0] = 1.0
    scale = np.exp2(np.round(np.log2(scale)))
    rows = np.ascontiguousarray(wide / scale)
    n = len(rows)
    with progress_bar(progress, n, unit="entity") as advance:
        out = engine.run_jobs([engine.Job(spec, rows, rows, np.arange(n))], method=method, n_jobs=n_jobs,
                              chunk_size=chunk_size, progress=advance)[0]
    status = np.asarray(out.values["status"]).astype(object)
    return out.values, status == "optimal", status, scale


def _snapped(values: np.ndarray) -> np.ndarray:
    """Scores within :data:`SNAP_TOL` of 1 reported as exactly 1."""
    values[np.abs(values - 1.0) <= SNAP_TOL] = 1.0
    return values


def _panel(data, entity, period, period_weights, columns) -> tuple:
    """The balanced panel's entities, time order, period weights and wide rows over ``columns`` (entity x period
    checks as :func:`dynamic`'s)."""
    entities = key_values(data, entity, "entity")
    periods = period_column(data, period)
    if periods.isna().any():
        raise ValueError(f"period column {period!r} has missing values in rows "
                         f"{format_labels(data.index[periods.isna().to_numpy()])}")
    order = period_order(periods, period)
    W = _weights_by_period(period_weights, order)
    ids, wide = _wide(data, entities, periods, order, columns)
    if len(ids) < 2:
        raise ValueError("dynamic SBM needs at least 2 entities")
    return ids, order, W, wide


def _dynamic_network(data, entity, period, nodes, links, rts, node_rts, node_weights, orientation, period_weights,
                     n_jobs, method, chunk_size, progress) -> DynamicResult:
    """Dynamic network SBM (Tone & Tsutsui 2014; :mod:`frontier.models.dynamic_network`): the network parsed as
    ``frontier.network(model="sbm")`` parses it (each node's ``carry_overs`` taken out first), the panel as
    :func:`dynamic`'s, one LP per entity over every (period, node) through the engine."""
    if not isinstance(nodes, Mapping) or not nodes:
        raise ValueError("nodes must be a non-empty dict {node: {'inputs': [...], 'outputs': [...], "
                         "'carry_overs': {kind: [...]}}}")
    base_nodes, node_carry_overs = {}, []
    for position, (name, description) in enumerate(nodes.items()):
        if isinstance(description, Mapping) and "carry_overs" in description:
            description = dict(description)
            kinds = carry_over_columns(description.pop("carry_overs"))
            node_carry_overs += [(c, position, kind) for kind in CARRY_OVER_KINDS for c in kinds[kind]]
        base_nodes[name] = description
    network = network_sbm_layout(base_nodes, links, rts, node_rts, node_weights)
    carry_columns = [c for c, _, _ in node_carry_overs]
    taken = set(network.columns)
    for c in carry_columns:
        if c in taken:
            raise ValueError(f"column {c!r} is given twice (as a carry-over and as another variable or link)")
        taken.add(c)
    for role, name in (("entity", entity), ("period", period)):
        if name in taken:
            raise ValueError(f"column {name!r} is given both as {role} and as a variable")
    base_kinds = list(network.kinds)
    columns = list(network.columns) + carry_columns
    by_kind = {kind: [c for c, k in zip(network.columns, base_kinds) if k == kind] for kind in set(base_kinds)}
    validate_frame(data, by_kind.get("input", []) + carry_columns, by_kind.get("output", []) + by_kind.get("link", []),
                   by_kind.get("bad_output", []), other_columns=[c for c in (entity, period) if c in data.columns])
    ids, order, W, wide = _panel(data, entity, period, period_weights, columns)
    # the variables' kinds as dynamic SBM names them, for its zero check (links are divided by nowhere)
    term_kinds = tuple(base_kinds + [f"{kind}_carry_over" for _, _, kind in node_carry_overs])
    _refuse_zeros(wide, DynamicLayout(term_kinds, len(order)), ids, order, columns, orientation)

    T, p, n = len(order), len(columns), len(ids)
    layout = expanded_layout(network, tuple(node_carry_overs), T, W)
    spec = build_network(layout, orientation)
    v, ok, status, scale = _solve_entities(spec, wide, n_jobs, method, chunk_size, progress)
    overall = _snapped(np.where(ok, np.asarray(v["score"], dtype=float), np.nan))
    grouped = grouped_efficiencies(np.asarray(v["input_side"], dtype=float), np.asarray(v["output_side"], dtype=float),
                                   W, network.weights)
    periods, divisions, period_divisions = (_snapped(np.where(ok.reshape((-1,) + (1,) * (g.ndim - 1)), g, np.nan))
                                            for g in (grouped["periods"], grouped["nodes"], grouped["period_nodes"]))
    targets = np.where(ok[:, None], np.asarray(v["targets"], dtype=float) * scale, np.nan).reshape(n * T, p)
    slacks = np.where(ok[:, None], np.asarray(v["slacks"], dtype=float) * scale, np.nan).reshape(n * T, p)
    observed = wide.reshape(n * T, p)
    free = [network.width + v for v, (_, _, kind) in enumerate(node_carry_overs) if kind == "free"]
    slacks[:, free] = observed[:, free] - targets[:, free]          # a free carry-over's signed change
    with_slack = [j for j, kind in enumerate(term_kinds) if kind != "link"]

    long_index = pd.MultiIndex.from_product([ids, order], names=[entity, period])
    entity_index = pd.Index(ids, name=entity)
    carry_by_kind = {kind: tuple(c for c, _, k in node_carry_overs if k == kind) for kind in CARRY_OVER_KINDS}
    bad_outputs = tuple(by_kind.get("bad_output", []))
    settings = ModelSettings(
        model="dynamic_network_sbm", orientation=orientation, rts=rts, super_efficiency=False,
        bad_disposability="slacks" if bad_outputs else None, direction=None, weights=None, zeros="error",
        inputs=tuple(by_kind.get("input", [])), outputs=tuple(by_kind.get("output", [])), bad_outputs=bad_outputs,
        description=spec.description,
        parameters={"carry_overs": {k: c for k, c in carry_by_kind.items() if c},
                    "period_weights": {str(t): float(w) for t, w in zip(order, W)},
                    "node_rts": {name: "vrs" if vrs else "crs" for name, vrs in zip(network.nodes, network.vrs)},
                    "node_weights": {name: float(w) for name, w in zip(network.nodes, network.weights)},
                    "links": {network.columns[c]: "fixed" if fixed else "free" for c, _, _, fixed in network.links}})
    structure = {"nodes": network.nodes,
                 "carry_overs": {network.nodes[k]: tuple(c for c, node, _ in node_carry_overs if node == k)
                                 for k in range(len(network.nodes))}}
    node_columns = pd.Index(network.nodes, name="node")
    return DynamicResult(
        scores=pd.Series(overall + 0.0, index=entity_index, name="overall"),
        terms=pd.DataFrame(periods + 0.0, index=entity_index, columns=pd.Index(order, name=period)),
        slacks=pd.DataFrame(slacks[:, with_slack] + 0.0, index=long_index,
                            columns=[columns[j] for j in with_slack]),
        targets=pd.DataFrame(targets + 0.0, index=long_index, columns=columns),
        observed=pd.DataFrame(observed, index=long_index, columns=columns),
        status=pd.Series(status.astype(str), index=entity_index, name="status"),
        carry_overs=carry_by_kind,
        period_weights=pd.Series(W, index=pd.Index(order, name=period), name="weight"),
        spec=spec_of(settings, entity=entity, period=period, n_entities=n, n_periods=T, network=structure),
        divisions=pd.DataFrame(divisions + 0.0, index=entity_index, columns=node_columns),
        period_divisions=pd.DataFrame(period_divisions.reshape(n * T, -1) + 0.0, index=long_index,
                                      columns=node_columns))


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
