"""The causal-abstraction measurement and Retime, on planted spiking codes with known answers."""

import numpy as np
import pytest

from comparisons import abstractions
from probes import MEASUREMENTS, Ablate, Retime
from probes.interventions import retimed_steps
from tests.planted_codes import PlantedSpiking, planted_task


@pytest.fixture(scope="module")
def task():
    return planted_task()


def _accuracy(model, task, ivs=()):
    return float((model.record(task.x_test, sites=[], interventions=ivs).predictions == task.y_test).mean())


def test_a_rate_code_is_abstracted_by_a_rate_model_and_ignores_retiming(task):
    L = PlantedSpiking("rate")
    H = abstractions.fitted(L, task.x_train)
    res = MEASUREMENTS["abstraction"](L, task, abstractions={"fitted": H}, reference=PlantedSpiking("rate", seed=1))
    row = res.details["table"]["fitted"]
    assert res.scores["ceiling_iia"] > 0.95
    assert res.scores["fitted_fidelity"] > 0.95 and res.scores["fitted_iia"] > 0.9
    assert row["iia"] > row["iia_null"] + 0.2  # a shuffled alignment breaks it
    all_units = list(range(4))
    assert _accuracy(L, task, [Retime("exc", all_units)]) == _accuracy(L, task) == 1.0


def test_a_timing_code_defeats_every_rate_abstraction_and_retiming_destroys_it(task):
    L = PlantedSpiking("timing")
    H = abstractions.fitted(L, task.x_train)
    res = MEASUREMENTS["abstraction"](L, task, abstractions={"fitted": H}, reference=PlantedSpiking("timing", seed=1))
    assert _accuracy(L, task) == 1.0
    assert res.details["table"]["fitted"]["fidelity"] < 0.4  # chance is 1/4
    assert _accuracy(L, task, [Retime("exc", list(range(4)), seed=3)]) < 0.45
    # counts are what they were: only the times moved
    clean = L.record(task.x_test)
    moved = L.record(task.x_test, interventions=[Retime("exc", [0, 1, 2, 3])])
    assert np.array_equal(clean.counts("exc"), moved.counts("exc"))


def test_retimed_steps_keep_counts_and_the_refractory_gap():
    rng = np.random.default_rng(0)
    counts = np.array([0, 1, 5, 40, 70])
    steps = retimed_steps(counts, 700, 10, rng)
    assert [len(s) for s in steps] == counts.tolist()
    for s in steps:
        assert np.all(np.diff(s) >= 10) and (len(s) == 0 or (s.min() >= 0 and s.max() < 700))
    # uniform over the window: the mean of many single spikes is near the middle
    singles = np.concatenate(retimed_steps(np.ones(4000, int), 700, 10, rng))
    assert abs(singles.mean() - 349.5) < 12


def test_retime_on_the_spiking_network_keeps_counts_and_moves_times(digits):
    from snn import SNNConfig, SpikingNetwork

    net = SpikingNetwork(SNNConfig(n_neurons=20), seed=0).fit(digits.x_train[:150], digits.y_train[:150])
    x = digits.x_test[:30]
    clean = net.record(x, sites=["exc"])
    units = np.flatnonzero(clean.counts("exc").sum(0) > 0)[:6].tolist()
    moved = net.record(x, sites=["exc"], interventions=[Retime("exc", units, seed=1)])
    assert np.array_equal(clean.counts("exc")[:, units], moved.counts("exc")[:, units])
    a, b = clean.spikes["exc"], moved.spikes["exc"]
    sel_a, sel_b = np.isin(a.unit, units), np.isin(b.unit, units)
    assert not np.array_equal(a.time_ms[sel_a], b.time_ms[sel_b])
    # with other interventions, the counts come from the intervened presentation
    both = net.record(x, sites=["exc"], interventions=[Ablate("exc", units[:2]), Retime("exc", units[2:], seed=1)])
    ablated = net.record(x, sites=["exc"], interventions=[Ablate("exc", units[:2])])
    assert np.array_equal(both.counts("exc")[:, units[2:]], ablated.counts("exc")[:, units[2:]])
    assert both.counts("exc")[:, units[:2]].sum() == 0


class _AblatesAnother:
    """A re-recording of L whose single-unit ablations hit unit ``perm[u]`` instead of ``u``."""

    def __init__(self, model, perm):
        self.model, self.perm = model, perm

    def sites(self):
        return self.model.sites()

    def record(self, x, *, sites=None, interventions=()):
        moved = [
            Ablate(iv.site, [self.perm[u] for u in iv.units]) if isinstance(iv, Ablate) else iv for iv in interventions
        ]
        return self.model.record(x, sites=sites, interventions=moved)


@pytest.mark.parametrize("perm", [[0, 1, 3, 2], [3, 2, 1, 0]])
def test_ablation_ratio_is_left_undefined_below_the_ceiling_floor(perm):
    from comparisons.tasks import Task

    # the rate code's unit u carries class u alone: ablating it flips exactly the inputs of class u, so each
    # unit's ablation effect is its class's share of the test set (planted unequal: 20, 10, 5, 2 inputs)
    base = planted_task()
    keep = np.concatenate([np.flatnonzero(base.y_test == c)[:n] for c, n in enumerate([20, 10, 5, 2])])
    task = Task.from_arrays(base.x_train, base.y_train, base.x_test[keep], base.y_test[keep], name="planted")
    share = np.array([20, 10, 5, 2]) / 37
    expected = np.corrcoef(share, share[perm])[0, 1]  # 0.95 and -0.87
    L = PlantedSpiking("rate")
    ref = _AblatesAnother(PlantedSpiking("rate", seed=1), perm)
    res = MEASUREMENTS["abstraction"](L, task, abstractions={"one_step": L}, reference=ref)
    assert res.scores["ceiling_ablation_corr"] == pytest.approx(expected)
    raw = res.details["table"]["one_step"]["ablation_corr"]
    assert raw == pytest.approx(1.0)  # H = L: the same effects
    assert res.scores["one_step_fidelity"] == 1.0  # fidelity has its own ceiling (1 here)
    if expected >= 0.5:
        assert res.scores["one_step_ablation_corr"] == pytest.approx(1.0 / expected)
        assert "one_step_ablation_corr" not in res.details["not_applicable"]
    else:
        assert np.isnan(res.scores["one_step_ablation_corr"])
        assert "below min_ceiling = 0.5" in res.details["not_applicable"]["one_step_ablation_corr"]
        from probes.abstraction import null_scores

        assert np.isnan(null_scores(res)["one_step_ablation_corr_null"])


def test_min_ceiling_outside_0_1_is_refused_naming_it(task):
    from probes.errors import ConfigError

    with pytest.raises(ConfigError, match=r"min_ceiling=0 must be in \(0, 1\]"):
        MEASUREMENTS["abstraction"](
            PlantedSpiking("rate"), task, reference=PlantedSpiking("rate", seed=1), min_ceiling=0
        )
