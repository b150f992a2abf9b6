"""Non-discretionary (fixed) variables and assurance regions (issue 30, item 7): ``fixed_inputs=``,
``fixed_outputs=`` (radial, SBM, DDF, NDDF, SBM-DDF) and ``weight_bounds=`` (radial; SBM and ``weight_cone=`` in
tests/test_weight_restrictions.py), against independent cvxpy formulations written from the mathematics
(tests/reference_cvxpy.py) on random and badly scaled data, their properties, and the options reaching every
analysis and the command line."""
from __future__ import annotations

import json
import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

TOL = 1e-6
INPUTS, OUTPUTS = ["K", "L", "E"], ["Y1", "Y2"]
RADIAL = {"model": "radial"}       # efficiency()'s default model is SBM


def make_data(seed: int, badly_scaled: bool) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    M = rng.uniform(1.0, 10.0, (18, 5))
    if badly_scaled:
        M *= np.array([1e-4, 1.0, 1e6, 1e3, 1e-3])
    return pd.DataFrame(M, columns=INPUTS + OUTPUTS)


DATA = {"random": make_data(3, False), "badly_scaled": make_data(4, True)}


@pytest.fixture(autouse=True)
def simplex_for_badly_scaled(request, monkeypatch):
    """On the badly scaled data (columns 1e-4 .. 1e6) the interior-point reference is inaccurate (SBM 0.81 for a
    DMU that is efficient, as its unit invariance shows on the same data rescaled): the reference LPs are solved
    by simplex there (HiGHS through cvxpy, on the cvxpy formulation)."""
    if "badly_scaled" in request.node.name:
        monkeypatch.setattr(ref, "SOLVER", "HIGHS")
        monkeypatch.setattr(ref, "SOLVER_OPTS", {})


def arrays(df):
    return df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()


def close(engine, reference, tol=TOL):
    engine, reference = np.asarray(engine, float), np.asarray(reference, float)
    assert np.allclose(engine, reference, rtol=tol, atol=tol), np.c_[engine, reference]


# ----------------------------------------------------------------------------------------------------
# against cvxpy
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation, fixed", [("input", {"fixed_inputs": ["E"]}),
                                                ("input", {"fixed_inputs": ["K", "E"], "fixed_outputs": ["Y2"]}),
                                                ("output", {"fixed_outputs": ["Y1"]}),
                                                ("output", {"fixed_inputs": ["L"], "fixed_outputs": ["Y2"]})])
def test_radial_fixed_matches_cvxpy(data, rts, orientation, fixed):
    df = DATA[data]
    X, Y = arrays(df)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="radial", rts=rts, orientation=orientation, **fixed)
    fi = [INPUTS.index(c) for c in fixed.get("fixed_inputs", [])]
    fo = [OUTPUTS.index(c) for c in fixed.get("fixed_outputs", [])]
    expected = [ref.radial_fixed(X, Y, o, rts=rts, orientation=orientation, fixed_inputs=fi, fixed_outputs=fo)[1]
                for o in range(len(df))]
    close(res.scores, expected)
    assert (res.status == "optimal").all()
    # the max-slack stage leaves the fixed variables' slacks out, and every reported slack is >= 0
    assert (res.slacks.to_numpy() >= -1e-9 * np.abs(df[INPUTS + OUTPUTS].to_numpy())).all()


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["nonoriented", "input", "output"])
def test_sbm_fixed_matches_cvxpy(data, rts, orientation):
    df = DATA[data]
    X, Y = arrays(df)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", rts=rts, orientation=orientation,
                        fixed_inputs=["E"], fixed_outputs=["Y2"])
    expected = [ref.sbm_fixed(X, Y, o, rts=rts, orientation=orientation, fixed_inputs=[2], fixed_outputs=[1])[1]
                for o in range(len(df))]
    close(res.scores, expected)


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("model", ["sbm", "sbm_ddf"])
def test_zeros_in_a_fixed_variable_are_allowed(rts, model):
    """A fixed variable's term leaves the ratio, so its zeros are not refused (they used to be: "divides by it"),
    and nothing is divided by them: SBM's scores equal cvxpy's, and no score is NaN."""
    df = DATA["random"].copy()
    df.loc[[2, 9], "E"] = 0.0
    X, Y = arrays(df)
    res = fr.efficiency(df, INPUTS, OUTPUTS, model=model, rts=rts, fixed_inputs=["E"])
    assert (res.status == "optimal").all() and res.scores.notna().all()
    if model == "sbm":
        close(res.scores, [ref.sbm_fixed(X, Y, o, rts=rts, orientation="nonoriented", fixed_inputs=[2],
                                         fixed_outputs=[])[1] for o in range(len(df))])
    with pytest.raises(ValueError, match="'E' has zero values in rows \\[2, 9\\]"):
        fr.efficiency(df, INPUTS, OUTPUTS, model=model, rts=rts)


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("model", ["ddf", "nddf", "sbm_ddf"])
@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_directional_fixed_is_a_zero_direction(data, model, rts):
    """Banker-Morey in a directional model: the fixed variables' direction components are 0."""
    df = DATA[data]
    X, Y = arrays(df)
    B = np.zeros((len(df), 0))
    res = fr.efficiency(df, INPUTS, OUTPUTS, model=model, rts=rts, fixed_inputs=["K"], fixed_outputs=["Y1"])
    G = np.hstack([X, Y])
    G[:, [0, 3]] = 0.0
    solve = {"ddf": ref.ddf, "nddf": ref.nddf, "sbm_ddf": ref.sbm_ddf}[model]
    kw = {} if model == "sbm_ddf" else {"disposability": "strong"}
    expected = [solve(X, Y, B, o, G[o], rts=rts, **kw)[1] for o in range(len(df))]
    close(res.scores, expected)


