"""Reports of a comparison: ``report.html`` (self-contained), ``report.md`` (+ PNGs) and ``metrics.json``.

Every user-supplied string (task name, class names, config values) is HTML-escaped; figures
are embedded as base64 PNG; the HTML references no external resource.
"""

from __future__ import annotations

import base64
import html
import io
import json
import platform
import sys
from pathlib import Path

import numpy as np

from probes import MEASUREMENTS
from probes.abstraction import null_scores
from probes.support import DataError, atomic_write_bytes, atomic_write_text
from probes.uncertainty import compare_scores

from . import __version__
from .config import flatten
from .pipeline import CompareResult


def versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {"scrutable": __version__, "python": platform.python_version()}
    for pkg in ("numpy", "scipy", "scikit-learn", "torch", "brian2", "numba", "matplotlib"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


def _png(fig) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _input_spikes(snn, x: np.ndarray, seed: int):
    """Poisson input events ``(sample, input, time_ms)`` for ``x`` at the network's input rate (one
    Bernoulli draw per input and time step), so a figure can show the exact input a recording got."""
    cfg = snn.config_
    n_steps = int(round(cfg.presentation_ms / cfg.dt_ms))
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 0x1A57]))
    p = np.asarray(x, np.float64) * cfg.input_rate_hz * cfg.dt_ms / 1000.0  # [n, n_inputs]
    fire = rng.random((n_steps, *p.shape)) < p[None]
    step, sample, inp = np.nonzero(fire)
    return sample.astype(np.int64), inp.astype(np.int64), step * cfg.dt_ms


