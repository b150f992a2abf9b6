r"""``returns_to_scale()``: the returns to scale of every DMU, the column of a DEAP table, with scale efficiency,
scale elasticity and the most productive scale size, for the radial (CCR / BCC) models.

Every number comes from radial envelopment LPs in the chosen orientation (the engine's, through
:class:`~frontier.problem.Problem`): the scores under CRS, VRS and NIRS, and, for the Banker-Thrall rule, two
auxiliary LPs per DMU on the optimal face of the CRS LP (:class:`LambdaSum`, solved by
:meth:`Problem.solve_auxiliary <frontier.problem.Problem.solve_auxiliary>`)::

    min / max  sum_j lambda_j   s.t.  X'lambda <= theta* x0,  Y'lambda >= y0,  lambda >= 0      (input)
                                      X'lambda <= x0,  Y'lambda >= phi* y0                      (output)

with the CRS score theta* (phi*) fixed. The two rules (``rule=``):

* ``"deap"`` (Färe, Grosskopf & Lovell 1985, 1994; as DEAP 2.1 prints it): ``crs`` when the CRS and VRS scores are
  equal, else ``drs`` when the NIRS score equals the VRS one, else ``irs`` (then NIRS equals CRS);
* ``"banker_thrall"`` (Banker & Thrall 1992; Banker, Chang & Cooper 1996): ``irs`` when the largest sum of lambdas
  over the CRS optima is below 1, ``drs`` when the smallest is above 1, ``crs`` otherwise.

Both classify the returns to scale at the DMU's projection on the VRS frontier in the chosen orientation, and they
agree on every DMU (a theorem, Seiford & Zhu 1999): a CRS optimum with sum 1 is a VRS point, so CRS = VRS exactly
when min <= 1 <= max; the NIRS optimum lies on the CRS optimal face exactly when some optimum has sum <= 1. What
disagrees is Banker's (1984) rule on the one lambda a solver happens to return, when the CRS LP has several optima:
hence the min and the max. Equal means equal within ``tolerance`` (relative), for scores and sums alike.

Scale efficiency is CRS / VRS (input) or VRS / CRS (output, where scores are >= 1), in (0, 1]. The scale elasticity
is that of the VRS frontier at the DMU's projection, from the VRS multiplier form's free variable omega
(``v'x_j - u'y_j + omega >= 0``): theta / (theta + omega) (input), 1 - omega / phi (output); above 1 increasing,
below 1 decreasing returns (infinite where the supporting hyperplane gives the outputs no weight). Where the projection is a vertex of the frontier several supporting hyperplanes are
optimal and the elasticity is an interval (Førsund & Hjalmarsson 2004): the value reported is the one of the
hyperplane the solver returned, inside that interval; the ``rts`` column, from the rules above, is the
classification to cite. The most productive scale size (Banker 1984) is the CRS projection divided by the sum of
its lambdas, ``(X'lambda, Y'lambda) / sum lambda``: a convex combination of CRS-efficient DMUs on the VRS frontier
where returns are constant (one of them when the CRS LP has several optima: the max-slack solution's).

Other models: the SBM, directional and EBM families have no radial scale factor along which returns to scale are
measured in this sense (their projections move each variable by its own slack or along a direction), and their
scale efficiency needs a model-specific definition (e.g. Tone & Sahoo 2004), so they are not offered here.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from ..data import as_column_list, check_engine_options, option_value, validate_frame
from ..models.base import INF, ModelSpec, ReferenceBlock, Stage, StageOutput, dominance_sense
from ..options import RADIAL_ORIENTATIONS, RTS_RULES
from ..panel import row_ids
from ..problem import SNAP_TOL as SNAP, Problem
from ..results.returns_to_scale import ReturnsToScaleResult
from ._pipeline import Analysis, bind_model, progress_bar, public, spec_of

RETURNS_TO_SCALE = Analysis("returns_to_scale", roles=("inputs", "outputs", "id"), result=ReturnsToScaleResult,
                            serves=None)


class LambdaSum(Stage):
    """The smallest (``sense="min"``) or largest (``"max"``) sum of lambdas over the optimal face of the CRS radial
    LP: the score column fixed at its optimum (from the stage before, ``prev["score"]``) and a second own column
    ``s = sum lambda`` (the convexity row, ``sum lambda - s = 0``) minimised or maximised. Decoded as the part
    ``lambda_sum_min`` or ``lambda_sum_max`` (NaN where the LP failed)."""

    def __init__(self, layout, orientation: str, sense: str):
        block = ReferenceBlock(layout.mask(True, True, True), dominance_sense(layout, True), True)
        super().__init__(d=layout.d, blocks=[block], convexity=True, n_extra_rows=0, n_extra_cols=2,
                         name=f"lambda_sum_{sense}")
        self.layout, self.orientation, self.sense = layout, orientation, sense

    def select(self, prev):
        return prev["status"] == "optimal"

    def always_feasible(self, in_reference):
        return True          # the score LP's optimum is a point of this LP's feasible set

    def objective_range(self, in_reference):
        return (0.0, INF) if self.sense == "min" else (-INF, 0.0)

    def patch(self, data0, prev):
        L, k = self.layout, data0.shape[0]
        p = self.empty_patch(k)
        x0, y0 = data0[:, L.inputs], data0[:, L.goods]
        if self.orientation == "input":
            p.row_upper[:, L.inputs] = 0.0
            p.extra_matrix[:, L.inputs, 0] = -x0
            p.row_lower[:, L.goods] = y0
        else:
            p.row_upper[:, L.inputs] = x0
            p.row_lower[:, L.goods] = 0.0
            p.extra_matrix[:, L.goods, 0] = -y0
        p.row_lower[:, L.d] = p.row_upper[:, L.d] = 0.0
        p.extra_matrix[:, L.d, 1] = -1.0
        p.extra_lower[:, 0] = p.extra_upper[:, 0] = prev["score"]
        p.extra_cost[:, 1] = 1.0 if self.sense == "min" else -1.0
        return p

    def decode(self, sol, data0, prev):
        value = np.where(sol.status == "optimal", sol.extras[:, 1], np.nan)
        return StageOutput(sol.status, parts={self.name: value})


def lambda_sums(problem: Problem) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The smallest and largest sum of lambdas over the CRS optima of every DMU (``problem`` bound to the radial CRS
    model), and the status of those LPs, through the engine (:meth:`Problem.solve_auxiliary`)."""
    layout, orientation = problem.layout, problem.options.orientation
    score = problem.spec(detail=False).stages[0]
    spec = ModelSpec([score, LambdaSum(layout, orientation, "min"), LambdaSum(layout, orientation, "max")],
                     layout.d, "the sum of lambdas over the CRS optima")
    out = problem.solve_auxiliary(spec, problem.rows)
    n = len(problem.rows)
    low = np.asarray(out.get("lambda_sum_min", np.full(n, np.nan)), dtype=float)
    high = np.asarray(out.get("lambda_sum_max", np.full(n, np.nan)), dtype=float)
    return low, high, np.asarray(out["status"]).astype(str)


