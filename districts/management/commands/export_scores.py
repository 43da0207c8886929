"""python manage.py export_scores [--period P] [FILE]"""

from django.core.management.base import BaseCommand, CommandError

from districts.periods import Period, PeriodError
from districts.services.imports import values_export


class Command(BaseCommand):
    help = (
        "Write districts' values as CSV in the format import_scores reads, "
        "ordered by period, district code and indicator code."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help="where to write; standard output when omitted or -"
        )
        parser.add_argument("--period", help="only this period, such as 2025Q1")

    def handle(self, *args, file, period, **options):
        if period is not None:
            try:
                period = Period.parse(period).code
            except PeriodError as error:
                # Checked before opening FILE, so a typo does not leave an empty file behind.
                raise CommandError(str(error)) from error
        if file == "-":
            count = values_export(stream=self.stdout, period=period)
            # Standard output carries the CSV, so the summary goes to standard error.
            self.stderr.write(f"exported {count} values", style_func=lambda text: text)
            return
        try:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                count = values_export(stream=stream, period=period)
        except OSError as error:
            raise CommandError(f"cannot write {file}: {error.strerror}") from error
        self.stdout.write(f"exported {count} values to {file}")
