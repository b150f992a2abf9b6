"""``ProductivityResult``: the indices of :func:`frontier.productivity`, their chained levels, summary, export and
figures (GTFP trajectories, the decomposition)."""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import (annotate_counts, category_ticks, colors as palette, default_title, figure, finish,
                         legend_on_top, n_range, percentile_name, period_axis, sorted_periods)
from .._text import check_lang, geo_mean, label, plural, word
from ..panel import display_order
from .base import (FileExports, Specification, Summary, export_header, export_parameter_rows, export_spec_rows,
                   level_means, model_name, n_path, row_line, summary_parameter_rows, warn_user)
from .groups import check_by, group_export, group_name, ordered_groups, panel_groups, warn_missing

@dataclass(frozen=True)
class IndexTexts:
    """How the reports name an index: written by :func:`frontier.productivity` from the index's declaration
    (:data:`frontier.analyses.productivity.definitions.INDICES`), so nothing here switches on the index's name.

    ``label`` is its short name (plots: ``"GML"``, ``"Malmquist"``), ``long_name`` its name in exports
    (``"global Malmquist-Luenberger (GML)"``), ``components`` each component's legend text,
    ``names_technology`` says the name implies the technology (ML, GML, SML), which labels then leave out, and
    ``spelled`` spells out a label that is an acronym (``"global Malmquist-Luenberger"``; summaries' titles).
    Carried in the result's ``Specification`` (``spec.texts``).
    """

    label: str
    long_name: str
    components: dict
    names_technology: bool = False
    spelled: str | None = None


