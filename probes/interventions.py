"""Interventions: frozen, validated dataclasses that mean the same thing on both networks.

- ``Ablate(site, units)``: dense, the activation is forced to 0; spiking, the units never
  spike (no effect downstream, no plasticity).
- ``Clamp(site, units, value)``: dense, the activation is set to ``value``; spiking, the units
  fire as Poisson at ``value`` spikes per presentation (the activation unit of the site), so a
  value read from a ``Recording`` can be written back.
- ``Steer(site, direction, scale)``: dense, ``activation += scale * direction``; spiking, extra
  input current ``scale * direction * gain`` to each unit for the whole presentation, ``gain``
  calibrated once so that one unit of direction moves the unit's count by about one.
- ``Patch(site, units, source, index)``: dense, the activation is copied from ``source``
  sample ``index``; spiking, the units replay the exact spike trains recorded there.
- ``Retime(site, units, seed)``: dense, the identity (no timing); spiking, each unit keeps
  its spike count and its spike times are redrawn within the window.

Each network checks interventions against its own sites with :func:`check_interventions`
before it runs, so an unknown site or an out-of-range unit is an :class:`InterventionError`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .errors import InterventionError
from .recording import Recording


def _units(kind: str, units) -> tuple[int, ...]:
    arr = np.atleast_1d(np.asarray(units))
    if arr.size == 0:
        raise InterventionError(f"{kind}.units is empty: name at least one unit index")
    if not (np.issubdtype(arr.dtype, np.integer) or (arr.dtype == object and all(isinstance(u, int) for u in arr))):
        raise InterventionError(f"{kind}.units={units!r} must be integer unit indices")
    if arr.ndim != 1 or (arr < 0).any():
        raise InterventionError(f"{kind}.units={units!r} must be a flat list of indices >= 0")
    if len(np.unique(arr)) != len(arr):
        raise InterventionError(f"{kind}.units={units!r} names a unit twice: list each unit once")
    return tuple(int(u) for u in arr)


def _site(kind: str, site) -> str:
    if not isinstance(site, str) or not site:
        raise InterventionError(f"{kind}.site={site!r} must be a site name such as 'hidden' or 'exc'")
    return site


@dataclass(frozen=True)
class Ablate:
    """Silence ``units`` of ``site``: dense activation forced to 0; spiking units never spike
    (no effect downstream, no plasticity)."""

    site: str
    units: tuple[int, ...]

    def __post_init__(self):
        object.__setattr__(self, "site", _site("Ablate", self.site))
        object.__setattr__(self, "units", _units("Ablate", self.units))


@dataclass(frozen=True)
class Clamp:
    """Hold ``units`` of ``site`` at ``value`` (a number, or one per unit).

    Dense: the activation is set to ``value``. Spiking: the units fire as Poisson
    processes emitting ``value`` spikes per presentation on average (the site's
    activation unit), ignoring their inputs.
    """

    site: str
    units: tuple[int, ...]
    value: float | tuple[float, ...]

    def __post_init__(self):
        object.__setattr__(self, "site", _site("Clamp", self.site))
        units = _units("Clamp", self.units)
        object.__setattr__(self, "units", units)
        vals = np.atleast_1d(np.asarray(self.value, dtype=float))
        if vals.ndim != 1 or len(vals) not in (1, len(units)):
            raise InterventionError(
                f"Clamp.value has {vals.size} entries for {len(units)} units: give one number or one per unit"
            )
        if not np.isfinite(vals).all():
            raise InterventionError(f"Clamp.value={self.value!r} must be finite")
        object.__setattr__(self, "value", float(vals[0]) if np.ndim(self.value) == 0 else tuple(map(float, vals)))

    def values(self) -> np.ndarray:
        """``[len(units)]`` float64 target values."""
        return np.broadcast_to(np.asarray(self.value, dtype=np.float64), (len(self.units),)).copy()


@dataclass(frozen=True)
class Steer:
    """Add ``scale * direction`` to every unit of ``site`` (``direction``: one float per unit).

    Dense: ``activation += scale * direction``. Spiking: an extra input current
    ``scale * direction * gain`` for the whole presentation, with ``gain`` calibrated
    once per network so one unit of direction moves a unit's spike count by about one.
    """

    site: str
    direction: tuple[float, ...]
    scale: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "site", _site("Steer", self.site))
        d = np.asarray(self.direction, dtype=float)
        if d.ndim != 1 or d.size == 0 or not np.isfinite(d).all():
            raise InterventionError("Steer.direction must be a non-empty 1-D list of finite numbers, one per unit")
        if not isinstance(self.scale, (int, float)) or not math.isfinite(self.scale):
            raise InterventionError(f"Steer.scale={self.scale!r} must be a finite number")
        object.__setattr__(self, "direction", tuple(map(float, d)))
        object.__setattr__(self, "scale", float(self.scale))

    def vector(self) -> np.ndarray:
        """``[n_units]`` float64: ``scale * direction``."""
        return self.scale * np.asarray(self.direction, dtype=np.float64)


@dataclass(frozen=True)
class Patch:
    """Give ``units`` of ``site`` what they did on sample ``index`` of the recording ``source``.

    Dense: the activation is copied from ``source``. Spiking: the units replay the exact
    spike trains recorded in ``source`` (which must hold spike events for ``site``).
    """

    site: str
    units: tuple[int, ...]
    source: Recording = field(compare=False, repr=False)
    index: int = 0

    def __post_init__(self):
        object.__setattr__(self, "site", _site("Patch", self.site))
        object.__setattr__(self, "units", _units("Patch", self.units))
        if not isinstance(self.source, Recording):
            raise InterventionError(f"Patch.source must be a Recording, got {type(self.source).__name__}")
        if self.site not in self.source.activity:
            raise InterventionError(
                f"Patch.source has no site {self.site!r}: record the source with sites=[{self.site!r}]"
            )
        if isinstance(self.index, bool) or not isinstance(self.index, (int, np.integer)):
            raise InterventionError(f"Patch.index={self.index!r} must be an integer sample index")
        if not 0 <= int(self.index) < self.source.n_samples:
            raise InterventionError(
                f"Patch.index={self.index} is out of range: the source holds {self.source.n_samples} samples"
            )
        object.__setattr__(self, "index", int(self.index))

    def activation(self) -> np.ndarray:
        """``[len(units)]`` float64: the source's activity of ``units`` summed over bins."""
        return self.source.counts(self.site)[self.index, list(self.units)].astype(np.float64)


