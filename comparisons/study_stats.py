"""The contrast table of a study: paired differences by seed, permutation tests, bootstrap
intervals, Holm correction and equivalence tests (TOST).

A contrast (declared in the study file, ``[[contrasts]]``) names two conditions, ``a`` and
``b``, as filters on the runs (config keys and ``label``/``network``). For every task and
score it is computed as follows.

- **Pairing by seed.** A seed fixes the data split and the initial weights of every
  condition (common random numbers), so the unit of analysis is the seed: for seed s,
  ``d_s = A_s - B_s`` where ``A_s`` is the mean score of the runs matching ``a`` with seed s
  (several runs when ``a`` leaves another grid key free: the contrast is then the main
  effect averaged over that key). n counts seeds present in both conditions.
- **Test.** A sign-flip permutation test of mean(d) = 0 (exact over all 2^n sign vectors up
  to n = 16 seeds, else 20,000 random ones). It assumes only that d is symmetric about 0
  under the null, and it is valid for scores with few distinct values (ties need no
  correction). The smallest two-sided p it can give is 2 / 2^n: with Holm over m rows, a
  row can be an "effect" only when 2 / 2^n <= alpha / m (n >= 10 seeds for m <= 25 at alpha 0.05).
- **Holm correction** over every row of the family (family-wise error rate ``alpha``). The
  family is the whole table (``family = "table"``, the default) or each contrast's rows
  (``family = "contrast"``: one question per family, every task and score of it; m is then
  that contrast's row count).
- **Interval.** A percentile bootstrap over seeds (20,000 resamples of the n paired
  differences) at level 1 - alpha / m: Bonferroni-corrected over the family, the simultaneous
  interval of Holm's first step (so it can be wider than a Holm rejection needs).
- **Equivalence (TOST).** Against the smallest effect of interest delta of the score: two
  one-sided sign-flip tests of mean(d) <= -delta and mean(d) >= +delta; the TOST p is the
  larger, Holm-corrected over the rows that have a delta. delta comes from the study's
  ``smallest_effect`` table, else 2% of the score's documented range (0.02 for a share in
  [0, 1], 0.04 for a score in [-1, 1]); a score with an unbounded range (milliseconds,
  sample counts) has no default and gets no equivalence verdict unless the study states one.
- **Accuracy.** Every row shows the mean accuracy of the runs behind each side, so a difference
  in a score can be read against a difference in how well the networks do the task.
- **Matched accuracy** (``match_accuracy = tol`` in a contrast). A score can follow accuracy
  rather than the network (a better-trained network has a cleaner code), so a contrast can
  compare runs of similar accuracy only: for each seed, every run matching ``a`` is paired
  with the run matching ``b`` (any value of the keys ``b`` leaves free, e.g. a swept
  ``dense.max_epochs``) whose accuracy is nearest, and the pair is kept when the two differ by
  at most ``tol``; ``A_s`` and ``B_s`` are then the means over the kept pairs of seed s (pairs
  are with replacement: one ``b`` run can match several ``a`` runs). Seeds without a kept pair
  drop out, and n says how many remain.
- **Verdict.** "effect" when the Holm-corrected p <= alpha; else "equivalent" when the
  Holm-corrected TOST p <= alpha (the difference is within +/- delta); else "inconclusive"
  (the data can tell neither).
"""

from __future__ import annotations

import functools
import html
import itertools
from dataclasses import asdict, dataclass

import numpy as np

from probes.support import ConfigError, DataError

from .study import FAMILIES, line_names, matches, observations, per_seed, score_names, unknown_name
from .study_plots import better_sign, score_range

N_EXACT = 16  # up to this many seeds the sign-flip test enumerates every sign vector
N_RANDOM = 20_000  # sign vectors (or bootstrap resamples) otherwise


