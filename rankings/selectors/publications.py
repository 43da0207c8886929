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


def previous_standings(*, publication: Publication | None) -> dict[str, PreviousStanding] | None:
    """A publication's standings as the engine's baseline for rank changes (None: no baseline)."""
    if publication is None:
        return None
    return {
        code: PreviousStanding(rank=rank, contributions=contributions)
        for code, rank, contributions in publication.standings.values_list(
            "district__code", "rank", "contributions"
        )
    }
