"""import_values: values keyed by district, indicator and period, imported whole or not at all.

Bad files are in test_import_values_bad_files.py; encodings, numbers and workbooks, history
and returns, and cost at scale each have a file of their own.
"""

import io
import sys
from decimal import Decimal

import pytest

from accounts.roles import Role
from districts.models import Value, ValueStatus
from tests.builders import user_with_role
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference_data")

DEFAULT_STATUS = (
    "status of the imported values: approved "
    "(the default; choose with --status draft|submitted|approved)"
)


def stored(district: str, indicator: str, period: str) -> Value:
    return Value.objects.get(district__code=district, indicator__code=indicator, period=period)


# --- good files ---------------------------------------------------------------------------


def test_it_imports_a_good_file_and_says_how_it_read_it_and_what_it_did(run, data_file):
    output = run("import_values", data_file("values_good.csv"))

    assert output.stdout.splitlines() == [
        "read values_good.csv (CSV in UTF-8): 6 rows",
        DEFAULT_STATUS,
        "created 4, updated 1, unchanged 1",
    ]
    assert Value.objects.count() == 6
    assert stored("220112", "gdp_growth", "2025Q1").value == Decimal("-1.25")
    assert stored("220183", "retail_sales", "2025Q1").value == Decimal("123456789.123456")
    assert stored("220102", "unemployment", "2025-03").value == Decimal("3.2")


def test_it_stores_the_canonical_period_code(run, data_file):
    run("import_values", data_file("values_good.csv"))

    retail = stored("220102", "retail_sales", "2025Q2")  # written "2025q2" in the file
    assert retail.value == Decimal("98.70")
    assert retail.note == "含限上企业, 已核对"


def test_it_updates_value_target_and_note_of_existing_values(run, data_file):
    run("import_values", data_file("values_good.csv"))

    updated = stored("220102", "gdp_growth", "2025Q1")
    assert (updated.value, updated.target, updated.note) == (
        Decimal("6.5"),
        Decimal("6.5"),
        "季度核实",
    )


def test_reimporting_the_same_file_changes_nothing(run, data_file, database_state):
    run("import_values", data_file("values_good.csv"))
    before = database_state()

    output = run("import_values", data_file("values_good.csv"))

    assert output.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 6"
    assert database_state() == before


def test_reimporting_a_changed_file_updates_the_values(run, data_file):
    run("import_values", data_file("values_good.csv"))

    output = run("import_values", data_file("values_update.csv"))

    assert output.stdout.splitlines()[-1] == "created 0, updated 1, unchanged 1"
    updated = stored("220102", "gdp_growth", "2025Q1")
    assert (updated.value, updated.target, updated.note) == (Decimal("6.2"), Decimal("6.8"), "修订")


def test_a_file_without_target_and_note_columns_keeps_the_stored_ones(run, csv_file):
    run(
        "import_values", csv_file("district,indicator,period,value\n220102,gdp_growth,2025Q1,6.3\n")
    )

    value = stored("220102", "gdp_growth", "2025Q1")
    assert (value.value, value.target, value.note) == (Decimal("6.3"), Decimal("6.5"), "初值")


def test_an_empty_target_or_note_cell_clears_the_stored_one(run, csv_file):
    run(
        "import_values",
        csv_file("district,indicator,period,value,target,note\n220102,gdp_growth,2025Q1,6.1,,\n"),
    )

    value = stored("220102", "gdp_growth", "2025Q1")
    assert (value.value, value.target, value.note) == (Decimal("6.1"), None, "")


def test_it_reads_standard_input_as_csv(run, data_file, monkeypatch):
    with open(data_file("values_good.csv"), "rb") as handle:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(handle.read())))

    output = run("import_values", "-")

    assert output.stdout.splitlines()[0] == "read standard input (CSV in UTF-8): 6 rows"
    assert Value.objects.count() == 6


# --- status -------------------------------------------------------------------------------


def test_imported_values_are_approved_unless_the_status_option_says_otherwise(run, data_file):
    Value.objects.update(status=ValueStatus.DRAFT)

    run("import_values", data_file("values_good.csv"))

    assert set(Value.objects.values_list("status", flat=True)) == {ValueStatus.APPROVED}