@functools.lru_cache(maxsize=N_EXACT + 1)
def _all_signs(n: int) -> np.ndarray:
    """Every sign vector of length n, ``[2^n, n]`` (row 0 is all +1: the identity)."""
    bits = (np.arange(2**n)[:, None] >> np.arange(n)[None, :]) & 1
    return 1.0 - 2.0 * bits


def _signs(n: int, rng: np.random.Generator) -> np.ndarray:
    """Sign vectors ``[k, n]`` of +-1: all 2^n when n <= N_EXACT (exact test), else N_RANDOM random ones."""
    if n <= N_EXACT:
        return _all_signs(n)
    return rng.choice((1.0, -1.0), size=(N_RANDOM, n))


def sign_flip_p(d, *, alternative: str = "two-sided", rng: np.random.Generator | None = None) -> float:
    """p-value of mean(d) = 0 against ``alternative`` ("two-sided", "greater", "less") by flipping signs.

    Exact (all 2^n sign vectors, the identity among them) up to N_EXACT values; beyond, a
    Monte Carlo estimate (1 + hits) / (1 + N_RANDOM)."""
    d = np.asarray(d, float)
    if len(d) == 0:
        return float("nan")
    rng = rng if rng is not None else np.random.default_rng(0)
    flips = _signs(len(d), rng) @ d / len(d)  # [k] means under the null
    obs = d.mean()
    tol = 1e-12 * max(1.0, float(np.abs(d).max()))
    if alternative == "two-sided":
        hits = np.abs(flips) >= abs(obs) - tol
    elif alternative == "greater":
        hits = flips >= obs - tol
    elif alternative == "less":
        hits = flips <= obs + tol
    else:
        raise ValueError(f"alternative={alternative!r}")
    if len(d) <= N_EXACT:
        return float(hits.mean())
    return float((1 + hits.sum()) / (1 + len(flips)))


def tost_p(d, delta: float, *, rng: np.random.Generator | None = None) -> float:
    """Two one-sided sign-flip tests: H0 mean(d) <= -delta and H0 mean(d) >= +delta; the larger p."""
    d = np.asarray(d, float)
    lower = sign_flip_p(d + delta, alternative="greater", rng=rng)
    upper = sign_flip_p(d - delta, alternative="less", rng=rng)
    return max(lower, upper)


def holm(p) -> np.ndarray:
    """Holm's step-down adjusted p-values (NaN entries stay NaN and do not count in the family)."""
    p = np.asarray(p, float)
    out = np.full_like(p, np.nan)
    idx = np.flatnonzero(~np.isnan(p))
    m = len(idx)
    order = idx[np.argsort(p[idx], kind="stable")]
    running = 0.0
    for rank, i in enumerate(order):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out


def bootstrap_ci(a, b=None, *, level: float = 0.95, paired: bool = True, rng=None) -> tuple[float, float]:
    """Percentile bootstrap interval of mean(a - b) over seeds.

    ``paired``: resample seeds (the pairs) together; else resample ``a`` and ``b``
    independently (the unpaired analysis, which ignores that a seed is shared)."""
    rng = rng if rng is not None else np.random.default_rng(0)
    a = np.asarray(a, float)
    b = np.zeros_like(a) if b is None else np.asarray(b, float)
    n = len(a)
    if paired:
        d = a - b
        means = d[rng.integers(0, n, size=(N_RANDOM, n))].mean(axis=1)
    else:
        means = a[rng.integers(0, n, size=(N_RANDOM, n))].mean(axis=1) - b[
            rng.integers(0, len(b), size=(N_RANDOM, len(b)))
        ].mean(axis=1)
    tail = (1 - level) / 2
    lo, hi = np.quantile(means, [tail, 1 - tail])
    return float(lo), float(hi)


