"""fr.metafrontier (group frontiers, pooled and union metafrontiers, technology gap) and the metafrontier
productivity index (fr.productivity(..., group=...)): the published case, independent cvxpy formulations of the
group and meta LPs, the identities of formulations §3.1 / §3.2, periods and bad input."""
from __future__ import annotations

import os
import sys

import numpy as np
import pandas as pd
import pytest

import frontier as fr
from frontier.io import read_specification
from frontier.models import family as model_family

sys.path.insert(0, os.path.dirname(__file__))
import reference_cvxpy as ref  # noqa: E402

TOL = 1e-6
CASE = "metafrontier_radial_analytic_deapack"


def random_groups(seed=21, n=15, m=2, s1=1, s2=1, n_groups=3):
    """Positive data with a production structure; groups differ in their technology level."""
    rng = np.random.default_rng(seed)
    X = rng.uniform(1.0, 10.0, (n, m))
    groups = np.array([f"g{j % n_groups}" for j in range(n)])
    level = np.array([1.0, 0.75, 0.55, 0.9][:n_groups])[np.arange(n) % n_groups]
    core = np.prod(X, axis=1) ** (0.8 / m) * level
    Y = core[:, None] * rng.uniform(0.5, 1.0, (n, s1))
    B = core[:, None] * rng.uniform(0.3, 1.2, (n, s2))
    inputs, outputs, bads = [f"x{i}" for i in range(m)], [f"y{i}" for i in range(s1)], [f"b{i}" for i in range(s2)]
    df = pd.DataFrame(np.hstack([X, Y, B]), columns=inputs + outputs + bads, index=[f"d{j:02d}" for j in range(n)])
    df.insert(0, "region", groups)
    return df, inputs, outputs, bads, (X, Y, B)


# ----------------------------------------------------------------------------------------------------
# the published (analytic) case
# ----------------------------------------------------------------------------------------------------

def test_validation_case_passes(validation_dir, run_case_once):
    rows = run_case_once(CASE, validation_dir)
    assert len(rows) == 6 and all(r.passed and not r.soft for r in rows)
    assert max(r.max_abs_error for r in rows) <= 1e-12


def test_validation_case_values_directly(validation_dir):
    data = pd.read_csv(validation_dir / CASE / "data.csv").set_index("DMU")
    expected = pd.read_csv(validation_dir / CASE / "expected.csv").set_index("DMU")
    res = fr.metafrontier(data, "group", ["x"], ["y"], model="radial", rts="vrs", orientation="output")
    out = res.to_frame()
    np.testing.assert_allclose(1 / out["group_score"], expected["group_eff"], atol=1e-12)
    np.testing.assert_allclose(1 / out["meta_score"], expected["meta_eff"], atol=1e-12)
    np.testing.assert_allclose(out["tgr"], expected["tgr"], atol=1e-12)
    assert list(out.index) == list(data.index)


# ----------------------------------------------------------------------------------------------------
# against independent cvxpy formulations (formulations §2.2, §2.3, §2.4 with §3.1's reference sets)
# ----------------------------------------------------------------------------------------------------

def _reference_scores(fn, X, Y, B, groups, **kw):
    """Group, pooled-meta and union-meta scores from cvxpy: the union is the best over every group's LP
    (lowest efficiency / highest inefficiency), infeasible group LPs dropping out."""
    labels = list(pd.unique(groups))
    n = len(groups)
    group_score, pooled, union = np.empty(n), np.empty(n), []
    for o in range(n):
        per_group = {}
        for g in labels:
            status, value = fn(X, Y, B, o, rows=np.flatnonzero(groups == g), **kw)
            if status == "optimal":
                per_group[g] = value
        group_score[o] = per_group[groups[o]]
        pooled[o] = fn(X, Y, B, o, **kw)[1]
        union.append(per_group)
    return group_score, pooled, union


