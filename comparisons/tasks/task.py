"""The :class:`Task` container: arrays, their checks, a user's ``.npz`` file and a short repr."""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from probes.support import DataError, check_inputs, check_labels

#: the arrays a user's ``.npz`` file may hold (``Task.from_npz``); the first four are required
NPZ_REQUIRED = ("x_train", "y_train", "x_test", "y_test")
NPZ_OPTIONAL = ("factors_test", "image_shape", "class_names", "factor_names")


@dataclass(frozen=True, eq=False, repr=False)
class Task:
    """Inputs ``[n, n_inputs]`` float32 in [0, 1], labels, ground-truth factors of the test inputs.

    ``events_train`` / ``events_test`` are ``None`` except for event tasks (``patterns``): then
    each is a tuple ``(sample, input, time_ms)`` of 1-D arrays (int64, int64, float64) over
    ``n_event_inputs`` inputs and a window of ``event_window_ms`` (times in ``[0, window)``),
    the format of ``SpikingNetwork.record(x, input_spikes=...)``; ``x`` holds the same events binned.
    """

    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    kind: str = "multiclass"
    image_shape: tuple[int, int] | None = None
    factors_test: np.ndarray | None = None
    factor_names: tuple[str, ...] = ()
    class_names: tuple[str, ...] = ()
    description: str = field(default="", compare=False)
    events_train: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    events_test: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
    n_event_inputs: int | None = None
    event_window_ms: float | None = None

    @classmethod
    def from_arrays(
        cls,
        x_train,
        y_train,
        x_test,
        y_test,
        *,
        name: str = "custom",
        image_shape=None,
        factors_test=None,
        factor_names=None,
        class_names=None,
        description: str = "",
        events_train=None,
        events_test=None,
        n_event_inputs: int | None = None,
        event_window_ms: float | None = None,
    ) -> Task:
        """Build a task from user arrays, checking everything.

        Inputs must be finite and in [0, 1]. Labels are either integers ``[n]`` (multiclass,
        values 0..C-1) or a binary matrix ``[n, n_labels]`` (multilabel). ``factors_test``
        defaults to the one-hot test labels (multiclass) or the test labels (multilabel).
        Events (optional, both splits or neither) are ``(sample, input, time_ms)`` arrays with
        ``sample`` in 0..n-1 of their split, ``input`` in 0..n_event_inputs-1 and times in
        ``[0, event_window_ms)``.
        """
        if not isinstance(name, str) or not name:
            raise DataError(f"task name={name!r} must be a non-empty string")
        x_train = check_inputs(x_train, name="x_train")
        x_test = check_inputs(x_test, x_train.shape[1], name="x_test")
        y_train, kind, n_out = check_labels(y_train, len(x_train), "y_train")
        y_test, kind_test, n_out_test = check_labels(y_test, len(x_test), "y_test")
        if kind != kind_test:
            raise DataError(f"y_train is {kind} but y_test is {kind_test}: give labels of the same kind")
        if kind == "multilabel" and n_out != n_out_test:
            raise DataError(f"y_train has {n_out} labels per sample but y_test {n_out_test}: use the same label set")
        if kind == "multiclass":
            n_out = max(n_out, n_out_test)
            missing = sorted(set(range(n_out)) - set(np.unique(y_train).tolist()))
            if missing:
                raise DataError(f"y_train has no example of classes {missing}: every class needs training examples")
        image_shape = _check_image_shape(image_shape, x_train.shape[1])
        one_hot = factors_test is None and kind == "multiclass"  # default factors: one per class
        factors_test = _check_factors(factors_test, y_test, kind, n_out, len(x_test))
        n_factors = factors_test.shape[1]
        if factor_names is None:
            named = one_hot and class_names is not None and len(class_names) == n_factors
            factor_names = [class_names[i] if named else f"factor {i}" for i in range(n_factors)]
        factor_names = tuple(map(str, factor_names))
        if len(factor_names) != n_factors:
            raise DataError(f"factor_names has {len(factor_names)} names for {n_factors} factors: give one per factor")
        class_names = tuple(map(str, class_names)) if class_names is not None else tuple(map(str, range(n_out)))
        if len(class_names) != n_out:
            raise DataError(f"class_names has {len(class_names)} names for {n_out} outputs: give one per output")
        if (events_train is None) != (events_test is None):
            raise DataError("events_train and events_test must be given together (or neither)")
        if events_train is not None:
            if n_event_inputs is None or event_window_ms is None:
                raise DataError("events need n_event_inputs and event_window_ms: give both with the events")
            n_event_inputs, event_window_ms = int(n_event_inputs), float(event_window_ms)
            events_train = check_events(events_train, len(x_train), n_event_inputs, event_window_ms, "events_train")
            events_test = check_events(events_test, len(x_test), n_event_inputs, event_window_ms, "events_test")
        else:
            n_event_inputs = event_window_ms = None
        return cls(
            name,
            x_train,
            y_train,
            x_test,
            y_test,
            kind,
            image_shape,
            factors_test,
            factor_names,
            class_names,
            description,
            events_train,
            events_test,
            n_event_inputs,
            event_window_ms,
        )

    @classmethod
    def from_npz(cls, path: str | os.PathLike, *, name: str | None = None) -> Task:
        """A task from a user's ``.npz`` file: ``x_train, y_train, x_test, y_test`` (required) and
        ``factors_test, image_shape, class_names, factor_names`` (optional), checked as by
        :meth:`from_arrays`. Pickled objects are refused (``allow_pickle=False``). ``name``
        defaults to the file's stem.
        """
        path = Path(path)
        arrays = read_npz(path)
        kwargs = {k: arrays[k] for k in NPZ_OPTIONAL if k in arrays}
        for key in ("class_names", "factor_names"):
            if key in kwargs:
                kwargs[key] = [str(s) for s in np.atleast_1d(kwargs[key]).tolist()]
        return cls.from_arrays(
            *(arrays[k] for k in NPZ_REQUIRED), name=name or path.stem, description=f"from {path}", **kwargs
        )

    @property
    def n_inputs(self) -> int:
        return self.x_train.shape[1]

    @property
    def n_outputs(self) -> int:
        """Number of classes (multiclass) or labels (multilabel)."""
        return len(self.class_names)

    @property
    def n_factors(self) -> int:
        return self.factors_test.shape[1]

    @property
    def has_events(self) -> bool:
        return self.events_train is not None

    def summary(self) -> dict:
        return {
            "name": self.name,
            "kind": self.kind,
            "n_train": len(self.x_train),
            "n_test": len(self.x_test),
            "n_inputs": self.n_inputs,
            "n_outputs": self.n_outputs,
            "n_factors": self.n_factors,
            "image_shape": list(self.image_shape) if self.image_shape else None,
            "events": self.has_events,
        }

    def __repr__(self) -> str:
        shape = "x".join(map(str, self.image_shape)) if self.image_shape else None
        events = "no events"
        if self.has_events:
            events = f"events over {self.n_event_inputs} inputs x {self.event_window_ms:g} ms"
        return (
            f"Task({self.name!r}, {self.kind}, train={len(self.x_train)}, test={len(self.x_test)}, "
            f"n_inputs={self.n_inputs}, image_shape={shape}, n_outputs={self.n_outputs}, "
            f"n_factors={self.n_factors}, {events})"
        )


