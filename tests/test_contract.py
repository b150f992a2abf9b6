"""The contract every registered model family keeps: one suite, run over ``frontier.models.REGISTRY``'s families that
serve ``efficiency()`` (``ModelFamily.serves``; the economic families need prices: tests/test_economic.py) and evaluate
rows (:func:`row_families`; an entity-level family, ``ModelFamily.evaluates="entities"``, is a whole entity's LP
across periods and keeps its own contract, ``tests/test_contract_entities.py``).

A new model gets these tests by registering (``register(ModelFamily(...))`` in its module): the suite reads the
family's declared facts (orientations, bad-output disposabilities, super-efficiency, directions, the score
convention) and runs, for each representative option combination (every orientation x disposability x rts crs/vrs
x super-efficiency where supported, the directional models with the observed and the output direction), on small
seeded random data with a bad output:

* score range and efficient value: every score is on the documented side of ``family.efficient_value()``
  (``score_kind``, ``output_expansion``), at least one DMU is exactly efficient, every LP is optimal; with
  super-efficiency an inefficient DMU keeps its score and an efficient one moves beyond the efficient value (or is
  NaN with status ``"infeasible"``, as documented);
* projections are efficient: the targets, evaluated as arbitrary points against the data rows, score exactly
  efficient (the theory per family is in :data:`WHY_PROJECTIONS_ARE_EFFICIENT`; a family for which it does not
  hold must say so in :data:`PROJECTIONS_NOT_EFFICIENT`, or the test fails);
* batch = one by one: evaluating every DMU in one batch (one warm-started solver) equals evaluating each alone;
* restricted = full: exact column generation (with the dominance screening forced on) equals every column;
* score-only = detailed score: ``detail=False`` returns the very same scores;
* arbitrary points and references: data rows passed as a points matrix, and a reference passed as a matrix,
  give the same answers as the same rows passed as positions;
* E/D conversions: the efficient value converts to E = 1 and D = 0.

It also holds the NaN rule of :mod:`frontier.problem` (a failed score LP, a failed detail stage), checked through
``efficiency()`` and ``productivity()`` with the engine made to fail on purpose.
"""
from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from frontier.data import validate_frame
from frontier.models import REGISTRY, resolve_options
from frontier.problem import Problem

#: the families this suite checks: those efficiency() and its kin take

INPUTS, OUTPUTS, BADS = ["x1", "x2"], ["y1", "y2"], ["b"]
N = 36

# Why evaluating a projection gives the efficient value, per family (all without super-efficiency, where the
# target lies in the technology the DMU is evaluated against):
WHY_PROJECTIONS_ARE_EFFICIENT = {
    "radial": "the max-slack second stage leaves no radial contraction (expansion) of the target: one would "
              "contract (expand) the DMU beyond its optimal theta (phi)",
    "ddf": "the max-slack second stage removes the slacks; a positive beta at the target would extend the "
           "DMU's own directional move beyond its optimal beta",
    "nddf": "the score absorbs every slack it can (each beta_v is maximised with a positive weight); a positive "
            "beta_v at the target would raise the DMU's weighted sum",
    "sbm": "Tone (2001): the SBM projection is SBM-efficient (a slack left at the target would lower rho)",
    "sbm_ddf": "a slack left at the target, added to the DMU's slacks, would raise its weighted sum",
}
# families whose targets are not efficient by theory: name -> why (a new family must appear in one of the two)
PROJECTIONS_NOT_EFFICIENT: dict[str, str] = {
    "ebm": "EBM targets may be worse than the observation in some variables by design: theta > 1 is allowed (Tone & "
           "Tsutsui's hospital D: its nurses target rises), and in the output and non-oriented models the bad outputs "
           "move with phi (the MaxDEA-style form), so this test's premise does not hold",
}


def _data(seed: int = 11, n: int = N) -> pd.DataFrame:
    """A cross-section with two inputs, two outputs and one bad output, with inefficiency and noise."""
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, 2))
    frontier_output = np.sqrt(x[:, [0]] * x[:, [1]]) * rng.uniform(0.6, 1.4, size=(n, 2))
    y = frontier_output * rng.uniform(0.5, 1.0, size=(n, 1))
    b = y.sum(axis=1) * rng.uniform(0.2, 0.8, size=n)
    return pd.DataFrame(np.column_stack([x, y, b]), columns=INPUTS + OUTPUTS + BADS,
                        index=[f"d{i:02d}" for i in range(n)])


