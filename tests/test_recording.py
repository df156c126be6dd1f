import zipfile

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from probes.interface import Recording, SpikeEvents
from probes.support import DataError


@st.composite
def recordings(draw):
    n = draw(st.integers(1, 5))
    sites = draw(st.lists(st.sampled_from(["exc", "inh", "hidden", "a/b"]), min_size=1, max_size=3, unique=True))
    activity = {}
    spikes = {}
    for s in sites:
        bins, units = draw(st.integers(1, 4)), draw(st.integers(1, 6))
        activity[s] = draw(hnp.arrays(np.float32, (n, bins, units), elements=st.floats(0, 100, width=32)))
        if draw(st.booleans()):
            m = draw(st.integers(0, 10))
            spikes[s] = SpikeEvents.make(
                draw(hnp.arrays(np.int64, m, elements=st.integers(0, n - 1))),
                draw(hnp.arrays(np.int64, m, elements=st.integers(0, units - 1))),
                draw(hnp.arrays(np.float64, m, elements=st.floats(0, 350))),
            )
    outputs = draw(hnp.arrays(np.float32, (n, draw(st.integers(1, 4))), elements=st.floats(-5, 5, width=32)))
    meta = {
        "model": draw(st.text(max_size=8)),
        "seed": draw(st.integers(0, 2**31)),
        "bin_ms": 10.0,
        "duration_ms": 350.0,
    }
    return Recording(activity, outputs, spikes, meta)


@settings(max_examples=40, deadline=None)
@given(rec=recordings())
def test_save_load_round_trip(tmp_path_factory, rec):
    path = tmp_path_factory.mktemp("rec") / "r.npz"
    rec.save(path)
    back = Recording.load(path)
    assert back.equals(rec)
    np.testing.assert_array_equal(back.predictions, rec.predictions)


def test_rates_and_predictions():
    act = np.zeros((2, 35, 3), np.float32)
    act[0, :, 1] = 1  # one spike per 10 ms bin over 350 ms -> 35 spikes -> 100 Hz
    rec = Recording({"exc": act}, np.array([[0.1, 0.9], [0.7, 0.2]]), meta={"duration_ms": 350.0})
    np.testing.assert_allclose(rec.rates("exc")[0], [0, 100.0, 0])
    np.testing.assert_array_equal(rec.predictions, [1, 0])
    ml = Recording({"h": act[:, :1]}, np.array([[0.1, 0.9], [0.7, 0.2]]), meta={"kind": "multilabel"})
    np.testing.assert_array_equal(ml.predictions, [[False, True], [True, False]])
    with pytest.raises(DataError, match="site 'nope'"):
        rec.rates("nope")


def _rec():
    return Recording({"h": np.ones((2, 1, 3))}, np.zeros((2, 2)), meta={"model": "x"})


def test_truncated_file_is_a_clear_error(tmp_path):
    path = tmp_path / "r.npz"
    _rec().save(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataError, match="corrupt or truncated"):
        Recording.load(path)


def test_pickled_objects_are_refused(tmp_path):
    path = tmp_path / "p.npz"
    np.savez(
        path,
        format=np.array("scrutable.Recording/1"),
        meta=np.array("{}"),
        outputs=np.array([{"evil": 1}], dtype=object),
    )
    with pytest.raises(DataError, match="pickled"):
        Recording.load(path)


def test_foreign_npz_and_missing_file(tmp_path):
    path = tmp_path / "f.npz"
    np.savez(path, a=np.arange(3))
    with pytest.raises(DataError, match="is not a scrutable.Recording/1 file"):
        Recording.load(path)
    with pytest.raises(DataError, match="does not exist"):
        Recording.load(tmp_path / "missing.npz")
    (tmp_path / "text.npz").write_text("hello")
    with pytest.raises(DataError):
        Recording.load(tmp_path / "text.npz")


def test_save_is_atomic(tmp_path, monkeypatch):
    path = tmp_path / "r.npz"
    _rec().save(path)
    before = path.read_bytes()

    def boom(*a, **k):
        raise OSError("disk full")

    monkeypatch.setattr("os.replace", boom)
    with pytest.raises(OSError):
        Recording({"h": np.zeros((5, 1, 3))}, np.zeros((5, 2))).save(path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["r.npz"]  # no temporary file left
    assert zipfile.is_zipfile(path)


def test_spike_events_in_canonical_order_whatever_order_they_come_in(rng):
    sample, unit, t = rng.integers(0, 4, 300), rng.integers(0, 9, 300), rng.integers(0, 50, 300) * 0.5
    want = sorted(zip(sample.tolist(), t.tolist(), unit.tolist()))  # duplicates included
    for perm in (rng.permutation(300), np.lexsort((unit, t, sample))):
        ev = SpikeEvents.make(sample[perm], unit[perm], t[perm])
        assert list(zip(ev.sample.tolist(), ev.time_ms.tolist(), ev.unit.tolist())) == want


def test_subset_indices_renumbers_spikes():
    ev = SpikeEvents.make([0, 1, 2, 2], [0, 1, 0, 1], [1.0, 2.0, 3.0, 4.0])
    rec = Recording({"exc": np.zeros((3, 1, 2))}, np.zeros((3, 1)), {"exc": ev})
    sub = rec.subset([2])
    np.testing.assert_array_equal(sub.spikes["exc"].sample, [0, 0])
    np.testing.assert_array_equal(sub.spikes["exc"].time_ms, [3.0, 4.0])


def test_bad_shapes():
    with pytest.raises(DataError, match="activity\\['h'\\]"):
        Recording({"h": np.zeros((2, 3))}, np.zeros((2, 1)))
    with pytest.raises(DataError, match="different lengths"):
        SpikeEvents.make([0], [0, 1], [1.0])


def test_atomic_writes_get_normal_permissions(tmp_path):
    import os
    import stat

    from probes.support import atomic_write_text

    old = os.umask(0o022)
    try:
        atomic_write_text(tmp_path / "a.txt", "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.txt").stat().st_mode) == 0o644
