"""The pipeline every analysis shares, and the declaration each public function makes.

A public function (``frontier.efficiency``, ``metafrontier``, ``window_analysis``, ``economic``, ``bootstrap``,
``second_stage``, ``sfa``) is an :class:`Analysis` (its roles, the model families it accepts, its result type)
decorated with :func:`public`, over these steps:

* identifiers: :func:`frontier.panel.key_values`, :func:`frontier.panel.period_values` and
  :func:`frontier.panel.row_ids` (an id, period or group is a column or else an index level, decided there once);
* binding data to a model's options: :func:`bind_model` (the registry's :func:`~frontier.models.resolve_options`,
  a custom direction aligned to the rows, the :class:`~frontier.problem.Problem`);
* the reference sets: :func:`reference_positions`, :func:`evaluation_groups`;
* progress: :func:`progress_bar` (:func:`make_progress` decides whether a bar is shown);
* the record: :func:`spec_of` builds the :class:`~frontier.results.Specification` (the model part once for every
  analysis, the analysis's extras, and the call :func:`public` recorded).

The command line (:mod:`frontier.cli.commands`) reads the declarations: which keywords a command offers, which of
them name columns, which model families ``--model`` lists.
"""
from __future__ import annotations

import functools
import inspect
import numbers
import sys
import warnings
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from .._text import format_labels
from ..data import DEAData, as_column_list
from ..models import resolve_options
from ..models.registry import model_names
from ..options import EFFICIENCY_TECHNOLOGIES, PARAMETERS
from ..panel import period_order
from ..problem import Problem, custom_direction
from ..results.base import Call, ModelSettings, Specification
from ..technology import ReferenceSets, Technology

# ----------------------------------------------------------------------------------------------------
# the declaration
# ----------------------------------------------------------------------------------------------------

#: the keywords that name columns (a list of them), from the declarations
COLUMN_LISTS = tuple(name for name, param in PARAMETERS.items() if param.kind == "columns")


@dataclass(frozen=True)
class Analysis:
    """What a public function is, declared once next to it.

    ``name``: the function (``frontier.<name>``). ``roles``: its keywords that name columns of the data
    (variables, entity, period, group, id, prices, covariates). ``serves``: the registry's kind of model family it
    evaluates (``ModelFamily.serves``: ``"efficiency"`` for the technical-efficiency models, ``"economic"``), or
    None (no DEA model: second stage, SFA). ``fixed_models``: the families it accepts when it accepts fewer than
    every family of that kind (the bootstrap: radial only). ``result``: its result type. ``engine``: it takes the
    engine's options. ``model_options``: it passes a family's own options (``**model_options``) on.
    """

    name: str
    roles: tuple
    result: type
    serves: str | None = "efficiency"
    fixed_models: tuple | None = None
    engine: bool = True
    model_options: bool = False

    @property
    def models(self) -> tuple:
        """The registered model families this analysis accepts (``--model``'s choices)."""
        if self.serves is None:
            return ()
        return self.fixed_models if self.fixed_models is not None else model_names(self.serves)

    @property
    def function(self) -> Callable:
        """The public function declared with this analysis (:func:`public`)."""
        return FUNCTIONS[self.name]

    @property
    def parameters(self) -> tuple:
        """The function's keyword parameters (the data and ``**model_options`` left out), in signature order."""
        return tuple(name for name, p in inspect.signature(self.function).parameters.items()
                     if p.kind is not p.VAR_KEYWORD and name not in ("data", "scores_or_result"))


#: name -> the public function, filled by :func:`public` as each analysis module is imported
FUNCTIONS: dict[str, Callable] = {}
_RECORDED: ContextVar[Call | None] = ContextVar("frontier_call", default=None)


def public(analysis: Analysis) -> Callable:
    """Declare ``func`` as the public function of ``analysis``: the call as it is made is recorded
    (:func:`record_call`) and reaches the result's specification through :func:`spec_of`."""
    def decorate(func: Callable) -> Callable:
        signature = inspect.signature(func)

        @functools.wraps(func)
        def call(*args, **kwargs):
            try:
                bound = signature.bind(*args, **kwargs)
            except TypeError:
                return func(*args, **kwargs)          # the function's own message for a wrong call
            token = _RECORDED.set(record_call(analysis, signature, bound))
            try:
                return func(*args, **kwargs)
            finally:
                _RECORDED.reset(token)

        call.analysis = analysis
        FUNCTIONS[analysis.name] = call
        return call
    return decorate


class _Placeholder(str):
    """A value a call line cannot spell out (a DataFrame, an array): shown as ``<DataFrame 48 x 3>``."""

    def __repr__(self) -> str:
        return str(self)


