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

from . import malmquist_bootstrap
from ._text import format_labels
from .data import check_engine_options, option_value, validate_frame
from .scoring import bind_model, progress_bar
from .models import family as model_family
from .models import resolve_options
from .panel import Pairs, Panel, period_ranks
from .problem import Problem
from .results import ProductivityResult, Specification
from .technology import TECHNOLOGIES, ReferenceSets, Technology
from .options import HICKS_MOORSTEEN_TECHNOLOGIES as HM_TECHNOLOGIES

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

@dataclass(frozen=True)
class MixedPoint:
    """A point built from two observations' quantities: the inputs of ``inputs_of`` with the good and bad outputs
    of ``outputs_of`` (row positions). ``None`` on either side stands for the panel's mean quantities (the fixed
    conditioning point of the transitive Hicks-Moorsteen index). The Hicks-Moorsteen indices evaluate such points
    against the technologies; a point with both sides from one observation is that observation (a plain row)."""

    inputs_of: int | None
    outputs_of: int | None

    def sort_key(self) -> tuple:
        return (-1 if self.inputs_of is None else self.inputs_of, -1 if self.outputs_of is None else self.outputs_of)

    def quantities(self, matrix: np.ndarray, means: np.ndarray, n_inputs: int) -> np.ndarray:
        """The point in data units (inputs, outputs, bad outputs)."""
        x = means[:n_inputs] if self.inputs_of is None else matrix[self.inputs_of, :n_inputs]
        y = means[n_inputs:] if self.outputs_of is None else matrix[self.outputs_of, n_inputs:]
        return np.concatenate([x, y])