CVXPY_CASES = {
    "radial-input-crs": (dict(model="radial", orientation="input", rts="crs"),
                         lambda X, Y, B, o, rows=None: ref_radial(X, Y, B, o, rows, "crs", "input"), "min"),
    "radial-output-vrs": (dict(model="radial", orientation="output", rts="vrs"),
                          lambda X, Y, B, o, rows=None: ref_radial(X, Y, B, o, rows, "vrs", "output"), "max"),
    "sbm-vrs": (dict(model="sbm", rts="vrs"),
                lambda X, Y, B, o, rows=None: ref.sbm(X, Y, B, o, rts="vrs", ref=rows), "min"),
    "sbm-input-crs": (dict(model="sbm", orientation="input", rts="crs"),
                      lambda X, Y, B, o, rows=None: ref.sbm(X, Y, B, o, rts="crs", orientation="input", ref=rows),
                      "min"),
    "ddf-vrs": (dict(model="ddf", rts="vrs", direction="output"),
                lambda X, Y, B, o, rows=None: ref_ddf(X, Y, B, o, rows, "vrs"), "max"),
}


def ref_radial(X, Y, B, o, rows, rts, orientation):
    return ref.radial(X, Y, B, o, rts=rts, orientation=orientation, ref=rows)


def ref_ddf(X, Y, B, o, rows, rts):
    G = ref.direction("output", X, Y, B)
    return ref.ddf(X, Y, B, o, G[o], rts=rts, ref=rows)


@pytest.mark.parametrize("label", list(CVXPY_CASES))
@pytest.mark.parametrize("bads", [True, False], ids=["bad_outputs", "no_bad_outputs"])
def test_against_cvxpy(label, bads):
    kwargs, fn, worst = CVXPY_CASES[label]
    df, inputs, outputs, bad_cols, (X, Y, B) = random_groups(seed=31 + len(label))
    if not bads:
        B, bad_cols = B[:, :0], []
    groups = df["region"].to_numpy()
    group_ref, pooled_ref, per_group = _reference_scores(fn, X, Y, B, groups)
    union_ref = np.array([(min if worst == "min" else max)(d.values()) for d in per_group])
    pooled = fr.metafrontier(df, "region", inputs, outputs, bad_cols, **kwargs)
    union = fr.metafrontier(df, "region", inputs, outputs, bad_cols, meta="union", **kwargs)
    np.testing.assert_allclose(pooled.group_scores, group_ref, atol=TOL)
    np.testing.assert_allclose(pooled.meta_scores, pooled_ref, atol=TOL)
    np.testing.assert_allclose(union.group_scores, group_ref, atol=TOL)
    np.testing.assert_allclose(union.meta_scores, union_ref, atol=TOL)
    assert (pooled.meta_status == "optimal").all() and (union.meta_status == "optimal").all()


# ----------------------------------------------------------------------------------------------------
# identities (formulations §3.1)
# ----------------------------------------------------------------------------------------------------

MODELS = [dict(model="radial", rts="vrs"), dict(model="radial", rts="crs", orientation="output"),
          dict(model="sbm", rts="vrs"), dict(model="ddf", rts="crs"), dict(model="nddf", rts="vrs"),
          dict(model="sbm_ddf", rts="vrs")]


@pytest.mark.parametrize("kwargs", MODELS, ids=lambda k: "-".join(str(v) for v in k.values()))
def test_identities(kwargs):
    df, inputs, outputs, bads, _ = random_groups(seed=5)
    pooled = fr.metafrontier(df, "region", inputs, outputs, bads, **kwargs)
    union = fr.metafrontier(df, "region", inputs, outputs, bads, meta="union", **kwargs)
    plain = fr.efficiency(df, inputs, outputs, bads, **kwargs)
    # the pooled meta scores are the plain efficiency scores on the pooled data
    np.testing.assert_allclose(pooled.meta_scores, plain.scores, atol=1e-9)
    fam = model_family(kwargs["model"])
    efficiency_kind = fam.score_kind == "efficiency"
    E = (lambda s: fam.to_efficiency(s.to_numpy(), pooled.spec.orientation))
    for res in (pooled, union):
        assert res.ratio == efficiency_kind
        # meta <= group for efficiencies (>= for inefficiencies); the union lies inside the pooled hull
        assert (E(res.meta_scores) <= E(res.group_scores) + 1e-9).all()
        if efficiency_kind:
            assert ((res.tgr > 0) & (res.tgr <= 1)).all()
        else:
            assert (res.gap >= 0).all()
    assert (E(union.meta_scores) >= E(pooled.meta_scores) - 1e-9).all()
    # one group: the group frontier is the metafrontier
    one = fr.metafrontier(df.assign(region="all"), "region", inputs, outputs, bads, meta="union", **kwargs)
    assert (one.technology_gap == (1.0 if efficiency_kind else 0.0)).all()
    np.testing.assert_allclose(one.group_scores, plain.scores, atol=1e-9)


