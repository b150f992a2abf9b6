"""Read and write tables by file extension, and export results with their model specification.

=============  ========================  ==============================================================
extension      read                      write
=============  ========================  ==============================================================
``.csv``       ``pandas.read_csv``       plain CSV (no specification; use one of the formats below)
``.xlsx``      ``pandas.read_excel``     results sheet(s) plus a ``specification`` sheet (openpyxl)
``.xls``       needs ``xlrd``            not written (save as ``.xlsx``)
``.dta``       ``pandas.read_stata``     Stata 14+ (format 118): variable labels, a data label, and the
                                         specification as dataset notes (``notes`` in Stata)
``.parquet``   ``pandas.read_parquet``   specification in the file's metadata (``DataFrame.attrs``)
=============  ========================  ==============================================================

Results are written as flat tables that merge straight back onto the user's data: the identifying columns
(the DMU index of ``efficiency()``'s data, or ``entity`` and ``period`` of ``productivity()``) come first,
then the results (:func:`efficiency_table`, :func:`productivity_table`). Column names are kept as in the
Python API (``score``, ``slack_<var>``, ``gtfp``...); for Stata they are made valid Stata names (at most 32
characters, letters, digits and ``_``) and each variable gets a label saying what it is.

Excel and Parquet (``openpyxl``, ``pyarrow``, and ``xlrd`` for old ``.xls`` files) are the optional extra
``frontier[io]``.
"""
from __future__ import annotations

import datetime as _dt
import re
import struct
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .models import family as model_family

FORMATS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
    ".dta": "stata",
    ".parquet": "parquet", ".pq": "parquet",
}
EXTENSIONS = "CSV (.csv), Excel (.xlsx), Stata (.dta) or Parquet (.parquet)"
SPEC_SHEET = "specification"
STATA_RESERVED = {
    "_all", "_b", "byte", "_coef", "_cons", "double", "float", "if", "in", "int", "long", "_n", "_N", "_pi",
    "_pred", "_rc", "_skip", "str", "strL", "using", "with", "_weight",
}


# ----------------------------------------------------------------------------------------------------
# formats
# ----------------------------------------------------------------------------------------------------

def file_format(path) -> str:
    """``"csv"``, ``"tsv"``, ``"excel"``, ``"stata"`` or ``"parquet"`` from the file's extension."""
    if str(path) == "-":
        return "csv"
    ext = Path(path).suffix.lower()
    if ext not in FORMATS:
        shown = f"extension {ext!r}" if ext else "no extension"
        raise ValueError(f"cannot tell the file type of {str(path)!r} ({shown}); use {EXTENSIONS}")
    return FORMATS[ext]


def _need(module: str, extra: str, what: str):
    try:
        return __import__(module)
    except ImportError:
        raise ImportError(f"{what} needs the package {module!r}: pip install {module} "
                          f"(or pip install 'frontier[{extra}]')") from None


def read_table(path, sheet=None) -> pd.DataFrame:
    """Read a data file into a DataFrame, the reader chosen by the extension (``"-"`` reads CSV from stdin).

    ``sheet``: the Excel sheet (name or 0-based number; default the first).
    """
    fmt = file_format(path)
    if str(path) == "-":
        return pd.read_csv(sys.stdin)
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"input file {str(path)!r} not found")
    if p.is_dir():
        raise ValueError(f"input {str(path)!r} is a folder, not a data file")
    if fmt == "csv":
        return pd.read_csv(p)
    if fmt == "tsv":
        return pd.read_csv(p, sep="\t")
    if fmt == "excel":
        if p.suffix.lower() == ".xls":
            _need("xlrd", "io", "reading .xls files")
        else:
            _need("openpyxl", "io", "reading Excel files")
        try:
            return pd.read_excel(p, sheet_name=0 if sheet is None else sheet)
        except ValueError as exc:
            if sheet is not None and "not found" in str(exc).lower():
                names = pd.ExcelFile(p).sheet_names
                raise ValueError(f"sheet {sheet!r} not found in {str(path)!r}; sheets: {names}") from None
            raise
    if fmt == "stata":
        return pd.read_stata(p)
    _need("pyarrow", "io", "reading Parquet files")
    return pd.read_parquet(p)


# ----------------------------------------------------------------------------------------------------
# what is written: tables, specification, column descriptions
# ----------------------------------------------------------------------------------------------------