def _plain(name: str, value):
    """An argument as the call line shows it: column roles as lists, numpy scalars as Python values, frames and
    arrays as placeholders (a recorded call never holds the user's data)."""
    if name in COLUMN_LISTS and (isinstance(value, (str, list, tuple))):
        return as_column_list(value, name)
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, pd.DataFrame):
        return _Placeholder(f"<DataFrame {value.shape[0]} x {value.shape[1]}>")
    if isinstance(value, (pd.Series, pd.Index, np.ndarray)):
        return _Placeholder(f"<{type(value).__name__} of {len(value)}>")
    if isinstance(value, np.random.Generator):
        return _Placeholder("<numpy Generator>")
    return value


def _is_default(value, default) -> bool:
    if default is inspect.Parameter.empty:
        return False
    if value is default:
        return True
    plain = (type(None), bool, numbers.Number, str, np.generic)
    return isinstance(value, plain) and isinstance(default, plain) and type(value) is type(default) \
        and value == default


def record_call(analysis: Analysis, signature: inspect.Signature, bound: inspect.BoundArguments) -> Call:
    """The call as made: every argument but the data (and the first stage's scores) in signature order, those left
    at their default left out, a family's own options (``**model_options``) last, None values left out."""
    arguments = []
    for name, value in bound.arguments.items():
        parameter = signature.parameters[name]
        if parameter.kind is parameter.VAR_KEYWORD:
            arguments += [(k, _plain(k, v)) for k, v in value.items() if v is not None]
        elif name not in ("data", "scores_or_result") and not _is_default(value, parameter.default) \
                and value is not None:
            arguments.append((name, _plain(name, value)))
    return Call(analysis.name, tuple(arguments))


def recorded_call() -> Call | None:
    """The call :func:`public` recorded for the analysis now running (None outside one)."""
    return _RECORDED.get()


# ----------------------------------------------------------------------------------------------------
# binding and the specification
# ----------------------------------------------------------------------------------------------------

def bind_model(dea: DEAData, direction_index: pd.Index, *, model: str, orientation, rts, bad_disposability, direction,
               super_efficiency, weights, zeros, model_options: dict, productivity: bool = False) -> Problem:
    """The preamble every scoring entry point shares (:func:`frontier.efficiency`, :func:`frontier.metafrontier`,
    :func:`frontier.window_analysis`, :func:`frontier.productivity`): bind validated data to a model's options.

    Resolves the options against the model's declared facts (:func:`frontier.models.resolve_options`, one place for
    every unsupported combination and its message), aligns a custom direction DataFrame to the data rows by
    ``direction_index`` (the index of the frame ``dea`` was validated from, in its row order) and builds the
    :class:`~frontier.problem.Problem` (scaling; the data-derived parameters of a model that calibrates them). The
    data itself is validated by the caller first (:func:`frontier.data.validate_frame`, with the caller's own extra
    columns), and zeros are checked by the caller after its own checks (``problem.check_zeros``), so that every
    entry point keeps the order of its error messages. ``bad_disposability`` without bad outputs is warned about (it
    changes nothing, and the specification leaves it out).
    """
    if bad_disposability is not None and not dea.bad_outputs:     # not recorded either (model_settings)
        warnings.warn(f"bad_disposability={bad_disposability!r} has no effect without bad outputs", UserWarning,
                      stacklevel=3)
    options = resolve_options(model, orientation=orientation, rts=rts, bad_disposability=bad_disposability,
                              direction=direction, super_efficiency=super_efficiency, weights=weights, zeros=zeros,
                              productivity=productivity, model_options=model_options)
    G = custom_direction(direction, dea, direction_index) if options.direction_label == "custom" else None
    return Problem(dea, options, G)


def model_settings(problem: Problem, super_efficiency: bool) -> ModelSettings:
    """The model part of a specification, from the bound problem (every analysis of a registered model)."""
    options, dea = problem.options, problem.data
    return ModelSettings(
        model=options.model, orientation=options.orientation, rts=options.rts,
        super_efficiency=bool(super_efficiency),
        bad_disposability=options.bad_disposability if len(dea.bad_outputs) else None,
        direction=options.direction_label or options.direction, weights=options.weights, zeros=options.zeros,
        inputs=dea.inputs, outputs=dea.outputs, bad_outputs=dea.bad_outputs,
        description=problem.description(super_efficiency), model_options=options.extra or None,
        parameters=problem.parameters)


def spec_of(settings: Problem | ModelSettings, super_efficiency: bool = False, **extras) -> Specification:
    """The result's :class:`~frontier.results.Specification`: the model part (from the bound ``Problem``, or
    given), the call :func:`public` recorded, and the analysis's own ``extras``."""
    if isinstance(settings, Problem):
        settings = model_settings(settings, super_efficiency)
    return Specification(settings, recorded_call(), extras)


# ----------------------------------------------------------------------------------------------------
# reference sets
# ----------------------------------------------------------------------------------------------------

