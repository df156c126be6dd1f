"""Helpers shared by the measurements: sampling, labels, activity, accuracy, ROC AUC."""

from __future__ import annotations

import numpy as np

from .errors import DataError
from .recording import Recording


def primary_site(model, site: str | None = None) -> str:
    """The site a measurement reads: ``site`` if given, else the model's first site."""
    sites = model.sites()
    if site is None:
        return next(iter(sites))
    if site not in sites:
        raise DataError(f"site {site!r} is not a site of {model.name}: sites are {sorted(sites)}")
    return site


def subset_indices(task, max_samples: int | None, seed: int = 0) -> np.ndarray:
    """Indices of at most ``max_samples`` test samples, stratified by class when multiclass."""
    n = len(task.x_test)
    if not max_samples or max_samples >= n:
        return np.arange(n)
    rng = np.random.default_rng(seed)
    if task.kind == "multiclass":
        from sklearn.model_selection import train_test_split

        try:
            idx, _ = train_test_split(np.arange(n), train_size=max_samples, stratify=task.y_test, random_state=seed)
            return np.sort(idx)
        except ValueError:  # a class too small to stratify
            pass
    return np.sort(rng.choice(n, size=max_samples, replace=False))


def clean_recording(model, task, idx: np.ndarray, recording: Recording | None = None, sites=None) -> Recording:
    """The model's recording of ``task.x_test[idx]`` (reusing ``recording`` of the whole test set if given)."""
    if recording is not None:
        if recording.n_samples == len(task.x_test):
            return recording.subset(idx)
        if recording.n_samples == len(idx):
            return recording
    return model.record(task.x_test[idx], sites=sites)


def features(rec: Recording, site: str) -> np.ndarray:
    """``[n_samples, n_units]`` float64: activity summed over bins (spike counts or activations)."""
    return rec.counts(site).astype(np.float64)


def task_targets(task, idx: np.ndarray) -> np.ndarray:
    """Labels of ``task.x_test[idx]``: ``[n]`` ints (multiclass) or ``[n, n_labels]`` binary."""
    return task.y_test[idx]


def accuracy(rec: Recording, y: np.ndarray, kind: str) -> float:
    """Multiclass: share of correct predictions. Multilabel: mean balanced accuracy over labels."""
    pred = rec.predictions
    if kind == "multiclass":
        return float((pred == y).mean())
    return mean_balanced(y, pred)


def balanced_accuracy(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Recall averaged over the classes present in ``y_true`` ``[n]``: scikit-learn's
    ``balanced_accuracy_score``, to the bit, without its input validation and confusion matrix
    (which cost more than some of the fits they scored). A predicted class absent from ``y_true``
    only counts as wrong; 0.0 when ``y_true`` is empty."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    classes = np.unique(y_true)
    if len(classes) == 0:
        return 0.0
    return float(np.mean([np.mean(y_pred[y_true == c] == c) for c in classes]))


def balanced(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """:func:`balanced_accuracy` of one binary label (values read as booleans); 0.5 when empty."""
    y_true = np.asarray(y_true).astype(bool)
    return balanced_accuracy(y_true, np.asarray(y_pred).astype(bool)) if len(y_true) else 0.5


def mean_balanced(y_true: np.ndarray, y_pred: np.ndarray) -> float:
    """Multilabel ``[n, n_labels]``: :func:`balanced` of each label, averaged over the labels."""
    return float(np.mean([balanced(y_true[:, f], y_pred[:, f]) for f in range(y_true.shape[1])]))


def auc_matrix(factors: np.ndarray, act: np.ndarray) -> np.ndarray:
    """ROC AUC of each unit's activity for each binary factor, ``[n_factors, n_units]``.

    Mann-Whitney U from average ranks (ties count one half), the quantity scikit-learn's
    ``roc_auc_score`` computes; 0.5 where a factor is constant or a unit is silent.
    """
    from scipy.stats import rankdata  # here, not at import: scipy.stats takes ~2 s to import

    factors = np.asarray(factors).astype(bool)
    act = np.asarray(act, np.float64)
    ranks = rankdata(act, axis=0)
    n_pos = factors.sum(axis=0).astype(np.float64)
    n_neg = len(factors) - n_pos
    rank_sum = factors.T.astype(np.float64) @ ranks
    with np.errstate(divide="ignore", invalid="ignore"):
        auc = (rank_sum - (n_pos * (n_pos + 1) / 2)[:, None]) / (n_pos * n_neg)[:, None]
    auc[(n_pos == 0) | (n_neg == 0), :] = 0.5
    auc[:, act.std(axis=0) == 0] = 0.5
    return auc


def factor_matrix(task, idx: np.ndarray) -> np.ndarray:
    return np.asarray(task.factors_test[idx]).astype(bool)


def class_means(act: np.ndarray, y: np.ndarray, kind: str) -> np.ndarray:
    """Mean activity per class (multiclass) or with each factor present (multilabel): ``[n_classes, n_units]``."""
    if kind == "multiclass":
        classes = np.arange(int(y.max()) + 1)
        return np.stack([act[y == c].mean(axis=0) if (y == c).any() else np.zeros(act.shape[1]) for c in classes])
    yb = np.asarray(y).astype(bool)
    return np.stack(
        [act[yb[:, f]].mean(axis=0) if yb[:, f].any() else np.zeros(act.shape[1]) for f in range(yb.shape[1])]
    )


def distinct_groups(x_inputs: np.ndarray) -> np.ndarray:
    """``[n]`` int: the index of each row among the distinct rows of ``x_inputs`` (equal inputs share it)."""
    _, inverse = np.unique(np.ascontiguousarray(x_inputs), axis=0, return_inverse=True)
    return inverse.ravel().astype(np.int64)


def not_applicable(details: dict, scores: dict, reason: str, names) -> None:
    """Mark ``names`` of ``scores`` "n/a": NaN, with ``reason`` under ``details["not_applicable"][name]``."""
    reasons = details.setdefault("not_applicable", {})
    for name in names:
        scores[name] = float("nan")
        reasons[name] = reason


def corr_matrix(factors: np.ndarray, act: np.ndarray) -> np.ndarray:
    """Pearson correlation of each unit's activity with each binary factor, ``[n_factors, n_units]``.

    0 where a factor is constant or a unit is silent (point-biserial correlation).
    """
    f = np.asarray(factors, np.float64)
    a = np.asarray(act, np.float64)
    fc, ac = f - f.mean(axis=0), a - a.mean(axis=0)
    sf, sa = np.sqrt((fc**2).sum(axis=0)), np.sqrt((ac**2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = (fc.T @ ac) / np.outer(sf, sa)
    return np.nan_to_num(r, nan=0.0, posinf=0.0, neginf=0.0)
