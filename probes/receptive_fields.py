"""Receptive fields: input->unit weights as images, matched to the task's prototypes.

A prototype per class (the class mean input) or per factor (mean input with the factor
present minus without: on bars, the bar itself). Each unit's incoming weight vector is
correlated with every prototype; its best match and the share of units whose best
correlation is >= 0.8 ("clean") are the scores. Units with constant weights are skipped.
"""

from __future__ import annotations

import numpy as np

from .common import primary_site
from .errors import DataError
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec("mean_best_corr", "higher", -1.0, 1.0, "mean over units of the best correlation with a prototype"),
    ScoreSpec(
        "share_clean", "higher", 0.0, 1.0, "share of units whose receptive field correlates >= 0.8 with a prototype"
    ),
    ScoreSpec("prototypes_covered", "higher", 0.0, 1.0, "share of prototypes that are some unit's clean match"),
]


def prototypes(task) -> np.ndarray:
    """``[n_prototypes, n_inputs]``: class means, or factor-present minus factor-absent means."""
    x = np.asarray(task.x_train, np.float64)
    if task.kind == "multiclass":
        return np.stack([x[task.y_train == c].mean(axis=0) for c in range(task.n_outputs)])
    y = np.asarray(task.y_train).astype(bool)
    return np.stack([x[y[:, f]].mean(axis=0) - x[~y[:, f]].mean(axis=0) for f in range(y.shape[1])])


def input_weights(model, site: str) -> np.ndarray:
    """The ``[n_inputs, n_units]`` weight matrix that feeds ``site`` from the input."""
    for name, w in model.weights().items():
        src, _, dst = name.partition("->")
        if src == "input" and dst == site:
            return np.asarray(w, np.float64)
    raise DataError(f"{model.name} has no input->{site} weights: receptive fields need a site fed by the input")


def correlations(w: np.ndarray, protos: np.ndarray) -> np.ndarray:
    """Pearson correlation of each unit's weights with each prototype: ``[n_units, n_prototypes]``."""
    a = w.T - w.T.mean(axis=1, keepdims=True)
    b = protos - protos.mean(axis=1, keepdims=True)
    na = np.linalg.norm(a, axis=1)
    nb = np.linalg.norm(b, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        c = (a @ b.T) / np.outer(na, nb)
    return np.nan_to_num(c)


def measure(model, task, *, site: str | None = None, clean: float = 0.8, **_) -> ProbeResult:
    sites = model.sites()
    site = site or next((s for s in sites if any(k == f"input->{s}" for k in model.weights())), primary_site(model))
    w = input_weights(model, site)
    protos = prototypes(task)
    live = w.std(axis=0) > 0
    c = correlations(w, protos)[live]
    best = c.max(axis=1) if len(c) else np.zeros(0)
    arg = c.argmax(axis=1) if len(c) else np.zeros(0, int)
    covered = np.unique(arg[best >= clean])
    return ProbeResult(
        {
            "mean_best_corr": float(best.mean()) if len(best) else 0.0,
            "share_clean": float((best >= clean).sum() / w.shape[1]),
            "prototypes_covered": len(covered) / len(protos),
        },
        {"weights": w, "best_corr": best, "best_prototype": arg, "image_shape": task.image_shape},
        meta={"site": site},
    )


def figure(results: dict[str, ProbeResult], n_show: int = 16):
    """The ``n_show`` units with the cleanest receptive fields of each model, one row per model."""
    import matplotlib.pyplot as plt

    names = list(results)
    fig, axes = plt.subplots(len(names), n_show, figsize=(n_show * 0.6, 0.75 * len(names) + 0.4), squeeze=False)
    for row, name in enumerate(names):
        d = results[name].details
        w, shape = d["weights"], d["image_shape"]
        live = np.flatnonzero(w.std(axis=0) > 0)
        order = live[np.argsort(-d["best_corr"])][:n_show]
        for k, ax in enumerate(axes[row]):
            ax.set_xticks([])
            ax.set_yticks([])
            if k < len(order) and shape is not None:
                ax.imshow(w[:, order[k]].reshape(shape), cmap="gray_r")
            if k == 0:
                ax.set_ylabel(name, fontsize=7, rotation=0, ha="right", va="center")
    fig.suptitle("Receptive fields (input weights), cleanest first", fontsize=9)
    return fig
