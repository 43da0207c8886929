"""python manage.py import_all ARCHIVE"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backups.services import ArchiveRefused, archive_import


class Command(BaseCommand):
    help = (
        "Load an archive written by export_all into this database, which must be migrated "
        "to the same state and hold no data yet. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the zip file export_all wrote")

    def handle(self, *args, archive, **options):
        started = time.monotonic()
        try:
            summary = archive_import(path=Path(archive))
        except ArchiveRefused as refusal:
            raise CommandError(f"{refusal}. Nothing was imported.") from refusal
        rows = sum(summary.counts.values())
        self.stdout.write(
            f"imported {rows} rows of {len(summary.counts)} tables from {archive} "
            f"({time.monotonic() - started:.1f} s)"
        )
        for label, count in summary.counts.items():
            self.stdout.write(f"  {label}: {count}", style_func=lambda text: text)
