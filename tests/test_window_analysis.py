"""Classic window analysis (Charnes, Clark, Cooper & Golany 1985): frontier.window_analysis against an explicit
loop over the windows calling frontier.efficiency(reference=...), its statistics recomputed by hand, exports,
plot and bad input."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.datasets import synthetic_city_panel

ENT, PER = "city", "year"
X = ["capital", "labour", "energy"]
Y = ["value_added"]
B = ["so2"]


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    return synthetic_city_panel(n_cities=8, n_years=5, seed=3)


MODELS = [
    pytest.param(dict(model="radial"), id="radial-input-vrs"),
    pytest.param(dict(model="radial", orientation="output", rts="crs"), id="radial-output-crs"),
    pytest.param(dict(model="sbm"), id="sbm"),
    pytest.param(dict(model="sbm", super_efficiency=True), id="super-sbm"),
    pytest.param(dict(model="ddf", direction="output"), id="ddf"),
    pytest.param(dict(model="nddf"), id="nddf"),
    pytest.param(dict(model="sbm_ddf"), id="sbm_ddf"),
]


@pytest.mark.parametrize("options", MODELS)
def test_equals_an_explicit_loop_over_windows(panel, options):
    width = 3
    res = fr.window_analysis(panel, ENT, PER, X, Y, B, width=width, **options)
    years = sorted(panel[PER].unique())
    windows = [years[k:k + width] for k in range(len(years) - width + 1)]
    assert [list(w) for w in res.windows] == windows
    expected = []
    for w in windows:
        mask = panel[PER].isin(w)
        eff = fr.efficiency(panel, X, Y, B, reference=mask, **options)
        part = panel.loc[mask, [ENT, PER]].assign(window=f"{w[0]}-{w[-1]}", score=eff.scores[mask].to_numpy())
        expected.append(part)
    expected = pd.concat(expected).set_index([ENT, "window", PER])["score"]
    got = res.to_frame()["score"]
    assert len(got) == len(expected) == sum(panel[PER].isin(w).sum() for w in windows)
    np.testing.assert_allclose(got.reindex(expected.index).to_numpy(), expected.to_numpy(), rtol=1e-8, atol=1e-9)


def test_statistics_by_hand(panel):
    res = fr.window_analysis(panel, ENT, PER, X, Y, width=2, model="radial")
    table = res.table()
    assert table.shape == (8 * 4, 5)                         # 8 cities x 4 windows, 5 periods
    # each observation appears in up to `width` windows: first and last period once, the others twice
    counts = table.notna().groupby(level=0).sum()
    assert (counts.iloc[:, 0] == 1).all() and (counts.iloc[:, 1:-1] == 2).all().all() and (counts.iloc[:, -1] == 1).all()
    city = table.index.get_level_values(0)[0]
    mine = table.loc[city]
    values = mine.to_numpy().ravel()
    values = values[~np.isnan(values)]
    stats = res.by_entity.loc[city]
    assert stats["mean"] == pytest.approx(values.mean())
    assert stats["total_range"] == pytest.approx(values.max() - values.min())
    assert stats["column_range"] == pytest.approx((mine.max() - mine.min()).max())
    assert stats["n"] == len(values) and stats["n_nan"] == 0
    row = res.row_view.loc[(city, mine.index[1])]
    assert row["mean"] == pytest.approx(mine.iloc[1].mean()) and row["n"] == 2
    col = res.column_view.loc[(city, mine.columns[2])]
    assert col["range"] == pytest.approx(mine.iloc[:, 2].max() - mine.iloc[:, 2].min()) and col["n"] == 2


def test_full_width_is_one_pooled_frontier_and_width_one_is_per_period(panel):
    full = fr.window_analysis(panel, ENT, PER, X, Y, width=5, model="radial")
    pooled = fr.efficiency(panel, X, Y, model="radial")
    np.testing.assert_allclose(full.scores["score"].to_numpy(), _align(full, pooled, panel), rtol=1e-9)
    single = fr.window_analysis(panel, ENT, PER, X, Y, width=1, model="radial")
    per_period = fr.efficiency(panel, X, Y, model="radial", period=PER)
    np.testing.assert_allclose(single.scores["score"].to_numpy(), _align(single, per_period, panel), rtol=1e-9)


def _align(res, eff, panel):
    """The efficiency scores in the order of the window result's rows."""
    lookup = pd.Series(eff.scores.to_numpy(), index=pd.MultiIndex.from_frame(panel[[ENT, PER]]))
    return lookup.reindex(pd.MultiIndex.from_frame(res.scores[[ENT, PER]])).to_numpy()


