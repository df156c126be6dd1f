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


@njit(cache=True, inline="always")
def _enter_history(hist, hcnt, sbuf, scnt, in_ptr, in_idx, base, n, pending):  # pragma: no cover - compiled
    """Plastic weights: the input spikes of (sample, step) ``base`` enter the delay history ``hist
    [D, n_in]`` at slot ``n % D`` (overwriting step n - D) and each input's buffer ``sbuf`` of its
    last D spike steps; returns the number of input spikes in the history (still arriving)."""
    D = hist.shape[0]
    slot = n % D
    pending -= hcnt[slot]
    cnt = 0
    for k in range(in_ptr[base], in_ptr[base + 1]):
        hist[slot, cnt] = in_idx[k]
        cnt += 1
    hcnt[slot] = cnt
    pending += cnt
    for k in range(cnt):
        i = hist[slot, k]
        sbuf[i, scnt[i] % D] = n
        scnt[i] += 1
    return pending


@njit(cache=True, inline="always")
def _arrive_plastic(
    hist, hcnt, n, pending, w_r, ptr_r, post_r, ge_e, post1_now, d_post1, stdp
):  # pragma: no cover - compiled
    """Plastic weights, step n: every input spike of step ``n - d`` in the history reaches its
    synapses of delay d (the (input, delay) groups of :func:`delay_csr`): ``ge += w``, then
    ``w = clip(w - nu_pre * post1)``; ``stdp = (nu_pre, nu_post, w_max)``. ``post1_now`` first decays
    by one step (a vectorised multiply, not a table gather per neuron)."""
    nu_pre, _, w_max = stdp
    if n > 0:
        for j in range(post1_now.shape[0]):
            post1_now[j] *= d_post1
    if pending > 0:
        D = hist.shape[0]
        s = n % D
        for d in range(min(D, n + 1)):  # the spikes of step n - d arrive by delay d
            for k in range(hcnt[s]):
                i = hist[s, k]
                w_ri = w_r[i]
                for p in range(ptr_r[i, d], ptr_r[i, d + 1]):
                    j = post_r[p]
                    ge_e[j] += w_ri[j]
                    # Brian2 clips on every event, even when the trace is 0.
                    w_ri[j] = min(max(w_ri[j] - nu_pre * post1_now[j], 0.0), w_max)
            s = s - 1 if s > 0 else D - 1


@njit(cache=True, inline="always")
def _push_frozen(ring, row, in_ptr, in_idx, base, off_r, w_r):  # pragma: no cover - compiled
    """Frozen weights: each input spike of (sample, step) ``base`` adds its weight row to the ring
    of future arrivals at its synapses' offsets ``delay * N + j`` from ``row``, the step's row."""
    N = w_r.shape[1]
    ring_n = ring[row:]
    for k in range(in_ptr[base], in_ptr[base + 1]):
        i = in_idx[k]
        off_ri = off_r[i]
        w_ri = w_r[i]
        for j in range(N):
            ring_n[off_ri[j]] += w_ri[j]


@njit(cache=True, inline="always")
def _recurrent_instant(spk_e, n_se, spk_i, n_si, ge_i, gi_e, w_ei, w_ie):  # pragma: no cover - compiled
    """Recurrent spikes without delays arrive at once: exc u -> inh u, inh u -> every exc j != u."""
    for k in range(n_se):
        u = spk_e[k]
        ge_i[u] += w_ei
    for k in range(n_si):
        u = spk_i[k]
        for j in range(gi_e.shape[0]):
            if j != u:
                gi_e[j] += w_ie


@njit(cache=True, inline="always")
def _potentiate(
    spk_e, n_se, n, t0b, lastpost_r, tab_pre, tab_post2, sbuf, scnt, delays_r, lastpre_r, w_r, stdp
):  # pragma: no cover - compiled
    """The post pathway of the plastic synapses (after the pre pathways): for each excitatory spike
    ``w = clip(w + nu_post * pre * post2)`` on all its input synapses, ``post2`` read before it is
    reset (:func:`_post_spiked`) and ``pre`` from the synapse's last arrival (``t0b``: the call's
    first absolute step); ``stdp = (nu_pre, nu_post, w_max)``."""
    _, nu_post, w_max = stdp
    t_abs = t0b + n
    n_in = w_r.shape[0]
    n_tab_pre = tab_pre.shape[0]
    for k in range(n_se):
        j = spk_e[k]
        post2 = 0.0
        age = t_abs - lastpost_r[j]
        if age < tab_post2.shape[0]:
            post2 = tab_post2[age]
        for i in range(n_in):
            d = delays_r[i, j]
            m = _latest_spike(sbuf, scnt, i, n - d)
            t_arr = t0b + m + d if m >= 0 else lastpre_r[i, j]
            pre = tab_pre[min(t_abs - t_arr, n_tab_pre - 1)]
            w_r[i, j] = min(max(w_r[i, j] + nu_post * pre * post2, 0.0), w_max)


@njit(cache=True, inline="always")
def _post_spiked(spk_e, n_se, t_abs, lastpost_r, post1_now):  # pragma: no cover - compiled
    """The post traces of this step's excitatory spikers are set to 1: last post spike ``t_abs``."""
    for k in range(n_se):
        j = spk_e[k]
        lastpost_r[j] = t_abs
        post1_now[j] = 1.0


@njit(cache=True, inline="always")
def _last_arrivals(sbuf, scnt, delays_r, lastpre_r, t0b, n_steps):  # pragma: no cover - compiled
    """At the end of a plastic call: the last arrival at each synapse during the call (absolute
    step) becomes its ``lastpre``; synapses of inputs that did not spike keep theirs."""
    n_in, N = delays_r.shape
    for i in range(n_in):
        if scnt[i] == 0:
            continue
        for j in range(N):
            d = delays_r[i, j]
            m = _latest_spike(sbuf, scnt, i, n_steps - 1 - d)
            if m >= 0:
                lastpre_r[i, j] = t0b + m + d
