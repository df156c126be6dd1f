"""The numba kernel's argument groups and the cache keys of functions that inline other modules."""

import inspect
import os
import subprocess
import sys
import textwrap

import snn.kernel as kernel


def test_the_argument_groups_are_simulates_parameters_in_order():
    # The engine calls simulate(*network, *presentations, *overrides, *params, *outputs): a field
    # added, dropped or moved in a group would shift every later argument.
    groups = (kernel.Network, kernel.Presentations, kernel.Overrides, kernel.Params, kernel.Outputs)
    fields = [f for g in groups for f in g._fields]
    assert fields == list(inspect.signature(kernel.simulate.py_func).parameters)


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
