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
against the technology of period τ (formulations.md §2.7-2.9)::

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

from .data import _rows, check_engine_options, check_unique_columns, option_value, validate_frame
from .efficiency import make_progress
from .models import family as model_family
from .models import resolve_options
from .panel import period_order, period_ranks
from .problem import Problem, custom_direction
from .results import ProductivityResult, Specification
from .technology import reference_mask

INDEX_ALIASES = {
    "ml": ("malmquist", "contemporaneous"),
    "gml": ("malmquist", "global"),
    "sml": ("malmquist", "sequential"),
    "malmquist": ("malmquist", None),
    "luenberger": ("luenberger", None),
}
TECHNOLOGIES = ("contemporaneous", "sequential", "global", "biennial", "window")


# ----------------------------------------------------------------------------------------------------
# the distance cache
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class TechKey:
    """A reference technology: ``kind`` in TECHNOLOGIES, ``period`` (or the pair for biennial), ``rts``."""

    kind: str
    period: object
    rts: str

    def label(self) -> str:
        if self.kind == "global":
            return "global"
        if self.kind == "biennial":
            return f"biennial:{self.period[0]}-{self.period[1]}"
        return f"{self.kind}:{self.period}"


class DistanceCache:
    """Collects (observation, technology) requests, solves each technology's batch once, serves values."""

    def __init__(self, problems: dict, periods: np.ndarray, order: list, super_efficiency: bool, window, options):
        self.problems = problems                  # rts -> Problem
        self.periods = periods
        self.order = order
        self.super_efficiency = super_efficiency
        self.window = window
        self.options = options
        self.requests: dict[TechKey, set] = {}
        self.values: dict[tuple[int, TechKey], tuple[float, str]] = {}

    def request(self, obs: int, key: TechKey) -> None:
        self.requests.setdefault(key, set()).add(int(obs))

    def reference_rows(self, key: TechKey) -> np.ndarray:
        if key.kind == "biennial":
            mask = np.isin(self.periods, list(key.period))
        else:
            mask = reference_mask(self.periods, key.period, key.kind, self.window, self.order)
        return np.flatnonzero(mask)

    def solve(self, progress=None) -> None:
        """Every requested technology's batch, as one parallel map; scores only (no max-slack stage)."""
        for r in sorted({key.rts for key in self.requests}):
            keys = [key for key in self.requests if key.rts == r]
            batches = [np.array(sorted(self.requests[key]), dtype=np.int64) for key in keys]
            outs = self.problems[r].evaluate_many([(ev, self.reference_rows(key)) for ev, key in zip(batches, keys)],
                                                  super_efficiency=self.super_efficiency, score_outside=True,
                                                  detail=False, progress=progress, **self.options)
            for key, ev, out in zip(keys, batches, outs):
                for o, value, status in zip(ev, out.score, out.status):
                    self.values[(int(o), key)] = (float(value), str(status))

    def get(self, obs: int, key: TechKey) -> float:
        return self.values[(int(obs), key)][0]

    def frame(self, entity: np.ndarray, period: np.ndarray, entity_name: str, period_name: str) -> pd.DataFrame:
        """Every distance solved, sorted by entity, period (in time order), rts and technology."""
        rows = [(entity[o], period[o], key.label(), key.rts, v, s) for (o, key), (v, s) in self.values.items()]
        out = pd.DataFrame(rows, columns=[entity_name, period_name, "technology", "rts", "value", "status"])
        out["_rank"] = period_ranks(out[period_name].to_numpy(), self.order) if len(out) else np.zeros(0, int)
        out = out.sort_values([entity_name, "_rank", "rts", "technology"], kind="stable")
        return out.drop(columns="_rank").reset_index(drop=True)


# ----------------------------------------------------------------------------------------------------
# from distances to indices
# ----------------------------------------------------------------------------------------------------

