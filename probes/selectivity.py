"""Unit selectivity: the class selectivity index of each unit (Morcos et al. 2018).

``SI = (mu_max - mu_rest) / (mu_max + mu_rest)``: ``mu_max`` is the unit's largest
class-conditional mean activity, ``mu_rest`` the mean of its other class means
(multilabel: the means with each factor present). SI is 0 for a unit that responds
equally to every class and 1 for a unit that responds to one class only. Dead units
(no activity on any sample) have no SI and are counted separately.
"""

from __future__ import annotations

import numpy as np

from .common import class_means, clean_recording, features, primary_site, subset_indices, task_targets
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec("mean_si", "higher", 0.0, 1.0, "mean class selectivity index of the live units"),
    ScoreSpec("share_selective", "higher", 0.0, 1.0, "share of all units with SI > 0.5"),
    ScoreSpec("share_dead", "lower", 0.0, 1.0, "share of units with no activity on the test samples"),
]


def selectivity_index(means: np.ndarray) -> np.ndarray:
    """SI per unit from class means ``[n_classes, n_units]`` (activities >= 0); NaN for dead units."""
    means = np.maximum(np.asarray(means, np.float64), 0.0)
    mu_max = means.max(axis=0)
    mu_rest = (means.sum(axis=0) - mu_max) / max(means.shape[0] - 1, 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        si = (mu_max - mu_rest) / (mu_max + mu_rest)
    si[mu_max <= 0] = np.nan
    return si


def measure(
    model, task, *, site: str | None = None, max_samples: int | None = 500, seed: int = 0, recording=None
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    act = features(clean_recording(model, task, idx, recording), site)
    means = class_means(act, task_targets(task, idx), task.kind)
    si = selectivity_index(means)
    dead = act.max(axis=0) <= 0
    live = si[~np.isnan(si)]
    return ProbeResult(
        {
            "mean_si": float(live.mean()) if len(live) else 0.0,
            "share_selective": float((np.nan_to_num(si) > 0.5).mean()),
            "share_dead": float(dead.mean()),
        },
        {"si": si, "preferred": means.argmax(axis=0)},
        meta={"site": site, "n_samples": len(idx)},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    bins = np.linspace(0, 1, 21)
    for name, r in results.items():
        si = r.details["si"]
        ax.hist(si[~np.isnan(si)], bins=bins, alpha=0.5, density=True, label=name)
    ax.axvline(0.5, color="grey", ls=":")
    ax.set_xlabel("class selectivity index (Morcos et al. 2018)")
    ax.set_ylabel("density of live units")
    ax.set_xlim(0, 1)
    ax.legend(fontsize=8)
    ax.set_title("Unit selectivity")
    fig.tight_layout()
    return fig
