"""`TorchEngine`: the step functions of :mod:`snn.dynamics` in a batched loop, on any torch device."""

from __future__ import annotations

import numpy as np
import torch

from .dynamics import (
    LIFParams,
    STDPParams,
    deliver_delayed,
    lif_init,
    lif_reset,
    lif_threshold,
    lif_update,
    stdp_on_post,
    stdp_on_pre,
    theta_decay,
)
from .encoding import Events
from .engines import Engine, SimResult
from .kernel import decay_table, refractory_steps


def lif_params(cfg, dt: float) -> tuple[LIFParams, LIFParams]:
    """The excitatory and inhibitory neurons' :class:`LIFParams` of a config at step ``dt`` ms."""
    ex = LIFParams(
        cfg.tau_m_exc_ms,
        cfg.v_rest_exc_mv,
        cfg.v_reset_exc_mv,
        cfg.e_exc_mv,
        cfg.e_inh_exc_mv,
        cfg.tau_ge_ms,
        cfg.tau_gi_ms,
        refractory_steps(cfg.refractory_exc_ms, dt),
    )
    ih = LIFParams(
        cfg.tau_m_inh_ms,
        cfg.v_rest_inh_mv,
        cfg.v_reset_inh_mv,
        cfg.e_exc_mv,
        cfg.e_inh_inh_mv,
        cfg.tau_ge_ms,
        cfg.tau_gi_ms,
        refractory_steps(cfg.refractory_inh_ms, dt),
    )
    return ex, ih


def _raster(ev: Events, n_units: int, device) -> torch.Tensor:
    """Dense ``[B, n_steps, n_units]`` bool raster of CSR events."""
    B, n_steps = ev.n_batch, ev.n_steps
    key = np.repeat(np.arange(B * n_steps), np.diff(ev.ptr))
    out = torch.zeros(B * n_steps, n_units, dtype=torch.bool, device=device)
    if len(key):
        out[torch.as_tensor(key, device=device), torch.as_tensor(ev.idx.astype(np.int64), device=device)] = True
    return out.view(B, n_steps, n_units)


