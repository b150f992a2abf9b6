"""What pricing considers: each block's candidate reference columns (the dominance screen, narrowed to the exact
frame when that pays) and the starting active set, computed once per stage and reference set (:class:`StagePlan`)."""
from __future__ import annotations

from dataclasses import dataclass

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

@dataclass
class StagePlan:
    """What every worker needs to solve a stage against one reference set (computed once, shipped); ``kernel``: the
    restricted path tries the compiled kernel before HiGHS (:func:`~frontier.engine.kernel.kernel_pays`)."""

    pricing: list[np.ndarray]
    seeds: list[np.ndarray]
    kernel: bool = False

    def candidates(self, ref_data: np.ndarray) -> list[tuple]:
        """Per block, the pricing candidates' positions and their data rows (what pricing and the optimality
        certificate, :func:`kkt_violation`, go over)."""
        return [(p, ref_data if p.size == ref_data.shape[0] else np.ascontiguousarray(ref_data[p]))
                for p in self.pricing]


def plan_stage(stage: Stage, ref_data: np.ndarray, method: str, n_evaluated: int | None = None,
               kernel: bool = False) -> StagePlan:
    """Pricing candidates and starting columns of each block; ``n_evaluated`` (default: as many DMUs as the
    reference set has) decides whether the exact frame pre-pass pays (:func:`pricing_set`); ``kernel``: see
    :class:`StagePlan`."""
    n_ref = ref_data.shape[0]
    if method == "full":
        everything = [np.arange(n_ref) for _ in stage.blocks]
        return StagePlan(pricing=everything, seeds=everything, kernel=kernel)
    layers = 2 if stage.exclude_self else 1
    pricing = [pricing_set(ref_data, b, layers, n_evaluated) for b in stage.blocks]
    seeds = [seed_columns(ref_data, b, p) for b, p in zip(stage.blocks, pricing)]
    return StagePlan(pricing=pricing, seeds=seeds, kernel=kernel)
