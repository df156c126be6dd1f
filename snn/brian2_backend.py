"""The Brian2 reference backend: the same network written as Brian2 equations.

``NeuronGroup`` (Euler, ``refractory``, ``(unless refractory)``), ``Synapses`` with per-synapse
delays and event-driven STDP traces in ``on_pre``/``on_post``, a ``SpikeGeneratorGroup`` for
the input events and ``SpikeMonitor`` for the output. Overridden units (Ablate, Clamp,
Patch) fire from a ``TimedArray`` instead of their threshold. A batch of presentations is
one run: presentations follow each other, each padded with ``max delay + 1`` silent steps
(so no event crosses into the next) and each starting from the resting state
(``run_regularly`` at the ``start`` slot). Training runs one presentation per call so that
the spiking network can normalise weights and retry between presentations, with the STDP
traces set from the network state at the start of each presentation.

``brian2_target``: "numpy" or "cython" (runtime code generation) or "cpp_standalone"
(a C++ project built in a cache folder, never the working tree; recording only: the
standalone device cannot hand control back to Python between presentations).
"""

from __future__ import annotations

import functools
import gc
import os
import shutil
from pathlib import Path

import numpy as np

from probes.support import BackendError

from .config import check_method
from .engines import Engine, SimResult
from .kernel import decay_table

EXC_EQS = """
dv/dt = ((v_rest_e - v) + ge * (e_exc_e - v) + gi * (e_inh_e - v) + I_steer) / tau_e : volt (unless refractory)
dge/dt = -ge / tau_ge : 1
dgi/dt = -gi / tau_gi : 1
dtheta/dt = -learning * theta / tau_theta : volt
I_steer : volt
override : 1
oidx : integer (constant)
learning : 1 (shared)
"""
INH_EQS = """
dv/dt = ((v_rest_i - v) + ge * (e_exc_i - v) + gi * (e_inh_i - v) + I_steer) / tau_i : volt (unless refractory)
dge/dt = -ge / tau_ge : 1
dgi/dt = -gi / tau_gi : 1
I_steer : volt
override : 1
oidx : integer (constant)
"""
# Trace names differ from D&C's ``pre``/``post1``/``post2``: on a Brian2 Synapses object
# ``S.pre`` is the pre *pathway*, so assigning ``S.pre = ...`` would silently miss the trace.
STDP_MODEL = """
w : 1
dapre/dt = -apre / tau_pre : 1 (event-driven)
dapost1/dt = -apost1 / tau_post1 : 1 (event-driven)
dapost2/dt = -apost2 / tau_post2 : 1 (event-driven)
post2before : 1
"""
STDP_PRE = """
ge_post += w
apre = 1.
w = clip(w - nu_pre * apost1, 0, w_max)
"""
STDP_POST = """
post2before = apost2
w = clip(w + nu_post * apre * post2before, 0, w_max)
apost1 = 1.
apost2 = 1.
"""


def cache_dir() -> Path:
    """Where Brian2 build products go: ``$SCRUTABLE_CACHE`` or ``~/.cache/scrutable`` (never the working tree)."""
    root = Path(os.environ.get("SCRUTABLE_CACHE", Path.home() / ".cache" / "scrutable"))
    return root / "brian2"


def standalone_lock():
    """An inter-process lock on the shared standalone project (``cache_dir()/standalone``): two
    processes that record with ``brian2_target='cpp_standalone'`` at once (two notebooks, a test
    run in parallel) would otherwise generate, build and run one project directory over each
    other. Held from code generation until the results are read back."""
    from brian2.utils.filelock import FileLock

    cache_dir().mkdir(parents=True, exist_ok=True)
    return FileLock(str(cache_dir() / "standalone.lock"))


@functools.cache
def _stable_clock_class(b2):
    """``brian2.Clock`` with a hash that does not depend on its address. Brian2 keeps a network's
    clocks in a set and writes them into the standalone project's ``main.cpp`` and ``objects.cpp``
    in that set's order: with address hashes the order, so the files, changed from process to
    process, and a build in a new process recompiled both (the largest files of the project).
    Every such clock hashes alike (the object is hashed before its name is set, so the name cannot
    be used; a network has two clocks), so a set lists them in the order they were added, which
    Brian2 takes from its sorted objects. Equality stays identity."""

    class StableClock(b2.Clock):
        dt, dt_ = b2.Clock.dt, b2.Clock.dt_  # Brian2 sets attributes through properties of the object's own class only

        def __hash__(self):
            return 0x5CA1AB1E

    return StableClock


