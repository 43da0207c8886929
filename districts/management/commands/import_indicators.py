"""python manage.py import_indicators FILE"""

from districts.management.file_commands import FileImportCommand
from districts.services.imports import (
    INDICATOR_COLUMNS,
    INDICATOR_OPTIONAL_COLUMNS,
    indicators_import,
)


class Command(FileImportCommand):
    help = (
        f"Create or update indicators from a CSV or XLSX file with the columns "
        f"{','.join(INDICATOR_COLUMNS)} (optional: {','.join(INDICATOR_OPTIONAL_COLUMNS)}). "
        "Nothing is written unless the whole file is valid."
    )

    def handle(self, *args, file, verbosity, **options):
        self.run_import(
            file,
            lambda path, name: indicators_import(path=path, name=name),
            list_changes=verbosity >= 2,
        )
