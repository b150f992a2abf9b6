"""Plots of efficiency scores and productivity series (matplotlib, the optional extra ``frontier-dea[plot]``).

* :func:`plot_gtfp` -- cumulative GTFP trajectories: the mean across entities with a quantile band, for one or
  several series side by side, or the trajectories of chosen entities;
* :func:`plot_decomposition` -- the index and its components (efficiency change, technical change / best-
  practice gap change) by period, and chained over the periods;
* :func:`plot_scores` -- the distribution of efficiency scores in each period (box plots), or a histogram;
* :func:`plot_tgr` -- a metafrontier's technology gap ratio by group (box plots), or its mean by group over time.

Each function returns the matplotlib ``Figure`` (in Jupyter it shows once, as the cell's value); with ``path`` it
also saves it (PNG, PDF, SVG... by the extension). Pass ``ax=`` to draw into an existing axes. matplotlib is
imported only when a plot is drawn.
"""
from __future__ import annotations

import functools
import importlib.util
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .models import family as model_family
from .panel import display_order

MISSING = "plotting needs matplotlib: pip install matplotlib (or pip install 'frontier-dea[plot]')"

if importlib.util.find_spec("matplotlib") is None:   # fail at import, so callers can fall back cleanly
    raise ImportError(MISSING)

COMPONENT_NAMES = {"index": "index", "ec": "efficiency change (EC)", "tc": "technical change (TC)",
                   "pec": "pure efficiency change (PEC)", "sec": "scale efficiency change (SEC)",
                   "output_quantity": "output quantity index", "input_quantity": "input quantity index",
                   "bpc": "best-practice change (BPC)", "tgc": "technology-gap change (TGC)"}
INDEX_NAMES = {"ml": "ML", "gml": "GML", "sml": "SML", "malmquist": "Malmquist", "luenberger": "Luenberger",
               "hicks_moorsteen": "Hicks-Moorsteen", "lhm": "Luenberger-Hicks-Moorsteen"}


def _mpl():
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:  # pragma: no cover - guarded at import
        raise ImportError(MISSING) from exc
    return matplotlib, Figure, MaxNLocator


def _figure(ax, path, figsize, ncols=1):
    """(fig, axes): the caller's axes, a pyplot figure (interactive use) or a bare Figure (saving only)."""
    _, Figure, _ = _mpl()
    if ax is not None:
        axes = list(np.atleast_1d(ax))
        return axes[0].figure, axes
    if path is not None:
        fig = Figure(figsize=figsize, layout="constrained")
        axes = list(np.atleast_1d(fig.subplots(1, ncols)))
        return fig, axes
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, ncols, figsize=figsize, layout="constrained")
    if _inline_backend():
        # Jupyter's inline backend shows every open pyplot figure at the end of the cell, and IPython shows the
        # returned Figure again when the call is the cell's last line: closing it here (matplotlib's advice for
        # functions that return a figure) leaves one picture, the returned one. ``fig = pr.plot()`` then shows
        # nothing until ``fig`` (or ``display(fig)``) is evaluated.
        plt.close(fig)
    return fig, list(np.atleast_1d(axes))


def _inline_backend() -> bool:
    """True under Jupyter's inline backend (matplotlib-inline), where pyplot figures are displayed by the kernel."""
    import matplotlib

    return "inline" in str(matplotlib.get_backend()).lower()


def _finish(fig, path, dpi=150):
    _use_cjk_font(fig)
    if path is not None:
        path = Path(path)
        if path.parent != Path("") and not path.parent.exists():
            raise FileNotFoundError(f"folder {str(path.parent)!r} for the plot does not exist")
        fig.savefig(path, dpi=dpi)
    return fig


# ----------------------------------------------------------------------------------------------------
# fonts for Chinese, Japanese and Korean labels
# ----------------------------------------------------------------------------------------------------

# CJK fonts in order of preference (simplified Chinese first); the first one installed is used
CJK_FAMILIES = (
    "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN", "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei", "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "STHeiti", "Songti SC",
    "SimSun", "Noto Sans CJK JP", "Noto Sans CJK TC", "Noto Sans CJK KR", "Source Han Sans", "Noto Serif CJK SC",
    "AR PL UMing CN", "AR PL UKai CN", "AR PL UMing TW", "Hiragino Sans GB", "Arial Unicode MS",
)
# files of those fonts, for fonts installed after matplotlib built its font list (it does not look again)
CJK_FONT_FILES = ("notosanscjk", "notoserifcjk", "sourcehansans", "wqy-zenhei", "wqy-microhei", "msyh", "simhei",
                  "simsun", "pingfang", "uming", "ukai", "hiragino")
CJK_RANGES = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF),
              (0x20000, 0x3134F))
NO_CJK_FONT = ("the plot's text has Chinese, Japanese or Korean characters, but no CJK font is installed, so they "
               "show as boxes. Install one (Debian/Ubuntu: apt-get install fonts-noto-cjk or fonts-wqy-zenhei; "
               "Windows has SimHei and Microsoft YaHei, macOS PingFang SC), or name an installed one first in "
               "matplotlib.rcParams['font.sans-serif']")
_warned_no_cjk_font = False
_quieted_families: set = set()


def _cjk_characters(text: str) -> set:
    return {ch for ch in text if any(lo <= ord(ch) <= hi for lo, hi in CJK_RANGES)}


@functools.lru_cache(maxsize=None)
def _font_characters(path: str) -> frozenset:
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(path).get_charmap())


