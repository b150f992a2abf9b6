"""An independent oracle for ``fr.zsg``: Lins et al. (2003)'s nonlinear ZSG program solved directly.

``fr.zsg`` finds the ZSG efficiency as the root of g(c(h)) - h with Brent's method, g being the radial LP with the
other DMUs' fixed-total variable scaled by c (see docs/zsg.md). The oracle here does not use that reduction: it
takes the nonlinear program itself, in (h, lambda) (Lins, Gomes, Soares de Mello & Soares de Mello 2003; input side
as in Gomes & Lins 2008),

    min h  s.t.  sum_j lambda_j y_j >= y_o,
                 sum_j lambda_j x_ij <= h x_io                               (i != k),
                 lambda_o x_ko + c(h) sum_{j != o} lambda_j x_kj <= h x_ko,    c(h) = 1 + x_ko (1 - h) / sum_{j != o} x_kj,
                 lambda >= 0   (sum lambda = 1 under VRS),

and finds the smallest feasible h by bisection: for a fixed h the constraints are linear in lambda, so each step is
an LP feasibility problem, and the feasible set of h is an interval [h_Z, 1] (raising h raises every right-hand side
and lowers c(h), so a feasible h stays feasible). No published example with both data and ZSG results was found
(docs/zsg.md, "Published examples"), so this oracle and the closed form in tests/test_zsg.py are the checks.

The reallocation round is checked against the proportional reduction strategy written out DMU by DMU.
"""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import frontier as fr

# The oracle's LPs run at a feasibility tolerance far below HiGHS' default (1e-7), so that the bisection's answer
# is exact to its interval width; the package solves at the defaults and agrees to about 1e-10 on these data.
TIGHT = dict(primal_feasibility_tolerance=1e-10, dual_feasibility_tolerance=1e-10)
BISECTION_WIDTH = 1e-10
AGREEMENT = 1e-8          # bisection width + LP tolerances of both sides, on data of order 1-5, with margin


def zsg_program_feasible(X: np.ndarray, Y: np.ndarray, k: int, o: int, h: float, vrs: bool) -> bool:
    """Is there a lambda >= 0 satisfying the ZSG constraints of DMU ``o`` at efficiency ``h``?"""
    n = len(X)
    others = np.arange(n) != o
    c = 1.0 + X[o, k] * (1.0 - h) / X[others, k].sum()
    uses = X.T.copy()                                   # row i: sum_j lambda_j x_ij
    uses[k, others] *= c                                # the other DMUs' share after DMU o's cut is handed out
    a_ub = np.vstack([uses, -Y.T])
    b_ub = np.r_[h * X[o], -Y[o]]
    equality = dict(A_eq=np.ones((1, n)), b_eq=[1.0]) if vrs else {}
    sol = linprog(np.zeros(n), A_ub=a_ub, b_ub=b_ub, bounds=[(0, None)] * n, method="highs", options=TIGHT,
                  **equality)
    assert sol.status in (0, 2), sol.message           # 0 feasible, 2 infeasible; anything else is a failure
    return sol.status == 0


def zsg_by_bisection(X: np.ndarray, Y: np.ndarray, k: int, o: int, vrs: bool) -> float:
    """The smallest feasible h of the nonlinear ZSG program, to within ``BISECTION_WIDTH``."""
    assert zsg_program_feasible(X, Y, k, o, 1.0, vrs)   # lambda = e_o
    infeasible, feasible = 0.0, 1.0
    while feasible - infeasible > BISECTION_WIDTH:
        middle = 0.5 * (infeasible + feasible)
        if zsg_program_feasible(X, Y, k, o, middle, vrs):
            feasible = middle
        else:
            infeasible = middle
    return feasible


def one_round_dmu_by_dmu(x: np.ndarray, h: np.ndarray) -> np.ndarray:
    """The proportional reduction strategy, one DMU's cut at a time: DMU o gives up (1 - h_o) x_o, shared among
    the others in proportion to their own amounts x_j / sum_{i != o} x_i."""
    new = x.astype(float).copy()
    for o in range(len(x)):
        cut = (1.0 - h[o]) * x[o]
        new[o] -= cut
        for j in range(len(x)):
            if j != o:
                new[j] += cut * x[j] / (x.sum() - x[o])
    return new


def economies(seed: int, n: int = 10) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"labour": rng.uniform(1, 5, n), "co2": rng.uniform(1, 5, n), "energy": rng.uniform(1, 5, n),
                         "gdp": rng.uniform(1, 5, n), "exports": rng.uniform(1, 5, n)})


# (seed, inputs, outputs, bad outputs): co2 as the last column (a bad output) with one other input, and co2 as the
# middle input beside two others and two outputs, so the fixed-total column is not always the last one.
CASES = [
    (2, ["labour"], ["gdp"], ["co2"]),
    (4, ["labour", "co2", "energy"], ["gdp", "exports"], []),
]


@pytest.mark.filterwarnings("ignore:zsg. after 1 rounds")
@pytest.mark.parametrize("rts", ["crs", "vrs"])
@pytest.mark.parametrize("seed, inputs, outputs, bad", CASES)
def test_zsg_efficiency_is_the_minimum_of_the_nonlinear_program(seed, inputs, outputs, bad, rts):
    data = economies(seed)
    res = fr.zsg(data, inputs, outputs, bad or None, reallocate="co2", rts=rts, max_iter=1)
    sides = inputs + bad
    X, Y, k = data[sides].to_numpy(), data[outputs].to_numpy(), sides.index("co2")
    oracle = np.array([zsg_by_bisection(X, Y, k, o, rts == "vrs") for o in range(len(data))])
    table = res.table
    assert (table["zsg"] > table["radial"] + 1e-4).sum() >= 3      # the fixed total binds: not just the radial score
    np.testing.assert_allclose(table["zsg"], oracle, rtol=0, atol=AGREEMENT)


@pytest.mark.filterwarnings("ignore:zsg. after 1 rounds")
@pytest.mark.parametrize("rts", ["crs", "vrs"])
def test_a_reallocation_round_is_the_proportional_reduction_strategy(rts):
    data = economies(2)
    res = fr.zsg(data, ["labour"], ["gdp"], ["co2"], reallocate="co2", rts=rts, max_iter=1)
    expected = one_round_dmu_by_dmu(data["co2"].to_numpy(), res.table["zsg"].to_numpy())
    np.testing.assert_allclose(res.history["round_1"], expected, rtol=1e-12)
    np.testing.assert_allclose(res.reallocated, expected, rtol=1e-12)
    assert (res.reallocated < data["co2"].to_numpy()).any()           # the round did move some quota