@dataclass(frozen=True)
class ProductivityResult(FileExports):
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

    @property
    def texts(self) -> IndexTexts:
        """How the reports name the index and its components (:class:`IndexTexts`, carried in ``spec.texts``)."""
        return self.spec.texts

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
            warn_user(message)
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
        return (f"gtfp chains {what} for {len(first)} of {self.spec.n_entities} {plural(ent_name)}, from "
                f"{counts}: a missing index (failed LP or gap) is never read as no change. "
                f"{plural(ent_name).capitalize()} behind each period's mean: {n_path(n)}; pr.summary() gives n "
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
        rows += summary_parameter_rows(s)
        rows.append(("observations", f"{s['n_observations']} ({s['n_entities']} entities, {s['n_periods']} periods)"))
        rows.append(("index rows", f"{len(idx)}, of which NaN: {int(idx['index'].isna().sum())}"))
        if self.single_period_entities:
            rows.append(("no index", f"{len(self.single_period_entities)} entities observed once: "
                                     f"{list(self.single_period_entities[:5])}"))
        dist = self.distances
        bad = dist[dist["status"] != "optimal"]
        rows.append(("LPs", f"{len(dist)}, not optimal: {len(bad)}"))
        lines = [title] + [row_line(k, v) for k, v in rows]
        if len(bad):
            by = bad.groupby([s["period"], "technology"]).size()
            lines.append("  failed LPs by (period, technology): "
                         + ", ".join(f"{k}: {v}" for k, v in list(by.items())[:8]))
        by_period = self.period_means()
        chained = self.cumulative()                             # warns when chains break
        levels = self.level_means(chained)
        agg = "geometric" if s.ratio else "arithmetic"
        identity = self._identity()
        broken = chained.index[chained["gtfp"].isna().to_numpy()].get_level_values(0).nunique()
        if broken:
            lines.append(f"  {'chains':<18} {broken} of {s.n_entities} {plural(s.entity)} break (later levels NaN): "
                         f"GTFP rests on n = {n_path(levels['n'])}")
        lines.append(f"  {agg} mean by period, over the pairs with the index and every component "
                     f"(n of pairs; index = {identity}):")
        lines.append("    " + by_period.round(4).to_string().replace("\n", "\n    "))
        lines.append(f"  GTFP level by period, {agg} mean across {plural(s.entity)} (n with a level):")
        lines.append("    " + levels.round(4).to_string().replace("\n", "\n    "))
        tables = {f"{agg} mean by period (pairs with every component)": by_period,
                  f"GTFP level by period ({agg} mean across {plural(s.entity)})": levels}
        return Summary("\n".join(lines), title, rows, tables)

    def period_means(self, by=None, data: pd.DataFrame | None = None) -> pd.DataFrame:
        """Per-period means of the index and its components over one common row set, with ``n`` and ``pairs``;
        with ``by``, per group and period: the table of GTFP, EC and TC by region and year.

        The rows are the pairs whose index and every component are finite (and positive for ratio indices), so
        the means decompose exactly: geometric means for ratio indices (mean index = mean ec x mean tc),
        arithmetic for Luenberger (sums). ``n`` counts those pairs, ``pairs`` the period's index rows.

        ``by``: the group of each entity, e.g. ``by="region", data=panel`` (a column of ``data``, the panel given to
        :func:`frontier.productivity`, read at each pair's entity and later period), or a Series or dict mapping
        each entity to its group (a Series indexed by (entity, period) also works). The table is then indexed by
        (group, period), the groups in the data's order (a categorical's own order), the periods in time order;
        the group labels are kept as they are (东部, 中部, 西部). Pairs whose group is missing are left out of
        every group, with one warning saying how many. Write it with ``pr.to_csv(path, by=..., data=...)`` (or
        ``to_excel``, ``to_stata``: the labels, Chinese included, survive in each).
        """
        comps = list(self.spec.components)
        values = self.indices[comps].astype(float)
        common = np.isfinite(values).all(axis=1)
        if self.spec.ratio:
            common &= (values > 0).all(axis=1)
        periods = self.indices.index.get_level_values(1)
        order = [p for p in self.period_order if p in set(periods)] or list(pd.unique(periods))
        agg = geo_mean if self.spec.ratio else "mean"
        if by is None:
            by_period = values[common.to_numpy()].groupby(level=1).agg(agg)
            by_period = by_period.reindex(order)
            by_period["n"] = common.groupby(periods).sum().reindex(order).fillna(0).astype(int)
            by_period["pairs"] = pd.Series(1, index=periods).groupby(level=0).sum().reindex(order).fillna(0).astype(int)
            by_period.index.name = self.spec.period
            return by_period
        groups = self._groups(by, data, self.indices.index, "pairs")
        known = groups.notna().to_numpy()
        keys = [groups.to_numpy()[known], np.asarray(periods)[known]]
        cells = pd.MultiIndex.from_tuples([(g, p) for g in ordered_groups(groups) for p in order],
                                          names=[groups.name, self.spec.period])
        pairs = pd.Series(1, index=np.flatnonzero(known)).groupby(keys).sum()
        cells = cells[cells.isin(pairs.index)]
        used = known & common.to_numpy()
        out = values[used].groupby([groups.to_numpy()[used], np.asarray(periods)[used]]).agg(agg).reindex(cells)
        out["n"] = common[known].groupby(keys).sum().reindex(cells).fillna(0).astype(int).to_numpy()
        out["pairs"] = pairs.reindex(cells).astype(int).to_numpy()
        out.index = cells
        return out

    def _identity(self) -> str:
        """How the index splits into its components, as the summary and the exports write it
        (``ec x tc``, ``ec + bpc + tgc``, ``output_quantity / input_quantity``)."""
        s = self.spec
        parts = [c for c in s.components if c not in ("index", "pec", "sec")]
        if "output_quantity" in parts:
            return "output_quantity / input_quantity" if s.ratio else "output_quantity - input_quantity"
        return (" x " if s.ratio else " + ").join(parts)

    def _groups(self, by, data, index, what: str) -> pd.Series:
        """The group of each (entity, period) of ``index`` (:func:`frontier.results.groups.panel_groups`),
        checked (not a variable, not the period) and with one warning for the rows without a group."""
        s = self.spec
        check_by(by, list(s.inputs) + list(s.outputs) + list(s.bad_outputs), s.period)
        groups = panel_groups(by, data, index, s.entity, s.period, plural(s.entity))
        warn_missing(groups, what)
        return groups

    def __str__(self) -> str:
        return self.summary()

    # -- table, export and figures (the files: FileExports) ------------------------------------------
    def to_frame(self, policy: str = "propagate") -> pd.DataFrame:
        """Indices and their chained levels in one tidy frame, one row per (entity, period), each entity's first
        period included (no index there, levels at their base): ``period_from``, the index and its components,
        ``status``, then ``gtfp`` and the cumulative components ``cum_ec``, ``cum_tc`` (...)."""
        return productivity_table(self, policy).set_index([self.spec.entity, self.spec.period])

    def export(self, extra: dict | None = None, policy: str = "propagate", by=None,
               data: pd.DataFrame | None = None) -> io.Export:
        """What the files hold: indices and GTFP levels (:func:`productivity_table`, chained with ``policy``), the
        distances (an Excel sheet), the specification and column descriptions. With ``by`` (and ``data``), the
        table by group and period instead (:meth:`period_means`), its columns described and the means named."""
        if by is None:
            return productivity_export(self, extra, policy)
        table = self.period_means(by=by, data=data)
        agg = "geometric" if self.spec.ratio else "arithmetic"
        described = productivity_export(self, None, policy).descriptions
        desc = {self.spec.period: "period (the later period of each pair)"}
        desc.update({c: f"{agg} mean of: {described[c]}" for c in self.spec.components if c in described})
        desc["n"] = ("pairs behind each mean: those of the group and period with the index and every component "
                     "(the means decompose exactly)")
        desc["pairs"] = "index rows of the group and period (with a failed LP or not)"
        how = (f"{agg} means across the pairs of each group and period with the index and every component, so "
               f"index = {self._identity()}")
        return group_export(self, table, table.index.names[0], how, desc, extra)

    def plot(self, kind: str = "gtfp", path=None, **kwargs):
        """``kind="gtfp"``: cumulative GTFP trajectories (:func:`frontier.plots.plot_gtfp`);
        ``kind="decomposition"``: the index and its components by period (:func:`frontier.plots.plot_decomposition`)."""
        return self.draw(kind, path, **kwargs)

    def __repr__(self) -> str:
        return (f"<ProductivityResult {self.spec.index_label} ({self.spec.form}) {self.spec['technology']} "
                f"rows={len(self.indices)}>")

    def _repr_html_(self) -> str:
        """Jupyter's view of the result: the summary's specification and tables as HTML."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)        # the tables show n per period
            return self.summary()._repr_html_()


def productivity_table(pr, policy: str = "propagate") -> pd.DataFrame:
    """Indices and chained levels in one flat table with ``entity`` and ``period`` columns.

    One row per (entity, period) of every entity observed at least twice, its first period included
    (index missing there, levels at their base). Columns: ``period_from, index, ec, tc`` (``pec, sec``),
    ``status``, then the cumulative ``gtfp`` and ``cum_ec, cum_tc`` (``cum_pec, cum_sec``). Merge it onto the
    panel with ``panel.merge(productivity_table(pr), on=[entity, period], how="left")``.
    """
    ent, per = pr.spec["entity"], pr.spec["period"]
    levels = pr.cumulative(policy=policy)                # gtfp, cum_ec, cum_tc (...), as exported
    out = levels.join(pr.indices, how="outer")
    cols = [c for c in pr.indices.columns] + [c for c in levels.columns]
    out = out[cols]
    order = levels.index.append(pr.indices.index.difference(levels.index))
    out = out.reindex(order)
    out.index = out.index.set_names([ent, per])
    if pd.api.types.is_integer_dtype(pr.indices["period_from"].dtype):
        out["period_from"] = out["period_from"].astype("Int64")
    return out.reset_index()


def productivity_export(pr, extra: dict | None = None, policy: str = "propagate") -> io.Export:
    """The tables, specification and column descriptions of a :class:`ProductivityResult` (its ``export``)."""
    spec = pr.spec
    table = productivity_table(pr, policy)
    ratio = spec.ratio
    tech = spec["technology"]
    name = pr.texts.long_name
    quantity = "output_quantity" in spec.components
    tc_name = "best-practice gap change (BPC)" if tech == "global" else "technical change"
    parts = ("ec", "bpc", "tgc") if "tgc" in spec.components else ("ec", "tc")
    if spec.get("group") is not None:
        name = f"metafrontier {name} over the groups of {spec['group']!r} (Oh & Lee 2010)"
    rows = export_header(extra, spec.call)
    rows.append(("index", f"{name}, {'ratio' if ratio else 'difference'} form, {tech} technology"))
    if quantity:
        rows.append(("convention", f"index {'> 1' if ratio else '> 0'} = progress; index = output quantity index "
                                   f"{'/' if ratio else '-'} input quantity index; gtfp = cumulative "
                                   f"{'product' if ratio else 'sum'} of the index, each entity's first period = "
                                   f"{1 if ratio else 0}"))
    elif ratio:
        rows.append(("convention", f"index > 1 = progress; index = {' x '.join(parts)}; gtfp = cumulative product "
                                   "of the index, each entity's first period = 1"))
    else:
        rows.append(("convention", f"indicator > 0 = progress; index = {' + '.join(parts)}; gtfp = cumulative "
                                   "sum, each entity's first period = 0"))
    op_word = "x" if ratio else "+"
    rows.append(("chain policy", policy))
    if spec.get("decomposition") == "fgnz":
        rows.append(("index rts", f"{spec.index_rts}: with decomposition='fgnz' the index, ec and tc use CRS distances "
                                  f"(FGNZ 1994); ec = pec {op_word} sec, pec under "
                                  f"rts={spec['rts']}"))
    rows += export_spec_rows(spec, ("group", "technology", "window", "decomposition", "model", "orientation", "rts",
                                    "super_efficiency", "bad_disposability", "direction", "weights", "adjacency",
                                    "base", "zeros", "entity", "period", "inputs", "outputs", "bad_outputs",
                                    "n_observations", "n_entities", "n_periods"))
    rows += export_parameter_rows(spec)
    dist = pr.distances
    rows.append(("LPs solved", f"{len(dist)} ({io.status_counts(dist['status'])})"))
    rows.append(("missing index rows", str(int(pr.indices["index"].isna().sum()))))
    if pr.single_period_entities:
        rows.append(("entities observed once (no index)", io.format_value(list(pr.single_period_entities))))

    op = "x" if ratio else "+"
    desc = {spec["entity"]: "entity", spec["period"]: "period (the later period of the pair)",
            "period_from": "the earlier period of the pair",
            "index": f"{name} index from period_from to period ({'> 1' if ratio else '> 0'} = progress)",
            "ec": "efficiency change (catching up with the frontier)",
            "tc": tc_name + " (frontier shift)",
            "pec": "pure efficiency change (FGNZ)", "sec": "scale efficiency change (FGNZ)",
            "bpc": "best-practice change (intertemporal vs contemporaneous group frontier; metafrontier index)",
            "tgc": "technology-gap change (global metafrontier vs intertemporal group frontier)",
            "cum_bpc": f"cumulative best-practice change ({op})", "cum_tgc": f"cumulative technology-gap change ({op})",
            "status": "LP status of the pair: optimal, or which LP failed, or gap",
            "gtfp": f"cumulative index (GTFP level; {'product' if ratio else 'sum'} of the index since the "
                    "entity's first period)",
            "cum_ec": f"cumulative efficiency change ({op})", "cum_tc": f"cumulative {tc_name} ({op})",
            "cum_pec": f"cumulative pure efficiency change ({op})",
            "cum_sec": f"cumulative scale efficiency change ({op})",
            "output_quantity": "output quantity index (growth of the outputs at fixed inputs)",
            "input_quantity": "input quantity index (growth of the inputs at fixed outputs)",
            "cum_output_quantity": f"cumulative output quantity index ({op})",
            "cum_input_quantity": f"cumulative input quantity index ({op})",
            "restarted": "the chain was re-based after a missing link"}
    boot = (spec.get("parameters") or {}).get("bootstrap")
    if boot:                         # productivity(bootstrap=B): Simar & Wilson (1999) intervals, or the labelled
        level = f"{1 - boot['alpha']:.0%}"               # subsampling interval (its method says what it is)
        null = f"{boot.get('null', 1):g}"
        for c in spec.components:
            if boot.get("scheme") == "subsampling":
                desc[f"{c}_lower"] = f"{c}: lower bound of the {level} {boot['method']}"
                desc[f"{c}_upper"] = f"{c}: upper bound of the {level} {boot['method']}"
            else:
                desc[f"{c}_lower"] = f"lower bound of the {level} bootstrap interval of {c} (Simar & Wilson 1999)"
                desc[f"{c}_upper"] = f"upper bound of the {level} bootstrap interval of {c}"
            desc[f"{c}_significant"] = f"{c} differs significantly from {null} (its {level} interval excludes {null})"
        desc["bootstrap_failed"] = f"bootstrap replicates (of B = {boot['B']}) lost to a failed LP, left out"
    desc = {c: desc[c] for c in table.columns if c in desc}
    extra_tables = {"distances": dist}
    label = f"frontier {spec.get('alias') or spec['index']}: {spec['model']} {spec['rts']}, {tech}"
    return io.Export(table=table, name="productivity", specification=rows, descriptions=desc,
                  extra_tables=extra_tables, title=label)


# ----------------------------------------------------------------------------------------------------
# figures
# ----------------------------------------------------------------------------------------------------

def _as_levels(obj, column, lang="en"):
    """(levels DataFrame indexed by (entity, period), label, baseline or None, period order) from a result or
    a frame."""
    if isinstance(obj, ProductivityResult):
        s = obj.spec
        tech = "" if obj.texts.names_technology else f", {label(s['technology'], lang)}"
        name = f"{obj.texts.label} ({model_name(s)}, {s.index_rts.upper()}{tech})"
        levels = obj.cumulative()
        if column not in levels.columns:
            hint = f" (the cumulative components are named cum_{column})" if f"cum_{column}" in levels.columns else ""
            raise ValueError(f"levels have no column {column!r}; columns: {list(levels.columns)}{hint}")
        return levels, name, 1.0 if s.ratio else 0.0, obj.period_order
    if isinstance(obj, pd.Series):
        obj = obj.to_frame(column)
    if not isinstance(obj, pd.DataFrame):
        raise TypeError(f"expected a ProductivityResult or a DataFrame of levels (pr.cumulative()), "
                        f"got {type(obj).__name__}")
    if obj.index.nlevels != 2:
        raise ValueError("levels need a two-level index (entity, period), as pr.cumulative() returns")
    if column not in obj.columns:
        hint = f" (the cumulative components are named cum_{column})" if f"cum_{column}" in obj.columns else ""
        raise ValueError(f"levels have no column {column!r}; columns: {list(obj.columns)}{hint}")
    return obj, None, None, display_order(obj.index.get_level_values(1), str(obj.index.names[1] or "period"))


def _baseline(levels: pd.DataFrame, column: str):
    first = levels[column].groupby(level=0, sort=False).first().dropna()
    if len(first) and np.allclose(first, 1.0):
        return 1.0
    if len(first) and np.allclose(first, 0.0):
        return 0.0
    return None


def plot_gtfp(levels, path=None, entities=None, quantiles=(0.25, 0.75), *, column: str = "gtfp",
              center: str | None = None, by=None, data: pd.DataFrame | None = None, lang: str = "en", ax=None,
              title: str | None = None, figsize=(8, 4.8)):
    """Cumulative GTFP trajectories.

    Parameters
    ----------
    levels : ``pr.cumulative()`` (a DataFrame indexed by (entity, period) with a ``gtfp`` column), a
        ProductivityResult, or a dict ``{label: either}`` to compare several series in one plot.
    path : save the figure there (``.png``, ``.pdf``, ``.svg``...).
    entities : plot these entities' own trajectories instead of the cross-entity summary.
    quantiles : the shaded band, e.g. ``(0.25, 0.75)`` (the interquartile range); ``None`` for no band.
    column : the level column to plot (``"gtfp"``, or the cumulative ``"cum_ec"``, ``"cum_tc"``).
    center : across entities in each period: ``"geomean"``, ``"mean"`` or ``"median"``. Default: the geometric
        mean for ratio indices (levels start at 1 and multiply) and the arithmetic mean for Luenberger indicators
        (start at 0 and add), the same numbers :meth:`~frontier.ProductivityResult.summary` prints
        (:meth:`~frontier.ProductivityResult.level_means`). The title names the mean.
    by, data : one line (and band) per group, e.g. ``by="region", data=panel``: a column of ``data`` (the panel
        given to :func:`frontier.productivity`) or a Series or dict mapping each entity to its group, as in
        :meth:`~frontier.ProductivityResult.period_means`; levels whose group is missing are left out (one
        warning). With one series only (not a dict), and not with ``entities``.
    lang : ``"en"`` (default) or ``"zh"``: the axis titles, legend and title in Simplified Chinese
        (:data:`frontier._text.ZH`); names such as GML, SBM and VRS are kept.
    ax : draw into this matplotlib axes.

    Survivorship: each point's mean rests on the entities with a level in that period. The legend gives that
    ``n`` (``n = 40`` when constant, ``n = 40 → 1`` when chains break) and, when it changes, the ``n`` of every
    period is written along the bottom of the plot (``n=0`` where no entity has a level and nothing is drawn).

    Returns the matplotlib Figure.
    """
    check_lang(lang)
    if center not in (None, "mean", "median", "geomean"):
        raise ValueError("center must be 'geomean', 'mean' or 'median' (or None: geomean for ratio indices, mean "
                         "for Luenberger)")
    if quantiles is not None:
        quantiles = tuple(float(q) for q in quantiles)
        if len(quantiles) != 2 or not 0 <= quantiles[0] < quantiles[1] <= 1:
            raise ValueError("quantiles must be two numbers 0 <= low < high <= 1, e.g. (0.25, 0.75)")
    if by is not None and (isinstance(levels, dict) or entities is not None):
        raise ValueError("by= draws one line per group of one series: pass one result (not a dict), without "
                         "entities=")
    items = levels.items() if isinstance(levels, dict) else [(None, levels)]
    parts, known, entity_names = [], [], set()
    for given, obj in items:
        frame, auto_label, base, order = _as_levels(obj, column, lang)
        known += [p for p in order if p not in known]
        given = given if given is not None else (auto_label or ("GTFP" if column == "gtfp" else column))
        base = base if base is not None else _baseline(frame, column)
        entity_names.add(frame.index.names[0])
        if by is None:
            parts.append((given, frame, base))
        else:
            groups = _level_groups(obj, frame, by, data)
            parts += [(g, frame[(groups == g).to_numpy()], base) for g in ordered_groups(groups)]
    series = []
    for name, frame, base in parts:
        series.append((str(name), frame[column].unstack(level=1), base, frame))
        pname = frame.index.names[1] if isinstance(frame.index.names[1], str) else "period"
    if not series:
        raise ValueError("nothing to plot")
    periods = sorted_periods(np.concatenate([s[1].columns.to_numpy(dtype=object) for s in series]), known)
    entity_name = entity_names.pop() if len(entity_names) == 1 else None
    across = word(entity_name, lang) if lang == "zh" and entity_name is not None else \
        label("entities", lang) if entity_name is None else plural(entity_name)

    fig, (ax,) = figure(ax, path, figsize)
    pos = period_axis(ax, periods)
    colors = palette()
    if entities is not None:
        entities = [entities] if isinstance(entities, (str, int)) else list(entities)
        styles = ["-", "--", ":", "-."]
        for si, (name, wide, _, _) in enumerate(series):
            missing = [e for e in entities if e not in wide.index]
            if missing:
                raise ValueError(f"entities not in the {name} series: {missing[:5]}")
            for ei, e in enumerate(entities):
                row = wide.loc[e].dropna()
                row = row[[p for p in periods if p in row.index]]
                line = str(e) if len(series) == 1 else f"{e}, {name}"
                ax.plot([pos[p] for p in row.index], row.to_numpy(dtype=float), marker="o", ms=3, lw=1.6,
                        color=colors[ei % len(colors)], ls=styles[si % len(styles)], label=line)
        subtitle = label("selected entities", lang)
    else:
        kinds = set()
        counts = []
        for si, (name, wide, base, frame) in enumerate(series):
            color = colors[si % len(colors)]
            kind = center or ("geomean" if base == 1.0 else "mean")
            kinds.add(kind)
            means = _center(frame, column, kind, known)
            everyone = [p for p in periods if p in means.index]
            counts.append(([pos[p] for p in everyone], means.loc[everyone, "n"].astype(int), color))
            cols = [p for p in everyone if means.loc[p, "n"] > 0]      # a period without a level is not drawn
            x = [pos[p] for p in cols]
            n = means.loc[cols, "n"].astype(int)
            ax.plot(x, means.loc[cols, column].to_numpy(dtype=float), color=color, lw=2.2, marker="o", ms=4,
                    label=f"{name}, n = {n_range(n)}")
            if quantiles is not None:
                w = wide[cols].astype(float)
                lo, hi = w.quantile(quantiles[0], axis=0), w.quantile(quantiles[1], axis=0)
                ax.fill_between(x, lo.to_numpy(), hi.to_numpy(), color=color, alpha=0.18, lw=0)
        if any(n.nunique() > 1 for _, n, _ in counts):
            annotate_counts(ax, counts)
        centers = " / ".join(label(CENTER_NAMES[k], lang) for k in sorted(kinds))
        if by is None:
            subtitle = label("{center} across {entities}", lang, center=centers, entities=across)
        else:
            subtitle = label("{center} across {entities} by {group}", lang, center=centers, entities=across,
                             group=word(group_name(by), lang))
        if quantiles is not None:
            low, high = (percentile_name(q) if lang == "en" else f"{round(100 * q)}" for q in quantiles)
            subtitle += label("; band: {low} to {high} percentile", lang, low=low, high=high)
    bases = {s[2] for s in series if s[2] is not None}
    if len(bases) == 1:
        b = bases.pop()
        ax.axhline(b, color="0.45", lw=0.9, ls="--", zorder=0)
        ylabel = label(f"cumulative {'index' if b == 1 else 'indicator'} (first period = {{base:g}})", lang, base=b)
    else:
        ylabel = label("cumulative index", lang)
    ax.set_ylabel(ylabel)
    ax.set_xlabel(word(pname, lang))
    what = label("GTFP", lang) if column == "gtfp" else \
        label("cumulative {name}", lang, name=column.removeprefix("cum_").upper())
    ax.set_title(default_title(title, label("{what}: {subtitle}", lang, what=what, subtitle=subtitle)), fontsize=11)
    ax.grid(True, alpha=0.3)
    ax.legend(frameon=False, fontsize=9, loc="best", ncol=2 if entities is not None and len(entities) > 6 else 1)
    return finish(fig, path)


def _level_groups(obj, frame: pd.DataFrame, by, data) -> pd.Series:
    """The group of each level row of ``frame`` (by= of :func:`plot_gtfp`), one warning for those without."""
    if isinstance(obj, ProductivityResult):
        return obj._groups(by, data, frame.index, "levels")
    entity, period = frame.index.names
    groups = panel_groups(by, data, frame.index, entity, period, "entities")
    warn_missing(groups, "levels")
    return groups


CENTER_NAMES = {"geomean": "geometric mean", "mean": "mean", "median": "median"}


def _center(frame: pd.DataFrame, column: str, kind: str, period_order) -> pd.DataFrame:
    """Per period: the ``kind`` of ``column`` across the entities with a finite level, and their number ``n``
    (:func:`frontier.results.level_means`, the numbers the summary prints, for the two means)."""
    if kind == "median":
        out = level_means(frame, column, geometric=False, period_order=period_order)
        med = frame[column].astype(float).groupby(level=1).median()
        out[column] = med.reindex(out.index)
        return out
    return level_means(frame, column, geometric=kind == "geomean", period_order=period_order)


def plot_decomposition(pr, path=None, *, components=None, cumulative: bool = True, lang: str = "en", ax=None,
                       title: str | None = None, figsize=None):
    """The productivity index and its components by period.

    Left: the mean index and components of each period's changes (geometric means for ratio indices, bars
    drawn from 1; arithmetic means for Luenberger indicators, bars from 0). Right (``cumulative=True``): the
    period means chained over the periods. ``components`` defaults to the components the index decomposes into,
    read from ``pr.spec.components``: ``("ec", "tc")``, ``("ec", "bpc", "tgc")`` for the metafrontier index
    (``group=``), or the output and input quantity indices for Hicks-Moorsteen (whose index is their quotient, or
    difference); with the FGNZ decomposition ``("pec", "sec", "tc")`` is also possible (pec and sec refine ec,
    so they are left out of the default, which would count ec twice). The period on the axis is the later
    period of each change. ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns
    the Figure.
    """
    check_lang(lang)
    if not isinstance(pr, ProductivityResult):
        raise TypeError(f"plot_decomposition needs a ProductivityResult, got {type(pr).__name__}")
    s = pr.spec
    ratio = s.ratio
    available = [c for c in s.components if c != "index"]
    components = list(components or [c for c in available if c not in ("pec", "sec")])
    unknown = [c for c in components if c not in available]
    if unknown:
        raise ValueError(f"components {unknown} are not in the indices; available: {available}")
    cols = ["index"] + components
    rows = pr.indices[pr.indices["status"] != "gap"]
    if rows.empty:
        raise ValueError("no index values to plot")
    # complete cases only, so that the means decompose (index = ec x tc, or ec + tc) in every period
    values = rows[cols].astype(float)
    complete = np.isfinite(values).all(axis=1) & ((values > 0).all(axis=1) if ratio else True)
    idx = rows[complete.to_numpy()]
    if idx.empty:
        raise ValueError("no pair has the index and all its components (every pair has a failed LP)")
    agg = (lambda x: geo_mean(x, drop_nonpositive=True)) if ratio else (lambda x: float(x.mean()))
    periods_all = sorted_periods(rows.index.get_level_values(1), pr.period_order)
    by = idx.groupby(level=1)[cols].agg(agg).reindex(periods_all)
    used = idx.groupby(level=1).size().reindex(periods_all, fill_value=0)
    total = rows.groupby(level=1).size().reindex(periods_all, fill_value=0)
    base = 1.0 if ratio else 0.0
    names = {c: label(text, lang) for c, text in pr.texts.components.items()}
    iname = pr.texts.label
    if s.get("group") is not None:
        iname = label("metafrontier {label}", lang, label=iname)
    names["index"] = label("{label} index", lang, label=iname)

    fig, axes = figure(ax, path, figsize or ((12, 4.6) if cumulative else (7.5, 4.6)),
                        ncols=2 if cumulative else 1)
    if cumulative and len(axes) < 2:
        raise ValueError("cumulative=True draws two panels: pass two axes, or cumulative=False")
    colors = palette()
    a = axes[0]
    periods = list(by.index)
    x = np.arange(len(periods))
    width = 0.8 / len(components)
    for i, c in enumerate(components):
        v = by[c].to_numpy(dtype=float)
        a.bar(x - 0.4 + width * (i + 0.5), v - base, width=width * 0.92, bottom=base, color=colors[i + 1],
              label=names.get(c, c), alpha=0.85)
    a.plot(x, by["index"].to_numpy(dtype=float), color="black", marker="o", ms=5, lw=1.8, label=names["index"])
    a.axhline(base, color="0.3", lw=0.9)
    partial = bool((used < total).any())
    if partial:
        ticks = [f"{p}\n{used[p]}/{total[p]}" for p in periods]
        category_ticks(a, x, ticks)
    else:
        category_ticks(a, x, periods)
    mean_kind = label("geometric mean" if ratio else "mean", lang)
    period = word(s["period"], lang)
    a.set_title(label("{index} by period ({center} across entities)", lang, index=iname, center=mean_kind),
                fontsize=11)
    a.set_xlabel(label("{period} (change from the previous {period})", lang, period=period)
                 + (label("; k/n: pairs with every LP solved", lang) if partial else ""))
    a.set_ylabel(label("index (> 1 = progress)" if ratio else "indicator (> 0 = progress)", lang))
    a.grid(True, axis="y", alpha=0.3)
    legend_on_top(a)
    if cumulative:
        b = axes[1]
        chained = by.cumprod(skipna=False) if ratio else by.cumsum(skipna=False)   # a gap breaks the chain
        first = _first_period(pr)
        xs = np.arange(len(periods) + 1)
        for i, c in enumerate(["index"] + components):
            vals = np.concatenate([[base], chained[c].to_numpy(dtype=float)])
            style = dict(color="black", lw=2.2) if c == "index" else dict(color=colors[i], lw=1.6, ls="--")
            b.plot(xs, vals, marker="o", ms=4,
                   label=names.get(c, c) if c != "index" else label("{index} (GTFP)", lang, index=iname),
                   **style)
        b.axhline(base, color="0.3", lw=0.9)
        broken = [p for p in periods if not np.isfinite(by.loc[p, "index"])]
        if broken:
            b.text(0.5, 0.04, label("chain broken at {period}: no pair of that period has every LP solved", lang,
                                    period=broken[0]),
                   transform=b.transAxes, ha="center", va="bottom", fontsize=9, color="0.25")
        category_ticks(b, xs, [first] + periods)
        b.set_title(label("chained period {center}s (first period = {base:g})", lang, center=mean_kind, base=base),
                    fontsize=11)
        b.set_xlabel(period)
        b.set_ylabel(label("cumulative index" if ratio else "cumulative indicator", lang))
        b.grid(True, alpha=0.3)
        legend_on_top(b)
    if title:
        fig.suptitle(title)
    return finish(fig, path)


def _first_period(pr):
    pf = pr.indices["period_from"].dropna()
    return sorted_periods(pf, pr.period_order)[0] if len(pf) else ""


ProductivityResult.PLOTS = {"gtfp": plot_gtfp, "decomposition": plot_decomposition}
