"""The contract between a model family and the LP engine.

Every DEA model in ``frontier`` is a sequence of *stages* (for example a radial score, then the
max-slack second stage). Each stage is one LP per evaluated DMU with a fixed shape:

* rows ``0 .. d-1`` are the *data rows*, one per variable (inputs, outputs, bad outputs, in that order);
* row ``d`` is the convexity row when the returns to scale need one (VRS, NIRS, NDRS);
* further rows are the stage's own (``n_extra_rows``), e.g. the SBM normalisation row;
* columns ``0 .. n_extra_cols-1`` are the stage's own variables (theta, beta, t, slacks);
* after them come the *reference columns*, one per reference DMU and :class:`ReferenceBlock`.

That is the default layout. A block may declare its own (a network or dynamic model: a block per division or
period, linked by signed continuity rows, each with its own convexity row): a signed row map from the data columns
to any of the stage's rows and its own convexity row (:class:`ReferenceBlock`); the engine reads the declaration
wherever it builds, prices or certifies a column.

A reference column's coefficients depend only on that reference DMU's data, never on the evaluated DMU, so
one HiGHS model serves every DMU: the stage describes each DMU by a :class:`Patch` (row bounds and its own
columns' coefficients, costs and bounds), and the engine may solve over a subset of the reference columns
and price the rest with the duals (see :mod:`frontier.engine`).

All data handed to a stage is already divided by per-variable scale factors; stages work in those units
and the engine's caller multiplies slacks and targets back.

Verification: the engine certifies every optimal solution before it is reported (see
:func:`frontier.engine.certify.accepted`): each row's residual and each reduced cost relative to the magnitude of its
terms, with the variables clipped to their bounds, and the objective inside :meth:`Stage.objective_range`, a fact
of the model. A stage only states that range (and ``relative_objective`` where its score is the objective, judged
relative to its size); the check itself is generic.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from ..options import DISPOSABILITIES, RTS

INF = np.inf


@dataclass(frozen=True)
class ReferenceBlock:
    """One block of reference columns (one column per reference DMU).

    Column j has coefficient ``data[j, v]`` in data row ``v`` for each variable v in ``variables`` (a boolean
    mask over the d variables), 1 in the convexity row when ``convexity``, and cost ``data[j] @ cost``.

    ``sense`` tells the engine which direction is "better" for each variable in this block, for the
    dominance filter of pricing: -1 where smaller is better and the row has free disposal (inputs, strongly
    disposable bad outputs), +1 where larger is better (desirable outputs), 0 where the row is an equality
    without disposal (weakly disposable bad outputs) so no dominance argument applies.

    **The row layout.** By default a block fills the data rows ``0..d-1`` by its variable mask and, with
    ``convexity``, the stage's one convexity row ``d``. A block may instead declare where its columns' coefficients
    go (a network or dynamic model: a block of intensities per period or division, linked by continuity rows):

    * ``row_map``: a signed map M (rows of the stage x data columns; or a list of ``(data column, row, sign)``
      entries), so column j has ``M @ data[j]`` in the stage's rows (one data column may feed several rows, with
      either sign, e.g. a carry-over ``+z`` in one period's continuity row and ``-z`` in the next one's);
      ``variables`` then masks the data columns the block reads (for the starting columns only);
    * ``convexity_row``: the row of its convexity coefficient 1 (its own row; one per block, or none without
      ``convexity``), instead of the stage's row ``d``.

    Then the column's coefficients are ``M data_j + e_conv``, its reduced cost under row duals ``y`` is
    ``c_j - data_j' (M' y) - y_conv``, and the certificate judges it on ``|M|' |y|``. A block with a row map is
    priced over every reference column (dominance and the frame, :mod:`frontier.engine.reduction`, rest on each
    data column feeding one row of one sign, which a map need not keep), unless its model gives every column in
    ``variables`` a nonzero ``sense``: then pricing screens it by dominance (never by the frame), which the model
    must have proven for its map, in every stage (relational network DEA: each column in one ``>=`` row, no cost;
    :func:`frontier.models.network.dominance_sense`).
    """

    variables: np.ndarray
    sense: np.ndarray
    convexity: bool
    cost: np.ndarray | None = None
    row_map: np.ndarray | list | None = None
    convexity_row: int | None = None

    def __post_init__(self):
        if self.row_map is not None and not isinstance(self.row_map, np.ndarray):
            width = len(self.variables)
            entries = list(self.row_map)
            M = np.zeros((max((int(r) for _, r, _ in entries), default=-1) + 1, width))
            for column, row, sign in entries:
                M[int(row), int(column)] += float(sign)
            object.__setattr__(self, "row_map", M)
        if self.row_map is not None:
            if self.row_map.ndim != 2 or self.row_map.shape[1] != len(self.variables):
                raise ValueError(f"a block's row_map must be rows x {len(self.variables)} data columns (one per "
                                 f"entry of variables), got shape {self.row_map.shape}")
        if self.convexity_row is not None and not self.convexity:
            raise ValueError("a block without convexity has no convexity_row")
        if (self.convexity_row is not None and self.row_map is not None and self.convexity_row < len(self.row_map)
                and self.row_map[self.convexity_row].any()):
            raise ValueError(f"a block's convexity_row {self.convexity_row} is a row its row_map fills")

    @property
    def declared(self) -> bool:
        """Whether the block declares its own row map (else the default layout: data rows by the variable mask)."""
        return self.row_map is not None

    def costs(self, data: np.ndarray) -> np.ndarray:
        if self.cost is None:
            return np.zeros(data.shape[0])
        return data @ self.cost

    def data_rows(self, data: np.ndarray, n_rows: int, d: int) -> np.ndarray:
        """The coefficients of columns ``data`` (k x data columns) in the stage's rows, convexity left out
        (k x ``n_rows``): ``data * variables`` in rows ``0..d-1`` by default, ``data @ M'`` with a row map."""
        out = np.zeros((data.shape[0], n_rows))
        if self.row_map is None:
            out[:, :d] = data * self.variables
        else:
            out[:, : self.row_map.shape[0]] = data @ self.row_map.T
        return out

    def data_magnitudes(self, data: np.ndarray, n_rows: int, d: int) -> np.ndarray:
        """``|M| |data|`` in the stage's rows (the magnitude of each row's terms, :meth:`data_rows` without
        cancellation between data columns); by default ``|data * variables|``."""
        if self.row_map is None:
            return np.abs(self.data_rows(data, n_rows, d))
        out = np.zeros((data.shape[0], n_rows))
        out[:, : self.row_map.shape[0]] = np.abs(data) @ np.abs(self.row_map).T
        return out

    def dual_weights(self, y: np.ndarray, d: int) -> np.ndarray:
        """Row duals ``y`` (..., rows) carried to the data columns, ``M' y`` (..., data columns): a column's
        ``a_j' y`` is ``data_j @ dual_weights(y) + y_conv``. By default ``y`` in the data rows by the mask."""
        if self.row_map is None:
            return np.where(self.variables, y[..., :d], 0.0)
        return y[..., : self.row_map.shape[0]] @ self.row_map

    def dual_magnitudes(self, abs_y: np.ndarray, d: int) -> np.ndarray:
        """``|M|' |y|`` from ``abs_y = |y|``: what the certificate judges a reduced cost on (per data column)."""
        if self.row_map is None:
            return np.where(self.variables, abs_y[..., :d], 0.0)
        return abs_y[..., : self.row_map.shape[0]] @ np.abs(self.row_map)


