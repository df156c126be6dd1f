"""Parameter studies: a grid (or random sample) of configs x seeds, run on Dask, stored in SQLite.

A study file (TOML)::

    [study]
    name = "asynchrony"
    seeds = [0, 1, 2]
    measures = ["decoding", "ablation"]    # empty or missing: all
    random_seed = 0                         # seeds the random sampling of grid points (arms' random > 0)
    alpha = 0.05                            # family-wise error rate of the contrast table
    smallest_effect = { accuracy = 0.02 }   # per score: the smallest effect of interest (equivalence tests)
    [base]                                  # the experiment config every run starts from
    snn.n_neurons = 50
    [grid]                                  # axes shared by every arm
    "task.name" = ["digits", "bars"]
    [[arms]]                                # one arm per network family
    network = "snn"                         # "snn", "dense" or "both"
    grid = { "snn.delay_ms" = [0, 5], "snn.jitter_ms" = [0, 2] }
    random = 0                              # > 0: sample that many grid points (seeded by study.random_seed)
    [[contrasts]]                           # read by `scrutable study report` (see comparisons.study_stats)
    name = "asynchrony"
    a = { label = "snn", "snn.delay_ms" = 5 }
    b = { label = "snn", "snn.delay_ms" = 0 }
    match_accuracy = 0.02                   # optional: compare runs whose accuracies differ by <= 0.02 only

A grid value that is a table applies several keys together (a *linked* axis), e.g.
``case = [{ "task.name" = "digits" }, { "task.name" = "bars", "dense.inhibition" = 0.6 }]``.

A run trains one network on one task with one seed. Its id hashes only what that network
reads (its own config section, the task, the probes, the seed, the measurements and
``competition``: how the trained network is read, see :func:`measure_models`), so a
network whose config does not depend on a grid key is run once per seed however many grid
points the study has (``network = "both"`` runs each network as its own run). Each run is
one Dask task; its result is committed to the SQLite store (WAL mode, one transaction) the
moment it finishes, so running the study again skips what is done.
"""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import itertools
import json
import math
import os
import socket
import sqlite3
import tempfile
import time
import traceback
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from probes.support import ConfigError, DataError, ScrutableError, type_hints

from .config import (
    ExperimentConfig,
    apply_overrides,
    config_hash,
    flatten,
    from_dict,
    load_toml,
    parse_value,
    unknown_key_error,
    valid_keys,
)

NETWORKS = ("snn", "dense", "both")
CLAIM_HOURS = 24.0  # a claim by a `study run` on another host is honoured this long
STUDY_KEYS = (
    "name",
    "seeds",
    "measures",
    "random_seed",
    "split_seed",
    "replicas",
    "alpha",
    "family",
    "smallest_effect",
)
ARM_KEYS = ("network", "grid", "random")
FAMILIES = ("table", "contrast")  # what Holm corrects over: the whole contrast table or each contrast's rows
CONTRAST_KEYS = ("name", "a", "b", "scores", "match_accuracy")
#: keys a filter (``--where``, a contrast's ``a``/``b``) may name besides config keys
ROW_KEYS = ("label", "network", "seed", "status")


