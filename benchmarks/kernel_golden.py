"""Fingerprints of the spiking engines' output, to show that a refactoring changes no spike.

Trains small networks (40 neurons on 60 digits) with each integration method, with input delays,
recurrent delays, input jitter and the latency code, two replicas in one batch, records them in
float32 and float64 with and without interventions (Ablate, Clamp, Steer, Patch, Retime) and from
explicit input events, on the numba and the eager engine, and prints an md5 per quantity (weights,
theta, traces, training history, counts, spike events, outputs). Run it before and after a change
on the same machine and compare (only the fingerprints computed are compared)::

    python benchmarks/kernel_golden.py --out before.json
    python benchmarks/kernel_golden.py --compare before.json

``--numba-only`` leaves the eager engine out: on a loaded machine its torch threads take most of
the time (an hour instead of 20 minutes).

The sums depend on the CPU (float rounding of the vectorised kernel), so they are not stored in
the repository: a comparison is meaningful on one machine only. Fingerprints saved before
fd162c2 differ in the latency case for a reason of behaviour, not of refactoring: latency codes
are no longer retried in training.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys

import numpy as np


def md5(*arrays) -> str:
    h = hashlib.md5()
    for a in arrays:
        a = np.ascontiguousarray(a)
        h.update(str((a.dtype, a.shape)).encode())
        h.update(a.tobytes())
    return h.hexdigest()


def fingerprints(
    n_neurons: int = 40, n_train: int = 60, n_test: int = 48, quick: bool = False, engines=("numba", "eager")
) -> dict[str, str]:
    """md5 per quantity; ``quick``: two cases (both methods, delays and jitter), numba only."""
    from comparisons.tasks import load_task
    from probes import Ablate, Clamp, Patch, Retime, Steer
    from snn import SNNConfig, SpikingNetwork

    task = load_task("digits", seed=0)
    x, y, xt = task.x_train[:n_train], task.y_train[:n_train], task.x_test[:n_test]
    out: dict[str, str] = {}
    cases = {
        "euler-d10-j0": dict(method="euler", delay_ms=10.0, jitter_ms=0.0),
        "euler-d5-j2": dict(method="euler", delay_ms=5.0, jitter_ms=2.0),
        "expeuler-d10-j1": dict(method="exponential_euler", delay_ms=10.0, jitter_ms=1.0),
        "expeuler-d0-j0": dict(method="exponential_euler", delay_ms=0.0, jitter_ms=0.0),
        "euler-d10-r3": dict(method="euler", delay_ms=10.0, jitter_ms=0.0, delay_recurrent_ms=3.0),
        "expeuler-d5-r2-j1": dict(method="exponential_euler", delay_ms=5.0, jitter_ms=1.0, delay_recurrent_ms=2.0),
        "latency-d10": dict(method="euler", delay_ms=10.0, encoding="latency", latency_background_hz=4.0),
    }
    eager_cases = ("euler-d5-j2", "expeuler-d10-j1", "expeuler-d5-r2-j1", "latency-d10")
    if quick:
        cases = {k: v for k, v in cases.items() if k in ("euler-d5-j2", "expeuler-d10-j1")}
    for name, kw in cases.items():
        if name == "euler-d10-r3":  # two replicas trained in one batch (the kernel's replica index)
            nets = SpikingNetwork.fit_replicas(SNNConfig(n_neurons=n_neurons, **kw), [3, 4], x, y)
            out[f"{name}/train/replica1/w"] = md5(nets[1]._state.w, nets[1]._state.theta)
            net = nets[0]
        else:
            net = SpikingNetwork(SNNConfig(n_neurons=n_neurons, **kw), seed=3).fit(x, y)
        out[f"{name}/train/w"] = md5(net._state.w)
        out[f"{name}/train/theta"] = md5(net._state.theta)
        out[f"{name}/train/lastpre"] = md5(net._state.lastpre, net._state.lastpost, net._state.clock)
        out[f"{name}/train/history"] = hashlib.md5(json.dumps(net.history_).encode()).hexdigest()
        # explicit input events (the bucketing path): about 40 * intensity spikes per input, on
        # distinct steps of the first 300 ms
        rng = np.random.default_rng(7)
        ev = [
            (s, i, 0.5 * rng.choice(600, rng.poisson(40 * xt[s, i]), replace=False))
            for s in range(len(xt))
            for i in range(xt.shape[1])
        ]
        given = (
            np.concatenate([np.full(len(t), s) for s, _, t in ev]),
            np.concatenate([np.full(len(t), i) for _, i, t in ev]),
            np.concatenate([t for *_, t in ev]),
        )
        clean = net.record(xt[:8], bin_ms=10)
        ivs = {
            "clean": [],
            "ablate": [Ablate("exc", [0, 3, 5]), Ablate("inh", [1])],
            "clamp": [Clamp("exc", [2, 7], 6.0), Clamp("inh", [4], 3.0)],
            "steer": [Steer("exc", np.linspace(-1, 1, n_neurons), 2.0), Steer("inh", np.ones(n_neurons), 0.5)],
            "patch": [Patch("exc", [1, 2, 9], clean, 3), Patch("inh", [0], clean, 5)],
            "retime": [Retime("exc", [0, 4, 8])],
        }
        for engine in engines:
            for dtype in ("float32", "float64"):
                if engine == "eager" and (quick or name not in eager_cases):
                    continue
                run = net.using(engine=engine, dtype=dtype, batch_size=20)
                for iv_name, iv in ivs.items():
                    rec = run.record(xt, sites=["exc", "inh"], interventions=iv, bin_ms=5)
                    key = f"{name}/{engine}-{dtype}/{iv_name}"
                    out[key + "/counts"] = md5(rec.activity["exc"], rec.activity["inh"])
                    ev = [rec.spikes[s] for s in ("exc", "inh")]
                    out[key + "/events"] = md5(*[a for e in ev for a in (e.sample, e.unit, e.time_ms)])
                    out[key + "/outputs"] = md5(rec.outputs)
                rec = run.record(xt, sites=["exc", "inh"], input_spikes=given, bin_ms=5)
                key = f"{name}/{engine}-{dtype}/input-events"
                ev = [rec.spikes[s] for s in ("exc", "inh")]
                out[key + "/events"] = md5(rec.activity["exc"], *[a for e in ev for a in (e.sample, e.unit, e.time_ms)])
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="write the fingerprints to this JSON file")
    ap.add_argument("--compare", help="compare with the fingerprints in this JSON file")
    ap.add_argument("--quick", action="store_true", help="two networks, numba engine only")
    ap.add_argument("--numba-only", action="store_true", help="every network, numba engine only")
    args = ap.parse_args(argv)
    engines = ("numba",) if args.numba_only else ("numba", "eager")
    fp = fingerprints(n_train=30 if args.quick else 60, quick=args.quick, engines=engines)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(fp, f, indent=1, sort_keys=True)
    if args.compare:
        with open(args.compare) as f:
            ref = json.load(f)
        diff = sorted(k for k in fp if ref.get(k) != fp.get(k))
        for k in diff:
            print(f"DIFFERENT {k}: {ref.get(k)} -> {fp.get(k)}")
        print(f"{len(fp) - len(diff)} of {len(fp)} fingerprints identical ({len(set(ref) - set(fp))} not computed)")
        return 1 if diff else 0
    for k, v in sorted(fp.items()):
        print(k, v)
    return 0


if __name__ == "__main__":
    sys.exit(main())
