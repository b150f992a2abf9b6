r"""``zsg()``: zero-sum-gains DEA (Lins, Gomes, Soares de Mello & Soares de Mello 2003; Gomes & Lins 2008): the
efficiency of every DMU, and the reallocation of a fixed total of one input or undesirable output (e.g. CO2 quotas
among provinces) that makes every DMU efficient.

An undesirable output is modelled as an input (Gomes & Lins 2008), so the model is the radial input-oriented one
(CCR, or BCC with ``rts="vrs"``) on the inputs and bad outputs, with one of them, x_k, in fixed supply: a DMU that
cuts its x_k by (1 - h) x_k hands the amount to the others in proportion to their own x_k (the proportional
reduction strategy). The ZSG efficiency h_o of DMU o is the smallest h with (lambda >= 0; sum lambda = 1 under
VRS)::

    sum_j lambda_j y_j >= y_o,
    sum_j lambda_j x_ij <= h x_io                      (the other inputs and bad outputs),
    lambda_o x_ko + c(h) sum_{j != o} lambda_j x_kj <= h x_ko,     c(h) = 1 + x_ko (1 - h) / sum_{j != o} x_kj,

a nonlinear program (h appears in the coefficients). For a fixed c the problem is the radial LP, g(c); g grows with
c and c(h) falls with h, so f(h) = g(c(h)) - h is decreasing with f(h_R) >= 0 at the radial score h_R = g(1) and
f(1) = h_R - 1 <= 0: h_o is its one root in [h_R, 1], found by Brent's method on LPs solved with HiGHS. An efficient
DMU (h_R = 1) has h_o = 1; otherwise h_R <= h_o < 1. With one input and CRS the root has Lins et al.'s closed form
h_o = h_R S / (S - x_o (1 - h_R)), S the total (a test).

Reallocation: every DMU at once cuts its x_k to h_o x_ko and receives from each other DMU j the share x_ko /
(S - x_kj) of j's cut (1 - h_j) x_kj, so the total S is unchanged. One round does not make every DMU efficient in
general; the rounds are repeated on the reallocated data (as Gomes & Lins 2008 and the applied literature do) until
every radial score is 1 within ``tolerance``, at most ``max_iter`` rounds (a warning if not reached). The total is
restored exactly after every round (a rescaling by 1 + O(1e-16)).

Only the input side is offered (a fixed total of an input or an undesirable output). The output-oriented ZSG model
of Lins et al. (2003)'s Olympic medals, where the fixed total is a desirable output, is not.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.optimize import brentq, linprog

from .._text import format_labels
from ..data import as_column_list, option_value, validate_frame
from ..options import ZSG_RTS
from ..panel import row_ids
from ..results.base import ModelSettings, warn_user
from ..results.zsg import ZSGResult
from ._pipeline import Analysis, public, spec_of
from .efficiency import efficiency

ZSG = Analysis("zsg", roles=("inputs", "outputs", "bad_outputs", "reallocate", "id"), result=ZSGResult,
               serves=None, engine=False)


def zsg_lp(X: np.ndarray, Y: np.ndarray, k: int, o: int, c: float, vrs: bool) -> float:
    """g(c): the radial input score of DMU ``o`` when every other DMU's column ``k`` of ``X`` is multiplied by
    ``c`` (HiGHS through scipy). Variables (h, lambda); NaN if the LP fails."""
    n, m = X.shape
    Xc = X.copy()
    others = np.arange(n) != o
    Xc[others, k] *= c
    cost = np.r_[1.0, np.zeros(n)]
    a_in = np.column_stack([-X[o], Xc.T])                        # sum lambda x - h x_o <= 0
    a_out = np.column_stack([np.zeros(Y.shape[1]), -Y.T])        # -sum lambda y <= -y_o
    a_ub, b_ub = np.vstack([a_in, a_out]), np.r_[np.zeros(m), -Y[o]]
    a_eq, b_eq = (np.r_[0.0, np.ones(n)][None, :], [1.0]) if vrs else (None, None)
    sol = linprog(cost, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=[(None, None)] + [(0, None)] * n,
                  method="highs")
    return float(sol.x[0]) if sol.status == 0 else np.nan


def zsg_score(X: np.ndarray, Y: np.ndarray, k: int, o: int, radial: float, vrs: bool, tolerance: float) -> float:
    """The ZSG efficiency of DMU ``o``: the root of g(c(h)) - h in [h_R, 1] (1 when the radial score is 1)."""
    if not np.isfinite(radial):
        return np.nan
    if radial >= 1.0 - tolerance:
        return 1.0
    total_others = X[:, k].sum() - X[o, k]

    def gap(h: float) -> float:
        return zsg_lp(X, Y, k, o, 1.0 + X[o, k] * (1.0 - h) / total_others, vrs) - h

    low = gap(radial)
    if not np.isfinite(low):
        return np.nan
    if low <= 1e-12:
        return radial           # the fixed variable does not bind: the others' extra x_k does not matter
    return brentq(gap, radial, 1.0, xtol=1e-13, rtol=4 * np.finfo(float).eps)


def reallocate_once(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """One round of the proportional reduction strategy: DMU o keeps h_o x_o and receives x_o / (S - x_j) of
    every other DMU j's cut (1 - h_j) x_j. The total S is preserved (restored exactly by a final rescaling)."""
    total = x.sum()
    share = (1.0 - h) * x / (total - x)              # what DMU j hands out per unit of a receiver's x
    received = x * (share.sum() - share)             # from every j != o
    new = h * x + received
    return new * (total / new.sum())


