"""Model files: named arrays plus JSON meta in one ``.npz``, written atomically, read without pickles."""

from __future__ import annotations

import io
import json
import os
import zipfile

import numpy as np

from .atomic import atomic_open
from .errors import DataError


def save_arrays(path: str | os.PathLike, fmt: str, meta: dict, arrays: dict[str, np.ndarray]) -> None:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, format=np.array(fmt), meta=np.array(json.dumps(meta, sort_keys=True)), **arrays)
    with atomic_open(path, "wb") as handle:
        handle.write(buffer.getvalue())


def load_arrays(path: str | os.PathLike, fmt: str, what: str = "model file") -> tuple[dict, dict[str, np.ndarray]]:
    """Read a file of format ``fmt``; anything else (missing, truncated, pickled, foreign) is a DataError."""
    name = os.fspath(path)
    try:
        with open(path, "rb") as f:
            head = f.read(4)
    except FileNotFoundError:
        raise DataError(f"{what} {name!r} does not exist: check the path") from None
    except OSError as exc:
        raise DataError(f"{what} {name!r} cannot be read ({exc.strerror}): check the path") from None
    if head != b"PK\x03\x04":  # np.load would try to unpickle anything that is not a zip or .npy
        raise DataError(f"{what} {name!r} is corrupt or truncated (not an .npz archive): save it again")
    try:
        with np.load(path, allow_pickle=False) as data:
            files = {k: data[k] for k in data.files}
    except ValueError as exc:
        what_ = "holds pickled objects, which are refused" if "pickle" in str(exc) else f"is corrupt ({exc})"
        raise DataError(f"{what} {name!r} {what_}: save it again without object arrays") from None
    except (OSError, EOFError, zipfile.BadZipFile, KeyError) as exc:
        raise DataError(f"{what} {name!r} is corrupt or truncated ({type(exc).__name__}): save it again") from None
    if str(files.get("format", "")) != fmt:
        raise DataError(f"file {name!r} is not a {fmt} file: load it with the class that saved it")
    try:
        meta = json.loads(str(files.pop("meta")))
    except (KeyError, ValueError):
        raise DataError(f"{what} {name!r} has no readable meta: save it again") from None
    files.pop("format")
    return meta, files


def split_prefix(arrays: dict[str, np.ndarray], prefix: str) -> dict[str, np.ndarray]:
    return {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
