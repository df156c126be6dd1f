"""Unit selectivity: the class selectivity index of each unit (Morcos et al. 2018), against its null.

``SI = (mu_max - mu_rest) / (mu_max + mu_rest)``: ``mu_max`` is the unit's largest
class-conditional mean activity, ``mu_rest`` the mean of its other class means
(multilabel: the means with each factor present). SI is 0 for a unit that responds
equally to every class and 1 for a unit that responds to one class only. Dead units
(no activity on any sample) have no SI and are counted separately.

The raw index rises with sparsity: a unit that fires on a few samples has a few noisy
class means, one of which is the largest, so a sparse code unrelated to the labels has
SI near 1 (with shuffled labels ``share_selective`` is 0.47 for a spiking network and
0.003 for an SGD network). The headline therefore compares each unit's SI with its own
*null*: the SI of the same activity under ``n_shuffles`` permutations of the labels across
samples (multilabel: rows of the label matrix permuted together). A unit is selective
above its null when its SI exceeds the null's 95th percentile; a code unrelated to the
labels scores the false-positive rate (about 0.05), a planted selective code 1.
"""

from __future__ import annotations

import warnings

import numpy as np

from .common import class_means, clean_recording, features, primary_site, subset_indices, task_targets
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "share_selective_above_null",
        "higher",
        0.0,
        1.0,
        "share of all units whose SI exceeds the 95th percentile of their SI under label shuffles (chance ~0.05)",
    ),
    ScoreSpec(
        "mean_si_excess",
        "higher",
        -1.0,
        1.0,
        "mean over live units of SI minus the unit's mean SI under label shuffles (sparsity-corrected index)",
    ),
    ScoreSpec(
        "mean_si", "higher", 0.0, 1.0, "mean raw class selectivity index of the live units (rises with sparsity)"
    ),
    ScoreSpec("share_selective", "higher", 0.0, 1.0, "share of all units with raw SI > 0.5 (rises with sparsity)"),
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


def _membership(y: np.ndarray, kind: str) -> np.ndarray:
    """``[n_samples, n_classes]`` float: one-hot classes (multiclass) or the binary label matrix."""
    if kind == "multiclass":
        return np.eye(int(y.max()) + 1)[y]
    return np.asarray(y, np.float64)


def null_si(act: np.ndarray, y: np.ndarray, kind: str, n_shuffles: int = 200, seed: int = 0) -> np.ndarray:
    """SI of every unit under ``n_shuffles`` label permutations: ``[n_shuffles, n_units]`` (NaN for dead units)."""
    rng = np.random.default_rng(seed)
    member = _membership(y, kind)
    counts = member.sum(axis=0)
    out = np.empty((n_shuffles, act.shape[1]))
    for s in range(n_shuffles):
        m = member[rng.permutation(len(member))]
        with np.errstate(invalid="ignore", divide="ignore"):
            means = np.where(counts[:, None] > 0, (m.T @ act) / counts[:, None], 0.0)
        out[s] = selectivity_index(means)
    return out


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    n_shuffles: int = 200,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    act = features(clean_recording(model, task, idx, recording), site)
    y = task_targets(task, idx)
    means = class_means(act, y, task.kind)
    si = selectivity_index(means)
    null = null_si(act, y, task.kind, n_shuffles, seed + 1)
    dead = act.max(axis=0) <= 0
    live = ~np.isnan(si)
    with warnings.catch_warnings():  # a unit active only where no label is present has an all-NaN null
        warnings.simplefilter("ignore", RuntimeWarning)
        q95 = np.nanquantile(null, 0.95, axis=0)
        null_mean = np.nanmean(null, axis=0)
    above = live & (np.nan_to_num(si) > np.nan_to_num(q95, nan=np.inf))
    excess = np.nan_to_num(si[live] - null_mean[live])
    return ProbeResult(
        {
            "share_selective_above_null": float(above.mean()),
            "mean_si_excess": float(excess.mean()) if live.any() else 0.0,
            "mean_si": float(si[live].mean()) if live.any() else 0.0,
            "share_selective": float((np.nan_to_num(si) > 0.5).mean()),
            "share_dead": float(dead.mean()),
        },
        {
            "si": si,
            "null_q95": q95,
            "null_mean": null_mean,
            "above_null": above,
            "preferred": means.argmax(axis=0),
        },
        meta={"site": site, "n_samples": len(idx), "n_shuffles": n_shuffles},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    bins = np.linspace(-1, 1, 41)
    for name, r in results.items():
        si, null = r.details["si"], r.details["null_mean"]
        live = ~np.isnan(si)
        ax.hist(si[live] - null[live], bins=bins, alpha=0.5, density=True, label=name)
    ax.axvline(0.0, color="grey", ls=":")
    ax.set_xlabel("SI minus its shuffled-label mean (Morcos et al. 2018 index)")
    ax.set_ylabel("density of live units")
    ax.set_xlim(-1, 1)
    ax.legend(fontsize=8)
    ax.set_title("Unit selectivity above its null")
    fig.tight_layout()
    return fig
