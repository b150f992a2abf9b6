"""Kept for one release: the Simar & Wilson (1999) Malmquist bootstrap moved to
:mod:`frontier.analyses.productivity.bootstrap`; every name this module had is importable from here."""
from __future__ import annotations

from .analyses.productivity.bootstrap import (BANDWIDTHS, MIN_PAIRS, THEORY, ProductivityProblem, basic_interval,
                                              bootstrap_malmquist, check_options, check_supported,
                                              silverman_bandwidth, smoothed_pairs, terms_per_pair)

__all__ = ["BANDWIDTHS", "MIN_PAIRS", "THEORY", "ProductivityProblem", "basic_interval", "bootstrap_malmquist",
           "check_options", "check_supported", "silverman_bandwidth", "smoothed_pairs", "terms_per_pair"]
