"""Planted spiking codes: a known code emitted as Poisson spike trains by a model that is not AsSpikes.

``PoissonEmitter`` draws spike counts bin by bin (independent Poisson counts per time bin
with rate ``budget * a[u] / sum(a) / n_bins``), a different sampling path from AsSpikes (a
total per unit, then uniform times): by the superposition property of Poisson processes the
two have the same distribution, which is what the validity tests rely on. Its outputs are the
planted code's readout of the noiseless code (as AsSpikes's are the wrapped model's own), so
that the only difference between the two is how the spikes were drawn.
"""

import zlib

import numpy as np

from probes.interface import Recording, SpikeEvents, check_interventions
from tests.planted import PlantedModel


class PoissonEmitter:
    """Emit ``code``'s activity (a planted model) as Poisson spikes at ``budget`` spikes per sample."""

    def __init__(self, code, budget=16.0, duration_ms=350.0, bin_ms=10.0, seed=0, name="spiking code"):
        self.code, self.budget, self.duration_ms, self.bin_ms, self.seed = code, budget, duration_ms, bin_ms, seed
        self.name = name

    def sites(self):
        return self.code.sites()

    def weights(self):
        return self.code.weights()

    def redrawn(self, k):
        return PoissonEmitter(self.code, self.budget, self.duration_ms, self.bin_ms, self.seed + 7919 * k, self.name)

    def record(self, x, *, sites=None, interventions=(), bin_ms=None):
        ivs = check_interventions(interventions, self.sites())
        inner = self.code.record(x, sites=sites, interventions=ivs)
        n_bins = int(round(self.duration_ms / self.bin_ms))
        activity, spikes = {}, {}
        for site in inner.activity:
            a = np.clip(inner.counts(site).astype(np.float64), 0, None)
            tot = a.sum(axis=1, keepdims=True)
            rate = np.divide(a * self.budget / n_bins, tot, out=np.zeros_like(a), where=tot > 0)  # per bin
            counts = np.zeros((len(a), n_bins, a.shape[1]), np.float32)
            s_, u_, t_ = [], [], []
            for i, row in enumerate(np.asarray(x, np.float32)):
                rng = np.random.default_rng([self.seed, zlib.crc32(row.tobytes())])
                c = rng.poisson(np.broadcast_to(rate[i], (n_bins, a.shape[1])))
                counts[i] = c
                b, u = np.nonzero(c)
                reps = c[b, u]
                b, u = np.repeat(b, reps), np.repeat(u, reps)
                s_.append(np.full(len(b), i))
                u_.append(u)
                t_.append((b + rng.random(len(b))) * self.bin_ms)
            activity[site] = counts
            spikes[site] = SpikeEvents.make(np.concatenate(s_), np.concatenate(u_), np.concatenate(t_))
        meta = dict(inner.meta, model=self.name, bin_ms=self.bin_ms, duration_ms=self.duration_ms)
        return Recording(activity, inner.outputs, spikes, meta)


def code_with_noise(task, n_noise=10, seed=0, multilabel=False):
    """A monosemantic code (one unit per class or factor, activity 1 when present) plus
    ``n_noise`` units of uniform random activity; the readout reads the code units."""
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    if multilabel:
        fs = np.concatenate([task.y_train, task.y_test]).astype(float)
    else:
        fs = np.eye(task.n_outputs)[np.concatenate([task.y_train, task.y_test])]
    n_f = fs.shape[1]
    codes = [np.concatenate([f, rng.random(n_noise)])[None, :] for f in fs]
    readout = np.vstack([np.eye(n_f) * (0.8 if multilabel else 1.0), np.zeros((n_noise, n_f))])
    return PlantedModel(xs, codes, readout, kind="multilabel" if multilabel else "multiclass", name="noiseless code")
