"""Period order (frontier.panel.period_order): every representation of the same periods gives the same
sequential/window frontiers, productivity pairs and GTFP chains as integer periods; periods whose time order
cannot be told are refused with a ValueError that says how to fix them.

The panel's rows are shuffled, so the order of first appearance is not the time order either; integer
periods 1..12 are the reference (their order is not in doubt).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.cli import main
from frontier.datasets import synthetic_city_panel
from frontier.panel import period_order

X, Y, B = ["capital", "labour", "energy"], ["value_added"], ["so2"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

# period t = 1..12 written in each representation; lexical or appearance order would be wrong for every one
REPRESENTATIONS = {
    "numeric text": lambda t: t.astype(str),                                        # "9" < "10"
    "prefixed text": lambda t: "Y" + t.astype(str),                                  # "Y9" < "Y10"
    "year-first text": lambda t: "2010m" + t.astype(str),                            # Stata's %tm display
    "year.month text": lambda t: "2010." + t.astype(str),                            # not 2010.12 < 2010.3
    "ordered categorical": lambda t: pd.Categorical(np.array(MONTHS)[t - 1], categories=MONTHS, ordered=True),
    "unordered categorical, explicit categories": lambda t: pd.Categorical(np.array(MONTHS)[t - 1],
                                                                           categories=MONTHS),
    "datetimes": lambda t: pd.to_datetime({"year": 2010, "month": t, "day": 1}),
    "floats": lambda t: t.astype(float) / 4,
}


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """5 cities x 12 periods t = 1..12, rows shuffled."""
    df = synthetic_city_panel(n_cities=5, n_years=12, seed=3)
    df["t"] = df.pop("year") - 2009
    return df.sample(frac=1.0, random_state=7).reset_index(drop=True)


def represent(panel, name):
    """The panel with its period column ``t`` replaced by ``period`` in representation ``name``."""
    out = panel.drop(columns="t")
    out["period"] = REPRESENTATIONS[name](panel["t"].to_numpy())
    back = dict(zip(out["period"].tolist(), panel["t"].tolist()))
    return out, back


def as_int_periods(frame: pd.DataFrame, back: dict) -> pd.DataFrame:
    """A result frame indexed by (entity, period) with its periods mapped back to t = 1..12."""
    out = frame.copy()
    out.index = pd.MultiIndex.from_arrays([out.index.get_level_values(0),
                                           [back[p] for p in out.index.get_level_values(1)]],
                                          names=[out.index.names[0], "t"])
    if "period_from" in out.columns:
        out["period_from"] = [back[p] for p in out["period_from"]]
    return out


@pytest.mark.parametrize("name", list(REPRESENTATIONS))
@pytest.mark.parametrize("technology", ["sequential", "window"])
def test_efficiency_frontiers_follow_the_period_order(panel, name, technology):
    data, _ = represent(panel, name)
    kw = dict(model="sbm", technology=technology, window=1 if technology == "window" else None)
    ref = fr.efficiency(panel, X, Y, B, period="t", **kw)
    res = fr.efficiency(data, X, Y, B, period="period", **kw)
    np.testing.assert_allclose(res.scores.to_numpy(), ref.scores.to_numpy(), rtol=0, atol=1e-10)


@pytest.mark.parametrize("name", list(REPRESENTATIONS))
def test_productivity_pairs_and_chains_follow_the_period_order(panel, name):
    data, back = represent(panel, name)
    ref = fr.productivity(panel, "city", "t", X, Y, B, index="ml", model="ddf")
    res = fr.productivity(data, "city", "period", X, Y, B, index="ml", model="ddf")
    assert [back[p] for p in res.period_order] == list(range(1, 13))
    got = as_int_periods(res.indices, back)
    assert got.index.equals(ref.indices.index.set_names(["city", "t"]))
    pd.testing.assert_series_equal(got["period_from"], ref.indices["period_from"].set_axis(got.index),
                                   check_dtype=False)
    np.testing.assert_allclose(got[["index", "ec", "tc"]].to_numpy(), ref.indices[["index", "ec", "tc"]].to_numpy(),
                               rtol=0, atol=1e-10)
    chain, ref_chain = as_int_periods(res.cumulative(), back), ref.cumulative()
    assert list(chain.index.get_level_values(1)) == list(ref_chain.index.get_level_values(1))
    np.testing.assert_allclose(chain.to_numpy(float), ref_chain.to_numpy(float), rtol=0, atol=1e-10)
    distances = res.distances.groupby("city", sort=False)["period"].apply(lambda s: [back[p] for p in s])
    assert all(v == sorted(v) for v in distances), "distances are not in time order"


def test_period_order_rules():
    assert period_order(pd.Series(["11", "9", "10"])) == ["9", "10", "11"]
    assert period_order(pd.Series(["Y12", "Y2", "Y1"])) == ["Y1", "Y2", "Y12"]
    assert period_order(pd.Series(["2010Q2", "2011Q1", "2010Q1"])) == ["2010Q1", "2010Q2", "2011Q1"]
    assert period_order(pd.Series([2003, 2001, 2002])) == [2001, 2002, 2003]
    assert period_order(pd.Series(pd.PeriodIndex(["2001Q3", "2001Q1"], freq="Q"))) == \
        [pd.Period("2001Q1", "Q"), pd.Period("2001Q3", "Q")]
    # a categorical's order, including categories that do not occur; numeric categories sort as numbers
    months = pd.Categorical(["Mar", "Jan"], categories=["Jan", "Feb", "Mar"], ordered=True)
    assert period_order(pd.Series(months)) == ["Jan", "Mar"]
    assert period_order(pd.Series(pd.Categorical([10, 9, 11]))) == [9, 10, 11]
    # year.month text is (year, month) when every value is one; other decimals and zero-padded months are numbers
    assert period_order(pd.Series(["2011.1", "2010.10", "2010.1"])) == ["2010.1", "2010.10", "2011.1"]
    assert period_order(pd.Series(["2011.0", "2010.5", "2010.25"])) == ["2010.25", "2010.5", "2011.0"]
    assert period_order(pd.Series(["12", "01", "09", "10"])) == ["01", "09", "10", "12"]
    assert period_order(pd.Series(["20", "00", "05"])) == ["00", "05", "20"]


@pytest.mark.parametrize("values, fragments", [
    (MONTHS, ["'period'", "alphabetical order is not time order", "ordered=True"]),
    (pd.Categorical(MONTHS), ["'period'", "alphabetical order is not time order"]),  # pandas' default categories
    ([f"{m:02d}/2010" for m in range(1, 13)], ["'period'", "'01/2010'", "pd.to_datetime"]),
    ([1, 2, "3", 4, 5, 6, 7, 8, 9, 10, 11, 12], ["'period'", "mixes value types", "(number)", "(text)"]),
    (["1", "01", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11"], ["'period'", "['01', '1']", "same period"]),
    ([f"{y % 100:02d}" for y in range(1995, 2007)], ["'period'", "two-digit years", "'00'", "four-digit years"]),
    ([f"2010.{m}" for m in range(1, 12)] + ["2010.01"], ["'period'", "['2010.01', '2010.1']", "same period"]),
])
def test_periods_without_a_time_order_are_refused(panel, values, fragments):
    pattern = "".join(f"(?=[\\s\\S]*{re.escape(f)})" for f in fragments)
    data = panel.drop(columns="t")
    data["period"] = pd.Series(values, dtype=object if not isinstance(values, pd.Categorical) else None)[
        panel["t"].to_numpy() - 1].to_numpy()
    with pytest.raises(ValueError, match=pattern):
        fr.productivity(data, "city", "period", X, Y, B, index="ml", model="ddf")
    with pytest.raises(ValueError, match=pattern):
        fr.efficiency(data, X, Y, B, period="period", technology="sequential")


def test_contemporaneous_frontiers_need_no_time_order(panel):
    """Contemporaneous and global scores do not depend on the order, so text without one is accepted there."""
    data = panel.drop(columns="t").assign(period=np.array(MONTHS)[panel["t"].to_numpy() - 1])
    for technology in ("contemporaneous", "global"):
        ref = fr.efficiency(panel, X, Y, B, period="t", technology=technology)
        res = fr.efficiency(data, X, Y, B, period="period", technology=technology)
        np.testing.assert_allclose(res.scores.to_numpy(), ref.scores.to_numpy(), rtol=0, atol=1e-10)


def test_plots_follow_the_categorical_order(panel):
    pytest.importorskip("matplotlib")
    data, _ = represent(panel, "ordered categorical")
    pr = fr.productivity(data, "city", "period", X, Y, B, index="ml", model="ddf")
    fig = pr.plot("decomposition")
    left, right = fig.axes
    assert [t.get_text() for t in right.get_xticklabels()] == MONTHS
    res = fr.efficiency(data, X, Y, B, period="period", technology="sequential")
    ax = res.plot().axes[0]
    assert [t.get_text() for t in ax.get_xticklabels()] == MONTHS


def test_cli_reads_stata_value_labelled_periods_in_calendar_order(tmp_path, panel, capsys):
    """Stata value labels (here month names, coded 1..12) come back as an ordered Categorical: calendar order."""
    data, back = represent(panel, "ordered categorical")
    data = data.rename(columns={"period": "month"})
    path, out, eff_out = tmp_path / "panel.dta", tmp_path / "ml.csv", tmp_path / "eff.csv"
    data.to_stata(path, write_index=False)
    assert list(pd.read_stata(path)["month"].cat.categories) == MONTHS
    variables = ["--inputs", *X, "--outputs", *Y, "--bad-outputs", *B]
    code = main(["productivity", str(path), "--entity", "city", "--period", "month", *variables, "--index", "ml",
                 "--model", "ddf", "-o", str(out), "-q"])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(out)
    ref = fr.productivity(panel, "city", "t", X, Y, B, index="ml", model="ddf").indices
    got = table.dropna(subset=["period_from"]).set_index(["city", "month"])
    got = as_int_periods(got, back).reindex(ref.index.set_names(["city", "t"]))
    np.testing.assert_allclose(got["index"].to_numpy(), ref["index"].to_numpy(), rtol=0, atol=1e-10)
    assert (got["period_from"].to_numpy() == ref["period_from"].to_numpy()).all()

    code = main(["efficiency", str(path), *variables, "--id", "city", "--period", "month", "--technology",
                 "sequential", "-o", str(eff_out), "-q"])
    assert code == 0, capsys.readouterr().err
    scores = pd.read_csv(eff_out).set_index(["city", "month"])["score"]
    ref_eff = fr.efficiency(panel.set_index(["city", "t"]), X, Y, B, period="t", technology="sequential").scores
    got_eff = as_int_periods(scores.to_frame(), back)["score"].reindex(ref_eff.index.set_names(["city", "t"]))
    np.testing.assert_allclose(got_eff.to_numpy(), ref_eff.to_numpy(), rtol=0, atol=1e-10)