@public(ZSG)
def zsg(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    reallocate: str,
    id=None,
    rts: str = "crs",
    tolerance: float = 1e-6,
    max_iter: int = 100,
) -> ZSGResult:
    """Zero-sum-gains DEA: the ZSG efficiency of every DMU and the reallocation of the fixed total of one input
    or undesirable output (``reallocate``) by the proportional reduction strategy (Lins et al. 2003; Gomes &
    Lins 2008), after which every DMU is efficient.

    Parameters
    ----------
    data : DataFrame, one row per DMU (a cross-section).
    inputs, outputs, bad_outputs : column names; bad outputs are modelled as inputs (Gomes & Lins 2008).
    reallocate : the input or bad output whose total is fixed (e.g. ``"co2"``); its values must be positive.
    id : column(s) identifying each DMU, leading the table and the exports.
    rts : ``"crs"`` (ZSG-CCR, default) or ``"vrs"`` (ZSG-BCC).
    tolerance : a DMU is efficient when its radial score is at least 1 - tolerance; the rounds stop when all are.
    max_iter : the largest number of reallocation rounds.

    Returns
    -------
    ZSGResult: ``table`` (``radial``, the CCR/BCC score; ``zsg``, the ZSG efficiency; the observed and the
    reallocated amounts and their change), ``rounds`` and ``history`` (the amounts after each round).
    """
    rts = option_value(rts)
    if rts not in ZSG_RTS:
        raise ValueError(f"rts must be one of {ZSG_RTS}, got {rts!r}")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 < tolerance < 0.1:
        raise ValueError(f"tolerance must be a number in (0, 0.1), got {tolerance!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number >= 1, got {max_iter!r}")
    input_names = as_column_list(inputs, "inputs")
    output_names = as_column_list(outputs, "outputs")
    bad_names = as_column_list(bad_outputs, "bad_outputs")
    if not isinstance(reallocate, str):
        raise ValueError(f"reallocate must be one column name, got {reallocate!r}")
    if reallocate in output_names:
        raise ValueError(f"reallocate={reallocate!r} is a desirable output: ZSG here reallocates a fixed total of an "
                         "input or an undesirable output (the output-oriented ZSG model is not offered)")
    sides = input_names + bad_names
    if reallocate not in sides:
        raise ValueError(f"reallocate={reallocate!r} must be one of the inputs or bad outputs {sides}")
    id_columns = as_column_list(id, "id")
    dea = validate_frame(data, sides, output_names, other_columns=[c for c in id_columns if c in data.columns])
    ids = row_ids(data, id_columns, None)
    labels = data.index
    k = sides.index(reallocate)
    X = dea.matrix[:, :len(sides)].astype(float)
    Y = dea.matrix[:, len(sides):].astype(float)
    bad = X[:, k] <= 0
    if bad.any():
        raise ValueError(f"reallocate column {reallocate!r} has values <= 0 in rows {format_labels(labels[bad])}: "
                         "a DMU's share of the total must be positive")
    vrs = rts == "vrs"

    def radial_scores(amounts: np.ndarray) -> np.ndarray:
        frame = pd.DataFrame(np.column_stack([X[:, :k], amounts, X[:, k + 1:], Y]), index=labels,
                             columns=sides + output_names)
        return efficiency(frame, sides, output_names, model="radial", orientation="input", rts=rts).scores \
            .to_numpy(dtype=float)

    observed = X[:, k].copy()
    amounts = observed.copy()
    history, first, radial_first, converged, rounds = [amounts.copy()], None, None, False, 0
    while True:
        radial = radial_scores(amounts)
        if radial_first is None:
            radial_first = radial
        if np.isnan(radial).any():
            raise ValueError(f"zsg: the radial LP failed for rows {format_labels(labels[np.isnan(radial)])} in round "
                             f"{rounds}")
        if (radial >= 1.0 - tolerance).all():
            converged = True
            break
        if rounds == max_iter:
            break
        Xr = X.copy()
        Xr[:, k] = amounts
        h = np.array([zsg_score(Xr, Y, k, o, radial[o], vrs, tolerance) for o in range(len(labels))])
        if np.isnan(h).any():
            raise ValueError(f"zsg: the ZSG LP failed for rows {format_labels(labels[np.isnan(h)])} in round "
                             f"{rounds + 1}")
        if first is None:
            first = h
        amounts = reallocate_once(amounts, h)
        history.append(amounts.copy())
        rounds += 1
    if first is None:                      # every DMU efficient as observed
        first = np.ones(len(labels))
    if not converged:
        warn_user(f"zsg: after {max_iter} rounds {int((radial < 1.0 - tolerance).sum())} DMUs still have a radial "
                  f"score below 1 - {tolerance:g} (lowest {radial.min():.6g}); raise max_iter or tolerance")

    table = pd.DataFrame({"radial": radial_first, "zsg": first, "observed": observed, "reallocated": amounts},
                         index=labels)
    table["change"] = table["reallocated"] - table["observed"]
    table["final_radial"] = radial
    history_frame = pd.DataFrame(np.column_stack(history), index=labels,
                                 columns=[f"round_{r}" for r in range(len(history))])
    spec = spec_of(_settings(sides, output_names, rts), id=tuple(id_columns))
    return ZSGResult(table=table, history=history_frame, reallocate=reallocate, rts=rts, rounds=rounds,
                     converged=converged, tolerance=float(tolerance), total=float(observed.sum()), spec=spec, ids=ids)


def _settings(sides: list[str], outputs: list[str], rts: str):
    """The model part of the specification: the radial input-oriented model on the inputs and bad outputs."""
    return ModelSettings(model="radial", orientation="input", rts=rts, super_efficiency=False,
                         bad_disposability=None, direction=None, weights=None, zeros="error", inputs=tuple(sides),
                         outputs=tuple(outputs), bad_outputs=(),
                         description=f"ZSG-{'CCR' if rts == 'crs' else 'BCC'} (radial, input-oriented), "
                                     "proportional reduction strategy")
