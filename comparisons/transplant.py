"""Weight transplants: a network's learned weights run under the other dynamics.

They separate what was learned from how it is run: STDP-learned weights and thresholds run
as a one-step k-winner network, and Hebbian-learned weights run as a spiking network, each
with its readout refitted on the training data. Only public verbs are used
(``DenseNetwork.from_weights``, ``SpikingNetwork.from_weights``, ``fit_readout``), so
``snn`` and ``dense`` still never import each other.
"""

from __future__ import annotations

import numpy as np

from snn import SNNConfig, SpikingNetwork

from .abstractions import one_step


def spiking_to_one_step(snn, x_train, y_train):
    """The spiking network's weights and thresholds as a one-step k-winner network (``DenseNetwork``).

    ``k`` is the spiking network's mean number of active units per input; the thresholds are
    ``lam * theta`` with ``lam`` chosen by agreement with the spiking network (one scalar).
    """
    model, _ = one_step(snn, x_train, y_train)
    return model


def hebbian_to_spiking(dense, x_train, y_train, *, config: SNNConfig | None = None, seed: int = 0):
    """The Hebbian network's weights run as a Diehl & Cook spiking network.

    Each unit's incoming weights are scaled to the spiking network's normalisation target
    (``weight_sum``, as STDP training keeps them) and clipped to ``[0, w_max]``; thresholds
    start at ``theta_init_mv`` (the Hebbian thresholds are in drive units, not mV); the
    readout is refitted on ``(x_train, y_train)``.
    """
    w = np.asarray(dense.weights()["input->hidden"], np.float64)
    cfg = (config or SNNConfig()).replace(n_neurons=w.shape[1]).resolved(w.shape[0], float(np.mean(x_train)))
    w = w * cfg.weight_sum / np.maximum(w.sum(axis=0, keepdims=True), 1e-12)
    net = SpikingNetwork.from_weights(w, config=cfg, seed=seed)
    return net.fit_readout(x_train, y_train)
