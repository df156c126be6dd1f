import gzip
import struct

import numpy as np
import pytest

from comparisons.tasks import Task, bar_images, load_task, read_idx
from probes.support import DataError


def test_digits_shapes_ranges_and_balance(digits):
    from sklearn.datasets import load_digits

    raw = load_digits()
    assert digits.x_train.dtype == np.float32 and digits.x_train.shape[1] == 64
    assert len(digits.x_train) + len(digits.x_test) == len(raw.data) == 1797
    assert 0.0 <= digits.x_train.min() and digits.x_train.max() == 1.0
    assert digits.image_shape == (8, 8) and digits.kind == "multiclass" and digits.n_outputs == 10
    # stratified: each class's share of the test set matches its share of the data within one sample
    full = np.bincount(raw.target) / len(raw.target)
    test = np.bincount(digits.y_test, minlength=10)
    assert np.all(np.abs(test - full * len(digits.y_test)) <= 1.0)
    # the test images are real digits images (pixel / 16)
    rows = {tuple(r) for r in (raw.data / 16.0).astype(np.float32)}
    assert all(tuple(r) in rows for r in digits.x_test[:20])
    np.testing.assert_array_equal(digits.factors_test, np.eye(10)[digits.y_test])


def test_digits_split_is_seeded():
    a, b, c = load_task("digits", seed=1), load_task("digits", seed=1), load_task("digits", seed=2)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    assert not np.array_equal(a.x_test, c.x_test)


def test_bars_images_are_the_or_of_their_bars(bars):
    k = 8
    imgs = bars.x_test.reshape(-1, k, k)
    f = bars.factors_test.astype(bool)
    for img, fac in zip(imgs[:200], f[:200]):
        expected = np.zeros((k, k), bool)
        for i in range(k):
            if fac[i]:
                expected[i, :] = True
            if fac[k + i]:
                expected[:, i] = True
        np.testing.assert_array_equal(img.astype(bool), expected)
    np.testing.assert_array_equal(bars.y_test, bars.factors_test)
    assert bars.kind == "multilabel" and bars.n_factors == 16
    # each bar is present with probability p = 1/8 (binomial 3-sigma bound over 1000 * 16 draws)
    p_hat = bars.y_train.mean()
    assert abs(p_hat - 1 / 8) < 3 * np.sqrt((1 / 8) * (7 / 8) / bars.y_train.size)
    assert bar_images(4).sum() == 2 * 4 * 4


def test_bars_bad_parameters():
    with pytest.raises(DataError, match="p="):
        load_task("bars", p=1.5)
    with pytest.raises(DataError, match="k="):
        load_task("bars", k=0)


def _write_idx(path, array, dtype_code=0x08, gz=False):
    header = bytes([0, 0, dtype_code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    data = header + array.astype(">u1" if dtype_code == 0x08 else array.dtype).tobytes()
    (gzip.open if gz else open)(path, "wb").write(data)


@pytest.mark.parametrize("gz", [False, True])
def test_mnist_idx_round_trip(tmp_path, gz, rng):
    x_tr = rng.integers(0, 256, (12, 28, 28), dtype=np.uint8)
    y_tr = np.arange(12) % 10
    x_te = rng.integers(0, 256, (5, 28, 28), dtype=np.uint8)
    y_te = np.array([3, 1, 4, 1, 5])
    sfx = ".gz" if gz else ""
    _write_idx(tmp_path / f"train-images-idx3-ubyte{sfx}", x_tr, gz=gz)
    _write_idx(tmp_path / f"train-labels-idx1-ubyte{sfx}", y_tr.astype(np.uint8), gz=gz)
    _write_idx(tmp_path / f"t10k-images-idx3-ubyte{sfx}", x_te, gz=gz)
    _write_idx(tmp_path / f"t10k-labels-idx1-ubyte{sfx}", y_te.astype(np.uint8), gz=gz)
    task = load_task("mnist", data_dir=tmp_path)
    np.testing.assert_allclose(task.x_train, x_tr.reshape(12, -1) / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(task.y_test, y_te)
    assert task.image_shape == (28, 28)


def test_idx_rejects_wrong_magic_and_truncation(tmp_path, rng):
    good = tmp_path / "x-idx3-ubyte"
    _write_idx(good, rng.integers(0, 256, (3, 4, 4), dtype=np.uint8))
    assert read_idx(good).shape == (3, 4, 4)
    truncated = tmp_path / "t"
    truncated.write_bytes(good.read_bytes()[:-5])
    with pytest.raises(DataError, match="truncated"):
        read_idx(truncated)
    wrong = tmp_path / "w"
    wrong.write_bytes(b"\x12\x34" + good.read_bytes()[2:])
    with pytest.raises(DataError, match="magic"):
        read_idx(wrong)
    with pytest.raises(DataError, match="data_dir"):
        load_task("mnist")


@pytest.mark.parametrize(
    "mutate, match",
    [
        (lambda a: a.update(x_train=a["x_train"] + 0.6), "x_train has values"),
        (lambda a: a["x_test"].__setitem__((0, 0), np.nan), "x_test contains NaN"),
        (lambda a: a.update(y_train=a["y_train"][:-1]), "y_train has 9 labels for 10"),
        (lambda a: a.update(y_train=a["y_train"] + 0.5), "must be integers"),
        (lambda a: a.update(y_test=np.full((4, 2), 0.5)), "y_test is 2-D but not binary"),
        (lambda a: a.update(x_test=a["x_test"][:, :3]), "x_test has 3 inputs"),
        (lambda a: a.update(x_train=np.zeros((0, 5))), "x_train is empty"),
        (lambda a: a.update(y_train=-a["y_train"] - 1), "negative labels"),
    ],
)
def test_from_arrays_errors_name_the_array(mutate, match):
    arrays = dict(
        x_train=np.full((10, 5), 0.5),
        y_train=np.arange(10) % 2,
        x_test=np.full((4, 5), 0.5),
        y_test=np.array([0, 1, 0, 1]),
    )
    mutate(arrays)
    with pytest.raises(DataError, match=match) as info:
        Task.from_arrays(**arrays)
    assert "\n" not in str(info.value)


def test_from_arrays_multilabel_and_unknown_task():
    y = np.array([[1, 0], [0, 1], [1, 1]])
    t = Task.from_arrays(np.zeros((3, 4)), y, np.zeros((3, 4)), y, name="mine")
    assert t.kind == "multilabel" and t.n_outputs == 2 and t.factors_test.shape == (3, 2)
    with pytest.raises(DataError, match="did you mean 'digits'"):
        load_task("digit")
