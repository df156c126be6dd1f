"""End-to-end `scrutable compare` on a tiny config: files, escaping, cache, errors, a real browser."""

import json
import shutil
import subprocess

import pytest

from probes import MEASUREMENTS

TINY = [
    "--set",
    "snn.n_neurons=12",
    "--set",
    "dense.hidden=[12]",
    "--set",
    "dense.max_epochs=5",
    "--set",
    "probes.max_samples=40",
    "--set",
    "snn.presentation_ms=100",
    "--set",
    "snn.rest_ms=20",
    # a stratified fifth of the digits (training, competition and abstractions read the training set)
    "--set",
    "task.n_train=300",
    "--set",
    "task.n_test=100",
    # nulls, noise ceilings and resamples at their smallest (the defaults multiply the cost); no
    # long-window column (a fifth of the cost): the four-column test below measures one
    "--set",
    "probes.long_window=0",
    "--set",
    "probes.redraws=1",
    "--set",
    "probes.resamples=2",
    "--set",
    "probes.nulls=1",
    "--set",
    "probes.resamples_interventions=0",
]


@pytest.fixture(scope="module")
def tiny_run(tmp_path_factory):
    """``scrutable compare`` with every measurement, run by the CLI's code in this process (the
    subprocess smoke tests are in tests/test_cli_basics.py and the kill -9 test): its exit code,
    stdout and stderr."""
    import contextlib
    import io

    from comparisons.cli import main

    root = tmp_path_factory.mktemp("compare")
    cfg = root / "evil.toml"
    # user strings that must be escaped in the HTML report
    cfg.write_text('[task]\nname = "digits"\n[dense]\ndevice = "cpu"\n')
    out = root / "out"
    args = ["compare", "--config", str(cfg), "--out", str(out), "--cache-dir", str(root / "cache"), "--quiet", *TINY]
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(args)
    r = subprocess.CompletedProcess(args, code, stdout.getvalue(), stderr.getvalue())
    assert r.returncode == 0, r.stderr
    return root, out, r


@pytest.mark.slow
def test_three_files_with_every_measurement(tiny_run):
    root, out, r = tiny_run
    for name in ("report.html", "report.md", "metrics.json"):
        assert (out / name).stat().st_size > 0
    m = json.loads((out / "metrics.json").read_text())
    assert set(m["measurements"]) == set(MEASUREMENTS)
    # the format control only when the tiny spiking network emits spikes
    cols = list(m["columns"])
    assert cols[:2] == ["snn", "dense-sgd"]
    control = cols[2:]
    assert (control == []) == (m["spikes_per_sample"]["snn"]["mean"] == 0) and "dense-sgd" not in m["spikes_per_sample"]
    for name, by_model in m["measurements"].items():
        want = {"snn", "dense-sgd", *control}
        if name == "abstraction":  # the spiking network and the dense control, no format column
            want = {"snn", "dense-sgd"}
        assert set(by_model) == want, name
        for scores in by_model.values():
            assert set(scores["scores"]) == {s.name for s in MEASUREMENTS[name].scores}
            assert set(scores["uncertainty"]) == set(scores["scores"])
    assert m["config"]["snn"]["n_neurons"] == 12 and m["seed"] == 0 and "brian2" in m["versions"]
    assert m["trained"] == ["snn", "dense-sgd"] and m["timings_s"]["total"] > 0
    md = (out / "report.md").read_text()
    for png in (out / "figures").glob("*.png"):
        assert f"figures/{png.name}" in md
    assert "task accuracy" in r.stdout and "snn vs dense-sgd" in r.stdout and "spikes per sample" in r.stdout


@pytest.mark.slow
def test_html_is_self_contained(tiny_run):
    _, out, _ = tiny_run
    text = (out / "report.html").read_text()
    assert "http://" not in text and "https://" not in text
    assert text.count("data:image/png;base64,") >= len(MEASUREMENTS)


# run options that change no cache key: the reruns below only need one measurement on two columns
RERUN = [
    "--quiet",
    "--measure",
    "decoding",
    *TINY,
    "--set",
    "probes.format_control=false",
]


def compare_in_process(caplog, *args) -> str:
    """``scrutable compare *args`` in this process (the CLI's code, no new interpreter); returns its log."""
    import logging

    from comparisons.cli import main

    caplog.clear()
    with caplog.at_level(logging.INFO):
        assert main(["compare", *args]) == 0
    return caplog.text


@pytest.mark.slow
def test_second_run_trains_nothing_and_one_change_retrains_one(tiny_run, caplog):
    root, out, _ = tiny_run
    log = compare_in_process(
        caplog, "--task", "digits", "--out", str(root / "out2"), "--cache-dir", str(root / "cache"), *RERUN
    )
    assert json.loads((root / "out2" / "metrics.json").read_text())["trained"] == []
    assert "loaded snn from the cache" in log
    cache = ["--cache-dir", str(root / "cache"), *RERUN, "--set", "dense.lr=0.002"]
    compare_in_process(caplog, "--task", "digits", "--out", str(root / "out3"), *cache)
    assert json.loads((root / "out3" / "metrics.json").read_text())["trained"] == ["dense-sgd"]


