"""Studies on a real Dask LocalCluster with a real SQLite store: one row per run, crash safety, bad files."""

import os
import signal
import sqlite3
import subprocess
import sys
import time
import warnings
from pathlib import Path

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
"snn.max_retries" = 0
"dense.hidden" = [10]
"dense.max_epochs" = 3
"probes.max_samples" = 60
[grid]
case = [
    {{ "task.name" = "digits", "task.n_train" = 300, "task.n_test" = 100 }},
    {{ "task.name" = "bars", "task.n_train" = 200, "task.n_test" = 60 }},
]
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


@pytest.mark.slow
def test_one_row_per_run_on_a_local_cluster(tmp_path):
    from comparisons.study import Store, load_study, run_study

    study = load_study(write(tmp_path))
    store = Store(tmp_path / "s.sqlite")
    counts = run_study(study, store, workers=2, progress=False)
    assert counts == {"total": 8, "skipped": 0, "busy": 0, "done": 8, "failed": 0}
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
    # 4 runs on bars; each spiking run is also read over the long window (its own row)
    assert r.returncode == 0 and r.stdout.count("done") == 6 and r.stdout.count("snn-long") == 2, r.stdout
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


@pytest.mark.slow
def test_failed_run_is_stored_and_does_not_stop_the_study(tmp_path):
    from comparisons.study import Store, load_study, run_study

    digits = '{{ "task.name" = "digits", "task.n_train" = 300, "task.n_test" = 100 }},'
    assert digits in STUDY
    text = STUDY.replace(digits, '{{ "task.name" = "mnist", "task.data_dir" = "/nonexistent" }},')
    study = load_study(write(tmp_path, text=text))
    store = Store(tmp_path / "f.sqlite")
    counts = run_study(study, store, workers=2, progress=False)
    assert counts["failed"] == 4 and counts["done"] == 4
    failed = [r for r in store.rows() if r["status"] == "failed"]
    assert all("data_dir" in r["error"] for r in failed)
    assert run_study(study, store, workers=1, progress=False)["skipped"] == 8
    again = run_study(study, store, workers=1, progress=False, retry_failed=True)
    assert again["failed"] == 4 and all(r["attempts"] == 2 for r in store.rows() if r["status"] == "failed")


@pytest.mark.slow
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


@pytest.mark.slow
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
            lambda t: t.replace("seeds = {seeds}", "seed = [0]"),
            "study.seed is unknown \\(did you mean 'seeds'\\?\\): valid keys are name, seeds, measures",
        ),
        (lambda t: t.replace("seeds = {seeds}", "seed = 3"), "study.seed is unknown \\(did you mean 'seeds'\\?\\)"),
        (
            lambda t: t.replace('measures = ["decoding", "selectivity"]', 'measures = ["decodng"]'),
            "^error: study.measures: 'decodng' is unknown \\(did you mean 'decoding'\\?\\): choose from decoding",
        ),
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


@pytest.mark.slow
def test_unreachable_scheduler_exits_2_and_leaves_no_store(tmp_path):
    r = scrutable(
        "study", "run", str(write(tmp_path)), "--store", str(tmp_path / "s.sqlite"), "--scheduler", "tcp://127.0.0.1:9"
    )
    assert r.returncode == 2
    assert r.stderr.startswith("error: --scheduler tcp://127.0.0.1:9 is unreachable") and r.stderr.count("\n") == 1
    assert not (tmp_path / "s.sqlite").exists()


# --- issue 17: a network is run once per seed, intervals count seeds; errors name what the user typed ---------
DELAYS = """
[study]
name = "delays"
seeds = [0, 1]
measures = ["decoding"]
[base]
"snn.n_neurons" = 10
"snn.presentation_ms" = 60.0
"snn.rest_ms" = 20.0
"snn.max_retries" = 0
"dense.hidden" = [10]
"dense.max_epochs" = 3
"probes.max_samples" = 60
"task.test_fraction" = 0.8
"task.n_test" = 120
[grid]
"snn.delay_ms" = [0.0, 10.0]
"""


@pytest.fixture(scope="module")
def delays_store(tmp_path_factory):
    """The issue's example, run once: no [[arms]], 2 delays x 2 seeds (both networks per grid point)."""
    from comparisons.study import Store, load_study, run_study

    tmp = tmp_path_factory.mktemp("delays")
    (tmp / "delays.toml").write_text(DELAYS)
    study = load_study(tmp / "delays.toml")
    store = Store(tmp / "delays.sqlite")
    counts = run_study(study, store, workers=2, progress=False)
    store.close()
    return study, tmp / "delays.sqlite", counts


