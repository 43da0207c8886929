"""python manage.py import_indicators FILE"""

from django.core.management.base import BaseCommand, CommandError

from districts.csv_io import read_csv_file
from districts.services import INDICATOR_COLUMNS, INDICATOR_OPTIONAL_COLUMNS, indicators_import


class Command(BaseCommand):
    help = (
        f"Create or update indicators from a UTF-8 CSV file with the columns "
        f"{','.join(INDICATOR_COLUMNS)} (optional: {','.join(INDICATOR_OPTIONAL_COLUMNS)}). "
        "Nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file to import, or - for standard input")

    def handle(self, *args, file, verbosity, **options):
        try:
            table = read_csv_file(file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        result = indicators_import(table=table)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(result.failure_summary())
        for line in result.changes if verbosity >= 2 else ():
            self.stdout.write(line)
        self.stdout.write(result.summary())
