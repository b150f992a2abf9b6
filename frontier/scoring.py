"""``efficiency()``: score every DMU of a DataFrame with one DEA model.

The function validates the data, scales each variable by its mean (all models here are invariant to that,
directions and caps are scaled alike), builds the model's LP stages (see :mod:`frontier.models`) and hands
them to the engine (:mod:`frontier.engine`) once per reference set.
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np
import pandas as pd

from ._text import format_labels
from .data import DEAData, as_column_list, check_engine_options, option_value, validate_frame
from .models import resolve_options
from .panel import period_order
from .problem import Problem, custom_direction
from .results import EfficiencyResult, Specification
from .technology import ReferenceSets, Technology
from .options import EFFICIENCY_TECHNOLOGIES


def bind_model(dea: DEAData, direction_index: pd.Index, *, model: str, orientation, rts, bad_disposability, direction,
               super_efficiency, weights, zeros, model_options: dict, productivity: bool = False) -> Problem:
    """The preamble every scoring entry point shares (:func:`efficiency`, :func:`frontier.metafrontier`,
    :func:`frontier.window_analysis`, :func:`frontier.productivity`): bind validated data to a model's options.

    Resolves the options against the model's declared facts (:func:`frontier.models.resolve_options`, one place for
    every unsupported combination and its message), aligns a custom direction DataFrame to the data rows by
    ``direction_index`` (the index of the frame ``dea`` was validated from, in its row order) and builds the
    :class:`~frontier.problem.Problem` (scaling; the data-derived parameters of a model that calibrates them). The
    data itself is validated by the caller first (:func:`frontier.data.validate_frame`, with the caller's own extra
    columns), and zeros are checked by the caller after its own checks (``problem.check_zeros``), so that every
    entry point keeps the order of its error messages.
    """
    options = resolve_options(model, orientation=orientation, rts=rts, bad_disposability=bad_disposability,
                              direction=direction, super_efficiency=super_efficiency, weights=weights, zeros=zeros,
                              productivity=productivity, model_options=model_options)
    G = custom_direction(direction, dea, direction_index) if options.direction_label == "custom" else None
    return Problem(dea, options, G)


def period_in_index(frame: pd.DataFrame, period: str | None) -> bool:
    """Whether ``period`` names an index level of an (entity, period) panel rather than a column (a column, validated
    with the variables, wins)."""
    return period is not None and period not in frame.columns and period in frame.index.names


def period_column(frame: pd.DataFrame, period: str | None) -> pd.Series | None:
    """The period of each row (named ``period``): the column (a copy) or the index level; None without ``period``."""
    if period is None:
        return None
    if period_in_index(frame, period):
        return pd.Series(frame.index.get_level_values(period), index=frame.index, name=period)
    return frame[period].copy()


def _reference_positions(reference, frame: pd.DataFrame) -> np.ndarray:
    """The rows of ``frame`` in the reference set: all (None), a boolean mask, a list of DMU labels or one label
    (a string, a number, or a tuple for an index of as many levels: never spelt out character by character)."""
    n = len(frame)
    if reference is None:
        return np.ones(n, dtype=bool)
    one_label = (isinstance(reference, (str, bytes)) or np.ndim(reference) == 0
                 or (isinstance(reference, tuple) and frame.index.nlevels == len(reference) > 1))
    if one_label and not isinstance(reference, (bool, np.bool_)):
        reference = [reference]
    if isinstance(reference, pd.Series) and reference.dtype == bool:
        mask = reference.reindex(frame.index)
        if mask.isna().any():
            raise ValueError(f"reference mask has no value for rows "
                             f"{format_labels(frame.index[mask.isna().to_numpy()])}")
        return mask.to_numpy(dtype=bool)
    arr = np.asarray(reference)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"a boolean reference mask needs one value per row ({n}), got shape {arr.shape}")
        return arr.copy()
    labels = pd.Index(list(reference))
    unknown = labels.difference(frame.index)
    if len(unknown):
        raise ValueError(f"reference names DMUs not in data: {format_labels(unknown)}")
    return frame.index.isin(labels)


def evaluation_groups(labels: pd.Index, period: str | None, period_values: pd.Series | None, technology: str,
                      window: int | None, ref_mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (evaluated rows, reference rows) of each reference set: one for a cross-section, else one per period
    under ``technology`` (contemporaneous, sequential, global or window), every reference restricted to
    ``ref_mask``. Shared by :func:`efficiency` and :func:`frontier.economic_efficiency.economic`."""
    n = len(labels)
    if period is None:
        return [(np.arange(n), np.flatnonzero(ref_mask))]
    if technology not in EFFICIENCY_TECHNOLOGIES:
        raise ValueError("technology must be 'contemporaneous', 'sequential', 'global' or 'window'")
    if period_values.isna().any():
        raise ValueError(f"period column {period!r} has missing values in rows "
                         f"{format_labels(labels[period_values.isna().to_numpy()])}")
    periods = period_values.to_numpy()
    # only sequential and window frontiers depend on the time order (text periods without one are refused)
    order = period_order(period_values, period) if technology in ("sequential", "window") \
        else list(pd.unique(periods))
    references = ReferenceSets(n, periods, tuple(order), window, allowed=ref_mask)
    groups = []
    for t in order:
        ref = references.rows(Technology(technology, t))
        if ref.size == 0:
            raise ValueError(f"period {t!r} has an empty reference set")
        groups.append((np.flatnonzero(periods == t), ref))
    return groups