def did_you_mean(value: str, choices) -> str:
    """`` (did you mean 'x'?)`` for the closest of ``choices``, or ``""``."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices], n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def unknown_name(where: str, value: str, choices) -> ConfigError:
    """``where: 'value' is unknown (did you mean ...?): choose from a, b, c``."""
    choices = list(choices)
    return ConfigError(f"{where}: {value!r} is unknown{did_you_mean(value, choices)}: choose from {', '.join(choices)}")


@dataclass(frozen=True)
class Run:
    run_id: str
    arm: int
    network: str  # "snn" | "dense" (older stores: "both")
    params: dict  # the grid point restricted to what this network reads (dotted key -> value)
    seed: int
    config: ExperimentConfig
    measures: tuple[str, ...]
    split_seed: int | None = None  # the seed of the task's data split when the study fixes it, else the run's seed

    @property
    def data_seed(self) -> int:
        return self.seed if self.split_seed is None else self.split_seed

    @property
    def label(self) -> str:
        """The series a run belongs to in plots: snn, dense-sgd, dense-hebbian (or both)."""
        if self.network == "snn":
            return "snn"
        if self.network == "dense":
            return f"dense-{self.config.dense.learning}"
        return f"snn+dense-{self.config.dense.learning}"


@dataclass(frozen=True)
class Study:
    name: str
    runs: tuple[Run, ...]
    path: str
    alpha: float = 0.05
    smallest_effect: dict = field(default_factory=dict)  # score -> smallest effect of interest
    contrasts: tuple[dict, ...] = ()  # {"name", "a", "b", "scores"} (validated)
    replicas: bool = True  # train the seeds of one spiking config together (fit_replicas) where they share data
    family: str = "table"  # Holm over the whole contrast table or within each contrast

    def spec(self) -> dict:
        """What `study report` needs from the study file, stored with the runs."""
        return {
            "alpha": self.alpha,
            "family": self.family,
            "smallest_effect": self.smallest_effect,
            "contrasts": list(self.contrasts),
            "seeds": sorted({r.seed for r in self.runs}),
            "runs": len(self.runs),
        }


def _check_key(key: str, what: str = "study grid key") -> None:
    """A grid key must be a config key (value, not table)."""
    parts = key.split(".")
    cls = ExperimentConfig
    for i, part in enumerate(parts):
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if part not in fields:
            raise unknown_key_error(".".join(parts[i:]), "".join(p + "." for p in parts[:i]), cls)
        tp = type_hints(cls)[part]
        if i < len(parts) - 1:
            if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
                raise ConfigError(f"{what} {key!r}: {'.'.join(parts[: i + 1])!r} is a value, not a table")
            cls = tp
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            raise ConfigError(f"{what} {key!r} is a table: name one of its keys, e.g. {key}.KEY")


def check_filter_key(key: str, where: str) -> None:
    """A filter key is a config key or one of :data:`ROW_KEYS`; otherwise a one-line error naming it."""
    if key in ROW_KEYS:
        return
    valid = list(ROW_KEYS) + valid_keys(ExperimentConfig)
    if key not in valid:
        shown = ", ".join(ROW_KEYS) + ", or a config key (task.name, snn.delay_ms, dense.learning, ...)"
        raise ConfigError(f"{where}: {key!r} is not a key{did_you_mean(key, valid)}: use {shown}")


def _axes(grid: Any, where: str) -> list[tuple[str, list[dict]]]:
    """Grid table -> list of (axis name, list of override dicts)."""
    if not isinstance(grid, dict):
        raise ConfigError(f"{where} must be a table of key = [values], got {grid!r}")
    axes = []
    for key, values in grid.items():
        if not isinstance(values, list) or not values:
            raise ConfigError(f"{where} {key!r} must be a non-empty list of values, got {values!r}")
        points = []
        for v in values:
            if isinstance(v, dict):
                for k in v:
                    _check_key(k)
                points.append(dict(v))
            else:
                _check_key(key)
                points.append({key: v})
        axes.append((key, points))
    return axes


def _toml_value(v) -> str:
    return json.dumps(v) if not isinstance(v, bool) else ("true" if v else "false")


def reads(network: str, key: str) -> bool:
    """Whether a run of ``network`` ("snn", "dense", or a model label) reads config key ``key``."""
    section = key.split(".")[0]
    if network.startswith("dense"):
        return section != "snn"
    if network == "snn" or network.startswith("snn-"):  # snn-long: the same network read longer
        return section != "dense"
    return True


def _int(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{where}={value!r} must be an integer")
    return value


def _head(head: Any, path) -> dict:
    """Validate the ``[study]`` table; returns it with defaults filled in."""
    if not isinstance(head, dict):
        raise ConfigError(f"study must be a table ([study]), got {head!r}")
    for k in head:
        if k not in STUDY_KEYS:
            raise ConfigError(
                f"study.{k} is unknown{did_you_mean(k, STUDY_KEYS)}: valid keys are {', '.join(STUDY_KEYS)}"
            )
    seeds = head.get("seeds", [0])
    if (
        not isinstance(seeds, list)
        or not seeds
        or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)
    ):
        raise ConfigError(f"study.seeds={seeds!r} must be a non-empty list of integers, e.g. seeds = [0, 1, 2]")
    if len(set(seeds)) != len(seeds):
        raise ConfigError(f"study.seeds={seeds!r} repeats a seed: give each seed once")
    measures = head.get("measures", [])
    if not isinstance(measures, list) or not all(isinstance(m, str) for m in measures):
        raise ConfigError(f"study.measures={measures!r} must be a list of measurement names, e.g. ['decoding']")
    from probes import MEASUREMENTS

    for m in measures:
        if m not in MEASUREMENTS:
            raise unknown_name("study.measures", m, MEASUREMENTS)
    alpha = head.get("alpha", 0.05)
    if not isinstance(alpha, float) or not 0 < alpha < 1:
        raise ConfigError(f"study.alpha={alpha!r} must be a number in (0, 1), e.g. 0.05")
    sesoi = head.get("smallest_effect", {})
    if not isinstance(sesoi, dict):
        raise ConfigError(
            f"study.smallest_effect={sesoi!r} must be a table of score = effect, e.g. {{ accuracy = 0.02 }}"
        )
    sesoi = flatten(sesoi)  # "decoding.selectivity" written as a dotted bare key nests: flatten it back
    for k, v in sesoi.items():
        if not isinstance(v, (int, float)) or isinstance(v, bool) or not v > 0:
            raise ConfigError(f"study.smallest_effect.{k}={v!r} must be a positive number")
    family = head.get("family", "table")
    if family not in FAMILIES:
        raise ConfigError(f"study.family={family!r} is unknown: choose 'table' (the default) or 'contrast'")
    split_seed = head.get("split_seed")
    if split_seed is not None:
        _int(split_seed, "study.split_seed")
    replicas = head.get("replicas", True)
    if not isinstance(replicas, bool):
        raise ConfigError(f"study.replicas={replicas!r} must be true or false")
    return {
        "split_seed": split_seed,
        "replicas": replicas,
        "name": str(head.get("name", Path(path).stem)),
        "seeds": seeds,
        "measures": tuple(measures),
        "random_seed": _int(head.get("random_seed", 0), "study.random_seed"),
        "alpha": float(alpha),
        "family": family,
        "smallest_effect": {k: float(v) for k, v in sesoi.items()},
    }


def _contrasts(items: Any) -> tuple[dict, ...]:
    """Validate ``[[contrasts]]``: a name, two conditions ``a`` and ``b`` (filters), optional ``scores``."""
    if not isinstance(items, list):
        raise ConfigError("contrasts must be an array of tables ([[contrasts]])")
    out, names = [], set()
    for i, c in enumerate(items):
        where = f"contrasts[{i}]"
        if not isinstance(c, dict):
            raise ConfigError(f"{where} must be a table with name, a and b")
        for k in c:
            if k not in CONTRAST_KEYS:
                raise ConfigError(
                    f"{where}.{k} is unknown{did_you_mean(k, CONTRAST_KEYS)}: valid keys are {', '.join(CONTRAST_KEYS)}"
                )
        name = c.get("name")
        if not isinstance(name, str) or not name:
            raise ConfigError(f"{where}.name={name!r} must be a non-empty string")
        if name in names:
            raise ConfigError(f"{where}.name={name!r} is used twice: give each contrast its own name")
        names.add(name)
        for side in ("a", "b"):
            cond = c.get(side)
            if not isinstance(cond, dict) or not cond:
                raise ConfigError(f'{where}.{side} must be a table of key = value, e.g. {{ "snn.delay_ms" = 5 }}')
            for k in cond:
                check_filter_key(k, f"{where}.{side}")
        scores = c.get("scores", [])
        if not isinstance(scores, list) or not all(isinstance(s, str) for s in scores):
            raise ConfigError(f"{where}.scores={scores!r} must be a list of scores, e.g. ['accuracy']")
        tol = c.get("match_accuracy")
        if tol is not None and (isinstance(tol, bool) or not isinstance(tol, (int, float)) or not 0 <= tol <= 1):
            raise ConfigError(
                f"{where}.match_accuracy={tol!r} must be an accuracy difference in [0, 1], e.g. 0.02 (or leave it out)"
            )
        item = {"name": name, "a": dict(c["a"]), "b": dict(c["b"]), "scores": list(scores)}
        if tol is not None:
            item["match_accuracy"] = float(tol)
        out.append(item)
    return tuple(out)


def load_study(path: str | os.PathLike) -> Study:
    """Parse and validate a study file; every run's config is built (so bad keys fail here, before any work)."""
    data = load_toml(path)
    known = ("study", "base", "grid", "arms", "contrasts")
    for k in data:
        if k not in known:
            raise ConfigError(
                f"study file {os.fspath(path)!r}: unknown table {k!r}{did_you_mean(k, known)}: use {', '.join(known)}"
            )
    head = _head(data.get("study", {}), path)
    contrasts = _contrasts(data.get("contrasts", []))
    base = flatten(data.get("base", {}))
    for k in base:
        _check_key(k)
    shared = _axes(data.get("grid", {}), "grid")
    arms = data.get("arms", [{"network": "both"}])
    if not isinstance(arms, list) or not arms:
        raise ConfigError("study arms must be a non-empty array of tables ([[arms]])")
    rng = np.random.default_rng(head["random_seed"])
    runs, seen = [], set()
    for a, arm in enumerate(arms):
        for k in arm:
            if k not in ARM_KEYS:
                raise ConfigError(
                    f"arms[{a}].{k} is unknown{did_you_mean(k, ARM_KEYS)}: valid keys are network, grid, random"
                )
        network = arm.get("network", "both")
        if network not in NETWORKS:
            raise unknown_name(f"arms[{a}].network", network, NETWORKS)
        axes = shared + _axes(arm.get("grid", {}), f"arms[{a}].grid")
        points = [
            dict(itertools.chain.from_iterable(d.items() for d in combo))
            for combo in itertools.product(*(values for _, values in axes))
        ] or [{}]
        n_random = _int(arm.get("random", 0), f"arms[{a}].random")
        if 0 < n_random < len(points):
            points = [points[i] for i in sorted(rng.choice(len(points), size=n_random, replace=False))]
        for point in points:
            overrides = [f"{k}={_toml_value(v)}" for k, v in {**base, **point}.items()]
            for seed in head["seeds"]:
                try:
                    cfg = from_dict(
                        ExperimentConfig, apply_overrides({}, overrides + [f"seed={seed}"], ExperimentConfig)
                    )
                except ConfigError as exc:
                    raise ConfigError(f"study run {point} seed {seed}: {exc}") from None
                for net in ("snn", "dense") if network == "both" else (network,):
                    run_id = _run_id(net, cfg, head["measures"], head["split_seed"])
                    if run_id in seen:  # the same network, task and seed at another grid point of the other network
                        continue
                    seen.add(run_id)
                    params = {k: v for k, v in point.items() if reads(net, k)}
                    runs.append(Run(run_id, a, net, params, seed, cfg, head["measures"], head["split_seed"]))
    if not runs:
        raise ConfigError(f"study {os.fspath(path)!r} expands to no runs: give at least one seed and grid value")
    return Study(
        head["name"],
        tuple(runs),
        os.fspath(path),
        head["alpha"],
        head["smallest_effect"],
        contrasts,
        head["replicas"],
        head["family"],
    )