def test_super_sbm_holds_a_fixed_variable():
    """Super-SBM: a fixed input is not raised for an efficient DMU (its slack column is held at 0), so a DMU that
    cannot be enveloped without more of it has no feasible point: NaN with status 'infeasible', never a number."""
    df = DATA["random"]
    free = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", super_efficiency=True)
    fixed = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", super_efficiency=True, fixed_inputs=["E"])
    targets = fixed.targets["E"].to_numpy()
    ok = (fixed.status == "optimal").to_numpy()
    assert np.all(targets[ok] <= df["E"].to_numpy()[ok] * (1 + 1e-9))
    assert fixed.scores[~ok].isna().all() and set(fixed.status[~ok]) <= {"infeasible"}
    efficient = (free.scores >= 1).to_numpy() & ok
    assert efficient.any() and (fixed.scores[efficient] >= 1 - 1e-9).all()


# ----------------------------------------------------------------------------------------------------
# properties of fixed variables
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_fixing_sits_between_keeping_and_dropping(rts):
    """Input orientation: fixing E relaxes its row from theta x_E0 to x_E0, so theta can only fall (more room to
    contract the other inputs), but no lower than with E left out of the model:
    theta(E dropped) <= theta(E fixed) <= theta(E discretionary). Output orientation: phi alike, reversed."""
    df = DATA["random"]
    kept = fr.efficiency(df, INPUTS, OUTPUTS, rts=rts, **RADIAL).scores
    fixed = fr.efficiency(df, INPUTS, OUTPUTS, rts=rts, fixed_inputs=["E"], **RADIAL).scores
    dropped = fr.efficiency(df, ["K", "L"], OUTPUTS, rts=rts, **RADIAL).scores
    assert (dropped <= fixed + 1e-9).all() and (fixed <= kept + 1e-9).all()
    assert (fixed < kept - 1e-6).any()          # the option does something on these data
    kept = fr.efficiency(df, INPUTS, OUTPUTS, rts=rts, orientation="output", **RADIAL).scores
    fixed = fr.efficiency(df, INPUTS, OUTPUTS, rts=rts, orientation="output", fixed_outputs=["Y2"], **RADIAL).scores
    dropped = fr.efficiency(df, INPUTS, ["Y1"], rts=rts, orientation="output", **RADIAL).scores
    assert (kept <= fixed + 1e-9).all() and (fixed <= dropped + 1e-9).all()
    # DDF: fixing raises beta (the fixed rows no longer move); SBM: fixing E is SBM with E's row kept, its term out
    beta_kept = fr.efficiency(df, INPUTS, OUTPUTS, model="ddf", rts=rts).scores
    beta_fixed = fr.efficiency(df, INPUTS, OUTPUTS, model="ddf", rts=rts, fixed_inputs=["E"]).scores
    assert (beta_fixed >= beta_kept - 1e-9).all()
    rho_fixed = fr.efficiency(df, INPUTS, OUTPUTS, model="sbm", rts=rts, fixed_inputs=["E"]).scores
    rho_dropped = fr.efficiency(df, ["K", "L"], OUTPUTS, model="sbm", rts=rts).scores
    assert (rho_fixed >= rho_dropped - 1e-9).all()


def test_fixed_variables_are_not_projected():
    """Radial input orientation: a fixed input's target never exceeds its observed value, and the radial part of
    its slack is 0 (only the discretionary inputs are scaled by theta)."""
    df = DATA["random"]
    res = fr.efficiency(df, INPUTS, OUTPUTS, rts="vrs", fixed_inputs=["E"], **RADIAL)
    assert (res.targets["E"] <= df["E"] * (1 + 1e-9)).all()
    close(res.targets["E"] + res.slacks["E"], df["E"])


