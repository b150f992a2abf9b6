"""The result types, one module each, and what they share (:mod:`.base`).

Each type owns its table (``to_frame``), its summary, the rows of its export (``export()``, written in any format
by :mod:`frontier.io`) and its figures (``PLOTS``, named by :mod:`frontier.plots`): see :class:`.base.Reportable`.
``from frontier.results import X`` imports any of them.
"""
from __future__ import annotations

from .base import (FileExports, Reportable, Specification, Summary, SummaryViews, leading_columns,
                   level_means)
from .bootstrap import BootstrapResult
from .dynamic import DynamicResult
from .economic import EconomicResult
from .efficiency import EfficiencyResult, efficiency_table
from .malmquist_bootstrap import MalmquistBootstrap
from .cross_efficiency import CrossEfficiencyResult
from .metafrontier import MetafrontierResult
from .network import NetworkResult
from .partial import PartialFrontierResult
from .returns_to_scale import ReturnsToScaleResult
from .productivity import ProductivityResult, productivity_table
from .second_stage import SecondStageResult
from .three_stage import ThreeStageResult
from .zsg import ZSGResult
from .window import WindowAnalysisResult

__all__ = ["BootstrapResult", "CrossEfficiencyResult", "DynamicResult", "EconomicResult", "EfficiencyResult",
           "FileExports", "MalmquistBootstrap", "MetafrontierResult", "NetworkResult", "PartialFrontierResult",
           "ProductivityResult", "Reportable", "ReturnsToScaleResult", "SecondStageResult", "Specification",
           "Summary", "SummaryViews", "ThreeStageResult", "WindowAnalysisResult", "ZSGResult", "efficiency_table",
           "leading_columns",
           "level_means", "productivity_table"]
