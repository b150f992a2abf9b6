r"""Non-discretionary (fixed) variables and weight restrictions: the model options ``fixed_inputs=``,
``fixed_outputs=`` and ``weight_bounds=``, declared by the families that define them (their ``model_options``).

**Fixed variables** (Banker & Morey 1986). A non-discretionary input or output is one the DMU cannot change (the
climate, the population served, a regulated capacity): the reference combination must not use more of a fixed input
nor produce less of a fixed output than the DMU has, but the score does not ask the DMU to change it. Each family says
what that means for its LP (the radial row is not scaled by theta, SBM drops its slack from the ratio and keeps the
row as an inequality, the directional models put a 0 in the direction); the max-slack second stage leaves the fixed
variables' slacks out of what it maximises. ``fixed_outputs`` may name desirable or bad outputs.

**Weight restrictions** are homogeneous linear constraints on the multiplier form's weights, ``sum_j a_j w_j >= 0``
over the input weights v and the desirable-output weights u: the H-representation of a polyhedral cone of admissible
weights (cone ratio, Charnes, Cooper, Wei & Huang 1989; Charnes, Cooper, Huang & Sun 1990). Two options give them:

* ``weight_bounds=`` (assurance region I, Thompson, Langemeier, Lee, Lee & Thrall 1990): bounds on the ratio of two
  input weights or of two desirable-output weights, ``lower <= v_i / v_k <= upper`` (``u_r / u_s`` alike), as
  ``{(numerator, denominator): (lower, upper)}`` (a bound may be None: one-sided), a list of
  ``[numerator, denominator, lower, upper]`` rows or a DataFrame with those four columns; each finite bound is one
  row, ``v_i <= U v_k`` is ``U v_k - v_i >= 0``, ``v_i >= L v_k`` is ``v_i - L v_k >= 0``.
* ``weight_cone=`` (any such rows: cone ratios, AR-II bounds linking input and output weights, Thompson et al.
  1990): a list of ``{column: coefficient}`` rows or a DataFrame with the model's columns, one row per restriction.

Both reach the LP through one mechanism (:func:`weight_columns`): each row ``a`` is, in the envelopment LP (the
multiplier form's dual), one column ``pi >= 0`` of cost 0 with ``a`` in the input rows and ``-a`` in the desirable
output rows (Cooper, Seiford & Tone 2007, section 6.2), since such a column's reduced cost ``v'a_x + u'a_y >= 0`` is
the restriction. The technology the envelopment LP then measures against is Podinovski's (2004) trade-off technology:
the observed one extended by the directions ``(a_x, -a_y)``. The rows are in the user's units; the LP works with each
variable divided by its scale, so a weight in LP units is the user's times the scale and the coefficient is divided
by it (each column then scaled by a power of two, which changes neither the restriction nor the data's exactness).

A set of rows that forces a weight to 0 for every admissible weight vector (e.g. ``v_K >= 2 v_L`` with
``v_L >= 2 v_K``) is refused naming the weights (:func:`weight_columns`): the model would leave that variable out.
"""
from __future__ import annotations

import math

import numpy as np

from .registry import labelled


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


