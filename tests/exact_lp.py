"""A small exact LP solver in rational arithmetic: the oracle the badly scaled tests compare against.

Dense two-phase simplex on :class:`fractions.Fraction` with Bland's rule (no cycling), for LPs of a few rows
and a few dozen columns. Floating-point data converted with ``Fraction(float)`` is represented exactly, so the
answer is the exact optimum of the instance the package was given.

    minimise c'x   s.t.  A_ub x <= b_ub,  A_eq x = b_eq,  x_j >= 0 (x_j free for j in ``free``)
"""
from __future__ import annotations

from fractions import Fraction


def _pivot(T, basis, r, c):
    p = T[r][c]
    T[r] = [v / p for v in T[r]]
    for i, row in enumerate(T):
        if i != r and row[c] != 0:
            f = row[c]
            T[i] = [a - f * b for a, b in zip(row, T[r])]
    basis[r] = c


def _simplex(T, basis, cost, allowed):
    """Minimise cost'x over the tableau T (rows [A | b] in canonical form for ``basis``); Bland's rule."""
    n = len(T[0]) - 1
    while True:
        reduced = [cost[j] - sum(cost[basis[i]] * T[i][j] for i in range(len(T))) for j in range(n)]
        entering = next((j for j in range(n) if allowed[j] and reduced[j] < 0), None)
        if entering is None:
            return "optimal"
        best = None
        for i, row in enumerate(T):
            if row[entering] > 0:
                ratio = row[-1] / row[entering]
                if best is None or ratio < best[0] or (ratio == best[0] and basis[i] < basis[best[1]]):
                    best = (ratio, i)
        if best is None:
            return "unbounded"
        _pivot(T, basis, best[1], entering)


def solve_lp(c, A_ub=(), b_ub=(), A_eq=(), b_eq=(), free=()):
    """Exact optimum: ``(status, value, x)`` with status "optimal", "infeasible" or "unbounded"."""
    c = [Fraction(v) for v in c]
    n = len(c)
    free = set(free)
    # free variables split as x = x+ - x-; the minus parts are appended after the n originals
    minus = sorted(free)
    cols = n + len(minus)

    def expand(row):
        row = [Fraction(v) for v in row]
        return row + [-row[j] for j in minus]

    rows, rhs = [], []
    n_ub = len(A_ub)
    for row, b in zip(A_ub, b_ub):
        rows.append(expand(row))
        rhs.append(Fraction(b))
    for row, b in zip(A_eq, b_eq):
        rows.append(expand(row))
        rhs.append(Fraction(b))
    m = len(rows)
    # slack columns for the <= rows, then one artificial per row
    width = cols + n_ub + m
    T = []
    for i in range(m):
        slack = [Fraction(int(i == k)) for k in range(n_ub)]
        full = rows[i] + slack
        b = rhs[i]
        if b < 0:
            full, b = [-v for v in full], -b
        T.append(full + [Fraction(int(i == k)) for k in range(m)] + [b])
    basis = [cols + n_ub + i for i in range(m)]
    phase1 = [Fraction(0)] * (cols + n_ub) + [Fraction(1)] * m
    _simplex(T, basis, phase1, [True] * width)
    if sum(T[i][-1] for i in range(m) if basis[i] >= cols + n_ub) > 0:
        return "infeasible", None, None
    # drive artificials out of the basis (a row where that is impossible is redundant)
    for i in range(m - 1, -1, -1):
        if basis[i] >= cols + n_ub:
            j = next((j for j in range(cols + n_ub) if T[i][j] != 0), None)
            if j is None:
                del T[i], basis[i]
            else:
                _pivot(T, basis, i, j)
    cost = c + [-c[j] for j in minus] + [Fraction(0)] * (n_ub + m)
    allowed = [True] * (cols + n_ub) + [False] * m
    if _simplex(T, basis, cost, allowed) == "unbounded":
        return "unbounded", None, None
    values = [Fraction(0)] * width
    for i, j in enumerate(basis):
        values[j] = T[i][-1]
    x = values[:n]
    for k, j in enumerate(minus):
        x[j] -= values[n + k]
    return "optimal", sum(ci * xi for ci, xi in zip(c, x)), x


