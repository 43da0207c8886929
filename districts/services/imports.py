"""Importing districts, indicators and values from CSV tables, and exporting values.

Every import first validates the whole table, collecting every problem, and writes only when
there are none, inside one transaction: a file is imported completely or not at all.

Columns that are absent from a file leave the stored fields alone on re-import; an empty cell in
an optional column that is present clears the field (or resets it to its default).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TextIO

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models, transaction
from django.utils import timezone, translation

from districts.csv_io import (
    CellReader,
    CsvTable,
    ImportReport,
    ImportResult,
    header_problems,
    write_csv,
)
from districts.decimals import format_decimal
from districts.models import (
    Direction,
    District,
    DistrictKind,
    Frequency,
    Group,
    Indicator,
    Value,
    ValueStatus,
)
from districts.periods import Period, PeriodError
from districts.selectors.exports import values_for_export

DISTRICT_COLUMNS = ("code", "name", "kind", "group")
DISTRICT_OPTIONAL_COLUMNS = ("name_en", "population")
INDICATOR_COLUMNS = ("code", "name", "unit", "direction")
INDICATOR_OPTIONAL_COLUMNS = (
    "name_en", "category", "decimals", "frequency", "cumulative", "min", "max",
)  # fmt: skip
VALUE_COLUMNS = ("district", "indicator", "period", "value")
VALUE_OPTIONAL_COLUMNS = ("target", "note")

POSITIVE_INTEGER_MAX = 2_147_483_647  # the largest PositiveIntegerField value on every database
INDICATOR_DECIMALS_MAX = 6  # the indicator_decimals_max_6 constraint


def _english_labels(choices: type[models.TextChoices]) -> dict[str, str]:
    """Accept each stored value and, for convenience, its English label, in any case."""
    with translation.override("en"):
        accepted = {value: value for value in choices.values}
        accepted.update({str(label).lower(): value for value, label in choices.choices})
    return accepted


DISTRICT_KINDS = _english_labels(DistrictKind)
DIRECTIONS = {value: value for value in Direction.values}
FREQUENCIES = {value: value for value in Frequency.values}


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


def _start_report(
    table: CsvTable, required: tuple[str, ...], optional: tuple[str, ...]
) -> ImportReport:
    report = ImportReport(table.problems)
    report.problems.extend(header_problems(table, required=required, optional=optional))
    return report


def _rejected(report: ImportReport) -> ImportResult:
    return ImportResult(problems=report.sorted_problems())


def _report_duplicate(cells: CellReader, seen: dict[Any, int], key: Any, description: str) -> None:
    if key in seen:
        cells.problem(None, f"duplicate of row {seen[key]} ({description})")
    else:
        seen[key] = cells.row.number


def _save_record(
    model: type[models.Model], existing: models.Model | None, code: str, fields: dict[str, Any]
) -> tuple[str, list[str]]:
    """Create or update one record by code; returns what happened and the changed fields."""
    if existing is None:
        model.objects.create(code=code, **fields)
        return "created", []
    changed = [name for name, value in fields.items() if getattr(existing, name) != value]
    if not changed:
        return "unchanged", []
    for name in changed:
        setattr(existing, name, fields[name])
    existing.save(update_fields=changed)
    return "updated", changed


_ACTIONS = {"created": "create", "updated": "update"}


def _count(result: ImportResult, outcome: str, row: int, what: str) -> None:
    """Count one record's outcome ("created", "updated" or "unchanged") and describe changes.

    Changes are worded as actions ("row 3: create ...") so that they read right both after an
    import and in a dry run's preview.
    """
    setattr(result, outcome, getattr(result, outcome) + 1)
    if outcome in _ACTIONS:
        result.changes.append(f"row {row}: {_ACTIONS[outcome]} {what}")


def districts_import(*, table: CsvTable, create_groups: bool) -> ImportResult:
    """Create or update districts by code. Unknown group codes are problems unless
    ``create_groups``, which creates each missing group named after its code."""
    report = _start_report(table, DISTRICT_COLUMNS, DISTRICT_OPTIONAL_COLUMNS)
    groups = {group.code: group for group in Group.objects.all()}
    new_group_codes: list[str] = []
    planned: list[tuple[int, str, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = CellReader(row, report)
        problems_before = len(report)
        code = cells.text("code", _field(District, "code"), required=True)
        fields: dict[str, Any] = {
            "name": cells.text("name", _field(District, "name"), required=True),
            "kind": cells.choice("kind", DISTRICT_KINDS),
        }
        group_code = cells.text("group", _field(Group, "code"), required=True)
        if group_code and group_code not in groups and group_code not in new_group_codes:
            if create_groups:
                new_group_codes.append(group_code)
            else:
                cells.problem(
                    "group",
                    f'unknown group "{group_code}"; add it first or import with --create-groups',
                )
        if cells.has("name_en"):
            fields["name_en"] = cells.text("name_en", _field(District, "name_en"))
        if cells.has("population"):
            fields["population"] = cells.integer("population", low=0, high=POSITIVE_INTEGER_MAX)
        if code:
            _report_duplicate(cells, seen, code, f"code {code}")
        if len(report) == problems_before:
            planned.append((row.number, code, group_code, fields))
    if report:
        return _rejected(report)

    result = ImportResult(notes=[f"created group {code}" for code in new_group_codes])
    existing = {district.code: district for district in District.objects.select_related("group")}
    with transaction.atomic():
        for group_code in new_group_codes:
            groups[group_code] = Group.objects.create(code=group_code, name=group_code)
        for number, code, group_code, fields in planned:
            fields["group"] = groups[group_code]
            outcome, changed = _save_record(District, existing.get(code), code, fields)
            _count(result, outcome, number, _described(f"district {code}", changed))
    return result


def indicators_import(*, table: CsvTable) -> ImportResult:
    """Create or update indicators by code."""
    report = _start_report(table, INDICATOR_COLUMNS, INDICATOR_OPTIONAL_COLUMNS)
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    planned: list[tuple[int, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row in table.rows:
        cells = CellReader(row, report)
        problems_before = len(report)
        code = cells.text("code", _field(Indicator, "code"), required=True)
        fields = _indicator_fields(cells)
        _check_indicator_range(cells, fields, existing.get(code or ""))
        if code:
            _report_duplicate(cells, seen, code, f"code {code}")
        if len(report) == problems_before:
            planned.append((row.number, code, fields))
    if report:
        return _rejected(report)

    result = ImportResult()
    with transaction.atomic():
        for number, code, fields in planned:
            outcome, changed = _save_record(Indicator, existing.get(code), code, fields)
            _count(result, outcome, number, _described(f"indicator {code}", changed))
    return result


def _indicator_fields(cells: CellReader) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": cells.text("name", _field(Indicator, "name"), required=True),
        "unit": cells.text("unit", _field(Indicator, "unit"), required=True),
        "direction": cells.choice("direction", DIRECTIONS),
    }
    for column in ("name_en", "category"):
        if cells.has(column):
            fields[column] = cells.text(column, _field(Indicator, column))
    if cells.has("decimals"):
        decimals = cells.integer("decimals", low=0, high=INDICATOR_DECIMALS_MAX)
        fields["decimals"] = _field(Indicator, "decimals").default if decimals is None else decimals
    if cells.has("frequency"):
        frequency = cells.choice("frequency", FREQUENCIES, required=False)
        fields["frequency"] = frequency or _field(Indicator, "frequency").default
    if cells.has("cumulative"):
        fields["cumulative"] = cells.boolean("cumulative")
    for column, name in (("min", "min_value"), ("max", "max_value")):
        if cells.has(column):
            fields[name] = cells.decimal(column)
    return fields


def _check_indicator_range(
    cells: CellReader, fields: dict[str, Any], existing: Indicator | None
) -> None:
    # A file may set only one bound: compare it with the other bound already stored.
    low = fields.get("min_value", existing.min_value if existing else None)
    high = fields.get("max_value", existing.max_value if existing else None)
    if low is not None and high is not None and low > high:
        column = "min" if "min_value" in fields else "max"
        cells.problem(
            column,
            f"the lowest valid value {format_decimal(low)} is above "
            f"the highest valid value {format_decimal(high)}",
        )


def _described(what: str, changed: list[str]) -> str:
    return f"{what} ({', '.join(changed)})" if changed else what


@dataclass(frozen=True, slots=True)
class _PlannedValue:
    row: int
    district: District
    indicator: Indicator
    period: str
    fields: dict[str, Any]

    @property
    def key(self) -> tuple[int, int, str]:
        return (self.district.pk, self.indicator.pk, self.period)

    @property
    def label(self) -> str:
        return f"{self.district.code} {self.indicator.code} {self.period}"


def values_import(
    *, table: CsvTable, dry_run: bool, user: AbstractBaseUser | None = None
) -> ImportResult:
    """Create or update values keyed by district code, indicator code and period; imported
    values are approved. ``dry_run`` validates and counts but writes nothing. Created and
    changed values record ``user`` as the one who entered them."""
    report = _start_report(table, VALUE_COLUMNS, VALUE_OPTIONAL_COLUMNS)
    districts = {district.code: district for district in District.objects.all()}
    indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
    planned: list[_PlannedValue] = []
    seen: dict[tuple[str, str, str], int] = {}
    for row in table.rows:
        cells = CellReader(row, report)
        problems_before = len(report)
        district = _known(cells, "district", districts)
        indicator = _known(cells, "indicator", indicators)
        period = _period_code(cells)
        fields: dict[str, Any] = {"value": cells.decimal("value", required=True)}
        if cells.has("target"):
            fields["target"] = cells.decimal("target")
        if cells.has("note"):
            fields["note"] = cells.text("note", _field(Value, "note"))
        if indicator and fields["value"] is not None:
            _check_value_range(cells, indicator, fields["value"])
        if district and indicator and period:
            key = (district.code, indicator.code, period)
            description = f"district {key[0]}, indicator {key[1]}, period {key[2]}"
            _report_duplicate(cells, seen, key, description)
        if len(report) == problems_before:
            fields["status"] = ValueStatus.APPROVED
            planned.append(_PlannedValue(row.number, district, indicator, period, fields))
    if report:
        return _rejected(report)
    return _write_values(planned, dry_run=dry_run, user=user)


def _known(cells: CellReader, column: str, records: dict[str, Any]) -> Any:
    code = cells.required(column)
    if code is None:
        return None
    if code not in records:
        cells.problem(column, f'unknown {column} code "{code}"')
        return None
    return records[code]


def _check_value_range(cells: CellReader, indicator: Indicator, value: Decimal) -> None:
    if problem := indicator.range_problem(value):
        cells.problem("value", problem)


def _period_code(cells: CellReader) -> str | None:
    text = cells.required("period")
    if text is None:
        return None
    try:
        # Store the canonical code so that "2025q1" and "2025Q1" are the same period.
        return Period.parse(text).code
    except PeriodError as error:
        cells.problem("period", str(error))
        return None


def _write_values(
    planned: list[_PlannedValue], *, dry_run: bool, user: AbstractBaseUser | None
) -> ImportResult:
    result = ImportResult(dry_run=dry_run)
    stored = Value.objects.filter(
        district__in={item.district.pk for item in planned},
        indicator__in={item.indicator.pk for item in planned},
        period__in={item.period for item in planned},
    )
    existing = {(value.district_id, value.indicator_id, value.period): value for value in stored}
    to_create: list[Value] = []
    to_update: list[Value] = []
    now = timezone.now()
    for item in planned:
        value = existing.get(item.key)
        if value is None:
            to_create.append(
                Value(
                    district=item.district,
                    indicator=item.indicator,
                    period=item.period,
                    entered_by=user,
                    **item.fields,
                )
            )
            _count(result, "created", item.row, f"{item.label} = {_shown(item.fields['value'])}")
            continue
        changed = [name for name, new in item.fields.items() if getattr(value, name) != new]
        if not changed:
            _count(result, "unchanged", item.row, item.label)
            continue
        described = ", ".join(
            f"{name} {_shown(getattr(value, name))} -> {_shown(item.fields[name])}"
            for name in changed
        )
        for name in changed:
            setattr(value, name, item.fields[name])
        value.entered_by, value.entered_at = user, now  # bulk_update skips auto_now
        to_update.append(value)
        _count(result, "updated", item.row, f"{item.label}: {described}")
    if not dry_run:
        with transaction.atomic():
            Value.objects.bulk_create(to_create)
            Value.objects.bulk_update(
                to_update, ["value", "target", "note", "status", "entered_by", "entered_at"]
            )
    return result


def _shown(field_value: Any) -> str:
    if field_value is None:
        return "(empty)"
    if isinstance(field_value, Decimal):
        return format_decimal(field_value)
    return repr(field_value) if isinstance(field_value, str) else str(field_value)


def values_export(*, stream: TextIO, period: str | None) -> int:
    """Write values in the import format (so export then import is an exact round trip).

    Returns the number of values written. Raises PeriodError for an unreadable ``period``.
    """
    rows = (
        [
            value.district.code,
            value.indicator.code,
            value.period,
            format_decimal(value.value),
            "" if value.target is None else format_decimal(value.target),
            value.note,
        ]
        for value in values_for_export(period=period).iterator(chunk_size=2000)
    )
    return write_csv(stream, [*VALUE_COLUMNS, *VALUE_OPTIONAL_COLUMNS], rows)
