"""Causal abstraction: does a synchronous model H, aligned unit by unit with the network L,
predict what L does, on clean inputs and under interventions? (Geiger et al. 2021)

L is the measured model; each abstraction H is a Probeable with a site whose units align
one-to-one with L's site (spike count <-> activation). For each H:

- ``fidelity``: the share of test inputs on which H and L predict the same.
- ``iia`` (interchange-intervention accuracy): over base/source input pairs of different
  classes and unit sets S (the single most important units, the top-k set, random halves),
  L on the base with S patched from L's own recording of the source (``Patch``) versus H on
  the base with S set to H's values on the source; the share of (pair, S) with the same
  prediction.
- ``ablation_corr``: the Pearson correlation, across L's most active units, between the
  share of predictions that ablating the unit alone changes in H and in L.

Each is reported raw and normalised by L's noise ceiling: the same quantity computed with
``reference`` (L recorded with other random draws) in the place of H, so 1 means "as good an
abstraction of L as L is of itself". The null shuffles H's units against L's (a random
permutation of the alignment; for fidelity, H's predictions shuffled across inputs).
Without a ``reference`` (a deterministic model) the ceiling is 1. A ceiling below
``min_ceiling`` (default 0.5) leaves its ratios undefined (NaN, with the reason): a network whose
single-unit ablation effects correlate with themselves under other draws at r = 0.1 would turn
noise into ratios of -10 or +10 (seen at 100 neurons, where the effects of most units are tiny).
The ceilings are scores of their own (``ceiling_*``), so raw values can always be recovered.
"""

from __future__ import annotations

import numpy as np

from .common import primary_site, subset_indices
from .errors import ConfigError
from .interventions import Ablate, Patch
from .result import ProbeResult, ScoreSpec

STANDARD = ("no_delays", "one_step", "fitted")  # the abstractions comparisons builds, in order
_DOCS = {
    "no_delays": "the same network with delays and jitter removed at test",
    "one_step": "a one-step k-winner rate model on the network's weights and thresholds",
    "fitted": "a linear-nonlinear rate model per unit fitted to the network's own counts",
}
MIN_CEILING = 0.5  # below it a ratio to the ceiling is noise (see the module docstring)
_TOP = 1.0 / MIN_CEILING  # a share or a correlation over a ceiling of at least MIN_CEILING
SCORES = [
    ScoreSpec(f"{name}_{what}", "higher", lo, _TOP, f"{label}, {_DOCS[name]}")
    for name in STANDARD
    for what, lo, label in (
        ("fidelity", 0.0, "agreement on clean inputs / ceiling"),
        ("iia", 0.0, "interchange-intervention accuracy / ceiling"),
        ("ablation_corr", -_TOP, "correlation of single-unit ablation effects / ceiling"),
    )
] + [
    ScoreSpec("ceiling_fidelity", "higher", 0.0, 1.0, "agreement of the network with itself under other draws"),
    ScoreSpec("ceiling_iia", "higher", 0.0, 1.0, "interchange-intervention accuracy of the network with itself"),
    ScoreSpec(
        "ceiling_ablation_corr", "higher", -1.0, 1.0, "correlation of the network's ablation effects with themselves"
    ),
]


def ratio_to_ceiling(raw: float, ceiling: float, min_ceiling: float = MIN_CEILING) -> float:
    """``raw / ceiling``; NaN when the ceiling is undefined (NaN) or below ``min_ceiling``."""
    return float(raw / ceiling) if np.isfinite(ceiling) and ceiling >= min_ceiling else float("nan")


def _undefined(what: str, ceiling: float, min_ceiling: float) -> str:
    if not np.isfinite(ceiling):
        return f"undefined: no variation in the network's own {what} under other draws (no ceiling)"
    return (
        f"undefined: the network's noise ceiling for {what} is {ceiling:.3f}, below min_ceiling = {min_ceiling:g}"
        " (a ratio to it would be noise)"
    )


def _split(h, site):
    return h if isinstance(h, tuple) else (h, site)


