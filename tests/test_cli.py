"""The ``frontier`` command line: every command, file formats, exit codes and one-line errors."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import io
from frontier import validation as V
from frontier.cli import build_parser, main, validation_directory
from frontier.datasets import synthetic_city_panel, synthetic_firms

INPUTS = ["capital", "labour", "energy"]
OUTPUTS = ["value_added"]
BADS = ["so2", "dust"]
VARS = ["--inputs", *INPUTS, "--outputs", *OUTPUTS, "--bad-outputs", *BADS]
PANEL = ["--entity", "city", "--period", "year"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_city_panel(n_cities=12, n_years=4)


@pytest.fixture(scope="module")
def files(tmp_path_factory, panel) -> dict:
    d = tmp_path_factory.mktemp("cli-data")
    out = {}
    for ext in ("csv", "xlsx", "dta", "parquet"):
        out[ext] = d / f"panel.{ext}"
        io.write_table(panel, out[ext])
    firms = synthetic_firms(40)
    out["firms"] = d / "firms.csv"
    firms.reset_index().to_csv(out["firms"], index=False)
    return out


def run(argv, capsys) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def run_subprocess(argv, env=None, pre="") -> subprocess.CompletedProcess:
    code = f"import sys; {pre}from frontier.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *map(str, argv)], capture_output=True, text=True,
                          env={**os.environ, "MPLBACKEND": "Agg", **(env or {})}, timeout=120)


def assert_one_line_error(err: str, *fragments: str) -> None:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("frontier: error: "), err
    assert "Traceback" not in err
    for f in fragments:
        assert f in lines[0], (f, lines[0])


# ----------------------------------------------------------------------------------------------------
# efficiency
# ----------------------------------------------------------------------------------------------------

def test_efficiency_cross_section_csv(tmp_path, files, capsys):
    out = tmp_path / "scores.csv"
    code, stdout, err = run(["efficiency", files["firms"], "--inputs", "K", "L", "E", "--outputs", "Y",
                             "--bad-outputs", "SO2", "COD", "--model", "sbm", "--rts", "vrs", "--super",
                             "-o", out], capsys)
    assert code == 0, err
    assert "frontier efficiency: SBM" in stdout and "DMUs               40" in stdout
    assert f"wrote {out}" in err
    table = pd.read_csv(out)
    # no --id: all input columns, then the results, in the file's row order
    assert list(table.columns[:7]) == ["firm", "K", "L", "E", "Y", "SO2", "COD"]
    assert table.columns[7] == "score"
    ref = fr.efficiency(synthetic_firms(40), ["K", "L", "E"], ["Y"], ["SO2", "COD"], model="sbm", rts="vrs",
                        super_efficiency=True)
    np.testing.assert_allclose(table["score"].to_numpy(), ref.scores.to_numpy(), rtol=1e-9)
    assert (table["score"] > 1).any()                                   # super-efficiency


@pytest.mark.parametrize("src", ["csv", "xlsx", "dta", "parquet"])
def test_efficiency_reads_every_format(tmp_path, files, panel, src, capsys):
    out = tmp_path / "eff.csv"
    code, _, err = run(["efficiency", files[src], *VARS, "--id", "city", "--period", "year", "--model", "ddf",
                        "--direction", "output", "--rts", "crs", "-q", "-o", out], capsys)
    assert code == 0, err
    table = pd.read_csv(out)
    assert list(table.columns[:4]) == ["city", "year", "score", "status"]
    ref = fr.efficiency(panel, INPUTS, OUTPUTS, BADS, model="ddf", direction="output", rts="crs", period="year")
    np.testing.assert_allclose(table["score"].to_numpy(), ref.scores.to_numpy(), rtol=1e-7, atol=1e-9)


@pytest.mark.parametrize("ext", ["xlsx", "dta", "parquet"])
def test_efficiency_output_records_the_specification(tmp_path, files, ext, capsys):
    out = tmp_path / f"eff.{ext}"
    code, _, err = run(["efficiency", files["csv"], *VARS, "--id", "city", "--period", "year", "--technology",
                        "global", "--model", "sbm", "--weights", "capital=1", "labour=2", "-q", "-o", out], capsys)
    assert code == 0, err
    spec = io.read_specification(out)
    assert spec["command"].startswith("frontier efficiency ") and "--technology global" in spec["command"]
    assert spec["data file"] == str(files["csv"])
    assert spec["technology"] == "global" and spec["weights"] == "capital=1.0 labour=2.0"
    assert "weights={'capital': 1.0, 'labour': 2.0}" in spec["call"]
    back = io.read_table(out)
    assert len(back) == 48 and {"city", "year", "score"} <= set(back.columns)


def test_efficiency_keep_data_and_plot(tmp_path, files, capsys):
    pytest.importorskip("matplotlib")
    out, png = tmp_path / "eff.dta", tmp_path / "scores.png"
    code, _, err = run(["efficiency", files["csv"], *VARS, "--id", "city", "--period", "year", "--keep-data",
                        "--plot", png, "-q", "-o", out], capsys)
    assert code == 0, err
    back = io.read_table(out)
    assert list(back.columns[:9]) == ["city", "year", *INPUTS, *OUTPUTS, "so2", "wastewater", "dust"]
    assert "score" in back.columns
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000


def test_efficiency_to_stdout(files, capsys):
    code, out, err = run(["efficiency", files["csv"], *VARS, "--id", "city", "--period", "year", "-o", "-"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("city,year,score,status") and len(lines) == 49
    assert "frontier efficiency" in err                                  # the summary goes to stderr then


def test_stdout_of_a_real_process_is_only_the_table(files):
    """No solver banner (highspy >= 1.16 prints one from C++ on its first instance) leaks into piped output."""
    proc = run_subprocess(["efficiency", files["csv"], *VARS, "--id", "city", "--period", "year", "-o", "-"])
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("city,year,score,status") and len(lines) == 49
    assert "HiGHS" not in proc.stdout + proc.stderr


def test_efficiency_progress_bar(files, capsys):
    code, _, err = run(["efficiency", files["csv"], *VARS, "--period", "year", "--progress", "-q"], capsys)
    assert code == 0
    assert "48/48" in err                                                # tqdm's bar on stderr
    code, _, err = run(["efficiency", files["csv"], *VARS, "--period", "year", "--no-progress", "-q"], capsys)
    assert "48/48" not in err


# ----------------------------------------------------------------------------------------------------
# productivity
# ----------------------------------------------------------------------------------------------------

def test_productivity_gml_excel(tmp_path, files, panel, capsys):
    out = tmp_path / "gtfp.xlsx"
    code, stdout, err = run(["productivity", files["dta"], *PANEL, *VARS, "--index", "gml", "--model", "sbm_ddf",
                             "-o", out], capsys)
    assert code == 0, err
    assert "frontier productivity: GML (global Malmquist-Luenberger, ratio form) index, global technology" in stdout
    assert pd.ExcelFile(out).sheet_names == ["productivity", "distances", "specification"]
    table = pd.read_excel(out, sheet_name="productivity")
    ref = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="gml", model="sbm_ddf")
    np.testing.assert_allclose(table["gtfp"].to_numpy(), ref.cumulative()["gtfp"].to_numpy(), rtol=1e-9)
    spec = io.read_specification(out)
    assert spec["index"].startswith("global Malmquist-Luenberger (GML)")
    assert "--index gml" in spec["command"]


def test_productivity_stata_keep_data_merges(tmp_path, files, panel, capsys):
    out = tmp_path / "ml.dta"
    code, _, err = run(["productivity", files["csv"], *PANEL, *VARS, "--index", "ml", "--super", "--keep-data",
                        "--chain", "restart", "-q", "-o", out], capsys)
    assert code == 0, err
    back = io.read_table(out)
    assert len(back) == len(panel)
    assert list(back.columns[:2]) == ["city", "year"] and {"gtfp", "index", "restarted"} <= set(back.columns)
    notes = io.stata_notes(out)
    assert "chain policy: restart" in notes and "super_efficiency: True" in notes


def test_productivity_luenberger_fgnz_options(tmp_path, files, capsys):
    out = tmp_path / "lu.parquet"
    code, _, err = run(["productivity", files["parquet"], *PANEL, *VARS, "--index", "luenberger", "--technology",
                        "sequential", "--model", "ddf", "--bad-disposability", "strong", "--direction", "output",
                        "--decomposition", "fgnz", "--rts", "vrs", "-q", "-o", out], capsys)
    assert code == 0, err
    back = io.read_table(out)
    assert {"pec", "sec", "cum_pec"} <= set(back.columns)
    spec = io.read_specification(out)
    assert spec["technology"] == "sequential" and spec["bad_disposability"] == "strong"
    assert "indicator > 0 = progress" in spec["convention"]


@pytest.fixture(scope="module")
def chinese_csv(tmp_path_factory, panel) -> Path:
    """The panel as Excel on Chinese Windows saves it with European number settings: GBK text, ';' between
    fields, ',' as the decimal mark, Chinese column names, city codes with leading zeros and a city called NA."""
    cn = panel.rename(columns={"city": "城市", "year": "年份", "so2": "二氧化硫"})
    codes = {c: ("NA" if i == 2 else f"{i:03d}") for i, c in enumerate(pd.unique(cn["城市"]), start=1)}
    cn["城市"] = cn["城市"].map(codes)
    path = tmp_path_factory.mktemp("cn") / "面板.csv"
    cn.to_csv(path, index=False, sep=";", decimal=",", encoding="gbk")
    return path


CN_VARS = ["--inputs", *INPUTS, "--outputs", *OUTPUTS, "--bad-outputs", "二氧化硫"]
CN_CSV = ["--sep", ";", "--decimal", ",", "--encoding", "gbk"]


def test_productivity_reads_a_chinese_csv_and_keeps_codes_as_text(tmp_path, chinese_csv, capsys):
    out, csv = tmp_path / "gml.dta", tmp_path / "gml.csv"
    argv = ["productivity", chinese_csv, "--entity", "城市", "--period", "年份", *CN_VARS, *CN_CSV, "-q"]
    code, _, err = run([*argv, "-o", out], capsys)
    assert code == 0, err
    back = pd.read_stata(out)
    assert list(back.columns[:2]) == ["城市", "年份"]
    assert back["城市"].iloc[0] == "001" and "NA" in set(back["城市"])       # codes and the city NA survive
    assert len(back) == 48 and back["gtfp"].notna().all()
    code, _, err = run([*argv, "-o", csv], capsys)
    assert code == 0, err
    again = io.read_table(csv, text_columns=["城市"])
    assert again["城市"].iloc[0] == "001" and "NA" in set(again["城市"])
    code, _, err = run(["productivity", chinese_csv, "--entity", "城市", "--period", "年份", *CN_VARS, "-q"],
                       capsys)
    assert code == 2
    assert_one_line_error(err, "--encoding gbk")


@pytest.mark.parametrize("command, options", [
    ("window", ["--entity", "城市", "--period", "年份", "--width", "2"]),
    ("metafrontier", ["--group", "region", "--id", "城市", "--period", "年份"]),
])
def test_window_and_metafrontier_read_a_chinese_csv(tmp_path, chinese_csv, panel, command, options, capsys):
    """window and metafrontier take the reading options of the other commands (--sep, --decimal, --encoding)
    and keep the codes of the id (entity) column as text."""
    out = tmp_path / "out.csv"
    code, _, err = run([command, chinese_csv, *options, *CN_VARS, *CN_CSV, "--model", "radial", "-q", "-o", out],
                       capsys)
    assert code == 0, err
    back = io.read_table(out, text_columns=["城市"])
    assert back["城市"].iloc[0] == "001" and "NA" in set(back["城市"])
    if command == "window":
        api = fr.window_analysis(panel, "city", "year", INPUTS, OUTPUTS, ["so2"], width=2, model="radial")
        column, expected = "score", api.scores["score"]
    else:
        api = fr.metafrontier(panel, "region", INPUTS, OUTPUTS, ["so2"], model="radial", period="year")
        column, expected = "tgr", api.tgr
    np.testing.assert_allclose(np.sort(back[column].to_numpy()), np.sort(expected.to_numpy()), rtol=1e-9)
    code, _, err = run([command, chinese_csv, *options, *CN_VARS, "--model", "radial", "-q"], capsys)
    assert code == 2
    assert_one_line_error(err, "--encoding gbk")


def test_efficiency_id_keeps_codes_and_chinese_names(tmp_path, chinese_csv, capsys):
    out = tmp_path / "eff.xlsx"
    code, _, err = run(["efficiency", chinese_csv, *CN_VARS, *CN_CSV, "--id", "城市", "--period", "年份", "-q",
                        "-o", out], capsys)
    assert code == 0, err
    back = io.read_table(out, text_columns=["城市"])
    assert list(back.columns[:3]) == ["城市", "年份", "score"]
    assert back["城市"].iloc[0] == "001" and "NA" in set(back["城市"]) and len(back) == 48


def test_na_values_option_marks_more_missing_cells(tmp_path, capsys):
    path = tmp_path / "firms.csv"
    firms = synthetic_firms(10).reset_index()
    firms["K"] = firms["K"].astype(object)
    firms.loc[3, "K"] = "-"
    firms.to_csv(path, index=False)
    argv = ["efficiency", path, "--inputs", "K", "L", "--outputs", "Y", "-q"]
    code, _, err = run(argv, capsys)
    assert code == 2 and "column 'K' is not numeric" in err
    code, _, err = run([*argv, "--na-values", "-"], capsys)
    assert code == 2 and "column 'K' has NaN values in rows [3]" in err


def test_productivity_plots(tmp_path, files, capsys):
    pytest.importorskip("matplotlib")
    gtfp_png, dec_png, ent_png = tmp_path / "gtfp.png", tmp_path / "dec.png", tmp_path / "ent.png"
    code, _, err = run(["productivity", files["csv"], *PANEL, *VARS, "--index", "ml", "-q", "--plot", gtfp_png,
                        "--plot-decomposition", dec_png], capsys)
    assert code == 0, err
    assert "no -o FILE given" not in err                                 # -q
    for png in (gtfp_png, dec_png):
        assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 10_000
    code, _, err = run(["productivity", files["csv"], *PANEL, *VARS, "-q", "--plot", ent_png, "--plot-entities",
                        "city001", "city002"], capsys)
    assert code == 0, err and ent_png.exists()
    code, _, err = run(["productivity", files["csv"], *PANEL, *VARS, "-q", "--plot", ent_png, "--plot-entities",
                        "atlantis"], capsys)
    assert code == 2
    assert_one_line_error(err, "atlantis")


# ----------------------------------------------------------------------------------------------------
# errors: one line, exit status 2, no traceback
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, fragments", [
    (["efficiency", "{csv}", "--inputs", "capital", "GDP", "--outputs", "value_added"],
     ["'GDP' (input)", "the file has: city, year, capital"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--model", "dea"],
     ["invalid choice: 'dea'", "frontier efficiency --help"]),
    (["efficiency", "{missing}", "--inputs", "capital", "--outputs", "value_added"], ["not found"]),
    (["efficiency", "{csv}", "--outputs", "value_added"], ["required: --inputs"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--model", "ddf",
      "--orientation", "input"], ["has no orientation"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--technology", "global"],
     ["needs --period"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--technology", "contemporaneous"],
     ["needs --period"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--weights", "capital:1"],
     ["VARIABLE=NUMBER"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--id", "year"],
     ["does not identify the rows"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "-o", "{tmp}/scores.sav"],
     ["cannot tell the file type", ".sav"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "-o", "{tmp}/nodir/x.csv"],
     ["does not exist"]),
    (["efficiency", "{csv}", "--inputs", "capital", "--outputs", "value_added", "--model", "sbm", "--zeros",
      "error", "--weights", "GDP=1"], ["weights names column 'GDP'"]),
    (["productivity", "{csv}", "--entity", "town", "--period", "year", "--inputs", "capital", "--outputs",
      "value_added"], ["'town' (entity)"]),
    (["productivity", "{csv}", "--entity", "city", "--period", "year", "--inputs", "capital", "--outputs",
      "value_added", "--index", "ml", "--technology", "global"], ["means the contemporaneous technology"]),
    (["productivity", "{csv}", "--entity", "city", "--period", "year", "--inputs", "capital", "--outputs",
      "value_added", "--sheet", "data"], []),
    (["productivity", "{xlsx}", "--entity", "city", "--period", "year", "--inputs", "capital", "--outputs",
      "value_added", "--sheet", "nope"], ["sheet 'nope' not found"]),
    (["frobnicate"], ["invalid choice: 'frobnicate'"]),
])
def test_errors_are_one_line(argv, fragments, files, tmp_path, capsys):
    subs = {"{csv}": str(files["csv"]), "{xlsx}": str(files["xlsx"]), "{missing}": str(tmp_path / "none.csv")}
    argv = [subs.get(a, a).replace("{tmp}", str(tmp_path)) for a in argv]
    code, _, err = run(argv, capsys)
    if not fragments:      # --sheet on a CSV is ignored: not an error
        assert code == 0
        return
    assert code == 2
    assert_one_line_error(err, *fragments)


def test_error_in_a_real_process_has_no_traceback(files, tmp_path):
    proc = run_subprocess(["efficiency", files["csv"], "--inputs", "capital", "nope", "--outputs", "value_added"])
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, "'nope' (input)")
    proc = run_subprocess(["efficiency", files["csv"], "--inputs", "capital", "nope", "--outputs", "value_added",
                           "--traceback"])
    assert proc.returncode != 0 and "Traceback" in proc.stderr


def test_bad_data_values_are_one_line(tmp_path, panel, capsys):
    bad = panel.copy()
    bad.loc[3, "capital"] = -1.0
    bad.loc[5, "labour"] = np.nan
    path = tmp_path / "bad.csv"
    bad.to_csv(path, index=False)
    code, _, err = run(["efficiency", path, "--inputs", "capital", "labour", "--outputs", "value_added"], capsys)
    assert code == 2
    assert_one_line_error(err, "capital", "negative")


def test_plot_without_matplotlib_is_a_clear_error(files, tmp_path):
    proc = run_subprocess(["efficiency", files["csv"], "--inputs", "capital", "--outputs", "value_added", "-q",
                           "--plot", tmp_path / "x.png"], pre="sys.modules['matplotlib'] = None; ")
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, "matplotlib", "pip install")


@pytest.mark.skipif(shutil.which("frontier") is None, reason="the frontier script is not installed")
def test_installed_script(files):
    proc = subprocess.run(["frontier", "efficiency", str(files["csv"]), "--inputs", "capital", "--outputs",
                           "value_added", "--model", "nope"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert_one_line_error(proc.stderr, "invalid choice")
    proc = subprocess.run(["frontier", "--version"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.startswith("frontier ")


def test_version_is_the_distributions(capsys, monkeypatch):
    """``frontier --version`` prints the installed frontier-dea version (else the source tree's); the
    distribution is named frontier-dea (``frontier`` on PyPI is another package) and takes its version from
    frontier.__version__."""
    import tomllib
    from importlib import metadata

    expected = metadata.version("frontier-dea") if _installed() else fr.__version__
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"frontier {expected} (frontier-dea)"
    monkeypatch.setattr(metadata, "version", lambda name: "9.8.7" if name == "frontier-dea" else "0")
    code, out, _ = run(["--version"], capsys)
    assert out.strip() == "frontier 9.8.7 (frontier-dea)"
    project = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())
    assert project["project"]["name"] == "frontier-dea"
    # the build reads the leaf module frontier/_version.py, which frontier.__version__ re-exports
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "frontier._version.__version__"}
    assert fr.__version__ == __import__("frontier._version")._version.__version__
    assert sorted(project["project"]["dependencies"]) == sorted(
        ["numpy>=1.24", "scipy>=1.10", "highspy>=1.7", "numba>=0.60", "pandas>=2.0", "joblib>=1.3", "tqdm>=4.60"])
    assert project["project"]["optional-dependencies"]["full"] == ["frontier-dea[io,plot]"]


def _installed() -> bool:
    from importlib import metadata

    try:
        metadata.version("frontier-dea")
        return True
    except metadata.PackageNotFoundError:
        return False


def test_python_dash_m(files, tmp_path):
    out = tmp_path / "m.csv"
    proc = subprocess.run([sys.executable, "-m", "frontier", "efficiency", str(files["firms"]), "--inputs", "K", "L",
                           "--outputs", "Y", "--id", "firm", "-o", str(out), "-q"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    back = pd.read_csv(out)
    assert len(back) == 40 and back["score"].between(0, 1 + 1e-9).all()


# ----------------------------------------------------------------------------------------------------
# help
# ----------------------------------------------------------------------------------------------------

def test_help_explains_every_option(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0
    for cmd in ("efficiency", "productivity", "validate", "demo"):
        assert cmd in out
    code, out, _ = run(["efficiency", "--help"], capsys)
    assert code == 0
    text = " ".join(out.split())
    for phrase in ("returns to scale", "use less input for the same outputs", "the direction a DMU moves",
                   "which observations form period t's frontier", "super-efficiency", "only together with good "
                   "outputs", "1/100 of the column's smallest positive value", "'-' writes CSV to standard output",
                   "--progress, --no-progress", "--weights VAR=W", "--n-jobs N", "--plot FILE.png"):
        assert phrase in text, phrase
    code, out, _ = run(["productivity", "--help"], capsys)
    text = " ".join(out.split())
    for phrase in ("global Malmquist-Luenberger (Oh 2010)", "'biennial' the two periods compared",
                   "'restart' re-bases the chain", "pure (pec) x scale (sec)", "--adjacency", "--base",
                   "--plot-decomposition", "gtfpch K L E = Y : SO2, dmu(id) global", "--super, --no-super"):
        assert phrase in text, phrase
    parser = build_parser()
    for action in parser._subparsers._group_actions[0].choices["productivity"]._actions:
        assert action.help, action.dest                                   # no option without an explanation


# ----------------------------------------------------------------------------------------------------
# validate and demo
# ----------------------------------------------------------------------------------------------------

def test_validate_prints_the_table(validation_dir, run_case_once, monkeypatch, capsys):
    monkeypatch.setattr(V, "run_case", run_case_once)         # each case solved once per session (conftest)
    code, out, err = run(["validate", validation_dir, "--case", "sbm_tone2001", "--case", "gml_undesirable_china_global"],
                         capsys)
    assert code == 0, err
    assert f"validation cases: {validation_dir}" in out
    assert "case" in out and "max abs error" in out and "tolerance" in out
    assert "sbm_tone2001" in out and "gml_undesirable_china_global" in out
    assert "2 cases" in out and "0 failed" in out


def test_validate_all_cases(validation_dir, run_case_once, monkeypatch, capsys):
    monkeypatch.setattr(V, "run_case", run_case_once)         # each case solved once per session (conftest)
    code, out, _ = run(["validate", validation_dir], capsys)
    assert code == 0
    assert " 0 failed" in out


def test_validate_fails_with_status_1(validation_dir, tmp_path, capsys):
    case = tmp_path / "sbm_tone2001"
    shutil.copytree(validation_dir / "sbm_tone2001", case)
    expected = pd.read_csv(case / "expected.csv")
    expected["sbm"] = expected["sbm"] * 0.9                               # a wrong expectation
    expected.to_csv(case / "expected.csv", index=False)
    code, out, err = run(["validate", tmp_path], capsys)
    assert code == 1
    assert "FAIL" in out
    assert err.startswith("frontier: ") and "FAILED" in err


def test_validate_directory_resolution(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FRONTIER_VALIDATION_DIR", str(tmp_path / "env"))
    assert validation_directory() == tmp_path / "env"
    assert validation_directory(tmp_path / "arg") == tmp_path / "arg"
    monkeypatch.delenv("FRONTIER_VALIDATION_DIR")
    (tmp_path / "shared" / "validation").mkdir(parents=True)
    (tmp_path / "repo").mkdir()
    monkeypatch.chdir(tmp_path / "repo")
    assert validation_directory().resolve() == (tmp_path / "shared" / "validation").resolve()
    code, _, err = run(["validate", tmp_path / "nowhere"], capsys)
    assert code == 2
    assert_one_line_error(err, "not found")


def test_demo_subcommand_is_kept(capsys):
    code, out, _ = run(["demo", "--help"], capsys)
    assert code == 0 and "--out" in out and "--n-jobs" in out


def test_damaged_stata_file_is_a_one_line_error(tmp_path, files, capsys):
    """A truncated .dta used to end in 'unexpected error' (struct.error, exit 1)."""
    damaged = tmp_path / "damaged.dta"
    damaged.write_bytes(files["dta"].read_bytes()[:100])
    code, _, err = run(["efficiency", damaged, "--inputs", "capital", "--outputs", "value_added"], capsys)
    assert code == 2
    assert_one_line_error(err, f"cannot read '{damaged}' as Stata .dta", "damaged, truncated")


# ----------------------------------------------------------------------------------------------------
# output files: checked before the work, written whole or not at all
# ----------------------------------------------------------------------------------------------------

@pytest.fixture
def no_solving(monkeypatch):
    """Any LP solved fails the test: the command must stop before the work."""
    import frontier.engine

    def solved(*args, **kwargs):
        raise AssertionError("an LP was solved")

    monkeypatch.setattr(frontier.engine, "run_jobs", solved)


@pytest.mark.parametrize("command", ["efficiency", "productivity"])
@pytest.mark.parametrize("option, target, fragments", [
    ("-o", "{tmp}/missing/scores.xlsx", ["output folder", "missing' does not exist"]),
    ("-o", "{tmp}/scores.sav", ["cannot tell the file type", ".sav"]),
    ("-o", "{tmp}/scores.xls", ["old .xls format"]),
    ("-o", "{tmp}", ["is a folder"]),
    ("--plot", "{tmp}/missing/plot.png", ["plot folder", "missing' does not exist"]),
    ("--plot", "{tmp}/plot.xyz", ["--plot", "cannot tell the image format", ".xyz"]),
])
def test_unwritable_output_fails_before_solving(tmp_path, files, no_solving, capsys, command, option, target,
                                                fragments):
    """Before, a long run solved every LP and then failed on -o (its results lost)."""
    if option == "--plot":
        pytest.importorskip("matplotlib")
    if target == "{tmp}":
        target = str(tmp_path / "dir.csv")
        os.mkdir(target)
    target = target.replace("{tmp}", str(tmp_path))
    argv = [command, files["csv"], *(PANEL if command == "productivity" else []), *VARS, "-q", option, target]
    code, _, err = run(argv, capsys)
    assert code == 2, err
    assert_one_line_error(err, *fragments)


def test_the_check_needs_no_solving_when_the_output_is_fine(tmp_path, files, no_solving, capsys):
    """The fixture does catch a solve (the tests above would pass vacuously otherwise)."""
    code, _, err = run(["efficiency", files["csv"], *VARS, "-q", "-o", tmp_path / "ok.csv"], capsys)
    assert code == 1 and "an LP was solved" in err


def test_failing_export_keeps_the_existing_file(tmp_path, files, monkeypatch, capsys):
    out = tmp_path / "scores.xlsx"
    out.write_bytes(b"yesterday's results")

    def disk_full(export, path):
        Path(path).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(io, "_write_excel", disk_full)
    code, _, err = run(["efficiency", files["csv"], *VARS, "-q", "-o", out], capsys)
    assert code == 2
    assert_one_line_error(err, "No space left on device")
    assert out.read_bytes() == b"yesterday's results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.xlsx"]


def test_formula_like_labels_warn_on_csv_and_are_text_in_excel(tmp_path, panel, capsys):
    data = panel.copy()
    data["city"] = "=" + data["city"]                      # "=city001"...
    src = tmp_path / "panel.csv"
    data.to_csv(src, index=False)
    code, _, err = run(["efficiency", src, *VARS, "--id", "city", "--period", "year", "-o",
                        tmp_path / "scores.csv"], capsys)
    assert code == 0, err
    warning = [line for line in err.splitlines() if line.startswith("frontier: warning: ")]
    assert len(warning) == 1 and "column 'city'" in warning[0] and "may run it as a formula" in warning[0]
    code, _, err = run(["efficiency", src, *VARS, "--id", "city", "--period", "year", "-q", "-o",
                        tmp_path / "scores.csv"], capsys)
    assert code == 0 and err == ""                                      # -q: errors only
    assert pd.read_csv(tmp_path / "scores.csv")["city"].str.startswith("=city").all()     # kept as it is
    code, _, err = run(["efficiency", src, *VARS, "--id", "city", "--period", "year", "-q", "-o",
                        tmp_path / "scores.xlsx"], capsys)
    assert code == 0 and "warning" not in err
    openpyxl = pytest.importorskip("openpyxl")
    ws = openpyxl.load_workbook(tmp_path / "scores.xlsx")["efficiency"]
    cells = [c for c in ws["A"][1:]]
    assert all(c.value.startswith("=city") and c.data_type == "s" for c in cells)


def test_plots_are_written_whole(tmp_path, files, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    import frontier.plots

    png = tmp_path / "scores.png"
    png.write_bytes(b"old plot")

    def broken(res, path, **kwargs):
        Path(path).write_bytes(b"half a png")
        raise ValueError("plot failed")

    monkeypatch.setattr(frontier.plots, "plot_scores", broken)
    code, _, err = run(["efficiency", files["csv"], *VARS, "-q", "--plot", png], capsys)
    assert code == 2 and png.read_bytes() == b"old plot"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.png"]


def test_productivity_of_a_single_period_is_a_clear_error(tmp_path, panel, capsys):
    path = tmp_path / "one_year.csv"
    panel[panel["year"] == panel["year"].min()].to_csv(path, index=False)
    code, _, err = run(["productivity", path, *PANEL, *VARS], capsys)
    assert code == 2
    assert_one_line_error(err, "no entity is observed in two periods", "'city'", "'year'")


def test_option_values_are_case_insensitive(tmp_path, files, capsys):
    out = tmp_path / "upper.csv"
    code, stdout, err = run(["productivity", files["csv"], *PANEL, *VARS, "--index", "Malmquist", "--technology",
                             "Global", "--model", "DDF", "--rts", "CRS", "--decomposition", "FGNZ", "--adjacency",
                             "Observed", "--base", "Previous", "--chain", "Restart", "--zeros", "Error", "-o", out],
                            capsys)
    assert code == 0, err
    assert "frontier productivity: global Malmquist (ratio form) index" in stdout
    assert {"cum_ec", "cum_pec", "restarted"} <= set(pd.read_csv(out).columns)


# ----------------------------------------------------------------------------------------------------
# economic
# ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def priced(tmp_path_factory, panel) -> Path:
    """The city panel with each city's own price of capital (a column); labour and energy get numbers."""
    rng = np.random.default_rng(4)
    data = panel.assign(rental=rng.uniform(0.05, 0.15, len(panel)), output_price=rng.uniform(0.8, 1.2, len(panel)))
    path = tmp_path_factory.mktemp("cli-economic") / "priced.csv"
    data.to_csv(path, index=False)
    return path


def test_economic_cost_with_column_and_number_prices_matches_the_api(tmp_path, priced, capsys):
    out = tmp_path / "cost.xlsx"
    code, text, err = run(["economic", priced, *VARS, "--kind", "cost", "--prices", "capital=rental",
                           "labour=3.5", "energy=0.8", "--id", "city", "--period", "year", "--technology",
                           "global", "-o", out], capsys)
    assert code == 0, err
    assert "economic           mean" in text and "(n=48)" in text
    data = pd.read_csv(priced).set_index(["city", "year"], drop=False)
    api = fr.economic(data, INPUTS, OUTPUTS, BADS, kind="cost",
                      prices={"capital": "rental", "labour": 3.5, "energy": 0.8}, period="year", technology="global")
    table = pd.read_excel(out, sheet_name="cost")
    assert list(table.columns[:2]) == ["city", "year"]
    np.testing.assert_allclose(table["economic"], api.economic.to_numpy())
    np.testing.assert_allclose(table["allocative"], api.allocative.to_numpy())
    spec = io.read_specification(out)
    assert spec["call"].startswith("frontier.economic(data") and "'capital': 'rental'" in spec["call"]
    assert spec["command"].startswith("frontier economic")


def test_economic_profit_direction_to_stata_and_stdout(tmp_path, priced, capsys):
    out = tmp_path / "profit.dta"
    code, _, err = run(["economic", priced, "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--kind", "profit",
                        "--prices", "capital=rental", "labour=3.5", "energy=0.8", "value_added=output_price",
                        "--direction", "ones", "--rts", "vrs", "--id", "city", "year", "-o", out, "-q"], capsys)
    assert code == 0, err
    table = pd.read_stata(out)
    np.testing.assert_allclose(table["economic"], table["technical"] + table["allocative"], atol=1e-9)
    assert (table["allocative"] >= -1e-9).all()
    code, text, _ = run(["economic", priced, "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--kind", "revenue",
                         "--prices", "value_added=1", "-o", "-"], capsys)
    assert code == 0 and text.splitlines()[0].startswith("city,year,")        # all input columns, then results


@pytest.mark.parametrize("extra, fragment", [
    (["--kind", "cost", "--prices", "capital=nonexistent", "labour=1", "energy=1"], "neither a column"),
    (["--kind", "cost", "--prices", "capital=1", "labour=1"], "lacks ['energy']"),
    (["--kind", "cost", "--prices", "capital=1", "labour=1", "energy=1", "--direction", "ones"],
     "--direction applies to --kind profit"),
    (["--kind", "cost", "--prices", "capital", "labour=1"], "VARIABLE=COLUMN or VARIABLE=NUMBER"),
    (["--kind", "cost", "--prices", "capital=1", "labour=1", "energy=1", "so2=1"], "not priced"),
])
def test_economic_errors_are_one_line(priced, extra, fragment, capsys):
    code, _, err = run(["economic", priced, *VARS, *extra], capsys)
    assert code == 2
    assert_one_line_error(err)
    assert fragment in err, err


def test_economic_help_explains_every_option(capsys):
    code, out, _ = run(["economic", "--help"], capsys)
    assert code == 0
    text = " ".join(out.split())
    for phrase in ("a column of the data (each DMU's own price) or a number", "Bad outputs are not priced",
                   "--kind {cost,revenue,profit}", "Profit is bounded only under vrs"):
        assert phrase in text, phrase
    for action in build_parser()._subparsers._group_actions[0].choices["economic"]._actions:
        assert action.help, action.dest


# ----------------------------------------------------------------------------------------------------
# Hicks-Moorsteen and window analysis
# ----------------------------------------------------------------------------------------------------

def test_productivity_hicks_moorsteen_and_lhm(tmp_path, files, panel, capsys):
    out = tmp_path / "hm.csv"
    code, stdout, err = run(["productivity", files["csv"], *PANEL, "--inputs", *INPUTS, "--outputs", *OUTPUTS,
                             "--index", "hicks_moorsteen", "--technology", "global", "-o", out], capsys)
    assert code == 0, err
    assert "Hicks-Moorsteen" in stdout
    table = pd.read_csv(out)
    api = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, index="hicks_moorsteen", technology="global")
    got = table.dropna(subset=["index"]).set_index(["city", "year"])["index"]
    np.testing.assert_allclose(got.to_numpy(), api.indices["index"].reindex(got.index).to_numpy(), rtol=1e-12)
    assert {"output_quantity", "input_quantity", "cum_output_quantity"} <= set(table.columns)
    png = tmp_path / "lhm.png"
    code, _, err = run(["productivity", files["csv"], *PANEL, *VARS, "--index", "lhm", "--rts", "crs", "-q",
                        "--plot-decomposition", png], capsys)
    assert code == 0, err and png.exists()
    code, _, err = run(["productivity", files["csv"], *PANEL, *VARS, "--index", "hicks_moorsteen",
                        "--model", "sbm"], capsys)
    assert code == 2
    assert_one_line_error(err, "defined on the 'radial' model only")