def _font_has(fontproperties, characters: set) -> bool:
    """Whether the font matplotlib picks for ``fontproperties`` (the first of its family list installed) has a
    glyph for every character."""
    from matplotlib import font_manager

    path = font_manager.findfont(fontproperties, fallback_to_default=True)
    return all(ord(ch) in _font_characters(path) for ch in characters)


@functools.lru_cache(maxsize=None)
def _cjk_font() -> str | None:
    """The family name of an installed CJK font (:data:`CJK_FAMILIES`, in that order), or None. A font found
    among the system's font files but not yet in matplotlib's font list is added to it (for this session)."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        return next((name for name in CJK_FAMILIES if name in names), None)

    found = known()
    if found is None:
        for path in font_manager.findSystemFonts():
            if any(part in Path(path).name.lower() for part in CJK_FONT_FILES):
                try:
                    font_manager.fontManager.addfont(path)
                except (OSError, RuntimeError, ValueError):      # unreadable font file: skip it
                    continue
        found = known()
    if found is not None:
        _quiet_weight_substitution(found)
    return found


def _quiet_weight_substitution(family: str) -> None:
    """Several CJK fonts come in one weight only (WenQuanYi Zen Hei is "medium"); matplotlib then logs
    "Failed to find font weight normal for ..., now using 500" at every new text size. For the fallback font
    chosen here that substitution is intended: drop that one message (other font messages are untouched)."""
    import logging

    if family in _quieted_families:
        return
    _quieted_families.add(family)

    def keep(record: logging.LogRecord) -> bool:
        args = record.args if isinstance(record.args, tuple) else ()
        return not (str(record.msg).startswith("findfont: Failed to find font weight") and family in args)

    logging.getLogger("matplotlib.font_manager").addFilter(keep)


def _use_cjk_font(fig) -> None:
    """Give every text of ``fig`` a CJK font as its last fallback when some text (title, label, tick, legend)
    has CJK characters the font in use cannot draw: Latin text keeps its font, CJK characters come from the
    fallback. Only this figure's texts change; ``rcParams`` (the user's other figures) are left alone. A CJK
    font named first in ``rcParams['font.sans-serif']`` (the usual way to choose one) is used as it is."""
    global _warned_no_cjk_font
    from matplotlib.text import Text

    texts = fig.findobj(match=Text)
    needy = [t for t in texts if _cjk_characters(t.get_text())]
    if not needy or all(_font_has(t.get_fontproperties(), _cjk_characters(t.get_text())) for t in needy):
        return
    font = _cjk_font()
    if font is None:
        if not _warned_no_cjk_font:
            _warned_no_cjk_font = True
            warnings.warn(NO_CJK_FONT, UserWarning, stacklevel=4)
        return
    for t in texts:                     # all of them: tick labels made later copy the first tick's font
        families = list(t.get_fontfamily())
        if font not in families:
            t.set_fontfamily(families + [font])


def _period_axis(ax, periods):
    """Positions of ``periods`` on the x axis: their values if numeric, else 0..k-1 with the labels."""
    _, _, MaxNLocator = _mpl()
    periods = list(periods)
    if all(isinstance(p, (int, np.integer)) for p in periods):
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=min(len(periods), 10)))
        return {p: p for p in periods}
    if all(isinstance(p, (float, np.floating)) for p in periods):
        return {p: p for p in periods}
    pos = {p: i for i, p in enumerate(periods)}
    step = max(1, int(np.ceil(len(periods) / 12)))
    ax.set_xticks([pos[p] for p in periods[::step]])
    ax.set_xticklabels([str(p.date()) if isinstance(p, pd.Timestamp) else str(p) for p in periods[::step]],
                       rotation=30 if len(periods) > 6 else 0, ha="right" if len(periods) > 6 else "center")
    return pos


def _sorted_periods(values, known=()) -> list:
    """The distinct ``values`` in time order: a result's ``known`` period order where it has one, else
    :func:`frontier.panel.display_order` (the panel's period order, or first appearance for text periods
    without one)."""
    distinct = pd.Index(pd.unique(pd.Index(values)))
    if len(known):
        known = pd.Index(list(known))
        ordered = list(known[known.isin(distinct)])
        return ordered + list(distinct[~distinct.isin(known)])
    return list(pd.Index(display_order(values)))


# ----------------------------------------------------------------------------------------------------
# GTFP trajectories
# ----------------------------------------------------------------------------------------------------

def _as_levels(obj, column):
    """(levels DataFrame indexed by (entity, period), label, baseline or None, period order) from a result or
    a frame."""
    from .results import ProductivityResult

    if isinstance(obj, ProductivityResult):
        s = obj.spec
        tech = "" if s.get("alias") in ("ml", "gml", "sml") else f", {s['technology']}"
        label = f"{INDEX_NAMES.get(s.get('alias'), s['index'])} ({_model_name(s)}, {s.index_rts.upper()}{tech})"
        levels = obj.cumulative()
        if column not in levels.columns:
            hint = f" (the cumulative components are named cum_{column})" if f"cum_{column}" in levels.columns else ""
            raise ValueError(f"levels have no column {column!r}; columns: {list(levels.columns)}{hint}")
        return levels, label, 1.0 if s.ratio else 0.0, obj.period_order
    if isinstance(obj, pd.Series):
        obj = obj.to_frame(column)
    if not isinstance(obj, pd.DataFrame):
        raise TypeError(f"expected a ProductivityResult or a DataFrame of levels (pr.cumulative()), "
                        f"got {type(obj).__name__}")
    if obj.index.nlevels != 2:
        raise ValueError("levels need a two-level index (entity, period), as pr.cumulative() returns")
    if column not in obj.columns:
        hint = f" (the cumulative components are named cum_{column})" if f"cum_{column}" in obj.columns else ""
        raise ValueError(f"levels have no column {column!r}; columns: {list(obj.columns)}{hint}")
    return obj, None, None, display_order(obj.index.get_level_values(1), str(obj.index.names[1] or "period"))


def _model_name(spec: dict) -> str:
    return model_family(spec["model"]).display_name(bool(spec.get("super_efficiency")))


def _baseline(levels: pd.DataFrame, column: str):
    first = levels[column].groupby(level=0, sort=False).first().dropna()
    if len(first) and np.allclose(first, 1.0):
        return 1.0
    if len(first) and np.allclose(first, 0.0):
        return 0.0
    return None


def plot_gtfp(levels, path=None, entities=None, quantiles=(0.25, 0.75), *, column: str = "gtfp",
              center: str | None = None, ax=None, title: str | None = None, figsize=(8, 4.8)):
    """Cumulative GTFP trajectories.

    Parameters
    ----------
    levels : ``pr.cumulative()`` (a DataFrame indexed by (entity, period) with a ``gtfp`` column), a
        ProductivityResult, or a dict ``{label: either}`` to compare several series in one plot.
    path : save the figure there (``.png``, ``.pdf``, ``.svg``...).
    entities : plot these entities' own trajectories instead of the cross-entity summary.
    quantiles : the shaded band, e.g. ``(0.25, 0.75)`` (the interquartile range); ``None`` for no band.
    column : the level column to plot (``"gtfp"``, or the cumulative ``"cum_ec"``, ``"cum_tc"``).
    center : across entities in each period: ``"geomean"``, ``"mean"`` or ``"median"``. Default: the geometric
        mean for ratio indices (levels start at 1 and multiply) and the arithmetic mean for Luenberger indicators
        (start at 0 and add), the same numbers :meth:`~frontier.ProductivityResult.summary` prints
        (:meth:`~frontier.ProductivityResult.level_means`). The title names the mean.
    ax : draw into this matplotlib axes.

    Survivorship: each point's mean rests on the entities with a level in that period. The legend gives that
    ``n`` (``n = 40`` when constant, ``n = 40 → 1`` when chains break) and, when it changes, the ``n`` of every
    period is written along the bottom of the plot (``n=0`` where no entity has a level and nothing is drawn).

    Returns the matplotlib Figure.
    """
    if center not in (None, "mean", "median", "geomean"):
        raise ValueError("center must be 'geomean', 'mean' or 'median' (or None: geomean for ratio indices, mean "
                         "for Luenberger)")
    if quantiles is not None:
        quantiles = tuple(float(q) for q in quantiles)
        if len(quantiles) != 2 or not 0 <= quantiles[0] < quantiles[1] <= 1:
            raise ValueError("quantiles must be two numbers 0 <= low < high <= 1, e.g. (0.25, 0.75)")
    items = levels.items() if isinstance(levels, dict) else [(None, levels)]
    series, known, entity_names = [], [], set()
    for label, obj in items:
        frame, auto_label, base, order = _as_levels(obj, column)
        known += [p for p in order if p not in known]
        label = label if label is not None else (auto_label or ("GTFP" if column == "gtfp" else column))
        base = base if base is not None else _baseline(frame, column)
        wide = frame[column].unstack(level=1)
        series.append((str(label), wide, base, frame))
        pname = frame.index.names[1] if isinstance(frame.index.names[1], str) else "period"
        entity_names.add(frame.index.names[0])
    if not series:
        raise ValueError("nothing to plot")
    periods = _sorted_periods(np.concatenate([s[1].columns.to_numpy(dtype=object) for s in series]), known)
    across = _plural(entity_names.pop()) if len(entity_names) == 1 else "entities"

    fig, (ax,) = _figure(ax, path, figsize)
    pos = _period_axis(ax, periods)
    colors = [c["color"] for c in __import__("matplotlib").rcParams["axes.prop_cycle"]]
    if entities is not None:
        entities = [entities] if isinstance(entities, (str, int)) else list(entities)
        styles = ["-", "--", ":", "-."]
        for si, (label, wide, _, _) in enumerate(series):
            missing = [e for e in entities if e not in wide.index]
            if missing:
                raise ValueError(f"entities not in the {label} series: {missing[:5]}")
            for ei, e in enumerate(entities):
                row = wide.loc[e].dropna()
                row = row[[p for p in periods if p in row.index]]
                name = str(e) if len(series) == 1 else f"{e}, {label}"
                ax.plot([pos[p] for p in row.index], row.to_numpy(dtype=float), marker="o", ms=3, lw=1.6,
                        color=colors[ei % len(colors)], ls=styles[si % len(styles)], label=name)
        subtitle = "selected entities"
    else:
        kinds = set()
        counts = []
        for si, (label, wide, base, frame) in enumerate(series):
            color = colors[si % len(colors)]
            kind = center or ("geomean" if base == 1.0 else "mean")
            kinds.add(kind)
            means = _center(frame, column, kind, known)
            everyone = [p for p in periods if p in means.index]
            counts.append(([pos[p] for p in everyone], means.loc[everyone, "n"].astype(int), color))
            cols = [p for p in everyone if means.loc[p, "n"] > 0]      # a period without a level is not drawn
            x = [pos[p] for p in cols]
            n = means.loc[cols, "n"].astype(int)
            ax.plot(x, means.loc[cols, column].to_numpy(dtype=float), color=color, lw=2.2, marker="o", ms=4,
                    label=f"{label}, n = {_n_range(n)}")
            if quantiles is not None:
                w = wide[cols].astype(float)
                lo, hi = w.quantile(quantiles[0], axis=0), w.quantile(quantiles[1], axis=0)
                ax.fill_between(x, lo.to_numpy(), hi.to_numpy(), color=color, alpha=0.18, lw=0)
        if any(n.nunique() > 1 for _, n, _ in counts):
            _annotate_counts(ax, counts)
        subtitle = " / ".join(f"{CENTER_NAMES[k]}" for k in sorted(kinds)) + f" across {across}"
        if quantiles is not None:
            subtitle += f"; band: {_pct(quantiles[0])} to {_pct(quantiles[1])} percentile"
    bases = {s[2] for s in series if s[2] is not None}
    if len(bases) == 1:
        b = bases.pop()
        ax.axhline(b, color="0.45", lw=0.9, ls="--", zorder=0)
        ylabel = f"cumulative {'index' if b == 1 else 'indicator'} (first period = {b:g})"
    else:
        ylabel = "cumulative index"
    ax.set_ylabel(ylabel)
    ax.set_xlabel(pname)
    what = "GTFP" if column == "gtfp" else f"cumulative {column.removeprefix('cum_').upper()}"
    ax.set_title(title or f"{what}: {subtitle}", fontsize=11)
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="best", ncol=2 if entities is not None and len(entities) > 6 else 1)
    return _finish(fig, path)


CENTER_NAMES = {"geomean": "geometric mean", "mean": "mean", "median": "median"}


def _center(frame: pd.DataFrame, column: str, kind: str, period_order) -> pd.DataFrame:
    """Per period: the ``kind`` of ``column`` across the entities with a finite level, and their number ``n``
    (:func:`frontier.results.level_means`, the numbers the summary prints, for the two means)."""
    from .results import level_means

    if kind == "median":
        out = level_means(frame, column, geometric=False, period_order=period_order)
        med = frame[column].astype(float).groupby(level=1).median()
        out[column] = med.reindex(out.index)
        return out
    return level_means(frame, column, geometric=kind == "geomean", period_order=period_order)


def _n_range(n: pd.Series) -> str:
    """``"12"`` when every period rests on the same number of entities, else ``"40 → 1"`` (first → last)."""
    if n.nunique() <= 1:
        return str(int(n.iloc[0])) if len(n) else "0"
    return f"{int(n.iloc[0])} → {int(n.iloc[-1])}"


def _annotate_counts(ax, counts):
    """Write the number of entities behind every point along the bottom of the axes (one row per series)."""
    from matplotlib.transforms import blended_transform_factory

    xs = [xi for x, _, _ in counts for xi in x]
    left, right = ax.get_xlim()
    if xs and (min(xs) < left or max(xs) > right):       # periods where no entity has a level: still on the axis
        pad = 0.05 * max(max(xs) - min(xs), 1)
        ax.set_xlim(min(min(xs) - pad, left), max(max(xs) + pad, right))
    lo, hi = ax.get_ylim()
    rows = len(counts)
    ax.set_ylim(lo - (0.07 * rows + 0.03) * (hi - lo), hi)         # head room at the bottom for the counts
    trans = blended_transform_factory(ax.transData, ax.transAxes)
    for r, (x, n, color) in enumerate(counts):
        y = 0.02 + 0.055 * (rows - 1 - r)
        for xi, k in zip(x, n):
            ax.text(xi, y, f"n={int(k)}", transform=trans, ha="center", va="bottom", fontsize=7.5, color=color)


def _plural(word) -> str:
    from .results import _plural as plural

    return plural(word)


def _pct(q: float) -> str:
    v = round(100 * q)
    suffix = "th" if 10 <= v % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(v % 10, "th")
    return f"{v}{suffix}"


# ----------------------------------------------------------------------------------------------------
# decomposition
# ----------------------------------------------------------------------------------------------------

def _geo(x: pd.Series) -> float:
    x = x.dropna()
    x = x[x > 0]
    return float(np.exp(np.log(x).mean())) if len(x) else np.nan


def plot_decomposition(pr, path=None, *, components=None, cumulative: bool = True, ax=None,
                       title: str | None = None, figsize=None):
    """The productivity index and its components by period.

    Left: the mean index and components of each period's changes (geometric means for ratio indices, bars
    drawn from 1; arithmetic means for Luenberger indicators, bars from 0). Right (``cumulative=True``): the
    period means chained over the periods. ``components`` defaults to the components the index decomposes into,
    read from ``pr.spec.components``: ``("ec", "tc")``, ``("ec", "bpc", "tgc")`` for the metafrontier index
    (``group=``), or the output and input quantity indices for Hicks-Moorsteen (whose index is their quotient, or
    difference); with the FGNZ decomposition ``("pec", "sec", "tc")`` is also possible (pec and sec refine ec,
    so they are left out of the default, which would count ec twice). The period on the axis is the later
    period of each change. Returns the Figure.
    """
    from .results import ProductivityResult

    if not isinstance(pr, ProductivityResult):
        raise TypeError(f"plot_decomposition needs a ProductivityResult, got {type(pr).__name__}")
    s = pr.spec
    ratio = s.ratio
    available = [c for c in s.components if c != "index"]
    components = list(components or [c for c in available if c not in ("pec", "sec")])
    unknown = [c for c in components if c not in available]
    if unknown:
        raise ValueError(f"components {unknown} are not in the indices; available: {available}")
    cols = ["index"] + components
    rows = pr.indices[pr.indices["status"] != "gap"]
    if rows.empty:
        raise ValueError("no index values to plot")
    # complete cases only, so that the means decompose (index = ec x tc, or ec + tc) in every period
    values = rows[cols].astype(float)
    complete = np.isfinite(values).all(axis=1) & ((values > 0).all(axis=1) if ratio else True)
    idx = rows[complete.to_numpy()]
    if idx.empty:
        raise ValueError("no pair has the index and all its components (every pair has a failed LP)")
    agg = _geo if ratio else (lambda x: float(x.mean()))
    periods_all = _sorted_periods(rows.index.get_level_values(1), pr.period_order)
    by = idx.groupby(level=1)[cols].agg(agg).reindex(periods_all)
    used = idx.groupby(level=1).size().reindex(periods_all, fill_value=0)
    total = rows.groupby(level=1).size().reindex(periods_all, fill_value=0)
    base = 1.0 if ratio else 0.0
    names = dict(COMPONENT_NAMES)
    if s["technology"] == "global":
        names["tc"] = "best-practice gap change (BPC)"
    iname = INDEX_NAMES.get(s.get("alias"), s["index"])
    if s.get("group") is not None:
        iname = f"metafrontier {iname}"
    names["index"] = f"{iname} index"

    fig, axes = _figure(ax, path, figsize or ((12, 4.6) if cumulative else (7.5, 4.6)),
                        ncols=2 if cumulative else 1)
    if cumulative and len(axes) < 2:
        raise ValueError("cumulative=True draws two panels: pass two axes, or cumulative=False")
    colors = [c["color"] for c in __import__("matplotlib").rcParams["axes.prop_cycle"]]
    a = axes[0]
    periods = list(by.index)
    x = np.arange(len(periods))
    width = 0.8 / len(components)
    for i, c in enumerate(components):
        v = by[c].to_numpy(dtype=float)
        a.bar(x - 0.4 + width * (i + 0.5), v - base, width=width * 0.92, bottom=base, color=colors[i + 1],
              label=names.get(c, c), alpha=0.85)
    a.plot(x, by["index"].to_numpy(dtype=float), color="black", marker="o", ms=5, lw=1.8, label=names["index"])
    a.axhline(base, color="0.3", lw=0.9)
    partial = bool((used < total).any())
    if partial:
        ticks = [f"{p}\n{used[p]}/{total[p]}" for p in periods]
        _category_ticks(a, x, ticks)
    else:
        _category_ticks(a, x, periods)
    mean_kind = "geometric mean" if ratio else "mean"
    a.set_title(f"{iname} by period ({mean_kind} across entities)", fontsize=11)
    a.set_xlabel(f"{s['period']} (change from the previous {s['period']})"
                 + ("; k/n: pairs with every LP solved" if partial else ""))
    a.set_ylabel("index (> 1 = progress)" if ratio else "indicator (> 0 = progress)")
    a.grid(True, axis="y", alpha=0.3)
    _legend_on_top(a)
    if cumulative:
        b = axes[1]
        chained = by.cumprod(skipna=False) if ratio else by.cumsum(skipna=False)   # a gap breaks the chain
        first = _first_period(pr)
        xs = np.arange(len(periods) + 1)
        for i, c in enumerate(["index"] + components):
            vals = np.concatenate([[base], chained[c].to_numpy(dtype=float)])
            style = dict(color="black", lw=2.2) if c == "index" else dict(color=colors[i], lw=1.6, ls="--")
            b.plot(xs, vals, marker="o", ms=4, label=names.get(c, c) if c != "index" else f"{iname} (GTFP)",
                   **style)
        b.axhline(base, color="0.3", lw=0.9)
        broken = [p for p in periods if not np.isfinite(by.loc[p, "index"])]
        if broken:
            b.text(0.5, 0.04, f"chain broken at {broken[0]}: no pair of that period has every LP solved",
                   transform=b.transAxes, ha="center", va="bottom", fontsize=9, color="0.25")
        _category_ticks(b, xs, [first] + periods)
        b.set_title(f"chained period {mean_kind}s (first period = {base:g})", fontsize=11)
        b.set_xlabel(s["period"])
        b.set_ylabel("cumulative index" if ratio else "cumulative indicator")
        b.grid(True, alpha=0.3)
        _legend_on_top(b)
    if title:
        fig.suptitle(title)
    return _finish(fig, path)


def _legend_on_top(ax):
    """A two-column legend in head room added above the data, so it never hides a bar or a line."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.25 * (hi - lo))
    ax.legend(frameon=False, fontsize=9, ncol=2, loc="upper left")


