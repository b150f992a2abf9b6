"""The command line mirrors the API: every data command offers every keyword of its function (or says why not),
and every option it accepts arrives in the call. The metafrontier ``--epsilon`` flag was accepted and dropped
(issue 25.11): these tests make that class of bug fail loudly."""
from __future__ import annotations

import inspect
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import frontier
from frontier.cli import build_parser, main
from frontier.cli.commands import COMMANDS, PLOT_OPTIONS
from frontier.cli.parser import CLI_OPTIONS, MODEL_OPTION, family_options
from frontier.datasets import synthetic_city_panel
from frontier.options import PARAMETERS

#: the options every command needs, by command
BASE = {"efficiency": ["-x", "capital", "labour", "-y", "value_added"],
        "productivity": ["--entity", "city", "--period", "year", "-x", "capital", "labour", "-y", "value_added"],
        "window": ["--entity", "city", "--period", "year", "-x", "capital", "labour", "-y", "value_added"],
        "metafrontier": ["--group", "region", "-x", "capital", "labour", "-y", "value_added"],
        "bootstrap": ["-x", "capital", "labour", "-y", "value_added"],
        "economic": ["-x", "capital", "labour", "-y", "value_added", "--prices", "capital=1", "labour=2"],
        "second-stage": ["--score", "capital", "--covariates", "labour"],
        "sfa": ["--output", "value_added", "-x", "capital", "labour"],
        "partial-frontier": ["-x", "capital", "labour", "-y", "value_added"],
        "returns-to-scale": ["-x", "capital", "labour", "-y", "value_added"],
        "cross-efficiency": ["-x", "capital", "labour", "-y", "value_added"],
        "dynamic": ["--entity", "city", "--period", "year", "-x", "capital", "labour", "-y", "value_added"],
        "three-stage": ["-x", "capital", "labour", "-y", "value_added", "--environment", "energy"],
        "zsg": ["-x", "capital", "labour", "-y", "value_added", "--reallocate", "labour", "--max-iter", "2"],
        "network": ["--nodes", '{"a": {"inputs": ["capital", "labour"]}, "b": {"outputs": ["value_added"]}}',
                    "--links", '[{"from": "a", "to": "b", "column": "energy"}]'],
        "test-returns-to-scale": ["-x", "capital", "labour", "-y", "value_added"],
        "test-independence": ["-x", "capital", "labour", "-y", "value_added"]}

#: a column for each option naming columns
COLUMNS = {"bad_outputs": "so2", "id": "city", "entity": "city", "period": "year", "group": "region",
           "reference": "ref", "inputs": "energy", "outputs": "value_added", "covariates": "energy",
           "inefficiency_covariates": "energy", "output": "energy", "environment": "energy",
           "reallocate": "energy"}
#: a non-default value of each kind of option, as typed and as the function receives it
#: a structure option as typed (JSON text) and as the function receives it
STRUCTURES = {"nodes": ('{"a": {"inputs": ["capital"]}, "b": {"outputs": ["so2"]}}',
                        {"a": {"inputs": ["capital"]}, "b": {"outputs": ["so2"]}}),
              "links": ('[["a", "b", "labour"]]', [["a", "b", "labour"]]),
              "stages": ('[["a"], ["b"]]', [["a"], ["b"]])}
SAMPLES = {"count": ("2", 2), "int": ("2", 2), "float": ("0.25", 0.25), "seed": ("7", 7), "rule": ("0.5", 0.5),
           "mask": ("ref", np.arange(48) % 3 == 0)}


def companions(cmd, name: str) -> list:
    """The options another option needs before it means anything (the command refuses it alone)."""
    if name == "technology" and "period" not in cmd.required:
        return ["--period", "year"]                        # --technology chooses among the periods' frontiers
    if name == "id" and "period" in cmd.options:
        return ["--period", "year"]                        # city alone does not identify the panel's rows
    if name == "direction" and cmd.name == "economic":
        return ["--kind", "profit"]
    return []

