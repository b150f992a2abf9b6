r"""Productivity indices over panels: Malmquist, Malmquist-Luenberger (ML), global ML (GML), sequential ML
(SML), biennial, window and Luenberger, with their decompositions and cumulative (GTFP) series.

Every index is algebra over a cache of distances ``D(observation, reference technology)``; each such LP is
solved once whichever index uses it, and all of them are returned in ``ProductivityResult.distances``.

Distances and the efficiency measure E (larger = better) used by the ratio ("malmquist") form:

=================  =========================  ==============================================
model              distance reported          E
=================  =========================  ==============================================
radial, input      theta (Farrell)            theta
radial, output     phi (Farrell, >= 1)        1 / phi  (Shephard output distance)
sbm                rho (hybrid super-SBM)     rho
ddf, nddf, sbm_ddf D (inefficiency, 0 = eff.)  1 / (1 + D)   (Chung, Färe & Grosskopf 1997)
=================  =========================  ==============================================

For a pair of an entity's observations at periods a < b, with E^τ(t) the measure of the period-t observation
against the technology of period τ (Färe, Grosskopf, Norris & Zhang 1994; Chung, Färe & Grosskopf 1997; Oh
2010)::

    contemporaneous / sequential / window:
        index = sqrt[ (E^a(b) / E^a(a)) (E^b(b) / E^b(a)) ]     (Malmquist; ML with a DDF)
        ec    = E^b(b) / E^a(a)
        tc    = index / ec
    global (Pastor & Lovell 2005; Oh 2010):   index = E^G(b) / E^G(a),  ec contemporaneous,  tc = index / ec
                                              (tc is the best-practice gap change, BPC)
    biennial (Pastor, Asmild & Lovell 2011):  index = E^B(b) / E^B(a) with B = periods {a, b},  tc = index / ec

The Luenberger form (Chambers, Chung & Färe 1996) uses the inefficiency D (ddf family: D; radial input:
1 - theta; radial output: phi - 1; sbm: 1 - rho) and differences: ``L = 1/2 [(D^b(a) - D^b(b)) + (D^a(a) -
D^a(b))]``, ``ec = D^a(a) - D^b(b)``, ``tc = L - ec`` (global: ``L = D^G(a) - D^G(b)``). Ratio indices > 1
and Luenberger indicators > 0 mean progress.

``decomposition="fgnz"`` (Färe, Grosskopf, Norris & Zhang 1994): index and tc from CRS distances, and ec
split into pec (pure efficiency change under the chosen ``rts``) times sec (scale efficiency change,
ec_crs / pec); for Luenberger the split is additive.

Cross-period SBM distances of observations outside a reference technology come from super-SBM (Tone 2004),
so the ratio index is defined. Infeasible LPs remain possible (VRS cross-period radial and DDF LPs; SBM-DDF
with its equality constraints; super-SBM with bad outputs under VRS, see :mod:`frontier.models.sbm`): the
affected index, ec or tc is NaN and ``status`` names the LP. With ``super_efficiency=False`` every global
(GML) distance is feasible, because each observation belongs to the global reference set. With ``super_efficiency=True`` an observation always leaves any reference set
that contains it (the "super-SBM ML" of applied work); otherwise only outside observations get delta >= 1.

Pairs are each entity's consecutive observed periods (``adjacency="observed"``); ``adjacency="calendar"``
only pairs periods adjacent in the panel's period order (:func:`frontier.panel.period_order`) (a gap yields a NaN row with status ``"gap"``).
``base="first"`` compares every period with the entity's first (fixed base, DEAMATLAB's ``fixbaset``).
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import check_engine_options, option_value, validate_frame
from .efficiency import make_progress
from .models import family as model_family
from .models import resolve_options
from .panel import Panel, period_ranks
from .problem import Problem, custom_direction
from .results import ProductivityResult, Specification
from .technology import TECHNOLOGIES, ReferenceSets, Technology

INDEX_ALIASES = {
    "ml": ("malmquist", "contemporaneous"),
    "gml": ("malmquist", "global"),
    "sml": ("malmquist", "sequential"),
    "malmquist": ("malmquist", None),
    "luenberger": ("luenberger", None),
}


# ----------------------------------------------------------------------------------------------------
# the distance cache
# ----------------------------------------------------------------------------------------------------

class DistanceCache:
    """Collects (observation, technology) requests, solves each technology's batch once, serves values."""

    def __init__(self, problems: dict, references: ReferenceSets, super_efficiency: bool, engine_options: dict):
        self.problems = problems                  # rts -> Problem
        self.references = references
        self.super_efficiency = super_efficiency
        self.engine_options = engine_options
        self.requests: dict[Technology, set] = {}
        self.values: dict[tuple[int, Technology], tuple[float, str]] = {}

    def request(self, obs: int, tech: Technology) -> None:
        self.requests.setdefault(tech, set()).add(int(obs))

    def solve(self, progress=None) -> None:
        """Every requested technology's batch, as one parallel map; scores only (no max-slack stage)."""
        for r in sorted({tech.rts for tech in self.requests}):
            techs = [tech for tech in self.requests if tech.rts == r]
            batches = [np.array(sorted(self.requests[tech]), dtype=np.int64) for tech in techs]
            outs = self.problems[r].evaluate_many([(ev, self.references.rows(tech)) for ev, tech in zip(batches, techs)],
                                                  super_efficiency=self.super_efficiency, score_outside=True,
                                                  detail=False, progress=progress, **self.engine_options)
            for tech, ev, out in zip(techs, batches, outs):
                for o, value, status in zip(ev, out.score, out.status):
                    self.values[(int(o), tech)] = (float(value), str(status))

    def get(self, obs: int, tech: Technology) -> float:
        return self.values[(int(obs), tech)][0]

    def frame(self, panel: Panel) -> pd.DataFrame:
        """Every distance solved, sorted by entity, period (in time order), rts and technology."""
        rows = [(panel.entity[o], panel.period[o], tech.label(), tech.rts, v, s)
                for (o, tech), (v, s) in self.values.items()]
        out = pd.DataFrame(rows, columns=[panel.entity_name, panel.period_name, "technology", "rts", "value",
                                          "status"])
        out["_rank"] = panel.rank[[o for o, _ in self.values]] if len(out) else np.zeros(0, int)
        out = out.sort_values([panel.entity_name, "_rank", "rts", "technology"], kind="stable")
        return out.drop(columns="_rank").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------
