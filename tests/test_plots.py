"""frontier.plots: the pictures exist, are PNGs, and carry the expected axes, labels and legends."""
from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

matplotlib = pytest.importorskip("matplotlib")
matplotlib.use("Agg")

import frontier as fr
from frontier.datasets import synthetic_city_panel, synthetic_firms
from frontier.plots import plot_decomposition, plot_gtfp, plot_scores

INPUTS = ["capital", "labour", "energy"]
OUTPUTS = ["value_added"]
BADS = ["so2", "wastewater", "dust"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_city_panel(n_cities=12, n_years=5)


@pytest.fixture(scope="module")
def ml(panel):
    return fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="ml", model="sbm",
                           super_efficiency=True)


@pytest.fixture(scope="module")
def gml(panel):
    return fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="gml", model="sbm_ddf")


def is_png(path) -> bool:
    return path.exists() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 10_000


def legend_texts(ax) -> list[str]:
    leg = ax.get_legend()
    return [t.get_text() for t in leg.get_texts()] if leg else []


def test_plot_gtfp_as_the_demo_calls_it(tmp_path, ml, gml):
    path = tmp_path / "gtfp.png"
    fig = plot_gtfp({"super-SBM ML": ml.cumulative(), "SBM-DDF GML": gml.cumulative()}, path)
    assert is_png(path)
    (ax,) = fig.axes
    assert ax.get_title() == "GTFP: geometric mean across cities; band: 25th to 75th percentile"
    assert ax.get_xlabel() == "year" and ax.get_ylabel() == "cumulative index (first period = 1)"
    assert legend_texts(ax) == ["super-SBM ML, n = 12", "SBM-DDF GML, n = 12"]
    lines = [ln for ln in ax.get_lines() if ln.get_label() in ("super-SBM ML, n = 12", "SBM-DDF GML, n = 12")]
    assert len(lines) == 2
    np.testing.assert_allclose(lines[0].get_xdata(), [2010, 2011, 2012, 2013, 2014])
    expected = np.exp(np.log(ml.cumulative()["gtfp"]).groupby(level="year").mean()).to_numpy()   # ratio: geometric
    np.testing.assert_allclose(lines[0].get_ydata(), expected)
    assert len(ax.collections) == 2                                       # one quantile band per series
    assert all(float(t).is_integer() for t in ax.get_xticks())          # whole years on the axis


def test_plot_gtfp_entities_and_options(tmp_path, ml, gml):
    fig = plot_gtfp(ml, tmp_path / "ent.png", entities=["city003", "city007"])
    (ax,) = fig.axes
    assert legend_texts(ax) == ["city003", "city007"]
    y = ax.get_lines()[0].get_ydata()
    np.testing.assert_allclose(y, ml.cumulative().loc["city003", "gtfp"].to_numpy())
    fig = plot_gtfp({"ML": ml, "GML": gml}, tmp_path / "ent2.png", entities=["city003"])
    assert legend_texts(fig.axes[0]) == ["city003, ML", "city003, GML"]
    fig = plot_gtfp(gml.cumulative(), tmp_path / "median.png", center="median", quantiles=None, column="cum_tc")
    ax = fig.axes[0]
    assert ax.get_title() == "cumulative TC: median across cities" and len(ax.collections) == 0
    with pytest.raises(ValueError, match="entities not in"):
        plot_gtfp(ml, entities=["atlantis"])
    with pytest.raises(ValueError, match="quantiles"):
        plot_gtfp(ml, quantiles=(0.9, 0.1))
    with pytest.raises(ValueError, match="two-level index"):
        plot_gtfp(pd.DataFrame({"gtfp": [1.0, 1.1]}))
    assert all(is_png(tmp_path / f) for f in ("ent.png", "ent2.png", "median.png"))


