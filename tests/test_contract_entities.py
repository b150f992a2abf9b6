"""The model contract widened for network and dynamic models, proven by a toy entity-level family.

The toy is a two-period, input-oriented radial model under VRS that evaluates a whole *entity* (its two periods) in
one LP, as a dynamic DEA model does (Tone & Tsutsui 2010 carry the same structure with slacks). For entity ``o``::

    min  (theta_1 + theta_2) / 2
    s.t. sum_j lambda^t_j x^t_ij <= theta_t x^t_io        every input i, period t = 1, 2
         sum_j lambda^t_j y^t_rj >= y^t_ro                every output r, period t
         sum_j lambda^1_j = 1,  sum_j lambda^2_j = 1      one convexity row per period (VRS)
         sum_j z_j lambda^1_j = sum_j z_j lambda^2_j      the continuity of a carry-over z from period 1 into 2
         lambda^1, lambda^2 >= 0

An entity's data row is wide: ``[x^1, y^1, x^2, y^2, z]``. Each period is a :class:`ReferenceBlock` with its own
signed row map (its period's columns in its period's data rows, and ``z`` with ``+1`` in block 1 and ``-1`` in
block 2 in the continuity row) and its own ``convexity_row``: what the default layout (data rows by a variable mask,
one convexity row) cannot say. The LP is always feasible (``lambda^1 = lambda^2 = e_o``, ``theta = 1``), so the score
lies in (0, 1].

Checked here: the engine's batched path (``run_jobs``, every method) against an independent cvxpy formulation on
random data; without the continuity row the model splits into two radial VRS scores (``frontier.efficiency`` per
period); the certificate accepts the engine's answer and rejects wrong ones (a non-optimal theta, and a solution
that breaks only the continuity row); and a family that declares ``evaluates="entities"`` is kept away from the row
analyses (``efficiency``, ``productivity``, ``--model``, the row contract suite).
"""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from frontier.cli import build_parser
from frontier.engine.certify import Columns, Stacked, StageAnswers, accepted, kkt_violation, stacked_answers
from frontier.engine.pricing import plan_stage
from frontier.engine.restricted import solve_with_highs
from frontier.models import REGISTRY, ModelFamily, model_names, register
from frontier.models.base import INF, ModelSpec, ReferenceBlock, Stage, StageOutput

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402
from test_contract import row_families  # noqa: E402

M_IN, S_OUT = 2, 1
PER_PERIOD = M_IN + S_OUT
WIDTH = 2 * PER_PERIOD + 1          # data columns: x^1, y^1, x^2, y^2, z
Z = WIDTH - 1
TOL = 1e-6


class TwoPeriodRadial(Stage):
    """The toy's one stage. Rows: the data rows per (variable, period) ``0 .. 2 * PER_PERIOD - 1``, the continuity row
    (when ``linked``), then each period's convexity row. Own columns: ``theta_1, theta_2``."""

    def __init__(self, linked: bool = True):
        d = 2 * PER_PERIOD + int(linked)
        continuity = 2 * PER_PERIOD
        blocks = []
        for t in range(2):
            entries = [(t * PER_PERIOD + v, t * PER_PERIOD + v, 1.0) for v in range(PER_PERIOD)]
            if linked:
                entries.append((Z, continuity, 1.0 if t == 0 else -1.0))
            blocks.append(ReferenceBlock(np.ones(WIDTH, dtype=bool), np.zeros(WIDTH), True,
                                         row_map=entries, convexity_row=d + t))
        super().__init__(d=d, blocks=blocks, convexity=False, n_extra_rows=2, n_extra_cols=2)
        self.linked = linked

    def objective_range(self, in_reference):
        return (0.0, 1.0) if in_reference else (0.0, INF)

    def always_feasible(self, in_reference):
        return in_reference

    def patch(self, data0, prev):
        k = data0.shape[0]
        p = self.empty_patch(k)
        for t in range(2):
            first = t * PER_PERIOD
            inputs = slice(first, first + M_IN)
            outputs = slice(first + M_IN, first + PER_PERIOD)
            p.row_upper[:, inputs] = 0.0                       # sum lambda x - theta_t x_o <= 0
            p.extra_matrix[:, inputs, t] = -data0[:, inputs]
            p.row_lower[:, outputs] = data0[:, outputs]        # sum lambda y >= y_o
            p.row_lower[:, self.d + t] = p.row_upper[:, self.d + t] = 1.0
        if self.linked:
            p.row_lower[:, 2 * PER_PERIOD] = p.row_upper[:, 2 * PER_PERIOD] = 0.0
        p.extra_cost[:] = 0.5
        return p

    def decode(self, sol, data0, prev):
        return StageOutput(sol.status, score=sol.objective, parts={"theta": sol.extras},
                           intensity_scale=np.ones(len(sol.status)))


def _spec(linked: bool = True) -> ModelSpec:
    return ModelSpec([TwoPeriodRadial(linked)], WIDTH, "toy two-period radial")


