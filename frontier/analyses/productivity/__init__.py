r"""``productivity()``: productivity indices over panels, one pipeline for every index: Malmquist,
Malmquist-Luenberger (ML), global ML (GML), sequential ML (SML), biennial, window, Luenberger, the metafrontier
index and the Hicks-Moorsteen indices, with their decompositions and cumulative (GTFP) series.

The pipeline: the index's declaration (:data:`.definitions.INDICES`) checks the options, one
:class:`~frontier.problem.Problem` per side of its terms and returns to scale is bound, :func:`.definitions.pair_terms`
turns the definition's terms into arrays over the pairs, a :class:`.cache.DistanceCache` per side solves each
distance once, and the definition combines the measures into the index and its components.

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
import warnings

import numpy as np
import pandas as pd

from ...data import check_engine_options, option_value, validate_frame
from ...options import PRODUCTIVITY_BOOTSTRAP_SCHEMES
from ...models import family as model_family
from ...panel import Panel
from ...problem import Problem
from ...results import ProductivityResult
from .._pipeline import Analysis, bind_model, model_settings, progress_bar, public, spec_of
from ...technology import TECHNOLOGIES, ReferenceSets
from . import bootstrap as malmquist_bootstrap
from . import subsampling
from .cache import DistanceCache, MixedPoint
from .estimate import IndexEstimator
from .definitions import DEFAULT_SIDE, INDICES, Form, IndexSpec, entity_groups, index_table, index_texts, pair_terms

__all__ = ["productivity", "DistanceCache", "MixedPoint", "Form", "INDICES", "IndexSpec"]

PRODUCTIVITY = Analysis("productivity", roles=("entity", "period", "inputs", "outputs", "bad_outputs", "group"),
                        result=ProductivityResult, model_options=True)


@public(PRODUCTIVITY)
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
    scheme: str = "smoothed",
    kappa: float | None = None,
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
        ``"luenberger"`` (difference form; on an efficiency score such as SBM's it warns that it is a difference
        of scores), or the aliases ``"ml"`` (malmquist, contemporaneous), ``"gml"`` (malmquist, global),
        ``"sml"`` (malmquist, sequential).
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
        (with ``window=h`` periods on each side; ``window`` with any other technology is refused, it would change
        nothing). Default: from the alias, else contemporaneous.
    decomposition : None, or ``"fgnz"`` (ec = pec x sec, index and tc on CRS distances whatever ``rts``: the
        result says so in ``spec.index_rts``, its summary and its exports).
    model, orientation, rts, direction, weights, bad_disposability, zeros : as in :func:`frontier.efficiency`;
        the directional models default to ``direction="output"`` here (gtfpch's default, (0, y, b)),
        except sbm_ddf which keeps ``"observed"``. ``model`` defaults to ``"sbm"`` (``"radial"`` for
        hicks_moorsteen, ``"ddf"`` for lhm).
    super_efficiency : observations leave reference sets that contain them. Default: the model's declared
        ``productivity_super_efficiency`` (True for sbm, the super-SBM ML/GML of applied work; False otherwise).
    adjacency : ``"observed"`` (consecutive observed periods of each entity) or ``"calendar"`` (refused with
        ``base="first"``, where it changes nothing).
    base : ``"previous"`` (chained pairs) or ``"first"`` (every period against the entity's first).
    n_jobs, method, chunk_size, progress : engine options as in :func:`frontier.efficiency`.
    bootstrap : B, the number of replicates of the Simar & Wilson (1999) smoothed bivariate bootstrap
        (:mod:`frontier.analyses.productivity.bootstrap`; docs/indices/malmquist-bootstrap.md): the indices frame gains
        ``<component>_lower``, ``<component>_upper`` and ``<component>_significant`` (the interval excludes 1)
        for the index and each component, and ``bootstrap_failed`` (replicates with a failed LP, left out of the
        interval); ``result.bootstrap`` holds the replicates; ``spec.parameters["bootstrap"]`` states B, alpha,
        the bandwidth and the seed. Radial Malmquist indices only (``index="malmquist"``, ``model="radial"``,
        contemporaneous technology, no bad outputs); anything else is refused. With ``scheme="subsampling"`` the
        intervals come from m out of n subsampling of the entities instead, for any Malmquist-family index.
    scheme : with ``bootstrap``: ``"smoothed"`` (default; the Simar & Wilson 1999 bootstrap above) or
        ``"subsampling"`` (:mod:`frontier.analyses.productivity.subsampling`): each replicate keeps m of the n
        entities, recomputes the index of every pair against the reference technologies those m span, and the
        basic interval of the replicates is rescaled by (m/n)^r, r = 2/(p + q + 1) (VRS) or 2/(p + q) (CRS).
        For ML, GML, SBM, directional and Luenberger indices that rate is a conjecture, not established theory:
        the result (``result.bootstrap.label``), its summary and its exports say so (docs/bootstrap.md). Offered
        for index ``ml``, ``gml``, ``sml``, ``malmquist``, ``luenberger`` without ``group``; ``_significant``
        means the interval excludes 1 (ratio) or 0 (Luenberger). ``result.bootstrap`` is an
        :class:`~frontier.results.IndexSubsampling`.
    kappa : with ``scheme="subsampling"``: m = round(n^kappa) of the n entities, kappa in (0, 1); None (default)
        chooses kappa by the volatility method (Politis, Romano & Wolf 2001), ten times the LPs.
    alpha : the intervals' level is 1 - alpha. ``alpha``, ``bandwidth`` and ``random_state`` other than their
        defaults are refused without ``bootstrap`` (they would change nothing).
    bandwidth : ``"silverman"`` (the bivariate normal reference rule, h = n^(-1/6) per period pair) or a number.
    random_state : seed (int) or numpy Generator; same seed, same numbers whatever ``n_jobs``. None draws a seed
        and reports it in ``spec.parameters``.
    **model_options : options only some models take (``epsilon=`` for ebm), as in :func:`frontier.efficiency`.
        Data-derived parameters (EBM's calibrated epsilon and weights) are settled once on the pooled panel, so
        every distance uses the same ones; ``spec.parameters`` reports them.
    """
    alias = option_value(index)
    if alias not in INDICES:
        raise ValueError(f"index must be one of {tuple(INDICES)}, got {index!r}")
    declared = INDICES[alias]
    technology, decomposition, adjacency, base, method = (
        option_value(v) for v in (technology, decomposition, adjacency, base, method))   # case-insensitive
    model = _index_model(alias, declared, model)
    _refuse_inapplicable(alias, declared, model, group=group, bootstrap=bootstrap, model_options=model_options,
                         orientation=orientation, direction=direction, super_efficiency=super_efficiency,
                         decomposition=decomposition, weights=weights)
    form = declared.form
    if group is not None:
        if declared.technology not in (None, "global") or technology not in (None, "global"):
            raise ValueError(f"the metafrontier index (group={group!r}) is defined on the global metafrontier; "
                             f"got index={alias!r}, technology={technology or declared.technology!r} (use "
                             "index='gml', or 'malmquist' / 'luenberger' with technology='global')")
        if decomposition is not None:
            raise ValueError("decomposition='fgnz' does not apply to the metafrontier index (group=), whose "
                             "components are ec, bpc and tgc")
        technology = "global"
    technology = _index_technology(alias, declared, technology)
    if technology == "window" and (window is None or window < 0):
        raise ValueError("technology='window' needs window=h >= 0")
    if window is not None and technology != "window":
        raise ValueError(f"window={window!r} applies to technology='window' only (the periods on each side of "
                         f"the window); it has no effect with technology={technology!r}: leave it None")
    if decomposition not in (None, "fgnz"):
        raise ValueError(f"decomposition must be None or 'fgnz', got {decomposition!r}")
    if adjacency not in ("observed", "calendar"):
        raise ValueError("adjacency must be 'observed' or 'calendar'")
    if base not in ("previous", "first"):
        raise ValueError("base must be 'previous' or 'first'")
    if adjacency == "calendar" and base == "first":
        raise ValueError("adjacency='calendar' leaves consecutive observations more than one period apart unpaired; "
                         "with base='first' every period is compared with the entity's first, so it has no effect: "
                         "leave adjacency='observed'")
    if super_efficiency is None:
        super_efficiency = model_family(model, "efficiency").productivity_super_efficiency
    check_engine_options(n_jobs, chunk_size)
    scheme = option_value(scheme)
    if bootstrap is not None:
        boot_options, kappa = _bootstrap_options(bootstrap, scheme, kappa, alpha, bandwidth, random_state)
    else:
        _refuse_bootstrap_options(alpha, bandwidth, random_state, scheme, kappa)

    panel, work = Panel.from_frame(data, entity, period)
    labels = pd.MultiIndex.from_arrays([panel.entity, panel.period])
    groups = None if group is None else entity_groups(panel, work, group)
    dea = validate_frame(work, inputs, outputs, bad_outputs, other_columns=[group] if group is not None else [])
    rts_needed = {"crs"} if decomposition == "fgnz" else set()
    sides, bound = {}, {}       # side -> {rts: Problem}; side -> its options (the caller's rts)
    for side, fixed in declared.sides.items():
        problem = bind_model(dea, work.index, model=model, orientation=fixed.get("orientation", orientation),
                             rts=rts, bad_disposability=bad_disposability,
                             direction=fixed.get("direction", direction), super_efficiency=super_efficiency,
                             weights=weights, zeros=zeros, productivity=True, model_options=model_options)
        sides[side] = {r: problem if r == problem.options.rts else
                       Problem(dea, dataclasses.replace(problem.options, rts=r), problem.direction_data)
                       for r in rts_needed | {problem.options.rts}}
        bound[side] = problem.options
    first_side = next(iter(sides))
    first, options = sides[first_side], bound[first_side]
    next(iter(first.values())).check_zeros(labels, np.arange(len(work)))
    fam = model_family(options.model)
    if decomposition is None and declared.form.name == "difference" and fam.score_kind == "efficiency":
        _warn_difference_of_scores(alias, fam)
    if bootstrap is not None and scheme == "subsampling":
        subsampling.check_supported(family_name=declared.name, group=group)
    elif bootstrap is not None:
        malmquist_bootstrap.check_supported(family_name=declared.name, technology=technology, model=options.model,
                                            bad_outputs=dea.bad_outputs, super_efficiency=bool(super_efficiency),
                                            group=group)

    pairs = panel.pairs(adjacency, base)
    if not len(pairs.a) and not len(pairs.gap_a):
        raise ValueError(f"no entity is observed in two periods (the panel has {len(panel.order)} period(s) of "
                         f"{period!r} and {len(pairs.single)} entities of {entity!r}, each observed once), so there "
                         "is no pair to compare; productivity needs a panel, efficiency() scores a cross-section")

    definition = declared.definition(technology, decomposition, options.rts, groups)
    references = ReferenceSets(len(work), panel.period, panel.order, window, groups=groups)
    engine_options = dict(n_jobs=n_jobs, method=method, chunk_size=chunk_size)
    main_rts = "crs" if decomposition == "fgnz" else options.rts
    roles = pair_terms(definition, panel, pairs, main_rts, groups)
    estimator = IndexEstimator(sides=sides, options=bound, references=references,
                               super_efficiency=bool(super_efficiency), engine_options=engine_options, roles=roles,
                               definition=definition, form=form, family=fam, n_pairs=len(pairs.a))
    caches = estimator.requested()
    with progress_bar(progress, sum(cache.n_requested for cache in caches.values()), unit="LP") as advance:
        estimate = estimator.solve(caches, progress=advance)
    components, failures = estimate.components, estimate.failures
    columns = {"period_from": panel.period[pairs.a], **components}
    status = np.where(np.isfinite(components["index"]), "optimal", "undefined (1 + D <= 0 or a zero distance)")
    status = status.astype(object)
    for i, failed in failures.items():
        status[i] = "; ".join(sorted(failed))
    columns["status"] = list(status)
    indices = index_table(panel, pairs, columns, list(components))
    if len(caches) == 1:
        distances = caches[DEFAULT_SIDE].frame(panel)
    else:
        distances = pd.concat([cache.frame(panel).assign(distance=side) for side, cache in caches.items()],
                              ignore_index=True)
    parameters = first[main_rts].parameters
    boot = None
    if bootstrap is not None and scheme == "subsampling":
        B, alpha, _, seed = boot_options
        rate = subsampling.index_rate({r for problems in sides.values() for r in problems}, len(dea.inputs),
                                      len(dea.outputs) + len(dea.bad_outputs))
        pair_labels = pd.MultiIndex.from_arrays([panel.entity[pairs.b], panel.period[pairs.b]],
                                                names=[panel.entity_name, panel.period_name])
        boot_columns, boot = subsampling.subsampling_intervals(
            estimator, panel, pair_labels, components, B=B, alpha=alpha, kappa=kappa, rate=rate,
            null=0.0 if form.name == "difference" else 1.0, random_state=seed, progress=progress)
        indices = indices.join(boot_columns)
        indices["bootstrap_failed"] = indices["bootstrap_failed"].astype("Int64")
        parameters = {**(parameters or {}), "bootstrap": {
            "B": B, "alpha": alpha, "scheme": "subsampling", "kappa": boot.kappa, "m": boot.subsample_size,
            "n": boot.n_entities, "rate": rate, "random_state": seed if isinstance(seed, int) else repr(seed),
            "null": 0.0 if form.name == "difference" else 1.0, "method": subsampling.LABEL}}
    elif bootstrap is not None:
        B, alpha, bandwidth, seed = boot_options
        bound = malmquist_bootstrap.ProductivityProblem(
            panel=panel, pairs=pairs, roles=roles, definition=definition, form=form, family=fam, options=options,
            problems=first, references=references, engine_options=engine_options)
        boot_columns, boot = malmquist_bootstrap.bootstrap_malmquist(
            bound, components, B=B, alpha=alpha, bandwidth=bandwidth, random_state=seed, progress=progress)
        indices = indices.join(boot_columns)
        indices["bootstrap_failed"] = indices["bootstrap_failed"].astype("Int64")
        parameters = {**(parameters or {}), "bootstrap": {
            "B": B, "alpha": alpha, "bandwidth": bandwidth,
            "random_state": seed if isinstance(seed, int) else repr(seed),
            "method": "Simar & Wilson (1999) smoothed bivariate bootstrap, basic intervals"}}

    fixed = {name for side_fixed in declared.sides.values() for name in side_fixed}   # set by the sides, not asked
    settings = dataclasses.replace(
        model_settings(first[options.rts], super_efficiency), description="", parameters=parameters,
        orientation=None if "orientation" in fixed else options.orientation,
        direction=None if "direction" in fixed else options.direction_label or options.direction)
    spec = spec_of(settings, index=declared.name, alias=alias, form=form.name, components=tuple(components),
                   technology=technology, window=window, decomposition=decomposition, adjacency=adjacency, base=base,
                   entity=entity, period=period, n_observations=len(work), n_entities=panel.n_entities,
                   n_periods=len(panel.order), group=group, texts=index_texts(declared, technology))
    return ProductivityResult(indices=indices, distances=distances, spec=spec, single_period_entities=pairs.single,
                              period_order=panel.order, bootstrap=boot)


