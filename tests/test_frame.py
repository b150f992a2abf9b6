"""The frame pre-pass (frontier.frame): the extreme columns of a reference technology, checked against brute-force LPs
(every dropped column is in T of the frame, every frame column is outside T of the rest, and with layers=2 the set
spans T without any one column), and models priced over the frame equal the full-column LP."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr
from frontier import engine
from frontier.engine import reduction as frame_module
from frontier.engine.reduction import frame
from frontier.models.base import ReferenceBlock


def in_technology(P, equality, rts, point, cols) -> bool:
    """Brute force: is ``point`` in T(P[cols]) (P oriented: smaller is better in the disposable rows)?"""
    cols = list(cols)
    if not cols:    # T of no column: the disposal cone from the origin (CRS, NIRS), empty otherwise
        return rts in ("crs", "nirs") and bool(np.all(point[~equality] >= 0) and np.all(point[equality] == 0))
    Q = P[cols]
    A_ub, b_ub, A_eq, b_eq = [Q[:, ~equality].T], list(point[~equality]), [Q[:, equality].T], list(point[equality])
    ones = np.ones((1, len(cols)))
    if rts == "vrs":
        A_eq.append(ones); b_eq.append(1.0)
    elif rts == "nirs":
        A_ub.append(ones); b_ub.append(1.0)
    elif rts == "ndrs":
        A_ub.append(-ones); b_ub.append(-1.0)
    A_ub, A_eq = np.vstack(A_ub), np.vstack(A_eq)
    res = linprog(np.zeros(len(cols)), A_ub=A_ub if A_ub.size else None, b_ub=b_ub or None,
                  A_eq=A_eq if A_eq.size else None, b_eq=b_eq or None, bounds=(0, None), method="highs")
    return res.status == 0


def random_points(rng, n, kind):
    D = rng.lognormal(0.0, 0.6, (n, 4))
    if kind == "duplicates":
        D[rng.integers(0, n, 5)] = D[rng.integers(0, n, 5)]
    elif kind == "collinear":      # midpoints of pairs and points on one ray: on faces, not extreme
        for _ in range(4):
            a, b, c = rng.integers(0, n, 3)
            D[c] = 0.5 * (D[a] + D[b])
        D[:3] = D[3] * np.array([[0.5], [2.0], [3.0]])
    return D


SENSES = {"disposable": np.array([-1.0, -1.0, 1.0, -1.0]), "equality": np.array([-1.0, -1.0, 1.0, 0.0])}


@pytest.mark.parametrize("rows", list(SENSES))
@pytest.mark.parametrize("kind", ["random", "duplicates", "collinear"])
def test_frame_against_brute_force(rows, kind):
    rng = np.random.default_rng(abs(hash((rows, kind))) % 2**32)
    sense = SENSES[rows]
    equality = sense == 0
    for trial in range(2):
        D = random_points(rng, int(rng.integers(8, 14)), kind)
        P = np.where(equality, 1.0, -sense) * D
        for rts in ("crs", "vrs", "nirs", "ndrs"):
            F = frame(D, ReferenceBlock(np.ones(4, dtype=bool), sense, rts != "crs"), rts)
            assert np.all(np.diff(F) > 0)
            for j in range(len(D)):
                if j in F:
                    assert not in_technology(P, equality, rts, P[j], [f for f in F if f != j]), (rts, j, "needed")
                else:
                    assert in_technology(P, equality, rts, P[j], F), (rts, j, "represented")


@pytest.mark.parametrize("rows", list(SENSES))
@pytest.mark.parametrize("kind", ["random", "duplicates", "collinear"])
def test_divide_and_conquer_finds_the_same_frame(monkeypatch, rows, kind):
    """Parts of PART_SIZE candidates, their frames' union, one last pass (repeated while the union shrinks): the
    same frame as one pass over every candidate, for every returns-to-scale set, with duplicates and points on faces
    (under CRS, of columns on one ray either may stand for it), and exact against brute force."""
    rng = np.random.default_rng(abs(hash(("split", rows, kind))) % 2**32)
    sense = SENSES[rows]
    equality = sense == 0
    P_of = lambda D: np.where(equality, 1.0, -sense) * D   # noqa: E731 (the brute force's orientation)
    D = random_points(rng, 90, kind)
    part_size = engine.settings.PART_SIZE
    for rts in ("crs", "vrs", "nirs", "ndrs"):
        block = ReferenceBlock(np.ones(4, dtype=bool), sense, rts != "crs")
        one_pass = frame(D, block, rts)
        monkeypatch.setattr(engine.settings, "PART_SIZE", 7)
        parts = frame(D, block, rts)
        monkeypatch.setattr(engine.settings, "PART_SIZE", part_size)
        if rts == "crs":    # columns on one ray span the same ray: which one stands for it may differ
            assert parts.size == one_pass.size
        else:
            np.testing.assert_array_equal(parts, one_pass)
        P = P_of(D)
        for j in range(len(D)):
            assert (j in parts) != in_technology(P, equality, rts, P[j], [f for f in parts if f != j]), (rts, j)
    assert [p.tolist() for p in frame_module.split(np.arange(10) * 3)] == [list(range(0, 30, 3))]
    monkeypatch.setattr(engine.settings, "PART_SIZE", 4)
    assert [p.tolist() for p in frame_module.split(np.arange(10))] == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]


@pytest.mark.parametrize("rts", ["crs", "vrs", "nirs", "ndrs"])
def test_super_efficiency_layer_spans_the_technology_without_any_one_column(rts):
    rng = np.random.default_rng(7)
    sense = SENSES["disposable"]
    D = random_points(rng, 14, "duplicates")
    P = -sense * D
    block = ReferenceBlock(np.ones(4, dtype=bool), sense, rts != "crs")
    F, S = frame(D, block, rts), frame(D, block, rts, layers=2)
    assert set(F) <= set(S) and len(S) < len(D)
    for k in range(len(D)):
        rest = [s for s in S if s != k]
        for j in set(range(len(D))) - set(rest) - {k}:
            assert in_technology(P, np.zeros(4, dtype=bool), rts, P[j], rest), (k, j)


def test_frame_rejects_bad_arguments():
    block = ReferenceBlock(np.ones(2, dtype=bool), np.array([-1.0, 1.0]), True)
    with pytest.raises(ValueError, match="rts"):
        frame(np.ones((3, 2)), block, "grs")
    with pytest.raises(ValueError, match="layers"):
        frame(np.ones((3, 2)), block, "vrs", layers=3)


# ----------------------------------------------------------------------------------------------------
# models priced over the frame = the full-column LP
# ----------------------------------------------------------------------------------------------------

def firms(n, seed):
    """Random firm data (three inputs driven by size, Cobb-Douglas output, bad outputs with energy)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 1.0, n)
    X = size[:, None] ** [1.0, 0.9, 1.1] * rng.lognormal(0.0, 0.3, (n, 3)) * [100, 50, 20]
    Y = X[:, 0] ** 0.35 * X[:, 1] ** 0.45 * X[:, 2] ** 0.2 * np.exp(-np.abs(rng.normal(0, 0.3, n)))
    B = X[:, 2:] * rng.lognormal(0.0, 0.4, (n, 2)) * 0.05
    return pd.DataFrame(np.column_stack([X, Y, B]), columns=["K", "L", "E", "Y", "SO2", "COD"])


