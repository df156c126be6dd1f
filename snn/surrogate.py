"""Surrogate-gradient training of the spiking network (``SNNConfig(learning="surrogate")``).

The network is the STDP network's: conductance-based LIF excitatory layer with per-neuron
threshold ``v_thresh - offset + theta``, inhibitory layer one-to-one from it and all-but-self
back (with its recurrent delays when ``delay_recurrent_ms > 0``), input->excitatory synapses
with per-synapse delays, Poisson inputs with optional jitter. Training runs those dynamics
forward over a presentation and backpropagates through time (Zenke & Ganguli 2018; Neftci,
Mostafa & Zenke 2019). :func:`presentation_counts` is the reference: the step functions of
:mod:`snn.dynamics` under torch autograd.
:class:`Presentation` is what training uses: the same step in a numba forward pass that keeps
each step's state, and the adjoint equations in a numba backward pass (the same gradient to
1e-15, ``tests/test_surrogate.py``; eager torch spends its time in per-step op overhead).

- **Spikes** are the exact threshold crossings of the forward model; their derivative with
  respect to ``v - threshold`` is replaced by the fast sigmoid's ``1 / (1 + slope |v - thr|)^2``
  (``surrogate_slope``, 1/mV; :class:`snn.dynamics.SurrogateSpike`). The reset is not
  differentiated (the spike that triggers it is detached; Zenke & Vogels 2021 found this
  helps), nor is refractoriness (a mask).
- **Loss**: cross-entropy of a linear readout of each excitatory neuron's spike count over the
  presentation (binary cross-entropy per label for multilabel tasks), Adam on the
  input->excitatory weights ``w``, the thresholds ``theta`` and the readout.
- **Lateral inhibition is a fixed input to the gradient.** The inhibitory layer runs in the
  forward pass exactly as when recording (the full winner-take-all, so the weights are learned
  under the competition they are recorded with), but no gradient flows through its spikes: an
  excitatory neuron's inhibitory conductance enters its gradient as a given input, and each
  neuron's adjoint is a scalar recurrence in time (:func:`_present_backward`). Why: an
  inhibitory neuron is a one-step relay (one excitatory spike adds ``w_exc_inh`` = 10.4 to its
  conductance and it fires a step later), so its surrogate mostly sees a membrane far from
  threshold or jumping across it; and the loop excitatory -> inhibitory -> all other excitatory
  multiplies two surrogate derivatives and ``w_exc_inh * w_inh_exc`` at every step, which BPTT
  over hundreds of steps compounds. Measured with :func:`presentation_counts`
  (``inhibition_grad=True``) at the initial weights of 100 neurons on 32 digits: the gradient
  through the inhibitory spikes is ~1e53 times larger than with fixed inhibition, at cosine
  0.04 to it: it explodes.
- **Theta** is a learned per-neuron threshold offset (a bias, in mV, kept >= 0 as D&C's
  adaptive theta), frozen when recording like an STDP-trained theta; there is no homeostatic
  ``theta_plus`` while training.
- **Weights stay in [0, w_max]** (projected after every Adam step): input->excitatory synapses
  are excitatory conductances, which the numba kernel, the eager engine and Brian2 all simulate
  unchanged (a negative conductance would be unphysical, and exponential Euler's
  ``1 + ge + gi`` could cross 0).
- **Inhibition while training** is the one recording uses (``w_inh_exc_test`` when set, else
  ``w_inh_exc``): the gradient optimises the network that is recorded.

Cost: BPTT keeps each step's excitatory ``v``, ``ge``, ``gi`` (float64) and two masks, about
26 bytes per neuron, step and sample (100 MB for a batch of 32 x 400 neurons x 350 steps of
1 ms), and the backward pass is one sweep back in time: a training step costs about two
simulations. The input drive ``sum_i w_ij s_i(t - d_ij)`` is computed for the whole
presentation at once by a numba event kernel (each input spike adds its weight row at its
delays; the backward pass gathers at the same events), not as ``n_slots`` delayed dense
matmuls. ``surrogate_dt_ms`` trains at a coarser step than ``dt_ms`` (half the steps at 1 ms;
delays and refractory periods are put on the coarser grid, forward Euler of ``ge`` with
``tau_ge`` = 1 ms becomes a one-step pulse); the recorded network runs at ``dt_ms``, so the
accuracy that counts is the recorded one, and the mismatch costs: 100 neurons on digits, 12
epochs, recorded at 0.5 ms, reach 96.4% trained at 0.5 ms and 93.1% trained at 1 ms. Hence
the default trains at ``dt_ms`` itself, the whole presentation, no truncation.

After training, the network is what an STDP-trained one is: ``w`` ``[n_inputs, N]``, ``theta``
``[N]``, the delays, and a readout: the trained linear readout as a
:class:`probes.support.LogisticReadout` (softmax of ``counts @ coef.T + intercept``, the same
function), so every engine records it with the existing code.
"""

