"""The home page: every race's latest leaderboard at a glance."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.access import reader_required
from districts.periods import Period, PeriodError
from rankings.selectors.leaderboards import home_overview


@reader_required
def home(request: HttpRequest) -> HttpResponse:
    try:
        period = Period.parse(request.GET["period"]) if request.GET.get("period") else None
    except PeriodError:
        period = None
    return render(request, "rankings/home.html", {"overview": home_overview(period=period)})
