"""Spiking dynamics against analytic solutions and hand-computed STDP, on every engine."""

import dataclasses
import inspect
import math

import numpy as np
import pytest
import torch
from snn_helpers import batch, config, state

from probes.support import DataError
from snn.brian2_backend import Brian2Engine
from snn.dynamics import LIFParams, lif_init, lif_reset, lif_threshold, lif_update
from snn.encoding import empty_events, events_from_steps
from snn.kernel import refractory_steps
from snn.numba_engine import NumbaEngine
from snn.torch_engine import TorchEngine

ENGINES = [NumbaEngine(), TorchEngine("cpu", "float64")]
IDS = ["numba", "eager"]


class NumbaFloat32(NumbaEngine):
    """The numba kernel on a float32 config (its recording runs in float32)."""

    def simulate(self, cfg, *args, **kw):
        return super().simulate(cfg.replace(dtype="float32"), *args, **kw)


# frozen-weight semantics hold in the float32 recording kernel too
FROZEN_ENGINES = ENGINES + [NumbaFloat32()]
FROZEN_IDS = IDS + ["numba-float32"]


def test_lif_constant_conductance_matches_analytic_solution():
    # ge held constant (tau_ge = inf): v relaxes exponentially to v_inf with time constant tau/(1+ge)
    p = LIFParams(
        tau_m=100.0, v_rest=-65.0, v_reset=-65.0, e_exc=0.0, e_inh=-100.0, tau_ge=math.inf, tau_gi=2.0, refractory=10
    )
    ge, dt, n = 0.5, 0.01, 20000
    s = lif_init(p, (1, 1), dtype=torch.float64, device="cpu")._replace(ge=torch.full((1, 1), ge, dtype=torch.float64))
    vs = []
    for k in range(n):
        s, _ = lif_update(s, p, dt, k)
        vs.append(float(s.v))
    v_inf = (p.v_rest + ge * p.e_exc) / (1 + ge)
    tau_eff = p.tau_m / (1 + ge)
    t = dt * np.arange(1, n + 1)
    exact = v_inf + (p.v_rest - v_inf) * np.exp(-t / tau_eff)
    # forward Euler: exactly the geometric closed form, and within O(dt) of the exponential
    euler = v_inf + (p.v_rest - v_inf) * (1 - dt / tau_eff) ** np.arange(1, n + 1)
    np.testing.assert_allclose(vs, euler, rtol=1e-10)
    assert np.max(np.abs(np.array(vs) - exact)) < 1e-3 * abs(p.v_rest - v_inf)
    # exponential Euler is exact while the conductances are constant
    s = lif_init(p, (1, 1), dtype=torch.float64, device="cpu")._replace(ge=torch.full((1, 1), ge, dtype=torch.float64))
    vs = []
    for k in range(n):
        s, _ = lif_update(s, p, dt, k, method="exponential_euler")
        vs.append(float(s.v))
    np.testing.assert_allclose(vs, exact, rtol=1e-12)


def test_step_functions_refractory_and_reset():
    p = LIFParams(10.0, -60.0, -45.0, 0.0, -85.0, 1.0, 2.0, refractory=4)
    s = lif_init(p, (1, 1), dtype=torch.float64, device="cpu")
    spikes = []
    for k in range(40):
        s = s._replace(ge=torch.full((1, 1), 50.0, dtype=torch.float64))  # overwhelming drive every step
        s, nr = lif_update(s, p, 0.5, k)
        sp = lif_threshold(s, -40.0, nr)
        s = lif_reset(s, sp, p, k)
        if bool(sp):
            spikes.append(k)
    assert np.all(np.diff(spikes) == 4)  # the refractory period, to the step


