"""What a network learned (model config, the cache key) versus how it is run (run options)."""

import numpy as np
import pytest

from comparisons.cli import main
from comparisons.config import ExperimentConfig, load_config
from comparisons.pipeline import run_compare
from comparisons.tasks import Task
from dense import DenseConfig
from probes.support import DataError
from snn import SNNConfig, SpikingNetwork


@pytest.fixture(scope="module")
def small(digits):
    return Task.from_arrays(digits.x_train[:200], digits.y_train[:200], digits.x_test[:60], digits.y_test[:60])


@pytest.fixture(scope="module")
def net(small):
    return SpikingNetwork(SNNConfig(n_neurons=20, delay_ms=5.0), seed=0).fit(small.x_train, small.y_train)


@pytest.mark.slow  # four compare runs end to end
def test_run_options_never_retrain_and_model_changes_do(tmp_path, small):
    base = ["snn.n_neurons=12", "dense.hidden=[12]", "dense.max_epochs=3", "probes.max_samples=40"]
    # what is tested is training and the cache: no extra columns, uncertainty at its smallest
    base += ["probes.long_window=0", "probes.format_control=false", "probes.redraws=1", "probes.resamples=2"]
    first = run_compare(load_config(None, base), measures=["decoding"], cache_dir=tmp_path, progress=False, task=small)
    assert sorted(first.trained) == ["dense-sgd", "snn"]
    run = base + ["snn.batch_size=16", "snn.dtype=float64", "snn.bin_ms=5.0", "dense.device=cpu"]
    second = run_compare(load_config(None, run), measures=["decoding"], cache_dir=tmp_path, progress=False, task=small)
    assert second.trained == []
    assert second.models["snn"].config_.dtype == "float64" and second.models["snn"].config_.batch_size == 16
    # the same learned network: float64 recording of the cached network equals a float64 recording of the first
    a = first.models["snn"].using(dtype="float64").record(small.x_test[:10])
    b = second.models["snn"].record(small.x_test[:10])
    assert np.array_equal(a.activity["exc"].sum(1), b.activity["exc"].sum(1))
    third = run_compare(
        load_config(None, base + ["snn.n_neurons=13"]), measures=["decoding"], cache_dir=tmp_path, progress=False,
        task=small,
    )  # fmt: skip
    assert third.trained == ["snn"]


def test_model_dict_leaves_out_run_options():
    a, b = SNNConfig(n_neurons=10), SNNConfig(n_neurons=10, dtype="float64", batch_size=3, backend="brian2")
    assert a.model_dict() == b.model_dict() and a.to_dict() != b.to_dict()
    assert SNNConfig(n_neurons=11).model_dict() != a.model_dict()
    assert DenseConfig(device="cuda").model_dict() == DenseConfig().model_dict()


def test_a_nested_key_keeps_the_command_lines_defaults():
    # --set snn.dtype=... used to rebuild SNNConfig from scratch: 400 neurons instead of the CLI's 100
    cfg = load_config(None, ["snn.dtype=float64", "dense.lr=0.01"])
    assert cfg.snn.n_neurons == ExperimentConfig().snn.n_neurons == 100
    assert cfg.dense.hidden == (100,) and cfg.dense.lr == 0.01


def test_using_removes_delays_and_reads_a_longer_window(net, small):
    sync = net.using(delay_ms=0.0)
    assert np.all(sync.delays_ms_ == 0) and net.delays_ms_.max() > 0  # the original keeps its delays
    assert np.array_equal(sync.w_, net.w_) and np.array_equal(sync.theta_, net.theta_)
    short = net.record(small.x_test[:20], sites=["exc"])
    long = net.using(presentation_ms=3500.0).record(small.x_test[:20], sites=["exc"])
    assert long.meta["duration_ms"] == 3500.0 and long.activity["exc"].shape[1] == 350
    assert long.counts("exc").sum() > 5 * short.counts("exc").sum()
    with pytest.raises(DataError, match=r"using\(\) cannot change \['n_neurons'\]"):
        net.using(n_neurons=5)
    with pytest.raises(DataError, match=r"delay_ms=3.0.*only be removed"):
        net.using(delay_ms=3.0)


def test_fit_readout_refits_under_new_test_time_competition(net, small):
    weak = net.using(w_inh_exc_test=0.5).fit_readout(small.x_train, small.y_train)
    assert weak.readout_ is not net.readout_
    assert weak.record(small.x_test[:30], sites=["exc"]).counts("exc").sum() > (
        net.record(small.x_test[:30], sites=["exc"]).counts("exc").sum()
    )


def test_reprs_are_short(net, small):
    assert repr(SNNConfig()) == "SNNConfig()"
    assert repr(SNNConfig(n_neurons=7, dtype="float64")) == "SNNConfig(n_neurons=7, dtype='float64')"
    assert repr(net) == "SpikingNetwork(n_neurons=20, delay_ms=5.0, seed=0, fitted on 64 inputs)"
    assert repr(SpikingNetwork()) == "SpikingNetwork(seed=0, not fitted)"
    rec = net.record(small.x_test[:5])
    text = repr(rec)
    assert len(text) < 300 and "(5, 35, 20)" in text and "spikes_per_sample" in text
    assert "n_neurons" in (SNNConfig.__doc__ or "") and "excitatory neurons" in SNNConfig.__doc__


def test_config_command_lists_every_key_with_unit_and_meaning(capsys):
    assert main(["config"]) == 0
    out = capsys.readouterr().out
    for key in ExperimentConfig().to_dict()["snn"]:
        assert f"snn.{key} " in out
    line = next(x for x in out.splitlines() if x.startswith("snn.tau_m_exc_ms "))
    assert "ms" in line and "membrane time constant" in line
    assert "run option" in next(x for x in out.splitlines() if x.startswith("snn.dtype "))
    assert main(["config", "--changed", "--set", "snn.dtype=float64"]) == 0
    rows = [x for x in capsys.readouterr().out.splitlines() if x.startswith("snn.")]
    assert [r.split()[0] for r in rows] == ["snn.dtype"]
