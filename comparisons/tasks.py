"""Tasks: the data both networks learn and every measurement is scored on.

A :class:`Task` holds ``x_train, y_train, x_test, y_test`` (float32 inputs in [0, 1],
``[n, n_inputs]``), ``kind`` ("multiclass": integer labels ``[n]``; "multilabel":
binary labels ``[n, n_labels]``), ``image_shape`` when inputs are images, and
``factors_test``: the binary ground-truth generative factors of each test input
``[n_test, n_factors]`` used to score feature recovery.
"""

from __future__ import annotations

import gzip
import os
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from probes.support import DataError, check_inputs, check_labels


@dataclass(frozen=True, eq=False)
class Task:
    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    kind: str = "multiclass"
    image_shape: tuple[int, int] | None = None
    factors_test: np.ndarray | None = None
    factor_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()
    description: str = field(default="", compare=False)

    @classmethod
    def from_arrays(
        cls,
        x_train,
        y_train,
        x_test,
        y_test,
        *,
        name: str = "custom",
        image_shape=None,
        factors_test=None,
        factor_names=None,
        class_names=None,
        description: str = "",
    ) -> Task:
        """Build a task from user arrays, checking everything.

        Inputs must be finite and in [0, 1]. Labels are either integers ``[n]`` (multiclass,
        values 0..C-1) or a binary matrix ``[n, n_labels]`` (multilabel). ``factors_test``
        defaults to the one-hot test labels (multiclass) or the test labels (multilabel).
        """
        if not isinstance(name, str) or not name:
            raise DataError(f"task name={name!r} must be a non-empty string")
        x_train = check_inputs(x_train, name="x_train")
        x_test = check_inputs(x_test, x_train.shape[1], name="x_test")
        y_train, kind, n_out = check_labels(y_train, len(x_train), "y_train")
        y_test, kind_test, n_out_test = check_labels(y_test, len(x_test), "y_test")
        if kind != kind_test:
            raise DataError(f"y_train is {kind} but y_test is {kind_test}: give labels of the same kind")
        if kind == "multilabel" and n_out != n_out_test:
            raise DataError(f"y_train has {n_out} labels per sample but y_test {n_out_test}: use the same label set")
        if kind == "multiclass":
            n_out = max(n_out, n_out_test)
            missing = sorted(set(range(n_out)) - set(np.unique(y_train).tolist()))
            if missing:
                raise DataError(f"y_train has no example of classes {missing}: every class needs training examples")
        if image_shape is not None:
            image_shape = tuple(int(s) for s in image_shape)
            if len(image_shape) != 2 or image_shape[0] * image_shape[1] != x_train.shape[1]:
                raise DataError(
                    f"image_shape={image_shape} does not match {x_train.shape[1]} inputs: give (height, width) with "
                    "height * width == n_inputs"
                )
        if factors_test is None:
            factors_test = (
                np.eye(n_out, dtype=np.float32)[y_test] if kind == "multiclass" else y_test.astype(np.float32)
            )
        else:
            factors_test = np.asarray(factors_test)
            if factors_test.ndim != 2 or len(factors_test) != len(x_test):
                raise DataError(
                    f"factors_test has shape {factors_test.shape}: expected [n_test={len(x_test)}, n_factors]"
                )
            if not np.isin(factors_test, (0, 1)).all():
                raise DataError("factors_test must be binary (0/1): one column per ground-truth factor")
            factors_test = factors_test.astype(np.float32)
        n_factors = factors_test.shape[1]
        factor_names = (
            tuple(factor_names)
            if factor_names is not None
            else tuple(
                (class_names[i] if class_names is not None and kind == "multiclass" else f"factor {i}")
                for i in range(n_factors)
            )
        )
        if len(factor_names) != n_factors:
            raise DataError(f"factor_names has {len(factor_names)} names for {n_factors} factors: give one per factor")
        class_names = tuple(class_names) if class_names is not None else tuple(str(i) for i in range(n_out))
        if len(class_names) != n_out:
            raise DataError(f"class_names has {len(class_names)} names for {n_out} outputs: give one per output")
        return cls(
            name,
            x_train,
            y_train,
            x_test,
            y_test,
            kind,
            image_shape,
            factors_test,
            factor_names,
            tuple(map(str, class_names)),
            description,
        )

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of classes (multiclass) or labels (multilabel)."""
        return len(self.class_names)

    @property
    def n_factors(self) -> int:
        return self.factors_test.shape[1]

    def summary(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "n_train": len(self.x_train),
            "n_test": len(self.x_test),
            "n_inputs": self.n_inputs,
            "n_outputs": self.n_outputs,
            "n_factors": self.n_factors,
            "image_shape": list(self.image_shape) if self.image_shape else None,
        }


# --- digits ------------------------------------------------------------------------------
def load_digits_task(*, seed: int = 0, test_fraction: float = 0.25) -> Task:
    """scikit-learn's 1,797 real 8x8 handwritten digits, pixel/16, stratified split by ``seed``."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise DataError(f"test_fraction={test_fraction!r} must be in (0, 1)")
    data = load_digits()
    x = (data.data / 16.0).astype(np.float32)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, data.target, test_size=test_fraction, stratify=data.target, random_state=seed
    )
    return Task.from_arrays(
        x_tr,
        y_tr,
        x_te,
        y_te,
        name="digits",
        image_shape=(8, 8),
        class_names=[str(c) for c in range(10)],
        description="scikit-learn 8x8 handwritten digits (UCI), stratified split",
    )


