"""``scrutable config``: every config key with its value, unit and meaning."""

from __future__ import annotations

import dataclasses


def register(sub) -> None:
    p = sub.add_parser("config", help="list every config key with its default, unit and meaning")
    p.add_argument("--config", default=None, help="TOML file with the experiment config to show")
    p.add_argument(
        "--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE", help="override a key (repeatable)"
    )
    p.add_argument("--changed", action="store_true", help="only keys that differ from the command line's defaults")
    p.set_defaults(func=run)


def rows(cfg, prefix: str = "") -> list[tuple[str, str, str, str, str]]:
    """``(key, value, unit, meaning, note)`` for every leaf of a config, nested configs flattened."""
    from probes.support import Config
    from probes.validation import field_docs, unit_of

    docs = field_docs(type(cfg))
    out = []
    for f in dataclasses.fields(cfg):
        value = getattr(cfg, f.name)
        key = f"{prefix}{f.name}"
        if isinstance(value, Config):
            out += rows(value, key + ".")
            continue
        note = "run option" if f.name in type(cfg).RUN_OPTIONS else ""
        out.append((key, repr(value), unit_of(f.name), docs.get(f.name, ""), note))
    return out


def run(args) -> int:
    from .cli import format_table
    from .config import ExperimentConfig, load_config

    cfg = load_config(args.config, args.overrides)
    table = rows(cfg)
    if args.changed:
        defaults = {r[0]: r[1] for r in rows(ExperimentConfig())}
        table = [r for r in table if defaults.get(r[0]) != r[1]]
    print(format_table([("key", "value", "unit", "meaning", ""), *table]))
    print(
        "\nThe command line trains 100-unit networks by default (snn.n_neurons=100, dense.hidden=[100]); the Python "
        "classes SNNConfig and DenseConfig default to 400. Run options change how a trained network is simulated, "
        "never what it learned: changing them does not retrain a cached network."
    )
    return 0