# index definitions: which distances an index requests for a pair, and how it combines them
# ----------------------------------------------------------------------------------------------------

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


FORMS = {"malmquist": Form("ratio"), "luenberger": Form("difference")}


@dataclass(frozen=True)
class AdjacentTechnologies:
    """Each period against its own technology and the other period's (contemporaneous, sequential, window):
    index = mean[change(M^a(a) -> M^a(b)), change(M^b(a) -> M^b(b))] (Caves, Christensen & Diewert 1982; Färe
    et al. 1994; Chung, Färe & Grosskopf 1997), ec = change(M^a(a) -> M^b(b)), tc = index / ec."""

    kind: str

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        own = lambda o, t: (int(o), Technology(self.kind, panel.period[t], rts))  # noqa: E731
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

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        pooled = Technology("global", None, rts) if self.kind == "global" else \
            Technology("biennial", (panel.period[a], panel.period[b]), rts)
        own = lambda o: (int(o), Technology("contemporaneous", panel.period[o], rts))  # noqa: E731
        return {"own_a": own(a), "own_b": own(b), "pool_a": (int(a), pooled), "pool_b": (int(b), pooled)}

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

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        terms = self.inner.terms(panel, a, b, "crs")
        pure = self.inner.terms(panel, a, b, self.rts)
        return {**terms, "pure_a": pure["own_a"], "pure_b": pure["own_b"]}

    def combine(self, form: Form, m: dict) -> dict:
        out = self.inner.combine(form, m)
        pec = form.change(m["pure_a"], m["pure_b"])
        return {**out, "pec": pec, "sec": form.residual(out["ec"], pec)}


