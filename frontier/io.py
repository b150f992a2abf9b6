"""Read and write tables by file extension, and export results with their model specification.

=============  ========================  ==============================================================
extension      read                      write
=============  ========================  ==============================================================
``.csv``       ``pandas.read_csv``       plain UTF-8 CSV with a byte-order mark (no specification; use one of
                                         the formats below)
``.xlsx``      ``pandas.read_excel``     results sheet(s) plus a ``specification`` sheet (openpyxl)
``.xls``       needs ``xlrd``            not written (save as ``.xlsx``)
``.dta``       ``pandas.read_stata``     Stata 14+ (format 118): variable labels, a data label, and the
                                         specification as dataset notes (``notes`` in Stata)
``.parquet``   ``pandas.read_parquet``   specification in the file's metadata (``DataFrame.attrs``)
=============  ========================  ==============================================================

Results are written as flat tables that merge straight back onto the user's data: the identifying columns
(the DMU index of ``efficiency()``'s data, or ``entity`` and ``period`` of ``productivity()``) come first,
then the results (each result type's ``export()`` in :mod:`frontier.results` says what it writes; this module
knows the formats only and writes any result without checking its type, :func:`write_result`). Column names are
kept as in the Python API (``score``, ``slack_<var>``, ``gtfp``...); for Stata they are made valid Stata names (at
most 32 characters: letters, Unicode letters included, so 城市 and 年份 stay as they are, digits and ``_``;
:func:`stata_names`) and each variable gets a label saying what it is (with the original name if it changed).

Every file is written to a temporary file in the target's folder and renamed over the target only when the
write succeeded (:func:`atomic_write`): a failing export leaves an existing file as it was and no partial file.
Excel files are checked before they are read (:func:`check_workbook_size`: no part of a decompression bomb is
expanded), and binary Parquet columns are read as text.
:func:`check_output` checks a destination (known format, existing writable folder, writer installed) before a
long computation. Text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, carriage return
first) is written to ``.xlsx`` as text; in CSV it is kept as it is, with a warning.

CSV files start with the UTF-8 byte-order mark (``bom=True``, the default; the command line's ``--no-bom``
turns it off): Excel, on Chinese Windows in particular, reads a CSV without it in the system's code page (GBK) and
shows Chinese headers and labels garbled. pandas, Stata's ``import delimited`` and :func:`read_table` skip the
mark; R's ``read.csv`` needs ``fileEncoding = "UTF-8-BOM"`` (or write with ``bom=False``). Standard output (``-``)
gets no mark.

Excel and Parquet (``openpyxl``, ``pyarrow``, and ``xlrd`` for old ``.xls`` files) are the optional extra
``frontier-dea[io]`` (``pip install "frontier-dea[io]"``).
"""
from __future__ import annotations

import datetime as _dt
import os
import re
import secrets
import stat
import sys
import unicodedata
import warnings
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.parsers import expat

import numpy as np
import pandas as pd

from ._stata import NotesWriter, stata_notes
from ._text import format_rows
from ._version import __version__

FORMATS = {
    ".csv": "csv", ".txt": "csv", ".tsv": "tsv",
    ".xlsx": "excel", ".xlsm": "excel", ".xls": "excel",
    ".dta": "stata",
    ".parquet": "parquet", ".pq": "parquet",
}
EXTENSIONS = "CSV (.csv), Excel (.xlsx), Stata (.dta) or Parquet (.parquet)"
SPEC_SHEET = "specification"
FORMAT_NAMES = {"csv": "CSV", "tsv": "tab-separated text", "excel": "Excel", "stata": "Stata .dta",
                "parquet": "Parquet"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")     # OWASP's list of characters that start a formula
EXCEL_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # control characters an .xlsx cannot hold
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
                          f"(or pip install 'frontier-dea[{extra}]')") from None


@dataclass(frozen=True)
class _TextOptions:
    """How a file is parsed: the ``sep``, ``decimal``, ``encoding`` and ``na_values`` of :func:`read_table`."""

    sep: str | None = None
    decimal: str = "."
    encoding: str | None = None
    na_values: tuple = ()

    @property
    def missing(self) -> list[str]:
        return [""] + [str(v) for v in self.na_values]


CODE_INTEGER = re.compile(r"-?(0|[1-9][0-9]{0,17})")      # a whole number that reads back as the same text


