"""Synchronous abstractions of a trained spiking network, for ``MEASUREMENTS["abstraction"]``.

Each is a Probeable whose site ``exc`` aligns unit by unit with the network's (spike count
<-> activation) and which answers with the network's own fitted readout, so that any
disagreement comes from the site's dynamics, not from another readout:

- ``no_delays``: the same network with every delay and the input jitter removed at test
  (``using(delay_ms=0, jitter_ms=0)``): asynchrony abstracted away, spikes kept.
- ``one_step``: a one-step k-winner rate model on the network's weights and thresholds:
  drive ``x @ w_j - lam * theta_j``, the ``k`` largest drives win (``k``: the network's mean
  number of active units), winners' activations scaled to the network's mean spike count.
  ``lam`` (drive per mV of threshold) is the one fitted scalar: the value on a grid whose
  predictions agree most with the network's on training inputs.
- ``fitted``: each unit's count as a linear-nonlinear (Poisson GLM) function of the input,
  fitted to the network's own counts on training inputs.

Interventions act where they act in the spiking loop: an ablated unit is out of the
competition (others re-compete); clamped or patched units take their values and the other
units compete for the remaining places; Retime is the identity (no timing).
"""

from __future__ import annotations

import numpy as np

from probes import Ablate, Clamp, Patch, Recording, Retime, Steer
from probes.interface import check_interventions


class RateModel:
    """A one-step Probeable: ``activation(x) -> [n, n_units]``, read out by ``readout``.

    ``k``: if set, only the ``k`` largest activations per input survive (after interventions
    that fix some units, the rest compete for ``k`` minus the fixed ones that are active).
    """

    def __init__(self, name, activation, readout, n_units: int, kind: str, *, k: int | None = None, site="exc"):
        self.name, self.activation, self.readout = name, activation, readout
        self.n_units, self.kind, self.k, self.site = n_units, kind, k, site

    def __repr__(self) -> str:
        return f"RateModel({self.name!r}, n_units={self.n_units}, k={self.k})"

    def sites(self) -> dict[str, int]:
        return {self.site: self.n_units}

    def weights(self) -> dict[str, np.ndarray]:
        return {}

    def predict(self, x) -> np.ndarray:
        return self.record(x, sites=[]).predictions

    def record(self, x, *, sites=None, interventions=(), bin_ms=None) -> Recording:
        ivs = check_interventions(interventions, self.sites())
        a = np.asarray(self.activation(np.asarray(x, np.float32)), np.float64).copy()
        fixed = np.zeros(a.shape, bool)
        for iv in ivs:
            if isinstance(iv, Ablate):
                a[:, list(iv.units)] = 0.0
                fixed[:, list(iv.units)] = True
            elif isinstance(iv, Clamp):
                a[:, list(iv.units)] = iv.values()
                fixed[:, list(iv.units)] = True
            elif isinstance(iv, Patch):
                a[:, list(iv.units)] = iv.activation()
                fixed[:, list(iv.units)] = True
            elif isinstance(iv, Steer):
                a += iv.vector()
            elif not isinstance(iv, Retime):  # Retime: no timing in one step
                raise TypeError(f"unsupported intervention {iv!r}")
        if self.k is not None:
            a = _k_winners(a, fixed, self.k)
        a = np.maximum(a, 0.0)
        keep = [self.site] if sites is None else list(sites)
        activity = {s: a[:, None, :].astype(np.float32) for s in keep}
        outputs = self.readout.decision_function(a.astype(np.float32))
        return Recording(activity, outputs, meta={"model": self.name, "kind": self.kind, "threshold": 0.5})


def _k_winners(a: np.ndarray, fixed: np.ndarray, k: int) -> np.ndarray:
    """Keep fixed units as they are; among the others keep the ``k - active fixed`` largest."""
    out = np.where(fixed, a, 0.0)
    free = np.where(fixed, -np.inf, a)
    places = np.maximum(k - (fixed & (a > 0)).sum(axis=1), 0)
    order = np.argsort(-free, axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(a.shape[1])[None, :].repeat(len(a), 0), axis=1)
    win = (rank < places[:, None]) & ~fixed & (free > 0)
    return np.where(win, a, out)


def no_delays(net):
    """The same trained network with every delay and the input jitter removed at test."""
    return net.using(delay_ms=0.0, jitter_ms=0.0)


def one_step(net, x_train, *, lams=(0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)) -> RateModel:
    """The structural abstraction (see the module doc); ``lam`` chosen on ``x_train``."""
    rec = net.record(x_train, sites=["exc"])
    counts = rec.counts("exc").astype(np.float64)
    k = max(1, int(round((counts > 0).sum(axis=1).mean())))
    total = float(counts.sum(axis=1).mean())
    w, theta = net.w_.astype(np.float64), net.theta_.astype(np.float64)

    def make(lam):
        def activation(x):
            drive = x.astype(np.float64) @ w - lam * theta
            win = _k_winners(drive, np.zeros(drive.shape, bool), k)
            pos = np.maximum(win, 0.0)
            norm = pos.sum(axis=1, keepdims=True)
            return np.where(norm > 0, pos / np.where(norm > 0, norm, 1.0) * total, 0.0)

        return RateModel("one_step", activation, net.readout_, net.config_.n_neurons, net.kind_)

    agree = [float(np.mean(_agree(make(lam).predict(x_train), rec.predictions))) for lam in lams]
    lam = lams[int(np.argmax(agree))]
    model = make(lam)
    model.lam_, model.k_ = lam, k
    return model


def fitted(net, x_train, *, alpha: float = 1e-3) -> RateModel:
    """Each unit's count as ``exp(x @ beta_j + b_j)``, a Poisson GLM fitted to the network's counts."""
    from sklearn.linear_model import PoissonRegressor

    rec = net.record(x_train, sites=["exc"])
    counts = rec.counts("exc").astype(np.float64)
    coef = np.zeros((x_train.shape[1], counts.shape[1]))
    bias = np.full(counts.shape[1], -30.0)  # a unit silent on all training data stays silent
    for j in np.flatnonzero(counts.sum(axis=0) > 0):
        glm = PoissonRegressor(alpha=alpha, max_iter=300).fit(x_train, counts[:, j])
        coef[:, j], bias[j] = glm.coef_, glm.intercept_

    def activation(x):
        return np.exp(np.clip(x.astype(np.float64) @ coef + bias, -30.0, 30.0))

    return RateModel("fitted", activation, net.readout_, counts.shape[1], rec.meta.get("kind", "multiclass"))


def _agree(a, b) -> np.ndarray:
    eq = np.asarray(a) == np.asarray(b)
    return eq.all(axis=-1) if eq.ndim == 2 else eq


def build(net, x_train) -> dict:
    """The three standard abstractions of a spiking network (see the module doc)."""
    return {"no_delays": no_delays(net), "one_step": one_step(net, x_train), "fitted": fitted(net, x_train)}
