"""The results notice of a race and period: a page that prints on A4, and the same as .docx."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import get_language

from accounts.access import reader_required
from meetings.notice_docx import DOCX_TYPE, notice_docx
from meetings.selectors.notices import notice_for_race
from pages.requests import period_or_404
from rankings.selectors.leaderboards import race_find


def _notice(race: str, period: str):
    period_obj = period_or_404(period)
    race_obj = race_find(code=race)
    if race_obj is None:
        raise Http404("no such race")
    return race_obj, period_obj, notice_for_race(race=race_obj, period=period_obj)


@reader_required
def race_notice(request: HttpRequest, race: str, period: str) -> HttpResponse:
    race_obj, period_obj, notice = _notice(race, period)
    docx_url = reverse(
        "meetings:race-notice-docx", kwargs={"race": race_obj.code, "period": period_obj.code}
    )
    return render(request, "meetings/notice.html", {"notice": notice, "docx_url": docx_url})


@reader_required
def race_notice_docx(request: HttpRequest, race: str, period: str) -> HttpResponse:
    race_obj, period_obj, notice = _notice(race, period)
    chinese = (get_language() or "").startswith("zh")
    response = HttpResponse(notice_docx(notice, chinese=chinese), content_type=DOCX_TYPE)
    language = "zh" if chinese else "en"
    response["Content-Disposition"] = (
        f'attachment; filename="notice-{race_obj.code}-{period_obj.code}-{language}.docx"'
    )
    return response


urlpatterns = [
    path("notice/<slug:race>/<str:period>/", race_notice, name="race-notice"),
    path("notice/<slug:race>/<str:period>/docx/", race_notice_docx, name="race-notice-docx"),
]
