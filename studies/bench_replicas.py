"""Runs per hour of a small study with and without replica training (``fit_replicas``).

Each Dask worker runs one thread, so on a machine whose workers are all busy, runs per hour
= workers x 3600 / (CPU seconds per run). This script measures CPU seconds per run
(``time.process_time``, robust to other load on the machine) for the same runs executed one
per task and as one replica group per config, and checks that both give the same scores.

    PYTHONPATH=. python studies/bench_replicas.py [--neurons 100] [--seeds 4]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

STUDY = """
[study]
name = "bench-replicas"
seeds = {seeds}
measures = ["selectivity"]
split_seed = 0
[base]
"snn.n_neurons" = {neurons}
"probes.max_samples" = 200
[[arms]]
network = "snn"
"""


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--neurons", type=int, default=100)
    ap.add_argument("--seeds", type=int, default=4)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    from comparisons.study import _one_thread, _run_group, _run_task, load_study

    _one_thread()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "s.toml"
        path.write_text(STUDY.format(seeds=list(range(args.seeds)), neurons=args.neurons))
        runs = list(load_study(path).runs)
    _run_task(runs[0])  # warm up: imports, numba cache, data
    timings = {}
    for mode in ("one run per task", "replicas"):
        cpu, wall = time.process_time(), time.perf_counter()
        results = _run_group(runs) if mode == "replicas" else [_run_task(r) for r in runs]
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert all(r[1] == "done" for r in results), results
        timings[mode] = {
            "cpu_s_per_run": cpu / len(runs),
            "wall_s_per_run": wall / len(runs),
            "runs_per_hour": args.workers * 3600 * len(runs) / cpu,
            "scores": [r[2]["snn"] for r in results],
        }
    same = all(
        abs(a[k] - b[k]) < 1e-9
        for a, b in zip(timings["replicas"]["scores"], timings["one run per task"]["scores"])
        for k in a
    )
    out = {mode: {k: round(v, 3) for k, v in t.items() if k != "scores"} for mode, t in timings.items()}
    out["speed-up (runs per hour)"] = round(
        timings["replicas"]["runs_per_hour"] / timings["one run per task"]["runs_per_hour"], 2
    )
    out["same scores"] = same
    out["setup"] = {"neurons": args.neurons, "seeds": args.seeds, "task": "digits", "workers": args.workers}
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
