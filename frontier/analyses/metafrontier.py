r"""``metafrontier()``: group frontiers, the metafrontier and the technology gap (Battese, Rao & O'Donnell 2004;
O'Donnell, Rao & Battese 2008).

Every DMU o of group g(o) is scored twice with the same model:

* against its **group frontier** T^g: the reference set is the observations of its group (within the period's
  technology rule when ``period=`` is given): the ``group_score``;
* against the **metafrontier** T*: the ``meta_score``. ``meta="pooled"`` (default) is the convex metatechnology
  spanned by all groups' observations, so the meta score is the plain efficiency score on the pooled data.
  ``meta="union"`` is the non-convex union of the group technologies (no convex combinations across groups):
  an LP over a union of feasible sets is the best of the LPs over each set, so the meta score is the lowest
  efficiency (radial, SBM: ``E*(o) = min_g' E^{g'}(o)``) or the largest inefficiency (DDF family:
  ``D*(o) = max_g' D^{g'}(o)``) of o against every group's frontier. Against a group o does not belong to, o is
  scored with the form for points outside the reference set (Andersen-Petersen for radial and DDF, super-SBM
  where SBM is infeasible, as the productivity indices do); a group whose LP is infeasible drops out of the
  min / max (o's projection does not exist in that group's technology), any other failed LP makes the meta
  score NaN with a status naming the group.

The technology gap: ``tgr = E*/E^g`` in (0, 1] for models scored as efficiencies (E = theta, rho, or 1/phi for
output-oriented radial scores), ``gap = D* - D^g >= 0`` for the DDF family (inefficiencies). Both reach their
efficient value (1, 0) where the group frontier touches the metafrontier.

Super-efficiency (``super_efficiency=True``): o leaves *both* reference sets (its group's and the pooled one;
for ``"union"`` its own group's, the other groups never contain it). The metatechnology without o still
contains the group technology without o, so ``meta_score <= group_score`` (efficiencies) and the TGR stays in
(0, 1]; only the scores themselves can exceed 1 (radial input, SBM) or fall below 0 (DDF). Where a super-
efficiency LP is infeasible (VRS), that score and the TGR are NaN with the LP's status.

Scores are in the model's own convention (``fr.efficiency``'s: radial output-oriented scores are phi >= 1),
the TGR always on efficiencies, so it reads the same for every orientation.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import as_column_list, check_engine_options, validate_frame
from ..options import EFFICIENCY_TECHNOLOGIES as TECHNOLOGIES, METAS
from ..panel import in_index, key_values, period_order, row_ids
from ..problem import SNAP_TOL
from ..results import MetafrontierResult
from ..technology import ReferenceSets, Technology
from ._pipeline import Analysis, bind_model, check_window, progress_bar, public, spec_of

METAFRONTIER = Analysis("metafrontier", roles=("group", "inputs", "outputs", "bad_outputs", "id", "period"),
                        result=MetafrontierResult, model_options=True)


def _plain(value):
    """A numpy scalar as the Python value it holds (for messages: 2002, not np.int64(2002))."""
    return value.item() if isinstance(value, np.generic) else value


def _union_meta(family, orientation, candidates: dict) -> tuple[np.ndarray, np.ndarray]:
    """The meta score over the union of group technologies from each group's (score, status) per DMU.

    ``candidates`` maps each group to its frontier's (score, status) arrays over all DMUs, NaN /
    ``"not_solved"`` where a DMU was not evaluated against it (the group has no observation in its period's
    technology). Per DMU: the lowest efficiency E (= the largest DDF inefficiency) over the groups whose LP is
    optimal; an infeasible LP drops out; any other failure makes the score NaN.
    """
    labels = list(candidates)
    scores = np.vstack([candidates[g][0] for g in labels])
    status = np.vstack([np.asarray(candidates[g][1], dtype=object) for g in labels])
    k = scores.shape[1]
    measure = family.to_efficiency(scores, orientation) if family.score_kind == "efficiency" else -scores
    ok = status == "optimal"
    failed = ~ok & (status != "infeasible") & (status != "not_solved")
    measure = np.where(ok, measure, np.inf)
    best = np.argmin(measure, axis=0)
    meta = scores[best, np.arange(k)]
    meta_status = np.full(k, "optimal", dtype=object)
    none = ~ok.any(axis=0)
    meta[none] = np.nan
    meta_status[none] = "infeasible"
    for j in np.flatnonzero(failed.any(axis=0)):
        meta[j] = np.nan
        meta_status[j] = "; ".join(sorted({f"{status[i, j]} (group {_plain(labels[i])!r})"
                                           for i in np.flatnonzero(failed[:, j])}))
    return meta, meta_status


@public(METAFRONTIER)
def metafrontier(
    data: pd.DataFrame,
    group: str,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    id=None,
    meta: str = "pooled",
    model: str = "sbm",
    orientation: str | None = None,
    rts: str = "vrs",
    super_efficiency: bool = False,
    bad_disposability: str | None = None,
    direction=None,
    weights: dict | None = None,
    period: str | None = None,
    technology: str | None = None,
    window: int | None = None,
    zeros: str = "error",
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
    **model_options,
) -> MetafrontierResult:
    """Score every DMU against its group's frontier and against the metafrontier; the technology gap.

    Parameters
    ----------
    data : DataFrame, one row per DMU (panels: one row per entity-period); its index labels the DMUs.
    group : the column (or index level) naming each DMU's group (region, industry, ownership).
    inputs, outputs, bad_outputs : as in :func:`frontier.efficiency`.
    id : the column(s) (or index levels) identifying each DMU, as in :func:`frontier.efficiency`: with ``period``
        they must tell the rows apart; they lead :meth:`~MetafrontierResult.to_frame` and every export.
    meta : ``"pooled"`` (default; the convex metafrontier over all groups' observations, O'Donnell et al. 2008)
        or ``"union"`` (the non-convex union of the group technologies: the worst score over the group frontiers).
    model, orientation, rts, super_efficiency, bad_disposability, direction, weights, zeros : as in
        :func:`frontier.efficiency`; see the module docstring for super-efficiency.
    period, technology, window : as in :func:`frontier.efficiency`: each period's DMUs are scored against the
        group frontiers and the metafrontier of that period's technology (contemporaneous by default,
        sequential, window or global), all restricted to the group for the group frontiers.
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.
    **model_options : options only some models take (``epsilon=`` for ebm), as in :func:`frontier.efficiency`;
        data-derived parameters (EBM's calibrated epsilon and weights) are settled once on all rows.

    Every group frontier needs at least two DMUs (in each period's technology): a frontier spanned by the DMU
    alone scores it efficient by construction and says nothing about its group.

    Returns
    -------
    MetafrontierResult; ``to_frame()`` has ``group``, ``group_score``, ``group_status``, ``meta_score``,
    ``meta_status`` and ``tgr`` (efficiency scores) or ``gap`` (DDF family).
    """
    if meta not in METAS:
        raise ValueError(f"meta must be one of {METAS}, got {meta!r}")
    if technology is not None and period is None:
        raise ValueError(f"technology={technology!r} needs period= (the column, or index level, of periods)")
    technology = "contemporaneous" if technology is None else technology
    if period is not None and technology not in TECHNOLOGIES:
        raise ValueError(f"technology for metafrontier() must be one of {TECHNOLOGIES}, got {technology!r}")
    check_engine_options(n_jobs, chunk_size)
    bad_outputs = [] if bad_outputs is None else bad_outputs
    group_values = key_values(data, group, "group")
    period_values = None if period is None else key_values(data, period, "period")
    if period is not None and period == group:
        raise ValueError(f"group and period name the same column {group!r}")
    id_columns = as_column_list(id, "id")
    other = [c for c in dict.fromkeys([group, period] + id_columns) if c is not None and not in_index(data, c)]
    dea = validate_frame(data, inputs, outputs, bad_outputs, other_columns=other)
    ids = row_ids(data, id_columns, period_values)
    problem = bind_model(dea, data.index, model=model, orientation=orientation, rts=rts,
                         bad_disposability=bad_disposability, direction=direction, super_efficiency=super_efficiency,
                         weights=weights, zeros=zeros, model_options=model_options)
    options, fam = problem.options, problem.family
    n = len(data)
    problem.check_zeros(data.index, np.arange(n))

    groups = group_values.to_numpy()
    group_labels = list(pd.unique(groups))
    if period is None:
        periods, order, slices = None, [], [None]
    else:
        periods = period_values.to_numpy()
        order = period_order(period_values, period) if technology in ("sequential", "window") else \
            list(pd.unique(periods))
        slices = list(order)
    check_window(window, technology if period is not None else None)
    references = ReferenceSets(n, periods, tuple(order), window, groups=groups)

    def technology_of(t, g=None) -> Technology:
        return Technology("global", None, options.rts, g) if t is None else Technology(technology, t, options.rts, g)

    def evaluated(t) -> np.ndarray:
        return np.ones(n, dtype=bool) if t is None else periods == t

    # the requests, all solved as one parallel map: each (period, group)'s DMUs against their group frontier,
    # each period's DMUs against the pooled frontier, or (union) against every other group's frontier
    group_requests, meta_requests, cross_requests = [], [], []
    too_small = []
    for t in slices:
        in_t = evaluated(t)
        for g in group_labels:
            ev = np.flatnonzero(in_t & (groups == g))
            if not len(ev):
                continue
            ref = references.rows(technology_of(t, g))
            if len(ref) < 2:
                too_small.append(f"{_plain(g)!r}" + ("" if t is None else f" (period {_plain(t)!r})"))
            group_requests.append((ev, ref))
            if meta == "union":
                for other_group in group_labels:
                    other_rows = references.rows(technology_of(t, other_group))
                    if other_group != g and len(other_rows):     # a group absent from the technology adds nothing
                        cross_requests.append((ev, other_rows, other_group))
        if meta == "pooled":
            meta_requests.append((np.flatnonzero(in_t), references.rows(technology_of(t))))
    if too_small:
        raise ValueError(f"group column {group!r}: the frontier of group(s) {', '.join(too_small[:8])} is spanned "
                         "by fewer than 2 DMUs; a group frontier of one DMU scores it efficient by construction. "
                         "Merge small groups or drop them")

    requests = group_requests + meta_requests + [(ev, ref) for ev, ref, _ in cross_requests]
    with progress_bar(progress, sum(len(ev) for ev, _ in requests)) as advance:
        outs = problem.evaluate_many(requests, super_efficiency=super_efficiency, score_outside=meta == "union",
                                     detail=False, n_jobs=n_jobs, method=method, chunk_size=chunk_size,
                                     progress=advance)

    def collect(pairs, outputs_):
        score, status = np.full(n, np.nan), np.full(n, "not_solved", dtype=object)
        for (ev, *_), out in zip(pairs, outputs_):
            score[ev], status[ev] = out.score, out.status
        return score, status

    group_score, group_status = collect(group_requests, outs[: len(group_requests)])
    if meta == "pooled":
        meta_score, meta_status = collect(meta_requests, outs[len(group_requests): len(group_requests)
                                                              + len(meta_requests)])
    else:
        cross_outs = outs[len(group_requests):]
        candidates = {g: (np.full(n, np.nan), np.full(n, "not_solved", dtype=object)) for g in group_labels}
        for g in group_labels:
            own = groups == g
            candidates[g][0][own], candidates[g][1][own] = group_score[own], group_status[own]
        for (ev, _, g), out in zip(cross_requests, cross_outs):
            candidates[g][0][ev], candidates[g][1][ev] = out.score, out.status
        meta_score, meta_status = _union_meta(fam, options.orientation, candidates)

    ratio = fam.score_kind == "efficiency"
    with np.errstate(divide="ignore", invalid="ignore"):
        if ratio:
            gap = fam.to_efficiency(meta_score, options.orientation) / fam.to_efficiency(group_score,
                                                                                        options.orientation)
            gap[np.abs(gap - 1.0) <= SNAP_TOL] = 1.0
        else:
            gap = meta_score - group_score
            gap[np.abs(gap) <= SNAP_TOL] = 0.0

    labels = data.index
    spec = spec_of(problem, super_efficiency, period=period,
                   technology=technology if period is not None else None,
                   window=window if technology == "window" else None, id=tuple(id_columns), group=group, meta=meta)
    return MetafrontierResult(
        groups=pd.Series(groups, index=labels, name=group),
        group_scores=pd.Series(group_score + 0.0, index=labels, name="group_score"),
        group_status=pd.Series(group_status.astype(str), index=labels, name="group_status"),
        meta_scores=pd.Series(meta_score + 0.0, index=labels, name="meta_score"),
        meta_status=pd.Series(np.asarray(meta_status).astype(str), index=labels, name="meta_status"),
        technology_gap=pd.Series(gap + 0.0, index=labels, name="tgr" if ratio else "gap"),
        spec=spec,
        periods=None if period_values is None else period_values.rename(period),
        ids=ids,
    )
