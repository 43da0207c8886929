"""What the ranking pages show built from what the selectors read: sentences, labels, charts.

Selectors return data; these functions turn it into the reader's language once, for the
views and exports that need it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from districts.periods import Period
from pages.formatting import format_signed, rank_text
from rankings.charts import RankChartText, RankPoint, Svg, rank_history_svg
from rankings.models import Race, is_monthly_review
from rankings.reasons_text import ReasonRenderer
from rankings.selectors.district_pages import (
    Citation,
    DistrictPage,
    IndicatorLine,
    citation_from_ref,
)
from rankings.selectors.leaderboards import Leaderboard

# Which heading each kind of reason is listed under, in the order the page shows them.
REASON_SECTIONS = (
    ("strengths", gettext_lazy("Strengths"), {"strength"}),
    ("weaknesses", gettext_lazy("Weaknesses"), {"weakness"}),
    ("rank_change", gettext_lazy("Rank change"), {"rank_change", "new"}),
    ("data_notes", gettext_lazy("Data notes"), set()),  # every other kind
)

# A short name for what a race ranks when it is not the value as entered.
MEASURE_LABELS = {
    "growth": gettext_lazy("on growth over the same period last year"),
    "target_completion": gettext_lazy("on completion of the annual target"),
    "progress": gettext_lazy("on progress against the year elapsed"),
}


def measure_label(measure: str) -> str:
    return str(MEASURE_LABELS.get(measure, measure))


def _measure_note(line: IndicatorLine) -> str:
    measure = measure_label(line.measure)
    if line.measure_rank is None:
        return _("unranked %(measure)s") % {"measure": measure}
    return _("%(rank)s %(measure)s") % {"rank": rank_text(line.measure_rank), "measure": measure}


def district_indicator_rows(page: DistrictPage) -> list[tuple[IndicatorLine, str]]:
    """Each indicator line with a note on the race's own rank where the race ranks a derived
    measure and that rank differs from the rank on the value as entered ("" otherwise)."""
    return [
        (
            line,
            _measure_note(line) if line.measure_rank_differs else "",
        )
        for line in page.indicator_lines
    ]


@dataclass(frozen=True)
class ReasonLine:
    text: str
    citation: Citation | None


@dataclass(frozen=True)
class ReasonSection:
    key: str
    title: str
    lines: list[ReasonLine]


def leaderboard_reasons(board: Leaderboard) -> ReasonRenderer:
    """The sentence writer for a leaderboard's reasons, naming its indicators."""
    return ReasonRenderer({i.code: i for i in board.indicators}, board.period.code)


def reason_in_brief(renderer: ReasonRenderer, reason: dict) -> str:
    """A strength or weakness as a leaderboard cell shows it at a glance, "Investment lifts
    the score (+3.96)": the indicator and its points against the group's average. Any
    other reason reads as its whole sentence."""
    params = reason.get("params") or {}
    values = {
        "indicator": renderer.name(params.get("indicator", "")),
        "gap": format_signed(params.get("gap")),
    }
    if reason.get("kind") == "strength":
        return _("%(indicator)s lifts the score (%(gap)s)") % values
    if reason.get("kind") == "weakness":
        return _("%(indicator)s holds the score back (%(gap)s)") % values
    return renderer.render(reason)


def district_reason_sections(page: DistrictPage) -> list[ReasonSection]:
    """The district's cited reasons as sentences, under the heading of their kind."""
    if page.standing is None or page.period is None:
        return []
    renderer = ReasonRenderer(page.indicators, page.period.code)
    lines: dict[str, list[ReasonLine]] = {key: [] for key, _title, _kinds in REASON_SECTIONS}
    for reason in page.standing.reasons:
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


def district_rank_chart(page: DistrictPage) -> Svg | None:
    """The district's rank in each published period as an accessible SVG line chart."""
    if not page.history or page.race is None:
        return None
    described = [
        _("%(period)s: rank %(rank)s")
        % {"period": row.period, "rank": rank_text(row.rank, row.tied)}
        if row.rank is not None
        else _("%(period)s: unranked") % {"period": row.period}
        for row in page.history
    ]
    described = [
        _("%(point)s (monthly review)") % {"point": point} if row.monthly else point
        for point, row in zip(described, page.history, strict=True)
    ]
    text = RankChartText(
        title=_("Rank of %(district)s in %(race)s, by period")
        % {"district": page.district.display_name, "race": page.race.display_name},
        description=_("Rank 1 is the best of %(size)d. %(points)s.")
        % {"size": page.group_size, "points": _("; ").join(described)},
        x_axis=_("Period"),
        y_axis=_("Rank (1 = best)"),
        point_title=_("{label}: rank {rank}"),
        main_series=_("Quarterly race"),
        monthly_series=_("Monthly review"),
    )
    points = [
        RankPoint(row.period, row.rank, rank_text(row.rank, row.tied), monthly=row.monthly)
        for row in page.history
    ]
    return rank_history_svg(
        points=points,
        max_rank=page.group_size,
        text=text,
        chart_id=f"rank-history-{page.district.code}",
    )


def monthly_review_title(period: str | Period) -> str:
    """The monthly review's title, "Monthly review, October 2026" (2026年10月月度点评);
    "" for a period that is not a month."""
    if not is_monthly_review(period):
        return ""
    parsed = period if isinstance(period, Period) else Period.parse(period)
    # The language's own way of naming a month of a year: "October 2026", "2026年10月".
    month = date_format(parsed.first_day, "YEAR_MONTH_FORMAT")
    return _("Monthly review, %(month)s") % {"month": month}


def publication_title(race: Race, period: str | Period) -> str:
    """The heading of a race's publication: the race's name, or for a month its review's."""
    return monthly_review_title(period) or race.display_name