def _first_period(pr):
    pf = pr.indices["period_from"].dropna()
    return _sorted_periods(pf, pr.period_order)[0] if len(pf) else ""


def _category_ticks(ax, x, periods):
    step = max(1, int(np.ceil(len(periods) / 12)))
    ax.set_xticks(x[::step])
    labels = [str(p.date()) if isinstance(p, pd.Timestamp) else str(p) for p in periods[::step]]
    longest = max((len(line) for s in labels for line in s.split("\n")), default=0)
    rotate = (len(periods) > 8 or longest > 6) and not any("\n" in s for s in labels)
    ax.set_xticklabels(labels, rotation=35 if rotate else 0, ha="right" if rotate else "center")


# ----------------------------------------------------------------------------------------------------
# efficiency scores
# ----------------------------------------------------------------------------------------------------

def plot_scores(res, path=None, *, ax=None, title: str | None = None, bins: int = 30, figsize=None):
    """Distribution of efficiency scores: a box plot per period (results with ``period=``), else a histogram.

    The dashed line marks the efficient score (1 for radial and SBM scores, 0 for the directional models);
    diamonds are the period means; missing scores (failed LPs) are counted in the axis labels. Returns the
    Figure.
    """
    from .results import EfficiencyResult

    if not isinstance(res, EfficiencyResult):
        raise TypeError(f"plot_scores needs an EfficiencyResult, got {type(res).__name__}")
    spec = res.spec
    scores = res.scores.astype(float)
    efficient = model_family(spec["model"]).efficient_value(spec.get("orientation"))
    name = f"{_model_name(spec)} ({spec['rts'].upper()})"
    ylabel = "inefficiency (0 = efficient)" if efficient == 0 else "efficiency score (1 = efficient)"
    colors = [c["color"] for c in __import__("matplotlib").rcParams["axes.prop_cycle"]]
    if res.periods is not None:
        per = res.periods.loc[scores.index] if not res.periods.index.equals(scores.index) else res.periods
        periods = _sorted_periods(per)
        fig, (ax,) = _figure(ax, path, figsize or (max(6.5, 0.55 * len(periods) + 3), 4.6))
        groups = [scores[(per == p).to_numpy()] for p in periods]
        data = [g.dropna().to_numpy() for g in groups]
        keep = [i for i, d in enumerate(data) if len(d)]
        x = np.arange(len(periods))
        ax.boxplot([data[i] for i in keep], positions=x[keep], widths=0.6, patch_artist=True, showfliers=True,
                   boxprops=dict(facecolor=colors[0], alpha=0.35), medianprops=dict(color=colors[0], lw=2),
                   flierprops=dict(marker=".", ms=3, alpha=0.5))
        means = [d.mean() if len(d) else np.nan for d in data]
        ax.plot(x, means, ls="none", marker="D", ms=5, color=colors[1], label="mean")
        labels = []
        for p, g in zip(periods, groups):
            lab = str(p.date()) if isinstance(p, pd.Timestamp) else str(p)
            nan = int(g.isna().sum())
            labels.append(f"{lab}\n({nan} NaN)" if nan else lab)
        step = max(1, int(np.ceil(len(periods) / 15)))
        ax.set_xticks(x[::step])
        rotate = len(periods) > 10 and not any("\n" in s for s in labels)
        ax.set_xticklabels(labels[::step], rotation=35 if rotate else 0, ha="right" if rotate else "center")
        ax.set_xlim(-0.6, len(periods) - 0.4)
        _clip_outliers(ax, x, data, efficient, colors[3])
        pname = per.name if isinstance(per.name, str) else "period"
        ax.set_xlabel(f"{pname} ({spec.get('technology') or 'contemporaneous'} frontier)")
        ax.set_ylabel(ylabel)
        ax.axhline(efficient, color="0.45", lw=0.9, ls="--", zorder=0, label="efficient")
        ax.legend(frameon=False, fontsize=9, loc="best")
        ax.set_title(title or f"{name} scores by period (n = {len(scores)})", fontsize=11)
        ax.grid(True, axis="y", alpha=0.3)
    else:
        fig, (ax,) = _figure(ax, path, figsize or (7, 4.6))
        ok = scores.dropna().to_numpy()
        if len(ok):
            ax.hist(ok, bins=bins, color=colors[0], alpha=0.75, edgecolor="white")
        ax.axvline(efficient, color="0.45", lw=0.9, ls="--", label="efficient")
        if len(ok):
            ax.axvline(ok.mean(), color=colors[1], lw=1.6, label=f"mean {ok.mean():.3f}")
        nan = int(scores.isna().sum())
        ax.set_xlabel(ylabel.replace("efficiency score", "score") + (f"; {nan} NaN not shown" if nan else ""))
        ax.set_ylabel("number of DMUs")
        ax.legend(frameon=False, fontsize=9)
        ax.set_title(title or f"{name} scores (n = {len(scores)})", fontsize=11)
        ax.grid(True, axis="y", alpha=0.3)
    return _finish(fig, path)