def test_plot_gtfp_luenberger_and_text_periods(tmp_path, panel):
    quarters = panel.assign(year=panel["year"].map({2010: "2010Q1", 2011: "2010Q2", 2012: "2010Q3",
                                                      2013: "2010Q4", 2014: "2011Q1"}))
    lu = fr.productivity(quarters, "city", "year", INPUTS, OUTPUTS, BADS, index="luenberger", technology="global",
                         model="ddf")
    path = tmp_path / "lu.png"
    fig = lu.plot(path=path)
    ax = fig.axes[0]
    assert is_png(path)
    assert ax.get_ylabel() == "cumulative indicator (first period = 0)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2010Q1", "2010Q2", "2010Q3", "2010Q4", "2011Q1"]
    assert any(np.allclose(ln.get_ydata(), 0.0) for ln in ax.get_lines())   # the dashed baseline at 0
    assert legend_texts(ax)[0].startswith("Luenberger (DDF, VRS, global)")


def test_plot_decomposition(tmp_path, ml, gml):
    path = tmp_path / "dec.png"
    fig = plot_decomposition(gml, path)
    assert is_png(path)
    left, right = fig.axes
    assert left.get_title() == "GML by period (geometric mean across entities)"
    assert legend_texts(left) == ["GML index", "efficiency change (EC)", "best-practice gap change (BPC)"]
    assert len(left.patches) == 4 * 2                                     # 4 changes x (EC, BPC) bars
    assert [t.get_text() for t in left.get_xticklabels()] == ["2011", "2012", "2013", "2014"]
    assert right.get_title() == "chained period geometric means (first period = 1)"
    assert [t.get_text() for t in right.get_xticklabels()][0] == "2010"
    line = left.get_lines()[0]
    geo = gml.indices["index"].groupby(level=1).apply(lambda x: np.exp(np.log(x).mean())).to_numpy()
    np.testing.assert_allclose(line.get_ydata(), geo)
    bars = left.patches[:4]                                               # EC bars drawn from 1
    assert all(b.get_y() == 1.0 for b in bars)
    fig = ml.plot("decomposition", tmp_path / "dec_ml.png", cumulative=False)
    assert len(fig.axes) == 1 and "technical change (TC)" in legend_texts(fig.axes[0])
    with pytest.raises(ValueError, match="components"):
        plot_decomposition(ml, components=("pec",))
    with pytest.raises(ValueError, match="kind"):
        ml.plot("pie")


def test_plot_decomposition_fgnz_luenberger(tmp_path, panel):
    pr = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="luenberger", technology="global",
                         model="ddf", decomposition="fgnz")
    fig = plot_decomposition(pr, tmp_path / "fgnz.png", components=("pec", "sec", "tc"))
    left, right = fig.axes
    assert "pure efficiency change (PEC)" in legend_texts(left)
    assert left.get_ylabel() == "indicator (> 0 = progress)"
    assert all(b.get_y() == 0.0 for b in left.patches)
    assert len(left.patches) == 4 * 3
    # additive: the mean indicator is the sum of the mean components in every period
    bars = np.array([b.get_height() for b in left.patches]).reshape(3, 4)
    np.testing.assert_allclose(bars.sum(axis=0), left.get_lines()[0].get_ydata(), atol=1e-12)
    assert is_png(tmp_path / "fgnz.png")


def test_plot_decomposition_with_failed_lps(tmp_path, panel):
    # contemporaneous VRS SBM-DDF: cross-period LPs outside the frontier are infeasible -> NaN indices
    pr = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="ml", model="sbm_ddf")
    assert pr.indices["index"].isna().any()
    fig = plot_decomposition(pr, tmp_path / "failed.png")
    left, right = fig.axes
    labels = [t.get_text() for t in left.get_xticklabels()]
    complete = pr.indices["index"].notna().groupby(level=1).sum()
    assert labels == [f"{p}\n{k}/12" for p, k in complete.items()]
    assert "k/n: pairs with every LP solved" in left.get_xlabel()
    if (complete == 0).any():
        assert any("chain broken" in t.get_text() for t in right.texts)
    assert is_png(tmp_path / "failed.png")


