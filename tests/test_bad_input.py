"""Bad input gives a clear ValueError that names the offending column(s) and row(s); good input is never
modified; the zero-data policies run and are recorded."""
from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import frontier as fr


@pytest.fixture
def df():
    return pd.DataFrame(
        {"K": [3.0, 5.0, 4.0, 6.0, 2.0], "L": [2.0, 3.0, 6.0, 4.0, 5.0], "Y": [4.0, 6.0, 5.0, 7.0, 3.0],
         "CO2": [1.0, 2.0, 1.5, 3.0, 1.2], "year": [2001, 2001, 2002, 2002, 2002]},
        index=pd.Index(["firmA", "firmB", "firmC", "firmD", "firmE"], name="firm"))


def raises(*fragments):
    """pytest.raises(ValueError) whose message contains every fragment (literally)."""
    return pytest.raises(ValueError, match="".join(f"(?=[\\s\\S]*{re.escape(f)})" for f in fragments))


# ----------------------------------------------------------------------------------------------------
# the data
# ----------------------------------------------------------------------------------------------------

def test_missing_column(df):
    with raises("'Energy'", "not found"):
        fr.efficiency(df, ["K", "Energy"], "Y")
    with raises("'SO2'"):
        fr.efficiency(df, ["K", "L"], "Y", bad_outputs=["SO2"])


def test_non_numeric_column_names_rows(df):
    bad = df.astype({"L": object})
    bad.loc["firmC", "L"] = "n/a"
    with raises("'L'", "not numeric", "'firmC'"):
        fr.efficiency(bad, ["K", "L"], "Y")


def test_boolean_column_is_not_numeric(df):
    with raises("'flag'", "not numeric"):
        fr.efficiency(df.assign(flag=[True, False, True, True, False]), ["K"], "flag")


def test_complex_column_is_refused_not_cast(df):
    """Casting would silently drop the imaginary part (NumPy only warns)."""
    with raises("'Y'", "complex"):
        fr.efficiency(df.assign(Y=df["Y"] + 1j), ["K", "L"], "Y")
    with raises("'Y'", "complex numbers in rows ['firmB']"):
        fr.efficiency(df.assign(Y=df["Y"].astype(object).where(df.index != "firmB", 6 + 2j)), ["K", "L"], "Y")


def test_object_column_of_numbers_is_read_as_numbers(df):
    """A column of Python numbers (object dtype: ints, floats, Decimal) gives the scores of the float column."""
    import decimal

    ref = fr.efficiency(df, ["K", "L"], "Y", model="radial")
    objects = df.astype({"K": object, "Y": object})
    objects["Y"] = [int(v) if v == int(v) else decimal.Decimal(str(v)) for v in df["Y"]]
    pd.testing.assert_series_equal(fr.efficiency(objects, ["K", "L"], "Y", model="radial").scores, ref.scores)


def test_object_column_that_is_not_numbers_names_rows_and_why(df):
    text = df.astype({"L": object})
    text.loc["firmB", "L"] = "3"
    with raises("'L'", "not numeric", "text in rows ['firmB']", "'3'", "pd.to_numeric"):
        fr.efficiency(text, ["K", "L"], "Y")
    flags = df.astype({"L": object})
    flags.loc["firmD", "L"] = True
    with raises("'L'", "True/False in rows ['firmD']"):
        fr.efficiency(flags, ["K", "L"], "Y")
    with raises("'L'", "text in rows ['firmA', 'firmB', 'firmC', 'firmD', 'firmE']"):
        fr.efficiency(df.astype({"L": str}), ["K", "L"], "Y")


@pytest.mark.parametrize("value,kind", [(np.nan, "NaN"), (np.inf, "infinite"), (-np.inf, "infinite")])
def test_nan_and_inf(df, value, kind):
    bad = df.copy()
    bad.loc["firmB", "Y"] = value
    bad.loc["firmD", "Y"] = value
    with raises("'Y'", kind, "'firmB'", "'firmD'"):
        fr.efficiency(bad, ["K", "L"], "Y")


def test_nullable_missing_value(df):
    bad = df.astype({"CO2": "Float64"})
    bad.loc["firmE", "CO2"] = pd.NA
    with raises("'CO2'", "NaN", "'firmE'"):
        fr.efficiency(bad, ["K", "L"], "Y", "CO2", model="sbm")


