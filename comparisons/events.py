"""The spiking network on a task that carries its input events (``patterns``): fed the events.

An event task's ``x`` is the events binned on a clock, ``[n, n_inputs * n_bins]``, for the
dense network; the spiking network has ``n_event_inputs`` inputs and consumes the events
themselves (``SpikingNetwork.fit/record(..., input_spikes=...)``). Measurements only know
``model.record(x_rows)`` with rows of ``task.x_train`` / ``task.x_test``, so
:class:`EventFed` stands between them: it is the spiking network as a Probeable whose
``record`` finds each row of ``x`` in the task by exact match (its bytes), and records the
network on that sample's events. A row that is in neither split is an error naming the fix.

What the spiking network gets as its own ``x`` ``[n, n_event_inputs]`` (:class:`EventInputs`):
each input's spike count over the window divided by the largest count of one input in the
training set (test values clipped to 1), the rate code of the events. It serves what needs an
``x`` besides the events: the sample count, the input-size dependent config values, the
blank-input check and the one-step weight transplant of the ``abstraction`` measurement (a
one-step network has no time: it sees counts).
"""

from __future__ import annotations

import hashlib

import numpy as np

from probes.support import ConfigError, DataError
from snn.encoding import spike_rows


def _keys(x: np.ndarray) -> list[bytes]:
    x = np.ascontiguousarray(x, np.float32)
    return [hashlib.blake2b(row.tobytes(), digest_size=16).digest() for row in x]


def event_counts(events, n: int, n_inputs: int) -> np.ndarray:
    """Spike counts per sample and input ``[n, n_inputs]`` of ``(sample, input, time_ms)`` events."""
    sample, inp, _ = events
    return np.bincount(sample * n_inputs + inp, minlength=n * n_inputs).reshape(n, n_inputs)


class EventInputs:
    """A task's ``x`` row -> (the spiking network's ``x`` row, that sample's events), both splits."""

    def __init__(self, task):
        if not getattr(task, "has_events", False):
            raise DataError(f"task {task.name!r} carries no input events: EventInputs needs an event task")
        self.n_inputs, self.window_ms = int(task.n_event_inputs), float(task.event_window_ms)
        c_train = event_counts(task.events_train, len(task.x_train), self.n_inputs)
        c_test = event_counts(task.events_test, len(task.x_test), self.n_inputs)
        scale = float(max(c_train.max(initial=0), 1))
        self.x = {
            "train": (c_train / scale).astype(np.float32),
            "test": np.minimum(c_test / scale, 1.0).astype(np.float32),
        }
        self.events = {"train": task.events_train, "test": task.events_test}
        self._where: dict[bytes, tuple[str, int] | None] = {}
        for split, x in (("train", task.x_train), ("test", task.x_test)):
            for i, key in enumerate(_keys(x)):
                if key in self._where and not self._same_events(self._where[key], (split, i)):
                    self._where[key] = None  # one row, two different event sets: ambiguous
                else:
                    self._where.setdefault(key, (split, i))

    def _same_events(self, a, b) -> bool:
        if a is None:
            return False
        ea, eb = (spike_rows(self.events[s], np.array([i])) for s, i in (a, b))
        order = lambda e: np.lexsort((e[1], e[2]))  # noqa: E731
        return all(np.array_equal(p[order(ea)], q[order(eb)]) for p, q in zip(ea, eb))

    def lookup(self, x) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """``(x_net [n, n_inputs], events (sample, input, time_ms) numbered by row of x)`` for rows of the task's x."""
        x = np.asarray(x)
        where = [self._where.get(k, False) for k in _keys(x)] if len(x) else []
        for k, w in enumerate(where):
            if w is False or w is None:
                why = (
                    "is in neither task.x_train nor task.x_test"
                    if w is False
                    else "matches samples whose events differ"
                )
                raise DataError(
                    f"x row {k} {why}: an event-fed spiking network can only record the task's own rows "
                    "(pass rows of task.x_train / task.x_test, or call SpikingNetwork.record(x, input_spikes=...))"
                )
        x_net = np.empty((len(x), self.n_inputs), np.float32)
        parts = []
        for split in ("train", "test"):
            ks = np.array([k for k, w in enumerate(where) if w[0] == split], np.int64)
            if len(ks) == 0:
                continue
            idx = np.array([where[k][1] for k in ks], np.int64)
            x_net[ks] = self.x[split][idx]
            sample, inp, time_ms = spike_rows(self.events[split], idx)
            parts.append((ks[sample], inp, time_ms))
        if not parts:
            return x_net, (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0))
        return x_net, tuple(np.concatenate([p[j] for p in parts]) for j in range(3))

    def check_window(self, presentation_ms: float) -> None:
        if self.window_ms > presentation_ms:
            raise ConfigError(
                f"snn.presentation_ms={presentation_ms:g} is shorter than the task's event window of "
                f"{self.window_ms:g} ms: set snn.presentation_ms >= {self.window_ms:g}"
            )


