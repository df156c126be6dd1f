"""Frozen, validated config dataclasses (equinox style), shared by every package.

A config class is a ``@dataclass(frozen=True)`` that inherits :class:`Config`. After
``__init__`` every field is checked against its annotation (``int``, ``float``,
``bool``, ``str``, ``Literal[...]``, ``X | None``, ``tuple[X, ...]`` or a nested config),
ints are accepted where floats are expected, and then ``validate()`` checks values.
Every error is a :class:`ConfigError` whose message starts with ``key=value`` so that
an enclosing config can prefix its own key (``snn.n_neurons=-3 ...``).
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import inspect
import io
import math
import tokenize
import types
import typing
from typing import Any, ClassVar, Literal, get_args, get_origin

from .errors import ConfigError


@functools.cache
def type_hints(cls: type) -> types.MappingProxyType:
    """``typing.get_type_hints(cls)``, evaluated once per class (read-only). Annotations are strings
    here (``from __future__ import annotations``): evaluating them again for every config built and
    every key looked up dominated loading a large study (docs/performance.md)."""
    return types.MappingProxyType(typing.get_type_hints(cls))


def _type_name(tp: Any) -> str:
    origin = get_origin(tp)
    if origin is Literal:
        return "one of " + ", ".join(repr(a) for a in get_args(tp))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_type_name(a) for a in get_args(tp))
    if origin is tuple:
        return f"a list of {_type_name(get_args(tp)[0])}"
    if tp is type(None):
        return "none"
    return {int: "an integer", float: "a number", bool: "true or false", str: "a string"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def coerce(key: str, value: Any, tp: Any) -> Any:
    """Return ``value`` converted to the annotated type ``tp`` or raise ConfigError naming ``key``."""
    origin = get_origin(tp)
    bad = ConfigError(f"{key}={value!r} has the wrong type: expected {_type_name(tp)}")
    if tp is Any:
        return value
    if origin is Literal:
        if value in get_args(tp) and type(value) in {type(a) for a in get_args(tp)}:
            return value
        hint = ""
        if isinstance(value, str):
            close = difflib.get_close_matches(value, [a for a in get_args(tp) if isinstance(a, str)], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise ConfigError(f"{key}={value!r} is not allowed{hint}: use {_type_name(tp)}")
    if origin in (typing.Union, types.UnionType):
        for arg in get_args(tp):
            try:
                return coerce(key, value, arg)
            except ConfigError:
                continue
        raise bad
    if origin is tuple:
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            raise bad
        args = get_args(tp)
        item = args[0]
        return tuple(coerce(f"{key}[{i}]", v, item) for i, v in enumerate(value))
    if tp is type(None):
        if value is None:
            return None
        raise bad
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise bad
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise bad
    if tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = float(value)
            if math.isnan(value):
                raise ConfigError(f"{key}=nan is not allowed: give a finite number")
            return value
        raise bad
    if tp is str:
        if isinstance(value, str):
            return value
        raise bad
    if isinstance(tp, type) and dataclasses.is_dataclass(tp):
        if isinstance(value, tp):
            return value
        raise bad
    raise TypeError(f"unsupported config annotation {tp!r} for {key}")  # a programming error


class Config:
    """Mixin for frozen config dataclasses: type checks every field, then calls ``validate``.

    ``RUN_OPTIONS`` names the fields that change how a fitted model is *run* (backend, device,
    numerics, batch size, ...), not what it learns: they are left out of :meth:`model_dict`,
    the part of a config that identifies a trained model (the cache key).
    """

    RUN_OPTIONS: ClassVar[tuple[str, ...]] = ()

    def __post_init__(self) -> None:
        hints = type_hints(type(self))
        for f in dataclasses.fields(self):
            value = coerce(f.name, getattr(self, f.name), hints[f.name])
            object.__setattr__(self, f.name, value)
        self.validate()

    def validate(self) -> None:
        """Check values (ranges, consistency); override in subclasses."""

    def replace(self, **changes: Any):
        return dataclasses.replace(self, **changes)

    def model_dict(self) -> dict[str, Any]:
        """:meth:`to_dict` without the run options: what identifies a trained model."""
        return {k: v for k, v in self.to_dict().items() if k not in self.RUN_OPTIONS}

    def run_options(self) -> dict[str, Any]:
        """The run options of this config (see the class docstring)."""
        return {k: getattr(self, k) for k in self.RUN_OPTIONS}

    def __repr__(self) -> str:
        """Only the fields that differ from the defaults, e.g. ``SNNConfig(n_neurons=100)``."""
        changed = [
            f"{f.name}={getattr(self, f.name)!r}"
            for f in dataclasses.fields(self)
            if f.default is not dataclasses.MISSING and getattr(self, f.name) != f.default
        ]
        return f"{type(self).__name__}({', '.join(changed)})"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Config):
                value = value.to_dict()
            elif isinstance(value, tuple):
                value = list(value)
            out[f.name] = value
        return out


def require(condition: bool, key: str, value: Any, allowed: str) -> None:
    """Raise ``ConfigError("key=value is not allowed: <allowed>")`` unless ``condition``."""
    if not condition:
        raise ConfigError(f"{key}={value!r} is not allowed: {allowed}")


def require_positive(key: str, value: float) -> None:
    require(value > 0 and math.isfinite(value), key, value, "must be a finite number > 0")


def require_nonnegative(key: str, value: float) -> None:
    require(value >= 0 and math.isfinite(value), key, value, "must be a finite number >= 0")


def require_probability(key: str, value: float) -> None:
    require(0.0 <= value <= 1.0, key, value, "must be a probability in [0, 1]")


def field_docs(cls) -> dict[str, str]:
    """Each field's comment in the class source (``name: type = default  # meaning``)."""
    try:
        source = inspect.getsource(cls)
    except (OSError, TypeError):
        return {}
    names = {f.name for f in dataclasses.fields(cls)}
    docs: dict[str, str] = {}
    current = None
    for tok in tokenize.generate_tokens(io.StringIO(source).readline):
        if tok.type == tokenize.NAME and tok.start[1] == 4 and tok.string in names:
            current = tok.string
        elif tok.type == tokenize.COMMENT and current is not None and current not in docs:
            docs[current] = tok.string.lstrip("# ").strip()
        elif tok.type == tokenize.NEWLINE:
            current = None
    return docs


def unit_of(name: str) -> str:
    """The unit a field's name carries (``_ms``, ``_mv``, ``_hz``), or ``""``."""
    for suffix, unit in (("_ms", "ms"), ("_mv", "mV"), ("_hz", "Hz")):
        if name.endswith(suffix):
            return unit
    return ""


def describe(cls) -> list[tuple[str, str, str, str]]:
    """``(field, default, unit, meaning)`` for every field of a config class."""
    docs = field_docs(cls)
    rows = []
    for f in dataclasses.fields(cls):
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        if isinstance(default, Config):
            continue
        rows.append((f.name, repr(default), unit_of(f.name), docs.get(f.name, "")))
    return rows


def document_fields(cls):
    """Class decorator: append every field (default, unit, meaning) to the docstring, for ``help()``."""
    lines = ["", "Fields (default, unit: meaning; run options do not change what is learned):", ""]
    for name, default, unit, doc in describe(cls):
        run = " [run option]" if name in cls.RUN_OPTIONS else ""
        lines.append(f"- ``{name}`` = {default}{' ' + unit if unit else ''}{run}: {doc}")
    cls.__doc__ = (cls.__doc__ or cls.__name__).rstrip() + "\n" + "\n".join(lines) + "\n"
    return cls