from __future__ import annotations

import resource
import time
from typing import NamedTuple

import numpy as np
import torch
from numba import njit, prange

from probes.support import readout_from_arrays

from . import kernel
from .config import SNNConfig, check_method
from .dynamics import LIFParams, lif_init, lif_reset, lif_threshold_surrogate, lif_update
from .encoding import Events, check_input_spikes, encode, select_rows
from .engines import NetState
from .jitcache import source_stamp
from .kernel import (
    DT,
    EEXC_E,
    EINH_E,
    EINH_I,
    NEVER,
    TAU_E,
    TAU_GE,
    TAU_GI,
    TAU_I,
    VRESET_E,
    VRESET_I,
    VREST_E,
    VREST_I,
    VTH_I,
    W_EI,
    W_IE,
    _decay,
    _membrane,
    float_params,
    refractory_steps,
)

_TAG_SURROGATE = 5  # seed stream of the training order, input trains and readout init
THETA_LR_SCALE = 25.0  # theta's Adam step, in mV, is this times surrogate_lr (weights are ~0.1-1)
READOUT_LR_SCALE = 5.0


# --- the input drive: sum_i w_ij s_i(n - d_ij), with its gradient --------------------------------
@njit(cache=True, parallel=True)
def _drive_forward(w, off, ptr, idx, n_steps, out):  # pragma: no cover - compiled
    """out ``[B, (n_steps + D) * N]`` (zeros on entry) += w[i] at row n + d_ij of each input spike (b, n, i)."""
    B = out.shape[0]
    N = w.shape[1]
    for b in prange(B):
        o = out[b]
        for n in range(n_steps):
            base = n * N
            for k in range(ptr[b * n_steps + n], ptr[b * n_steps + n + 1]):
                i = idx[k]
                for j in range(N):
                    o[base + off[i, j]] += w[i, j]


@njit(cache=True, parallel=True)
def _drive_backward(grad, off, ptr, idx, n_steps, part):  # pragma: no cover - compiled
    """part ``[B, n_in, N]`` (zeros on entry): d loss / d w_ij of each sample, gathered at the same events."""
    B = grad.shape[0]
    N = part.shape[2]
    for b in prange(B):
        g = grad[b]
        p = part[b]
        for n in range(n_steps):
            base = n * N
            for k in range(ptr[b * n_steps + n], ptr[b * n_steps + n + 1]):
                i = idx[k]
                for j in range(N):
                    p[i, j] += g[base + off[i, j]]


class DelayedDrive(torch.autograd.Function):
    """``drive[b, n, j] = sum_i w[i, j] * s[b, n - d_ij, i]``: conductance added to ``ge`` of excitatory
    neuron j in step n by the input events ``s`` (CSR :class:`~snn.encoding.Events`); differentiable in w."""

    @staticmethod
    def forward(ctx, w: torch.Tensor, events: Events, off: np.ndarray, n_slots: int) -> torch.Tensor:
        T, B = events.n_steps, events.n_batch
        n_in, N = w.shape
        wn = w.detach().numpy()
        out = np.zeros((B, (T + n_slots) * N), wn.dtype)
        _drive_forward(wn, off, events.ptr, events.idx, T, out)
        ctx.events, ctx.off, ctx.n_slots, ctx.shape, ctx.dtype = events, off, n_slots, (n_in, N), wn.dtype
        return torch.from_numpy(out.reshape(B, T + n_slots, N)[:, :T])

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        T, B = ctx.events.n_steps, ctx.events.n_batch
        n_in, N = ctx.shape
        g = np.zeros((B, T + ctx.n_slots, N), ctx.dtype)
        g[:, :T] = grad.numpy()
        part = np.zeros((B, n_in, N), g.dtype)
        _drive_backward(g.reshape(B, -1), ctx.off, ctx.events.ptr, ctx.events.idx, T, part)
        return torch.from_numpy(part.sum(0)), None, None, None


