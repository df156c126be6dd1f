"""Time to read: how much observation a linear probe needs.

Decoding accuracy (as in :mod:`probes.decoding`) from the first ``k`` time bins of the
presentation, for growing ``k``, and from growing numbers of recorded samples. The
window (ms) and the sample count needed to reach 95% of the asymptote (all bins, all
samples) are the scores. A dense network has one step: its window is 0 ms.
"""

from __future__ import annotations

import numpy as np

from .common import clean_recording, primary_site, subset_indices, task_targets
from .decoding import cv_accuracy
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "window_ms",
        "lower",
        0.0,
        float("inf"),
        "observation window needed for 95% of the asymptotic accuracy (dense: 0)",
    ),
    ScoreSpec(
        "samples_needed", "lower", 0.0, float("inf"), "recorded samples needed for 95% of the asymptotic accuracy"
    ),
    ScoreSpec("asymptote", "higher", 0.0, 1.0, "decoding accuracy with every bin and every sample"),
]


def _first_reaching(xs, accs, target):
    for x, a in zip(xs, accs):
        if a >= target:
            return float(x)
    return float(xs[-1])


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    n_windows: int = 8,
    n_sizes: int = 6,
    cv: int = 3,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    rec = clean_recording(model, task, idx, recording)
    act = rec.activity[site].astype(np.float64)  # [n, n_bins, n_units]
    y = task_targets(task, idx)
    n_bins = act.shape[1]
    bin_ms = rec.meta.get("bin_ms") or 0.0
    asym = cv_accuracy(act.sum(axis=1), y, cv=cv, seed=seed)
    if n_bins > 1:
        ks = np.unique(np.round(np.geomspace(1, n_bins, n_windows)).astype(int))
        win_acc = [cv_accuracy(act[:, :k].sum(axis=1), y, cv=cv, seed=seed) for k in ks]
        windows = ks * bin_ms
        window = _first_reaching(windows, win_acc, 0.95 * asym)
    else:
        windows, win_acc, window = np.array([0.0]), [asym], 0.0
    x_all = act.sum(axis=1)
    sizes = np.unique(np.round(np.geomspace(min(30, len(idx)), len(idx), n_sizes)).astype(int))
    rng = np.random.default_rng(seed)
    size_acc = []
    for n in sizes:
        sub = np.sort(rng.choice(len(idx), size=n, replace=False))
        size_acc.append(cv_accuracy(x_all[sub], y[sub], cv=cv, seed=seed))
    needed = _first_reaching(sizes, size_acc, 0.95 * asym)
    return ProbeResult(
        {"window_ms": window, "samples_needed": needed, "asymptote": asym},
        {
            "windows_ms": np.asarray(windows, float),
            "window_accuracy": np.asarray(win_acc),
            "sizes": sizes,
            "size_accuracy": np.asarray(size_acc),
        },
        meta={"site": site, "n_samples": len(idx), "bin_ms": bin_ms},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for name, r in results.items():
        d = r.details
        axes[0].plot(d["windows_ms"], d["window_accuracy"], marker="o", label=name)
        axes[1].plot(d["sizes"], d["size_accuracy"], marker="o", label=name)
    axes[0].set_xlabel("observation window (ms from onset)")
    axes[0].set_ylabel("probe balanced accuracy")
    axes[1].set_xlabel("recorded samples")
    axes[1].set_xscale("log")
    for ax in axes:
        ax.set_ylim(0, 1)
        ax.legend(fontsize=8)
    fig.suptitle("Time and data needed to read the task")
    fig.tight_layout()
    return fig
