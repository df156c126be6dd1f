"""Studies on a real Dask LocalCluster with a real SQLite store: one row per run, crash safety, bad files."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

STUDY = """
[study]
name = "tiny"
seeds = {seeds}
measures = ["decoding", "selectivity"]
[base]
"snn.n_neurons" = 10
"snn.presentation_ms" = 60.0
"snn.rest_ms" = 20.0
"dense.hidden" = [10]
"dense.max_epochs" = 3
"probes.max_samples" = 60
[grid]
case = [{{ "task.name" = "digits" }}, {{ "task.name" = "bars", "task.n_train" = 200, "task.n_test" = 60 }}]
[[arms]]
network = "snn"
grid = {{ "snn.delay_ms" = [0.0, 5.0] }}
[[arms]]
network = "dense"
grid = {{ "dense.learning" = ["sgd", "hebbian"] }}
"""


def write(tmp_path, seeds="[0]", text=STUDY):
    path = tmp_path / "study.toml"
    path.write_text(text.format(seeds=seeds))
    return path


def scrutable(*args, **kw):
    return subprocess.run(
        [sys.executable, "-m", "comparisons.cli", *args], capture_output=True, text=True, timeout=900, **kw
    )


def test_expansion_and_run_ids(tmp_path):
    from comparisons.study import load_study

    study = load_study(write(tmp_path, "[0, 1]"))
    # 2 tasks x (2 delays + 2 learning rules) x 2 seeds
    assert len(study.runs) == 16 and len({r.run_id for r in study.runs}) == 16
    bars = [r for r in study.runs if r.config.task.name == "bars"]
    assert all(r.config.task.n_train == 200 for r in bars)
    assert {r.label for r in study.runs} == {"snn", "dense-sgd", "dense-hebbian"}
    # a dense run's id does not depend on snn settings it never reads
    again = load_study(write(tmp_path, "[0, 1]", STUDY.replace('"snn.n_neurons" = 10', '"snn.n_neurons" = 11')))
    dense_ids = lambda s: {r.run_id for r in s.runs if r.network == "dense"}  # noqa: E731
    assert dense_ids(study) == dense_ids(again)


def test_one_row_per_run_on_a_local_cluster(tmp_path):
    from comparisons.study import Store, load_study, run_study

    study = load_study(write(tmp_path))
    store = Store(tmp_path / "s.sqlite")
    counts = run_study(study, store, workers=2, progress=False)
    assert counts == {"total": 8, "skipped": 0, "done": 8, "failed": 0}
    rows = store.rows()
    assert sorted(r["run_id"] for r in rows) == sorted(r.run_id for r in study.runs)
    assert all(r["status"] == "done" and r["attempts"] == 1 for r in rows)
    snn_row = next(r for r in rows if r["network"] == "snn")
    assert {"accuracy", "decoding.selectivity", "selectivity.share_dead"} <= set(snn_row["result"]["snn"])
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    # resume: nothing left to do
    assert run_study(study, store, workers=2, progress=False)["skipped"] == 8
    # plot and show read the store
    r = scrutable("study", "show", str(tmp_path / "s.sqlite"), "--where", "task.name=bars")
    assert r.returncode == 0 and r.stdout.count("done") == 4
    r = scrutable(
        "study",
        "plot",
        str(tmp_path / "s.sqlite"),
        "--x",
        "snn.delay_ms",
        "--y",
        "decoding.selectivity",
        "--out",
        str(tmp_path / "p.png"),
    )
    assert r.returncode == 0 and (tmp_path / "p.png").stat().st_size > 1000
    r = scrutable("study", "report", str(tmp_path / "s.sqlite"), "--out", str(tmp_path / "r.html"))
    assert r.returncode == 0 and "data:image/png;base64" in (tmp_path / "r.html").read_text()


def test_failed_run_is_stored_and_does_not_stop_the_study(tmp_path):
    from comparisons.study import Store, load_study, run_study

    failing = 'case = [{{ "task.name" = "mnist", "task.data_dir" = "/nonexistent" }}, '
    text = STUDY.replace('case = [{{ "task.name" = "digits" }}, ', failing)
    study = load_study(write(tmp_path, text=text))
    store = Store(tmp_path / "f.sqlite")
    counts = run_study(study, store, workers=2, progress=False)
    assert counts["failed"] == 4 and counts["done"] == 4
    failed = [r for r in store.rows() if r["status"] == "failed"]
    assert all("data_dir" in r["error"] for r in failed)
    assert run_study(study, store, workers=1, progress=False)["skipped"] == 8
    again = run_study(study, store, workers=1, progress=False, retry_failed=True)
    assert again["failed"] == 4 and all(r["attempts"] == 2 for r in store.rows() if r["status"] == "failed")


def test_kill_9_then_resume_loses_nothing_and_redoes_nothing(tmp_path):
    path = write(tmp_path, "[0, 1, 2]")
    store = tmp_path / "k.sqlite"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "comparisons.cli",
            "study",
            "run",
            str(path),
            "--store",
            str(store),
            "--workers",
            "2",
            "--quiet",
        ],
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 600
    done_before = {}
    while time.time() < deadline:
        if store.exists():
            try:
                with sqlite3.connect(store) as db:
                    done_before = dict(db.execute("SELECT run_id, started FROM runs WHERE status='done'"))
            except sqlite3.OperationalError:
                pass
        if len(done_before) >= 3 or proc.poll() is not None:
            break
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert 3 <= len(done_before) < 24, "the study finished before it could be killed: make runs slower"
    r = scrutable("study", "run", str(path), "--store", str(store), "--workers", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    assert f"skipped {len(done_before)}" in r.stdout or "skipped" in r.stdout
    with sqlite3.connect(store) as db:
        rows = list(db.execute("SELECT run_id, status, started, attempts FROM runs"))
    assert len(rows) == 24 and len({r[0] for r in rows}) == 24
    assert all(r[1] == "done" for r in rows)
    after = {r[0]: (r[2], r[3]) for r in rows}
    for run_id, started in done_before.items():
        assert after[run_id] == (started, 1)  # not recomputed


@pytest.mark.parametrize(
    "mutate, match",
    [
        (
            lambda t: t.replace('"snn.delay_ms" = [0.0, 5.0]', '"snn.dealy_ms" = [0.0, 5.0]'),
            "unknown config key 'snn.dealy_ms' \\(did you mean 'snn.delay_ms'\\?\\)",
        ),
        (lambda t: t.replace('"snn.delay_ms" = [0.0, 5.0]', '"snn.delay_ms" = []'), "must be a non-empty list"),
        (lambda t: t.replace("seeds = {seeds}", "seeds = []"), "study.seeds=\\[\\] must be a non-empty list"),
        (lambda t: t + "\n[oops\n", "not valid TOML"),
        (
            lambda t: t.replace('"snn.delay_ms" = [0.0, 5.0]', '"snn.delay_ms" = [-1.0]'),
            "snn.delay_ms=-1.0 is not allowed",
        ),
    ],
)
def test_bad_study_file_exits_2_and_leaves_no_store(tmp_path, mutate, match):
    import re

    path = tmp_path / "bad.toml"
    path.write_text(mutate(STUDY).format(seeds="[0]"))
    r = scrutable("study", "run", str(path), "--store", str(tmp_path / "s.sqlite"))
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and re.search(match, lines[0]), r.stderr
    assert not (tmp_path / "s.sqlite").exists()


def test_unreachable_scheduler_exits_2_and_leaves_no_store(tmp_path):
    r = scrutable(
        "study", "run", str(write(tmp_path)), "--store", str(tmp_path / "s.sqlite"), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert r.returncode == 2
    assert r.stderr.startswith("error: --scheduler tcp://127.0.0.1:9 is unreachable") and r.stderr.count("\n") == 1
    assert not (tmp_path / "s.sqlite").exists()
