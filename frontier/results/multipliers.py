"""``MultiplierResult``: the multiplier form's weights of :attr:`frontier.EfficiencyResult.multipliers`, with the
DMUs' ids, the model's specification and the exports of every result."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .base import PerDMUTable

MULTIPLIER_STATUS = ("optimal; on_frontier (the score is at its efficient value: the dual is generally degenerate and "
                     "the weights are one supporting hyperplane of many); or the LP's failure status (weights NaN)")


@dataclass(frozen=True, repr=False)      # PerDMUTable's short repr
class MultiplierResult(PerDMUTable):
    """The score LP's dual weights, in the data's units, one row per DMU (:attr:`frontier.EfficiencyResult.multipliers`
    says what they are for each model).

    ``table``: one column per variable (v >= 0 for inputs, u >= 0 for desirable outputs, mu for bad outputs),
    ``omega`` (the returns-to-scale row's variable) and ``status``. The files write them as ``weight_<variable>``,
    ``omega`` and ``multiplier_status``.
    """

    NAME = "multipliers"

    def values(self) -> pd.DataFrame:
        names = {v: f"weight_{v}" for v in self.table.columns if v not in ("omega", "status")}
        return self.table.rename(columns={**names, "status": "multiplier_status"})

    def descriptions(self) -> dict:
        spec = self.spec
        desc = {f"weight_{v}": f"multiplier of input {v} per unit of {v} (v >= 0)" for v in spec.inputs}
        desc.update({f"weight_{v}": f"multiplier of output {v} per unit of {v} (u >= 0)" for v in spec.outputs})
        desc.update({f"weight_{v}": f"multiplier of bad output {v} per unit of {v} (mu)" for v in spec.bad_outputs})
        desc["omega"] = "omega, the returns-to-scale row's variable (0 under CRS)"
        desc["multiplier_status"] = MULTIPLIER_STATUS
        return desc

    def specification_rows(self) -> list:
        return [(self.NAME, f"{self.request}: the score LP's dual weights in the data's units; every reference DMU j "
                            "satisfies v'x_j - u'y_j + mu'b_j + omega >= 0 and the score is the multiplier form's "
                            "value (the model's documentation states its form)")]