class Recurrent(NamedTuple):
    """Recurrent delays on the training grid: exc j -> inh j after ``d_ei [N]`` steps, inh u -> exc j
    after ``d_ie [N, N]`` (int64); ``n_slots`` = the longest + 1 (0: none, every spike arrives at once)."""

    d_ei: np.ndarray
    d_ie: np.ndarray
    n_slots: int

    @staticmethod
    def none() -> Recurrent:
        return Recurrent(np.zeros(0, np.int64), np.zeros((0, 0), np.int64), 0)

    @staticmethod
    def of(state: NetState, dt_ms: float, dt: float) -> Recurrent | None:
        """Replica 0's recurrent delays (steps of ``dt_ms``) put on a training grid of step ``dt``."""
        if state.delay_ei_steps is None:
            return None
        d_ei, d_ie = (np.rint(d[0] * dt_ms / dt).astype(np.int64) for d in (state.delay_ei_steps, state.delay_ie_steps))
        return Recurrent(d_ei, d_ie, int(max(d_ei.max(initial=0), d_ie.max(initial=0))) + 1)


# --- one presentation, differentiable ----------------------------------------------------------
def _params(cfg: SNNConfig, dt: float) -> tuple[LIFParams, LIFParams]:
    from .torch_engine import lif_params

    return lif_params(cfg, dt)


def presentation_counts(
    cfg: SNNConfig,
    drive: torch.Tensor,
    theta: torch.Tensor,
    dt: float,
    *,
    inhibition_grad: bool = False,
    recurrent: Recurrent | None = None,
) -> torch.Tensor:
    """Excitatory spike counts ``[B, N]`` of one presentation driven by ``drive`` ``[B, T, N]``
    (:class:`DelayedDrive`), thresholds ``v_thresh - offset + theta`` (theta ``[N]`` mV), in the
    order of a simulation step of :mod:`snn.dynamics`; differentiable in drive and theta through
    the surrogate spikes. ``inhibition_grad``: also differentiate through the inhibitory spikes
    (default: inhibition is a fixed input, see the module doc). ``recurrent``: the recurrent
    delays on the training grid (None: recurrent spikes arrive in the step they are emitted)."""
    B, T, N = drive.shape
    ex, ih = _params(cfg, dt)
    slope = cfg.surrogate_slope
    w_ie = cfg.w_inh_exc if cfg.w_inh_exc_test is None else cfg.w_inh_exc_test
    opts = dict(dtype=drive.dtype, device=drive.device)
    exc, inh = lif_init(ex, (B, N), **opts), lif_init(ih, (B, N), **opts)
    thr = cfg.v_thresh_exc_mv - cfg.theta_offset_mv + theta
    count = torch.zeros(B, N, **opts)
    if recurrent is not None:
        D = recurrent.n_slots
        ring_ei, ring_ie = torch.zeros(B, D, N, **opts), torch.zeros(B, D, N, **opts)
        d_ei = torch.as_tensor(recurrent.d_ei, device=drive.device)
        d_ie = torch.as_tensor(recurrent.d_ie, device=drive.device)
        not_self = 1.0 - torch.eye(N, **opts)
    for n, drive_n in enumerate(drive.unbind(1)):
        # 1. groups
        exc, nr_e = lif_update(exc, ex, dt, n, 0.0, cfg.method)
        with torch.set_grad_enabled(inhibition_grad and torch.is_grad_enabled()):
            inh, nr_i = lif_update(inh, ih, dt, n, 0.0, cfg.method)
        # 2. thresholds
        sp_e = lif_threshold_surrogate(exc, thr, nr_e, slope)
        with torch.set_grad_enabled(inhibition_grad and torch.is_grad_enabled()):
            sp_i = lif_threshold_surrogate(inh, cfg.v_thresh_inh_mv, nr_i, slope)
            # 3. synapses: input->exc (delayed), exc->inh one-to-one, inh->exc all-but-self
            to_inh = cfg.w_exc_inh * (sp_e if inhibition_grad else sp_e.detach())
            to_exc = w_ie * (sp_i.sum(1, keepdim=True) - sp_i)
            if recurrent is not None:  # pushed into rows (n + delay) % D, this step's row read and cleared
                idx_ei = ((n + d_ei) % D).expand(B, N)[:, None, :]
                ring_ei = ring_ei.scatter_add(1, idx_ei, to_inh[:, None, :])
                src = w_ie * sp_i[:, :, None] * not_self
                ring_ie = ring_ie.scatter_add(1, ((n + d_ie) % D).expand(B, N, N), src)
                row = n % D
                to_inh, to_exc = ring_ei[:, row], ring_ie[:, row]
                keep = torch.ones(D, 1, **opts)
                keep[row] = 0.0
                ring_ei, ring_ie = ring_ei * keep, ring_ie * keep
            inh = inh._replace(ge=inh.ge + to_inh)
        exc = exc._replace(ge=exc.ge + drive_n, gi=exc.gi + to_exc)
        # 4. resets (not differentiated: the spikes that trigger them are detached)
        exc = lif_reset(exc, sp_e.detach() > 0, ex, n)
        inh = lif_reset(inh, sp_i.detach() > 0, ih, n)
        count = count + sp_e
    return count


