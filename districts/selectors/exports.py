"""Read-only queries over districts' values."""

from __future__ import annotations

from django.db.models import QuerySet

from districts.models import Value
from districts.periods import Period


def values_for_export(*, period: str | None) -> QuerySet[Value]:
    """Every value (of ``period`` only, when given), ordered by period code, district code and
    indicator code, so that two exports of the same data are identical and diff cleanly.

    ``period`` may be written in any accepted form ("2025q1"); raises PeriodError otherwise.
    """
    values = Value.objects.select_related("district", "indicator").order_by(
        "period", "district__code", "indicator__code"
    )
    if period is not None:
        values = values.filter(period=Period.parse(period).code)
    return values
