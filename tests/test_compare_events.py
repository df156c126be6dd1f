"""`run_compare` on an event task (patterns): the spiking network is trained, read out, recorded
and re-recorded by every measurement on the task's events, never on Poisson trains from x."""

import warnings

import numpy as np
import pytest

from comparisons.events import EventFed, EventInputs, event_counts
from comparisons.tasks import load_task
from probes import Ablate
from probes.support import ConfigError, DataError
from snn import SNNConfig, SpikingNetwork

# three pattern spikes per input and weight_sum 18 (of at most 20): the layer fires a few spikes per sample
TINY_TASK = dict(n_inputs=20, duration_ms=100.0, n_train=60, n_test=24, spikes_per_input=3)
TINY = [
    "snn.n_neurons=12",
    "snn.presentation_ms=100",
    "snn.rest_ms=20",
    "snn.weight_sum=18",
    "dense.hidden=[12]",
    "dense.max_epochs=5",
    "probes.max_samples=16",
    "probes.redraws=1",
    "probes.resamples=2",
    "probes.nulls=1",
    "probes.unit_nulls=0",
    "probes.resamples_interventions=0",
    "probes.measures=['decoding', 'ablation', 'patching', 'steering', 'abstraction', 'receptive_fields']",
]


@pytest.fixture(scope="module")
def task():
    return load_task("patterns", seed=0, **TINY_TASK)


@pytest.fixture(scope="module")
def compared(task, tmp_path_factory):
    """run_compare with every call of SpikingNetwork.record spied on: (result, calls)."""
    from comparisons.config import load_config
    from comparisons.pipeline import run_compare

    calls = []
    original = SpikingNetwork.record

    def spy(self, x, **kw):
        calls.append((np.array(x), kw.get("input_spikes")))
        return original(self, x, **kw)

    mp = pytest.MonkeyPatch()
    mp.setattr(SpikingNetwork, "record", spy)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = run_compare(
                load_config(overrides=TINY), progress=False, task=task, cache_dir=tmp_path_factory.mktemp("c")
            )
    finally:
        mp.undo()
    return res, calls


@pytest.mark.slow
def test_recordings_are_the_networks_on_the_task_events(task, compared):
    res, _ = compared
    fed = res.models["snn"]
    assert isinstance(fed, EventFed) and fed.net.n_inputs_ == task.n_event_inputs == 20  # trained on 20 inputs
    x_net = EventInputs(task).x["test"]
    direct = fed.net.record(x_net, input_spikes=task.events_test)
    rec = res.recordings["snn"]
    for site in ("exc", "inh"):
        a, b = rec.spikes[site], direct.spikes[site]
        for k in ("sample", "unit", "time_ms"):
            np.testing.assert_array_equal(getattr(a, k), getattr(b, k))
    np.testing.assert_array_equal(rec.predictions, direct.predictions)
    assert rec.meta["spikes_per_sample"] == direct.meta["spikes_per_sample"] > 1  # spikes to compare
    assert list(res.models) == ["snn", "dense-sgd", *[n for n in res.models if n.startswith("dense-sgd at")]]
    assert "input events" in res.notes["snn"]  # no long-window column, and the report says why
    # weights over 20 event inputs have no prototype over the 20 x 10 binned values: skipped, not wrong
    assert "snn" not in res.results["receptive_fields"] and "dense-sgd" in res.results["receptive_fields"]
    assert set(res.results["abstraction"]) == {"snn", "dense-sgd"}


@pytest.mark.slow
def test_every_recording_of_the_spiking_network_got_its_rows_events(task, compared):
    """Training's readout, the competition choice, every measurement and intervention: no
    call records the spiking network without events, and each call's events are its rows'
    (their spike counts per input, scaled, are the rows of the network's x)."""
    _, calls = compared
    scale = event_counts(task.events_train, len(task.x_train), 20).max()
    assert len(calls) > 20
    for x_net, events in calls:
        assert events is not None
        counts = event_counts(events, len(x_net), 20)
        np.testing.assert_allclose(np.minimum(counts / scale, 1.0), x_net, atol=1e-6)


