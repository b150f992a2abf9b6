"""Typed results: the frozen Specification and the export accessors of both result objects."""
from __future__ import annotations

import dataclasses

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
