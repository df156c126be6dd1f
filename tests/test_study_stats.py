"""The contrast statistics of `scrutable study report` on synthetic stores with planted effects.

A store is filled with real ``Run``s of a real study file and planted scores (no training):
seed s has a large seed effect shared by every condition (common random numbers), plus the
planted condition effect, plus small noise."""

import itertools

import numpy as np
import pytest

from comparisons.study import Store, load_study
from comparisons.study_stats import bootstrap_ci, contrast_table, holm, sign_flip_p, tost_p

SEEDS = list(range(10))
STUDY = """
[study]
name = "planted"
seeds = {seeds}
measures = ["decoding", "feature_recovery"]
alpha = 0.05
smallest_effect = {{ accuracy = 0.02, "decoding.selectivity" = 0.02, "feature_recovery.share_recovered" = 0.07 }}
[grid]
"snn.delay_ms" = [0.0, 10.0]
[[arms]]
network = "snn"
[[contrasts]]
name = "asynchrony"
a = {{ label = "snn", "snn.delay_ms" = 10 }}
b = {{ label = "snn", "snn.delay_ms" = 0 }}
"""


def planted_store(tmp_path, effects, seeds=SEEDS, noise=0.004, seed_sd=0.06):
    """A store whose delay-10 runs score ``effects[score]`` above the delay-0 runs of the same seed."""
    path = tmp_path / "planted.toml"
    path.write_text(STUDY.format(seeds=seeds))
    study = load_study(path)
    store = Store(tmp_path / "planted.sqlite")
    store.put_study(study)
    rng = np.random.default_rng(7)
    seed_effect = {s: rng.normal(0, seed_sd) for s in seeds}
    for run in study.runs:
        delayed = run.config.snn.delay_ms == 10.0
        scores = {}
        for score, effect in effects.items():
            if score == "feature_recovery.share_recovered":  # few distinct values: shares of 16 bars
                base = 8 + int(round(seed_effect[run.seed] * 30))
                scores[score] = (base + (effect * 16 if delayed else 0)) / 16
            else:
                scores[score] = 0.7 + seed_effect[run.seed] + (effect if delayed else 0) + rng.normal(0, noise)
        store.put(run, study.name, "done", {"snn": scores}, None, 0.0, 1.0)
    return study, store


def test_sign_flip_is_the_exact_permutation_test():
    from scipy import stats

    rng = np.random.default_rng(0)
    for n in (3, 6, 9):
        d = rng.normal(0.3, 1.0, n)
        ref = stats.permutation_test(
            (d,), np.mean, permutation_type="samples", n_resamples=np.inf, alternative="two-sided"
        ).pvalue
        assert sign_flip_p(d) == pytest.approx(ref)
        for alt in ("greater", "less"):
            ref = stats.permutation_test(
                (d,), np.mean, permutation_type="samples", n_resamples=np.inf, alternative=alt
            ).pvalue
            assert sign_flip_p(d, alternative=alt) == pytest.approx(ref)
    assert sign_flip_p([1.0, 2.0, 3.0]) == pytest.approx(2 / 8)  # only all-plus and all-minus reach |mean| 2


def test_holm_rejects_what_the_step_down_definition_rejects():
    """Holm (1979): order p ascending; reject H_(1..k) for the largest k with p_(j) <= alpha / (m - j + 1)
    for every j <= k. The adjusted p-values must reject exactly that set at every alpha."""

    def step_down(p, alpha):
        order = sorted(range(len(p)), key=lambda i: p[i])
        rejected = set()
        for j, i in enumerate(order):  # j = 0 .. m-1
            if p[i] > alpha / (len(p) - j):
                break
            rejected.add(i)
        return rejected

    rng = np.random.default_rng(3)
    for _ in range(200):
        p = list(rng.uniform(0, 0.1, rng.integers(1, 12)) ** rng.uniform(0.5, 2))
        adj = holm(p)
        assert np.all(adj >= np.array(p) - 1e-15) and np.all(adj <= 1)
        for alpha in (0.001, 0.01, 0.05, 0.1):
            assert {i for i, a in enumerate(adj) if a <= alpha} == step_down(p, alpha)
    assert np.isnan(holm([0.01, np.nan])[1]) and holm([0.01, np.nan])[0] == pytest.approx(0.01)  # NaN is no test