def _clip_outliers(ax, x, data, efficient, color):
    """Keep far-out scores (super-efficiency outliers) from squashing the boxes: cap the y axis above the
    far fences and mark how many scores of each period lie above it."""
    allv = np.concatenate([d for d in data if len(d)]) if any(len(d) for d in data) else np.zeros(0)
    if len(allv) < 5:
        return
    q1, q3 = np.percentile(allv, [25, 75])
    iqr = max(q3 - q1, 1e-9)
    fence = max(q3 + 3 * iqr, efficient)
    if allv.max() <= fence * 1.05 + 1e-12:
        return
    low = min(allv.min(), efficient)
    top = fence + 0.08 * (fence - low)
    ax.set_ylim(low - 0.04 * (top - low), top)
    marked = False
    for xi, d in zip(x, data):
        k = int((d > top).sum())
        if k:
            ax.plot([xi], [top - 0.02 * (top - low)], marker="^", ms=6, color=color, ls="none",
                    label=None if marked else "above the axis (count)")
            ax.annotate(str(k), (xi, top - 0.02 * (top - low)), xytext=(6, -4), textcoords="offset points",
                        fontsize=8, color=color)
            marked = True


# ----------------------------------------------------------------------------------------------------
# window analysis
# ----------------------------------------------------------------------------------------------------

