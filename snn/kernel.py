"""The fused CPU event kernel (numba): one step loop per batch element, event-driven delivery.

Semantics are those of Brian2's default schedule, per time step ``n`` (t = n * dt):

1. ``groups``: forward-Euler state update of every neuron. A neuron is refractory while
   ``n - last_spike < refractory_steps`` (Brian2's ``timestep(t - lastspike) >=
   timestep(refractory)``); ``v`` does not move while refractory ("unless refractory");
   conductances always decay. Theta decays (Euler) only while learning.
2. ``thresholds``: ``v > v_thresh + theta - offset`` and not refractory (inhibitory:
   ``v > v_thresh_inh``). Overridden units (Ablate, Clamp, Patch) take their spikes from
   the forced event list instead (still not during the refractory period). Input spikes of
   step n enter the delay history.
3. ``synapses``: pre pathways first (Brian2's order -1): every input spike emitted at
   step ``n - d`` reaches the synapses whose delay is ``d`` steps: ``ge += w``, the pre
   trace is set to 1 and ``w = clip(w - nu_pre * post1)``; exc->inh one-to-one
   ``ge_inh += w_exc_inh``; inh->exc all-but-self ``gi_exc += w_inh_exc`` (with recurrent
   delays: the spikes of step ``n - d`` whose synapse has delay ``d``). Then the post
   pathway (order +1): for each excitatory spike ``w = clip(w + nu_post * pre * post2)``
   with ``post2`` read before it is reset, then post traces are set to 1.
4. ``resets``: ``v = v_reset``, ``theta += theta_plus`` (while learning).

Traces are "nearest spike" (set to 1), so each is ``exp(-(t - t_last)/tau)`` of the time
of its last event (looked up in a table by whole steps), kept as absolute step numbers
(``lastpre`` per synapse, ``lastpost`` per neuron) that persist across presentations while training.

This module holds :func:`simulate` (one ``prange`` loop over presentations, the step loop inside),
the neuron phases it inlines (state update, thresholds, resets, recording) and the parameter
vector; the synaptic phases are in :mod:`snn.delivery`. Its arguments come in the groups
:class:`Network`, :class:`Presentations`, :class:`Overrides`, :class:`Params` and :class:`Outputs`.
Beside it: input-event bucketing (:mod:`snn.bucketing`), Poisson trains (:mod:`snn.poisson`),
prefaulted count arrays (:mod:`snn.memory`).

How the work is organised (what the profile asked for; none of it changes a spike):

- Frozen weights (recording): an input spike pushes its 400 arrivals into a ring of future
  conductance increments when it is emitted (``delay * N + j`` offsets, one contiguous loop),
  instead of being looked up again at each of its 21 arrival steps in small (input, delay)
  groups: a third of the time per synaptic event. Step n's ring row joins ``ge`` before the
  update of step n+1 (nothing reads ``ge`` in between).
- Plastic weights: arrivals are delivered in (input, delay) groups (the weight at arrival is
  needed). ``lastpre`` is not written per arrival (that store was a third of the delivery
  time): the last D spike steps of each input are kept, and a synapse's last arrival is found
  from them and its delay when a post spike reads it and, once, at the end of the call. The
  post1 trace that every arrival reads is decayed by one multiply per neuron and step instead of
  a table lookup by age (the same to 1e-13, relative).
- An inhibitory unit that neither spiked nor received anything is exactly at rest, where its
  Euler update is the identity: only the woken ones are updated.
- Index arrays are unsigned (numba adds a negative-index fix-up to every signed index) and
  parameters are read into scalars once (LLVM cannot hoist loads from ``P`` past stores).
- The excitatory update is one loop that LLVM vectorises (checked in the assembly: 8 float32
  lanes): no branch inside it depends on a run-time flag, its one result is a boolean OR, the
  refractory test compares int32 steps (see :func:`_update_exc`). Conductances that decay
  below the smallest normal float become 0 (see :func:`_decay_g`): subnormals are slow.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
from numba import njit, prange

from . import bucketing, delivery
from .bucketing import _sort_bucket
from .delivery import (
    _arrive_plastic,
    _enter_history,
    _last_arrivals,
    _post_spiked,
    _potentiate,
    _push_frozen,
    _recurrent_arrivals,
    _recurrent_delayed,
    _recurrent_instant,
)
from .jitcache import source_stamp

NEVER = np.int64(-(2**62))  # "no event yet": a trace read from it is exactly 0
NEVER32 = np.int32(-(2**30))  # the same for last-spike steps within one call (refractory long over)

# indices into the float parameter vector P
(
    DT,
    TAU_E,
    VREST_E,
    VRESET_E,
    VTH_E,
    OFFSET,
    EEXC_E,
    EINH_E,
    TAU_GE,
    TAU_GI,
    THETA_PLUS,
    TAU_THETA,
    TAU_I,
    VREST_I,
    VRESET_I,
    VTH_I,
    EEXC_I,
    EINH_I,
    W_EI,
    W_IE,
    TAU_PRE,
    TAU_POST1,
    TAU_POST2,
    NU_PRE,
    NU_POST,
    W_MAX,
) = range(26)
N_FLOAT_PARAMS = 26


def float_params(cfg) -> np.ndarray:
    """The parameter vector ``P`` of a resolved :class:`~snn.config.SNNConfig`."""
    return np.array(
        [
            cfg.dt_ms,
            cfg.tau_m_exc_ms,
            cfg.v_rest_exc_mv,
            cfg.v_reset_exc_mv,
            cfg.v_thresh_exc_mv,
            cfg.theta_offset_mv,
            cfg.e_exc_mv,
            cfg.e_inh_exc_mv,
            cfg.tau_ge_ms,
            cfg.tau_gi_ms,
            cfg.theta_plus_mv,
            cfg.tau_theta_ms,
            cfg.tau_m_inh_ms,
            cfg.v_rest_inh_mv,
            cfg.v_reset_inh_mv,
            cfg.v_thresh_inh_mv,
            cfg.e_exc_mv,
            cfg.e_inh_inh_mv,
            cfg.w_exc_inh,
            cfg.w_inh_exc,
            cfg.tau_pre_ms,
            cfg.tau_post1_ms,
            cfg.tau_post2_ms,
            cfg.nu_pre,
            cfg.nu_post,
            cfg.w_max,
        ],
        dtype=np.float64,
    )


@functools.lru_cache(maxsize=32)
def decay_table(tau_ms: float, dt_ms: float) -> np.ndarray:
    """``exp(-(k * dt) / tau)`` for every whole number of steps ``k`` until it underflows to 0.

    Trace ages are whole steps, so a lookup gives exactly the value the exponential would. The
    last entry is 0.0, so the kernel reads ``table[min(age, len - 1)]`` without a branch.
    """
    k_max = int(760.0 * tau_ms / dt_ms) + 2  # exp(-760) == 0.0 in float64
    table = np.exp(-(np.arange(k_max) * dt_ms) / tau_ms)
    table.setflags(write=False)  # shared through the cache
    return table


def refractory_steps(ms: float, dt: float) -> int:
    """Brian2's ``timestep(refractory, dt)``: int((ms + 1e-3 dt) / dt)."""
    return int((ms + 1e-3 * dt) / dt)