def _run_id(network: str, cfg: ExperimentConfig, measures: tuple, split_seed: int | None = None) -> str:
    """Hash of what the run computes: only the parts of the config its networks read."""
    parts = {
        "task": cfg.task.to_dict(),
        "seed": cfg.seed,
        "probes": cfg.probes.to_dict(),
        "network": network,
        "measures": list(measures),
        "competition": cfg.competition,  # how the trained network is read changes every score
    }
    if split_seed is not None:  # absent otherwise: ids of studies without it stay as they were
        parts["split_seed"] = split_seed
    if network in ("snn", "both"):
        parts["snn"] = cfg.snn.to_dict()
    if network in ("dense", "both"):
        parts["dense"] = cfg.dense.to_dict()
    return config_hash(cfg.probes, parts)


def stored_config(run: Run) -> dict:
    """The run's config as stored: the sections its network reads (a dense run has no ``snn`` table)."""
    return {k: v for k, v in run.config.to_dict().items() if reads(run.network, k)}


# --- the store ------------------------------------------------------------------------------------
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, study TEXT NOT NULL, network TEXT NOT NULL, label TEXT NOT NULL,
    params TEXT NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL,
    result TEXT, error TEXT, started REAL, finished REAL, host TEXT, attempts INTEGER NOT NULL DEFAULT 1
);
CREATE TABLE IF NOT EXISTS studies (name TEXT PRIMARY KEY, spec TEXT NOT NULL, path TEXT, updated REAL);
CREATE TABLE IF NOT EXISTS claims (
    run_id TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, claimed REAL NOT NULL
);
"""


class Store:
    """A SQLite file of runs (WAL mode); each finished run is one committed transaction."""

    def __init__(self, path: str | os.PathLike, *, create: bool = True):
        self.path = Path(path)
        if not create and not self.path.exists():
            raise DataError(f"study store {str(self.path)!r} does not exist: run the study first or check the path")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30)
            if create:  # a writer; a reader leaves the file's journal mode (a published snapshot stays one file)
                self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise DataError(
                f"study store {str(self.path)!r} is not a usable SQLite file ({exc}): give another --store"
            ) from None
        except OSError as exc:
            raise DataError(
                f"study store {str(self.path)!r} cannot be created ({exc.strerror}): give a writable --store"
            ) from None

    def status(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT run_id, status FROM runs"))

    def n_done(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM runs WHERE status='done'").fetchone()[0]

    def attempts(self) -> dict[str, int]:
        """How many times each stored run was put (a run saved again counts up)."""
        return dict(self.db.execute("SELECT run_id, attempts FROM runs"))

    def put_study(self, study: Study) -> None:
        """Record the study's statistics spec (contrasts, alpha, smallest effects) for `study report`."""
        with self.db:
            self.db.execute(
                "INSERT INTO studies (name, spec, path, updated) VALUES (?,?,?,?) ON CONFLICT(name) DO UPDATE SET "
                "spec=excluded.spec, path=excluded.path, updated=excluded.updated",
                (study.name, json.dumps(study.spec(), sort_keys=True), study.path, time.time()),
            )

    def studies(self) -> dict[str, dict]:
        return {name: json.loads(spec) for name, spec in self.db.execute("SELECT name, spec FROM studies")}

    def _alive(self, host: str, pid: int, claimed: float) -> bool:
        """Whether a claim's owner may still be running: on this host, its process exists; on
        another host, the claim is younger than CLAIM_HOURS."""
        if host != socket.gethostname():
            return time.time() - claimed < CLAIM_HOURS * 3600
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def claim(self, run_ids: typing.Iterable[str]) -> list[str]:
        """Claim the runs no live `study run` holds and none has finished; returns those claimed.

        One write transaction (BEGIN IMMEDIATE), so two processes on one store never claim
        the same run: neither runs nor stores a run twice. Claims of dead processes are freed."""
        me, now = (socket.gethostname(), os.getpid()), time.time()
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            held = {rid: (h, p, c) for rid, h, p, c in self.db.execute("SELECT run_id, host, pid, claimed FROM claims")}
            done = {rid for (rid,) in self.db.execute("SELECT run_id FROM runs WHERE status='done'")}
            mine = []
            for rid in run_ids:
                if rid in done or (rid in held and (held[rid][:2] != me and self._alive(*held[rid]))):
                    continue
                self.db.execute(
                    "INSERT INTO claims (run_id, host, pid, claimed) VALUES (?,?,?,?) ON CONFLICT(run_id) DO UPDATE "
                    "SET host=excluded.host, pid=excluded.pid, claimed=excluded.claimed",
                    (rid, *me, now),
                )
                mine.append(rid)
        return mine

    def release(self) -> None:
        """Drop this process's claims (the runs it did not finish)."""
        with self.db:
            self.db.execute("DELETE FROM claims WHERE host=? AND pid=?", (socket.gethostname(), os.getpid()))

    def put(
        self, run: Run, study: str, status: str, result: dict | None, error: str | None, started: float, finished: float
    ) -> None:
        with self.db:  # one transaction, committed on exit
            self.db.execute("DELETE FROM claims WHERE run_id=?", (run.run_id,))
            self.db.execute(
                "INSERT INTO runs (run_id, study, network, label, params, seed, config, status, result, error, started,"
                " finished, host) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(run_id) DO UPDATE SET "
                "status=excluded.status, result=excluded.result, error=excluded.error, started=excluded.started,"
                " finished=excluded.finished, host=excluded.host, attempts=runs.attempts+1",
                (
                    run.run_id,
                    study,
                    run.network,
                    run.label,
                    json.dumps(run.params, sort_keys=True),
                    run.seed,
                    json.dumps(stored_config(run), sort_keys=True),
                    status,
                    None if result is None else json.dumps(result, allow_nan=True),
                    error,
                    started,
                    finished,
                    socket.gethostname(),
                ),
            )

    def rows(self) -> list[dict]:
        cur = self.db.execute(
            "SELECT run_id, study, network, label, params, seed, config, status, result, error, "
            "started, finished, attempts FROM runs ORDER BY study, label, params, seed"
        )
        cols = [c[0] for c in cur.description]
        out = []
        for values in cur:
            row = dict(zip(cols, values))
            row["params"] = json.loads(row["params"])
            row["config"] = json.loads(row["config"])
            row["result"] = json.loads(row["result"]) if row["result"] else None
            out.append(row)
        return out

    def snapshot(self, out: str | os.PathLike) -> int:
        """Write a consistent copy of the store to ``out`` (taken while a study may be writing to it):
        one self-contained SQLite file (no write-ahead log), without the claims of running
        processes, compacted; written beside ``out`` and renamed onto it. Returns the runs copied."""
        from probes.support import DataError

        out = Path(out)
        if out.resolve() == self.path.resolve():
            raise DataError(f"snapshot {str(out)!r} is the store itself: give another file")
        if out.is_dir() or Path(f"{out}-wal").exists():
            raise DataError(f"snapshot {str(out)!r} is a folder or an open SQLite file: give a new file path")
        try:
            out.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
        except OSError as exc:
            raise DataError(f"snapshot {str(out)!r} cannot be written ({exc.strerror}): give a writable path") from None
        os.close(fd)
        copy = None
        try:
            copy = sqlite3.connect(tmp)
            with copy:
                self.db.backup(copy)  # one read transaction: a consistent state
            copy.execute("PRAGMA journal_mode=DELETE")  # one file from here on
            with copy:
                copy.execute("DELETE FROM claims")
            copy.execute("VACUUM")
            n = copy.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
            copy.close()
            copy = None
            umask = os.umask(0)  # mkstemp made it 0600: give it the permissions open() would
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
            os.replace(tmp, out)
        except sqlite3.Error as exc:
            raise DataError(f"snapshot {str(out)!r} failed ({exc}): check the free space and the path") from None
        finally:
            if copy is not None:
                copy.close()
            for leftover in (tmp, f"{tmp}-wal", f"{tmp}-shm", f"{tmp}-journal"):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(leftover)
        return n

    def close(self) -> None:
        self.db.close()


