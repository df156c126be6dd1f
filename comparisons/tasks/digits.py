"""scikit-learn's 8x8 handwritten digits."""

from __future__ import annotations

import numpy as np

from probes.support import DataError

from .task import Task


def load_digits_task(
    *, seed: int = 0, test_fraction: float = 0.25, n_train: int | None = None, n_test: int | None = None
) -> Task:
    """scikit-learn's 1,797 real 8x8 handwritten digits, pixel/16, stratified split by ``seed``.

    ``n_train``/``n_test`` (None = all of the split) keep a stratified subset of that many of the
    training/test images, drawn by ``seed``: a quick run on less data, still balanced by class."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    if not 0 < test_fraction < 1:
        raise DataError(f"test_fraction={test_fraction!r} must be in (0, 1)")
    data = load_digits()
    x = (data.data / 16.0).astype(np.float32)
    x_tr, x_te, y_tr, y_te = train_test_split(
        x, data.target, test_size=test_fraction, stratify=data.target, random_state=seed
    )
    x_tr, y_tr = _subset(x_tr, y_tr, n_train, "n_train", seed)
    x_te, y_te = _subset(x_te, y_te, n_test, "n_test", seed)
    return Task.from_arrays(
        x_tr,
        y_tr,
        x_te,
        y_te,
        name="digits",
        image_shape=(8, 8),
        class_names=[str(c) for c in range(10)],
        description="scikit-learn 8x8 handwritten digits (UCI), stratified split"
        + (f", subsets of {len(y_tr)}/{len(y_te)}" if n_train or n_test else ""),
    )


def _subset(x: np.ndarray, y: np.ndarray, n: int | None, key: str, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """A stratified subset of ``n`` of ``(x, y)`` drawn by ``seed``; all of them for None or n = len(y)."""
    from sklearn.model_selection import train_test_split

    if n is None or n == len(y):
        return x, y
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 10 <= n <= len(y):
        raise DataError(
            f"digits {key}={n!r} must be an integer from 10 (one per digit) to {len(y)} (the split's size), or None"
        )
    x_sub, _, y_sub, _ = train_test_split(x, y, train_size=int(n), stratify=y, random_state=seed)
    return x_sub, y_sub
