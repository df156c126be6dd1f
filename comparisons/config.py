"""Experiment configs: frozen dataclasses loaded from TOML and overridden by dotted keys.

    cfg = load_config("exp.toml", overrides=["snn.n_neurons=100", "task.name=bars"])

An unknown key names the valid ones and the closest match; a wrong type or an
impossible value names the key, the value and what is allowed (:class:`ConfigError`).
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import json
import os
import tomllib
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from dense.config import DenseConfig
from probes.support import Config, ConfigError, require, require_positive, require_probability
from snn.config import SNNConfig


@dataclass(frozen=True)
class TaskConfig(Config):
    name: Literal["digits", "bars", "mnist"] = "digits"
    test_fraction: float = 0.25  # digits
    k: int = 8  # bars: image side
    p: float = 0.125  # bars: probability of each bar
    n_train: int = 2000  # bars (mnist: 0 = all)
    n_test: int = 500  # bars (mnist: 0 = all)
    data_dir: str = ""  # mnist: folder of the IDX files

    def validate(self) -> None:
        require(0 < self.test_fraction < 1, "test_fraction", self.test_fraction, "must be in (0, 1)")
        require_positive("k", self.k)
        require_probability("p", self.p)
        require(self.n_train >= 0, "n_train", self.n_train, "must be >= 0")
        require(self.n_test >= 0, "n_test", self.n_test, "must be >= 0")

    def load(self, seed: int):
        from .tasks import load_task

        if self.name == "digits":
            return load_task("digits", seed=seed, test_fraction=self.test_fraction)
        if self.name == "bars":
            return load_task("bars", seed=seed, k=self.k, p=self.p, n_train=self.n_train, n_test=self.n_test)
        return load_task(
            "mnist", data_dir=self.data_dir or None, n_train=self.n_train or None, n_test=self.n_test or None
        )


@dataclass(frozen=True)
class ProbeConfig(Config):
    """What the measurements run on and how their uncertainty is estimated (probes.uncertainty).

    format_control: add the dense network rendered as Poisson spikes at the spiking network's
        measured budget (probes.AsSpikes) as its own column.
    long_window: add the spiking network read over ``long_window`` times its presentation
        window as its own column (0 = off).
    redraws: independent re-recordings of each stochastic network (other Poisson draws).
    resamples: random halves of the test inputs for measurements that only read the recording.
    nulls: label-shuffled runs of each measurement.
    unit_nulls: unit-shuffled runs (each unit's activity permuted across samples) of the
        measurements that only read the recording.
    resamples_interventions, nulls_interventions: resamples and nulls for measurements that
        simulate an intervention per unit or pair (ablation, patching, steering), whose every run
        re-simulates the network.
    long_window_interventions: also run those measurements on the long-window column (each of
        its simulations costs ``long_window`` times more).
    """

    measures: tuple[str, ...] = ()  # empty: every registered measurement
    max_samples: int = 500  # test samples the measurements use (0 = all)
    format_control: bool = True
    long_window: float = 10.0
    redraws: int = 2
    resamples: int = 10
    nulls: int = 2
    unit_nulls: int = 1
    resamples_interventions: int = 2
    nulls_interventions: int = 1
    long_window_interventions: bool = False

    def validate(self) -> None:
        require(self.max_samples >= 0, "max_samples", self.max_samples, "must be >= 0")
        require(
            self.long_window == 0 or self.long_window >= 1,
            "long_window",
            self.long_window,
            "must be 0 (off) or a factor >= 1 of the presentation window",
        )
        for key in ("redraws", "resamples", "nulls", "unit_nulls", "resamples_interventions", "nulls_interventions"):
            require(getattr(self, key) >= 0, key, getattr(self, key), "must be >= 0")
        for key in ("resamples", "resamples_interventions"):
            require(getattr(self, key) != 1, key, 1, "must be 0 or >= 2 (a spread needs two resamples)")


@dataclass(frozen=True)
class ExperimentConfig(Config):
    seed: int = 0
    task: TaskConfig = field(default_factory=TaskConfig)
    # 100 units each by default, so that `make demo` finishes in about 3 minutes on 2 cores
    snn: SNNConfig = field(default_factory=lambda: SNNConfig(n_neurons=100))
    dense: DenseConfig = field(default_factory=lambda: DenseConfig(hidden=(100,)))
    probes: ProbeConfig = field(default_factory=ProbeConfig)


def _valid_keys(cls) -> list[str]:
    keys = []
    for f in dataclasses.fields(cls):
        tp = typing.get_type_hints(cls)[f.name]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            keys += [f"{f.name}.{k}" for k in _valid_keys(tp)]
        else:
            keys.append(f.name)
    return keys


def _unknown(key: str, prefix: str, cls) -> ConfigError:
    valid = [prefix + k for k in _valid_keys(cls)]
    full = prefix + key
    close = difflib.get_close_matches(full, valid, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    shown = (
        ", ".join(valid)
        if len(valid) <= 12
        else ", ".join(sorted({v.split(".")[0] if "." in v[len(prefix) :] else v for v in valid})) + ", ..."
    )
    return ConfigError(f"unknown config key {full!r}{hint}: valid keys are {shown}")


def from_dict(cls, data: dict[str, Any], prefix: str = ""):
    """Build config ``cls`` from a (nested) dict, with errors naming the full dotted key."""
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'config'} must be a table of keys, got {data!r}")
    hints = typing.get_type_hints(cls)
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in names:
            raise _unknown(key, prefix, cls)
        tp = hints[key]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            kwargs[key] = from_dict(tp, value, f"{prefix}{key}.")
        else:
            kwargs[key] = value
    try:
        return cls(**kwargs)
    except ConfigError as exc:
        raise ConfigError(f"{prefix}{exc}") from None


def parse_value(text: str) -> Any:
    """``--set`` values are TOML (``100``, ``0.5``, ``true``, ``[400, 100]``, ``"x"``); bare words are strings."""
    try:
        return tomllib.loads(f"v = {text}")["v"]
    except tomllib.TOMLDecodeError:
        return text


def apply_overrides(data: dict[str, Any], overrides: typing.Iterable[str], cls=None) -> dict[str, Any]:
    """Return a copy of ``data`` with each ``"a.b.c=value"`` set (checked against ``cls`` when given)."""
    out = json.loads(json.dumps(data))
    for item in overrides:
        if "=" not in item:
            raise ConfigError(f"--set {item!r} is not key=value: write e.g. --set snn.n_neurons=100")
        key, text = item.split("=", 1)
        key = key.strip()
        parts = key.split(".")
        if cls is not None:
            sub = cls
            for i, part in enumerate(parts):
                fields = {f.name for f in dataclasses.fields(sub)}
                if part not in fields:
                    raise _unknown(".".join(parts[i:]), "".join(p + "." for p in parts[:i]), sub)
                tp = typing.get_type_hints(sub)[part]
                is_table = isinstance(tp, type) and dataclasses.is_dataclass(tp)
                if i < len(parts) - 1 and not is_table:
                    raise ConfigError(
                        f"config key {'.'.join(parts[: i + 1])!r} is a value, not a table: "
                        f"write --set {'.'.join(parts[: i + 1])}=VALUE"
                    )
                if i == len(parts) - 1 and is_table:
                    raise ConfigError(f"config key {key!r} is a table: set one of its keys, e.g. {key}.KEY=VALUE")
                sub = tp
        node = out
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = parse_value(text.strip())
    return out


def load_toml(path: str | os.PathLike) -> dict[str, Any]:
    try:
        with open(path, "rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ConfigError(f"config file {os.fspath(path)!r} does not exist: check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {os.fspath(path)!r} is not valid TOML ({exc}): fix the syntax") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"config file {os.fspath(path)!r} cannot be read ({exc})") from None


def load_config(path: str | os.PathLike | None = None, overrides: typing.Iterable[str] = (), cls=ExperimentConfig):
    """Load ``cls`` from a TOML file (or the defaults when ``path`` is None) and apply ``--set`` overrides."""
    data = load_toml(path) if path is not None else {}
    return from_dict(cls, apply_overrides(data, overrides, cls))


def flatten(d: dict, prefix: str = "") -> dict:
    """``{"snn": {"n_neurons": 5}}`` -> ``{"snn.n_neurons": 5}``."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}{k}."))
        else:
            out[f"{prefix}{k}"] = v
    return out


def config_hash(cfg: Config, *extra: Any) -> str:
    """A short stable hash of a config (and any extra JSON-able values), for cache keys."""
    blob = json.dumps([cfg.to_dict(), *extra], sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def to_toml(cfg: Config) -> str:
    """Write a config as TOML (round-trips through :func:`load_config`)."""

    def value(v):
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (list, tuple)):
            return "[" + ", ".join(value(x) for x in v) + "]"
        if isinstance(v, str):
            return json.dumps(v)
        return repr(v)  # ints and floats (TOML spells inf and nan as Python's repr does)

    flat, tables = [], []

    def walk(d: dict, name: str):
        lines = [f"{k} = {value(v)}" for k, v in d.items() if v is not None and not isinstance(v, dict)]
        (tables if name else flat).append((name, lines))
        for k, v in d.items():
            if isinstance(v, dict):
                walk(v, f"{name}.{k}" if name else k)

    walk(cfg.to_dict(), "")
    out = []
    for name, lines in flat + tables:
        if name:
            out.append(f"\n[{name}]")
        out.extend(lines)
    return "\n".join(out).lstrip() + "\n"
