"""Helpers shared by the benchmark scripts (run them as ``python benchmarks/<script>.py``).

Two kinds of benchmark data, both seeded, both with inputs K, L, E, output Y and bad outputs SO2, COD:

* friendly: :func:`frontier.datasets.synthetic_firms` (cross-section) and ``synthetic_city_panel`` (panel). Inputs
  move together with firm size and the bad outputs follow energy and output closely, so the frontier is small:
  about 7 % of 3,000 DMUs are VRS-SBM efficient.
* hard: :func:`hard_firms` and :func:`hard_panel`. Factor proportions vary widely from firm to firm and the two bad
  outputs have wide spreads of their own, so many more DMUs are extreme in some direction and the frontier is
  large, as in real firm panels. Efficient shares under VRS SBM with bad outputs (``rho >= 1 - 1e-9``,
  :func:`efficient_share`): 22.4 % of 1,000 DMUs, 14.6 % of 3,000, 8.7 % of 10,000 (friendly: 10.9 % and 7.1 %),
  measured by ``python benchmarks/common.py 1000 3000`` (10,000: ``bench_scale.py cross``). The share falls with n:
  the frontier grows more slowly than the sample. bench_gml.py reports the hard panel's share on the global
  frontier.
"""
from __future__ import annotations

import compileall
import os
import resource
from pathlib import Path

import numpy as np
import pandas as pd

INPUTS, OUTPUTS, BADS = ["K", "L", "E"], ["Y"], ["SO2", "COD"]


def max_abs_diff(a, b) -> float:
    """Largest absolute difference between two score vectors; ``inf`` when they disagree on which are NaN
    (one side solved an LP the other reports as failed), so a mismatch can never hide behind ``nanmax``."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if not np.array_equal(np.isnan(a), np.isnan(b)):
        return float("inf")
    both = ~np.isnan(a)
    return float(np.max(np.abs(a[both] - b[both]))) if both.any() else 0.0


def installed_environment() -> dict:
    """The environment for a cold call's fresh process, as an installed package runs: frontier's modules compiled to
    bytecode first (pip compiles a wheel's modules at install time) and bytecode writing on. Without this, an
    editable checkout under ``PYTHONDONTWRITEBYTECODE=1`` (set on the development machine) compiles every module it
    imports from source in each fresh process: 0.4-0.5 s of a cold call measured before the eighth session."""
    compileall.compile_dir(str(Path(__file__).resolve().parent.parent / "frontier"), quiet=1)
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def peak_rss_mb() -> float:
    """Peak resident memory of this process or its largest child (joblib workers), in MB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, kids) / 1024.0


def hard_firms(n: int = 3000, seed: int = 0) -> pd.DataFrame:
    """A cross-section of ``n`` firms with a large VRS-SBM frontier (efficient shares: the module docstring).

    Firm size ``s ~ lognormal(0, 1)``; each input is ``s`` times its own factor-mix draw ``lognormal(0, 0.55)``
    (independent across inputs: wide factor proportions); ``Y = 2 K^0.35 L^0.45 E^0.2 exp(-|N(0, 0.2)|)``; bad
    outputs with wide spreads partly independent of the inputs: ``SO2 = 0.05 E exp(N(0, 0.9))``,
    ``COD = 0.02 Y exp(N(0, 0.9))``. Index ``firm00001``...
    """
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 1.0, n)
    K = 100 * size * rng.lognormal(0, 0.55, n)
    L = 50 * size * rng.lognormal(0, 0.55, n)
    E = 20 * size * rng.lognormal(0, 0.55, n)
    Y = 2.0 * K ** 0.35 * L ** 0.45 * E ** 0.2 * np.exp(-np.abs(rng.normal(0, 0.2, n)))
    SO2 = 0.05 * E * np.exp(rng.normal(0, 0.9, n))
    COD = 0.02 * Y * np.exp(rng.normal(0, 0.9, n))
    index = pd.Index([f"firm{i:05d}" for i in range(1, n + 1)], name="firm")
    return pd.DataFrame({"K": K, "L": L, "E": E, "Y": Y, "SO2": SO2, "COD": COD}, index=index)


