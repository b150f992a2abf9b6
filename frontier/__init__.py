"""frontier: green productivity with Data Envelopment Analysis.

>>> import frontier as fr
>>> res = fr.efficiency(df, inputs=["K", "L", "E"], outputs=["Y"], bad_outputs=["SO2"], model="sbm")
>>> pr = fr.productivity(panel, entity="city", period="year", inputs=["K", "L", "E"], outputs=["Y"],
...                      bad_outputs=["SO2"], index="gml")
"""
from .efficiency_bootstrap import BootstrapResult, bootstrap
from .economic_efficiency import EconomicResult, economic
from .scoring import efficiency
from .group_frontiers import metafrontier
from .indices import productivity
from .results import EfficiencyResult, MetafrontierResult, ProductivityResult, Specification, WindowAnalysisResult
from .second_stage import SecondStageResult, second_stage
from .window import window_analysis

__all__ = ["efficiency", "productivity", "economic", "metafrontier", "window_analysis", "bootstrap", "second_stage",
           "EfficiencyResult", "ProductivityResult", "EconomicResult", "MetafrontierResult", "WindowAnalysisResult",
           "BootstrapResult", "SecondStageResult", "Specification"]
__version__ = "0.1.0"
