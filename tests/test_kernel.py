"""The numba kernel's argument groups and the cache keys of functions that inline other modules."""

import inspect
import os
import subprocess
import sys
import textwrap

import pytest

import snn.kernel as kernel


def test_the_argument_groups_are_simulates_parameters_in_order():
    # The engine calls simulate(*network, *presentations, *overrides, *params, *outputs): a field
    # added, dropped or moved in a group would shift every later argument.
    groups = (kernel.Network, kernel.Presentations, kernel.Overrides, kernel.Params, kernel.Outputs)
    fields = [f for g in groups for f in g._fields]
    assert fields == list(inspect.signature(kernel.simulate.py_func).parameters)


@pytest.mark.slow
def test_an_edit_to_an_inlined_helper_in_another_module_recompiles_its_cached_caller(tmp_path):
    # numba's cache alone would keep running the old helper: its key sees only the caller's file.
    (tmp_path / "helper.py").write_text(
        textwrap.dedent(
            """
            from numba import njit

            @njit(cache=True, inline="always")
            def f(x):
                return x + 1
            """
        )
    )
    (tmp_path / "caller.py").write_text(
        textwrap.dedent(
            """
            from numba import njit
            import helper
            from helper import f
            from snn.jitcache import source_stamp

            def make(stamp):
                @njit(cache=True)
                def g(x):
                    _ = stamp
                    return 2 * f(x)
                return g

            g = make(source_stamp(helper))
            """
        )
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}

    def run() -> str:
        code = "from caller import g; print(g(1), g.stats.cache_hits.total())"
        return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout

    assert run() == "4 0\n"  # compiled
    assert run() == "4 1\n"  # from the cache
    (tmp_path / "helper.py").write_text((tmp_path / "helper.py").read_text().replace("x + 1", "x + 100"))
    assert run() == "202 0\n"  # the caller's file is unchanged, yet it is compiled again


def test_a_call_uses_at_most_one_numba_thread_per_presentation_and_restores_the_callers_count(monkeypatch, digits):
    """Training one network runs one presentation per kernel call: one thread, not a parallel region
    whose idle threads each wait for a core on a loaded machine. A batch gets every thread."""
    import numba

    from snn import SNNConfig, SpikingNetwork

    if numba.config.NUMBA_NUM_THREADS < 2:
        pytest.skip("numba has one thread here")
    seen, real = [], kernel.simulate

    def spy(*args):
        seen.append(numba.get_num_threads())
        return real(*args)

    monkeypatch.setattr(kernel, "simulate", spy)
    numba.set_num_threads(2)
    try:
        net = SpikingNetwork(SNNConfig(n_neurons=8, presentation_ms=60.0, rest_ms=10.0), seed=0)
        net.fit(digits.x_train[:3], digits.y_train[:3])
        n_fit = len(seen)
        net.record(digits.x_test[:4])
        assert numba.get_num_threads() == 2  # the caller's count, restored
    finally:
        numba.set_num_threads(numba.config.NUMBA_NUM_THREADS)
    assert seen[:3] == [1, 1, 1]  # the three training presentations
    assert seen[n_fit:] == [2] * (len(seen) - n_fit) and len(seen) > n_fit
