"""On PostgreSQL the values an import writes, and their history, are written by SQL
(value_staging: COPY, one upsert whose RETURNING feeds the historical rows); what it stores
and records is what the Python path (django-simple-history's bulk helpers) stores and
records for the same files."""

import pytest
from django.db import connection

from accounts.roles import Role
from districts.importing.value_writes import BatchedValueWriter
from districts.models import DataReturn, Value
from districts.services import imports
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's"
)

HistoricalValue = Value.history.model
# Notes COPY must escape, and text no escape touches.
NOTES = ["plain", "tab\there", "two\nlines", "back\\slash \\N", '引号 "quoted", 逗号', ""]


@pytest.fixture
def files(db, tmp_path):
    """The first file creates 360 values; the second changes two thirds of them (value,
    target or note), leaves the rest as they are and adds 40."""
    group = GroupFactory()
    districts = [DistrictFactory(code=f"T{n:03}", group=group) for n in range(20)]
    indicators = [IndicatorFactory(code=f"J{n:02}") for n in range(20)]
    keys = [(d.code, i.code) for d in districts for i in indicators]

    def line(row: int, district: str, indicator: str, *, changed: bool) -> str:
        value = f"{row}.125" if not changed or row % 3 != 1 else f"{row}.5"
        target = "" if row % 4 == 0 else f"{row * 2}"
        if changed and row % 3 == 2:
            target = "7.75"
        note = NOTES[row % len(NOTES)]
        quoted = '"' + note.replace('"', '""') + '"'
        return f"{district},{indicator},2025Q1,{value},{target},{quoted}"

    def write(name: str, rows: range, *, changed: bool) -> str:
        lines = ["district,indicator,period,value,target,note"] + [
            line(row, *keys[row], changed=changed) for row in rows
        ]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    return write("first.csv", range(360), changed=False), write(
        "second.csv", range(400), changed=True
    )


def import_both(files, user) -> list:
    first, second = files
    return [
        imports.values_import(path=first, user=user),
        imports.values_import(path=second, user=user),
    ]


def stored_state() -> tuple[list, list]:
    values = sorted(
        Value.objects.values_list(
            "district__code", "indicator__code", "period", "value", "target", "note", "status",
            "justification", "locked", "version", "entered_by",
        ),
        key=_by_key_and_version,
    )  # fmt: skip
    records = sorted(
        HistoricalValue.objects.values_list(
            "district__code", "indicator__code", "period", "value", "target", "note", "status",
            "justification", "locked", "version", "entered_by", "history_type", "history_user",
            "history_change_reason",
        ),
        key=_by_key_and_version,
    )  # fmt: skip
    return values, records


def _by_key_and_version(row: tuple) -> tuple:
    district, indicator, period, *_, version = row[:10]
    return district, indicator, period, version


def forget_everything() -> None:
    Value.objects.all().delete()
    HistoricalValue.objects.all().delete()
    DataReturn.objects.all().delete()
    DataReturn.history.model.objects.all().delete()


def test_values_and_history_are_those_the_python_path_writes(files, monkeypatch):
    reviewer = user_with_role(Role.REVIEWER)
    by_sql = import_both(files, reviewer)
    state_by_sql = stored_state()
    forget_everything()
    monkeypatch.setattr(
        imports,
        "value_writer",
        lambda settings, **options: BatchedValueWriter(settings, **options),
    )
    by_python = import_both(files, reviewer)

    counts = [(360, 0, 0), (40, 240, 120)]
    assert [(r.created, r.updated, r.unchanged) for r in by_sql] == counts
    assert [(r.created, r.updated, r.unchanged) for r in by_python] == counts
    assert state_by_sql == stored_state()
    values, records = state_by_sql
    assert {(record[-3], record[9]) for record in records} == {("+", 1), ("~", 2)}
    assert {value[5] for value in values} == set(NOTES)
    assert len(records) == 360 + 40 + 240


def test_each_import_records_one_date_its_values_were_entered_at(files):
    import_both(files, None)

    for reason in ("import first.csv", "import second.csv"):
        records = HistoricalValue.objects.filter(history_change_reason=reason)
        [date] = set(records.values_list("history_date", flat=True))
        assert set(records.values_list("entered_at", flat=True)) == {date}


def _value_table_estimate() -> float:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [Value._meta.db_table]
        )
        return cursor.fetchone()[0]


def test_an_import_larger_than_a_tenth_of_the_table_refreshes_its_statistics(files):
    """Without statistics the planner looked stored values up by (indicator, period) and
    filtered on the district: re-importing 100,000 values took 41 s instead of 5 s."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Value._meta.db_table} CASCADE")  # forgets its statistics
    assert _value_table_estimate() < 0
    user = user_with_role(Role.REVIEWER)
    first, second = files
    assert imports.values_import(path=first, user=user).ok
    # Analysed before the write, while still empty; the second file (400 rows against
    # an estimate of 0) is large beside it again, so it is analysed once more.
    assert imports.values_import(path=second, user=user).ok
    assert _value_table_estimate() == 360
