"""python manage.py import_indicators FILE"""

from districts.management.csv_commands import CsvImportCommand
from districts.services.imports import (
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL_COLUMNS,
    indicators_import,
)


class Command(CsvImportCommand):
    help = (
        f"Create or update indicators from a UTF-8 CSV file with the columns "
        f"{','.join(INDICATOR_COLUMNS)} (optional: {','.join(INDICATOR_OPTIONAL_COLUMNS)}). "
        "Nothing is written unless the whole file is valid."
    )

    def handle(self, *args, file, verbosity, **options):
        self.run_import(
            file, lambda table: indicators_import(table=table), list_changes=verbosity >= 2
        )
