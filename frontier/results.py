"""Immutable result objects with tidy pandas accessors."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


def _spec_lines(spec: dict, keys) -> list[str]:
    lines = []
    for key in keys:
        value = spec.get(key)
        if value is None or value == [] or value is False and key != "super_efficiency":
            continue
        lines.append(f"  {key:<18} {value}")
    return lines


@dataclass(frozen=True)
class EfficiencyResult:
    """The outcome of :func:`frontier.efficiency`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    scores : Series, the efficiency score (convention in ``spec['description']``); NaN where the LP failed.
    status : Series, the solver outcome of each DMU's LP: ``"optimal"``; ``"infeasible"``, ``"unbounded"``,
        ``"numerical_error"``... (score NaN); ``"slacks_<status>"`` when only the second (max-slack) stage
        failed (score kept, slacks and targets NaN).
    slacks : DataFrame, one column per variable: input and bad-output excess, output shortfall (see the
        model's docstring; negative for the super-slacks of super-efficient DMUs).
    targets : DataFrame of projected values.
    peers : tidy DataFrame ``(dmu, peer, weight)`` of the nonzero intensities lambda.
    betas : DataFrame of the individual betas (nddf, sbm_ddf), else None.
    spec : dict recording the model specification (including the zero-data policy).
    """

    scores: pd.Series
    status: pd.Series
    slacks: pd.DataFrame
    targets: pd.DataFrame
    peers: pd.DataFrame
    betas: pd.DataFrame | None
    spec: dict
    periods: pd.Series | None = None

    def to_frame(self) -> pd.DataFrame:
        """Scores, status, slacks (``slack_<var>``), targets (``target_<var>``) and betas in one tidy frame.

        Indexed like the data; the period column is included unless it already is an index level, so the
        frame merges straight back onto the user's panel on its index.
        """
        parts = []
        if self.periods is not None and self.periods.name not in self.scores.index.names:
            parts.append(self.periods)
        parts += [self.scores, self.status, self.slacks.add_prefix("slack_"), self.targets.add_prefix("target_")]
        if self.betas is not None:
            parts.append(self.betas.add_prefix("beta_"))
        return pd.concat(parts, axis=1)

    @property
    def n_failed(self) -> int:
        return int(self.scores.isna().sum())

    def summary(self) -> str:
        s = self.scores
        lines = [f"frontier efficiency: {self.spec['description']}"]
        lines += _spec_lines(self.spec, ["model", "orientation", "rts", "super_efficiency", "bad_disposability",
                                         "direction", "weights", "technology", "window", "reference", "zeros"])
        lines.append(f"  {'variables':<18} inputs {self.spec['inputs']}, outputs {self.spec['outputs']}"
                     + (f", bad outputs {self.spec['bad_outputs']}" if self.spec['bad_outputs'] else ""))
        lines.append(f"  {'DMUs':<18} {len(s)}")
        counts = self.status.value_counts()
        lines.append("  LP status          " + ", ".join(f"{k}: {v}" for k, v in counts.items()))
        ok = s.dropna()
        if len(ok):
            q = ok.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
            lines.append(f"  score              mean {ok.mean():.4f}, min {q[0]:.4f}, q25 {q[1]:.4f}, "
                         f"median {q[2]:.4f}, q75 {q[3]:.4f}, max {q[4]:.4f}")
            if self.periods is not None:
                by = ok.groupby(self.periods.loc[ok.index]).agg(["mean", "count"])
                lines.append("  mean score by period: " + ", ".join(f"{p}: {r['mean']:.4f} (n={int(r['count'])})"
                                                               for p, r in by.iterrows()))
        if self.n_failed:
            bad = self.status[self.scores.isna()]
            lines.append(f"  NaN scores         {self.n_failed} (e.g. {list(bad.index[:5])}: {list(bad.iloc[:5])})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    # -- export and plots (frontier.io, frontier.plots) ------------------------------------------------
    def to_csv(self, path) -> None:
        """Write :meth:`to_frame` with the DMU index as leading column(s) to a CSV file."""
        from .io import write_result

        write_result(self, path, fmt="csv")

    def to_excel(self, path) -> None:
        """Write the scores to an .xlsx file with a ``specification`` sheet (model, options, conventions)."""
        from .io import write_result

        write_result(self, path, fmt="excel")

    def to_stata(self, path) -> None:
        """Write the scores to a Stata .dta file (variable labels; the specification as dataset notes)."""
        from .io import write_result

        write_result(self, path, fmt="stata")

    def plot(self, path=None, **kwargs):
        """Distribution of the scores per period (box plots) or a histogram; see :func:`frontier.plots.plot_scores`."""
        from .plots import plot_scores

        return plot_scores(self, path, **kwargs)

    def __repr__(self) -> str:
        return f"<EfficiencyResult {self.spec['model']} n={len(self.scores)}>"
