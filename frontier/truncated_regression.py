"""Moved: ``second_stage()`` is :mod:`frontier.analyses.second_stage`. This module re-exports the old names for one
release."""
from .analyses.second_stage import (TruncatedFit, draw_truncated, fit_truncated_normal, second_stage,  # noqa: F401
                                    truncated_normal_loglik)
from .results import SecondStageResult  # noqa: F401
