"""Feature recovery: does each ground-truth factor have a unit (or a few units) of its own?

Tasks whose factors are latent causes of the input (``task.has_latent_factors``; by default
multilabel tasks such as bars, where each bar is a factor): for each factor and each unit,
the ROC AUC of the unit's activity for the factor's presence; the best unit per factor, then
a one-to-one matching of factors to units (Hungarian algorithm,
``scipy.optimize.linear_sum_assignment``) maximising the total AUC. A factor is *recovered*
when its matched unit has AUC >= 0.95.

Class-only tasks (digits: the factors are the one-hot classes) have no latent factors, and
asking for one grandmother unit per class would rule out a prototype code (several units per
class, one per writing style) by construction. There the factor is read by a *population*:
for each class, within each cross-validation fold (stratified, grouped by distinct input),
the ``units_per_class`` units with the largest training-fold standardised mean difference
feed a linear readout (Fisher's discriminant; at most that many units: a sparse readout)
whose held-out ROC AUC is the class's recovery;
the AUC is averaged over folds. A class is recovered when that AUC is >= 0.95.
``details["mode"]`` says which definition was used ("units" or "population").
"""

from __future__ import annotations

import numpy as np

from .common import (
    auc_matrix,
    clean_recording,
    distinct_groups,
    factor_matrix,
    features,
    primary_site,
    subset_indices,
    task_targets,
)
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "share_recovered",
        "higher",
        0.0,
        1.0,
        "share of factors recovered with AUC >= 0.95: by their one-to-one matched unit (latent factors) "
        "or by a cross-validated readout of at most units_per_class units (class-only tasks)",
    ),
    ScoreSpec(
        "matched_auc",
        "higher",
        0.0,
        1.0,
        "mean AUC of the matched units (latent factors) or of the cross-validated population readouts (classes)",
    ),
    ScoreSpec("best_auc", "higher", 0.0, 1.0, "mean over factors of the best single unit's AUC (units may repeat)"),
]


def has_latent_factors(task) -> bool:
    """Whether ``task.factors_test`` are latent causes (bars) rather than the classes themselves (digits)."""
    return bool(getattr(task, "has_latent_factors", task.kind == "multilabel"))


def match(auc: np.ndarray, threshold: float = 0.95) -> tuple[np.ndarray, np.ndarray, int]:
    """One-to-one factor->unit matching: (matched unit per factor, its AUC, number >= threshold)."""
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-auc)
    unit = np.full(auc.shape[0], -1)
    unit[rows] = cols
    matched = np.where(unit >= 0, auc[np.arange(auc.shape[0]), np.maximum(unit, 0)], 0.5)
    return unit, matched, int((matched >= threshold).sum())


def standardised_difference(factors: np.ndarray, act: np.ndarray) -> np.ndarray:
    """``[n_factors, n_units]``: mean activity with the factor present minus absent, over the unit SD (0 if silent)."""
    f = np.asarray(factors, np.float64)
    n_pos = np.maximum(f.sum(axis=0), 1.0)[:, None]
    n_neg = np.maximum(len(f) - f.sum(axis=0), 1.0)[:, None]
    diff = (f.T @ act) / n_pos - ((1 - f).T @ act) / n_neg
    sd = act.std(axis=0)
    return np.where(sd > 0, diff / np.where(sd > 0, sd, 1.0), 0.0)


def fisher_readout(x: np.ndarray, y: np.ndarray, ridge: float = 1e-3) -> np.ndarray:
    """Weights ``[n_features]`` of Fisher's linear discriminant of binary ``y`` from ``x`` ``[n, n_features]``.

    ``w = (S_within + ridge * mean variance * I)^-1 (mean_1 - mean_0)`` on standardised features:
    a closed-form linear readout (no iterative fit).
    """
    sd = x.std(axis=0)
    z = x / np.where(sd > 0, sd, 1.0)
    z1, z0 = z[y], z[~y]
    within = (np.cov(z1, rowvar=False, bias=True) * len(z1) + np.cov(z0, rowvar=False, bias=True) * len(z0)) / len(z)
    within = np.atleast_2d(within)
    within += ridge * max(float(np.trace(within)) / len(within), 1e-12) * np.eye(len(within))
    return np.linalg.solve(within, z1.mean(axis=0) - z0.mean(axis=0)) / np.where(sd > 0, sd, 1.0)