def _identifiers(frame: pd.DataFrame, id_columns: list, periods: pd.Series | None) -> pd.DataFrame | None:
    """The ``id`` columns (a copy, indexed like ``frame``), checked: no missing values, and together with the
    periods they tell the rows apart (else the exports would not merge back one to one)."""
    if not id_columns:
        return None
    ids = frame[id_columns].copy()
    missing = ids.isna().any(axis=1).to_numpy()
    if missing.any():
        raise ValueError(f"id columns {id_columns} have missing values in rows {format_labels(frame.index[missing])}; "
                         "every DMU needs its identifier")
    keyed = ids if periods is None or periods.name in id_columns else ids.assign(**{str(periods.name): periods})
    keys = list(keyed.columns)
    dup = keyed.duplicated(keep=False).to_numpy()
    if dup.any():
        example = keyed[dup].head(3).to_dict("records")
        hint = "" if periods is not None else " (a panel: add the period, e.g. id=['city', 'year'], or pass period=)"
        raise ValueError(f"id {keys} does not identify the rows: {int(dup.sum())} rows share their values, "
                         f"e.g. {example}{hint}")
    return ids


def efficiency(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    id=None,
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
    **model_options,
) -> EfficiencyResult:
    """Score every DMU (row) of ``data`` with one DEA model.

    Parameters
    ----------
    data : DataFrame, one row per DMU; its index labels the DMUs (panels: one row per entity-period).
    inputs, outputs, bad_outputs : column names of inputs, desirable and undesirable outputs.
    id : the column, or list of columns, identifying each DMU (e.g. ``"firm"``, or ``["city", "year"]`` for a
        panel). Their values (with ``period``) must identify the rows and may not be missing; they lead
        :meth:`~frontier.EfficiencyResult.to_frame` and every export (``to_csv``, ``to_stata``...), so the
        results merge back on them. The result stays indexed like ``data``.
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
    reference : rows spanning the frontier: a boolean mask, a list of labels or one label (default all rows).
    period, technology, window : a column (or an index level of a panel indexed by entity and period): score
        each period's rows against the frontier of that period
        (``"contemporaneous"``), of all earlier and current periods (``"sequential"``), of all periods
        (``"global"``) or of a window of ``window`` periods on each side (``"window"``), in one call.
        ``technology`` defaults to ``"contemporaneous"`` and needs ``period``. Periods are put in time order
        by :func:`frontier.panel.period_order` (sequential and window frontiers depend on it).
    zeros : what to do with zeros in variables the score divides by (SBM family): ``"error"`` (default),
        ``"small_positive"`` or ``"drop_term"``. Recorded in the result.
    n_jobs : parallel workers (joblib; -1 = all cores). Results do not depend on it. Until a session's worker
        processes run, a call works in its own process and starts them only once they would save more than their
        start-up (``docs/scaling.md``; ``frontier.engine.start_pool`` starts them at once).
    method : ``"restricted"`` (HiGHS with exact column generation over a restricted reference set), ``"full"``
        (HiGHS with every reference column in every LP), ``"dense"`` (all the LPs of a reference set pivoted together
        by a vectorised simplex, :mod:`frontier.dense_simplex`, each solution certified, HiGHS for any it does not
        settle) or ``"auto"`` (dense for LPs of at most ``frontier.engine.DENSE_ROWS`` rows against at most
        ``DENSE_MAX`` DMUs; otherwise full up to ``FULL_MAX`` DMUs and restricted above: each where it was measured
        fastest). All give the same answers.
    progress : show a progress bar (default: only for long runs, in an interactive terminal or a notebook).
    **model_options : options only some models take, e.g. ``epsilon=`` for ``model="ebm"`` (a number in [0, 1] or
        ``{"input": eps_x, "output": eps_y}``; calibrated from the data when not given). An option the model does
        not take is an error. The parameters used are reported in ``spec.parameters``.

    Returns
    -------
    EfficiencyResult with ``scores``, ``status``, ``slacks``, ``targets``, ``peers`` (and ``betas``).
    """
    bad_outputs = [] if bad_outputs is None else bad_outputs
    if technology is not None and period is None:
        raise ValueError(f"technology={technology!r} needs period= (the column, or index level, of periods)")
    technology = "contemporaneous" if technology is None else option_value(technology)
    method = option_value(method)
    check_engine_options(n_jobs, chunk_size)
    frame = data
    # the period is a column (validated with the variables) or else an index level of an (entity, period) panel
    from_index = period_in_index(frame, period)
    id_columns = as_column_list(id, "id")
    other = list(dict.fromkeys(id_columns + ([period] if period is not None and not from_index else [])))
    clash = [c for c in id_columns if c in as_column_list(inputs, "inputs") + as_column_list(outputs, "outputs")
             + as_column_list(bad_outputs, "bad_outputs")]
    if clash:
        raise ValueError(f"column {clash[0]!r} is given both as id and as a variable; an identifier is not an "
                         "input or output")
    dea = validate_frame(frame, inputs, outputs, bad_outputs, other_columns=other)
    period_values = period_column(frame, period)
    ids = _identifiers(frame, id_columns, period_values)
    problem = bind_model(dea, frame.index, model=model, orientation=orientation, rts=rts,
                         bad_disposability=bad_disposability, direction=direction, super_efficiency=super_efficiency,
                         weights=weights, zeros=zeros, model_options=model_options)
    options = problem.options
    ref_mask = _reference_positions(reference, frame)
    if ref_mask.sum() < 1:
        raise ValueError("the reference set is empty")

    n = len(frame)
    groups = evaluation_groups(frame.index, period, period_values, technology, window, ref_mask)

    problem.check_zeros(frame.index, np.arange(n))
    with progress_bar(progress, n) as advance:
        evaluations = problem.evaluate_many(groups, super_efficiency=super_efficiency, n_jobs=n_jobs, method=method,
                                            chunk_size=chunk_size, progress=advance)
    d = problem.layout.d
    scores = np.full(n, np.nan)
    status = np.full(n, "not_solved", dtype=object)
    slacks, targets = np.full((n, d), np.nan), np.full((n, d), np.nan)
    betas = np.full((n, d), np.nan) if problem.family.has_betas else None
    # the multiplier form: d weights and omega per DMU (NaN for a DMU a stage reports none for)
    weights = np.full((n, d + 1), np.nan) if any(out.multipliers is not None for out in evaluations) else None
    parts = {name: np.full(n, np.nan) for name in problem.family.parts}
    peer_rows = []
    for (ev, _), out in zip(groups, evaluations):
        scores[ev], status[ev], slacks[ev], targets[ev] = out.score, out.status, out.slacks, out.targets
        if betas is not None:
            betas[ev] = out.betas
        if weights is not None and out.multipliers is not None:
            weights[ev, :d], weights[ev, d] = out.multipliers, out.omega
        for name in parts:
            parts[name][ev] = out.parts[name]
        peer_rows.append((np.repeat(ev, np.diff(out.lam_ptr)), out.lam_idx, out.lam_val))

    labels = frame.index
    dmu = np.concatenate([p[0] for p in peer_rows]) if peer_rows else np.zeros(0, dtype=int)
    peer = np.concatenate([p[1] for p in peer_rows]) if peer_rows else np.zeros(0, dtype=int)
    weight = np.concatenate([p[2] for p in peer_rows]) if peer_rows else np.zeros(0)
    peers = pd.DataFrame({"dmu": labels[dmu], "peer": labels[peer], "weight": weight})   # the ones targets use

    spec = Specification(**{
        "model": options.model, "orientation": options.orientation, "rts": options.rts,
        "super_efficiency": bool(super_efficiency),
        "bad_disposability": options.bad_disposability if len(dea.bad_outputs) else None,
        "direction": options.direction_label or options.direction,
        "weights": options.weights, "zeros": options.zeros, "parameters": problem.parameters,
        "model_options": options.extra or None,
        "period": period, "technology": technology if period is not None else None,
        "window": window if technology == "window" else None,
        "reference": "all rows" if reference is None else f"{int(ref_mask.sum())} rows",
        "id": tuple(id_columns),
        "inputs": dea.inputs, "outputs": dea.outputs, "bad_outputs": dea.bad_outputs,
        "description": problem.description(super_efficiency),
    })
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
        observed=pd.DataFrame(dea.matrix, index=labels, columns=variables),
        multiplier_weights=None if weights is None else pd.DataFrame(weights, index=labels,
                                                                     columns=variables + ["omega"]),
        ids=ids,
        parts=pd.DataFrame(parts, index=labels) if parts else None,
    )


