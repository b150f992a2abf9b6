"""Dynamic SBM (Tone & Tsutsui 2010): ``fr.dynamic`` against an independent cvxpy formulation written from the paper,
and the properties the paper states.

The oracle below is the Charnes-Cooper LP of the fractional program, written from the mathematics (not from
``frontier.models.dynamic``): per period t the intensities L_t over the n entities' period-t data, slacks per kind,
the continuity ``Z_t' L_t = Z_t' L_(t+1)`` of every carry-over, and the normalisation of the output side."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

TOL = 1e-6
KIND_SETS = {"good": ("good",), "bad": ("bad",), "free": ("free",), "fixed": ("fixed",),
             "all": ("good", "bad", "free", "fixed")}


def panel(seed: int, n: int = 10, T: int = 3, bads: bool = True, kinds=("good", "bad", "free", "fixed")):
    """A balanced panel: 2 inputs, 1 output (below a Cobb-Douglas frontier), a bad output, one carry-over per kind."""
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(n):
        for t in range(T):
            x = rng.uniform(1.0, 10.0, 2)
            row = {"firm": f"f{e:02d}", "year": 2010 + t, "x1": x[0], "x2": x[1],
                   "y": np.sqrt(x.prod()) * rng.uniform(0.5, 1.0)}
            if bads:
                row["b"] = rng.uniform(1.0, 5.0)
            for kind in kinds:
                row[f"z_{kind}"] = rng.uniform(1.0, 6.0)
            rows.append(row)
    return pd.DataFrame(rows)


def oracle(df: pd.DataFrame, outputs_bad: list, carry: dict, orientation: str, rts: str, W=None) -> np.ndarray:
    """Each entity's overall dynamic SBM score, one cvxpy LP per entity, from the formulation in the paper."""
    cp = ref.cp
    firms, years = list(dict.fromkeys(df["firm"])), sorted(df["year"].unique())
    T, n = len(years), len(firms)
    W = np.full(T, 1.0 / T) if W is None else np.asarray(W, float) / np.sum(W)
    data = {t: df[df["year"] == y].set_index("firm").loc[firms] for t, y in enumerate(years)}
    cols = {"x": ["x1", "x2"], "y": ["y"], "b": outputs_bad, "good": carry.get("good", []),
            "bad": carry.get("bad", []), "free": carry.get("free", []), "fixed": carry.get("fixed", [])}
    links = cols["good"] + cols["bad"] + cols["free"] + cols["fixed"]
    n_in = len(cols["x"]) + len(cols["bad"])
    n_out = len(cols["y"]) + len(cols["b"]) + len(cols["good"])
    scores = []
    for o in range(n):
        u = cp.Variable(nonneg=True)
        L = [cp.Variable(n, nonneg=True) for _ in range(T)]
        S = {(k, t): cp.Variable(len(cols[k]), nonneg=True) for k in ("x", "y", "b", "good", "bad") for t in range(T)}
        cons, in_terms, out_terms = [], 0, 0
        for t in range(T):
            D = data[t]

            def M(key):
                return D[cols[key]].to_numpy()

            def own(key):
                return D[cols[key]].to_numpy()[o]

            for key, sign in (("x", 1), ("b", 1), ("bad", 1), ("y", -1), ("good", -1)):
                if cols[key]:
                    cons.append(M(key).T @ L[t] + sign * S[key, t] == u * own(key))
            if cols["fixed"]:
                cons.append(M("fixed").T @ L[t] == u * own("fixed"))
            if rts == "vrs":
                cons.append(cp.sum(L[t]) == u)
            if t < T - 1 and links:
                Z = D[links].to_numpy()
                cons.append(Z.T @ L[t] == Z.T @ L[t + 1])
            for key in ("x", "bad"):
                if cols[key]:
                    in_terms += W[t] / n_in * cp.sum(cp.multiply(S[key, t], 1.0 / own(key)))
            for key in ("y", "b", "good"):
                if cols[key]:
                    out_terms += W[t] / n_out * cp.sum(cp.multiply(S[key, t], 1.0 / own(key)))
        if orientation == "input":
            cons.append(u == 1)
            objective = u - in_terms
        elif orientation == "output":
            cons.append(u + out_terms == 1)
            objective = u
        else:
            cons.append(u + out_terms == 1)
            objective = u - in_terms
        status, value = ref._solve(cp.Minimize(objective), cons)
        assert status == "optimal"
        scores.append(value)
    return np.array(scores)


def run(df, bads: bool, kinds, orientation, rts, **kw):
    carry = {k: [f"z_{k}"] for k in kinds}
    return fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], ["b"] if bads else None, carry_overs=carry,
                      orientation=orientation, rts=rts, **kw), carry


