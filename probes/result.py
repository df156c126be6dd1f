"""`ProbeResult` and the documented direction and range of every score."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ScoreSpec:
    """What a score means. ``better``: "higher" or "lower" is more interpretable / more readable."""

    name: str
    better: str
    low: float
    high: float
    doc: str


@dataclass
class ProbeResult:
    """scores: named floats (see each measurement's ``SCORES`` for direction and range);
    details: arrays for figures; figures: matplotlib Figures (filled by ``figure`` functions);
    meta: which site, how many samples, options."""

    scores: dict[str, float]
    details: dict[str, Any] = field(default_factory=dict)
    figures: dict[str, Any] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)