def check_weight_cone(value) -> tuple:
    """homogeneous linear restrictions sum_j a_j w_j >= 0 on the input weights v and desirable-output weights u of
    the multiplier form (cone ratio, Charnes et al. 1989; AR-II linking inputs and outputs, Thompson et al. 1990):
    a list of {column: coefficient} rows, or a DataFrame with the model's columns (one row per restriction); on the
    command line JSON, e.g. '[{"capital": 1, "labour": -2}]' for v_capital >= 2 v_labour."""
    if hasattr(value, "to_dict") and hasattr(value, "columns"):      # a table: a column per variable
        value = value.to_dict(orient="records")
    if isinstance(value, dict):
        value = [value]
    if not isinstance(value, (list, tuple)) or not value:
        raise ValueError(f"weight_cone must be a non-empty list of {{column: coefficient}} rows (or a DataFrame "
                         f"with the model's columns), got {value!r}")
    out = []
    for number, row in enumerate(value):
        if not isinstance(row, dict) or not all(isinstance(name, str) for name in row):
            raise ValueError(f"weight_cone row {number} must be a dict {{column name: coefficient}}, got {row!r}")
        terms = []
        for name, coefficient in row.items():
            if coefficient is None or (isinstance(coefficient, float) and math.isnan(coefficient)):
                continue                                   # a DataFrame's empty cell: the column is not in this row
            if isinstance(coefficient, bool) or not isinstance(coefficient, (int, float, np.integer, np.floating)) \
                    or not math.isfinite(coefficient):
                raise ValueError(f"weight_cone row {number}: the coefficient of {name!r} must be a finite number, "
                                 f"got {coefficient!r}")
            if coefficient != 0:
                terms.append((name, float(coefficient)))
        if not terms:
            raise ValueError(f"weight_cone row {number} has no nonzero coefficient: it restricts nothing")
        if all(c > 0 for _, c in terms):
            raise ValueError(f"weight_cone row {number} ({dict(terms)}) has only positive coefficients: every "
                             "nonnegative weight vector satisfies it, so it restricts nothing")
        out.append(tuple(terms))
    return tuple(out)


#: the model options of the families that take fixed variables (radial, SBM, DDF, NDDF, SBM-DDF)
FIXED_OPTIONS = {"fixed_inputs": labelled(check_columns, "Fixed (non-discretionary) inputs", "固定（不可控）投入",
                                          "保持在观测水平的投入列（不可控投入，Banker & Morey 1986）：列名的列表（或一个列名）。"),
                 "fixed_outputs": labelled(check_columns, "Fixed (non-discretionary) outputs", "固定（不可控）产出",
                                           "保持在观测水平的产出列（不可控产出，Banker & Morey 1986）：列名的列表（或一个列名）。")}
#: the model options of the families that take weight restrictions (radial, SBM)
WEIGHT_OPTIONS = {
    "weight_bounds": labelled(
        check_weight_bounds, "Weight ratio bounds", "权重比约束",
        "乘数形式中两个投入（或两个产出）权重之比的上下限，lower <= v_i/v_k <= upper（保证域 I，Thompson et al. 1990）："
        "Python 中为 {(分子列, 分母列): (下限, 上限)}；命令行和网页中为 JSON 列表 [分子列, 分母列, 下限, 上限]，"
        "例如 '[[\"capital\", \"labour\", 0.5, 2]]'（null 表示该侧无界）。"),
    "weight_cone": labelled(
        check_weight_cone, "Weight restrictions (cone)", "权重锥约束",
        "乘数形式中投入权重 v 与期望产出权重 u 的齐次线性约束 sum_j a_j w_j >= 0（锥比率，Charnes et al. 1989；"
        "连接投入与产出的 AR-II，Thompson et al. 1990）：{列名: 系数} 行的列表，或以模型各列为列的 DataFrame"
        "（每行一条约束）；命令行和网页中为 JSON，例如 '[{\"capital\": 1, \"labour\": -2}]' 表示 "
        "v_capital >= 2 v_labour。")}


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


def weight_rows(extra: dict, inputs: list, outputs: list) -> list[dict]:
    """The restrictions ``weight_bounds`` and ``weight_cone`` give, each a row ``{column: a_j}`` meaning
    ``sum_j a_j w_j >= 0``, in the user's units; a bound's columns must be two inputs or two desirable outputs."""
    rows = []
    for top, bottom, lower, upper in extra.get("weight_bounds", ()):
        for name in (top, bottom):
            if name not in list(inputs) + list(outputs):
                raise ValueError(f"weight_bounds names {name!r}, which is not an input or desirable output of the "
                                 "model")
        if (top in inputs) != (bottom in inputs):
            raise ValueError(f"weight_bounds {top!r}/{bottom!r}: both columns must be inputs or both desirable "
                             "outputs (assurance region I); a bound linking an input and an output weight is a "
                             "weight_cone row (AR-II)")
        if upper is not None and math.isfinite(upper):         # w_top <= U w_bottom
            rows.append({bottom: upper, top: -1.0})
        if lower:                                              # w_top >= L w_bottom (L = 0 adds nothing)
            rows.append({top: 1.0, bottom: -lower})
    rows += [dict(terms) for terms in extra.get("weight_cone", ())]
    return rows


