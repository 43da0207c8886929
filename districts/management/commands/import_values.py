"""python manage.py import_values FILE [--status draft|submitted|approved] [--dry-run] [--user U]"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError

from districts.importing.report import ImportResult
from districts.management.file_commands import FileImportCommand
from districts.models import ValueStatus
from districts.services.imports import (
    IMPORT_RETURN_STATUSES,
    VALUE_COLUMNS,
    VALUE_OPTIONAL_COLUMNS,
    values_import,
)

# A dry run lists the rows it would change; past this many it counts the rest.
CHANGES_LISTED_MAX = 10_000


class Command(FileImportCommand):
    help = (
        f"Create or update districts' values from a CSV or XLSX file with the columns "
        f"{','.join(VALUE_COLUMNS)} (optional: {','.join(VALUE_OPTIONAL_COLUMNS)}). "
        "Imported values are approved unless --status says otherwise. "
        "Nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--status",
            choices=list(IMPORT_RETURN_STATUSES),
            help="the review status of the imported values and their returns (default: approved)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="check the file and show what would change, without writing anything",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="record this user (a reviewer or administrator) as entering them",
        )

    def handle(self, *args, file, status, dry_run, user, verbosity, **options):
        entered_by = None
        if user:
            user_model = get_user_model()
            users = user_model.objects.filter(**{user_model.USERNAME_FIELD: user})
            # PostgreSQL refuses NUL in text, and no username holds one.
            entered_by = None if "\x00" in user else users.first()
            if entered_by is None:
                raise CommandError(f'there is no user "{user}"')
        # A dry run is a preview, so it always lists the changes it would make.
        list_changes = dry_run or verbosity >= 2
        with self.progress_bar(enabled=verbosity >= 1) as progress:
            try:
                self.run_import(
                    file,
                    lambda path, name: values_import(
                        path=path,
                        name=name,
                        user=entered_by,
                        status=status or ValueStatus.APPROVED,
                        dry_run=dry_run,
                        list_limit=CHANGES_LISTED_MAX if list_changes else 0,
                        progress=progress,
                    ),
                    list_changes=list_changes,
                    extra_lines=lambda result: [_status_line(result, chosen=status)],
                )
            except PermissionDenied as error:
                raise CommandError(
                    f'"{user}" is not a reviewer or administrator; only the bureau imports values'
                ) from error


def _status_line(result: ImportResult, *, chosen: str | None) -> str:
    line = f"status of the imported values: {result.status}"
    if chosen is None:
        line += " (the default; choose with --status draft|submitted|approved)"
    return line
