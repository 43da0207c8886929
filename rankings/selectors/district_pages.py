"""Reads for the district page (one unit across a race) and the indicator page (one measure
across a group). Each page is built from a fixed number of queries, whatever the group size."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from statistics import fmean
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import role_label
from comments.models import Comment
from districts.decimals import format_decimal
from districts.models import Direction, District, Indicator
from districts.periods import Period, PeriodError
from rankings.charts import RankChartText, RankPoint, Svg, rank_history_svg
from rankings.models import Publication, Race, Standing
from rankings.reasons_text import ReasonRenderer, with_unit


class PageNotFound(Exception):
    """The request names something that does not exist (the view answers 404)."""


# Which heading each kind of reason is listed under, in the order the page shows them.
REASON_SECTIONS = (
    ("strengths", gettext_lazy("Strengths"), {"strength"}),
    ("weaknesses", gettext_lazy("Weaknesses"), {"weakness"}),
    ("rank_change", gettext_lazy("Rank change"), {"rank_change", "new"}),
    ("data_notes", gettext_lazy("Data notes"), set()),  # every other kind
)


@dataclass(frozen=True)
class Citation:
    """The entered value a figure comes from: who entered it and when."""

    value_id: int | None
    period: str
    figure: str
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
    if not ref:
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
        figure=with_unit(str(ref.get("value") or ""), unit),
        entered_by=ref.get("entered_by"),
        entered_at=entered_at,
    )


def period_or_not_found(code: str | None) -> Period | None:
    if not code:
        return None
    try:
        return Period.parse(code)
    except PeriodError as error:
        raise PageNotFound(str(error)) from error


# ---------------------------------------------------------------- district page


@dataclass(frozen=True)
class IndicatorLine:
    """One row of the district's indicator table."""

    indicator: Indicator
    value: str | None  # as entered
    rank: int | None  # in the group on this indicator
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


@dataclass(frozen=True)
class ReasonLine:
    text: str
    citation: Citation | None


@dataclass(frozen=True)
class ReasonSection:
    key: str
    title: str
    lines: list[ReasonLine]


@dataclass(frozen=True)
class HistoryRow:
    period: str
    rank: int | None
    tied: bool
    score: float | None
    published: bool  # False: the race was published but without this district


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
    indicator_lines: list[IndicatorLine] = field(default_factory=list)
    reason_sections: list[ReasonSection] = field(default_factory=list)
    history: list[HistoryRow] = field(default_factory=list)
    chart: Svg | None = None