CASES = [(o, r, k, bads) for o in ("nonoriented", "input", "output") for r in ("vrs", "crs")
         for k, bads in (("good", True), ("bad", False), ("free", True), ("fixed", False), ("all", True),
                         ("all", False))]


@pytest.mark.parametrize("orientation, rts, kinds, bads", CASES)
def test_dynamic_sbm_equals_the_cvxpy_formulation(orientation, rts, kinds, bads):
    seed = CASES.index((orientation, rts, kinds, bads))
    df = panel(seed, bads=bads, kinds=KIND_SETS[kinds])
    res, carry = run(df, bads, KIND_SETS[kinds], orientation, rts)
    assert (res.status == "optimal").all()
    expected = oracle(df, ["b"] if bads else [], carry, orientation, rts)
    np.testing.assert_allclose(res.scores.to_numpy(), expected, atol=TOL)
    assert (res.scores <= 1.0).all() and (res.scores > 0).all() and (res.terms <= 1.0 + 1e-12).all().all()
    # slacks are improvements: one-signed ones >= 0, a fixed carry-over's 0 with its target at the observed value
    one_signed = [c for c in res.slacks.columns if c not in ("z_free", "z_fixed")]
    assert (res.slacks[one_signed] >= 0).all().all()
    if "z_fixed" in res.slacks:
        assert (res.slacks["z_fixed"] == 0).all()
        np.testing.assert_allclose(res.targets["z_fixed"], res.observed["z_fixed"], rtol=1e-7)


def test_every_engine_method_gives_the_same_scores():
    df = panel(3, n=14, T=4)
    kinds = KIND_SETS["all"]
    scores = [run(df, True, kinds, "nonoriented", "vrs", method=m)[0].scores for m in ("restricted", "full", "auto")]
    for other in scores[1:]:
        np.testing.assert_allclose(other, scores[0], atol=1e-8)


def test_period_weights_enter_as_the_paper_defines():
    df = panel(11, T=3)
    kinds = KIND_SETS["all"]
    W = [1.0, 2.0, 3.0]
    res, carry = run(df, True, kinds, "nonoriented", "vrs", period_weights=W)
    np.testing.assert_allclose(res.scores, oracle(df, ["b"], carry, "nonoriented", "vrs", W), atol=TOL)
    as_dict, _ = run(df, True, kinds, "nonoriented", "vrs", period_weights={2010: 1, 2011: 2, 2012: 3})
    np.testing.assert_allclose(as_dict.scores, res.scores, atol=1e-12)
    np.testing.assert_allclose(res.period_weights.to_numpy(), np.array(W) / 6)


# ----------------------------------------------------------------------------------------------------
# properties
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("orientation", ["nonoriented", "input", "output"])
@pytest.mark.parametrize("rts", ["vrs", "crs"])
def test_one_period_without_carry_overs_is_sbm(orientation, rts):
    df = panel(5, n=15, T=1, kinds=())
    res = fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], ["b"], orientation=orientation, rts=rts)
    sbm = fr.efficiency(df.set_index("firm"), ["x1", "x2"], ["y"], ["b"], model="sbm", orientation=orientation,
                        rts=rts)
    np.testing.assert_allclose(res.scores.to_numpy(), sbm.scores.to_numpy(), atol=1e-9)
    np.testing.assert_allclose(res.terms.iloc[:, 0].to_numpy(), sbm.scores.to_numpy(), atol=1e-9)


def test_fixed_carry_overs_act_as_non_discretionary():
    """A fixed carry-over is held at its value (no slack, target = observed) and only restricts the reference:
    scores never fall below those without it; one equal for every entity in a period constrains nothing under VRS
    (as a non-discretionary variable every entity shares), so the scores are those without it."""
    df = panel(17, n=12, T=3, kinds=("fixed",))
    with_fixed, _ = run(df, True, ("fixed",), "nonoriented", "vrs")
    without = fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], ["b"])
    assert (with_fixed.scores >= without.scores - 1e-9).all()
    assert (with_fixed.scores > without.scores + 1e-4).any()
    assert (with_fixed.slacks["z_fixed"] == 0).all()
    np.testing.assert_allclose(with_fixed.targets["z_fixed"], with_fixed.observed["z_fixed"], rtol=1e-7)
    shared = df.assign(z_fixed=df["year"].map({2010: 3.0, 2011: 5.0, 2012: 2.0}))
    same, _ = run(shared, True, ("fixed",), "nonoriented", "vrs")
    np.testing.assert_allclose(same.scores, without.scores, atol=1e-9)


