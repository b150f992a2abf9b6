"""frontier.efficiency against independent cvxpy formulations (tests/reference_cvxpy.py).

Every model x returns to scale x orientation / disposability / direction combination that matters is scored
on seeded random data of several shapes, DMU by DMU, by both; scores must agree to ~1e-6 and LP statuses
(optimal / infeasible) must be the same. The product of options is representative rather than exhaustive so
the file stays well under a minute.
"""
from __future__ import annotations

import functools
import itertools
import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

TOL = 1e-6


# ----------------------------------------------------------------------------------------------------
# data
# ----------------------------------------------------------------------------------------------------

SHAPES = {               # seed, n, m, s1, s2
    "A": (11, 25, 2, 1, 1),
    "B": (12, 26, 3, 2, 0),
    "C": (13, 28, 2, 2, 2),
    "D": (14, 32, 3, 1, 2),
}


@functools.lru_cache(maxsize=None)
def dataset(name):
    """Strictly positive data with a production structure (outputs and bads grow with inputs) and noise.

    Shape C contains an exact duplicate of an efficient-looking DMU (ties in super-efficiency)."""
    seed, n, m, s1, s2 = SHAPES[name]
    rng = np.random.default_rng(seed)
    X = rng.uniform(1.0, 10.0, (n, m))
    core = np.prod(X, axis=1) ** (0.8 / m)
    Y = core[:, None] * rng.uniform(0.4, 1.0, (n, s1)) * rng.uniform(0.5, 2.0, s1)
    B = core[:, None] * rng.uniform(0.3, 1.2, (n, s2)) * rng.uniform(0.5, 2.0, s2)
    if name == "C":
        best = int(np.argmax(Y.sum(axis=1) / X.sum(axis=1)))
        X[-1], Y[-1], B[-1] = X[best], Y[best], B[best]
    return X, Y, B


def frame(name):
    X, Y, B = dataset(name)
    inputs = [f"x{i}" for i in range(X.shape[1])]
    outputs = [f"y{i}" for i in range(Y.shape[1])]
    bads = [f"b{i}" for i in range(B.shape[1])]
    df = pd.DataFrame(np.hstack([X, Y, B]), columns=inputs + outputs + bads,
                      index=[f"dmu{j:02d}" for j in range(X.shape[0])])
    return df, inputs, outputs, bads


def check(name, kwargs, reference, evaluate=None):
    """Run frontier on data set ``name`` and compare each DMU with ``reference(X, Y, B, o)``."""
    df, inputs, outputs, bads = frame(name)
    X, Y, B = dataset(name)
    res = fr.efficiency(df, inputs, outputs, bads or None, **kwargs)
    rows = range(len(df)) if evaluate is None else evaluate
    expected = [reference(X, Y, B, o) for o in rows]
    exp_status = np.array([s for s, _ in expected], dtype=object)
    exp_score = np.array([v for _, v in expected], dtype=float)
    got_status = res.status.to_numpy()[list(rows)]
    got_score = res.scores.to_numpy()[list(rows)]
    np.testing.assert_array_equal(got_status, exp_status, err_msg=f"{name} {kwargs}: LP statuses differ")
    ok = exp_status == "optimal"
    assert np.all(np.isnan(got_score[~ok])), "non-optimal LPs must give NaN"
    err = np.abs(got_score[ok] - exp_score[ok]) / np.maximum(1.0, np.abs(exp_score[ok]))
    worst = int(np.argmax(err)) if err.size else 0
    assert err.size == 0 or err.max() < TOL, (
        f"{name} {kwargs}: max rel. error {err.max():.2e} at DMU {np.flatnonzero(ok)[worst]} "
        f"(frontier {got_score[ok][worst]!r}, cvxpy {exp_score[ok][worst]!r})")
    return res, exp_status


# ----------------------------------------------------------------------------------------------------
# radial (§2.2): rts x orientation x disposability x super-efficiency
# ----------------------------------------------------------------------------------------------------

RADIAL = [
    (shape, rts, orient, disp, sup)
    for (rts, orient, disp, sup) in itertools.product(("crs", "vrs"), ("input", "output"), ("weak", "strong"),
                                                       (False, True))
    for shape in (["A"] if disp == "weak" else ["C"])
] + [
    ("A" if disp == "weak" else "C", rts, orient, disp, sup)
    for (rts, orient, sup), disp in zip(itertools.product(("nirs", "ndrs"), ("input", "output"), (False, True)),
                                        itertools.cycle(("weak", "strong", "strong", "weak")))
] + [
    ("B", "crs", "input", "weak", False), ("B", "vrs", "output", "weak", True),
    ("D", "vrs", "input", "weak", False), ("D", "vrs", "output", "weak", True),
]


