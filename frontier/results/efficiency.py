"""``EfficiencyResult``: the scores of :func:`frontier.efficiency`, their table, summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import clip_outliers, default_title, colors as palette, figure, finish, sorted_periods
from .._text import check_lang, label, word
from ..models import family as model_family, model_names
from .base import (MODEL_KEYS, FileExports, Specification, Summary, SummaryViews, export_header,
                   export_parameter_rows, export_spec_rows, leading_columns, model_name, row_line, spec_rows,
                   summary_parameter_rows)
from .groups import check_by, group_export, ordered_groups, row_groups, warn_missing
from .factor_efficiency import FactorEfficiencyResult
from .multipliers import MultiplierResult
from .shadow_prices import ShadowPriceResult

#: a numeraire's weight at most this share of the DMU's largest multiplier leaves its shadow prices undefined
NUMERAIRE_TOL = 1e-9


@dataclass(frozen=True)
class EfficiencyResult(SummaryViews, FileExports):
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

    def _derived(self, kind, table: pd.DataFrame, request: str, **fields):
        """A table of this result as a result of its own (``kind``: ids, specification, exports)."""
        return kind(table=table, spec=self.spec, ids=self.ids, periods=self.periods, request=request, **fields)

    def factor_efficiency(self) -> FactorEfficiencyResult:
        """Variable-level (factor) efficiency from the targets: energy, emission and output efficiency.

        Returns a :class:`~frontier.results.FactorEfficiencyResult`: its ``table`` (which it reads like:
        ``fe["efficiency_E"]``, ``fe.loc[...]``) holds the columns below, and ``to_stata`` / ``to_excel`` / ``to_csv``
        write them with the DMUs' ids first and the model's specification.

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
        if model_family(spec.model).slack_shares:
            parts.append(pd.DataFrame(self._sbm_shares(obs, good), index=index,
                                      columns=[f"share_{v}" for v in names]))
        return self._derived(FactorEfficiencyResult, pd.concat(parts, axis=1), "factor_efficiency()")

    @property
    def multipliers(self) -> MultiplierResult:
        """The dual weights of the model's multiplier form, in the user's units, one row per DMU: a
        :class:`~frontier.results.MultiplierResult`, which reads like its ``table`` (``res.multipliers["K"]``) and
        writes it with the DMUs' ids and the specification (``res.multipliers.to_stata("weights.dta")``).

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
        return self._derived(MultiplierResult, out, "multipliers")

    def shadow_prices(self, numeraire: str, price: float = 1.0, tol: float = NUMERAIRE_TOL) -> ShadowPriceResult:
        """Shadow price of each bad output in units of the numeraire's (a desirable output's) price: a
        :class:`~frontier.results.ShadowPriceResult`, which reads like its ``table`` (``prices["SO2"]``) and writes
        it with the DMUs' ids and the specification (``prices.to_stata("mac.dta")``).

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
        if not model_family(spec.model).shadow_prices:
            models = tuple(name for name in model_names() if model_family(name).shadow_prices)
            raise ValueError(f"shadow prices come from the DDF family's duals (model {models}), whose "
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
        request = f"shadow_prices(numeraire={numeraire!r}, price={price!r}" + (
            f", tol={tol!r})" if tol != NUMERAIRE_TOL else ")")
        return self._derived(ShadowPriceResult, out, request, numeraire=numeraire, price=float(price))

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
        rows = spec_rows(self.spec, ["model", "orientation", "rts", "super_efficiency", "bad_disposability",
                                      "direction", "weights", "technology", "window", "reference", "zeros"])
        rows.append(("variables", f"inputs {self.spec['inputs']}, outputs {self.spec['outputs']}"
                     + (f", bad outputs {self.spec['bad_outputs']}" if self.spec['bad_outputs'] else "")))
        rows += summary_parameter_rows(self.spec)
        rows.append(("DMUs", len(s)))
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in self.status.value_counts().items())))
        tables, by_period_line = {}, None
        ok = s.dropna()
        if len(ok):
            q = ok.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).to_numpy()
            rows.append(("score", f"mean {ok.mean():.4f}, min {q[0]:.4f}, q25 {q[1]:.4f}, median {q[2]:.4f}, "
                                  f"q75 {q[3]:.4f}, max {q[4]:.4f}"))
            if self.periods is not None:
                by = self.period_means().rename(columns={"score": "mean"})
                by = by[by["n"] > 0]
                tables["mean score by period"] = by
                by_period_line = "  mean score by period: " + ", ".join(
                    f"{p}: {r['mean']:.4f} (n={int(r['n'])})" for p, r in by.iterrows())
        lines = [title] + [row_line(k, v) for k, v in rows]
        if by_period_line:
            lines.append(by_period_line)
        if self.n_failed:
            bad = self.status[self.scores.isna()]
            rows.append(("NaN scores", f"{self.n_failed} (e.g. {list(bad.index[:5])}: {list(bad.iloc[:5])})"))
            lines.append(row_line(*rows[-1]))
        return Summary("\n".join(lines), title, rows, tables)

    def period_means(self, by=None, data: pd.DataFrame | None = None) -> pd.DataFrame:
        """The mean score and ``n``, the DMUs with a score behind it, by period (results with ``period=``), by group
        (``by``), or by group and period: the table of efficiency by region and year.

        Arithmetic means, as :meth:`summary`'s, over the DMUs with a score (a failed LP's NaN is left out and not
        counted in ``n``). ``by``: a column of ``data`` (the data given to :func:`frontier.efficiency`), an ``id``
        column of the result (then ``data`` is not needed), or a Series indexed like the data. Groups are listed in
        the data's order (a categorical's own order), periods sorted; the labels are kept as they are (东部, 中部,
        西部). DMUs whose group is missing are left out of every group, with one warning saying how many. Write the
        table with ``res.to_csv(path, by=..., data=...)`` (or ``to_excel``, ``to_stata``).
        """
        scores = self.scores.astype(float)
        keys, names, cells = [], [], []
        if by is not None:
            s = self.spec
            check_by(by, list(s.inputs) + list(s.outputs) + list(s.bad_outputs), s.get("period"))
            groups = row_groups(by, data, scores.index, self.ids)
            warn_missing(groups, "DMUs")
            keys.append(groups)
            names.append(groups.name)
            cells.append(ordered_groups(groups))
        if self.periods is not None:
            periods = self.periods.reindex(scores.index)
            keys.append(periods)
            names.append(periods.name)
            cells.append(sorted(periods.dropna().unique()))
        if not keys:
            raise ValueError("period_means needs periods (efficiency(..., period=...)) or by= (a grouping column)")
        known = np.logical_and.reduce([k.notna().to_numpy() for k in keys])
        arrays = [k.to_numpy()[known] for k in keys]
        grouped = scores[known].groupby(arrays)
        out = pd.DataFrame({"score": grouped.mean(), "n": grouped.count()})
        present = out.index
        full = pd.MultiIndex.from_product(cells, names=names) if len(keys) > 1 else pd.Index(cells[0], name=names[0])
        out = out.reindex(full[full.isin(present)])
        out["n"] = out["n"].astype(int)
        return out

    # -- export and figures (the files: FileExports) -------------------------------------------------------
    def export(self, extra: dict | None = None, by=None, data: pd.DataFrame | None = None) -> io.Export:
        """The table (:func:`efficiency_table`), specification and column descriptions the files hold; with ``by``
        (and ``data``), the table of mean scores by group (and period) instead (:meth:`period_means`)."""
        if by is None:
            return efficiency_export(self, extra)
        table = self.period_means(by=by, data=data)
        desc = {"score": f"mean efficiency score: {self.spec.get('description', '')}",
                "n": "DMUs behind the mean (those with a score; a failed LP's NaN is left out)"}
        if self.periods is not None:
            desc[self.periods.name] = "period"
        return group_export(self, table, table.index.names[0], "arithmetic means of the scores", desc, extra)

    def __repr__(self) -> str:
        return f"<EfficiencyResult {self.spec['model']} n={len(self.scores)}>"