def _unit_sets(importance: np.ndarray, n_units: int, k: int, rng) -> list[np.ndarray]:
    order = np.argsort(-importance, kind="stable")
    sets = [order[:1], order[1:2], order[: min(k, n_units)]]
    for _ in range(2):
        sets.append(np.sort(rng.choice(n_units, size=max(1, n_units // 2), replace=False)))
    return [np.asarray(s, np.int64) for s in sets]


def _pairs(y: np.ndarray, n_sources: int, rng) -> list[tuple[int, np.ndarray]]:
    """``n_sources`` source inputs, each with the bases of another class (multilabel: other labels)."""
    sources = rng.choice(len(y), size=min(n_sources, len(y)), replace=False)
    out = []
    for s in sources:
        other = (y != y[s]) if y.ndim == 1 else (y != y[s]).any(axis=1)
        if other.any():
            out.append((int(s), np.flatnonzero(other)))
    return out


def _patched_predictions(model, site, x, pairs, unit_sets, perm=None):
    """Predictions ``[n_sets, sum of bases]`` with S patched from the model's own source values."""
    src_idx = np.array([s for s, _ in pairs])
    src = model.record(x[src_idx], sites=[site])
    rows = []
    for units in unit_sets:
        target = units if perm is None else perm[units]
        preds = [
            model.record(x[bases], sites=[], interventions=[Patch(site, target.tolist(), src, j)]).predictions
            for j, (_, bases) in enumerate(pairs)
        ]
        rows.append(np.concatenate(preds))
    return np.stack(rows)


def _ablation_effects(model, site, x, units, base_pred, perm=None):
    """Share of predictions changed by ablating each unit alone ``[len(units)]``."""
    out = []
    for u in units:
        target = int(u if perm is None else perm[u])
        pred = model.record(x, sites=[], interventions=[Ablate(site, [target])]).predictions
        out.append(float(np.mean(np.any(pred != base_pred, axis=-1) if pred.ndim == 2 else pred != base_pred)))
    return np.array(out)


def _same(a, b, multilabel: bool):
    """Per input (and unit set): the same prediction (multilabel: every label the same)."""
    eq = np.asarray(a) == np.asarray(b)
    return eq.all(axis=-1) if multilabel else eq


def _corr(a, b) -> float:
    if a.std() == 0 or b.std() == 0:
        return float("nan")
    return float(np.corrcoef(a, b)[0, 1])


def _compare(L, H, h_site, site, x, ctx) -> dict:
    """Fidelity, IIA and ablation correlation of H against L (and the null with shuffled units)."""
    n_units = L.sites()[site]
    perm = ctx["rng"].permutation(n_units)
    h_clean = H.record(x, sites=[]).predictions
    l_clean = ctx["l_clean"]
    ml = ctx["multilabel"]
    match = _same(h_clean, l_clean, ml)
    shuffled = _same(h_clean[ctx["rng"].permutation(len(x))], l_clean, ml)
    h_patch = _patched_predictions(H, h_site, x, ctx["pairs"], ctx["unit_sets"])
    h_patch_null = _patched_predictions(H, h_site, x, ctx["pairs"], ctx["unit_sets"], perm)
    h_abl = _ablation_effects(H, h_site, x, ctx["probe_units"], h_clean)
    h_abl_null = _ablation_effects(H, h_site, x, ctx["probe_units"], h_clean, perm)
    return {
        "fidelity": float(np.mean(match)),
        "fidelity_null": float(np.mean(shuffled)),
        "iia": float(np.mean(_same(h_patch, ctx["l_patch"], ml))),
        "iia_null": float(np.mean(_same(h_patch_null, ctx["l_patch"], ml))),
        "ablation_corr": _corr(h_abl, ctx["l_abl"]),
        "ablation_corr_null": _corr(h_abl_null, ctx["l_abl"]),
    }


def measure(
    model,
    task,
    *,
    abstractions: dict | None = None,
    reference=None,
    site: str | None = None,
    max_samples: int | None = 150,
    n_sources: int = 8,
    top_k: int = 5,
    n_probe_units: int = 20,
    min_ceiling: float = MIN_CEILING,
    seed: int = 0,
) -> ProbeResult:
    """``abstractions``: name -> H, (H, H's site), or a string saying why that abstraction does
    not apply (its scores are n/a with that reason); ``reference``: L with other random draws
    (its noise ceiling); ``min_ceiling``: the smallest ceiling a score is divided by (else NaN).
    Scores for the names in ``STANDARD``; every abstraction in details."""
    if not 0 < min_ceiling <= 1:
        raise ConfigError(f"min_ceiling={min_ceiling!r} must be in (0, 1]: a ceiling is a share or a correlation")
    site = primary_site(model, site)
    if not abstractions and reference is None:
        reason = "no abstractions given (scrutable compare builds them: comparisons.abstractions)"
        return ProbeResult(
            {spec.name: float("nan") for spec in SCORES},
            details={"table": {}, "not_applicable": {spec.name: reason for spec in SCORES}},
        )
    idx = subset_indices(task, max_samples, seed)
    x = task.x_test[idx]
    y = np.asarray(task.y_test)[idx]
    rng = np.random.default_rng(seed)
    clean = model.record(x, sites=[site])
    counts = clean.counts(site).astype(np.float64)
    n_units = counts.shape[1]
    pairs = _pairs(y, n_sources, rng)
    probe_units = np.argsort(-counts.mean(axis=0), kind="stable")[: min(n_probe_units, n_units)]
    l_abl = _ablation_effects(model, site, x, probe_units, clean.predictions)
    importance = np.zeros(n_units)
    importance[probe_units] = l_abl
    unit_sets = _unit_sets(importance, n_units, top_k, rng)
    ctx = {
        "multilabel": y.ndim == 2,
        "rng": rng,
        "pairs": pairs,
        "unit_sets": unit_sets,
        "probe_units": probe_units,
        "l_clean": clean.predictions,
        "l_abl": l_abl,
        "l_patch": _patched_predictions(model, site, x, pairs, unit_sets),
    }
    table = {}
    ceiling = {"fidelity": 1.0, "iia": 1.0, "ablation_corr": 1.0}
    if reference is not None:
        table["ceiling"] = _compare(model, reference, site, site, x, ctx)
        ceiling = {k: table["ceiling"][k] for k in ceiling}
    reasons = {}
    for name, h in (abstractions or {}).items():
        if isinstance(h, str):  # this abstraction does not apply to the model: the reason
            reasons[name] = h
            continue
        H, h_site = _split(h, site)
        table[name] = _compare(model, H, h_site, site, x, ctx)
    scores, not_applicable = {}, {}
    for name in STANDARD:
        for what in ("fidelity", "iia", "ablation_corr"):
            raw = table.get(name, {}).get(what, float("nan"))
            key = f"{name}_{what}"
            scores[key] = ratio_to_ceiling(raw, ceiling[what], min_ceiling)
            if name not in table:
                not_applicable[key] = reasons.get(name, f"no {name!r} abstraction given")
            elif not (np.isfinite(ceiling[what]) and ceiling[what] >= min_ceiling):
                not_applicable[key] = _undefined(what, ceiling[what], min_ceiling)
            elif not np.isfinite(scores[key]):
                not_applicable[key] = f"undefined: no variation in {name}'s or the network's ablation effects"
    for what, c in ceiling.items():
        scores[f"ceiling_{what}"] = c
    return ProbeResult(
        scores,
        details={
            "table": table,
            "ceiling": ceiling,
            "min_ceiling": min_ceiling,
            "unit_sets": [u.tolist() for u in unit_sets],
            "not_applicable": not_applicable,
        },
        meta={"site": site, "n_samples": len(idx), "n_pairs": int(sum(len(b) for _, b in pairs))},
    )


def null_scores(result: ProbeResult) -> dict[str, float]:
    """The measurement's own null for each score of ``result`` (``<score>_null``): H's units
    shuffled against L's, normalised by L's noise ceiling like the score. This, not a label
    shuffle, is what a score has to beat. NaN where the abstraction was not given."""
    table, ceiling = result.details.get("table", {}), result.details.get("ceiling", {})
    floor = result.details.get("min_ceiling", MIN_CEILING)
    out = {}
    for name in STANDARD:
        for what in ("fidelity", "iia", "ablation_corr"):
            raw = table.get(name, {}).get(f"{what}_null", float("nan"))
            out[f"{name}_{what}_null"] = ratio_to_ceiling(raw, ceiling.get(what, 1.0), floor)
    return out


def figure(results: dict[str, ProbeResult]):
    """Bars of fidelity, IIA and ablation correlation per abstraction, with ceiling and null."""
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(5.5 * len(results), 3.6), squeeze=False)
    for ax, (model_name, res) in zip(axes[0], results.items()):
        table = res.details.get("table", {})
        names = [n for n in table if n != "ceiling"]
        whats = ("fidelity", "iia", "ablation_corr")
        for j, what in enumerate(whats):
            vals = [table[n][what] for n in names]
            nulls = [table[n][f"{what}_null"] for n in names]
            pos = np.arange(len(names)) + (j - 1) * 0.27
            ax.bar(pos, vals, width=0.25, label=what)
            ax.scatter(pos, nulls, marker="_", color="k", s=120, zorder=3, label="null" if j == 0 else None)
            if "ceiling" in table:
                ax.axhline(table["ceiling"][what], color=f"C{j}", ls=":", lw=1)
        ax.set_xticks(np.arange(len(names)), names, rotation=15)
        ax.set_ylim(-0.2, 1.05)
        ax.set_title(f"{model_name}: abstractions (dotted: ceiling)")
        ax.set_ylabel("agreement / correlation")
    axes[0][-1].legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8)
    fig.tight_layout()
    return fig
