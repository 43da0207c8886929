"""Reads: checking a methodology spec against the database before it is loaded."""

from __future__ import annotations

from typing import Any

from districts.models import Group, Indicator
from rankings.engine import Methodology, MethodologyError, parse_methodology
from rankings.errors import RaceConfigurationError


def methodology_validate(spec: dict[str, Any]) -> Methodology:
    """Parse a spec and check it against the database: its group and indicators must exist."""
    try:
        methodology = parse_methodology(spec)
    except MethodologyError as error:
        raise RaceConfigurationError(list(error.problems)) from error
    problems = []
    if not methodology.group:
        problems.append("group: required (the code of the group whose districts race)")
    elif not Group.objects.filter(code=methodology.group).exists():
        problems.append(f"group: unknown group {methodology.group!r}")
    known = set(
        Indicator.objects.filter(code__in=methodology.indicator_codes).values_list(
            "code", flat=True
        )
    )
    for code in methodology.indicator_codes:
        if code not in known:
            problems.append(f"indicator {code!r}: no such indicator")
    if problems:
        raise RaceConfigurationError(problems)
    return methodology
