"""The subsampling interval of productivity indices: productivity(..., bootstrap=B, scheme="subsampling")
(frontier/analyses/productivity/subsampling.py). Small on purpose (each subsample LP costs about a millisecond);
benchmarks/bench_index_subsampling.py runs the coverage design at scale (table in docs/bootstrap.md)."""
from __future__ import annotations

import importlib.util
import pathlib
import warnings

import numpy as np
import pandas as pd
import pytest

from frontier import productivity
from frontier.analyses.productivity import subsampling
from frontier.cli import main
from frontier.results import IndexSubsampling

# the Monte Carlo design lives with its full-size run in benchmarks/ (one definition of the DGP and its truth)
_spec = importlib.util.spec_from_file_location(
    "bench_index_subsampling",
    pathlib.Path(__file__).resolve().parents[1] / "benchmarks" / "bench_index_subsampling.py")
design = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(design)


@pytest.fixture(scope="module")
def panel():
    data, truth = design.simulate(12, 1.2, np.random.default_rng(3))
    return data, truth


def gml(data, **options):
    base = dict(index="gml", model="ddf", rts="vrs", bootstrap=10, scheme="subsampling", kappa=0.8,
                random_state=5)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")           # failed subsample LPs are counted in bootstrap_failed
        return productivity(data, "firm", "year", ["x"], ["y"], **{**base, **options})


def test_same_seed_same_numbers_other_seed_other_numbers(panel):
    data, _ = panel
    first, again, other = gml(data), gml(data), gml(data, random_state=6)
    pd.testing.assert_frame_equal(first.indices, again.indices)
    pd.testing.assert_frame_equal(first.bootstrap.subsamples, again.bootstrap.subsamples)
    assert not np.allclose(first.indices["index_lower"], other.indices["index_lower"])
    assert isinstance(first.bootstrap, IndexSubsampling)
    assert first.bootstrap.subsample_size == round(12 ** 0.8) and first.bootstrap.n_entities == 12
    assert first.bootstrap.subsamples.shape == (10, round(12 ** 0.8))
    assert (first.bootstrap.subsamples.apply(lambda row: row.is_unique, axis=1)).all()   # without replacement


def test_all_entities_reproduce_the_estimate(panel, monkeypatch):
    """m = n (every entity in every subsample): each replicate is the full-sample index, by the same code path,
    so the rescaled interval (c = 1) collapses onto the estimate."""
    data, _ = panel
    monkeypatch.setattr(subsampling, "subsample_size", lambda n, kappa: n)
    for index, model, rts in (("gml", "ddf", "vrs"), ("ml", "ddf", "vrs"), ("gml", "sbm", "crs")):
        res = gml(data, index=index, model=model, rts=rts, bootstrap=3)
        point = res.indices["index"].to_numpy()
        reps = res.bootstrap.replicates["index"].to_numpy()
        assert np.allclose(reps, point[None, :], equal_nan=True, rtol=0, atol=1e-12)
        for c in ("index", "ec", "tc"):
            defined = np.isfinite(res.indices[c])
            assert np.allclose(res.indices.loc[defined, f"{c}_lower"], res.indices.loc[defined, c], atol=1e-12)
            assert np.allclose(res.indices.loc[defined, f"{c}_upper"], res.indices.loc[defined, c], atol=1e-12)


def test_intervals_cover_the_true_index():
    """Monte Carlo (benchmarks/bench_index_subsampling.py's design): 2 samples of 12 firms, frontier shifting by
    1.2, GML, B = 20, kappa = 0.7; the 95% intervals hold the true index for at least 60% of the firms (loose: the
    full design gives the rates in docs/bootstrap.md)."""
    rng = np.random.default_rng(11)
    covered = []
    for s in range(2):
        data, truth = design.simulate(12, 1.2, rng)
        res = gml(data, bootstrap=20, kappa=0.7, random_state=s)
        hit, _ = design.covers(res, truth, 0.05)
        covered.append(hit[np.isfinite(hit)])
    rate = np.concatenate(covered).mean()
    assert 0.6 <= rate <= 1.0, rate


