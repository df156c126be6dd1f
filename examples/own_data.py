"""Train and probe both networks on your own data.

    python examples/own_data.py                      # scikit-learn's digits, as any user array
    python examples/own_data.py --data mine.npz      # arrays x_train, y_train, x_test, y_test
    python examples/own_data.py --tiny               # seconds: 150 training samples

Inputs must be ``[n_samples, n_inputs]`` floats in [0, 1]; labels integers ``[n]`` (multiclass)
or a binary matrix ``[n, n_labels]`` (multilabel). ``Task.from_arrays`` checks all of it and
names the array and the fix when something is wrong.
"""

from __future__ import annotations

import argparse

import numpy as np

from comparisons.tasks import Task
from dense import DenseConfig, DenseNetwork
from probes import MEASUREMENTS
from snn import SNNConfig, SpikingNetwork


def load_arrays(path: str | None, n: int | None):
    """Your arrays from an ``.npz`` file, or scikit-learn's digits split 75/25 (scaled to [0, 1])."""
    if path:
        with np.load(path) as f:
            return f["x_train"], f["y_train"], f["x_test"], f["y_test"]
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    x, y = load_digits(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(x / 16.0, y, test_size=0.25, stratify=y, random_state=0)
    if n:
        x_train, y_train, x_test, y_test = x_train[:n], y_train[:n], x_test[: n // 2], y_test[: n // 2]
    return x_train, y_train, x_test, y_test


def main(argv=None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", help="an .npz file with x_train, y_train, x_test, y_test")
    p.add_argument("--tiny", action="store_true", help="a small run for a smoke test")
    args = p.parse_args(argv)

    units, n = 100, (150 if args.tiny else None)  # 100 units: fewer fall silent (retries) on digits
    task = Task.from_arrays(*load_arrays(args.data, n), name="mine")
    print(f"task: {len(task.x_train)} training and {len(task.x_test)} test samples, {task.x_train.shape[1]} inputs")

    snn = SpikingNetwork(SNNConfig(n_neurons=units), seed=0).fit(task.x_train, task.y_train)
    dense = DenseNetwork(DenseConfig(hidden=(units,), learning="hebbian"), seed=0).fit(task.x_train, task.y_train)

    scores = {}
    for name, net in (("snn", snn), ("dense-hebbian", dense)):
        rec = net.record(task.x_test)
        accuracy = float(np.mean(rec.predictions == task.y_test))
        site = next(iter(net.sites()))
        decoding = MEASUREMENTS["decoding"](net, task, recording=rec, seed=0)
        selectivity = MEASUREMENTS["selectivity"](net, task, recording=rec)
        scores[name] = {
            "accuracy": accuracy,
            "decoding.selectivity": decoding.scores["selectivity"],
            "selectivity.share_selective": selectivity.scores["share_selective"],
        }
        print(f"{name:14s} site {site!r}: " + ", ".join(f"{k} {v:.3f}" for k, v in scores[name].items()))
    return scores


if __name__ == "__main__":
    main()
