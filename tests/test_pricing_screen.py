"""Pricing's float32 screen in the kernel's compiled run (frontier/engine/kernel.py ``_negative_candidates``): every
candidate is screened in float32 and only those the screen cannot prove positive get their float64 reduced cost, so
the candidates found and their values must be exactly a float64 pass's -- on random, badly scaled and degenerate
candidates (reduced costs of 0 and of one rounding either side), over several blocks, and where float32 cannot hold
the weights or the data (the float64 pass then runs alone). End to end the scores are bit for bit those without the
screen and HiGHS's full-column path's to 1e-9."""
from __future__ import annotations

import numpy as np
import pytest

import frontier as fr
from frontier import engine
from frontier.engine import kernel as K

from test_engine import assert_same, firms, large  # noqa: F401 (fixtures)

pytest.importorskip("numba")


@pytest.fixture(scope="module", autouse=True)
def compiled():
    K.compiled_run()        # the jitted helpers replace the module's functions


def float64_pass(prices, first, stop, weights):
    """The candidates of ``first`` to ``stop`` with a negative reduced cost, and their values, by a float64 pass."""
    reduced = np.zeros(prices.shape[0])
    K._block_products(prices, first, stop, weights, reduced)
    found = first + np.flatnonzero(reduced[first: stop] < 0.0)
    return found, reduced[found]


def screened(prices, first, stop, weights, screen=None):
    """:func:`~frontier.engine.kernel._negative_candidates` with the screen of ``prices`` (or ``screen``): what it
    found and their values."""
    own_screen, used, largest = K.pricing_screen(prices)
    screen = own_screen if screen is None else screen
    n = prices.shape[0]
    reduced, found = np.full(n, np.nan), np.zeros(n, dtype=np.int64)
    count = K._negative_candidates(prices, screen, used, largest, K.screen_tolerance(prices.shape[1]),
                                   K.SCREEN_LOWEST, K.SCREEN_HIGHEST, first, stop, weights, reduced,
                                   np.zeros(n, dtype=np.float32), found)
    return found[:count], reduced[found[:count]]


def candidates_on_a_hyperplane(seed, n=3000, scales=(1.0,) * 6):
    """Candidates (data in columns 0-5 scaled by ``scales``, a convexity column of ones and a zero cost column,
    column-major as the run reads them) and weights under which many reduced costs are 0 or one rounding from it:
    a third of the candidates lie on the weights' hyperplane (before rounding), some of them repeated with their
    last bit changed, the others above it."""
    rng = np.random.default_rng(seed)
    data = rng.lognormal(0.0, 1.0, (n, 6)) * np.asarray(scales)
    weights = np.zeros(8)
    weights[:3] = rng.uniform(0.5, 2.0, 3) / np.asarray(scales[:3])        # inputs: rewarded when small
    weights[3:6] = -rng.uniform(0.5, 2.0, 3) / np.asarray(scales[3:6])     # outputs: rewarded when large
    weights[7] = 1.0        # the cost column's weight (its column is 0, as a reference column's cost in SBM)
    level = data[:, :6] @ weights[:6]
    on = rng.random(n) < 1 / 3
    # on the hyperplane: move output 3 so that the data's reduced cost is the level of the lowest candidate
    base = level.min()
    data[on, 3] += (level[on] - base) / -weights[3]
    twins = np.flatnonzero(on[: n - 1])[::10]
    data[twins + 1] = np.nextafter(data[twins], np.inf)
    prices = np.asfortranarray(np.column_stack([data, np.ones(n), np.zeros(n)]))
    # the convexity weight: minus the median level of those on the hyperplane as the run computes it, so that they
    # price at 0 or a rounding either side of it (about half of them below)
    levels = np.zeros(n)
    K._block_products(prices, 0, n, weights, levels)
    weights[6] = -np.median(levels[on])
    return prices, weights


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("scales", [(1.0,) * 6, (1e-7, 1e3, 1.0, 1e8, 1e-4, 10.0)])
def test_screen_finds_exactly_the_float64_pass_negatives(seed, scales):
    prices, weights = candidates_on_a_hyperplane(seed, scales=scales)
    expected = float64_pass(prices, 0, prices.shape[0], weights)
    assert 0 < expected[0].size         # (the case has negatives to find: one rounding below the hyperplane)
    found = screened(prices, 0, prices.shape[0], weights)
    np.testing.assert_array_equal(found[0], expected[0])
    np.testing.assert_array_equal(found[1], expected[1])      # bit for bit


@pytest.mark.parametrize("seed", range(3))
def test_screen_over_a_later_block_of_candidates(seed):
    """A block that starts inside the candidates (a two-block stage's second block): only its candidates, found as a
    float64 pass over them finds them."""
    prices, weights = candidates_on_a_hyperplane(seed, n=2500)
    for first, stop in [(700, 2500), (1001, 1999), (5, 6)]:
        expected = float64_pass(prices, first, stop, weights)
        found = screened(prices, first, stop, weights)
        np.testing.assert_array_equal(found[0], expected[0])
        np.testing.assert_array_equal(found[1], expected[1])


