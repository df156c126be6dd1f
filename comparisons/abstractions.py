"""Synchronous abstractions of a trained spiking network, for ``MEASUREMENTS["abstraction"]``.

Each is a Probeable whose site aligns unit by unit with the network's ``exc`` (spike count
<-> activation):

- ``no_delays``: the same network with every delay and the input jitter removed at test
  (``using(delay_ms=0, jitter_ms=0)``): asynchrony abstracted away, spikes kept.
- ``one_step``: the weight transplant: a one-step k-winner network
  (``DenseNetwork.from_weights``) with the network's weights and thresholds ``lam * theta``,
  the ``k`` largest drives win (``k``: the network's mean number of active units), its
  readout fitted on the training data. ``lam`` (drive per mV of threshold) is the one fitted
  scalar: the value on a grid whose predictions agree most with the network's on training
  inputs. Its site ``hidden`` aligns with ``exc``.
- ``fitted``: each unit's count as a linear-nonlinear (Poisson GLM) function of the input,
  fitted to the network's own counts on training inputs, answering with the network's readout.

A dense network gets the same measurement as a control (:func:`dense_control`): ``one_step``,
the one-step k-winner transplant of its own first-layer weights and biases (no fitted scalar:
biases are already in drive units), and ``fitted``; ``no_delays`` does not apply.
"""

from __future__ import annotations

import numpy as np

from probes import Ablate, Clamp, Patch, Recording, Retime, Steer
from probes.interface import check_interventions


class RateModel:
    """A one-step Probeable: ``activation(x) -> [n, n_units]``, read out by ``readout``.

    Interventions set the activation of their units (``Ablate``: 0, ``Clamp``/``Patch``: the
    value, ``Steer``: added); ``Retime`` is the identity (no timing in one step).
    """

    def __init__(self, name, activation, readout, n_units: int, kind: str, *, site="exc"):
        self.name, self.activation, self.readout = name, activation, readout
        self.n_units, self.kind, self.site = n_units, kind, site

    def __repr__(self) -> str:
        return f"RateModel({self.name!r}, n_units={self.n_units})"

    def sites(self) -> dict[str, int]:
        return {self.site: self.n_units}

    def weights(self) -> dict[str, np.ndarray]:
        return {}

    def predict(self, x) -> np.ndarray:
        return self.record(x, sites=[]).predictions

    def record(self, x, *, sites=None, interventions=(), bin_ms=None) -> Recording:
        ivs = check_interventions(interventions, self.sites())
        a = np.asarray(self.activation(np.asarray(x, np.float32)), np.float64).copy()
        for iv in ivs:
            if isinstance(iv, Ablate):
                a[:, list(iv.units)] = 0.0
            elif isinstance(iv, Clamp):
                a[:, list(iv.units)] = iv.values()
            elif isinstance(iv, Patch):
                a[:, list(iv.units)] = iv.activation()
            elif isinstance(iv, Steer):
                a += iv.vector()
            elif not isinstance(iv, Retime):  # Retime: no timing in one step
                raise TypeError(f"unsupported intervention {iv!r}")
        a = np.maximum(a, 0.0)
        keep = [self.site] if sites is None else list(sites)
        activity = {s: a[:, None, :].astype(np.float32) for s in keep}
        outputs = self.readout.decision_function(a.astype(np.float32))
        return Recording(activity, outputs, meta={"model": self.name, "kind": self.kind, "threshold": 0.5})


def no_delays(net):
    """The same trained network with every delay and the input jitter removed at test."""
    return net.using(delay_ms=0.0, jitter_ms=0.0)


def one_step(net, x_train, y_train, *, lams=(0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2)):
    """The structural abstraction, a weight transplant (see the module doc): ``(H, "hidden")``.

    ``DenseNetwork.from_weights`` with the network's weights, thresholds ``lam * theta`` and
    ``k_active`` = the network's mean number of active units, its readout fitted on
    ``(x_train, y_train)``; ``lam`` is chosen on ``x_train`` by agreement with the network.
    """
    from dense import DenseNetwork

    rec = net.record(x_train, sites=["exc"])
    k = max(1, int(round((rec.counts("exc") > 0).sum(axis=1).mean())))
    w, theta = net.w_.astype(np.float32), net.theta_.astype(np.float32)

    def make(lam):
        h = DenseNetwork.from_weights(w, lam * theta, k_active=k, seed=net.seed)
        return h.fit_readout(x_train, y_train)

    agree = [float(np.mean(_agree(make(lam).predict(x_train), rec.predictions))) for lam in lams]
    lam = lams[int(np.argmax(agree))]
    model = make(lam)
    model.lam_, model.k_ = lam, k
    return model, "hidden"


