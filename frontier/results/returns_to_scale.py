"""``ReturnsToScaleResult``: the returns to scale of every DMU (:func:`frontier.returns_to_scale`), the table DEAP
prints (CRS, VRS, scale efficiency, irs / crs / drs), its summary, export and figure."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish, legend_on_top
from .._text import check_lang, label
from .base import FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, row_line

RULES = {"deap": "Färe, Grosskopf & Lovell: CRS = VRS -> crs; else NIRS = VRS -> drs; else irs (as DEAP)",
         "banker_thrall": "Banker & Thrall: max sum lambda < 1 -> irs; min sum lambda > 1 -> drs; else crs "
                          "(over the CRS optima)"}
CLASSES = ("irs", "crs", "drs")


@dataclass(frozen=True)
class ReturnsToScaleResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.returns_to_scale`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    table : DataFrame with ``crs``, ``vrs``, ``nirs`` (the radial scores: theta <= 1 input, phi >= 1 output),
        ``scale_efficiency`` (CRS / VRS input, VRS / CRS output; in (0, 1]), ``rts`` (``"irs"``, ``"crs"`` or
        ``"drs"``; None where a score is missing), with ``rule="banker_thrall"`` ``lambda_sum_min`` and
        ``lambda_sum_max`` (over the CRS optima), ``scale_elasticity`` (of the VRS frontier at the DMU's projection,
        from the solver's supporting hyperplane) and ``status`` (``"optimal"`` or which LP failed).
    mpss : DataFrame, the most productive scale size of each DMU (one column per input and output): its CRS
        projection over the sum of its lambdas.
    lambda_sum : Series, the sum of the lambdas of that CRS projection (the max-slack solution's).
    orientation, rule, tolerance : as used.
    spec : :class:`frontier.Specification` (the VRS model's settings and the call).
    ids : DataFrame of the ``id`` columns, else None.
    """

    table: pd.DataFrame
    mpss: pd.DataFrame
    lambda_sum: pd.Series
    orientation: str
    rule: str
    tolerance: float
    spec: Specification
    ids: pd.DataFrame | None = None

    @property
    def rts(self) -> pd.Series:
        """The returns to scale of each DMU: ``irs``, ``crs`` or ``drs``."""
        return self.table["rts"]

    @property
    def scale_efficiency(self) -> pd.Series:
        return self.table["scale_efficiency"]

    def to_frame(self) -> pd.DataFrame:
        """The table, led by the ``id`` columns, with the most productive scale size as ``mpss_<variable>``
        columns, indexed like the data."""
        mpss = self.mpss.add_prefix("mpss_")
        return pd.concat(leading_columns(self.ids, None, self.table.index) + [self.table, mpss], axis=1)

    def counts(self) -> pd.Series:
        """How many DMUs have each returns to scale (irs, crs, drs)."""
        return self.rts.value_counts().reindex(list(CLASSES), fill_value=0).rename("DMUs")

    def summary(self) -> Summary:
        """The rule, the counts of irs / crs / drs and the mean scores and scale efficiency."""
        s, t = self.spec, self.table
        title = f"frontier returns_to_scale: radial {self.orientation}-oriented CRS, VRS and NIRS scores"
        counts = self.counts()
        rows = [("rule", RULES[self.rule]), ("tolerance", f"{self.tolerance:g} (relative)"),
                ("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"), ("DMUs", len(t)),
                ("returns to scale", ", ".join(f"{k} {int(v)}" for k, v in counts.items())),
                ("mean scores", f"CRS {t['crs'].mean():.4f}, VRS {t['vrs'].mean():.4f}, NIRS {t['nirs'].mean():.4f}"),
                ("scale efficiency", f"mean {t['scale_efficiency'].mean():.4f}, min {t['scale_efficiency'].min():.4f}"),
                ("scale-efficient", f"{int((t['scale_efficiency'] == 1).sum())} of {len(t)} (CRS = VRS)")]
        failed = int((t["status"] != "optimal").sum())
        if failed:
            rows.append(("failed LPs", f"{failed} DMUs (see status)"))
        if s.call is not None:
            rows.append(("call", str(s.call)))
        lines = [title] + [row_line(k, v) for k, v in rows]
        return Summary("\n".join(lines), title, rows, {"returns to scale": counts.to_frame()})

    def __repr__(self) -> str:
        return f"<ReturnsToScaleResult {self.orientation} {self.rule} n={len(self.table)}>"

    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame`), the rule and the orientation as the specification, column descriptions."""
        s = self.spec
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        score = "theta (<= 1)" if self.orientation == "input" else "phi (>= 1)"
        rows = export_header(extra, s.call) + [
            ("analysis", "returns to scale, scale efficiency, scale elasticity and most productive scale size"),
            ("orientation", self.orientation), ("rule", RULES[self.rule]), ("tolerance", f"{self.tolerance:g}"),
            ("inputs", io.format_value(s["inputs"])), ("outputs", io.format_value(s["outputs"]))]
        desc = {"crs": f"radial CRS (CCR) score {score}", "vrs": f"radial VRS (BCC) score {score}",
                "nirs": f"radial NIRS score {score}",
                "scale_efficiency": "scale efficiency: CRS / VRS (input) or VRS / CRS (output), in (0, 1]",
                "rts": "returns to scale at the projection: irs increasing, crs constant, drs decreasing",
                "lambda_sum_min": "smallest sum of lambdas over the CRS optima (Banker & Thrall)",
                "lambda_sum_max": "largest sum of lambdas over the CRS optima (Banker & Thrall)",
                "scale_elasticity": "scale elasticity of the VRS frontier at the projection (> 1 increasing returns)",
                "status": "optimal, or which LP failed"}
        desc.update({f"mpss_{v}": f"most productive scale size: {v}" for v in self.mpss.columns})
        desc = {c: desc[c] for c in table.columns if c in desc}
        return io.Export(table=table, name="returns to scale", specification=rows, descriptions=desc,
                         extra_tables={"rts counts": self.counts().to_frame()},
                         title=f"frontier returns_to_scale: {self.orientation} ({self.rule})")


def plot_scale(res: ReturnsToScaleResult, path=None, *, lang: str = "en", ax=None, title: str | None = None,
               figsize=None):
    """Scale efficiency against the VRS score, one marker per returns-to-scale class.
    ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (7, 4.6))
    t = res.table
    for i, kind in enumerate(CLASSES):
        part = t[t["rts"] == kind]
        ax.scatter(part["vrs"], part["scale_efficiency"], s=18, color=colors[i], label=f"{kind} ({len(part)})")
    ax.set_xlabel(label("VRS score theta" if res.orientation == "input" else "VRS score phi", lang))
    ax.set_ylabel(label("scale efficiency", lang))
    legend_on_top(ax)
    ax.set_title(default_title(title, label("returns to scale ({rule}), n = {n}", lang, rule=res.rule, n=len(t))),
                 fontsize=10)
    ax.grid(True, alpha=0.3)
    return finish(fig, path)


ReturnsToScaleResult.PLOTS = {"scale": plot_scale}
