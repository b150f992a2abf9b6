"""Validation of frontier against published / oracle DEA results (cases in the shared validation folder).

One test per registered case: every hard check must pass at the tolerance stated in the case's case.md; soft
checks (quantities case.md marks as non-unique, e.g. some slacks) are reported as warnings, never failures.
"""
from __future__ import annotations

import importlib.util
import json
import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from frontier import validation as V

# the cross-sectional cases the registry must cover (productivity cases are added by registering more)
CROSS_SECTIONAL = [
    "radial_ccr_bcc_fls1993", "super_radial_ap_fls1993", "radial_bcc_electric_plants_simar_wilson_1998",
    "radial_ccr_bcc_coelli_1998", "radial_undesirable_translation_hua_bian_2007", "sbm_tone2001",
    "sbm_erg_8dmu_single_io", "sbm_undesirable_tone2003", "super_sbm_tone2002_table1",
    "super_sbm_tone2002_power_plants", "ddf_fls1993", "ddf_undesirable_radial_china",
    "ddf_undesirable_radial_china_outputdir", "nddf_undesirable_china_w1111", "nddf_undesirable_china_w0505",
    "ddf_undesirable_apz_toy_abz2016",
]

# the productivity cases, with the checks each must produce (published and oracle columns separately)
PRODUCTIVITY = {
    "gml_undesirable_china_global": ["TFPCH/TECH/TECCH (oracle:gtfpch)", "TFPCH/TECH/TECCH (published)"],
    "luenberger_nddf_undesirable_china_global": ["TFPCH/TECH/TECCH (oracle:gtfpch)",
                                                 "TFPCH/TECH/TECCH (published)"],
    "malmquist_toy_abz2016": ["M/EC/TC base=previous (published)", "M/EC/TC base=first (published)"],
    "malmquist_wang_lan_2011": ["crs_io MI/EC/TC (oracle:deaR)", "vrs_io_fgnz MI/EC/TC/PECH/SECH (oracle:deaR)",
                                "seq_crs_io MI/EC/TC (oracle:deaR)", "glob_crs_io MI/EC/TC (oracle:deaR)"],
    "malmquist_fgnz_grifell_lovell_1999": ["MI/EC/TC/PECH/SECH (oracle:deaR)"],
    "ml_undesirable_apz_toy_abz2016": ["ML/MLTEC/MLTC periods 1-2 (oracle:DataEnvelopmentAnalysis.jl)",
                                       "ML/MLTEC/MLTC periods 1-2 (published)",
                                       "ML/MLTEC/MLTC periods 1-3 (oracle:DataEnvelopmentAnalysis.jl)"],
}


def _describe(rows) -> str:
    return "\n".join(f"  {r.check} [{r.model}]: max abs error {r.max_abs_error:.3g} > tolerance {r.tolerance:g}"
                     for r in rows)


@pytest.mark.parametrize("case", sorted(V.CASES))
def test_validation_case(case, validation_dir, run_case_once):
    rows = [r for r in run_case_once(case, validation_dir) if r.passed is not None]   # pending checks: below
    assert rows, f"{case}: no checks"
    assert all(r.case == case for r in rows)
    for r in rows:
        assert r.tolerance > 0, f"{case}: {r.check} has no tolerance"
        assert not math.isnan(r.max_abs_error), f"{case}: {r.check} compared nothing"
    hard = [r for r in rows if not r.soft]
    assert hard, f"{case}: every case needs at least one hard (score) check"
    failed = [r for r in hard if not r.passed]
    assert not failed, f"{case}: hard checks failed\n" + _describe(failed)
    soft_failed = [r for r in rows if r.soft and not r.passed]
    if soft_failed:  # alternative optima (case.md): report, do not fail
        warnings.warn(f"{case}: soft checks differ (non-unique per case.md)\n" + _describe(soft_failed))


def test_cross_sectional_cases_registered():
    missing = [c for c in CROSS_SECTIONAL if c not in V.CASES]
    assert not missing, f"validation cases without a registered function: {missing}"


def test_productivity_cases_registered():
    missing = [c for c in PRODUCTIVITY if c not in V.CASES]
    assert not missing, f"productivity cases without a registered function: {missing}"


@pytest.mark.parametrize("case", sorted(PRODUCTIVITY))
def test_productivity_case_checks(case, validation_dir, run_case_once):
    rows = run_case_once(case, validation_dir)
    assert sorted(r.check for r in rows) == sorted(PRODUCTIVITY[case])
    for r in rows:                         # case.md tolerances: published 1e-4, oracle 1e-6 (DEA.jl 1e-5)
        if "(published)" in r.check:
            assert r.tolerance == 1e-4
        else:
            assert r.tolerance == (1e-5 if "DataEnvelopmentAnalysis.jl" in r.check else 1e-6)
        assert not r.soft


