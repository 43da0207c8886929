"""Reads for the leaderboard page at national scale: one sorted page of standings, and the
state that tells whether a published leaderboard, or the notice beside it, has changed.

A race of 2,844 districts is read a page at a time: the database sorts, counts and slices,
so a page costs the same queries and rows whatever the size of the race. The state is read
in one query so that the page can answer a conditional GET, or serve its cached table,
without loading any standing.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, F, FloatField, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.expressions import Expression
from django.db.models.fields.json import KeyTextTransform, KeyTransform
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language

from comments.models import Comment
from districts.models import District, Group, Indicator, Value, ValueStatus
from districts.periods import Period, PeriodError, PeriodKind
from districts.rollup import RollUp
from rankings.methodology_text import spec_leaves
from rankings.models import MethodologyVersion, Publication, Race, Standing, StandingExplanation
from rankings.selectors.race_previews import publication_inputs_changed

LEADERBOARD_PAGE_SIZE = 100

# The columns a reader may sort by, besides one per indicator ("indicator_<n>").
SORTABLE_COLUMNS = ("rank", "movement", "district", "kind", "score")
INDICATOR_COLUMN_PREFIX = "indicator_"

# How long an "inputs changed" answer is kept. Its key names the inputs it was computed
# from, so a hit is never stale; the timeout only clears keys nobody will ask for again.
INPUTS_CHANGED_TIMEOUT = 24 * 60 * 60


# --- sorting and paging ---------------------------------------------------------------


@dataclass(frozen=True)
class SortOrder:
    """The column a leaderboard is sorted by, as the ``sort`` query parameter names it."""

    column: str  # "score", "indicator_3"
    descending: bool = False

    @property
    def parameter(self) -> str:
        return f"-{self.column}" if self.descending else self.column


def sort_order_parse(text: str | None, *, indicator_count: int) -> SortOrder | None:
    """The sort a query asks for; None (rank order) for none or for a column there is not."""
    if not text:
        return None
    descending = text.startswith("-")
    column = text[1:] if descending else text
    if column in SORTABLE_COLUMNS:
        return SortOrder(column, descending)
    number = column.removeprefix(INDICATOR_COLUMN_PREFIX)
    if (
        column.startswith(INDICATOR_COLUMN_PREFIX)
        and number.isascii()
        and number.isdigit()
        and int(number) < indicator_count
        and str(int(number)) == number
    ):
        return SortOrder(column, descending)
    return None


def _sort_expressions(
    column: str, *, indicators: Sequence[Indicator], show_values: bool
) -> list[Expression]:
    if column == "rank":
        return [F("rank")]
    if column == "movement":
        return [F("rank_change")]
    if column == "district":
        # Sorted by the name the reader sees.
        if (get_language() or "").lower().startswith("en"):
            return [F("district__name_en"), F("district__name")]
        return [F("district__name")]
    if column == "kind":
        return [F("district__kind")]
    if column == "score":
        return [F("score")]
    code = indicators[int(column.removeprefix(INDICATOR_COLUMN_PREFIX))].code
    if show_values:
        source = KeyTextTransform("value", KeyTransform(code, "indicators"))
    else:
        source = KeyTextTransform(code, "contributions")
    return [Cast(source, FloatField())]


def standings_sorted(
    standings: QuerySet[Standing],
    *,
    order: SortOrder | None,
    indicators: Sequence[Indicator],
    show_values: bool,
) -> QuerySet[Standing]:
    """Standings sorted in the database, empty values (unranked, no figure) last either way,
    then in the group's own order; rank order when no sort is asked for."""
    order = order or SortOrder("rank")
    expressions = _sort_expressions(order.column, indicators=indicators, show_values=show_values)
    return standings.order_by(
        *(
            e.desc(nulls_last=True) if order.descending else e.asc(nulls_last=True)
            for e in expressions
        ),
        "district__order",
        "district__code",
    )


def standings_page(
    standings: QuerySet[Standing] | list[Standing], *, page_number: str | int | None
) -> Page:
    """One page of LEADERBOARD_PAGE_SIZE standings ("last" names the last page).

    Raises django.core.paginator.InvalidPage for a page that is not a number or not there.
    """
    paginator = Paginator(standings, LEADERBOARD_PAGE_SIZE)
    return paginator.page(paginator.num_pages if page_number == "last" else page_number or 1)


# --- what a published leaderboard depends on --------------------------------------------


@dataclass(frozen=True)
class PublishedLeaderboardState:
    """A publication as its leaderboard shows it, and what else the page shows that may
    change after publishing: the race's other periods and revisions, the names of the race,
    its districts and indicators, the comments on the race and period (whose page it
    links to), and the explanations stored with the publication.

    ``version`` changes whenever any of these does, so it can name the page in an ETag and
    in a cache key; ``last_changed`` is the time of the latest such change.
    """

    publication: Publication  # with its race and the race's group
    changes: tuple
    last_changed: datetime

    @property
    def version(self) -> str:
        publication = self.publication
        identity = (
            publication.pk,
            publication.revision,
            publication.fingerprint,
            publication.published_at.isoformat(),
            publication.superseded_at.isoformat() if publication.superseded_at else None,
            *self.changes,
        )
        return hashlib.sha256(repr(identity).encode()).hexdigest()[:32]


