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
from probes import MEASUREMENTS, AsSpikes, ProbeResult
from probes.similarity import compare as compare_similarity
from probes.support import DataError, ScrutableError
from probes.uncertainty import Assessment, assess, spike_budget
from snn import SpikingNetwork

from . import __version__
from .competition import choose_competition
from .config import ExperimentConfig, config_hash
from .events import EventFed, EventInputs, event_abstractions

log = logging.getLogger("scrutable")

# measurements whose every unit needs its own intervention run use fewer samples
_SAMPLE_CAP = {"ablation": 200, "patching": 200, "similarity": 300, "abstraction": 150}


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
    """Everything a comparison produced. ``models`` are the report's columns in order (the
    spiking network, it over a long window, the dense network, it at the spiking budget);
    ``pairs`` the (label, a, b) comparisons that get a verdict; ``assessments`` each
    measurement's nulls, noise ceilings and resamples (probes.uncertainty); ``budgets`` the
    spikes per sample of every spiking recording; ``notes`` one sentence per added column."""

    config: ExperimentConfig
    task: Any
    models: dict[str, Any]
    recordings: dict[str, Any]
    results: dict[str, dict[str, ProbeResult]]  # measurement -> model name -> result
    cross: ProbeResult | None
    accuracy: dict[str, float]
    timings: dict[str, float] = field(default_factory=dict)
    trained: list[str] = field(default_factory=list)
    assessments: dict[str, dict[str, Assessment]] = field(default_factory=dict)
    budgets: dict[str, dict] = field(default_factory=dict)
    pairs: list[tuple[str, str, str]] = field(default_factory=list)
    notes: dict[str, str] = field(default_factory=dict)
    multilabel: dict[str, dict] = field(default_factory=dict)
    competition: dict[str, dict] = field(default_factory=dict)  # name -> chosen setting and candidates

    @property
    def base_names(self) -> tuple[str, str]:
        """The two trained networks (spiking, dense)."""
        return self.pairs[0][1], self.pairs[0][2]


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
        model = model.using(**run) if run and hasattr(model, "using") else model
        return as_probeable(model, task), False
    log.info("training %s", name)
    model = cls(net_config, seed=cfg.seed)
    if cls is SpikingNetwork:
        fit_spiking(model, task, progress=progress)
    else:
        model.fit(task.x_train, task.y_train)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        model.save(path)
    return as_probeable(model, task), True


def fit_spiking(net: SpikingNetwork, task, *, progress: bool = False) -> SpikingNetwork:
    """Train a spiking network on ``task``: on the task's input events when it carries them
    (:class:`comparisons.events.EventFed`), else on ``x_train`` as Poisson rates. Returns ``net``."""
    if getattr(task, "has_events", False):
        EventFed(net, EventInputs(task)).fit(task.x_train, task.y_train, progress=progress)
    else:
        net.fit(task.x_train, task.y_train, progress=progress)
    return net


def as_probeable(model, task):
    """The model measurements see: a spiking network on an event task records the task's rows
    on their events (:class:`comparisons.events.EventFed`); any other model as it is."""
    if getattr(model, "name", "") == "snn" and getattr(task, "has_events", False) and not isinstance(model, EventFed):
        inputs = EventInputs(task)
        inputs.check_window(model.config_.presentation_ms)
        return EventFed(model, inputs)
    return model


def long_window_model(cfg: ExperimentConfig, model):
    """The spiking ``model`` read over ``probes.long_window`` times its window (a run option, no
    retraining); None when the option is off or the model is fed a task's events (a longer window
    adds no input). Compare's long-window column and a study's ``snn-long``."""
    if not cfg.probes.long_window or isinstance(model, EventFed):
        return None
    return model.using(presentation_ms=model.config_.presentation_ms * cfg.probes.long_window)


def budget_model(cfg: ExperimentConfig, dense, spikes: float, window_ms: float, bin_ms: float) -> AsSpikes:
    """The dense network rendered by :class:`probes.AsSpikes` at ``spikes`` per sample over the spiking
    network's window: compare's at-budget column (its budget measured) and a study's ``<dense>-spikes``
    (its budget stated)."""
    return AsSpikes(dense, spikes_per_sample=spikes, duration_ms=window_ms, bin_ms=bin_ms, seed=cfg.seed)