def read_table(path, sheet=None, *, sep: str | None = None, decimal: str = ".", encoding: str | None = None,
               na_values=(), text_columns=()) -> pd.DataFrame:
    """Read a data file into a DataFrame, the reader chosen by the extension (``"-"`` reads CSV from stdin).

    ``sheet``: the Excel sheet (name or 0-based number; default the first).

    Text files (CSV, TSV): ``sep`` the field separator (default ``,``; tab for .tsv); ``decimal`` the decimal
    mark (``","`` for files written with European settings); ``encoding`` the text encoding (default UTF-8,
    with or without the byte-order mark Excel writes; a CSV saved by Excel on Chinese Windows is usually
    ``"gbk"`` or ``"gb18030"``).

    ``text_columns`` (CSV and Excel): identifier columns (entity, id), read as text so that codes such as
    ``001`` keep their leading zeros; a column of plain whole numbers (none with a leading zero) is still read
    as numbers, so that it merges with a numeric identifier.

    Missing values (CSV and Excel): only empty cells, plus the ``na_values`` given (e.g. ``["NA", "-"]``), so
    that a city or firm called ``NA`` or ``None`` keeps its name (pandas' default list would make it missing).

    A file the reader cannot parse (damaged, truncated, not of its extension's format, or not in the encoding)
    raises a ValueError naming the file and the format.
    """
    options = _TextOptions(sep=sep, decimal=decimal, encoding=encoding,
                           na_values=tuple([na_values] if isinstance(na_values, str) else na_values))
    fmt = file_format(path)
    if str(path) == "-":
        stream = sys.stdin if options.encoding is None else sys.stdin.buffer
        return _codes(pd.read_csv(stream, **_csv_options(fmt, options, text_columns)), text_columns)
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"input file {str(path)!r} not found")
    if p.is_dir():
        raise ValueError(f"input {str(path)!r} is a folder, not a data file")
    if fmt == "excel" and p.suffix.lower() == ".xls":
        _need("xlrd", "io", "reading .xls files")
    elif fmt == "excel":
        _need("openpyxl", "io", "reading Excel files")
        check_workbook_size(p)
    elif fmt == "parquet":
        _need("pyarrow", "io", "reading Parquet files")
    try:
        with warnings.catch_warnings(record=True) as caught:     # a damaged file's reader warnings are noise
            warnings.simplefilter("always")
            frame = _read(p, fmt, sheet, options, text_columns)
    except (ImportError, MemoryError):
        raise
    except UnicodeDecodeError as exc:
        encoding = options.encoding or "utf-8"
        raise ValueError(f"cannot read {str(path)!r} as {encoding} text ({exc.reason} at byte {exc.start}): "
                         "pass the file's encoding, e.g. --encoding gbk (or gb18030) for a CSV saved by Excel on "
                         "Chinese Windows, or encoding='gbk' in frontier.io.read_table") from None
    except Exception as exc:
        if fmt == "excel" and sheet is not None:
            _raise_if_no_such_sheet(p, sheet)
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        hint = "" if fmt in ("csv", "tsv") else \
            f": it is damaged, truncated or not {'an' if fmt == 'excel' else 'a'} {FORMAT_NAMES[fmt]} file"
        raise ValueError(f"cannot read {str(path)!r} as {FORMAT_NAMES[fmt]}{hint} ({detail[:300]})") from exc
    for w in caught:
        warnings.warn(w.message, w.category, stacklevel=2)
    if fmt == "parquet":
        frame = _text_from_bytes(frame, path)
    return frame


def _text_from_bytes(frame: pd.DataFrame, path) -> pd.DataFrame:
    """Binary columns (Parquet's ``binary``, read as Python ``bytes``) decoded as UTF-8 text, so that an id
    ``b'A'`` is the text ``A`` in every result file; a column that is not UTF-8 text is refused, naming it."""
    for col in frame.columns:
        values = frame[col]
        if values.dtype != object:
            continue
        present = values.dropna()
        if not len(present) or not present.map(lambda v: isinstance(v, (bytes, bytearray))).all():
            continue
        bad = present.index[~present.map(_is_utf8).to_numpy(dtype=bool)]
        if len(bad):
            raise ValueError(f"cannot read {str(path)!r}: column {col!r} is binary data that is not UTF-8 text "
                             f"(rows {list(bad[:5])}{' ...' if len(bad) > 5 else ''}); frontier reads text and "
                             "numbers: convert or drop the column")
        frame[col] = values.map(lambda v: v.decode("utf-8") if isinstance(v, (bytes, bytearray)) else v)
    return frame


def _is_utf8(value: bytes) -> bool:
    try:
        value.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


EXCEL_CELL_LIMIT = 32_767            # characters in one cell: Excel's own limit
EXCEL_EXPANDED_LIMIT = 1 << 30      # bytes: the most the parts of one .xlsx may expand to (1 GiB)