@pytest.mark.parametrize("engine", FROZEN_ENGINES, ids=FROZEN_IDS)
def test_refractory_period_honoured_to_the_step(engine):
    cfg = config(n_neurons=2, w_inh_exc=0.0, refractory_exc_ms=5.0)
    st = state(np.zeros((1, 2)), 0)
    res = engine.simulate(
        cfg, st, batch(2, 200, steer_e=[1e4, 0.0]), plastic=False, n_steps=200, n_rec=200, bin_steps=200
    )
    steps = np.sort(res.events_e[2][res.events_e[1] == 0])
    assert len(steps) > 5 and np.all(np.diff(steps) == refractory_steps(5.0, 0.5))
    assert (res.events_e[1] == 1).sum() == 0


@pytest.mark.parametrize("engine", ENGINES, ids=IDS)
def test_theta_rises_by_theta_plus_per_spike(engine):
    cfg = config(n_neurons=3, tau_theta_ms=1e300, theta_plus_mv=0.05, w_inh_exc=0.0)
    st = state(np.zeros((1, 3)), 0)
    before = st.theta.copy()
    res = engine.simulate(
        cfg, st, batch(3, 300, steer_e=[1e4, 40.0, 0.0]), plastic=True, n_steps=300, n_rec=300, bin_steps=300
    )
    n_spikes = res.counts_e[0, 0].astype(np.float64)
    assert n_spikes[0] > n_spikes[1] > 0 == n_spikes[2]
    np.testing.assert_allclose(st.theta[0] - before[0], 0.05 * n_spikes, rtol=0, atol=1e-12)


@pytest.mark.parametrize("engine", ENGINES, ids=IDS)
def test_stdp_pair_changes_weight_by_hand_computed_amount(engine):
    cfg = config(n_neurons=1, w_inh_exc=0.0, w_exc_inh=0.0, nu_pre=1e-4, nu_post=1e-2)
    dt = cfg.dt_ms
    # post at step 10, pre at step 30, post at step 50: potentiation with both traces
    st = state([[0.5]], 0)
    engine.simulate(
        cfg,
        st,
        batch(1, 60, inputs=[(30, 0)], forced_e=[(10, 0), (50, 0)], override_e=[0]),
        plastic=True,
        n_steps=60,
        n_rec=60,
        bin_steps=60,
    )
    dep = 1e-4 * math.exp(-(30 - 10) * dt / cfg.tau_post1_ms)  # pre after post: depression
    pot = 1e-2 * math.exp(-(50 - 30) * dt / cfg.tau_pre_ms) * math.exp(-(50 - 10) * dt / cfg.tau_post2_ms)
    assert st.w[0, 0, 0] == pytest.approx(0.5 - dep + pot, abs=1e-15)
    # with a delay of 4 steps the pre event reaches the synapse at step 34 instead
    st = state([[0.5]], 4)
    engine.simulate(
        cfg,
        st,
        batch(1, 60, inputs=[(30, 0)], forced_e=[(10, 0), (50, 0)], override_e=[0]),
        plastic=True,
        n_steps=60,
        n_rec=60,
        bin_steps=60,
    )
    dep = 1e-4 * math.exp(-(34 - 10) * dt / cfg.tau_post1_ms)
    pot = 1e-2 * math.exp(-(50 - 34) * dt / cfg.tau_pre_ms) * math.exp(-(50 - 10) * dt / cfg.tau_post2_ms)
    assert st.w[0, 0, 0] == pytest.approx(0.5 - dep + pot, abs=1e-15)
    # weights are clipped to [0, w_max]
    st = state([[0.9999]], 0)
    engine.simulate(
        cfg,
        st,
        batch(1, 30, inputs=[(15, 0)], forced_e=[(5, 0), (16, 0)], override_e=[0]),
        plastic=True,
        n_steps=30,
        n_rec=30,
        bin_steps=30,
    )
    assert st.w[0, 0, 0] == cfg.w_max
    # a forced spike inside the refractory period does not happen (as in Brian2)
    res = engine.simulate(
        cfg,
        state([[0.5]], 0),
        batch(1, 30, forced_e=[(5, 0), (9, 0), (20, 0)], override_e=[0]),
        plastic=False,
        n_steps=30,
        n_rec=30,
        bin_steps=30,
    )
    assert res.events_e[2].tolist() == [5, 20]