@pytest.mark.slow
def test_interventions_on_the_adaptor_are_the_networks_on_the_events(task, compared):
    res, _ = compared
    fed = res.models["snn"]
    rows = [3, 0, 7]
    x_net, events = EventInputs(task).lookup(task.x_test[rows])
    ivs = [Ablate("exc", [0, 1, 2])]
    a = fed.record(task.x_test[rows], interventions=ivs)
    # independent: the same rows' events cut out of task.events_test by hand
    s, i, t = task.events_test
    parts = [(np.full((s == r).sum(), k), i[s == r], t[s == r]) for k, r in enumerate(rows)]
    by_hand = tuple(np.concatenate([p[j] for p in parts]) for j in range(3))
    b = fed.net.record(x_net, interventions=ivs, input_spikes=by_hand)
    np.testing.assert_array_equal(a.counts("exc"), b.counts("exc"))
    assert a.counts("exc")[:, [0, 1, 2]].sum() == 0


@pytest.mark.slow
def test_a_row_outside_the_task_is_a_one_line_error(task, compared):
    fed = compared[0].models["snn"]
    x = task.x_test[:2].copy()
    x[1, 0] = 0.123
    with pytest.raises(DataError, match="x row 1 is in neither task.x_train nor task.x_test") as info:
        fed.record(x)
    assert "\n" not in str(info.value)


def test_a_window_shorter_than_the_events_is_a_one_line_error(task):
    net = SpikingNetwork(SNNConfig(n_neurons=4, presentation_ms=50.0, rest_ms=20.0), seed=0)
    with pytest.raises(ConfigError, match=r"snn.presentation_ms=50 .* set snn.presentation_ms >= 100") as info:
        EventFed(net, EventInputs(task)).fit(task.x_train, task.y_train)
    assert "\n" not in str(info.value)


STUDY = """
[study]
name = "events"
seeds = [0, 1]
measures = ["selectivity", "ablation", "receptive_fields"]
split_seed = 0
[base]
"task.name" = "patterns"
"task.n_inputs" = 20
"task.duration_ms" = 100.0
"task.spikes_per_input" = 3
"task.n_train" = 60
"task.n_test" = 24
"snn.n_neurons" = 12
"snn.presentation_ms" = 100.0
"snn.rest_ms" = 20.0
"snn.weight_sum" = 18.0
"dense.hidden" = [10]
"dense.max_epochs" = 2
"probes.max_samples" = 16
"""


@pytest.mark.slow
def test_study_runs_train_and_record_on_the_events_alone_or_as_replicas(tmp_path, monkeypatch):
    from comparisons.study import _run_group, _run_task, load_study

    path = tmp_path / "s.toml"
    path.write_text(STUDY)
    group = [r for r in load_study(path).runs if r.network == "snn"]
    assert len(group) == 2
    given = []
    original = SpikingNetwork.record
    monkeypatch.setattr(
        SpikingNetwork, "record", lambda self, x, **kw: given.append(kw.get("input_spikes")) or original(self, x, **kw)
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        together = _run_group(group)
        alone = [_run_task(r) for r in group]
    assert given and all(g is not None for g in given)  # never a Poisson recording
    for (_, st_t, res_t, err, *_), (_, st_a, res_a, *_) in zip(together, alone):
        assert st_t == st_a == "done", err
        assert res_t["snn"] == pytest.approx(res_a["snn"], abs=1e-9)
        assert res_t["snn"]["selectivity.share_dead"] < 1  # a firing network
        # as compare does: no receptive fields (weights over events, not x) and no long window
        assert "event inputs" in res_t["snn"]["receptive_fields.error"] and set(res_t) == {"snn"}
