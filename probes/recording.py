"""`Recording`: what a network did on a batch of inputs, the one object measurements read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np

from .errors import DataError

_FORMAT = "scrutable.Recording/1"


class SpikeEvents(NamedTuple):
    """Exact spike events of one site, one entry per spike (all arrays the same length).

    sample: int64 index of the input sample; unit: int64 index of the unit;
    time_ms: float64 spike time in ms from the start of the presentation.
    """

    sample: np.ndarray
    unit: np.ndarray
    time_ms: np.ndarray

    @classmethod
    def empty(cls) -> SpikeEvents:
        return cls(np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64))

    @classmethod
    def make(cls, sample, unit, time_ms) -> SpikeEvents:
        sample = np.asarray(sample, dtype=np.int64).ravel()
        unit = np.asarray(unit, dtype=np.int64).ravel()
        time_ms = np.asarray(time_ms, dtype=np.float64).ravel()
        if not (len(sample) == len(unit) == len(time_ms)):
            raise DataError(
                f"spike events have arrays of different lengths (sample {len(sample)}, unit {len(unit)}, "
                f"time_ms {len(time_ms)}): give one entry per spike in each"
            )
        # A canonical order (sample, time, unit) makes two recordings of the same spikes equal
        # (a simulator's events usually come in it already: then no sort is needed).
        ds, dt, du = np.diff(sample), np.diff(time_ms), np.diff(unit)
        if ((ds > 0) | ((ds == 0) & ((dt > 0) | ((dt == 0) & (du > 0))))).all():
            return cls(sample, unit, time_ms)
        order = np.lexsort((unit, time_ms, sample))
        return cls(sample[order], unit[order], time_ms[order])

    def select(self, sample: int) -> SpikeEvents:
        keep = self.sample == sample
        return SpikeEvents(self.sample[keep], self.unit[keep], self.time_ms[keep])

    def __len__(self) -> int:  # number of spikes
        return len(self.sample)


@dataclass(repr=False)
class Recording:
    """Activity of a network's sites on ``n_samples`` inputs.

    activity: site -> float32 ``[n_samples, n_bins, n_units]``. Dense networks have
        ``n_bins == 1`` (the activation); spiking networks hold spike counts per bin of
        ``meta["bin_ms"]`` over the presentation window of ``meta["duration_ms"]``.
    outputs: ``[n_samples, n_outputs]`` float scores from the network's own readout.
    spikes: site -> :class:`SpikeEvents` (spiking sites only), exact event times in ms.
    meta: JSON-serialisable facts: ``model``, ``config_hash``, ``seed``, ``bin_ms``,
        ``duration_ms``, ``kind`` ("multiclass" | "multilabel"), ``threshold`` for
        multilabel predictions.
    """

    activity: dict[str, np.ndarray]
    outputs: np.ndarray
    spikes: dict[str, SpikeEvents] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.activity = {k: np.asarray(v, dtype=np.float32) for k, v in self.activity.items()}
        self.outputs = np.asarray(self.outputs, dtype=np.float32)
        if self.outputs.ndim != 2:
            raise DataError(f"Recording outputs has shape {self.outputs.shape}: expected [n_samples, n_outputs]")
        n = self.outputs.shape[0]
        for site, act in self.activity.items():
            if act.ndim != 3 or act.shape[0] != n:
                raise DataError(
                    f"Recording activity[{site!r}] has shape {act.shape}: expected [n_samples={n}, n_bins, n_units]"
                )
        self.spikes = {k: v if isinstance(v, SpikeEvents) else SpikeEvents.make(*v) for k, v in self.spikes.items()}

    def __repr__(self) -> str:
        """Shapes, not contents: ``Recording(model='snn', n_samples=450, activity={'exc': (450, 35, 100)}, ...)``."""
        act = ", ".join(f"{k!r}: {tuple(v.shape)}" for k, v in self.activity.items())
        spk = ", ".join(f"{k!r}: {len(v.sample)} events" for k, v in self.spikes.items())
        extra = f", spikes={{{spk}}}" if spk else ""
        bits = f"model={self.meta.get('model', '?')!r}, n_samples={self.n_samples}, activity={{{act}}}"
        if "spikes_per_sample" in self.meta:
            bits += f", spikes_per_sample={self.meta['spikes_per_sample']:.1f}"
        return f"Recording({bits}, outputs={tuple(self.outputs.shape)}{extra})"

    # --- views -------------------------------------------------------------------
    @property
    def n_samples(self) -> int:
        return self.outputs.shape[0]

    @property
    def sites(self) -> list[str]:
        return list(self.activity)

    @property
    def predictions(self) -> np.ndarray:
        """Multiclass: ``[n_samples]`` argmax of outputs. Multilabel: ``[n_samples, n_outputs]``
        booleans ``outputs >= meta["threshold"]`` (default 0.5)."""
        if self.meta.get("kind", "multiclass") == "multilabel":
            return self.outputs >= float(self.meta.get("threshold", 0.5))
        return np.argmax(self.outputs, axis=1)

    def counts(self, site: str) -> np.ndarray:
        """Activity summed over bins, ``[n_samples, n_units]`` (spike counts for spiking sites)."""
        return self._site(site).sum(axis=1)

    def rates(self, site: str) -> np.ndarray:
        """``[n_samples, n_units]``: spikes per second (Hz) over the presentation for spiking
        sites; the activation itself for dense sites (no time axis)."""
        total = self.counts(site)
        duration_ms = self.meta.get("duration_ms")
        if duration_ms is None:
            return total
        return total / (float(duration_ms) / 1000.0)

    def _site(self, site: str) -> np.ndarray:
        if site not in self.activity:
            raise DataError(f"site {site!r} is not in this recording: recorded sites are {sorted(self.activity)}")
        return self.activity[site]

    def subset(self, index) -> Recording:
        """The recording restricted to samples ``index`` (spike sample numbers renumbered)."""
        index = np.arange(self.n_samples)[index]
        remap = -np.ones(self.n_samples, np.int64)
        remap[index] = np.arange(len(index))
        spikes = {}
        for site, ev in self.spikes.items():
            keep = np.isin(ev.sample, index)
            spikes[site] = SpikeEvents.make(remap[ev.sample[keep]], ev.unit[keep], ev.time_ms[keep])
        return Recording({k: v[index] for k, v in self.activity.items()}, self.outputs[index], spikes, dict(self.meta))

    # --- files ---------------------------------------------------------------------
    def save(self, path: str | os.PathLike) -> None:
        """Write an ``.npz`` atomically (temporary file, then rename); no pickled objects."""
        from .modelfile import save_arrays

        arrays: dict[str, np.ndarray] = {"outputs": self.outputs}
        for site, act in self.activity.items():
            arrays[f"activity/{site}"] = act
        for site, ev in self.spikes.items():
            for name, arr in zip(SpikeEvents._fields, ev):
                arrays[f"spikes/{site}/{name}"] = arr
        save_arrays(path, _FORMAT, self.meta, arrays)

    @classmethod
    def load(cls, path: str | os.PathLike) -> Recording:
        """Read a file written by :meth:`save`; anything else is a :class:`DataError`."""
        from .modelfile import load_arrays

        meta, files = load_arrays(path, _FORMAT, what="recording file")
        try:
            activity = {k.split("/", 1)[1]: v for k, v in files.items() if k.startswith("activity/")}
            spike_sites = {k[len("spikes/") :].rsplit("/", 1)[0] for k in files if k.startswith("spikes/")}
            spikes = {s: SpikeEvents(*(files[f"spikes/{s}/{n}"] for n in SpikeEvents._fields)) for s in spike_sites}
            return cls(activity, files["outputs"], spikes, meta)
        except (KeyError, ValueError, DataError) as exc:
            raise DataError(f"recording file {os.fspath(path)!r} is incomplete ({exc}): save it again") from None

    def equals(self, other: Recording) -> bool:
        """Exact equality of every array and the meta (for tests and determinism checks)."""
        if (
            self.meta != other.meta
            or set(self.activity) != set(other.activity)
            or set(self.spikes) != set(other.spikes)
        ):
            return False
        if not np.array_equal(self.outputs, other.outputs):
            return False
        if any(not np.array_equal(self.activity[k], other.activity[k]) for k in self.activity):
            return False
        return all(all(np.array_equal(a, b) for a, b in zip(self.spikes[k], other.spikes[k])) for k in self.spikes)

    def to_neo(self, site: str, sample: int):
        """The spikes of ``site`` for one ``sample`` as a list of Neo ``SpikeTrain`` (one per unit).

        Needs the optional ``neo`` and ``quantities`` packages (``pip install neo``).
        """
        try:
            import neo
            import quantities as pq
        except ImportError:
            raise DataError("to_neo needs the neo package: pip install neo") from None
        if site not in self.spikes:
            raise DataError(f"site {site!r} has no spike events: spiking sites are {sorted(self.spikes)}")
        ev = self.spikes[site].select(sample)
        n_units = self.activity[site].shape[2] if site in self.activity else int(ev.unit.max(initial=-1)) + 1
        stop = float(self.meta.get("duration_ms", ev.time_ms.max(initial=0.0) + 1.0))
        return [
            neo.SpikeTrain(ev.time_ms[ev.unit == u] * pq.ms, t_stop=stop * pq.ms, name=f"{site}[{u}]")
            for u in range(n_units)
        ]
