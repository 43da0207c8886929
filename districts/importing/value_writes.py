"""Comparing checked values with the stored ones, and writing them with their history.

Two ways to the same result:

- ``StagedValueWriter`` (PostgreSQL, in ``value_staging``) streams the rows by COPY into a
  temporary staging table and writes them with ``INSERT … ON CONFLICT DO UPDATE``.
- ``BatchedValueWriter`` (any other database) keeps the rows in memory and writes them with
  django-simple-history's bulk helpers in batches of ``BATCH_SIZE``: ``bulk_update`` writes
  a CASE over every id of a batch, so one batch per file would cost the square of its size.

A writer is given the checked rows one by one (``add``), told when there are no more
(``loading_done``) or that the file is refused (``discard``), and then holds the
``comparison`` with the stored values, every (district, period) pair the file touches, and
what it wrote. It writes only while ``may_write()`` says the file has no problem so far and
never in a dry run; the import's transaction undoes whatever a later problem makes wrong.

Both refuse to change a locked value (a current publication uses it), bump the version of
every changed value, and record the importing user, the time and the reason in the history
("+" for a new value, "~" for a changed one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.db import connection
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from districts.decimals import format_decimal
from districts.importing.report import PROBLEMS_LISTED_MAX, FieldChange, RowOutcome, RowProblem
from districts.importing.value_rows import CheckedValue
from districts.models import Value

BATCH_SIZE = 500
# Rows compared and written together by the batched writer.
CHUNK_ROWS = 10 * BATCH_SIZE


class StoredValuesChanged(Exception):
    """The stored values changed between the comparison and the write (another import or a
    publication locked one): nothing is written, and importing again compares afresh."""


@dataclass(slots=True)
class Comparison:
    """How the file's values stand against the stored ones."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[RowOutcome] = field(default_factory=list)
    unchanged_rows: list[RowOutcome] = field(default_factory=list)
    locked: list[RowProblem] = field(default_factory=list)
    locked_count: int = 0

    def count(self, outcome: RowOutcome, *, locked: bool, settings: ImportSettings) -> None:
        """Count one row and list it while the lists have room. A locked row that would
        change is a problem."""
        action = outcome.action
        self.add_counts(
            created=action == "create",
            updated=action == "update",
            unchanged=action == "unchanged",
            locked=locked,
        )
        if action == "unchanged":
            if len(self.unchanged_rows) < settings.preview_limit:
                self.listed("unchanged", outcome)
            return
        if len(self.changes) < settings.list_limit:
            self.listed("changes", outcome)
        if locked and self.locked_room():
            self.listed("locked", outcome)

    def add_counts(self, *, created: int, updated: int, unchanged: int, locked: int) -> None:
        self.created += created
        self.updated += updated
        self.unchanged += unchanged
        self.locked_count += locked

    def listed(self, kind: str, outcome: RowOutcome) -> None:
        """List one row (of ``kind`` changes, unchanged or locked) without counting it."""
        if kind == "locked":
            self.locked.append(_locked_problem(outcome))
        elif kind == "changes":
            self.changes.append(outcome)
        else:
            self.unchanged_rows.append(outcome)

    def locked_room(self) -> int:
        return PROBLEMS_LISTED_MAX - len(self.locked)


@dataclass(frozen=True, slots=True)
class ImportSettings:
    """What the whole file's values get: which columns it has, the status, who and why."""

    has_target: bool
    has_note: bool
    status: str
    user: Any
    now: datetime
    reason: str
    # Codes to name a row's district and indicator in what is listed.
    district_codes: dict[int, str]
    indicator_codes: dict[int, str]
    list_limit: int
    preview_limit: int

    @property
    def user_id(self) -> int | None:
        return None if self.user is None else self.user.pk


class ValueWriter:
    def __init__(
        self, import_settings: ImportSettings, *, dry_run: bool, may_write: Callable[[], bool]
    ) -> None:
        self.settings = import_settings
        self.dry_run = dry_run
        self.may_write = may_write
        self.comparison = Comparison()
        self.pairs: set[tuple[int, str]] = set()
        self.written = 0
        self.written_pairs: set[tuple[int, str]] = set()

    def writing(self) -> bool:
        return not self.dry_run and not self.comparison.locked_count and self.may_write()

    def __enter__(self):
        return self

    def __exit__(self, *exc_info) -> None:
        pass


def value_writer(import_settings: ImportSettings, *, dry_run: bool, may_write) -> ValueWriter:
    """The writer that suits the database in use."""
    if connection.vendor == "postgresql":
        from districts.importing.value_staging import StagedValueWriter

        return StagedValueWriter(import_settings, dry_run=dry_run, may_write=may_write)
    return BatchedValueWriter(import_settings, dry_run=dry_run, may_write=may_write)


def _shown(field_value: Any) -> str:
    if field_value is None or field_value == "":
        return "(empty)"
    if isinstance(field_value, Decimal):
        return format_decimal(field_value)
    return repr(field_value) if isinstance(field_value, str) else str(field_value)


