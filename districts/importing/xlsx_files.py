"""XLSX workbooks: the first sheet, with the header in row 1, read one row at a time.

A spreadsheet hides what a cell really holds behind what it shows, so the reader refuses,
naming the cell, whatever would be read differently from what staff see: a formula whose
result was never saved, merged cells, a date where text was typed, a percentage whose cell
holds a hundredth of the figure shown, an error such as ``#DIV/0!``. Numbers are read at
full float precision (``40.837160000000004``); the cell checks round the float noise.
"""

from __future__ import annotations

import math
import warnings
from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.cell.read_only import ReadOnlyCell
from openpyxl.utils import get_column_letter, range_boundaries

# openpyxl's read-only mode streams a sheet through this parser but drops two things the
# checks need: whether a cell holds a formula (beside its saved result) and the merged cells,
# which the sheet lists after its rows. One parse with this subclass keeps both.
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from districts.importing.report import ImportReport
from districts.importing.tables import SourceRow, Table, clean_cell

DAMAGED_ADVICE = "open it in Excel or WPS, save it as .xlsx and try again"


class _SheetParser(WorkSheetParser):
    def parse_cell(self, element):
        cell = super().parse_cell(element)
        cell["formula"] = element.find(FORMULA_TAG) is not None
        return cell


@contextmanager
def opened_xlsx(path: Path, *, name: str, report: ImportReport):
    with warnings.catch_warnings():
        # openpyxl warns about sheet features it does not keep (data validation, styles);
        # none of them matters to the figures.
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = load_workbook(path, read_only=True, data_only=True)
        except Exception as error:  # a damaged or foreign file raises one of many kinds
            report.add(1, f"cannot be read as an XLSX workbook ({error}); {DAMAGED_ADVICE}")
            yield Table(name=name, format="XLSX")
            return
        try:
            sheets = workbook.worksheets
            if not sheets:
                report.add(1, "the workbook has no worksheet")
                yield Table(name=name, format="XLSX")
                return
            with _SheetRows(workbook, sheets[0], name=name, report=report) as table:
                yield table
        finally:
            workbook.close()


