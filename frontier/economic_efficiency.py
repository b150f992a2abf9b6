"""Moved: ``economic()`` is :mod:`frontier.analyses.economic`. This module re-exports it for one release."""
from .analyses.economic import economic  # noqa: F401
