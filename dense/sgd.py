"""The SGD learner: an MLP ``input -> hidden(s) (ReLU) -> output`` trained with Adam.

Cross-entropy (multiclass) or binary cross-entropy (multilabel), early-stopped on a
validation split. Outputs are logits (multiclass) or probabilities (multilabel).
Sites: ``"hidden"`` (one hidden layer) or ``"hidden1"``, ``"hidden2"``, ...
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn

from probes.support import DataError

from .config import DenseConfig
from .interventions import apply_interventions


def site_names(config: DenseConfig) -> list[str]:
    n = len(config.hidden)
    return ["hidden"] if n == 1 else [f"hidden{i + 1}" for i in range(n)]


class SGDLearner:
    """State and arithmetic of the SGD network; :class:`dense.DenseNetwork` is its public front.

    Fitted attributes (read through the network): ``layers_`` (list of ``(W [n_in, n_out],
    b [n_out])`` float32 arrays, input to output) and ``history_`` (per-epoch
    ``(training loss, validation loss)``).
    """

    FITTED = ("layers_", "history_")

    def __init__(self, config: DenseConfig, seed: int, device: torch.device, kind: str):
        self.config, self.seed, self.device, self.kind = config, seed, device, kind

    @staticmethod
    def sites(config: DenseConfig) -> dict[str, int]:
        return dict(zip(site_names(config), config.hidden))

    def weights(self) -> dict[str, np.ndarray]:
        names = ["input", *site_names(self.config), "output"]
        return {f"{names[i]}->{names[i + 1]}": w.copy() for i, (w, _) in enumerate(self.layers_)}

    def forward(self, xb: torch.Tensor, ivs) -> tuple[dict[str, torch.Tensor], np.ndarray]:
        """Activations per site ``[batch, units]`` and outputs ``[batch, n_outputs]`` for inputs ``xb``."""
        names = site_names(self.config)
        hidden = {}
        h = xb
        for i, layer in enumerate(self._net[:-1]):
            h = apply_interventions(torch.relu(layer(h)), names[i], ivs)
            hidden[names[i]] = h
        logits = self._net[-1](h)
        out = torch.sigmoid(logits) if self.kind == "multilabel" else logits
        return hidden, out.cpu().numpy()

    def fit(self, x: np.ndarray, y: np.ndarray, n_outputs: int) -> None:
        """Train on ``x`` ``[n, n_inputs]`` and labels ``y``; the torch RNG must be seeded by the caller."""
        cfg, dev = self.config, self.device
        rng = np.random.default_rng(self.seed)
        sizes = [x.shape[1], *cfg.hidden, n_outputs]
        self._net = nn.Sequential(*[nn.Linear(a, b) for a, b in zip(sizes[:-1], sizes[1:])]).to(dev)
        if len(x) < 2:
            raise DataError(f"x has {len(x)} sample, too few samples to hold out a validation split: give at least 2")
        order = rng.permutation(len(x))
        n_val = max(1, int(round(cfg.val_fraction * len(x))))
        val, train = order[:n_val], order[n_val:]
        if len(train) == 0:
            raise DataError(
                f"val_fraction={cfg.val_fraction} leaves no training sample of {len(x)}: lower val_fraction"
            )
        xt = torch.as_tensor(x, device=dev)
        yt = torch.as_tensor(y, device=dev)
        loss_fn = nn.BCEWithLogitsLoss() if self.kind == "multilabel" else nn.CrossEntropyLoss()
        target = (lambda t: t.float()) if self.kind == "multilabel" else (lambda t: t)
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

    # --- model files -----------------------------------------------------------------
    def to_arrays(self) -> tuple[dict[str, np.ndarray], dict]:
        """The arrays and the JSON meta that :meth:`from_arrays` reads back."""
        arrays = {}
        for i, (w, b) in enumerate(self.layers_):
            arrays[f"layer{i}/w"], arrays[f"layer{i}/b"] = w, b
        return arrays, {"history": self.history_}

    def from_arrays(self, arrays: dict[str, np.ndarray], meta: dict) -> SGDLearner:
        n_layers = len(self.config.hidden) + 1
        self.layers_ = [(arrays[f"layer{i}/w"], arrays[f"layer{i}/b"]) for i in range(n_layers)]
        self.history_ = [tuple(h) for h in meta["history"]]
        self._net = nn.Sequential(*[nn.Linear(*w.shape) for w, _ in self.layers_]).to(self.device)
        with torch.no_grad():
            for m, (w, b) in zip(self._net, self.layers_):
                m.weight.copy_(torch.as_tensor(w.T))
                m.bias.copy_(torch.as_tensor(b))
        self._net.eval()
        return self