# --- the same presentation, fused: numba forward and adjoint (backward) passes ------------------
def _make_present(stamp: str):
    """The forward and adjoint presentation kernels; ``stamp``: the source stamp of :mod:`snn.kernel`,
    whose ``_decay`` and ``_membrane`` they compile in (numba's cache sees only this file)."""

    @njit(cache=True, parallel=True)
    def _present_forward(
        drive, thr, P, ref_e, ref_i, exp_euler, d_ei, d_ie, DR, V, GE, GI, NR, S, counts
    ):  # pragma: no cover
        """Simulate ``B`` presentations (the step of :func:`presentation_counts`, float64) and keep what
        the backward pass needs: each step's starting ``V``, ``GE``, ``GI`` and not-refractory ``NR`` of
        the excitatory units ``[B, T, N]``, their spikes ``S`` and the ``counts`` ``[B, N]``. Recurrent
        delays (``DR > 0`` ring rows): exc j -> inh j after ``d_ei [N]`` steps, inh u -> exc j after
        ``d_ie [N, N]``, through a ring of arrivals as in :func:`snn.kernel.simulate`."""
        _ = stamp  # in numba's cache key: an edit to the kernel helpers compiled in recompiles it
        B, T, N = drive.shape
        dt, tau_e, vrest_e, vreset_e = P[DT], P[TAU_E], P[VREST_E], P[VRESET_E]
        eexc, einh_e, tau_ge, tau_gi = P[EEXC_E], P[EINH_E], P[TAU_GE], P[TAU_GI]
        tau_i, vrest_i, vreset_i, vth_i, einh_i = P[TAU_I], P[VREST_I], P[VRESET_I], P[VTH_I], P[EINH_I]
        w_ei, w_ie = P[W_EI], P[W_IE]
        f_ge, f_gi = np.exp(-dt / tau_ge), np.exp(-dt / tau_gi)
        for b in prange(B):
            v_e = np.full(N, vrest_e)
            ge_e = np.zeros(N)
            gi_e = np.zeros(N)
            ls_e = np.full(N, -(2**30))
            v_i = np.full(N, vrest_i)
            ge_i = np.zeros(N)
            gi_i = np.zeros(N)
            ls_i = np.full(N, -(2**30))
            s_e = np.zeros(N, np.bool_)
            s_i = np.zeros(N, np.bool_)
            ring_ei = np.zeros(DR * N)
            ring_ie = np.zeros(DR * N)
            for n in range(T):
                # 1. groups
                n_si = 0
                for j in range(N):
                    nr = n - ls_e[j] >= ref_e
                    v, g, h = v_e[j], ge_e[j], gi_e[j]
                    V[b, n, j], GE[b, n, j], GI[b, n, j], NR[b, n, j] = v, g, h, nr
                    if nr:
                        v_e[j] = _membrane(v, g, h, vrest_e, eexc, einh_e, 0.0, tau_e, dt, 1.0, exp_euler, False)
                    ge_e[j] = _decay(g, f_ge, dt, tau_ge, exp_euler)
                    gi_e[j] = _decay(h, f_gi, dt, tau_gi, exp_euler)
                    # 2. thresholds
                    s_e[j] = nr and v_e[j] > thr[j]
                    S[b, n, j] = s_e[j]
                    nr_i = n - ls_i[j] >= ref_i
                    if nr_i:
                        v_i[j] = _membrane(
                            v_i[j], ge_i[j], gi_i[j], vrest_i, eexc, einh_i, 0.0, tau_i, dt, 1.0, exp_euler, False
                        )
                    ge_i[j] = _decay(ge_i[j], f_ge, dt, tau_ge, exp_euler)
                    gi_i[j] = _decay(gi_i[j], f_gi, dt, tau_gi, exp_euler)
                    s_i[j] = nr_i and v_i[j] > vth_i
                    n_si += s_i[j]
                # 3. synapses, 4. resets
                if DR > 0:  # recurrent spikes join the rings; this step's arrivals are read below
                    for u in range(N):
                        if s_e[u]:
                            ring_ei[((n + d_ei[u]) % DR) * N + u] += w_ei
                        if s_i[u]:
                            for j in range(N):
                                if j != u:
                                    ring_ie[((n + d_ie[u, j]) % DR) * N + j] += w_ie
                row = (n % DR) * N if DR > 0 else 0
                for j in range(N):
                    ge_e[j] += drive[b, n, j]
                    if DR > 0:
                        gi_e[j] += ring_ie[row + j]
                        ge_i[j] += ring_ei[row + j]
                        ring_ie[row + j] = 0.0
                        ring_ei[row + j] = 0.0
                    else:
                        gi_e[j] += w_ie * (n_si - s_i[j])
                        if s_e[j]:
                            ge_i[j] += w_ei
                    if s_e[j]:
                        v_e[j] = vreset_e
                        ls_e[j] = n
                        counts[b, j] += 1.0
                    if s_i[j]:
                        v_i[j] = vreset_i
                        ls_i[j] = n

    @njit(cache=True, parallel=True)
    def _present_backward(g_counts, thr, P, slope, exp_euler, V, GE, GI, NR, S, g_drive, g_thr):  # pragma: no cover
        """Adjoint of :func:`_present_forward` in reverse time, per excitatory unit (inhibition is a fixed
        input, the reset and refractoriness are not differentiated): ``g_drive [B, T, N]`` = d loss /
        d drive, ``g_thr [B, N]`` = d loss / d threshold, given ``g_counts [B, N]`` = d loss / d counts."""
        _ = stamp  # in numba's cache key: an edit to the kernel helpers compiled in recompiles it
        B, T, N = V.shape
        dt, tau_e, vrest_e = P[DT], P[TAU_E], P[VREST_E]
        eexc, einh_e, tau_ge = P[EEXC_E], P[EINH_E], P[TAU_GE]
        f_ge = np.exp(-dt / tau_ge) if exp_euler else 1.0 - dt / tau_ge
        for b in prange(B):
            lv = np.zeros(N)  # d loss / d v and ge at the end of step n
            lge = np.zeros(N)
            for n in range(T - 1, -1, -1):
                for j in range(N):
                    g_drive[b, n, j] = lge[j]  # drive joins ge in step n's synapses
                    lvp = 0.0 if S[b, n, j] else lv[j]  # (reset: v no longer depends on v before it)
                    if not NR[b, n, j]:
                        lge[j] *= f_ge  # v frozen, no spike
                        lv[j] = lvp
                        continue
                    v, g, h = V[b, n, j], GE[b, n, j], GI[b, n, j]
                    vp = _membrane(v, g, h, vrest_e, eexc, einh_e, 0.0, tau_e, dt, 1.0, exp_euler, False)
                    sg = g_counts[b, j] / (1.0 + slope * abs(vp - thr[j])) ** 2
                    lvp += sg
                    g_thr[b, j] -= sg
                    if exp_euler:
                        gt = 1.0 + g + h
                        e = np.exp(-dt * gt / tau_e)
                        v_inf = (vrest_e + g * eexc + h * einh_e) / gt
                        lv[j] = lvp * e
                        lge[j] = lge[j] * f_ge + lvp * ((eexc - v_inf) / gt * (1.0 - e) - (v - v_inf) * e * dt / tau_e)
                    else:
                        lv[j] = lvp * (1.0 - dt / tau_e * (1.0 + g + h))
                        lge[j] = lge[j] * f_ge + lvp * dt / tau_e * (eexc - v)

    return _present_forward, _present_backward


