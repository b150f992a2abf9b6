"""Reference technologies over periods (after gtfpch's Γ_t, Wang, Du & Zhang 2022) and groups.

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

Any of them may be restricted to one group of observations (a region, an industry): the group frontiers of a
metafrontier analysis, with the unrestricted technology as the (pooled) metafrontier.

Periods are compared by their time order, decided once by :func:`frontier.panel.period_order` (numbers and
dates in their natural order, Categoricals in their categories' order, numeric text by number; ambiguous text
is refused).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .options import TECHNOLOGIES
from .panel import period_order, period_ranks



@dataclass(frozen=True)
class Technology:
    """A reference technology: the observations that span one frontier.

    ``kind`` is one of ``TECHNOLOGIES``; ``period`` is the period t of Γ_t (the pair (a, b) for biennial, None for
    global); ``group``, when not None, restricts the reference set to the observations of that group (a group
    frontier; None is the pooled technology of all groups, the basis of a metafrontier); ``rts`` the returns to
    scale it is solved under.
    """

    kind: str
    period: object = None
    rts: str = "vrs"
    group: object = None

    def label(self) -> str:
        if self.kind == "global":
            text = "global"
        elif self.kind == "biennial":
            text = f"biennial:{self.period[0]}-{self.period[1]}"
        else:
            text = f"{self.kind}:{self.period}"
        return text if self.group is None else f"group {self.group}, {text}"


@dataclass(frozen=True)
class ReferenceSets:
    """Builds the reference rows of any :class:`Technology` over one data set's ``n`` observations.

    ``periods`` (one value per observation; None for a cross-section), their time ``order``
    (:func:`frontier.panel.period_order`), the ``window`` bandwidth, and ``groups`` (one label per observation,
    or None) are fixed once; :meth:`rows` then answers for every technology an index or a metafrontier asks for.
    ``allowed`` (a boolean mask) restricts every reference set further (``efficiency(reference=...)``).
    """

    n: int
    periods: np.ndarray | None = None
    order: tuple = ()
    window: int | None = None
    groups: np.ndarray | None = None
    allowed: np.ndarray | None = None

    def mask(self, tech: Technology) -> np.ndarray:
        if tech.kind == "global" or self.periods is None:
            mask = np.ones(self.n, dtype=bool)
        elif tech.kind == "biennial":
            mask = np.isin(self.periods, list(tech.period))
        else:
            mask = reference_mask(self.periods, tech.period, tech.kind, self.window, list(self.order))
        if tech.group is not None:
            mask &= self.groups == tech.group
        if self.allowed is not None:
            mask &= self.allowed
        return mask

    def rows(self, tech: Technology) -> np.ndarray:
        """Positions of the observations spanning ``tech``."""
        return np.flatnonzero(self.mask(tech))


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
