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


def test_digits_subsets_are_stratified_draws_from_the_same_split(digits):
    from comparisons.config import TaskConfig

    sub = load_task("digits", seed=0, n_train=200, n_test=50)
    assert sub.x_train.shape == (200, 64) and sub.x_test.shape == (50, 64)
    # every kept image, with its label, is one of the full split's (no test image leaks into training)
    full_tr = {tuple(r): y for r, y in zip(digits.x_train, digits.y_train)}
    full_te = {tuple(r): y for r, y in zip(digits.x_test, digits.y_test)}
    assert all(full_tr.get(tuple(r)) == y for r, y in zip(sub.x_train, sub.y_train))
    assert all(full_te.get(tuple(r)) == y for r, y in zip(sub.x_test, sub.y_test))
    # stratified: 20 of each digit in training, 5 in test (the split is balanced to within one)
    assert np.all(np.abs(np.bincount(sub.y_train, minlength=10) - 20) <= 1)
    assert np.all(np.abs(np.bincount(sub.y_test, minlength=10) - 5) <= 1)
    again = load_task("digits", seed=0, n_train=200, n_test=50)
    np.testing.assert_array_equal(sub.x_train, again.x_train)
    assert not np.array_equal(sub.x_train, load_task("digits", seed=1, n_train=200).x_train)
    # the config's 0 means the whole split; its sizes reach the loader
    assert len(TaskConfig(n_train=0).load(0).y_train) == 1347
    assert len(TaskConfig(n_train=100, n_test=30).load(0).y_test) == 30
    for bad in (9, 1348, 2.5, True):
        with pytest.raises(DataError, match=r"digits n_train=.* must be an integer from 10"):
            load_task("digits", n_train=bad)


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
    assert bar_images(4).sum() == 2 * 4 * 4


def _keys(x):
    return {row.tobytes() for row in (x > 0.5)}


@pytest.mark.parametrize("seed", [0, 1])
def test_bars_test_images_never_occur_in_training(seed):
    new = load_task("bars", seed=seed)
    old = load_task("bars", seed=seed, disjoint=False)
    assert not _keys(new.x_test) & _keys(new.x_train)
    assert len(new.x_train) == 2000 and len(new.x_test) == 500
    # the old behaviour: the same test set, most of whose images also occur in training
    np.testing.assert_array_equal(new.x_test, old.x_test)
    np.testing.assert_array_equal(new.factors_test, old.factors_test)
    shared = np.mean([row.tobytes() in _keys(old.x_train) for row in old.x_test > 0.5])
    assert shared > 0.5, shared
    # the training images are still bars images: the OR of their factors' bars
    np.testing.assert_array_equal(new.x_train, np.minimum(new.y_train @ bar_images(8), 1))


@pytest.mark.parametrize("disjoint", [True, False])
def test_bars_test_factors_are_bernoulli_p(disjoint):
    """Each bar of a test image is Bernoulli(p), independently of the others (3-sigma bounds)."""
    p = 1 / 8
    t = load_task("bars", seed=3, n_test=2000, disjoint=disjoint)
    f = t.factors_test
    sd = np.sqrt(p * (1 - p) / len(f))
    assert np.all(np.abs(f.mean(0) - p) < 4 * sd), f.mean(0)  # each bar (16 tests, 4 sigma)
    assert abs(f.mean() - p) < 3 * sd / np.sqrt(f.shape[1])  # all bars together
    # independence: the number of bars per image is Binomial(16, p)
    from scipy.stats import binom, chisquare

    observed = np.bincount(f.sum(1).astype(int), minlength=17)[:6]
    expected = binom.pmf(np.arange(6), 16, p) * len(f)
    observed = np.append(observed, len(f) - observed.sum())
    expected = np.append(expected, len(f) - expected.sum())
    assert chisquare(observed, expected).pvalue > 0.001


def test_bars_disjoint_impossible_is_a_one_line_error():
    with pytest.raises(DataError, match="disjoint=False") as info:
        load_task("bars", k=1, n_train=10, n_test=50)  # 2 possible images, both in the test set
    assert "\n" not in str(info.value)
    assert len(load_task("bars", k=1, n_train=10, n_test=50, disjoint=False).x_train) == 10


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
    with pytest.raises(DataError, match="not a directory"):
        load_task("mnist", data_dir=tmp_path / "nowhere")


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


def test_repr_is_short_and_names_the_shapes(digits, bars):
    text = repr(digits)
    assert len(text) < 200 and "\n" not in text and "[[" not in text and "array" not in text
    for part in ("'digits'", "multiclass", "train=1347", "test=450", "n_inputs=64", "image_shape=8x8"):
        assert part in text, text
    assert "n_outputs=10" in text and "n_factors=10" in text and "no events" in text
    assert str(bars) == repr(bars) and "multilabel" in str(bars) and "n_factors=16" in str(bars)
    custom = Task.from_arrays(np.zeros((3, 5)), [0, 1, 0], np.zeros((2, 5)), [1, 0])
    assert repr(custom).startswith("Task('custom', multiclass, train=3, test=2, n_inputs=5, image_shape=None")


def test_task_without_events_and_unknown_option(digits):
    assert digits.events_train is None and digits.events_test is None and not digits.has_events
    assert digits.n_event_inputs is None and digits.summary()["events"] is False
    with pytest.raises(DataError, match="has no option 'sigma'.*sigma_ms"):
        load_task("patterns", sigma=3)


def test_own_factors_are_named_by_number_not_by_class():
    y = np.array([0, 1, 2, 0])
    factors = np.eye(4)[[0, 1, 2, 3]]
    t = Task.from_arrays(np.zeros((4, 3)), y, np.zeros((4, 3)), y, factors_test=factors, class_names=["a", "b", "c"])
    assert t.factor_names == ("factor 0", "factor 1", "factor 2", "factor 3") and t.class_names == ("a", "b", "c")
    t = Task.from_arrays(np.zeros((4, 3)), y, np.zeros((4, 3)), y, class_names=["a", "b", "c"])
    assert t.factor_names == ("a", "b", "c")
