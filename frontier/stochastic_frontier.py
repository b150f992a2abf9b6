"""Moved: ``sfa()`` is :mod:`frontier.analyses.sfa`. This module re-exports the old names for one release."""
from .analyses.sfa import (FRONTIER41_GRID, Likelihood, LRTest, OLSFit, SFAResult, efficiency_predictors,  # noqa: F401
                           grid_start, hessian_theta, kodde_palm_critical_value, mixed_chi2_sf, sfa, translog_terms)