@njit(cache=True, inline="always")
def _membrane(
    v, g, h, v_rest, e_exc, e_inh, steer, tau, dt, one, exp_euler, steered=True
):  # pragma: no cover - compiled
    """v (mV) after one step of ``tau dv/dt = (v_rest - v) + g (e_exc - v) + h (e_inh - v) + steer``:
    forward Euler, or (``exp_euler``) the exact relaxation to ``v_inf`` with g and h held.
    ``steered=False`` (a literal) leaves the steer term out: the same value when it is 0, one
    load and one add fewer per unit in the vectorised update (3% of a recording)."""
    if exp_euler:
        g_total = one + g + h
        drive = v_rest + g * e_exc + h * e_inh
        if steered:
            drive = drive + steer
        v_inf = drive / g_total
        return v_inf + (v - v_inf) * np.exp(-dt * g_total / tau)
    drive = (v_rest - v) + g * (e_exc - v) + h * (e_inh - v)
    if steered:
        drive = drive + steer
    return v + dt * (drive / tau)


@njit(cache=True, inline="always")
def _decay(x, factor, dt, tau, exp_euler):  # pragma: no cover - compiled
    """x after one step of ``dx/dt = -x / tau``: forward Euler, or times ``factor = exp(-dt/tau)``."""
    return x * factor if exp_euler else x + dt * (-x / tau)