def row_families() -> dict:
    """The registered families this suite runs over: those serving efficiency() that evaluate one row at a time."""
    return {name: fam for name, fam in REGISTRY.items() if fam.serves == "efficiency" and fam.evaluates == "rows"}


FAMILIES = row_families()


DATA = _data()
DEA = validate_frame(DATA, INPUTS, OUTPUTS, BADS)
ROWS = np.arange(N)


def _combinations():
    """Representative option combinations of every registered family, derived from its declared facts."""
    for name, fam in FAMILIES.items():
        supers = (False, True) if fam.super_efficiency else (False,)
        combos = itertools.product(fam.orientations, fam.disposabilities, ("crs", "vrs"), supers)
        for k, (orientation, disposability, rts, super_eff) in enumerate(combos):
            # directional families alternate the observed and the output direction across the combinations
            direction = ("observed", "output")[k % 2] if fam.directional else None
            case = dict(model=name, orientation=orientation, bad_disposability=disposability, rts=rts,
                        direction=direction, super_efficiency=super_eff)
            try:        # a combination the family refuses (e.g. super-EBM in the bounded form) is no model
                resolve_options(**case)
            except ValueError:
                continue
            label = "-".join(str(v) for v in (name, orientation, disposability, rts, direction,
                                                "super" if super_eff else "") if v)
            yield pytest.param(case, id=label)


CASES = list(_combinations())


def _problem(case: dict) -> Problem:
    options = {k: v for k, v in case.items() if k != "super_efficiency"}
    return Problem(DEA, resolve_options(**options, super_efficiency=case["super_efficiency"]))


def _evaluate(case: dict, points=ROWS, reference=ROWS, **kwargs):
    return _problem(case).evaluate(points, reference, super_efficiency=case["super_efficiency"], **kwargs)


def _inefficient_side(fam, orientation) -> float:
    """+1 where inefficient scores lie above the efficient value (phi >= 1, distances D >= 0), -1 below (E <= 1)."""
    if fam.score_kind == "inefficiency" or orientation in fam.output_expansion:
        return 1.0
    return -1.0


_cache: dict = {}


def _baseline(case: dict):
    """The detailed evaluation of every DMU against every row (cached: several checks read it)."""
    key = tuple(sorted(case.items()))
    if key not in _cache:
        _cache[key] = _evaluate(case)
    return _cache[key]


def assert_same(a, b, tol, what):
    np.testing.assert_allclose(a, b, rtol=0, atol=tol, equal_nan=True, err_msg=what)


# ----------------------------------------------------------------------------------------------------
# the contract
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("case", CASES)
def test_score_range_and_efficient_value(case):
    fam = FAMILIES[case["model"]]
    out = _baseline(case)
    efficient = fam.efficient_value(case["orientation"])
    side = _inefficient_side(fam, case["orientation"])
    if not case["super_efficiency"]:
        assert (out.status == "optimal").all(), dict(zip(DATA.index, out.status))
        assert np.isfinite(out.score).all()
        assert (side * (out.score - efficient) >= 0).all(), out.score      # never beyond the efficient value
        if fam.score_kind == "efficiency":
            assert (out.score > 0).all()
        assert (out.score == efficient).any(), "no DMU is exactly efficient"
        assert (side * (out.score - efficient) > 0).any(), "no DMU is inefficient on data with inefficiency"
        return
    # super-efficiency (documented per family): an inefficient DMU keeps its score; an efficient one scores at or
    # beyond the efficient value, or is NaN with status "infeasible" (no reference point once it leaves the set)
    plain = _evaluate({**case, "super_efficiency": False})
    inefficient = side * (plain.score - efficient) > 0
    assert (out.status[inefficient] == "optimal").all()
    assert_same(out.score[inefficient], plain.score[inefficient], 1e-8, "super-efficiency changed an inefficient DMU")
    efficient_dmus = ~inefficient
    assert set(out.status[efficient_dmus]) <= {"optimal", "infeasible"}
    solved = efficient_dmus & (out.status == "optimal")
    assert (side * (out.score[solved] - efficient) <= 0).all()
    assert np.isnan(out.score[out.status == "infeasible"]).all()
    assert (side * (out.score[solved] - efficient) < 0).any(), "no DMU is super-efficient"


