"""Ablation: which units the network's own readout needs.

Each live unit of a site is ablated alone (``Ablate``) and the drop in task accuracy (the
network's own predictions on test samples) is its importance. Cumulative curves ablate
units most-important-first and in random order. The *faithful circuit* is the smallest
set of most-important units that alone (every other unit ablated) keeps ``keep`` (90%)
of the clean accuracy. Units silent on every sample are never needed and are skipped.
"""

from __future__ import annotations

import numpy as np

from .common import accuracy, clean_recording, features, primary_site, subset_indices, task_targets
from .interventions import Ablate
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "circuit_share", "lower", 0.0, 1.0, "share of units in the smallest top-importance set keeping 90% accuracy"
    ),
    ScoreSpec(
        "top10_drop_share", "higher", 0.0, 1.0, "share of the summed single-unit drops carried by the top 10% of units"
    ),
    ScoreSpec("max_drop", "higher", -1.0, 1.0, "largest accuracy drop from ablating one unit"),
    ScoreSpec("base_accuracy", "higher", 0.0, 1.0, "accuracy with no ablation"),
]


def _true_score(rec, y, kind) -> float:
    """Mean readout score of the correct answer: a finer importance signal than accuracy."""
    out = rec.outputs.astype(np.float64)
    if kind == "multiclass":
        return float(out[np.arange(len(y)), y].mean())
    return float((out * np.where(np.asarray(y).astype(bool), 1.0, -1.0)).mean())


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 200,
    n_points: int = 10,
    keep: float = 0.9,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    x, y, kind = task.x_test[idx], task_targets(task, idx), task.kind
    base = clean_recording(model, task, idx, recording)
    base_acc = accuracy(base, y, kind)
    base_score = _true_score(base, y, kind)
    n_units = model.sites()[site]
    live = np.flatnonzero(features(base, site).max(axis=0) > 0)

    def acc_without(units) -> tuple[float, float]:
        if len(units) == 0:
            return base_acc, base_score
        rec = model.record(x, sites=[], interventions=[Ablate(site, np.asarray(units, int))])
        return accuracy(rec, y, kind), _true_score(rec, y, kind)

    drop = np.zeros(n_units)
    score_drop = np.zeros(n_units)
    for u in live:
        a, s = acc_without([u])
        drop[u], score_drop[u] = base_acc - a, base_score - s
    order = np.lexsort((-score_drop, -drop))  # most important first; ties broken by the score drop
    ks = np.unique(np.round(np.geomspace(1, n_units, n_points)).astype(int))
    rng = np.random.default_rng(seed)
    random_order = rng.permutation(n_units)
    curve_top = np.array([acc_without(order[:k])[0] for k in ks])
    curve_random = np.array([acc_without(random_order[:k])[0] for k in ks])

    # faithful circuit: smallest k such that keeping only order[:k] keeps `keep` of the accuracy
    def kept(k):
        return acc_without(order[k:])[0]

    target = keep * base_acc
    lo, hi = 0, n_units  # kept(hi) == base_acc >= target
    grid = [k for k in ks if k < n_units]
    for k in grid:
        if kept(k) >= target:
            hi = k
            break
        lo = k
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if kept(mid) >= target:
            hi = mid
        else:
            lo = mid
    pos = np.sort(np.clip(drop, 0, None))[::-1]
    top = max(1, int(round(0.1 * n_units)))
    share = float(pos[:top].sum() / pos.sum()) if pos.sum() > 0 else 0.0
    return ProbeResult(
        {
            "circuit_share": hi / n_units,
            "top10_drop_share": share,
            "max_drop": float(drop.max()),
            "base_accuracy": base_acc,
        },
        {
            "drop": drop,
            "score_drop": score_drop,
            "order": order,
            "ks": ks,
            "curve_top": curve_top,
            "curve_random": curve_random,
            "circuit_units": hi,
            "n_units": n_units,
        },
        meta={"site": site, "n_samples": len(idx), "keep": keep},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5.5, 3.4))
    for name, r in results.items():
        d = r.details
        frac = d["ks"] / d["n_units"]
        (line,) = ax.plot(frac, d["curve_top"], marker="o", label=f"{name}: most important first")
        ax.plot(frac, d["curve_random"], ls="--", color=line.get_color(), label=f"{name}: random order")
    ax.set_xscale("log")
    ax.set_xlabel("share of units ablated")
    ax.set_ylabel("task accuracy")
    ax.set_ylim(0, 1)
    ax.set_title("Cumulative ablation")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