def test_negative_values(df):
    bad = df.copy()
    bad.loc["firmA", "CO2"] = -0.5
    with raises("'CO2'", "negative", "'firmA'"):
        fr.efficiency(bad, ["K", "L"], "Y", "CO2", model="ddf")


def test_duplicate_index_labels(df):
    bad = df.rename(index={"firmD": "firmB"})
    with raises("duplicate", "'firmB'"):
        fr.efficiency(bad, ["K", "L"], "Y")


def test_duplicate_index_labels_suggest_arguments_that_exist():
    """The panel indexed by city alone: the hint names id= (efficiency() has no entity= argument)."""
    from frontier.datasets import synthetic_city_panel

    panel = synthetic_city_panel(n_cities=4, n_years=3).set_index("city")
    with pytest.raises(ValueError, match="duplicate DMU labels") as info:
        fr.efficiency(panel, ["capital", "labour"], ["value_added"])
    assert "id=['city', 'year']" in str(info.value) and "entity" not in str(info.value)


@pytest.mark.parametrize("inputs,outputs,bads,col", [
    (["K", "L"], ["Y", "K"], None, "'K'"),
    (["K", "L"], ["Y"], ["L"], "'L'"),
    (["K", "K"], ["Y"], None, "'K'"),
])
def test_column_in_two_roles(df, inputs, outputs, bads, col):
    with raises(col, "one role"):
        fr.efficiency(df, inputs, outputs, bads)


def test_period_column_cannot_be_a_variable(df):
    with raises("'year'", "one role"):
        fr.efficiency(df, ["K", "year"], "Y", period="year")


def test_fewer_than_two_dmus(df):
    with raises("at least 2", "1"):
        fr.efficiency(df.iloc[:1], ["K", "L"], "Y")
    with raises("at least 2", "0"):
        fr.efficiency(df.iloc[:0], ["K", "L"], "Y")


def test_no_inputs_no_outputs(df):
    with raises("no inputs"):
        fr.efficiency(df, [], "Y")
    with raises("no inputs"):
        fr.efficiency(df, None, "Y")
    with raises("no outputs"):
        fr.efficiency(df, ["K"], [])


def test_not_a_dataframe(df):
    with raises("DataFrame", "ndarray"):
        fr.efficiency(df.to_numpy(), ["K"], ["Y"])


# ----------------------------------------------------------------------------------------------------
# zeros in the variables the SBM family divides by
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model,col", [("sbm", "Y"), ("sbm", "K"), ("sbm", "CO2"), ("sbm_ddf", "L")])
def test_zeros_in_divided_columns_are_an_error(df, model, col):
    bad = df.copy()
    bad.loc[["firmB", "firmE"], col] = 0.0
    with raises(f"'{col}'", "zero", "'firmB'", "'firmE'", "zeros="):
        fr.efficiency(bad, ["K", "L"], "Y", "CO2", model=model)


def test_zeros_only_matter_where_the_model_divides(df):
    """Input-oriented SBM never divides by outputs; radial and DDF never divide by data."""
    bad = df.copy()
    bad.loc["firmB", "Y"] = 0.0
    res = fr.efficiency(bad, ["K", "L"], "Y", model="sbm", orientation="input")
    assert (res.status == "optimal").all() and res.scores.between(1e-9, 1 + 1e-9).all()
    bad_input = df.copy()
    bad_input.loc["firmC", "K"] = 0.0
    res = fr.efficiency(bad_input, ["K", "L"], "Y", model="sbm", orientation="output")
    assert (res.status == "optimal").all() and res.scores.between(1e-9, 1 + 1e-9).all()
    # output-oriented super-SBM holds inputs: X'lambda <= 0 in K forces lambda = 0 for firmC, so no target
    # with a positive denominator exists (infeasible, NaN); every other DMU is scored
    res = fr.efficiency(bad_input, ["K", "L"], "Y", model="sbm", orientation="output", super_efficiency=True,
                        rts="crs")
    assert res.status["firmC"] == "infeasible" and np.isnan(res.scores["firmC"])
    assert (res.status.drop("firmC") == "optimal").all()
    for model in ("radial", "ddf", "nddf"):
        assert (fr.efficiency(bad, ["K", "L"], "Y", model=model).status == "optimal").all()


