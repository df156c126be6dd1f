"""Format control: any network's sites presented as Poisson spike trains at a chosen budget.

``AsSpikes(model, spikes_per_sample=16)`` is itself :class:`~probes.interface.Probeable`, so
every measurement runs on it unchanged. It answers: how interpretable does a network look
when an observer sees it through the same number of spikes as a spiking network? A score
that drops from ``dense`` to ``dense at 16 spikes`` measures the format, not the network.

Rendering, per sample and site (``a`` = the wrapped model's activity summed over its bins,
``[n_units]``):

- negative activations are clipped to 0 (a firing rate cannot be negative; every network of
  this project has non-negative sites, so clipping only matters under a ``Steer`` that pushes
  units below zero, which then fall silent as an ablated spiking unit would);
- unit ``u`` is a homogeneous Poisson process over ``duration_ms`` with an expected count of
  ``spikes_per_sample * a[u] / sum(a)``: the expected total per sample is the budget; a
  sample whose activity is all zero emits no spike (a silent sample);
- spike times are exact (uniform within the window) and binned at ``bin_ms``, so a recording
  has ``duration_ms / bin_ms`` bins, ``spikes`` events and rates in Hz like a spiking network.

The draws of a sample depend only on (``seed``, site, the input's bytes): a sample is
rendered the same way whatever batch it is in, and ``redrawn(k)`` gives independent draws.

Outputs are the wrapped model's own: the readout is part of the model and the format
control changes what an observer sees of the sites, not what the network computes. So
accuracy and intervention effects on behaviour are the wrapped model's, and any score that
changes between the model and its rendering is a property of the observation format.
Interventions are applied to the wrapped model before rendering, translated from the spike
count units a measurement reads off a rendering back to the wrapped model's activation
units with that sample's scale (``sum(a) / spikes_per_sample`` activation per spike):
``Ablate`` as it is; ``Clamp`` values and ``Steer`` directions (spike counts per
presentation, as on a spiking network) multiplied by the scale of each sample; ``Patch``
from a rendering copies the source sample's counts times the source's scale (the source's
scales travel in its ``meta["activation_per_spike"]``); a ``Patch`` from a recording of the
wrapped model itself is passed through unchanged.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from .errors import ConfigError, DataError, InterventionError
from .interventions import Clamp, Patch, Steer, check_interventions
from .recording import Recording, SpikeEvents

_TAG = 0x5A17


class AsSpikes:
    """A Probeable that renders ``model``'s sites as Poisson spikes at ``spikes_per_sample``.

    spikes_per_sample: expected spikes per sample and site (> 0).
    duration_ms: presentation window in ms; bin_ms: default time bin (divides the window).
    seed: seed of the Poisson draws (``redrawn(k)`` is the same rendering with other draws).
    """

    def __init__(
        self, model, spikes_per_sample: float = 16.0, duration_ms: float = 350.0, bin_ms: float = 10.0, seed=0
    ):
        for key, v in (("spikes_per_sample", spikes_per_sample), ("duration_ms", duration_ms), ("bin_ms", bin_ms)):
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not np.isfinite(v) or v <= 0:
                raise ConfigError(f"AsSpikes {key}={v!r} is not allowed: give a positive number")
        _n_bins(duration_ms, bin_ms)
        self.model = model
        self.spikes_per_sample = float(spikes_per_sample)
        self.duration_ms = float(duration_ms)
        self.bin_ms = float(bin_ms)
        self.seed = int(seed)
        self.name = f"{model.name} at {self.spikes_per_sample:g} spikes"

    def __repr__(self) -> str:
        return (
            f"AsSpikes({self.model.name!r}, spikes_per_sample={self.spikes_per_sample:g}, "
            f"duration_ms={self.duration_ms:g}, bin_ms={self.bin_ms:g}, seed={self.seed})"
        )

    # --- Probeable ----------------------------------------------------------------------
    def sites(self) -> dict[str, int]:
        return dict(self.model.sites())

    def weights(self) -> dict[str, np.ndarray]:
        return self.model.weights()

    def redrawn(self, k: int) -> AsSpikes:
        """The same rendering with independent Poisson draws (``k`` >= 1 names the redraw)."""
        return AsSpikes(self.model, self.spikes_per_sample, self.duration_ms, self.bin_ms, _redraw_seed(self.seed, k))

    def record(
        self, x, *, sites: Sequence[str] | None = None, interventions=(), bin_ms: float | None = None
    ) -> Recording:
        """Record the wrapped model (interventions translated and applied there), then render
        each site as spike counts ``[n_samples, duration_ms / bin_ms, n_units]`` with events."""
        all_sites = self.sites()
        chosen = list(all_sites) if sites is None else list(sites)
        for s in chosen:
            if s not in all_sites:
                raise DataError(f"site {s!r} is not a site of {self.name}: sites are {sorted(all_sites)}")
        ivs = check_interventions(interventions, all_sites)
        bin_ms = self.bin_ms if bin_ms is None else float(bin_ms)
        n_bins = _n_bins(self.duration_ms, bin_ms)
        x = np.asarray(x)
        inner = self._record_inner(x, chosen, ivs)
        activity, spikes, scale = {}, {}, {}
        for site in chosen:
            a = np.clip(inner.counts(site).astype(np.float64), 0.0, None)
            counts, events, total = self._render(x, site, a, n_bins, bin_ms)
            activity[site], spikes[site] = counts, events
            scale[site] = (total / self.spikes_per_sample).tolist()
        meta = {
            "model": self.name,
            "wrapped": getattr(self.model, "name", type(self.model).__name__),
            "seed": self.seed,
            "bin_ms": bin_ms,
            "duration_ms": self.duration_ms,
            "spikes_per_sample": self.spikes_per_sample,
            "kind": inner.meta.get("kind", "multiclass"),
            "threshold": inner.meta.get("threshold", 0.5),
            "activation_per_spike": scale,
        }
        return Recording(activity, inner.outputs, spikes, meta)

    # --- rendering ------------------------------------------------------------------------
    def _render(self, x, site, a, n_bins, bin_ms):
        """Poisson counts and exact events for activity ``a`` ``[n, n_units]``; also ``sum(a)`` per sample."""
        n, n_units = a.shape
        total = a.sum(axis=1)
        lam = np.divide(a * self.spikes_per_sample, total[:, None], out=np.zeros_like(a), where=total[:, None] > 0)
        site_tag = zlib.crc32(site.encode())
        x32 = np.asarray(x, np.float32)  # the same input gives the same draws whatever its dtype
        samples, units, times = [], [], []
        for i in range(n):
            rng = np.random.default_rng(_row_seed(self.seed, site_tag, x32[i]))
            k = rng.poisson(lam[i])
            unit = np.repeat(np.arange(n_units), k)
            samples.append(np.full(len(unit), i))
            units.append(unit)
            times.append(rng.uniform(0.0, self.duration_ms, size=len(unit)))
        sample, unit, time_ms = (np.concatenate(v) if v else np.zeros(0) for v in (samples, units, times))
        events = SpikeEvents.make(sample, unit, time_ms)
        b = np.minimum((events.time_ms // bin_ms).astype(np.int64), n_bins - 1)
        counts = np.zeros((n, n_bins, n_units), np.float32)
        np.add.at(counts, (events.sample, b, events.unit), 1.0)
        return counts, events, total

    # --- interventions ---------------------------------------------------------------------
    def _record_inner(self, x, sites, ivs) -> Recording:
        """The wrapped model's recording under ``ivs`` translated from spike counts to its units."""
        ivs = tuple(self._translate_patch(iv) if isinstance(iv, Patch) else iv for iv in ivs)
        if not any(isinstance(iv, (Clamp, Steer)) for iv in ivs):
            return self.model.record(x, sites=sites, interventions=ivs)
        # Clamp values and Steer directions are spike counts: the scale of each sample comes
        # from its clean activity, so each sample is recorded with its own translation.
        clean = self.model.record(x, sites=sorted({iv.site for iv in ivs}))
        parts = []
        for i in range(len(x)):
            per = []
            for iv in ivs:
                if isinstance(iv, (Clamp, Steer)):
                    s = float(np.clip(clean.counts(iv.site)[i], 0.0, None).sum()) / self.spikes_per_sample
                    if isinstance(iv, Clamp):
                        iv = Clamp(iv.site, iv.units, tuple(iv.values() * s))
                    else:
                        iv = Steer(iv.site, tuple(np.asarray(iv.direction) * s), iv.scale)
                per.append(iv)
            parts.append(self.model.record(x[i : i + 1], sites=sites, interventions=per))
        return Recording(
            {s: np.concatenate([p.activity[s] for p in parts]) for s in sites},
            np.concatenate([p.outputs for p in parts]),
            meta=dict(parts[0].meta),
        )

    def _translate_patch(self, iv: Patch) -> Patch:
        scales = iv.source.meta.get("activation_per_spike")
        if scales is None:  # a recording of the wrapped model itself: already in its units
            return iv
        if iv.site not in scales:
            raise InterventionError(f"Patch.source has no activation scale for site {iv.site!r}: record it again")
        act = iv.source.counts(iv.site)[iv.index].astype(np.float64) * float(scales[iv.site][iv.index])
        source = Recording({iv.site: act[None, None, :]}, np.zeros((1, 1)))
        return Patch(iv.site, iv.units, source, 0)


def _n_bins(duration_ms: float, bin_ms: float) -> int:
    n = int(round(duration_ms / bin_ms))
    if n < 1 or abs(n * bin_ms - duration_ms) > 1e-9 * max(1.0, duration_ms):
        raise ConfigError(
            f"AsSpikes bin_ms={bin_ms:g} does not divide duration_ms={duration_ms:g}: "
            "choose a bin that divides the window"
        )
    return n


def _row_seed(seed: int, tag: int, row: np.ndarray) -> np.random.SeedSequence:
    return np.random.SeedSequence([int(seed) & 0xFFFFFFFF, _TAG, tag, zlib.crc32(np.ascontiguousarray(row).tobytes())])


def _redraw_seed(seed: int, k: int) -> int:
    """A seed for redraw ``k`` of a recording seeded by ``seed`` (distinct for every k >= 1)."""
    return int(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, 0xD5A3, int(k)]).generate_state(1)[0])


__all__ = ["AsSpikes"]