class _SheetRows:
    """The first sheet of an open workbook as a Table."""

    def __init__(self, workbook, sheet, *, name: str, report: ImportReport) -> None:
        self.workbook, self.sheet, self.report = workbook, sheet, report
        self.table = Table(name=name, format="XLSX", size=sheet.max_row)
        self.table.position = lambda: self.last_row
        self.last_row = 0
        self.percent_styles: dict[int, bool] = {}

    def __enter__(self) -> Table:
        self.source = self.workbook._archive.open(self.sheet._worksheet_path)
        self.parser = _SheetParser(
            self.source,
            self.sheet._shared_strings,
            data_only=True,
            epoch=self.workbook.epoch,
            date_formats=self.workbook._date_formats,
            timedelta_formats=self.workbook._timedelta_formats,
        )
        self.parsed = self.parser.parse()
        if self._read_header():
            self.table.rows = self._rows()
        return self.table

    def __exit__(self, *exc_info) -> None:
        self.source.close()

    def _next_row(self):
        try:
            return next(self.parsed, None)
        except Exception as error:  # damaged sheet XML
            self.report.add(
                self.last_row + 1, f"cannot be read from the workbook ({error}); {DAMAGED_ADVICE}"
            )
            return None

    def _read_header(self) -> bool:
        first = self._next_row()
        while first is not None and not any(c["value"] is not None for c in first[1]):
            first = self._next_row()  # rows that hold only formatting
        if first is None:
            self.report.add(1, "the first sheet is empty; its row 1 must be the header")
            return False
        number, cells = first
        self.last_row = number
        if number != 1:
            self.report.add(
                1,
                "row 1 of the first sheet is empty; the header must be in row 1 "
                f"(the first filled row is {number})",
            )
            return False
        names: dict[int, str] = {}
        for cell in cells:
            text = self._text(cell, row=1, column=None)
            names[cell["column"]] = (text or "").strip().lower()
        width = max(names, default=0)
        while width and not names.get(width):
            width -= 1  # formatting to the right of the header is no column
        self.columns_at = {place: names.get(place, "") for place in range(1, width + 1)}
        self.table.columns = tuple(self.columns_at.values())
        self.table.column_letters = {
            column: get_column_letter(place) for place, column in self.columns_at.items() if column
        }
        return True

    def _rows(self):
        columns_at = self.columns_at
        empty = dict.fromkeys(self.table.columns, "")
        while (parsed := self._next_row()) is not None:
            number, cells = parsed
            self.last_row = number
            values = dict(empty)
            filled = False
            for cell in cells:
                if cell["value"] is None and not cell["formula"]:
                    continue
                column = columns_at.get(cell["column"])
                text = self._text(cell, row=number, column=column or None)
                if text is None:
                    # Reported: the row's checks pass over the cell as if it were not there.
                    values.pop(column, None)
                    filled = True
                    continue
                if not text.strip():
                    continue
                filled = True
                if not column:
                    self.report.add(
                        number,
                        f'holds "{text}" but its column has no name in the header',
                        cell=f"{get_column_letter(cell['column'])}{number}",
                    )
                    continue
                values[column] = text.strip()
            if filled:
                self.table.rows_read += 1
                yield SourceRow(number, values)
        self._report_merged_cells()

    def _text(self, cell: dict, *, row: int, column: str | None) -> str | None:
        """The cell's value as the text a CSV file would hold; None after reporting why not."""
        value = cell["value"]
        name = f"{get_column_letter(cell['column'])}{row}"
        if value is None and cell["formula"]:
            return self._refuse(
                row,
                column,
                name,
                "holds a formula whose result was never saved; open the file in Excel or WPS, "
                "save it and try again, or replace the formula by its value",
            )
        if cell["data_type"] == "e":
            return self._refuse(row, column, name, f"holds the error {value}")
        if isinstance(value, bool):
            return self._refuse(
                row, column, name, f"holds {str(value).upper()}, not a figure or text"
            )
        if isinstance(value, datetime | date | time | timedelta):
            shown = value.date().isoformat() if isinstance(value, datetime) else str(value)
            return self._refuse(
                row,
                column,
                name,
                f"holds the date {shown}, which the spreadsheet made of what was typed; format "
                "the column as Text and type it again (periods are written 2025, 2025Q1 or "
                "2025-03)",
            )
        if isinstance(value, int | float):
            if not math.isfinite(value):
                return self._refuse(row, column, name, f"holds {value}, not a figure")
            text = _number_text(value)
            if self._is_percent(cell, row):
                shown = format(Decimal(text) * 100, "f").rstrip("0").rstrip(".")
                return self._refuse(
                    row,
                    column,
                    name,
                    f"is formatted as a percentage: it shows {shown}% but holds {text}; "
                    f"write {shown} in a cell formatted as a number",
                )
            return text
        return clean_cell(str(value), table=self.table, report=self.report, row=row, column=column)

    def _refuse(self, row: int, column: str | None, cell: str, message: str) -> None:
        self.report.add(row, message, column, cell)
        return None

    def _is_percent(self, cell: dict, row: int) -> bool:
        style = cell["style_id"]
        if style not in self.percent_styles:
            number_format = ReadOnlyCell(self.sheet, row, cell["column"], None, "n", style)
            self.percent_styles[style] = "%" in (number_format.number_format or "")
        return self.percent_styles[style]

    def _report_merged_cells(self) -> None:
        merged = getattr(self.parser.merged_cells, "mergeCell", None) or []
        for merge in merged:
            min_col, min_row, _max_col, _max_row = range_boundaries(merge.ref)
            column = self.columns_at.get(min_col) or None
            self.report.add(
                min_row,
                f"is merged with other cells ({merge.ref}); unmerge them and fill in every cell",
                column,
                f"{get_column_letter(min_col)}{min_row}",
            )


def _number_text(value: int | float) -> str:
    """A number as plain decimal text: floats in their shortest exact form, never ``1e-05``."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return format(Decimal(repr(value)), "f")