@njit(cache=True, inline="always")
def _decay_g(g, factor, dt, tau, tiny, zero, exp_euler):  # pragma: no cover - compiled
    """A conductance (>= 0) after one step of decay, set to 0 below ``tiny``, the smallest normal
    float of its type. Without that it would never reach 0: at the smallest subnormals
    ``h - h dt/tau`` rounds back to ``h`` (dt/tau = 1/4: Euler of tau_gi; exponential Euler the
    same), and every operation on a subnormal takes a microcode assist: the excitatory update
    with gi stuck there took 12.5 instead of 0.36 ns per unit and step (micro-benchmark; inputs
    at 0.3x intensity leave gi subnormal for a while in 179 of 256 digits presentations). Below
    1.2e-38 a conductance moves no membrane potential: the spikes are the same."""
    g = _decay(g, factor, dt, tau, exp_euler)
    return g if g >= tiny else zero


@njit(cache=True, inline="always", error_model="numpy", fastmath={"arcp", "contract"})
def _update_exc(
    v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, exp_euler, read_ring, steered
):  # pragma: no cover - compiled
    """One step of every excitatory unit; returns whether any is above its threshold ``thr``
    (``v_thresh - offset + theta``) and not refractory. ``exc``: its parameters (see the unpacking
    below), in the state's float type.

    ``read_ring``: step n-1's arrivals, the ring's rows at ``lo`` and its copy half a ring on (2D
    rows), join ``ge`` first, and the rows are cleared for reuse (in this loop: one pass over
    them, 4% of a recording).
    Call it with literal ``exp_euler``, ``read_ring`` and ``steered`` (whether any ``steer_e`` is
    not 0) only: as run-time values they would be branches inside the loop, which stop LLVM
    vectorising it (measured 0.28 -> 0.69 ms/sample).
    So must the result be a boolean OR: an integer count of the units above threshold stopped
    vectorisation too (7% of a recording). A unit is out of its refractory period when its last
    spike step ``ls_e <= ref_limit = n - ref``: one int32 comparison per lane (``n - ls_e >= ref``
    widens to int64 in numba: 5% of a recording; int64 steps: 10%).
    """
    v_rest, e_exc, e_inh, tau, dt, one, f_ge, f_gi, tau_ge, tau_gi, tiny, zero = exc
    N = v_e.shape[0]
    above = False
    half = ring.shape[0] // 2
    rlo = ring[lo : lo + N]
    rhi = ring[lo + half : lo + half + N]
    for j in range(N):
        nr = ls_e[j] <= ref_limit
        v = v_e[j]
        g = ge_e[j]
        if read_ring:
            g = g + (rlo[j] + rhi[j])
            rlo[j] = 0.0
            rhi[j] = 0.0
        h = gi_e[j]
        v = _membrane(v, g, h, v_rest, e_exc, e_inh, steer_e[j], tau, dt, one, exp_euler, steered) if nr else v
        v_e[j] = v
        ge_e[j] = _decay_g(g, f_ge, dt, tau_ge, tiny, zero, exp_euler)
        gi_e[j] = _decay_g(h, f_gi, dt, tau_gi, tiny, zero, exp_euler)
        above |= (v > thr[j]) & nr
    return above


@njit(cache=True, inline="always")
def _forced_spikes(ptr, idx, base, n, ls, ref, spk, n_s):  # pragma: no cover - compiled
    """Append the forced spikes of (sample, step) ``base`` to the ``n_s`` spikers in ``spk``, those
    out of their refractory period (as in Brian2); returns the new number of spikers."""
    for k in range(ptr[base], ptr[base + 1]):
        j = idx[k]
        if (n - ls[j]) >= ref:
            spk[n_s] = j
            n_s += 1
    return n_s