def _import_brian2():
    try:
        import brian2
    except ImportError as exc:  # pragma: no cover - brian2 is a dependency
        raise BackendError(f"backend='brian2' needs the brian2 package ({exc}): pip install brian2") from None
    brian2.prefs.logging.console_log_level = "WARNING"
    return brian2


def _check_compiler(target: str) -> None:
    if (
        target in ("cython", "cpp_standalone")
        and shutil.which(os.environ.get("CXX", "g++")) is None
        and shutil.which("c++") is None
    ):
        raise BackendError(
            f"brian2_target={target!r} needs a C++ compiler and none was found: install g++ "
            "(apt-get install g++) or use brian2_target='numpy'"
        )


def namespace(cfg) -> dict:
    b2 = _import_brian2()
    ms, mV = b2.ms, b2.mV
    return {
        "v_rest_e": cfg.v_rest_exc_mv * mV,
        "v_reset_e": cfg.v_reset_exc_mv * mV,
        "v_thresh_e": cfg.v_thresh_exc_mv * mV,
        "theta_offset": cfg.theta_offset_mv * mV,
        "e_exc_e": cfg.e_exc_mv * mV,
        "e_inh_e": cfg.e_inh_exc_mv * mV,
        "tau_e": cfg.tau_m_exc_ms * ms,
        "tau_ge": cfg.tau_ge_ms * ms,
        "tau_gi": cfg.tau_gi_ms * ms,
        "tau_theta": cfg.tau_theta_ms * ms,
        "theta_plus": cfg.theta_plus_mv * mV,
        "v_rest_i": cfg.v_rest_inh_mv * mV,
        "v_reset_i": cfg.v_reset_inh_mv * mV,
        "v_thresh_i": cfg.v_thresh_inh_mv * mV,
        "e_exc_i": cfg.e_exc_mv * mV,
        "e_inh_i": cfg.e_inh_inh_mv * mV,
        "tau_i": cfg.tau_m_inh_ms * ms,
        "w_ei": cfg.w_exc_inh,
        "w_ie": cfg.w_inh_exc,
        "tau_pre": cfg.tau_pre_ms * ms,
        "tau_post1": cfg.tau_post1_ms * ms,
        "tau_post2": cfg.tau_post2_ms * ms,
        "nu_pre": cfg.nu_pre,
        "nu_post": cfg.nu_post,
        "w_max": cfg.w_max,
    }


def _input_synapses(b2, inp, exc, w, delays_ms, plastic, ns, name, normalize_to, clock, period_clock):
    """input -> exc, all to all (i-major: synapse k = i * N + j), plastic (STDP, with the optional
    per-presentation normalisation) or frozen."""
    ms = b2.ms
    if plastic:
        model = STDP_MODEL + ("wsum_post = w : 1 (summed)\n" if normalize_to is not None else "")
        syn = b2.Synapses(
            inp, exc, model, on_pre=STDP_PRE, on_post=STDP_POST, clock=clock, namespace=ns, name=f"{name}_syn"
        )  # event-driven traces: integrated exactly
    else:
        syn = b2.Synapses(inp, exc, "w : 1", on_pre="ge_post += w", clock=clock, namespace=ns, name=f"{name}_syn")
    syn.connect()  # all to all, i-major: synapse k = i * N + j
    syn.w = np.ascontiguousarray(w).ravel()
    syn.delay = np.ascontiguousarray(delays_ms).ravel() * ms
    if normalize_to is not None and period_clock is not None:
        # Sum the weights only when they are normalised (first step of each presentation, "start"
        # slot, just before the normalisation), not at every step as a summed variable would.
        updater = syn.summed_updaters["wsum_post"]
        updater._clock = period_clock
        updater.when, updater.order = "start", -1
        syn.run_regularly(
            f"w = w * int(wsum_post > 0) * {float(normalize_to)!r} / (wsum_post + int(wsum_post <= 0))"
            " + w * int(wsum_post <= 0)",
            clock=period_clock,
            when="start",
            name=f"{name}_normalize",
        )
    return syn