def test_productivity_check_catches_a_lost_pair(tmp_path, validation_dir):
    """A productivity case whose expected pair is missing from the computed indices must fail, not pass."""
    import shutil
    case = "malmquist_fgnz_grifell_lovell_1999"
    folder = tmp_path / case
    shutil.copytree(validation_dir / case, folder)
    data = pd.read_csv(folder / "data.csv")
    data[~((data["DMU"] == "C") & (data["period"] == 2))].to_csv(folder / "data.csv", index=False)
    rows = V.run_case(case, tmp_path)
    assert rows[0].max_abs_error == math.inf and not rows[0].passed


def test_registered_cases_have_folders(validation_dir):
    present = set(V.available_cases(validation_dir))
    assert set(V.CASES) <= present, f"registered but no folder: {sorted(set(V.CASES) - present)}"


def test_run_validation_lists_every_folder(validation_dir, run_case_once, monkeypatch):
    monkeypatch.setattr(V, "run_case", run_case_once)         # each case solved once per session (conftest)
    df = V.run_validation(validation_dir)
    assert list(df.columns) == V.COLUMNS
    assert set(df["case"]) == set(V.available_cases(validation_dir))
    not_run = df[df["passed"].isna()]
    whole_cases = not_run[~not_run["case"].isin(PENDING_CHECKS)]
    assert set(whole_cases["case"]) == set(V.available_cases(validation_dir)) - set(V.CASES)
    assert (whole_cases["check"] == "not run").all()
    assert not_run["model"].str.startswith("model not available: ").all()
    assert not_run.groupby("case").size().reindex(list(PENDING_CHECKS)).tolist() == list(PENDING_CHECKS.values())
    assert V.hard_failures(df).empty, V.format_table(V.hard_failures(df))


# ---- the machinery, on synthetic case folders (no published data involved) ----------------------------

def _fake_case(root: Path, name: str) -> Path:
    folder = root / name
    folder.mkdir()
    (folder / "case.md").write_text(f"# {name}\n", encoding="utf-8")
    return folder


def test_unregistered_missing_and_erroring_cases(tmp_path, monkeypatch):
    _fake_case(tmp_path, "zz_future_productivity_case")
    _fake_case(tmp_path, "zz_broken")
    (tmp_path / "not_a_case").mkdir()                   # no case.md: ignored

    def broken(folder):
        raise RuntimeError("boom")

    monkeypatch.setitem(V.CASES, "zz_broken", broken)
    df = V.run_validation(tmp_path)
    assert set(df["case"]) == {"zz_future_productivity_case", "zz_broken"}
    row = df.set_index("case").loc["zz_future_productivity_case"]
    assert row["check"] == "not run" and pd.isna(row["passed"])
    row = df.set_index("case").loc["zz_broken"]
    assert row["check"] == "error" and row["passed"] == False and "boom" in row["model"]  # noqa: E712
    assert list(V.hard_failures(df)["case"]) == ["zz_broken"]

    df = V.run_validation(tmp_path, cases=["zz_absent"])
    assert df["check"].tolist() == ["missing"] and df["passed"].tolist() == [False]

    text = V.format_table(V.run_validation(tmp_path))
    assert "not run" in text and "FAIL" in text


def test_soft_failure_does_not_fail(tmp_path, monkeypatch):
    _fake_case(tmp_path, "zz_soft")
    monkeypatch.setitem(V.CASES, "zz_soft", lambda folder: [
        V.check(folder.name, "scores", "toy", pd.Series([1.0]), pd.Series([1.0]), 1e-6),
        V.check(folder.name, "slacks", "toy", pd.Series([0.0]), pd.Series([2.0]), 1e-6, soft=True),
    ])
    df = V.run_validation(tmp_path)
    assert df["passed"].tolist() == [True, False]
    assert V.hard_failures(df).empty
    assert "soft-fail" in V.format_table(df)


def test_max_abs_error_rules():
    exp = pd.Series([1.0, np.nan, 3.0], index=["a", "b", "c"])
    assert V.max_abs_error(pd.Series([1.5, 99.0, 3.0], index=["a", "b", "c"]), exp) == pytest.approx(0.5)
    assert V.max_abs_error(pd.Series([1.0, 2.0, np.nan], index=["a", "b", "c"]), exp) == math.inf  # failed LP
    assert V.max_abs_error(pd.Series([1.0], index=["a"]), exp) == math.inf                         # lost row
    with pytest.raises(ValueError):
        V.max_abs_error(pd.Series([1.0], index=["a"]), pd.Series([np.nan], index=["a"]))
    with pytest.raises(KeyError):
        V.max_abs_error(pd.DataFrame({"u": [1.0]}), pd.DataFrame({"v": [1.0]}))


