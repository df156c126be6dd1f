"""Interventions on a dense site's activation (the dense column of the table in DESIGN.md)."""

from __future__ import annotations

import torch

from probes.interface import Ablate, Clamp, Patch, Steer


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
