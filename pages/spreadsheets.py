"""Writing cells that a spreadsheet opens as data, never as formulas.

A text that starts with =, +, -, @, a tab or a carriage return is run as a formula by Excel
and its kin (CSV injection, OWASP). In CSV such a text gets a leading apostrophe, OWASP's
advice; in XLSX it is stored as a string cell, so it shows exactly as written. Numbers stay
numbers either way, so spreadsheets can still sort and sum them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from openpyxl.cell.cell import TYPE_STRING
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """A cell for csv.writer: text that could run as a formula is neutralised."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text_read(text: str) -> str:
    """The inverse of csv_cell for text read back from a CSV Saima wrote: the apostrophe
    that neutralised a formula-like text is dropped, so export then import is exact."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(value) for value in values]


def xlsx_append(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row; every text cell is a string cell, never a formula."""
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = TYPE_STRING
