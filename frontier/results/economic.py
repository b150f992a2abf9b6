"""``EconomicResult``: cost, revenue and profit efficiency of :func:`frontier.economic` with their technical and
allocative parts, their table, summary and export."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import io
from .base import (FileExports, Specification, Summary, SummaryViews, export_header, leading_columns,
                   row_line)
from .efficiency import EfficiencyResult

# (observed value, optimal value) column names of each kind of economic result
VALUE_COLUMNS = {"cost": ("observed_cost", "minimum_cost"), "revenue": ("observed_revenue", "maximum_revenue"),
                 "profit": ("observed_profit", "maximum_profit")}
ECONOMIC_CONVENTIONS = {
    "cost": "economic = C*/(w'x) in (0, 1], 1 = cost minimising; technical = input radial theta; "
            "allocative = economic / technical; economic = technical x allocative",
    "revenue": "economic = p'y/R* in (0, 1], 1 = revenue maximising; technical = 1/phi (output radial); "
               "allocative = economic / technical; economic = technical x allocative",
    "profit": "economic = Nerlovian profit inefficiency (Pi* - Pi)/(p'g_y + w'g_x) >= 0, 0 = profit maximising; "
              "technical = DDF beta; allocative = economic - technical; economic = technical + allocative",
}


@dataclass(frozen=True)
class EconomicResult(SummaryViews, FileExports):
    """The outcome of :func:`economic`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    economic : Series; cost and revenue: the efficiency (1 = cost minimising / revenue maximising, lower is
        worse); profit: the Nerlovian profit inefficiency (0 = profit maximising, larger is worse).
    technical : Series; cost: input radial theta; revenue: 1/phi (output radial); profit: DDF beta.
    allocative : Series; cost and revenue: economic / technical (in (0, 1]); profit: economic - technical (>= 0).
    status : Series, the economic LP's status (``"optimal"``, ``"infeasible"``, ``"unbounded"``, ...).
    technical_status : Series, the technical LP's status (see :class:`frontier.EfficiencyResult`).
    optimal : DataFrame of the optimal quantities (cost: the cost-minimising inputs; revenue: the revenue-maximising
        outputs; profit: both), the reference combination X'lambda, Y'lambda of the economic LP.
    observed_value, optimal_value : Series of the observed and the optimal cost, revenue or profit.
    prices : DataFrame of the prices used (one column per priced variable).
    technical_result : the :class:`frontier.EfficiencyResult` of the technical part (slacks, targets, peers).
    spec : :class:`frontier.Specification` (``model`` is the kind: ``"cost"``, ``"revenue"``, ``"profit"``).
    price_sources : the ``prices`` argument as given (``{variable: column name or number}``), for the exports'
        summary.
    ids : DataFrame of the ``id`` columns (``economic(..., id=...)``), indexed like the data, else None.

    ``to_excel`` writes the results (a sheet named by the kind), the prices and a ``specification`` sheet.
    """

    economic: pd.Series
    technical: pd.Series
    allocative: pd.Series
    status: pd.Series
    technical_status: pd.Series
    optimal: pd.DataFrame
    observed_value: pd.Series
    optimal_value: pd.Series
    prices: pd.DataFrame
    technical_result: EfficiencyResult
    spec: Specification
    periods: pd.Series | None = None
    price_sources: dict | None = None
    ids: pd.DataFrame | None = None

    @property
    def kind(self) -> str:
        return self.spec.model

    def to_frame(self) -> pd.DataFrame:
        """The ``id`` columns (when given), the period (unless an index level without ids), ``economic``,
        ``technical``, ``allocative``, both statuses, the observed and optimal cost / revenue / profit and the
        optimal quantities (``optimal_<var>``), indexed like the data."""
        observed, best = VALUE_COLUMNS[self.kind]
        parts = leading_columns(self.ids, self.periods, self.economic.index)
        parts += [self.economic, self.technical, self.allocative, self.status, self.technical_status,
                  self.observed_value.rename(observed), self.optimal_value.rename(best),
                  self.optimal.add_prefix("optimal_")]
        return pd.concat(parts, axis=1)

    def summary(self) -> Summary:
        """The specification, LP outcomes and the mean, min and max of the economic, technical and allocative parts,
        each with ``n``, the DMUs behind it (and the means by period with ``period=``). Prints as text; renders as
        HTML in notebooks."""
        s = self.spec
        identity = "economic = technical x allocative" if self.kind != "profit" else \
            "economic = technical + allocative (Nerlovian)"
        title = f"frontier economic efficiency: {self.kind}, rts {s.rts}, {identity}"
        rows = []
        if self.kind == "profit":
            rows.append(("direction", s.direction))
        rows.append(("variables", f"inputs {list(s.inputs)}, outputs {list(s.outputs)}"
                     + (f", bad outputs {list(s.bad_outputs)} (not priced, {s.bad_disposability} disposability)"
                        if s.bad_outputs else "")))
        rows.append(("prices", ", ".join(f"{k}={v}" for k, v in (self.price_sources or {}).items())
                     or ", ".join(self.prices.columns)))
        if s.period is not None:
            rows.append(("technology", f"{s.technology} (period {s.period!r})"))
        rows.append(("DMUs", len(self.economic)))
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in self.status.value_counts().items())))
        parts = self.to_frame()[["economic", "technical", "allocative"]]
        stats = pd.DataFrame({"mean": parts.mean(), "min": parts.min(), "max": parts.max(),
                              "n": parts.notna().sum().astype(int)})
        tables = {"economic, technical and allocative (n = DMUs with a value)": stats}
        lines = [title] + [row_line(k, v) for k, v in rows]
        for name, r in stats.iterrows():
            if r["n"]:
                lines.append(row_line(name, f"mean {r['mean']:.4f} (n={int(r['n'])}), min {r['min']:.4f}, "
                                             f"max {r['max']:.4f}"))
        if self.periods is not None:
            by = parts.groupby(self.periods.to_numpy()).agg(["mean", "count"])
            by.columns = [f"{a}_{'n' if b == 'count' else b}" for a, b in by.columns]
            by.index.name = s.period
            tables["means by period"] = by
            lines.append("  means by period (n = DMUs with a value):")
            lines.append("    " + by.round(4).to_string().replace("\n", "\n    "))
        failed = self.economic.isna()
        if failed.any():
            lines.append(row_line("NaN economic", f"{int(failed.sum())} (e.g. {list(self.economic.index[failed][:5])}:"
                                                   f" {list(self.status[failed][:5])})"))
        return Summary("\n".join(lines), title, rows, tables)

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame` with the index as leading columns), the prices (an extra table), the
        specification and column descriptions."""
        return economic_export(self, extra)

    def __repr__(self) -> str:
        return f"<EconomicResult {self.kind} rts={self.spec.rts} n={len(self.economic)}>"


