"""frontier.io: files by extension, result exports that record the specification, merges onto the user's panel."""
from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import io
from frontier.results.efficiency import efficiency_table
from frontier.results.productivity import productivity_table
from frontier.datasets import synthetic_city_panel, synthetic_firms

INPUTS = ["capital", "labour", "energy"]
OUTPUTS = ["value_added"]
BADS = ["so2", "wastewater", "dust"]
FORMATS = ["csv", "xlsx", "dta", "parquet"]
WITH_SPEC = ["xlsx", "dta", "parquet"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_city_panel(n_cities=12, n_years=4)


@pytest.fixture(scope="module")
def eff(panel):
    data = panel.set_index(["city", "year"], drop=False)
    return fr.efficiency(data, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", super_efficiency=True, period="year")


@pytest.fixture(scope="module")
def ml(panel):
    return fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="ml", model="sbm",
                           super_efficiency=True)


@pytest.fixture(scope="module")
def gml(panel):
    return fr.productivity(panel, "city", "year", INPUTS, OUTPUTS, BADS, index="gml", model="sbm_ddf")


# ----------------------------------------------------------------------------------------------------
# plain tables
# ----------------------------------------------------------------------------------------------------

def test_csv_only_empty_cells_are_missing_by_default(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("city,y\nNA,1\nNone,\nnull,-\n", encoding="utf-8")
    back = io.read_table(path)
    assert back["city"].tolist() == ["NA", "None", "null"]             # pandas' default would make these NaN
    assert back["y"].isna().tolist() == [False, True, False]
    back = io.read_table(path, na_values=["-"])
    assert back["y"].isna().tolist() == [False, True, True] and back["y"].dtype == float
    xlsx = tmp_path / "names.xlsx"
    pd.DataFrame({"city": ["NA", "b"], "y": [1.0, None]}).to_excel(xlsx, index=False)
    assert io.read_table(xlsx)["city"].tolist() == ["NA", "b"]


def test_csv_separator_and_decimal_mark(tmp_path):
    path = tmp_path / "euro.csv"
    path.write_text("city;K;Y\na;1,5;2\nb;2,25;3,5\n", encoding="utf-8")
    back = io.read_table(path, sep=";", decimal=",")
    assert back["K"].tolist() == [1.5, 2.25] and back["Y"].tolist() == [2.0, 3.5]
    tsv = tmp_path / "t.tsv"
    tsv.write_text("a\tb\n1\t2\n", encoding="utf-8")
    assert list(io.read_table(tsv).columns) == ["a", "b"]


def test_csv_encodings_bom_and_gbk(tmp_path):
    frame = pd.DataFrame({"城市": ["北京", "上海"], "年份": [2020, 2020], "二氧化硫": [1.5, 2.5]})
    bom = tmp_path / "bom.csv"
    frame.to_csv(bom, index=False, encoding="utf-8-sig")                # what Excel's "CSV UTF-8" writes
    assert list(io.read_table(bom).columns) == ["城市", "年份", "二氧化硫"]
    gbk = tmp_path / "gbk.csv"
    frame.to_csv(gbk, index=False, encoding="gbk")                      # Excel on Chinese Windows
    with pytest.raises(ValueError, match="--encoding gbk"):
        io.read_table(gbk)
    back = io.read_table(gbk, encoding="gb18030")
    assert back["城市"].tolist() == ["北京", "上海"] and list(back.columns) == ["城市", "年份", "二氧化硫"]


def test_csv_identifier_codes_keep_their_leading_zeros(tmp_path):
    path = tmp_path / "codes.csv"
    path.write_text("id,plain,year,x\n001,1,2020,1.0\n010,20,2021,2.0\n", encoding="utf-8")
    back = io.read_table(path, text_columns=["id", "plain", "not_a_column"])
    assert back["id"].tolist() == ["001", "010"]                       # codes stay text
    assert back["plain"].tolist() == [1, 20] and back["plain"].dtype == np.int64   # plain numbers stay numbers
    assert back["year"].dtype == np.int64
    assert io.read_table(path)["id"].tolist() == [1, 10]                # without text_columns: pandas' inference
    for ext in ("xlsx", "dta", "parquet", "csv"):
        out = tmp_path / f"codes_out.{ext}"
        io.write_table(back, out)
        again = io.read_table(out, text_columns=["id"])
        assert again["id"].tolist() == ["001", "010"], ext


@pytest.mark.parametrize("ext", FORMATS)
def test_plain_table_round_trip(tmp_path, panel, ext):
    path = tmp_path / f"panel.{ext}"
    io.write_table(panel, path)
    back = io.read_table(path)
    assert list(back.columns) == list(panel.columns)
    pd.testing.assert_frame_equal(back, panel, check_dtype=False, check_exact=False, rtol=1e-12)
    assert io.read_specification(path) == {}                  # plain data: no specification block
    if ext == "xlsx":
        assert pd.ExcelFile(path).sheet_names == ["results"]


def test_extension_decides_the_format(tmp_path, panel):
    assert io.file_format("a.CSV") == "csv"
    assert io.file_format("b.xlsx") == io.file_format("b.xls") == "excel"
    assert io.file_format("c.dta") == "stata"
    assert io.file_format("d.parquet") == io.file_format("d.pq") == "parquet"
    with pytest.raises(ValueError, match="cannot tell the file type"):
        io.file_format("data.sav")
    with pytest.raises(ValueError, match="no extension"):
        io.file_format("data")
    with pytest.raises(ValueError, match=r"\.xlsx"):
        io.write_table(panel, tmp_path / "old.xls")
    with pytest.raises(FileNotFoundError, match="not found"):
        io.read_table(tmp_path / "missing.csv")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        io.write_table(panel, tmp_path / "no" / "such" / "dir.csv")


def test_excel_sheet_by_name_and_number(tmp_path, panel):
    path = tmp_path / "two.xlsx"
    with pd.ExcelWriter(path) as xw:
        panel.head(3).to_excel(xw, sheet_name="first", index=False)
        panel.tail(5).to_excel(xw, sheet_name="data", index=False)
    assert len(io.read_table(path)) == 3
    assert len(io.read_table(path, sheet="data")) == 5
    assert len(io.read_table(path, sheet=1)) == 5
    with pytest.raises(ValueError, match="sheet 'nope' not found.*first.*data"):
        io.read_table(path, sheet="nope")


# ----------------------------------------------------------------------------------------------------
# result exports
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ext", FORMATS)
def test_efficiency_result_round_trip(tmp_path, eff, ext):
    path = tmp_path / f"scores.{ext}"
    io.write_result(eff, path)
    back = io.read_table(path)
    expected = efficiency_table(eff)
    assert list(back.columns) == list(expected.columns)
    assert list(back.columns[:3]) == ["city", "year", "score"]
    np.testing.assert_allclose(back["score"].to_numpy(float), eff.scores.to_numpy(float), rtol=1e-12)
    assert (back["status"].astype(str) == eff.status.to_numpy()).all()
    assert (back["city"].astype(str).to_numpy() == eff.scores.index.get_level_values("city")).all()
    spec = io.read_specification(path)
    if ext in WITH_SPEC:
        assert spec["model"] == "sbm" and spec["rts"] == "vrs" and spec["super_efficiency"] == "True"
        assert spec["inputs"] == "capital labour energy" and spec["bad_outputs"] == "so2 wastewater dust"
        assert spec["call"].startswith("frontier.efficiency(data, inputs=['capital', 'labour', 'energy']")
        assert "super_efficiency=True" in spec["call"] and "period='year'" in spec["call"]
        assert "super-SBM" in spec["score"] or "super" in spec["score"]
        assert spec["LP status"] == "optimal: 48"
        assert spec["software"].startswith("frontier ")
    else:
        assert spec == {}


@pytest.mark.parametrize("ext", FORMATS)
def test_productivity_result_round_trip(tmp_path, ml, ext):
    path = tmp_path / f"gtfp.{ext}"
    io.write_result(ml, path)
    back = io.read_table(path)
    expected = productivity_table(ml)
    assert list(back.columns) == list(expected.columns)
    assert list(back.columns[:2]) == ["city", "year"]
    levels = ml.cumulative()
    np.testing.assert_allclose(back["gtfp"].to_numpy(float), levels["gtfp"].to_numpy(float), rtol=1e-12)
    if ext in WITH_SPEC:
        spec = io.read_specification(path)
        assert spec["index"].startswith("Malmquist-Luenberger (ML), ratio form, contemporaneous")
        assert spec["model"] == "sbm" and spec["entity"] == "city" and spec["period"] == "year"
        assert "index > 1 = progress" in spec["convention"]
        assert spec["chain policy"] == "propagate"
        assert spec["call"].startswith("frontier.productivity(data, entity='city', period='year'")
        assert "index='ml'" in spec["call"]


def test_reproduce_from_recorded_call(panel, ml):
    """The recorded call reproduces the result."""
    call = str(ml.spec.call)
    again = eval(call.replace("frontier.", "fr."), {"fr": fr, "data": panel})
    pd.testing.assert_frame_equal(again.indices, ml.indices)


def test_excel_has_results_distances_and_specification_sheets(tmp_path, gml):
    path = tmp_path / "gml.xlsx"
    gml.to_excel(path)
    sheets = pd.ExcelFile(path).sheet_names
    assert sheets == ["productivity", "distances", "specification"]
    spec = pd.read_excel(path, sheet_name="specification", header=None)
    text = [str(t) for t in spec.to_numpy().ravel().tolist()]
    assert "global Malmquist-Luenberger (GML), ratio form, global technology" in text
    assert "column" in text and "description" in text          # the column descriptions block
    assert any("best-practice gap change" in t for t in text)
    dist = pd.read_excel(path, sheet_name="distances")
    assert len(dist) == len(gml.distances)


def test_stata_labels_notes_and_data_label(tmp_path, eff):
    path = tmp_path / "scores.dta"
    eff.to_stata(path)
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        data_label = reader.data_label
        reader.read()
    assert data_label == "frontier efficiency: sbm vrs super"
    assert labels["score"].startswith("efficiency score: SBM")
    assert labels["slack_so2"].startswith("slack of bad output so2")
    assert all(len(v) <= 80 for v in labels.values())
    notes = io.stata_notes(path)
    assert notes[0].startswith("software: frontier")
    assert any(n.startswith("call: frontier.efficiency(") for n in notes)
    assert "model: sbm" in notes and "rts: vrs" in notes


def test_stata_notes_readable_by_readstat(tmp_path, ml):
    """An independent reader (ReadStat, via pyreadstat) sees the notes and labels."""
    pyreadstat = pytest.importorskip("pyreadstat")
    path = tmp_path / "ml.dta"
    ml.to_stata(path)
    df, meta = pyreadstat.read_dta(str(path))
    assert meta.notes == io.stata_notes(path)
    assert meta.column_names_to_labels["gtfp"].startswith("cumulative index (GTFP level")
    assert len(df) == len(productivity_table(ml))


def test_stata_safe_names(tmp_path):
    names = io.stata_names(["ok", "has space", "1starts_with_digit", "x" * 40, "x" * 40 + "y", "_n", "a-b", "a_b",
                            "Ümlaut"])
    assert names["ok"] == "ok" and names["has space"] == "has_space"
    assert names["1starts_with_digit"] == "v1starts_with_digit"
    assert len(names["x" * 40]) == 32 and len(names["x" * 40 + "y"]) == 32
    assert names["x" * 40] != names["x" * 40 + "y"]
    assert names["_n"] == "_n_"
    assert names["a-b"] != names["a_b"]
    assert names["Ümlaut"] == "Ümlaut"                          # a Unicode letter: valid in Stata 14+
    assert all(len(v) <= 32 and " " not in v for v in names.values())
    frame = pd.DataFrame({"GDP growth (%)": [1.0, 2.0], "x" * 40: [3.0, 4.0]})
    path = tmp_path / "odd.dta"
    io.write_table(frame, path)
    with pd.io.stata.StataReader(path) as reader:
        labels = reader.variable_labels()
        back = reader.read()
    assert list(back.columns) == ["GDP_growth", "x" * 32]
    assert labels["GDP_growth"] == "GDP growth (%)"            # the original name survives in the label
    assert any("renamed for Stata" in n for n in io.stata_notes(path))


def test_stata_keeps_unicode_names_and_replaces_only_what_stata_cannot_hold():
    names = io.stata_names(["城市", "年份", "二氧化硫", "二氧化硫 (吨)", "GDP growth (%)", "1期", "人均" * 20, "城市 ",
                            "µ", "str5", "ÉNERGIE"])
    assert names["城市"] == "城市" and names["年份"] == "年份" and names["二氧化硫"] == "二氧化硫"
    assert names["二氧化硫 (吨)"] == "二氧化硫_吨" and names["GDP growth (%)"] == "GDP_growth"
    assert names["1期"] == "v1期"                                # may not start with a digit
    assert names["人均" * 20] == "人均" * 16                      # 32 characters (at most 128 bytes in UTF-8)
    assert names["城市 "] == "城市_2"                             # unique: the clash gets a suffix
    assert names["µ"] == "v" and names["str5"] == "str5_"         # below code point 192; reserved word
    assert names["ÉNERGIE"] == "ÉNERGIE"


def test_stata_round_trip_of_chinese_names_and_code_strings(tmp_path, panel):
    """城市/年份 survive a Stata export (pandas and ReadStat read them back), the codes "001" stay strings, and
    the file merges onto the panel on its own names."""
    cn = panel.rename(columns={"city": "城市", "year": "年份", "so2": "二氧化硫"})
    codes = {c: f"{i:03d}" for i, c in enumerate(pd.unique(cn["城市"]), start=1)}
    cn["城市"] = cn["城市"].map(codes)
    pr = fr.productivity(cn, "城市", "年份", INPUTS, OUTPUTS, ["二氧化硫"], index="gml", model="sbm_ddf")
    path = tmp_path / "gml.dta"
    pr.to_stata(path)
    back = pd.read_stata(path)
    assert list(back.columns[:2]) == ["城市", "年份"]
    assert back["城市"].iloc[0] == "001" and back["城市"].map(type).eq(str).all()
    merged = cn.merge(back, on=["城市", "年份"], how="left", validate="1:1", indicator=True)
    assert (merged["_merge"] == "both").sum() == len(back) == len(cn)
    assert not any("renamed for Stata" in n for n in io.stata_notes(path))
    raw = pd.DataFrame({"城市": ["001", "002"], "二氧化硫 (吨)": [1.5, 2.5]})
    io.write_table(raw, tmp_path / "raw.dta")
    pyreadstat = pytest.importorskip("pyreadstat")
    df, meta = pyreadstat.read_dta(str(tmp_path / "raw.dta"))
    assert list(df.columns) == ["城市", "二氧化硫_吨"] and df["城市"].tolist() == ["001", "002"]
    assert meta.column_names_to_labels["二氧化硫_吨"] == "二氧化硫 (吨)"     # the label keeps the original name
    df, _ = pyreadstat.read_dta(str(path))
    assert list(df.columns[:2]) == ["城市", "年份"] and df["城市"].iloc[0] == "001"


def test_csv_and_to_csv(tmp_path, eff):
    path = tmp_path / "scores.csv"
    eff.to_csv(path)
    back = pd.read_csv(path)
    assert list(back.columns[:3]) == ["city", "year", "score"]
    assert len(back) == len(eff.scores)


def test_cross_section_without_named_index(tmp_path):
    firms = synthetic_firms(25).reset_index(drop=True)
    res = fr.efficiency(firms, ["K", "L", "E"], ["Y"], ["SO2"], model="radial", rts="crs")
    table = efficiency_table(res)
    assert table.columns[0] == "row" and table["row"].tolist() == list(range(1, 26))
    named = fr.efficiency(synthetic_firms(25), ["K", "L", "E"], ["Y"], ["SO2"], model="radial", rts="crs")
    assert efficiency_table(named).columns[0] == "firm"


def test_id_columns_lead_the_frame_and_every_export(tmp_path):
    firms = synthetic_firms(25).reset_index()                           # firm is a column, the index 0..24
    res = fr.efficiency(firms, ["K", "L", "E"], ["Y"], ["SO2"], id="firm", model="radial", rts="crs")
    assert res.scores.index.equals(firms.index)                         # the result stays aligned to the data
    frame = res.to_frame()
    assert frame.columns[0] == "firm" and frame["firm"].tolist() == firms["firm"].tolist()
    table = efficiency_table(res)
    assert list(table.columns[:2]) == ["firm", "score"] and "row" not in table.columns
    assert "id=['firm']" in str(res.spec.call)
    for ext in FORMATS:
        path = tmp_path / f"scores.{ext}"
        io.write_result(res, path)
        back = io.read_table(path)
        assert list(back.columns[:2]) == ["firm", "score"], ext
        assert back["firm"].tolist() == firms["firm"].tolist(), ext
    with pd.io.stata.StataReader(tmp_path / "scores.dta") as reader:
        assert reader.variable_labels()["firm"] == "identifies the DMU"


def test_id_with_a_panel_merges_back_one_to_one(panel):
    data = panel.sample(frac=1.0, random_state=5)                       # any order, a shuffled RangeIndex
    res = fr.efficiency(data, INPUTS, OUTPUTS, BADS, id=["city", "year"], period="year", model="sbm")
    table = efficiency_table(res)
    assert list(table.columns[:3]) == ["city", "year", "score"]
    merged = panel.merge(table, on=["city", "year"], how="left", validate="1:1")
    np.testing.assert_allclose(merged["score"].to_numpy(), res.scores.reindex(panel.index).to_numpy())
    per_year = fr.efficiency(data, INPUTS, OUTPUTS, BADS, id="city", period="year", model="sbm")
    assert list(efficiency_table(per_year).columns[:3]) == ["city", "year", "score"]   # (city, year) keys


def test_id_errors_name_the_problem(panel):
    with pytest.raises(ValueError, match=r"id \['city'\] does not identify the rows.*id=\['city', 'year'\]"):
        fr.efficiency(panel, INPUTS, OUTPUTS, id="city")
    with pytest.raises(ValueError, match="'town'.* not found"):
        fr.efficiency(panel, INPUTS, OUTPUTS, id="town")
    with pytest.raises(ValueError, match="'capital' is given both as id and as a variable"):
        fr.efficiency(panel, INPUTS, OUTPUTS, id=["capital"])
    holes = panel.assign(city=panel["city"].where(panel.index != 5))
    with pytest.raises(ValueError, match=r"id columns \['city'\] have missing values in rows \[5\]"):
        fr.efficiency(holes, INPUTS, OUTPUTS, id="city", period="year")


def test_row_position_is_labelled_as_a_row_number(tmp_path):
    firms = synthetic_firms(10).reset_index(drop=True)
    res = fr.efficiency(firms, ["K", "L", "E"], ["Y"], model="radial")
    export = res.export()
    assert export.table.columns[0] == "row" and export.table["row"].tolist() == list(range(1, 11))
    assert export.descriptions["row"].startswith("row number in the input data (1 = first row), not an identifier")
    res.to_stata(tmp_path / "r.dta")
    with pd.io.stata.StataReader(tmp_path / "r.dta") as reader:
        assert reader.variable_labels()["row"].startswith("row number in the input data")


# ----------------------------------------------------------------------------------------------------
# merging results onto the user's data
# ----------------------------------------------------------------------------------------------------

def test_to_frame_is_aligned_to_the_data_index(panel):
    shuffled = panel.sample(frac=1.0, random_state=3)                  # any row order, RangeIndex labels
    res = fr.efficiency(shuffled, INPUTS, OUTPUTS, BADS, period="year")
    frame = res.to_frame()
    assert frame.index.equals(shuffled.index)
    joined = shuffled.join(frame[["score", "status"]])
    assert joined["score"].equals(res.scores.reindex(shuffled.index))
    keyed = panel.set_index(["city", "year"], drop=False)
    res2 = fr.efficiency(keyed, INPUTS, OUTPUTS, BADS, period="year")
    assert res2.to_frame().index.equals(keyed.index)
    # same DMUs, same scores whatever the row order or index
    by_key = pd.Series(res.scores.to_numpy(), index=pd.MultiIndex.from_frame(shuffled[["city", "year"]]))
    np.testing.assert_allclose(by_key.reindex(keyed.index).to_numpy(), res2.scores.to_numpy(), rtol=1e-9)


def test_period_as_an_index_level(panel):
    """A panel indexed by (city, year) names its period level; to_frame() joins back without a clash."""
    keyed = panel.set_index(["city", "year"])                          # year only in the index
    res = fr.efficiency(keyed, INPUTS, OUTPUTS, BADS, period="year", technology="sequential")
    frame = res.to_frame()
    assert "year" not in frame.columns and frame.index.names == ["city", "year"]
    joined = keyed.join(frame)                                         # no overlapping columns
    assert len(joined) == len(keyed) and joined["score"].notna().all()
    flat = fr.efficiency(panel, INPUTS, OUTPUTS, BADS, period="year", technology="sequential")
    np.testing.assert_allclose(res.scores.to_numpy(), flat.scores.to_numpy(), rtol=1e-12)
    merged = panel.merge(frame.reset_index(), on=["city", "year"], validate="one_to_one")
    assert len(merged) == len(panel)
    with pytest.raises(ValueError, match="'period_x'"):
        fr.efficiency(keyed, INPUTS, OUTPUTS, BADS, period="period_x")


def test_efficiency_table_merges_by_key(panel, eff):
    merged = panel.merge(efficiency_table(eff), on=["city", "year"], how="left", validate="one_to_one")
    assert len(merged) == len(panel)
    expected = eff.scores.reindex(pd.MultiIndex.from_frame(panel[["city", "year"]])).to_numpy()
    np.testing.assert_allclose(merged["score"].to_numpy(float), expected)


def test_cumulative_merges_onto_the_panel(panel, ml):
    shuffled = panel.sample(frac=1.0, random_state=7)
    merged = shuffled.merge(ml.cumulative().reset_index(), on=["city", "year"], how="left", validate="one_to_one")
    assert len(merged) == len(panel) and merged["gtfp"].notna().all()
    first = merged[merged["year"] == panel["year"].min()]
    assert np.allclose(first["gtfp"], 1.0)
    levels = ml.cumulative()
    for _, row in merged.sample(10, random_state=1).iterrows():
        assert row["gtfp"] == pytest.approx(levels.loc[(row["city"], row["year"]), "gtfp"])


def test_unbalanced_panel_merge(panel):
    unbalanced = panel.drop(index=[1, 6, 7]).copy()               # city001 2011, city002 2012 and 2013
    only_once = pd.DataFrame([panel.iloc[0].to_dict() | {"city": "lonely"}])
    unbalanced = pd.concat([unbalanced, only_once], ignore_index=True)
    pr = fr.productivity(unbalanced, "city", "year", INPUTS, OUTPUTS, BADS, index="gml", model="sbm_ddf")
    merged = unbalanced.merge(productivity_table(pr), on=["city", "year"], how="left", validate="one_to_one")
    assert len(merged) == len(unbalanced)
    assert merged.loc[merged["city"] == "lonely", "gtfp"].isna().all()          # observed once: no index
    city1 = merged[merged["city"] == "city001"].set_index("year")
    assert city1.loc[2012, "period_from"] == 2010                               # consecutive observed periods
    gml_levels = pr.cumulative()
    np.testing.assert_allclose(merged.dropna(subset=["gtfp"])["gtfp"].sort_values().to_numpy(),
                               gml_levels["gtfp"].dropna().sort_values().to_numpy())


def test_productivity_table_columns(gml):
    table = productivity_table(gml)
    assert list(table.columns) == ["city", "year", "period_from", "index", "ec", "tc", "status", "gtfp",
                                   "cum_ec", "cum_tc"]
    first = table.groupby("city").head(1)
    assert first["index"].isna().all() and np.allclose(first["gtfp"], 1.0)
    assert str(table["period_from"].dtype) == "Int64"                          # years stay whole numbers
    rest = table.dropna(subset=["index"]).set_index(["city", "year"])
    np.testing.assert_allclose(rest["index"].to_numpy(), gml.indices["index"].to_numpy())
    restart = productivity_table(gml, policy="restart")
    assert "restarted" in restart.columns


# ----------------------------------------------------------------------------------------------------
# damaged files: a clear error naming the file and its format
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("ext, name", [("dta", "Stata .dta"), ("xlsx", "Excel"), ("parquet", "Parquet")])
@pytest.mark.parametrize("damage", ["empty", "garbage", "truncated", "head_only"])
def test_damaged_file_is_a_clear_error(tmp_path, panel, ext, name, damage):
    path = tmp_path / f"panel.{ext}"
    io.write_table(panel, path)
    raw = path.read_bytes()
    path.write_bytes({"empty": b"", "garbage": bytes(range(256)) * 4, "truncated": raw[: len(raw) // 2],
                      "head_only": raw[:100]}[damage])    # each raised struct.error, KeyError, BadZipFile... before
    with pytest.raises(ValueError, match=rf"cannot read '{path}' as {name}: it is damaged, truncated or not"):
        io.read_table(path)


def test_unreadable_csv_names_the_file(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_text("")
    with pytest.raises(ValueError, match=rf"cannot read '{path}' as CSV \(EmptyDataError"):
        io.read_table(path)


# ----------------------------------------------------------------------------------------------------
# safe exports: whole files or none, checked before the work
# ----------------------------------------------------------------------------------------------------

class _Unprintable:
    """A value no writer can turn into text: every format fails on it part-way through the write."""

    def __str__(self):
        raise RuntimeError("cannot be written")

    __repr__ = __str__


def _leftovers(folder) -> list:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.parametrize("ext", FORMATS)
def test_failing_write_leaves_the_existing_file_untouched(tmp_path, panel, ext):
    path = tmp_path / f"results.{ext}"
    io.write_table(panel, path)
    before = path.read_bytes()
    bad = panel.head(4).astype({"city": object})
    bad.loc[2, "city"] = _Unprintable()                     # the CSV writer had already written the rows above
    with pytest.raises(Exception):
        io.write_table(bad, path)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    io.write_table(panel.head(3), path)                     # the next good write replaces it
    assert len(io.read_table(path)) == 3 and _leftovers(tmp_path) == []


@pytest.mark.parametrize("ext, writer", [("csv", "DataFrame.to_csv"), ("xlsx", "_write_excel"),
                                         ("dta", "_write_stata"), ("parquet", "DataFrame.to_parquet")])
def test_partial_write_never_reaches_the_target(tmp_path, panel, monkeypatch, ext, writer):
    """A writer that dies half-way (disk full, killed) leaves the old file and no temporary file."""
    path = tmp_path / f"results.{ext}"
    io.write_table(panel, path)
    before = path.read_bytes()

    def dies_half_way(first, target, *args, **kwargs):
        Path(target).write_bytes(b"partial")
        raise OSError(28, "No space left on device")

    owner, name = (pd.DataFrame, writer.split(".")[1]) if writer.startswith("DataFrame") else (io, writer)
    monkeypatch.setattr(owner, name, dies_half_way)
    with pytest.raises(OSError, match="No space left"):
        io.write_table(panel, path)
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


def test_new_file_gets_normal_permissions_and_keeps_existing_ones(tmp_path, panel):
    path = tmp_path / "scores.csv"
    io.write_table(panel, path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask        # not the 0600 of a mkstemp file
    path.chmod(0o640)
    io.write_table(panel, path)
    assert path.stat().st_mode & 0o777 == 0o640


def test_output_is_checked_before_the_work(tmp_path, panel, eff):
    assert io.check_output(tmp_path / "a.xlsx") == "excel" and io.check_output("-") == "csv"
    with pytest.raises(FileNotFoundError, match="output folder .*nowhere' does not exist"):
        io.check_output(tmp_path / "nowhere" / "a.csv")
    (tmp_path / "folder.csv").mkdir()
    with pytest.raises(ValueError, match="is a folder"):
        io.check_output(tmp_path / "folder.csv")
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(NotADirectoryError, match="is not a folder"):
        io.check_output(tmp_path / "file.txt" / "a.csv")
    with pytest.raises(ValueError, match="cannot tell the file type"):
        io.check_output(tmp_path / "a.sav")
    with pytest.raises(ValueError, match=r"old \.xls"):
        io.check_output(tmp_path / "a.xls")
    assert _leftovers(tmp_path) == []                        # the probe file is gone
    with pytest.raises(FileNotFoundError, match="does not exist"):
        eff.to_excel(tmp_path / "nowhere" / "a.xlsx")


def test_a_symbolic_link_keeps_pointing_at_the_new_file(tmp_path, panel):
    real = tmp_path / "real.csv"
    link = tmp_path / "link.csv"
    io.write_table(panel.head(2), real)
    link.symlink_to(real)
    io.write_table(panel.head(5), link)
    assert link.is_symlink() and len(pd.read_csv(real)) == 5


# ----------------------------------------------------------------------------------------------------
# what Excel cannot hold, and text that looks like a formula
# ----------------------------------------------------------------------------------------------------

def test_excel_control_characters_are_escaped_with_a_warning(tmp_path):
    """openpyxl's IllegalCharacterError used to abort the write (and destroy the file at the path)."""
    frame = pd.DataFrame({"dmu": ["A\x01", "B", "C\x1f\x00"], "x\x02": [1.0, 2.0, 3.0]})
    path = tmp_path / "ctrl.xlsx"
    with pytest.warns(UserWarning, match=r"column 'dmu', rows \[0, 2\]: control characters written as \\xNN"):
        io.write_table(frame, path)
    back = io.read_table(path)
    assert back["dmu"].tolist() == ["A\\x01", "B", "C\\x1f\\x00"]
    assert list(back.columns) == ["dmu", "x\\x02"]
    assert frame["dmu"].tolist() == ["A\x01", "B", "C\x1f\x00"]         # the caller's table is not modified


@pytest.mark.parametrize("as_object", [False, True])
def test_timezone_aware_periods_are_written_in_utc_with_a_warning(tmp_path, as_object):
    stamps = pd.to_datetime(["2020-01-01 00:30", "2021-06-01 12:00"]).tz_localize("Europe/Paris")
    frame = pd.DataFrame({"period": stamps.astype(object) if as_object else stamps, "x": [1.0, 2.0]})
    expected = [pd.Timestamp("2019-12-31 23:30"), pd.Timestamp("2021-06-01 10:00")]
    for ext in ("xlsx", "dta"):
        path = tmp_path / f"tz{'_obj' if as_object else ''}.{ext}"
        if ext == "dta" and as_object:
            continue                               # an object column of times is text for Stata, as before
        with pytest.warns(UserWarning, match=r"column 'period'.*timezone-aware times written in UTC"):
            io.write_table(frame, path)
        assert io.read_table(path)["period"].tolist() == expected


FORMULAS = ["=1+1", "=cmd|' /C calc'!A0", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1", "=HYPERLINK(\"x\")"]


def _sheet_cells(path):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(path)
    return {ws.title: [cell for row in ws.iter_rows() for cell in row if cell.value is not None] for ws in book}


def _no_formula_in_the_xml(path) -> None:
    import zipfile

    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in z.read(name) and b"<f " not in z.read(name), name


def test_formula_like_labels_are_text_in_excel(tmp_path):
    frame = pd.DataFrame({"dmu": FORMULAS, "=x": np.arange(len(FORMULAS), dtype=float),
                          "-y": [-1.5] * len(FORMULAS)})
    path = tmp_path / "inject.xlsx"
    io.write_table(frame, path)
    cells = _sheet_cells(path)["results"]
    text = {c.value.replace("\n", "\r"): c for c in cells if isinstance(c.value, str)}   # XML reads CR as LF
    for value in FORMULAS + ["=x", "-y"]:
        assert value in text, value                                   # unchanged
        assert text[value].data_type == "s" and text[value].quotePrefix, value
    numbers = [c for c in cells if not isinstance(c.value, str)]
    assert all(c.data_type == "n" for c in numbers) and -1.5 in [c.value for c in numbers]
    _no_formula_in_the_xml(path)
    assert io.read_table(path)["dmu"].str.replace("\n", "\r").tolist() == FORMULAS


def test_formula_like_labels_are_text_in_every_sheet_of_a_result(tmp_path, panel):
    """Entity labels reach the results and distances sheets; the data file's name and the column names the
    specification sheet; none of them may become a formula."""
    data = panel.copy()
    cities = sorted(data["city"].unique())
    labels = {c: FORMULAS[i % len(FORMULAS)] + ("" if i < len(FORMULAS) else str(i)) for i, c in enumerate(cities)}
    data["city"] = data["city"].map(labels)
    data = data.rename(columns={"dust": "=dust"})
    pr = fr.productivity(data, "city", "year", INPUTS, OUTPUTS, ["so2", "=dust"], index="gml", model="sbm_ddf")
    path = tmp_path / "gml.xlsx"
    io.write_result(pr, path, extra={"data file": "=evil.csv"})
    cells = _sheet_cells(path)
    assert set(cells) == {"productivity", "distances", "specification"}
    for sheet, found in cells.items():
        risky = [c for c in found if isinstance(c.value, str) and c.value.startswith(io.FORMULA_PREFIXES)]
        assert risky, sheet                                            # the test reaches every sheet
        assert all(c.data_type == "s" for c in risky), sheet
    spec_text = [c.value for c in cells["specification"]]
    assert "=evil.csv" in spec_text and "so2 =dust" in spec_text
    _no_formula_in_the_xml(path)
    assert set(io.read_table(path)["city"].str.replace("\n", "\r")) == set(labels.values())


def test_formula_like_labels_are_kept_in_csv_with_one_warning(tmp_path, recwarn):
    frame = pd.DataFrame({"dmu": FORMULAS, "=x": np.arange(len(FORMULAS), dtype=float)})
    path = tmp_path / "inject.csv"
    io.write_table(frame, path)
    found = [w for w in recwarn if issubclass(w.category, UserWarning)]
    assert len(found) == 1
    message = str(found[0].message)
    assert "column names ['=x']" in message and "column 'dmu' rows [0, 1, 2, 3, 4] and 3 more" in message
    assert "may run it as a formula" in message
    back = pd.read_csv(path, keep_default_na=False)
    assert back["dmu"].tolist() == FORMULAS and list(back.columns) == ["dmu", "=x"]   # the data as it is
    recwarn.clear()
    io.write_table(pd.DataFrame({"dmu": ["a\rb", "c"], "x": [-1.0, 2.0]}), tmp_path / "plain.csv")
    assert pd.read_csv(tmp_path / "plain.csv")["dmu"].tolist() == ["a\rb", "c"]     # a bare CR split the row
    assert not [w for w in recwarn if issubclass(w.category, UserWarning)]            # negative numbers are data


# ----------------------------------------------------------------------------------------------------
# hostile files and failing disks
# ----------------------------------------------------------------------------------------------------

def test_a_long_output_name_is_written_and_a_too_long_one_refused_up_front(tmp_path, panel):
    """80 Chinese characters + .csv are 244 bytes, under the 255-byte limit: the temporary name beside it must
    not push it over. A name over the limit is refused before the work, naming the name, not the folder."""
    fits = tmp_path / ("效" * 80 + ".csv")
    io.write_table(panel.head(3), fits)
    assert len(pd.read_csv(fits)) == 3 and _leftovers(tmp_path) == []
    with pytest.raises(ValueError, match=r"file name '效+\.csv' is 259 bytes long .* at most 255"):
        io.check_output(tmp_path / ("效" * 85 + ".csv"))


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_temporary_file_is_private_until_it_is_complete(tmp_path, umask_022):
    """Written as 0o600 (a confidential result is never readable by others half-way), then given the mode of
    any new file (0o666 less the umask) or that of the file it replaces."""
    path = tmp_path / "scores.csv"
    for existing, final in ((None, 0o644), (0o600, 0o600), (0o640, 0o640)):
        if existing is not None:
            path.chmod(existing)
        with io.atomic_write(path) as tmp:
            assert tmp.stat().st_mode & 0o777 == 0o600
            tmp.write_text("x\n1\n")
        assert path.stat().st_mode & 0o777 == final


@pytest.mark.parametrize("ext, writer", [("csv", "DataFrame.to_csv"), ("xlsx", "_write_excel"),
                                         ("dta", "_write_stata"), ("parquet", "DataFrame.to_parquet")])
def test_a_full_disk_is_one_clear_error_naming_the_file(tmp_path, panel, monkeypatch, ext, writer):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    owner, name = (pd.DataFrame, writer.split(".")[1]) if writer.startswith("DataFrame") else (io, writer)
    monkeypatch.setattr(owner, name, disk_full)
    path = tmp_path / f"results.{ext}"
    with pytest.raises(OSError) as caught:
        io.write_table(panel, path)
    assert str(caught.value) == (f"cannot write {str(path)!r}: No space left on device (nothing was written; an "
                                 "existing file is left as it was)")
    assert caught.value.errno == 28 and _leftovers(tmp_path) == []


def _workbook_with_text(path, text: str, shared: bool) -> None:
    """A small .xlsx (firm, x, y; 3 firms) whose cell A2 holds ``text``, as a shared string or inline."""
    plain = path.with_name("plain.xlsx")
    pd.DataFrame({"firm": ["A", "B", "C"], "x": [1.0, 2, 3], "y": [2.0, 1, 3]}).to_excel(plain, index=False)
    inline = b'<c r="A2" t="inlineStr"><is><t>A</t></is></c>'
    cell = b'<c r="A2" t="s"><v>0</v></c>' if shared else inline.replace(b">A<", f">{text}<".encode())
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            part = source.read(name)
            if name == "xl/worksheets/sheet1.xml":
                assert inline in part
                part = part.replace(inline, cell)
            elif shared and name == "[Content_Types].xml":
                part = part.replace(b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
            elif shared and name == "xl/_rels/workbook.xml.rels":
                part = part.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats'
                                    b'.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                    b"</Relationships>")
            target.writestr(name, part)
        if shared:      # the text in two rich-text runs: their sum is the cell
            half = len(text) // 2
            target.writestr("xl/sharedStrings.xml", '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
                            'openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><r><t>'
                            f'{text[:half]}</t></r><r><t>{text[half:]}</t></r></si></sst>')


@pytest.mark.parametrize("shared", [True, False], ids=["shared string", "inline string"])
def test_excel_cell_beyond_excels_limit_is_refused_before_it_is_read(tmp_path, shared):
    """A decompression bomb: one cell of 100 MB compresses to 0.1 MB. Refused from the 32,768th character on
    (Excel's own cell limit), in constant memory; a long cell within the limit (Chinese: 3 bytes a character)
    is read."""
    pytest.importorskip("openpyxl")
    path = tmp_path / "book.xlsx"
    _workbook_with_text(path, "效" * 32_767, shared)
    assert io.read_table(path)["firm"].str.len().tolist() == [32_767, 1, 1]
    _workbook_with_text(path, "A" * 32_768, shared)
    where = "shared string 1 of xl/sharedStrings.xml" if shared else "cell A2 of xl/worksheets/sheet1.xml"
    with pytest.raises(ValueError, match=f"'{re.escape(str(path))}': {where} holds more than 32,767 characters"):
        io.read_table(path)


def test_excel_file_that_expands_beyond_the_cap_is_refused(tmp_path, panel, monkeypatch):
    pytest.importorskip("openpyxl")
    path = tmp_path / "panel.xlsx"
    io.write_table(panel, path)
    expanded = sum(part.file_size for part in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(io, "EXCEL_EXPANDED_LIMIT", expanded)
    assert len(io.read_table(path)) == len(panel)
    monkeypatch.setattr(io, "EXCEL_EXPANDED_LIMIT", expanded - 1)
    with pytest.raises(ValueError, match=r"its parts expand to .* frontier reads Excel files up to .* CSV or Parquet"):
        io.read_table(path)


def test_binary_parquet_ids_are_text_in_every_output(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "firms.parquet"
    pq.write_table(pa.table({"firm": pa.array([b"A", "北京".encode(), None, b"D"], pa.binary()),
                             "x": [1.0, 2, 3, 4], "y": [2.0, 1, 3, 5]}), path)
    data = io.read_table(path)
    assert data["firm"].tolist()[:2] == ["A", "北京"] and data["firm"].isna().tolist() == [False, False, True, False]
    res = fr.efficiency(data.dropna(), "x", "y", id="firm", model="radial")
    io.write_result(res, tmp_path / "scores.csv")
    assert pd.read_csv(tmp_path / "scores.csv")["firm"].tolist() == ["A", "北京", "D"]
    pq.write_table(pa.table({"firm": pa.array([b"A", b"\xff\xfe"], pa.binary()), "x": [1.0, 2]}), path)
    with pytest.raises(ValueError, match=r"column 'firm' is binary data that is not UTF-8 text \(rows \[1\]\)"):
        io.read_table(path)


def test_stata_labels_follow_the_result_columns_next_to_data_of_the_same_name(tmp_path, capsys):
    """--keep-data with a data column called score: the result is written as score_dea and labelled as the
    efficiency score; the data's score is labelled as input data."""
    from frontier.cli import main

    data = tmp_path / "firms.csv"
    pd.DataFrame({"firm": list("ABCD"), "x": [1.0, 2, 3, 4], "score": [7.0, 8, 9, 6], "y": [1.0, 2, 3, 3]}).to_csv(
        data, index=False)
    out = tmp_path / "scores.dta"
    assert main(["efficiency", str(data), "-x", "x", "-y", "y", "--id", "firm", "--keep-data", "-q",
                 "-o", str(out)]) == 0
    labels = pd.io.stata.StataReader(out).variable_labels()
    assert labels["score"] == "input data" and labels["score_dea"].startswith("efficiency score: ")
    assert labels["status"].startswith("LP status") and labels["x"] == "input data"
    assert pd.read_stata(out)["score"].tolist() == [7.0, 8, 9, 6]
