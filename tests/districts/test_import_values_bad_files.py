"""import_values refuses every bad file whole: each problem names its row and column (and,
in a workbook, its cell), and the database is exactly as it was, history and returns included.

The CSV files live in tests/data/imports; the XLSX files are made here with openpyxl.
"""

import datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from districts.models import DataReturn, District, Group, Indicator, Value
from tests.data.imports.workbooks import VALUES_HEADER, workbook

pytestmark = pytest.mark.usefixtures("reference_data")

FIRST_ROW = ["220102", "gdp_growth", "2025Q1", 7, None, "would update an existing value"]


def everything() -> dict[str, list[dict]]:
    models = (Group, District, Indicator, Value, Value.history.model, DataReturn)
    models += (DataReturn.history.model,)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def refused(path: str) -> tuple[str, list[str]]:
    """Import ``path``; check it is refused and changes nothing; return what was said."""
    before = everything()
    stderr = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_values", path, stdout=StringIO(), stderr=stderr)
    assert everything() == before, "a refused file must leave the database unchanged"
    return str(error.value), stderr.getvalue().splitlines()


# --- CSV ----------------------------------------------------------------------------------

CSV_FILES = {
    "values_unknown_district.csv": ['row 3, column "district": unknown district code "999999"'],
    "values_unknown_indicator.csv": [
        'row 3, column "indicator": unknown indicator code "gdp_grwth"'
    ],
    "values_bad_number.csv": [
        'row 4, column "value": "12,5x" is not a number; write digits with a "." for decimals'
    ],
    "values_scientific_notation.csv": [
        'row 3, column "value": "1.2e3" is not a number; write digits with a "." for decimals'
    ],
    "values_too_many_digits.csv": [
        'row 3, column "value": "1234567890123456789.5" has 19 digits before the decimal '
        "point; at most 18 are allowed"
    ],
    "values_bad_target.csv": [
        'row 3, column "target": "about 6" is not a number; write digits with a "." for decimals'
    ],
    "values_negative_target.csv": [
        'row 3, column "target": an annual target cannot be negative (-6)'
    ],
    "values_duplicate_keys.csv": [
        "row 7: duplicate of row 3 (district 220102, indicator gdp_growth, period 2025Q1)"
    ],
    "values_bad_period.csv": [
        "row 3, column \"period\": '2025Q5' is not a period; write a year (2025), a quarter "
        "(2025Q1) or a month (2025-03)"
    ],
    "values_period_not_the_indicators_frequency.csv": [
        'row 3, column "period": unemployment is entered monthly: a month period is needed, '
        "not the quarter 2025Q1"
    ],
    "values_fullwidth_period.csv": [
        'row 3, column "period": "２０２５Q1" is not a period: write it in ASCII digits (2025Q1)'
    ],
    "values_missing_column.csv": ['row 1: missing required column "period"'],
    "values_unknown_column.csv": [
        'row 1: unknown column "comment"; expected: district, indicator, period, value, '
        "target, note"
    ],
    "values_repeated_column.csv": ['row 1: column "value" appears twice (columns 4 and 5)'],
    "values_empty_required_cell.csv": ['row 3, column "value": is empty; a value is required'],
    "values_out_of_range.csv": [
        'row 3, column "value": 75 is above the highest valid value 50 of gdp_growth'
    ],
    "values_wrong_cell_count.csv": ["row 3: has 7 cells but the header has 6 columns"],
    "values_thousands_separator.csv": [
        'row 3, column "value": "1,234.5" is not a number: write it without thousands '
        "separators (1234.5)"
    ],
    "values_percent_sign.csv": [
        'row 3, column "value": "12.5%" is not a number: write it without "%" (12.5)'
    ],
    "values_fullwidth_digits.csv": [
        'row 3, column "value": "１２" is not a number: write it in ASCII digits 0-9 (12)'
    ],
    "values_arabic_indic_digits.csv": [
        'row 3, column "value": "٣" is not a number: write it in ASCII digits 0-9 (3)'
    ],
    "values_formula_text.csv": [
        'row 3, column "value": "=B2*2" is not a number; write digits with a "." for decimals'
    ],
    "values_note_too_long.csv": [
        'row 3, column "note": has 501 characters; at most 500 are allowed'
    ],
    "values_nul_byte.csv": [
        'row 3, column "note": contains a NUL character (byte 0), which is not text; the file '
        "is damaged or not a text file"
    ],
    "values_bom_in_the_middle.csv": [
        'row 4, column "district": contains a byte-order mark (U+FEFF) inside the file, often '
        "left where two files were joined; delete it"
    ],
    "values_unterminated_quote.csv": [
        'row 3: cannot be read as CSV: a quote (") opens a cell that is never closed'
    ],
    "values_not_utf8_nor_gb18030.csv": [
        "row 3: is not UTF-8 text, nor GB18030 (GBK); save the file as CSV UTF-8 and try again"
    ],
    "values_utf16.csv": ["row 1: is UTF-16 text; save the file as CSV UTF-8 and try again"],
    "values_blank_lines_only.csv": ["row 1: the file is empty; the first row must be the header"],
    "values_excel_97.xls": [
        "row 1: is in the Excel 97-2003 (.xls) format; only CSV and XLSX files are read: save "
        "it as .xlsx or as CSV UTF-8 and try again"
    ],
    "values_three_problems.csv": [
        'row 3, column "district": unknown district code "999999"',
        'row 4, column "value": "12.5.1" is not a number; write digits with a "." for decimals',
        "row 5, column \"period\": '2025-13' has month 13; months run from 01 to 12",
    ],
}


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_a_bad_csv_file_is_refused_naming_each_problems_row_and_column(name, data_file):
    message, problems = refused(data_file(name))

    assert problems == CSV_FILES[name]
    count = len(CSV_FILES[name])
    assert message == f"{count} problem{'' if count == 1 else 's'}; nothing was imported"


