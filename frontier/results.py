"""Immutable result objects with tidy pandas accessors, and the typed specification they carry."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Specification(Mapping):
    """What was computed: the model, its options and (for productivity) the index, frozen.

    Written once by :func:`frontier.efficiency` / :func:`frontier.productivity` and read by summaries, exports
    and plots. It also reads like a dict (``spec["rts"]``, ``spec.get("window")``, ``dict(spec)``). For indices,
    ``form`` is ``"ratio"`` (Malmquist family: > 1 = progress, components multiply) or ``"difference"``
    (Luenberger: > 0 = progress, components add) and ``components`` names the columns the index decomposes into, so
    nothing downstream infers them from the index name.
    """

    model: str
    orientation: str | None
    rts: str
    super_efficiency: bool
    bad_disposability: str | None
    direction: str | None
    weights: dict | None
    zeros: str
    inputs: tuple
    outputs: tuple
    bad_outputs: tuple
    description: str = ""
    period: str | None = None
    technology: str | None = None
    window: int | None = None
    reference: str | None = None
    model_options: dict | None = None   # the family's own options as declared (EBM: epsilon)
    parameters: dict | None = None      # model parameters declared or calibrated (EBM: epsilon, weights)
    # productivity indices
    index: str | None = None            # "malmquist" or "luenberger" (the family of the index)
    alias: str | None = None            # the name the user asked for: "gml", "ml", "sml", ...
    form: str | None = None             # "ratio" or "difference"
    components: tuple = ()              # e.g. ("index", "ec", "tc") or with ("pec", "sec")
    decomposition: str | None = None
    adjacency: str | None = None
    base: str | None = None
    entity: str | None = None
    n_observations: int | None = None
    n_entities: int | None = None
    n_periods: int | None = None

    def __getitem__(self, key):
        if key not in self._names():
            raise KeyError(key)
        value = getattr(self, key)
        return list(value) if key in ("inputs", "outputs", "bad_outputs") else value

    def __iter__(self):
        return iter(self._names())

    def __len__(self) -> int:
        return len(self._names())

    @classmethod
    def _names(cls) -> tuple:
        return tuple(f.name for f in fields(cls))

    @property
    def ratio(self) -> bool:
        """True for ratio indices (multiply; 1 = no change), False for difference indicators (add; 0)."""
        return self.form == "ratio"

    def to_dict(self) -> dict:
        return {key: self[key] for key in self}


def _spec_lines(spec: dict, keys) -> list[str]:
    lines = []
    for key in keys:
        value = spec.get(key)
        if value is None or value == [] or value is False and key != "super_efficiency":
            continue
        lines.append(f"  {key:<18} {value}")
    return lines


def _parameter_lines(spec) -> list[str]:
    """The model parameters the family settled (EBM: epsilon and weights, calibrated or declared)."""
    lines = []
    for key, value in (spec.get("parameters") or {}).items():
        if value is None or value == () or value == {}:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
        elif isinstance(value, tuple):
            value = ", ".join(value)
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
    spec : :class:`Specification` of the model (including the zero-data policy).
    parts : DataFrame of the model's other per-DMU quantities (EBM: ``theta``, ``phi``), else None.
    """

    scores: pd.Series
    status: pd.Series
    slacks: pd.DataFrame
    targets: pd.DataFrame
    peers: pd.DataFrame
    betas: pd.DataFrame | None
    spec: Specification
    periods: pd.Series | None = None
    parts: pd.DataFrame | None = None

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
        if self.parts is not None:
            parts.append(self.parts)
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
        lines += _parameter_lines(self.spec)
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

    def to_parquet(self, path) -> None:
        """Write the scores to a Parquet file (the specification in its metadata)."""
        from .io import write_result

        write_result(self, path, fmt="parquet")

    def plot(self, path=None, **kwargs):
        """Distribution of the scores per period (box plots) or a histogram; see :func:`frontier.plots.plot_scores`."""
        from .plots import plot_scores

        return plot_scores(self, path, **kwargs)

    def __repr__(self) -> str:
        return f"<EfficiencyResult {self.spec['model']} n={len(self.scores)}>"


