"""``PartialFrontierResult``: the FDH, order-m or order-alpha scores of :func:`frontier.partial_frontier`, their
table, summary, export and figures (the scores, and the outlier curve of Daraio & Simar 2007)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import io
from .._plotting import default_title, colors as palette, figure, finish, legend_on_top
from .._text import check_lang, label
from .base import FileExports, Specification, Summary, SummaryViews, export_header, leading_columns, row_line

SOURCES = {"fdh": "free disposal hull (Deprins, Simar & Tulkens 1984)",
           "order_m": "order-m frontier (Cazals, Florens & Simar 2002)",
           "order_alpha": "order-alpha quantile frontier (Aragon, Daouia & Thomas-Agnan 2005; Daouia & Simar 2007)"}
NAMES = {"fdh": "FDH", "order_m": "order-m", "order_alpha": "order-alpha"}


def describe(estimator: str, orientation: str, m=None, alpha=None) -> str:
    """What a score is, in one line (the specification's ``description``)."""
    name = {"fdh": "FDH", "order_m": f"order-m (m = {m})",
            "order_alpha": f"order-alpha (alpha = {alpha:g})" if alpha is not None else "order-alpha"}[estimator]
    if orientation == "input":
        scale = "input efficiency theta (1 = on the frontier; " + \
                ("<= 1)" if estimator == "fdh" else "> 1 = super-efficient, beyond the partial frontier)")
    else:
        scale = "output efficiency phi (1 = on the frontier; " + \
                (">= 1)" if estimator == "fdh" else "< 1 = super-efficient, beyond the partial frontier)")
    return f"{name} {scale}"


@dataclass(frozen=True)
class PartialFrontierResult(SummaryViews, FileExports):
    """The outcome of :func:`frontier.partial_frontier`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    scores : Series. Input orientation: theta, the factor the DMU's inputs could shrink by (FDH <= 1; order-m and
        order-alpha > 1 = super-efficient). Output: phi, the factor its outputs could grow by (FDH >= 1; < 1 =
        super-efficient).
    std_error : Series, order-m's Monte Carlo standard error (sd of the B draws / sqrt(B)); None otherwise.
    n_reference : Series, the DMUs each score is taken over: those producing at least as much (input
        orientation) or using at most as much (output), the DMU itself included.
    estimator, orientation, m, alpha, B, random_state : as used (m, B, random_state order-m's; alpha order-alpha's;
        a seed drawn when none was given).
    outliers : DataFrame, the outlier curve (Daraio & Simar 2007): for each ``m`` (order-m, with the same draws) or
        ``alpha`` (order-alpha, and FDH), the ``share`` of the ``n`` DMUs that are super-efficient.
    spec : :class:`frontier.Specification` (``model`` is the estimator; ``rts`` ``"fdh"``, the free disposal hull
        technology every partial frontier is built on).
    ids : DataFrame of the ``id`` columns, else None.
    """

    scores: pd.Series
    std_error: pd.Series | None
    n_reference: pd.Series
    estimator: str
    orientation: str
    m: int | None
    alpha: float | None
    B: int | None
    random_state: object
    outliers: pd.DataFrame
    spec: Specification
    ids: pd.DataFrame | None = None

    @property
    def super_efficient(self) -> pd.Series:
        """True where the DMU lies beyond the partial frontier (theta > 1, or phi < 1)."""
        beyond = self.scores > 1 if self.orientation == "input" else self.scores < 1
        return beyond.rename("super_efficient")

    def to_frame(self) -> pd.DataFrame:
        """The scores (and order-m's standard errors) with ``n_reference``, led by the ``id`` columns, indexed like
        the data so the frame merges straight back onto it."""
        parts = [self.scores] + ([self.std_error] if self.std_error is not None else []) + [self.n_reference]
        return pd.concat(leading_columns(self.ids, None, self.scores.index) + parts, axis=1)

    def _settings_text(self) -> str:
        if self.estimator == "order_m":
            return f"m = {self.m}, B = {self.B} draws per DMU, seed {self.random_state!r}"
        if self.estimator == "order_alpha":
            return f"alpha = {self.alpha:g} (deterministic)"
        return "none (deterministic)"

    def summary(self) -> Summary:
        """The estimator and its settings, the mean score over the n DMUs, how many are on the frontier and
        super-efficient, and the reference sets' sizes."""
        s, scores = self.spec, self.scores
        title = f"frontier partial_frontier ({SOURCES[self.estimator]}): {s['description']}"
        rows = [("estimator", NAMES[self.estimator]), ("orientation", self.orientation),
                ("settings", self._settings_text()),
                ("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"),
                ("DMUs", len(scores)),
                ("score", f"mean {scores.mean():.4f} (n = {int(scores.notna().sum())}), median "
                          f"{scores.median():.4f}, min {scores.min():.4f}, max {scores.max():.4f}")]
        if self.std_error is not None:
            rows.append(("Monte Carlo error", f"mean std. error {self.std_error.mean():.4g} "
                                              f"(n = {int(self.std_error.notna().sum())})"))
        on_frontier = int(np.isclose(scores, 1.0, rtol=0, atol=1e-12).sum())
        rows.append(("on the frontier", f"{on_frontier} of {len(scores)} (score 1)"))
        if self.estimator != "fdh":
            beyond = int(self.super_efficient.sum())
            rows.append(("super-efficient", f"{beyond} of {len(scores)} ({100 * beyond / len(scores):.1f}%)"))
        rows.append(("reference sets", f"mean {self.n_reference.mean():.1f} DMUs, min {int(self.n_reference.min())}"
                                       f" (n = {len(scores)})"))
        if self.spec.call is not None:
            rows.append(("call", str(self.spec.call)))
        lines = [title] + [row_line(k, v) for k, v in rows]
        return Summary("\n".join(lines), title, rows)

    def __repr__(self) -> str:
        return f"<PartialFrontierResult {NAMES[self.estimator]} {self.orientation} n={len(self.scores)}>"

    # -- export and figures (the files: FileExports) -------------------------------------------------------
    def export(self, extra: dict | None = None) -> io.Export:
        """The table (:meth:`to_frame` with the identifying columns leading), the estimator and its settings as
        the specification, column descriptions, and the outlier curve as a second table (an Excel sheet)."""
        spec = self.spec
        table = io.index_to_columns(self.to_frame(), has_ids=self.ids is not None)
        rows = export_header(extra, spec.call)
        rows.append(("analysis", SOURCES[self.estimator]))
        rows.append(("score", spec["description"]))
        rows.append(("orientation", self.orientation))
        rows.append(("inputs", io.format_value(spec["inputs"])))
        rows.append(("outputs", io.format_value(spec["outputs"])))
        for key in ("m", "B", "alpha"):
            value = getattr(self, key)
            if value is not None:
                rows.append((key, str(value)))
        if self.estimator == "order_m":
            rows.append(("random_state", repr(self.random_state)))
        desc = {"score": spec["description"],
                "std_error": f"Monte Carlo standard error of the order-m score (B = {self.B} draws)",
                "n_reference": "DMUs the score is taken over: producing at least as much (input orientation) or "
                               "using at most as much (output), the DMU itself included"}
        desc = {c: desc[c] for c in table.columns if c in desc}
        return io.Export(table=table, name="partial frontier", specification=rows, descriptions=desc,
                         extra_tables={"outliers": self.outliers},
                         title=f"frontier partial_frontier: {NAMES[self.estimator]} {self.orientation}")


def plot_partial_scores(res: PartialFrontierResult, path=None, *, ax=None, title: str | None = None, bins: int = 30,
                        lang: str = "en", figsize=None):
    """A histogram of the scores, the frontier (1) dashed, the mean marked; super-efficient DMUs lie on the far
    side of 1. ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    scores = res.scores.dropna().to_numpy()
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (7, 4.6))
    ax.hist(scores, bins=bins, color=colors[0], alpha=0.75, edgecolor="white")
    ax.axvline(1.0, color="0.45", lw=0.9, ls="--", label=label("frontier (1)", lang))
    ax.axvline(scores.mean(), color=colors[1], lw=1.6, label=label("mean {value:.3f}", lang, value=scores.mean()))
    ax.set_xlabel(label("input efficiency theta" if res.orientation == "input" else "output efficiency phi", lang))
    ax.set_ylabel(label("number of DMUs", lang))
    legend_on_top(ax)
    ax.set_title(default_title(title, label("{estimator} {orientation} scores ({settings}), n = {n}", lang,
                                            estimator=NAMES[res.estimator], orientation=label(res.orientation, lang),
                                            settings=res._settings_text(), n=len(res.scores))), fontsize=10)
    ax.grid(True, axis="y", alpha=0.3)
    return finish(fig, path)


def plot_outliers(res: PartialFrontierResult, path=None, *, lang: str = "en", ax=None, title: str | None = None,
                  figsize=None):
    """The outlier plot of Daraio & Simar (2007): the share of super-efficient DMUs against m (order-m) or alpha
    (order-alpha, and FDH). A share that stays well above 0 as m grows (alpha nears 1) points to outliers: DMUs
    the full frontier would be built on. The result's own m or alpha is marked.
    ``lang="zh"``: the labels in Simplified Chinese (:data:`frontier._text.ZH`). Returns the Figure."""
    check_lang(lang)
    curve = res.outliers
    by = "m" if "m" in curve.columns else "alpha"
    colors = palette()
    fig, (ax,) = figure(ax, path, figsize or (7, 4.6))
    ax.plot(curve[by], 100 * curve["share"], marker="o", ms=3.5, color=colors[0],
            label=label("super-efficient DMUs (theta > 1)" if res.orientation == "input" else
                        "super-efficient DMUs (phi < 1)", lang))
    own = res.m if by == "m" else res.alpha
    if own is not None:
        ax.axvline(own, color=colors[1], lw=1.2, ls=":",
                   label=label("{by} = {own:g} (this result)", lang, by=by, own=own))
    if by == "m":
        ax.set_xscale("log")
    ax.set_xlabel(label("m (order-m, the same draws)" if by == "m" else "alpha (order-alpha; 1 = FDH)", lang))
    ax.set_ylabel(label("% of the {n} DMUs", lang, n=int(curve["n"].iloc[0])))
    ax.set_ylim(bottom=0)
    legend_on_top(ax)
    ax.set_title(default_title(title, label("partial frontiers: super-efficient DMUs (Daraio & Simar 2007)", lang)),
                 fontsize=11)
    ax.grid(True, alpha=0.3)
    return finish(fig, path)


PartialFrontierResult.PLOTS = {"scores": plot_partial_scores, "outliers": plot_outliers}
