"""Reads what a race needs from the database: its districts, indicators and values."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import CharField, F, Func, QuerySet

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


# What a citation of a value needs, read as plain tuples: a national race reads over
# 200,000 values, and model instances with their district, indicator and user cost 15 s.
_CITED_FIELDS = ("pk", "district__code", "indicator__code", "value", "target")


def _entered_at_iso() -> Func | F:
    """``entered_at`` as ``datetime.isoformat()`` writes it (in UTC, the connection's zone).

    On PostgreSQL the server formats it: turning 110,000 timestamps into Python datetimes and
    back into text is half of reading a national race's inputs.
    """
    if connection.vendor != "postgresql":
        return F("entered_at")
    return Func(
        F("entered_at"),
        function="",
        template=(
            "(to_char(%(expressions)s AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || "
            "CASE to_char(%(expressions)s, 'US') WHEN '000000' THEN '' "
            "ELSE to_char(%(expressions)s AT TIME ZONE 'UTC', '.US') END || '+00:00')"
        ),
        output_field=CharField(),
    )


def _citation(row: tuple, period: str) -> dict:
    pk, district, indicator, value, target, entered_by, entered_at = row
    if entered_at is not None and not isinstance(entered_at, str):
        entered_at = entered_at.isoformat()
    return {
        "value_id": pk,
        "district": district,
        "indicator": indicator,
        "period": period,
        "value": format_decimal(value),
        "target": format_decimal(target) if target is not None else None,
        "entered_by": entered_by,
        "entered_at": entered_at,
    }


def _approved_values(*, race: Race, codes) -> QuerySet[Value]:
    return Value.objects.filter(
        district__group_id=race.group_id,
        district__active=True,
        indicator__code__in=codes,
        status=ValueStatus.APPROVED,
    )


def race_cited_values(*, race: Race, period: Period, methodology: Methodology) -> QuerySet[Value]:
    """The approved values the race's standings for the period cite (what publishing locks)."""
    return _approved_values(race=race, codes=methodology.indicator_codes).filter(period=period.code)


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
    approved = _approved_values(race=race, codes=codes)
    # Last year's figures are inputs (growth), never cited: code pairs and numbers only.
    previous = {
        (district, indicator): value
        for district, indicator, value in approved.filter(
            period=period.same_period_last_year().code
        ).values_list("district__code", "indicator__code", "value")
    }
    figures = {}
    year_share, code = period.year_share, period.code
    cited = (
        approved.filter(period=period.code)
        .annotate(entered_at_iso=_entered_at_iso())
        .values_list(*_CITED_FIELDS, "entered_by__username", "entered_at_iso")
    )
    for row in cited:
        key = row[1], row[2]
        base = previous.pop(key, None)
        figures[key] = Figure(
            value=float(row[3]),
            last_year=float(base) if base is not None else None,
            target=float(row[4]) if row[4] is not None else None,
            year_share=year_share,
            ref=_citation(row, code),
        )
    for key, base in previous.items():  # reported last year only
        figures[key] = Figure(value=None, last_year=float(base), year_share=year_share)
    return RaceInputs(
        entrants=tuple(sorted(districts)),
        districts=districts,
        indicators=indicators,
        figures=figures,
    )
