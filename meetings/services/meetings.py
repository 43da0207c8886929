"""Writes: planning a meeting, marking it held and publishing its minutes.

Each write asks accounts.access whether the user may make it, the same rule the pages use to
offer it. A meeting moves one way only: planned → held → minutes published; once the minutes
are out the meeting's record is what was said and decided, and nothing on it changes.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may_plan_meeting
from districts.periods import Period, PeriodError
from meetings.models import Meeting, MeetingForm, MeetingStatus
from pages.text import visible_text
from rankings.models import Race, is_monthly_review

MAX_TITLE_LENGTH = 200
MAX_ATTENDANCE_LENGTH = 5000


def _checked_fields(
    *, title: str, period: str, races: Iterable[Race], date, form: str
) -> tuple[str, Period, list[Race], datetime.date, str]:
    """Every field checked at once, so a form shows all its errors together."""
    errors: dict[str, list[str]] = {}
    title = visible_text(title)
    if not title:
        errors.setdefault("title", []).append(_("Give the meeting a title."))
    elif len(title) > MAX_TITLE_LENGTH:
        errors.setdefault("title", []).append(
            _("A title holds at most %(limit)d characters.") % {"limit": MAX_TITLE_LENGTH}
        )
    parsed = None
    try:
        parsed = Period.parse(period)
    except PeriodError as error:
        errors.setdefault("period", []).append(str(error))
    if parsed is not None and is_monthly_review(parsed):
        errors.setdefault("period", []).append(
            _(
                "A meeting reviews a quarter or a year. A month has its monthly review, "
                "a lighter publication that no meeting reports."
            )
        )
    races = list(races)
    if not races:
        errors.setdefault("races", []).append(_("A meeting covers at least one race."))
    if not isinstance(date, datetime.date):
        errors.setdefault("date", []).append(_("Give the meeting's date."))
    if form not in MeetingForm.values:
        errors.setdefault("form", []).append(_("The form is on site or by video."))
    if errors:
        raise ValidationError(errors)
    return title, parsed, races, date, form


@transaction.atomic
def meeting_create(
    *, actor, title: str, period: str, races: Iterable[Race], date, form: str = MeetingForm.VIDEO
) -> Meeting:
    """Plan a meeting of a period over one or more races (usually every group's race)."""
    if not may_plan_meeting(actor):
        raise PermissionDenied(_("Only the statistics bureau plans meetings."))
    title, parsed, races, date, form = _checked_fields(
        title=title, period=period, races=races, date=date, form=form
    )
    meeting = Meeting.objects.create(
        title=title, period=parsed.code, date=date, form=form, created_by=actor
    )
    meeting.races.set(races)
    return meeting


@transaction.atomic
def meeting_update(
    *, actor, meeting: Meeting, title: str, period: str, races: Iterable[Race], date, form: str
) -> Meeting:
    """Change a meeting's plan; its period and races stay once it is held (the record)."""
    if not may_plan_meeting(actor):
        raise PermissionDenied(_("Only the statistics bureau plans meetings."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise ValidationError(_("The minutes are published: the meeting can no longer change."))
    title, parsed, races, date, form = _checked_fields(
        title=title, period=period, races=races, date=date, form=form
    )
    if meeting.is_held and (
        parsed.code != meeting.period
        or {r.pk for r in races} != set(meeting.races.values_list("pk", flat=True))
    ):
        raise ValidationError(
            {"period": _("The meeting is held: its period and races are part of its record.")}
        )
    meeting.title, meeting.period, meeting.date, meeting.form = title, parsed.code, date, form
    meeting.save(update_fields=["title", "period", "date", "form"])
    meeting.races.set(races)
    return meeting


@transaction.atomic
def meeting_mark_held(*, actor, meeting: Meeting, attendance: str) -> Meeting:
    """The meeting took place: record who attended; officials and viewers may now read it."""
    if not may_plan_meeting(actor):
        raise PermissionDenied(_("Only the statistics bureau records a meeting as held."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise ValidationError(_("The minutes are published: the meeting can no longer change."))
    attendance = visible_text(attendance)
    if len(attendance) > MAX_ATTENDANCE_LENGTH:
        raise ValidationError(
            {
                "attendance": _("Attendance holds at most %(limit)d characters.")
                % {"limit": MAX_ATTENDANCE_LENGTH}
            }
        )
    if meeting.status == MeetingStatus.PLANNED:
        meeting.status, meeting.held_at = MeetingStatus.HELD, timezone.now()
    meeting.attendance = attendance
    meeting.save(update_fields=["status", "held_at", "attendance"])
    return meeting


@transaction.atomic
def minutes_publish(*, actor, meeting: Meeting) -> Meeting:
    """Publish the minutes: the meeting's record is closed from then on."""
    if not may_plan_meeting(actor):
        raise PermissionDenied(_("Only the statistics bureau publishes minutes."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.PLANNED:
        raise ValidationError(_("Record the meeting as held before publishing its minutes."))
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise ValidationError(_("The minutes are already published."))
    meeting.status = MeetingStatus.MINUTES_PUBLISHED
    meeting.minutes_published_at, meeting.minutes_published_by = timezone.now(), actor
    meeting.save(update_fields=["status", "minutes_published_at", "minutes_published_by"])
    return meeting
