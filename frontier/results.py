"""Immutable result objects with tidy pandas accessors, and the typed specification they carry."""
from __future__ import annotations

from collections.abc import Mapping
import os
import sys
import warnings
from dataclasses import dataclass, fields
from html import escape

import numpy as np
import pandas as pd

from .models import family as model_family

SHADOW_PRICE_MODELS = ("ddf", "nddf", "sbm_ddf")    # scores whose multipliers are the distance's derivatives


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
    id: tuple = ()                      # efficiency(): the identifying columns written with the results
    model_options: dict | None = None   # the family's own options as declared (EBM: epsilon)
    parameters: dict | None = None      # model parameters declared or calibrated (EBM: epsilon, weights)
    # productivity indices
    index: str | None = None            # "malmquist", "luenberger", "hicks_moorsteen" or "lhm"
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
    # metafrontiers (and the metafrontier productivity index)
    group: str | None = None            # the column naming each DMU's group
    meta: str | None = None             # "pooled" or "union" (metafrontier efficiency)

    def __getitem__(self, key):
        if key not in self._names():
            raise KeyError(key)
        value = getattr(self, key)
        return list(value) if key in ("inputs", "outputs", "bad_outputs", "id") else value

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

    @property
    def index_label(self) -> str | None:
        """The index by what it is, for summaries, reprs and plots: ``"ML"``, ``"GML"``, ``"SML"``,
        ``"Malmquist"``, ``"Luenberger"``, or the family qualified by its technology (``"biennial Malmquist"``,
        ``"global Luenberger"``, ``"window Malmquist (h = 1)"``); None for efficiency specifications."""
        if self.form is None:
            return None
        if self.alias in ("ml", "gml", "sml"):
            return self.alias.upper()
        if self.alias in ("hicks_moorsteen", "lhm"):
            name = "Hicks-Moorsteen" if self.alias == "hicks_moorsteen" else "Luenberger-Hicks-Moorsteen"
            return name if self.technology in (None, "contemporaneous") else f"{self.technology} {name}"
        family = "Malmquist" if self.ratio else "Luenberger"
        if self.technology in (None, "contemporaneous"):
            return family
        if self.technology == "window":
            return f"window {family} (h = {self.window})"
        return f"{self.technology} {family}"

    @property
    def index_name(self) -> str | None:
        """:attr:`index_label` spelled out with its form, e.g. ``"GML (global Malmquist-Luenberger, ratio form)"``."""
        if self.form is None:
            return None
        spelled = {"ML": "Malmquist-Luenberger", "GML": "global Malmquist-Luenberger",
                   "SML": "sequential Malmquist-Luenberger"}.get(self.index_label)
        form = "ratio form" if self.ratio else "difference form"
        return f"{self.index_label} ({spelled}, {form})" if spelled else f"{self.index_label} ({form})"

    @property
    def index_rts(self) -> str | None:
        """Returns to scale of the distances behind the headline index and tc: ``"crs"`` under
        ``decomposition="fgnz"`` (Färe, Grosskopf, Norris & Zhang 1994 measure productivity on the CRS technology
        and only pec uses ``rts``), else ``rts``. None for efficiency specifications."""
        if self.form is None:
            return None
        return "crs" if self.decomposition == "fgnz" else self.rts

    def to_dict(self) -> dict:
        return {key: self[key] for key in self}


def _spec_rows(spec: dict, keys) -> list[tuple[str, object]]:
    rows = []
    for key in keys:
        value = spec.get(key)
        if value is None or value == [] or value is False and key != "super_efficiency":
            continue
        rows.append((key, value))
    return rows


def _row_line(key: str, value) -> str:
    return f"  {key:<18} {value}"


class Summary(str):
    """A result's summary: the text (this object *is* that ``str``, so ``print``, ``in`` and ``==`` work as on the
    text) plus what it was made of, for notebooks.

    ``title`` is the first line, ``rows`` the ``(key, value)`` lines of the specification and counts, ``tables``
    the DataFrames it quotes (e.g. ``"by period"``, ``"gtfp by period"``), so code reads the numbers instead of
    parsing text. ``repr()`` is the text (a REPL shows it unescaped) and ``_repr_html_`` renders the rows and
    tables as HTML tables in Jupyter.
    """

    title: str
    rows: tuple
    tables: dict

    def __new__(cls, text: str, title: str = "", rows=(), tables=None):
        obj = super().__new__(cls, text)
        obj.title, obj.rows, obj.tables = title, tuple(rows), dict(tables or {})
        return obj

    def __repr__(self) -> str:
        return str.__str__(self)

    def _repr_html_(self) -> str:
        cells = "".join(f"<tr><th style='text-align:left'>{escape(str(k))}</th>"
                        f"<td style='text-align:left'>{escape(str(v))}</td></tr>" for k, v in self.rows)
        parts = [f"<div class='frontier-summary'><p><b>{escape(self.title)}</b></p>",
                 f"<table>{cells}</table>"]
        for name, table in self.tables.items():
            parts.append(f"<p>{escape(name)}</p>" + table.to_html(float_format=lambda v: f"{v:.4f}", na_rep="NaN"))
        return "".join(parts) + "</div>"


class _SummaryViews:
    """A result that prints as its :meth:`summary` (a :class:`Summary`) and shows in Jupyter as the summary's
    specification and tables in HTML."""

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """Jupyter's view of the result: the summary's specification and tables as HTML."""
        return self.summary()._repr_html_()


