"""On PostgreSQL an import that lists no rows writes each chunk while the next is being read
(value_streaming): what it stores and the history it records are those of the Python path,
a failure while writing undoes the whole file, and the foreign keys it checks as it goes are
deferred again afterwards."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from accounts.roles import Role
from districts.importing import value_streaming
from districts.importing.value_streaming import StreamedValueWriter
from districts.importing.value_writes import BatchedValueWriter
from districts.models import DataReturn, Value
from districts.services import imports
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the streamed path is PostgreSQL's"
)

HistoricalValue = Value.history.model
# Notes COPY must escape, and text no escape touches.
NOTES = ["plain", "tab\there", "two\nlines", "back\\slash \\N", '引号 "quoted", 逗号', ""]


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(value_streaming, "CHUNK_ROWS", 100)


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


@pytest.mark.usefixtures("small_chunks")
def test_values_and_history_are_those_the_python_path_writes(files, monkeypatch):
    reviewer = user_with_role(Role.REVIEWER)
    streamed = import_both(files, reviewer)
    streamed_state = stored_state()
    forget_everything()
    monkeypatch.setattr(
        imports,
        "value_writer",
        lambda settings, **options: BatchedValueWriter(settings, **options),
    )
    batched = import_both(files, reviewer)

    assert [(r.created, r.updated, r.unchanged) for r in streamed] == [(360, 0, 0), (40, 240, 120)]
    assert [(r.created, r.updated, r.unchanged) for r in batched] == [(360, 0, 0), (40, 240, 120)]
    assert streamed_state == stored_state()
    values, records = streamed_state
    assert {(record[-3], record[9]) for record in records} == {("+", 1), ("~", 2)}
    assert {value[5] for value in values} == set(NOTES)
    assert len(records) == 360 + 40 + 240


@pytest.mark.usefixtures("small_chunks")
def test_each_import_records_one_date_its_values_were_entered_at(files):
    import_both(files, None)

    for reason in ("import first.csv", "import second.csv"):
        records = HistoricalValue.objects.filter(history_change_reason=reason)
        [date] = set(records.values_list("history_date", flat=True))
        assert set(records.values_list("entered_at", flat=True)) == {date}


@pytest.mark.usefixtures("small_chunks")
def test_a_failure_while_writing_a_chunk_undoes_the_whole_file(files, monkeypatch):
    first, _second = files
    write = StreamedValueWriter._write_from
    calls = []

    def failing_on_the_third_chunk(self, source, cursor):
        calls.append(source)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return write(self, source, cursor)

    monkeypatch.setattr(StreamedValueWriter, "_write_from", failing_on_the_third_chunk)

    with pytest.raises(RuntimeError, match="went away"):
        imports.values_import(path=first)

    assert not Value.objects.exists()
    assert not HistoricalValue.objects.exists()
    assert not connection.allow_thread_sharing


def test_the_foreign_keys_are_deferred_again_after_an_import(files):
    first, _second = files
    imports.values_import(path=first)
    value = Value.objects.first()

    with transaction.atomic():
        # A deferred key is checked at the commit, not by the statement.
        with connection.cursor() as cursor:
            cursor.execute("UPDATE districts_value SET indicator_id = -1 WHERE id = %s", [value.pk])
        with pytest.raises(IntegrityError), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        transaction.set_rollback(True)

    value.refresh_from_db()
    assert value.indicator_id != -1


def test_a_file_of_figures_needing_no_escape_round_trips_exactly(tmp_path, db):
    district = DistrictFactory(code="E001")
    indicator = IndicatorFactory(code="E01")
    path = tmp_path / "exact.csv"
    path.write_text(
        "district,indicator,period,value,target,note\n"
        "E001,E01,2025Q1,0.0000001,-0,'=formula-like\n",
        encoding="utf-8",
    )

    result = imports.values_import(path=path)

    assert result.created == 1
    value = Value.objects.get(district=district, indicator=indicator)
    assert (value.value, value.target, value.note) == (
        Decimal("0.0000001"),
        Decimal("0"),
        "=formula-like",
    )