def test_tost_and_bootstrap_on_known_differences():
    d = np.full(8, 0.001)
    assert tost_p(d, 0.02) == pytest.approx(1 / 2**8)  # every difference inside +-delta: only the identity is as far
    assert tost_p(d + 0.05, 0.02) == 1.0  # all beyond +delta: equivalence rejected outright
    lo, hi = bootstrap_ci(np.arange(10.0), level=0.9)
    assert lo < 4.5 < hi and hi - lo < 4


def test_planted_effect_found_planted_null_equivalent_and_unpaired_is_wider(tmp_path):
    study, store = planted_store(
        tmp_path, {"accuracy": 0.04, "decoding.selectivity": 0.0, "feature_recovery.share_recovered": 1 / 16}
    )
    rows = store.rows()
    table = {
        r.score: r for r in contrast_table(rows, study.contrasts, alpha=0.05, smallest_effect=study.smallest_effect)
    }
    acc, sel, rec = table["accuracy"], table["decoding.selectivity"], table["feature_recovery.share_recovered"]
    assert acc.n == 10 and acc.verdict == "effect" and acc.ci_low > 0 and acc.diff == pytest.approx(0.04, abs=0.004)
    assert sel.verdict == "equivalent" and sel.ci_low < 0 < sel.ci_high
    assert rec.verdict == "effect" and rec.diff == pytest.approx(1 / 16)  # few distinct values: still found
    # Holm over the three rows: every sign-flip p here is 2/1024, so each adjusted p is 3x it (capped by order)
    assert acc.p == pytest.approx(2 / 1024) and acc.p_holm == pytest.approx(3 * 2 / 1024)
    unpaired = {
        r.score: r
        for r in contrast_table(rows, study.contrasts, alpha=0.05, smallest_effect=study.smallest_effect, paired=False)
    }
    for score in table:
        w_paired = table[score].ci_high - table[score].ci_low
        w_unpaired = unpaired[score].ci_high - unpaired[score].ci_low
        assert w_unpaired > 3 * w_paired, score  # the seed effect (sd 0.06) swamps the unpaired analysis
    assert unpaired["accuracy"].verdict == "inconclusive"
    store.close()


def test_too_few_seeds_is_inconclusive_not_equivalent_or_effect(tmp_path):
    """5 seeds: the smallest sign-flip p is 2/32 > 0.05; the report must not call anything an effect."""
    study, store = planted_store(tmp_path, {"accuracy": 0.04}, seeds=[0, 1, 2, 3, 4], noise=0.0)
    (row,) = contrast_table(store.rows(), study.contrasts, smallest_effect=study.smallest_effect)
    assert row.n == 5 and row.p == pytest.approx(2 / 32) and row.verdict == "inconclusive"
    store.close()


def test_contrast_pairs_by_seed_and_averages_other_factors(tmp_path):
    """A contrast that leaves a grid key free averages it within each seed: n counts seeds, not runs."""
    text = STUDY.replace('"snn.delay_ms" = [0.0, 10.0]', '"snn.delay_ms" = [0.0, 10.0]\n"snn.jitter_ms" = [0.0, 2.0]')
    path = tmp_path / "two.toml"
    path.write_text(text.format(seeds=SEEDS[:6]))
    study = load_study(path)
    store = Store(tmp_path / "two.sqlite")
    for run in study.runs:
        acc = 0.5 + 0.01 * run.seed + 0.1 * (run.config.snn.delay_ms == 10) + 0.02 * run.config.snn.jitter_ms
        store.put(run, study.name, "done", {"snn": {"accuracy": acc}}, None, 0.0, 1.0)
    (row,) = contrast_table(store.rows(), study.contrasts, smallest_effect={})
    assert row.n == 6 and row.diff == pytest.approx(0.1) and row.mean_b == pytest.approx(0.5 + 0.025 + 0.02)
    store.close()