def control_skips(cfg: ExperimentConfig, control: str | None, measurement: str) -> bool:
    """Whether a format control (``"long"`` or ``"budget"``; None: a trained network) does not get
    ``measurement``: no control gets the abstraction measurement (it is built for trained networks),
    and the long-window one no interventional measurement unless ``probes.long_window_interventions``
    (each of its simulations costs ``long_window`` times more: opt in)."""
    if control is None:
        return False
    if measurement == "abstraction":
        return True
    uses = MEASUREMENTS[measurement].uses_interventions
    return control == "long" and uses and not cfg.probes.long_window_interventions


def add_controls(cfg: ExperimentConfig, models: dict, recordings: dict, task) -> dict[str, str]:
    """Add the format-control columns to ``models`` (in place, in report order) and record them.

    The spiking network read over ``probes.long_window`` times its window (a run option, no
    retraining) and the dense network rendered by :class:`probes.AsSpikes` at the spiking
    network's measured spikes per sample. Returns a note per added column (and, when the spiking
    network is fed a task's events, one on it: a longer window adds no input, so no long-window column)."""
    snn_name, dense_name = list(models)
    snn, dense = models[snn_name], models[dense_name]
    notes, ordered = {}, {snn_name: snn}
    window = snn.config_.presentation_ms
    long = long_window_model(cfg, snn)
    if cfg.probes.long_window and long is None:  # fed a task's events: no more input to see in a longer window
        notes[snn_name] = (
            f"{snn_name} fed the task's input events (no long-window column: the events fill "
            f"{snn.inputs.window_ms:g} ms whatever the window)"
        )
    elif long is not None:
        long_ms = window * cfg.probes.long_window
        name = f"{snn_name} over {long_ms / 1000:g} s"
        ordered[name] = long
        notes[name] = f"the same trained {snn_name} recorded over {long_ms:g} ms, not {window:g} ms (not retrained)"
        if not cfg.probes.long_window_interventions:
            notes[name] += "; interventional measurements are not run on it (probes.long_window_interventions)"
    ordered[dense_name] = dense
    budget = spike_budget(recordings[snn_name])
    if cfg.probes.format_control and budget is not None and budget["mean"] > 0:
        spikes = float(np.round(budget["mean"], 1))
        ctrl = budget_model(cfg, dense, spikes, window, snn.config_.bin_ms)
        ordered[ctrl.name] = ctrl
        notes[ctrl.name] = (
            f"the same trained {dense_name} seen through Poisson spikes: {spikes:g} spikes per sample "
            f"({snn_name}'s mean), spread over units in proportion to their activation, over {window:g} ms; "
            f"its outputs are {dense_name}'s own"
        )
    elif cfg.probes.format_control:
        log.warning("format control skipped: %s emits no spikes to match", snn_name)
    models.clear()
    models.update(ordered)
    for name, m in models.items():
        if name not in recordings:
            recordings[name] = m.record(task.x_test)
    return notes


def abstraction_options(model, task, seed: int) -> dict:
    """The abstraction measurement's inputs for a trained network (``compare`` and studies alike).

    A spiking network: its three synchronous abstractions (comparisons.abstractions) and its
    noise-ceiling reference, the same network recorded with other Poisson draws. A dense
    network: the control (``one_step`` and ``fitted``), no reference (deterministic: ceiling 1)."""
    from .abstractions import build

    x, y = task.x_train, task.y_train
    if getattr(model, "name", "") != "snn":
        return {"abstractions": build(model, x, y)}
    abstractions = event_abstractions(model, x, y) if isinstance(model, EventFed) else build(model, x, y)
    return {"abstractions": abstractions, "reference": model.using(record_seed=seed + 7919)}


def not_applicable(model, task, mname: str) -> str | None:
    """Why measurement ``mname`` does not apply to ``model``, or None (``compare`` and studies alike)."""
    if mname == "receptive_fields" and isinstance(model, EventFed):
        return (
            f"receptive fields need weights over x: this network's are over the task's {model.inputs.n_inputs} "
            f"event inputs, x has {task.x_train.shape[1]} binned values"
        )
    return None


