"""The Brian2 benchmark cases run and build their projects in the cache, not the working tree."""

import pytest
from bench_helpers import run_cases


@pytest.mark.slow
@pytest.mark.brian2
def test_bench_cases_against_brian2_run_and_build_outside_the_tree(tmp_path):
    run_cases(
        tmp_path,
        [
            ("record_brian2", {"target": "cpp_standalone", "n_neurons": 20, "batch": 2}),
            ("train_brian2", {"target": "cpp_standalone", "n_neurons": 20, "n_samples": 2}),
            ("record_paired", {"n_neurons": 20, "batch": 4, "rounds": 2}),
            ("train_paired", {"n_neurons": 20, "n_samples": 3, "replicas": 2, "rounds": 2}),
        ],
    )
    assert (tmp_path / "cache" / "brian2").is_dir()
