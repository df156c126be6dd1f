"""Cross-backend feature tests (in the style of Brian2's tests/features): one scenario, run on
every backend, results compared. The reference is Brian2."""

import numpy as np
import pytest

from snn import SNNConfig, SpikingNetwork

BACKENDS = {
    "numba": dict(backend="torch", engine="numba", dtype="float64"),
    "eager-float64": dict(backend="torch", engine="eager", dtype="float64"),
    "brian2-numpy": dict(backend="brian2", brian2_target="numpy"),
}


def poisson_events(x, seed, n_steps=2000, dt_ms=0.5):
    """Explicit (sample, input, time_ms) Poisson events at 255 Hz per unit intensity, on the dt grid."""
    rng = np.random.default_rng(seed)
    parts = []
    for b, row in enumerate(x):
        steps, inputs = np.nonzero(rng.random((n_steps, len(row))) < row * 255.0 * dt_ms * 1e-3)
        parts.append((np.full(len(steps), b), inputs, steps * dt_ms))
    return tuple(np.concatenate([p[k] for p in parts]) for k in range(3))


def spike_set(rec, site):
    ev = rec.spikes[site]
    return sorted(
        zip(ev.sample.tolist(), np.rint(ev.time_ms / rec.meta["dt_ms"]).astype(int).tolist(), ev.unit.tolist())
    )


def first_divergence(a, b):
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return f"first diverging spike #{k}: {x} vs {y} (sample, step, unit)"
    return f"one backend has extra spikes after #{min(len(a), len(b))}: {(a + b)[min(len(a), len(b))]}"


@pytest.fixture(scope="module")
def trained(digits):
    # presentation of 1 s: every comparison covers at least one second of simulated time
    cfg = SNNConfig(n_neurons=30, presentation_ms=1000.0, dtype="float64")
    x, y = digits.x_train[:30], digits.y_train[:30]
    nets = {
        (d, m, 0.0): SpikingNetwork(cfg.replace(delay_ms=d, method=m), seed=2).fit(x, y)
        for d, m in ((0.0, "euler"), (10.0, "euler"), (10.0, "exponential_euler"))
    }
    # asynchrony in every pathway: recurrent delays on exc->inh and inh->exc as well
    nets[10.0, "euler", 5.0] = SpikingNetwork(cfg.replace(delay_recurrent_ms=5.0), seed=2).fit(x, y)
    return nets


@pytest.mark.brian2
@pytest.mark.parametrize(
    "delay_ms,method,recurrent",
    [(0.0, "euler", 0.0), (10.0, "euler", 0.0), (10.0, "exponential_euler", 0.0), (10.0, "euler", 5.0)],
)
def test_frozen_weights_identical_spikes_on_every_backend(trained, digits, delay_ms, method, recurrent):
    net = trained[delay_ms, method, recurrent]
    x = digits.x_test[:2]
    # the same explicit input events for every backend
    events = poisson_events(x, seed=0)
    results = {name: net.using(**kw).record(x, input_spikes=events) for name, kw in BACKENDS.items()}
    ref = results.pop("brian2-numpy")
    assert ref.meta["duration_ms"] >= 1000.0
    for site in ("exc", "inh"):
        want = spike_set(ref, site)
        assert len(want) > 20
        for name, rec in results.items():
            got = spike_set(rec, site)
            assert got == want, f"{name} vs brian2, {site}: " + first_divergence(got, want)