@pytest.mark.slow
def test_corrupt_cache_entry_is_retrained_with_a_warning(tiny_run, caplog):
    root, _, _ = tiny_run
    cache = root / "cache_corrupt"
    shutil.copytree(root / "cache", cache)
    victim = sorted(cache.glob("snn-*.npz"))[0]
    victim.write_bytes(b"not a zip file")
    log = compare_in_process(caplog, "--task", "digits", "--out", str(root / "out4"), "--cache-dir", str(cache), *RERUN)
    assert "unusable" in log and "retraining" in log
    assert json.loads((root / "out4" / "metrics.json").read_text())["trained"] == ["snn"]


@pytest.mark.slow
def test_user_strings_are_escaped(tmp_path, digits):
    from comparisons.pipeline import run_compare
    from comparisons.report import html_report
    from comparisons.tasks import Task

    evil = "<script>alert(1)</script>"
    task = Task.from_arrays(
        digits.x_train[:80],
        digits.y_train[:80] % 2,
        digits.x_test[:30],
        digits.y_test[:30] % 2,
        name=evil,
        class_names=[evil, "odd & <b>"],
        image_shape=(8, 8),
    )
    from comparisons.config import load_config

    cfg = load_config(overrides=[a for a in TINY if a != "--set"])
    res = run_compare(cfg, measures=["decoding", "receptive_fields"], progress=False, task=task)
    text = html_report(res, {})
    assert evil not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "odd &amp; &lt;b&gt;" in text


def _small_task(digits):
    from comparisons.tasks import Task

    return Task.from_arrays(
        digits.x_train[:300], digits.y_train[:300], digits.x_test[:60], digits.y_test[:60], name="digits-small"
    )


SMALL = [
    "snn.n_neurons=20",
    "dense.hidden=[20]",
    "dense.max_epochs=5",
    "probes.redraws=2",
    "probes.resamples=2",
    "probes.nulls=1",
    "probes.unit_nulls=0",
    "probes.resamples_interventions=0",
    "probes.max_samples=40",
    "probes.measures=['decoding', 'time_to_read', 'ablation']",
]


@pytest.fixture(scope="module")
def small_cache(tmp_path_factory):
    """One model cache for the tests of SMALL's networks (run options change no cache key): the
    first of them trains both networks, the others load them."""
    return tmp_path_factory.mktemp("small-cache")


@pytest.mark.slow
def test_four_columns_with_budget_nulls_spreads_and_verdicts(tmp_path, digits, small_cache):
    from comparisons.config import load_config
    from comparisons.pipeline import run_compare
    from comparisons.report import write_reports

    cfg = load_config(overrides=[*SMALL, "probes.long_window=4"])  # 4 windows (default 10): cheaper
    res = run_compare(cfg, progress=False, task=_small_task(digits), cache_dir=small_cache)
    names = list(res.models)
    assert names[0] == "snn" and names[1] == "snn over 1.4 s" and names[2] == "dense-sgd"
    budget = res.budgets["snn"]["mean"]
    assert budget > 1 and names[3] == f"dense-sgd at {round(budget, 1):g} spikes"
    # the rendering carries the spiking network's budget (Poisson: within 4 standard errors)
    assert abs(res.budgets[names[3]]["mean"] - round(budget, 1)) < 4 * (budget / 60) ** 0.5 + 0.05
    assert res.budgets["snn over 1.4 s"]["mean"] > 3 * budget  # four times the window, more spikes
    assert res.accuracy[names[3]] == res.accuracy["dense-sgd"]  # the readout is the dense network's own
    dec = res.assessments["decoding"]
    assert dec["snn"].n_redraws == 2 and dec["dense-sgd"].deterministic and dec[names[3]].n_redraws == 2
    assert [p[0] for p in res.pairs] == ["snn vs dense-sgd", "snn over 1.4 s vs dense-sgd", f"snn vs {names[3]}"]
    paths = write_reports(res, tmp_path / "out")
    m = json.loads(paths["json"].read_text())
    ttr = next(r for r in m["headline"] if r["measurement"] == "time_to_read")
    v = ttr["verdicts"]["snn vs dense-sgd"]
    assert v["more_interpretable"] == "excluded" and ("one step" in v["reason"] or "n/a" in v["reason"])
    for row in m["headline"]:
        for n in names:
            if row[n] is not None:
                assert {"value", "u95", "null", "redraws", "resamples", "nulls"} <= set(row[n])
    html = paths["html"].read_text()
    assert "null" in html and "spikes per sample" in html and "(acc " in html
    # both controls can be turned off without retraining
    off = load_config(
        overrides=[*SMALL, "probes.format_control=false", "probes.long_window=0", "probes.measures=['decoding']"]
    )
    res2 = run_compare(off, progress=False, task=_small_task(digits), cache_dir=small_cache)
    assert list(res2.models) == ["snn", "dense-sgd"] and res2.trained == []