def _check_image_shape(image_shape, n_inputs: int) -> tuple[int, int] | None:
    if image_shape is None:
        return None
    try:
        shape = tuple(int(s) for s in np.asarray(image_shape).ravel())
    except (TypeError, ValueError):
        raise DataError(f"image_shape={image_shape!r} must be two integers (height, width)") from None
    if len(shape) != 2 or shape[0] * shape[1] != n_inputs:
        raise DataError(
            f"image_shape={shape} does not match {n_inputs} inputs: "
            "give (height, width) with height * width == n_inputs"
        )
    return shape


def _check_factors(factors_test, y_test: np.ndarray, kind: str, n_out: int, n_test: int) -> np.ndarray:
    if factors_test is None:
        return np.eye(n_out, dtype=np.float32)[y_test] if kind == "multiclass" else y_test.astype(np.float32)
    factors_test = np.asarray(factors_test)
    if factors_test.ndim != 2 or len(factors_test) != n_test:
        raise DataError(f"factors_test has shape {factors_test.shape}: expected [n_test={n_test}, n_factors]")
    if not np.isin(factors_test, (0, 1)).all():
        raise DataError("factors_test must be binary (0/1): one column per ground-truth factor")
    return factors_test.astype(np.float32)


def check_events(events, n_samples: int, n_inputs: int, window_ms: float, name: str = "events"):
    """Validate ``(sample, input, time_ms)`` events; return them as (int64, int64, float64) arrays."""
    try:
        sample, inp, time_ms = (np.asarray(a) for a in events)
    except (TypeError, ValueError):
        raise DataError(f"{name} must be a tuple of three arrays (sample, input, time_ms)") from None
    if not (sample.shape == inp.shape == time_ms.shape) or sample.ndim != 1:
        raise DataError(f"{name} arrays (sample, input, time_ms) must be 1-D and of equal length")
    if len(sample) and not (np.issubdtype(sample.dtype, np.integer) and np.issubdtype(inp.dtype, np.integer)):
        raise DataError(f"{name} sample and input must be integer arrays")
    if len(sample) and (sample.min() < 0 or sample.max() >= n_samples):
        raise DataError(f"{name} sample indices must be in 0..{n_samples - 1} (one per row of x)")
    if len(inp) and (inp.min() < 0 or inp.max() >= n_inputs):
        raise DataError(f"{name} input indices must be in 0..{n_inputs - 1}")
    time_ms = time_ms.astype(np.float64)
    if len(time_ms) and (not np.isfinite(time_ms).all() or time_ms.min() < 0 or time_ms.max() >= window_ms):
        raise DataError(f"{name} time_ms must be finite and in [0, {window_ms:g}) ms")
    return sample.astype(np.int64), inp.astype(np.int64), time_ms


