"""Moved: ``window_analysis()`` is :mod:`frontier.analyses.window`. This module re-exports it for one release."""
from .analyses.window import window_analysis, window_label  # noqa: F401
