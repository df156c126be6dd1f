"""Decoding: how well a linear probe reads the task from a site, and how selective that is.

Cross-validated logistic-regression accuracy from a site's activity ``[n_samples, n_units]``
(summed over bins) to the task's labels, minus the same probe's accuracy on a control
task in which each *distinct* input gets a fixed random label drawn from the label
distribution (Hewitt & Liang 2019): the difference is the probe's *selectivity*. Folds are
grouped by distinct input (``StratifiedGroupKFold``/``GroupKFold``), so a held-out input is
never also in the training fold: the control is at chance on every task, whether its test
inputs are all distinct (digits) or repeat (bars), instead of measuring memorisation of
repeated inputs. Accuracy is balanced accuracy (multilabel: averaged over labels), so
chance is 1/n_classes (0.5 per label).
"""

from __future__ import annotations

import numpy as np

from .common import (
    balanced_accuracy,
    clean_recording,
    distinct_groups,
    features,
    mean_balanced,
    primary_site,
    subset_indices,
    task_targets,
)
from .errors import DataError
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec("accuracy", "higher", 0.0, 1.0, "cross-validated balanced accuracy of a logistic probe on the labels"),
    ScoreSpec(
        "control_accuracy",
        "lower",
        0.0,
        1.0,
        "the same probe on random labels per distinct input, folds grouped by input (chance if nothing is memorised)",
    ),
    ScoreSpec("selectivity", "higher", -1.0, 1.0, "accuracy minus control accuracy (Hewitt & Liang 2019)"),
]


class LinearProbe:
    """Logistic-regression probe (scikit-learn estimator): standardise, then one-vs-rest for
    multilabel targets. Fitted attributes: ``model_``."""

    def __init__(self, C: float = 1.0, max_iter: int = 1000, seed: int = 0):
        self.C, self.max_iter, self.seed = C, max_iter, seed

    def _make(self, multilabel: bool):
        from sklearn.linear_model import LogisticRegression
        from sklearn.multioutput import MultiOutputClassifier
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        base = LogisticRegression(C=self.C, max_iter=self.max_iter, random_state=self.seed)
        return make_pipeline(StandardScaler(), MultiOutputClassifier(base) if multilabel else base)

    def fit(self, x: np.ndarray, y: np.ndarray) -> LinearProbe:
        from sklearn import config_context

        self.multilabel_ = np.ndim(y) == 2
        _check_finite(x)
        with config_context(assume_finite=True):  # checked once here, not again by each step
            self.model_ = self._make(self.multilabel_).fit(x, y)
        return self

    def predict(self, x: np.ndarray) -> np.ndarray:
        from sklearn import config_context

        _check_finite(x)
        with config_context(assume_finite=True):
            return self.model_.predict(x)


def _check_finite(x: np.ndarray) -> None:
    """scikit-learn's finiteness check, once per call: a probe is fitted about a thousand times per
    comparison, and each step of the pipeline would repeat the check (docs/performance.md)."""
    if not np.isfinite(x).all():
        raise DataError("the probe's input contains NaN or infinity: the recording is not finite")


def cv_accuracy(
    x: np.ndarray,
    y: np.ndarray,
    *,
    cv: int = 5,
    seed: int = 0,
    C: float = 1.0,
    groups: np.ndarray | None = None,
    splits=None,
) -> float:
    """Mean balanced accuracy of :class:`LinearProbe` over ``cv`` (stratified) folds.

    ``groups`` ``[n]`` (e.g. :func:`probes.common.distinct_groups`): samples of one group are
    never split between a training and a test fold. ``splits``: precomputed :func:`cv_splits`.
    """
    scores = []
    for train, test in splits if splits is not None else cv_splits(x, y, cv=cv, seed=seed, groups=groups):
        ytr = y[train]
        multilabel = np.ndim(y) == 2
        if (multilabel and (ytr.min(0) == ytr.max(0)).any()) or (not multilabel and len(np.unique(ytr)) < 2):
            scores.append(_constant_score(y[test], ytr, multilabel))
            continue
        pred = LinearProbe(C=C, seed=seed).fit(x[train], ytr).predict(x[test])
        scores.append(_balanced(y[test], pred, multilabel))
    return float(np.mean(scores))


