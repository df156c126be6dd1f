"""Probeable test models with planted structure: the right answer of every measurement is known."""

import numpy as np

from probes.interface import Ablate, Clamp, Patch, Recording, Steer, check_interventions
from probes.support import check_inputs


class PlantedModel:
    """A dense-style model whose code is a known function of each test input's factors.

    ``codes[key(x)]`` is the planted activity ``[n_bins, n_units]`` of input x; the readout is
    ``outputs = activity summed over bins @ readout`` (multiclass scores or, multilabel,
    scores thresholded at 0.5). Interventions follow DESIGN.md's dense semantics.
    """

    def __init__(self, inputs, codes, readout, *, kind="multiclass", name="planted", bin_ms=None, weights=None):
        self._codes = {self._key(x): c for x, c in zip(inputs, codes)}
        self._n_bins, self._n_units = codes[0].shape
        self._readout = np.asarray(readout, float)
        self.kind = kind
        self.name = name
        self._bin_ms = bin_ms
        self._weights = weights

    @staticmethod
    def _key(x):
        return np.asarray(x, np.float32).tobytes()

    def sites(self):
        return {"hidden": self._n_units}

    def weights(self):
        return {} if self._weights is None else {"input->hidden": self._weights}

    def record(self, x, *, sites=None, interventions=(), bin_ms=None):
        x = check_inputs(x)
        ivs = check_interventions(interventions, self.sites())
        act = np.stack([self._codes[self._key(row)] for row in x]).astype(np.float64)  # [n, bins, units]
        for iv in ivs:
            if isinstance(iv, Ablate):
                act[:, :, list(iv.units)] = 0.0
            elif isinstance(iv, Clamp):
                act[:, :, list(iv.units)] = iv.values() / self._n_bins
            elif isinstance(iv, Steer):
                act += iv.vector() / self._n_bins
            elif isinstance(iv, Patch):
                act[:, :, list(iv.units)] = iv.source.activity["hidden"][iv.index][:, list(iv.units)]
        outputs = act.sum(axis=1) @ self._readout
        sites = ["hidden"] if sites is None else list(sites)
        meta = {
            "model": self.name,
            "kind": self.kind,
            "threshold": 0.5,
            "bin_ms": self._bin_ms,
            "duration_ms": None if self._bin_ms is None else self._bin_ms * self._n_bins,
        }
        return Recording({s: act for s in sites}, outputs, meta=meta)


def monosemantic_digits(task, n_noise=10, seed=0):
    """Units 0..9 are exactly the one-hot class of each input; ``n_noise`` units are random and ignored."""
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    ys = np.concatenate([task.y_train, task.y_test])
    codes = [np.concatenate([np.eye(10)[y], rng.random(n_noise)])[None, :] for y in ys]
    readout = np.vstack([np.eye(10), np.zeros((n_noise, 10))])
    return PlantedModel(xs, codes, readout)


def bars_model(task, rotate=False, seed=0):
    """One unit per bar (monosemantic), or the same code under a random orthogonal rotation (superposition)."""
    n = task.n_factors
    q = np.linalg.qr(np.random.default_rng(seed).normal(size=(n, n)))[0] if rotate else np.eye(n)
    xs = np.concatenate([task.x_train, task.x_test])
    fs = np.concatenate([task.y_train, task.y_test]).astype(float)
    codes = [(f @ q)[None, :] for f in fs]
    readout = q.T * 0.8  # recovers 0.8 * factors: present bars score 0.8 > 0.5
    return PlantedModel(xs, codes, readout, kind="multilabel", name="rotated" if rotate else "monosemantic")


def random_model(task, n_units=30, seed=0):
    """Activity independent of the input: nothing to decode."""
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    codes = [rng.random((1, n_units)) for _ in xs]
    return PlantedModel(xs, codes, rng.normal(size=(n_units, task.n_outputs)))


def delayed_onset(task, onset_bin=5, n_bins=10, bin_ms=10.0, seed=0):
    """Class information appears only from bin ``onset_bin`` on (noise before): readable after onset."""
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    ys = np.concatenate([task.y_train, task.y_test])
    codes = []
    for y in ys:
        c = rng.random((n_bins, 10)) * 0.1
        c[onset_bin:, y] += 1.0
        codes.append(c)
    return PlantedModel(xs, codes, np.eye(10), bin_ms=bin_ms)