# --- executing one run (on a Dask worker) -----------------------------------------------------------
def _one_thread() -> None:
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(1)  # one worker per core: no oversubscription
    threadpool_limits(limits=1)  # BLAS and OpenMP (scikit-learn's fits) in this worker process too
    try:
        import numba

        numba.set_num_threads(1)
    except (ImportError, ValueError):
        pass


def study_controls(cfg: ExperimentConfig, models: dict) -> dict:
    """The format-control models a study run measures beside its trained network(s).

    ``snn-long``: the spiking network read over ``probes.long_window`` times its window (not for
    a network fed a task's events: a longer window adds no input). ``<dense label>-spikes``: the
    dense network rendered as Poisson spikes at ``probes.spike_budget`` spikes per sample over the
    spiking config's window (a run trains one network, so the budget is stated, not measured)."""
    from .pipeline import budget_model, long_window_model

    out = {}
    for name, model in models.items():
        if name == "snn" and (long := long_window_model(cfg, model)) is not None:
            out["snn-long"] = long
        if name.startswith("dense") and cfg.probes.format_control and cfg.probes.spike_budget > 0:
            out[f"{name}-spikes"] = budget_model(
                cfg, model, cfg.probes.spike_budget, cfg.snn.presentation_ms, cfg.snn.bin_ms
            )
    return out


