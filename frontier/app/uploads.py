"""The page's files: the temporary folder of uploads and downloads (removed at exit), reading an upload with the
package's readers (:func:`frontier.io.read_table`), and the preview of each column with the problems the
analyses would refuse, in the API's own words (:func:`frontier.data.validate_frame`, :func:`frontier.data.zero_error`).
"""
from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import uuid
from pathlib import Path

import numpy as np
import pandas as pd

from ..data import validate_frame, zero_error
from ..io import read_table
from ..cli import APP_TEMP_DIR_VAR

#: the extensions the uploader takes (those :func:`frontier.io.read_table` reads)
EXTENSIONS = ("csv", "tsv", "txt", "xlsx", "xls", "dta", "parquet")
_ROOT: list = []


def temp_root() -> Path:
    """The folder of this server's uploads and downloads: the one ``frontier app`` made (and removes when the page
    stops), else one of our own, removed at exit."""
    if not _ROOT:
        given = os.environ.get(APP_TEMP_DIR_VAR)
        if given and Path(given).is_dir():
            _ROOT.append(Path(given))
        else:
            folder = Path(tempfile.mkdtemp(prefix="frontier-app-"))
            atexit.register(shutil.rmtree, folder, ignore_errors=True)
            _ROOT.append(folder)
    return _ROOT[0]


def session_folder() -> Path:
    """A new folder for one browser session's files."""
    folder = temp_root() / uuid.uuid4().hex
    folder.mkdir(parents=True)
    return folder


def save_upload(folder: Path, name: str, content: bytes) -> Path:
    """The uploaded bytes as a file of the session's folder (its name's extension kept: the reader goes by it)."""
    safe = Path(name).name or "data.csv"
    path = folder / "uploads" / safe
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    return path


def sheets(path: Path) -> list:
    """An Excel file's sheet names (None for other formats). The book is closed at once: the page asks on every
    rerun, and an unclosed file's ResourceWarning would otherwise show among a result's warnings."""
    if path.suffix.lower() not in (".xlsx", ".xls"):
        return None
    with pd.ExcelFile(path) as book:
        return list(book.sheet_names)


def read(path: Path, sheet=None, text_columns=()) -> pd.DataFrame:
    return read_table(path, sheet=sheet, text_columns=list(text_columns))


def column_problem(frame: pd.DataFrame, column: str) -> str:
    """What an analysis would refuse in ``column`` as a variable, in the API's words ("" when nothing): not
    numeric, NaN or infinite values, negative values, and zeros where the SBM score divides."""
    probe = pd.DataFrame({column: frame[column].to_numpy(), " ": np.ones(len(frame))}, index=frame.index)
    try:
        dea = validate_frame(probe, [column], [" "])
    except ValueError as exc:
        return str(exc)
    try:
        zero_error([column], dea.X, frame.index, "sbm")
    except ValueError as exc:
        return str(exc)
    return ""


def preview(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per column: its type, missing, negative and zero counts, and the problem the API would name."""
    rows = []
    for column in frame.columns:
        values = pd.to_numeric(frame[column], errors="coerce") if frame[column].dtype != bool else frame[column]
        numeric = pd.api.types.is_numeric_dtype(frame[column]) and frame[column].dtype != bool
        rows.append({"column": str(column), "type": str(frame[column].dtype),
                     "missing": int(frame[column].isna().sum()),
                     "negative": int((values < 0).sum()) if numeric else None,
                     "zero": int((values == 0).sum()) if numeric else None,
                     "problem": column_problem(frame, column) if numeric else ""})
    return pd.DataFrame(rows)


def check_roles(frame: pd.DataFrame, values: dict) -> str:
    """The API's refusal of the chosen variables ("" when none): missing values, negative values, a column in two
    roles, too few rows."""
    inputs, outputs = values.get("inputs") or [], values.get("outputs") or []
    if not inputs or not outputs:
        return ""
    try:
        validate_frame(frame.reset_index(drop=True), inputs, outputs, values.get("bad_outputs") or [])
    except ValueError as exc:
        return str(exc)
    return ""
