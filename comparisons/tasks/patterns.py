"""``patterns``: a timing task in which spike counts carry no information about the class.

After Masquelier, Guyonneau & Thorpe (2008) and Guetig & Sompolinsky (2006). Each of
``n_classes`` classes is a frozen spatiotemporal spike pattern over ``n_inputs`` inputs and a
window of ``duration_ms``: every input fires exactly ``spikes_per_input`` times in every
class's pattern, at times drawn once (uniformly, seeded), so the classes differ only in *when*
each input fires, never in how often (rate-matched by construction). A sample of class c is
c's pattern with every spike jittered by Gaussian noise of std ``sigma_ms`` (wrapped around the
window, so no spike is lost), plus independent Poisson background at ``background_hz`` on every
input. An input's spike count in a sample is therefore ``spikes_per_input + Poisson(background_hz
* duration_ms / 1000)`` whatever the class: a decoder of counts per input is at chance, while a
decoder that sees when the spikes come can read the class; jitter destroys that as it grows.

Times lie on a grid of ``resolution_ms`` (event times are the grid cells' centres, so a
simulator with ``dt_ms`` = ``resolution_ms``, or any divisor of it, puts each event in its own
step), and no input fires twice in one cell: a spike landing on an occupied cell (rare) is moved
to a free cell drawn uniformly, which keeps every count exact.

The task carries the exact events per split, ``task.events_train`` and ``task.events_test``:
``(sample, input, time_ms)`` arrays (int64, int64, float64) for
``SpikingNetwork.record(x, input_spikes=...)``, over ``task.n_event_inputs = n_inputs`` inputs
and ``task.event_window_ms = duration_ms``. ``x`` holds the same events binned at ``bin_ms``
for the dense network: spike counts ``[n, n_inputs, n_bins]`` flattened input-major to
``[n, n_inputs * n_bins]`` (``image_shape = (n_inputs, n_bins)``, so an image is a raster) and
divided by the largest count of one bin in the training set (test values clipped to 1).
Labels are balanced over classes; factors are the class one-hot.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from probes.support import DataError

from .task import Task


@dataclass(frozen=True)
class PatternEvents:
    """One split: ``events = (sample, input, time_ms)`` and labels ``[n]``; ``patterns`` the frozen
    spike steps ``[n_classes, n_inputs, spikes_per_input]`` (grid cells) shared by both splits."""

    events: tuple[np.ndarray, np.ndarray, np.ndarray]
    labels: np.ndarray
    patterns: np.ndarray


def frozen_patterns(n_classes: int, n_inputs: int, spikes_per_input: int, n_cells: int, rng) -> np.ndarray:
    """``[n_classes, n_inputs, spikes_per_input]`` distinct grid cells per input and class."""
    keys = rng.random((n_classes, n_inputs, n_cells))
    return np.argsort(keys, axis=2)[:, :, :spikes_per_input].astype(np.int64)  # a random subset, no repeats


def make_pattern_events(
    n: int,
    patterns: np.ndarray,
    *,
    n_cells: int,
    resolution_ms: float,
    background_hz: float,
    sigma_ms: float,
    rng: np.random.Generator,
) -> PatternEvents:
    """``n`` samples (balanced classes in random order) of jittered ``patterns`` in Poisson background."""
    n_classes, n_inputs, m = patterns.shape
    labels = rng.permutation(np.arange(n) % n_classes)
    # pattern spikes: sample s carries every spike of patterns[labels[s]], jittered and wrapped
    p_sample = np.repeat(np.arange(n), n_inputs * m)
    p_input = np.tile(np.repeat(np.arange(n_inputs), m), n)
    p_cell = patterns[labels].reshape(-1)
    if sigma_ms > 0:
        p_cell = p_cell + np.rint(rng.normal(0.0, sigma_ms / resolution_ms, p_cell.shape)).astype(np.int64)
    p_cell = np.mod(p_cell, n_cells)
    # background: Poisson count per (sample, input), each spike in a uniform cell
    counts = rng.poisson(background_hz * n_cells * resolution_ms / 1000.0, (n, n_inputs)).reshape(-1)
    b_pair = np.repeat(np.arange(n * n_inputs), counts)
    b_cell = rng.integers(0, n_cells, len(b_pair))
    pair = np.concatenate([p_sample * n_inputs + p_input, b_pair])
    cell = np.concatenate([p_cell, b_cell])
    cell = _resolve_collisions(pair, cell, n_cells, rng)
    order = np.lexsort((pair % n_inputs, cell, pair // n_inputs))  # by sample, then time, then input
    pair, cell = pair[order], cell[order]
    events = (pair // n_inputs, pair % n_inputs, (cell + 0.5) * resolution_ms)
    return PatternEvents(events, labels.astype(np.int64), patterns)


def _resolve_collisions(pair: np.ndarray, cell: np.ndarray, n_cells: int, rng) -> np.ndarray:
    """Move every spike that shares a cell with an earlier spike of its input to a free cell (uniform)."""
    cell = cell.copy()
    for _ in range(1000):
        key = pair * n_cells + cell
        order = np.argsort(key, kind="stable")  # stable: the first (pattern) spike of a cell stays
        dup = np.zeros(len(key), bool)
        dup[order[1:]] = key[order[1:]] == key[order[:-1]]
        if not dup.any():
            return cell
        cell[dup] = rng.integers(0, n_cells, int(dup.sum()))
    raise DataError("patterns: inputs are too dense for the time grid: lower background_hz or spikes_per_input")


def bin_events(events, n_samples: int, n_inputs: int, window_ms: float, bin_ms: float) -> np.ndarray:
    """Spike counts ``[n_samples, n_inputs, n_bins]`` of ``(sample, input, time_ms)`` events in bins of ``bin_ms``."""
    n_bins = int(round(window_ms / bin_ms))
    sample, inp, time_ms = events
    b = np.minimum((np.asarray(time_ms) / bin_ms).astype(np.int64), n_bins - 1)
    flat = (np.asarray(sample) * n_inputs + np.asarray(inp)) * n_bins + b
    return np.bincount(flat, minlength=n_samples * n_inputs * n_bins).reshape(n_samples, n_inputs, n_bins)


def _check(n_classes, n_inputs, spikes_per_input, n_train, n_test, duration_ms, background_hz, sigma_ms, bin_ms, res):
    for key, v, low in (
        ("n_classes", n_classes, 2),
        ("n_inputs", n_inputs, 1),
        ("spikes_per_input", spikes_per_input, 1),
        ("n_train", n_train, 1),
        ("n_test", n_test, 1),
    ):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < low:
            raise DataError(f"patterns {key}={v!r} must be an integer >= {low}")
    if n_train < n_classes:
        raise DataError(f"patterns n_train={n_train} must be >= n_classes={n_classes}: every class needs examples")
    for key, v in (("duration_ms", duration_ms), ("bin_ms", bin_ms), ("resolution_ms", res)):
        if not (np.isfinite(v) and v > 0):
            raise DataError(f"patterns {key}={v!r} must be a finite number > 0")
    for key, v in (("background_hz", background_hz), ("sigma_ms", sigma_ms)):
        if not (np.isfinite(v) and v >= 0):
            raise DataError(f"patterns {key}={v!r} must be a finite number >= 0")
    for key, v, unit in (("duration_ms", duration_ms, bin_ms), ("bin_ms", bin_ms, res)):
        if abs(v / unit - round(v / unit)) > 1e-9:
            other = "bin_ms" if key == "duration_ms" else "resolution_ms"
            raise DataError(f"patterns {key}={v:g} must be a multiple of {other}={unit:g}")
    n_cells = int(round(duration_ms / res))
    if spikes_per_input + background_hz * duration_ms / 1000.0 > n_cells / 4:
        raise DataError(
            f"patterns: {spikes_per_input} pattern spikes plus {background_hz:g} Hz background per input crowd the "
            f"{n_cells} time cells of {res:g} ms: lower spikes_per_input or background_hz"
        )
    return n_cells


def load_patterns_task(
    *,
    n_classes: int = 4,
    n_inputs: int = 50,
    duration_ms: float = 300.0,
    spikes_per_input: int = 2,
    background_hz: float = 5.0,
    sigma_ms: float = 2.0,
    bin_ms: float = 10.0,
    resolution_ms: float = 0.5,
    n_train: int = 800,
    n_test: int = 200,
    seed: int = 0,
) -> Task:
    """Rate-matched spatiotemporal spike patterns (see the module docstring); times in ms, rates in Hz."""
    sizes = (n_classes, n_inputs, spikes_per_input, n_train, n_test)
    n_cells = _check(*sizes, duration_ms, background_hz, sigma_ms, bin_ms, resolution_ms)
    s_pat, s_train, s_test = np.random.SeedSequence(seed).spawn(3)
    patterns = frozen_patterns(n_classes, n_inputs, spikes_per_input, n_cells, np.random.default_rng(s_pat))
    opts = dict(n_cells=n_cells, resolution_ms=resolution_ms, background_hz=background_hz, sigma_ms=sigma_ms)
    train = make_pattern_events(n_train, patterns, rng=np.random.default_rng(s_train), **opts)
    test = make_pattern_events(n_test, patterns, rng=np.random.default_rng(s_test), **opts)
    c_train = bin_events(train.events, n_train, n_inputs, duration_ms, bin_ms)
    c_test = bin_events(test.events, n_test, n_inputs, duration_ms, bin_ms)
    scale = float(max(c_train.max(), 1))
    x_train = (c_train / scale).astype(np.float32).reshape(n_train, -1)
    x_test = np.minimum(c_test / scale, 1.0).astype(np.float32).reshape(n_test, -1)
    return Task.from_arrays(
        x_train,
        train.labels,
        x_test,
        test.labels,
        name="patterns",
        image_shape=(n_inputs, c_train.shape[2]),
        class_names=[f"pattern {c}" for c in range(n_classes)],
        description=(
            f"{n_classes} rate-matched spike patterns over {n_inputs} inputs x {duration_ms:g} ms "
            f"({spikes_per_input} spikes per input), {background_hz:g} Hz background, jitter {sigma_ms:g} ms, "
            f"binned at {bin_ms:g} ms"
        ),
        events_train=train.events,
        events_test=test.events,
        n_event_inputs=n_inputs,
        event_window_ms=duration_ms,
    )