@dataclass
class Export:
    """Everything one result writes: the main table, extra tables (Excel sheets), the specification
    (ordered ``(key, value)`` pairs) and a description of each column."""

    table: pd.DataFrame
    name: str = "results"
    specification: list = field(default_factory=list)
    descriptions: dict = field(default_factory=dict)
    extra_tables: dict = field(default_factory=dict)
    title: str = ""


def _fmt_value(value) -> str:
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _call(func: str, spec: dict, positional: list[str], keys: list[str], defaults: dict) -> str:
    parts = list(positional)
    for key in keys:
        value = spec.get(key)
        if value is None or value == [] or defaults.get(key, object()) == value:
            continue
        parts.append(f"{key}={value!r}")
    return f"frontier.{func}(" + ", ".join(parts) + ")"


def efficiency_call(spec: dict) -> str:
    """The ``frontier.efficiency(...)`` call that reproduces a result, from its ``spec``."""
    s = dict(spec)
    if s.get("bad_disposability") == "slacks":
        s["bad_disposability"] = None
    if s.get("technology") is None:
        s["technology"] = None
    return _call("efficiency", s, ["data"],
                 ["inputs", "outputs", "bad_outputs", "model", "orientation", "rts", "super_efficiency",
                  "bad_disposability", "direction", "weights", "period", "technology", "window", "zeros"],
                 {"super_efficiency": False, "technology": "contemporaneous", "zeros": "error"})


def productivity_call(spec: dict) -> str:
    """The ``frontier.productivity(...)`` call that reproduces a result, from its ``spec``."""
    s = dict(spec)
    if s.get("bad_disposability") == "slacks":
        s["bad_disposability"] = None
    alias = s.get("alias") or s.get("index")
    s["index"] = alias
    if alias in ("ml", "gml", "sml"):
        s["technology"] = None
    return _call("productivity", s, ["data"],
                 ["entity", "period", "inputs", "outputs", "bad_outputs", "index", "technology", "window",
                  "decomposition", "model", "orientation", "rts", "super_efficiency", "direction", "weights",
                  "bad_disposability", "adjacency", "base", "zeros"],
                 {"adjacency": "observed", "base": "previous", "zeros": "error"})


def _header(extra: dict | None) -> list:
    from . import __version__

    rows = [("software", f"frontier {__version__} (Python)"),
            ("created", _dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))]
    for key, value in (extra or {}).items():
        rows.append((key, _fmt_value(value)))
    return rows


def _status_counts(status: pd.Series) -> str:
    return ", ".join(f"{k}: {v}" for k, v in status.value_counts().items())


def _index_to_columns(frame: pd.DataFrame) -> pd.DataFrame:
    """Turn the row index into leading columns (unnamed levels become ``dmu``); an index level that is also a
    column with the same values (the ``period`` column of a panel indexed by (entity, period)) appears once."""
    out = frame.copy()
    names = list(out.index.names)
    if len(names) == 1 and names[0] is None:
        if isinstance(out.index, pd.RangeIndex):
            names = ["row"]
            out.index = pd.RangeIndex(1, len(out) + 1)
        else:
            names = ["dmu"]
    else:
        names = [n if n is not None else f"level_{i}" for i, n in enumerate(names)]
    out.index = out.index.set_names(names)
    for i, name in enumerate(names):
        if name in out.columns:
            level = out.index.get_level_values(i)
            if np.array_equal(np.asarray(level, dtype=object), out[name].to_numpy(dtype=object)):
                out = out.drop(columns=name)
            else:
                out = out.rename(columns={name: f"{name}_col"})
    return out.reset_index()


def efficiency_table(res) -> pd.DataFrame:
    """``res.to_frame()`` with the DMU index as leading column(s): one row per DMU, in the data's order."""
    return _index_to_columns(res.to_frame())


