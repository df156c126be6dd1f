"""A user's own task from an .npz file: Task.from_npz and `scrutable compare --data FILE.npz`."""

import json

import numpy as np
import pytest

from comparisons.cli import main
from comparisons.tasks import Task
from probes.support import DataError

TINY = [
    "--set",
    "snn.n_neurons=10",
    "--set",
    "dense.hidden=[10]",
    "--set",
    "dense.max_epochs=5",
    "--set",
    "probes.max_samples=40",
    "--set",
    "snn.presentation_ms=100",
    "--set",
    "snn.rest_ms=20",
    # no extra columns, uncertainty at its smallest: what is tested is reading the file
    "--set",
    "probes.long_window=0",
    "--set",
    "probes.format_control=false",
    "--set",
    "probes.redraws=1",
    "--set",
    "probes.resamples=2",
]


@pytest.fixture(scope="module")
def arrays(digits):
    """A user's three-class task: digits 0, 1 and 2 only."""
    keep_tr, keep_te = digits.y_train < 3, digits.y_test < 3
    return dict(
        x_train=digits.x_train[keep_tr][:120],
        y_train=digits.y_train[keep_tr][:120],
        x_test=digits.x_test[keep_te][:45],
        y_test=digits.y_test[keep_te][:45],
    )


def save(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_from_npz_round_trip_with_optional_arrays(tmp_path, arrays):
    factors = np.stack([arrays["y_test"] == 0, arrays["y_test"] > 0], 1).astype(np.uint8)
    path = save(
        tmp_path / "mine.npz", **arrays, factors_test=factors, image_shape=np.array([8, 8]), class_names=["a", "b", "c"]
    )
    t = Task.from_npz(path)
    assert t.name == "mine" and t.kind == "multiclass" and t.n_outputs == 3 and t.image_shape == (8, 8)
    np.testing.assert_array_equal(t.x_train, arrays["x_train"])
    np.testing.assert_array_equal(t.y_test, arrays["y_test"])
    np.testing.assert_array_equal(t.factors_test, factors)
    assert t.class_names == ("a", "b", "c") and t.n_factors == 2
    assert Task.from_npz(save(tmp_path / "plain.npz", **arrays)).n_factors == 3  # one-hot by default


def _bad_files(tmp_path, arrays):
    a = arrays
    obj = np.empty(len(a["y_train"]), dtype=object)
    obj[:] = list(a["y_train"])
    (tmp_path / "text.npz").write_text("x_train,y_train\n1,2\n")
    np.save(tmp_path / "single.npy", a["x_train"])
    return {
        "missing array": (
            save(tmp_path / "m.npz", x_train=a["x_train"], y_train=a["y_train"], x_test=a["x_test"]),
            "has no array y_test",
        ),
        "wrong shape": (save(tmp_path / "s.npz", **{**a, "x_test": a["x_test"][:, :10]}), "x_test has 10 inputs"),
        "label count": (save(tmp_path / "l.npz", **{**a, "y_train": a["y_train"][:-1]}), "y_train has 119 labels"),
        "pickled objects": (save(tmp_path / "o.npz", **{**a, "y_train": obj}), "holds pickled objects"),
        "unknown array": (save(tmp_path / "u.npz", **a, x_tset=a["x_test"]), "unknown arrays \\['x_tset'\\]"),
        "bad factors": (save(tmp_path / "f.npz", **a, factors_test=np.full((45, 2), 0.5)), "factors_test must be"),
        "not an npz": (tmp_path / "text.npz", "is not an .npz archive"),
        "an npy": (tmp_path / "single.npy", "is a single .npy array"),
        "no file": (tmp_path / "nope.npz", "does not exist"),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing array",
        "wrong shape",
        "label count",
        "pickled objects",
        "unknown array",
        "bad factors",
        "not an npz",
        "an npy",
        "no file",
    ],
)
def test_bad_files_are_refused_in_one_line(tmp_path, arrays, case, capsys):
    path, match = _bad_files(tmp_path, arrays)[case]
    if case != "no file":
        with pytest.raises(DataError, match=match):
            Task.from_npz(path)
    out = tmp_path / "out"
    assert main(["compare", "--data", str(path), "--out", str(out), "--quiet", "--no-cache", *TINY]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("error: "), err
    import re

    assert re.search(match, err[0]), err
    assert not out.exists()  # refused before the output folder was made


@pytest.mark.slow
def test_compare_with_data_gives_a_report(tmp_path, arrays, capsys):
    path = save(tmp_path / "three digits.npz", **arrays)
    out, cache = tmp_path / "out", tmp_path / "cache"
    args = ["compare", "--data", str(path), "--measure", "decoding", "--quiet", "--cache-dir", str(cache), *TINY]
    assert main([*args, "--out", str(out)]) == 0
    m = json.loads((out / "metrics.json").read_text())
    assert m["task"]["name"] == "three digits" and m["task"]["n_train"] == 120 and m["task"]["n_outputs"] == 3
    assert set(m["measurements"]) == {"decoding"} and m["trained"] == ["snn", "dense-sgd"]
    assert m["config"]["task"]["name"] == "file" and m["config"]["task"]["data"] == str(path)
    assert "three digits" in (out / "report.md").read_text()
    # the same file again: both networks from the cache; an edited file: both retrained
    assert main([*args, "--out", str(tmp_path / "again")]) == 0
    assert json.loads((tmp_path / "again" / "metrics.json").read_text())["trained"] == []
    save(path, **{**arrays, "y_train": (arrays["y_train"] + 1) % 3})
    assert main([*args, "--out", str(tmp_path / "edited")]) == 0
    assert json.loads((tmp_path / "edited" / "metrics.json").read_text())["trained"] == ["snn", "dense-sgd"]
    capsys.readouterr()
    assert main(["compare", "--data", str(path), "--task", "bars", "--out", str(tmp_path / "x")]) == 2
    assert "give --task or --data, not both" in capsys.readouterr().err
