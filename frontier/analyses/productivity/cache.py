"""The distance cache of :func:`frontier.productivity`: every (point, technology) distance an index needs, solved
once per technology batch whichever index term asks for it.

A point is an observation (its row position) or a :class:`MixedPoint` (the inputs of one observation with the
outputs of another, or with the panel's mean quantities: the Hicks-Moorsteen indices). The index definitions hand
their terms over as :class:`Points` (arrays over the pairs), so a million-observation panel costs arrays, not a
Python object per distance (mixed points, one object each, are the exception).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ...panel import Panel
from ...technology import ReferenceSets, Technology

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


@dataclass(frozen=True)
class Points:
    """The points one index term asks for over a set of pairs, as arrays: the observations whose inputs and whose
    outputs make up each point (row positions, -1 for the panel's mean quantities), and ``at``, the positions of the
    pairs they belong to. ``mixed`` is False when each point is one observation (``inputs_of`` is ``outputs_of``)."""

    inputs_of: np.ndarray
    outputs_of: np.ndarray
    at: np.ndarray
    mixed: bool

    @property
    def rows(self) -> np.ndarray:
        """The observations of plain (not mixed) points."""
        return self.inputs_of

    def mixed_points(self) -> list[MixedPoint]:
        side = lambda o: None if o < 0 else int(o)  # noqa: E731
        return [MixedPoint(side(i), side(o)) for i, o in zip(self.inputs_of.tolist(), self.outputs_of.tolist())]

    def join(self, other: "Points") -> "Points":
        """These points followed by ``other``'s (same term, more pairs)."""
        inputs_of = np.concatenate([self.inputs_of, other.inputs_of])
        outputs_of = np.concatenate([self.outputs_of, other.outputs_of]) if self.mixed else inputs_of
        return Points(inputs_of, outputs_of, np.concatenate([self.at, other.at]), self.mixed)


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

    def request_points(self, points: Points, tech: Technology) -> None:
        """Request the distances of ``points`` (a term's points over its pairs) to ``tech``."""
        if not points.mixed:
            self.request_rows(points.rows, tech)
            return
        for point in points.mixed_points():
            self.request(point, tech)

    def get_points(self, points: Points, tech: Technology) -> tuple[np.ndarray, np.ndarray]:
        """The distances and statuses of ``points`` to ``tech`` (each requested and solved)."""
        if not points.mixed:
            return self.get_rows(points.rows, tech)
        found = [self._lookup(point, tech) for point in points.mixed_points()]
        return (np.array([value for value, _ in found], dtype=float),
                np.array([status for _, status in found], dtype=object))

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
