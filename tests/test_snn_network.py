import numpy as np
import pytest

from probes.interface import Ablate, Clamp, Patch, Probeable, Steer
from probes.support import ConfigError, DataError, InterventionError
from snn import SNNConfig, SpikingNetwork


@pytest.fixture(scope="module")
def net(digits):
    return SpikingNetwork(SNNConfig(n_neurons=40), seed=3).fit(digits.x_train[:150], digits.y_train[:150])


def test_probeable_and_fitted_attributes(net):
    assert isinstance(net, Probeable)
    assert net.sites() == {"exc": 40, "inh": 40}
    assert net.weights()["input->exc"].shape == (64, 40)
    assert net.theta_.shape == (40,) and (net.theta_ > 20.0).any()  # theta rose during training
    assert net.delays_ms_.shape == (64, 40)
    assert net.history_["mean_exc_spikes"][0] > 5


def test_record_shapes_events_and_counts_agree(net, digits):
    rec = net.record(digits.x_test[:7], bin_ms=50)
    assert rec.activity["exc"].shape == (7, 7, 40)  # 350 ms / 50 ms bins
    ev = rec.spikes["exc"]
    assert len(ev) == rec.activity["exc"].sum()
    counts = np.zeros((7, 40))
    np.add.at(counts, (ev.sample, ev.unit), 1)
    np.testing.assert_array_equal(counts, rec.counts("exc"))
    binned = np.zeros((7, 7, 40))
    np.add.at(binned, (ev.sample, (ev.time_ms // 50).astype(int), ev.unit), 1)
    np.testing.assert_array_equal(binned, rec.activity["exc"])
    np.testing.assert_array_equal(net.predict(digits.x_test[:7]), rec.predictions)
    # the readout scores the spike counts over the window
    np.testing.assert_array_equal(rec.outputs, net.readout_.decision_function(rec.counts("exc")).astype(np.float32))
    assert rec.meta["duration_ms"] == 350.0
    np.testing.assert_allclose(rec.rates("exc"), rec.counts("exc") / 0.35)


def test_batch_invariance(net, digits):
    x = digits.x_test[:10]
    whole = net.record(x)
    alone = net.record(x[6:7])
    sel = whole.subset([6])
    for site in ("exc", "inh"):
        for a, b in zip(sel.spikes[site], alone.spikes[site]):
            np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(sel.outputs, alone.outputs)


def test_determinism_per_seed(digits):
    cfg = SNNConfig(n_neurons=12)
    a, b, c = (SpikingNetwork(cfg, seed=s).fit(digits.x_train[:20], digits.y_train[:20]) for s in (1, 1, 2))
    np.testing.assert_array_equal(a.w_, b.w_)
    np.testing.assert_array_equal(a.theta_, b.theta_)
    assert not np.array_equal(a.w_, c.w_)
    assert a.record(digits.x_test[:5]).equals(b.record(digits.x_test[:5]))


def test_replicas_equal_separate_networks(digits):
    cfg = SNNConfig(n_neurons=12)
    nets = SpikingNetwork.fit_replicas(cfg, [5, 6], digits.x_train[:15], digits.y_train[:15])
    alone = SpikingNetwork(cfg, seed=6).fit(digits.x_train[:15], digits.y_train[:15])
    np.testing.assert_array_equal(nets[1].w_, alone.w_)
    np.testing.assert_array_equal(nets[1].theta_, alone.theta_)
    assert not np.array_equal(nets[0].w_, nets[1].w_)


def test_normalisation_gives_exact_column_sums(digits):
    cfg = SNNConfig(n_neurons=10, nu_pre=0.0, nu_post=0.0, weight_sum=7.5)
    m = SpikingNetwork(cfg, seed=0).fit(digits.x_train[:4], digits.y_train[:4])
    np.testing.assert_allclose(m.w_.sum(axis=0), 7.5, rtol=1e-12)


def test_ablated_units_never_spike_and_silence_their_inhibitory_partner(net, digits):
    x = digits.x_test[:20]
    base = net.record(x)
    busy = np.argsort(base.counts("exc").sum(0))[-3:]
    rec = net.record(x, interventions=[Ablate("exc", busy)])
    assert rec.counts("exc")[:, busy].sum() == 0
    assert not np.isin(rec.spikes["exc"].unit, busy).any()
    # inh j is driven only by exc j (one-to-one): it falls silent too
    assert rec.counts("inh")[:, busy].sum() == 0
    assert rec.counts("exc").sum() > 0


def test_patched_units_replay_the_source(net, digits):
    src = net.record(digits.x_test[:5])
    counts = src.counts("exc")[2]
    units = np.flatnonzero(counts)[:3]
    assert len(units)
    rec = net.record(digits.x_test[10:14], interventions=[Patch("exc", units, src, 2)])
    ref = src.spikes["exc"].select(2)
    for b in range(4):
        got = rec.spikes["exc"].select(b)
        for u in units:
            np.testing.assert_array_equal(got.time_ms[got.unit == u], ref.time_ms[ref.unit == u])
    # patching a sample with itself changes nothing
    same = net.record(digits.x_test[2:3], interventions=[Patch("exc", range(40), src, 2)])
    np.testing.assert_array_equal(same.spikes["exc"].time_ms, ref.time_ms)


def test_clamp_fires_the_target_count(net, digits):
    x = np.repeat(digits.x_test[:60], 1, axis=0)
    rec = net.record(x, interventions=[Clamp("exc", [0, 1], [4.0, 12.0])])
    mean = rec.counts("exc")[:, [0, 1]].mean(0)
    # Poisson counts: mean within 4 standard errors of the target
    assert abs(mean[0] - 4) < 4 * np.sqrt(4 / 60) and abs(mean[1] - 12) < 4 * np.sqrt(12 / 60)
    with pytest.raises(InterventionError, match=">= 0"):
        net.record(x[:2], interventions=[Clamp("exc", [0], -1.0)])


def test_engine_events_come_in_sample_step_unit_order(net, digits):
    # The kernel hands out each step's spikers in ascending unit order, so a recording's events
    # need no sort. Excitatory: forced spikes (of low units) are listed after the threshold
    # crossings of their step (inhibition ablated, so that many others cross); inhibitory: the
    # kernel visits them in the order they woke up in.
    cfg = net.config_
    n_pres = int(round(cfg.presentation_ms / cfg.dt_ms))
    for ivs, site, x in (
        ([Ablate("inh", range(40)), Clamp("exc", [0, 1, 2], 30.0)], 0, digits.x_test[:12]),
        ([], 1, digits.x_test[:24]),
    ):
        batch = net._batch(x, ivs, None, 0, n_pres)
        res = net._engine.simulate(cfg, net._state, batch, plastic=False, n_steps=n_pres, n_rec=n_pres, bin_steps=20)
        b, unit, step = (res.events_e, res.events_i)[site]
        assert (np.diff(b * n_pres + step) == 0).sum() > 10  # steps with several spikers
        key = (b * n_pres + step) * cfg.n_neurons + unit
        assert (np.diff(key) > 0).all()


def test_steering_gain_moves_counts_by_about_one_per_unit(net, digits):
    x = digits.x_train[:64]
    base = net.record(x).counts("exc")
    units = np.arange(0, 40, 8)
    d = np.zeros(40)
    d[units] = 1.0
    up = net.record(x, interventions=[Steer("exc", d, 3.0)]).counts("exc")
    gain = (up[:, units] - base[:, units]).mean() / 3.0
    assert 0.4 < gain < 2.5, gain
    down = net.record(x, interventions=[Steer("exc", d, -3.0)]).counts("exc")
    assert down[:, units].mean() < base[:, units].mean()


def test_explicit_input_spikes(net, digits):
    x = digits.x_test[:2]
    rec = net.record(x, input_spikes=([0, 0, 1], [3, 4, 5], [1.0, 2.5, 3.0]))
    assert rec.counts("exc").sum() == 0  # three input spikes cannot make a neuron fire
    with pytest.raises(DataError, match="presentation window"):
        net.record(x, input_spikes=([0], [3], [400.0]))
    with pytest.raises(DataError, match="one input in one time step"):
        net.record(x, input_spikes=([0, 0], [3, 3], [1.0, 1.1]))


@pytest.mark.slow
def test_learns_digits_small_config(digits):
    # CI-sized: 100 neurons, one epoch on the full training set (the 400-neuron figures are in README)
    m = SpikingNetwork(SNNConfig(n_neurons=100), seed=0).fit(digits.x_train, digits.y_train)
    acc = (m.predict(digits.x_test) == digits.y_test).mean()
    assert acc >= 0.70, acc


def test_bad_inputs(net, digits):
    with pytest.raises(DataError, match="values in"):
        net.record(-digits.x_test[:2] - 0.1)
    x = digits.x_test[:2].copy()
    x[1, 3] = np.nan
    with pytest.raises(DataError, match="NaN"):
        net.record(x)
    with pytest.raises(DataError, match="64"):
        net.record(np.zeros((2, 10)))
    with pytest.raises(ConfigError, match="dt_ms"):
        SNNConfig(dt_ms=3.0)  # longer than the 2 ms inhibitory refractory period
    with pytest.raises(ConfigError, match="tau_m_exc_ms"):
        SNNConfig(tau_m_exc_ms=-1.0)
    with pytest.raises(InterventionError, match="out of range"):
        net.record(x[:1], interventions=[Ablate("exc", [40])])
    with pytest.raises(DataError, match="bin_ms"):
        net.record(digits.x_test[:1], bin_ms=0.3)
    with pytest.raises(DataError, match="not fitted"):
        SpikingNetwork().record(digits.x_test[:1])


@pytest.mark.slow
def test_bars_get_dedicated_units_when_recorded_with_weak_inhibition(bars):
    """STDP learns the bars; D&C's winner-take-all at test time hides all but one per image."""
    from scipy.optimize import linear_sum_assignment

    from probes.common import auc_matrix  # scikit-learn's roc_auc_score per pair (tested), 0.5 if silent

    m = SpikingNetwork(SNNConfig(n_neurons=100, epochs=2, w_inh_exc_test=0.5), seed=0).fit(bars.x_train, bars.y_train)
    act = m.record(bars.x_test).counts("exc")
    auc = auc_matrix(bars.factors_test, act)
    rows, cols = linear_sum_assignment(-auc)
    assert (auc[rows, cols] >= 0.95).sum() >= 14
    # the same weights recorded with the training inhibition: one winner per image, bars hidden
    strong = m.using()
    strong.config_ = strong.config_.replace(w_inh_exc_test=None)
    auc = auc_matrix(bars.factors_test, strong.record(bars.x_test).counts("exc"))
    rows, cols = linear_sum_assignment(-auc)
    assert (auc[rows, cols] >= 0.95).sum() <= 4


def test_patch_from_a_finer_grid_replays_one_spike_per_step(net, digits):
    # A source whose spikes fall twice in one of our steps (recorded at a finer dt, say) gives
    # one forced spike there, as a Brian2 SpikeGeneratorGroup would accept: no doubled spike.
    import dataclasses

    from probes.recording import SpikeEvents

    src = net.record(digits.x_test[:1])
    ev = src.spikes["exc"]
    u = int(ev.unit[0])
    extra = SpikeEvents.make(
        np.concatenate([ev.sample, [0]]),
        np.concatenate([ev.unit, [u]]),
        np.concatenate([ev.time_ms, [ev.time_ms[0] + 0.2]]),
    )
    fine = dataclasses.replace(src, spikes={**src.spikes, "exc": extra})
    rec = net.record(digits.x_test[5:6], interventions=[Patch("exc", [u], fine, 0)])
    got = rec.spikes["exc"]
    np.testing.assert_array_equal(got.time_ms[got.unit == u], ev.time_ms[ev.unit == u])


def test_a_held_recording_is_never_modified_by_later_recordings(net, digits):
    # Count arrays large enough to be prefaulted (>= 1 MiB) and small ones, recorded again and
    # again with other inputs, dropped and kept recordings in between: the held one keeps its
    # values (compared with an independent copy) and shares no memory with any later recording.
    mine = net.using(batch_size=256)
    held = {n: mine.record(digits.x_test[:n]) for n in (200, 7)}
    frozen = {n: {s: a.copy() for s, a in rec.activity.items()} for n, rec in held.items()}
    later = []
    for k in range(12):
        x = digits.x_test[(k * 37) % 150 :][: 200 if k % 2 else 7]
        rec = mine.record(x, interventions=[Ablate("exc", [k % 40])] if k % 3 == 0 else ())
        for old in held.values():
            for s in rec.activity:
                assert not np.shares_memory(rec.activity[s], old.activity[s])
        if k % 4 == 0:
            later.append(rec)  # some kept, the others dropped at once
    for n, rec in held.items():
        for s, a in rec.activity.items():
            np.testing.assert_array_equal(a, frozen[n][s])
    assert held[200].activity["exc"].sum() > 0
    # and the values are those of a fresh network's recording of the same inputs
    again = net.using(batch_size=256).record(digits.x_test[:200])
    np.testing.assert_array_equal(again.activity["exc"], held[200].activity["exc"])


def test_no_engine_reads_reference_counts():
    import ast
    import pathlib

    import snn

    for path in pathlib.Path(snn.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text())
        names = {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        names |= {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
        assert "getrefcount" not in names, path
