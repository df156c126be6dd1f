"""``scrutable study run|show|plot|report|snapshot``.

Exit codes: 0 done; 2 an error a user can fix (one line); 130 interrupted by Ctrl-C (one
line saying how many runs were saved: rerunning the same command resumes).
"""

from __future__ import annotations

import base64
import html
import io
import json
import sys
from pathlib import Path
from typing import NamedTuple


def register(sub) -> None:
    p = sub.add_parser("study", help="parameter studies on Dask with a resumable SQLite store")
    ss = p.add_subparsers(dest="study_command", parser_class=type(p))
    r = ss.add_parser("run", help="run (or resume) a study file; Ctrl-C stops it, rerunning resumes (exit 130)")
    r.add_argument("study", help="study TOML file")
    r.add_argument("--store", default=None, help="SQLite store (default runs/<study name>.sqlite)")
    g = r.add_mutually_exclusive_group()
    g.add_argument("--workers", type=int, default=2, help="local Dask worker processes (default 2)")
    g.add_argument("--scheduler", default=None, help="address of a running Dask scheduler, e.g. tcp://HOST:8786")
    r.add_argument("--retry-failed", action="store_true", help="run failed runs again")
    r.add_argument("--quiet", action="store_true")
    r.set_defaults(func=cmd_run)
    s = ss.add_parser("show", help="a table of the runs in a store")
    s.add_argument("store")
    s.add_argument(
        "--where",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="filter, e.g. snn.delay_ms=5 (typed: 5 == 5.0)",
    )
    s.add_argument("--scores", default="accuracy,decoding.selectivity", help="comma-separated scores to show")
    s.set_defaults(func=cmd_show)
    pl = ss.add_parser("plot", help="a score against a config key, mean and 95%% CI over seeds")
    pl.add_argument("store")
    pl.add_argument("--x", required=True, help="config key, e.g. snn.delay_ms")
    pl.add_argument("--y", required=True, help="score, e.g. decoding.selectivity")
    pl.add_argument("--where", action="append", default=[], metavar="KEY=VALUE")
    pl.add_argument("--out", default=None, help="PNG file (default <store>-<y>.png)")
    pl.set_defaults(func=cmd_plot)
    rp = ss.add_parser("report", help="the contrast table (Markdown) and an HTML page of every headline score")
    rp.add_argument("store")
    rp.add_argument("--x", default=None, help="config key on the x axis (default: the most varied grid key)")
    rp.add_argument("--study", default=None, help="study TOML whose [[contrasts]] to use (default: the stored ones)")
    rp.add_argument("--out", default=None, help="HTML file (default <store>.html; the Markdown table beside it, .md)")
    rp.set_defaults(func=cmd_report)
    sn = ss.add_parser("snapshot", help="a consistent one-file copy of a store (also while it runs), to publish")
    sn.add_argument("store")
    sn.add_argument("out", help="the copy's path (written beside it, then renamed)")
    sn.set_defaults(func=cmd_snapshot)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    return f"{h} h {rest // 60:02d} min" if h else f"{rest // 60} min {rest % 60:02d} s"


