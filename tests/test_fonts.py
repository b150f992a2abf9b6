"""Plots with Chinese (CJK) labels: an installed CJK font is found and used as a per-text fallback, without
touching rcParams; without one, a single warning says how to install one."""
from __future__ import annotations

import warnings
from types import SimpleNamespace

import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import frontier as fr
from frontier import _plotting, plots
from frontier.datasets import synthetic_city_panel

INPUTS = ["capital", "labour", "energy"]
CITIES = ["北京", "上海", "广州", "深圳", "成都", "武汉"]


@pytest.fixture(scope="module")
def cn_panel() -> pd.DataFrame:
    panel = synthetic_city_panel(n_cities=6, n_years=4)
    names = dict(zip(pd.unique(panel["city"]), CITIES))
    periods = dict(zip(sorted(panel["year"].unique()), ["一期", "二期", "三期", "四期"]))
    return panel.assign(city=panel["city"].map(names), period=panel["year"].map(periods)).rename(
        columns={"city": "城市", "year": "年份"})


@pytest.fixture(scope="module")
def cn_gml(cn_panel):
    return fr.productivity(cn_panel, "城市", "年份", INPUTS, ["value_added"], ["so2"], index="gml", model="sbm_ddf")


@pytest.fixture
def font_list(monkeypatch):
    """Replace matplotlib's font list (and the system's font files) by the names given; restores both."""
    from matplotlib import font_manager

    def use(names, files=()):
        _plotting._cjk_font.cache_clear()
        monkeypatch.setattr(font_manager.fontManager, "ttflist", [SimpleNamespace(name=n) for n in names])
        monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: list(files))
        monkeypatch.setattr(font_manager.fontManager, "addfont",
                            lambda path: font_manager.fontManager.ttflist.append(SimpleNamespace(name="WenQuanYi Zen Hei")))

    yield use
    _plotting._cjk_font.cache_clear()


def test_the_first_installed_cjk_family_is_chosen(font_list):
    font_list(["DejaVu Sans", "SimHei", "WenQuanYi Zen Hei", "Liberation Serif"])
    assert _plotting._cjk_font() == "WenQuanYi Zen Hei"            # preferred over SimHei (CJK_FAMILIES order)
    font_list(["DejaVu Sans", "Microsoft YaHei"])
    assert _plotting._cjk_font() == "Microsoft YaHei"
    font_list(["DejaVu Sans", "Liberation Sans"])
    assert _plotting._cjk_font() is None
    font_list(["DejaVu Sans"], files=["/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", "/x/DejaVuSans.ttf"])
    assert _plotting._cjk_font() == "WenQuanYi Zen Hei"            # installed after matplotlib built its list


def test_without_a_cjk_font_one_warning_says_how_to_install_one(cn_gml, monkeypatch, tmp_path):
    monkeypatch.setattr(_plotting, "_cjk_font", lambda: None)
    monkeypatch.setattr(_plotting, "_warned_no_cjk_font", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        plots.plot_gtfp(synthetic_levels(), tmp_path / "latin.png")                        # no CJK text: silent
        assert not [w for w in caught if "no CJK font is installed" in str(w.message)]
        plots.plot_gtfp(cn_gml, tmp_path / "a.png", entities=CITIES[:2])
        plots.plot_decomposition(cn_gml, tmp_path / "b.png")
        fig = plots.plot_gtfp(cn_gml, entities=CITIES[2:4])              # no path: drawn later, as Jupyter does
        fig.savefig(tmp_path / "later.png")
    cjk = [str(w.message) for w in caught if "no CJK font is installed" in str(w.message)]
    assert len(cjk) == 1 and "fonts-noto-cjk" in cjk[0] and "rcParams['font.sans-serif']" in cjk[0]
    # matplotlib's own warning for each glyph drawn as a box is not repeated dozens of times (issue 27.7d)
    assert [str(w.message) for w in caught if "missing from" in str(w.message)] == []


def synthetic_levels() -> pd.DataFrame:
    index = pd.MultiIndex.from_product([["a", "b"], [2010, 2011]], names=["city", "year"])
    return pd.DataFrame({"gtfp": [1.0, 1.1, 1.0, 0.9]}, index=index)


def test_cjk_labels_are_drawn_with_an_installed_cjk_font(cn_panel, cn_gml, tmp_path):
    font = _plotting._cjk_font()
    if font is None:
        pytest.skip("no CJK font installed (apt-get install fonts-wqy-zenhei or fonts-noto-cjk)")
    before = (list(matplotlib.rcParams["font.family"]), list(matplotlib.rcParams["font.sans-serif"]))
    eff = fr.efficiency(cn_panel, INPUTS, ["value_added"], ["so2"], id="城市", period="period")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = plots.plot_gtfp(cn_gml, tmp_path / "gtfp.png", entities=CITIES[:3], title="绿色全要素生产率")
        fig2 = plots.plot_scores(eff, tmp_path / "scores.png")                # Chinese period tick labels
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []                                                      # no glyph drawn as a box
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == CITIES[:3]
    assert all(font in t.get_fontfamily() for t in fig.axes[0].get_legend().get_texts())
    assert [t.get_text() for t in fig2.axes[0].get_xticklabels()] == ["一期", "二期", "三期", "四期"]
    assert (list(matplotlib.rcParams["font.family"]), list(matplotlib.rcParams["font.sans-serif"])) == before
    from matplotlib.figure import Figure

    other = Figure().add_subplot().set_title("x")                              # the user's next figure
    assert font not in other.get_fontfamily()


def test_a_cjk_font_chosen_in_rcparams_is_used_as_it_is(cn_gml, tmp_path):
    font = _plotting._cjk_font()
    if font is None:
        pytest.skip("no CJK font installed")
    with matplotlib.rc_context({"font.sans-serif": [font, "DejaVu Sans"]}):
        fig = plots.plot_gtfp(cn_gml, tmp_path / "g.png", entities=CITIES[:2])
    assert all(t.get_fontfamily() == ["sans-serif"] for t in fig.axes[0].get_legend().get_texts())
