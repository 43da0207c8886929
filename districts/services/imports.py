"""Importing districts, indicators and values from CSV or XLSX files.

Every import first checks the whole file, collecting every problem, and writes only when
there are none, inside one transaction: a file is imported completely or not at all.

Columns that are absent from a file leave the stored fields alone on re-import; an empty cell in
an optional column that is present clears the field (or resets it to its default).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone, translation

from accounts.access import is_bureau
from districts.decimals import format_decimal
from districts.importing.cells import CellReader
from districts.importing.report import ImportReport, ImportResult, RowOutcome, SourceFacts
from districts.importing.returns import IMPORT_RETURN_STATUSES, returns_follow
from districts.importing.tables import Table, header_problems, opened_table
from districts.importing.value_rows import (
    VALUE_COLUMNS,
    VALUE_OPTIONAL_COLUMNS,
    ValueRowChecker,
)
from districts.importing.value_writes import ImportSettings, StoredValuesChanged, value_writer
from districts.models import (
    Direction,
    District,
    DistrictKind,
    Frequency,
    Group,
    Indicator,
    ValueStatus,
)

DISTRICT_COLUMNS = ("code", "name", "kind", "group")
DISTRICT_OPTIONAL_COLUMNS = ("name_en", "population")
INDICATOR_COLUMNS = ("code", "name", "unit", "direction")
INDICATOR_OPTIONAL_COLUMNS = (
    "name_en", "category", "decimals", "frequency", "cumulative", "min", "max",
)  # fmt: skip

POSITIVE_INTEGER_MAX = 2_147_483_647  # the largest PositiveIntegerField value on every database
INDICATOR_DECIMALS_MAX = 6  # the indicator_decimals_max_6 constraint

# How often (in rows) a long import reports its progress.
PROGRESS_EVERY = 5000


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


def _report_duplicate(cells: CellReader, seen: dict[Any, int], key: Any, description: str) -> None:
    if key in seen:
        cells.problem(None, f"duplicate of row {seen[key]} ({description})")
    else:
        seen[key] = cells.row.number


def _save_record(
    model: type[models.Model],
    existing: models.Model | None,
    code: str,
    fields: dict[str, Any],
    *,
    user,
    reason: str,
) -> tuple[str, list[str]]:
    """Create or update one record by code; returns what happened and the changed fields."""
    record = existing or model(code=code, **fields)
    # django-simple-history reads these when it writes the historical row of this save.
    record._history_user, record._change_reason = user, reason
    if existing is None:
        record.save()
        return "created", []
    changed = [name for name, value in fields.items() if getattr(existing, name) != value]
    if not changed:
        return "unchanged", []
    for name in changed:
        setattr(existing, name, fields[name])
    existing.save(update_fields=changed)
    return "updated", changed


_ACTIONS = {"created": "create", "updated": "update", "unchanged": "unchanged"}


def _count(result: ImportResult, outcome: str, row: int, what: str) -> None:
    """Count one record's outcome ("created", "updated" or "unchanged")."""
    result.count(RowOutcome(row, _ACTIONS[outcome], what))


def _read_rows(
    path: str | Path,
    name: str | None,
    report: ImportReport,
    columns: tuple[tuple[str, ...], tuple[str, ...]],
) -> tuple[Table, list]:
    """The whole table: districts and indicators come a few hundred to a file."""
    with opened_table(path, report=report, name=name) as table:
        required, optional = columns
        header_problems(table, report, required=required, optional=optional)
        return table, list(table.rows)


