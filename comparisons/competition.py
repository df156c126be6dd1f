"""Matched test-time competition: one rule chooses how strongly units compete when a trained
network is read, the same way for every network.

A network trained with winner-take-all can be *read* with weaker or stronger competition
than it was trained with (the spiking network's ``w_inh_exc_test``, the Hebbian network's
``k_active`` and ``inhibition``): the weights stay, only who gets to answer changes. On bars,
D&C's strong inhibition lets one unit answer per image and hides every other bar present,
while the Hebbian network was read with free competition: the comparison measured a readout
setting. The rule here: hold out a stratified fifth of the training data, refit the readout
on the rest under each candidate setting, keep the setting with the best held-out accuracy
(ties: the earlier candidate, the training setting first), and refit the readout on all the
training data under it. Networks without competition (the SGD MLP) are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

# candidate settings, the training setting first; None for the spiking network: as trained
SNN_CANDIDATES = [{"w_inh_exc_test": v} for v in (None, 8.0, 4.0, 2.0, 1.0, 0.5)]


def hebbian_candidates(n_units: int) -> list[dict]:
    """k-winner settings from one winner to all units, each with and without relative inhibition."""
    ks = sorted({k for k in (1, 3, 10, 30, 100, n_units) if k <= n_units})
    return [{"k_active": k, "inhibition": i} for k in ks for i in (0.0, 0.6)]


def candidates_for(model) -> list[dict]:
    """The candidate competition settings of a model (empty: it has no test-time competition)."""
    if getattr(model, "name", "") == "snn":
        return SNN_CANDIDATES
    cfg = getattr(model, "config", None)
    if getattr(cfg, "learning", None) == "hebbian":
        return hebbian_candidates(cfg.hidden[0])
    return []


@dataclass
class CompetitionChoice:
    """The chosen setting and every candidate's held-out accuracy and active units per input."""

    setting: dict
    table: list[dict]

    def to_dict(self) -> dict:
        return {"setting": self.setting, "candidates": self.table}


def _accuracy(rec, y, kind: str) -> float:
    pred = rec.predictions
    return float((pred == y).all(axis=1).mean() if kind == "multilabel" else (pred == y).mean())


def choose_competition(model, x, y, *, candidates=None, seed: int = 0, val_fraction: float = 0.2):
    """Return ``(model read under the chosen setting, CompetitionChoice)`` (see the module doc).

    ``x`` ``[n, n_inputs]``, ``y`` the training labels; ``model`` must offer ``using(**setting)``
    and ``fit_readout(x, y)``. With no candidates the model is returned unchanged.
    """
    candidates = candidates_for(model) if candidates is None else candidates
    if not candidates:
        return model, CompetitionChoice({}, [])
    y = np.asarray(y)
    kind = "multilabel" if y.ndim == 2 else "multiclass"
    strat = y if kind == "multiclass" and np.bincount(y).min() >= 2 else None
    idx_fit, idx_val = train_test_split(
        np.arange(len(x)), test_size=val_fraction, random_state=seed, stratify=strat
    )  # fmt: skip
    table = []
    for setting in candidates:
        m = model.using(**setting).fit_readout(x[idx_fit], y[idx_fit])
        site = next(iter(m.sites()))
        rec = m.record(x[idx_val], sites=[site])
        active = float((rec.counts(site) > 0).sum(axis=1).mean())
        table.append({**setting, "val_accuracy": _accuracy(rec, y[idx_val], kind), "active_units": active})
    best = int(np.argmax([row["val_accuracy"] for row in table]))  # first of the ties
    chosen = candidates[best]
    return model.using(**chosen).fit_readout(x, y), CompetitionChoice(dict(chosen), table)
