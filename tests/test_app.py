"""The page of ``frontier app`` in Streamlit's headless tester: every analysis from the example data gives the
API's numbers; the form comes from the declarations (a model registered appears); the settings file round-trips
and is never executed; the example fills the form with the worked example's settings. The browser test is
tests/test_app_browser.py."""
from __future__ import annotations

import dataclasses
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

import frontier as fr  # noqa: E402
from frontier.app import form, report, uploads  # noqa: E402
from frontier.cli.commands import COMMAND, COMMANDS, Command  # noqa: E402
from frontier.datasets import synthetic_city_panel  # noqa: E402
from frontier.models import REGISTRY, register  # noqa: E402

PAGE = str(Path(form.__file__).with_name("page.py"))


@pytest.fixture(autouse=True)
def main_module_restored():
    """Streamlit's tester runs the page as ``__main__`` and leaves it there: a process spawned later in the session
    (a Dask worker in test_scale.py) would then run the page as its main module and fail to start."""
    main = sys.modules["__main__"]
    yield
    sys.modules["__main__"] = main
X, Y, B = ["capital", "labour", "energy"], ["value_added"], ["so2"]


@pytest.fixture(scope="module")
def panel_file(tmp_path_factory):
    panel = synthetic_city_panel(n_cities=10, n_years=3)
    first = panel[panel["year"] == 2010]
    scores = fr.efficiency(first.reset_index(drop=True), X, Y, model="radial").scores.to_numpy()
    panel["score"] = np.nan
    panel.loc[first.index, "score"] = scores
    panel["intensity"] = panel["energy"] / panel["labour"]
    path = tmp_path_factory.mktemp("app") / "城市 panel.csv"          # a Chinese file name
    panel.to_csv(path, index=False)
    return path


#: seconds a page's script may take when Run is clicked: the page waits for the run's result (a bootstrap's
#: replicates beside other test processes)
RUN_TIMEOUT = 180


def run_page(path, analysis: str, values: dict, language: str = "en") -> AppTest:
    """The page with ``path`` loaded, the form of ``analysis`` filled with ``values``, after Run."""
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["data_path"] = str(path)
    at.session_state["language"] = language
    at.session_state["analysis"] = analysis
    for name, value in values.items():
        at.session_state[f"{analysis}.{name}"] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="run_button").click().run(timeout=RUN_TIMEOUT)    # the page follows the run to its result
    run = at.session_state["run"]
    assert run.state == "done", run.error
    assert not at.exception, [e.value for e in at.exception]
    return at


def numbers(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True).select_dtypes("number")


