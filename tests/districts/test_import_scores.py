"""import_scores: values keyed by district, indicator and period, imported whole or not at all."""

from decimal import Decimal

import pytest

from districts.models import Value, ValueStatus
from tests.factories import UserFactory

pytestmark = pytest.mark.usefixtures("reference_data")


def stored(district: str, indicator: str, period: str) -> Value:
    return Value.objects.get(district__code=district, indicator__code=indicator, period=period)


# --- good files ---------------------------------------------------------------------------


def test_it_imports_a_good_file_creating_and_updating_values(run, data_file):
    output = run("import_scores", data_file("scores_good.csv"))

    assert output.stdout.strip() == "created 4, updated 1, unchanged 1"
    assert Value.objects.count() == 6
    assert stored("220112", "gdp_growth", "2025Q1").value == Decimal("-1.25")
    assert stored("220183", "retail_sales", "2025Q1").value == Decimal("123456789.123456")
    assert stored("220102", "unemployment", "2025-03").value == Decimal("3.2")


def test_it_stores_the_canonical_period_code(run, data_file):
    run("import_scores", data_file("scores_good.csv"))

    retail = stored("220102", "retail_sales", "2025Q2")  # written "2025q2" in the file
    assert retail.value == Decimal("98.70")
    assert retail.note == "含限上企业, 已核对"


def test_it_updates_value_target_and_note_of_existing_values(run, data_file):
    run("import_scores", data_file("scores_good.csv"))

    updated = stored("220102", "gdp_growth", "2025Q1")
    assert (updated.value, updated.target, updated.note) == (
        Decimal("6.5"),
        Decimal("6.5"),
        "季度核实",
    )


def test_it_approves_every_imported_value(run, data_file):
    Value.objects.update(status=ValueStatus.DRAFT)

    run("import_scores", data_file("scores_good.csv"))

    assert set(Value.objects.values_list("status", flat=True)) == {ValueStatus.APPROVED}


def test_reimporting_the_same_file_changes_nothing(run, data_file, database_state):
    run("import_scores", data_file("scores_good.csv"))
    before = database_state()

    output = run("import_scores", data_file("scores_good.csv"))

    assert output.stdout.strip() == "created 0, updated 0, unchanged 6"
    assert database_state() == before


def test_reimporting_a_changed_file_updates_the_values(run, data_file):
    run("import_scores", data_file("scores_good.csv"))

    output = run("import_scores", data_file("scores_update.csv"))

    assert output.stdout.strip() == "created 0, updated 1, unchanged 1"
    updated = stored("220102", "gdp_growth", "2025Q1")
    assert (updated.value, updated.target, updated.note) == (Decimal("6.2"), Decimal("6.8"), "修订")


def test_a_file_without_target_and_note_columns_keeps_the_stored_ones(run, csv_file):
    run(
        "import_scores", csv_file("district,indicator,period,value\n220102,gdp_growth,2025Q1,6.3\n")
    )

    value = stored("220102", "gdp_growth", "2025Q1")
    assert (value.value, value.target, value.note) == (Decimal("6.3"), Decimal("6.5"), "初值")


def test_it_reads_a_utf8_file_with_byte_order_mark_crlf_and_untidy_headers(run, data_file):
    output = run("import_scores", data_file("scores_good_bom.csv"))

    assert output.stdout.strip() == "created 2, updated 0, unchanged 0"
    assert stored("220112", "gdp_growth", "2025Q2").value == Decimal("7.25")
    assert stored("220183", "gdp_growth", "2025Q2").value == Decimal("4")


def test_it_records_the_user_named_by_the_user_option(run, data_file):
    clerk = UserFactory(username="clerk")

    run("import_scores", data_file("scores_good.csv"), user="clerk")

    assert stored("220112", "gdp_growth", "2025Q1").entered_by == clerk
    assert stored("220102", "gdp_growth", "2025Q1").entered_by == clerk  # updated
    assert stored("220103", "gdp_growth", "2025Q1").entered_by is None  # unchanged


