"""Simulation engines behind the spiking network, and the selector (Brian2 style).

Every engine runs the same presentations with the same semantics (see
:mod:`snn.kernel`): ``NumbaEngine`` (fused CPU event kernel, the default on CPU),
``TorchEngine`` (pure step functions on torch tensors, any device) and
``Brian2Engine`` (the reference, in :mod:`snn.brian2_backend`). The spiking network
owns training (normalisation, retries, input generation) and calls ``simulate``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from probes.interface import BackendError

from .encoding import Events


@dataclass
class NetState:
    """Learned and learning state of ``R`` independent networks (replicas).

    w ``[R, n_in, N]`` input->exc weights; theta ``[R, N]`` mV; delay_steps ``[R, n_in, N]``;
    lastpre ``[R, n_in, N]`` / lastpost ``[R, N]``: absolute step of the last pre arrival /
    post spike (traces); clock ``[R]``: absolute step at which the next presentation starts.
    """

    w: np.ndarray
    theta: np.ndarray
    delay_steps: np.ndarray
    lastpre: np.ndarray
    lastpost: np.ndarray
    clock: np.ndarray

    @property
    def n_slots(self) -> int:
        return int(self.delay_steps.max(initial=0)) + 1


@dataclass
class Batch:
    """``B`` presentations: ``replica[b]`` is the network that element b runs on."""

    replica: np.ndarray
    inputs: Events
    forced_e: Events
    override_e: np.ndarray  # bool [N]
    forced_i: Events
    override_i: np.ndarray
    steer_e: np.ndarray     # mV [N]
    steer_i: np.ndarray


@dataclass
class SimResult:
    counts_e: np.ndarray    # float32 [B, n_bins, N]
    counts_i: np.ndarray
    events_e: tuple[np.ndarray, np.ndarray, np.ndarray]  # (b, unit, step)
    events_i: tuple[np.ndarray, np.ndarray, np.ndarray]


class Engine:
    name = "base"

    def simulate(self, cfg, state: NetState, batch: Batch, *, plastic: bool, n_steps: int, n_rec: int,
                 bin_steps: int) -> SimResult:
        raise NotImplementedError


class NumbaEngine(Engine):
    """The fused event kernel; samples of a batch run in parallel on the CPU's threads."""

    name = "numba"

    def __init__(self):
        self._csr_cache: tuple | None = None

    def _csr(self, state: NetState):
        from .kernel import delay_csr

        # Keyed by the array object itself (held by the cache): an id() could be reused by a new
        # array once the old one is freed, and would then hand out another network's delays.
        if self._csr_cache is None or self._csr_cache[0] is not state.delay_steps:
            self._csr_cache = (state.delay_steps, delay_csr(state.delay_steps, state.n_slots))
        return self._csr_cache[1]

    def simulate(self, cfg, state, batch, *, plastic, n_steps, n_rec, bin_steps):
        from .kernel import decay_table, float_params, refractory_steps, simulate

        ptr, post = self._csr(state)
        B = len(batch.replica)
        N = state.w.shape[2]
        n_bins = -(-n_rec // bin_steps)
        cap = max(256, 4 * n_rec)
        P = float_params(cfg)
        # frozen weights in delivery order, read contiguously by the kernel
        wd = (np.take_along_axis(state.w.reshape(len(state.w), -1),
                                 (post + (np.arange(post.shape[1]) // N * N)[None, :]).astype(np.int64), axis=1)
              if not plastic else np.zeros((1, 1)))
        tables = [decay_table(tau, cfg.dt_ms) for tau in (cfg.tau_pre_ms, cfg.tau_post1_ms, cfg.tau_post2_ms)]
        while True:
            counts_e = np.zeros((B, n_bins, N), np.float32)
            counts_i = np.zeros((B, n_bins, N), np.float32)
            ev_e = np.zeros((B, cap, 2), np.int64)
            ev_i = np.zeros((B, cap, 2), np.int64)
            nev_e = np.zeros(B, np.int64)
            nev_i = np.zeros(B, np.int64)
            t0 = state.clock[batch.replica].astype(np.int64)
            simulate(state.w, wd, state.theta, ptr, post, state.lastpre, state.lastpost,
                     batch.replica.astype(np.int64), t0, batch.inputs.ptr, batch.inputs.idx,
                     batch.forced_e.ptr, batch.forced_e.idx, batch.override_e, batch.forced_i.ptr, batch.forced_i.idx,
                     batch.override_i, batch.steer_e.astype(np.float64), batch.steer_i.astype(np.float64), P, *tables,
                     refractory_steps(cfg.refractory_exc_ms, cfg.dt_ms), refractory_steps(cfg.refractory_inh_ms, cfg.dt_ms),
                     n_steps, n_rec, bin_steps, plastic, plastic, counts_e, counts_i, ev_e, nev_e, ev_i, nev_i)
            worst = int(max(nev_e.max(initial=0), nev_i.max(initial=0)))
            if worst <= cap or plastic:  # plastic runs need only counts (and must not run twice)
                break
            cap = worst
        if plastic:
            state.clock[batch.replica] += n_steps
        return SimResult(counts_e, counts_i, _flatten(ev_e, nev_e), _flatten(ev_i, nev_i))


def _flatten(ev: np.ndarray, nev: np.ndarray):
    nev = np.minimum(nev, ev.shape[1])
    b = np.repeat(np.arange(len(nev)), nev)
    mask = np.arange(ev.shape[1])[None, :] < nev[:, None]
    return b, ev[..., 0][mask], ev[..., 1][mask]


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
    return NumbaEngine()