@pytest.mark.parametrize("case", [c for c in CASES if not c.values[0]["super_efficiency"]])
def test_projections_are_efficient(case):
    name = case["model"]
    if name in PROJECTIONS_NOT_EFFICIENT:
        pytest.skip(PROJECTIONS_NOT_EFFICIENT[name])
    assert name in WHY_PROJECTIONS_ARE_EFFICIENT, (
        f"model {name!r}: say in WHY_PROJECTIONS_ARE_EFFICIENT why its targets are efficient, or in "
        "PROJECTIONS_NOT_EFFICIENT why they are not")
    fam = FAMILIES[name]
    out = _baseline(case)
    assert np.isfinite(out.targets).all()
    # targets never move the wrong way (more input or bad output, less good output) beyond rounding: theta <= 1,
    # phi >= 1, beta >= 0 and slacks >= 0 in every model; the rounding is removed before the targets are evaluated,
    # since a bad output an ulp above the largest observed one lies outside the APZ technology (its cap)
    observed = DEA.matrix
    better = np.where(np.arange(observed.shape[1]) < len(INPUTS), -1.0, 1.0)
    better[len(INPUTS) + len(OUTPUTS):] = -1.0
    worse_by = better * (observed - out.targets)
    assert (worse_by <= 1e-9 * observed).all(), "a target is worse than the observation"
    targets = np.where(worse_by > 0, observed, out.targets)
    again = _evaluate(case, points=targets, detail=False)
    assert (again.status == "optimal").all()
    assert_same(again.score, fam.efficient_value(case["orientation"]), 1e-6, "a projection is not efficient")


@pytest.mark.parametrize("case", CASES)
def test_batch_equals_one_by_one(case):
    problem = _problem(case)
    batch = _baseline(case)
    alone = problem.evaluate_many([(np.array([i]), ROWS) for i in ROWS], super_efficiency=case["super_efficiency"])
    assert list(batch.status) == [a.status[0] for a in alone]
    assert_same(batch.score, np.concatenate([a.score for a in alone]), 1e-9, "batch != one by one")


@pytest.mark.parametrize("case", CASES)
def test_restricted_equals_full(case, monkeypatch):
    # on 36 DMUs the dominance screening (128 strong rows by default) would keep every column: force it on with 6
    # strong rows, so the restricted path prices over a screened set, as it does on large data
    screen = engine.reduction.dominance_screen
    monkeypatch.setattr(engine.pricing, "dominance_screen", lambda P, layers=1, n_strong=6: screen(P, layers, n_strong))
    restricted = _evaluate(case, method="restricted")
    full = _evaluate(case, method="full")
    assert list(restricted.status) == list(full.status)
    assert_same(restricted.score, full.score, 1e-8, "restricted != full")


@pytest.mark.parametrize("case", CASES)
def test_dense_equals_full(case, monkeypatch):
    """The batched dense simplex (frontier.engine.dense, certified, HiGHS for what it leaves) = HiGHS with every
    column: every stage's status and the scores (batches of any size go to the dense simplex here)."""
    monkeypatch.setattr(engine.settings, "DENSE_MIN_BATCH", 1)
    dense = _evaluate(case, method="dense")
    full = _evaluate(case, method="full")
    assert list(dense.status) == list(full.status)
    assert_same(dense.score, full.score, 1e-8, "dense != full")


@pytest.mark.parametrize("case", CASES)
def test_score_only_equals_detailed_score(case):
    detailed = _baseline(case)
    score_only = _evaluate(case, detail=False)
    np.testing.assert_array_equal(score_only.score, detailed.score)
    assert [s.removeprefix("slacks_") for s in detailed.status] == list(score_only.status)