def measure_options(cfg: ExperimentConfig, mname: str) -> dict:
    """A measurement's sample cap: ``probes.max_samples``, lowered for measurements that run
    an intervention per unit (``_SAMPLE_CAP``); ``compare`` and studies alike."""
    if mname == "receptive_fields":
        return {}
    cap = _SAMPLE_CAP.get(mname)
    n = cfg.probes.max_samples or None
    return {"max_samples": min(n, cap) if (n and cap) else (n or cap)}


def choose_competitions(cfg: ExperimentConfig, models: dict, task) -> tuple[dict, dict]:
    """Each trained network read under the test-time competition ``cfg.competition`` asks for.

    ``"matched"``: :func:`comparisons.competition.choose_competition` on the training data,
    seeded by ``cfg.seed``, for every model independently (so a study run of one network
    chooses what ``compare`` chooses for it); ``"as_trained"``: unchanged. Returns
    ``(models, {name: CompetitionChoice})`` (only the models that have a competition to choose)."""
    models, chosen = dict(models), {}
    if cfg.competition != "matched":
        return models, chosen
    for name, model in models.items():
        models[name], choice = choose_competition(model, task.x_train, task.y_train, seed=cfg.seed)
        if choice.setting:
            chosen[name] = choice
    return models, chosen


def competition_scores(model, choice) -> dict[str, float]:
    """A chosen competition as study scores: ``competition.<setting>`` (the value the network is
    read with: the spiking network's as-trained ``None`` is its training ``w_inh_exc``),
    ``competition.val_accuracy`` (held-out accuracy of the chosen setting),
    ``competition.val_accuracy_as_trained`` and ``competition.active_units`` (per input, chosen)."""
    if choice is None or not choice.setting:
        return {}
    best = int(np.argmax([row["val_accuracy"] for row in choice.table]))  # the choice: the first of the ties
    out = {}
    for key, value in choice.setting.items():
        if key == "w_inh_exc_test" and value is None:
            value = model.config_.w_inh_exc
        out[f"competition.{key}"] = float(value)
    out["competition.val_accuracy"] = float(choice.table[best]["val_accuracy"])
    out["competition.val_accuracy_as_trained"] = float(choice.table[0]["val_accuracy"])
    out["competition.active_units"] = float(choice.table[best]["active_units"])
    return out


def _assess(cfg: ExperimentConfig, mname: str, model, task, recording) -> Assessment:
    """One measurement on one model with the study's redraws, resamples and nulls (the abstraction's
    ceiling and null are inside the measurement: a label shuffle is not its null)."""
    m, p = MEASUREMENTS[mname], cfg.probes
    runs = {
        "n_redraws": p.redraws,
        "n_resamples": p.resamples_interventions if m.uses_interventions else p.resamples,
        "n_nulls": p.nulls_interventions if m.uses_interventions else p.nulls,
        "n_unit_nulls": 0 if m.uses_interventions else p.unit_nulls,
    }
    extra = {}
    if mname == "abstraction":  # built here (comparisons), for the two trained networks
        extra = abstraction_options(model, task, cfg.seed)
        runs = dict.fromkeys(runs, 0)
    return assess(m, model, task, recording=recording, **runs, seed=cfg.seed, **measure_options(cfg, mname), **extra)


def _measure_all(cfg, names, models, recordings, task, controls: dict, progress: bool, timings: dict):
    """``{measurement: {model: ProbeResult}}`` and the same of Assessments, for every measurement
    that applies; ``controls``: model name -> "long" | "budget" for the format controls."""
    from tqdm.auto import tqdm

    results: dict[str, dict[str, ProbeResult]] = {}
    assessments: dict[str, dict[str, Assessment]] = {}
    bar = tqdm(total=len(names) * len(models), desc="measurements", disable=not progress, unit="run")
    for mname in names:
        results[mname], assessments[mname] = {}, {}
        t = time.perf_counter()
        for model_name, model in models.items():
            bar.set_postfix_str(f"{mname} on {model_name}")
            if control_skips(cfg, controls.get(model_name), mname):
                pass
            elif reason := not_applicable(model, task, mname):
                log.warning("%s on %s skipped: %s", mname, model_name, reason)
            else:
                try:
                    a = _assess(cfg, mname, model, task, recordings[model_name])
                    results[mname][model_name], assessments[mname][model_name] = a.result, a
                except ScrutableError as exc:  # e.g. receptive fields of a model without input weights
                    log.warning("%s on %s skipped: %s", mname, model_name, exc)
            bar.update(1)
        timings[f"measure_{mname}"] = time.perf_counter() - t
    bar.close()
    return results, assessments