def index_definition(technology: str, decomposition: str | None, rts: str):
    """The definition of an index over the given technology (and decomposition)."""
    inner = PooledTechnology(technology) if technology in ("global", "biennial") else AdjacentTechnologies(technology)
    return FGNZ(inner, rts) if decomposition == "fgnz" else inner


# ----------------------------------------------------------------------------------------------------
# the public function
# ----------------------------------------------------------------------------------------------------

def productivity(
    data: pd.DataFrame,
    entity: str,
    period: str,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    index: str = "gml",
    technology: str | None = None,
    window: int | None = None,
    decomposition: str | None = None,
    model: str = "sbm",
    orientation: str | None = None,
    rts: str = "vrs",
    super_efficiency: bool | None = None,
    direction=None,
    weights: dict | None = None,
    bad_disposability: str | None = None,
    adjacency: str = "observed",
    base: str = "previous",
    zeros: str = "error",
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
    **model_options,
) -> ProductivityResult:
    """Productivity change of every entity between its consecutive periods, and the distances behind it.

    Parameters
    ----------
    data : long panel, one row per (entity, period); unbalanced panels are fine.
    entity, period : column names identifying the entity and the period.
    inputs, outputs, bad_outputs : as in :func:`frontier.efficiency`.
    Option values are case-insensitive (``index="GML"``, ``technology="Global"``, ``rts="VRS"``).

    index : ``"malmquist"`` (ratio form: Malmquist, or Malmquist-Luenberger with a directional model),
        ``"luenberger"`` (difference form), or the aliases ``"ml"`` (malmquist, contemporaneous),
        ``"gml"`` (malmquist, global), ``"sml"`` (malmquist, sequential).
    technology : ``"contemporaneous"``, ``"sequential"``, ``"global"``, ``"biennial"`` or ``"window"``
        (with ``window=h`` periods on each side). Default: from the alias, else contemporaneous.
    decomposition : None, or ``"fgnz"`` (ec = pec x sec, index and tc on CRS distances whatever ``rts``: the
        result says so in ``spec.index_rts``, its summary and its exports).
    model, orientation, rts, direction, weights, bad_disposability, zeros : as in :func:`frontier.efficiency`;
        the directional models default to ``direction="output"`` here (gtfpch's default, (0, y, b)),
        except sbm_ddf which keeps ``"observed"``.
    super_efficiency : observations leave reference sets that contain them. Default: the model's declared
        ``productivity_super_efficiency`` (True for sbm, the super-SBM ML/GML of applied work; False otherwise).
    adjacency : ``"observed"`` (consecutive observed periods of each entity) or ``"calendar"``.
    base : ``"previous"`` (chained pairs) or ``"first"`` (every period against the entity's first).
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.
    **model_options : options only some models take (``epsilon=`` for ebm), as in :func:`frontier.efficiency`.
        Data-derived parameters (EBM's calibrated epsilon and weights) are settled once on the pooled panel, so
        every distance uses the same ones; ``spec.parameters`` reports them.
    """
    index, technology, decomposition, adjacency, base, method = (
        option_value(v) for v in (index, technology, decomposition, adjacency, base, method))   # case-insensitive
    if index not in INDEX_ALIASES:
        raise ValueError(f"index must be one of {tuple(INDEX_ALIASES)}, got {index!r}")
    family_name, implied = INDEX_ALIASES[index]
    form = FORMS[family_name]
    if technology is None:
        technology = implied or "contemporaneous"
    elif implied is not None and technology != implied:
        raise ValueError(f"index={index!r} means the {implied} technology; got technology={technology!r} "
                         "(use index='malmquist' with an explicit technology instead)")
    if technology not in TECHNOLOGIES:
        raise ValueError(f"technology must be one of {TECHNOLOGIES}, got {technology!r}")
    if technology == "window" and (window is None or window < 0):
        raise ValueError("technology='window' needs window=h >= 0")
    if decomposition not in (None, "fgnz"):
        raise ValueError(f"decomposition must be None or 'fgnz', got {decomposition!r}")
    if adjacency not in ("observed", "calendar"):
        raise ValueError("adjacency must be 'observed' or 'calendar'")
    if base not in ("previous", "first"):
        raise ValueError("base must be 'previous' or 'first'")
    if super_efficiency is None:
        super_efficiency = model_family(model).productivity_super_efficiency
    check_engine_options(n_jobs, chunk_size)

    panel, work = Panel.from_frame(data, entity, period)
    labels = pd.MultiIndex.from_arrays([panel.entity, panel.period])
    dea = validate_frame(work, inputs, outputs, bad_outputs)
    options = resolve_options(model, orientation=orientation, rts=rts, bad_disposability=bad_disposability,
                              direction=direction, super_efficiency=super_efficiency, weights=weights, zeros=zeros,
                              productivity=True, model_options=model_options)
    fam = model_family(options.model)
    G = custom_direction(direction, dea, work.index) if options.direction_label == "custom" else None
    rts_needed = {options.rts} | ({"crs"} if decomposition == "fgnz" else set())
    problems = {r: Problem(dea, dataclasses.replace(options, rts=r), G) for r in rts_needed}
    next(iter(problems.values())).check_zeros(labels, np.arange(len(work)))

    pairs = panel.pairs(adjacency, base)
    if not len(pairs.a) and not len(pairs.gap_a):
        raise ValueError(f"no entity is observed in two periods (the panel has {len(panel.order)} period(s) of "
                         f"{period!r} and {len(pairs.single)} entities of {entity!r}, each observed once), so there "
                         "is no pair to compare; productivity needs a panel, efficiency() scores a cross-section")

    definition = index_definition(technology, decomposition, options.rts)
    references = ReferenceSets(len(work), panel.period, panel.order, window)
    cache = DistanceCache(problems, references, super_efficiency,
                          dict(n_jobs=n_jobs, method=method, chunk_size=chunk_size))
    main_rts = "crs" if decomposition == "fgnz" else options.rts
    terms = [definition.terms(panel, a, b, main_rts) for a, b in zip(pairs.a, pairs.b)]
    for t in terms:
        for o, tech in t.values():
            cache.request(o, tech)
    bar = make_progress(progress, sum(len(v) for v in cache.requests.values()))
    cache.solve(progress=bar.update if bar else None)
    if bar:
        bar.close()

    roles = terms[0].keys() if terms else ()
    measures = {role: form.measure(fam, np.array([cache.get(*t[role]) for t in terms]), options.orientation)
                for role in roles}
    components = definition.combine(form, measures) if terms else \
        {c: np.zeros(0) for c in ("index", "ec", "tc") + (("pec", "sec") if decomposition == "fgnz" else ())}
    columns = {"period_from": panel.period[pairs.a], **components}

    status = []
    for t, val in zip(terms, components["index"]):
        failed = sorted({f"{cache.values[k][1]} ({k[1].label()}, {k[1].rts})" for k in t.values()
                         if cache.values[k][1] != "optimal"})
        if failed:
            status.append("; ".join(failed))
        elif not np.isfinite(val):
            status.append("undefined (1 + D <= 0 or a zero distance)")
        else:
            status.append("optimal")
    columns["status"] = status
    names = [entity, period]
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

    spec = Specification(
        index=family_name, alias=index, form=form.name, components=tuple(components), technology=technology,
        window=window, decomposition=decomposition, model=options.model, orientation=options.orientation,
        rts=options.rts, super_efficiency=bool(super_efficiency),
        bad_disposability=options.bad_disposability if len(dea.bad_outputs) else None,
        direction=options.direction_label or options.direction, weights=options.weights, zeros=options.zeros,
        adjacency=adjacency, base=base, entity=entity, period=period, inputs=dea.inputs, outputs=dea.outputs,
        bad_outputs=dea.bad_outputs, n_observations=len(work), n_entities=panel.n_entities,
        n_periods=len(panel.order), parameters=problems[main_rts].parameters,
        model_options=options.extra or None,
    )
    return ProductivityResult(indices=indices, distances=cache.frame(panel), spec=spec,
                              single_period_entities=pairs.single, period_order=panel.order)