def test_a_network_that_ignores_a_grid_key_runs_once_per_seed(delays_store):
    from comparisons.study import Store, series

    study, path, counts = delays_store
    assert sorted(r.network for r in study.runs) == ["dense"] * 2 + ["snn"] * 4
    assert counts == {"total": 6, "skipped": 0, "busy": 0, "done": 6, "failed": 0}
    store = Store(path, create=False)
    rows = store.rows()
    dense = [r for r in rows if r["network"] == "dense"]
    assert len(dense) == 2 and sorted(r["seed"] for r in dense) == [0, 1]  # trained twice, not four times
    assert all(r["attempts"] == 1 and r["params"] == {} and "snn" not in r["config"] for r in dense)
    data = series(rows, "snn.delay_ms", "accuracy")
    assert {k: {x: len(v) for x, v in d.items()} for k, d in data.items()} == {
        ("digits", "dense-sgd"): {None: 2},
        ("digits", "snn"): {0.0: 2, 10.0: 2},
        ("digits", "snn-long"): {0.0: 2, 10.0: 2},  # each spiking run's format control, same runs
    }
    store.close()


def test_show_where_is_typed_and_names_misspelt_keys_and_scores(delays_store, capsys):
    from comparisons.cli import main

    _, path, _ = delays_store
    assert main(["study", "show", str(path), "--where", "snn.delay_ms=10", "--scores", "accuracy"]) == 0
    out = capsys.readouterr().out
    # 2 seeds x (snn, snn-long: the same run read over 10 windows)
    assert out.count(" done ") == 4 and out.count(" snn-long ") == 2
    assert '{"snn.delay_ms": 10.0}' in out and "dense" not in out
    assert main(["study", "show", str(path), "--where", "snn.dealy_ms=10"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --where: 'snn.dealy_ms' is not a key (did you mean 'snn.delay_ms'?)")
    assert "\n" not in err
    assert main(["study", "show", str(path), "--scores", "accuracy,decoding.selectvity"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: --scores: 'decoding.selectvity' is unknown (did you mean 'decoding.selectivity'?)")
    # the valid scores, competition.* (the chosen test-time competition) among them
    assert "choose from accuracy, competition." in err and ", decoding.accuracy" in err and "\n" not in err
    assert main(["study", "plot", str(path), "--x", "snn.delay_ms", "--y", "decodng.selectivity"]) == 2
    assert "--y: 'decodng.selectivity' is unknown (did you mean 'decoding.selectivity'?)" in capsys.readouterr().err


def test_study_report_of_few_measurements_has_no_empty_panel_and_no_warning(delays_store, tmp_path):
    import re
    import warnings

    import matplotlib.pyplot  # noqa: F401 - imported before warnings become errors

    from comparisons.cli import main
    from comparisons.study import Store
    from comparisons.study_plots import colour, plot

    _, path, _ = delays_store
    out = tmp_path / "report.html"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert main(["study", "report", str(path), "--out", str(out)]) == 0
    page = out.read_text()
    assert "<h1>study delays</h1>" in page and "<title>study delays</title>" in page
    assert "not available" not in page
    sections = re.findall(r"<h2>([^<]+)</h2>", page)  # accuracy and decoding's headline only: the scores measured
    assert sections == ["Contrasts", "Every headline score by condition", "accuracy", "decoding.selectivity"]
    assert set(re.findall(r"<td>(\d+)</td></tr>", page)) == {"2"}  # every interval counts 2 seeds
    store = Store(path, create=False)
    fig = plot(store.rows(), "snn.delay_ms", "accuracy")
    ax = fig.axes[0]
    colours = {line.get_label(): line.get_color() for line in ax.lines if not line.get_label().startswith("_")}
    colours.update({c.get_label(): c.lines[0].get_color() for c in ax.containers})  # error bars
    assert colours["snn"] == colour("snn") and colours["dense-sgd (no snn.delay_ms)"] == colour("dense-sgd")
    assert colour("snn") != colour("dense-sgd")
    assert all(not a.get_legend() for a in fig.axes) and fig.legends  # one legend, outside the axes
    legend_box = fig.legends[0].get_window_extent(fig.canvas.get_renderer())
    assert legend_box.x0 >= ax.get_window_extent(fig.canvas.get_renderer()).x1
    store.close()


def test_error_bars_stop_at_the_score_range():
    from comparisons.study_plots import clipped_interval

    m, lo, hi = clipped_interval([1.0, 1.0, 0.9], "accuracy")
    assert m + hi == 1.0 and m - lo > 0.5  # the t interval (+/- 0.14) would pass 1
    m, lo, hi = clipped_interval([0.0, 0.02, 0.1], "selectivity.share_dead")
    assert m - lo == 0.0
    m, lo, hi = clipped_interval([3.0, 50.0, 90.0], "time_to_read.window_ms")
    assert m - lo == 0.0 and hi > 50  # unbounded above


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


def test_ctrl_c_prints_one_line_with_the_count_and_rerun_resumes(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(DELAYS.replace("seeds = [0, 1]", "seeds = [0, 1, 2]"))
    store = tmp_path / "c.sqlite"
    cmd = [sys.executable, "-m", "comparisons.cli", "study", "run", str(path), "--store", str(store), "--quiet"]
    # the tiny networks are silent on purpose (fast): their FiringWarnings are not what is tested here
    env = dict(os.environ, PYTHONWARNINGS="ignore::UserWarning")
    returncode, err, what = _interrupt_mid_study(cmd, store, 9, env)
    assert returncode == 130, what
    lines = err.strip().splitlines()
    assert len(lines) == 1, what
    import re

    m = re.fullmatch(
        r"interrupted: (\d+) run\(s\) saved by this session, (\d+) of 9 done in .*; rerun the same command to resume",
        lines[0],
    )
    assert m, what
    with sqlite3.connect(store) as db:
        saved = dict(db.execute("SELECT run_id, started FROM runs WHERE status='done'"))
    assert int(m.group(1)) == int(m.group(2)) == len(saved) >= 1, what
    r = scrutable(*cmd[3:])
    assert r.returncode == 0, r.stderr
    assert f"skipped {len(saved)} already in the store; ran {9 - len(saved)}" in r.stdout
    with sqlite3.connect(store) as db:
        rows = list(db.execute("SELECT run_id, status, started, attempts FROM runs"))
    assert len(rows) == 9 and all(r[1] == "done" and r[3] == 1 for r in rows)
    assert all(dict((r[0], r[2]) for r in rows)[k] == v for k, v in saved.items())  # not recomputed


def _one_delay_study(tmp_path):
    """The DELAYS study at one delay (2 seeds x 2 networks, tiny), loaded, with a fresh store."""
    from comparisons.study import Store, load_study

    path = tmp_path / "c.toml"
    path.write_text(DELAYS.replace('"snn.delay_ms" = [0.0, 10.0]', '"snn.delay_ms" = [0.0]'))
    return load_study(path), Store(tmp_path / "c.sqlite")


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


@pytest.mark.parametrize("path", sorted(Path(__file__).parent.parent.glob("studies/*.toml")), ids=lambda p: p.name)
def test_every_shipped_study_loads_and_each_contrast_side_has_runs(path):
    """A contrast whose side matches no run of its own study would only show up, as an empty table,
    after hours of runs. The format controls (``snn-long``, ``dense-*-spikes``) come from the run of
    their base network."""
    from comparisons.study import load_study, matches, observations, stored_config

    study = load_study(path)
    rows = [
        {
            "run_id": r.run_id,
            "study": study.name,
            "network": r.network,
            "label": r.label,
            "params": r.params,
            "seed": r.seed,
            "config": stored_config(r),
            "status": "done",
            "result": {r.label: {}},
        }
        for r in study.runs
    ]
    obs = observations(rows)
    for c in study.contrasts:
        for side in ("a", "b"):
            where = dict(c[side])
            label = where.get("label", "")
            base = label.removesuffix("-long").removesuffix("-spikes")
            where = {**where, "label": base} if "label" in where else where
            found = [o for o in obs if matches(o, where)]
            if label.endswith("-long"):  # the control is built only where its run sets a long window
                found = [o for o in found if o["keys"].get("probes.long_window", 0) > 0]
            if label.endswith("-spikes"):  # ... and a spike budget
                found = [o for o in found if o["keys"].get("probes.spike_budget")]
            assert found, f"{path.name}: contrast {c['name']!r} side {side} matches no run"