@pytest.mark.parametrize("engine", FROZEN_ENGINES, ids=FROZEN_IDS)
@pytest.mark.parametrize("delay", [0, 1, 7, 20])
def test_delay_shifts_the_effect_by_exactly_d(engine, delay):
    cfg = config(n_neurons=1, w_inh_exc=0.0, w_max=1e6)
    st = state([[1e5]], delay)  # one arrival makes the neuron fire at the next state update
    res = engine.simulate(cfg, st, batch(1, 60, inputs=[(10, 0)]), plastic=False, n_steps=60, n_rec=60, bin_steps=60)
    assert res.events_e[2].min() == 10 + delay + 1  # arrival at 10 + delay, v crosses at the next update


def test_snn_delays_on_the_grid_and_zero_delay(digits):
    from snn import SNNConfig, SpikingNetwork

    m = SpikingNetwork(SNNConfig(n_neurons=10, delay_ms=3.3), seed=0).fit(digits.x_train[:3], digits.y_train[:3])
    d = m.delays_ms_
    assert d.min() >= 0 and d.max() <= 3.5 and np.allclose(d / 0.5, np.round(d / 0.5))
    assert len(np.unique(d)) > 3
    m0 = SpikingNetwork(SNNConfig(n_neurons=10, delay_ms=0.0), seed=0).fit(digits.x_train[:3], digits.y_train[:3])
    assert (m0.delays_ms_ == 0).all()