def test_plot_scores_by_period(tmp_path, panel):
    res = fr.efficiency(panel, INPUTS, OUTPUTS, BADS, model="sbm", super_efficiency=True, period="year")
    path = tmp_path / "scores.png"
    fig = res.plot(path)
    assert is_png(path)
    ax = fig.axes[0]
    assert ax.get_title() == "super-SBM (VRS) scores by period (n = 60)"
    assert ax.get_xlabel() == "year (contemporaneous frontier)"
    assert ax.get_ylabel() == "efficiency score (1 = efficient)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2010", "2011", "2012", "2013", "2014"]
    means = [ln for ln in ax.get_lines() if ln.get_label() == "mean"][0]
    np.testing.assert_allclose(means.get_ydata(), res.scores.groupby(panel["year"]).mean().to_numpy())


def test_plot_scores_marks_missing_and_outliers(tmp_path, panel):
    res = fr.efficiency(panel, INPUTS, OUTPUTS, BADS, model="radial", rts="vrs", super_efficiency=True,
                        period="year")
    assert res.scores.isna().any()
    fig = plot_scores(res, tmp_path / "radial.png")
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    nan = res.scores.isna().groupby(panel["year"]).sum()
    for label, (year, k) in zip(labels, nan.items()):
        assert label == (f"{year}\n({k} NaN)" if k else str(year))


def test_plot_scores_histogram_for_a_cross_section(tmp_path):
    res = fr.efficiency(synthetic_firms(80), ["K", "L", "E"], ["Y"], ["SO2"], model="ddf")
    fig = plot_scores(res, tmp_path / "hist.png", bins=12)
    ax = fig.axes[0]
    assert is_png(tmp_path / "hist.png")
    assert ax.get_xlabel() == "inefficiency (0 = efficient)" and ax.get_ylabel() == "number of DMUs"
    assert len(ax.patches) == 12
    assert legend_texts(ax)[0] == "efficient"


def test_draw_into_given_axes(ml):
    import matplotlib.pyplot as plt

    fig, (a, b) = plt.subplots(1, 2)
    out = plot_gtfp(ml, ax=a)
    plot_decomposition(ml, ax=b, cumulative=False)
    assert out is fig and a.get_title().startswith("GTFP") and b.get_title().startswith("ML by period")
    plt.close(fig)


def test_missing_matplotlib_is_a_clear_error():
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "import frontier as fr\n"
            "from frontier.datasets import synthetic_firms\n"
            "res = fr.efficiency(synthetic_firms(10), ['K'], ['Y'])\n"
            "try:\n    res.plot()\nexcept ImportError as e:\n    print('ERR', e)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60,
                          env={**os.environ, "MPLBACKEND": "Agg"})
    assert proc.returncode == 0, proc.stderr
    assert "ERR plotting needs matplotlib: pip install matplotlib (or pip install 'frontier-dea[plot]')" in proc.stdout


