"""``bootstrap()``: bias-corrected radial efficiency scores and confidence intervals by the smoothed homogeneous
bootstrap of Simar & Wilson (1998, 2000).

DEA scores are estimates: the frontier is the convex hull of a sample, so it lies inside the true one, every score
is biased towards efficiency and has sampling noise. Simar & Wilson's bootstrap mimics the data-generating process
under the *homogeneity* assumption (the distribution of efficiency is the same everywhere on the frontier) and
re-estimates every score against many pseudo samples.

Algorithm (input orientation; output orientation is the same with the Farrell output score phi >= 1 in place of the
Shephard input distance delta = 1/theta >= 1, and outputs in place of inputs). The bootstrap works on the distance
scale, where values are >= 1 with a boundary at 1:

1. Estimate delta_j = 1/theta_j of every DMU by DEA (CRS or VRS).
2. Bandwidth h (``bandwidth=``): Silverman's normal-reference rule h0 = 1.06 min(sd, IQR/1.34) N^(-1/5) or least
   squares cross-validation (Gaussian kernel, pair distances binned as R's ``bw.ucv``), both on the reflected sample
   {delta_j, 2 - delta_j} of the N/2 estimates with delta_j > 1 (efficient DMUs left out, their spike at 1 would
   drive h to 0), then rescaled to the full sample of n: h = h0 (N/n)^(1/5) sd(delta)/sd(reflected) (Daraio &
   Simar 2007, eqs. 3.23-3.26; Benchmarking's ``boot.sw98`` does the same with the constant 0.9). A number is used
   as given.
3. For b = 1..B: draw beta_1..beta_n with replacement from the 2n reflected values {delta_j, 2 - delta_j}; add
   kernel noise and correct the variance, d_j = mean(beta) + (beta_j + h eps_j - mean(beta)) / sqrt(1 + h^2 / s^2)
   (eps_j standard normal, s^2 the variance of the reflected sample); reflect back, delta**_j = d_j if d_j >= 1 else
   2 - d_j; the pseudo DMU j lies on the ray through its estimated frontier point: x*_j = (delta**_j / delta_j) x_j,
   y*_j = y_j (output orientation: y*_j = (phi_j / phi**_j) y_j, x*_j = x_j).
4. Re-estimate every original DMU against the pseudo reference set: delta*_b(j). The DMU is not in that set, so
   theta*_b(j) > 1 (phi*_b(j) < 1) is possible and is kept.
5. bias(j) = mean_b delta*_b(j) - delta_j; bias-corrected delta~_j = delta_j - bias(j); the (1 - alpha) interval
   is [delta_j - q(1 - alpha/2), delta_j - q(alpha/2)], q the empirical quantiles (numpy's linear rule) of
   delta*_b(j) - delta_j (Simar & Wilson 1998). Simar & Wilson (2000) advise using the corrected
   score only when bias^2 / var > 1/3 (var the bootstrap variance of delta*): reported as ``bias_to_variance``
   (the ratio) and ``correction_advised`` (the flag), both on the distance scale.

Results are reported in the package's score convention (:func:`frontier.efficiency`): input theta = 1/delta <= 1,
with the interval [1/upper_delta, 1/lower_delta]; output phi >= 1 as is. ``bias`` is always ``score -
bias_corrected`` in the score's own units, so it is positive for theta (DEA overstates input efficiency) and
negative for phi.

Computation: every replicate is one batch of n LPs against a new reference set, evaluated with
:meth:`frontier.problem.Problem.evaluate_many`, so all B replicates go through one parallel map of the engine
(joblib processes, exact column generation in every LP, score stage only). All random numbers are drawn up front in
the calling process from ``numpy.random.default_rng(random_state)``: the same seed gives the same numbers whatever
``n_jobs`` and backend. A replicate LP that fails is NaN (its status is kept in ``replicate_failures``) and left out
of that DMU's bias, variance and interval; ``n_replicates`` counts the replicates used.

Scope: radial (CCR / BCC) models of inputs and desirable outputs only, the models with an established bootstrap
theory (Kneip, Simar & Wilson 2008). SBM, the directional family and bad outputs are refused rather than offered
an unproven bootstrap. Panels: ``period=`` with a contemporaneous technology bootstraps each period on its own (its
own bandwidth); ``technology="global"`` pools all periods into one frontier.

Sources: Simar, L. & Wilson, P.W. (1998) Management Science 44:49-61; (2000) Journal of Applied Statistics
27:779-802; Daraio, C. & Simar, L. (2007) Advanced Robust and Nonparametric Methods in Efficiency Analysis,
Springer, ch. 3; Silverman, B.W. (1986) Density Estimation, sec. 3.4; Bogetoft & Otto's R package Benchmarking
(``boot.sw98``) for the bandwidth's rescaling.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import _rows, as_column_list, check_engine_options, option_value, validate_frame
from .models import resolve_options
from .problem import Problem
from .results import Specification, Summary, _FileExports, _row_line, _SummaryViews, leading_columns
from .scoring import _identifiers, evaluation_groups, progress_bar
from .options import BANDWIDTH_RULES, BOOTSTRAP_TECHNOLOGIES as TECHNOLOGIES

SILVERMAN_CONSTANT = 1.06
EFFICIENT_TOL = 1e-6          # a distance within this of 1 counts as efficient when the bandwidth is chosen
LSCV_BINS = 1000              # pair distances binned as R's bw.ucv (nb = 1000)
MAP_VALUES = 10_000_000       # pseudo-data numbers per parallel map (80 MB): bounds memory for large n x B
ESTIMATE_COLUMNS = ("score", "bias", "bias_corrected", "lower", "upper", "bias_to_variance", "correction_advised",
                    "n_replicates", "status")


MIN_REPLICATES = 2            # an interval (and a variance) needs at least two replicates


def check_replicates(B, name: str) -> int:
    """The number of bootstrap replicates as an int; a ValueError (naming the argument ``name``) unless it is a whole
    number >= MIN_REPLICATES. The one rule for :func:`bootstrap` (``B``) and the Malmquist bootstrap
    (``productivity(..., bootstrap=B)``)."""
    if isinstance(B, (bool, np.bool_)) or not isinstance(B, numbers.Integral) or B < MIN_REPLICATES:
        raise ValueError(f"{name} (the number of bootstrap replicates) must be a whole number >= {MIN_REPLICATES}, "
                         f"got {B!r}: an interval needs at least two replicates; Simar & Wilson use 2000")
    return int(B)


def refuse_dmus_without_inputs(X: np.ndarray, labels: pd.Index) -> None:
    """Raise, naming the rows, for DMUs whose inputs are all zero: the Simar & Wilson bootstraps assume no output
    without input. Such a DMU has no radial distance of its own (its LP is unbounded) and no frontier projection to
    draw pseudo data on; with an output it also makes the input distance 1/theta of every DMU it dominates infinite
    (theta = 0). Leaving it out of the reference sets would bootstrap another technology, so it is refused."""
    none = ~(X > 0).any(axis=1)
    if none.any():
        raise ValueError(f"rows {_rows(labels[none])} have every input zero: the bootstrap's model has no output "
                         "without input (their radial LP is unbounded, and they make the input distance of the DMUs "
                         "they dominate infinite); drop those rows, or fix their inputs")


# ----------------------------------------------------------------------------------------------------
# bandwidth
# ----------------------------------------------------------------------------------------------------

def _spread(values: np.ndarray) -> float:
    """min(sd, IQR/1.34), the robust spread of Silverman's rule (sd alone when the IQR is 0)."""
    sd = values.std(ddof=1)
    q75, q25 = np.percentile(values, [75, 25])
    iqr = (q75 - q25) / 1.34
    return float(iqr) if 0 < iqr < sd else float(sd)


