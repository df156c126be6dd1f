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

import numpy as np
from numba import njit, prange

from . import bucketing, delivery
from .bucketing import _sort_bucket
from .delivery import _latest_spike, _recurrent_arrivals, _recurrent_delayed
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
    v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, exp_euler, read_ring, steered
):  # pragma: no cover - compiled
    """One step of every excitatory unit; returns whether any is above its threshold ``thr``
    (``v_thresh - offset + theta``) and not refractory. ``pe``: its parameters (see the unpacking
    below), in the state's float type.

    ``read_ring``: step n-1's arrivals, the ring's rows at ``lo`` and its copy half a ring on (2D
    rows), join ``ge`` first, and the rows are cleared for reuse (in this loop: one pass over
    them, 4% of a recording).
    Call it with literal ``exp_euler``, ``read_ring`` and ``steered`` (whether any ``steer_e`` is
    not 0) only: as run-time values they would be branches inside the loop, which stop LLVM
    vectorising it (measured 0.28 -> 0.69 ms/sample).
    So must the result be a boolean OR: an integer count of the units above threshold stopped
    vectorisation too (7% of a recording). A unit is out of its refractory period when its last
    spike step ``ls_e <= lim32 = n - ref``: one int32 comparison per lane (``n - ls_e >= ref``
    widens to int64 in numba: 5% of a recording; int64 steps: 10%).
    """
    v_rest, e_exc, e_inh, tau, dt, one, f_ge, f_gi, tau_ge, tau_gi, tiny, zero = pe
    N = v_e.shape[0]
    above = False
    half = ring.shape[0] // 2
    rlo = ring[lo : lo + N]
    rhi = ring[lo + half : lo + half + N]
    for j in range(N):
        nr = ls_e[j] <= lim32
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
def _record(counts, ev, b, j, n, n_ev, n_rec, bin_steps):  # pragma: no cover - compiled
    """Count a spike of unit j at step n in its bin and keep it as event ``n_ev`` if the buffer has
    room (the count goes on: a larger one is rerun); returns the new count. Only inside ``n_rec``."""
    if n < n_rec:
        counts[b, n // bin_steps, j] += 1.0
        if n_ev < ev.shape[1]:
            ev[b, n_ev, 0] = j
            ev[b, n_ev, 1] = n
        n_ev += 1
    return n_ev


def _make_simulate(stamp: str):
    """The kernel; ``stamp``: the source stamp of the modules whose helpers it inlines
    (:mod:`snn.jitcache`)."""

    @njit(cache=True, parallel=True, error_model="numpy", fastmath={"arcp", "contract"})
    def simulate(
        w,
        theta,
        dly,
        dly_ptr,
        dly_post,
        dly_off,
        rdly_ei,
        rdly_ie,
        DR,
        lastpre,
        lastpost,
        replica,
        t0,
        in_ptr,
        in_idx,
        fe_ptr,
        fe_idx,
        ovr_e,
        fi_ptr,
        fi_idx,
        ovr_i,
        steer_e,
        steer_i,
        P,
        tab_pre,
        tab_post1,
        tab_post2,
        ref_e,
        ref_i,
        n_steps,
        n_rec,
        bin_steps,
        plastic,
        learn_theta,
        exp_euler,
        counts_e,
        counts_i,
        ev_e,
        nev_e,
        ev_i,
        nev_i,
    ):  # pragma: no cover - compiled
        """Simulate ``len(replica)`` independent presentations; see the module docstring.

        w [R, n_in, N], theta [R, N]: per-replica weights and thresholds (updated in place when
        ``plastic``). Delays: ``dly [R, n_in, N]`` in steps; ``dly_ptr``/``dly_post`` group the
        synapses by (input, delay) (see
        :func:`delay_csr`; used when plastic); ``dly_off [R, n_in, N] = delay * N + j`` (frozen).
        Recurrent delays (``DR`` > 0 ring rows, the longest + 1): ``rdly_ei [R, N]`` exc j -> inh j,
        ``rdly_ie [R, N, N]`` inh u -> exc j in steps; ``DR = 0``: recurrent spikes arrive at once.
        in_ptr [B*n_steps+1] / in_idx: input events per (b, step). fe_*/fi_*: forced spikes per
        (b, step) for units with ``ovr_e``/``ovr_i`` set. Outputs: counts per bin ``[B, n_bins, N]``
        over the first ``n_rec`` steps (any contents on entry: each bin is zeroed as it opens),
        events ``ev_* [B, cap, 2]`` (unit, step) in (step, unit) order with their number in
        ``nev_*`` (which may exceed cap: then rerun bigger). ``exp_euler``: Brian2's
        exponential Euler instead of forward Euler (see :func:`snn.dynamics.lif_update`).
        """
        _ = stamp  # part of numba's cache key: a change to an inlined helper's module recompiles
        B = replica.shape[0]
        n_in = w.shape[1]
        N = w.shape[2]
        D = dly_ptr.shape[2] - 1
        # parameters as scalars: LLVM cannot hoist loads from P out of loops that store to arrays
        dt = P[DT]
        vth_e = P[VTH_E] - P[OFFSET]
        vrest_e, vreset_e, eexc_e, einh_e = P[VREST_E], P[VRESET_E], P[EEXC_E], P[EINH_E]
        vrest_i, vreset_i, eexc_i, einh_i, vth_i = P[VREST_I], P[VRESET_I], P[EEXC_I], P[EINH_I], P[VTH_I]
        tau_e, tau_i, tau_ge, tau_gi, tau_th = P[TAU_E], P[TAU_I], P[TAU_GE], P[TAU_GI], P[TAU_THETA]
        w_ei, w_ie, nu_pre, nu_post, w_max, th_plus = P[W_EI], P[W_IE], P[NU_PRE], P[NU_POST], P[W_MAX], P[THETA_PLUS]
        # exponential Euler: exact decay factors per step (in P's float type)
        one = P.dtype.type(1.0)
        zero = P.dtype.type(0.0)
        tiny = P.dtype.type(np.finfo(P.dtype).tiny)  # conductances below it are set to 0 (see _decay_g)
        f_ge, f_gi, f_th = np.exp(-dt / tau_ge), np.exp(-dt / tau_gi), np.exp(-dt / tau_th)
        n_tab_post1 = tab_post1.shape[0]
        d_post1 = tab_post1[1]  # exp(-dt / tau_post1)
        n_tab_post2 = tab_post2.shape[0]
        n_tab_pre = tab_pre.shape[0]
        pe = (vrest_e, eexc_e, einh_e, tau_e, dt, one, f_ge, f_gi, tau_ge, tau_gi, tiny, zero)
        forced_e = fe_idx.shape[0] > 0
        forced_i = fi_idx.shape[0] > 0
        steered_e = False
        steered_i = False
        for j in range(N):
            if steer_e[j] != 0.0:
                steered_e = True
            if steer_i[j] != 0.0:
                steered_i = True
        for b in prange(B):
            r = replica[b]
            # neuron state in P's float type (float32 recording: half the bytes, twice the SIMD lanes)
            v_e = np.full(N, vrest_e)
            ge_e = np.zeros(N, P.dtype)
            gi_e = np.zeros(N, P.dtype)
            # last spike steps relative to this call, int32: the refractory test in the vectorised
            # update then stays in 32-bit lanes
            ls_e = np.full(N, NEVER32)
            v_i = np.full(N, vrest_i)
            ge_i = np.zeros(N, P.dtype)
            gi_i = np.zeros(N, P.dtype)
            ls_i = np.full(N, NEVER32)
            th = theta[r]
            # thresholds v_thresh - offset + theta, updated where theta changes (one add per unit and
            # step fewer in the update while theta is frozen)
            thr = th + vth_e
            w_r = w[r]
            off_r = dly_off[r]
            ptr_r = dly_ptr[r]
            post_r = dly_post[r]
            lp_r = lastpre[r]
            dly_r = dly[r]
            lastpost_r = lastpost[r]
            # post1 of every neuron at the current step, read by each arrival: from the table at the
            # start of the call (a neuron that never spiked: age from NEVER beyond the table, 0), then
            # multiplied by exp(-dt/tau) each step and set to 1 at a post spike. Within 1e-13 (relative)
            # of the table after 1000 steps; the per-step table gather for all N cost 11% of training.
            post1_now = np.zeros(N)
            if plastic:
                for j in range(N):
                    post1_now[j] = tab_post1[min(t0[b] - lastpost_r[j], n_tab_post1 - 1)]
            # spikers of this step (a unit at most once), so spike handling costs O(spikes), not O(N)
            spk_e = np.empty(N, np.int64)
            spk_i = np.empty(N, np.int64)
            # An inhibitory neuron that has not spiked and received nothing sits exactly at rest, where
            # its Euler update is the identity: only the "awake" ones (and all when steered) are updated.
            awake = np.zeros(N, np.int64)
            is_awake = np.zeros(N, np.bool_)
            n_awake = 0
            if steered_i:
                for j in range(N):
                    awake[j] = j
                    is_awake[j] = True
                n_awake = N
            hist = np.zeros((D, n_in), np.uint32)
            hcnt = np.zeros(D, np.int64)
            # Pre traces are not stored per arrival (a store per synaptic event is a third of the
            # delivery time): the last D spike steps of each input are kept instead, and a synapse's
            # last arrival is found from them and its delay when a post spike reads it (and at the end).
            sbuf = np.empty((n_in, D), np.int64)
            scnt = np.zeros(n_in, np.int64)
            pending = 0  # input spikes in the history (still arriving somewhere)
            # frozen weights: arrivals pushed at emission into rows (n % D) + delay of a 2D-row ring
            # (row n % D and n % D + D both hold step n's arrivals), so no modulo per synapse
            ring = np.zeros(0 if plastic else 2 * D * N, P.dtype)
            # recurrent delays: conductance increments of exc->inh / inh->exc arrivals, row (step % DR)
            ring_ei = np.zeros(DR * N, P.dtype)
            ring_ie = np.zeros(DR * N, P.dtype)
            ne = 0
            ni = 0
            for n in range(n_steps):
                tabs = t0[b] + n
                if n < n_rec and n % bin_steps == 0:
                    # The count arrays come uncleared (reused): each bin is zeroed as it opens, so its
                    # rows are written while in the cache, between steps, not in a pass of their own.
                    counts_e[b, n // bin_steps] = 0.0
                    counts_i[b, n // bin_steps] = 0.0
                # 1. state update: Euler from the old state (see _update_exc). The method and whether the
                # ring is read are literals at each call: the compiled loop has no branch on them.
                n32 = np.int32(n)  # (n_steps < 2**30: SNNConfig checks it)
                lim32 = np.int32(n - ref_e)
                if learn_theta:  # (its own loop: a store to th inside the next one stops vectorisation)
                    if exp_euler:
                        for j in range(N):
                            th[j] = _decay(th[j], f_th, dt, tau_th, True)
                            thr[j] = vth_e + th[j]
                    else:
                        for j in range(N):
                            th[j] = _decay(th[j], f_th, dt, tau_th, False)
                            thr[j] = vth_e + th[j]
                lo = ((n + D - 1) % D) * N  # step n-1's row (and its copy D rows on)
                # (training steers nothing, but keeps the term: no more copies of the loop to compile)
                if plastic:
                    if exp_euler:
                        above = _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, True, False, True)
                    else:
                        above = _update_exc(
                            v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, False, False, True
                        )
                elif steered_e:
                    if exp_euler:
                        above = _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, True, True, True)
                    else:
                        above = _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, False, True, True)
                elif exp_euler:
                    above = _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, True, True, False)
                else:
                    above = _update_exc(v_e, ge_e, gi_e, ls_e, thr, steer_e, ring, lo, lim32, pe, False, True, False)
                for a in range(n_awake):
                    j = awake[a]
                    g = ge_i[j]
                    h = gi_i[j]
                    if (n - ls_i[j]) >= ref_i:
                        v_i[j] = _membrane(v_i[j], g, h, vrest_i, eexc_i, einh_i, steer_i[j], tau_i, dt, one, exp_euler)
                    ge_i[j] = _decay_g(g, f_ge, dt, tau_ge, tiny, zero, exp_euler)
                    gi_i[j] = _decay_g(h, f_gi, dt, tau_gi, tiny, zero, exp_euler)
                # 2. thresholds: collect this step's spikers
                n_se = 0
                if above:
                    for j in range(N):
                        if v_e[j] > thr[j] and (n - ls_e[j]) >= ref_e and not ovr_e[j]:
                            spk_e[n_se] = j
                            n_se += 1
                n_si = 0
                for a in range(n_awake):
                    j = awake[a]
                    if v_i[j] > vth_i and (n - ls_i[j]) >= ref_i and not ovr_i[j]:
                        spk_i[n_si] = j
                        n_si += 1
                base = b * n_steps + n
                # forced spikes of overridden units (without any, their ptr arrays are not read: never
                # touched, their zero pages are never faulted in)
                if forced_e:
                    n_se = _forced_spikes(fe_ptr, fe_idx, base, n, ls_e, ref_e, spk_e, n_se)
                if forced_i:
                    n_si = _forced_spikes(fi_ptr, fi_idx, base, n, ls_i, ref_i, spk_i, n_si)
                # Spikers in ascending unit order, so the recorded events are (sample, step, unit)
                # ordered as SpikeEvents keeps them (no sort afterwards). The threshold scan gives
                # excitatory units in order, the forced ones come after them; inhibitory units are
                # visited in the order they woke in. Nothing below depends on the order of one step's
                # spikers (each adds the same w_ie, or touches only its own unit).
                if forced_e and n_se > 1:
                    _sort_bucket(spk_e, 0, n_se)
                if n_si > 1:
                    _sort_bucket(spk_i, 0, n_si)
                # 3. synapses: pre pathways (input->exc with delays, exc->inh, inh->exc) ...
                if plastic:
                    # input spikes of step n enter the delay history (slot n % D, overwriting n - D)
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
                    if n > 0:  # post1 decays by one step (a vectorised multiply, not a table gather per neuron)
                        for j in range(N):
                            post1_now[j] *= d_post1
                    if pending > 0:
                        s = slot
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
                else:
                    ring_n = ring[(n % D) * N :]
                    for k in range(in_ptr[base], in_ptr[base + 1]):
                        i = in_idx[k]
                        off_ri = off_r[i]
                        w_ri = w_r[i]
                        for j in range(N):
                            ring_n[off_ri[j]] += w_ri[j]
                if DR == 0:
                    for k in range(n_se):
                        u = spk_e[k]
                        ge_i[u] += w_ei
                    for k in range(n_si):
                        u = spk_i[k]
                        for j in range(N):
                            if j != u:
                                gi_e[j] += w_ie
                else:
                    _recurrent_delayed(
                        spk_e, n_se, spk_i, n_si, n, rdly_ei[r], rdly_ie[r], ring_ei, ring_ie, w_ei, w_ie
                    )
                    _recurrent_arrivals(ring_ei, ring_ie, (n % DR) * N, ge_i, gi_e)
                for k in range(n_se):  # the partner of a spiking exc unit wakes now (at rest it is exact to update it)
                    u = spk_e[k]
                    if not is_awake[u]:
                        is_awake[u] = True
                        awake[n_awake] = u
                        n_awake += 1
                # ... then the post pathway of the plastic synapses
                if plastic:
                    for k in range(n_se):
                        j = spk_e[k]
                        post2 = 0.0
                        age = tabs - lastpost_r[j]
                        if age < n_tab_post2:
                            post2 = tab_post2[age]
                        for i in range(n_in):
                            d = dly_r[i, j]
                            m = _latest_spike(sbuf, scnt, i, n - d)
                            t_arr = t0[b] + m + d if m >= 0 else lp_r[i, j]
                            pre = tab_pre[min(tabs - t_arr, n_tab_pre - 1)]
                            w_r[i, j] = min(max(w_r[i, j] + nu_post * pre * post2, 0.0), w_max)
                        lastpost_r[j] = tabs
                        post1_now[j] = 1.0
                # 4. resets, and recording of the presentation window
                for k in range(n_se):
                    j = spk_e[k]
                    v_e[j] = vreset_e
                    ls_e[j] = n32
                    if plastic and learn_theta:
                        th[j] += th_plus
                    ne = _record(counts_e, ev_e, b, j, n, ne, n_rec, bin_steps)
                for k in range(n_si):
                    j = spk_i[k]
                    v_i[j] = vreset_i
                    ls_i[j] = n32
                    if not is_awake[j]:  # a forced spike wakes the unit too
                        is_awake[j] = True
                        awake[n_awake] = j
                        n_awake += 1
                    ni = _record(counts_i, ev_i, b, j, n, ni, n_rec, bin_steps)
            if plastic:
                # the last arrival at each synapse during this call becomes its lastpre
                for i in range(n_in):
                    if scnt[i] == 0:
                        continue
                    for j in range(N):
                        d = dly_r[i, j]
                        m = _latest_spike(sbuf, scnt, i, n_steps - 1 - d)
                        if m >= 0:
                            lp_r[i, j] = t0[b] + m + d
            nev_e[b] = ne
            nev_i[b] = ni

    return simulate


simulate = _make_simulate(source_stamp(bucketing, delivery))
