"""Steering: can a class-mean difference direction move the network's decision?

For a (source, target) class pair the direction is ``mean(activity | target) - mean(activity
| source)`` at a site (ActAdd / "cheese vector" style, Turner et al. 2023). It is added
(``Steer``) with growing scale to inputs of the source class; the pair succeeds when most
of them are then predicted as the target within the scale budget. Multilabel: one pair per
factor (absent -> present). The collateral cost is the accuracy drop the same steer causes
on inputs of other classes.
"""

from __future__ import annotations

import numpy as np

from .common import accuracy, class_means, clean_recording, features, primary_site, subset_indices, task_targets
from .interventions import Steer
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "success_share",
        "higher",
        0.0,
        1.0,
        "share of (source, target) pairs moved to the target within the scale budget",
    ),
    ScoreSpec(
        "mean_scale", "lower", 0.0, float("inf"), "mean smallest successful scale (1 = the full class-mean difference)"
    ),
    ScoreSpec("collateral_drop", "lower", -1.0, 1.0, "accuracy drop on other classes under the successful steer"),
]


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    scales=(0.5, 1.0, 2.0, 4.0),
    max_pairs: int = 20,
    n_inputs: int = 10,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    rec = clean_recording(model, task, idx, recording)
    act = features(rec, site)
    y = task_targets(task, idx)
    x = task.x_test[idx]
    rng = np.random.default_rng(seed)
    if task.kind == "multiclass":
        means = class_means(act, y, "multiclass")
        classes = np.unique(y)
        pairs = [(s, t) for s in classes for t in classes if s != t]
    else:
        yb = np.asarray(y).astype(bool)
        pairs = [(f, f) for f in range(yb.shape[1]) if yb[:, f].any() and (~yb[:, f]).any()]
    if len(pairs) > max_pairs:
        pairs = [pairs[i] for i in np.sort(rng.choice(len(pairs), size=max_pairs, replace=False))]
    results = []
    for s, t in pairs:
        if task.kind == "multiclass":
            direction = means[t] - means[s]
            src = np.flatnonzero(y == s)
            others = np.flatnonzero((y != s) & (y != t))
        else:
            direction = act[yb[:, t]].mean(axis=0) - act[~yb[:, t]].mean(axis=0)
            src = np.flatnonzero(~yb[:, t])
            others = np.flatnonzero(~yb[:, t])
        src = rng.choice(src, size=min(n_inputs, len(src)), replace=False)
        others = rng.choice(others, size=min(2 * n_inputs, len(others)), replace=False)
        found = None
        for scale in scales:
            out = model.record(x[src], sites=[], interventions=[Steer(site, direction, scale)])
            pred = out.predictions
            hit = (pred == t).mean() if task.kind == "multiclass" else pred[:, t].mean()
            if hit > 0.5:
                found = scale
                break
        cost = np.nan
        if found is not None and len(others):
            clean = rec.subset(others)
            steered = model.record(x[others], sites=[], interventions=[Steer(site, direction, found)])
            if task.kind == "multiclass":
                cost = accuracy(clean, y[others], "multiclass") - accuracy(steered, y[others], "multiclass")
            else:  # labels other than the target must not change
                keep = [f for f in range(yb.shape[1]) if f != t]
                yo = y[others][:, keep]
                cost = float(
                    np.mean(
                        [
                            np.mean(clean.predictions[:, f] == yo[:, k])
                            - np.mean(steered.predictions[:, f] == yo[:, k])
                            for k, f in enumerate(keep)
                        ]
                    )
                )
        results.append((s, t, found, cost))
    ok = [r for r in results if r[2] is not None]
    return ProbeResult(
        {
            "success_share": len(ok) / len(results) if results else 0.0,
            "mean_scale": float(np.mean([r[2] for r in ok])) if ok else float(max(scales) * 2),
            "collateral_drop": float(np.nanmean([r[3] for r in ok]))
            if ok and not all(np.isnan(r[3]) for r in ok)
            else 0.0,
        },
        {
            "pairs": [(int(s), int(t)) for s, t, _, _ in results],
            "scale": np.array([np.nan if r[2] is None else r[2] for r in results]),
            "scales": np.asarray(scales, float),
        },
        meta={"site": site, "n_pairs": len(results)},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, r in results.items():
        scales = r.details["scales"]
        got = r.details["scale"]
        share = [(np.nan_to_num(got, nan=np.inf) <= s).mean() for s in scales]
        ax.plot(scales, share, marker="o", label=name)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("steering scale (1 = class-mean difference)")
    ax.set_ylabel("share of pairs moved to target")
    ax.set_ylim(0, 1.02)
    ax.set_title("Steering with class-mean directions")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
