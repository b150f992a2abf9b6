"""Seeded synthetic data with a documented technology, for demos, tests and benchmarks.

Cross-section (:func:`synthetic_firms`)
    Firm size ``s ~ lognormal(0, 1)`` drives capital ``K = s^1.0 * u_K``, labour ``L = s^0.9 * u_L`` and
    energy ``E = s^1.1 * u_E`` (``u ~ lognormal(0, 0.3)``). The frontier output is Cobb-Douglas,
    ``Y* = 2 K^0.35 L^0.45 E^0.2``, and observed output ``Y = Y* exp(-u)`` with half-normal inefficiency
    ``u ~ |N(0, 0.3)|``. Bad outputs scale with energy: ``SO2 = 0.05 E exp(v)``, ``COD = 0.02 Y^0.5 E^0.5 exp(v')``
    with ``v ~ N(0, 0.4)``. Spreads of one to two orders of magnitude, as in firm data.

City panel (:func:`synthetic_city_panel`)
    ``n_cities`` cities over ``n_years`` years. Each city has a size and a persistent inefficiency; inputs grow
    about 6 % a year (capital), 1 % (labour), 3 % (energy) with noise. The frontier shifts out by
    ``progress`` (default 2 %) a year: ``Y*_t = A_t K^0.4 L^0.4 E^0.2`` with ``A_t = (1 + progress)^t``, and
    pollution intensity per unit of energy falls by ``abatement`` (default 3 %) a year. So the true technical
    change of the green technology is positive every year, which the demo's GTFP series recovers.

    ``region`` (east, central, west) labels each city for metafrontier examples. It is assigned from the city
    number alone (city001 east, city002 central, city003 west, city004 east, ...), after every value is drawn,
    so the other columns are those of a panel without it. All cities share one technology: a region is a
    grouping, not a different frontier, so technology gaps between regions reflect the sample only.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

REGIONS = ("east", "central", "west")


def synthetic_firms(n: int = 1000, seed: int = 0) -> pd.DataFrame:
    """Cross-section of ``n`` firms: inputs K, L, E; output Y; bad outputs SO2, COD (index ``firm00001``...)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 1.0, n)
    K = 100 * size ** 1.0 * rng.lognormal(0, 0.3, n)
    L = 50 * size ** 0.9 * rng.lognormal(0, 0.3, n)
    E = 20 * size ** 1.1 * rng.lognormal(0, 0.3, n)
    frontier_y = 2.0 * K ** 0.35 * L ** 0.45 * E ** 0.2
    Y = frontier_y * np.exp(-np.abs(rng.normal(0, 0.3, n)))
    SO2 = 0.05 * E * np.exp(rng.normal(0, 0.4, n))
    COD = 0.02 * np.sqrt(Y * E) * np.exp(rng.normal(0, 0.4, n))
    index = pd.Index([f"firm{i:05d}" for i in range(1, n + 1)], name="firm")
    return pd.DataFrame({"K": K, "L": L, "E": E, "Y": Y, "SO2": SO2, "COD": COD}, index=index)


def synthetic_city_panel(n_cities: int = 270, n_years: int = 12, start_year: int = 2010, progress: float = 0.02,
                         abatement: float = 0.03, seed: int = 2024) -> pd.DataFrame:
    """Long panel: city, year, capital, labour, energy, value_added, so2, wastewater, dust, region.

    ``region`` is ``("east", "central", "west")[(k - 1) % 3]`` for city number k (see the module docstring)."""
    rng = np.random.default_rng(seed)
    size = rng.lognormal(0.0, 0.8, n_cities)
    ineff = np.abs(rng.normal(0, 0.25, n_cities))
    rows = []
    for c in range(n_cities):
        k0, l0, e0 = 500 * size[c], 100 * size[c] ** 0.8, 50 * size[c] ** 1.1
        for t in range(n_years):
            K = k0 * 1.06 ** t * np.exp(rng.normal(0, 0.05))
            L = l0 * 1.01 ** t * np.exp(rng.normal(0, 0.03))
            E = e0 * 1.03 ** t * np.exp(rng.normal(0, 0.05))
            A = (1 + progress) ** t
            u = max(ineff[c] + rng.normal(0, 0.08), 0.0)
            Y = A * K ** 0.4 * L ** 0.4 * E ** 0.2 * np.exp(-u)
            clean = (1 - abatement) ** t
            so2 = 0.08 * E * clean * np.exp(rng.normal(0, 0.2))
            water = 0.5 * E ** 0.7 * Y ** 0.3 * clean * np.exp(rng.normal(0, 0.2))
            dust = 0.05 * E * clean * np.exp(rng.normal(0, 0.25))
            rows.append((f"city{c + 1:03d}", start_year + t, K, L, E, Y, so2, water, dust))
    panel = pd.DataFrame(rows, columns=["city", "year", "capital", "labour", "energy", "value_added", "so2",
                                        "wastewater", "dust"])
    city_number = panel["city"].str[len("city"):].astype(int)
    panel["region"] = np.array(REGIONS, dtype=object)[(city_number.to_numpy() - 1) % len(REGIONS)]
    return panel
