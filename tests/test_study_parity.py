"""A study run measures as `scrutable compare` does: the same test-time competition, the same abstractions."""

import dataclasses
import itertools
import math

import pytest

from comparisons.config import load_config
from comparisons.pipeline import run_compare
from comparisons.study import execute_run, load_study, stored_config

BASE = {
    "task.test_fraction": 0.8,
    "task.n_test": 150,
    "snn.n_neurons": 12,
    "snn.presentation_ms": 100,
    "snn.rest_ms": 20,
    "dense.learning": '"hebbian"',
    "dense.hidden": "[12]",
    "dense.hebb_epochs": 1,
    "probes.max_samples": 30,
}

STUDY = """
[study]
name = "parity"
seeds = [0]
measures = ["abstraction"]
[base]
{base}
"""


def study(tmp_path, **extra):
    path = tmp_path / "p.toml"
    base = {**BASE, **extra}
    path.write_text(STUDY.format(base="\n".join(f'"{k}" = {v}' for k, v in base.items())))
    return load_study(path)


def _equal(a, b) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == pytest.approx(b, abs=1e-12)


@pytest.mark.slow
def test_a_study_run_chooses_the_competition_and_scores_the_abstractions_as_compare_does(tmp_path):
    s = study(tmp_path, **{"probes.long_window": 0})
    results = {}
    for run in s.runs:
        results.update(execute_run(run))
    overrides = [f"{k}={v}" for k, v in BASE.items()] + ["probes.format_control=false", "probes.long_window=0"]
    res = run_compare(load_config(overrides=overrides), measures=["abstraction"], progress=False, cache_dir=None)
    assert set(results) == {"snn", "dense-hebbian"} == set(res.competition)
    for name, scores in results.items():
        chosen = res.competition[name]["setting"]
        for key, value in chosen.items():
            want = res.models[name].config_.w_inh_exc if value is None else value  # None: as trained
            assert scores[f"competition.{key}"] == want, (name, key)
        assert scores["accuracy"] == res.accuracy[name]
        compare_scores = res.results["abstraction"][name].scores
        abstraction = {k.split(".", 1)[1]: v for k, v in scores.items() if k.startswith("abstraction.")}
        nulls = {k: v for k, v in abstraction.items() if k.endswith("_null")}
        assert set(abstraction) - set(nulls) == set(compare_scores), name
        for k, v in compare_scores.items():
            assert _equal(abstraction[k], v), (name, k, abstraction[k], v)
        # beside each score its own null (units shuffled), as compare's details hold it, over the ceiling
        # (undefined, NaN, where the ceiling is below the measurement's floor, as the score is)
        details = res.results["abstraction"][name].details
        for which, what in itertools.product(("no_delays", "one_step", "fitted"), ("fidelity", "iia", "ablation_corr")):
            raw = details["table"].get(which, {}).get(f"{what}_null", float("nan"))
            ceiling = details["ceiling"][what]
            want = raw / ceiling if ceiling >= details["min_ceiling"] else float("nan")
            assert _equal(nulls.pop(f"{which}_{what}_null"), want), (name, which, what)
        assert not nulls
    # finite where the abstraction applies: all three on the spiking network, the control on the dense one
    snn, dense = results["snn"], results["dense-hebbian"]
    assert all(math.isfinite(snn[f"abstraction.{a}_fidelity"]) for a in ("no_delays", "one_step", "fitted"))
    assert all(math.isfinite(dense[f"abstraction.{a}_fidelity"]) for a in ("one_step", "fitted"))
    assert math.isnan(dense["abstraction.no_delays_fidelity"]) and dense["abstraction.ceiling_fidelity"] == 1.0


@pytest.mark.slow
def test_a_study_run_measures_the_format_controls_as_compare_does(tmp_path):
    """compare's long-window column and its dense network at the spiking budget, as a study's
    snn-long and dense-hebbian-spikes models (the budget stated as compare measured it)."""
    measures = ["decoding", "ablation"]
    res = run_compare(load_config(overrides=[f"{k}={v}" for k, v in BASE.items()]), measures=measures, progress=False)
    budget = float(round(res.budgets["snn"]["mean"], 1))
    long_name = next(n for n in res.models if n.startswith("snn over "))
    columns = {"snn-long": long_name, "dense-hebbian-spikes": f"dense-hebbian at {budget:g} spikes"}
    s = study(tmp_path, **{"probes.spike_budget": budget})
    results = {}
    for run in s.runs:
        results.update(execute_run(dataclasses.replace(run, measures=tuple(measures))))
    assert set(results) == {"snn", "snn-long", "dense-hebbian", "dense-hebbian-spikes"}
    for ours, theirs in columns.items():
        assert results[ours]["accuracy"] == res.accuracy[theirs], ours
        want = res.results["decoding"][theirs].scores["selectivity"]
        assert results[ours]["decoding.selectivity"] == pytest.approx(want), ours
    assert results["dense-hebbian-spikes"]["spikes.mean"] == pytest.approx(budget, rel=0.15)  # Poisson around it
    assert "ablation.error" not in results["dense-hebbian-spikes"] and "abstraction.error" not in results["snn-long"]
    assert not any(k.startswith("ablation.") for k in results["snn-long"])  # interventions: opt in, as in compare


def test_competition_is_part_of_what_a_run_reads(tmp_path):
    matched, trained = study(tmp_path), study(tmp_path, competition='"as_trained"')
    assert {r.config.competition for r in matched.runs} == {"matched"}  # the default, as compare's
    assert not {r.run_id for r in matched.runs} & {r.run_id for r in trained.runs}
    assert all(stored_config(r)["competition"] == "as_trained" for r in trained.runs)
