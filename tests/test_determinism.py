"""Same config and seed -> the same bits, across processes and thread counts; kill -9 never leaves
a half-written file that a later run trusts."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

SCRIPT = r"""
import hashlib, json, sys
import numpy as np
import torch
from comparisons.tasks import load_task
from dense import DenseConfig, DenseNetwork
from probes import MEASUREMENTS
from snn import SNNConfig, SpikingNetwork

threads, which = int(sys.argv[1]), sys.argv[2].split(",")
torch.set_num_threads(threads)
task = load_task("digits", seed=0)
x, y = task.x_train[:200], task.y_train[:200]
builders = {
    "snn": lambda: SpikingNetwork(SNNConfig(n_neurons=16), seed=3).fit(x[:60], y[:60]),
    # 400 hidden units: [64, 64] @ [64, 400] is a shape that MKL's AVX2 path splits differently on 1 and 2 threads
    "sgd": lambda: DenseNetwork(DenseConfig(hidden=(400,), max_epochs=3), seed=3).fit(x, y),
    "hebb": lambda: DenseNetwork(DenseConfig(learning="hebbian", hidden=(400,), hebb_epochs=1), seed=3).fit(x, y),
}
out = {}
for name in which:
    m = builders[name]()
    h = hashlib.sha256()
    for k, w in sorted(m.weights().items()):
        h.update(np.ascontiguousarray(w).tobytes())
    rec = m.record(task.x_test[:100])
    for site in sorted(rec.activity):
        h.update(rec.activity[site].tobytes())
    for site in sorted(rec.spikes):
        for a in rec.spikes[site]:
            h.update(a.tobytes())
    h.update(rec.outputs.tobytes())
    out[name] = h.hexdigest()
    out[name + "/decoding"] = MEASUREMENTS["decoding"](m, task, max_samples=80).scores
