"""``scrutable compare``: train both networks, measure both, write side-by-side reports."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from probes.support import ConfigError


def register(sub) -> None:
    p = sub.add_parser("compare", help="train both networks on a task, run every measurement, write reports")
    p.add_argument("--task", default=None, help="digits | bars | mnist | patterns (overrides task.name)")
    p.add_argument("--data", default=None, help="your own task: an .npz with x_train, y_train, x_test, y_test")
    p.add_argument("--config", default=None, help="TOML file with the experiment config")
    p.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a config key, e.g. --set snn.n_neurons=100 (repeatable)",
    )
    p.add_argument("--out", default=None, help="output directory (default runs/<task>-<hash>/)")
    p.add_argument("--measure", default=None, help="comma-separated measurements (default: all)")
    p.add_argument("--data-dir", default=None, help="folder of the MNIST IDX files (task.data_dir)")
    p.add_argument("--cache-dir", default=None, help="trained-model cache (default ~/.cache/scrutable/models)")
    p.add_argument("--no-cache", action="store_true", help="train both networks even if cached")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.set_defaults(func=run)


def run(args) -> int:
    from .cli import format_table
    from .config import config_hash, file_sha256, load_config
    from .pipeline import default_cache_dir, run_compare
    from .report import ensure_writable, summary_rows, write_reports

    overrides = list(args.overrides)
    if args.data:  # the file's hash joins the config, so an edited file retrains (quoted: --set values are TOML)
        if args.task:
            raise ConfigError("give --task or --data, not both: --data FILE.npz is the task")
        sha = file_sha256(args.data)
        overrides[:0] = ["task.name=file", f"task.data={json.dumps(args.data)}", f'task.data_sha256="{sha}"']
    if args.task:
        overrides.insert(0, f"task.name={args.task}")
    if args.data_dir:
        overrides.insert(0, f"task.data_dir={args.data_dir}")
    cfg = load_config(args.config, overrides)
    measures = [m.strip() for m in args.measure.split(",") if m.strip()] if args.measure else None
    out = Path(args.out) if args.out else Path("runs") / f"{cfg.task.name}-{config_hash(cfg, measures)[:10]}"
    task = cfg.task.load(cfg.seed) if args.data else None  # a bad file fails before the output folder exists
    created = [d for d in (out, *out.parents) if not d.exists()]  # removed again if compare fails
    ensure_writable(out)  # fail before hours of training, not after
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    cache = None if args.no_cache else (Path(args.cache_dir) if args.cache_dir else default_cache_dir())
    try:
        result = run_compare(cfg, measures=measures, cache_dir=cache, progress=not args.quiet, task=task)
        paths = write_reports(result, out)
    except BaseException:
        for d in created:  # deepest first; only folders this run made and left empty
            try:
                d.rmdir()
            except OSError:
                break
        raise
    print(format_table(summary_rows(result)))
    print(f"\ntrained: {', '.join(result.trained) or 'nothing (both networks from the cache)'}")
    print(f"report: {paths['html']}\nmarkdown: {paths['md']}\nmetrics: {paths['json']}")
    return 0
