"""Methodology files: the TOML a user writes, read into a spec dict and written back."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import tomli_w


class MethodologyFileError(ValueError):
    """A methodology file that is not readable TOML."""


def methodology_from_toml(text: str, *, source: str = "methodology") -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MethodologyFileError(f"{source}: not valid TOML: {error}") from error


def methodology_from_file(path: str | Path) -> dict[str, Any]:
    path = Path(path)
    if "\x00" in str(path):
        # open() would raise ValueError, not OSError: no file name holds a NUL byte.
        raise MethodologyFileError(f"{str(path)!r}: cannot be read: a file name holds no NUL byte")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise MethodologyFileError(f"{path}: cannot be read: {error.strerror}") from error
    return methodology_from_toml(text, source=str(path))


def methodology_to_toml(spec: dict[str, Any]) -> str:
    return tomli_w.dumps(_without_nones(spec))


def _without_nones(data: Any) -> Any:
    # TOML has no null; the engine's normalised spec leaves unset options out anyway.
    if isinstance(data, dict):
        return {key: _without_nones(value) for key, value in data.items() if value is not None}
    if isinstance(data, list):
        return [_without_nones(item) for item in data]
    return data