@pytest.mark.parametrize("bad", [1e-35, 1e35, np.inf, -np.inf, np.nan])
def test_weights_float32_cannot_hold_fall_back_to_float64(bad):
    """A weight below float32's normal range, past what its sums hold, infinite or NaN: the screen is not sound for
    it and the pass is float64's alone, with the same answer."""
    prices, weights = candidates_on_a_hyperplane(1)
    weights[1] = bad
    _, used, largest = K.pricing_screen(prices)
    assert K._screen_usable(weights, used, largest, K.SCREEN_LOWEST, K.SCREEN_HIGHEST) < 0
    expected = float64_pass(prices, 0, prices.shape[0], weights)
    found = screened(prices, 0, prices.shape[0], weights)
    np.testing.assert_array_equal(found[0], expected[0])
    np.testing.assert_array_equal(found[1], expected[1])


def test_a_weight_on_an_all_zero_column_does_not_matter():
    """The cost column of SBM's reference columns is 0: it is not screened, and even an infinite weight on it leaves
    the screen on (a float64 pass gives 0 * inf = NaN there, which is never negative: the same candidates)."""
    prices, weights = candidates_on_a_hyperplane(2)
    _, used, largest = K.pricing_screen(prices)
    assert not used[7] and used[:7].all()
    weights[7] = np.inf
    assert K._screen_usable(weights, used, largest, K.SCREEN_LOWEST, K.SCREEN_HIGHEST) > 0
    expected = float64_pass(prices, 0, prices.shape[0], weights)
    found = screened(prices, 0, prices.shape[0], weights)
    np.testing.assert_array_equal(found[0], expected[0])


@pytest.mark.parametrize("entry", [1e-35, 1e35])
def test_data_float32_cannot_hold_get_no_screen(entry, monkeypatch):
    """Data with an entry outside float32's safe range, or the screen switched off: no screen rows (every pass is
    float64's)."""
    prices, _ = candidates_on_a_hyperplane(3)
    assert K.pricing_screen(prices)[0].shape == (prices.shape[1] + 1, prices.shape[0])
    odd = prices.copy(order="F")
    odd[17, 2] = entry
    assert K.pricing_screen(odd)[0].shape[0] == 0
    monkeypatch.setattr(engine.settings, "PRICING_SCREEN", False)
    assert K.pricing_screen(prices)[0].shape[0] == 0


def test_a_screen_that_proves_too_much_is_caught_by_the_equality_with_float64():
    """The test above is not vacuous: a screen whose sums are shifted up by its own margin (a screen without the
    rounding allowance) misses negatives a float64 pass finds on the degenerate candidates."""
    prices, weights = candidates_on_a_hyperplane(0)
    screen, _, _ = K.pricing_screen(prices)
    shifted = screen.copy()
    shifted[-1] = 0.0           # no allowance: t_j is the float32 reduced cost itself
    shifted[3] *= np.float32(1 - 2.0 ** -20)        # and the data's rounding in float32 a little larger
    expected = float64_pass(prices, 0, prices.shape[0], weights)
    found = screened(prices, 0, prices.shape[0], weights, shifted)
    assert found[0].size < expected[0].size


@pytest.mark.parametrize("kw", [dict(model="sbm", rts="vrs"), dict(model="sbm", rts="vrs", super_efficiency=True),
                                dict(model="radial", orientation="input")])
def test_scores_with_the_screen_equal_float64_pricing_and_full_highs(large, monkeypatch, kw):
    """End to end through the compiled runs (KERNEL_MIN_DMUS 0): the scores, statuses and peers with the screen
    equal those of float64 pricing bit for bit, and HiGHS's full-column path's to 1e-9; then on badly scaled
    columns (1e-4 .. 1e4, inside the kernel's range)."""
    monkeypatch.setattr(engine.settings, "KERNEL_MIN_DMUS", 0)
    df, inputs, outputs, bads = large
    scaled = df.copy()
    scaled[inputs[0]] *= 1e-4
    scaled[bads[0]] *= 1e4
    for data in (df, scaled):
        full = fr.efficiency(data, inputs, outputs, bads, method="full", **kw)
        with_screen = fr.efficiency(data, inputs, outputs, bads, method="restricted", **kw)
        monkeypatch.setattr(engine.settings, "PRICING_SCREEN", False)
        without = fr.efficiency(data, inputs, outputs, bads, method="restricted", **kw)
        monkeypatch.setattr(engine.settings, "PRICING_SCREEN", True)
        assert_same(full, with_screen)
        np.testing.assert_array_equal(with_screen.scores.to_numpy(), without.scores.to_numpy())
        assert with_screen.peers.equals(without.peers)