@dataclass
class Patch:
    """What distinguishes one evaluated DMU's LP from another's, for k DMUs at once."""

    row_lower: np.ndarray      # (k, n_rows)
    row_upper: np.ndarray      # (k, n_rows)
    extra_matrix: np.ndarray   # (k, n_rows, n_extra_cols)
    extra_cost: np.ndarray     # (k, n_extra_cols)
    extra_lower: np.ndarray    # (k, n_extra_cols)
    extra_upper: np.ndarray    # (k, n_extra_cols)


@dataclass
class StageSolution:
    """The engine's answer for k DMUs of one stage."""

    status: np.ndarray          # (k,) object array of status strings
    objective: np.ndarray       # (k,)
    extras: np.ndarray          # (k, n_extra_cols) values of the stage's own columns
    sums: np.ndarray            # (k, d) reference combination per data row: sum over blocks of coef * lambda
    lam_ptr: np.ndarray         # CSR row pointer of the reference intensities (summed over blocks)
    lam_idx: np.ndarray         # reference positions
    lam_val: np.ndarray
    duals: np.ndarray | None = None   # (k, n_rows) row duals of the LP, only for a stage with ``keep_duals``
    # (k,) the relative primal error each optimal solution is certified to (frontier.engine.certify.certified_accuracy),
    # NaN elsewhere: what a later max-slack stage's answer is held to (frontier.engine.certify.primal_tolerance)
    accuracy: np.ndarray | None = None


