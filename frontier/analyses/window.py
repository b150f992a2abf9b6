"""``window_analysis()``: classic DEA window analysis (Charnes, Clark, Cooper & Golany 1985).

With the periods in time order (:func:`frontier.panel.period_order`) and a width w, window k (k = 1..T - w + 1)
pools the periods k..k+w-1 into one reference set and scores every observation of those periods against it. An
observation therefore gets up to w scores, one per window that contains its period. This is not the centred
window *technology* of ``efficiency(technology="window", window=h)`` and ``productivity(technology="window")``,
where each period t is scored once, against the periods t-h..t+h.

The statistics of the paper (and of Cooper, Seiford & Tone 2007, section 11.2), per entity:

* ``mean``: the mean of all its scores over all windows;
* ``column_range``: the largest, over its periods, of the range (max - min) of one period's scores across the
  windows that contain it: the "column view" (how much a period's score depends on the window), Cooper, Seiford
  & Tone's LDY;
* ``total_range``: max - min of all its scores over all windows and periods (their LDT);
* the row view: per (entity, window) the mean and range of the window's scores over its periods (the trend within
  one window); the column view: per (entity, period) the mean, range and count over the windows.

Every window is one job of one parallel map (:meth:`frontier.problem.Problem.evaluate_many`), for every
registered model and its options, as in :func:`frontier.efficiency`. Failed LPs are NaN with their status;
statistics skip them and report how many scores they rest on.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import check_engine_options, validate_frame
from ..panel import Panel, period_ranks
from ..results import WindowAnalysisResult
from ._pipeline import Analysis, bind_model, progress_bar, public, spec_of

WINDOW_ANALYSIS = Analysis("window_analysis", roles=("entity", "period", "inputs", "outputs", "bad_outputs"),
                           result=WindowAnalysisResult, model_options=True)


@public(WINDOW_ANALYSIS)
def window_analysis(
    data: pd.DataFrame,
    entity: str,
    period: str,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    width: int = 3,
    model: str = "sbm",
    orientation: str | None = None,
    rts: str = "vrs",
    super_efficiency: bool = False,
    bad_disposability: str | None = None,
    direction=None,
    weights: dict | None = None,
    zeros: str = "error",
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
    **model_options,
) -> WindowAnalysisResult:
    """Score every observation of a panel in every window of ``width`` consecutive periods that contains it.

    Parameters
    ----------
    data : long panel, one row per (entity, period) (columns or index levels); unbalanced panels are fine.
    entity, period : the columns identifying the entity and the period.
    inputs, outputs, bad_outputs : as in :func:`frontier.efficiency`.
    width : periods per window (the paper's w; 1 <= width <= number of periods). width = number of periods is
        one pooled frontier; width = 1 is one frontier per period.
    model, orientation, rts, super_efficiency, bad_disposability, direction, weights, zeros : as in
        :func:`frontier.efficiency`.
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.
    **model_options : options only some models take (``epsilon=`` for ebm), as in :func:`frontier.efficiency`;
        data-derived parameters (EBM's calibrated epsilon and weights) are settled once on all rows.

    Returns
    -------
    WindowAnalysisResult: ``scores`` (one row per entity, window and period), ``table()`` (entity x window rows,
    period columns), ``by_entity`` (mean, column range, total range, counts), ``row_view``, ``column_view``.
    """
    if isinstance(width, (bool, np.bool_)) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(f"width must be a whole number of periods >= 1, got {width!r}")
    check_engine_options(n_jobs, chunk_size)
    bad_outputs = [] if bad_outputs is None else bad_outputs
    panel, work = Panel.from_frame(data, entity, period)
    n_periods = len(panel.order)
    if width > n_periods:
        raise ValueError(f"width={width} exceeds the {n_periods} period(s) of {period!r} "
                         f"({list(panel.order)[:6]}{'...' if n_periods > 6 else ''}); a window cannot be wider "
                         "than the panel")
    dea = validate_frame(work, inputs, outputs, bad_outputs)
    # a custom direction DataFrame is aligned to the data's own index (rows keep their order in ``work``)
    problem = bind_model(dea, data.index, model=model, orientation=orientation, rts=rts,
                         bad_disposability=bad_disposability, direction=direction, super_efficiency=super_efficiency,
                         weights=weights, zeros=zeros, model_options=model_options)
    labels = pd.MultiIndex.from_arrays([panel.entity, panel.period], names=[entity, period])
    problem.check_zeros(labels, np.arange(len(work)))

    windows = tuple(tuple(panel.order[k:k + width]) for k in range(n_periods - width + 1))
    jobs = []
    for periods in windows:
        rows = np.flatnonzero(np.isin(panel.rank, period_ranks(list(periods), list(panel.order))))
        jobs.append((rows, rows))
    with progress_bar(progress, sum(len(rows) for rows, _ in jobs)) as advance:
        outs = problem.evaluate_many(jobs, super_efficiency=super_efficiency, detail=False, n_jobs=n_jobs,
                                     method=method, chunk_size=chunk_size, progress=advance)

    parts = []
    for k, ((rows, _), out) in enumerate(zip(jobs, outs)):
        parts.append(pd.DataFrame({entity: panel.entity[rows], "window": window_label(windows[k]),
                                   period: panel.period[rows], "score": out.score, "status": out.status.astype(str),
                                   "_window": k, "_rank": panel.rank[rows]}))
    scores = pd.concat(parts, ignore_index=True)
    first_seen = pd.unique(panel.entity)
    scores["_entity"] = pd.Series(range(len(first_seen)), index=first_seen).reindex(scores[entity]).to_numpy()
    scores = scores.sort_values(["_entity", "_window", "_rank"], kind="stable")
    scores = scores.drop(columns=["_entity", "_window", "_rank"]).reset_index(drop=True)

    spec = spec_of(problem, super_efficiency, period=period, technology="window_analysis", window=int(width),
                   entity=entity, n_observations=len(work), n_entities=panel.n_entities, n_periods=n_periods)
    return WindowAnalysisResult(scores=scores, spec=spec, windows=windows, period_order=panel.order)


def window_label(periods: tuple) -> str:
    """A window's name: its first and last period (``"2001-2003"``), or the period for width 1."""
    return str(periods[0]) if len(periods) == 1 else f"{periods[0]}-{periods[-1]}"
