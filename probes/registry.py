"""``MEASUREMENTS``: every measurement, by name, with its scores' documentation and figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from . import (
    ablation,
    abstraction,
    decoding,
    dictionary,
    feature_recovery,
    patching,
    receptive_fields,
    selectivity,
    similarity,
    steering,
    time_to_read,
)
from .result import ProbeResult, ScoreSpec


@dataclass(frozen=True)
class Measurement:
    """``measurement(model, task, **options) -> ProbeResult``; ``figure({name: result}) -> Figure``."""

    name: str
    measure: Callable[..., ProbeResult]
    figure: Callable[[dict[str, ProbeResult]], object]
    scores: tuple[ScoreSpec, ...]
    headline: str  # the score a report's headline table compares
    uses_interventions: bool
    doc: str
    timed: tuple[str, ...] = ()  # scores fixed by construction for a one-step network (no time axis)

    def __call__(self, model, task, **options) -> ProbeResult:
        return self.measure(model, task, **options)

    def spec(self, score: str) -> ScoreSpec:
        return next(s for s in self.scores if s.name == score)


def _m(name, module, headline, interventions=False, timed=()):
    return Measurement(
        name,
        module.measure,
        module.figure,
        tuple(module.SCORES),
        headline,
        interventions,
        (module.__doc__ or "").strip().split("\n")[0],
        tuple(timed),
    )


MEASUREMENTS: dict[str, Measurement] = {
    m.name: m
    for m in [
        _m("decoding", decoding, "selectivity"),
        _m("time_to_read", time_to_read, "window_ms", timed=("window_ms",)),
        _m("selectivity", selectivity, "share_selective_above_null"),
        _m("feature_recovery", feature_recovery, "share_recovered"),
        _m("ablation", ablation, "circuit_share", True),
        _m("patching", patching, "top10_share", True),
        _m("steering", steering, "median_scale", True),
        _m("similarity", similarity, "cka_labels"),
        _m("dictionary", dictionary, "superposition"),
        _m("receptive_fields", receptive_fields, "share_clean"),
        _m("abstraction", abstraction, "no_delays_iia", True),
    ]
}


def measure_all(model, task, names=None, **options) -> dict[str, ProbeResult]:
    names = list(MEASUREMENTS) if not names else list(names)
    return {n: MEASUREMENTS[n](model, task, **options.get(n, {})) for n in names}