@dataclass
class StageOutput:
    """What a stage's :meth:`Stage.decode` hands back for its k DMUs, in LP units (each array has k rows; a field a
    stage does not produce stays None). The engine merges the outputs of a model's stages field by field (a later
    stage's value replaces an earlier one's for the DMUs it solved), and the caller reads the merged fields
    (:class:`~frontier.problem.Problem`).

    ``parts``: the family's other per-DMU arrays by name (``ModelFamily.parts``, e.g. EBM's theta and phi, or the
    economic stages' objective and reference sums). ``intensity_scale``: set by a stage whose intensities are the
    model's (the score stage, or the max-slack stage after it), the factor they are reported at (1 / t in
    Charnes-Cooper form). ``detail_failed``: set by a detail stage (the max-slack slacks), which of its DMUs' LPs
    failed: their score stands, their slacks and targets do not (the user-facing status then reads
    ``"slacks_<status>"``, :class:`~frontier.problem.Problem`)."""

    status: np.ndarray
    score: np.ndarray | None = None
    slacks: np.ndarray | None = None
    targets: np.ndarray | None = None
    betas: np.ndarray | None = None
    multipliers: np.ndarray | None = None
    omega: np.ndarray | None = None
    parts: dict[str, np.ndarray] = field(default_factory=dict)
    intensity_scale: np.ndarray | None = None
    detail_failed: np.ndarray | None = None

    #: the per-DMU fields merged across stages under their own names (``parts`` under theirs)
    MERGED = ("status", "score", "slacks", "targets", "betas", "multipliers", "omega", "detail_failed")

    def values(self) -> dict:
        """The per-DMU arrays this stage produced, by name: what later stages see of it (``prev``)."""
        out = {name: getattr(self, name) for name in self.MERGED if getattr(self, name) is not None}
        return {**out, **self.parts}

    @classmethod
    def merged(cls, values: dict) -> "StageOutput":
        """The merged outputs of a model's stages (``values``: arrays by name, as :meth:`values` gives them)."""
        return cls(**{name: values.get(name) for name in cls.MERGED},
                   parts={name: val for name, val in values.items() if name not in cls.MERGED})