def efficiency_export(res, extra: dict | None = None) -> Export:
    """The tables, specification and column descriptions of an :class:`~frontier.EfficiencyResult`."""
    spec = res.spec
    table = efficiency_table(res)
    rows = _header(extra)
    rows.append(("call", efficiency_call(spec)))
    rows.append(("score", spec.get("description", "")))
    rows.append(("convention", model_family(spec["model"]).convention))
    for key in ("model", "orientation", "rts", "super_efficiency", "bad_disposability", "direction", "weights",
                "period", "technology", "window", "reference", "zeros", "inputs", "outputs", "bad_outputs"):
        value = spec.get(key)
        if value is None or value == []:
            continue
        rows.append((key, _fmt_value(value)))
    rows.append(("DMUs", str(len(res.scores))))
    rows.append(("LP status", _status_counts(res.status)))
    rows.append(("NaN scores", f"{res.n_failed} (the LP failed; see the status column)"))

    role = {v: "input" for v in spec["inputs"]}
    role.update({v: "output" for v in spec["outputs"]})
    role.update({v: "bad output" for v in spec["bad_outputs"]})
    desc = {c: "identifies the DMU (row of the input data)" for c in table.columns[: table.columns.get_loc("score")]}
    if spec.get("period") in table.columns:
        desc[spec["period"]] = "period"
    desc["score"] = f"efficiency score: {spec.get('description', '')}"
    desc["status"] = "LP status: optimal, or why the score is missing (infeasible, ...)"
    for v, r in role.items():
        what = {"input": "input excess", "output": "output shortfall", "bad output": "bad-output excess"}[r]
        desc[f"slack_{v}"] = f"slack of {r} {v} ({what}; negative = super-slack)"
        desc[f"target_{v}"] = f"target (projection) of {r} {v}"
        desc[f"beta_{v}"] = f"directional beta of {r} {v}"
    desc = {c: desc[c] for c in table.columns if c in desc}
    label = f"frontier efficiency: {spec['model']} {spec['rts']}" + (" super" if spec.get("super_efficiency") else "")
    return Export(table=table, name="efficiency", specification=rows, descriptions=desc, title=label)


def productivity_table(pr, policy: str = "propagate") -> pd.DataFrame:
    """Indices and chained levels in one flat table with ``entity`` and ``period`` columns.

    One row per (entity, period) of every entity observed at least twice, its first period included
    (index missing there, levels at their base). Columns: ``period_from, index, ec, tc`` (``pec, sec``),
    ``status``, then the cumulative ``gtfp`` and ``cum_ec, cum_tc`` (``cum_pec, cum_sec``). Merge it onto the
    panel with ``panel.merge(productivity_table(pr), on=[entity, period], how="left")``.
    """
    ent, per = pr.spec["entity"], pr.spec["period"]
    levels = pr.cumulative(policy=policy)
    levels = levels.rename(columns={c: f"cum_{c}" for c in levels.columns if c not in ("gtfp", "restarted")})
    out = levels.join(pr.indices, how="outer")
    cols = [c for c in pr.indices.columns] + [c for c in levels.columns]
    out = out[cols]
    order = levels.index.append(pr.indices.index.difference(levels.index))
    out = out.reindex(order)
    out.index = out.index.set_names([ent, per])
    if pd.api.types.is_integer_dtype(pr.indices["period_from"].dtype):
        out["period_from"] = out["period_from"].astype("Int64")
    return out.reset_index()


