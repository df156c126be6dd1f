"""The Hebbian network's site before its competition ("drive"): interventions there re-run the k-winner
selection, interventions at "hidden" (after it) do not. Planted weights give the expected winners by hand."""

import numpy as np
import pytest

from dense import DenseConfig, DenseNetwork
from probes.interface import Ablate, Clamp, Patch, Steer

# Three inputs, three units. For x = e0 the drives are [1, 0.6, 0]: unit 0 wins, unit 1 is next.
W = np.array([[1.0, 0.6, 0.0], [0.0, 0.4, 0.0], [0.0, 0.0, 1.0]], np.float32)
X = np.eye(3, dtype=np.float32)


def planted(threshold=None, k_active=1, inhibition=0.0, w=W):
    return DenseNetwork.from_weights(w, threshold, k_active=k_active, inhibition=inhibition).fit_readout(X, [0, 1, 2])


def hidden(net, x, *ivs):
    return net.record(x, interventions=list(ivs)).activity["hidden"][:, 0, :]


def test_drive_is_listed_after_hidden_and_records_the_input_drive(digits):
    net = DenseNetwork(DenseConfig(learning="hebbian", hidden=(30,), hebb_epochs=1), seed=0).fit(
        digits.x_train[:300], digits.y_train[:300]
    )
    assert list(net.sites()) == ["hidden", "drive"]  # measurements read the first site: still "hidden"
    x = digits.x_test[:20]
    rec = net.record(x)
    drive = x.astype(np.float64) @ net.w_
    np.testing.assert_allclose(rec.activity["drive"][:, 0, :], drive, rtol=1e-5, atol=1e-5)
    # hidden by hand: the k_active units with the largest drive - theta keep their rectified drive
    k = net.config.k_active
    expected = np.zeros_like(drive)
    for i, row in enumerate(drive - net.theta_):
        top = np.argsort(-row, kind="stable")[:k]
        expected[i, top] = np.maximum(drive[i, top], 0)
    np.testing.assert_allclose(rec.activity["hidden"][:, 0, :], expected, rtol=1e-5, atol=1e-5)


def test_ablating_the_winner_before_the_competition_lets_the_next_unit_win():
    net = planted()
    x = X[:1]
    np.testing.assert_allclose(hidden(net, x), [[1.0, 0.0, 0.0]])
    np.testing.assert_allclose(hidden(net, x, Ablate("drive", [0])), [[0.0, 0.6, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(hidden(net, x, Ablate("hidden", [0])), [[0.0, 0.0, 0.0]])
    assert net.predict(x)[0] == 0 and net.record(x, interventions=[Ablate("drive", [0])]).predictions[0] == 1


def test_an_ablated_unit_cannot_win_even_with_the_lowest_threshold():
    # threshold -1 on unit 0: a drive of 0 would still score 1 > 0.6 - 0.5; ablation removes it from the competition
    net = planted(threshold=[-1.0, 0.5, 0.5])
    np.testing.assert_allclose(hidden(net, X[:1], Ablate("drive", [0])), [[0.0, 0.6, 0.0]], rtol=1e-6)
    # a later Clamp of the same unit puts it back into the competition
    back = hidden(net, X[:1], Ablate("drive", [0]), Clamp("drive", [0], 2.0))
    np.testing.assert_allclose(back, [[2.0, 0.0, 0.0]])


def test_clamp_patch_and_steer_before_the_competition_rerun_it():
    net = planted()
    x = X[:1]
    # clamping unit 2's drive to 5 makes it the single winner; at "hidden" both stay active
    np.testing.assert_allclose(hidden(net, x, Clamp("drive", [2], 5.0)), [[0.0, 0.0, 5.0]])
    np.testing.assert_allclose(hidden(net, x, Clamp("hidden", [2], 5.0)), [[1.0, 0.0, 5.0]])
    # patching every unit's drive from the input e2 gives e2's response
    source = net.record(X[2:3])
    np.testing.assert_allclose(hidden(net, x, Patch("drive", range(3), source, 0)), hidden(net, X[2:3]))
    # steering unit 0's drive down by 1.5 hands the win to unit 1
    np.testing.assert_allclose(hidden(net, x, Steer("drive", [-1.0, 0.0, 0.0], 1.5)), [[0.0, 0.6, 0.0]], rtol=1e-6)


def test_inhibition_is_relative_to_the_strongest_competing_unit():
    # drives [1, 0.6, 0.4] for e0; inhibition 0.5 silences winners below half the strongest drive
    w = np.array([[1.0, 0.6, 0.4], [0.0, 0.4, 0.0], [0.0, 0.0, 0.6]], np.float32)
    net = planted(k_active=3, inhibition=0.5, w=w)
    x = X[:1]
    np.testing.assert_allclose(hidden(net, x), [[1.0, 0.6, 0.0]], rtol=1e-6)
    np.testing.assert_allclose(hidden(net, x, Ablate("drive", [0])), [[0.0, 0.6, 0.4]], rtol=1e-6)
    np.testing.assert_allclose(hidden(net, x, Ablate("hidden", [0])), [[0.0, 0.6, 0.0]], rtol=1e-6)


@pytest.mark.parametrize("site", ["drive", "hidden"])
def test_patch_with_itself_changes_nothing_at_either_site(site, digits):
    net = DenseNetwork(DenseConfig(learning="hebbian", hidden=(20,), hebb_epochs=1), seed=0).fit(
        digits.x_train[:200], digits.y_train[:200]
    )
    x = digits.x_test[:1]
    clean = net.record(x)
    patched = net.record(x, interventions=[Patch(site, range(20), clean, 0)])
    np.testing.assert_array_equal(clean.outputs, patched.outputs)
    np.testing.assert_array_equal(clean.activity["hidden"], patched.activity["hidden"])