def cmd_run(args) -> int:
    from probes.support import ConfigError

    from .study import Store, StudyInterrupted, estimate_seconds, load_study, pending, run_study

    if args.workers is not None and args.workers < 1:
        raise ConfigError(f"--workers={args.workers} must be >= 1")
    study = load_study(args.study)
    store_path = Path(args.store) if args.store else Path("runs") / f"{study.name}.sqlite"
    if args.scheduler:  # check the address before the store is touched
        from .study import connect

        client, _ = connect(args.scheduler, 1)
        client.close()
    store = Store(store_path)
    try:
        todo = pending(study, store, args.retry_failed)
        if not args.quiet:
            est, unknown = estimate_seconds(store, todo, args.workers if not args.scheduler else 1)
            if est is None:
                when = "unknown until a run of each network finishes" if todo else "none"
            elif unknown:
                when = f"at least {_duration(est)} (not counting {unknown} runs of a network with no finished run yet)"
            else:
                when = f"about {_duration(est)}"
            print(
                f"study {study.name}: {len(study.runs)} runs, {len(study.runs) - len(todo)} already in {store_path}; "
                f"{len(todo)} to run; estimated duration {when}",
                flush=True,
            )
        try:
            counts = run_study(
                study,
                store,
                scheduler=args.scheduler,
                workers=args.workers,
                retry_failed=args.retry_failed,
                progress=not args.quiet,
            )
        except StudyInterrupted as exc:
            print(str(exc), file=sys.stderr, flush=True)
            return 130
    finally:
        store.close()
    print(
        f"study {study.name}: {counts['total']} runs; skipped {counts['skipped']} already in the store; "
        f"ran {counts['done'] + counts['failed']} ({counts['done']} done, {counts['failed']} failed); "
        + (f"left {counts['busy']} to another `study run` on the same store; " if counts["busy"] else "")
        + f"store {store_path}"
    )
    return 0


def cmd_snapshot(args) -> int:
    from .study import Store

    store = Store(args.store, create=False)
    try:
        n = store.snapshot(args.out)
    finally:
        store.close()
    print(f"snapshot: {n} runs of {args.store} in {args.out}")
    return 0


def cmd_show(args) -> int:
    from .cli import format_table
    from .study import Store, check_scores, observations, parse_where, table

    where = parse_where(args.where)
    store = Store(args.store, create=False)
    rows = store.rows()
    scores = [s.strip() for s in args.scores.split(",") if s.strip()]
    done = observations(rows)
    if done:  # a store of failed runs only still shows them (with their errors)
        check_scores(done, scores, "--scores")
    obs = table(rows, where)
    out = [("run", "label", "params", "seed", "status", *scores)]
    for o in obs:
        sc = o["scores"]
        out.append(
            (
                o["run_id"][:8],
                o["label"],
                json.dumps(o["params"], sort_keys=True),
                str(o["seed"]),
                o["status"],
                *(f"{sc[s]:.3f}" if isinstance(sc.get(s), (int, float)) else "-" for s in scores),
            )
        )
    print(format_table(out))
    if not obs:
        print(f"no run matches {' and '.join(args.where)}")
    failed = [o for o in obs if o["status"] == "failed"]
    if failed:
        print(f"\n{len(failed)} failed; first error: {(failed[0]['error'] or '').splitlines()[0]}")
    return 0


def _check_x(x: str) -> None:
    from .study import check_filter_key

    check_filter_key(x, "--x")


def cmd_plot(args) -> int:
    from probes.support import DataError, atomic_write_bytes

    from .study import Store, check_scores, parse_where, table
    from .study_plots import plot

    where = parse_where(args.where)
    _check_x(args.x)
    store = Store(args.store, create=False)
    rows = store.rows()
    obs = table(rows, where, done_only=True)
    check_scores(obs, [args.y], "--y")
    if not obs:
        raise DataError(f"no finished run matches {' and '.join(args.where)}: check the --where values")
    keep = {o["run_id"] for o in obs}
    fig = plot([r for r in rows if r["run_id"] in keep], args.x, args.y, title=_study_name(rows, args.store))
    out = Path(args.out) if args.out else Path(f"{Path(args.store).with_suffix('')}-{args.y}.png")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    atomic_write_bytes(out, buf.getvalue())
    print(f"plot: {out}")
    return 0


def default_x(rows) -> str:
    from collections import Counter

    varied = Counter()
    for key in {k for r in rows for k in r["params"]}:
        if key.startswith("task."):
            continue
        varied[key] = len({json.dumps(r["params"].get(key)) for r in rows if key in r["params"]})
    if not varied:
        return "seed"
    return varied.most_common(1)[0][0]


