"""Shared infrastructure for network implementations: what ``snn`` and ``dense`` need besides the interface.

Errors, the validated config base class, input and label checks, atomic file writes, model
files and the readouts shared by the spiking and the Hebbian network. ``snn`` and ``dense``
may import this module and :mod:`probes.interface`, nothing else of ``probes``
(docs/architecture.md).
"""

from __future__ import annotations

import numpy as np

from .atomic import atomic_open, atomic_write_bytes, atomic_write_text
from .errors import BackendError, ConfigError, DataError, FiringWarning, InterventionError, ScrutableError
from .modelfile import load_arrays, save_arrays, split_prefix
from .readout import LabelAssignment, LogisticReadout, make_readout, readout_from_arrays, readout_to_arrays
from .validation import (
    Config,
    describe,
    document_fields,
    require,
    require_nonnegative,
    require_positive,
    require_probability,
    type_hints,
)


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
        raise DataError(
            f"{name} has {arr.shape[1]} inputs per sample but the model was built for {n_inputs}: "
            "use data of the task the model was trained on"
        )
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
        if not (
            np.issubdtype(arr.dtype, np.integer)
            or (np.issubdtype(arr.dtype, np.floating) and np.isfinite(arr).all() and (arr == np.round(arr)).all())
        ):
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
    "BackendError",
    "Config",
    "describe",
    "document_fields",
    "ConfigError",
    "DataError",
    "FiringWarning",
    "InterventionError",
    "LabelAssignment",
    "LogisticReadout",
    "ScrutableError",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_inputs",
    "check_labels",
    "load_arrays",
    "make_readout",
    "readout_from_arrays",
    "readout_to_arrays",
    "require",
    "require_nonnegative",
    "require_positive",
    "require_probability",
    "save_arrays",
    "split_prefix",
    "type_hints",
]
