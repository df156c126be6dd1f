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
from .modelfile import load_arrays, save_arrays, split_prefix
from .readout import LabelAssignment, LogisticReadout, make_readout, readout_from_arrays, readout_to_arrays
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


def check_sites(sites, all_sites: dict[str, int]) -> list[str]:
    """The sites to record: all of ``all_sites`` when ``sites`` is None; an unknown name is a DataError."""
    chosen = list(all_sites) if sites is None else list(sites)
    for s in chosen:
        if s not in all_sites:
            raise DataError(f"site {s!r} is not a site of this model: sites are {sorted(all_sites)}")
    return chosen


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


def check_labels(y, n: int, name: str = "y") -> tuple[np.ndarray, str, int]:
    """Validate labels: integers ``[n]`` (multiclass) or binary ``[n, n_labels]`` (multilabel).

    Returns ``(labels as int64, kind, n_outputs)``; raises :class:`DataError` naming ``name``.
    """
    arr = np.asarray(y)
    if arr.ndim == 0:
        raise DataError(f"{name} is a single value: give one label per input")
    if len(arr) != n:
        raise DataError(f"{name} has {len(arr)} labels for {n} inputs: give one label per input")
    if arr.ndim == 1:
        if not (np.issubdtype(arr.dtype, np.integer) or (
                np.issubdtype(arr.dtype, np.floating) and np.isfinite(arr).all() and (arr == np.round(arr)).all())):
            raise DataError(f"{name} has dtype {arr.dtype}: multiclass labels must be integers 0..C-1")
        if arr.size and arr.min() < 0:
            raise DataError(f"{name} has negative labels ({int(arr.min())}): multiclass labels must be integers 0..C-1")
        arr = arr.astype(np.int64)
        return arr, "multiclass", int(arr.max(initial=-1)) + 1
    if arr.ndim == 2:
        if not np.isin(arr, (0, 1)).all():
            raise DataError(f"{name} is 2-D but not binary: multilabel labels must be 0/1 of shape [n, n_labels]")
        return arr.astype(np.int64), "multilabel", arr.shape[1]
    raise DataError(f"{name} has shape {arr.shape}: give integer labels [n] or binary labels [n, n_labels]")


__all__ = [
    "Ablate", "BackendError", "LabelAssignment", "LogisticReadout", "make_readout", "load_arrays", "save_arrays",
    "split_prefix", "readout_from_arrays", "readout_to_arrays", "Clamp", "Config", "ConfigError", "DataError", "Intervention", "InterventionError",
    "Patch", "Probeable", "Recording", "ScrutableError", "SpikeEvents", "Steer", "atomic_open",
    "atomic_write_bytes", "atomic_write_text", "check_inputs", "check_interventions", "check_labels", "check_sites", "require",
    "require_nonnegative", "require_positive", "require_probability",
]
