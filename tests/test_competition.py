"""Matched test-time competition: the same held-out rule for every network."""

import numpy as np
import pytest

from comparisons.competition import SNN_CANDIDATES, choose_competition, hebbian_candidates
from snn import SNNConfig, SpikingNetwork


@pytest.mark.slow
def test_bars_are_read_with_weaker_inhibition_than_trained(bars):
    net = SpikingNetwork(SNNConfig(n_neurons=60, epochs=1), seed=0).fit(bars.x_train[:600], bars.y_train[:600])
    chosen, choice = choose_competition(net, bars.x_train[:600], bars.y_train[:600], seed=0)
    rows = {row["w_inh_exc_test"]: row for row in choice.table}
    assert [r["w_inh_exc_test"] for r in choice.table] == [c["w_inh_exc_test"] for c in SNN_CANDIDATES]
    assert choice.setting["w_inh_exc_test"] is not None and choice.setting["w_inh_exc_test"] < 17
    best = max(r["val_accuracy"] for r in choice.table)
    assert rows[choice.setting["w_inh_exc_test"]]["val_accuracy"] == best > rows[None]["val_accuracy"]
    # weaker inhibition lets more units answer per image (several bars are present at once)
    assert rows[choice.setting["w_inh_exc_test"]]["active_units"] > rows[None]["active_units"]
    assert chosen.config_.w_inh_exc_test == choice.setting["w_inh_exc_test"]
    assert net.config_.w_inh_exc_test is None  # the trained network is untouched
    exact = lambda m: (m.record(bars.x_test[:200], sites=[]).predictions == bars.y_test[:200]).all(1).mean()  # noqa: E731
    assert exact(chosen) > exact(net)


def test_ties_keep_the_training_setting_and_no_competition_means_no_change(digits):
    class Const:  # a model whose accuracy does not depend on the setting
        name = "const"

        def __init__(self, tag=None):
            self.tag = tag

        def sites(self):
            return {"h": 1}

        def using(self, **kw):
            return Const(kw)

        def fit_readout(self, x, y):
            return self

        def record(self, x, sites=None):
            from probes import Recording

            return Recording({"h": np.ones((len(x), 1, 1))}, np.eye(10)[np.zeros(len(x), int)], meta={})

    x, y = digits.x_train[:100], digits.y_train[:100]
    model, choice = choose_competition(Const(), x, y, candidates=[{"a": 1}, {"a": 2}])
    assert choice.setting == {"a": 1} and model.tag == {"a": 1}
    same, none = choose_competition(Const(), x, y, candidates=[])
    assert none.setting == {} and none.table == []
    assert [c["k_active"] for c in hebbian_candidates(12)][::2] == [1, 3, 10, 12]


def test_the_hebbian_network_is_read_under_the_same_rule(digits):
    from dense import DenseConfig, DenseNetwork

    net = DenseNetwork(DenseConfig(learning="hebbian", hidden=(40,), hebb_epochs=1), seed=0)
    net.fit(digits.x_train[:300], digits.y_train[:300])
    chosen, choice = choose_competition(net, digits.x_train[:300], digits.y_train[:300], seed=0)
    assert [(r["k_active"], r["inhibition"]) for r in choice.table] == [
        (c["k_active"], c["inhibition"]) for c in hebbian_candidates(40)
    ]
    best = max(r["val_accuracy"] for r in choice.table)
    row = next(r for r in choice.table if r["k_active"] == choice.setting["k_active"]
               and r["inhibition"] == choice.setting["inhibition"])  # fmt: skip
    assert row["val_accuracy"] == best
    assert chosen.config.k_active == choice.setting["k_active"] and net.config.k_active == 10
    one = next(r for r in choice.table if r["k_active"] == 1 and r["inhibition"] == 0.0)
    assert one["active_units"] <= 1.0  # k = 1: at most one unit answers