def test_report_writes_the_contrast_table(tmp_path, capsys):
    from comparisons.cli import main

    study, store = planted_store(tmp_path, {"accuracy": 0.04, "decoding.selectivity": 0.0})
    store.close()
    out = tmp_path / "r.html"
    assert main(["study", "report", str(tmp_path / "planted.sqlite"), "--out", str(out)]) == 0
    summary, table = out.with_suffix(".md").read_text().split("## Every row")
    assert "## Summary" in summary and "decoding.selectivity" in summary  # the equivalent score, summarised
    lines = [line for line in table.splitlines() if line.startswith("| asynchrony")]
    assert len(lines) == 2
    verdicts = {line.split("|")[3].strip(): line.split("|")[-2].strip() for line in lines}
    assert verdicts == {"accuracy": "effect", "decoding.selectivity": "equivalent"}
    page = out.read_text()
    assert "<h1>study planted</h1>" in page and "class='effect'" in page and "class='equivalent'" in page
    assert (tmp_path / "r-contrasts.png").read_bytes()[:4] == b"\x89PNG" and "src='r-contrasts.png'" in page


def test_contrast_errors_name_the_key(tmp_path):
    from probes.support import ConfigError

    bad = STUDY.replace('a = {{ label = "snn", "snn.delay_ms" = 10 }}', 'a = {{ label = "snn", "snn.dealy_ms" = 10 }}')
    path = tmp_path / "bad.toml"
    path.write_text(bad.format(seeds=[0]))
    with pytest.raises(
        ConfigError, match=r"contrasts\[0\]\.a: 'snn.dealy_ms' is not a key \(did you mean 'snn.delay_ms'\?\)"
    ):
        load_study(path)
    path.write_text(STUDY.replace('name = "asynchrony"', 'nmae = "asynchrony"').format(seeds=[0]))
    with pytest.raises(ConfigError, match=r"contrasts\[0\]\.nmae is unknown \(did you mean 'name'\?\)"):
        load_study(path)
    path.write_text((STUDY + "match_accuracy = 2\n").format(seeds=[0]))
    with pytest.raises(
        ConfigError, match=r"contrasts\[0\]\.match_accuracy=2 must be an accuracy difference in \[0, 1\]"
    ):
        load_study(path)


@pytest.mark.parametrize("n", [4, 7])
def test_sign_flip_exact_enumerates_every_sign_vector(n):
    d = np.arange(1.0, n + 1)
    means = [np.mean(np.array(s) * d) for s in itertools.product((1, -1), repeat=n)]
    ref = np.mean(np.abs(means) >= abs(d.mean()) - 1e-12)
    assert sign_flip_p(d) == pytest.approx(ref)


def test_a_contrast_matching_no_run_is_an_error_naming_it(tmp_path):
    from probes.support import DataError

    study, store = planted_store(tmp_path, {"accuracy": 0.0})
    bad = [{**study.contrasts[0], "b": {"label": "snn", "snn.delay_ms": 3}}]
    with pytest.raises(DataError, match=r"contrast 'asynchrony': no seed has finished runs matching both a = "):
        contrast_table(store.rows(), bad)
    store.close()


MATCHED = """
[study]
name = "matched"
seeds = {seeds}
measures = ["decoding"]
[grid]
"dense.max_epochs" = [1, 2, 4, 8]
[[arms]]
network = "dense"
[[arms]]
network = "snn"
[[contrasts]]
name = "raw"
a = {{ label = "dense-sgd" }}
b = {{ label = "snn" }}
scores = ["decoding.selectivity"]
[[contrasts]]
name = "matched"
a = {{ label = "snn" }}
b = {{ label = "dense-sgd" }}
scores = ["decoding.selectivity"]
match_accuracy = 0.02
"""


