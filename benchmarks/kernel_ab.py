"""A/B timing of two versions of the simulation kernel in one process, alternating, for a loaded
machine: the reference is a kernel module loaded from a file (e.g. main's, written out with
``git show main:snn/kernel.py > /tmp/main_kernel.py``), the candidate is ``snn.kernel.simulate``.

Both run behind the same engine (the engine looks ``simulate`` up in :mod:`snn.kernel` at each
call), and only the time inside ``simulate`` is counted::

    python benchmarks/kernel_ab.py --reference /tmp/main_kernel.py --rounds 10

Recording: a network of ``--neurons`` trained on 50 digits records 256 test digits in float32
(frozen weights); training: ``--train`` digits, plastic, float64. Each round runs both versions
(in alternating order, ``--repeat`` calls each, the fastest counting) and prints candidate /
reference; the summary is the median, the quartiles and the range of these ratios.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import time


def load_reference(path: str):
    spec = importlib.util.spec_from_file_location("kernel_reference", path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules["kernel_reference"] = mod
    spec.loader.exec_module(mod)
    return mod.simulate


PLASTIC = 32  # position of ``plastic`` in simulate's arguments


class Timed:
    """A stand-in for ``snn.kernel.simulate`` that adds the time of each call with ``plastic`` as
    given to ``seconds`` (training also records: its readout and calibration are not counted)."""

    def __init__(self, fn, plastic: bool):
        self.fn = fn
        self.plastic = plastic
        self.seconds = 0.0

    def __call__(self, *args):
        t = time.perf_counter()
        self.fn(*args)
        if bool(args[PLASTIC]) == self.plastic:
            self.seconds += time.perf_counter() - t


def run(kernel, fn, job, plastic: bool) -> float:
    kernel.simulate = timed = Timed(fn, plastic)
    job()
    return timed.seconds


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reference", required=True, help="a kernel module file with a simulate of the same signature")
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--neurons", type=int, default=400)
    ap.add_argument("--train", type=int, default=50)
    ap.add_argument("--repeat", type=int, default=1, help="calls per version and round (the fastest counts)")
    args = ap.parse_args(argv)

    import snn.kernel as kernel
    from comparisons.tasks import load_task
    from snn import SNNConfig, SpikingNetwork

    versions = {"reference": load_reference(args.reference), "candidate": kernel.simulate}
    task = load_task("digits", seed=0)
    x, y = task.x_train[: args.train], task.y_train[: args.train]
    xt = task.x_test[:256]
    cfg = SNNConfig(n_neurons=args.neurons)
    net = SpikingNetwork(cfg, seed=0).fit(x, y)  # (compiles both kinds of call once)
    rec = net.using(dtype="float32", batch_size=256)
    jobs = {
        "record": lambda: rec.record(xt, bin_ms=10),
        "train": lambda: SpikingNetwork(cfg, seed=1).fit(x, y),
    }
    for fn in versions.values():  # warm-up: compile or load each version's specialisations
        for job_name, job in jobs.items():
            run(kernel, fn, job, job_name == "train")
    for job_name, job in jobs.items():
        ratios = []
        fastest = {name: float("inf") for name in versions}
        for k in range(args.rounds):
            order = list(versions) if k % 2 == 0 else list(versions)[::-1]
            t = {
                name: min(run(kernel, versions[name], job, job_name == "train") for _ in range(args.repeat))
                for name in order
            }
            ratios.append(t["candidate"] / t["reference"])
            fastest = {name: min(fastest[name], t[name]) for name in versions}
            print(
                f"{job_name} round {k}: reference {t['reference']:.3f} s, candidate {t['candidate']:.3f} s, "
                f"ratio {ratios[-1]:.3f}",
                flush=True,
            )
        q = statistics.quantiles(ratios, n=4)
        print(
            f"{job_name}: candidate / reference median {statistics.median(ratios):.3f} "
            f"(quartiles {q[0]:.3f}-{q[2]:.3f}, range {min(ratios):.3f}-{max(ratios):.3f}, {args.rounds} rounds); "
            f"fastest calls {fastest['candidate']:.3f} / {fastest['reference']:.3f} s = "
            f"{fastest['candidate'] / fastest['reference']:.3f}"
        )
    kernel.simulate = versions["candidate"]
    return 0


if __name__ == "__main__":
    sys.exit(main())