def district_page_get(
    *, district_code: str, race_code: str | None = None, period_code: str | None = None
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
    requested = period_or_not_found(period_code)
    if race is None:
        return DistrictPage(district, race, races)
    publications = {
        p.period: p
        for p in Publication.objects.filter(race=race, superseded_at__isnull=True).select_related(
            "methodology"
        )
    }
    periods = sorted(publications, key=Period.parse)
    comments = _district_comments(district=district, race=race)
    if requested is None and not periods:
        return DistrictPage(district, race, races, comments)
    period = requested or Period.parse(periods[-1])
    publication = publications.get(period.code)
    if publication is None:
        raise PageNotFound(period.code)
    standings = list(publication.standings.select_related("district"))
    standing = next((s for s in standings if s.district_id == district.pk), None)
    history = _history(district=district, race=race, periods=periods)
    group_size = max([len(standings), *(row.rank or 0 for row in history)])
    codes = list(standing.indicators) if standing else []
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=codes)}
    renderer = ReasonRenderer(indicators, period.code)
    return DistrictPage(
        district=district,
        race=race,
        races=races,
        period=period,
        periods=periods,
        publication=publication,
        standing=standing,
        group_size=group_size,
        indicator_lines=_indicator_lines(
            standing=standing, standings=standings, indicators=indicators, period=period
        ),
        reason_sections=_reason_sections(standing=standing, renderer=renderer),
        history=history,
        chart=_history_chart(district=district, race=race, history=history, size=group_size),
        comments=comments,
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


def _history_chart(
    *, district: District, race: Race, history: list[HistoryRow], size: int
) -> Svg | None:
    if not history:
        return None
    described = [
        _("%(period)s: rank %(rank)s") % {"period": row.period, "rank": _rank_text(row)}
        if row.rank is not None
        else _("%(period)s: unranked") % {"period": row.period}
        for row in history
    ]
    text = RankChartText(
        title=_("Rank of %(district)s in %(race)s, by period")
        % {"district": district.display_name, "race": race.display_name},
        description=_("Rank 1 is the best of %(size)d. %(points)s.")
        % {"size": size, "points": _("; ").join(described)},
        x_axis=_("Period"),
        y_axis=_("Rank (1 = best)"),
        point_title=_("{label}: rank {rank}"),
    )
    points = [RankPoint(row.period, row.rank, _rank_text(row)) for row in history]
    return rank_history_svg(
        points=points, max_rank=size, text=text, chart_id=f"rank-history-{district.code}"
    )


def _rank_text(row: HistoryRow) -> str:
    if row.rank is None:
        return ""
    return f"={row.rank}" if row.tied else str(row.rank)


def _entered(details: Mapping[str, Any]) -> float | None:
    """The figure as entered (not the imputed stand-in for a missing one)."""
    if details.get("missing") or details.get("value") is None:
        return None
    return float(details["value"])


def _indicator_lines(
    *,
    standing: Standing | None,
    standings: list[Standing],
    indicators: Mapping[str, Indicator],
    period: Period,
) -> list[IndicatorLine]:
    if standing is None:
        return []
    lines = []
    for code, details in standing.indicators.items():
        indicator = indicators.get(code)
        if indicator is None:
            continue
        others = [(s, s.indicators.get(code) or {}) for s in standings]
        entered = [v for _s, d in others if (v := _entered(d)) is not None]
        best_rank = min((d["rank"] for _s, d in others if d.get("rank") is not None), default=None)
        best = [s for s, d in others if best_rank is not None and d.get("rank") == best_rank]
        ref = details.get("ref") or {}
        value = ref.get("value") or (
            None if _entered(details) is None else f"{details['value']:.{indicator.decimals}f}"
        )
        best_ref = (best[0].indicators[code].get("ref") or {}) if best else {}
        lines.append(
            IndicatorLine(
                indicator=indicator,
                value=value,
                rank=details.get("rank"),
                group_average=fmean(entered) if entered else None,
                best=[s.district for s in best],
                best_value=best_ref.get("value"),
                contribution=details.get("contribution"),
                imputed=bool(details.get("imputed")),
                missing=bool(details.get("missing")),
                capped=bool(details.get("capped")),
                progress=target_progress(
                    value=_entered(details),
                    target=ref.get("target"),
                    period=period,
                    direction=indicator.direction,
                ),
                citation=citation_from_ref(ref, unit=indicator.unit),
            )
        )
    return lines


def _reason_sections(*, standing: Standing | None, renderer: ReasonRenderer) -> list[ReasonSection]:
    if standing is None:
        return []
    lines: dict[str, list[ReasonLine]] = {key: [] for key, _title, _kinds in REASON_SECTIONS}
    for reason in standing.reasons:
        kind = reason.get("kind", "")
        key = next((k for k, _t, kinds in REASON_SECTIONS if kind in kinds), "data_notes")
        params = reason.get("params") or {}
        indicator = renderer.indicators.get(params.get("indicator", ""))
        citation = citation_from_ref(params.get("ref"), unit=indicator.unit if indicator else "")
        lines[key].append(ReasonLine(renderer.render(reason), citation))
    return [
        ReasonSection(key, str(title), lines[key])
        for key, title, _kinds in REASON_SECTIONS
        if lines[key]
    ]


def _district_comments(*, district: District, race: Race) -> list[Comment]:
    """Comments about the district in this race, newest period first, with their responses."""
    responses = Comment.objects.filter(removed_at__isnull=True).select_related("author")
    comments = (
        Comment.objects.filter(
            race=race, district=district, parent__isnull=True, removed_at__isnull=True
        )
        .select_related("author")
        .prefetch_related(Prefetch("responses", queryset=responses, to_attr="visible_responses"))
    )
    ordered = sorted(comments, key=lambda c: c.created_at, reverse=True)
    ordered.sort(key=lambda c: Period.parse(c.period), reverse=True)
    for comment in ordered:
        comment.role_label = role_label(comment.author_role)
        for response in comment.visible_responses:
            response.role_label = role_label(response.author_role)
    return ordered


# ---------------------------------------------------------------- indicator page
