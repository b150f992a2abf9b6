"""``efficiency()``: score every DMU of a DataFrame with one DEA model.

The function validates the data, scales each variable by its mean (all models here are invariant to that,
directions and caps are scaled alike), builds the model's LP stages (see :mod:`frontier.models`) and hands
them to the engine (:mod:`frontier.engine`) once per reference set.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..panel import in_index, period_values as period_column, row_ids
from ..results import EfficiencyResult
from ._pipeline import Analysis, bind_model, evaluation_groups, progress_bar, public, reference_positions, spec_of


EFFICIENCY = Analysis("efficiency", roles=("inputs", "outputs", "bad_outputs", "id", "period", "reference"),
                      result=EfficiencyResult, model_options=True)


@public(EFFICIENCY)
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
        by a vectorised simplex, :mod:`frontier.engine.dense`, each solution certified, HiGHS for any it does not
        settle) or ``"auto"`` (dense for LPs of at most ``frontier.engine.settings.DENSE_ROWS`` rows against at most
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
    id_columns = as_column_list(id, "id")
    other = [c for c in dict.fromkeys(id_columns + ([period] if period is not None else [])) if not in_index(frame, c)]
    clash = [c for c in id_columns if c in as_column_list(inputs, "inputs") + as_column_list(outputs, "outputs")
             + as_column_list(bad_outputs, "bad_outputs")]
    if clash:
        raise ValueError(f"column {clash[0]!r} is given both as id and as a variable; an identifier is not an "
                         "input or output")
    dea = validate_frame(frame, inputs, outputs, bad_outputs, other_columns=other)
    period_values = period_column(frame, period)
    ids = row_ids(frame, id_columns, period_values)
    problem = bind_model(dea, frame.index, model=model, orientation=orientation, rts=rts,
                         bad_disposability=bad_disposability, direction=direction, super_efficiency=super_efficiency,
                         weights=weights, zeros=zeros, model_options=model_options)
    ref_mask = reference_positions(reference, frame)
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

    spec = spec_of(problem, super_efficiency,
                   period=period, technology=technology if period is not None else None,
                   window=window if technology == "window" else None,
                   reference="all rows" if reference is None else f"{int(ref_mask.sum())} rows",
                   id=tuple(id_columns))
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