def _control(name: str) -> str | None:
    """The format-control kind of a study model label (see :func:`comparisons.pipeline.control_skips`)."""
    return "long" if name.endswith("-long") else "budget" if name.endswith("-spikes") else None


def measure_models(run: Run, task, models: dict) -> dict:
    """Every requested measurement of each trained model and its format controls
    (:func:`study_controls`), measured as ``scrutable compare`` does: ``{model label: {score: value}}``.

    Each model is first read under the test-time competition ``config.competition`` asks for
    (:func:`comparisons.pipeline.choose_competitions`; the chosen setting lands in the scores as
    ``competition.*``; a control inherits its network's), each measurement gets compare's sample
    cap and, for ``abstraction``, the abstractions compare builds
    (:func:`comparisons.pipeline.abstraction_options`). Only the main result is kept: no redraws,
    resamples or nulls."""
    from probes import MEASUREMENTS
    from probes.abstraction import null_scores
    from probes.uncertainty import assess, spike_budget

    from .pipeline import (
        abstraction_options,
        choose_competitions,
        competition_scores,
        control_skips,
        measure_options,
        not_applicable,
        task_accuracy,
    )

    cfg = run.config
    models, chosen = choose_competitions(cfg, models, task)
    models = {**models, **study_controls(cfg, models)}
    out = {}
    for name, model in models.items():
        rec = model.record(task.x_test)
        scores = {"accuracy": task_accuracy(task, rec), **competition_scores(model, chosen.get(name))}
        if (budget := spike_budget(rec)) is not None:
            scores["spikes.mean"], scores["spikes.silent_share"] = float(budget["mean"]), float(budget["silent_share"])
        for m in run.measures or tuple(MEASUREMENTS):
            if control_skips(cfg, _control(name), m):
                continue
            if reason := not_applicable(model, task, m):
                scores[f"{m}.error"] = reason
                continue
            try:
                extra = abstraction_options(model, task, cfg.seed) if m == "abstraction" else {}
                a = assess(
                    MEASUREMENTS[m],
                    model,
                    task,
                    recording=rec,
                    n_redraws=0,
                    n_resamples=0,
                    n_nulls=0,
                    seed=cfg.seed,
                    **measure_options(cfg, m),
                    **extra,
                )
                scores.update({f"{m}.{k}": float(v) for k, v in a.result.scores.items()})
                if m == "abstraction":  # its own null (units shuffled), beside each score
                    scores.update({f"{m}.{k}": v for k, v in null_scores(a.result).items()})
            except ScrutableError as exc:
                scores[f"{m}.error"] = str(exc)
        out[name] = scores
    return out


def execute_run(run: Run) -> dict:
    """Train the run's network(s) and measure them; returns plain JSON-able results."""
    _one_thread()
    from dense import DenseNetwork
    from snn import SpikingNetwork

    cfg = run.config
    task = cfg.task.load(run.data_seed)
    models = {}
    if run.network in ("snn", "both"):
        from .pipeline import as_probeable, fit_spiking  # (an event task: fed its events)

        models["snn"] = as_probeable(fit_spiking(SpikingNetwork(cfg.snn, seed=cfg.seed), task), task)
    if run.network in ("dense", "both"):
        models[f"dense-{cfg.dense.learning}"] = DenseNetwork(cfg.dense, seed=cfg.seed).fit(task.x_train, task.y_train)
    return measure_models(run, task, models)


def _run_task(run: Run) -> tuple[str, str, dict | None, str | None, float, float]:
    started = time.time()
    try:
        return run.run_id, "done", execute_run(run), None, started, time.time()
    except Exception as exc:  # a failed run is stored with its error and does not stop the study
        text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        return run.run_id, "failed", None, text, started, time.time()


def _quiet_resource_tracker() -> None:
    """Start multiprocessing's resource tracker without its shutdown warning about semaphores left by
    worker processes stopped mid-run (it unlinks them anyway): after a Ctrl-C it is noise, not advice."""
    import sys
    from multiprocessing import resource_tracker

    flag = "ignore::UserWarning"  # the tracker inherits the parent's -W options when it starts
    sys.warnoptions.append(flag)
    try:
        resource_tracker.ensure_running()
    finally:
        sys.warnoptions.remove(flag)


def replica_key(run: Run) -> str | None:
    """Runs with equal keys differ only in their seed and share their training data: one
    ``fit_replicas`` trains them together. None for runs that cannot be batched (dense networks,
    tasks whose data depend on the seed)."""
    if run.network != "snn":
        return None
    cfg = run.config
    if run.split_seed is None:  # every task's data (split, subset, draws) depend on the run's seed
        return None
    return json.dumps(
        [
            cfg.snn.to_dict(),
            cfg.task.to_dict(),
            cfg.probes.to_dict(),
            list(run.measures),
            run.split_seed,
            cfg.competition,
        ],
        sort_keys=True,
    )


def replica_groups(runs: list[Run], replicas: bool = True) -> list[list[Run]]:
    """Runs grouped for execution: the seeds of one spiking config together (see :func:`replica_key`),
    every other run alone. Order follows the first run of each group."""
    groups: dict[Any, list[Run]] = {}
    for i, r in enumerate(runs):
        key = replica_key(r) if replicas else None
        groups.setdefault(key if key is not None else i, []).append(r)
    return list(groups.values())


