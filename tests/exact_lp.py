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
