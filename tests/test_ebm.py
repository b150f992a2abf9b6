"""EBM and super-EBM (Tone & Tsutsui 2010; frontier/models/ebm.py) against independent cvxpy formulations, the
calibration of epsilon and the weights, epsilon = 0 = radial, the published cases' parameters, productivity, the
command line and the exports."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import io
from frontier.cli import main
from frontier.models.ebm import affinity_matrix, epsilon_and_weights

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402
from test_against_cvxpy import check, dataset, frame  # noqa: E402

VALIDATION = Path(os.environ.get("FRONTIER_VALIDATION_DIR", "/work/shared/validation"))
HOSPITAL = VALIDATION / "ebm_input_crs_tone_tsutsui2010_hospital" / "data.csv"
EXAMPLES = VALIDATION / "ebm_input_crs_tone_tsutsui2010_examples12" / "data.csv"
needs_cases = pytest.mark.skipif(not HOSPITAL.exists(), reason="validation cases not available")

EPS = {"input": 0.4, "output": 0.7}


def declared(name):
    """Unequal declared weights over every variable of data set ``name`` (frontier's dict and the oracle's
    vector in variable order)."""
    df, inputs, outputs, bads = frame(name)
    variables = inputs + outputs + bads
    w = np.linspace(1.0, 2.0, len(variables))
    return dict(zip(variables, w)), w


# ----------------------------------------------------------------------------------------------------
# against cvxpy (declared epsilon and weights): orientations x rts x bad outputs x super-efficiency
# ----------------------------------------------------------------------------------------------------

CASES = [  # shape (A, C, D have bad outputs; B has none), rts, orientation, super-efficiency
    ("A", "crs", "input", False), ("A", "vrs", "input", True), ("B", "vrs", "input", False),
    ("C", "crs", "output", False), ("A", "vrs", "output", False), ("B", "crs", "output", True),
    ("D", "crs", "nonoriented", False), ("A", "vrs", "nonoriented", False), ("B", "crs", "nonoriented", False),
    ("C", "crs", "nonoriented", True), ("D", "crs", "nonoriented", True), ("C", "crs", "input", True),
    ("D", "nirs", "input", False), ("A", "ndrs", "nonoriented", False),
]


def default_bounded(rts, orientation):
    """The non-oriented form frontier uses by default: bounded (theta <= 1, phi >= 1) unless rts is crs."""
    return orientation == "nonoriented" and rts != "crs"



@pytest.mark.parametrize("shape,rts,orientation,sup", CASES)
def test_ebm_agrees_with_cvxpy(shape, rts, orientation, sup):
    weights, w = declared(shape)
    oracle = ref.hybrid_super_ebm if sup else ref.ebm
    res, status = check(shape, dict(model="ebm", rts=rts, orientation=orientation, super_efficiency=sup,
                                     epsilon=EPS, weights=weights),
                        lambda X, Y, B, o: oracle(X, Y, B, o, rts=rts, orientation=orientation,
                                                  epsilon=(EPS["input"], EPS["output"]), weights=w,
                                                  bounded=default_bounded(rts, orientation)))
    assert (status == "optimal").any()
    if sup:     # the hybrid: super scores only where EBM gives 1
        assert (res.scores > 1 + 1e-6).any()


def test_super_ebm_vrs_has_infeasible_lps_reported_as_nan():
    weights, w = declared("A")
    res, status = check("A", dict(model="ebm", rts="vrs", orientation="input", super_efficiency=True,
                                  epsilon=EPS, weights=weights),
                        lambda X, Y, B, o: ref.hybrid_super_ebm(X, Y, B, o, rts="vrs", orientation="input",
                                                                epsilon=(0.4, 0.7), weights=w))
    assert (status == "infeasible").any()
    assert res.scores[res.status == "infeasible"].isna().all()


@pytest.mark.parametrize("rts", ["vrs", "crs"])
def test_theta_phi_slacks_and_targets_are_consistent(rts):
    """targets = theta x0 - s- (inputs), phi y0 + s+ and phi b0 - sb (outputs), and they are the reference
    combination; the score is the objective recomputed from them. Under CRS the reported solution has phi = 1."""
    df, inputs, outputs, bads = frame("C")
    weights, _ = declared("C")
    res = fr.efficiency(df, inputs, outputs, bads, model="ebm", rts=rts, orientation="nonoriented",
                        epsilon=EPS, weights=weights)
    theta, phi = res.parts["theta"].to_numpy(), res.parts["phi"].to_numpy()
    X, Y, B = (df[c].to_numpy() for c in (inputs, outputs, bads))
    sx, sy, sb = (res.slacks[c].to_numpy() for c in (inputs, outputs, bads))
    np.testing.assert_allclose(res.targets[inputs].to_numpy(), theta[:, None] * X - sx, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(res.targets[outputs].to_numpy(), phi[:, None] * Y + sy, rtol=1e-7, atol=1e-7)
    np.testing.assert_allclose(res.targets[bads].to_numpy(), phi[:, None] * B - sb, rtol=1e-7, atol=1e-7)
    wx = np.array([weights[c] for c in inputs]) / sum(weights[c] for c in inputs)
    wo = np.array([weights[c] for c in outputs + bads]) / sum(weights[c] for c in outputs + bads)
    num = theta - EPS["input"] * (sx / X) @ wx
    den = phi + EPS["output"] * (np.hstack([sy / Y, sb / B]) @ wo)
    np.testing.assert_allclose(res.scores.to_numpy(), num / den, rtol=1e-7)
    lam = res.peers.pivot_table(index="dmu", columns="peer", values="weight", fill_value=0.0)
    lam = lam.reindex(index=df.index, columns=df.index, fill_value=0.0).to_numpy()
    np.testing.assert_allclose(lam @ X, res.targets[inputs].to_numpy(), rtol=1e-6, atol=1e-6)
    if rts == "vrs":
        np.testing.assert_allclose(lam.sum(axis=1), 1.0, atol=1e-7)
    else:
        np.testing.assert_allclose(phi, 1.0, atol=1e-9)


# ----------------------------------------------------------------------------------------------------
# epsilon = 0 is the radial score
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,rts,orientation,sup", [
    ("C", "crs", "input", False), ("C", "vrs", "input", True), ("B", "vrs", "output", False),
    ("B", "crs", "output", True), ("B", "vrs", "nonoriented", False),
])
def test_epsilon_zero_reproduces_the_radial_score(shape, rts, orientation, sup):
    """Input: gamma = theta (bad outputs held at most at their level, the radial model's strong disposability);
    output (no bad outputs): 1/eta = 1/phi. Non-oriented with eps = 0 is min theta/phi, which under VRS is not a
    radial model: there the check is against the oracle only."""
    df, inputs, outputs, bads = frame(shape)
    ebm = fr.efficiency(df, inputs, outputs, bads or None, model="ebm", rts=rts, orientation=orientation,
                        super_efficiency=sup, epsilon=0)
    assert ebm.spec.parameters["epsilon"] == {side: 0.0 for side in
                                              {"input": ["input"], "output": ["output"],
                                               "nonoriented": ["input", "output"]}[orientation]}
    if orientation == "nonoriented":
        X, Y, B = dataset(shape)
        expected = [ref.ebm(X, Y, B, o, rts=rts, orientation=orientation, epsilon=(0.0, 0.0),
                            bounded=default_bounded(rts, orientation))[1] for o in range(len(df))]
        np.testing.assert_allclose(ebm.scores.to_numpy(), expected, rtol=1e-6)
        return
    radial = fr.efficiency(df, inputs, outputs, bads or None, model="radial", rts=rts, orientation=orientation,
                           super_efficiency=sup, bad_disposability="strong" if bads else None)
    expected = radial.scores if orientation == "input" else 1.0 / radial.scores
    np.testing.assert_allclose(ebm.scores.to_numpy(), expected.to_numpy(), rtol=1e-8, equal_nan=True)
    np.testing.assert_allclose(ebm.parts["theta" if orientation == "input" else "phi"].to_numpy(),
                               radial.scores.to_numpy(), rtol=1e-8, equal_nan=True)
    if sup:
        assert (ebm.scores > 1 + 1e-6).any()


# ----------------------------------------------------------------------------------------------------
# calibration
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,orientation", [("C", "nonoriented"), ("D", "input"), ("D", "output")])
def test_calibrated_parameters_agree_with_an_independent_calibration(shape, orientation):
    df, inputs, outputs, bads = frame(shape)
    X, Y, B = dataset(shape)
    res = fr.efficiency(df, inputs, outputs, bads, model="ebm", rts="crs", orientation=orientation)
    P = ref.additive_projection(X, Y, B)
    m = X.shape[1]
    p = res.spec.parameters
    assert p["calibrated"] == ("epsilon", "weights") and "additive" in p["projection"]
    sides = {"input": (["input"], slice(0, m), inputs), "output": (["output"], slice(m, None), outputs + bads),
             "nonoriented": (["input", "output"], None, None)}[orientation]
    for side in sides[0]:
        cols, names = (slice(0, m), inputs) if side == "input" else (slice(m, None), outputs + bads)
        eps, w = ref.ebm_parameters(P[:, cols])
        assert p["epsilon"][side] == pytest.approx(eps, abs=1e-7)
        np.testing.assert_allclose([p["weights"][v] for v in names], w, atol=1e-7)
        assert 0 < eps < 1
    assert set(p["epsilon"]) == set(sides[0])
    # the scores use the calibrated values: declaring them reproduces the run
    again = fr.efficiency(df, inputs, outputs, bads, model="ebm", rts="crs", orientation=orientation,
                          epsilon=p["epsilon"], weights=p["weights"])
    np.testing.assert_allclose(again.scores.to_numpy(), res.scores.to_numpy(), rtol=1e-9)
    assert again.spec.parameters["calibrated"] == ()


def test_a_declared_epsilon_keeps_the_calibrated_weights_and_vice_versa():
    df, inputs, outputs, bads = frame("D")
    both = fr.efficiency(df, inputs, outputs, bads, model="ebm", rts="crs").spec.parameters
    eps_only = fr.efficiency(df, inputs, outputs, bads, model="ebm", rts="crs", epsilon=0.25).spec.parameters
    assert eps_only["epsilon"] == {"input": 0.25} and eps_only["calibrated"] == ("weights",)
    assert eps_only["weights"] == pytest.approx(both["weights"])
    w_only = fr.efficiency(df, inputs, outputs, bads, model="ebm", rts="crs", weights={"x0": 2.0}).spec.parameters
    assert w_only["calibrated"] == ("epsilon",) and w_only["epsilon"] == pytest.approx(both["epsilon"])
    assert w_only["weights"] == pytest.approx({"x0": 0.5, "x1": 0.25, "x2": 0.25})   # unnamed inputs weigh 1


def test_tie_rule_for_a_repeated_largest_eigenvalue():
    """S = I (every eigenvalue 1): the equal split; block-diagonal ties: the all-ones vector's projection."""
    eps, w = epsilon_and_weights(np.eye(3))
    assert eps == pytest.approx(1.0) and w == pytest.approx(np.full(3, 1 / 3))
    S = np.array([[1, 0.5, 0, 0], [0.5, 1, 0, 0], [0, 0, 1, 0.5], [0, 0, 0.5, 1.0]])
    eps, w = epsilon_and_weights(S)
    assert eps == pytest.approx((4 - 1.5) / 3) and w == pytest.approx(np.full(4, 0.25))
    eps, w = epsilon_and_weights(np.array([[1.0, 0.2, 0.1], [0.2, 1.0, 0.6], [0.1, 0.6, 1.0]]))
    values, vectors = np.linalg.eigh(np.array([[1.0, 0.2, 0.1], [0.2, 1.0, 0.6], [0.1, 0.6, 1.0]]))
    assert w == pytest.approx(np.abs(vectors[:, -1]) / np.abs(vectors[:, -1]).sum())
    assert eps == pytest.approx((3 - values[-1]) / 2)
    assert affinity_matrix(np.array([[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]]))[0, 1] == 1.0   # proportional: S = 1


@needs_cases
def test_published_calibration_hospital_and_examples():
    """Hospital: eps_x = 0.5294201143 from the paper's exact ADD projections (Table 9; printed 0.529), w = 0.5/0.5.
    Examples 1 and 2: eps_x = 0 and 1, weights 0.5/0.5 (example 2 is the repeated-eigenvalue case)."""
    d = pd.read_csv(HOSPITAL, index_col="DMU")
    p = fr.efficiency(d, ["doctors", "nurses"], ["outpatients", "inpatients"], model="ebm", rts="crs").spec.parameters
    assert p["epsilon"]["input"] == pytest.approx(0.5294201143, abs=1e-9)
    assert p["weights"] == pytest.approx({"doctors": 0.5, "nurses": 0.5})
    ex = pd.read_csv(EXAMPLES)
    for number, eps, scores in ((1, 0.0, [1, 1 / 2, 1 / 2, 1 / 3, 1 / 5, 1 / 6]), (2, 1.0, [1, 1, 0.8, 0.8])):
        res = fr.efficiency(ex[ex.example == number].set_index("DMU"), ["x1", "x2"], ["y"], model="ebm", rts="crs")
        assert res.spec.parameters["epsilon"]["input"] == pytest.approx(eps, abs=1e-12)
        assert res.spec.parameters["weights"] == pytest.approx({"x1": 0.5, "x2": 0.5})
        np.testing.assert_allclose(res.scores.to_numpy(), scores, atol=1e-9)


# ----------------------------------------------------------------------------------------------------
# options, productivity, exports, command line
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,message", [
    (dict(model="ebm", epsilon=1.5), "epsilon must be a number in [0, 1]"),
    (dict(model="ebm", epsilon={"inputs": 0.2}), "epsilon keys must be 'input' and/or 'output'"),
    (dict(model="ebm", epsilon="0.3"), "epsilon must be a number"),
    (dict(model="sbm", epsilon=0.3), "has no option 'epsilon' (it applies to model(s) ('ebm',))"),
    (dict(model="ebm", espilon=0.3), "has no option 'espilon' (no model takes it)"),
    (dict(model="ebm", orientation="nonorient"), "orientation for model='ebm' must be one of"),
])
def test_bad_options_fail_clearly(kwargs, message):
    df, inputs, outputs, bads = frame("A")
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)").replace("[", r"\[")
                       .replace("]", r"\]")):
        fr.efficiency(df, inputs, outputs, bads, **kwargs)


def _panel():
    rng = np.random.default_rng(5)
    n, t = 10, 3
    X = rng.uniform(1, 10, (n * t, 2))
    Y = (X.prod(axis=1) ** 0.4 * rng.uniform(0.5, 1.0, n * t))[:, None]
    return pd.DataFrame({"firm": np.repeat(np.arange(n), t), "year": np.tile([2001, 2002, 2003], n),
                         "x1": X[:, 0], "x2": X[:, 1], "y": Y[:, 0]})


@pytest.mark.parametrize("orientation", ["input", "output"])
def test_productivity_with_epsilon_zero_equals_the_radial_malmquist(orientation):
    """E for EBM is the score itself (1/eta in the output orientation, as the paper reports it), so with
    epsilon = 0 and no bad outputs the EBM Malmquist equals the radial one."""
    panel = _panel()
    kw = dict(index="malmquist", rts="crs", orientation=orientation)
    ebm = fr.productivity(panel, "firm", "year", ["x1", "x2"], ["y"], model="ebm", epsilon=0, **kw)
    radial = fr.productivity(panel, "firm", "year", ["x1", "x2"], ["y"], model="radial", **kw)
    cols = ["index", "ec", "tc"]
    np.testing.assert_allclose(ebm.indices[cols].to_numpy(float), radial.indices[cols].to_numpy(float), rtol=1e-8)
    assert ebm.spec.parameters["epsilon"] == {orientation: 0.0}
    assert ebm.spec.model_options == {"epsilon": {"input": 0.0, "output": 0.0}}


def test_productivity_calibrates_once_on_the_pooled_panel():
    panel = _panel()
    pr = fr.productivity(panel, "firm", "year", ["x1", "x2"], ["y"], model="ebm", index="gml", rts="crs")
    pooled = fr.efficiency(panel, ["x1", "x2"], ["y"], model="ebm", rts="crs")
    assert pr.spec.parameters == pooled.spec.parameters
    assert pr.indices["index"].notna().all()
    assert "epsilon" in pr.summary()


def test_exports_and_summary_report_the_parameters(tmp_path):
    df, inputs, outputs, bads = frame("A")
    res = fr.efficiency(df, inputs, outputs, bads, model="ebm", orientation="nonoriented", epsilon={"input": 0.3})
    table = res.to_frame()
    assert {"theta", "phi"} <= set(table.columns)
    export = res.export()
    spec = dict(export.specification)
    assert spec["parameter epsilon"].startswith("input=0.3 output=")
    assert spec["parameter calibrated"] == "epsilon weights"
    assert "epsilon={'input': 0.3}" in spec["call"]
    assert "theta" in export.descriptions
    assert "epsilon" in res.summary() and "calibrated" in res.summary()
    io.write_result(res, tmp_path / "ebm.xlsx")
    sheets = pd.read_excel(tmp_path / "ebm.xlsx", sheet_name=None)
    assert any(sheet.astype(str).apply(lambda c: c.str.contains("parameter epsilon")).any().any()
               for sheet in sheets.values())


def test_command_line_epsilon_flag(tmp_path, capsys):
    df, inputs, outputs, bads = frame("A")
    path = tmp_path / "data.csv"
    df.rename_axis("dmu").reset_index().to_csv(path, index=False)
    out = tmp_path / "out.csv"
    code = main(["efficiency", str(path), "--id", "dmu", "-x", *inputs, "-y", *outputs, "-b", *bads,
                 "--model", "ebm", "--orientation", "nonoriented", "--epsilon", '{"input": 0.4, "output": 0.7}',
                 "-o", str(out), "-q"])
    assert code == 0
    weights, _ = declared("A")
    expected = fr.efficiency(df, inputs, outputs, bads, model="ebm", orientation="nonoriented", epsilon=EPS)
    got = pd.read_csv(out, index_col="dmu")
    np.testing.assert_allclose(got["score"].to_numpy(), expected.scores.to_numpy(), rtol=1e-12)
    assert main(["efficiency", str(path), "-x", *inputs, "-y", *outputs, "--model", "sbm", "--epsilon", "0.3"]) == 2
    assert "has no option 'epsilon'" in capsys.readouterr().err


def test_ebm_plots_through_the_registry(tmp_path):
    pytest.importorskip("matplotlib")
    from frontier.plots import plot_scores

    df, inputs, outputs, bads = frame("A")
    res = fr.efficiency(df, inputs, outputs, bads, model="ebm", super_efficiency=True, epsilon=0.5)
    plot_scores(res, tmp_path / "scores.png")
    assert (tmp_path / "scores.png").stat().st_size > 0


def test_zeros_follow_the_zero_policy_and_the_calibration_refuses_zero_projections():
    df, inputs, outputs, bads = frame("A")
    data = df.copy()
    data.iloc[3, 0] = 0.0                  # a zero input: the input-side slack term divides by it
    weights, _ = declared("A")
    with pytest.raises(ValueError, match="x0"):
        fr.efficiency(data, inputs, outputs, bads, model="ebm", epsilon=0.5, weights=weights)
    res = fr.efficiency(data, inputs, outputs, bads, model="ebm", epsilon=0.5, weights=weights, zeros="small_positive")
    assert res.status.eq("optimal").all() and res.scores.between(0, 1 + 1e-9).all()
    # the additive model projects every DMU onto the zero-input DMU's facet, where ln(0) has no affinity
    with pytest.raises(ValueError, match="EBM calibration needs positive projected values"):
        fr.efficiency(data, inputs, outputs, bads, model="ebm", zeros="small_positive")


def test_metafrontier_and_window_analysis_take_ebm_with_one_set_of_parameters():
    panel = _panel()
    panel["region"] = np.where(panel["firm"] < 5, "east", "west")
    X, Y = ["x1", "x2"], ["y"]
    meta = fr.metafrontier(panel, "region", X, Y, model="ebm", rts="crs", epsilon=0.3)
    pooled = fr.efficiency(panel, X, Y, model="ebm", rts="crs", epsilon=0.3)
    np.testing.assert_allclose(meta.meta_scores.to_numpy(), pooled.scores.to_numpy(), rtol=1e-9)
    assert (meta.group_scores >= meta.meta_scores - 1e-9).all()
    assert meta.spec.parameters["epsilon"] == {"input": 0.3}
    win = fr.window_analysis(panel, "firm", "year", X, Y, width=2, model="ebm", rts="crs")
    calibrated = fr.efficiency(panel, X, Y, model="ebm", rts="crs").spec.parameters
    assert win.spec.parameters == calibrated and calibrated["calibrated"] == ("epsilon", "weights")
    assert win.scores["score"].between(0, 1 + 1e-9).all()
    assert dict(meta.export().specification)["parameter epsilon"] == "input=0.3"
    assert "parameter epsilon" in dict(win.export().specification)
    with pytest.raises(ValueError, match="do not apply to index='hicks_moorsteen'"):
        fr.productivity(panel, "firm", "year", X, Y, index="hicks_moorsteen", epsilon=0.3)


# ----------------------------------------------------------------------------------------------------
# the non-oriented forms: the ratio form ignores rts, the bounded form (MaxDEA, Dearun) makes VRS bind
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape,rts", [("A", "vrs"), ("B", "vrs"), ("D", "crs"), ("A", "nirs"), ("C", "ndrs")])
def test_bounded_nonoriented_form_agrees_with_cvxpy(shape, rts):
    """bounded=True: theta <= 1 and phi >= 1 in the paper's own variables (Dinkelbach on the ratio), every DMU."""
    weights, w = declared(shape)
    res, status = check(shape, dict(model="ebm", rts=rts, orientation="nonoriented", epsilon=EPS, weights=weights,
                                    bounded=True),
                        lambda X, Y, B, o: ref.ebm(X, Y, B, o, rts=rts, orientation="nonoriented",
                                                   epsilon=(EPS["input"], EPS["output"]), weights=w, bounded=True))
    assert (status == "optimal").all()
    assert (res.parts["theta"] <= 1 + 1e-9).all() and (res.parts["phi"] >= 1 - 1e-9).all()
    assert "bounded" in res.spec.description and res.spec.model_options["bounded"] is True


def test_vrs_binds_in_the_default_nonoriented_form():
    """Issue 27.6: non-oriented EBM under rts='vrs' gave the CRS scores while the specification said vrs. Now the
    default under VRS is the bounded form: scores >= CRS, different for some DMUs, equal to cvxpy's VRS bounded
    scores; NIRS lies between; CRS keeps the paper's ratio form (its numbers unchanged)."""
    df, inputs, outputs, bads = frame("A")
    kw = dict(model="ebm", orientation="nonoriented", epsilon=0.5)
    scores = {rts: fr.efficiency(df, inputs, outputs, bads, rts=rts, **kw).scores for rts in ("crs", "nirs", "vrs")}
    assert (scores["vrs"] >= scores["crs"] - 1e-9).all() and (scores["vrs"] > scores["crs"] + 1e-4).sum() >= 3
    assert (scores["nirs"] >= scores["crs"] - 1e-9).all() and (scores["vrs"] >= scores["nirs"] - 1e-9).all()
    X, Y, B = dataset("A")
    ratio = [ref.ebm(X, Y, B, o, rts="crs", orientation="nonoriented", epsilon=(0.5, 0.5))[1] for o in range(len(df))]
    np.testing.assert_allclose(scores["crs"].to_numpy(), ratio, rtol=1e-6)
    crs_bounded = fr.efficiency(df, inputs, outputs, bads, rts="crs", bounded=True, **kw).scores
    assert (crs_bounded >= scores["crs"] - 1e-9).all() and (scores["vrs"] >= crs_bounded - 1e-9).all()
    vrs = fr.efficiency(df, inputs, outputs, bads, rts="vrs", **kw)
    assert "bounded: theta <= 1, phi >= 1" in vrs.summary()
    assert "ratio form" in fr.efficiency(df, inputs, outputs, bads, rts="crs", **kw).spec.description


@pytest.mark.parametrize("kwargs,message", [
    (dict(orientation="nonoriented", rts="vrs", bounded=False), "would have no effect"),
    (dict(orientation="nonoriented", rts="nirs", bounded=False), "would have no effect"),
    (dict(orientation="input", bounded=True), "applies to orientation='nonoriented' only"),
    (dict(orientation="output", bounded=False), "applies to orientation='nonoriented' only"),
    (dict(orientation="nonoriented", rts="vrs", super_efficiency=True), "super-EBM is not defined"),
    (dict(orientation="nonoriented", rts="crs", bounded=True, super_efficiency=True), "super-EBM is not defined"),
    (dict(orientation="nonoriented", bounded="yes"), "bounded must be True or False"),
])
def test_bounded_settings_that_would_change_nothing_are_refused(kwargs, message):
    df, inputs, outputs, bads = frame("A")
    with pytest.raises(ValueError, match=message):
        fr.efficiency(df, inputs, outputs, bads, model="ebm", epsilon=0.5, **kwargs)


def test_an_epsilon_side_the_orientation_does_not_count_is_warned_about():
    df, inputs, outputs, bads = frame("A")
    with pytest.warns(UserWarning, match=r"epsilon\['output'\] has no effect with orientation='input'"):
        res = fr.efficiency(df, inputs, outputs, bads, model="ebm", orientation="input", epsilon=EPS)
    assert res.spec.parameters["epsilon"] == {"input": EPS["input"]}


def test_command_line_bounded_flag(tmp_path, capsys):
    df, inputs, outputs, bads = frame("A")
    data = tmp_path / "d.csv"
    df.to_csv(data, index_label="dmu")
    base = ["efficiency", str(data), "-x", *inputs, "-y", *outputs, "-b", *bads, "--id", "dmu", "--model", "ebm",
            "--orientation", "nonoriented", "--epsilon", "0.5", "-q"]
    assert main(base + ["--rts", "crs", "--bounded", "-o", str(tmp_path / "b.csv")]) == 0
    got = pd.read_csv(tmp_path / "b.csv")["score"].to_numpy()
    api = fr.efficiency(df, inputs, outputs, bads, model="ebm", orientation="nonoriented", rts="crs", epsilon=0.5,
                        bounded=True)
    np.testing.assert_allclose(got, api.scores.to_numpy(), rtol=1e-9)
    assert main(base + ["--no-bounded", "-o", str(tmp_path / "c.csv")]) == 2
    assert "would have no effect" in capsys.readouterr().err
