"""python manage.py import_districts FILE [--create-groups]"""

from districts.management.file_commands import FileImportCommand
from districts.services.imports import DISTRICT_COLUMNS, DISTRICT_OPTIONAL_COLUMNS, districts_import


class Command(FileImportCommand):
    help = (
        f"Create or update districts from a CSV or XLSX file with the columns "
        f"{','.join(DISTRICT_COLUMNS)} (optional: {','.join(DISTRICT_OPTIONAL_COLUMNS)}). "
        "Nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--create-groups",
            action="store_true",
            help="create groups the file names but the database lacks (named after their code)",
        )

    def handle(self, *args, file, create_groups, verbosity, **options):
        self.run_import(
            file,
            lambda path, name: districts_import(path=path, name=name, create_groups=create_groups),
            list_changes=verbosity >= 2,
        )
