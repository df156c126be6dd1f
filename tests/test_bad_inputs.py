"""A catalogue of bad inputs, through the CLI and the Python API.

Every case: exit code 2 (CLI) or a ScrutableError (API), one line that names the offending
key/array/value and says what to do, and no partial output left behind. The CLI cases run
in-process through ``comparisons.cli.main(argv)`` (one interpreter, no torch/numba/Brian2
start-up per case); ``tests/test_cli_basics.py`` keeps subprocess smoke tests of the same
contract.
"""

import re

import numpy as np
import pytest

from comparisons.cli import main
from probes.support import ScrutableError

GOOD_STUDY = """
[study]
seeds = [0]
[base]
"snn.n_neurons" = 5
[[arms]]
network = "dense"
grid = {{ {grid} }}
"""


def cli(argv, capsys):
    """Run the CLI in-process: (exit code, stderr). argparse's own errors raise SystemExit."""
    capsys.readouterr()  # drop anything printed before
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().err


def files_under(path):
    return sorted(p for p in path.rglob("*") if p.is_file()) if path.exists() else []


# (name, argv builder taking tmp_path, regex the one line must match)
CLI_CASES = [
    ("misspelt key", lambda t: ["compare", "--set", "snn.n_neuron=5"], r"snn\.n_neuron.*did you mean 'snn\.n_neurons'"),
    ("unknown top-level key", lambda t: ["compare", "--set", "sede=1"], r"'sede'.*did you mean 'seed'"),
    ("wrong type", lambda t: ["compare", "--set", "snn.n_neurons=abc"], r"snn\.n_neurons='abc'.*expected an integer"),
    ("float for int", lambda t: ["compare", "--set", "dense.batch_size=2.5"], r"dense\.batch_size=2\.5.*wrong type"),
    ("zero size", lambda t: ["compare", "--set", "snn.n_neurons=0"], r"snn\.n_neurons=0 is not allowed: must be"),
    ("negative size", lambda t: ["compare", "--set", "dense.hidden=[-4]"], r"dense\.hidden\[0\]=-4 is not allowed"),
    ("probability > 1", lambda t: ["compare", "--set", "task.p=1.5"], r"task\.p=1\.5 .*probability in \[0, 1\]"),
    (
        "probability < 0",
        lambda t: ["compare", "--set", "dense.inhibition=-0.1"],
        r"dense\.inhibition=-0\.1 .*probability",
    ),
    ("dt beyond refractory", lambda t: ["compare", "--set", "snn.dt_ms=2.5"], r"snn\.dt_ms=2\.5 .*refractory_inh_ms=2"),
    ("negative tau", lambda t: ["compare", "--set", "snn.tau_ge_ms=-1"], r"snn\.tau_ge_ms=-1\.0 is not allowed"),
    ("rest shorter than delays", lambda t: ["compare", "--set", "snn.rest_ms=5"], r"snn\.rest_ms=5\.0 .*delay_ms=10"),
    (
        "rest shorter than recurrent delays",
        lambda t: ["compare", "--set", "snn.delay_recurrent_ms=200"],
        r"snn\.rest_ms=150\.0 .*delay_recurrent_ms=200",
    ),
    (
        "latency window beyond the presentation",
        lambda t: ["compare", "--set", "snn.encoding=latency", "--set", "snn.latency_window_ms=400"],
        r"snn\.latency_window_ms=400\.0 .*presentation_ms=350",
    ),
    (
        "unknown encoding",
        lambda t: ["compare", "--set", "snn.encoding=rank"],
        r"snn\.encoding='rank' .*'poisson', 'latency'",
    ),
    ("bad choice", lambda t: ["compare", "--set", "snn.backend=nest"], r"snn\.backend='nest' .*'torch', 'brian2'"),
    ("unknown task", lambda t: ["compare", "--task", "imagenet"], r"task\.name='imagenet' .*'digits', 'bars', 'mnist'"),
    ("table set as value", lambda t: ["compare", "--set", "snn=3"], r"'snn' is a table"),
    ("no equals", lambda t: ["compare", "--set", "snn.n_neurons"], r"is not key=value"),
    ("unknown measurement", lambda t: ["compare", "--measure", "decoding,vibes"], r"--measure vibes is unknown"),
    ("malformed TOML", lambda t: ["compare", "--config", str(_write(t, "bad.toml", "[snn\nn = 1"))], r"not valid TOML"),
    ("missing config", lambda t: ["compare", "--config", str(t / "nope.toml")], r"nope\.toml' does not exist"),
    (
        "unknown key in file",
        lambda t: ["compare", "--config", str(_write(t, "k.toml", "[dense]\nhiden = [3]\n"))],
        r"dense\.hiden.*did you mean 'dense\.hidden'",
    ),
    ("mnist missing dir", lambda t: ["compare", "--task", "mnist", "--data-dir", str(t / "no")], r"is not a directory"),
    ("mnist empty dir", lambda t: ["compare", "--task", "mnist", "--data-dir", str(t)], r"MNIST file train-images"),
    (
        "unwritable out",
        lambda t: ["compare", "--out", "/proc/scrutable-out"],
        r"--out '/proc/scrutable-out' is not writable",
    ),
    (
        "study: unknown grid key",
        lambda t: [
            "study",
            "run",
            str(_write(t, "s.toml", GOOD_STUDY.format(grid='"dense.lernng" = ["sgd"]'))),
            "--store",
            str(t / "s.sqlite"),
        ],
        r"dense\.lernng.*did you mean 'dense\.learning'",
    ),
    (
        "study: empty grid",
        lambda t: [
            "study",
            "run",
            str(_write(t, "s.toml", GOOD_STUDY.format(grid='"dense.lr" = []'))),
            "--store",
            str(t / "s.sqlite"),
        ],
        r"dense\.lr' must be a non-empty list",
    ),
    (
        "study: unreachable scheduler",
        lambda t: [
            "study",
            "run",
            str(_write(t, "s.toml", GOOD_STUDY.format(grid='"dense.lr" = [0.1]'))),
            "--store",
            str(t / "s.sqlite"),
            "--scheduler",
            "tcp://127.0.0.1:9",
        ],
        r"--scheduler tcp://127\.0\.0\.1:9 is unreachable",
    ),
    (
        "study: zero workers",
        lambda t: [
            "study",
            "run",
            str(_write(t, "s.toml", GOOD_STUDY.format(grid='"dense.lr" = [0.1]'))),
            "--store",
            str(t / "s.sqlite"),
            "--workers",
            "0",
        ],
        r"--workers=0 must be >= 1",
    ),
    ("study: missing store", lambda t: ["study", "show", str(t / "none.sqlite")], r"none\.sqlite' does not exist"),
    (
        "study: corrupt store",
        lambda t: ["study", "show", str(_write(t, "c.sqlite", "not a database" * 100))],
        r"c\.sqlite' is not a usable SQLite file",
    ),
    (
        "tasks: missing data dir",
        lambda t: ["tasks", "--data-dir", str(t / "nodir")],
        r"data_dir='.*nodir' is not a directory",
    ),
    ("unknown command", lambda t: ["frobnicate"], r"invalid choice: 'frobnicate'"),
]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name, argv, pattern", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_cli_bad_input(tmp_path, monkeypatch, capsys, name, argv, pattern):
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("SCRUTABLE_CACHE", str(work / "cache"))  # a cache entry would show up below
    args = argv(tmp_path)
    if args[0] == "compare" and "--out" not in args:
        args += ["--out", str(work / "out")]
    before = files_under(work)
    code, err = cli(args, capsys)
    assert code == 2, (code, err[-500:])
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and "Traceback" not in err
    assert re.search(pattern, lines[0]), lines[0]
    assert files_under(work) == before  # nothing written: no report, no store, no cache file
    assert not (tmp_path / "s.sqlite").exists()