def test_drop_term_and_small_positive_by_hand():
    """Non-oriented VRS SBM with one input and two outputs; B has y2 = 0.

    B is evaluated against the mix lambda_A = a, lambda_B = 1 - a: s- = a, sg1 = a, sg2 = 2a (a in [0, 1]).
    * drop_term: the y2 term leaves the output average, rho(a) = (1 - a/2) / (1 + a), minimised at a = 1:
      rho_B = 1/4.
    * small_positive: y2 is divided by 1/100 of the column's smallest positive value, 2/100, so the output
      average is (a + 2a/0.02)/2 = 50.5 a and rho_B = (1/2) / 51.5 = 1/103.
    A is efficient either way."""
    data = pd.DataFrame({"x": [1.0, 2.0], "y1": [2.0, 1.0], "y2": [2.0, 0.0]}, index=["A", "B"])
    with raises("'y2'", "'B'"):
        fr.efficiency(data, "x", ["y1", "y2"], model="sbm", rts="vrs")
    drop = fr.efficiency(data, "x", ["y1", "y2"], model="sbm", rts="vrs", zeros="drop_term")
    np.testing.assert_allclose(drop.scores.to_numpy(), [1.0, 0.25], atol=1e-10)
    np.testing.assert_allclose(drop.slacks.loc["B"].to_numpy(), [1.0, 1.0, 2.0], atol=1e-9)
    assert drop.spec["zeros"] == "drop_term"
    small = fr.efficiency(data, "x", ["y1", "y2"], model="sbm", rts="vrs", zeros="small_positive")
    np.testing.assert_allclose(small.scores.to_numpy(), [1.0, 1.0 / 103.0], atol=1e-10)
    assert small.spec["zeros"] == "small_positive"
    assert "small_positive" in small.summary()


@pytest.mark.parametrize("policy", ["drop_term", "small_positive"])
@pytest.mark.parametrize("kwargs", [dict(model="sbm"), dict(model="sbm", super_efficiency=True, rts="crs"),
                                    dict(model="sbm", orientation="output"), dict(model="sbm_ddf")])
def test_zero_policies_run_and_are_recorded(df, policy, kwargs):
    bad = df.copy()
    bad.loc["firmC", "CO2"] = 0.0
    bad.loc["firmA", "L"] = 0.0
    res = fr.efficiency(bad, ["K", "L"], "Y", "CO2", zeros=policy, **kwargs)
    assert res.spec["zeros"] == policy
    assert res.scores.notna().all() and (res.status == "optimal").all()
    # without zeros the policies change nothing
    plain = fr.efficiency(df, ["K", "L"], "Y", "CO2", **kwargs)
    again = fr.efficiency(df, ["K", "L"], "Y", "CO2", zeros=policy, **kwargs)
    np.testing.assert_allclose(again.scores.to_numpy(), plain.scores.to_numpy(), atol=1e-12)
    assert plain.spec["zeros"] == "error"


def test_unknown_zero_policy(df):
    with raises("zeros", "'ignore'"):
        fr.efficiency(df, ["K", "L"], "Y", zeros="ignore")


# ----------------------------------------------------------------------------------------------------
# options
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs,fragments", [
    (dict(model="dea"), ("model", "'dea'")),
    (dict(rts="irs"), ("rts", "'irs'")),
    (dict(model="radial", orientation="nonoriented"), ("orientation", "'nonoriented'")),
    (dict(model="sbm", orientation="sideways"), ("orientation", "'sideways'")),
    (dict(model="ddf", orientation="input"), ("model='ddf'", "direction")),
    (dict(model="sbm", bad_disposability="weak"), ("model='sbm'", "bad_disposability", "'weak'")),
    (dict(model="sbm_ddf", bad_disposability="strong"), ("model='sbm_ddf'", "'strong'")),
    (dict(model="radial", bad_disposability="apz"), ("bad_disposability", "'apz'")),
    (dict(model="ddf", bad_disposability="free"), ("bad_disposability", "'free'")),
    (dict(model="nddf", super_efficiency=True), ("super_efficiency", "model='nddf'")),
    (dict(model="sbm_ddf", super_efficiency=True), ("super_efficiency", "model='sbm_ddf'")),
    (dict(model="ddf", direction="sideways"), ("direction", "'sideways'")),
    (dict(model="sbm", direction="observed"), ("direction", "model='sbm'")),
    (dict(model="radial", weights={"K": 1.0}), ("weights", "'radial'")),
    (dict(model="sbm", weights={"Energy": 1.0}), ("weights", "'Energy'")),
    (dict(model="nddf", weights={"K": -1.0}), ("weight", "'K'")),
    (dict(method="fast"), ("method", "'fast'")),
    (dict(reference=["firmA", "firmZ"]), ("reference", "'firmZ'")),
    (dict(reference=[]), ("reference set is empty",)),
    (dict(reference=np.array([True, False])), ("reference", "5")),
])
def test_invalid_options(df, kwargs, fragments):
    with raises(*fragments):
        fr.efficiency(df, ["K", "L"], "Y", "CO2", **kwargs)