# --- bars ----------------------------------------------------------------------------------
def bar_images(k: int) -> np.ndarray:
    """``[2k, k*k]`` the image of each bar alone: rows 0..k-1 horizontal, k..2k-1 vertical."""
    bars = np.zeros((2 * k, k, k), np.float32)
    for i in range(k):
        bars[i, i, :] = 1.0
        bars[k + i, :, i] = 1.0
    return bars.reshape(2 * k, k * k)


def make_bars(n: int, *, k: int = 8, p: float = 1 / 8, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Foldiak's bars: ``n`` images ``[n, k*k]`` (the OR of their bars) and factors ``[n, 2k]``."""
    rng = np.random.default_rng(seed)
    factors = (rng.random((n, 2 * k)) < p).astype(np.int64)
    images = np.minimum(factors @ bar_images(k), 1.0).astype(np.float32)
    return images, factors


def load_bars_task(*, k: int = 8, p: float = 1 / 8, n_train: int = 2000, n_test: int = 500, seed: int = 0) -> Task:
    """Foldiak's bars, ``k x k``: each of the ``2k`` bars present independently with probability ``p``.

    Labels and factors are the bars present (multilabel), exact by construction.
    """
    for key, v in (("k", k), ("n_train", n_train), ("n_test", n_test)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0:
            raise DataError(f"bars {key}={v!r} must be a positive integer")
    if not 0 <= p <= 1:
        raise DataError(f"bars p={p!r} must be a probability in [0, 1]")
    ss = np.random.SeedSequence(seed)
    s_train, s_test = (int(s.generate_state(1)[0]) for s in ss.spawn(2))
    x_tr, y_tr = make_bars(n_train, k=k, p=p, seed=s_train)
    x_te, y_te = make_bars(n_test, k=k, p=p, seed=s_test)
    names = [f"row {i}" for i in range(k)] + [f"col {i}" for i in range(k)]
    return Task.from_arrays(
        x_tr,
        y_tr,
        x_te,
        y_te,
        name="bars",
        image_shape=(k, k),
        factor_names=names,
        class_names=names,
        description=f"Foldiak's bars {k}x{k}, p={p:g}",
    )


# --- MNIST (IDX files) ---------------------------------------------------------------------
_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read an IDX file (raw or ``.gz``): checks the magic number and that the size matches the header."""
    path = Path(path)
    opener: Callable = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except FileNotFoundError:
        raise DataError(f"IDX file {str(path)!r} does not exist: check --data-dir") from None
    except (OSError, EOFError) as exc:
        raise DataError(f"IDX file {str(path)!r} cannot be read ({exc}): download it again") from None
    if len(data) < 4 or data[0] != 0 or data[1] != 0 or data[2] not in _IDX_TYPES or data[3] == 0:
        raise DataError(
            f"{str(path)!r} is not an IDX file (bad magic number {data[:4].hex()}): give the MNIST IDX files"
        )
    ndim = data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise DataError(f"IDX file {str(path)!r} is truncated in its header: download it again")
    shape = struct.unpack(f">{ndim}I", data[4:header])
    dtype = np.dtype(_IDX_TYPES[data[2]])
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(data) - header != expected:
        raise DataError(
            f"IDX file {str(path)!r} holds {len(data) - header} data bytes but its header {shape} needs {expected}: "
            "the file is truncated or corrupt, download it again"
        )
    return np.frombuffer(data, dtype=dtype, offset=header).reshape(shape)


def _find(data_dir: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (data_dir / name).exists():
            return data_dir / name
    raise DataError(f"MNIST file {stem}[.gz] not found in data_dir={str(data_dir)!r}: put the four IDX files there")


def load_mnist_task(
    *, data_dir: str | os.PathLike | None = None, n_train: int | None = None, n_test: int | None = None
) -> Task:
    """MNIST from the four standard IDX files in ``data_dir`` (raw or gzip); pixel/255.

    ``n_train``/``n_test`` keep the first n samples (the files' own order).
    """
    if data_dir is None:
        raise DataError("the mnist task needs data_dir: pass --data-dir DIR holding the MNIST IDX files")
    d = Path(data_dir)
    if not d.is_dir():
        raise DataError(f"data_dir={str(d)!r} is not a directory: give the folder holding the MNIST IDX files")
    arrays = {}
    for split, prefix in (("train", "train"), ("test", "t10k")):
        images = read_idx(_find(d, f"{prefix}-images-idx3-ubyte"))
        labels = read_idx(_find(d, f"{prefix}-labels-idx1-ubyte"))
        if images.ndim != 3 or labels.ndim != 1 or len(images) != len(labels):
            raise DataError(
                f"MNIST {split} files disagree: images {images.shape}, labels {labels.shape}; "
                "expected [n, h, w] and [n]"
            )
        arrays[split] = (images, labels)
    (xi, yi), (xt, yt) = arrays["train"], arrays["test"]
    xi, yi = xi[:n_train], yi[:n_train]
    xt, yt = xt[:n_test], yt[:n_test]
    shape = xi.shape[1:]
    to_float = lambda a: a.reshape(len(a), -1).astype(np.float32) / 255.0  # noqa: E731
    return Task.from_arrays(
        to_float(xi),
        yi.astype(np.int64),
        to_float(xt),
        yt.astype(np.int64),
        name="mnist",
        image_shape=shape,
        class_names=[str(c) for c in range(int(yi.max()) + 1)],
        description=f"MNIST from {d}",
    )


TASKS: dict[str, Callable[..., Task]] = {"digits": load_digits_task, "bars": load_bars_task, "mnist": load_mnist_task}


def load_task(name: str, *, seed: int = 0, **kwargs) -> Task:
    """``load_task("digits" | "bars" | "mnist", *, seed=0, **kw)``."""
    if name not in TASKS:
        import difflib

        close = difflib.get_close_matches(str(name), TASKS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DataError(f"task={name!r} is unknown{hint}: choose one of {', '.join(TASKS)}")
    loader = TASKS[name]
    if name == "mnist":
        return loader(**kwargs)
    try:
        return loader(seed=seed, **kwargs)
    except TypeError as exc:
        raise DataError(f"task {name!r}: {exc}; see `scrutable tasks` for its options") from None
