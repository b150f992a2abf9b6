"""Moved: ``metafrontier()`` is :mod:`frontier.analyses.metafrontier`. This module re-exports it for one release."""
from .analyses.metafrontier import metafrontier  # noqa: F401
