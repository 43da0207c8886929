"""XLSX files for the import tests, made with openpyxl when a test runs (no binaries kept).

``workbook(path, rows)`` writes the rows to the first sheet; keyword arguments add what real
spreadsheets carry: number formats, merged cells, formulas with or without a saved result,
and sheets in front of or behind the data.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

VALUES_HEADER = ["district", "indicator", "period", "value", "target", "note"]


def workbook(
    path: Path,
    rows: list[list],
    *,
    number_formats: dict[str, str] | None = None,
    merged: tuple[str, ...] = (),
    formulas: dict[str, str] | None = None,
    saved_results: dict[str, str] | None = None,
    stored_numbers: dict[str, str] | None = None,
    first_sheet_rows: list[list] | None = None,
) -> str:
    """Write ``rows`` (row 1 first) to an XLSX file and return its path.

    ``formulas`` puts a formula (without "=") in a cell, as openpyxl does: with no saved
    result. ``saved_results`` then adds the result Excel would have saved beside it.
    ``stored_numbers`` writes a number cell's digits as Excel does, to 17 significant digits
    (``40.837160000000004``), where openpyxl would write 16 (``40.83716``).
    ``first_sheet_rows`` puts another sheet, with these rows, before the data sheet.
    """
    book = Workbook()
    sheet = book.active
    if first_sheet_rows is not None:
        sheet.title = "Notes"
        for row in first_sheet_rows:
            sheet.append(row)
        sheet = book.create_sheet("Data")
    for row in rows:
        sheet.append(row)
    for cell, number_format in (number_formats or {}).items():
        sheet[cell].number_format = number_format
    for cell_range in merged:
        sheet.merge_cells(cell_range)
    for cell, formula in (formulas or {}).items():
        sheet[cell] = f"={formula}"
    book.save(path)
    if saved_results or stored_numbers:
        sheet_part = f"xl/worksheets/sheet{2 if first_sheet_rows is not None else 1}.xml"
        _edit_cells(path, sheet_part, saved_results or {}, stored_numbers or {})
    return str(path)


def _edit_cells(
    path: Path, sheet_part: str, results: dict[str, str], numbers: dict[str, str]
) -> None:
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[sheet_part].decode("utf-8")
    for cell, result in results.items():
        # The cached result a spreadsheet program saves beside a formula.
        xml, count = re.subn(
            rf'(<c r="{cell}"[^>]*>)(<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
            rf"\1\2<v>{result}</v>",
            xml,
        )
        assert count == 1, f"no formula in {cell} to give a result"
    for cell, digits in numbers.items():
        xml, count = re.subn(rf'(<c r="{cell}"[^>]*><v>)[^<]*(</v>)', rf"\g<1>{digits}\2", xml)
        assert count == 1, f"no number in {cell}"
    parts[sheet_part] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
