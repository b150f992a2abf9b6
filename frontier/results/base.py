"""What every result type shares: the :class:`Specification` it carries, its :class:`Summary`, the
:class:`Reportable` protocol the reporting layer relies on, and :class:`FileExports`, the one mixin that writes
any result to a file and draws its figures.

A result type (one module each in :mod:`frontier.results`) owns its table (``to_frame``), its summary, the rows
of its export (``export(extra=None, **options) -> frontier.io.Export``) and its figures (``PLOTS``, kind ->
drawer, the first the default). :mod:`frontier.io` writes the export in any format without knowing the type;
:mod:`frontier.plots` names the drawers. Nothing here or in :mod:`frontier.io` switches on a result's type.
"""
from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from html import escape
from typing import ClassVar, Protocol

import numpy as np
import pandas as pd

from .. import io
from .._text import geo_mean
from ..models import family as model_family


@dataclass(frozen=True)
class ModelSettings:
    """The part of a :class:`Specification` every analysis of a model shares: the model, its options, the
    parameters it settled, the variables and the model's description (built once, by
    :func:`frontier.analyses._pipeline.spec_of`)."""

    model: str
    orientation: str | None
    rts: str
    super_efficiency: bool
    bad_disposability: str | None
    direction: str | None
    weights: dict | None
    zeros: str
    inputs: tuple
    outputs: tuple
    bad_outputs: tuple
    description: str = ""
    model_options: dict | None = None   # the family's own options as declared (EBM: epsilon)
    parameters: dict | None = None      # model parameters declared or calibrated (EBM: epsilon, weights)


#: each analysis's own settings (the extras of a :class:`Specification`) with their value where an analysis has
#: none, in the order the mapping lists them
EXTRAS = {
    "period": None, "technology": None, "window": None,
    "reference": None,                  # efficiency(): "all rows" or "k rows"
    "id": (),                           # the identifying columns written with the results
    # productivity indices
    "index": None,                      # "malmquist", "luenberger", "hicks_moorsteen" or "lhm"
    "alias": None,                      # the name the user asked for: "gml", "ml", "sml", ...
    "form": None,                       # "ratio" or "difference"
    "components": (),                   # e.g. ("index", "ec", "tc") or with ("pec", "sec")
    "decomposition": None, "adjacency": None, "base": None,
    "entity": None, "n_observations": None, "n_entities": None, "n_periods": None,
    # metafrontiers (and the metafrontier productivity index)
    "group": None,                      # the column naming each DMU's group
    "meta": None,                       # "pooled" or "union" (metafrontier efficiency)
    "texts": None,                      # how reports name the index (results.productivity.IndexTexts, from INDICES)
    "network": None,                    # network DEA: {"nodes": (...), "stages": ((...), ...), "measures": (...)}
}
_SETTINGS = tuple(f.name for f in fields(ModelSettings))
_LISTED = ("inputs", "outputs", "bad_outputs", "id")       # read back as lists through the mapping


@dataclass(frozen=True)
class Call:
    """A public call as it was made (``@public`` records it; :mod:`frontier.analyses._pipeline`): the function's
    name and its arguments in the signature's order, the data and every argument left at its default left out.
    ``str(call)`` is the ``frontier.<function>(data, ...)`` line that reproduces the result."""

    function: str
    arguments: tuple = ()               # ((name, value), ...); values plain Python (or a placeholder)

    def __str__(self) -> str:
        return f"frontier.{self.function}(" + ", ".join(["data"] + [f"{k}={v!r}" for k, v in self.arguments]) + ")"

    def get(self, name, default=None):
        return dict(self.arguments).get(name, default)