def test_union_is_strictly_above_pooled_somewhere():
    """The union is a strict subset of the pooled hull here: some DMU is closer to it (a higher meta score)."""
    df, inputs, outputs, bads, _ = random_groups(seed=5)
    pooled = fr.metafrontier(df, "region", inputs, outputs, bads, model="radial", rts="vrs")
    union = fr.metafrontier(df, "region", inputs, outputs, bads, model="radial", rts="vrs", meta="union")
    assert (union.meta_scores > pooled.meta_scores + 1e-6).any()
    assert (union.meta_scores >= pooled.meta_scores - 1e-9).all()


@pytest.mark.parametrize("kwargs", [dict(model="radial", rts="crs"), dict(model="sbm", rts="crs"),
                                    dict(model="ddf", rts="crs")], ids=["radial", "sbm", "ddf"])
def test_super_efficiency_keeps_the_gap_within_its_range(kwargs):
    """Both scores drop the DMU from its reference sets; the metatechnology without it still contains the group
    technology without it, so TGR <= 1 (gap >= 0) while the scores themselves pass the efficient value."""
    df, inputs, outputs, bads, (X, Y, B) = random_groups(seed=8)
    res = fr.metafrontier(df, "region", inputs, outputs, bads, super_efficiency=True, **kwargs)
    plain_super = fr.efficiency(df, inputs, outputs, bads, super_efficiency=True, **kwargs)
    np.testing.assert_allclose(res.meta_scores, plain_super.scores, atol=1e-9)
    ok = res.technology_gap.notna()
    if res.ratio:
        assert (res.group_scores > 1 + 1e-6).any()
        assert ((res.tgr[ok] > 0) & (res.tgr[ok] <= 1)).all()
    else:
        assert (res.group_scores < -1e-6).any()
        assert (res.gap[ok] >= 0).all()
    if kwargs["model"] == "radial":        # Andersen-Petersen against the group without the DMU, from cvxpy
        groups = df["region"].to_numpy()
        for o in range(len(df)):
            own_group = np.flatnonzero(groups == groups[o])
            status, value = ref.radial(X, Y, B, o, rts="crs", super_eff=True, ref=own_group)
            assert res.group_status.iloc[o] == status
            if status == "optimal":
                assert abs(res.group_scores.iloc[o] - value) <= TOL
            else:                              # weak disposability of bads: AP can be infeasible, NaN + status
                assert np.isnan(res.group_scores.iloc[o]) and np.isnan(res.tgr.iloc[o])


def test_union_with_super_sbm_takes_the_best_group_including_outside_points():
    """Union, super-SBM: an efficient DMU's meta score is the smallest super-SBM delta over the group frontiers
    (its own group without it, the other groups as they are): the union technology without the DMU."""
    df, inputs, outputs, bads, (X, Y, B) = random_groups(seed=9)
    res = fr.metafrontier(df, "region", inputs, outputs, bads, model="sbm", rts="crs", super_efficiency=True,
                          meta="union")
    groups = df["region"].to_numpy()
    for o in range(len(df)):
        candidates = []
        for g in pd.unique(groups):
            rows = np.flatnonzero(groups == g)
            rows = rows[rows != o]
            status, value = ref.hybrid_super_sbm(X, Y, B, o, rts="crs", ref=rows)
            if status == "optimal":
                candidates.append(value)
        assert abs(res.meta_scores.iloc[o] - min(candidates)) <= TOL
    assert (res.meta_scores > 1).any() and (res.tgr <= 1).all()


# ----------------------------------------------------------------------------------------------------
# periods
# ----------------------------------------------------------------------------------------------------

def panel_with_groups(seed=3, n_entities=8, periods=(2001, 2002, 2003)):
    rng = np.random.default_rng(seed)
    rows = []
    for e in range(n_entities):
        for k, t in enumerate(periods):
            x = rng.uniform(1, 10, 2)
            level = 1.0 if e % 2 else 0.7
            rows.append(dict(city=f"c{e}", year=t, region="east" if e % 2 else "west", K=x[0], L=x[1],
                             Y=(x[0] * x[1]) ** 0.4 * level * (1 + 0.1 * k) * rng.uniform(0.6, 1),
                             S=rng.uniform(1, 4)))
    return pd.DataFrame(rows)


