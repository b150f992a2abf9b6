"""``network()``: network DEA, a DMU opened into nodes (processes, stages) linked by intermediate products.

The network is data: ``nodes`` maps each node to its exogenous inputs, final outputs and bad outputs (columns of
the data), ``links`` lists the intermediate products (a column produced by one node and consumed by another), and
``stages`` groups the nodes in order (by default by their depth in the network). A column may be a *share* of a
measure the model prices once (Kao 2009's system inputs split among processes, a product partly final and partly
passed on): give the node's roles as ``{measure: column}`` and the link its ``measure``.

Models (the LPs, their envelopment form and the tie rule: :mod:`frontier.models.network`):

* ``"relational"`` (Kao & Hwang 2008 for two stages; Kao 2009 for series and parallel processes), CRS: the system
  efficiency E, each node's efficiency and its slack (the node's share of the inefficiency: the slacks add up to
  1 - E), each stage's efficiency (they multiply to E). Kao and Hwang define it under constant returns only:
  the decomposition E = E_1 x E_2 rests on it, so ``rts="vrs"`` is refused.
* ``"additive"`` (Chen, Cook, Li & Zhu 2009), CRS and VRS: the overall efficiency sum_s w_s E_s with the
  paper's weights w_s (each stage's share of the total input value), the stage and node efficiencies.

The decomposition is not unique: as the papers do, the first stage's efficiency is maximised with the system score
at its optimum, and the rest is read from that solution (two stages: E_2 = E / E_1, relational; (E - w_1 E_1) /
w_2, additive). Each DMU is one LP over every node (one block of intensities per node, the links as rows with
+ in the producer's block and - in the consumer's), solved by the engine's batched path like any other model.
The independent CCR scores of the black box and of each node (``ccr``) are reported beside, for comparison.
"""
from __future__ import annotations

import numbers
from collections.abc import Mapping

import numpy as np
import pandas as pd
from scipy.optimize import linprog

from .. import engine
from .._text import format_labels
from ..data import check_engine_options, option_value, validate_frame
from ..models import family as model_family
from ..models.network import NETWORK_RTS, TIE_SLACK, NetworkLayout
from ..models.network_sbm import NetworkSBMLayout
from ..models.registry import ModelOptions
from ..options import NETWORK_MODELS
from ..results.base import ModelSettings
from ..results.network import NetworkResult
from ._pipeline import Analysis, progress_bar, public, spec_of
from .efficiency import efficiency

NETWORK = Analysis("network", roles=(), result=NetworkResult, serves="network", fixed_models=NETWORK_MODELS)

NODE_ROLES = ("inputs", "outputs", "bad_outputs")
SNAP_TOL = 1e-9        # a network SBM score within this of 1 is reported as exactly 1 (LP noise is ~1e-12)
LINK_KEYS = {"from", "to", "column", "measure", "kind"}