CASES = {
    "efficiency": ({"inputs": X, "outputs": Y, "bad_outputs": B, "period": "year", "id": ["city"], "model": "radial",
                    "bad_disposability": "weak"},
                   lambda d: fr.efficiency(d, X, Y, B, period="year", id=["city"], model="radial",
                                           bad_disposability="weak")),
    "productivity": ({"entity": "city", "period": "year", "inputs": X, "outputs": Y, "bad_outputs": B, "index": "ml",
                      "model": "sbm", "rts": "vrs", "super_efficiency": True},
                     lambda d: fr.productivity(d, entity="city", period="year", inputs=X, outputs=Y, bad_outputs=B,
                                               index="ml", model="sbm", rts="vrs", super_efficiency=True)),
    "metafrontier": ({"inputs": X, "outputs": Y, "group": "region", "id": ["city"], "period": "year"},
                     lambda d: fr.metafrontier(d, group="region", inputs=X, outputs=Y, id=["city"], period="year")),
    "window": ({"entity": "city", "period": "year", "width": "2", "inputs": X, "outputs": Y, "model": "radial"},
               lambda d: fr.window_analysis(d, entity="city", period="year", width=2, inputs=X, outputs=Y,
                                            model="radial")),
    "economic": ({"inputs": X, "outputs": Y, "prices": "capital=1 labour=2 energy=3.5", "id": ["city"],
                  "period": "year"},
                 lambda d: fr.economic(d, X, Y, prices={"capital": 1.0, "labour": 2.0, "energy": 3.5}, id=["city"],
                                       period="year")),
    "bootstrap": ({"inputs": X, "outputs": Y, "period": "year", "B": "30", "random_state": "7", "rts": "crs"},
                  lambda d: fr.bootstrap(d, X, Y, period="year", B=30, random_state=7, rts="crs")),
    "second-stage": ({"score": "score", "covariates": ["intensity"], "L2": "50", "random_state": "3"},
                     lambda d: fr.second_stage(d["score"], d, covariates=["intensity"], L2=50, random_state=3)),
    "sfa": ({"output": "value_added", "inputs": X},
            lambda d: fr.sfa(d, output="value_added", inputs=X)),
    "partial-frontier": ({"inputs": X, "outputs": Y, "estimator": "fdh"},
                         lambda d: fr.partial_frontier(d, X, Y, estimator="fdh")),
    "returns-to-scale": ({"inputs": X, "outputs": Y, "id": ["city", "year"], "orientation": "output"},
                         lambda d: fr.returns_to_scale(d, X, Y, id=["city", "year"], orientation="output")),
    "cross-efficiency": ({"inputs": X, "outputs": Y, "variant": "benevolent"},
                         lambda d: fr.cross_efficiency(d, X, Y, variant="benevolent")),
    "dynamic": ({"entity": "city", "period": "year", "inputs": ["labour", "energy"], "outputs": Y,
                 "carry_overs": "good=capital"},
                lambda d: fr.dynamic(d, entity="city", period="year", inputs=["labour", "energy"], outputs=Y,
                                     carry_overs={"good": ["capital"]})),
    "three-stage": ({"inputs": X, "outputs": Y, "environment": ["intensity"], "rts": "crs"},
                    lambda d: fr.three_stage(d, X, Y, environment=["intensity"], rts="crs")),
    "zsg": ({"inputs": X, "outputs": Y, "reallocate": "energy", "max_iter": "3"},      # 3 rounds: the same numbers
            lambda d: fr.zsg(d, X, Y, reallocate="energy", max_iter=3)),
    "network": ({"nodes": '{"make": {"inputs": ["capital", "labour"]}, "sell": {"outputs": ["value_added"]}}',
                 "links": '[{"from": "make", "to": "sell", "column": "energy"}]', "model": "sbm"},
                lambda d: fr.network(d, nodes={"make": {"inputs": ["capital", "labour"]},
                                               "sell": {"outputs": ["value_added"]}},
                                     links=[{"from": "make", "to": "sell", "column": "energy"}], model="sbm")),
    "test-returns-to-scale": ({"inputs": X, "outputs": Y, "B": "19", "random_state": "5"},
                              lambda d: fr.test_returns_to_scale(d, X, Y, B=19, random_state=5)),
    "test-independence": ({"inputs": X, "outputs": Y, "B": "19", "random_state": "5"},
                          lambda d: fr.test_independence(d, X, Y, B=19, random_state=5)),
}


def test_every_command_has_a_case():
    assert set(CASES) == set(COMMAND)


@pytest.mark.parametrize("analysis", list(CASES))
def test_every_analysis_gives_the_api_numbers(panel_file, analysis):
    values, api = CASES[analysis]
    data = pd.read_csv(panel_file)
    if analysis == "second-stage":
        data = data.dropna(subset=["score"]).reset_index(drop=True)
        path = panel_file.with_name("scores.csv")
        data.to_csv(path, index=False)
    else:
        data = data.drop(columns=["score"])
        path = panel_file
    at = run_page(path, analysis, values)
    result = at.session_state["run"].result
    expected = api(data)
    pd.testing.assert_frame_equal(numbers(result.to_frame()), numbers(expected.to_frame()), check_dtype=False)
    assert str(expected.summary()).splitlines()[0] in at.code[0].value       # the summary is on the page
    files, _ = at.session_state["files"]
    assert {"results.xlsx", "results.dta", "results.csv", "results.parquet", "results.zip", "settings.json",
            "reproduce.py", "command.txt", "methods.md"} <= set(files)


