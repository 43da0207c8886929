"""No import costs more than linearly in its size: on PostgreSQL a file of any length takes the
same few statements (COPY, one join, one INSERT … ON CONFLICT with its history); elsewhere the
writes go in batches of at most BATCH_SIZE rows, never one statement over every row."""

import math
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from districts.importing.value_writes import BATCH_SIZE
from districts.models import DataReturn, Value
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

INDICATORS = 20


@pytest.fixture
def values_file(db, tmp_path):
    """values_file(rows, offset) writes a file of ``rows`` values, each ``offset`` apart from
    the last file's."""
    group = GroupFactory()
    districts = [DistrictFactory(code=f"S{n:04}", group=group) for n in range(150)]
    indicators = [IndicatorFactory(code=f"S{n:02}") for n in range(INDICATORS)]
    pairs = [(d.code, i.code) for d in districts for i in indicators]

    def write(rows: int, offset: int) -> str:
        path = tmp_path / f"values-{rows}-{offset}.csv"
        lines = ["district,indicator,period,value"] + [
            f"{district},{indicator},2025Q1,{row + offset}.25"
            for row, (district, indicator) in enumerate(pairs[:rows])
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    return write


def statements_of_an_import(path: str) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        call_command("import_values", path, stdout=StringIO(), stderr=StringIO())
    return [query["sql"] for query in queries.captured_queries]


def value_writes(statements: list[str]) -> list[str]:
    table = Value._meta.db_table
    return [
        sql
        for sql in statements
        if sql.startswith((f'INSERT INTO "{table}"', f'UPDATE "{table}"', "WITH written"))
    ]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged path is PostgreSQL's")
def test_on_postgresql_a_bigger_file_takes_no_more_statements(values_file):
    small_new = statements_of_an_import(values_file(500, 0))
    small_changed = statements_of_an_import(values_file(500, 1))
    Value.objects.all().delete()
    DataReturn.objects.all().delete()
    big_new = statements_of_an_import(values_file(3000, 0))
    big_changed = statements_of_an_import(values_file(3000, 1))

    assert len(big_new) == len(small_new)
    assert len(big_changed) == len(small_changed)
    assert len(value_writes(big_changed)) == 1  # the upsert that writes the history too


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the batched path")
def test_elsewhere_values_are_written_in_batches_of_at_most_batch_size(values_file):
    statements_of_an_import(values_file(3000, 0))

    changed = statements_of_an_import(values_file(3000, 1))

    table = Value._meta.db_table
    updates = [sql for sql in changed if sql.startswith(f'UPDATE "{table}"')]
    assert len(updates) >= math.ceil(3000 / BATCH_SIZE)
    # bulk_update's CASE names every id of its batch once per field it sets (five here).
    assert max(sql.count(" WHEN ") for sql in updates) <= BATCH_SIZE * 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the staged path is PostgreSQL's")
def test_a_dry_run_of_a_big_file_counts_every_row_and_lists_them_in_file_order(values_file, run):
    run("import_values", values_file(1200, 0))

    output = run("import_values", values_file(1500, 1), dry_run=True)

    lines = output.stdout.splitlines()
    assert lines[-1] == (
        "dry run, nothing was written: would have created 300, updated 1200, unchanged 0"
    )
    changes = [line for line in lines if line.startswith("row ")]
    assert len(changes) == 1500
    assert changes[0].startswith("row 2: update S0000 S00 2025Q1: value 0.25 → 1.25")
    assert changes[-1] == "row 1501: create S0074 S19 2025Q1 = 1500.25"


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of 500 rows for the batched writer, so that 1,500 rows make three."""
    from districts.importing import value_writes

    monkeypatch.setattr(value_writes, "CHUNK_ROWS", 500)


@pytest.mark.usefixtures("small_chunks")
def test_a_duplicate_far_down_a_big_file_stops_all_of_it(values_file, rejected):
    path = values_file(1500, 0)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("S0000,S00,2025Q1,1\n")

    rejection = rejected("import_values", path)

    assert rejection.problems == [
        "row 1502: duplicate of row 2 (district S0000, indicator S00, period 2025Q1)"
    ]
    assert not Value.objects.exists()


@pytest.mark.usefixtures("small_chunks")
def test_a_locked_value_far_down_a_big_file_stops_all_of_it(values_file, rejected):
    call_command("import_values", values_file(1500, 0), stdout=StringIO(), stderr=StringIO())
    Value.objects.filter(district__code="S0070", indicator__code="S05").update(locked=True)
    before = list(Value.objects.order_by("pk").values_list("value", "version"))

    rejection = rejected("import_values", values_file(1500, 1))

    [problem] = rejection.problems
    assert problem.startswith('row 1407, column "value": S0070 S05 2025Q1 is locked')
    assert list(Value.objects.order_by("pk").values_list("value", "version")) == before


@pytest.mark.usefixtures("small_chunks")
def test_a_file_of_many_chunks_is_written_whole_with_its_history(values_file, run):
    run("import_values", values_file(1200, 0))

    output = run("import_values", values_file(1500, 1))

    assert output.stdout.splitlines()[-1] == "created 300, updated 1200, unchanged 0"
    assert Value.objects.count() == 1500
    history = Value.history.model.objects
    assert (history.filter(history_type="+").count(), history.filter(history_type="~").count()) == (
        1500,
        1200,
    )
