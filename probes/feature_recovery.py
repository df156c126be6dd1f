"""Feature recovery: does each ground-truth factor have a unit of its own?

For each factor of ``task.factors_test`` and each unit, the ROC AUC of the unit's activity
for the factor's presence. The best unit per factor, then a one-to-one matching of factors
to units (Hungarian algorithm, ``scipy.optimize.linear_sum_assignment``) maximising the
total AUC; a factor is *recovered* when its matched unit has AUC >= 0.95.
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

from .common import auc_matrix, clean_recording, factor_matrix, features, primary_site, subset_indices
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec("share_recovered", "higher", 0.0, 1.0, "share of factors whose one-to-one matched unit has AUC >= 0.95"),
    ScoreSpec("matched_auc", "higher", 0.0, 1.0, "mean AUC of the matched units"),
    ScoreSpec("best_auc", "higher", 0.0, 1.0, "mean over factors of the best unit's AUC (units may repeat)"),
]


def match(auc: np.ndarray, threshold: float = 0.95) -> tuple[np.ndarray, np.ndarray, int]:
    """One-to-one factor->unit matching: (matched unit per factor, its AUC, number >= threshold)."""
    rows, cols = linear_sum_assignment(-auc)
    unit = np.full(auc.shape[0], -1)
    unit[rows] = cols
    matched = np.where(unit >= 0, auc[np.arange(auc.shape[0]), np.maximum(unit, 0)], 0.5)
    return unit, matched, int((matched >= threshold).sum())


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    seed: int = 0,
    threshold: float = 0.95,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    act = features(clean_recording(model, task, idx, recording), site)
    auc = auc_matrix(factor_matrix(task, idx), act)
    unit, matched, n_rec = match(auc, threshold)
    return ProbeResult(
        {
            "share_recovered": n_rec / auc.shape[0],
            "matched_auc": float(matched.mean()),
            "best_auc": float(auc.max(axis=1).mean()),
        },
        {
            "auc": auc,
            "matched_unit": unit,
            "matched_auc": matched,
            "factor_names": list(getattr(task, "factor_names", [])),
        },
        meta={"site": site, "n_samples": len(idx), "threshold": threshold},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2))
    names = list(results)
    n_f = len(next(iter(results.values())).details["matched_auc"])
    width = 0.8 / max(len(names), 1)
    for k, name in enumerate(names):
        ax.bar(np.arange(n_f) + k * width, results[name].details["matched_auc"], width, label=name)
    ax.axhline(0.95, color="grey", ls=":", label="recovered (0.95)")
    ax.set_ylim(0.4, 1.0)
    labels = results[names[0]].details.get("factor_names") or [str(i) for i in range(n_f)]
    ax.set_xticks(np.arange(n_f) + 0.4 - width / 2, labels, rotation=90, fontsize=7)
    ax.set_ylabel("ROC AUC of matched unit")
    ax.set_title("Feature recovery (one-to-one matching)")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
