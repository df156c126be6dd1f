"""Surrogate-gradient training (snn.surrogate): the surrogate derivative, the fused BPTT against
torch autograd through the step functions, the input drive, learning on a planted task, the
trained network on every backend, determinism."""

import numpy as np
import pytest
import torch

from probes.support import ConfigError
from snn import SNNConfig, SpikingNetwork
from snn.dynamics import SurrogateSpike
from snn.encoding import input_events
from snn.network import init_state
from snn.surrogate import DelayedDrive, Presentation, linear_readout, presentation_counts
from tests.test_cross_backend import BACKENDS, first_divergence, poisson_events, spike_set


def test_surrogate_derivative_is_the_fast_sigmoids():
    slope = 0.7
    # (an even number of points: none at the fast sigmoid's kink at 0, where differences of step h err by slope * h)
    x = torch.linspace(-20.0, 20.0, 400, dtype=torch.float64).requires_grad_()
    s = SurrogateSpike.apply(x, slope)
    assert torch.equal(s, (x > 0).double())  # forward: the exact step
    s.backward(torch.ones_like(x))
    # independent expectation: central differences of the fast sigmoid x / (1 + slope |x|)
    f = lambda z: z / (1.0 + slope * z.abs())  # noqa: E731
    h = 1e-6
    with torch.no_grad():
        numeric = (f(x + h) - f(x - h)) / (2 * h)
    torch.testing.assert_close(x.grad, numeric, rtol=1e-7, atol=1e-9)
    assert float(x.grad[0]) == pytest.approx(1.0 / (1.0 + 14.0) ** 2)
    zero = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    SurrogateSpike.apply(zero, slope).backward()
    assert zero.grad.item() == 1.0


def test_delayed_drive_matches_a_direct_sum_and_gradcheck():
    rng = np.random.default_rng(0)
    n_in, N, T, B = 5, 4, 12, 3
    delays = rng.integers(0, 4, size=(n_in, N))
    spikes = rng.random((B, T, n_in)) < 0.3
    b, n, i = np.nonzero(spikes)
    from snn.encoding import events_from_steps

    events = events_from_steps(b, n, i, B, T)
    off = delays * N + np.arange(N)
    w = torch.tensor(rng.random((n_in, N)), requires_grad=True)
    got = DelayedDrive.apply(w, events, off, 4).detach().numpy()
    want = np.zeros((B, T, N))
    for bb, nn, ii in zip(b, n, i):
        for j in range(N):
            if nn + delays[ii, j] < T:
                want[bb, nn + delays[ii, j], j] += w[ii, j].item()
    np.testing.assert_allclose(got, want, rtol=0, atol=1e-12)
    assert torch.autograd.gradcheck(lambda w: DelayedDrive.apply(w, events, off, 4), (w,))