def test_window_command(tmp_path, files, panel, capsys):
    out, png = tmp_path / "w.xlsx", tmp_path / "w.png"
    code, stdout, err = run(["window", files["dta"], *PANEL, *VARS, "--width", "2", "--model", "radial",
                             "-o", out, "--plot", png, "--plot-entities", "city001"], capsys)
    assert code == 0, err
    assert "frontier window analysis: width 2, 3 window(s)" in stdout
    sheets = pd.read_excel(out, sheet_name=None)
    api = fr.window_analysis(panel, "city", "year", INPUTS, OUTPUTS, BADS, width=2, model="radial")
    np.testing.assert_allclose(sheets["window scores"]["score"].to_numpy(), api.scores["score"].to_numpy(),
                               rtol=1e-12)
    assert "by entity" in sheets and png.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run(["window", files["csv"], *PANEL, *VARS, "--width", "9"], capsys)
    assert code == 2
    assert_one_line_error(err, "width=9 exceeds the 4 period")


# ----------------------------------------------------------------------------------------------------
# metafrontier, and the metafrontier productivity index
# ----------------------------------------------------------------------------------------------------

META = ["--group", "region", "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--bad-outputs", "so2"]


def test_metafrontier_csv_with_id_and_period(tmp_path, files, panel, capsys):
    out = tmp_path / "tgr.csv"
    code, stdout, err = run(["metafrontier", files["csv"], *META, "--id", "city", "--period", "year", "--meta",
                             "union", "-o", out], capsys)
    assert code == 0, err
    assert "frontier metafrontier: union metafrontier over the groups of 'region'" in stdout
    assert "mean by group (n = DMUs with a defined value)" in stdout and "mean by period" in stdout
    assert f"wrote {out} (48 rows x 8 columns)" in err
    table = pd.read_csv(out)
    assert list(table.columns) == ["city", "year", "region", "group_score", "group_status", "meta_score",
                                   "meta_status", "tgr"]
    ref = fr.metafrontier(panel, "region", INPUTS, OUTPUTS, ["so2"], meta="union", period="year")
    np.testing.assert_allclose(table["tgr"].to_numpy(), ref.tgr.to_numpy(), rtol=1e-9)
    np.testing.assert_allclose(table["meta_score"].to_numpy(), ref.meta_scores.to_numpy(), rtol=1e-9)


