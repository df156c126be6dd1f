"""Run benchmark cases as ``make bench`` does (a fresh process each) and check what each returns."""

import json
import os
import subprocess
import sys
import warnings

import pytest


def run_cases(tmp_path, cases, monkeypatch=None, cache=None) -> None:
    """Each ``(case, params)`` in its own process as ``make bench`` runs it (or, given
    ``monkeypatch``, in this one: no interpreter, import and kernel load per case), from an empty
    working folder with the cache under ``tmp_path`` (or ``cache``); checks each case's output
    (after a JSON round trip) and that nothing was written into the folder."""
    env_cwd = tmp_path / "cwd"
    env_cwd.mkdir()
    env = dict(os.environ, SCRUTABLE_CACHE=str(cache or tmp_path / "cache"), PYTHONWARNINGS="ignore")
    if monkeypatch is not None:
        monkeypatch.chdir(env_cwd)
        monkeypatch.setenv("SCRUTABLE_CACHE", env["SCRUTABLE_CACHE"])
    for case, params in cases:
        if monkeypatch is not None:
            from comparisons.bench import CASES

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                check(case, json.loads(json.dumps(CASES[case](**params))))
            continue
        r = subprocess.run(
            [sys.executable, "-m", "comparisons.bench", case, json.dumps(params)],
            cwd=env_cwd,
            capture_output=True,
            text=True,
            env=env,
            timeout=600,
        )
        assert r.returncode == 0, r.stderr[-2000:]
        check(case, json.loads(r.stdout.strip().splitlines()[-1]))
    assert list(env_cwd.iterdir()) == []  # Brian2's standalone projects, if any, went to the cache


def check(case: str, out: dict) -> None:
    """What a case's output must hold (wiring, not timings)."""
    if case == "study":  # replicas give each seed the network it trains alone: the same scores
        assert out["runs"] == 2 and out["same_scores"] and out["runs_per_hour"] > 0
    elif case == "measure_columns":  # each column's total is the sum of its measurements' times
        for col in ("snn", "dense", "dense_at_budget"):
            by = out[col]["by_measurement_ms"]
            assert "abstraction" not in by and out[col]["per_sample_ms"] == pytest.approx(sum(by.values()))
        ratio = out["dense_at_budget"]["per_sample_ms"] / out["dense"]["per_sample_ms"]
        assert out["format_control_over_dense"] == pytest.approx(ratio) and out["spikes_per_sample"] > 0
    else:
        assert out["per_sample_ms"] > 0 and out["peak_mb"] > 0
    if case.endswith("_paired"):  # a ratio per round, from both sides' times of that round
        ours, theirs = out["ours"]["runs_ms"], out["brian2"]["runs_ms"]
        assert out["ratios"] == [b / a for a, b in zip(ours, theirs)] and len(ours) == 2
    if case == "record_paired":  # the same events into the same frozen network
        assert out["spikes"][0] > 0 and out["spikes"][1] > 0
    if case == "train_surrogate":  # wiring: a default fit on every training digit (1,347) at that rate
        from snn import SNNConfig

        epochs = SNNConfig().surrogate_epochs
        assert out["default_fit_s"] == pytest.approx(out["per_sample_ms"] * 1347 * epochs / 1000)