def test_productivity_offers_every_index_and_each_runs(panel_file):
    index_field = next(f for f in form.fields(COMMAND["productivity"]) if f.name == "index")
    assert index_field.choices == fr.options.INDICES
    data = pd.read_csv(panel_file)
    for index in ("hicks_moorsteen",):                                  # ml runs above
        at = run_page(panel_file, "productivity", {"entity": "city", "period": "year", "inputs": X, "outputs": Y,
                                                   "index": index})
        expected = fr.productivity(data.drop(columns=["score"]), entity="city", period="year", inputs=X, outputs=Y,
                                   index=index)
        pd.testing.assert_frame_equal(numbers(at.session_state["run"].result.to_frame()),
                                      numbers(expected.to_frame()), check_dtype=False)


def test_the_reproduce_code_and_the_settings_give_the_same_result(panel_file, tmp_path, monkeypatch):
    values, _ = CASES["efficiency"]
    at = run_page(panel_file, "efficiency", values, language="zh")
    files, _ = at.session_state["files"]
    monkeypatch.chdir(panel_file.parent)
    namespace: dict = {}
    exec(files["reproduce.py"].read_text(encoding="utf-8").replace("result.to_excel", "#"), namespace)  # noqa: S102
    pd.testing.assert_frame_equal(namespace["result"].to_frame(), at.session_state["run"].result.to_frame())
    cmd, loaded, content = form.load_settings(files["settings.json"].read_text(encoding="utf-8"))
    assert cmd.name == "efficiency" and content["data file"] == panel_file.name
    assert {k: v for k, v in loaded.items() if v is not None} == values
    assert "运行" in [b.label for b in at.button]                             # the page speaks Chinese
    zh = report.methods(at.session_state["run"].result, cmd, "zh")
    assert "规模报酬可变" in zh and "frontier-dea" in zh


def test_a_settings_file_is_parsed_never_executed():
    evil = {"format": form.SETTINGS_FORMAT, "analysis": "efficiency",
            "arguments": ["--inputs", "__import__('os').system('touch /tmp/owned')", "--outputs", "y",
                          "--model", "exec('1')"]}
    with pytest.raises(ValueError, match="invalid choice"):
        form.load_settings(json.dumps(evil))
    with pytest.raises(ValueError, match="not a settings file"):
        form.load_settings('{"analysis": "efficiency"}')
    with pytest.raises(ValueError, match="not JSON"):
        form.load_settings("import os")


def test_a_model_added_to_the_registry_appears_in_the_page():
    toy = dataclasses.replace(REGISTRY["radial"], name="toy_app_radial")
    register(toy)
    try:
        for cmd in COMMANDS:
            if cmd.name in ("efficiency", "productivity", "metafrontier", "window"):
                assert "toy_app_radial" in form.model_choices(cmd), cmd.name
        assert form.model_choices(COMMAND["bootstrap"]) == ("radial",)      # the bootstrap declares radial only
        at = AppTest.from_file(PAGE, default_timeout=30)
        at.session_state["data_path"] = _tiny_csv()
        at.run()
        assert "toy_app_radial" in at.selectbox(key="efficiency.model").options
    finally:
        REGISTRY.pop("toy_app_radial", None)


def _tiny_csv() -> str:
    import tempfile

    path = Path(tempfile.mkdtemp()) / "tiny.csv"
    pd.DataFrame({"x": [1.0, 2.0], "y": [1.0, 3.0]}).to_csv(path, index=False)
    return str(path)


def test_the_preview_shows_the_api_refusals_before_running():
    frame = pd.DataFrame({"资本": [1.0, np.nan, 3.0], "y": [1.0, -2.0, 0.0], "name": ["a", "b", "c"]})
    shown = uploads.preview(frame).set_index("column")
    assert "column '资本' has NaN values in rows [1]" in shown.loc["资本", "problem"]
    assert "negative values" in shown.loc["y", "problem"]
    assert uploads.check_roles(frame, {"inputs": ["资本"], "outputs": ["y"]}).startswith("column '资本' has NaN")
    zeros = pd.DataFrame({"x": [1.0, 0.0]})
    assert "divides by it" in uploads.column_problem(zeros, "x")


