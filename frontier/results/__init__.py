"""The result types, one module each, and what they share (:mod:`.base`).

Each type owns its table (``to_frame``), its summary, the rows of its export (``export()``, written in any format
by :mod:`frontier.io`) and its figures (``PLOTS``, named by :mod:`frontier.plots`): see :class:`.base.Reportable`.
``from frontier.results import X`` imports any of them. Each is imported on first use (PEP 562), so a call imports
only its own result type's module: a first ``fr.efficiency`` no longer imports the twenty others (about 20 ms).
"""
from __future__ import annotations

from .._lazy import lazy_exports

# public name -> the module (of this package) that defines it
_PUBLIC = {
    "FileExports": "base",
    "PerDMUTable": "base",
    "Reportable": "base",
    "Specification": "base",
    "Summary": "base",
    "SummaryViews": "base",
    "leading_columns": "base",
    "level_means": "base",
    "BootstrapResult": "bootstrap",
    "IndependenceTestResult": "bootstrap_tests",
    "ReturnsToScaleTestResult": "bootstrap_tests",
    "CrossEfficiencyResult": "cross_efficiency",
    "DynamicResult": "dynamic",
    "EconomicResult": "economic",
    "EfficiencyResult": "efficiency",
    "efficiency_table": "efficiency",
    "FactorEfficiencyResult": "factor_efficiency",
    "IndexSubsampling": "malmquist_bootstrap",
    "MalmquistBootstrap": "malmquist_bootstrap",
    "MetafrontierResult": "metafrontier",
    "MultiplierResult": "multipliers",
    "NetworkResult": "network",
    "PartialFrontierResult": "partial",
    "ProductivityResult": "productivity",
    "productivity_table": "productivity",
    "ReturnsToScaleResult": "returns_to_scale",
    "SecondStageResult": "second_stage",
    "ShadowPriceResult": "shadow_prices",
    "ThreeStageResult": "three_stage",
    "WindowAnalysisResult": "window",
    "ZSGResult": "zsg",
}

__all__ = sorted(_PUBLIC)    # every public name, in one place: the table above
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
