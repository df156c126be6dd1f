import os

# Two cores: keep BLAS/torch from oversubscribing when pytest runs several heavy tests.
os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np
import pytest


def pytest_collection_modifyitems(config, items):
    """Mark every parametrised case that runs a Brian2 engine (its id names it, e.g. ``brian2-numpy``)
    as ``brian2``, so that ``make test-fast`` skips Brian2's code generation without the test
    files listing each case twice."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "brian2" in callspec.id:
            item.add_marker(pytest.mark.brian2)


@pytest.fixture(scope="session")
def digits():
    from comparisons.tasks import load_task

    return load_task("digits", seed=0)


@pytest.fixture(scope="session")
def bars():
    from comparisons.tasks import load_task

    # training and test images drawn independently (the pre-disjoint default): the networks'
    # bars tests were calibrated on it; tests/test_tasks.py covers the disjoint default
    return load_task("bars", seed=0, n_train=1000, n_test=300, disjoint=False)


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