@pytest.fixture(scope="module")
def data_file(tmp_path_factory):
    panel = synthetic_city_panel(n_cities=12, n_years=4)
    panel["ref"] = np.arange(len(panel)) % 3 == 0
    panel["ref"] = panel["ref"].astype(int)
    path = tmp_path_factory.mktemp("mirror") / "panel.csv"
    panel.to_csv(path, index=False)
    return path


class Called(Exception):
    """Raised by the spy: the call was made (nothing is solved)."""


@pytest.fixture
def spy(monkeypatch):
    calls = []

    def install(cmd, passthrough=False):
        real = getattr(frontier, cmd.function)

        def spied(*positional, **keywords):
            calls.append((positional[-1], keywords))          # the data (second_stage: after the scores)
            if passthrough:
                return real(*positional, **keywords)
            raise Called

        monkeypatch.setattr(frontier, cmd.function, spied)
        return calls
    return install


def _signature_keywords(cmd) -> set:
    sig = inspect.signature(getattr(frontier, cmd.function))
    return {n for n, p in sig.parameters.items()
            if n not in ("data", "scores_or_result") and p.kind is not p.VAR_KEYWORD}


def _subparser(cmd):
    return build_parser()._subparsers._group_actions[0].choices[cmd.name]


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c.name)
def test_command_offers_every_keyword_of_its_function(cmd):
    """Each keyword of the function is an option of the command, or listed as API-only with a reason; no option
    names a keyword the function lacks; the registry's family options exactly when it takes **model_options."""
    keywords = _signature_keywords(cmd)
    assert set(cmd.keywords) | set(cmd.api_only) == keywords
    assert not set(cmd.keywords) & set(cmd.api_only)
    assert all(reason.strip() for reason in cmd.api_only.values())
    sig = inspect.signature(getattr(frontier, cmd.function))
    assert cmd.model_options == any(p.kind is p.VAR_KEYWORD for p in sig.parameters.values())
    assert all(name in PARAMETERS for name in cmd.keywords)          # a flag, a type and a help text each
    required = {n for n, p in sig.parameters.items()
                if p.default is p.empty and n not in ("data", "scores_or_result") and p.kind is not p.VAR_KEYWORD}
    assert required <= set(cmd.required)


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c.name)
def test_every_option_is_a_keyword_or_the_command_lines_own(cmd):
    """An option is a keyword of the function, a family option, or declared as the command line's own (files,
    plots, messages): nothing is accepted without a place to go."""
    own = set(CLI_OPTIONS) | {plot.dest for plot in cmd.plots} | {"help", "file"} | set(cmd.result_options)
    own |= set(PLOT_OPTIONS) if cmd.plots else set()                 # keywords of the figures (--lang)
    own |= {name for table in cmd.tables for name in (table.option, *table.takes)}
    for action in _subparser(cmd)._actions:
        dest = action.dest
        keywords = {cmd.dest_of(name) for name in cmd.keywords}
        assert dest in keywords or dest in own \
            or (dest.startswith(MODEL_OPTION) and cmd.model_options), (cmd.name, dest)


def _cases():
    """(command, option tokens, the keyword, the value the function must receive) for every option."""
    for cmd in COMMANDS:
        actions = {a.dest: a for a in _subparser(cmd)._actions}
        for name in cmd.keywords:
            p, action = PARAMETERS[name], actions[cmd.dest_of(name)]
            if name in COLUMNS:
                value = COLUMNS[name]
                tokens, expected = [value], ([value] if p.kind == "columns" else value)
                if p.kind == "mask":
                    tokens, expected = [SAMPLES["mask"][0]], SAMPLES["mask"][1]
            elif p.kind == "choice":
                default = p.default_of(cmd.function)
                value = [c for c in action.choices if c != default][-1]
                tokens, expected = [str(value)], value
            elif p.kind == "switch":
                default = p.default_of(cmd.function)
                flag = action.option_strings[1] if default is True else action.option_strings[0]
                yield cmd, [flag], name, default is not True
                continue
            elif p.kind == "pairs":             # prices: a column of the data or a number
                tokens, expected = (["capital=ref", "labour=2"], {"capital": "ref", "labour": 2.0}) \
                    if name == "prices" else (["good=energy"], [("good", "energy")]) if name == "carry_overs" \
                    else (["a=VRS"], {"a": "vrs"}) if name == "node_rts" else (["capital=2"], {"capital": 2.0})
            elif p.kind == "structure":
                tokens, expected = [STRUCTURES[name][0]], STRUCTURES[name][1]
            else:
                tokens, expected = [SAMPLES[p.kind][0]], SAMPLES[p.kind][1]
            for flag in action.option_strings:
                yield cmd, [flag, *tokens], name, expected