def reference_positions(reference, frame: pd.DataFrame) -> np.ndarray:
    """The rows of ``frame`` in the reference set: all (None), a boolean mask, a list of DMU labels or one label
    (a string, a number, or a tuple for an index of as many levels: never spelt out character by character)."""
    n = len(frame)
    if reference is None:
        return np.ones(n, dtype=bool)
    one_label = (isinstance(reference, (str, bytes)) or np.ndim(reference) == 0
                 or (isinstance(reference, tuple) and frame.index.nlevels == len(reference) > 1))
    if one_label and not isinstance(reference, (bool, np.bool_)):
        reference = [reference]
    if isinstance(reference, pd.Series) and reference.dtype == bool:
        mask = reference.reindex(frame.index)
        if mask.isna().any():
            raise ValueError(f"reference mask has no value for rows "
                             f"{format_labels(frame.index[mask.isna().to_numpy()])}")
        return mask.to_numpy(dtype=bool)
    arr = np.asarray(reference)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ValueError(f"a boolean reference mask needs one value per row ({n}), got shape {arr.shape}")
        return arr.copy()
    labels = pd.Index(list(reference))
    unknown = labels.difference(frame.index)
    if len(unknown):
        raise ValueError(f"reference names DMUs not in data: {format_labels(unknown)}")
    return frame.index.isin(labels)


def check_window(window, technology) -> None:
    """``window=h`` shapes the window technology only: with another technology (or none, without periods) it would
    change nothing, so it is refused rather than recorded."""
    if window is not None and technology != "window":
        raise ValueError(f"window={window!r} applies to technology='window' only (the periods on each side of the "
                         f"window); it has no effect with technology={technology!r}: leave it None")


def evaluation_groups(labels: pd.Index, period: str | None, period_values: pd.Series | None, technology: str,
                      window: int | None, ref_mask: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (evaluated rows, reference rows) of each reference set: one for a cross-section, else one per period
    under ``technology`` (contemporaneous, sequential, global or window), every reference restricted to
    ``ref_mask``. Shared by :func:`frontier.efficiency`, :func:`frontier.economic` and :func:`frontier.bootstrap`."""
    n = len(labels)
    check_window(window, technology if period is not None else None)
    if period is None:
        return [(np.arange(n), np.flatnonzero(ref_mask))]
    if technology not in EFFICIENCY_TECHNOLOGIES:
        raise ValueError("technology must be 'contemporaneous', 'sequential', 'global' or 'window'")
    if period_values.isna().any():
        raise ValueError(f"period column {period!r} has missing values in rows "
                         f"{format_labels(labels[period_values.isna().to_numpy()])}")
    periods = period_values.to_numpy()
    # only sequential and window frontiers depend on the time order (text periods without one are refused)
    order = period_order(period_values, period) if technology in ("sequential", "window") \
        else list(pd.unique(periods))
    references = ReferenceSets(n, periods, tuple(order), window, allowed=ref_mask)
    groups = []
    for t in order:
        ref = references.rows(Technology(technology, t))
        if ref.size == 0:
            raise ValueError(f"period {t!r} has an empty reference set")
        groups.append((np.flatnonzero(periods == t), ref))
    return groups


# ----------------------------------------------------------------------------------------------------
# progress
# ----------------------------------------------------------------------------------------------------

PROGRESS_MIN = 5000     # LPs: smaller runs finish in seconds, a bar would only flicker


@contextmanager
def progress_bar(progress: bool | None, total: int, unit: str = "DMU"):
    """A block with a progress bar (:func:`make_progress`'s): yields the callable that advances it by a number of
    finished LPs (None when no bar is shown, so callers pass it on as the engine's ``progress``), and closes the bar
    however the block ends."""
    bar = make_progress(progress, total, unit)
    try:
        yield bar.update if bar else None
    finally:
        if bar:
            bar.close()


def make_progress(progress: bool | None, total: int, unit: str = "DMU"):
    """A tqdm bar when asked for, or by default for long runs (``PROGRESS_MIN`` LPs or more) in an interactive
    terminal or a Jupyter notebook; None otherwise. ``tqdm.auto`` draws a widget in notebooks (with ipywidgets) and
    text elsewhere. ``total`` is every DMU (or LP, ``unit="LP"``) of the whole call, over all reference sets and
    chunks; the engine advances the bar by each chunk's size as the chunk's result arrives, so tqdm shows the rate
    and the time left (ETA)."""
    if progress is None:
        progress = total >= PROGRESS_MIN and (sys.stderr.isatty() or running_in_notebook())
    if not progress:
        return None
    from tqdm.auto import tqdm

    return tqdm(total=total, unit=unit, desc="frontier")


def running_in_notebook() -> bool:
    """True inside a Jupyter kernel (ipykernel), where stderr is not a terminal but a progress bar is wanted."""
    if "ipykernel" not in sys.modules or "IPython" not in sys.modules:
        return False
    shell = sys.modules["IPython"].get_ipython()
    return shell is not None and hasattr(shell, "kernel")