@pytest.mark.parametrize("status", [ValueStatus.DRAFT, ValueStatus.SUBMITTED])
def test_the_status_option_gives_every_created_and_changed_value_its_status(run, data_file, status):
    output = run("import_values", data_file("values_good.csv"), status=status)

    assert f"status of the imported values: {status}" in output.stdout.splitlines()
    created = stored("220112", "gdp_growth", "2025Q1")
    changed = stored("220102", "gdp_growth", "2025Q1")
    assert (created.status, changed.status) == (status, status)


def test_a_value_that_differs_only_in_status_is_updated(run, csv_file):
    output = run(
        "import_values",
        csv_file("district,indicator,period,value\n220103,gdp_growth,2025Q1,5.8\n"),
        status="draft",
        dry_run=True,
    )

    assert "row 2: update 220103 gdp_growth 2025Q1: status 'approved' → 'draft'" in (
        output.stdout.splitlines()
    )


def test_the_status_option_refuses_returned(run, data_file):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="invalid choice: 'returned'"):
        run("import_values", data_file("values_good.csv"), "--status", "returned")


# --- who imports --------------------------------------------------------------------------


def test_it_records_the_user_named_by_the_user_option(run, data_file):
    reviewer = user_with_role(Role.REVIEWER)

    run("import_values", data_file("values_good.csv"), user=reviewer.username)

    assert stored("220112", "gdp_growth", "2025Q1").entered_by == reviewer
    assert stored("220102", "gdp_growth", "2025Q1").entered_by == reviewer  # updated
    assert stored("220103", "gdp_growth", "2025Q1").entered_by is None  # unchanged


def test_it_refuses_to_import_in_the_name_of_a_clerk(rejected, data_file):
    UserFactory(username="clerk")

    rejection = rejected("import_values", data_file("values_good.csv"), user="clerk")

    assert rejection.message == (
        '"clerk" is not a reviewer or administrator; only the bureau imports values'
    )


def test_it_refuses_an_unknown_user(rejected, data_file):
    rejection = rejected("import_values", data_file("values_good.csv"), user="nobody")

    assert rejection.message == 'there is no user "nobody"'


# --- dry run ------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing(run, data_file, database_state):
    before = database_state()

    run("import_values", data_file("values_good.csv"), dry_run=True)

    assert database_state() == before


def test_a_dry_run_lists_what_would_be_created_and_updated(run, data_file):
    output = run("import_values", data_file("values_good.csv"), dry_run=True)

    assert output.stdout.splitlines() == [
        "read values_good.csv (CSV in UTF-8): 6 rows",
        DEFAULT_STATUS,
        "row 2: update 220102 gdp_growth 2025Q1: value 6.1 → 6.5, note '初值' → '季度核实'",
        "row 4: create 220112 gdp_growth 2025Q1 = -1.25",
        "row 5: create 220183 retail_sales 2025Q1 = 123456789.123456",
        "row 6: create 220102 retail_sales 2025Q2 = 98.7",
        "row 7: create 220102 unemployment 2025-03 = 3.2",
        "dry run, nothing was written: would have created 4, updated 1, unchanged 1",
    ]


def test_a_dry_run_still_rejects_a_bad_file(rejected, data_file):
    rejection = rejected("import_values", data_file("values_bad_period.csv"), dry_run=True)

    assert rejection.message == "1 problem; nothing was imported"


def test_the_changes_are_listed_at_verbosity_2(run, data_file):
    output = run("import_values", data_file("values_good.csv"), verbosity=2)

    assert "row 4: create 220112 gdp_growth 2025Q1 = -1.25" in output.stdout.splitlines()


# --- files that cannot be read ------------------------------------------------------------


def test_it_reports_a_file_that_does_not_exist(rejected, tmp_path):
    missing = tmp_path / "missing.csv"

    rejection = rejected("import_values", str(missing))

    assert rejection.message == f"cannot read {missing}: No such file or directory"


def test_it_reports_a_directory_given_as_the_file(rejected, tmp_path):
    rejection = rejected("import_values", str(tmp_path))

    assert rejection.message == f"cannot read {tmp_path}: Is a directory"


def test_a_file_with_a_header_and_no_rows_imports_nothing(run, csv_file):
    output = run("import_values", csv_file("district,indicator,period,value\n"))

    assert output.stdout.splitlines()[0] == "read inline.csv (CSV in UTF-8): 0 rows"
    assert output.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 0"
