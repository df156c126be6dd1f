"""Interventions on both networks: ablate, clamp, steer and patch units, and see what changes.

    python examples/interventions.py          # 100 units each, digits
    python examples/interventions.py --tiny   # 150 training samples

Each intervention means the same thing on both networks (docs/api.md): on the dense network it
sets or shifts an activation, on the spiking network it silences, drives or replays spike trains.
"""

from __future__ import annotations

import argparse

import numpy as np

from comparisons.tasks import load_task
from dense import DenseConfig, DenseNetwork
from probes import Ablate, Clamp, Patch, Steer
from snn import SNNConfig, SpikingNetwork


def accuracy(rec, y) -> float:
    return float(np.mean(rec.predictions == y))


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiny", action="store_true", help="a small run for a smoke test")
    args = p.parse_args(argv)
    units, n = 100, (150 if args.tiny else None)  # 100 units: fewer fall silent (retries) on digits

    task = load_task("digits", seed=0)
    x_train, y_train = task.x_train[:n], task.y_train[:n]
    x, y = task.x_test[:100], task.y_test[:100]
    nets = {
        "snn": SpikingNetwork(SNNConfig(n_neurons=units), seed=0).fit(x_train, y_train),
        "dense": DenseNetwork(DenseConfig(hidden=(units,)), seed=0).fit(x_train, y_train),
    }

    out = {}
    for name, net in nets.items():
        site = "exc" if name == "snn" else "hidden"
        clean = net.record(x)
        act = clean.counts(site)  # [n_samples, n_units]: spike counts, or activations
        busiest = [int(u) for u in np.argsort(act.sum(0))[::-1][: max(2, units // 10)]]

        # Ablate: the busiest units are silenced (never spike / activation 0).
        ablated = net.record(x, interventions=[Ablate(site, busiest)])
        assert ablated.counts(site)[:, busiest].sum() == 0

        # Clamp: one unit forced to the activity it has on its favourite inputs.
        level = float(act[:, busiest[0]].max())
        clamped = net.record(x, interventions=[Clamp(site, [busiest[0]], level)])

        # Steer: add the difference of class means (class 3 minus class 8) to inputs of class 8.
        eights, threes = x[y == 8], x[y == 3]
        direction = act[y == 3].mean(0) - act[y == 8].mean(0)
        steered = net.record(eights, interventions=[Steer(site, direction, 1.0)])

        # Patch: each of the busiest units replays its activity on the first "3" while the net sees "8"s.
        source = net.record(threes[:1])
        patched = net.record(eights, interventions=[Patch(site, busiest, source, 0)])

        out[name] = {
            "clean_accuracy": accuracy(clean, y),
            "ablated_units": len(busiest),
            "ablated_accuracy": accuracy(ablated, y),
            "clamped_unit": busiest[0],
            "clamp_level": level,
            "clamped_mean_activity": float(clamped.counts(site)[:, busiest[0]].mean()),
            "eights_read_as_3_after_steering": float(np.mean(steered.predictions == 3)),
            "eights_read_as_3_after_patching": float(np.mean(patched.predictions == 3)),
        }
        print(name)
        for k, v in out[name].items():
            print(f"  {k}: {v:.3f}" if isinstance(v, float) else f"  {k}: {v}")
    return out


if __name__ == "__main__":
    main()