@pytest.mark.parametrize("case", CASES)
def test_arbitrary_points_and_reference_matrix(case):
    problem = _problem(case)
    M = DEA.matrix
    if case["super_efficiency"]:
        # a DMU leaves its reference set only when both are given as rows: evaluate rows outside the reference
        points, reference = np.arange(24, N), np.arange(24)
    else:
        points, reference = ROWS, ROWS
        as_points = problem.evaluate(M, reference)
        as_rows = _baseline(case)
        assert list(as_points.status) == list(as_rows.status)
        assert_same(as_points.score, as_rows.score, 1e-9, "points matrix != rows")
        assert_same(as_points.targets, as_rows.targets, 1e-7, "points matrix != rows (targets)")
    by_position = problem.evaluate(points, reference, super_efficiency=case["super_efficiency"])
    by_matrix = problem.evaluate(points, M[reference], super_efficiency=case["super_efficiency"])
    assert list(by_matrix.status) == list(by_position.status)
    assert_same(by_matrix.score, by_position.score, 1e-9, "reference matrix != positions")
    assert_same(by_matrix.targets, by_position.targets, 1e-7, "reference matrix != positions (targets)")
    # peers: positions in the reference matrix map back to the same data rows
    np.testing.assert_array_equal(reference[by_matrix.lam_idx], by_position.lam_idx)


@pytest.mark.parametrize("name,orientation", [(n, o) for n, f in FAMILIES.items() for o in f.orientations])
def test_efficient_value_converts_to_e_1_and_d_0(name, orientation):
    fam = FAMILIES[name]
    efficient = fam.efficient_value(orientation)
    assert fam.to_efficiency(efficient, orientation) == 1.0
    assert fam.to_inefficiency(efficient, orientation) == 0.0
    # an inefficient score converts to E < 1 and D > 0
    worse = efficient + _inefficient_side(fam, orientation) * 0.25
    assert fam.to_efficiency(worse, orientation) < 1.0
    assert fam.to_inefficiency(worse, orientation) > 0.0


# ----------------------------------------------------------------------------------------------------
# the NaN rule (frontier.problem): one rule for efficiency() and the productivity distances
# ----------------------------------------------------------------------------------------------------

def fail_stage(monkeypatch, stage_name: str, status: str = "iteration_limit", dmu: int = 0) -> list:
    """Make the engine report ``status`` for the ``dmu``-th DMU of every batch of the stage called ``stage_name``.

    The stage's numbers are left as the solver returned them, so only the NaN rule can hide them. Returns the list
    of the names of the stages solved (appended to as the engine runs).
    """
    real = engine.stages.solve_stage_batch
    solved = []

    def solve(stage, ref_data, plan, method, data0, own, prev, answers=None):
        sol = real(stage, ref_data, plan, method, data0, own, prev, answers)
        solved.append(stage.name)
        if stage.name == stage_name and len(sol.status) > dmu:
            sol.status = sol.status.copy()
            sol.status[dmu] = status
        return sol

    monkeypatch.setattr(engine.stages, "solve_stage_batch", solve)
    return solved


def _efficiency(name, **kwargs):
    return fr.efficiency(DATA, INPUTS, OUTPUTS, BADS, model=name, **kwargs)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_failed_score_lp_is_nan_everywhere_with_its_status(name, monkeypatch):
    fail_stage(monkeypatch, "score")
    res = _efficiency(name)
    first = DATA.index[0]
    assert res.status[first] == "iteration_limit"
    assert np.isnan(res.scores[first])
    assert res.slacks.loc[first].isna().all() and res.targets.loc[first].isna().all()
    if res.betas is not None:
        assert res.betas.loc[first].isna().all()
    assert first not in set(res.peers["dmu"])
    # every other DMU is untouched
    rest = res.status.index[1:]
    assert (res.status[rest] == "optimal").all() and res.scores[rest].notna().all()
    assert res.targets.loc[rest].notna().all().all()


def test_infeasible_score_lp_is_nan_everywhere():
    """A real failure: with its equality constraints SBM-DDF has no feasible point for a DMU outside its reference
    set (the one with the largest output, against the others under VRS)."""
    top = DATA["y1"].idxmax()
    res = _efficiency("sbm_ddf", reference=DATA.index.drop(top))
    assert res.status[top] == "infeasible"
    assert np.isnan(res.scores[top])
    for table in (res.slacks, res.targets, res.betas):
        assert table.loc[top].isna().all()
    assert res.scores.drop(top).notna().all()


