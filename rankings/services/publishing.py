"""Writes: computing a race and publishing its standings as immutable revisions."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import orjson
from django.db import connection, transaction
from django.utils import timezone

from districts.periods import Period
from districts.services.review import values_lock
from rankings.engine import cycle_collection_paused
from rankings.entered_values import EnteredValues, indicators_details
from rankings.errors import RaceConfigurationError
from rankings.models import Publication, Race, Standing
from rankings.selectors.publications import publication_current
from rankings.selectors.race_inputs import race_cited_values
from rankings.selectors.race_previews import (
    RacePreview,
    preview_entered_values,
    race_prepare,
    race_run,
    standing_rows,
)
from rankings.services.explanations import explanations_at_publish


@dataclass(frozen=True)
class PublishResult:
    publication: Publication
    created: bool
    superseded: Publication | None


@transaction.atomic
def standings_publish(*, race: Race, period: Period, user=None) -> PublishResult:
    """Store an immutable snapshot of the race's standings for the period.

    Publishing the same inputs again returns the current publication unchanged (recognised
    by the inputs' fingerprint before anything is computed); after a correction a new
    revision is stored and the old one is marked superseded (kept).
    """
    # Lock the race row so two publishers of the same race cannot both add a revision.
    race = Race.objects.select_for_update().get(pk=race.pk)
    # A national race builds a few hundred thousand small objects and no cycles.
    with cycle_collection_paused():
        prepared = race_prepare(race=race, period=period)
        if not any(figure.value is not None for figure in prepared.inputs.figures.values()):
            raise RaceConfigurationError(
                [f"no approved values for {race.code} in {period.code}: nothing to publish"]
            )
        current = publication_current(race=race, period=period)
        if current is not None and current.fingerprint == prepared.fingerprint:
            return PublishResult(current, False, None)
        preview = race_run(prepared)
        last_revision = (
            Publication.objects.filter(race=race, period=period.code)
            .order_by("-revision")
            .values_list("revision", flat=True)
            .first()
        )
        if current is not None:
            # Retire the old revision first: the database allows one current revision.
            current.superseded_at = timezone.now()
            current.save(update_fields=["superseded_at"])
        entered = preview_entered_values(preview)
        publication = Publication.objects.create(
            race=race,
            period=period.code,
            revision=(last_revision or 0) + 1,
            methodology=preview.version,
            fingerprint=preview.fingerprint,
            contribution_scale=preview.result.contribution_scale,
            published_by=user,
            supersedes=current,
            entered_values=entered.summary,
        )
        # The figures the standings cite cannot change under them until a reviewer reopens them.
        cited = race_cited_values(race=race, period=period, methodology=prepared.methodology)
        if connection.vendor == "postgresql":
            _standings_copy_while_locking(
                preview=preview, publication=publication, entered=entered, cited=cited, user=user
            )
        else:
            Standing.objects.bulk_create(standing_rows(preview=preview, publication=publication))
            values_lock(values=cited, user=user)
        explanations_at_publish(publication=publication, preview=preview)
    return PublishResult(publication, True, current)


# The columns of a standing as the COPY below writes them, in order.
_STANDING_COLUMNS = (
    "publication_id",
    "district_id",
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


def _json(value) -> str:
    # orjson: the standard encoder spends over a second on a national race's 58 MB; a
    # str, not bytes, so that COPY quotes it as text.
    return orjson.dumps(value, option=orjson.OPT_SERIALIZE_NUMPY).decode()


def _standings_copy_while_locking(
    *,
    preview: RacePreview,
    publication: Publication,
    entered: EnteredValues,
    cited,
    user,
) -> None:
    """Lock the cited figures and write the standings by COPY, the two overlapped.

    Locking a national race's 110,000 figures (their UPDATE and a history row each) keeps
    PostgreSQL busy for one to two seconds while this process only waits, and turning its
    2,844 standings into rows of JSON (about 60 MB) is a second of Python that needs no
    database: a worker thread makes the rows meanwhile (the wait releases the GIL). Only
    this thread touches the connection, so both stay in the publishing transaction.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="standing-rows") as worker:
        rows = worker.submit(_standing_copy_rows, preview, entered)
        values_lock(values=cited, user=user)
        copy_rows = rows.result()
    quote = connection.ops.quote_name
    table = quote(Standing._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY {table} ({', '.join(map(quote, _STANDING_COLUMNS))}) FROM STDIN"
        ) as copy,
    ):
        for row in copy_rows:
            copy.write_row((publication.pk, *row))


def _standing_copy_rows(preview: RacePreview, entered: EnteredValues) -> list[tuple]:
    """Each standing as its COPY row after the publication's id. The JSON is what
    JSONField would store (PostgreSQL keeps it as jsonb either way)."""
    districts = preview.inputs.districts
    standings = preview.result.standings
    return [
        (
            districts[standing.district].pk,
            standing.rank,
            standing.tied,
            standing.score,
            standing.ranking_score,
            standing.coverage,
            _json(list(standing.flags)),
            standing.rank_change,
            standing.movement,
            _json(dict(standing.contributions)),
            _json(details),
            _json([reason.to_dict() for reason in standing.reasons]),
        )
        for standing, details in zip(standings, indicators_details(standings, entered), strict=True)
    ]