@dataclass(frozen=True)
class ProductivityResult:
    """The outcome of :func:`frontier.productivity`.

    indices : DataFrame indexed by (entity, period) with period the later period of each pair: columns
        ``period_from, index, ec, tc`` (plus ``pec, sec`` with ``decomposition="fgnz"``) and ``status``
        (``"optimal"``, or which LP failed, or ``"gap"``).
    distances : every distance the indices used: entity, period, technology, rts, value, LP status.
    spec : the specification.
    single_period_entities : entities observed in one period only (they have no index).
    period_order : the panel's distinct periods from the earliest (:func:`frontier.panel.period_order`),
        the order of the pairs, the chains, the summary and the plots.
    """

    indices: pd.DataFrame
    distances: pd.DataFrame
    spec: Specification
    single_period_entities: tuple
    period_order: tuple = ()

    def cumulative(self, policy: str = "propagate", base_level: float = 1.0) -> pd.DataFrame:
        """Chain the indices into level series per entity: ``gtfp`` and cumulative ``ec``, ``tc`` (, pec, sec).

        Ratio indices multiply (each entity's first period = ``base_level``); Luenberger indicators add
        (first period = 0). Each column chains on its own: the ``gtfp`` level needs only the index, so a
        failed contemporaneous LP that leaves ``ec`` and ``tc`` NaN in a GML row (the global index is still
        defined) breaks the cumulative ec and tc but not gtfp. A missing link (NaN) never counts as no
        change: ``policy="propagate"`` (default) leaves every later level of that column NaN,
        ``policy="restart"`` re-bases that column's chain at the gap, and the column ``restarted`` flags the
        rows where the ``gtfp`` chain restarted (a component restarts where its own index column is NaN).
        With ``base="first"`` the indices already compare every period with the first, so the levels are the
        indices themselves.
        """
        if policy not in ("propagate", "restart"):
            raise ValueError("policy must be 'propagate' or 'restart'")
        ent, per = self.spec["entity"], self.spec["period"]
        ratio = self.spec.ratio
        start = base_level if ratio else 0.0
        comps = list(self.spec.components)
        idx = self.indices                    # sorted by entity, then period (productivity() sorts it)
        entities = idx.index.get_level_values(0)
        values = idx[comps].to_numpy(float)
        missing = np.isnan(values)            # per column: each level chains on its own index column only
        restarted = np.zeros(len(idx), dtype=bool)
        if self.spec["base"] == "first":
            levels = start * values if ratio else start + values
        else:
            # one chain per entity and column; under "restart" a missing link starts a new segment at the base
            codes = pd.factorize(entities)[0]
            levels = np.empty_like(values)
            for c in range(len(comps)):
                gap = pd.Series(missing[:, c])
                chain = codes
                if policy == "restart":
                    chain = codes * (len(idx) + 1) + gap.groupby(codes).cumsum().to_numpy()
                steps = pd.Series(np.where(missing[:, c], 1.0 if ratio else 0.0, values[:, c])).groupby(chain,
                                                                                                       sort=False)
                levels[:, c] = start * steps.cumprod() if ratio else start + steps.cumsum()
                if policy == "propagate":
                    levels[gap.groupby(codes).cummax().to_numpy(), c] = np.nan
            if policy == "restart":
                restarted = missing[:, comps.index("index")]
        # each entity's chain starts at its first period_from, at the base level
        first = ~entities.duplicated()
        head = pd.DataFrame({ent: entities[first], per: idx["period_from"].to_numpy()[first],
                             "_order": np.flatnonzero(first) - 0.5})
        body = pd.DataFrame({ent: entities, per: idx.index.get_level_values(1),
                             "_order": np.arange(len(idx), dtype=float)})
        for c, col in enumerate(comps):
            head[col] = start
            body[col] = levels[:, c]
        head["restarted"], body["restarted"] = False, restarted
        out = pd.concat([head, body], ignore_index=True).sort_values("_order", kind="stable")
        out = out.drop(columns="_order").rename(columns={"index": "gtfp"}).set_index([ent, per])
        if policy == "propagate":
            out = out.drop(columns="restarted")
        return out

    def summary(self) -> str:
        s = self.spec
        idx = self.indices
        label = {"malmquist": "Malmquist (ratio)", "luenberger": "Luenberger (difference)"}[s["index"]]
        lines = [f"frontier productivity: {label} index, {s['technology']} technology, model {s['model']}"]
        for key in ("orientation", "rts", "super_efficiency", "bad_disposability", "direction", "decomposition",
                    "adjacency", "base", "zeros"):
            if s.get(key) is not None:
                lines.append(f"  {key:<18} {s[key]}")
        lines += _parameter_lines(s)
        lines.append(f"  {'observations':<18} {s['n_observations']} ({s['n_entities']} entities, "
                     f"{s['n_periods']} periods)")
        lines.append(f"  {'index rows':<18} {len(idx)}, of which NaN: {int(idx['index'].isna().sum())}")
        if self.single_period_entities:
            lines.append(f"  {'no index':<18} {len(self.single_period_entities)} entities observed once: "
                         f"{list(self.single_period_entities[:5])}")
        dist = self.distances
        bad = dist[dist["status"] != "optimal"]
        lines.append(f"  {'LPs':<18} {len(dist)}, not optimal: {len(bad)}")
        if len(bad):
            by = bad.groupby([s["period"], "technology"]).size()
            lines.append("  failed LPs by (period, technology): "
                         + ", ".join(f"{k}: {v}" for k, v in list(by.items())[:8]))
        comps = list(s.components)
        agg = "geometric" if s.ratio else "arithmetic"
        by_period = idx.groupby(level=1)[comps].agg(_geo_mean if agg == "geometric" else "mean")
        if self.period_order:
            by_period = by_period.reindex([p for p in self.period_order if p in by_period.index])
        lines.append(f"  {agg} mean by period:")
        lines.append("    " + by_period.round(4).to_string().replace("\n", "\n    "))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    # -- export and plots (frontier.io, frontier.plots) ------------------------------------------------
    def to_frame(self, policy: str = "propagate") -> pd.DataFrame:
        """Indices and their chained levels in one tidy frame, one row per (entity, period), each entity's first
        period included (no index there, levels at their base): ``period_from``, the index and its components,
        ``status``, then ``gtfp`` and the cumulative components ``cum_ec``, ``cum_tc`` (...)."""
        from .io import productivity_table

        return productivity_table(self, policy).set_index([self.spec.entity, self.spec.period])

    def to_csv(self, path, policy: str = "propagate") -> None:
        """Write :meth:`to_frame` to a CSV file (entity and period as leading columns)."""
        from .io import write_result

        write_result(self, path, fmt="csv", policy=policy)

    def to_parquet(self, path, policy: str = "propagate") -> None:
        """Write :meth:`to_frame` to a Parquet file (the specification in its metadata)."""
        from .io import write_result

        write_result(self, path, fmt="parquet", policy=policy)

    def to_excel(self, path, policy: str = "propagate") -> None:
        """Write indices and GTFP levels (sheet ``productivity``), the distances and a ``specification`` sheet."""
        from .io import write_result

        write_result(self, path, fmt="excel", policy=policy)

    def to_stata(self, path, policy: str = "propagate") -> None:
        """Write indices and GTFP levels to a Stata .dta file (variable labels; the specification as notes)."""
        from .io import write_result

        write_result(self, path, fmt="stata", policy=policy)

    def plot(self, kind: str = "gtfp", path=None, **kwargs):
        """``kind="gtfp"``: cumulative GTFP trajectories (:func:`frontier.plots.plot_gtfp`);
        ``kind="decomposition"``: the index and its components by period (:func:`frontier.plots.plot_decomposition`)."""
        from .plots import plot_decomposition, plot_gtfp

        if kind == "gtfp":
            return plot_gtfp(self, path, **kwargs)
        if kind == "decomposition":
            return plot_decomposition(self, path, **kwargs)
        raise ValueError(f"kind must be 'gtfp' or 'decomposition', got {kind!r}")

    def __repr__(self) -> str:
        return f"<ProductivityResult {self.spec['index']} {self.spec['technology']} rows={len(self.indices)}>"


def _geo_mean(x: pd.Series) -> float:
    x = x.dropna()
    return float(np.exp(np.log(x[x > 0]).mean())) if len(x) and (x > 0).all() else np.nan
