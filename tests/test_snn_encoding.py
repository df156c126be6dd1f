"""Poisson input trains: their statistics against the Bernoulli process they stand for, and the
per-step events built from them in one pass against the general event builder."""

import numpy as np
import pytest
from scipy import stats

from probes.support import DataError
from snn.encoding import events_from_steps, poisson_batch, poisson_events


def _rates(rng, B, n_in, dt_ms):
    rates = rng.uniform(0.0, 150.0, (B, n_in))
    rates[:, 0] = 0.0  # a silent input
    rates[:, 1] = 1000.0 / dt_ms  # a spike in every step
    rates[::3] *= 0.01  # samples with a few spikes, next to samples with many
    return rates


@pytest.mark.parametrize("B", [3, 20], ids=["serial", "parallel"])
def test_poisson_events_are_the_events_of_the_poisson_trains(B, rng):
    dt, n_steps, n_total = 0.5, 300, 350
    rates = _rates(rng, B, 30, dt)
    seeds = rng.integers(0, 2**32, B)
    want = events_from_steps(*poisson_batch(rates, seeds, n_steps, dt), B, n_total)
    # slack: the default room (drawn once); none at all (every sample drawn again into the room it
    # needs); 20 spikes less than 6 SD above the mean (the samples with few spikes lack room)
    for slack in (None, -(10**9), -20):
        got = poisson_events(rates, seeds, n_steps, dt, n_total=n_total, slack=slack)
        assert got.n_steps == n_total and got.idx.dtype == np.int32
        np.testing.assert_array_equal(got.ptr, want.ptr)
        np.testing.assert_array_equal(got.idx, want.idx)
    got = poisson_events(rates, seeds, n_steps, dt)
    assert got.n_steps == n_steps and got.ptr[-1] == len(want.idx)
    with pytest.raises(DataError, match="exceeds one spike per step"):
        poisson_events(rates * 2.0, seeds, n_steps, dt)
    with pytest.raises(ValueError, match="n_total=299 must be at least n_steps=300"):
        poisson_events(rates, seeds, n_steps, dt, n_total=299)


def test_poisson_trains_follow_the_bernoulli_process_sample_by_sample(rng):
    dt, n_steps, B = 0.5, 4000, 48
    p = np.array([0.02, 0.2, 0.0])  # 40 Hz, 400 Hz and silent at 0.5 ms steps
    seeds = rng.integers(0, 2**32, B)
    ev = poisson_events(np.tile(p * 1000.0 / dt, (B, 1)), seeds, n_steps, dt)
    b = np.repeat(np.arange(B * n_steps), np.diff(ev.ptr)) // n_steps
    step = np.repeat(np.arange(B * n_steps), np.diff(ev.ptr)) % n_steps
    unit = ev.idx
    for i, q in enumerate(p):
        counts = np.bincount(b[unit == i], minlength=B)
        if q == 0.0:
            assert counts.sum() == 0
            continue
        # spike counts: Binomial(n_steps, q), mean within 4 standard errors, variance within 4 SE too
        mean, var = n_steps * q, n_steps * q * (1 - q)
        assert abs(counts.mean() - mean) < 4 * np.sqrt(var / B)
        assert abs(counts.var(ddof=1) / var - 1) < 4 * np.sqrt(2 / (B - 1))
        # gaps between a unit's spikes in a sample: Geometric(q). Randomised probability integral
        # transform: F(g - 1) + V P(g), V uniform, is uniform exactly when g is Geometric(q)
        gaps = np.concatenate([np.diff(step[(unit == i) & (b == k)]) for k in range(B)])
        u = stats.geom.cdf(gaps - 1, q) + rng.random(len(gaps)) * stats.geom.pmf(gaps, q)
        assert stats.kstest(u, "uniform").pvalue > 1e-3
    # sample b's trains depend on its seed and rates only, not on the batch around it
    alone = poisson_events(np.tile(p * 1000.0 / dt, (1, 1)), seeds[7:8], n_steps, dt)
    mine = b == 7
    np.testing.assert_array_equal(alone.idx, unit[mine])
    np.testing.assert_array_equal(np.repeat(np.arange(n_steps), np.diff(alone.ptr)), step[mine])