def _latest_history(model) -> dict[str, Subquery]:
    # django-simple-history records every save of the model; its newest record tells whether
    # a name (or a kind, a direction) may have changed since.
    history = model.history.model.objects.order_by("-history_id")
    name = model._meta.model_name
    return {
        f"{name}_history_id": Subquery(history.values("history_id")[:1]),
        f"{name}_history_date": Subquery(history.values("history_date")[:1]),
    }


def _columns(model, alias: str) -> list[str]:
    quote = connection.ops.quote_name
    return [f"{alias}.{quote(field.column)}" for field in model._meta.concrete_fields]


@functools.cache
def _state_sql(*, current: bool) -> str:
    """One statement: the publication with its race and group, and scalar subqueries, each
    an index lookup, whose values change when anything else the page shows does.

    Written once as SQL (portable between PostgreSQL and SQLite) because it runs on every
    request for a published leaderboard, cached or not, and the ORM took longer to compose
    these subqueries than the database takes to answer them.
    """
    quote = connection.ops.quote_name
    publications = quote(Publication._meta.db_table)
    comments = quote(Comment._meta.db_table)
    explanations = quote(StandingExplanation._meta.db_table)

    def joined(*expressions: str) -> str:
        # One text of several values, each subquery being one more for the database to plan.
        return " || '|' || ".join(f"COALESCE(CAST({e} AS TEXT), '')" for e in expressions)

    # A publication is superseded after it is published, a comment removed after it is
    # edited after it is written: the first of these that is set is the row's latest change.
    publication_changed = "MAX(COALESCE(o.superseded_at, o.published_at))"
    comment_changed = "MAX(COALESCE(c.removed_at, c.edited_at, c.created_at))"
    changes = [
        # The race's periods and revisions, listed on the page.
        f"SELECT {joined('COUNT(*)', 'MAX(o.id)', publication_changed)}"
        f" FROM {publications} o WHERE o.race_id = p.race_id",
        # Comments on the race and period (the page links to them): written, edited, removed.
        f"SELECT {joined('COUNT(*)', 'MAX(c.id)', comment_changed)}"
        f" FROM {comments} c WHERE c.race_id = p.race_id AND c.period = p.period",
        # The explanations stored with the publication (the statistical ties): storing them
        # after publishing (manage.py store_explanations) replaces the rows.
        f"SELECT {joined('COUNT(*)', 'MAX(e.id)')}"
        f" FROM {explanations} e WHERE e.publication_id = p.id",
    ]
    # Names of the race, the districts and the indicators (and kinds, directions): each save
    # is recorded by django-simple-history, whose newest record tells whether one changed.
    # The group has no history; its name is read with the publication instead.
    for model in (Race, District, Indicator):
        history = quote(model.history.model._meta.db_table)
        changes.append(
            f"SELECT {joined('history_id', 'history_date')}"
            f" FROM {history} ORDER BY history_id DESC LIMIT 1"
        )
    columns = [
        *_columns(Publication, "p"),
        *_columns(Race, "r"),
        *_columns(Group, "g"),
        *(f"({change})" for change in changes),
    ]
    which = "p.superseded_at IS NULL" if current else "p.revision = %(revision)s"
    return (
        f"SELECT {', '.join(columns)} FROM {publications} p "
        f"INNER JOIN {quote(Race._meta.db_table)} r ON r.id = p.race_id "
        f"INNER JOIN {quote(Group._meta.db_table)} g ON g.id = r.group_id "
        f"WHERE r.code = %(race)s AND p.period = %(period)s AND {which}"
    )


def _instance(model, values: Sequence):
    """A model instance from a raw row of its concrete fields, converted as the ORM would
    (SQLite hands back times as text and booleans as numbers)."""
    fields = model._meta.concrete_fields
    converted = []
    for field, value in zip(fields, values, strict=True):
        column = field.get_col(model._meta.db_table)
        for converter in connection.ops.get_db_converters(column) + field.get_db_converters(
            connection
        ):
            value = converter(value, column, connection)
        converted.append(value)
    return model.from_db(connection.alias, [field.attname for field in fields], converted)


def _as_datetime(text: str) -> datetime | None:
    """A time written as text by the database (UTC; SQLite without an offset), or None."""
    try:
        value = parse_datetime(text)
    except ValueError:
        return None
    if value is not None and timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value


