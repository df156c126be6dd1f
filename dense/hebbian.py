"""The Hebbian learner: the spiking network's architecture made synchronous.

One hidden layer; a unit's drive is ``x @ W``; k-winner-take-all keeps the ``k`` units with
the largest ``drive - theta`` (lateral inhibition in one step, biased by the adaptive
threshold) and the site's activation is the winners' rectified drive (0 elsewhere); winners
below ``inhibition`` times the largest drive are silenced too. Learning uses ``k_winners``
winners; recording uses ``k_active`` (0: ``k_winners``), so that every unit tuned to a present
feature can respond. Learning is competitive Hebbian (instar): each winner moves towards the
input, ``w_j += hebb_lr * (x - w_j)``, then the winners' weights are renormalised to sum to
``weight_sum`` and their thresholds rise by ``theta_plus`` (homeostasis; all thresholds decay
by ``theta_decay`` per sample). The readout is label assignment (or logistic) on the activation.
"""

from __future__ import annotations

import numpy as np
import torch

from probes.interface import Ablate, Clamp, Patch
from probes.support import make_readout, readout_from_arrays, readout_to_arrays, split_prefix

from .config import DenseConfig
from .interventions import apply_interventions


def k_winners(
    drive: torch.Tensor, theta: torch.Tensor, k: int, inhibition: float, excluded: torch.Tensor | None = None
) -> torch.Tensor:
    """The k-winner-take-all response ``[batch, n_units]`` to ``drive`` ``[batch, n_units]``.

    The threshold ``theta`` ``[n_units]`` biases the competition (homeostasis); the winners'
    activation is their raw drive, rectified, so a high threshold cannot silence the whole layer.
    Units in ``excluded`` (indices) take no part: they never win and stay at 0.
    """
    k = min(k, drive.shape[1])
    score = drive - theta
    if excluded is not None:
        score = score.index_fill(1, excluded, -torch.inf)
    top = torch.topk(score, k, dim=1)
    h = torch.zeros_like(drive)
    h.scatter_(1, top.indices, torch.relu(torch.gather(drive, 1, top.indices)))
    strongest = drive
    if excluded is not None:  # chosen only if k exceeds the competing units
        h = h.index_fill(1, excluded, 0.0)
        strongest = drive.index_fill(1, excluded, -torch.inf)
    if inhibition > 0:  # lateral inhibition relative to the strongest unit
        h = torch.where(h >= inhibition * strongest.amax(1, keepdim=True), h, torch.zeros_like(h))
    return h


def ablated_units(site: str, interventions, device) -> torch.Tensor | None:
    """Units of ``site`` that an :class:`Ablate` removes and no later Clamp or Patch puts back (indices)."""
    out: set[int] = set()
    for iv in interventions:
        if iv.site != site or not isinstance(iv, (Ablate, Clamp, Patch)):  # Steer and Retime keep the set
            continue
        units = {int(u) for u in iv.units}
        out = out | units if isinstance(iv, Ablate) else out - units
    return torch.as_tensor(sorted(out), dtype=torch.long, device=device) if out else None


