"""Benchmarks against Brian2, run in one invocation: ``scrutable bench`` / ``make bench``.

Every case runs in its own subprocess (so its peak memory and time to first output are its
own) on the reference network: Diehl & Cook, 64 inputs, 400 excitatory + 400 inhibitory
neurons, dt 0.5 ms, delays up to 10 ms, 350 ms presentations (+150 ms rest when training),
digits inputs at 255 Hz. Our engine and Brian2 get exactly the same input events. Our engine
records in the config's default float32 (and, as its own case, in float64, where its spikes are
Brian2's exactly); it always trains in float64. Results
are ratios against Brian2 measured in the same run; Brian2's compilation is timed
separately and excluded from its per-sample time.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time

import numpy as np

T_START = time.perf_counter()
# Every timed run is repeated seven times, for our engine and for Brian2 standalone alike; a
# case reports the median and the interquartile range of its runs (every run is kept), ratios
# are taken between medians, and a case whose IQR exceeds UNSTABLE of its median is flagged.
REPEATS = 7
UNSTABLE = 0.2


def summarise(runs: list[float]) -> dict:
    """Median, quartiles and the flag of a list of per-sample times (ms)."""
    q1, med, q3 = (float(v) for v in np.percentile(runs, [25, 50, 75]))
    return {
        "per_sample_ms": med,
        "iqr_ms": q3 - q1,
        "q1_ms": q1,
        "q3_ms": q3,
        "fastest_ms": float(min(runs)),
        "runs_ms": [float(r) for r in runs],
        "unstable": bool(q3 - q1 > UNSTABLE * med),
    }


def steady_warmup(run, max_runs: int = 8, tol: float = 0.05) -> list[float]:
    """Untimed full-size runs until two in a row agree within ``tol`` (kernels compiled or
    loaded, fresh pages touched, allocator pools filled), at most ``max_runs``; returns their times."""
    times = [run(), run()]
    while abs(times[-1] - times[-2]) > tol * min(times[-2:]) and len(times) < max_runs:
        times.append(run())
    return times


def machine() -> dict:
    """What the numbers were measured on: CPU model and flags, cores, threads, versions, load."""
    import importlib.metadata as md
    import platform

    info = {"cpus": os.cpu_count(), "python": sys.version.split()[0], "platform": platform.platform()}
    try:
        text = open("/proc/cpuinfo").read()
        info["cpu_model"] = next(l.split(":", 1)[1].strip() for l in text.splitlines() if l.startswith("model name"))
        flags = next(l.split(":", 1)[1].split() for l in text.splitlines() if l.startswith("flags"))
        info["cpu_flags"] = sorted(f for f in flags if f.startswith(("avx", "fma", "sse4")))
    except (OSError, StopIteration):
        pass
    for var in ("NUMBA_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE"):
        info[var] = os.environ.get(var)
    for pkg in ("numpy", "numba", "torch", "brian2", "scikit-learn"):
        try:
            info[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            info[pkg] = None
    return info


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _setup(n_neurons: int, n_train: int = 3):
    from snn import SNNConfig, SpikingNetwork

    from .tasks import load_task

    task = load_task("digits", seed=0)
    net = SpikingNetwork(SNNConfig(n_neurons=n_neurons), seed=0).fit(task.x_train[:n_train], task.y_train[:n_train])
    return task, net


def _events(net, x, seed=0):
    """The same Poisson input events for every simulator: (sample, input, time_ms)."""
    from snn.encoding import poisson_batch

    cfg = net.config_
    n_pres = int(round(cfg.presentation_ms / cfg.dt_ms))
    b, step, unit = poisson_batch(x * cfg.input_rate_hz, np.arange(len(x)) + 1000 * seed, n_pres, cfg.dt_ms)
    return b, unit, step * cfg.dt_ms


# --- cases (each runs in a subprocess and returns a dict) ------------------------------------------
def case_record_ours(n_neurons=400, batch=256, presentation_ms=350.0, engine="numba", dtype="float32"):
    from snn.encoding import poisson_batch  # noqa: F401 - warm the kernel cache before timing

    task, net = _setup(n_neurons)
    net = net.using(engine=engine, batch_size=batch, dtype=dtype)
    if presentation_ms != 350.0:  # one bin per presentation: memory against the number of steps
        net = net.using(presentation_ms=presentation_ms, bin_ms=presentation_ms)
    x = np.resize(task.x_test, (batch, task.n_inputs))
    ev = _events(net, x[:2])
    first = time.perf_counter()
    net.record(x[:2], input_spikes=ev)  # first output (compilation / cache load included)
    t_first = time.perf_counter() - T_START
    ev = _events(net, x)

    def timed():
        t0 = time.perf_counter()
        timed.rec = net.record(x, input_spikes=ev)
        return (time.perf_counter() - t0) / batch * 1000

    warm = steady_warmup(timed)
    warmup = time.perf_counter() - first
    runs = [timed() for _ in range(REPEATS)]
    rec = timed.rec
    return {
        **summarise(runs),
        "warmup_runs_ms": warm,
        "time_to_first_output_s": t_first,
        "spikes": int(rec.counts("exc").sum()),
        "peak_mb": _peak_mb(),
        "warmup_s": warmup,
    }


def _brian2_project(target: str, tag: str, threads: int = 0):
    """Brian2 set up for ``target``; ``threads`` > 0: the standalone binary runs that many OpenMP
    threads (Brian2's default, 0, is one thread without OpenMP)."""
    import brian2 as b2

    from snn.brian2_backend import cache_dir

    b2.prefs.logging.console_log_level = "WARNING"
    if target == "cpp_standalone":  # (cache_dir: also the runtime targets' Cython cache below)
        b2.prefs.devices.cpp_standalone.openmp_threads = threads
        b2.set_device("cpp_standalone", directory=_standalone_dir(tag), build_on_run=False)
    else:
        b2.prefs.codegen.target = target
        b2.prefs.codegen.runtime.cython.cache_dir = str(cache_dir() / "cython")
    return b2


def _warm_runtime(build, prepare):
    """Runtime targets compile each code object on first use: run an identical network for 1 ms
    first (its time is reported as compile time and excluded)."""
    import brian2 as b2

    t0 = time.perf_counter()
    netw, o = build()
    prepare(o)
    netw.run(1 * b2.ms, namespace={})
    return time.perf_counter() - t0


def _record_brian2_network(b2, net, x):
    """Brian2's frozen copy of ``net`` fed the bench's input events for ``x``, a presentation and
    its longest delay apart: (build, prepare, duration in ms)."""
    from snn.brian2_backend import build_network

    cfg = net.config_
    b, unit, t_ms = _events(net, x)
    period = int(round((cfg.presentation_ms + net.delays_ms_.max(initial=0)) / cfg.dt_ms)) + 1
    return (
        lambda: build_network(cfg, net.w_, net.delays_ms_, net.theta_, plastic=False, period_steps=period),
        lambda o: o["input"].set_spikes(unit, (b * period * cfg.dt_ms + t_ms) * b2.ms),
        len(x) * period * cfg.dt_ms,
    )


def case_record_brian2(target="cpp_standalone", n_neurons=400, batch=64, threads=0):
    task, net = _setup(n_neurons)
    b2 = _brian2_project(target, f"record-{n_neurons}" + (f"-omp{threads}" if threads else ""), threads)
    x = np.resize(task.x_test, (batch, task.n_inputs))
    build, prepare, duration = _record_brian2_network(b2, net, x)
    out, o = _time_brian2(b2, target, build, prepare, batch, duration, f"record-{n_neurons}")
    out["spikes"] = int(o["mon_e"].num_spikes)
    return out


def _time_brian2(b2, target, build, prepare, n, duration_ms, tag):
    """Build, feed and run a Brian2 network of ``n`` presentations; time it without its compilation."""
    if target == "cpp_standalone":
        run, o, compile_s = _standalone_binary(b2, build, prepare, duration_ms, tag)
        runs = [run() / n * 1000]
        t_first = time.perf_counter() - T_START
        runs += [run() / n * 1000 for _ in range(REPEATS - 1)]
        return {**summarise(runs), "compile_s": compile_s, "time_to_first_output_s": t_first, "peak_mb": _peak_mb()}, o
    warm = _warm_runtime(build, prepare)
    netw, o = build()
    prepare(o)
    t0 = time.perf_counter()
    netw.run(duration_ms * b2.ms, namespace={})
    t_run = time.perf_counter() - t0  # code objects were compiled by the warm-up run
    return {
        "per_sample_ms": t_run / n * 1000,
        "compile_s": warm,
        "time_to_first_output_s": time.perf_counter() - T_START,
        "peak_mb": _peak_mb(),
    }, o


def _standalone_dir(tag: str) -> str:
    from snn.brian2_backend import cache_dir

    return str(cache_dir() / f"bench-{tag}")


def case_train_ours(n_neurons=400, n_samples=200, replicas=1):

    from snn import SNNConfig
    from snn.network import init_state, train_stdp
    from snn.numba_engine import NumbaEngine

    from .tasks import load_task

    task = load_task("digits", seed=0)
    cfg = SNNConfig(n_neurons=n_neurons).resolved(task.n_inputs)
    eng = NumbaEngine()
    train_stdp(eng, cfg, init_state(cfg, task.n_inputs, [0]), task.x_train[:2], [0], False)  # warm up
    t_first = time.perf_counter() - T_START
    seeds = list(range(replicas))
    runs = []
    for _ in range(REPEATS):  # each from freshly initialised networks
        state = init_state(cfg, task.n_inputs, seeds)
        t0 = time.perf_counter()
        hist = train_stdp(eng, cfg, state, task.x_train[:n_samples], seeds, False)
        runs.append(time.perf_counter() - t0)
    per_network = [r / (n_samples * replicas) * 1000 for r in runs]
    stats = summarise(per_network)
    return {
        **stats,
        "per_network_sample_ms": stats["per_sample_ms"],
        "per_sample_ms": stats["per_sample_ms"] * replicas,
        "replicas": replicas,
        "time_to_first_output_s": t_first,
        "peak_mb": _peak_mb(),
        "mean_exc_spikes": float(np.mean([h["mean_exc_spikes"][0] for h in hist])),
    }


def _train_brian2_network(b2, cfg, st, x):
    """Brian2's plastic network from the initial state ``st`` fed Poisson events for ``x`` in one
    long run, normalisation and resets inside it: (build, prepare, duration in ms)."""
    from snn.brian2_backend import build_network
    from snn.encoding import poisson_batch

    n_pres = int(round(cfg.presentation_ms / cfg.dt_ms))
    period = n_pres + int(round(cfg.rest_ms / cfg.dt_ms))
    b, step, unit = poisson_batch(x * cfg.input_rate_hz, np.arange(len(x)), n_pres, cfg.dt_ms)
    return (
        lambda: build_network(
            cfg,
            st.w[0],
            st.delay_steps[0] * cfg.dt_ms,
            st.theta[0],
            plastic=True,
            period_steps=period,
            normalize_to=cfg.weight_sum,
        ),
        lambda o: o["input"].set_spikes(unit, (b * period + step) * cfg.dt_ms * b2.ms),
        len(x) * period * cfg.dt_ms,
    )


def case_train_brian2(target="cpp_standalone", n_neurons=400, n_samples=200):
    """A hand-written-style Brian2 D&C network: one long run, normalisation and resets inside it."""
    from snn import SNNConfig
    from snn.network import init_state

    from .tasks import load_task

    task = load_task("digits", seed=0)
    cfg = SNNConfig(n_neurons=n_neurons).resolved(task.n_inputs)
    st = init_state(cfg, task.n_inputs, [0])
    b2 = _brian2_project(target, f"train-{n_neurons}")
    x = task.x_train[:n_samples]
    build, prepare, duration = _train_brian2_network(b2, cfg, st, x)
    out, o = _time_brian2(b2, target, build, prepare, n_samples, duration, f"train-{n_neurons}")
    out["mean_exc_spikes"] = float(o["mon_e"].num_spikes) / n_samples
    return out


def case_train_surrogate(n_neurons=400, n_samples=128):
    """One epoch of surrogate-gradient training (BPTT over the whole presentation), per sample;
    ``default_fit_s``: what a default fit on every training digit takes at that rate (the default
    number of epochs). Each timed fit also fits its readout and calibrates steering once, spread
    here over ``n_samples`` instead of an epoch's 1,347 x epochs: the projection errs long."""
    from snn import SNNConfig, SpikingNetwork

    from .tasks import load_task

    task = load_task("digits", seed=0)
    cfg = SNNConfig(n_neurons=n_neurons, learning="surrogate", surrogate_epochs=1)
    x, y = task.x_train[:n_samples], task.y_train[:n_samples]
    SpikingNetwork(cfg, seed=0).fit(x[:32], y[:32])  # warm-up: compiled kernels
    t_first = time.perf_counter() - T_START
    runs = []
    for _ in range(3):  # an epoch is long; three runs
        t0 = time.perf_counter()
        SpikingNetwork(cfg, seed=0).fit(x, y)
        runs.append((time.perf_counter() - t0) / n_samples * 1000)
    out = summarise(runs)
    out["default_fit_s"] = out["per_sample_ms"] / 1000 * len(task.x_train) * SNNConfig().surrogate_epochs
    return {**out, "time_to_first_output_s": t_first, "peak_mb": _peak_mb()}


def case_measure(measure="abstraction", n_neurons=100, max_samples=150, n_train=400, runs=3):
    """The cost of one measurement on a spiking network trained on ``n_train`` digits, building its
    inputs included (the abstractions are fitted on those digits); ``runs`` timed runs after one
    untimed (an abstraction measurement takes a minute at 100 neurons: three, not seven)."""
    from probes import MEASUREMENTS
    from snn import SNNConfig, SpikingNetwork

    from .tasks import load_task

    task = load_task("digits", seed=0)
    x, y = task.x_train[:n_train], task.y_train[:n_train]
    net = SpikingNetwork(SNNConfig(n_neurons=n_neurons), seed=0).fit(x, y)
    t_first = time.perf_counter() - T_START

    def once():
        t0 = time.perf_counter()
        options = {"max_samples": max_samples}
        if measure == "abstraction":
            from . import abstractions

            options["abstractions"] = abstractions.build(net, x, y)
            options["reference"] = net.using(record_seed=1)  # other Poisson draws: the noise ceiling
        MEASUREMENTS[measure](net, task, **options)
        return time.perf_counter() - t0

    once()  # warm-up
    times = [once() * 1000 for _ in range(runs)]
    return {**summarise(times), "unit": "ms per measurement", "time_to_first_output_s": t_first, "peak_mb": _peak_mb()}


def case_measure_columns(n_neurons=100, max_samples=150, n_train=400, runs=REPEATS):
    """What a column of ``compare`` costs to measure: every measurement it gets (abstraction
    aside: its own case), once each without redraws, resamples or nulls (those multiply it), on
    the spiking network, the dense network and the dense network's format control (rendered as
    Poisson spikes at the spiking network's measured budget). Per column: the median total over
    ``runs`` (ms) and the per-measurement times of that run; ``format_control_over_dense``: the
    rendering's total over the dense network's, what ``probes.format_control`` adds to a compare."""
    from dense import DenseConfig, DenseNetwork
    from probes import MEASUREMENTS
    from probes.uncertainty import spike_budget
    from snn import SNNConfig, SpikingNetwork

    from .config import ExperimentConfig, from_dict
    from .pipeline import budget_model, measure_options
    from .tasks import load_task

    task = load_task("digits", seed=0)
    x, y = task.x_train[:n_train], task.y_train[:n_train]
    snn = SpikingNetwork(SNNConfig(n_neurons=n_neurons), seed=0).fit(x, y)
    dense = DenseNetwork(DenseConfig(hidden=(n_neurons,)), seed=0).fit(x, y)
    spikes = round(spike_budget(snn.record(task.x_test[:max_samples]))["mean"], 1)
    cfg = from_dict(ExperimentConfig, {"probes": {"max_samples": max_samples}})
    rendered = budget_model(cfg, dense, spikes, snn.config_.presentation_ms, snn.config_.bin_ms)
    names = [m for m in MEASUREMENTS if m != "abstraction"]
    t_first = time.perf_counter() - T_START

    def once(model) -> dict:
        times = {}
        for m in names:
            t0 = time.perf_counter()
            MEASUREMENTS[m](model, task, **measure_options(cfg, m))
            times[m] = (time.perf_counter() - t0) * 1000
        return times

    out = {"spikes_per_sample": spikes, "unit": "ms per column"}
    for column, model in (("snn", snn), ("dense", dense), ("dense_at_budget", rendered)):
        once(model)  # warm-up: compiled kernels, torch's first calls
        per_run = [once(model) for _ in range(runs)]
        totals = [sum(t.values()) for t in per_run]
        median_run = per_run[int(np.argsort(totals)[len(totals) // 2])]
        out[column] = {**summarise(totals), "by_measurement_ms": median_run}
    out["format_control_over_dense"] = out["dense_at_budget"]["per_sample_ms"] / out["dense"]["per_sample_ms"]
    return {**out, "time_to_first_output_s": t_first, "peak_mb": _peak_mb()}


STUDY_CASE = """
[study]
name = "bench-replicas"
seeds = {seeds}
measures = ["selectivity"]
split_seed = 0
[base]
"snn.n_neurons" = {n_neurons}
"probes.max_samples" = {max_samples}
"probes.long_window" = {long_window}
"task.n_train" = {n_train}
[[arms]]
network = "snn"
"""


def case_study(n_seeds=4, n_neurons=100, workers=2, max_samples=200, n_train=0, long_window=10.0):
    """Study throughput: the runs of a small study (one spiking config x ``n_seeds`` seeds on digits,
    ``split_seed`` fixed so the seeds can train together) executed one run per task and as one
    replica group (``fit_replicas``), each as a study's Dask worker runs them (one thread).
    ``max_samples``: test inputs a measurement reads (as in a study file); ``n_train``: training
    digits (0: all 1,347 of the split); ``long_window``: as ``probes.long_window`` (0: no long-window
    column, as a study file may set).

    Timed in CPU seconds (robust to other load): with every worker busy, runs per hour =
    ``workers`` x 3600 / CPU seconds per run. Also checks that both ways give the same scores."""
    import tempfile
    from pathlib import Path

    from .study import _one_thread, _run_group, _run_task, load_study

    _one_thread()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.toml"
        text = STUDY_CASE.format(
            seeds=list(range(n_seeds)),
            n_neurons=n_neurons,
            max_samples=max_samples,
            n_train=n_train,
            long_window=float(long_window),
        )
        path.write_text(text)
        runs = list(load_study(path).runs)
    _run_task(runs[0])  # warm-up: imports, compiled kernels, data
    t_first = time.perf_counter() - T_START
    out, scores = {}, {}
    for mode in ("one_per_seed", "replicas"):
        cpu = time.process_time()
        results = _run_group(runs) if mode == "replicas" else [_run_task(r) for r in runs]
        cpu = time.process_time() - cpu
        if not all(r[1] == "done" for r in results):
            raise RuntimeError(f"a run failed: {[r[3] for r in results if r[1] != 'done'][:1]}")
        scores[mode] = [r[2]["snn"] for r in results]
        out[f"{mode}_cpu_s_per_run"] = cpu / len(runs)
        out[f"{mode}_runs_per_hour"] = workers * 3600 * len(runs) / cpu
    same = all(a[k] == b[k] for a, b in zip(scores["replicas"], scores["one_per_seed"]) for k in a)
    return {
        **out,
        "runs_per_hour": out["replicas_runs_per_hour"],
        "speed_up": out["replicas_runs_per_hour"] / out["one_per_seed_runs_per_hour"],
        "same_scores": same,
        "runs": len(runs),
        "time_to_first_output_s": t_first,
        "peak_mb": _peak_mb(),
    }


# --- paired cases: ours and Brian2 alternating in one process -----------------------------------
def paired_rounds(ours, theirs, rounds: int = REPEATS) -> dict:
    """``rounds`` rounds of one timed run each of ``ours`` and ``theirs`` (callables returning ms per
    sample), the order flipped every round, and the ratio theirs / ours per round: a drift of the
    machine over the minutes of a bench run moves both sides of a round and cancels in its ratio.
    Returns both sides' summaries and the median, quartiles and every value of the ratios."""
    a, b = [], []
    for i in range(rounds):
        if i % 2:
            b.append(theirs())
            a.append(ours())
        else:
            a.append(ours())
            b.append(theirs())
    ratios = [y / x for x, y in zip(a, b)]
    q1, med, q3 = (float(v) for v in np.percentile(ratios, [25, 50, 75]))
    return {
        "ours": summarise(a),
        "brian2": summarise(b),
        "ratio": med,
        "ratio_q1": q1,
        "ratio_q3": q3,
        "ratios": ratios,
        "ratio_unstable": bool(q3 - q1 > UNSTABLE * med),
    }


def _standalone_binary(b2, build, prepare, duration_ms, tag):
    """Generate and compile a cpp_standalone project once; returns a function that runs its binary
    (from the same initial state every time) and returns its seconds, the monitors, and the
    generation + compilation seconds."""
    netw, o = build()
    prepare(o)
    t0 = time.perf_counter()
    netw.run(duration_ms * b2.ms, namespace={})
    # build() defaults to ./output: always name the cache folder
    b2.device.build(directory=_standalone_dir(tag), compile=True, run=False, clean=False)
    compile_s = time.perf_counter() - t0

    def run():
        t = time.perf_counter()
        b2.device.run(directory=_standalone_dir(tag))
        return time.perf_counter() - t

    return run, o, compile_s


def case_record_paired(n_neurons=400, batch=256, rounds=REPEATS):
    """Recording ``batch`` digits in float32 (ours) against Brian2 cpp_standalone, in rounds
    (:func:`paired_rounds`); the same input events, both warmed up first."""
    task, net = _setup(n_neurons)
    net = net.using(batch_size=batch, dtype="float32")
    x = np.resize(task.x_test, (batch, task.n_inputs))
    ev = _events(net, x)
    b2 = _brian2_project("cpp_standalone", f"record-{n_neurons}")
    build, prepare, duration = _record_brian2_network(b2, net, x)
    run, o, compile_s = _standalone_binary(b2, build, prepare, duration, f"record-{n_neurons}")

    def ours():
        t0 = time.perf_counter()
        ours.rec = net.record(x, input_spikes=ev)
        return (time.perf_counter() - t0) / batch * 1000

    def theirs():
        return run() / batch * 1000

    steady_warmup(ours)
    theirs()
    out = paired_rounds(ours, theirs, rounds)
    spikes = (int(ours.rec.counts("exc").sum()), int(o["mon_e"].num_spikes))
    return {
        **out,
        **out["ours"],
        "spikes": spikes,
        "compile_s": compile_s,
        "peak_mb": _peak_mb(),
        "time_to_first_output_s": time.perf_counter() - T_START,
    }


def case_train_paired(n_neurons=400, n_samples=200, replicas=1, rounds=REPEATS):
    """One epoch of STDP on ``n_samples`` digits: ours training ``replicas`` networks at once (time
    per network and sample) against Brian2 cpp_standalone training one, in rounds
    (:func:`paired_rounds`). Each of our runs starts from freshly initialised networks; Brian2's
    binary starts from the same initial state every time."""
    from snn import SNNConfig
    from snn.network import init_state, train_stdp
    from snn.numba_engine import NumbaEngine

    from .tasks import load_task

    task = load_task("digits", seed=0)
    cfg = SNNConfig(n_neurons=n_neurons).resolved(task.n_inputs)
    x = task.x_train[:n_samples]
    eng, seeds = NumbaEngine(), list(range(replicas))
    b2 = _brian2_project("cpp_standalone", f"train-{n_neurons}")
    build, prepare, duration = _train_brian2_network(b2, cfg, init_state(cfg, task.n_inputs, [0]), x)
    run, o, compile_s = _standalone_binary(b2, build, prepare, duration, f"train-{n_neurons}")

    def ours():
        state = init_state(cfg, task.n_inputs, seeds)
        t0 = time.perf_counter()
        train_stdp(eng, cfg, state, x, seeds, False)
        return (time.perf_counter() - t0) / (n_samples * replicas) * 1000

    def theirs():
        return run() / n_samples * 1000

    steady_warmup(ours)
    theirs()
    out = paired_rounds(ours, theirs, rounds)
    return {
        **out,
        **out["ours"],
        "replicas": replicas,
        "compile_s": compile_s,
        "peak_mb": _peak_mb(),
        "time_to_first_output_s": time.perf_counter() - T_START,
    }


def case_record_cuda(n_neurons=400, batch=256):
    """The eager engine on a GPU, when there is one."""
    import torch

    if not torch.cuda.is_available():
        return {"skipped": "no CUDA device on this machine (torch.cuda.is_available() is False)"}
    return case_record_ours(n_neurons=n_neurons, batch=batch, engine="eager")


CASES = {
    "train_surrogate": case_train_surrogate,
    "measure": case_measure,
    "measure_columns": case_measure_columns,
    "study": case_study,
    "record_cuda": case_record_cuda,
    "record_ours": case_record_ours,
    "record_brian2": case_record_brian2,
    "train_ours": case_train_ours,
    "train_brian2": case_train_brian2,
    "record_paired": case_record_paired,
    "train_paired": case_train_paired,
}


def run_case(name: str, **params) -> dict:
    """Run one case in a fresh Python process; returns its result (or its error)."""
    cmd = [sys.executable, "-m", "comparisons.bench", name, json.dumps(params)]
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    t0 = time.perf_counter()
    r = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        return {"case": name, "params": params, "error": (r.stderr.strip().splitlines() or ["failed"])[-1]}
    out = json.loads(r.stdout.strip().splitlines()[-1])
    out.update(case=name, params=params, wall_s=time.perf_counter() - t0)
    return out


def run_all(quick: bool = False, progress=print) -> dict:
    """Every case and the ratios against Brian2 cpp_standalone."""
    n_rec, n_train = (64, 40) if quick else (256, 200)
    results: dict = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "load_before": os.getloadavg(),
        "cases": [],
    }

    def add(name, **params):
        progress(f"bench: {name} {params}")
        r = run_case(name, **params)
        results["cases"].append(r)
        return r

    # The headline ratios: ours and Brian2 cpp_standalone alternating in one process, a ratio per
    # round (a drift of the machine moves both sides of a round: docs/performance.md)
    rec_pair = add("record_paired", n_neurons=400, batch=n_rec)
    tr_pair = add("train_paired", n_neurons=400, n_samples=n_train)
    rep_pair = add("train_paired", n_neurons=400, n_samples=max(20, n_train // 4), replicas=16)
    rec_ours = add("record_ours", n_neurons=400, batch=n_rec)  # the default, float32
    rec_64 = add("record_ours", n_neurons=400, batch=n_rec, dtype="float64")  # spike for spike as Brian2
    rec_cpp = add("record_brian2", target="cpp_standalone", n_neurons=400, batch=n_rec)
    # Brian2 standalone on both cores too (OpenMP), as ours uses them: not the goal's reference
    rec_omp = add("record_brian2", target="cpp_standalone", n_neurons=400, batch=n_rec, threads=2)
    # Cython: the first run in a fresh cache compiles (and has been seen to run far slower while it
    # does); the second run, with a warm cache, is the one reported.
    add("record_brian2", target="cython", n_neurons=400, batch=2)
    rec_cy = add("record_brian2", target="cython", n_neurons=400, batch=8)
    tr_ours = add("train_ours", n_neurons=400, n_samples=n_train)
    tr_cpp = add("train_brian2", target="cpp_standalone", n_neurons=400, n_samples=n_train)
    add("train_brian2", target="cython", n_neurons=400, n_samples=2)
    tr_cy = add("train_brian2", target="cython", n_neurons=400, n_samples=max(10, n_train // 10))
    for n in (100, 400, 1600) + (() if quick else (6400,)):
        add("record_ours", n_neurons=n, batch=64 if n < 6400 else 16)
        add("train_ours", n_neurons=n, n_samples=40 if n < 6400 else 5)
        if n <= 1600:
            add("record_brian2", target="cpp_standalone", n_neurons=n, batch=64)
    for batch in (1, 16, 64, 256):
        add("record_ours", n_neurons=400, batch=batch)
    for pres in (350.0, 1400.0):  # memory vs number of steps at a fixed bin layout
        add("record_ours", n_neurons=400, batch=64, presentation_ms=pres)
    surrogate = add("train_surrogate", n_neurons=400, n_samples=32 if quick else 128)
    add("measure", measure="abstraction", n_neurons=100)
    columns = add("measure_columns", n_neurons=100)
    study = add("study", n_seeds=4 if quick else 10)
    add("record_cuda", n_neurons=400, batch=n_rec)

    def ratio(a, b, key="per_sample_ms"):
        try:
            return b[key] / a[key]
        except (KeyError, TypeError, ZeroDivisionError):
            return None

    results["load_after"] = os.getloadavg()
    results["goals"] = {
        # >= 15x on this project's 2-core machines (AMD EPYC); >= 20x where the memory system allows:
        # event delivery is bound at about 0.4 ns per synaptic event per core (docs/performance.md)
        "recording_vs_cpp": _paired_goal(rec_pair, 15.0),
        "recording_float64_vs_cpp": {"ratio": ratio(rec_64, rec_cpp), "goal": None},
        "recording_vs_cpp_openmp_2_threads": {"ratio": ratio(rec_ours, rec_omp), "goal": None},
        "recording_vs_cython": {"ratio": ratio(rec_ours, rec_cy), "goal": None},
        "training_one_vs_cpp": _paired_goal(tr_pair, 2.0),
        "training_one_vs_cython": {"ratio": ratio(tr_ours, tr_cy), "goal": None},
        "training_16_replicas_vs_cpp": _paired_goal(rep_pair, 10.0),  # per network and sample
        # the same ratios from separate processes, minutes apart (exposed to drift: for comparison)
        "recording_vs_cpp_separate_processes": {
            "ratio": ratio(rec_ours, rec_cpp),
            "goal": None,
            "range": _ratio_range(rec_ours, rec_cpp),
        },
        "training_one_vs_cpp_separate_processes": {
            "ratio": ratio(tr_ours, tr_cpp),
            "goal": None,
            "range": _ratio_range(tr_ours, tr_cpp),
        },
    }
    results["goals"]["study_runs_per_hour_replicas_vs_one_per_seed"] = {
        "ratio": study.get("speed_up"),  # runs per hour with seeds batched as replicas over one run per seed
        "goal": 1.8,
    }
    results["goals"]["format_control_column_over_dense_column"] = {  # what probes.format_control adds
        "ratio": columns.get("format_control_over_dense"),
        "goal": None,
    }
    results["goals"]["surrogate_400_default_fit_within_10_min"] = {  # 600 s over the projected fit
        "ratio": 600.0 / surrogate["default_fit_s"] if surrogate.get("default_fit_s") else None,
        "goal": 1.0,
    }
    for g in results["goals"].values():
        g["met"] = None if g["goal"] is None or g["ratio"] is None else bool(g["ratio"] >= g["goal"])
    return results


def _paired_goal(case: dict, goal: float) -> dict:
    """A goal read from a paired case: its median ratio, the ratios' quartiles as the range."""
    if "ratio" not in case:
        return {"ratio": None, "goal": goal}
    return {
        "ratio": case["ratio"],
        "goal": goal,
        "range": [case["ratio_q1"], case["ratio_q3"]],
        "unstable": case["ratio_unstable"],
    }


def _ratio_range(ours: dict, theirs: dict):
    """The ratio's spread from the two cases' quartiles: (their q1 / our q3, their q3 / our q1)."""
    try:
        return [theirs["q1_ms"] / ours["q3_ms"], theirs["q3_ms"] / ours["q1_ms"]]
    except (KeyError, TypeError, ZeroDivisionError):
        return None


def table(results: dict) -> str:
    rows = [("case", "params", "ms/sample (median +/- IQR/2)", "compile s", "peak MB", "first output s")]
    for c in results["cases"]:
        if "error" in c or "skipped" in c:
            why = "error: " + c["error"][:60] if "error" in c else "skipped: " + c["skipped"][:60]
            rows.append((c["case"], json.dumps(c["params"]), why, "", "", ""))
            continue
        if "format_control_over_dense" in c:  # ms per column, not per sample
            cols = [f"{k} {c[k]['per_sample_ms'] / 1000:.1f} s" for k in ("snn", "dense", "dense_at_budget")]
            timing = ", ".join(cols) + f" per column ({c['format_control_over_dense']:.2f}x dense)"
            c = {**c, "unstable": any(c[k]["unstable"] for k in ("snn", "dense", "dense_at_budget"))}
        else:
            per = c.get("per_network_sample_ms", c.get("per_sample_ms"))
            spread = f" +/- {c['iqr_ms'] / 2:.3f}" if "iqr_ms" in c else ""
            timing = f"{c['runs_per_hour']:.0f} runs/hour" if "runs_per_hour" in c else f"{per:.3f}{spread}"
        if "ratios" in c:  # a paired case: Brian2's time and the ratio per round
            b = c["brian2"]
            timing += f" vs {b['per_sample_ms']:.3f} +/- {b['iqr_ms'] / 2:.3f}: {c['ratio']:.2f}x"
        rows.append(
            (
                c["case"],
                json.dumps(c["params"]),
                timing + (" UNSTABLE" if c.get("unstable") else ""),
                "" if c.get("compile_s") is None else f"{c['compile_s']:.1f}",
                f"{c['peak_mb']:.0f}",
                f"{c['time_to_first_output_s']:.1f}",
            )
        )
    rows.append(("", "", "", "", "", ""))
    for k, g in results["goals"].items():
        r = "n/a" if g["ratio"] is None else f"{g['ratio']:.2f}x"
        if g.get("range"):
            r += f" ({g['range'][0]:.1f}-{g['range'][1]:.1f}x)"
        rows.append(
            (
                k,
                f"goal {g['goal']}x" if g["goal"] else "",
                r,
                ("met" if g["met"] else ("" if g["met"] is None else "NOT met"))
                + (" UNSTABLE" if g.get("unstable") else ""),
                "",
                "",
            )
        )
    from .cli import format_table

    m = results.get("machine", {})
    head = (
        f"{results.get('date', '')} on {m.get('cpu_model', '?')} ({m.get('cpus')} cores), "
        f"load {results.get('load_before')} before, {results.get('load_after')} after"
    )
    return head + "\n" + format_table(rows)


if __name__ == "__main__":
    name, params = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(CASES[name](**params)))
