r"""Dynamic SBM (Tone & Tsutsui 2010, Omega 38, 145-156): one LP per entity over all its periods, linked by carry-overs.

An entity o is observed in terms t = 1..T with inputs x_t, desirable outputs y_t, undesirable outputs b_t and
carry-overs z_t, the value at the end of term t of an activity carried into term t+1. Tone & Tsutsui classify the
carry-overs into four kinds: *good* (desirable: profit carried forward; treated as an output, its shortfall counts),
*bad* (undesirable: bad debt, dead stock; treated as an input, its excess counts), *free* (discretionary, its value
may move either way and does not count) and *fixed* (non-discretionary: held at its observed value). Every term has
its own intensities lambda^t over the n entities' term-t data, and each carry-over is continuous between
consecutive terms (the activity carried out of term t is the one carried into term t+1):

    sum_j z_jt lambda_j^t = sum_j z_jt lambda_j^(t+1)            every carry-over, t = 1..T-1

The term-t constraints, with slacks s >= 0 except the free one::

    x_ot = X_t lambda^t + s-_t,   y_ot = Y_t lambda^t - s+_t,   b_ot = B_t lambda^t + sb_t
    zgood_ot = Zgood_t lambda^t - sgood_t,  zbad_ot = Zbad_t lambda^t + sbad_t,
    zfree_ot = Zfree_t lambda^t + sfree_t (sfree free),  zfix_ot = Zfix_t lambda^t
    sum_j lambda_j^t = 1 (VRS; no row under CRS)

With a_t = 1 - (1 / (m + nbad)) (sum_i s-_it / x_iot + sum_i sbad_it / zbad_iot) (the input side: inputs and bad
carry-overs) and b_t = 1 + (1 / (s1 + s2 + ngood)) (sum_r s+_rt / y_rot + sum_k sb_kt / b_kot + sum_i sgood_it /
zgood_iot) (the output side: desirable outputs, undesirable outputs and good carry-overs), and period weights W_t >=
0 summing to 1 (Tone & Tsutsui's w^t / T), the overall efficiency of entity o is

    input-oriented:   theta* = min sum_t W_t a_t                  (term efficiency theta_t = a_t)
    output-oriented:  tau*   = 1 / max sum_t W_t b_t              (term efficiency tau_t = 1 / b_t)
    non-oriented:     rho*   = min (sum_t W_t a_t) / (sum_t W_t b_t)   (term efficiency rho_t = a_t / b_t)

so the input-oriented overall score is the W-weighted arithmetic mean of the term efficiencies, the output-oriented
one their W-weighted harmonic mean, and the non-oriented one a weighted mean with weights W_t b_t / sum_s W_s b_s,
which lies between the smallest and the largest term efficiency (Tone & Tsutsui 2010, section 3). Every score lies in
(0, 1], 1 = efficient in every term.

Undesirable outputs are treated as in the package's SBM (Tone 2004; Cooper, Seiford & Tone 2007, ch. 13): on the
output side of the ratio, with an excess slack (b_o = B lambda + sb), the same in every term. Undesirable outputs are
not in Tone & Tsutsui (2010); with none, the model is theirs. With one term and no carry-over it is the package's SBM.

The LP (Charnes-Cooper: u = 1 / sum_t W_t b_t, Lambda^t = u lambda^t, S = u s) is one stage whose rows are, per term,
one data row per variable (inputs, outputs, bad outputs, good, bad, free and fixed carry-overs: the free one's row has
no bounds, it only reports the target), then the continuity rows, then one convexity row per term (VRS) and the
normalisation row u + sum_t W_t / (s1 + s2 + ngood) sum_out S'_t = 1; the objective is u - sum_t W_t / (m + nbad)
sum_in S'_t. Each term is a :class:`~frontier.models.base.ReferenceBlock` over the entities' wide rows with its own row
map (its term's columns in its term's rows, each carry-over +z_t in the continuity row (t, t+1) and, for the next
term, -z_t in the same row) and its own convexity row: the widened contract (docs/architecture.md, "The model
contract"). An orientation drops the other side's terms (input: u = 1; output: no input-side cost), as the package's
SBM does. Slack columns are in units of the entity's own values (S_v = value_v S'_v), so the LP's coefficients are the
data.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..options import CARRY_OVER_KINDS, DYNAMIC_RTS
from .base import INF, ModelSpec, ReferenceBlock, Stage, StageOutput, charnes_cooper_upper
from .registry import ModelFamily, register

ORIENTATIONS = ("nonoriented", "input", "output")
#: the kinds of variable in a term, in the order of a term's data columns
KINDS = ("input", "output", "bad_output") + tuple(f"{k}_carry_over" for k in CARRY_OVER_KINDS)
INPUT_SIDE = ("input", "bad_carry_over")                       # excess slacks in the numerator
OUTPUT_SIDE = ("output", "bad_output", "good_carry_over")      # shortfalls (bad outputs: excess) in the denominator
#: the sign of a slack column in its row: data = combination + sign * slack
SLACK_SIGN = {"input": 1.0, "output": -1.0, "bad_output": 1.0, "good_carry_over": -1.0, "bad_carry_over": 1.0,
              "free_carry_over": 1.0, "fixed_carry_over": 0.0}


@dataclass(frozen=True)
class DynamicLayout:
    """The wide row of an entity: its T terms side by side, each term's columns in the order ``kinds`` (a tuple of
    :data:`KINDS`, one entry per variable), so data column ``t * p + v`` is variable v in term t (p = len(kinds)).
    ``carry_overs`` are the positions v of the carry-overs within a term."""

    kinds: tuple
    T: int

    @property
    def p(self) -> int:
        return len(self.kinds)

    @property
    def width(self) -> int:
        return self.T * self.p

    @property
    def carry_overs(self) -> tuple:
        return tuple(v for v, k in enumerate(self.kinds) if k.endswith("carry_over"))

    def mask(self, kinds) -> np.ndarray:
        """Over one term's p variables: those of the given kinds."""
        return np.array([k in kinds for k in self.kinds], dtype=bool)

    def count(self, kinds) -> int:
        return int(self.mask(kinds).sum())