def _runner():
    path = Path(__file__).resolve().parent.parent / "validation" / "run.py"
    spec = importlib.util.spec_from_file_location("frontier_validation_run", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_runner_exit_codes(tmp_path, monkeypatch, capsys):
    run = _runner()
    _fake_case(tmp_path, "zz_unregistered")
    assert run.main([str(tmp_path)]) == 0                      # "not run" is listed, not a failure
    assert "not run" in capsys.readouterr().out
    _fake_case(tmp_path, "zz_fails")
    monkeypatch.setitem(V.CASES, "zz_fails", lambda folder: [
        V.check(folder.name, "scores", "toy", pd.Series([1.0]), pd.Series([2.0]), 1e-6)])
    assert run.main([str(tmp_path)]) == 1
    assert run.main([str(tmp_path / "nowhere")]) == 2


# ---- the case descriptions (frontier/validation_cases.json) and the generic runner ----------------------

NOT_AVAILABLE: set[str] = set()        # the published cases whose model frontier does not have yet (none today)
PENDING_CHECKS: dict[str, int] = {}   # runnable cases with checks whose model is not there yet (none today)


def test_every_case_folder_is_described(validation_dir):
    present = set(V.available_cases(validation_dir))
    described = set(V.CASE_DESCRIPTIONS)
    assert present == described, (f"folders without a description: {sorted(present - described)}; "
                                  f"descriptions without a folder: {sorted(described - present)}")


def test_cases_whose_model_is_missing_are_listed_not_run(validation_dir):
    assert NOT_AVAILABLE.isdisjoint(V.CASES)
    assert {n for n, d in V.CASE_DESCRIPTIONS.items() if d.get("model_available") is False} == NOT_AVAILABLE
    if not NOT_AVAILABLE:       # every model is available; the "not run" path is tested on a fake case below
        return
    df = V.run_validation(validation_dir, cases=sorted(NOT_AVAILABLE))
    assert sorted(df["case"]) == sorted(NOT_AVAILABLE)
    assert (df["check"] == "not run").all() and df["passed"].isna().all()
    assert df["model"].str.startswith("model not available: ").all()
    assert V.hard_failures(df).empty
    with pytest.raises(KeyError, match="model not available"):
        V.run_case(sorted(NOT_AVAILABLE)[0], validation_dir)


def test_pending_checks_are_listed_not_run(validation_dir, run_case_once):
    """A runnable case runs what frontier has and lists each check whose model is missing as not run."""
    for name, n_pending in PENDING_CHECKS.items():
        rows = run_case_once(name, validation_dir)
        pending = [r for r in rows if r.passed is None]
        assert len(pending) == n_pending
        assert all(r.model.startswith("model not available: ") and np.isnan(r.max_abs_error) for r in pending)
        assert all(r.passed for r in rows if r.passed is not None)
    described = {n: sum(bool(c.get("requires")) for c in d["checks"]) for n, d in V.CASE_DESCRIPTIONS.items()
                 if d.get("model_available", True)}
    assert {n: k for n, k in described.items() if k} == PENDING_CHECKS


def test_dearun_panel_case_checks(validation_dir, run_case_once):
    """Every score, Malmquist and cross-period column of the Dearun panel is compared, as a hard check."""
    rows = run_case_once("super_sbm_undesirable_dearun_panel12x3", validation_dir)
    names = [r.check for r in rows]
    assert sum(n.endswith(" scores") for n in names) == 8                    # sbm/hybrid x contemp/global x crs/vrs
    assert sum("effch/techch/tfpch (relative)" in n for n in names) == 8     # sbm/super x adj/glob x crs/vrs
    assert sum(n.startswith("cross-period scores") for n in names) == 4
    assert all(not r.soft and r.passed and r.tolerance == 1e-6 for r in rows)


def test_tone2003_weights_case_checks(validation_dir, run_case_once):
    rows = {r.check: r for r in run_case_once("sbm_undesirable_tone2003_table2_weights", validation_dir)}
    for ratio in ("1:0.3", "1:1", "1:3"):
        rho = rows[f"rho good:bad = {ratio} (published)"]
        assert rho.passed and not rho.soft and rho.tolerance == 5e-4
        assert rows[f"projections good:bad = {ratio} (published)"].soft   # alternative optima (case.md)


def _describe_case(tmp_path: Path, description: dict, name: str = "zz_toy") -> Path:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": {name: description}}), encoding="utf-8")
    return path


TOY = {
    "key": ["DMU"], "variables": {"inputs": ["x"], "outputs": ["y"]}, "tolerance": 1e-9,
    "runs": {"crs": {"call": "efficiency", "options": {"model": "radial", "rts": "crs", "orientation": "input"}},
             "vrs": {"call": "efficiency", "options": {"model": "radial", "rts": "vrs", "orientation": "input"}}},
    "checks": [{"name": "theta", "run": "crs", "compare": {"theta": "score"}, "rows": {"kind": "crs"}},
               {"name": "1/theta", "run": "crs", "compare": {"theta": "score"}, "rows": {"kind": "inverse"},
                "transform": "reciprocal"},
               {"name": "scale efficiency", "run": "crs", "compare": {"theta": ["crs:score", "vrs:score"]},
                "rows": {"kind": "scale"}, "transform": "ratio", "error": "relative"}],
}


def _toy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "zz_toy"
    folder.mkdir()
    (folder / "case.md").write_text("# toy\n", encoding="utf-8")
    pd.DataFrame({"DMU": ["A", "B", "C"], "x": [1.0, 2.0, 3.0], "y": [1.0, 1.0, 1.0]}).to_csv(folder / "data.csv",
                                                                                              index=False)
    # one output level, so CRS and VRS input theta agree: A (x = 1) is the frontier, theta = 1, 1/2, 1/3
    expected = pd.DataFrame({"kind": ["crs"] * 3 + ["inverse"] * 3 + ["scale"] * 3, "DMU": list("ABC") * 3,
                             "theta": [1, 0.5, 1 / 3, 1, 2, 3, 1, 1, 1]})
    expected.to_csv(folder / "expected.csv", index=False)
    return folder


def test_generic_runner_on_a_toy_case(tmp_path):
    folder = _toy_folder(tmp_path)
    desc = V.load_case_descriptions(_describe_case(tmp_path, TOY))["zz_toy"]
    rows = V.DescribedCase("zz_toy", desc)(folder)
    assert [r.check for r in rows] == ["theta", "1/theta", "scale efficiency"]
    assert all(r.passed and r.max_abs_error < 1e-9 for r in rows), rows
    assert rows[0].model == "model=radial, rts=crs, orientation=input"

    wrong = pd.read_csv(folder / "expected.csv")
    wrong.loc[1, "theta"] = 0.6                                         # B's theta, a wrong expectation
    wrong.to_csv(folder / "expected.csv", index=False)
    rows = V.DescribedCase("zz_toy", desc)(folder)
    assert not rows[0].passed and rows[0].max_abs_error == pytest.approx(0.1)


def test_generic_runner_refuses_an_expected_row_no_check_compares(tmp_path):
    folder = _toy_folder(tmp_path)
    expected = pd.read_csv(folder / "expected.csv")
    pd.concat([expected, pd.DataFrame({"kind": ["new block"], "DMU": ["A"], "theta": [1.0]})]).to_csv(
        folder / "expected.csv", index=False)
    desc = V.load_case_descriptions(_describe_case(tmp_path, TOY))["zz_toy"]
    with pytest.raises(ValueError, match=r"row\(s\) \[11\] are compared by no check"):
        V.DescribedCase("zz_toy", desc)(folder)


@pytest.mark.parametrize("change, message", [
    (lambda d: d["checks"][0].update(transform="square"), "transform must be one of"),
    (lambda d: d["runs"]["crs"]["options"].update(rts_typo="crs"), r"efficiency\(\) has no option\(s\) \['rts_typo'\]"),
    (lambda d: d.pop("tolerance"), "needs a positive tolerance"),
    (lambda d: d["checks"][0].update(compare={"theta": "scores"}), "a efficiency result offers"),
    (lambda d: d["checks"][0].update(run="nowhere"), "needs a 'name' and a 'run'"),
    (lambda d: d["checks"][2].update(compare={"theta": "crs:score"}), r"with \[numerator, denominator\]"),
    (lambda d: d.update(model_available=False), "names it in 'requires'"),
])
def test_case_descriptions_are_validated(tmp_path, change, message):
    desc = json.loads(json.dumps(TOY))
    change(desc)
    with pytest.raises(ValueError, match=message) as info:
        V.load_case_descriptions(_describe_case(tmp_path, desc))
    assert "'zz_toy'" in str(info.value)


def test_unavailable_description_keeps_future_options(tmp_path):
    """A case whose model is not in frontier yet may name options and quantities the package does not have."""
    desc = json.loads(json.dumps(TOY))
    desc.update(model_available=False, requires="EBM")
    desc["runs"]["crs"]["options"]["epsilon"] = 0.5
    desc["checks"][0]["compare"] = {"theta": "theta"}
    assert "zz_toy" in V.load_case_descriptions(_describe_case(tmp_path, desc))


def test_pending_check_is_listed_not_run(tmp_path):
    """A check that ``requires`` a missing model may name a future call and quantity; it is listed as not run,
    its expected rows count as compared, and the case's other checks run."""
    folder = _toy_folder(tmp_path)
    desc = json.loads(json.dumps(TOY))
    desc["runs"]["future"] = {"call": "order_m", "options": {"m": 25}}
    desc["checks"][1].update(run="future", compare={"theta": "order_m_score"}, requires="order-m scores")
    desc = V.load_case_descriptions(_describe_case(tmp_path, desc))["zz_toy"]
    rows = V.DescribedCase("zz_toy", desc)(folder)
    assert [r.passed for r in rows] == [True, None, True]
    assert rows[1].model == "model not available: order-m scores"
    df = pd.DataFrame([dict(zip(V.COLUMNS, (r.case, r.check, r.model, r.max_abs_error, r.tolerance, r.passed,
                                            r.soft))) for r in rows])
    df["passed"] = df["passed"].astype("boolean")
    assert V.hard_failures(df).empty and "1 not run" in V.format_table(df)


def test_a_live_check_cannot_use_a_future_call(tmp_path):
    desc = json.loads(json.dumps(TOY))
    desc["runs"]["crs"]["call"] = "order_m"
    with pytest.raises(ValueError, match="call must be one of"):
        V.load_case_descriptions(_describe_case(tmp_path, desc))


def test_max_rel_error_rules():
    exp = pd.Series([2.0, np.nan, 4.0], index=["a", "b", "c"])
    assert V.max_rel_error(pd.Series([2.2, 9.0, 4.0], index=["a", "b", "c"]), exp) == pytest.approx(0.1)
    assert V.max_rel_error(pd.Series([2.0, 9.0, np.nan], index=["a", "b", "c"]), exp) == math.inf
    assert V.max_rel_error(pd.Series([0.0], index=["a"]), pd.Series([0.0], index=["a"])) == math.inf
    assert V.check("c", "n", "m", pd.Series([2.0 + 1e-7]), pd.Series([2.0]), 1e-7, relative=True).passed


def test_validation_directory_resolution(tmp_path, monkeypatch):
    monkeypatch.setenv(V.ENV_VAR, str(tmp_path / "env"))
    assert V.validation_directory() == tmp_path / "env"
    assert V.validation_directory(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv(V.ENV_VAR)
    monkeypatch.chdir(tmp_path)                       # no ../shared/validation beside the current folder
    assert V.validation_directory() == Path(V.__file__).resolve().parent.parent.parent / "shared" / "validation"


def test_case_file_is_package_data():
    """The descriptions ship with the package (pyproject package-data), or an installed `frontier validate` breaks."""
    pyproject = (Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8")
    package_data = pyproject.split("[tool.setuptools.package-data]")[1].split("\n[")[0]
    assert '"validation_cases.json"' in package_data
    assert V.CASE_FILE.is_file() and V.CASE_FILE.parent == Path(V.__file__).parent


def test_the_validation_table_keeps_every_line_under_120_characters():
    """Issue 27.8: `frontier validate` printed lines wider than a terminal; long case, check and model names now wrap
    within their columns, every other cell on the row's first line."""
    from frontier.validation import format_table

    long = dict(case="super_sbm_undesirable_dearun_panel12x3_and_a_longer_name", check="malmquist_super_glob_vrs "
                "indices and components", model="super-SBM (nonoriented, vrs, bounded) with a long description",
                max_abs_error=1.234e-9, tolerance=1e-6, soft=True, passed=False)
    short = dict(case="sbm_tone2001", check="sbm", model="SBM", max_abs_error=0.0, tolerance=1e-4, soft=False,
                 passed=True)
    text = format_table(pd.DataFrame([long, short]))
    lines = text.splitlines()
    assert max(len(line) for line in lines) < 120
    assert "soft-fail" in text and "1.23e-09" in text and "sbm_tone2001" in text
    words = " ".join(lines[2:-2])          # the wrapped cells keep every word
    for word in long["check"].split() + long["model"].split():
        assert word in words
