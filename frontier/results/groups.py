"""Tables by group: which group (region, industry, ownership) each row of a result belongs to, and the export of a
table of means by group and period (``period_means(by=...)`` of :class:`~frontier.results.ProductivityResult` and
:class:`~frontier.results.EfficiencyResult`; ``to_csv(..., by=...)``, ``--by`` on the command line).

The group comes from the user's data, a column that is not a variable of the model (``region`` of a city panel
holding 东部, 中部, 西部). A row whose group is missing belongs to no group: it is left out of every group's mean,
and one warning says how many rows that is and names some of them (never a silent drop, never a group of its
own that a reader could take for data).
"""
from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from .. import io
from .._text import format_labels
from ..panel import key_values
from .base import export_header, warn_user

#: what the exports and the docs say about rows without a group (one sentence, used by both)
MISSING_GROUP_RULE = "rows whose group is missing are left out of every group (a warning says how many)"


def group_name(by) -> str:
    """The group column's name as the tables write it: the column name, a Series' name, else ``"group"``."""
    if isinstance(by, str):
        return by
    name = getattr(by, "name", None)
    return name if isinstance(name, str) and name else "group"


def check_by(by, variables=(), period=None) -> None:
    """Refuse a grouping that is a variable of the model or the period column (the table is by period already)."""
    if not isinstance(by, str):
        return
    if by in variables:
        raise ValueError(f"by={by!r} is a variable of the model (an input or output), not a grouping: name a column "
                         "of your data such as a region or an industry")
    if period is not None and by == period:
        raise ValueError(f"by={by!r} is the period column; the table is by period already: name a grouping column "
                         "such as a region")


def panel_groups(by, data, index: pd.MultiIndex, entity: str, period: str, what: str) -> pd.Series:
    """The group of each (entity, period) of ``index``, from ``by``:

    * a column name of ``data`` (the panel the result was computed from; a column or an index level), read at each
      row's entity and period;
    * a Series or dict indexed by entity (one group per entity), or a Series indexed by (entity, period).

    Missing where the group is missing (or the entity unknown); :func:`warn_missing` reports those rows.
    """
    entities = index.get_level_values(0)
    if isinstance(by, str):
        if data is None:
            raise ValueError(f"by={by!r} names a column of your data: pass data= too (the panel given to "
                             "productivity()), or by= a Series or dict mapping each entity to its group")
        keys = pd.MultiIndex.from_arrays([key_values(data, entity, "entity").to_numpy(),
                                          key_values(data, period, "period").to_numpy()])
        values = pd.Series(key_values(data, by, "group", complete=False).to_numpy(), index=keys)
        if keys.has_duplicates:
            raise ValueError(f"data has several rows for some ({entity}, {period}) pairs "
                             f"{format_labels(keys[keys.duplicated()])}: pass the panel given to productivity()")
        return _in_order(values.reindex(index), values, index, by)
    if isinstance(by, Mapping):
        by = pd.Series(by, dtype=object)
    if not isinstance(by, pd.Series):
        raise TypeError(f"by must be a column name, a Series or a dict, got {type(by).__name__}")
    if by.index.nlevels == 2:
        return _in_order(by.reindex(index), by, index, group_name(by))
    if by.index.has_duplicates:
        raise ValueError(f"by: a Series mapping {what} to groups has repeated {what}: "
                         f"{format_labels(by.index[by.index.duplicated()])}")
    return _in_order(pd.Series(entities.map(by)), by, index, group_name(by))


def row_groups(by, data, index: pd.Index, ids: pd.DataFrame | None) -> pd.Series:
    """The group of each row of a per-DMU result indexed like the data (``index``), from ``by``: an ``id`` column
    of the result, a column name of ``data`` (the data given to the analysis), or a Series indexed like the data."""
    if isinstance(by, str):
        if ids is not None and by in ids.columns:
            return _in_order(ids[by].reindex(index), ids[by], index, by)
        if data is None:
            raise ValueError(f"by={by!r} names a column of your data: pass data= too (the data given to the "
                             "analysis), or by= a Series indexed like the data")
        by = key_values(data, by, "group", complete=False)
    if not isinstance(by, pd.Series):
        raise TypeError(f"by must be a column name or a Series indexed like the data, got {type(by).__name__}")
    unknown = index.difference(by.index)
    if len(unknown):
        raise ValueError(f"by is not indexed like the result: rows {format_labels(unknown)} have no group (pass "
                         "the data the result was computed from)")
    return _in_order(by.reindex(index), by, index, group_name(by))


def _in_order(values: pd.Series, source: pd.Series, index: pd.Index, name) -> pd.Series:
    """``values`` on ``index``, named ``name``, as a categorical whose categories are the groups in the order of
    ``source`` (the user's data or mapping; its own order if it is categorical), so that tables list the groups
    as the data does whichever rows lack one."""
    order = source.cat.categories if isinstance(source.dtype, pd.CategoricalDtype) else pd.unique(source.dropna())
    values = pd.Categorical(values.to_numpy(), categories=order)
    return pd.Series(values, index=index, name=name)


def warn_missing(groups: pd.Series, what: str) -> None:
    """One warning when some rows have no group: how many, which (a few), and that they are left out."""
    missing = groups.isna().to_numpy()
    if missing.any():
        warn_user(f"{int(missing.sum())} of {len(groups)} {what} have no {groups.name} "
                  f"{format_labels(groups.index[missing], limit=5)}: they are left out of every group's mean")


def ordered_groups(groups: pd.Series) -> list:
    """The distinct groups present, in their categorical order (the data's, :func:`_in_order`)."""
    present = set(groups.dropna())
    return [c for c in groups.cat.categories if c in present]


def group_export(result, table: pd.DataFrame, by_name: str, how: str, descriptions: dict,
                 extra: dict | None = None) -> io.Export:
    """The export of a table of means by group (and period): the table with its keys as leading columns (the group
    labels as they are, Chinese included), the result's call, ``how`` the means are taken and the rule for rows
    without a group, and a description of every column."""
    flat = table.reset_index()
    rows = export_header(extra, result.spec.call)
    rows.append(("table", f"means by {by_name}" + (f" and {flat.columns[1]}" if table.index.nlevels > 1 else "")))
    rows.append(("means", how))
    rows.append(("missing group", MISSING_GROUP_RULE))
    desc = {by_name: f"group ({by_name} of the data)"}
    desc.update(descriptions)
    desc = {c: desc[c] for c in flat.columns if c in desc}
    return io.Export(table=flat, name=f"by {by_name}", specification=rows, descriptions=desc,
                     title=f"frontier: means by {by_name}")