@pytest.mark.brian2
@pytest.mark.parametrize("method,recurrent", [("euler", 0.0), ("exponential_euler", 0.0), ("euler", 5.0)])
def test_stdp_training_agrees_with_brian2(digits, method, recurrent):
    """Training alone (``train_stdp`` on each engine, as ``fit`` runs it): the readout's and the
    steering calibration's recordings, which ``fit`` adds, are the frozen-weight comparisons above
    and would more than double the time of Brian2's numpy target. ``fit`` itself: the next test."""
    from snn.brian2_backend import Brian2Engine
    from snn.network import init_state, train_stdp
    from snn.numba_engine import NumbaEngine

    # 12 presentations of 150 + 50 ms: Brian2's numpy target runs every step from Python (ms per step)
    cfg = SNNConfig(
        n_neurons=20, presentation_ms=150.0, rest_ms=50.0, dtype="float64", method=method, delay_recurrent_ms=recurrent
    )
    x = digits.x_train[:12]
    cfg = cfg.resolved(x.shape[1], float(x.mean()))  # as fit resolves it
    ours, ref = init_state(cfg, x.shape[1], [4]), init_state(cfg, x.shape[1], [4])
    ours_hist = train_stdp(NumbaEngine(), cfg, ours, x, [4])
    ref_hist = train_stdp(Brian2Engine("numpy"), cfg, ref, x, [4])
    assert np.abs(ours.w - ref.w).max() < 1e-9
    assert np.abs(ours.theta - ref.theta).max() < 1e-9
    assert np.abs(ours.theta - 20.0).max() > 0.01  # learning really happened
    np.testing.assert_array_equal(ours_hist[0]["mean_exc_spikes"], ref_hist[0]["mean_exc_spikes"])


@pytest.mark.brian2
def test_fit_on_brian2_trains_reads_out_and_calibrates_as_ours(digits):
    """``fit`` with ``backend="brian2"``: the same weights, readout and steering gains as ours."""
    cfg = SNNConfig(n_neurons=12, presentation_ms=80.0, rest_ms=20.0, dtype="float64")
    x, y = digits.x_train[:6], digits.y_train[:6]
    ours = SpikingNetwork(cfg, seed=4).fit(x, y)
    ref = SpikingNetwork(cfg.replace(backend="brian2", brian2_target="numpy"), seed=4).fit(x, y)
    assert np.abs(ours.w_ - ref.w_).max() < 1e-9 and np.abs(ours.theta_ - 20.0).max() > 0.01
    np.testing.assert_array_equal(ours.history_["mean_exc_spikes"], ref.history_["mean_exc_spikes"])
    assert ours.steer_gain_ == pytest.approx(ref.steer_gain_, rel=1e-9)
    np.testing.assert_array_equal(ours.predict(digits.x_test[:3]), ref.predict(digits.x_test[:3]))


@pytest.mark.brian2
@pytest.mark.parametrize("engine", ["eager", "numba"])
def test_float32_torch_counts_correlate_with_brian2(trained, digits, engine):
    net = trained[10.0, "euler", 0.0]
    x = digits.x_test[:4]
    a = net.using(engine=engine, dtype="float32").record(x).counts("exc").ravel()
    b = net.using(backend="brian2", brian2_target="numpy").record(x).counts("exc").ravel()
    assert a.sum() > 20 and np.corrcoef(a, b)[0, 1] >= 0.99


@pytest.mark.brian2
def test_to_brian2_reproduces_recorded_spikes(trained, digits):
    import brian2 as b2

    net = trained[10.0, "euler", 0.0]
    x = digits.x_test[:1]
    events = poisson_events(x, seed=3)
    inputs, steps = events[1], np.rint(events[2] / 0.5).astype(int)
    rec = net.record(x, input_spikes=events)
    b2.set_device("runtime")
    b2.prefs.codegen.target = "numpy"
    network, o = net.to_brian2()
    o["input"].set_spikes(inputs, steps * 0.5 * b2.ms)
    network.run(1000 * b2.ms)
    got = sorted(zip(np.rint(o["mon_e"].t_ / 0.5e-3).astype(int).tolist(), o["mon_e"].i[:].tolist()))
    want = sorted(zip(np.rint(rec.spikes["exc"].time_ms / 0.5).astype(int).tolist(), rec.spikes["exc"].unit.tolist()))
    assert got == want and len(want) > 5


