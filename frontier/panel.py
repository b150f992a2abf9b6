"""The time order of a panel's periods, decided once for every function that compares periods.

Sequential and window frontiers, productivity pairs, GTFP chains and plots all depend on which period comes
first, so they all take it from :func:`period_order`. Python's ``sorted()`` is not enough: it puts the
text periods ``"9", "10", "11"`` in the order 10, 11, 9 and Stata's value-labelled months in alphabetical
order (Apr, Aug, Dec...), silently pairing the wrong periods. The rules:

* an **ordered Categorical** (Stata value labels read by pandas are one): its categories' order;
* an **unordered Categorical**: its categories' order as well (the order pandas itself sorts it by), unless
  its categories are text in alphabetical order -- pandas' default, which carries no time order -- in which
  case its values follow the rules for text below;
* **numbers, dates and times** (``datetime64``, ``Timestamp``, ``Period``...): their natural order;
* **text** that all reads as numbers (``"9", "10", "11"``): numeric order; text that is one common prefix,
  an integer and one common suffix (``"Y1" ... "Y12"``, ``"t9", "t10"``): the integer's order; text in one
  common layout that starts with a four-digit year (``"2010Q1"``, Stata's ``"2010m3"``, ``"2010-03-15"``):
  the order of (year, then each following number). Text that is all year.month (``"2010.3"`` ...
  ``"2010.12"``: a four-digit year, a dot, a month 1 to 12) is read as (year, month), not as decimals (which
  would put 2010.12 before 2010.3 and make 2010.1 and 2010.10 one period). Two-digit years across a century
  (``"98", "99", "00", "01"``: all two digits, some zero-padded, some 50 or more) are refused, because as
  numbers 00 would come first. Any other text (``"Jan", "Feb"``, ``"03/2001"``, ``"Q1 2010"``) is refused
  with a ``ValueError`` that says how to give the order (numbers, dates, or an ordered Categorical), because
  its alphabetical order is not time order;
* values of **mixed types** (``2001`` and ``"2002"``) are refused with a ``ValueError``.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
import numbers
import re

import numpy as np
import pandas as pd

from ._text import format_labels
from .data import check_unique_columns

_HOW_TO_FIX = ("Give the periods as numbers (e.g. df[{name!r}] = df[{name!r}].astype(int)), as dates "
               "(pd.to_datetime or pd.PeriodIndex), or as an ordered Categorical listing them in time order: "
               "pd.Categorical(df[{name!r}], categories=[...], ordered=True) (in Stata: a numeric period "
               "variable with value labels)")


def period_order(values, name: str = "period") -> list:
    """The distinct periods of ``values`` (a Series, Index or array) from the earliest to the latest.

    ``name`` (the period column) is used in error messages. Raises ``ValueError`` for text whose time order
    cannot be told from the text and for values of mixed types; see the module docstring for the rules.
    """
    values = pd.Series(values) if not isinstance(values, (pd.Series, pd.Index)) else values
    dtype = values.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        present = pd.unique(np.asarray(values.cat.codes if isinstance(values, pd.Series) else values.codes))
        in_order = [dtype.categories[c] for c in np.sort(present[present >= 0])]
        categories = list(dtype.categories)
        default_alphabetical = all(isinstance(c, str) for c in categories) and categories == sorted(categories)
        if dtype.ordered or not default_alphabetical:
            return in_order
        return _order_plain(in_order, name)
    distinct = pd.unique(values.to_numpy())               # in the representation callers compare with
    if dtype != object and not pd.api.types.is_string_dtype(dtype):
        return list(np.sort(distinct))                    # numbers, datetimes, timedeltas, Periods
    return _order_plain(list(distinct), name)


def display_order(values, name: str = "period") -> list:
    """:func:`period_order` where it is defined, else the order of first appearance.

    For showing results (summaries, plots) of computations whose numbers do not depend on the time order
    (contemporaneous and global frontiers), so that text periods without a time order are shown, not refused.
    """
    try:
        return period_order(values, name)
    except ValueError:
        values = pd.Series(values) if not isinstance(values, (pd.Series, pd.Index)) else values
        return list(pd.unique(values.to_numpy()))


def period_ranks(periods, order: list) -> np.ndarray:
    """The position of each of ``periods`` (an array of period values) in ``order`` (0 = earliest)."""
    rank = pd.Index(order).get_indexer(periods)
    if (rank < 0).any():
        raise ValueError(f"period(s) {list(pd.unique(np.asarray(periods)[rank < 0]))[:5]} are not in the "
                         "period order")
    return rank.astype(np.int64)


def _kind(value) -> str:
    """The family of a period value; periods of different families cannot be ordered together."""
    if isinstance(value, str):
        return "text"
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, numbers.Number):
        return "number"
    if isinstance(value, (datetime.datetime, np.datetime64)):
        return "datetime"
    if isinstance(value, datetime.date):
        return "date"
    return type(value).__name__


def _order_plain(distinct: list, name: str) -> list:
    """Order distinct period values that carry no order of their own (object or text columns)."""
    if len(distinct) <= 1:
        return list(distinct)
    kinds = {}
    for v in distinct:
        kinds.setdefault(_kind(v), v)
    if len(kinds) > 1:
        examples = ", ".join(f"{v!r} ({k})" for k, v in kinds.items())
        raise ValueError(f"period column {name!r} mixes value types: {examples}; their time order is undefined. "
                         f"Convert the column to one type, e.g. df[{name!r}] = df[{name!r}].astype(int)")
    if "text" in kinds:
        return _order_text(distinct, name)
    try:
        return sorted(distinct)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"period column {name!r}: its values cannot be put in time order ({exc}). "
                         + _HOW_TO_FIX.format(name=name)) from None


YEAR_DOT_MONTH = re.compile(r"\d{4}\.(\d{1,2})")          # "2010.3", "2010.12": year and month, not a decimal
TWO_DIGITS = re.compile(r"\d{2}")


def _is_year_dot_month(text: str) -> bool:
    match = YEAR_DOT_MONTH.fullmatch(text)
    return match is not None and 1 <= int(match.group(1)) <= 12


def _refuse_two_digit_years(distinct: list[str], name: str) -> None:
    """Raise for two-digit years across a century (``"98", "99", "00", "01"``): every value two digits, some
    zero-padded (``"00"``-``"09"``, written as years are) and some 50 or more; as numbers 00 would come first."""
    if all(TWO_DIGITS.fullmatch(s) for s in distinct) and any(s.startswith("0") for s in distinct) \
            and any(int(s) >= 50 for s in distinct):
        shown = ", ".join(repr(s) for s in sorted(distinct)[:6]) + (", ..." if len(distinct) > 6 else "")
        raise ValueError(f"period column {name!r} holds two-digit years ({shown}) whose century, and so "
                         "their time order, cannot be read from the text (as numbers '00' comes before '99'). "
                         f"Give four-digit years, e.g. df[{name!r}] = df[{name!r}].astype(int).map(lambda y: y + "
                         "(1900 if y >= 50 else 2000)) with the century that is right for your data")


def _order_text(distinct: list[str], name: str) -> list[str]:
    """Text periods: numeric text by number; text in one layout (one number, or a leading year, year.month
    included) by its numbers; two-digit years across a century refused."""
    as_numbers = pd.to_numeric(pd.Series(distinct, dtype=object), errors="coerce")
    year_dot_month = all(_is_year_dot_month(s) for s in distinct)
    if as_numbers.notna().all() and not year_dot_month:
        _refuse_two_digit_years(distinct, name)
        keys = as_numbers.astype(float).tolist()
        how = "as numbers"
    else:
        pieces = [re.split(r"(\d+)", s) for s in distinct]       # text, number, text, ..., number, text
        layouts = {tuple(p[0::2]) for p in pieces}
        fields = {len(p) // 2 for p in pieces}
        one_number = fields == {1}
        year_first = (len(fields) == 1 and all(p[0] == "" and len(p) > 1 and len(p[1]) == 4 for p in pieces))
        if len(layouts) == 1 and (one_number or year_first):
            keys = [tuple(int(n) for n in p[1::2]) for p in pieces]
            how = "by the numbers in them"
        else:
            alphabetical = sorted(distinct)
            shown = ", ".join(repr(s) for s in alphabetical[:6]) + (", ..." if len(alphabetical) > 6 else "")
            raise ValueError(f"period column {name!r} holds text ({shown}) whose time order cannot be read from "
                             "the text, and alphabetical order is not time order. " + _HOW_TO_FIX.format(name=name))
    if len(set(keys)) < len(keys):
        clash = sorted(s for s, key in zip(distinct, keys) if keys.count(key) > 1)
        raise ValueError(f"period column {name!r}: the text periods {clash} read {how} as the same period. "
                         + _HOW_TO_FIX.format(name=name))
    return [s for _, s in sorted(zip(keys, distinct), key=lambda pair: pair[0])]


# ----------------------------------------------------------------------------------------------------
# identifiers: "a column, or else an index level", decided here for every analysis
# ----------------------------------------------------------------------------------------------------

def in_index(frame: pd.DataFrame, name) -> bool:
    """Whether ``name`` names an index level of ``frame`` rather than a column (a column, validated with the
    variables, wins): the one rule by which an entity, period, group or id may be either."""
    return name is not None and name not in frame.columns and name in frame.index.names


def key_values(frame: pd.DataFrame, name, role: str, *, complete: bool = True) -> pd.Series:
    """The values of the identifying column ``name`` (a column, or else an index level; :func:`in_index`), a copy
    aligned to the rows and named ``name``.

    Raises ``ValueError`` naming the role when ``frame`` is no DataFrame, ``name`` is neither a column nor an index
    level, or (``complete``) a value is missing: every DMU needs its group, period or identifier."""
    if not isinstance(frame, pd.DataFrame):
        raise ValueError(f"data must be a pandas DataFrame, got {type(frame).__name__}")
    if name is not None and name in frame.columns:
        values = frame[name].copy()
    elif in_index(frame, name):
        values = pd.Series(frame.index.get_level_values(name), index=frame.index, name=name)
    else:
        raise ValueError(f"{role} column {name!r} not found in data (neither a column nor an index level); "
                         f"available columns: {list(frame.columns)}")
    if complete:
        missing = values.isna().to_numpy()
        if missing.any():
            raise ValueError(f"{role} column {name!r} has missing values in rows "
                             f"{format_labels(frame.index[missing])}; every DMU needs a {role}")
    return values


def period_values(frame: pd.DataFrame, period) -> pd.Series | None:
    """The period of each row (named ``period``): the column or the index level (:func:`key_values`); None without
    ``period``. Missing periods are kept: the caller reports them with its own rows (``evaluation_groups``)."""
    return None if period is None else key_values(frame, period, "period", complete=False)


def row_ids(frame: pd.DataFrame, id_columns: list, periods: pd.Series | None) -> pd.DataFrame | None:
    """The ``id`` columns (each a column or else an index level; a copy, indexed like ``frame``), checked: no
    missing values, and together with the periods they tell the rows apart (else the exports would not merge back
    one to one). None without ``id``."""
    if not id_columns:
        return None
    ids = pd.DataFrame({name: key_values(frame, name, "id", complete=False) for name in id_columns},
                       index=frame.index)
    missing = ids.isna().any(axis=1).to_numpy()
    if missing.any():
        raise ValueError(f"id columns {id_columns} have missing values in rows {format_labels(frame.index[missing])}; "
                         "every DMU needs its identifier")
    keyed = ids if periods is None or periods.name in id_columns else ids.assign(**{str(periods.name): periods})
    keys = list(keyed.columns)
    dup = keyed.duplicated(keep=False).to_numpy()
    if dup.any():
        example = keyed[dup].head(3).to_dict("records")
        hint = "" if periods is not None else " (a panel: add the period, e.g. id=['city', 'year'], or pass period=)"
        raise ValueError(f"id {keys} does not identify the rows: {int(dup.sum())} rows share their values, "
                         f"e.g. {example}{hint}")
    return ids


@dataclass(frozen=True)
class Pairs:
    """The pairs an index compares: positions ``(a, b)`` of one entity's observations, a before b.

    ``gaps`` are consecutive observations that ``adjacency="calendar"`` does not pair (a period is missing
    between them); ``single`` the entities observed once (no pair at all).
    """

    a: np.ndarray
    b: np.ndarray
    gap_a: np.ndarray
    gap_b: np.ndarray
    single: tuple


@dataclass(frozen=True)
class Panel:
    """A long panel's identifiers, decided once: one entity and one period per observation, the periods' time
    order and each observation's rank in it, and the pairs that indices compare."""

    entity: np.ndarray
    period: np.ndarray
    entity_name: str
    period_name: str
    order: tuple
    rank: np.ndarray

    @classmethod
    def from_frame(cls, data: pd.DataFrame, entity: str, period: str) -> tuple["Panel", pd.DataFrame]:
        """The panel of ``data`` (entity and period as columns or index levels) and its other columns on a
        RangeIndex (row i = observation i). Raises ``ValueError`` naming the column and rows for a missing
        column, missing identifiers or duplicate (entity, period) rows."""
        frame = data
        if isinstance(frame, pd.DataFrame) and (entity not in frame.columns or period not in frame.columns):
            names = [n for n in frame.index.names if n is not None]
            if entity in names or period in names:
                frame = frame.reset_index()
        for col, role in ((entity, "entity"), (period, "period")):
            if not isinstance(frame, pd.DataFrame) or col not in frame.columns:
                raise ValueError(f"{role} column {col!r} not found in data")
        check_unique_columns(frame, [entity, period])
        for col, role in ((entity, "entity"), (period, "period")):
            missing = frame[col].isna().to_numpy()
            if missing.any():
                raise ValueError(f"{role} column {col!r} has missing values in rows "
                                 f"{format_labels(frame.index[missing])}")
        dup = frame.duplicated([entity, period], keep=False).to_numpy()
        if dup.any():
            pairs = list(dict.fromkeys(zip(frame[entity][dup], frame[period][dup])))
            raise ValueError(f"duplicate ({entity}, {period}) rows: {format_labels(pairs)}; each entity-period must "
                             "appear once")
        order = tuple(period_order(frame[period], period))
        per = frame[period].to_numpy()
        panel = cls(frame[entity].to_numpy(), per, entity, period, order, period_ranks(per, list(order)))
        work = frame.drop(columns=[entity, period])
        work.index = pd.RangeIndex(len(work))
        return panel, work

    @property
    def n_entities(self) -> int:
        return len(pd.unique(self.entity))

    def pairs(self, adjacency: str = "observed", base: str = "previous") -> Pairs:
        """Each entity's pairs: consecutive observations (``base="previous"``) or every observation with the
        entity's first (``"first"``); ``adjacency="calendar"`` leaves consecutive observations more than one
        period apart unpaired (as gaps)."""
        # vectorised (a million observations in a fraction of a second): observations sorted by entity (in order
        # of first appearance) and, within an entity, by period rank
        codes, entities = pd.factorize(self.entity, sort=False)
        pos = np.lexsort((self.rank, codes)).astype(np.int64)
        code = codes[pos]
        later = np.flatnonzero(code[1:] == code[:-1]) + 1          # every observation but its entity's first
        if base == "first":
            first = np.full(len(entities), -1, dtype=np.int64)
            first[code[::-1]] = pos[::-1]                           # the first position of each entity
            a, b = first[code[later]], pos[later]
        else:
            a, b = pos[later - 1], pos[later]
        gap = np.zeros(len(a), dtype=bool)
        if adjacency == "calendar" and base == "previous":
            gap = self.rank[b] - self.rank[a] != 1
        counts = np.bincount(codes, minlength=len(entities))
        single = [entities[i] for i in np.flatnonzero(counts == 1)]
        a, b, ga, gb = a[~gap], b[~gap], a[gap], b[gap]
        return Pairs(a, b, ga, gb, tuple(single))
