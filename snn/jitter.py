"""Input spike-time jitter that keeps every spike: the compiled placement behind
:func:`snn.encoding.jitter_steps`.

A jittered spike goes to the step nearest its jittered time. One input spikes at most once per
step (as in Brian2), so a spike whose step is already taken by a spike of the same input moves to
the nearest free step of that input (on a tie the earlier one), inside the presentation window.
Spike counts per input are therefore exactly those of the trains before jitter; only times move.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def nearest_free_step(taken, target):  # pragma: no cover - compiled
    """The free step (``taken[step]`` False) nearest ``target``, the earlier one on a tie, or -1
    when every step is taken."""
    n_steps = taken.shape[0]
    for d in range(n_steps):
        if target - d >= 0 and not taken[target - d]:
            return target - d
        if target + d < n_steps and not taken[target + d]:
            return target + d
    return -1


@njit(cache=True)
def place_spikes(unit, wanted, n_units, n_steps):  # pragma: no cover - compiled
    """Steps for spikes of ``unit`` that want steps ``wanted`` (clipped to the window
    ``0..n_steps-1``), at most one spike per (unit, step): each spike in turn, in the given order,
    takes its wanted step if it is free, else the nearest free step of its unit (see
    :func:`nearest_free_step`). Returns the steps and whether every spike found one (it does while
    no unit has more than ``n_steps`` spikes)."""
    taken = np.zeros((n_units, n_steps), np.bool_)
    out = np.empty(wanted.shape[0], np.int64)
    ok = True
    for e in range(wanted.shape[0]):
        target = min(max(wanted[e], 0), n_steps - 1)
        row = taken[unit[e]]
        step = target if not row[target] else nearest_free_step(row, target)
        if step < 0:
            ok = False
            step = target
        row[step] = True
        out[e] = step
    return out, ok
