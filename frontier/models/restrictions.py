r"""Non-discretionary (fixed) variables and weight restrictions: the model options ``fixed_inputs=``,
``fixed_outputs=`` and ``weight_bounds=``, declared by the families that define them (their ``model_options``).

**Fixed variables** (Banker & Morey 1986). A non-discretionary input or output is one the DMU cannot change (the
climate, the population served, a regulated capacity): the reference combination must not use more of a fixed input
nor produce less of a fixed output than the DMU has, but the score does not ask the DMU to change it. Each family says
what that means for its LP (the radial row is not scaled by theta, SBM drops its slack from the ratio and keeps the
row as an inequality, the directional models put a 0 in the direction); the max-slack second stage leaves the fixed
variables' slacks out of what it maximises. ``fixed_outputs`` may name desirable or bad outputs.

**Weight restrictions** (assurance regions of type I, Thompson, Langemeier, Lee, Lee & Thrall 1990): bounds on the
ratio of two input weights or of two desirable-output weights of the multiplier form,
``lower <= v_i / v_k <= upper`` (``u_r / u_s`` alike), given as ``{(numerator, denominator): (lower, upper)}`` (a
bound may be None: one-sided), as a list of ``[numerator, denominator, lower, upper]`` rows or as a DataFrame with
those four columns. Each finite bound is one homogeneous linear constraint on the weights, and in the envelopment
LP (the multiplier form's dual) one column ``pi >= 0`` of cost 0 (Cooper, Seiford & Tone 2007, section 6.2)::

    v_i <= U v_k   <->  column  U e_k - e_i   in the input rows
    v_i >= L v_k   <->  column  e_i - L e_k   in the input rows
    u_r <= U u_s   <->  column  e_r - U e_s   in the output rows
    u_r >= L u_s   <->  column  L e_s - e_r   in the output rows

since a zero-cost column's reduced cost ``v'a_x - u'a_y >= 0`` is the constraint. The bounds are in the user's
units; the LP works with each variable divided by its scale, so a bound on ``v_i / v_k`` becomes one on
``v_i^LP / v_k^LP`` times ``scale_i / scale_k`` (:func:`ratio_columns`).
"""
from __future__ import annotations

import math

import numpy as np


