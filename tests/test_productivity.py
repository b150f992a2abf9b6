"""Properties of frontier.productivity() on seeded synthetic panels and hand-made tiny panels.

Every identity is checked against the distances the result itself reports (``.distances``), so the tests tie
the index algebra (formulations.md §2.7-2.10) to the LPs behind it: decompositions (GML = EC x BPC, Luenberger =
EC + TC, FGNZ EC = PEC x SEC), the telescoping GML chain, no technical regress with sequential technology,
invariance to row order / parallelism / solver method, the distance cache, unbalanced panels, infeasible
cross-period LPs and the cumulative-chain policies, biennial and window technologies, input errors and
super-SBM distances. Hand-derivable values only come from one-input/one-output CRS panels.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from frontier import productivity
from frontier.datasets import synthetic_city_panel

ENT, PER = "city", "year"
X = ["capital", "labour", "energy"]
Y = ["value_added"]
B = ["so2", "wastewater"]
TOL = 1e-9


@pytest.fixture(scope="module")
def panel() -> pd.DataFrame:
    """20 cities x 4 years, seeded."""
    return synthetic_city_panel(n_cities=20, n_years=4, seed=11)


@pytest.fixture(scope="module")
def panel5() -> pd.DataFrame:
    """18 cities x 5 years, seeded (longer chains)."""
    return synthetic_city_panel(n_cities=18, n_years=5, seed=5)


def run(data, bad=B, **options):
    return productivity(data, ENT, PER, X, Y, bad, **options)


def dist_lookup(res) -> pd.Series:
    """value of the distance of (entity, period) against (technology label, rts)."""
    d = res.distances
    return d.set_index([ENT, PER, "technology", "rts"])["value"]


def pair_rows(res):
    """(entity, period_from, period_to, row) for every index row."""
    for (e, b), r in res.indices.iterrows():
        yield e, r["period_from"], b, r


def E(value, model, orientation=None):
    """Efficiency measure (larger = better) of a reported distance, as documented in productivity.py."""
    if model == "ddf" or model == "nddf" or model == "sbm_ddf":
        return 1.0 / (1.0 + value)
    if model == "radial" and orientation == "output":
        return 1.0 / value
    return value                                     # radial input theta, sbm rho


def finite(res) -> pd.DataFrame:
    ok = res.indices[np.isfinite(res.indices["index"].to_numpy(dtype=float))]
    assert len(ok) > 0, "no finite index rows to check"
    return ok


# ---------------------------------------------------------------------------------------------------------
# decompositions, recomputed from the reported distances
# ---------------------------------------------------------------------------------------------------------

GML_MODELS = [
    pytest.param(dict(model="sbm", super_efficiency=True), id="super-sbm"),
    pytest.param(dict(model="sbm", super_efficiency=False), id="sbm"),
    pytest.param(dict(model="ddf"), id="ddf"),
    pytest.param(dict(model="sbm_ddf"), id="sbm_ddf"),
]


@pytest.mark.parametrize("options", GML_MODELS)
def test_gml_is_ec_times_bpc(panel, options):
    res = run(panel, index="gml", **options)
    model = options["model"]
    assert len(res.indices) == 20 * 3
    if options.get("super_efficiency"):
        # super-SBM with bad outputs under VRS can be infeasible for an observation below every other one in
        # all variables (see test_super_sbm_vrs_infeasible_own_lp); everything else is solved
        failed = res.distances[res.distances["status"] != "optimal"]
        assert (failed["technology"] != "global").all()
        hit = res.indices[res.indices["status"] != "optimal"]
        assert hit["index"].notna().all()                   # GML needs only the global LPs ...
        assert hit[["ec", "tc"]].isna().all().all()         # ... its decomposition the failed own LP
    else:
        assert (res.indices["status"] == "optimal").all(), "global technology: every LP is feasible"
    ix = res.indices[res.indices["status"] == "optimal"]
    assert len(ix) >= 50
    np.testing.assert_allclose(ix["index"], ix["ec"] * ix["tc"], rtol=TOL, atol=0)
    d, rts = dist_lookup(res), res.spec["rts"]
    for e, a, b, r in pair_rows(res):
        if r["status"] != "optimal":
            continue
        ga, gb = E(d[(e, a, "global", rts)], model), E(d[(e, b, "global", rts)], model)
        ca = E(d[(e, a, f"contemporaneous:{a}", rts)], model)
        cb = E(d[(e, b, f"contemporaneous:{b}", rts)], model)
        assert r["index"] == pytest.approx(gb / ga, rel=TOL)                  # GML = E^G(b) / E^G(a)
        assert r["ec"] == pytest.approx(cb / ca, rel=TOL)                     # EC, contemporaneous
        assert r["tc"] == pytest.approx((ca / ga) / (cb / gb), rel=TOL)       # BPC = BPG(a) / BPG(b)
        assert ga <= ca + 1e-9 and gb <= cb + 1e-9      # best-practice gap >= 1: global envelops contemporaneous


def test_ml_contemporaneous_from_distances(panel):
    res = run(panel, index="ml", model="ddf", rts="crs", bad=["so2"])
    d = dist_lookup(res)
    ok = finite(res)
    np.testing.assert_allclose(ok["index"], ok["ec"] * ok["tc"], rtol=TOL)
    for e, a, b, r in pair_rows(res):
        if not np.isfinite(r["index"]):
            continue
        D = lambda obs, tech: 1.0 + d[(e, obs, f"contemporaneous:{tech}", "crs")]  # noqa: E731
        ml = np.sqrt((D(a, a) / D(b, a)) * (D(a, b) / D(b, b)))      # Chung et al. (1997), formulations §2.7
        assert r["index"] == pytest.approx(ml, rel=TOL)
        assert r["ec"] == pytest.approx(D(a, a) / D(b, b), rel=TOL)


def test_luenberger_is_ec_plus_tc(panel):
    for technology in ("contemporaneous", "global"):
        res = run(panel, index="luenberger", technology=technology, model="ddf", rts="crs", bad=["so2"])
        ok = finite(res)
        np.testing.assert_allclose(ok["index"], ok["ec"] + ok["tc"], rtol=0, atol=TOL)
        assert not np.allclose(ok["index"], ok["ec"] * ok["tc"]), "difference form, not ratio"
        d = dist_lookup(res)
        for e, a, b, r in pair_rows(res):
            if not np.isfinite(r["index"]):
                continue
            ca, cb = d[(e, a, f"contemporaneous:{a}", "crs")], d[(e, b, f"contemporaneous:{b}", "crs")]
            assert r["ec"] == pytest.approx(ca - cb, abs=TOL)
            if technology == "global":
                assert r["index"] == pytest.approx(d[(e, a, "global", "crs")] - d[(e, b, "global", "crs")], abs=TOL)
            else:
                cab, cba = d[(e, b, f"contemporaneous:{a}", "crs")], d[(e, a, f"contemporaneous:{b}", "crs")]
                assert r["index"] == pytest.approx(0.5 * ((cba - cb) + (ca - cab)), abs=TOL)
        # cumulative Luenberger adds (first level 0)
        cum = res.cumulative()
        for e, g in res.indices.groupby(level=0):
            if g["index"].notna().all():
                np.testing.assert_allclose(cum.loc[e, "gtfp"].to_numpy()[1:], np.cumsum(g["index"].to_numpy()),
                                           atol=TOL)
                assert cum.loc[e, "gtfp"].iloc[0] == 0.0


@pytest.mark.parametrize("orientation", ["input", "output"])
def test_radial_malmquist_is_ec_times_tc(panel, orientation):
    res = run(panel, bad=None, index="malmquist", model="radial", orientation=orientation, rts="crs")
    ix = res.indices
    assert (ix["status"] == "optimal").all(), "CRS radial LPs are always feasible"
    np.testing.assert_allclose(ix["index"], ix["ec"] * ix["tc"], rtol=TOL)
    d = dist_lookup(res)
    for e, a, b, r in pair_rows(res):
        M = lambda obs, tech: E(d[(e, obs, f"contemporaneous:{tech}", "crs")], "radial", orientation)  # noqa: E731
        assert r["index"] == pytest.approx(np.sqrt((M(b, a) / M(a, a)) * (M(b, b) / M(a, b))), rel=TOL)


def test_single_input_output_crs_malmquist_is_productivity_ratio():
    """One input, one output, CRS: E^t(obs) = (y/x)_obs / max_j (y/x)_j in t, so M = (y/x)_b / (y/x)_a."""
    data = pd.DataFrame({
        "firm": list("ABC") * 3,
        "t": [1] * 3 + [2] * 3 + [3] * 3,
        "x": [2.0, 4.0, 5.0, 2.0, 3.0, 5.0, 4.0, 3.0, 2.0],
        "y": [2.0, 3.0, 1.0, 3.0, 3.0, 4.0, 2.0, 6.0, 1.0],
    })
    ratio = data.set_index(["firm", "t"]).eval("y / x")
    best = data.assign(r=ratio.to_numpy()).groupby("t")["r"].max()
    for options in (dict(index="malmquist", model="radial", orientation="input"),
                    dict(index="malmquist", model="radial", orientation="output"),
                    dict(index="gml", model="radial"),
                    dict(index="sml", model="radial")):
        res = productivity(data, "firm", "t", ["x"], ["y"], rts="crs", **options)
        for (f, b), r in res.indices.iterrows():
            a = r["period_from"]
            assert r["index"] == pytest.approx(ratio[(f, b)] / ratio[(f, a)], rel=1e-9), options
            if options["index"] == "malmquist":                 # contemporaneous EC = relative efficiency ratio
                ec = (ratio[(f, b)] / best[b]) / (ratio[(f, a)] / best[a])
                assert r["ec"] == pytest.approx(ec, rel=1e-9)
                assert r["tc"] == pytest.approx(best[b] / best[a], rel=1e-9)   # the frontier's shift


@pytest.mark.parametrize("form", ["malmquist", "luenberger"])
def test_fgnz_ec_is_pec_times_sec(panel, form):
    res = run(panel, bad=None, index=form, model="radial", orientation="input", rts="vrs", decomposition="fgnz")
    ok = finite(res)
    assert {"pec", "sec"} <= set(ok.columns)
    if form == "malmquist":
        np.testing.assert_allclose(ok["ec"], ok["pec"] * ok["sec"], rtol=TOL)
        np.testing.assert_allclose(ok["index"], ok["ec"] * ok["tc"], rtol=TOL)
    else:
        np.testing.assert_allclose(ok["ec"], ok["pec"] + ok["sec"], atol=TOL)
        np.testing.assert_allclose(ok["index"], ok["ec"] + ok["tc"], atol=TOL)
    d = dist_lookup(res)
    assert set(res.distances["rts"]) == {"crs", "vrs"}
    for e, a, b, r in pair_rows(res):
        if not np.isfinite(r["pec"]):
            continue
        va, vb = d[(e, a, f"contemporaneous:{a}", "vrs")], d[(e, b, f"contemporaneous:{b}", "vrs")]
        ca, cb = d[(e, a, f"contemporaneous:{a}", "crs")], d[(e, b, f"contemporaneous:{b}", "crs")]
        if form == "malmquist":
            assert r["pec"] == pytest.approx(vb / va, rel=TOL)         # pure (VRS) efficiency change
            assert r["ec"] == pytest.approx(cb / ca, rel=TOL)          # EC on CRS distances
        else:
            assert r["pec"] == pytest.approx((1 - va) - (1 - vb), abs=TOL)
            assert r["ec"] == pytest.approx((1 - ca) - (1 - cb), abs=TOL)


# ---------------------------------------------------------------------------------------------------------
# chains
# ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["ddf", "sbm"])
def test_gml_chain_telescopes(panel5, model):
    res = run(panel5, index="gml", model=model)
    cum = res.cumulative()
    d = res.distances[res.distances["technology"] == "global"].set_index([ENT, PER])["value"]
    assert cum["gtfp"].notna().all()
    for e, g in cum.groupby(level=0):
        years = g.index.get_level_values(1)
        t0 = years[0]
        assert g["gtfp"].iloc[0] == 1.0
        for t in years:
            if model == "ddf":
                expected = (1.0 + d[(e, t0)]) / (1.0 + d[(e, t)])
            else:
                expected = d[(e, t)] / d[(e, t0)]
            assert g.loc[(e, t), "gtfp"] == pytest.approx(expected, rel=1e-9)
            # the cumulative components multiply back to the level
            assert g.loc[(e, t), "gtfp"] == pytest.approx(g.loc[(e, t), "cum_ec"] * g.loc[(e, t), "cum_tc"],
                                                       rel=1e-9)
    # base level scales the series
    np.testing.assert_allclose(res.cumulative(base_level=100.0)["gtfp"], 100.0 * cum["gtfp"], rtol=1e-12)


@pytest.mark.parametrize("options", [dict(model="ddf", rts="crs"), dict(model="radial", rts="crs"),
                                     dict(model="radial", rts="vrs", orientation="output")],
                         ids=["ddf-crs", "radial-input-crs", "radial-output-vrs"])
def test_sequential_has_no_technical_regress(panel5, options):
    bad = ["so2"] if options["model"] == "ddf" else None
    res = run(panel5, bad=bad, index="sml", **options)
    ok = finite(res)
    assert len(ok) >= 0.5 * len(res.indices)
    assert (ok["tc"] >= 1 - 1e-9).all(), ok["tc"].min()
    assert set(res.distances["technology"]) == {f"sequential:{y}" for y in range(2010, 2015)}
    # and the contemporaneous technology does regress somewhere (so the check above is not vacuous)
    con = finite(run(panel5, bad=bad, index="ml", **options))
    assert (con["tc"] < 1 - 1e-6).any()


# ---------------------------------------------------------------------------------------------------------
# invariance
# ---------------------------------------------------------------------------------------------------------

def _same(a, b):
    a, b = a.indices.sort_index(), b.indices.sort_index()
    pd.testing.assert_index_equal(a.index, b.index)
    assert (a["status"] == b["status"]).all()
    assert (a["period_from"] == b["period_from"]).all()
    cols = ["index", "ec", "tc"]
    np.testing.assert_allclose(a[cols].to_numpy(float), b[cols].to_numpy(float), rtol=0, atol=1e-9)


@pytest.mark.parametrize("options", [dict(index="gml"), dict(index="ml", model="ddf")], ids=["gml-sbm", "ml-ddf"])
def test_invariant_to_row_order_jobs_and_method(panel, options):
    ref = run(panel, **options)
    shuffled = panel.sample(frac=1.0, random_state=7)
    _same(ref, run(shuffled, **options))
    _same(ref, run(shuffled.reset_index(drop=True), **options))
    _same(ref, run(panel, n_jobs=2, chunk_size=4, **options))
    _same(ref, run(panel, method="restricted", **options))     # "auto" is the full model on small reference sets
    # distances too
    cols = [ENT, PER, "technology", "rts"]
    d1 = ref.distances.sort_values(cols).reset_index(drop=True)
    d2 = run(shuffled, **options).distances.sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(d1[cols], d2[cols])
    np.testing.assert_allclose(d1["value"], d2["value"], atol=1e-9)


# ---------------------------------------------------------------------------------------------------------
# the distance cache
# ---------------------------------------------------------------------------------------------------------

def test_each_lp_once_and_expected_counts(panel):
    res = run(panel, index="ml", model="ddf", rts="crs")
    d = res.distances
    assert not d.duplicated([ENT, PER, "technology", "rts"]).any()
    n, T = 20, 4
    assert len(d) == n * (3 * T - 2)              # own for every obs + two cross for interior obs, one at the ends
    per_obs = d.groupby([ENT, PER])["technology"].apply(set)
    years = sorted(panel[PER].unique())
    for (e, t), techs in per_obs.items():
        k = years.index(t)
        want = {f"contemporaneous:{years[j]}" for j in (k - 1, k, k + 1) if 0 <= j < T}
        assert techs == want, (e, t)
    # a Luenberger on the same specification needs exactly the same LPs
    lu = run(panel, index="luenberger", model="ddf", rts="crs").distances
    pd.testing.assert_frame_equal(lu, d)
    # global: one LP per obs and technology (own contemporaneous + global)
    g = run(panel, index="gml", model="ddf").distances
    assert not g.duplicated([ENT, PER, "technology", "rts"]).any()
    assert len(g) == 2 * n * T
    assert set(d["status"]) <= {"optimal", "infeasible"}
    assert d.loc[d["status"] != "optimal", "value"].isna().all()


# ---------------------------------------------------------------------------------------------------------
# unbalanced panels
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def unbalanced(panel5) -> pd.DataFrame:
    drop = ((panel5[ENT] == "city003") & (panel5[PER] != 2012)) \
        | ((panel5[ENT] == "city007") & (panel5[PER] != 2014)) \
        | ((panel5[ENT] == "city005") & (panel5[PER] == 2012)) \
        | ((panel5[ENT] == "city009") & panel5[PER].isin([2011, 2012])) \
        | ((panel5[ENT] == "city010") & (panel5[PER] == 2010))
    return panel5[~drop].reset_index(drop=True)


def test_unbalanced_observed_adjacency(unbalanced):
    res = run(unbalanced, index="gml", model="ddf")
    ix = res.indices
    entities = set(ix.index.get_level_values(0))
    assert {"city003", "city007"}.isdisjoint(entities)
    assert set(res.single_period_entities) == {"city003", "city007"}
    text = res.summary()
    assert "observed once" in text and "city003" in text and "city007" in text
    # pairs across holes, from the last observed period
    assert ix.loc[("city005", 2013), "period_from"] == 2011
    assert ("city005", 2012) not in ix.index
    assert ix.loc[("city009", 2013), "period_from"] == 2010
    assert ("city010", 2010) not in ix.index and ix.loc[("city010", 2012), "period_from"] == 2011
    assert (ix["status"] == "optimal").all()
    assert ix["index"].notna().all()
    # the telescoping identity still holds across the hole
    d = res.distances[res.distances["technology"] == "global"].set_index([ENT, PER])["value"]
    assert ix.loc[("city009", 2013), "index"] == pytest.approx((1 + d[("city009", 2010)]) / (1 + d[("city009", 2013)]),
                                                               rel=1e-9)
    n_pairs = sum(n - 1 for n in unbalanced.groupby(ENT).size() if n > 1)
    assert len(ix) == n_pairs


def test_unbalanced_calendar_adjacency(unbalanced):
    res = run(unbalanced, index="gml", model="ddf", adjacency="calendar")
    ix = res.indices
    gaps = ix[ix["status"] == "gap"]
    assert set(gaps.index) == {("city005", 2013), ("city009", 2013)}
    assert gaps[["index", "ec", "tc"]].isna().all().all()
    assert gaps.loc[("city005", 2013), "period_from"] == 2011
    ok = ix[ix["status"] != "gap"]
    assert ok["index"].notna().all()
    years = sorted(unbalanced[PER].unique())
    assert all(years.index(b) - years.index(r["period_from"]) == 1 for (_, b), r in ok.iterrows())
    # the observed-adjacency run gives the same values on every non-gap pair
    obs = run(unbalanced, index="gml", model="ddf").indices
    np.testing.assert_allclose(ok["index"], obs.loc[ok.index, "index"], rtol=1e-12)
    # the gap breaks the chain
    cum = res.cumulative()
    assert np.isnan(cum.loc[("city005", 2013), "gtfp"]) and np.isnan(cum.loc[("city005", 2014), "gtfp"])
    assert cum.loc[("city005", 2011), "gtfp"] == pytest.approx(ix.loc[("city005", 2011), "index"], rel=1e-12)
    rs = res.cumulative(policy="restart")
    assert rs.loc[("city005", 2013), "gtfp"] == 1.0 and bool(rs.loc[("city005", 2013), "restarted"])
    assert rs.loc[("city005", 2014), "gtfp"] == pytest.approx(ix.loc[("city005", 2014), "index"], rel=1e-12)


# ---------------------------------------------------------------------------------------------------------
# infeasible cross-period LPs
# ---------------------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def outlier_panel() -> pd.DataFrame:
    """3 firms x 4 periods, 1 input, 1 output. Firm C's period-2 output (10) exceeds every output of periods 1
    and 3, so under VRS (input orientation) C(2) cannot be enveloped by those technologies: C's pairs 1->2 and
    2->3 need an infeasible LP; everything else is feasible."""
    rows = []
    x = {"A": 2.0, "B": 4.0, "C": 3.0}
    y = {1: {"A": 2.0, "B": 3.0, "C": 1.0}, 2: {"A": 2.0, "B": 3.0, "C": 10.0},
         3: {"A": 2.5, "B": 3.0, "C": 1.5}, 4: {"A": 3.0, "B": 3.0, "C": 2.5}}
    for t in (1, 2, 3, 4):
        for f in "ABC":
            xt = x[f] * (1 + 0.1 * t) if f == "B" else (2.5 if (f, t) == ("C", 4) else x[f])
            rows.append((f, t, xt, y[t][f]))
    return pd.DataFrame(rows, columns=["firm", "t", "x", "y"])


def test_infeasible_cross_period_lp_gives_nan_and_names_it(outlier_panel):
    res = productivity(outlier_panel, "firm", "t", ["x"], ["y"], index="malmquist", model="radial",
                       orientation="input", rts="vrs")
    ix = res.indices
    d = res.distances.set_index(["firm", "t", "technology"])
    assert d.loc[("C", 2, "contemporaneous:1"), "status"] == "infeasible"
    assert d.loc[("C", 2, "contemporaneous:3"), "status"] == "infeasible"
    assert np.isnan(d.loc[("C", 2, "contemporaneous:1"), "value"])
    assert (res.distances["status"] != "optimal").sum() == 2
    for key, tech in ((("C", 2), "contemporaneous:1"), (("C", 3), "contemporaneous:3")):
        row = ix.loc[key]
        assert np.isnan(row["index"]) and np.isnan(row["tc"])          # NaN, never 0 or 1
        assert np.isfinite(row["ec"])                                  # ec uses own-period LPs only
        assert "infeasible" in row["status"] and tech in row["status"] and "vrs" in row["status"]
    bad = ix[ix["status"] != "optimal"]
    assert set(bad.index) == {("C", 2), ("C", 3)}
    assert bad["index"].isna().all() and bad["tc"].isna().all()
    good = ix[ix["status"] == "optimal"]
    assert good[["index", "ec", "tc"]].notna().all().all()
    assert "not optimal: 2" in res.summary()

    prop = res.cumulative()
    assert prop.loc[("C", 1), "gtfp"] == 1.0
    assert prop.loc["C", "gtfp"].iloc[1:].isna().all()                  # NaN propagates to every later level
    assert "restarted" not in prop.columns
    a_levels = np.cumprod(ix.loc["A", "index"].to_numpy())
    np.testing.assert_allclose(prop.loc["A", "gtfp"].to_numpy()[1:], a_levels, rtol=1e-12)

    rs = res.cumulative(policy="restart")
    assert rs.loc[("C", 2), "gtfp"] == 1.0 and rs.loc[("C", 3), "gtfp"] == 1.0
    assert bool(rs.loc[("C", 2), "restarted"]) and bool(rs.loc[("C", 3), "restarted"])
    c34 = ix.loc[("C", 4), "index"]
    assert np.isfinite(c34) and abs(c34 - 1.0) > 1e-3
    assert rs.loc[("C", 4), "gtfp"] == pytest.approx(c34, rel=1e-12)
    assert not bool(rs.loc[("C", 4), "restarted"])
    assert not rs.loc["A", "restarted"].any()
    with pytest.raises(ValueError, match="policy"):
        res.cumulative(policy="ignore")
    # the global technology has no such hole (formulations §2.8)
    glob = productivity(outlier_panel, "firm", "t", ["x"], ["y"], index="malmquist", technology="global",
                        model="radial", orientation="input", rts="vrs")
    assert glob.indices["index"].notna().all()


def test_infeasible_sbm_ddf_contemporaneous_vrs(panel):
    res = run(panel, index="ml", model="sbm_ddf", rts="vrs")
    ix, d = res.indices, res.distances
    failed_lps = d[d["status"] != "optimal"]
    assert len(failed_lps) > 0, "the synthetic panel grows its inputs: some cross-period VRS LPs are infeasible"
    assert failed_lps["value"].isna().all()
    bad = ix[ix["status"] != "optimal"]
    assert len(bad) > 0 and bad["index"].isna().all() and bad["tc"].isna().all()
    assert ix.loc[ix["status"] == "optimal", "index"].notna().all()
    lookup = d.set_index([ENT, PER, "technology"])["status"]
    for (e, b), r in bad.iterrows():
        a = r["period_from"]
        used = [(e, a, f"contemporaneous:{a}"), (e, b, f"contemporaneous:{b}"),
                (e, b, f"contemporaneous:{a}"), (e, a, f"contemporaneous:{b}")]
        failed = [k for k in used if lookup[k] != "optimal"]
        assert failed, (e, b)
        for _, _, tech in failed:
            assert tech in r["status"]
    cum = res.cumulative()
    for e, g in ix.groupby(level=0):
        first_bad = np.flatnonzero(g["index"].isna().to_numpy())
        if len(first_bad):
            assert cum.loc[e, "gtfp"].iloc[1 + first_bad[0]:].isna().all()


# ---------------------------------------------------------------------------------------------------------
# biennial and window technologies
# ---------------------------------------------------------------------------------------------------------

def test_biennial_index_from_distances(panel):
    res = run(panel, index="malmquist", technology="biennial", model="ddf")
    ix = res.indices
    assert (ix["status"] == "optimal").all(), "both observations of a pair are in the biennial technology"
    d = dist_lookup(res)
    for e, a, b, r in pair_rows(res):
        label = f"biennial:{a}-{b}"
        assert r["index"] == pytest.approx((1 + d[(e, a, label, "vrs")]) / (1 + d[(e, b, label, "vrs")]), rel=TOL)
        ec = (1 + d[(e, a, f"contemporaneous:{a}", "vrs")]) / (1 + d[(e, b, f"contemporaneous:{b}", "vrs")])
        assert r["ec"] == pytest.approx(ec, rel=TOL)
        assert r["tc"] == pytest.approx(r["index"] / ec, rel=TOL)
    labels = set(res.distances["technology"])
    assert {"biennial:2010-2011", "biennial:2011-2012", "biennial:2012-2013"} <= labels


def test_window_technology(panel):
    res = run(panel, index="malmquist", technology="window", window=1, model="ddf")
    ix = res.indices
    assert len(ix) == 60 and (ix["status"] == "optimal").all()
    np.testing.assert_allclose(ix["index"], ix["ec"] * ix["tc"], rtol=TOL)
    assert set(res.distances["technology"]) == {f"window:{y}" for y in range(2010, 2014)}
    # a window covering every period is the global technology: same index as GML, and EC absorbs it all
    wide = run(panel, index="malmquist", technology="window", window=3, model="ddf").indices
    gml = run(panel, index="gml", model="ddf").indices
    np.testing.assert_allclose(wide["index"], gml.loc[wide.index, "index"], rtol=1e-9)
    np.testing.assert_allclose(wide["tc"], 1.0, atol=1e-9)
    with pytest.raises(ValueError, match="window"):
        run(panel, index="malmquist", technology="window", model="ddf")


# ---------------------------------------------------------------------------------------------------------
# input validation
# ---------------------------------------------------------------------------------------------------------

def test_bad_input_raises_clear_errors(panel):
    original = panel.copy(deep=True)
    with pytest.raises(ValueError, match="entity column 'town' not found"):
        productivity(panel, "town", PER, X, Y, B)
    with pytest.raises(ValueError, match="period column 'month' not found"):
        productivity(panel, ENT, "month", X, Y, B)
    dup = pd.concat([panel, panel[(panel[ENT] == "city004") & (panel[PER] == 2012)]], ignore_index=True)
    with pytest.raises(ValueError, match="duplicate") as err:
        run(dup)
    assert "city004" in str(err.value) and "2012" in str(err.value)
    holes = panel.astype({PER: float})
    holes.loc[5, PER] = np.nan
    with pytest.raises(ValueError, match="period column 'year' has missing values"):
        run(holes)
    with pytest.raises(ValueError, match="index='gml' means the global technology"):
        run(panel, index="gml", technology="sequential")
    with pytest.raises(ValueError, match="index must be one of"):
        run(panel, index="hicks-moorsteen")
    with pytest.raises(ValueError, match="technology must be one of"):
        run(panel, index="malmquist", technology="rolling")
    with pytest.raises(ValueError, match="adjacency"):
        run(panel, adjacency="nearest")
    pd.testing.assert_frame_equal(panel, original)


def test_user_frame_not_modified(panel):
    data = panel.sample(frac=1.0, random_state=3)
    original = data.copy(deep=True)
    run(data, index="gml")
    run(data, index="ml", model="ddf", decomposition="fgnz")
    productivity(data.set_index([ENT, PER]), ENT, PER, X, Y, B, index="gml", model="ddf")
    pd.testing.assert_frame_equal(data, original)


def test_entity_period_in_index_is_accepted(panel):
    a = run(panel, index="gml", model="ddf").indices
    b = productivity(panel.set_index([ENT, PER]), ENT, PER, X, Y, B, index="gml", model="ddf").indices
    np.testing.assert_allclose(a["index"], b.loc[a.index, "index"], rtol=1e-12)


# ---------------------------------------------------------------------------------------------------------
# super-SBM
# ---------------------------------------------------------------------------------------------------------

def _own(res) -> pd.Series:
    d = res.distances
    own = d[d["technology"] == "contemporaneous:" + d[PER].astype(str)]
    assert len(own) == d.groupby([ENT, PER]).ngroups          # one own-period LP per observation
    return own["value"]


@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_super_sbm_ml_own_distances(panel, rts):
    sup = run(panel, index="ml", model="sbm", rts=rts, super_efficiency=True)
    plain = run(panel, index="ml", model="sbm", rts=rts, super_efficiency=False)
    assert sup.spec["super_efficiency"] and not plain.spec["super_efficiency"]
    own_sup, own_plain = _own(sup).to_numpy(), _own(plain).to_numpy()
    assert np.isfinite(own_plain).all(), "plain SBM against a set containing the observation is always feasible"
    assert (own_plain <= 1 + 1e-9).all() and (own_plain > 0).all()
    efficient = np.isclose(own_plain, 1.0, atol=1e-9)
    assert efficient.any()
    solved = np.isfinite(own_sup)
    if rts == "crs":
        assert solved.all(), "non-oriented super-SBM is always feasible under CRS"
    assert solved[~efficient].all()                      # only efficient observations enter the super LP
    assert (own_sup[efficient & solved] > 1 + 1e-6).any()           # super-efficiency of efficient obs
    assert (own_sup[efficient & solved] >= 1 - 1e-9).all()
    # inefficient observations score the same either way (hybrid super-SBM)
    np.testing.assert_allclose(own_sup[~efficient], own_plain[~efficient], atol=1e-9)
    for res in (sup, plain):
        ok = finite(res)
        np.testing.assert_allclose(ok["index"], ok["ec"] * ok["tc"], rtol=TOL)
    assert (plain.indices["status"] == "optimal").all()     # cross-period: outside observations get delta >= 1


def test_super_sbm_vrs_infeasible_own_lp():
    """Super-SBM with a bad output under VRS: an observation with less of every variable than all others can
    only be compared with points whose bad output is far above its own, the denominator
    1 - (sg/y0 + sb/b0)/(s1+s2) cannot stay positive and the LP is infeasible. The index must be NaN with a
    status naming that LP (never a silent 0 or 1); under CRS the same LP is feasible."""
    rows = []
    for t in (1, 2):
        for f, (x, y, b) in {"A": (1.0, 1.0, 1.0), "B": (10.0, 8.0, 9.0), "C": (12.0, 9.0, 10.0),
                             "D": (9.0, 10.0, 12.0)}.items():
            rows.append((f, t, x * (1 + 0.05 * t), y * (1 + 0.1 * t), b))
    data = pd.DataFrame(rows, columns=["firm", "t", "x", "y", "b"])
    res = productivity(data, "firm", "t", ["x"], ["y"], ["b"], index="ml", model="sbm", rts="vrs",
                       super_efficiency=True)
    d = res.distances.set_index(["firm", "t", "technology"])
    for t in (1, 2):
        assert d.loc[("A", t, f"contemporaneous:{t}"), "status"] == "infeasible"
        assert np.isnan(d.loc[("A", t, f"contemporaneous:{t}"), "value"])
    row = res.indices.loc[("A", 2)]
    assert np.isnan(row["index"]) and np.isnan(row["ec"]) and np.isnan(row["tc"])
    assert "infeasible (contemporaneous:1, vrs)" in row["status"] and "contemporaneous:2" in row["status"]
    assert res.indices.drop(index=("A", 2))["index"].notna().all()
    crs = productivity(data, "firm", "t", ["x"], ["y"], ["b"], index="ml", model="sbm", rts="crs",
                       super_efficiency=True)
    assert crs.indices["index"].notna().all()


@pytest.fixture(scope="module")
def ec_hole_panel() -> pd.DataFrame:
    """3 firms x 4 periods, 1 input, 1 output, for the super-efficient radial output GML under VRS. Some
    observations have the smallest input of their period (A1, C2, A3, B4), so their contemporaneous
    super-efficiency LP is infeasible (the ec of every pair using it is NaN); every input is matched or
    undercut in another period (A1 and A3 tie at the global minimum), so every global LP, hence every GML
    index, is feasible."""
    x = {1: dict(A=1, B=2, C=3), 2: dict(A=2, B=3, C=1.5), 3: dict(A=1, B=2.5, C=2), 4: dict(A=1.5, B=1.2, C=2)}
    y = {1: dict(A=1, B=3, C=3.5), 2: dict(A=2.5, B=3.2, C=2), 3: dict(A=1.5, B=3.1, C=3.9),
         4: dict(A=2, B=2.7, C=4.2)}
    rows = [(f, t, float(x[t][f]), float(y[t][f])) for t in (1, 2, 3, 4) for f in "ABC"]
    return pd.DataFrame(rows, columns=["firm", "t", "x", "y"])


def test_gml_chain_survives_a_failed_component(ec_hole_panel):
    """cumulative(): the gtfp level needs only the index; ec and tc chain (and break, or restart) on their own."""
    res = productivity(ec_hole_panel, "firm", "t", ["x"], ["y"], index="gml", model="radial", orientation="output",
                       super_efficiency=True)
    ix = res.indices
    assert ix["index"].notna().all()
    assert ix["ec"].isna().sum() == 6 and ix.loc[("C", 4), ["ec", "tc"]].notna().all()
    assert (res.distances["status"] != "optimal").sum() == 4
    assert (res.distances.loc[res.distances["technology"] == "global", "status"] == "optimal").all()

    glob = res.distances[res.distances["technology"] == "global"].set_index(["firm", "t"])["value"]
    for policy in ("propagate", "restart"):
        cum = res.cumulative(policy=policy)
        assert cum["gtfp"].notna().all()
        for (firm, t), level in cum["gtfp"].items():     # the chain telescopes: E^G(t) / E^G(1), E = 1 / phi
            assert level == pytest.approx(glob[(firm, 1)] / glob[(firm, t)], rel=1e-12)
    prop = res.cumulative()
    # B's ec is known up to period 3, then its chain breaks; A's and C's break at their first missing ec
    np.testing.assert_allclose(prop.loc["B", "cum_ec"].to_numpy()[:3], np.cumprod([1.0, *ix.loc["B", "ec"][:2]]),
                               rtol=1e-12)
    assert np.isnan(prop.loc[("B", 4), "cum_ec"]) and np.isnan(prop.loc[("B", 4), "cum_tc"])
    assert prop.loc["A", ["cum_ec", "cum_tc"]].iloc[1:].isna().all().all()
    assert prop.loc["C", ["cum_ec", "cum_tc"]].iloc[1:].isna().all().all()
    rs = res.cumulative(policy="restart")
    assert not rs["restarted"].any()                     # the gtfp chain never restarted
    assert rs.loc[("C", 3), "cum_ec"] == 1.0             # C's ec chain restarts at its missing links...
    assert rs.loc[("C", 4), "cum_ec"] == pytest.approx(ix.loc[("C", 4), "ec"], rel=1e-12)   # ...and goes on
    assert rs.loc[("C", 4), "cum_tc"] == pytest.approx(ix.loc[("C", 4), "tc"], rel=1e-12)


# ----------------------------------------------------------------------------------------------------
# options that change nothing are refused, or warned about, never recorded as if they had effect (issue 27.6)
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("options, message", [
    (dict(index="gml", window=2), "window=2 applies to technology='window' only"),
    (dict(index="malmquist", technology="biennial", window=1), "no effect with technology='biennial'"),
    (dict(index="hicks_moorsteen", model="radial", window=1), "window=1 applies to technology='window' only"),
    (dict(index="gml", adjacency="calendar", base="first"), "with base='first'"),
    (dict(index="gml", random_state=3), "random_state apply to the Malmquist bootstrap only"),
    (dict(index="gml", alpha=0.1, bandwidth=0.5), "alpha, bandwidth apply to the Malmquist bootstrap only"),
])
def test_options_without_effect_are_refused(panel, options, message):
    """Each of these used to be accepted and (window, the bootstrap's options) recorded or silently dropped:
    window outside technology='window', calendar adjacency with a fixed base (every period is paired with the
    first whatever the gaps), the bootstrap's alpha / bandwidth / seed without bootstrap=B."""
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(panel, model="ddf" if options.get("index") != "hicks_moorsteen" else "radial",
            **{k: v for k, v in options.items() if k != "model"})


def test_default_bootstrap_options_without_bootstrap_are_accepted(panel):
    """The defaults (alpha=0.05, bandwidth='silverman', any case) are not a request: they pass."""
    res = run(panel, index="gml", model="ddf", alpha=0.05, bandwidth="Silverman", random_state=None)
    assert res.spec.parameters is None or "bootstrap" not in res.spec.parameters


@pytest.mark.parametrize("model", ["sbm", "radial"])
def test_luenberger_on_an_efficiency_score_warns_it_is_a_difference_of_scores(panel, model):
    """index='luenberger' with SBM (the default model) or radial scores is the difference of 1 - score, not the
    Luenberger indicator of a directional distance function: a warning says so and names the directional models;
    a directional model gives no such warning."""
    with pytest.warns(UserWarning, match=f"index='luenberger' with model='{model}'.*sbm_ddf"):
        run(panel, index="luenberger", model=model)
    with pytest.warns(UserWarning, match="difference of sbm scores"):
        run(panel, index="luenberger")
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.filterwarnings("ignore", message="gtfp chains")
        run(panel, index="luenberger", model="sbm_ddf", technology="global")