class DynamicSBMScore(Stage):
    """The one stage of dynamic SBM (module docstring). Rows: term t's data rows ``t * p + v``, the continuity rows
    ``T p + c (T - 1) + t`` (carry-over c between terms t and t + 1), then (VRS) term t's convexity row and the
    normalisation row. Own columns: u, then one slack column per data row (``1 + t * p + v``; bounded to 0 for fixed
    and free carry-overs, which have none)."""

    def __init__(self, layout: DynamicLayout, rts: str, orientation: str, period_weights: np.ndarray):
        T, p = layout.T, layout.p
        links = layout.carry_overs
        d = T * p + len(links) * (T - 1)
        vrs = rts == "vrs"
        blocks = []
        for t in range(T):
            entries = [(t * p + v, t * p + v, 1.0) for v in range(p)]
            for c, v in enumerate(links):
                if t < T - 1:           # carried out of term t: + z_t in row (c, t)
                    entries.append((t * p + v, T * p + c * (T - 1) + t, 1.0))
                if t > 0:               # carried into term t: - z_(t-1) in row (c, t - 1)
                    entries.append(((t - 1) * p + v, T * p + c * (T - 1) + t - 1, -1.0))
            blocks.append(ReferenceBlock(np.ones(layout.width, dtype=bool), np.zeros(layout.width), vrs,
                                         row_map=entries, convexity_row=d + t if vrs else None))
        super().__init__(d=d, blocks=blocks, convexity=False, n_extra_rows=T * int(vrs) + 1,
                         n_extra_cols=1 + T * p, name="score")
        self.layout, self.rts, self.orientation = layout, rts, orientation
        self.period_weights = np.asarray(period_weights, dtype=float)
        self.keep_duals = False
        self.relative_objective = True
        # one entity's LP shares little with the next one's (its own columns, costs and normalisation are all its
        # own): from the previous entity's basis HiGHS took 245 dual simplex iterations per entity, from its slack
        # basis 217 (300 entities x 10 periods x 3 carry-overs, every column in the model)
        self.cold_start = True
        self.vrs = vrs
        n_in, n_out = layout.count(INPUT_SIDE), layout.count(OUTPUT_SIDE)
        # each term's weight per variable on its side: 1 / (m + nbad) and 1 / (s1 + s2 + ngood); 0 off the orientation
        self.input_weight = layout.mask(INPUT_SIDE) / n_in if orientation != "output" else np.zeros(p)
        self.output_weight = layout.mask(OUTPUT_SIDE) / n_out if orientation != "input" else np.zeros(p)

    @property
    def norm_row(self) -> int:
        return self.d + self.layout.T * int(self.vrs)

    def always_feasible(self, in_reference):
        return in_reference          # Lambda^t = e_o in every term, u = 1, no slack

    def objective_range(self, in_reference):
        return 0.0, 1.0

    def implied_upper(self, extra_matrix, extra_upper):
        return charnes_cooper_upper(extra_matrix, extra_upper, self.norm_row)

    def divisors(self, data0: np.ndarray) -> np.ndarray:
        """The value each slack column is measured in (the entity's own value; 1 where it is 0 and not divided by)."""
        values = data0[:, : self.layout.width]
        return np.where(values > 0, values, 1.0)

    def patch(self, data0, prev):
        L, k = self.layout, data0.shape[0]
        T, p, W = L.T, L.p, self.period_weights
        p_ = self.empty_patch(k)
        rows = np.arange(T * p)
        x0 = data0[:, : L.width]
        kinds = np.tile(np.array(L.kinds, dtype=object), T)
        sign = np.array([SLACK_SIGN[kind] for kind in kinds])
        free = kinds == "free_carry_over"
        p_.extra_matrix[:, rows, 0] = -x0                             # combination + sign * S - u x0 = 0
        p_.extra_matrix[:, rows, 1 + rows] = sign * self.divisors(data0)
        p_.row_lower[:, rows[~free]] = 0.0
        p_.row_upper[:, rows[~free]] = 0.0                            # a free carry-over's row only reports
        p_.extra_upper[:, 1 + rows[(sign == 0) | free]] = 0.0        # fixed and free carry-overs have no slack
        p_.row_lower[:, T * p: self.d] = p_.row_upper[:, T * p: self.d] = 0.0      # continuity
        if self.vrs:
            conv = self.d + np.arange(T)
            p_.extra_matrix[:, conv, 0] = -1.0
            p_.row_lower[:, conv] = p_.row_upper[:, conv] = 0.0       # sum Lambda^t = u
        r = self.norm_row
        p_.extra_matrix[:, r, 0] = 1.0
        p_.extra_matrix[:, r, 1:] = np.repeat(W, p) * np.tile(self.output_weight, T)
        p_.row_lower[:, r] = p_.row_upper[:, r] = 1.0
        p_.extra_cost[:, 0] = 1.0
        p_.extra_cost[:, 1:] = -np.repeat(W, p) * np.tile(self.input_weight, T)
        p_.extra_lower[:, 0] = 0.0
        return p_

    def decode(self, sol, data0, prev):
        """Targets are the term combinations ``X_t lambda^t`` (= sums / u), slacks their distance to the data
        (clipped at 0 where the slack is one-signed, 0 for fixed carry-overs, signed for free ones), the term and
        overall efficiencies computed from the slacks (no cancellation of ``u - sum ...``)."""
        L = self.layout
        T, p = L.T, L.p
        u = sol.extras[:, 0]
        x0 = data0[:, : L.width]
        with np.errstate(divide="ignore", invalid="ignore"):
            targets = sol.sums[:, : L.width] / u[:, None]
            scale = 1.0 / u
        kinds = np.tile(np.array(L.kinds, dtype=object), T)
        improvement = np.array([1.0 if SLACK_SIGN[k] >= 0 else -1.0 for k in kinds])  # slack = sign (x0 - target)
        slacks = improvement * (x0 - targets)
        one_signed = (kinds != "free_carry_over") & (kinds != "fixed_carry_over")
        clipped = np.where(one_signed, np.maximum(slacks, 0.0), slacks)
        clipped[:, kinds == "fixed_carry_over"] = 0.0
        targets = targets + improvement * (slacks - clipped)
        slacks = clipped
        with np.errstate(divide="ignore", invalid="ignore"):
            rates = np.where(x0 > 0, slacks / x0, 0.0).reshape(-1, T, p)
        a = 1.0 - (rates * self.input_weight).sum(axis=2)
        b = 1.0 + (rates * self.output_weight).sum(axis=2)
        W = self.period_weights
        terms = a / b
        overall = (a @ W) / (b @ W)
        return StageOutput(sol.status, score=overall, slacks=slacks, targets=targets, intensity_scale=scale,
                           parts={"terms": terms})


