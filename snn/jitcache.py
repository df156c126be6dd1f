"""Keys for numba's on-disk cache of jitted functions that inline helpers from other modules.

Numba keys a cached function on its own source file and bytecode only: an edit to an
``inline="always"`` helper in another module would leave the cached machine code of its callers
stale (they would go on running the old helper). Numba hashes a function's closure values into
the key, so a caller built in a factory that holds :func:`source_stamp` of the helpers' modules
(and names it in its body) is compiled again whenever those modules change. A closure value must
pickle the same in every process (a string does; a jitted function does not), or every fresh
process compiles the caller again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import ModuleType


def source_stamp(*modules: ModuleType) -> str:
    """sha256 (hex) of the source files of ``modules``, in the order given."""
    h = hashlib.sha256()
    for m in modules:
        h.update(Path(m.__file__).read_bytes())
    return h.hexdigest()


def _inputs():
    import numpy as np

    from .config import SNNConfig

    rng = np.random.default_rng(0)
    x, y = rng.random((40, 16)), np.arange(40) % 2
    return rng, x, y, SNNConfig(n_neurons=4, presentation_ms=60.0, rest_ms=20.0)


def _training_kernels() -> None:
    """The float64 plastic kernel, Poisson generation, count-keeping jitter and delays, bucketing."""
    from .network import SpikingNetwork

    _, x, y, cfg = _inputs()
    net = SpikingNetwork(cfg, seed=0).fit(x[:2], y[:2])
    SpikingNetwork(cfg.replace(jitter_ms=1.0, delay_ms=2.0), seed=0).fit(x[:2], y[:2]).record(x)
    for n in (2, 40):  # one sample runs serially, a batch in parallel
        net.record(x[:n])


def _recording_kernels() -> None:
    """The float32 recording kernel, a latency code on a Poisson background, the surrogate-gradient
    kernels, bucketing."""
    from .network import SpikingNetwork

    rng, x, y, cfg = _inputs()
    net = SpikingNetwork.from_weights(rng.random((16, 4)), config=cfg).fit_readout(x[:2], y[:2])
    latency = cfg.replace(encoding="latency", latency_background_hz=20.0)
    SpikingNetwork.from_weights(rng.random((16, 4)), config=latency).fit_readout(x[:2], y[:2]).record(x)
    surrogate = cfg.replace(learning="surrogate", surrogate_epochs=1, surrogate_batch_size=2)
    SpikingNetwork(surrogate, seed=0).fit(x[:4], y[:4])
    for n in (2, 40):
        net.record(x[:n])


# The two simulation kernels (float64 training, float32 recording) take about equal compile times.
_JOBS = (_training_kernels, _recording_kernels)


def _run(job: int) -> None:
    _JOBS[job]()


def warm(processes: int = 2) -> None:
    """Fill numba's on-disk cache with the kernels of a default fit and record (and of the
    latency code, jitter, delays and surrogate training), every kernel whatever ``processes``
    (at most 2 are used: one per simulation kernel). A warm cache loads in seconds. Without it
    each fresh process compiles what it meets, and test workers started together compile the
    same kernels side by side. Rare variants (e.g. the 32-bit ring offsets of very large
    networks) are compiled where they are met."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    if processes < 1:
        raise ValueError(f"processes={processes} must be at least 1")
    with ProcessPoolExecutor(min(processes, len(_JOBS)), mp_context=get_context("spawn")) as pool:
        list(pool.map(_run, range(len(_JOBS))))


def _stamp_file() -> Path:
    """Where :func:`warm_if_stale` keeps its stamp: beside numba's cache files of this package
    (``$NUMBA_CACHE_DIR`` if set, else ``snn/__pycache__``), so that clearing the cache clears it."""
    import os

    root = os.environ.get("NUMBA_CACHE_DIR")
    return (Path(root) if root else Path(__file__).parent / "__pycache__") / "scrutable-jitcache.stamp"


def _stamp() -> str:
    """What the warm cache was built from: this package's sources, numba's and Python's versions,
    the machine."""
    import importlib.metadata
    import platform
    import sys

    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    for part in (importlib.metadata.version("numba"), sys.version, platform.machine(), platform.processor()):
        h.update(part.encode() + b"\0")
    return h.hexdigest()


def warm_if_stale(processes: int = 2) -> bool:
    """:func:`warm`, unless it already ran for these sources, versions and machine (its stamp,
    written after it succeeds, matches): about 7 s saved per ``make test``. Returns whether it
    warmed. A cache emptied in part behind a matching stamp costs time, never results: numba
    compiles what it does not find."""
    path, want = _stamp_file(), _stamp()
    try:
        if path.read_text() == want:
            return False
    except OSError:
        pass
    from probes.support import atomic_write_text

    warm(processes)
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(path, want)
    return True


if __name__ == "__main__":
    warm_if_stale()
