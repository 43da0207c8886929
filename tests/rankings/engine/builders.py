"""Small builders so that each test states only what it is about."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rankings.engine import (
    Figure,
    IndicatorInfo,
    Methodology,
    PreviousStanding,
    RaceResult,
    parse_methodology,
    run_race,
)


def leaf(indicator: str, method: str = "raw", weight: float = 1, **options: Any) -> dict:
    """A leaf spec; `params` go into the normalisation table, the rest onto the leaf."""
    params = options.pop("params", {})
    return {
        "indicator": indicator,
        "weight": weight,
        "normalisation": {"method": method, **params},
        **options,
    }


def dimension(code: str, *nodes: dict, weight: float = 1, **options: Any) -> dict:
    return {"code": code, "weight": weight, "nodes": list(nodes), **options}


def methodology(*nodes: dict, flags: list[dict] | None = None, **score: Any) -> Methodology:
    spec: dict[str, Any] = {"code": "test-race", "name": "Test race", "nodes": list(nodes)}
    if score:
        spec["score"] = score
    if flags:
        spec["flags"] = flags
    return parse_methodology(spec)


def race(
    method: Methodology,
    values: Mapping[str, Mapping[str, Any]],
    *,
    lower: tuple[str, ...] = (),
    previous: Mapping[str, PreviousStanding] | None = None,
    entrants: list[str] | None = None,
) -> RaceResult:
    """Run a race; values[district][indicator] is a number, None or a Figure."""
    figures = {}
    for district, by_indicator in values.items():
        for code, value in by_indicator.items():
            figures[(district, code)] = value if isinstance(value, Figure) else Figure(value)
    indicators = {
        code: IndicatorInfo(code, "lower" if code in lower else "higher")
        for code in method.indicator_codes
    }
    return run_race(
        method,
        entrants=entrants if entrants is not None else list(values),
        figures=figures,
        indicators=indicators,
        previous=previous,
    )


def normalised(result: RaceResult, indicator: str) -> dict[str, float | None]:
    return {s.district: s.indicators[indicator].normalised for s in result.standings}


def ranks(result: RaceResult) -> dict[str, int | None]:
    return {s.district: s.rank for s in result.standings}


def scores(result: RaceResult) -> dict[str, float | None]:
    return {s.district: s.score for s in result.standings}


def reasons(result: RaceResult, district: str, kind: str) -> list[dict]:
    return [r.params for r in result.standing(district).reasons if r.kind == kind]
