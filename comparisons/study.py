"""Parameter studies: a grid (or random sample) of configs x seeds, run on Dask, stored in SQLite.

A study file (TOML)::

    [study]
    name = "asynchrony"
    seeds = [0, 1, 2]
    measures = ["decoding", "ablation"]    # empty or missing: all
    [base]                                  # the experiment config every run starts from
    snn.n_neurons = 50
    [grid]                                  # axes shared by every arm
    "task.name" = ["digits", "bars"]
    [[arms]]                                # one arm per network family
    network = "snn"                         # "snn", "dense" or "both"
    grid = { "snn.delay_ms" = [0, 5], "snn.jitter_ms" = [0, 2] }
    random = 0                              # > 0: sample that many grid points (seeded by study.seed)

A grid value that is a table applies several keys together (a *linked* axis), e.g.
``case = [{ "task.name" = "digits" }, { "task.name" = "bars", "dense.inhibition" = 0.6 }]``.

Every run (one grid point x seed x arm) is one Dask task; its result is committed to the
SQLite store (WAL mode, one transaction) the moment it finishes, keyed by a hash of its
full config, so running the study again skips what is done.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import socket
import sqlite3
import time
import traceback
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from probes.support import ConfigError, DataError, ScrutableError

from .config import ExperimentConfig, _unknown, apply_overrides, config_hash, flatten, from_dict, load_toml

NETWORKS = ("snn", "dense", "both")


@dataclass(frozen=True)
class Run:
    run_id: str
    arm: int
    network: str  # "snn" | "dense" | "both"
    params: dict  # the grid point (dotted key -> value)
    seed: int
    config: ExperimentConfig
    measures: tuple[str, ...]

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


def _check_key(key: str) -> None:
    """A grid key must be a config key (value, not table)."""
    parts = key.split(".")
    cls = ExperimentConfig
    for i, part in enumerate(parts):
        fields = {f.name: f for f in dataclasses.fields(cls)}
        if part not in fields:
            raise _unknown(".".join(parts[i:]), "".join(p + "." for p in parts[:i]), cls)
        tp = typing.get_type_hints(cls)[part]
        if i < len(parts) - 1:
            if not (isinstance(tp, type) and dataclasses.is_dataclass(tp)):
                raise ConfigError(f"study grid key {key!r}: {'.'.join(parts[: i + 1])!r} is a value, not a table")
            cls = tp
        elif isinstance(tp, type) and dataclasses.is_dataclass(tp):
            raise ConfigError(f"study grid key {key!r} is a table: vary one of its keys, e.g. {key}.KEY")


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


def load_study(path: str | os.PathLike) -> Study:
    """Parse and validate a study file; every run's config is built (so bad keys fail here, before any work)."""
    data = load_toml(path)
    known = {"study", "base", "grid", "arms"}
    for k in data:
        if k not in known:
            raise ConfigError(f"study file {os.fspath(path)!r}: unknown table {k!r}: use {', '.join(sorted(known))}")
    head = data.get("study", {})
    for k in head:
        if k not in {"name", "seeds", "measures", "seed"}:
            raise ConfigError(f"study.{k} is unknown: valid keys are name, seeds, measures, seed")
    name = head.get("name", Path(path).stem)
    seeds = head.get("seeds", [0])
    if (
        not isinstance(seeds, list)
        or not seeds
        or not all(isinstance(s, int) and not isinstance(s, bool) for s in seeds)
    ):
        raise ConfigError(f"study.seeds={seeds!r} must be a non-empty list of integers")
    measures = head.get("measures", [])
    from probes import MEASUREMENTS

    bad = [m for m in measures if m not in MEASUREMENTS]
    if bad:
        raise ConfigError(f"study.measures has unknown {bad}: choose from {', '.join(MEASUREMENTS)}")
    base = flatten(data.get("base", {}))
    for k in base:
        _check_key(k)
    shared = _axes(data.get("grid", {}), "grid")
    arms = data.get("arms", [{"network": "both"}])
    if not isinstance(arms, list) or not arms:
        raise ConfigError("study arms must be a non-empty array of tables ([[arms]])")
    rng = np.random.default_rng(int(head.get("seed", 0)))
    runs, seen = [], set()
    for a, arm in enumerate(arms):
        for k in arm:
            if k not in {"network", "grid", "random"}:
                raise ConfigError(f"arms[{a}].{k} is unknown: valid keys are network, grid, random")
        network = arm.get("network", "both")
        if network not in NETWORKS:
            raise ConfigError(f"arms[{a}].network={network!r} is not allowed: use one of {', '.join(NETWORKS)}")
        axes = shared + _axes(arm.get("grid", {}), f"arms[{a}].grid")
        points = [
            dict(itertools.chain.from_iterable(d.items() for d in combo))
            for combo in itertools.product(*(values for _, values in axes))
        ] or [{}]
        n_random = int(arm.get("random", 0))
        if n_random > 0 and n_random < len(points):
            points = [points[i] for i in sorted(rng.choice(len(points), size=n_random, replace=False))]
        for point in points:
            overrides = [f"{k}={_toml_value(v)}" for k, v in {**base, **point}.items()]
            for seed in seeds:
                try:
                    cfg = from_dict(
                        ExperimentConfig, apply_overrides({}, overrides + [f"seed={seed}"], ExperimentConfig)
                    )
                except ConfigError as exc:
                    raise ConfigError(f"study run {point} seed {seed}: {exc}") from None
                run_id = _run_id(network, cfg, tuple(measures))
                if run_id in seen:
                    continue
                seen.add(run_id)
                runs.append(Run(run_id, a, network, point, seed, cfg, tuple(measures)))
    if not runs:
        raise ConfigError(f"study {os.fspath(path)!r} expands to no runs: give at least one seed and grid value")
    return Study(str(name), tuple(runs), os.fspath(path))


