"""Reads: a district's return for one period as a reviewer checks it, and a figure's history."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from districts.checks import Warning
from districts.decimals import format_decimal
from districts.models import DataReturn, District, Value
from districts.periods import Period
from districts.selectors.checks import value_warnings


@dataclass(frozen=True)
class ReviewRow:
    """One figure of the return beside what it is checked against."""

    value: Value
    previous: Decimal | None  # the previous period's figure
    last_year: Decimal | None  # the same period last year
    warnings: list[Warning]


@dataclass(frozen=True)
class ReturnReview:
    district: District
    period: Period
    data_return: DataReturn | None  # None: nothing entered yet
    rows: list[ReviewRow] = field(default_factory=list)

    @property
    def unexplained(self) -> int:
        return sum(1 for row in self.rows if row.warnings and not row.value.justification.strip())


def return_review_get(*, district: District, period: Period) -> ReturnReview:
    """Every figure of the district's return with its previous period, last year and checks.

    A fixed number of queries, however many indicators the return holds.
    """
    data_return = (
        DataReturn.objects.filter(district=district, period=period.code)
        .select_related("submitted_by", "reviewed_by")
        .first()
    )
    values = list(
        Value.objects.filter(district=district, period=period.code)
        .select_related("indicator", "district", "entered_by")
        .order_by("indicator__order", "indicator__code")
    )
    earlier = {
        (indicator_id, code): number
        for indicator_id, code, number in Value.objects.filter(
            district=district,
            period__in=[period.previous().code, period.same_period_last_year().code],
        ).values_list("indicator_id", "period", "value")
    }
    warnings = value_warnings(values=values)
    rows = [
        ReviewRow(
            value=v,
            previous=earlier.get((v.indicator_id, period.previous().code)),
            last_year=earlier.get((v.indicator_id, period.same_period_last_year().code)),
            warnings=warnings.get(v.pk, []),
        )
        for v in values
    ]
    return ReturnReview(district=district, period=period, data_return=data_return, rows=rows)


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change of a figure: who, when, what changed from what to what, and why."""

    at: datetime
    user: str
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str, str]]  # (field, old, new)
    status: str
    reason: str


# The fields of a figure whose changes the history page lists.
HISTORY_FIELDS = ("value", "target", "status", "note", "justification", "locked", "period")


def value_history_get(*, value: Value) -> list[HistoryEntry]:
    """Every recorded change of the figure, newest first, with old → new per field."""
    records = list(value.history.select_related("history_user").order_by("history_date", "pk"))
    entries = []
    previous = None
    for record in records:
        changes = []
        for name in HISTORY_FIELDS:
            new = getattr(record, name)
            old = getattr(previous, name) if previous is not None else None
            if previous is None or old != new:
                changes.append((name, _shown(old), _shown(new)))
        entries.append(
            HistoryEntry(
                at=record.history_date,
                user=record.history_user.get_username() if record.history_user else "",
                kind=record.history_type,
                changes=changes if previous is not None else [c for c in changes if c[2]],
                status=record.status,
                reason=record.history_change_reason or "",
            )
        )
        previous = record
    return list(reversed(entries))


def _shown(field_value) -> str:
    if field_value is None:
        return ""
    if isinstance(field_value, Decimal):
        return format_decimal(field_value)
    return str(field_value)
