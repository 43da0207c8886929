"""A meeting's minutes (会议纪要) as a .docx an office can edit, from the same data as the page."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from meetings.notice_docx import (
    add_order_table,
    add_table,
    document_bytes,
    heading_number,
    office_document,
)
from meetings.selectors.meetings import Minutes


def minutes_docx(minutes: Minutes, *, chinese: bool) -> bytes:
    meeting = minutes.meeting
    document = office_document()
    document.add_heading(_("Minutes: %(title)s") % {"title": meeting.title}, level=0)
    document.add_paragraph(
        _("%(date)s, %(form)s; period %(period)s.")
        % {
            "date": formats.date_format(meeting.date, "DATE_FORMAT"),
            "form": meeting.get_form_display(),
            "period": meeting.period,
        }
    )

    def attendance():
        if not minutes.attendance:
            document.add_paragraph(_("Attendance was not recorded."))
        for line in minutes.attendance:
            document.add_paragraph(line, style="List Bullet")

    def results():
        for section in minutes.notice.races:
            document.add_heading(section.race, level=2)
            if not section.published:
                document.add_paragraph(_("No results are published for this period."))
                continue
            add_order_table(document, section)

    def speeches():
        if not minutes.speeches:
            document.add_paragraph(_("No exchange speeches."))
        for speech in minutes.speeches:
            colon = "：" if chinese else ": "
            document.add_heading(
                f"{speech.unit}{colon}{speech.title}" if speech.title else speech.unit, level=2
            )
            for paragraph in (speech.body or _("No text was submitted.")).split("\n\n"):
                document.add_paragraph(paragraph.strip())

    def comments():
        if not minutes.comments:
            document.add_paragraph(_("No comments were recorded."))
        for comment in minutes.comments:
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(f"{comment.author} ({comment.subject}): ").bold = True
            paragraph.add_run(comment.body)

    def tasks():
        if not minutes.tasks:
            document.add_paragraph(_("No tasks were deployed."))
            return
        add_table(
            document,
            (_("Task"), _("Responsible units"), _("Due date")),
            [(t.text, t.units, formats.date_format(t.due, "DATE_FORMAT")) for t in minutes.tasks],
        )

    parts = [
        (_("Attendance"), attendance),
        (_("Results of the race"), results),
        (_("Exchange speeches"), speeches),
        (_("Leaders' comments"), comments),
        (_("Deployment"), tasks),
    ]
    for n, (title, body) in enumerate(parts):
        document.add_heading(heading_number(n, chinese) + title, level=1)
        body()
    return document_bytes(document)