@dataclass(frozen=True)
class Retime:
    """Keep each of ``units``' spike counts but redraw their spike times (a timing-only change).

    Spiking: the units' spikes in the presentation without this intervention (other
    interventions applied) are counted per sample; the units then replay that many spikes
    at times drawn uniformly over the presentation window (seeded by ``seed``, at least a
    refractory period apart), ignoring their inputs. Dense (one step, no timing): the identity.
    Its effect on a network's predictions measures how much the network uses spike timing
    beyond spike counts.
    """

    site: str
    units: tuple[int, ...]
    seed: int = 0

    def __post_init__(self):
        object.__setattr__(self, "site", _site("Retime", self.site))
        object.__setattr__(self, "units", _units("Retime", self.units))
        if isinstance(self.seed, bool) or not isinstance(self.seed, (int, np.integer)):
            raise InterventionError(f"Retime.seed={self.seed!r} must be an integer")
        object.__setattr__(self, "seed", int(self.seed))


def retimed_steps(counts: np.ndarray, n_steps: int, min_gap: int, rng: np.random.Generator) -> list[np.ndarray]:
    """For each count ``c`` in ``counts``, ``c`` sorted steps uniform over ``[0, n_steps)`` subject to
    consecutive steps at least ``min_gap`` apart (stars and bars: draw ``c`` distinct values from
    the ``n_steps - (c - 1) (min_gap - 1)`` slots, then spread the i-th by ``i (min_gap - 1)``)."""
    out = []
    for c in np.asarray(counts, np.int64):
        slots = n_steps - max(c - 1, 0) * max(min_gap - 1, 0)
        c = int(min(c, max(slots, 0)))
        picks = np.sort(rng.choice(slots, size=c, replace=False)) if c else np.empty(0, np.int64)
        out.append(picks + np.arange(c) * max(min_gap - 1, 0))
    return out


Intervention = Ablate | Clamp | Steer | Patch | Retime
_KINDS = (Ablate, Clamp, Steer, Patch, Retime)


def check_interventions(interventions: Sequence[Intervention], sites: dict[str, int]) -> tuple[Intervention, ...]:
    """Check each intervention against a model's ``sites()`` (site -> number of units)."""
    if isinstance(interventions, _KINDS):
        interventions = (interventions,)
    out = []
    for iv in interventions:
        if not isinstance(iv, _KINDS):
            raise InterventionError(f"{iv!r} is not an intervention: use Ablate, Clamp, Steer, Patch or Retime")
        kind = type(iv).__name__
        if iv.site not in sites:
            raise InterventionError(f"{kind}.site={iv.site!r} is not a site of this model: sites are {sorted(sites)}")
        n = sites[iv.site]
        if isinstance(iv, Steer):
            if len(iv.direction) != n:
                raise InterventionError(
                    f"Steer.direction has {len(iv.direction)} entries but site {iv.site!r} has {n} units: "
                    "give one per unit"
                )
        else:
            bad = [u for u in iv.units if u >= n]
            if bad:
                raise InterventionError(
                    f"{kind}.units={bad} out of range for site {iv.site!r} with {n} units: use indices 0..{n - 1}"
                )
        if isinstance(iv, Patch) and iv.source.activity[iv.site].shape[2] != n:
            raise InterventionError(
                f"Patch.source site {iv.site!r} has {iv.source.activity[iv.site].shape[2]} units, the model {n}: "
                "record the source from a model of the same size"
            )
        out.append(iv)
    return tuple(out)
