"""Seeds of one spiking config that share their data train together (``fit_replicas``) in one Dask task."""

import pytest

from comparisons.study import _run_group, _run_task, load_study, replica_groups

STUDY = """
[study]
name = "replicas"
seeds = [0, 1, 2]
measures = ["selectivity"]
{split}
[base]
"snn.n_neurons" = 30
"task.test_fraction" = 0.8
"task.n_test" = 150
"dense.hidden" = [10]
"dense.max_epochs" = 2
"probes.max_samples" = 60
[grid]
"snn.delay_ms" = [0.0, 5.0]
"""


def study(tmp_path, split="split_seed = 0"):
    path = tmp_path / "r.toml"
    path.write_text(STUDY.format(split=split))
    return load_study(path)


def test_groups_hold_the_seeds_of_one_spiking_config_when_they_share_data(tmp_path):
    s = study(tmp_path)
    groups = replica_groups(list(s.runs))
    sizes = sorted((g[0].network, len(g)) for g in groups)
    assert sizes == [("dense", 1)] * 3 + [("snn", 3)] * 2
    for g in groups:
        assert len({r.config.snn.delay_ms for r in g}) == 1 and len({r.seed for r in g}) == len(g)
    assert all(len(g) == 1 for g in replica_groups(list(s.runs), replicas=False))
    # without split_seed digits splits by the run's seed: nothing to share, nothing batched
    assert all(len(g) == 1 for g in replica_groups(list(study(tmp_path, split="").runs)))
    # split_seed changes what a run computes, so it changes its id
    assert not {r.run_id for r in s.runs} & {r.run_id for r in study(tmp_path, split="").runs}


@pytest.mark.slow
def test_a_run_trained_as_a_replica_scores_as_when_trained_alone(tmp_path):
    s = study(tmp_path)
    group = [r for r in s.runs if r.network == "snn" and r.config.snn.delay_ms == 5.0][:2]
    together = _run_group(group)
    alone = [_run_task(r) for r in group]
    for (rid_t, st_t, res_t, *_), (rid_a, st_a, res_a, *_) in zip(together, alone):
        assert rid_t == rid_a and st_t == st_a == "done"
        assert res_t["snn"] == pytest.approx(res_a["snn"], abs=1e-9)
    assert res_t["snn"]["selectivity.share_dead"] < 1  # a firing network, so equal scores mean something
    assert res_t["snn"] != together[0][2]["snn"]  # two seeds, two networks


def test_estimate_is_the_mean_duration_of_finished_runs_per_network_over_the_workers(tmp_path):
    from comparisons.study import Store, estimate_seconds

    s = study(tmp_path)
    store = Store(tmp_path / "e.sqlite")
    runs = list(s.runs)
    assert estimate_seconds(store, runs, 2) == (None, len(runs))  # nothing to go by yet
    snn = [r for r in runs if r.network == "snn"]
    dense = [r for r in runs if r.network == "dense"]
    store.put(snn[0], s.name, "done", {"snn": {}}, None, 100.0, 110.0)
    store.put(snn[1], s.name, "done", {"snn": {}}, None, 100.0, 130.0)
    store.put(dense[0], s.name, "done", {"dense-sgd": {}}, None, 5.0, 9.0)
    todo = snn[2:] + dense[1:]
    est, unknown = estimate_seconds(store, todo, 2)
    assert unknown == 0 and est == pytest.approx((20.0 * len(snn[2:]) + 4.0 * len(dense[1:])) / 2)
    # a network with no finished run is not guessed from another's: it is counted as unknown
    assert estimate_seconds(store, snn[2:], 2)[1] == 0
    only_dense = Store(tmp_path / "d.sqlite")
    only_dense.put(dense[0], s.name, "done", {"dense-sgd": {}}, None, 5.0, 9.0)
    assert estimate_seconds(only_dense, todo, 1) == (pytest.approx(4.0 * len(dense[1:])), len(snn[2:]))
    only_dense.close()
    store.close()
