"""Drawing primitives for the results' figures: matplotlib is imported inside each function, so importing a result
(or this module) never needs it; the first figure drawn raises the clear "needs matplotlib" error without it.

Figures, axes and saving (:func:`figure`, :func:`finish`), a period axis and category ticks, a legend above the data,
the ``n`` written under each point, the far outliers of box plots kept from squashing the boxes, and a CJK font as a
per-figure fallback for Chinese, Japanese and Korean labels. Each result module (:mod:`frontier.results`) draws its
own figures from these; :mod:`frontier.plots` holds the public ``plot_*`` names.
"""
from __future__ import annotations

import functools
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from .panel import display_order

MISSING = "plotting needs matplotlib: pip install matplotlib (or pip install 'frontier-dea[plot]')"


def require_matplotlib():
    """(matplotlib, Figure, MaxNLocator), or the ImportError that says how to install matplotlib."""
    try:
        import matplotlib
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator
    except ImportError as exc:
        raise ImportError(MISSING) from exc
    return matplotlib, Figure, MaxNLocator


def figure(ax, path, figsize, ncols=1):
    """(fig, axes): the caller's axes, a pyplot figure (interactive use) or a bare Figure (saving only)."""
    _, Figure, _ = require_matplotlib()
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
    matplotlib, _, _ = require_matplotlib()

    return "inline" in str(matplotlib.get_backend()).lower()


def finish(fig, path, dpi=150):
    """Give CJK labels a font that draws them, save the figure to ``path`` (when given), return it."""
    _use_cjk_font(fig)
    if path is not None:
        path = Path(path)
        if path.parent != Path("") and not path.parent.exists():
            raise FileNotFoundError(f"folder {str(path.parent)!r} for the plot does not exist")
        fig.savefig(path, dpi=dpi)
    return fig


def default_title(title: str | None, default: str) -> str:
    """The title a figure gets: ``default`` when the caller gave none (None), the caller's otherwise; ``""``
    draws no title (matplotlib draws nothing for an empty text)."""
    return default if title is None else title


def colors() -> list:
    """The colours of matplotlib's current property cycle, in order."""
    matplotlib, _, _ = require_matplotlib()
    return [c["color"] for c in matplotlib.rcParams["axes.prop_cycle"]]


def period_axis(ax, periods):
    """Positions of ``periods`` on the x axis: their values if numeric, else 0..k-1 with the labels."""
    _, _, MaxNLocator = require_matplotlib()
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


def sorted_periods(values, known=()) -> list:
    """The distinct ``values`` in time order: a result's ``known`` period order where it has one, else
    :func:`frontier.panel.display_order` (the panel's period order, or first appearance for text periods
    without one)."""
    distinct = pd.Index(pd.unique(pd.Index(values)))
    if len(known):
        known = pd.Index(list(known))
        ordered = list(known[known.isin(distinct)])
        return ordered + list(distinct[~distinct.isin(known)])
    return list(pd.Index(display_order(values)))


def category_ticks(ax, x, periods):
    """Label the positions ``x`` with ``periods`` (at most about 12 labels; long ones slanted)."""
    step = max(1, int(np.ceil(len(periods) / 12)))
    ax.set_xticks(x[::step])
    labels = [str(p.date()) if isinstance(p, pd.Timestamp) else str(p) for p in periods[::step]]
    longest = max((len(line) for s in labels for line in s.split("\n")), default=0)
    rotate = (len(periods) > 8 or longest > 6) and not any("\n" in s for s in labels)
    ax.set_xticklabels(labels, rotation=35 if rotate else 0, ha="right" if rotate else "center")


def legend_on_top(ax):
    """A two-column legend in head room added above the data, so it never hides a bar or a line."""
    lo, hi = ax.get_ylim()
    ax.set_ylim(lo, hi + 0.25 * (hi - lo))
    ax.legend(frameon=False, fontsize=9, ncol=2, loc="upper left")


def n_range(n: pd.Series) -> str:
    """``"12"`` when every period rests on the same number of entities, else ``"40 → 1"`` (first → last)."""
    if n.nunique() <= 1:
        return str(int(n.iloc[0])) if len(n) else "0"
    return f"{int(n.iloc[0])} → {int(n.iloc[-1])}"


def annotate_counts(ax, counts):
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


def percentile_name(q: float) -> str:
    """``0.25`` -> ``"25th"``, ``0.01`` -> ``"1st"``: a quantile as its percentile's name."""
    v = round(100 * q)
    suffix = "th" if 10 <= v % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(v % 10, "th")
    return f"{v}{suffix}"


def clip_outliers(ax, x, data, efficient, color, legend: str = "above the axis (count)"):
    """Keep far-out scores (super-efficiency outliers) from squashing the boxes: cap the y axis above the
    far fences and mark how many scores of each period lie above it (``legend`` names the marks)."""
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
                    label=None if marked else legend)
            ax.annotate(str(k), (xi, top - 0.02 * (top - low)), xytext=(6, -4), textcoords="offset points",
                        fontsize=8, color=color)
            marked = True


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


#: matplotlib's warning for each character its fonts cannot draw (one per glyph and text size)
MISSING_GLYPH = r"Glyph \d+ .* missing from (current )?font"


def _quiet_missing_glyphs(fig) -> None:
    """Without a CJK font matplotlib warns once for every CJK character it draws as a box (dozens per figure,
    again at every new size); :data:`NO_CJK_FONT` has said it once, with the remedy. Drawing this figure (saving
    it here, or showing it later in Jupyter) drops those warnings; other figures and other warnings are untouched."""
    if not isinstance(fig.__dict__.get("draw"), _QuietGlyphs):
        fig.draw = _QuietGlyphs(fig)


class _QuietGlyphs:
    """A figure's ``draw`` that draws it as usual with matplotlib's missing-glyph warnings filtered out (a class,
    not a closure, so that the figure still pickles)."""

    def __init__(self, fig):
        self.fig = fig

    def __call__(self, renderer, *args, **kwargs):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=MISSING_GLYPH, category=UserWarning)
            return type(self.fig).draw(self.fig, renderer, *args, **kwargs)


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
        _quiet_missing_glyphs(fig)
        return
    for t in texts:                     # all of them: tick labels made later copy the first tick's font
        families = list(t.get_fontfamily())
        if font not in families:
            t.set_fontfamily(families + [font])
