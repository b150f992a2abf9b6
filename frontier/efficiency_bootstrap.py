"""Moved: ``bootstrap()`` is :mod:`frontier.analyses.bootstrap` (its result :mod:`frontier.results.bootstrap`). This
module re-exports the old names for one release."""
from .analyses.bootstrap import (ESTIMATE_COLUMNS, MAP_VALUES, MIN_REPLICATES, bootstrap,  # noqa: F401
                                 check_replicates, kappa_grid, pseudo_sample, refuse_dmus_without_inputs,
                                 smoothed_draws)
from .results import BootstrapResult  # noqa: F401
