"""Input encoding: Poisson spike trains and explicit events, as per-step event lists.

An input spike at time ``t`` ms is emitted in step ``int((t + 1e-3 dt) / dt)`` (the rule
of Brian2's SpikeGeneratorGroup), so times on the ``dt`` grid map to their own step.
Event lists are CSR over (batch element, step): the inputs that spike in step ``n`` of
element ``b`` are ``idx[ptr[b * n_steps + n] : ptr[b * n_steps + n + 1]]``.
"""

from __future__ import annotations

import zlib
from typing import NamedTuple

import numpy as np

from probes.support import DataError

DUPLICATE_MESSAGE = "{what} has two spikes of one input in one time step: at most one per step (as in Brian2)"


class Events(NamedTuple):
    """CSR event lists over ``B`` batch elements of ``n_steps`` steps each."""

    ptr: np.ndarray  # int64 [B * n_steps + 1]
    idx: np.ndarray  # int32 [n_events]
    n_steps: int

    @property
    def n_batch(self) -> int:
        return (len(self.ptr) - 1) // self.n_steps


def events_from_steps(
    b: np.ndarray, step: np.ndarray, unit: np.ndarray, n_batch: int, n_steps: int, *, what: str | None = None
) -> Events:
    """Build CSR events from ``(batch element, step, unit)`` triples (any order).

    With ``what`` (the name of the user's argument), two spikes of one unit in one step are an error.
    """
    from .bucketing import csr_by_key

    b, step = np.asarray(b, np.int64), np.asarray(step, np.int64)
    # the compiled sort writes where the keys say: check them here
    if len(b) and (b.min() < 0 or b.max() >= n_batch or step.min() < 0 or step.max() >= n_steps):
        raise ValueError(f"events outside {n_batch} elements x {n_steps} steps")
    key = b * n_steps + step
    ptr, idx, duplicates = csr_by_key(key, np.asarray(unit, np.int64), n_batch * n_steps)
    if duplicates and what is not None:
        raise DataError(DUPLICATE_MESSAGE.format(what=what))
    return Events(ptr, idx, n_steps)


def select_rows(events: Events, rows) -> Events:
    """The events of batch elements ``rows`` (any order), as elements 0..len(rows)-1."""
    n = events.n_steps
    rows = np.asarray(rows, np.int64)
    if len(rows) and (np.diff(rows) == 1).all():  # a run of rows (a batch of a recording): slices
        lo, hi = events.ptr[rows[0] * n], events.ptr[(rows[-1] + 1) * n]
        ptr = events.ptr[rows[0] * n : (rows[-1] + 1) * n + 1]
        return Events(ptr - lo if lo else ptr, events.idx[lo:hi], n)  # (the first run: a view)
    starts, ends = events.ptr[rows * n], events.ptr[(rows + 1) * n]
    new_starts = np.concatenate([[0], np.cumsum(ends - starts)[:-1]]).astype(np.int64)
    shift = starts - new_starts  # old position - new position, per row
    ptr = (events.ptr[rows[:, None] * n + np.arange(1, n + 1)] - shift[:, None]).ravel()
    take = np.repeat(shift, ends - starts) + np.arange(int((ends - starts).sum()))
    return Events(np.concatenate([[0], ptr]).astype(np.int64), events.idx[take], n)


def empty_events(n_batch: int, n_steps: int) -> Events:
    return Events(np.zeros(n_batch * n_steps + 1, np.int64), np.zeros(0, np.int32), n_steps)


def time_to_step(time_ms: np.ndarray, dt_ms: float) -> np.ndarray:
    return ((np.asarray(time_ms, np.float64) + 1e-3 * dt_ms) / dt_ms).astype(np.int64)


def content_seed(seed: int, tag: int, row: np.ndarray) -> np.random.SeedSequence:
    """A seed that depends only on (seed, purpose, the input's bytes): a sample gets the same
    spike trains whatever batch it is recorded in."""
    return np.random.SeedSequence([int(seed) & 0xFFFFFFFF, tag, zlib.crc32(np.ascontiguousarray(row).tobytes())])