@public(NETWORK)
def network(
    data: pd.DataFrame,
    *,
    nodes: dict,
    links=(),
    stages=None,
    model: str = "relational",
    rts: str = "crs",
    orientation: str | None = None,
    node_rts=None,
    node_weights=None,
    ccr: bool = True,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> NetworkResult:
    """Network DEA of every row of ``data`` (one DMU per row, labelled by the index).

    Parameters
    ----------
    nodes : ``{node: {"inputs": ..., "outputs": ..., "bad_outputs": ...}}``, in order; each role a list of columns
        (each its own measure) or ``{measure: column}`` (columns that are shares of one measure, e.g. a system input
        split among the nodes). A node may have no exogenous inputs (its inputs are links) or no final outputs.
        Bad outputs: network SBM only (``model="sbm"``).
    links : intermediate products, each ``{"from": node, "to": node, "column": column}`` (or a tuple
        ``(from, to, column)``), optionally ``"measure"`` (the product it is a share of; default the column) and
        ``"kind"``: ``"free"`` (default: the link is an output of one node and an input of the other, its value
        free with continuity) or ``"fixed"`` (network SBM only: held at the DMU's own value).
    stages : the nodes grouped into stages in order (a list of lists of node names); default: by depth (a node
        without incoming links is in stage 1, a node fed by stage s in stage s + 1). Links go forward only.
        Relational and additive models only (network SBM's divisions are the nodes).
    model : ``"relational"`` (Kao & Hwang 2008; Kao 2009), ``"additive"`` (Chen, Cook, Li & Zhu 2009) or
        ``"sbm"`` (network SBM, Tone & Tsutsui 2009: :mod:`frontier.models.network_sbm`).
    rts : ``"crs"`` (every model) or ``"vrs"`` (additive, sbm); for sbm, every node's unless ``node_rts`` says.
    orientation : network SBM: ``"nonoriented"`` (default), ``"input"`` or ``"output"``.
    node_rts : network SBM: ``{node: "crs" | "vrs"}``, the returns to scale of those nodes (the others: ``rts``).
    node_weights : network SBM: ``{node: weight}`` for every node (or one per node in order), w_k >= 0,
        normalised to sum to 1; default equal.
    ccr : relational and additive models: also compute the independent CCR (input-oriented, CRS) scores of the
        black box and of each node (network SBM reports none).
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.

    Returns
    -------
    NetworkResult: ``system`` (the system or overall efficiency), ``nodes`` (each node's efficiency; network
    SBM: divisional), ``stages`` (each stage's efficiency), ``slacks`` (relational: each node's share of 1 - E;
    network SBM: each variable's slack), ``targets`` (network SBM), ``stage_weights`` (additive), ``ccr``,
    ``multipliers`` (relational, additive: the weight of each measure, scaled so the system input value is 1),
    ``status``.
    """
    check_engine_options(n_jobs, chunk_size)
    if not isinstance(model, str) or model.lower() not in NETWORK_MODELS:
        raise ValueError(f"model must be one of {NETWORK_MODELS}, got {model!r}")
    model = model.lower()
    allowed_rts = NETWORK_RTS[model]
    if not isinstance(rts, str) or rts.lower() not in allowed_rts:
        why = " (Kao & Hwang's decomposition E = E_1 x E_2 holds under CRS only)" if model == "relational" else ""
        raise ValueError(f"rts for model={model!r} must be one of {allowed_rts}{why}, got {rts!r}")
    rts = rts.lower()
    if model == "sbm":
        if stages is not None:
            raise ValueError("stages are the relational and additive models'; network SBM's divisions are the nodes")
        return _network_sbm(data, nodes, links, rts, orientation, node_rts, node_weights, n_jobs, method,
                            chunk_size, progress)
    for name, value in (("orientation", orientation), ("node_rts", node_rts), ("node_weights", node_weights)):
        if value is not None:
            raise ValueError(f"{name} is network SBM's (model='sbm'); the {model} model takes none")
    layout = network_layout(nodes, links, stages)
    inputs = [c for c, is_input in zip(layout.columns, _column_is_input(layout)) if is_input]
    outputs = [c for c in layout.columns if c not in inputs]
    dea = validate_frame(data, inputs, outputs)
    matrix = data[list(layout.columns)].to_numpy(dtype=float)
    _check_node_data(layout, matrix, data.index)

    fam = model_family(f"network_{model}", serves="network")
    options = ModelOptions(fam.name, None, rts, "slacks", None, None, "error")
    scale = measure_scales(layout, matrix)
    rows = np.ascontiguousarray(matrix / scale)
    spec = fam.build(layout, options, None, False, True)
    n = len(rows)
    with progress_bar(progress, n) as advance:
        out = engine.run_jobs([engine.Job(spec, rows, rows, np.arange(n))], method=method, n_jobs=n_jobs,
                              chunk_size=chunk_size, progress=advance)[0]
    tables = decompose(layout, model, rts, rows, out.values)
    labels = data.index
    frames = {name: pd.DataFrame(value, index=labels, columns=cols) for name, (value, cols) in tables.items()}
    status = _status(out.values)
    if model == "additive":
        status = _name_unidentified_stages(layout, rts == "vrs", rows, out.values["score"], status)
    status = pd.Series(status, index=labels, name="status")
    system = pd.Series(np.where(status.isin(DECOMPOSITION_ONLY), out.values["score"], np.nan),
                       index=labels, name="system")
    system[np.abs(system - 1.0) <= 1e-9] = 1.0
    weights = frames["multipliers"] / np.array([scale[_first_column(layout, m)] for m in range(layout.n_measures)])
    ccr_scores = independent_ccr(layout, data, matrix) if ccr else None

    settings = ModelSettings(model=fam.name, orientation="input", rts=rts, super_efficiency=False,
                             bad_disposability=None, direction=None, weights=None, zeros="error",
                             inputs=tuple(dea.inputs), outputs=tuple(dea.outputs), bad_outputs=(),
                             description=spec.description)
    structure = {"nodes": layout.nodes, "stages": tuple(tuple(layout.nodes[k] for k in s) for s in layout.stages),
                 "measures": layout.measures}
    result_spec = spec_of(settings, network=structure, n_observations=n)
    return NetworkResult(system=system, nodes=frames["nodes"], stages=frames["stages"],
                         slacks=frames["slacks"] if model == "relational" else None, targets=None,
                         stage_weights=frames["stage_weights"] if model == "additive" else None, ccr=ccr_scores,
                         multipliers=weights, status=status, spec=result_spec)


def _network_sbm(data, nodes, links, rts, orientation, node_rts, node_weights, n_jobs, method, chunk_size,
                 progress) -> NetworkResult:
    """Network SBM (:mod:`frontier.models.network_sbm`): one LP per DMU over every node, through the engine. Each
    column is divided by the power of two nearest its mean (network SBM is invariant to each variable's unit, and
    a link's continuity row compares one column with itself); slacks and targets are multiplied back."""
    orientation = "nonoriented" if orientation is None else option_value(orientation)
    fam = model_family("network_sbm", serves="network")
    if orientation not in fam.orientations:
        raise ValueError(f"orientation for model='sbm' must be one of {fam.orientations}, got {orientation!r}")
    layout = network_sbm_layout(nodes, links, rts, node_rts, node_weights)
    kinds = np.array(layout.kinds)
    columns = list(layout.columns)
    inputs = [c for c, k in zip(columns, kinds) if k == "input"]
    bad_outputs = [c for c, k in zip(columns, kinds) if k == "bad_output"]
    outputs = [c for c, k in zip(columns, kinds) if k in ("output", "link")]
    validate_frame(data, inputs, outputs, bad_outputs)
    matrix = data[columns].to_numpy(dtype=float)
    _refuse_divided_zeros(layout, matrix, data.index, orientation)

    scale = matrix.mean(axis=0)
    scale[scale <= 0] = 1.0
    scale = np.exp2(np.round(np.log2(scale)))
    rows = np.ascontiguousarray(matrix / scale)
    options = ModelOptions(fam.name, orientation, rts, "slacks", None, None, "error")
    spec = fam.build(layout, options, None, False, False)
    n = len(rows)
    with progress_bar(progress, n) as advance:
        out = engine.run_jobs([engine.Job(spec, rows, rows, np.arange(n))], method=method, n_jobs=n_jobs,
                              chunk_size=chunk_size, progress=advance)[0]
    v = out.values
    labels = data.index
    status = np.asarray(v["status"]).astype(object)
    ok = status == "optimal"
    overall = np.where(ok, np.asarray(v["score"], dtype=float), np.nan)
    divisional = np.where(ok[:, None], np.asarray(v["divisional"], dtype=float), np.nan)
    for values in (overall, divisional):
        values[np.abs(values - 1.0) <= SNAP_TOL] = 1.0
    slacks = np.where(ok[:, None], np.asarray(v["slacks"], dtype=float) * scale, np.nan)
    targets = np.where(ok[:, None], np.asarray(v["targets"], dtype=float) * scale, np.nan)
    own = kinds != "link"
    node_rts_used = {n: "vrs" if vrs else "crs" for n, vrs in zip(layout.nodes, layout.vrs)}
    settings = ModelSettings(model=fam.name, orientation=orientation, rts=rts, super_efficiency=False,
                             bad_disposability="slacks" if bad_outputs else None, direction=None, weights=None,
                             zeros="error", inputs=tuple(inputs), outputs=tuple(c for c, k in zip(columns, kinds)
                                                                                 if k == "output"),
                             bad_outputs=tuple(bad_outputs), description=spec.description,
                             parameters={"node_rts": node_rts_used,
                                         "node_weights": {n: float(w) for n, w in zip(layout.nodes, layout.weights)},
                                         "links": {layout.columns[c]: "fixed" if fixed else "free"
                                                   for c, _, _, fixed in layout.links}})
    structure = {"nodes": layout.nodes, "stages": None, "measures": tuple(columns)}
    return NetworkResult(
        system=pd.Series(overall + 0.0, index=labels, name="system"),
        nodes=pd.DataFrame(divisional + 0.0, index=labels, columns=list(layout.nodes)),
        stages=None,
        slacks=pd.DataFrame(slacks[:, own] + 0.0, index=labels, columns=[c for c, o in zip(columns, own) if o]),
        targets=pd.DataFrame(targets + 0.0, index=labels, columns=columns),
        stage_weights=None, ccr=None, multipliers=None,
        status=pd.Series(status.astype(str), index=labels, name="status"),
        spec=spec_of(settings, network=structure, n_observations=n))


def _refuse_divided_zeros(layout: NetworkSBMLayout, matrix: np.ndarray, labels: pd.Index, orientation: str) -> None:
    """A zero in a variable the score divides by (inputs unless output-oriented, desirable and undesirable
    outputs unless input-oriented) is refused, naming the column and the rows."""
    divided = set()
    if orientation != "output":
        divided.add("input")
    if orientation != "input":
        divided |= {"output", "bad_output"}
    for j, (column, kind) in enumerate(zip(layout.columns, layout.kinds)):
        zero = matrix[:, j] == 0
        if kind in divided and zero.any():
            raise ValueError(f"column {column!r} is zero in rows {format_labels(labels[zero])}, and network SBM "
                             f"({orientation}) divides by it; drop those rows or use a positive value")


# ----------------------------------------------------------------------------------------------------
# the network as data
# ----------------------------------------------------------------------------------------------------

def _role(spec, node: str, role: str) -> list[tuple[str, str]]:
    """A node's role as (measure, column) pairs."""
    value = spec.get(role) or []
    if isinstance(value, str):
        value = [value]
    if isinstance(value, Mapping):
        pairs = [(str(m), c) for m, c in value.items()]
    else:
        pairs = [(c, c) for c in value]
    for _, c in pairs:
        if not isinstance(c, str):
            raise ValueError(f"node {node!r}: {role} must name columns, got {c!r}")
    return pairs


LINK_KINDS = ("free", "fixed")


def _link(link, i: int) -> dict:
    if isinstance(link, Mapping):
        unknown = set(link) - LINK_KEYS
        if unknown:
            raise ValueError(f"link {i} has unknown key(s) {sorted(unknown)}; a link takes {sorted(LINK_KEYS)}")
        out = dict(link)
    elif isinstance(link, (tuple, list)) and len(link) == 3:
        out = dict(zip(("from", "to", "column"), link))
    else:
        raise ValueError(f"link {i} must be {{'from': node, 'to': node, 'column': column}} or (from, to, column), "
                         f"got {link!r}")
    missing = {"from", "to", "column"} - set(out)
    if missing:
        raise ValueError(f"link {i} lacks {sorted(missing)}")
    out.setdefault("measure", out["column"])
    out.setdefault("kind", "free")
    if out["kind"] not in LINK_KINDS:
        raise ValueError(f"link {i} ({out['column']!r}): kind must be one of {LINK_KINDS}, got {out['kind']!r}")
    return out


def parse_network(nodes, links=()) -> tuple:
    """The network given as data, checked (known nodes, no column in two places, no measure both an input and a
    product, exogenous inputs and final outputs somewhere): ``(names, roles, links)``, each node's roles as
    ``(measure, column)`` pairs and each link a dict with its ``measure`` and ``kind``."""
    if not isinstance(nodes, Mapping) or not nodes:
        raise ValueError("nodes must be a non-empty dict {node: {'inputs': [...], 'outputs': [...]}}")
    names = tuple(str(k) for k in nodes)
    roles = {}
    for node, spec in zip(names, nodes.values()):
        if not isinstance(spec, Mapping):
            raise ValueError(f"node {node!r} must be a dict of roles {NODE_ROLES}, got {spec!r}")
        unknown = set(spec) - set(NODE_ROLES)
        if unknown:
            raise ValueError(f"node {node!r} has unknown role(s) {sorted(unknown)}; a node takes {NODE_ROLES}")
        roles[node] = {r: _role(spec, node, r) for r in NODE_ROLES}
    links = [_link(link, i) for i, link in enumerate(links or ())]
    for i, link in enumerate(links):
        for end in ("from", "to"):
            if link[end] not in names:
                raise ValueError(f"link {i} ({link['column']!r}): {end} node {link[end]!r} is not one of {names}")
        if link["from"] == link["to"]:
            raise ValueError(f"link {i} ({link['column']!r}) goes from node {link['from']!r} to itself")
    placed = [(c, f"node {n!r} {r}") for n in names for r in NODE_ROLES for _, c in roles[n][r]]
    placed += [(link["column"], f"link {i}") for i, link in enumerate(links)]
    seen = {}
    for column, where in placed:
        if column in seen:
            raise ValueError(f"column {column!r} is in {seen[column]} and in {where}; each column has one place")
        seen[column] = where
    input_measures = {m for n in names for m, _ in roles[n]["inputs"]}
    products = {m for n in names for r in ("outputs", "bad_outputs") for m, _ in roles[n][r]}
    both = sorted(input_measures & (products | {link["measure"] for link in links}))
    if both:
        raise ValueError(f"measure(s) {both} are both an exogenous input and a product (an output or a link)")
    if not input_measures or not products:
        raise ValueError("the network needs exogenous inputs and final outputs (some node's 'inputs' and 'outputs')")
    return names, roles, links


def network_layout(nodes, links=(), stages=None) -> NetworkLayout:
    """The :class:`~frontier.models.network.NetworkLayout` of a network given as data (see :func:`network`) for
    the relational and additive models: :func:`parse_network`, no bad outputs, free links only, links forward."""
    names, roles, links = parse_network(nodes, links)
    for node in names:
        if roles[node]["bad_outputs"]:
            raise ValueError(f"node {node!r}: bad outputs are not defined in the relational and additive network "
                             "models (Kao & Hwang 2008, Kao 2009, Chen et al. 2009); model='sbm' takes them")
    if not any(roles[n]["outputs"] for n in names):
        raise ValueError("the network needs exogenous inputs and final outputs (some node's 'inputs' and 'outputs')")
    for i, link in enumerate(links):
        if link["kind"] != "free":
            raise ValueError(f"link {i} ({link['column']!r}): kind {link['kind']!r} is not defined for the "
                             "relational and additive models, whose links are free (an output of one node, an input "
                             "of the next); fixed links are network SBM's (model='sbm')")
    input_measures = {m for n in names for m, _ in roles[n]["inputs"]}
    columns = tuple([c for n in names for r in ("inputs", "outputs") for _, c in roles[n][r]]
                    + [link["column"] for link in links])
    measures = tuple(dict.fromkeys([m for n in names for m, _ in roles[n]["inputs"]]
                                   + [m for n in names for m, _ in roles[n]["outputs"]]
                                   + [link["measure"] for link in links]))
    mrow = {m: i for i, m in enumerate(measures)}
    col = {c: i for i, c in enumerate(columns)}

    def empty():
        return np.zeros((len(measures), len(columns)))

    external, final, link_out, link_in = ([empty() for _ in names] for _ in range(4))
    for k, n in enumerate(names):
        for m, c in roles[n]["inputs"]:
            external[k][mrow[m], col[c]] = 1.0
        for m, c in roles[n]["outputs"]:
            final[k][mrow[m], col[c]] = 1.0
    position = {n: k for k, n in enumerate(names)}
    for link in links:
        r, c = mrow[link["measure"]], col[link["column"]]
        link_out[position[link["from"]]][r, c] = 1.0
        link_in[position[link["to"]]][r, c] = 1.0
    stage_list = _stages(names, links, stages)
    stage_of = {n: s for s, members in enumerate(stage_list) for n in members}
    for i, link in enumerate(links):
        if stage_of[link["to"]] < stage_of[link["from"]]:
            raise ValueError(f"link {i} ({link['column']!r}) goes back from stage {stage_of[link['from']] + 1} to "
                             f"stage {stage_of[link['to']] + 1}; the stages must follow the links")
    return NetworkLayout(columns, names, measures,
                         np.array([m in input_measures for m in measures]), tuple(external), tuple(final),
                         tuple(link_out), tuple(link_in),
                         tuple(tuple(position[n] for n in members) for members in stage_list))


def network_sbm_layout(nodes, links=(), rts: str = "crs", node_rts=None, node_weights=None) -> NetworkSBMLayout:
    """The :class:`~frontier.models.network_sbm.NetworkSBMLayout` of a network given as data for network SBM:
    :func:`parse_network`; every column is its own variable of its node (a ``{measure: column}`` role names it
    only), links free or fixed and in any direction; each node's returns to scale (``rts``, or ``node_rts[node]``)
    and weight (``node_weights``, equal by default, normalised to sum to 1)."""
    names, roles, links = parse_network(nodes, links)
    columns, kinds, owner = [], [], []
    for k, n in enumerate(names):
        for role, kind in (("inputs", "input"), ("outputs", "output"), ("bad_outputs", "bad_output")):
            for _, c in roles[n][role]:
                columns.append(c), kinds.append(kind), owner.append(k)
    position = {n: k for k, n in enumerate(names)}
    link_rows = []
    for link in links:
        link_rows.append((len(columns), position[link["from"]], position[link["to"]], link["kind"] == "fixed"))
        columns.append(link["column"]), kinds.append("link"), owner.append(position[link["from"]])
    per_node = _per_node(node_rts, names, "node_rts")
    for node, value in per_node.items():
        if not isinstance(value, str) or value.lower() not in NETWORK_RTS["sbm"]:
            raise ValueError(f"node_rts[{node!r}] must be one of {NETWORK_RTS['sbm']}, got {value!r}")
    vrs = tuple(str(per_node.get(n, rts)).lower() == "vrs" for n in names)
    return NetworkSBMLayout(tuple(columns), names, tuple(kinds), tuple(owner), tuple(link_rows), vrs,
                            _node_weights(node_weights, names))


def _per_node(values, names: tuple, what: str) -> dict:
    """``{node: value}`` from a mapping or ``(node, value)`` pairs (the command line's ``NODE=VALUE``), every node
    known."""
    if values is None:
        return {}
    pairs = list(values.items()) if isinstance(values, Mapping) else list(values)
    if not all(isinstance(p, (list, tuple)) and len(p) == 2 for p in pairs):
        raise ValueError(f"{what} must be a dict {{node: value}}, got {values!r}")
    out = {}
    for node, value in pairs:
        if str(node) not in names:
            raise ValueError(f"{what} names node {node!r}, which is not one of {names}")
        out[str(node)] = value
    return out


def _node_weights(node_weights, names: tuple) -> np.ndarray:
    """w_k >= 0 summing to 1, in node order: equal by default; else ``{node: weight}`` for every node (or a
    sequence in node order)."""
    if node_weights is None:
        return np.full(len(names), 1.0 / len(names))
    if isinstance(node_weights, Mapping) or (isinstance(node_weights, (list, tuple)) and node_weights
                                             and all(isinstance(p, (list, tuple)) for p in node_weights)):
        given = _per_node(node_weights, names, "node_weights")
        missing = [n for n in names if n not in given]
        if missing:
            raise ValueError(f"node_weights gives no weight for nodes {missing}: give one per node")
        raw = [given[n] for n in names]
    else:
        raw = list(node_weights)
        if len(raw) != len(names):
            raise ValueError(f"node_weights needs one weight per node ({list(names)}), got {len(raw)}")
    return normalised_weights(raw, "node")


def normalised_weights(raw, unit: str) -> np.ndarray:
    """``raw`` weights (one per ``unit``: "node", "period") checked to be finite numbers >= 0, not all zero, and
    scaled to sum to 1 (``node_weights``, and dynamic SBM's ``period_weights``)."""
    for w in raw:
        if isinstance(w, (bool, np.bool_)) or not isinstance(w, numbers.Real) or not np.isfinite(w) or w < 0:
            raise ValueError(f"{unit} weights must be finite numbers >= 0, got {w!r}")
    W = np.asarray(raw, dtype=float)
    if W.sum() <= 0:
        raise ValueError(f"{unit}_weights are all zero: at least one {unit} must count")
    return W / W.sum()


def _stages(names: tuple, links: list, stages) -> list[list[str]]:
    if stages is not None:
        stage_list = [[str(n) for n in ([s] if isinstance(s, str) else s)] for s in stages]
        flat = [n for s in stage_list for n in s]
        if sorted(flat) != sorted(names) or len(set(flat)) != len(flat):
            raise ValueError(f"stages must place every node once ({list(names)}), got {stage_list}")
        return stage_list
    depth = {n: 0 for n in names}
    for _ in range(len(names)):
        for link in links:
            depth[link["to"]] = max(depth[link["to"]], depth[link["from"]] + 1)
    if any(depth[link["to"]] <= depth[link["from"]] for link in links):
        raise ValueError("the links form a cycle; these models need a network without feedback")
    levels = sorted(set(depth.values()))
    return [[n for n in names if depth[n] == level] for level in levels]


def _column_is_input(layout: NetworkLayout) -> list[bool]:
    """Whether each column is an exogenous input (else a final output or a link: a product)."""
    ext = sum(layout.external)
    return [bool(ext[:, j].any()) for j in range(layout.width)]


def _first_column(layout: NetworkLayout, m: int) -> int:
    uses = sum(layout.consumed(k) + layout.produced(k) for k in range(len(layout.nodes)))
    return int(np.flatnonzero(uses[m])[0])


def _check_node_data(layout: NetworkLayout, matrix: np.ndarray, labels: pd.Index) -> None:
    """Every node needs a positive input value and the system a positive input: a DMU whose node consumes nothing
    has no efficiency for it (a ratio over 0)."""
    for k, node in enumerate(layout.nodes):
        total = matrix @ layout.consumed(k).sum(axis=0)
        bad = total <= 0
        if bad.any():
            raise ValueError(f"node {node!r} consumes nothing (its inputs and incoming links are all 0) in rows "
                             f"{format_labels(labels[bad])}")


def measure_scales(layout: NetworkLayout, matrix: np.ndarray) -> np.ndarray:
    """One power-of-two scale per measure, shared by every column of it (the columns of one measure are added in
    one LP row, so they must be in the same units): the power of two nearest the mean of the measure's columns."""
    scale = np.ones(layout.width)
    uses = sum(layout.consumed(k) + layout.produced(k) for k in range(len(layout.nodes)))
    for m in range(layout.n_measures):
        cols = np.flatnonzero(uses[m])
        mean = matrix[:, cols].mean()
        scale[cols] = np.exp2(np.round(np.log2(mean))) if mean > 0 else 1.0
    return scale


# ----------------------------------------------------------------------------------------------------
# the decomposition
# ----------------------------------------------------------------------------------------------------

#: the statuses that leave the system score standing (only the decomposition is NaN)
DECOMPOSITION_ONLY = ("optimal", "decomposition_failed", "first_stage_weight_zero")
#: the first stage's largest share of the total input value over the additive score's optimal face below which
#: its weight is taken as 0 at every optimum (the decomposition does not exist)
ZERO_STAGE_WEIGHT = 1e-6


def _status(values: dict) -> np.ndarray:
    status = values["status"].astype(object).copy()
    failed = np.asarray(values.get("detail_failed", np.zeros(len(status))), dtype=float) == 1
    status[failed] = "decomposition_failed"
    return status


def _name_unidentified_stages(layout: NetworkLayout, vrs: bool, rows: np.ndarray, score: np.ndarray,
                              status: np.ndarray) -> np.ndarray:
    """Say why an additive tie-rule LP failed where the reason is the model's, not the solver's.

    The tie LP normalises the first stage's input value to 1 (Charnes-Cooper), which needs an optimal weight vector
    of the system score with w_1 = pi'I_1 / pi'I > 0. Where every optimum gives the first stage weight 0, Chen et
    al.'s decomposition does not exist (E_1 is a ratio of zeros): the tie LP is then infeasible, or, with its score
    relaxed by ``TIE_SLACK``, feasible only with weights of order 1 / TIE_SLACK, which the solver fails on. For each
    failed DMU this solves (HiGHS, every DMU's node constraints) the largest w_1 over the score's (relaxed) optimal
    face::

        max pi'I_1o  s.t.  pi'I_o = 1,  pi'O_o + sum_k u0_k >= E_o (1 - TIE_SLACK),
                           pi'(O_k - I_k) data_j + u0_k <= 0  (every node k, DMU j),  pi >= 0 (u0 free, VRS)

    and names the status ``"first_stage_weight_zero"`` where it is at most ``ZERO_STAGE_WEIGHT``; any other failure
    keeps ``"decomposition_failed"``."""
    failed = np.flatnonzero(status == "decomposition_failed")
    if len(failed) == 0:
        return status
    K, m = len(layout.nodes), layout.n_measures
    n_free = K if vrs else 0
    node_rows = []
    for k in range(K):
        block = np.zeros((len(rows), m + n_free))
        block[:, :m] = rows @ layout.net(k).T
        if vrs:
            block[:, m + k] = 1.0
        node_rows.append(block)
    A_node = np.vstack(node_rows)
    consumed = sum(layout.consumed(k) for k in range(K))
    produced = sum(layout.produced(k) for k in range(K))
    bounds = [(0, None)] * m + [(None, None)] * n_free
    status = status.copy()
    for o in failed:
        total_in, total_out = consumed @ rows[o], produced @ rows[o]
        first_in = layout.stage_consumed(0) @ rows[o]
        score_row = -np.concatenate([total_out, np.ones(n_free)])
        res = linprog(-np.concatenate([first_in, np.zeros(n_free)]),
                      A_ub=np.vstack([A_node, score_row]),
                      b_ub=np.concatenate([np.zeros(len(A_node)), [-score[o] * (1.0 - TIE_SLACK)]]),
                      A_eq=np.concatenate([total_in, np.zeros(n_free)])[None, :], b_eq=[1.0], bounds=bounds,
                      method="highs")
        if res.status == 0 and -res.fun <= ZERO_STAGE_WEIGHT:
            status[o] = "first_stage_weight_zero"
    return status


def decompose(layout: NetworkLayout, model: str, rts: str, rows: np.ndarray, values: dict) -> dict:
    """Node, stage and slack tables from the tie LP's multipliers (pi per measure, u0 per node under VRS), each
    ``(array, column names)``; NaN where an LP failed."""
    n = rows.shape[0]
    pi = np.asarray(values.get("weights", np.full((n, layout.n_measures), np.nan)), dtype=float)
    u0 = np.asarray(values.get("free", np.zeros((n, 0))), dtype=float)
    ok = np.asarray(values["status"]) == "optimal"
    if u0.shape[1] == 0:
        u0 = np.zeros((n, len(layout.nodes)))
    pi = np.where(ok[:, None], pi, np.nan)

    def value(M):
        return np.einsum("nm,nm->n", pi, rows @ M.T)

    system_in = value(layout.system_inputs)
    with np.errstate(divide="ignore", invalid="ignore"):
        node_eff = np.column_stack([(value(layout.produced(k)) + u0[:, k]) / value(layout.consumed(k))
                                    for k in range(len(layout.nodes))])
        slacks = np.column_stack([(value(layout.consumed(k)) - value(layout.produced(k)) - u0[:, k]) / system_in
                                  for k in range(len(layout.nodes))])
        n_stages = len(layout.stages)
        if model == "relational":
            cut = [value(layout.boundary(s)) for s in range(-1, n_stages)]
            stage_eff = np.column_stack([cut[s + 1] / cut[s] for s in range(n_stages)])
            stage_weights = np.full((n, n_stages), np.nan)
        else:
            consumed = np.column_stack([value(layout.stage_consumed(s)) for s in range(n_stages)])
            free = np.column_stack([u0[:, list(members)].sum(axis=1) for members in layout.stages])
            stage_eff = np.column_stack([value(layout.stage_produced(s)) for s in range(n_stages)]) + free
            stage_eff = stage_eff / consumed
            stage_weights = consumed / consumed.sum(axis=1, keepdims=True)
    multipliers = pi / system_in[:, None]
    stage_names = [str(s + 1) for s in range(n_stages)]
    return {"nodes": (node_eff, list(layout.nodes)), "stages": (stage_eff, stage_names),
            "slacks": (slacks, list(layout.nodes)), "stage_weights": (stage_weights, stage_names),
            "multipliers": (multipliers, list(layout.measures))}


def independent_ccr(layout: NetworkLayout, data: pd.DataFrame, matrix: np.ndarray) -> pd.DataFrame:
    """Input-oriented CCR scores of the black box (system inputs -> final outputs, measures summed over their
    columns) and of each node on its own (what it consumes -> what it produces), each an ordinary
    :func:`frontier.efficiency` run."""
    def score(consumed: np.ndarray, produced: np.ndarray) -> np.ndarray:
        xin = [m for m in range(layout.n_measures) if consumed[m].any()]
        yout = [m for m in range(layout.n_measures) if produced[m].any()]
        frame = pd.DataFrame({**{f"x{m}": matrix @ consumed[m] for m in xin},
                              **{f"y{m}": matrix @ produced[m] for m in yout}})
        res = efficiency(frame, inputs=[f"x{m}" for m in xin], outputs=[f"y{m}" for m in yout], model="radial",
                         rts="crs", orientation="input")
        return res.scores.to_numpy()

    out = {"system": score(layout.system_inputs, layout.system_outputs)}
    for k, node in enumerate(layout.nodes):
        out[node] = score(layout.consumed(k), layout.produced(k))
    return pd.DataFrame(out, index=data.index)
