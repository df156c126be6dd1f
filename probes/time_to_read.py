"""Time to read: how much observation a linear probe needs.

Decoding accuracy (as in :mod:`probes.decoding`, folds grouped by distinct input) from the
first ``k`` time bins of the presentation, for growing ``k`` (a geometric grid, refined by
bisection to adjacent bins where the curve first reaches its target), and from growing
numbers of recorded samples. The accuracy-vs-window curve starts at chance for an empty
window (0 ms) and is interpolated linearly between adjacent bins: ``window_ms`` is where it
first reaches 95% of the asymptote (all bins, all samples), a continuous value resolved to
a fraction of a bin. A one-step network (dense,
``n_bins == 1``) does not run in time: its window is "n/a" (NaN, the reason in
``details["not_applicable"]``), not 0 ms.
"""

from __future__ import annotations

import numpy as np

from .common import clean_recording, distinct_groups, not_applicable, primary_site, subset_indices, task_targets
from .decoding import cv_accuracy, cv_splits
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "window_ms",
        "lower",
        0.0,
        float("inf"),
        "observation window (ms, interpolated) needed for 95% of the asymptotic accuracy; n/a for one-step networks",
    ),
    ScoreSpec(
        "samples_needed", "lower", 0.0, float("inf"), "recorded samples needed for 95% of the asymptotic accuracy"
    ),
    ScoreSpec("asymptote", "higher", 0.0, 1.0, "decoding accuracy with every bin and every sample"),
]


def crossing(xs, accs, target) -> float:
    """First ``x`` at which the piecewise-linear curve ``(xs, accs)`` reaches ``target`` (``xs[-1]`` if never)."""
    for k in range(len(xs)):
        if accs[k] >= target:
            if k == 0:
                return float(xs[0])
            x0, x1, a0, a1 = xs[k - 1], xs[k], accs[k - 1], accs[k]
            return float(x0 + (x1 - x0) * (target - a0) / (a1 - a0))
    return float(xs[-1])


def window_curve(acc_at, n_bins: int, target: float, chance: float, n_windows: int) -> tuple[np.ndarray, np.ndarray]:
    """Accuracy vs number of leading bins ``k``, refined where it first reaches ``target``.

    ``acc_at(k)`` is the accuracy from bins ``0..k-1``. Evaluated at ``k = 0`` (chance), at
    ``n_windows`` geometrically spaced ``k`` and, by bisection, at every ``k`` needed to find
    the two adjacent bin counts between which the curve first reaches ``target``.
    Returns ``(ks, accuracies)`` sorted by ``k``.
    """
    curve = {0: chance}
    for k in np.unique(np.round(np.geomspace(1, n_bins, min(n_windows, n_bins))).astype(int)):
        curve[int(k)] = acc_at(int(k))
    ks = sorted(curve)
    hi = next((k for k in ks if curve[k] >= target), None)
    if hi is not None and hi > 0:
        lo = max(k for k in ks if k < hi)
        while hi - lo > 1:
            mid = (lo + hi) // 2
            curve[mid] = acc_at(mid)
            lo, hi = (lo, mid) if curve[mid] >= target else (mid, hi)
    ks = sorted(curve)
    return np.asarray(ks), np.asarray([curve[k] for k in ks])


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
    n_windows: int = 10,
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
    groups = distinct_groups(task.x_test[idx])
    splits = cv_splits(act[:, 0], y, cv=cv, seed=seed, groups=groups)  # the same folds for every window
    asym = cv_accuracy(act.sum(axis=1), y, seed=seed, splits=splits)
    chance = 1.0 / len(np.unique(y)) if np.ndim(y) == 1 else 0.5
    if n_bins > 1:

        def acc_at(k):  # every bin: the asymptote, already measured on the same folds
            return asym if k == n_bins else cv_accuracy(act[:, :k].sum(axis=1), y, seed=seed, splits=splits)

        ks, win_acc = window_curve(
            acc_at,
            n_bins,
            0.95 * asym,
            chance,
            n_windows,
        )
        windows = ks * bin_ms
        window = crossing(windows, win_acc, 0.95 * asym)
    else:
        windows, win_acc, window = np.array([0.0]), [asym], float("nan")
    x_all = act.sum(axis=1)
    sizes = np.unique(np.round(np.geomspace(min(30, len(idx)), len(idx), n_sizes)).astype(int))
    rng = np.random.default_rng(seed)
    size_acc = []
    for n in sizes:
        sub = np.sort(rng.choice(len(idx), size=n, replace=False))
        if n == len(idx):  # every sample: the asymptote's data and folds
            size_acc.append(asym)
            continue
        size_acc.append(cv_accuracy(x_all[sub], y[sub], cv=cv, seed=seed, groups=groups[sub]))
    needed = _first_reaching(sizes, size_acc, 0.95 * asym)
    scores = {"window_ms": window, "samples_needed": needed, "asymptote": asym}
    details = {
        "windows_ms": np.asarray(windows, float),
        "window_accuracy": np.asarray(win_acc),
        "chance": chance,
        "sizes": sizes,
        "size_accuracy": np.asarray(size_acc),
    }
    if n_bins == 1:
        not_applicable(details, scores, f"{model.name} runs in one step (n_bins == 1): no time to read", ["window_ms"])
    return ProbeResult(scores, details, meta={"site": site, "n_samples": len(idx), "bin_ms": bin_ms})


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(8, 3.2), sharey=True)
    for name, r in results.items():
        d = r.details
        if "window_ms" not in d.get("not_applicable", {}):  # a one-step network has no window curve
            axes[0].plot(d["windows_ms"], d["window_accuracy"], marker=".", label=name)
        axes[1].plot(d["sizes"], d["size_accuracy"], marker="o", label=name)
    axes[0].set_xlabel("observation window (ms from onset)")
    axes[0].set_ylabel("probe balanced accuracy")
    axes[1].set_xlabel("recorded samples")
    axes[1].set_xscale("log")
    for ax in axes:
        ax.set_ylim(0, 1)
        if ax.get_legend_handles_labels()[0]:  # no window curve when every network runs in one step
            ax.legend(fontsize=8)
    fig.suptitle("Time and data needed to read the task")
    fig.tight_layout()
    return fig
