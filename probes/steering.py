"""Steering: how large an edit along a class-mean direction moves the network's decision, and what else it moves.

For a (source, target) class pair the direction is ``mean(activity | target) - mean(activity
| source)`` at a site (ActAdd / "cheese vector" style, Turner et al. 2023), normalised to unit
length. It is added (``Steer``) to inputs of the source class with a length of ``scale``
times the site's activity SD (the root mean variance of its live units, so the scale reads
the same on spike counts and on activations). The pair's *scale* is the smallest one at
which most source inputs are predicted as the target: an exponential search on powers of
two, then bisection in log scale (resolution ``2 ** (1 / 2 ** n_bisect)``); pairs that do not
move within ``max_scale`` count as ``2 * max_scale``. Multilabel: one pair per factor
(absent -> present).

Nearly every network can be steered by a large enough edit (success rates are 96-100% on
every network), so the headline is the size of the edit: small when one or a few units
carry the decision (it grows as the square root of the number of units the class
difference is spread over). The *collateral* is measured at a fixed budget (``budget``
SDs, the same for every network): the share of the squared change of the readout's outputs
on the source inputs that falls on outputs other than the source and the target
(multilabel: other than the target label).
"""

from __future__ import annotations

import numpy as np

from .common import class_means, clean_recording, features, primary_site, subset_indices, task_targets
from .interventions import Steer
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "median_scale",
        "lower",
        0.0,
        float("inf"),
        "median over pairs of the smallest edit (in site activity SDs) that moves the decision to the target",
    ),
    ScoreSpec(
        "collateral",
        "lower",
        0.0,
        1.0,
        "share of the squared output change at a fixed budget on outputs other than source and target",
    ),
    ScoreSpec(
        "success_share",
        "higher",
        0.0,
        1.0,
        "share of pairs moved to the target within max_scale (near 1 for most networks: a ceiling, not a contrast)",
    ),
]


def site_sd(act: np.ndarray) -> float:
    """Root mean variance of the live units of ``act`` ``[n, n_units]`` (1.0 if every unit is constant)."""
    var = act.var(axis=0)
    live = var > 0
    return float(np.sqrt(var[live].mean())) if live.any() else 1.0


def smallest_scale(moves, max_scale: float, n_bisect: int = 3) -> float:
    """Smallest ``scale`` in ``(0, max_scale]`` with ``moves(scale)`` True (assumed monotone), else ``inf``.

    Exponential search over powers of two from 1, then ``n_bisect`` bisections in log scale.
    """
    lo, hi, s = 0.0, None, 1.0
    if moves(min(s, max_scale)):
        hi, s = min(s, max_scale), min(s, max_scale) / 2
        while s >= max_scale / 2**12 and moves(s):
            hi, s = s, s / 2
        lo = s
    else:
        while s < max_scale:
            lo, s = s, min(2 * s, max_scale)
            if moves(s):
                hi = s
                break
    if hi is None:
        return float("inf")
    for _ in range(n_bisect if lo > 0 else 0):
        mid = float(np.sqrt(lo * hi))
        lo, hi = (lo, mid) if moves(mid) else (mid, hi)
    return float(hi)


def _pairs(task, y, rng, max_pairs):
    if task.kind == "multiclass":
        classes = np.unique(y)
        pairs = [(s, t) for s in classes for t in classes if s != t]
    else:
        yb = np.asarray(y).astype(bool)
        pairs = [(f, f) for f in range(yb.shape[1]) if yb[:, f].any() and (~yb[:, f]).any()]
    if len(pairs) > max_pairs:
        pairs = [pairs[i] for i in np.sort(rng.choice(len(pairs), size=max_pairs, replace=False))]
    return pairs


def collateral_share(clean_out: np.ndarray, steered_out: np.ndarray, kept: list[int]) -> float:
    """Share of the squared output change on outputs not in ``kept``, mean over inputs that changed (NaN if none).

    Squared, so that the small leak of a class-mean direction estimated from finite samples onto
    many other outputs weighs little next to a change of the kept outputs of the same size.
    """
    change = (np.asarray(steered_out, float) - np.asarray(clean_out, float)) ** 2  # [n, n_outputs]
    total = change.sum(axis=1)
    other = total - change[:, kept].sum(axis=1)
    moved = total > 1e-24 * max(1.0, float(np.abs(clean_out).max()) ** 2)
    return float((other[moved] / total[moved]).mean()) if moved.any() else float("nan")


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    max_scale: float = 32.0,
    budget: float = 4.0,
    n_bisect: int = 3,
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
    sd = site_sd(act)
    multiclass = task.kind == "multiclass"
    means = class_means(act, y, "multiclass") if multiclass else None
    yb = None if multiclass else np.asarray(y).astype(bool)
    scales, collateral, pairs = [], [], _pairs(task, y, rng, max_pairs)
    for s, t in pairs:
        if multiclass:
            delta, src = means[t] - means[s], np.flatnonzero(y == s)
        else:
            delta, src = act[yb[:, t]].mean(axis=0) - act[~yb[:, t]].mean(axis=0), np.flatnonzero(~yb[:, t])
        src = rng.choice(src, size=min(n_inputs, len(src)), replace=False)
        norm = float(np.linalg.norm(delta))
        if norm == 0:
            scales.append(float("inf"))
            collateral.append(float("nan"))
            continue
        unit = delta * (sd / norm)  # one SD of edit along the class-mean direction

        def steered(scale, unit=unit, src=src):
            return model.record(x[src], sites=[], interventions=[Steer(site, unit, scale)])

        def moves(scale, t=t):
            pred = steered(scale).predictions
            return (pred == t).mean() > 0.5 if multiclass else pred[:, t].mean() > 0.5

        scales.append(smallest_scale(moves, max_scale, n_bisect))
        kept = [int(s), int(t)] if multiclass else [int(t)]
        collateral.append(collateral_share(rec.outputs[src], steered(budget).outputs, kept))
    scales = np.asarray(scales, float)
    capped = np.where(np.isfinite(scales), scales, 2 * max_scale)
    coll = np.asarray(collateral, float)
    return ProbeResult(
        {
            "median_scale": float(np.median(capped)) if len(capped) else 2 * max_scale,
            "collateral": float(np.nanmean(coll)) if np.isfinite(coll).any() else 0.0,
            "success_share": float(np.isfinite(scales).mean()) if len(scales) else 0.0,
        },
        {
            "pairs": [(int(s), int(t)) for s, t in pairs],
            "scale": np.where(np.isfinite(scales), scales, np.nan),
            "collateral": coll,
            "site_sd": sd,
            "max_scale": max_scale,
            "budget": budget,
        },
        meta={"site": site, "n_pairs": len(pairs), "site_sd": sd},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    for name, r in results.items():
        got = np.nan_to_num(r.details["scale"], nan=np.inf)
        grid = np.geomspace(1 / 8, r.details["max_scale"], 41)
        ax.plot(grid, [(got <= g).mean() for g in grid], label=name)
    ax.set_xscale("log", base=2)
    ax.set_xlabel("edit size along the class-mean direction (site activity SDs)")
    ax.set_ylabel("share of pairs moved to target")
    ax.set_ylim(0, 1.02)
    ax.set_title("Steering: edit needed to move the decision")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
