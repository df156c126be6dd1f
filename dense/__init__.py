"""The synchronous matrix network (SGD MLP or Hebbian winner-take-all)."""

from .config import DenseConfig
from .network import DenseNetwork

__all__ = ["DenseConfig", "DenseNetwork"]