def efficiency_table(res) -> pd.DataFrame:
    """``res.to_frame()`` with the identifying columns first: the ``id`` columns, and the DMU index unless it is
    the default 0, 1, 2... (without ``id`` that becomes ``row``, the 1-based row number in the data). One row
    per DMU, in the data's order."""
    return io.index_to_columns(res.to_frame(), has_ids=res.ids is not None)


def efficiency_export(res, extra: dict | None = None) -> io.Export:
    """The table, specification and column descriptions of an :class:`EfficiencyResult` (its ``export``)."""
    spec = res.spec
    table = efficiency_table(res)
    rows = export_header(extra, spec.call)
    rows.append(("score", spec.get("description", "")))
    rows.append(("convention", model_family(spec["model"]).convention))
    rows += export_spec_rows(spec, MODEL_KEYS)
    rows += export_parameter_rows(spec)
    rows.append(("DMUs", str(len(res.scores))))
    rows.append(("LP status", io.status_counts(res.status)))
    rows.append(("NaN scores", f"{res.n_failed} (the LP failed; see the status column)"))

    role = {v: "input" for v in spec["inputs"]}
    role.update({v: "output" for v in spec["outputs"]})
    role.update({v: "bad output" for v in spec["bad_outputs"]})
    desc = {c: "identifies the DMU" for c in table.columns[: table.columns.get_loc("score")]}
    if res.ids is None and io.ROW_POSITION in desc and isinstance(res.scores.index, pd.RangeIndex) \
            and res.scores.index.name is None:
        desc[io.ROW_POSITION] = io.ROW_POSITION_LABEL
    if spec.get("period") in table.columns:
        desc[spec["period"]] = "period"
    desc["score"] = f"efficiency score: {spec.get('description', '')}"
    desc["status"] = "LP status: optimal, or why the score is missing (infeasible, ...)"
    for v, r in role.items():
        what = {"input": "input excess", "output": "output shortfall", "bad output": "bad-output excess"}[r]
        desc[f"slack_{v}"] = f"slack of {r} {v} ({what}; negative = super-slack)"
        desc[f"target_{v}"] = f"target (projection) of {r} {v}"
        desc[f"beta_{v}"] = f"directional beta of {r} {v}"
    for part in model_family(spec["model"]).parts:
        desc[part] = f"{part}: part of the {spec['model']} score (see the model's documentation)"
    desc = {c: desc[c] for c in table.columns if c in desc}
    label = f"frontier efficiency: {spec['model']} {spec['rts']}" + (" super" if spec.get("super_efficiency") else "")
    return io.Export(table=table, name="efficiency", specification=rows, descriptions=desc, title=label)


