"""The district page: one unit's standing, rank history, indicators, reasons and comments."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import reader_required
from meetings.selectors.rectification import rectifications_of_district
from meetings.selectors.tasks import overdue_tasks_for_district
from pages.requests import optional_period_or_404
from rankings.errors import PageNotFound
from rankings.gap_charts import explanation_gap_charts
from rankings.presenters import (
    district_indicator_rows,
    district_rank_chart,
    district_reason_sections,
)
from rankings.selectors.district_pages import district_page_get


@reader_required
def district_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        page = district_page_get(
            district_code=code,
            race_code=request.GET.get("race") or None,
            period=optional_period_or_404(request.GET.get("period")),
        )
    except PageNotFound as error:
        raise Http404(str(error)) from error
    context = {
        "page": page,
        "chart": district_rank_chart(page),
        "monthly_points": any(row.monthly for row in page.history),
        "reason_sections": district_reason_sections(page),
        "indicator_rows": district_indicator_rows(page),
        "gap_charts": explanation_gap_charts(page),
        "rectifications": rectifications_of_district(district=page.district),
        "overdue_tasks": overdue_tasks_for_district(page.district, timezone.localdate()),
    }
    return render(request, "rankings/district.html", context)