def cv_splits(x: np.ndarray, y: np.ndarray, *, cv: int = 5, seed: int = 0, groups: np.ndarray | None = None):
    """Train/test index pairs: stratified by class when multiclass, grouped by ``groups`` when given."""
    from sklearn.model_selection import GroupKFold, KFold, StratifiedGroupKFold, StratifiedKFold

    multilabel = np.ndim(y) == 2
    n_groups = len(x) if groups is None else len(np.unique(groups))
    if n_groups == len(x):  # every sample its own group: ordinary (stratified) folds
        groups = None
    k = min(cv, n_groups)
    if not multilabel:
        counts = np.bincount(y)
        k = int(min(k, counts[counts > 0].min())) if len(counts) else k
    if groups is not None:
        if multilabel or k < 2:
            k = max(2, min(cv, n_groups))
            return list(GroupKFold(k, shuffle=True, random_state=seed).split(x, groups=groups))
        return list(StratifiedGroupKFold(k, shuffle=True, random_state=seed).split(x, y, groups))
    if multilabel or k < 2:
        return list(KFold(cv, shuffle=True, random_state=seed).split(x))
    return list(StratifiedKFold(k, shuffle=True, random_state=seed).split(x, y))


def _constant_score(y_test, y_train, multilabel):
    if not multilabel:
        values, counts = np.unique(y_train, return_counts=True)
        return _balanced(y_test, np.full(len(y_test), values[counts.argmax()]), False)
    # a label constant in the training fold: predict the constant for it, probe the others
    return 0.5


def _balanced(y_true, y_pred, multilabel: bool) -> float:
    if not multilabel:
        return balanced_accuracy(y_true, y_pred)
    return mean_balanced(y_true, y_pred)


def control_labels(y: np.ndarray, x_inputs: np.ndarray, seed: int) -> np.ndarray:
    """Hewitt & Liang's control task: every distinct input gets a fixed random label with the
    same marginal distribution as the real labels (equal inputs share their label)."""
    rng = np.random.default_rng(seed)
    inverse = distinct_groups(x_inputs)
    n_distinct = inverse.max() + 1
    if np.ndim(y) == 1:
        values, counts = np.unique(y, return_counts=True)
        per_input = rng.choice(values, size=n_distinct, p=counts / counts.sum())
    else:
        p = np.asarray(y).mean(axis=0)
        per_input = (rng.random((n_distinct, y.shape[1])) < p).astype(y.dtype)
    return per_input[inverse]


def measure(
    model, task, *, site: str | None = None, max_samples: int | None = 500, cv: int = 5, seed: int = 0, recording=None
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    rec = clean_recording(model, task, idx, recording)
    x = features(rec, site)
    y = task_targets(task, idx)
    groups = distinct_groups(task.x_test[idx])
    acc = cv_accuracy(x, y, cv=cv, seed=seed, groups=groups)
    ctrl = cv_accuracy(x, control_labels(y, task.x_test[idx], seed + 1), cv=cv, seed=seed, groups=groups)
    chance = 1.0 / len(np.unique(y)) if np.ndim(y) == 1 else 0.5
    return ProbeResult(
        {"accuracy": acc, "control_accuracy": ctrl, "selectivity": acc - ctrl},
        {"chance": chance},
        meta={"site": site, "n_samples": len(idx), "n_distinct_inputs": int(groups.max()) + 1, "cv": cv},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    names = list(results)
    xs = np.arange(len(names))
    acc = [results[n].scores["accuracy"] for n in names]
    ctrl = [results[n].scores["control_accuracy"] for n in names]
    ax.bar(xs - 0.2, acc, 0.4, label="task")
    ax.bar(xs + 0.2, ctrl, 0.4, label="control (random labels)")
    chance = results[names[0]].details.get("chance") if names else None
    if chance is not None:
        ax.axhline(chance, color="grey", ls=":", label="chance")
    ax.set_xticks(xs, names)
    ax.set_ylim(0, 1)
    ax.set_ylabel("probe balanced accuracy")
    ax.set_title("Linear decoding and its selectivity")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