def districts_import(
    *, path: str | Path, name: str | None = None, create_groups: bool, user=None
) -> ImportResult:
    """Create or update districts by code from a CSV or XLSX file. Unknown group codes are
    problems unless ``create_groups``, which creates each missing group named after its code."""
    report = ImportReport()
    table, rows = _read_rows(path, name, report, (DISTRICT_COLUMNS, DISTRICT_OPTIONAL_COLUMNS))
    groups = {group.code: group for group in Group.objects.all()}
    new_group_codes: list[str] = []
    planned: list[tuple[int, str, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row in rows:
        cells = CellReader(row, report, table)
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
        return ImportResult.rejected(report, _source_facts(table))

    result = ImportResult(
        source=_source_facts(table),
        notes=[f"created group {code}" for code in new_group_codes],
        rounded=report.rounded,
        rounded_example=report.rounded_example,
    )
    reason = f"import {table.name}"[:100]
    existing = {district.code: district for district in District.objects.select_related("group")}
    with transaction.atomic():
        for group_code in new_group_codes:
            groups[group_code] = Group.objects.create(code=group_code, name=group_code)
        for number, code, group_code, fields in planned:
            fields["group"] = groups[group_code]
            outcome, changed = _save_record(
                District, existing.get(code), code, fields, user=user, reason=reason
            )
            _count(result, outcome, number, _described(f"district {code}", changed))
    return result


def indicators_import(*, path: str | Path, name: str | None = None, user=None) -> ImportResult:
    """Create or update indicators by code from a CSV or XLSX file."""
    report = ImportReport()
    table, rows = _read_rows(path, name, report, (INDICATOR_COLUMNS, INDICATOR_OPTIONAL_COLUMNS))
    existing = {indicator.code: indicator for indicator in Indicator.objects.all()}
    planned: list[tuple[int, str, dict[str, Any]]] = []
    seen: dict[str, int] = {}
    for row in rows:
        cells = CellReader(row, report, table)
        problems_before = len(report)
        code = cells.text("code", _field(Indicator, "code"), required=True)
        fields = _indicator_fields(cells)
        _check_indicator_range(cells, fields, existing.get(code or ""))
        if code:
            _report_duplicate(cells, seen, code, f"code {code}")
        if len(report) == problems_before:
            planned.append((row.number, code, fields))
    if report:
        return ImportResult.rejected(report, _source_facts(table))

    result = ImportResult(
        source=_source_facts(table), rounded=report.rounded, rounded_example=report.rounded_example
    )
    reason = f"import {table.name}"[:100]
    with transaction.atomic():
        for number, code, fields in planned:
            outcome, changed = _save_record(
                Indicator, existing.get(code), code, fields, user=user, reason=reason
            )
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


def values_import(
    *,
    path: str | Path,
    name: str | None = None,
    user=None,
    status: str = ValueStatus.APPROVED,
    dry_run: bool = False,
    list_limit: int = 0,
    preview_limit: int = 0,
    progress: Callable[[Table], None] | None = None,
) -> ImportResult:
    """Create or update values keyed by district code, indicator code and period, from the
    CSV or XLSX file at ``path`` (``name`` is the file's name as staff know it).

    Created and changed values get ``status``, a new version, and ``user`` as the one who
    entered them; each gets a historical record whose reason names the file. Every
    (district, period) return the file touches exists afterwards with the same status.
    ``dry_run`` checks and compares but writes nothing. The result lists at most
    ``list_limit`` created or updated rows and ``preview_limit`` unchanged ones; ``progress``
    is called with the table every few thousand rows.

    Raises PermissionDenied for a user outside the bureau; clerks enter figures by hand.
    """
    if status not in IMPORT_RETURN_STATUSES:
        raise ValueError(
            f"an import gives values the status draft, submitted or approved, not {status}"
        )
    if user is not None and not is_bureau(user):
        raise PermissionDenied("Only the statistics bureau imports values.")
    report = ImportReport()
    with opened_table(path, report=report, name=name) as table:
        header_problems(table, report, required=VALUE_COLUMNS, optional=VALUE_OPTIONAL_COLUMNS)
        districts = dict(District.objects.values_list("code", "pk"))
        indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}
        settings = ImportSettings(
            has_target="target" in table.columns,
            has_note="note" in table.columns,
            status=status,
            user=user,
            now=timezone.now(),
            reason=f"import {table.name}"[:100],
            district_codes={pk: code for code, pk in districts.items()},
            indicator_codes={indicator.pk: code for code, indicator in indicators.items()},
            list_limit=list_limit,
            preview_limit=preview_limit,
        )
        checker = ValueRowChecker(
            table=table, report=report, districts=districts, indicators=indicators
        )
        try:
            with transaction.atomic():
                writer = value_writer(settings, dry_run=dry_run, may_write=lambda: not report)
                with writer:
                    result = _check_and_write(table, report, checker, writer, settings, progress)
                if dry_run or not result.ok:
                    transaction.set_rollback(True)
                return result
        except StoredValuesChanged:
            report.add(
                table.header_row,
                "stored values changed while the file was being imported (another import, or "
                "a publication locked some); nothing was imported: import the file again",
            )
            return ImportResult.rejected(report, _source_facts(table))


def _source_facts(table: Table) -> SourceFacts:
    return SourceFacts(table.name, table.format, table.encoding, table.rows_read)


def _check_and_write(table, report, checker, writer, settings, progress) -> ImportResult:
    loading = not report
    for row in table.rows:
        checked = checker.check(row)
        if loading:
            if report:
                # Refused: no need to load the rest, but every row is still checked.
                writer.discard()
                loading = False
            elif checked is not None:
                writer.add(checked)
        if progress is not None and table.rows_read % PROGRESS_EVERY == 0:
            progress(table)
    if progress is not None:
        progress(table)
    if loading:
        writer.loading_done()
    source = _source_facts(table)
    if report:
        return ImportResult.rejected(report, source)
    comparison = writer.comparison
    for problem in comparison.locked:
        report.add(
            problem.row,
            problem.message,
            problem.column,
            table.cell_name(problem.row, problem.column),
        )
    report.count += comparison.locked_count - len(comparison.locked)
    if report:
        return ImportResult.rejected(report, source)
    result = ImportResult(
        created=comparison.created,
        updated=comparison.updated,
        unchanged=comparison.unchanged,
        dry_run=writer.dry_run,
        source=source,
        changes=comparison.changes,
        unchanged_rows=comparison.unchanged_rows,
        rounded=report.rounded,
        rounded_example=report.rounded_example,
        status=settings.status,
    )
    if writer.dry_run:
        return result
    if writer.written != comparison.created + comparison.updated:
        raise StoredValuesChanged
    returns_follow(pairs=writer.pairs, written_pairs=writer.written_pairs, settings=settings)
    return result