def unpaired_p(a, b, *, rng=None) -> float:
    """Two-sided permutation test of mean(a) = mean(b) that shuffles condition labels (ignores pairing)."""
    rng = rng if rng is not None else np.random.default_rng(0)
    a, b = np.asarray(a, float), np.asarray(b, float)
    pooled = np.concatenate([a, b])
    obs = abs(a.mean() - b.mean())
    perms = np.argsort(rng.random((N_RANDOM, len(pooled))), axis=1)
    x = pooled[perms]
    stat = np.abs(x[:, : len(a)].mean(axis=1) - x[:, len(a) :].mean(axis=1))
    return float((1 + (stat >= obs - 1e-12).sum()) / (1 + N_RANDOM))


def default_smallest_effect(score: str) -> float | None:
    """2% of the score's documented range, or None for an unbounded score (no default)."""
    low, high = score_range(score)
    return 0.02 * (high - low) if np.isfinite(low) and np.isfinite(high) else None


@dataclass(frozen=True)
class ContrastRow:
    contrast: str
    task: str
    score: str
    n: int  # seeds present in both conditions
    mean_a: float
    mean_b: float
    acc_a: float  # mean accuracy of the runs behind each side (nan for a task without accuracy)
    acc_b: float
    match: float | None  # match_accuracy tolerance, or None (not matched)
    diff: float  # mean over seeds of A_s - B_s
    ci_low: float  # bootstrap interval at level 1 - alpha / m
    ci_high: float
    p: float  # sign-flip test of diff = 0 (or the unpaired label permutation)
    p_holm: float
    delta: float | None  # smallest effect of interest
    p_tost: float | None
    p_tost_holm: float | None
    verdict: str  # "effect" | "equivalent" | "inconclusive"


def _runs(obs: list[dict], where: dict, task: str | None, score: str) -> dict[int, list[dict]]:
    """seed -> the observations matching ``where`` (in ``task`` unless None) that have ``score``."""
    out: dict[int, list[dict]] = {}
    for o in obs:
        in_task = task is None or o["task"] == task
        if in_task and score in o["scores"] and matches(o, where) and not _identity(o, score):
            out.setdefault(int(o["seed"]), []).append(o)
    return out


def _identity(o: dict, score: str) -> bool:
    """True for a no_delays abstraction score of a network without delays or jitter: that abstraction
    is the network itself (its score is 1 / ceiling), so it says nothing and has no row."""
    return score.startswith("abstraction.no_delays") and _synchronous(o)


def _accuracy(o: dict) -> float:
    return float(o["scores"].get("accuracy", np.nan))


def _paired(c: dict, obs: list[dict], task: str | None, score: str) -> list[tuple[int, float, float, float, float]]:
    """``(seed, A_s, B_s, accuracy A_s, accuracy B_s)`` per seed present on both sides; with
    ``match_accuracy`` only the runs paired by nearest accuracy within the tolerance count."""
    a, b = _runs(obs, c["a"], task, score), _runs(obs, c["b"], task, score)
    tol = c.get("match_accuracy")
    out = []
    for s in sorted(set(a) & set(b)):
        if tol is None:
            side_a, side_b = a[s], b[s]
        else:
            pairs = []
            for oa in a[s]:
                ob = min(b[s], key=lambda o: abs(_accuracy(o) - _accuracy(oa)))
                if abs(_accuracy(ob) - _accuracy(oa)) <= tol + 1e-12:  # (nan accuracy: never matched)
                    pairs.append((oa, ob))
            if not pairs:
                continue
            side_a, side_b = [oa for oa, _ in pairs], [ob for _, ob in pairs]
        out.append(
            (
                s,
                float(np.mean([o["scores"][score] for o in side_a])),
                float(np.mean([o["scores"][score] for o in side_b])),
                float(np.mean([_accuracy(o) for o in side_a])),
                float(np.mean([_accuracy(o) for o in side_b])),
            )
        )
    return out


