"""Planted spiking models with a known code, for the abstraction measurement's validity tests.

Both have one site ``exc`` of ``n_classes`` units and take a class label through ``x`` (one-hot
in the first ``n_classes`` inputs). They emit spike events like a real spiking network and
honour ``Ablate``, ``Patch`` (replay the source's spike trains) and ``Retime`` (keep counts,
redraw times):

- ``rate``: the unit of the input's class fires ``hi + 2 u`` spikes, the others ``lo + u``
  (distinct per unit, so patched counts never tie), at uniformly random times; the prediction
  is the unit with the most spikes (the class is in the counts).
- ``timing``: every unit fires exactly one spike, so counts carry nothing; the unit of the
  input's class fires first and the prediction is the unit that fired first (ties: lowest).
"""

import numpy as np

from probes import Ablate, Patch, Recording, Retime
from probes.interface import check_interventions


class PlantedSpiking:
    def __init__(self, code: str, n_classes: int = 4, duration_ms: float = 100.0, hi: int = 8, lo: int = 1, seed=0):
        self.name, self.code, self.C, self.T = f"planted-{code}", code, n_classes, duration_ms
        self.hi, self.lo, self.seed = hi, lo, seed
        self.readout_ = _CountReadout()

    def sites(self):
        return {"exc": self.C}

    def weights(self):
        return {}

    def predict(self, x):
        return self.record(x, sites=[]).predictions

    def _natural(self, x):
        """times[i][u]: the spike times (ms) of unit u on input i, drawn from the input itself."""
        out = []
        for row in x:
            c = int(np.argmax(row[: self.C]))
            rng = np.random.default_rng([self.seed, int(row.sum() * 1e6) % 2**31, c])
            if self.code == "rate":
                out.append(
                    [np.sort(rng.uniform(0, self.T, self.hi + 2 * u if u == c else self.lo + u)) for u in range(self.C)]
                )
            else:
                first = rng.uniform(0, 0.2 * self.T)
                out.append([np.array([first if u == c else rng.uniform(0.3 * self.T, self.T)]) for u in range(self.C)])
        return out

    def record(self, x, *, sites=None, interventions=(), bin_ms=None):
        ivs = check_interventions(interventions, self.sites())
        x = np.asarray(x, np.float32)
        times = self._natural(x)
        for iv in ivs:
            for i in range(len(x)):
                for u in iv.units:
                    if isinstance(iv, Ablate):
                        times[i][u] = np.empty(0)
                    elif isinstance(iv, Patch):
                        ev = iv.source.spikes["exc"].select(iv.index)
                        times[i][u] = np.sort(ev.time_ms[ev.unit == u])
                    elif isinstance(iv, Retime):
                        rng = np.random.default_rng([iv.seed, i, u])
                        times[i][u] = np.sort(rng.uniform(0, self.T, len(times[i][u])))
        n_bins = 10
        act = np.zeros((len(x), n_bins, self.C), np.float32)
        ev = [[], [], []]
        first = np.full((len(x), self.C), np.inf)
        for i, per_unit in enumerate(times):
            for u, ts in enumerate(per_unit):
                np.add.at(act[i, :, u], np.minimum((ts / self.T * n_bins).astype(int), n_bins - 1), 1)
                ev[0] += [i] * len(ts)
                ev[1] += [u] * len(ts)
                ev[2] += list(ts)
                if len(ts):
                    first[i, u] = ts.min()
        if self.code == "rate":
            outputs = act.sum(axis=1)
        else:
            outputs = np.where(np.isfinite(first), -first, -1e9)
        spikes = {"exc": (np.array(ev[0], np.int64), np.array(ev[1], np.int64), np.array(ev[2], np.float64))}
        keep = ["exc"] if sites is None else list(sites)
        meta = {"model": self.name, "kind": "multiclass", "duration_ms": self.T, "bin_ms": self.T / n_bins}
        return Recording({s: act for s in keep}, outputs, {s: spikes[s] for s in keep}, meta)


class _CountReadout:
    """A rate abstraction's readout: the class whose unit has the most activity."""

    def decision_function(self, counts):
        return np.asarray(counts, np.float32)


def planted_task(n_classes: int = 4, n: int = 160, seed: int = 0):
    from comparisons.tasks import Task

    rng = np.random.default_rng(seed)
    y = np.arange(n) % n_classes
    x = np.zeros((n, n_classes + 4), np.float32)
    x[np.arange(n), y] = 1.0
    x[:, n_classes:] = rng.random((n, 4)).astype(np.float32)  # makes every input distinct
    half = n // 2
    return Task.from_arrays(x[:half], y[:half], x[half:], y[half:], name="planted")
