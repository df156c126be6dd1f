"""scikit-learn's 8x8 handwritten digits."""

from __future__ import annotations

import numpy as np

from probes.support import DataError

from .task import Task


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
