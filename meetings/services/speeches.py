"""Writes: the bureau picks a meeting's speaking units; each unit's clerk submits its speech.

Each write asks accounts.access whether the user may make it, the same rule the pages use.
An attachment is checked by what it contains, never by its name: a PDF starts with %PDF-,
a DOCX is a zip holding word/document.xml (read from the zip's directory, never extracted).
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may_plan_meeting, may_write_speech
from comments.markdown_subset import render_markdown
from districts.models import District
from meetings.models import Meeting, MeetingStatus, Speech, SpeechAttachment
from meetings.notice_docx import DOCX_TYPE
from pages.text import visible_text

MAX_SPEECH_LENGTH = 20_000
MAX_TITLE_LENGTH = 200
MAX_REASON_LENGTH = 300
MAX_FILE_NAME_LENGTH = 200
DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
# A DOCX of a few megabytes unpacks to some tens at most; far more is a zip bomb.
MAX_DOCX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_DOCX_ENTRIES = 2_000

PDF_TYPE = "application/pdf"


def attachment_max_bytes() -> int:
    return getattr(settings, "SAIMA_SPEECH_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)


def _clean_text(text: str) -> str:
    return visible_text(text)


@transaction.atomic
def speakers_set(*, actor, meeting: Meeting, speakers: list[tuple[District, str]]) -> list[Speech]:
    """Make ``speakers`` (unit, why it speaks) the meeting's speaking units, in that order.

    A unit kept keeps its speech; a unit dropped loses its speech unless it was submitted, in
    which case nothing changes and the unit is named.
    """
    if not may_plan_meeting(actor):
        raise PermissionDenied(_("Only the statistics bureau chooses who speaks."))
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.MINUTES_PUBLISHED:
        raise ValidationError(
            {"speakers": _("The minutes are published: the speakers can no longer change.")}
        )
    group_ids = set(meeting.races.values_list("group_id", flat=True))
    chosen: dict[int, str] = {}
    for district, reason in speakers:
        name = district.display_name
        if district.pk in chosen:
            raise ValidationError({"speakers": _("%(unit)s is listed twice.") % {"unit": name}})
        if district.group_id not in group_ids:
            raise ValidationError(
                {
                    "speakers": _("%(unit)s does not run in any race of this meeting.")
                    % {"unit": name}
                }
            )
        reason = " ".join(_clean_text(reason).split())
        if len(reason) > MAX_REASON_LENGTH:
            raise ValidationError(
                {
                    "speakers": _("%(unit)s: the reason holds at most %(limit)d characters.")
                    % {"unit": name, "limit": MAX_REASON_LENGTH}
                }
            )
        chosen[district.pk] = reason
    existing = {
        speech.district_id: speech
        for speech in meeting.speeches.select_for_update().select_related("district")
    }
    dropped = [speech for district_id, speech in existing.items() if district_id not in chosen]
    for speech in dropped:
        if speech.is_submitted:
            raise ValidationError(
                {
                    "speakers": _(
                        "%(unit)s has already submitted its speech; it cannot be dropped."
                    )
                    % {"unit": speech.district.display_name}
                }
            )
    Speech.objects.filter(pk__in=[speech.pk for speech in dropped]).delete()
    result = []
    for order, (district_id, reason) in enumerate(chosen.items(), start=1):
        speech = existing.get(district_id)
        if speech is None:
            speech = Speech.objects.create(
                meeting=meeting, district_id=district_id, order=order, reason=reason
            )
        elif (speech.order, speech.reason) != (order, reason):
            speech.order, speech.reason = order, reason
            speech.save(update_fields=["order", "reason"])
        result.append(speech)
    return result


def _safe_file_name(name: str, extension: str) -> str:
    """The uploaded name without folders or control characters, ending as its type does."""
    name = re.split(r"[/\\]", name or "")[-1]
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _clean_text(name).strip(". ")
    stem = name[: -len(extension)] if name.lower().endswith(extension) else name
    stem = stem.strip(". ") or _("speech")
    return stem[: MAX_FILE_NAME_LENGTH - len(extension)] + extension


def _docx_is_sound(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False
    if len(entries) > MAX_DOCX_ENTRIES:
        return False
    if sum(entry.file_size for entry in entries) > MAX_DOCX_UNPACKED_BYTES:
        return False
    return any(entry.filename == "word/document.xml" for entry in entries)


def _read_attachment(upload) -> tuple[bytes, str, str]:
    """(content, content type, file name) of an uploaded PDF or DOCX, or a ValidationError."""
    limit = attachment_max_bytes()
    too_big = ValidationError(
        {
            "attachment": _("The file is larger than %(limit)s MB.")
            % {"limit": f"{limit / (1024 * 1024):g}"}
        }
    )
    if upload.size is not None and upload.size > limit:
        raise too_big
    upload.seek(0)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise too_big
    if not data:
        raise ValidationError({"attachment": _("The file is empty.")})
    if data.startswith(b"%PDF-"):
        content_type, extension = PDF_TYPE, ".pdf"
    elif data.startswith(b"PK") and _docx_is_sound(data):
        content_type, extension = DOCX_TYPE, ".docx"
    else:
        raise ValidationError(
            {"attachment": _("Attach a PDF or a Word (.docx) file; this file is neither.")}
        )
    return data, content_type, _safe_file_name(upload.name, extension)


def speech_submit(
    *,
    author,
    speech: Speech,
    title: str,
    body: str,
    attachment=None,
    remove_attachment: bool = False,
) -> Speech:
    """Save and submit a unit's speech: a title and the text, a file attached, or both."""
    if not may_write_speech(author, speech):
        raise PermissionDenied(_("Only the speaking unit's clerk writes this speech."))
    errors: dict[str, list[str]] = {}
    title = " ".join(_clean_text(title).split())
    body = _clean_text(body)
    if not title:
        errors.setdefault("title", []).append(_("Give the speech a title."))
    elif len(title) > MAX_TITLE_LENGTH:
        errors.setdefault("title", []).append(
            _("A title holds at most %(limit)d characters.") % {"limit": MAX_TITLE_LENGTH}
        )
    if len(body) > MAX_SPEECH_LENGTH:
        errors.setdefault("body", []).append(
            _("A speech holds at most %(limit)d characters.") % {"limit": MAX_SPEECH_LENGTH}
        )
    upload = None
    if attachment is not None:
        try:
            upload = _read_attachment(attachment)
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        speech = Speech.objects.select_for_update().select_related("meeting").get(pk=speech.pk)
        # Asked again under the lock: the minutes may have been published meanwhile.
        if not may_write_speech(author, speech):
            raise PermissionDenied(_("Only the speaking unit's clerk writes this speech."))
        if upload is not None or remove_attachment:
            SpeechAttachment.objects.filter(speech=speech).delete()
        if upload is not None:
            content, content_type, name = upload
            SpeechAttachment.objects.create(
                speech=speech,
                name=name,
                content_type=content_type,
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                content=content,
                uploaded_by=author,
            )
        elif not body and not SpeechAttachment.objects.filter(speech=speech).exists():
            raise ValidationError({"body": _("Write the speech or attach it as a file.")})
        speech.title = title
        speech.body = body
        speech.body_html = render_markdown(body) if body else ""
        speech.submitted_at = timezone.now()
        speech.submitted_by = author
        speech.save(update_fields=["title", "body", "body_html", "submitted_at", "submitted_by"])
    return speech
