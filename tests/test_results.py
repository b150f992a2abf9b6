"""Typed results: the frozen Specification and the export accessors of both result objects."""
from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.datasets import synthetic_city_panel, synthetic_firms

VARS = dict(inputs=["capital", "labour", "energy"], outputs=["value_added"], bad_outputs=["so2"])


@pytest.fixture(scope="module")
def gml():
    return fr.productivity(synthetic_city_panel(6, 3), entity="city", period="year", index="gml", **VARS)


@pytest.fixture(scope="module")
def luenberger():
    return fr.productivity(synthetic_city_panel(6, 3), entity="city", period="year", index="luenberger",
                           model="ddf", decomposition="fgnz", **VARS)


def test_specification_is_frozen_and_reads_like_a_dict(gml):
    spec = gml.spec
    assert isinstance(spec, fr.Specification)
    with pytest.raises(dataclasses.FrozenInstanceError):
        spec.rts = "crs"
    assert spec["rts"] == spec.rts == "vrs" and spec.get("window") is None and spec.get("nonsense", 1) == 1
    assert dict(spec)["model"] == "sbm" and spec["inputs"] == VARS["inputs"]
    with pytest.raises(KeyError):
        spec["nonsense"]


def test_index_form_and_components_are_data(gml, luenberger):
    assert gml.spec.form == "ratio" and gml.spec.ratio and gml.spec.components == ("index", "ec", "tc")
    assert luenberger.spec.form == "difference" and not luenberger.spec.ratio
    assert luenberger.spec.components == ("index", "ec", "tc", "pec", "sec")
    # the chains follow the stored form: products for ratios, sums for differences
    levels = luenberger.cumulative()
    first = levels.groupby(level=0).head(1)
    assert (first[["gtfp", "cum_ec", "cum_tc", "cum_pec", "cum_sec"]] == 0.0).all().all()


def test_productivity_to_frame_and_files(gml, tmp_path):
    frame = gml.to_frame()
    assert frame.index.names == ["city", "year"]
    assert {"index", "ec", "tc", "status", "gtfp", "cum_ec", "cum_tc"} <= set(frame.columns)
    assert len(frame) == len(gml.indices) + gml.indices.index.get_level_values(0).nunique()
    gml.to_csv(tmp_path / "gml.csv")
    gml.to_parquet(tmp_path / "gml.parquet")
    for back in (pd.read_csv(tmp_path / "gml.csv"), pd.read_parquet(tmp_path / "gml.parquet")):
        assert list(back.columns[:2]) == ["city", "year"] and len(back) == len(frame)
        pd.testing.assert_series_equal(back["gtfp"], frame["gtfp"].reset_index(drop=True), check_names=False)


def test_efficiency_to_parquet(tmp_path):
    res = fr.efficiency(synthetic_firms(40), ["K", "L", "E"], ["Y"], model="radial")
    res.to_parquet(tmp_path / "eff.parquet")
    back = pd.read_parquet(tmp_path / "eff.parquet")
    assert back["score"].tolist() == pytest.approx(res.scores.tolist())


# ---------------------------------------------------------------------------------------------------------
# survivorship: broken chains (DDF ML, weak disposability, VRS: many cross-period LPs are infeasible)
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def broken():
    return fr.productivity(synthetic_city_panel(16, 4), entity="city", period="year", index="ml", model="ddf",
                           rts="vrs", bad_disposability="weak", **VARS)


def test_summary_means_decompose_over_one_common_row_set(broken):
    ix = broken.indices
    assert ix["index"].isna().any() and ix["ec"].notna().sum() > ix["index"].notna().sum()   # the chains do break
    with pytest.warns(UserWarning, match="gtfp chains break"):
        summary = broken.summary()
    by = summary.tables["geometric mean by period (pairs with every component)"]
    assert by.equals(broken.period_means())
    np.testing.assert_allclose(by["index"], by["ec"] * by["tc"], rtol=1e-12)      # exact, every period
    # n counts the pairs behind each mean; pairs the period's index rows
    complete = ix[["index", "ec", "tc"]].notna().all(axis=1)
    assert by["n"].tolist() == complete.groupby(level=1).sum().tolist()
    assert by["pairs"].tolist() == ix.groupby(level=1).size().tolist()
    assert "over the pairs with the index and every component" in summary and "  n  pairs" in summary


def test_luenberger_period_means_add(luenberger):
    by = luenberger.period_means()
    np.testing.assert_allclose(by["index"], by["ec"] + by["tc"], atol=1e-12)
    np.testing.assert_allclose(by["ec"], by["pec"] + by["sec"], atol=1e-12)


