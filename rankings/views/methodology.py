"""A race's methodology in plain words, generated from the stored spec."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import reader_required
from pages.requests import optional_number_or_404
from rankings.methodology_text import methodology_describe
from rankings.selectors.leaderboards import methodology_get, race_find


@reader_required
def methodology_page(request: HttpRequest, race: str) -> HttpResponse:
    race_obj = race_find(code=race)
    if race_obj is None:
        raise Http404("no such race")
    version = optional_number_or_404(request.GET.get("version"))
    page = methodology_get(race=race_obj, version=version)
    if page is None:
        raise Http404("no such methodology version")
    context = {
        "page": page,
        "race": race_obj,
        "text": methodology_describe(page.version.spec, page.indicators),
    }
    return render(request, "rankings/methodology.html", context)
