"""A measurement of your own, registered next to the built-in ones and run on both networks.

    python examples/custom_measurement.py --out runs/sparseness          # 100 units each
    python examples/custom_measurement.py --tiny --out /tmp/sparseness   # seconds

The measurement here is population sparseness (Treves & Rolls 1991; Vinje & Gallant 2000): for
each input, ``S = (1 - (mean a)^2 / mean(a^2)) / (1 - 1/n)`` over the site's ``n`` units, 0 when
every unit is equally active and 1 when a single unit carries all the activity. A measurement
is a function ``measure(model, task, **options) -> ProbeResult`` that sees only the Probeable
interface, a ``figure`` function, and ``ScoreSpec``s that document each score's direction and
range. Registered in ``probes.MEASUREMENTS``, it is run by ``comparisons.pipeline.run_compare``
and appears in the report like the others.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from probes import MEASUREMENTS, ProbeResult
from probes.registry import Measurement
from probes.result import ScoreSpec

SCORES = [
    ScoreSpec("mean_sparseness", "higher", 0.0, 1.0, "population sparseness per input, averaged over inputs"),
    ScoreSpec("silent_share", "lower", 0.0, 1.0, "share of inputs on which the site is silent"),
]


def population_sparseness(act: np.ndarray) -> np.ndarray:
    """``act [n_samples, n_units]`` (non-negative) -> sparseness per sample in [0, 1]; NaN when silent."""
    n = act.shape[1]
    mean, mean_sq = act.mean(1), (act**2).mean(1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (1.0 - mean**2 / mean_sq) / (1.0 - 1.0 / n)


def measure(model, task, *, site=None, max_samples=500, seed=0, recording=None) -> ProbeResult:
    """Population sparseness of a site's activity on the test inputs (first ``max_samples``)."""
    site = site or next(iter(model.sites()))
    n = len(task.x_test) if max_samples is None else min(max_samples, len(task.x_test))
    rec = recording if recording is not None else model.record(task.x_test[:n], sites=[site])
    act = rec.counts(site)[:n]  # spike counts or activations, [n_samples, n_units]
    s = population_sparseness(act)
    live = ~np.isnan(s)
    scores = {
        "mean_sparseness": float(s[live].mean()) if live.any() else 0.0,
        "silent_share": float(1.0 - live.mean()),
    }
    return ProbeResult(scores, details={"sparseness": s[live]}, meta={"site": site, "n_samples": n})


def figure(results: dict[str, ProbeResult]):
    """Histogram of per-input sparseness, one colour per model."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3))
    for name, r in results.items():
        ax.hist(r.details["sparseness"], bins=20, range=(0, 1), alpha=0.5, label=name)
    ax.set_xlabel("population sparseness per input")
    ax.set_ylabel("inputs")
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def register() -> Measurement:
    m = Measurement(
        name="sparseness",
        measure=measure,
        figure=figure,
        scores=tuple(SCORES),
        headline="mean_sparseness",
        uses_interventions=False,
        doc="Population sparseness: how few units carry each input's activity.",
    )
    MEASUREMENTS[m.name] = m
    return m


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiny", action="store_true", help="a small run for a smoke test")
    p.add_argument("--out", default="runs/sparseness", help="folder for report.html, report.md, metrics.json")
    args = p.parse_args(argv)

    from comparisons.config import load_config
    from comparisons.pipeline import run_compare
    from comparisons.report import write_reports
    from comparisons.tasks import Task

    register()
    units = 20 if args.tiny else 100
    overrides = [f"snn.n_neurons={units}", f"dense.hidden=[{units}]"]  # digits, seed 0
    if args.tiny:  # the noise ceiling and the null at their smallest (the defaults multiply the cost)
        overrides += ["probes.redraws=1", "probes.resamples=2", "probes.long_window=0"]
    cfg = load_config(overrides=overrides)
    task = cfg.task.load(cfg.seed)
    if args.tiny:  # a subset of the task, checked like any user array
        task = Task.from_arrays(task.x_train[:200], task.y_train[:200], task.x_test[:100], task.y_test[:100])
    result = run_compare(cfg, measures=["sparseness", "decoding"], task=task, progress=False)
    paths = write_reports(result, Path(args.out))
    for net, r in result.results["sparseness"].items():
        print(f"{net:14s} " + ", ".join(f"{k} {v:.3f}" for k, v in r.scores.items()))
    print("report:", paths.get("html", args.out))
    return {net: r.scores for net, r in result.results["sparseness"].items()}


if __name__ == "__main__":
    main()