@dataclass
class Stage:
    """One LP stage of a model. Subclasses implement :meth:`patch` and :meth:`decode`."""

    d: int
    blocks: list[ReferenceBlock]
    convexity: bool
    n_extra_rows: int
    n_extra_cols: int
    exclude_self: bool = False
    name: str = "score"
    detail: bool = False        # a detail stage (slacks) is skipped when only scores are asked for
    keep_duals: bool = False    # the engine reports each LP's row duals (the multipliers; shadow prices)
    # the score is the LP objective, judged relative to its size (radial: theta or phi; SBM: t - sum w S / x0, up to
    # cancellation): an objective the errors of its terms or its rows' residuals could move by more than
    # VERIFY_TOL of itself is only reported when certified exactly (frontier.engine.certify.certified)
    relative_objective: bool = False
    # HiGHS solves each DMU's LP from its slack basis, not from the previous DMU's optimal basis: for LPs whose own
    # columns differ so much between DMUs that the warm start costs more iterations than it saves (dynamic SBM)
    cold_start: bool = False

    @property
    def n_rows(self) -> int:
        return self.d + int(self.convexity) + self.n_extra_rows

    def convexity_row_of(self, block: ReferenceBlock) -> int:
        """The row of ``block``'s convexity coefficient: its own ``convexity_row``, else the stage's row ``d``
        (when the stage has it), -1 for a block without convexity."""
        if not block.convexity:
            return -1
        if block.convexity_row is not None:
            return block.convexity_row
        if not self.convexity:
            raise ValueError(f"stage {self.name!r} has no convexity row for a block with convexity: give the block "
                             "its convexity_row")
        return self.d

    @property
    def declared_layout(self) -> bool:
        """Whether a block declares its own row map or convexity row (else every block has the default layout)."""
        return any(b.declared or b.convexity_row is not None for b in self.blocks)

    def objective_range(self, in_reference: bool) -> tuple[float, float]:
        """The range the LP objective must lie in, as a fact of the model (used to verify solutions).

        ``in_reference`` is True when the evaluated DMU is one of the reference columns of this LP (it is in
        the reference set and the stage does not exclude it). The default checks nothing.
        """
        return -INF, INF

    def always_feasible(self, in_reference: bool) -> bool:
        """Whether the model guarantees this stage's LP a feasible point (a fact of the model, as
        :meth:`objective_range`): then the engine never reports it ``"infeasible"``, whatever a certificate says
        of the LP as rounded, but ``"numerical_error"`` at worst. ``in_reference`` as for :meth:`objective_range`.
        By default no guarantee."""
        return False

    def implied_upper(self, extra_matrix: np.ndarray, extra_upper: np.ndarray) -> np.ndarray:
        """Upper bounds of the stage's own columns that every feasible point of its LP satisfies (k x n_extra_cols,
        inf where none), given the k LPs' own-column coefficients and bounds: a fact of the model, as
        :meth:`objective_range`. The certificate of a ``relative_objective`` stage uses them to bound how far the
        optimum can lie from an objective whose reduced costs are only known to a relative tolerance. By default
        the columns' own bounds."""
        return extra_upper

    def select(self, prev: dict) -> np.ndarray:
        """Boolean mask of the DMUs (rows of ``prev``) that need this stage."""
        return np.ones(len(prev["status"]), dtype=bool)

    def settled(self, prev: dict, data0: np.ndarray, duals: np.ndarray | None) -> np.ndarray:
        """Boolean mask of the selected DMUs (rows of ``prev``) whose solution of the previous stage is provably
        optimal in this stage too: the engine reuses it instead of solving this stage's LP, with this stage's
        :meth:`objective_at` it. ``duals``: the previous stage's row duals for these DMUs (None unless that stage
        keeps them). By default none."""
        return np.zeros(len(prev["status"]), dtype=bool)

    def objective_at(self, sol: StageSolution) -> np.ndarray:  # pragma: no cover - only for stages that settle
        """This stage's objective at a reused solution (see :meth:`settled`)."""
        raise NotImplementedError

    def patch(self, data0: np.ndarray, prev: dict) -> Patch:  # pragma: no cover - abstract
        raise NotImplementedError

    def decode(self, sol: StageSolution, data0: np.ndarray, prev: dict) -> StageOutput:  # pragma: no cover
        raise NotImplementedError

    def empty_patch(self, k: int) -> Patch:
        r, e = self.n_rows, self.n_extra_cols
        return Patch(
            row_lower=np.full((k, r), -INF),
            row_upper=np.full((k, r), INF),
            extra_matrix=np.zeros((k, r, e)),
            extra_cost=np.zeros((k, e)),
            extra_lower=np.zeros((k, e)),
            extra_upper=np.full((k, e), INF),
        )


@dataclass
class ModelSpec:
    """A whole model: its stages, the variable layout, and labels for the result."""

    stages: list[Stage]
    d: int
    description: str

    def score_only(self) -> "ModelSpec":
        """The same model without its detail stages (the max-slack second stage): what indices need."""
        return ModelSpec([s for s in self.stages if not s.detail], self.d, self.description)


# ----------------------------------------------------------------------------------------------------
# helpers shared by the model families
# ----------------------------------------------------------------------------------------------------

DISPOSABILITY = DISPOSABILITIES


@dataclass(frozen=True)
class Layout:
    """Positions of the variables in the data rows: inputs, then desirable, then undesirable outputs."""

    m: int
    s1: int
    s2: int

    @property
    def d(self) -> int:
        return self.m + self.s1 + self.s2

    @property
    def inputs(self) -> slice:
        return slice(0, self.m)

    @property
    def goods(self) -> slice:
        return slice(self.m, self.m + self.s1)

    @property
    def bads(self) -> slice:
        return slice(self.m + self.s1, self.d)

    def mask(self, inputs=False, goods=False, bads=False) -> np.ndarray:
        out = np.zeros(self.d, dtype=bool)
        out[self.inputs] = inputs
        out[self.goods] = goods
        out[self.bads] = bads
        return out


def convexity_bounds(rts: str, t_scaled: bool = False) -> tuple[float, float]:
    """Bounds of the convexity row: sum(lambda) (or sum(Lambda) - t in Charnes-Cooper form)."""
    one = 0.0 if t_scaled else 1.0
    return {"vrs": (one, one), "nirs": (-INF, one), "ndrs": (one, INF)}[rts]


