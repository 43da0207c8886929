"""Writes: creating races and their methodology versions from a methodology spec."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from districts.models import Group
from rankings.models import MethodologyVersion, Race
from rankings.selectors.methodologies import methodology_validate


@dataclass(frozen=True)
class RaceLoadResult:
    race: Race
    version: MethodologyVersion
    created_race: bool
    created_version: bool


@transaction.atomic
def race_load(
    *,
    spec: dict[str, Any],
    user=None,
    note: str = "",
    active: bool | None = None,
    order: int | None = None,
) -> RaceLoadResult:
    """Create or update a race from a methodology spec.

    A new methodology version is added only when the spec differs from the current one, so
    loading the same file twice changes nothing; published versions are never edited.
    ``active`` and ``order`` (how the race is listed, not part of the methodology) are set
    when given and otherwise left as they are.
    """
    methodology = methodology_validate(spec)
    listing = {
        name: value for name, value in (("active", active), ("order", order)) if value is not None
    }
    race, created_race = Race.objects.update_or_create(
        code=methodology.code,
        defaults={
            "name": methodology.name,
            "name_en": methodology.name_en or "",
            "group": Group.objects.get(code=methodology.group),
            "description": methodology.description or "",
            **listing,
        },
    )
    normalised = methodology.to_dict()
    current = race.current_methodology
    if current is not None and current.spec == normalised:
        return RaceLoadResult(race, current, created_race, False)
    version = MethodologyVersion.objects.create(
        race=race,
        number=(current.number + 1) if current else 1,
        spec=normalised,
        note=note,
        created_by=user,
    )
    return RaceLoadResult(race, version, created_race, True)
