"""The benchmark cases run and write nothing into the working tree (timings are not asserted).
The Brian2 cases are in tests/test_bench_brian2.py (a file per pytest-xdist worker: they build)."""

import pytest
from bench_helpers import run_cases


@pytest.mark.slow
def test_a_bench_case_runs_in_its_own_process_outside_the_tree(tmp_path):
    run_cases(tmp_path, [("record_ours", {"n_neurons": 20, "batch": 4})])


@pytest.mark.slow
def test_bench_cases_of_ours_run_outside_the_tree(tmp_path, monkeypatch):
    run_cases(
        tmp_path,
        [
            ("record_ours", {"n_neurons": 20, "batch": 4, "dtype": "float64"}),
            ("train_ours", {"n_neurons": 20, "n_samples": 3, "replicas": 2}),
            ("train_surrogate", {"n_neurons": 6, "n_samples": 6}),
            ("measure", {"measure": "abstraction", "n_neurons": 8, "max_samples": 20, "n_train": 60, "runs": 1}),
            ("measure_columns", {"n_neurons": 8, "max_samples": 20, "n_train": 40, "runs": 1}),
            ("study", {"n_seeds": 2, "n_neurons": 10, "max_samples": 30, "n_train": 60, "long_window": 0}),
        ],
        monkeypatch,
    )


def test_bench_table_reports_goals():
    from comparisons.bench import table

    results = {
        "cases": [
            {
                "case": "record_ours",
                "params": {},
                "per_sample_ms": 1.0,
                "peak_mb": 100.0,
                "time_to_first_output_s": 2.0,
            },
            {"case": "study", "params": {}, "runs_per_hour": 123.4, "peak_mb": 100.0, "time_to_first_output_s": 2.0},
            {
                "case": "measure_columns",
                "params": {},
                **{
                    k: {"per_sample_ms": v, "unstable": False}
                    for k, v in [("snn", 4000), ("dense", 1500), ("dense_at_budget", 2100)]
                },
                "format_control_over_dense": 1.4,
                "peak_mb": 100.0,
                "time_to_first_output_s": 2.0,
            },
        ],
        "goals": {"recording_vs_cpp": {"ratio": 1.5, "goal": 20.0, "met": False}},
    }
    text = table(results)
    assert "1.50x" in text and "NOT met" in text and "123 runs/hour" in text
    assert "dense_at_budget 2.1 s per column (1.40x dense)" in text


def test_summaries_are_medians_with_their_spread_and_flag_unstable_cases():
    import numpy as np

    from comparisons.bench import steady_warmup, summarise

    runs = [1.0, 1.1, 0.9, 1.05, 3.0, 1.0, 0.95]
    out = summarise(runs)
    q1, med, q3 = np.percentile(runs, [25, 50, 75])
    assert out["per_sample_ms"] == med and out["iqr_ms"] == q3 - q1 and out["runs_ms"] == runs
    assert out["fastest_ms"] == 0.9 and out["unstable"] is False
    assert summarise([1.0, 2.0, 1.0, 2.0, 1.0, 2.0, 3.0])["unstable"] is True
    times = iter([5.0, 3.0, 2.0, 1.5, 1.02, 1.0, 1.0])
    assert steady_warmup(lambda: next(times)) == [5.0, 3.0, 2.0, 1.5, 1.02, 1.0]  # stops once two agree


def test_the_machine_is_in_the_record_and_cuda_skips_with_a_reason():
    import torch

    from comparisons.bench import case_record_cuda, machine

    m = machine()
    assert m["cpus"] >= 1 and m["numpy"] and m["torch"] and "NUMBA_NUM_THREADS" in m
    if not torch.cuda.is_available():
        assert "no CUDA device" in case_record_cuda(n_neurons=10, batch=2)["skipped"]


def test_paired_rounds_alternate_and_a_drift_cancels_in_the_ratio():
    from comparisons.bench import paired_rounds

    calls = []

    def side(name, cost):  # the machine slows down round after round (7x), each round at one speed
        def run():
            calls.append(name)
            return cost * (1 + (len(calls) - 1) // 2)

        return run

    out = paired_rounds(side("ours", 1.0), side("theirs", 10.0), rounds=7)
    assert calls[:4] == ["ours", "theirs", "theirs", "ours"]  # the order flips each round
    assert out["ours"]["unstable"] and out["brian2"]["unstable"]  # each side alone: a wide spread
    assert out["ratios"] == [10.0] * 7 and out["ratio"] == 10.0 and not out["ratio_unstable"]
    skewed = paired_rounds(iter([1.0, 2.0, 1.0, 1.0, 4.0]).__next__, iter([3.0, 4.0, 2.0, 2.0, 3.0]).__next__, 5)
    assert skewed["ratios"] == [3.0, 2.0, 2.0, 2.0, 0.75] and skewed["ratio"] == 2.0  # median of ratios
