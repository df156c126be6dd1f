"""Foldiak's bars: images that are the OR of independently present horizontal and vertical bars.

With ``disjoint=True`` (the default) no test image occurs in training, so a score measures
generalisation to new combinations of known bars rather than memory. The test set is drawn
exactly as with ``disjoint=False`` (each bar Bernoulli(p), independently); the training set is
drawn from the same distribution conditioned on the image not being a test image (rejection).
Common images (the empty one, single bars) therefore tend to be test-only: the training set's
bar frequencies sit slightly above ``p``.
"""

from __future__ import annotations

import numpy as np

from probes.support import DataError

from .task import Task


def bar_images(k: int) -> np.ndarray:
    """``[2k, k*k]`` the image of each bar alone: rows 0..k-1 horizontal, k..2k-1 vertical."""
    bars = np.zeros((2 * k, k, k), np.float32)
    for i in range(k):
        bars[i, i, :] = 1.0
        bars[k + i, :, i] = 1.0
    return bars.reshape(2 * k, k * k)


def make_bars(n: int, *, k: int = 8, p: float = 1 / 8, seed) -> tuple[np.ndarray, np.ndarray]:
    """Foldiak's bars: ``n`` images ``[n, k*k]`` (the OR of their bars) and factors ``[n, 2k]``.

    ``seed`` is an integer or a ``numpy.random.Generator`` (drawn from in place).
    """
    rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    factors = (rng.random((n, 2 * k)) < p).astype(np.int64)
    images = np.minimum(factors @ bar_images(k), 1.0).astype(np.float32)
    return images, factors


def image_keys(images: np.ndarray) -> list[bytes]:
    """One hashable key per binary image ``[n, n_pixels]``: its packed bits."""
    return [row.tobytes() for row in np.packbits(images > 0.5, axis=1)]


def make_bars_avoiding(n: int, avoid: set[bytes], *, k: int, p: float, seed: int, max_draws: int | None = None):
    """``n`` bars images (and factors) drawn as by :func:`make_bars` but rejecting any image in ``avoid``."""
    rng = np.random.default_rng(seed)
    max_draws = max_draws if max_draws is not None else 200 * n + 10_000
    xs, fs, kept, drawn = [], [], 0, 0
    while kept < n:
        if drawn >= max_draws:
            raise DataError(
                f"bars: only {kept} of n_train={n} training images avoid the test images after {drawn} draws "
                f"(k={k}, p={p:g} give too few distinct images): raise k, move p away from 0 and 1, "
                "or pass disjoint=False"
            )
        batch = max(64, 2 * (n - kept))
        x, f = make_bars(batch, k=k, p=p, seed=rng)
        drawn += batch
        ok = np.array([key not in avoid for key in image_keys(x)])
        xs.append(x[ok])
        fs.append(f[ok])
        kept += int(ok.sum())
    return np.concatenate(xs)[:n], np.concatenate(fs)[:n]


def load_bars_task(
    *, k: int = 8, p: float = 1 / 8, n_train: int = 2000, n_test: int = 500, seed: int = 0, disjoint: bool = True
) -> Task:
    """Foldiak's bars, ``k x k``: each of the ``2k`` bars present independently with probability ``p``.

    Labels and factors are the bars present (multilabel), exact by construction. ``disjoint``:
    no training image equals a test image (see the module docstring); ``False`` draws both sets
    independently, so common images occur in both.
    """
    for key, v in (("k", k), ("n_train", n_train), ("n_test", n_test)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v <= 0:
            raise DataError(f"bars {key}={v!r} must be a positive integer")
    if not 0 <= p <= 1:
        raise DataError(f"bars p={p!r} must be a probability in [0, 1]")
    if not isinstance(disjoint, (bool, np.bool_)):
        raise DataError(f"bars disjoint={disjoint!r} must be true or false")
    ss = np.random.SeedSequence(seed)
    s_train, s_test = (int(s.generate_state(1)[0]) for s in ss.spawn(2))
    x_te, y_te = make_bars(n_test, k=k, p=p, seed=s_test)
    if disjoint:
        x_tr, y_tr = make_bars_avoiding(n_train, set(image_keys(x_te)), k=k, p=p, seed=s_train)
    else:
        x_tr, y_tr = make_bars(n_train, k=k, p=p, seed=s_train)
    names = [f"row {i}" for i in range(k)] + [f"col {i}" for i in range(k)]
    return Task.from_arrays(
        x_tr,
        y_tr,
        x_te,
        y_te,
        name="bars",
        image_shape=(k, k),
        factor_names=names,
        class_names=names,
        description=f"Foldiak's bars {k}x{k}, p={p:g}" + (", test images unseen in training" if disjoint else ""),
    )
