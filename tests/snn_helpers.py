"""Small hand-built spiking networks for unit tests: explicit weights, delays and events."""

import dataclasses

import numpy as np

from snn import SNNConfig
from snn.encoding import empty_events, events_from_steps
from snn.engines import Batch, NetState
from snn.kernel import NEVER


def state(w, delay_steps, theta_mv=20.0, recurrent=None):
    """``recurrent``: ``(exc->inh [N], inh->exc [N, N])`` delays in steps (None: none)."""
    w = np.asarray(w, np.float64)[None]
    n_in, N = w.shape[1:]
    ei, ie = (None, None) if recurrent is None else (np.asarray(d, np.int16)[None].copy() for d in recurrent)
    return NetState(
        w=w.copy(),
        theta=np.full((1, N), theta_mv),
        delay_steps=np.asarray(delay_steps, np.int64)[None].copy()
        if np.ndim(delay_steps)
        else np.full((1, n_in, N), delay_steps, np.int64),
        lastpre=np.full((1, n_in, N), NEVER),
        lastpost=np.full((1, N), NEVER),
        clock=np.zeros(1, np.int64),
        delay_ei_steps=ei,
        delay_ie_steps=ie,
    )


def batch(N, n_steps, inputs=(), forced_e=(), override_e=(), steer_e=None, forced_i=(), override_i=()):
    """inputs/forced_e/forced_i: lists of (step, unit) for one batch element."""

    def ev(pairs):
        if not pairs:
            return empty_events(1, n_steps)
        s, u = np.array(pairs).T
        return events_from_steps(np.zeros(len(s)), s, u, 1, n_steps)

    ovr, ovr_i = np.zeros(N, bool), np.zeros(N, bool)
    ovr[list(override_e)] = True
    ovr_i[list(override_i)] = True
    return Batch(
        replica=np.zeros(1, np.int64),
        inputs=ev(list(inputs)),
        forced_e=ev(list(forced_e)),
        override_e=ovr,
        forced_i=ev(list(forced_i)),
        override_i=ovr_i,
        steer_e=np.zeros(N) if steer_e is None else np.asarray(steer_e, float),
        steer_i=np.zeros(N),
    )


def config(**kw):
    # method given: the engines take a resolved config (SNNConfig.resolved fills a None method by size)
    return dataclasses.replace(SNNConfig(dtype="float64", input_rate_hz=255.0, weight_sum=12.0, method="euler"), **kw)