def test_it_refuses_an_unknown_user(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_good.csv"), user="nobody")

    assert rejection.message == 'there is no user "nobody"'


# --- dry run ------------------------------------------------------------------------------


def test_a_dry_run_writes_nothing(run, data_file, database_state):
    before = database_state()

    run("import_scores", data_file("scores_good.csv"), dry_run=True)

    assert database_state() == before


def test_a_dry_run_reports_what_would_be_created_and_updated(run, data_file):
    output = run("import_scores", data_file("scores_good.csv"), dry_run=True)

    lines = output.stdout.splitlines()
    assert lines[-1] == "dry run, nothing was written: would have created 4, updated 1, unchanged 1"
    assert (
        "row 2: update 220102 gdp_growth 2025Q1: value 6.1 -> 6.5, note '初值' -> '季度核实'"
        in lines
    )
    assert "row 4: create 220112 gdp_growth 2025Q1 = -1.25" in lines
    assert len(lines) == 6  # four creations, one update and the summary


def test_a_dry_run_still_rejects_a_bad_file(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_bad_period.csv"), dry_run=True)

    assert rejection.message == "1 problem; nothing was imported"


# --- bad files: each names its row and column, lists every problem, writes nothing -------


def test_it_rejects_unknown_district_codes_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_unknown_district.csv"))

    assert rejection.problems == ['row 3, column "district": unknown district code "999999"']
    assert rejection.message == "1 problem; nothing was imported"


def test_it_rejects_unknown_indicator_codes_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_unknown_indicator.csv"))

    assert rejection.problems == ['row 3, column "indicator": unknown indicator code "gdp_grwth"']


def test_it_rejects_values_that_are_not_numbers(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_bad_number.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 4, column "value": "12,5x" is not a number')


def test_it_rejects_numbers_in_scientific_notation(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_scientific_notation.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 3, column "value": "1.2e3" is not a number')


def test_it_rejects_values_with_more_than_ten_decimals(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_too_many_decimals.csv"))

    assert rejection.problems == [
        'row 3, column "value": "6.12345678901" has 11 decimal places; at most 10 are allowed'
    ]


def test_it_rejects_values_with_too_many_digits(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_too_many_digits.csv"))

    assert rejection.problems == [
        'row 3, column "value": "1234567890123456789.5" has 19 digits before the decimal '
        "point; at most 18 are allowed"
    ]


def test_it_rejects_a_target_that_is_not_a_number(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_bad_target.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 3, column "target": "about 6" is not a number')


def test_it_rejects_duplicate_keys_naming_the_first_row(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_duplicate_keys.csv"))

    assert rejection.problems == [
        "row 7: duplicate of row 3 (district 220102, indicator gdp_growth, period 2025Q1)"
    ]


def test_it_rejects_bad_periods_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_bad_period.csv"))

    [problem] = rejection.problems
    assert problem.startswith("row 3, column \"period\": '2025Q5' is not a period")


def test_it_rejects_a_file_missing_a_required_column_by_name(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_missing_column.csv"))

    assert rejection.problems == ['row 1: missing required column "period"']


def test_it_rejects_unknown_columns(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_unknown_column.csv"))

    assert rejection.problems == [
        'row 1: unknown column "comment"; '
        "expected: district, indicator, period, value, target, note"
    ]


def test_it_rejects_empty_required_cells_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_empty_required_cell.csv"))

    assert rejection.problems == ['row 3, column "value": is empty; a value is required']


def test_it_rejects_values_outside_the_indicators_valid_range(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_out_of_range.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 3, column "value": 75 is above the highest valid value 50')
    assert problem.endswith("of gdp_growth")


def test_it_rejects_rows_with_more_cells_than_the_header(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_wrong_cell_count.csv"))

    assert rejection.problems == ["row 3: has 7 cells but the header has 6 columns"]


def test_it_rejects_a_file_that_is_not_utf8_naming_the_row(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_not_utf8.csv"))

    [problem] = rejection.problems
    assert problem.startswith("row 3: is not UTF-8 text")


def test_it_rejects_an_empty_file(rejected, csv_file):
    rejection = rejected("import_scores", csv_file("\n\n"))

    assert rejection.problems == ["row 1: the file is empty; the first row must be the header"]


def test_it_lists_every_problem_in_a_file_not_only_the_first(rejected, data_file):
    rejection = rejected("import_scores", data_file("scores_three_problems.csv"))

    assert rejection.message == "3 problems; nothing was imported"
    assert [problem.split(":")[0] for problem in rejection.problems] == [
        'row 3, column "district"',
        'row 4, column "value"',
        'row 5, column "period"',
    ]


def test_it_reports_every_problem_of_a_single_row(rejected, csv_file):
    rejection = rejected(
        "import_scores", csv_file("district,indicator,period,value\n999999,nope,2025Q9,x\n")
    )

    assert [problem.split(":")[0] for problem in rejection.problems] == [
        'row 2, column "district"',
        'row 2, column "indicator"',
        'row 2, column "period"',
        'row 2, column "value"',
    ]


def test_a_rejected_file_leaves_existing_values_untouched(rejected, data_file):
    # Row 2 of the file would update this value if the import went ahead row by row.
    rejected("import_scores", data_file("scores_three_problems.csv"))

    assert stored("220102", "gdp_growth", "2025Q1").value == Decimal("6.1")


def test_it_reports_a_file_that_cannot_be_read(rejected, tmp_path):
    missing = tmp_path / "missing.csv"

    rejection = rejected("import_scores", str(missing))

    assert rejection.message == f"cannot read {missing}: No such file or directory"