def charnes_cooper_upper(extra_matrix: np.ndarray, extra_upper: np.ndarray, norm_row: int) -> np.ndarray:
    """:meth:`Stage.implied_upper` of a Charnes-Cooper SBM stage whose own columns are the score column t (u in
    dynamic SBM) and then one slack S' per variable (network and dynamic SBM): the normalisation row
    ``t + sum w S' = 1`` has non-negative terms, so t <= 1 and each output-side S' <= 1 / its coefficient there;
    an input-side S' (no coefficient there) <= t <= 1, as its target row keeps it."""
    norm = extra_matrix[:, norm_row, 1:]
    with np.errstate(divide="ignore"):
        slack = np.where(norm > 0, 1.0 / norm, 1.0)
    return np.minimum(np.hstack([np.ones((extra_matrix.shape[0], 1)), slack]), extra_upper)


def dominance_sense(layout: Layout, bads_disposable: bool) -> np.ndarray:
    """-1 smaller is better (inputs, disposable bads), +1 larger is better (outputs), 0 equality rows."""
    sense = np.zeros(layout.d)
    sense[layout.inputs] = -1
    sense[layout.goods] = 1
    sense[layout.bads] = -1 if bads_disposable else 0
    return sense


def envelopment_blocks(layout: Layout, rts: str, bads_weak: bool, slack_cost: np.ndarray | None = None,
                       kuosmanen: bool = True) -> list[ReferenceBlock]:
    """Reference blocks of an envelopment LP (radial, DDF, NDDF).

    With weakly disposable bad outputs and a convexity constraint, Kuosmanen's (2005) technology is used:
    lambda = z + u, where z spans inputs, outputs and bad outputs and u only inputs (abatement by scaling
    activity down), both in the convexity row. ``slack_cost`` (per variable) gives each column the cost
    ``data_j @ slack_cost`` (the max-slack second stage).
    """
    sense = dominance_sense(layout, not bads_weak)
    convex = rts != "crs"
    every = layout.mask(True, True, True)
    blocks = [ReferenceBlock(every, sense, convex, slack_cost)]
    if bads_weak and convex and kuosmanen and layout.s2 > 0:
        inputs_only = layout.mask(inputs=True)
        cost_u = None if slack_cost is None else np.where(inputs_only, slack_cost, 0.0)
        blocks.append(ReferenceBlock(inputs_only, np.where(inputs_only, -1.0, 0.0), True, cost_u))
    return blocks


def max_slack_cost(layout: Layout, disposability: str, scale: np.ndarray, fixed: np.ndarray | None = None) -> np.ndarray:
    """Per-variable column cost of the max-slack second stage (radial, DDF): minimising
    ``sum_j lambda_j data_j @ cost`` maximises the input excess, output shortfall and (unless bad outputs are
    weakly disposable, where their rows are equalities) bad-output excess, each variable divided by ``scale``.
    The slacks of non-discretionary variables (``fixed``, a mask) are left out (Banker & Morey 1986)."""
    cost = np.zeros(layout.d)
    cost[layout.inputs] = scale[layout.inputs]
    cost[layout.goods] = -scale[layout.goods]
    if disposability != "weak":
        cost[layout.bads] = scale[layout.bads]
    if fixed is not None:
        cost[fixed] = 0.0
    return cost


