"""Tables and figures by group (issue 27.4): GTFP, EC and TC by region and year with geometric means and n, the
same for efficiency scores, their exports with Chinese labels, ``--by`` on the command line; CSV with a byte-order
mark (27.7c) and figure labels in Chinese (27.7b)."""
from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import io
from frontier.cli import main
from frontier.datasets import synthetic_city_panel

REGIONS = {"east": "东部", "central": "中部", "west": "西部"}
INPUTS, OUTPUTS, BAD = ["capital", "labour", "energy"], ["value_added"], ["so2"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    data = synthetic_city_panel(n_cities=12, n_years=4)
    return data.assign(地区=data["region"].map(REGIONS))


@pytest.fixture(scope="module")
def gml(panel):
    return fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BAD, index="gml")


def geo(values) -> float:
    return float(np.exp(np.log(np.asarray(values, dtype=float)).mean()))


def test_productivity_by_region_and_year_are_the_geometric_means_of_each_group(panel, gml):
    table = gml.period_means(by="地区", data=panel)
    assert list(table.index.names) == ["地区", "year"]
    assert list(table.index.get_level_values(0).unique()) == ["东部", "中部", "西部"]      # the data's order
    region = panel.drop_duplicates("city").set_index("city")["地区"]
    rows = gml.indices.assign(group=gml.indices.index.get_level_values(0).map(region))
    for (group, year), row in table.iterrows():
        cell = rows[(rows["group"] == group) & (rows.index.get_level_values(1) == year)]
        assert row["n"] == row["pairs"] == len(cell) == 4
        for c in ("index", "ec", "tc"):
            assert row[c] == pytest.approx(geo(cell[c]), rel=1e-12)
        assert row["index"] == pytest.approx(row["ec"] * row["tc"], rel=1e-12)        # decomposes exactly
    # a mapping entity -> group gives the same table; the national table is unchanged
    pd.testing.assert_frame_equal(gml.period_means(by=region), table)
    assert list(gml.period_means().index.names) == ["year"]


def test_a_missing_group_leaves_its_pairs_out_with_one_warning(panel, gml):
    holes = panel.copy()
    holes.loc[holes["city"] == "city002", "地区"] = np.nan
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = gml.period_means(by="地区", data=holes)
    messages = [str(w.message) for w in caught]
    assert len(messages) == 1 and "3 of 36 pairs have no 地区" in messages[0] and "city002" in messages[0]
    assert table.loc["中部", "n"].tolist() == [3, 3, 3]                     # city002 is central: 4 -> 3
    assert table.loc["东部", "n"].tolist() == [4, 4, 4]


def test_bad_groupings_are_refused(panel, gml):
    with pytest.raises(ValueError, match="pass data="):
        gml.period_means(by="地区")
    with pytest.raises(ValueError, match="variable of the model"):
        gml.period_means(by="energy", data=panel)
    with pytest.raises(ValueError, match="period column"):
        gml.period_means(by="year", data=panel)


def test_efficiency_by_group_and_period(panel):
    res = fr.efficiency(panel, INPUTS, OUTPUTS, BAD, id=["city", "地区"], period="year")
    table = res.period_means(by="地区")                                     # an id column: no data needed
    assert list(table.index.names) == ["地区", "year"]
    for (group, year), row in table.iterrows():
        cell = res.scores[((panel["地区"] == group) & (panel["year"] == year)).to_numpy()]
        assert row["score"] == pytest.approx(cell.mean(), rel=1e-12) and row["n"] == len(cell)
    cross = fr.efficiency(panel[panel["year"] == 2010], INPUTS, OUTPUTS, BAD)
    by_region = cross.period_means(by="地区", data=panel)
    assert list(by_region.index) == ["东部", "中部", "西部"] and by_region["n"].tolist() == [4, 4, 4]
    with pytest.raises(ValueError, match="periods .* or by="):
        cross.period_means()


def test_the_table_by_group_exports_with_its_chinese_labels(panel, gml, tmp_path):
    table = gml.period_means(by="地区", data=panel)
    gml.to_stata(tmp_path / "r.dta", by="地区", data=panel)
    back = pd.read_stata(tmp_path / "r.dta")
    assert list(back.columns[:2]) == ["地区", "year"] and back["地区"].tolist()[:4] == ["东部"] * 3 + ["中部"]
    np.testing.assert_allclose(back["index"].to_numpy(), table["index"].to_numpy(), rtol=1e-12)
    spec = io.read_specification(tmp_path / "r.dta")
    assert spec["table"] == "means by 地区 and year" and "left out" in spec["missing group"]
    with pd.io.stata.StataReader(tmp_path / "r.dta") as reader:
        assert "geometric mean" in reader.variable_labels()["ec"]
    gml.to_excel(tmp_path / "r.xlsx", by="地区", data=panel)
    assert pd.read_excel(tmp_path / "r.xlsx")["地区"].iloc[0] == "东部"
    gml.to_csv(tmp_path / "r.csv", by="地区", data=panel)
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + "地区,year".encode())                  # Excel reads it as UTF-8
    assert pd.read_csv(tmp_path / "r.csv")["地区"].iloc[-1] == "西部"
    # a plain table with a named index keeps its index as columns (it was dropped)
    io.write_table(table, tmp_path / "plain.csv")
    assert list(pd.read_csv(tmp_path / "plain.csv").columns[:2]) == ["地区", "year"]


