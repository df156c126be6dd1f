"""Interrupted studies: kill -9 and Ctrl-C lose no finished run and redo none (a file of its own
so that pytest-xdist runs these process-level tests beside the rest of tests/test_study.py)."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import warnings

import pytest
from test_study import DELAYS, STUDY, cheap, scrutable, write


@pytest.mark.slow
def test_kill_9_then_resume_loses_nothing_and_redoes_nothing(tmp_path):
    path = write(
        tmp_path, "[0]", cheap(STUDY)
    )  # 8 runs: killed after 3 on two workers (0.2 s polls, runs take seconds)
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
    assert 3 <= len(done_before) < 8, "the study finished before it could be killed: make runs slower"
    r = scrutable("study", "run", str(path), "--store", str(store), "--workers", "2", "--quiet")
    assert r.returncode == 0, r.stderr
    assert f"skipped {len(done_before)}" in r.stdout or "skipped" in r.stdout
    with sqlite3.connect(store) as db:
        rows = list(db.execute("SELECT run_id, status, started, attempts FROM runs"))
    assert len(rows) == 8 and len({r[0] for r in rows}) == 8
    assert all(r[1] == "done" for r in rows)
    after = {r[0]: (r[2], r[3]) for r in rows}
    for run_id, started in done_before.items():
        assert after[run_id] == (started, 1)  # not recomputed


def _done(store) -> int:
    try:
        with sqlite3.connect(store) as db:
            return db.execute("SELECT COUNT(*) FROM runs WHERE status='done'").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def _interrupt_mid_study(cmd, store, total: int, env):
    """Start ``cmd``, Ctrl-C it once the store holds at least one finished run but not all
    ``total``, and return ``(returncode, stderr, what)``, ``what`` saying what each attempt did (for
    assertion messages). Should the last run commit between the check and the signal, the study
    may end normally with every run stored: that attempt interrupted nothing, so it starts again
    on a fresh store. A Ctrl-C ignored mid-study (as when the study inherited SIGINT ignored, the
    CI failure) fails every attempt, or leaves the study running: it is then killed and reported."""
    tries, seen = 3, []
    for attempt in range(1, tries + 1):
        if store.exists():
            store.unlink()
        proc = subprocess.Popen(
            cmd, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
        )
        deadline, n = time.time() + 600, 0
        while time.time() < deadline and proc.poll() is None and n < 1:
            n = _done(store) if store.exists() else 0
            time.sleep(0.2)
        if 1 <= n < total and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGINT)  # what a terminal's Ctrl-C does: the whole process group
            what = f"Ctrl-C at {n} of {total} done"
            try:
                _, err = proc.communicate(timeout=300)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                _, err = proc.communicate(timeout=60)
                seen.append(f"attempt {attempt}: {what}; still running 300 s later ({_done(store)} done): killed")
                return proc.returncode, err, "\n".join(seen) + f"; stderr:\n{err}"
        elif proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            _, err = proc.communicate(timeout=60)
            what = f"killed after 600 s at {n} of {total} done"
        else:
            _, err = proc.communicate(timeout=60)
            what = f"ended by itself at {n} of {total} done"
        seen.append(f"attempt {attempt}: {what}; exit {proc.returncode}, {_done(store)} done at exit; stderr:\n{err}")
        if what.startswith("Ctrl-C") and not (proc.returncode == 0 and _done(store) == total):
            return proc.returncode, err, "\n".join(seen)
    raise AssertionError(f"no attempt interrupted the study ({tries} tries):\n" + "\n".join(seen))


@pytest.mark.slow
def test_ctrl_c_prints_one_line_with_the_count_and_rerun_resumes(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(cheap(DELAYS))  # 2 seeds x (2 delays of snn, dense once): 6 runs
    store = tmp_path / "c.sqlite"
    # one worker: the client's handling of Ctrl-C is the same, and one local worker starts instead of two
    study = ["study", "run", str(path), "--store", str(store), "--workers", "1", "--quiet"]
    cmd = [sys.executable, "-m", "comparisons.cli", *study]
    # the tiny networks are silent on purpose (fast): their FiringWarnings are not what is tested here
    env = dict(os.environ, PYTHONWARNINGS="ignore::UserWarning")
    returncode, err, what = _interrupt_mid_study(cmd, store, 6, env)
    assert returncode == 130, what
    lines = err.strip().splitlines()
    assert len(lines) == 1, what
    import re

    m = re.fullmatch(
        r"interrupted: (\d+) run\(s\) saved by this session, (\d+) of 6 done in .*; rerun the same command to resume",
        lines[0],
    )
    assert m, what
    with sqlite3.connect(store) as db:
        saved = dict(db.execute("SELECT run_id, started FROM runs WHERE status='done'"))
    assert int(m.group(1)) == int(m.group(2)) == len(saved) >= 1, what
    r = scrutable(*cmd[3:])
    assert r.returncode == 0, r.stderr
    assert f"skipped {len(saved)} already in the store; ran {6 - len(saved)}" in r.stdout
    with sqlite3.connect(store) as db:
        rows = list(db.execute("SELECT run_id, status, started, attempts FROM runs"))
    assert len(rows) == 6 and all(r[1] == "done" and r[3] == 1 for r in rows)
    assert all(dict((r[0], r[2]) for r in rows)[k] == v for k, v in saved.items())  # not recomputed


def _one_delay_study(tmp_path):
    """The DELAYS study at one delay (2 seeds x 2 networks, tiny), loaded, with a fresh store."""
    from comparisons.study import Store, load_study

    path = tmp_path / "c.toml"
    path.write_text(cheap(DELAYS).replace('"snn.delay_ms" = [0.0, 10.0]', '"snn.delay_ms" = [0.0]'))
    return load_study(path), Store(tmp_path / "c.sqlite")


@pytest.mark.slow
def test_ctrl_c_right_after_a_commit_counts_that_run_as_saved(tmp_path, monkeypatch):
    """The interrupt can land between a run's commit and the loop's bookkeeping (seen in CI):
    the message counts what the store holds, not what the loop got to count."""
    from comparisons.study import Store, StudyInterrupted, run_study

    study, store = _one_delay_study(tmp_path)
    put = Store.put

    def put_then_ctrl_c(self, *args, **kwargs):
        put(self, *args, **kwargs)
        raise KeyboardInterrupt  # as if Ctrl-C arrived on the next bytecode

    monkeypatch.setattr(Store, "put", put_then_ctrl_c)
    with pytest.raises(StudyInterrupted) as info, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tiny silent networks' FiringWarnings
        run_study(study, store, workers=1, progress=False, replicas=False)
    total = len(study.runs)
    assert store.n_done() == 1 and total > 1
    assert str(info.value).startswith(f"interrupted: 1 run(s) saved by this session, 1 of {total} done")


@pytest.mark.slow
def test_ctrl_c_stops_a_study_that_inherited_sigint_ignored(tmp_path, monkeypatch):
    """A command started as a background job of a non-interactive shell (`cmd &` in a script, as a
    CI runner may start `make test`) inherits SIGINT ignored, and Python keeps it ignored: the study
    then ran to its end through the Ctrl-C (the CI failure of the test above, 3 attempts of 3)."""
    from comparisons.study import Store, StudyInterrupted, run_study

    study, store = _one_delay_study(tmp_path)
    put = Store.put

    def put_then_ctrl_c(self, *args, **kwargs):
        put(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)  # a real signal this time, handled wherever the main thread is

    monkeypatch.setattr(Store, "put", put_then_ctrl_c)
    outer = signal.signal(signal.SIGINT, signal.SIG_IGN)  # as inherited from the shell
    try:
        with pytest.raises(StudyInterrupted) as info, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the tiny silent networks' FiringWarnings
            run_study(study, store, workers=1, progress=False, replicas=False)
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN  # the inherited disposition is back
    finally:
        signal.signal(signal.SIGINT, outer)
    total = len(study.runs)
    assert 1 <= store.n_done() < total
    assert str(info.value).startswith(f"interrupted: {store.n_done()} run(s) saved by this session, ")