def read_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a user's ``.npz`` task file, refusing pickles, missing and unknown arrays."""
    where = f"data file {str(path)!r}"
    try:
        with open(path, "rb") as f:
            magic = f.read(6)
        if not magic.startswith(b"PK"):  # neither a zip archive (.npz) nor, below, an .npy array
            kind = "a single .npy array" if magic == b"\x93NUMPY" else "not an .npz archive"
            raise DataError(f"{where} is {kind}: save the task with np.savez(path, x_train=..., y_train=..., ...)")
        data = np.load(path, allow_pickle=False)
        with data:
            names = list(data.files)
            unknown = sorted(set(names) - set(NPZ_REQUIRED) - set(NPZ_OPTIONAL))
            if unknown:
                raise DataError(
                    f"{where} holds unknown arrays {unknown}: allowed are {', '.join(NPZ_REQUIRED + NPZ_OPTIONAL)}"
                )
            missing = [k for k in NPZ_REQUIRED if k not in names]
            if missing:
                raise DataError(f"{where} has no array {', '.join(missing)}: save x_train, y_train, x_test, y_test")
            return {k: data[k] for k in names}
    except FileNotFoundError:
        raise DataError(f"{where} does not exist: check the path") from None
    except IsADirectoryError:
        raise DataError(f"{where} is a directory: give an .npz file") from None
    except ValueError as exc:
        if "pickle" in str(exc):
            raise DataError(f"{where} holds pickled objects: save plain numeric arrays (no dtype=object)") from None
        raise DataError(f"{where} cannot be read ({exc}): save it with np.savez") from None
    except (OSError, EOFError, zipfile.BadZipFile) as exc:
        raise DataError(f"{where} cannot be read ({exc}): save it with np.savez") from None