def productivity_export(pr, extra: dict | None = None, policy: str = "propagate") -> Export:
    """The tables, specification and column descriptions of a :class:`~frontier.ProductivityResult`."""
    spec = pr.spec
    table = productivity_table(pr, policy)
    ratio = spec["index"] == "malmquist"
    tech = spec["technology"]
    name = {"ml": "Malmquist-Luenberger (ML)", "gml": "global Malmquist-Luenberger (GML)",
            "sml": "sequential Malmquist-Luenberger (SML)"}.get(spec.get("alias"),
                                                                  "Malmquist" if ratio else "Luenberger")
    tc_name = "best-practice gap change (BPC)" if tech == "global" else "technical change"
    rows = _header(extra)
    rows.append(("call", productivity_call(spec)))
    rows.append(("index", f"{name}, {'ratio' if ratio else 'difference'} form, {tech} technology"))
    if ratio:
        rows.append(("convention", "index > 1 = progress; index = ec x tc; gtfp = cumulative product of the "
                                   "index, each entity's first period = 1"))
    else:
        rows.append(("convention", "indicator > 0 = progress; index = ec + tc; gtfp = cumulative sum, "
                                   "each entity's first period = 0"))
    rows.append(("chain policy", policy))
    for key in ("technology", "window", "decomposition", "model", "orientation", "rts", "super_efficiency",
                "bad_disposability", "direction", "weights", "adjacency", "base", "zeros", "entity", "period",
                "inputs", "outputs", "bad_outputs", "n_observations", "n_entities", "n_periods"):
        value = spec.get(key)
        if value is None or value == []:
            continue
        rows.append((key, _fmt_value(value)))
    dist = pr.distances
    rows.append(("LPs solved", f"{len(dist)} ({_status_counts(dist['status'])})"))
    rows.append(("missing index rows", str(int(pr.indices["index"].isna().sum()))))
    if pr.single_period_entities:
        rows.append(("entities observed once (no index)", _fmt_value(list(pr.single_period_entities))))

    op = "x" if ratio else "+"
    desc = {spec["entity"]: "entity", spec["period"]: "period (the later period of the pair)",
            "period_from": "the earlier period of the pair",
            "index": f"{name} index from period_from to period ({'> 1' if ratio else '> 0'} = progress)",
            "ec": "efficiency change (catching up with the frontier)",
            "tc": tc_name + " (frontier shift)",
            "pec": "pure efficiency change (FGNZ)", "sec": "scale efficiency change (FGNZ)",
            "status": "LP status of the pair: optimal, or which LP failed, or gap",
            "gtfp": f"cumulative index (GTFP level; {'product' if ratio else 'sum'} of the index since the "
                    "entity's first period)",
            "cum_ec": f"cumulative efficiency change ({op})", "cum_tc": f"cumulative {tc_name} ({op})",
            "cum_pec": f"cumulative pure efficiency change ({op})",
            "cum_sec": f"cumulative scale efficiency change ({op})",
            "restarted": "the chain was re-based after a missing link"}
    desc = {c: desc[c] for c in table.columns if c in desc}
    extra_tables = {"distances": dist}
    label = f"frontier {spec.get('alias') or spec['index']}: {spec['model']} {spec['rts']}, {tech}"
    return Export(table=table, name="productivity", specification=rows, descriptions=desc,
                  extra_tables=extra_tables, title=label)


def export_of(result, extra: dict | None = None, policy: str = "propagate") -> Export:
    """The :class:`Export` of an efficiency or productivity result."""
    from .productivity import ProductivityResult
    from .results import EfficiencyResult

    if isinstance(result, EfficiencyResult):
        return efficiency_export(result, extra)
    if isinstance(result, ProductivityResult):
        return productivity_export(result, extra, policy)
    raise TypeError(f"expected an EfficiencyResult or ProductivityResult, got {type(result).__name__}")


# ----------------------------------------------------------------------------------------------------
# writers
# ----------------------------------------------------------------------------------------------------

def stata_names(columns) -> dict:
    """Valid, unique Stata variable names (<= 32 characters of letters, digits, ``_``) for ``columns``.

    Names that are already valid are kept; the others are transliterated to ASCII, runs of other characters
    become one ``_``, a leading digit gets a ``v``, reserved words a trailing ``_``, and clashes a suffix."""
    def candidate(col) -> str:
        text = unicodedata.normalize("NFKD", str(col).strip()).encode("ascii", "ignore").decode()
        name = text if re.fullmatch(r"[A-Za-z0-9_]*", text) else re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_")
        if not name or not (name[0].isalpha() or name[0] == "_"):
            name = "v" + name
        if name in STATA_RESERVED:
            name = name + "_"
        return name[:32]

    columns = list(columns)
    cand = {col: candidate(col) for col in columns}
    out, used = {}, set()
    for col in columns:                       # valid names first: they never change
        if cand[col] == str(col) and cand[col].lower() not in used:
            out[col] = cand[col]
            used.add(cand[col].lower())
    for col in columns:
        if col in out:
            continue
        name, base, k = cand[col], cand[col], 1
        while name.lower() in used:
            k += 1
            suffix = f"_{k}"
            name = base[: 32 - len(suffix)] + suffix
        used.add(name.lower())
        out[col] = name
    return {col: out[col] for col in columns}


def _spec_text(export: Export) -> list[str]:
    return [f"{k}: {v}" for k, v in export.specification]