def published_leaderboard_state(
    *, race_code: str, period: Period, revision: int | None = None
) -> PublishedLeaderboardState | None:
    """The current publication of the race and period (or the given revision), with its race
    and group and what its page depends on, in one query; None when there is none."""
    parameters = {"race": race_code, "period": period.code, "revision": revision}
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(current=revision is None), parameters)
        row = cursor.fetchone()
    if row is None:
        return None
    sizes = [len(model._meta.concrete_fields) for model in (Publication, Race, Group)]
    publication_end, race_end = sizes[0], sizes[0] + sizes[1]
    publication = _instance(Publication, row[:publication_end])
    race = _instance(Race, row[publication_end:race_end])
    group = _instance(Group, row[race_end : race_end + sizes[2]])
    Race._meta.get_field("group").set_cached_value(race, group)
    Publication._meta.get_field("race").set_cached_value(publication, race)
    found = [text or "" for text in row[race_end + sizes[2] :]]
    # Each change ends with the time it happened, when there is one.
    times = [
        time
        for time in (
            publication.published_at,
            publication.superseded_at,
            *(_as_datetime(text.rsplit("|", 1)[-1]) for text in found),
        )
        if time is not None
    ]
    return PublishedLeaderboardState(
        publication=publication,
        changes=(group.name, group.name_en, *found),
        last_changed=max(times),
    )


# --- whether the inputs changed since publishing ----------------------------------------


def _inputs_stamp(publication: Publication) -> str | None:
    """A digest of everything publication_inputs_changed reads that may change: the race's
    current methodology, the previous period's publication, the group's active districts,
    the indicators, and the approved values of the period and of the same period last year
    (with their months, for the indicators that roll up). None when the period has no
    previous one to read."""
    try:
        period = Period.parse(publication.period)
        last_year = period.same_period_last_year()
        periods = [period.code, last_year.code]
        previous = period.previous().code
        # A quarter or a year may be rolled up from months (race_inputs): their months too.
        months = [
            month.code
            for whole in (period, last_year)
            if whole.kind in (PeriodKind.QUARTER, PeriodKind.YEAR)
            for month in whole.parts(PeriodKind.MONTH)
        ]
    except PeriodError:
        return None
    race = publication.race
    active = District.objects.filter(group_id=OuterRef("group_id"), active=True).order_by()
    depends_on = {
        "methodology": Subquery(
            MethodologyVersion.objects.filter(race=OuterRef("pk"))
            .order_by("-number")
            .values("pk")[:1]
        ),
        "previous_publication": Subquery(
            Publication.objects.filter(
                race=OuterRef("pk"), period=previous, superseded_at__isnull=True
            ).values("pk")[:1]
        ),
        "district_count": Subquery(active.values("group_id").annotate(n=Count("pk")).values("n")),
        "district_ids": Subquery(active.values("group_id").annotate(n=Sum("pk")).values("n")),
        **_latest_history(District),
        **_latest_history(Indicator),
    }
    context = Race.objects.filter(pk=race.pk).annotate(**depends_on).values(*depends_on).first()
    # Saving a value through the ORM renews entered_at and its version; the sums also catch
    # a figure changed by a bulk update, which renews neither.
    values = Value.objects.filter(
        Q(period__in=periods) | Q(period__in=months, indicator_id__in=_rolled_up(publication)),
        district__group_id=race.group_id,
        district__active=True,
        status=ValueStatus.APPROVED,
    ).aggregate(
        count=Count("pk"),
        newest=Max("pk"),
        ids=Sum("pk"),
        entered=Max("entered_at"),
        versions=Sum("version"),
        figures=Sum("value"),
        targets=Sum("target"),
    )
    stamp = repr((sorted((context or {}).items()), sorted(values.items())))
    return hashlib.sha256(stamp.encode()).hexdigest()


def _rolled_up(publication: Publication) -> list[int]:
    """The ids of the publication's indicators that roll up from months (usually none, and
    then the digest reads no month at all)."""
    codes = {
        leaf.get("indicator") for leaf in spec_leaves(publication.methodology.spec.get("nodes", []))
    }
    return list(
        Indicator.objects.filter(code__in=codes)
        .exclude(roll_up=RollUp.NONE)
        .values_list("pk", flat=True)
    )


def publication_inputs_changed_cached(*, publication: Publication) -> bool:
    """publication_inputs_changed, kept under the publication and a digest of its inputs.

    Recomputing a national race takes seconds; reading the digest takes two queries. Any
    change to what the race reads gives a new digest, so a kept answer is never stale: a
    correction is announced on the next request.
    """
    stamp = _inputs_stamp(publication)
    if stamp is None:
        return publication_inputs_changed(publication=publication)
    key = (
        f"publication-inputs-changed:v1:{publication.pk}:r{publication.revision}:"
        f"{publication.fingerprint[:16]}:{stamp}"
    )
    changed = cache.get(key)
    if changed is None:
        changed = publication_inputs_changed(publication=publication)
        cache.set(key, changed, timeout=INPUTS_CHANGED_TIMEOUT)
    return changed
