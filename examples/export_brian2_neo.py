"""Export a trained spiking network to Brian2, and its spikes to Neo and Elephant.

    python examples/export_brian2_neo.py          # 100 units
    python examples/export_brian2_neo.py --tiny   # 150 training samples

``net.to_brian2()`` returns a ready ``brian2.Network`` holding the trained weights, adaptive
thresholds and synaptic delays, to simulate further or extend in Brian2; given the same input
events it fires the same spikes as our own engine (the script checks that). ``rec.to_neo(site,
sample)`` turns one sample's spikes into Neo ``SpikeTrain``s for Elephant's statistics
(needs the ``neo`` extra: ``pip install 'scrutable[neo]'``).
"""

from __future__ import annotations

import argparse

import numpy as np

from comparisons.tasks import load_task
from snn import SNNConfig, SpikingNetwork


def poisson_events(x: np.ndarray, rate_hz: float, duration_ms: float, dt_ms: float, seed: int):
    """Input events ``(sample, input, time_ms)`` on the dt grid: input i fires with rate ``x[i] * rate_hz``."""
    rng = np.random.default_rng(seed)
    n_steps = int(duration_ms / dt_ms)
    samples, inputs, times = [], [], []
    for b, row in enumerate(x):
        steps, idx = np.nonzero(rng.random((n_steps, len(row))) < row * rate_hz * dt_ms * 1e-3)
        samples.append(np.full(len(steps), b))
        inputs.append(idx)
        times.append(steps * dt_ms)
    return np.concatenate(samples), np.concatenate(inputs), np.concatenate(times)


def spike_set(time_ms, unit, dt_ms) -> list[tuple[int, int]]:
    """Spikes as sorted (step, unit) pairs: exact to compare across simulators."""
    return sorted(zip(np.rint(np.asarray(time_ms) / dt_ms).astype(int).tolist(), np.asarray(unit).tolist()))


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiny", action="store_true", help="a small run for a smoke test")
    args = p.parse_args(argv)
    units, n = 100, (150 if args.tiny else None)  # 100 units: fewer fall silent (retries) on digits

    task = load_task("digits", seed=0)
    # float64 recording: the numba engine then reproduces Brian2's spikes exactly
    net = SpikingNetwork(SNNConfig(n_neurons=units, dtype="float64"), seed=0).fit(task.x_train[:n], task.y_train[:n])
    cfg = net.config_

    # 1. One test digit as explicit input events, recorded by our engine and by Brian2.
    x = task.x_test[:1]
    events = poisson_events(x, cfg.input_rate_hz, cfg.presentation_ms, cfg.dt_ms, seed=3)
    ours = net.record(x, input_spikes=events)

    import brian2 as b2

    b2.set_device("runtime")
    b2.prefs.codegen.target = "numpy"  # no compiler needed; "cython" is faster for long runs
    network, objects = net.to_brian2()
    objects["input"].set_spikes(events[1], events[2] * b2.ms)
    network.run(cfg.presentation_ms * b2.ms)
    brian = spike_set(objects["mon_e"].t / b2.ms, objects["mon_e"].i[:], cfg.dt_ms)
    mine = spike_set(ours.spikes["exc"].time_ms, ours.spikes["exc"].unit, cfg.dt_ms)
    print(f"Brian2: {len(brian)} excitatory spikes, ours: {len(mine)}, identical: {brian == mine}")

    # 2. Recorded spikes to Neo, statistics with Elephant.
    import quantities as pq
    from elephant.statistics import mean_firing_rate

    rec = net.record(task.x_test[:5])
    trains = rec.to_neo("exc", 0)  # one neo.SpikeTrain per excitatory unit, sample 0
    rates = np.array([float(mean_firing_rate(st).rescale(pq.Hz)) for st in trains])
    print(f"sample 0: {sum(len(st) for st in trains)} spikes; busiest unit fires at {rates.max():.1f} Hz (Elephant)")
    print(f"Recording.rates gives the same: {np.allclose(rates, rec.rates('exc')[0])}")
    return {"brian2_identical": brian == mine, "n_spikes": len(mine), "neo_rates": rates, "rates": rec.rates("exc")[0]}


if __name__ == "__main__":
    main()