@pytest.mark.parametrize("shape,rts,orientation,disp,sup", RADIAL)
def test_radial(shape, rts, orientation, disp, sup):
    check(shape, dict(model="radial", rts=rts, orientation=orientation, bad_disposability=disp,
                      super_efficiency=sup),
          lambda X, Y, B, o: ref.radial(X, Y, B, o, rts=rts, orientation=orientation, disposability=disp,
                                        super_eff=sup))


def test_radial_super_has_infeasible_cases_and_scores_above_one():
    """The VRS input AP model must produce both infeasible LPs and super-efficient scores > 1 here."""
    res, status = check("A", dict(model="radial", rts="vrs", orientation="input", bad_disposability="strong",
                                  super_efficiency=True),
                        lambda X, Y, B, o: ref.radial(X, Y, B, o, rts="vrs", disposability="strong",
                                                      super_eff=True))
    assert (status == "infeasible").any()
    assert (res.scores > 1 + 1e-6).any()


# ----------------------------------------------------------------------------------------------------
# SBM (§2.4) and hybrid super-SBM (§2.5)
# ----------------------------------------------------------------------------------------------------

SBM = [
    (shape, rts, orient, sup)
    for (rts, orient, sup) in itertools.product(("crs", "vrs"), ("nonoriented", "input", "output"), (False, True))
    for shape in (["A"] if orient == "nonoriented" else ["C"])
] + [  # the hybrid score runs the SBM stage too, so nirs / ndrs are covered through it
    (shape, rts, orient, True)
    for (rts, orient) in itertools.product(("nirs", "ndrs"), ("nonoriented", "input", "output"))
    for shape in (["A"] if orient == "nonoriented" else ["C"])
] + [("B", "vrs", "nonoriented", True), ("D", "crs", "nonoriented", True), ("D", "vrs", "output", True)]


@pytest.mark.parametrize("shape,rts,orientation,sup", SBM)
def test_sbm(shape, rts, orientation, sup):
    fn = ref.hybrid_super_sbm if sup else ref.sbm
    res, _ = check(shape, dict(model="sbm", rts=rts, orientation=orientation, super_efficiency=sup),
                   lambda X, Y, B, o: fn(X, Y, B, o, rts=rts, orientation=orientation))
    if sup:
        assert (res.scores > 1 + 1e-6).any(), "some DMU should be strictly super-efficient"


@pytest.mark.parametrize("rts,orientation", [("vrs", "nonoriented"), ("crs", "output")])
def test_sbm_weights(rts, orientation):
    df, inputs, outputs, bads = frame("C")
    raw = {c: w for c, w in zip(inputs + outputs + bads, (1.0, 3.0, 2.0, 0.5, 1.0, 4.0))}
    w = np.array([raw[c] for c in inputs + outputs + bads])
    check("C", dict(model="sbm", rts=rts, orientation=orientation, weights=raw, super_efficiency=True),
          lambda X, Y, B, o: ref.hybrid_super_sbm(X, Y, B, o, rts=rts, orientation=orientation, weights=w))


# ----------------------------------------------------------------------------------------------------
# radial DDF (§2.3): rts x disposability x direction x super-efficiency
# ----------------------------------------------------------------------------------------------------

DDF = [
    ("A", rts, disp, direction, sup)
    for (rts, disp, direction, sup) in itertools.product(("crs", "vrs"), ("weak", "strong", "apz"),
                                                         ("observed", "output"), (False, True))
] + [
    ("A", "crs", "strong", "mean", True), ("A", "vrs", "weak", "mean", False),
    ("C", "crs", "weak", "input", True), ("C", "vrs", "weak", "ones", False), ("C", "vrs", "apz", "input", True),
    ("C", "nirs", "weak", "observed", False), ("C", "ndrs", "strong", "output", True),
    ("B", "vrs", "weak", "observed", True), ("D", "vrs", "apz", "observed", False),
]


@pytest.mark.parametrize("shape,rts,disp,direction,sup", DDF)
def test_ddf(shape, rts, disp, direction, sup):
    G = ref.direction(direction, *dataset(shape))
    res, _ = check(shape, dict(model="ddf", rts=rts, bad_disposability=disp, direction=direction,
                               super_efficiency=sup),
                   lambda X, Y, B, o: ref.ddf(X, Y, B, o, G[o], rts=rts, disposability=disp, super_eff=sup))
    if sup:
        assert (res.scores < -1e-6).any(), "super-DDF should give some efficient DMU a negative score"