def raster_figure(result: CompareResult, n_samples: int = 3):
    """For a few test inputs: the input spike raster, the spiking network's excitatory raster for
    exactly those input spikes, and the dense activations of the same inputs."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    snn_name, dense_name = result.base_names
    snn, dense_rec = result.models[snn_name], result.recordings[dense_name]
    n = min(n_samples, len(result.task.x_test))
    x = result.task.x_test[:n]
    have_inputs = hasattr(snn, "config_") and getattr(snn.config_, "input_rate_hz", None)
    if hasattr(snn, "input_spikes"):  # fed a task's events (comparisons.events.EventFed): show those
        inputs = snn.input_spikes(x)
    else:
        inputs = _input_spikes(snn, x, result.config.seed) if have_inputs else None
    rec = snn.record(x, input_spikes=inputs) if inputs is not None else result.recordings[snn_name].subset(range(n))
    fig, axes = plt.subplots(3, n, figsize=(4.0 * n, 9), squeeze=False)
    dense_site = next(iter(dense_rec.activity))
    duration = rec.meta.get("duration_ms") or 1
    for k in range(n):
        label = result.task.class_names[result.task.y_test[k]] if result.task.kind == "multiclass" else f"sample {k}"
        ax = axes[0, k]
        if inputs is not None:
            keep = inputs[0] == k
            ax.scatter(inputs[2][keep], inputs[1][keep], s=14, marker="|", color="tab:gray", linewidths=1)
        ax.set_xlim(0, duration)
        ax.set_ylim(-1, getattr(snn, "n_inputs_", x.shape[1]))
        ax.set_title(f"input spikes, test input {k} (label {label})", fontsize=9)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("input (pixel)")
        ev = rec.spikes["exc"].select(k) if "exc" in rec.spikes else None
        ax = axes[1, k]
        if ev is not None and len(ev):
            ax.scatter(ev.time_ms, ev.unit, s=60, marker="|", color="k", linewidths=1.5)
        n_units = rec.activity["exc"].shape[2] if "exc" in rec.activity else 1
        ax.set_xlim(0, duration)
        ax.set_ylim(-1, n_units)
        ax.set_title(f"{snn_name} excitatory spikes: {len(ev) if ev is not None else 0} in {duration:g} ms", fontsize=9)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("excitatory unit")
        act = dense_rec.activity[dense_site][k, 0]
        axes[2, k].bar(np.arange(len(act)), act, width=1.0, color="tab:blue")
        axes[2, k].set_title(f"{dense_name} {dense_site}, same input", fontsize=9)
        axes[2, k].set_xlabel("unit")
        axes[2, k].set_ylabel("activation")
    fig.tight_layout()
    return fig


_XLABELS = {"feature_recovery": "ground-truth factor"}


def tidy_figure(name: str, fig):
    """Make a measurement's figure readable in a report: legends outside the axes (never over
    data), a label on every x axis, and plain, non-overlapping tick labels on log axes."""
    from matplotlib.ticker import LogLocator, NullFormatter, ScalarFormatter

    with_legend = [ax for ax in fig.axes if ax.get_legend() is not None]
    labels_of = {ax: tuple(ax.get_legend_handles_labels()[1]) for ax in with_legend}
    for k, ax in enumerate(with_legend):
        handles, labels = ax.get_legend_handles_labels()
        ax.get_legend().remove()
        if any(labels_of[other] == labels_of[ax] for other in with_legend[k + 1 :]):
            continue  # the same legend is drawn once, beside the last panel
        ax.legend(handles, labels, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0)
    for ax in fig.axes:
        if not ax.get_xlabel() and name in _XLABELS:
            ax.set_xlabel(_XLABELS[name])
        if ax.get_xscale() == "log":
            ax.xaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.xaxis.set_major_formatter(ScalarFormatter())
            ax.xaxis.set_minor_formatter(NullFormatter())
            ax.tick_params(axis="x", labelsize=8)
    return fig


def figures(result: CompareResult) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    from probes.similarity import compare_figure

    out = {}
    for name, by_model in result.results.items():
        if by_model:
            out[name] = _png(tidy_figure(name, MEASUREMENTS[name].figure(by_model)))
    if result.cross is not None:
        out["cross_similarity"] = _png(compare_figure(result.cross))
    out["raster"] = _png(raster_figure(result))
    return out


def fmt_score(spec, v) -> str:
    """A score in its unit: milliseconds as ``210 ms``, unbounded counts with 3 significant
    digits, bounded scores (shares, accuracies, AUCs) with 3 decimals; NaN as ``n/a``."""
    if v is None or not np.isfinite(v):
        return "n/a"
    if spec.name.endswith("_ms"):
        return f"{v:.0f} ms"
    if not np.isfinite(spec.high):
        return f"{v:.3g}"
    return f"{v:.3f}"


def score_cell(result: CompareResult, mname: str, score: str, model: str, null: bool = True) -> str:
    """``value ± u95 (null x)`` for one score of one model; ``-`` when it was not run."""
    a = result.assessments.get(mname, {}).get(model)
    if a is None or score not in a.spreads:
        return "-"
    spec = MEASUREMENTS[mname].spec(score)
    s = a.spreads[score]
    text = fmt_score(spec, s.value)
    spread = fmt_score(spec, s.u95).replace(" ms", "")
    if np.isfinite(s.value) and s.u95 > 0 and float(spread) > 0:
        text += f" ± {spread}"
    own = null_scores(a.result).get(f"{score}_null", np.nan) if mname == "abstraction" else s.null
    if null and np.isfinite(own):  # abstraction: its own null (units shuffled), not a label shuffle
        text += f" (null {fmt_score(spec, own)})"
    return text


def verdicts(result: CompareResult, mname: str, score: str) -> list:
    """One :class:`probes.uncertainty.Verdict` per pair of ``result.pairs`` (None if not run)."""
    m = MEASUREMENTS[mname]
    spec = m.spec(score)
    out = []
    by = result.assessments.get(mname, {})
    for _, a, b in result.pairs:
        if a in by and b in by:
            out.append(compare_scores(spec, by[a], by[b], (a, b), timed=score in m.timed))
        else:
            out.append(None)
    return out


def verdict_text(spec, v) -> str:
    if v is None:
        return "-"
    if v.winner == "excluded":
        return f"excluded: {v.reason}"  # fixed by construction or n/a for one of the two
    if v.winner == "within noise":
        return f"within noise ({fmt_score(spec, v.margin)} < {fmt_score(spec, v.u95)})"
    return f"{v.winner} by {fmt_score(spec, v.margin)}"


def headline_rows(result: CompareResult) -> list[dict]:
    names = tuple(result.models)
    rows = []
    for mname, by_model in result.results.items():
        m = MEASUREMENTS[mname]
        spec = m.spec(m.headline)
        if len(by_model) < 2:
            continue
        row = {"measurement": mname, "score": m.headline, "better": spec.better, "doc": spec.doc}
        for n in names:
            a = result.assessments.get(mname, {}).get(n)
            row[n] = a.spreads[m.headline].to_dict() if a is not None else None
        row["verdicts"] = {}
        for (label, _, _), v in zip(result.pairs, verdicts(result, mname, m.headline)):
            row["verdicts"][label] = (
                None
                if v is None
                else {"more_interpretable": v.winner, "by": v.margin, "u95": v.u95, "reason": v.reason}
            )
        rows.append(row)
    return rows


def metrics(result: CompareResult) -> dict:
    cfg = result.config
    return {
        "scrutable_version": __version__,
        "versions": versions(),
        "seed": cfg.seed,
        "config": cfg.to_dict(),
        "task": result.task.summary(),
        "columns": {n: result.notes.get(n, "trained network") for n in result.models},
        "accuracy": result.accuracy,
        "multilabel_accuracy": result.multilabel,
        "spikes_per_sample": result.budgets,
        "competition": result.competition,
        "trained": result.trained,
        "timings_s": result.timings,
        "measurements": {
            m: {
                name: {
                    "scores": r.scores,
                    "accuracy": result.accuracy.get(name),
                    "uncertainty": {k: s.to_dict() for k, s in result.assessments[m][name].spreads.items()}
                    if name in result.assessments.get(m, {})
                    else None,
                    "meta": _jsonable(r.meta),
                }
                for name, r in by.items()
            }
            for m, by in result.results.items()
        },
        "cross_similarity": None
        if result.cross is None
        else {
            "scores": result.cross.scores,
            "cka": result.cross.details["cka"].tolist(),
            "rsa": result.cross.details["rsa"].tolist(),
        },
        "headline": headline_rows(result),
    }


def _jsonable(x):
    if isinstance(x, dict):
        return {str(k): _jsonable(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_jsonable(v) for v in x]
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, np.ndarray):
        return x.tolist()
    return x


def _fmt(v) -> str:
    if isinstance(v, float):
        return "nan" if not np.isfinite(v) else f"{v:.3f}"
    return str(v)


def column_header(result: CompareResult, name: str) -> str:
    """A model's column title with its accuracy (every score is read next to it; multilabel: the
    mean balanced accuracy over labels)."""
    kind = "acc" if result.task.kind == "multiclass" else "bal. acc"
    return f"{name} ({kind} {result.accuracy[name]:.3f})"


def budget_text(result: CompareResult, name: str) -> str:
    b = result.budgets.get(name)
    if b is None:
        return "activations"
    return f"{b['mean']:.1f} ({100 * b['silent_share']:.0f}% silent, {100 * b['few_share']:.0f}% < 5)"


def accuracy_rows(result: CompareResult) -> list[tuple]:
    """Task accuracy rows: multiclass accuracy with chance; multilabel exact match and per-label F1
    with the all-absent baseline (predicting no label at all)."""
    names = tuple(result.models)
    if result.task.kind == "multiclass":
        chance = 1.0 / result.task.n_outputs
        return [("task accuracy", f"accuracy (chance {chance:.2f})", *(_fmt(result.accuracy[n]) for n in names))]
    ml = result.multilabel
    first = next(iter(ml.values()))
    return [
        (
            "task accuracy",
            f"exact match (all-absent {first['exact_match_all_absent']:.2f})",
            *(_fmt(ml[n]["exact_match"]) for n in names),
        ),
        (
            "",
            f"per-label accuracy (all-absent {first['label_accuracy_all_absent']:.2f})",
            *(_fmt(ml[n]["label_accuracy"]) for n in names),
        ),
        ("", "per-label F1 (all-absent 0)", *(_fmt(ml[n]["label_f1"]) for n in names)),
    ]


def summary_rows(result: CompareResult) -> list[tuple]:
    """The headline table: one row per measurement's headline score, each model's value ± 95%
    (null in parentheses), then one verdict per compared pair."""
    names = tuple(result.models)
    pad = ("",) * len(result.pairs)
    head = (*(column_header(result, n) for n in names), *(p[0] for p in result.pairs))
    rows = [("measurement", "score (better)", *head)]
    rows += [r + pad for r in accuracy_rows(result)]
    rows.append(("spikes per sample", "mean (silent share)", *(budget_text(result, n) for n in names), *pad))
    for mname, by_model in result.results.items():
        m = MEASUREMENTS[mname]
        if len(by_model) < 2:
            continue
        spec = m.spec(m.headline)
        rows.append(
            (
                mname,
                f"{m.headline} ({spec.better})",
                *(score_cell(result, mname, m.headline, n) for n in names),
                *(verdict_text(spec, v) for v in verdicts(result, mname, m.headline)),
            )
        )
    return rows


def write_reports(result: CompareResult, out_dir: Path) -> dict[str, Path]:
    """Write metrics.json, report.md (+ figures/*.png) and report.html atomically into ``out_dir``."""
    out_dir = Path(out_dir)
    ensure_writable(out_dir)
    figs = figures(result)
    fig_dir = out_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    for name, data in figs.items():
        atomic_write_bytes(fig_dir / f"{name}.png", data)
    atomic_write_text(out_dir / "metrics.json", json.dumps(_jsonable(metrics(result)), indent=2, allow_nan=True))
    atomic_write_text(out_dir / "report.md", markdown(result, figs))
    atomic_write_text(out_dir / "report.html", html_report(result, figs))
    return {"html": out_dir / "report.html", "md": out_dir / "report.md", "json": out_dir / "metrics.json"}


def ensure_writable(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise DataError(
            f"--out {str(out_dir)!r} is not writable ({exc.strerror}): choose a directory you can write"
        ) from None


READING = (
    "Each cell is the score ± the half-width of its 95% interval (from independent re-recordings of "
    "the same trained network and random halves of the test inputs; a network without recording noise "
    "has no redraw spread) and, in parentheses, the score's null: its mean with labels and factors "
    "shuffled across samples (for abstraction scores, the abstraction's units shuffled against the "
    "network's). A verdict names a network only when the difference exceeds the combined 95% "
    "uncertainty of both; otherwise it says 'within noise'. Scores that are n/a or fixed by construction "
    "for a network (time to read of a one-step network, a score that does not change when the labels are "
    "shuffled) are shown but excluded from verdicts, with the reason. Spikes per sample: mean excitatory "
    "spikes per test input; silent = no spike at all, '< 5' = fewer than 5 spikes (Diehl & Cook's retry "
    "threshold). A handful of spikes is a format, not a lack of interpretability: compare the spiking network "
    "with the dense network rendered at the same budget."
)

# what a section's scores need beyond their one-line meaning
SECTION_NOTES = {
    "dictionary": (
        "superposition = factors recovered by dictionary features minus factors recovered by raw units. "
        "Positive: the factors are mixed across units and a dictionary unmixes them. Zero: nothing to unmix. "
        "Negative: the raw units already recover more factors than the dictionary features do (the units are "
        "more monosemantic than what a dictionary with one atom per factor finds), i.e. no sign of superposition."
    ),
    "time_to_read": (
        "A one-step network has no time axis: its window is fixed by construction and is excluded from verdicts."
    ),
    "steering": "Outputs of the rendered dense network are the dense network's own: steering acts on the network.",
    "abstraction": (
        "Spiking network: how well each synchronous abstraction (no_delays, one_step, fitted) predicts it, "
        "normalised by its noise ceiling (the same network under other Poisson draws). Dense network: the same "
        "measurement as a control, with one_step = the one-step k-winner transplant of its own first-layer "
        "weights and biases (k = its mean number of active units, readout refitted) and fitted = a Poisson GLM "
        "per unit; no_delays is n/a and the ceiling is 1 (a dense network is deterministic). The control says "
        "how far a one-step rate model reproduces a network that has no asynchrony at all; the columns are not "
        "ranked against each other (no verdicts). Format-control and long-window columns are not measured."
    ),
}
# sections whose second network is a control, not a rival: no verdicts between the columns
CONTROL_SECTIONS = ("abstraction",)


def section_rows(result: CompareResult, mname: str) -> list[tuple]:
    """One row per score of a measurement: each model's cell, verdicts, and the score's meaning."""
    m = MEASUREMENTS[mname]
    names = tuple(result.models)
    rows = [("score", "better", *(column_header(result, n) for n in names), *(p[0] for p in result.pairs), "meaning")]
    for spec in m.scores:
        rows.append(
            (
                spec.name,
                spec.better,
                *(score_cell(result, mname, spec.name, n) for n in names),
                *(
                    ("-",) * len(result.pairs)
                    if mname in CONTROL_SECTIONS
                    else (verdict_text(spec, v) for v in verdicts(result, mname, spec.name))
                ),
                spec.doc,
            )
        )
    return rows


def _md_table(rows) -> list[str]:
    esc = lambda c: str(c).replace("|", "\\|")  # noqa: E731
    return ["| " + " | ".join(esc(c) for c in rows[0]) + " |", "|" + "---|" * len(rows[0])] + [
        "| " + " | ".join(esc(c) for c in row) + " |" for row in rows[1:]
    ]


def markdown(result: CompareResult, figs: dict[str, bytes]) -> str:
    snn_name, dense_name = result.base_names
    t = result.task.summary()
    lines = [
        f"# scrutable report: {result.task.name}",
        "",
        f"Task `{t['name']}` ({t['kind']}): {t['n_train']} training and {t['n_test']} test inputs of "
        f"{t['n_inputs']} values, {t['n_outputs']} outputs, {t['n_factors']} ground-truth factors. "
        f"Seed {result.config.seed}.",
        "",
    ]
    lines += [f"- **{n}**: {note}." for n, note in result.notes.items()]
    lines += ["", *_md_table(summary_rows(result)), "", READING, ""]
    for mname in result.results:
        m = MEASUREMENTS[mname]
        lines += [f"## {mname}", "", m.doc, ""]
        if mname in SECTION_NOTES:
            lines += [SECTION_NOTES[mname], ""]
        lines += _md_table(section_rows(result, mname))
        if mname in figs:
            lines += ["", f"![{mname}](figures/{mname}.png)", ""]
    lines += ["## input spikes, spiking raster and dense activations", "", "![raster](figures/raster.png)", ""]
    if result.cross is not None:
        lines += [
            "## similarity across the two networks",
            "",
            f"Linear CKA {snn_name} vs {dense_name}: {result.cross.scores['cka']:.3f}; "
            f"RSA {result.cross.scores['rsa']:.3f}.",
            "",
            "![cross](figures/cross_similarity.png)",
            "",
        ]
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1280px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.win{font-weight:bold;color:#1a6}
.win,.noise,.excl{text-align:left}.noise{color:#666}.excl{color:#a60;font-size:85%}
img{max-width:100%;border:1px solid #eee}code{background:#f6f6f6;padding:1px 4px}.doc{color:#555;font-size:90%}
details{margin:1em 0}
"""


def _html_table(rows, n_fixed: int, n_models: int, n_verdicts: int) -> str:
    """A table whose ``n_verdicts`` verdict columns (after ``n_fixed + n_models``) are styled by outcome."""
    e = html.escape
    head = "".join(f"<th>{e(str(c))}</th>" for c in rows[0])
    body = ""
    for row in rows[1:]:
        cells = []
        for k, c in enumerate(row):
            c = str(c)
            cls = ""
            if n_fixed + n_models <= k < n_fixed + n_models + n_verdicts and c not in ("", "-"):
                kind = "excl" if c.startswith("excluded") else "noise" if c.startswith("within") else "win"
                cls = f' class="{kind}"'
            cells.append(f"<td{cls}>{e(c)}</td>")
        body += "<tr>" + "".join(cells) + "</tr>"
    return f"<table><tr>{head}</tr>{body}</table>"


def html_report(result: CompareResult, figs: dict[str, bytes]) -> str:
    e = html.escape
    names = tuple(result.models)
    snn_name, dense_name = result.base_names
    t = result.task.summary()

    def img(name):
        data = figs.get(name)
        if data is None:
            return ""
        return f'<img alt="{e(name)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'

    headline = _html_table(summary_rows(result), 2, len(names), len(result.pairs))
    sections = []
    for mname in result.results:
        m = MEASUREMENTS[mname]
        note = f"<p>{e(SECTION_NOTES[mname])}</p>" if mname in SECTION_NOTES else ""
        sections.append(
            f"<h2 id='{e(mname)}'>{e(mname)}</h2><p class='doc'>{e(m.doc)}</p>{note}"
            f"{_html_table(section_rows(result, mname), 2, len(names), len(result.pairs))}{img(mname)}"
        )
    cfg_rows = "".join(
        f"<tr><td>{e(k)}</td><td>{e(json.dumps(v))}</td></tr>" for k, v in flatten(result.config.to_dict()).items()
    )
    classes = ", ".join(e(c) for c in result.task.class_names)
    cross = ""
    if result.cross is not None:
        cross = (
            f"<h2>Similarity across the two networks</h2><p>Linear CKA {e(snn_name)} vs {e(dense_name)}: "
            f"{result.cross.scores['cka']:.3f}; RSA: {result.cross.scores['rsa']:.3f} (same test inputs).</p>"
            f"{img('cross_similarity')}"
        )
    columns = "".join(f"<li><b>{e(n)}</b>: {e(note)}.</li>" for n, note in result.notes.items())
    acc = " · ".join(f"{e(n)}: {result.accuracy[n]:.3f}" for n in names)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>scrutable report: {e(result.task.name)}</title>
<style>{_CSS}</style></head><body>
<h1>scrutable report: {e(result.task.name)}</h1>
<p>Task <code>{e(t["name"])}</code> ({e(t["kind"])}): {t["n_train"]} training and {t["n_test"]} test inputs of
{t["n_inputs"]} values; outputs: {classes}. Seed {result.config.seed}. Test accuracy: {acc}.</p>
<p>Columns besides the two trained networks (format controls):</p><ul>{columns or "<li>none</li>"}</ul>
<h2>Headline</h2>
<p class="doc">{e(READING)}</p>
{headline}
<h2>Input spikes, spikes and activations of the same inputs</h2>
<p class="doc">Top: the input spike trains given to the spiking network (one row per pixel); middle: its excitatory
spikes for exactly those inputs; bottom: the dense network's hidden activations for the same inputs.</p>{img("raster")}
{"".join(sections)}
{cross}
<details><summary>Configuration</summary><table><tr><th>key</th><th>value</th></tr>{cfg_rows}</table></details>
<p class="doc">scrutable {e(__version__)} · python {e(sys.version.split()[0])} · timings (s):
{e(", ".join(f"{k} {v:.1f}" for k, v in result.timings.items()))}</p>
</body></html>
"""
