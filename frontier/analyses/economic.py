r"""``economic()``: cost, revenue and profit efficiency with their technical and allocative parts.

Cost (Farrell 1957; Färe, Grosskopf & Lovell 1985, 1994): with input prices w_o (per DMU or common),

    C*(o) = min_{x, lambda} w_o'x  s.t.  X'lambda <= x,  Y'lambda >= y_o,  lambda >= 0  (+ RTS row)

economic (cost) efficiency CE = C*/(w_o'x_o), technical TE = the input radial theta (same RTS), allocative
AE = CE/TE, so CE = TE x AE exactly. Revenue: R*(o) = max p_o'y s.t. X'lambda <= x_o, Y'lambda >= y;
RE = p_o'y_o/R*, TE = 1/phi (output radial), AE = RE/TE. Profit (Nerlovian; Chambers, Chung & Färe 1998):
Pi* = max p'y - w'x over the technology; the profit inefficiency NPi = (Pi* - (p'y_o - w'x_o)) / (p'g_y + w'g_x)
is 0 for a profit-maximising DMU and splits additively into the technical part, the directional distance beta in
direction (g_x, g_y), and the allocative part NPi - beta >= 0.

Bad outputs (optional) enter the technology of every LP at their observed level, weakly (``B'lambda = b_o``) or
strongly (``B'lambda <= b_o``) disposable, and carry no price: the measures are conditional on the DMU's pollution,
and the technical part is the radial (or DDF, with the bad outputs' direction 0) model on the same technology.

The LPs are :mod:`frontier.models.economic`'s registered families (``serves="economic"``), bound and evaluated by
:class:`frontier.problem.Problem` like every model (its power-of-two scaling, snap and NaN rule); the technical part is
:func:`frontier.efficiency` with the radial (cost, revenue) or DDF (profit) model on the same data, RTS and
reference sets. The allocative part is the saving (cost), the forgone revenue or profit that remains after the
technical waste is removed: the "resource-allocation" efficiency firm-level papers report.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .._text import format_labels
from ..data import as_column_list, check_engine_options, validate_frame
from ..models.base import RTS, Layout
from ..models import resolve_options
from ..models.economic import KINDS
from ..panel import in_index, period_values as period_column, row_ids
from ..problem import SNAP_TOL, Problem, custom_direction, direction_matrix
from ..results import EconomicResult
from ..results.base import ModelSettings
from ._pipeline import Analysis, evaluation_groups, public, spec_of
from .efficiency import efficiency
from ..options import PROFIT_DIRECTIONS

ECONOMIC = Analysis("economic", roles=("inputs", "outputs", "bad_outputs", "prices", "id", "period"),
                    result=EconomicResult, serves="economic")


def _per_variable_values(spec, frame: pd.DataFrame, names: list[str], what: str, example: str) -> np.ndarray:
    """``{variable: column name or number}`` -> an n x len(names) matrix, NaN where a variable is not named.

    Raises a ValueError naming the variable, the column and the rows for a missing column, a non-numeric,
    missing, infinite or negative value.
    """
    if not isinstance(spec, dict):
        raise ValueError(f"{what} must be a dict {{variable: column name or number}}, e.g. {example}; "
                         f"got {type(spec).__name__}")
    unknown = [v for v in spec if v not in names]
    if unknown:
        raise ValueError(f"{what} names {unknown}, which are not variables of this model {names}")
    out = np.full((len(frame), len(names)), np.nan)
    for var, source in spec.items():
        j = names.index(var)
        if isinstance(source, str):
            if source not in frame.columns:
                raise ValueError(f"{what} of {var!r}: column {source!r} not found in data")
            series = frame[source]
            if not (pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)):
                raise ValueError(f"{what} column {source!r} (for {var!r}) is not numeric (dtype {series.dtype})")
            values = series.to_numpy(dtype=float, na_value=np.nan)
            where = f"column {source!r} (for {var!r})"
        elif isinstance(source, (int, float, np.integer, np.floating)) and not isinstance(source, (bool, np.bool_)):
            values = np.full(len(frame), float(source))
            where = f"the constant for {var!r}"
        else:
            raise ValueError(f"{what} of {var!r} must be a column name or a number, got {source!r}")
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(f"{what}: {where} has missing or infinite values in rows "
                             f"{format_labels(frame.index[bad])}")
        negative = values < 0
        if negative.any():
            raise ValueError(f"{what}: {where} has negative values in rows {format_labels(frame.index[negative])}; "
                             f"{what} must be >= 0")
        out[:, j] = values
    return out


def _denominator_error(values: np.ndarray, labels: pd.Index, text: str) -> None:
    bad = ~(values > 0)
    if bad.any():
        raise ValueError(f"{text} is not positive in rows {format_labels(labels[bad])}; the measure divides by it")


@public(ECONOMIC)
def economic(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    id=None,
    kind: str = "cost",
    prices: dict,
    rts: str = "vrs",
    bad_disposability: str = "weak",
    direction=None,
    period: str | None = None,
    technology: str | None = None,
    window: int | None = None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
) -> EconomicResult:
    """Cost, revenue or profit efficiency of every DMU, with its technical and allocative parts.

    Parameters
    ----------
    data : DataFrame, one row per DMU (its index labels the DMUs).
    inputs, outputs : column names of the inputs and (desirable) outputs.
    bad_outputs : column names of undesirable outputs (optional). They enter the technology of both the economic
        and the technical LP at their observed level and carry no price: the cost, revenue or profit is that of
        the priced variables given the DMU's pollution (``bad_disposability``).
    id : the column(s) (or index levels) identifying each DMU, as in :func:`frontier.efficiency`: with ``period``
        they must tell the rows apart; they lead :meth:`~EconomicResult.to_frame` and every export.
    kind : ``"cost"`` (prices of every input), ``"revenue"`` (of every output) or ``"profit"`` (of both).
    prices : ``{variable: column name or number}``: a column holds each DMU's own price of that variable (prices
        may differ by DMU), a number is a price common to all DMUs. Prices must be finite and >= 0, and the
        observed cost (revenue; profit: the normalisation p'g_y + w'g_x) must be positive for every DMU. A price of
        a variable the kind does not use (an output's for cost, an input's for revenue) is refused, not ignored.
    rts : ``"crs"``, ``"vrs"`` (default), ``"nirs"`` or ``"ndrs"``: of both the economic and the technical LP.
        Profit is bounded only under VRS (or NDRS) unless every DMU's maximum profit is 0; an unbounded LP is NaN
        with status ``"unbounded"``.
    bad_disposability : ``"weak"`` (default; ``B'lambda = b_o``, Kuosmanen's form under a convexity row, as the
        radial model) or ``"strong"`` (``B'lambda <= b_o``). Ignored without bad outputs.
    direction : profit only, the direction (g_x, g_y) of the technical DDF and of the normalisation:
        ``"observed"`` (default; g = (x_o, y_o)), ``"ones"``, ``"mean"`` (column means), a dict
        ``{variable: column name or number}`` for every input and output, or a DataFrame aligned to ``data``
        (a column per input and output). Bad outputs are held fixed (their direction component is 0).
    period, technology, window : as in :func:`frontier.efficiency`: each period's DMUs against the frontier of
        that period (``"contemporaneous"``), of all periods up to it (``"sequential"``), of all periods
        (``"global"``) or of a window.
    n_jobs, method, chunk_size : engine options, as in :func:`frontier.efficiency`.

    Returns
    -------
    EconomicResult; ``.to_frame()`` has ``economic``, ``technical``, ``allocative``, the statuses, the observed and
    optimal cost / revenue / profit and the optimal quantities.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    rts = rts.lower() if isinstance(rts, str) else rts
    if rts not in RTS:
        raise ValueError(f"rts must be one of {RTS}, got {rts!r}")
    if direction is not None and kind != "profit":
        raise ValueError(f"direction applies to kind='profit' (the Nerlovian normalisation), not kind={kind!r}")
    if technology is not None and period is None:
        raise ValueError(f"technology={technology!r} needs period= (the column, or index level, of periods)")
    technology = "contemporaneous" if technology is None else technology
    bad_disposability = bad_disposability.lower() if isinstance(bad_disposability, str) else bad_disposability
    if bad_disposability not in ("weak", "strong"):
        raise ValueError(f"bad_disposability must be 'weak' or 'strong', got {bad_disposability!r}")
    check_engine_options(n_jobs, chunk_size)
    frame = data
    id_columns = as_column_list(id, "id")
    other = [c for c in dict.fromkeys(id_columns + ([period] if period is not None else [])) if not in_index(frame, c)]
    dea = validate_frame(frame, inputs, outputs, bad_outputs or [], other_columns=other)
    period_values = period_column(frame, period)
    ids = row_ids(frame, id_columns, period_values)
    variables = list(dea.variables)
    L = Layout(len(dea.inputs), len(dea.outputs), len(dea.bad_outputs))
    M = dea.matrix
    labels = frame.index

    needed = {"cost": list(dea.inputs), "revenue": list(dea.outputs), "profit": list(dea.inputs + dea.outputs)}[kind]
    example = "{" + ", ".join(f"{v!r}: 'price_{v}'" for v in needed[:2]) + "}"
    if isinstance(prices, dict) and set(prices) & set(dea.bad_outputs):
        raise ValueError(f"prices names bad outputs {sorted(set(prices) & set(dea.bad_outputs))}: bad outputs are "
                         "not priced (they enter the technology at their observed level)")
    if isinstance(prices, dict):
        unused = [v for v in prices if v in variables and v not in needed and v not in dea.bad_outputs]
        if unused:
            role = "outputs" if kind == "cost" else "inputs"
            raise ValueError(f"kind={kind!r} prices the {'inputs' if kind == 'cost' else 'outputs'} only; prices also "
                             f"names {unused} ({role}), whose price it would ignore: drop them, or use "
                             "kind='profit' to price inputs and outputs together")
    P = _per_variable_values(prices, frame, variables, "prices", example)
    missing = [v for v in needed if np.isnan(P[0, variables.index(v)])]
    if missing:
        side = {"cost": "input", "revenue": "output", "profit": "input and output"}[kind]
        raise ValueError(f"kind={kind!r} needs a price for every {side}; prices lacks {missing} "
                         "(give a column name or a number for each)")
    priced = L.mask(inputs=kind != "revenue", goods=kind != "cost")
    if kind == "cost":
        denominator = (P[:, L.inputs] * M[:, L.inputs]).sum(axis=1)
        _denominator_error(denominator, labels, "the observed cost w'x")
    elif kind == "revenue":
        denominator = (P[:, L.goods] * M[:, L.goods]).sum(axis=1)
        _denominator_error(denominator, labels, "the observed revenue p'y")
    G = None
    if kind == "profit":
        direction = "observed" if direction is None else direction
        if isinstance(direction, pd.DataFrame):
            # bad outputs are held fixed: their direction is 0 whatever the frame says
            G = custom_direction(direction.assign(**{b: 0.0 for b in dea.bad_outputs}), dea, labels)
        elif isinstance(direction, dict):
            G = _per_variable_values(direction, frame, variables, "direction", "{'x1': 1.0, 'y': 1.0}")
            absent = [v for v in variables[: L.m + L.s1] if np.isnan(G[0, variables.index(v)])]
            if absent:
                raise ValueError(f"direction lacks {absent}; a dict direction needs every input and output "
                                 "(0 keeps a variable fixed)")
        elif isinstance(direction, str) and direction.lower() in PROFIT_DIRECTIONS:
            G = direction_matrix(direction.lower(), M, L, M.mean(axis=0))
        else:
            raise ValueError(f"direction must be one of {PROFIT_DIRECTIONS}, a dict {{variable: column or number}} "
                             f"or a DataFrame, got {direction!r}")
        G[:, L.bads] = 0.0
        denominator = (np.nan_to_num(P) * G).sum(axis=1)
        _denominator_error(denominator, labels, "the normalisation p'g_y + w'g_x")

    # the economic LPs: the registered family of this kind, bound by Problem (its scaling, snap and NaN rule), each
    # DMU's objective coefficients its prices over its own denominator
    options = resolve_options(kind, rts=rts, bad_disposability=bad_disposability, serves="economic")
    problem = Problem(dea, options, row_costs=np.where(priced, np.nan_to_num(P), 0.0) / denominator[:, None])
    groups = evaluation_groups(labels, period, period_values, technology, window, np.ones(len(frame), dtype=bool))
    evaluations = problem.evaluate_many(groups, n_jobs=n_jobs, method=method, chunk_size=chunk_size)
    n = len(frame)
    status = np.full(n, "not_solved", dtype=object)
    score, objective = np.full(n, np.nan), np.full(n, np.nan)
    quantities = np.full((n, L.d), np.nan)
    for (ev, _), out in zip(groups, evaluations):
        status[ev], score[ev], objective[ev], quantities[ev] = \
            out.status, out.score, out.parts["objective"], out.targets

    # the technical part: the registered radial / DDF model on the same data, RTS and reference sets
    common = dict(bad_outputs=list(dea.bad_outputs), id=id_columns or None, rts=rts, period=period,
                  technology=technology if period is not None else None, window=window,
                  n_jobs=n_jobs, method=method, chunk_size=chunk_size)
    if dea.bad_outputs:
        common["bad_disposability"] = bad_disposability
    if kind == "profit":
        tech = efficiency(frame, dea.inputs, dea.outputs, model="ddf",
                          direction=pd.DataFrame(G, index=labels, columns=variables), **common)
        technical = tech.scores.to_numpy(dtype=float)
    else:
        tech = efficiency(frame, dea.inputs, dea.outputs, model="radial",
                          orientation="input" if kind == "cost" else "output", **common)
        technical = tech.scores.to_numpy(dtype=float)
        if kind == "revenue":
            technical = 1.0 / technical

    # the optimal value C*, R* or Pi* from the LP objective (C*/C_o, -R*/R_o, -Pi*/norm); the allocative part is
    # snapped to its efficient value by the rule Problem applies to every score (SNAP_TOL)
    optimal_value = objective * denominator if kind == "cost" else -objective * denominator
    if kind == "profit":
        observed_value = (P[:, L.goods] * M[:, L.goods]).sum(axis=1) - (P[:, L.inputs] * M[:, L.inputs]).sum(axis=1)
    else:
        observed_value = denominator
    efficient = problem.family.efficient_value()
    with np.errstate(divide="ignore", invalid="ignore"):
        allocative = score - technical if kind == "profit" else score / technical
    allocative[np.abs(allocative - efficient) <= SNAP_TOL] = efficient
    optimised = list(np.flatnonzero(priced))
    optimal = pd.DataFrame(quantities[:, optimised], index=labels, columns=[variables[j] for j in optimised])
    description = {"cost": "cost efficiency C*/(w'x) = technical (input radial theta) x allocative",
                   "revenue": "revenue efficiency p'y/R* = technical (1/phi, output radial) x allocative",
                   "profit": "Nerlovian profit inefficiency (Pi* - Pi)/(p'g_y + w'g_x) = technical (DDF beta) + "
                             "allocative"}[kind]
    direction_label = None
    if kind == "profit":
        direction_label = direction.lower() if isinstance(direction, str) else "custom"
    settings = ModelSettings(
        model=kind, orientation={"cost": "input", "revenue": "output", "profit": None}[kind], rts=rts,
        super_efficiency=False, bad_disposability=bad_disposability if dea.bad_outputs else None,
        direction=direction_label, weights=None, zeros="error", inputs=dea.inputs, outputs=dea.outputs,
        bad_outputs=dea.bad_outputs, description=description)
    result_spec = spec_of(settings, period=period, technology=technology if period is not None else None,
                          window=window if technology == "window" else None, reference="all rows",
                          id=tuple(id_columns))
    return EconomicResult(
        economic=pd.Series(score + 0.0, index=labels, name="economic"),
        technical=pd.Series(technical, index=labels, name="technical"),
        allocative=pd.Series(allocative + 0.0, index=labels, name="allocative"),
        status=pd.Series(status.astype(str), index=labels, name="status"),
        technical_status=tech.status.rename("technical_status"),
        optimal=optimal,
        observed_value=pd.Series(observed_value, index=labels, name="observed_value"),
        optimal_value=pd.Series(optimal_value, index=labels, name="optimal_value"),
        prices=pd.DataFrame(P[:, priced], index=labels, columns=[v for v, p in zip(variables, priced) if p]),
        technical_result=tech,
        spec=result_spec,
        periods=period_values,
        price_sources=dict(prices),
        ids=ids,
    )