def write_table(frame: pd.DataFrame, path, *, export: Export | None = None, fmt: str | None = None) -> Path | None:
    """Write ``frame`` (or ``export.table``) to ``path`` in the format of its extension (or ``fmt``).

    With an :class:`Export`, Excel files get its extra tables as sheets and a ``specification`` sheet, Stata
    files variable labels and notes, Parquet files the specification in their metadata.
    """
    if export is None:
        export = Export(table=frame)
    fmt = fmt or file_format(path)
    if str(path) == "-":
        export.table.to_csv(sys.stdout, index=False)
        return None
    p = Path(path)
    if p.parent != Path("") and not p.parent.exists():
        raise FileNotFoundError(f"output folder {str(p.parent)!r} does not exist")
    if fmt == "csv":
        export.table.to_csv(p, index=False)
    elif fmt == "tsv":
        export.table.to_csv(p, index=False, sep="\t")
    elif fmt == "excel":
        if p.suffix.lower() == ".xls":
            raise ValueError(f"cannot write the old .xls format ({str(path)!r}); save as .xlsx")
        _write_excel(export, p)
    elif fmt == "stata":
        _write_stata(export, p)
    elif fmt == "parquet":
        _need("pyarrow", "io", "writing Parquet files")
        table = export.table.copy()
        table.attrs = {"frontier": {"title": export.title, "specification": [list(r) for r in export.specification],
                                    "columns": export.descriptions}}
        table.to_parquet(p, index=False)
    else:  # pragma: no cover - file_format guards this
        raise ValueError(f"unknown format {fmt!r}")
    return p


def write_result(result, path, *, fmt: str | None = None, extra: dict | None = None,
                 policy: str = "propagate") -> Path | None:
    """Write an efficiency or productivity result (table, specification, labels) to ``path``."""
    export = export_of(result, extra, policy)
    return write_table(export.table, path, export=export, fmt=fmt)


def _excel_sheet_name(name: str, used: set) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    base, k = name, 1
    while name in used:
        k += 1
        name = f"{base[:28]}_{k}"
    used.add(name)
    return name


def _write_excel(export: Export, path: Path) -> None:
    _need("openpyxl", "io", "writing Excel files")
    used: set = set()
    spec_rows = [("frontier", export.title)] + list(export.specification)
    spec = pd.DataFrame(spec_rows, columns=["setting", "value"])
    cols = pd.DataFrame(list(export.descriptions.items()), columns=["column", "description"])
    with pd.ExcelWriter(path, engine="openpyxl") as xw:
        sheets = [(export.name, export.table)] + list(export.extra_tables.items())
        written = []
        for name, table in sheets:
            sheet = _excel_sheet_name(name, used)
            table.to_excel(xw, sheet_name=sheet, index=False)
            written.append((sheet, table))
        sheet = None
        if export.specification or export.descriptions:      # plain tables get no specification sheet
            sheet = _excel_sheet_name(SPEC_SHEET, used)
            spec.to_excel(xw, sheet_name=sheet, index=False)
            if len(cols):
                cols.to_excel(xw, sheet_name=sheet, index=False, startrow=len(spec) + 2)
        book = xw.book
        for name, table in written:
            ws = book[name]
            ws.freeze_panes = "A2"
            for i, col in enumerate(table.columns, start=1):
                width = max(len(str(col)), 10) + 2
                ws.column_dimensions[_col_letter(i)].width = min(width, 40)
        if sheet is not None:
            ws = book[sheet]
            ws.column_dimensions["A"].width = 26
            ws.column_dimensions["B"].width = 100