def test_broken_chains_warn_and_every_mean_has_its_n(broken):
    with pytest.warns(UserWarning, match=r"gtfp chains break \(later levels NaN\) for \d+ of 16 cities, from 2011"):
        levels = broken.cumulative()
    means = broken.level_means()
    n = levels["gtfp"].notna().groupby(level=1).sum()
    assert means["n"].tolist() == n.tolist() and means["n"].iloc[0] == 16 and means["n"].iloc[-1] < 16
    geo = np.exp(np.log(levels["gtfp"]).groupby(level=1).mean())
    np.testing.assert_allclose(means["gtfp"].dropna(), geo.dropna(), rtol=1e-12)   # geometric for a ratio index
    text = str(broken.summary())
    assert "GTFP level by period, geometric mean across cities (n with a level)" in text
    broken_entities = levels.index[levels["gtfp"].isna().to_numpy()].get_level_values(0).nunique()
    assert f"chains             {broken_entities} of 16 cities break (later levels NaN): GTFP rests on n = 16 (2010) -> " \
        in text


def test_whole_chains_do_not_warn(gml):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        gml.cumulative()
        text = gml.summary()
    assert "chains" not in text


# ---------------------------------------------------------------------------------------------------------
# notebooks: summary() is text and HTML; results render as HTML
# ---------------------------------------------------------------------------------------------------------

def test_summary_prints_as_text_and_renders_as_html(gml, capsys):
    summary = gml.summary()
    assert isinstance(summary, fr.results.Summary) and isinstance(summary, str)
    print(summary)
    assert capsys.readouterr().out == str(summary) + "\n"
    assert repr(summary) == str(summary)                                 # a REPL shows it unescaped
    html = summary._repr_html_()
    assert html.startswith("<div") and "<table" in html and "GML (global Malmquist-Luenberger" in html
    assert "GTFP level by period" in html and html.count("<table") == 3  # specification + two tables
    assert gml._repr_html_() == html
    res = fr.efficiency(synthetic_city_panel(6, 3), model="sbm", period="year", **VARS)
    eff = res.summary()
    assert str(eff).startswith("frontier efficiency:") and "  mean score by period: 2010: " in eff
    assert list(eff.tables["mean score by period"].columns) == ["mean", "n"]
    assert "<table" in res._repr_html_() and "&lt;" not in res._repr_html_()[:40]


# ---------------------------------------------------------------------------------------------------------
# names and defaults
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs, label", [
    (dict(index="ml"), "ML"), (dict(index="gml"), "GML"), (dict(index="sml"), "SML"),
    (dict(index="malmquist"), "Malmquist"), (dict(index="luenberger"), "Luenberger"),
    (dict(index="malmquist", technology="biennial"), "biennial Malmquist"),
    (dict(index="luenberger", technology="window", window=1), "window Luenberger (h = 1)"),
])
def test_the_index_is_labelled_by_what_it_is(kwargs, label):
    pr = fr.productivity(synthetic_city_panel(4, 3), entity="city", period="year", model="ddf", **kwargs, **VARS)
    assert pr.spec.index_label == label
    assert str(pr.summary()).startswith(f"frontier productivity: {label} (")
    assert repr(pr).startswith(f"<ProductivityResult {label} (")
    assert "Malmquist" not in repr(pr) or "Malmquist" in label


def test_cumulative_columns_are_named_like_the_exports(gml):
    from frontier.results import productivity_table

    levels = gml.cumulative()
    assert list(levels.columns) == ["gtfp", "cum_ec", "cum_tc"]
    table = productivity_table(gml)
    pd.testing.assert_series_equal(table["cum_ec"], levels["cum_ec"].reset_index(drop=True), check_names=False)


def test_option_values_are_case_insensitive():
    panel = synthetic_city_panel(5, 3)
    lower = fr.productivity(panel, entity="city", period="year", index="malmquist", technology="global",
                            decomposition="fgnz", model="ddf", adjacency="observed", base="previous", **VARS)
    upper = fr.productivity(panel, entity="city", period="year", index="Malmquist", technology="Global",
                            decomposition="FGNZ", model="DDF", rts="VRS", adjacency="Observed", base="Previous",
                            zeros="Error", method="Auto", direction="Output", **VARS)
    pd.testing.assert_frame_equal(upper.indices, lower.indices)
    assert dict(upper.spec) == dict(lower.spec)          # the settings; spec.call records each call as it was made
    assert fr.productivity(panel, entity="city", period="year", index="GML", **VARS).spec.alias == "gml"
    pd.testing.assert_frame_equal(lower.cumulative(policy="RESTART"), lower.cumulative(policy="restart"))
    eff = fr.efficiency(panel, model="SBM", rts="CRS", zeros="Small_Positive", period="year", technology="Global",
                        **VARS)
    assert eff.spec.zeros == "small_positive" and eff.spec.technology == "global"


