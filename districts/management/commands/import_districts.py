"""python manage.py import_districts FILE [--create-groups]"""

from django.core.management.base import BaseCommand, CommandError

from districts.csv_io import read_csv_file
from districts.services import DISTRICT_COLUMNS, DISTRICT_OPTIONAL_COLUMNS, districts_import


class Command(BaseCommand):
    help = (
        f"Create or update districts from a UTF-8 CSV file with the columns "
        f"{','.join(DISTRICT_COLUMNS)} (optional: {','.join(DISTRICT_OPTIONAL_COLUMNS)}). "
        "Nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file to import, or - for standard input")
        parser.add_argument(
            "--create-groups",
            action="store_true",
            help="create groups the file names but the database lacks (named after their code)",
        )

    def handle(self, *args, file, create_groups, verbosity, **options):
        try:
            table = read_csv_file(file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        result = districts_import(table=table, create_groups=create_groups)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(result.failure_summary())
        for line in result.notes:
            self.stdout.write(line)
        for line in result.changes if verbosity >= 2 else ():
            self.stdout.write(line)
        self.stdout.write(result.summary())