@pytest.mark.parametrize("orientation", ["nonoriented", "input", "output"])
def test_overall_and_term_efficiencies_as_the_paper_relates_them(orientation):
    """Input: the overall score is the W-weighted arithmetic mean of the term efficiencies; output: their weighted
    harmonic mean; non-oriented: between the smallest and the largest (a weighted mean of them)."""
    df = panel(23, n=20, T=4, kinds=("good", "bad"))
    res, _ = run(df, True, ("good", "bad"), orientation, "crs", period_weights=[1, 2, 1, 3])
    W, terms, overall = res.period_weights.to_numpy(), res.terms.to_numpy(), res.scores.to_numpy()
    if orientation == "input":
        np.testing.assert_allclose(overall, terms @ W, atol=1e-9)
    elif orientation == "output":
        np.testing.assert_allclose(overall, 1.0 / ((1.0 / terms) @ W), atol=1e-9)
    assert (overall >= terms.min(axis=1) - 1e-9).all() and (overall <= terms.max(axis=1) + 1e-9).all()
    assert (overall < 1).any()


def test_the_carry_overs_bind():
    """Linking the periods can only raise the overall score over the periods' separate SBM LPs with the same
    variables (the carry-overs as free, unlinked variables), and on this data it does for some entities."""
    df = panel(29, n=12, T=3, kinds=("good",))
    linked, _ = run(df, True, ("good",), "input", "vrs")
    # without the link the good carry-over is one more output of each period
    separate = [fr.efficiency(df[df.year == y].set_index("firm"), ["x1", "x2"], ["y", "z_good"], ["b"], model="sbm",
                              orientation="input").scores for y in sorted(df.year.unique())]
    unlinked = np.mean(np.column_stack(separate), axis=1)
    assert (linked.scores.to_numpy() >= unlinked - 1e-9).all()
    assert (linked.scores.to_numpy() > unlinked + 1e-4).any()


# ----------------------------------------------------------------------------------------------------
# input checks, exports, the command line
# ----------------------------------------------------------------------------------------------------

def test_bad_input_is_refused_with_the_rows_named():
    df = panel(1, n=5, T=3, kinds=("good",))
    with pytest.raises(ValueError, match=r"balanced panel.*f01"):
        fr.dynamic(df.drop(index=4), "firm", "year", ["x1", "x2"], ["y"], carry_overs={"good": ["z_good"]})
    zero = df.copy()
    zero.loc[7, "x1"] = 0.0
    with pytest.raises(ValueError, match=r"column 'x1' is zero for \(entity, period\).*f02"):
        fr.dynamic(zero, "firm", "year", ["x1", "x2"], ["y"])
    fr.dynamic(zero, "firm", "year", ["x1", "x2"], ["y"], orientation="output")      # not divided by: fine
    with pytest.raises(ValueError, match="carry-over kind must be one of"):
        fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], carry_overs={"nice": ["z_good"]})
    with pytest.raises(ValueError, match="both as a carry-over and as an input"):
        fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], carry_overs={"good": ["x1"]})
    with pytest.raises(ValueError, match="one weight per period"):
        fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], period_weights=[1, 2])
    with pytest.raises(ValueError, match="rts must be one of"):
        fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], rts="nirs")
    negative = df.copy()
    negative.loc[2, "z_good"] = -1.0
    with pytest.raises(ValueError, match="z_good"):
        fr.dynamic(negative, "firm", "year", ["x1", "x2"], ["y"], carry_overs={"good": ["z_good"]})


def test_exports_and_the_command_line(tmp_path, capsys):
    from frontier.cli import main
    from frontier.io import read_table

    df = panel(2, n=8, T=3, kinds=("good", "fixed"))
    res = fr.dynamic(df, "firm", "year", ["x1", "x2"], ["y"], ["b"], carry_overs={"good": "z_good",
                                                                                   "fixed": ["z_fixed"]})
    table = res.to_frame()
    assert list(table.columns[:3]) == ["term", "overall", "status"] and len(table) == 24
    assert "terms by period" in res.summary().tables and "carry-overs" in str(res)
    path = tmp_path / "panel.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "dyn.csv"
    code = main(["dynamic", str(path), "--entity", "firm", "--period", "year", "-x", "x1", "x2", "-y", "y",
                 "-b", "b", "--carry-overs", "good=z_good", "fixed=z_fixed", "-o", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    back = read_table(out)
    np.testing.assert_allclose(back["term"].to_numpy(float), table["term"].to_numpy(), atol=1e-12)
    xlsx = tmp_path / "dyn.xlsx"
    res.to_excel(xlsx)
    assert "terms" in pd.ExcelFile(xlsx).sheet_names
    res.to_stata(tmp_path / "dyn.dta")
    np.testing.assert_allclose(pd.read_stata(tmp_path / "dyn.dta")["overall"], table["overall"], atol=1e-12)
    pytest.importorskip("matplotlib")
    fig = res.plot(tmp_path / "terms.png")
    assert (tmp_path / "terms.png").exists() and fig is not None
