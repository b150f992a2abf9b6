"""Every figure of every result type in Simplified Chinese on request (``lang="zh"``), English by default, and no
title with ``title=""`` (issue 27.7, 27.8). The cases iterate the result types of :mod:`frontier.results` that
have figures (their ``PLOTS``): a new type with a figure fails here until it has a case."""
from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
import pytest

import frontier as fr
import frontier.results as results
from frontier.datasets import synthetic_city_panel

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

X, Y, BAD = ["capital", "labour", "energy"], ["value_added"], ["so2"]
#: the data's own names, kept as typed in every language (a column as an axis title)
DATA_NAMES = {"energy"}


def _environment(n: int = 80) -> pd.DataFrame:
    """Inputs inflated by the environment (z1 raises both, z2 lowers x2), with inefficiency and noise: a second
    stage that is not degenerate (tests/test_three_stage.py's provinces)."""
    rng = np.random.default_rng(3)
    z1, z2, y = rng.uniform(0, 1, n), rng.uniform(0, 1, n), rng.uniform(5, 10, n)
    x1 = y * np.exp(0.4 * z1 + np.abs(rng.normal(0, 0.2, n)) + rng.normal(0, 0.1, n))
    x2 = y * np.exp(0.3 * z1 - 0.2 * z2 + np.abs(rng.normal(0, 0.2, n)) + rng.normal(0, 0.1, n))
    return pd.DataFrame({"x1": x1, "x2": x2, "y": y, "z1": z1, "z2": z2})


@pytest.fixture(autouse=True)
def close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="module")
def panel():
    return synthetic_city_panel(n_cities=9, n_years=3, seed=3)


@pytest.fixture(scope="module")
def cross_section(panel):
    return panel[panel["year"] == panel["year"].min()].reset_index(drop=True)


#: result type -> how a small one is made from (panel, one year of it), and the options of its figures worth
#: drawing besides the defaults (kind, options)
CASES = {
    results.EfficiencyResult: (lambda p, c: fr.efficiency(p, X, Y, BAD, id="city", period="year"),
                               [("scores", {})]),
    results.ProductivityResult: (lambda p, c: fr.productivity(p, "city", "year", X, Y, BAD),
                                 [("gtfp", {}), ("decomposition", {})]),
    results.MetafrontierResult: (lambda p, c: fr.metafrontier(p, "region", X, Y, id="city", period="year"),
                                 [("tgr", {}), ("tgr", {"over": "period"})]),
    results.WindowAnalysisResult: (lambda p, c: fr.window_analysis(p, "city", "year", X, Y, width=2),
                                   [("windows", {})]),
    results.BootstrapResult: (lambda p, c: fr.bootstrap(c, X, Y, id="city", B=20, random_state=1),
                              [("intervals", {}), ("intervals", {"sort_by": "score"})]),
    results.PartialFrontierResult: (lambda p, c: fr.partial_frontier(c, X, Y, m=5, B=20, random_state=1),
                                    [("scores", {}), ("outliers", {})]),
    results.ReturnsToScaleResult: (lambda p, c: fr.returns_to_scale(c, X, Y, id="city"), [("scale", {})]),
    results.CrossEfficiencyResult: (lambda p, c: fr.cross_efficiency(c, X, Y, id="city"), [("ranking", {})]),
    results.DynamicResult: (lambda p, c: fr.dynamic(p, "city", "year", X, Y), [("terms", {})]),
    results.ThreeStageResult: (lambda p, c: fr.three_stage(_environment(), ["x1", "x2"], ["y"], environment=["z1", "z2"]),
                               [("change", {})]),
    results.ZSGResult: (lambda p, c: fr.zsg(c, X, Y, reallocate="energy", id="city"), [("allocation", {})]),
    results.ReturnsToScaleTestResult: (lambda p, c: fr.test_returns_to_scale(c, X, Y, B=20, random_state=1),
                                       [("null_distribution", {})]),
    results.IndependenceTestResult: (lambda p, c: fr.test_independence(c, X, Y, B=20, random_state=1),
                                     [("null_distribution", {})]),
}


