r"""``cross_efficiency()``: every DMU rated with every DMU's weights (Sexton, Silkman & Hogan 1986), the mean
cross-efficiency, its rank and Doyle & Green's (1994) maverick index.

The base is the input-oriented CRS (CCR) multiplier form: DMU d's weights (v_d, u_d) solve
``theta_d = max u'y_d  s.t.  v'x_d = 1,  u'y_j - v'x_j <= 0 (every j),  u, v >= 0``, and the cross-efficiency of
DMU j rated by d is ``E_dj = u_d'y_j / v_d'x_j`` (so ``E_dd = theta_d``). Every LP is the engine's, in envelopment
form, its weights read from the row duals (:func:`frontier.models.base.multipliers_from_duals`); the secondary-goal
and game LPs are stages solved by :meth:`Problem.solve_auxiliary <frontier.problem.Problem.solve_auxiliary>`.

Variants (``variant=``):

* ``"simple"``: d's optimal weights as the solver returns them. Often not unique (efficient DMUs), hence:
* ``"aggressive"`` / ``"benevolent"`` (Doyle & Green 1994, their formulation with aggregated peers): among d's
  optimal weights, those minimising / maximising the others' aggregate output,
  ``min / max u'Y_d  s.t.  v'X_d = 1,  u'y_d - theta_d v'x_d = 0,  u'y_j - v'x_j <= 0,  u, v >= 0`` with ``X_d`` and
  ``Y_d`` the sums over j != d. Its envelopment dual, the stage :class:`SecondaryGoal`::

      min a  s.t.  X'lambda - a X_d + b theta_d x_d <= 0,  Y'lambda + b y_d >= +-Y_d,  lambda >= 0,  a, b free

  (``+`` benevolent: max u'Y_d = a*; ``-`` aggressive: min u'Y_d = -a*).
* ``"game"`` (Liang, Wu, Cook & Zhu 2008): DMU j, playing against d, maximises its own efficiency while d keeps at
  least its current game cross-efficiency alpha_d:
  ``alpha_dj = max u'y_j  s.t.  v'x_j = 1,  alpha_d v'x_d - u'y_d <= 0,  u'y_l - v'x_l <= 0,  u, v >= 0``; dual, the
  stage :class:`GameCrossEfficiency`::

      min a  s.t.  X'lambda - a x_j - b alpha_d x_d <= 0,  Y'lambda - b y_d >= y_j,  lambda, b >= 0

  alpha starts at the aggressive mean cross-efficiency (as Liang et al.'s example starts from the CCR
  cross-efficiency) and is replaced by the mean of alpha_dj over the n players until no DMU's value moves by more
  than ``tolerance``; the final alphas are the game cross-efficiencies (a Nash equilibrium, Liang et al. Theorem 2).

Summary measures, per rated DMU j (a column of the matrix): the mean cross-efficiency ``sum_d E_dj / n`` (the
self-appraisal included, as Doyle & Green 1994 and Liang et al. 2008), the peer appraisal ``sum_{d != j} E_dj /
(n - 1)``, the rank by the mean (1 = best), and the maverick index ``(theta_j - peer) / peer`` (Doyle & Green):
how much a DMU's own rating exceeds its peers' view of it.
"""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..models.base import INF, ModelSpec, ReferenceBlock, Stage, StageOutput, dominance_sense, multipliers_from_duals
from ..options import CROSS_EFFICIENCY_VARIANTS
from ..panel import row_ids
from ..problem import SNAP_TOL, Problem
from ..results.cross_efficiency import CrossEfficiencyResult
from ._pipeline import Analysis, bind_model, progress_bar, public, spec_of

CROSS_EFFICIENCY = Analysis("cross_efficiency", roles=("inputs", "outputs", "id"), result=CrossEfficiencyResult,
                            serves=None)


