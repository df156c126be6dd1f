"""The asynchronous spiking network: Diehl & Cook (2015) STDP, with torch/numba and Brian2 backends.

``SpikingNetwork(SNNConfig(...), seed=0).fit(x, y)``; see :mod:`snn.network`. Engines:
``numba`` (fused CPU event kernel, :mod:`snn.kernel`), ``eager`` (pure torch step functions,
:mod:`snn.dynamics`, any device) and ``brian2`` (:mod:`snn.brian2_backend`). The same config
and the same input events give the same spikes on all three (``tests/test_cross_backend.py``).

Matching Brian2 spike for spike: what it took
----------------------------------------------
- **Order of operations.** Brian2's default schedule per step is start, groups (state
  update), thresholds, synapses, resets, end. Within ``synapses`` every ``on_pre`` pathway
  (order -1) runs before every ``on_post`` pathway (order +1): a pre arrival and a post spike
  in one step first depress with the *old* post1 trace and set pre := 1, then potentiate with
  pre = 1 and post2 read before it is reset. Reset only touches v and theta, synaptic events
  only conductances and weights, so the two commute.
- **Euler.** ``method="euler"`` computes every derivative from the old state; ``(unless
  refractory)`` multiplies dv/dt by ``not_refractory``. Theta decays by Euler while learning
  and is a constant when frozen (``learning = 0``). ``method="exponential_euler"`` (the config
  field passes Brian2's method name through) holds the step's conductances and solves each
  equation, linear in its own variable, exactly: ``v -> v_inf + (v - v_inf) exp(-dt (1 + ge +
  gi) / tau_m)``, ``g -> g exp(-dt / tau_g)``, ``theta -> theta exp(-dt learning / tau_theta)``.
- **Refractoriness** is ``timestep(t - lastspike) >= timestep(refractory)`` with
  ``timestep(t) = int((t + 1e-3 dt) / dt)``; the threshold is ``cond and not_refractory``,
  also for forced spikes (Clamp, Patch), which therefore never fire in the refractory period.
- **Delays** are rounded by Brian2 to ``round(delay / dt)`` steps. Ours are drawn and then put
  on the dt grid, so no simulator has to round a half step. An event sent at step n with d
  steps of delay is delivered in the synapses slot of step n + d (d = 0: the same step).
- **Input events** at time t go to step ``int((t + 1e-3 dt) / dt)`` (SpikeGeneratorGroup's
  rule); one input may spike at most once per step (Brian2 refuses more).
- **STDP traces** are nearest-spike (set to 1) and event-driven: ``exp(-(t - t_last) / tau)``
  of the last event's time, which we keep as absolute step numbers and look up in a table.
  Brian2 clips ``w`` on every event, even when a trace is 0, and so do we. Brian2 calls a
  synapse's pre pathway ``S.pre``: a trace named ``pre`` cannot be assigned from Python, so
  the Brian2 model names the traces ``apre``, ``apost1``, ``apost2``.
- **Presentations** start from the resting state (v = v_rest, g = 0, not refractory); traces,
  weights and theta carry over. ``rest_ms >= delay_ms`` so that no event is in flight across
  presentations; Brian2 recordings pad each presentation with ``max delay + 1`` silent steps.
- **Floating point.** Sums are taken in a different order by each engine, and the numba kernel
  may fuse multiply-adds and divide by reciprocals (numba ``fastmath={'arcp', 'contract'}``,
  milder than the ``-ffast-math`` Brian2 compiles its own C++ with), so weights agree to about
  1e-16 and theta to 1e-13 mV rather than bit for bit; spike sets are identical.
"""

from .config import SNNConfig
from .network import SpikingNetwork

__all__ = ["SNNConfig", "SpikingNetwork"]
