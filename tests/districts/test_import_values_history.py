"""Every value an import writes has a historical record (who, when, old and new, why), the bulk
paths included; a locked value is never changed; each return the file touches follows the
status of its imported values."""

from decimal import Decimal

import pytest
from django.db import connection

from accounts.roles import Role
from districts.importing.value_writes import BATCH_SIZE
from districts.models import DataReturn, ReturnStatus, Value, ValueStatus
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory

HistoricalValue = Value.history.model
HistoricalReturn = DataReturn.history.model


def stored(district: str, indicator: str, period: str) -> Value:
    return Value.objects.get(district__code=district, indicator__code=indicator, period=period)


def imported_records(value: Value) -> list:
    return list(value.history.exclude(history_change_reason=None).order_by("history_id"))


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.REVIEWER)


# --- values -------------------------------------------------------------------------------


@pytest.mark.usefixtures("reference_data")
def test_a_created_value_has_one_record_of_its_creation_by_the_importing_user(
    run, data_file, reviewer
):
    run("import_values", data_file("values_good.csv"), user=reviewer.username)

    value = stored("220112", "gdp_growth", "2025Q1")
    [record] = value.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        reviewer,
        "import values_good.csv",
    )
    assert (record.value, record.status, record.version) == (Decimal("-1.25"), "approved", 1)


@pytest.mark.usefixtures("reference_data")
def test_a_changed_value_gets_a_new_version_and_a_record_of_old_and_new(run, data_file, reviewer):
    run("import_values", data_file("values_good.csv"), user=reviewer.username)

    value = stored("220102", "gdp_growth", "2025Q1")
    [record] = imported_records(value)
    assert (record.history_type, record.history_user) == ("~", reviewer)
    assert (value.version, record.version) == (2, 2)
    assert (record.value, record.note) == (Decimal("6.5"), "季度核实")
    previous = record.prev_record
    assert (previous.value, previous.note) == (Decimal("6.1"), "初值")


@pytest.mark.usefixtures("reference_data")
def test_an_unchanged_value_gets_no_record(run, data_file):
    run("import_values", data_file("values_good.csv"))

    assert imported_records(stored("220103", "gdp_growth", "2025Q1")) == []


@pytest.mark.usefixtures("reference_data")
def test_an_import_from_the_command_line_without_user_records_nobody(run, data_file):
    run("import_values", data_file("values_good.csv"))

    assert set(
        HistoricalValue.objects.filter(history_change_reason="import values_good.csv")
        .values_list("history_user", flat=True)
    ) == {None}  # fmt: skip


@pytest.mark.usefixtures("reference_data")
def test_a_dry_run_records_nothing(run, data_file):
    records, returns = HistoricalValue.objects.count(), DataReturn.objects.count()

    run("import_values", data_file("values_good.csv"), dry_run=True)

    assert (HistoricalValue.objects.count(), DataReturn.objects.count()) == (records, returns)


@pytest.fixture
def many(db):
    """A file of more values than one batch: 60 districts × 20 indicators."""
    group = GroupFactory()
    districts = [DistrictFactory(code=f"D{n:03}", group=group) for n in range(60)]
    indicators = [IndicatorFactory(code=f"I{n:02}") for n in range(20)]
    assert len(districts) * len(indicators) > 2 * BATCH_SIZE

    def write(path, *, offset: int) -> str:
        lines = ["district,indicator,period,value"]
        lines += [
            f"{district.code},{indicator.code},2025Q1,{row + offset}.5"
            for row, (district, indicator) in enumerate(
                (d, i) for d in districts for i in indicators
            )
        ]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return str(path)

    return write


def test_a_bulk_import_records_every_created_and_every_changed_value(run, many, tmp_path, reviewer):
    run("import_values", many(tmp_path / "first.csv", offset=0), user=reviewer.username)
    output = run("import_values", many(tmp_path / "second.csv", offset=1), user=reviewer.username)

    assert output.stdout.splitlines()[-1] == "created 0, updated 1200, unchanged 0"
    created = HistoricalValue.objects.filter(history_change_reason="import first.csv")
    changed = HistoricalValue.objects.filter(history_change_reason="import second.csv")
    assert (created.count(), changed.count()) == (1200, 1200)
    assert set(created.values_list("history_type", "history_user", "version")) == {
        ("+", reviewer.pk, 1)
    }
    assert set(changed.values_list("history_type", "history_user", "version")) == {
        ("~", reviewer.pk, 2)
    }
    assert set(Value.objects.values_list("version", flat=True)) == {2}
    # Each record holds the figure as it was written.
    value = Value.objects.get(district__code="D059", indicator__code="I19")
    assert [r.value for r in value.history.order_by("history_id")] == [
        Decimal("1199.5"),
        Decimal("1200.5"),
    ]


