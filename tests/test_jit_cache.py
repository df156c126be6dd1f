"""numba's on-disk cache serves a second process: nothing is compiled again.

Numba keys a cached function on its bytecode and a pickle of its closure values; a closure that
held another jitted function pickled differently in every process, so the Poisson kernels were
compiled again in every fresh interpreter (CLI runs, Dask workers, test workers): about 7 s each.
"""

import os
import subprocess
import sys
import textwrap

import pytest

WORKLOAD = textwrap.dedent(
    """
    import numpy as np
    from comparisons.tasks import load_task
    from snn import SNNConfig, SpikingNetwork

    task = load_task("digits", seed=0)
    net = SpikingNetwork(SNNConfig(n_neurons=10), seed=0).fit(task.x_train[:3], task.y_train[:3])
    net.record(task.x_test[:4])   # the serial Poisson kernels (a few samples)
    net.record(task.x_test[:40])  # the parallel ones
    """
)


def _cache_lines(env) -> list[str]:
    r = subprocess.run([sys.executable, "-c", WORKLOAD], capture_output=True, text=True, env=env, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    return [line for line in r.stdout.splitlines() if line.startswith("[cache] data ")]


@pytest.mark.slow
def test_a_second_process_loads_every_kernel_from_the_cache():
    """The project's own cache (a fresh one compiles everything: minutes); the first run fills what is missing."""
    env = dict(os.environ, NUMBA_DEBUG_CACHE="1", PYTHONWARNINGS="ignore")
    _cache_lines(env)
    second = _cache_lines(env)
    assert [line for line in second if "saved" in line] == []
    assert any("loaded" in line and "poisson_csr" in line for line in second)


def test_warming_is_skipped_while_its_stamp_matches_and_redone_when_a_source_changes(tmp_path, monkeypatch):
    from snn import jitcache

    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path))
    calls = []
    monkeypatch.setattr(jitcache, "warm", lambda processes=2: calls.append(processes))
    assert jitcache.warm_if_stale() and calls == [2]  # no stamp: warm, then stamp
    assert (tmp_path / "scrutable-jitcache.stamp").exists()
    assert not jitcache.warm_if_stale() and calls == [2]  # the same sources: nothing to do
    real = jitcache.Path.read_bytes
    edited = lambda self: real(self) + (b"# edited" if self.name == "kernel.py" else b"")  # noqa: E731
    monkeypatch.setattr(jitcache.Path, "read_bytes", edited)
    assert jitcache.warm_if_stale() and calls == [2, 2]  # a source changed: warm again
    monkeypatch.setattr(jitcache, "warm", lambda processes=2: (_ for _ in ()).throw(RuntimeError("compile failed")))
    monkeypatch.setattr(jitcache.Path, "read_bytes", lambda self: real(self) + b"# again")
    with pytest.raises(RuntimeError):
        jitcache.warm_if_stale()
    monkeypatch.setattr(jitcache, "warm", lambda processes=2: calls.append(processes))
    assert jitcache.warm_if_stale() and calls == [2, 2, 2]  # a failed warm-up left the old stamp: warm again
