"""Readers for one value of a spec: each checks it, records a problem naming its path, and
returns None (or the default) when it is invalid, so that parsing can go on and report every
problem at once."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def at(path: str, key: str | int) -> str:
    """The path of a key or index below `path`: "nodes[1].weight"."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def choices(options: Sequence[str]) -> str:
    return ", ".join(repr(option) for option in options)


def is_number(value: Any) -> bool:
    # bool is an int subclass; "weight = true" is a mistake, not 1.
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class SpecReader:
    def __init__(self) -> None:
        self.problems: list[str] = []

    def problem(self, path: str, message: str) -> None:
        self.problems.append(f"{path or '(root)'}: {message}")

    def table(self, value: Any, path: str, allowed: Sequence[str]) -> Mapping[str, Any] | None:
        if not isinstance(value, Mapping):
            self.problem(path, f"expected a table, got {type(value).__name__}")
            return None
        for key in value:
            if key not in allowed:
                self.problem(
                    at(path, str(key)), f"unknown key (expected one of {choices(allowed)})"
                )
        return value

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        required: bool = False,
        slug: bool = False,
    ) -> str | None:
        where = at(path, key)
        if key not in table:
            if required:
                self.problem(where, "required")
            return None
        value = table[key]
        if not isinstance(value, str) or not value.strip():
            self.problem(where, "expected a non-empty string")
            return None
        if slug and not SLUG.match(value):
            self.problem(where, f"{value!r} is not a slug (lowercase letters, digits, - and _)")
            return None
        return value

    def choice(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        options: Sequence[str],
        default: str | None,
        what: str = "value",
    ) -> str | None:
        if key not in table:
            return default
        value = table[key]
        if not isinstance(value, str) or value not in options:
            self.problem(
                at(path, key), f"unknown {what} {value!r} (expected one of {choices(options)})"
            )
            return default
        return value

    def number(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: float | None = None,
        positive: bool = False,
        lo: float | None = None,
        hi: float | None = None,
    ) -> float | None:
        if key not in table:
            return default
        value = table[key]
        where = at(path, key)
        if not is_number(value):
            self.problem(where, f"expected a number, got {value!r}")
            return default
        if positive and value <= 0:
            self.problem(where, f"must be greater than 0, got {value!r}")
            return default
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self.problem(where, f"must be between {lo} and {hi}, got {value!r}")
            return default
        return float(value)

    def integer(
        self,
        table: Mapping[str, Any],
        key: str,
        path: str,
        *,
        default: int | None,
        lo: int,
        hi: int | None = None,
    ) -> int | None:
        if key not in table:
            return default
        value = table[key]
        where = at(path, key)
        if not isinstance(value, int) or isinstance(value, bool):
            self.problem(where, f"expected an integer, got {value!r}")
            return default
        if value < lo or (hi is not None and value > hi):
            bound = f"between {lo} and {hi}" if hi is not None else f"at least {lo}"
            self.problem(where, f"must be {bound}, got {value}")
            return default
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list | tuple):
            self.problem(path, f"expected an array, got {type(value).__name__}")
            return []
        return list(value)
