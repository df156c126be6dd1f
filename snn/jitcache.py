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


def _fit_and_record(seed: int) -> None:
    """Compile what training and recording run. Process 0: the float64 plastic kernel, Poisson
    generation, count-keeping jitter and delays; process 1: the float32 recording kernel, a latency
    code on a Poisson background, and the surrogate-gradient kernels. Both: event bucketing."""
    import numpy as np

    from .config import SNNConfig
    from .network import SpikingNetwork

    rng = np.random.default_rng(seed)
    x, y = rng.random((40, 16)), np.arange(40) % 2
    cfg = SNNConfig(n_neurons=4, presentation_ms=60.0, rest_ms=20.0)
    if seed == 0:  # training first: the float64 kernel
        net = SpikingNetwork(cfg, seed=0).fit(x[:2], y[:2])
        SpikingNetwork(cfg.replace(jitter_ms=1.0, delay_ms=2.0), seed=0).fit(x[:2], y[:2]).record(x)
    else:  # recording first: the float32 kernel, compiled meanwhile by the other process
        net = SpikingNetwork.from_weights(rng.random((16, 4)), config=cfg).fit_readout(x[:2], y[:2])
        latency = cfg.replace(encoding="latency", latency_background_hz=20.0)
        SpikingNetwork.from_weights(rng.random((16, 4)), config=latency).fit_readout(x[:2], y[:2]).record(x)
        surrogate = cfg.replace(learning="surrogate", surrogate_epochs=1, surrogate_batch_size=2)
        SpikingNetwork(surrogate, seed=0).fit(x[:4], y[:4])
    for n in (2, 40):  # one sample runs serially, a batch in parallel
        net.record(x[:n])


def warm(processes: int = 2) -> None:
    """Fill numba's on-disk cache with the kernels of a default fit and record (and of the
    latency code, jitter, delays and surrogate training, see :func:`_fit_and_record`), in
    ``processes`` processes at once: the two simulation kernels (float64 training, float32
    recording) take about equal compile times. A warm cache loads in seconds. Without it each
    fresh process compiles what it meets, and test workers started together compile the same
    kernels side by side. Rare variants (e.g. the 32-bit ring offsets of very large networks)
    are compiled where they are met."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    with ProcessPoolExecutor(processes, mp_context=get_context("spawn")) as pool:
        list(pool.map(_fit_and_record, range(processes)))


if __name__ == "__main__":
    warm()
