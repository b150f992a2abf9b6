"""Plots of efficiency scores and productivity series (matplotlib, the optional extra ``frontier-dea[plot]``).

* :func:`plot_gtfp` -- cumulative GTFP trajectories: the mean across entities with a quantile band, for one or
  several series side by side, or the trajectories of chosen entities;
* :func:`plot_decomposition` -- the index and its components (efficiency change, technical change / best-
  practice gap change) by period, and chained over the periods;
* :func:`plot_scores` -- the distribution of efficiency scores in each period (box plots), or a histogram;
* :func:`plot_tgr` -- a metafrontier's technology gap ratio by group (box plots), or its mean by group over time;
* :func:`plot_windows` -- a window analysis: one line per window over its periods;
* :func:`plot_bootstrap` -- bootstrap estimates with their intervals, sorted.

Each function returns the matplotlib ``Figure`` (in Jupyter it shows once, as the cell's value); with ``path`` it
also saves it (PNG, PDF, SVG... by the extension). Pass ``ax=`` to draw into an existing axes.

This module is a façade: each figure is drawn by its result type (``ProductivityResult.PLOTS["gtfp"]``,
``EfficiencyResult.PLOTS["scores"]``...; ``result.plot()`` draws the same figures) from the primitives of
:mod:`frontier._plotting`, which import matplotlib only when a figure is drawn. Importing this module fails at
once without matplotlib, so a caller can fall back cleanly (``frontier.demo`` does).
"""
from __future__ import annotations

import importlib.util

from ._plotting import CJK_FAMILIES, MISSING
from .results import BootstrapResult, EfficiencyResult, MetafrontierResult, ProductivityResult, WindowAnalysisResult

if importlib.util.find_spec("matplotlib") is None:   # fail at import, so callers can fall back cleanly
    raise ImportError(MISSING)

plot_gtfp = ProductivityResult.PLOTS["gtfp"]
plot_decomposition = ProductivityResult.PLOTS["decomposition"]
plot_scores = EfficiencyResult.PLOTS["scores"]
plot_tgr = MetafrontierResult.PLOTS["tgr"]
plot_windows = WindowAnalysisResult.PLOTS["windows"]
plot_bootstrap = BootstrapResult.PLOTS["intervals"]

__all__ = ["CJK_FAMILIES", "plot_bootstrap", "plot_decomposition", "plot_gtfp", "plot_scores", "plot_tgr",
           "plot_windows"]
