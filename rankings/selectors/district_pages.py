"""Reads for the district page: one unit's standing in a race, its history, its indicators
against the group and the comments about it. A fixed number of queries, whatever the group size.

Sentences, labels and the rank chart are built from this data by rankings.presenters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from comments.models import Comment
from comments.selectors import comments_about_district
from districts.decimals import format_decimal
from districts.models import Direction, District, Indicator
from districts.periods import Period
from rankings.engine import Entry, competition_ranks
from rankings.entered_values import entered_figure, entered_values_ranked
from rankings.errors import PageNotFound
from rankings.methodology_text import spec_leaves
from rankings.models import Publication, Race, Standing, is_monthly_review
from rankings.selectors.district_explanations import (
    ExplanationSections,
    explanation_sections,
)


@dataclass(frozen=True)
class Citation:
    """The entered value a figure comes from: who entered it and when."""

    value_id: int | None
    period: str
    value: str  # as entered
    unit: str
    entered_by: str | None
    entered_at: datetime | None


@dataclass(frozen=True)
class TargetProgress:
    """The task account against the time account: share of the annual target done by the end
    of the period, against the share of the year elapsed."""

    target: str
    completion: float  # % of the annual target
    elapsed: float  # % of the year
    verdict: str  # "ahead" | "behind" | "on schedule" | "" (not applicable)


def target_progress(
    *, value: float | None, target: Decimal | str | None, period: Period, direction: str
) -> TargetProgress | None:
    if value is None or target in (None, ""):
        return None
    target_number = float(target)
    if target_number == 0:
        return None
    completion = value / target_number * 100
    elapsed = period.year_share * 100
    verdict = ""
    # Running ahead of the calendar only makes sense for targets to reach, not ceilings.
    if direction == Direction.HIGHER:
        gap = round(completion - elapsed, 1)
        verdict = "ahead" if gap > 0 else "behind" if gap < 0 else "on schedule"
    text = target if isinstance(target, str) else format_decimal(target)
    return TargetProgress(
        target=text or "", completion=completion, elapsed=elapsed, verdict=verdict
    )


def citation_from_ref(ref: Mapping[str, Any] | None, *, unit: str = "") -> Citation | None:
    # A figure that could not be rolled up from its months cites no record, only the
    # months it lacked (the reason names them).
    if not ref or ref.get("value") is None:
        return None
    entered_at = None
    if ref.get("entered_at"):
        try:
            entered_at = datetime.fromisoformat(ref["entered_at"])
        except ValueError:
            entered_at = None
    return Citation(
        value_id=ref.get("value_id"),
        period=ref.get("period") or "",
        value=str(ref.get("value") or ""),
        unit=unit,
        entered_by=ref.get("entered_by"),
        entered_at=entered_at,
    )


# ---------------------------------------------------------------- district page


@dataclass(frozen=True)
class IndicatorLine:
    """One row of the district's indicator table."""

    indicator: Indicator
    value: str | None  # as entered
    # Rank in the group on the value as entered: what the indicator page shows too.
    rank: int | None
    tied: bool
    # The race ranks a measure derived from the value (growth, target completion, progress
    # against the year elapsed) when ``measure`` is not "value"; its rank can differ.
    measure: str
    measure_rank: int | None
    group_average: float | None  # of the entered values
    best: list[District]
    best_value: str | None
    contribution: float | None
    imputed: bool
    missing: bool
    capped: bool
    progress: TargetProgress | None
    citation: Citation | None

    # A wide tie at the top would list the whole group; name a few and count the rest.
    BEST_NAMED = 3

    @property
    def best_named(self) -> list[District]:
        return self.best[: self.BEST_NAMED]

    @property
    def best_others(self) -> int:
        return max(0, len(self.best) - self.BEST_NAMED)

    @property
    def measure_rank_differs(self) -> bool:
        return self.measure != "value" and self.measure_rank != self.rank


@dataclass(frozen=True)
class HistoryRow:
    period: str
    rank: int | None
    tied: bool
    score: float | None
    published: bool  # False: the race was published but without this district

    @property
    def monthly(self) -> bool:
        """A monthly review's point, shown apart from the quarterly race's."""
        return is_monthly_review(self.period)


@dataclass(frozen=True)
class DistrictPage:
    district: District
    race: Race | None  # None: no race ranks the district's group
    races: list[Race]
    comments: list[Comment] = field(default_factory=list)
    period: Period | None = None  # None: the race has not been published yet
    periods: list[str] = field(default_factory=list)  # published periods, oldest first
    publication: Publication | None = None
    standing: Standing | None = None  # None: the district is not in this publication
    group_size: int = 0
    indicators: dict[str, Indicator] = field(default_factory=dict)  # of the standing, by code
    indicator_lines: list[IndicatorLine] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    # None: no standing with a rank (district_explanations.py)
    explanations: ExplanationSections | None = None


