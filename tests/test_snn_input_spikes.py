"""Training on given input events (``fit(..., input_spikes=...)``): the network learns from the
events, not from the Poisson trains ``x`` would give; replicas and the surrogate gradient take
them too; bad events are one-line errors."""

import warnings

import numpy as np
import pytest

from probes.support import DataError
from snn import SNNConfig, SpikingNetwork
from snn.encoding import check_input_spikes, select_rows, spike_rows
from snn.network import _with_rest

CFG = SNNConfig(n_neurons=6, epochs=1, presentation_ms=100.0, rest_ms=20.0)


def regular_events(inputs_of_sample, period_ms: float = 1.0, window_ms: float = 100.0):
    """Each sample s fires every input in ``inputs_of_sample[s]`` every ``period_ms`` (on the 0.5 ms grid)."""
    t = np.arange(0.25, window_ms, period_ms)
    sample, inp, time_ms = [], [], []
    for s, inputs in enumerate(inputs_of_sample):
        for i in inputs:
            sample.append(np.full(len(t), s))
            inp.append(np.full(len(t), i))
            time_ms.append(t)
    return np.concatenate(sample), np.concatenate(inp), np.concatenate(time_ms)


def fit_quietly(net, *args, **kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny networks: firing warnings are expected and beside the point
        return net.fit(*args, **kw)


def test_stdp_learns_from_the_events_not_from_x():
    """x says inputs 2 and 3 are on; the events fire inputs 0 and 1 only. STDP potentiates the
    inputs that fire before a neuron does, so trained on the events the weights from inputs 0-1
    end higher (and 2-3 lower) than in the same network (same initial weights) trained on x."""
    n = 60
    x = np.zeros((n, 4), np.float32)
    x[:, 2:] = 1.0
    y = np.arange(n) % 2
    ev = regular_events([(0, 1)] * n)
    on_events = fit_quietly(SpikingNetwork(CFG, seed=0), x, y, input_spikes=ev)
    on_x = fit_quietly(SpikingNetwork(CFG, seed=0), x, y)
    assert on_events.history_["retries"] == [0]  # given events are never retried
    assert on_events.history_["mean_exc_spikes"][0] > 1.0  # the events drove the layer
    diff = on_events.w_ - on_x.w_  # [4 inputs, 6 neurons], same initial weights
    assert diff[:2].sum() > 0.1 and diff[2:].sum() < -0.1, diff
    # the fitted readout was fitted on the events too: recording them reproduces its spikes
    rec = on_events.record(x, input_spikes=ev)
    assert rec.meta["spikes_per_sample"] > 0
    assert not np.array_equal(rec.counts("exc"), on_events.record(x).counts("exc"))


@pytest.mark.parametrize("learning", ["stdp", "surrogate"])
def test_class_carried_only_by_the_events_is_learned(learning):
    """Every row of x is the same; class 0 fires inputs 0-1, class 1 inputs 2-3. Trained and read
    on the events the network tells the classes apart on held-out samples; from x alone nothing
    can (every prediction is the same)."""
    n, n_test = 40, 20
    y = np.arange(n + n_test) % 2
    x = np.full((n + n_test, 4), 0.5, np.float32)
    ev = regular_events([(0, 1) if c == 0 else (2, 3) for c in y], period_ms=2.0)
    train_ev = spike_rows(ev, np.arange(n))
    test_ev = spike_rows(ev, np.arange(n, n + n_test))
    surrogate = dict(learning="surrogate", surrogate_epochs=8, surrogate_batch_size=10, surrogate_lr=5e-2)
    extra = surrogate if learning == "surrogate" else {}
    cfg = CFG.replace(**extra)
    net = fit_quietly(SpikingNetwork(cfg, seed=1), x[:n], y[:n], input_spikes=train_ev)
    pred = net.record(x[n:], input_spikes=test_ev).predictions
    assert (pred == y[n:]).mean() >= 0.9, pred
    blind = fit_quietly(SpikingNetwork(cfg, seed=1), x[:n], y[:n])
    assert len(set(blind.predict(x[n:]).tolist())) == 1


def test_replicas_on_events_equal_single_fits():
    n = 16
    x = np.full((n, 4), 0.5, np.float32)
    y = np.arange(n) % 2
    ev = regular_events([(0, 1) if c == 0 else (2, 3) for c in y], period_ms=2.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        nets = SpikingNetwork.fit_replicas(CFG, [0, 5], x, y, input_spikes=ev)
    for seed, net in zip([0, 5], nets):
        single = fit_quietly(SpikingNetwork(CFG, seed=seed), x, y, input_spikes=ev)
        np.testing.assert_array_equal(net.w_, single.w_)
        np.testing.assert_array_equal(net.theta_, single.theta_)


def test_events_padded_with_the_rest_keep_every_spike_in_place():
    """_with_rest: the same (sample, step, input) spikes, n_total steps per sample."""
    ev = regular_events([(0,), (1, 2), ()], period_ms=7.0, window_ms=20.0)
    given = check_input_spikes(ev, 3, 4, 0.5, 40)
    padded = _with_rest(select_rows(given, np.array([2, 0, 1])), 55)

    def triples(e):
        out = set()
        for b in range(e.n_batch):
            for s in range(e.n_steps):
                out |= {(b, s, int(i)) for i in e.idx[e.ptr[b * e.n_steps + s] : e.ptr[b * e.n_steps + s + 1]]}
        return out

    expected = {({2: 0, 0: 1, 1: 2}[s], int(t / 0.5), i) for s, i, t in zip(*ev)}
    assert padded.n_steps == 55 and len(padded.ptr) == 3 * 55 + 1
    assert triples(padded) == expected


@pytest.mark.parametrize(
    "events, match",
    [
        ((np.array([0, 5]), np.array([0, 1]), np.array([1.0, 2.0])), r"sample indices must be in 0\.\.3"),
        ((np.array([0]), np.array([0]), np.array([150.0])), "beyond the presentation window of 100 ms"),
        ((np.array([0]), np.array([9]), np.array([1.0])), r"input indices must be in 0\.\.3"),
    ],
)
def test_bad_events_are_one_line_errors(events, match):
    x = np.full((4, 4), 0.5, np.float32)
    with pytest.raises(DataError, match=match) as info:
        SpikingNetwork(CFG, seed=0).fit(x, np.arange(4) % 2, input_spikes=events)
    assert "\n" not in str(info.value)


def test_events_too_sparse_to_fire_the_layer_warn_and_name_weight_sum():
    """One input every 2 ms with weight_sum 2 (4 inputs): no presentation reaches min_spikes, none is
    retried, and fit says what to raise."""
    from probes.support import FiringWarning

    n = 12
    x = np.full((n, 4), 0.5, np.float32)
    with pytest.warns(FiringWarning, match=r"latency codes are never retried; weight_sum=2\).*raise weight_sum"):
        net = SpikingNetwork(CFG, seed=0).fit(x, np.arange(n) % 2, input_spikes=regular_events([(0,)] * n, 2.0))
    assert net.history_["retries"] == [0] and net.history_["retries_exhausted"] == [n]
