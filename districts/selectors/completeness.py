"""Reads: how complete and how timely every district's return for a period is.

A district is expected to enter each indicator that a current methodology of an active race
of its group ranks, when the indicator is entered for periods of this kind (a monthly
indicator is not expected in a quarter). Timeliness is measured on the first submission, so
a return sent back and submitted again keeps the date it first came in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from django.db.models import OuterRef, Subquery
from django.utils import timezone

from districts.models import (
    DataReturn,
    District,
    Group,
    Indicator,
    PeriodDeadline,
    Value,
    ValueStatus,
)
from districts.periods import Period
from districts.validation import period_problem
from rankings.methodology_text import spec_leaves
from rankings.models import MethodologyVersion


class Timeliness(StrEnum):
    ON_TIME = "on_time"  # first submitted on or before the due day
    LATE = "late"  # first submitted after the due day, or not submitted and the day has passed
    NOT_SUBMITTED = "not_submitted"  # not submitted, and not late (yet)
    NO_DEADLINE = "no_deadline"  # submitted, but the period has no deadline to judge it by


def timeliness(
    *, first_submitted_at: datetime | None, due: date | None, today: date
) -> tuple[Timeliness, int | None]:
    """Where a return stands against its deadline, and by how many days it is late.

    The due day lasts until midnight in the site's time zone (settings.TIME_ZONE): a return
    first submitted at 23:59 on the due day is on time, one at 00:01 the next day is a day late.
    """
    submitted_on = timezone.localdate(first_submitted_at) if first_submitted_at else None
    if due is None:
        return (Timeliness.NO_DEADLINE if submitted_on else Timeliness.NOT_SUBMITTED), None
    if submitted_on is not None:
        if submitted_on <= due:
            return Timeliness.ON_TIME, None
        return Timeliness.LATE, (submitted_on - due).days
    if today > due:
        return Timeliness.LATE, (today - due).days
    return Timeliness.NOT_SUBMITTED, None


@dataclass(frozen=True)
class DistrictCompleteness:
    """One district's return for the period: its expected figures by status, and timeliness."""

    district: District
    expected: int
    by_status: dict[str, int]  # ValueStatus -> number of expected indicators entered so
    data_return: DataReturn | None  # None until something creates the return
    timeliness: Timeliness
    days_late: int | None

    @property
    def entered(self) -> int:
        return sum(self.by_status.values())

    @property
    def missing(self) -> int:
        return self.expected - self.entered

    @property
    def draft(self) -> int:
        return self.by_status.get(ValueStatus.DRAFT, 0)

    @property
    def submitted(self) -> int:
        return self.by_status.get(ValueStatus.SUBMITTED, 0)

    @property
    def returned(self) -> int:
        return self.by_status.get(ValueStatus.RETURNED, 0)

    @property
    def approved(self) -> int:
        return self.by_status.get(ValueStatus.APPROVED, 0)

    @property
    def first_submitted_at(self) -> datetime | None:
        return self.data_return.first_submitted_at if self.data_return else None


@dataclass(frozen=True)
class GroupTotals:
    expected: int
    entered: int
    draft: int
    submitted: int
    returned: int
    approved: int
    on_time: int
    late: int
    not_submitted: int  # neither submitted nor late


@dataclass(frozen=True)
class GroupCompleteness:
    group: Group
    indicators: list[Indicator]  # expected of each of its districts, in display order
    districts: list[DistrictCompleteness]

    @property
    def totals(self) -> GroupTotals:
        rows = self.districts
        kinds = Counter(row.timeliness for row in rows)
        return GroupTotals(
            expected=sum(row.expected for row in rows),
            entered=sum(row.entered for row in rows),
            draft=sum(row.draft for row in rows),
            submitted=sum(row.submitted for row in rows),
            returned=sum(row.returned for row in rows),
            approved=sum(row.approved for row in rows),
            on_time=kinds[Timeliness.ON_TIME],
            late=kinds[Timeliness.LATE],
            not_submitted=kinds[Timeliness.NOT_SUBMITTED],
        )


