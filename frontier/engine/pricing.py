"""What pricing considers: each block's candidate reference columns (the dominance screen, narrowed to the exact
frame when that pays) and the starting active set, computed once per stage and reference set (:class:`StagePlan`)."""
from __future__ import annotations

import numpy as np

from ..models.base import ReferenceBlock, Stage
from . import settings
from .reduction import cached_frame, dominance_screen

def pricing_set(ref_data: np.ndarray, block: ReferenceBlock, layers: int, n_evaluated: int | None = None) -> np.ndarray:
    """Reference positions that pricing must consider for ``block``: the dominance screen (all of them if a row has
    no disposal), narrowed to the block's frame (:func:`frontier.frame.frame`, exact) when that pays, i.e. for one
    layer when at least ``FRAME_MIN_EVALUATED`` DMUs (``n_evaluated``, default the reference set's size) are priced
    against at least ``FRAME_MIN_CANDIDATES`` candidates. A block that declares its own row map is priced over every
    column unless its model gives every column it reads a sense (:class:`~frontier.models.base.ReferenceBlock`: then
    the dominance screen, never the frame, which assumes the default layout)."""
    used = block.variables & (block.sense != 0)
    if np.any(block.variables & (block.sense == 0)) or not used.any():
        candidates = np.arange(ref_data.shape[0])
    else:
        candidates = dominance_screen(-ref_data[:, used] * block.sense[used], layers)
    if block.declared:
        return candidates
    n_evaluated = ref_data.shape[0] if n_evaluated is None else n_evaluated
    if layers == 1 and candidates.size >= settings.FRAME_MIN_CANDIDATES and n_evaluated >= settings.FRAME_MIN_EVALUATED:
        return cached_frame(ref_data, block, layers, candidates)
    return candidates


def seed_columns(ref_data: np.ndarray, block: ReferenceBlock, candidates: np.ndarray, size: int = 24) -> np.ndarray:
    """A small starting active set: the best candidate in each variable's sense plus the best composite. A block that
    declares its own row map has no sense per variable: its seeds are the largest and smallest candidate in each
    data column its map uses (not in every column of the wide row: for a dynamic SBM term that would be 2 x T p
    picks per term, most of the reference set, and the restricted model would be the full one)."""
    if candidates.size <= size:
        return candidates
    D = ref_data[candidates]
    if block.declared:
        used = np.flatnonzero(block.row_map.any(axis=0))
        return candidates[np.unique(np.concatenate([D[:, used].argmax(axis=0), D[:, used].argmin(axis=0)]))]
    picks = []
    for v in np.flatnonzero(block.variables):
        col = D[:, v]
        if block.sense[v] >= 0:
            picks.append(np.argmax(col))
        if block.sense[v] <= 0:
            picks.append(np.argmin(col))
    scale = D.mean(axis=0)
    scale[scale == 0] = 1
    sense = np.where(block.variables, block.sense, 0)
    composite = (D / scale) @ sense
    picks.extend(np.argsort(-composite)[: max(size - len(picks), 0)])
    return candidates[np.unique(np.asarray(picks, dtype=np.int64))]


# ----------------------------------------------------------------------------------------------------
# one stage, one reference set: a patched, warm-started HiGHS model
# ----------------------------------------------------------------------------------------------------

class StagePlan:
    """What every worker needs to solve a stage against one reference set: per block the pricing candidates
    (``pricing``, the columns pricing and the optimality certificate go over) and a starting active set (``seeds``);
    ``kernel``: the restricted path tries the compiled kernel before HiGHS (:func:`~frontier.engine.kernel.
    kernel_pays`).

    Given, or computed from the stage and reference set when first read (:func:`plan_stage`): a plan made
    ``deferred`` is computed where it is used, in the process solving its unit of work rather than in the calling
    process before any unit starts, and its seeds only if something reads them (the restricted path and the dense
    simplex's column generation do; the compiled dense loop prices every candidate and never does)."""

    def __init__(self, pricing: list[np.ndarray] | None, seeds: list[np.ndarray] | None, kernel: bool = False):
        self._pricing, self._seeds, self.kernel = pricing, seeds, kernel
        self._source = None     # a deferred plan's (stage, ref_data, method, n_evaluated), until both are computed

    @classmethod
    def deferred(cls, stage: Stage, ref_data: np.ndarray, method: str, n_evaluated: int | None,
                 kernel: bool = False) -> "StagePlan":
        """The plan of ``stage`` against ``ref_data``, computed when first read (arguments as :func:`plan_stage`)."""
        plan = cls(None, None, kernel)
        plan._source = (stage, ref_data, method, n_evaluated)
        return plan

    @property
    def pricing(self) -> list[np.ndarray]:
        if self._pricing is None:
            stage, ref_data, method, n_evaluated = self._source
            if method == "full":
                self._pricing = [np.arange(ref_data.shape[0]) for _ in stage.blocks]
            else:
                layers = 2 if stage.exclude_self else 1
                self._pricing = [pricing_set(ref_data, b, layers, n_evaluated) for b in stage.blocks]
            self._release()
        return self._pricing

    @property
    def seeds(self) -> list[np.ndarray]:
        if self._seeds is None:
            stage, ref_data, method, _ = self._source
            self._seeds = (self.pricing if method == "full" else
                           [seed_columns(ref_data, b, p) for b, p in zip(stage.blocks, self.pricing)])
            self._release()
        return self._seeds

    def computed(self) -> "StagePlan":
        """This plan, everything in it computed now."""
        self.seeds          # (the pricing sets first)
        return self

    def _release(self) -> None:
        """Drop the source once everything is computed (a shipped plan then carries its arrays only)."""
        if self._pricing is not None and self._seeds is not None:
            self._source = None

    def candidates(self, ref_data: np.ndarray) -> list[tuple]:
        """Per block, the pricing candidates' positions and their data rows (what pricing and the optimality
        certificate, :func:`kkt_violation`, go over)."""
        return [(p, ref_data if p.size == ref_data.shape[0] else np.ascontiguousarray(ref_data[p]))
                for p in self.pricing]


def plan_stage(stage: Stage, ref_data: np.ndarray, method: str, n_evaluated: int | None = None,
               kernel: bool = False, deferred: bool = False) -> StagePlan:
    """Pricing candidates and starting columns of each block (every column with ``method="full"``); ``n_evaluated``
    (default: as many DMUs as the reference set has) decides whether the exact frame pre-pass pays
    (:func:`pricing_set`); ``kernel``: see :class:`StagePlan`. ``deferred``: computed when first read (where the plan
    is used), else now."""
    plan = StagePlan.deferred(stage, ref_data, method, n_evaluated, kernel)
    return plan if deferred else plan.computed()