def _competition_notes(notes: dict, competition: dict) -> None:
    """Adds to each model's note the test-time competition it is read with and why."""
    for name, choice in competition.items():
        setting = ", ".join(f"{k}={v}" for k, v in choice.setting.items())
        best = max(row["val_accuracy"] for row in choice.table)
        prefix = notes.get(name, "trained network")
        notes[name] = (
            f"{prefix}; read with {setting} (test-time competition chosen by held-out accuracy, "
            f"{best:.3f}; as trained {choice.table[0]['val_accuracy']:.3f})"
        )


def _pairs(models: dict, snn_name: str, dense_name: str) -> list[tuple[str, str, str]]:
    """(title, a, b) of every side-by-side comparison: the two networks, then the format controls."""
    pairs = [(f"{snn_name} vs {dense_name}", snn_name, dense_name)]
    for n in models:
        if n in (snn_name, dense_name):
            continue
        if n.startswith(dense_name):  # the spiking network against the rendered dense one, ...
            pairs.append((f"{snn_name} vs {n}", snn_name, n))
        else:  # ... and the long-window spiking network against the dense one
            pairs.append((f"{n} vs {dense_name}", n, dense_name))
    return pairs


def run_compare(
    cfg: ExperimentConfig, *, measures=None, cache_dir: Path | None = None, progress: bool = True, task=None
) -> CompareResult:
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
    snn_name, dense_name = list(models)
    t = time.perf_counter()  # one held-out rule for every network's test-time competition
    chosen, competition = choose_competitions(cfg, models, task)
    models.update(chosen)
    if cfg.competition == "matched":
        timings["competition"] = time.perf_counter() - t
    t = time.perf_counter()
    recordings = {name: m.record(task.x_test) for name, m in models.items()}
    notes = add_controls(cfg, models, recordings, task)
    _competition_notes(notes, competition)
    controls = {n: "long" if n.startswith(f"{snn_name} over ") else "budget" for n in notes}
    controls = {n: c for n, c in controls.items() if n not in (snn_name, dense_name)}
    timings["record"] = time.perf_counter() - t
    accuracy = {name: task_accuracy(task, recordings[name]) for name in models}
    budgets = {name: b for name, rec in recordings.items() if (b := spike_budget(rec)) is not None}
    for name, b in budgets.items():
        if b["silent_share"] > 0.05:
            log.warning("%s: %.0f%% of test inputs evoke no spike", name, 100 * b["silent_share"])
    results, assessments = _measure_all(cfg, names, models, recordings, task, controls, progress, timings)
    t = time.perf_counter()
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
    return CompareResult(
        cfg,
        task,
        models,
        recordings,
        results,
        cross,
        accuracy,
        timings,
        trained,
        assessments,
        budgets,
        _pairs(models, snn_name, dense_name),
        notes,
        {name: multilabel_accuracy(task, rec) for name, rec in recordings.items()} if task.kind == "multilabel" else {},
        {name: choice.to_dict() for name, choice in competition.items()},
    )


def multilabel_accuracy(task, recording) -> dict:
    """Multilabel task accuracy made readable: exact-match accuracy (every label right) and
    mean per-label F1 and accuracy, each next to the all-absent baseline (predict no label)."""
    from sklearn.metrics import f1_score

    y = np.asarray(task.y_test).astype(bool)
    pred = np.asarray(recording.predictions).astype(bool)
    none = np.zeros_like(y)
    return {
        "exact_match": float((pred == y).all(axis=1).mean()),
        "exact_match_all_absent": float((none == y).all(axis=1).mean()),
        "label_accuracy": float((pred == y).mean()),
        "label_accuracy_all_absent": float((none == y).mean()),
        "label_f1": float(f1_score(y, pred, average="macro", zero_division=0)),
        "label_f1_all_absent": 0.0,
    }


def verdict(spec, a: float, b: float, names: tuple[str, str]) -> tuple[str, float]:
    """Which of two scores is more interpretable by the score's documented direction, and by how much."""
    if not (np.isfinite(a) and np.isfinite(b)) or a == b:
        return "tie", 0.0
    better_a = (a > b) if spec.better == "higher" else (a < b)
    return (names[0] if better_a else names[1]), abs(a - b)