def test_the_bulk_path_is_the_database_s_own(many, tmp_path):
    from districts.importing.value_writes import ImportSettings, value_writer

    settings = ImportSettings(
        has_target=False, has_note=False, status="approved", user=None, now=None, reason="",
        district_codes={}, indicator_codes={}, list_limit=0, preview_limit=0,
    )  # fmt: skip
    expected = "Staged" if connection.vendor == "postgresql" else "Batched"
    writer = value_writer(settings, dry_run=True, may_write=lambda: True)
    assert type(writer).__name__ == f"{expected}ValueWriter"


# --- locks --------------------------------------------------------------------------------


@pytest.fixture
def locked(reference_data):
    Value.objects.filter(district__code="220102", period="2025Q1").update(locked=True)


@pytest.mark.usefixtures("locked")
def test_it_refuses_to_change_a_locked_value_naming_its_row(rejected, data_file):
    rejection = rejected("import_values", data_file("values_good.csv"))

    assert rejection.problems == [
        'row 2, column "value": 220102 gdp_growth 2025Q1 is locked: a current publication '
        "uses it, and a reviewer reopens its return before it can change"
    ]
    assert not Value.objects.filter(district__code="220112").exists()


@pytest.mark.usefixtures("locked")
def test_a_locked_value_that_the_file_leaves_as_it_is_does_not_stop_the_import(run, csv_file):
    output = run(
        "import_values",
        csv_file(
            "district,indicator,period,value,target,note\n"
            "220102,gdp_growth,2025Q1,6.1,6.5,初值\n"
            "220112,gdp_growth,2025Q1,4.4,,\n"
        ),
    )

    assert output.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 1"


@pytest.mark.usefixtures("locked")
def test_a_locked_value_cannot_change_status_by_import_either(rejected, csv_file):
    rejection = rejected(
        "import_values",
        csv_file(
            "district,indicator,period,value,target,note\n220102,gdp_growth,2025Q1,6.1,6.5,初值\n"
        ),
        status="draft",
    )

    assert rejection.problems == [
        "row 2: 220102 gdp_growth 2025Q1 is locked: a current publication uses it, and a "
        "reviewer reopens its return before it can change"
    ]


# --- returns ------------------------------------------------------------------------------


def the_return(district: str, period: str) -> DataReturn:
    return DataReturn.objects.get(district__code=district, period=period)


@pytest.mark.usefixtures("reference_data")
def test_an_approved_import_approves_every_return_it_touches(run, data_file, reviewer):
    run("import_values", data_file("values_good.csv"), user=reviewer.username)

    returns = DataReturn.objects.values_list("district__code", "period", "status")
    assert sorted(returns) == [
        ("220102", "2025-03", "approved"),
        ("220102", "2025Q1", "approved"),
        ("220102", "2025Q2", "approved"),
        ("220103", "2025Q1", "approved"),
        ("220112", "2025Q1", "approved"),
        ("220183", "2025Q1", "approved"),
    ]
    approved = the_return("220112", "2025Q1")
    assert approved.reviewed_by == reviewer
    assert approved.reviewed_at is not None
    [record] = approved.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        reviewer,
        "import values_good.csv",
    )


@pytest.mark.usefixtures("reference_data")
def test_a_submitted_import_submits_its_returns(run, data_file, reviewer):
    run("import_values", data_file("values_good.csv"), user=reviewer.username, status="submitted")

    submitted = the_return("220112", "2025Q1")
    assert submitted.status == ReturnStatus.SUBMITTED
    assert (submitted.submitted_by, submitted.reviewed_at) == (reviewer, None)
    assert submitted.submitted_at == submitted.first_submitted_at is not None


@pytest.mark.usefixtures("reference_data")
def test_a_draft_import_leaves_its_returns_drafts(run, data_file):
    run("import_values", data_file("values_good.csv"), status="draft")

    assert set(DataReturn.objects.values_list("status", flat=True)) == {ReturnStatus.DRAFT}


def test_an_import_moves_a_returned_return_on_and_records_it(run, reference_data, data_file):
    DataReturn.objects.create(
        district=reference_data["districts"]["220102"], period="2025Q1",
        status=ReturnStatus.RETURNED, reason="check the note",
    )  # fmt: skip

    run("import_values", data_file("values_good.csv"))

    moved = the_return("220102", "2025Q1")
    assert (moved.status, moved.reason) == (ReturnStatus.APPROVED, "")
    assert [r.history_type for r in moved.history.order_by("history_id")] == ["+", "~"]


def test_a_return_the_import_leaves_as_it_was_gets_no_record(run, reference_data, data_file):
    run("import_values", data_file("values_good.csv"))
    records = HistoricalReturn.objects.count()

    run("import_values", data_file("values_good.csv"))

    assert HistoricalReturn.objects.count() == records
    assert Value.objects.filter(status=ValueStatus.APPROVED).count() == 6
