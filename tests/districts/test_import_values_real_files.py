"""import_values takes the files real spreadsheets write: GBK and UTF-8 with a byte-order mark,
XLSX workbooks, and figures with float noise, which are rounded and counted, never refused."""

from decimal import Decimal

import pytest

from districts.models import Value
from tests.data.imports.workbooks import VALUES_HEADER, workbook

pytestmark = pytest.mark.usefixtures("reference_data")


def stored(district: str, indicator: str, period: str) -> Value:
    return Value.objects.get(district__code=district, indicator__code=indicator, period=period)


# --- encodings ----------------------------------------------------------------------------


def test_it_reads_a_gbk_file_and_names_the_encoding_it_used(run, data_file):
    output = run("import_values", data_file("values_good_gbk.csv"))

    assert (
        output.stdout.splitlines()[0] == "read values_good_gbk.csv (CSV in GB18030 (GBK)): 2 rows"
    )
    assert stored("220103", "gdp_growth", "2025Q1").note == "初步核算"


def test_it_reads_a_gb18030_file_with_characters_outside_gbk(run, csv_file, tmp_path):
    path = tmp_path / "gb18030.csv"
    # 𠀀 (U+20000) has no GBK code; GB18030 writes it in four bytes.
    path.write_bytes(
        "district,indicator,period,value,note\n220103,gdp_growth,2025Q1,5.0,𠀀\n".encode("gb18030")
    )

    run("import_values", str(path))

    assert stored("220103", "gdp_growth", "2025Q1").note == "𠀀"


def test_it_reads_a_utf8_file_with_byte_order_mark_crlf_and_untidy_headers(run, data_file):
    output = run("import_values", data_file("values_good_bom.csv"))

    assert output.stdout.splitlines()[0] == (
        "read values_good_bom.csv (CSV in UTF-8 with BOM): 2 rows"
    )
    assert output.stdout.splitlines()[-1] == "created 2, updated 0, unchanged 0"
    assert stored("220112", "gdp_growth", "2025Q2").value == Decimal("7.25")
    assert stored("220183", "gdp_growth", "2025Q2").value == Decimal("4")


def test_a_quoted_cell_may_hold_a_line_break_and_rows_keep_their_line_numbers(rejected, csv_file):
    rejection = rejected(
        "import_values",
        csv_file(
            'district,indicator,period,value,note\n220103,gdp_growth,2025Q1,5,"two\nlines"\n'
            "999999,gdp_growth,2025Q1,5,\n"
        ),
    )

    assert rejection.problems == ['row 4, column "district": unknown district code "999999"']


# --- numbers ------------------------------------------------------------------------------


def test_figures_with_more_than_ten_decimals_are_rounded_half_even_and_counted(run, data_file):
    output = run("import_values", data_file("values_good_float_noise.csv"))

    assert output.stdout.splitlines()[1] == (
        "4 values had more than 10 decimals and were rounded, "
        "e.g. row 2: 6.12345678901 → 6.123456789"
    )
    assert stored("220102", "gdp_growth", "2025Q1").value == Decimal("6.123456789")
    assert stored("220103", "gdp_growth", "2025Q1").value == Decimal("40.83716")
    noisy = stored("220112", "gdp_growth", "2025Q1")
    assert (noisy.value, noisy.target) == (Decimal("0.3"), Decimal("6.5"))


@pytest.mark.parametrize(
    ("written", "kept"),
    [
        ("0.00000000005", "0"),
        ("0.00000000015", "0.0000000002"),
        ("-2.71828182845", "-2.7182818284"),
    ],
)
def test_rounding_is_half_even(run, csv_file, written, kept):
    run(
        "import_values",
        csv_file(f"district,indicator,period,value\n220112,gdp_growth,2025Q1,{written}\n"),
    )

    assert stored("220112", "gdp_growth", "2025Q1").value == Decimal(kept)


def test_a_figure_that_rounds_past_eighteen_digits_is_refused(rejected, csv_file):
    rejection = rejected(
        "import_values",
        csv_file(
            "district,indicator,period,value\n"
            "220112,retail_sales,2025Q1,999999999999999999.99999999999\n"
        ),
    )

    assert rejection.problems == [
        'row 2, column "value": "999999999999999999.99999999999" has 19 digits before the '
        "decimal point; at most 18 are allowed"
    ]


# --- workbooks ----------------------------------------------------------------------------


def test_it_reads_the_first_sheet_of_a_workbook(run, tmp_path):
    path = workbook(
        tmp_path / "values.xlsx",
        [
            [" District ", "INDICATOR", "Period", "Value", "target", "note"],
            [220102, "gdp_growth", "2025Q1", 6.5, 6.5, "季度核实"],
            ["220112", "gdp_growth", "2025q1", -1.25, None, None],
            [None, None, None, None, None, None],
            [220102, "unemployment", "2025-03", 3.2, None, "月度"],
        ],
    )

    output = run("import_values", path)

    assert output.stdout.splitlines() == [
        "read values.xlsx (XLSX): 3 rows",
        "status of the imported values: approved "
        "(the default; choose with --status draft|submitted|approved)",
        "created 2, updated 1, unchanged 0",
    ]
    assert stored("220102", "gdp_growth", "2025Q1").note == "季度核实"
    assert stored("220112", "gdp_growth", "2025Q1").value == Decimal("-1.25")
    assert stored("220102", "unemployment", "2025-03").value == Decimal("3.2")


def test_a_year_typed_as_a_number_is_a_year(run, tmp_path, reference_data):
    reference_data["indicators"]["retail_sales"].frequency = "yearly"
    reference_data["indicators"]["retail_sales"].save()
    path = workbook(tmp_path / "years.xlsx", [VALUES_HEADER, [220112, "retail_sales", 2024, 80]])

    run("import_values", path)

    assert stored("220112", "retail_sales", "2024").value == Decimal("80")


def test_a_formula_is_read_as_the_result_the_spreadsheet_saved(run, tmp_path):
    path = workbook(
        tmp_path / "formulas.xlsx",
        [VALUES_HEADER, ["220112", "gdp_growth", "2025Q1", 2, None, None]],
        formulas={"D2": "1+1.5"},
        saved_results={"D2": "2.5"},
    )

    run("import_values", path)

    assert stored("220112", "gdp_growth", "2025Q1").value == Decimal("2.5")


def test_float_noise_in_a_workbook_is_rounded_and_counted(run, tmp_path):
    path = workbook(
        tmp_path / "noise.xlsx",
        [VALUES_HEADER, ["220112", "gdp_growth", "2025Q1", 40.8, None, None]],
        stored_numbers={"D2": "40.837160000000004"},
    )

    output = run("import_values", path)

    assert output.stdout.splitlines()[1] == (
        "1 value had more than 10 decimals and was rounded, "
        "e.g. row 2: 40.837160000000004 → 40.83716"
    )
    assert stored("220112", "gdp_growth", "2025Q1").value == Decimal("40.83716")


def test_a_workbook_then_its_csv_export_import_the_same_values(run, tmp_path):
    rows = [["220112", "retail_sales", "2025Q1", 0.1 + 0.2, 120.5, "x"]]
    run("import_values", workbook(tmp_path / "a.xlsx", [VALUES_HEADER, *rows]))
    exported = tmp_path / "values.csv"
    run("export_values", str(exported))

    output = run("import_values", str(exported))

    assert output.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 3"
    assert stored("220112", "retail_sales", "2025Q1").value == Decimal("0.3")