def economic_export(res, extra: dict | None = None) -> io.Export:
    """The tables, specification and column descriptions of an :class:`EconomicResult` (its ``export``)."""
    spec = res.spec
    table = io.index_to_columns(res.to_frame(), has_ids=res.ids is not None)
    rows = export_header(extra, spec.call)
    rows.append(("measure", spec.get("description", "")))
    rows.append(("convention", ECONOMIC_CONVENTIONS[res.kind]))
    if spec.get("bad_outputs"):
        rows.append(("bad outputs", "in the technology at their observed level, not priced "
                                    f"({spec['bad_disposability']} disposability)"))
    for key in ("model", "rts", "bad_disposability", "direction", "period", "technology", "window", "id", "inputs",
                "outputs", "bad_outputs"):
        value = spec.get(key)
        if value is None or value == [] or value == ():
            continue
        rows.append(("kind" if key == "model" else key, io.format_value(value)))
    rows.append(("prices", io.format_value(res.price_sources or {c: "given" for c in res.prices.columns})))
    rows.append(("DMUs", str(len(res.economic))))
    rows.append(("LP status", io.status_counts(res.status)))
    rows.append(("technical LP status", io.status_counts(res.technical_status)))
    rows.append(("NaN economic", f"{int(res.economic.isna().sum())} (the LP failed; see the status column)"))

    observed, best = VALUE_COLUMNS[res.kind]
    desc = {c: "identifies the DMU (row of the input data)"
            for c in table.columns[: table.columns.get_loc("economic")]}
    if spec.get("period") in table.columns:
        desc[spec["period"]] = "period"
    desc.update({
        "economic": ECONOMIC_CONVENTIONS[res.kind].split(";")[0],
        "technical": ECONOMIC_CONVENTIONS[res.kind].split(";")[1].strip(),
        "allocative": ECONOMIC_CONVENTIONS[res.kind].split(";")[2].strip(),
        "status": f"{res.kind} LP status: optimal, or why the measure is missing (infeasible, unbounded, ...)",
        "technical_status": "LP status of the technical part",
        observed: f"observed {res.kind} at the DMU's prices",
        best: f"optimal {res.kind} at the DMU's prices over the technology",
    })
    for v in res.optimal.columns:
        desc[f"optimal_{v}"] = f"{v} in the optimal ({res.kind}) plan"
    desc = {c: desc[c] for c in table.columns if c in desc}
    label = f"frontier economic: {res.kind} {spec['rts']}"
    return io.Export(table=table, name=res.kind, specification=rows, descriptions=desc,
                  extra_tables={"prices": io.index_to_columns(
                         pd.concat(leading_columns(res.ids, None, res.prices.index) + [res.prices], axis=1),
                         has_ids=res.ids is not None)}, title=label)
