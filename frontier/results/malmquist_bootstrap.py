"""The intervals behind ``ProductivityResult.bootstrap``: ``MalmquistBootstrap``, the Simar & Wilson (1999) bootstrap
(its replicates, pseudo data, summary and export; :mod:`frontier.analyses.productivity.bootstrap` computes it), and
``IndexSubsampling``, the labelled subsampling interval of the other indices
(:mod:`frontier.analyses.productivity.subsampling`)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .. import io
from .base import FileExports, Summary, SummaryViews, export_header, row_line


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
        return long_replicates(self.replicates)

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
        rows = export_header(extra, None)      # no call: made by the productivity call
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


def long_replicates(replicates: dict) -> pd.DataFrame:
    """Replicates (component -> DataFrame, replicates x index rows) in long form: one row per (entity, period,
    replicate), one column per component."""
    first = next(iter(replicates.values()), None)
    if first is None:
        return pd.DataFrame()
    labels = first.columns
    rows, B = len(labels), len(first)
    index = pd.MultiIndex.from_arrays(
        [np.repeat(labels.get_level_values(k), B) for k in range(labels.nlevels)] + [np.tile(np.arange(B), rows)],
        names=list(labels.names) + ["replicate"])
    return pd.DataFrame({c: frame.to_numpy(dtype=float).T.ravel() for c, frame in replicates.items()}, index=index)


@dataclass(frozen=True)
class IndexSubsampling(SummaryViews, FileExports):
    """The subsampling interval behind ``ProductivityResult.bootstrap`` with ``productivity(..., bootstrap=B,
    scheme="subsampling")``: m of the n entities per replicate, the index recomputed on each subsample's
    frontiers, the interval rescaled by (m/n)^r. Not established theory for these indices: ``label`` says so, and
    the summary and exports carry it (docs/bootstrap.md).

    Attributes
    ----------
    B, alpha, random_state : the options used (``random_state`` the seed actually used).
    kappa, subsample_size : m = round(n^kappa) entities per subsample (given, or chosen by volatility).
    n_entities : n.    rate : r of the assumed rate n^r.    label : what the interval is and is not.
    replicates : dict component -> DataFrame, B rows x one column per index row (entity, later period), at the
        kappa used; NaN where an LP of that subsample failed.
    subsamples : DataFrame, B rows x m columns: the entities of each replicate's subsample.
    volatility : the table kappa, m, volatility the data-driven kappa was chosen from (None with a given kappa).
    lp_status : dict status -> count over the subsample LPs (every kappa of the grid) that were not optimal.
    n_lps : the number of subsample LPs solved.
    """

    B: int
    alpha: float
    kappa: float
    subsample_size: int
    n_entities: int
    rate: float
    random_state: object
    label: str
    replicates: dict
    subsamples: pd.DataFrame
    volatility: pd.DataFrame | None
    lp_status: dict
    n_lps: int

    def to_frame(self) -> pd.DataFrame:
        """The replicates in long form: one row per (entity, period, replicate), one column per component."""
        return long_replicates(self.replicates)

    def summary(self) -> Summary:
        """The label, the settings and the LP outcomes. Prints as text; renders as HTML in notebooks."""
        title = "frontier productivity index: subsampling interval (m out of n entities)"
        first = next(iter(self.replicates.values()), None)
        not_optimal = sum(self.lp_status.values())
        rows = [("interval", f"{1 - self.alpha:.0%} {self.label}"),
                ("replicates", f"B = {self.B}, seed {self.random_state!r}"),
                ("subsample", f"m = {self.subsample_size} of n = {self.n_entities} entities (kappa = {self.kappa:g}"
                              + (", chosen by volatility)" if self.volatility is not None else ", given)")),
                ("rate", f"n^{self.rate:.4g} assumed; interval scaled by (m/n)^{self.rate:.4g} = "
                         f"{(self.subsample_size / self.n_entities) ** self.rate:.4g}"),
                ("index rows", 0 if first is None else first.shape[1]),
                ("LPs", f"{self.n_lps}, not optimal: {not_optimal}"
                 + (f" ({', '.join(f'{k}: {v}' for k, v in self.lp_status.items())})" if not_optimal else ""))]
        lines = [title] + [row_line(k, v) for k, v in rows]
        tables = {} if self.volatility is None else {"volatility": self.volatility}
        return Summary("\n".join(lines), title, rows, tables)

    def export(self, extra: dict | None = None) -> io.Export:
        """The replicates (:meth:`to_frame` with the index as leading columns), the subsamples (an extra table),
        the label and settings as the specification and column descriptions."""
        table = self.to_frame().reset_index()
        rows = export_header(extra, None)      # no call: made by the productivity call
        rows.append(("analysis", self.label))
        rows += [(key, io.format_value(value)) for key, value in self.summary().rows]
        names = [c for c in table.columns[:2]]
        desc = {names[0]: "entity", names[1]: "period (the later period of the pair)",
                "replicate": f"subsample replicate (0 to {self.B - 1})"}
        desc.update({c: f"{c} recomputed on this replicate's subsample frontiers (NaN where one of its LPs failed)"
                     for c in self.replicates})
        desc = {c: desc[c] for c in table.columns if c in desc}
        extra_tables = {"subsamples": self.subsamples.reset_index()}
        if self.volatility is not None:
            extra_tables["volatility"] = self.volatility
        return io.Export(table=table, name="index subsampling", specification=rows, descriptions=desc,
                         extra_tables=extra_tables, title=f"frontier index subsampling: B = {self.B}")

    def __repr__(self) -> str:
        rows = next(iter(self.replicates.values())).shape[1] if self.replicates else 0
        return (f"<IndexSubsampling B={self.B} m={self.subsample_size} n={self.n_entities} kappa={self.kappa:g} "
                f"rows={rows} LPs={self.n_lps} not established theory: see docs/bootstrap.md>")


def pseudo_points(matrix: np.ndarray, delta_hat: np.ndarray, delta_star: np.ndarray, orientation: str,
                  m: int) -> np.ndarray:
    """Step 4: the observations moved to the estimated frontier and out by the drawn distance."""
    out = np.array(matrix, dtype=float, copy=True)
    if orientation == "input":
        out[:, :m] *= (delta_star / delta_hat)[:, None]
    else:
        out[:, m:] *= (delta_hat / delta_star)[:, None]
    return out
