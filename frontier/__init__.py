"""frontier: green productivity with Data Envelopment Analysis.

>>> import frontier as fr
>>> res = fr.efficiency(df, inputs=["K", "L", "E"], outputs=["Y"], bad_outputs=["SO2"], model="sbm")
>>> pr = fr.productivity(panel, entity="city", period="year", inputs=["K", "L", "E"], outputs=["Y"],
...                      bad_outputs=["SO2"], index="gml")
"""
from .bootstrap import BootstrapResult, bootstrap
from .economic_efficiency import EconomicResult, economic
from .scoring import efficiency
from .group_frontiers import metafrontier
from .indices import productivity
from .results import EfficiencyResult, MetafrontierResult, ProductivityResult, Specification, WindowAnalysisResult
from .window import window_analysis

__all__ = ["efficiency", "productivity", "economic", "metafrontier", "window_analysis", "EfficiencyResult",
           "ProductivityResult", "EconomicResult", "MetafrontierResult", "WindowAnalysisResult", "Specification",
           "bootstrap", "BootstrapResult"]
__version__ = "0.1.0"
