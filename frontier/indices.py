"""Kept for one release: :func:`frontier.productivity` and its index definitions moved to
:mod:`frontier.analyses.productivity` (the pipeline), :mod:`frontier.analyses.productivity.definitions` (the index
definitions and :data:`~frontier.analyses.productivity.definitions.INDICES`) and
:mod:`frontier.analyses.productivity.cache` (the distance cache). Every name this module had is importable from
here; the tables below are derived from ``INDICES``."""
from __future__ import annotations

from .analyses.productivity import productivity
from .analyses.productivity.cache import DistanceCache, MixedPoint
from .analyses.productivity.definitions import (COMPONENT_TEXTS, DIFFERENCE, FGNZ, INDICES, RATIO,
                                                AdjacentTechnologies, Form, HicksMoorsteenAdjacent,
                                                HicksMoorsteenTransitive, MetafrontierTechnologies, PooledTechnology,
                                                entity_groups, index_table, malmquist_definition, pair_terms)
from .options import HICKS_MOORSTEEN_TECHNOLOGIES as HM_TECHNOLOGIES
from .technology import TECHNOLOGIES

#: the Malmquist family's names: alias -> (index, the technology the alias implies)
INDEX_ALIASES = {alias: (spec.name, spec.technology) for alias, spec in INDICES.items() if spec.distance is None}
#: the Hicks-Moorsteen indices: alias -> (form, the model, the options fixing the output side, the input side)
HM_INDICES = {alias: (spec.form.name, spec.families()[0], *spec.sides.values())
              for alias, spec in INDICES.items() if spec.distance is not None}
HM_COMPONENTS = HicksMoorsteenAdjacent.components
FORMS = {"malmquist": RATIO, "luenberger": DIFFERENCE}


def index_definition(technology: str, decomposition: str | None, rts: str):
    """The definition of a Malmquist / Luenberger index over the given technology (and decomposition)."""
    return malmquist_definition(technology, decomposition, rts, None)


__all__ = ["productivity", "DistanceCache", "MixedPoint", "Form", "FORMS", "AdjacentTechnologies", "PooledTechnology",
           "FGNZ", "MetafrontierTechnologies", "HicksMoorsteenAdjacent", "HicksMoorsteenTransitive", "entity_groups",
           "index_table", "pair_terms", "index_definition", "INDEX_ALIASES", "HM_INDICES", "HM_COMPONENTS",
           "HM_TECHNOLOGIES", "TECHNOLOGIES", "COMPONENT_TEXTS"]
