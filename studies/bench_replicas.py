"""Runs per hour of a small study with and without replica training (``fit_replicas``).

The measurement is the bench case ``study`` (:func:`comparisons.bench.case_study`, also run by
``make bench``): CPU seconds per run of the same runs executed one per task and as one replica
group, and whether both give the same scores.

    PYTHONPATH=. python studies/bench_replicas.py [--neurons 100] [--seeds 4] [--workers 2]
"""

from __future__ import annotations

import argparse
import json


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--neurons", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from comparisons.bench import case_study

    print(json.dumps(case_study(n_seeds=args.seeds, n_neurons=args.neurons, workers=args.workers), indent=1))


if __name__ == "__main__":
    main()
