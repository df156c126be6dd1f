"""The patterns task: counts carry nothing, timing carries the class, jitter destroys it."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression

from comparisons.tasks import bin_events, load_task
from probes.support import DataError

# harder than the defaults (one pattern spike per input in three times as much background), so
# that the binned decoder's accuracy has room to fall as the jitter grows
HARD = dict(spikes_per_input=1, background_hz=10.0, n_train=400, n_test=200)


def counts_per_input(events, n, n_inputs):
    sample, inp, _ = events
    return np.bincount(sample * n_inputs + inp, minlength=n * n_inputs).reshape(n, n_inputs)


def decoders(task) -> tuple[float, float]:
    """Test accuracy of logistic regression on spike counts per input and on the binned events (x)."""
    n_in = task.n_event_inputs
    c_tr = counts_per_input(task.events_train, len(task.x_train), n_in)
    c_te = counts_per_input(task.events_test, len(task.x_test), n_in)
    count = LogisticRegression(max_iter=2000).fit(c_tr, task.y_train).score(c_te, task.y_test)
    binned = LogisticRegression(max_iter=2000).fit(task.x_train, task.y_train).score(task.x_test, task.y_test)
    return count, binned


@pytest.fixture(scope="module")
def patterns():
    return load_task("patterns", seed=0)


def test_every_input_fires_equally_often_in_every_class():
    """Without background every sample has exactly m spikes on every input; without jitter, at
    the same times in every sample of a class and at other times in another class."""
    t = load_task("patterns", background_hz=0.0, sigma_ms=0.0, spikes_per_input=3, n_train=40, n_test=8, seed=1)
    counts = counts_per_input(t.events_train, 40, 50)
    assert (counts == 3).all()
    sample, inp, time_ms = t.events_train
    raster = lambda s: sorted(zip(inp[sample == s].tolist(), time_ms[sample == s].tolist()))
    by_class = {}
    for s in range(40):
        by_class.setdefault(int(t.y_train[s]), raster(s))
        assert raster(s) == by_class[int(t.y_train[s])]
    assert len({tuple(r) for r in by_class.values()}) == 4  # four different patterns
    assert np.bincount(t.y_train).tolist() == [10] * 4


def test_count_decoder_is_at_chance_and_binned_decoder_is_not(patterns):
    count, binned = decoders(patterns)
    n_test, chance = len(patterns.y_test), 1 / 4
    assert count < chance + 3 * np.sqrt(chance * (1 - chance) / n_test), count
    assert binned >= 0.95, binned
    # the count distribution is the same in every class: m + Poisson(5 Hz * 0.3 s) per input
    c = counts_per_input(patterns.events_train, len(patterns.y_train), 50)
    means = np.array([c[patterns.y_train == k].mean() for k in range(4)])
    sd = np.sqrt(1.5 / c[patterns.y_train == 0].size)
    assert np.all(np.abs(means - (2 + 1.5)) < 4 * sd), means


def test_binned_accuracy_falls_as_jitter_grows():
    acc = {s: decoders(load_task("patterns", sigma_ms=s, seed=0, **HARD)) for s in (5.0, 50.0, 100.0)}
    count = [a[0] for a in acc.values()]
    binned = [a[1] for a in acc.values()]
    assert max(count) < 0.25 + 3 * np.sqrt(0.25 * 0.75 / 200), acc
    assert binned[0] >= 0.95 and binned[1] <= binned[0] - 0.05 and binned[2] <= binned[1] - 0.2, acc
    assert binned[2] < 0.45, acc


def test_x_is_the_events_binned(patterns):
    """x = counts per (input, 10 ms bin), input-major, over the training set's largest count."""
    n, n_in, n_bins = len(patterns.x_test), 50, 30
    assert patterns.x_test.shape == (n, n_in * n_bins) and patterns.image_shape == (n_in, n_bins)
    sample, inp, time_ms = patterns.events_test
    counts = np.zeros((n, n_in, n_bins))
    for s, i, t in zip(sample, inp, time_ms):  # the slow, obvious way
        counts[s, i, int(t // 10.0)] += 1
    scale = bin_events(patterns.events_train, len(patterns.x_train), n_in, 300.0, 10.0).max()
    np.testing.assert_allclose(patterns.x_test.reshape(n, n_in, n_bins), np.minimum(counts / scale, 1), atol=1e-7)
    assert 0 <= patterns.x_train.min() and patterns.x_train.max() == 1.0


def test_events_are_what_the_spiking_network_takes(patterns):
    from snn.encoding import check_input_spikes

    for events, n in ((patterns.events_train, 800), (patterns.events_test, 200)):
        sample, inp, time_ms = events
        assert sample.dtype == inp.dtype == np.int64 and time_ms.dtype == np.float64
        assert 0 <= time_ms.min() and time_ms.max() < 300.0
        # at most one spike per input and 0.5 ms step (the default dt): no duplicate error
        check_input_spikes(events, n, 50, dt_ms=0.5, n_steps=700)
        assert len(set(zip(sample.tolist(), inp.tolist(), (time_ms // 0.5).tolist()))) == len(sample)
    assert patterns.n_event_inputs == 50 and patterns.event_window_ms == 300.0 and patterns.has_events
    assert "events over 50 inputs x 300 ms" in repr(patterns)
    np.testing.assert_array_equal(patterns.factors_test, np.eye(4)[patterns.y_test])


def test_seeded():
    a, b = load_task("patterns", seed=4, n_train=20, n_test=8), load_task("patterns", seed=4, n_train=20, n_test=8)
    c = load_task("patterns", seed=5, n_train=20, n_test=8)
    for x, y in zip(a.events_test, b.events_test):
        np.testing.assert_array_equal(x, y)
    assert not np.array_equal(a.x_train, c.x_train)


@pytest.mark.parametrize(
    "kw, match",
    [
        (dict(n_classes=1), "n_classes=1 must be an integer >= 2"),
        (dict(duration_ms=305.0), "duration_ms=305 must be a multiple of bin_ms=10"),
        (dict(sigma_ms=-1.0), "sigma_ms=-1.0 must be a finite number >= 0"),
        (dict(background_hz=1000.0), "crowd the 600 time cells"),
        (dict(n_train=2), "n_train=2 must be >= n_classes=4"),
    ],
)
def test_bad_parameters_are_one_line_errors(kw, match):
    with pytest.raises(DataError, match=match) as info:
        load_task("patterns", **kw)
    assert "\n" not in str(info.value)


def test_task_config_loads_patterns_with_its_options():
    from comparisons.config import load_config

    cfg = load_config(overrides=["task.name=patterns", "task.sigma_ms=7", "task.n_inputs=20", "task.n_train=40"])
    t = cfg.task.load(cfg.seed)
    assert t.name == "patterns" and t.n_event_inputs == 20 and len(t.x_train) == 40 and len(t.x_test) == 200
    assert "jitter 7 ms" in t.description