def test_failed_super_efficiency_stage_is_nan_with_its_status(monkeypatch):
    """The hybrid super-SBM score of an efficient DMU comes from its second (super-SBM) stage: when that LP fails
    the score is undefined (NaN with the LP's status), never the first stage's rho = 1."""
    plain = _efficiency("sbm", super_efficiency=True)
    first_efficient = plain.scores[plain.scores >= 1].index[0]
    fail_stage(monkeypatch, "super")
    res = _efficiency("sbm", super_efficiency=True)
    assert res.status[first_efficient] == "iteration_limit"
    assert np.isnan(res.scores[first_efficient])
    assert res.targets.loc[first_efficient].isna().all() and res.slacks.loc[first_efficient].isna().all()
    pd.testing.assert_series_equal(res.scores.drop(first_efficient), plain.scores.drop(first_efficient))


DETAILED = [name for name, fam in FAMILIES.items() if any(s.detail for s in _problem(
    dict(model=name, orientation=None, bad_disposability=None, rts="vrs", direction=None,
         super_efficiency=False)).spec().stages)]


@pytest.mark.parametrize("name", DETAILED)
def test_failed_detail_stage_keeps_the_score(name, monkeypatch):
    from frontier.models.base import MaxSlackStage

    plain = _efficiency(name)
    # every DMU solves the detail LP (none is settled by the score LP's duals), so the failure lands on the first DMU
    monkeypatch.setattr(MaxSlackStage, "settled", lambda self, prev, data0, duals: np.zeros(len(prev["status"]), bool))
    fail_stage(monkeypatch, "slacks")
    res = _efficiency(name)
    first = DATA.index[0]
    assert res.status[first] == "slacks_iteration_limit"
    assert res.scores[first] == plain.scores[first]
    assert res.slacks.loc[first].isna().all() and res.targets.loc[first].isna().all()
    pd.testing.assert_series_equal(res.scores, plain.scores)
    pd.testing.assert_frame_equal(res.targets.iloc[1:], plain.targets.iloc[1:])


def _panel(periods: int = 3, entities: int = 12) -> pd.DataFrame:
    frames = []
    for t in range(periods):
        frame = _data(seed=100 + t, n=entities)
        frame.insert(0, "id", [f"e{i:02d}" for i in range(entities)])
        frame.insert(1, "year", 2000 + t)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


@pytest.mark.parametrize("name", list(FAMILIES))
def test_productivity_distances_follow_the_nan_rule(name, monkeypatch):
    """A failed distance LP is NaN with its status in ``distances``; every index component that uses it is NaN and
    the row's status names the LP. The indices ask for scores only: no detail (max-slack) stage is ever solved."""
    panel = _panel()
    kwargs = dict(index="malmquist", technology="global", super_efficiency=False)
    plain = fr.productivity(panel, "id", "year", INPUTS, OUTPUTS, BADS, model=name, **kwargs)
    solved = fail_stage(monkeypatch, "score")
    res = fr.productivity(panel, "id", "year", INPUTS, OUTPUTS, BADS, model=name, **kwargs)
    assert solved and not any(s == "slacks" for s in solved)
    dist = res.distances
    failed = dist["status"] != "optimal"          # the first DMU of each technology's batch
    assert failed.any() and (dist.loc[failed, "status"] == "iteration_limit").all()
    assert dist.loc[failed, "value"].isna().all() and dist.loc[~failed, "value"].notna().all()
    pd.testing.assert_series_equal(dist.loc[~failed, "value"], plain.distances.loc[~failed, "value"])
    hit = res.indices["status"] != "optimal"
    assert hit.any()
    # a row is NaN in the components that use the failed distance (a global index with a failed contemporaneous
    # distance keeps its index, loses ec and tc), and only there
    components = res.indices[["index", "ec", "tc"]]
    assert (components.isna().any(axis=1) == hit).all()
    assert res.indices.loc[hit, "status"].str.startswith("iteration_limit (").all()
    kept = res.indices.loc[~hit, ["index", "ec", "tc"]]
    pd.testing.assert_frame_equal(kept, plain.indices.loc[~hit, ["index", "ec", "tc"]])
