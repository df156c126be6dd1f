"""The asynchronous spiking network: Diehl & Cook (2015) STDP, torch/numba and Brian2 backends."""

from .config import SNNConfig
from .network import SpikingNetwork

__all__ = ["SNNConfig", "SpikingNetwork"]
