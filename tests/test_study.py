"""Studies on a real Dask LocalCluster with a real SQLite store: one row per run, crash safety, bad files."""

import subprocess
import sys
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


def cheap(text: str, long_window: bool = False) -> str:
    """A study file whose runs measure at the smallest uncertainty (and without the long window
    unless ``long_window``), for tests of the store and the processes (not of the scores)."""
    assert text.count("[base]\n") == 1
    cheap_base = '"probes.redraws" = 1\n"probes.resamples" = 2\n"probes.unit_nulls" = 0\n'
    if not long_window:
        cheap_base += '"probes.long_window" = 0.0\n'
    return text.replace("[base]\n", "[base]\n" + cheap_base)


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
def test_one_row_per_run_on_a_local_cluster(tmp_path, capsys):
    from comparisons.study import Store, load_study, run_study

    study = load_study(write(tmp_path, text=cheap(STUDY, long_window=True)))
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
    from test_bad_inputs import cli  # plot and report in this process: the CLI's own process ran show

    store_path = str(tmp_path / "s.sqlite")
    plot = ["study", "plot", store_path, "--x", "snn.delay_ms", "--y", "decoding.selectivity"]
    assert cli([*plot, "--out", str(tmp_path / "p.png")], capsys)[0] == 0
    assert (tmp_path / "p.png").stat().st_size > 1000
    assert cli(["study", "report", store_path, "--out", str(tmp_path / "r.html")], capsys)[0] == 0
    assert "data:image/png;base64" in (tmp_path / "r.html").read_text()


@pytest.mark.slow
def test_failed_run_is_stored_and_does_not_stop_the_study(tmp_path):
    from comparisons.study import Store, load_study, run_study

    digits = '{{ "task.name" = "digits", "task.n_train" = 300, "task.n_test" = 100 }},'
    assert digits in STUDY
    text = cheap(STUDY).replace(digits, '{{ "task.name" = "mnist", "task.data_dir" = "/nonexistent" }},')
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
def test_local_workers_are_forked_preloaded_ignore_ctrl_c_and_see_the_current_environment(monkeypatch):
    """The local workers fork from a server that has imported what a run needs (no interpreter
    start and imports per worker), keep SIGINT ignored (the client alone handles Ctrl-C) and see
    the environment of the moment they are started, not that of the server's start."""
    import os
    import signal

    from comparisons.study import WORKER_IMPORTS, _quiet_shutdown, connect

    def probe():  # before any run: a spawned worker would have imported none of these
        import sys

        return [m for m in WORKER_IMPORTS if m in sys.modules], signal.getsignal(signal.SIGINT)

    for value in ("first", "second"):  # the second cluster reuses the fork server started by the first
        monkeypatch.setenv("SCRUTABLE_TEST_MARK", value)
        client, cluster = connect(None, 1)
        try:
            (loaded, sigint), mark = [
                next(iter(client.run(f).values())) for f in (probe, lambda: os.environ.get("SCRUTABLE_TEST_MARK"))
            ]
        finally:
            _quiet_shutdown(client, cluster)
        assert loaded == list(WORKER_IMPORTS) and sigint == signal.SIG_IGN
        assert mark == value


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
def test_bad_study_file_exits_2_and_leaves_no_store(tmp_path, capsys, mutate, match):
    """In-process, as the bad-input catalogue (tests/test_bad_inputs.py, which also has the
    unreachable scheduler); the CLI's own process runs `study show` in test_one_row_per_run_on_a_local_cluster."""
    import re

    from test_bad_inputs import cli

    path = tmp_path / "bad.toml"
    path.write_text(mutate(STUDY).format(seeds="[0]"))
    code, err = cli(["study", "run", str(path), "--store", str(tmp_path / "s.sqlite")], capsys)
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1 and re.search(match, lines[0]) and "Traceback" not in err, err
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


@pytest.mark.slow
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


@pytest.mark.slow
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


@pytest.mark.slow
def test_study_report_of_few_measurements_has_no_empty_panel_and_no_warning(delays_store, tmp_path):
    import re

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