# ----------------------------------------------------------------------------------------------------
# the checks an index's declaration drives
# ----------------------------------------------------------------------------------------------------

def _index_model(alias: str, declared: IndexSpec, model) -> str:
    """The model of the index: ``model``, else the index's default (its declared one, or the first registered
    family with the distance function it needs); a family without that distance is refused."""
    families = declared.families()
    if model is None:
        return declared.default_model or families[0]
    if declared.distance is not None and (not isinstance(model, str) or model.lower() not in families):
        what = f"the {families[0]!r} model only" if len(families) == 1 else f"the models {families} only"
        reason = ("Shephard output and input distances from radial DEA (D_O = 1/phi, D_I = 1/theta)"
                  if declared.distance == "shephard" else
                  "directional output (0, y, b) and input (x, 0, 0) distances of the radial DDF")
        raise ValueError(f"index={alias!r} is defined on {what} (got model={model!r}): {reason}")
    return model


def _refuse_inapplicable(alias: str, declared: IndexSpec, model: str, **given) -> None:
    """Refuse each option the index has no use for (:attr:`IndexSpec.not_applicable`), in a fixed order: an option
    that changes nothing is never accepted as if it had effect."""
    values = dict(given, model_options=sorted(name for name, value in given["model_options"].items()
                                              if value is not None) or None)
    for name, message in declared.not_applicable.items():
        value = values[name]
        if value is not None and value is not False:
            raise ValueError(message.format(index=alias, value=value, model=model,
                                            theory=f"{malmquist_bootstrap.THEORY}; {subsampling.OFFERED}"))


