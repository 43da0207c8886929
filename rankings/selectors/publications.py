"""Reads: published races and their standings."""

from __future__ import annotations

from districts.periods import Period
from rankings.engine import PreviousStanding
from rankings.models import Publication, Race


def publication_current(*, race: Race, period: Period) -> Publication | None:
    return (
        Publication.objects.filter(race=race, period=period.code, superseded_at__isnull=True)
        .select_related("methodology")
        .first()
    )


def previous_standings(*, race: Race, period: Period) -> dict[str, PreviousStanding] | None:
    """The standings of the race's current publication for the period before, if any."""
    publication = publication_current(race=race, period=period.previous())
    if publication is None:
        return None
    return {
        code: PreviousStanding(rank=rank, contributions=contributions)
        for code, rank, contributions in publication.standings.values_list(
            "district__code", "rank", "contributions"
        )
    }