@pytest.mark.brian2
def test_interventions_agree_with_brian2(trained, digits):
    net = trained[10.0, "euler", 0.0]
    from probes.interface import Ablate, Patch, Steer

    x = digits.x_test[:2]
    src = net.record(digits.x_test[5:6])
    busy = np.argsort(src.counts("exc")[0])[-2:]
    ivs = [Ablate("exc", [int(busy[0])]), Patch("exc", [int(busy[1])], src, 0), Steer("inh", np.full(30, 0.3), 1.0)]
    a = net.record(x, interventions=ivs)
    b = net.using(backend="brian2", brian2_target="numpy").record(x, interventions=ivs)
    for site in ("exc", "inh"):
        assert spike_set(a, site) == spike_set(b, site), first_divergence(spike_set(a, site), spike_set(b, site))


def test_missing_compiler_is_a_clear_error(monkeypatch):
    from probes.support import BackendError
    from snn import brian2_backend

    monkeypatch.setattr(brian2_backend.shutil, "which", lambda name: None)
    with pytest.raises(BackendError, match="needs a C\\+\\+ compiler.*g\\+\\+"):
        brian2_backend.Brian2Engine("cython")


@pytest.mark.brian2
@pytest.mark.slow
def test_standalone_builds_in_the_cache_not_the_tree(tmp_path, monkeypatch, trained, digits, standalone_cache):
    monkeypatch.setenv("SCRUTABLE_CACHE", str(standalone_cache))
    monkeypatch.chdir(tmp_path)
    import time

    net = trained[0.0, "euler", 0.0]
    x = digits.x_test[:2]
    a = net.record(x)
    started = time.time()
    b = net.using(backend="brian2", brian2_target="cpp_standalone").record(x)
    assert spike_set(a, "exc") == spike_set(b, "exc")
    project = standalone_cache / "brian2" / "standalone"
    assert (project / "main").is_file()  # the binary, and the results of this run, are in the cache
    assert max(p.stat().st_mtime for p in (project / "results").iterdir()) >= started - 1
    assert list(tmp_path.iterdir()) == []
    # Another process waits while this one holds the shared project, then records the same spikes.
    import subprocess
    import sys

    from snn.brian2_backend import standalone_lock

    net.save(tmp_path / "net.npz")
    np.save(tmp_path / "x.npy", x)
    script = (
        "import logging, sys, numpy as np; from snn import SpikingNetwork\n"
        "class Waiting(logging.Handler):  # Brian2's file lock logs each failed attempt at level 5\n"
        "    def emit(self, record):\n"
        "        if 'not acquired' in record.getMessage() and not hasattr(self, 'said'):\n"
        "            self.said = True; print('waiting', flush=True)\n"
        "log = logging.getLogger('brian2.utils.filelock'); log.setLevel(5); log.addHandler(Waiting(5))\n"
        "net = SpikingNetwork.load(sys.argv[1]); x = np.load(sys.argv[2])\n"
        "rec = net.using(backend='brian2', brian2_target='cpp_standalone').record(x)\n"
        "print(int(rec.counts('exc').sum()), flush=True)\n"
    )
    with standalone_lock():
        proc = subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path / "net.npz"), str(tmp_path / "x.npy")],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

        def snapshot():
            return {p: p.stat().st_mtime_ns for p in project.rglob("*") if p.is_file()}

        before = snapshot()
        # it tried the lock and waits (had it not waited, it would print its count here, or nothing)
        assert proc.stdout.readline().strip() == "waiting", proc.stderr.read() if proc.poll() is not None else ""
        time.sleep(1.0)  # unlocked, it would now be writing the project's code
        assert proc.poll() is None and snapshot() == before, "the other process built while the lock was held"
        compiled = {p: p.stat().st_mtime_ns for p in project.rglob("*.o")}
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    assert int(out.strip()) == int(b.counts("exc").sum()) > 0
    # The same network and input in another process generate the same code: nothing is compiled
    # again (the code objects carry the same names and the clocks are listed in the same order).
    assert {p: p.stat().st_mtime_ns for p in project.rglob("*.o")} == compiled
