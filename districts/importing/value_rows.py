"""The checks of one row of a values file, with the hard rules every entry path shares.

A row is checked against lookups made once per file (districts and indicators by code, each
period code parsed once), so a million rows cost a million dictionary lookups and no query.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

from districts.importing.cells import MAX_DECIMALS, MAX_WHOLE_DIGITS, non_ascii_digits, parse_figure
from districts.importing.report import ImportReport
from districts.importing.tables import SourceRow, Table
from districts.models import Indicator, Value
from districts.periods import Period, PeriodError
from districts.validation import period_problem, target_problem
from pages.spreadsheets import csv_text_read

VALUE_COLUMNS = ("district", "indicator", "period", "value")
VALUE_OPTIONAL_COLUMNS = ("target", "note")

# Room for every period code there can be (1900-2999, each year with 4 quarters and 12
# months), so that a row's key packs into one integer.
_PERIOD_CODES_MAX = 1 << 15
# Figures parse_figure reads as written: a subset of what it accepts, so that anything else
# (rounding, too many digits, a stray character) is left to it and to its messages.
_PLAIN_FIGURE = re.compile(rf"[+-]?[0-9]{{1,{MAX_WHOLE_DIGITS}}}(?:\.[0-9]{{0,{MAX_DECIMALS}}})?")


class CheckedValue(NamedTuple):
    """A row that passed every check, ready to be written. ``target`` and ``note`` are None
    when the file has no such column (the stored ones are kept); an empty target cell is
    None too, and clears the stored target."""

    row: int
    district_id: int
    indicator_id: int
    period: str
    value: Decimal
    target: Decimal | None
    note: str | None


class ValueRowChecker:
    def __init__(
        self,
        *,
        table: Table,
        report: ImportReport,
        districts: dict[str, int],
        indicators: dict[str, Indicator],
    ) -> None:
        self.table, self.report = table, report
        self.districts, self.indicators = districts, indicators
        self.has_target = "target" in table.columns
        self.has_note = "note" in table.columns
        self.note_limit = Value._meta.get_field("note").max_length
        self._periods: dict[str, tuple[str | None, str | None]] = {}
        self._period_numbers: dict[str, int] = {}
        self._frequency_problems: dict[tuple[int, str], str | None] = {}
        self._indicator_span = max((i.pk for i in indicators.values()), default=0) + 1
        self._first_row_of: dict[int, int] = {}

    def _problem(self, row: int, column: str | None, message: str) -> None:
        self.report.add(row, message, column, self.table.cell_name(row, column))

    def check(self, row: SourceRow) -> CheckedValue | None:
        """The row's value when it breaks no rule; otherwise None, each problem reported."""
        return self._plainly_valid(row) or self._checked_rule_by_rule(row)

    def _plainly_valid(self, row: SourceRow) -> CheckedValue | None:
        """The row's value when every cell is plainly valid and nothing needs reporting (no
        rounding, a district, indicator and period seen before); None sends the row through
        every rule one by one, which reports what is wrong. Most rows of a large file take
        this path: it does the same checks with fewer calls, and reports nothing."""
        cells = row.cells
        district_id = self.districts.get(cells.get("district") or "")
        indicator = self.indicators.get(cells.get("indicator") or "")
        if district_id is None or indicator is None:
            return None
        known = self._periods.get(cells.get("period") or "")
        if known is None or known[1] is not None:
            return None
        period = known[0]
        if self._frequency_problems.get((indicator.id, period), "unknown") is not None:
            return None
        value = _plain_figure(cells.get("value"))
        if value is None or (
            (indicator.min_value is not None or indicator.max_value is not None)
            and indicator.range_problem(value) is not None
        ):
            return None
        target = None
        if self.has_target:
            text = cells.get("target")
            if text is None:
                return None
            if text:
                target = _plain_figure(text)
                if target is None or target < 0:
                    return None
        note = None
        if self.has_note:
            note = cells.get("note")
            if note is None:
                return None
            note = csv_text_read(note)
            if len(note) > self.note_limit:
                return None
        number = row.number
        if self._first_row_of.setdefault(self._key(district_id, indicator.id, period), number) != (
            number
        ):
            return None  # a duplicate: reported rule by rule
        return CheckedValue(number, district_id, indicator.id, period, value, target, note)

    def _checked_rule_by_rule(self, row: SourceRow) -> CheckedValue | None:
        number, cells = row.number, row.cells
        problems_before = self.report.count
        district_id = self._known(number, cells, "district", self.districts)
        indicator = self._known(number, cells, "indicator", self.indicators)
        period = self._period(number, cells.get("period"), indicator)
        value = self._figure(number, "value", cells.get("value"), required=True)
        if (
            value is not None
            and indicator is not None
            and (indicator.min_value is not None or indicator.max_value is not None)
            and (problem := indicator.range_problem(value))
        ):
            self._problem(number, "value", problem)
        target = None
        if self.has_target:
            target = self._figure(number, "target", cells.get("target"), required=False)
            if target is not None and (problem := target_problem(target)):
                self._problem(number, "target", problem)
        note = cells.get("note") if self.has_note else None
        if note is not None:
            note = csv_text_read(note)
        if note is not None and len(note) > self.note_limit:
            self._problem(
                number, "note", f"has {len(note)} characters; at most {self.note_limit} are allowed"
            )
        if district_id is not None and indicator is not None and period is not None:
            self._check_duplicate(number, cells, district_id, indicator.id, period)
        if self.report.count != problems_before or any(
            part is None for part in (district_id, indicator, period, value)
        ):
            return None
        return CheckedValue(number, district_id, indicator.id, period, value, target, note)

    def _known(self, number: int, cells, column: str, records: dict):
        code = cells.get(column)
        if code is None:
            return None  # the missing column is reported once, for the header
        if not code:
            self._problem(number, column, "is empty; a value is required")
            return None
        record = records.get(code)
        if record is None:
            message = f'unknown {column} code "{code}"'
            if (meant := non_ascii_digits(code)) and meant in records:
                message += f"; write it in ASCII digits ({meant})"
            self._problem(number, column, message)
        return record

    def _period(self, number: int, text: str | None, indicator: Indicator | None) -> str | None:
        if text is None:
            return None
        if not text:
            self._problem(number, "period", "is empty; a value is required")
            return None
        known = self._periods.get(text)
        if known is None:
            known = self._periods[text] = _period_code(text)
        code, problem = known
        if problem is None and indicator is not None:
            key = (indicator.id, code)
            if key not in self._frequency_problems:
                self._frequency_problems[key] = period_problem(indicator, code)
            problem = self._frequency_problems[key]
        if problem is not None:
            self._problem(number, "period", problem)
            return None
        return code

    def _figure(self, number: int, column: str, text: str | None, *, required: bool):
        if text is None:
            return None
        if not text:
            if required:
                self._problem(number, column, "is empty; a value is required")
            return None
        try:
            figure = parse_figure(text)
        except ValueError as error:
            self._problem(number, column, str(error))
            return None
        if figure.rounded:
            self.report.note_rounding(number, column, text, figure.value)
        return figure.value

    def _check_duplicate(
        self, number: int, cells, district_id: int, indicator_id: int, period: str
    ) -> None:
        first = self._first_row_of.setdefault(self._key(district_id, indicator_id, period), number)
        if first != number:
            self._problem(
                number,
                None,
                f"duplicate of row {first} (district {cells['district']}, "
                f"indicator {cells['indicator']}, period {period})",
            )

    def _key(self, district_id: int, indicator_id: int, period: str) -> int:
        # One integer per row instead of a tuple keeps a million keys in a few dozen MB.
        period_number = self._period_numbers.setdefault(period, len(self._period_numbers))
        key = (district_id * self._indicator_span + indicator_id) * _PERIOD_CODES_MAX
        return key + period_number


def _plain_figure(text: str | None) -> Decimal | None:
    """The figure ``text`` holds when parse_figure would take it as written (no rounding,
    nothing to explain), else None."""
    if not text or _PLAIN_FIGURE.fullmatch(text) is None:
        return None
    return Decimal(text)


def _period_code(text: str) -> tuple[str | None, str | None]:
    """The canonical period code ("2025q1" -> "2025Q1") or why ``text`` is none."""
    if meant := non_ascii_digits(text):
        return None, f'"{text}" is not a period: write it in ASCII digits ({meant})'
    try:
        return Period.parse(text).code, None
    except PeriodError as error:
        return None, str(error)