def same(a: np.ndarray, b: np.ndarray, tolerance: float) -> np.ndarray:
    """Equal within ``tolerance`` relative to the larger magnitude (and at least absolute ``tolerance``)."""
    return np.abs(a - b) <= tolerance * np.maximum(1.0, np.maximum(np.abs(a), np.abs(b)))


def deap_rule(crs: np.ndarray, vrs: np.ndarray, nirs: np.ndarray, tolerance: float) -> np.ndarray:
    """Färe, Grosskopf & Lovell's rule on the three scores (any orientation): crs, drs or irs; None where a
    score is missing."""
    out = np.where(same(crs, vrs, tolerance), "crs", np.where(same(nirs, vrs, tolerance), "drs", "irs"))
    out = out.astype(object)
    out[~(np.isfinite(crs) & np.isfinite(vrs) & np.isfinite(nirs))] = None
    return out


def banker_thrall_rule(low: np.ndarray, high: np.ndarray, tolerance: float) -> np.ndarray:
    """Banker & Thrall's rule on the smallest and largest sum of lambdas over the CRS optima; None where missing."""
    out = np.where(high < 1.0 - tolerance, "irs", np.where(low > 1.0 + tolerance, "drs", "crs")).astype(object)
    out[~(np.isfinite(low) & np.isfinite(high))] = None
    return out


def scale_elasticity(score: np.ndarray, weights: np.ndarray | None, observed: np.ndarray, layout,
                     orientation: str) -> np.ndarray:
    """The VRS frontier's scale elasticity at the DMU's projection, from the multiplier form's supporting
    hyperplane ``u'y - v'x - omega = 0`` through it, scaled along the ray: theta / u'y0 = theta / (theta + omega)
    (input, where v'x0 = 1), v'x0 / phi = 1 - omega / phi (output, where u'y0 = 1). Infinite where the hyperplane
    gives the outputs no weight at the DMU (u'y0 = 0 up to rounding: the projection lies where more input yields no
    more output); NaN without weights."""
    if weights is None:
        return np.full(len(score), np.nan)
    uy = (weights[:, layout.goods] * observed[:, layout.goods]).sum(axis=1)
    vx = (weights[:, layout.inputs] * observed[:, layout.inputs]).sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        if orientation == "input":
            return np.where(uy > SNAP * score, score / uy, np.where(np.isfinite(uy), np.inf, np.nan))
        return vx / score


