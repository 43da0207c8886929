"""Reads what a race needs from the database: its districts, indicators and values."""

from __future__ import annotations

import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import reduce

from django.db import connection
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import Exact

from districts.decimals import format_decimal
from districts.models import District, Indicator, Value, ValueStatus
from districts.periods import Period, PeriodKind
from districts.rollup import RolledUp, RollUp, roll_up
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
    """The approved values the race's standings for the period cite (what publishing locks):
    those entered for the period and the monthly values of the figures rolled up from them."""
    approved = _approved_values(race=race, codes=methodology.indicator_codes)
    kinds = _roll_ups(
        Indicator.objects.filter(code__in=methodology.indicator_codes).values_list(
            "code", "roll_up"
        ),
        period,
    )
    if not kinds:
        return approved.filter(period=period.code)
    return approved.filter(Q(period=period.code) | _months_used(kinds, period))


# --- roll-ups (docs/periods.md): a quarter or a year not entered, made from its months ----


def _roll_ups(indicators: Iterable[tuple[str, str]], period: Period) -> dict[str, RollUp]:
    """The roll-up of each (code, roll_up) indicator that makes ``period`` from months."""
    if period.kind not in (PeriodKind.QUARTER, PeriodKind.YEAR):
        return {}
    return {code: RollUp(kind) for code, kind in indicators if kind != RollUp.NONE}


def _months_needed(kind: RollUp, period: Period) -> list[str]:
    # "last" needs only the last month: a year-to-date figure already holds the others.
    months = [month.code for month in period.parts(PeriodKind.MONTH)]
    return months[-1:] if kind is RollUp.LAST else months


def _by_kind(kinds: Mapping[str, RollUp]) -> dict[RollUp, list[str]]:
    found: dict[RollUp, list[str]] = {}
    for code, kind in sorted(kinds.items()):
        found.setdefault(kind, []).append(code)
    return found


def _months_read(kinds: Mapping[str, RollUp], periods: Iterable[Period]) -> Q:
    """The monthly values the roll-ups of ``periods`` need, as one condition."""
    return reduce(
        operator.or_,
        (
            Q(
                indicator__code__in=codes,
                period__in=[month for p in periods for month in _months_needed(kind, p)],
            )
            for kind, codes in _by_kind(kinds).items()
        ),
    )


def _months_used(kinds: Mapping[str, RollUp], period: Period) -> Q:
    """The monthly values a race of ``period`` cites, said in SQL as ``race_inputs`` decides
    in Python: a figure is rolled up when the period itself was not entered and every month
    it needs was (with one month needed, the month read is that month)."""
    same_figure = Value.objects.filter(
        district=OuterRef("district"), indicator=OuterRef("indicator"), status=ValueStatus.APPROVED
    ).order_by()
    conditions = []
    for kind, codes in _by_kind(kinds).items():
        months = _months_needed(kind, period)
        used = Q(indicator__code__in=codes, period__in=months) & ~Q(
            Exists(same_figure.filter(period=period.code))
        )
        if len(months) > 1:
            entered = (
                same_figure.filter(period__in=months)
                .values("district")
                .annotate(months=Count("pk"))
                .values("months")
            )
            used &= Q(Exact(Subquery(entered, output_field=IntegerField()), len(months)))
        conditions.append(used)
    return reduce(operator.or_, conditions)


def _month_citation(row: tuple) -> dict:
    return {"value_id": row[0], "period": row[7], "value": format_decimal(row[3])}


def _rolled_up_citation(
    key: tuple[str, str], code: str, kind: RollUp, rolled: RolledUp, months: Mapping[str, tuple]
) -> dict:
    """The citation of a rolled-up figure: the period's, made from the monthly records it
    names; or, when it could not be made, the months that were missing."""
    ref = {
        "value_id": None,
        "district": key[0],
        "indicator": key[1],
        "period": code,
        "value": None,
        "target": None,
        "entered_by": None,
        "entered_at": None,
        "roll_up": kind.value,
    }
    if rolled.value is None:
        ref["missing_months"] = rolled.missing
        return ref
    used = [months[month] for month in rolled.months_used]
    # The annual target is the latest month's that carries one; the entry cited (who, when)
    # is the latest month's.
    target = next((row[4] for row in reversed(used) if row[4] is not None), None)
    latest = _citation(used[-1][:7], used[-1][7])
    ref.update(
        value=format_decimal(rolled.value),
        target=format_decimal(target) if target is not None else None,
        entered_by=latest["entered_by"],
        entered_at=latest["entered_at"],
        months=[_month_citation(row) for row in used],
    )
    return ref


