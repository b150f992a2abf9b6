"""The index estimate of :func:`frontier.productivity`, from the bound problems to the components: one code path
for the point estimate and for every subsample of the subsampling interval (:mod:`.subsampling`), which recomputes
the index with the reference technologies spanned by a subset of the entities only.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from ...technology import ReferenceSets
from .cache import DistanceCache
from .definitions import DEFAULT_SIDE


@dataclass(frozen=True)
class IndexEstimate:
    """The components (name -> array over the pairs), the distance caches that served them (side -> cache) and
    the failed LPs of each pair (pair position -> {"status (technology, rts)"})."""

    components: dict
    caches: dict
    failures: dict


@dataclass(frozen=True)
class IndexEstimator:
    """An index bound to its panel: ``sides`` maps each side of the terms to its ``{rts: Problem}``, ``options``
    each side to its model options, ``roles`` are the terms over the pairs (:func:`.definitions.pair_terms`),
    ``definition``, ``form`` and ``family`` combine the distances into the components."""

    sides: dict
    options: dict
    references: ReferenceSets
    super_efficiency: bool
    engine_options: dict
    roles: dict
    definition: object
    form: object
    family: object
    n_pairs: int

    def requested(self, allowed: np.ndarray | None = None) -> dict:
        """One :class:`DistanceCache` per side with every distance of the index requested, against reference
        technologies restricted to the observations ``allowed`` (a boolean mask; None: all of them)."""
        references = self.references if allowed is None else dataclasses.replace(self.references, allowed=allowed)
        caches = {side: DistanceCache(problems, references, self.super_efficiency, self.engine_options)
                  for side, problems in self.sides.items()}
        for role in self.roles.values():
            for tech, points in role.points.items():
                caches[role.side].request_points(points, tech)
        return caches

    def solve(self, caches: dict, progress=None) -> IndexEstimate:
        """Solve the ``caches`` (from :meth:`requested`) and combine their distances into the components."""
        for cache in caches.values():
            cache.solve(progress=progress)
        measures, failures = {}, {}
        for name, role in self.roles.items():
            values = np.full(self.n_pairs, np.nan)
            statuses = np.full(self.n_pairs, "optimal", dtype=object)
            for tech, points in role.points.items():
                at = points.at
                values[at], statuses[at] = caches[role.side].get_points(points, tech)
                where = f"{tech.label()}, {tech.rts}" if role.side == DEFAULT_SIDE else \
                    f"{role.side} distance, {tech.label()}, {tech.rts}"
                for i in at[statuses[at] != "optimal"]:
                    failures.setdefault(i, set()).add(f"{statuses[i]} ({where})")
            measures[name] = self.form.measure(self.family, values, self.options[role.side].orientation)
        components = self.definition.combine(self.form, measures) if self.n_pairs else \
            {c: np.zeros(0) for c in self.definition.components}
        return IndexEstimate(components, caches, failures)
