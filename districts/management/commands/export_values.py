"""python manage.py export_values [--period P] [--status S] [FILE]"""

from django.core.management.base import BaseCommand, CommandError

from districts.management.file_commands import refuse_nul_in_file_name
from districts.models import ValueStatus
from districts.periods import Period, PeriodError
from districts.selectors.exports import values_export


class Command(BaseCommand):
    help = (
        "Write districts' values as CSV in the format import_values reads, "
        "ordered by period, district code and indicator code."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file", nargs="?", default="-", help="where to write; standard output when omitted or -"
        )
        parser.add_argument("--period", help="only this period, such as 2025Q1")
        parser.add_argument(
            "--status", choices=ValueStatus.values, help="only values in this review status"
        )

    def handle(self, *args, file, period, status, **options):
        if period is not None:
            try:
                period = Period.parse(period).code
            except PeriodError as error:
                # Checked before opening FILE, so a typo does not leave an empty file behind.
                raise CommandError(str(error)) from error
        if file == "-":
            count = values_export(stream=self.stdout, period=period, status=status)
            # Standard output carries the CSV, so the summary goes to standard error.
            self.stderr.write(f"exported {count} values", style_func=lambda text: text)
            return
        refuse_nul_in_file_name(file)
        try:
            with open(file, "w", encoding="utf-8", newline="") as stream:
                count = values_export(stream=stream, period=period, status=status)
        except OSError as error:
            raise CommandError(f"cannot write {file}: {error.strerror}") from error
        self.stdout.write(f"exported {count} values to {file}")
