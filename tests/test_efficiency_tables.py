"""Issue 27 item 3: the tables an efficiency result derives (multipliers, shadow prices, factor efficiency) are
results: the DMUs' ids first, the model's specification and the reproducing call, Unicode names kept in .dta and
.xlsx (pandas' own ``DataFrame.to_stata`` wrote 二氧化碳 as ``____`` and no ids). Files are opened as a user would."""
from __future__ import annotations

import numpy as np
import openpyxl
import pandas as pd
import pytest

import frontier as fr
from frontier.datasets import synthetic_city_panel
from frontier.results import FactorEfficiencyResult, MultiplierResult, ShadowPriceResult

INPUTS = ["资本", "劳动", "能源"]


@pytest.fixture(scope="module")
def panel():
    return synthetic_city_panel(10, 2, seed=4).rename(columns={
        "city": "城市", "year": "年份", "capital": "资本", "labour": "劳动", "energy": "能源", "value_added": "GDP",
        "so2": "二氧化碳"})


@pytest.fixture(scope="module")
def ddf(panel):
    return fr.efficiency(panel, INPUTS, ["GDP"], ["二氧化碳"], model="ddf", rts="crs", id="城市", period="年份",
                         bad_disposability="strong")


def test_each_table_is_a_result_that_reads_like_its_old_dataframe(ddf):
    prices, weights, factor = ddf.shadow_prices("GDP", price=2.0), ddf.multipliers, ddf.factor_efficiency()
    assert isinstance(prices, ShadowPriceResult) and isinstance(weights, MultiplierResult)
    assert isinstance(factor, FactorEfficiencyResult)
    assert list(prices.columns) == ["二氧化碳", "status"] and len(prices) == len(ddf.scores)
    # the numbers are the multiplier form's: q = price * mu / u, where the status says the ratio is defined
    defined = (prices["status"] != "numeraire_dual_zero").to_numpy()
    expected = 2.0 * weights["二氧化碳"] / weights["GDP"]
    np.testing.assert_allclose(prices["二氧化碳"].to_numpy()[defined], expected.to_numpy()[defined], rtol=1e-12)
    np.testing.assert_allclose(factor.loc[:, "efficiency_能源"],
                               ddf.targets["能源"] / ddf.observed["能源"], rtol=1e-12)
    assert prices.shape == prices.table.shape and prices.index.equals(ddf.scores.index)
    assert "shadow_prices(numeraire='GDP', price=2.0)" in prices.summary()
    assert repr(prices) == "<ShadowPriceResult shadow_prices(numeraire='GDP', price=2.0) n=20>"


@pytest.mark.parametrize("table, columns", [
    (lambda r: r.shadow_prices("GDP"), ["shadow_price_二氧化碳", "shadow_price_status"]),
    (lambda r: r.multipliers, ["weight_资本", "weight_劳动", "weight_能源", "weight_GDP", "weight_二氧化碳", "omega",
                               "multiplier_status"]),
    (lambda r: r.factor_efficiency(), ["efficiency_资本", "efficiency_劳动", "efficiency_能源", "efficiency_GDP",
                                       "efficiency_二氧化碳"]),
], ids=["shadow_prices", "multipliers", "factor_efficiency"])
def test_stata_file_keeps_chinese_names_ids_first_and_the_call(ddf, tmp_path, table, columns):
    result = table(ddf)
    path = tmp_path / "table.dta"
    result.to_stata(path)
    back = pd.read_stata(path)
    assert list(back.columns[:2]) == ["城市", "年份"]                    # the ids, then the period
    assert set(columns) <= set(back.columns), list(back.columns)
    assert back["城市"].tolist() == ddf.ids["城市"].tolist()
    frame = result.to_frame()
    for column in columns:
        if pd.api.types.is_numeric_dtype(frame[column]):
            np.testing.assert_allclose(back[column].to_numpy(float), frame[column].to_numpy(float), rtol=1e-12)
    pyreadstat = pytest.importorskip("pyreadstat")
    _, meta = pyreadstat.read_dta(str(path))
    assert meta.column_names[:2] == ["城市", "年份"] and columns[0] in meta.column_names
    assert meta.column_names_to_labels[columns[0]]                     # a variable label says what it holds
    spec = fr.io.read_specification(path)
    assert spec["call"] == result.call and spec["call"].startswith("frontier.efficiency(data, ")
    assert spec["model"] == "ddf" and spec["bad_outputs"] == "二氧化碳"


def test_excel_file_opened_with_openpyxl(ddf, tmp_path):
    path = tmp_path / "mac.xlsx"
    ddf.shadow_prices("GDP").to_excel(path)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["shadow prices", "specification"]
    header = [cell.value for cell in book["shadow prices"][1]]
    assert header == ["城市", "年份", "shadow_price_二氧化碳", "shadow_price_status"]
    assert book["shadow prices"].max_row == len(ddf.scores) + 1
    settings = {row[0].value: row[1].value for row in book["specification"].iter_rows(min_row=2) if row[0].value}
    assert settings["call"].endswith(".shadow_prices(numeraire='GDP', price=1.0)")
    assert "numeraire GDP" in settings["shadow prices"]
    described = {row[0].value for row in book["specification"].iter_rows() if row[0].value}
    assert "shadow_price_二氧化碳" in described                          # the column list with its description


def test_without_ids_the_rows_are_numbered_and_said_to_be(panel, tmp_path):
    data = panel.drop(columns=["城市", "年份"]).reset_index(drop=True)
    res = fr.efficiency(data, INPUTS, ["GDP"], ["二氧化碳"], model="radial")
    res.factor_efficiency().to_csv(tmp_path / "fe.csv")
    back = pd.read_csv(tmp_path / "fe.csv")
    assert back.columns[0] == "row" and back["row"].tolist() == list(range(1, len(data) + 1))
    export = res.multipliers.export()
    assert export.descriptions["row"].startswith("row number in the input data")