def lscv_bandwidth(values: np.ndarray) -> float:
    """Least-squares cross-validation bandwidth of a Gaussian kernel density estimate of ``values``.

    LSCV(h) = 1/(2 N h sqrt(pi)) + 1/(N^2 h sqrt(pi)) sum_{i<j} [exp(-D_ij^2/(4h^2)) - sqrt(8) exp(-D_ij^2/(2h^2))]
    with the pair distances D_ij binned into ``LSCV_BINS`` bins, minimised over [0.1 hmax, hmax], hmax = 1.144
    sd N^(-1/5): R's ``bw.ucv``. The pairs are counted in blocks, so memory stays O(N) for large N.
    """
    from scipy.optimize import minimize_scalar

    x = np.sort(np.asarray(values, dtype=float))
    N = len(x)
    width = (x[-1] - x[0]) / LSCV_BINS
    counts = np.zeros(LSCV_BINS + 1)
    for a in range(0, N, 2048):
        block = x[a: a + 2048]
        diff = block[:, None] - x[None, :]
        # each pair once: j > i
        upper = np.arange(a, a + len(block))[:, None] < np.arange(N)[None, :]
        bins = np.minimum((np.abs(diff[upper]) / width).astype(np.int64), LSCV_BINS)
        counts += np.bincount(bins, minlength=LSCV_BINS + 1)
    centers = (np.arange(LSCV_BINS + 1) + 0.5) * width

    def lscv(h: float) -> float:
        u2 = (centers / h) ** 2
        terms = np.exp(-u2 / 4) - np.sqrt(8.0) * np.exp(-u2 / 2)
        return (0.5 + (counts * terms).sum() / N) / (N * h * np.sqrt(np.pi))

    hmax = 1.144 * x.std(ddof=1) * N ** (-0.2)
    grid = np.geomspace(0.1 * hmax, hmax, 40)
    best = int(np.argmin([lscv(h) for h in grid]))
    lo, hi = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    found = minimize_scalar(lscv, bounds=(lo, hi), method="bounded", options={"xatol": 1e-6 * hmax})
    return float(found.x)