@dataclass(frozen=True, init=False)
class Specification(Mapping):
    """What was computed, frozen: the model part (:class:`ModelSettings`), the recorded call (:class:`Call`) and
    the analysis's own extras (:data:`EXTRAS`: the periods' technology, the index, the group...).

    Read by summaries, exports and plots. It reads like one flat dict (``spec["rts"]``, ``spec.get("window")``,
    ``dict(spec)``, attributes ``spec.rts``, ``spec.window``) over the model part and every extra. For indices,
    ``form`` is ``"ratio"`` (Malmquist family: > 1 = progress, components multiply) or ``"difference"``
    (Luenberger: > 0 = progress, components add) and ``components`` names the columns the index decomposes into, so
    nothing downstream infers them from the index name.

    Built as ``Specification(settings=ModelSettings(...), call=Call(...), extras={...})``; the flat keywords of
    the model part and the extras (``Specification(model=..., rts=..., period=...)``) are still accepted and
    split.
    """

    settings: ModelSettings
    call: Call | None
    extras: dict

    def __init__(self, settings: ModelSettings | None = None, call: Call | None = None, extras: dict | None = None,
                 **flat):
        extras = dict(extras or {})
        unknown = [k for k in flat if k not in _SETTINGS and k not in EXTRAS]
        if unknown:
            raise TypeError(f"Specification got unexpected keyword(s) {unknown}")
        if settings is None:
            settings = ModelSettings(**{k: flat[k] for k in _SETTINGS if k in flat})
        elif any(k in _SETTINGS for k in flat):
            raise TypeError("give the model part either as settings= or as keywords, not both")
        extras.update({k: v for k, v in flat.items() if k in EXTRAS})
        bad = [k for k in extras if k not in EXTRAS]
        if bad:
            raise TypeError(f"Specification got unknown extra(s) {bad}")
        object.__setattr__(self, "settings", settings)
        object.__setattr__(self, "call", call)
        object.__setattr__(self, "extras", {k: extras[k] for k in EXTRAS if k in extras})

    def __getattr__(self, name):
        # only reached for names that are not attributes: the model part, then the extras
        if name in _SETTINGS:
            return getattr(self.settings, name)
        if name in EXTRAS:
            return self.extras.get(name, EXTRAS[name])
        raise AttributeError(f"'Specification' has no attribute {name!r}")

    def __getitem__(self, key):
        if key not in _SETTINGS and key not in EXTRAS:
            raise KeyError(key)
        value = getattr(self, key)
        return list(value) if key in _LISTED else value

    def __iter__(self):
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple:
        return _SETTINGS + tuple(EXTRAS)

    def with_call(self, call: Call | None) -> "Specification":
        """The same specification with ``call`` recorded."""
        return Specification(self.settings, call, self.extras)

    @property
    def ratio(self) -> bool:
        """True for ratio indices (multiply; 1 = no change), False for difference indicators (add; 0)."""
        return self.form == "ratio"

    @property
    def index_label(self) -> str | None:
        """The index by what it is, for summaries, reprs and plots: its declared label (``texts``, from the index's
        declaration: ``"GML"``, ``"Malmquist"``, ``"Hicks-Moorsteen"``...) qualified by the technology unless the
        label names it (``"biennial Malmquist"``, ``"global Luenberger"``, ``"window Malmquist (h = 1)"``); None for
        efficiency specifications."""
        if self.form is None:
            return None
        texts = self.texts
        label = texts.label if texts is not None else str(self.index)
        if (texts is not None and texts.names_technology) or self.technology in (None, "contemporaneous"):
            return label
        if self.technology == "window" and self.window is not None:
            return f"window {label} (h = {self.window})"
        return f"{self.technology} {label}"

    @property
    def index_name(self) -> str | None:
        """:attr:`index_label` spelled out with its form, e.g. ``"GML (global Malmquist-Luenberger, ratio form)"``."""
        if self.form is None:
            return None
        spelled = self.texts.spelled if self.texts is not None else None
        form = "ratio form" if self.ratio else "difference form"
        return f"{self.index_label} ({spelled}, {form})" if spelled else f"{self.index_label} ({form})"

    @property
    def index_rts(self) -> str | None:
        """Returns to scale of the distances behind the headline index and tc: ``"crs"`` under
        ``decomposition="fgnz"`` (Färe, Grosskopf, Norris & Zhang 1994 measure productivity on the CRS technology
        and only pec uses ``rts``), else ``rts``. None for efficiency specifications."""
        if self.form is None:
            return None
        return "crs" if self.decomposition == "fgnz" else self.rts

    def to_dict(self) -> dict:
        return {key: self[key] for key in self}


