"""Reads what a race needs from the database: its districts, indicators and values."""

from __future__ import annotations

from dataclasses import dataclass

from districts.decimals import format_decimal
from districts.models import District, Indicator, Value, ValueStatus
from districts.periods import Period
from rankings.engine import Figure, IndicatorInfo, Methodology
from rankings.models import Race


@dataclass(frozen=True)
class RaceInputs:
    """Everything the engine needs for one race and period, plus what to cite."""

    entrants: tuple[str, ...]
    districts: dict[str, District]
    indicators: dict[str, Indicator]
    figures: dict[tuple[str, str], Figure]

    @property
    def indicator_infos(self) -> dict[str, IndicatorInfo]:
        return {
            code: IndicatorInfo(code=code, direction=indicator.direction)
            for code, indicator in self.indicators.items()
        }


def _citation(value: Value) -> dict:
    return {
        "value_id": value.pk,
        "district": value.district.code,
        "indicator": value.indicator.code,
        "period": value.period,
        "value": format_decimal(value.value),
        "target": format_decimal(value.target) if value.target is not None else None,
        "entered_by": value.entered_by.username if value.entered_by else None,
        "entered_at": value.entered_at.isoformat() if value.entered_at else None,
    }


def race_inputs(*, race: Race, period: Period, methodology: Methodology) -> RaceInputs:
    """Load the active districts of the race's group and their approved values.

    Values of the same period last year come along for growth inputs.
    """
    districts = {
        district.code: district
        for district in District.objects.filter(group_id=race.group_id, active=True)
    }
    codes = set(methodology.indicator_codes)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    last_year = period.same_period_last_year()
    values = (
        Value.objects.filter(
            district__in=districts.values(),
            indicator__code__in=codes,
            period__in=[period.code, last_year.code],
            status=ValueStatus.APPROVED,
        )
        .select_related("district", "indicator", "entered_by")
        .order_by("pk")
    )
    current: dict[tuple[str, str], Value] = {}
    previous: dict[tuple[str, str], Value] = {}
    for value in values:
        key = (value.district.code, value.indicator.code)
        (current if value.period == period.code else previous)[key] = value
    figures = {}
    for key in current.keys() | previous.keys():
        value, base = current.get(key), previous.get(key)
        figures[key] = Figure(
            value=float(value.value) if value else None,
            last_year=float(base.value) if base else None,
            target=float(value.target) if value and value.target is not None else None,
            year_share=period.year_share,
            ref=_citation(value) if value else None,
        )
    return RaceInputs(
        entrants=tuple(sorted(districts)),
        districts=districts,
        indicators=indicators,
        figures=figures,
    )