def _scores_for(contrast: dict, obs: list[dict]) -> list[str]:
    from probes import MEASUREMENTS

    have = score_names(obs)
    if contrast.get("scores"):
        for s in contrast["scores"]:
            if s not in have:
                raise unknown_name(f"contrast {contrast['name']!r} score", s, have)
        return list(contrast["scores"])
    headline = ["accuracy"] + [f"{n}.{m.headline}" for n, m in MEASUREMENTS.items()]
    return [s for s in headline if s in have]


def contrast_table(
    rows: list[dict],
    contrasts: list[dict],
    *,
    alpha: float = 0.05,
    smallest_effect: dict | None = None,
    paired: bool = True,
    seed: int = 0,
    family: str = "table",
    waiting: list | None = None,
) -> list[ContrastRow]:
    """Every declared contrast x task x score as a :class:`ContrastRow` (see the module docstring).

    ``paired=False`` gives the unpaired analysis of the same data (for comparison only);
    ``family``: Holm and the interval level over the whole table or within each contrast.
    ``waiting``: for a study still running, a list that collects the names of contrasts with no
    finished runs on both sides yet (left out of the table); without it such a contrast is an
    error (its filters match nothing)."""
    if family not in FAMILIES:
        raise ConfigError(f"study.family={family!r} is unknown: choose {' or '.join(map(repr, FAMILIES))}")
    if not contrasts:
        raise ConfigError("the study declares no [[contrasts]]: add e.g. name, a = {...}, b = {...} to the study file")
    obs = observations(rows)
    if not obs:
        raise DataError("the store has no finished run: run the study first")
    smallest_effect = smallest_effect or {}
    rng = np.random.default_rng(seed)
    raw = []
    for c in contrasts:
        by_task = "task.name" not in c["a"] and "task.name" not in c["b"]
        tasks = sorted({o["task"] for o in obs}) if by_task else [None]
        before = len(raw)
        for task, score in itertools.product(tasks, _scores_for(c, obs)):
            # a score that is n/a for a network (NaN: time to read of a one-step network) has no row
            paired_ = [t for t in _paired(c, obs, task, score) if np.isfinite(t[1]) and np.isfinite(t[2])]
            if not paired_:
                continue
            label = task if task is not None else f"{c['a'].get('task.name', '*')} vs {c['b'].get('task.name', '*')}"
            _, va, vb, acc_a, acc_b = (np.array(col) for col in zip(*paired_))
            raw.append((c["name"], label, score, va, vb, (acc_a, acc_b, c.get("match_accuracy"))))
        if len(raw) == before and waiting is not None:
            waiting.append(c["name"])
        elif len(raw) == before:
            matched = (
                f" with accuracies within {c['match_accuracy']} (widen match_accuracy or sweep training length)"
                if "match_accuracy" in c
                else ""
            )
            raise DataError(
                f"contrast {c['name']!r}: no seed has finished runs matching both a = {c['a']} and b = {c['b']}"
                f"{matched}: check its filters against `scrutable study show STORE`"
            )
    p = [sign_flip_p(va - vb, rng=rng) if paired else unpaired_p(va, vb, rng=rng) for _, _, _, va, vb, _ in raw]
    deltas = [smallest_effect.get(score, default_smallest_effect(score)) for _, _, score, _, _, _ in raw]
    pt = [np.nan if dl is None else tost_p(va - vb, dl, rng=rng) for (_, _, _, va, vb, _), dl in zip(raw, deltas)]
    groups = [name if family == "contrast" else "" for name, *_ in raw]
    p_holm, pt_holm = np.empty(len(raw)), np.empty(len(raw))
    for g in dict.fromkeys(groups):
        idx = [i for i, x in enumerate(groups) if x == g]
        p_holm[idx], pt_holm[idx] = holm([p[i] for i in idx]), holm([pt[i] for i in idx])
    out = []
    for i, (name, task, score, va, vb, (acc_a, acc_b, match)) in enumerate(raw):
        m = groups.count(groups[i])
        lo, hi = bootstrap_ci(va, vb, level=1 - alpha / m, paired=paired, rng=rng)
        if p_holm[i] <= alpha:
            verdict = "effect"
        elif not np.isnan(pt_holm[i]) and pt_holm[i] <= alpha:
            verdict = "equivalent"
        else:
            verdict = "inconclusive"
        out.append(
            ContrastRow(
                name,
                task,
                score,
                len(va),
                float(va.mean()),
                float(vb.mean()),
                float(np.mean(acc_a)),
                float(np.mean(acc_b)),
                match,
                float((va - vb).mean()),
                lo,
                hi,
                float(p[i]),
                float(p_holm[i]),
                deltas[i],
                None if np.isnan(pt[i]) else float(pt[i]),
                None if np.isnan(pt_holm[i]) else float(pt_holm[i]),
                verdict,
            )
        )
    return out


