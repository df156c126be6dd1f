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
import math
import types
import typing
from typing import Any, Literal, get_args, get_origin

from .errors import ConfigError


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
        raise ConfigError(f"{key}={value!r} is not allowed: use {_type_name(tp)}")
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
    """Mixin for frozen config dataclasses: type checks every field, then calls ``validate``."""

    def __post_init__(self) -> None:
        hints = typing.get_type_hints(type(self))
        for f in dataclasses.fields(self):
            value = coerce(f.name, getattr(self, f.name), hints[f.name])
            object.__setattr__(self, f.name, value)
        self.validate()

    def validate(self) -> None:
        """Check values (ranges, consistency); override in subclasses."""

    def replace(self, **changes: Any):
        return dataclasses.replace(self, **changes)

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
