"""Activation patching: which units carry the difference between two inputs.

Pairs (clean, corrupt) of test inputs with different labels. For each unit, the network
runs on the corrupt input with that unit patched to its clean activity (``Patch``; on a
spiking network the unit replays its clean spike train) and the change in the readout's
*clean-vs-corrupt score difference* is the unit's effect (clean class minus corrupt
class; multilabel: summed over the labels that differ). The score is how concentrated the
effect is: the share of the summed absolute effects carried by the top 10% of units.
"""

from __future__ import annotations

import numpy as np

from .common import features, primary_site, subset_indices, task_targets
from .interventions import Patch
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec("top10_share", "higher", 0.0, 1.0, "share of the summed |effect| carried by the top 10% of units"),
    ScoreSpec("half_share", "lower", 0.0, 1.0, "smallest share of units that carries half of the summed |effect|"),
    ScoreSpec(
        "full_effect",
        "higher",
        float("-inf"),
        float("inf"),
        "effect of patching every unit at once (the total to explain)",
    ),
]


def _pairs(task, idx, n_clean, n_corrupt, rng):
    y = task_targets(task, idx)
    clean = rng.choice(len(idx), size=min(n_clean, len(idx)), replace=False)
    pairs = []
    for c in clean:
        differ = np.flatnonzero(y != y[c]) if np.ndim(y) == 1 else np.flatnonzero((y != y[c]).any(axis=1))
        if len(differ):
            pairs.append((c, rng.choice(differ, size=min(n_corrupt, len(differ)), replace=False)))
    return pairs


def _metric(outputs, y_clean, y_corrupt):
    """Clean-minus-corrupt score difference per corrupt sample."""
    out = np.asarray(outputs, np.float64)
    if np.ndim(y_clean) == 0:
        return out[:, y_clean] - out[np.arange(len(out)), y_corrupt]
    sign = np.asarray(y_clean, float)[None, :] - np.asarray(y_corrupt, float)
    return (out * sign).sum(axis=1)


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 200,
    n_clean: int = 4,
    n_corrupt: int = 4,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    rng = np.random.default_rng(seed)
    y = task_targets(task, idx)
    x = task.x_test[idx]
    n_units = model.sites()[site]
    effect = np.zeros(n_units)
    full = []
    pairs = _pairs(task, idx, n_clean, n_corrupt, rng)
    for c, corrupt in pairs:
        clean_rec = model.record(x[c : c + 1], sites=[site])
        base = model.record(x[corrupt], sites=[site])
        m0 = _metric(base.outputs, y[c], y[corrupt])
        everything = model.record(x[corrupt], sites=[], interventions=[Patch(site, range(n_units), clean_rec, 0)])
        full.append((_metric(everything.outputs, y[c], y[corrupt]) - m0).mean())
        # a unit silent in the clean input and in every corrupt input has exactly no effect
        active = (features(clean_rec, site)[0] > 0) | (features(base, site).max(axis=0) > 0)
        for u in np.flatnonzero(active):
            rec = model.record(x[corrupt], sites=[], interventions=[Patch(site, [u], clean_rec, 0)])
            effect[u] += (_metric(rec.outputs, y[c], y[corrupt]) - m0).sum()
    n_pairs = max(1, sum(len(cr) for _, cr in pairs))
    effect /= n_pairs
    mag = np.sort(np.abs(effect))[::-1]
    total = mag.sum()
    top = max(1, int(round(0.1 * n_units)))
    top10 = float(mag[:top].sum() / total) if total > 0 else 0.0
    half = float((np.searchsorted(np.cumsum(mag), 0.5 * total) + 1) / n_units) if total > 0 else 1.0
    return ProbeResult(
        {"top10_share": top10, "half_share": half, "full_effect": float(np.mean(full)) if full else 0.0},
        {"effect": effect},
        meta={"site": site, "n_pairs": n_pairs},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, r in results.items():
        mag = np.sort(np.abs(r.details["effect"]))[::-1]
        total = mag.sum()
        if total > 0:
            ax.plot(np.arange(1, len(mag) + 1) / len(mag), np.cumsum(mag) / total, label=name)
    ax.axvline(0.1, color="grey", ls=":")
    ax.set_xscale("log")
    ax.set_xlabel("share of units (largest effect first)")
    ax.set_ylabel("share of patching effect")
    ax.set_ylim(0, 1.02)
    ax.set_title("Activation patching: concentration of the effect")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
