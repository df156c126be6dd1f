"""DenseNetwork's user-facing edges: one-line errors a user can fix, a short repr, and weight transplants
(``from_weights`` + ``fit_readout``) checked against the prototype classifiers they must equal."""

import numpy as np
import pytest
import torch
from sklearn.neighbors import NearestCentroid

from dense import DenseConfig, DenseNetwork
from probes.support import BackendError, ConfigError, DataError


def _one_line(exc_info) -> str:
    msg = str(exc_info.value)
    assert "\n" not in msg
    return msg


@pytest.mark.parametrize(
    "kwargs, pattern",
    [
        (dict(learning="hebbian", hidden=(100,), k_active=500), r"^k_active=500 .*hidden\[0\]=100.*lower k_active"),
        (dict(hidden=(100,), k_winners=500), r"^k_winners=500 .*hidden\[0\]=100.*lower k_winners"),
        (
            dict(learning="hebian"),
            r"^learning='hebian' is not allowed \(did you mean 'hebbian'\?\): use one of 'sgd', 'hebbian'$",
        ),
        (dict(readout="asignment"), r"^readout='asignment' is not allowed \(did you mean 'assignment'\?\): use one of"),
        (dict(device="cpuu"), r"^device='cpuu' .*\(did you mean 'cpu'\?\)$"),
    ],
)
def test_config_errors_name_field_value_and_fix(kwargs, pattern):
    with pytest.raises(ConfigError, match=pattern) as e:
        DenseConfig(**kwargs)
    _one_line(e)


def test_unrelated_choice_gets_no_suggestion():
    with pytest.raises(ConfigError) as e:
        DenseConfig(learning="backprop")
    assert "did you mean" not in _one_line(e)


def test_k_active_is_checked_only_where_it_is_used():
    # sgd ignores the competition settings: a small sgd layer with the default k_active=10 stays valid
    assert DenseConfig(hidden=(4,)).k_active == 10
    assert DenseConfig(learning="hebbian", hidden=(100,), k_active=100).k_active == 100


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a torch without CUDA")
@pytest.mark.parametrize("learning", ["sgd", "hebbian"])
def test_cuda_on_a_cpu_build_is_a_one_line_backend_error(digits, learning):
    net = DenseNetwork(DenseConfig(learning=learning, hidden=(16,), device="cuda"), seed=0)
    with pytest.raises(BackendError, match=r"^dense\.device='cuda' is not available: .*use device='cpu'") as e:
        net.fit(digits.x_train[:20], digits.y_train[:20])
    _one_line(e)
    with pytest.raises(BackendError, match="not available"):
        DenseNetwork.from_weights(np.ones((4, 3)), k_active=1, config=DenseConfig(device="cuda:0"))


def test_repr_shows_differences_from_defaults_seed_and_state(digits):
    net = DenseNetwork(DenseConfig(learning="hebbian", hidden=(10,), hebb_epochs=1), seed=3)
    assert repr(net) == "DenseNetwork(learning='hebbian', hidden=(10,), hebb_epochs=1, seed=3, not fitted)"
    net.fit(digits.x_train[:50], digits.y_train[:50])
    assert repr(net) == "DenseNetwork(learning='hebbian', hidden=(10,), hebb_epochs=1, seed=3, fitted)"
    assert repr(DenseNetwork()) == "DenseNetwork(seed=0, not fitted)"
    assert str(DenseNetwork.from_weights(np.ones((4, 3)), k_active=2)).endswith("k_active=2, seed=0, weights only)")


def _prototypes(task):
    classes = np.unique(task.y_train)
    return np.stack([task.x_train[task.y_train == c].mean(axis=0) for c in classes])  # [n_classes, n_inputs]


def test_prototype_weights_give_the_prototype_classifier(digits):
    p = _prototypes(digits)
    net = DenseNetwork.from_weights(p.T, k_active=1, seed=0).fit_readout(digits.x_train, digits.y_train)
    assert (net.readout_.assignment_ == np.arange(10)).all()
    # k = 1 and no threshold: the winner is the prototype with the largest dot product
    np.testing.assert_array_equal(net.predict(digits.x_test), np.argmax(digits.x_test @ p.T, axis=1))


@pytest.mark.filterwarnings("ignore:self.within_class_std_dev_")  # constant border pixels
def test_prototype_weights_with_half_squared_norm_thresholds_give_nearest_centroid(digits):
    # argmax_c x.p_c - |p_c|^2 / 2 = argmin_c |x - p_c|^2: scikit-learn's NearestCentroid
    p = _prototypes(digits)
    net = DenseNetwork.from_weights(p.T, 0.5 * (p**2).sum(axis=1), k_active=1).fit_readout(
        digits.x_train, digits.y_train
    )
    reference = NearestCentroid().fit(digits.x_train, digits.y_train).predict(digits.x_test)
    assert (net.predict(digits.x_test) == reference).mean() >= 0.995  # float32 drive vs float64 distances


def test_transplanted_network_saves_loads_and_records_like_a_hebbian_one(tmp_path, digits):
    trained = DenseNetwork(DenseConfig(learning="hebbian", hidden=(30,), hebb_epochs=1), seed=1).fit(
        digits.x_train[:300], digits.y_train[:300]
    )
    cfg = trained.config
    copy = DenseNetwork.from_weights(trained.w_, trained.theta_, k_active=cfg.k_active, config=cfg, seed=1)
    copy.fit_readout(digits.x_train[:300], digits.y_train[:300])
    x = digits.x_test[:40]
    a, b = trained.record(x), copy.record(x)
    np.testing.assert_array_equal(a.activity["hidden"], b.activity["hidden"])
    np.testing.assert_array_equal(a.outputs, b.outputs)
    copy.save(tmp_path / "t.npz")
    np.testing.assert_array_equal(DenseNetwork.load(tmp_path / "t.npz").record(x).outputs, b.outputs)


def test_transplant_bad_inputs_are_one_line_errors(digits):
    cases = [
        (lambda: DenseNetwork.from_weights(np.ones(4), k_active=1), DataError, r"w_in has shape \(4,\)"),
        (lambda: DenseNetwork.from_weights(np.ones((4, 3)), [0, 1], k_active=1), DataError, r"threshold has shape"),
        (lambda: DenseNetwork.from_weights(np.full((4, 3), np.nan), k_active=1), DataError, "NaN"),
        (lambda: DenseNetwork.from_weights(np.ones((4, 3)), k_active=5), ConfigError, r"k_active=5 .*hidden\[0\]=3"),
        (
            lambda: DenseNetwork.from_weights(np.ones((4, 3)), k_active=1).record(np.ones((1, 4))),
            DataError,
            "fit_readout",
        ),
        (lambda: DenseNetwork(DenseConfig()).fit_readout(np.ones((2, 4)), [0, 1]), DataError, "from_weights"),
        (
            lambda: DenseNetwork.from_weights(np.ones((4, 3)), k_active=1).fit_readout(np.ones((2, 5)), [0, 1]),
            DataError,
            "5 inputs per sample",
        ),
    ]
    for make, error, pattern in cases:
        with pytest.raises(error, match=pattern) as e:
            make()
        _one_line(e)
    sgd = DenseNetwork(DenseConfig(hidden=(4,), max_epochs=1), seed=0).fit(digits.x_train[:20], digits.y_train[:20])
    with pytest.raises(DataError, match="sgd network's readout is trained by fit"):
        sgd.fit_readout(digits.x_train[:20], digits.y_train[:20])
