"""manage.py notice MEETING|RACE PERIOD --language zh-hans|en --format docx|html -o FILE"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from districts.periods import Period, PeriodError
from meetings.notice_docx import notice_docx
from meetings.notice_html import notice_html_file
from meetings.selectors.meetings import meeting_get, meeting_races
from meetings.selectors.notices import notice_for_race, notice_for_races
from rankings.selectors.leaderboards import race_find

LANGUAGES = ("zh-hans", "en")
FORMATS = ("docx", "html")


class Command(BaseCommand):
    help = "Write the results notice of a meeting (by id) or a race (by code) for a period."

    def add_arguments(self, parser):
        parser.add_argument("target", help="a meeting id, or a race code")
        parser.add_argument("period", help="the period, e.g. 2025Q1")
        parser.add_argument("--language", default="zh-hans", help="zh-hans or en")
        parser.add_argument("--format", dest="file_format", default="docx", help="docx or html")
        parser.add_argument("-o", "--output", required=True, help="the file to write")

    def handle(self, *args, target, period, language, file_format, output, **options):
        if language not in LANGUAGES:
            raise CommandError(
                f"--language must be one of {', '.join(LANGUAGES)}, not {language!r}"
            )
        if file_format not in FORMATS:
            raise CommandError(f"--format must be one of {', '.join(FORMATS)}, not {file_format!r}")
        try:
            period_obj = Period.parse(period)
        except PeriodError as error:
            raise CommandError(f"PERIOD {period!r}: {error}") from error
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"-o {output!r}: the folder {str(path.parent)!r} does not exist")
        with translation.override(language):
            notice = self._notice(target, period_obj)
            if file_format == "docx":
                content = notice_docx(notice, chinese=language.startswith("zh"))
            else:
                content = notice_html_file(notice, language).encode()
        # Written beside the target and renamed over it: a failure leaves no half-written file.
        handle, temporary = tempfile.mkstemp(
            dir=path.parent, prefix=f".{path.name}.", suffix=".tmp"
        )
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(content)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.stdout.write(f"Wrote {path} ({len(notice.races)} race(s), {len(content)} bytes)")

    def _notice(self, target: str, period: Period):
        if target.isdigit():
            meeting = meeting_get(pk=int(target))
            if meeting is None:
                raise CommandError(f"MEETING {target}: no meeting with this id")
            # The period given, over the meeting's races in the agenda's order.
            races = meeting_races(meeting)
            return notice_for_races(title=meeting.title, races=races, period=period)
        race = race_find(code=target)
        if race is None:
            raise CommandError(
                f"MEETING|RACE {target!r}: no meeting with this id or race with this code"
            )
        return notice_for_race(race=race, period=period)