PROGRESS_MIN = 5000     # LPs: smaller runs finish in seconds, a bar would only flicker


@contextmanager
def progress_bar(progress: bool | None, total: int, unit: str = "DMU"):
    """A block with a progress bar (:func:`make_progress`'s): yields the callable that advances it by a number of
    finished LPs (None when no bar is shown, so callers pass it on as the engine's ``progress``), and closes the bar
    however the block ends."""
    bar = make_progress(progress, total, unit)
    try:
        yield bar.update if bar else None
    finally:
        if bar:
            bar.close()


def make_progress(progress: bool | None, total: int, unit: str = "DMU"):
    """A tqdm bar when asked for, or by default for long runs (``PROGRESS_MIN`` LPs or more) in an interactive
    terminal or a Jupyter notebook; None otherwise. ``tqdm.auto`` draws a widget in notebooks (with ipywidgets) and
    text elsewhere. ``total`` is every DMU (or LP, ``unit="LP"``) of the whole call, over all reference sets and
    chunks; the engine advances the bar by each chunk's size as the chunk's result arrives, so tqdm shows the rate
    and the time left (ETA)."""
    import sys

    if progress is None:
        progress = total >= PROGRESS_MIN and (sys.stderr.isatty() or running_in_notebook())
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=unit, desc="frontier")


def running_in_notebook() -> bool:
    """True inside a Jupyter kernel (ipykernel), where stderr is not a terminal but a progress bar is wanted."""
    import sys

    if "ipykernel" not in sys.modules or "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and hasattr(shell, "kernel")