@pytest.mark.parametrize("ext", ["xlsx", "dta", "parquet"])
def test_metafrontier_formats_record_the_specification(tmp_path, files, ext, capsys):
    if ext == "xlsx":
        pytest.importorskip("openpyxl")
    out = tmp_path / f"gap.{ext}"
    code, _, err = run(["metafrontier", files["dta"], *META, "--id", "city", "--period", "year", "--model", "ddf",
                        "--rts", "crs", "--technology", "global", "-q", "-o", out], capsys)
    assert code == 0, err
    spec = io.read_specification(out)
    assert spec["command"].startswith("frontier metafrontier ") and "--technology global" in spec["command"]
    assert spec["call"].startswith("frontier.metafrontier(data, group='region'") and spec["meta"] == "pooled"
    back = io.read_table(out)
    assert len(back) == 48 and {"city", "year", "region", "gap"} <= set(back.columns)
    assert (back["gap"] >= 0).all()


def test_metafrontier_without_id_copies_the_data_and_plots(tmp_path, files, panel, capsys):
    pytest.importorskip("matplotlib")
    out, png, png_t = tmp_path / "m.csv", tmp_path / "tgr.png", tmp_path / "tgr_t.png"
    code, _, err = run(["metafrontier", files["csv"], *META, "--period", "year", "--model", "radial", "-q",
                        "-o", out, "--plot", png, "--plot-periods", png_t], capsys)
    assert code == 0, err
    table = pd.read_csv(out)
    # all input columns once (group and period included), then the results
    assert list(table.columns) == list(panel.columns) + ["group_score", "group_status", "meta_score",
                                                         "meta_status", "tgr"]
    for path in (png, png_t):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


