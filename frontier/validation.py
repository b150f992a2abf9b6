"""Validation against published (and independently reproduced) DEA results.

The cases live outside the package, one folder per case (``case.md`` with the model's exact options, the source
and the tolerance; ``data.csv``; ``expected.csv``). By default they are read from ``../shared/validation``
relative to the repository root, or from the directory named by the environment variable
``FRONTIER_VALIDATION_DIR``. No case data is copied into the package.

Each case is checked by one function registered with :func:`register` under the case folder's name. It loads
the case's files, runs :func:`frontier.efficiency` (cross-sectional cases) or :func:`frontier.productivity`
(Malmquist, ML, GML and Luenberger cases, compared on (entity, period_from, period_to) rows) with the options
stated in ``case.md`` and returns a list of :class:`Check` rows (one per compared quantity: scores, slacks,
index components, ...; published and oracle columns separately, each at its own tolerance). A check is *soft*
when ``case.md`` says the quantity is not unique (alternative optima of some slacks): a soft check is reported,
but a soft failure does not fail the validation.

More cases are added by registering more functions::

    @register("some_new_case")
    def _some_new_case(folder: Path) -> list[Check]:
        ...

A case folder without a registered function is listed by :func:`run_validation` as ``"not run"``, never
silently skipped.

>>> from frontier.validation import run_validation, format_table
>>> print(format_table(run_validation()))               # doctest: +SKIP
"""
from __future__ import annotations

import os
import re
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from .efficiency import efficiency
from .productivity import productivity

ENV_VAR = "FRONTIER_VALIDATION_DIR"
COLUMNS = ["case", "check", "model", "max_abs_error", "tolerance", "passed", "soft"]


@dataclass(frozen=True)
class Check:
    """One compared quantity of one case."""

    case: str
    check: str
    model: str
    max_abs_error: float
    tolerance: float
    passed: bool
    soft: bool = False


CaseFunction = Callable[[Path], "list[Check]"]
CASES: dict[str, CaseFunction] = {}


def register(name: str) -> Callable[[CaseFunction], CaseFunction]:
    """Register ``func(folder) -> list[Check]`` as the check of validation case ``name`` (its folder name)."""

    def deco(func: CaseFunction) -> CaseFunction:
        if name in CASES:
            raise ValueError(f"validation case {name!r} is already registered")
        CASES[name] = func
        return func

    return deco


def default_directory() -> Path:
    """``$FRONTIER_VALIDATION_DIR`` if set, else ``<repository root>/../shared/validation``."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent.parent / "shared" / "validation"


def available_cases(directory: str | Path | None = None) -> list[str]:
    """Names of the case folders (those holding a ``case.md``) in ``directory``."""
    directory = Path(directory) if directory is not None else default_directory()
    return sorted(p.name for p in directory.iterdir() if p.is_dir() and (p / "case.md").is_file())


# ---------------------------------------------------------------------------------------------------------
# comparison helpers
# ---------------------------------------------------------------------------------------------------------

def max_abs_error(computed, expected) -> float:
    """Largest |computed - expected| over the entries where ``expected`` is not blank (NaN).

    Both are aligned on their index (and columns for DataFrames). An expected entry whose computed value is
    missing or NaN counts as an infinite error, so a failed LP or a lost row can never pass. Raises if there
    is nothing to compare (a wrong index would otherwise pass silently).
    """
    exp = pd.DataFrame(expected) if isinstance(expected, pd.Series) else expected
    com = pd.DataFrame(computed) if isinstance(computed, pd.Series) else computed
    if isinstance(expected, pd.Series) and isinstance(computed, pd.Series):
        com.columns = exp.columns
    missing_cols = [c for c in exp.columns if c not in com.columns]
    if missing_cols:
        raise KeyError(f"computed values lack column(s) {missing_cols}")
    com = com.reindex(index=exp.index, columns=exp.columns)
    e = exp.to_numpy(dtype=float)
    c = com.to_numpy(dtype=float)
    mask = ~np.isnan(e)
    if not mask.any():
        raise ValueError("no expected values to compare (all blank or no rows)")
    diff = np.abs(c[mask] - e[mask])
    diff[np.isnan(diff)] = np.inf
    return float(diff.max())


def check(case: str, name: str, model: str, computed, expected, tolerance: float, soft: bool = False) -> Check:
    err = max_abs_error(computed, expected)
    return Check(case, name, model, err, tolerance, bool(err <= tolerance), soft)


def read_case(folder: Path, index) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``data.csv`` and ``expected.csv`` of a case, ``index`` (column name or list) as the DMU key."""
    data = pd.read_csv(folder / "data.csv")
    expected = pd.read_csv(folder / "expected.csv")
    return data.set_index(index, drop=False), expected


