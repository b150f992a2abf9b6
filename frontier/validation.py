"""Validation against published (and independently reproduced) DEA results.

The cases live outside the package, one folder per case (``case.md`` with the model's exact options, the source
and the tolerance; ``data.csv``; ``expected.csv``), in the folder :func:`validation_directory` resolves. No case
data is copied into the package.

What each case runs and compares is *data*: ``validation_cases.json`` beside this module describes, per case
folder, the calls (:func:`frontier.efficiency` or :func:`frontier.productivity` and their options), the key
columns, and the checks: which expected columns are compared with which result quantities, through which named
transform, at which tolerance (taken from ``case.md``, written once there). One generic runner,
:class:`DescribedCase`, executes any description; the file format is documented in ``validation/README.md``.
A check is *soft* when ``case.md`` says the quantity is not unique (alternative optima of some slacks): a soft
check is reported, but a soft failure does not fail the validation.

:data:`CASES` maps each runnable case name to a callable ``func(folder) -> list[Check]``. A case folder whose
description is flagged ``"model_available": false`` (its model is not in frontier yet), or that has no
description at all, is listed by :func:`run_validation` as ``"not run"``, never silently skipped and never a
failure. :func:`register` still adds a hand-written function for a case data cannot describe.

>>> from frontier.validation import run_validation, format_table
>>> print(format_table(run_validation()))               # doctest: +SKIP
"""
from __future__ import annotations

import inspect
import json
import os
from dataclasses import astuple, dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from .analyses.economic import economic
from .analyses.bootstrap import bootstrap
from .analyses.efficiency import efficiency
from .analyses.metafrontier import metafrontier
from .analyses.network import network
from .indices import productivity
from .models.registry import model_option_names
from .analyses.sfa import sfa

ENV_VAR = "FRONTIER_VALIDATION_DIR"
COLUMNS = ["case", "check", "model", "max_abs_error", "tolerance", "passed", "soft"]
CASE_FILE = Path(__file__).with_name("validation_cases.json")


@dataclass(frozen=True)
class Check:
    """One compared quantity of one case (``max_abs_error`` is |computed/expected - 1| for a relative check).

    ``passed`` is None for a check that is not run (its model is not in frontier yet: the reason in ``model``).
    """

    case: str
    check: str
    model: str
    max_abs_error: float
    tolerance: float
    passed: bool | None
    soft: bool = False


CaseFunction = Callable[[Path], "list[Check]"]
CASES: dict[str, CaseFunction] = {}


def register(name: str) -> Callable[[CaseFunction], CaseFunction]:
    """Register ``func(folder) -> list[Check]`` as the check of validation case ``name`` (its folder name).

    For a case that ``validation_cases.json`` cannot describe; every published case today is described there.
    """

    def deco(func: CaseFunction) -> CaseFunction:
        if name in CASES:
            raise ValueError(f"validation case {name!r} is already registered")
        CASES[name] = func
        return func

    return deco


def validation_directory(directory: str | Path | None = None) -> Path:
    """The folder of validation cases: ``directory`` if given, else ``$FRONTIER_VALIDATION_DIR``, else
    ``../shared/validation`` beside the checkout.

    The checkout is the current folder when ``../shared/validation`` exists next to it (a checkout with the
    package installed elsewhere), otherwise the folder holding this package. Used by ``frontier validate``,
    ``validation/run.py`` and the tests, so all three look in the same place.
    """
    if directory:
        return Path(directory)
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    beside_cwd = Path.cwd().parent / "shared" / "validation"
    if beside_cwd.is_dir():
        return beside_cwd
    return Path(__file__).resolve().parent.parent.parent / "shared" / "validation"


default_directory = validation_directory          # the name used before validation_directory() existed


def available_cases(directory: str | Path | None = None) -> list[str]:
    """Names of the case folders (those holding a ``case.md``) in ``directory``."""
    directory = validation_directory(directory)
    return sorted(p.name for p in directory.iterdir() if p.is_dir() and (p / "case.md").is_file())


# ---------------------------------------------------------------------------------------------------------
# comparison helpers
# ---------------------------------------------------------------------------------------------------------