def _index_technology(alias: str, declared: IndexSpec, technology) -> str:
    """The technology of the index: the one its name implies, else ``technology`` (default contemporaneous),
    one of those the index is defined on."""
    if technology is None:
        return declared.technology or declared.default_technology
    if declared.technology is not None and technology != declared.technology:
        raise ValueError(f"index={alias!r} means the {declared.technology} technology; got technology={technology!r} "
                         "(use index='malmquist' with an explicit technology instead)")
    if technology not in declared.technologies:
        which = "technology" if declared.technologies == TECHNOLOGIES else f"technology for index={alias!r}"
        raise ValueError(f"{which} must be one of {declared.technologies}, got {technology!r}")
    return technology


def _bootstrap_options(bootstrap, scheme, kappa, alpha, bandwidth, random_state) -> tuple:
    """The checked options of ``bootstrap=B`` with its ``scheme``: ((B, alpha, bandwidth, seed), kappa)."""
    if scheme not in PRODUCTIVITY_BOOTSTRAP_SCHEMES:
        raise ValueError(f"scheme must be one of {PRODUCTIVITY_BOOTSTRAP_SCHEMES} for productivity() ('smoothed': "
                         "Simar & Wilson 1999, radial Malmquist; 'subsampling': m out of n entities, the other "
                         f"Malmquist-family indices), got {scheme!r}")
    if scheme == "subsampling":
        kappa = subsampling.check_options(kappa, bandwidth)
        return malmquist_bootstrap.check_options(bootstrap, alpha, "silverman", random_state), kappa
    if kappa is not None:
        raise ValueError(f"kappa (m = n^kappa entities per subsample) belongs to scheme='subsampling', got "
                         f"kappa={kappa!r} with scheme={scheme!r}")
    return malmquist_bootstrap.check_options(bootstrap, alpha, bandwidth, random_state), None


