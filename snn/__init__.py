"""The asynchronous spiking network: Diehl & Cook (2015) STDP, with torch/numba and Brian2 backends.

``SpikingNetwork(SNNConfig(...), seed=0).fit(x, y)``; see :mod:`snn.network`. Engines:
``numba`` (fused CPU event kernel), ``eager`` (pure torch step functions, :mod:`snn.dynamics`,
any device) and ``brian2`` (:mod:`snn.brian2_backend`, the reference). The same config and the
same input events give the same spikes on all three (``tests/test_cross_backend.py``).

The model, its parameters, the engines and what it took to match Brian2 spike for spike are
in docs/spiking-network.md.
"""

from typing import TYPE_CHECKING

from .config import SNNConfig

if TYPE_CHECKING:  # for type checkers and the API reference (mkdocstrings)
    from .network import SpikingNetwork

__all__ = ["SNNConfig", "SpikingNetwork"]


def __getattr__(name):
    # SpikingNetwork imports numba and the kernel: loaded on first use, so that reading a config
    # (a study's client, `study show`) does not import them.
    if name == "SpikingNetwork":
        from .network import SpikingNetwork

        return SpikingNetwork
    raise AttributeError(f"module 'snn' has no attribute {name!r}")
