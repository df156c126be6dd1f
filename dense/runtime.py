"""Where and how the dense network's torch work runs: the device check and one intra-op thread."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import torch

from probes.support import BackendError


def torch_device(device: str) -> torch.device:
    """The ``torch.device`` for ``DenseConfig.device``; a one-line :class:`BackendError` if this torch cannot use it."""
    if device.startswith("cuda"):
        if not torch.cuda.is_available():
            raise BackendError(
                f"dense.device={device!r} is not available: this torch ({torch.__version__}) has no usable CUDA; "
                "use device='cpu' or install a CUDA build of torch"
            )
        index = torch.device(device).index
        if index is not None and index >= torch.cuda.device_count():
            raise BackendError(
                f"dense.device={device!r} is not available: this machine has {torch.cuda.device_count()} CUDA "
                f"device(s); use 'cuda:0'..'cuda:{torch.cuda.device_count() - 1}'"
            )
    if device == "mps" and not torch.backends.mps.is_available():
        raise BackendError("dense.device='mps' is not available on this machine: use device='cpu'")
    return torch.device(device)


@contextmanager
def one_intra_op_thread() -> Iterator[None]:
    """Run the block with ``torch.set_num_threads(1)`` and restore the caller's setting afterwards.

    Why: MKL's float32 matrix product (``torch.mm``/``addmm``, used by every ``nn.Linear`` and
    by ``x @ w``) splits some shapes differently on 1 and on 2 threads on its AVX2 code path
    (the path it takes on AMD EPYC; on Intel ``MKL_ENABLE_INSTRUCTIONS=AVX2`` forces it), which
    changes the float32 rounding. On one thread every sum runs in one fixed order, so fit and
    record give the same bits whatever thread count the user set (docs/reliability-determinism.md).

    torch keeps the setting per calling thread (OpenMP) and as the default for threads it
    starts later; the caller's value is restored on exit, also when the block raises.
    """
    saved = torch.get_num_threads()
    if saved != 1:
        torch.set_num_threads(1)
    try:
        yield
    finally:
        if saved != 1:
            torch.set_num_threads(saved)
