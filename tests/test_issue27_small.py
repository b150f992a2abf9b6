"""Issue 27.8, small things found on the way: an empty plot title draws none; ``frontier demo`` writes to the
folder the user names (default: the current one) and nothing else; the non-radial DDF reports no efficiency for a
variable it does not score (weight 0)."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.datasets import synthetic_city_panel, synthetic_firms

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def results():
    firms = synthetic_firms(30)
    panel = synthetic_city_panel(n_cities=6, n_years=3)
    eff = fr.efficiency(firms, ["K", "L", "E"], ["Y"], ["SO2"], model="sbm")
    pr = fr.productivity(panel, "city", "year", ["capital", "labour", "energy"], ["value_added"], ["so2"])
    win = fr.window_analysis(panel, "city", "year", ["capital", "labour", "energy"], ["value_added"], width=2)
    return {"scores": eff, "gtfp": pr, "windows": win}


@pytest.mark.parametrize("kind", ["scores", "gtfp", "windows"])
def test_an_empty_title_draws_no_title_and_none_draws_the_default(results, kind, tmp_path):
    """plot(title="") drew the default title (``title or default``)."""
    from matplotlib import pyplot as plt

    from frontier import plots

    res = results[kind]

    def titles(fig):
        """The figure's title (window analysis: the suptitle over its panels, one per entity), else the axes'."""
        if kind == "windows":
            return [fig._suptitle.get_text()] if fig._suptitle and fig._suptitle.get_text() else []
        return [t for t in (ax.get_title() for ax in fig.axes) if t]

    plot = {"scores": plots.plot_scores, "gtfp": plots.plot_gtfp, "windows": plots.plot_windows}[kind]
    blank = plot(res, tmp_path / "blank.png", title="")
    default = plot(res, tmp_path / "default.png")
    assert titles(blank) == [] and titles(default)
    assert titles(plot(res, tmp_path / "mine.png", title="mine")) == ["mine"]
    plt.close("all")


def test_demo_writes_its_files_to_the_folder_named_and_defaults_to_the_current_one(tmp_path, monkeypatch, capsys):
    from frontier import demo
    from frontier.cli import build_parser

    assert build_parser().parse_args(["demo"]).out == "."
    assert build_parser().parse_args(["demo", "-o", "mine"]).out == "mine"
    (tmp_path / "notes.txt").write_text("the user's own file")
    monkeypatch.chdir(tmp_path)
    demo.run(n_cities=8, n_years=3)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted([*demo.TABLES, demo.PLOT, "notes.txt"])
    assert f"to {tmp_path.resolve()}" in capsys.readouterr().out
    demo.run(tmp_path / "sub" / "dir", n_cities=8, n_years=3)
    assert sorted(p.name for p in (tmp_path / "sub" / "dir").iterdir()) == sorted([*demo.TABLES, demo.PLOT])


def test_nddf_reports_no_efficiency_for_a_variable_weighted_zero():
    """A variable weighted 0 is not in the NDDF objective: its beta is whatever the LP picked and its target comes
    from a projection chosen for the other variables. Its beta, slack, target and factor efficiency are NaN, the
    description says so; the scored variables and the score are unchanged."""
    firms = synthetic_firms(40)
    X, Y, B = ["K", "L", "E"], ["Y"], ["SO2", "COD"]
    res = fr.efficiency(firms, X, Y, B, model="nddf", rts="crs", weights={"K": 0, "L": 0})
    ok = res.status == "optimal"
    assert ok.all()
    for frame in (res.betas, res.slacks, res.targets):
        assert frame[["K", "L"]].isna().all().all() and frame[["E", "Y", "SO2", "COD"]].notna().all().all()
    fe = res.factor_efficiency()
    assert fe[["efficiency_K", "efficiency_L", "redundancy_K"]].isna().all().all()
    assert fe[["efficiency_E", "efficiency_SO2"]].notna().all().all()
    np.testing.assert_allclose(res.scores, res.betas[["E", "Y", "SO2", "COD"]].sum(axis=1), atol=1e-8)
    assert "variables weighted 0 are not scored" in res.summary()
    full = fr.efficiency(firms, X, Y, B, model="nddf", rts="crs", weights={"K": 1e-9, "L": 1e-9})
    np.testing.assert_allclose(res.scores, full.scores, atol=1e-6)
    plain = fr.efficiency(firms, X, Y, B, model="nddf", rts="crs")
    assert plain.betas.notna().all().all() and "not scored" not in plain.summary()