# ----------------------------------------------------------------------------------------------------
# any registered model, stage by stage, in exact arithmetic
# ----------------------------------------------------------------------------------------------------

def solve_bounded(A, cost, col_lo, col_up, row_lo, row_up, fixed=None):
    """Exact optimum of ``min cost'x  s.t.  row_lo <= A x <= row_up,  col_lo <= x <= col_up`` (the engine's form;
    infinite bounds allowed); ``fixed`` maps a column to an exact value (a :class:`Fraction`) that overrides its
    bounds. Returns ``(status, value, x)`` with ``x`` the full column vector (Fractions)."""
    import math

    F = Fraction
    fixed = dict(fixed or {})
    R, C = len(A), len(cost)
    for j in range(C):
        if j not in fixed and col_lo[j] == col_up[j]:
            fixed[j] = F(col_lo[j])
    # every other column: x_j = base_j + sign_j z_k with z_k >= 0 (or free)
    base, sign, free, mapping = {}, {}, [], {}
    extra_ub, extra_b = [], []
    k = 0
    for j in range(C):
        if j in fixed:
            continue
        lo, up = col_lo[j], col_up[j]
        if math.isfinite(lo):
            base[j], sign[j] = F(lo), 1
            if math.isfinite(up):
                extra_ub.append(k)
                extra_b.append(F(up) - F(lo))
        elif math.isfinite(up):
            base[j], sign[j] = F(up), -1
        else:
            base[j], sign[j] = F(0), 1
            free.append(k)
        mapping[j] = k
        k += 1
    A_ub, b_ub, A_eq, b_eq = [], [], [], []
    for i in range(R):
        row = [F(0)] * k
        shift = F(0)
        for j in range(C):
            a = A[i][j]
            if a == 0:
                continue
            a = F(a)
            if j in fixed:
                shift += a * fixed[j]
            else:
                row[mapping[j]] += a * sign[j]
                shift += a * base[j]
        lo, up = row_lo[i], row_up[i]
        if math.isfinite(lo) and lo == up:
            A_eq.append(row)
            b_eq.append(F(lo) - shift)
            continue
        if math.isfinite(up):
            A_ub.append(row)
            b_ub.append(F(up) - shift)
        if math.isfinite(lo):
            A_ub.append([-v for v in row])
            b_ub.append(shift - F(lo))
    for z, b in zip(extra_ub, extra_b):
        A_ub.append([F(int(q == z)) for q in range(k)])
        b_ub.append(b)
    c = [F(0)] * k
    constant = F(0)
    for j in range(C):
        if j in fixed:
            constant += F(cost[j]) * fixed[j]
        else:
            c[mapping[j]] += F(cost[j]) * sign[j]
            constant += F(cost[j]) * base[j]
    status, value, z = solve_lp(c, A_ub, b_ub, A_eq, b_eq, free=free)
    if status != "optimal":
        return status, None, None
    x = [fixed[j] if j in fixed else base[j] + sign[j] * z[mapping[j]] for j in range(C)]
    return status, value + constant, x