def test_the_example_fills_the_form_with_the_worked_example():
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    at.button(key="example_button").click().run()
    assert not at.exception
    assert at.session_state["analysis"] == "productivity"
    assert at.session_state["data_name"] == form.EXAMPLE_FILE and len(at.session_state["data"]) == 3240
    tokens = form.arguments(COMMAND["productivity"],
                            {f.name: at.session_state[f"productivity.{f.name}"]
                             for f in form.fields(COMMAND["productivity"])})
    assert tokens == ["--entity", "city", "--period", "year", "--inputs", "capital", "labour", "energy",
                      "--outputs", "value_added", "--bad-outputs", "so2", "wastewater", "dust", "--index", "ml",
                      "--model", "sbm", "--rts", "vrs", "--super"]
    assert at.button(key="example_button").label == "Load the example data"


def test_a_refused_option_shows_the_command_line_message(panel_file):
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["data_path"] = str(panel_file)
    at.session_state["efficiency.inputs"] = X
    at.session_state["efficiency.outputs"] = Y
    at.session_state["efficiency.window"] = "-3"
    at.run()
    at.button(key="run_button").click().run()
    assert any("--window" in e.value and "whole number >= 0" in e.value for e in at.error), \
        [e.value for e in at.error]


def test_cancel_stops_the_run(panel_file):
    from frontier.app.runs import Run

    big = synthetic_city_panel(n_cities=200, n_years=6)
    cmd = COMMAND["productivity"]
    args = form.parse(cmd, "x.csv", ["--entity", "city", "--period", "year", "--inputs", *X, "--outputs", *Y,
                                     "--index", "ml", "--super"])
    run = Run(cmd.name, big, {"entity": "city", "period": "year", "inputs": X, "outputs": Y, "index": "ml",
                              "super_efficiency": True, "progress": True}, args)
    time.sleep(0.5)
    run.cancel()
    assert run.state == "cancelled" and not run._process.is_alive()


def test_the_result_shows_when_the_run_ends_without_another_request_from_the_browser(panel_file):
    """Run's own script run follows the run and shows its result: nothing more has to come from the browser. (The
    page polled from a fragment on a browser timer, ``st.fragment(run_every=0.5)``, and showed the result only on a
    later rerun: when that rerun never came, on a loaded machine, the progress bar stayed until a widget was touched.)"""
    at = AppTest.from_file(PAGE, default_timeout=RUN_TIMEOUT)
    at.session_state["data_path"] = str(panel_file)
    at.session_state["analysis"] = "efficiency"
    for name, value in {"inputs": X, "outputs": Y, "model": "radial"}.items():
        at.session_state[f"efficiency.{name}"] = value
    at.run()
    at.button(key="run_button").click().run()
    assert at.session_state["run"].state == "done"
    assert "frontier efficiency" in at.code[0].value, [c.value for c in at.code]
    assert not at.get("progress") and not at.button(key="run_button").disabled


def test_two_script_runs_reading_one_run_at_once_both_see_its_result(monkeypatch):
    """Streamlit starts a new script run for a click while the last one stops, so two may read one run at once. The
    reads take turns: one that finds the pipe empty and the child gone while the other is taking the result does not
    call the run failed ("the run stopped unexpectedly")."""
    import threading

    from frontier.app.runs import Run

    cmd = COMMAND["efficiency"]
    data = synthetic_city_panel(n_cities=6, n_years=1)
    args = form.parse(cmd, "x.csv", ["--inputs", *X, "--outputs", *Y])
    run = Run(cmd.name, data, {"inputs": X, "outputs": Y}, args)
    messages, taken, resume = run._messages, threading.Event(), threading.Event()

    class TakingItsTime:
        """The queue, except that the first reader pauses just after taking the result's message."""

        def __getattr__(self, name):
            return getattr(messages, name)

        def get_nowait(self):
            if taken.is_set():
                return messages.get_nowait()
            message = messages.get(timeout=60)
            if message[0] == "done":
                taken.set()
                resume.wait(30)
            return message

    monkeypatch.setattr(run, "_messages", TakingItsTime())
    states = {}
    first = threading.Thread(target=lambda: states.setdefault("first", run.poll()))
    first.start()
    assert taken.wait(60), "the run sent no result"
    run._process.join(30)                                # the child has ended; its message is in the first's hands
    second = threading.Thread(target=lambda: states.setdefault("second", run.poll()))
    second.start()
    second.join(0.5)
    resume.set()
    first.join(30)
    second.join(30)
    assert states == {"first": "done", "second": "done"} and run.result is not None, (states, run.error)