def plot_windows(res, path=None, *, entities=None, ax=None, title: str | None = None, figsize=None):
    """Window analysis (Charnes, Clark, Cooper & Golany 1985): one line per window over its periods.

    Without ``entities``, each line is the mean score over all entities of each period in that window (a
    failed LP is left out of the mean); with ``entities`` (a list of entity labels), one panel per entity shows
    its own rows of the paper's table. Where the lines of one period disagree, the period's score depends on
    the window (the paper's "column view"). Returns the Figure.
    """
    from .results import WindowAnalysisResult

    if not isinstance(res, WindowAnalysisResult):
        raise TypeError(f"plot_windows needs a WindowAnalysisResult, got {type(res).__name__}")
    spec = res.spec
    ent, per = spec.entity, spec.period
    periods = list(res.period_order)
    x_of = {p: i for i, p in enumerate(periods)}
    efficient = model_family(spec.model).efficient_value(spec.orientation)
    if entities is None:
        panels = [("all entities (mean)", res.scores.groupby(["window", per], sort=False)["score"].mean())]
    else:
        known = set(res.scores[ent])
        missing = [e for e in entities if e not in known]
        if missing:
            raise ValueError(f"entities {missing[:5]} are not in the window analysis")
        panels = [(str(e), res.scores[res.scores[ent] == e].set_index(["window", per])["score"]) for e in entities]
    fig, axes = _figure(ax, path, figsize or (min(5.5 * len(panels), 16), 4.4), ncols=len(panels))
    for axis, (name, values) in zip(axes, panels):
        for w in dict.fromkeys(values.index.get_level_values(0)):
            line = values.xs(w, level=0)
            xs = [x_of[p] for p in line.index]
            axis.plot(xs, line.to_numpy(float), marker="o", ms=4, lw=1.4, label=str(w))
        axis.axhline(efficient, color="0.45", lw=0.9, ls="--", zorder=0)
        _category_ticks(axis, np.arange(len(periods)), periods)
        axis.set_xlabel(per)
        axis.set_title(name, fontsize=10)
        axis.grid(True, axis="y", alpha=0.3)
    axes[0].set_ylabel("inefficiency (0 = efficient)" if efficient == 0 else "efficiency score (1 = efficient)")
    axes[-1].legend(title="window", frameon=False, fontsize=8, loc="best")
    fig.suptitle(title or f"Window analysis: {_model_name(spec)} ({spec.rts.upper()}), width {spec.window}",
                 fontsize=11)
    return _finish(fig, path)


