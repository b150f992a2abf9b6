"""Input validation and the internal numeric view of a DEA data set.

Every public entry point passes the user's DataFrame through :func:`validate_frame`, which raises a
``ValueError`` naming the offending column and rows, and returns a :class:`DEAData`: read-only float
arrays copied out of the frame. The user's DataFrame is never modified.
"""
from __future__ import annotations

import decimal
import numbers
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import pandas as pd

from ._text import format_labels
from .options import ZERO_POLICIES


def as_column_list(value, role: str) -> list[str]:
    """Normalise a column argument (None, a name, or a list of names) to a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    try:
        out = list(value)
    except TypeError:
        raise ValueError(f"{role} must be a column name or a list of column names, got {value!r}") from None
    return out


@dataclass(frozen=True)
class DEAData:
    """Numeric view of the variables of a DEA problem (n DMUs).

    ``X`` (n x m) inputs, ``Y`` (n x s1) desirable outputs, ``B`` (n x s2) undesirable outputs.
    Arrays are read-only copies; ``labels`` is the DMU index of the user's frame.
    """

    labels: pd.Index
    X: np.ndarray
    Y: np.ndarray
    B: np.ndarray
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    bad_outputs: tuple[str, ...]

    @property
    def n(self) -> int:
        return self.X.shape[0]

    @property
    def variables(self) -> tuple[str, ...]:
        return self.inputs + self.outputs + self.bad_outputs

    @property
    def matrix(self) -> np.ndarray:
        """All variables side by side, n x (m + s1 + s2), in the order inputs, outputs, bad outputs."""
        return np.hstack([self.X, self.Y, self.B])


def validate_frame(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    other_columns: Sequence[str] = (),
    min_dmus: int = 2,
) -> DEAData:
    """Check a DataFrame for DEA and return its numeric view.

    Raises ``ValueError`` (naming columns and rows) for: a non-DataFrame, no inputs or no outputs, missing
    columns, a column given in two roles, non-numeric columns (text, flags, complex numbers:
    :func:`numeric_values`), NaN or infinite values, negative values,
    duplicate index labels and fewer than ``min_dmus`` rows.
    """
    if not isinstance(data, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(data).__name__}")
    inputs = as_column_list(inputs, "inputs")
    outputs = as_column_list(outputs, "outputs")
    bad_outputs = as_column_list(bad_outputs, "bad_outputs")
    if not inputs:
        raise ValueError("no inputs given: pass at least one input column, e.g. inputs=['K', 'L']")
    if not outputs:
        raise ValueError("no outputs given: pass at least one desirable output column, e.g. outputs=['Y']")

    roles: dict[str, str] = {}
    for role, cols in (("inputs", inputs), ("outputs", outputs), ("bad_outputs", bad_outputs),
                       ("other", list(other_columns))):
        for col in cols:
            if col in roles:
                where = "twice in " + role if roles[col] == role else f"in both {roles[col]} and {role}"
                raise ValueError(f"column {col!r} is given {where}; each column can play one role only")
            roles[col] = role
    missing = [c for c in roles if c not in data.columns]
    if missing:
        raise ValueError(f"column(s) {missing} not found in data; available columns: {list(data.columns)}")
    check_unique_columns(data, list(roles))
    if len(data) < min_dmus:
        raise ValueError(f"DEA needs at least {min_dmus} DMUs (rows); data has {len(data)}")
    dup = data.index[data.index.duplicated(keep=False)]
    if len(dup):
        raise ValueError(f"duplicate DMU labels in the index: {format_labels(pd.unique(dup))}; "
                         "each row must be one DMU: a panel needs the period in the index too (e.g. "
                         "data.set_index(['city', 'year'])), or keep a default index and name the identifying "
                         "columns with id= (efficiency(data.reset_index(), ..., id=['city', 'year']))")

    variables = inputs + outputs + bad_outputs
    arrays = []
    for col in variables:
        values = numeric_values(data[col], col)
        nan = ~np.isfinite(values)
        if nan.any():
            kind = "NaN" if np.isnan(values[nan]).all() else "NaN or infinite"
            raise ValueError(f"column {col!r} has {kind} values in rows {format_labels(data.index[nan])}; "
                             "drop or impute them before DEA")
        neg = values < 0
        if neg.any():
            raise ValueError(f"column {col!r} has negative values in rows {format_labels(data.index[neg])}; "
                             "DEA needs non-negative data (translate the variable first if that is intended)")
        arrays.append(values)

    def block(k0, k1):
        arr = np.column_stack(arrays[k0:k1]) if k1 > k0 else np.zeros((len(data), 0))
        arr = np.ascontiguousarray(arr, dtype=float)
        arr.setflags(write=False)
        return arr

    m, s1 = len(inputs), len(outputs)
    return DEAData(
        labels=data.index.copy(),
        X=block(0, m),
        Y=block(m, m + s1),
        B=block(m + s1, len(variables)),
        inputs=tuple(inputs),
        outputs=tuple(outputs),
        bad_outputs=tuple(bad_outputs),
    )


def _is_real_number(value) -> bool:
    """A real number (Python, NumPy or ``Decimal``); not a flag, not text, not a complex number."""
    return (isinstance(value, (numbers.Real, decimal.Decimal))
            and not isinstance(value, (bool, np.bool_)))


def numeric_values(series: pd.Series, col) -> np.ndarray:
    """The values of the variable ``col`` as floats (missing values as NaN), or a ValueError saying why not.

    Numeric dtypes are taken as they are; a column of Python objects (``object`` dtype, e.g. after
    ``df.loc[...] = None`` or from a database driver: ints, floats, ``Decimal``) is accepted when every value
    present is a real number. Refused, naming the rows: text (also text that reads as a number, ``"1.5"``, which
    only ``pd.to_numeric`` should convert), True/False and complex numbers (complex dtype too: casting would
    drop the imaginary part).
    """
    dtype = series.dtype
    if pd.api.types.is_complex_dtype(dtype):
        raise ValueError(f"column {col!r} holds complex numbers (dtype {dtype}); DEA needs real numbers (take "
                         f"the real part, df[{col!r}] = df[{col!r}].to_numpy().real, if that is what it means)")
    if pd.api.types.is_bool_dtype(dtype):
        raise ValueError(f"column {col!r} is not numeric (dtype {dtype}): it holds True/False flags, not "
                         "quantities")
    if pd.api.types.is_numeric_dtype(dtype):
        return series.to_numpy(dtype=float, na_value=np.nan)
    values = series.astype(object)
    present = values.notna().to_numpy()
    real = values.map(_is_real_number).to_numpy()
    if (real | ~present).all():
        return np.array([float(v) if ok else np.nan for v, ok in zip(values, real)], dtype=float)
    text = values.map(lambda v: isinstance(v, str)).to_numpy()
    flag = values.map(lambda v: isinstance(v, (bool, np.bool_))).to_numpy()
    complex_ = values.map(lambda v: isinstance(v, numbers.Complex)).to_numpy() & ~real & ~flag
    other = present & ~(real | text | flag | complex_)
    found = [f"{kind} in rows {format_labels(series.index[rows])} (e.g. {values[rows].iloc[0]!r}"
             + (f", {type(values[rows].iloc[0]).__name__})" if kind == "other values" else ")")
             for kind, rows in (("text", text), ("True/False", flag), ("complex numbers", complex_),
                                ("other values", other)) if rows.any()]
    hint = (f"; text that reads as numbers can be converted with df[{col!r}] = pd.to_numeric(df[{col!r}])"
            if pd.to_numeric(values[text], errors="coerce").notna().any() else "")
    raise ValueError(f"column {col!r} is not numeric (dtype {dtype}): {'; '.join(found)}{hint}")


def check_unique_columns(data: pd.DataFrame, names: Sequence) -> None:
    """Raise if a column the analysis uses appears more than once in ``data`` (``data[name]`` would be a
    DataFrame, not one variable)."""
    counts = pd.Series(list(data.columns)).value_counts()
    twice = [c for c in dict.fromkeys(names) if counts.get(c, 0) > 1]
    if twice:
        raise ValueError(f"column name(s) {twice} appear more than once in data "
                         f"({', '.join(f'{c!r}: {int(counts[c])} columns' for c in twice)}); rename or drop the "
                         "duplicates, e.g. data.loc[:, ~data.columns.duplicated()]")


def check_engine_options(n_jobs, chunk_size) -> None:
    """Raise for engine options of the wrong type or range (before any LP is solved)."""
    if isinstance(n_jobs, (bool, np.bool_)) or not isinstance(n_jobs, (int, np.integer)) or n_jobs == 0:
        raise ValueError(f"n_jobs must be a non-zero whole number (1 = no parallelism, -1 = all cores), "
                         f"got {n_jobs!r} ({type(n_jobs).__name__})")
    if chunk_size is not None and (isinstance(chunk_size, (bool, np.bool_))
                                   or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1):
        raise ValueError(f"chunk_size must be a whole number >= 1 (DMUs per parallel task) or None (the "
                         f"default), got {chunk_size!r} ({type(chunk_size).__name__})")


def check_flag(value, name: str) -> bool:
    """``value`` as a bool; only True/False (Python or NumPy) are accepted, so ``"no"`` is not read as True."""
    if not isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be True or False, got {value!r} ({type(value).__name__})")
    return bool(value)


def option_value(value):
    """An option's value as compared: strings lower-cased (``rts="VRS"``, ``index="GML"``, gtfpch's ``ort(O)``
    habits all work), anything else unchanged so the check that follows names it."""
    return value.lower() if isinstance(value, str) else value


def check_zero_policy(zeros: str) -> str:
    """The zero-data policy, lower-cased; a ValueError names the allowed values."""
    zeros = option_value(zeros)
    if zeros not in ZERO_POLICIES:
        raise ValueError(f"zeros must be one of {ZERO_POLICIES}, got {zeros!r}")
    return zeros


def zero_error(names: Sequence[str], values: np.ndarray, labels: pd.Index, model: str) -> None:
    """Raise the standard error for zeros in columns that ``model`` divides by (values: n x len(names))."""
    for k, col in enumerate(names):
        zero = values[:, k] == 0
        if zero.any():
            raise ValueError(
                f"column {col!r} has zero values in rows {format_labels(labels[zero])}, and {model} divides by it. "
                "Pass zeros='small_positive' (Tone 2001: replace by 1/100 of the column's smallest positive "
                "value) or zeros='drop_term' (leave that term out of the score's average)."
            )