def _run_id(network: str, cfg: ExperimentConfig, measures: tuple) -> str:
    """Hash of what the run computes: only the parts of the config its networks read."""
    parts = {
        "task": cfg.task.to_dict(),
        "seed": cfg.seed,
        "probes": cfg.probes.to_dict(),
        "network": network,
        "measures": list(measures),
    }
    if network in ("snn", "both"):
        parts["snn"] = cfg.snn.to_dict()
    if network in ("dense", "both"):
        parts["dense"] = cfg.dense.to_dict()
    return config_hash(cfg.probes, parts)


# --- the store ------------------------------------------------------------------------------------
SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, study TEXT NOT NULL, network TEXT NOT NULL, label TEXT NOT NULL,
    params TEXT NOT NULL, seed INTEGER NOT NULL, config TEXT NOT NULL, status TEXT NOT NULL,
    result TEXT, error TEXT, started REAL, finished REAL, host TEXT, attempts INTEGER NOT NULL DEFAULT 1
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

    def put(
        self, run: Run, study: str, status: str, result: dict | None, error: str | None, started: float, finished: float
    ) -> None:
        with self.db:  # one transaction, committed on exit
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
                    json.dumps(run.config.to_dict(), sort_keys=True),
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

    def close(self) -> None:
        self.db.close()


# --- executing one run (on a Dask worker) -----------------------------------------------------------
def execute_run(run: Run) -> dict:
    """Train the run's network(s) and measure them; returns plain JSON-able results."""
    import torch

    torch.set_num_threads(1)  # one worker per core: no oversubscription
    try:
        import numba

        numba.set_num_threads(1)
    except (ImportError, ValueError):
        pass
    from dense import DenseNetwork
    from probes import MEASUREMENTS
    from snn import SpikingNetwork

    from .pipeline import task_accuracy

    cfg = run.config
    task = cfg.task.load(cfg.seed)
    models = {}
    if run.network in ("snn", "both"):
        models["snn"] = SpikingNetwork(cfg.snn, seed=cfg.seed).fit(task.x_train, task.y_train)
    if run.network in ("dense", "both"):
        models[f"dense-{cfg.dense.learning}"] = DenseNetwork(cfg.dense, seed=cfg.seed).fit(task.x_train, task.y_train)
    out = {}
    for name, model in models.items():
        rec = model.record(task.x_test)
        scores = {"accuracy": task_accuracy(task, rec)}
        for m in run.measures or tuple(MEASUREMENTS):
            opts = {"seed": cfg.seed}
            if m != "receptive_fields":
                opts.update(
                    recording=rec,
                    max_samples=min(cfg.probes.max_samples, 200)
                    if m in ("ablation", "patching")
                    else cfg.probes.max_samples,
                )
            try:
                r = MEASUREMENTS[m](model, task, **opts)
                scores.update({f"{m}.{k}": float(v) for k, v in r.scores.items()})
            except ScrutableError as exc:
                scores[f"{m}.error"] = str(exc)
        out[name] = scores
    return out