def spiking_training_inputs(task):
    """What a spiking network trains on for ``task``: ``(x [n, n_inputs], input_spikes or None)``:
    the network's own x and the task's training events for an event task, else ``(x_train, None)``."""
    if not getattr(task, "has_events", False):
        return task.x_train, None
    inputs = EventInputs(task)
    return inputs.x["train"], task.events_train


class EventFed:
    """A fitted (or to be fitted) ``SpikingNetwork`` that records the task's rows on their events.

    Probeable like the network (``name``, ``sites``, ``weights``, ``record``), plus ``fit``,
    ``fit_readout``, ``using`` and ``predict`` taking rows of the task's ``x``; every other
    attribute (``config_``, ``w_``, ``theta_``, ``save``, ...) is the network's."""

    def __init__(self, net, inputs: EventInputs):
        self.net, self.inputs = net, inputs
        self.name = net.name

    def __getattr__(self, attr):
        if attr.startswith("__") or attr in ("net", "inputs"):
            raise AttributeError(attr)
        return getattr(self.net, attr)

    def __repr__(self) -> str:
        return f"EventFed({self.net!r})"

    def sites(self) -> dict[str, int]:
        return self.net.sites()

    def weights(self) -> dict[str, np.ndarray]:
        return self.net.weights()

    def fit(self, x, y, *, progress: bool = False) -> EventFed:
        """Train the network on the events of the rows ``x`` (rows of the task's ``x``)."""
        self.inputs.check_window(self.net.config.presentation_ms)
        x_net, events = self.inputs.lookup(x)
        self.net.fit(x_net, y, input_spikes=events, progress=progress)
        return self

    def fit_readout(self, x, y) -> EventFed:
        x_net, events = self.inputs.lookup(x)
        self.net.fit_readout(x_net, y, input_spikes=events)
        return self

    def record(self, x, *, sites=None, interventions=(), bin_ms=None, input_spikes=None):
        """The network's recording of the task's rows ``x`` on their events (``input_spikes``:
        other events for the same rows, e.g. a figure's, used instead)."""
        x_net, events = self.inputs.lookup(x)
        given = events if input_spikes is None else input_spikes
        return self.net.record(x_net, sites=sites, interventions=interventions, bin_ms=bin_ms, input_spikes=given)

    def input_spikes(self, x):
        """The events ``(sample, input, time_ms)`` the network is fed for the task's rows ``x``."""
        return self.inputs.lookup(x)[1]

    def predict(self, x) -> np.ndarray:
        return self.record(x, sites=[]).predictions

    def using(self, **changes) -> EventFed:
        return EventFed(self.net.using(**changes), self.inputs)


class _OnRows:
    """A record-only view of an event-fed network that takes its own ``x`` rows: exactly the rows
    ``x_net`` it was built with (recorded on their events), for the abstraction builders."""

    def __init__(self, fed: EventFed, x_task):
        self.fed, self.x_task = fed, x_task
        self.x_net, _ = fed.inputs.lookup(x_task)

    def __getattr__(self, attr):
        if attr.startswith("__") or attr in ("fed", "x_task", "x_net"):
            raise AttributeError(attr)
        return getattr(self.fed, attr)

    def record(self, x, **kw):
        if not np.array_equal(x, self.x_net):
            raise DataError("this view records only the rows it was built with")
        return self.fed.record(self.x_task, **kw)


class OnTaskRows:
    """A model that reads the spiking network's ``x`` (an abstraction built on it), taking rows of
    the task's ``x`` instead: each row is replaced by its ``x_net`` row before the model sees it."""

    def __init__(self, model, inputs: EventInputs):
        self.model, self.inputs = model, inputs
        self.name = model.name

    def __getattr__(self, attr):
        if attr.startswith("__") or attr in ("model", "inputs"):
            raise AttributeError(attr)
        return getattr(self.model, attr)

    def sites(self):
        return self.model.sites()

    def weights(self):
        return self.model.weights()

    def record(self, x, **kw):
        return self.model.record(self.inputs.lookup(x)[0], **kw)

    def predict(self, x) -> np.ndarray:
        return self.record(x, sites=[]).predictions


def event_abstractions(fed: EventFed, x_train, y_train) -> dict:
    """:func:`comparisons.abstractions.build` for an event-fed network: ``no_delays`` is itself
    event-fed; ``one_step`` (the weight transplant, which has no time and reads counts per
    input) and ``fitted`` (the GLM of each unit's count) are built on the network's own ``x``
    and take the task's rows through :class:`OnTaskRows`."""
    from .abstractions import fitted, no_delays, one_step

    view = _OnRows(fed, x_train)
    H, site = one_step(view, view.x_net, y_train)
    return {
        "no_delays": no_delays(fed),
        "one_step": (OnTaskRows(H, fed.inputs), site),
        "fitted": OnTaskRows(fitted(view, view.x_net), fed.inputs),
    }
