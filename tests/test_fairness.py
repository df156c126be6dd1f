"""Format control (probes.AsSpikes), spike budgets, nulls, noise ceilings and verdicts (probes.uncertainty)."""

import math

import numpy as np
import pytest

from probes import MEASUREMENTS, Ablate, AsSpikes, Patch, Recording, SpikeEvents
from probes.result import ProbeResult, ScoreSpec
from probes.support import ConfigError
from probes.uncertainty import (
    Assessment,
    ScoreSpread,
    assess,
    compare_scores,
    shuffled_task,
    spike_budget,
    task_subset,
    unit_shuffled,
)
from tests.planted import monosemantic_digits, random_model
from tests.planted_spiking import PoissonEmitter, code_with_noise

# --- AsSpikes ---------------------------------------------------------------------------------


def test_as_spikes_renders_the_budget_in_proportion_to_activation(digits):
    model = monosemantic_digits(digits, n_noise=10)
    x = digits.x_test
    rec = AsSpikes(model, spikes_per_sample=16, duration_ms=350, bin_ms=10).record(x)
    act = rec.activity["hidden"]
    assert act.shape == (len(x), 35, 20) and rec.meta["duration_ms"] == 350 and rec.meta["bin_ms"] == 10
    per_sample = act.sum(axis=(1, 2))
    # Poisson total with mean 16: the mean over n samples is within 4 standard errors of 16
    assert abs(per_sample.mean() - 16) < 4 * math.sqrt(16 / len(x))
    # events and counts agree; times inside the window
    ev = rec.spikes["hidden"]
    assert len(ev) == int(per_sample.sum()) and ev.time_ms.min() >= 0 and ev.time_ms.max() < 350
    # each unit's expected count is 16 * a_u / sum(a): compare summed over samples (chi-square-like bound)
    a = model.record(x).counts("hidden")
    expected = (16 * a / a.sum(axis=1, keepdims=True)).sum(axis=0)
    observed = act.sum(axis=(0, 1))
    assert np.all(np.abs(observed - expected) < 5 * np.sqrt(expected) + 1)
    # outputs are the wrapped model's own
    np.testing.assert_array_equal(rec.outputs, model.record(x).outputs.astype(np.float32))


def test_as_spikes_draws_depend_on_seed_and_input_not_on_batch(digits):
    model = monosemantic_digits(digits)
    x = digits.x_test[:40]
    wrap = AsSpikes(model, 16)
    full, again = wrap.record(x), wrap.record(x)
    assert full.equals(again)
    part = wrap.record(x[10:20])
    np.testing.assert_array_equal(part.activity["hidden"], full.activity["hidden"][10:20])
    other = wrap.redrawn(1).record(x)
    assert not np.array_equal(other.activity["hidden"], full.activity["hidden"])


def test_as_spikes_silent_sample_and_bad_config(digits):
    model = monosemantic_digits(digits)
    x = digits.x_test[:5]
    rec = AsSpikes(model, 16).record(x, interventions=[Ablate("hidden", list(range(20)))])
    assert rec.activity["hidden"].sum() == 0 and len(rec.spikes["hidden"]) == 0
    with pytest.raises(ConfigError, match="bin_ms=15 does not divide duration_ms=350"):
        AsSpikes(model, 16, bin_ms=15)
    with pytest.raises(ConfigError, match="spikes_per_sample=0"):
        AsSpikes(model, 0)


def test_as_spikes_interventions_act_on_the_wrapped_model(digits):
    model = monosemantic_digits(digits, n_noise=10)
    x = digits.x_test[:30]
    wrap = AsSpikes(model, 16)
    abl = wrap.record(x, interventions=[Ablate("hidden", [3])])
    assert abl.activity["hidden"][:, :, 3].sum() == 0
    np.testing.assert_array_equal(
        abl.outputs, model.record(x, interventions=[Ablate("hidden", [3])]).outputs.astype(np.float32)
    )
    # a Patch from a rendering is translated back to activation units: counts * sum(a) / budget
    source = wrap.record(x[:1])
    patched = wrap.record(x[1:4], interventions=[Patch("hidden", list(range(20)), source, 0)])
    a0 = model.record(x[:1]).counts("hidden")[0]
    want = source.counts("hidden")[0] * a0.sum() / 16
    np.testing.assert_allclose(patched.outputs, np.tile(want @ model._readout, (3, 1)), rtol=1e-5)