def test_reference_can_be_one_label(df):
    """A single label (text, number or a tuple of a MultiIndex) is that DMU, not its characters one by one."""
    by_list = fr.efficiency(df, ["K", "L"], "Y", reference=["firmD"], model="radial")
    by_label = fr.efficiency(df, ["K", "L"], "Y", reference="firmD", model="radial")
    pd.testing.assert_series_equal(by_label.scores, by_list.scores)
    assert by_label.spec["reference"] == "1 rows"
    numbered = df.reset_index(drop=True)
    pd.testing.assert_series_equal(fr.efficiency(numbered, ["K", "L"], "Y", reference=3, model="radial").scores,
                                   by_list.scores.reset_index(drop=True))
    panel = df.set_index("year", append=True)
    assert fr.efficiency(panel, ["K", "L"], "Y", reference=("firmD", 2002)).spec["reference"] == "1 rows"
    letters = df.rename(index=dict(zip(df.index, "firmD")))          # DMUs named f, i, r, m, D
    with raises("reference", "'firmD'", "not in data"):
        fr.efficiency(letters, ["K", "L"], "Y", reference="firmD")


def test_invalid_period_options(df):
    with raises("'quarter'", "not found"):
        fr.efficiency(df, ["K", "L"], "Y", period="quarter")
    with raises("technology"):
        fr.efficiency(df, ["K", "L"], "Y", period="year", technology="yesterday")
    with raises("window"):
        fr.efficiency(df, ["K", "L"], "Y", period="year", technology="window")
    bad = df.astype({"year": "float"})
    bad.loc["firmC", "year"] = np.nan
    with raises("'year'", "missing", "'firmC'"):
        fr.efficiency(bad, ["K", "L"], "Y", period="year")


def test_direction_frame_with_missing_columns(df):
    G = df[["K", "L", "Y"]]                  # no CO2 column
    with raises("direction", "'CO2'"):
        fr.efficiency(df, ["K", "L"], "Y", "CO2", model="ddf", direction=G)


def test_direction_frame_with_missing_rows_or_bad_values(df):
    G = df[["K", "L", "Y", "CO2"]]
    with raises("direction", "'firmE'"):
        fr.efficiency(df, ["K", "L"], "Y", "CO2", model="nddf", direction=G.drop(index="firmE"))
    with raises("direction", "non-negative"):
        fr.efficiency(df, ["K", "L"], "Y", "CO2", model="ddf", direction=-G)
    bad = G.copy()
    bad.loc["firmB", "Y"] = np.nan
    with raises("direction", "'firmB'"):
        fr.efficiency(df, ["K", "L"], "Y", "CO2", model="sbm_ddf", direction=bad)


# ----------------------------------------------------------------------------------------------------
# the user's data is never modified
# ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kwargs", [
    dict(model="sbm", super_efficiency=True),
    dict(model="radial", orientation="output", rts="crs"),
    dict(model="ddf", bad_disposability="apz", direction="mean"),
    dict(model="nddf", weights={"K": 2.0}),
    dict(model="sbm_ddf", period="year", technology="sequential"),
    dict(model="sbm", period="year", technology="global", zeros="small_positive"),
])
def test_user_frame_is_not_modified(df, kwargs):
    data = df.copy()
    data.loc["firmC", "CO2"] = 0.0 if kwargs.get("zeros") else data.loc["firmC", "CO2"]
    before = data.copy(deep=True)
    mask = pd.Series([True, True, False, True, True], index=data.index)
    mask_before = mask.copy(deep=True)
    res = fr.efficiency(data, ["K", "L"], "Y", "CO2", reference=mask, **kwargs)
    pd.testing.assert_frame_equal(data, before)
    pd.testing.assert_series_equal(mask, mask_before)
    assert res.scores.index.equals(data.index)
    # results are independent copies too: editing them does not touch the data
    res.targets.iloc[:, :] = -1.0
    pd.testing.assert_frame_equal(data, before)