def test_matched_accuracy_removes_an_effect_that_only_follows_accuracy(tmp_path):
    """Planted: a score that depends on accuracy alone (0.2 + accuracy, the same for both networks).
    The dense network trains longer to higher accuracy, so raw it 'wins'; matched on accuracy
    (the dense run of the sweep nearest the spiking network's accuracy) the difference is 0."""
    path = tmp_path / "m.toml"
    path.write_text(MATCHED.format(seeds=SEEDS))
    study = load_study(path)
    assert study.contrasts[1]["match_accuracy"] == 0.02
    store = Store(tmp_path / "m.sqlite")
    rng = np.random.default_rng(3)
    snn_acc = {s: 0.80 + rng.normal(0, 0.01) for s in SEEDS}
    for run in study.runs:
        if run.network == "snn":
            acc, label = snn_acc[run.seed], "snn"
        else:  # 0.70 .. 0.93 by training length; epoch 2 lands within 0.005 of the spiking network
            e = run.config.dense.max_epochs
            acc, label = {1: 0.70, 2: snn_acc[run.seed] + rng.uniform(-0.005, 0.005), 4: 0.90, 8: 0.93}[e], "dense-sgd"
        scores = {"accuracy": acc, "decoding.selectivity": 0.2 + acc + rng.normal(0, 0.001)}
        store.put(run, study.name, "done", {label: scores}, None, 0.0, 1.0)
    rows = {r.contrast: r for r in contrast_table(store.rows(), study.contrasts, alpha=0.05)}
    raw, matched = rows["raw"], rows["matched"]
    assert raw.verdict == "effect" and raw.acc_a > raw.acc_b + 0.02  # mean over the sweep: 0.83 vs 0.80
    assert matched.n == len(SEEDS) and matched.match == 0.02
    assert abs(matched.acc_a - matched.acc_b) < 0.005
    assert matched.verdict == "equivalent" and abs(matched.diff) < 0.005
    # nothing within a tolerance of 0.001 for some seeds: those seeds drop out, and none left is an error
    tight = [{**study.contrasts[1], "match_accuracy": 1e-9}]
    with pytest.raises(Exception, match="accuracies within"):
        contrast_table(store.rows(), tight)


def test_holm_within_each_contrast_when_the_family_is_the_contrast(tmp_path):
    """9 questions x 3 scores: over the whole table (m = 27) 10 seeds cannot reach an effect
    (27 x 2/1024 > 0.05); within each contrast (m = 3) the planted effect is found."""
    from comparisons.study_stats import to_markdown

    study, store = planted_store(
        tmp_path, {"accuracy": 0.04, "decoding.selectivity": 0.0, "feature_recovery.share_recovered": 1 / 16}
    )
    contrasts = [{**study.contrasts[0], "name": f"question {i}"} for i in range(9)]
    kw = {"alpha": 0.05, "smallest_effect": study.smallest_effect}
    table = contrast_table(store.rows(), contrasts, family="table", **kw)
    per = contrast_table(store.rows(), contrasts, family="contrast", **kw)
    assert len(table) == len(per) == 27
    acc_table = [r for r in table if r.score == "accuracy"]
    acc_per = [r for r in per if r.score == "accuracy"]
    assert all(r.p_holm == pytest.approx(27 * 2 / 1024) and r.verdict != "effect" for r in acc_table)
    assert all(r.p_holm == pytest.approx(3 * 2 / 1024) and r.verdict == "effect" for r in acc_per)
    assert "each contrast's rows (families of 3-3)" in to_markdown(per, 0.05, "contrast")
    # the study file says which, and a bad value is one line naming it
    path = tmp_path / "f.toml"
    path.write_text(STUDY.format(seeds=SEEDS).replace("alpha = 0.05", 'alpha = 0.05\nfamily = "contrast"'))
    assert load_study(path).family == "contrast" and load_study(path).spec()["family"] == "contrast"
    path.write_text(STUDY.format(seeds=SEEDS).replace("alpha = 0.05", 'alpha = 0.05\nfamily = "row"'))
    from probes.support import ConfigError

    with pytest.raises(ConfigError, match=r"study.family='row' is unknown: choose 'table'"):
        load_study(path)
    store.close()