def test_fgnz_says_its_index_uses_crs_distances(luenberger, tmp_path):
    
    spec = luenberger.spec
    assert spec.rts == "vrs" and spec.index_rts == "crs"
    assert "index rts          crs (decomposition='fgnz': the index, ec and tc use CRS distances; ec = pec + sec " \
           "with pec under rts=vrs)" in luenberger.summary()
    rows = dict(luenberger.export().specification)
    assert rows["index rts"].startswith("crs: with decomposition='fgnz' the index, ec and tc use CRS distances")
    plain = fr.productivity(synthetic_city_panel(4, 3), entity="city", period="year", index="gml", **VARS)
    assert plain.spec.index_rts == "vrs" and "index rts" not in plain.summary()
    assert "index rts" not in dict(plain.export().specification)


def test_progress_bar_by_default_in_a_jupyter_kernel(monkeypatch):
    import sys
    import types

    from frontier.scoring import make_progress

    assert make_progress(None, 10_000) is None or sys.stderr.isatty()   # pytest: no terminal, no kernel
    ipython = types.ModuleType("IPython")
    ipython.get_ipython = lambda: types.SimpleNamespace(kernel=object())
    monkeypatch.setitem(sys.modules, "IPython", ipython)
    monkeypatch.setitem(sys.modules, "ipykernel", types.ModuleType("ipykernel"))
    bar = make_progress(None, 10_000)
    assert bar is not None and bar.total == 10_000
    bar.close()
    assert make_progress(None, 100) is None                          # short runs stay quiet


# ---------------------------------------------------------------------------------------------------------
# results own their reports (frontier.results): one protocol, io and plots know no result type
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def malmquist_boot():
    return fr.productivity(synthetic_city_panel(8, 3), entity="city", period="year", index="malmquist",
                           model="radial", orientation="input", inputs=VARS["inputs"], outputs=VARS["outputs"],
                           bootstrap=10, random_state=3).bootstrap


def test_every_result_type_reports_through_one_protocol():
    from frontier import results

    types = [getattr(results, name) for name in results.__all__
             if name.endswith("Result") or name == "MalmquistBootstrap"]
    assert len(types) >= 13 and fr.PartialFrontierResult in types
    for cls in types:
        assert issubclass(cls, results.FileExports), cls
        for name in ("to_frame", "summary", "export", "to_csv", "to_excel", "to_stata", "to_parquet", "plot"):
            assert callable(getattr(cls, name, None)), (cls, name)
    assert list(results.ProductivityResult.PLOTS) == ["gtfp", "decomposition"]
    from frontier import plots
    assert plots.plot_gtfp is results.ProductivityResult.PLOTS["gtfp"]
    assert plots.plot_scores is results.EfficiencyResult.PLOTS["scores"]


def test_window_summary_is_a_summary_like_the_others():
    from frontier.results import Summary

    win = fr.window_analysis(synthetic_city_panel(5, 3), "city", "year", width=2, **VARS)
    summary = win.summary()
    assert isinstance(summary, Summary) and str(win) == summary
    assert dict(summary.rows)["LP status"].startswith("optimal")
    assert list(summary.tables["by window"].columns) == ["mean", "min", "max", "range", "n", "n_nan"]
    assert "<table>" in win._repr_html_()


def test_malmquist_bootstrap_is_exportable(malmquist_boot, tmp_path):
    boot = malmquist_boot
    frame = boot.to_frame()
    assert list(frame.index.names) == ["city", "year", "replicate"]
    rows = next(iter(boot.replicates.values())).shape[1]
    assert len(frame) == boot.B * rows and list(frame.columns) == list(boot.replicates)
    first = frame.xs((frame.index[0][0], frame.index[0][1]), level=[0, 1])
    np.testing.assert_array_equal(first["index"].to_numpy(), boot.replicates["index"].iloc[:, 0].to_numpy())
    assert "B = 10" in boot.summary() and dict(boot.summary().rows)["technology pairs"] == len(boot.groups)
    boot.to_csv(tmp_path / "boot.csv")
    boot.to_excel(tmp_path / "boot.xlsx")
    boot.to_stata(tmp_path / "boot.dta")
    back = pd.read_csv(tmp_path / "boot.csv")
    assert list(back.columns[:3]) == ["city", "year", "replicate"] and len(back) == len(frame)
    spec = fr.io.read_specification(tmp_path / "boot.xlsx")
    assert spec["analysis"].startswith("smoothed bivariate bootstrap") and spec["replicates"].startswith("B = 10")
    assert "technology pairs" in pd.ExcelFile(tmp_path / "boot.xlsx").sheet_names
    with pytest.raises(TypeError, match="no figures"):
        boot.plot()


