"""Every measurement against planted ground truth, and its machinery against scikit-learn."""

import numpy as np
import pytest
from planted import bars_model, delayed_onset, monosemantic_digits, random_model
from sklearn.metrics import roc_auc_score

from probes import MEASUREMENTS
from probes.common import auc_matrix, balanced_accuracy
from probes.decoding import LinearProbe, control_labels
from probes.selectivity import selectivity_index
from probes.similarity import linear_cka, rsa


@pytest.fixture(scope="module")
def mono(digits):
    return monosemantic_digits(digits)


def test_auc_matrix_equals_sklearn(rng):
    f = rng.random((200, 3)) < 0.3
    act = np.round(rng.random((200, 5)) * 4)  # many ties
    act[:, 0] += 2 * f[:, 0]
    ours = auc_matrix(f, act)
    theirs = np.array([[roc_auc_score(f[:, i], act[:, j]) for j in range(5)] for i in range(3)])
    np.testing.assert_allclose(ours, theirs, atol=1e-12)


def test_balanced_accuracy_equals_sklearn_bit_for_bit(rng):
    import warnings

    from sklearn.metrics import balanced_accuracy_score

    for n, k in [(7, 2), (40, 10), (200, 10), (31, 3)]:
        y = rng.integers(0, k, n)
        for pred in (y, rng.integers(0, k, n), rng.integers(0, k + 3, n), np.where(rng.random(n) < 0.7, y, 1)):
            with warnings.catch_warnings():  # predicted classes absent from y_true: sklearn warns
                warnings.simplefilter("ignore")
                assert balanced_accuracy(y, pred) == balanced_accuracy_score(y, pred)


def test_linear_probe_refuses_a_recording_that_is_not_finite(rng):
    x, y = rng.normal(size=(30, 4)), rng.integers(0, 3, 30)
    probe = LinearProbe().fit(x, y)
    x[3, 1] = np.nan
    with pytest.raises(ValueError, match="NaN or infinity"):
        probe.predict(x)
    with pytest.raises(ValueError, match="NaN or infinity"):
        LinearProbe().fit(x, y)


def test_decoding_monosemantic_is_selective(mono, digits):
    r = MEASUREMENTS["decoding"](mono, digits, max_samples=300)
    assert r.scores["accuracy"] > 0.98
    assert r.scores["control_accuracy"] < 0.2
    assert r.scores["selectivity"] > 0.75


def test_decoding_random_activity_has_no_selectivity(digits):
    r = MEASUREMENTS["decoding"](random_model(digits), digits, max_samples=300)
    assert abs(r.scores["accuracy"] - 0.1) < 0.07
    assert abs(r.scores["control_accuracy"] - 0.1) < 0.07
    assert abs(r.scores["selectivity"]) < 0.08


def test_control_labels_are_fixed_per_input_with_the_label_marginals(rng):
    x = np.repeat(rng.random((50, 4)), 2, axis=0)  # every input twice
    y = rng.integers(0, 3, 100)
    c = control_labels(y, x, seed=1)
    np.testing.assert_array_equal(c[0::2], c[1::2])
    assert set(np.unique(c)) <= {0, 1, 2}


def test_time_to_read_finds_the_planted_onset(digits):
    model = delayed_onset(digits, onset_bin=5, n_bins=10, bin_ms=10.0)
    r = MEASUREMENTS["time_to_read"](model, digits, max_samples=300, n_windows=10)
    assert 50.0 < r.scores["window_ms"] <= 60.0  # interpolated between 50 ms (chance) and 60 ms (bin 5 included)
    assert r.scores["asymptote"] > 0.95
    dense = MEASUREMENTS["time_to_read"](monosemantic_digits(digits), digits, max_samples=300)
    assert np.isnan(dense.scores["window_ms"])  # one step: n/a


def test_selectivity_index(mono, digits):
    np.testing.assert_allclose(selectivity_index(np.array([[2.0, 1.0], [0.0, 1.0], [0.0, 1.0]])), [1.0, 0.0])
    # (3 - (1+1)/2) / (3 + 1) = 0.5
    np.testing.assert_allclose(selectivity_index(np.array([[3.0], [1.0], [1.0]])), [0.5])
    r = MEASUREMENTS["selectivity"](mono, digits)
    np.testing.assert_allclose(r.details["si"][:10], 1.0)
    assert r.scores["share_selective"] == 0.5 and r.scores["share_dead"] == 0.0
    assert 0.5 <= r.scores["share_selective_above_null"] <= 0.55  # the 10 class units; a noise unit by chance


def test_feature_recovery_monosemantic_vs_rotated(bars):
    mono = MEASUREMENTS["feature_recovery"](bars_model(bars), bars)
    assert mono.scores["share_recovered"] == 1.0 and mono.scores["matched_auc"] == 1.0
    np.testing.assert_array_equal(mono.details["matched_unit"], np.arange(16))
    rot = MEASUREMENTS["feature_recovery"](bars_model(bars, rotate=True), bars)
    assert rot.scores["share_recovered"] < 0.5