def _combine(kind: str, form: str, own_a, own_b, cross_ab, cross_ba, pool_a, pool_b):
    """index, ec, tc from the measures of one pair (arrays over pairs).

    own_a = M^a(a), own_b = M^b(b), cross_ab = M^a(b) (period-b obs against technology a), cross_ba = M^b(a);
    pool_a/pool_b are the global or biennial measures of the two observations.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        if form == "malmquist":
            ec = own_b / own_a
            if kind in ("global", "biennial"):
                index = pool_b / pool_a
            else:
                index = np.sqrt((cross_ab / own_a) * (own_b / cross_ba))
            return index, ec, index / ec
        ec = own_a - own_b
        if kind in ("global", "biennial"):
            index = pool_a - pool_b
        else:
            index = 0.5 * ((cross_ba - own_b) + (own_a - cross_ab))
        return index, ec, index - ec


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
    super_efficiency : observations leave reference sets that contain them. Default True for sbm (the
        super-SBM ML/GML of applied work), False otherwise.
    adjacency : ``"observed"`` (consecutive observed periods of each entity) or ``"calendar"``.
    base : ``"previous"`` (chained pairs) or ``"first"`` (every period against the entity's first).
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.
    """
    index, technology, decomposition, adjacency, base, method = (
        option_value(v) for v in (index, technology, decomposition, adjacency, base, method))   # case-insensitive
    if index not in INDEX_ALIASES:
        raise ValueError(f"index must be one of {tuple(INDEX_ALIASES)}, got {index!r}")
    form, implied = INDEX_ALIASES[index]
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
        super_efficiency = model_family(model).name == "sbm"
    check_engine_options(n_jobs, chunk_size)

    frame = data
    if isinstance(frame, pd.DataFrame) and (entity not in frame.columns or period not in frame.columns):
        names = [n for n in frame.index.names if n is not None]
        if entity in names or period in names:
            frame = frame.reset_index()
    for col, role in ((entity, "entity"), (period, "period")):
        if not isinstance(frame, pd.DataFrame) or col not in frame.columns:
            raise ValueError(f"{role} column {col!r} not found in data")
    check_unique_columns(frame, [entity, period])
    for col, role in ((entity, "entity"), (period, "period")):
        if frame[col].isna().any():
            raise ValueError(f"{role} column {col!r} has missing values in rows {_rows(frame.index[frame[col].isna().to_numpy()])}")
    dup = frame.duplicated([entity, period], keep=False).to_numpy()
    if dup.any():
        pairs = list(dict.fromkeys(zip(frame[entity][dup], frame[period][dup])))
        raise ValueError(f"duplicate ({entity}, {period}) rows: {_rows(pairs)}; each entity-period must appear once")
    panel = frame.set_index([entity, period], drop=False)
    panel.index.names = [None, None]
    work = panel.drop(columns=[entity, period])
    work.index = pd.RangeIndex(len(work))
    dea = validate_frame(work, inputs, outputs, bad_outputs)
    options = resolve_options(model, orientation=orientation, rts=rts, bad_disposability=bad_disposability,
                              direction=direction, super_efficiency=super_efficiency, weights=weights, zeros=zeros,
                              productivity=True)
    fam = model_family(options.model)
    G = custom_direction(direction, dea, work.index) if options.direction_label == "custom" else None
    rts_needed = {options.rts} | ({"crs"} if decomposition == "fgnz" else set())
    problems = {r: Problem(dea, dataclasses.replace(options, rts=r), G) for r in rts_needed}
    next(iter(problems.values())).check_zeros(panel.index, np.arange(len(work)))

    ent = panel[entity].to_numpy()
    per = panel[period].to_numpy()
    order = period_order(panel[period], period)
    rank = period_ranks(per, order)

    # pairs (a, b) of observation positions per entity
    pairs, gaps, single = [], [], []
    for e, pos in pd.Series(np.arange(len(per))).groupby(ent, sort=False):
        pos = pos.to_numpy()
        pos = pos[np.argsort(rank[pos], kind="stable")]
        if len(pos) < 2:
            single.append(e)
            continue
        if base == "first":
            cand = [(pos[0], q) for q in pos[1:]]
        else:
            cand = list(zip(pos[:-1], pos[1:]))
        for a, b in cand:
            if adjacency == "calendar" and base == "previous" and rank[b] - rank[a] != 1:
                gaps.append((a, b))
            else:
                pairs.append((a, b))
    if not pairs and not gaps:
        raise ValueError(f"no entity is observed in two periods (the panel has {len(order)} period(s) of "
                         f"{period!r} and {len(single)} entities of {entity!r}, each observed once), so there is "
                         "no pair to compare; productivity needs a panel, efficiency() scores a cross-section")

    engine_options = dict(n_jobs=n_jobs, method=method, chunk_size=chunk_size)
    cache = DistanceCache(problems, per, order, super_efficiency, window, engine_options)
    main_kind = technology if technology in ("sequential", "window") else "contemporaneous"
    ec_rts = "crs" if decomposition == "fgnz" else options.rts

    def own(o, tech_of, r):
        """The period-``o`` observation against the (sequential/window/contemporaneous) technology of obs ``tech_of``."""
        return (int(o), TechKey(main_kind, per[tech_of], r))

    def pool(o, a, b):
        key = TechKey("global", None, ec_rts) if technology == "global" else TechKey("biennial", (per[a], per[b]), ec_rts)
        return (int(o), key)

    def pair_terms(a, b) -> dict:
        """Every distance a pair's index uses, by role."""
        terms = {"own_a": own(a, a, ec_rts), "own_b": own(b, b, ec_rts)}
        if technology in ("global", "biennial"):
            terms.update(pool_a=pool(a, a, b), pool_b=pool(b, a, b))
        else:
            terms.update(cross_ab=own(b, a, ec_rts), cross_ba=own(a, b, ec_rts))
        if decomposition == "fgnz":
            terms.update(pure_a=own(a, a, options.rts), pure_b=own(b, b, options.rts))
        return terms

    terms = [pair_terms(a, b) for a, b in pairs]
    for t in terms:
        for o, key in t.values():
            cache.request(o, key)
    bar = make_progress(progress, sum(len(v) for v in cache.requests.values()))
    cache.solve(progress=bar.update if bar else None)
    if bar:
        bar.close()

    measure = fam.to_efficiency if form == "malmquist" else fam.to_inefficiency

    def m(role):
        if not terms:                      # every pair is a calendar gap: nothing to solve
            return np.zeros(0)
        if role not in terms[0]:
            return None
        return measure(np.array([cache.get(*t[role]) for t in terms]), options.orientation)

    A = np.array([p[0] for p in pairs], dtype=np.int64)
    Bp = np.array([p[1] for p in pairs], dtype=np.int64)
    idx_val, ec, tc = _combine(technology, form, m("own_a"), m("own_b"), m("cross_ab"), m("cross_ba"),
                               m("pool_a"), m("pool_b"))
    columns = {"period_from": per[A], "index": idx_val, "ec": ec, "tc": tc}
    if decomposition == "fgnz":
        pa, pb = m("pure_a"), m("pure_b")
        with np.errstate(divide="ignore", invalid="ignore"):
            pec = pb / pa if form == "malmquist" else pa - pb
            sec = ec / pec if form == "malmquist" else ec - pec
        columns.update(pec=pec, sec=sec)

    status = []
    for t, val in zip(terms, idx_val):
        failed = sorted({f"{cache.values[k][1]} ({k[1].label()}, {k[1].rts})" for k in t.values()
                         if cache.values[k][1] != "optimal"})
        if failed:
            status.append("; ".join(failed))
        elif not np.isfinite(val):
            status.append("undefined (1 + D <= 0 or a zero distance)")
        else:
            status.append("optimal")
    columns["status"] = status
    indices = pd.DataFrame(columns, index=pd.MultiIndex.from_arrays([ent[Bp], per[Bp]], names=[entity, period]))
    if gaps:
        ga = np.array([g[0] for g in gaps])
        gb = np.array([g[1] for g in gaps])
        gap_frame = pd.DataFrame({"period_from": per[ga], "index": np.nan, "ec": np.nan, "tc": np.nan,
                                  **({"pec": np.nan, "sec": np.nan} if decomposition == "fgnz" else {}),
                                  "status": "gap"},
                                 index=pd.MultiIndex.from_arrays([ent[gb], per[gb]], names=[entity, period]))
        indices = pd.concat([indices, gap_frame])
    if len(indices):
        sort_rank = period_ranks(indices.index.get_level_values(1), order)
        ent_first = pd.Series(range(len(pd.unique(ent))), index=pd.unique(ent))
        ent_rank = ent_first.reindex(indices.index.get_level_values(0)).to_numpy()
        indices = indices.iloc[np.lexsort((sort_rank, ent_rank))]

    spec = Specification(**{
        "index": form, "alias": index, "form": "ratio" if form == "malmquist" else "difference",
        "components": tuple(c for c in ("index", "ec", "tc", "pec", "sec") if c in columns),
        "technology": technology, "window": window, "decomposition": decomposition,
        "model": options.model, "orientation": options.orientation, "rts": options.rts,
        "super_efficiency": bool(super_efficiency),
        "bad_disposability": options.bad_disposability if len(dea.bad_outputs) else None,
        "direction": options.direction_label or options.direction,
        "weights": options.weights, "zeros": options.zeros, "adjacency": adjacency, "base": base,
        "entity": entity, "period": period, "inputs": dea.inputs, "outputs": dea.outputs,
        "bad_outputs": dea.bad_outputs, "n_observations": len(work), "n_entities": len(pd.unique(ent)),
        "n_periods": len(order),
    })
    distances = cache.frame(ent, per, entity, period)
    return ProductivityResult(indices=indices, distances=distances, spec=spec, single_period_entities=tuple(single),
                              period_order=tuple(order))