@pytest.mark.parametrize("technology", ["contemporaneous", "sequential", "global", "window"])
def test_periods_follow_the_technology_rule(technology):
    df = panel_with_groups().set_index(["city", "year"])
    window = 1 if technology == "window" else None
    res = fr.metafrontier(df, "region", ["K", "L"], ["Y"], ["S"], model="sbm", period="year",
                          technology=technology, window=window)
    out = res.to_frame()
    assert list(out.index) == list(df.index) and "year" not in out.columns
    # the meta scores are efficiency() under the same technology; the group scores efficiency() on the group
    plain = fr.efficiency(df, ["K", "L"], ["Y"], ["S"], model="sbm", period="year", technology=technology,
                          window=window)
    np.testing.assert_allclose(out["meta_score"], plain.scores, atol=1e-9)
    for g, part in df.groupby("region"):
        own = fr.efficiency(part, ["K", "L"], ["Y"], ["S"], model="sbm", period="year", technology=technology,
                            window=window)
        np.testing.assert_allclose(out.loc[part.index, "group_score"], own.scores, atol=1e-9)
    by_period = res.by("period")
    assert list(by_period.index) == [2001, 2002, 2003] and (by_period["n_tgr"] == 8).all()
    text = res.summary()
    assert "mean by group" in text and "mean by period" in text and "n_tgr" in text


def test_period_as_column_and_summary_counts():
    df = panel_with_groups()
    res = fr.metafrontier(df, "region", ["K", "L"], ["Y"], model="radial", period="year")
    frame = res.to_frame()
    assert list(frame.columns) == ["year", "region", "group_score", "group_status", "meta_score", "meta_status",
                                   "tgr"]
    table = res.by("group")
    assert list(table.columns) == ["group_score", "n_group", "meta_score", "n_meta", "tgr", "n_tgr"]
    assert table.loc["east", "n_tgr"] == 12
    np.testing.assert_allclose(table.loc["east", "tgr"], frame.loc[frame.region == "east", "tgr"].mean())
    assert repr(res).startswith("<MetafrontierResult pooled radial n=24")
    with pytest.raises(AttributeError, match="gap"):
        res.gap
    with pytest.raises(Exception):
        res.spec = None                      # immutable


def test_exports_round_trip(tmp_path):
    df = panel_with_groups()
    res = fr.metafrontier(df, "region", ["K", "L"], ["Y"], ["S"], model="ddf", period="year")
    assert not res.ratio and "gap" in res.to_frame().columns
    res.to_csv(tmp_path / "m.csv")
    back = pd.read_csv(tmp_path / "m.csv")
    np.testing.assert_allclose(back["gap"], res.gap.to_numpy())
    res.to_stata(tmp_path / "m.dta")
    assert "gap" in pd.read_stata(tmp_path / "m.dta").columns
    pytest.importorskip("openpyxl")
    res.to_excel(tmp_path / "m.xlsx")
    spec = read_specification(tmp_path / "m.xlsx")
    assert spec["call"].startswith("frontier.metafrontier(data, group='region'") and spec["meta"] == "pooled"


# ----------------------------------------------------------------------------------------------------
# bad input
# ----------------------------------------------------------------------------------------------------

def test_bad_input():
    df, inputs, outputs, bads, _ = random_groups()
    with pytest.raises(ValueError, match="group column 'sector' not found"):
        fr.metafrontier(df, "sector", inputs, outputs)
    holes = df.copy()
    holes.loc["d03", "region"] = np.nan
    with pytest.raises(ValueError, match=r"group column 'region' has missing values in rows.*d03"):
        fr.metafrontier(holes, "region", inputs, outputs)
    lonely = df.copy()
    lonely.loc["d04", "region"] = "island"
    with pytest.raises(ValueError, match="group.*'island'.*fewer than 2 DMUs"):
        fr.metafrontier(lonely, "region", inputs, outputs)
    with pytest.raises(ValueError, match="meta must be one of"):
        fr.metafrontier(df, "region", inputs, outputs, meta="convex")
    with pytest.raises(ValueError, match="needs period="):
        fr.metafrontier(df, "region", inputs, outputs, technology="sequential")
    with pytest.raises(ValueError, match="in both inputs and other"):
        fr.metafrontier(df.assign(region=df["x0"]), "x0", inputs, outputs)
    with pytest.raises(ValueError, match="super_efficiency is not defined"):
        fr.metafrontier(df, "region", inputs, outputs, model="nddf", super_efficiency=True)
    panel = panel_with_groups()
    thin = panel[~((panel.region == "east") & (panel.year == 2002) & (panel.city != "c1"))]
    with pytest.raises(ValueError, match=r"'east' \(period 2002\)"):
        fr.metafrontier(thin, "region", ["K", "L"], ["Y"], period="year")
    assert df["region"].iloc[0] == "g0"       # the data is not modified


