"""Helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``)."""
from __future__ import annotations

import resource

import numpy as np


def max_abs_diff(a, b) -> float:
    """Largest absolute difference between two score vectors; ``inf`` when they disagree on which are NaN
    (one side solved an LP the other reports as failed), so a mismatch can never hide behind ``nanmax``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return float("inf")
    both = ~np.isnan(a)
    return float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0


def peak_rss_mb() -> float:
    """Peak resident memory of this process or its largest child (joblib workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0
