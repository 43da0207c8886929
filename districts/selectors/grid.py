"""Reads: the period grid, every figure a district enters for one period on one page.

The rows are the indicators of the races the district runs in, so a clerk sees exactly what
the bureau ranks; each row carries what the clerk checks the figure against.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from accounts.access import clerk_district_ids, is_bureau
from districts.checks import Warning, needs_justification
from districts.models import DataReturn, District, Indicator, Value
from districts.periods import Period, PeriodKind
from districts.selectors.checks import value_warnings
from districts.validation import period_problem
from rankings.methodology_text import spec_leaves
from rankings.models import MethodologyVersion, Race


@dataclass(frozen=True)
class GridRow:
    """One indicator of the grid: the figure, if entered, and what it is checked against."""

    indicator: Indicator
    value: Value | None  # None: nothing entered for the period yet
    previous: Decimal | None  # the previous period's figure
    last_year: Decimal | None  # the same period last year
    # The annual target of an earlier period of the same year, offered when the period has
    # no figure yet: the target is set once a year and each period's figure carries it.
    earlier_target: Decimal | None = None
    earlier_target_period: str | None = None
    warnings: list[Warning] = field(default_factory=list)

    @property
    def version(self) -> int:
        """The version a save starts from; 0 when there is no figure yet (any figure is newer)."""
        return self.value.version if self.value is not None else 0

    @property
    def locked(self) -> bool:
        return self.value is not None and self.value.locked

    @property
    def target(self) -> Decimal | None:
        return self.value.target if self.value is not None else self.earlier_target

    @property
    def needs_justification(self) -> bool:
        return self.value is not None and needs_justification(
            self.warnings, self.value.justification
        )


@dataclass(frozen=True)
class PeriodGrid:
    district: District
    period: Period
    races: list[Race]  # the district's active races, whose indicators are the rows
    data_return: DataReturn | None  # None: nothing entered for the period yet
    rows: list[GridRow]

    @property
    def previous_period(self) -> Period:
        return self.period.previous()

    @property
    def last_year_period(self) -> Period:
        return self.period.same_period_last_year()

    @property
    def locked_rows(self) -> list[GridRow]:
        return [row for row in self.rows if row.locked]


def grid_districts(*, user) -> QuerySet[District]:
    """The districts the user enters figures for: a clerk's own, every active one for the bureau."""
    districts = District.objects.select_related("group")
    if is_bureau(user):
        return districts.filter(active=True)
    return districts.filter(pk__in=clerk_district_ids(user))


def latest_quarter(*, today: date) -> Period:
    """The last quarter that has ended: the one whose return is being entered."""
    return Period(today.year, PeriodKind.QUARTER, (today.month - 1) // 3 + 1).previous()


def grid_races(*, district: District) -> list[tuple[Race, MethodologyVersion]]:
    """The active races of the district's group with their current methodology (one query)."""
    newest = MethodologyVersion.objects.filter(race=OuterRef("race")).order_by("-number")
    versions = (
        MethodologyVersion.objects.filter(
            race__group_id=district.group_id,
            race__active=True,
            number=Subquery(newest.values("number")[:1]),
        )
        .select_related("race")
        .order_by("race__order", "race__code")
    )
    return [(version.race, version) for version in versions]


def grid_indicators(*, versions: list[MethodologyVersion], period: Period) -> list[Indicator]:
    """The indicator leaves of the methodologies, each once, in methodology order, keeping
    those entered for this kind of period (a monthly indicator has no quarterly figure)."""
    codes = list(
        dict.fromkeys(
            leaf["indicator"] for version in versions for leaf in spec_leaves(version.spec["nodes"])
        )
    )
    found = Indicator.objects.in_bulk(codes, field_name="code")
    indicators = [found[code] for code in codes if code in found]
    return [i for i in indicators if period_problem(i, period.code) is None]


def _earlier_periods_of_the_year(period: Period) -> list[Period]:
    earlier, cursor = [], period
    while cursor.kind is not PeriodKind.YEAR and cursor.number > 1:
        cursor = cursor.previous()
        earlier.append(cursor)
    return earlier  # latest first


def period_grid_get(*, district: District, period: Period) -> PeriodGrid:
    """Every indicator the district enters for the period, with its figure and references.

    A fixed number of queries, however many indicators and races.
    """
    races_and_versions = grid_races(district=district)
    indicators = grid_indicators(versions=[v for _, v in races_and_versions], period=period)
    data_return = (
        DataReturn.objects.filter(district=district, period=period.code)
        .select_related("reviewed_by")
        .first()
    )
    same_year = _earlier_periods_of_the_year(period)
    codes = {period.code, period.previous().code, period.same_period_last_year().code}
    codes |= {p.code for p in same_year}
    by_id = {indicator.pk: indicator for indicator in indicators}
    figures: dict[tuple[int, str], Value] = {}
    for value in Value.objects.filter(district=district, indicator__in=by_id, period__in=codes):
        # The objects are at hand already: value_warnings reads them without a query each.
        value.district, value.indicator = district, by_id[value.indicator_id]
        figures[(value.indicator_id, value.period)] = value
    current = [v for (_, code), v in figures.items() if code == period.code]
    warnings = value_warnings(values=current)
    rows = []
    for indicator in indicators:
        value = figures.get((indicator.pk, period.code))
        previous = figures.get((indicator.pk, period.previous().code))
        last_year = figures.get((indicator.pk, period.same_period_last_year().code))
        earlier_target = earlier_target_period = None
        if value is None:
            for earlier in same_year:
                figure = figures.get((indicator.pk, earlier.code))
                if figure is not None and figure.target is not None:
                    earlier_target, earlier_target_period = figure.target, earlier.code
                    break
        rows.append(
            GridRow(
                indicator=indicator,
                value=value,
                previous=previous.value if previous else None,
                last_year=last_year.value if last_year else None,
                earlier_target=earlier_target,
                earlier_target_period=earlier_target_period,
                warnings=warnings.get(value.pk, []) if value else [],
            )
        )
    return PeriodGrid(
        district=district,
        period=period,
        races=[race for race, _ in races_and_versions],
        data_return=data_return,
        rows=rows,
    )