class SecondaryGoal(Stage):
    """Doyle & Green's (1994) secondary goal for DMU d, in envelopment form (module text). The evaluated row carries
    ``[x_d, y_d, theta_d, X_d, Y_d]`` (LP units); own columns a and b; the weights are the data rows' duals."""

    def __init__(self, layout, benevolent: bool):
        block = ReferenceBlock(layout.mask(True, True), dominance_sense(layout, True), False)
        super().__init__(d=layout.d, blocks=[block], convexity=False, n_extra_rows=0, n_extra_cols=2,
                         name="benevolent" if benevolent else "aggressive", keep_duals=True)
        self.layout, self.benevolent = layout, benevolent

    def always_feasible(self, in_reference):
        return True      # benevolent: lambda = 1 on every other DMU, a = 1; aggressive: everything 0

    def objective_range(self, in_reference):
        # a* = max u'Y_d (benevolent) or -min u'Y_d (aggressive), and 0 <= u'Y_d <= v'X_d = 1
        return (0.0, 1.0) if self.benevolent else (-1.0, 0.0)

    def patch(self, data0, prev):
        L, k, d = self.layout, data0.shape[0], self.layout.d
        p = self.empty_patch(k)
        x0, y0, theta = data0[:, L.inputs], data0[:, L.goods], data0[:, d]
        others = data0[:, d + 1: 2 * d + 1]
        p.row_upper[:, L.inputs] = 0.0
        p.extra_matrix[:, L.inputs, 0] = -others[:, L.inputs]
        p.extra_matrix[:, L.inputs, 1] = theta[:, None] * x0
        p.extra_matrix[:, L.goods, 1] = y0
        p.row_lower[:, L.goods] = others[:, L.goods] if self.benevolent else -others[:, L.goods]
        p.extra_lower[:] = -INF
        p.extra_cost[:, 0] = 1.0
        return p

    def decode(self, sol, data0, prev):
        weights, _ = multipliers_from_duals(self.layout, sol.duals, False)
        return StageOutput(sol.status, score=sol.objective, multipliers=weights)


class GameCrossEfficiency(Stage):
    """Liang et al.'s (2008) game LP of DMU j against player d, in envelopment form (module text). The evaluated row
    carries ``[x_j, y_j, alpha_d x_d, y_d]`` (LP units); own columns a (free) and b >= 0; the objective is
    alpha_dj."""

    def __init__(self, layout):
        block = ReferenceBlock(layout.mask(True, True), dominance_sense(layout, True), False)
        super().__init__(d=layout.d, blocks=[block], convexity=False, n_extra_rows=0, n_extra_cols=2, name="game")
        self.layout = layout

    def always_feasible(self, in_reference):
        return in_reference      # lambda = e_j, a = 1, b = 0

    def objective_range(self, in_reference):
        return 0.0, 1.0 if in_reference else INF

    def patch(self, data0, prev):
        L, k, d = self.layout, data0.shape[0], self.layout.d
        p = self.empty_patch(k)
        player = data0[:, d: 2 * d]
        p.row_upper[:, L.inputs] = 0.0
        p.extra_matrix[:, L.inputs, 0] = -data0[:, L.inputs]
        p.extra_matrix[:, L.inputs, 1] = -player[:, L.inputs]
        p.extra_matrix[:, L.goods, 1] = -player[:, L.goods]
        p.row_lower[:, L.goods] = data0[:, L.goods]
        p.extra_lower[:, 0] = -INF
        p.extra_cost[:, 0] = 1.0
        return p

    def decode(self, sol, data0, prev):
        return StageOutput(sol.status, score=sol.objective)


def ratio_matrix(V: np.ndarray, U: np.ndarray, X: np.ndarray, Y: np.ndarray) -> np.ndarray:
    """``E[d, j] = u_d'y_j / v_d'x_j`` for the weights (rows of V, U) of every rating DMU d; a ratio within
    ``SNAP_TOL`` above 1 (the weights' rounding) is 1."""
    with np.errstate(divide="ignore", invalid="ignore"):
        E = (U @ Y.T) / (V @ X.T)
    E[(E > 1.0) & (E <= 1.0 + SNAP_TOL)] = 1.0
    return E