def district_page_get(
    *, district_code: str, race_code: str | None = None, period: Period | None = None
) -> DistrictPage:
    """The district's standing in one race and period, its history and what was said of it.

    Raises PageNotFound for an unknown district, a race it does not run in, or a period the
    race was not published for.
    """
    district = District.objects.select_related("group").filter(code=district_code).first()
    if district is None:
        raise PageNotFound(district_code)
    races = list(Race.objects.filter(group_id=district.group_id).select_related("group"))
    if race_code:
        race = next((r for r in races if r.code == race_code), None)
        if race is None:
            raise PageNotFound(race_code)
    else:
        race = next((r for r in races if r.active), None)
    requested = period
    if race is None:
        return DistrictPage(district, race, races)
    publications = {
        p.period: p
        for p in Publication.objects.filter(race=race, superseded_at__isnull=True).select_related(
            "methodology"
        )
    }
    periods = sorted(publications, key=Period.parse)
    comments = comments_about_district(district=district, race=race)
    if requested is None and not periods:
        return DistrictPage(district, race, races, comments)
    # Unless asked, the page shows the latest quarterly race, not a lighter monthly review.
    races_published = [code for code in periods if not is_monthly_review(code)] or periods
    period = requested or Period.parse(races_published[-1])
    publication = publications.get(period.code)
    if publication is None:
        raise PageNotFound(period.code)
    history = _history(district=district, race=race, periods=periods)
    entered = publication.entered_values
    if entered:
        # Only this district's standing is read: the group's side of each figure was
        # worked out when the standings were published.
        standing = (
            publication.standings.select_related("district").filter(district=district).first()
        )
        details = dict(standing.indicators) if standing else {}
    else:
        # A publication from before that summary was kept: work it out from all standings.
        standings = list(publication.standings.select_related("district"))
        standing = next((s for s in standings if s.district_id == district.pk), None)
        entered, details = _entered_values_of(standings, standing)
    group_size = max([entered["standings"], *(row.rank or 0 for row in history)])
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=list(details))}
    lines = _indicator_lines(
        details=details,
        summary=entered["indicators"],
        indicators=indicators,
        measures=_leaf_inputs(publication.methodology.spec),
        period=period,
    )
    return DistrictPage(
        district=district,
        race=race,
        races=races,
        period=period,
        periods=periods,
        publication=publication,
        standing=standing,
        group_size=group_size,
        indicators=indicators,
        indicator_lines=lines,
        history=history,
        comments=comments,
        explanations=explanation_sections(
            publication=publication, standing=standing, indicators=indicators
        ),
    )


def _history(*, district: District, race: Race, periods: list[str]) -> list[HistoryRow]:
    ranked = {
        period: (rank, tied, score)
        for period, rank, tied, score in Standing.objects.filter(
            district=district, publication__race=race, publication__superseded_at__isnull=True
        ).values_list("publication__period", "rank", "tied", "score")
    }
    return [
        HistoryRow(period, *ranked[period], published=True)
        if period in ranked
        else HistoryRow(period, None, False, None, published=False)
        for period in periods
    ]


_entered = entered_figure


def _leaf_inputs(spec: Mapping[str, Any]) -> dict[str, str]:
    """What the methodology ranks for each indicator: the value itself or a derived input."""
    return {leaf["indicator"]: leaf.get("input", "value") for leaf in spec_leaves(spec["nodes"])}


def value_ranks(entered: Mapping[str, float], *, direction: str) -> dict[str, tuple[int, bool]]:
    """Competition rank and tie of each district on the values as entered, best first.

    The engine's ranking, so the district page and the indicator page agree with each other
    and with the way races rank scores ("1224").
    """
    placed = competition_ranks(
        [Entry(district=code, ranking_score=value) for code, value in entered.items()],
        highest_first=direction != Direction.LOWER,
    )
    return {p.district: (p.rank, p.tied) for p in placed}


def _entered_values_of(
    standings: list[Standing], standing: Standing | None
) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    """The publication's summary of entered values and the standing's details with their
    ranks, as publishing now stores them, from every standing of the publication."""
    if standing is None:
        return {"standings": len(standings), "indicators": {}}, {}
    directions = dict(
        Indicator.objects.filter(code__in=list(standing.indicators)).values_list(
            "code", "direction"
        )
    )
    ranked = entered_values_ranked([(s.district.code, s.indicators) for s in standings], directions)
    own = standing.district.code
    details = {}
    for code, result in standing.indicators.items():
        rank, tied = ranked.rank_of(own, code)
        details[code] = {**result, "value_rank": rank, "value_tied": tied}
    return ranked.summary, details


def _indicator_lines(
    *,
    details: Mapping[str, Mapping[str, Any]],
    summary: Mapping[str, Any],
    indicators: Mapping[str, Indicator],
    measures: Mapping[str, str],
    period: Period,
) -> list[IndicatorLine]:
    """The district's figures, each beside the group's: its rank on the figure as entered,
    the group's average and the best districts (one query for those)."""
    best_codes = {code for part in summary.values() for code in part["best"]}
    best_districts = {d.code: d for d in District.objects.filter(code__in=best_codes)}
    lines = []
    for code, figure in details.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        group = summary.get(code) or {"average": None, "best": [], "best_value": None}
        ref = figure.get("ref") or {}
        value = ref.get("value") or (
            None if _entered(figure) is None else f"{figure['value']:.{indicator.decimals}f}"
        )
        lines.append(
            IndicatorLine(
                indicator=indicator,
                value=value,
                rank=figure.get("value_rank"),
                tied=bool(figure.get("value_tied")),
                measure=measures.get(code, "value"),
                measure_rank=figure.get("rank"),
                group_average=group["average"],
                best=[best_districts[c] for c in group["best"] if c in best_districts],
                best_value=group["best_value"],
                contribution=figure.get("contribution"),
                imputed=bool(figure.get("imputed")),
                missing=bool(figure.get("missing")),
                capped=bool(figure.get("capped")),
                progress=target_progress(
                    value=_entered(figure),
                    target=ref.get("target"),
                    period=period,
                    direction=indicator.direction,
                ),
                citation=citation_from_ref(ref, unit=indicator.unit),
            )
        )
    return lines
