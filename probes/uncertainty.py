"""Nulls, noise ceilings and verdicts for any measurement ``measure(model, task, ...) -> ProbeResult``.

:func:`assess` runs a measurement once as asked and then again

- on **redraws**: independent re-recordings of the same trained network (other Poisson
  draws: ``model.redrawn(k)`` when the model has it, else ``model.using(record_seed=...)``);
  a deterministic network (no such option) has an exact ceiling and no redraw;
- on **resamples** of the test inputs the measurement reads: random halves drawn without
  replacement (the delete-half jackknife). For a mean the spread of a statistic over random
  halves equals its sampling spread at the full size (var over halves = s^2 (1/m - 1/n) =
  s^2 / n for m = n/2), and no input appears twice: bootstrap duplicates would leak across
  cross-validation folds and into the decoding control (which gives equal inputs equal
  labels). The recording is reused (subset), so a resample costs no simulation; the same
  halves are drawn for every model, so differences between two models are paired;
- on **nulls**: a copy of the task with the test labels and factors permuted together across
  samples and the training labels permuted separately (for measurements that fit on
  training data); and, for measurements that read only the recording (``n_unit_nulls``), a
  recording in which each unit's activity is permuted across samples on its own (marginals
  kept, every relation to the input and between units destroyed).

:func:`compare_scores` turns two assessments of one score into a verdict: a network is more
interpretable only when the difference exceeds the combined 95% uncertainty
``1.96 * sqrt(var(paired resample differences) + var(redraws of a) + var(redraws of b))``,
otherwise "within noise"; scores that are n/a or fixed by construction are excluded, with
the reason.
"""

from __future__ import annotations

import dataclasses
import inspect
import math
from dataclasses import dataclass, field

import numpy as np

from .common import subset_indices
from .errors import ScrutableError
from .recording import Recording
from .result import ProbeResult, ScoreSpec

Z95 = 1.959963984540054  # two-sided 95% normal quantile
SILENT_FEW = 5  # "nearly silent": fewer spikes than Diehl & Cook's retry threshold


# --- spike budget ---------------------------------------------------------------------------
def spike_budget(rec: Recording, site: str | None = None) -> dict | None:
    """Spikes per sample of a spiking recording's ``site`` (default: ``"exc"`` if recorded, else
    the first site with spike events); None for a recording without spikes.

    Returns ``{"site", "mean", "median", "silent_share" (samples with 0 spikes),
    "few_share" (samples with fewer than 5 spikes), "active_units" (mean units with >= 1 spike)}``.
    """
    if not rec.spikes:
        return None
    site = site or ("exc" if "exc" in rec.spikes else next(iter(rec.spikes)))
    per = np.bincount(rec.spikes[site].sample, minlength=rec.n_samples)[: rec.n_samples]
    active = (rec.counts(site) > 0).sum(axis=1) if site in rec.activity else np.zeros(rec.n_samples)
    return {
        "site": site,
        "mean": float(per.mean()),
        "median": float(np.median(per)),
        "silent_share": float((per == 0).mean()),
        "few_share": float((per < SILENT_FEW).mean()),
        "active_units": float(active.mean()),
    }


# --- task and recording variants ------------------------------------------------------------
def task_subset(task, idx: np.ndarray):
    """A copy of ``task`` whose test set is ``task.x_test[idx]`` (labels and factors alike)."""
    idx = np.asarray(idx)
    factors = None if task.factors_test is None else task.factors_test[idx]
    return dataclasses.replace(task, x_test=task.x_test[idx], y_test=task.y_test[idx], factors_test=factors)