def hard_firms(n, seed):
    """The hard frontier of benchmarks/bench_frame.py: wide, partly independent spreads (15-20 % efficient)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 1.0, n)
    X = size[:, None] ** [1.0, 0.9, 1.1] * rng.lognormal(0.0, 0.7, (n, 3)) * [100, 50, 20]
    Y = 2.0 * X[:, 0] ** 0.35 * X[:, 1] ** 0.45 * X[:, 2] ** 0.2 * np.exp(-np.abs(rng.normal(0, 0.15, n)))
    B = size[:, None] * rng.lognormal(0.0, 0.9, (n, 2)) * [1.0, 0.4]
    return pd.DataFrame(np.column_stack([X, Y, B]), columns=["K", "L", "E", "Y", "SO2", "COD"])


MODELS = {
    "radial-input-vrs": dict(model="radial", rts="vrs", orientation="input", bad_disposability="strong"),
    "radial-weak-vrs": dict(model="radial", rts="vrs", bad_disposability="weak"),
    "sbm-vrs": dict(model="sbm", rts="vrs"),
    "super-sbm-vrs": dict(model="sbm", rts="vrs", super_efficiency=True),
    "ddf-crs": dict(model="ddf", rts="crs", bad_disposability="strong"),
}


@pytest.fixture
def frame_always(monkeypatch):
    """Force the frame pre-pass at any size and count its calls."""
    monkeypatch.setattr(engine.settings, "FRAME_MIN_EVALUATED", 0)
    monkeypatch.setattr(engine.settings, "FRAME_MIN_CANDIDATES", 0)
    calls = []
    original = frame_module.frame

    def spy(ref_data, block, rts="vrs", candidates=None, layers=1):
        out = original(ref_data, block, rts, candidates, layers)
        calls.append((len(candidates), len(out)))
        return out

    monkeypatch.setattr(frame_module, "frame", spy)
    frame_module._CACHE.clear()
    return calls


@pytest.mark.parametrize("data", ["random", "hard"])
@pytest.mark.parametrize("name", list(MODELS))
def test_models_over_the_frame_equal_the_full_lp(frame_always, data, name):
    df = firms(70, 3) if data == "random" else hard_firms(70, 4)
    kw = MODELS[name]
    args = (df, ["K", "L", "E"], ["Y"], ["SO2", "COD"])
    full = fr.efficiency(*args, method="full", **kw)
    framed = fr.efficiency(*args, method="restricted", **kw)      # column generation over the frame
    assert frame_always and any(kept < candidates for candidates, kept in frame_always), "the frame must narrow"
    np.testing.assert_array_equal(full.status.to_numpy(), framed.status.to_numpy())
    np.testing.assert_allclose(framed.scores, full.scores, rtol=0, atol=1e-8, equal_nan=True)
    # slacks and targets in units of each variable's mean (the LP's own scale: a slack of 1e-7 on values near 300
    # is the solver's tolerance in any path, the dominance screen's included); the slacks objective likewise
    unit = df.mean().to_numpy()
    for a, b in ((full.slacks, framed.slacks), (full.targets, framed.targets)):
        np.testing.assert_allclose(b.to_numpy(dtype=float) / unit, a.to_numpy(dtype=float) / unit, rtol=0,
                                   atol=1e-8, equal_nan=True)
    np.testing.assert_allclose((framed.slacks.to_numpy(dtype=float) / unit).sum(axis=1),
                               (full.slacks.to_numpy(dtype=float) / unit).sum(axis=1), rtol=0, atol=1e-8,
                               equal_nan=True)


def test_infeasible_statuses_unchanged_over_the_frame(frame_always):
    """Super-efficiency under VRS (the largest output's LP is infeasible) and cross-reference evaluation (DMUs
    outside the reference technology): the same statuses and scores as the full LP."""
    df = firms(80, 5)
    args = (df, ["K", "L", "E"], ["Y"])
    kw = dict(model="radial", rts="vrs", super_efficiency=True)
    full, framed = fr.efficiency(*args, method="full", **kw), fr.efficiency(*args, method="restricted", **kw)
    assert (full.status == "infeasible").sum() >= 1
    np.testing.assert_array_equal(full.status.to_numpy(), framed.status.to_numpy())
    np.testing.assert_allclose(framed.scores, full.scores, rtol=1e-8, atol=1e-8, equal_nan=True)
    reference = list(df.sort_values("Y").index[:60])
    kw = dict(model="radial", rts="vrs", orientation="input", reference=reference)
    full, framed = fr.efficiency(*args, method="full", **kw), fr.efficiency(*args, method="restricted", **kw)
    assert (full.status == "infeasible").sum() >= 5
    np.testing.assert_array_equal(full.status.to_numpy(), framed.status.to_numpy())
    np.testing.assert_allclose(framed.scores, full.scores, rtol=1e-8, atol=1e-8, equal_nan=True)


def test_pricing_set_uses_the_frame_only_when_it_pays(monkeypatch):
    df = hard_firms(300, 6)
    M = df.to_numpy() / df.to_numpy().mean(axis=0)
    block = ReferenceBlock(np.ones(6, dtype=bool), np.array([-1.0, -1, -1, 1, -1, -1]), True)
    screened = engine.pricing.pricing_set(M, block, 1)          # 300 DMUs: below the threshold, the dominance screen
    assert screened.size == engine.reduction.dominance_screen(-M * block.sense, 1).size
    monkeypatch.setattr(engine.settings, "FRAME_MIN_CANDIDATES", 100)
    framed = engine.pricing.pricing_set(M, block, 1, n_evaluated=engine.settings.FRAME_MIN_EVALUATED)
    assert set(framed) < set(screened)
    # a super-efficiency stage prices over the two-layer dominance screen, never a two-layer frame
    assert engine.pricing.pricing_set(M, block, 2, n_evaluated=10 * engine.settings.FRAME_MIN_EVALUATED).size == \
        engine.reduction.dominance_screen(-M * block.sense, 2).size


def test_a_large_frame_skips_the_clean_up_pass_and_stays_exact(frame_always, monkeypatch):
    """Above CLEANUP_MAX members the final pass (drop members the others represent) is skipped: the frame is then a
    superset of the minimal one, and the models over it still equal the full LP."""
    df = hard_firms(90, 8)
    M = df.to_numpy() / df.to_numpy().mean(axis=0)
    block = ReferenceBlock(np.ones(6, dtype=bool), np.array([-1.0, -1, -1, 1, -1, -1]), True)
    everyone = np.arange(M.shape[0])
    minimal = frame_module.frame(M, block, "vrs", everyone)
    monkeypatch.setattr(engine.settings, "CLEANUP_MAX", 0)
    assert set(minimal) <= set(frame_module.frame(M, block, "vrs", everyone))
    args = (df, ["K", "L", "E"], ["Y"], ["SO2", "COD"])
    full = fr.efficiency(*args, model="sbm", rts="vrs", method="full")
    framed = fr.efficiency(*args, model="sbm", rts="vrs", method="restricted")
    np.testing.assert_allclose(framed.scores, full.scores, rtol=0, atol=1e-8, equal_nan=True)
