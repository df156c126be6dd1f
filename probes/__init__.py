"""Measurements that see only the :class:`~probes.interface.Probeable` interface.

``MEASUREMENTS`` (name -> ``measure(model, task, **options) -> ProbeResult``) is loaded
lazily so that importing the interface stays cheap.
"""

from __future__ import annotations

from .interface import (  # noqa: F401
    Ablate, Clamp, ConfigError, DataError, InterventionError, Patch, Probeable, Recording, ScrutableError,
    SpikeEvents, Steer,
)


def __getattr__(name):
    if name in {"MEASUREMENTS", "ProbeResult", "measure_all"}:
        from . import registry

        return getattr(registry, name)
    raise AttributeError(f"module 'probes' has no attribute {name!r}")
