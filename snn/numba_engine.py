"""The numba engine: the fused CPU event kernel (:mod:`snn.kernel`) behind the engine contract
(:class:`snn.engines.Engine`); samples or replicas of a batch run in parallel on the CPU's threads."""

from __future__ import annotations

import contextlib

import numpy as np

from .config import check_method
from .encoding import select_rows
from .engines import Batch, Engine, NetState, SimResult


def fresh_counts(shape: tuple[int, ...]) -> np.ndarray:
    """New zeroed float32 count arrays for one recording, never shared with another call.

    Arrays of at least ``memory.PREFAULT_MIN`` elements are touched by all threads before the
    kernel runs, so that the kernel does not take the page faults of fresh memory inside its
    parallel loop (docs/performance.md). A recording's arrays are its own: nothing writes into
    them after they are handed out, whatever the Python implementation.
    """
    from .memory import PREFAULT_MIN, prefaulted_zeros

    if np.prod(shape) < PREFAULT_MIN:
        return np.zeros(shape, np.float32)
    return prefaulted_zeros(shape)


@contextlib.contextmanager
def at_most_threads(n: int):
    """numba's threads limited to ``n`` (the iterations of a ``prange``) inside the block, then
    restored. A parallel region wakes every thread and waits for all at its end: with one
    presentation (training one network) the idle threads add only that wait, which on a loaded
    machine, where a woken thread may wait for a core, doubled the time of training
    (docs/performance.md). The results do not depend on the number of threads."""
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(n, before)))
    try:
        yield
    finally:
        numba.set_num_threads(before)


