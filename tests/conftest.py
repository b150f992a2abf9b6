"""Shared pytest fixtures (additive: add more fixtures below)."""
from __future__ import annotations

from pathlib import Path

import pytest

from frontier.validation import ENV_VAR, validation_directory


@pytest.fixture(scope="session")
def validation_dir() -> Path:
    """The published validation cases ($FRONTIER_VALIDATION_DIR, else ../shared/validation); skip if absent."""
    directory = validation_directory()
    if not directory.is_dir():
        pytest.skip(f"validation directory {directory} not found (set {ENV_VAR} to the folder of cases)")
    return directory