class Summary(str):
    """A result's summary: the text (this object *is* that ``str``, so ``print``, ``in`` and ``==`` work as on the
    text) plus what it was made of, for notebooks.

    ``title`` is the first line, ``rows`` the ``(key, value)`` lines of the specification and counts, ``tables``
    the DataFrames it quotes (e.g. ``"by period"``, ``"gtfp by period"``), so code reads the numbers instead of
    parsing text. ``repr()`` is the text (a REPL shows it unescaped) and ``_repr_html_`` renders the rows and
    tables as HTML tables in Jupyter.
    """

    title: str
    rows: tuple
    tables: dict

    def __new__(cls, text: str, title: str = "", rows=(), tables=None):
        obj = super().__new__(cls, text)
        obj.title, obj.rows, obj.tables = title, tuple(rows), dict(tables or {})
        return obj

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
                        f"<td style='text-align:left'>{escape(str(v))}</td></tr>" for k, v in self.rows)
        parts = [f"<div class='frontier-summary'><p><b>{escape(self.title)}</b></p>",
                 f"<table>{cells}</table>"]
        for name, table in self.tables.items():
            parts.append(f"<p>{escape(name)}</p>" + table.to_html(float_format=lambda v: f"{v:.4f}", na_rep="NaN"))
        return "".join(parts) + "</div>"


class SummaryViews:
    """A result that prints as its :meth:`summary` (a :class:`Summary`) and shows in Jupyter as the summary's
    specification and tables in HTML."""

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """Jupyter's view of the result: the summary's specification and tables as HTML."""
        return self.summary()._repr_html_()


class Reportable(Protocol):
    """What :mod:`frontier.io`, :mod:`frontier.plots` and the command line need of a result, and all they use."""

    PLOTS: ClassVar[Mapping[str, Callable]]        # kind -> drawer(result, path=None, **options); first = default

    def to_frame(self) -> pd.DataFrame: ...

    def summary(self) -> Summary: ...

    def export(self, extra: dict | None = None, **options) -> io.Export: ...


class FileExports:
    """``to_csv``, ``to_excel``, ``to_stata``, ``to_parquet`` and ``plot`` of a result.

    Each writer writes the result's :meth:`export` (its table with the identifying columns first, the variables'
    descriptions and the specification; ``options`` go to ``export``, e.g. a productivity result's ``policy``)
    in that format through :func:`frontier.io.write_result`. :meth:`draw` draws one of the result's ``PLOTS``
    (matplotlib is needed then, not before)."""

    PLOTS: ClassVar[Mapping[str, Callable]] = {}

    def to_csv(self, path, **options) -> None:
        """Write the export's table (:meth:`to_frame` with the identifying column(s) leading) to a CSV file, with
        the UTF-8 byte-order mark Excel needs for Chinese text unless ``bom=False``."""
        io.write_result(self, path, fmt="csv", **options)

    def to_excel(self, path, **options) -> None:
        """Write the results to an .xlsx file, with a ``specification`` sheet (model, options, conventions)."""
        io.write_result(self, path, fmt="excel", **options)

    def to_stata(self, path, **options) -> None:
        """Write the results to a Stata .dta file (variable labels; the specification as dataset notes)."""
        io.write_result(self, path, fmt="stata", **options)

    def to_parquet(self, path, **options) -> None:
        """Write the results to a Parquet file (the specification in its metadata)."""
        io.write_result(self, path, fmt="parquet", **options)

    def draw(self, kind: str | None = None, path=None, **options):
        """The figure ``kind`` of :attr:`PLOTS` (default: the first), saved to ``path`` when given."""
        if not self.PLOTS:
            raise TypeError(f"{type(self).__name__} has no figures")
        kind = next(iter(self.PLOTS)) if kind is None else kind
        if kind not in self.PLOTS:
            raise ValueError(f"kind must be {' or '.join(repr(k) for k in self.PLOTS)}, got {kind!r}")
        return self.PLOTS[kind](self, path, **options)

    def plot(self, path=None, **options):
        """The result's figure (the first of :attr:`PLOTS`), saved to ``path`` when given; returns the Figure."""
        return self.draw(None, path, **options)