def _run_task(run: Run) -> tuple[str, str, dict | None, str | None, float, float]:
    started = time.time()
    try:
        return run.run_id, "done", execute_run(run), None, started, time.time()
    except Exception as exc:  # a failed run is stored with its error and does not stop the study
        text = f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
        return run.run_id, "failed", None, text, started, time.time()


def connect(scheduler: str | None, workers: int):
    """A Dask client: an existing scheduler by address, else a LocalCluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError) as exc:
            raise DataError(
                f"--scheduler {scheduler} is unreachable ({type(exc).__name__}): start it with "
                "`dask scheduler` or drop --scheduler to use a local cluster"
            ) from None
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    return Client(cluster), cluster


def run_study(
    study: Study,
    store: Store,
    *,
    scheduler: str | None = None,
    workers: int = 2,
    retry_failed: bool = False,
    progress: bool = True,
) -> dict[str, int]:
    """Submit every run not yet done; commit each result as it completes. Returns counts."""
    from distributed import as_completed
    from tqdm.auto import tqdm

    status = store.status()
    todo = [
        r for r in study.runs if status.get(r.run_id) != "done" and (retry_failed or status.get(r.run_id) != "failed")
    ]
    counts = {"total": len(study.runs), "skipped": len(study.runs) - len(todo), "done": 0, "failed": 0}
    if not todo:
        return counts
    client, cluster = connect(scheduler, workers)
    by_id = {r.run_id: r for r in todo}
    try:
        futures = [client.submit(_run_task, r, key=f"run-{r.run_id}", pure=False) for r in todo]
        bar = tqdm(total=len(todo), desc=f"study {study.name}", unit="run", disable=not progress)
        for fut in as_completed(futures):
            run_id, state, result, error, started, finished = fut.result()
            store.put(by_id[run_id], study.name, state, result, error, started, finished)
            counts[state] += 1
            bar.update(1)
        bar.close()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return counts


# --- reading a store ------------------------------------------------------------------------------------
def table(rows: list[dict], where: dict[str, str] | None = None) -> list[dict]:
    """Rows whose params/config match every ``key=value`` filter (values compared as strings)."""
    out = []
    for row in rows:
        flat = {
            **flatten(row["config"]),
            **row["params"],
            "network": row["network"],
            "label": row["label"],
            "status": row["status"],
            "seed": row["seed"],
        }
        if all(str(flat.get(k)) == v for k, v in (where or {}).items()):
            out.append(row)
    return out


def series(rows: list[dict], x: str, y: str) -> dict[tuple[str, str], dict[Any, list[float]]]:
    """(task, line) -> x value -> list of y over seeds; y is ``measure.score`` or ``accuracy``.

    A line is a network / learning rule, split further by any other grid parameter that
    varies within it (``snn jitter_ms=2``). A network whose config lacks ``x`` (a dense run
    against ``snn.delay_ms``) gets x = None.
    """
    done = [r for r in rows if r["status"] == "done" and r["result"]]
    if done and x not in flatten(done[0]["config"]):
        raise ConfigError(f"--x {x!r} is not a config key: use e.g. snn.delay_ms")
    groups: dict[tuple[str, str], list[dict]] = {}
    for row in done:
        for model_label in row["result"]:
            groups.setdefault((flatten(row["config"])["task.name"], model_label), []).append(row)
    out: dict[tuple[str, str], dict[Any, list[float]]] = {}
    for (task, model_label), members in groups.items():
        keys = {k for r in members for k in r["params"] if k != x and not k.startswith("task.")}
        varying = sorted(k for k in keys if len({json.dumps(r["params"].get(k)) for r in members}) > 1)
        for row in members:
            scores = row["result"][model_label]
            if y not in scores:
                continue
            suffix = " ".join(f"{k.split('.')[-1]}={row['params'].get(k)}" for k in varying)
            line = f"{model_label} {suffix}".strip()
            uses_x = x.split(".")[0] != ("snn" if model_label.startswith("dense") else "dense")
            xv = flatten(row["config"])[x] if uses_x else None
            out.setdefault((task, line), {}).setdefault(xv, []).append(float(scores[y]))
    return out


def mean_ci(values: list[float]) -> tuple[float, float]:
    """Mean and the half-width of its 95% confidence interval (Student t over seeds)."""
    from scipy import stats

    v = np.asarray(values, float)
    if len(v) < 2:
        return float(v.mean()), 0.0
    return float(v.mean()), float(stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))


def plot(rows: list[dict], x: str, y: str):
    """Mean and 95% CI over seeds of ``y`` against ``x``, one line per network / learning rule, a panel per task.

    Networks whose config has no ``x`` (dense runs against ``snn.delay_ms``) are drawn as a
    horizontal band at their mean.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    data = series(rows, x, y)
    if not data:
        raise DataError(f"the store has no finished run with score {y!r}: scores look like decoding.selectivity")
    tasks = sorted({t for t, _ in data})
    fig, axes = plt.subplots(1, len(tasks), figsize=(5 * len(tasks), 3.6), squeeze=False)
    for ax, task in zip(axes[0], tasks):
        xs_all = sorted({xv for (t, _), d in data.items() if t == task for xv in d if xv is not None})
        for (t, label), d in sorted(data.items()):
            if t != task:
                continue
            if None in d:  # this network does not have the x parameter: a band
                m, h = mean_ci(d[None])
                line = ax.axhline(m, ls="--", label=f"{label} (no {x})")
                if xs_all:
                    ax.fill_between([min(xs_all), max(xs_all)], m - h, m + h, alpha=0.15, color=line.get_color())
                continue
            xs = sorted(d)
            stats = [mean_ci(d[v]) for v in xs]
            ax.errorbar(xs, [s[0] for s in stats], yerr=[s[1] for s in stats], marker="o", capsize=3, label=label)
        ax.set_title(f"task: {task}")
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.legend(fontsize=7)
    fig.suptitle(f"{y} vs {x} (mean and 95% CI over seeds)", fontsize=10)
    fig.tight_layout()
    return fig