def _col_letter(i: int) -> str:
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _clip_label(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _stata_ready(table: pd.DataFrame) -> tuple[pd.DataFrame, dict, dict]:
    names = stata_names(table.columns)
    out = table.rename(columns=names)
    convert = {}
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("int8")
        elif pd.api.types.is_datetime64_any_dtype(s):
            convert[col] = "tc"
        elif not pd.api.types.is_numeric_dtype(s):
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
    return out, names, convert


def _write_stata(export: Export, path: Path) -> None:
    table, names, convert = _stata_ready(export.table)
    labels = {}
    for col, new in names.items():
        text = export.descriptions.get(col, "")
        if str(col) != new:
            text = f"{col}: {text}" if text else str(col)
        if text:
            labels[new] = _clip_label(text)
    notes = _spec_text(export)
    if any(str(c) != n for c, n in names.items()):
        notes.append("renamed for Stata: " + ", ".join(f"{c} -> {n}" for c, n in names.items() if str(c) != n))
    writer = _NotesWriter(path, table, write_index=False, version=118, data_label=_clip_label(export.title),
                          variable_labels=labels, convert_dates=convert or None, notes=notes)
    writer.write_file()


from pandas.io.stata import StataWriterUTF8 as _StataWriterUTF8


class _NotesWriter(_StataWriterUTF8):
    """Writes ``notes`` as Stata dataset notes: characteristics ``_dta[note0]`` (the count) and
    ``_dta[note1]``, ``_dta[note2]``... (format 118: 129-byte names, ``<ch>llll varname charname
    contents</ch>``), which Stata lists with ``notes`` and pandas skips when reading."""

    def __init__(self, *args, notes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self._frontier_notes = [str(n) for n in notes]

    def _write_characteristics(self) -> None:
        if not self._frontier_notes or self._dta_version < 118:
            return super()._write_characteristics()
        self._update_map("characteristics")
        entries = [("_dta", "note0", str(len(self._frontier_notes)))]
        entries += [("_dta", f"note{i}", text) for i, text in enumerate(self._frontier_notes, start=1)]
        body = b""
        for var, char, contents in entries:
            payload = (var.encode().ljust(129, b"\0") + char.encode().ljust(129, b"\0")
                       + contents.encode("utf-8")[:67000] + b"\0")
            body += b"<ch>" + struct.pack(self._byteorder + "I", len(payload)) + payload + b"</ch>"
        self._write_bytes(b"<characteristics>" + body + b"</characteristics>")


def stata_notes(path) -> list[str]:
    """The dataset notes (``_dta[note1]``, ...) of a Stata 118/119 file, in order."""
    raw = Path(path).read_bytes()
    head = raw[:200]
    m = re.search(rb"<release>(\d+)</release>", head)
    release = int(m.group(1)) if m else 0
    if release < 117:
        return []
    order = "<" if b"<byteorder>LSF</byteorder>" in head else ">"
    width = 33 if release == 117 else 129
    start = raw.find(b"<characteristics>")
    end_marker = b"</characteristics>"
    pos = start + len(b"<characteristics>")
    chars = {}
    while raw.startswith(b"<ch>", pos):
        (n,) = struct.unpack(order + "I", raw[pos + 4: pos + 8])
        payload = raw[pos + 8: pos + 8 + n]
        var = payload[:width].split(b"\0")[0].decode()
        char = payload[width: 2 * width].split(b"\0")[0].decode()
        contents = payload[2 * width:].split(b"\0")[0].decode("utf-8", "replace")
        chars[(var, char)] = contents
        pos += 8 + n + len(b"</ch>")
    if not raw.startswith(end_marker, pos):  # pragma: no cover - malformed
        raise ValueError(f"{path}: malformed characteristics block")
    count = int(chars.get(("_dta", "note0"), "0") or 0)
    return [chars.get(("_dta", f"note{i}"), "") for i in range(1, count + 1)]


def read_specification(path) -> dict:
    """The specification a result file records (``setting -> value``): Excel sheet, Stata notes or Parquet
    metadata. Empty for CSV."""
    fmt = file_format(path)
    if fmt == "excel":
        if SPEC_SHEET not in pd.ExcelFile(path).sheet_names:
            return {}
        spec = pd.read_excel(path, sheet_name=SPEC_SHEET, header=0)
        out = {}
        for _, r in spec.iterrows():
            if pd.isna(r.iloc[0]):
                break
            out[str(r.iloc[0])] = "" if pd.isna(r.iloc[1]) else str(r.iloc[1])
        return out
    if fmt == "stata":
        out = {}
        for note in stata_notes(path):
            key, _, value = note.partition(": ")
            out[key] = value
        return out
    if fmt == "parquet":
        meta = pd.read_parquet(path).attrs.get("frontier", {})
        return {k: v for k, v in meta.get("specification", [])}
    return {}


__all__ = ["EXTENSIONS", "Export", "efficiency_call", "efficiency_export", "efficiency_table", "export_of",
           "file_format", "productivity_call", "productivity_export", "productivity_table", "read_specification",
           "read_table", "stata_names", "stata_notes", "write_result", "write_table"]