def bad_row_bounds(disposability: str, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row bounds of the bad-output rows: equality (weak) or at most (strong, APZ)."""
    if disposability == "weak":
        return rhs, rhs
    return np.full_like(rhs, -INF), rhs


def multipliers_from_duals(layout: Layout, duals: np.ndarray | None, convexity: bool):
    """The multiplier form's weights from the score LP's row duals, in LP units: ``(weights (k x d), omega (k,))``.

    Every score LP here has the data rows ``X'lambda (+ own columns) ~ rhs`` (one per variable), a convexity row
    under VRS / NIRS / NDRS and reference columns of cost 0, so one rule serves every model. With ``y`` the duals
    (HiGHS: the derivative of the minimised objective with respect to each row's bound), the weights are
    ``v = -y_x >= 0`` (inputs), ``u = y_y >= 0`` (desirable outputs), ``mu = -y_b`` (bad outputs; >= 0 when their
    rows are inequalities, free in sign under weak disposability) and ``omega = -y_convexity`` (0 under CRS), so
    that every reference column's reduced cost says ``v'x_j - u'y_j + mu'b_j + omega >= 0``: the supporting
    hyperplane of the multiplier form. None without duals. The caller divides the weights by the variables'
    scales to get them in the user's units (a data row is the variable divided by its scale); omega has no unit.
    """
    if duals is None:
        return None, None
    sign = np.where(layout.mask(goods=True), 1.0, -1.0)
    weights = duals[:, : layout.d] * sign
    omega = -duals[:, layout.d] if convexity else np.zeros(duals.shape[0])
    return weights + 0.0, omega + 0.0


def nonnegative_slacks(layout: Layout, slacks: np.ndarray, targets: np.ndarray):
    """Slacks of inequality rows clipped at 0 (a negative one is the LP's tolerance, verified to be relatively
    tiny), with the targets moved alike so that ``target = observed - slack`` (outputs ``+ slack``) still holds."""
    clipped = np.maximum(slacks, 0.0)
    sign = np.where(layout.mask(goods=True), 1.0, -1.0)
    return clipped, targets + sign * (clipped - slacks)


SETTLED_SHARE = 1e-3    # a data row's dual x the DMU's value (a share of the score) above which its slack is 0


class MaxSlackStage(Stage):
    """The generic max-slack second stage of an envelopment model (radial, DDF).

    The score stage's LP with its score column fixed at the stage-1 optimum, and reference column costs that
    maximise the input excess, output shortfall and (unless bad outputs are weakly disposable) bad-output excess,
    in the data's own units (Ali & Seiford 1993; as DEAMATLAB and DataEnvelopmentAnalysis.jl). The score stage
    supplies ``moved(data0, score)``: the point after its radial or directional move, from which the slacks are
    measured, and its LP's row duals (``keep_duals``); targets are the reference combination.

    Most DMUs need no second LP (:meth:`settled`): by complementary slackness a row whose dual is nonzero at an
    optimum of the score LP binds at every optimum of it, and this stage's feasible set is exactly that LP's optimal
    face (the score fixed). When every row whose slack is maximised has a clearly nonzero dual (``|dual| x |value
    of the DMU|`` at least ``SETTLED_SHARE``: with a duality gap and dual infeasibility of ``eps``, no optimum
    has a slack above ``eps / SETTLED_SHARE`` of the DMU's value), every slack is 0 on the whole face and the score
    stage's own solution is optimal here. On the benchmark data 97-99 % of the DMUs are settled so.
    """

    def __init__(self, score_stage: Stage, slack_cost: np.ndarray, bads_weak: bool):
        super().__init__(d=score_stage.d, blocks=[], convexity=score_stage.convexity,
                         n_extra_rows=score_stage.n_extra_rows, n_extra_cols=score_stage.n_extra_cols,
                         exclude_self=score_stage.exclude_self, name="slacks", detail=True)
        self.score_stage = score_stage
        layout = score_stage.layout
        self.layout = layout
        rts = "vrs" if score_stage.convexity else "crs"
        self.blocks = envelopment_blocks(layout, rts, bads_weak, slack_cost=slack_cost)
        self.slack_cost, self.slack_rows = slack_cost, np.flatnonzero(slack_cost)

    def always_feasible(self, in_reference):
        # the score stage's optimum is a feasible point: only the rounding of the fixed score can cut it off
        return True

    def select(self, prev):
        return prev["status"] == "optimal"

    def settled(self, prev, data0, duals):
        if self.n_extra_cols > 1:
            # own columns besides the score (an assurance region's) take part in the rows: a binding row may still
            # leave the reference combination short of the moved point, so no DMU is settled by its duals
            return np.zeros(len(prev["status"]), dtype=bool)
        rows = self.slack_rows
        with np.errstate(invalid="ignore"):
            share = np.abs(duals[:, rows]) * np.abs(data0[:, rows])
            return (share >= SETTLED_SHARE).all(axis=1)

    def objective_at(self, sol):
        return sol.sums @ self.slack_cost       # every column costs data_j @ slack_cost, summed over blocks

    def patch(self, data0, prev):
        p = self.score_stage.patch(data0, prev)
        p.extra_cost[:] = 0.0
        p.extra_lower[:, 0] = prev["score"]
        p.extra_upper[:, 0] = prev["score"]
        return p

    def decode(self, sol, data0, prev):
        L = self.layout
        slacks = self.score_stage.moved(data0, prev["score"]) - sol.sums
        slacks[:, L.goods] = -slacks[:, L.goods]
        slacks, targets = nonnegative_slacks(L, slacks, sol.sums)   # every row is an inequality (or equality)
        return StageOutput(sol.status, slacks=slacks, targets=targets, intensity_scale=np.ones(len(sol.status)),
                           detail_failed=sol.status != "optimal")
