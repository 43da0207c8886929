"""A race's leaderboard for one period: the table, its exports, and unpublished previews."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import condition, require_POST

from accounts.access import may_preview, may_publish, reader_required
from districts.periods import Period
from pages.requests import optional_number_or_404, period_or_404
from rankings.errors import RaceConfigurationError
from rankings.exports import EXPORT_FORMATS, csv_response, xlsx_response
from rankings.filters import StandingFilter
from rankings.leaderboard_cache import (
    TABLE_TIMEOUT,
    leaderboard_etag,
    leaderboard_last_modified,
    leaderboard_page_get,
    leaderboard_page_key,
    leaderboard_page_set,
    leaderboard_table_key,
    published_leaderboard_state_kept,
    reader_view,
)
from rankings.models import Race
from rankings.presenters import leaderboard_reasons
from rankings.selectors.leaderboard_pages import (
    PublishedLeaderboardState,
    publication_inputs_changed_cached,
    sort_order_parse,
    standings_page,
    standings_sorted,
)
from rankings.selectors.leaderboards import (
    Leaderboard,
    leaderboard_get,
    leaderboard_group,
    leaderboard_preview,
    period_latest_with_values,
    publication_latest,
    race_find,
)
from rankings.selectors.publications import publication_standings_cached
from rankings.services.publishing import standings_publish
from rankings.tables import leaderboard_columns, leaderboard_rows


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


@dataclass(frozen=True)
class _Published:
    """A published leaderboard as one request asks for it."""

    state: PublishedLeaderboardState
    view: str  # what the reader's role adds to the page (rankings.leaderboard_cache)
    inputs_changed: bool


def _published(request: HttpRequest, race: str, period: str) -> _Published | None:
    """The published leaderboard the request asks for; None for a preview or a period not
    published. Read once a request: the HTTP validators run before the view and need it too."""
    if not hasattr(request, "_saima_published_leaderboard"):
        found = None
        if not request.GET.get("preview"):
            state = published_leaderboard_state_kept(
                race_code=race, period=period_or_404(period), revision=_revision(request)
            )
            if state is not None:
                bureau = may_preview(request.user)
                found = _Published(
                    state=state,
                    view=reader_view(is_bureau=bureau),
                    # Reviewers learn that a correction awaits publishing as a new revision.
                    inputs_changed=bureau
                    and state.publication.is_current
                    and publication_inputs_changed_cached(publication=state.publication),
                )
        request._saima_published_leaderboard = found
    return request._saima_published_leaderboard


def _etag(request: HttpRequest, race: str, period: str) -> str | None:
    if (published := _published(request, race, period)) is None:
        return None
    return leaderboard_etag(
        request, published.state, view=published.view, inputs_changed=published.inputs_changed
    )


def _last_modified(request: HttpRequest, race: str, period: str):
    if (published := _published(request, race, period)) is None:
        return None
    return leaderboard_last_modified(
        request, published.state, inputs_changed=published.inputs_changed
    )


def _board_html(request: HttpRequest, board: Leaderboard, *, can_preview: bool) -> str:
    """The leaderboard below its heading, one page of its table (404 for a page not there)."""
    filters = StandingFilter(request.GET or None, kinds=board.kinds)
    show_values = request.GET.get("show") == "values"
    standings = filters.apply(board.standings)
    order = None
    if not board.is_preview:  # the unsaved rows of a preview are shown in rank order only
        order = sort_order_parse(request.GET.get("sort"), indicator_count=len(board.indicators))
        standings = standings_sorted(
            standings, order=order, indicators=board.indicators, show_values=show_values
        )
    try:
        page = standings_page(standings, page_number=request.GET.get("page"))
    except InvalidPage as error:
        raise Http404(str(error)) from error
    group = leaderboard_group(board=board)
    context = {
        "board": board,
        "group": group,
        "race": board.race,
        "period": board.period,
        "filters": filters,
        "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "columns": leaderboard_columns(
            indicators=board.indicators, order=order, sortable=not board.is_preview
        ),
        "rows": leaderboard_rows(
            page.object_list,
            indicators=board.indicators,
            reasons=leaderboard_reasons(board),
            group=group,
            race_code=board.race.code,
            period_code=board.period.code,
            show_values=show_values,
        ),
        "show_values": show_values,
        "can_preview": can_preview,
        "can_publish": can_preview,
    }
    return render_to_string("rankings/partials/leaderboard_board.html", context, request=request)


def _preview(request: HttpRequest, race: str, period: Period) -> HttpResponse:
    if not may_preview(request.user):
        raise PermissionDenied
    race_obj = _race_or_404(race)
    try:
        board = leaderboard_preview(race=race_obj, period=period)
    except RaceConfigurationError as error:
        raise Http404(str(error)) from error
    context = {
        "race": race_obj,
        "period": period,
        "board_html": _board_html(request, board, can_preview=True),
    }
    return render(request, "rankings/leaderboard.html", context)


def _not_published(request: HttpRequest, race: str, period: Period) -> HttpResponse:
    race_obj = _race_or_404(race)
    if may_preview(request.user) and _revision(request) is None:
        # Those who publish land here from a link; tell them how to see the standings.
        context = {
            "race": race_obj,
            "period": period,
            "preview_url": _preview_url(race_obj, period),
        }
        return render(request, "rankings/leaderboard.html", context, status=404)
    raise Http404("no publication for this period")


@reader_required
@condition(etag_func=_etag, last_modified_func=_last_modified)
def leaderboard(request: HttpRequest, race: str, period: str) -> HttpResponse:
    period_obj = period_or_404(period)
    if request.GET.get("preview"):
        return _preview(request, race, period_obj)
    published = _published(request, race, period)
    if published is None:
        return _not_published(request, race, period_obj)
    publication = published.state.publication
    # The table is kept as rendered: at national scale it is most of the page's work.
    key = leaderboard_table_key(published.state, view=published.view, query=request.GET)
    # So is the whole page, for the reader it was made for (the ETag names the reader, their
    # CSRF secret, language and role); none while a message waits to be shown.
    etag = _etag(request, race, period)
    page_key = leaderboard_page_key(table_key=key, etag=etag)
    if page_key and (page := leaderboard_page_get(page_key)) is not None:
        return _page_response(page)
    board_html = cache.get(key) if key else None
    if board_html is None:
        board = leaderboard_get(
            race=publication.race, period=period_obj, revision=publication.revision
        )
        if board is None:  # removed since the state was read
            raise Http404("no publication for this period")
        board_html = _board_html(request, board, can_preview=published.view == "bureau")
        if key:
            cache.set(key, board_html, timeout=TABLE_TIMEOUT)
    context = {
        "race": publication.race,
        "period": period_obj,
        "publication": publication,
        "board_html": board_html,
        "inputs_changed": published.inputs_changed,
    }
    # Kept encoded: a kept page is then sent as it comes out of the cache, with no 170 kB
    # decoded on the way in nor encoded on the way out.
    page = render_to_string("rankings/leaderboard.html", context, request=request).encode()
    if page_key:
        leaderboard_page_set(page_key, page)
    return _page_response(page)


def _page_response(page: bytes) -> HttpResponse:
    response = HttpResponse(page)
    # Browsers keep the page (privately) but ask each time whether it changed: a new
    # comment or revision must show at once, and asking costs a 304.
    patch_cache_control(response, no_cache=True)
    return response


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
    ranked = sum(standing.rank is not None for standing in cached)
    standings = StandingFilter(request.GET or None, kinds=board.kinds).apply(cached)
    if file_format == "csv":
        return csv_response(board, standings, ranked=ranked)
    return xlsx_response(board, standings, ranked=ranked)


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