def weight_columns(extra: dict, inputs: list, outputs: list, bad_outputs: list,
                   scale: np.ndarray) -> np.ndarray | None:
    """The envelopment LP's columns of the weight restrictions (``weight_bounds``, ``weight_cone``; None without
    either), in LP units: (columns x d) coefficients in the data rows, ``a`` in the input rows and ``-a`` in the
    desirable-output rows (module docstring). Refuses a column that is no input or desirable output (bad outputs'
    weights are not restricted: free in sign under weak disposability) and a set of restrictions that forces a
    weight to 0 (:func:`forced_to_zero`)."""
    rows = weight_rows(extra, inputs, outputs)
    if not rows:
        return None
    variables = list(inputs) + list(outputs) + list(bad_outputs)
    weighted = len(inputs) + len(outputs)
    restrictions = np.zeros((len(rows), len(variables)))      # a, in the user's units
    for number, row in enumerate(rows):
        for name, coefficient in row.items():
            if name not in variables[:weighted]:
                kind = "a bad output (their weights are not restricted)" if name in bad_outputs else \
                    "not an input or desirable output of the model"
                raise ValueError(f"weight_cone names {name!r}, which is {kind}")
            restrictions[number, variables.index(name)] = coefficient
    # which weights are forced to 0 does not depend on the units: judged in the user's, as written
    forced = forced_to_zero(restrictions[:, :weighted] / np.abs(restrictions).max(axis=1, keepdims=True))
    if forced:
        names = [variables[j] for j in forced]
        raise ValueError(f"the weight restrictions force the weights of {names} to 0 for every admissible weight "
                         "vector (they contradict each other, e.g. v_K >= 2 v_L with v_L >= 2 v_K): the model would "
                         "leave those variables out. Loosen the restrictions")
    restrictions = restrictions / scale                        # in LP units: w_j^LP = w_j * scale_j
    biggest = np.abs(restrictions).max(axis=1, keepdims=True)
    restrictions /= np.exp2(np.round(np.log2(biggest)))       # a power of two: exact, the largest entry about 1
    sign = np.where(np.arange(len(variables)) < len(inputs), 1.0, -1.0)   # output rows carry -u in the reduced cost
    return restrictions * sign


def forced_to_zero(restrictions: np.ndarray) -> list[int]:
    """The variables whose weight is 0 in every vector ``w >= 0`` with ``restrictions @ w >= 0`` (rows x the
    weighted variables). One LP: max sum z_j s.t. z_j <= w_j, z_j <= 1 and the restrictions; the set is a cone
    (closed under scaling), so z_j = 1 exactly where w_j can be positive and 0 where it cannot."""
    from scipy.optimize import linprog

    n = restrictions.shape[1]
    # variables [w (n), z (n)]: -restrictions w <= 0, z - w <= 0
    A_ub = np.vstack([np.hstack([-restrictions, np.zeros_like(restrictions)]), np.hstack([-np.eye(n), np.eye(n)])])
    res = linprog(np.r_[np.zeros(n), -np.ones(n)], A_ub=A_ub, b_ub=np.zeros(len(A_ub)),
                  bounds=[(0, None)] * n + [(0, 1)] * n, method="highs")
    if res.status != 0:                                  # w = z = 0 is feasible and z is bounded: cannot happen
        raise RuntimeError(f"the weight restrictions' admissibility LP failed: {res.message}")
    return [j for j in range(n) if res.x[n + j] < 0.5]


def refuse_all_fixed(fixed: np.ndarray | None, moved: np.ndarray, model: str, what: str) -> None:
    """Refuse fixing every variable a model's score moves (``moved``, a mask): the score would say nothing (every
    DMU efficient) or the LP would be unbounded."""
    if fixed is not None and moved.any() and fixed[moved].all():
        raise ValueError(f"{model}: every variable the score moves ({what}) is fixed; the score would say nothing. "
                         "Fix fewer variables, or choose another orientation or direction")