@njit(cache=True, inline="always")
def _record(spk, n_s, counts, ev, b, n, n_ev, n_rec, bin_steps):  # pragma: no cover - compiled
    """Count this step's spikers in their bin and keep them as events from ``n_ev`` on while the
    buffer has room (the count goes on: a larger one is rerun); returns the new count. Only
    inside the first ``n_rec`` steps."""
    if n < n_rec:
        for k in range(n_s):
            j = spk[k]
            counts[b, n // bin_steps, j] += 1.0
            if n_ev < ev.shape[1]:
                ev[b, n_ev, 0] = j
                ev[b, n_ev, 1] = n
            n_ev += 1
    return n_ev


@njit(cache=True, inline="always")
def _update_exc_as(
    v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, exp_euler, plastic, steered
):  # pragma: no cover - compiled
    """:func:`_update_exc` with its three flags as literals: one compiled loop per combination,
    none with a branch on them inside. Plastic runs read no ring (their arrivals go to ``ge`` at
    once); training steers nothing, but keeps the term (fewer copies of the loop to compile)."""
    if plastic:
        if exp_euler:
            return _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, True, False, True)
        return _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, False, False, True)
    if steered:
        if exp_euler:
            return _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, True, True, True)
        return _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, False, True, True)
    if exp_euler:
        return _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, True, True, False)
    return _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, False, True, False)


@njit(cache=True, inline="always")
def _decay_theta(theta, thr, vth_e, f_th, dt, tau_th, exp_euler):  # pragma: no cover - compiled
    """One step of theta's decay (while learning) and the thresholds ``thr = vth_e + theta`` (mV).
    A loop of its own: a store to theta inside the excitatory update stops its vectorisation."""
    if exp_euler:
        for j in range(theta.shape[0]):
            theta[j] = _decay(theta[j], f_th, dt, tau_th, True)
            thr[j] = vth_e + theta[j]
    else:
        for j in range(theta.shape[0]):
            theta[j] = _decay(theta[j], f_th, dt, tau_th, False)
            thr[j] = vth_e + theta[j]


@njit(cache=True, inline="always")
def _update_inh(v_i, ge_i, gi_i, ls_i, awake, n_awake, n, ref_i, steer_i, inh, exp_euler):  # pragma: no cover
    """One step of the ``n_awake`` inhibitory units listed in ``awake`` (the others sit exactly at
    rest, where the update is the identity); ``inh``: their parameters, as ``exc`` of
    :func:`_update_exc`."""
    v_rest, e_exc, e_inh, tau, dt, one, f_ge, f_gi, tau_ge, tau_gi, tiny, zero = inh
    for a in range(n_awake):
        j = awake[a]
        g = ge_i[j]
        h = gi_i[j]
        if (n - ls_i[j]) >= ref_i:
            v_i[j] = _membrane(v_i[j], g, h, v_rest, e_exc, e_inh, steer_i[j], tau, dt, one, exp_euler)
        ge_i[j] = _decay_g(g, f_ge, dt, tau_ge, tiny, zero, exp_euler)
        gi_i[j] = _decay_g(h, f_gi, dt, tau_gi, tiny, zero, exp_euler)


@njit(cache=True, inline="always")
def _spikers_exc(v_e, thr, ls_e, n, ref_e, override_e, above, f_ptr, f_idx, base, spk_e):  # pragma: no cover
    """This step's excitatory spikers into ``spk_e``, ascending; returns their number: the units
    above threshold (only looked for when ``above``), out of their refractory period and not
    overridden, then the forced spikes of (sample, step) ``base`` (see :func:`_forced_spikes`).

    Spikers come in ascending unit order, so the recorded events are (sample, step, unit) ordered
    as SpikeEvents keeps them (no sort afterwards): the scan gives them in order, the forced ones
    come after them. Nothing downstream depends on the order of one step's spikers (each adds the
    same w_ie, or touches only its own unit). Without forced spikes their ptr arrays are never read
    (their zero pages are never faulted in)."""
    n_s = 0
    if above:
        for j in range(v_e.shape[0]):
            if v_e[j] > thr[j] and (n - ls_e[j]) >= ref_e and not override_e[j]:
                spk_e[n_s] = j
                n_s += 1
    if f_idx.shape[0] > 0:
        n_s = _forced_spikes(f_ptr, f_idx, base, n, ls_e, ref_e, spk_e, n_s)
        if n_s > 1:
            _sort_bucket(spk_e, 0, n_s)
    return n_s


