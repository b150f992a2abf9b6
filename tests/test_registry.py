"""The model registry is the one place that knows the models: names, option validation, score conventions.

An unknown name fails in one place with one message; every option check comes from a family's declared facts; and a
family registered from a test (a copy of an existing one under a new name) is usable through ``efficiency()``,
``productivity()`` (with the right index algebra) and the command line: adding a model touches one module.
"""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.cli import build_parser, main
from frontier.models import REGISTRY, family, model_names, register, resolve_options
from frontier.models.ddf import DDF
from frontier.models.radial import FAMILY as RADIAL

FAMILIES = {name: fam for name, fam in REGISTRY.items() if fam.serves == "efficiency" and fam.evaluates == "rows"}  # efficiency()'s

INPUTS, OUTPUTS, BADS = ["x1", "x2"], ["y"], ["b"]


def _cross_section(n: int = 20, seed: int = 5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(1.0, 10.0, size=(n, 2))
    y = np.sqrt(x.prod(axis=1)) * rng.uniform(0.5, 1.0, size=n)
    b = y * rng.uniform(0.2, 0.8, size=n)
    return pd.DataFrame({"x1": x[:, 0], "x2": x[:, 1], "y": y, "b": b}, index=[f"d{i:02d}" for i in range(n)])


def _panel(periods: int = 3, entities: int = 10) -> pd.DataFrame:
    frames = []
    for t in range(periods):
        frame = _cross_section(entities, seed=50 + t)
        frames.append(frame.assign(id=frame.index, year=2010 + t).reset_index(drop=True))
    return pd.concat(frames, ignore_index=True)


DATA = _cross_section()
PANEL = _panel()


def efficiency(**kwargs):
    return fr.efficiency(DATA, INPUTS, OUTPUTS, BADS, **kwargs)


def productivity(**kwargs):
    return fr.productivity(PANEL, "id", "year", INPUTS, OUTPUTS, BADS, **kwargs)


def _model_action(parser):
    """The --model option of every command whose models are the efficiency registry's (not the network command's,
    whose models options.py declares: ``choices_for``)."""
    from frontier.cli.commands import COMMAND
    from frontier.options import PARAMETERS

    own = PARAMETERS["model"].choices_for
    sub = next(a for a in parser._actions if a.dest == "command")
    return {name: next(a for a in p._actions if a.dest == "model") for name, p in sub.choices.items()
            if any(a.dest == "model" for a in p._actions) and COMMAND[name].function not in own}


# ----------------------------------------------------------------------------------------------------
# unknown names
# ----------------------------------------------------------------------------------------------------

def _message(call) -> str:
    with pytest.raises(ValueError) as info:
        call()
    return str(info.value)


def test_unknown_model_fails_in_one_place_with_one_message():
    expected = f"model must be one of {model_names('efficiency')}, got 'cobb_douglas'"
    assert _message(lambda: family("cobb_douglas", "efficiency")) == expected
    assert _message(lambda: resolve_options("cobb_douglas")) == expected
    assert _message(lambda: efficiency(model="cobb_douglas")) == expected
    assert _message(lambda: productivity(model="cobb_douglas")) == expected


@pytest.mark.parametrize("bad", [None, 3, ["sbm"], {"sbm": 1}])
def test_a_model_that_is_not_a_name_is_a_value_error(bad):
    expected = f"model must be one of {model_names('efficiency')}, got {bad!r}"
    assert _message(lambda: efficiency(model=bad)) == expected
    if bad is not None:              # productivity(model=None) is the index's default model (sbm; radial for HM)
        assert _message(lambda: productivity(model=bad)) == expected


@pytest.mark.parametrize("name", ["cost", "revenue", "profit"])
def test_the_economic_families_are_registered_for_economic_only(name):
    """The economic LPs are registered families (``serves="economic"``): frontier.economic binds them through
    Problem; efficiency() and productivity() refuse them by the one unknown-model message, and --model omits them."""
    assert family(name).serves == "economic" and name in model_names("economic")
    assert name not in model_names("efficiency")
    expected = f"model must be one of {model_names('efficiency')}, got {name!r}"
    assert _message(lambda: efficiency(model=name)) == expected
    assert _message(lambda: productivity(model=name)) == expected


def test_command_line_model_choices_come_from_the_registry(tmp_path, capsys):
    for action in _model_action(build_parser()).values():
        assert tuple(action.choices) == model_names("efficiency")
    path = tmp_path / "firms.csv"
    DATA.to_csv(path, index_label="id")
    code = main(["efficiency", str(path), "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--model", "cobb_douglas"])
    assert code == 2
    assert "invalid choice: 'cobb_douglas'" in capsys.readouterr().err


# ----------------------------------------------------------------------------------------------------
# option validation from the declared facts (every registered family)
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", list(FAMILIES))
def test_orientation_outside_the_declared_ones_is_refused(name):
    fam = FAMILIES[name]
    wrong = "input" if fam.orientations == (None,) else "sideways"
    assert "orientation" in _message(lambda: efficiency(model=name, orientation=wrong))
    if fam.orientations != (None,):
        for orientation in fam.orientations:
            assert efficiency(model=name, orientation=orientation.upper()).spec["orientation"] == orientation


@pytest.mark.parametrize("name", list(FAMILIES))
def test_bad_disposability_outside_the_declared_ones_is_refused(name):
    fam = FAMILIES[name]
    wrong = "weak" if fam.disposabilities == ("slacks",) else "slacks"
    assert "bad_disposability" in _message(lambda: efficiency(model=name, bad_disposability=wrong))
    for disposability in fam.disposabilities:
        res = efficiency(model=name, bad_disposability=disposability if disposability != "slacks" else None)
        assert res.spec["bad_disposability"] == disposability


@pytest.mark.parametrize("name", [n for n, f in FAMILIES.items() if f.weights is None])
def test_weights_on_a_model_without_weights_are_refused(name):
    takes = tuple(n for n, f in FAMILIES.items() if f.weights)
    assert _message(lambda: efficiency(model=name, weights={"x1": 2.0})) == \
        f"weights apply to models {takes}, not {name!r}"


@pytest.mark.parametrize("name", [n for n, f in FAMILIES.items() if not f.super_efficiency])
def test_super_efficiency_where_undefined_is_refused(name):
    message = _message(lambda: efficiency(model=name, super_efficiency=True))
    assert message.startswith(f"super_efficiency is not defined for model={name!r}")
    assert FAMILIES[name].super_efficiency_note and FAMILIES[name].super_efficiency_note in message
    assert "super_efficiency" in _message(lambda: productivity(model=name, super_efficiency=True))


def test_super_efficiency_is_refused_on_nddf_and_sbm_ddf():
    assert not REGISTRY["nddf"].super_efficiency and not REGISTRY["sbm_ddf"].super_efficiency


@pytest.mark.parametrize("name", [n for n, f in FAMILIES.items() if not f.directional])
def test_direction_on_a_non_directional_model_is_refused(name):
    directional = tuple(n for n, f in FAMILIES.items() if f.directional)
    assert _message(lambda: efficiency(model=name, direction="output")) == \
        f"direction applies to the directional models {directional}, not model={name!r}"


def test_names_and_options_are_case_insensitive():
    lower = efficiency(model="sbm", rts="vrs")
    upper = efficiency(model="SBM", rts="VRS")
    pd.testing.assert_series_equal(upper.scores, lower.scores)
    assert upper.spec["model"] == "sbm" and upper.spec["rts"] == "vrs"
    ddf = efficiency(model="Ddf", direction="Output", bad_disposability="Weak")
    assert (ddf.spec["model"], ddf.spec["direction"], ddf.spec["bad_disposability"]) == ("ddf", "output", "weak")
    pd.testing.assert_frame_equal(productivity(model="DDF", rts="CRS").indices,
                                  productivity(model="ddf", rts="crs").indices)


# ----------------------------------------------------------------------------------------------------
# a new family, registered from a test: usable everywhere, with the right index algebra
# ----------------------------------------------------------------------------------------------------

@pytest.fixture
def registered():
    """Register families for one test and remove them afterwards, whatever happens."""
    added = []

    def add(fam):
        added.append(register(fam).name)
        return fam

    try:
        yield add
    finally:
        for name in added:
            REGISTRY.pop(name, None)


def test_registering_twice_is_refused(registered):
    registered(dataclasses.replace(RADIAL, name="toy_twice"))
    with pytest.raises(ValueError, match="registered twice"):
        register(dataclasses.replace(RADIAL, name="toy_twice"))


def test_a_new_efficiency_family_works_everywhere_with_ratio_algebra(registered, tmp_path):
    """A copy of the radial family under a new name: efficiency() and productivity() give the radial numbers, so
    the index algebra reads the family's conventions (E = theta: a model scoring 0.8 is E = 0.8 in a ratio index,
    not 1 / (1 + 0.8) as if it were a distance) and nothing else switches on the model name."""
    toy = registered(dataclasses.replace(RADIAL, name="toy_radial", short_name="toy"))
    assert toy.to_efficiency(0.8, "input") == 0.8 and toy.to_inefficiency(0.8, "input") == pytest.approx(0.2)

    mine, radial = efficiency(model="TOY_RADIAL"), efficiency(model="radial")
    pd.testing.assert_series_equal(mine.scores, radial.scores)
    pd.testing.assert_frame_equal(mine.targets, radial.targets)
    assert mine.spec["model"] == "toy_radial"

    for index, technology in (("malmquist", "global"), ("malmquist", "contemporaneous"), ("luenberger", "global")):
        mine = productivity(model="toy_radial", index=index, technology=technology, rts="crs")
        radial = productivity(model="radial", index=index, technology=technology, rts="crs")
        pd.testing.assert_frame_equal(mine.indices, radial.indices)
    # the global ratio index from the toy's own distances, E = theta: index = theta^G(b) / theta^G(a)
    gml = productivity(model="toy_radial", index="gml", rts="crs")
    theta = gml.distances.query("technology == 'global'").set_index(["id", "year"])["value"]
    first = gml.indices.dropna(subset=["index"]).iloc[0]
    entity, year = gml.indices.dropna(subset=["index"]).index[0]
    expected = theta[(entity, year)] / theta[(entity, first["period_from"])]
    assert first["index"] == pytest.approx(expected, rel=1e-12)
    assert theta.lt(1).any()       # the check above is not 1 / 1

    # the command line offers it, and its exports and summary read the registry too
    for action in _model_action(build_parser()).values():
        assert "toy_radial" in action.choices
    path, out = tmp_path / "firms.csv", tmp_path / "scores.csv"
    DATA.to_csv(path, index_label="id")
    code = main(["efficiency", str(path), "--inputs", *INPUTS, "--outputs", *OUTPUTS, "--bad-outputs", *BADS,
                 "--model", "toy_radial", "-o", str(out), "-q"])
    assert code == 0
    written = pd.read_csv(out, index_col=0)
    np.testing.assert_allclose(written["score"].to_numpy(), efficiency(model="radial").scores.to_numpy())


def test_a_new_distance_family_works_with_difference_and_ratio_algebra(registered):
    """A copy of the DDF family under a new name: an inefficiency, so E = 1 / (1 + D) and D itself."""
    registered(dataclasses.replace(DDF, name="toy_ddf", short_name="toy"))
    for index in ("luenberger", "gml"):
        mine = productivity(model="toy_ddf", index=index, rts="crs")
        ddf = productivity(model="ddf", index=index, rts="crs")
        pd.testing.assert_frame_equal(mine.indices, ddf.indices)
        assert mine.spec["direction"] == "output"        # its declared productivity default, as ddf's


def test_productivity_defaults_come_from_the_declared_facts(registered):
    """A copy of SBM under a new name keeps SBM's productivity default (super-efficiency on), which it declares;
    productivity() does not switch on the name 'sbm'."""
    registered(dataclasses.replace(REGISTRY["sbm"], name="toy_sbm"))
    mine, sbm = productivity(model="toy_sbm", rts="crs"), productivity(model="sbm", rts="crs")
    assert mine.spec["super_efficiency"] is True
    pd.testing.assert_frame_equal(mine.indices, sbm.indices)


def test_command_line_offers_the_orientations_and_disposabilities_families_declare(registered):
    """The CLI's --orientation and --bad-disposability choices are the union of the registered families' declared
    values (a new model with a new orientation needs no edit of the CLI); each model still refuses the others."""
    args = ["efficiency", "f.csv", "--inputs", "x1", "--outputs", "y"]
    assert build_parser().parse_args(args + ["--orientation", "nonoriented"]).orientation == "nonoriented"
    with pytest.raises(SystemExit):
        build_parser().parse_args(args + ["--orientation", "graph"])
    registered(dataclasses.replace(RADIAL, name="toy_graph", orientations=("graph", "input"),
                                   disposabilities=("weak", "costly")))
    parsed = build_parser().parse_args(args + ["--model", "toy_graph", "--orientation", "graph",
                                               "--bad-disposability", "costly"])
    assert (parsed.model, parsed.orientation, parsed.bad_disposability) == ("toy_graph", "graph", "costly")
    assert "orientation" in _message(lambda: resolve_options("sbm", orientation="graph"))


def test_registry_is_left_as_it_was():
    """The fixture removed the test families (this test runs after them in file order)."""
    assert not [n for n in REGISTRY if n.startswith("toy_")]


def test_no_module_shadows_a_public_function():
    """``import frontier.efficiency`` used to give the function: implementation modules are named after what
    they hold (scoring, indices, group_frontiers, economic_efficiency, window)."""
    import importlib.util

    import frontier as fr

    for name in ("efficiency", "productivity", "metafrontier", "economic", "window_analysis"):
        assert callable(getattr(fr, name))
        assert importlib.util.find_spec(f"frontier.{name}") is None, f"frontier/{name}.py shadows fr.{name}"
