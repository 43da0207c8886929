"""What every CSV import command does around its service: read, report, summarise."""

from collections.abc import Callable

from django.core.management.base import BaseCommand, CommandError

from districts.csv_io import CsvTable, ImportResult, read_csv_file


class CsvImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV file to import, or - for standard input")

    def run_import(
        self,
        file: str,
        importer: Callable[[CsvTable], ImportResult],
        *,
        list_changes: bool,
    ) -> None:
        """Import ``file``; on any problem list them all on stderr and fail, writing nothing."""
        try:
            table = read_csv_file(file)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        result = importer(table)
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(result.failure_summary())
        for line in result.notes:
            self.stdout.write(line)
        for line in result.changes if list_changes else ():
            self.stdout.write(line)
        self.stdout.write(result.summary())