@njit(cache=True, inline="always")
def _spikers_inh(
    v_i, vth_i, ls_i, n, ref_i, override_i, awake, n_awake, f_ptr, f_idx, base, spk_i
):  # pragma: no cover - compiled
    """:func:`_spikers_exc` for the awake inhibitory units (threshold ``vth_i``), which are visited
    in the order they woke in: sorted afterwards."""
    n_s = 0
    for a in range(n_awake):
        j = awake[a]
        if v_i[j] > vth_i and (n - ls_i[j]) >= ref_i and not override_i[j]:
            spk_i[n_s] = j
            n_s += 1
    if f_idx.shape[0] > 0:
        n_s = _forced_spikes(f_ptr, f_idx, base, n, ls_i, ref_i, spk_i, n_s)
    if n_s > 1:
        _sort_bucket(spk_i, 0, n_s)
    return n_s


@njit(cache=True, inline="always")
def _post1_at_start(post1_now, tab_post1, t0b, lastpost_r):  # pragma: no cover - compiled
    """post1 of every neuron at step ``t0b`` from the table (a neuron that never spiked: age from
    NEVER beyond the table, 0)."""
    for j in range(post1_now.shape[0]):
        post1_now[j] = tab_post1[min(t0b - lastpost_r[j], tab_post1.shape[0] - 1)]


@njit(cache=True, inline="always")
def _wake(spk, n_s, is_awake, awake, n_awake):  # pragma: no cover - compiled
    """Add the units ``spk[:n_s]`` not yet awake to the awake inhibitory units; returns their number."""
    for k in range(n_s):
        u = spk[k]
        if not is_awake[u]:
            is_awake[u] = True
            awake[n_awake] = u
            n_awake += 1
    return n_awake


@njit(cache=True, inline="always")
def _reset(spk, n_s, v, ls, n, v_reset):  # pragma: no cover - compiled
    """Resets of this step's ``n_s`` spikers ``spk``: ``v = v_reset``, last spike step n."""
    n32 = np.int32(n)  # (n_steps < 2**30: SNNConfig checks it)
    for k in range(n_s):
        j = spk[k]
        v[j] = v_reset
        ls[j] = n32


@njit(cache=True, inline="always")
def _raise_theta(spk, n_s, theta, theta_plus):  # pragma: no cover - compiled
    """While learning, each spiker's theta rises by ``theta_plus`` (mV)."""
    for k in range(n_s):
        theta[spk[k]] += theta_plus


@njit(cache=True, inline="always")
def _neuron_params(P, v_rest, e_exc, e_inh, tau):  # pragma: no cover - compiled
    """The parameters of one population's update (see :func:`_update_exc`) from ``P`` and the
    indices of its own ones, in ``P``'s float type; exponential Euler's exact decay factors."""
    dt, tau_ge, tau_gi = P[DT], P[TAU_GE], P[TAU_GI]
    one = P.dtype.type(1.0)
    zero = P.dtype.type(0.0)
    tiny = P.dtype.type(np.finfo(P.dtype).tiny)  # conductances below it are set to 0 (see _decay_g)
    f_ge, f_gi = np.exp(-dt / tau_ge), np.exp(-dt / tau_gi)
    return (P[v_rest], P[e_exc], P[e_inh], P[tau], dt, one, f_ge, f_gi, tau_ge, tau_gi, tiny, zero)


@njit(cache=True, inline="always")
def _any_nonzero(x):  # pragma: no cover - compiled
    """Whether any element of the 1-D ``x`` is not 0."""
    for j in range(x.shape[0]):
        if x[j] != 0.0:
            return True
    return False


class Network(NamedTuple):
    """The network's arrays, per replica ``r`` (``R`` of them, ``N`` neurons, ``n_in`` inputs).

    ``w [R, n_in, N]``, ``theta [R, N]`` (mV): weights and adaptive thresholds, updated in place
    when plastic. ``delays [R, n_in, N]``: input delays in steps; ``delay_ptr``/``delay_post``
    group the synapses by (input, delay) (:func:`snn.delivery.delay_csr`, read when plastic);
    ``delay_off [R, n_in, N] = delay * N + j`` (:func:`snn.delivery.delay_offsets`, read when
    frozen). Recurrent delays in steps: ``recurrent_ei [R, N]`` exc j -> inh j, ``recurrent_ie
    [R, N, N]`` inh u -> exc j, ``recurrent_rows`` the longest + 1 (0: recurrent spikes arrive at
    once). ``lastpre [R, n_in, N]``, ``lastpost [R, N]``: absolute steps of the last arrival at
    each synapse and of each neuron's last spike (traces; updated when plastic).
    """

    w: np.ndarray
    theta: np.ndarray
    delays: np.ndarray
    delay_ptr: np.ndarray
    delay_post: np.ndarray
    delay_off: np.ndarray
    recurrent_ei: np.ndarray
    recurrent_ie: np.ndarray
    recurrent_rows: int
    lastpre: np.ndarray
    lastpost: np.ndarray


