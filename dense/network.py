"""`DenseNetwork`: the synchronous side of the comparison, behind the probing interface.

One public class for both learning rules; the arithmetic lives in one learner object per
rule (:mod:`dense.sgd`, :mod:`dense.hebbian`), chosen by ``config.learning``:

- ``learning="sgd"``: an MLP trained with Adam, early-stopped on a validation split.
- ``learning="hebbian"``: one hidden layer with k-winner-take-all and competitive Hebbian
  learning, read out by label assignment like the spiking network. On digits the defaults
  give 92-94% (assignment); on bars, ``k_active=hidden[0], inhibition=0.6`` gives every bar a
  dedicated unit.

Interventions act on a site's activation inside the forward pass, so later layers and the
readout see them. Sites: sgd ``"hidden"`` (or ``"hidden1"``, ``"hidden2"``, ...); hebbian
``"hidden"`` (after the k-winner competition) and ``"drive"`` (before it: an intervention there
re-runs the competition; docs/measurements-sites.md). fit and record run on one torch
intra-op thread (:mod:`dense.runtime`). Every random choice comes from ``seed``.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch

from probes.interface import Recording, check_interventions, check_sites
from probes.support import DataError, check_inputs, check_labels, load_arrays, save_arrays

from .config import DenseConfig
from .hebbian import HebbianLearner
from .runtime import one_intra_op_thread, torch_device
from .sgd import SGDLearner

LEARNERS = {"sgd": SGDLearner, "hebbian": HebbianLearner}


class DenseNetwork:
    """scikit-learn style: ``DenseNetwork(DenseConfig(), seed=0).fit(x, y)``.

    Fitted attributes: ``n_inputs_``, ``n_outputs_``, ``kind_`` ("multiclass" | "multilabel"),
    ``learner_`` (the rule's learner object) and, read through it, ``layers_`` (list of
    ``(W [n_in, n_out], b [n_out])`` float32 arrays) and ``history_`` (per-epoch training and
    validation loss) for sgd, ``w_`` ``[n_inputs, n_units]``, ``theta_`` ``[n_units]`` and
    ``readout_`` for hebbian.
    """

    def __init__(self, config: DenseConfig | None = None, *, seed: int = 0):
        self.config = config if config is not None else DenseConfig()
        if not isinstance(self.config, DenseConfig):
            raise DataError(f"config must be a DenseConfig, got {type(self.config).__name__}")
        self.seed = seed
        self.name = f"dense-{self.config.learning}"

    def __repr__(self) -> str:
        """Class, the config fields that differ from :class:`DenseConfig`'s defaults, seed, fitted or not."""
        default = DenseConfig()
        names = ["learning"] + [f.name for f in dataclasses.fields(DenseConfig) if f.name != "learning"]
        parts = [f"{k}={getattr(self.config, k)!r}" for k in names if getattr(self.config, k) != getattr(default, k)]
        state = (
            "fitted" if "kind_" in self.__dict__ else "weights only" if "learner_" in self.__dict__ else "not fitted"
        )
        return f"{type(self).__name__}({', '.join([*parts, f'seed={self.seed}', state])})"

    def __getattr__(self, name: str):
        # Only called when normal lookup fails: the learner's fitted attributes read through the network.
        learner = self.__dict__.get("learner_")
        if learner is not None and name in learner.FITTED:
            return getattr(learner, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # --- Probeable -------------------------------------------------------------------
    def sites(self) -> dict[str, int]:
        return LEARNERS[self.config.learning].sites(self.config)

    def weights(self) -> dict[str, np.ndarray]:
        self._check_fitted(readout=False)
        return self.learner_.weights()

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
                xb = torch.as_tensor(x[start : start + batch_size], device=self.learner_.device)
                hidden, out = self.learner_.forward(xb, ivs)
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

    # --- training --------------------------------------------------------------------
    def fit(self, x, y) -> DenseNetwork:
        x = check_inputs(x, name="x")
        y, kind, n_out = check_labels(y, len(x), "y")
        learner = LEARNERS[self.config.learning](self.config, self.seed, torch_device(self.config.device), kind)
        with torch.random.fork_rng(devices=[]), one_intra_op_thread():
            torch.manual_seed(self.seed)
            learner.fit(x, y, n_out)
        self.learner_ = learner
        self.n_inputs_, self.n_outputs_, self.kind_ = x.shape[1], n_out, kind
        return self

    # --- weight transplants -----------------------------------------------------------
    @classmethod
    def from_weights(
        cls,
        w_in,
        threshold=None,
        *,
        k_active: int,
        inhibition: float = 0.0,
        config: DenseConfig | None = None,
        seed: int = 0,
    ) -> DenseNetwork:
        """A one-step k-winner network with the given weights, for weights learned elsewhere (no learning here).

        ``w_in`` ``[n_inputs, n_units]``: a unit's drive is ``x @ w_in``; ``threshold`` ``[n_units]``
        (drive units; None: zeros) biases the competition as the Hebbian network's ``theta_``
        does; ``k_active`` units win per input and winners below ``inhibition`` times the
        largest drive are silenced. ``config`` supplies the other fields (readout, device);
        learning, hidden, k_active and inhibition come from the arguments. Call
        :meth:`fit_readout` on training data before recording. ``fit`` would learn new weights.
        """
        w = _finite_array(w_in, "w_in", 2, "[n_inputs, n_units]")
        n_units = w.shape[1]
        theta = (
            np.zeros(n_units, np.float32)
            if threshold is None
            else _finite_array(threshold, "threshold", 1, "[n_units]")
        )
        if theta.shape != (n_units,):
            raise DataError(f"threshold has shape {theta.shape}: expected [n_units] = ({n_units},) to match w_in")
        base = config if config is not None else DenseConfig()
        if not isinstance(base, DenseConfig):
            raise DataError(f"config must be a DenseConfig, got {type(base).__name__}")
        cfg = base.replace(learning="hebbian", hidden=(n_units,), k_active=k_active, inhibition=inhibition)
        net = cls(cfg, seed=seed)
        device = torch_device(cfg.device)
        learner = HebbianLearner(cfg, seed, device, kind=None)
        learner.set_weights(torch.as_tensor(w, device=device), torch.as_tensor(theta, device=device))
        net.learner_, net.n_inputs_ = learner, w.shape[0]
        return net

    def fit_readout(self, x, y) -> DenseNetwork:
        """Fit only the readout on ``x`` ``[n, n_inputs]`` with labels ``y``, keeping weights and thresholds.

        For a Hebbian network (for example one built by :meth:`from_weights`): label assignment
        (or the logistic readout, by ``config.readout``) on the k-winner activation.
        """
        if "learner_" not in self.__dict__:
            raise DataError(f"this {self.name} network has no weights: build it with from_weights(...) or fit(x, y)")
        if self.config.learning != "hebbian":
            raise DataError(
                "fit_readout refits a hebbian network's readout; an sgd network's readout is trained by fit"
            )
        x = check_inputs(x, self.n_inputs_)
        y, kind, n_out = check_labels(y, len(x), "y")
        with torch.no_grad(), one_intra_op_thread():
            self.learner_.kind = kind
            self.learner_.fit_readout(x, y)
        self.n_outputs_, self.kind_ = n_out, kind
        return self

    def using(self, **changes) -> DenseNetwork:
        """A copy of this fitted network that is *run* differently; nothing is retrained.

        ``device`` (a run option) moves the weights; ``k_active`` and ``inhibition`` change the
        Hebbian network's test-time competition (the readout stays as fitted: call
        :meth:`fit_readout` to refit it under the new setting).
        """
        import copy

        allowed = {"device", "k_active", "inhibition"}
        bad = sorted(set(changes) - allowed)
        if bad:
            raise DataError(f"using() cannot change {bad}: only {sorted(allowed)} (other changes need a new fit)")
        other = copy.copy(self)
        other.config = dataclasses.replace(self.config, **changes)
        learner = self.__dict__.get("learner_")
        if learner is not None:
            if other.config.device != self.config.device:
                arrays, extra = learner.to_arrays()
                fresh = LEARNERS[other.config.learning](
                    other.config, self.seed, torch_device(other.config.device), learner.kind
                )  # fmt: skip
                other.learner_ = fresh.from_arrays(arrays, extra)
            else:
                other.learner_ = copy.copy(learner)
                other.learner_.config = other.config
        return other

    # --- model files -----------------------------------------------------------------
    _FORMAT = "scrutable.DenseNetwork/1"

    def save(self, path) -> None:
        """Write the fitted network to ``.npz`` atomically (no pickles); :meth:`load` reads it back."""
        self._check_fitted()
        arrays, extra = self.learner_.to_arrays()
        meta = {
            "config": self.config.to_dict(),
            "seed": self.seed,
            "n_inputs": self.n_inputs_,
            "n_outputs": self.n_outputs_,
            "kind": self.kind_,
            **extra,
        }
        save_arrays(path, self._FORMAT, meta, arrays)

    @classmethod
    def load(cls, path) -> DenseNetwork:
        meta, a = load_arrays(path, cls._FORMAT)
        try:
            net = cls(DenseConfig(**meta["config"]), seed=meta["seed"])
            learner = LEARNERS[net.config.learning](net.config, net.seed, torch_device(net.config.device), meta["kind"])
            net.learner_ = learner.from_arrays(a, meta)
            net.n_inputs_, net.n_outputs_, net.kind_ = meta["n_inputs"], meta["n_outputs"], meta["kind"]
        except (KeyError, TypeError, RuntimeError) as exc:
            raise DataError(f"model file {str(path)!r} is incomplete ({exc}): save the model again") from None
        return net

    def _check_fitted(self, *, readout: bool = True) -> None:
        if "learner_" not in self.__dict__:
            raise DataError(f"this {self.name} network is not fitted yet: call fit(x, y) first")
        if readout and "kind_" not in self.__dict__:
            raise DataError(f"this {self.name} network has weights but no readout yet: call fit_readout(x, y) first")


def _finite_array(a, name: str, ndim: int, shape: str) -> np.ndarray:
    """``a`` as a float32 array of ``ndim`` dimensions with finite values, else a one-line DataError."""
    try:
        arr = np.asarray(a, dtype=np.float32)
    except (TypeError, ValueError):
        raise DataError(f"{name} cannot be read as a numeric array: give a float array {shape}") from None
    if arr.ndim != ndim or arr.size == 0:
        raise DataError(f"{name} has shape {arr.shape}: expected a non-empty {ndim}-D array {shape}")
    if not np.isfinite(arr).all():
        raise DataError(f"{name} contains NaN or inf: give finite values")
    return np.ascontiguousarray(arr)