def test_custom_calls_have_their_leading_arguments():
    default_call = Command.__dataclass_fields__["call"].default
    assert {c.name for c in COMMANDS if c.call is not default_call} == set(report.LEADING_ARGUMENTS)


def test_an_excel_sheet_with_chinese_names_gives_stata_and_excel_files_with_them(tmp_path):
    panel = synthetic_city_panel(n_cities=8, n_years=1)
    chinese = panel.rename(columns={"city": "城市", "capital": "资本", "labour": "劳动", "value_added": "增加值"})
    path = tmp_path / "数据.xlsx"
    with pd.ExcelWriter(path) as writer:
        pd.DataFrame({"note": ["not this sheet"]}).to_excel(writer, sheet_name="说明", index=False)
        chinese.to_excel(writer, sheet_name="面板", index=False)
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.session_state["data_path"] = str(path)
    at.run()
    at.selectbox(key="sheet_choice").set_value("面板").run()
    assert at.session_state["sheet"] == "面板" and "资本" in at.session_state["data"].columns
    at.multiselect(key="efficiency.inputs").set_value(["资本", "劳动"])
    at.multiselect(key="efficiency.outputs").set_value(["增加值"])
    at.multiselect(key="efficiency.id").set_value(["城市"])
    at.run()
    at.button(key="run_button").click().run(timeout=RUN_TIMEOUT)
    assert at.session_state["run"].state == "done", at.session_state["run"].error
    files, _ = at.session_state["files"]
    expected = fr.efficiency(chinese, ["资本", "劳动"], ["增加值"], id=["城市"])
    stata = pd.read_stata(files["results.dta"])
    assert "城市" in stata.columns and list(stata["城市"]) == list(chinese["城市"])
    np.testing.assert_allclose(stata["score"], expected.scores.to_numpy())
    excel = pd.read_excel(files["results.xlsx"], sheet_name=0)
    assert list(excel["城市"]) == list(chinese["城市"])
    assert "sheet='面板'" in files["reproduce.py"].read_text(encoding="utf-8")


