"""Recording.to_neo against Elephant: the firing rates Elephant computes from the exported Neo
spike trains equal Recording.rates for a real spiking recording."""

import numpy as np
import pytest

pytest.importorskip("neo", reason="the neo extra is not installed: pip install -e '.[neo]'")
elephant_statistics = pytest.importorskip("elephant.statistics")
pq = pytest.importorskip("quantities")


def test_elephant_mean_firing_rate_equals_recording_rates(digits):
    from snn import SNNConfig, SpikingNetwork

    net = SpikingNetwork(SNNConfig(n_neurons=100), seed=0).fit(digits.x_train[:100], digits.y_train[:100])
    rec = net.record(digits.x_test[:4])
    assert rec.counts("exc").sum() > 20  # a real, firing recording
    for sample in range(4):
        trains = rec.to_neo("exc", sample)
        assert len(trains) == 100
        got = np.array([float(elephant_statistics.mean_firing_rate(st).rescale(pq.Hz)) for st in trains])
        np.testing.assert_allclose(got, rec.rates("exc")[sample], rtol=1e-6)
        assert sum(len(st) for st in trains) == rec.counts("exc")[sample].sum()