@pytest.mark.parametrize("extra, fragments", [
    (["--plot-periods", "{tmp}/t.png"], ["--plot-periods needs --period"]),
    (["--technology", "global"], ["needs --period"]),
    (["--period", "year", "-o", "{tmp}/missing/m.csv"], ["output folder", "missing' does not exist"]),
    (["--period", "year", "--plot", "{tmp}/m.xyz"], ["--plot", "cannot tell the image format"]),
    (["--period", "year", "--group", "sector"], ["'sector' (group)"]),
])
def test_metafrontier_checks_before_solving(tmp_path, files, no_solving, capsys, extra, fragments):
    if any("png" in a or "xyz" in a for a in extra):
        pytest.importorskip("matplotlib")
    extra = [a.replace("{tmp}", str(tmp_path)) for a in extra]
    code, _, err = run(["metafrontier", files["csv"], *META, "-q", *extra], capsys)
    assert code == 2, err
    assert_one_line_error(err, *fragments)


def test_productivity_group_is_the_metafrontier_index(tmp_path, files, panel, capsys):
    pytest.importorskip("matplotlib")
    out, png = tmp_path / "mml.csv", tmp_path / "dec.png"
    code, stdout, err = run(["productivity", files["csv"], *PANEL, *META, "--model", "sbm", "-o", out,
                             "--plot-decomposition", png], capsys)
    assert code == 0, err
    assert "metafrontier index = ec x bpc x tgc" in stdout
    table = pd.read_csv(out)
    assert list(table.columns[2:]) == ["period_from", "index", "ec", "bpc", "tgc", "status", "gtfp", "cum_ec",
                                       "cum_bpc", "cum_tgc"]
    ref = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, ["so2"], model="sbm", group="region")
    rows = table.dropna(subset=["index"]).set_index(["city", "year"])
    np.testing.assert_allclose(rows["tgc"], ref.indices["tgc"].reindex(rows.index), rtol=1e-9)
    assert png.read_bytes()[:4] == b"\x89PNG"
    code, _, err = run(["productivity", files["csv"], *PANEL, *META, "--index", "ml", "-q"], capsys)
    assert code == 2
    assert_one_line_error(err, "global metafrontier")