def _entities(seed: int, n: int) -> np.ndarray:
    """n entities' wide rows ``[x^1, y^1, x^2, y^2, z]``: outputs below a frontier, the carry-over unrelated."""
    rng = np.random.default_rng(seed)
    blocks = []
    for _ in range(2):
        x = rng.uniform(1.0, 10.0, size=(n, M_IN))
        y = np.sqrt(x.prod(axis=1, keepdims=True)) * rng.uniform(0.4, 1.0, size=(n, S_OUT))
        blocks += [x, y]
    return np.column_stack(blocks + [rng.uniform(1.0, 5.0, size=n)])


def _solve(data: np.ndarray, method: str, linked: bool = True) -> engine.BatchResult:
    n = data.shape[0]
    return engine.run_jobs([engine.Job(_spec(linked), data, data, np.arange(n))], method=method)[0]


def _cvxpy(data: np.ndarray, o: int, linked: bool = True) -> float:
    """The toy LP for entity ``o``, written out independently of frontier."""
    cp = ref.cp
    n = data.shape[0]
    lam = [cp.Variable(n, nonneg=True) for _ in range(2)]
    theta = cp.Variable(2)
    cons = []
    for t in range(2):
        x = data[:, t * PER_PERIOD: t * PER_PERIOD + M_IN]
        y = data[:, t * PER_PERIOD + M_IN: (t + 1) * PER_PERIOD]
        cons += [x.T @ lam[t] <= theta[t] * x[o], y.T @ lam[t] >= y[o], cp.sum(lam[t]) == 1]
    if linked:
        cons.append(data[:, Z] @ lam[0] == data[:, Z] @ lam[1])
    status, value = ref._solve(cp.Minimize(cp.sum(theta) / 2), cons)
    assert status == "optimal"
    return value


@pytest.mark.parametrize("method", ["auto", "restricted", "full", "dense"])
def test_the_engine_solves_the_entity_model_as_cvxpy_does(method, monkeypatch):
    """Three panels (seeds, 10-40 entities) in one call of the batched path, each its own reference set; with
    ``"dense"`` they are packed into one batch of the dense simplex (73 LPs), which solves most of them."""
    sets = [_entities(seed, n) for seed, n in [(1, 10), (2, 23), (3, 40)]]
    spec = _spec()
    solved_dense = []
    batch = engine.dense.solve_batch

    def counted(*args, **kwargs):
        out = batch(*args, **kwargs)
        solved_dense.append(int(out.solved.sum()))
        return out

    monkeypatch.setattr(engine.dense, "solve_batch", counted)
    outs = engine.run_jobs([engine.Job(spec, data, data, np.arange(data.shape[0])) for data in sets], method=method)
    assert (sum(solved_dense) > 40) == (method == "dense")
    for data, out in zip(sets, outs):
        assert (out.values["status"] == "optimal").all()         # every answer certified
        expected = np.array([_cvxpy(data, o) for o in range(data.shape[0])])
        np.testing.assert_allclose(out.values["score"], expected, atol=TOL)
        np.testing.assert_allclose(out.values["theta"].mean(axis=1), out.values["score"], atol=1e-12)
        assert (out.values["score"] <= 1.0 + 1e-12).all() and np.isclose(out.values["score"], 1.0).any()


def test_the_continuity_row_binds():
    """Linked scores are never below the unlinked ones, and on this data strictly above for some entities."""
    data = _entities(5, 30)
    linked, unlinked = _solve(data, "restricted").values["score"], _solve(data, "restricted", False).values["score"]
    assert (linked >= unlinked - 1e-9).all()
    assert (linked > unlinked + 1e-4).sum() >= 3


def test_without_the_continuity_row_it_is_two_radial_vrs_scores():
    data = _entities(7, 25)
    theta = _solve(data, "auto", linked=False).values["theta"]
    for t in range(2):
        period = pd.DataFrame(data[:, t * PER_PERIOD: (t + 1) * PER_PERIOD], columns=["x1", "x2", "y"])
        radial = fr.efficiency(period, inputs=["x1", "x2"], outputs=["y"], model="radial", rts="vrs",
                               orientation="input")
        np.testing.assert_allclose(theta[:, t], radial.scores.to_numpy(), atol=1e-9)


def _engine_answers(stage: Stage, data: np.ndarray):
    """The HiGHS pass's answers with their per-block solutions and row duals (what the certificate judges)."""
    n = data.shape[0]
    answers = StageAnswers.start(stage, data, {"status": np.full(n, "not_solved", dtype=object)})
    plan = plan_stage(stage, data, "restricted")
    solve_with_highs(stage, data, plan, "restricted", np.arange(n), answers, list(range(n)))
    return answers, plan.candidates(data)


def _solution(answers: StageAnswers, stage: Stage, i: int) -> Columns:
    """DMU ``i``'s answer as one :class:`Columns` (answers certified at once stay stacked in ``answers.bulk``)."""
    everyone = np.arange(len(answers.status))
    return stacked_answers(answers.sols, everyone, stage.n_extra_cols, answers.bulk).taken(everyone == i).split()[0]


