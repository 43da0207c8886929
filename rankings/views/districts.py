"""The district page: one unit's standing, rank history, indicators, reasons and comments."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import reader_required
from rankings.selectors.district_pages import PageNotFound, district_page_get


@reader_required
def district_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        page = district_page_get(
            district_code=code,
            race_code=request.GET.get("race") or None,
            period_code=request.GET.get("period") or None,
        )
    except PageNotFound as error:
        raise Http404(str(error)) from error
    return render(request, "rankings/district.html", {"page": page})
