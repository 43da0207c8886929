"""What every import command does around its service: find the file, show progress, report."""

from __future__ import annotations

import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from districts.importing.report import ImportResult
from districts.importing.tables import Table

STDIN = "-"


class FileImportCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            help="the CSV or XLSX file to import (told apart by extension), "
            "or - for CSV on standard input",
        )

    def execute(self, *args, **options):
        # The progress bar draws on the real standard error, not through Django's wrapper,
        # which ends every write with a new line.
        self.progress_stream = options.get("stderr") or sys.stderr
        return super().execute(*args, **options)

    def run_import(
        self,
        file: str,
        importer: Callable[[Path, str], ImportResult],
        *,
        list_changes: bool,
        extra_lines: Callable[[ImportResult], list[str]] = lambda result: [],
    ) -> None:
        """Import ``file``; on any problem list them all on stderr and fail, writing nothing."""
        refuse_nul_in_file_name(file)
        try:
            with _readable(file) as (path, name):
                result = importer(path, name)
        except OSError as error:
            raise CommandError(f"cannot read {file}: {error.strerror}") from error
        if not result.ok:
            for problem in result.problems:
                self.stderr.write(str(problem))
            raise CommandError(result.failure_summary())
        if result.source is not None:
            self.stdout.write(str(result.source))
        if rounding := result.rounding_summary():
            self.stdout.write(rounding)
        for line in [*result.notes, *extra_lines(result)]:
            self.stdout.write(line)
        if list_changes:
            for change in result.changes:
                self.stdout.write(str(change))
            if result.changes_not_listed:
                self.stdout.write(f"… and {result.changes_not_listed} more changes, not listed")
        self.stdout.write(result.summary())

    @contextmanager
    def progress_bar(self, *, enabled: bool) -> Iterator[Callable[[Table], None] | None]:
        """A callback that shows how far into its file an import is, on a terminal only."""
        if not enabled:
            yield None
            return
        bar: tqdm | None = None

        def show(table: Table) -> None:
            nonlocal bar
            if bar is None:
                unit = "B" if table.format == "CSV" else " rows"
                bar = tqdm(
                    total=table.size,
                    desc=f"checking {table.name}",
                    unit=unit,
                    unit_scale=table.format == "CSV",
                    file=self.progress_stream,
                    disable=None,  # off unless standard error is a terminal
                    leave=False,
                )
            bar.update(table.position() - bar.n)

        try:
            yield show
        finally:
            if bar is not None:
                bar.close()


def refuse_nul_in_file_name(file: str) -> None:
    """open() raises ValueError, not OSError, for a name with a NUL byte; say it plainly."""
    if "\x00" in file:
        raise CommandError(f"cannot open {file!r}: a file name holds no NUL byte")


@contextmanager
def _readable(file: str) -> Iterator[tuple[Path, str]]:
    """The file's path and name; standard input is kept in a temporary file first, since
    its encoding is found by reading it once before its rows are."""
    if file != STDIN:
        path = Path(file)
        path.open("rb").close()  # a missing or unreadable file fails here, with its reason
        yield path, path.name
        return
    with tempfile.NamedTemporaryFile(prefix="saima-import-", suffix=".csv") as spooled:
        shutil.copyfileobj(sys.stdin.buffer, spooled)
        spooled.flush()
        yield Path(spooled.name), "standard input"
