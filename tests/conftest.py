import gc
import importlib
import json
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


def pytest_collection_finish(session):
    """In a process that runs tests (an xdist worker, or pytest without ``-n``), once the test files
    are imported: import the libraries the tests use, then move every object alive into the garbage
    collector's permanent generation (``gc.freeze``). A full collection, which Python runs as the
    heap grows and Brian2 runs before every ``Network.run``, then scans only what the tests made, not
    the ~400,000 objects of torch, scikit-learn, numba and Brian2 (0.2-0.5 s per collection in a test
    worker; about a minute of a full run's worker time, docs/performance.md). Only reference cycles
    among the frozen objects are never freed: module-level objects, alive to the end anyway."""
    config = session.config
    if config.getoption("numprocesses", None) and not hasattr(config, "workerinput"):
        return  # the xdist controller: it runs no test
    brian2 = "not brian2" not in (config.option.markexpr or "")  # `make test-fast` runs no Brian2 test
    for name in ("torch", "numba", "scipy.stats", "sklearn.linear_model", *(["brian2"] if brian2 else [])):
        importlib.import_module(name)
    gc.freeze()


def pytest_collection_modifyitems(config, items):
    """Mark every parametrised case that runs a Brian2 engine (its id names it, e.g. ``brian2-numpy``)
    as ``brian2``, so that ``make test-fast`` skips Brian2's code generation without the test
    files listing each case twice. Then order the files longest first (:func:`file_seconds`): with
    ``--dist loadfile --no-loadscope-reorder`` pytest-xdist hands them out in this order, so no
    worker starts a two-minute file while the other is finishing."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is not None and "brian2" in callspec.id:
            item.add_marker(pytest.mark.brian2)
    seconds = file_seconds(config)
    items.sort(key=lambda item: -seconds.get(item.nodeid.split("::")[0], 0.0))  # stable within a file


DURATIONS = os.path.join(os.path.dirname(__file__), "durations.json")
CACHE_KEY = "scrutable/file_seconds"


def file_seconds(config) -> dict:
    """Seconds per test file: the last full run's (pytest's cache), else the committed
    ``tests/durations.json`` (a fresh clone); every worker reads the same, so all collect alike."""
    cache = getattr(config, "cache", None)
    cached = cache.get(CACHE_KEY, None) if cache is not None else None
    if cached:
        return cached
    try:
        with open(DURATIONS) as f:
            return json.load(f)
    except (OSError, ValueError):
        return {}


_seconds: dict = {}


def pytest_runtest_logreport(report):
    """Sum each file's setup, call and teardown times (on the controller: reports from every worker)."""
    path = report.nodeid.split("::")[0]
    _seconds[path] = _seconds.get(path, 0.0) + report.duration


def pytest_sessionfinish(session, exitstatus):
    """Keep the file times of a passing run for the next run's order (on the controller, and only of
    whole files: not after ``-m``, ``-k`` or a test's node id)."""
    config = session.config
    if hasattr(config, "workerinput") or getattr(config, "cache", None) is None or not _seconds:
        return
    partial = config.option.markexpr or config.option.keyword or any("::" in a for a in config.args)
    if exitstatus == 0 and not partial:
        merged = {**file_seconds(config), **{k: round(v, 1) for k, v in _seconds.items()}}
        config.cache.set(CACHE_KEY, dict(sorted(merged.items())))


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


@pytest.fixture(scope="session")
def standalone_cache(request, tmp_path_factory):
    """``$SCRUTABLE_CACHE`` for the tests that build Brian2 cpp_standalone projects and check where
    they go: kept between test sessions in pytest's cache (``.pytest_cache/``), so that a project is
    rebuilt only where its generated code changed (Brian2 rewrites changed files only); a fresh
    clone compiles each once (about half a minute each on 2 cores)."""
    cache = getattr(request.config, "cache", None)
    return cache.mkdir("scrutable-cache") if cache is not None else tmp_path_factory.mktemp("scrutable-cache")


@pytest.fixture
def rng():
    return np.random.default_rng(12345)
