"""``FactorEfficiencyResult``: the variable-level (energy, emission) efficiency of
:meth:`frontier.EfficiencyResult.factor_efficiency`, with the DMUs' ids, the model's specification and the exports
of every result."""
from __future__ import annotations

from dataclasses import dataclass

from .base import PerDMUTable


@dataclass(frozen=True, repr=False)      # PerDMUTable's short repr
class FactorEfficiencyResult(PerDMUTable):
    """Factor efficiency from the targets, one row per DMU (Hu & Wang 2006; Zhou, Ang & Wang 2012;
    :meth:`frontier.EfficiencyResult.factor_efficiency` defines each column).

    ``table``: ``efficiency_<v>``, ``redundancy_<v>`` (inputs, bad outputs), ``shortfall_<v>`` (desirable outputs)
    and, for SBM, ``share_<v>``; the files write them under the same names.
    """

    NAME = "factor efficiency"

    def descriptions(self) -> dict:
        spec = self.spec
        desc = {}
        for role, names in (("input", spec.inputs), ("output", spec.outputs), ("bad output", spec.bad_outputs)):
            for v in names:
                ratio = "observed / target" if role == "output" else "target / observed"
                desc[f"efficiency_{v}"] = f"efficiency of {role} {v}: {ratio} (1 = no improvement possible)"
                desc[f"redundancy_{v}"] = f"(observed - target) / observed of {role} {v}: the excess rate"
                desc[f"shortfall_{v}"] = f"(target - observed) / observed of output {v}"
                desc[f"share_{v}"] = f"{v}'s share of its side of the SBM ratio (w s / observed over the side's sum)"
        return {c: desc[c] for c in self.table.columns if c in desc}

    def specification_rows(self) -> list:
        return [(self.NAME, f"{self.request}: target / observed for inputs and bad outputs, observed / target for "
                            "desirable outputs, from the model's projection (Hu & Wang 2006; Zhou, Ang & Wang 2012); "
                            "NaN where the LP failed or a ratio divides by 0")]