def secondary_goal_weights(problem: Problem, theta: np.ndarray, benevolent: bool):
    """Every DMU's Doyle & Green weights (LP units, k x d) and the LPs' statuses."""
    L, rows = problem.layout, problem.rows[:, : problem.layout.d]
    others = rows.sum(axis=0) - rows
    spec = ModelSpec([SecondaryGoal(L, benevolent)], L.d, "Doyle & Green secondary goal")
    out = problem.solve_auxiliary(spec, np.hstack([rows, theta[:, None], others]))
    return out["multipliers"], np.asarray(out["status"]).astype(str)


def game_round(problem: Problem, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One round of Liang et al.'s algorithm: alpha_dj for every player d (rows) and DMU j (columns), and the
    statuses; one engine call (a set of n LPs against the n DMUs per player)."""
    L, rows = problem.layout, problem.rows[:, : problem.layout.d]
    spec = ModelSpec([GameCrossEfficiency(L)], L.d, "game cross-efficiency")
    player = rows.copy()
    player[:, L.inputs] *= alpha[:, None]
    outs = problem.solve_auxiliary_many(spec, [np.hstack([rows, np.broadcast_to(p, rows.shape)]) for p in player])
    status = np.array([np.asarray(out["status"]).astype(str) for out in outs], dtype=object)
    values = np.array([np.where(out["status"] == "optimal", out["score"], np.nan) for out in outs])
    values[(values > 1.0) & (values <= 1.0 + SNAP_TOL)] = 1.0
    return values, status


@public(CROSS_EFFICIENCY)
def cross_efficiency(
    data: pd.DataFrame,
    inputs,
    outputs,
    *,
    id=None,
    variant: str = "aggressive",
    tolerance: float = 1e-6,
    max_iter: int = 100,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> CrossEfficiencyResult:
    """The cross-efficiency matrix of the DMUs (rows) of ``data``, their mean cross-efficiency, rank and maverick
    index, on the input-oriented CRS (CCR) multiplier form.

    Parameters
    ----------
    data : DataFrame, one row per DMU (a cross-section).
    inputs, outputs : column names (positive values: a ratio of weighted sums is taken for every pair).
    id : column(s) identifying each DMU, leading the table and the exports.
    variant : ``"aggressive"`` (default) or ``"benevolent"`` (Doyle & Green 1994), ``"simple"`` (Sexton et al.
        1986: the weights the solver returns), ``"game"`` (Liang et al. 2008). See ``docs/cross-efficiency.md``.
    tolerance, max_iter : the game's convergence tolerance (largest change of a DMU's value) and iteration limit;
        a game that has not converged by then is reported (``converged`` False) with a warning.
    n_jobs, method, chunk_size, progress : the engine's options for the CCR scores, as for :func:`frontier.efficiency`
        (the secondary-goal and game LPs run on the engine's defaults).

    Returns
    -------
    CrossEfficiencyResult with ``matrix`` (rating DMU x rated DMU), ``table`` (``ccr``, ``cross_efficiency``,
    ``peer_appraisal``, ``rank``, ``maverick``), ``weights`` (the rating weights, except for the game).
    """
    variant, method = option_value(variant), option_value(method)
    if variant not in CROSS_EFFICIENCY_VARIANTS:
        raise ValueError(f"variant must be one of {CROSS_EFFICIENCY_VARIANTS}, got {variant!r}")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 < tolerance < 0.1:
        raise ValueError(f"tolerance must be a number in (0, 0.1), got {tolerance!r}")
    if isinstance(max_iter, bool) or not isinstance(max_iter, (int, np.integer)) or max_iter < 1:
        raise ValueError(f"max_iter must be a whole number >= 1, got {max_iter!r}")
    check_engine_options(n_jobs, chunk_size)
    id_columns = as_column_list(id, "id")
    dea = validate_frame(data, inputs, outputs, other_columns=[c for c in id_columns if c in data.columns])
    ids = row_ids(data, id_columns, None)
    problem = bind_model(dea, data.index, model="radial", orientation="input", rts="crs", bad_disposability=None,
                         direction=None, super_efficiency=False, weights=None, zeros="error", model_options={})
    problem_zeros(problem, data.index)
    n, L = len(data), problem.layout
    rows = np.arange(n)
    with progress_bar(progress, n) as advance:
        ccr = problem.evaluate(rows, rows, detail=False, n_jobs=n_jobs, method=method, chunk_size=chunk_size,
                               progress=advance)
    if not ccr.score_ok.all():
        bad = data.index[~ccr.score_ok]
        raise ValueError(f"the CCR score LP failed for DMUs {list(bad[:10])} ({ccr.status[~ccr.score_ok][0]}): "
                         "no cross-efficiency without every DMU's weights")
    X, Y = problem.rows[:, L.inputs], problem.rows[:, L.goods]     # LP units: the ratios do not depend on them
    status = np.full(n, "optimal", dtype=object)
    iterations, converged, history = None, None, None
    if variant == "simple":
        weights_lp = ccr.multipliers * problem.scale       # the user-unit weights back in LP units
    else:
        # the game starts from the aggressive cross-efficiencies
        weights_lp, goal_status = secondary_goal_weights(problem, ccr.score, variant == "benevolent")
        status = goal_status.astype(object)
    V, U = weights_lp[:, L.inputs], weights_lp[:, L.goods]
    matrix = ratio_matrix(V, U, X, Y)
    if variant == "game":
        alpha = np.nanmean(matrix, axis=0)
        history = [alpha]
        converged = False
        for iterations in range(1, max_iter + 1):
            matrix, game_status = game_round(problem, alpha)
            status = np.where((game_status == "optimal").all(axis=0), "optimal", "game LP failed").astype(object)
            new = matrix.mean(axis=0)
            history.append(new)
            step = np.nanmax(np.abs(new - alpha)) if np.isfinite(new).any() else np.nan
            alpha = new
            if step <= tolerance:
                converged = True
                break
        if not converged:
            warnings.warn(f"the game cross-efficiency did not converge in {max_iter} iterations (last change "
                          f"{step:.3g} > tolerance {tolerance:g}); raise max_iter", RuntimeWarning, stacklevel=2)
    labels = data.index
    table = summary_table(matrix, ccr.score, labels)
    table["status"] = status
    weights = None
    if variant != "game":
        weights = pd.DataFrame(weights_lp / problem.scale, index=labels, columns=list(dea.variables))
    spec = spec_of(problem, id=tuple(id_columns))
    return CrossEfficiencyResult(
        matrix=pd.DataFrame(matrix, index=labels, columns=labels), table=table, weights=weights, variant=variant,
        iterations=iterations, converged=converged, tolerance=tolerance if variant == "game" else None,
        history=None if history is None else pd.DataFrame(np.array(history), columns=labels).rename_axis("iteration"),
        spec=spec, ids=ids)


def problem_zeros(problem: Problem, labels: pd.Index) -> None:
    """Refuse non-positive inputs: every pair's ratio divides by the rating weights times the rated DMU's inputs."""
    X = problem.data.matrix[:, problem.layout.inputs]
    bad = np.flatnonzero((X <= 0).any(axis=1))
    if bad.size:
        cols = [c for c, z in zip(problem.data.inputs, (X <= 0).any(axis=0)) if z]
        raise ValueError(f"cross-efficiency needs positive inputs: {cols} are zero in rows {list(labels[bad[:10]])}")


def summary_table(matrix: np.ndarray, ccr: np.ndarray, labels: pd.Index) -> pd.DataFrame:
    """Per rated DMU (column of ``matrix``): its CCR score, mean cross-efficiency (self-appraisal included), peer
    appraisal (excluded), rank by the mean (1 = best, ties share the best rank) and maverick index."""
    n = matrix.shape[0]
    mean = matrix.mean(axis=0)
    peer = (matrix.sum(axis=0) - np.diag(matrix)) / (n - 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        maverick = (ccr - peer) / peer
    table = pd.DataFrame({"ccr": ccr, "cross_efficiency": mean, "peer_appraisal": peer}, index=labels)
    table["rank"] = table["cross_efficiency"].rank(ascending=False, method="min")
    table["maverick"] = maverick
    return table
