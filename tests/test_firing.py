"""A silent or runaway spiking network is never silently wrong: retries at test, firing in
every recording's meta, warnings, and an input drive that makes any input size fire."""

import warnings

import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer, load_iris
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import minmax_scale

from comparisons.cli import main
from comparisons.tasks import Task
from probes import Ablate
from probes.support import FiringWarning
from snn import SNNConfig, SpikingNetwork
from snn.network import _check_training


@pytest.fixture(scope="module")
def net(digits):
    return SpikingNetwork(SNNConfig(n_neurons=20), seed=0).fit(digits.x_train[:200], digits.y_train[:200])


def test_recording_retries_weak_presentations_like_dc(net, digits):
    x = digits.x_test[:60] * 0.15  # faint inputs: most presentations fall below min_spikes
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FiringWarning)
        plain = net.using(retry_silent=False).record(x, sites=["exc"])
    retried = net.record(x, sites=["exc"])
    n_plain, n_retried = plain.counts("exc").sum(1), retried.counts("exc").sum(1)
    assert plain.meta["retry_silent"] is False and retried.meta["retry_silent"] is True
    assert (n_plain < 5).mean() > 0.5 and (n_retried < 5).mean() < (n_plain < 5).mean() / 2
    # a sample that already fired enough is presented once: the same spikes as without retries
    fine = n_plain >= 5
    assert np.array_equal(n_plain[fine], n_retried[fine])
    # meta describes the recording it belongs to
    assert retried.meta["spikes_per_sample"] == pytest.approx(n_retried.mean())
    assert retried.meta["silent_share"] == pytest.approx((n_retried == 0).mean())
    assert retried.meta["below_min_share"] == pytest.approx((n_retried < 5).mean())
    assert retried.meta["retried_share"] == pytest.approx((n_plain < 5).mean())


def test_an_intervention_keeps_the_rate_of_the_clean_presentation(net, digits):
    x = digits.x_test[:40] * 0.15
    clean = net.record(x, sites=["exc"])
    assert clean.meta["retried_share"] > 0.3
    silent_units = np.flatnonzero(clean.counts("exc").sum(0) == 0)
    every = np.arange(20)
    # ablating every unit: silent, and no retry undoes it
    gone = net.record(x, sites=["exc"], interventions=[Ablate("exc", every)])
    assert gone.counts("exc").sum() == 0 and gone.meta["retried_share"] == clean.meta["retried_share"]
    # ablating units that never fire changes nothing: the same inputs at the same retry rates
    if len(silent_units):
        same = net.record(x, sites=["exc"], interventions=[Ablate("exc", silent_units)])
        assert np.array_equal(same.activity["exc"], clean.activity["exc"])
    # a fresh copy (no remembered levels) finds the same levels from the clean presentation
    fresh = net.using(batch_size=7).record(x, sites=["exc"], interventions=[Ablate("exc", every[:1])])
    again = net.record(x, sites=["exc"], interventions=[Ablate("exc", every[:1])])
    assert np.array_equal(fresh.activity["exc"].sum(1), again.activity["exc"].sum(1))


def test_blank_inputs_are_not_counted_as_silent(net, digits):
    x = np.concatenate([digits.x_test[:30], np.zeros((10, 64), np.float32)])
    rec = net.record(x, sites=["exc"])
    assert rec.meta["blank_share"] == pytest.approx(0.25)
    assert rec.counts("exc")[30:].sum() == 0 and rec.meta["silent_share"] < 0.05


def test_silent_recordings_warn(net, digits):
    with pytest.warns(FiringWarning, match=r"non-blank inputs made no excitatory spike"):
        net.using(retry_silent=False).record(digits.x_test[:40] * 0.02, sites=["exc"])


def test_training_warns_when_retries_run_out_or_firing_runs_away(digits):
    cfg = SNNConfig(n_neurons=5, input_rate_hz=1.0, max_retries=1, rate_step_hz=1.0).resolved(64)
    with pytest.warns(FiringWarning, match=r"stayed below min_spikes=5 after max_retries=1"):
        net = SpikingNetwork(cfg, seed=0).fit(digits.x_train[:20], digits.y_train[:20])
    assert net.history_["retries_exhausted"] == [20]
    with pytest.warns(FiringWarning, match="runaway firing: 400 excitatory spikes"):
        _check_training({"mean_exc_spikes": [12.0, 400.0], "retries_exhausted": [0, 0]}, cfg, 100)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FiringWarning)
        _check_training({"mean_exc_spikes": [20.0], "retries_exhausted": [1]}, cfg, 100)  # 1%: no warning


@pytest.mark.parametrize("loader", [load_iris, load_breast_cancer], ids=["iris", "breast_cancer"])
def test_any_input_size_gives_a_firing_layer(loader):
    x, y = loader(return_X_y=True)
    x = minmax_scale(x).astype(np.float32)
    xtr, xte, ytr, yte = train_test_split(x, y, test_size=0.25, stratify=y, random_state=0)
    task = Task.from_arrays(xtr, ytr, xte, yte, name=loader.__name__)
    with warnings.catch_warnings():
        warnings.simplefilter("error", FiringWarning)  # neither silent training nor silent test inputs
        net = SpikingNetwork(SNNConfig(n_neurons=100), seed=0).fit(task.x_train, task.y_train)
        rec = net.record(task.x_test)
    assert 5 <= net.history_["mean_exc_spikes"][0] <= 40 and net.history_["retries_exhausted"] == [0]
    assert rec.meta["silent_share"] == 0 and rec.meta["spikes_per_sample"] >= 5
    majority = np.bincount(yte).max() / len(yte)
    assert (rec.predictions == yte).mean() > majority + 0.05


def test_cuda_on_a_cpu_build_is_one_line_and_compare_leaves_no_empty_folder(tmp_path, capsys):
    pytest.importorskip("torch")
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    out = tmp_path / "runs" / "x"
    code = main(["compare", "--set", "snn.device=cuda", "--set", "snn.n_neurons=5", "--out", str(out), "--quiet"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "snn.device='cuda' is not available" in err[0]
    assert not (tmp_path / "runs").exists()


def test_a_misspelt_value_gets_a_suggestion(capsys):
    assert main(["config", "--set", "dense.learning=hebian"]) == 2
    err = capsys.readouterr().err
    assert "dense.learning='hebian' is not allowed (did you mean 'hebbian'?)" in err
