"""The probing interface: what a network implements and a measurement may see.

The :class:`Probeable` protocol, :class:`Recording` and :class:`SpikeEvents`, and the
intervention values. The infrastructure that network implementations share besides it
(errors, validated configs, input checks, atomic files, readouts) is :mod:`probes.support`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import DataError
from .interventions import Ablate, Clamp, Intervention, Patch, Retime, Steer, check_interventions, retimed_steps
from .recording import Recording, SpikeEvents


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
        self,
        x: np.ndarray,
        *,
        sites: Sequence[str] | None = None,
        interventions: Sequence[Intervention] = (),
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


__all__ = [
    "Ablate",
    "Clamp",
    "Intervention",
    "Patch",
    "Probeable",
    "Recording",
    "SpikeEvents",
    "Steer",
    "Retime",
    "retimed_steps",
    "check_interventions",
    "check_sites",
]