def _monthly_values(
    approved: QuerySet[Value], kinds: Mapping[str, RollUp], periods: list[Period]
) -> dict[tuple[str, str], dict[str, tuple]]:
    """The months of ``periods`` the roll-ups need, by (district, indicator) and month, in
    one query: rows of the cited fields, entered by, entered at and the month."""
    rows = (
        approved.filter(_months_read(kinds, periods))
        .order_by()
        .annotate(entered_at_iso=_entered_at_iso())
        .values_list(*_CITED_FIELDS, "entered_by__username", "entered_at_iso", "period")
    )
    found: dict[tuple[str, str], dict[str, tuple]] = {}
    for row in rows:
        found.setdefault((row[1], row[2]), {})[row[7]] = row
    return found


def _figures_of(months: Mapping[str, tuple]) -> dict[str, Decimal]:
    return {month: row[3] for month, row in months.items()}


def race_inputs(*, race: Race, period: Period, methodology: Methodology) -> RaceInputs:
    """Load the active districts of the race's group and their approved values.

    Values of the same period last year come along for growth inputs. For a quarter or a
    year, an indicator that rolls up (``Indicator.roll_up``) and was not entered for the
    period itself is made from its approved months; a figure whose months are incomplete is
    missing, and its citation names the months that were.
    """
    districts = {
        district.code: district
        for district in District.objects.filter(group_id=race.group_id, active=True)
    }
    codes = set(methodology.indicator_codes)
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    approved = _approved_values(race=race, codes=codes)
    last_year = period.same_period_last_year()
    # Last year's figures are inputs (growth), never cited: code pairs and numbers only.
    previous = {
        (district, indicator): value
        for district, indicator, value in approved.filter(period=last_year.code)
        .order_by()
        .values_list("district__code", "indicator__code", "value")
    }
    kinds = _roll_ups(((c, i.roll_up) for c, i in indicators.items()), period)
    monthly = _monthly_values(approved, kinds, [period, last_year]) if kinds else {}
    for key, months in monthly.items():
        if key not in previous:  # last year's figure rolled up too, when not entered
            base = roll_up(kinds[key[1]], last_year, _figures_of(months)).value
            if base is not None:
                previous[key] = base
    figures = {}
    year_share, code = period.year_share, period.code
    # Sorted here in the values' order (district, indicator) rather than by the database,
    # which spilled the sort of a national race's 110,000 rows to disk.
    district_order = {c: (d.order, c) for c, d in districts.items()}
    indicator_order = {c: (i.order, c) for c, i in indicators.items()}

    def in_value_order(key: tuple[str, str]) -> tuple:
        return district_order[key[0]], indicator_order[key[1]]

    cited = sorted(
        approved.filter(period=period.code)
        .order_by()
        .annotate(entered_at_iso=_entered_at_iso())
        .values_list(*_CITED_FIELDS, "entered_by__username", "entered_at_iso"),
        key=lambda row: in_value_order(row[1:3]),
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
    needed = {kind: len(_months_needed(kind, period)) for kind in set(kinds.values())}
    for key, months in monthly.items():
        if key in figures:  # entered for the period itself: that figure wins
            continue
        kind = kinds[key[1]]
        rolled = roll_up(kind, period, _figures_of(months))
        if rolled.value is None and len(rolled.missing) == needed[kind]:
            continue  # no month of the period entered: as missing as any figure not entered
        base = previous.pop(key, None)
        ref = _rolled_up_citation(key, code, kind, rolled, months)
        figures[key] = Figure(
            value=float(rolled.value) if rolled.value is not None else None,
            last_year=float(base) if base is not None else None,
            target=float(ref["target"]) if ref["target"] is not None else None,
            year_share=year_share,
            ref=ref,
        )
    for key in sorted(previous, key=in_value_order):  # reported last year only
        base = previous[key]
        figures[key] = Figure(value=None, last_year=float(base), year_share=year_share)
    return RaceInputs(
        entrants=tuple(sorted(districts)),
        districts=districts,
        indicators=indicators,
        figures=figures,
    )