def choose_bandwidth(distance: np.ndarray, rule, where: str = "") -> float:
    """The kernel bandwidth for the distances (>= 1) of one reference set: see the module docstring, step 2."""
    if not isinstance(rule, str):
        return float(rule)
    inefficient = distance[distance > 1 + EFFICIENT_TOL]
    if len(inefficient) < 2:
        raise ValueError(f"bandwidth={rule!r} needs at least 2 inefficient DMUs{where} to estimate the density of "
                         f"efficiency, found {len(inefficient)}; pass bandwidth=<number>")
    reflected = np.concatenate([inefficient, 2 - inefficient])
    N = len(reflected)
    if rule == "silverman":
        h0 = SILVERMAN_CONSTANT * _spread(reflected) * N ** (-0.2)
    else:
        h0 = lscv_bandwidth(reflected)
    return float(h0 * (N / len(distance)) ** 0.2 * distance.std(ddof=1) / reflected.std(ddof=1))


# ----------------------------------------------------------------------------------------------------
# the smoothed, reflected draws
# ----------------------------------------------------------------------------------------------------

def smoothed_draws(distance: np.ndarray, h: float, index: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """The pseudo distances delta** (B x n, all >= 1) from pre-drawn positions ``index`` (B x n, in 0..2n-1) into
    the reflected sample {delta, 2 - delta} and standard normal ``noise`` (B x n): step 3 of the algorithm."""
    reflected = np.concatenate([distance, 2 - distance])
    beta = reflected[index]
    centre = beta.mean(axis=1, keepdims=True)
    variance = reflected.var(ddof=1)
    # a sample with no spread (every DMU efficient, with a given bandwidth) has nothing to correct: kernel noise only
    shrink = 1 / np.sqrt(1 + h ** 2 / variance) if variance > 0 else 1.0
    d = centre + (beta + h * noise - centre) * shrink
    return np.where(d < 1, 2 - d, d)


def pseudo_sample(points: np.ndarray, distance: np.ndarray, draws: np.ndarray, side: slice) -> np.ndarray:
    """Pseudo data (B x n x d): every DMU moved along its ray from the estimated frontier point, the inputs
    (input orientation: x* = delta**/delta x) or the outputs (output: y* = phi/phi** y) on ``side``."""
    pseudo = np.broadcast_to(points, (draws.shape[0],) + points.shape).copy()
    factor = draws / distance if side.start == 0 else distance / draws
    pseudo[:, :, side] *= factor[:, :, None]
    return pseudo


# ----------------------------------------------------------------------------------------------------
# the result
# ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BootstrapResult(_SummaryViews, _FileExports):
    """The outcome of :func:`frontier.bootstrap`, one row per DMU (aligned to the data's index).

    Attributes
    ----------
    estimates : DataFrame with ``score`` (as :func:`frontier.efficiency`: input theta <= 1, output phi >= 1),
        ``bias`` (= score - bias_corrected), ``bias_corrected``, ``lower``, ``upper`` (the (1 - alpha) interval),
        ``bias_to_variance`` (bias^2 / bootstrap variance on the distance scale), ``correction_advised``
        (``bias_to_variance > 1/3``, Simar & Wilson's rule), ``n_replicates`` (replicates whose LP solved) and
        ``status`` (the LP status of the original score; NaN estimates where it is not optimal).
    replicates : DataFrame B x n, the re-estimated scores theta*_b (phi*_b) of every DMU in every replicate (columns
        the data's index; NaN where the replicate's LP failed).
    draws : DataFrame B x n, the smoothed reflected pseudo distances delta** (phi**) that made each replicate's
        pseudo data (NaN for DMUs whose original score is missing).
    replicate_failures : tidy DataFrame ``(replicate, dmu, status)`` of the replicate LPs that failed.
    bandwidth : float, the kernel bandwidth used; with ``period=`` and a contemporaneous technology a Series by
        period (each period is bootstrapped on its own).
    B, alpha, bandwidth_rule, random_state : the settings.
    spec : :class:`frontier.Specification` of the model.
    periods, ids : as in :class:`frontier.EfficiencyResult`.
    """

    estimates: pd.DataFrame
    replicates: pd.DataFrame
    draws: pd.DataFrame
    replicate_failures: pd.DataFrame
    bandwidth: float | pd.Series
    B: int
    alpha: float
    bandwidth_rule: str
    random_state: object
    spec: Specification
    periods: pd.Series | None = None
    ids: pd.DataFrame | None = None

    @property
    def scores(self) -> pd.Series:
        return self.estimates["score"]

    @property
    def bias_corrected(self) -> pd.Series:
        return self.estimates["bias_corrected"]

    @property
    def n_failed_replicates(self) -> int:
        return len(self.replicate_failures)

    def to_frame(self) -> pd.DataFrame:
        """The estimates, indexed like the data and led by the ``id`` and period columns (as
        :meth:`frontier.EfficiencyResult.to_frame`), so the frame merges straight back onto the data."""
        return pd.concat(leading_columns(self.ids, self.periods, self.estimates.index) + [self.estimates], axis=1)

    def _bandwidth_text(self) -> str:
        if isinstance(self.bandwidth, pd.Series):
            return ", ".join(f"{p}: {h:.4g}" for p, h in self.bandwidth.items()) + f" ({self.bandwidth_rule})"
        return f"{self.bandwidth:.4g} ({self.bandwidth_rule})"

    def summary(self) -> Summary:
        """The specification, the bootstrap settings, LP outcomes and the mean score, bias-corrected score and
        interval width. Prints as text; in a notebook it renders as HTML tables (:class:`frontier.results.Summary`)."""
        e, s = self.estimates, self.spec
        title = f"frontier bootstrap (Simar & Wilson smoothed homogeneous bootstrap): {s['description']}"
        rows = [(k, s[k]) for k in ("model", "orientation", "rts", "technology") if s.get(k) is not None]
        rows.append(("variables", f"inputs {s['inputs']}, outputs {s['outputs']}"))
        rows.append(("DMUs", len(e)))
        rows.append(("replicates", f"B = {self.B}, seed {self.random_state!r}"))
        rows.append(("bandwidth", self._bandwidth_text()))
        rows.append(("interval", f"{100 * (1 - self.alpha):g}% percentile interval (Simar & Wilson 1998)"))
        rows.append(("LP status", ", ".join(f"{k}: {v}" for k, v in e["status"].value_counts().items())))
        total = self.B * int((e["status"] == "optimal").sum())
        rows.append(("replicate LPs", f"{total - self.n_failed_replicates} of {total} optimal"
                     + (f"; {self.n_failed_replicates} failed, left out of the intervals" if self.n_failed_replicates
                        else "")))
        ok = e.dropna(subset=["score", "lower", "upper"])
        tables = {}
        if len(ok):
            rows.append(("score", f"mean {ok['score'].mean():.4f}, bias-corrected mean "
                                  f"{ok['bias_corrected'].mean():.4f}"))
            rows.append(("interval width", f"mean {(ok['upper'] - ok['lower']).mean():.4f}"))
            advised = int(ok["correction_advised"].astype(bool).sum())
            rows.append(("bias correction", f"advised (bias^2/var > 1/3) for {advised} of {len(ok)} DMUs"))
            if self.periods is not None:
                by = ok.groupby(self.periods.loc[ok.index])[["score", "bias_corrected", "lower", "upper"]].mean()
                tables["means by period"] = by
        lines = [title] + [_row_line(k, v) for k, v in rows]
        for name, table in tables.items():
            lines.append(f"  {name}:")
            lines.append("    " + table.round(4).to_string().replace("\n", "\n    "))
        return Summary("\n".join(lines), title, rows, tables)

    def __repr__(self) -> str:
        s = self.spec
        return f"<BootstrapResult radial {s['orientation']} {s['rts']} n={len(self.estimates)} B={self.B}>"

    # -- export and plots -----------------------------------------------------------------------------
    def _write(self, path, fmt: str) -> None:
        from .io import write_table

        export = bootstrap_export(self)
        write_table(export.table, path, export=export, fmt=fmt)

    def plot(self, path=None, **kwargs):
        """Scores with their intervals, sorted; see :func:`frontier.plots.plot_bootstrap`."""
        from .plots import plot_bootstrap

        return plot_bootstrap(self, path, **kwargs)


def bootstrap_export(res: BootstrapResult, extra: dict | None = None):
    """The table, specification and column descriptions of a :class:`BootstrapResult` (:class:`frontier.io.Export`)."""
    from .io import Export, _header, _index_to_columns, _status_counts

    spec = res.spec
    table = _index_to_columns(res.to_frame(), has_ids=res.ids is not None)
    # 1 = advised, 0 = not, missing where there is no estimate (a nullable boolean does not reach every format)
    table["correction_advised"] = table["correction_advised"].to_numpy(dtype=float, na_value=np.nan)
    rows = _header(extra)
    rows.append(("analysis", "smoothed homogeneous bootstrap with reflection (Simar & Wilson 1998, 2000)"))
    rows.append(("score", spec.get("description", "")))
    for key in ("model", "orientation", "rts", "period", "technology", "inputs", "outputs"):
        value = spec.get(key)
        if value is not None and value != ():
            rows.append((key, " ".join(map(str, value)) if isinstance(value, tuple) else str(value)))
    rows.append(("replicates", str(res.B)))
    rows.append(("alpha", str(res.alpha)))
    rows.append(("bandwidth", res._bandwidth_text()))
    rows.append(("random_state", repr(res.random_state)))
    rows.append(("LP status", _status_counts(res.estimates["status"])))
    rows.append(("failed replicate LPs", str(res.n_failed_replicates)))
    level = f"{100 * (1 - res.alpha):g}%"
    desc = {"score": f"DEA estimate: {spec.get('description', '')}",
            "bias": "bootstrap bias estimate, score - bias_corrected (in the score's units)",
            "bias_corrected": "bias-corrected score (use when correction_advised)",
            "lower": f"lower bound of the {level} bootstrap interval", "upper": f"upper bound of the {level} interval",
            "bias_to_variance": "bias^2 / bootstrap variance on the distance scale (1/theta, or phi)",
            "correction_advised": "1 if bias_to_variance > 1/3 (Simar & Wilson 2000): bias correction advised; else 0",
            "n_replicates": "replicates whose LP solved (the others are left out of bias and interval)",
            "status": "LP status of the original score: optimal, or why the estimates are missing"}
    if spec.get("period"):
        desc[spec["period"]] = "period"
    desc = {c: desc[c] for c in table.columns if c in desc}
    return Export(table=table, name="bootstrap", specification=rows, descriptions=desc,
                  title=f"frontier bootstrap: radial {spec['orientation']} {spec['rts']}, B = {res.B}")


# ----------------------------------------------------------------------------------------------------
# the entry point
# ----------------------------------------------------------------------------------------------------

def _check_settings(model, bad_outputs, B, alpha, bandwidth, technology) -> tuple:
    model = option_value(model)
    if model != "radial":
        raise ValueError(f"bootstrap covers model='radial' only, got model={model!r}: the Simar-Wilson bootstrap "
                         "has established theory for radial (CCR/BCC) efficiency; none is established for SBM or "
                         "the directional (DDF) family, so none is offered")
    if as_column_list(bad_outputs, "bad_outputs"):
        raise ValueError("bootstrap covers inputs and desirable outputs only: the Simar-Wilson theory does not "
                         "cover bad outputs held at their level, so bad_outputs is refused")
    B = check_replicates(B, "B")
    if isinstance(alpha, (bool, np.bool_)) or not isinstance(alpha, (int, float, np.floating)) \
            or not 0 < alpha < 1:
        raise ValueError(f"alpha must be a number in (0, 1) (0.05 for 95% intervals), got {alpha!r}")
    if isinstance(bandwidth, str):
        bandwidth = option_value(bandwidth)
        if bandwidth not in BANDWIDTH_RULES:
            raise ValueError(f"bandwidth must be 'silverman', 'lscv' or a positive number, got {bandwidth!r}")
    elif isinstance(bandwidth, (bool, np.bool_)) or not isinstance(bandwidth, (int, float, np.integer, np.floating)) \
            or not np.isfinite(bandwidth) or bandwidth <= 0:
        raise ValueError(f"bandwidth must be 'silverman', 'lscv' or a positive number, got {bandwidth!r}")
    technology = "contemporaneous" if technology is None else option_value(technology)
    if technology not in TECHNOLOGIES:
        raise ValueError(f"bootstrap takes technology 'contemporaneous' (each period its own frontier, "
                         f"bootstrapped on its own) or 'global' (one pooled frontier), got {technology!r}: "
                         "sequential and window frontiers share observations between reference sets, which the "
                         "Simar-Wilson bootstrap does not cover")
    return model, B, float(alpha), bandwidth, technology


def bootstrap(
    data: pd.DataFrame,
    inputs,
    outputs,
    bad_outputs=None,
    *,
    id=None,
    model: str = "radial",
    orientation: str = "input",
    rts: str = "vrs",
    B: int = 2000,
    alpha: float = 0.05,
    bandwidth="silverman",
    random_state=None,
    period: str | None = None,
    technology: str | None = None,
    n_jobs: int = 1,
    method: str = "auto",
    chunk_size: int | None = None,
    progress: bool | None = None,
) -> BootstrapResult:
    """Bias-corrected radial efficiency scores and confidence intervals by the smoothed homogeneous bootstrap of
    Simar & Wilson (1998, 2000); the algorithm is stated in :mod:`frontier.efficiency_bootstrap`.

    Parameters
    ----------
    data, inputs, outputs, id : as :func:`frontier.efficiency`. ``bad_outputs`` is refused (not covered).
    model : ``"radial"``, the only model with an established bootstrap; others raise ``ValueError``.
    orientation : ``"input"`` (theta <= 1) or ``"output"`` (phi >= 1), the conventions of :func:`frontier.efficiency`.
    rts : ``"crs"`` or ``"vrs"``.
    B : number of bootstrap replicates (B x n LPs); Simar & Wilson use 2000 for intervals.
    alpha : the intervals are (1 - alpha) intervals.
    bandwidth : ``"silverman"`` (normal-reference rule, default), ``"lscv"`` (least-squares cross-validation) or a
        positive number; the value used is ``result.bandwidth``.
    random_state : seed (int) or ``numpy.random.Generator``; the same seed gives the same numbers whatever ``n_jobs``.
    period, technology : ``period=`` with ``technology="contemporaneous"`` (default) bootstraps each period against
        its own frontier; ``"global"`` pools all periods. Sequential and window technologies are refused.
    n_jobs, method, chunk_size, progress : engine options as :func:`frontier.efficiency` (the progress bar counts
        the B x n replicate LPs).
    """
    model, B, alpha, rule, technology = _check_settings(model, bad_outputs, B, alpha, bandwidth, technology)
    if period is None and technology != "contemporaneous":
        raise ValueError(f"technology={technology!r} needs period= (the column, or index level, of periods)")
    check_engine_options(n_jobs, chunk_size)
    method = option_value(method)
    frame = data
    from_index = period is not None and period not in frame.columns and period in frame.index.names
    id_columns = as_column_list(id, "id")
    other = list(dict.fromkeys(id_columns + ([period] if period is not None and not from_index else [])))
    dea = validate_frame(frame, inputs, outputs, [], other_columns=other)
    refuse_dmus_without_inputs(dea.X, frame.index)
    if period is None:
        period_values = None
    elif from_index:
        period_values = pd.Series(frame.index.get_level_values(period), index=frame.index, name=period)
    else:
        period_values = frame[period].copy()
    ids = _identifiers(frame, id_columns, period_values)
    options = resolve_options(model, orientation=orientation, rts=rts)
    if options.rts not in ("crs", "vrs"):
        raise ValueError(f"bootstrap takes rts 'crs' or 'vrs', got {options.rts!r}")
    problem = Problem(dea, options)
    n, labels = len(frame), frame.index
    if technology == "global":          # one pooled frontier: the periods are one sample
        evaluation_groups(labels, period, period_values, technology, None, np.ones(n, dtype=bool))  # checks
        groups = [(np.arange(n), np.arange(n))]
    else:
        groups = evaluation_groups(labels, period, period_values, technology, None, np.ones(n, dtype=bool))

    originals = problem.evaluate_many(groups, detail=False, n_jobs=n_jobs, method=method, chunk_size=chunk_size)
    score = np.full(n, np.nan)
    status = np.full(n, "not_solved", dtype=object)
    for (ev, _), out in zip(groups, originals):
        score[ev], status[ev] = out.score, out.status
    # the bootstrap works on distances >= 1: the Shephard input distance 1/theta, or the Farrell output phi; theta = 0
    # (a DMU without output under CRS: it adds nothing to the others' frontier) is an infinite distance
    with np.errstate(divide="ignore"):
        distance = 1.0 / score if options.orientation == "input" else score.copy()
    side = slice(0, problem.layout.m) if options.orientation == "input" else slice(problem.layout.m,
                                                                                  problem.layout.d)

    rng = random_state if isinstance(random_state, np.random.Generator) else np.random.default_rng(random_state)
    draws = np.full((B, n), np.nan)
    members, bandwidths = [], {}
    for ev, _ in groups:                # ev is also the reference set: contemporaneous periods, or one pool
        where = "" if period is None or technology == "global" else f" in period {period_values.iloc[ev[0]]!r}"
        rows = ev[np.isfinite(distance[ev])]          # DMUs whose distance is missing or infinite take no part
        if len(rows) < 2:
            raise ValueError(f"the bootstrap needs at least 2 DMUs with a score{where}, found {len(rows)}")
        h = choose_bandwidth(distance[rows], rule, where)
        bandwidths[period_values.iloc[ev[0]] if where else None] = h
        # every random number is drawn here, in the calling process, in a fixed order
        index = rng.integers(0, 2 * len(rows), size=(B, len(rows)))
        noise = rng.standard_normal((B, len(rows)))
        draws[:, rows] = smoothed_draws(distance[rows], h, index, noise)
        members.append(rows)

    replicates = np.full((B, n), np.nan)
    failures = []
    n_scored = sum(len(rows) for rows in members)
    with progress_bar(progress, B * n_scored) as advance:
        # the replicates go through the engine's parallel map together, in as few maps as keep the pseudo data (all
        # held at once by the map) under MAP_VALUES numbers: one map for B = 2000, n = 300
        per_map = max(1, MAP_VALUES // max(1, n_scored * problem.layout.d))
        for first in range(0, B, per_map):
            block = range(first, min(first + per_map, B))
            requests, owners = [], []
            for rows in members:
                pseudo = pseudo_sample(dea.matrix[rows], distance[rows], draws[block.start: block.stop][:, rows], side)
                requests.extend((rows, pseudo[i]) for i in range(len(block)))
                owners.extend((b, rows) for b in block)
            outs = problem.evaluate_many(requests, detail=False, n_jobs=n_jobs, method=method, chunk_size=chunk_size,
                                         progress=advance)
            for (b, rows), out in zip(owners, outs):
                replicates[b, rows] = out.score
                bad = out.status != "optimal"
                failures.extend((b, labels[r], s) for r, s in zip(rows[bad], out.status[bad]))

    estimates = _estimates(score, replicates, options.orientation, alpha)
    estimates["status"] = status.astype(str)
    spec = Specification(
        model="radial", orientation=options.orientation, rts=options.rts, super_efficiency=False,
        bad_disposability=None, direction=None, weights=None, zeros=options.zeros, inputs=dea.inputs,
        outputs=dea.outputs, bad_outputs=(), description=problem.description(),
        period=period, technology=technology if period is not None else None, reference="all rows",
        id=tuple(id_columns))
    bandwidth_value = bandwidths[None] if None in bandwidths else pd.Series(bandwidths, name="bandwidth")
    if isinstance(bandwidth_value, pd.Series):
        bandwidth_value.index.name = period
    replicate_index = pd.RangeIndex(B, name="replicate")
    return BootstrapResult(
        estimates=pd.DataFrame(estimates, index=labels)[list(ESTIMATE_COLUMNS)],
        replicates=pd.DataFrame(replicates, index=replicate_index, columns=labels),
        draws=pd.DataFrame(draws, index=replicate_index, columns=labels),
        replicate_failures=pd.DataFrame(failures, columns=["replicate", "dmu", "status"]),
        bandwidth=bandwidth_value, B=B, alpha=alpha, bandwidth_rule=rule if isinstance(rule, str) else "given",
        random_state=random_state if not isinstance(random_state, np.random.Generator) else "Generator",
        spec=spec, periods=period_values, ids=ids)


def _estimates(score: np.ndarray, replicates: np.ndarray, orientation: str, alpha: float) -> dict:
    """Bias, bias-corrected score, interval and the bias-to-variance ratio per DMU (step 5), computed on the
    distance scale and reported in the score's convention. Failed replicates (NaN) are left out per DMU."""
    to_distance = (lambda v: 1.0 / v) if orientation == "input" else (lambda v: v)
    with np.errstate(divide="ignore"):            # theta = 0: an infinite distance, no estimates
        distance, boot = to_distance(score), to_distance(replicates)
    used = np.isfinite(boot).sum(axis=0)
    enough = np.isfinite(distance) & (used >= 2)
    boot = boot[:, enough]
    bias = np.full(len(score), np.nan)
    variance, low_q, high_q = bias.copy(), bias.copy(), bias.copy()
    bias[enough] = np.nanmean(boot, axis=0) - distance[enough]
    variance[enough] = np.nanvar(boot, axis=0, ddof=1)
    low_q[enough], high_q[enough] = np.nanquantile(boot - distance[enough], [alpha / 2, 1 - alpha / 2], axis=0)
    corrected = distance - bias
    lower, upper = distance - high_q, distance - low_q
    if orientation == "input":
        corrected, lower, upper = 1.0 / corrected, 1.0 / upper, 1.0 / lower
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(variance > 0, bias ** 2 / variance, np.where(bias == 0, 0.0, np.inf))
    ratio[~enough] = np.nan
    advised = pd.array(np.where(enough, ratio > 1 / 3, False), dtype="boolean")
    advised[~enough] = pd.NA
    return {"score": score, "bias": score - corrected, "bias_corrected": corrected, "lower": lower, "upper": upper,
            "bias_to_variance": ratio, "correction_advised": advised, "n_replicates": used}