def hard_panel(n_firms: int = 3000, n_years: int = 10, seed: int = 0, progress: float = 0.02,
               abatement: float = 0.03) -> pd.DataFrame:
    """A balanced firm panel (columns firm, year, K, L, E, Y, SO2, COD; ``n_firms * n_years`` rows) built like
    :func:`hard_firms`, vectorised (a million rows in seconds).

    Each firm keeps its size, factor mix (``lognormal(0, 0.5)`` per input), inefficiency (``|N(0, 0.2)|``) and
    pollution intensities (``lognormal(0, 0.8)`` per bad output) over the years; every year adds noise
    (``N(0, 0.1)`` on inputs and inefficiency, ``N(0, 0.3)`` on bad outputs). Inputs grow 6 % (K), 1 % (L) and
    3 % (E) a year, the frontier shifts out by ``progress`` a year and pollution per unit falls by ``abatement``.
    """
    rng = np.random.default_rng(seed)
    firm = np.repeat(np.arange(n_firms), n_years)
    t = np.tile(np.arange(n_years), n_firms)
    k = len(firm)
    size = rng.lognormal(0.0, 1.0, n_firms)[firm]
    mix = rng.lognormal(0.0, 0.5, (n_firms, 3))[firm]
    grow = np.array([1.06, 1.01, 1.03]) ** t[:, None]
    K, L, E = (np.array([100.0, 50.0, 20.0]) * size[:, None] * mix * grow * np.exp(rng.normal(0, 0.1, (k, 3)))).T
    ineff = np.abs(rng.normal(0, 0.2, n_firms))[firm] + rng.normal(0, 0.1, k)
    Y = (1 + progress) ** t * 2.0 * K ** 0.35 * L ** 0.45 * E ** 0.2 * np.exp(-np.maximum(ineff, 0.0))
    intensity = rng.lognormal(0.0, 0.8, (n_firms, 2))[firm] * np.exp(rng.normal(0, 0.3, (k, 2)))
    clean = (1 - abatement) ** t
    SO2 = 0.05 * E * clean * intensity[:, 0]
    COD = 0.02 * Y * clean * intensity[:, 1]
    width = len(str(n_firms))
    names = np.array([f"firm{i:0{width}d}" for i in range(1, n_firms + 1)], dtype=object)
    return pd.DataFrame({"firm": names[firm], "year": 2010 + t, "K": K, "L": L, "E": E, "Y": Y, "SO2": SO2,
                         "COD": COD})


def cross_section(kind: str, n: int) -> pd.DataFrame:
    """The benchmark cross-section of ``n`` DMUs, ``kind`` ``"friendly"`` or ``"hard"`` (seed ``n``)."""
    if kind == "friendly":
        from frontier.datasets import synthetic_firms

        return synthetic_firms(n, seed=n)
    if kind == "hard":
        return hard_firms(n, seed=n)
    raise ValueError(f"data must be 'friendly' or 'hard', got {kind!r}")


def panel(kind: str, n_firms: int, n_years: int) -> pd.DataFrame:
    """The benchmark panel (columns firm, year, K, L, E, Y, SO2, COD), ``kind`` ``"friendly"`` (the city panel,
    renamed) or ``"hard"``."""
    if kind == "friendly":
        from frontier.datasets import synthetic_city_panel

        city = synthetic_city_panel(n_cities=n_firms, n_years=n_years, seed=7)
        return city.rename(columns={"city": "firm", "capital": "K", "labour": "L", "energy": "E",
                                    "value_added": "Y", "so2": "SO2", "wastewater": "COD"})[
            ["firm", "year", *INPUTS, *OUTPUTS, *BADS]]
    if kind == "hard":
        return hard_panel(n_firms, n_years, seed=7)
    raise ValueError(f"data must be 'friendly' or 'hard', got {kind!r}")


def data_kinds(choice: str) -> list[str]:
    """``--data friendly|hard|both`` as a list."""
    return ["friendly", "hard"] if choice == "both" else [choice]


def efficient_share(data: pd.DataFrame, n_jobs: int = 1) -> float:
    """Share of DMUs that VRS SBM with bad outputs scores efficient (rho >= 1 - 1e-9)."""
    import frontier as fr

    res = fr.efficiency(data, INPUTS, OUTPUTS, BADS, model="sbm", rts="vrs", n_jobs=n_jobs)
    return float((res.scores >= 1 - 1e-9).mean())


if __name__ == "__main__":      # python benchmarks/common.py 1000 3000: the efficient shares of both data sets
    import sys

    for n in [int(a) for a in sys.argv[1:]] or [1000, 3000]:
        print(n, {kind: round(efficient_share(cross_section(kind, n), n_jobs=2), 4)
                  for kind in ("friendly", "hard")}, flush=True)


def print_table(table: pd.DataFrame) -> None:
    """A results table as markdown (for the docs) when ``tabulate`` is installed, else as plain text."""
    try:
        import tabulate  # noqa: F401
    except ImportError:
        print(table.to_string(index=False))
        return
    print(table.to_markdown(index=False, floatfmt=".3f"))
