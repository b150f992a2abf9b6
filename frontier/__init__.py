"""frontier: green productivity with Data Envelopment Analysis.

>>> import frontier as fr
>>> res = fr.efficiency(df, inputs=["K", "L", "E"], outputs=["Y"], bad_outputs=["SO2"], model="sbm")
"""
from .efficiency import efficiency
from .results import EfficiencyResult

__all__ = ["efficiency", "EfficiencyResult"]
__version__ = "0.1.0"