def test_dictionary_recovers_rotated_features(bars):
    rot = MEASUREMENTS["dictionary"](bars_model(bars, rotate=True), bars)
    assert rot.scores["unit_recovered"] < 0.3
    assert rot.scores["dict_recovered"] >= 0.85
    assert rot.scores["superposition"] > 0.5
    mono = MEASUREMENTS["dictionary"](bars_model(bars), bars)
    assert mono.scores["unit_recovered"] == 1.0 and mono.scores["superposition"] <= 0.1


def test_ablation_finds_the_planted_circuit(mono, digits):
    r = MEASUREMENTS["ablation"](mono, digits, max_samples=200)
    d = r.details
    assert r.scores["base_accuracy"] == 1.0
    assert (d["drop"][10:] == 0).all() and (d["score_drop"][10:] == 0).all()  # noise units never matter
    assert (d["score_drop"][:10] > 0).all() and (d["drop"][1:10] > 0).all()  # (class 0 wins all-zero ties)
    # the grid + bisection search gives the brute-force smallest circuit, made of planted units only
    from probes.common import accuracy, subset_indices
    from probes.interventions import Ablate

    idx = subset_indices(digits, 200, 0)
    kept = [
        accuracy(
            mono.record(digits.x_test[idx], interventions=[Ablate("hidden", d["order"][k:])] if k < 20 else []),
            digits.y_test[idx],
            "multiclass",
        )
        for k in range(1, 21)
    ]
    assert d["circuit_units"] == 1 + next(k for k, a in enumerate(kept) if a >= 0.9)
    assert 8 <= d["circuit_units"] <= 10  # 10 class units; class 0 also wins all-zero ties
    assert set(d["order"][: d["circuit_units"]]) <= set(range(10))
    assert d["curve_top"][-1] <= 0.2 and d["curve_random"][0] >= d["curve_top"][0]


def test_patching_effect_sits_on_the_planted_units(mono, digits):
    r = MEASUREMENTS["patching"](mono, digits, n_clean=6, n_corrupt=4)
    effect = r.details["effect"]
    assert np.all(effect[10:] == 0) and effect[:10].max() > 0
    assert r.scores["full_effect"] == pytest.approx(2.0)  # clean score +1, corrupt score -1
    assert r.scores["top10_share"] >= 0.2 and r.scores["half_share"] <= 0.25


def test_steering_moves_every_pair_in_a_monosemantic_code(mono, digits):
    r = MEASUREMENTS["steering"](mono, digits)
    assert r.scores["success_share"] == 1.0 and 2.0 < r.scores["median_scale"] < 3.0  # |delta| / (2 sd) = 2.4
    # a steer from 3 to 5 changes only outputs 3 and 5
    assert r.scores["collateral"] == 0.0
    rand = MEASUREMENTS["steering"](random_model(digits), digits, max_scale=4.0, max_pairs=10)
    assert rand.scores["success_share"] < 1.0


def test_cka_properties(rng):
    x = rng.normal(size=(100, 20))
    q = np.linalg.qr(rng.normal(size=(20, 20)))[0]
    assert linear_cka(x, x) == pytest.approx(1.0)
    assert linear_cka(x, 3.7 * x @ q) == pytest.approx(1.0)  # orthogonal transform + isotropic scaling
    assert linear_cka(x, rng.normal(size=(100, 20))) < 0.3
    # the formula on a small hand-made case: X = [[1,0],[0,1],[-1,-1]], Y = first column of X
    X = np.array([[1.0, 0], [0, 1], [-1, -1]])
    Y = X[:, :1]
    xc, yc = X - X.mean(0), Y - Y.mean(0)
    expected = np.linalg.norm(yc.T @ xc) ** 2 / (np.linalg.norm(xc.T @ xc) * np.linalg.norm(yc.T @ yc))
    assert linear_cka(X, Y) == pytest.approx(expected)
    assert expected == pytest.approx(5 / (2 * np.sqrt(10)))  # Y'X = [2, 1]; X'X = [[2, 1], [1, 2]]; Y'Y = 2
    assert rsa(x, 2 * x + 1) == pytest.approx(1.0)


def test_similarity_measure_and_cross_model(mono, digits):
    from probes.similarity import compare

    r = MEASUREMENTS["similarity"](mono, digits)
    assert r.scores["cka_labels"] > 0.6
    c = compare(mono, mono, digits)
    assert c.scores["cka"] == pytest.approx(1.0) and c.scores["rsa"] == pytest.approx(1.0)


def test_receptive_fields_match_planted_prototypes(digits):
    from probes.receptive_fields import prototypes

    protos = prototypes(digits)
    model = monosemantic_digits(digits)
    model._weights = np.hstack([protos.T, np.random.default_rng(0).random((64, 10))])
    r = MEASUREMENTS["receptive_fields"](model, digits)
    np.testing.assert_allclose(np.sort(r.details["best_corr"])[-10:], 1.0)
    assert r.scores["prototypes_covered"] == 1.0 and r.scores["share_clean"] >= 0.5
