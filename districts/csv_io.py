"""Reading and writing the CSV files staff exchange with Saima, and reporting what is wrong in them.

The import services validate a whole file before writing anything, so the helpers here never stop
at the first problem: each one records what it finds in an ``ImportReport`` and carries on.
Row numbers are line numbers in the file (the header is row 1), so staff can find a row in a text
editor as well as in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from django.core.exceptions import ValidationError
from django.db import models

from districts.models import FIGURE_DECIMALS, FIGURE_DIGITS

# Value, target, min and max are DecimalField(FIGURE_DIGITS, FIGURE_DECIMALS).
MAX_DECIMALS = FIGURE_DECIMALS
MAX_WHOLE_DIGITS = FIGURE_DIGITS - FIGURE_DECIMALS

# Plain decimal notation only: "1e3" or "1,5" would be read differently by different people.
_DECIMAL_PATTERN = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")
_INTEGER_PATTERN = re.compile(r"^\+?\d+$")
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with a file. ``row`` is the line number; ``column`` a header name."""

    row: int
    message: str
    column: str | None = None

    def __str__(self) -> str:
        if self.column is None:
            return f"row {self.row}: {self.message}"
        return f'row {self.row}, column "{self.column}": {self.message}'


class ImportReport:
    """Collects every problem found in a file so that all of them can be reported at once."""

    def __init__(self, problems: Iterable[RowProblem] = ()) -> None:
        self.problems: list[RowProblem] = list(problems)

    def add(self, row: int, message: str, column: str | None = None) -> None:
        self.problems.append(RowProblem(row, message, column))

    def sorted_problems(self) -> tuple[RowProblem, ...]:
        # Stable sort: problems of one row keep the order of the columns they were found in.
        return tuple(sorted(self.problems, key=lambda problem: problem.row))

    def __bool__(self) -> bool:
        return bool(self.problems)

    def __len__(self) -> int:
        return len(self.problems)


@dataclass(slots=True)
class ImportResult:
    """What an import did (or, for a dry run or a rejected file, would have done)."""

    problems: tuple[RowProblem, ...] = ()
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    # One line per created or updated record, shown by --dry-run and at verbosity 2.
    changes: list[str] = field(default_factory=list)
    # Side effects staff should always hear about, such as groups created on the way.
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        counts = f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"
        if self.dry_run:
            return f"dry run, nothing was written: would have {counts}"
        return counts

    def failure_summary(self) -> str:
        count = len(self.problems)
        return f"{count} problem{'' if count == 1 else 's'}; nothing was imported"


@dataclass(frozen=True, slots=True)
class CsvRow:
    number: int
    cells: Mapping[str, str]