def test_demo_runs_without_matplotlib(tmp_path):
    """frontier/demo.py imports plot_gtfp inside try/except ImportError: without matplotlib it skips the plot."""
    code = ("import sys; sys.modules['matplotlib'] = None\n"
            "from frontier.demo import run\n"
            f"run({str(tmp_path)!r}, n_cities=8, n_years=3)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr
    written = {p.name for p in tmp_path.iterdir()}
    assert "gml_sbm_ddf_gtfp.csv" in written and "gtfp.png" not in written


def test_demo_plot_with_matplotlib(tmp_path):
    from frontier.demo import run

    run(tmp_path, n_cities=8, n_years=3)
    assert is_png(tmp_path / "gtfp.png")


# ---------------------------------------------------------------------------------------------------------
# survivorship and notebooks
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken():
    """DDF ML, weak disposability, VRS: infeasible cross-period LPs break most chains (n = 24, 2, 1, 0)."""
    return fr.productivity(synthetic_city_panel(n_cities=24, n_years=4), "city", "year", INPUTS, OUTPUTS, BADS, index="ml", model="ddf", rts="vrs",
                           bad_disposability="weak")


def test_gtfp_plot_draws_the_summary_numbers_with_n_per_point(tmp_path, broken):
    path = tmp_path / "broken.png"
    with pytest.warns(UserWarning, match="gtfp chains break"):
        fig = broken.plot(path=path)
    assert is_png(path)
    (ax,) = fig.axes
    assert ax.get_title() == "GTFP: geometric mean across cities; band: 25th to 75th percentile"
    summary = broken.summary()
    levels = summary.tables["GTFP level by period (geometric mean across cities)"]
    drawn = levels[levels["n"] > 0]
    (line,) = [ln for ln in ax.get_lines() if ln.get_label().startswith("ML (DDF, VRS)")]
    np.testing.assert_allclose(line.get_xdata(), drawn.index.to_numpy())
    np.testing.assert_allclose(line.get_ydata(), drawn["gtfp"].to_numpy(), rtol=1e-12)   # the summary's numbers
    n = drawn["n"].astype(int).tolist()
    assert n[0] == 24 and len(n) >= 3 and n[-1] < n[0]
    assert legend_texts(ax) == [f"ML (DDF, VRS), n = {n[0]} → {n[-1]}"]
    assert [t.get_text() for t in ax.texts] == [f"n={k}" for k in levels["n"]]         # every period's count
    assert levels["n"].iloc[-1] == 0 and ax.texts[-1].get_position()[0] == levels.index[-1]   # n=0 written too
    block = summary.split("GTFP level by period")[1].split("\n")[3:]                # the text agrees too
    printed = {int(r.split()[0]): (float(r.split()[1]), int(r.split()[2])) for r in block if r.strip()}
    for year, (value, count) in printed.items():
        if count:
            assert value == pytest.approx(drawn.loc[year, "gtfp"], abs=5e-5) and count == drawn.loc[year, "n"]
    assert len(printed) == len(levels)


def test_luenberger_plot_uses_the_arithmetic_mean(panel):
    lu = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="luenberger", technology="global",
                         model="ddf")
    fig = plot_gtfp(lu)
    ax = fig.axes[0]
    assert ax.get_title().startswith("GTFP: mean across cities")
    line = ax.get_lines()[0]
    np.testing.assert_allclose(line.get_ydata(), lu.level_means()["gtfp"].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(line.get_ydata(), lu.cumulative()["gtfp"].groupby(level=1).mean().to_numpy())
    assert not ax.texts                                       # whole chains: n in the legend only
    with pytest.raises(ValueError, match="named cum_tc"):
        plot_gtfp(lu, column="tc")


def test_plot_is_shown_once_in_jupyter_inline(tmp_path):
    """Under the inline backend the figure is closed to pyplot (so the kernel does not draw it at the end of the
    cell) and returned (so IPython draws it once, as the cell's value); elsewhere pyplot keeps it for plt.show()."""
    pytest.importorskip("matplotlib_inline")
    script = tmp_path / "inline.py"
    script.write_text(
        "import matplotlib\n"
        "matplotlib.use('module://matplotlib_inline.backend_inline')\n"
        "import matplotlib.pyplot as plt\n"
        "import frontier as fr\n"
        "from frontier.datasets import synthetic_city_panel\n"
        "pr = fr.productivity(synthetic_city_panel(5, 3), 'city', 'year', ['capital', 'labour'], ['value_added'],"
        " index='gml', model='ddf')\n"
        "for fig in (pr.plot(), pr.plot('decomposition')):\n"
        "    assert type(fig).__name__ == 'Figure' and fig.axes\n"
        "    assert not plt.fignum_exists(fig.number), 'still open: the kernel would draw it a second time'\n"
        "print('ok')\n")
    env = {**os.environ, "PYTHONPATH": os.getcwd()}
    proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr
    import matplotlib.pyplot as plt

    fig = plot_gtfp(fr.productivity(synthetic_city_panel(4, 3), "city", "year", ["capital", "labour"],
                                    ["value_added"], index="gml", model="ddf"))
    assert plt.fignum_exists(fig.number)                     # Agg / scripts: pyplot keeps it for plt.show()
    plt.close(fig)


# ----------------------------------------------------------------------------------------------------
# metafrontier: the technology gap and the index decomposition
# ----------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def meta(panel):
    return fr.metafrontier(panel, "region", INPUTS, OUTPUTS, ["so2"], model="sbm", period="year")


def test_plot_tgr_by_group_draws_the_summary_means_with_n(tmp_path, meta):
    from frontier.plots import plot_tgr

    path = tmp_path / "tgr.png"
    fig = meta.plot(path)
    assert is_png(path)
    (ax,) = fig.axes
    assert ax.get_title() == "TGR by region (SBM, VRS, pooled metafrontier)"
    assert ax.get_ylabel() == "TGR = E*/E^g (1 = on the metafrontier)"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["east\nn=20", "central\nn=20", "west\nn=20"]
    means = [ln for ln in ax.get_lines() if ln.get_label() == "mean"][0]
    np.testing.assert_allclose(means.get_ydata(), meta.by("group")["tgr"].to_numpy())
    assert legend_texts(ax) == ["mean", "metafrontier"]
    ddf = fr.metafrontier(synthetic_city_panel(9, 2), "region", INPUTS, OUTPUTS, ["so2"], model="ddf", rts="crs")
    fig = plot_tgr(ddf)
    assert fig.axes[0].get_ylabel() == "gap = D* - D^g (0 = on the metafrontier)"
    assert fig.axes[0].get_title().startswith("technology gap by region (DDF, CRS")
    with pytest.raises(ValueError, match="period="):
        plot_tgr(ddf, over="period")
    with pytest.raises(ValueError, match="over"):
        plot_tgr(meta, over="city")
    with pytest.raises(TypeError, match="MetafrontierResult"):
        plot_tgr(ddf.to_frame())


def test_plot_tgr_over_periods_one_line_per_group_with_n_per_point(tmp_path, meta):
    path = tmp_path / "tgr_t.png"
    fig = meta.plot(path, over="period")
    assert is_png(path)
    (ax,) = fig.axes
    assert ax.get_title() == "mean TGR by region and year (SBM, VRS, pooled metafrontier)"
    assert legend_texts(ax) == ["east, n = 4", "central, n = 4", "west, n = 4", "metafrontier"]
    table = meta.by("group_period")
    for line in ax.get_lines():
        if line.get_label().startswith("east"):
            np.testing.assert_allclose(line.get_xdata(), [2010, 2011, 2012, 2013, 2014])
            np.testing.assert_allclose(line.get_ydata(), table.xs("east", level=0)["tgr"].to_numpy())
    counts = [t.get_text() for t in ax.texts]
    assert counts == ["n=4"] * 15                                      # 3 regions x 5 years


def test_plot_decomposition_reads_the_metafrontier_components(tmp_path, panel):
    pr = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, ["so2"], model="sbm", group="region")
    path = tmp_path / "meta_dec.png"
    fig = pr.plot("decomposition", path)
    assert is_png(path)
    left, right = fig.axes
    assert left.get_title() == "metafrontier GML by period (geometric mean across entities)"
    assert legend_texts(left) == ["metafrontier GML index", "efficiency change (EC)", "best-practice change (BPC)",
                                  "technology-gap change (TGC)"]
    assert len(left.patches) == 4 * 3                                     # 4 changes x (EC, BPC, TGC)
    heights = np.array([b.get_height() + b.get_y() for b in left.patches]).reshape(3, 4)
    np.testing.assert_allclose(heights.prod(axis=0), left.get_lines()[0].get_ydata(), rtol=1e-10)
    assert "technology-gap change (TGC)" in legend_texts(right)
    fig = plot_decomposition(pr, components=("tgc",), cumulative=False)
    assert legend_texts(fig.axes[0]) == ["metafrontier GML index", "technology-gap change (TGC)"]
    with pytest.raises(ValueError, match=r"available: \['ec', 'bpc', 'tgc'\]"):
        plot_decomposition(pr, components=("tc",))