_present_forward, _present_backward = _make_present(source_stamp(kernel))


def _train_params(cfg: SNNConfig, dt: float) -> np.ndarray:
    """The kernel's parameter vector for training at step ``dt`` with the recording's inhibition."""
    P = float_params(cfg)
    P[DT] = dt
    if cfg.w_inh_exc_test is not None:
        P[W_IE] = cfg.w_inh_exc_test
    return P


class Presentation(torch.autograd.Function):
    """Excitatory spike counts ``[B, N]`` of presentations driven by ``drive`` ``[B, T, N]`` float64,
    thresholds ``v_thresh - offset + theta``: :func:`presentation_counts` with inhibition as a fixed
    input, in two numba passes (forward, and the adjoint equations backwards in time)."""

    @staticmethod
    def forward(
        ctx, drive: torch.Tensor, theta: torch.Tensor, cfg: SNNConfig, dt: float, recurrent: Recurrent | None = None
    ) -> torch.Tensor:
        B, T, N = drive.shape
        P = _train_params(cfg, dt)
        thr = (cfg.v_thresh_exc_mv - cfg.theta_offset_mv) + theta.detach().numpy()
        V, GE, GI = (np.empty((B, T, N)) for _ in range(3))
        NR, S = np.empty((B, T, N), np.bool_), np.empty((B, T, N), np.bool_)
        counts = np.zeros((B, N))
        ref_e, ref_i = refractory_steps(cfg.refractory_exc_ms, dt), refractory_steps(cfg.refractory_inh_ms, dt)
        check_method(cfg.method)
        exp_euler = cfg.method == "exponential_euler"
        rec = recurrent if recurrent is not None else Recurrent.none()
        d = drive.detach().numpy()
        _present_forward(d, thr, P, ref_e, ref_i, exp_euler, rec.d_ei, rec.d_ie, rec.n_slots, V, GE, GI, NR, S, counts)
        ctx.saved = (thr, P, exp_euler, V, GE, GI, NR, S, cfg.surrogate_slope)
        return torch.from_numpy(counts)

    @staticmethod
    def backward(ctx, g_counts: torch.Tensor):
        thr, P, exp_euler, V, GE, GI, NR, S, slope = ctx.saved
        g_drive = np.empty(V.shape)
        g_thr = np.zeros((V.shape[0], V.shape[2]))
        gc = np.ascontiguousarray(g_counts.numpy(), np.float64)
        _present_backward(gc, thr, P, slope, exp_euler, V, GE, GI, NR, S, g_drive, g_thr)
        ctx.saved = None
        return torch.from_numpy(g_drive), torch.from_numpy(g_thr.sum(0)), None, None, None


