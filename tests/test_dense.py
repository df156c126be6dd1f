import numpy as np
import pytest
from scipy.optimize import linear_sum_assignment

from dense import DenseConfig, DenseNetwork
from probes.common import auc_matrix
from probes.interface import Ablate, Clamp, Patch, Probeable, Steer
from probes.support import DataError, InterventionError


@pytest.fixture(scope="module")
def small(digits):
    cfg = DenseConfig(hidden=(32, 16), max_epochs=30)
    return DenseNetwork(cfg, seed=1).fit(digits.x_train[:400], digits.y_train[:400])


@pytest.fixture(scope="module")
def hebb(digits):
    return DenseNetwork(DenseConfig(learning="hebbian", hidden=(50,), hebb_epochs=1), seed=1).fit(
        digits.x_train[:400], digits.y_train[:400]
    )


def forward_numpy(model, x, edit=None):
    """An independent forward pass from the exported weights; edit(i, h) may change layer i's activation."""
    h = x.astype(np.float64)
    for i, (w, b) in enumerate(model.layers_[:-1]):
        h = np.maximum(h @ w + b, 0)
        if edit is not None:
            h = edit(i, h)
    w, b = model.layers_[-1]
    return h @ w + b


def test_is_probeable_and_sites(small, hebb):
    assert isinstance(small, Probeable) and isinstance(hebb, Probeable)
    assert small.sites() == {"hidden1": 32, "hidden2": 16} and hebb.sites() == {"hidden": 50, "drive": 50}
    assert set(small.weights()) == {"input->hidden1", "hidden1->hidden2", "hidden2->output"}
    assert hebb.weights()["input->hidden"].shape == (64, 50)


def test_record_matches_hand_forward(small, digits):
    x = digits.x_test[:20]
    rec = small.record(x)
    np.testing.assert_allclose(rec.outputs, forward_numpy(small, x), rtol=1e-4, atol=1e-4)
    assert rec.activity["hidden1"].shape == (20, 1, 32)


def test_intervention_semantics_match_hand_forward(small, digits):
    x = digits.x_test[:10]
    src = small.record(digits.x_test[10:15])
    d = np.linspace(-1, 1, 16)
    cases = [
        (Ablate("hidden1", [0, 5]), lambda i, h: _set(h, [0, 5], 0.0) if i == 0 else h),
        (Clamp("hidden2", [3], 2.5), lambda i, h: _set(h, 3, 2.5) if i == 1 else h),
        (Steer("hidden2", d, 0.7), lambda i, h: h + 0.7 * d if i == 1 else h),
        (
            Patch("hidden1", [1, 2], src, 3),
            lambda i, h: _set(h, [1, 2], src.activity["hidden1"][3, 0, [1, 2]]) if i == 0 else h,
        ),
    ]
    for iv, edit in cases:
        rec = small.record(x, interventions=[iv])
        np.testing.assert_allclose(rec.outputs, forward_numpy(small, x, edit), rtol=1e-4, atol=1e-4, err_msg=str(iv))


def _set(h, units, value):
    h = h.copy()
    h[:, units] = value
    return h


def test_ablating_everything_leaves_the_bias(digits):
    m = DenseNetwork(DenseConfig(hidden=(20,), max_epochs=5), seed=0).fit(digits.x_train[:200], digits.y_train[:200])
    rec = m.record(digits.x_test[:5], interventions=[Ablate("hidden", range(20))])
    np.testing.assert_allclose(rec.outputs, np.tile(m.layers_[-1][1], (5, 1)), rtol=1e-6)
    assert (rec.activity["hidden"] == 0).all()


def test_patch_with_itself_changes_nothing(small, hebb, digits):
    x = digits.x_test[:1]
    for model in (small, hebb):
        site = list(model.sites())[0]
        clean = model.record(x)
        patched = model.record(x, interventions=[Patch(site, range(model.sites()[site]), clean, 0)])
        np.testing.assert_array_equal(clean.outputs, patched.outputs)


def test_hebbian_interventions_reach_readout(hebb, digits):
    x = digits.x_test[:30]
    rec = hebb.record(x, interventions=[Ablate("hidden", range(50))])
    assert (rec.activity["hidden"] == 0).all() and np.allclose(rec.outputs, 0)
    # clamping every unit assigned to class 3 high makes class 3 win everywhere
    units = np.flatnonzero(hebb.readout_.assignment_ == 3)
    assert len(units)
    rec = hebb.record(x, interventions=[Clamp("hidden", units, 1e3)])
    assert (rec.predictions == 3).all()


def test_batch_equals_one_by_one(small, hebb, digits):
    x = digits.x_test[:12]
    for model in (small, hebb):
        whole = model.record(x)
        parts = [model.record(x[i : i + 1]) for i in range(len(x))]
        np.testing.assert_allclose(whole.outputs, np.concatenate([p.outputs for p in parts]), rtol=1e-5, atol=1e-6)
        site = list(model.sites())[0]
        np.testing.assert_allclose(
            whole.activity[site], np.concatenate([p.activity[site] for p in parts]), rtol=1e-5, atol=1e-6
        )


@pytest.mark.parametrize("learning", ["sgd", "hebbian"])
def test_same_seed_same_weights(digits, learning):
    cfg = DenseConfig(learning=learning, hidden=(16,), max_epochs=3, hebb_epochs=1)
    a, b, c = (DenseNetwork(cfg, seed=s).fit(digits.x_train[:200], digits.y_train[:200]) for s in (4, 4, 5))
    for k in a.weights():
        np.testing.assert_array_equal(a.weights()[k], b.weights()[k])
        assert not np.array_equal(a.weights()[k], c.weights()[k])


@pytest.mark.slow
def test_accuracy_targets_on_digits(digits):
    sgd = DenseNetwork(DenseConfig(), seed=0).fit(digits.x_train, digits.y_train)
    hebb = DenseNetwork(DenseConfig(learning="hebbian"), seed=0).fit(digits.x_train, digits.y_train)
    acc_sgd = (sgd.predict(digits.x_test) == digits.y_test).mean()
    acc_hebb = (hebb.predict(digits.x_test) == digits.y_test).mean()
    assert acc_sgd >= 0.96, acc_sgd
    assert acc_hebb >= 0.85, acc_hebb


@pytest.mark.slow
def test_hebbian_gives_bars_dedicated_units(bars):
    cfg = DenseConfig(learning="hebbian", hidden=(100,), k_active=100, inhibition=0.6)
    m = DenseNetwork(cfg, seed=0).fit(bars.x_train, bars.y_train)
    act = m.record(bars.x_test).counts("hidden")
    auc = auc_matrix(bars.factors_test, act)  # scikit-learn's roc_auc_score per pair (tested)
    rows, cols = linear_sum_assignment(-auc)
    assert (auc[rows, cols] >= 0.95).sum() >= 14


def test_bad_inputs(small, digits):
    with pytest.raises(DataError, match="64"):
        small.record(np.zeros((3, 10)))
    x = digits.x_test[:3].copy()
    x[0, 0] = np.nan
    with pytest.raises(DataError, match="NaN"):
        small.record(x)
    with pytest.raises(InterventionError, match="not a site"):
        small.record(digits.x_test[:3], interventions=[Ablate("hidden", [0])])
    with pytest.raises(InterventionError, match="out of range"):
        small.record(digits.x_test[:3], interventions=[Ablate("hidden1", [32])])
    with pytest.raises(DataError, match="not fitted"):
        DenseNetwork().record(digits.x_test[:3])
    with pytest.raises(DataError, match="y has 3 labels"):
        DenseNetwork().fit(digits.x_train[:5], [0, 1, 2])
