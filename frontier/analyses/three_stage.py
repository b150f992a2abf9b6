r"""``three_stage()``: three-stage DEA (Fried, Lovell, Schmidt & Yaisawarng 2002): DEA scores purged of the
operating environment and of statistical noise.

Stage 1: any registered efficiency model through :func:`frontier.efficiency` (the paper's: radial BCC,
input-oriented, the default here; Chinese studies often use SBM or super-SBM with bad outputs). For every input
x_n the total slack is its distance to the projection, radial plus non-radial::

    s_ni = x_ni - target_ni      (>= 0; negative only for the super-slacks of super-efficient DMUs)

Stage 2: one stochastic frontier per input slack on the environmental variables z (in levels, linear), cost-type
(the slack is a one-sided excess), by :func:`frontier.sfa` (``frontier="cost"``, ``log=False``)::

    s_ni = z_i b_n + v_ni + u_ni,     v ~ N(0, sigma_v^2),  u >= 0 (half normal by default).

The composed error e_ni = s_ni - z_i b_n is split into managerial inefficiency and noise by the conditional mean
of u (Jondrow, Lovell, Materov & Schmidt 1982), E[u | e] = mu* + sigma_* phi(mu*/sigma_*) / Phi(mu*/sigma_*), which
for the half-normal cost frontier is the formula the Chinese literature quotes from Luo Dengyue (罗登跃, 2012,
"三阶段DEA模型管理无效率估计注记", 统计研究 29(4): 104-107)::

    E[u | e] = sigma_* [ phi(lambda e / sigma) / Phi(lambda e / sigma) + lambda e / sigma ],
    sigma_* = sigma_u sigma_v / sigma,  lambda = sigma_u / sigma_v,  sigma^2 = sigma_u^2 + sigma_v^2,

and the noise as what is left: E[v | e] = s - z b - E[u | e].

Adjustment: every DMU is put in the least favourable environment observed and given the worst luck observed, so
no input is adjusted downwards (a DMU that had it good gets more input)::

    x^A_ni = x_ni + [max_i(z_i b_n) - z_i b_n] + [max_i(v_ni) - v_ni]

Stage 3: the same model, with the same options, on the adjusted inputs (outputs and bad outputs unchanged).

An input whose slack is the same for every DMU (zero: no DMU has excess of it) leaves nothing for the environment
to explain: it gets no stochastic frontier and is not adjusted (a warning says so). A second stage whose gamma ends
at 0 or 1 (no inefficiency, or no noise) is degenerate: :func:`frontier.sfa` warns and this function repeats the
warning naming the input.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from .._text import format_labels
from ..data import as_column_list
from ..results.base import warn_user
from ..results.three_stage import ThreeStageResult
from ._pipeline import Analysis, public, spec_of
from .efficiency import efficiency
from .sfa import DISTRIBUTIONS, GAMMA_DEGENERATE, sfa

THREE_STAGE = Analysis("three_stage", roles=("inputs", "outputs", "bad_outputs", "environment", "id"),
                       result=ThreeStageResult, model_options=True)


def environment_matrix(data: pd.DataFrame, environment: list[str], variables: list[str]) -> None:
    """Check the environmental variables: named, present, numeric and finite, and not inputs or outputs."""
    if not environment:
        raise ValueError("three_stage needs environment=[...]: the columns of the operating environment the "
                         "second stage regresses the slacks on (e.g. GDP per capita, industrial structure)")
    missing = [c for c in environment if c not in data.columns]
    if missing:
        raise ValueError(f"environment column(s) {missing} not found in data; available columns: "
                         f"{list(data.columns)}")
    clash = [c for c in environment if c in variables]
    if clash:
        raise ValueError(f"column {clash[0]!r} is given both as an environmental variable and as an input or "
                         "output")
    for column in environment:
        values = pd.to_numeric(data[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values)
        if bad.any():
            raise ValueError(f"environment column {column!r} has missing, non-numeric or infinite values in rows "
                             f"{format_labels(data.index[bad])}")


def environment_effect(fit, frame: pd.DataFrame) -> np.ndarray:
    """z_i b: the fitted slack frontier of each DMU (intercept included; the adjustment uses only differences)."""
    terms = list(fit.terms)
    Z = np.column_stack([np.ones(len(frame))] + [frame[t].to_numpy(dtype=float) for t in terms[1:]])
    return Z @ fit.params[terms].to_numpy(dtype=float)


@public(THREE_STAGE)
def three_stage(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    environment,
    id=None,
    model: str = "radial",
    orientation: str | None = None,
    rts: str = "vrs",
    super_efficiency: bool = False,
    bad_disposability: str | None = None,
    direction=None,
    weights: dict | None = None,
    zeros: str = "error",
    distribution: str = "half_normal",
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
    **model_options,
) -> ThreeStageResult:
    """Three-stage DEA (Fried, Lovell, Schmidt & Yaisawarng 2002): stage-1 scores, one stochastic frontier per
    input slack on the ``environment``, the inputs adjusted for environment and noise, stage-3 scores.

    Parameters
    ----------
    data : DataFrame, one row per DMU (a cross-section).
    inputs, outputs, bad_outputs : column names, as for :func:`frontier.efficiency`.
    environment : the columns of the operating environment (e.g. GDP per capita, industrial structure, openness):
        the regressors of every second-stage frontier, in levels.
    id : column(s) identifying each DMU, leading the tables and the exports.
    model, orientation, rts, super_efficiency, bad_disposability, direction, weights, zeros, **model_options : the
        DEA model of stages 1 and 3, as for :func:`frontier.efficiency` (default: radial BCC, input-oriented, as
        in the paper).
    distribution : the inefficiency of the second stage: ``"half_normal"`` (default, as in the paper),
        ``"truncated_normal"`` or ``"exponential"``.
    n_jobs, method, chunk_size, progress : the engine's options (stages 1 and 3).

    Returns
    -------
    ThreeStageResult: ``stage1`` and ``stage3`` (:class:`~frontier.EfficiencyResult`), ``sfa`` (input ->
    :class:`~frontier.analyses.sfa.SFAResult`, None for an input without slack variation), ``slacks``,
    ``environment_effect`` (z b), ``managerial`` (E[u|e]), ``noise`` (E[v|e]), ``adjusted`` (the inputs of stage
    3), ``table`` (the scores before and after) and ``warnings`` (the second stages' warnings, naming the input).
    """
    if distribution not in DISTRIBUTIONS:
        raise ValueError(f"distribution must be one of {DISTRIBUTIONS}, got {distribution!r}")
    environment = as_column_list(environment, "environment")
    input_names = as_column_list(inputs, "inputs")
    variables = input_names + as_column_list(outputs, "outputs") + as_column_list(bad_outputs, "bad_outputs")
    environment_matrix(data, environment, variables)
    model_keywords = dict(id=id, model=model, orientation=orientation, rts=rts, super_efficiency=super_efficiency,
                          bad_disposability=bad_disposability, direction=direction, weights=weights, zeros=zeros,
                          n_jobs=n_jobs, method=method, chunk_size=chunk_size, progress=progress, **model_options)

    # stage 1
    stage1 = efficiency(data, inputs, outputs, bad_outputs, **model_keywords)
    failed = stage1.targets[input_names].isna().any(axis=1).to_numpy()
    if failed.any():
        raise ValueError(f"three_stage: the stage-1 LP failed for rows {format_labels(data.index[failed])} "
                         f"(status {sorted(set(stage1.status[failed]))}): their slacks are unknown, so the second "
                         "stage cannot use them; drop those rows or choose another model")
    observed = stage1.observed[input_names]
    slacks = observed - stage1.targets[input_names]

    # stage 2: one cost-type frontier per input slack
    labels = data.index
    frame = pd.DataFrame({c: pd.to_numeric(data[c], errors="coerce").to_numpy(dtype=float) for c in environment},
                         index=labels)
    fits, notes = {}, []
    effect = pd.DataFrame(0.0, index=labels, columns=input_names)
    managerial = pd.DataFrame(0.0, index=labels, columns=input_names)
    noise = pd.DataFrame(0.0, index=labels, columns=input_names)
    dependent = "slack"
    while dependent in environment:
        dependent = "_" + dependent
    for name in input_names:
        slack = slacks[name].to_numpy(dtype=float)
        if np.ptp(slack) <= 1e-12 * max(1.0, float(np.abs(slack).max())):
            note = (f"three_stage: the slack of input {name!r} is {slack[0]:.6g} for every DMU: no stochastic "
                    "frontier is fitted and the input is not adjusted")
            notes.append(note)
            warn_user(note)
            fits[name] = None
            continue
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fit = sfa(frame.assign(**{dependent: slack}), dependent, environment, frontier="cost", log=False,
                      distribution=distribution)
        for w in caught:
            note = f"three_stage: the second stage of input {name!r}'s slack: {w.message}"
            notes.append(note)
            warn_user(note)
        gamma = float(fit.params["gamma"])
        if (gamma < GAMMA_DEGENERATE or gamma > 1.0 - GAMMA_DEGENERATE) and not any("gamma" in str(w.message)
                                                                                     for w in caught):
            note = f"three_stage: the second stage of input {name!r}'s slack is degenerate (gamma = {gamma:.6g})"
            notes.append(note)
            warn_user(note)
        fits[name] = fit
        zb = environment_effect(fit, frame)
        u = fit.inefficiency.to_numpy(dtype=float)
        effect[name] = zb
        managerial[name] = u
        noise[name] = slack - zb - u

    # the adjustment: the least favourable environment and the worst luck for every DMU
    adjusted = observed + (effect.max() - effect) + (noise.max() - noise)
    for name in input_names:
        if fits[name] is None:
            adjusted[name] = observed[name]

    # stage 3: the same model on the adjusted inputs
    stage3_data = data.copy()
    for name in input_names:
        stage3_data[name] = adjusted[name].to_numpy()
    stage3 = efficiency(stage3_data, inputs, outputs, bad_outputs, **model_keywords)

    table = pd.DataFrame({"score_stage1": stage1.scores, "status_stage1": stage1.status,
                          "score_stage3": stage3.scores, "status_stage3": stage3.status}, index=labels)
    table["change"] = table["score_stage3"] - table["score_stage1"]
    spec = spec_of(stage1.spec.settings, super_efficiency, id=tuple(as_column_list(id, "id")))
    return ThreeStageResult(stage1=stage1, stage3=stage3, sfa=fits, slacks=slacks, environment_effect=effect,
                            managerial=managerial, noise=noise, adjusted=adjusted, table=table,
                            environment=tuple(environment), distribution=distribution, warnings=tuple(notes),
                            spec=spec, ids=stage1.ids)
