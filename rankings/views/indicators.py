"""The indicator page: every district of a group on one indicator, best first."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import may_see_unpublished, reader_required
from pages.requests import optional_period_or_404
from rankings.errors import PageNotFound
from rankings.selectors.indicator_pages import indicator_page_get


@reader_required
def indicator_page(request: HttpRequest, code: str) -> HttpResponse:
    try:
        page = indicator_page_get(
            indicator_code=code,
            group_code=request.GET.get("group") or None,
            period=optional_period_or_404(request.GET.get("period")),
            published_only=not may_see_unpublished(request.user),
        )
    except PageNotFound as error:
        raise Http404(str(error)) from error
    return render(request, "rankings/indicator.html", {"page": page})
