"""Neuron and synapse dynamics as pure functions over NamedTuple state and parameters (norse style).

Every tensor carries a leading batch dimension ``B`` (samples when recording, replicas
when training). Units: ms, mV; conductances in the reference code's units. One
simulation step applies, in Brian2's schedule order: :func:`lif_update` (groups),
:func:`lif_threshold` (thresholds), the synaptic events (:func:`deliver_delayed`,
:func:`stdp_on_pre`, :func:`stdp_on_post`), then :func:`lif_reset` (resets).
"""

from __future__ import annotations

import math
from typing import NamedTuple

import torch

from .config import check_method


class LIFParams(NamedTuple):
    tau_m: float  # ms
    v_rest: float  # mV
    v_reset: float  # mV
    e_exc: float  # mV, excitatory reversal potential
    e_inh: float  # mV, inhibitory reversal potential
    tau_ge: float  # ms
    tau_gi: float  # ms
    refractory: int  # steps (Brian2's timestep(refractory, dt))


class LIFState(NamedTuple):
    v: torch.Tensor  # [B, N] mV
    ge: torch.Tensor  # [B, N]
    gi: torch.Tensor  # [B, N]
    last_spike: torch.Tensor  # [B, N] int64 step of the last spike (very negative: never)


def lif_init(p: LIFParams, shape, *, dtype, device) -> LIFState:
    return LIFState(
        torch.full(shape, p.v_rest, dtype=dtype, device=device),
        torch.zeros(shape, dtype=dtype, device=device),
        torch.zeros(shape, dtype=dtype, device=device),
        torch.full(shape, -(2**62), dtype=torch.int64, device=device),
    )


def lif_update(
    s: LIFState, p: LIFParams, dt: float, step: int, current: torch.Tensor | float = 0.0, method: str = "euler"
) -> tuple[LIFState, torch.Tensor]:
    """One step of ``dt`` ms of ``tau_m dv/dt = (v_rest - v) + ge (E_exc - v) + gi (E_inh - v) + I``
    (``v`` frozen while refractory), ``dge/dt = -ge/tau_ge``, ``dgi/dt = -gi/tau_gi``.

    ``method="euler"``: forward Euler. ``"exponential_euler"`` (Brian2's): with the conductances
    of the step's start held, v relaxes exactly to ``v_inf = (v_rest + ge E_exc + gi E_inh + I) /
    (1 + ge + gi)`` with time constant ``tau_m / (1 + ge + gi)``; conductances decay exactly.
    Returns the new state and the not-refractory mask ``[B, N]`` used by the threshold.
    """
    check_method(method)
    not_ref = (step - s.last_spike) >= p.refractory
    if method == "exponential_euler":
        g_total = 1.0 + s.ge + s.gi
        v_inf = (p.v_rest + s.ge * p.e_exc + s.gi * p.e_inh + current) / g_total
        v = torch.where(not_ref, v_inf + (s.v - v_inf) * torch.exp(-dt * g_total / p.tau_m), s.v)
        ge = s.ge * math.exp(-dt / p.tau_ge)
        gi = s.gi * math.exp(-dt / p.tau_gi)
        return LIFState(v, ge, gi, s.last_spike), not_ref
    dv = ((p.v_rest - s.v) + s.ge * (p.e_exc - s.v) + s.gi * (p.e_inh - s.v) + current) / p.tau_m
    v = torch.where(not_ref, s.v + dt * dv, s.v)
    ge = s.ge + dt * (-s.ge / p.tau_ge)
    gi = s.gi + dt * (-s.gi / p.tau_gi)
    return LIFState(v, ge, gi, s.last_spike), not_ref


def theta_decay(theta: torch.Tensor, dt: float, tau_theta: float, method: str = "euler") -> torch.Tensor:
    """One step of ``dtheta/dt = -theta / tau_theta`` (mV, ms) by ``method`` (see :func:`lif_update`)."""
    check_method(method)
    if method == "exponential_euler":
        return theta * math.exp(-dt / tau_theta)
    return theta + dt * (-theta / tau_theta)


def lif_threshold(s: LIFState, threshold: torch.Tensor | float, not_ref: torch.Tensor) -> torch.Tensor:
    """Spikes ``[B, N]`` (bool): ``v > threshold`` outside the refractory period."""
    return (s.v > threshold) & not_ref