out["threads_after"] = torch.get_num_threads()
print(json.dumps(out, sort_keys=True))
"""


def start_script(threads: int, numba_threads: int, which: str = "snn,sgd,hebb", **env_extra):
    env = dict(os.environ, NUMBA_NUM_THREADS=str(numba_threads), OMP_NUM_THREADS=str(threads), **env_extra)
    cmd = [sys.executable, "-c", SCRIPT, str(threads), which]
    return threads, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def finish_script(started) -> dict:
    threads, proc = started
    stdout, stderr = proc.communicate(timeout=1800)
    assert proc.returncode == 0, stderr[-2000:]
    out = json.loads(stdout.strip().splitlines()[-1])
    assert out.pop("threads_after") == threads  # the user's torch setting survives fit and record
    return out


@pytest.mark.slow
def test_bit_identical_across_processes_and_thread_counts():
    """The guarantee (docs/reliability-determinism.md): on one machine, with the same versions of torch,
    MKL and numba, the same config and seed give the same bits in every process and for every thread
    count, on an idle or a loaded machine. Two processes, one and two threads for torch and numba,
    run at once: each on a machine the other (and the other test worker) loads beyond its cores. (A
    third process with the first one's settings added nothing: any difference between two processes,
    thread-related or not, shows between these two.)"""
    started = [start_script(1, 1), start_script(2, 2)]
    a, b = (finish_script(s) for s in started)
    assert a == b


@pytest.mark.slow
def test_dense_bit_identical_across_thread_counts_on_mkl_avx2_path():
    """MKL's AVX2 kernels (what MKL runs on AMD EPYC, where issue 17 failed) round some float32 products
    differently on 1 and 2 threads; dense fit and record pin one intra-op thread, so the bits agree.
    On an AVX-512 Intel CPU without the pin this test fails (the first difference is the first
    ``nn.Linear`` forward of SGD training)."""
    avx2 = {"MKL_ENABLE_INSTRUCTIONS": "AVX2"}
    started = [start_script(1, 1, "sgd,hebb", **avx2), start_script(2, 2, "sgd,hebb", **avx2)]
    assert finish_script(started[0]) == finish_script(started[1])


def test_fit_and_record_restore_the_callers_thread_count(digits):
    import torch

    from dense import DenseConfig, DenseNetwork
    from probes.support import DataError

    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        net = DenseNetwork(DenseConfig(hidden=(8,), max_epochs=1), seed=0).fit(digits.x_train[:50], digits.y_train[:50])
        net.record(digits.x_test[:5])
        assert torch.get_num_threads() == 2
        with pytest.raises(DataError, match="too few samples"):  # raised inside the one-thread block
            DenseNetwork(DenseConfig(hidden=(8,)), seed=0).fit(digits.x_train[:1], digits.y_train[:1])
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


TINY = [
    "--set",
    "snn.n_neurons=12",
    "--set",
    "dense.hidden=[12]",
    "--set",
    "dense.max_epochs=5",
    "--set",
    "probes.max_samples=40",
    "--set",
    "snn.presentation_ms=100",
    "--set",
    "snn.rest_ms=20",
    "--set",
    "task.n_train=300",
    "--set",
    "task.n_test=100",
    # two columns, two measurements, uncertainty at its smallest: what is tested is the files, not the scores
    "--set",
    "probes.long_window=0",
    "--set",
    "probes.redraws=1",
    "--set",
    "probes.resamples=2",
    "--set",
    "probes.format_control=false",
    "--measure",
    "decoding,receptive_fields",
]


def _trustworthy(out_dir, cache_dir):
    """Every file under its final name is complete; temporary files are never read."""
    from dense import DenseNetwork
    from snn import SpikingNetwork

    for p in out_dir.rglob("*") if out_dir.exists() else []:
        if p.name.startswith(".") or not p.is_file():
            continue
        if p.name == "metrics.json":
            json.loads(p.read_text())
        elif p.suffix == ".html":
            assert p.read_text().rstrip().endswith("</html>")
        elif p.suffix == ".png":
            assert p.read_bytes()[-8:] == b"IEND\xaeB`\x82"  # the IEND chunk: a complete PNG
    for p in cache_dir.glob("*.npz") if cache_dir.exists() else []:
        (SpikingNetwork if p.name.startswith("snn") else DenseNetwork).load(p)


def _kill_after(cmd, marker: bytes, delay_s: float):
    """Start ``cmd`` and kill -9 its process group ``delay_s`` after ``marker`` first appears on its
    stderr (log lines and progress bars); returns its exit code (``-9`` when killed) and stderr."""
    proc = subprocess.Popen(cmd, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    seen = b""
    while marker not in seen:
        chunk = proc.stderr.read1(1 << 16)  # what has arrived (waits for some)
        if not chunk:  # the process ended first
            break
        seen += chunk
    time.sleep(delay_s)
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    seen += proc.stderr.read()
    proc.wait()
    return proc.returncode, seen.decode(errors="replace")


@pytest.mark.slow
def test_kill_9_during_compare_leaves_nothing_half_written(tmp_path):
    """Killed while it trains the dense network (the spiking one cached), then while it writes the
    report (both networks cached, every measurement done): the moments are read from its progress
    output, not timed, so they hold on a loaded machine. Each run resumes from what the last one
    cached, and a final run completes."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    cmd = [
        sys.executable,
        "-m",
        "comparisons.cli",
        "compare",
        "--task",
        "digits",
        "--out",
        str(out),
        "--cache-dir",
        str(cache),
        *TINY,
    ]
    code, err = _kill_after(cmd, b"training dense-sgd", 0.3)
    assert code == -signal.SIGKILL, err[-1000:]
    assert [p.name[:4] for p in cache.glob("*.npz")] == ["snn-"], err[-1000:]  # snn saved, dense not yet
    _trustworthy(out, cache)
    code, err = _kill_after(cmd, b"measurements: 100%", 0.0)
    assert "loaded snn from the cache" in err and "training dense-sgd" in err
    assert code in (-signal.SIGKILL, 0), err[-1000:]  # 0: the report was written before the kill landed
    _trustworthy(out, cache)
    r = subprocess.run([*cmd, "--quiet"], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr[-1000:]
    _trustworthy(out, cache)
    m = json.loads((out / "metrics.json").read_text())
    assert m["trained"] == [] and m["measurements"]["decoding"]  # both networks from the runs killed
