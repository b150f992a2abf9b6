r"""The index definitions of :func:`frontier.productivity` and the table of every index, :data:`INDICES`.

One protocol for every index. A definition says which distances an index needs for a pair of an entity's
observations a < b and how it combines them:

* ``terms(panel, a, b, rts) -> {role: Term(side, point, technology)}``: each role is one distance, of ``point`` (an
  observation, ``a`` or ``b``, or a :class:`~frontier.analyses.productivity.cache.MixedPoint` of their quantities)
  against ``technology``, on ``side``: ``"default"`` for the indices of one model, ``"output"`` / ``"input"`` for the
  Hicks-Moorsteen indices (an output-oriented and an input-oriented distance of every point);
* ``combine(form, measures) -> {component: array}``: the index and its components from the roles' measures
  (efficiencies E for the ratio form, inefficiencies D for the difference form, :class:`Form`);
* ``components``: the names ``combine`` returns, ``"index"`` first.

:func:`pair_terms` asks ``terms`` once per distinct combination of periods (and groups) and spreads the answer over
the pairs as arrays. :data:`INDICES` maps each ``index=`` name to its :class:`IndexSpec`: form, implied technology,
the technologies it is defined on, its sides with the options each side fixes, the distance function it needs from
a model (a registry fact, :attr:`frontier.models.registry.ModelFamily.distance_function`), how reports name it, and
its definition. Adding an index: a definition class here and an entry in :data:`INDICES` (plus its alias in
:mod:`frontier.options`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd

from ..._text import format_labels
from ...models.registry import REGISTRY, ModelFamily
from ...options import HICKS_MOORSTEEN_TECHNOLOGIES, TECHNOLOGIES
from ...panel import Pairs, Panel, period_ranks
from ...results.productivity import IndexTexts
from ...technology import Technology
from .cache import MixedPoint, Points

DEFAULT_SIDE = "default"


@dataclass(frozen=True)
class Term:
    """One distance an index needs for a pair: of ``point`` (an observation's position, or a :class:`MixedPoint`)
    against ``technology``, on ``side`` (``"default"``, or the Hicks-Moorsteen ``"output"`` / ``"input"``)."""

    side: str
    point: int | MixedPoint
    technology: Technology


@dataclass(frozen=True)
class Form:
    """Ratio (Malmquist family: efficiencies E, changes are quotients, means geometric) or difference
    (Luenberger: inefficiencies D, changes are differences, means arithmetic). ``change(x_from, x_to)`` is > 1
    (ratio) or > 0 (difference) for progress."""

    name: str

    @property
    def ratio(self) -> bool:
        return self.name == "ratio"

    def measure(self, family, values, orientation):
        return family.to_efficiency(values, orientation) if self.ratio else family.to_inefficiency(values, orientation)

    def change(self, x_from, x_to):
        with np.errstate(divide="ignore", invalid="ignore"):
            return x_to / x_from if self.ratio else x_from - x_to

    def mean(self, u, v):
        with np.errstate(invalid="ignore"):
            return np.sqrt(u * v) if self.ratio else 0.5 * (u + v)

    def residual(self, total, part):
        with np.errstate(divide="ignore", invalid="ignore"):
            return total / part if self.ratio else total - part



RATIO, DIFFERENCE = Form("ratio"), Form("difference")


@dataclass(frozen=True)
class AdjacentTechnologies:
    """Each period against its own technology and the other period's (contemporaneous, sequential, window):
    index = mean[change(M^a(a) -> M^a(b)), change(M^b(a) -> M^b(b))] (Caves, Christensen & Diewert 1982; Färe
    et al. 1994; Chung, Färe & Grosskopf 1997), ec = change(M^a(a) -> M^b(b)), tc = index / ec."""

    kind: str
    components = ("index", "ec", "tc")

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        own = lambda o, t: Term(DEFAULT_SIDE, int(o), Technology(self.kind, panel.period[t], rts))  # noqa: E731
        return {"own_a": own(a, a), "own_b": own(b, b), "cross_ab": own(b, a), "cross_ba": own(a, b)}

    def combine(self, form: Form, m: dict) -> dict:
        index = form.mean(form.change(m["own_a"], m["cross_ab"]), form.change(m["cross_ba"], m["own_b"]))
        ec = form.change(m["own_a"], m["own_b"])
        return {"index": index, "ec": ec, "tc": form.residual(index, ec)}


@dataclass(frozen=True)
class PooledTechnology:
    """Both periods against one technology spanning them: global (Pastor & Lovell 2005; Oh 2010) or biennial
    (Pastor, Asmild & Lovell 2011): index = change(M^P(a) -> M^P(b)), ec contemporaneous, tc = index / ec (the
    best-practice gap change)."""

    kind: str
    components = ("index", "ec", "tc")

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        pooled = Technology("global", None, rts) if self.kind == "global" else \
            Technology("biennial", (panel.period[a], panel.period[b]), rts)
        own = lambda o: Term(DEFAULT_SIDE, int(o), Technology("contemporaneous", panel.period[o], rts))  # noqa: E731
        return {"own_a": own(a), "own_b": own(b), "pool_a": Term(DEFAULT_SIDE, int(a), pooled),
                "pool_b": Term(DEFAULT_SIDE, int(b), pooled)}

    def combine(self, form: Form, m: dict) -> dict:
        index = form.change(m["pool_a"], m["pool_b"])
        ec = form.change(m["own_a"], m["own_b"])
        return {"index": index, "ec": ec, "tc": form.residual(index, ec)}


@dataclass(frozen=True)
class FGNZ:
    """Färe, Grosskopf, Norris & Zhang (1994): the index and tc on CRS distances, and ec split into pure
    efficiency change (under the chosen returns to scale) and scale efficiency change, sec = ec / pec."""

    inner: object
    rts: str

    @property
    def components(self) -> tuple:
        return self.inner.components + ("pec", "sec")

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        terms = self.inner.terms(panel, a, b, "crs")
        pure = self.inner.terms(panel, a, b, self.rts)
        return {**terms, "pure_a": pure["own_a"], "pure_b": pure["own_b"]}

    def combine(self, form: Form, m: dict) -> dict:
        out = self.inner.combine(form, m)
        pec = form.change(m["pure_a"], m["pure_b"])
        return {**out, "pec": pec, "sec": form.residual(out["ec"], pec)}


@dataclass(frozen=True)
class MetafrontierTechnologies:
    """The metafrontier Malmquist(-Luenberger) index of Oh & Lee (2010) and Oh (2010): each observation of group g
    in period t against three technologies, the contemporaneous group frontier C_g(t), the intertemporal group
    frontier I_g (group g, all periods) and the global metafrontier G (all groups, all periods)::

        index = change(M^G(a) -> M^G(b))                                (the GML on the global metafrontier)
        ec    = change(M^C(a) -> M^C(b))                                (catching up with the group frontier)
        bpc   = change(M^I(a) -> M^I(b)) / ec                           (best-practice change of the group)
        tgc   = index / change(M^I(a) -> M^I(b))                        (technology-gap change)

    so index = ec x bpc x tgc (ratio form; differences add up in the Luenberger form). The index telescopes
    like the GML: its chain is E^G(t) / E^G(first). ``groups`` holds each observation's group label.
    """

    groups: tuple
    components = ("index", "ec", "bpc", "tgc")

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        out = {}
        for role, o in (("a", a), ("b", b)):
            g = self.groups[o]
            out[f"own_{role}"] = Term(DEFAULT_SIDE, int(o), Technology("contemporaneous", panel.period[o], rts, g))
            out[f"inter_{role}"] = Term(DEFAULT_SIDE, int(o), Technology("global", None, rts, g))
            out[f"meta_{role}"] = Term(DEFAULT_SIDE, int(o), Technology("global", None, rts))
        return out

    def combine(self, form: Form, m: dict) -> dict:
        index = form.change(m["meta_a"], m["meta_b"])
        ec = form.change(m["own_a"], m["own_b"])
        group_change = form.change(m["inter_a"], m["inter_b"])
        return {"index": index, "ec": ec, "bpc": form.residual(group_change, ec),
                "tgc": form.residual(index, group_change)}


@dataclass(frozen=True)
class HicksMoorsteenAdjacent:
    """The contemporaneous (or sequential, window) Hicks-Moorsteen index of a pair a < b: the geometric mean
    (LHM: the arithmetic mean) of its period-a and period-b versions (Bjurek 1996; Briec & Kerstens 2004).

    With E_O = D_O (Shephard output distance, 1/phi) and E_I = 1/D_I (theta) of the ratio form, or the
    directional distances beta_O, beta_I of the difference form, ``change`` and ``mean`` of :class:`Form`::

        output_quantity = mean[ change(E_O^a(x_a, y_a) -> E_O^a(x_a, y_b)), change(E_O^b(x_b, y_a) -> E_O^b(x_b, y_b)) ]
        input_quantity  = mean[ change(E_I^a(x_b, y_a) -> E_I^a(x_a, y_a)), change(E_I^b(x_b, y_b) -> E_I^b(x_a, y_b)) ]
        index           = output_quantity / input_quantity      (LHM: output_quantity - input_quantity)

    i.e. HM = sqrt[(D_O^a(x_a,y_b)/D_O^a(x_a,y_a)) (D_O^b(x_b,y_b)/D_O^b(x_b,y_a))] /
    sqrt[(D_I^a(x_b,y_a)/D_I^a(x_a,y_a)) (D_I^b(x_b,y_b)/D_I^b(x_a,y_b))].
    """

    kind: str
    components = ("index", "output_quantity", "input_quantity")

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        ta, tb = (Technology(self.kind, panel.period[o], rts) for o in (a, b))
        a, b = int(a), int(b)
        return {"out_a_aa": Term("output", a, ta), "out_a_ab": Term("output", MixedPoint(a, b), ta),
                "out_b_ba": Term("output", MixedPoint(b, a), tb), "out_b_bb": Term("output", b, tb),
                "in_a_aa": Term("input", a, ta), "in_a_ba": Term("input", MixedPoint(b, a), ta),
                "in_b_ab": Term("input", MixedPoint(a, b), tb), "in_b_bb": Term("input", b, tb)}

    def combine(self, form: Form, m: dict) -> dict:
        output = form.mean(form.change(m["out_a_aa"], m["out_a_ab"]), form.change(m["out_b_ba"], m["out_b_bb"]))
        inputs = form.mean(form.change(m["in_a_ba"], m["in_a_aa"]), form.change(m["in_b_bb"], m["in_b_ab"]))
        return {"index": form.residual(output, inputs), "output_quantity": output, "input_quantity": inputs}


@dataclass(frozen=True)
class HicksMoorsteenTransitive:
    """The global (transitive) Hicks-Moorsteen index: one global technology and one fixed conditioning point,
    the panel's mean quantities (x_bar, y_bar), for every observation (O'Donnell 2012's aggregates)::

        output_quantity = change(E_O^G(x_bar, y_a) -> E_O^G(x_bar, y_b))
        input_quantity  = change(E_I^G(x_b, y_bar) -> E_I^G(x_a, y_bar))
        index           = output_quantity / input_quantity      (LHM: output_quantity - input_quantity)

    Every term depends on one observation only, so the chain a -> b -> c multiplies (adds) to the direct a -> c
    index: transitive. (With the global technology but the pair's own quantities as conditioning, as in the
    adjacent form, the index would not be transitive: the conditioning point would change along the chain.)
    """

    components = ("index", "output_quantity", "input_quantity")

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        G = Technology("global", None, rts)
        a, b = int(a), int(b)
        return {"out_a": Term("output", MixedPoint(None, a), G), "out_b": Term("output", MixedPoint(None, b), G),
                "in_a": Term("input", MixedPoint(a, None), G), "in_b": Term("input", MixedPoint(b, None), G)}

    def combine(self, form: Form, m: dict) -> dict:
        output = form.change(m["out_a"], m["out_b"])
        inputs = form.change(m["in_b"], m["in_a"])
        return {"index": form.residual(output, inputs), "output_quantity": output, "input_quantity": inputs}


def malmquist_definition(technology: str, decomposition: str | None, rts: str, groups):
    """The Malmquist / Luenberger definitions: over one technology (and decomposition), or the metafrontier
    index's three technologies when the entities have ``groups``."""
    if groups is not None:
        return MetafrontierTechnologies(tuple(groups))
    inner = PooledTechnology(technology) if technology in ("global", "biennial") else AdjacentTechnologies(technology)
    return FGNZ(inner, rts) if decomposition == "fgnz" else inner


def hicks_moorsteen_definition(technology: str, decomposition: None, rts: str, groups: None):
    """The Hicks-Moorsteen definitions: transitive on the global technology, else the mean of the pair's two
    technologies."""
    return HicksMoorsteenTransitive() if technology == "global" else HicksMoorsteenAdjacent(technology)


def entity_groups(panel: Panel, work: pd.DataFrame, group: str) -> np.ndarray:
    """Each observation's group for the metafrontier index, checked: the column exists, has no missing values,
    each entity stays in one group, and every group has at least two observations in each period it appears in
    (a contemporaneous group frontier of one observation scores it efficient by construction)."""
    if group not in work.columns:
        raise ValueError(f"group column {group!r} not found in data; available columns: "
                         f"{[c for c in work.columns]}")
    values = work[group]
    missing = values.isna().to_numpy()
    if missing.any():
        where = list(zip(panel.entity[missing], panel.period[missing]))
        raise ValueError(f"group column {group!r} has missing values in rows {format_labels(where)}")
    frame = pd.DataFrame({"entity": panel.entity, "period": panel.period, "group": values.to_numpy()})
    per_entity = frame.groupby("entity", sort=False)["group"].nunique()
    moving = per_entity.index[per_entity > 1]
    if len(moving):
        raise ValueError(f"group column {group!r}: entities {format_labels(moving)} change group over time; the "
                         "metafrontier index compares each entity with one group's frontier")
    sizes = frame.groupby(["group", "period"], sort=False).size()
    small = sizes[sizes < 2]
    if len(small):
        raise ValueError(f"group column {group!r}: (group, period) {format_labels(list(small.index))} have a single "
                         "observation; a group frontier of one observation scores it efficient by construction. "
                         "Merge small groups or drop them")
    return values.to_numpy()


def index_table(panel: Panel, pairs: Pairs, columns: dict, components: list) -> pd.DataFrame:
    """The indices frame of every index: one row per pair, indexed by (entity, later period), plus a NaN row with
    status ``"gap"`` for each calendar gap, sorted by entity (first appearance) and period (time order)."""
    names = [panel.entity_name, panel.period_name]
    indices = pd.DataFrame(columns, index=pd.MultiIndex.from_arrays([panel.entity[pairs.b], panel.period[pairs.b]],
                                                                    names=names))
    if len(pairs.gap_a):
        gap_frame = pd.DataFrame({"period_from": panel.period[pairs.gap_a], **{c: np.nan for c in components},
                                  "status": "gap"},
                                 index=pd.MultiIndex.from_arrays([panel.entity[pairs.gap_b],
                                                                  panel.period[pairs.gap_b]], names=names))
        indices = pd.concat([indices, gap_frame])
    if len(indices):
        sort_rank = period_ranks(indices.index.get_level_values(1), list(panel.order))
        first_seen = pd.unique(panel.entity)
        ent_rank = pd.Series(range(len(first_seen)), index=first_seen).reindex(indices.index.get_level_values(0))
        indices = indices.iloc[np.lexsort((sort_rank, ent_rank.to_numpy()))]
    return indices


# ----------------------------------------------------------------------------------------------------
# the pairs' terms as arrays
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RoleTerms:
    """One role of an index over every pair: its side and, per technology, the points it asks for."""

    side: str
    points: dict            # Technology -> Points


def pair_terms(definition, panel: Panel, pairs: Pairs, rts: str, groups) -> dict:
    """The distances an index needs for every pair, as arrays: ``{role: RoleTerms(side, {technology: Points})}``,
    where each :class:`Points` holds the role's points for the pairs at its positions ``at``.

    A definition's ``terms`` depend on a pair only through its two periods (and the entity's group), so it is
    called once per distinct (period of a, period of b, group) combination and its answer spread over all pairs
    of that combination: a million observations cost a handful of calls, not one Python dict per pair."""
    k = len(pairs.a)
    if k == 0:
        return {}
    group_code = np.zeros(len(panel.rank), dtype=np.int64) if groups is None else pd.factorize(np.asarray(groups))[0]
    n_periods, n_groups = len(panel.order), int(group_code.max()) + 1
    combo = ((panel.rank[pairs.a].astype(np.int64) * n_periods + panel.rank[pairs.b]) * n_groups
             + group_code[pairs.a]) * n_groups + group_code[pairs.b]          # one integer per combination
    _, first, inverse = np.unique(combo, return_index=True, return_inverse=True)
    roles: dict = {}
    for c, i in enumerate(first):
        at = np.flatnonzero(inverse == c)
        a, b = int(pairs.a[i]), int(pairs.b[i])

        def rows_of(o, role):
            """The observations a term's point side ``o`` (a, b, or None: the panel means) names, over ``at``."""
            if o is None:
                return np.full(len(at), -1, dtype=np.int64)
            if o not in (a, b):
                raise AssertionError(f"term {role!r} names observation {o}, neither of the pair ({a}, {b})")
            return (pairs.a if o == a else pairs.b)[at]

        for role, term in definition.terms(panel, a, b, rts).items():
            point = term.point
            if isinstance(point, MixedPoint) and not (point.inputs_of is not None
                                                      and point.inputs_of == point.outputs_of):
                points = Points(rows_of(point.inputs_of, role), rows_of(point.outputs_of, role), at, True)
            else:
                rows = rows_of(point.inputs_of if isinstance(point, MixedPoint) else point, role)
                points = Points(rows, rows, at, False)
            bucket = roles.setdefault(role, RoleTerms(term.side, {})).points
            tech = term.technology
            bucket[tech] = bucket[tech].join(points) if tech in bucket else points
    return roles


# ----------------------------------------------------------------------------------------------------
# the table of indices
# ----------------------------------------------------------------------------------------------------

#: how reports name each component (the plots' legends; the technology may rename tc, :func:`index_texts`)
COMPONENT_TEXTS = {"index": "index", "ec": "efficiency change (EC)", "tc": "technical change (TC)",
                   "pec": "pure efficiency change (PEC)", "sec": "scale efficiency change (SEC)",
                   "output_quantity": "output quantity index", "input_quantity": "input quantity index",
                   "bpc": "best-practice change (BPC)", "tgc": "technology-gap change (TGC)"}

_HM_NOT_APPLICABLE = {
    "group": "group= (the metafrontier index) is not defined for index={index!r}; use index='gml', 'malmquist' "
             "or 'luenberger' on the global technology",
    "bootstrap": "bootstrap: {theory}; got index={index!r}",
    "model_options": "{value} do not apply to index={index!r} (its distances are radial or directional)",
    "orientation": "index={index!r} fixes the orientation itself (an output-oriented and an input-oriented "
                   "distance for every point); leave orientation None",
    "direction": "index={index!r} fixes the directions itself (output (0, y, b) and input (x, 0, 0)); leave "
                 "direction None",
    "super_efficiency": "super_efficiency does not apply to index={index!r}: its distances are evaluated against "
                        "technologies that contain the observation (or any point outside, with free scores)",
    "decomposition": "decomposition={value!r} does not apply to index={index!r}; its components are "
                     "('output_quantity', 'input_quantity')",
    "weights": "weights do not apply to index={index!r} (model {model!r} takes none)",
}


@dataclass(frozen=True)
class IndexSpec:
    """Everything about one ``index=`` name that :func:`frontier.productivity` and the reports need.

    ``name`` is the index recorded in ``Specification.index`` and ``form`` its :class:`Form`; ``technology`` the
    technology the name implies (ML, GML, SML) and ``technologies`` those it is defined on (the default
    ``default_technology``); ``definition(technology, decomposition, rts, groups)`` builds its definition.
    ``sides`` maps each side of its terms to the options that side fixes (one ``"default"`` side taking the
    caller's options, or the Hicks-Moorsteen ``"output"`` and ``"input"`` sides). ``distance`` is the distance
    function the index needs of a model, matched against the registry's
    :attr:`~frontier.models.registry.ModelFamily.distance_function` (None: any model); ``default_model`` the model
    without ``model=`` (None: the first family with that distance). ``not_applicable`` maps each option that has
    no meaning for the index to the message refusing it. ``label`` (plots), ``long_name`` (exports),
    ``spelled`` (an acronym label spelled out) and ``component_texts`` name it in the reports (:func:`index_texts`).
    """

    name: str
    form: Form
    definition: Callable
    label: str
    long_name: str
    technology: str | None = None
    technologies: tuple = TECHNOLOGIES
    default_technology: str = "contemporaneous"
    sides: dict = field(default_factory=lambda: {DEFAULT_SIDE: {}})
    distance: str | None = None
    default_model: str | None = "sbm"
    not_applicable: dict = field(default_factory=dict)
    component_texts: dict = field(default_factory=lambda: COMPONENT_TEXTS)
    spelled: str | None = None

    def families(self) -> tuple[str, ...]:
        """The registered model families the index is defined on."""
        return tuple(name for name, fam in REGISTRY.items()
                     if self.distance is None or fam.distance_function == self.distance)

    def allows(self, family: ModelFamily) -> bool:
        return self.distance is None or family.distance_function == self.distance


_HM = dict(technologies=HICKS_MOORSTEEN_TECHNOLOGIES, default_model=None, not_applicable=_HM_NOT_APPLICABLE,
           definition=hicks_moorsteen_definition)

#: every ``index=`` name (:data:`frontier.options.INDICES`, in that order) and its declaration
INDICES: dict[str, IndexSpec] = {
    "ml": IndexSpec("malmquist", RATIO, malmquist_definition, "ML", "Malmquist-Luenberger (ML)",
                    technology="contemporaneous", spelled="Malmquist-Luenberger"),
    "gml": IndexSpec("malmquist", RATIO, malmquist_definition, "GML", "global Malmquist-Luenberger (GML)",
                     technology="global", spelled="global Malmquist-Luenberger"),
    "sml": IndexSpec("malmquist", RATIO, malmquist_definition, "SML", "sequential Malmquist-Luenberger (SML)",
                     technology="sequential", spelled="sequential Malmquist-Luenberger"),
    "malmquist": IndexSpec("malmquist", RATIO, malmquist_definition, "Malmquist", "Malmquist"),
    "luenberger": IndexSpec("luenberger", DIFFERENCE, malmquist_definition, "Luenberger", "Luenberger"),
    "hicks_moorsteen": IndexSpec("hicks_moorsteen", RATIO, label="Hicks-Moorsteen", long_name="Hicks-Moorsteen (HM)",
                                 sides={"output": dict(orientation="output"), "input": dict(orientation="input")},
                                 distance="shephard", **_HM),
    "lhm": IndexSpec("lhm", DIFFERENCE, label="Luenberger-Hicks-Moorsteen",
                     long_name="Luenberger-Hicks-Moorsteen (LHM)",
                     sides={"output": dict(direction="output"), "input": dict(direction="input")},
                     distance="directional", **_HM),
}


def index_texts(index: IndexSpec, technology: str) -> IndexTexts:
    """How the reports name ``index`` computed on ``technology`` (on the global technology tc is the
    best-practice gap change)."""
    components = dict(index.component_texts)
    if technology == "global":
        components["tc"] = "best-practice gap change (BPC)"
    return IndexTexts(label=index.label, long_name=index.long_name, components=components,
                      names_technology=index.technology is not None, spelled=index.spelled)