class _FileExports:
    """``to_csv``, ``to_excel``, ``to_stata`` and ``to_parquet`` of a result: each writes the result's export
    (the table of :meth:`to_frame` with the identifying columns first, the variables' descriptions and the
    specification; see :mod:`frontier.io`) in that format, through :meth:`_write`."""

    def _write(self, path, fmt: str) -> None:
        from .io import write_result

        write_result(self, path, fmt=fmt)

    def to_csv(self, path) -> None:
        """Write :meth:`to_frame` with the identifying column(s) leading to a CSV file."""
        self._write(path, "csv")

    def to_excel(self, path) -> None:
        """Write the results to an .xlsx file, with a ``specification`` sheet (model, options, conventions)."""
        self._write(path, "excel")

    def to_stata(self, path) -> None:
        """Write the results to a Stata .dta file (variable labels; the specification as dataset notes)."""
        self._write(path, "stata")

    def to_parquet(self, path) -> None:
        """Write the results to a Parquet file (the specification in its metadata)."""
        self._write(path, "parquet")


def _parameter_rows(spec) -> list[tuple]:
    """(name, text) of the model parameters the family settled (EBM: epsilon and weights, calibrated or declared)."""
    rows = []
    for key, value in (spec.get("parameters") or {}).items():
        if value is None or value == () or value == {}:
            continue
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v:.6g}" if isinstance(v, float) else f"{k} {v}" for k, v in value.items())
        elif isinstance(value, tuple):
            value = ", ".join(value)
        rows.append((key, value))
    return rows


def leading_columns(ids: pd.DataFrame | None, periods: pd.Series | None, index: pd.Index) -> list:
    """The columns that lead a per-DMU frame: the ``id`` columns (when given) and the period column (unless an id
    column already is it, or, without ids, it already is a level of ``index``), so the frame merges straight back
    onto the user's data on its index or on the id columns."""
    parts = [] if ids is None else [ids]
    id_names = [] if ids is None else list(ids.columns)
    if periods is not None and periods.name not in id_names and (ids is not None or periods.name not in index.names):
        parts.append(periods)
    return parts


