"""The synchronous matrix network (SGD MLP or Hebbian winner-take-all)."""

from typing import TYPE_CHECKING

from .config import DenseConfig

if TYPE_CHECKING:  # for type checkers and the API reference (mkdocstrings)
    from .network import DenseNetwork

__all__ = ["DenseConfig", "DenseNetwork"]


def __getattr__(name):
    # DenseNetwork imports torch (~2 s): loaded on first use, so that reading a config (a study's
    # client, `study show`) does not import it.
    if name == "DenseNetwork":
        from .network import DenseNetwork

        return DenseNetwork
    raise AttributeError(f"module 'dense' has no attribute {name!r}")