@pytest.mark.parametrize("cmd, tokens, name, expected", list(_cases()),
                         ids=lambda v: v.name if hasattr(v, "keywords") else None)
def test_each_option_arrives_in_the_call(cmd, tokens, name, expected, data_file, spy, capsys):
    calls = spy(cmd)
    argv = [cmd.name, str(data_file), *BASE[cmd.name], *tokens, *companions(cmd, name)]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 1 and calls, err                               # the spy was called, with:
    data, keywords = calls[-1]
    assert name in keywords, (tokens, sorted(keywords))
    got = keywords[name]
    if isinstance(expected, np.ndarray):
        np.testing.assert_array_equal(got, expected)
    else:
        assert got == expected, (tokens, got)


@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c.model_options], ids=lambda c: c.name)
def test_family_options_arrive_in_the_call(cmd, data_file, spy, capsys):
    """--epsilon (EBM's option, from the registry) reaches every function that takes model options."""
    calls = spy(cmd)
    assert "epsilon" in family_options()
    assert main([cmd.name, str(data_file), *BASE[cmd.name], "--model", "ebm", "--epsilon", "0.3"]) == 1
    assert calls[-1][1]["epsilon"] == 0.3 and calls[-1][1]["model"] == "ebm"


def test_metafrontier_ebm_epsilon_is_used(data_file, spy, tmp_path, capsys):
    """Issue 25.11: `frontier metafrontier --model ebm --epsilon 0.3` calibrated epsilon instead (exit 0)."""
    cmd = next(c for c in COMMANDS if c.name == "metafrontier")
    metafrontier = frontier.metafrontier
    calls = spy(cmd, passthrough=True)
    out = tmp_path / "meta.csv"
    code = main(["metafrontier", str(data_file), *BASE["metafrontier"], "--model", "ebm", "--orientation", "input",
                 "--epsilon", "0.3", "-q", "-o", str(out)])
    assert code == 0, capsys.readouterr().err
    assert calls[-1][1]["epsilon"] == 0.3
    api = metafrontier(synthetic_city_panel(n_cities=12, n_years=4), "region", ["capital", "labour"],
                                ["value_added"], model="ebm", orientation="input", epsilon=0.3)
    np.testing.assert_allclose(pd.read_csv(out)["tgr"].to_numpy(), api.tgr.to_numpy(), rtol=1e-9)