def conditions(rows: list[dict], y: str) -> dict[str, dict[str, list[float]]]:
    """task -> condition -> values over seeds; a condition is a network label plus its grid point
    (task keys left out), e.g. ``snn delay_ms=0.0 jitter_ms=2.0``."""
    out: dict[str, dict[str, list[float]]] = {}
    for row in rows:
        if row["status"] != "done" or not row["result"]:
            continue
        task = flatten(row["config"])["task.name"]
        point = " ".join(
            f"{k.split('.')[-1]}={v}"
            for k, v in sorted(row["params"].items())
            if not k.startswith("task.")
            and k != "dense.learning"
            and not (row["network"] == "snn" and k.startswith("dense."))
        )
        for model_label, scores in row["result"].items():
            if y in scores:
                name = f"{model_label} {point}".strip() if model_label == "snn" else model_label
                out.setdefault(task, {}).setdefault(name, []).append(float(scores[y]))
    return out


def headline_figure(rows: list[dict], scores: list[str]):
    """One panel per score: every condition's mean and 95% CI over seeds, a colour per task."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    n = len(scores)
    cols = 3
    fig, axes = plt.subplots(-(-n // cols), cols, figsize=(5.2 * cols, 3.3 * -(-n // cols)), squeeze=False)
    for ax, y in zip(axes.ravel(), scores):
        data = conditions(rows, y)
        names = sorted({c for d in data.values() for c in d}, key=lambda c: (not c.startswith("snn"), c))
        width = 0.8 / max(len(data), 1)
        for k, (task, d) in enumerate(sorted(data.items())):
            stats = [mean_ci(d[c]) if c in d else (np.nan, 0.0) for c in names]
            ax.barh(
                np.arange(len(names)) + k * width,
                [s[0] for s in stats],
                width,
                xerr=[s[1] for s in stats],
                label=task,
                capsize=2,
            )
        ax.set_yticks(np.arange(len(names)) + 0.4 - width / 2, names, fontsize=7)
        ax.invert_yaxis()
        ax.set_title(y, fontsize=9)
        ax.legend(fontsize=7)
    for ax in axes.ravel()[n:]:
        ax.axis("off")
    fig.suptitle("Headline scores by condition (mean and 95% CI over seeds)", fontsize=10)
    fig.tight_layout()
    return fig