def _study_name(rows, store) -> str:
    names = sorted({r["study"] for r in rows})
    return " + ".join(names) if names else Path(store).stem


def _png(fig, dpi: int) -> str:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buf.getvalue()).decode()


def _spec(store, rows, study_file):
    """alpha, smallest effects and contrasts: from ``study_file`` when given, else stored with the runs."""
    from .study import load_study

    if study_file:
        s = load_study(study_file)
        return s.spec()
    specs = store.studies()
    names = {r["study"] for r in rows}
    chosen = [specs[n] for n in sorted(names) if n in specs]
    if not chosen:
        return {"alpha": 0.05, "smallest_effect": {}, "contrasts": []}
    out = dict(chosen[0])
    out["contrasts"] = [c for s in chosen for c in s["contrasts"]]
    return out


def contrasts_section(rows, spec) -> tuple[str, str, list]:
    """(Markdown, HTML) of the contrast table, or of why there is none, and its rows.

    The Markdown opens with the summary (per contrast and task: what it moves, what is equivalent),
    then the full table."""
    from .study_stats import contrast_table, summary_markdown, to_html, to_markdown

    if not spec["contrasts"]:
        text = "No contrasts declared: add [[contrasts]] (name, a, b) to the study file; see studies/README.md."
        return text + "\n", f"<p>{html.escape(text)}</p>", []
    alpha, family = spec.get("alpha", 0.05), spec.get("family", "table")
    finished = sum(r["status"] in ("done", "failed") for r in rows)
    running = finished < spec.get("runs", 0)  # a study still running: contrasts without data yet wait
    waiting: list[str] | None = [] if running else None
    table = contrast_table(
        rows,
        spec["contrasts"],
        alpha=alpha,
        smallest_effect=spec.get("smallest_effect", {}),
        family=family,
        waiting=waiting,
    )
    note = ""
    if running:
        note = (
            f"The study is not finished: {finished} of {spec['runs']} runs in the store. "
            "Rows are over the seeds finished so far and will change."
        )
        if waiting:
            note += f" Not run yet on both sides: {'; '.join(waiting)}."
    if not table:
        text = note or "No contrast has finished runs on both sides."
        return text + "\n", f"<p>{html.escape(text)}</p>", []
    md = f"## Summary\n\n{summary_markdown(table)}\n## Every row\n\n{to_markdown(table, alpha, family)}"
    body = to_html(table, alpha, family)
    if note:
        md, body = f"{note}\n\n{md}", f"<p class='doc'>{html.escape(note)}</p>{body}"
    return md, body, table


def abstraction_section(rows, alpha: float) -> tuple[str, str]:
    """(Markdown, HTML) of every abstraction score against its null by condition; empty without any."""
    from .study_stats import abstraction_html, abstraction_markdown, abstraction_table

    table = abstraction_table(rows, alpha=alpha)
    if not table:
        return "", ""
    return f"\n## Abstraction\n\n{abstraction_markdown(table, alpha)}", abstraction_html(table, alpha)


class ReportSections(NamedTuple):
    """What ``study report`` makes of a store, before figures: ``markdown`` is ``<out>.md`` whole."""

    name: str
    rows: list
    markdown: str
    contrasts_md: str
    contrasts_html: str
    abstraction_html: str
    table: list


def report_sections(store, path, study_file=None) -> ReportSections:
    """The contrast and abstraction sections of the store at ``path`` (open as ``store``), with
    alpha, smallest effects and contrasts from ``study_file`` when given, else stored with the runs."""
    rows = store.rows()
    name = _study_name(rows, path)
    spec = _spec(store, rows, study_file)
    md, contrasts_html, table = contrasts_section(rows, spec)
    md_abs, abs_html = abstraction_section(rows, spec.get("alpha", 0.05))
    text = f"# study {name}: contrasts\n\n{md}{md_abs}"
    return ReportSections(name, rows, text, md, contrasts_html, abs_html, table)