class HebbianLearner:
    """State and arithmetic of the Hebbian k-WTA network; :class:`dense.DenseNetwork` is its public front.

    Fitted attributes (read through the network): ``w_`` ``[n_inputs, n_units]``, ``theta_``
    ``[n_units]`` (in drive units) and ``readout_``.
    """

    FITTED = ("w_", "theta_", "readout_")

    def __init__(self, config: DenseConfig, seed: int, device: torch.device, kind: str | None):
        # kind (multiclass | multilabel) is None for weights given by from_weights until fit_readout
        self.config, self.seed, self.device, self.kind = config, seed, device, kind

    @staticmethod
    def sites(config: DenseConfig) -> dict[str, int]:
        # "hidden" first: measurements read a network's first site
        return {"hidden": config.hidden[0], "drive": config.hidden[0]}

    def weights(self) -> dict[str, np.ndarray]:
        return {"input->hidden": self.w_.copy()}

    def activation(self, xb: torch.Tensor, k: int | None = None) -> torch.Tensor:
        """``[batch, n_units]`` response to ``xb``; ``k`` defaults to the recording size ``k_active``."""
        return k_winners(xb @ self._w, self._theta, k if k is not None else self.k_active, self.config.inhibition)

    @property
    def k_active(self) -> int:
        return self.config.k_active or self.config.k_winners

    def forward(self, xb: torch.Tensor, ivs) -> tuple[dict[str, torch.Tensor], np.ndarray]:
        """Activations per site ``[batch, units]`` and readout scores ``[batch, n_outputs]`` for inputs ``xb``.

        ``"drive"`` is ``x @ w`` before the threshold and the competition: an intervention there
        re-runs the k-winner selection (an ablated unit cannot win, so the next one does).
        ``"hidden"`` is the winners' activation: an intervention there changes what the readout
        sees and nothing re-competes.
        """
        drive = apply_interventions(xb @ self._w, "drive", ivs)
        excluded = ablated_units("drive", ivs, drive.device)
        h = k_winners(drive, self._theta, self.k_active, self.config.inhibition, excluded)
        h = apply_interventions(h, "hidden", ivs)
        out = self.readout_.decision_function(h.cpu().numpy().astype(np.float64)).astype(np.float32)
        return {"drive": drive, "hidden": h}, out

    def fit(self, x: np.ndarray, y: np.ndarray, n_outputs: int) -> None:
        """Learn weights and thresholds from ``x`` ``[n, n_inputs]``, then fit the readout on ``y``."""
        cfg, dev = self.config, self.device
        rng = np.random.default_rng(self.seed)
        n = cfg.hidden[0]
        target = cfg.weight_sum if cfg.weight_sum is not None else float(x.sum(axis=1).mean())
        w = torch.as_tensor(rng.random((x.shape[1], n)) + 0.01, dtype=torch.float32, device=dev)
        w = w * (target / w.sum(0, keepdim=True))
        theta = torch.zeros(n, dtype=torch.float32, device=dev)
        xt = torch.as_tensor(x, device=dev)
        for _ in range(cfg.hebb_epochs):
            for i in rng.permutation(len(x)):
                xi = xt[i : i + 1]
                h = k_winners(xi @ w, theta, cfg.k_winners, cfg.inhibition)[0]
                winners = torch.nonzero(h > 0).flatten()
                if len(winners) == 0:  # a blank input teaches nothing
                    continue
                w[:, winners] += cfg.hebb_lr * (xi.T - w[:, winners])
                w[:, winners] *= target / w[:, winners].sum(0, keepdim=True).clamp_min(1e-12)
                theta *= cfg.theta_decay
                theta[winners] += cfg.theta_plus
        self.set_weights(w, theta)
        self.fit_readout(x, y)

    def set_weights(self, w: torch.Tensor, theta: torch.Tensor) -> None:
        """Use ``w`` ``[n_inputs, n_units]`` and ``theta`` ``[n_units]`` (float32 tensors on the device)."""
        self._w, self._theta = w, theta
        self.w_ = w.cpu().numpy().copy()
        self.theta_ = theta.cpu().numpy().copy()

    def fit_readout(self, x: np.ndarray, y: np.ndarray) -> None:
        """Fit the readout (label assignment or logistic) on the recorded activation of ``x`` with labels ``y``."""
        with torch.no_grad():
            h = self.activation(torch.as_tensor(x, device=self.device)).cpu().numpy().astype(np.float64)
        self.readout_ = make_readout(self.config.readout, self.kind, self.seed).fit(h, y)

    # --- model files -----------------------------------------------------------------
    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """The arrays and the JSON meta that :meth:`from_arrays` reads back."""
        arrays = {"w": self.w_, "theta": self.theta_}
        arrays.update({f"readout/{k}": v for k, v in readout_to_arrays(self.readout_).items()})
        return arrays, {"history": []}

    def from_arrays(self, arrays: dict[str, np.ndarray], meta: dict) -> HebbianLearner:
        self.w_, self.theta_ = arrays["w"], arrays["theta"]
        self._w = torch.as_tensor(arrays["w"], device=self.device)
        self._theta = torch.as_tensor(arrays["theta"], device=self.device)
        self.readout_ = readout_from_arrays(split_prefix(arrays, "readout/"))
        return self
