"""python manage.py import_scores FILE [--dry-run] [--user USERNAME]"""

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from districts.management.csv_commands import CsvImportCommand
from districts.services.imports import VALUE_COLUMNS, VALUE_OPTIONAL_COLUMNS, values_import


class Command(CsvImportCommand):
    help = (
        f"Create or update districts' values from a UTF-8 CSV file with the columns "
        f"{','.join(VALUE_COLUMNS)} (optional: {','.join(VALUE_OPTIONAL_COLUMNS)}). "
        "Imported values are approved. Nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change, without writing anything",
        )
        parser.add_argument("--user", metavar="USERNAME", help="record this user as entering them")

    def handle(self, *args, file, dry_run, user, verbosity, **options):
        entered_by = None
        if user:
            user_model = get_user_model()
            entered_by = user_model.objects.filter(**{user_model.USERNAME_FIELD: user}).first()
            if entered_by is None:
                raise CommandError(f'there is no user "{user}"')
        # A dry run is a preview, so it always lists the changes it would make.
        self.run_import(
            file,
            lambda table: values_import(table=table, dry_run=dry_run, user=entered_by),
            list_changes=dry_run or verbosity >= 2,
        )
