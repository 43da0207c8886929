"""Reads: published races and their standings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from districts.periods import Period
from rankings.engine import PreviousStanding
from rankings.models import Publication, Race, Standing

# A standing's stored content (everything but its id, publication and district).
STANDING_FIELDS = (
    "rank",
    "tied",
    "score",
    "ranking_score",
    "coverage",
    "flags",
    "rank_change",
    "movement",
    "contributions",
    "indicators",
    "reasons",
)


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


@dataclass(frozen=True)
class PublicationFingerprint:
    """What identifies a publication across databases: its inputs and its standings."""

    race: str
    period: str
    revision: int
    fingerprint: str  # of the inputs, stored when published
    standings: str  # SHA-256 of the stored standings, district by district

    def line(self) -> str:
        return f"{self.race} {self.period} r{self.revision} {self.fingerprint} {self.standings}"


def publication_fingerprints() -> list[PublicationFingerprint]:
    """Every publication, in race, period and revision order (comparable between databases)."""
    digests: dict = {}  # publication id -> running SHA-256 of its standings
    rows = (
        Standing.objects.order_by("publication_id", "district__code")
        .values_list("publication_id", "district__code", *STANDING_FIELDS)
        .iterator(chunk_size=2000)
    )
    for publication_id, *row in rows:
        digest = digests.setdefault(publication_id, hashlib.sha256())
        digest.update(json.dumps(row, sort_keys=True, separators=(",", ":")).encode() + b"\n")
    empty = hashlib.sha256().hexdigest()
    return [
        PublicationFingerprint(
            race=race,
            period=period,
            revision=revision,
            fingerprint=fingerprint,
            standings=digests[pk].hexdigest() if pk in digests else empty,
        )
        for pk, race, period, revision, fingerprint in Publication.objects.order_by(
            "race__code", "period", "revision"
        ).values_list("pk", "race__code", "period", "revision", "fingerprint")
    ]