def test_a_score_that_is_nan_on_one_side_has_no_row_not_an_effect(tmp_path):
    """A score n/a for a network (NaN: a dense network's time to read) gives no row, never p = 0."""
    study, store = planted_store(tmp_path, {"accuracy": 0.04, "decoding.selectivity": 0.0})
    rows = store.rows()
    for r in rows:
        if r["config"]["snn"]["delay_ms"] == 0.0:
            r["result"]["snn"]["decoding.selectivity"] = float("nan")
    table = contrast_table(rows, study.contrasts, smallest_effect=study.smallest_effect)
    assert [r.score for r in table] == ["accuracy"]
    store.close()


def test_report_on_a_study_still_running_says_what_waits(tmp_path):
    """Mid-study (fewer runs in the store than the study has) a contrast with no finished runs on
    both sides waits with a note instead of failing the report (once every run is in, such a
    contrast is an error: test_a_contrast_matching_no_run_is_an_error_naming_it)."""
    from comparisons.cli import main

    study, store = planted_store(tmp_path, {"accuracy": 0.04})
    store.close()
    path = tmp_path / "more.toml"
    text = STUDY.format(seeds=SEEDS).replace("[0.0, 10.0]", "[0.0, 5.0, 10.0]")
    five = '[[contrasts]]\nname = "five"\na = { label = "snn", "snn.delay_ms" = 5 }\n'
    five += 'b = { label = "snn", "snn.delay_ms" = 0 }\n'
    path.write_text(text + five)
    db = tmp_path / "planted.sqlite"
    out = tmp_path / "sub" / "r.html"  # a folder that does not exist yet is created
    assert main(["study", "report", str(db), "--study", str(path), "--out", str(out)]) == 0
    md = out.with_suffix(".md").read_text()
    assert "The study is not finished: 20 of 30 runs in the store" in md and "Not run yet on both sides: five." in md
    table = md.split("## Every row")[1]
    assert table.count("| asynchrony |") == 1  # accuracy; the study's other contrast still reported


def test_summary_and_contrast_map_show_each_verdict_in_units_of_the_smallest_effect(tmp_path):
    """Planted: accuracy +0.04 (delta 0.02, higher is better), circuit share +0.10 (delta 0.02 by default,
    lower is better), decoding selectivity 0 (equivalent). The map's cell is (a - b) / delta signed by the
    score's direction; the summary lists what moves and what is equivalent."""
    from comparisons.study_plots import contrast_map
    from comparisons.study_stats import summary_markdown

    effects = {"accuracy": 0.04, "ablation.circuit_share": 0.10, "decoding.selectivity": 0.0}
    study, store = planted_store(tmp_path, effects)
    rows = contrast_table(store.rows(), study.contrasts, smallest_effect=study.smallest_effect)
    store.close()
    fig = contrast_map(rows)
    cells = np.ma.filled(fig.axes[0].images[0].get_array().astype(float), np.nan)
    scores = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    (row,) = cells
    got = dict(zip(scores, row))
    assert got["accuracy"] == pytest.approx(0.04 / 0.02, rel=0.1)
    assert got["ablation.circuit_share"] == pytest.approx(-0.10 / 0.02, rel=0.1)  # higher share reads worse
    assert np.isnan(got["decoding.selectivity"])  # equivalent: no colour, an "=" in the cell
    assert "=" in [t.get_text() for t in fig.axes[0].texts]
    line = summary_markdown(rows).splitlines()[2]
    assert "accuracy +0.04" in line and "(+)" in line and "ablation.circuit_share +0.1" in line and "(-)" in line
    assert line.split("|")[3].strip() == "10" and line.split("|")[6].strip() == "decoding.selectivity"