class Presentations(NamedTuple):
    """``B`` presentations: the replica each runs on ``replica [B]``, its first absolute step ``t0
    [B]``, and its input events per (presentation b, step n): ``in_idx[in_ptr[k]:in_ptr[k + 1]]``,
    ``k = b * n_steps + n`` (``in_ptr [B * n_steps + 1]``)."""

    replica: np.ndarray
    t0: np.ndarray
    in_ptr: np.ndarray
    in_idx: np.ndarray


class Overrides(NamedTuple):
    """Interventions: forced spikes per (b, step) as ``in_ptr``/``in_idx`` are (Clamp, Patch,
    Retime) of the units whose ``override_e``/``override_i [N]`` is set (they do not spike on their
    own: Ablate is an override without forced spikes); ``steer_e``/``steer_i [N]``: extra input
    current (mV, in ``P``'s float type)."""

    forced_e_ptr: np.ndarray
    forced_e_idx: np.ndarray
    override_e: np.ndarray
    forced_i_ptr: np.ndarray
    forced_i_idx: np.ndarray
    override_i: np.ndarray
    steer_e: np.ndarray
    steer_i: np.ndarray


class Params(NamedTuple):
    """How to run: ``P`` (:func:`float_params`, its float type the state's), the trace tables
    (:func:`decay_table` of tau_pre, tau_post1, tau_post2), refractory periods in steps, steps to
    run, steps recorded (``n_rec``) in bins of ``bin_steps``, whether the weights learn (and
    theta), and ``exp_euler``: Brian2's exponential Euler instead of forward Euler."""

    P: np.ndarray
    tab_pre: np.ndarray
    tab_post1: np.ndarray
    tab_post2: np.ndarray
    ref_e: int
    ref_i: int
    n_steps: int
    n_rec: int
    bin_steps: int
    plastic: bool
    learn_theta: bool
    exp_euler: bool


class Outputs(NamedTuple):
    """What a call writes: spike counts per bin ``counts_* [B, n_bins, N]`` over the first ``n_rec``
    steps (any contents on entry: each bin is zeroed as it opens), and events ``ev_* [B, cap, 2]``
    (unit, step) in (step, unit) order with their number in ``nev_* [B]`` (which may exceed cap:
    then run again with more room)."""

    counts_e: np.ndarray
    counts_i: np.ndarray
    ev_e: np.ndarray
    nev_e: np.ndarray
    ev_i: np.ndarray
    nev_i: np.ndarray