@dataclass(frozen=True)
class EfficiencyResult(_SummaryViews, _FileExports):
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
    observed : DataFrame of the observed values of the variables (what :meth:`factor_efficiency` divides by).
    multiplier_weights : DataFrame, the score LP's dual weights per variable and ``omega``, in the user's units
        (NaN where the LP failed); read it through :attr:`multipliers` and :meth:`shadow_prices`.
    periods : Series of the period of each DMU (with ``period=``), else None.
    ids : DataFrame of the ``id`` columns (``efficiency(..., id=...)``), indexed like the data, else None.
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
    observed: pd.DataFrame | None = None
    multiplier_weights: pd.DataFrame | None = None
    ids: pd.DataFrame | None = None
    parts: pd.DataFrame | None = None

    def to_frame(self) -> pd.DataFrame:
        """Scores, status, slacks (``slack_<var>``), targets (``target_<var>``) and betas in one tidy frame.

        Indexed like the data, led by the ``id`` columns (when given) and the period column (unless it already
        is an index level and no ``id`` was given), so the frame merges straight back onto the user's data on
        its index or on the id columns.
        """
        parts = leading_columns(self.ids, self.periods, self.scores.index)
        parts += [self.scores, self.status, self.slacks.add_prefix("slack_"), self.targets.add_prefix("target_")]
        if self.betas is not None:
            parts.append(self.betas.add_prefix("beta_"))
        if self.parts is not None:
            parts.append(self.parts)
        return pd.concat(parts, axis=1)

    @property
    def n_failed(self) -> int:
        return int(self.scores.isna().sum())

    def factor_efficiency(self) -> pd.DataFrame:
        """Variable-level (factor) efficiency from the targets: energy, emission and output efficiency.

        Per DMU (rows aligned to the data) and variable (Hu & Wang 2006; Zhou, Ang & Wang 2012):

        * ``efficiency_<v>``: target / observed for inputs and bad outputs (e.g. the total-factor energy
          efficiency TFEE = target energy / actual energy, the emission efficiency = target / actual emission),
          observed / target for desirable outputs; 1 = no improvement possible in that variable, lower = worse;
        * ``redundancy_<v>`` = (observed - target) / observed for inputs and bad outputs (the excess rate) and
          ``shortfall_<v>`` = (target - observed) / observed for desirable outputs;
        * SBM only, ``share_<v>``: the variable's share of its side of the SBM ratio, w_v s_v / v_o over the sum
          of these terms on the input side (numerator deficit) or on the output side, good and bad outputs
          together (denominator excess); NaN where that side has no slack (or is not part of an oriented score).

        The targets are the model's projection (for radial models theta x_o less the max-slack stage's slacks,
        Hu & Wang's radial + slack target; for the non-radial DDF with ``direction="observed"`` and a positive
        weight the input and bad-output ratio is 1 - beta_v, Zhou, Ang & Wang's measure). Super-efficient DMUs
        can score above 1. NaN where the LP failed or where the ratio divides by 0 (an observed input or bad
        output of 0, a desirable output whose target is 0).
        """
        if self.observed is None:
            raise ValueError("this result does not carry the observed data; factor efficiency needs it "
                             "(results of frontier.efficiency() carry it)")
        obs = self.observed.to_numpy(dtype=float)
        tgt = self.targets.to_numpy(dtype=float)
        spec = self.spec
        names = list(spec.inputs) + list(spec.outputs) + list(spec.bad_outputs)
        good = np.zeros(len(names), dtype=bool)
        good[len(spec.inputs): len(spec.inputs) + len(spec.outputs)] = True
        with np.errstate(divide="ignore", invalid="ignore"):
            efficiency = np.where(good, obs / tgt, tgt / obs)
            efficiency[~np.isfinite(efficiency)] = np.nan
            rate = np.where(good, tgt - obs, obs - tgt) / obs
            rate[~np.isfinite(rate)] = np.nan
        index = self.scores.index
        parts = [pd.DataFrame(efficiency, index=index, columns=[f"efficiency_{v}" for v in names]),
                 pd.DataFrame(rate, index=index,
                              columns=[f"{'shortfall' if g else 'redundancy'}_{v}" for v, g in zip(names, good)])]
        if spec.model == "sbm":
            parts.append(pd.DataFrame(self._sbm_shares(obs, good), index=index,
                                      columns=[f"share_{v}" for v in names]))
        return pd.concat(parts, axis=1)

    @property
    def multipliers(self) -> pd.DataFrame:
        """The dual weights of the model's multiplier form, in the user's units, one row per DMU.

        Columns: one per variable (v >= 0 for inputs, u >= 0 for desirable outputs, mu for bad outputs: >= 0 where
        their rows are inequalities, free in sign under weak disposability), ``omega`` (the free variable of the
        returns-to-scale row: 0 under CRS, free under VRS, >= 0 under NIRS, <= 0 under NDRS) and ``status``. For
        every model, every reference DMU j satisfies ``v'x_j - u'y_j + mu'b_j + omega >= 0`` (the supporting
        hyperplane) and the evaluated DMU's score is the multiplier form's value (strong duality):

        * radial input: theta = u'y0 - mu'b0 - omega with v'x0 = 1; radial output: phi = v'x0 + mu'b0 + omega
          with u'y0 = 1 (Charnes, Cooper & Rhodes 1978; Banker, Charnes & Cooper 1984);
        * SBM: rho = 1 - v'x0 + u'y0 - mu'b0 - omega, v >= w_i/x_i0, u >= rho w_r/y_r0 (Tone 2001); DMUs scored by
          super-SBM (``super_efficiency=True``): delta = 1 - v'x0 + u'y0 - mu'b0 - omega, v <= w_i/x_i0, the dual of
          Tone's (2002) super-SBM LP (see :mod:`frontier.models.sbm`);
        * EBM: gamma = u'y0 - mu'b0 - omega with v'x0 = 1, v >= eps_x w_i/x_i0 (input); 1/eta with eta = v'x0 + omega,
          u'y0 - mu'b0 = 1, u >= eps_y w_r/y_r0 (output); kappa = u'y0 - mu'b0 - omega with v'x0 = 1 (non-oriented)
          (Tone & Tsutsui 2010; see :mod:`frontier.models.ebm`);
        * DDF, NDDF, SBM-DDF: D = v'x0 - u'y0 + mu'b0 + omega, with v'g_x + u'g_y + mu'g_b = 1 for the DDF; v, u,
          mu are the derivatives of D with respect to x0, -y0 and b0 (direction and reference set held fixed).

        With ``super_efficiency=True`` a DMU scored by its self-excluded LP gets that LP's dual: the hyperplane
        supports every other DMU, and the DMU itself lies beyond it.

        ``status``: ``"optimal"``; ``"on_frontier"`` where the score is at its efficient value (1, or 0 for the
        DDF family): the DMU spans the frontier and its dual is generally degenerate (many supporting
        hyperplanes; the weights are the solver's basis's, one of them); else the LP's failure status (NaN).
        """
        weights = self._multiplier_weights()
        efficient = model_family(self.spec.model).efficient_value(self.spec.orientation)
        lp_ok = self.scores.notna().to_numpy()
        status = np.where(~lp_ok, self.status.to_numpy(dtype=object),
                          np.where(self.scores.to_numpy() == efficient, "on_frontier", "optimal"))
        out = weights.rename_axis(columns=None) + 0.0
        out["status"] = status.astype(str)
        return out

    def shadow_prices(self, numeraire: str, price: float = 1.0, tol: float = 1e-9) -> pd.DataFrame:
        """Shadow price of each bad output in units of the numeraire's (a desirable output's) price.

        Färe, Grosskopf, Noh & Weber (2005); Lee, Park & Kim (2002): q_k = -price * (dD/db_k) / (dD/dy_r) =
        price * mu_k / u_r, positive for a pollutant whose reduction is costly in forgone output. Returns one
        column per bad output and ``status``: ``"optimal"``; ``"on_frontier"`` (D = 0: the DMU is itself on the
        frontier, where the supporting prices are generally not unique; the value is the solver's basis's);
        ``"numeraire_dual_zero"`` (u_r <= tol x max multiplier: the numeraire's row is not binding, the ratio
        is undefined, NaN); or the LP's status where it failed (NaN). A negative price says the bad output's
        constraint has positive marginal value at that point (possible under weak disposability).
        """
        spec = self.spec
        if numeraire not in spec.outputs:
            raise ValueError(f"numeraire must be a desirable output {list(spec.outputs)}, got {numeraire!r}")
        if not spec.bad_outputs:
            raise ValueError("shadow prices are for bad outputs; this model has none")
        if isinstance(price, (bool, np.bool_)) or not isinstance(price, (int, float, np.integer, np.floating)) \
                or not np.isfinite(price) or price <= 0:
            raise ValueError(f"price (of the numeraire {numeraire!r}) must be a positive number, got {price!r}")
        if spec.model not in SHADOW_PRICE_MODELS:
            raise ValueError(f"shadow prices come from the DDF family's duals (model {SHADOW_PRICE_MODELS}), whose "
                             f"weights are derivatives of the distance; model {spec.model!r} does not provide them")
        mult = self._multiplier_weights()[list(self.targets.columns)]
        u = mult[numeraire].to_numpy(dtype=float)
        largest = mult.abs().max(axis=1).to_numpy(dtype=float)
        defined = u > tol * largest
        with np.errstate(divide="ignore", invalid="ignore"):
            values = price * mult[list(spec.bad_outputs)].to_numpy(dtype=float) / u[:, None]
        values[~defined] = np.nan
        lp_ok = self.scores.notna().to_numpy()
        status = np.where(~lp_ok, self.status.to_numpy(dtype=object),
                          np.where(~defined, "numeraire_dual_zero",
                                   np.where(self.scores.to_numpy() == 0.0, "on_frontier", "optimal")))
        out = pd.DataFrame(values + 0.0, index=self.scores.index, columns=list(spec.bad_outputs))
        out["status"] = status.astype(str)
        return out

    def _multiplier_weights(self) -> pd.DataFrame:
        if self.multiplier_weights is None:
            raise ValueError(f"this result carries no LP duals: model={self.spec.model!r} does not report its "
                             "multiplier form (radial, sbm, ddf, nddf, sbm_ddf and ebm do), or the result was not made "
                             "by frontier.efficiency()")
        return self.multiplier_weights

    def _sbm_shares(self, obs: np.ndarray, good: np.ndarray) -> np.ndarray:
        """Each SBM term w_v s_v / v_o as a share of its side's sum (inputs; good and bad outputs together)."""
        spec = self.spec
        m = len(spec.inputs)
        names = list(self.targets.columns)
        weights = np.ones(len(names))
        for name, value in (spec.weights or {}).items():
            weights[names.index(name)] = float(value)
        with np.errstate(divide="ignore", invalid="ignore"):
            terms = weights * self.slacks.to_numpy(dtype=float) / obs
            shares = np.full_like(terms, np.nan)
            # an oriented SBM's score has one side only; the other side's slacks are not part of it
            sides = {"input": [slice(0, m)], "output": [slice(m, len(names))]}.get(
                spec.orientation, [slice(0, m), slice(m, len(names))])
            for side in sides:
                total = terms[:, side].sum(axis=1, keepdims=True)
                shares[:, side] = np.where(total != 0, terms[:, side] / total, np.nan)
        shares[~np.isfinite(shares)] = np.nan
        return shares

    def summary(self) -> Summary:
        """The specification, LP outcomes and score statistics (mean score and n by period with ``period=``).

        Prints as text; in a notebook it renders as HTML tables (:class:`Summary`)."""
        s = self.scores
        title = f"frontier efficiency: {self.spec['description']}"
        rows = _spec_rows(self.spec, ["model", "orientation", "rts", "super_efficiency", "bad_disposability",
                                      "direction", "weights", "technology", "window", "reference", "zeros"])
        rows.append(("variables", f"inputs {self.spec['inputs']}, outputs {self.spec['outputs']}"
                     + (f", bad outputs {self.spec['bad_outputs']}" if self.spec['bad_outputs'] else "")))
        rows += _parameter_rows(self.spec)
        rows.append(("DMUs", len(s)))
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in self.status.value_counts().items())))
        tables, by_period_line = {}, None
        ok = s.dropna()
        if len(ok):
            q = ok.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
            rows.append(("score", f"mean {ok.mean():.4f}, min {q[0]:.4f}, q25 {q[1]:.4f}, median {q[2]:.4f}, "
                                  f"q75 {q[3]:.4f}, max {q[4]:.4f}"))
            if self.periods is not None:
                by = ok.groupby(self.periods.loc[ok.index]).agg(["mean", "count"]).rename(columns={"count": "n"})
                tables["mean score by period"] = by
                by_period_line = "  mean score by period: " + ", ".join(
                    f"{p}: {r['mean']:.4f} (n={int(r['n'])})" for p, r in by.iterrows())
        lines = [title] + [_row_line(k, v) for k, v in rows]
        if by_period_line:
            lines.append(by_period_line)
        if self.n_failed:
            bad = self.status[self.scores.isna()]
            rows.append(("NaN scores", f"{self.n_failed} (e.g. {list(bad.index[:5])}: {list(bad.iloc[:5])})"))
            lines.append(_row_line(*rows[-1]))
        return Summary("\n".join(lines), title, rows, tables)

    # -- plots (frontier.plots); the exports are _FileExports' ----------------------------------------
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
    bootstrap : with ``productivity(..., bootstrap=B)``, the
        :class:`~frontier.malmquist_bootstrap.MalmquistBootstrap` (replicates, pseudo data, per-period-pair
        bandwidths and LP statuses) behind the interval columns of ``indices``; else None.
    """

    indices: pd.DataFrame
    distances: pd.DataFrame
    spec: Specification
    single_period_entities: tuple
    period_order: tuple = ()
    bootstrap: object | None = None

    def cumulative(self, policy: str = "propagate", base_level: float = 1.0) -> pd.DataFrame:
        """Chain the indices into level series per entity: ``gtfp`` and the cumulative components ``cum_ec``,
        ``cum_tc`` (``cum_pec``, ``cum_sec``), named as in the exports (until 0.x the cumulative columns were called
        ``ec``, ``tc``, the names of the period-to-period changes).

        Ratio indices multiply (each entity's first period = ``base_level``); Luenberger indicators add
        (first period = 0). Each column chains on its own: the ``gtfp`` level needs only the index, so a
        failed contemporaneous LP that leaves ``ec`` and ``tc`` NaN in a GML row (the global index is still
        defined) breaks the cumulative ec and tc but not gtfp. A missing link (NaN) never counts as no
        change: ``policy="propagate"`` (default) leaves every later level of that column NaN,
        ``policy="restart"`` re-bases that column's chain at the gap, and the column ``restarted`` flags the
        rows where the ``gtfp`` chain restarted (a component restarts where its own index column is NaN).
        With ``base="first"`` the indices already compare every period with the first, so the levels are the
        indices themselves.

        Warns (UserWarning) when ``gtfp`` chains break: how many entities, from which periods, and how many
        entities each period's mean then rests on. ``policy`` is case-insensitive.
        """
        policy = policy.lower() if isinstance(policy, str) else policy
        if policy not in ("propagate", "restart"):
            raise ValueError(f"policy must be 'propagate' or 'restart', got {policy!r}")
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
        out = out.drop(columns="_order").rename(columns={c: "gtfp" if c == "index" else f"cum_{c}" for c in comps})
        out = out.set_index([ent, per])
        if policy == "propagate":
            out = out.drop(columns="restarted")
        message = self._chain_break_message(out, policy)
        if message:
            _warn(message)
        return out

    def _chain_break_message(self, levels: pd.DataFrame, policy: str) -> str | None:
        """The warning for broken ``gtfp`` chains (None when every chain is whole): entities affected, the
        periods they break at, and the entities left behind each period's mean."""
        ent_name = self.spec.entity
        if policy == "restart":
            hit = levels.index[levels["restarted"].to_numpy()]
            what = "restart (re-based at 1)" if self.spec.ratio else "restart (re-based at 0)"
        else:
            hit = levels.index[levels["gtfp"].isna().to_numpy()]
            what = "break (later levels NaN)"
        if not len(hit):
            return None
        first = pd.Series(hit.get_level_values(1), index=hit.get_level_values(0)).groupby(level=0, sort=False).first()
        at = first.value_counts()
        at = at.reindex([p for p in self.period_order if p in at.index] or list(at.index))
        n = self.level_means(levels)["n"]
        counts = ", ".join(f"{p} for {k}" for p, k in at.items())
        return (f"gtfp chains {what} for {len(first)} of {self.spec.n_entities} {_plural(ent_name)}, from "
                f"{counts}: a missing index (failed LP or gap) is never read as no change. "
                f"{_plural(ent_name).capitalize()} behind each period's mean: {_n_path(n)}; pr.summary() gives n "
                "per period.")

    def level_means(self, levels: pd.DataFrame | None = None, column: str = "gtfp") -> pd.DataFrame:
        """The mean level of ``column`` across entities in each period and ``n``, the entities behind it.

        Geometric mean for ratio indices (levels multiply), arithmetic for Luenberger indicators (levels add);
        the GTFP plot's line and :meth:`summary` use these numbers. ``levels`` defaults to :meth:`cumulative`.
        """
        if levels is None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", UserWarning)   # the caller sees n; cumulative() warns on its own
                levels = self.cumulative()
        return level_means(levels, column, geometric=self.spec.ratio, period_order=self.period_order)

    def summary(self) -> Summary:
        """The specification, LP outcomes, the per-period means of the index and its components, and the mean
        GTFP level per period, each with ``n``, the number of entities behind it.

        The per-period means of index, ec, tc (pec, sec) are taken over one common row set, the pairs where the
        index and every component are finite, so they decompose exactly (geometric means: index = ec x tc;
        Luenberger, arithmetic means: index = ec + tc); ``pairs`` counts the period's index rows. The GTFP table
        is :meth:`level_means`, the numbers the GTFP plot draws. Prints as text; renders as HTML in notebooks.
        """
        s = self.spec
        idx = self.indices
        title = f"frontier productivity: {s.index_name} index, {s['technology']} technology, model {s['model']}"
        rows = [("group", f"{s.group} (metafrontier index = " + ("ec x bpc x tgc)" if s.ratio else "ec + bpc + tgc)"))]
        rows = rows if s.get("group") is not None else []
        rows += [(key, s[key]) for key in ("orientation", "rts", "super_efficiency", "bad_disposability", "direction",
                                          "decomposition", "adjacency", "base", "zeros") if s.get(key) is not None]
        if s.decomposition == "fgnz":
            op = "x" if s.ratio else "+"
            rows.append(("index rts", f"{s.index_rts} (decomposition='fgnz': the index, ec and tc use CRS distances; "
                                      f"ec = pec {op} sec with pec under rts={s.rts})"))
        rows += _parameter_rows(s)
        rows.append(("observations", f"{s['n_observations']} ({s['n_entities']} entities, {s['n_periods']} periods)"))
        rows.append(("index rows", f"{len(idx)}, of which NaN: {int(idx['index'].isna().sum())}"))
        if self.single_period_entities:
            rows.append(("no index", f"{len(self.single_period_entities)} entities observed once: "
                                     f"{list(self.single_period_entities[:5])}"))
        dist = self.distances
        bad = dist[dist["status"] != "optimal"]
        rows.append(("LPs", f"{len(dist)}, not optimal: {len(bad)}"))
        lines = [title] + [_row_line(k, v) for k, v in rows]
        if len(bad):
            by = bad.groupby([s["period"], "technology"]).size()
            lines.append("  failed LPs by (period, technology): "
                         + ", ".join(f"{k}: {v}" for k, v in list(by.items())[:8]))
        by_period = self.period_means()
        chained = self.cumulative()                             # warns when chains break
        levels = self.level_means(chained)
        agg = "geometric" if s.ratio else "arithmetic"
        parts = [c for c in s.components if c not in ("index", "pec", "sec")]
        if "output_quantity" in parts:
            identity = "output_quantity / input_quantity" if s.ratio else "output_quantity - input_quantity"
        else:
            identity = (" x " if s.ratio else " + ").join(parts)
        broken = chained.index[chained["gtfp"].isna().to_numpy()].get_level_values(0).nunique()
        if broken:
            lines.append(f"  {'chains':<18} {broken} of {s.n_entities} {_plural(s.entity)} break (later levels NaN): "
                         f"GTFP rests on n = {_n_path(levels['n'])}")
        lines.append(f"  {agg} mean by period, over the pairs with the index and every component "
                     f"(n of pairs; index = {identity}):")
        lines.append("    " + by_period.round(4).to_string().replace("\n", "\n    "))
        lines.append(f"  GTFP level by period, {agg} mean across {_plural(s.entity)} (n with a level):")
        lines.append("    " + levels.round(4).to_string().replace("\n", "\n    "))
        tables = {f"{agg} mean by period (pairs with every component)": by_period,
                  f"GTFP level by period ({agg} mean across {_plural(s.entity)})": levels}
        return Summary("\n".join(lines), title, rows, tables)

    def period_means(self) -> pd.DataFrame:
        """Per-period means of the index and its components over one common row set, with ``n`` and ``pairs``.

        The rows are the pairs whose index and every component are finite (and positive for ratio indices), so
        the means decompose exactly: geometric means for ratio indices (mean index = mean ec x mean tc),
        arithmetic for Luenberger (sums). ``n`` counts those pairs, ``pairs`` the period's index rows.
        """
        comps = list(self.spec.components)
        values = self.indices[comps].astype(float)
        common = np.isfinite(values).all(axis=1)
        if self.spec.ratio:
            common &= (values > 0).all(axis=1)
        periods = self.indices.index.get_level_values(1)
        by = values[common.to_numpy()].groupby(level=1).agg(_geo_mean if self.spec.ratio else "mean")
        order = [p for p in self.period_order if p in set(periods)] or list(pd.unique(periods))
        by = by.reindex(order)
        by["n"] = common.groupby(periods).sum().reindex(order).fillna(0).astype(int)
        by["pairs"] = pd.Series(1, index=periods).groupby(level=0).sum().reindex(order).fillna(0).astype(int)
        by.index.name = self.spec.period
        return by

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
        return (f"<ProductivityResult {self.spec.index_label} ({self.spec.form}) {self.spec['technology']} "
                f"rows={len(self.indices)}>")

    def _repr_html_(self) -> str:
        """Jupyter's view of the result: the summary's specification and tables as HTML."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)        # the tables show n per period
            return self.summary()._repr_html_()


@dataclass(frozen=True)
class MetafrontierResult(_SummaryViews, _FileExports):
    """The outcome of :func:`frontier.metafrontier`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    groups : Series, each DMU's group (named after the group column).
    group_scores, group_status : the score against the DMU's group frontier and its LP status.
    meta_scores, meta_status : the score against the metafrontier (``spec.meta``: pooled or union) and its
        status (for the union: ``"infeasible"`` when no group's LP is feasible, or which group's LP failed).
    technology_gap : Series named ``"tgr"`` (technology gap ratio E*/E^g in (0, 1], models scored as
        efficiencies) or ``"gap"`` (D* - D^g >= 0, the DDF family's inefficiencies); NaN where a score is.
    spec : :class:`Specification` (``group``, ``meta`` and the model's options).
    periods : the period of each DMU, or None.
    """

    groups: pd.Series
    group_scores: pd.Series
    group_status: pd.Series
    meta_scores: pd.Series
    meta_status: pd.Series
    technology_gap: pd.Series
    spec: Specification
    periods: pd.Series | None = None

    @property
    def ratio(self) -> bool:
        """True when the gap is the ratio TGR (efficiency scores), False for the additive gap (DDF family)."""
        return self.technology_gap.name == "tgr"

    @property
    def tgr(self) -> pd.Series:
        """The technology gap ratio E*/E^g (models scored as efficiencies)."""
        if not self.ratio:
            raise AttributeError(f"model {self.spec.model!r} scores inefficiencies: its technology gap is the "
                                 "difference .gap = meta_score - group_score, not a ratio")
        return self.technology_gap

    @property
    def gap(self) -> pd.Series:
        """The additive technology gap D* - D^g (DDF family)."""
        if self.ratio:
            raise AttributeError(f"model {self.spec.model!r} scores efficiencies: its technology gap is the "
                                 "ratio .tgr = E*/E^g")
        return self.technology_gap

    def to_frame(self) -> pd.DataFrame:
        """Period (unless an index level), group, ``group_score``, ``group_status``, ``meta_score``,
        ``meta_status`` and ``tgr`` or ``gap``, indexed like the data (merges straight back onto it)."""
        index_names = self.group_scores.index.names
        parts = [s for s in (self.periods, self.groups) if s is not None and s.name not in index_names]
        parts += [self.group_scores, self.group_status, self.meta_scores, self.meta_status, self.technology_gap]
        return pd.concat(parts, axis=1)

    def by(self, level: str = "group") -> pd.DataFrame:
        """Mean scores and technology gap by ``"group"``, ``"period"`` or ``"group_period"``, each mean with
        its count beside it (``n_group``, ``n_meta``, ``n_tgr`` / ``n_gap``: the DMUs whose value is defined)."""
        keys = {"group": [self.groups], "period": [self.periods], "group_period": [self.groups, self.periods]}
        if level not in keys or any(k is None for k in keys[level]):
            raise ValueError("level must be 'group', or with periods 'period' or 'group_period'")
        gap = self.technology_gap.name
        frame = pd.DataFrame({"group_score": self.group_scores, "meta_score": self.meta_scores,
                              gap: self.technology_gap})
        grouped = frame.groupby([k.to_numpy() for k in keys[level]], sort=False)
        means, counts = grouped.mean(), grouped.count()
        out = pd.DataFrame({"group_score": means["group_score"], "n_group": counts["group_score"],
                            "meta_score": means["meta_score"], "n_meta": counts["meta_score"],
                            gap: means[gap], f"n_{gap}": counts[gap]})
        out.index.names = [k.name for k in keys[level]]
        return out

    def summary(self) -> Summary:
        """The specification, LP outcomes and the mean group score, meta score and technology gap by group (and by
        period), each mean with the number of DMUs behind it (:meth:`by`).

        Prints as text; in a notebook it renders as HTML tables (:class:`Summary`)."""
        s = self.spec
        gap = self.technology_gap.name
        what = "TGR = E*/E^g (1 = on the metafrontier)" if self.ratio else "gap = D* - D^g (0 = on the metafrontier)"
        title = f"frontier metafrontier: {s['meta']} metafrontier over the groups of {s['group']!r}"
        rows = [("score", s["description"])]
        rows += _spec_rows(s, ["model", "orientation", "rts", "super_efficiency", "bad_disposability", "direction",
                               "weights", "technology", "window", "zeros"])
        rows.append(("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"
                     + (f", bad outputs {s['bad_outputs']}" if s['bad_outputs'] else "")))
        rows.append(("DMUs", f"{len(self.groups)} in {self.groups.nunique()} groups"))
        for name, status in (("group LP status", self.group_status), ("meta LP status", self.meta_status)):
            rows.append((name, ", ".join(f"{k}: {v}" for k, v in status.value_counts().items())))
        rows.append((gap, what))
        lines = [title] + [_row_line(k, v) for k, v in rows]
        tables = {}
        for level in ["group"] + (["period"] if self.periods is not None else []):
            table = self.by(level)
            tables[f"mean by {level} (n = DMUs with a defined value)"] = table
            lines.append(f"  mean by {level} (n = DMUs with a defined value):")
            lines.append("    " + table.round(4).to_string().replace("\n", "\n    "))
        ok = self.technology_gap.dropna()
        if len(ok):
            rows.append((f"{gap} overall", f"mean {ok.mean():.4f} (n={len(ok)}), min {ok.min():.4f}, "
                                           f"max {ok.max():.4f}"))
            lines.append(_row_line(*rows[-1]))
        return Summary("\n".join(lines), title, rows, tables)

    def plot(self, path=None, *, over: str = "group", **kwargs):
        """The technology gap by group (``over="group"``: box plots with the mean and n per group) or its mean by
        group and period (``over="period"``, results with ``period=``); see :func:`frontier.plots.plot_tgr`."""
        from .plots import plot_tgr

        return plot_tgr(self, path, over=over, **kwargs)

    def __repr__(self) -> str:
        return (f"<MetafrontierResult {self.spec['meta']} {self.spec['model']} n={len(self.groups)} "
                f"groups={self.groups.nunique()}>")


@dataclass(frozen=True)
class WindowAnalysisResult(_FileExports):
    """The outcome of :func:`frontier.window_analysis` (Charnes, Clark, Cooper & Golany 1985).

    scores : tidy DataFrame, one row per (entity, window, period): ``score`` and LP ``status`` of the
        observation of that entity and period scored against the pooled reference set of that window. Sorted by
        entity (first appearance), window, period.
    spec : the specification (``technology="window_analysis"``, ``window`` = the width).
    windows : the periods of each window, in order.
    period_order : the panel's periods from the earliest.

    Views (each a DataFrame computed from ``scores``; NaN scores are skipped and counted):
    :meth:`table` (entity x window rows, period columns: the paper's table), :attr:`by_entity` (mean, column
    range, total range per entity), :attr:`row_view` (per entity and window), :attr:`column_view` (per entity and
    period). ``to_excel`` writes the scores, these views (one sheet each) and a ``specification`` sheet.
    """

    scores: pd.DataFrame
    spec: Specification
    windows: tuple
    period_order: tuple = ()

    @property
    def _keys(self) -> tuple[str, str]:
        return self.spec.entity, self.spec.period

    def _entities(self) -> list:
        return list(pd.unique(self.scores[self.spec.entity]))

    def table(self) -> pd.DataFrame:
        """The paper's table: one row per (entity, window), one column per period (NaN where the window does not
        contain the period or the LP failed)."""
        ent, per = self._keys
        wide = self.scores.pivot(index=[ent, "window"], columns=per, values="score")
        rows = pd.MultiIndex.from_frame(self.scores[[ent, "window"]].drop_duplicates())
        return wide.reindex(index=rows, columns=[p for p in self.period_order if p in wide.columns])

    @property
    def row_view(self) -> pd.DataFrame:
        """Per (entity, window): ``mean``, ``min``, ``max``, ``range`` of the window's scores over its periods,
        and ``n`` (scores) and ``n_nan`` (failed LPs)."""
        ent, _ = self._keys
        return self._stats([ent, "window"])

    @property
    def column_view(self) -> pd.DataFrame:
        """Per (entity, period): ``mean``, ``min``, ``max``, ``range`` of the period's scores across the windows
        that contain it, ``n`` and ``n_nan``."""
        return self._stats(list(self._keys))

    @property
    def by_entity(self) -> pd.DataFrame:
        """Per entity: ``mean`` of all its scores, ``column_range`` (the largest range of one period's scores
        across windows, Cooper, Seiford & Tone's LDY), ``total_range`` (max - min of all its scores, their LDT),
        ``n`` and ``n_nan``."""
        ent, _ = self._keys
        total = self._stats([ent])
        columns = self.column_view["range"].groupby(level=0, sort=False).max()
        out = pd.DataFrame({"mean": total["mean"], "column_range": columns.reindex(total.index),
                            "total_range": total["range"], "n": total["n"], "n_nan": total["n_nan"]})
        return out

    def _stats(self, keys: list) -> pd.DataFrame:
        grouped = self.scores.groupby(keys, sort=False)["score"]
        out = grouped.agg(["mean", "min", "max", "count", "size"])
        out["range"] = out["max"] - out["min"]
        out["n_nan"] = out["size"] - out["count"]
        out = out.rename(columns={"count": "n"})[["mean", "min", "max", "range", "n", "n_nan"]]
        if self.spec.period in keys:
            rank = pd.Index(self.period_order).get_indexer(out.index.get_level_values(self.spec.period))
            ent_rank = pd.Index(self._entities()).get_indexer(out.index.get_level_values(0))
            out = out.iloc[np.lexsort((rank, ent_rank))]
        return out

    def to_frame(self) -> pd.DataFrame:
        """``scores`` indexed by (entity, window, period)."""
        ent, per = self._keys
        return self.scores.set_index([ent, "window", per])

    def summary(self) -> str:
        s = self.spec
        sc = self.scores
        lines = [f"frontier window analysis: width {s.window}, {len(self.windows)} window(s), model {s.model}",
                 f"  {'score':<18} {s.description}"]
        lines += [_row_line(key, value) for key, value in _spec_rows(s, [
            "orientation", "rts", "super_efficiency", "bad_disposability", "direction", "weights", "zeros"])]
        lines.append(f"  {'observations':<18} {s.n_observations} ({s.n_entities} entities, {s.n_periods} periods); "
                     f"{len(sc)} scores (each observation in up to {s.window} windows)")
        lines.append("  LP status          " + ", ".join(f"{k}: {v}" for k, v in sc["status"].value_counts().items()))
        by_window = self._stats(["window"])
        lines.append("  by window (mean score, n scores, n NaN):")
        for w, r in by_window.iterrows():
            lines.append(f"    {w:<16} {r['mean']:.4f}  n={int(r['n'])}  NaN={int(r['n_nan'])}")
        ent = self.by_entity
        ok = ent.dropna(subset=["mean"])
        if len(ok):
            lines.append(f"  per entity         mean of means {ok['mean'].mean():.4f} (n={len(ok)}), mean column range "
                         f"{ok['column_range'].mean():.4f}, mean total range {ok['total_range'].mean():.4f}; "
                         f"largest total range {ok['total_range'].max():.4f} ({ok['total_range'].idxmax()})")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    # -- plots (frontier.plots); the exports are _FileExports' ----------------------------------------
    def plot(self, path=None, **kwargs):
        """Mean score of each window by period (one line per window); see :func:`frontier.plots.plot_windows`."""
        from .plots import plot_windows

        return plot_windows(self, path, **kwargs)

    def __repr__(self) -> str:
        return f"<WindowAnalysisResult {self.spec.model} width={self.spec.window} windows={len(self.windows)}>"


def _geo_mean(x: pd.Series) -> float:
    x = x.dropna()
    return float(np.exp(np.log(x[x > 0]).mean())) if len(x) and (x > 0).all() else np.nan


def level_means(levels: pd.DataFrame, column: str = "gtfp", *, geometric: bool, period_order=()) -> pd.DataFrame:
    """Per period (the second index level of ``levels``): the mean of ``column`` across the entities with a finite
    level, geometric or arithmetic, and ``n``, how many entities that is (0, mean NaN, where none has a level)."""
    values = levels[column].astype(float)
    periods = levels.index.get_level_values(1)
    finite = np.isfinite(values).to_numpy()
    grouped = values[finite].groupby(level=1)
    out = pd.DataFrame({column: grouped.agg(_geo_mean if geometric else "mean"), "n": grouped.size()})
    distinct = list(pd.unique(periods))
    known = [p for p in period_order if p in distinct]
    out = out.reindex(known + [p for p in distinct if p not in known])
    out.index.name = levels.index.names[1]
    out["n"] = out["n"].fillna(0).astype(int)
    return out


def _warn(message: str) -> None:
    """A UserWarning attributed to the first caller outside the package (the user's line, not ours)."""
    package = os.path.dirname(os.path.abspath(__file__))
    frame, level = sys._getframe(1), 2
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, UserWarning, stacklevel=level)


def _n_path(n: pd.Series) -> str:
    """``"40 (2010) -> 1 (2014)"`` style: the first and last count, and every change in between, compactly."""
    if not len(n):
        return "0"
    parts = [f"{int(n.iloc[0])} ({n.index[0]})"]
    for p, k in list(n.items())[1:]:
        if k != int(parts[-1].split(" ")[0]):
            parts.append(f"{int(k)} ({p})")
    return " -> ".join(parts)


def _plural(word) -> str:
    """'city' -> 'cities', 'firm' -> 'firms', 'province' -> 'provinces'; anything not a plain word -> 'entities'."""
    word = str(word or "")
    if not word.isalpha() or not word.isascii():
        return "entities"
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"