def exact_evaluate(problem, super_efficiency=False):
    """Every stage of ``problem``'s model for every data row against all rows, each LP built by the engine's own
    stage (its per-DMU patch and reference columns, as :func:`frontier.engine.solve_robust` builds it) and solved
    exactly. A max-slack stage fixes the score column at the score stage's exact optimum (not at its rounding).

    Returns ``values`` (the stages' decoded outputs, per DMU: status, score, targets, ...), ``exact`` (per DMU, per
    stage name: ``(status, objective)`` as Fractions) and the spec, so a test can judge scores, statuses and the
    max-slack optimum."""
    import numpy as np
    from frontier import engine
    from frontier.models.base import MaxSlackStage, StageSolution

    spec = problem.spec(super_efficiency)
    d = problem.layout.d
    rows = problem.rows
    ref = np.ascontiguousarray(rows[:, :d])
    n = rows.shape[0]
    values = {"status": np.full(n, "not_solved", dtype=object)}
    exact = [dict() for _ in range(n)]
    own_column = [None] * n         # the exact value of each DMU's first own column in the stage solved last
    for stage in spec.stages:
        for i in np.flatnonzero(stage.select(values)):
            prev = {key: val[[i]] for key, val in values.items()}
            patch = stage.patch(rows[[i]], prev)
            excluded = i if stage.exclude_self else -1
            positions, costs = engine.robust._reference_columns(stage, ref, excluded)
            pos = np.concatenate(positions)
            blk = np.concatenate([np.full(p.size, b) for b, p in enumerate(positions)])
            A = np.hstack([patch.extra_matrix[0], engine.certify.column_matrix(stage, ref, pos, blk)])
            E = stage.n_extra_cols
            cost = np.concatenate([patch.extra_cost[0]] + costs)
            lo = np.concatenate([patch.extra_lower[0], np.zeros(pos.size)])
            up = np.concatenate([patch.extra_upper[0], np.full(pos.size, np.inf)])
            fixed = {0: own_column[i]} if isinstance(stage, MaxSlackStage) else None
            status, value, x = solve_bounded(A.tolist(), cost.tolist(), lo.tolist(), up.tolist(),
                                             patch.row_lower[0].tolist(), patch.row_upper[0].tolist(), fixed)
            exact[i][stage.name] = (status, value)
            if status == "optimal":
                own_column[i] = x[0]
                lam = x[E:]
                sums = [sum((F_(A[v][E + j]) * lam[j] for j in range(pos.size) if A[v][E + j] != 0), Fraction(0))
                        for v in range(d)]
                nz = [j for j in range(pos.size) if lam[j] != 0]
                per_ref = {}
                for j in nz:
                    per_ref[int(pos[j])] = per_ref.get(int(pos[j]), Fraction(0)) + lam[j]
                keys = sorted(per_ref)
                sol = StageSolution(np.array([status], dtype=object), np.array([float(value)]),
                                    np.array([[float(v) for v in x[:E]]]), np.array([[float(s) for s in sums]]),
                                    np.array([0, len(keys)]), np.array(keys, dtype=np.int64),
                                    np.array([float(per_ref[p]) for p in keys]), None)
            else:
                sol = StageSolution(np.array([status], dtype=object), np.array([np.nan]), np.full((1, E), np.nan),
                                    np.full((1, d), np.nan), np.array([0, 0]), np.zeros(0, dtype=np.int64),
                                    np.zeros(0), None)
            out = stage.decode(sol, rows[[i]], prev)
            for key, val in out.values().items():
                val = np.asarray(val)
                if key not in values:
                    values[key] = (np.full((n,) + val.shape[1:], None, dtype=object) if val.dtype == object
                                   else np.full((n,) + val.shape[1:], np.nan))
                values[key][i] = val[0]
    return values, exact, spec


def F_(v):
    return Fraction(float(v))


# ----------------------------------------------------------------------------------------------------
# badly scaled instances, every model configuration, and the judge of one frontier result
# ----------------------------------------------------------------------------------------------------

SCORE_TOL = 1e-6         # a score's largest accepted error, relative to the exact score
SLACK_TOL = 1e-6         # the max-slack optimum's, relative to the targets' and moved points' magnitude
PEER_TOL = 1e-6          # targets rebuilt from the peers, relative to their terms', the target's and moved point's


def badly_scaled_instance(rng, n_range=(5, 9)):
    """A small data set no tolerance can be trusted with: values log-uniform in 1e-8..1e12, about one in eight a
    1e-8 placeholder for a zero, and one outlier row scaled up by 1e6..1e10 (its own values capped at 1e15).
    Returns ``(frame, inputs, outputs, bad_outputs)`` (bad outputs in about half of the instances)."""
    import numpy as np
    import pandas as pd

    n = int(rng.integers(*n_range))
    m, s2 = int(rng.integers(1, 3)), int(rng.integers(0, 2))
    values = 10.0 ** rng.uniform(-8, 12, size=(n, m + 1 + s2))
    values[rng.random(values.shape) < 0.125] = 1e-8
    outlier = int(rng.integers(n))
    values[outlier] = np.minimum(values[outlier] * 10.0 ** rng.uniform(6, 10), 1e15)
    inputs, bads = [f"x{i}" for i in range(m)], [f"b{k}" for k in range(s2)]
    return pd.DataFrame(values, columns=inputs + ["y"] + bads), inputs, ["y"], bads