@pytest.mark.parametrize(
    "args, match",
    [
        (
            ["--task", "digts"],
            "task.name='digts' is not allowed \\(did you mean 'digits'\\?\\): use one of 'digits', 'bars', 'mnist'",
        ),
        (["--set", "snn.n_neuron=5"], "unknown config key 'snn.n_neuron' \\(did you mean 'snn.n_neurons'\\?\\)"),
        (["--measure", "decodng"], "--measure decodng is unknown"),
    ],
)
def test_bad_config_exits_2_with_one_line(tmp_path, args, match, capsys):
    import re

    from comparisons.cli import main

    assert main(["compare", "--out", str(tmp_path / "o"), "--quiet", *args]) == 2
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and re.search(match, lines[0]), err
    assert not (tmp_path / "o").exists()


def _chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


@pytest.mark.slow
@pytest.mark.browser
def test_report_renders_in_a_real_browser(tiny_run, tmp_path):
    browser = _chromium()
    if browser is None:
        pytest.skip("Chromium is not installed (.ci/run installs Debian's chromium; the install failed here)")
    _, out, _ = tiny_run
    page = out / "report.html"
    # a page that loads the report in an iframe, counts undecodable images and records errors in its title
    probe = tmp_path / "probe.html"
    probe.write_text(f"""<html><body><iframe id="r" src="{page.as_uri()}" width="1200" height="800"></iframe>
<script>
window.onerror = function(m) {{ document.title = "ERROR " + m; }};
document.getElementById("r").onload = function() {{
  const doc = this.contentDocument;
  const imgs = Array.from(doc.images);
  const bad = imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length;
  document.body.setAttribute("data-result", "images=" + imgs.length + " bad=" + bad);
}};
</script></body></html>""")
    cmd = [
        browser,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--allow-file-access-from-files",
        f"--user-data-dir={tmp_path / 'profile'}",
        "--virtual-time-budget=5000",
        "--enable-logging=stderr",
        "--v=0",
        "--dump-dom",
        probe.as_uri(),
    ]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr[-2000:]
    import re

    m = re.search(r'data-result="images=(\d+) bad=(\d+)"', r.stdout)
    assert m, r.stdout[-2000:]
    assert int(m.group(1)) >= len(MEASUREMENTS) and int(m.group(2)) == 0
    assert "ERROR" not in r.stdout.split("<title>")[-1][:200]
    console_errors = [line for line in r.stderr.splitlines() if "CONSOLE" in line and "ERROR" in line.upper()]
    assert not console_errors, console_errors


@pytest.mark.slow
def test_compare_runs_the_abstraction_measurement_on_the_spiking_network_and_the_dense_control(
    tmp_path, digits, small_cache
):
    from comparisons.config import load_config
    from comparisons.pipeline import run_compare
    from comparisons.report import write_reports

    over = [*SMALL, "probes.measures=['abstraction']", "probes.format_control=false", "probes.long_window=0"]
    res = run_compare(load_config(overrides=over), progress=False, task=_small_task(digits), cache_dir=small_cache)
    by = res.results["abstraction"]
    assert list(by) == ["snn", "dense-sgd"]  # the spiking network and the dense control
    table = by["snn"].details["table"]
    assert set(table) == {"ceiling", "no_delays", "one_step", "fitted"}
    assert 0 < by["snn"].scores["ceiling_fidelity"] <= 1
    # the dense control: the transplant and the fitted model, no reference (deterministic: ceiling 1)
    control = by["dense-sgd"]
    assert set(control.details["table"]) == {"one_step", "fitted"} and control.scores["ceiling_fidelity"] == 1.0
    assert 0 <= control.scores["one_step_fidelity"] <= 1 and 0 <= control.scores["fitted_fidelity"] <= 1
    assert "one step" in control.details["not_applicable"]["no_delays_iia"]
    spread = res.assessments["abstraction"]["snn"].spreads["no_delays_iia"]
    assert not spread.nulls and not spread.redraws  # its ceiling and null are inside the measurement
    # the report's null beside an abstraction score is the measurement's own (units shuffled), on
    # the score's scale (divided by the noise ceiling), not a label shuffle
    from comparisons.report import score_cell

    own = table["no_delays"]["iia_null"] / table["ceiling"]["iia"]
    assert score_cell(res, "abstraction", "no_delays_iia", "snn").endswith(f"(null {own:.3f})")
    m = json.loads(write_reports(res, tmp_path / "out")["json"].read_text())
    assert "no_delays_iia" in m["measurements"]["abstraction"]["snn"]["scores"]
    assert "fitted_iia" in m["measurements"]["abstraction"]["dense-sgd"]["scores"]
    from comparisons.report import section_rows

    rows = section_rows(res, "abstraction")
    assert rows[0][2].startswith("snn") and rows[0][3].startswith("dense-sgd")
    assert all(row[4] == "-" for row in rows[1:])  # a control: no verdicts between the columns