def test_ddf_custom_direction_frame():
    df, inputs, outputs, bads = frame("C")
    rng = np.random.default_rng(5)
    G = pd.DataFrame(rng.uniform(0.5, 2.0, (len(df), len(df.columns))), index=df.index, columns=df.columns)
    G.iloc[:, 0] = 0.0                      # no input credit on the first input
    Gm = G.to_numpy()
    check("C", dict(model="ddf", rts="vrs", bad_disposability="weak", direction=G.iloc[::-1]),
          lambda X, Y, B, o: ref.ddf(X, Y, B, o, Gm[o], rts="vrs", disposability="weak"))
    check("C", dict(model="nddf", rts="crs", bad_disposability="apz", direction=G),
          lambda X, Y, B, o: ref.nddf(X, Y, B, o, Gm[o], rts="crs", disposability="apz"))


# ----------------------------------------------------------------------------------------------------
# non-radial DDF (§2.3)
# ----------------------------------------------------------------------------------------------------

NDDF = [
    ("A", rts, disp, direction)
    for (rts, disp, direction) in itertools.product(("crs", "vrs"), ("weak", "strong", "apz"),
                                                    ("observed", "output"))
] + [("A", "crs", "weak", "ones"), ("A", "vrs", "apz", "ones"), ("C", "nirs", "weak", "mean"),
     ("C", "ndrs", "apz", "input"), ("B", "vrs", "weak", "observed")]


@pytest.mark.parametrize("shape,rts,disp,direction", NDDF)
def test_nddf(shape, rts, disp, direction):
    G = ref.direction(direction, *dataset(shape))
    check(shape, dict(model="nddf", rts=rts, bad_disposability=disp, direction=direction),
          lambda X, Y, B, o: ref.nddf(X, Y, B, o, G[o], rts=rts, disposability=disp))


def test_nddf_raw_weights():
    df, inputs, outputs, bads = frame("C")
    raw = dict(zip(inputs + outputs + bads, (0.5, 0.0, 1.0, 2.0, 1.0, 0.25)))
    w = np.array([raw[c] for c in inputs + outputs + bads])
    G = ref.direction("observed", *dataset("C"))
    check("C", dict(model="nddf", rts="vrs", bad_disposability="weak", weights=raw),
          lambda X, Y, B, o: ref.nddf(X, Y, B, o, G[o], rts="vrs", disposability="weak", weights=w))


# ----------------------------------------------------------------------------------------------------
# SBM-DDF (§2.6)
# ----------------------------------------------------------------------------------------------------

SBM_DDF = [
    (shape, rts, direction)
    for (rts, direction) in itertools.product(("crs", "vrs", "nirs", "ndrs"), ("observed", "output", "mean"))
    for shape in (["A"] if direction == "observed" else ["C"])
] + [("B", "vrs", "ones"), ("D", "crs", "input")]


@pytest.mark.parametrize("shape,rts,direction", SBM_DDF)
def test_sbm_ddf(shape, rts, direction):
    G = ref.direction(direction, *dataset(shape))
    check(shape, dict(model="sbm_ddf", rts=rts, direction=direction),
          lambda X, Y, B, o: ref.sbm_ddf(X, Y, B, o, G[o], rts=rts))


def test_sbm_ddf_custom_weights():
    df, inputs, outputs, bads = frame("D")
    raw = dict(zip(inputs + outputs + bads, (0.1, 0.2, 0.2, 0.3, 0.1, 0.1)))
    w = np.array([raw[c] for c in inputs + outputs + bads])
    G = ref.direction("observed", *dataset("D"))
    check("D", dict(model="sbm_ddf", rts="vrs", weights=raw),
          lambda X, Y, B, o: ref.sbm_ddf(X, Y, B, o, G[o], rts="vrs", weights=w))


# ----------------------------------------------------------------------------------------------------
# cross-reference evaluation: reference= subsets and period technologies
# ----------------------------------------------------------------------------------------------------

def _subset(name, frac=0.5, seed=3):
    n = dataset(name)[0].shape[0]
    rng = np.random.default_rng(seed)
    return np.sort(rng.choice(n, int(frac * n), replace=False))