def test_direction_frame_is_not_modified(df):
    G = df[["K", "L", "Y", "CO2"]].iloc[::-1] * 1.0
    G_before = G.copy(deep=True)
    fr.efficiency(df, ["K", "L"], "Y", "CO2", model="ddf", direction=G)
    pd.testing.assert_frame_equal(G, G_before)


@pytest.mark.parametrize("model, efficient", [("radial", 1.0), ("sbm", 1.0), ("ddf", 0.0), ("nddf", 0.0),
                                              ("sbm_ddf", 0.0)])
def test_identical_dmus_are_efficient_and_scores_have_no_signed_zero(df, model, efficient):
    """Degenerate but legal data: every DMU the same. All are efficient, also as super-efficiency (a twin stays
    in the reference set), and a zero score is +0.0, not the -0.0 an LP can return."""
    same = pd.DataFrame([df.iloc[0].to_numpy()] * 4, columns=df.columns, index=list("abcd"))
    for super_eff in (False, True) if model in ("radial", "sbm", "ddf") else (False,):
        res = fr.efficiency(same, ["K", "L"], ["Y"], ["CO2"], model=model, super_efficiency=super_eff)
        assert (res.status == "optimal").all()
        np.testing.assert_allclose(res.scores.to_numpy(), efficient, atol=1e-9)
        assert not np.signbit(res.scores.to_numpy()).any() and not np.signbit(res.slacks.to_numpy()).any()


# ----------------------------------------------------------------------------------------------------
# arguments that used to raise an internal exception (or were silently ignored): a clear ValueError
# ----------------------------------------------------------------------------------------------------

@pytest.fixture
def once_each(df):
    return df.reset_index().assign(year=[2001, 2002, 2001, 2002, 2001])    # firmA..E, each observed once


def test_panel_without_a_pair(df, once_each):
    for data in (once_each, once_each.assign(year=2001)):                   # every entity once; a single period
        with raises("no entity is observed in two periods", "'firm'", "'year'"):
            fr.productivity(data, "firm", "year", ["K", "L"], "Y")


def test_panel_whose_only_pairs_are_calendar_gaps(df):
    data = df.reset_index().assign(firm=["A", "A", "B", "B", "C"], year=[2001, 2003, 2001, 2003, 2002])
    res = fr.productivity(data, "firm", "year", ["K", "L"], "Y", adjacency="calendar")
    assert list(res.indices["status"]) == ["gap", "gap"] and res.indices["index"].isna().all()


def test_duplicate_column_names(df):
    doubled = pd.concat([df, df[["K"]]], axis=1)
    with raises("['K']", "more than once"):
        fr.efficiency(doubled, ["K", "L"], "Y")
    panel = pd.concat([df.reset_index(), df[["year"]].reset_index(drop=True)], axis=1)
    with raises("['year']", "more than once"):
        fr.productivity(panel, "firm", "year", ["K", "L"], "Y")


@pytest.mark.parametrize("chunk_size", [-1, 0, 2.5, "10", True])
def test_chunk_size(df, chunk_size):
    with raises("chunk_size", repr(chunk_size)):
        fr.efficiency(df, ["K", "L"], "Y", chunk_size=chunk_size)


@pytest.mark.parametrize("n_jobs", ["2", 2.0, 0, True])
def test_n_jobs(df, n_jobs):
    with raises("n_jobs", repr(n_jobs)):
        fr.efficiency(df, ["K", "L"], "Y", n_jobs=n_jobs)
    with raises("n_jobs", repr(n_jobs)):
        fr.productivity(df.reset_index().assign(firm=list("ABABC")), "firm", "year", ["K", "L"], "Y", n_jobs=n_jobs)


@pytest.mark.parametrize("value", ["a", None, True, [1.0]])
def test_non_numeric_weight(df, value):
    with raises("weight of 'K'", "must be a number"):
        fr.efficiency(df, ["K", "L"], "Y", model="sbm", weights={"K": value})


@pytest.mark.parametrize("model, orientation, weights", [
    ("sbm", None, {"K": 0, "L": 0, "Y": 0}), ("sbm", "input", {"K": 0, "L": 0}), ("sbm", "output", {"Y": 0.0}),
    ("nddf", None, {"K": 0, "L": 0, "Y": 0}), ("sbm_ddf", None, {"K": 0, "L": 0, "Y": 0})])