def test_every_measurement_runs_on_as_spikes_of_a_dense_network(digits):
    from dense import DenseConfig, DenseNetwork

    dense = DenseNetwork(DenseConfig(hidden=(12,), max_epochs=3), seed=0).fit(digits.x_train, digits.y_train)
    wrap = AsSpikes(dense, spikes_per_sample=16)
    for name, m in MEASUREMENTS.items():
        opts = {} if name == "receptive_fields" else {"max_samples": 40}
        res = m(wrap, digits, seed=0, **opts)
        assert set(res.scores) == {s.name for s in m.scores}, name
        figure = m.figure({wrap.name: res})
        assert figure is not None


# --- spike budget -----------------------------------------------------------------------------


def test_spike_budget_counts_silent_and_nearly_silent_samples():
    # samples with 0, 3 and 10 spikes
    sample = np.repeat([1, 2], [3, 10])
    ev = SpikeEvents.make(sample, np.zeros(13, int), np.arange(13, dtype=float))
    counts = np.zeros((3, 1, 2), np.float32)
    counts[1, 0, 0], counts[2, 0, 0] = 3, 10
    rec = Recording({"exc": counts}, np.zeros((3, 2)), {"exc": ev})
    b = spike_budget(rec)
    assert b["mean"] == pytest.approx(13 / 3) and b["silent_share"] == pytest.approx(1 / 3)
    assert b["few_share"] == pytest.approx(2 / 3) and b["active_units"] == pytest.approx(2 / 3)
    assert spike_budget(Recording({"h": counts}, np.zeros((3, 2)))) is None


# --- nulls, resamples, verdicts ---------------------------------------------------------------


def _mean_measure(model, task, *, recording=None, max_samples=None, seed=0):
    from probes.common import clean_recording, subset_indices

    idx = subset_indices(task, max_samples, seed)
    return ProbeResult({"mean": float(clean_recording(model, task, idx, recording).counts("hidden").mean())})


def test_half_sample_spread_estimates_the_sampling_spread_of_a_mean(digits):
    # a unit with activity ~ U(0, 1) per input: the mean over n inputs has SD 1 / sqrt(12 n)
    model = random_model(digits, n_units=1, seed=3)
    rec = model.record(digits.x_test)
    a = assess(_mean_measure, model, digits, recording=rec, n_redraws=0, n_resamples=200, n_nulls=0, seed=0)
    sd = math.sqrt(a.spreads["mean"].var_resample)
    want = rec.counts("hidden").std(ddof=1) / math.sqrt(len(digits.x_test))
    assert sd == pytest.approx(want, rel=0.15)


def test_shuffled_task_and_unit_shuffle_keep_marginals(digits):
    t = shuffled_task(digits, 0)
    assert sorted(t.y_test) == sorted(digits.y_test) and (t.y_test != digits.y_test).mean() > 0.5
    np.testing.assert_array_equal(t.factors_test, np.eye(10)[t.y_test])  # factors move with labels
    assert sorted(t.y_train) == sorted(digits.y_train)
    sub = task_subset(digits, np.array([3, 1]))
    np.testing.assert_array_equal(sub.x_test, digits.x_test[[3, 1]])
    rec = monosemantic_digits(digits).record(digits.x_test)
    u = unit_shuffled(rec, 0)
    for k in range(20):
        np.testing.assert_array_equal(np.sort(u.counts("hidden")[:, k]), np.sort(rec.counts("hidden")[:, k]))
    assert not np.array_equal(u.counts("hidden"), rec.counts("hidden"))


def _assessment(value, resamples=(), redraws=(), nulls=(0.0, 0.1), one_step=False):
    return Assessment(
        ProbeResult({"s": value}), {"s": ScoreSpread(value, list(redraws), list(resamples), list(nulls))}, one_step
    )


