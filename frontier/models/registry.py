"""The model registry: every model family declares its facts once, next to its LP stages.

A :class:`ModelFamily` says what a model is (name, label, score convention), which options it takes (orientations,
bad-output disposabilities, a direction, weights, super-efficiency) with their defaults, which variables its score
divides by (the zero-data policy applies to those), how to turn its score into an efficiency ``E`` (larger is
better; ratio indices) and an inefficiency ``D`` (0 = efficient; difference indices), and how to build its LP stages
from the data-derived constants a :class:`frontier.problem.Problem` computes.

Each model module ends with ``register(ModelFamily(...))``; :mod:`frontier.models` imports every module, so the
registry is complete once the package is imported. ``efficiency()``, ``productivity()``, the exports, the plots
and the command line read the registry; nothing else switches on a model name, and an unknown name fails in
:func:`family` with one message.

Adding a model: write its module (stages, ``build``, docstring with the LP and its source) ending with its
``register(...)`` call, add the module to ``frontier/models/__init__.py``, an independent cvxpy formulation to
``tests/reference_cvxpy.py`` and a page to ``docs/models/``. The contract tests (``tests/test_contract.py``) run
over every registered family.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .base import RTS, Layout, ModelSpec


@dataclass(frozen=True)
class ModelOptions:
    """A model's options after defaults and validation (what a :class:`frontier.problem.Problem` is bound to)."""

    model: str
    orientation: str | None
    rts: str
    bad_disposability: str
    direction: object            # a direction name, or the user's DataFrame (``direction_label`` names it)
    weights: dict | None
    zeros: str
    extra: dict = field(default_factory=dict)   # the family's own options (``ModelFamily.model_options``), validated

    @property
    def direction_label(self) -> str | None:
        return None if self.direction is None or isinstance(self.direction, str) else "custom"


@dataclass(frozen=True)
class Constants:
    """Data-derived constants a model's stages may need, in the LP's scaled units.

    ``scale``: the per-variable scale factors (data = LP units x scale); ``small``: Tone's small positive value
    per variable (1/100 of the column's smallest positive value); ``bad_cap``: the largest observed value of each
    bad output (the APZ cap); ``weights``: the model's weight vector (user weights over its defaults);
    ``parameters``: the values a family's ``calibrate`` hook settled (declared or derived from the data), in plain
    Python types keyed by name, reported in the result's ``Specification.parameters`` (empty for most models).
    ``fixed``: the mask of the non-discretionary variables (``fixed_inputs=`` / ``fixed_outputs=``), None without;
    ``weight_columns``: the envelopment LP's columns of the weight restrictions (``weight_bounds=``,
    ``weight_cone=``; columns x d, in LP units), None without (:mod:`frontier.models.restrictions`).
    """

    scale: np.ndarray
    small: np.ndarray
    bad_cap: np.ndarray
    weights: np.ndarray
    parameters: dict = field(default_factory=dict)
    fixed: np.ndarray | None = None
    weight_columns: np.ndarray | None = None


def _ones(layout: Layout) -> np.ndarray:
    return np.ones(layout.d)