def test_reading_an_excel_files_sheets_leaves_no_file_open(tmp_path):
    """The page lists the sheets on every rerun; an unclosed workbook's ResourceWarning used to be caught with the
    result's writers' warnings and shown above the results ("unclosed file <_io.BufferedReader ...>")."""
    import gc
    import warnings

    path = tmp_path / "数据.xlsx"
    synthetic_city_panel(n_cities=3, n_years=1).to_excel(path, index=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert uploads.sheets(path) == ["Sheet1"]
        gc.collect()
    assert not [w for w in caught if issubclass(w.category, ResourceWarning)], [str(w.message) for w in caught]


def test_every_option_group_has_a_chinese_title():
    from frontier.app.texts import GROUP_TITLES_ZH, group_title

    titles = {title for cmd in COMMANDS for title, _ in cmd.groups}
    assert titles <= set(GROUP_TITLES_ZH), titles - set(GROUP_TITLES_ZH)
    assert group_title("model", "zh") == "模型" and group_title("model", "en") == "model"


#: keywords that are the plain word already (the label may spell them as they are: "Inputs", "Super-efficiency")
PLAIN_KEYWORDS = {"inputs", "model", "orientation", "group", "prices", "covariates", "tolerance", "super_efficiency",
                  "carry_overs", "period_weights", "node_weights", "factor_efficiency", "numeraire_price"}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _spelled(text: str) -> str:
    return re.sub(r"[_\-\s]+", " ", text).strip().lower()


def _check_label(where: str, name: str, label: str, label_zh: str) -> None:
    assert label.strip() and label_zh.strip(), where
    assert name in PLAIN_KEYWORDS or _spelled(label) != _spelled(name), f"{where}: {label!r} is the keyword"
    assert CJK.search(label_zh), f"{where}: the Chinese label {label_zh!r} has no Chinese"


def test_every_field_of_every_command_has_a_plain_label_in_english_and_chinese():
    for cmd in COMMANDS:
        for f in form.fields(cmd):
            assert f.label_in("en") == f.label and f.label_in("zh") == f.label_zh
            _check_label(f"{cmd.name}.{f.name}", f.name, f.label, f.label_zh)
    for p in fr.options.PARAMETERS.values():                    # the keywords the page does not show as well
        for analysis in ("",) + tuple(p.label_for) + tuple(p.label_zh_for):
            _check_label(f"PARAMETERS[{p.name!r}] ({analysis or 'default'})", p.name, p.label_of(analysis),
                         p.label_zh_of(analysis))


def test_every_field_of_every_command_has_help_in_english_and_chinese():
    """The Chinese page showed the model family options' English help (fixed inputs and outputs, weight bounds and
    cones, EBM's epsilon): each is declared with its Chinese help (``registry.labelled``), and the command line keeps
    the English."""
    for cmd in COMMANDS:
        for f in form.fields(cmd):
            assert f.help.strip(), f"{cmd.name}.{f.name}: no help"
            assert CJK.search(f.zh), f"{cmd.name}.{f.name}: the Chinese help {f.zh!r} has no Chinese"
            assert f.help_in("zh") == f.zh and f.help_in("en") == f.help
    epsilon = next(f for f in form.fields(COMMAND["efficiency"]) if f.name == "epsilon")
    assert epsilon.zh.startswith("epsilon，松弛项的权重") and "calibrated from the data" in epsilon.help


def test_the_page_shows_the_label_with_the_keyword_and_hands_back_the_keywords(panel_file):
    """The widgets carry the plain label and the API's name in small type; the settings and the code keep the API's
    names (the label is the page's only)."""
    for language, rts, inputs in (("en", "Returns to scale", "Inputs"), ("zh", "规模报酬", "投入")):
        at = AppTest.from_file(PAGE, default_timeout=60)
        at.session_state["data_path"] = str(panel_file)
        at.session_state["language"] = language
        at.run()
        assert at.selectbox(key="efficiency.rts").label == f"{rts} :small[· `rts`]"
        assert at.multiselect(key="efficiency.inputs").label == (
            "Inputs *" if language == "en" else "投入 :small[· `inputs`] *")
        assert at.selectbox(key="efficiency.bad_disposability").help == (
            fr.options.PARAMETERS["bad_disposability"].zh if language == "zh"
            else fr.options.PARAMETERS["bad_disposability"].help)
    at = run_page(panel_file, "efficiency", {"inputs": X, "outputs": Y, "rts": "crs"}, language="zh")
    files, _ = at.session_state["files"]
    assert "--rts crs" in files["command.txt"].read_text(encoding="utf-8")
    assert "rts='crs'" in files["reproduce.py"].read_text(encoding="utf-8")
    assert "--rts" in json.loads(files["settings.json"].read_text(encoding="utf-8"))["arguments"]


def test_a_family_option_with_a_parameter_entry_is_that_parameter_in_the_form():
    """EBM's ``bounded`` was a free-text field with the flag --no-bounded (the longest of the switch's flags), so
    whatever was typed became "--no-bounded true", which the parser refused: it is the switch of its PARAMETERS
    entry, with its label and Chinese help."""
    cmd = COMMAND["efficiency"]
    bounded = next(f for f in form.fields(cmd) if f.name == "bounded")
    assert (bounded.kind, bounded.flag, bounded.label) == ("switch", "--bounded", "Bounded form")
    assert bounded.zh == fr.options.PARAMETERS["bounded"].zh
    for value in (True, False):
        tokens = form.arguments(cmd, {"inputs": X, "outputs": Y, "model": "ebm", "bounded": value})
        args = form.parse(cmd, "data.csv", tokens)
        assert args.model_option_bounded is value
        assert form.values_of(cmd, args)["bounded"] is value


def test_the_page_offers_no_file_of_the_command_line_to_write():
    """``--by-output FILE`` (where the command line writes the table by group) was a field of the page, offered as a
    choice among the data's columns: the page writes its own files (the downloads)."""
    for cmd in COMMANDS:
        assert not {f.name for f in form.fields(cmd)} & {"by_output", "progress"}, cmd.name
