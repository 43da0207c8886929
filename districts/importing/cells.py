"""Reading one cell's text as a figure, a whole number, a choice or a yes/no.

Each reader records what is wrong in the import's report, naming row and column, and carries
on, so that a file's every problem is reported at once.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import ROUND_HALF_EVEN, Context, Decimal
from typing import NamedTuple

from django.core.exceptions import ValidationError
from django.db import models

from districts.importing.report import ImportReport
from districts.importing.tables import SourceRow, Table
from districts.models import FIGURE_DECIMALS, FIGURE_DIGITS

# Value, target, min and max are DecimalField(FIGURE_DIGITS, FIGURE_DECIMALS).
MAX_DECIMALS = FIGURE_DECIMALS
MAX_WHOLE_DIGITS = FIGURE_DIGITS - FIGURE_DECIMALS
_STEP = Decimal(1).scaleb(-MAX_DECIMALS)
# Room to round a figure whose rounding carries into a 19th whole digit, so that it is
# refused for its digits rather than failing.
_WIDE = Context(prec=FIGURE_DIGITS + 2)

# Plain decimal notation in ASCII digits only: "1e3", "1,5" or "１２" would be read
# differently by different people and programs.
_DECIMAL_PATTERN = re.compile(r"^[+-]?([0-9]+)?(?:\.([0-9]*))?$")
_INTEGER_PATTERN = re.compile(r"^\+?[0-9]+$")
_BOOLEANS = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_NOT_A_NUMBER = '"{text}" is not a number; write digits with a "." for decimals'


class ParsedFigure(NamedTuple):
    value: Decimal
    # Written with more than MAX_DECIMALS decimals (spreadsheet float noise) and rounded.
    rounded: bool


def parse_figure(text: str) -> ParsedFigure:
    """Read a plain decimal number that fits the figure columns (FIGURE_DIGITS,
    FIGURE_DECIMALS), rounding more than MAX_DECIMALS decimals half-even.

    Raises ValueError with a message fit to show staff.
    """
    match = _DECIMAL_PATTERN.match(text)
    if match is None or (match[1] is None and not match[2]):
        raise ValueError(_why_not_a_number(text))
    whole_digits = len((match[1] or "").lstrip("0"))
    number = Decimal(text)
    rounded = match[2] is not None and len(match[2]) > MAX_DECIMALS
    if rounded and whole_digits <= MAX_WHOLE_DIGITS:
        number = number.quantize(_STEP, rounding=ROUND_HALF_EVEN, context=_WIDE)
        whole_digits = len(str(abs(int(number)))) if abs(number) >= 1 else 0
    if whole_digits > MAX_WHOLE_DIGITS:
        raise ValueError(
            f'"{text}" has {whole_digits} digits before the decimal point; '
            f"at most {MAX_WHOLE_DIGITS} are allowed"
        )
    return ParsedFigure(number, rounded)


def parse_decimal(text: str) -> Decimal:
    """The figure ``text`` holds (see parse_figure)."""
    return parse_figure(text).value


def _why_not_a_number(text: str) -> str:
    """The most helpful reason ``text`` is refused, with the figure meant where it is clear."""
    if any(not character.isascii() for character in text):
        ascii_text = _ascii_digits(text)
        if ascii_text != text and _DECIMAL_PATTERN.match(ascii_text):
            return f'"{text}" is not a number: write it in ASCII digits 0-9 ({ascii_text})'
        return _NOT_A_NUMBER.format(text=text)
    if text.endswith("%") and _is_plain_number(text[:-1].strip()):
        return f'"{text}" is not a number: write it without "%" ({text[:-1].strip()})'
    if "," in text and _is_plain_number(text.replace(",", "")) and "." in text:
        return (
            f'"{text}" is not a number: write it without thousands separators '
            f"({text.replace(',', '')})"
        )
    return _NOT_A_NUMBER.format(text=text)


def _ascii_digits(text: str) -> str:
    """Full-width and other scripts' digits and points as ASCII ("１２．５" -> "12.5")."""
    characters = []
    for character in unicodedata.normalize("NFKC", text):
        digit = unicodedata.decimal(character, None)
        characters.append(str(digit) if digit is not None else character)
    return "".join(characters)


def _is_plain_number(text: str) -> bool:
    match = _DECIMAL_PATTERN.match(text)
    return match is not None and (match[1] is not None or bool(match[2]))


def non_ascii_digits(text: str) -> str | None:
    """``text`` in ASCII digits when it holds digits of another script or width, else None."""
    if text.isascii():
        return None
    ascii_text = _ascii_digits(text)
    return ascii_text if ascii_text != text else None


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

    __slots__ = ("row", "report", "table")

    def __init__(self, row: SourceRow, report: ImportReport, table: Table) -> None:
        self.row = row
        self.report = report
        self.table = table

    def has(self, column: str) -> bool:
        return column in self.row.cells

    def problem(self, column: str | None, message: str) -> None:
        number = self.row.number
        self.report.add(number, message, column, self.table.cell_name(number, column))

    def required(self, column: str) -> str | None:
        """The cell's text, or None (a missing column is reported once, for the header)."""
        text = self.row.cells.get(column)
        if text is None:
            return None
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
            figure = parse_figure(text)
        except ValueError as error:
            self.problem(column, str(error))
            return None
        if figure.rounded:
            self.report.note_rounding(self.row.number, column, text, figure.value)
        return figure.value

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