def _recurrent_synapses(b2, exc, inh, clock, ns, name, recurrent_delays_ms):
    """exc -> inh one to one and inh -> every other exc (the winner-take-all loop), with delays or not."""
    ms = b2.ms
    N = len(exc)
    s_ei = b2.Synapses(exc, inh, on_pre="ge_post += w_ei", clock=clock, namespace=ns, name=f"{name}_ei")
    s_ie = b2.Synapses(inh, exc, on_pre="gi_post += w_ie", clock=clock, namespace=ns, name=f"{name}_ie")
    if recurrent_delays_ms is None:
        s_ei.connect(j="i")
        s_ie.connect(condition="i != j")
    else:  # explicit (i, j) lists: the synapses' order is known, so are their delays (standalone too)
        d_ei, d_ie = recurrent_delays_ms
        s_ei.connect(i=np.arange(N), j=np.arange(N))
        s_ei.delay = np.asarray(d_ei, float) * ms
        pre, post = np.nonzero(~np.eye(N, dtype=bool))
        s_ie.connect(i=pre, j=post)
        s_ie.delay = np.asarray(d_ie, float)[pre, post] * ms
    return s_ei, s_ie


def build_network(
    cfg,
    w,
    delays_ms,
    theta_mv,
    *,
    plastic: bool,
    period_steps: int | None = None,
    force_e=None,
    force_i=None,
    name: str = "scrutable",
    normalize_to: float | None = None,
    recurrent_delays_ms=None,
    gate=None,
):
    """A Brian2 ``Network`` of the model with the given weights ``[n_in, N]``, delays (ms) and
    theta (mV). ``period_steps``: reset the neurons to rest every that many steps (batched
    recording). ``force_e``/``force_i``: ``TimedArray`` of forced spikes ``[steps, n_override]``.
    ``normalize_to``: with ``period_steps``, scale each neuron's incoming weights to this sum at the
    start of every period, inside the simulation (how a hand-written standalone D&C network does it).
    ``recurrent_delays_ms``: ``(exc->inh [N], inh->exc [N, N])`` delays (None: none).
    ``gate``: a ``TimedArray`` that is 0 where no neuron may spike (the padding of batched recording).

    Returns ``(network, objects)`` with objects ``input``, ``exc``, ``inh``, ``syn``,
    ``mon_e``, ``mon_i``.
    """
    check_method(cfg.method)  # None would let Brian2 choose its own method
    b2 = _import_brian2()
    ms, mV = b2.ms, b2.mV
    n_in, N = w.shape
    dt = cfg.dt_ms * ms
    ns = namespace(cfg)
    # Stable names: an anonymous TimedArray gets a new name per network, which changes the
    # generated code and makes the cython target recompile every network it builds.
    ns["force_e"] = force_e if force_e is not None else b2.TimedArray(np.zeros((1, 1)), dt=dt, name="force_none_e")
    ns["force_i"] = force_i if force_i is not None else b2.TimedArray(np.zeros((1, 1)), dt=dt, name="force_none_i")
    gated = ""
    if gate is not None:
        ns["gate"] = gate
        gated = " and gate(t) > 0.5"
    # Two named clocks shared by every object (per-object dt gives each object a clock of its own)
    Clock = _stable_clock_class(b2)
    clock = Clock(dt=dt, name=f"{name}_clock")
    period_clock = None if period_steps is None else Clock(dt=period_steps * dt, name=f"{name}_period_clock")
    inp = b2.SpikeGeneratorGroup(n_in, np.zeros(0, int), np.zeros(0) * ms, clock=clock, name=f"{name}_input")
    exc_eqs = EXC_EQS + ("wsum : 1\n" if normalize_to is not None else "")
    exc = b2.NeuronGroup(
        N,
        exc_eqs,
        threshold="((v > (theta - theta_offset + v_thresh_e) and override < 0.5) or "
        f"(override > 0.5 and force_e(t, oidx) > 0.5)){gated}",
        reset="v = v_reset_e; theta += learning * theta_plus",
        refractory=cfg.refractory_exc_ms * ms,
        method=cfg.method,
        clock=clock,
        namespace=ns,
        name=f"{name}_exc",
    )
    inh = b2.NeuronGroup(
        N,
        INH_EQS,
        threshold=f"((v > v_thresh_i and override < 0.5) or (override > 0.5 and force_i(t, oidx) > 0.5)){gated}",
        reset="v = v_reset_i",
        refractory=cfg.refractory_inh_ms * ms,
        method=cfg.method,
        clock=clock,
        namespace=ns,
        name=f"{name}_inh",
    )
    for g, rest in ((exc, cfg.v_rest_exc_mv), (inh, cfg.v_rest_inh_mv)):
        g.v = rest * mV
        if period_steps is not None:
            g.run_regularly(
                f"v = {rest} * mV; ge = 0; gi = 0; lastspike = -1e4 * second",
                clock=period_clock,
                when="start",
                name=f"{g.name}_rest",
            )
    exc.theta = theta_mv * mV
    exc.learning = 1.0 if plastic else 0.0
    syn = _input_synapses(b2, inp, exc, w, delays_ms, plastic, ns, name, normalize_to, clock, period_clock)
    s_ei, s_ie = _recurrent_synapses(b2, exc, inh, clock, ns, name, recurrent_delays_ms)
    mon_e = b2.SpikeMonitor(exc, name=f"{name}_mon_e")
    mon_i = b2.SpikeMonitor(inh, name=f"{name}_mon_i")
    net = b2.Network(inp, exc, inh, syn, s_ei, s_ie, mon_e, mon_i)
    return net, {"input": inp, "exc": exc, "inh": inh, "syn": syn, "mon_e": mon_e, "mon_i": mon_i}


