"""Dictionary features: is a site's code in superposition?

A sparse dictionary (scikit-learn's ``MiniBatchDictionaryLearning``, non-negative codes) is
learned on a site's activity scaled to unit RMS per unit; each input's sparse code over the dictionary gives
*dictionary features*. A feature (or a raw unit) is *monosemantic* when it tracks one
ground-truth factor: ROC AUC >= 0.95 for some factor (either sign for dictionary features,
whose sign is arbitrary). If dictionary features are monosemantic far more often than
raw units, the site holds its factors in superposition (mixed across units).
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.exceptions import ConvergenceWarning

from .common import auc_matrix, clean_recording, factor_matrix, features, primary_site, subset_indices
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "dict_monosemantic", "higher", 0.0, 1.0, "share of used dictionary features with AUC >= 0.95 for one factor"
    ),
    ScoreSpec("unit_monosemantic", "higher", 0.0, 1.0, "share of live raw units with AUC >= 0.95 for one factor"),
    ScoreSpec(
        "dict_recovered",
        "higher",
        0.0,
        1.0,
        "share of factors matched one-to-one to a dictionary feature with AUC >= 0.95",
    ),
    ScoreSpec(
        "superposition",
        "lower",
        -1.0,
        1.0,
        "dict_recovered minus the unit-level recovery: > 0 means the factors are mixed across units",
    ),
]


class SparseDictionary:
    """scikit-learn style: ``fit(activity)`` scales units to unit RMS and learns ``n_components`` atoms;
    ``transform`` gives sparse codes. Fitted attributes: ``scale_``, ``model_``."""

    def __init__(
        self, n_components: int = 16, alpha: float = 0.1, seed: int = 0, max_iter: int = 200, positive_code: bool = True
    ):
        self.n_components, self.alpha, self.seed, self.max_iter = n_components, alpha, seed, max_iter
        self.positive_code = positive_code

    def fit(self, activity: np.ndarray) -> SparseDictionary:
        from sklearn.decomposition import MiniBatchDictionaryLearning

        a = np.asarray(activity, np.float64)
        # Scale each unit to unit RMS but do not centre: centring would turn sparse
        # non-negative codes (the features we look for) into dense ones.
        self.scale_ = np.sqrt((a**2).mean(axis=0))
        self.scale_[self.scale_ == 0] = 1.0
        self.model_ = MiniBatchDictionaryLearning(
            n_components=self.n_components,
            alpha=self.alpha,
            random_state=self.seed,
            max_iter=self.max_iter,
            fit_algorithm="cd",
            batch_size=min(256, len(a)),
            transform_algorithm="lasso_cd",
            transform_alpha=self.alpha / 4,
            positive_code=self.positive_code,
        )
        with warnings.catch_warnings():  # coordinate descent's convergence chatter; the fit is still used
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model_.fit(a / self.scale_)
        return self

    def transform(self, activity: np.ndarray) -> np.ndarray:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self.model_.transform(np.asarray(activity, np.float64) / self.scale_)


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    n_components: int | None = None,
    alpha: float = 0.1,
    threshold: float = 0.95,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    act = features(clean_recording(model, task, idx, recording), site)
    factors = factor_matrix(task, idx)
    k = n_components or factors.shape[1]  # one atom per ground-truth factor
    live = act.std(axis=0) > 0
    codes = (
        SparseDictionary(k, alpha, seed).fit(act[:, live]).transform(act[:, live])
        if live.any()
        else np.zeros((len(act), k))
    )
    auc_d = auc_matrix(factors, codes)
    auc_d = np.maximum(auc_d, 1.0 - auc_d)  # a dictionary feature's sign is arbitrary
    used = codes.std(axis=0) > 0
    auc_u = auc_matrix(factors, act)
    mono_d = float((auc_d.max(axis=0)[used] >= threshold).mean()) if used.any() else 0.0
    mono_u = float((auc_u.max(axis=0)[live] >= threshold).mean()) if live.any() else 0.0

    def recovered(auc):
        r, c = linear_sum_assignment(-auc)
        return float((auc[r, c] >= threshold).sum() / auc.shape[0])

    rec_d, rec_u = recovered(auc_d), recovered(auc_u)
    return ProbeResult(
        {
            "dict_monosemantic": mono_d,
            "unit_monosemantic": mono_u,
            "dict_recovered": rec_d,
            "superposition": rec_d - rec_u,
        },
        {"dict_best_auc": auc_d.max(axis=0), "unit_best_auc": auc_u.max(axis=0)[live], "unit_recovered": rec_u},
        meta={"site": site, "n_samples": len(idx), "n_components": k},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(5, 3.2))
    bins = np.linspace(0.5, 1, 26)
    for name, r in results.items():
        line = ax.hist(r.details["unit_best_auc"], bins=bins, histtype="step", density=True, label=f"{name}: units")
        ax.hist(
            r.details["dict_best_auc"],
            bins=bins,
            histtype="step",
            ls="--",
            density=True,
            color=line[2][0].get_edgecolor(),
            label=f"{name}: dictionary",
        )
    ax.axvline(0.95, color="grey", ls=":")
    ax.set_xlabel("best ROC AUC for one factor")
    ax.set_ylabel("density")
    ax.set_title("Monosemanticity: units vs dictionary features")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