def test_second_stage_writes_every_format(tmp_path):
    firms = synthetic_firms(30).assign(z=np.arange(30) % 5)
    first = fr.efficiency(firms, ["K", "L", "E"], ["Y"], model="radial", orientation="input")
    res = fr.second_stage(first, firms, ["z"], L2=50, random_state=2)
    res.to_stata(tmp_path / "s.dta")
    res.to_parquet(tmp_path / "s.parquet")
    assert list(pd.read_stata(tmp_path / "s.dta")["term"]) == ["const", "z", "sigma"]
    assert fr.io.read_specification(tmp_path / "s.parquet")["sign convention"].startswith("dependent variable")


def test_io_writes_any_result_without_knowing_its_type(tmp_path):
    from frontier import io

    class Ranking:                                       # not a frontier type: only the protocol's export()
        def export(self, extra=None, scale=1.0):
            table = pd.DataFrame({"firm": ["a", "b"], "rank": [1.0 * scale, 2.0 * scale]})
            return io.Export(table=table, name="ranking", specification=io.header_rows(extra),
                             descriptions={"rank": "the rank"}, title="a ranking")

    io.write_result(Ranking(), tmp_path / "r.xlsx", extra={"source": "test"}, scale=10)
    assert list(pd.read_excel(tmp_path / "r.xlsx")["rank"]) == [10.0, 20.0]
    assert io.read_specification(tmp_path / "r.xlsx")["source"] == "test"


def test_model_facts_the_results_read_come_from_the_registry():
    from frontier.models import family, model_names

    assert tuple(m for m in model_names() if family(m).shadow_prices) == ("ddf", "nddf", "sbm_ddf")
    assert tuple(m for m in model_names() if family(m).slack_shares) == ("sbm",)
    res = fr.efficiency(synthetic_firms(12), ["K", "L"], ["Y"], ["SO2"], model="radial")
    with pytest.raises(ValueError, match=r"\('ddf', 'nddf', 'sbm_ddf'\)"):
        res.shadow_prices("Y")


def test_geometric_means_say_what_a_non_positive_value_does():
    from frontier._text import geo_mean

    values = pd.Series([1.0, 4.0, np.nan, 0.0])
    assert np.isnan(geo_mean(values))                              # the summaries: no silent subset
    assert geo_mean(values, drop_nonpositive=True) == pytest.approx(2.0)
    assert geo_mean(pd.Series([2.0, 8.0])) == pytest.approx(4.0) and np.isnan(geo_mean(pd.Series([], dtype=float)))


def test_index_names_come_from_the_declaration_carried_in_the_spec(gml):
    """The index's display texts travel in ``spec.texts`` (from INDICES): index_label and index_name read them, not
    the alias; the export's call row is the call @public recorded."""
    from frontier.results import Specification

    texts = dataclasses.replace(gml.spec.texts, label="Toy", spelled="toy index")
    spec = Specification(gml.spec.settings, gml.spec.call, {**gml.spec.extras, "texts": texts})
    assert spec.alias == "gml" and spec.index_label == "Toy" and spec.index_name == "Toy (toy index, ratio form)"
    assert dict(gml.export().specification)["call"] == str(gml.spec.call)
    assert str(gml.spec.call).startswith("frontier.productivity(data, entity=")


def test_every_export_opens_with_the_header_then_the_call():
    """The result types' exports share one opening (results.base.export_header): software, created, the call that
    reproduces the result. The efficiency bootstrap's export wrote no call (issue 27)."""
    firms = synthetic_firms(20, seed=1).reset_index()
    x, y = ["K", "L"], ["Y"]
    made = [fr.bootstrap(firms, x, y, id="firm", B=10, random_state=1), fr.returns_to_scale(firms, x, y, id="firm"),
            fr.cross_efficiency(firms, x, y, id="firm"), fr.partial_frontier(firms, x, y, estimator="fdh")]
    for res in made:
        keys = [key for key, _ in res.export().specification]
        assert keys[:3] == ["software", "created", "call"] and keys.count("call") == 1, (type(res).__name__, keys)
        assert dict(res.export().specification)["call"] == str(res.spec.call)
