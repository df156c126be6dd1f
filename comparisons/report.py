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
from probes.support import DataError, atomic_write_bytes, atomic_write_text

from . import __version__
from .config import flatten
from .pipeline import CompareResult, verdict


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


def raster_figure(result: CompareResult, n_samples: int = 3):
    """A spike raster of a few test samples next to the dense activations of the same samples."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(result.models)
    snn_rec, dense_rec = result.recordings[names[0]], result.recordings[names[1]]
    n = min(n_samples, snn_rec.n_samples)
    fig, axes = plt.subplots(2, n, figsize=(3.2 * n, 5), squeeze=False)
    dense_site = next(iter(dense_rec.activity))
    for k in range(n):
        ev = snn_rec.spikes["exc"].select(k) if "exc" in snn_rec.spikes else None
        ax = axes[0, k]
        if ev is not None and len(ev):
            ax.scatter(ev.time_ms, ev.unit, s=4, marker="|", color="k")
        ax.set_xlim(0, snn_rec.meta.get("duration_ms") or 1)
        ax.set_ylim(-1, snn_rec.activity["exc"].shape[2])
        label = result.task.class_names[result.task.y_test[k]] if result.task.kind == "multiclass" else f"sample {k}"
        ax.set_title(f"{names[0]} exc, input {k} (label {label})", fontsize=8)
        ax.set_xlabel("time (ms)")
        ax.set_ylabel("unit")
        act = dense_rec.activity[dense_site][k, 0]
        axes[1, k].bar(np.arange(len(act)), act, width=1.0, color="tab:blue")
        axes[1, k].set_title(f"{names[1]} {dense_site}, same input", fontsize=8)
        axes[1, k].set_xlabel("unit")
        axes[1, k].set_ylabel("activation")
    fig.tight_layout()
    return fig


def figures(result: CompareResult) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    from probes.similarity import compare_figure

    out = {}
    for name, by_model in result.results.items():
        if by_model:
            out[name] = _png(MEASUREMENTS[name].figure(by_model))
    if result.cross is not None:
        out["cross_similarity"] = _png(compare_figure(result.cross))
    out["raster"] = _png(raster_figure(result))
    return out


def headline_rows(result: CompareResult) -> list[dict]:
    names = tuple(result.models)
    rows = []
    for mname, by_model in result.results.items():
        m = MEASUREMENTS[mname]
        spec = m.spec(m.headline)
        if len(by_model) < 2:
            continue
        a, b = (by_model[n].scores[m.headline] for n in names)
        winner, margin = verdict(spec, a, b, names)
        rows.append(
            {
                "measurement": mname,
                "score": m.headline,
                "better": spec.better,
                names[0]: a,
                names[1]: b,
                "more_interpretable": winner,
                "by": margin,
                "doc": spec.doc,
            }
        )
    return rows


def metrics(result: CompareResult) -> dict:
    cfg = result.config
    return {
        "scrutable_version": __version__,
        "versions": versions(),
        "seed": cfg.seed,
        "config": cfg.to_dict(),
        "task": result.task.summary(),
        "accuracy": result.accuracy,
        "trained": result.trained,
        "timings_s": result.timings,
        "measurements": {
            m: {name: {"scores": r.scores, "meta": _jsonable(r.meta)} for name, r in by.items()}
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


def summary_rows(result: CompareResult) -> list[tuple]:
    names = tuple(result.models)
    rows = [("measurement", "score (better)", *names, "more interpretable", "by")]
    rows.append(("task accuracy", "accuracy (higher)", *(_fmt(result.accuracy[n]) for n in names), "", ""))
    for r in headline_rows(result):
        rows.append(
            (
                r["measurement"],
                f"{r['score']} ({r['better']})",
                _fmt(r[names[0]]),
                _fmt(r[names[1]]),
                r["more_interpretable"],
                _fmt(r["by"]),
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


def markdown(result: CompareResult, figs: dict[str, bytes]) -> str:
    names = tuple(result.models)
    t = result.task.summary()
    lines = [
        f"# scrutable report: {result.task.name}",
        "",
        f"Task `{t['name']}` ({t['kind']}): {t['n_train']} training and {t['n_test']} test inputs of "
        f"{t['n_inputs']} values, {t['n_outputs']} outputs, {t['n_factors']} ground-truth factors. "
        f"Seed {result.config.seed}.",
        "",
        "| " + " | ".join(summary_rows(result)[0]) + " |",
        "|" + "---|" * len(summary_rows(result)[0]),
    ]
    lines += ["| " + " | ".join(row) + " |" for row in summary_rows(result)[1:]]
    lines += ["", "Scores say which network is *more interpretable* by each score's documented direction.", ""]
    for mname, by_model in result.results.items():
        m = MEASUREMENTS[mname]
        lines += [
            f"## {mname}",
            "",
            m.doc,
            "",
            "| score | better | " + " | ".join(by_model) + " | meaning |",
            "|---|---|" + "---|" * len(by_model) + "---|",
        ]
        for spec in m.scores:
            lines.append(
                f"| {spec.name} | {spec.better} | "
                + " | ".join(_fmt(r.scores[spec.name]) for r in by_model.values())
                + f" | {spec.doc} |"
            )
        if mname in figs:
            lines += ["", f"![{mname}](figures/{mname}.png)", ""]
    lines += ["## spiking raster and dense activations", "", "![raster](figures/raster.png)", ""]
    if result.cross is not None:
        lines += [
            "## similarity across the two networks",
            "",
            f"Linear CKA {names[0]} vs {names[1]}: {result.cross.scores['cka']:.3f}; "
            f"RSA {result.cross.scores['rsa']:.3f}.",
            "",
            "![cross](figures/cross_similarity.png)",
            "",
        ]
    return "\n".join(lines) + "\n"


_CSS = """
body{font-family:system-ui,-apple-system,Segoe UI,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
th{background:#f3f3f3}td:first-child,th:first-child{text-align:left}.win{font-weight:bold;color:#1a6}
img{max-width:100%;border:1px solid #eee}code{background:#f6f6f6;padding:1px 4px}.doc{color:#555;font-size:90%}
details{margin:1em 0}
"""


def html_report(result: CompareResult, figs: dict[str, bytes]) -> str:
    e = html.escape
    names = tuple(result.models)
    t = result.task.summary()

    def img(name):
        data = figs.get(name)
        if data is None:
            return ""
        return f'<img alt="{e(name)}" src="data:image/png;base64,{base64.b64encode(data).decode()}">'

    rows = summary_rows(result)
    head = "".join(f"<th>{e(c)}</th>" for c in rows[0])
    body = ""
    for row in rows[1:]:
        cells = []
        for k, c in enumerate(row):
            cls = ' class="win"' if k == 4 and c not in ("", "tie") else ""
            cells.append(f"<td{cls}>{e(str(c))}</td>")
        body += "<tr>" + "".join(cells) + "</tr>"
    sections = []
    for mname, by_model in result.results.items():
        m = MEASUREMENTS[mname]
        trs = "".join(
            f"<tr><td>{e(s.name)}</td><td>{e(s.better)}</td>"
            + "".join(f"<td>{e(_fmt(r.scores[s.name]))}</td>" for r in by_model.values())
            + f"<td class='doc'>{e(s.doc)}</td></tr>"
            for s in m.scores
        )
        ths = "".join(f"<th>{e(n)}</th>" for n in by_model)
        sections.append(
            f"<h2 id='{e(mname)}'>{e(mname)}</h2><p class='doc'>{e(m.doc)}</p>"
            f"<table><tr><th>score</th><th>better</th>{ths}<th>meaning</th></tr>{trs}</table>{img(mname)}"
        )
    cfg_rows = "".join(
        f"<tr><td>{e(k)}</td><td>{e(json.dumps(v))}</td></tr>" for k, v in flatten(result.config.to_dict()).items()
    )
    classes = ", ".join(e(c) for c in result.task.class_names)
    cross = ""
    if result.cross is not None:
        cross = (
            f"<h2>Similarity across the two networks</h2><p>Linear CKA {e(names[0])} vs {e(names[1])}: "
            f"{result.cross.scores['cka']:.3f}; RSA: {result.cross.scores['rsa']:.3f} (same test inputs).</p>"
            f"{img('cross_similarity')}"
        )
    acc = " · ".join(f"{e(n)}: {result.accuracy[n]:.3f}" for n in names)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>scrutable report: {e(result.task.name)}</title>
<style>{_CSS}</style></head><body>
<h1>scrutable report: {e(result.task.name)}</h1>
<p>Task <code>{e(t["name"])}</code> ({e(t["kind"])}): {t["n_train"]} training and {t["n_test"]} test inputs of
{t["n_inputs"]} values; outputs: {classes}. Seed {result.config.seed}. Test accuracy: {acc}.</p>
<h2>Headline</h2>
<p class="doc">For each measurement, its headline score on both networks and which network is more interpretable by
that score's documented direction (higher or lower is better), and by how much.</p>
<table><tr>{head}</tr>{body}</table>
<h2>Spikes and activations of the same inputs</h2>{img("raster")}
{"".join(sections)}
{cross}
<details><summary>Configuration</summary><table><tr><th>key</th><th>value</th></tr>{cfg_rows}</table></details>
<p class="doc">scrutable {e(__version__)} · python {e(sys.version.split()[0])} · timings (s):
{e(", ".join(f"{k} {v:.1f}" for k, v in result.timings.items()))}</p>
</body></html>
"""
