"""Event delivery of the simulation kernel (:mod:`snn.kernel`): synapses grouped by delay, the
last spikes of each input from which arrivals are found, and the rings of recurrent arrivals."""

from __future__ import annotations

import numpy as np
from numba import njit


def delay_csr(delay_steps: np.ndarray, n_slots: int) -> tuple[np.ndarray, np.ndarray]:
    """Group synapses by (input, delay): ``ptr [R, n_in, n_slots+1]``, ``post [R, n_in*N]`` (int32).

    The targets of input i with delay d are ``post[r, ptr[r,i,d]:ptr[r,i,d+1]]``, ascending.
    Unsigned, so that the kernel's indexing needs no negative-index fix-up.
    """
    R, n_in, N = delay_steps.shape
    order = np.argsort(delay_steps, axis=2, kind="stable")  # ascending delay, then unit index
    sorted_d = np.take_along_axis(delay_steps, order, axis=2)
    counts = np.zeros((R, n_in, n_slots), np.int64)
    for d in range(n_slots):
        counts[:, :, d] = (sorted_d == d).sum(axis=2)
    ptr = np.zeros((R, n_in, n_slots + 1), np.uint32)
    ptr[:, :, 1:] = np.cumsum(counts, axis=2) + (np.arange(n_in) * N)[None, :, None]
    ptr[:, :, 0] = (np.arange(n_in) * N)[None, :]
    return ptr, order.reshape(R, n_in * N).astype(np.uint32)


def delay_offsets(delay_steps: np.ndarray) -> np.ndarray:
    """``delay * N + j`` per synapse ``[R, n_in, N]``: where a frozen synapse's arrival lands in the
    kernel's ring of ``[2 * n_slots, N]`` rows, relative to the emission row.

    uint16 when every offset fits (400 neurons, 21 delay slots: < 8400), else uint32: the offsets
    are read once per synaptic event, and half the bytes keep more of the ring in L1 (measured:
    0.49 -> 0.40 ns per event).
    """
    N = delay_steps.shape[2]
    off = delay_steps.astype(np.int64) * N + np.arange(N)
    return off.astype(np.uint16 if off.size == 0 or off.max() <= np.iinfo(np.uint16).max else np.uint32)


@njit(cache=True, inline="always")
def _latest_spike(sbuf, scnt, i, x):  # pragma: no cover - compiled
    """The latest spike step ``<= x`` of input ``i`` in its buffer of its last D spike steps, or -1.

    ``x >= n - D + 1`` at step n, and at most one spike per step, so if the input spiked more than
    D times the oldest buffered spike is ``<= x``: -1 means no spike of this call qualifies.
    """
    D = sbuf.shape[1]
    c = scnt[i] - 1
    stop = max(scnt[i] - D, 0)
    while c >= stop:
        m = sbuf[i, c % D]
        if m <= x:
            return m
        c -= 1
    return -1


@njit(cache=True, inline="always")
def _recurrent_delayed(spk_e, n_se, spk_i, n_si, n, d_ei, d_ie, ring_ei, ring_ie, w_ei, w_ie):  # pragma: no cover
    """Push step n's recurrent spikes into the rings (row ``(n + delay) % DR``): exc u -> inh u
    with delay ``d_ei[u]``, inh u -> every exc j != u with delay ``d_ie[u, j]``."""
    N = d_ei.shape[0]
    DR = ring_ei.shape[0] // N
    for k in range(n_se):
        u = spk_e[k]
        ring_ei[((n + d_ei[u]) % DR) * N + u] += w_ei
    for k in range(n_si):
        u = spk_i[k]
        d_u = d_ie[u]
        for j in range(N):
            if j != u:
                ring_ie[((n + d_u[j]) % DR) * N + j] += w_ie


@njit(cache=True, inline="always")
def _recurrent_arrivals(ring_ei, ring_ie, row, ge_i, gi_e):  # pragma: no cover - compiled
    """This step's recurrent arrivals (ring row starting at ``row``) join ``ge_i`` and ``gi_e``;
    the row is cleared for reuse (adding 0 changes nothing: every unit takes its row)."""
    N = ge_i.shape[0]
    for j in range(N):
        ge_i[j] += ring_ei[row + j]
        gi_e[j] += ring_ie[row + j]
        ring_ei[row + j] = 0.0
        ring_ie[row + j] = 0.0
