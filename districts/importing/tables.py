"""A file staff give Saima, opened as a header and a stream of rows, whatever its format.

CSV and XLSX are told apart by the file's extension. Rows are read one at a time, so a
file of a million rows costs no more memory than a file of ten; whatever is wrong in the
file's shape (an undecodable byte, a NUL, a merged cell) is added to the import's report,
named by row and column, while the rows stream past.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from districts.importing.report import ImportReport

SPREADSHEET_EXTENSIONS = {".xlsx", ".xlsm"}
# Formats people save by mistake: say what to do instead of reading them as CSV.
UNREADABLE_EXTENSIONS = {
    ".xls": "Excel 97-2003 (.xls)",
    ".ods": "OpenDocument (.ods)",
    ".numbers": "Apple Numbers",
}
UNREADABLE_ADVICE = "save it as .xlsx or as CSV UTF-8 and try again"


@dataclass(frozen=True, slots=True)
class SourceRow:
    """One data row: its number in the file and its cells by (lower-cased) column name."""

    number: int
    cells: Mapping[str, str]


@dataclass(slots=True)
class Table:
    """A file's header (names trimmed and lower-cased) and the stream of its data rows.

    ``rows`` yields each non-blank row once; ``rows_read`` counts them as they go and
    ``position`` says how far into the file the reading is (in ``size`` units, for a
    progress bar).
    """

    name: str
    format: str
    encoding: str | None = None
    columns: tuple[str, ...] = ()
    header_row: int = 1
    rows: Iterator[SourceRow] = field(default_factory=lambda: iter(()))
    rows_read: int = 0
    size: int | None = None
    position: Callable[[], int] = lambda: 0
    # Spreadsheet cell names ("C14") of a column's cells; None for CSV.
    column_letters: Mapping[str, str] | None = None

    def cell_name(self, row: int, column: str | None) -> str | None:
        if self.column_letters is None or column not in self.column_letters:
            return None
        return f"{self.column_letters[column]}{row}"


@contextmanager
def opened_table(path: str | Path, *, report: ImportReport, name: str | None = None):
    """Open ``path`` as a Table, reporting into ``report`` whatever keeps it from being read.

    ``name`` is the file's name as staff know it (an uploaded file is stored under another);
    its extension decides the format. Closes the file on leaving the block.
    """
    name = name or Path(path).name
    extension = Path(name).suffix.lower()
    if extension in UNREADABLE_EXTENSIONS:
        report.add(
            1,
            f"is in the {UNREADABLE_EXTENSIONS[extension]} format; only CSV and XLSX files "
            f"are read: {UNREADABLE_ADVICE}",
        )
        yield Table(name=name, format=extension.lstrip(".").upper())
        return
    if extension in SPREADSHEET_EXTENSIONS:
        from districts.importing.xlsx_files import opened_xlsx

        opener = opened_xlsx
    else:
        from districts.importing.csv_files import opened_csv

        opener = opened_csv
    with opener(Path(path), name=name, report=report) as table:
        yield table


def clean_cell(text: str, *, table: Table, report: ImportReport, row: int, column: str) -> str:
    """The cell's text without characters no figure, code or note may hold, each reported."""
    if "\x00" in text:
        report.add(
            row,
            "contains a NUL character (byte 0), which is not text; the file is damaged or "
            "not a text file",
            column,
            table.cell_name(row, column),
        )
        text = text.replace("\x00", "")
    if "\ufeff" in text:
        report.add(
            row,
            "contains a byte-order mark (U+FEFF) inside the file, often left where two files "
            "were joined; delete it",
            column,
            table.cell_name(row, column),
        )
        text = text.replace("\ufeff", "")
    return text


def header_problems(
    table: Table, report: ImportReport, *, required: Sequence[str], optional: Sequence[str]
) -> None:
    """Report missing required columns, unknown columns, unnamed and repeated columns."""
    if not table.columns:
        return
    row = table.header_row
    known = [*required, *optional]
    for column in required:
        if column not in table.columns:
            report.add(row, f'missing required column "{column}"')
    seen: dict[str, int] = {}
    for position, column in enumerate(table.columns, start=1):
        if not column:
            report.add(row, f"column {position} has no name")
        elif column in seen:
            report.add(
                row, f'column "{column}" appears twice (columns {seen[column]} and {position})'
            )
        elif column not in known:
            expected = ", ".join(known)
            report.add(row, f'unknown column "{column}"; expected: {expected}')
        seen.setdefault(column, position)


def write_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a header and rows as CSV; returns the number of data rows written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