def _refuse_bootstrap_options(alpha, bandwidth, random_state, scheme, kappa) -> None:
    """``alpha``, ``bandwidth``, ``random_state``, ``scheme`` and ``kappa`` only shape the bootstrap: without
    ``bootstrap=B`` they change nothing, so a value other than the default is refused rather than recorded."""
    given = [name for name, value, default in (("alpha", alpha, 0.05), ("bandwidth", bandwidth, "silverman"),
                                               ("random_state", random_state, None), ("scheme", scheme, "smoothed"),
                                               ("kappa", kappa, None))
             if not (value is default or (isinstance(value, type(default)) and value == default)
                     or (isinstance(value, str) and isinstance(default, str) and value.lower() == default))]
    if given:
        raise ValueError(f"{', '.join(given)} apply to the Malmquist bootstrap only (bootstrap=B); without it "
                         "they have no effect: leave them out or pass bootstrap=")


def _warn_difference_of_scores(alias: str, fam) -> None:
    """The difference form on a model whose score is an efficiency ratio is the difference of those scores
    (1 - theta, phi - 1, 1 - rho), not the Luenberger indicator of a directional distance function: say so."""
    warnings.warn(f"index={alias!r} with model={fam.name!r}: the indicator is a difference of {fam.name} scores "
                  "(inefficiency 1 - score, or phi - 1 for output-oriented radial), not the Luenberger indicator "
                  "of a directional distance function (Chambers, Chung & Färe 1996); for that use a directional "
                  "model (model='ddf', 'nddf' or 'sbm_ddf', the SBM Luenberger of the literature)",
                  UserWarning, stacklevel=4)
