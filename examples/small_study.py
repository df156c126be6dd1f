"""A small study from Python: delays of the spiking network against the dense network, two seeds.

    python examples/small_study.py --out runs/small-study            # about 10 minutes on 2 cores
    python examples/small_study.py --tiny --out /tmp/small-study     # seconds

The same study as a file is ``scrutable study run STUDY.toml``; this script writes the TOML,
runs it on a local Dask cluster, then reads the store: one row per run (network, grid point,
seed) with every score. Rerunning it skips the runs already in the store.
"""

from __future__ import annotations

import argparse
from pathlib import Path

STUDY = """
[study]
name = "small"
seeds = {seeds}
measures = ["decoding", "selectivity"]
[base]
"snn.n_neurons" = {units}
"dense.hidden" = [{units}]
"probes.max_samples" = {samples}
"dense.max_epochs" = {max_epochs}
"task.n_train" = {n_train}
"task.n_test" = {n_test}
[[arms]]
network = "snn"
grid = {{ "snn.delay_ms" = [0.0, 10.0] }}
[[arms]]
network = "dense"
grid = {{ "dense.learning" = ["sgd"] }}
"""


def main(argv=None) -> list[dict]:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--tiny", action="store_true", help="a small run for a smoke test")
    p.add_argument("--out", default="runs/small-study", help="folder for study.toml and study.sqlite")
    p.add_argument("--workers", type=int, default=2)
    args = p.parse_args(argv)

    from comparisons.study import Store, load_study, run_study, table

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    # tiny: a stratified 300/100 of the digits (0 = all of the split: 1,347/450)
    units, seeds, samples, max_epochs, n_train, n_test = (
        (20, [0], 60, 5, 300, 100) if args.tiny else (100, [0, 1], 300, 200, 0, 0)
    )
    path = out / "study.toml"
    text = STUDY.format(
        seeds=seeds, units=units, samples=samples, max_epochs=max_epochs, n_train=n_train, n_test=n_test
    )
    path.write_text(text)

    study = load_study(path)  # every run's config is built and checked here, before any work
    print(f"{len(study.runs)} runs: " + ", ".join(sorted({r.label for r in study.runs})))
    store = Store(out / "study.sqlite")
    try:
        counts = run_study(study, store, workers=args.workers, progress=False)
        print(counts)
        rows = table(store.rows(), done_only=False)  # one per (run, model): snn-long is its format control
    finally:
        store.close()
    for row in rows:
        shown = ", ".join(f"{k} {v:.3f}" for k, v in row["scores"].items() if isinstance(v, float))
        print(f"{row['label']:12s} {row['params']} seed {row['seed']} {row['status']}: {shown}")
    return rows


if __name__ == "__main__":
    main()
