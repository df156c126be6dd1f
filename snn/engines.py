"""The engine contract behind the spiking network, and the selector (Brian2 style).

Every engine runs the same presentations with the same semantics (see :mod:`snn.kernel`),
one module each: ``NumbaEngine`` (:mod:`snn.numba_engine`, fused CPU event kernel, the
default on CPU), ``TorchEngine`` (:mod:`snn.torch_engine`, pure step functions on torch
tensors, any device) and ``Brian2Engine`` (:mod:`snn.brian2_backend`, the reference). This
module holds what they share: the state (``NetState``), a batch of presentations
(``Batch``), the result (``SimResult``), the contract (``Engine.simulate``) and
``select_engine``, which imports an engine only when it is selected (no import cycle). The
spiking network owns training (normalisation, retries, input generation) and calls ``simulate``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import numpy as np

from probes.support import BackendError

from .encoding import Events


@dataclass
class NetState:
    """Learned and learning state of ``R`` independent networks (replicas).

    w ``[R, n_in, N]`` input->exc weights; theta ``[R, N]`` mV; delay_steps ``[R, n_in, N]``;
    lastpre ``[R, n_in, N]`` / lastpost ``[R, N]``: absolute step of the last pre arrival /
    post spike (traces); clock ``[R]``: absolute step at which the next presentation starts.
    Recurrent delays (``delay_recurrent_ms > 0``; None: every recurrent spike arrives in the step
    it is emitted): delay_ei_steps ``[R, N]`` exc j -> inh j, delay_ie_steps ``[R, N, N]`` inh u
    -> exc j (int16 steps; the diagonal is unused: no inh u -> exc u synapse).
    """

    w: np.ndarray
    theta: np.ndarray
    delay_steps: np.ndarray
    lastpre: np.ndarray
    lastpost: np.ndarray
    clock: np.ndarray
    delay_ei_steps: np.ndarray | None = None
    delay_ie_steps: np.ndarray | None = None

    @property
    def n_slots(self) -> int:
        return int(self.delay_steps.max(initial=0)) + 1

    @property
    def n_recurrent_slots(self) -> int:
        """Rows of the recurrent delay ring: the longest recurrent delay + 1 (0: no recurrent delays)."""
        if self.delay_ei_steps is None:
            return 0
        return int(max(self.delay_ei_steps.max(initial=0), self.delay_ie_steps.max(initial=0))) + 1

    def replica(self, r: int) -> NetState:
        """Replica ``r`` as a state of its own (copies)."""
        one = lambda a: None if a is None else a[r : r + 1].copy()  # noqa: E731
        return NetState(*(one(getattr(self, f.name)) for f in fields(self)))

    def without_delays(self) -> NetState:
        """The same weights with every synaptic delay set to 0 (arrays shared, delays new)."""
        return replace(self, delay_steps=np.zeros_like(self.delay_steps), delay_ei_steps=None, delay_ie_steps=None)


@dataclass
class Batch:
    """``B`` presentations: ``replica[b]`` is the network that element b runs on."""

    replica: np.ndarray
    inputs: Events
    forced_e: Events
    override_e: np.ndarray  # bool [N]
    forced_i: Events
    override_i: np.ndarray
    steer_e: np.ndarray  # mV [N]
    steer_i: np.ndarray


@dataclass
class SimResult:
    counts_e: np.ndarray  # float32 [B, n_bins, N]
    counts_i: np.ndarray
    events_e: tuple[np.ndarray, np.ndarray, np.ndarray]  # (b, unit, step)
    events_i: tuple[np.ndarray, np.ndarray, np.ndarray]


class Engine:
    name = "base"

    def simulate(
        self, cfg, state: NetState, batch: Batch, *, plastic: bool, n_steps: int, n_rec: int, bin_steps: int
    ) -> SimResult:
        raise NotImplementedError


def select_engine(cfg) -> Engine:
    """``backend="torch"``: the numba kernel on CPU (``engine="auto"|"numba"``), the torch step
    functions on other devices or with ``engine="eager"``; ``backend="brian2"``: Brian2."""
    if cfg.backend == "brian2":
        from .brian2_backend import Brian2Engine

        return Brian2Engine(cfg.brian2_target)
    if cfg.engine == "eager" or (cfg.engine == "auto" and cfg.device != "cpu"):
        from .torch_engine import TorchEngine

        return TorchEngine(cfg.device, cfg.dtype)
    if cfg.device != "cpu":
        raise BackendError(f"engine='numba' runs on the CPU only, not device={cfg.device!r}: use engine='eager'")
    from .numba_engine import NumbaEngine

    return NumbaEngine()