def cmd_report(args) -> int:
    from probes import MEASUREMENTS
    from probes.support import DataError, atomic_write_bytes, atomic_write_text

    from .study import Store, mean_ci, observations, score_names, series
    from .study_plots import contrast_map, headline_figure, plot

    store = Store(args.store, create=False)
    if args.x:
        _check_x(args.x)
    sec = report_sections(store, args.store, args.study)
    rows, name, table = sec.rows, sec.name, sec.table
    x = args.x or default_x(rows)
    e = html.escape
    have = set(score_names(observations(rows)))
    ys = [y for y in ["accuracy"] + [f"{n}.{m.headline}" for n, m in MEASUREMENTS.items()] if y in have]
    parts = [
        f"<h1>study {e(name)}</h1>",
        f"<p>{len(rows)} runs ({sum(r['status'] == 'done' for r in rows)} done, "
        f"{sum(r['status'] == 'failed' for r in rows)} failed) in <code>{e(str(Path(args.store).name))}</code>. "
        f"x axis: <code>{e(x)}</code>. Each point: mean and 95% confidence interval over distinct seeds, "
        "clipped to the score's range.</p>",
        f"<h2>Contrasts</h2>{sec.contrasts_html}",
    ]
    if sec.abstraction_html:
        parts.append(f"<h2>Abstraction</h2>{sec.abstraction_html}")
    out = Path(args.out) if args.out else Path(args.store).with_suffix(".html")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataError(f"--out {str(out)!r}: cannot create its folder ({exc.strerror}): choose another path") from None
    figure = contrast_map(table, title=name)
    if figure is not None:  # also as a file, for docs: <out>-contrasts.png
        png = out.with_name(f"{out.stem}-contrasts.png")
        atomic_write_bytes(png, base64.b64decode(_png(figure, 110)))
        parts.insert(2, f"<img alt='contrast map' src='{e(png.name)}'>")
    fig = headline_figure(rows, ys, title=name)
    if fig is not None:
        parts.append(
            "<h2>Every headline score by condition</h2>"
            f"<img alt='headline' src='data:image/png;base64,{_png(fig, 80)}'>"
        )
    for y in ys:
        data = series(rows, x, y)
        fig = plot(rows, x, y, title=name)
        trs = "".join(
            f"<tr><td>{e(t)}</td><td>{e(label)}</td><td>{e(str(xv))}</td><td>{mean_ci(v)[0]:.3f} ± "
            f"{mean_ci(v)[1]:.3f}</td><td>{len(v)}</td></tr>"
            for (t, label), d in sorted(data.items())
            for xv, v in sorted(d.items(), key=lambda kv: str(kv[0]))
        )
        doc = ""
        if "." in y:
            m, sname = y.split(".", 1)
            sp = MEASUREMENTS[m].spec(sname)
            doc = f"<p class='doc'>{e(sp.doc)} ({e(sp.better)} is more interpretable)</p>"
        parts.append(
            f"<h2>{e(y)}</h2>{doc}<img alt='{e(y)}' src='data:image/png;base64,{_png(fig, 90)}'>"
            f"<details><summary>numbers</summary><table><tr><th>task</th><th>line</th><th>{e(x)}</th>"
            f"<th>mean ± 95% CI</th><th>n seeds</th></tr>{trs}</table></details>"
        )
    page = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>study {e(name)}</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}img{max-width:100%}"
        ".doc{color:#555}tr.effect{background:#fde8e8}tr.equivalent{background:#e8f4e8}"
        "</style></head><body>" + "".join(parts) + "</body></html>\n"
    )
    atomic_write_text(out, page)
    atomic_write_text(out.with_suffix(".md"), sec.markdown)
    print(sec.contrasts_md, end="")
    print(f"report: {out} (contrast table: {out.with_suffix('.md')})")
    return 0