# ----------------------------------------------------------------------------------------------------
# the per-DMU tables an efficiency result derives (multipliers, shadow prices, factor efficiency)
# ----------------------------------------------------------------------------------------------------

#: the model's settings an efficiency result's files record (its own export and those of the tables it derives)
MODEL_KEYS = ("model", "orientation", "rts", "super_efficiency", "bad_disposability", "direction", "weights",
              "period", "technology", "window", "reference", "zeros", "id", "inputs", "outputs", "bad_outputs")


@dataclass(frozen=True)
class PerDMUTable(SummaryViews, FileExports):
    """A table an :class:`~frontier.EfficiencyResult` derives, one row per DMU (its multipliers, shadow prices, factor
    efficiency), with what makes it a result: the DMUs' ids, the model's specification and the call that made it,
    written by ``to_csv`` / ``to_excel`` / ``to_stata`` / ``to_parquet`` like any result (Unicode names kept, the
    ids first, the specification as Stata notes or an Excel sheet).

    The specification's rows after the model's (:meth:`specification_rows`) start with ``(NAME, what the table is
    and the method call)``, the row that says what it is when the command line puts it beside the scores
    (:func:`join_columns`). ``table`` is the DataFrame, indexed like the data, with the columns the method always
    returned; the result reads like it (``result["SO2"]``, ``.loc``, ``.iloc``, ``.columns``, ``.index``,
    ``.shape``, ``len()``), so code written for the DataFrame keeps working. :meth:`to_frame` and the files name the
    columns by what they hold (``shadow_price_SO2``, ``weight_K``...: :meth:`values`), so that they merge onto the
    data without clashing with its variables. A subclass gives ``NAME`` (its sheet and title), :meth:`values`,
    :meth:`descriptions` and :meth:`specification_rows`.
    """

    table: pd.DataFrame
    spec: Specification
    ids: pd.DataFrame | None = None
    periods: pd.Series | None = None
    request: str = ""                   # the method call on the efficiency result, e.g. "factor_efficiency()"

    NAME: ClassVar[str] = "table"

    # -- what a subclass says ------------------------------------------------------------------------------
    def values(self) -> pd.DataFrame:
        """:attr:`table` with its columns named as the files write them."""
        return self.table

    def descriptions(self) -> dict:
        """What each column of :meth:`values` holds (Stata variable labels, the Excel column list)."""
        return {}

    def specification_rows(self) -> list:
        """The rows of the specification that say what the table is, after the model's."""
        return []

    # -- the result ----------------------------------------------------------------------------------------
    @property
    def call(self) -> str:
        """The line that reproduces the table: the efficiency call and the method, e.g.
        ``frontier.efficiency(data, ...).shadow_prices(numeraire='GDP', price=1.0)``."""
        return f"{self.spec.call}.{self.request}" if self.spec.call is not None else self.request

    def to_frame(self) -> pd.DataFrame:
        """:meth:`values` led by the ``id`` columns (when given) and the period column, indexed like the data (as
        :meth:`frontier.EfficiencyResult.to_frame`)."""
        return pd.concat(leading_columns(self.ids, self.periods, self.table.index) + [self.values()], axis=1)

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame` with the identifying columns first), the specification (the reproducing call,
        the model, what the table is) and the column descriptions."""
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        first = table.columns.get_loc(self.values().columns[0])          # the columns before it identify the DMU
        desc = {c: "identifies the DMU" for c in table.columns[:first]}
        if self.ids is None and io.ROW_POSITION in desc and isinstance(self.table.index, pd.RangeIndex) \
                and self.table.index.name is None:
            desc[io.ROW_POSITION] = io.ROW_POSITION_LABEL
        if self.spec.get("period") in desc:
            desc[self.spec["period"]] = "period"
        desc.update(self.descriptions())
        rows = export_header(extra, self.call)
        rows += [("score", self.spec.get("description", ""))] + export_spec_rows(self.spec, MODEL_KEYS)
        rows += export_parameter_rows(self.spec)
        rows += [(key, str(value)) for key, value in self.specification_rows()]
        rows.append(("DMUs", str(len(self.table))))
        return io.Export(table=table, name=self.NAME, specification=rows,
                         descriptions={c: desc[c] for c in table.columns if c in desc},
                         title=f"frontier {self.NAME}: {self.spec['model']} {self.spec['rts']}")

    def summary(self) -> Summary:
        """The call, the model, the statuses and each numeric column's mean, min, median and max over its non-missing
        values (and their count ``n``)."""
        title = f"frontier {self.NAME}: {self.spec.get('description', '')}"
        rows = [("call", self.call), ("DMUs", len(self.table))]
        rows += [(key, value) for key, value in self.specification_rows()]
        if "status" in self.table.columns:
            rows.append(("status", io.status_counts(self.table["status"])))
        numbers = self.values().select_dtypes("number")
        stats = pd.DataFrame({"mean": numbers.mean(), "min": numbers.min(), "median": numbers.median(),
                              "max": numbers.max(), "n": numbers.notna().sum()})
        text = stats.to_string(float_format=lambda v: f"{v:.4g}", na_rep="NaN")
        lines = [title] + [row_line(k, v) for k, v in rows] + ["", text]
        return Summary("\n".join(lines), title, rows, {self.NAME: stats})

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.request} n={len(self.table)}>"

    # -- reading it like its table ---------------------------------------------------------------------------
    def __getitem__(self, key):
        return self.table[key]

    def __len__(self) -> int:
        return len(self.table)

    @property
    def loc(self):
        return self.table.loc

    @property
    def iloc(self):
        return self.table.iloc

    @property
    def columns(self) -> pd.Index:
        return self.table.columns

    @property
    def index(self) -> pd.Index:
        return self.table.index

    @property
    def shape(self) -> tuple:
        return self.table.shape


def join_columns(export: io.Export, other: io.Export) -> io.Export:
    """``export`` with the columns of ``other`` it lacks appended, their descriptions, and ``other``'s specification
    rows it lacks (the command line's ``--shadow-prices``, ``--factor-efficiency``, ``--multipliers`` put those
    tables beside the scores). Both are per-DMU tables of one efficiency result, so their rows are the same DMUs in
    the same order: checked on the identifying columns they share."""
    shared = [c for c in other.table.columns if c in export.table.columns]
    if len(other.table) != len(export.table) or not export.table[shared].reset_index(drop=True).equals(
            other.table[shared].reset_index(drop=True)):
        raise ValueError(f"cannot put {other.name} beside {export.name}: their rows differ")
    added = [c for c in other.table.columns if c not in export.table.columns]
    table = pd.concat([export.table, other.table[added].set_axis(export.table.index)], axis=1)
    known = {key for key, _ in export.specification}
    rows = list(export.specification) + [(key, value) for key, value in other.specification if key not in known]
    descriptions = {**export.descriptions, **{c: other.descriptions[c] for c in added if c in other.descriptions}}
    return io.Export(table=table, name=export.name, specification=rows, descriptions=descriptions,
                     extra_tables=export.extra_tables, title=export.title)


# ----------------------------------------------------------------------------------------------------
# the rows of summaries and exports
# ----------------------------------------------------------------------------------------------------

def spec_rows(spec, keys) -> list[tuple[str, object]]:
    """``(key, value)`` of the specification's ``keys`` that are set (``super_efficiency`` even when False)."""
    rows = []
    for key in keys:
        value = spec.get(key)
        if value is None or value == [] or value is False and key != "super_efficiency":
            continue
        rows.append((key, value))
    return rows


def row_line(key: str, value) -> str:
    """One ``key  value`` line of a summary's text."""
    return f"  {key:<18} {value}"


def summary_parameter_rows(spec) -> list[tuple]:
    """(name, text) of the model parameters the family settled (EBM: epsilon and weights, calibrated or declared)."""
    rows = []
    for key, value in (spec.get("parameters") or {}).items():
        if value is None or value == () or value == {}:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
        elif isinstance(value, tuple):
            value = ", ".join(value)
        rows.append((key, value))
    return rows


def export_parameter_rows(spec) -> list:
    """One export row per model parameter the family settled (``spec.parameters``; EBM: epsilon, weights,
    which of them were calibrated and from which projection)."""
    return [(f"parameter {key}", io.format_value(value)) for key, value in (spec.get("parameters") or {}).items()
            if value is not None and value != () and value != {}]


def export_header(extra: dict | None, call) -> list:
    """The rows that open a result's exported specification: the software, when the file was made and the caller's
    ``extra`` rows (:func:`frontier.io.header_rows`), then the ``call`` that reproduces the result (when known)."""
    rows = io.header_rows(extra)
    if call is not None:
        rows.append(("call", str(call)))
    return rows


def export_spec_rows(spec, keys) -> list[tuple[str, str]]:
    """``(key, text)`` of the specification's ``keys`` that are set, as an export writes them."""
    rows = []
    for key in keys:
        value = spec.get(key)
        if value is None or value == []:
            continue
        rows.append((key, io.format_value(value)))
    return rows


def model_name(spec) -> str:
    """The model as figures name it (``"super-SBM"``, ``"DDF"``...), from the registry."""
    return model_family(spec["model"]).display_name(bool(spec.get("super_efficiency")))


def leading_columns(ids: pd.DataFrame | None, periods: pd.Series | None, index: pd.Index) -> list:
    """The columns that lead a per-DMU frame: the ``id`` columns (when given) and the period column (unless an id
    column already is it, or, without ids, it already is a level of ``index``), so the frame merges straight back
    onto the user's data on its index or on the id columns."""
    parts = [] if ids is None else [ids]
    id_names = [] if ids is None else list(ids.columns)
    if periods is not None and periods.name not in id_names and (ids is not None or periods.name not in index.names):
        parts.append(periods)
    return parts


def level_means(levels: pd.DataFrame, column: str = "gtfp", *, geometric: bool, period_order=()) -> pd.DataFrame:
    """Per period (the second index level of ``levels``): the mean of ``column`` across the entities with a finite
    level, geometric or arithmetic, and ``n``, how many entities that is (0, mean NaN, where none has a level)."""
    values = levels[column].astype(float)
    periods = levels.index.get_level_values(1)
    finite = np.isfinite(values).to_numpy()
    grouped = values[finite].groupby(level=1)
    out = pd.DataFrame({column: grouped.agg(geo_mean if geometric else "mean"), "n": grouped.size()})
    distinct = list(pd.unique(periods))
    known = [p for p in period_order if p in distinct]
    out = out.reindex(known + [p for p in distinct if p not in known])
    out.index.name = levels.index.names[1]
    out["n"] = out["n"].fillna(0).astype(int)
    return out


def warn_user(message: str) -> None:
    """A UserWarning attributed to the first caller outside the package (the user's line, not ours)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


def n_path(n: pd.Series) -> str:
    """``"40 (2010) -> 1 (2014)"`` style: the first and last count, and every change in between, compactly."""
    if not len(n):
        return "0"
    parts = [f"{int(n.iloc[0])} ({n.index[0]})"]
    for p, k in list(n.items())[1:]:
        if k != int(parts[-1].split(" ")[0]):
            parts.append(f"{int(k)} ({p})")
    return " -> ".join(parts)
