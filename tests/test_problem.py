"""The evaluation primitive's arguments: data rows are integer positions, anything else is a matrix in data units.

A 1-D array of floats (one point in data units), a boolean mask or a negative position used to be read silently as
row positions (``[3.5, 2.0, ...]`` became rows 3, 2, ...; ``-1`` the last row): each is now a ValueError naming the
argument, so a caller (a bootstrap, a metafrontier) can never evaluate the wrong DMUs.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from frontier.data import validate_frame
from frontier.models import resolve_options
from frontier.problem import Problem

N = 12


@pytest.fixture(scope="module")
def problem() -> Problem:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame(rng.uniform(1.0, 10.0, size=(N, 3)), columns=["x", "y", "b"])
    return Problem(validate_frame(frame, ["x"], ["y"], ["b"]), resolve_options("radial"))


@pytest.mark.parametrize("points,message", [
    (np.array([3.5, 2.0, 4.1]), "points given as data rows must be integer positions 0..11, got dtype float64"),
    (np.arange(N) < 3, "points given as data rows must be integer positions 0..11, got dtype bool"),
    (np.array([0, -1]), r"points positions must be in 0..11, got \[-1\]"),
    (np.array([2, 12, 40]), r"points positions must be in 0..11, got \[12, 40\]"),
    (np.ones((2, 2)), "points must be data rows \\(positions\\) or a k x 3 matrix in data units"),
    (np.full((1, 3), -1.0), "points must be finite and non-negative"),
])
def test_points_that_are_neither_positions_nor_a_matrix_are_refused(problem, points, message):
    with pytest.raises(ValueError, match=message):
        problem.evaluate(points, np.arange(N))


@pytest.mark.parametrize("reference,message", [
    (np.array([0.0, 1.0]), "reference given as data rows must be integer positions"),
    (np.array([1, -2]), r"reference positions must be in 0..11, got \[-2\]"),
    (np.full((2, 3), np.nan), "reference must be finite and non-negative"),
])
def test_a_reference_that_is_neither_positions_nor_a_matrix_is_refused(problem, reference, message):
    with pytest.raises(ValueError, match=message):
        problem.evaluate(np.arange(3), reference)


def test_one_point_in_data_units_is_a_one_row_matrix(problem):
    point = problem.data.matrix[[4]]
    as_matrix = problem.evaluate(point, np.arange(N))
    as_row = problem.evaluate(np.array([4]), np.arange(N))
    np.testing.assert_array_equal(as_matrix.score, as_row.score)
    assert problem.evaluate([], np.arange(N)).score.shape == (0,)        # no points: an empty answer
    np.testing.assert_array_equal(problem.evaluate([4, 5], np.arange(N)).score,
                                  problem.evaluate(np.array([4, 5]), np.arange(N)).score)