class LayersReadout:
    """The layers of an SGD network after a site as a readout: ``decision_function(a)`` runs
    ``a`` ``[n, n_units]`` through ``layers`` (``(W, b)`` pairs, ReLU between them) and returns the
    network's own outputs (logits; multilabel: probabilities)."""

    def __init__(self, layers, kind: str):
        self.layers, self.kind = [(np.asarray(w, np.float64), np.asarray(b, np.float64)) for w, b in layers], kind

    def decision_function(self, a) -> np.ndarray:
        h = np.asarray(a, np.float64)
        for w, b in self.layers[:-1]:
            h = np.maximum(h @ w + b, 0.0)
        w, b = self.layers[-1]
        out = h @ w + b
        return 1.0 / (1.0 + np.exp(-out)) if self.kind == "multilabel" else out


def readout_after(net, site: str):
    """What reads ``site``'s activation out to the network's outputs: its ``readout_`` (spiking,
    Hebbian), else the SGD layers after the site (:class:`LayersReadout`)."""
    readout = getattr(net, "readout_", None)
    if readout is not None:
        return readout
    names = list(net.sites())
    return LayersReadout(net.layers_[names.index(site) + 1 :], net.kind_)


def fitted(net, x_train, *, site: str = "exc", alpha: float = 1e-3) -> RateModel:
    """Each unit's count (or activation) as ``exp(x @ beta_j + b_j)``, a Poisson GLM fitted to the
    network's own recording of ``x_train`` at ``site``; answers with the network's readout
    (:func:`readout_after`)."""
    from sklearn.linear_model import PoissonRegressor
    from threadpoolctl import threadpool_limits

    rec = net.record(x_train, sites=[site])
    counts = rec.counts(site).astype(np.float64)
    coef = np.zeros((x_train.shape[1], counts.shape[1]))
    bias = np.full(counts.shape[1], -30.0)  # a unit silent on all training data stays silent
    # One BLAS thread: each fit is small (samples x inputs), and OpenBLAS waking its threads for
    # every product of the solver made these fits 30x slower on 2 cores (docs/performance.md).
    with threadpool_limits(limits=1, user_api="blas"):
        for j in np.flatnonzero(counts.sum(axis=0) > 0):
            glm = PoissonRegressor(alpha=alpha, max_iter=300).fit(x_train, counts[:, j])
            coef[:, j], bias[j] = glm.coef_, glm.intercept_

    def activation(x):
        return np.exp(np.clip(x.astype(np.float64) @ coef + bias, -30.0, 30.0))

    kind = rec.meta.get("kind", "multiclass")
    return RateModel("fitted", activation, readout_after(net, site), counts.shape[1], kind, site=site)


def _agree(a, b) -> np.ndarray:
    eq = np.asarray(a) == np.asarray(b)
    return eq.all(axis=-1) if eq.ndim == 2 else eq


def dense_one_step(net, x_train, y_train):
    """The one-step k-winner transplant of a dense network: ``(H, "hidden")``, or a string saying
    why it does not apply (more than one hidden layer: no single layer to transplant).

    ``DenseNetwork.from_weights`` with the network's first-layer weights ``W`` and thresholds
    ``-b`` (its biases; Hebbian: its ``theta_``), so units compete by the network's own
    pre-activation; ``k_active`` = the network's mean number of active hidden units on
    ``x_train``; the readout refitted on ``(x_train, y_train)`` (the Hebbian network's own kind,
    a logistic readout for an SGD network, whose output layer is linear)."""
    from dense import DenseNetwork

    cfg = net.config
    if len(cfg.hidden) != 1:
        return f"{net.name} has {len(cfg.hidden)} hidden layers: a one-step transplant needs exactly one"
    site = next(iter(net.sites()))
    rec = net.record(x_train, sites=[site])
    k = max(1, int(round((rec.counts(site) > 0).sum(axis=1).mean())))
    if cfg.learning == "hebbian":
        w, threshold, readout = net.w_, net.theta_, cfg.readout
    else:
        w, b = net.layers_[0]
        threshold, readout = -np.asarray(b), "logistic"
    base = cfg.replace(readout=readout)
    model = DenseNetwork.from_weights(w, threshold, k_active=k, config=base, seed=net.seed)
    model = model.fit_readout(x_train, y_train)
    model.k_ = k
    return model, "hidden"


def dense_control(net, x_train, y_train) -> dict:
    """The abstractions of a dense network, a control: ``one_step`` (:func:`dense_one_step`) and
    ``fitted`` at its first site; ``no_delays`` is n/a (a one-step network has no delays)."""
    site = next(iter(net.sites()))
    return {
        "no_delays": f"{net.name} runs in one step: it has no delays or jitter to remove",
        "one_step": dense_one_step(net, x_train, y_train),
        "fitted": (fitted(net, x_train, site=site), site),
    }


def build(net, x_train, y_train) -> dict:
    """The standard abstractions of a network (see the module doc): all three for a spiking
    network, the control (:func:`dense_control`) for a dense one. A string value says why that
    abstraction does not apply."""
    if getattr(net, "name", "") != "snn":
        return dense_control(net, x_train, y_train)
    return {"no_delays": no_delays(net), "one_step": one_step(net, x_train, y_train), "fitted": fitted(net, x_train)}
