"""Studies on a real external Dask deployment and on one store shared by two `study run` processes.

The scheduler and the workers are separate processes (`dask scheduler`, `dask worker`) on
127.0.0.1, as on a cluster; one worker is killed with SIGKILL mid-study."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_study import DELAYS, cheap

pytestmark = pytest.mark.slow
DASK = str(Path(sys.executable).with_name("dask"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(*cmd, log):
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(Path.cwd()), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(cmd, start_new_session=True, stdout=log, stderr=subprocess.STDOUT, env=env)


def listening(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def stop(proc, sig=signal.SIGTERM):
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    proc.wait(timeout=60)


def stored(store: Path) -> list[tuple]:
    if not store.exists():
        return []
    try:
        with sqlite3.connect(store) as db:
            return list(db.execute("SELECT run_id, status, attempts FROM runs"))
    except sqlite3.OperationalError:
        return []


def wait_for(cond, timeout=900, step=0.3):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return True
        time.sleep(step)
    return False


def test_external_scheduler_survives_a_killed_worker_and_stores_each_run_once(tmp_path):
    port = free_port()
    address = f"tcp://127.0.0.1:{port}"
    log = open(tmp_path / "dask.log", "w")
    procs = [start(DASK, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard", log=log)]
    try:
        # the study refuses a scheduler that is not listening (one line, at once): wait until it is
        # (under load `dask scheduler` took longer to start than the study's CLI, which then failed)
        assert wait_for(lambda: listening(port) or procs[0].poll() is not None, timeout=300)
        assert procs[0].poll() is None, (tmp_path / "dask.log").read_text()
        for name in ("w1", "w2"):
            procs.append(start(DASK, "worker", address, "--nthreads", "1", "--name", name, "--no-dashboard", log=log))
        path = tmp_path / "s.toml"
        path.write_text(cheap(DELAYS).replace("seeds = [0, 1]", "seeds = [0, 1, 2]"))  # 6 spiking + 3 dense runs
        store = tmp_path / "s.sqlite"
        study = start(
            sys.executable, "-m", "comparisons.cli", "study", "run", str(path), "--store", str(store),
            "--scheduler", address, "--quiet", log=open(tmp_path / "study.log", "w"),
        )  # fmt: skip
        assert wait_for(lambda: len(stored(store)) >= 1 or study.poll() is not None)
        assert study.poll() is None, (tmp_path / "study.log").read_text()
        stop(procs[1], signal.SIGKILL)  # worker w1 and its nanny, mid-study
        assert wait_for(lambda: study.poll() is not None)
        assert study.returncode == 0, (tmp_path / "study.log").read_text()
        rows = stored(store)
        assert len(rows) == 9 and len({r[0] for r in rows}) == 9
        assert all(status == "done" and attempts == 1 for _, status, attempts in rows)
        assert "skipped 0 already in the store; ran 9 (9 done, 0 failed)" in (tmp_path / "study.log").read_text()
    finally:
        for p in reversed(procs):
            stop(p)


def test_two_study_runs_on_one_store_never_run_a_run_twice(tmp_path):
    path = tmp_path / "s.toml"
    path.write_text(cheap(DELAYS).replace("seeds = [0, 1]", "seeds = [0, 1, 2]"))
    store = tmp_path / "s.sqlite"
    cmd = [sys.executable, "-m", "comparisons.cli", "study", "run", str(path), "--store", str(store), "--workers", "1"]
    procs = [start(*cmd, "--quiet", log=open(tmp_path / f"run{i}.log", "w")) for i in range(2)]
    for p in procs:
        p.wait(timeout=1800)
    logs = [(tmp_path / f"run{i}.log").read_text() for i in range(2)]
    assert [p.returncode for p in procs] == [0, 0], logs
    rows = stored(store)
    assert len(rows) == 9 and all(status == "done" and attempts == 1 for _, status, attempts in rows)
    import re

    ran = [int(re.search(r"ran (\d+) \(", log).group(1)) for log in logs]
    assert sum(ran) == 9, logs  # each run by exactly one of the two processes
    with sqlite3.connect(store) as db:
        assert db.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0  # both released their claims