def test_abstraction_table_tests_each_score_against_its_own_null(tmp_path):
    """Planted: with delays the no_delays fidelity is 1.0 against a null of 0.1 (above null); the
    one_step IIA equals its null plus noise (not above null); without delays the no_delays
    abstraction is the network itself and has no row."""
    from comparisons.study_stats import abstraction_markdown, abstraction_table

    study, store = planted_store(tmp_path, {"accuracy": 0.0})
    rng = np.random.default_rng(3)
    for run in study.runs:
        scores = {
            "accuracy": 0.8,
            "abstraction.no_delays_fidelity": 1.0 + rng.normal(0, 0.02),
            "abstraction.no_delays_fidelity_null": 0.1 + rng.normal(0, 0.02),
            "abstraction.no_delays_iia": 1.0 + rng.normal(0, 0.02),  # the headline (contrasts read it)
            "abstraction.one_step_iia": 0.9 + rng.normal(0, 0.02),
            "abstraction.one_step_iia_null": 0.9 + rng.normal(0, 0.02),
        }
        store.put(run, study.name, "done", {"snn": scores}, None, 0.0, 1.0)
    rows = {(r.condition, r.score): r for r in abstraction_table(store.rows())}
    # in the delay contrast the no_delays score of the delay-0 side is the network itself: no row
    contrast = contrast_table(store.rows(), study.contrasts, smallest_effect=study.smallest_effect)
    assert {r.score for r in contrast} == {"accuracy"}
    store.close()
    from comparisons.cli import main

    assert main(["study", "report", str(tmp_path / "planted.sqlite"), "--out", str(tmp_path / "r.html")]) == 0
    assert (
        "## Abstraction" in (tmp_path / "r.md").read_text()
        and "<h2>Abstraction</h2>" in (tmp_path / "r.html").read_text()
    )
    assert set(rows) == {
        ("snn delay_ms=10.0", "abstraction.no_delays_fidelity"),
        ("snn delay_ms=0.0", "abstraction.one_step_iia"),
        ("snn delay_ms=10.0", "abstraction.one_step_iia"),
    }
    fid = rows["snn delay_ms=10.0", "abstraction.no_delays_fidelity"]
    assert fid.n == 10 and fid.verdict == "above null" and fid.ci_low < 1.0 < fid.ci_high
    assert fid.p_holm == pytest.approx(3 / 1024)  # one-sided exact floor 1/1024, Holm over 3 rows
    iia = rows["snn delay_ms=10.0", "abstraction.one_step_iia"]
    assert iia.verdict == "not above null" and abs(iia.diff) < 0.03
    assert "| no_delays_fidelity | 10 |" in abstraction_markdown(list(rows.values()))


def test_abstraction_scores_stored_before_the_ceiling_floor_are_read_as_now(tmp_path):
    """A spiking run stored without ``ceiling_ablation_corr`` had its ablation correlation divided by
    any ceiling: those rows go; a fidelity whose stored ceiling is under the floor (0.3 < 0.5) is NaN;
    a dense network (ceiling 1 by construction) and a run stored with the floor keep everything."""
    from comparisons.study import floored_abstraction, observations

    old = {
        "abstraction.ceiling_fidelity": 0.3,
        "abstraction.ceiling_iia": 0.9,
        "abstraction.fitted_fidelity": 2.9,
        "abstraction.fitted_fidelity_null": 0.4,
        "abstraction.fitted_iia": 0.95,
        "abstraction.fitted_ablation_corr": -11.0,
        "abstraction.fitted_ablation_corr_null": 8.2,
        "ablation.circuit_share": 0.2,
    }
    got = floored_abstraction(old)
    assert not any(k.startswith("abstraction.fitted_ablation_corr") for k in got)
    assert np.isnan(got["abstraction.fitted_fidelity"]) and np.isnan(got["abstraction.fitted_fidelity_null"])
    assert got["abstraction.fitted_iia"] == 0.95 and got["ablation.circuit_share"] == 0.2
    new = {**old, "abstraction.ceiling_ablation_corr": 0.7}
    assert floored_abstraction(new) == new
    row = {"run_id": "r", "study": "s", "network": "dense", "label": "dense-sgd", "params": {}, "seed": 0}
    row |= {"config": {"task.name": "digits"}, "status": "done", "result": {"dense-sgd": old}}
    assert observations([row])[0]["scores"] == old


