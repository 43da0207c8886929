"""python manage.py export_all ARCHIVE"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.selectors import archive_export


class Command(BaseCommand):
    help = (
        "Write the whole deployment (users with their password hashes, roles, districts, "
        "values and their history, races, publications, comments) to one zip archive that "
        "import_all loads into an empty database. The archive is CONFIDENTIAL."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the zip file to write, e.g. saima-2026-01-31.zip")

    def handle(self, *args, archive, **options):
        path = Path(archive)
        if path.exists():
            raise CommandError(f"{path} exists already; choose a new file name")
        started = time.monotonic()
        try:
            summary = archive_export(path=path)
        except OSError as error:
            path.unlink(missing_ok=True)
            raise CommandError(f"cannot write {path}: {error.strerror or error}") from error
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        # Password hashes travel in the archive; tighten it to its owner like a key file.
        path.chmod(0o600)
        rows = sum(summary.counts.values())
        self.stdout.write(
            f"exported {rows} rows of {len(summary.counts)} tables to {path} "
            f"({summary.size / 1_000_000:.1f} MB, {time.monotonic() - started:.1f} s)"
        )
        self.stdout.write(
            "The archive holds password hashes and unpublished figures: keep it as "
            "confidential as the database."
        )