def _aligned(computed, expected) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(computed, expected) as DataFrames, computed reindexed to the expected index and columns."""
    exp = pd.DataFrame(expected) if isinstance(expected, pd.Series) else expected
    com = pd.DataFrame(computed) if isinstance(computed, pd.Series) else computed
    if isinstance(expected, pd.Series) and isinstance(computed, pd.Series):
        com.columns = exp.columns
    missing_cols = [c for c in exp.columns if c not in com.columns]
    if missing_cols:
        raise KeyError(f"computed values lack column(s) {missing_cols}")
    return com.reindex(index=exp.index, columns=exp.columns), exp


def max_abs_error(computed, expected) -> float:
    """Largest |computed - expected| over the entries where ``expected`` is not blank (NaN).

    Both are aligned on their index (and columns for DataFrames). An expected entry whose computed value is
    missing or NaN counts as an infinite error, so a failed LP or a lost row can never pass. Raises if there
    is nothing to compare (a wrong index would otherwise pass silently).
    """
    com, exp = _aligned(computed, expected)
    e = exp.to_numpy(dtype=float)
    c = com.to_numpy(dtype=float)
    mask = ~np.isnan(e)
    if not mask.any():
        raise ValueError("no expected values to compare (all blank or no rows)")
    diff = np.abs(c[mask] - e[mask])
    diff[np.isnan(diff)] = np.inf
    return float(diff.max())


def max_rel_error(computed, expected) -> float:
    """Largest |computed / expected - 1| over the non-blank expected entries, with the rules of
    :func:`max_abs_error` (an expected zero gives an infinite error, never a pass)."""
    com, exp = _aligned(computed, expected)
    e = exp.to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = com.to_numpy(dtype=float) / e
    ratio[e == 0] = np.inf
    ones = np.where(np.isnan(e), np.nan, 1.0)
    return max_abs_error(pd.DataFrame(ratio, index=exp.index, columns=exp.columns),
                         pd.DataFrame(ones, index=exp.index, columns=exp.columns))


def check(case: str, name: str, model: str, computed, expected, tolerance: float, soft: bool = False,
          relative: bool = False) -> Check:
    """Compare ``computed`` with ``expected`` (aligned on index and columns) at ``tolerance``."""
    err = (max_rel_error if relative else max_abs_error)(computed, expected)
    return Check(case, name, model, err, tolerance, bool(err <= tolerance), soft)


# ---------------------------------------------------------------------------------------------------------
# case descriptions (validation_cases.json)
# ---------------------------------------------------------------------------------------------------------

CASE_KEYS = {"source", "note", "model_available", "requires", "key", "entity", "period", "pair_key", "variables",
             "derived_columns", "tolerance", "runs", "checks", "parameter_names"}
RUN_KEYS = {"call", "options", "label", "data_rows"}
CHECK_KEYS = {"name", "run", "compare", "rows", "transform", "tolerance", "soft", "error", "expected_file",
              "expected_values", "label", "requires"}
CALLS = {"efficiency": efficiency, "productivity": productivity, "economic": economic, "metafrontier": metafrontier,
         "sfa": sfa, "bootstrap": bootstrap, "network": network}
KEYED_CALLS = ("efficiency", "economic", "metafrontier", "sfa", "bootstrap", "network")   # one row per DMU, named by ``key``

# transforms applied to the computed side of a check; "ratio" takes a pair [numerator, denominator]
TRANSFORMS: dict[str, Callable] = {
    "identity": lambda v: v,
    "reciprocal": lambda v: 1.0 / v,           # phi -> 1/phi
    "one_minus": lambda v: 1.0 - v,             # efficiency -> inefficiency
    "negate": lambda v: -v,                     # the package's super-slack sign (target = x0 + s-) -> xbar - x0
    "ratio": None,
}
DERIVED_COLUMNS = {"subtract_from": lambda column, constant: constant - column}   # linear translation c - b

# result quantities a check can name ("<kind>" or "<kind>.<column or peer label>")
EFFICIENCY_QUANTITIES = {"score", "slack", "target", "beta", "part", "lambda", "lambda_sum"}
PRODUCTIVITY_QUANTITIES = {"index", "ec", "tc", "pec", "sec", "bpc", "tgc", "cross_ab", "cross_ba"}
ECONOMIC_QUANTITIES = {"economic", "technical", "allocative", "optimal", "observed_value", "optimal_value"}
METAFRONTIER_QUANTITIES = {"group_score", "meta_score", "tgr", "gap"}       # columns of to_frame()
# an sfa run: per-observation columns of to_frame() (rows keyed by the case's ``key``), and the parameters of both
# stages (rows keyed by SFA_PARAMETER_KEY; the case's ``parameter_names`` map the expected file's names to ours)
SFA_OBSERVATION_QUANTITIES = {"residual", "inefficiency", "te_bc", "te_jlms"}
SFA_PARAMETER_QUANTITIES = {"estimate", "std_error"}
SFA_PARAMETER_KEY = ["stage", "parameter"]
# columns of the bootstrap's estimates, and "bandwidth": one number per run, compared with every selected row
BOOTSTRAP_QUANTITIES = {"score", "bias", "bias_corrected", "lower", "upper", "bias_to_variance", "bandwidth"}
# a network run: the system score, and per node or stage (``<kind>.<node or stage number>``) the tables of the result
NETWORK_QUANTITIES = {"system", "node", "stage", "slack", "ccr"}
QUANTITIES = {"efficiency": EFFICIENCY_QUANTITIES, "productivity": PRODUCTIVITY_QUANTITIES,
              "economic": ECONOMIC_QUANTITIES, "metafrontier": METAFRONTIER_QUANTITIES,
              "sfa": SFA_OBSERVATION_QUANTITIES | SFA_PARAMETER_QUANTITIES, "bootstrap": BOOTSTRAP_QUANTITIES,
              "network": NETWORK_QUANTITIES}


def _fail(case: str, where: str, message: str):
    raise ValueError(f"{CASE_FILE.name}: case {case!r}, {where}: {message}")


def _split_ref(ref: str) -> tuple[str | None, str, str | None]:
    """``"[run:]kind[.name]"`` -> (run or None, kind, name or None)."""
    run, _, quantity = ref.rpartition(":")
    kind, _, name = quantity.partition(".")
    return run or None, kind, name or None


def _validate_description(case: str, desc: dict) -> None:
    """Raise a ValueError naming the case and the entry if ``desc`` is not a well-formed description.

    Cases whose model is available are also checked against the package: option names must be parameters of
    the call, and quantities must be ones the runner can read. A case flagged ``"model_available": false``
    describes a future call, so only its structure is checked; so does a *pending* check (one that names what it
    ``requires``), and a run that only pending checks use may name a call frontier does not have yet.
    """
    unknown = set(desc) - CASE_KEYS
    if unknown:
        _fail(case, "top level", f"unknown key(s) {sorted(unknown)}")
    available = desc.get("model_available", True)
    if not available and not desc.get("requires"):
        _fail(case, "top level", "a case whose model is not available names it in 'requires'")
    runs, checks = desc.get("runs") or {}, desc.get("checks") or []
    if not runs or not checks:
        _fail(case, "top level", "needs 'runs' and 'checks'")
    for i, chk in enumerate(checks):
        if "requires" in chk and not (isinstance(chk["requires"], str) and chk["requires"]):
            _fail(case, f"check {i} ({chk.get('name', '?')!r})", "'requires' names the missing model as text")
    live_runs = {run_id for chk in checks if available and not chk.get("requires")
                 for run_id in [chk.get("run")] + [_split_ref(r)[0] for r in _references(chk)]}
    names = desc.get("parameter_names", {})
    if not (isinstance(names, dict) and all(isinstance(v, str) for v in [*names, *names.values()])):
        _fail(case, "parameter_names", "maps an expected file's parameter names to the result's, as text")
    for col in desc.get("derived_columns", []):
        if col.get("transform") not in DERIVED_COLUMNS:
            _fail(case, "derived_columns", f"transform must be one of {sorted(DERIVED_COLUMNS)}")
    for run_id, run in runs.items():
        where = f"run {run_id!r}"
        if set(run) - RUN_KEYS:
            _fail(case, where, f"unknown key(s) {sorted(set(run) - RUN_KEYS)}")
        if run_id not in live_runs:             # a future call: only its structure is checked
            if not (isinstance(run.get("call"), str) and run["call"]):
                _fail(case, where, "needs a 'call'")
            continue
        if run.get("call") not in CALLS:
            _fail(case, where, f"call must be one of {sorted(CALLS)}, got {run.get('call')!r}")
        if run["call"] == "sfa" and len(desc.get("variables", {}).get("outputs", [])) != 1:
            _fail(case, where, "an sfa run needs exactly one output (the dependent variable) in 'variables'")
        needed = ["key"] if run["call"] in KEYED_CALLS else ["entity", "period", "pair_key"]
        missing = [k for k in needed if k not in desc]
        if missing:
            _fail(case, where, f"a {run['call']} run needs the case's {missing}")
        if available:
            params = set(inspect.signature(CALLS[run["call"]]).parameters) | set(model_option_names())
            bad = sorted(set(run.get("options", {})) - params)
            if bad:
                _fail(case, where, f"{run['call']}() has no option(s) {bad}")
    for i, chk in enumerate(checks):
        where = f"check {i} ({chk.get('name', '?')!r})"
        if set(chk) - CHECK_KEYS:
            _fail(case, where, f"unknown key(s) {sorted(set(chk) - CHECK_KEYS)}")
        if not chk.get("name") or chk.get("run") not in runs:
            _fail(case, where, f"needs a 'name' and a 'run' among {sorted(runs)}")
        tolerance = chk.get("tolerance", desc.get("tolerance"))
        if not isinstance(tolerance, (int, float)) or not tolerance > 0:
            _fail(case, where, "needs a positive tolerance (its own or the case's)")
        transform = chk.get("transform", "identity")
        if transform not in TRANSFORMS:
            _fail(case, where, f"transform must be one of {sorted(TRANSFORMS)}, got {transform!r}")
        if chk.get("error", "absolute") not in ("absolute", "relative"):
            _fail(case, where, "error must be 'absolute' or 'relative'")
        if not chk.get("compare"):
            _fail(case, where, "needs 'compare': {expected column: result quantity}")
        for column, ref in chk["compare"].items():
            if transform == "ratio" and not (isinstance(ref, list) and len(ref) == 2):
                _fail(case, where, f"a ratio compares {column!r} with [numerator, denominator]")
        for r in _references(chk):
            if not isinstance(r, str):
                _fail(case, where, f"quantities must be strings, got {r!r}")
            run_id, kind, _ = _split_ref(r)
            run = runs.get(run_id or chk["run"])
            if run is None:
                _fail(case, where, f"{r!r} names an unknown run")
            if available and not chk.get("requires"):
                vocabulary = QUANTITIES[run["call"]]
                if kind not in vocabulary:
                    _fail(case, where, f"{r!r}: a {run['call']} result offers {sorted(vocabulary)}")


def _references(chk: dict) -> list:
    """The result quantities a check names (a ratio names two per expected column)."""
    refs = []
    for ref in (chk.get("compare") or {}).values():
        refs += ref if isinstance(ref, list) else [ref]
    return refs


def load_case_descriptions(path: str | Path = CASE_FILE) -> dict[str, dict]:
    """The case descriptions of ``path`` (default: the package's ``validation_cases.json``), validated."""
    with open(path, encoding="utf-8") as fh:
        cases = json.load(fh)["cases"]
    for name, desc in cases.items():
        _validate_description(name, desc)
    return cases


class DescribedCase:
    """The generic runner: executes one case description on its folder and returns its :class:`Check` rows.

    It reads ``data.csv`` (adding ``derived_columns``), runs each run's call lazily and once, and for each check
    reads the expected file, keeps the rows the check names, keys both sides the same way and compares them.
    Every expected row must be compared by some check: a row that no check selects raises, so a new block of
    expected rows can never be skipped silently.
    """

    def __init__(self, name: str, description: dict):
        self.name = name
        self.description = description

    def __repr__(self) -> str:
        return f"DescribedCase({self.name!r})"

    def __call__(self, folder: Path) -> list[Check]:
        desc = self.description
        folder = Path(folder)
        data = pd.read_csv(folder / "data.csv")
        for col in desc.get("derived_columns", []):
            data[col["name"]] = DERIVED_COLUMNS[col["transform"]](data[col["column"]], col["constant"])
        results: dict[str, object] = {}
        expected_files: dict[str, pd.DataFrame] = {}
        covered: dict[str, np.ndarray] = {}
        out = []
        for chk in desc["checks"]:
            run = desc["runs"][chk["run"]]
            file = chk.get("expected_file", "expected.csv")
            if file not in expected_files:
                expected_files[file] = pd.read_csv(folder / file)
                covered[file] = np.zeros(len(expected_files[file]), dtype=bool)
            raw = expected_files[file]
            if "expected_values" not in chk:
                mask = _row_mask(raw, chk.get("rows", {}), f"{folder.name}/{file}")
                covered[file] |= mask
            if chk.get("requires"):             # pending: listed as not run (its rows still count as covered)
                out.append(Check(self.name, chk["name"], f"model not available: {chk['requires']}", np.nan,
                                 chk.get("tolerance", desc.get("tolerance")), None, bool(chk.get("soft", False))))
                continue
            if "expected_values" in chk:        # values case.md states in prose, keyed by the case's key
                expected = pd.DataFrame(chk["expected_values"], dtype=float)
            else:
                expected = self._keyed_expected(raw[mask], run["call"], file, _reads_parameters(run, chk))
            columns = list(chk["compare"])
            transform = chk.get("transform", "identity")
            computed = {}
            for column, ref in chk["compare"].items():
                if transform == "ratio":
                    computed[column] = self._quantity(ref[0], chk["run"], data, results) / \
                        self._quantity(ref[1], chk["run"], data, results)
                else:
                    computed[column] = TRANSFORMS[transform](self._quantity(ref, chk["run"], data, results))
                if np.ndim(computed[column]) == 0:      # a run-level number (the bandwidth): every selected row
                    computed[column] = pd.Series(float(computed[column]), index=expected.index)
            label = chk.get("label") or _label(run)
            out.append(check(self.name, chk["name"], label, pd.DataFrame(computed), expected[columns],
                             chk.get("tolerance", desc.get("tolerance")), bool(chk.get("soft", False)),
                             relative=chk.get("error") == "relative"))
        for file, seen in covered.items():
            if not seen.all():
                rows = np.flatnonzero(~seen)
                raise ValueError(f"{folder.name}/{file}: row(s) {(rows + 2).tolist()[:10]} are compared by no check "
                                 f"of {CASE_FILE.name} (a new block of expected rows needs its check)")
        return out

    # -- keys ------------------------------------------------------------------------------------------
    def _keys(self, frame: pd.DataFrame, columns: list[str]) -> pd.Index:
        """One string label per row from ``columns`` (joined with ``|``), the same on both sides of a check."""
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise KeyError(f"{self.name}: key column(s) {missing} not found")
        parts = [frame[c].astype(str) for c in columns]
        return pd.Index(parts[0].str.cat(parts[1:], sep="|") if len(parts) > 1 else parts[0], name="key")

    def _keyed_expected(self, frame: pd.DataFrame, call: str, file: str, parameters: bool = False) -> pd.DataFrame:
        desc = self.description
        if parameters:                              # an sfa run's parameter rows: stage|parameter, our names
            names = desc.get("parameter_names", {})
            frame = frame.assign(parameter=frame["parameter"].map(lambda p: names.get(p, p)))
            index = self._keys(frame, SFA_PARAMETER_KEY)
        elif call in KEYED_CALLS:
            index = self._keys(frame, desc["key"])
        else:
            pk = desc["pair_key"]
            if "interval" in pk:                   # "2020-2021" -> period_from 2020, period_to 2021
                ends = frame[pk["interval"]].astype(str).str.split("-", n=1, expand=True)
                pairs = pd.DataFrame({"entity": frame[pk["entity"]].to_numpy(), "from": ends[0].to_numpy(),
                                      "to": ends[1].to_numpy()})
            else:
                pairs = pd.DataFrame({"entity": frame[pk["entity"]].to_numpy(),
                                      "from": frame[pk.get("period_from", "period_from")].to_numpy(),
                                      "to": frame[pk.get("period_to", "period_to")].to_numpy()})
            index = self._keys(pairs, ["entity", "from", "to"])
        if index.duplicated().any():
            raise ValueError(f"{self.name}/{file}: the rows a check selects repeat key(s) "
                             f"{sorted(set(index[index.duplicated()]))[:5]}; narrow the check's 'rows'")
        return frame.set_axis(index, axis=0)

    # -- runs and quantities ---------------------------------------------------------------------------
    def _result(self, run_id: str, data: pd.DataFrame, results: dict):
        """The result of run ``run_id`` (computed once per case)."""
        if run_id not in results:
            desc, run = self.description, self.description["runs"][run_id]
            frame = data[_row_mask(data, run.get("data_rows", {}), f"{self.name}/data.csv")]
            v = desc["variables"]
            variables = (v["inputs"], v["outputs"], v.get("bad_outputs"))
            options = run.get("options", {})
            if run["call"] in KEYED_CALLS:
                # a bootstrap case comparing only the run-level bandwidth keys its expected rows by something the
                # data do not hold (the orientation): its rows keep their order
                if run["call"] != "bootstrap" or set(desc["key"]) <= set(frame.columns):
                    frame = frame.set_axis(self._keys(frame, desc["key"]), axis=0)
                inputs, outputs, bad_outputs = variables
                if run["call"] == "economic":
                    results[run_id] = economic(frame, inputs, outputs, **options)
                elif run["call"] == "sfa":
                    results[run_id] = sfa(frame, output=outputs[0], inputs=inputs, **options)
                elif run["call"] == "network":          # the network (nodes, links) is in the run's options
                    results[run_id] = network(frame, **options)
                else:
                    results[run_id] = CALLS[run["call"]](frame, inputs=inputs, outputs=outputs,
                                                         bad_outputs=bad_outputs, **options)
            else:
                results[run_id] = productivity(frame, desc["entity"], desc["period"], *variables, **options)
        return results[run_id]

    def _quantity(self, ref: str, default_run: str, data: pd.DataFrame, results: dict) -> pd.Series:
        """The result quantity ``ref`` (``"[run:]kind[.name]"``) as a Series keyed like the expected rows."""
        run_id, kind, name = _split_ref(ref)
        run_id = run_id or default_run
        res = self._result(run_id, data, results)
        call = self.description["runs"][run_id]["call"]
        if call == "efficiency":
            return _efficiency_quantity(res, kind, name)
        if call == "economic":
            return _economic_quantity(res, kind, name)
        if call == "metafrontier":
            return res.to_frame()[kind]
        if call == "sfa":
            return _sfa_parameters(res)[kind] if kind in SFA_PARAMETER_QUANTITIES else res.to_frame()[kind]
        if call == "bootstrap":
            return res.bandwidth if kind == "bandwidth" else res.estimates[kind]
        if call == "network":
            if kind == "system":
                return res.system
            table = {"node": res.nodes, "stage": res.stages, "slack": res.slacks, "ccr": res.ccr}[kind]
            if table is None or name not in table.columns:
                raise KeyError(f"the network result has no {kind} column {name!r}")
            return table[name]
        return self._productivity_quantity(res, kind, self.description["runs"][run_id].get("options", {}))

    def _productivity_quantity(self, res, kind: str, options: dict) -> pd.Series:
        idx = res.indices
        entity = idx.index.get_level_values(0).to_numpy()
        period_to = idx.index.get_level_values(1).to_numpy()
        period_from = idx["period_from"].to_numpy()
        keys = self._keys(pd.DataFrame({"e": entity, "f": period_from, "t": period_to}), ["e", "f", "t"])
        if kind in ("cross_ab", "cross_ba"):
            return pd.Series(_cross_period(res, self.description, options, entity, period_from, period_to,
                                           kind == "cross_ab"), index=keys)
        if kind not in idx.columns:
            raise KeyError(f"{self.name}: the productivity result has no column {kind!r}")
        return pd.Series(idx[kind].to_numpy(dtype=float), index=keys)


def _row_mask(frame: pd.DataFrame, rows: dict, where: str) -> np.ndarray:
    """Rows whose columns equal the given values (a list: any of them), compared as text."""
    mask = np.ones(len(frame), dtype=bool)
    for column, value in rows.items():
        if column not in frame.columns:
            raise KeyError(f"{where}: no column {column!r} to select rows by")
        values = [str(v) for v in (value if isinstance(value, list) else [value])]
        mask &= frame[column].astype(str).isin(values).to_numpy()
    return mask


def _label(run: dict) -> str:
    """A short description of a run's model for the table: its options, then the run's own label."""
    parts = [f"{k}={v}" for k, v in run.get("options", {}).items() if v is not None and v is not False]
    return ", ".join(parts + ([run["label"]] if run.get("label") else []))


def _efficiency_quantity(res, kind: str, name: str | None) -> pd.Series:
    """score; slack.<var>, target.<var>, beta.<var>; part.<name> (a model's other per-DMU quantity, e.g. EBM's
    theta); lambda.<peer> (intensity on one peer); lambda_sum."""
    if kind == "score":
        return res.scores
    if kind == "part":
        if res.parts is None or name not in res.parts.columns:
            raise KeyError(f"the efficiency result has no part {name!r}")
        return res.parts[name]
    if kind in ("slack", "target", "beta"):
        frame = {"slack": res.slacks, "target": res.targets, "beta": res.betas}[kind]
        if frame is None or name not in frame.columns:
            raise KeyError(f"the efficiency result has no {kind} column {name!r}")
        return frame[name]
    weights = res.peers.groupby(["dmu", "peer"])["weight"].sum().unstack("peer")
    weights = weights.reindex(res.scores.index)            # a DMU without peers (failed LP) stays NaN
    has_peers = weights.notna().any(axis=1)
    if kind == "lambda_sum":
        return weights.sum(axis=1).where(has_peers)
    column = weights[name] if name in weights.columns else pd.Series(np.nan, index=weights.index)
    return column.fillna(0.0).where(has_peers)


def _economic_quantity(res, kind: str, name: str | None) -> pd.Series:
    """economic, technical, allocative, observed_value, optimal_value; optimal.<var> (an optimal quantity)."""
    if kind == "optimal":
        if name not in res.optimal.columns:
            raise KeyError(f"the economic result has no optimal quantity {name!r}")
        return res.optimal[name]
    return getattr(res, kind)


def _reads_parameters(run: dict, chk: dict) -> bool:
    """Whether a check compares an sfa run's parameters (rows keyed by stage and parameter), not observations."""
    return run["call"] == "sfa" and all(_split_ref(r)[1] in SFA_PARAMETER_QUANTITIES for r in _references(chk))


def _sfa_parameters(res) -> pd.DataFrame:
    """``estimate`` and ``std_error`` of an sfa result keyed ``stage|parameter``: stage ``mle`` (the table, then
    log_likelihood, lr_statistic, mean_efficiency) and ``ols`` (the OLS coefficients, sigma_squared, log_likelihood)."""
    rows = [("mle", name, value, se) for name, value, se in zip(res.params.index, res.params, res.std_errors)]
    rows += [("mle", "log_likelihood", res.loglik, np.nan), ("mle", "lr_statistic", res.lr_test.statistic, np.nan),
             ("mle", "mean_efficiency", res.mean_efficiency, np.nan)]
    ols = res.ols
    rows += [("ols", name, value, se) for name, value, se in zip(ols.coefficients.index, ols.coefficients,
                                                                 ols.std_errors)]
    rows += [("ols", "sigma_squared", ols.sigma_squared, np.nan), ("ols", "log_likelihood", ols.loglik, np.nan)]
    frame = pd.DataFrame(rows, columns=["stage", "parameter", "estimate", "std_error"])
    return frame.set_index(frame["stage"] + "|" + frame["parameter"])


def _cross_period(res, desc: dict, options: dict, entity, period_from, period_to, forward: bool) -> np.ndarray:
    """Cross-period distances of a contemporaneous productivity run, read from ``res.distances``.

    ``forward``: D^t(x^{t+1}) (the later observation against the earlier period's technology, ``cross_ab``);
    else D^{t+1}(x^t) (``cross_ba``). A distance the result does not hold is NaN (an infinite error).
    """
    if options.get("technology", "contemporaneous") != "contemporaneous":
        raise ValueError("cross-period distances are defined for a contemporaneous productivity run")
    rts = "crs" if options.get("decomposition") == "fgnz" else options.get("rts", "vrs")
    dist = res.distances
    dist = dist[dist["rts"] == rts]
    lookup = {(str(e), str(p), str(t)): v for e, p, t, v in
              zip(dist[desc["entity"]], dist[desc["period"]], dist["technology"], dist["value"])}
    obs, tech = (period_to, period_from) if forward else (period_from, period_to)
    return np.array([lookup.get((str(e), str(o), f"contemporaneous:{t}"), np.nan)
                     for e, o, t in zip(entity, obs, tech)], dtype=float)


CASE_DESCRIPTIONS: dict[str, dict] = load_case_descriptions()
for _name, _desc in CASE_DESCRIPTIONS.items():
    if _desc.get("model_available", True):
        CASES[_name] = DescribedCase(_name, _desc)


def unavailable_reason(name: str) -> str | None:
    """Why a described case is not run (its model is not in frontier yet), or None."""
    desc = CASE_DESCRIPTIONS.get(name)
    if desc is None or desc.get("model_available", True):
        return None
    return f"model not available: {desc['requires']}"


# ---------------------------------------------------------------------------------------------------------
# running and reporting
# ---------------------------------------------------------------------------------------------------------

def run_case(name: str, directory: str | Path | None = None) -> list[Check]:
    """Run one registered case; raises if it is not registered or its folder is missing."""
    directory = validation_directory(directory)
    if name not in CASES:
        raise KeyError(f"validation case {name!r} is not runnable: "
                       f"{unavailable_reason(name) or f'no case description in {CASE_FILE.name}'}")
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
    is a nullable boolean: ``<NA>`` (check ``"not run"``) for a case folder whose model is not available yet or
    that has no description (the reason in ``model``).
    A case whose function raises gets one failing row (check ``"error"``, the exception in ``model``); a
    registered case whose folder is missing gets a failing row (check ``"missing"``) when ``cases`` names it.
    """
    directory = validation_directory(directory)
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
            reason = unavailable_reason(name) or f"no case description in {CASE_FILE.name}"
            rows.append(_row(name, "not run", reason, pd.NA))
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


#: the widest the text columns (case, check, model) of :func:`format_table` may be: longer cells wrap onto the next
#: lines, so that every line stays under 120 characters (a terminal, a log, a pasted table)
TABLE_WIDTHS = (28, 24, 26)     # case and check names whole; a model option wraps at its comma


def format_table(df: pd.DataFrame) -> str:
    """A plain-text table: case, check, model, max abs error, tolerance, result; and a summary line. Every line is
    under 120 characters: a case, check or model name longer than its column (``TABLE_WIDTHS``) wraps."""
    import textwrap

    head = ["case", "check", "model", "max abs error", "tolerance", "result"]
    body = []
    for _, r in df.iterrows():
        err = "" if pd.isna(r["max_abs_error"]) else f"{r['max_abs_error']:.2e}"
        tol = "" if pd.isna(r["tolerance"]) else f"{r['tolerance']:.0e}"
        check_name = r["check"] + (" (soft)" if r["soft"] else "")
        body.append([str(r["case"]), check_name, str(r["model"]), err, tol, _verdict(r)])
    widths = [max([len(h)] + [len(b[i]) for b in body]) for i, h in enumerate(head)]
    widths[:3] = [min(w, cap) for w, cap in zip(widths[:3], TABLE_WIDTHS)]
    fmt = lambda cells: "  ".join(c.ljust(w) if i < 3 or i == 5 else c.rjust(w)  # noqa: E731
                                  for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    def rows(cells) -> list:
        """One row as its lines: the text cells wrapped to their columns, the numbers on the first line."""
        wrapped = [textwrap.wrap(c, widths[i], break_on_hyphens=False) or [""] if i < 3 else [c]
                   for i, c in enumerate(cells)]
        return [fmt([col[k] if k < len(col) else "" for col in wrapped])
                for k in range(max(len(col) for col in wrapped))]

    lines = [fmt(head), fmt(["-" * w for w in widths])] + [line for b in body for line in rows(b)]
    verdicts = [_verdict(r) for _, r in df.iterrows()]
    counts = {v: verdicts.count(v) for v in ("pass", "FAIL", "soft-fail", "not run")}
    n_cases = df["case"].nunique()
    lines.append("")
    lines.append(f"{n_cases} cases, {len(df)} checks: {counts['pass']} passed, {counts['FAIL']} failed, "
                 f"{counts['soft-fail']} soft failures (non-unique quantities), {counts['not run']} not run")
    return "\n".join(lines)


__all__ = ["CASES", "CASE_DESCRIPTIONS", "CASE_FILE", "COLUMNS", "Check", "DescribedCase", "available_cases", "check",
           "default_directory", "format_table", "hard_failures", "load_case_descriptions", "max_abs_error",
           "max_rel_error", "register", "run_case", "run_validation", "unavailable_reason", "validation_directory"]