class TorchEngine(Engine):
    name = "eager"

    def __init__(self, device: str = "cpu", dtype: str = "float32"):
        self.device = torch.device(device)
        self.dtype = torch.float64 if dtype == "float64" else torch.float32

    def simulate(self, cfg, state, batch, *, plastic, n_steps, n_rec, bin_steps):
        dev, dt_ = self.device, self.dtype
        dt = cfg.dt_ms
        B = len(batch.replica)
        R, n_in, N = state.w.shape
        D = state.n_slots
        f = lambda a: torch.as_tensor(a, dtype=dt_, device=dev)  # noqa: E731
        ex, ih = lif_params(cfg, dt)
        stdp = STDPParams(
            cfg.nu_pre,
            cfg.nu_post,
            cfg.w_max,
            *(f(decay_table(tau, dt)) for tau in (cfg.tau_pre_ms, cfg.tau_post1_ms, cfg.tau_post2_ms)),
        )
        rep = torch.as_tensor(batch.replica, device=dev)
        if plastic:  # one batch element per replica, each learning its own weights
            w = f(state.w[batch.replica])
            theta = f(state.theta[batch.replica])
            lastpre = torch.as_tensor(state.lastpre[batch.replica], device=dev)
            lastpost = torch.as_tensor(state.lastpost[batch.replica], device=dev)
            delays = torch.as_tensor(state.delay_steps[batch.replica], device=dev)
        else:
            w = f(state.w)[rep]
            theta = f(state.theta)[rep]
            delays = torch.as_tensor(state.delay_steps, device=dev)[rep]
        t0 = torch.as_tensor(state.clock[batch.replica], device=dev)[:, None, None]
        inputs = _raster(batch.inputs, n_in, dev)
        forced_e = _raster(batch.forced_e, N, dev)
        forced_i = _raster(batch.forced_i, N, dev)
        ovr_e = torch.as_tensor(batch.override_e, device=dev)
        ovr_i = torch.as_tensor(batch.override_i, device=dev)
        steer_e, steer_i = f(batch.steer_e), f(batch.steer_i)
        exc = lif_init(ex, (B, N), dtype=dt_, device=dev)
        inh = lif_init(ih, (B, N), dtype=dt_, device=dev)
        history = torch.zeros(B, n_in, D, dtype=torch.bool, device=dev)
        n_bins = -(-n_rec // bin_steps)
        counts_e = torch.zeros(B, n_bins, N, dtype=torch.float32, device=dev)
        counts_i = torch.zeros_like(counts_e)
        ev_e, ev_i = [], []
        thr_base = cfg.v_thresh_exc_mv - cfg.theta_offset_mv
        not_self = 1.0 - torch.eye(N, dtype=dt_, device=dev)
        recurrent = _RecurrentRing(state, batch.replica, B, dev, dt_, cfg) if state.delay_ei_steps is not None else None
        with torch.no_grad():
            for n in range(n_steps):
                # 1. groups
                exc, nr_e = lif_update(exc, ex, dt, n, steer_e, cfg.method)
                inh, nr_i = lif_update(inh, ih, dt, n, steer_i, cfg.method)
                if plastic:
                    theta = theta_decay(theta, dt, cfg.tau_theta_ms, cfg.method)
                # 2. thresholds
                sp_e = torch.where(ovr_e, forced_e[:, n] & nr_e, lif_threshold(exc, thr_base + theta, nr_e))
                sp_i = torch.where(ovr_i, forced_i[:, n] & nr_i, lif_threshold(inh, cfg.v_thresh_inh_mv, nr_i))
                history[:, :, n % D] = inputs[:, n]
                # 3. synapses: pre pathways, then the post pathway
                slot = torch.remainder(n - delays, D)
                arrivals = deliver_delayed(history, slot) & (delays <= n)
                arr = arrivals.to(dt_)
                exc = exc._replace(ge=exc.ge + (arr * w).sum(1))
                if plastic:
                    tabs = t0 + n
                    w, lastpre = stdp_on_pre(w, arrivals, lastpre, lastpost, tabs, stdp)
                if recurrent is None:
                    inh = inh._replace(ge=inh.ge + cfg.w_exc_inh * sp_e.to(dt_))
                    exc = exc._replace(gi=exc.gi + cfg.w_inh_exc * (sp_i.to(dt_) @ not_self))
                else:
                    to_inh, to_exc = recurrent.step(n, sp_e.to(dt_), sp_i.to(dt_))
                    inh = inh._replace(ge=inh.ge + to_inh)
                    exc = exc._replace(gi=exc.gi + to_exc)
                if plastic:
                    w, lastpost = stdp_on_post(w, sp_e, lastpre, lastpost, tabs, stdp)
                # 4. resets
                exc = lif_reset(exc, sp_e, ex, n)
                inh = lif_reset(inh, sp_i, ih, n)
                if plastic:
                    theta = theta + cfg.theta_plus_mv * sp_e.to(dt_)
                if n < n_rec:
                    counts_e[:, n // bin_steps] += sp_e
                    counts_i[:, n // bin_steps] += sp_i
                    for store, sp in ((ev_e, sp_e), (ev_i, sp_i)):
                        b, j = torch.nonzero(sp, as_tuple=True)
                        if len(b):
                            store.append(torch.stack([b, j, torch.full_like(b, n)]))
        if plastic:
            state.w[batch.replica] = w.double().cpu().numpy()
            state.theta[batch.replica] = theta.double().cpu().numpy()
            state.lastpre[batch.replica] = lastpre.cpu().numpy()
            state.lastpost[batch.replica] = lastpost.cpu().numpy()
            state.clock[batch.replica] += n_steps

        def flat(store):
            if not store:
                return (np.zeros(0, np.int64),) * 3
            a = torch.cat(store, dim=1).cpu().numpy()
            return a[0], a[1], a[2]

        return SimResult(counts_e.cpu().numpy(), counts_i.cpu().numpy(), flat(ev_e), flat(ev_i))


class _RecurrentRing:
    """Delayed exc->inh and inh->exc delivery: increments pushed at emission into ring rows
    ``(n + delay) % DR`` ``[B, DR, N]``, and each step's row read and cleared."""

    def __init__(self, state, replica, B, dev, dt_, cfg):
        N = state.w.shape[2]
        self.D = state.n_recurrent_slots
        self.d_ei = torch.as_tensor(state.delay_ei_steps[replica].astype(np.int64), device=dev)  # [B, N]
        self.d_ie = torch.as_tensor(state.delay_ie_steps[replica].astype(np.int64), device=dev)  # [B, N, N]
        self.w_ei = cfg.w_exc_inh
        self.w_ie = cfg.w_inh_exc  # (the config handed to simulate holds the test-time weight)
        self.not_self = 1.0 - torch.eye(N, dtype=dt_, device=dev)
        self.ring_ei = torch.zeros(B, self.D, N, dtype=dt_, device=dev)
        self.ring_ie = torch.zeros(B, self.D, N, dtype=dt_, device=dev)

    def step(self, n: int, sp_e: torch.Tensor, sp_i: torch.Tensor):
        """Push step n's spikes ``[B, N]`` (0/1), return this step's arrivals (to inh ge, to exc gi)."""
        self.ring_ei.scatter_add_(1, ((n + self.d_ei) % self.D)[:, None, :], (self.w_ei * sp_e)[:, None, :])
        src = self.w_ie * sp_i[:, :, None] * self.not_self  # [B, u, j]
        self.ring_ie.scatter_add_(1, (n + self.d_ie) % self.D, src)
        row = n % self.D
        out = self.ring_ei[:, row].clone(), self.ring_ie[:, row].clone()
        self.ring_ei[:, row] = 0.0
        self.ring_ie[:, row] = 0.0
        return out