def test_metafrontier_help(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "metafrontier" in out
    code, out, _ = run(["metafrontier", "--help"], capsys)
    text = " ".join(out.split())
    for phrase in ("--group COL", "'union': the non-convex union of the group technologies", "--plot-periods",
                   "gap = meta - group >= 0", "which observations form period t's frontiers"):
        assert phrase in text, phrase
    parser = build_parser()
    for action in parser._subparsers._group_actions[0].choices["metafrontier"]._actions:
        assert action.help, action.dest
    code, out, _ = run(["productivity", "--help"], capsys)
    assert "technology-gap change" in " ".join(out.split())


def test_method_choices_are_the_engines():
    """The command line lists its --method choices without importing the engine (and highspy) at start-up; they must
    stay the engine's METHODS."""
    from frontier import engine

    from frontier.options import SECOND_STAGE_METHODS

    commands = build_parser()._subparsers._group_actions[0].choices
    with_method = {name: action for name, sub in commands.items() for action in sub._actions
                   if "--method" in action.option_strings}
    assert set(with_method["second-stage"].choices) == set(SECOND_STAGE_METHODS)    # the regression, not the LPs
    del with_method["second-stage"]
    assert with_method and all(set(action.choices) == set(engine.METHODS) for action in with_method.values())


# ----------------------------------------------------------------------------------------------------
# the data file is never overwritten; messages and -q (issues 25.7, 33.4, 27.8)
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("link", ["same path", "symbolic link", "hard link", "other spelling"])
@pytest.mark.parametrize("option", ["-o", "--plot"])
def test_an_output_that_is_the_data_file_is_refused(tmp_path, panel, no_solving, capsys, link, option):
    """`frontier efficiency data.csv ... -o data.csv` replaced the data by the results, silently."""
    if option == "--plot":
        pytest.importorskip("matplotlib")
    data = tmp_path / "data.csv"
    panel.to_csv(data, index=False)
    before = data.read_bytes()
    target = {"same path": data, "other spelling": tmp_path / "." / "data.csv",
              "symbolic link": tmp_path / "link.csv", "hard link": tmp_path / "hard.csv"}[link]
    if link == "symbolic link":
        target.symlink_to(data)
    elif link == "hard link":
        os.link(data, target)
    code, _, err = run(["efficiency", data, *VARS, "--keep-data", option, target], capsys)
    assert code == 2
    assert_one_line_error(err, f"{option} '{target}' is the data file", "--force")
    assert data.read_bytes() == before


def test_force_lets_the_output_replace_the_data_file(tmp_path, panel, capsys):
    data = tmp_path / "data.csv"
    panel.to_csv(data, index=False)
    code, _, err = run(["efficiency", data, *VARS, "--id", "city", "--period", "year", "--keep-data", "-q",
                        "-o", data, "--force"], capsys)
    assert code == 0, err
    assert "score" in pd.read_csv(data).columns


def test_a_bad_seed_names_its_option(tmp_path, files, capsys):
    """`--seed -1` said "expected non-negative integer" (numpy's words) without naming the option."""
    code, _, err = run(["bootstrap", files["firms"], "--inputs", "K", "L", "--outputs", "Y", "--B", "5",
                        "--seed", "-1"], capsys)
    assert code == 2
    assert_one_line_error(err, "--random-state/--seed", "-1")


def test_warnings_are_one_line_each_once_and_silenced_by_quiet(tmp_path, files, capsys):
    """The broken-chain warning was printed by the summary, the export and the plot (three times), as
    ``file:line: UserWarning``; now one ``frontier: warning:`` line, none with -q."""
    out = tmp_path / "ml.csv"
    argv = ["productivity", files["csv"], *PANEL, *VARS, "--index", "ml", "--model", "radial", "--super",
            "-o", out]
    code, _, err = run(argv, capsys)
    assert code == 0, err
    lines = [line for line in err.splitlines() if "gtfp chains break" in line]
    assert len(lines) == 1 and lines[0].startswith("frontier: warning: gtfp chains break"), err
    assert "UserWarning" not in err
    code, stdout, err = run([*argv, "-q"], capsys)
    assert code == 0 and err == "" and stdout == ""


def test_warnings_in_a_real_process_are_frontier_lines(files, tmp_path):
    proc = run_subprocess(["productivity", files["csv"], *PANEL, *VARS, "--index", "ml", "--model", "radial",
                           "--super", "-o", tmp_path / "ml.csv"])
    assert proc.returncode == 0, proc.stderr
    assert "UserWarning" not in proc.stderr and "warnings.warn" not in proc.stderr
    assert sum("gtfp chains break" in line for line in proc.stderr.splitlines()) == 1