def population_auc(act: np.ndarray, factors: np.ndarray, splits, units_per_class: int = 5) -> np.ndarray:
    """Held-out ROC AUC per factor ``[n_factors]`` of a linear readout of the factor's top units.

    ``act`` ``[n, n_units]``, ``factors`` ``[n, n_factors]`` binary, ``splits`` train/test index
    pairs. Units are ranked by their training-fold standardised mean difference (factor present
    minus absent, over the unit's SD: a unit answering a third of the factor's inputs strongly
    outranks a noise unit, which AUC's ranks cannot guarantee); the readout is Fisher's
    discriminant of the top units fitted on the training fold; the AUC is averaged over folds.
    """
    factors = np.asarray(factors).astype(bool)
    fold_auc = np.full((len(splits), factors.shape[1]), np.nan)
    for i, (train, test) in enumerate(splits):
        effect = standardised_difference(factors[train], act[train])
        for f in range(factors.shape[1]):
            yt, ye = factors[train, f], factors[test, f]
            if yt.all() or not yt.any() or ye.all() or not ye.any():
                continue
            top = np.argsort(-effect[f], kind="stable")[:units_per_class]
            score = act[test][:, top] @ fisher_readout(act[train][:, top], yt)
            fold_auc[i, f] = auc_matrix(ye[:, None], score[:, None])[0, 0]
    return np.nanmean(np.where(np.isnan(fold_auc).all(axis=0), 0.5, fold_auc), axis=0)


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    seed: int = 0,
    threshold: float = 0.95,
    units_per_class: int = 5,
    cv: int = 5,
    recording=None,
) -> ProbeResult:
    from .decoding import cv_splits

    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    act = features(clean_recording(model, task, idx, recording), site)
    factors = factor_matrix(task, idx)
    auc = auc_matrix(factors, act)
    details = {"auc": auc, "factor_names": list(getattr(task, "factor_names", []))}
    if has_latent_factors(task):
        unit, matched, n_rec = match(auc, threshold)
        details.update(mode="units", matched_unit=unit, matched_auc=matched)
    else:
        y = task_targets(task, idx)
        splits = cv_splits(act, y, cv=cv, seed=seed, groups=distinct_groups(task.x_test[idx]))
        matched = population_auc(act, factors, splits, units_per_class)
        n_rec = int((matched >= threshold).sum())
        details.update(mode="population", matched_unit=np.full(len(matched), -1), matched_auc=matched)
    return ProbeResult(
        {
            "share_recovered": n_rec / auc.shape[0],
            "matched_auc": float(matched.mean()),
            "best_auc": float(auc.max(axis=1).mean()),
        },
        details,
        meta={"site": site, "n_samples": len(idx), "threshold": threshold, "mode": details["mode"]},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6, 3.2))
    names = list(results)
    first = next(iter(results.values())).details
    n_f = len(first["matched_auc"])
    width = 0.8 / max(len(names), 1)
    for k, name in enumerate(names):
        ax.bar(np.arange(n_f) + k * width, results[name].details["matched_auc"], width, label=name)
    ax.axhline(0.95, color="grey", ls=":", label="recovered (0.95)")
    ax.set_ylim(0.4, 1.0)
    labels = first.get("factor_names") or [str(i) for i in range(n_f)]
    ax.set_xticks(np.arange(n_f) + 0.4 - width / 2, labels, rotation=90, fontsize=7)
    population = first.get("mode") == "population"
    ax.set_ylabel("held-out AUC of top-unit readout" if population else "ROC AUC of matched unit")
    ax.set_title("Feature recovery (" + ("population readout per class" if population else "one-to-one matching") + ")")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
