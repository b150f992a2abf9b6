"""frontier.io: files by extension, result exports that record the specification, merges onto the user's panel."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier import io
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
    expected = io.efficiency_table(eff)
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
    expected = io.productivity_table(ml)
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
    call = io.productivity_call(ml.spec)
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
    assert len(df) == len(io.productivity_table(ml))


def test_stata_safe_names(tmp_path):
    names = io.stata_names(["ok", "has space", "1starts_with_digit", "x" * 40, "x" * 40 + "y", "_n", "a-b", "a_b",
                            "Ümlaut"])
    assert names["ok"] == "ok" and names["has space"] == "has_space"
    assert names["1starts_with_digit"] == "v1starts_with_digit"
    assert len(names["x" * 40]) == 32 and len(names["x" * 40 + "y"]) == 32
    assert names["x" * 40] != names["x" * 40 + "y"]
    assert names["_n"] == "_n_"
    assert names["a-b"] != names["a_b"]
    assert names["Ümlaut"] == "Umlaut"
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


def test_csv_and_to_csv(tmp_path, eff):
    path = tmp_path / "scores.csv"
    eff.to_csv(path)
    back = pd.read_csv(path)
    assert list(back.columns[:3]) == ["city", "year", "score"]
    assert len(back) == len(eff.scores)


def test_cross_section_without_named_index(tmp_path):
    firms = synthetic_firms(25).reset_index(drop=True)
    res = fr.efficiency(firms, ["K", "L", "E"], ["Y"], ["SO2"], model="radial", rts="crs")
    table = io.efficiency_table(res)
    assert table.columns[0] == "row" and table["row"].tolist() == list(range(1, 26))
    named = fr.efficiency(synthetic_firms(25), ["K", "L", "E"], ["Y"], ["SO2"], model="radial", rts="crs")
    assert io.efficiency_table(named).columns[0] == "firm"


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
    merged = panel.merge(io.efficiency_table(eff), on=["city", "year"], how="left", validate="one_to_one")
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
    merged = unbalanced.merge(io.productivity_table(pr), on=["city", "year"], how="left", validate="one_to_one")
    assert len(merged) == len(unbalanced)
    assert merged.loc[merged["city"] == "lonely", "gtfp"].isna().all()          # observed once: no index
    city1 = merged[merged["city"] == "city001"].set_index("year")
    assert city1.loc[2012, "period_from"] == 2010                               # consecutive observed periods
    gml_levels = pr.cumulative()
    np.testing.assert_allclose(merged.dropna(subset=["gtfp"])["gtfp"].sort_values().to_numpy(),
                               gml_levels["gtfp"].dropna().sort_values().to_numpy())


def test_productivity_table_columns(gml):
    table = io.productivity_table(gml)
    assert list(table.columns) == ["city", "year", "period_from", "index", "ec", "tc", "status", "gtfp",
                                   "cum_ec", "cum_tc"]
    first = table.groupby("city").head(1)
    assert first["index"].isna().all() and np.allclose(first["gtfp"], 1.0)
    assert str(table["period_from"].dtype) == "Int64"                          # years stay whole numbers
    rest = table.dropna(subset=["index"]).set_index(["city", "year"])
    np.testing.assert_allclose(rest["index"].to_numpy(), gml.indices["index"].to_numpy())
    restart = io.productivity_table(gml, policy="restart")
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
