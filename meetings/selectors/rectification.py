"""Reads: rectification items, for the follow-up page, a unit's page and a meeting."""

from __future__ import annotations

from django.db.models import QuerySet

from districts.periods import Period
from meetings.models import RectificationItem, RectificationStatus


def _base() -> QuerySet[RectificationItem]:
    return RectificationItem.objects.select_related(
        "race", "district", "repeat_of", "submitted_by", "decided_by"
    )


def rectifications_filtered(
    *, race=None, period: str | None = None, status: str | None = None, district=None
) -> list[RectificationItem]:
    """The follow-up list; ``period`` keeps the items of that period and those carried into it
    (opened earlier and not closed)."""
    items = _base()
    if race is not None:
        items = items.filter(race=race)
    if status:
        items = items.filter(status=status)
    if district is not None:
        items = items.filter(district=district)
    rows = list(items)
    if period:
        wanted = Period.parse(period)
        rows = [
            item
            for item in rows
            if item.period == period or (item.is_open and Period.parse(item.period) < wanted)
        ]
    return sorted(
        rows, key=lambda i: (Period.parse(i.period), i.race.code, i.district.code), reverse=True
    )


def rectifications_of_district(*, district) -> list[RectificationItem]:
    """A unit's items: the open ones first (carried over until closed), then the closed."""
    rows = sorted(
        _base().filter(district=district),
        key=lambda i: (Period.parse(i.period), i.race.code),
        reverse=True,  # newest first
    )
    return [i for i in rows if i.is_open] + [i for i in rows if not i.is_open]


def rectifications_for_races(*, races, period: str) -> list[RectificationItem]:
    """A meeting's items: its races' items of the period and those still open from before."""
    wanted = Period.parse(period)
    rows = [
        item
        for item in _base().filter(race__in=races)
        if item.period == period or (item.is_open and Period.parse(item.period) < wanted)
    ]
    return sorted(rows, key=lambda i: (i.race.code, i.district.code, i.period))


def rectification_statuses() -> list[tuple[str, str]]:
    return list(RectificationStatus.choices)
