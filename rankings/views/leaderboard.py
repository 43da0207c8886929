"""A race's leaderboard for one period: the table, its exports, and unpublished previews."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from accounts.access import may_preview, may_publish, reader_required
from districts.periods import Period
from pages.requests import optional_number_or_404, period_or_404
from rankings.errors import RaceConfigurationError
from rankings.exports import EXPORT_FORMATS, csv_response, xlsx_response
from rankings.filters import StandingFilter
from rankings.models import Race
from rankings.presenters import leaderboard_reasons
from rankings.selectors.leaderboards import (
    leaderboard_get,
    leaderboard_preview,
    period_latest_with_values,
    publication_latest,
    race_find,
)
from rankings.selectors.publications import publication_standings_cached
from rankings.selectors.race_previews import publication_inputs_changed
from rankings.services.publishing import standings_publish
from rankings.tables import LeaderboardTable


def _race_or_404(code: str) -> Race:
    race = race_find(code=code)
    if race is None:
        raise Http404("no such race")
    return race


def _revision(request: HttpRequest) -> int | None:
    return optional_number_or_404(request.GET.get("revision"))


def _preview_url(race: Race, period: Period) -> str:
    return reverse("leaderboard", args=[race.code, period.code]) + "?preview=1"


@reader_required
def race_latest(request: HttpRequest, race: str) -> HttpResponse:
    race_obj = _race_or_404(race)
    publication = publication_latest(race=race_obj)
    if publication is not None:
        return redirect("leaderboard", race=race_obj.code, period=publication.period)
    if may_preview(request.user) and (period := period_latest_with_values(race=race_obj)):
        return redirect(_preview_url(race_obj, period))
    raise Http404("this race has not been published yet")


@reader_required
def leaderboard(request: HttpRequest, race: str, period: str) -> HttpResponse:
    race_obj, period_obj = _race_or_404(race), period_or_404(period)
    previewer = may_preview(request.user)
    if request.GET.get("preview"):
        if not previewer:
            raise PermissionDenied
        try:
            board = leaderboard_preview(race=race_obj, period=period_obj)
        except RaceConfigurationError as error:
            raise Http404(str(error)) from error
    else:
        revision = _revision(request)
        board = leaderboard_get(race=race_obj, period=period_obj, revision=revision)
        if board is None:
            if previewer and revision is None:
                # Those who publish land here from a link; tell them how to see the standings.
                context = {
                    "race": race_obj,
                    "period": period_obj,
                    "preview_url": _preview_url(race_obj, period_obj),
                }
                return render(request, "rankings/leaderboard.html", context, status=404)
            raise Http404("no publication for this period")
    filters = StandingFilter(request.GET or None, kinds=board.kinds)
    table = LeaderboardTable(
        filters.apply(board.standings),
        indicators=board.indicators,
        reasons=leaderboard_reasons(board),
        race_code=race_obj.code,
        period_code=period_obj.code,
        show_values=request.GET.get("show") == "values",
        orderable=not board.is_preview,
    )
    RequestConfig(request, paginate=False).configure(table)
    context = {
        "board": board,
        "race": race_obj,
        "period": period_obj,
        "table": table,
        "filters": filters,
        "show_values": request.GET.get("show") == "values",
        "can_preview": previewer,
        "can_publish": previewer,
        # Reviewers learn that a correction awaits publishing as a new revision.
        "inputs_changed": previewer
        and board.publication is not None
        and board.publication.is_current
        and publication_inputs_changed(publication=board.publication),
    }
    return render(request, "rankings/leaderboard.html", context)


@reader_required
def leaderboard_export(
    request: HttpRequest, race: str, period: str, file_format: str
) -> HttpResponse:
    if file_format not in EXPORT_FORMATS:
        raise Http404("unknown export format")
    race_obj, period_obj = _race_or_404(race), period_or_404(period)
    board = leaderboard_get(race=race_obj, period=period_obj, revision=_revision(request))
    if board is None:
        raise Http404("no publication for this period")
    # Exports list every standing in rank order: the cached, immutable rows serve them.
    cached = publication_standings_cached(publication=board.publication)
    standings = StandingFilter(request.GET or None, kinds=board.kinds).apply(cached)
    if file_format == "csv":
        return csv_response(board, standings)
    return xlsx_response(board, standings)


@require_POST
@reader_required
def leaderboard_publish(request: HttpRequest, race: str, period: str) -> HttpResponse:
    race_obj, period_obj = _race_or_404(race), period_or_404(period)
    if not may_publish(request.user):
        raise PermissionDenied
    try:
        result = standings_publish(race=race_obj, period=period_obj, user=request.user)
    except RaceConfigurationError as error:
        messages.error(request, "; ".join(error.problems))
        return redirect(_preview_url(race_obj, period_obj))
    revision = result.publication.revision
    if not result.created:
        messages.info(
            request, _("Nothing changed since revision %(n)d; it stays current.") % {"n": revision}
        )
    elif result.superseded:
        messages.success(
            request,
            _("Published revision %(n)d; revision %(old)d is superseded.")
            % {"n": revision, "old": result.superseded.revision},
        )
    else:
        messages.success(request, _("Published revision %(n)d.") % {"n": revision})
    return redirect("leaderboard", race=race_obj.code, period=period_obj.code)
