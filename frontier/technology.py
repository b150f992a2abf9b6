"""Reference technologies over periods (formulations.md §2.1, after gtfpch's Γ_t).

For evaluation "against the technology of period t" the reference set is every observation whose period is
in Γ_t:

==================  ======================  ===========================================
technology          Γ_t                     source
==================  ======================  ===========================================
contemporaneous     {t}                     standard; gtfpch default
sequential          {τ <= t}                Shestalova (2003); Oh & Heshmati (2010)
window (h)          {t-h, ..., t+h}         gtfpch ``window()`` (bandwidth h on each side)
biennial            {t, t+1}                Pastor, Asmild & Lovell (2011) (pair-specific)
global              all periods             Pastor & Lovell (2005); Oh (2010)
==================  ======================  ===========================================

Periods are compared by their time order, decided once by :func:`frontier.panel.period_order` (numbers and
dates in their natural order, Categoricals in their categories' order, numeric text by number; ambiguous text
is refused).
"""
from __future__ import annotations

import numpy as np

from .panel import period_order, period_ranks

TECHNOLOGIES = ("contemporaneous", "sequential", "global", "window", "biennial")


def reference_mask(periods: np.ndarray, t, technology: str, window: int | None = None,
                   order: list | None = None) -> np.ndarray:
    """Boolean mask over observations (their ``periods``) forming the reference set of period ``t``.

    ``order``: the distinct periods from the earliest (:func:`frontier.panel.period_order`, computed from
    ``periods`` when not given).
    """
    if technology == "contemporaneous":
        return periods == t
    if technology == "global":
        return np.ones(len(periods), dtype=bool)
    if order is None:
        order = period_order(periods)
    rank = period_ranks(periods, order)
    r = period_ranks([t], order)[0]
    if technology == "sequential":
        return rank <= r
    if technology == "window":
        if window is None or window < 0:
            raise ValueError("technology='window' needs window=h >= 0 (periods on each side)")
        return np.abs(rank - r) <= window
    raise ValueError(f"technology must be one of {TECHNOLOGIES}, got {technology!r}")