@pytest.mark.parametrize("plastic,last_input", [(False, 300), (True, 300), (True, 400)])
def test_engines_agree_spike_for_spike(plastic, last_input, rng):
    # last_input 400: inputs until the last step, so some arrivals fall after the end of the run
    # (the numba kernel rebuilds each synapse's last arrival from the input history and delays)
    cfg = config(n_neurons=30, delay_ms=10.0)
    n_in, N, n_steps = 20, 30, 400
    w = rng.random((n_in, N))
    d = rng.integers(0, 21, (n_in, N))
    steps = rng.integers(0, last_input, 2000)
    units = rng.integers(0, n_in, 2000)
    pairs = sorted(set(zip(steps.tolist(), units.tolist())))
    results, states = [], []
    for eng in ENGINES:
        st = state(w, d)
        results.append(
            eng.simulate(
                cfg, st, batch(N, n_steps, inputs=pairs), plastic=plastic, n_steps=n_steps, n_rec=n_steps, bin_steps=10
            )
        )
        states.append(st)
    a, b = results
    for k in range(3):
        np.testing.assert_array_equal(np.sort(a.events_e[k]), np.sort(b.events_e[k]))
    assert len(a.events_e[0]) > 10
    np.testing.assert_array_equal(a.counts_i, b.counts_i)
    np.testing.assert_allclose(states[0].w, states[1].w, rtol=0, atol=1e-12)
    np.testing.assert_allclose(states[0].theta, states[1].theta, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(states[0].lastpre, states[1].lastpre)
    np.testing.assert_array_equal(states[0].lastpost, states[1].lastpost)


def _csr_by_comparison_sort(key, unit, n_keys):
    """The expected event lists: lexsort by (key = element * n_steps + step, unit), pointers by
    searchsorted: ``(ptr [n_keys + 1], idx)``."""
    order = np.lexsort((unit, key))
    return np.searchsorted(key[order], np.arange(n_keys + 1)), unit[order]


def test_event_lists_sorted_by_step_then_unit_like_a_comparison_sort(rng):
    b, step, unit = rng.integers(0, 5, 3000), rng.integers(0, 50, 3000), rng.integers(0, 64, 3000)
    key = b * 50 + step
    pairs = np.unique(np.stack([key, unit], 1), axis=0)  # one spike per (element, step, unit)
    ev = events_from_steps(pairs[:, 0] // 50, pairs[:, 0] % 50, pairs[:, 1], 5, 50)
    want_ptr, want_idx = _csr_by_comparison_sort(pairs[:, 0], pairs[:, 1], 250)
    np.testing.assert_array_equal(ev.idx, want_idx)
    np.testing.assert_array_equal(ev.ptr, want_ptr)
    with pytest.raises(DataError, match="input_spikes has two spikes of one input in one time step"):
        events_from_steps(b, step, unit, 5, 50, what="input_spikes")


def test_recording_with_tiny_event_buffers_reruns_the_overflowing_samples(rng, monkeypatch):
    # Buffers of 2 spikes per sample: most samples overflow and are run again; the events must be
    # exactly those recorded with room for all of them at once, and each sample's own spikes.
    cfg = config(n_neurons=30, delay_ms=10.0)
    n_in, N, n_steps, B = 20, 30, 300, 6
    st = state(rng.random((n_in, N)), rng.integers(0, 21, (n_in, N)))
    inputs = [
        sorted(set(zip(rng.integers(0, 250, 600).tolist(), rng.integers(0, n_in, 600).tolist()))) for _ in range(B)
    ]
    b = np.concatenate([np.full(len(p), k) for k, p in enumerate(inputs)])
    s, u = np.concatenate([np.array(p) for p in inputs]).T
    big = dataclasses.replace(
        batch(N, n_steps),
        replica=np.zeros(B, np.int64),
        inputs=events_from_steps(b, s, u, B, n_steps),
        forced_e=empty_events(B, n_steps),
        forced_i=empty_events(B, n_steps),
    )
    full = NumbaEngine().simulate(cfg, st, big, plastic=False, n_steps=n_steps, n_rec=n_steps, bin_steps=10)
    assert (np.bincount(full.events_e[0], minlength=B) > 2).sum() >= 3  # several samples overflow
    monkeypatch.setattr(NumbaEngine, "EVENT_CAP", 2)
    tiny = NumbaEngine().simulate(cfg, st, big, plastic=False, n_steps=n_steps, n_rec=n_steps, bin_steps=10)
    for k in range(3):
        np.testing.assert_array_equal(tiny.events_e[k], full.events_e[k])
        np.testing.assert_array_equal(tiny.events_i[k], full.events_i[k])
    for k in range(B):
        one = ENGINES[1].simulate(
            cfg, st, batch(N, n_steps, inputs=inputs[k]), plastic=False, n_steps=n_steps, n_rec=n_steps, bin_steps=10
        )
        mine = tiny.events_e[0] == k
        assert sorted(zip(one.events_e[1], one.events_e[2])) == sorted(
            zip(tiny.events_e[1][mine], tiny.events_e[2][mine])
        )


@pytest.mark.parametrize("tau_ms,dt_ms", [(20.0, 0.5), (8.0, 0.5), (1.0, 0.1), (20.0, 1.0), (0.7, 0.25)])
def test_decay_tables_end_in_zero_and_equal_the_exponential(tau_ms, dt_ms):
    from snn.kernel import decay_table

    tab = decay_table(tau_ms, dt_ms)
    assert tab[-1] == 0.0
    k = np.arange(len(tab))
    np.testing.assert_array_equal(tab, np.exp(-(k * dt_ms) / tau_ms))


@pytest.mark.parametrize("rows", [[3, 1, 6], [2, 3, 4], [0], [5, 5], list(range(7))])
def test_selected_rows_equal_the_events_built_for_those_rows(rows, rng):
    b, s, u = rng.integers(0, 7, 500), rng.integers(0, 30, 500), rng.integers(0, 64, 500)
    key = np.unique(np.stack([b * 30 + s, u], 1), axis=0)
    from snn.encoding import select_rows

    got = select_rows(events_from_steps(key[:, 0] // 30, key[:, 0] % 30, key[:, 1], 7, 30), rows)
    parts = [key[key[:, 0] // 30 == r] for r in rows]
    want = events_from_steps(
        np.concatenate([np.full(len(p), k) for k, p in enumerate(parts)]),
        np.concatenate([p[:, 0] % 30 for p in parts]),
        np.concatenate([p[:, 1] for p in parts]),
        len(rows),
        30,
    )
    np.testing.assert_array_equal(got.ptr, want.ptr)
    np.testing.assert_array_equal(got.idx, want.idx)


def test_numba_records_in_the_config_dtype_and_trains_in_float64(monkeypatch):
    import snn.kernel

    seen = []
    real = snn.kernel.simulate

    def spy(*args):
        a = inspect.signature(real.py_func).bind(*args).arguments
        seen.append((a["plastic"], a["w"].dtype, a["theta"].dtype, a["P"].dtype))
        return real(*args)

    monkeypatch.setattr(snn.kernel, "simulate", spy)
    st = state(np.full((1, 2), 0.5), 3)
    for dtype in ("float32", "float64"):
        for plastic in (False, True):
            NumbaEngine().simulate(
                config(n_neurons=2, dtype=dtype),
                st,
                batch(2, 30, inputs=[(5, 0)]),
                plastic=plastic,
                n_steps=30,
                n_rec=30,
                bin_steps=30,
            )
    f32, f64 = np.dtype(np.float32), np.dtype(np.float64)
    assert seen == [(False, f32, f32, f32), (True, f64, f64, f64), (False, f64, f64, f64), (True, f64, f64, f64)]
    # the learned state stays float64 (recording in float32 works on copies)
    assert st.w.dtype == f64 and st.theta.dtype == f64


# ... and the reference: Brian2 (numpy target) integrates by its own "euler"/"exponential_euler"
WITH_BRIAN2 = FROZEN_ENGINES + [Brian2Engine("numpy")]
WITH_BRIAN2_IDS = FROZEN_IDS + ["brian2-numpy"]


@pytest.mark.parametrize("engine", WITH_BRIAN2, ids=WITH_BRIAN2_IDS)
@pytest.mark.parametrize("method", ["euler", "exponential_euler"])
def test_first_spike_of_a_driven_neuron_at_the_analytic_step(engine, method):
    # v_inf = v_rest + I = -51.5 mV sits just above the threshold (-52 mV), so the crossing is slow
    # and the two methods cross two steps apart: after k updates v = v_inf + (v0 - v_inf) q^k with
    # q = exp(-dt/tau) (exponential Euler, exact) or 1 - dt/tau (forward Euler).
    cfg = config(n_neurons=1, w_inh_exc=0.0, method=method)
    q = math.exp(-cfg.dt_ms / cfg.tau_m_exc_ms) if method == "exponential_euler" else 1 - cfg.dt_ms / cfg.tau_m_exc_ms
    v0, v_inf, thr = -65.0, -51.5, cfg.v_thresh_exc_mv + 20.0 - cfg.theta_offset_mv
    k = math.floor(math.log((thr - v_inf) / (v0 - v_inf)) / math.log(q)) + 1  # first k with v > thr
    assert k == (660 if method == "exponential_euler" else 658)
    res = engine.simulate(
        cfg,
        state(np.zeros((1, 1)), 0),
        batch(1, 800, steer_e=[v_inf - v0]),
        plastic=False,
        n_steps=800,
        n_rec=800,
        bin_steps=800,
    )
    assert res.events_e[2].min() == k - 1  # step n applies the (n+1)-th update


@pytest.mark.parametrize("engine", WITH_BRIAN2, ids=WITH_BRIAN2_IDS)
def test_strong_inhibition_overshoots_with_euler_but_not_exponential_euler(engine):
    # one inhibitory spike gives gi = 1000: forward Euler takes v past E_inh to -240 mV, then back
    # up past the threshold (a spike no real membrane makes); exponential Euler relaxes towards
    # v_inf ~ E_inh and never spikes
    spikes = {}
    for method in ("euler", "exponential_euler"):
        cfg = config(n_neurons=2, w_inh_exc=1000.0, w_exc_inh=0.0, method=method)
        res = engine.simulate(
            cfg,
            state(np.zeros((1, 2)), 0),
            batch(2, 60, forced_i=[(10, 1)], override_i=[1]),
            plastic=False,
            n_steps=60,
            n_rec=60,
            bin_steps=60,
        )
        assert res.events_i[2].tolist() == [10]
        spikes[method] = list(zip(res.events_e[2].tolist(), res.events_e[1].tolist()))
    assert spikes == {"euler": [(12, 0)], "exponential_euler": []}


@pytest.mark.parametrize("shape", [(3, 5, 7), (300, 35, 400), (1, 1 << 18)])
def test_prefaulted_zeros_are_numpy_zeros(shape):
    from snn.memory import prefaulted_zeros

    z = prefaulted_zeros(shape)
    assert z.shape == shape and z.dtype == np.float32 and z.flags.c_contiguous and not z.any()


@pytest.mark.parametrize("order_of_events", ["by-sample-unit-time", "by-sample", "any"])
def test_explicit_input_events_checked_and_bucketed_in_either_order(order_of_events, rng):
    # Events grouped by sample take the parallel per-sample path, others the global counting sort:
    # both must give the comparison sort's buckets and the same error for each planted problem.
    # Grouped events in (sample, unit, time) order, as Poisson trains come, need no sort of their
    # buckets (the per-sample path skips it); shuffled within a sample, they do.
    from snn.encoding import check_input_spikes

    grouped = order_of_events != "any"

    n_samples, n_in, dt, n_steps = 9, 20, 0.5, 40
    pairs = np.unique(
        np.stack([rng.integers(0, n_samples - 1, 900), rng.integers(0, n_steps, 900), rng.integers(0, n_in, 900)], 1),
        axis=0,
    )  # sample 8 gets no events
    b, step, unit = pairs.T
    t_ms = step * dt + rng.uniform(0, 0.99 * dt, len(step))
    order = np.arange(len(b)) if grouped else rng.permutation(len(b))
    if order_of_events == "by-sample":
        order = order[np.lexsort((rng.random(len(b)), b))]  # grouped by sample, shuffled inside
    elif order_of_events == "by-sample-unit-time":
        order = np.lexsort((t_ms, unit, b))
    assert (np.diff(b[order]) >= 0).all() == grouped
    ev = check_input_spikes((b[order], unit[order], t_ms[order]), n_samples, n_in, dt, n_steps)
    step_of_time = ((t_ms + 1e-3 * dt) / dt).astype(np.int64)  # Brian2's rule
    want_ptr, want_idx = _csr_by_comparison_sort(b * n_steps + step_of_time, unit, n_samples * n_steps)
    np.testing.assert_array_equal(ev.ptr, want_ptr)
    np.testing.assert_array_equal(ev.idx, want_idx)
    planted = [
        ("sample", n_samples, r"sample indices must be in 0\.\.8"),
        ("sample", -1, r"sample indices"),
        ("unit", n_in, r"input indices must be in 0\.\.19"),
        ("unit", -2, r"input indices"),
        ("time", np.nan, r"time_ms must be finite"),
        ("time", -0.1, r"time_ms must be finite"),
        ("time", n_steps * dt, r"beyond the presentation window of 20 ms"),
        ("time", 1e300, r"beyond"),
    ]
    for what, value, message in planted:
        cols = {"sample": b[order].copy(), "unit": unit[order].copy(), "time": t_ms[order].copy()}
        at = len(b) - 1 if (what, value) == ("sample", n_samples) and grouped else int(rng.integers(len(b)))
        at = 0 if (what, value) == ("sample", -1) and grouped else at  # (keeps the events grouped)
        cols[what][at] = value
        with pytest.raises(DataError, match=message):
            check_input_spikes((cols["sample"], cols["unit"], cols["time"]), n_samples, n_in, dt, n_steps)
    dup = (
        np.append(b[order], b[order][-1]),
        np.append(unit[order], unit[order][-1]),
        np.append(t_ms[order], t_ms[order][-1]),
    )
    with pytest.raises(DataError, match="two spikes of one input in one time step"):
        check_input_spikes(dup, n_samples, n_in, dt, n_steps)


def test_grouped_events_report_the_first_problem_in_event_order_like_the_global_pass(rng):
    from snn.bucketing import event_keys, events_by_sample

    b = np.repeat(np.arange(4), 5)
    unit, t_ms = rng.integers(0, 10, 20), rng.uniform(0, 9.9, 20)
    for case in range(40):  # two or three planted problems at random places
        s, u, t = b.copy(), unit.copy(), t_ms.copy()
        for at in rng.choice(20, int(rng.integers(2, 4)), replace=False):
            kind = int(rng.integers(3))
            if kind == 0:
                u[at] = 10
            elif kind == 1:
                t[at] = np.inf
            else:
                t[at] = 10.0
        if case % 4 == 0:
            s[-1] = 4  # a sample beyond the batch, last in event order
        want = event_keys(s, u, t, 4, 10, 0.5, 20)[1]
        assert events_by_sample(s, u, t, 4, 10, 0.5, 20)[3] == want != 0


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("exp_euler", [False, True], ids=["euler", "exponential_euler"])
def test_a_decaying_conductance_reaches_zero_instead_of_sticking_subnormal(dtype, exp_euler):
    # Plain float decay of gi (dt/tau = 1/4) never reaches 0: at the smallest subnormals it rounds
    # back to itself, and subnormal arithmetic is slow. The kernel's decay follows it exactly while
    # it is a normal float and gives 0 from the first step it would fall below.
    from snn.kernel import _decay_g

    dt, tau = dtype(0.5), dtype(2.0)
    factor = np.exp(-dt / tau).astype(dtype)
    tiny, zero = np.finfo(dtype).tiny, dtype(0.0)
    plain = g = dtype(17.0)
    for _step in range(5000):
        plain = plain * factor if exp_euler else plain + dt * (-plain / tau)
        g = dtype(_decay_g(g, factor, dt, tau, tiny, zero, exp_euler))  # (numba returns a Python float)
        if plain < tiny:
            break
        assert g == plain
    assert g == 0.0 and 0 < plain < tiny
    for _ in range(200):
        plain = plain * factor if exp_euler else plain + dt * (-plain / tau)
    assert plain > 0.0  # stuck: the flush is what ends the decay


@pytest.mark.parametrize("engine", WITH_BRIAN2, ids=WITH_BRIAN2_IDS)
@pytest.mark.parametrize("d_ei,d_ie", [(0, 0), (3, 5), (10, 1)])
def test_recurrent_delays_shift_inhibition_by_exactly_their_steps(engine, d_ei, d_ie):
    # exc 0 is forced to fire at step 10; its partner inh 0 (w_exc_inh 10.4 lifts it from -60 mV past
    # -40 mV in one update) fires at the update after the arrival, 10 + d_ei + 1; that spike inhibits
    # exc 1 from step 10 + d_ei + 1 + d_ie on. exc 1 gets one input at step t (ge 50: one update
    # lifts it 16 mV, past threshold; with gi 100 in the same update it falls instead), so exc 1
    # fires at t + 1 exactly when the inhibition has not arrived by step t.
    cfg = config(n_neurons=2, w_inh_exc=100.0, w_max=1e3, delay_recurrent_ms=5.0)
    arrival = 10 + d_ei + 1 + d_ie
    fired = {}
    for t in range(arrival - 2, arrival + 2):
        st = state([[0.0, 50.0]], 0, recurrent=([d_ei, 0], [[0, d_ie], [0, 0]]))
        b = batch(2, 40, inputs=[(t, 0)], forced_e=[(10, 0)], override_e=[0])
        res = engine.simulate(cfg, st, b, plastic=False, n_steps=40, n_rec=40, bin_steps=40)
        inh0 = res.events_i[2][res.events_i[1] == 0]
        assert inh0.min() == 10 + d_ei + 1
        fired[t] = (t + 1) in res.events_e[2][res.events_e[1] == 1].tolist()
    assert fired == {t: t < arrival for t in fired}