@public(RETURNS_TO_SCALE)
def returns_to_scale(
    data: pd.DataFrame,
    inputs,
    outputs,
    *,
    id=None,
    orientation: str = "input",
    rule: str = "deap",
    tolerance: float = 1e-6,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> ReturnsToScaleResult:
    """The returns to scale of every DMU (row): ``irs``, ``crs`` or ``drs`` (the column of a DEAP table), with the
    CRS, VRS and NIRS radial scores, scale efficiency, the scale elasticity and the most productive scale size.

    Parameters
    ----------
    data : DataFrame, one row per DMU (a cross-section: for a panel, call it on each period's rows).
    inputs, outputs : column names.
    id : column(s) identifying each DMU, leading the table and the exports.
    orientation : ``"input"`` (default; scores theta <= 1) or ``"output"`` (phi >= 1). The returns to scale are
        those at the DMU's projection in this orientation, so they may differ between orientations.
    rule : ``"deap"`` (default): Färe, Grosskopf & Lovell's comparison of the CRS, VRS and NIRS scores, as DEAP;
        ``"banker_thrall"``: the smallest and largest sum of lambdas over the CRS optima (two more LPs per DMU,
        reported as ``lambda_sum_min`` and ``lambda_sum_max``). They agree on every DMU (see the module's text and
        ``docs/returns-to-scale.md``).
    tolerance : relative tolerance under which two scores (or a sum of lambdas and 1) count as equal (default 1e-6).
    n_jobs, method, chunk_size, progress : the engine's options, as for :func:`frontier.efficiency`.

    Returns
    -------
    ReturnsToScaleResult: ``table`` with ``crs``, ``vrs``, ``nirs``, ``scale_efficiency``, ``rts``,
    ``scale_elasticity`` (and the lambda sums), ``mpss`` (the most productive scale size of each DMU).
    """
    orientation, rule, method = option_value(orientation), option_value(rule), option_value(method)
    if orientation not in RADIAL_ORIENTATIONS:
        raise ValueError(f"orientation must be one of {RADIAL_ORIENTATIONS} (radial models), got {orientation!r}")
    if rule not in RTS_RULES:
        raise ValueError(f"rule must be one of {RTS_RULES}, got {rule!r}")
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or not 0 <= tolerance < 0.1:
        raise ValueError(f"tolerance must be a number in [0, 0.1), got {tolerance!r}")
    check_engine_options(n_jobs, chunk_size)
    id_columns = as_column_list(id, "id")
    dea = validate_frame(data, inputs, outputs, other_columns=[c for c in id_columns if c in data.columns])
    ids = row_ids(data, id_columns, None)
    problems = {rts: bind_model(dea, data.index, model="radial", orientation=orientation, rts=rts,
                                bad_disposability=None, direction=None, super_efficiency=False, weights=None,
                                zeros="error", model_options={})
                for rts in ("crs", "vrs", "nirs")}
    n, rows = len(data), np.arange(len(data))
    with progress_bar(progress, 3 * n) as advance:
        runs = {rts: problems[rts].evaluate(rows, rows, detail=rts == "crs", n_jobs=n_jobs, method=method,
                                            chunk_size=chunk_size, progress=advance)
                for rts in ("crs", "vrs", "nirs")}
    crs, vrs, nirs = (runs[rts].score for rts in ("crs", "vrs", "nirs"))
    labels = data.index
    table = pd.DataFrame({"crs": crs, "vrs": vrs, "nirs": nirs}, index=labels)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["scale_efficiency"] = crs / vrs if orientation == "input" else vrs / crs
    table["rts"] = deap_rule(crs, vrs, nirs, tolerance)
    if rule == "banker_thrall":
        low, high, status = lambda_sums(problems["crs"])
        table["lambda_sum_min"], table["lambda_sum_max"] = low, high
        table["rts"] = banker_thrall_rule(low, high, tolerance)
        failed_sums = np.where(np.isfinite(low) & np.isfinite(high), "", "lambda sums: " + status)
    else:
        failed_sums = np.full(n, "")
    table["scale_elasticity"] = scale_elasticity(vrs, runs["vrs"].multipliers, dea.matrix, problems["vrs"].layout,
                                                 orientation)
    table["status"] = status_column(runs, failed_sums)

    # the most productive scale size: the CRS projection (its max-slack targets) over its sum of lambdas
    crs_run = runs["crs"]
    lam_sum = np.add.reduceat(crs_run.lam_val, crs_run.lam_ptr[:-1]) if crs_run.lam_val.size else np.zeros(n)
    lam_sum = np.where(np.diff(crs_run.lam_ptr) > 0, lam_sum, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        mpss = crs_run.targets / lam_sum[:, None]
    mpss = pd.DataFrame(mpss, index=labels, columns=list(dea.variables))
    spec = spec_of(problems["vrs"], id=tuple(id_columns))
    return ReturnsToScaleResult(table=table, mpss=mpss, lambda_sum=pd.Series(lam_sum, index=labels,
                                                                               name="lambda_sum"),
                                orientation=orientation, rule=rule, tolerance=tolerance, spec=spec, ids=ids)


def status_column(runs: dict, failed_sums: np.ndarray) -> np.ndarray:
    """``"optimal"``, or which LPs failed and how (e.g. ``"vrs: infeasible"``): a row with a failed LP has NaN in
    what depends on it."""
    parts = [np.where(runs[rts].score_ok, "", f"{rts}: " + runs[rts].status.astype(str))
             for rts in ("crs", "vrs", "nirs")] + [failed_sums]
    joined = ["; ".join(p for p in row if p) for row in zip(*parts)]
    return np.array([text or "optimal" for text in joined], dtype=object)
