"""Poisson input trains (numba): Bernoulli-per-step spikes drawn by geometric gaps, one seed per
sample, as ``(sample, step, unit)`` events or directly as the kernel's CSR buckets."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from . import bucketing
from .bucketing import _fill_buckets
from .jitcache import source_stamp


@njit(cache=True)
def _poisson_one(p, seed, n_steps, out_step, out_unit):  # pragma: no cover - compiled
    """Bernoulli(p[i])-per-step trains for one sample by geometric gaps, in (unit, step) order;
    returns the spike count. Spikes are written to ``out_step``/``out_unit`` while they have room
    (the count goes on: a caller with too small a buffer sees it and asks again).

    The gap to the next spike of a Bernoulli process is Geometric(p): ``floor(log(1-u)/log(1-p)) + 1``,
    so the number of random draws equals the number of spikes, not the number of steps.
    """
    np.random.seed(seed)
    room = out_step.shape[0]
    k = 0
    for i in range(p.shape[0]):
        q = p[i]
        if q <= 0.0:
            continue
        if q >= 1.0:
            for t in range(n_steps):
                if k < room:
                    out_step[k] = t
                    out_unit[k] = i
                k += 1
            continue
        scale = 1.0 / np.log1p(-q)
        t = -1
        while True:
            t += int(np.floor(np.log1p(-np.random.random()) * scale)) + 1
            if t >= n_steps:
                break
            if k < room:
                out_step[k] = t
                out_unit[k] = i
            k += 1
    return k


POISSON_SLACK = 16  # spikes of room per sample beyond 6 standard deviations above the mean


def _make_trains(parallel: bool):
    loop = prange if parallel else range

    @njit(cache=True, parallel=parallel)
    def trains(p, seeds, n_steps, slack):  # pragma: no cover - compiled
        """Every sample's trains (see :func:`_poisson_one`) in one pass: ``(offsets [B+1], steps,
        units, counts, start [B+1])``, sample b's spikes at ``offsets[b]:offsets[b] + counts[b]``;
        ``start``: where they begin once the samples are packed one after the other.

        Each sample writes into room for its expected count + 6 SD + ``slack`` spikes, so the
        random numbers are drawn once (a pass to count them first took half of the time); in the
        rare case that a sample needs more, all are drawn again into exactly the room they need.
        """
        B = p.shape[0]
        offsets = np.zeros(B + 1, np.int64)
        for b in range(B):
            mean = 0.0
            for i in range(p.shape[1]):
                mean += min(max(p[b, i], 0.0), 1.0)
            mean *= n_steps
            offsets[b + 1] = offsets[b] + max(int(mean + 6.0 * np.sqrt(mean)) + slack, 0)
        counts = np.zeros(B, np.int64)
        steps = np.empty(0, np.int32)
        units = np.empty(0, np.int32)
        for _attempt in range(2):
            steps = np.empty(offsets[B], np.int32)
            units = np.empty(offsets[B], np.int32)
            for b in loop(B):
                lo = offsets[b]
                hi = offsets[b + 1]
                counts[b] = _poisson_one(p[b], seeds[b], n_steps, steps[lo:hi], units[lo:hi])
            short = False
            for b in range(B):
                if counts[b] > offsets[b + 1] - offsets[b]:
                    short = True
            if not short:
                break
            for b in range(B):  # (the same seeds draw the same spikes: now they fit)
                offsets[b + 1] = offsets[b] + counts[b]
        start = np.zeros(B + 1, np.int64)
        for b in range(B):
            start[b + 1] = start[b] + counts[b]
        return offsets, steps, units, counts, start

    return trains


_trains_parallel, _trains_serial = _make_trains(True), _make_trains(False)


def _make_poisson(parallel: bool, stamp: str):
    """The jitted Poisson functions, parallel over samples or not; ``stamp``: the source stamp of
    :mod:`snn.bucketing`, whose inlined helper :func:`poisson_csr` uses (see :mod:`snn.jitcache`)."""
    # The closures hold only ``loop``, ``parallel`` and ``stamp`` and call the trains as globals: numba
    # hashes a closure's values into its cache key, and a captured jitted function pickles differently in
    # every process (so it was compiled again in each, about 7 s per process and signature).
    loop = prange if parallel else range

    @njit(cache=True, parallel=parallel)
    def poisson_trains(p, seeds, n_steps):  # pragma: no cover - compiled
        """Poisson trains of ``B`` samples: p ``[B, n_in]`` spike probability per step, seeds ``[B]``.

        Returns ``(b, step, unit)`` of every spike; sample b's trains depend only on ``seeds[b]``.
        """
        if parallel:
            offsets, steps, units, counts, start = _trains_parallel(p, seeds, n_steps, POISSON_SLACK)
        else:
            offsets, steps, units, counts, start = _trains_serial(p, seeds, n_steps, POISSON_SLACK)
        B = p.shape[0]
        bs = np.empty(start[B], np.int64)
        out_s = np.empty(start[B], np.int64)
        out_u = np.empty(start[B], np.int64)
        for b in loop(B):
            for k in range(counts[b]):
                bs[start[b] + k] = b
                out_s[start[b] + k] = steps[offsets[b] + k]
                out_u[start[b] + k] = units[offsets[b] + k]
        return bs, out_s, out_u

    @njit(cache=True, parallel=parallel)
    def poisson_csr(p, seeds, n_gen, n_steps, slack):  # pragma: no cover - compiled
        """The trains of :func:`poisson_trains` over the first ``n_gen`` of ``n_steps`` steps, as
        CSR events per (sample, step) (see :mod:`snn.encoding`): ``(ptr [B*n_steps+1], idx)``.

        Each sample is bucketed by step on its own thread, while its spikes are in the cache. A
        sample's trains come in (unit, step) order and the counting sort is stable, so each step's
        inputs come out ascending, as a sort of the whole batch by (sample, step, unit) gives them.
        """
        _ = stamp  # part of the cache key: recompiled when snn/bucketing.py changes
        if parallel:
            offsets, steps, units, counts, start = _trains_parallel(p, seeds, n_gen, slack)
        else:
            offsets, steps, units, counts, start = _trains_serial(p, seeds, n_gen, slack)
        B = p.shape[0]
        ptr = np.empty(B * n_steps + 1, np.int64)
        ptr[0] = 0
        idx = np.empty(start[B], np.int32)
        for b in loop(B):
            lo = offsets[b]
            hi = lo + counts[b]
            cnt = np.zeros(n_steps + 1, np.int64)
            for k in range(lo, hi):
                cnt[steps[k] + 1] += 1
            _fill_buckets(cnt, steps[lo:hi], units[lo:hi], ptr[b * n_steps : (b + 1) * n_steps + 1], idx, start[b])
        return ptr, idx

    return poisson_trains, poisson_csr


_STAMP = source_stamp(bucketing)
poisson_trains, poisson_csr = _make_poisson(True, _STAMP)
poisson_trains_serial, poisson_csr_serial = _make_poisson(False, _STAMP)