# ----------------------------------------------------------------------------------------------------
# assurance regions
# ----------------------------------------------------------------------------------------------------

AR = {"inputs": {("K", "L"): (0.5, 2.0), ("E", "L"): (None, 3.0)},
      "outputs": {("Y1", "Y2"): (0.25, 4.0)},
      "both": {("K", "E"): (0.2, 5.0), ("Y2", "Y1"): (1.0, None)}}


def as_reference(bounds):
    out = []
    for (a, b), (lower, upper) in bounds.items():
        side = "input" if a in INPUTS else "output"
        names = INPUTS if side == "input" else OUTPUTS
        out.append((names.index(a), names.index(b), lower, upper, side))
    return out


@pytest.mark.parametrize("data", DATA)
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["input", "output"])
@pytest.mark.parametrize("which", AR)
def test_assurance_region_envelopment_equals_multiplier_form(data, rts, orientation, which):
    """The engine's envelopment LP with one column per bound = the cvxpy multiplier form with the bounds on the
    weights; the weights the engine reports satisfy the bounds and give the score."""
    df = DATA[data]
    X, Y = arrays(df)
    bounds = AR[which]
    res = fr.efficiency(df, INPUTS, OUTPUTS, rts=rts, orientation=orientation, weight_bounds=bounds, **RADIAL)
    expected = [ref.radial_assurance_region(X, Y, o, as_reference(bounds), rts=rts, orientation=orientation)[1]
                for o in range(len(df))]
    close(res.scores, expected)
    w = res.multipliers.table
    v, u, omega = w[INPUTS].to_numpy(), w[OUTPUTS].to_numpy(), w["omega"].to_numpy()
    # the bounds hold up to the LP's tolerance, judged in contributions (weight x the column's mean), relative to
    # the DMU's weights altogether: a weight of 1e-8 on a column of mean 5 next to weights of order 1 is noise
    means = df[INPUTS + OUTPUTS].mean()
    size = (np.abs(w[INPUTS + OUTPUTS]) * means).sum(axis=1).to_numpy()
    for (a, b), (lower, upper) in bounds.items():
        top, bottom = w[a].to_numpy(), w[b].to_numpy()
        if upper is not None:
            assert ((top - upper * bottom) * means[a] <= 1e-7 * size).all()
        if lower is not None:
            assert ((lower * bottom - top) * means[a] <= 1e-7 * size).all()
    X0, Y0 = df[INPUTS].to_numpy(), df[OUTPUTS].to_numpy()
    if orientation == "input":
        close((v * X0).sum(axis=1), 1.0)
        close((u * Y0).sum(axis=1) - omega, res.scores)
    else:
        close((u * Y0).sum(axis=1), 1.0)
        close((v * X0).sum(axis=1) + omega, res.scores)
    # every DMU satisfies the supporting hyperplane v'x_j - u'y_j + omega >= 0
    hyper = v @ X0.T - u @ Y0.T + omega[:, None]
    assert (hyper >= -1e-7 * (v @ X0.T + u @ Y0.T)).all()


@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("orientation", ["input", "output"])
def test_assurance_regions_tighten_the_scores(rts, orientation):
    """Wide bounds reproduce the unrestricted scores; tighter bounds can only lower the input-oriented theta (raise
    the output-oriented phi); nested bounds are monotone."""
    run = lambda df, **kw: fr.efficiency(df, INPUTS, OUTPUTS, rts=rts, orientation=orientation, **RADIAL,
                                         **kw).scores.to_numpy()
    # "wide" is relative to the units (on the badly scaled data v_K / v_L is about 1e4 at an optimum): on the well
    # scaled data, bounds of 1e-8 and 1e8 change a score by at most about 1e-8
    wide = run(DATA["random"], weight_bounds={("K", "L"): (1e-8, 1e8), ("Y1", "Y2"): (1e-8, 1e8)})
    close(wide, run(DATA["random"]))
    df = DATA["badly_scaled"]
    free = run(df)
    loose = run(df, weight_bounds={("K", "L"): (0.1, 10.0), ("Y1", "Y2"): (0.1, 10.0)})
    tight = run(df, weight_bounds={("K", "L"): (0.5, 2.0), ("Y1", "Y2"): (0.5, 2.0)})
    sign = 1.0 if orientation == "input" else -1.0
    assert (sign * (loose - free) <= 1e-9).all() and (sign * (tight - loose) <= 1e-9).all()
    assert (np.abs(tight - free) > 1e-6).any()