class DistanceCache:
    """Collects (point, technology) requests, solves each technology's batch once, serves values.

    A point is an observation (its row position), or a :class:`MixedPoint` (inputs of one observation with the
    outputs of another, or with the panel's mean quantities), which is built as a matrix in data units and
    evaluated through :meth:`frontier.problem.Problem.evaluate` with a points matrix. Plain rows and mixed points
    of one technology are two jobs of the same parallel map. Rows are kept as sorted arrays per technology
    (:meth:`request_rows`, :meth:`get_rows`), so a million-observation panel costs arrays, not a Python object per
    distance.
    """

    def __init__(self, problems: dict, references: ReferenceSets, super_efficiency: bool, engine_options: dict):
        self.problems = problems                  # rts -> Problem
        self.references = references
        self.super_efficiency = super_efficiency
        self.engine_options = engine_options
        self.techs: dict[Technology, None] = {}                     # every technology, in order of first request
        self.row_requests: dict[Technology, list[np.ndarray]] = {}
        self.mixed_requests: dict[Technology, set] = {}
        self._merged: set = set()                                   # technologies whose row requests are merged
        # results: per technology its sorted rows with their values and statuses; per mixed point its pair
        self.row_values: dict[Technology, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.values: dict[tuple[MixedPoint, Technology], tuple[float, str]] = {}

    @staticmethod
    def _key(point) -> int | MixedPoint:
        if isinstance(point, MixedPoint):
            same = point.inputs_of is not None and point.inputs_of == point.outputs_of
            return int(point.inputs_of) if same else point
        return int(point)

    def request(self, point, tech: Technology) -> None:
        key = self._key(point)
        if isinstance(key, MixedPoint):
            self.techs.setdefault(tech, None)
            self.mixed_requests.setdefault(tech, set()).add(key)
        else:
            self.request_rows(np.array([key], dtype=np.int64), tech)

    def request_rows(self, rows: np.ndarray, tech: Technology) -> None:
        """Request the distances of the observations ``rows`` (positions; repeats are solved once) to ``tech``."""
        self.techs.setdefault(tech, None)
        self.row_requests.setdefault(tech, []).append(np.asarray(rows, dtype=np.int64))
        self._merged.discard(tech)

    def _requested(self, tech: Technology) -> tuple[np.ndarray, list]:
        """The distinct rows (sorted) and mixed points (sorted) requested for ``tech``."""
        parts = self.row_requests.get(tech, [])
        if parts and tech not in self._merged:       # merged once: the bar's total, then solve, reuse it
            parts[:] = [np.unique(np.concatenate(parts))]
            self._merged.add(tech)
        rows = parts[0] if parts else np.zeros(0, dtype=np.int64)
        mixed = sorted(self.mixed_requests.get(tech, ()), key=MixedPoint.sort_key)
        return rows, mixed

    @property
    def n_requested(self) -> int:
        """The number of distinct distances (LPs) requested: the progress bar's total."""
        return sum(len(rows) + len(mixed) for rows, mixed in map(self._requested, self.techs))

    def solve(self, progress=None) -> None:
        """Every requested technology's batch, as one parallel map; scores only (no max-slack stage)."""
        for r in sorted({tech.rts for tech in self.techs}):
            problem = self.problems[r]
            jobs, keys = [], []
            for tech in [tech for tech in self.techs if tech.rts == r]:
                reference = self.references.rows(tech)
                rows, mixed = self._requested(tech)
                if len(rows):
                    jobs.append((rows, reference))
                    keys.append((tech, rows))
                if mixed:
                    points = np.array([p.quantities(problem.data.matrix, problem.means, problem.layout.m)
                                       for p in mixed])
                    jobs.append((points, reference))
                    keys.append((tech, mixed))
            outs = problem.evaluate_many(jobs, super_efficiency=self.super_efficiency, score_outside=True,
                                         detail=False, progress=progress, **self.engine_options)
            for (tech, batch), out in zip(keys, outs):
                if isinstance(batch, np.ndarray):
                    self.row_values[tech] = (batch, np.asarray(out.score, dtype=float),
                                             np.asarray(out.status).astype(str).astype(object))
                else:
                    for key, value, status in zip(batch, out.score, out.status):
                        self.values[(key, tech)] = (float(value), str(status))

    def get_rows(self, rows: np.ndarray, tech: Technology) -> tuple[np.ndarray, np.ndarray]:
        """The distances and statuses of the observations ``rows`` to ``tech`` (each requested and solved)."""
        solved, values, statuses = self.row_values[tech]
        at = np.searchsorted(solved, rows)
        if len(rows) and (at.max() >= len(solved) or not np.array_equal(solved[at], rows)):
            raise KeyError(f"distances to {tech.label()} were not requested for every row")
        return values[at], statuses[at]

    def _lookup(self, point, tech: Technology) -> tuple[float, str]:
        key = self._key(point)
        if isinstance(key, MixedPoint):
            return self.values[(key, tech)]
        value, status = self.get_rows(np.array([key], dtype=np.int64), tech)
        return float(value[0]), str(status[0])

    def get(self, point, tech: Technology) -> float:
        return self._lookup(point, tech)[0]

    def status(self, point, tech: Technology) -> str:
        return self._lookup(point, tech)[1]

    def frame(self, panel: Panel) -> pd.DataFrame:
        """Every distance solved, sorted by entity, period (in time order), rts and technology.

        With mixed points, the period is that of the outputs (of the inputs when the outputs are the mean) and
        the columns ``inputs_from`` and ``outputs_from`` give the period each side comes from (``"mean"``)."""
        mixed = bool(self.values)
        pieces = []          # per technology and rts as solved: its rows, then its mixed points
        for r in sorted({tech.rts for tech in self.techs}):
            for tech in [tech for tech in self.techs if tech.rts == r]:
                if tech in self.row_values:
                    rows, values, statuses = self.row_values[tech]
                    piece = {"o": rows, "value": values, "status": statuses}
                    if mixed:
                        piece["inputs_from"] = piece["outputs_from"] = panel.period[rows]
                    pieces.append((tech, piece))
                points = sorted((p for p, t in self.values if t == tech), key=MixedPoint.sort_key)
                if points:
                    side = lambda q: "mean" if q is None else panel.period[q]  # noqa: E731
                    pieces.append((tech, {
                        "o": np.array([p.outputs_of if p.outputs_of is not None else p.inputs_of for p in points],
                                      dtype=np.int64),
                        "value": np.array([self.values[(p, tech)][0] for p in points], dtype=float),
                        "status": np.array([self.values[(p, tech)][1] for p in points], dtype=object),
                        "inputs_from": np.array([side(p.inputs_of) for p in points], dtype=object),
                        "outputs_from": np.array([side(p.outputs_of) for p in points], dtype=object)}))
        columns = [panel.entity_name, panel.period_name] + (["inputs_from", "outputs_from"] if mixed else [])
        columns += ["technology", "rts", "value", "status"]
        if not pieces:
            return pd.DataFrame(columns=columns)
        o = np.concatenate([piece["o"] for _, piece in pieces])
        cols = {panel.entity_name: panel.entity[o], panel.period_name: panel.period[o]}
        if mixed:
            for name in ("inputs_from", "outputs_from"):
                cols[name] = np.concatenate([np.asarray(piece[name], dtype=object) for _, piece in pieces])
        cols["technology"] = np.concatenate([np.full(len(piece["o"]), tech.label(), dtype=object)
                                             for tech, piece in pieces])
        cols["rts"] = np.concatenate([np.full(len(piece["o"]), tech.rts, dtype=object) for tech, piece in pieces])
        cols["value"] = np.concatenate([piece["value"] for _, piece in pieces])
        cols["status"] = np.concatenate([piece["status"] for _, piece in pieces])
        out = pd.DataFrame(cols)
        if mixed:       # periods of one type stay that type (object only with "mean" among them)
            out[["inputs_from", "outputs_from"]] = out[["inputs_from", "outputs_from"]].infer_objects()
        out["_rank"] = panel.rank[o].astype(np.int64)
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
    components = ("index", "ec", "tc")

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
    components = ("index", "ec", "tc")

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
            out[f"own_{role}"] = (int(o), Technology("contemporaneous", panel.period[o], rts, g))
            out[f"inter_{role}"] = (int(o), Technology("global", None, rts, g))
            out[f"meta_{role}"] = (int(o), Technology("global", None, rts))
        return out

    def combine(self, form: Form, m: dict) -> dict:
        index = form.change(m["meta_a"], m["meta_b"])
        ec = form.change(m["own_a"], m["own_b"])
        group_change = form.change(m["inter_a"], m["inter_b"])
        return {"index": index, "ec": ec, "bpc": form.residual(group_change, ec),
                "tgc": form.residual(index, group_change)}


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


def pair_terms(definition, panel: Panel, pairs: Pairs, rts: str, groups) -> dict:
    """The distances an index needs for every pair, as arrays: ``{role: {technology: (rows, at)}}``, where the
    observations ``rows`` are the role's for the pairs at positions ``at``.

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
        for role, (o, tech) in definition.terms(panel, a, b, rts).items():
            if o not in (a, b):
                raise AssertionError(f"term {role!r} names observation {o}, neither of the pair ({a}, {b})")
            side = pairs.a if o == a else pairs.b
            bucket = roles.setdefault(role, {})
            rows_at = (side[at], at)
            if tech in bucket:
                rows_at = (np.concatenate([bucket[tech][0], rows_at[0]]), np.concatenate([bucket[tech][1], at]))
            bucket[tech] = rows_at
    return roles


def index_definition(technology: str, decomposition: str | None, rts: str):
    """The definition of an index over the given technology (and decomposition)."""
    inner = PooledTechnology(technology) if technology in ("global", "biennial") else AdjacentTechnologies(technology)
    return FGNZ(inner, rts) if decomposition == "fgnz" else inner


# ----------------------------------------------------------------------------------------------------
# Hicks-Moorsteen (Bjurek 1996) and Luenberger-Hicks-Moorsteen (Briec & Kerstens 2004): quantity indices from
# distances of mixed points, each on its own side (an output-oriented and an input-oriented problem)
# ----------------------------------------------------------------------------------------------------

HM_INDICES = {
    # index: (form, the one model allowed, the option that fixes each side: output side, input side)
    "hicks_moorsteen": ("ratio", "radial", dict(orientation="output"), dict(orientation="input")),
    "lhm": ("difference", "ddf", dict(direction="output"), dict(direction="input")),
}
HM_COMPONENTS = ("index", "output_quantity", "input_quantity")


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
    sqrt[(D_I^a(x_b,y_a)/D_I^a(x_a,y_a)) (D_I^b(x_b,y_b)/D_I^b(x_a,y_b))]. Each term is ``(side, point, tech)``.
    """

    kind: str

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        ta, tb = (Technology(self.kind, panel.period[o], rts) for o in (a, b))
        return {"out_a_aa": ("output", int(a), ta), "out_a_ab": ("output", MixedPoint(int(a), int(b)), ta),
                "out_b_ba": ("output", MixedPoint(int(b), int(a)), tb), "out_b_bb": ("output", int(b), tb),
                "in_a_aa": ("input", int(a), ta), "in_a_ba": ("input", MixedPoint(int(b), int(a)), ta),
                "in_b_ab": ("input", MixedPoint(int(a), int(b)), tb), "in_b_bb": ("input", int(b), tb)}

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

    def terms(self, panel: Panel, a: int, b: int, rts: str) -> dict:
        G = Technology("global", None, rts)
        return {"out_a": ("output", MixedPoint(None, int(a)), G), "out_b": ("output", MixedPoint(None, int(b)), G),
                "in_a": ("input", MixedPoint(int(a), None), G), "in_b": ("input", MixedPoint(int(b), None), G)}

    def combine(self, form: Form, m: dict) -> dict:
        output = form.change(m["out_a"], m["out_b"])
        inputs = form.change(m["in_b"], m["in_a"])
        return {"index": form.residual(output, inputs), "output_quantity": output, "input_quantity": inputs}


def _hm_options(index: str, model, orientation, direction, super_efficiency, decomposition, weights,
                technology) -> tuple[str, str]:
    """Check the options a Hicks-Moorsteen index fixes itself; return (model, technology)."""
    form, allowed, _, _ = HM_INDICES[index]
    model = allowed if model is None else model
    if not isinstance(model, str) or model.lower() != allowed:
        raise ValueError(f"index={index!r} is defined on the {allowed!r} model only (got model={model!r}): "
                         + ("Shephard output and input distances from radial DEA (D_O = 1/phi, D_I = 1/theta)"
                            if form == "ratio" else
                            "directional output (0, y, b) and input (x, 0, 0) distances of the radial DDF"))
    if orientation is not None:
        raise ValueError(f"index={index!r} fixes the orientation itself (an output-oriented and an input-oriented "
                         "distance for every point); leave orientation None")
    if direction is not None:
        raise ValueError(f"index={index!r} fixes the directions itself (output (0, y, b) and input (x, 0, 0)); "
                         "leave direction None")
    if super_efficiency:
        raise ValueError(f"super_efficiency does not apply to index={index!r}: its distances are evaluated "
                         "against technologies that contain the observation (or any point outside, with free scores)")
    if decomposition is not None:
        raise ValueError(f"decomposition={decomposition!r} does not apply to index={index!r}; its components are "
                         f"{HM_COMPONENTS[1:]}")
    if weights is not None:
        raise ValueError(f"weights do not apply to index={index!r} (model {allowed!r} takes none)")
    technology = "contemporaneous" if technology is None else technology
    if technology not in HM_TECHNOLOGIES:
        raise ValueError(f"technology for index={index!r} must be one of {HM_TECHNOLOGIES}, got {technology!r}")
    return allowed, technology


def _hicks_moorsteen(data, entity, period, inputs, outputs, bad_outputs, *, index, technology, window, model,
                     orientation, rts, super_efficiency, direction, weights, bad_disposability, decomposition,
                     adjacency, base, zeros, n_jobs, method, chunk_size, progress) -> ProductivityResult:
    """:func:`productivity` for ``index="hicks_moorsteen"`` or ``"lhm"`` (see its docstring and
    docs/indices/hicks-moorsteen.md)."""
    model, technology = _hm_options(index, model, orientation, direction, super_efficiency, decomposition,
                                    weights, technology)
    form_name, _, output_side, input_side = HM_INDICES[index]
    form = Form(form_name)
    if technology == "window" and (window is None or window < 0):
        raise ValueError("technology='window' needs window=h >= 0")
    if adjacency not in ("observed", "calendar"):
        raise ValueError("adjacency must be 'observed' or 'calendar'")
    if base not in ("previous", "first"):
        raise ValueError("base must be 'previous' or 'first'")
    check_engine_options(n_jobs, chunk_size)

    panel, work = Panel.from_frame(data, entity, period)
    labels = pd.MultiIndex.from_arrays([panel.entity, panel.period])
    dea = validate_frame(work, inputs, outputs, bad_outputs)
    sides = {}
    for side, fixed in (("output", output_side), ("input", input_side)):
        options = resolve_options(model, rts=rts, bad_disposability=bad_disposability, zeros=zeros, **fixed)
        sides[side] = (options, Problem(dea, options))
    sides["output"][1].check_zeros(labels, np.arange(len(work)))
    fam = model_family(model)

    pairs = panel.pairs(adjacency, base)
    if not len(pairs.a) and not len(pairs.gap_a):
        raise ValueError(f"no entity is observed in two periods (the panel has {len(panel.order)} period(s) of "
                         f"{period!r}), so there is no pair to compare")
    definition = HicksMoorsteenTransitive() if technology == "global" else HicksMoorsteenAdjacent(technology)
    references = ReferenceSets(len(work), panel.period, panel.order, window)
    engine_options = dict(n_jobs=n_jobs, method=method, chunk_size=chunk_size)
    caches = {side: DistanceCache({options.rts: problem}, references, False, engine_options)
              for side, (options, problem) in sides.items()}
    terms = [definition.terms(panel, a, b, sides["output"][0].rts) for a, b in zip(pairs.a, pairs.b)]
    for t in terms:
        for side, point, tech in t.values():
            caches[side].request(point, tech)
    with progress_bar(progress, sum(cache.n_requested for cache in caches.values()), unit="LP") as advance:
        for cache in caches.values():
            cache.solve(progress=advance)

    roles = terms[0].keys() if terms else ()
    measures = {}
    for role in roles:
        side = terms[0][role][0]
        values = np.array([caches[side].get(*t[role][1:]) for t in terms])
        measures[role] = form.measure(fam, values, sides[side][0].orientation)
    components = definition.combine(form, measures) if terms else {c: np.zeros(0) for c in HM_COMPONENTS}
    status = []
    for t, val in zip(terms, components["index"]):
        failed = sorted({f"{caches[side].status(point, tech)} ({side} distance, {tech.label()}, {tech.rts})"
                         for side, point, tech in t.values() if caches[side].status(point, tech) != "optimal"})
        status.append("; ".join(failed) if failed else
                      "optimal" if np.isfinite(val) else "undefined (1 + D <= 0 or a zero distance)")
    indices = index_table(panel, pairs, {"period_from": panel.period[pairs.a], **components, "status": status},
                          list(components))
    distances = pd.concat([caches[side].frame(panel).assign(distance=side) for side in ("output", "input")],
                          ignore_index=True)
    options = sides["output"][0]
    spec = Specification(
        index=index, alias=index, form=form.name, components=HM_COMPONENTS, technology=technology,
        window=window if technology == "window" else None, decomposition=None, model=model, orientation=None,
        rts=options.rts, super_efficiency=False,
        bad_disposability=options.bad_disposability if len(dea.bad_outputs) else None, direction=None,
        weights=None, zeros=zeros, adjacency=adjacency, base=base, entity=entity, period=period, inputs=dea.inputs,
        outputs=dea.outputs, bad_outputs=dea.bad_outputs, n_observations=len(work), n_entities=panel.n_entities,
        n_periods=len(panel.order),
    )
    return ProductivityResult(indices=indices, distances=distances, spec=spec, single_period_entities=pairs.single,
                              period_order=panel.order)


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
    group: str | None = None,
    technology: str | None = None,
    window: int | None = None,
    decomposition: str | None = None,
    model: str | None = None,
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
    bootstrap: int | None = None,
    alpha: float = 0.05,
    bandwidth="silverman",
    random_state=None,
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
    group : a column naming each entity's group (region, industry): the metafrontier index of Oh & Lee (2010)
        and Oh (2010) on the global metafrontier, components ``ec`` (contemporaneous group frontier), ``bpc``
        (best-practice change: intertemporal vs contemporaneous group frontier) and ``tgc`` (technology-gap
        change: global metafrontier vs intertemporal group frontier); index = ec x bpc x tgc (Luenberger:
        ec + bpc + tgc). Needs the global technology (``index="gml"``, or ``"malmquist"`` / ``"luenberger"``
        with ``technology`` None or ``"global"``); each entity stays in one group; every group needs two
        observations in each period it appears in.
        ``"hicks_moorsteen"`` (Bjurek 1996; model ``"radial"``) and ``"lhm"`` (Luenberger-Hicks-Moorsteen,
        Briec & Kerstens 2004; model ``"ddf"``): output over input quantity index from distances of mixed
        points; technology contemporaneous, sequential, window (the mean of the a and b versions) or global
        (transitive). Components ``output_quantity``, ``input_quantity``; docs/indices/hicks-moorsteen.md.
    technology : ``"contemporaneous"``, ``"sequential"``, ``"global"``, ``"biennial"`` or ``"window"``
        (with ``window=h`` periods on each side). Default: from the alias, else contemporaneous.
    decomposition : None, or ``"fgnz"`` (ec = pec x sec, index and tc on CRS distances whatever ``rts``: the
        result says so in ``spec.index_rts``, its summary and its exports).
    model, orientation, rts, direction, weights, bad_disposability, zeros : as in :func:`frontier.efficiency`;
        the directional models default to ``direction="output"`` here (gtfpch's default, (0, y, b)),
        except sbm_ddf which keeps ``"observed"``. ``model`` defaults to ``"sbm"`` (``"radial"`` for
        hicks_moorsteen, ``"ddf"`` for lhm).
    super_efficiency : observations leave reference sets that contain them. Default: the model's declared
        ``productivity_super_efficiency`` (True for sbm, the super-SBM ML/GML of applied work; False otherwise).
    adjacency : ``"observed"`` (consecutive observed periods of each entity) or ``"calendar"``.
    base : ``"previous"`` (chained pairs) or ``"first"`` (every period against the entity's first).
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.
    bootstrap : B, the number of replicates of the Simar & Wilson (1999) smoothed bivariate bootstrap
        (:mod:`frontier.malmquist_bootstrap`; docs/indices/malmquist-bootstrap.md): the indices frame gains
        ``<component>_lower``, ``<component>_upper`` and ``<component>_significant`` (the interval excludes 1)
        for the index and each component, and ``bootstrap_failed`` (replicates with a failed LP, left out of the
        interval); ``result.bootstrap`` holds the replicates; ``spec.parameters["bootstrap"]`` states B, alpha,
        the bandwidth and the seed. Radial Malmquist indices only (``index="malmquist"``, ``model="radial"``,
        contemporaneous technology, no bad outputs); anything else is refused.
    alpha : the intervals' level is 1 - alpha.
    bandwidth : ``"silverman"`` (the bivariate normal reference rule, h = n^(-1/6) per period pair) or a number.
    random_state : seed (int) or numpy Generator; same seed, same numbers whatever ``n_jobs``. None draws a seed
        and reports it in ``spec.parameters``.
    **model_options : options only some models take (``epsilon=`` for ebm), as in :func:`frontier.efficiency`.
        Data-derived parameters (EBM's calibrated epsilon and weights) are settled once on the pooled panel, so
        every distance uses the same ones; ``spec.parameters`` reports them.
    """
    if isinstance(index, str) and index.lower() in HM_INDICES:
        if group is not None:
            raise ValueError(f"group= (the metafrontier index) is not defined for index={index!r}; use index='gml', "
                             "'malmquist' or 'luenberger' on the global technology")
        if bootstrap is not None:
            raise ValueError(f"bootstrap: {malmquist_bootstrap.THEORY}; got index={index!r}")
        given = sorted(name for name, value in model_options.items() if value is not None)
        if given:
            raise ValueError(f"{given} do not apply to index={index!r} (its distances are radial or directional)")
        return _hicks_moorsteen(data, entity, period, inputs, outputs, bad_outputs, index=index.lower(),
                                technology=technology, window=window, model=model, orientation=orientation, rts=rts,
                                super_efficiency=super_efficiency, direction=direction, weights=weights,
                                bad_disposability=bad_disposability, decomposition=decomposition,
                                adjacency=adjacency, base=base, zeros=zeros, n_jobs=n_jobs, method=method,
                                chunk_size=chunk_size, progress=progress)
    index, technology, decomposition, adjacency, base, method = (
        option_value(v) for v in (index, technology, decomposition, adjacency, base, method))   # case-insensitive
    if index not in INDEX_ALIASES:
        raise ValueError(f"index must be one of {tuple(INDEX_ALIASES) + tuple(HM_INDICES)}, got {index!r}")
    model = "sbm" if model is None else model
    family_name, implied = INDEX_ALIASES[index]
    form = FORMS[family_name]
    if group is not None:
        if implied not in (None, "global") or technology not in (None, "global"):
            raise ValueError(f"the metafrontier index (group={group!r}) is defined on the global metafrontier; "
                             f"got index={index!r}, technology={technology or implied!r} (use index='gml', or "
                             "'malmquist' / 'luenberger' with technology='global')")
        if decomposition is not None:
            raise ValueError("decomposition='fgnz' does not apply to the metafrontier index (group=), whose "
                             "components are ec, bpc and tgc")
        technology = "global"
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
    if bootstrap is not None:
        boot_options = malmquist_bootstrap.check_options(bootstrap, alpha, bandwidth, random_state)

    panel, work = Panel.from_frame(data, entity, period)
    labels = pd.MultiIndex.from_arrays([panel.entity, panel.period])
    groups = None if group is None else entity_groups(panel, work, group)
    dea = validate_frame(work, inputs, outputs, bad_outputs, other_columns=[group] if group is not None else [])
    problem = bind_model(dea, work.index, model=model, orientation=orientation, rts=rts,
                         bad_disposability=bad_disposability, direction=direction, super_efficiency=super_efficiency,
                         weights=weights, zeros=zeros, productivity=True, model_options=model_options)
    options, G = problem.options, problem.direction_data
    fam = model_family(options.model)
    if bootstrap is not None:
        malmquist_bootstrap.check_supported(family_name=family_name, technology=technology, model=options.model,
                                            bad_outputs=dea.bad_outputs, super_efficiency=bool(super_efficiency),
                                            group=group)
    rts_needed = {options.rts} | ({"crs"} if decomposition == "fgnz" else set())
    problems = {r: problem if r == options.rts else Problem(dea, dataclasses.replace(options, rts=r), G)
                for r in rts_needed}
    next(iter(problems.values())).check_zeros(labels, np.arange(len(work)))

    pairs = panel.pairs(adjacency, base)
    if not len(pairs.a) and not len(pairs.gap_a):
        raise ValueError(f"no entity is observed in two periods (the panel has {len(panel.order)} period(s) of "
                         f"{period!r} and {len(pairs.single)} entities of {entity!r}, each observed once), so there "
                         "is no pair to compare; productivity needs a panel, efficiency() scores a cross-section")

    definition = index_definition(technology, decomposition, options.rts) if groups is None else \
        MetafrontierTechnologies(tuple(groups))
    references = ReferenceSets(len(work), panel.period, panel.order, window, groups=groups)
    cache = DistanceCache(problems, references, super_efficiency,
                          dict(n_jobs=n_jobs, method=method, chunk_size=chunk_size))
    main_rts = "crs" if decomposition == "fgnz" else options.rts
    roles = pair_terms(definition, panel, pairs, main_rts, groups)
    for role in roles.values():
        for tech, (rows, _) in role.items():
            cache.request_rows(rows, tech)
    with progress_bar(progress, cache.n_requested, unit="LP") as advance:
        cache.solve(progress=advance)

    measures, failures = {}, {}
    for name, role in roles.items():
        values, statuses = np.full(len(pairs.a), np.nan), np.full(len(pairs.a), "optimal", dtype=object)
        for tech, (rows, at) in role.items():
            values[at], statuses[at] = cache.get_rows(rows, tech)
            failed = at[statuses[at] != "optimal"]
            for i in failed:
                failures.setdefault(i, set()).add(f"{statuses[i]} ({tech.label()}, {tech.rts})")
        measures[name] = form.measure(fam, values, options.orientation)
    components = definition.combine(form, measures) if len(pairs.a) else \
        {c: np.zeros(0) for c in definition.components}
    columns = {"period_from": panel.period[pairs.a], **components}
    status = np.where(np.isfinite(components["index"]), "optimal", "undefined (1 + D <= 0 or a zero distance)")
    status = status.astype(object)
    for i, failed in failures.items():
        status[i] = "; ".join(sorted(failed))
    columns["status"] = list(status)
    indices = index_table(panel, pairs, columns, list(components))
    parameters = problems[main_rts].parameters
    boot = None
    if bootstrap is not None:
        B, alpha, bandwidth, seed = boot_options
        boot_columns, boot = malmquist_bootstrap.bootstrap_malmquist(
            B=B, alpha=alpha, bandwidth=bandwidth, random_state=seed, panel=panel, pairs=pairs, roles=roles,
            definition=definition, form=form, fam=fam, options=options, problems=problems, references=references,
            point=components, engine_options=dict(n_jobs=n_jobs, method=method, chunk_size=chunk_size),
            progress=progress)
        indices = indices.join(boot_columns)
        indices["bootstrap_failed"] = indices["bootstrap_failed"].astype("Int64")
        parameters = {**(parameters or {}), "bootstrap": {
            "B": B, "alpha": alpha, "bandwidth": bandwidth,
            "random_state": seed if isinstance(seed, int) else repr(seed),
            "method": "Simar & Wilson (1999) smoothed bivariate bootstrap, basic intervals"}}

    spec = Specification(
        index=family_name, alias=index, form=form.name, components=tuple(components), technology=technology,
        window=window, decomposition=decomposition, model=options.model, orientation=options.orientation,
        rts=options.rts, super_efficiency=bool(super_efficiency),
        bad_disposability=options.bad_disposability if len(dea.bad_outputs) else None,
        direction=options.direction_label or options.direction, weights=options.weights, zeros=options.zeros,
        adjacency=adjacency, base=base, entity=entity, period=period, inputs=dea.inputs, outputs=dea.outputs,
        bad_outputs=dea.bad_outputs, n_observations=len(work), n_entities=panel.n_entities,
        n_periods=len(panel.order), group=group, parameters=parameters,
        model_options=options.extra or None,
    )
    return ProductivityResult(indices=indices, distances=cache.frame(panel), spec=spec,
                              single_period_entities=pairs.single, period_order=panel.order, bootstrap=boot)