def test_parsing_imports_no_engine_and_no_pandas():
    """The parser is built from options.py and the registry: `frontier --help` loads neither the engine (and
    highspy) nor pandas."""
    code = ("import sys; from frontier.cli import build_parser; build_parser().parse_args(['efficiency', 'f.csv', "
            "'-x', 'a', '-y', 'b', '--method', 'dense']); "
            "heavy = [m for m in ('frontier.engine', 'highspy', 'pandas', 'frontier.scoring') if m in sys.modules]; "
            "print(heavy)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


@pytest.mark.parametrize("cmd", COMMANDS, ids=lambda c: c.name)
def test_command_follows_its_analysis_declaration(cmd):
    """The roles (columns), family options and model families of a command are those its function declares
    (:class:`frontier.analyses._pipeline.Analysis`)."""
    analysis = getattr(frontier, cmd.function).analysis
    assert analysis.name == cmd.function and analysis.model_options == cmd.model_options
    columns = {n for n in cmd.keywords if PARAMETERS[n].kind in ("columns", "column", "mask")}
    assert columns <= set(analysis.roles), (cmd.name, columns - set(analysis.roles))
    if "model" in cmd.keywords:
        action = {a.dest: a for a in _subparser(cmd)._actions}["model"]
        assert set(analysis.models) <= set(action.choices)


def test_sfa_and_second_stage_run_end_to_end(tmp_path, capsys):
    """The two new commands: sfa with --output COL next to -o FILE, second-stage on a file of scores."""
    from frontier.datasets import synthetic_firms
    from frontier.io import read_table

    firms = synthetic_firms(40).reset_index()
    firms["z"] = np.random.default_rng(0).normal(size=40)
    data = tmp_path / "firms.csv"
    firms.to_csv(data, index=False)
    out = tmp_path / "sfa.csv"
    assert main(["sfa", str(data), "--output", "Y", "--inputs", "K", "L", "--id", "firm", "-o", str(out), "-q"]) == 0
    api = frontier.sfa(firms, "Y", ["K", "L"], id="firm")
    back = read_table(out)
    assert back.columns[0] == "firm"
    np.testing.assert_allclose(back["te_bc"].to_numpy(float), api.te_bc.to_numpy(), rtol=1e-10)
    scores = tmp_path / "scores.csv"
    assert main(["efficiency", str(data), "-x", "K", "L", "-y", "Y", "--model", "radial", "--id", "firm",
                 "-o", str(scores), "--keep-data", "-q"]) == 0
    table = tmp_path / "sw.csv"
    assert main(["second-stage", str(scores), "--covariates", "z", "--L2", "200", "--seed", "1", "-o", str(table),
                 "-q"]) == 0
    eff = frontier.efficiency(firms, ["K", "L"], ["Y"], model="radial")
    expected = frontier.second_stage(eff.scores, firms, "z", L2=200, random_state=1).table()
    np.testing.assert_allclose(read_table(table)["coefficient"].to_numpy(float),
                               expected["coefficient"].to_numpy(float), rtol=1e-8)


#: the flags of each table a command offers beside its results, and the call they must make (issue 27 item 3)
TABLE_FLAGS = {"shadow_prices": (["--shadow-prices", "value_added", "--numeraire-price", "2.5"],
                                 (("value_added",), {"price": 2.5})),
               "factor_efficiency": (["--factor-efficiency"], ((), {})),
               "multipliers": (["--multipliers"], None)}


@pytest.mark.parametrize("cmd", [c for c in COMMANDS if c.tables], ids=lambda c: c.name)
def test_every_table_is_declared_with_flags_from_the_parameter_table(cmd):
    actions = {a.dest: a for a in _subparser(cmd)._actions}
    for table in cmd.tables:
        for name in (table.option, *table.takes):
            assert name in PARAMETERS and PARAMETERS[name].option in actions[name].option_strings
            assert name not in cmd.keywords                       # a table's option never reaches the function
        assert table.option in TABLE_FLAGS, table.option


@pytest.mark.parametrize("name", sorted(TABLE_FLAGS))
def test_each_table_flag_reaches_its_call_and_the_file(name, data_file, tmp_path, monkeypatch, capsys):
    """`frontier efficiency ... --shadow-prices value_added --numeraire-price 2.5 -o out.dta` calls
    res.shadow_prices('value_added', price=2.5) and writes its columns beside the scores, after the ids."""
    from frontier.results import EfficiencyResult

    flags, expected = TABLE_FLAGS[name]
    calls = []
    original = getattr(EfficiencyResult, name)
    if isinstance(original, property):
        monkeypatch.setattr(EfficiencyResult, name,
                            property(lambda self: calls.append(((), {})) or original.fget(self)))
    else:
        def spied(self, *args, **kwargs):
            calls.append((args, kwargs))
            return original(self, *args, **kwargs)
        monkeypatch.setattr(EfficiencyResult, name, spied)
    out = tmp_path / "out.dta"
    argv = ["efficiency", str(data_file), "-x", "capital", "labour", "-y", "value_added", "-b", "so2", "--model", "ddf",
            "--id", "city", "--period", "year", *flags, "-o", str(out), "-q"]
    assert main(argv) == 0, capsys.readouterr().err
    assert len(calls) == 1 and (expected is None or calls[0] == expected)
    panel = pd.read_csv(data_file)
    res = frontier.efficiency(panel, ["capital", "labour"], ["value_added"], ["so2"], model="ddf", id="city",
                              period="year")
    api = getattr(EfficiencyResult, name)
    table = api.fget(res) if isinstance(api, property) else api(res, *calls[0][0], **calls[0][1])
    back = pd.read_stata(out)
    assert list(back.columns[:3]) == ["city", "year", "score"]
    values = table.values()
    for column in values.columns:
        if pd.api.types.is_numeric_dtype(values[column]):
            np.testing.assert_allclose(back[column].to_numpy(float), values[column].to_numpy(float), rtol=1e-10)
        else:
            assert back[column].tolist() == values[column].tolist()
    assert name.replace("_", " ") in frontier.io.read_specification(out)


def test_a_table_option_alone_is_refused_before_the_work(data_file, capsys):
    assert main(["efficiency", str(data_file), *BASE["efficiency"], "--numeraire-price", "2"]) == 2
    assert "--numeraire-price applies with --shadow-prices" in capsys.readouterr().err
    assert main(["efficiency", str(data_file), *BASE["efficiency"], "-b", "so2", "--shadow-prices", "value_added"]) == 2
    assert "DDF family" in capsys.readouterr().err


#: what a plot of each command needs beyond BASE (few replicates; the periods of --plot-periods)
PLOT_EXTRAS = {"bootstrap": ["--B", "20", "--seed", "1"], "partial-frontier": ["--B", "20", "--seed", "1"],
               "metafrontier": ["--id", "city", "--period", "year"]}
PLOTS = [(cmd, plot) for cmd in COMMANDS for plot in cmd.plots]


@pytest.mark.parametrize("cmd, plot", PLOTS, ids=[f"{c.name}{p.flag}" for c, p in PLOTS])
def test_lang_reaches_every_plot(cmd, plot, data_file, tmp_path, monkeypatch, capsys):
    """`--lang zh` (options.PARAMETERS["lang"], offered by every command with plots) draws the figure's labels in
    Chinese; without it they are English. Read back from the SVG's text."""
    matplotlib = pytest.importorskip("matplotlib")
    monkeypatch.setitem(matplotlib.rcParams, "svg.fonttype", "none")         # the labels as text in the file
    action = {a.dest: a for a in _subparser(cmd)._actions}["lang"]
    assert action.option_strings == [PARAMETERS["lang"].option] and tuple(action.choices) == ("en", "zh")
    figures = {}
    for lang in ("en", "zh"):
        figures[lang] = tmp_path / f"{lang}.svg"
        argv = [cmd.name, str(data_file), *BASE[cmd.name], *PLOT_EXTRAS.get(cmd.name, []), plot.flag,
                str(figures[lang]), "-q"] + (["--lang", lang] if lang == "zh" else [])
        assert main(argv) == 0, capsys.readouterr().err
    chinese = any("\u4e00" <= ch <= "\u9fff" for ch in figures["zh"].read_text(encoding="utf-8"))
    english = any("\u4e00" <= ch <= "\u9fff" for ch in figures["en"].read_text(encoding="utf-8"))
    assert chinese and not english


def test_lang_only_with_plots(data_file, capsys):
    """A command without figures has no --lang; one with figures refuses it without a plot option (it would
    change nothing)."""
    for cmd in COMMANDS:
        assert ("lang" in {a.dest for a in _subparser(cmd)._actions}) == bool(cmd.plots), cmd.name
    assert main(["efficiency", str(data_file), *BASE["efficiency"], "--lang", "zh"]) == 2
    assert "--lang applies to the figures: give a plot option (--plot FILE.png)" in capsys.readouterr().err