def test_csv_has_a_byte_order_mark_unless_turned_off(gml, tmp_path):
    gml.to_csv(tmp_path / "bom.csv")
    gml.to_csv(tmp_path / "plain.csv", bom=False)
    assert (tmp_path / "bom.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert (tmp_path / "plain.csv").read_bytes()[:4] == b"city"
    pd.testing.assert_frame_equal(io.read_table(tmp_path / "bom.csv"), io.read_table(tmp_path / "plain.csv"))


def test_command_line_by_and_bom(panel, tmp_path, capsys):
    data = tmp_path / "panel.csv"
    panel.to_csv(data, index=False)
    args = ["productivity", str(data), "--entity", "city", "--period", "year", "-x", *INPUTS, "-y", *OUTPUTS,
            "-b", *BAD, "--by", "地区"]
    assert main([*args, "--by-output", str(tmp_path / "r.dta"), "-o", str(tmp_path / "gml.csv")]) == 0
    out = capsys.readouterr().out
    assert "by 地区 and year" in out and "东部 2011" in out
    api = fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BAD).period_means(by="地区", data=panel)
    np.testing.assert_allclose(pd.read_stata(tmp_path / "r.dta")["tc"].to_numpy(), api["tc"].to_numpy(), rtol=1e-9)
    assert (tmp_path / "gml.csv").read_bytes()[:3] == b"\xef\xbb\xbf"
    assert main([*args, "-q", "--no-bom", "-o", str(tmp_path / "plain.csv")]) == 0
    assert (tmp_path / "plain.csv").read_bytes()[:4] == b"city"
    assert main(["efficiency", str(data), "-x", *INPUTS, "-y", *OUTPUTS, "--id", "city", "--period", "year",
                 "--by", "地区", "--by-output", str(tmp_path / "e.xlsx"), "-q"]) == 0
    assert pd.read_excel(tmp_path / "e.xlsx")["n"].tolist() == [4] * 12
    assert main(["efficiency", str(data), "-x", *INPUTS, "-y", *OUTPUTS, "--by-output", "x.csv"]) == 2
    assert "--by-output needs --by" in capsys.readouterr().err
    assert main(["efficiency", str(data), "-x", *INPUTS, "-y", *OUTPUTS, "--by", "省份"]) == 2
    assert "省份" in capsys.readouterr().err                           # a column the file lacks, before the LPs


def test_gtfp_plot_by_group_draws_each_groups_mean(panel, gml, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from frontier.plots import plot_gtfp

    fig = plot_gtfp(gml, tmp_path / "g.png", by="地区", data=panel, quantiles=None)
    lines = fig.axes[0].get_lines()
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["东部, n = 4", "中部, n = 4", "西部, n = 4"]
    levels = gml.cumulative()
    cities = panel.drop_duplicates("city").set_index("city")["地区"]
    east = levels[levels.index.get_level_values(0).map(cities) == "东部"]
    expected = east["gtfp"].groupby(level=1).agg(geo)
    np.testing.assert_allclose(lines[0].get_ydata(), expected.to_numpy(), rtol=1e-12)
    assert "by 地区" in fig.axes[0].get_title()


def test_figure_labels_in_chinese_on_request(panel, gml, tmp_path):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from frontier.plots import plot_decomposition, plot_gtfp, plot_scores

    def texts(fig):
        return [t for ax in fig.axes for t in (ax.get_title(), ax.get_xlabel(), ax.get_ylabel()) if t] + \
            [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]

    english = texts(plot_gtfp(gml, tmp_path / "en.png"))
    assert english == ["GTFP: geometric mean across cities; band: 25th to 75th percentile", "year",
                       "cumulative index (first period = 1)", "GML (super-SBM, VRS), n = 12"]
    chinese = texts(plot_gtfp(gml, tmp_path / "zh.png", lang="zh"))
    assert chinese == ["绿色全要素生产率（GTFP）：各城市几何平均；阴影：第 25 至第 75 百分位", "年份",
                       "累积指数（首期 = 1）", "GML (super-SBM, VRS), n = 12"]
    decomposition = texts(plot_decomposition(gml, tmp_path / "d.png", lang="zh"))
    assert "技术效率变化（EC）" in decomposition and "GML 指数" in decomposition
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in decomposition)     # every label translated
    res = fr.efficiency(panel, INPUTS, OUTPUTS, BAD, period="year")
    scores = texts(plot_scores(res, tmp_path / "s.png", lang="zh"))
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in t) for t in scores), scores
    with pytest.raises(ValueError, match="lang must be one of"):
        plot_gtfp(gml, lang="cn")