class NumbaEngine(Engine):
    """The fused event kernel; samples of a batch run in parallel on the CPU's threads."""

    name = "numba"
    EVENT_CAP = 128  # spikes per sample and site held by the first run of a frozen batch

    def __init__(self):
        self._csr_cache: tuple | None = None

    def _csr(self, state: NetState):
        from .delivery import delay_csr, delay_offsets

        # Keyed by the array object itself (held by the cache): an id() could be reused by a new
        # array once the old one is freed, and would then hand out another network's delays.
        if self._csr_cache is None or self._csr_cache[0] is not state.delay_steps:
            self._csr_cache = (
                state.delay_steps,
                (*delay_csr(state.delay_steps, state.n_slots), delay_offsets(state.delay_steps)),
            )
        return self._csr_cache[1]

    def simulate(self, cfg, state, batch, *, plastic, n_steps, n_rec, bin_steps):
        # Event buffers hold EVENT_CAP spikes per sample and site (a presentation has ~20-100):
        # the few samples that spike more are run again with room for all. A plastic run must not
        # run twice: it gets room for 4 spikes per step (training reads only its counts).
        cap = max(256, 4 * n_rec) if plastic else self.EVENT_CAP
        counts_e, counts_i, ev_e, nev_e, ev_i, nev_i = self._run(
            cfg, state, batch, plastic, n_steps, n_rec, bin_steps, cap
        )
        events = [_flatten(ev_e, nev_e), _flatten(ev_i, nev_i)]
        if plastic:
            state.clock[batch.replica] += n_steps
            return SimResult(counts_e, counts_i, *events)
        over = np.flatnonzero(np.maximum(nev_e, nev_i) > cap)
        if len(over):  # frozen runs are deterministic: the rerun gives the same spikes
            cap = int(max(nev_e[over].max(), nev_i[over].max()))
            *_, ev_e2, nev_e2, ev_i2, nev_i2 = self._run(
                cfg, state, batch_rows(batch, over), plastic, n_steps, n_rec, bin_steps, cap
            )
            for k, (ev2, nev2) in enumerate(((ev_e2, nev_e2), (ev_i2, nev_i2))):
                b, unit, step = events[k]
                keep = ~np.isin(b, over)
                b2, unit2, step2 = _flatten(ev2, nev2)
                b = np.concatenate([b[keep], over[b2]])
                order = np.argsort(b, kind="stable")
                events[k] = (
                    b[order],
                    np.concatenate([unit[keep], unit2])[order],
                    np.concatenate([step[keep], step2])[order],
                )
        return SimResult(counts_e, counts_i, *events)

    def _run(self, cfg, state, batch, plastic, n_steps, n_rec, bin_steps, cap):
        from . import kernel

        check_method(cfg.method)  # None (unresolved) must not run as forward Euler
        ptr, post, off = self._csr(state)
        B = len(batch.replica)
        N = state.w.shape[2]
        n_bins = -(-n_rec // bin_steps)
        # Recording follows cfg.dtype; training always runs in float64: the weights and theta
        # it updates persist, and theta's decay per step (5e-8 of it) is below float32's resolution.
        fdt = np.float32 if cfg.dtype == "float32" and not plastic else np.float64
        w, theta = (state.w, state.theta) if fdt is np.float64 else (state.w.astype(fdt), state.theta.astype(fdt))
        network = kernel.Network(
            w, theta, state.delay_steps, ptr, post, off, *_recurrent(state), state.lastpre, state.lastpost
        )
        presentations = kernel.Presentations(
            batch.replica.astype(np.int64),
            state.clock[batch.replica].astype(np.int64),
            batch.inputs.ptr,
            batch.inputs.idx,
        )
        overrides = kernel.Overrides(
            batch.forced_e.ptr,
            batch.forced_e.idx,
            batch.override_e,
            batch.forced_i.ptr,
            batch.forced_i.idx,
            batch.override_i,
            batch.steer_e.astype(fdt),
            batch.steer_i.astype(fdt),
        )
        params = kernel.Params(
            kernel.float_params(cfg).astype(fdt),
            *(kernel.decay_table(tau, cfg.dt_ms) for tau in (cfg.tau_pre_ms, cfg.tau_post1_ms, cfg.tau_post2_ms)),
            kernel.refractory_steps(cfg.refractory_exc_ms, cfg.dt_ms),
            kernel.refractory_steps(cfg.refractory_inh_ms, cfg.dt_ms),
            n_steps,
            n_rec,
            bin_steps,
            plastic,
            plastic,  # theta learns with the weights
            cfg.method == "exponential_euler",
        )
        # (count arrays uncleared: the kernel zeroes each bin as it opens)
        out = kernel.Outputs(
            fresh_counts((B, n_bins, N)),
            fresh_counts((B, n_bins, N)),
            np.zeros((B, cap, 2), np.int64),
            np.zeros(B, np.int64),
            np.zeros((B, cap, 2), np.int64),
            np.zeros(B, np.int64),
        )
        # plain arguments in the groups' order: the jitted signature takes no NamedTuples (kernel.simulate)
        with at_most_threads(B):
            kernel.simulate(*network, *presentations, *overrides, *params, *out)
        return out


def _recurrent(state: NetState) -> tuple[np.ndarray, np.ndarray, int]:
    """:class:`snn.kernel.Network`'s recurrent delays (exc->inh, inh->exc, ring rows), empty and 0 without."""
    if state.delay_ei_steps is None:
        return np.zeros((1, 0), np.int16), np.zeros((1, 0, 0), np.int16), 0
    return state.delay_ei_steps, state.delay_ie_steps, state.n_recurrent_slots


def batch_rows(batch: Batch, rows: np.ndarray) -> Batch:
    """The presentations ``rows`` of a batch, as a batch of their own."""
    return Batch(
        batch.replica[rows],
        select_rows(batch.inputs, rows),
        select_rows(batch.forced_e, rows),
        batch.override_e,
        select_rows(batch.forced_i, rows),
        batch.override_i,
        batch.steer_e,
        batch.steer_i,
    )


def _flatten(ev: np.ndarray, nev: np.ndarray):
    nev = np.minimum(nev, ev.shape[1])
    b = np.repeat(np.arange(len(nev)), nev)
    mask = np.arange(ev.shape[1])[None, :] < nev[:, None]
    return b, ev[..., 0][mask], ev[..., 1][mask]