def test_the_certificate_reads_the_declared_layout():
    data = _entities(5, 30)
    stage, unlinked_stage = TwoPeriodRadial(True), TwoPeriodRadial(False)
    answers, candidates = _engine_answers(stage, data)
    free, _ = _engine_answers(unlinked_stage, data)
    assert (answers.status == "optimal").all()
    patch = answers.patch
    for i in range(data.shape[0]):
        assert accepted(stage, data, patch, i, i, answers.objective[i], _solution(answers, stage, i),
                        answers.row_duals[i], candidates)
    # a wrong answer: theta above its optimum (still feasible) is not optimal, the reduced costs say so
    worse = np.flatnonzero(answers.objective < 0.99)
    assert worse.size
    i = int(worse[0])
    sol = _solution(answers, stage, i)
    raised = Columns(np.minimum(sol.own + 0.01, 1.0), sol.pos, sol.blk, sol.lam)
    assert not accepted(stage, data, patch, i, i, float(raised.own.mean()), raised, answers.row_duals[i], candidates)
    # a wrong answer that breaks only the continuity row: the unlinked optimum of an entity the link binds satisfies
    # every data and convexity row of the linked LP (the same rows, the same block layout), not the carry-over's
    bound = np.flatnonzero(answers.objective > free.objective + 1e-4)
    assert bound.size
    i = int(bound[0])
    wrong = _solution(free, unlinked_stage, i)
    duals = np.insert(free.row_duals[i], 2 * PER_PERIOD, 0.0)          # the linked LP's rows
    primal, _ = kkt_violation(stage, data, patch, np.array([i]), np.array([i]), Stacked.of([wrong], 2),
                              duals[None, :], candidates)
    assert primal[0] > 1e-3
    continuity_only = TwoPeriodRadial(False)
    primal_unlinked, _ = kkt_violation(continuity_only, data, free.patch, np.array([i]), np.array([i]),
                                       Stacked.of([wrong], 2), free.row_duals[i][None, :], candidates)
    assert primal_unlinked[0] <= 1e-9
    assert not accepted(stage, data, patch, i, i, free.objective[i], wrong, duals, candidates)


def test_a_block_row_map_may_be_a_matrix_or_entries():
    entries = [(0, 0, 1.0), (2, 3, -1.0)]
    block = ReferenceBlock(np.ones(3, dtype=bool), np.zeros(3), True, row_map=entries, convexity_row=4)
    matrix = np.zeros((4, 3))
    matrix[0, 0], matrix[3, 2] = 1.0, -1.0
    np.testing.assert_array_equal(block.row_map, matrix)
    same = ReferenceBlock(np.ones(3, dtype=bool), np.zeros(3), True, row_map=matrix, convexity_row=4)
    data = np.array([[2.0, 5.0, 7.0]])
    np.testing.assert_array_equal(block.data_rows(data, 6, 3), same.data_rows(data, 6, 3))
    np.testing.assert_array_equal(block.data_rows(data, 6, 3), [[2.0, 0, 0, -7.0, 0, 0]])
    with pytest.raises(ValueError, match="convexity_row 3 is a row its row_map fills"):
        ReferenceBlock(np.ones(3, dtype=bool), np.zeros(3), True, row_map=entries, convexity_row=3)
    with pytest.raises(ValueError, match="rows x 3 data columns"):
        ReferenceBlock(np.ones(3, dtype=bool), np.zeros(3), True, row_map=np.zeros((2, 2)))


# ----------------------------------------------------------------------------------------------------
# evaluates="entities": kept away from the row analyses
# ----------------------------------------------------------------------------------------------------

@pytest.fixture
def toy_family():
    fam = register(ModelFamily(name="toy_dynamic", label="toy two-period radial",
                               build=lambda layout, options, constants, super_efficiency, detail: _spec(),
                               convention="(theta_1 + theta_2) / 2", evaluates="entities"))
    try:
        yield fam
    finally:
        REGISTRY.pop(fam.name, None)


def _model_choices(parser) -> dict:
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: next(a for a in p._actions if a.dest == "model").choices for name, p in sub.choices.items()
            if any(a.dest == "model" for a in p._actions)}


def test_an_entity_family_is_not_offered_to_the_row_analyses(toy_family):
    assert "toy_dynamic" in model_names(evaluates="entities")
    assert "toy_dynamic" not in model_names() and "toy_dynamic" not in row_families()
    choices = _model_choices(build_parser())
    assert "efficiency" in choices
    for command, allowed in choices.items():
        assert "toy_dynamic" not in allowed, command
    data = pd.DataFrame(_entities(1, 8)[:, :PER_PERIOD], columns=["x1", "x2", "y"])
    data["t"] = [1, 2] * 4
    for call in (lambda: fr.efficiency(data, inputs=["x1", "x2"], outputs=["y"], model="toy_dynamic"),
                 lambda: fr.productivity(data.assign(id=np.repeat(range(4), 2)), inputs=["x1", "x2"], outputs=["y"],
                                         entity="id", period="t", model="toy_dynamic")):
        with pytest.raises(ValueError, match="model='toy_dynamic' evaluates whole entities across periods"):
            call()