@dataclass(frozen=True)
class PeriodCompleteness:
    period: Period
    deadline: PeriodDeadline | None
    today: date
    groups: list[GroupCompleteness]


def active_race_methodologies(*, group_ids=None) -> list[MethodologyVersion]:
    """The newest methodology version of every active race (of the given groups), in one query.

    Each version comes with its race (``version.race``).
    """
    newest = (
        MethodologyVersion.objects.filter(race=OuterRef("race"))
        .order_by("-number")
        .values("number")[:1]
    )
    versions = MethodologyVersion.objects.filter(
        race__active=True, number=Subquery(newest)
    ).select_related("race")
    if group_ids is not None:
        versions = versions.filter(race__group_id__in=group_ids)
    return list(versions.order_by("race__order", "race__code"))


def ranked_indicator_codes() -> dict[int, list[str]]:
    """Group id -> the indicator codes its active races rank, de-duplicated, as first written."""
    codes: dict[int, list[str]] = defaultdict(list)
    for version in active_race_methodologies():
        for leaf in spec_leaves(version.spec.get("nodes", [])):
            if leaf["indicator"] not in codes[version.race.group_id]:
                codes[version.race.group_id].append(leaf["indicator"])
    return codes


def period_completeness(*, period: Period, today: date | None = None) -> PeriodCompleteness:
    """Every active district of every group: what it has entered of what is expected.

    Six queries whatever the number of districts, indicators and races.
    """
    today = today or timezone.localdate()
    districts = list(District.objects.filter(active=True).select_related("group"))
    codes_by_group = ranked_indicator_codes()
    indicators = Indicator.objects.in_bulk(
        {code for codes in codes_by_group.values() for code in codes}, field_name="code"
    )
    expected: dict[int, list[Indicator]] = {
        group_id: sorted(
            (
                indicators[code]
                for code in codes
                if code in indicators and period_problem(indicators[code], period.code) is None
            ),
            key=lambda i: (i.order, i.code),
        )
        for group_id, codes in codes_by_group.items()
    }
    counts: dict[int, Counter] = defaultdict(Counter)
    expected_pairs = {
        (district.pk, indicator.pk)
        for district in districts
        for indicator in expected.get(district.group_id, [])
    }
    rows = Value.objects.filter(period=period.code, district__active=True).values_list(
        "district_id", "indicator_id", "status"
    )
    for district_id, indicator_id, status in rows:
        # Figures of indicators no race ranks (or of another frequency) are not counted.
        if (district_id, indicator_id) in expected_pairs:
            counts[district_id][status] += 1
    returns = {r.district_id: r for r in DataReturn.objects.filter(period=period.code)}
    deadline = PeriodDeadline.objects.filter(period=period.code).first()
    due = deadline.due if deadline else None
    by_group: dict[int, list[DistrictCompleteness]] = defaultdict(list)
    groups: dict[int, Group] = {}
    for district in districts:
        groups[district.group_id] = district.group
        data_return = returns.get(district.pk)
        kind, days_late = timeliness(
            first_submitted_at=data_return.first_submitted_at if data_return else None,
            due=due,
            today=today,
        )
        by_group[district.group_id].append(
            DistrictCompleteness(
                district=district,
                expected=len(expected.get(district.group_id, [])),
                by_status=dict(counts[district.pk]),
                data_return=data_return,
                timeliness=kind,
                days_late=days_late,
            )
        )
    ordered = sorted(groups.values(), key=lambda g: (g.order, g.code))
    return PeriodCompleteness(
        period=period,
        deadline=deadline,
        today=today,
        groups=[
            GroupCompleteness(
                group=group,
                indicators=expected.get(group.pk, []),
                districts=by_group[group.pk],
            )
            for group in ordered
        ],
    )
