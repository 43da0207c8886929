"""Writes: loading race methodologies and publishing standings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from districts.models import Group, Indicator
from districts.periods import Period
from rankings.engine import (
    Methodology,
    MethodologyError,
    RaceResult,
    parse_methodology,
    run_race,
)
from rankings.models import MethodologyVersion, Publication, Race, Standing
from rankings.selectors import RaceInputs, previous_standings, publication_current, race_inputs


class RaceConfigurationError(ValueError):
    """A methodology that cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


@dataclass(frozen=True)
class RaceLoadResult:
    race: Race
    version: MethodologyVersion
    created_race: bool
    created_version: bool


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


@transaction.atomic
def race_load(*, spec: dict[str, Any], user=None, note: str = "") -> RaceLoadResult:
    """Create or update a race from a methodology spec.

    A new methodology version is added only when the spec differs from the current one, so
    loading the same file twice changes nothing; published versions are never edited.
    """
    methodology = methodology_validate(spec)
    race, created_race = Race.objects.update_or_create(
        code=methodology.code,
        defaults={
            "name": methodology.name,
            "name_en": methodology.name_en or "",
            "group": Group.objects.get(code=methodology.group),
            "description": methodology.description or "",
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


@dataclass(frozen=True)
class RacePreview:
    """A computed race that is not (or not yet) published."""

    race: Race
    period: Period
    version: MethodologyVersion
    inputs: RaceInputs
    result: RaceResult
    fingerprint: str
    previous_publication: Publication | None


def race_compute(*, race: Race, period: Period) -> RacePreview:
    version = race.current_methodology
    if version is None:
        raise RaceConfigurationError([f"race {race.code!r} has no methodology yet"])
    methodology = parse_methodology(version.spec)
    inputs = race_inputs(race=race, period=period, methodology=methodology)
    previous_publication = publication_current(race=race, period=period.previous())
    result = run_race(
        methodology,
        entrants=inputs.entrants,
        figures=inputs.figures,
        indicators=inputs.indicator_infos,
        previous=previous_standings(race=race, period=period),
    )
    fingerprint = inputs_fingerprint(
        version=version, period=period, inputs=inputs, previous=previous_publication
    )
    return RacePreview(race, period, version, inputs, result, fingerprint, previous_publication)


def inputs_fingerprint(
    *,
    version: MethodologyVersion,
    period: Period,
    inputs: RaceInputs,
    previous: Publication | None,
) -> str:
    """A SHA-256 of everything that decides the standings, so a re-run can be recognised."""
    figures = sorted(
        [district, indicator, figure.value, figure.last_year, figure.target, figure.year_share]
        for (district, indicator), figure in inputs.figures.items()
    )
    payload = {
        "methodology": version.spec,
        "version": [version.race_id, version.number],
        "period": period.code,
        "entrants": list(inputs.entrants),
        "directions": {code: i.direction for code, i in sorted(inputs.indicators.items())},
        "figures": figures,
        "previous": previous.pk if previous else None,
    }
    encoded = json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(encoded.encode()).hexdigest()


@dataclass(frozen=True)
class PublishResult:
    publication: Publication
    created: bool
    superseded: Publication | None


@transaction.atomic
def standings_publish(*, race: Race, period: Period, user=None) -> PublishResult:
    """Store an immutable snapshot of the race's standings for the period.

    Publishing the same inputs again returns the current publication unchanged; after a
    correction a new revision is stored and the old one is marked superseded (kept).
    """
    # Lock the race row so two publishers of the same race cannot both add a revision.
    race = Race.objects.select_for_update().get(pk=race.pk)
    preview = race_compute(race=race, period=period)
    current = publication_current(race=race, period=period)
    if current is not None and current.fingerprint == preview.fingerprint:
        return PublishResult(current, False, None)
    last_revision = (
        Publication.objects.filter(race=race, period=period.code)
        .order_by("-revision")
        .values_list("revision", flat=True)
        .first()
    )
    if current is not None:
        # Retire the old revision first: the database allows one current revision per period.
        current.superseded_at = timezone.now()
        current.save(update_fields=["superseded_at"])
    publication = Publication.objects.create(
        race=race,
        period=period.code,
        revision=(last_revision or 0) + 1,
        methodology=preview.version,
        fingerprint=preview.fingerprint,
        contribution_scale=preview.result.contribution_scale,
        published_by=user,
        supersedes=current,
    )
    Standing.objects.bulk_create(_standing_rows(publication=publication, preview=preview))
    return PublishResult(publication, True, current)


def _standing_rows(*, publication: Publication, preview: RacePreview) -> list[Standing]:
    rows = []
    for standing in preview.result.standings:
        data = standing.to_dict()
        rows.append(
            Standing(
                publication=publication,
                district=preview.inputs.districts[standing.district],
                rank=standing.rank,
                tied=standing.tied,
                score=standing.score,
                ranking_score=standing.ranking_score,
                coverage=standing.coverage,
                flags=list(standing.flags),
                rank_change=standing.rank_change,
                movement=standing.movement,
                contributions=data["contributions"],
                indicators=data["indicators"],
                reasons=data["reasons"],
            )
        )
    return rows
