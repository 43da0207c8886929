"""The bureau's data-quality page: flagged figures, those that change a race's order first."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import is_bureau, reader_required
from districts.decimals import format_decimal
from districts.presenters import figure_text, warning_text
from districts.selectors.quality import FlaggedValue, period_quality
from districts.views.completeness import neighbours
from pages.formatting import with_unit
from pages.requests import period_or_404


@dataclass(frozen=True)
class QualityRow:
    """A flagged figure as the page shows it."""

    item: FlaggedValue
    figure: str
    median: str
    warnings: list[str]


@reader_required
def quality_page(request: HttpRequest, period: str) -> HttpResponse:
    if not is_bureau(request.user):
        raise PermissionDenied
    period_obj = period_or_404(period)
    report = period_quality(period=period_obj)
    rows = [
        QualityRow(
            item=item,
            figure=with_unit(format_decimal(item.value.value), item.value.indicator.unit),
            median=figure_text(item.group_median, item.value.indicator),
            warnings=[
                warning_text(warning, indicator=item.value.indicator, period=period_obj)
                for warning in item.warnings
            ],
        )
        for item in report.flagged
    ]
    previous_period, next_period = neighbours(period_obj)
    context = {
        "report": report,
        "rows": rows,
        "period": period_obj,
        "previous_period": previous_period,
        "next_period": next_period,
    }
    return render(request, "districts/quality.html", context)
