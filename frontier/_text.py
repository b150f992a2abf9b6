"""Small text helpers shared by every layer (a leaf: numpy only).

* :func:`format_labels` -- row labels for an error message, ``[1, 'b', 7 and 3 more]`` (was ``data._rows``);
* :func:`format_rows` -- the rows a boolean mask selects, ``rows [1, 5] and 3 more`` (was ``io._rows``);
* :func:`plural` -- ``city`` -> ``cities`` for messages and figure labels about entities;
* :func:`geo_mean` -- the geometric mean of a Series; what a non-positive value does is the caller's explicit choice.
"""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np


def format_labels(labels: Iterable, limit: int = 8) -> str:
    """At most ``limit`` labels in brackets (text quoted), then how many more: ``['a', 'b' and 3 more]``."""
    labels = list(labels)
    shown = ", ".join(repr(v) if isinstance(v, str) else str(v) for v in labels[:limit])
    more = f" and {len(labels) - limit} more" if len(labels) > limit else ""
    return f"[{shown}{more}]"


def format_rows(mask) -> str:
    """The index labels where the boolean Series ``mask`` is true, as ``rows [..5 labels..] and N more``."""
    rows = list(mask.index[mask.to_numpy()])
    return f"rows {rows[:5]}" + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")


def plural(word) -> str:
    """'city' -> 'cities', 'firm' -> 'firms', 'province' -> 'provinces'; anything not a plain word -> 'entities'."""
    word = str(word or "")
    if not word.isalpha() or not word.isascii():
        return "entities"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def geo_mean(values, *, drop_nonpositive: bool = False) -> float:
    """The geometric mean of a Series' non-missing values (NaN when there are none).

    A value <= 0 has no logarithm. ``drop_nonpositive=False`` (the summaries' means of indices and levels) makes
    the mean NaN then: a mean that silently left such a value out would describe other data. ``True`` (the
    decomposition plot's bars) leaves those values out and averages the positive ones.
    """
    x = values.dropna()
    positive = x[x > 0]
    if not len(positive) or (len(positive) < len(x) and not drop_nonpositive):
        return np.nan
    return float(np.exp(np.log(positive).mean()))