def lif_reset(s: LIFState, spikes: torch.Tensor, p: LIFParams, step: int) -> LIFState:
    return LIFState(
        torch.where(spikes, torch.full_like(s.v, p.v_reset), s.v),
        s.ge,
        s.gi,
        torch.where(spikes, torch.full_like(s.last_spike, step), s.last_spike),
    )


def deliver_delayed(history: torch.Tensor, slot_of: torch.Tensor) -> torch.Tensor:
    """Which synapses receive a spike now: ``[B, n_in, N]`` bool.

    history ``[B, n_in, D]``: input spikes of the last ``D`` steps, step m in slot ``m % D``;
    slot_of ``[B or 1, n_in, N]``: the slot of step ``n - delay`` for each synapse.
    """
    return torch.gather(history, 2, slot_of.expand(history.shape[0], -1, -1))


class STDPParams(NamedTuple):
    nu_pre: float
    nu_post: float
    w_max: float
    tab_pre: torch.Tensor  # exp(-k dt / tau_pre) for whole steps k (see snn.kernel.decay_table)
    tab_post1: torch.Tensor
    tab_post2: torch.Tensor


def trace(table: torch.Tensor, age: torch.Tensor) -> torch.Tensor:
    """A nearest-spike trace ``exp(-age dt / tau)`` from its table; 0 beyond it (or never)."""
    inside = age < table.shape[0]
    return torch.where(
        inside, table[age.clamp(0, table.shape[0] - 1)], torch.zeros((), dtype=table.dtype, device=table.device)
    )


def stdp_on_pre(
    w: torch.Tensor,
    arrivals: torch.Tensor,
    lastpre: torch.Tensor,
    lastpost: torch.Tensor,
    t: torch.Tensor,
    p: STDPParams,
) -> tuple[torch.Tensor, torch.Tensor]:
    """At each arrival: pre trace := 1 and ``w = clip(w - nu_pre * post1, 0, w_max)``.

    w, arrivals, lastpre ``[R, n_in, N]``; lastpost ``[R, N]``; t ``[R, 1, 1]`` absolute step.
    """
    post1 = trace(p.tab_post1, t[:, :, 0] - lastpost)[:, None, :]
    w = torch.where(arrivals, (w - p.nu_pre * post1).clamp(0.0, p.w_max), w)
    return w, torch.where(arrivals, t, lastpre)


def stdp_on_post(
    w: torch.Tensor, spikes: torch.Tensor, lastpre: torch.Tensor, lastpost: torch.Tensor, t: torch.Tensor, p: STDPParams
) -> tuple[torch.Tensor, torch.Tensor]:
    """At each post spike: ``w = clip(w + nu_post * pre * post2, 0, w_max)`` with post2 read
    before it is reset; then the post traces := 1. spikes ``[R, N]``."""
    post2 = trace(p.tab_post2, t[:, :, 0] - lastpost)[:, None, :]
    pre = trace(p.tab_pre, t - lastpre)
    w = torch.where(spikes[:, None, :], (w + p.nu_post * pre * post2).clamp(0.0, p.w_max), w)
    return w, torch.where(spikes, t[:, :, 0], lastpost)


# --- surrogate gradients (snn.surrogate) ---------------------------------------------------------
class SurrogateSpike(torch.autograd.Function):
    """Heaviside step ``x > 0`` whose derivative is replaced by the fast sigmoid's (Zenke & Ganguli 2018):
    ``dS/dx = 1 / (1 + slope |x|)^2``, the derivative of ``x / (1 + slope |x|)``.

    x: ``v - threshold`` in mV (any shape); slope in 1/mV. Forward: exactly ``(x > 0)`` as 0/1 of x's dtype.
    """

    @staticmethod
    def forward(ctx, x: torch.Tensor, slope: float) -> torch.Tensor:
        ctx.save_for_backward(x)
        ctx.slope = slope
        return (x > 0).to(x.dtype)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        (x,) = ctx.saved_tensors
        return grad / (1.0 + ctx.slope * x.abs()) ** 2, None


def lif_threshold_surrogate(
    s: LIFState, threshold: torch.Tensor | float, not_ref: torch.Tensor, slope: float
) -> torch.Tensor:
    """:func:`lif_threshold` as 0/1 floats ``[B, N]`` with a surrogate derivative (:class:`SurrogateSpike`)
    with respect to ``v`` and ``threshold``; refractory units have spike 0 and derivative 0."""
    return SurrogateSpike.apply(s.v - threshold, slope) * not_ref.to(s.v.dtype)
