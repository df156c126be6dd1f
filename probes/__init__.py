"""Measurements that see only the :class:`~probes.interface.Probeable` interface.

``MEASUREMENTS`` (name -> ``measure(model, task, **options) -> ProbeResult``) is loaded
lazily so that importing the interface stays cheap. ``AsSpikes`` (:mod:`probes.format`) is the
format control; :mod:`probes.uncertainty` gives every score its null, noise ceiling and verdict.
"""

from __future__ import annotations

from .format import AsSpikes  # noqa: F401
from .interface import Ablate, Clamp, Patch, Probeable, Recording, Retime, SpikeEvents, Steer  # noqa: F401
from .support import ConfigError, DataError, InterventionError, ScrutableError  # noqa: F401


def __getattr__(name):
    if name in {"MEASUREMENTS", "ProbeResult", "measure_all"}:
        from . import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'probes' has no attribute {name!r}")