def test_a_file_lists_every_problem_of_a_row_not_only_the_first(csv_file):
    _message, problems = refused(
        csv_file("district,indicator,period,value\n999999,nope,2025Q9,x\n")
    )

    assert [problem.split(":")[0] for problem in problems] == [
        'row 2, column "district"',
        'row 2, column "indicator"',
        'row 2, column "period"',
        'row 2, column "value"',
    ]


def test_a_refused_file_leaves_the_value_it_would_have_updated_untouched(data_file):
    # Row 2 of the file would update this value if the import went ahead row by row.
    refused(data_file("values_three_problems.csv"))

    value = Value.objects.get(district__code="220102", period="2025Q1")
    assert value.value == Decimal("6.1")
    assert [record.history_type for record in value.history.all()] == ["+"]  # its creation


# --- XLSX -----------------------------------------------------------------------------------


def _sheet(*rows, **options):
    return lambda path: workbook(path, [VALUES_HEADER, FIRST_ROW, *rows], **options)


XLSX_FILES = {
    "formula_without_saved_result": (
        _sheet(["220103", "gdp_growth", "2025Q1", None], formulas={"D3": "D2*2"}),
        [
            'row 3, column "value" (cell D3): holds a formula whose result was never saved; '
            "open the file in Excel or WPS, save it and try again, or replace the formula by "
            "its value"
        ],
    ),
    "merged_cells": (
        _sheet(
            ["220103", "gdp_growth", "2025Q1", 5],
            ["220112", "gdp_growth", "2025Q1", None],
            merged=("D3:D4",),
        ),
        [
            'row 3, column "value" (cell D3): is merged with other cells (D3:D4); unmerge them '
            "and fill in every cell",
            'row 4, column "value" (cell D4): is empty; a value is required',
        ],
    ),
    "date_where_a_period_was_typed": (
        _sheet(["220102", "unemployment", datetime.datetime(2025, 3, 1), 3.2]),
        [
            'row 3, column "period" (cell C3): holds the date 2025-03-01, which the spreadsheet '
            "made of what was typed; format the column as Text and type it again (periods are "
            "written 2025, 2025Q1 or 2025-03)"
        ],
    ),
    "percentage_format": (
        _sheet(["220103", "gdp_growth", "2025Q1", 0.065], number_formats={"D3": "0.0%"}),
        [
            'row 3, column "value" (cell D3): is formatted as a percentage: it shows 6.5% but '
            "holds 0.065; write 6.5 in a cell formatted as a number"
        ],
    ),
    "error_value": (
        _sheet(["220103", "gdp_growth", "2025Q1", "#DIV/0!"]),
        ['row 3, column "value" (cell D3): holds the error #DIV/0!'],
    ),
    "true_or_false": (
        _sheet(["220103", "gdp_growth", "2025Q1", True]),
        ['row 3, column "value" (cell D3): holds TRUE, not a figure or text'],
    ),
    "thousands_separator_in_text": (
        _sheet(["220183", "retail_sales", "2025Q1", "1,234.5"]),
        [
            'row 3, column "value" (cell D3): "1,234.5" is not a number: write it without '
            "thousands separators (1234.5)"
        ],
    ),
    "fullwidth_digits_in_text": (
        _sheet(["220103", "gdp_growth", "2025Q1", "１２．５"]),
        [
            'row 3, column "value" (cell D3): "１２．５" is not a number: write it in ASCII '
            "digits 0-9 (12.5)"
        ],
    ),
    "unknown_district_typed_as_a_number": (
        _sheet([999999, "gdp_growth", "2025Q1", 5]),
        ['row 3, column "district" (cell A3): unknown district code "999999"'],
    ),
    "duplicate_rows": (
        _sheet(["220102", "gdp_growth", "2025q1", 7.1]),
        ["row 3: duplicate of row 2 (district 220102, indicator gdp_growth, period 2025Q1)"],
    ),
    "period_not_the_indicators_frequency": (
        _sheet(["220103", "unemployment", "2025Q1", 4.1]),
        [
            'row 3, column "period" (cell C3): unemployment is entered monthly: a month period '
            "is needed, not the quarter 2025Q1"
        ],
    ),
    "year_typed_as_a_number_for_a_quarterly_indicator": (
        _sheet(["220103", "gdp_growth", 2025, 5]),
        [
            'row 3, column "period" (cell C3): gdp_growth is entered quarterly: a quarter '
            "period is needed, not the year 2025"
        ],
    ),
    "cell_outside_the_header": (
        _sheet(["220103", "gdp_growth", "2025Q1", 5, None, None, "checked"]),
        ['row 3 (cell G3): holds "checked" but its column has no name in the header'],
    ),
    "missing_column": (
        lambda path: workbook(
            path, [["district", "indicator", "value"], ["220102", "gdp_growth", 1]]
        ),
        ['row 1: missing required column "period"'],
    ),
    "header_not_in_row_1": (
        lambda path: workbook(path, [[], VALUES_HEADER, FIRST_ROW]),
        [
            "row 1: row 1 of the first sheet is empty; the header must be in row 1 (the first "
            "filled row is 2)"
        ],
    ),
    "empty_first_sheet": (
        lambda path: workbook(path, [], first_sheet_rows=None),
        ["row 1: the first sheet is empty; its row 1 must be the header"],
    ),
    "data_on_the_second_sheet": (
        lambda path: workbook(path, [VALUES_HEADER, FIRST_ROW], first_sheet_rows=[["notes"]]),
        [
            'row 1: missing required column "district"',
            'row 1: missing required column "indicator"',
            'row 1: missing required column "period"',
            'row 1: missing required column "value"',
            'row 1: unknown column "notes"; expected: district, indicator, period, value, '
            "target, note",
        ],
    ),
}


