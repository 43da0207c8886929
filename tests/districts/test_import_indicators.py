"""import_indicators: indicators created or updated by code, imported whole or not at all."""

from decimal import Decimal

import pytest

from districts.models import Direction, Frequency, Indicator

pytestmark = pytest.mark.usefixtures("reference_data")


def test_it_imports_a_good_file_creating_and_updating_indicators(run, data_file):
    output = run("import_indicators", data_file("indicators_good.csv"))

    assert output.stdout.splitlines()[-1] == "created 2, updated 1, unchanged 0"
    assert Indicator.objects.count() == 5
    gdp = Indicator.objects.get(code="gdp_growth")
    assert (gdp.name, gdp.min_value, gdp.max_value) == (
        "地区生产总值增速",
        Decimal(-30),
        Decimal(30),
    )


def test_it_reads_every_optional_column(run, data_file):
    run("import_indicators", data_file("indicators_good.csv"))

    investment = Indicator.objects.get(code="fixed_investment")
    assert investment.name_en == "Fixed-asset investment"
    assert investment.category == "investment"
    assert investment.decimals == 2
    assert investment.frequency == Frequency.MONTHLY  # written "Monthly"
    assert investment.cumulative is True  # written "yes"
    assert (investment.min_value, investment.max_value) == (Decimal(0), None)


def test_it_reads_direction_in_any_case_and_an_empty_cumulative_as_false(run, data_file):
    run("import_indicators", data_file("indicators_good.csv"))

    energy = Indicator.objects.get(code="energy_intensity")
    assert energy.direction == Direction.LOWER  # written "LOWER"
    assert energy.cumulative is False


def test_reimporting_the_same_file_changes_nothing(run, data_file, database_state):
    run("import_indicators", data_file("indicators_good.csv"))
    before = database_state()

    output = run("import_indicators", data_file("indicators_good.csv"))

    assert output.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 3"
    assert database_state() == before


def test_it_reads_a_utf8_file_with_byte_order_mark_crlf_and_untidy_headers(run, data_file):
    output = run("import_indicators", data_file("indicators_good_bom.csv"))

    assert output.stdout.splitlines()[-1] == "created 1, updated 0, unchanged 0"
    income = Indicator.objects.get(code="resident_income")
    assert (income.unit, income.frequency, income.decimals) == ("元", Frequency.QUARTERLY, 1)


def test_it_rejects_directions_other_than_higher_or_lower(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_bad_direction.csv"))

    assert rejection.problems == ['row 3, column "direction": "up" is not one of: higher, lower']
    assert rejection.message == "1 problem; nothing was imported"


def test_it_rejects_a_lowest_valid_value_above_the_highest(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_min_above_max.csv"))

    assert rejection.problems == [
        'row 3, column "min": the lowest valid value 10 is above the highest valid value 5'
    ]


def test_it_rejects_a_new_minimum_above_the_maximum_already_stored(rejected, csv_file):
    rejection = rejected(
        "import_indicators",
        csv_file("code,name,unit,direction,min\ngdp_growth,GDP增速,%,higher,60\n"),
    )

    assert rejection.problems == [
        'row 2, column "min": the lowest valid value 60 is above the highest valid value 50'
    ]


def test_it_rejects_unknown_frequencies(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_bad_frequency.csv"))

    assert rejection.problems == [
        'row 2, column "frequency": "weekly" is not one of: monthly, quarterly, yearly'
    ]


def test_it_rejects_cumulative_values_that_are_not_yes_or_no(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_bad_cumulative.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 2, column "cumulative": "maybe" is not a yes/no value')


def test_it_rejects_more_than_six_decimals_shown(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_bad_decimals.csv"))

    assert rejection.problems == ['row 2, column "decimals": "7" is not a whole number from 0 to 6']


def test_it_rejects_bounds_that_are_not_numbers(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_bad_min.csv"))

    [problem] = rejection.problems
    assert problem.startswith('row 2, column "min": "zero" is not a number')


def test_it_rejects_a_file_missing_a_required_column_by_name(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_missing_column.csv"))

    assert rejection.problems == ['row 1: missing required column "unit"']


def test_it_rejects_empty_required_cells_naming_row_and_column(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_empty_required_cell.csv"))

    assert rejection.problems == ['row 3, column "unit": is empty; a value is required']


def test_it_rejects_duplicate_codes_naming_the_first_row(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_duplicate_code.csv"))

    assert rejection.problems == ["row 4: duplicate of row 2 (code gdp_growth)"]


def test_it_lists_every_problem_in_a_file_not_only_the_first(rejected, data_file):
    rejection = rejected("import_indicators", data_file("indicators_three_problems.csv"))

    assert rejection.message == "3 problems; nothing was imported"
    assert [problem.split(":")[0] for problem in rejection.problems] == [
        'row 2, column "direction"',
        'row 3, column "frequency"',
        'row 4, column "min"',
    ]


def test_it_reads_indicators_from_a_workbook_rounding_float_noise_in_bounds(run, tmp_path):
    from tests.data.imports.workbooks import workbook

    path = workbook(
        tmp_path / "indicators.xlsx",
        [["code", "name", "unit", "direction", "max"], ["pm25", "PM2.5", "μg/m³", "lower", 1]],
        stored_numbers={"E2": "500.00000000000006"},
    )

    output = run("import_indicators", path)

    assert output.stdout.splitlines() == [
        "read indicators.xlsx (XLSX): 1 row",
        "1 value had more than 10 decimals and was rounded, e.g. row 2: 500.00000000000006 → 500",
        "created 1, updated 0, unchanged 0",
    ]
    assert Indicator.objects.get(code="pm25").max_value == Decimal("500")


def test_each_created_indicator_has_a_history_record_naming_the_file(run, data_file):
    run("import_indicators", data_file("indicators_good_bom.csv"))

    [record] = Indicator.history.filter(code="resident_income")
    assert (record.history_type, record.history_change_reason) == (
        "+",
        "import indicators_good_bom.csv",
    )