@dataclass(frozen=True)
class ModelFamily:
    """Everything about one model family that the layers above the engine need.

    ``score_kind`` is ``"efficiency"`` (1 = efficient; E = score, D = 1 - score) or ``"inefficiency"``
    (0 = efficient; D = score, E = 1 / (1 + D), Chung, Färe & Grosskopf 1997). ``output_expansion`` lists the
    orientations whose score is a Farrell output expansion factor phi >= 1 (E = 1 / phi, D = phi - 1).
    ``weights`` is ``None`` (the model takes none), ``"relative"`` (normalised within each side) or ``"raw"``.
    ``divides_by(layout, options)`` is the mask of the variables the score divides by (the zero policy applies
    to them), or None when it divides by none; ``counted(layout, options)`` the mask of the variables whose
    weighted terms make up the score (weights that are zero on all of them are refused).
    ``productivity_direction`` and ``productivity_super_efficiency`` are the defaults ``productivity()`` uses when
    the caller leaves ``direction`` or ``super_efficiency`` out.

    ``model_options`` maps the names of options only this family takes (e.g. EBM's ``epsilon``) to a validator
    ``value -> normalised value`` that raises ValueError for a bad value (its docstring is the option's help;
    :func:`labelled` gives it a plain name, :func:`option_label`); the public calls accept them as keyword
    arguments and :func:`resolve_options` puts them in ``ModelOptions.extra``. ``calibrate(layout, options, rows,
    constants, variables, solve) -> Constants`` (optional) is called once by :class:`frontier.problem.Problem` with
    the scaled data rows, before any LP, and ``solve(spec, rows) -> values``, which solves an auxiliary model of the
    family on those rows (:meth:`~frontier.problem.Problem.solve_auxiliary`: models never import the engine); it
    returns the constants with the family's data-derived parameters filled in (and their report in
    ``Constants.parameters``). ``parts`` names per-DMU scalars the score stage decodes besides
    the score (e.g. EBM's radial ``theta`` and ``phi``); they reach ``EfficiencyResult.parts``.

    Facts the results read: ``shadow_prices`` says the score LP's multipliers are the derivatives of a distance
    function (the DDF family), so ``EfficiencyResult.shadow_prices`` may price bad outputs with them;
    ``slack_shares`` says the score is a ratio of weighted slack rates (SBM), so ``factor_efficiency`` reports
    each variable's share of its side (``share_<v>``). ``serves`` names the kind of analysis the family is for
    (``"efficiency"``: efficiency, productivity, metafrontier, window analysis; each analysis declares the kind it
    accepts, :class:`frontier.analyses._pipeline.Analysis`).

    ``evaluates`` says what one LP evaluates: ``"rows"`` (one observation against a reference set: every analysis
    here, and ``--model`` of every command) or ``"entities"`` (a whole entity across its periods in one LP, a
    dynamic or network model with blocks that declare their own row layout,
    :class:`~frontier.models.base.ReferenceBlock`): such a family is not listed by :func:`model_names` unless asked
    for, and the row analyses refuse it (:func:`resolve_options`).

    ``check_combination(options, super_efficiency, declared)`` (optional) refuses the family's option combinations
    that would change nothing or are not defined (EBM: ``bounded`` outside the non-oriented model); ``declared``
    holds the family options as the call gave them. :func:`resolve_options` calls it after the generic checks.

    ``distance_function`` says the score is a distance function usable at any point of the quantity space, as the
    Hicks-Moorsteen indices need (distances of mixed points, an output-oriented and an input-oriented one):
    ``"shephard"`` (radial: D_O = 1/phi, D_I = 1/theta) or ``"directional"`` (the radial DDF's beta, with the
    output direction (0, y, b) and the input direction (x, 0, 0)); None for the others.
    """

    name: str
    label: str
    build: Callable[[Layout, ModelOptions, Constants, bool, bool], ModelSpec]
    convention: str
    orientations: tuple = (None,)
    disposabilities: tuple = ("slacks",)
    directional: bool = False
    weights: str | None = None
    super_efficiency: bool = False
    super_efficiency_note: str = ""
    score_kind: str = "efficiency"
    output_expansion: tuple = ()
    has_betas: bool = False
    default_weights: Callable[[Layout], np.ndarray] = _ones
    divides_by: Callable[[Layout, ModelOptions], np.ndarray | None] = lambda layout, options: None
    counted: Callable[[Layout, ModelOptions], np.ndarray] = lambda layout, options: np.ones(layout.d, dtype=bool)
    productivity_direction: str | None = None
    productivity_super_efficiency: bool = False
    short_name: str = ""
    aliases: tuple = field(default=())
    model_options: dict = field(default_factory=dict)
    calibrate: Callable | None = None
    check_combination: Callable | None = None
    parts: tuple = ()
    shadow_prices: bool = False
    slack_shares: bool = False
    serves: str = "efficiency"
    distance_function: str | None = None
    evaluates: str = "rows"

    # -- options -----------------------------------------------------------------------------------------
    @property
    def default_orientation(self) -> str | None:
        return self.orientations[0]

    @property
    def default_disposability(self) -> str:
        return self.disposabilities[0]

    def efficient_value(self, orientation: str | None = None) -> float:
        """The score of an efficient DMU (1 for efficiency scores, 0 for inefficiencies)."""
        return 1.0 if self.score_kind == "efficiency" else 0.0

    # -- score conversions for the indices ------------------------------------------------------------------
    def to_efficiency(self, score, orientation: str | None):
        """E, larger = better, 1 = efficient: the measure ratio indices divide (NaN where undefined)."""
        value = np.asarray(score, dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            if self.score_kind == "efficiency":
                return 1.0 / value if orientation in self.output_expansion else value
            return np.where(1.0 + value > 0, 1.0 / (1.0 + value), np.nan)

    def to_inefficiency(self, score, orientation: str | None):
        """D, 0 = efficient, larger = worse: the measure difference (Luenberger) indicators subtract."""
        value = np.asarray(score, dtype=float)
        if self.score_kind == "efficiency":
            return value - 1.0 if orientation in self.output_expansion else 1.0 - value
        return value

    def display_name(self, super_efficiency: bool = False) -> str:
        name = self.short_name or self.name
        return ("super-" + name) if super_efficiency else name


REGISTRY: dict[str, ModelFamily] = {}


def register(family: ModelFamily) -> ModelFamily:
    """Add a family to the registry (its name must be new)."""
    if family.name in REGISTRY:
        raise ValueError(f"model {family.name!r} is registered twice")
    REGISTRY[family.name] = family
    return family


def model_names(serves: str | None = None, evaluates: str | None = "rows") -> tuple[str, ...]:
    """The registered families (those serving the analyses of kind ``serves``, when given) that evaluate
    ``evaluates`` (``ModelFamily.evaluates``; None: whatever they evaluate)."""
    return tuple(name for name, fam in REGISTRY.items() if (serves is None or fam.serves == serves)
                 and (evaluates is None or fam.evaluates == evaluates))


def family(name, serves: str | None = None) -> ModelFamily:
    """The registered family called ``name`` (case-insensitive), one serving the analyses of kind ``serves`` when
    given; the one place an unknown model name fails (a family of another kind is unknown to that analysis:
    ``efficiency(model="cost")`` names the models efficiency takes)."""
    key = name.lower() if isinstance(name, str) else None     # a non-string (even an unhashable one) is no name
    if key not in REGISTRY or (serves is not None and REGISTRY[key].serves != serves):
        raise ValueError(f"model must be one of {model_names(serves)}, got {name!r}")
    return REGISTRY[key]


def _choice(value, allowed: tuple, what: str, model: str):
    key = value.lower() if isinstance(value, str) else value
    if key not in allowed:
        raise ValueError(f"{what} for model={model!r} must be one of {allowed}, got {value!r}")
    return key


#: the options of the row analyses that shape the model, in the order :func:`options_used` lists them
MODEL_PARAMETERS = ("orientation", "rts", "bad_disposability", "direction", "weights", "super_efficiency", "zeros")


def options_used(fam: ModelFamily) -> dict[str, str]:
    """The options family ``fam`` takes, each with when it has an effect: derived from its declaration, the one
    statement of which option is used by which model (the docs' table and the combination test read it; any other
    option is refused by :func:`resolve_options`). ``rts`` is taken by every model; a family's own options
    (``model_options``) are listed with their validator's first sentence."""
    used = {}
    if fam.orientations != (None,):
        used["orientation"] = "/".join(fam.orientations) + f" (default {fam.default_orientation})"
    used["rts"] = "crs/vrs/nirs/ndrs"
    if fam.disposabilities != ("slacks",):
        used["bad_disposability"] = "/".join(fam.disposabilities) + " (with bad outputs)"
    if fam.directional:
        used["direction"] = "named or a DataFrame"
    if fam.weights is not None:
        used["weights"] = f"{fam.weights}, on the variables the score counts"
    if fam.super_efficiency:
        used["super_efficiency"] = "True/False"
    if fam.divides_by(Layout(1, 1, 1), ModelOptions(fam.name, fam.default_orientation, "vrs", "slacks",
                                                       "observed", None, "error")) is not None:
        used["zeros"] = "error/small_positive/drop_term, where the score divides by the data"
    for name in fam.model_options:
        used[name] = option_help(name).split(": ", 1)[0]
    return used


def labelled(check: Callable, label: str, label_zh: str, help_zh: str) -> Callable:
    """The validator ``check`` of a family option (``ModelFamily.model_options``), naming the option in plain words,
    English and Chinese, as the page of ``frontier app`` shows it beside the keyword (``weight_bounds``: "Weight
    ratio bounds" / "权重比约束"), with its help in Chinese (the English help is ``check``'s docstring, which says
    what it accepts). One validator may serve two options, each with its own label and Chinese help."""
    @functools.wraps(check)
    def validate(value):
        return check(value)

    validate.label, validate.label_zh, validate.help_zh = label, label_zh, help_zh
    return validate


def _option_validator(name: str) -> Callable:
    return next(fam.model_options[name] for fam in REGISTRY.values() if name in fam.model_options)


def option_label(name: str, language: str = "en") -> str:
    """The plain name of the family option ``name`` in ``language`` ("en" or "zh"), as declared with
    :func:`labelled`; an option declared without one is named by its keyword in words ("weight_cone": "Weight
    cone"), in both languages."""
    validator = _option_validator(name)
    english = getattr(validator, "label", None) or name.replace("_", " ").capitalize()
    return (getattr(validator, "label_zh", None) or english) if language == "zh" else english


def option_help(name: str, language: str = "en") -> str:
    """The help of the family option ``name`` in ``language``: its validator's docstring on one line, or the
    Chinese help declared with :func:`labelled` (the English where none is)."""
    validator = _option_validator(name)
    english = " ".join((validator.__doc__ or "").split())
    return (getattr(validator, "help_zh", None) or english) if language == "zh" else english


def model_option_names() -> tuple[str, ...]:
    """Every family-specific option name (what the public calls accept besides their own parameters)."""
    return tuple(dict.fromkeys(name for f in REGISTRY.values() for name in f.model_options))


def resolve_options(model, *, orientation=None, rts="vrs", bad_disposability=None, direction=None,
                    super_efficiency=False, weights=None, zeros="error", productivity=False,
                    model_options: dict | None = None, serves: str = "efficiency") -> ModelOptions:
    """Validate an option combination against the model's declared facts and fill in its defaults.

    Every public entry point goes through here, so an unsupported combination fails in one place with one message.
    ``model_options`` are the keyword arguments a call received beyond its own parameters: each must be one of the
    family's ``model_options`` (None values are left out, so a call may pass them through unconditionally).
    ``serves``: the kind of analysis asking (:attr:`ModelFamily.serves`); a family of another kind is refused.
    """
    from ..data import check_zero_policy

    fam = family(model, serves)
    if fam.evaluates != "rows":
        raise ValueError(f"model={fam.name!r} evaluates whole {fam.evaluates} across periods in one LP, not one row "
                         f"at a time; efficiency(), productivity() and the other row analyses take the models "
                         f"{model_names(serves)}")
    if not isinstance(super_efficiency, (bool, np.bool_)):
        raise ValueError(f"super_efficiency must be True or False, got {super_efficiency!r}")
    rts = _choice(rts, RTS, "rts", fam.name)
    if fam.orientations == (None,):
        if orientation is not None:
            raise ValueError(f"model={fam.name!r} has no orientation; choose the direction instead "
                             "(direction='output' is output oriented, 'input' input oriented)")
    else:
        orientation = fam.default_orientation if orientation is None else \
            _choice(orientation, fam.orientations, "orientation", fam.name)
    if fam.disposabilities == ("slacks",):
        if bad_disposability not in (None, "slacks"):
            raise ValueError(f"model={fam.name!r} treats bad outputs through their slacks; bad_disposability "
                             f"{bad_disposability!r} does not apply (leave it None)")
        bad_disposability = "slacks"
    else:
        bad_disposability = fam.default_disposability if bad_disposability is None else \
            _choice(bad_disposability, fam.disposabilities, "bad_disposability", fam.name)
    if fam.directional:
        if direction is None:
            direction = (fam.productivity_direction if productivity else None) or "observed"
        elif isinstance(direction, str):
            direction = direction.lower()
    elif direction is not None:
        directional = tuple(n for n, f in REGISTRY.items() if f.directional)
        raise ValueError(f"direction applies to the directional models {directional}, not model={fam.name!r}")
    if super_efficiency and not fam.super_efficiency:
        raise ValueError(f"super_efficiency is not defined for model={fam.name!r}: {fam.super_efficiency_note}")
    if weights is not None:
        if fam.weights is None:
            takes = tuple(n for n, f in REGISTRY.items() if f.weights)
            raise ValueError(f"weights apply to models {takes}, not {fam.name!r}")
        if not isinstance(weights, dict):
            raise ValueError("weights must be a dict {column: weight}")
    zeros = check_zero_policy(zeros)
    extra = {}
    declared = {name: value for name, value in (model_options or {}).items() if value is not None}
    for name, value in (model_options or {}).items():
        if value is None:
            continue
        if name not in fam.model_options:
            takes = tuple(n for n, f in REGISTRY.items() if name in f.model_options)
            what = f"it applies to model(s) {takes}" if takes else "no model takes it"
            raise ValueError(f"model={fam.name!r} has no option {name!r} ({what})")
        extra[name] = fam.model_options[name](value)
    options = ModelOptions(fam.name, orientation, rts, bad_disposability, direction,
                           dict(weights) if weights else None, zeros, extra)
    if zeros != "error" and fam.divides_by(Layout(1, 1, 1), options) is None:
        raise ValueError(f"zeros={zeros!r} has no effect: the {fam.name} score (with these options) divides by no "
                         "variable, so zeros in the data need no policy; leave it out")
    if fam.check_combination is not None:
        fam.check_combination(options, bool(super_efficiency), declared)
    return options
