"""The weekly scheduling board (周调度) and its exports."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import may_manage_projects, may_read_projects, reader_required
from districts.periods import Period, PeriodError, PeriodKind
from projects.board_exports import csv_response, xlsx_response
from projects.board_forms import BoardOptionsForm, ProjectFiguresForm
from projects.selectors.board import DEFAULT_OPEN_WEEKS, scheduling_board
from projects.services.figures import project_figures_compute

# A page of warnings helps no one; the command lists every skipped figure.
MAX_SKIPPED_SHOWN = 20


class UnknownWeek(Exception):
    def __init__(self, code: str, problem: str):
        super().__init__(problem)
        self.code = code
        self.problem = problem


def _readable_week(request: HttpRequest, code: str) -> Period:
    if not may_read_projects(request.user):
        raise PermissionDenied
    try:
        return Period.parse_week(code)
    except PeriodError as error:
        raise UnknownWeek(code, str(error)) from error


def _unknown_week(request: HttpRequest, error: UnknownWeek) -> HttpResponse:
    context = {"code": error.code, "problem": error.problem}
    return render(request, "projects/board_unknown_week.html", context, status=404)


def week_required(view):
    """The week in the URL read as an ISO week; a code that is none gets a 404 naming why."""

    @wraps(view)
    def wrapped(request: HttpRequest, week: str) -> HttpResponse:
        try:
            period = _readable_week(request, week)
        except UnknownWeek as error:
            return _unknown_week(request, error)
        return view(request, period)

    return wrapped


def _board(request: HttpRequest, week: Period):
    # Unbound, the field shows the default N, so the reader sees which N the lists use.
    options = BoardOptionsForm(request.GET or None, initial={"open_weeks": DEFAULT_OPEN_WEEKS})
    return options, scheduling_board(week, open_weeks=options.open_weeks_or_default())


@reader_required
def board_latest(request: HttpRequest) -> HttpResponse:
    """The last finished week: the one before today's."""
    if not may_read_projects(request.user):
        raise PermissionDenied
    week = Period.week_of(timezone.localdate()).previous()
    return redirect("projects:board", week=week.code)


@reader_required
@week_required
def board_page(request: HttpRequest, period: Period) -> HttpResponse:
    options, board = _board(request, period)
    figures_form = None
    if may_manage_projects(request.user):
        figures_form = ProjectFiguresForm(
            initial={"period": period.within(PeriodKind.QUARTER).code}
        )
    query = f"?open_weeks={board.open_weeks}" if request.GET.get("open_weeks") else ""
    return render(
        request,
        "projects/board.html",
        {
            "board": board,
            "options": options,
            "figures_form": figures_form,
            "next_week": period.next(),
            "query": query,
        },
    )


@reader_required
@week_required
def board_csv(request: HttpRequest, period: Period) -> HttpResponse:
    _options, board = _board(request, period)
    return csv_response(board)


@reader_required
@week_required
def board_xlsx(request: HttpRequest, period: Period) -> HttpResponse:
    _options, board = _board(request, period)
    return xlsx_response(board)


@require_POST
@reader_required
@week_required
def board_figures(request: HttpRequest, period: Period) -> HttpResponse:
    """The bureau's button: compute the units' race figures from their project reports."""
    if not may_manage_projects(request.user):
        raise PermissionDenied
    form = ProjectFiguresForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("projects:board", week=period.code)
    try:
        result = project_figures_compute(
            user=request.user,
            period=form.cleaned_data["period"],
            indicator_map=form.indicator_map(),
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("projects:board", week=period.code)
    messages.success(
        request,
        _(
            "Figures for %(period)s computed from the reports up to %(week)s: %(written)s saved "
            "as drafts for review, %(unchanged)s unchanged, %(skipped)s skipped."
        )
        % {
            "period": result.period.code,
            "week": result.last_week.code,
            "written": result.written,
            "unchanged": result.unchanged,
            "skipped": len(result.skipped),
        },
    )
    for unit, indicator, reason in result.skipped[:MAX_SKIPPED_SHOWN]:
        messages.warning(
            request,
            _("Skipped %(unit)s, %(indicator)s: %(reason)s")
            % {"unit": unit.display_name, "indicator": indicator.display_name, "reason": reason},
        )
    if len(result.skipped) > MAX_SKIPPED_SHOWN:
        hidden = len(result.skipped) - MAX_SKIPPED_SHOWN
        messages.warning(request, _("… and %(count)s more skipped.") % {"count": hidden})
    return redirect("projects:board", week=period.code)


urlpatterns: list = [
    path("board/", board_latest, name="board-latest"),
    path("board/<str:week>/", board_page, name="board"),
    path("board/<str:week>/figures/", board_figures, name="board-figures"),
    path("board/<str:week>.csv", board_csv, name="board-csv"),
    path("board/<str:week>.xlsx", board_xlsx, name="board-xlsx"),
]