def model_configurations(has_bads):
    """Every registered model family that scores rows, with each orientation, returns to scale (CRS, VRS, NIRS),
    super-efficiency where the family supports it, and bad outputs under its default disposability: ``efficiency()``
    options, only the combinations the family accepts (``resolve_options``: super-EBM of the bounded non-oriented
    form is not defined)."""
    from frontier.models import REGISTRY, resolve_options

    for name, family in REGISTRY.items():
        if family.serves != "efficiency" or family.evaluates != "rows":
            continue    # the economic families need prices (tests/test_economic.py); network and dynamic models
                        # evaluate whole DMUs or entities (their own oracle tests)
        for orientation in family.orientations:
            for rts in ("crs", "vrs", "nirs"):
                for super_eff in (False, True) if family.super_efficiency else (False,):
                    options = dict(model=name, rts=rts, super_efficiency=super_eff)
                    if orientation is not None:
                        options["orientation"] = orientation
                    if family.directional:
                        options["direction"] = "observed"
                    if has_bads and "weak" in family.disposabilities:
                        options["bad_disposability"] = "strong"
                    try:
                        resolve_options(**options)
                    except ValueError as refused:
                        assert "not defined" in str(refused), (options, refused)
                        continue
                    yield options


def configuration_key(options):
    return "-".join(str(options[k]) for k in ("model", "orientation", "rts") if options.get(k)) + (
        "-super" if options.get("super_efficiency") else "")