def _fmt(v, digits: int = 3) -> str:
    return "-" if v is None or v != v else f"{v:.{digits}f}"


def _cells(r: ContrastRow) -> list[str]:
    return [
        r.contrast if r.match is None else f"{r.contrast} (accuracy within {r.match:g})",
        r.task,
        r.score,
        str(r.n),
        _fmt(r.mean_a),
        _fmt(r.mean_b),
        f"{_fmt(r.acc_a)} / {_fmt(r.acc_b)}",
        f"{r.diff:+.3f} [{r.ci_low:+.3f}, {r.ci_high:+.3f}]",
        f"{_fmt(r.p, 4)} / {_fmt(r.p_holm, 4)}",
        _fmt(r.delta),
        "-" if r.p_tost is None else f"{_fmt(r.p_tost, 4)} / {_fmt(r.p_tost_holm, 4)}",
        r.verdict,
    ]


HEADER = [
    "contrast",
    "task",
    "score",
    "n seeds",
    "a",
    "b",
    "accuracy a / b",
    "a - b [corrected CI]",
    "p / Holm",
    "delta",
    "TOST p / Holm",
    "verdict",
]


def legend(rows: list[ContrastRow], alpha: float, family: str = "table") -> str:
    sizes = [sum(r.contrast == c for r in rows) for c in dict.fromkeys(r.contrast for r in rows)]
    m = len(rows) if family == "table" else max(sizes, default=0)
    where = "the table" if family == "table" else f"each contrast's rows (families of {min(sizes, default=0)}-{m})"
    n_min = min((r.n for r in rows), default=0)
    floor = 2 / 2**n_min if n_min else 1.0
    note = (
        f" With {n_min} seeds the smallest attainable p is {floor:.4f}, above alpha / m = {alpha / m:.4f}:"
        " no row can reach 'effect'; add seeds."
        if n_min and floor > alpha / m
        else ""
    )
    level = "; per family" if family == "contrast" else ""
    return (
        f"{len(rows)} rows; paired by seed; sign-flip permutation p, Holm-corrected over {where} (alpha = {alpha}); "
        f"interval: percentile bootstrap over seeds at {100 * (1 - alpha / m):.2f}% (Bonferroni{level}); "
        "TOST against +/- delta (the smallest effect of interest), Holm-corrected. Verdict: effect (corrected p <= "
        "alpha), equivalent (TOST passes), else inconclusive." + note
    )


def _md_table(header: list[str], cells: list[list[str]], note: str) -> str:
    """A Markdown table (one row per cell list) followed by its legend paragraph."""
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(c) + " |" for c in cells]
    return "\n".join(lines) + "\n\n" + note + "\n"


def _html_table(header: list[str], rows: list[tuple[str, list[str]]], note: str, cls: str = "") -> str:
    """An HTML table of ``(row class, cells)`` followed by its legend paragraph (everything escaped)."""
    e = html.escape
    head = "".join(f"<th>{e(h)}</th>" for h in header)
    body = "".join(
        (f"<tr class='{e(k)}'>" if k else "<tr>") + "".join(f"<td>{e(c)}</td>" for c in cells) + "</tr>"
        for k, cells in rows
    )
    table = f"<table class='{e(cls)}'>" if cls else "<table>"
    return f"{table}<tr>{head}</tr>{body}</table><p class='doc'>{e(note)}</p>"