def _outcome(
    checked: CheckedValue, stored: tuple | None, import_settings: ImportSettings
) -> RowOutcome:
    """Compare a checked row with the stored (value, target, note, status), or None."""
    s = import_settings
    what = (
        f"{s.district_codes[checked.district_id]} "
        f"{s.indicator_codes[checked.indicator_id]} {checked.period}"
    )
    if stored is None:
        fields = [FieldChange("value", "", _shown(checked.value))]
        if s.has_target and checked.target is not None:
            fields.append(FieldChange("target", "", _shown(checked.target)))
        if s.has_note and checked.note:
            fields.append(FieldChange("note", "", _shown(checked.note)))
        return RowOutcome(checked.row, "create", what, tuple(fields))
    value, target, note, status = stored
    pairs = [("value", value, checked.value)]
    if s.has_target:
        pairs.append(("target", target, checked.target))
    if s.has_note:
        pairs.append(("note", note, checked.note))
    pairs.append(("status", status, s.status))
    changed = tuple(
        FieldChange(name, _shown(old), _shown(new)) for name, old, new in pairs if old != new
    )
    return RowOutcome(checked.row, "update" if changed else "unchanged", what, changed)


def _locked_problem(outcome: RowOutcome) -> RowProblem:
    column = outcome.fields[0].name
    return RowProblem(
        outcome.row,
        f"{outcome.what} is locked: a current publication uses it, and a reviewer reopens its "
        f"return before it can change",
        column if column != "status" else None,
    )


class BatchedValueWriter(ValueWriter):
    """Compares and writes a chunk of ``CHUNK_ROWS`` rows at a time, so that memory holds
    one chunk's rows and model instances however long the file; a chunk written before a
    later problem is found is undone with the import's transaction."""

    def __init__(self, import_settings: ImportSettings, **options) -> None:
        super().__init__(import_settings, **options)
        self.checked: list[CheckedValue] = []

    def add(self, checked: CheckedValue) -> None:
        self.checked.append(checked)
        if len(self.checked) == CHUNK_ROWS:
            self._chunk_done()

    def discard(self) -> None:
        self.checked.clear()

    def loading_done(self) -> None:
        self._chunk_done()

    def _chunk_done(self) -> None:
        s = self.settings
        self.pairs.update((checked.district_id, checked.period) for checked in self.checked)
        stored = self._stored()
        to_create: list[Value] = []
        to_update: list[Value] = []
        for checked in self.checked:
            value = stored.get((checked.district_id, checked.indicator_id, checked.period))
            facts = None if value is None else (value.value, value.target, value.note, value.status)
            outcome = _outcome(checked, facts, s)
            locked = outcome.action == "update" and value.locked
            self.comparison.count(outcome, locked=locked, settings=s)
            if outcome.action == "create":
                to_create.append(self._new(checked))
            elif outcome.action == "update":
                to_update.append(self._changed(value, checked))
        self.checked = []
        if self.writing():
            self._write(to_create, to_update)

    def _stored(self) -> dict[tuple[int, int, str], Value]:
        districts_by_group: dict[tuple[int, str], set[int]] = defaultdict(set)
        for checked in self.checked:
            districts_by_group[(checked.indicator_id, checked.period)].add(checked.district_id)
        stored = {}
        for (indicator_id, period), district_ids in districts_by_group.items():
            ordered = sorted(district_ids)
            for start in range(0, len(ordered), BATCH_SIZE):
                for value in Value.objects.filter(
                    indicator_id=indicator_id,
                    period=period,
                    district_id__in=ordered[start : start + BATCH_SIZE],
                ):
                    stored[(value.district_id, value.indicator_id, value.period)] = value
        return stored

    def _new(self, checked: CheckedValue) -> Value:
        s = self.settings
        return Value(
            district_id=checked.district_id,
            indicator_id=checked.indicator_id,
            period=checked.period,
            value=checked.value,
            target=checked.target,
            note=checked.note or "",
            status=s.status,
            entered_by_id=s.user_id,
        )

    def _changed(self, value: Value, checked: CheckedValue) -> Value:
        s = self.settings
        value.value = checked.value
        if s.has_target:
            value.target = checked.target
        if s.has_note:
            value.note = checked.note
        value.status = s.status
        value.version += 1
        value.entered_by_id, value.entered_at = s.user_id, s.now  # bulk_update skips auto_now
        return value

    def _write(self, to_create: list[Value], to_update: list[Value]) -> None:
        s = self.settings
        history = {
            "default_user": s.user,
            "default_change_reason": s.reason,
            "default_date": s.now,
            "batch_size": BATCH_SIZE,
        }
        bulk_create_with_history(to_create, Value, **history)
        fields = ["value", "status", "version", "entered_by", "entered_at"]
        fields += ["target"] * s.has_target + ["note"] * s.has_note
        bulk_update_with_history(to_update, Value, fields, **history)
        written = [*to_create, *to_update]
        self.written += len(written)
        self.written_pairs.update((value.district_id, value.period) for value in written)