# ----------------------------------------------------------------------------------------------------
# the figure
# ----------------------------------------------------------------------------------------------------

def plot_scores(res, path=None, *, lang: str = "en", ax=None, title: str | None = None, bins: int = 30,
                figsize=None):
    """Distribution of efficiency scores: a box plot per period (results with ``period=``), else a histogram.

    The dashed line marks the efficient score (1 for radial and SBM scores, 0 for the directional models);
    diamonds are the period means; missing scores (failed LPs) are counted in the axis labels. ``lang="zh"``:
    the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure.
    """
    check_lang(lang)
    if not isinstance(res, EfficiencyResult):
        raise TypeError(f"plot_scores needs an EfficiencyResult, got {type(res).__name__}")
    spec = res.spec
    scores = res.scores.astype(float)
    efficient = model_family(spec["model"]).efficient_value(spec.get("orientation"))
    name = f"{model_name(spec)} ({spec['rts'].upper()})"
    ylabel = "inefficiency (0 = efficient)" if efficient == 0 else "efficiency score (1 = efficient)"
    axis = label(ylabel, lang)
    colors = palette()
    if res.periods is not None:
        per = res.periods.loc[scores.index] if not res.periods.index.equals(scores.index) else res.periods
        periods = sorted_periods(per)
        fig, (ax,) = figure(ax, path, figsize or (max(6.5, 0.55 * len(periods) + 3), 4.6))
        groups = [scores[(per == p).to_numpy()] for p in periods]
        data = [g.dropna().to_numpy() for g in groups]
        keep = [i for i, d in enumerate(data) if len(d)]
        x = np.arange(len(periods))
        ax.boxplot([data[i] for i in keep], positions=x[keep], widths=0.6, patch_artist=True, showfliers=True,
                   boxprops=dict(facecolor=colors[0], alpha=0.35), medianprops=dict(color=colors[0], lw=2),
                   flierprops=dict(marker=".", ms=3, alpha=0.5))
        means = [d.mean() if len(d) else np.nan for d in data]
        ax.plot(x, means, ls="none", marker="D", ms=5, color=colors[1], label=label("mean", lang))
        labels = []
        for p, g in zip(periods, groups):
            lab = str(p.date()) if isinstance(p, pd.Timestamp) else str(p)
            nan = int(g.isna().sum())
            labels.append(f"{lab}\n({nan} NaN)" if nan else lab)
        step = max(1, int(np.ceil(len(periods) / 15)))
        ax.set_xticks(x[::step])
        rotate = len(periods) > 10 and not any("\n" in s for s in labels)
        ax.set_xticklabels(labels[::step], rotation=35 if rotate else 0, ha="right" if rotate else "center")
        ax.set_xlim(-0.6, len(periods) - 0.4)
        clip_outliers(ax, x, data, efficient, colors[3], label("above the axis (count)", lang))
        pname = per.name if isinstance(per.name, str) else "period"
        ax.set_xlabel(label("{period} ({technology} frontier)", lang, period=word(pname, lang),
                            technology=label(spec.get("technology") or "contemporaneous", lang)))
        ax.set_ylabel(axis)
        ax.axhline(efficient, color="0.45", lw=0.9, ls="--", zorder=0, label=label("efficient", lang))
        ax.legend(frameon=False, fontsize=9, loc="best")
        ax.set_title(default_title(title, label("{model} scores by period (n = {n})", lang, model=name,
                                                n=len(scores))), fontsize=11)
        ax.grid(True, axis="y", alpha=0.3)
    else:
        fig, (ax,) = figure(ax, path, figsize or (7, 4.6))
        ok = scores.dropna().to_numpy()
        if len(ok):
            ax.hist(ok, bins=bins, color=colors[0], alpha=0.75, edgecolor="white")
        ax.axvline(efficient, color="0.45", lw=0.9, ls="--", label=label("efficient", lang))
        if len(ok):
            ax.axvline(ok.mean(), color=colors[1], lw=1.6, label=label("mean {value:.3f}", lang, value=ok.mean()))
        nan = int(scores.isna().sum())
        ax.set_xlabel(label(ylabel.replace("efficiency score", "score"), lang)
                      + (label("; {nan} NaN not shown", lang, nan=nan) if nan else ""))
        ax.set_ylabel(label("number of DMUs", lang))
        ax.legend(frameon=False, fontsize=9)
        ax.set_title(default_title(title, label("{model} scores (n = {n})", lang, model=name, n=len(scores))),
                     fontsize=11)
        ax.grid(True, axis="y", alpha=0.3)
    return finish(fig, path)


EfficiencyResult.PLOTS = {"scores": plot_scores}
