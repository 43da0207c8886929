"""Reads: the figures of a period that the soft checks flag, the ones that matter first.

A suspicious figure matters when it changes the order of a race. For each flagged figure and
each active race of its group that ranks its indicator, the race is computed on the figures
entered now, whatever their status (the bureau looks before approving), once as entered and
once with that one figure set to the group's median for the indicator; the figure's impact is
how many places its district moves between the two, the largest over the races.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from statistics import median

from districts.checks import ROBUST_Z_LIMIT, Warning
from districts.models import District, Indicator, Value
from districts.periods import Period
from districts.selectors.checks import value_warnings
from districts.selectors.completeness import active_race_methodologies
from rankings.engine import (
    Figure,
    IndicatorInfo,
    Methodology,
    MethodologyError,
    parse_methodology,
    run_race,
)
from rankings.models import Race


@dataclass(frozen=True)
class RaceImpact:
    """How one race places the district with the figure as entered, and at the median."""

    race: Race
    rank_as_entered: int | None  # None: unranked
    rank_at_median: int | None
    places: int


@dataclass(frozen=True)
class FlaggedValue:
    value: Value  # with its district and indicator
    warnings: tuple[Warning, ...]
    group_median: float | None  # of the indicator's figures of the group's active districts
    impacts: tuple[RaceImpact, ...]  # one per active race of the group that ranks the indicator

    @property
    def impact(self) -> int | None:
        """The most places the figure moves its district in any race; None if no race uses it."""
        return max((impact.places for impact in self.impacts), default=None)

    @property
    def strength(self) -> float:
        """How far the strongest warning goes past its limit, as a multiple of the limit."""
        return max((warning_strength(w, self.value.indicator) for w in self.warnings), default=0)


@dataclass(frozen=True)
class RaceProblem:
    race: Race
    problem: str


@dataclass(frozen=True)
class PeriodQuality:
    period: Period
    values_checked: int
    flagged: list[FlaggedValue]  # most impact first, then the strongest warning
    races_not_computed: list[RaceProblem]


def warning_strength(warning: Warning, indicator: Indicator) -> float:
    """A change of 60 % against a 30 % threshold is 2; a robust z-score of 7 is 2 (limit 3.5).

    The two checks have different scales; dividing by each one's own limit makes them
    comparable. A threshold of 0 flags every change, and then the change itself counts.
    """
    if warning.kind == "outlier":
        return abs(warning.measure) / ROBUST_Z_LIMIT
    limit = float(indicator.change_threshold or 0)
    return abs(warning.measure) / limit if limit > 0 else abs(warning.measure)


@dataclass(frozen=True)
class _GroupFigures:
    """What the engine reads for the races of one group: the entrants and their figures."""

    entrants: tuple[str, ...]
    figures: dict[tuple[str, str], Figure]  # (district code, indicator code)

    def median(self, indicator: str) -> float | None:
        present = [
            figure.value
            for (district, code), figure in self.figures.items()
            if code == indicator and figure.value is not None
        ]
        return median(present) if present else None


def _group_figures(
    *, group_ids: set[int], codes: set[str], period: Period
) -> dict[int, _GroupFigures]:
    """Every active district of the groups and its figures, of any status: one query each.

    Built as rankings.selectors.race_inputs builds a race's inputs, but from the figures as
    they stand now rather than the approved ones, and without citations (nothing is stored).
    """
    entrants: dict[int, list[str]] = defaultdict(list)
    for code, group_id in District.objects.filter(group_id__in=group_ids, active=True).values_list(
        "code", "group_id"
    ):
        entrants[group_id].append(code)
    last_year = period.same_period_last_year()
    current: dict[int, dict[tuple[str, str], tuple]] = defaultdict(dict)
    previous: dict[int, dict[tuple[str, str], tuple]] = defaultdict(dict)
    rows = Value.objects.filter(
        district__group_id__in=group_ids,
        district__active=True,
        indicator__code__in=codes,
        period__in=[period.code, last_year.code],
    ).values_list(
        "district__group_id", "district__code", "indicator__code", "period", "value", "target"
    )
    for group_id, district, indicator, code, value, target in rows:
        side = current if code == period.code else previous
        side[group_id][(district, indicator)] = (value, target)
    groups = {}
    for group_id in group_ids:
        figures = {}
        for key in current[group_id].keys() | previous[group_id].keys():
            value, target = current[group_id].get(key, (None, None))
            base = previous[group_id].get(key)
            figures[key] = Figure(
                value=float(value) if value is not None else None,
                last_year=float(base[0]) if base else None,
                target=float(target) if target is not None else None,
                year_share=period.year_share,
            )
        groups[group_id] = _GroupFigures(tuple(sorted(entrants[group_id])), figures)
    return groups


def _places_moved(before: int | None, after: int | None, entrants: int) -> int:
    # Falling out of the ranking (too little coverage, a non-positive part of a geometric mean)
    # counts as falling to the place after the last one.
    unranked = entrants + 1
    return abs((before or unranked) - (after or unranked))


def _race_impacts(
    race: Race,
    methodology: Methodology,
    infos: dict[str, IndicatorInfo],
    inputs: _GroupFigures,
    concerned: list[Value],
) -> list[tuple[int, RaceImpact]]:
    """The race as entered, then once per concerned figure with that figure at the median."""
    as_entered = run_race(
        methodology, entrants=inputs.entrants, figures=inputs.figures, indicators=infos
    )
    found = []
    for value in concerned:
        key = (value.district.code, value.indicator.code)
        figures = dict(inputs.figures)
        figures[key] = replace(figures[key], value=inputs.median(value.indicator.code))
        at_median = run_race(
            methodology, entrants=inputs.entrants, figures=figures, indicators=infos
        )
        before = as_entered.standing(value.district.code).rank
        after = at_median.standing(value.district.code).rank
        moved = _places_moved(before, after, len(inputs.entrants))
        found.append((value.pk, RaceImpact(race, before, after, moved)))
    return found


def period_quality(*, period: Period) -> PeriodQuality:
    """Every value of the period's active districts the soft checks flag, with its impact.

    The median a figure is set to is that of the race's entrants (the group's active
    districts); the outlier check's own median also counts inactive districts' figures.

    Queries: the period's values, their checks, the races, their indicators and their figures,
    whatever the number of districts and flagged values. The engine runs once per race and
    once more per flagged figure a race ranks: for a city (tens of districts and indicators,
    a few races) that is a few milliseconds each, so a page of fifty flagged figures stays
    well under a second. A province-sized group would want a cheaper measure.
    """
    values = list(
        Value.objects.filter(period=period.code, district__active=True).select_related(
            "district", "indicator"
        )
    )
    warnings = value_warnings(values=values)
    flagged_values = [v for v in values if v.pk in warnings]
    group_ids = {v.district.group_id for v in flagged_values}
    versions = active_race_methodologies(group_ids=group_ids) if group_ids else []
    races: list[tuple[Race, Methodology]] = []
    problems: list[RaceProblem] = []
    for version in versions:
        try:
            races.append((version.race, parse_methodology(version.spec)))
        except MethodologyError as error:
            problems.append(RaceProblem(version.race, "; ".join(error.problems)))
    codes = {code for _, methodology in races for code in methodology.indicator_codes}
    directions = dict(Indicator.objects.filter(code__in=codes).values_list("code", "direction"))
    groups = _group_figures(group_ids=group_ids, codes=codes, period=period) if races else {}
    impacts: dict[int, list[RaceImpact]] = defaultdict(list)
    for race, methodology in races:
        missing = sorted(set(methodology.indicator_codes) - directions.keys())
        if missing:
            problems.append(RaceProblem(race, f"no such indicator: {', '.join(missing)}"))
            continue
        inputs = groups[race.group_id]
        infos = {
            code: IndicatorInfo(code, directions[code]) for code in methodology.indicator_codes
        }
        concerned = [
            v
            for v in flagged_values
            if v.district.group_id == race.group_id
            and v.indicator.code in methodology.indicator_codes
            and v.district.code in inputs.entrants
        ]
        if not concerned:
            continue
        try:
            found = _race_impacts(race, methodology, infos, inputs, concerned)
        except ValueError as error:  # e.g. an indicator direction the engine does not know
            problems.append(RaceProblem(race, str(error)))
            continue
        for value_id, impact in found:
            impacts[value_id].append(impact)
    flagged = [
        FlaggedValue(
            value=v,
            warnings=tuple(warnings[v.pk]),
            group_median=groups[v.district.group_id].median(v.indicator.code)
            if v.district.group_id in groups
            else None,
            impacts=tuple(impacts.get(v.pk, ())),
        )
        for v in flagged_values
    ]
    flagged.sort(key=_most_important_first)
    return PeriodQuality(period, len(values), flagged, problems)


def _most_important_first(item: FlaggedValue) -> tuple:
    impact = item.impact if item.impact is not None else -1
    v = item.value
    return (
        -impact,
        -item.strength,
        v.district.order,
        v.district.code,
        v.indicator.order,
        v.indicator.code,
    )