def test_weight_bounds_forms_agree():
    """A dict, a list of rows (the command line's JSON) and a DataFrame give the same model."""
    df = DATA["random"]
    a = fr.efficiency(df, INPUTS, OUTPUTS, weight_bounds={("K", "L"): (0.5, 2)}, **RADIAL).scores
    b = fr.efficiency(df, INPUTS, OUTPUTS, weight_bounds=[["K", "L", 0.5, 2]], **RADIAL).scores
    table = pd.DataFrame({"numerator": ["K"], "denominator": ["L"], "lower": [0.5], "upper": [2.0]})
    c = fr.efficiency(df, INPUTS, OUTPUTS, weight_bounds=table, **RADIAL).scores
    close(a, b)
    close(a, c)


# ----------------------------------------------------------------------------------------------------
# refusals and plumbing
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, message", [
    (dict(model="ebm", weight_bounds={("K", "L"): (0.5, 2)}), "has no option 'weight_bounds'"),
    (dict(model="ebm", fixed_inputs=["E"]), "has no option 'fixed_inputs'"),
    (dict(fixed_inputs=["Y1"]), "fixed_inputs names 'Y1', which is not an input"),
    (dict(fixed_inputs=["K", "L", "E"]), "every variable the score moves"),
    (dict(model="sbm", orientation="output", fixed_outputs=["Y1", "Y2"]), "every variable the score moves"),
    (dict(model="ddf", direction="output", fixed_outputs=["Y1", "Y2"]), "every variable the score moves"),
    (dict(weight_bounds={("K", "Y1"): (0.5, 2)}), "both columns must be inputs or both desirable outputs"),
    (dict(weight_bounds={("K", "L"): (2, 0.5)}), "lower 2.0 is above upper 0.5"),
    (dict(weight_bounds={("K", "Z"): (0.5, 2)}), "names 'Z'"),
    (dict(weight_bounds={("K", "L"): (None, None)}), "neither a lower nor an upper bound"),
])
def test_refusals(kwargs, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        fr.efficiency(DATA["random"], INPUTS, OUTPUTS, **{**RADIAL, **kwargs})


def test_unused_options_change_nothing():
    """No fixed variable and no bound: the numbers are those of the plain model (the options only add)."""
    df = DATA["random"]
    for model in ("radial", "sbm", "ddf"):
        plain = fr.efficiency(df, INPUTS, OUTPUTS, model=model)
        empty = fr.efficiency(df, INPUTS, OUTPUTS, model=model, fixed_inputs=[])
        close(plain.scores, empty.scores, tol=0)
        close(plain.slacks, empty.slacks, tol=0)


def test_options_reach_productivity_window_and_metafrontier():
    rng = np.random.default_rng(7)
    panel = pd.DataFrame(rng.uniform(1, 10, (24, 5)), columns=INPUTS + OUTPUTS)
    panel["firm"] = np.repeat(np.arange(8), 3)
    panel["year"] = np.tile([2001, 2002, 2003], 8)
    panel["region"] = np.where(panel["firm"] < 4, "east", "west")
    kw = dict(fixed_inputs=["E"], weight_bounds={("K", "L"): (0.5, 2)})
    prod = fr.productivity(panel, "firm", "year", INPUTS, OUTPUTS, model="radial", index="malmquist",
                           technology="global", **kw)
    plain = fr.productivity(panel, "firm", "year", INPUTS, OUTPUTS, model="radial", index="malmquist",
                            technology="global")
    assert prod.spec.model_options["fixed_inputs"] == ("E",)
    assert not np.allclose(prod.to_frame()["index"].to_numpy(dtype=float),
                           plain.to_frame()["index"].to_numpy(dtype=float), equal_nan=True)
    win = fr.window_analysis(panel, "firm", "year", INPUTS, OUTPUTS, width=2, **RADIAL, **kw)
    assert win.spec.model_options["weight_bounds"]
    meta = fr.metafrontier(panel[panel.year == 2001], "region", INPUTS, OUTPUTS, **RADIAL, **kw)
    assert meta.spec.model_options["fixed_inputs"] == ("E",)


def test_command_line_takes_the_options(tmp_path):
    from frontier.cli import main

    df = DATA["random"]
    path, out = tmp_path / "data.csv", tmp_path / "scores.csv"
    df.to_csv(path, index=False)
    code = main(["efficiency", str(path), "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--model", "radial",
                 "--fixed-inputs", '["E"]',
                 "--weight-bounds", json.dumps([["K", "L", 0.5, 2]]), "-q", "-o", str(out)])
    assert code == 0
    api = fr.efficiency(df, INPUTS, OUTPUTS, fixed_inputs=["E"], weight_bounds={("K", "L"): (0.5, 2)}, **RADIAL)
    close(pd.read_csv(out, encoding="utf-8-sig")["score"], api.scores)