def to_markdown(rows: list[ContrastRow], alpha: float, family: str = "table") -> str:
    return _md_table(HEADER, [_cells(r) for r in rows], legend(rows, alpha, family))


def to_html(rows: list[ContrastRow], alpha: float, family: str = "table") -> str:
    return _html_table(HEADER, [(r.verdict, _cells(r)) for r in rows], legend(rows, alpha, family), "contrasts")


def as_dicts(rows: list[ContrastRow]) -> list[dict]:
    return [asdict(r) for r in rows]


def _reads(r: ContrastRow) -> str:
    """'+' when a reads as more interpretable than b by the score's documented direction, '-' when less,
    '?' when the score has none."""
    sign = better_sign(r.score) * np.sign(r.diff)
    return "?" if better_sign(r.score) == 0 else ("+" if sign > 0 else "-")


def summary_markdown(rows: list[ContrastRow]) -> str:
    """One line per contrast and task: the seeds paired, the accuracies, the scores it moves (verdict
    "effect", with a - b and whether a reads as more or less interpretable by the score's documented
    direction), the scores equivalent within their delta, and how many stay inconclusive."""
    lines = [
        "| contrast | task | seeds | accuracy a / b | moves (a - b; a reads more + or less - interpretable) "
        "| equivalent within delta | inconclusive |",
        "|---|---|---|---|---|---|---|",
    ]
    for (name, task), group in itertools.groupby(rows, key=lambda r: (r.contrast, r.task)):
        group = list(group)
        moves = [f"{r.score} {r.diff:+.3g} ({_reads(r)})" for r in group if r.verdict == "effect"]
        same = [r.score for r in group if r.verdict == "equivalent"]
        open_ = sum(r.verdict == "inconclusive" for r in group)
        acc = f"{_fmt(group[0].acc_a)} / {_fmt(group[0].acc_b)}"
        seeds = min(r.n for r in group)  # fewer than the study's seeds while it runs
        row = f"| {name} | {task} | {seeds} | {acc} | {'; '.join(moves) or '-'} | {', '.join(same) or '-'} | {open_} |"
        lines.append(row)
    return "\n".join(lines) + "\n"


def abstraction_scores() -> list[str]:
    """``abstraction.<H>_<score>`` for every abstraction score over the noise ceiling (the measurement's
    registry entry, less the ceilings themselves), so a new abstraction cannot miss the table."""
    from probes import MEASUREMENTS

    return [f"abstraction.{s.name}" for s in MEASUREMENTS["abstraction"].scores if not s.name.startswith("ceiling_")]


@dataclass(frozen=True)
class AbstractionRow:
    task: str
    condition: str  # the line: label and the grid keys that vary (``snn delay_ms=10.0 learning=stdp``)
    score: str
    n: int
    mean: float  # the score over the noise ceiling (1: H predicts L as well as L predicts itself)
    ci_low: float  # bootstrap interval of the mean at level 1 - alpha / m
    ci_high: float
    null: float  # the same score with H's units shuffled against L's
    diff: float  # mean over seeds of score - null
    p_holm: float  # sign-flip test of score - null, Holm over the table
    verdict: str  # "above null" | "not above null"


def _synchronous(o: dict) -> bool:
    """True for a spiking network with no delay and no jitter on any pathway."""
    return all(not o["keys"].get(f"snn.{k}", 0) for k in ("delay_ms", "jitter_ms", "delay_recurrent_ms"))


