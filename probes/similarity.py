"""Representational similarity: linear CKA (Kornblith et al. 2019) and RSA.

Linear CKA of ``X [n, p]`` and ``Y [n, q]`` (same inputs, columns centred):
``||Y^T X||_F^2 / (||X^T X||_F ||Y^T Y||_F)``; 1 for representations equal up to an
orthogonal transform and isotropic scaling, near 0 for independent ones. RSA: the
Spearman correlation of the two representational dissimilarity matrices (1 - Pearson
correlation between the activity patterns of every pair of inputs).

:func:`measure` scores one model against the labels and the input; :func:`compare`
gives CKA and RSA between every site of two models (a spiking and a dense network,
say) on the same inputs.
"""

from __future__ import annotations

import numpy as np

from .common import clean_recording, features, subset_indices, task_targets
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec("cka_labels", "higher", 0.0, 1.0, "linear CKA between the site and the one-hot labels / factors"),
    ScoreSpec("rsa_labels", "higher", -1.0, 1.0, "Spearman correlation of the site's RDM with the labels' RDM"),
    ScoreSpec("cka_input", "lower", 0.0, 1.0, "linear CKA between the site and the raw input (how much is pixel copy)"),
]


def linear_cka(x: np.ndarray, y: np.ndarray) -> float:
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    x = x - x.mean(axis=0)
    y = y - y.mean(axis=0)
    num = np.linalg.norm(y.T @ x, "fro") ** 2
    den = np.linalg.norm(x.T @ x, "fro") * np.linalg.norm(y.T @ y, "fro")
    return float(num / den) if den > 0 else 0.0


def rdm(x: np.ndarray) -> np.ndarray:
    """Condensed RDM: 1 - Pearson correlation between inputs' patterns (a silent pattern counts as uncorrelated)."""
    from scipy.spatial.distance import pdist

    d = pdist(np.asarray(x, np.float64), "correlation")
    return np.nan_to_num(d, nan=1.0)


def rsa(x: np.ndarray, y: np.ndarray) -> float:
    from scipy.stats import spearmanr

    r = spearmanr(rdm(x), rdm(y)).statistic
    return float(np.nan_to_num(r))


def _label_matrix(task, idx):
    y = task_targets(task, idx)
    return np.eye(task.n_outputs)[y] if np.ndim(y) == 1 else np.asarray(y, np.float64)


def measure(model, task, *, max_samples: int | None = 300, seed: int = 0, recording=None, **_) -> ProbeResult:
    idx = subset_indices(task, max_samples, seed)
    rec = clean_recording(model, task, idx, recording)
    labels = _label_matrix(task, idx)
    sites = list(model.sites())
    reps = {s: features(rec, s) for s in sites}
    within = np.array([[linear_cka(reps[a], reps[b]) for b in sites] for a in sites])
    main = reps[sites[0]]
    return ProbeResult(
        {
            "cka_labels": linear_cka(main, labels),
            "rsa_labels": rsa(main, labels),
            "cka_input": linear_cka(main, task.x_test[idx]),
        },
        {"sites": sites, "within_cka": within},
        meta={"site": sites[0], "n_samples": len(idx)},
    )


def compare(model_a, model_b, task, *, max_samples: int | None = 300, seed: int = 0, recordings=None) -> ProbeResult:
    """CKA and RSA between every site of ``model_a`` and every site of ``model_b`` on the same inputs."""
    idx = subset_indices(task, max_samples, seed)
    recs = recordings or (None, None)
    ra = clean_recording(model_a, task, idx, recs[0])
    rb = clean_recording(model_b, task, idx, recs[1])
    sa, sb = list(model_a.sites()), list(model_b.sites())
    cka = np.array([[linear_cka(features(ra, a), features(rb, b)) for b in sb] for a in sa])
    rs = np.array([[rsa(features(ra, a), features(rb, b)) for b in sb] for a in sa])
    return ProbeResult(
        {"cka": float(cka[0, 0]), "rsa": float(rs[0, 0]), "cka_max": float(cka.max())},
        {"sites_a": sa, "sites_b": sb, "cka": cka, "rsa": rs},
        meta={"models": [model_a.name, model_b.name], "n_samples": len(idx)},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    names = list(results)
    fig, ax = plt.subplots(figsize=(5, 3.2))
    keys = ["cka_labels", "rsa_labels", "cka_input"]
    xs = np.arange(len(keys))
    width = 0.8 / max(len(names), 1)
    for k, name in enumerate(names):
        ax.bar(xs + k * width, [results[name].scores[key] for key in keys], width, label=name)
    ax.set_xticks(xs + 0.4 - width / 2, ["CKA with labels", "RSA with labels", "CKA with input"])
    ax.set_ylim(-0.1, 1)
    ax.set_title("Representational similarity")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def compare_figure(result: ProbeResult):
    import matplotlib.pyplot as plt

    d = result.details
    fig, axes = plt.subplots(1, 2, figsize=(7, 2.8))
    for ax, key in zip(axes, ("cka", "rsa")):
        im = ax.imshow(d[key], vmin=0, vmax=1, cmap="viridis")
        ax.set_xticks(range(len(d["sites_b"])), d["sites_b"])
        ax.set_yticks(range(len(d["sites_a"])), d["sites_a"])
        ax.set_xlabel(result.meta["models"][1])
        ax.set_ylabel(result.meta["models"][0])
        ax.set_title(key.upper())
        for (i, j), v in np.ndenumerate(d[key]):
            ax.text(j, i, f"{v:.2f}", ha="center", va="center", color="w", fontsize=8)
        fig.colorbar(im, ax=ax)
    fig.suptitle("Similarity across the two networks (same inputs)")
    fig.tight_layout()
    return fig