# --- training ------------------------------------------------------------------------------------
def _loss(logits: torch.Tensor, target: torch.Tensor, kind: str) -> torch.Tensor:
    if kind == "multilabel":
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, target.to(logits.dtype))
    return torch.nn.functional.cross_entropy(logits, target)


def _hits(logits: torch.Tensor, target: torch.Tensor, kind: str) -> float:
    if kind == "multilabel":
        return float(((logits > 0) == (target > 0)).all(1).sum())
    return float((logits.argmax(1) == target).sum())


def _optimizer(cfg: SNNConfig, w, theta, coef, intercept, steps_per_epoch: int):
    """Adam on w, theta (mV: a larger step) and the readout; the step size decays to 0 along a
    cosine over all updates (Loshchilov & Hutter 2017)."""
    lr = cfg.surrogate_lr
    opt = torch.optim.Adam(
        [
            {"params": [w], "lr": lr},
            {"params": [theta], "lr": lr * THETA_LR_SCALE},
            {"params": [coef, intercept], "lr": lr * READOUT_LR_SCALE},
        ]
    )
    return opt, torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=cfg.surrogate_epochs * steps_per_epoch)


def _events(cfg: SNNConfig, xb: np.ndarray, T: int, dt: float, rng: np.random.Generator) -> Events:
    """Fresh Poisson input events (jittered by ``jitter_ms``) of a training batch, from ``rng``."""
    if dt != cfg.dt_ms:
        cfg = cfg.replace(dt_ms=dt)
    return encode(
        cfg,
        xb,
        cfg.input_rate_hz,
        rng.integers(0, 2**32, size=len(xb)),
        T,
        rngs=lambda: [np.random.default_rng(rng.integers(2**62)) for _ in xb],
    )