# ----------------------------------------------------------------------------------------------------
# metafrontier technology gap
# ----------------------------------------------------------------------------------------------------

def plot_tgr(res, path=None, *, over: str = "group", ax=None, title: str | None = None, figsize=None):
    """The technology gap of a :class:`~frontier.MetafrontierResult`: the TGR E*/E^g, or for the DDF family the
    gap D* - D^g.

    ``over="group"``: a box plot per group with its mean (diamond); each group's label carries ``n``, the DMUs
    with a defined gap (and how many are NaN). ``over="period"`` (results with ``period=``): the mean gap of
    each group in each period, one line per group, with ``n`` in the legend and written under every point.
    The means are those of ``res.by("group")`` / ``res.by("group_period")`` and the summary. The dashed line
    is the metafrontier (TGR = 1, gap = 0), where the group frontier touches it. Returns the Figure.
    """
    from .results import MetafrontierResult

    if not isinstance(res, MetafrontierResult):
        raise TypeError(f"plot_tgr needs a MetafrontierResult, got {type(res).__name__}")
    if over not in ("group", "period"):
        raise ValueError(f"over must be 'group' or 'period', got {over!r}")
    if over == "period" and res.periods is None:
        raise ValueError("over='period' needs a result computed with period= (the mean gap by group and period)")
    spec = res.spec
    gap = res.technology_gap.name
    on_meta = 1.0 if res.ratio else 0.0
    ylabel = "TGR = E*/E^g (1 = on the metafrontier)" if res.ratio else "gap = D* - D^g (0 = on the metafrontier)"
    what = "TGR" if res.ratio else "technology gap"
    model = f"{_model_name(spec)}, {spec['rts'].upper()}, {spec['meta']} metafrontier"
    colors = [c["color"] for c in __import__("matplotlib").rcParams["axes.prop_cycle"]]
    values = res.technology_gap.astype(float)
    if over == "group":
        table = res.by("group")
        groups = list(table.index)
        fig, (ax,) = _figure(ax, path, figsize or (max(5.5, 1.1 * len(groups) + 2.5), 4.6))
        members = [values[(res.groups == g).to_numpy()] for g in groups]
        data = [m.dropna().to_numpy() for m in members]
        keep = [i for i, d in enumerate(data) if len(d)]
        x = np.arange(len(groups))
        ax.boxplot([data[i] for i in keep], positions=x[keep], widths=0.6, patch_artist=True,
                   boxprops=dict(facecolor=colors[0], alpha=0.35), medianprops=dict(color=colors[0], lw=2),
                   flierprops=dict(marker=".", ms=3, alpha=0.5))
        ax.plot(x, table[gap].to_numpy(dtype=float), ls="none", marker="D", ms=6, color=colors[1], label="mean")
        labels = []
        for g, m in zip(groups, members):
            nan = int(m.isna().sum())
            labels.append(f"{g}\nn={int(m.notna().sum())}" + (f"\n({nan} NaN)" if nan else ""))
        ax.set_xticks(x)
        ax.set_xticklabels(labels)
        ax.set_xlim(-0.6, len(groups) - 0.4)
        ax.set_xlabel(f"{spec['group']} (n = DMUs with a defined {gap})")
        ax.set_title(title or f"{what} by {spec['group']} ({model})", fontsize=11)
    else:
        table = res.by("group_period")
        groups = list(pd.unique(table.index.get_level_values(0)))
        periods = _sorted_periods(res.periods)
        fig, (ax,) = _figure(ax, path, figsize or (8, 4.8))
        pos = _period_axis(ax, periods)
        counts = []
        for i, g in enumerate(groups):
            part = table.xs(g, level=0).reindex(periods)
            n = part[f"n_{gap}"].fillna(0).astype(int)
            drawn = [p for p in periods if n[p] > 0]
            color = colors[i % len(colors)]
            ax.plot([pos[p] for p in drawn], part.loc[drawn, gap].to_numpy(dtype=float), color=color, lw=2,
                    marker="o", ms=4, label=f"{g}, n = {_n_range(n[drawn])}")
            counts.append(([pos[p] for p in periods], n.to_numpy(), color))
        _annotate_counts(ax, counts)
        pname = res.periods.name if isinstance(res.periods.name, str) else "period"
        ax.set_xlabel(f"{pname} ({spec.get('technology') or 'contemporaneous'} frontiers; n = DMUs per point)")
        ax.set_title(title or f"mean {what} by {spec['group']} and {pname} ({model})", fontsize=11)
    ax.axhline(on_meta, color="0.45", lw=0.9, ls="--", zorder=0, label="metafrontier")
    ax.set_ylabel(ylabel)
    ax.grid(True, axis="y", alpha=0.3)
    if over == "group":
        ax.legend(frameon=False, fontsize=9, loc="best")
    else:
        _legend_on_top(ax)                  # the counts take the bottom of the axes
    return _finish(fig, path)


