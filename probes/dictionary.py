"""Dictionary features: is a site's code in superposition, and how polysemantic are its units?

A sparse dictionary (scikit-learn's ``MiniBatchDictionaryLearning``, non-negative codes) is
learned on a site's activity scaled to unit RMS per unit, with at least as many atoms as
live units (``expansion`` atoms per live unit, and at least one per factor): an
overcomplete basis that can hold more directions than there are units. The raw units are
the baseline basis (the identity dictionary). Atoms and units are scored the same way, with
the positive sign (more activity when the factor is present): the share of a basis
element's variance that a factor explains, ``r+^2`` (``r+`` the point-biserial correlation
clipped at 0), one-to-one matched to the factors (Hungarian algorithm).

``superposition`` = mean over factors of ``max(0, r+^2_dictionary - r+^2_units)``: how much
more of a factor's variance a sparse atom captures than the best matched single unit. 0:
every factor is as well carried by one unit as by any learned atom (a monosemantic code, or
a code whose dictionary does worse than its units: the identity is the floor, so a poor
dictionary can no longer look "more interpretable"); 1: factors carried by no single unit
but each by one atom (a monosemantic code under a random rotation scores about 0.6). It is
continuous, so it moves little across dictionary seeds. ``unit_recovered``/``dict_recovered``
count factors whose matched unit/atom has ROC AUC >= 0.95 (as in feature recovery). Per-unit
polysemanticity counts the factors each live unit responds to (AUC > ``responds``, 0.75).
"""

from __future__ import annotations

import warnings

import numpy as np

from .common import auc_matrix, clean_recording, corr_matrix, factor_matrix, features, primary_site, subset_indices
from .result import ProbeResult, ScoreSpec

SCORES = [
    ScoreSpec(
        "superposition",
        "lower",
        0.0,
        1.0,
        "mean over factors of the variance share (r+^2) a matched dictionary atom gains over the matched unit "
        "(0: units carry factors as well as any sparse unmixing; 1: factors carried only after unmixing)",
    ),
    ScoreSpec("unit_recovered", "higher", 0.0, 1.0, "share of factors one-to-one matched to a unit with AUC >= 0.95"),
    ScoreSpec("dict_recovered", "higher", 0.0, 1.0, "share of factors one-to-one matched to an atom with AUC >= 0.95"),
    ScoreSpec(
        "polysemantic_share",
        "lower",
        0.0,
        1.0,
        "share of responsive live units (AUC > 0.75 for some factor) that respond to two or more factors",
    ),
    ScoreSpec(
        "factors_per_unit",
        "lower",
        0.0,
        float("inf"),
        "mean number of factors with AUC > 0.75 per responsive live unit (1 = monosemantic)",
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
        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings():  # coordinate descent's convergence chatter; the fit is still used
            warnings.simplefilter("ignore", ConvergenceWarning)
            self.model_.fit(a / self.scale_)
        return self

    def transform(self, activity: np.ndarray) -> np.ndarray:
        from sklearn.exceptions import ConvergenceWarning

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return self.model_.transform(np.asarray(activity, np.float64) / self.scale_)


def matched(score: np.ndarray, floor: float) -> np.ndarray:
    """``[n_factors]``: ``score`` ``[n_factors, n_elements]`` of the element matched one-to-one to each
    factor (Hungarian algorithm, maximising the total), ``floor`` for a factor left unmatched."""
    from scipy.optimize import linear_sum_assignment

    rows, cols = linear_sum_assignment(-score)
    out = np.full(score.shape[0], floor)
    out[rows] = score[rows, cols]
    return out


def variance_share(factors: np.ndarray, act: np.ndarray) -> np.ndarray:
    """``[n_factors, n_units]``: ``r+^2``, the squared positive part of the point-biserial correlation."""
    return np.maximum(corr_matrix(factors, act), 0.0) ** 2


def superposition(share_dict: np.ndarray, share_units: np.ndarray) -> float:
    """Mean over factors of ``max(0, matched atom r+^2 - matched unit r+^2)``, in [0, 1]."""
    return float(np.mean(np.maximum(0.0, matched(share_dict, 0.0) - matched(share_units, 0.0))))


def polysemanticity(auc_units: np.ndarray, responds: float = 0.75) -> np.ndarray:
    """``[n_units]``: number of factors each unit responds to (AUC > ``responds``)."""
    return (auc_units > responds).sum(axis=0)


def measure(
    model,
    task,
    *,
    site: str | None = None,
    max_samples: int | None = 500,
    expansion: float = 1.0,
    alpha: float = 0.1,
    threshold: float = 0.95,
    responds: float = 0.75,
    seed: int = 0,
    recording=None,
) -> ProbeResult:
    site = primary_site(model, site)
    idx = subset_indices(task, max_samples, seed)
    act = features(clean_recording(model, task, idx, recording), site)
    factors = factor_matrix(task, idx)
    live = act.std(axis=0) > 0
    k = max(int(np.ceil(expansion * live.sum())), factors.shape[1])
    codes = (
        SparseDictionary(k, alpha, seed).fit(act[:, live]).transform(act[:, live])
        if live.any()
        else np.zeros((len(act), k))
    )
    act_live = act[:, live] if live.any() else np.zeros((len(act), 1))
    auc_d, auc_u = auc_matrix(factors, codes), auc_matrix(factors, act_live)
    m_d, m_u = matched(np.maximum(auc_d, 0.5), 0.5), matched(np.maximum(auc_u, 0.5), 0.5)
    share_d, share_u = variance_share(factors, codes), variance_share(factors, act_live)
    counts = polysemanticity(auc_u, responds) if live.any() else np.zeros(0, int)
    responsive = counts[counts > 0]
    return ProbeResult(
        {
            "superposition": superposition(share_d, share_u),
            "unit_recovered": float((m_u >= threshold).mean()),
            "dict_recovered": float((m_d >= threshold).mean()),
            "polysemantic_share": float((responsive >= 2).mean()) if len(responsive) else 0.0,
            "factors_per_unit": float(responsive.mean()) if len(responsive) else 0.0,
        },
        {
            "dict_matched_share": matched(share_d, 0.0),
            "unit_matched_share": matched(share_u, 0.0),
            "dict_matched_auc": m_d,
            "unit_matched_auc": m_u,
            "dict_best_auc": auc_d.max(axis=0),
            "unit_best_auc": auc_u.max(axis=0),
            "factors_per_live_unit": counts,
        },
        meta={"site": site, "n_samples": len(idx), "n_components": k, "n_live_units": int(live.sum())},
    )


def figure(results: dict[str, ProbeResult]):
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4.2, 3.8))
    for name, r in results.items():
        ax.scatter(r.details["unit_matched_share"], r.details["dict_matched_share"], s=14, alpha=0.7, label=name)
    ax.plot([0, 1], [0, 1], color="grey", ls=":", lw=1)
    ax.set_xlim(-0.02, 1.02)
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("factor variance share r+^2: matched unit")
    ax.set_ylabel("r+^2: matched dictionary atom")
    ax.set_title("Superposition: factors above the diagonal\nare carried by atoms, not units", fontsize=9)
    ax.legend(fontsize=7)
    fig.tight_layout()
    return fig
