"""``MalmquistBootstrap``: the Simar & Wilson (1999) bootstrap behind ``ProductivityResult.bootstrap``: its
replicates, pseudo data, summary and export (:mod:`frontier.malmquist_bootstrap` computes it)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import io
from .base import FileExports, Summary, SummaryViews, row_line


@dataclass(frozen=True)
class MalmquistBootstrap(SummaryViews, FileExports):
    """The bootstrap behind ``ProductivityResult.bootstrap`` (``productivity(..., bootstrap=B)``).

    Attributes
    ----------
    B, alpha, bandwidth, random_state : the options used (``random_state`` is the seed actually used, drawn
        from the OS when None was given; ``bandwidth`` the rule or number asked for).
    replicates : dict component -> DataFrame, B rows (replicate 0..B-1) x one column per index row (the
        MultiIndex (entity, period) of ``ProductivityResult.indices``, gap rows left out); NaN where an LP of
        that replicate failed.
    distances : dict role -> DataFrame (same shape): the bootstrap distances behind the components, in the
        model's convention (theta or phi), role names as in :mod:`frontier.indices` (``own_a``: the period-a
        observation against the period-a pseudo technology; ``cross_ab``: the period-b observation against
        period a's; ``cross_ba``; ``own_b``; with FGNZ also ``pure_a``, ``pure_b`` under ``rts``).
    groups : DataFrame, one row per technology pair (period_from, period): the pairs bootstrapped, the sizes of
        the two pseudo reference sets, the bandwidth h, the pairs' covariance and a status.
    lp_status : dict status -> count over the bootstrap LPs that were not optimal.
    n_lps : the number of bootstrap LPs solved.
    """

    B: int
    alpha: float
    bandwidth: object
    random_state: object
    replicates: dict
    distances: dict
    groups: pd.DataFrame
    lp_status: dict
    n_lps: int
    _dgp: dict = field(repr=False, default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The replicates in long form: one row per (entity, period, replicate), one column per component (the
        index and its components), NaN where an LP of that replicate failed."""
        first = next(iter(self.replicates.values()), None)
        if first is None:
            return pd.DataFrame()
        labels = first.columns
        rows, B = len(labels), len(first)
        index = pd.MultiIndex.from_arrays(
            [np.repeat(labels.get_level_values(k), B) for k in range(labels.nlevels)] + [np.tile(np.arange(B), rows)],
            names=list(labels.names) + ["replicate"])
        return pd.DataFrame({c: frame.to_numpy(dtype=float).T.ravel() for c, frame in self.replicates.items()},
                            index=index)

    def summary(self) -> Summary:
        """The settings, the technology pairs bootstrapped and the LP outcomes. Prints as text; renders as HTML
        in notebooks."""
        title = "frontier Malmquist bootstrap (Simar & Wilson 1999 smoothed bivariate bootstrap)"
        first = next(iter(self.replicates.values()), None)
        not_optimal = sum(self.lp_status.values())
        rows = [("replicates", f"B = {self.B}, seed {self.random_state!r}"),
                ("interval", f"{1 - self.alpha:.0%} basic bootstrap interval"),
                ("bandwidth", str(self.bandwidth)),
                ("technology pairs", len(self.groups)),
                ("index rows", 0 if first is None else first.shape[1]),
                ("LPs", f"{self.n_lps}, not optimal: {not_optimal}"
                 + (f" ({', '.join(f'{k}: {v}' for k, v in self.lp_status.items())})" if not_optimal else ""))]
        lines = [title] + [row_line(k, v) for k, v in rows]
        tables = {"technology pairs": self.groups}
        if len(self.groups):
            lines.append("  technology pairs:")
            lines.append("    " + self.groups.to_string().replace("\n", "\n    "))
        return Summary("\n".join(lines), title, rows, tables)

    def export(self, extra: dict | None = None) -> io.Export:
        """The replicates (:meth:`to_frame` with the index as leading columns), the technology pairs (an extra
        table), the settings as the specification and column descriptions."""
        table = self.to_frame().reset_index()
        rows = io.header_rows(extra)
        rows.append(("analysis", "smoothed bivariate bootstrap of Malmquist indices (Simar & Wilson 1999)"))
        rows += [(key, io.format_value(value)) for key, value in self.summary().rows]
        names = [c for c in table.columns[:2]]
        desc = {names[0]: "entity", names[1]: "period (the later period of the pair)",
                "replicate": f"bootstrap replicate (0 to {self.B - 1})"}
        desc.update({c: f"{c} in this replicate (NaN where one of its LPs failed)" for c in self.replicates})
        desc = {c: desc[c] for c in table.columns if c in desc}
        return io.Export(table=table, name="malmquist bootstrap", specification=rows, descriptions=desc,
                         extra_tables={"technology pairs": self.groups},
                         title=f"frontier Malmquist bootstrap: B = {self.B}")

    def __repr__(self) -> str:
        rows = next(iter(self.replicates.values())).shape[1] if self.replicates else 0
        return (f"<MalmquistBootstrap B={self.B} alpha={self.alpha} bandwidth={self.bandwidth!r} "
                f"random_state={self.random_state!r} rows={rows} LPs={self.n_lps} "
                f"not optimal={sum(self.lp_status.values())}>")

    def pseudo_data(self, replicate: int, period_from, period) -> pd.DataFrame:
        """The pseudo observations of one replicate for the technology pair (``period_from``, ``period``): one
        row per observation of either period, its entity and period, the pseudo quantities (columns of the
        inputs and outputs) and ``delta_hat`` / ``delta_star``, the estimated and drawn distances (>= 1)."""
        key = (period_from, period)
        if key not in self._dgp["draws"]:
            raise ValueError(f"no bootstrapped technology pair {key!r}; pairs: {list(self._dgp['draws'])}")
        if not 0 <= replicate < self.B:
            raise ValueError(f"replicate must be in 0..{self.B - 1}, got {replicate!r}")
        rows, stars = self._dgp["draws"][key]
        d = self._dgp
        points = pseudo_points(d["matrix"][rows], d["delta"][rows], stars[replicate], d["orientation"], d["m"])
        out = pd.DataFrame(points, columns=d["variables"])
        out.insert(0, d["period_name"], d["period"][rows])
        out.insert(0, d["entity_name"], d["entity"][rows])
        out["delta_hat"] = d["delta"][rows]
        out["delta_star"] = stars[replicate]
        return out


def pseudo_points(matrix: np.ndarray, delta_hat: np.ndarray, delta_star: np.ndarray, orientation: str,
                  m: int) -> np.ndarray:
    """Step 4: the observations moved to the estimated frontier and out by the drawn distance."""
    out = np.array(matrix, dtype=float, copy=True)
    if orientation == "input":
        out[:, :m] *= (delta_star / delta_hat)[:, None]
    else:
        out[:, m:] *= (delta_hat / delta_star)[:, None]
    return out