def _dense(digits):
    from dense import DenseConfig, DenseNetwork

    return DenseNetwork(DenseConfig(hidden=(6,), max_epochs=2), seed=0).fit(digits.x_train[:40], digits.y_train[:40])


def _snn(digits):
    from snn import SNNConfig, SpikingNetwork

    return SpikingNetwork(SNNConfig(n_neurons=6), seed=0).fit(digits.x_train[:5], digits.y_train[:5])


def _pickled_npz(t):
    path = t / "p.npz"
    np.savez(
        path, format=np.array("scrutable.Recording/1"), meta=np.array("{}"), outputs=np.array([object()], dtype=object)
    )
    return path


def _truncated_recording(t):
    from probes.interface import Recording

    path = t / "r.npz"
    Recording({"h": np.ones((3, 1, 2))}, np.zeros((3, 2))).save(path)
    path.write_bytes(path.read_bytes()[:60])
    return path


API_CASES = [
    (
        "NaN input",
        lambda d, t: __import__("comparisons.tasks", fromlist=["Task"]).Task.from_arrays(
            np.full((4, 3), np.nan), [0, 1, 0, 1], np.zeros((2, 3)), [0, 1]
        ),
        r"x_train contains NaN",
    ),
    ("inf input", lambda d, t: _dense(d).record(np.full((2, 64), np.inf)), r"x contains NaN or inf"),
    (
        "negative input",
        lambda d, t: _snn(d).record(-np.ones((2, 64))),
        r"x has values in \[-1, -1\]: scale inputs into \[0, 1\]",
    ),
    ("input above 1", lambda d, t: _dense(d).fit(d.x_train[:5] * 16, d.y_train[:5]), r"x has values in .*scale inputs"),
    ("wrong input width", lambda d, t: _snn(d).record(np.zeros((2, 10))), r"x has 10 inputs .*built for 64"),
    (
        "float labels",
        lambda d, t: _dense(d).fit(d.x_train[:4], [0.5, 1.0, 0.0, 2.0]),
        r"y has dtype float64: multiclass labels must be integers",
    ),
    ("non-binary multilabel", lambda d, t: _dense(d).fit(d.x_train[:2], [[0, 2], [1, 0]]), r"y is 2-D but not binary"),
    ("empty data", lambda d, t: _dense(d).fit(np.zeros((0, 64)), []), r"x is empty: give at least one sample"),
    ("label count mismatch", lambda d, t: _snn(d).fit(d.x_train[:5], d.y_train[:4]), r"y has 4 labels for 5 inputs"),
    (
        "unknown site",
        lambda d, t: _snn(d).record(d.x_test[:1], interventions=[__import__("probes").Ablate("hidden", [0])]),
        r"Ablate\.site='hidden' is not a site of this model: sites are \['exc', 'inh'\]",
    ),
    (
        "out-of-range unit",
        lambda d, t: _dense(d).record(d.x_test[:1], interventions=[__import__("probes").Ablate("hidden", [6])]),
        r"Ablate\.units=\[6\] out of range .* 0\.\.5",
    ),
    (
        "steer length",
        lambda d, t: _dense(d).record(d.x_test[:1], interventions=[__import__("probes").Steer("hidden", [1.0])]),
        r"Steer\.direction has 1 entries but site 'hidden' has 6",
    ),
    (
        "NaN clamp",
        lambda d, t: __import__("probes").Clamp("exc", [0], float("nan")),
        r"Clamp\.value=nan must be finite",
    ),
    (
        "truncated npz",
        lambda d, t: __import__("probes").Recording.load(_truncated_recording(t)),
        r"r\.npz' is corrupt or truncated",
    ),
    (
        "pickled npz",
        lambda d, t: __import__("probes").Recording.load(_pickled_npz(t)),
        r"p\.npz' holds pickled objects",
    ),
    (
        "corrupt model cache",
        lambda d, t: __import__("snn").SpikingNetwork.load(_write(t, "m.npz", "PK garbage")),
        r"model file '.*m\.npz' is corrupt or truncated",
    ),
    (
        "bad IDX magic",
        lambda d, t: __import__("comparisons.tasks", fromlist=["read_idx"]).read_idx(
            _write(t, "x-idx", "\x12\x34abcd")
        ),
        r"is not an IDX file \(bad magic number",
    ),
    (
        "negative config value",
        lambda d, t: __import__("snn").SNNConfig(tau_m_exc_ms=-5),
        r"tau_m_exc_ms=-5\.0 is not allowed",
    ),
    (
        "presentation too long",
        lambda d, t: __import__("snn").SNNConfig(presentation_ms=6e8),
        r"presentation_ms=600000000\.0 is not allowed: with rest_ms=150 it spans 1200000300 steps of dt_ms=0\.5, "
        r"more than 2\*\*30: shorten it or raise dt_ms",
    ),
    (
        "bars probability",
        lambda d, t: __import__("comparisons.tasks", fromlist=["load_task"]).load_task("bars", p=2.0),
        r"bars p=2\.0 must be a probability in \[0, 1\]",
    ),
    (
        "input spikes outside window",
        lambda d, t: _snn(d).record(d.x_test[:1], input_spikes=([0], [1], [900.0])),
        r"input_spikes has times beyond the presentation window",
    ),
    (
        "input spikes huge time",
        lambda d, t: _snn(d).record(d.x_test[:1], input_spikes=([0, 0], [1, 2], [1.0, 1e300])),
        r"input_spikes has times beyond the presentation window of 350 ms",
    ),
    (
        "input spikes NaN time",
        lambda d, t: _snn(d).record(d.x_test[:1], input_spikes=([0, 0], [1, 2], [1.0, np.nan])),
        r"input_spikes time_ms must be finite and >= 0",
    ),
    (
        "input spikes negative time",
        lambda d, t: _snn(d).record(d.x_test[:1], input_spikes=([0], [1], [-0.5])),
        r"input_spikes time_ms must be finite and >= 0",
    ),
    (
        "input spikes sample",
        lambda d, t: _snn(d).record(d.x_test[:2], input_spikes=([0, 2], [1, 1], [1.0, 2.0])),
        r"input_spikes sample indices must be in 0\.\.1 \(one per row of x\)",
    ),
    (
        "input spikes input",
        lambda d, t: _snn(d).record(d.x_test[:2], input_spikes=([0, 1], [1, 64], [1.0, 2.0])),
        r"input_spikes input indices must be in 0\.\.63",
    ),
    (
        "bin not multiple of dt",
        lambda d, t: _snn(d).record(d.x_test[:1], bin_ms=0.7),
        r"bin_ms=0\.7 must be a positive multiple of dt_ms=0\.5",
    ),
    (
        "unfitted model",
        lambda d, t: __import__("dense").DenseNetwork().record(d.x_test[:1]),
        r"not fitted yet: call fit\(x, y\) first",
    ),
]


@pytest.mark.parametrize("name, call, pattern", API_CASES, ids=[c[0] for c in API_CASES])
def test_api_bad_input(tmp_path, digits, name, call, pattern):
    before = files_under(tmp_path)
    with pytest.raises(ScrutableError) as info:
        call(digits, tmp_path)
    msg = str(info.value)
    assert "\n" not in msg and re.search(pattern, msg), msg
    # nothing new except the bad file the case wrote itself
    assert all(p in before or p.suffix in (".npz", ".toml", "") or p.name == "x-idx" for p in files_under(tmp_path))


def test_catalogue_is_big_enough():
    assert len(CLI_CASES) + len(API_CASES) >= 50
