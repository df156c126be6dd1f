"""Memory for the simulation kernel: zeroed float32 arrays whose pages are faulted in up front,
by all threads, so that the parallel kernel does not take the faults of fresh memory."""

from __future__ import annotations

import numpy as np
from numba import njit, prange

PREFAULT_MIN = 1 << 18  # float32 elements (1 MiB): smaller arrays are not worth waking the threads for


def prefaulted_zeros(shape: tuple[int, ...]) -> np.ndarray:
    """``np.zeros(shape, float32)`` with its pages touched now, by all threads, in blocks of 256 KiB.

    A fresh array's pages are faulted in on first touch; taken inside the parallel simulation
    kernel, those faults cost 0.16 ms per recorded sample (batch 256, 35 bins of 400 units),
    against 0.01-0.05 ms here.
    """
    if np.prod(shape) < PREFAULT_MIN:
        return np.zeros(shape, np.float32)
    return _zeros_touched(shape)


@njit(cache=True, parallel=True)
def zero_fill(flat):  # pragma: no cover - compiled
    """Set a 1-D float32 array to 0, the threads taking blocks of 256 KiB."""
    n = flat.shape[0]
    block = 1 << 16
    for c in prange((n + block - 1) // block):
        flat[c * block : min(n, (c + 1) * block)] = 0.0


@njit(cache=True)
def _zeros_touched(shape):  # pragma: no cover - compiled
    out = np.empty(shape, np.float32)  # (numba's allocator: numpy's asks for huge pages, slower here)
    zero_fill(out.reshape(-1))
    return out