def test_a_line_paired_on_fewer_seeds_says_so_in_the_summary_and_on_the_map():
    """While a study runs, one contrast can have 4 seeds when the others have 10: the reader must see it."""
    from comparisons.study_plots import contrast_map
    from comparisons.study_stats import ContrastRow, summary_markdown

    def row(name, n, verdict):
        means = (0.9, 0.8, 0.9, 0.8, None, 0.1, 0.05, 0.15, 0.001, 0.002, 0.02, 1.0, 1.0)
        return ContrastRow(name, "digits", "accuracy", n, *means, verdict)

    rows = [row("done", 10, "effect"), row("running", 4, "inconclusive")]
    labels = [t.get_text() for t in contrast_map(rows).axes[0].get_yticklabels()]
    assert labels == ["done | digits", "running | digits (n=4)"]
    seeds = [line.split("|")[3].strip() for line in summary_markdown(rows).splitlines()[2:]]
    assert seeds == ["10", "4"]


def test_snapshot_is_one_consistent_file_without_claims(tmp_path):
    import sqlite3

    from comparisons.cli import main

    study, store = planted_store(tmp_path, {"accuracy": 0.04})
    store.claim([study.runs[0].run_id])  # a live process's claim: not part of the published data
    writer = Store(tmp_path / "planted.sqlite")  # a second connection holds the WAL open, as a study does
    out = tmp_path / "pub" / "planted.sqlite"
    assert main(["study", "snapshot", str(tmp_path / "planted.sqlite"), str(out)]) == 0
    copy = sqlite3.connect(out)
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # no -wal file needed to read it
    assert copy.execute("SELECT COUNT(*) FROM claims").fetchone()[0] == 0
    copy.close()
    assert sorted(p.name for p in out.parent.iterdir()) == ["planted.sqlite"]  # no temporary file left
    assert Store(out, create=False).rows() == store.rows() and len(store.rows()) == len(study.runs)
    copy = sqlite3.connect(out)  # reading it (show, plot, report) left it one file
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()
    with pytest.raises(Exception, match="is the store itself"):
        store.snapshot(tmp_path / "planted.sqlite")
    with pytest.raises(Exception, match="is a folder"):  # one line, not an IsADirectoryError traceback
        store.snapshot(out.parent)
    assert sorted(p.name for p in out.parent.iterdir()) == ["planted.sqlite"]
    writer.close()
    store.close()


@pytest.mark.slow
def test_shipped_study_reports_are_what_study_report_makes_of_the_shipped_stores(tmp_path):
    """docs/<study>.md is `scrutable study report studies/results/<study>.sqlite --study
    studies/<study>.toml --out docs/<study>.html` of the store shipped beside it, byte for byte."""
    import shutil
    from pathlib import Path

    from comparisons.cmd_study import report_sections

    root = Path(__file__).resolve().parents[1]
    stores = sorted((root / "studies" / "results").glob("*.sqlite"))
    assert stores, "studies/results holds no store"
    for shipped in stores:
        path = tmp_path / shipped.name  # a copy: the test never touches the shipped file
        shutil.copy(shipped, path)
        store = Store(path, create=False)
        got = report_sections(store, path, root / "studies" / f"{shipped.stem}.toml").markdown
        store.close()
        want = (root / "docs" / f"{shipped.stem}.md").read_text()
        assert got == want, f"regenerate docs/{shipped.stem}.md"
