"""Read-only queries over districts' values, and the values file they make."""

from __future__ import annotations

from typing import TextIO

from django.db.models import QuerySet

from districts.decimals import format_decimal
from districts.importing.tables import write_csv
from districts.importing.value_rows import VALUE_COLUMNS, VALUE_OPTIONAL_COLUMNS
from districts.models import Value
from districts.periods import Period
from pages.spreadsheets import csv_cell


def values_for_export(*, period: str | None, status: str | None = None) -> QuerySet[Value]:
    """Every value (of ``period`` and ``status`` only, when given), ordered by period code,
    district code and indicator code, so that two exports of the same data are identical and
    diff cleanly.

    ``period`` may be written in any accepted form ("2025q1"); raises PeriodError otherwise.
    """
    values = Value.objects.select_related("district", "indicator").order_by(
        "period", "district__code", "indicator__code"
    )
    if period is not None:
        values = values.filter(period=Period.parse(period).code)
    if status is not None:
        values = values.filter(status=status)
    return values


def values_export(*, stream: TextIO, period: str | None, status: str | None = None) -> int:
    """Write values as CSV in the import format (so export then import is an exact round
    trip). Returns the number of values written. Raises PeriodError for an unreadable
    ``period``."""
    rows = (
        [
            value.district.code,
            value.indicator.code,
            value.period,
            format_decimal(value.value),
            "" if value.target is None else format_decimal(value.target),
            # A note is free text: one that starts like a formula must not run as one
            # when the file is opened in a spreadsheet; import_values reads it back as is.
            csv_cell(value.note),
        ]
        for value in values_for_export(period=period, status=status).iterator(chunk_size=2000)
    )
    return write_csv(stream, [*VALUE_COLUMNS, *VALUE_OPTIONAL_COLUMNS], rows)
