"""``ShadowPriceResult``: the shadow prices of bad outputs of :meth:`frontier.EfficiencyResult.shadow_prices`, with
the DMUs' ids, the model's specification and the exports of every result."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .base import PerDMUTable

SHADOW_PRICE_STATUS = ("optimal; on_frontier (D = 0: the supporting prices are generally not unique, the value is "
                       "one of them); numeraire_dual_zero (the numeraire's weight is 0: NaN); or the LP's status")


@dataclass(frozen=True, repr=False)      # PerDMUTable's short repr
class ShadowPriceResult(PerDMUTable):
    """Each bad output's shadow price in units of the numeraire's price, one row per DMU (Färe, Grosskopf, Noh &
    Weber 2005: q_k = price * mu_k / u_r; :meth:`frontier.EfficiencyResult.shadow_prices`).

    ``table``: one column per bad output and ``status``; the files write them as ``shadow_price_<bad output>`` and
    ``shadow_price_status``. ``numeraire`` is the desirable output whose price ``price`` the shadow prices are in.
    """

    numeraire: str = ""
    price: float = 1.0

    NAME = "shadow prices"

    def values(self) -> pd.DataFrame:
        names = {b: f"shadow_price_{b}" for b in self.table.columns if b != "status"}
        return self.table.rename(columns={**names, "status": "shadow_price_status"})

    def descriptions(self) -> dict:
        desc = {f"shadow_price_{b}": f"shadow price of bad output {b} per unit, in units of {self.numeraire}'s "
                                     f"price {self.price:g} (price x mu / u; > 0: abating it costs output)"
                for b in self.spec.bad_outputs}
        desc["shadow_price_status"] = SHADOW_PRICE_STATUS
        return desc

    def specification_rows(self) -> list:
        return [(self.NAME, f"{self.request}: q_k = price x mu_k / u_r, the numeraire {self.numeraire} at price "
                            f"{self.price:g} (Färe, Grosskopf, Noh & Weber 2005); the derivatives hold the direction "
                            "and the reference set fixed")]