def _make_simulate(stamp: str):
    """The kernel, compiled once per argument types; ``stamp``: the source stamp of the modules
    whose helpers it inlines (:mod:`snn.jitcache`)."""

    # One prange loop over presentations, the step loop inside, its phases inline functions: see
    # the docstring for why. The signature is plain arrays and scalars, one line per group.
    @njit(cache=True, parallel=True, error_model="numpy", fastmath={"arcp", "contract"})
    def simulate(
        w, theta, delays, delay_ptr, delay_post, delay_off,
        recurrent_ei, recurrent_ie, recurrent_rows, lastpre, lastpost,
        replica, t0, in_ptr, in_idx,
        forced_e_ptr, forced_e_idx, override_e, forced_i_ptr, forced_i_idx, override_i, steer_e, steer_i,
        P, tab_pre, tab_post1, tab_post2, ref_e, ref_i, n_steps, n_rec, bin_steps, plastic, learn_theta, exp_euler,
        counts_e, counts_i, ev_e, nev_e, ev_i, nev_i,
    ):  # pragma: no cover - compiled  # fmt: skip
        """Simulate ``len(replica)`` independent presentations (the module docstring says how).

        The arguments are the fields of :class:`Network`, :class:`Presentations`,
        :class:`Overrides`, :class:`Params` and :class:`Outputs`, in that order (call it as
        ``simulate(*network, *presentations, *overrides, *params, *outputs)``). They are plain
        parameters, and the presentations one ``prange`` loop whose body calls only inline
        functions, because numba's parallel pass compiled wrong spikes when the groups came in
        as NamedTuples, and a function called per presentation recorded 1.35x slower
        (docs/performance.md, "The kernel split").
        """
        _ = stamp  # part of numba's cache key: a change to an inlined helper's module recompiles
        B = replica.shape[0]
        n_in = w.shape[1]
        N = w.shape[2]
        D = delay_ptr.shape[2] - 1
        # parameters as scalars: LLVM cannot hoist loads from P out of loops that store to arrays
        dt, vth_e, vth_i, vreset_e, vreset_i = P[DT], P[VTH_E] - P[OFFSET], P[VTH_I], P[VRESET_E], P[VRESET_I]
        w_ei, w_ie, th_plus = P[W_EI], P[W_IE], P[THETA_PLUS]
        stdp = (P[NU_PRE], P[NU_POST], P[W_MAX])
        tau_th, f_th = P[TAU_THETA], np.exp(-P[DT] / P[TAU_THETA])
        exc = _neuron_params(P, VREST_E, EEXC_E, EINH_E, TAU_E)
        inh = _neuron_params(P, VREST_I, EEXC_I, EINH_I, TAU_I)
        vrest_e, vrest_i = exc[0], inh[0]
        d_post1 = tab_post1[1]  # exp(-dt / tau_post1)
        steered_e = _any_nonzero(steer_e)
        steered_i = _any_nonzero(steer_i)
        for b in prange(B):
            r = replica[b]
            t0b = t0[b]
            # Every per-presentation array is allocated here in the loop body, none in a helper:
            # numba may hoist allocations out of a prange body (docs/performance.md, kernel split).
            # Neuron state in P's float type (float32 recording: half the bytes, twice the SIMD
            # lanes); last spike steps relative to this call, int32: the refractory test in the
            # vectorised update then stays in 32-bit lanes.
            v_e = np.full(N, vrest_e)
            ge_e = np.zeros(N, P.dtype)
            gi_e = np.zeros(N, P.dtype)
            ls_e = np.full(N, NEVER32)
            v_i = np.full(N, vrest_i)
            ge_i = np.zeros(N, P.dtype)
            gi_i = np.zeros(N, P.dtype)
            ls_i = np.full(N, NEVER32)
            th = theta[r]
            # thresholds v_thresh - offset + theta, updated where theta changes (one add per unit
            # and step fewer in the update while theta is frozen)
            thr = th + vth_e
            w_r, lastpre_r, lastpost_r, delays_r = w[r], lastpre[r], lastpost[r], delays[r]
            off_r, ptr_r, post_r = delay_off[r], delay_ptr[r], delay_post[r]
            # post1 of every neuron at the current step, read by each arrival: from the table at the
            # start of the call, then decayed each step and set to 1 at a post spike (within 1e-13,
            # relative, of the table after 1000 steps; a per-step table gather for all N is slower)
            post1_now = np.zeros(N)
            if plastic:
                _post1_at_start(post1_now, tab_post1, t0b, lastpost_r)
            # spikers of this step (a unit at most once), so spike handling costs O(spikes), not O(N)
            spk_e = np.empty(N, np.int64)
            spk_i = np.empty(N, np.int64)
            # awake inhibitory units (see _update_inh): all of them when steered
            awake = np.zeros(N, np.int64)
            is_awake = np.zeros(N, np.bool_)
            n_awake = 0
            if steered_i:
                for j in range(N):
                    awake[j] = j
                    is_awake[j] = True
                n_awake = N
            # plastic: the input spikes of the last D steps, and each input's last D spike steps
            # (from which a synapse's last arrival is found, instead of a store per arrival)
            hist = np.zeros((D, n_in), np.uint32)
            hcnt = np.zeros(D, np.int64)
            sbuf = np.empty((n_in, D), np.int64)
            scnt = np.zeros(n_in, np.int64)
            pending = 0  # input spikes in the history (still arriving somewhere)
            # frozen weights: arrivals pushed at emission into rows (n % D) + delay of a 2D-row ring
            # (row n % D and n % D + D both hold step n's arrivals), so no modulo per synapse
            ring = np.zeros(0 if plastic else 2 * D * N, P.dtype)
            # recurrent delays: conductance increments of exc->inh / inh->exc arrivals, row step % recurrent_rows
            ring_ei = np.zeros(recurrent_rows * N, P.dtype)
            ring_ie = np.zeros(recurrent_rows * N, P.dtype)
            ne = 0
            ni = 0
            for n in range(n_steps):
                if n < n_rec and n % bin_steps == 0:
                    # The count arrays come uncleared: each bin is zeroed as it opens, so its rows
                    # are written while in the cache, between steps, not in a pass of their own.
                    counts_e[b, n // bin_steps] = 0.0
                    counts_i[b, n // bin_steps] = 0.0
                # 1. state update: Euler from the old state (see _update_exc)
                if learn_theta:
                    _decay_theta(th, thr, vth_e, f_th, dt, tau_th, exp_euler)
                lo = ((n + D - 1) % D) * N  # step n-1's ring row (and its copy D rows on)
                ref_limit = np.int32(n - ref_e)  # out of the refractory period: last spike <= this
                above = _update_exc_as(
                    v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, ref_limit, exc, exp_euler, plastic, steered_e
                )
                _update_inh(v_i, ge_i, gi_i, ls_i, awake, n_awake, n, ref_i, steer_i, inh, exp_euler)
                # 2. thresholds: this step's spikers, then the forced spikes of overridden units
                base = b * n_steps + n
                n_se = _spikers_exc(
                    v_e, thr, ls_e, n, ref_e, override_e, above, forced_e_ptr, forced_e_idx, base, spk_e
                )
                n_si = _spikers_inh(
                    v_i, vth_i, ls_i, n, ref_i, override_i, awake, n_awake, forced_i_ptr, forced_i_idx, base, spk_i
                )
                # 3. synapses: pre pathways (input->exc with delays, exc->inh, inh->exc) ...
                if plastic:
                    pending = _enter_history(hist, hcnt, sbuf, scnt, in_ptr, in_idx, base, n, pending)
                    _arrive_plastic(hist, hcnt, n, pending, w_r, ptr_r, post_r, ge_e, post1_now, d_post1, stdp)
                else:
                    _push_frozen(ring, (n % D) * N, in_ptr, in_idx, base, off_r, w_r)
                if recurrent_rows == 0:
                    _recurrent_instant(spk_e, n_se, spk_i, n_si, ge_i, gi_e, w_ei, w_ie)
                else:
                    _recurrent_delayed(
                        spk_e, n_se, spk_i, n_si, n, recurrent_ei[r], recurrent_ie[r], ring_ei, ring_ie, w_ei, w_ie
                    )
                    _recurrent_arrivals(ring_ei, ring_ie, (n % recurrent_rows) * N, ge_i, gi_e)
                # the partner of a spiking exc unit wakes now (at rest it is exact to update it)
                n_awake = _wake(spk_e, n_se, is_awake, awake, n_awake)
                # ... then the post pathway of the plastic synapses
                if plastic:
                    _potentiate(
                        spk_e, n_se, n, t0b, lastpost_r, tab_pre, tab_post2, sbuf, scnt, delays_r, lastpre_r, w_r, stdp
                    )
                    _post_spiked(spk_e, n_se, t0b + n, lastpost_r, post1_now)
                # 4. resets (a forced spike wakes an inhibitory unit too), and recording of the window
                _reset(spk_e, n_se, v_e, ls_e, n, vreset_e)
                if plastic and learn_theta:
                    _raise_theta(spk_e, n_se, th, th_plus)
                _reset(spk_i, n_si, v_i, ls_i, n, vreset_i)
                n_awake = _wake(spk_i, n_si, is_awake, awake, n_awake)
                ne = _record(spk_e, n_se, counts_e, ev_e, b, n, ne, n_rec, bin_steps)
                ni = _record(spk_i, n_si, counts_i, ev_i, b, n, ni, n_rec, bin_steps)
            if plastic:
                _last_arrivals(sbuf, scnt, delays_r, lastpre_r, t0b, n_steps)
            nev_e[b] = ne
            nev_i[b] = ni

    return simulate


simulate = _make_simulate(source_stamp(bucketing, delivery))