# ----------------------------------------------------------------------------------------------------
# the metafrontier productivity index (formulations §3.2)
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["sbm", "ddf", "radial"])
def test_metafrontier_index_decomposes_and_telescopes(model):
    panel = panel_with_groups(n_entities=8, periods=(1, 2, 3, 4))
    pr = fr.productivity(panel, "city", "year", ["K", "L"], ["Y"], ["S"], model=model, group="region")
    idx = pr.indices
    assert pr.spec.components == ("index", "ec", "bpc", "tgc") and pr.spec.group == "region"
    assert (idx["status"] == "optimal").all()
    np.testing.assert_allclose(idx["index"], idx["ec"] * idx["bpc"] * idx["tgc"], rtol=1e-12)
    # the chain telescopes to E^G(t) / E^G(first) on the global metafrontier
    fam = model_family(model)
    dist = pr.distances[pr.distances["technology"] == "global"]
    level = pd.Series(fam.to_efficiency(dist["value"].to_numpy(), pr.spec.orientation),
                      index=pd.MultiIndex.from_arrays([dist["city"], dist["year"]]))
    cum = pr.cumulative()
    first = level.groupby(level=0).transform("first")
    np.testing.assert_allclose(cum["gtfp"], (level / first).reindex(cum.index), rtol=1e-9)
    # the components chain too (cumulative() reads spec.components)
    assert {"cum_ec", "cum_bpc", "cum_tgc"} <= set(cum.columns)
    table = pr.to_frame()
    assert {"bpc", "tgc", "cum_bpc", "cum_tgc"} <= set(table.columns)


def test_metafrontier_luenberger_is_additive():
    panel = panel_with_groups(periods=(1, 2, 3))
    pr = fr.productivity(panel, "city", "year", ["K", "L"], ["Y"], ["S"], index="luenberger", model="ddf",
                         group="region")
    idx = pr.indices
    assert pr.spec.technology == "global" and not pr.spec.ratio
    np.testing.assert_allclose(idx["index"], idx["ec"] + idx["bpc"] + idx["tgc"], atol=1e-12)


@pytest.mark.parametrize("model", ["sbm", "ddf"])
def test_one_group_metafrontier_index_is_the_gml(model):
    panel = panel_with_groups(periods=(1, 2, 3)).assign(region="all")
    meta = fr.productivity(panel, "city", "year", ["K", "L"], ["Y"], ["S"], model=model, group="region").indices
    gml = fr.productivity(panel, "city", "year", ["K", "L"], ["Y"], ["S"], model=model, index="gml").indices
    np.testing.assert_allclose(meta["index"], gml["index"], rtol=1e-9)
    np.testing.assert_allclose(meta["ec"], gml["ec"], rtol=1e-9)
    np.testing.assert_allclose(meta["bpc"], gml["tc"], rtol=1e-9)
    np.testing.assert_allclose(meta["tgc"], 1.0, rtol=1e-9)


def test_metafrontier_index_bad_input():
    panel = panel_with_groups(periods=(1, 2, 3))
    args = (panel, "city", "year", ["K", "L"], ["Y"])
    with pytest.raises(ValueError, match="global metafrontier"):
        fr.productivity(*args, index="ml", group="region")
    with pytest.raises(ValueError, match="global metafrontier"):
        fr.productivity(*args, index="malmquist", technology="sequential", group="region")
    with pytest.raises(ValueError, match="fgnz"):
        fr.productivity(*args, index="malmquist", decomposition="fgnz", group="region")
    with pytest.raises(ValueError, match="group column 'sector' not found"):
        fr.productivity(*args, group="sector")
    moved = panel.copy()
    moved.loc[(moved.city == "c0") & (moved.year == 3), "region"] = "east"
    with pytest.raises(ValueError, match=r"entities .*c0.* change group"):
        fr.productivity(moved, "city", "year", ["K", "L"], ["Y"], group="region")
    thin = panel[~((panel.region == "east") & (panel.year == 2) & (panel.city != "c1"))]
    with pytest.raises(ValueError, match="single observation"):
        fr.productivity(thin, "city", "year", ["K", "L"], ["Y"], group="region")


