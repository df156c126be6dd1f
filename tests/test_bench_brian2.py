"""The Brian2 benchmark cases run and build their projects in the cache, not the working tree."""

import pytest
from bench_helpers import run_cases


@pytest.mark.slow
@pytest.mark.brian2
def test_bench_cases_against_brian2_run_and_build_outside_the_tree(tmp_path, standalone_cache):
    import time

    started = time.time()
    run_cases(
        tmp_path,
        [
            # the paired cases' sizes: each pair builds one project, the second time with nothing to compile
            ("record_brian2", {"target": "cpp_standalone", "n_neurons": 20, "batch": 4}),
            ("train_brian2", {"target": "cpp_standalone", "n_neurons": 20, "n_samples": 3}),
            ("record_paired", {"n_neurons": 20, "batch": 4, "rounds": 2}),
            ("train_paired", {"n_neurons": 20, "n_samples": 3, "replicas": 2, "rounds": 2}),
        ],
        cache=standalone_cache,
    )
    for tag in ("record-20", "train-20"):  # each project ran from the cache (its results written now)
        results = standalone_cache / "brian2" / f"bench-{tag}" / "results"
        assert max(p.stat().st_mtime for p in results.iterdir()) >= started - 1