def test_intervals_widen_as_m_shrinks(panel):
    """Smaller subsamples give noisier index replicates: the spread of the replicates (the interval before the
    rescaling by (m/n)^r) widens as m shrinks, and the rescaled interval is wider than the degenerate one of
    m = n. (The rescaling exists to undo the first effect: with the right rate and large n the rescaled width no
    longer depends on m, which is what the volatility choice of kappa looks for.)"""
    data, _ = panel

    def spread(res):
        reps = res.bootstrap.replicates["index"].to_numpy()
        low, high = np.nanquantile(reps, [0.025, 0.975], axis=0)
        return np.nanmean(high - low)

    small, large = gml(data, kappa=0.6), gml(data, kappa=0.95)
    assert small.bootstrap.subsample_size < large.bootstrap.subsample_size < 12
    assert spread(small) > 1.5 * spread(large) > 0
    assert (small.indices["index_upper"] - small.indices["index_lower"]).mean() > 0.01


def test_the_label_is_in_the_summaries_and_exports(panel, tmp_path):
    data, _ = panel
    res = gml(data, index="luenberger", technology="global")
    label = subsampling.LABEL
    assert res.bootstrap.label == label
    assert label in str(res.summary()) and label in str(res.bootstrap.summary())
    export = res.export()
    assert any(label in str(value) for _, value in export.specification)
    assert label in export.descriptions["index_lower"]
    assert "differs significantly from 0" in export.descriptions["index_significant"]   # a difference index
    assert res.spec.parameters["bootstrap"]["scheme"] == "subsampling"
    boot_export = res.bootstrap.export()
    assert ("analysis", label) in boot_export.specification
    assert set(boot_export.extra_tables) == {"subsamples"}
    pytest.importorskip("openpyxl")
    for result, path in ((res, tmp_path / "indices.xlsx"), (res.bootstrap, tmp_path / "replicates.xlsx")):
        result.to_excel(path)
        sheet = pd.read_excel(path, sheet_name="specification", header=None).astype(str)
        assert sheet.apply(lambda column: column.str.contains(label, regex=False)).any().any()


def test_data_driven_kappa_records_the_volatility_table(panel):
    data, _ = panel
    res = gml(data, kappa=None, bootstrap=4)
    table = res.bootstrap.volatility
    assert list(table["kappa"]) == list(subsampling.KAPPA_GRID)
    assert res.bootstrap.kappa in set(table["kappa"])
    assert "chosen by volatility" in str(res.bootstrap.summary())


@pytest.mark.parametrize("options, message", [
    (dict(group="region"), "offered for the Malmquist-family indices"),
    (dict(index="hicks_moorsteen", model="radial"), "offered for the Malmquist-family indices"),
    (dict(scheme="homogeneous"), "scheme must be one of ('smoothed', 'subsampling')"),
    (dict(bandwidth=0.3), "takes no bandwidth"),
    (dict(kappa=1.0), "kappa must be a number in (0, 1)"),
    (dict(scheme="smoothed", index="malmquist", model="radial"), "kappa (m = n^kappa entities per subsample) "
                                                                   "belongs to scheme='subsampling'"),
    (dict(bootstrap=None), "scheme, kappa apply to the Malmquist bootstrap only"),
    (dict(scheme="smoothed"), "the Simar & Wilson (1999) bootstrap covers radial Malmquist indices only"),
])
def test_combinations_not_offered_are_refused(panel, options, message):
    data, _ = panel
    data = data.assign(region=data["firm"] % 2)
    if options.get("scheme") == "smoothed" and "kappa" not in options and "index" not in options:
        options = {**options, "kappa": None}
    with pytest.raises(ValueError) as info:
        gml(data, **options)
    assert message in str(info.value)


def test_command_line_runs_the_subsampling_interval(panel, tmp_path):
    data, _ = panel
    data.to_csv(tmp_path / "panel.csv", index=False)
    out = tmp_path / "indices.csv"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        main(["productivity", str(tmp_path / "panel.csv"), "--entity", "firm", "--period", "year", "-x", "x",
              "-y", "y", "--index", "gml", "--model", "ddf", "--bootstrap", "5", "--scheme", "subsampling",
              "--kappa", "0.8", "--seed", "5", "--output", str(out)])
    written = pd.read_csv(out).set_index(["firm", "year"])
    expected = gml(data, bootstrap=5).indices
    assert np.allclose(written.loc[expected.index, "index_lower"].to_numpy(), expected["index_lower"].to_numpy(),
                       equal_nan=True)
    assert np.isfinite(expected["index_lower"]).sum() >= 6
