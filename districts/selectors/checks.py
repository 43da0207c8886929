"""Reads: the soft-check warnings of entered figures (see districts.checks)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from districts.checks import Warning, change_warnings, outlier_warnings
from districts.models import Value
from districts.periods import Period


def value_warnings(*, values: Sequence[Value]) -> dict[int, list[Warning]]:
    """The warnings of each value (by pk), against its own past and its group.

    One query, however many values: the previous period, the same period last year and the
    group's figures for every indicator and period concerned are read together.
    """
    if not values:
        return {}
    periods = {v.period for v in values}
    earlier = set()
    for code in periods:
        period = Period.parse(code)
        earlier |= {period.previous().code, period.same_period_last_year().code}
    groups = {v.district.group_id for v in values}
    indicators = {v.indicator_id for v in values}
    figures: dict[tuple[int, int, str], float] = {}
    by_group: dict[tuple[int, int, str], dict[str, float]] = defaultdict(dict)
    rows = Value.objects.filter(
        district__group_id__in=groups,
        indicator_id__in=indicators,
        period__in=periods | earlier,
    ).values_list("district_id", "district__group_id", "indicator_id", "period", "value")
    for district_id, group_id, indicator_id, period, value in rows:
        figures[(district_id, indicator_id, period)] = float(value)
        if period in periods:
            by_group[(group_id, indicator_id, period)][str(district_id)] = float(value)
    outliers = {key: outlier_warnings(group) for key, group in by_group.items()}
    warnings: dict[int, list[Warning]] = {}
    for v in values:
        period = Period.parse(v.period)
        found = change_warnings(
            figure=float(v.value),
            previous=figures.get((v.district_id, v.indicator_id, period.previous().code)),
            last_year=figures.get(
                (v.district_id, v.indicator_id, period.same_period_last_year().code)
            ),
            threshold=v.indicator.change_threshold,
        )
        group_key = (v.district.group_id, v.indicator_id, v.period)
        if outlier := outliers.get(group_key, {}).get(str(v.district_id)):
            found.append(outlier)
        if found:
            warnings[v.pk] = found
    return warnings
