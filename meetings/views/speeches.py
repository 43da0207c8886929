"""Exchange speeches (交流发言): choosing the speaking units, each unit's speech, its file."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from accounts.access import may_plan_meeting, may_read_meeting, may_write_speech, reader_required
from meetings.models import Meeting, MeetingStatus, Speech, SpeechAttachment
from meetings.selectors.speeches import speaker_suggestions, speaker_units
from meetings.services.speeches import (
    MAX_REASON_LENGTH,
    attachment_max_bytes,
    speakers_set,
    speech_submit,
)


def _errors_by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {NON_FIELD_ERRORS: error.messages}


def _speaker_rows(meeting: Meeting) -> list[dict]:
    """One row per unit the bureau may pick: suggested ones first, then the rest."""
    current = {s.district_id: s for s in meeting.speeches.select_related("district")}
    suggestions = speaker_suggestions(meeting)
    suggested = {s.district.pk: s for s in suggestions}
    units = [s.district for s in suggestions]
    seen = set(suggested)
    for district in [s.district for s in current.values()] + speaker_units(meeting):
        if district.pk not in seen:
            seen.add(district.pk)
            units.append(district)
    rows = []
    for district in units:
        speech = current.get(district.pk)
        suggestion = suggested.get(district.pk)
        rows.append(
            {
                "district": district,
                "suggestion": suggestion.reason if suggestion else "",
                "chosen": speech is not None,
                "reason": speech.reason if speech else (suggestion.reason if suggestion else ""),
                "order": speech.order if speech else "",
                "submitted": speech is not None and speech.is_submitted,
            }
        )
    return rows


def _posted_speakers(post, rows: list[dict]) -> tuple[list, dict, dict]:
    """(speakers in speaking order, errors by field, the form as posted) from the request."""
    units = {str(row["district"].pk): row["district"] for row in rows}
    errors: dict[str, list[str]] = {}
    chosen = []
    for position, value in enumerate(post.getlist("speaker")):
        district = units.get(value)
        if district is None:
            errors.setdefault("speaker", []).append(
                _("Speakers: a unit that does not run in this meeting's races was sent.")
            )
            continue
        order_text = post.get(f"order-{value}", "").strip()
        try:
            order = int(order_text) if order_text else 1000 + position
        except ValueError:
            errors.setdefault(f"order-{value}", []).append(
                _("Order of %(unit)s: a whole number.") % {"unit": district.display_name}
            )
            continue
        chosen.append((order, position, district, post.get(f"reason-{value}", "")))
    chosen.sort(key=lambda item: (item[0], item[1]))
    form = {
        "speaker": set(post.getlist("speaker")),
        **{key: post.get(key, "") for key in post if key.startswith(("reason-", "order-"))},
    }
    return [(district, reason) for _order, _position, district, reason in chosen], errors, form


def _with_posted(rows: list[dict], form: dict) -> list[dict]:
    for row in rows:
        key = str(row["district"].pk)
        row["chosen"] = key in form["speaker"]
        row["reason"] = form.get(f"reason-{key}", row["reason"])
        row["order"] = form.get(f"order-{key}", row["order"])
    return rows


@reader_required
def speakers(request: HttpRequest, pk: int) -> HttpResponse:
    """The bureau picks the speaking units from the suggestions, or any unit of the races."""
    meeting = get_object_or_404(Meeting, pk=pk)
    if not may_plan_meeting(request.user):
        raise PermissionDenied
    rows = _speaker_rows(meeting)
    errors: dict[str, list[str]] = {}
    status = 200
    if request.method == "POST":
        chosen, errors, form = _posted_speakers(request.POST, rows)
        if not errors:
            try:
                speakers_set(actor=request.user, meeting=meeting, speakers=chosen)
            except ValidationError as error:
                errors = _errors_by_field(error)
            else:
                messages.success(request, _("The speaking units are saved."))
                return redirect("meetings:meeting", pk=meeting.pk)
        rows = _with_posted(rows, form)
        status = 400
    context = {
        "meeting": meeting,
        "rows": rows,
        "errors": errors,
        "error_list": [message for messages_ in errors.values() for message in messages_],
        "locked": meeting.status == MeetingStatus.MINUTES_PUBLISHED,
        "reason_limit": MAX_REASON_LENGTH,
    }
    return render(request, "meetings/speakers.html", context, status=status)


@reader_required
def speech_page(request: HttpRequest, pk: int) -> HttpResponse:
    """The speech form for the unit's clerk (and the bureau); read-only for other readers."""
    speech = get_object_or_404(Speech.objects.select_related("meeting", "district"), pk=pk)
    if not may_read_meeting(request.user, speech.meeting):
        raise PermissionDenied
    may_write = may_write_speech(request.user, speech)
    errors: dict[str, list[str]] = {}
    form = {"title": speech.title, "body": speech.body}
    status = 200
    if request.method == "POST":
        if not may_write:
            raise PermissionDenied
        form = {"title": request.POST.get("title", ""), "body": request.POST.get("body", "")}
        try:
            speech_submit(
                author=request.user,
                speech=speech,
                title=form["title"],
                body=form["body"],
                attachment=request.FILES.get("attachment"),
                remove_attachment=request.POST.get("remove_attachment") == "1",
            )
        except ValidationError as error:
            errors = _errors_by_field(error)
            status = 400
        else:
            messages.success(request, _("Your speech is submitted."))
            return redirect("meetings:speech", pk=speech.pk)
    attachment = SpeechAttachment.objects.filter(speech=speech).values("name", "size").first()
    context = {
        "speech": speech,
        "meeting": speech.meeting,
        "may_write": may_write,
        "form": form,
        "errors": errors,
        "general_errors": errors.get(NON_FIELD_ERRORS, []),
        "attachment": attachment,
        "limit_mb": f"{attachment_max_bytes() / (1024 * 1024):g}",
        "meeting_url": reverse("meetings:meeting", args=[speech.meeting_id]),
    }
    return render(request, "meetings/speech.html", context, status=status)


@reader_required
def speech_attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A speech's file, to signed-in readers of its meeting only, always as a download."""
    speech = get_object_or_404(Speech.objects.select_related("meeting"), pk=pk)
    if not may_read_meeting(request.user, speech.meeting):
        raise PermissionDenied
    attachment = get_object_or_404(SpeechAttachment, speech=speech)
    response = HttpResponse(bytes(attachment.content), content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("<int:pk>/speakers/", speakers, name="speakers"),
    path("speech/<int:pk>/", speech_page, name="speech"),
    path("speech/<int:pk>/attachment/", speech_attachment, name="speech-attachment"),
]