def abstraction_table(rows: list[dict], *, alpha: float = 0.05, seed: int = 0) -> list[AbstractionRow]:
    """Every abstraction score of every condition against its own null, paired by seed.

    A condition is a line of :func:`comparisons.study.line_names`. For each of the nine scores
    (no_delays / one_step / fitted x fidelity / iia / ablation_corr, each over L's noise ceiling)
    that has a stored ``<score>_null``: the mean over seeds with a bootstrap interval, the null's
    mean, and a sign-flip test of score - null > 0 (one-sided), Holm-corrected over the table.
    "above null" says H's alignment with L carries information; a mean near 1 says H predicts L
    as well as L predicts itself under other Poisson draws. The no_delays abstraction of a network
    without delays or jitter is the network itself, so it has no row."""
    scores = abstraction_scores()
    obs = [o for o in observations(rows) if any(s in o["scores"] for s in scores)]
    names = line_names(obs)
    raw = []
    for task, cond, score in sorted(
        {(o["task"], names[id(o)], s) for o in obs for s in scores if f"{s}_null" in o["scores"]}
    ):
        runs = [
            o
            for o in obs
            if o["task"] == task and names[id(o)] == cond and f"{score}_null" in o["scores"] and not _identity(o, score)
        ]
        a = per_seed((o["seed"], o["scores"][score]) for o in runs)
        b = per_seed((o["seed"], o["scores"][f"{score}_null"]) for o in runs)
        v = np.array([(a[s], b[s]) for s in a if np.isfinite(a[s]) and np.isfinite(b[s])], float).reshape(-1, 2)
        if len(v):
            raw.append((task, cond, score, v[:, 0], v[:, 1]))
    if not raw:
        return []
    rng = np.random.default_rng(seed)
    p = [sign_flip_p(a - b, alternative="greater", rng=rng) for *_, a, b in raw]
    p_holm = holm(p)
    out = []
    for (task, cond, score, a, b), ph in zip(raw, p_holm):
        lo, hi = bootstrap_ci(a, level=1 - alpha / len(raw), rng=rng)
        verdict = "above null" if ph <= alpha else "not above null"
        out.append(
            AbstractionRow(
                task,
                cond,
                score,
                len(a),
                float(a.mean()),
                lo,
                hi,
                float(b.mean()),
                float((a - b).mean()),
                float(ph),
                verdict,
            )
        )
    return out


ABSTRACTION_HEADER = [
    "task",
    "condition",
    "score",
    "n seeds",
    "score / ceiling [corrected CI]",
    "null",
    "score - null",
    "Holm p",
    "verdict",
]


def _abstraction_cells(r: AbstractionRow) -> list[str]:
    return [
        r.task,
        r.condition,
        r.score.removeprefix("abstraction."),
        str(r.n),
        f"{r.mean:.3f} [{r.ci_low:.3f}, {r.ci_high:.3f}]",
        f"{r.null:.3f}",
        f"{r.diff:+.3f}",
        f"{r.p_holm:.4f}",
        r.verdict,
    ]


def abstraction_legend(rows: list[AbstractionRow], alpha: float) -> str:
    return (
        f"{len(rows)} rows; each score over the spiking network's noise ceiling (1: the abstraction H predicts the "
        "network L as well as L predicts itself under other Poisson draws); null: H's units shuffled against L's; "
        f"one-sided sign-flip test of score - null over seeds, Holm over the table (alpha = {alpha}); interval: "
        f"percentile bootstrap at {100 * (1 - alpha / max(len(rows), 1)):.2f}%."
    )


def abstraction_markdown(rows: list[AbstractionRow], alpha: float = 0.05) -> str:
    return _md_table(ABSTRACTION_HEADER, [_abstraction_cells(r) for r in rows], abstraction_legend(rows, alpha))


def abstraction_html(rows: list[AbstractionRow], alpha: float = 0.05) -> str:
    cells = [("", _abstraction_cells(r)) for r in rows]
    return _html_table(ABSTRACTION_HEADER, cells, abstraction_legend(rows, alpha))
