"""What is wrong in a file, and what an import did (or, for a dry run, would do).

Row numbers are line numbers in a CSV file (the header is row 1) and row numbers in a
spreadsheet, so staff find a row in a text editor as well as in Excel or WPS.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from districts.decimals import format_decimal

# A file with a problem on every one of a million rows is refused just the same; listing the
# first thousand problems tells staff what to fix without holding a million messages.
PROBLEMS_LISTED_MAX = 1000


@dataclass(frozen=True, slots=True)
class RowProblem:
    """One thing wrong with a file. ``column`` is a header name; ``cell`` a spreadsheet
    cell name such as ``C14`` (XLSX files only)."""

    row: int
    message: str
    column: str | None = None
    cell: str | None = None

    def __str__(self) -> str:
        where = f"row {self.row}"
        if self.column is not None:
            where += f', column "{self.column}"'
        if self.cell is not None:
            where += f" (cell {self.cell})"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class RoundedFigure:
    row: int
    column: str
    written: str
    stored: Decimal

    def __str__(self) -> str:
        return f"row {self.row}: {self.written} → {format_decimal(self.stored)}"


class ImportReport:
    """Collects the problems found in a file so that all of them are reported at once, and
    the figures that were rounded on the way."""

    def __init__(self) -> None:
        self.problems: list[RowProblem] = []
        self.count = 0
        self.rounded = 0
        self.rounded_example: RoundedFigure | None = None

    def add(
        self, row: int, message: str, column: str | None = None, cell: str | None = None
    ) -> None:
        self.count += 1
        if len(self.problems) < PROBLEMS_LISTED_MAX:
            self.problems.append(RowProblem(row, message, column, cell))

    def note_rounding(self, row: int, column: str, written: str, stored: Decimal) -> None:
        self.rounded += 1
        if self.rounded_example is None:
            self.rounded_example = RoundedFigure(row, column, written, stored)

    def sorted_problems(self) -> tuple[RowProblem, ...]:
        # Stable sort: problems of one row keep the order of the columns they were found in.
        return tuple(sorted(self.problems, key=lambda problem: problem.row))

    def __bool__(self) -> bool:
        return self.count > 0

    def __len__(self) -> int:
        return self.count


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """How a file was read: its name, format (CSV or XLSX), text encoding and data rows."""

    name: str
    format: str
    encoding: str | None
    rows: int

    def __str__(self) -> str:
        how = self.format if self.encoding is None else f"{self.format} in {self.encoding}"
        return f"read {self.name} ({how}): {self.rows} row{'' if self.rows == 1 else 's'}"


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field of one row as it is stored (``old``) and as the file has it (``new``)."""

    name: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class RowOutcome:
    """What an import does with one row: ``create``, ``update`` or leave it ``unchanged``."""

    row: int
    action: str
    what: str
    fields: tuple[FieldChange, ...] = ()

    def __str__(self) -> str:
        # Worded as actions ("row 3: create ...") so that a line reads right both after an
        # import and in a dry run's preview.
        text = f"row {self.row}: {self.action} {self.what}"
        if self.action == "create":
            value = next((change.new for change in self.fields if change.name == "value"), None)
            return text if value is None else f"{text} = {value}"
        if self.fields:
            text += ": " + ", ".join(
                f"{change.name} {change.old} → {change.new}" for change in self.fields
            )
        return text


@dataclass(slots=True)
class ImportResult:
    """What an import did (or, for a dry run or a rejected file, would have done)."""

    problems: tuple[RowProblem, ...] = ()
    problem_count: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    source: SourceFacts | None = None
    # The created and updated rows, in file order; at most the number the caller asked for.
    changes: list[RowOutcome] = field(default_factory=list)
    # The first unchanged rows, for a preview.
    unchanged_rows: list[RowOutcome] = field(default_factory=list)
    rounded: int = 0
    rounded_example: RoundedFigure | None = None
    # The review status given to the imported values (value imports only).
    status: str | None = None
    # Side effects staff should always hear about, such as groups created on the way.
    notes: list[str] = field(default_factory=list)

    @classmethod
    def rejected(cls, report: ImportReport, source: SourceFacts | None = None) -> ImportResult:
        return cls(
            problems=report.sorted_problems(),
            problem_count=report.count,
            source=source,
            rounded=report.rounded,
            rounded_example=report.rounded_example,
        )

    @property
    def ok(self) -> bool:
        return not self.problem_count

    @property
    def changes_not_listed(self) -> int:
        return self.created + self.updated - len(self.changes)

    def count(self, outcome: RowOutcome) -> None:
        """Count one row's outcome and list it if it changes something."""
        if outcome.action == "create":
            self.created += 1
        elif outcome.action == "update":
            self.updated += 1
        else:
            self.unchanged += 1
            return
        self.changes.append(outcome)

    def summary(self) -> str:
        counts = f"created {self.created}, updated {self.updated}, unchanged {self.unchanged}"
        if self.dry_run:
            return f"dry run, nothing was written: would have {counts}"
        return counts

    def rounding_summary(self) -> str | None:
        if not self.rounded:
            return None
        some = f"{self.rounded} value{'s' if self.rounded != 1 else ''}"
        verb = "were" if self.rounded != 1 else "was"
        return f"{some} had more than 10 decimals and {verb} rounded, e.g. {self.rounded_example}"

    def failure_summary(self) -> str:
        count = self.problem_count
        text = f"{count} problem{'' if count == 1 else 's'}"
        if count > len(self.problems):
            text += f" (the first {len(self.problems)} are listed)"
        return f"{text}; nothing was imported"