def test_verdict_needs_the_difference_to_exceed_the_combined_uncertainty():
    spec_hi = ScoreSpec("s", "higher", 0, 1, "")
    spec_lo = ScoreSpec("s", "lower", 0, 1, "")
    rng = np.random.default_rng(0)
    ra, rb = 0.60 + 0.01 * rng.normal(size=20), 0.50 + 0.01 * rng.normal(size=20)
    a = _assessment(0.60, ra, redraws=(0.61, 0.59))
    b = _assessment(0.50, rb)
    v = compare_scores(spec_hi, a, b, ("a", "b"))
    want = 1.96 * math.sqrt(np.var(ra - rb, ddof=1) + np.var([0.60, 0.61, 0.59], ddof=1))
    assert v.winner == "a" and v.u95 == pytest.approx(want, rel=1e-3) and v.margin == pytest.approx(0.1)
    assert compare_scores(spec_lo, a, b, ("a", "b")).winner == "b"
    close = _assessment(0.52, rb + 0.02, redraws=(0.45, 0.60))
    assert compare_scores(spec_hi, close, b, ("a", "b")).winner == "within noise"
    nan = compare_scores(spec_hi, _assessment(float("nan")), b, ("a", "b"))
    assert nan.winner == "excluded" and "n/a for a" in nan.reason
    timed = compare_scores(spec_lo, a, _assessment(0.0, rb, one_step=True), ("a", "b"), timed=True)
    assert timed.winner == "excluded" and "b has one step" in timed.reason
    fixed = compare_scores(spec_hi, a, _assessment(0.3, [0.3] * 5, nulls=(0.3, 0.3)), ("a", "b"))
    assert fixed.winner == "excluded" and "b unchanged by shuffled labels" in fixed.reason


def _assess_all(model, task, names, max_samples=120, **kw):
    out = {}
    for n in names:
        m = MEASUREMENTS[n]
        opts = {"max_samples": max_samples}
        out[n] = assess(m, model, task, recording=model.record(task.x_test), seed=0, **kw, **opts)
    return out


def test_planted_poisson_code_and_its_rendering_are_within_noise(digits):
    code = code_with_noise(digits, n_noise=10)
    spiking = PoissonEmitter(code, budget=16, seed=11)
    rendered = AsSpikes(code, spikes_per_sample=16, seed=5)
    # the cheaper measurements (time to read, dictionaries and steering multiply the cost on 2 cores)
    names = ["decoding", "selectivity", "feature_recovery", "similarity", "ablation"]
    kw = {"n_redraws": 3, "n_resamples": 6, "n_nulls": 1}
    sa, sb = _assess_all(spiking, digits, names, **kw), _assess_all(rendered, digits, names, **kw)
    decided = []
    for n in names:
        m = MEASUREMENTS[n]
        v = compare_scores(m.spec(m.headline), sa[n], sb[n], ("spiking", "rendered"), timed=m.headline in m.timed)
        if v.decided:
            decided.append((n, v))
    assert not decided, decided


def test_noiseless_code_beats_its_16_spike_rendering_on_decoding_and_feature_recovery(digits, bars):
    for task, names in ((digits, ["decoding"]), (bars, ["feature_recovery"])):
        code = code_with_noise(task, n_noise=task.n_outputs, multilabel=task.kind == "multilabel")
        rendered = AsSpikes(code, spikes_per_sample=16, seed=5)
        kw = {"n_redraws": 2, "n_resamples": 6, "n_nulls": 1}
        # every test input: at 120 the probe's spread on random halves (60 inputs, 10 classes) hides the gap
        a = _assess_all(code, task, names, max_samples=None, **kw)
        b = _assess_all(rendered, task, names, max_samples=None, **kw)
        for n in names:
            m = MEASUREMENTS[n]
            v = compare_scores(m.spec(m.headline), a[n], b[n], ("noiseless", "rendered"))
            assert v.winner == "noiseless", (task.name, n, v)


def test_random_activity_scores_at_its_null(digits):
    model = random_model(digits, n_units=30, seed=1)
    names = ["decoding", "selectivity", "feature_recovery", "similarity"]
    res = _assess_all(model, digits, names, n_resamples=6, n_nulls=4)
    for n, a in res.items():
        m = MEASUREMENTS[n]
        s = a.spreads[m.headline]
        assert abs(s.value - s.null) <= s.u95 + s.null_u95 + 1e-9, (n, s.to_dict())


# --- the spiking network's run options ----------------------------------------------------------


def test_snn_record_seed_and_long_window_are_run_options(digits):
    from snn import SNNConfig, SpikingNetwork

    net = SpikingNetwork(SNNConfig(n_neurons=12, presentation_ms=100, rest_ms=20), seed=0)
    net.fit(digits.x_train[:100], digits.y_train[:100])
    x = digits.x_test[:20]
    base = net.record(x)
    assert net.using(record_seed=None).record(x).equals(base)
    other = net.using(record_seed=5).record(x)
    assert other.meta["record_seed"] == 5
    assert not np.array_equal(other.counts("exc"), base.counts("exc"))
    assert net.using(record_seed=5).record(x).equals(other)
    long = net.using(presentation_ms=1000).record(x)
    assert long.activity["exc"].shape[1] == 100 and long.meta["duration_ms"] == 1000
    assert long.counts("exc").sum() > base.counts("exc").sum()
