"""``scrutable study run|show|plot|report``."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("study", help="parameter studies on Dask with a resumable SQLite store")
    ss = p.add_subparsers(dest="study_command", parser_class=type(p))
    r = ss.add_parser("run", help="run (or resume) a study file")
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
    s.add_argument("--where", action="append", default=[], metavar="KEY=VALUE", help="filter, e.g. snn.delay_ms=5")
    s.add_argument("--scores", default="accuracy,decoding.selectivity", help="comma-separated scores to show")
    s.set_defaults(func=cmd_show)
    pl = ss.add_parser("plot", help="a score against a config key, mean and 95%% CI over seeds")
    pl.add_argument("store")
    pl.add_argument("--x", required=True, help="config key, e.g. snn.delay_ms")
    pl.add_argument("--y", required=True, help="score, e.g. decoding.selectivity")
    pl.add_argument("--where", action="append", default=[], metavar="KEY=VALUE")
    pl.add_argument("--out", default=None, help="PNG file (default <store>-<y>.png)")
    pl.set_defaults(func=cmd_plot)
    rp = ss.add_parser("report", help="an HTML page of every headline score")
    rp.add_argument("store")
    rp.add_argument("--x", default=None, help="config key on the x axis (default: the most varied grid key)")
    rp.add_argument("--out", default=None, help="HTML file (default <store>.html)")
    rp.set_defaults(func=cmd_report)
    p.set_defaults(func=lambda args: (p.print_help(), 2)[1])


def _where(items):
    from probes.support import ConfigError

    out = {}
    for item in items:
        if "=" not in item:
            raise ConfigError(f"--where {item!r} is not key=value: write e.g. --where snn.delay_ms=5")
        k, v = item.split("=", 1)
        out[k.strip()] = v.strip()
    return out


def cmd_run(args) -> int:
    from probes.support import ConfigError

    from .study import Store, load_study, run_study

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
        counts = run_study(
            study,
            store,
            scheduler=args.scheduler,
            workers=args.workers,
            retry_failed=args.retry_failed,
            progress=not args.quiet,
        )
    finally:
        store.close()
    print(
        f"study {study.name}: {counts['total']} runs; skipped {counts['skipped']} already in the store; "
        f"ran {counts['done'] + counts['failed']} ({counts['done']} done, {counts['failed']} failed); "
        f"store {store_path}"
    )
    return 0


def cmd_show(args) -> int:
    from .cli import format_table
    from .study import Store, table

    store = Store(args.store, create=False)
    rows = table(store.rows(), _where(args.where))
    scores = [s.strip() for s in args.scores.split(",") if s.strip()]
    out = [("run", "label", "params", "seed", "status", *scores)]
    for r in rows:
        for model_label, sc in (r["result"] or {"-": {}}).items():
            out.append(
                (
                    r["run_id"][:8],
                    model_label if r["result"] else r["label"],
                    json.dumps(r["params"], sort_keys=True),
                    str(r["seed"]),
                    r["status"],
                    *(f"{sc[s]:.3f}" if s in sc else "-" for s in scores),
                )
            )
    print(format_table(out))
    failed = [r for r in rows if r["status"] == "failed"]
    if failed:
        print(f"\n{len(failed)} failed; first error: {failed[0]['error'].splitlines()[0]}")
    return 0


def cmd_plot(args) -> int:
    from .study import Store, plot, table

    store = Store(args.store, create=False)
    fig = plot(table(store.rows(), _where(args.where)), args.x, args.y)
    out = Path(args.out) if args.out else Path(f"{Path(args.store).with_suffix('')}-{args.y}.png")
    from probes.support import atomic_write_bytes

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


def cmd_report(args) -> int:
    import matplotlib.pyplot as plt

    from probes import MEASUREMENTS
    from probes.support import atomic_write_text

    from .study import Store, mean_ci, plot, series

    store = Store(args.store, create=False)
    rows = store.rows()
    x = args.x or default_x(rows)
    e = html.escape
    parts = [
        f"<h1>study report: {e(str(Path(args.store).name))}</h1>",
        f"<p>{len(rows)} runs ({sum(r['status'] == 'done' for r in rows)} done, "
        f"{sum(r['status'] == 'failed' for r in rows)} failed). x axis: <code>{e(x)}</code>. "
        "Each point: mean and 95% confidence interval over seeds.</p>",
    ]
    ys = ["accuracy"] + [f"{n}.{m.headline}" for n, m in MEASUREMENTS.items()]
    from .study import headline_figure

    fig = headline_figure(rows, ys)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=80, bbox_inches="tight")
    plt.close(fig)
    parts.append(
        "<h2>Every headline score by condition</h2><img alt='headline' src='data:image/png;base64,"
        f"{base64.b64encode(buf.getvalue()).decode()}'>"
    )
    for y in ys:
        try:
            fig = plot(rows, x, y)
        except Exception as exc:  # a score no run produced: say so and go on
            parts.append(f"<h2>{e(y)}</h2><p>not available: {e(str(exc))}</p>")
            continue
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=90, bbox_inches="tight")
        plt.close(fig)
        data = series(rows, x, y)
        trs = "".join(
            f"<tr><td>{e(t)}</td><td>{e(label)}</td><td>{e(str(xv))}</td><td>{mean_ci(v)[0]:.3f} ± "
            f"{mean_ci(v)[1]:.3f}</td><td>{len(v)}</td></tr>"
            for (t, label), d in sorted(data.items())
            for xv, v in sorted(d.items(), key=lambda kv: str(kv[0]))
        )
        spec = ""
        if "." in y:
            m, sname = y.split(".", 1)
            sp = MEASUREMENTS[m].spec(sname)
            spec = f"<p class='doc'>{e(sp.doc)} ({e(sp.better)} is more interpretable)</p>"
        parts.append(
            f"<h2>{e(y)}</h2>{spec}<img alt='{e(y)}' src='data:image/png;base64,"
            f"{base64.b64encode(buf.getvalue()).decode()}'><details><summary>numbers</summary><table>"
            f"<tr><th>task</th><th>line</th><th>{e(x)}</th><th>mean ± 95% CI</th><th>n</th></tr>{trs}</table></details>"
        )
    page = (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>study report</title><style>"
        "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em}"
        "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px}img{max-width:100%}"
        ".doc{color:#555}</style></head><body>" + "".join(parts) + "</body></html>\n"
    )
    out = Path(args.out) if args.out else Path(args.store).with_suffix(".html")
    atomic_write_text(out, page)
    print(f"report: {out}")
    return 0