def check_workbook_size(path) -> None:
    """Refuse an .xlsx/.xlsm built to exhaust memory (a decompression bomb) before openpyxl reads it.

    An .xlsx is a zip archive of XML parts. Refused with a ValueError naming the file and the part: parts that
    together declare more than ``EXCEL_EXPANDED_LIMIT`` bytes uncompressed (1 GiB, about 20 million numeric
    cells: save bigger tables as CSV or Parquet), and text longer than Excel's cell limit of
    ``EXCEL_CELL_LIMIT`` characters in any XML part (a shared string, an inline string, a cell's value or any
    other element), found by streaming the parts through expat in constant memory (about a fifth of the time
    openpyxl then takes). The declared sizes bind: Python's zip reader (openpyxl's too) never yields more than a
    part declares. A file that is not a zip archive, or a part that is damaged or not well-formed, is left to
    the reader, whose error says the file is damaged.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError):
        return
    with archive:
        parts = archive.infolist()
        total = sum(part.file_size for part in parts)
        if total > EXCEL_EXPANDED_LIMIT:
            largest = max(parts, key=lambda part: part.file_size)
            raise ValueError(f"cannot read {str(path)!r}: its parts expand to {total / 2**20:,.0f} MB (the largest, "
                             f"{largest.filename}, to {largest.file_size / 2**20:,.0f} MB) from "
                             f"{sum(part.compress_size for part in parts) / 2**20:,.1f} MB; frontier reads Excel "
                             f"files up to {EXCEL_EXPANDED_LIMIT / 2**20:,.0f} MB expanded: save the data as CSV "
                             "or Parquet")
        for part in parts:
            if part.filename.lower().endswith((".xml", ".rels")):
                try:
                    _check_cell_text(archive, part, path)
                except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error,
                        expat.ExpatError):      # damaged, encrypted, unknown compression: the reader says so
                    continue


class _TextLengths:
    """expat handlers that raise when a text is longer than ``EXCEL_CELL_LIMIT`` characters: a shared string
    (``<si>``) or inline string (``<is>``) with its rich-text runs summed, else the text of any one element."""

    def __init__(self, path, part: str):
        self.path, self.part = path, part
        self.string = None          # the <si> or <is> element being summed, if any
        self.length = 0             # characters of the current string or element
        self.strings = 0            # shared strings so far (to say which one)
        self.cell = None            # the reference (B7) of the cell being read, if any

    def start(self, name, attributes):
        local = name.rsplit(" ", 1)[-1]
        if local == "c":
            self.cell = attributes.get("r")
        if self.string is None:
            self.length = 0
            if local in ("si", "is"):
                self.string = local
                self.strings += local == "si"

    def end(self, name):
        local = name.rsplit(" ", 1)[-1]
        if local == self.string:
            self.string = None
        if local == "c":
            self.cell = None

    def text(self, data):
        self.length += len(data)
        if self.length > EXCEL_CELL_LIMIT:
            where = (f"shared string {self.strings}" if self.string == "si"
                     else f"cell {self.cell}" if self.cell else "an element")
            raise ValueError(f"cannot read {str(self.path)!r}: {where} of {self.part} holds more than "
                             f"{EXCEL_CELL_LIMIT:,} characters, Excel's limit for one cell; the file is damaged or "
                             "built to exhaust memory (a decompression bomb)")


def _check_cell_text(archive, part, path) -> None:
    """Stream one XML part of a workbook through :class:`_TextLengths` (constant memory)."""
    lengths = _TextLengths(path, part.filename)
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.StartElementHandler, parser.EndElementHandler = lengths.start, lengths.end
    parser.CharacterDataHandler = lengths.text
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _csv_options(fmt: str, options: _TextOptions, text_columns) -> dict:
    return dict(sep=options.sep or ("\t" if fmt == "tsv" else ","), decimal=options.decimal,
                encoding=options.encoding or "utf-8-sig", keep_default_na=False, na_values=options.missing,
                dtype={c: str for c in text_columns})


def _codes(frame: pd.DataFrame, text_columns) -> pd.DataFrame:
    """Identifier columns read as text go back to whole numbers when every value is one written plainly (``17``,
    not ``017`` or ``17.0``): codes with leading zeros stay text, numeric identifiers stay numeric."""
    for col in text_columns:
        if col not in frame.columns:
            continue
        values = frame[col]
        present = values.dropna()
        if len(present) == len(values) and len(present) and present.map(lambda v: CODE_INTEGER.fullmatch(v) is not None).all():
            frame[col] = present.astype("int64")
    return frame


def _read(p: Path, fmt: str, sheet, options: _TextOptions, text_columns) -> pd.DataFrame:
    if fmt in ("csv", "tsv"):
        return _codes(pd.read_csv(p, **_csv_options(fmt, options, text_columns)), text_columns)
    if fmt == "excel":
        frame = pd.read_excel(p, sheet_name=0 if sheet is None else sheet, keep_default_na=False,
                              na_values=options.missing, dtype={c: str for c in text_columns})
        return _codes(frame, text_columns)    # (pandas would read the text cell 001 as the number 1)
    if fmt == "stata":
        return pd.read_stata(p)
    return pd.read_parquet(p)


def _raise_if_no_such_sheet(path: Path, sheet) -> None:
    """The clear error for a ``sheet`` the (readable) workbook does not have; nothing if the book is unreadable."""
    try:
        with pd.ExcelFile(path) as book:      # closed at once (an open workbook is a ResourceWarning in the page)
            names = book.sheet_names
    except Exception:
        return
    if sheet not in names and not (isinstance(sheet, int) and 0 <= sheet < len(names)):
        raise ValueError(f"sheet {sheet!r} not found in {str(path)!r}; sheets: {names}") from None


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


RESULT_SUFFIX = "_dea"      # a result column written beside an input column of the same name becomes <name>_dea


def put_input_data_first(export: Export, data: pd.DataFrame, table: pd.DataFrame) -> None:
    """Make ``table`` the export's table: the input ``data``'s columns followed by the results, where a result
    column whose name is also an input column's is written as ``<name>_dea`` (:data:`RESULT_SUFFIX`).

    The input columns are described as input data; every result description goes with its result column under
    the name it is written with, so that a data column called ``score`` is not labelled as the efficiency score
    (in Stata's variable labels and the specification sheet) while the result's ``score_dea`` goes unlabelled.
    Identifying columns the results were merged on keep the results' description.
    """
    written = {col: f"{col}{RESULT_SUFFIX}" if col in data.columns and f"{col}{RESULT_SUFFIX}" in table.columns
               else col for col in export.descriptions}
    described = {col: "input data" for col in data.columns}
    described.update({written[col]: text for col, text in export.descriptions.items()})
    export.table = table
    export.descriptions = {col: described[col] for col in table.columns if col in described}


def format_value(value) -> str:
    """A specification value as written in a file: lists space-separated, dicts as ``key=value`` pairs."""
    if isinstance(value, (list, tuple)):
        return " ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " ".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def header_rows(extra: dict | None) -> list:
    """The rows that open every exported specification: the software and version, when the file was made, and
    the caller's ``extra`` rows (the command line adds the command as typed and the data file)."""
    rows = [("software", f"frontier {__version__} (Python)"),
            ("created", _dt.datetime.now().replace(microsecond=0).isoformat(sep=" "))]
    for key, value in (extra or {}).items():
        rows.append((key, format_value(value)))
    return rows


def status_counts(status: pd.Series) -> str:
    """``"optimal: 40, infeasible: 2"``: how many LPs ended in each status."""
    return ", ".join(f"{k}: {v}" for k, v in status.value_counts().items())


ROW_POSITION = "row"
ROW_POSITION_LABEL = ("row number in the input data (1 = first row), not an identifier: pass id= (command "
                      "line: --id) to write the identifying columns")


def index_to_columns(frame: pd.DataFrame, has_ids: bool = False) -> pd.DataFrame:
    """Turn the row index into leading columns (unnamed levels become ``dmu``); an index level that is also a
    column with the same values (the ``period`` column of a panel indexed by (entity, period)) appears once.

    With id columns (``has_ids``) an unnamed index (0, 1, 2..., or what is left of it after filtering or
    shuffling rows) is left out: the ids identify the rows. Without them a default index becomes the column
    ``row``, the 1-based row number in the input data, and another unnamed index the column ``dmu``."""
    out = frame.copy()
    names = list(out.index.names)
    if len(names) == 1 and names[0] is None and has_ids:
        return out.reset_index(drop=True)
    if len(names) == 1 and names[0] is None:
        if isinstance(out.index, pd.RangeIndex):
            names = [ROW_POSITION]
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


# ----------------------------------------------------------------------------------------------------
# writers
# ----------------------------------------------------------------------------------------------------

def _stata_character(ch: str) -> bool:
    """Whether Stata 14+ accepts ``ch`` in a variable name: ASCII letters, digits and ``_``, and Unicode letters
    (with their combining marks) beyond Latin-1's symbols (pandas' format-118 writer replaces code points below
    192 and the signs x and / with ``_``, so those are not kept here either)."""
    if ch.isascii():
        return ch.isalnum() or ch == "_"
    return ord(ch) >= 192 and ch not in "\u00d7\u00f7" and unicodedata.category(ch)[0] in "LM"


def stata_names(columns) -> dict:
    """Valid, unique Stata variable names for ``columns`` (Stata 14+, the format-118 files written here).

    A Stata name is 1 to 32 characters: letters (ASCII or any Unicode letter, so 城市, 年份, 二氧化硫 and Ümlaut
    are valid as they are), digits and ``_``, not starting with a digit, not a reserved word. Names that are
    already valid are kept; in the others each run of characters Stata cannot hold (spaces, punctuation,
    symbols) becomes one ``_``, a leading digit gets a ``v``, reserved words a trailing ``_``, names are cut to
    32 characters, and clashes (compared without case) get a suffix ``_2``, ``_3``..."""
    def candidate(col) -> str:
        text = unicodedata.normalize("NFC", str(col).strip())
        name = text
        if not all(_stata_character(ch) for ch in text):
            name = "_".join("".join(ch if _stata_character(ch) else " " for ch in text).split())
        if not name or not (name[0].isalpha() or name[0] == "_"):
            name = "v" + name
        if name in STATA_RESERVED or re.fullmatch(r"str[0-9]+", name):
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


def check_output(path, fmt: str | None = None, what: str = "output") -> str:
    """Check that ``path`` can be written, before any long computation; returns its format.

    Raises a clear error when the format is unknown (or the old ``.xls``), the writer's optional package is
    missing, the folder does not exist or cannot be written to, or ``path`` is a folder or a read-only file.
    ``"-"`` (standard output) is always fine.
    """
    if str(path) == "-":
        return "csv"
    fmt = fmt or file_format(path)
    p = Path(path)
    if fmt == "excel" and p.suffix.lower() == ".xls":
        raise ValueError(f"cannot write the old .xls format ({str(path)!r}); save as .xlsx")
    if fmt == "excel":
        _need("openpyxl", "io", "writing Excel files")
    elif fmt == "parquet":
        _need("pyarrow", "io", "writing Parquet files")
    check_writable(p, what)
    return fmt


def check_writable(path, what: str = "output") -> None:
    """Check that a file can be created at ``path``: its folder exists and accepts a new file (tried with a
    probe file, which also catches read-only file systems), its name fits the file system's limit, and ``path``
    is not a folder or a read-only file."""
    p = Path(path)
    folder = p.parent
    _check_name_length(p, what)
    if p.is_dir():
        raise ValueError(f"{what} {str(path)!r} is a folder; give a file name")
    if not folder.exists():
        raise FileNotFoundError(f"{what} folder {str(folder)!r} does not exist")
    if not folder.is_dir():
        raise NotADirectoryError(f"{what} {str(path)!r}: {str(folder)!r} is not a folder")
    if p.exists() and not os.access(p, os.W_OK):
        raise PermissionError(f"{what} file {str(path)!r} is read-only")
    probe = _temporary_name(p)
    try:
        os.close(os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except OSError as exc:
        raise PermissionError(f"cannot write to the {what} folder {str(folder)!r}: {exc.strerror}") from None
    probe.unlink()


def _check_name_length(path: Path, what: str) -> None:
    """Raise when the file name is longer (in bytes, as the file system counts) than its folder allows."""
    try:
        limit = os.pathconf(path.parent, "PC_NAME_MAX")
    except (AttributeError, OSError, ValueError):         # no pathconf (Windows) or no limit reported
        return
    size = len(os.fsencode(path.name))
    if limit > 0 and size > limit:
        raise ValueError(f"{what} file name {path.name!r} is {size} bytes long (as the file system stores it); "
                         f"the folder {str(path.parent)!r} allows at most {limit}: give a shorter name")


def _temporary_name(target: Path) -> Path:
    """A hidden, unused, short name beside ``target`` (``.~frontier-<8 hex digits>.tmp<extension>``, so that a
    target name up to the file system's limit still has room for it), with the target's extension when that is
    short (writers such as matplotlib read it)."""
    suffix = target.suffix if len(os.fsencode(target.suffix)) <= 16 else ""
    return target.with_name(f".~frontier-{secrets.token_hex(4)}.tmp{suffix}")


def _umask() -> int:
    """The process's file-creation mask (read from /proc where it is, else set and restored at once)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _write_error(path, exc: OSError) -> OSError:
    """``exc`` (same class and errno) with a message that names the file and the cause: ``cannot write
    'scores.xlsx': No space left on device``, not a bare ``[Errno 28]`` from deep inside a writer."""
    cause = os.strerror(exc.errno) if exc.errno else (str(exc) or type(exc).__name__)
    message = f"cannot write {str(path)!r}: {cause} (nothing was written; an existing file is left as it was)"
    try:
        error = type(exc)(message)
    except TypeError:                                   # a subclass with a constructor of its own
        error = OSError(message)
    error.errno = exc.errno
    return error


@contextmanager
def atomic_write(path):
    """Yield a temporary path beside ``path``; when the block succeeds it replaces ``path`` (``os.replace``,
    atomic on one file system), when it fails it is removed and an existing ``path`` is left untouched.

    The temporary file can be read by its owner only (0o600) while it is written; the finished file gets an
    existing file's permissions, or those of any new file (0o666 less the umask). A symbolic link is followed
    (its target is replaced). An ``OSError`` of the writer or the file system (a full disk, a quota) is raised
    again naming the file and the cause (:func:`_write_error`).
    """
    target = Path(os.path.realpath(path)) if Path(path).is_symlink() else Path(path)
    tmp = _temporary_name(target)
    try:
        os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        try:
            yield tmp
            with open(tmp, "rb+") as fh:                 # on disk before it takes the target's name
                os.fsync(fh.fileno())
            mode = stat.S_IMODE(target.stat().st_mode) if target.exists() else 0o666 & ~_umask()
            os.chmod(tmp, mode)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
    except OSError as exc:
        raise _write_error(path, exc) from exc


def write_table(frame: pd.DataFrame, path, *, export: Export | None = None, fmt: str | None = None,
                bom: bool = True) -> Path | None:
    """Write ``frame`` (or ``export.table``) to ``path`` in the format of its extension (or ``fmt``).

    With an :class:`Export`, Excel files get its extra tables as sheets and a ``specification`` sheet, Stata
    files variable labels and notes, Parquet files the specification in their metadata. The file is written
    whole or not at all (:func:`atomic_write`); an existing file survives a failing write unchanged.

    A ``frame`` whose index is named (``pr.period_means(by="region", data=panel)``, indexed by region and year)
    has its index written as its leading columns, so no identifying column is lost. CSV and tab-separated files
    start with the UTF-8 byte-order mark unless ``bom=False`` (see the module's docstring).
    """
    if export is None:
        named = any(name is not None for name in frame.index.names)
        export = Export(table=frame.reset_index() if named else frame)
    fmt = check_output(path, fmt)
    if str(path) == "-":
        notes = _csv_formula_notes(export.table)
        if notes:
            warnings.warn("standard output: " + "; ".join(notes), UserWarning, stacklevel=2)
        export.table.to_csv(sys.stdout, index=False, lineterminator=_csv_line_end(export.table))
        return None
    p = Path(path)
    notes: list[str] = []
    with atomic_write(p) as tmp:
        if fmt in ("csv", "tsv"):
            notes = _csv_formula_notes(export.table)
            export.table.to_csv(tmp, index=False, sep="\t" if fmt == "tsv" else ",",
                                lineterminator=_csv_line_end(export.table), encoding="utf-8-sig" if bom else "utf-8")
        elif fmt == "excel":
            notes = _write_excel(export, tmp)
        elif fmt == "stata":
            notes = _write_stata(export, tmp)
        elif fmt == "parquet":
            table = export.table.copy()
            table.attrs = {"frontier": {"title": export.title,
                                        "specification": [list(r) for r in export.specification],
                                        "columns": export.descriptions}}
            table.to_parquet(tmp, index=False)
        else:  # pragma: no cover - file_format guards this
            raise ValueError(f"unknown format {fmt!r}")
    if notes:
        warnings.warn(f"{str(path)}: " + "; ".join(notes), UserWarning, stacklevel=2)
    return p


def write_result(result, path, *, fmt: str | None = None, extra: dict | None = None, bom: bool = True,
                 **options) -> Path | None:
    """Write any result (table, specification, labels) to ``path``: what it writes is ``result.export(extra=extra,
    **options)`` (an :class:`Export`; every result type in :mod:`frontier.results` has one), the format is the
    extension's (or ``fmt``); ``bom`` as in :func:`write_table`. The destination is checked before the export is
    built."""
    check_output(path, fmt)
    export = result.export(extra=extra, **options)
    return write_table(export.table, path, export=export, fmt=fmt, bom=bom)


def _excel_sheet_name(name: str, used: set) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", name)[:31] or "sheet"
    base, k = name, 1
    while name in used:
        k += 1
        name = f"{base[:28]}_{k}"
    used.add(name)
    return name


def _write_excel(export: Export, path: Path) -> list[str]:
    """Write the sheets; returns notes on what had to be changed for Excel (control characters, time zones).

    Text that starts like a formula is written as text (an inline string with Excel's quote prefix), never as
    a formula, in every sheet and header: a result file must not run its data when opened.

    The workbook (a zip archive) is built in memory and then written to ``path`` in one piece: a file system
    error (a full disk) is then one clear error, not a half-written archive that fails again when it is
    garbage-collected.
    """
    _need("openpyxl", "io", "writing Excel files")
    used: set = set()
    notes: list[str] = []
    spec_rows = [("frontier", export.title)] + list(export.specification)
    spec, _ = _excel_ready(pd.DataFrame(spec_rows, columns=["setting", "value"]), SPEC_SHEET, notes)
    cols, _ = _excel_ready(pd.DataFrame(list(export.descriptions.items()), columns=["column", "description"]),
                           SPEC_SHEET, notes)
    workbook = BytesIO()
    with pd.ExcelWriter(workbook, engine="openpyxl") as xw:
        sheets = [(export.name, export.table)] + list(export.extra_tables.items())
        written = []
        for name, table in sheets:
            sheet = _excel_sheet_name(name, used)
            table, text_columns = _excel_ready(table, sheet, notes)
            table.to_excel(xw, sheet_name=sheet, index=False)
            written.append((sheet, table, text_columns))
        sheet = None
        if export.specification or export.descriptions:      # plain tables get no specification sheet
            sheet = _excel_sheet_name(SPEC_SHEET, used)
            spec.to_excel(xw, sheet_name=sheet, index=False)
            if len(cols):
                cols.to_excel(xw, sheet_name=sheet, index=False, startrow=len(spec) + 2)
        book = xw.book
        for name, table, text_columns in written:
            ws = book[name]
            ws.freeze_panes = "A2"
            for i, col in enumerate(table.columns, start=1):
                width = max(len(str(col)), 10) + 2
                ws.column_dimensions[_col_letter(i)].width = min(width, 40)
            _cells_as_text(ws[1])                                          # the header row
            for i in text_columns:
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    _cells_as_text([cell])
        if sheet is not None:
            ws = book[sheet]
            ws.column_dimensions["A"].width = 26
            ws.column_dimensions["B"].width = 100
            for row in ws.iter_rows():
                _cells_as_text(row)
    Path(path).write_bytes(workbook.getbuffer())
    return notes


def _formula_like(value) -> bool:
    """Text a spreadsheet would take for a formula (OWASP: it starts with =, +, -, @, tab or carriage return)."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def _cells_as_text(cells) -> None:
    """Formula-like text cells become plain text: type ``s`` (openpyxl typed them ``f``) and Excel's quote
    prefix, so that Excel shows the text and keeps it as text when the cell is edited."""
    for cell in cells:
        if _formula_like(cell.value):
            cell.data_type = "s"
            cell.quotePrefix = True


def _is_text_column(values: pd.Series) -> bool:
    return not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_datetime64_any_dtype(values))


def _naive_utc(value):
    return pd.Timestamp(value).tz_convert("UTC").tz_localize(None)


def _excel_ready(table: pd.DataFrame, sheet: str, notes: list) -> tuple[pd.DataFrame, list[int]]:
    """``table`` as Excel can hold it, and the 1-based positions of its text columns.

    Excel has no time zones and no control characters (openpyxl refuses both): timezone-aware times are written
    as UTC without a zone, and control characters as visible ``\\xNN`` escapes; each change is described in
    ``notes`` (sheet, column, rows). The caller's table is not modified.
    """
    out = table.copy()
    renamed = {c: _escape_illegal(c) for c in out.columns if isinstance(c, str) and EXCEL_ILLEGAL.search(c)}
    if renamed:
        out = out.rename(columns=renamed)
        notes.append(f"sheet {sheet!r}: control characters in column names {list(renamed)} written as \\xNN "
                     "escapes (Excel cannot hold them)")
    text_columns = []
    for i, col in enumerate(out.columns, start=1):
        values = out[col]
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            out[col] = values.dt.tz_convert("UTC").dt.tz_localize(None)
            notes.append(f"sheet {sheet!r}, column {col!r}: timezone-aware times written in UTC without a "
                         f"time zone (Excel has none; was {values.dt.tz})")
            continue
        if not _is_text_column(values):
            continue
        text_columns.append(i)
        values = values.astype(object)
        aware = values.map(lambda v: isinstance(v, _dt.datetime) and v.tzinfo is not None)
        illegal = values.map(lambda v: isinstance(v, str) and EXCEL_ILLEGAL.search(v) is not None)
        if aware.any():
            values = values.where(~aware, values[aware].map(_naive_utc))
            notes.append(f"sheet {sheet!r}, column {col!r}, {format_rows(aware)}: timezone-aware times written in UTC "
                         "without a time zone (Excel has none)")
        if illegal.any():
            values = values.where(~illegal, values[illegal].map(_escape_illegal))
            notes.append(f"sheet {sheet!r}, column {col!r}, {format_rows(illegal)}: control characters written as "
                         "\\xNN escapes (Excel cannot hold them)")
        if aware.any() or illegal.any():
            out[col] = values
    return out, text_columns


def _escape_illegal(text: str) -> str:
    return EXCEL_ILLEGAL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def _csv_line_end(table: pd.DataFrame) -> str | None:
    """``"\\r\\n"`` when some text holds a carriage return, so that the CSV writer quotes it (it quotes only the
    characters of its line end, and a bare CR splits the row when read back); else the platform's default."""
    texts = [c for c in table.columns if isinstance(c, str)]
    for col in table.columns:
        if _is_text_column(table[col]):
            texts.extend(v for v in table[col].astype(object) if isinstance(v, str))
    return "\r\n" if any("\r" in t for t in texts) else None


def _csv_formula_notes(table: pd.DataFrame) -> list[str]:
    """One note when labels or column names start like a spreadsheet formula: CSV keeps the data as it is (Stata
    and pandas read it back unchanged), so the user is told that a spreadsheet may run them."""
    found = []
    names = [c for c in table.columns if _formula_like(c)]
    if names:
        found.append(f"column names {names[:5]}")
    for col in table.columns:
        if _is_text_column(table[col]):
            mask = table[col].astype(object).map(_formula_like)
            if mask.any():
                found.append(f"column {col!r} {format_rows(mask)} (e.g. {table[col][mask].iloc[0]!r})")
    if not found:
        return []
    return ["text beginning with =, +, -, @, tab or carriage return in " + ", ".join(found[:5])
            + ("..." if len(found) > 5 else "") + " is written as it is; a spreadsheet program opening this CSV "
            "may run it as a formula (import it as text, or write .xlsx, where frontier writes it as text)"]


def _col_letter(i: int) -> str:
    s = ""
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def _clip_label(text: str, limit: int = 80) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _stata_ready(table: pd.DataFrame, notes: list) -> tuple[pd.DataFrame, dict, dict]:
    """Stata names, booleans as 0/1 (missing where a nullable flag is), times as ``%tc`` (timezone-aware ones in
    UTC, said in ``notes``: Stata has no time zones) and other non-numeric columns as strings."""
    names = stata_names(table.columns)
    out = table.rename(columns=names)
    convert = {}
    for col in out.columns:
        s = out[col]
        if pd.api.types.is_bool_dtype(s):
            out[col] = s.astype("Int8")          # nullable: a missing flag (pandas' "boolean" NA) stays missing
        elif pd.api.types.is_datetime64_any_dtype(s):
            if isinstance(s.dtype, pd.DatetimeTZDtype):
                out[col] = s.dt.tz_convert("UTC").dt.tz_localize(None)
                notes.append(f"column {col!r}: timezone-aware times written in UTC without a time zone (Stata has "
                             f"none; was {s.dt.tz})")
            convert[col] = "tc"
        elif not pd.api.types.is_numeric_dtype(s):
            out[col] = s.astype(object).where(s.notna(), "").astype(str)
    return out, names, convert


def _write_stata(export: Export, path: Path) -> list[str]:
    """Write the table with variable labels, a data label and the specification as notes; returns notes on what
    had to be changed for Stata (time zones)."""
    notes_for_user: list[str] = []
    table, names, convert = _stata_ready(export.table, notes_for_user)
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
    writer = NotesWriter(path, table, write_index=False, version=118, data_label=_clip_label(export.title),
                          variable_labels=labels, convert_dates=convert or None, notes=notes)
    writer.write_file()
    return notes_for_user


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


__all__ = ["EXTENSIONS", "Export", "atomic_write", "check_output", "check_writable", "file_format", "header_rows",
           "index_to_columns", "put_input_data_first", "read_specification", "read_table", "stata_names", "stata_notes",
           "status_counts", "write_result", "write_table"]