def _model_label(**options) -> str:
    return ", ".join(f"{k}={v}" for k, v in options.items() if v is not None and v is not False)


def _run(data: pd.DataFrame, inputs, outputs, bad_outputs=None, **options):
    """efficiency() with ``options``; returns (result, a short description of the model for the table)."""
    res = efficiency(data, inputs, outputs, bad_outputs, **options)
    return res, _model_label(**options)


def _peer_matrix(res, labels) -> pd.DataFrame:
    """Intensities lambda as a DMU x peer matrix (zeros where a peer is absent)."""
    lam = res.peers.pivot_table(index="dmu", columns="peer", values="weight", aggfunc="sum")
    return lam.reindex(index=labels, columns=labels).fillna(0.0)


# ---------------------------------------------------------------------------------------------------------
# radial models (CCR / BCC, Andersen-Petersen)
# ---------------------------------------------------------------------------------------------------------

FLS_INPUTS, FLS_OUTPUTS = ["x1", "x2"], ["y"]
RADIAL_NAMES = {"crs": "CCR", "vrs": "BCC"}


@register("radial_ccr_bcc_fls1993")
def _radial_ccr_bcc_fls1993(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-4          # case.md: abs 1e-4; slacks reproduced exactly (unique here)
    data, exp = read_case(folder, "DMU")
    out, scores = [], {}
    for (name, rts, orientation), grp in exp[exp["model"] != "scale_efficiency"].groupby(
            ["model", "rts", "orientation"], sort=False):
        assert RADIAL_NAMES[rts] == name, f"unexpected model/rts pair {name}/{rts}"
        res, label = _run(data, FLS_INPUTS, FLS_OUTPUTS, model="radial", rts=rts, orientation=orientation)
        g = grp.set_index("DMU")
        scores[(rts, orientation)] = res.scores
        out.append(check(case, f"{name} {orientation} scores", label, res.scores, g["score"], tol))
        slacks = res.slacks.add_prefix("slack_")
        out.append(check(case, f"{name} {orientation} slacks", label, slacks,
                         g[["slack_x1", "slack_x2", "slack_y"]], tol))
    se = exp[exp["model"] == "scale_efficiency"]
    for orientation, grp in se.groupby("orientation", sort=False):
        ratio = scores[("crs", orientation)] / scores[("vrs", orientation)]
        score = "theta" if orientation == "input" else "phi"
        out.append(check(case, f"scale efficiency {orientation} (crs/vrs)",
                         f"model=radial, orientation={orientation}, SE = {score}_crs / {score}_vrs",
                         ratio, grp.set_index("DMU")["score"], tol))
    return out


@register("super_radial_ap_fls1993")
def _super_radial_ap_fls1993(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-4          # case.md: abs 1e-4
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    res, label = _run(data, FLS_INPUTS, FLS_OUTPUTS, model="radial", rts="crs", orientation="input",
                      super_efficiency=True)
    return [check(case, "A-P super-efficiency scores", label, res.scores, exp["theta_super"], tol),
            check(case, "A-P super-efficiency slacks", label, res.slacks.add_prefix("slack_"),
                  exp[["slack_x1", "slack_x2", "slack_y"]], tol)]


@register("radial_bcc_electric_plants_simar_wilson_1998")
def _radial_electric_plants(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: abs 1e-6 vs the deaR oracle
    data, exp = read_case(folder, "Plant")
    exp = exp.set_index("Plant")
    out = []
    for col, rts in (("bcc_io", "vrs"), ("ccr_io", "crs")):
        res, label = _run(data, ["Labor", "Fuel", "Capital"], ["Output"], model="radial", rts=rts,
                          orientation="input")
        out.append(check(case, f"{col} scores", label, res.scores, exp[col], tol))
    return out


@register("radial_ccr_bcc_coelli_1998")
def _radial_coelli(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: abs 1e-6
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    out = []
    for col, rts, orientation in (("ccr_io", "crs", "input"), ("bcc_io", "vrs", "input"),
                                  ("bcc_oo", "vrs", "output")):
        res, label = _run(data, FLS_INPUTS, FLS_OUTPUTS, model="radial", rts=rts, orientation=orientation)
        out.append(check(case, f"{col} scores", label, res.scores, exp[col], tol))
    return out


@register("radial_undesirable_translation_hua_bian_2007")
def _radial_translation_hua_bian(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: abs 1e-6 vs the deaR oracle
    translation = 1500.0                   # case.md: y3 = 1500 - b1, treated as a desirable output
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    data = data.assign(b1_translated=translation - data["b1"])
    res, label = _run(data, ["x1", "x2"], ["y1", "y2", "b1_translated"], model="radial", rts="vrs",
                      orientation="output")
    label += ", bad output b1 -> 1500 - b1 as a desirable output"
    return [check(case, "phi", label, res.scores, exp["phi"], tol),
            check(case, "efficiency 1/phi", label, 1.0 / res.scores, exp["efficiency_1_over_phi"], tol)]


# ---------------------------------------------------------------------------------------------------------
# SBM and super-SBM
# ---------------------------------------------------------------------------------------------------------

@register("sbm_tone2001")
def _sbm_tone2001(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: abs 1e-6; slacks agree between two solvers (not soft)
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    res, label = _run(data, ["x1", "x2"], ["y1", "y2"], model="sbm", rts="crs")
    return [check(case, "sbm scores", label, res.scores, exp["sbm"], tol),
            check(case, "sbm slacks", label, res.slacks.add_prefix("slack_"),
                  exp[["slack_x1", "slack_x2", "slack_y1", "slack_y2"]], tol)]


@register("sbm_erg_8dmu_single_io")
def _sbm_erg(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: abs 1e-6; CRS slacks not unique -> blank, not compared
    data, exp = read_case(folder, "DMU")
    out = []
    for rts, grp in exp.groupby("rts", sort=False):
        g = grp.set_index("DMU")
        res, label = _run(data, ["x"], ["y"], model="sbm", rts=rts)
        out.append(check(case, f"sbm {rts} scores", label, res.scores, g["sbm"], tol))
        slacks = g[["slack_x", "slack_y"]]
        if slacks.notna().any().any():
            out.append(check(case, f"sbm {rts} slacks", label, res.slacks.add_prefix("slack_"), slacks, tol))
    return out


@register("sbm_undesirable_tone2003")
def _sbm_undesirable_tone2003(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: scores and slacks abs 1e-6; crs slacks soft
    data, exp = read_case(folder, "DMU")
    out = []
    for rts, grp in exp.groupby("rts", sort=False):
        g = grp.set_index("DMU")
        res, label = _run(data, ["x"], ["y_good"], ["b_bad"], model="sbm", rts=rts)
        out.append(check(case, f"sbm {rts} scores", label, res.scores, g["sbm"], tol))
        out.append(check(case, f"sbm {rts} slacks", label, res.slacks.add_prefix("slack_"),
                         g[["slack_x", "slack_y_good", "slack_b_bad"]], tol, soft=rts == "crs"))
    return out


@register("super_sbm_tone2002_table1")
def _super_sbm_table1(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-6          # case.md: abs 1e-6; no slacks (alternate optima)
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    sbm_res, sbm_label = _run(data, ["x1", "x2"], ["y"], model="sbm", rts="crs")
    hyb, hyb_label = _run(data, ["x1", "x2"], ["y"], model="sbm", rts="crs", super_efficiency=True)
    efficient = exp.index[exp["sbm_efficient"] == 1]          # super_sbm is blank for the other DMUs
    return [check(case, "sbm scores", sbm_label, sbm_res.scores, exp["sbm"], tol),
            check(case, "super-sbm scores (efficient DMUs)", hyb_label, hyb.scores[efficient],
                  exp.loc[efficient, "super_sbm"], tol),
            check(case, "combined (hybrid) scores", hyb_label, hyb.scores, exp["combined_score"], tol)]


@register("super_sbm_tone2002_power_plants")
def _super_sbm_power_plants(folder: Path) -> list[Check]:
    # case.md: scores abs 1e-6 vs the oracle; superslacks soft (alternative optima). All six DMUs are
    # SBM-efficient, so the package's hybrid score (super_efficiency=True) is the super-SBM score delta.
    case, tol = folder.name, 1e-6
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    inputs, outputs = ["x1", "x2", "x3", "x4"], ["y1", "y2"]
    io, io_label = _run(data, inputs, outputs, model="sbm", rts="crs", orientation="input", super_efficiency=True)
    no, no_label = _run(data, inputs, outputs, model="sbm", rts="crs", orientation="nonoriented",
                        super_efficiency=True)
    ap, ap_label = _run(data, inputs, outputs, model="radial", rts="crs", orientation="input",
                        super_efficiency=True)
    # the package reports super-slacks with a minus sign (slack = improvement, target x0 + s-)
    superslacks = (-io.slacks[inputs]).add_prefix("superslack_io_")
    return [check(case, "super-sbm input scores", io_label, io.scores, exp["super_sbm_io_crs"], tol),
            check(case, "super-sbm input superslacks", io_label, superslacks,
                  exp[[f"superslack_io_{v}" for v in inputs]], tol, soft=True),
            check(case, "super-sbm non-oriented scores", no_label, no.scores, exp["super_sbm_no_crs"], tol),
            check(case, "A-P radial super-efficiency", ap_label, ap.scores, exp["ap_radial_io_crs"], tol)]


# ---------------------------------------------------------------------------------------------------------
# directional distance functions
# ---------------------------------------------------------------------------------------------------------

@register("ddf_fls1993")
def _ddf_fls1993(folder: Path) -> list[Check]:
    case, tol = folder.name, 1e-4          # case.md: abs 1e-4 (betas and slacks)
    data, exp = read_case(folder, "DMU")
    out = []
    for (name, rts), grp in exp.groupby(["model", "rts"], sort=False):
        g = grp.set_index("DMU")
        res, label = _run(data, FLS_INPUTS, FLS_OUTPUTS, model="ddf", rts=rts, direction="observed",
                          super_efficiency=name == "super_ddf")
        out.append(check(case, f"{name} {rts} betas", label, res.scores, g["beta"], tol))
        out.append(check(case, f"{name} {rts} slacks", label, res.slacks.add_prefix("slack_"),
                         g[["slack_x1", "slack_x2", "slack_y"]], tol))
    return out


CHINA_INPUTS, CHINA_OUTPUTS, CHINA_BADS = ["K", "L"], ["Y"], ["CO2"]   # column E is not used


def _china_key(frame: pd.DataFrame) -> pd.Index:
    return pd.Index(frame["Province"].astype(str) + "|" + frame["year"].astype(str), name="obs")


def _read_china(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    data = pd.read_csv(folder / "data.csv")
    expected = pd.read_csv(folder / "expected.csv")
    data.index = _china_key(data)
    expected.index = _china_key(expected)
    return data, expected


def _china_ddf(folder: Path, direction: str) -> list[Check]:
    # case.md: CRS, contemporaneous (per-year) frontier, bad output weakly disposable (equality);
    # oracle Dv abs 1e-6, published_Dv abs 1e-4 (blank = row not printed).
    case = folder.name
    data, exp = _read_china(folder)
    res, label = _run(data, CHINA_INPUTS, CHINA_OUTPUTS, CHINA_BADS, model="ddf", rts="crs",
                      bad_disposability="weak", direction=direction, period="year", technology="contemporaneous")
    return [check(case, "Dv (oracle:gtfpch)", label, res.scores, exp["Dv"], 1e-6),
            check(case, "Dv (published)", label, res.scores, exp["published_Dv"], 1e-4)]


@register("ddf_undesirable_radial_china")
def _ddf_china(folder: Path) -> list[Check]:
    return _china_ddf(folder, "observed")         # g = (K, L, Y, CO2) magnitudes, i.e. (-K, -L, +Y, -CO2)


@register("ddf_undesirable_radial_china_outputdir")
def _ddf_china_outputdir(folder: Path) -> list[Check]:
    return _china_ddf(folder, "output")           # g = (0, 0, Y, CO2) magnitudes, i.e. (0, 0, +Y, -CO2)


def _china_nddf(folder: Path, weights: dict | None) -> list[Check]:
    # case.md: oracle Dv abs 1e-6, betas abs 1e-5; published (4 decimals) abs 1e-4. The betas agreed between
    # two independent solvers on every row (unique here), so they are hard checks at their looser tolerance.
    case = folder.name
    data, exp = _read_china(folder)
    res, label = _run(data, CHINA_INPUTS, CHINA_OUTPUTS, CHINA_BADS, model="nddf", rts="crs",
                      bad_disposability="weak", direction="observed", weights=weights, period="year",
                      technology="contemporaneous")
    variables = CHINA_INPUTS + CHINA_OUTPUTS + CHINA_BADS
    betas = res.betas[variables].add_prefix("B_")
    beta_cols = [f"B_{v}" for v in variables]
    published = exp[["published_" + c for c in beta_cols]].set_axis(beta_cols, axis=1)
    return [check(case, "Dv (oracle:gtfpch)", label, res.scores, exp["Dv"], 1e-6),
            check(case, "betas (oracle:gtfpch)", label, betas, exp[beta_cols], 1e-5),
            check(case, "Dv (published)", label, res.scores, exp["published_Dv"], 1e-4),
            check(case, "betas (published)", label, betas, published, 1e-4)]


@register("nddf_undesirable_china_w1111")
def _nddf_china_w1111(folder: Path) -> list[Check]:
    return _china_nddf(folder, None)              # raw weights (1, 1, 1, 1): the package default


@register("nddf_undesirable_china_w0505")
def _nddf_china_w0505(folder: Path) -> list[Check]:
    return _china_nddf(folder, {"K": 0.5, "L": 0.5})   # weights (0.5, 0.5, 1, 1) in the order (K, L, Y, CO2)


def _chung_contrast_from_case_md(folder: Path) -> list[float]:
    """The Chung et al. (1997) contrast betas documented in case.md ("others unchanged: b1, ..., b5")."""
    text = (folder / "case.md").read_text(encoding="utf-8")
    m = re.search(r"others unchanged:\s*([-0-9.,\s]+)\)", text)
    if not m:
        raise ValueError(f"{folder / 'case.md'}: the Chung contrast values ('others unchanged: ...') were not found")
    return [float(v) for v in m.group(1).replace("\n", " ").split(",") if v.strip()]


@register("ddf_undesirable_apz_toy_abz2016")
def _ddf_apz_toy(folder: Path) -> list[Check]:
    # case.md: CRS, direction g = (0, y, b), APZ (2013) bad-output inequality + max_j b_j bound; max-slack second
    # stage. Published abs 1e-4, oracle abs 1e-6, lambda column (6 decimals) abs 1e-5.
    case = folder.name
    data, exp = read_case(folder, "DMU")
    exp = exp.set_index("DMU")
    res, label = _run(data, ["x"], ["y"], ["b"], model="ddf", rts="crs", bad_disposability="apz",
                      direction="output")
    slacks = res.slacks.add_prefix("slack_")
    slack_cols = ["slack_x", "slack_y", "slack_b"]
    oracle_slacks = exp[["oracle_jl_" + c for c in slack_cols]].set_axis(slack_cols, axis=1)
    labels = data.index
    lam_expected = pd.DataFrame(0.0, index=exp.index, columns=labels)
    lam_expected[labels[0]] = exp["oracle_jl_lambda_dmu1"]          # all other lambdas are 0
    out = [check(case, "betas (published)", label, res.scores, exp["beta"], 1e-4),
           check(case, "slacks (published)", label, slacks, exp[slack_cols], 1e-4),
           check(case, "betas (oracle:DEA.jl)", label, res.scores, exp["oracle_jl_beta"], 1e-6),
           check(case, "slacks (oracle:DEA.jl)", label, slacks, oracle_slacks, 1e-6),
           check(case, "lambdas (oracle:DEA.jl)", label, _peer_matrix(res, labels), lam_expected, 1e-5)]
    # documented contrast: the Chung et al. (1997) weak-disposability model (equality, no max bound)
    contrast = pd.Series(_chung_contrast_from_case_md(folder), index=exp.index)
    chung, chung_label = _run(data, ["x"], ["y"], ["b"], model="ddf", rts="crs", bad_disposability="weak",
                              direction="output")
    out.append(check(case, "Chung contrast betas (case.md)", chung_label, chung.scores, contrast, 1e-4))
    return out


# ---------------------------------------------------------------------------------------------------------
# productivity indices (Malmquist, ML, GML, Luenberger)
# ---------------------------------------------------------------------------------------------------------

PAIR_KEY = ["entity", "period_from", "period_to"]


def _run_productivity(data: pd.DataFrame, entity: str, period: str, inputs, outputs, bad_outputs=None,
                      **options):
    """productivity() with ``options``; returns (result, a short description of the model for the table)."""
    res = productivity(data, entity, period, inputs, outputs, bad_outputs, **options)
    return res, _model_label(**options)


def _pairs(res) -> pd.DataFrame:
    """The result's indices keyed by (entity, period_from, period_to), the layout of the expected files."""
    spec = res.spec
    rows = res.indices.reset_index()
    rows = rows.rename(columns={spec["entity"]: "entity", spec["period"]: "period_to"})
    return rows.set_index(PAIR_KEY)


def _expected_pairs(frame: pd.DataFrame, entity: str, period_from: str = "period_from",
                    period_to: str = "period_to") -> pd.DataFrame:
    rows = frame.rename(columns={entity: "entity", period_from: "period_from", period_to: "period_to"})
    return rows.set_index(PAIR_KEY)


def _components(res, expected: pd.DataFrame, mapping: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(computed, expected) frames with the expected file's column names; ``mapping`` is expected -> computed."""
    computed = _pairs(res)[list(mapping.values())].set_axis(list(mapping), axis=1)
    return computed, expected[list(mapping)]


MALMQUIST_COLUMNS = {"MI": "index", "EC": "ec", "TC": "tc"}
FGNZ_COLUMNS = {**MALMQUIST_COLUMNS, "PECH": "pec", "SECH": "sec"}
GTFPCH_COLUMNS = {"TFPCH": "index", "TECH": "ec", "TECCH": "tc"}


def _china_productivity(folder: Path, **options) -> list[Check]:
    # case.md: 30 provinces x 2013-2015, K, L -> Y : CO2 (E unused); CRS, CO2 weakly disposable (equality),
    # direction (0, 0, +Y, -CO2). Oracle (gtfpch, all 60 rows) abs 1e-6; published (12 rows, 4 decimals) abs 1e-4.
    case = folder.name
    data = pd.read_csv(folder / "data.csv")
    exp = _expected_pairs(pd.read_csv(folder / "expected.csv"), "Province", "year_from", "year_to")
    res, label = _run_productivity(data, "Province", "year", CHINA_INPUTS, CHINA_OUTPUTS, CHINA_BADS, rts="crs",
                                   bad_disposability="weak", direction="output", **options)
    names = "/".join(GTFPCH_COLUMNS)
    computed, oracle = _components(res, exp, GTFPCH_COLUMNS)
    published = exp[["published_" + c for c in GTFPCH_COLUMNS]].set_axis(list(GTFPCH_COLUMNS), axis=1)
    return [check(case, f"{names} (oracle:gtfpch)", label, computed, oracle, 1e-6),
            check(case, f"{names} (published)", label, computed, published, 1e-4)]


@register("gml_undesirable_china_global")
def _gml_china_global(folder: Path) -> list[Check]:
    # GML = (1 + D^G(t)) / (1 + D^G(t+1)); TECH = contemporaneous EC; TECCH = BPC = GML / EC
    return _china_productivity(folder, index="gml", model="ddf")


@register("luenberger_nddf_undesirable_china_global")
def _luenberger_nddf_china_global(folder: Path) -> list[Check]:
    # L = D^G(t) - D^G(t+1) with D = beta_Y + beta_CO2 (weights (0, 0, 1, 1) for (K, L, Y, CO2))
    return _china_productivity(folder, index="luenberger", technology="global", model="nddf",
                               weights={"K": 0.0, "L": 0.0})


@register("malmquist_toy_abz2016")
def _malmquist_toy(folder: Path) -> list[Check]:
    # case.md: CRS radial Malmquist; base=previous input-oriented, base=first (fixbaset) output-oriented;
    # published (4 decimals) abs 1e-4.
    case = folder.name
    data = pd.read_csv(folder / "data.csv")
    exp = _expected_pairs(pd.read_csv(folder / "expected.csv"), "DMU")
    mapping = {"M": "index", "EC": "ec", "TC": "tc"}
    out = []
    for (base, orientation), grp in exp.groupby(["base", "orientation"], sort=False):
        res, label = _run_productivity(data, "DMU", "period", ["x"], ["y"], index="malmquist", model="radial",
                                       orientation=orientation, rts="crs", base=base)
        computed, expected = _components(res, grp, mapping)
        out.append(check(case, f"M/EC/TC base={base} (published)", label, computed, expected, 1e-4))
    return out


WANG_LAN_SPECS = {                      # expected `spec` -> productivity() options (case.md), all radial input
    "crs_io": dict(rts="crs"),
    "vrs_io_fgnz": dict(rts="vrs", decomposition="fgnz"),
    "seq_crs_io": dict(rts="crs", technology="sequential"),
    "glob_crs_io": dict(rts="crs", technology="global"),
}


@register("malmquist_wang_lan_2011")
def _malmquist_wang_lan(folder: Path) -> list[Check]:
    # case.md: input-oriented radial Malmquist, adjacent periods; oracle:deaR abs 1e-6 for every spec.
    case = folder.name
    data = pd.read_csv(folder / "data.csv")
    exp = _expected_pairs(pd.read_csv(folder / "expected.csv"), "DMU")
    specs = set(exp["spec"])
    if specs != set(WANG_LAN_SPECS):
        raise ValueError(f"expected.csv specs {sorted(specs)} differ from the registered {sorted(WANG_LAN_SPECS)}")
    out = []
    for spec, options in WANG_LAN_SPECS.items():
        res, label = _run_productivity(data, "DMU", "period", ["capital", "labor"], ["giov"], index="malmquist",
                                       model="radial", orientation="input", **options)
        mapping = FGNZ_COLUMNS if options.get("decomposition") == "fgnz" else MALMQUIST_COLUMNS
        computed, expected = _components(res, exp[exp["spec"] == spec], mapping)
        out.append(check(case, f"{spec} {'/'.join(mapping)} (oracle:deaR)", label, computed, expected, 1e-6))
    return out


@register("malmquist_fgnz_grifell_lovell_1999")
def _malmquist_fgnz_grifell_lovell(folder: Path) -> list[Check]:
    # case.md: output-oriented, CRS-based MI/TC, VRS PECH, SECH = EC/PECH; oracle:deaR abs 1e-6.
    case = folder.name
    data = pd.read_csv(folder / "data.csv")
    exp = _expected_pairs(pd.read_csv(folder / "expected.csv"), "DMU")
    res, label = _run_productivity(data, "DMU", "period", ["x"], ["y"], index="malmquist", model="radial",
                                   orientation="output", rts="vrs", decomposition="fgnz")
    computed, expected = _components(res, exp, FGNZ_COLUMNS)
    return [check(case, "MI/EC/TC/PECH/SECH (oracle:deaR)", label, computed, expected, 1e-6)]


@register("ml_undesirable_apz_toy_abz2016")
def _ml_apz_toy(folder: Path) -> list[Check]:
    # case.md: ML on the APZ (2013) DDF, CRS, direction (0, y, b), contemporaneous frontiers, adjacent periods.
    # Rows `periods` 1-2 come from a run on periods 1-2 only, 1-3 from a run on all three periods.
    # Published (4 decimals) abs 1e-4; oracle (DataEnvelopmentAnalysis.jl) abs 1e-5.
    case = folder.name
    data = pd.read_csv(folder / "data.csv")
    exp = _expected_pairs(pd.read_csv(folder / "expected.csv"), "DMU")
    mapping = {"ML": "index", "MLTEC": "ec", "MLTC": "tc"}
    out = []
    for periods, grp in exp.groupby("periods", sort=True):
        first, last = (int(v) for v in periods.split("-"))
        subset = data[data["period"].between(first, last)]
        res, label = _run_productivity(subset, "DMU", "period", ["x"], ["y"], ["b"], index="ml", model="ddf",
                                       rts="crs", bad_disposability="apz", direction="output")
        label += f", periods {first}-{last}"
        for source, rows in grp.groupby("source", sort=True):
            kind = "published" if source.startswith("published") else source
            tol = 1e-4 if kind == "published" else 1e-5
            computed, expected = _components(res, rows, mapping)
            out.append(check(case, f"ML/MLTEC/MLTC periods {periods} ({kind})", label, computed, expected, tol))
    return out


# ---------------------------------------------------------------------------------------------------------
# running and reporting
# ---------------------------------------------------------------------------------------------------------

def run_case(name: str, directory: str | Path | None = None) -> list[Check]:
    """Run one registered case; raises if it is not registered or its folder is missing."""
    directory = Path(directory) if directory is not None else default_directory()
    if name not in CASES:
        raise KeyError(f"no validation function is registered for case {name!r}")
    folder = directory / name
    if not (folder / "case.md").is_file():
        raise FileNotFoundError(f"validation case folder {folder} (with case.md) not found")
    rows = CASES[name](folder)
    if not rows:
        raise RuntimeError(f"validation case {name!r} produced no checks")
    return rows


def _row(case: str, check_name: str, model: str, passed) -> dict:
    return {"case": case, "check": check_name, "model": model, "max_abs_error": np.nan, "tolerance": np.nan,
            "passed": passed, "soft": False}


def run_validation(directory: str | Path | None = None, cases: Iterable[str] | None = None) -> pd.DataFrame:
    """Run the registered checks of every case folder in ``directory`` (or only ``cases``).

    Returns a DataFrame with columns ``case, check, model, max_abs_error, tolerance, passed, soft``; ``passed``
    is a nullable boolean: ``<NA>`` for a case folder without a registered function (check ``"not run"``).
    A case whose function raises gets one failing row (check ``"error"``, the exception in ``model``); a
    registered case whose folder is missing gets a failing row (check ``"missing"``) when ``cases`` names it.
    """
    directory = Path(directory) if directory is not None else default_directory()
    if not directory.is_dir():
        raise FileNotFoundError(f"validation directory {directory} not found (set {ENV_VAR} or pass directory)")
    present = available_cases(directory)
    names = list(present) if cases is None else list(cases)
    rows: list[dict] = []
    for name in names:
        if name not in present:
            rows.append(_row(name, "missing", f"no case folder {directory / name}", False))
            continue
        if name not in CASES:
            rows.append(_row(name, "not run", "no validation function registered", pd.NA))
            continue
        try:
            rows += [dict(zip(COLUMNS, astuple(c))) for c in run_case(name, directory)]
        except Exception as exc:  # report, keep validating the other cases
            rows.append(_row(name, "error", f"{type(exc).__name__}: {exc}", False))
    df = pd.DataFrame(rows, columns=COLUMNS)
    df["passed"] = df["passed"].astype("boolean")
    df["soft"] = df["soft"].astype(bool)
    return df


def hard_failures(df: pd.DataFrame) -> pd.DataFrame:
    """Rows that fail the validation: checks that did not pass and are not soft (not-run rows excluded)."""
    failed = df["passed"].fillna(True).eq(False).to_numpy(dtype=bool)
    return df[failed & ~df["soft"].to_numpy(dtype=bool)]


def _verdict(row) -> str:
    if pd.isna(row["passed"]):
        return "not run"
    if row["passed"]:
        return "pass"
    return "soft-fail" if row["soft"] else "FAIL"


def format_table(df: pd.DataFrame) -> str:
    """A plain-text table: case, check, model, max abs error, tolerance, result; and a summary line."""
    head = ["case", "check", "model", "max abs error", "tolerance", "result"]
    body = []
    for _, r in df.iterrows():
        err = "" if pd.isna(r["max_abs_error"]) else f"{r['max_abs_error']:.2e}"
        tol = "" if pd.isna(r["tolerance"]) else f"{r['tolerance']:.0e}"
        check_name = r["check"] + (" (soft)" if r["soft"] else "")
        body.append([str(r["case"]), check_name, str(r["model"]), err, tol, _verdict(r)])
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(head)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i < 3 or i == 5 else c.rjust(w)  # noqa: E731
                                  for i, (c, w) in enumerate(zip(cells, widths))).rstrip()
    lines = [fmt(head), fmt(["-" * w for w in widths])] + [fmt(b) for b in body]
    verdicts = [_verdict(r) for _, r in df.iterrows()]
    counts = {v: verdicts.count(v) for v in ("pass", "FAIL", "soft-fail", "not run")}
    n_cases = df["case"].nunique()
    lines.append("")
    lines.append(f"{n_cases} cases, {len(df)} checks: {counts['pass']} passed, {counts['FAIL']} failed, "
                 f"{counts['soft-fail']} soft failures (non-unique quantities), {counts['not run']} not run")
    return "\n".join(lines)


__all__ = ["CASES", "COLUMNS", "Check", "available_cases", "check", "default_directory", "format_table",
           "hard_failures", "max_abs_error", "read_case", "register", "run_case", "run_validation"]
