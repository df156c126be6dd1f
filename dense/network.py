"""`DenseNetwork`: the synchronous side of the comparison, behind the probing interface.

``learning="sgd"``: an MLP ``input -> hidden(s) (ReLU) -> output`` trained with Adam on
cross-entropy (multiclass) or binary cross-entropy (multilabel), early-stopped on a
validation split. Outputs are logits (multiclass) or probabilities (multilabel).

``learning="hebbian"``: the spiking network's architecture made synchronous. One
hidden layer; a unit's drive is ``x @ W``; k-winner-take-all keeps the ``k_winners``
units with the largest ``drive - theta`` (lateral inhibition in one step, biased by the
adaptive threshold) and the site's activation is the winners' rectified drive (0 elsewhere);
winners below ``inhibition`` times the largest drive are silenced too. Learning uses
``k_winners`` winners; recording uses ``k_active`` (default 10), so that every unit tuned
to a present feature can respond. On digits the defaults give 92-94% (assignment); on
bars, ``k_active=hidden[0], inhibition=0.6`` gives every bar a dedicated unit. Learning is competitive Hebbian
(instar): each winner moves towards the input, ``w_j += hebb_lr * (x - w_j)``, then
each unit's weights are renormalised to sum to ``weight_sum`` and winners' thresholds
rise by ``theta_plus`` (homeostasis; all thresholds decay by ``theta_decay`` per
sample). The readout is label assignment (or logistic) on the hidden activation.

Interventions act on a site's activation inside the forward pass, so later layers and
the readout see them. Sites: ``"hidden"`` (one hidden layer) or ``"hidden1"``,
``"hidden2"``, ... Every random choice comes from ``seed``.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from probes.interface import Ablate, Clamp, Patch, Recording, Steer, check_interventions, check_sites
from probes.support import (
    DataError,
    check_inputs,
    check_labels,
    load_arrays,
    make_readout,
    readout_from_arrays,
    readout_to_arrays,
    save_arrays,
    split_prefix,
)

from .config import DenseConfig
from .runtime import one_intra_op_thread


def _site_names(n_layers: int) -> list[str]:
    return ["hidden"] if n_layers == 1 else [f"hidden{i + 1}" for i in range(n_layers)]


def apply_interventions(h: torch.Tensor, site: str, interventions) -> torch.Tensor:
    """Return the activation ``h`` ``[batch, units]`` of ``site`` with the interventions applied in order."""
    for iv in interventions:
        if iv.site != site:
            continue
        if isinstance(iv, Steer):
            h = h + torch.as_tensor(iv.vector(), dtype=h.dtype, device=h.device)
            continue
        h = h.clone()
        idx = torch.as_tensor(iv.units, device=h.device)
        if isinstance(iv, Ablate):
            h[:, idx] = 0.0
        elif isinstance(iv, Clamp):
            h[:, idx] = torch.as_tensor(iv.values(), dtype=h.dtype, device=h.device)
        elif isinstance(iv, Patch):
            h[:, idx] = torch.as_tensor(iv.activation(), dtype=h.dtype, device=h.device)
    return h


class DenseNetwork:
    """scikit-learn style: ``DenseNetwork(DenseConfig(), seed=0).fit(x, y)``.

    Fitted attributes: ``n_inputs_``, ``n_outputs_``, ``kind_`` ("multiclass" |
    "multilabel"), ``layers_`` (list of ``(W [n_in, n_out], b [n_out])`` float32 arrays,
    sgd), ``w_`` ``[n_inputs, n_units]`` and ``theta_`` ``[n_units]`` (hebbian),
    ``readout_`` (hebbian), ``history_`` (per-epoch training/validation loss, sgd).
    """

    def __init__(self, config: DenseConfig | None = None, *, seed: int = 0):
        self.config = config if config is not None else DenseConfig()
        if not isinstance(self.config, DenseConfig):
            raise DataError(f"config must be a DenseConfig, got {type(self.config).__name__}")
        self.seed = seed
        self.name = f"dense-{self.config.learning}"

    # --- Probeable -------------------------------------------------------------------
    def sites(self) -> dict[str, int]:
        return dict(zip(_site_names(len(self.config.hidden)), self.config.hidden))

    def weights(self) -> dict[str, np.ndarray]:
        self._check_fitted()
        names = ["input"] + _site_names(len(self.config.hidden)) + ["output"]
        if self.config.learning == "hebbian":
            return {f"input->{names[1]}": self.w_.copy()}
        return {f"{names[i]}->{names[i + 1]}": w.copy() for i, (w, _) in enumerate(self.layers_)}

    def record(self, x, *, sites=None, interventions=(), bin_ms=None, batch_size: int = 4096) -> Recording:
        """Run on ``x`` ``[n_samples, n_inputs]``; activity per site is ``[n_samples, 1, n_units]``.

        ``bin_ms`` is accepted for interface symmetry and ignored (a dense network has one step).
        """
        self._check_fitted()
        x = check_inputs(x, self.n_inputs_)
        all_sites = self.sites()
        sites = check_sites(sites, all_sites)
        ivs = check_interventions(interventions, all_sites)
        acts: dict[str, list[np.ndarray]] = {s: [] for s in sites}
        outs = []
        with torch.no_grad(), one_intra_op_thread():
            for start in range(0, len(x), batch_size):
                xb = torch.as_tensor(x[start : start + batch_size], device=self.config.device)
                hidden, out = self._forward(xb, ivs)
                for s in sites:
                    acts[s].append(hidden[s].cpu().numpy())
                outs.append(out)
        meta = {
            "model": self.name,
            "seed": self.seed,
            "bin_ms": None,
            "duration_ms": None,
            "kind": self.kind_,
            "threshold": 0.5,
        }
        return Recording({s: np.concatenate(v)[:, None, :] for s, v in acts.items()}, np.concatenate(outs), meta=meta)

    def predict(self, x) -> np.ndarray:
        return self.record(x, sites=[]).predictions

    # --- forward ---------------------------------------------------------------------
    def _forward(self, xb: torch.Tensor, ivs) -> tuple[dict[str, torch.Tensor], np.ndarray]:
        names = _site_names(len(self.config.hidden))
        hidden = {}
        if self.config.learning == "hebbian":
            h = self._hebbian_activation(xb, self._w, self._theta)
            h = apply_interventions(h, names[0], ivs)
            hidden[names[0]] = h
            return hidden, self.readout_.decision_function(h.cpu().numpy().astype(np.float64)).astype(np.float32)
        h = xb
        for i, layer in enumerate(self._net[:-1]):
            h = apply_interventions(torch.relu(layer(h)), names[i], ivs)
            hidden[names[i]] = h
        logits = self._net[-1](h)
        out = torch.sigmoid(logits) if self.kind_ == "multilabel" else logits
        return hidden, out.cpu().numpy()

    def _hebbian_activation(
        self, xb: torch.Tensor, w: torch.Tensor, theta: torch.Tensor, k: int | None = None
    ) -> torch.Tensor:
        """``[batch, n_units]`` k-winner-take-all response; ``k`` defaults to the recording size ``k_active``."""
        k = k if k is not None else (self.config.k_active or self.config.k_winners)
        k = min(k, w.shape[1])
        # The threshold biases the competition (homeostasis); the winners' activation is
        # their raw input drive, so a high threshold cannot silence the whole layer.
        drive = xb @ w
        top = torch.topk(drive - theta, k, dim=1)
        h = torch.zeros_like(drive)
        h.scatter_(1, top.indices, torch.relu(torch.gather(drive, 1, top.indices)))
        if self.config.inhibition > 0:  # lateral inhibition relative to the strongest unit
            h = torch.where(h >= self.config.inhibition * drive.amax(1, keepdim=True), h, torch.zeros_like(h))
        return h

    # --- training --------------------------------------------------------------------
    def fit(self, x, y) -> DenseNetwork:
        x = check_inputs(x, name="x")
        y, kind, n_out = check_labels(y, len(x), "y")
        self.n_inputs_, self.n_outputs_, self.kind_ = x.shape[1], n_out, kind
        with torch.random.fork_rng(devices=[]), one_intra_op_thread():
            torch.manual_seed(self.seed)
            if self.config.learning == "sgd":
                self._fit_sgd(x, y)
            else:
                self._fit_hebbian(x, y)
        return self

    def _fit_sgd(self, x: np.ndarray, y: np.ndarray) -> None:
        cfg, dev = self.config, self.config.device
        rng = np.random.default_rng(self.seed)
        sizes = [self.n_inputs_, *cfg.hidden, self.n_outputs_]
        self._net = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]).to(dev)
        order = rng.permutation(len(x))
        n_val = max(1, int(round(cfg.val_fraction * len(x)))) if len(x) > 1 else 0
        val, train = order[:n_val], order[n_val:]
        if len(train) == 0:
            raise DataError("x has too few samples to hold out a validation split: give at least 2 samples")
        xt = torch.as_tensor(x, device=dev)
        yt = torch.as_tensor(y, device=dev)
        loss_fn = nn.BCEWithLogitsLoss() if self.kind_ == "multilabel" else nn.CrossEntropyLoss()
        target = (lambda t: t.float()) if self.kind_ == "multilabel" else (lambda t: t)
        opt = torch.optim.Adam(self._net.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
        best, best_state, bad_epochs, history = np.inf, None, 0, []
        for _epoch in range(cfg.max_epochs):
            self._net.train()
            perm = train[rng.permutation(len(train))]
            total = 0.0
            for start in range(0, len(perm), cfg.batch_size):
                idx = torch.as_tensor(perm[start : start + cfg.batch_size], device=dev)
                opt.zero_grad()
                loss = loss_fn(self._net(xt[idx]), target(yt[idx]))
                loss.backward()
                opt.step()
                total += float(loss.detach()) * len(idx)
            self._net.eval()
            with torch.no_grad():
                vidx = torch.as_tensor(val, device=dev)
                vloss = float(loss_fn(self._net(xt[vidx]), target(yt[vidx])))
            history.append((total / len(train), vloss))
            if vloss < best - 1e-6:
                best, bad_epochs = vloss, 0
                best_state = {k: v.detach().clone() for k, v in self._net.state_dict().items()}
            else:
                bad_epochs += 1
                if bad_epochs >= cfg.patience:
                    break
        self._net.load_state_dict(best_state)
        self._net.eval()
        self.history_ = history
        self.layers_ = [
            (m.weight.detach().cpu().numpy().T.copy(), m.bias.detach().cpu().numpy().copy()) for m in self._net
        ]

    def _fit_hebbian(self, x: np.ndarray, y: np.ndarray) -> None:
        cfg, dev = self.config, self.config.device
        rng = np.random.default_rng(self.seed)
        n = cfg.hidden[0]
        target = cfg.weight_sum if cfg.weight_sum is not None else float(x.sum(axis=1).mean())
        w = torch.as_tensor(rng.random((self.n_inputs_, n)) + 0.01, dtype=torch.float32, device=dev)
        w = w * (target / w.sum(0, keepdim=True))
        theta = torch.zeros(n, dtype=torch.float32, device=dev)
        xt = torch.as_tensor(x, device=dev)
        for _ in range(cfg.hebb_epochs):
            for i in rng.permutation(len(x)):
                xi = xt[i : i + 1]
                h = self._hebbian_activation(xi, w, theta, cfg.k_winners)[0]
                winners = torch.nonzero(h > 0).flatten()
                if len(winners) == 0:  # a blank input teaches nothing
                    continue
                w[:, winners] += cfg.hebb_lr * (xi.T - w[:, winners])
                w[:, winners] *= target / w[:, winners].sum(0, keepdim=True).clamp_min(1e-12)
                theta *= cfg.theta_decay
                theta[winners] += cfg.theta_plus
        self._w, self._theta = w, theta
        self.w_ = w.cpu().numpy().copy()
        self.theta_ = theta.cpu().numpy().copy()
        with torch.no_grad():
            h = self._hebbian_activation(xt, w, theta).cpu().numpy().astype(np.float64)
        self.readout_ = make_readout(cfg.readout, self.kind_, self.seed).fit(h, y)

    _FORMAT = "scrutable.DenseNetwork/1"

    def save(self, path) -> None:
        """Write the fitted network to ``.npz`` atomically (no pickles); :meth:`load` reads it back."""
        self._check_fitted()
        meta = {
            "config": self.config.to_dict(),
            "seed": self.seed,
            "n_inputs": self.n_inputs_,
            "n_outputs": self.n_outputs_,
            "kind": self.kind_,
            "history": getattr(self, "history_", []),
        }
        if self.config.learning == "hebbian":
            arrays = {"w": self.w_, "theta": self.theta_}
            arrays.update({f"readout/{k}": v for k, v in readout_to_arrays(self.readout_).items()})
        else:
            arrays = {}
            for i, (w, b) in enumerate(self.layers_):
                arrays[f"layer{i}/w"], arrays[f"layer{i}/b"] = w, b
        save_arrays(path, self._FORMAT, meta, arrays)

    @classmethod
    def load(cls, path) -> DenseNetwork:
        meta, a = load_arrays(path, cls._FORMAT)
        try:
            net = cls(DenseConfig(**meta["config"]), seed=meta["seed"])
            net.n_inputs_, net.n_outputs_, net.kind_ = meta["n_inputs"], meta["n_outputs"], meta["kind"]
            net.history_ = [tuple(h) for h in meta["history"]]
            dev = net.config.device
            if net.config.learning == "hebbian":
                net.w_, net.theta_ = a["w"], a["theta"]
                net._w = torch.as_tensor(a["w"], device=dev)
                net._theta = torch.as_tensor(a["theta"], device=dev)
                net.readout_ = readout_from_arrays(split_prefix(a, "readout/"))
            else:
                n_layers = len(net.config.hidden) + 1
                net.layers_ = [(a[f"layer{i}/w"], a[f"layer{i}/b"]) for i in range(n_layers)]
                net._net = nn.Sequential(*[nn.Linear(*w.shape) for w, _ in net.layers_]).to(dev)
                with torch.no_grad():
                    for m, (w, b) in zip(net._net, net.layers_):
                        m.weight.copy_(torch.as_tensor(w.T))
                        m.bias.copy_(torch.as_tensor(b))
                net._net.eval()
        except (KeyError, TypeError, RuntimeError) as exc:
            raise DataError(f"model file {str(path)!r} is incomplete ({exc}): save the model again") from None
        return net

    def _check_fitted(self) -> None:
        if not hasattr(self, "kind_"):
            raise DataError(f"this {self.name} network is not fitted yet: call fit(x, y) first")