def _run_group(runs: list[Run]) -> list[tuple[str, str, dict | None, str | None, float, float]]:
    """Execute a replica group: one ``fit_replicas`` for every seed, then each network measured as its run.
    A single run goes through :func:`_run_task`. Network r equals ``SpikingNetwork(cfg, seed=seeds[r]).fit``,
    so a run's result does not depend on its group."""
    if len(runs) == 1:
        return [_run_task(runs[0])]
    started = time.time()
    try:
        _one_thread()
        from snn import SpikingNetwork

        task = runs[0].config.task.load(runs[0].data_seed)
        from .events import spiking_training_inputs
        from .pipeline import as_probeable

        x, events = spiking_training_inputs(task)  # an event task: its events
        nets = SpikingNetwork.fit_replicas(
            runs[0].config.snn, [r.seed for r in runs], x, task.y_train, input_spikes=events
        )
        nets = [as_probeable(net, task) for net in nets]
    except Exception as exc:  # the whole group failed to train: each run stores the error
        text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        return [(r.run_id, "failed", None, text, started, time.time()) for r in runs]
    share = (time.time() - started) / len(runs)  # each run is charged its share of the joint training
    out = []
    for run, net in zip(runs, nets):
        t0 = time.time()
        try:
            result = measure_models(run, task, {"snn": net})
            out.append((run.run_id, "done", result, None, t0 - share, time.time()))
        except Exception as exc:
            text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
            out.append((run.run_id, "failed", None, text, t0 - share, time.time()))
    return out


def connect(scheduler: str | None, workers: int):
    """A Dask client: an existing scheduler by address, else a LocalCluster of ``workers`` processes.

    The local workers ignore SIGINT (a Ctrl-C reaches the whole process group): the client
    process alone handles it and shuts them down, so the user sees one line, not a
    traceback per worker.
    """
    import logging
    import signal

    from distributed import Client, LocalCluster

    if scheduler:
        try:
            _refused_at_once(scheduler)
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise DataError(
                f"--scheduler {scheduler} is unreachable ({type(exc).__name__}): start it with "
                "`dask scheduler` or drop --scheduler to use a local cluster"
            ) from None
    _quiet_resource_tracker()
    # "ignore" is the only disposition that survives the exec of the fork server (a handler does not),
    # which its workers keep. It is process-wide, so a Ctrl-C while the workers start (seconds, before
    # any run) is lost; blocking SIGINT instead would depend on which of distributed's threads starts them.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)  # inherited by the worker processes
    try:
        # Dask's own logs are kept off the terminal, errors included: a worker whose heartbeat meets the
        # scheduler closing after a Ctrl-C logs an ERROR with its traceback (seen on a loaded machine),
        # and what a user must know reaches the client anyway, as a run's stored error or an exception.
        with _forked_workers():
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=":0",
                silence_logs=logging.CRITICAL,
                env=dict(os.environ),
            )
    finally:
        signal.signal(signal.SIGINT, previous)
    return Client(cluster), cluster


# What a worker imports to train and measure: preloaded once by the fork server (below).
WORKER_IMPORTS = (
    "distributed",
    "comparisons.study",
    "comparisons.pipeline",
    "snn.network",
    "dense.network",
    "probes.registry",
    "sklearn.linear_model",
    "scipy.stats",
)


@contextlib.contextmanager
def _forked_workers():
    """Start the local workers by forking multiprocessing's fork server, which imports
    :data:`WORKER_IMPORTS` once, instead of spawning interpreters that each import torch, numba,
    scikit-learn and SciPy (about 8 s of CPU per worker; docs/performance.md).

    The fork server is started by a process's first study and serves its later ones; it has only
    imported, run nothing, so a forked worker starts as a spawned one would. It starts while
    SIGINT is ignored (see :func:`connect`), and its workers keep that. A worker the nanny restarts
    after a crash is spawned (Dask's default) and imports for itself. The environment at connect
    time is passed to each worker (``env``); variables a library reads when imported (``NUMBA_*``,
    ``OMP_*``) are those of the process's first study.
    """
    import multiprocessing

    import dask
    from distributed.utils import get_mp_context

    if "forkserver" not in multiprocessing.get_all_start_methods():  # Windows: Dask's default, spawn
        yield
        return
    with dask.config.set({"distributed.worker.multiprocessing-method": "forkserver"}):
        get_mp_context().set_forkserver_preload(list(WORKER_IMPORTS))  # after distributed's own call
        yield