def shuffled_task(task, seed: int):
    """A copy of ``task`` with test labels and factors permuted together across samples and
    training labels permuted separately: every relation between inputs and labels is gone,
    the label and factor distributions are kept."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x5AFF1E]))
    p_test = rng.permutation(len(task.x_test))
    p_train = rng.permutation(len(task.x_train))
    factors = None if task.factors_test is None else task.factors_test[p_test]
    return dataclasses.replace(task, y_test=task.y_test[p_test], factors_test=factors, y_train=task.y_train[p_train])


def unit_shuffled(rec: Recording, seed: int) -> Recording:
    """``rec`` with each unit's activity (all its bins together) permuted across samples on its
    own; spike events are dropped (they would no longer match the counts)."""
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x0417]))
    activity = {}
    for site, act in rec.activity.items():
        n, _, n_units = act.shape
        perm = np.argsort(rng.random((n, n_units)), axis=0)  # one permutation per unit
        activity[site] = np.take_along_axis(act, perm[:, None, :], axis=0)
    return Recording(activity, rec.outputs, {}, dict(rec.meta))


def redrawn(model, k: int):
    """An independent re-recording of ``model`` (other Poisson draws), or None when the model
    has no such option (a deterministic network: its noise ceiling is exact)."""
    if hasattr(model, "redrawn"):
        return model.redrawn(k)
    using = getattr(model, "using", None)
    if using is None:
        return None
    seed = int(np.random.SeedSequence([int(getattr(model, "seed", 0)) & 0xFFFFFFFF, 0xD5A3, k]).generate_state(1)[0])
    try:
        return using(record_seed=seed)
    except (ScrutableError, TypeError):
        return None


def _default(measure, name: str):
    fn = getattr(measure, "measure", measure)
    try:
        p = inspect.signature(fn).parameters.get(name)
    except (TypeError, ValueError):
        return None
    return None if p is None or p.default is inspect.Parameter.empty else p.default


def _accepts(measure, name: str) -> bool:
    fn = getattr(measure, "measure", measure)
    params = inspect.signature(fn).parameters
    return name in params


# --- assessment -----------------------------------------------------------------------------
@dataclass
class ScoreSpread:
    """One score of one model: its value and what it takes under redraws, resamples and nulls."""

    value: float
    redraws: list[float] = field(default_factory=list)
    resamples: list[float] = field(default_factory=list)
    nulls: list[float] = field(default_factory=list)
    unit_nulls: list[float] = field(default_factory=list)

    @property
    def var_redraw(self) -> float:
        vals = [v for v in [self.value, *self.redraws] if math.isfinite(v)]
        return float(np.var(vals, ddof=1)) if len(vals) > 1 else 0.0

    @property
    def var_resample(self) -> float:
        vals = [v for v in self.resamples if math.isfinite(v)]
        return float(np.var(vals, ddof=1)) if len(vals) > 1 else 0.0

    @property
    def u95(self) -> float:
        """Half-width of the 95% interval of the score from redraws and resamples."""
        return Z95 * math.sqrt(self.var_redraw + self.var_resample)

    @property
    def null(self) -> float:
        """Mean score with labels and factors shuffled (NaN when not computed)."""
        vals = [v for v in self.nulls if math.isfinite(v)]
        return float(np.mean(vals)) if vals else float("nan")

    @property
    def null_u95(self) -> float:
        vals = [v for v in self.nulls if math.isfinite(v)]
        return Z95 * float(np.std(vals, ddof=1)) if len(vals) > 1 else 0.0

    def above_null(self, better: str) -> float:
        """How far the score is from its label null, positive in its ``better`` direction."""
        return (self.value - self.null) * (1.0 if better == "higher" else -1.0)

    def fixed(self) -> bool:
        """The score takes the same value under every null, resample and redraw: it does not
        depend on the data (fixed by construction)."""
        others = [*self.redraws, *self.resamples, *self.nulls, *self.unit_nulls]
        return bool(self.nulls) and all(v == self.value for v in others)

    def to_dict(self) -> dict:
        return {
            "value": self.value,
            "u95": self.u95,
            "sd_redraw": math.sqrt(self.var_redraw),
            "sd_resample": math.sqrt(self.var_resample),
            "null": self.null,
            "null_u95": self.null_u95,
            "redraws": list(self.redraws),
            "resamples": list(self.resamples),
            "nulls": list(self.nulls),
            "unit_nulls": list(self.unit_nulls),
        }


@dataclass
class Assessment:
    """A measurement's result on one model with a :class:`ScoreSpread` per score.

    one_step: the model's recording has a single time bin (no time axis).
    deterministic: the model has no redraw option (its noise ceiling is exact).
    """

    result: ProbeResult
    spreads: dict[str, ScoreSpread]
    one_step: bool = False
    deterministic: bool = False
    n_redraws: int = 0
    n_resamples: int = 0
    n_nulls: int = 0


def assess(
    measure,
    model,
    task,
    *,
    recording: Recording | None = None,
    n_redraws: int = 2,
    n_resamples: int = 20,
    n_nulls: int = 3,
    n_unit_nulls: int = 0,
    seed: int = 0,
    **options,
) -> Assessment:
    """Run ``measure(model, task, seed=seed, recording=..., **options)`` and its redraws,
    resamples and nulls (see the module docstring). ``recording``: the model's recording of
    the whole test set, reused (subset) by every run that reads the same draws."""
    takes_rec = _accepts(measure, "recording")

    def run(m, t, rec, **extra):
        kw = {**options, **extra}
        if takes_rec:
            kw["recording"] = rec
        return measure(m, t, seed=seed, **kw)

    main = run(model, task, recording)
    runs: dict[str, list[ProbeResult]] = {"redraws": [], "resamples": [], "nulls": [], "unit_nulls": []}
    deterministic = False
    for k in range(1, n_redraws + 1):
        other = redrawn(model, k)
        if other is None:
            deterministic = True
            break
        rec = other.record(task.x_test) if (recording is not None and takes_rec) else None
        runs["redraws"].append(run(other, task, rec))
    if n_resamples:
        cap = options.get("max_samples", _default(measure, "max_samples"))
        idx = subset_indices(task, cap, seed)
        rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x4A1F]))
        for _ in range(n_resamples):
            half = np.sort(rng.choice(idx, size=max(len(idx) // 2, 2), replace=False))
            rec = recording.subset(half) if (recording is not None and takes_rec) else None
            extra = {"max_samples": None} if _accepts(measure, "max_samples") else {}
            runs["resamples"].append(run(model, task_subset(task, half), rec, **extra))
    for j in range(n_nulls):
        runs["nulls"].append(run(model, shuffled_task(task, seed * 1000 + j), recording))
    if recording is not None and takes_rec:  # only measurements that read the recording can see a shuffled one
        for j in range(n_unit_nulls):
            runs["unit_nulls"].append(run(model, task, unit_shuffled(recording, seed * 1000 + j)))
    spreads = {
        name: ScoreSpread(
            float(value), **{kind: [float(r.scores.get(name, float("nan"))) for r in rs] for kind, rs in runs.items()}
        )
        for name, value in main.scores.items()
    }
    one_step = recording is not None and all(a.shape[1] == 1 for a in recording.activity.values())
    return Assessment(main, spreads, one_step, deterministic, len(runs["redraws"]), n_resamples, n_nulls)


# --- verdicts -------------------------------------------------------------------------------
@dataclass(frozen=True)
class Verdict:
    """``winner``: a model name, "within noise" or "excluded"; ``margin``: |a - b|;
    ``u95``: the combined 95% uncertainty of the difference; ``reason``: why excluded."""

    winner: str
    margin: float
    u95: float
    reason: str = ""

    @property
    def decided(self) -> bool:
        return self.winner not in ("within noise", "excluded")


def exclusion(spec: ScoreSpec, a: Assessment, name: str, timed: bool) -> str:
    """Why ``spec`` of assessment ``a`` (model ``name``) cannot enter a verdict ('' if it can)."""
    s = a.spreads.get(spec.name)
    if s is None or not math.isfinite(s.value):
        return f"n/a for {name}"
    if timed and a.one_step:
        return f"{name} has one step (no time axis)"
    if s.fixed():
        return f"{name} unchanged by shuffled labels and resampling"
    return ""


def compare_scores(
    spec: ScoreSpec, a: Assessment, b: Assessment, names: tuple[str, str], timed: bool = False
) -> Verdict:
    """The verdict on one score between two assessed models (see the module docstring)."""
    reasons = [r for r in (exclusion(spec, a, names[0], timed), exclusion(spec, b, names[1], timed)) if r]
    sa, sb = a.spreads.get(spec.name), b.spreads.get(spec.name)
    if reasons:
        margin = abs(sa.value - sb.value) if sa and sb and math.isfinite(sa.value - sb.value) else float("nan")
        return Verdict("excluded", margin, float("nan"), "; ".join(reasons))
    ra, rb = np.asarray(sa.resamples, float), np.asarray(sb.resamples, float)
    if len(ra) == len(rb) and len(ra) > 1:  # the same halves for both: paired differences
        d = ra - rb
        d = d[np.isfinite(d)]
        var_res = float(np.var(d, ddof=1)) if len(d) > 1 else 0.0
    else:
        var_res = sa.var_resample + sb.var_resample
    u95 = Z95 * math.sqrt(var_res + sa.var_redraw + sb.var_redraw)
    diff = sa.value - sb.value
    if abs(diff) <= u95 or diff == 0:
        return Verdict("within noise", abs(diff), u95)
    better_a = diff > 0 if spec.better == "higher" else diff < 0
    return Verdict(names[0] if better_a else names[1], abs(diff), u95)


__all__ = [
    "Assessment",
    "ScoreSpread",
    "Verdict",
    "assess",
    "compare_scores",
    "exclusion",
    "redrawn",
    "shuffled_task",
    "spike_budget",
    "task_subset",
    "unit_shuffled",
]