def train_surrogate(
    cfg: SNNConfig,
    state: NetState,
    x: np.ndarray,
    y: np.ndarray,
    kind: str,
    n_outputs: int,
    seed: int,
    *,
    progress: bool = False,
    inhibition_grad: bool = False,
    input_spikes=None,
) -> tuple[np.ndarray, np.ndarray, dict]:
    """Train replica 0 of ``state`` (its ``w`` and ``theta`` are updated in place) on ``x`` ``[n, n_in]``,
    labels ``y`` (``[n]`` ints or ``[n, n_outputs]`` binary), with the config resolved for the input size.

    ``input_spikes=(sample, input, time_ms)``: the events of every row of ``x``, presented
    exactly (on the training step grid, no jitter) instead of fresh Poisson trains each epoch.

    Returns the readout ``coef`` ``[n_outputs, N]``, ``intercept`` ``[n_outputs]`` (logits =
    counts @ coef.T + intercept) and the history: per epoch the mean loss, training accuracy (of
    the training pass itself), mean excitatory spikes per presentation, wall and CPU seconds; peak memory.
    """
    from tqdm.auto import tqdm

    dt = cfg.surrogate_dt_ms if cfg.surrogate_dt_ms is not None else cfg.dt_ms
    n = len(x)
    N = cfg.n_neurons
    T = int(round(cfg.presentation_ms / dt))
    given = None if input_spikes is None else check_input_spikes(input_spikes, len(x), x.shape[1], dt, T)
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), _TAG_SURROGATE]))
    gen = torch.Generator().manual_seed(int(rng.integers(2**62)))
    # delays on the training grid (the same ms as the recorded network's, rounded to dt)
    delays = np.rint(state.delay_steps[0] * cfg.dt_ms / dt).astype(np.int64)
    n_slots = int(delays.max(initial=0)) + 1
    off = delays * N + np.arange(N)
    recurrent = Recurrent.of(state, cfg.dt_ms, dt)
    w = torch.tensor(state.w[0], dtype=torch.float64, requires_grad=True)
    theta = torch.tensor(state.theta[0], dtype=torch.float64, requires_grad=True)
    coef = (torch.randn(n_outputs, N, generator=gen, dtype=torch.float64) / np.sqrt(N)).requires_grad_()
    intercept = torch.zeros(n_outputs, dtype=torch.float64, requires_grad=True)
    opt, sched = _optimizer(cfg, w, theta, coef, intercept, -(-n // cfg.surrogate_batch_size))
    bs = cfg.surrogate_batch_size
    target = torch.as_tensor(y)
    history = {"loss": [], "train_accuracy": [], "mean_exc_spikes": [], "seconds": [], "cpu_seconds": []}
    bar = tqdm(total=cfg.surrogate_epochs * n, desc="surrogate-gradient training", disable=not progress, unit="sample")
    for _ in range(cfg.surrogate_epochs):
        t0, c0 = time.perf_counter(), time.process_time()
        order = rng.permutation(n)
        tot_loss = tot_hits = tot_spikes = 0.0
        for start in range(0, n, bs):
            rows = order[start : start + bs]
            events = _events(cfg, x[rows], T, dt, rng) if given is None else select_rows(given, rows)
            drive = DelayedDrive.apply(w, events, off, n_slots)
            if inhibition_grad:
                counts = presentation_counts(cfg, drive, theta, dt, inhibition_grad=True, recurrent=recurrent)
            else:
                counts = Presentation.apply(drive, theta, cfg, dt, recurrent)
            logits = counts @ coef.T + intercept
            loss = _loss(logits, target[rows], kind)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            with torch.no_grad():
                w.clamp_(0.0, cfg.w_max)
                theta.clamp_(min=0.0)
            tot_loss += float(loss.detach()) * len(rows)
            tot_hits += _hits(logits.detach(), target[rows], kind)
            tot_spikes += float(counts.detach().sum())
            bar.update(len(rows))
        history["loss"].append(tot_loss / n)
        history["train_accuracy"].append(tot_hits / n)
        history["mean_exc_spikes"].append(tot_spikes / n)
        history["seconds"].append(time.perf_counter() - t0)
        history["cpu_seconds"].append(time.process_time() - c0)  # (all threads: the cost whatever the load)
    bar.close()
    history["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    history["dt_ms"] = dt
    state.w[0] = w.detach().double().numpy()
    state.theta[0] = theta.detach().double().numpy()
    return coef.detach().double().numpy(), intercept.detach().double().numpy(), history


def linear_readout(coef: np.ndarray, intercept: np.ndarray, kind: str):
    """The trained readout as a fitted :class:`probes.support.LogisticReadout` (no standardisation):
    multiclass ``softmax(counts @ coef.T + intercept)``, multilabel ``sigmoid`` per label."""
    n_out, N = coef.shape
    arrays = {
        "type": np.array("logistic"),
        "kind": np.array(kind),
        "mean": np.zeros(N),
        "scale": np.ones(N),
        "n_outputs": np.array(n_out),
        "C": np.array(1.0),
        "seed": np.array(0),
    }
    if kind == "multilabel":
        arrays.update(
            columns=np.arange(n_out),
            constant_keys=np.zeros(0, np.int64),
            constant_values=np.zeros(0),
            coef=coef[:, None, :],
            intercept=intercept[:, None],
        )
    elif n_out == 2:  # scikit-learn's binary form: sigmoid(z1 - z0) == softmax([z0, z1])[1]
        arrays.update(coef=coef[1:] - coef[:1], intercept=intercept[1:] - intercept[:1], classes=np.arange(2))
    else:
        arrays.update(coef=coef, intercept=intercept, classes=np.arange(n_out))
    return readout_from_arrays(arrays)


def fit_surrogate(
    net, x: np.ndarray, y: np.ndarray, kind: str, n_outputs: int, *, progress: bool = False, input_spikes=None
):
    """Train ``net`` (a :class:`snn.network.SpikingNetwork`) by surrogate gradient and set its fitted
    attributes as :meth:`~snn.network.SpikingNetwork.fit` does (on ``input_spikes`` when given); returns it."""
    from .network import init_state

    cfg = net.config.resolved(x.shape[1], float(x.mean()))
    state = init_state(cfg, x.shape[1], [net.seed])
    coef, intercept, history = train_surrogate(
        cfg, state, x, y, kind, n_outputs, net.seed, progress=progress, input_spikes=input_spikes
    )
    state.lastpre[:] = NEVER
    state.lastpost[:] = NEVER
    net.config_ = cfg
    net.n_inputs_ = x.shape[1]
    net.kind_ = kind
    net._state = state
    net._engine_obj = None
    net._memo = None
    net.history_ = history
    net._set_views()
    net.readout_ = linear_readout(coef, intercept, kind)
    net._calibrate_steering(x, input_spikes=input_spikes)
    return net
