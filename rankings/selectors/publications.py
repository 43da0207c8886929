"""Reads: published races and their standings."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache

from config.db_routers import PRIMARY, replica_alias
from districts.models import District
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


def _standings_cache_key(publication: Publication) -> str:
    # The id and revision name a publication; its fingerprint and publishing time make sure a
    # database restored to an older state, which hands the same id to a new publication,
    # cannot meet the old one's entry.
    stamp = publication.published_at.timestamp()
    return (
        f"publication-standings:v1:{publication.pk}:r{publication.revision}:"
        f"{publication.fingerprint[:16]}:{stamp:.6f}"
    )


def publication_standings_cached(*, publication: Publication) -> list[Standing]:
    """A publication's standings, best rank first (unranked last), with their districts.

    Standings never change once published, so their stored fields are cached under the
    publication's id and revision with no expiry (a hit can never be stale) and read from
    the read replica when there is one. Districts, whose names and kinds staff may edit, are
    read from the primary every time. Sentences and labels are not cached: they depend on
    the reader's language and on indicator names, and are built by the page.
    """
    key = _standings_cache_key(publication)
    rows = cache.get(key)
    if rows is None:
        rows = _standings_fields(publication, using=replica_alias())
        if not rows:
            # A replica that has not yet replayed the publication shows none of its standings
            # (they are written in one transaction with it): ask the primary.
            rows = _standings_fields(publication, using=PRIMARY)
        if rows:
            cache.set(key, rows, timeout=None)
    districts = District.objects.in_bulk({row["district_id"] for row in rows})
    standings = [
        Standing(publication=publication, district=districts[row["district_id"]], **row)
        for row in rows
    ]
    return sorted(
        standings,
        key=lambda s: (s.rank is None, s.rank or 0, s.district.order, s.district.code),
    )


def _standings_fields(publication: Publication, *, using: str) -> list[dict]:
    return list(
        Standing.objects.using(using)
        .filter(publication_id=publication.pk)
        .values("pk", "district_id", *STANDING_FIELDS)
    )
