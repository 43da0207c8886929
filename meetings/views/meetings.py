"""Meeting pages: the list, planning and editing, the meeting with its agenda, the minutes."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import may_plan_meeting, may_read_meeting, reader_required
from comments.services import meeting_comment_post
from meetings.forms import HeldForm, MeetingCommentForm, MeetingPlanForm
from meetings.minutes_docx import minutes_docx
from meetings.models import Meeting, MeetingStatus
from meetings.notice_docx import DOCX_TYPE, notice_docx
from meetings.selectors.meetings import (
    comment_subjects,
    meeting_agenda,
    meeting_get,
    meeting_minutes,
    meeting_notice,
    meetings_visible,
)
from meetings.selectors.speeches import meeting_speeches
from meetings.services import meetings as meeting_services
from meetings.views.tasks import task_sections


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _readable(request: HttpRequest, pk: int) -> Meeting:
    """The meeting, if this reader may open it: 404 when it does not exist, 403 when not theirs."""
    meeting = meeting_get(pk=pk)
    if meeting is None:
        raise Http404(_("No such meeting."))
    if not may_read_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _plannable(request: HttpRequest, pk: int) -> Meeting:
    if not may_plan_meeting(request.user):
        raise PermissionDenied
    meeting = meeting_get(pk=pk)
    if meeting is None:
        raise Http404(_("No such meeting."))
    return meeting


@reader_required
def meeting_list(request: HttpRequest) -> HttpResponse:
    meetings = meetings_visible(request.user)
    return render(
        request,
        "meetings/meeting_list.html",
        {"meetings": meetings, "may_plan": may_plan_meeting(request.user)},
    )


def _plan(request: HttpRequest, meeting: Meeting | None) -> HttpResponse:
    form = MeetingPlanForm.for_meeting(_posted(request), meeting)
    if form.is_bound and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in ("title", "period", "races", "date")}
        try:
            if meeting is None:
                meeting = meeting_services.meeting_create(
                    actor=request.user, form=form.cleaned_data["form"], **fields
                )
                messages.success(request, _("The meeting is planned."))
            else:
                meeting_services.meeting_update(
                    actor=request.user, meeting=meeting, form=form.cleaned_data["form"], **fields
                )
                messages.success(request, _("The meeting is saved."))
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@reader_required
def meeting_new(request: HttpRequest) -> HttpResponse:
    if not may_plan_meeting(request.user):
        raise PermissionDenied
    return _plan(request, None)


@reader_required
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _plannable(request, pk)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        messages.error(request, _("The minutes are published: the meeting can no longer change."))
        return redirect("meetings:meeting", pk=meeting.pk)
    return _plan(request, meeting)


@reader_required
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The meeting's page: its agenda in order, and the comment form for leaders."""
    meeting = _readable(request, pk)
    agenda = meeting_agenda(meeting=meeting, user=request.user)
    if request.method == "POST" and not agenda.may_comment:
        raise PermissionDenied
    form = None
    if agenda.may_comment:
        form = MeetingCommentForm(
            _posted(request),
            subjects=comment_subjects(races=agenda.races, period=meeting.period),
        )
        if form.is_bound and form.is_valid():
            try:
                comment = meeting_comment_post(
                    author=request.user,
                    meeting=meeting,
                    body=form.cleaned_data["body"],
                    **form.subject(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("Your comment is recorded."))
                return redirect(
                    reverse("meetings:meeting", args=[meeting.pk]) + f"#comment-{comment.pk}"
                )
    context = {"agenda": agenda, "meeting": meeting, "comment_form": form}
    context.update(_sections(meeting, request.user))
    return render(request, "meetings/meeting.html", context)


def _sections(meeting: Meeting, user) -> dict:
    """The parts of the agenda that have their own modules: speeches and deployment tasks."""
    return {
        "speeches_template": "meetings/_speeches_section.html",
        "speeches": meeting_speeches(meeting, user),
        "may_choose_speakers": may_plan_meeting(user)
        and meeting.status != MeetingStatus.MINUTES_PUBLISHED,
        **task_sections(meeting, user),
    }


@reader_required
def meeting_held(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _plannable(request, pk)
    form = HeldForm(_posted(request), initial={"attendance": meeting.attendance})
    if form.is_bound and form.is_valid():
        try:
            meeting_services.meeting_mark_held(
                actor=request.user, meeting=meeting, attendance=form.cleaned_data["attendance"]
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("The meeting is recorded as held."))
            return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "meetings/meeting_held.html", {"form": form, "meeting": meeting})


@require_POST
@reader_required
def minutes_publish(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _plannable(request, pk)
    try:
        meeting_services.minutes_publish(actor=request.user, meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("meetings:meeting", pk=meeting.pk)
    messages.success(request, _("The minutes are published."))
    return redirect("meetings:minutes", pk=meeting.pk)


def _minutes_readable(request: HttpRequest, pk: int) -> Meeting:
    """Published minutes are for every reader; the bureau sees a draft once the meeting is held."""
    meeting = _readable(request, pk)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        return meeting
    if meeting.status == MeetingStatus.HELD and may_plan_meeting(request.user):
        return meeting
    raise Http404(_("The minutes of this meeting are not published."))


@reader_required
def minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _minutes_readable(request, pk)
    return render(
        request,
        "meetings/minutes.html",
        {"minutes": meeting_minutes(meeting=meeting), "meeting": meeting},
    )


def _docx_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _chinese() -> bool:
    return (get_language() or "").startswith("zh")


@reader_required
def minutes_download(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _minutes_readable(request, pk)
    chinese = _chinese()
    content = minutes_docx(meeting_minutes(meeting=meeting), chinese=chinese)
    return _docx_response(content, f"minutes-{meeting.pk}-{'zh' if chinese else 'en'}.docx")


@reader_required
def meeting_notice_page(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _readable(request, pk)
    return render(
        request,
        "meetings/notice.html",
        {
            "notice": meeting_notice(meeting=meeting),
            "docx_url": reverse("meetings:meeting-notice-docx", args=[meeting.pk]),
        },
    )


@reader_required
def meeting_notice_download(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _readable(request, pk)
    chinese = _chinese()
    content = notice_docx(meeting_notice(meeting=meeting), chinese=chinese)
    return _docx_response(content, f"notice-{meeting.pk}-{'zh' if chinese else 'en'}.docx")


urlpatterns = [
    path("", meeting_list, name="list"),
    path("new/", meeting_new, name="new"),
    path("<int:pk>/", meeting_detail, name="meeting"),
    path("<int:pk>/edit/", meeting_edit, name="edit"),
    path("<int:pk>/held/", meeting_held, name="held"),
    path("<int:pk>/publish-minutes/", minutes_publish, name="publish-minutes"),
    path("<int:pk>/minutes/", minutes, name="minutes"),
    path("<int:pk>/minutes/docx/", minutes_download, name="minutes-docx"),
    path("<int:pk>/notice/", meeting_notice_page, name="meeting-notice"),
    path("<int:pk>/notice/docx/", meeting_notice_download, name="meeting-notice-docx"),
]