def repeated_inputs(n_distinct=120, n_repeats=4, n_classes=4, n_units=30, seed=0):
    """A task whose test set repeats each of ``n_distinct`` inputs ``n_repeats`` times, and a model that
    gives every distinct input its own random code (``[1, n_units]``, unrelated to the label).

    A probe that sees the same input in its training and test folds can memorise it; a probe
    grouped by input cannot, so its control accuracy is chance (1 / n_classes).
    """
    from comparisons.tasks import Task

    rng = np.random.default_rng(seed)
    distinct = rng.random((n_distinct, 16)).astype(np.float32)
    labels = rng.integers(0, n_classes, n_distinct)
    labels[:n_classes] = np.arange(n_classes)
    x_test = np.repeat(distinct, n_repeats, axis=0)
    y_test = np.repeat(labels, n_repeats)
    x_train = rng.random((50, 16)).astype(np.float32)
    y_train = np.arange(50) % n_classes
    task = Task.from_arrays(x_train, y_train, x_test, y_test, name="repeated")
    xs = np.concatenate([x_train, distinct])
    codes = [rng.random((1, n_units)) for _ in xs]
    return task, PlantedModel(xs, codes, rng.normal(size=(n_units, n_classes)), name="memorised")


def sparse_code(task, n_units=100, p_fire=0.03, selective=False, seed=0):
    """A sparse count code: each unit fires (count 1-3) on a share ``p_fire`` of inputs.

    ``selective=False``: independently of the input's class (a sparse random code, nothing
    to select). ``selective=True``: unit ``u`` fires only on class ``u % n_classes``, on a
    share ``p_fire * n_classes`` of that class's inputs (equally sparse, planted selectivity).
    """
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    ys = np.concatenate([task.y_train, task.y_test])
    n_classes = int(ys.max()) + 1
    pref = np.arange(n_units) % n_classes
    codes = []
    for y in ys:
        p = np.where(pref == y, p_fire * n_classes, 0.0) if selective else np.full(n_units, p_fire)
        codes.append((rng.random(n_units) < p) * rng.integers(1, 4, n_units)[None, :].astype(float))
    readout = np.eye(n_classes)[pref]
    return PlantedModel(xs, codes, readout, name="sparse-selective" if selective else "sparse-random")


def prototype_code(task, n_styles=3, noise=0.1, seed=0):
    """Several units per class, one per writing style: unit ``c * n_styles + s`` answers inputs of
    class ``c`` drawn in style ``s`` (the style is a fixed random draw per input), plus noise.

    No single unit answers a whole class (best single-unit AUC about ``0.5 + 0.5 / n_styles``),
    yet the class is exactly the OR of its ``n_styles`` units.
    """
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    ys = np.concatenate([task.y_train, task.y_test])
    n_classes = int(ys.max()) + 1
    codes = []
    for y in ys:
        c = rng.random(n_classes * n_styles) * noise
        c[y * n_styles + rng.integers(n_styles)] += 1.0
        codes.append(c[None, :])
    readout = np.repeat(np.eye(n_classes), n_styles, axis=0)
    return PlantedModel(xs, codes, readout, name="prototypes")


def distributed_code(task, n_units=100, noise=0.1, seed=0):
    """Each class is a random half of ``n_units`` units (activity 1, plus noise up to ``noise``), read by
    a matched filter (``2 * pattern - 1``): the class difference is spread over about n_units / 2 units."""
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    ys = np.concatenate([task.y_train, task.y_test])
    n_classes = int(ys.max()) + 1
    patterns = (rng.random((n_classes, n_units)) < 0.5).astype(float)
    codes = [(patterns[y] + rng.random(n_units) * noise)[None, :] for y in ys]
    return PlantedModel(xs, codes, (2 * patterns - 1).T, name="distributed")


def bars_with_distractors(task, n_extra=84, p_fire=0.2, seed=0):
    """Hebbian-like: one unit per bar (units recover every bar) among ``n_extra`` units that fire at
    random on a share ``p_fire`` of inputs (amplitude 1-2), which a small dictionary spends its atoms on."""
    rng = np.random.default_rng(seed)
    xs = np.concatenate([task.x_train, task.x_test])
    fs = np.concatenate([task.y_train, task.y_test]).astype(float)
    codes = [np.concatenate([f, (rng.random(n_extra) < p_fire) * (1 + rng.random(n_extra))])[None, :] for f in fs]
    readout = np.vstack([0.8 * np.eye(task.n_factors), np.zeros((n_extra, task.n_factors))])
    return PlantedModel(xs, codes, readout, kind="multilabel", name="distractors")


def bars_pairs(task):
    """Polysemantic: unit ``j`` answers bar ``j`` or bar ``j + 1`` (mod the number of bars): two factors per unit."""
    n = task.n_factors
    xs = np.concatenate([task.x_train, task.x_test])
    fs = np.concatenate([task.y_train, task.y_test]).astype(float)
    codes = [np.minimum(f + np.roll(f, -1), 1.0)[None, :] for f in fs]
    return PlantedModel(xs, codes, 0.8 * np.eye(n), kind="multilabel", name="pairs")
