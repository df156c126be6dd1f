"""Figures of a study store: a score against a config key, and every headline score by condition.

Each network (model label: ``snn``, ``dense-sgd``, ``dense-hebbian``) has its own colour in
every figure; variants of one network (another grid value) share its colour and differ in
line style. Error bars are 95% intervals over distinct seeds, clipped to the score's range
(a share cannot exceed 1). Legends sit outside the axes, and a panel is drawn only for a
score some run holds.
"""

from __future__ import annotations

import itertools

import numpy as np

from probes.support import DataError

from .study import conditions, mean_ci, series

PALETTE = {"snn": "#1f77b4", "dense-sgd": "#ff7f0e", "dense-hebbian": "#2ca02c"}
SPARE = ("#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
STYLES = ("-", "--", ":", "-.")
MARKERS = ("o", "s", "^", "D", "v")


def colour(label: str) -> str:
    """The colour of a network (the first word of a line name) in every study figure."""
    base = label.split(" ")[0]
    if base in PALETTE:
        return PALETTE[base]
    return SPARE[sum(map(ord, base)) % len(SPARE)]  # stable across runs (no hash randomisation)


def _spec(y: str):
    """The ScoreSpec of score ``y`` ("measurement.score"), or None (``accuracy``, unknown names)."""
    from probes import MEASUREMENTS

    m, _, name = y.partition(".")
    return next((s for s in MEASUREMENTS[m].scores if s.name == name), None) if m in MEASUREMENTS else None


def score_range(y: str) -> tuple[float, float]:
    """The documented range of score ``y`` (``accuracy`` is a share); (-inf, inf) when unknown."""
    if y == "accuracy":
        return 0.0, 1.0
    spec = _spec(y)
    return (float(spec.low), float(spec.high)) if spec is not None else (-np.inf, np.inf)


def better_sign(y: str) -> int:
    """+1 when a higher score ``y`` is documented as more interpretable (``accuracy``: higher is better),
    -1 when lower is, 0 when the score has no documented direction."""
    if y == "accuracy":
        return 1
    spec = _spec(y)
    return 0 if spec is None else (1 if spec.better == "higher" else -1)


def clipped_interval(values, y: str) -> tuple[float, float, float]:
    """Mean and the lower/upper error-bar lengths of its 95% interval clipped to the score's range."""
    m, h = mean_ci(values)
    low, high = score_range(y)
    return m, max(m - max(m - h, low), 0.0), max(min(m + h, high) - m, 0.0)  # a mean outside the range: no bar


def _styles(labels):
    """line name -> (colour, line style, marker): a colour per network, a style per variant of it."""
    counters: dict[str, itertools.count] = {}
    out = {}
    for label in labels:
        k = next(counters.setdefault(label.split(" ")[0], itertools.count()))
        out[label] = (colour(label), STYLES[k % len(STYLES)], MARKERS[k % len(MARKERS)])
    return out


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot(rows: list[dict], x: str, y: str, *, title: str | None = None):
    """Mean and 95% CI over seeds of ``y`` against ``x``, one line per network / variant, a panel per task.

    Networks that do not read ``x`` (dense runs against ``snn.delay_ms``) are drawn as a
    horizontal band at their mean."""
    plt = _pyplot()
    data = series(rows, x, y)
    if not data:
        raise DataError(f"the store has no finished run with score {y!r}: scores look like decoding.selectivity")
    tasks = sorted({t for t, _ in data})
    styles = _styles(sorted({label for _, label in data}))
    low, high = score_range(y)
    fig, axes = plt.subplots(1, len(tasks), figsize=(4.6 * len(tasks) + 2.2, 3.6), squeeze=False)
    handles = {}
    for ax, task in zip(axes[0], tasks):
        xs_all = sorted({xv for (t, _), d in data.items() if t == task for xv in d if xv is not None})
        for (t, label), d in sorted(data.items()):
            if t != task:
                continue
            c, ls, mk = styles[label]
            if None in d:  # this network does not read x: a band at its mean
                m, lo, hi = clipped_interval(d[None], y)
                handles[label] = ax.axhline(m, ls="--", color=c, label=f"{label} (no {x})")
                if xs_all:
                    ax.fill_between([min(xs_all), max(xs_all)], m - lo, m + hi, alpha=0.15, color=c, lw=0)
                continue
            xs = sorted(d)
            stats = [clipped_interval(d[v], y) for v in xs]
            handles[label] = ax.errorbar(
                xs,
                [s[0] for s in stats],
                yerr=[[s[1] for s in stats], [s[2] for s in stats]],
                marker=mk,
                ls=ls,
                color=c,
                capsize=3,
                label=label,
            )
        ax.set_title(f"task: {task}")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        lo_data, hi_data = ax.get_ylim()
        ax.set_ylim(max(lo_data, low - 0.02 * (high - low)) if np.isfinite(low) else lo_data, hi_data)
    fig.legend(list(handles.values()), list(handles), loc="center left", bbox_to_anchor=(1.0, 0.5), fontsize=8)
    fig.suptitle(f"{title + ': ' if title else ''}{y} vs {x} (mean and 95% CI over seeds)", fontsize=10)
    fig.tight_layout()
    return fig


def headline_figure(rows: list[dict], scores: list[str], *, title: str | None = None):
    """One panel per score that some run holds: every condition's mean and 95% CI over seeds, a colour per task.

    Returns None when no score has data."""
    plt = _pyplot()
    panels = [(y, conditions(rows, y)) for y in scores]
    panels = [(y, d) for y, d in panels if d]
    if not panels:
        return None
    tasks = sorted({t for _, d in panels for t in d})
    task_colour = dict(zip(tasks, itertools.cycle(("#9467bd", "#17becf", "#bcbd22", "#8c564b", "#e377c2"))))
    n, cols = len(panels), min(3, len(panels))
    rows_n = -(-n // cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(5.2 * cols + 1.5, 3.3 * rows_n), squeeze=False)
    handles = {}
    for ax, (y, data) in zip(axes.ravel(), panels):
        names = sorted({c for d in data.values() for c in d}, key=lambda c: (not c.startswith("snn"), c))
        width = 0.8 / len(data)
        low, high = score_range(y)
        for k, (task, d) in enumerate(sorted(data.items())):
            stats = [clipped_interval(d[c], y) if c in d else (np.nan, 0.0, 0.0) for c in names]
            handles[task] = ax.barh(
                np.arange(len(names)) + k * width,
                [s[0] for s in stats],
                width,
                xerr=[[s[1] for s in stats], [s[2] for s in stats]],
                color=task_colour[task],
                capsize=2,
            )
        ax.set_yticks(np.arange(len(names)) + 0.4 - width / 2, names, fontsize=7)
        ax.invert_yaxis()
        if np.isfinite(low) and np.isfinite(high):
            ax.set_xlim(min(low, 0.0), high)
        ax.set_title(y, fontsize=9)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.legend(list(handles.values()), [f"task: {t}" for t in handles], loc="center left", bbox_to_anchor=(1.0, 0.5))
    fig.suptitle(
        f"{title + ': ' if title else ''}headline scores by condition (mean and 95% CI over seeds)", fontsize=10
    )
    fig.tight_layout()
    return fig


def contrast_map(rows, *, title: str | None = None, clip: float = 10.0):
    """The contrast table as one picture: a row per contrast and task, a column per score.

    ``rows``: :class:`comparisons.study_stats.ContrastRow`. A cell's colour is (a - b) / delta, signed
    so that blue means a reads as more interpretable than b by the score's documented direction and
    red less (clipped at +/- ``clip`` smallest effects), drawn for verdict "effect" only; "="
    marks an equivalence verdict, "." an inconclusive row; a blank cell has no row (a score n/a
    for one side). A line paired on fewer seeds than the others is labelled with its n.
    Returns None for an empty table."""
    plt = _pyplot()
    if not rows:
        return None
    lines = list(dict.fromkeys((r.contrast, r.task) for r in rows))
    scores = list(dict.fromkeys(r.score for r in rows))
    value = np.full((len(lines), len(scores)), np.nan)
    fig, ax = plt.subplots(figsize=(1.0 * len(scores) + 4.5, 0.32 * len(lines) + 2.2))
    for r in rows:
        i, j = lines.index((r.contrast, r.task)), scores.index(r.score)
        if r.verdict == "effect":
            scale = r.delta if r.delta else abs(r.diff)  # no stated delta: sign only
            value[i, j] = np.clip(better_sign(r.score) * r.diff / scale, -clip, clip)
            ink = "white" if abs(value[i, j]) > 0.6 * clip else "black"
            ax.text(j, i, f"{r.diff:+.2g}", ha="center", va="center", fontsize=6, color=ink)
        else:
            ax.text(j, i, "=" if r.verdict == "equivalent" else ".", ha="center", va="center", fontsize=8)
    image = ax.imshow(value, cmap="RdBu", vmin=-clip, vmax=clip, aspect="auto")
    ax.set_xticks(range(len(scores)), scores, rotation=40, ha="right", fontsize=7)
    n = {line: min(r.n for r in rows if (r.contrast, r.task) == line) for line in lines}
    most = max(n.values())  # a line paired on fewer seeds (a study still running) says how many
    ax.set_yticks(range(len(lines)), [f"{c} | {t}" + (f" (n={n[c, t]})" if n[c, t] < most else "") for c, t in lines])
    ax.tick_params(axis="y", labelsize=7)
    ax.set_xticks(np.arange(len(scores) + 1) - 0.5, minor=True)
    ax.set_yticks(np.arange(len(lines) + 1) - 0.5, minor=True)
    ax.grid(which="minor", color="#ddd", lw=0.5)
    ax.tick_params(which="minor", length=0)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label("(a - b) / smallest effect, + = a reads more interpretable", fontsize=7)
    ax.set_title(
        f"{title + ': ' if title else ''}effects (coloured, a - b written), '=' equivalent, '.' inconclusive, "
        "blank: no row (n/a)",
        fontsize=9,
    )
    fig.tight_layout()
    return fig
