"""Issue 27.6, the rule: an option that changes nothing is refused or warned about, never recorded as if it had
effect. One test iterates every efficiency model family and every model option: an option the family takes
(:func:`frontier.models.registry.options_used`, derived from the family's declaration) changes the numbers; any
other is refused, or warned about where it is one entry of a dict (weights, epsilon sides)."""
from __future__ import annotations

import os
import sys
import warnings

import numpy as np
import pytest

import frontier as fr
from frontier.models import REGISTRY, model_names
from frontier.models.registry import MODEL_PARAMETERS, options_used

sys.path.insert(0, os.path.dirname(__file__))
from test_against_cvxpy import frame  # noqa: E402

DF, INPUTS, OUTPUTS, BADS = frame("A")


def run(data, model, **options):
    """(scores and targets as one array, the warnings' texts), or the ValueError's text."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            res = fr.efficiency(data, INPUTS, OUTPUTS, BADS, model=model, **options)
        except ValueError as exc:
            return None, str(exc)
    numbers = np.hstack([res.scores.to_numpy()[:, None], res.targets.to_numpy()])
    return numbers, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def changes(model, data=DF, base=None, **option):
    """'changed', 'refused', 'warned' or 'no effect': what ``option`` does against the call without it."""
    base = base or {}
    reference, _ = run(data, model, **base)
    numbers, said = run(data, model, **{**base, **option})
    if numbers is None:
        return "refused"
    if any("no effect" in text for text in said):
        return "warned"
    same = np.allclose(numbers, reference, rtol=1e-9, atol=1e-12, equal_nan=True)
    return "no effect" if same else "changed"


def trials(fam):
    """(option name, value, base options) for every model option, one non-default value each."""
    name = fam.name
    yield "orientation", (fam.orientations[1] if len(fam.orientations) > 1 else "input"), {}
    yield "rts", "crs", {}
    yield "bad_disposability", "strong" if fam.default_disposability != "strong" else "weak", {}
    yield "direction", "ones", {}
    yield "weights", {INPUTS[0]: 3.0}, {}
    yield "super_efficiency", True, {}
    yield "epsilon", 0.2, {}
    if name == "ebm":
        yield "bounded", True, {"orientation": "nonoriented", "rts": "crs", "epsilon": 0.5}


@pytest.mark.parametrize("model", model_names("efficiency"))
def test_every_option_changes_the_numbers_or_is_refused(model):
    fam = REGISTRY[model]
    used = options_used(fam)
    assert set(used) - set(fam.model_options) <= set(MODEL_PARAMETERS)
    for option, value, base in trials(fam):
        outcome = changes(model, base=base, **{option: value})
        expected = "changed" if option in used else "refused"
        assert outcome == expected, (model, option, value, outcome)


@pytest.mark.parametrize("model", model_names("efficiency"))
def test_the_zero_policy_is_taken_where_the_score_divides_by_the_data(model):
    fam = REGISTRY[model]
    zero = DF.copy()
    # the DMU with the most bad output produces none of the good one (EBM, input oriented: uses none of an input)
    zero.loc[zero[BADS[0]].idxmax(), INPUTS[0] if model == "ebm" else OUTPUTS[0]] = 0.0
    if "zeros" in options_used(fam):
        # the policy decides whether the zero stops the run ("error") and, where a slack divides by it, the score
        declared = {"epsilon": 0.5, "weights": {INPUTS[0]: 1.0}} if model == "ebm" else {}   # no calibration
        assert run(zero, model, **declared)[0] is None
        assert run(zero, model, zeros="drop_term", **declared)[0] is not None
        if model != "ebm":      # EBM's input slack on a zero input is 0 whatever the policy
            assert changes(model, zero, base={"zeros": "drop_term"}, zeros="small_positive") == "changed"
    else:
        assert changes(model, zeros="small_positive") == "refused"


@pytest.mark.parametrize("model, options", [("sbm", {"orientation": "input"}), ("ebm", {"orientation": "input"}),
                                            ("sbm", {"orientation": "output"}), ("nddf", {"direction": "output"}),
                                            ("sbm_ddf", {"direction": "input"})])
def test_a_weight_on_a_variable_the_score_does_not_count_is_warned_about(model, options):
    idle = INPUTS[0] if options.get("orientation") == "output" or options.get("direction") == "output" \
        else OUTPUTS[0]
    assert changes(model, base=options, weights={idle: 2.0}) == "warned"


def test_window_without_the_window_technology_is_refused_and_bad_disposability_without_bads_warned_about():
    panel = DF.assign(year=np.arange(len(DF)) % 3)
    with pytest.raises(ValueError, match="window=1 applies to technology='window' only"):
        fr.efficiency(panel, INPUTS, OUTPUTS, BADS, period="year", window=1)
    with pytest.raises(ValueError, match="window=1 applies to technology='window' only"):
        fr.metafrontier(panel.assign(g=np.arange(len(DF)) % 2), "g", INPUTS, OUTPUTS, BADS, period="year", window=1)
    with pytest.warns(UserWarning, match="has no effect without bad outputs"):
        res = fr.efficiency(DF, INPUTS, OUTPUTS, model="radial", bad_disposability="strong")
    assert res.spec.bad_disposability is None


@pytest.mark.parametrize("model", ["sbm", "radial", "ebm"])
def test_a_luenberger_indicator_of_efficiency_scores_is_said_to_be_a_difference_of_scores(model):
    """index='luenberger' with a model scored as an efficiency ratio is the difference of those scores, not the
    Luenberger indicator of a directional distance: a warning says so, pointing at the caller's line."""
    from frontier.datasets import synthetic_city_panel

    panel = synthetic_city_panel(n_cities=6, n_years=3)
    with pytest.warns(UserWarning, match=f"difference of {model} scores") as caught:
        fr.productivity(panel, "city", "year", ["capital", "labour", "energy"], ["value_added"], ["so2"],
                        index="luenberger", model=model)
    assert any(w.filename == __file__ for w in caught)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fr.productivity(panel, "city", "year", ["capital", "labour", "energy"], ["value_added"], ["so2"],
                        index="luenberger", model="ddf")
