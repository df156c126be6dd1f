"""`DenseConfig`: the synchronous network's parameters."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import ClassVar, Literal

from probes.support import (
    Config,
    require,
    require_nonnegative,
    require_positive,
    require_probability,
)

DEVICES = ("cpu", "cuda", "mps")  # and "cuda:N"


@dataclass(frozen=True, repr=False)
class DenseConfig(Config):
    """``learning="sgd"``: an MLP trained with Adam; ``learning="hebbian"``: one hidden layer
    with k-winner-take-all, a competitive (instar) Hebbian rule, weight normalisation and an
    adaptive threshold, read out by label assignment like the spiking network."""

    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ("device",)

    hidden: tuple[int, ...] = (400,)
    learning: Literal["sgd", "hebbian"] = "sgd"
    device: str = "cpu"
    # --- sgd ---
    lr: float = 1e-3
    batch_size: int = 64
    max_epochs: int = 200
    patience: int = 10  # epochs without validation improvement before stopping
    val_fraction: float = 0.1
    weight_decay: float = 0.0
    # --- hebbian ---
    k_winners: int = 1  # winners per input (lateral inhibition in one step)
    k_active: int = 10  # winners when recording (0: k_winners); on bars use hidden[0] with inhibition 0.6
    inhibition: float = 0.0  # winners whose drive is below this fraction of the largest are silenced
    hebb_lr: float = 0.2  # instar rate: w_j += hebb_lr * (x - w_j) for winners j
    hebb_epochs: int = 3
    weight_sum: float | None = (
        None  # per-unit normalisation target; None: a unit's weights sum to its inputs' mean total
    )
    theta_plus: float = 1.0  # threshold rise per win (homeostasis)
    theta_decay: float = 0.9999  # multiplicative decay of the threshold per sample
    readout: Literal["assignment", "logistic"] = "assignment"

    def validate(self) -> None:
        require(len(self.hidden) >= 1, "hidden", self.hidden, "give at least one hidden layer size")
        for i, h in enumerate(self.hidden):
            require(h > 0, f"hidden[{i}]", h, "layer sizes must be positive integers")
        require(
            self.learning != "hebbian" or len(self.hidden) == 1,
            "hidden",
            self.hidden,
            "the hebbian network has exactly one hidden layer",
        )
        require_positive("lr", self.lr)
        require_positive("batch_size", self.batch_size)
        require_positive("max_epochs", self.max_epochs)
        require(self.patience >= 1, "patience", self.patience, "must be >= 1")
        require(0 < self.val_fraction < 1, "val_fraction", self.val_fraction, "must be in (0, 1)")
        require_nonnegative("weight_decay", self.weight_decay)
        n = self.hidden[0]
        require(
            1 <= self.k_winners <= n,
            "k_winners",
            self.k_winners,
            f"must be in 1..hidden[0]={n} (winners among the hidden units): lower k_winners or raise hidden",
        )
        require(self.k_active >= 0, "k_active", self.k_active, "must be >= 0 (0: k_winners)")
        require(
            self.learning != "hebbian" or self.k_active <= n,
            "k_active",
            self.k_active,
            f"must be at most hidden[0]={n} (winners among the hidden units): lower k_active or raise hidden",
        )
        require_probability("hebb_lr", self.hebb_lr)
        require_probability("inhibition", self.inhibition)
        require_positive("hebb_epochs", self.hebb_epochs)
        if self.weight_sum is not None:
            require_positive("weight_sum", self.weight_sum)
        require_nonnegative("theta_plus", self.theta_plus)
        require(0 < self.theta_decay <= 1, "theta_decay", self.theta_decay, "must be in (0, 1]")
        if not (self.device in DEVICES or self.device.startswith("cuda:")):
            hint = difflib.get_close_matches(self.device, DEVICES, n=1)
            require(False, "device", self.device, "use 'cpu', 'cuda', 'cuda:N' or 'mps'" + _did_you_mean(hint))


def _did_you_mean(matches: list[str]) -> str:
    return f" (did you mean {matches[0]!r}?)" if matches else ""
