import numpy as np
import pytest

from dense import DenseConfig, DenseNetwork
from probes.support import DataError
from snn import SNNConfig, SpikingNetwork


@pytest.mark.parametrize(
    "make",
    [
        lambda: SpikingNetwork(SNNConfig(n_neurons=10), seed=1),
        lambda: SpikingNetwork(SNNConfig(n_neurons=10, readout="logistic"), seed=1),
        lambda: SpikingNetwork(SNNConfig(n_neurons=10, delay_recurrent_ms=4.0), seed=1),
        lambda: DenseNetwork(DenseConfig(hidden=(12, 8), max_epochs=3), seed=1),
        lambda: DenseNetwork(DenseConfig(learning="hebbian", hidden=(12,), hebb_epochs=1, readout="logistic"), seed=1),
    ],
)
@pytest.mark.parametrize("task", ["digits", "bars"])
def test_save_load_gives_the_same_recordings(tmp_path, make, task, digits, bars):
    t = digits if task == "digits" else bars
    net = make().fit(t.x_train[:60], t.y_train[:60])
    path = tmp_path / "m.npz"
    net.save(path)
    back = type(net).load(path)
    a, b = net.record(t.x_test[:8]), back.record(t.x_test[:8])
    assert a.equals(b)
    for k in net.weights():
        np.testing.assert_array_equal(net.weights()[k], back.weights()[k])
    if getattr(net, "config_", None) is not None and getattr(net.config_, "delay_recurrent_ms", 0) > 0:
        np.testing.assert_array_equal(net._state.delay_ie_steps, back._state.delay_ie_steps)
        assert net._state.delay_ie_steps.max() == 8  # uniform in [0, 4 ms] on the 0.5 ms grid


def test_corrupt_and_foreign_model_files(tmp_path, digits):
    net = DenseNetwork(DenseConfig(hidden=(4,), max_epochs=2), seed=0).fit(digits.x_train[:30], digits.y_train[:30])
    path = tmp_path / "m.npz"
    net.save(path)
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(DataError, match="corrupt or truncated"):
        DenseNetwork.load(path)
    net.save(path)
    with pytest.raises(DataError, match="not a scrutable.SpikingNetwork/1 file"):
        SpikingNetwork.load(path)
