"""The asynchronous spiking network: Diehl & Cook (2015) STDP, with torch/numba and Brian2 backends.

``SpikingNetwork(SNNConfig(...), seed=0).fit(x, y)``; see :mod:`snn.network`. Engines:
``numba`` (fused CPU event kernel), ``eager`` (pure torch step functions, :mod:`snn.dynamics`,
any device) and ``brian2`` (:mod:`snn.brian2_backend`, the reference). The same config and the
same input events give the same spikes on all three (``tests/test_cross_backend.py``).

The model, its parameters, the engines and what it took to match Brian2 spike for spike are
in docs/spiking-network.md.
"""

from .config import SNNConfig
from .network import SpikingNetwork

__all__ = ["SNNConfig", "SpikingNetwork"]
