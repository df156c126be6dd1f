"""``scrutable bench``: speed and memory against Brian2, written to JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def register(sub) -> None:
    p = sub.add_parser("bench", help="benchmark the spiking backends against Brian2 (writes JSON and a table)")
    p.add_argument("--out", default="benchmarks/results.json", help="JSON file (default benchmarks/results.json)")
    p.add_argument("--quick", action="store_true", help="fewer samples (a smoke run)")
    p.set_defaults(func=run)


def run(args) -> int:
    from probes.support import atomic_write_text

    from .bench import run_all, table
    from .report import ensure_writable

    out = Path(args.out)
    ensure_writable(out.parent)
    results = run_all(quick=args.quick, progress=lambda m: print(m, file=sys.stderr, flush=True))
    atomic_write_text(out, json.dumps(results, indent=2))
    print(table(results))
    print(f"\nresults: {out}")
    return 0