@pytest.mark.parametrize("case", sorted(XLSX_FILES))
def test_a_bad_workbook_is_refused_naming_each_problems_row_column_and_cell(case, tmp_path):
    make, expected = XLSX_FILES[case]

    _message, problems = refused(make(tmp_path / f"{case}.xlsx"))

    assert problems == expected


def test_a_file_named_xlsx_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "values.xlsx"
    path.write_text("district,indicator,period,value\n", encoding="utf-8")

    _message, [problem] = refused(str(path))

    assert problem.startswith("row 1: cannot be read as an XLSX workbook (")
    assert problem.endswith("open it in Excel or WPS, save it as .xlsx and try again")


def test_a_workbook_named_csv_is_refused_with_advice(tmp_path):
    path = workbook(tmp_path / "values.xlsx", [VALUES_HEADER, FIRST_ROW])
    misnamed = Path(path).rename(tmp_path / "values.csv")

    _message, problems = refused(str(misnamed))

    assert problems == [
        "row 1: is a spreadsheet workbook, not CSV text; give the file the .xlsx extension or "
        "save it as CSV UTF-8"
    ]


def test_the_corpus_holds_at_least_thirty_bad_files_of_both_formats():
    assert len(CSV_FILES) + len(XLSX_FILES) + 2 >= 30
    assert len(XLSX_FILES) >= 10
