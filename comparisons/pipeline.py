"""The comparison pipeline: train (or load) both networks, record once, measure both the same way."""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from dense import DenseNetwork
from probes import MEASUREMENTS, ProbeResult
from probes.similarity import compare as compare_similarity
from probes.support import DataError, ScrutableError
from snn import SpikingNetwork

from . import __version__
from .config import ExperimentConfig, config_hash

log = logging.getLogger("scrutable")

# measurements whose every unit needs its own intervention run use fewer samples
_SAMPLE_CAP = {"ablation": 200, "patching": 200, "similarity": 300}


def default_cache_dir() -> Path:
    return Path(os.environ.get("SCRUTABLE_CACHE", Path.home() / ".cache" / "scrutable")) / "models"


def code_version(package: str) -> str:
    """The project version plus a hash of a package's source: changed code never reuses a stale model."""
    import importlib

    root = Path(importlib.import_module(package).__file__).parent
    h = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*.py")):
        h.update(path.read_bytes())
    return h.hexdigest()[:12]


@dataclass
class CompareResult:
    config: ExperimentConfig
    task: Any
    models: dict[str, Any]
    recordings: dict[str, Any]
    results: dict[str, dict[str, ProbeResult]]  # measurement -> model name -> result
    cross: ProbeResult | None
    accuracy: dict[str, float]
    timings: dict[str, float] = field(default_factory=dict)
    trained: list[str] = field(default_factory=list)


def task_accuracy(task, recording) -> float:
    """Test accuracy of a recording of the whole test set (multilabel: mean balanced accuracy)."""
    from probes.common import accuracy

    return accuracy(recording, task.y_test, task.kind)


def load_or_train(name: str, cls, net_config, task, cfg: ExperimentConfig, cache_dir: Path | None, progress: bool):
    """A fitted network from the cache, else trained and cached. Returns ``(model, trained)``.

    The cache key is the network's *model* config (``net_config.model_dict()``: run options
    such as backend, dtype or batch size left out), the task config, the seed and the code
    version; the run options of ``net_config`` are then applied to the model with ``using``,
    so changing only how a network is run never retrains it. A corrupt entry is retrained.
    """
    package = "snn" if cls is SpikingNetwork else "dense"
    key = config_hash(net_config.model_dict(), cfg.task.to_dict(), cfg.seed, code_version(package))
    path = cache_dir / f"{name}-{key}.npz" if cache_dir is not None else None
    model = None
    if path is not None and path.exists():
        try:
            model = cls.load(path)
            log.info("loaded %s from the cache (%s)", name, path.name)
        except DataError as exc:
            log.warning("cache entry %s is unusable (%s); retraining", path, exc)
    if model is not None:
        run = net_config.run_options()
        return (model.using(**run) if run and hasattr(model, "using") else model), False
    log.info("training %s", name)
    model = cls(net_config, seed=cfg.seed)
    if cls is SpikingNetwork:
        model.fit(task.x_train, task.y_train, progress=progress)
    else:
        model.fit(task.x_train, task.y_train)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
    return model, True


def run_compare(
    cfg: ExperimentConfig, *, measures=None, cache_dir: Path | None = None, progress: bool = True, task=None
) -> CompareResult:
    from tqdm.auto import tqdm

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    task = task if task is not None else cfg.task.load(cfg.seed)
    timings["load_task"] = time.perf_counter() - t0
    names = list(measures or cfg.probes.measures or MEASUREMENTS)
    unknown = [n for n in names if n not in MEASUREMENTS]
    if unknown:
        raise DataError(f"--measure {','.join(unknown)} is unknown: choose from {', '.join(MEASUREMENTS)}")
    models, trained = {}, []
    for name, cls, net_cfg in (
        ("snn", SpikingNetwork, cfg.snn),
        (f"dense-{cfg.dense.learning}", DenseNetwork, cfg.dense),
    ):
        t = time.perf_counter()
        models[name], was_trained = load_or_train(name, cls, net_cfg, task, cfg, cache_dir, progress)
        timings[f"train_{name}"] = time.perf_counter() - t
        if was_trained:
            trained.append(name)
    t = time.perf_counter()
    recordings = {name: m.record(task.x_test) for name, m in models.items()}
    timings["record"] = time.perf_counter() - t
    accuracy = {name: task_accuracy(task, recordings[name]) for name in models}
    results: dict[str, dict[str, ProbeResult]] = {}
    bar = tqdm(total=len(names) * len(models), desc="measurements", disable=not progress, unit="run")
    for mname in names:
        results[mname] = {}
        t = time.perf_counter()
        for model_name, model in models.items():
            bar.set_postfix_str(f"{mname} on {model_name}")
            opts = {"seed": cfg.seed, "recording": recordings[model_name]}
            if mname != "receptive_fields":
                cap = _SAMPLE_CAP.get(mname)
                n = cfg.probes.max_samples or None
                opts["max_samples"] = min(n, cap) if (n and cap) else (n or cap)
            try:
                results[mname][model_name] = MEASUREMENTS[mname](model, task, **opts)
            except ScrutableError as exc:  # e.g. receptive fields of a model without input weights
                log.warning("%s on %s skipped: %s", mname, model_name, exc)
            bar.update(1)
        timings[f"measure_{mname}"] = time.perf_counter() - t
    bar.close()
    t = time.perf_counter()
    snn_name, dense_name = list(models)
    cross = compare_similarity(
        models[snn_name],
        models[dense_name],
        task,
        seed=cfg.seed,
        recordings=(recordings[snn_name], recordings[dense_name]),
        max_samples=min(cfg.probes.max_samples or 300, 300),
    )
    timings["cross_similarity"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - t0
    return CompareResult(cfg, task, models, recordings, results, cross, accuracy, timings, trained)


def verdict(spec, a: float, b: float, names: tuple[str, str]) -> tuple[str, float]:
    """Which of two scores is more interpretable by the score's documented direction, and by how much."""
    if not (np.isfinite(a) and np.isfinite(b)) or a == b:
        return "tie", 0.0
    better_a = (a > b) if spec.better == "higher" else (a < b)
    return (names[0] if better_a else names[1]), abs(a - b)