def test_all_zero_weights_are_refused(df, model, orientation, weights):
    with raises("weights are zero for every variable", "would score as efficient"):
        fr.efficiency(df, ["K", "L"], "Y", model=model, orientation=orientation, weights=weights)
    with raises("weights are zero for every variable"):
        fr.productivity(df.reset_index().assign(firm=list("ABABC")), "firm", "year", ["K", "L"], "Y", model=model,
                        orientation=orientation, weights=weights, index="gml")


def test_zero_weights_on_one_side_are_allowed(df):
    """Nonoriented SBM with zero input weights scores output slacks only: a model, not a degenerate one."""
    res = fr.efficiency(df, ["K", "L"], "Y", model="sbm", weights={"K": 0, "L": 0})
    assert res.status.eq("optimal").all()


@pytest.mark.parametrize("value", ["no", "False", 0, 1, None])
def test_super_efficiency_must_be_a_bool(df, value):
    with raises("super_efficiency must be True or False", repr(value)):
        fr.efficiency(df, ["K", "L"], "Y", super_efficiency=value)
    if value is not None:                         # productivity's None means "the model's default"
        with raises("super_efficiency must be True or False"):
            fr.productivity(df.reset_index().assign(firm=list("ABABC")), "firm", "year", ["K", "L"], "Y",
                            super_efficiency=value)
    assert fr.efficiency(df, ["K", "L"], "Y", super_efficiency=np.bool_(True)).spec["super_efficiency"] is True


@pytest.mark.parametrize("technology", ["sequential", "global", "window", "contemporaneous"])
def test_technology_needs_a_period(df, technology):
    with raises(f"technology={technology!r} needs period="):
        fr.efficiency(df, ["K", "L"], "Y", technology=technology)
    assert fr.efficiency(df, ["K", "L"], "Y", period="year").spec["technology"] == "contemporaneous"


# ----------------------------------------------------------------------------------------------------
# a lost parallel worker: a clear RuntimeError, no partial result
# ----------------------------------------------------------------------------------------------------

def _lost_worker_errors():
    """The exceptions joblib's backends raise when a worker process dies (real classes where installed)."""
    errors = []
    try:
        from distributed.client import FutureCancelledError
        from distributed.scheduler import KilledWorker

        from types import SimpleNamespace

        errors.append(KilledWorker("solve_chunk-123", SimpleNamespace(address="tcp://127.0.0.1:4000"), 0))
        errors.append(FutureCancelledError("solve_chunk-123", reason="already forgotten"))
    except ImportError:
        pass
    from joblib.externals.loky.process_executor import TerminatedWorkerError

    errors.append(TerminatedWorkerError("A worker process managed by the executor was unexpectedly terminated."))
    return errors


@pytest.mark.parametrize("error", _lost_worker_errors(), ids=lambda e: type(e).__name__)
def test_lost_parallel_worker_is_a_clear_error(monkeypatch, error):
    """The parallel map translates a dead worker into one RuntimeError that says what happened and what to do.

    The worker's death is simulated by the exception its backend raises (a real kill of a Dask worker is
    timing-dependent: the nanny restarts it and the scheduler may re-run the task elsewhere)."""
    import joblib

    from frontier.datasets import synthetic_firms

    class DyingParallel:
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, tasks):
            next(iter(tasks))
            raise error

    monkeypatch.setattr(joblib, "Parallel", DyingParallel)
    firms = synthetic_firms(40, seed=1)
    with pytest.raises(RuntimeError, match="worker was lost") as info:
        fr.efficiency(firms, ["K", "L", "E"], ["Y"], chunk_size=10, n_jobs=2)
    message = str(info.value)
    assert type(error).__name__ in message and "No partial results" in message and "memory" in message
    assert info.value.__cause__ is error


def test_other_parallel_errors_are_not_called_a_lost_worker(monkeypatch):
    import joblib

    from frontier.datasets import synthetic_firms

    class FailingParallel:
        def __init__(self, *args, **kwargs):
            pass

        def __call__(self, tasks):
            raise MemoryError("in the caller")

    monkeypatch.setattr(joblib, "Parallel", FailingParallel)
    with pytest.raises(MemoryError):
        fr.efficiency(synthetic_firms(40, seed=1), ["K", "L", "E"], ["Y"], chunk_size=10, n_jobs=2)
