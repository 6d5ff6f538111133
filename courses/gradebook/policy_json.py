"""JSON form of the rule data, so a school can store and correct it (e.g. in a JSONField of its settings).

`policy_to_dict(policy)` gives plain JSON types (Decimals as strings, enums as their slug values, tuples as lists).
`secondary_policy_from_dict(data)` / `primary_policy_from_dict(data)` read a *partial* object onto the defaults:
nested objects are merged key by key, lists replace the default list whole. Unknown keys and bad values raise
ValueError, and each dataclass re-validates itself (`__post_init__`).

    secondary_policy_from_dict({"regular": {"comment_only": 3}, "awards": {"excellent_min_average": "9.5"}})
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any, TypeVar

from courses.gradebook.rules_data import PrimaryPolicy, SecondaryPolicy

T = TypeVar("T")


def policy_to_dict(policy: object) -> Any:
    """Any rule dataclass (or value inside one) as JSON-ready data."""
    if dataclasses.is_dataclass(policy) and not isinstance(policy, type):
        return {f.name: policy_to_dict(getattr(policy, f.name)) for f in dataclasses.fields(policy)}
    if isinstance(policy, Enum):
        return policy.value
    if isinstance(policy, Decimal):
        return str(policy)
    if isinstance(policy, frozenset):
        return sorted(policy_to_dict(v) for v in policy)
    if isinstance(policy, tuple):
        return [policy_to_dict(v) for v in policy]
    return policy


def _convert(tp: Any, value: Any, where: str) -> Any:
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if origin in (types.UnionType, typing.Union):
        if value is None and type(None) in args:
            return None
        (inner,) = [a for a in args if a is not type(None)]
        return _convert(inner, value, where)
    if origin in (tuple, frozenset):
        if not isinstance(value, list | tuple):
            raise ValueError(f"{where}: expected a list")
        items = [_convert(args[0], v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else frozenset(items)
    if dataclasses.is_dataclass(tp):
        if not isinstance(value, Mapping):
            raise ValueError(f"{where}: expected an object")
        return _build(tp, value, None, where)
    if isinstance(tp, type) and issubclass(tp, Enum):
        try:
            return tp(value)
        except ValueError as error:
            allowed = ", ".join(str(m.value) for m in tp)
            raise ValueError(f"{where}: {value!r} is not one of {allowed}") from error
    if tp is Decimal:
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise ValueError(f"{where}: expected a number")
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValueError(f"{where}: {value!r} is not a number") from error
        if not number.is_finite():
            raise ValueError(f"{where}: {value!r} is not a number")
        return number
    if tp is str:
        if not isinstance(value, str):
            raise ValueError(f"{where}: expected a string")
        return value
    if tp is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{where}: expected true or false")
        return value
    if tp is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"{where}: expected an integer")
        return value
    raise TypeError(f"{where}: unsupported field type {tp!r}")  # pragma: no cover - a new field type in rules_data


def _build(cls: type[T], data: Mapping[str, Any], base: T | None, where: str) -> T:
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ValueError(f"{where or 'policy'}: unknown key(s) {', '.join(unknown)}")
    values: dict[str, Any] = {}
    for name in fields:
        path = f"{where}.{name}" if where else name
        current = getattr(base, name) if base is not None else None
        if name not in data:
            if base is not None:
                values[name] = current
            continue
        tp = hints[name]
        if dataclasses.is_dataclass(tp) and current is not None and isinstance(data[name], Mapping):
            values[name] = _build(tp, data[name], current, path)  # merge into the default object
        else:
            values[name] = _convert(tp, data[name], path)
    try:
        return cls(**values)
    except TypeError as error:  # a required field left out of a new row
        raise ValueError(f"{where or 'policy'}: {error}") from error


def secondary_policy_from_dict(data: Mapping[str, Any], base: SecondaryPolicy | None = None) -> SecondaryPolicy:
    """A TT 22 policy: `data` (partial) applied over `base` (default: the circular's values)."""
    return _build(SecondaryPolicy, data, base or SecondaryPolicy(), "")


def primary_policy_from_dict(data: Mapping[str, Any], base: PrimaryPolicy | None = None) -> PrimaryPolicy:
    """A TT 27 policy: `data` (partial) applied over `base` (default: the circular's values)."""
    return _build(PrimaryPolicy, data, base or PrimaryPolicy(), "")
