"""The probing interface: everything a network implements and a measurement may see.

``snn`` and ``dense`` import this module only (DESIGN.md's import table), so it also
re-exports the errors, the config base class and the atomic-write helpers they need.
"""

from __future__ import annotations

from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from .atomic import atomic_open, atomic_write_bytes, atomic_write_text
from .errors import BackendError, ConfigError, DataError, InterventionError, ScrutableError
from .interventions import Ablate, Clamp, Intervention, Patch, Steer, check_interventions
from .recording import Recording, SpikeEvents
from .validation import Config, require, require_nonnegative, require_positive, require_probability


@runtime_checkable
class Probeable(Protocol):
    """A network that measurements can probe.

    name: short model name ("snn", "dense", ...).
    sites(): site -> number of units, e.g. ``{"hidden": 400}``.
    record(x, *, sites=None, interventions=(), bin_ms=None): run the network on
        ``x`` ``[n_samples, n_inputs]`` and return a :class:`Recording` of the named
        sites (all when None) under the given interventions.
    weights(): named weight matrices, e.g. ``{"input->hidden": [n_in, n_units]}``.
    """

    name: str

    def sites(self) -> dict[str, int]: ...

    def record(
        self, x: np.ndarray, *, sites: Sequence[str] | None = None, interventions: Sequence[Intervention] = (),
        bin_ms: float | None = None,
    ) -> Recording: ...

    def weights(self) -> dict[str, np.ndarray]: ...


def check_inputs(x, n_inputs: int | None = None, *, name: str = "x") -> np.ndarray:
    """Validate network inputs: a finite ``[n_samples, n_inputs]`` array with values in [0, 1].

    Returns a float32 C-contiguous copy. Raises :class:`DataError` naming ``name``.
    """
    try:
        arr = np.asarray(x, dtype=np.float32)
    except (TypeError, ValueError):
        raise DataError(f"{name} cannot be read as a numeric array: give a [n_samples, n_inputs] float array") from None
    if arr.ndim == 1 and n_inputs is not None and arr.shape[0] == n_inputs:
        arr = arr[None, :]
    if arr.ndim != 2:
        raise DataError(f"{name} has shape {arr.shape}: expected [n_samples, n_inputs]")
    if arr.shape[0] == 0:
        raise DataError(f"{name} is empty: give at least one sample")
    if n_inputs is not None and arr.shape[1] != n_inputs:
        raise DataError(f"{name} has {arr.shape[1]} inputs per sample but the model was built for {n_inputs}: "
                        "use data of the task the model was trained on")
    if not np.isfinite(arr).all():
        raise DataError(f"{name} contains NaN or inf: clean or impute the data first")
    if arr.min() < 0 or arr.max() > 1:
        raise DataError(f"{name} has values in [{arr.min():g}, {arr.max():g}]: scale inputs into [0, 1]")
    return np.ascontiguousarray(arr)


__all__ = [
    "Ablate", "BackendError", "Clamp", "Config", "ConfigError", "DataError", "Intervention", "InterventionError",
    "Patch", "Probeable", "Recording", "ScrutableError", "SpikeEvents", "Steer", "atomic_open",
    "atomic_write_bytes", "atomic_write_text", "check_inputs", "check_interventions", "require",
    "require_nonnegative", "require_positive", "require_probability",
]