def _refused_at_once(scheduler: str) -> None:
    """Raise ``OSError`` when nothing listens at a ``tcp://host:port`` address: Dask's client
    would retry a refused connection until its 10 s timeout. Other addresses are left to Dask."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(scheduler)
    if scheme == "tcp":
        with socket.create_connection(parse_host_port(location), timeout=10):
            pass


@contextlib.contextmanager
def _ctrl_c_interrupts():
    """While the block runs, Ctrl-C (SIGINT) raises KeyboardInterrupt in the main thread, even in a
    process that inherited SIGINT ignored; the previous disposition comes back afterwards.

    A command started as a background job of a non-interactive shell (``cmd &`` in a script, a CI
    runner, anything under ``nohup sh -c '... &'``) starts with SIGINT ignored (POSIX), and Python then
    leaves it ignored instead of installing ``default_int_handler``: a study started that way ran
    to its end through every Ctrl-C sent to its process group (the CI failure of the Ctrl-C test).
    ``study run`` promises that Ctrl-C stops it with one line and that rerunning resumes, so an
    inherited "ignore" (or the default action, which would kill the process without releasing its
    claims) is replaced for the duration; a handler installed from Python (an application's own)
    is kept. Off the main thread signals cannot be handled and nothing changes.
    """
    import signal
    import threading

    previous = signal.getsignal(signal.SIGINT)
    replace = threading.current_thread() is threading.main_thread() and previous in (signal.SIG_IGN, signal.SIG_DFL)
    if replace:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if replace:
            signal.signal(signal.SIGINT, previous)


class StudyInterrupted(KeyboardInterrupt):
    """Ctrl-C during `study run`: what was saved, and how to resume."""

    def __init__(self, saved: int, done: int, total: int, store: str):
        super().__init__(
            f"interrupted: {saved} run(s) saved by this session, {done} of {total} done in {store}; "
            "rerun the same command to resume"
        )


def _quiet_shutdown(client, cluster) -> None:
    """Close the client and cluster without Dask's shutdown chatter (logged errors, cancelled tasks)."""
    import logging

    for name in ("distributed", "tornado", "asyncio"):
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    try:
        client.close(timeout=10)
    except Exception:  # noqa: BLE001 - the cluster may already be gone
        pass
    if cluster is not None:
        try:
            cluster.close(timeout=10)
        except Exception:  # noqa: BLE001
            pass


def pending(study: Study, store: Store, retry_failed: bool = False) -> list[Run]:
    """The study's runs not yet done in the store (nor failed, unless ``retry_failed``)."""
    status = store.status()
    return [
        r for r in study.runs if status.get(r.run_id) != "done" and (retry_failed or status.get(r.run_id) != "failed")
    ]


def estimate_seconds(store: Store, todo: list[Run], workers: int) -> tuple[float | None, int]:
    """Expected wall time of ``todo`` on ``workers``: each run takes the mean duration of the store's
    finished runs of its network. Returns ``(seconds, unknown)``: the runs of a network with no
    finished run yet are not counted (``unknown`` of them); ``seconds`` is None when none is."""
    rows = store.db.execute("SELECT network, AVG(finished - started) FROM runs WHERE status='done' GROUP BY network")
    mean = {net: sec for net, sec in rows if sec is not None}
    known = [mean[r.network] for r in todo if r.network in mean]
    return (sum(known) / max(workers, 1) if known else None), len(todo) - len(known)


def run_study(
    study: Study,
    store: Store,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    retry_failed: bool = False,
    progress: bool = True,
    replicas: bool | None = None,
) -> dict[str, int]:
    """Submit every run not yet done; commit each result as it completes. Returns counts.

    The seeds of one spiking config that share their data train together in one task
    (``fit_replicas``) unless ``replicas`` (default: the study's ``replicas``) is False.

    Ctrl-C raises :class:`StudyInterrupted` (a KeyboardInterrupt) after the cluster is shut
    down: every finished run is already committed, and the same call resumes.
    """
    from distributed import as_completed
    from tqdm.auto import tqdm

    store.put_study(study)
    todo = pending(study, store, retry_failed)
    mine = set(store.claim(r.run_id for r in todo))
    counts = {
        "total": len(study.runs),
        "skipped": len(study.runs) - len(todo),
        "busy": len(todo) - len(mine),  # claimed by another live `study run` on this store
        "done": 0,
        "failed": 0,
    }
    todo = [r for r in todo if r.run_id in mine]
    if not todo:
        return counts
    before = store.attempts()  # a Ctrl-C may land between a put and its count: the store says what was saved
    by_id = {r.run_id: r for r in todo}
    client = cluster = None
    bar = None
    with _ctrl_c_interrupts():  # even when launched with SIGINT ignored
        try:
            client, cluster = connect(scheduler, workers)
            groups = replica_groups(todo, study.replicas if replicas is None else replicas)
            futures = [client.submit(_run_group, g, key=f"runs-{g[0].run_id}-{len(g)}", pure=False) for g in groups]
            bar = tqdm(total=len(todo), desc=f"study {study.name}", unit="run", disable=not progress)
            for fut in as_completed(futures):
                for run_id, state, result, error, started, finished in fut.result():
                    store.put(by_id[run_id], study.name, state, result, error, started, finished)
                    counts[state] += 1
                    bar.update(1)
            # shut down inside the try: a Ctrl-C while the cluster closes is reported like any other
            client.close()
            if cluster is not None:
                cluster.close()
            client = None
        except KeyboardInterrupt:
            if bar is not None:
                bar.close()
            if client is not None:
                _quiet_shutdown(client, cluster)
            client = None
            after = store.attempts()
            saved = sum(after.get(rid, 0) != before.get(rid, 0) for rid in mine)
            raise StudyInterrupted(saved, store.n_done(), len(study.runs), str(store.path)) from None
        finally:
            store.release()
            if bar is not None:
                bar.close()
            if client is not None:
                client.close()
                if cluster is not None:
                    cluster.close()
    return counts


# --- reading a store ------------------------------------------------------------------------------------
_MISSING = object()


def same(a, b) -> bool:
    """Typed equality for filters: 10 == 10.0, [100] == (100,), True is not 1, "x" == "x"."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def observations(rows: list[dict], *, done_only: bool = True) -> list[dict]:
    """One entry per (run, trained model): ``label``, ``network``, ``seed``, ``task``, ``status``, ``run_id``,
    ``params`` and ``keys`` (the grid point and flat config, restricted to what the model reads) and ``scores``.

    Runs of older stores that trained both networks give two entries. With ``done_only=False``
    a failed run gives one entry with empty scores."""
    out = []
    for row in rows:
        results = row["result"] if row["status"] == "done" and row["result"] else None
        if results is None and done_only:
            continue
        for label, scores in (results or {row["label"]: {}}).items():
            net = "snn" if label == "snn" else "dense" if label.startswith("dense") else row["network"]
            keys = {k: v for k, v in flatten(row["config"]).items() if reads(label, k)}
            params = {k: v for k, v in row["params"].items() if reads(label, k)}
            out.append(
                {
                    "run_id": row["run_id"],
                    "study": row["study"],
                    "label": label,
                    "network": net,
                    "seed": row["seed"],
                    "status": row["status"],
                    "task": keys.get("task.name", "?"),
                    "params": params,
                    "keys": {**keys, **params},
                    "scores": scores if net == "dense" else floored_abstraction(scores),
                    "error": row.get("error"),
                }
            )
    return out


def floored_abstraction(scores: dict) -> dict:
    """A spiking run's scores with its abstraction ratios read as the current measurement computes
    them. Runs stored before the ceiling floor (no ``abstraction.ceiling_ablation_corr``) divided by
    any ceiling, however near 0 (or kept the raw value when it was 0): their ablation correlations
    and nulls are dropped (that ceiling was not stored), and a fidelity or IIA ratio whose stored
    ceiling is below ``probes.abstraction.MIN_CEILING`` becomes NaN. A dense network's ceiling is
    1 by construction, so its scores are the same either way (the caller leaves them)."""
    if "abstraction.ceiling_fidelity" not in scores or "abstraction.ceiling_ablation_corr" in scores:
        return scores
    from probes.abstraction import STANDARD, ratio_to_ceiling

    old = [k for k in scores if k.startswith("abstraction.") and k.removesuffix("_null").endswith("_ablation_corr")]
    out = {k: v for k, v in scores.items() if k not in old}
    for what in ("fidelity", "iia"):
        if math.isnan(ratio_to_ceiling(1.0, scores.get(f"abstraction.ceiling_{what}", 1.0))):  # the measurement's rule
            for name in STANDARD:
                for key in (f"abstraction.{name}_{what}", f"abstraction.{name}_{what}_null"):
                    if key in out:
                        out[key] = float("nan")
    return out


def matches(obs: dict, where: dict[str, Any]) -> bool:
    """Whether an observation has every ``key = value`` of ``where`` (typed comparison, see :func:`same`).

    A config key the observation's network does not read (``snn.delay_ms`` for a dense network)
    does not match."""
    for k, v in where.items():
        have = obs[k] if k in ROW_KEYS else obs["keys"].get(k, _MISSING)
        if have is _MISSING or not same(have, v):
            return False
    return True


def parse_where(items: typing.Iterable[str], flag: str = "--where") -> dict[str, Any]:
    """``["snn.delay_ms=10", "task.name=bars"]`` -> typed filters; unknown keys are errors naming them."""
    out = {}
    for item in items:
        if "=" not in item:
            raise ConfigError(f"{flag} {item!r} is not key=value: write e.g. {flag} snn.delay_ms=5")
        k, v = (s.strip() for s in item.split("=", 1))
        check_filter_key(k, flag)
        out[k] = parse_value(v)
    return out


def table(rows: list[dict], where: dict[str, Any] | None = None, *, done_only: bool = False) -> list[dict]:
    """Observations (see :func:`observations`) that match every filter of ``where``."""
    return [o for o in observations(rows, done_only=done_only) if matches(o, where or {})]


def score_names(obs: list[dict]) -> list[str]:
    """Every numeric score any observation holds, sorted (``accuracy`` first)."""
    names = {k for o in obs for k, v in o["scores"].items() if isinstance(v, (int, float))}
    return sorted(names, key=lambda s: (s != "accuracy", s))


def check_scores(obs: list[dict], wanted: typing.Iterable[str], flag: str) -> None:
    """Each wanted score must be one the store holds; otherwise an error naming it and the valid ones."""
    have = score_names(obs)
    if not have:
        raise DataError("the store has no finished run (nothing matched, or every run failed): run the study first")
    for s in wanted:
        if s not in have:
            raise unknown_name(flag, s, have)


def per_seed(values: typing.Iterable[tuple[int, float]]) -> dict[int, float]:
    """``(seed, value)`` pairs -> one value per seed (the mean of any copies): intervals count seeds, not rows."""
    acc: dict[int, list[float]] = {}
    for seed, v in values:
        acc.setdefault(int(seed), []).append(float(v))
    return {s: float(np.mean(v)) for s, v in sorted(acc.items())}


def line_names(obs: list[dict], exclude: typing.Iterable[str] = ()) -> dict[int, str]:
    """id(observation) -> its line: the model label plus every grid key that varies within the
    same task and label (``snn jitter_ms=2.0``); task keys and ``exclude`` are left out."""
    exclude = set(exclude)
    groups: dict[tuple[str, str], list[dict]] = {}
    for o in obs:
        groups.setdefault((o["task"], o["label"]), []).append(o)
    out = {}
    for members in groups.values():
        keys = {k for o in members for k in o["params"] if k not in exclude and not k.startswith("task.")}
        keys.discard("dense.learning")  # already in the label
        varying = sorted(k for k in keys if len({json.dumps(o["params"].get(k)) for o in members}) > 1)
        for o in members:
            suffix = " ".join(f"{k.split('.')[-1]}={o['params'].get(k)}" for k in varying)
            out[id(o)] = f"{o['label']} {suffix}".strip()
    return out


def series(rows: list[dict], x: str, y: str) -> dict[tuple[str, str], dict[Any, list[float]]]:
    """(task, line) -> x value -> y over distinct seeds; y is ``measure.score`` or ``accuracy``.

    A line is a network / learning rule, split further by any other grid parameter that
    varies within it (``snn jitter_ms=2``). A network that does not read ``x`` (a dense run
    against ``snn.delay_ms``) gets x = None. Copies of one seed count once (their mean).
    """
    obs = [o for o in observations(rows) if y in o["scores"]]
    names = line_names(obs, exclude=[x])
    acc: dict[tuple[str, str], dict[Any, list[tuple[int, float]]]] = {}
    for o in obs:
        xv = o["keys"].get(x) if reads(o["label"], x) else None
        if isinstance(xv, list):
            xv = tuple(xv)
        acc.setdefault((o["task"], names[id(o)]), {}).setdefault(xv, []).append((o["seed"], o["scores"][y]))
    return {key: {xv: list(per_seed(pairs).values()) for xv, pairs in d.items()} for key, d in acc.items()}


def conditions(rows: list[dict], y: str) -> dict[str, dict[str, list[float]]]:
    """task -> condition -> y over distinct seeds; a condition is a line of :func:`line_names`
    (``snn delay_ms=0.0 jitter_ms=2.0``, ``dense-sgd``)."""
    obs = [o for o in observations(rows) if y in o["scores"]]
    names = line_names(obs)
    acc: dict[str, dict[str, list[tuple[int, float]]]] = {}
    for o in obs:
        acc.setdefault(o["task"], {}).setdefault(names[id(o)], []).append((o["seed"], o["scores"][y]))
    return {t: {c: list(per_seed(p).values()) for c, p in d.items()} for t, d in acc.items()}


def mean_ci(values: list[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95% confidence interval (Student t over seeds)."""
    from scipy import stats

    v = np.asarray(values, float)
    if len(v) < 2:
        return float(v.mean()), 0.0
    return float(v.mean()), float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
