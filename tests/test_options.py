"""frontier.options: the one vocabulary (every list of choices) and the parameter table, kept equal to the
functions' signatures and to the tuples the modules check against."""
from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import frontier
from frontier import options
from frontier.options import ANALYSES, PARAMETERS


def test_options_is_a_leaf():
    """Importable by anything (a web page, the CLI parser): the standard library only."""
    code = "import sys, frontier.options; print(sorted(m for m in ('numpy', 'pandas', 'scipy') if m in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_the_modules_check_against_the_same_vocabulary():
    """Every module's list of choices is options' own (bound to it, never a copy that could drift)."""
    from frontier import data, engine, indices, malmquist_bootstrap, problem, technology
    from frontier.engine import reduction as frame
    from frontier.analyses import (bootstrap as efficiency_bootstrap, economic as economic_efficiency,
                                   metafrontier as group_frontiers, second_stage as truncated_regression, sfa)
    from frontier.models import base, economic

    assert engine.METHODS is options.METHODS
    assert problem.DIRECTIONS is options.DIRECTIONS
    assert data.ZERO_POLICIES is options.ZERO_POLICIES
    assert frame.RTS_SETS is options.RTS and base.RTS is options.RTS
    assert economic.KINDS is options.ECONOMIC_KINDS
    assert economic_efficiency.PROFIT_DIRECTIONS is options.PROFIT_DIRECTIONS
    assert technology.TECHNOLOGIES == options.TECHNOLOGIES
    assert group_frontiers.TECHNOLOGIES == options.EFFICIENCY_TECHNOLOGIES
    assert group_frontiers.METAS == options.METAS
    assert efficiency_bootstrap.TECHNOLOGIES == options.BOOTSTRAP_TECHNOLOGIES
    assert efficiency_bootstrap.BANDWIDTH_RULES == options.BANDWIDTH_RULES
    assert malmquist_bootstrap.BANDWIDTHS is options.MALMQUIST_BANDWIDTH_RULES
    assert truncated_regression.INTERVALS is options.INTERVALS
    assert sfa.FORMS == options.SFA_FORMS and sfa.DISTRIBUTIONS == options.SFA_DISTRIBUTIONS
    assert tuple(sfa.FRONTIERS) == options.SFA_FRONTIERS
    assert indices.HM_TECHNOLOGIES == options.HICKS_MOORSTEEN_TECHNOLOGIES
    assert tuple(indices.INDEX_ALIASES) == options.MALMQUIST_INDICES
    assert tuple(indices.HM_INDICES) == options.HICKS_MOORSTEEN_INDICES
    assert set(options.PRODUCTIVITY_TECHNOLOGIES) == set(options.TECHNOLOGIES)


def _signature(analysis: str) -> inspect.Signature:
    return inspect.signature(getattr(frontier, analysis))


@pytest.mark.parametrize("analysis", ANALYSES)
def test_every_keyword_is_in_the_table_with_its_default(analysis):
    """Each keyword of each public function has a Param, whose default for that analysis is the signature's."""
    for name, p in _signature(analysis).parameters.items():
        if name in ("data", "scores_or_result") or p.kind is p.VAR_KEYWORD:
            continue
        assert name in PARAMETERS, (analysis, name)
        if p.default is not p.empty:
            assert PARAMETERS[name].default_of(analysis) == p.default, (analysis, name)


@pytest.mark.parametrize("name", sorted(PARAMETERS))
def test_each_parameter_is_explained_in_english_and_chinese(name):
    p = PARAMETERS[name]
    assert p.name == name and len(p.help) > 20 and p.option.startswith("--")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in p.zh), name                # Simplified Chinese text
    assert set(p.help_for) <= set(ANALYSES) and set(p.defaults) <= set(ANALYSES)
    # an analysis where the parameter means another thing has its own text in both languages
    assert set(p.zh_for) <= set(p.help_for), name
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in text) for text in p.zh_for.values()), name
    assert set(p.choices_for) <= set(ANALYSES)
    for analysis in ANALYSES:
        choices, default = p.choices_of(analysis), p.default_of(analysis)
        if choices is not None and default is not None:
            assert default in choices, (name, analysis)


def test_a_param_refuses_an_unknown_kind():
    with pytest.raises(ValueError, match="kind must be one of"):
        options.Param("x", "colour", "help text", "帮助")
