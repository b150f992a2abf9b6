"""frontier: green productivity with Data Envelopment Analysis.

>>> import frontier as fr
>>> res = fr.efficiency(df, inputs=["K", "L", "E"], outputs=["Y"], bad_outputs=["SO2"], model="sbm")
>>> pr = fr.productivity(panel, entity="city", period="year", inputs=["K", "L", "E"], outputs=["Y"],
...                      bad_outputs=["SO2"], index="gml")

The public names are imported on first use (PEP 562): a parallel worker process that only needs the LP engine
(``frontier.engine`` and ``frontier.models``, numpy and highspy) then starts without importing pandas and the
result, export and index layers, which is most of a cold call's start-up cost.
"""
from __future__ import annotations

from ._lazy import lazy_exports
from ._version import __version__  # noqa: F401  (a leaf module: the build reads it there)

# public name -> the module that defines it
_PUBLIC = {
    "efficiency": "analyses.efficiency",
    "productivity": "analyses.productivity",
    "economic": "analyses.economic",
    "EconomicResult": "results",
    "metafrontier": "analyses.metafrontier",
    "window_analysis": "analyses.window",
    "network": "analyses.network",
    "EfficiencyResult": "results",
    "MetafrontierResult": "results",
    "ProductivityResult": "results",
    "Specification": "results",
    "WindowAnalysisResult": "results",
    "bootstrap": "analyses.bootstrap",
    "BootstrapResult": "results",
    "second_stage": "analyses.second_stage",
    "SecondStageResult": "results",
    "sfa": "analyses.sfa",
    "partial_frontier": "analyses.partial",
    "PartialFrontierResult": "results",
    "returns_to_scale": "analyses.returns_to_scale",
    "ReturnsToScaleResult": "results",
    "cross_efficiency": "analyses.cross_efficiency",
    "CrossEfficiencyResult": "results",
    "NetworkResult": "results",
    "dynamic": "analyses.dynamic",
    "DynamicResult": "results",
    "three_stage": "analyses.three_stage",
    "ThreeStageResult": "results",
    "zsg": "analyses.zsg",
    "ZSGResult": "results",
    "test_returns_to_scale": "analyses.bootstrap_tests",
    "ReturnsToScaleTestResult": "results",
    "test_independence": "analyses.bootstrap_tests",
    "IndependenceTestResult": "results",
}

__all__ = list(_PUBLIC)    # every public name, in one place: the table above
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
