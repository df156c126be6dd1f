"""Weight transplants between the spiking and the one-step network, and the abstractions built from them."""

import numpy as np
import pytest

from comparisons import abstractions
from comparisons.transplant import hebbian_to_spiking, spiking_to_one_step
from dense import DenseConfig, DenseNetwork
from probes import MEASUREMENTS
from probes.support import DataError
from snn import SNNConfig, SpikingNetwork


def _prototypes(task, per_class=3):
    """Planted weights: ``per_class`` class-mean prototypes per class (different training halves)."""
    cols = []
    for c in range(10):
        xc = task.x_train[task.y_train == c]
        for part in np.array_split(xc, per_class):
            cols.append(part.mean(axis=0))
    return np.stack(cols, axis=1)  # [64, 10 * per_class]


@pytest.fixture(scope="module")
def planted_snn(digits):
    w = _prototypes(digits)
    cfg = SNNConfig(n_neurons=w.shape[1]).resolved(64)
    w = w * cfg.weight_sum / w.sum(axis=0, keepdims=True)
    net = SpikingNetwork.from_weights(w, config=cfg, seed=0)
    return net.fit_readout(digits.x_train[:600], digits.y_train[:600])


def test_a_spiking_network_built_from_prototype_weights_classifies(planted_snn, digits):
    assert planted_snn.config_.n_neurons == 30 and planted_snn.history_["from_weights"]
    acc = (planted_snn.predict(digits.x_test) == digits.y_test).mean()
    assert acc > 0.7  # a prototype classifier read through spikes, far above chance (0.1)
    with pytest.raises(DataError, match="theta_mv has shape"):
        SpikingNetwork.from_weights(np.ones((64, 5)), np.ones(4))


def test_spiking_weights_as_a_one_step_network_predict_like_their_source(planted_snn, digits):
    one = spiking_to_one_step(planted_snn, digits.x_train[:600], digits.y_train[:600])
    assert isinstance(one, DenseNetwork) and one.config.k_active == one.k_
    agree = (one.predict(digits.x_test) == planted_snn.predict(digits.x_test)).mean()
    assert agree > 0.75


def test_hebbian_weights_run_as_a_spiking_network(digits):
    heb = DenseNetwork(DenseConfig(learning="hebbian", hidden=(40,), hebb_epochs=1), seed=0)
    heb.fit(digits.x_train[:600], digits.y_train[:600])
    spk = hebbian_to_spiking(heb, digits.x_train[:600], digits.y_train[:600], config=SNNConfig(), seed=0)
    assert spk.config_.n_neurons == 40
    np.testing.assert_allclose(spk.w_.sum(axis=0), spk.config_.weight_sum, rtol=1e-6)
    rec = spk.record(digits.x_test)
    assert rec.meta["spikes_per_sample"] >= 5 and (rec.predictions == digits.y_test).mean() > 0.5


@pytest.mark.slow
def test_the_standard_abstractions_of_a_trained_spiking_network(digits):
    net = SpikingNetwork(SNNConfig(n_neurons=30, jitter_ms=2.0), seed=0).fit(digits.x_train[:300], digits.y_train[:300])
    ab = abstractions.build(net, digits.x_train[:300], digits.y_train[:300])
    assert set(ab) == {"no_delays", "one_step", "fitted"}
    assert np.all(ab["no_delays"].delays_ms_ == 0) and ab["no_delays"].config_.jitter_ms == 0
    res = MEASUREMENTS["abstraction"](
        net, digits, abstractions=ab, reference=net.using(dtype="float64"), max_samples=60
    )
    table = res.details["table"]
    assert set(table) == {"ceiling", "no_delays", "one_step", "fitted"}
    for name in ("no_delays", "one_step", "fitted"):
        row = table[name]
        assert 0 <= row["fidelity"] <= 1 and 0 <= row["iia"] <= 1
        assert row["fidelity"] > row["fidelity_null"]  # better than chance agreement


def test_the_dense_control_transplant_of_a_k_winner_network_is_that_network(digits):
    # a Hebbian network read with k_active winners and no relative inhibition already is a one-step
    # k-winner network: its transplant (own weights, thresholds, k = mean active units) must be it
    x, y = digits.x_train[:300], digits.y_train[:300]
    cfg = DenseConfig(learning="hebbian", hidden=(20,), k_active=4, inhibition=0.0, hebb_epochs=1)
    net = DenseNetwork(cfg, seed=0).fit(x, y)
    H, site = abstractions.dense_one_step(net, x, y)
    assert site == "hidden" and H.k_ == 4
    a = net.record(digits.x_test, sites=["hidden"])
    b = H.record(digits.x_test, sites=["hidden"])
    np.testing.assert_array_equal(a.activity["hidden"], b.activity["hidden"])
    np.testing.assert_array_equal(a.predictions, b.predictions)
    res = MEASUREMENTS["abstraction"](net, digits, abstractions={"one_step": (H, site)}, max_samples=40)
    for what in ("fidelity", "iia", "ablation_corr"):
        assert res.scores[f"one_step_{what}"] == pytest.approx(1.0)
    # with relative inhibition the transplant (plain k winners) is an abstraction, no longer the network
    inhibited = net.using(inhibition=0.9).fit_readout(x, y)
    H2, _ = abstractions.dense_one_step(inhibited, x, y)
    assert H2.k_ < 4


def test_the_dense_control_of_an_sgd_network(digits):
    x, y = digits.x_train[:300], digits.y_train[:300]
    one = DenseNetwork(DenseConfig(hidden=(16,), max_epochs=30), seed=0).fit(x, y)
    ab = abstractions.build(one, x, y)
    assert isinstance(ab["no_delays"], str) and set(ab) == {"no_delays", "one_step", "fitted"}
    H, site = ab["one_step"]
    w, b = one.layers_[0]
    np.testing.assert_array_equal(H.w_, w)
    np.testing.assert_array_equal(H.theta_, -b)  # its own biases, as thresholds of the competition
    # the fitted rate model answers through the SGD network's own output layer: given the network's
    # exact activation it reproduces the network's outputs
    F, _ = ab["fitted"]
    acts = one.record(digits.x_test[:50], sites=["hidden"]).activity["hidden"][:, 0]
    np.testing.assert_allclose(F.readout.decision_function(acts), one.record(digits.x_test[:50]).outputs, atol=1e-4)
    res = MEASUREMENTS["abstraction"](one, digits, abstractions=ab, max_samples=40)
    assert 0 <= res.scores["one_step_fidelity"] <= 1 and res.scores["fitted_fidelity"] > 0.5
    assert "one step" in res.details["not_applicable"]["no_delays_iia"]
    deep = DenseNetwork(DenseConfig(hidden=(12, 12), max_epochs=2), seed=0).fit(x, y)
    reason = abstractions.dense_one_step(deep, x, y)
    assert isinstance(reason, str) and "2 hidden layers" in reason
    res = MEASUREMENTS["abstraction"](deep, digits, abstractions={"one_step": reason}, max_samples=20)
    assert np.isnan(res.scores["one_step_iia"]) and res.details["not_applicable"]["one_step_iia"] == reason
