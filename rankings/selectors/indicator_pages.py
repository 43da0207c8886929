"""Reads for the indicator page: every district of a group on one indicator for a period.

Readers (officials, viewers, clerks) see published figures only: the figures the current
publications cite. The bureau sees the figures as they stand, of every status, each marked
with whether it is the published one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from statistics import fmean
from typing import Any

from districts.models import Direction, District, Group, Indicator, Value, ValueStatus
from districts.periods import Period
from rankings.errors import PageNotFound
from rankings.methodology_text import spec_leaves
from rankings.models import Publication, is_monthly_review
from rankings.selectors.district_pages import TargetProgress, target_progress, value_ranks


@dataclass(frozen=True)
class EnteredFigure:
    """A district's figure as the page shows it, with where it stands."""

    value: Decimal
    target: Decimal | None
    entered_by: str | None
    entered_at: datetime | None
    value_id: int | None
    status: str
    published: bool  # the figure a current publication cites


@dataclass(frozen=True)
class IndicatorRow:
    district: District
    rank: int | None
    tied: bool
    figure: EnteredFigure | None
    bar_percent: float  # of the largest absolute value in the group
    progress: TargetProgress | None


@dataclass(frozen=True)
class IndicatorPage:
    indicator: Indicator
    group: Group | None
    groups: list[Group]
    period: Period | None
    periods: list[str]  # periods with figures to show in the group, newest first
    rows: list[IndicatorRow]
    group_average: float | None
    has_targets: bool
    unpublished_shown: bool = False  # the bureau's view: figures of every status

    @property
    def lower_is_better(self) -> bool:
        return self.indicator.direction == Direction.LOWER

    @property
    def average_bar_percent(self) -> float:
        """The group average on the same scale as the rows' bars."""
        widest = max((abs(float(r.figure.value)) for r in self.rows if r.figure), default=0.0)
        if not widest or self.group_average is None:
            return 0.0
        return abs(self.group_average) / widest * 100


def indicator_page_get(
    *,
    indicator_code: str,
    group_code: str | None = None,
    period: Period | None = None,
    published_only: bool = True,
) -> IndicatorPage:
    """Every district of a group on one indicator for one period, best first.

    Raises PageNotFound for an unknown indicator or group.
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
    if group is None:
        return IndicatorPage(indicator, None, groups, period, [], [], None, False)
    publications = _publications_citing(indicator=indicator, group=group)
    if published_only:
        periods = _newest_first(publications)
    else:
        periods = _newest_first(
            Value.objects.filter(indicator=indicator, district__group=group)
            .order_by()
            .values_list("period", flat=True)
            .distinct()
        )
    # Unless asked, the latest quarter (or year): a month is the lighter monthly review's.
    latest = [code for code in periods if not is_monthly_review(code)] or periods
    chosen = period or (Period.parse(latest[0]) if latest else None)
    districts = list(District.objects.filter(group=group, active=True))
    figures: dict[int, EnteredFigure] = {}
    if chosen is not None:
        cited = _cited_figures(publications.get(chosen.code), indicator=indicator)
        if published_only:
            figures = cited
        else:
            published_ids = {f.value_id for f in cited.values()}
            figures = _current_figures(
                indicator=indicator, group=group, period=chosen, published_ids=published_ids
            )
    rows = _indicator_rows(indicator=indicator, districts=districts, figures=figures, period=chosen)
    entered = [float(f.value) for f in figures.values()]
    return IndicatorPage(
        indicator=indicator,
        group=group,
        groups=groups,
        period=chosen,
        periods=periods,
        rows=rows,
        group_average=fmean(entered) if entered else None,
        has_targets=any(f.target is not None for f in figures.values()),
        unpublished_shown=not published_only,
    )


def _newest_first(codes) -> list[str]:
    return sorted(set(codes), key=Period.parse, reverse=True)


def _publications_citing(*, indicator: Indicator, group: Group) -> dict[str, Publication]:
    """The current publication of each period whose methodology ranks the indicator.

    When two races of the group rank it in the same period, the first race (in race order)
    is the one cited; both cite the same approved figures.
    """
    found: dict[str, Publication] = {}
    current = (
        Publication.objects.filter(race__group=group, superseded_at__isnull=True)
        .select_related("methodology", "race")
        .order_by("race__order", "race__code")
    )
    for publication in current:
        leaves = spec_leaves(publication.methodology.spec.get("nodes", []))
        if any(leaf.get("indicator") == indicator.code for leaf in leaves):
            found.setdefault(publication.period, publication)
    return found


def _decimal(text: Any) -> Decimal | None:
    try:
        return Decimal(str(text)) if text not in (None, "") else None
    except InvalidOperation:
        return None


def _cited_figures(
    publication: Publication | None, *, indicator: Indicator
) -> dict[int, EnteredFigure]:
    """The figures a publication's standings cite for the indicator, by district id."""
    if publication is None:
        return {}
    figures = {}
    for district_id, details in publication.standings.values_list("district_id", "indicators"):
        ref = (details.get(indicator.code) or {}).get("ref") or {}
        value = _decimal(ref.get("value"))
        if value is None:
            continue
        entered_at = None
        if ref.get("entered_at"):
            try:
                entered_at = datetime.fromisoformat(ref["entered_at"])
            except ValueError:
                entered_at = None
        figures[district_id] = EnteredFigure(
            value=value,
            target=_decimal(ref.get("target")),
            entered_by=ref.get("entered_by"),
            entered_at=entered_at,
            value_id=ref.get("value_id"),
            status=ValueStatus.APPROVED,
            published=True,
        )
    return figures


def _current_figures(
    *, indicator: Indicator, group: Group, period: Period, published_ids: set
) -> dict[int, EnteredFigure]:
    values = Value.objects.filter(
        indicator=indicator, district__group=group, period=period.code
    ).select_related("entered_by")
    return {
        v.district_id: EnteredFigure(
            value=v.value,
            target=v.target,
            entered_by=v.entered_by.get_username() if v.entered_by else None,
            entered_at=v.entered_at,
            value_id=v.pk,
            status=v.status,
            published=v.pk in published_ids,
        )
        for v in values
    }


def _indicator_rows(
    *,
    indicator: Indicator,
    districts: list[District],
    figures: Mapping[int, EnteredFigure],
    period: Period | None,
) -> list[IndicatorRow]:
    present = sorted(
        (d for d in districts if d.pk in figures),
        key=lambda d: figures[d.pk].value,
        reverse=indicator.direction != Direction.LOWER,
    )
    missing = [d for d in districts if d.pk not in figures]
    widest = max((abs(f.value) for f in figures.values()), default=Decimal(0))
    ranks = value_ranks(
        {d.code: float(figures[d.pk].value) for d in present}, direction=indicator.direction
    )
    rows = []
    for district in present:
        figure = figures[district.pk]
        rank, tied = ranks[district.code]
        rows.append(
            IndicatorRow(
                district=district,
                rank=rank,
                tied=tied,
                figure=figure,
                bar_percent=float(abs(figure.value) / widest * 100) if widest else 0.0,
                progress=target_progress(
                    value=float(figure.value),
                    target=figure.target,
                    period=period,
                    direction=indicator.direction,
                )
                if period
                else None,
            )
        )
    rows += [IndicatorRow(d, None, False, None, 0.0, None) for d in missing]
    return rows