def check_columns(value) -> tuple:
    """the columns held at their observed level (non-discretionary, Banker & Morey 1986): a list of column names
    (or one name)."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, (list, tuple)) or not all(isinstance(n, str) for n in names):
        raise ValueError(f"fixed variables must be a list of column names, got {value!r}")
    if len(set(names)) != len(names):
        raise ValueError(f"fixed variables name a column twice: {list(names)}")
    return tuple(names)


def _bound(value, what: str):
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{what} must be a number or None, got {value!r}")
    value = float(value)
    if math.isnan(value) or value < 0:
        raise ValueError(f"{what} must be >= 0, got {value!r}")
    return value


def check_weight_bounds(value) -> tuple:
    """bounds on the ratio of two input (or two output) weights of the multiplier form, lower <= v_i/v_k <= upper
    (assurance region I, Thompson et al. 1990): {(numerator, denominator): (lower, upper)} in Python; on the command
    line a JSON list of [numerator, denominator, lower, upper], e.g. '[["capital", "labour", 0.5, 2]]' (null for no
    bound)."""
    if hasattr(value, "itertuples"):                       # a table: numerator, denominator, lower, upper
        value = [list(row) for row in value.itertuples(index=False, name=None)]
    if isinstance(value, dict):
        rows = []
        for pair, bounds in value.items():
            if not (isinstance(pair, tuple) and len(pair) == 2):
                raise ValueError(f"weight_bounds keys must be (numerator, denominator) column pairs, got {pair!r}")
            if not (isinstance(bounds, (tuple, list)) and len(bounds) == 2):
                raise ValueError(f"weight_bounds[{pair!r}] must be (lower, upper), got {bounds!r}")
            rows.append([*pair, *bounds])
    elif isinstance(value, (list, tuple)):
        rows = [list(row) if isinstance(row, (list, tuple)) else row for row in value]
    else:
        raise ValueError(f"weight_bounds must be a dict {{(numerator, denominator): (lower, upper)}} or a list of "
                         f"[numerator, denominator, lower, upper], got {value!r}")
    out = []
    for row in rows:
        if not (isinstance(row, list) and len(row) == 4 and isinstance(row[0], str) and isinstance(row[1], str)):
            raise ValueError(f"each weight bound is [numerator, denominator, lower, upper] with two column names, "
                             f"got {row!r}")
        top, bottom = row[0], row[1]
        if top == bottom:
            raise ValueError(f"weight bound {top!r}/{bottom!r}: a ratio of two different columns")
        lower = _bound(row[2], f"the lower bound of {top}/{bottom}")
        upper = _bound(row[3], f"the upper bound of {top}/{bottom}")
        if lower is None and upper is None:
            raise ValueError(f"weight bound {top!r}/{bottom!r} has neither a lower nor an upper bound")
        if lower is not None and upper is not None and lower > upper:
            raise ValueError(f"weight bound {top!r}/{bottom!r}: lower {lower} is above upper {upper}")
        if upper == 0:
            raise ValueError(f"weight bound {top!r}/{bottom!r}: an upper bound of 0 sets a weight to 0; leave the "
                             "variable out instead")
        out.append((top, bottom, lower, upper))
    if not out:
        raise ValueError("weight_bounds is empty")
    return tuple(out)


#: the model options of the families that take fixed variables (radial, SBM, DDF, NDDF, SBM-DDF)
FIXED_OPTIONS = {"fixed_inputs": check_columns, "fixed_outputs": check_columns}
#: the model option of the families that take assurance regions (radial)
WEIGHT_OPTIONS = {"weight_bounds": check_weight_bounds}


def fixed_mask(extra: dict, inputs: list, outputs: list, bad_outputs: list) -> np.ndarray | None:
    """The mask (over inputs, outputs, bad outputs) of the variables ``fixed_inputs`` / ``fixed_outputs`` name, None
    when neither is given; a name that is no input (no output or bad output) is refused, naming it."""
    if not extra.get("fixed_inputs") and not extra.get("fixed_outputs"):
        return None
    variables = list(inputs) + list(outputs) + list(bad_outputs)
    mask = np.zeros(len(variables), dtype=bool)
    for option, allowed in (("fixed_inputs", list(inputs)), ("fixed_outputs", list(outputs) + list(bad_outputs))):
        for name in extra.get(option, ()):
            if name not in allowed:
                kind = "an input" if option == "fixed_inputs" else "an output or bad output"
                raise ValueError(f"{option} names {name!r}, which is not {kind} of the model (those are {allowed})")
            mask[variables.index(name)] = True
    return mask


def ratio_columns(bounds: tuple, inputs: list, outputs: list, bad_outputs: list, scale: np.ndarray) -> np.ndarray:
    """The envelopment LP's columns of the assurance region ``bounds`` (:func:`check_weight_bounds`), one per finite
    bound (a lower bound of 0 adds none: the weights are >= 0 anyway), in LP units: (columns x d) coefficients in the
    data rows. Both columns of a pair must be inputs, or both desirable outputs."""
    variables = list(inputs) + list(outputs) + list(bad_outputs)
    columns = []
    for top, bottom, lower, upper in bounds:
        for name in (top, bottom):
            if name not in variables:
                raise ValueError(f"weight_bounds names {name!r}, which is not an input or output of the model")
        pair = {top in inputs, bottom in inputs}
        if pair != {True} and not (top in outputs and bottom in outputs):
            raise ValueError(f"weight_bounds {top!r}/{bottom!r}: both columns must be inputs or both desirable "
                             "outputs (assurance region I; bad outputs' weights are not restricted)")
        i, k = variables.index(top), variables.index(bottom)
        # v_i / v_k in user units = (v_i^LP / v_k^LP) * (scale_k / scale_i), so the LP's bounds are times this
        ratio = scale[i] / scale[k]
        sign = 1.0 if top in inputs else -1.0    # input rows carry v, output rows -u in the reduced cost
        if upper is not None and math.isfinite(upper):
            col = np.zeros(len(variables))
            col[k], col[i] = sign * upper * ratio, -sign
            columns.append(col)
        if lower:
            col = np.zeros(len(variables))
            col[i], col[k] = sign, -sign * lower * ratio
            columns.append(col)
    return np.array(columns).reshape(len(columns), len(variables))


def refuse_all_fixed(fixed: np.ndarray | None, moved: np.ndarray, model: str, what: str) -> None:
    """Refuse fixing every variable a model's score moves (``moved``, a mask): the score would say nothing (every
    DMU efficient) or the LP would be unbounded."""
    if fixed is not None and moved.any() and fixed[moved].all():
        raise ValueError(f"{model}: every variable the score moves ({what}) is fixed; the score would say nothing. "
                         "Fix fewer variables, or choose another orientation or direction")

