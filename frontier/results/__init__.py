"""The result types, one module each, and what they share (:mod:`.base`).

Each type owns its table (``to_frame``), its summary, the rows of its export (``export()``, written in any format
by :mod:`frontier.io`) and its figures (``PLOTS``, named by :mod:`frontier.plots`): see :class:`.base.Reportable`.
``from frontier.results import X`` imports any of them.
"""
from __future__ import annotations

from .base import (FileExports, PerDMUTable, Reportable, Specification, Summary, SummaryViews,
                   leading_columns, level_means)
from .bootstrap import BootstrapResult
from .bootstrap_tests import IndependenceTestResult, ReturnsToScaleTestResult
from .cross_efficiency import CrossEfficiencyResult
from .dynamic import DynamicResult
from .economic import EconomicResult
from .efficiency import EfficiencyResult, efficiency_table
from .factor_efficiency import FactorEfficiencyResult
from .malmquist_bootstrap import IndexSubsampling, MalmquistBootstrap
from .metafrontier import MetafrontierResult
from .multipliers import MultiplierResult
from .network import NetworkResult
from .partial import PartialFrontierResult
from .productivity import ProductivityResult, productivity_table
from .returns_to_scale import ReturnsToScaleResult
from .second_stage import SecondStageResult
from .shadow_prices import ShadowPriceResult
from .three_stage import ThreeStageResult
from .window import WindowAnalysisResult
from .zsg import ZSGResult

__all__ = [
    "BootstrapResult",
    "CrossEfficiencyResult",
    "DynamicResult",
    "EconomicResult",
    "EfficiencyResult",
    "FactorEfficiencyResult",
    "FileExports",
    "IndependenceTestResult",
    "MalmquistBootstrap",
    "IndexSubsampling",
    "MetafrontierResult",
    "MultiplierResult",
    "NetworkResult",
    "PartialFrontierResult",
    "PerDMUTable",
    "ProductivityResult",
    "Reportable",
    "ReturnsToScaleResult",
    "ReturnsToScaleTestResult",
    "SecondStageResult",
    "ShadowPriceResult",
    "Specification",
    "Summary",
    "SummaryViews",
    "ThreeStageResult",
    "WindowAnalysisResult",
    "ZSGResult",
    "efficiency_table",
    "leading_columns",
    "level_means",
    "productivity_table",
]