def recurrent_delays_ms(state, r: int, dt_ms: float):
    """Replica r's recurrent delays in ms, ``(exc->inh [N], inh->exc [N, N])``, or None without."""
    if state.delay_ei_steps is None:
        return None
    return state.delay_ei_steps[r] * dt_ms, state.delay_ie_steps[r] * dt_ms


def _forced_array(b2, forced, override, n_batch, n_steps, period, dt):
    """TimedArray ``[n_batch * period, n_override]`` of forced spikes, and each unit's column."""
    units = np.flatnonzero(override)
    col = np.zeros(len(override), int)
    col[units] = np.arange(len(units))
    if len(units) == 0:
        return None, col
    values = np.zeros((n_batch * period, len(units)))
    key = np.repeat(np.arange(n_batch * n_steps), np.diff(forced.ptr))
    b, step = key // n_steps, key % n_steps
    keep = override[forced.idx]
    values[(b * period + step)[keep], col[forced.idx[keep]]] = 1.0
    return b2.TimedArray(values, dt=dt, name=f"force_{n_batch}x{len(units)}"), col


class Brian2Engine(Engine):
    name = "brian2"

    def __init__(self, target: str = "cython"):
        _check_compiler(target)
        self.target = target
        self._train_net = None

    def _set_target(self):
        b2 = _import_brian2()
        if self.target == "cpp_standalone":
            b2.device.reinit()
            b2.device.activate()
            # The last build's objects must be gone before this one is named: a live code object of
            # the same name gives the new one a suffix (_1, _2...), so new files, and every file of
            # the project compiled again (a minute on 2 cores) at each recording of a process.
            gc.collect()
            b2.set_device("cpp_standalone", directory=str(cache_dir() / "standalone"), build_on_run=True)
        else:
            b2.set_device("runtime")
            b2.prefs.codegen.target = self.target
            if self.target == "cython":
                b2.prefs.codegen.runtime.cython.cache_dir = str(cache_dir() / "cython")
        b2.defaultclock.dt = 0.1 * b2.ms  # every object sets its own dt

    def simulate(self, cfg, state, batch, *, plastic, n_steps, n_rec, bin_steps):
        if plastic:
            if self.target == "cpp_standalone":
                raise BackendError(
                    "brian2_target='cpp_standalone' cannot train sample by sample (the standalone "
                    "device cannot return to Python between presentations): train with 'cython'"
                )
            return self._train(cfg, state, batch, n_steps, n_rec, bin_steps)
        return self._record(cfg, state, batch, n_steps, n_rec, bin_steps)

    # --- recording: one run, presentations back to back ------------------------------------
    def _record(self, cfg, state, batch, n_steps, n_rec, bin_steps):
        if self.target == "cpp_standalone":
            with standalone_lock():
                return self._record_unlocked(cfg, state, batch, n_steps, n_rec, bin_steps)
        return self._record_unlocked(cfg, state, batch, n_steps, n_rec, bin_steps)

    def _record_unlocked(self, cfg, state, batch, n_steps, n_rec, bin_steps):
        b2 = _import_brian2()
        self._set_target()
        ms, mV = b2.ms, b2.mV
        B = len(batch.replica)
        if np.any(batch.replica != batch.replica[0]):
            raise BackendError("the brian2 backend records one network at a time")
        r = int(batch.replica[0])
        pad = max(state.n_slots, state.n_recurrent_slots)
        period = n_steps + pad
        dt = cfg.dt_ms * ms
        fe, col_e = _forced_array(b2, batch.forced_e, batch.override_e, B, n_steps, period, dt)
        fi, col_i = _forced_array(b2, batch.forced_i, batch.override_i, B, n_steps, period, dt)
        gate = None
        if state.delay_ei_steps is not None:  # no spike in the padding: none can arrive in the next presentation
            open_ = np.tile(np.arange(period) < n_steps, B).astype(float)
            gate = b2.TimedArray(open_, dt=dt, name=f"gate_{B}x{period}")
        net, o = build_network(
            cfg,
            state.w[r],
            state.delay_steps[r] * cfg.dt_ms,
            state.theta[r],
            plastic=False,
            period_steps=period,
            force_e=fe,
            force_i=fi,
            recurrent_delays_ms=recurrent_delays_ms(state, r, cfg.dt_ms),
            gate=gate,
        )
        for g, ovr, col, steer in (
            (o["exc"], batch.override_e, col_e, batch.steer_e),
            (o["inh"], batch.override_i, col_i, batch.steer_i),
        ):
            g.override = ovr.astype(float)
            g.oidx = col
            g.I_steer = np.asarray(steer, float) * mV
        key = np.repeat(np.arange(B * n_steps), np.diff(batch.inputs.ptr))
        steps = (key // n_steps) * period + key % n_steps
        o["input"].set_spikes(batch.inputs.idx.astype(int), steps * cfg.dt_ms * ms)
        net.run(B * period * dt, namespace={})
        return self._collect(o, B, n_steps, n_rec, bin_steps, period, offset=0)

    def _collect(self, o, B, n_steps, n_rec, bin_steps, period, offset):
        N = len(o["exc"])
        n_bins = -(-n_rec // bin_steps)
        out = []
        for mon in (o["mon_e"], o["mon_i"]):
            step = np.rint(np.asarray(mon.t_[:]) / float(o["exc"].clock.dt_)).astype(np.int64) - offset
            unit = np.asarray(mon.i[:], np.int64)
            keep = step >= 0
            step, unit = step[keep], unit[keep]
            b, local = step // period, step % period
            keep = local < n_rec
            b, local, unit = b[keep], local[keep], unit[keep]
            counts = np.zeros((B, n_bins, N), np.float32)
            np.add.at(counts, (b, local // bin_steps, unit), 1.0)
            out.append((counts, (b, unit, local)))
        return SimResult(out[0][0], out[1][0], out[0][1], out[1][1])

    # --- training: one presentation per replica and call, the network kept between calls ---
    def _train(self, cfg, state, batch, n_steps, n_rec, bin_steps):
        b2 = _import_brian2()
        ms, mV = b2.ms, b2.mV
        counts_e, counts_i, ev_e, ev_i = [], [], [], []
        for b, r in enumerate(batch.replica):
            key = (state, int(r))  # the state object itself: an id() can be reused after it is freed
            if self._train_net is None or self._train_net[0][0] is not state or self._train_net[0][1] != int(r):
                self._set_target()
                net, o = build_network(
                    cfg,
                    state.w[r],
                    state.delay_steps[r] * cfg.dt_ms,
                    state.theta[r],
                    plastic=True,
                    recurrent_delays_ms=recurrent_delays_ms(state, r, cfg.dt_ms),
                )
                self._train_net = (key, net, o)
            _, net, o = self._train_net
            exc, inh, syn = o["exc"], o["inh"], o["syn"]
            for g, rest in ((exc, cfg.v_rest_exc_mv), (inh, cfg.v_rest_inh_mv)):
                g.v = rest * mV
                g.ge = 0.0
                g.gi = 0.0
                g.lastspike = -1e4 * b2.second
                g.not_refractory = True
                g.override = 0.0
            exc.theta = state.theta[r] * mV
            syn.w = state.w[r].ravel()
            # the traces at the start of this presentation, from the absolute times of the last events
            t0 = int(state.clock[r])
            tab = {
                k: decay_table(tau, cfg.dt_ms)
                for k, tau in (("pre", cfg.tau_pre_ms), ("post1", cfg.tau_post1_ms), ("post2", cfg.tau_post2_ms))
            }

            def tr(table, last, t0=t0):
                age = t0 - last
                return np.where(age < len(table), table[np.clip(age, 0, len(table) - 1)], 0.0)

            syn.apre = tr(tab["pre"], state.lastpre[r]).ravel()
            lastpost = np.broadcast_to(state.lastpost[r][None, :], state.lastpre[r].shape)
            syn.apost1 = tr(tab["post1"], lastpost).ravel()
            syn.apost2 = tr(tab["post2"], lastpost).ravel()
            now = net.t
            syn.lastupdate = now
            start = int(round(float(now / ms) / cfg.dt_ms))
            sl = slice(batch.inputs.ptr[b * n_steps], batch.inputs.ptr[(b + 1) * n_steps])
            key_steps = np.repeat(np.arange(n_steps), np.diff(batch.inputs.ptr[b * n_steps : (b + 1) * n_steps + 1]))
            o["input"].set_spikes(batch.inputs.idx[sl].astype(int), (start + key_steps) * cfg.dt_ms * ms)
            n_e0, n_i0 = o["mon_e"].num_spikes, o["mon_i"].num_spikes
            net.run(n_steps * cfg.dt_ms * ms, namespace={})
            res = self._collect_since(o, n_e0, n_i0, start, n_steps, n_rec, bin_steps)
            counts_e.append(res[0])
            counts_i.append(res[1])
            ev_e.append((np.full(len(res[2][0]), b), *res[2]))
            ev_i.append((np.full(len(res[3][0]), b), *res[3]))
            state.w[r] = np.asarray(syn.w[:]).reshape(state.w[r].shape)
            state.theta[r] = np.asarray(exc.theta[:] / mV)
            # last events for the traces of the next presentation (absolute steps of our clock)
            e_unit, e_step = res[4]
            for j, s in zip(e_unit, e_step):
                state.lastpost[r, j] = max(state.lastpost[r, j], t0 + s)
            in_step, in_unit = key_steps, batch.inputs.idx[sl]
            for i in np.unique(in_unit):
                last = in_step[in_unit == i].max()
                arrival = t0 + last + state.delay_steps[r, i]
                state.lastpre[r, i] = np.maximum(state.lastpre[r, i], arrival)
            state.clock[r] += n_steps
        cat = lambda evs: tuple(np.concatenate([e[k] for e in evs]) for k in range(3))  # noqa: E731
        return SimResult(np.concatenate(counts_e), np.concatenate(counts_i), cat(ev_e), cat(ev_i))

    def _collect_since(self, o, n_e0, n_i0, start, n_steps, n_rec, bin_steps):
        N = len(o["exc"])
        n_bins = -(-n_rec // bin_steps)
        dt_s = float(o["exc"].clock.dt_)
        out = []
        for mon, n0 in ((o["mon_e"], n_e0), (o["mon_i"], n_i0)):
            step = np.rint(np.asarray(mon.t_[n0:]) / dt_s).astype(np.int64) - start
            unit = np.asarray(mon.i[n0:], np.int64)
            counts = np.zeros((1, n_bins, N), np.float32)
            rec = step < n_rec
            np.add.at(counts, (0, step[rec] // bin_steps, unit[rec]), 1.0)
            out.append((counts, (unit[rec], step[rec]), (unit, step)))
        return out[0][0], out[1][0], out[0][1], out[1][1], out[0][2]
