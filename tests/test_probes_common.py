"""One test over every registered measurement, on small real spiking and dense networks."""

import math

import matplotlib

matplotlib.use("Agg")

import numpy as np
import pytest

from dense import DenseConfig, DenseNetwork
from probes import MEASUREMENTS, ProbeResult
from probes.similarity import compare, compare_figure
from snn import SNNConfig, SpikingNetwork


@pytest.fixture(scope="module")
def models(digits):
    x, y = digits.x_train[:200], digits.y_train[:200]
    return {
        "snn": SpikingNetwork(SNNConfig(n_neurons=20), seed=0).fit(x, y),
        "dense-sgd": DenseNetwork(DenseConfig(hidden=(20,), max_epochs=20), seed=0).fit(x, y),
        "dense-hebbian": DenseNetwork(DenseConfig(learning="hebbian", hidden=(20,), hebb_epochs=1), seed=0).fit(x, y),
    }


@pytest.mark.parametrize("name", sorted(MEASUREMENTS))
def test_every_measurement_runs_on_both_networks(models, digits, name):
    m = MEASUREMENTS[name]
    assert m.headline in {s.name for s in m.scores}
    results = {}
    for model_name, model in models.items():
        r = m(model, digits, max_samples=60) if name != "receptive_fields" else m(model, digits)
        assert isinstance(r, ProbeResult)
        assert set(r.scores) == {s.name for s in m.scores}, model_name
        for spec in m.scores:
            v = r.scores[spec.name]
            assert isinstance(v, float), (model_name, spec.name, v)
            if spec.name in r.details.get("not_applicable", {}):  # "n/a": NaN with a reason
                assert math.isnan(v) and r.details["not_applicable"][spec.name], (model_name, spec.name)
                continue
            assert math.isfinite(v) and spec.low <= v <= spec.high, (model_name, spec.name, v)
            assert spec.better in ("higher", "lower") and spec.doc
        results[model_name] = r
    fig = m.figure(results)
    assert isinstance(fig, matplotlib.figure.Figure) and fig.axes
    matplotlib.pyplot.close(fig)


def test_cross_network_similarity(models, digits):
    r = compare(models["snn"], models["dense-sgd"], digits, max_samples=80)
    assert r.details["cka"].shape == (2, 1)
    assert 0 < r.scores["cka"] <= 1 and np.isfinite(r.details["rsa"]).all()
    fig = compare_figure(r)
    assert fig.axes
