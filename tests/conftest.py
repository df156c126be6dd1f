import os

# Two cores: keep BLAS/torch from oversubscribing when pytest runs several heavy tests.
os.environ.setdefault("OMP_NUM_THREADS", "2")

import numpy as np
import pytest


def pytest_configure(config):
    """Under pytest-xdist (one worker per core) each worker, and every process its tests start, runs
    BLAS, OpenMP and torch on one thread: threads waking for every small product made
    scikit-learn's fits up to 30x slower when two workers shared two cores (docs/performance.md).
    Tests of thread counts set their own."""
    if hasattr(config, "workerinput"):
        from threadpoolctl import threadpool_limits

        os.environ["OMP_NUM_THREADS"] = "1"  # libraries loaded later and child processes
        threadpool_limits(limits=1)  # the ones numpy and scipy have loaded already


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