def _plotted_types() -> set:
    types = (getattr(results, name) for name in results.__all__)
    return {t for t in types if inspect.isclass(t) and getattr(t, "PLOTS", None)}


def test_every_result_type_with_a_figure_has_a_case():
    assert _plotted_types() == set(CASES)
    for kind, (_, drawn) in CASES.items():
        assert {k for k, _ in drawn} == set(kind.PLOTS), kind.__name__     # every figure of the type drawn


_results: dict = {}


def _result(kind, panel, cross_section):
    if kind not in _results:
        _results[kind] = CASES[kind][0](panel, cross_section)
    return _results[kind]


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def _titles(fig) -> list:
    """The titles of the figure (each axes', the suptitle)."""
    own = [fig._suptitle.get_text()] if fig._suptitle is not None else []
    return [t for t in own + [ax.get_title() for ax in fig.axes] if t]


def _axis_labels(fig) -> list:
    return [t for ax in fig.axes for t in (ax.get_xlabel(), ax.get_ylabel()) if t]


def _legend_titles(fig) -> list:
    return [t for ax in fig.axes if ax.get_legend() for t in [ax.get_legend().get_title().get_text()] if t]


FIGURES = [(kind, plot, options) for kind, (_, drawn) in CASES.items() for plot, options in drawn]


@pytest.mark.parametrize("kind, plot, options", FIGURES,
                         ids=[f"{k.__name__}-{p}-{'-'.join(o) or 'default'}" for k, p, o in FIGURES])
def test_figure_in_chinese_on_request_english_by_default(kind, plot, options, panel, cross_section):
    res = _result(kind, panel, cross_section)
    english = res.draw(plot, **options)
    chinese = res.draw(plot, lang="zh", **options)
    texts_en = _titles(english) + _axis_labels(english) + _legend_titles(english)
    assert texts_en and not any(_cjk(t) for t in texts_en), texts_en
    titles, labels = _titles(chinese), _axis_labels(chinese)
    assert titles and all(_cjk(t) for t in titles), titles
    assert labels and all(_cjk(t) or t in DATA_NAMES for t in labels), labels
    assert all(_cjk(t) for t in _legend_titles(chinese))
    assert len(titles) == len(_titles(english)) and len(labels) == len(_axis_labels(english))
    with pytest.raises(ValueError, match="lang must be one of"):
        res.draw(plot, lang="cn", **options)


@pytest.mark.parametrize("kind, plot, options", FIGURES,
                         ids=[f"{k.__name__}-{p}-{'-'.join(o) or 'default'}" for k, p, o in FIGURES])
def test_empty_title_draws_no_title(kind, plot, options, panel, cross_section):
    """``title=""`` draws no title: what ``title="mine"`` draws but that title (the bootstrap tests' figure drew
    its default one). The panels' own titles (the decomposition's two) stay."""
    res = _result(kind, panel, cross_section)
    mine = _titles(res.draw(plot, title="mine", **options))
    assert "mine" in mine
    assert sorted(_titles(res.draw(plot, title="", **options))) == sorted(t for t in mine if t != "mine")


def test_labels_of_each_entity_panel_in_chinese(panel, cross_section):
    """The per-entity figures (window analysis, dynamic SBM with ``entities=``) too: the data's names stay."""
    windows = _result(results.WindowAnalysisResult, panel, cross_section)
    fig = windows.draw("windows", entities=["city001", "city002"], lang="zh")
    assert [ax.get_title() for ax in fig.axes] == ["city001", "city002"]
    assert all(ax.get_xlabel() == "年份" for ax in fig.axes) and _cjk(fig.axes[0].get_ylabel())
    dynamic = _result(results.DynamicResult, panel, cross_section)
    fig = dynamic.draw("terms", entities=["city001"], lang="zh")
    assert fig.axes[0].get_xlabel() == "年份" and _cjk(fig.axes[0].get_ylabel())
