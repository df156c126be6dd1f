"""Every script in examples/ runs at its --tiny size and does what its docstring says."""

import importlib.util
import json
import pathlib

import numpy as np
import pytest

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def load(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_example_is_tested_and_takes_tiny():
    scripts = sorted(p.stem for p in EXAMPLES.glob("*.py"))
    assert scripts == sorted(["own_data", "interventions", "export_brian2_neo", "custom_measurement", "small_study"])
    for name in scripts:
        assert '"--tiny"' in (EXAMPLES / f"{name}.py").read_text()


@pytest.mark.slow
def test_own_data(tmp_path):
    from sklearn.datasets import load_digits

    x, y = load_digits(return_X_y=True)
    path = tmp_path / "mine.npz"  # a user's file, in the documented format
    np.savez(path, x_train=x[:150] / 16, y_train=y[:150], x_test=x[1500:1600] / 16, y_test=y[1500:1600])
    scores = load("own_data").main(["--tiny", "--data", str(path)])
    for net in ("snn", "dense-hebbian"):
        assert scores[net]["accuracy"] > 0.3  # 10 classes: chance is 0.1
        assert -1 <= scores[net]["decoding.selectivity"] <= 1


@pytest.mark.slow
def test_interventions():
    out = load("interventions").main(["--tiny"])
    # dense: the activation is set to the value; spiking: a Poisson train of `level` spikes on average
    assert out["dense"]["clamped_mean_activity"] == pytest.approx(out["dense"]["clamp_level"], rel=1e-6)
    assert out["snn"]["clamped_mean_activity"] == pytest.approx(out["snn"]["clamp_level"], rel=0.3)
    for r in out.values():
        assert r["ablated_accuracy"] <= r["clean_accuracy"] + 0.05
        assert 0 <= r["eights_read_as_3_after_steering"] <= 1


@pytest.mark.slow
@pytest.mark.brian2
def test_export_brian2_neo():
    pytest.importorskip("elephant")
    out = load("export_brian2_neo").main(["--tiny"])
    assert out["brian2_identical"] and out["n_spikes"] > 5
    np.testing.assert_allclose(out["neo_rates"], out["rates"], rtol=1e-6)


@pytest.mark.slow
def test_custom_measurement(tmp_path):
    module = load("custom_measurement")
    # the score itself, on cases with a known answer
    s = module.population_sparseness(np.array([[0, 0, 5, 0], [1, 1, 1, 1], [0, 0, 0, 0]], float))
    assert s[0] == pytest.approx(1.0) and s[1] == pytest.approx(0.0) and np.isnan(s[2])
    from probes import MEASUREMENTS

    try:
        scores = module.main(["--tiny", "--out", str(tmp_path / "out")])
        assert "sparseness" in MEASUREMENTS
    finally:
        MEASUREMENTS.pop("sparseness", None)  # leave the registry as the other tests expect it
    assert {"snn", "dense-sgd"} <= set(scores)  # plus the format-control columns compare adds
    for r in scores.values():
        assert 0 <= r["mean_sparseness"] <= 1
    metrics = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert "sparseness" in json.dumps(metrics)
    assert "sparseness" in (tmp_path / "out" / "report.html").read_text()


@pytest.mark.slow
def test_small_study(tmp_path):
    rows = load("small_study").main(["--tiny", "--out", str(tmp_path), "--workers", "1"])
    # snn at two delays, each also read over 10 windows (snn-long, its format control), dense once; one seed
    assert len(rows) == 5
    assert all(r["status"] == "done" for r in rows), [r.get("error") for r in rows]
    assert {r["label"] for r in rows} == {"snn", "snn-long", "dense-sgd"}
