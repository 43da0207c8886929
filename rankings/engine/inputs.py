"""What the caller feeds a race, and how a leaf's input is derived from an entered figure."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np


@dataclass(frozen=True)
class IndicatorInfo:
    code: str
    direction: str = "higher"  # "higher" | "lower": which way is better


@dataclass(frozen=True)
class Figure:
    """One district's entered figures for one indicator and period."""

    value: float | None
    last_year: float | None = None  # same period last year
    target: float | None = None  # annual target
    year_share: float | None = None  # share of the year elapsed at the end of the period, 0..1
    # Opaque JSON-serialisable citation of the value record (id, entered_by, entered_at,
    # period); the engine only copies it into results and reasons.
    ref: dict[str, Any] | None = None


@dataclass(frozen=True)
class PreviousStanding:
    """A district's standing in the previous race, for rank changes and their drivers."""

    rank: int | None
    contributions: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class DerivedInput:
    """A leaf's input for one district: the figure after the input kind and transform.

    `value` is the input as a person reads it (a growth rate in %, a completion in %);
    `transformed` is what normalisation sees (its log under transform "log"). `transformed`
    is None when the input is missing, and `cause` then says why.
    """

    value: float | None
    transformed: float | None
    cause: str | None = None


def _usable(x: float | None) -> bool:
    return x is not None and math.isfinite(x)


def _finite_or_overflow(result: float) -> tuple[float | None, str | None]:
    # A figure divided by a base near zero (last year 1e-307) overflows to infinity: no race
    # can rank it, so it is missing like a zero base, and says why.
    return (result, None) if math.isfinite(result) else (None, "overflow")


def derive_input(kind: str, figure: Figure | None) -> tuple[float | None, str | None]:
    """The input of the given kind, or (None, cause) when it cannot be computed."""
    if figure is None or not _usable(figure.value):
        return None, "no_value"
    value = float(figure.value)  # type: ignore[arg-type]
    if kind == "value":
        return value, None
    if kind == "growth":
        if not _usable(figure.last_year):
            return None, "no_last_year"
        if figure.last_year == 0:
            return None, "zero_last_year"
        return _finite_or_overflow((value / figure.last_year - 1.0) * 100.0)  # type: ignore[operator]
    if not _usable(figure.target):
        return None, "no_target"
    if figure.target == 0:
        return None, "zero_target"
    completion = value / figure.target * 100.0  # type: ignore[operator]
    if not math.isfinite(completion):
        return None, "overflow"
    if kind == "target_completion":
        return completion, None
    if kind == "progress":
        # "Time account vs task account": points ahead of (+) or behind (-) the year elapsed.
        if not _usable(figure.year_share):
            return None, "no_year_share"
        return completion - figure.year_share * 100.0, None  # type: ignore[operator]
    raise ValueError(f"unknown input kind {kind!r}")


def apply_transform(transform: str, value: float) -> tuple[float | None, str | None]:
    if transform == "none":
        return value, None
    if transform == "log":
        if value <= 0:
            return None, "not_loggable"
        return math.log(value), None
    raise ValueError(f"unknown transform {transform!r}")


def derive(kind: str, transform: str, figure: Figure | None) -> DerivedInput:
    value, cause = derive_input(kind, figure)
    if value is None:
        return DerivedInput(None, None, cause)
    transformed, cause = apply_transform(transform, value)
    # A non-loggable input keeps its value so that the reason can cite it.
    return DerivedInput(value, transformed, cause)


@dataclass(frozen=True)
class DerivedColumn:
    """`derive` for every district of a leaf at once.

    `shown[i]` is the input as a person reads it (None when it cannot be computed);
    `transformed[i]` what normalisation sees, valid where `has[i]`; `causes[i]` says why
    an input is missing or unusable.
    """

    shown: list[float | None]
    transformed: np.ndarray
    has: np.ndarray
    causes: list[str | None]


def floats(values: Sequence[float | None]) -> np.ndarray:
    """An array of the values, nan for None (so that "not finite" covers both)."""
    return np.array(values, dtype=float)  # numpy turns None into nan


def derive_column(
    kind: str,
    transform: str,
    figures: Sequence[Figure | None],
    entered: Sequence[Any] | None = None,
) -> DerivedColumn:
    """`derive` for every figure, with the same float operations in the same order.

    `entered`, when given, are the figures' values (None for no figure)."""
    if kind not in ("value", "growth", "target_completion", "progress"):
        raise ValueError(f"unknown input kind {kind!r}")
    if transform not in ("none", "log"):
        raise ValueError(f"unknown transform {transform!r}")
    causes: list[str | None] = [None] * len(figures)

    def refuse(where: np.ndarray, cause: str) -> None:
        for i in np.flatnonzero(where).tolist():
            causes[i] = cause

    if entered is None:
        entered = [f.value if f is not None else None for f in figures]
    value = floats(entered)
    ok = np.isfinite(value)
    refuse(~ok, "no_value")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if kind == "value":
            shown = value
        elif kind == "growth":
            last_year = floats([f.last_year if f is not None else None for f in figures])
            usable = np.isfinite(last_year)
            refuse(ok & ~usable, "no_last_year")
            refuse(ok & usable & (last_year == 0), "zero_last_year")
            ok &= usable & (last_year != 0)
            shown = (value / last_year - 1.0) * 100.0
        else:
            target = floats([f.target if f is not None else None for f in figures])
            usable = np.isfinite(target)
            refuse(ok & ~usable, "no_target")
            refuse(ok & usable & (target == 0), "zero_target")
            ok &= usable & (target != 0)
            shown = value / target * 100.0
            if kind == "progress":
                # Points ahead of (+) or behind (-) the year elapsed.
                share = floats([f.year_share if f is not None else None for f in figures])
                refuse(ok & ~np.isfinite(share), "no_year_share")
                ok &= np.isfinite(share)
                shown = shown - share * 100.0
    # A division by a base near zero overflows to infinity: missing, as in derive_input.
    refuse(ok & ~np.isfinite(shown), "overflow")
    ok &= np.isfinite(shown)
    shown_list: list[float | None] = shown.tolist()
    for i in np.flatnonzero(~ok).tolist():
        shown_list[i] = None
    if transform == "none":
        return DerivedColumn(shown_list, np.where(ok, shown, 0.0), ok, causes)
    # A non-loggable input keeps its shown value so that the reason can cite it.
    loggable = ok & (shown > 0)
    refuse(ok & ~loggable, "not_loggable")
    logs = [
        math.log(v) if keep else 0.0
        for v, keep in zip(shown.tolist(), loggable.tolist(), strict=True)
    ]
    return DerivedColumn(shown_list, np.array(logs, dtype=float), loggable, causes)
