"""Moved: ``efficiency()`` is :mod:`frontier.analyses.efficiency`, the shared pipeline (binding, reference sets,
progress) :mod:`frontier.analyses._pipeline`, the identifiers :mod:`frontier.panel`. This module re-exports the
old names for one release."""
from .analyses._pipeline import (PROGRESS_MIN, bind_model, evaluation_groups, make_progress, progress_bar,  # noqa: F401
                                 reference_positions, running_in_notebook)
from .analyses.efficiency import efficiency  # noqa: F401
from .panel import in_index as period_in_index, period_values as period_column, row_ids  # noqa: F401