def test_union_skips_a_group_absent_from_a_period():
    """A group with no observation in a period's technology adds nothing to that period's union."""
    panel = panel_with_groups()
    north = panel[panel.year == 2001].head(2).assign(city=["n1", "n2"], region="north")
    data = pd.concat([panel, north], ignore_index=True)
    res = fr.metafrontier(data, "region", ["K", "L"], ["Y"], model="radial", period="year", meta="union")
    assert (res.meta_status == "optimal").all()
    later = data[data.year == 2002]
    alone = fr.metafrontier(later, "region", ["K", "L"], ["Y"], model="radial", meta="union")
    np.testing.assert_allclose(res.meta_scores[later.index], alone.meta_scores, atol=1e-12)


# ----------------------------------------------------------------------------------------------------
# summary object, notebook view, the bundled panel's regions
# ----------------------------------------------------------------------------------------------------

def test_summary_is_a_summary_object_with_tables_and_html():
    from frontier.results import Summary

    df = panel_with_groups()
    res = fr.metafrontier(df, "region", ["K", "L"], ["Y"], model="radial", period="year")
    text = res.summary()
    assert isinstance(text, Summary) and str(res) == text
    assert text.title.startswith("frontier metafrontier: pooled metafrontier over the groups of 'region'")
    rows = dict(text.rows)
    assert rows["DMUs"] == "24 in 2 groups" and rows["model"] == "radial" and "tgr overall" in rows
    by_group = text.tables["mean by group (n = DMUs with a defined value)"]
    pd.testing.assert_frame_equal(by_group, res.by("group"))
    assert list(text.tables["mean by period (n = DMUs with a defined value)"].index) == [2001, 2002, 2003]
    html = res._repr_html_()
    assert html == text._repr_html_() and "<table" in html and "n_tgr" in html and "east" in html


def test_city_panel_regions_come_from_the_city_number_and_leave_the_data_unchanged():
    from frontier.datasets import synthetic_city_panel

    panel = synthetic_city_panel()
    assert list(panel.columns) == ["city", "year", "capital", "labour", "energy", "value_added", "so2",
                                   "wastewater", "dust", "region"]
    number = panel["city"].str[4:].astype(int)
    expected = np.array(["east", "central", "west"])[(number - 1) % 3]
    assert (panel["region"].to_numpy() == expected).all()
    assert (panel.groupby("city")["region"].nunique() == 1).all()
    assert panel.drop_duplicates("city")["region"].value_counts().to_dict() == {"east": 90, "central": 90,
                                                                                "west": 90}
    # the drawn values are those of the panel before the region column existed (0.x, 270 x 12)
    assert panel.shape == (3240, 10)
    np.testing.assert_allclose(panel["value_added"].sum(), 776109.5429018273, rtol=1e-12)
    np.testing.assert_allclose(panel["so2"].iloc[-1], 2.3687462926235416, rtol=1e-12)


def test_id_columns_lead_the_table_and_every_export(tmp_path):
    """Issue 27.2: ``id=`` as in fr.efficiency (it was refused as an unknown model option); a default-indexed
    frame's exports start with the ids, not ``row``."""
    from frontier import io
    from frontier.datasets import synthetic_city_panel

    panel = synthetic_city_panel(n_cities=8, n_years=2).reset_index(drop=True)
    res = fr.metafrontier(panel, "region", ["capital", "labour"], ["value_added"], id=["city", "year"],
                          model="radial", rts="crs")
    frame = res.to_frame()
    assert list(frame.columns[:3]) == ["city", "year", "region"] and res.group_scores.index.equals(panel.index)
    for ext in ("csv", "xlsx", "dta"):
        path = tmp_path / f"tgr.{ext}"
        res.to_csv(path) if ext == "csv" else res.to_excel(path) if ext == "xlsx" else res.to_stata(path)
        back = io.read_table(path)
        assert list(back.columns[:3]) == ["city", "year", "region"] and "row" not in back.columns, ext
    assert "id=['city', 'year']" in str(res.spec.call)
    with pytest.raises(ValueError, match=r"id \['city'\] does not identify the rows"):
        fr.metafrontier(panel, "region", ["capital", "labour"], ["value_added"], id="city", model="radial")
