"""CSV files: UTF-8 with or without a byte-order mark, or GB18030 (which includes GBK, what
Chinese spreadsheet software writes by default) when the file is not valid UTF-8.

The encoding is found by one pass over the bytes before the rows are read, so a file is never
half-read in one encoding and then in another; that pass also tells whether any NUL or
byte-order mark needs looking for cell by cell.
"""

from __future__ import annotations

import codecs
import csv
import io
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from districts.importing.report import ImportReport
from districts.importing.tables import SourceRow, Table, clean_cell

_CHUNK = 1 << 20
_ZIP_SIGNATURE = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class _Encoding:
    codec: str
    label: str
    # Whether the decoded text holds a NUL or a byte-order mark past the first character.
    has_stray_characters: bool


def _decodes(path: Path, codec: str) -> tuple[bool, bool, int]:
    """Whether the whole file decodes with ``codec``; whether it holds NULs or stray BOMs;
    and, when it does not decode, the line of the first undecodable byte."""
    decoder = codecs.getincrementaldecoder(codec)()
    stray = False
    lines_before = 0
    first = True
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return False, stray, lines_before + chunk[: error.start].count(b"\n") + 1
            if first and text.startswith("\ufeff"):
                text = text[1:]  # a byte-order mark where the file starts is no stray
            first = first and not text
            stray = stray or "\x00" in text or "\ufeff" in text
            lines_before += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, stray, lines_before + 1
    return True, stray, 0


def _encoding(path: Path, report: ImportReport) -> _Encoding | None:
    with path.open("rb") as stream:
        head = stream.read(4)
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        report.add(1, "is UTF-16 text; save the file as CSV UTF-8 and try again")
        return None
    if head.startswith(_ZIP_SIGNATURE):
        report.add(
            1,
            "is a spreadsheet workbook, not CSV text; give the file the .xlsx extension "
            "or save it as CSV UTF-8",
        )
        return None
    valid, stray, bad_line = _decodes(path, "utf-8")
    if valid:
        if head.startswith(codecs.BOM_UTF8):
            return _Encoding("utf-8-sig", "UTF-8 with BOM", stray)
        return _Encoding("utf-8", "UTF-8", stray)
    valid, stray, _line = _decodes(path, "gb18030")
    if valid:
        return _Encoding("gb18030", "GB18030 (GBK)", stray)
    report.add(
        bad_line,
        "is not UTF-8 text, nor GB18030 (GBK); save the file as CSV UTF-8 and try again",
    )
    return None


@contextmanager
def opened_csv(path: Path, *, name: str, report: ImportReport):
    encoding = _encoding(path, report)
    if encoding is None:
        yield Table(name=name, format="CSV")
        return
    with path.open("rb") as raw:
        text = io.TextIOWrapper(raw, encoding=encoding.codec, newline="")
        table = Table(
            name=name,
            format="CSV",
            encoding=encoding.label,
            size=path.stat().st_size,
            position=raw.tell,
        )
        # Strict: a quote left open would otherwise swallow every later row into one cell.
        reader = csv.reader(text, strict=True)
        if _read_header(table, reader, report):
            table.rows = _rows(table, reader, report, check_cells=encoding.has_stray_characters)
        yield table


def _read_header(table: Table, reader, report: ImportReport) -> bool:
    """Read the first non-blank record as the header; False when there is none."""
    last_line = 0
    try:
        for record in reader:
            number, last_line = last_line + 1, reader.line_num
            if all(not cell.strip() for cell in record):
                continue
            if record[0].startswith("\ufeff"):
                record[0] = record[0][1:]  # GB18030 writes a byte-order mark as 4 bytes
            table.header_row = number
            columns = []
            for place, cell in enumerate(record, start=1):
                name = cell.replace("\x00", "").replace("\ufeff", "").strip().lower()
                clean_cell(cell, table=table, report=report, row=number, column=name or f"#{place}")
                columns.append(name)
            table.columns = tuple(columns)
            return True
    except csv.Error as error:
        report.add(last_line + 1, _unreadable(error))
        return False
    report.add(1, "the file is empty; the first row must be the header")
    return False


def _rows(table: Table, reader, report: ImportReport, *, check_cells: bool):
    columns = table.columns
    width = len(columns)
    last_line = reader.line_num
    try:
        for record in reader:
            # A record starts on the line after the previous one ended.
            number, last_line = last_line + 1, reader.line_num
            if len(record) != width:
                if all(not cell.strip() for cell in record):
                    continue
                report.add(number, f"has {len(record)} cells but the header has {width} columns")
                continue
            if check_cells:
                record = [
                    clean_cell(cell, table=table, report=report, row=number, column=column)
                    for column, cell in zip(columns, record, strict=True)
                ]
            cells = dict(zip(columns, map(str.strip, record), strict=True))
            if not any(cells.values()):
                continue
            table.rows_read += 1
            yield SourceRow(number, cells)
    except csv.Error as error:
        report.add(last_line + 1, _unreadable(error))


def _unreadable(error: csv.Error) -> str:
    if "unexpected end of data" in str(error):
        return 'cannot be read as CSV: a quote (") opens a cell that is never closed'
    return f"cannot be read as CSV: {error}"