@dataclass(slots=True)
class CsvTable:
    """A file's header (names trimmed and lower-cased), its data rows and problems in its shape."""

    columns: tuple[str, ...] = ()
    header_row: int = 1
    rows: list[CsvRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def read_csv_file(path: str | Path) -> CsvTable:
    """Read a CSV file; ``-`` reads standard input."""
    if str(path) == "-":
        return read_csv(sys.stdin.buffer.read())
    return read_csv(Path(path).read_bytes())


def read_csv(data: bytes) -> CsvTable:
    """Parse UTF-8 CSV (with or without a byte-order mark), skipping blank lines."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problem = RowProblem(line, "is not UTF-8 text; save the file as CSV UTF-8 and try again")
        return CsvTable(problems=[problem])
    table = CsvTable()
    reader = csv.reader(io.StringIO(text, newline=""))
    last_line = 0
    try:
        for record in reader:
            # A record starts on the line after the previous one ended (quoted cells span lines).
            number, last_line = last_line + 1, reader.line_num
            if all(not cell.strip() for cell in record):
                continue
            if not table.columns:
                table.columns = tuple(cell.strip().lower() for cell in record)
                table.header_row = number
                continue
            _add_row(table, number, record)
    except csv.Error as error:
        table.problems.append(RowProblem(last_line + 1, f"cannot be read as CSV: {error}"))
    if not table.columns and not table.problems:
        table.problems.append(RowProblem(1, "the file is empty; the first row must be the header"))
    return table


def _add_row(table: CsvTable, number: int, record: list[str]) -> None:
    if len(record) != len(table.columns):
        table.problems.append(
            RowProblem(
                number,
                f"has {len(record)} cells but the header has {len(table.columns)} columns",
            )
        )
        return
    cells = {column: cell.strip() for column, cell in zip(table.columns, record, strict=True)}
    table.rows.append(CsvRow(number, cells))


def header_problems(
    table: CsvTable, *, required: Sequence[str], optional: Sequence[str]
) -> list[RowProblem]:
    """Missing required columns, unknown columns, unnamed and repeated columns."""
    if not table.columns:
        return []
    row = table.header_row
    known = [*required, *optional]
    problems = [
        RowProblem(row, f'missing required column "{column}"')
        for column in required
        if column not in table.columns
    ]
    seen: dict[str, int] = {}
    for position, column in enumerate(table.columns, start=1):
        if not column:
            problems.append(RowProblem(row, f"column {position} has no name"))
        elif column in seen:
            problems.append(
                RowProblem(
                    row, f'column "{column}" appears twice (columns {seen[column]} and {position})'
                )
            )
        elif column not in known:
            expected = ", ".join(known)
            problems.append(RowProblem(row, f'unknown column "{column}"; expected: {expected}'))
        seen.setdefault(column, position)
    return problems


def parse_decimal(text: str) -> Decimal:
    """Read a plain decimal number that fits the figure columns (FIGURE_DIGITS, FIGURE_DECIMALS).

    Raises ValueError with a message fit to show staff.
    """
    if not _DECIMAL_PATTERN.match(text):
        raise ValueError(f'"{text}" is not a number; write digits with a "." for decimals')
    number = Decimal(text)
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)  # the pattern rules out NaN and Infinity
    decimals = max(0, -exponent)
    if decimals > MAX_DECIMALS:
        raise ValueError(
            f'"{text}" has {decimals} decimal places; at most {MAX_DECIMALS} are allowed'
        )
    whole_digits = len(str(abs(int(number)))) if abs(number) >= 1 else 0
    if whole_digits > MAX_WHOLE_DIGITS:
        raise ValueError(
            f'"{text}" has {whole_digits} digits before the decimal point; '
            f"at most {MAX_WHOLE_DIGITS} are allowed"
        )
    return number


def parse_bool(text: str) -> bool:
    """true/false, yes/no, 1/0 (any case); an empty cell means false."""
    if not text.strip():
        return False
    try:
        return _BOOLEANS[text.strip().lower()]
    except KeyError:
        raise ValueError(
            f'"{text}" is not a yes/no value; write true, false, yes, no, 1 or 0'
        ) from None


class CellReader:
    """Reads the cells of one row, recording each problem in the report instead of raising.

    The readers return None when a cell cannot be used; the caller does not need to check why,
    because any recorded problem stops the whole import before anything is written.
    """

    def __init__(self, row: CsvRow, report: ImportReport) -> None:
        self.row = row
        self.report = report

    def has(self, column: str) -> bool:
        return column in self.row.cells

    def problem(self, column: str | None, message: str) -> None:
        self.report.add(self.row.number, message, column)

    def required(self, column: str) -> str | None:
        """The cell's text, or None (a missing column is reported once, for the header)."""
        if not self.has(column):
            return None
        text = self.row.cells[column]
        if not text:
            self.problem(column, "is empty; a value is required")
            return None
        return text

    def text(self, column: str, model_field: models.Field, *, required: bool = False) -> str | None:
        """Text checked against the model field's length and validators."""
        text = self.required(column) if required else self.row.cells.get(column)
        if text is None:
            return None
        if text:
            try:
                model_field.run_validators(text)
            except ValidationError as error:
                self.problem(column, f'"{text}": {" ".join(error.messages)}')
                return None
        return text

    def choice(
        self, column: str, accepted: Mapping[str, str], *, required: bool = True
    ) -> str | None:
        """One of ``accepted``'s keys (any case), translated to its stored value."""
        text = self.required(column) if required else self.row.cells.get(column)
        if not text:
            return None
        value = accepted.get(text.lower())
        if value is None:
            names = ", ".join(dict.fromkeys(accepted))
            self.problem(column, f'"{text}" is not one of: {names}')
        return value

    def decimal(self, column: str, *, required: bool = False) -> Decimal | None:
        text = self.required(column) if required else self.row.cells.get(column)
        if not text:
            return None
        try:
            return parse_decimal(text)
        except ValueError as error:
            self.problem(column, str(error))
            return None

    def integer(self, column: str, *, low: int, high: int) -> int | None:
        text = self.row.cells.get(column)
        if not text:
            return None
        if not _INTEGER_PATTERN.match(text) or not low <= int(text) <= high:
            self.problem(column, f'"{text}" is not a whole number from {low} to {high}')
            return None
        return int(text)

    def boolean(self, column: str) -> bool | None:
        try:
            return parse_bool(self.row.cells.get(column, ""))
        except ValueError as error:
            self.problem(column, str(error))
            return None


def write_csv(stream: TextIO, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """Write a header and rows; returns the number of data rows written."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(columns)
    count = 0
    for row in rows:
        writer.writerow(row)
        count += 1
    return count