def test_unbalanced_panel_and_index_levels(panel):
    unbalanced = panel.drop(index=[0, 7]).set_index([ENT, PER])
    res = fr.window_analysis(unbalanced, ENT, PER, X, Y, width=3, model="radial")
    assert len(res.scores) == sum(len(unbalanced.loc[pd.IndexSlice[:, w], :]) for w in
                                  [[2010, 2011, 2012], [2011, 2012, 2013], [2012, 2013, 2014]])
    assert res.scores["status"].eq("optimal").all()


def test_failed_lp_is_nan_with_status_and_counted():
    """Super-efficiency under VRS can be infeasible: NaN with the status, counted in the statistics."""
    df = synthetic_city_panel(n_cities=6, n_years=3, seed=2)
    res = fr.window_analysis(df, ENT, PER, X, Y, width=2, model="radial", super_efficiency=True,
                             orientation="output")
    failed = res.scores[res.scores["status"] != "optimal"]
    assert len(failed) and failed["score"].isna().all()
    assert res.by_entity["n_nan"].sum() == len(failed)
    assert "infeasible" in res.summary()


def test_summary_exports_and_plot(panel, tmp_path):
    res = fr.window_analysis(panel, ENT, PER, X, Y, B, width=3, model="sbm")
    text = res.summary()
    assert "width 3, 3 window(s)" in text and "n=24" in text
    res.to_csv(tmp_path / "w.csv")
    back = pd.read_csv(tmp_path / "w.csv")
    assert list(back.columns) == [ENT, "window", PER, "score", "status"] and len(back) == len(res.scores)
    res.to_excel(tmp_path / "w.xlsx")
    sheets = pd.read_excel(tmp_path / "w.xlsx", sheet_name=None)
    assert {"window scores", "window table", "by entity", "row view", "column view", "specification"} <= set(sheets)
    assert sheets["by entity"].columns.tolist() == [ENT, "mean", "column_range", "total_range", "n", "n_nan"]
    res.to_stata(tmp_path / "w.dta")
    assert len(pd.read_stata(tmp_path / "w.dta")) == len(res.scores)
    res.to_parquet(tmp_path / "w.parquet")
    assert len(pd.read_parquet(tmp_path / "w.parquet")) == len(res.scores)
    pytest.importorskip("matplotlib")
    fig = res.plot(tmp_path / "w.png", entities=[panel[ENT].iloc[0]])
    assert (tmp_path / "w.png").stat().st_size > 0 and len(fig.axes[0].lines) >= 3
    with pytest.raises(ValueError, match="not in the window analysis"):
        res.plot(tmp_path / "x.png", entities=["nowhere"])


def test_result_is_immutable_and_data_untouched(panel):
    before = panel.copy()
    res = fr.window_analysis(panel, ENT, PER, X, Y, width=2, model="radial")
    pd.testing.assert_frame_equal(panel, before)
    with pytest.raises(AttributeError):
        res.scores = None


@pytest.mark.parametrize("kwargs, message", [
    (dict(width=6), "width=6 exceeds the 5 period"),
    (dict(width=0), "width must be a whole number"),
    (dict(width=2.5), "width must be a whole number"),
    (dict(width=True), "width must be a whole number"),
    (dict(model="nope"), "model must be one of"),
    (dict(model="radial", orientation="sideways"), "orientation"),
])
def test_bad_input(panel, kwargs, message):
    with pytest.raises(ValueError, match=message):
        fr.window_analysis(panel, ENT, PER, X, Y, **kwargs)


def test_bad_panel_identifiers(panel):
    with pytest.raises(ValueError, match="period column 'yr' not found"):
        fr.window_analysis(panel, ENT, "yr", X, Y)
    dup = pd.concat([panel, panel.iloc[:1]])
    with pytest.raises(ValueError, match="duplicate"):
        fr.window_analysis(dup, ENT, PER, X, Y)
