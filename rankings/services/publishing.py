"""Writes: computing a race and publishing its standings as immutable revisions."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from districts.periods import Period
from districts.services.review import values_lock
from rankings.errors import RaceConfigurationError
from rankings.models import Publication, Race, Standing
from rankings.selectors.publications import publication_current
from rankings.selectors.race_previews import race_compute, standing_rows


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
    if not any(figure.value is not None for figure in preview.inputs.figures.values()):
        raise RaceConfigurationError(
            [f"no approved values for {race.code} in {period.code}: nothing to publish"]
        )
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
    Standing.objects.bulk_create(standing_rows(preview=preview, publication=publication))
    # The figures the standings cite cannot change under them until a reviewer reopens them.
    values_lock(
        value_ids=[
            figure.ref["value_id"]
            for figure in preview.inputs.figures.values()
            if figure.ref is not None
        ],
        user=user,
    )
    return PublishResult(publication, True, current)