def judge(res, df, inputs, outputs, bads, options):
    """Judge one ``efficiency()`` result against the exact pipeline (:func:`exact_evaluate`) of the same LPs.

    Per DMU: ``"nan"`` for an honest failure (NaN with status ``numerical_error``; ``slacks_numerical_error`` keeps
    a score, which is judged, and counts in ``slack_nan``), ``"wrong_status"`` for a status the exact LPs
    contradict (an "infeasible" for a feasible LP, a failed max-slack stage called infeasible, a number where
    the LP has none), ``"wrong_number"`` for a score off by more than ``SCORE_TOL``, a max-slack optimum off by
    more than ``SLACK_TOL`` or targets the reported peers do not rebuild (``PEER_TOL``); else ``"ok"``. Returns
    ``(counts, failures)`` with counts keyed by verdict and failures as readable tuples."""
    import numpy as np
    from frontier.models.base import MaxSlackStage
    from frontier.scoring import bind_model
    from frontier.data import validate_frame

    opts = dict(options)
    dea = validate_frame(df, inputs, outputs, bads or None)
    problem = bind_model(dea, df.index, model=opts["model"], orientation=opts.get("orientation"), rts=opts["rts"],
                         bad_disposability=opts.get("bad_disposability"), direction=opts.get("direction"),
                         super_efficiency=opts["super_efficiency"], weights=None, zeros="error", model_options={})
    values, exact, spec = exact_evaluate(problem, opts["super_efficiency"])
    slack_stage = next((s for s in spec.stages if isinstance(s, MaxSlackStage)), None)
    efficient = problem.family.efficient_value(problem.options.orientation)
    observed = df[list(inputs) + list(outputs) + list(bads)].to_numpy(dtype=float)
    goods = np.isin(np.arange(observed.shape[1]), np.arange(len(inputs), len(inputs) + len(outputs)))
    peers = res.peers.assign(row=res.peers.peer.map({label: i for i, label in enumerate(df.index)}))
    counts = {"ok": 0, "nan": 0, "slack_nan": 0, "wrong_status": 0, "wrong_number": 0}
    failures = []
    for o, label in enumerate(df.index):
        status, got = res.status.iloc[o], res.scores.iloc[o]
        exact_status, exact_score = values["status"][o], values["score"][o]
        if "detail_failed" in values and values["detail_failed"][o] == 1:   # the exact max-slack LP never fails
            raise AssertionError(f"exact max-slack stage failed: {exact_status}")     # once the score exists
        verdict = "ok"
        if status == "numerical_error":
            verdict = "nan" if np.isnan(got) else "wrong_number"
        elif exact_status != "optimal":
            verdict = "ok" if status == exact_status and np.isnan(got) else "wrong_status"
        elif not (status == "optimal" or status == "slacks_numerical_error"):
            verdict = "wrong_status"
        elif not np.isfinite(got) or abs(got - exact_score) > SCORE_TOL * max(abs(exact_score), 1e-300):
            verdict = "wrong_number"
        elif status == "slacks_numerical_error":
            counts["slack_nan"] += 1
        else:
            target = res.targets.iloc[o].to_numpy(dtype=float)
            # each variable is judged on its own scale: its target and the point its slack is measured from (target
            # -/+ slack; a snapped slack moves the target by a share of these), with that point's own terms where it
            # is a difference (DDF's x0 - beta g, known to the rounding of beta g), never the observed value (a slack
            # of 82,114 measured from a radially contracted 1e15 is not noise)
            moved = target - np.where(goods, 1.0, -1.0) * res.slacks.iloc[o].to_numpy(dtype=float)
            scale = np.abs(target) + np.abs(moved)
            if slack_stage is not None:
                move = slack_stage.score_stage.moved
                scale += np.abs(move(problem.rows[[o]], np.array([got])) - move(problem.rows[[o]], np.zeros(1)))[0] \
                    * problem.scale
                sign = np.sign(slack_stage.slack_cost)
                got_value = float(sign @ target)
                want = float(exact[o]["slacks"][1]) if "slacks" in exact[o] else got_value
                size = float(np.abs(sign) @ scale)
                if abs(got_value - want) > SLACK_TOL * size:
                    verdict = "wrong_number"
                    failures.append((configuration_key(options), label, "max-slack optimum", got_value, want))
            # targets are the peers' combination (but super-SBM's, which are the DMU's own values plus its slacks)
            mine = peers[peers.dmu == label]
            if verdict == "ok" and opts["super_efficiency"] and (mine.peer == label).any():
                verdict = "wrong_number"          # super-efficiency excludes the DMU from its own reference set
                failures.append((configuration_key(options), label, "its own peer under super-efficiency"))
            if verdict == "ok" and not (problem.family.name == "sbm" and opts["super_efficiency"]):
                weight, data = mine.weight.to_numpy(), observed[mine.row.to_numpy()]
                combination = weight @ data if len(mine) else np.zeros_like(target)
                size = (np.abs(weight) @ data if len(mine) else 0.0) + scale
                if (np.abs(combination - target) > PEER_TOL * size).any():
                    verdict = "wrong_number"
                    failures.append((configuration_key(options), label, "peers do not rebuild the targets",
                                     combination.tolist(), target.tolist()))
        counts[verdict] += 1
        if verdict in ("wrong_status", "wrong_number") and (not failures or failures[-1][1] != label):
            failures.append((configuration_key(options), label, status, got, exact_status, exact_score))
    return counts, failures


def judged_run(df, inputs, outputs, bads, options, method):
    """``efficiency()`` with ``options`` and ``method`` on one instance, judged (:func:`judge`). A model that refuses
    the data with a clear error (EBM's calibration when its additive model fails) counts every DMU as
    ``"refused"``: no number, no status, nothing wrong."""
    import warnings

    import frontier as fr

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = fr.efficiency(df, inputs, outputs, bads or None, method=method, **options)
    except ValueError as exc:
        if "declare epsilon" not in str(exc):
            raise
        return {"refused": len(df)}, []
    return judge(res, df, inputs, outputs, bads, options)
