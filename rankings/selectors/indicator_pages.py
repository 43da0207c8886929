"""Reads for the indicator page: every district of a group on one indicator for a period."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from statistics import fmean

from districts.models import Direction, District, Group, Indicator, Value, ValueStatus
from districts.periods import Period
from rankings.errors import PageNotFound
from rankings.selectors.district_pages import TargetProgress, target_progress, value_ranks


@dataclass(frozen=True)
class IndicatorRow:
    district: District
    rank: int | None
    tied: bool
    value: Value | None
    bar_percent: float  # of the largest absolute value in the group
    progress: TargetProgress | None


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    group: Group | None
    groups: list[Group]
    period: Period | None
    periods: list[str]  # periods with values in the group, newest first
    rows: list[IndicatorRow]
    group_average: float | None
    has_targets: bool

    @property
    def lower_is_better(self) -> bool:
        return self.indicator.direction == Direction.LOWER

    @property
    def average_bar_percent(self) -> float:
        """The group average on the same scale as the rows' bars."""
        widest = max((abs(float(r.value.value)) for r in self.rows if r.value), default=0.0)
        if not widest or self.group_average is None:
            return 0.0
        return abs(self.group_average) / widest * 100


def indicator_page_get(
    *, indicator_code: str, group_code: str | None = None, period: Period | None = None
) -> IndicatorPage:
    """Every district of a group on one indicator for one period, best first.

    Raises PageNotFound for an unknown indicator or group, or an unreadable period.
    """
    indicator = Indicator.objects.filter(code=indicator_code).first()
    if indicator is None:
        raise PageNotFound(indicator_code)
    groups = list(Group.objects.all())
    if group_code:
        group = next((g for g in groups if g.code == group_code), None)
        if group is None:
            raise PageNotFound(group_code)
    else:
        group = groups[0] if groups else None
    requested = period
    if group is None:
        return IndicatorPage(indicator, None, groups, requested, [], [], None, False)
    approved = Value.objects.filter(
        indicator=indicator, district__group=group, status=ValueStatus.APPROVED
    )
    periods = sorted(
        set(approved.order_by().values_list("period", flat=True).distinct()),
        key=Period.parse,
        reverse=True,
    )
    period = requested or (Period.parse(periods[0]) if periods else None)
    districts = list(District.objects.filter(group=group, active=True))
    values = {}
    if period is not None:
        values = {
            v.district_id: v
            for v in approved.filter(period=period.code).select_related("entered_by")
        }
    rows = _indicator_rows(indicator=indicator, districts=districts, values=values, period=period)
    entered = [float(v.value) for v in values.values()]
    return IndicatorPage(
        indicator=indicator,
        group=group,
        groups=groups,
        period=period,
        periods=periods,
        rows=rows,
        group_average=fmean(entered) if entered else None,
        has_targets=any(v.target is not None for v in values.values()),
    )


def _indicator_rows(
    *,
    indicator: Indicator,
    districts: list[District],
    values: Mapping[int, Value],
    period: Period | None,
) -> list[IndicatorRow]:
    present = sorted(
        (d for d in districts if d.pk in values),
        key=lambda d: values[d.pk].value,
        reverse=indicator.direction != Direction.LOWER,
    )
    missing = [d for d in districts if d.pk not in values]
    widest = max((abs(v.value) for v in values.values()), default=Decimal(0))
    rows = []
    ranks = value_ranks(
        {d.code: float(values[d.pk].value) for d in present}, direction=indicator.direction
    )
    for district in present:
        value = values[district.pk]
        rank, tied = ranks[district.code]
        rows.append(
            IndicatorRow(
                district=district,
                rank=rank,
                tied=tied,
                value=value,
                bar_percent=float(abs(value.value) / widest * 100) if widest else 0.0,
                progress=target_progress(
                    value=float(value.value),
                    target=value.target,
                    period=period,
                    direction=indicator.direction,
                )
                if period
                else None,
            )
        )
    rows += [IndicatorRow(d, None, False, None, 0.0, None) for d in missing]
    return rows