CROSS = [
    ("radial-vrs-input", dict(model="radial", rts="vrs", orientation="input", bad_disposability="strong"),
     lambda X, Y, B, o, R: ref.radial(X, Y, B, o, rts="vrs", orientation="input", disposability="strong", ref=R)),
    ("radial-vrs-weak-output", dict(model="radial", rts="vrs", orientation="output"),
     lambda X, Y, B, o, R: ref.radial(X, Y, B, o, rts="vrs", orientation="output", ref=R)),
    ("sbm-hybrid-vrs", dict(model="sbm", rts="vrs", super_efficiency=True),
     lambda X, Y, B, o, R: ref.hybrid_super_sbm(X, Y, B, o, rts="vrs", ref=R)),
    ("sbm-crs", dict(model="sbm", rts="crs"),
     lambda X, Y, B, o, R: ref.sbm(X, Y, B, o, rts="crs", ref=R)),
    ("ddf-vrs-weak", dict(model="ddf", rts="vrs", bad_disposability="weak"),
     lambda X, Y, B, o, R: ref.ddf(X, Y, B, o, np.hstack([X, Y, B])[o], rts="vrs", disposability="weak", ref=R)),
    ("ddf-crs-apz-super", dict(model="ddf", rts="crs", bad_disposability="apz", super_efficiency=True),
     lambda X, Y, B, o, R: ref.ddf(X, Y, B, o, np.hstack([X, Y, B])[o], rts="crs", disposability="apz",
                                   super_eff=True, ref=R)),
    ("sbm_ddf-vrs", dict(model="sbm_ddf", rts="vrs"),
     lambda X, Y, B, o, R: ref.sbm_ddf(X, Y, B, o, np.hstack([X, Y, B])[o], rts="vrs", ref=R)),
]


@pytest.mark.parametrize("label,kwargs,fn", CROSS, ids=[c[0] for c in CROSS])
def test_reference_subset(label, kwargs, fn):
    R = _subset("A")
    df = frame("A")[0]
    check("A", dict(kwargs, reference=list(df.index[R])), lambda X, Y, B, o: fn(X, Y, B, o, R))


PERIODS = 4


def _periods(name):
    n = dataset(name)[0].shape[0]
    return np.arange(n) % PERIODS


def _period_reference(periods, o, technology):
    t = periods[o]
    keep = {"contemporaneous": periods == t, "sequential": periods <= t, "global": np.ones_like(periods, bool),
            "window": np.abs(periods - t) <= 1}[technology]
    return np.flatnonzero(keep)


PERIOD_CASES = [
    ("radial", "sequential", dict(model="radial", rts="vrs", orientation="input", super_efficiency=True),
     lambda X, Y, B, o, R: ref.radial(X, Y, B, o, rts="vrs", super_eff=True, ref=R)),
    ("sbm", "sequential", dict(model="sbm", rts="vrs", super_efficiency=True),
     lambda X, Y, B, o, R: ref.hybrid_super_sbm(X, Y, B, o, rts="vrs", ref=R)),
    ("ddf", "window", dict(model="ddf", rts="crs", bad_disposability="weak"),
     lambda X, Y, B, o, R: ref.ddf(X, Y, B, o, np.hstack([X, Y, B])[o], rts="crs", ref=R)),
    ("sbm_ddf", "global", dict(model="sbm_ddf", rts="vrs"),
     lambda X, Y, B, o, R: ref.sbm_ddf(X, Y, B, o, np.hstack([X, Y, B])[o], rts="vrs", ref=R)),
    ("nddf", "contemporaneous", dict(model="nddf", rts="vrs", bad_disposability="strong"),
     lambda X, Y, B, o, R: ref.nddf(X, Y, B, o, np.hstack([X, Y, B])[o], rts="vrs", disposability="strong",
                                    ref=R)),
]


@pytest.mark.parametrize("label,technology,kwargs,fn", PERIOD_CASES, ids=[c[0] for c in PERIOD_CASES])
def test_period_technologies(label, technology, kwargs, fn):
    name = "D"
    periods = _periods(name)
    df, inputs, outputs, bads = frame(name)
    X, Y, B = dataset(name)
    df = df.assign(year=2000 + periods)
    extra = dict(window=1) if technology == "window" else {}
    res = fr.efficiency(df, inputs, outputs, bads, period="year", technology=technology, **kwargs, **extra)
    expected = [fn(X, Y, B, o, _period_reference(periods, o, technology)) for o in range(len(df))]
    np.testing.assert_array_equal(res.status.to_numpy(), np.array([s for s, _ in expected], dtype=object))
    exp = np.array([v for _, v in expected])
    np.testing.assert_allclose(res.scores.to_numpy(), exp, rtol=TOL, atol=TOL, equal_nan=True)
