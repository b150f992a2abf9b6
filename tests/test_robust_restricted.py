"""The robust path over a restricted column set (issue 32: at a million observations one robust LP over every
reference column took seconds, and there were hundreds): it starts from a few columns and adds those that price in
under exact duals, or that break a Farkas certificate, until none does. Every answer must be the full-column robust
LP's (status, and value to 1e-9) and cvxpy's; the LPs here need columns outside the start set (badly scaled data,
1e-8 placeholders, infeasible super-efficiency LPs)."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import engine
from frontier.data import validate_frame
from frontier.engine import robust, settings
from frontier.engine.certify import BatchPatch
from frontier.models import resolve_options
from frontier.problem import Problem

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref_cvx  # noqa: E402
from exact_lp import exact_evaluate, solve_bounded  # noqa: E402


def placeholder_data(n: int, seed: int, bads: int = 1) -> pd.DataFrame:
    """Lognormal firms (2 inputs, 1 output, ``bads`` bad outputs), a tenth of each column a 1e-8..5e-8 placeholder
    for a zero, one row scaled up by 1e6 (data spanning about 1e-8..1e7)."""
    rng = np.random.default_rng(seed)
    columns = ["x0", "x1", "y"] + [f"b{k}" for k in range(bads)]
    df = pd.DataFrame(rng.lognormal(0, 1, size=(n, len(columns))), columns=columns)
    for column in df:
        mask = rng.random(n) < 0.1
        df.loc[mask, column] = df[column].mean() * rng.uniform(1e-8, 5e-8, mask.sum())
    df.iloc[int(rng.integers(n))] *= 1e6
    return df


def stage_lps(df: pd.DataFrame, bads: list[str], super_efficiency: bool, **options):
    """The first stage of the model (its super-efficiency stage with ``super_efficiency``) for every row of ``df``:
    ``(stage, ref, patch, rows)`` as the engine builds them (scaled data, every row in the reference set)."""
    inputs, outputs = ["x0", "x1"], ["y"]
    problem = Problem(validate_frame(df, inputs, outputs, bads), resolve_options(**options))
    stage = next(s for s in problem.spec(super_efficiency).stages if s.exclude_self == super_efficiency)
    rows = problem.rows
    ref = np.ascontiguousarray(rows[:, : problem.layout.d])
    patch = BatchPatch(stage.patch(rows, {"status": np.full(rows.shape[0], "not_solved", dtype=object)}))
    return stage, ref, patch, rows


@pytest.fixture
def rounds(monkeypatch):
    """Per call of the restricted LP (robust._solve_columns): the number of reference columns it had."""
    sizes = []
    real = robust._solve_columns

    def counting(stage, ref, patch, i, own, point, columns, *rest):
        sizes.append(sum(c.size for c in columns))
        return real(stage, ref, patch, i, own, point, columns, *rest)

    monkeypatch.setattr(robust, "_solve_columns", counting)
    return sizes


def both_ways(stage, ref, patch, rows, i, start, monkeypatch):
    """DMU ``i`` on the full-column robust LP and on the restricted one from the positions ``start``."""
    full = robust.solve_robust(stage, ref, patch, i, i, rows[i])
    monkeypatch.setattr(settings, "ROBUST_FULL_COLUMNS", 0)
    restricted = robust.solve_robust(stage, ref, patch, i, i, rows[i], [np.asarray(start)] * len(stage.blocks))
    monkeypatch.setattr(settings, "ROBUST_FULL_COLUMNS", 10 ** 9)
    return full, restricted


def test_restricted_robust_lp_equals_the_full_one_and_the_exact_optimum_on_badly_scaled_sbm(monkeypatch, rounds):
    """VRS SBM with a bad output on data with 1e-8 placeholders and a row 1e6 times the rest: from the DMU's own
    column and one other, the restricted robust LP adds what prices in under exact duals, and every score equals the
    full-column robust LP's (1e-9) and the exact rational optimum (tests/exact_lp.py; cvxpy's interior point is
    off by up to 1 on these data)."""
    df = placeholder_data(30, seed=1)
    stage, ref, patch, rows = stage_lps(df, ["b0"], False, model="sbm", rts="vrs")
    problem = Problem(validate_frame(df, ["x0", "x1"], ["y"], ["b0"]), resolve_options("sbm", rts="vrs"))
    exact = exact_evaluate(problem)[1]
    grown = 0
    for i in range(len(df)):
        full, restricted = both_ways(stage, ref, patch, rows, i, [(i + 1) % len(df)], monkeypatch)
        grown += rounds[-1] > 2
        assert restricted[0] == full[0] == "optimal"
        assert abs(restricted[1] - full[1]) <= 1e-9 * max(1.0, abs(full[1])), i
        status, score = exact[i][stage.name]
        assert status == "optimal" and abs(restricted[1] - float(score)) <= 1e-9 * max(1.0, abs(float(score))), i
    assert grown >= len(df) // 4      # many LPs needed columns outside the start set


def test_restricted_robust_lp_proves_infeasible_super_efficiency_against_every_column(monkeypatch, rounds):
    """Input-oriented VRS radial super-efficiency (two reference blocks under weak disposability of the bad output):
    some LPs are infeasible. From one column the restricted LP is infeasible for DMUs whose full LP is not: the
    Farkas ray is checked against every reference column, the ones that break it join, and the statuses and scores
    equal the full-column robust LP's and cvxpy's."""
    df = pd.DataFrame(np.random.default_rng(4).lognormal(0, 1, size=(30, 4)), columns=["x0", "x1", "y", "b0"])
    stage, ref, patch, rows = stage_lps(df, ["b0"], True, model="radial", rts="vrs", orientation="input")
    assert len(stage.blocks) == 2
    X, Y, B = df[["x0", "x1"]].to_numpy(), df[["y"]].to_numpy(), df[["b0"]].to_numpy()
    farkas_added = []
    real = robust._Outside.breaking

    def recording(self, columns, levels):
        more = real(self, columns, levels)
        farkas_added.append(not levels[0][0] and more is not None)
        return more

    monkeypatch.setattr(robust._Outside, "breaking", recording)
    statuses = set()
    for i in range(len(df)):
        full, restricted = both_ways(stage, ref, patch, rows, i, [(i + 1) % len(df)], monkeypatch)
        assert restricted[0] == full[0], i
        statuses.add(full[0])
        status, score = ref_cvx.radial(X, Y, B, i, rts="vrs", super_eff=True)
        assert status == full[0], (i, status, full[0])
        if full[0] == "optimal":
            assert abs(restricted[1] - full[1]) <= 1e-9 * max(1.0, abs(full[1])), i
            assert abs(restricted[1] - score) <= 1e-6 * max(1.0, abs(score)), (i, restricted[1], score)
    assert statuses == {"optimal", "infeasible"}
    assert any(farkas_added)          # a restricted LP's ray was broken by a column outside it


def test_a_ray_of_a_restricted_lp_certifies_the_full_lp_only_if_no_column_breaks_it():
    """infeasible_certified checks a restricted model's ray against every reference column (in chunks, exactly): the
    ray of an LP over too few columns, a true Farkas certificate of that LP, is refused when a column outside it
    breaks it; the ray of the full LP of an infeasible DMU stands, as farkas_certified of the dense full LP says."""
    df = pd.DataFrame(np.random.default_rng(4).lognormal(0, 1, size=(30, 4)), columns=["x0", "x1", "y", "b0"])
    stage, ref, patch, rows = stage_lps(df, ["b0"], True, model="radial", rts="vrs", orientation="input")
    refused = stood = 0
    for i in range(len(df)):
        lp_full = robust.dmu_lp(stage, ref, patch, i, i)[0]
        few = [np.array([(i + 1) % len(df)]) for _ in stage.blocks]
        for lp in (lp_full, robust.dmu_lp(stage, ref, patch, i, i, few)[0]):
            status, _, _, certificate, _ = robust._solve_scaled(lp, np.ones(lp.A.shape[0]), np.ones(lp.A.shape[1]))
            if status != "infeasible":
                continue
            ray = certificate[0]
            verdict = robust.infeasible_certified(stage, ref, patch, i, i, ray)
            assert verdict == robust.farkas_certified(lp_full, ray), i
            refused += not verdict
            stood += verdict
    assert refused and stood


def test_a_robust_lp_above_the_threshold_never_holds_every_column(monkeypatch):
    """Above ROBUST_FULL_COLUMNS the robust LPs hold a restricted set of columns, below it every column."""
    df = placeholder_data(60, seed=2)
    stage, ref, patch, rows = stage_lps(df, ["b0"], False, model="sbm", rts="vrs")
    widths = []
    real = robust._solve_scaled
    monkeypatch.setattr(robust, "_solve_scaled", lambda lp, *a, **k: widths.append(lp.A.shape[1]) or real(lp, *a, **k))
    E = stage.n_extra_cols
    monkeypatch.setattr(settings, "ROBUST_FULL_COLUMNS", 59)
    for i in range(0, 60, 6):
        assert robust.solve_robust(stage, ref, patch, i, i, rows[i], [np.arange(3)])[0] == "optimal"
    assert max(widths) < E + 60
    widths.clear()
    monkeypatch.setattr(settings, "ROBUST_FULL_COLUMNS", 60)
    robust.solve_robust(stage, ref, patch, 0, 0, rows[0], [np.arange(3)])
    assert set(widths) == {E + 60}


@pytest.mark.parametrize("super_efficiency", [False, True])
def test_every_lp_through_the_restricted_robust_path_gives_the_exact_results(monkeypatch, super_efficiency):
    """End to end: with the certificate refusing every fast-path answer, each LP goes to the robust path from the
    restricted model's active columns and the stage plan's pricing candidates. Every LP is answered, its score equal
    to the full-column robust path's wherever that one answers (1e-9). On these data the full-column LP finds no
    certifiable basis for a few DMUs (NaN, "numerical_error"), where the restricted LP, small enough, is pivoted to
    its exact optimum (robust.exact_simplex): without super-efficiency, those and every thirtieth DMU are checked against
    the exact rational optimum of the full LP (tests/exact_lp.py)."""
    df = placeholder_data(120, seed=5)
    kwargs = dict(data=df, inputs=["x0", "x1"], outputs=["y"], bad_outputs=["b0"], model="sbm", rts="vrs",
                  super_efficiency=super_efficiency, method="restricted")
    monkeypatch.setattr(engine.restricted, "certified", lambda stage, ref, patch, rows, *a, **k: np.zeros(rows.size,
                                                                                                       dtype=bool))
    monkeypatch.setattr(engine.restricted, "accepted", lambda *a, **k: False)
    monkeypatch.setattr(engine.restricted, "infeasible_certified", lambda *a, **k: False)
    monkeypatch.setattr(settings, "ROBUST_FULL_COLUMNS", 0)
    restricted = fr.efficiency(**kwargs)
    monkeypatch.setattr(settings, "ROBUST_FULL_COLUMNS", 10 ** 9)
    full = fr.efficiency(**kwargs)
    got, full_scores = restricted.scores.to_numpy(), full.scores.to_numpy()
    assert (np.asarray(restricted.status) == "optimal").all()
    answered = np.isfinite(full_scores)
    assert answered.sum() >= 0.9 * answered.size
    assert np.allclose(got[answered], full_scores[answered], rtol=1e-9, atol=0.0)
    if not super_efficiency:
        stage, ref, patch, _ = stage_lps(df, ["b0"], False, model="sbm", rts="vrs")
        for i in sorted(set(np.flatnonzero(~answered)) | set(range(0, len(df), 30))):
            lp = robust.dmu_lp(stage, ref, patch, i, i)[0]
            status, value, _ = solve_bounded(lp.A, lp.cost, lp.col_lo, lp.col_up, lp.row_lo, lp.row_up)
            assert status == "optimal" and abs(got[i] - float(value)) <= 1e-9 * abs(float(value)), i