@pytest.mark.parametrize("method,recurrent_ms", [("euler", 0.0), ("exponential_euler", 0.0), ("euler", 4.0)])
def test_fused_bptt_equals_autograd_through_the_step_functions(digits, method, recurrent_ms):
    """The numba forward/adjoint passes against torch autograd through snn.dynamics (float64)."""
    from snn.surrogate import Recurrent

    N, B, dt = 12, 3, 0.5
    cfg = SNNConfig(n_neurons=N, method=method, presentation_ms=80.0, delay_recurrent_ms=recurrent_ms).resolved(64)
    st = init_state(cfg, 64, [1])
    rec = Recurrent.of(st, cfg.dt_ms, dt)
    assert (rec is None) == (recurrent_ms == 0) and (rec is None or rec.n_slots == 9)
    T = int(round(cfg.presentation_ms / dt))
    off = st.delay_steps[0] * N + np.arange(N)
    events = input_events(digits.x_train[:B] * cfg.input_rate_hz, np.arange(B), T, dt)
    g_counts = torch.randn(B, N, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    results = []
    for fused in (False, True):
        w = torch.tensor(st.w[0] * 3.0, requires_grad=True)
        theta = torch.tensor(st.theta[0], requires_grad=True)
        drive = DelayedDrive.apply(w, events, off, st.n_slots)
        if fused:
            counts = Presentation.apply(drive, theta, cfg, dt, rec)
        else:
            counts = presentation_counts(cfg, drive, theta, dt, recurrent=rec)
        (counts * g_counts).sum().backward()
        results.append((counts.detach().numpy(), w.grad.numpy(), theta.grad.numpy()))
    (c0, gw0, gt0), (c1, gw1, gt1) = results
    assert c0.sum() > 5 * B  # the network spikes
    np.testing.assert_array_equal(c0, c1)
    assert np.abs(gw0).max() > 0 and np.abs(gt0).max() > 0
    np.testing.assert_allclose(gw1, gw0, rtol=1e-9, atol=1e-12 * np.abs(gw0).max())
    np.testing.assert_allclose(gt1, gt0, rtol=1e-9, atol=1e-12 * np.abs(gt0).max())


@pytest.mark.parametrize("recurrent_ms", [0.0, 5.0])
def test_training_forward_is_the_recorded_network(digits, recurrent_ms):
    """At the config's dt the training simulation gives the numba engine's spike counts for the same
    events, with recurrent delays too."""
    from snn.surrogate import Recurrent

    cfg = SNNConfig(
        n_neurons=20,
        presentation_ms=100.0,
        dtype="float64",
        learning="surrogate",
        surrogate_epochs=1,
        delay_recurrent_ms=recurrent_ms,
    )
    net = SpikingNetwork(cfg, seed=3).fit(digits.x_train[:16], digits.y_train[:16])
    x = digits.x_test[:4]
    events = poisson_events(x, seed=1, n_steps=200)
    rec = net.using(engine="numba").record(x, input_spikes=events)
    from snn.encoding import check_input_spikes

    ev = check_input_spikes(events, len(x), 64, 0.5, 200)
    drive = DelayedDrive.apply(
        torch.tensor(net.w_), ev, net._state.delay_steps[0] * 20 + np.arange(20), net._state.n_slots
    )
    recurrent = Recurrent.of(net._state, 0.5, 0.5)
    counts = Presentation.apply(drive, torch.tensor(net.theta_), net.config_, 0.5, recurrent).numpy()
    assert counts.sum() > 10
    np.testing.assert_array_equal(counts, rec.counts("exc"))
    if recurrent is not None:  # the delays matter: without them the same weights count otherwise
        instant = Presentation.apply(drive, torch.tensor(net.theta_), net.config_, 0.5).numpy()
        assert not np.array_equal(instant, counts)


@pytest.mark.parametrize("n_out", [2, 4])
def test_trained_readout_is_a_logistic_readout(n_out):
    rng = np.random.default_rng(1)
    coef, intercept, counts = rng.normal(size=(n_out, 7)), rng.normal(size=n_out), rng.poisson(3.0, (9, 7))
    z = torch.tensor(counts @ coef.T + intercept)
    np.testing.assert_allclose(
        linear_readout(coef, intercept, "multiclass").decision_function(counts), torch.softmax(z, 1).numpy(), 1e-9
    )
    np.testing.assert_allclose(
        linear_readout(coef, intercept, "multilabel").decision_function(counts), torch.sigmoid(z).numpy(), 1e-9
    )


def planted_two_class(n: int, seed: int):
    """Two classes of 16-pixel inputs: class c lights pixels 8c..8c+7 (at 0.6-1.0), plus weak noise."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    x = rng.random((n, 16)) * 0.15
    for k in range(n):
        x[k, 8 * y[k] : 8 * y[k] + 8] = rng.uniform(0.6, 1.0, 8)
    return x.astype(np.float32), y


def test_tiny_network_learns_a_planted_task():
    x, y = planted_two_class(96, seed=0)
    xt, yt = planted_two_class(64, seed=1)
    cfg = SNNConfig(
        n_neurons=8, presentation_ms=100.0, learning="surrogate", surrogate_epochs=4, surrogate_batch_size=16
    )
    net = SpikingNetwork(cfg, seed=0).fit(x, y)
    assert (net.predict(xt) == yt).mean() >= 0.9  # chance: 0.5
    assert net.history_["loss"][-1] < net.history_["loss"][0]
    assert (net.w_ >= 0).all() and (net.w_ <= cfg.w_max).all()
    # a refit (as compare's test-time competition does) keeps the kind of readout it learned with
    # (config.readout is "assignment"): logistic, not label assignment
    refit = net.using(w_inh_exc_test=8.0).fit_readout(x, y)
    assert type(refit.readout_) is type(net.readout_) and type(net.readout_).__name__ == "LogisticReadout"
    assert (refit.predict(xt) == yt).mean() >= 0.9


def test_multilabel_task_trains_with_binary_cross_entropy():
    """Two independent planted factors (each lights its own 8 pixels): both must be read out."""
    rng = np.random.default_rng(2)

    def draw(n):
        y = rng.integers(0, 2, (n, 2))
        x = rng.random((n, 16)) * 0.15
        for k in range(2):
            x[y[:, k] == 1, 8 * k : 8 * k + 8] = rng.uniform(0.6, 1.0, (int(y[:, k].sum()), 8))
        return x.astype(np.float32), y

    (x, y), (xt, yt) = draw(128), draw(64)
    cfg = SNNConfig(
        n_neurons=8, presentation_ms=100.0, learning="surrogate", surrogate_epochs=4, surrogate_batch_size=16
    )
    net = SpikingNetwork(cfg, seed=0).fit(x, y)
    pred = net.predict(xt)
    assert pred.shape == yt.shape
    assert (pred == yt).all(axis=1).mean() >= 0.8  # exact match; chance about 0.25


def test_same_seed_same_network_other_seed_other_network(digits):
    cfg = SNNConfig(n_neurons=10, presentation_ms=60.0, learning="surrogate", surrogate_epochs=1)
    x, y = digits.x_train[:48], digits.y_train[:48]
    a, b, c = (SpikingNetwork(cfg, seed=s).fit(x, y) for s in (5, 5, 6))
    np.testing.assert_array_equal(a.w_, b.w_)
    np.testing.assert_array_equal(a.theta_, b.theta_)
    np.testing.assert_array_equal(a.readout_.model_.coef_, b.readout_.model_.coef_)
    assert not np.array_equal(a.w_, c.w_)


def test_surrogate_network_on_every_backend_identical_spikes(digits, tmp_path):
    """A surrogate-trained network is recorded unchanged by numba, eager and Brian2 (float64)."""
    cfg = SNNConfig(
        n_neurons=24,
        presentation_ms=300.0,
        dtype="float64",
        learning="surrogate",
        surrogate_epochs=2,
        surrogate_batch_size=16,
    )
    net = SpikingNetwork(cfg, seed=1).fit(digits.x_train[:64], digits.y_train[:64])
    init = init_state(net.config_, 64, [1])
    assert np.abs(net.w_ - init.w[0]).max() > 1e-3  # trained, not the initial weights
    x = digits.x_test[:2]
    events = poisson_events(x, seed=0, n_steps=600)
    results = {name: net.using(**kw).record(x, input_spikes=events) for name, kw in BACKENDS.items()}
    ref = results.pop("brian2-numpy")
    for site in ("exc", "inh"):
        want = spike_set(ref, site)
        assert len(want) > 10
        for name, rec in results.items():
            got = spike_set(rec, site)
            assert got == want, f"{name} vs brian2, {site}: " + first_divergence(got, want)
    # and the saved model records the same predictions
    net.save(tmp_path / "sg.npz")
    back = SpikingNetwork.load(tmp_path / "sg.npz")
    np.testing.assert_array_equal(back.predict(digits.x_test[:20]), net.predict(digits.x_test[:20]))


def test_bad_surrogate_settings_name_the_key():
    with pytest.raises(ConfigError, match="surrogate_dt_ms"):
        SNNConfig(surrogate_dt_ms=6.0)
    with pytest.raises(ConfigError, match="surrogate_slope"):
        SNNConfig(surrogate_slope=0.0)
    with pytest.raises(ConfigError, match="learning"):
        SNNConfig(learning="backprop")