def _spike_probabilities(rates_hz: np.ndarray, seeds: np.ndarray, dt_ms: float) -> tuple[np.ndarray, np.ndarray]:
    p = np.ascontiguousarray(rates_hz, np.float64) * dt_ms / 1000.0
    if (p > 1).any():
        raise DataError(
            f"a rate of {rates_hz.max():g} Hz exceeds one spike per step at dt={dt_ms:g} ms: lower the rate"
        )
    return p, np.asarray(seeds, np.uint64).astype(np.int64) & 0xFFFFFFFF


def poisson_batch(
    rates_hz: np.ndarray, seeds: np.ndarray, n_steps: int, dt_ms: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Poisson trains of a batch, ``rates_hz [B, n_units]``, one 32-bit seed per sample: ``(b, step, unit)``.

    Bernoulli with p = rate * dt per step, drawn by geometric gaps in the numba kernel (parallel over
    samples); sample b's trains depend only on ``seeds[b]`` and its rates.
    """
    from .poisson import poisson_trains, poisson_trains_serial

    p, seeds = _spike_probabilities(rates_hz, seeds, dt_ms)
    # waking the thread pool costs more than a few samples take
    return (poisson_trains if len(p) > 8 else poisson_trains_serial)(p, seeds, n_steps)


def poisson_events(
    rates_hz: np.ndarray,
    seeds: np.ndarray,
    n_steps: int,
    dt_ms: float,
    *,
    n_total: int | None = None,
    slack: int | None = None,
) -> Events:
    """:func:`poisson_batch`'s trains over ``n_steps`` steps as events of ``n_total`` steps per sample
    (default ``n_steps``; the rest without input spikes): ``events_from_steps(*poisson_batch(...))``
    in one compiled pass, each sample's spikes bucketed by step on its own thread (256 digits
    samples, 2 threads: 20.5 -> 8.5 ms). ``slack``: room for spikes per sample beyond 6 SD above
    the mean (default ``poisson.POISSON_SLACK``); a sample that needs more makes all samples be
    drawn again.
    """
    from .poisson import POISSON_SLACK, poisson_csr, poisson_csr_serial

    p, seeds = _spike_probabilities(rates_hz, seeds, dt_ms)
    n_total = n_steps if n_total is None else n_total
    if n_total < n_steps:
        raise ValueError(f"n_total={n_total} must be at least n_steps={n_steps}")
    ptr, idx = (poisson_csr if len(p) > 8 else poisson_csr_serial)(
        p, seeds, n_steps, n_total, POISSON_SLACK if slack is None else slack
    )
    return Events(ptr, idx, n_total)


def sample_seeds(seed: int, tag: int, rows: np.ndarray) -> np.ndarray:
    """One 32-bit seed per row from (seed, purpose, the row's bytes): a sample gets the same spike
    trains whatever batch it is in. CRC-32 chained over the three (cheap, deterministic)."""
    head = zlib.crc32(np.array([int(seed) & 0xFFFFFFFF, tag], np.uint32).tobytes())
    rows = np.ascontiguousarray(rows)
    return np.array([zlib.crc32(row.tobytes(), head) for row in rows], np.int64)


def jitter_steps(
    rng: np.random.Generator, step: np.ndarray, unit: np.ndarray, jitter_ms: float, dt_ms: float, n_steps: int
) -> tuple[np.ndarray, np.ndarray]:
    """Add Gaussian jitter (std ``jitter_ms``) to spike times and round them to the grid, keeping
    every spike: a spike that lands outside the window ``0..n_steps-1`` goes to its nearest step
    inside it, and one that lands on a step its input already spikes in goes to the nearest free
    step of that input (earlier on a tie; spikes placed in order of their original time, see
    :mod:`snn.jitter`). Returns ``(step, unit)`` of the same spikes, in the same order."""
    from .jitter import place_spikes

    if jitter_ms <= 0 or len(step) == 0:
        return step, unit
    step, unit = np.asarray(step, np.int64), np.asarray(unit, np.int64)
    t = step * dt_ms + rng.normal(0.0, jitter_ms, size=len(step))
    wanted = np.rint(t / dt_ms).astype(np.int64)
    order = np.lexsort((step, unit))  # each input's spikes in time order claim steps first
    placed, ok = place_spikes(unit[order], wanted[order], int(unit.max()) + 1, n_steps)
    if not ok:
        raise DataError(f"an input has more spikes than the {n_steps} steps of the window: it cannot keep them all")
    new = np.empty_like(placed)
    new[order] = placed
    return new, unit


def jitter_batch(
    rngs, b: np.ndarray, step: np.ndarray, unit: np.ndarray, jitter_ms: float, dt_ms: float, n_steps: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`jitter_steps` for each batch element ``k`` with its own generator ``rngs[k]``:
    ``(b, step, unit)`` again, element by element."""
    # each element's spikes as a slice of a stable sort by element: the same arrays, in the same order,
    # as step[b == k], which is quadratic in the batch (see docs/performance.md)
    order = np.argsort(b, kind="stable")
    step, unit = np.asarray(step)[order], np.asarray(unit)[order]
    bounds = np.searchsorted(np.asarray(b)[order], np.arange(len(rngs) + 1))
    parts = [
        jitter_steps(rng, step[bounds[k] : bounds[k + 1]], unit[bounds[k] : bounds[k + 1]], jitter_ms, dt_ms, n_steps)
        for k, rng in enumerate(rngs)
    ]
    return (
        np.concatenate([np.full(len(p[0]), k) for k, p in enumerate(parts)]),
        np.concatenate([p[0] for p in parts]),
        np.concatenate([p[1] for p in parts]),
    )


def input_events(
    rates_hz: np.ndarray,
    seeds: np.ndarray,
    n_steps: int,
    dt_ms: float,
    *,
    jitter_ms: float = 0.0,
    rngs=None,
    n_total: int | None = None,
) -> Events:
    """Poisson input events of a batch (:func:`poisson_events`); with ``jitter_ms`` > 0 each
    sample's spike times are jittered (:func:`jitter_batch`) by the generators ``rngs()`` returns,
    one per sample (a callable: making generators costs, and only jitter needs them)."""
    if jitter_ms <= 0:
        return poisson_events(rates_hz, seeds, n_steps, dt_ms, n_total=n_total)
    b, step, unit = jitter_batch(rngs(), *poisson_batch(rates_hz, seeds, n_steps, dt_ms), jitter_ms, dt_ms, n_steps)
    return events_from_steps(b, step, unit, len(rates_hz), n_steps if n_total is None else n_total)


def latency_steps(x: np.ndarray, window_ms: float, dt_ms: float, n_steps: int) -> tuple[np.ndarray, ...]:
    """The latency code of a batch ``x [B, n_units]`` in [0, 1]: unit i of sample b fires once, at
    ``t = (1 - x[b, i]) * window_ms`` (the step ``round(t / dt_ms)``, at most ``n_steps - 1``), and
    not at all when ``x[b, i] == 0``. Returns ``(b, step, unit)`` in (b, unit) order."""
    b, unit = np.nonzero(np.asarray(x) > 0)
    t = (1.0 - np.asarray(x, np.float64)[b, unit]) * window_ms
    step = np.minimum(np.rint(t / dt_ms).astype(np.int64), n_steps - 1)
    return b.astype(np.int64), step, unit.astype(np.int64)


def encode(
    cfg,
    x: np.ndarray,
    rate_hz,
    seeds: np.ndarray,
    n_steps: int,
    *,
    rngs=None,
    n_total: int | None = None,
    rates_hz: np.ndarray | None = None,
) -> Events:
    """The input events of a batch ``x [B, n_units]`` under ``cfg.encoding`` (a resolved SNNConfig).

    ``"poisson"``: Poisson trains at ``x * rate_hz`` (``rate_hz``: a number, or ``[B, 1]`` per
    sample when retries raise it; ``rates_hz``: that product when the caller has it), see
    :func:`input_events`. ``"latency"``: one spike per input at
    :func:`latency_steps`, plus Poisson background at ``latency_background_hz`` on every input
    (``rate_hz`` is not read: a latency code is never retried); a background spike on the step of
    its input's latency spike is dropped (one spike per step).
    ``jitter_ms`` then moves every spike, keeping counts, as for Poisson inputs."""
    if cfg.encoding == "poisson":
        rates_hz = x * rate_hz if rates_hz is None else rates_hz
        return input_events(rates_hz, seeds, n_steps, cfg.dt_ms, jitter_ms=cfg.jitter_ms, rngs=rngs, n_total=n_total)
    B, n_units = x.shape
    b, step, unit = latency_steps(x, cfg.latency_window_ms, cfg.dt_ms, n_steps)
    if cfg.latency_background_hz > 0:
        background = np.full((B, n_units), cfg.latency_background_hz)  # at most one spike per step (validated)
        bb, bs, bu = poisson_batch(background, seeds, n_steps, cfg.dt_ms)
        first = np.full((B, n_units), -1, np.int64)
        first[b, unit] = step
        keep = first[bb, bu] != bs
        b, step, unit = (np.concatenate(p) for p in ((b, bb[keep]), (step, bs[keep]), (unit, bu[keep])))
    if cfg.jitter_ms > 0:
        b, step, unit = jitter_batch(rngs(), b, step, unit, cfg.jitter_ms, cfg.dt_ms, n_steps)
    return events_from_steps(b, step, unit, B, n_steps if n_total is None else n_total)


def check_input_spikes(input_spikes, n_samples: int, n_inputs: int, dt_ms: float, n_steps: int) -> Events:
    """Validate user events ``(sample, input, time_ms)``; return them as per-step events of all samples."""
    try:
        sample, inp, time_ms = (np.asarray(a) for a in input_spikes)
    except (TypeError, ValueError):
        raise DataError("input_spikes must be a tuple of three arrays (sample, input, time_ms)") from None
    if not (sample.shape == inp.shape == time_ms.shape) or sample.ndim != 1:
        raise DataError("input_spikes arrays (sample, input, time_ms) must be 1-D and of equal length")
    if len(sample) and (not np.issubdtype(sample.dtype, np.integer) or not np.issubdtype(inp.dtype, np.integer)):
        raise DataError("input_spikes sample and input must be integer arrays")
    from .bucketing import csr_by_key, event_keys, events_by_sample

    sample, inp = sample.astype(np.int64, copy=False), inp.astype(np.int64, copy=False)
    time_ms = time_ms.astype(np.float64, copy=False)
    # events grouped by sample: checked and bucketed per sample, in parallel
    ptr, idx, duplicates, problem = events_by_sample(sample, inp, time_ms, n_samples, n_inputs, float(dt_ms), n_steps)
    if problem == -1:  # any order: one compiled pass checks every event and keys it by (sample, step)
        key, problem = event_keys(sample, inp, time_ms, n_samples, n_inputs, float(dt_ms), n_steps)
        if not problem:
            ptr, idx, duplicates = csr_by_key(key, inp, n_samples * n_steps)
    if problem:
        raise DataError(
            {
                1: f"input_spikes sample indices must be in 0..{n_samples - 1} (one per row of x)",
                2: f"input_spikes input indices must be in 0..{n_inputs - 1}",
                3: "input_spikes time_ms must be finite and >= 0",
                4: f"input_spikes has times beyond the presentation window of {n_steps * dt_ms:g} ms: "
                "give times in [0, presentation_ms)",
            }[problem]
        )
    if duplicates:
        raise DataError(DUPLICATE_MESSAGE.format(what="input_spikes"))
    return Events(ptr, idx, n_steps)


def spike_rows(events, rows: np.ndarray):
    """The events ``(sample, input, time_ms)`` of samples ``rows`` (in any order), renumbered
    ``0..len(rows)-1`` in the order of ``rows``."""
    sample, inp, time_ms = (np.asarray(a) for a in events)
    where = np.full(int(max(sample.max(initial=-1), rows.max(initial=-1))) + 1, -1, np.int64)
    where[rows] = np.arange(len(rows))
    keep = where[sample] >= 0
    return where[sample[keep]], inp[keep], time_ms[keep]