__all__ = ["plot_decomposition", "plot_gtfp", "plot_scores", "plot_tgr", "plot_windows"]


def plot_bootstrap(res, path=None, *, ax=None, title: str | None = None, sort_by: str = "bias_corrected",
                   figsize=None):
    """Bootstrap estimates of :func:`frontier.bootstrap`, one DMU per x position sorted by ``sort_by``
    (``"bias_corrected"`` or ``"score"``): the (1 - alpha) interval as a vertical bar, the DEA score and the
    bias-corrected score as markers, the efficient score as a dashed line. DMUs without estimates are counted in the
    axis label. Returns the Figure."""
    from .efficiency_bootstrap import BootstrapResult

    if not isinstance(res, BootstrapResult):
        raise TypeError(f"plot_bootstrap needs a BootstrapResult, got {type(res).__name__}")
    if sort_by not in ("bias_corrected", "score"):
        raise ValueError(f"sort_by must be 'bias_corrected' or 'score', got {sort_by!r}")
    e = res.estimates
    ok = e.dropna(subset=["score", "bias_corrected", "lower", "upper"]).sort_values(sort_by, kind="stable")
    missing = len(e) - len(ok)
    colors = [c["color"] for c in __import__("matplotlib").rcParams["axes.prop_cycle"]]
    fig, (ax,) = _figure(ax, path, figsize or (max(7.0, min(14.0, 0.12 * len(ok) + 4)), 4.6))
    x = np.arange(len(ok))
    level = f"{100 * (1 - res.alpha):g}%"
    ax.vlines(x, ok["lower"], ok["upper"], color=colors[0], alpha=0.55, lw=2.2 if len(ok) <= 80 else 1.0,
              label=f"{level} interval")
    small = len(ok) > 80
    ax.plot(x, ok["score"], ls="none", marker="o", ms=2.5 if small else 4, color=colors[1], label="DEA score")
    ax.plot(x, ok["bias_corrected"], ls="none", marker="D", ms=2.5 if small else 4, color=colors[2],
            label="bias-corrected")
    ax.axhline(1.0, color="0.45", lw=0.9, ls="--", zorder=0, label="efficient")
    if len(ok) <= 40:
        ax.set_xticks(x)
        names = ok.index if res.ids is None else \
            res.ids.loc[ok.index].astype(str).agg(" ".join, axis=1)       # the id columns name the DMUs
        ax.set_xticklabels([str(v) for v in names], rotation=60, ha="right", fontsize=8)
    else:
        ax.set_xticks([])
    ax.set_xlabel(f"DMUs sorted by {sort_by.replace('_', '-')} score"
                  + (f"; {missing} without estimates not shown" if missing else ""))
    name = f"{_model_name(res.spec)} ({res.spec['rts'].upper()})"
    ax.set_ylabel("input efficiency theta (1 = efficient)" if res.spec["orientation"] == "input"
                  else "output expansion phi (1 = efficient)")
    ax.set_title(title or f"{name}: bootstrap (B = {res.B}), n = {len(e)}", fontsize=11)
    _legend_on_top(ax)
    ax.grid(True, axis="y", alpha=0.3)
    return _finish(fig, path)