def build(layout: DynamicLayout, *, rts: str, orientation: str, period_weights: np.ndarray) -> ModelSpec:
    """The dynamic SBM stage for entities with ``layout``'s wide rows."""
    if orientation not in ORIENTATIONS:
        raise ValueError(f"dynamic SBM takes orientation {ORIENTATIONS}, got {orientation!r}")
    if rts not in DYNAMIC_RTS:
        raise ValueError(f"dynamic SBM takes rts {DYNAMIC_RTS}, got {rts!r}")
    stage = DynamicSBMScore(layout, rts, orientation, period_weights)
    return ModelSpec([stage], layout.width, f"dynamic SBM ({orientation}, {rts.upper()}), overall score in (0, 1]")


def _build_family(layout, options, constants, super_efficiency: bool, score_outside: bool) -> ModelSpec:
    if super_efficiency or score_outside:
        raise ValueError("dynamic SBM has no super-efficiency form here")
    return build(layout, rts=options.rts, orientation=options.orientation, period_weights=constants.weights)


FAMILY = register(ModelFamily(
    name="dynamic_sbm", label="dynamic SBM with carry-overs (Tone & Tsutsui 2010), bad outputs as in Tone 2004",
    short_name="dynamic SBM", build=_build_family, orientations=ORIENTATIONS, evaluates="entities",
    convention="overall and term efficiencies in (0, 1], 1 = efficient",
    super_efficiency_note="Tone & Tsutsui (2010) define none for dynamic SBM",
))
