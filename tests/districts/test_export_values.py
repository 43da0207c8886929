"""export_values: values in the import format, so that export then import is an exact round trip."""

from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from districts.decimals import format_decimal
from districts.importing.cells import parse_decimal
from districts.models import Value, ValueStatus
from tests.factories import ValueFactory

HEADER = "district,indicator,period,value,target,note"


@pytest.fixture
def values(reference_data):
    """Values whose stored form has trailing zeros and awkward magnitudes."""
    districts, indicators = reference_data["districts"], reference_data["indicators"]
    for district, indicator, period, value, target, note in [
        ("220112", "retail_sales", "2025Q1", "100", "120.5", "整数"),
        ("220183", "retail_sales", "2025Q1", "12345678.000001", None, ""),
        ("220112", "gdp_growth", "2025Q2", "-3.5", None, 'comma, and "quotes"'),
        ("220102", "unemployment", "2025-03", "0.000001", None, ""),
        ("220103", "unemployment", "2025-03", "0", None, ""),
        ("220102", "gdp_growth", "2024Q4", "12.5", "12.500000", ""),
    ]:
        ValueFactory(
            district=districts[district],
            indicator=indicators[indicator],
            period=period,
            value=Decimal(value),
            target=None if target is None else Decimal(target),
            note=note,
        )


def all_values() -> dict[tuple[str, str, str], tuple]:
    return {
        (value.district.code, value.indicator.code, value.period): (
            value.value,
            value.target,
            value.note,
        )
        for value in Value.objects.select_related("district", "indicator")
    }


@pytest.mark.usefixtures("values")
def test_it_writes_csv_to_standard_output_ordered_by_period_district_and_indicator(run):
    output = run("export_values")

    assert output.stdout.splitlines() == [
        HEADER,
        "220102,gdp_growth,2024Q4,12.5,12.5,",
        "220102,unemployment,2025-03,0.000001,,",
        "220103,unemployment,2025-03,0,,",
        "220102,gdp_growth,2025Q1,6.1,6.5,初值",
        "220103,gdp_growth,2025Q1,5.8,,",
        "220112,retail_sales,2025Q1,100,120.5,整数",
        "220183,retail_sales,2025Q1,12345678.000001,,",
        '220112,gdp_growth,2025Q2,-3.5,,"comma, and ""quotes"""',
    ]
    assert output.stderr.strip() == "exported 8 values"


@pytest.mark.usefixtures("values")
def test_the_period_option_keeps_only_that_period(run):
    output = run("export_values", "-", period="2025q1")

    lines = output.stdout.splitlines()
    assert lines[0] == HEADER
    assert [line.split(",")[2] for line in lines[1:]] == ["2025Q1"] * 4


@pytest.mark.usefixtures("values")
def test_the_status_option_keeps_only_values_in_that_status(run):
    Value.objects.filter(period="2025-03").update(status=ValueStatus.DRAFT)

    output = run("export_values", status="draft")

    assert output.stdout.splitlines() == [
        HEADER,
        "220102,unemployment,2025-03,0.000001,,",
        "220103,unemployment,2025-03,0,,",
    ]
    assert output.stderr.strip() == "exported 2 values"


@pytest.mark.usefixtures("values")
def test_the_status_and_period_options_combine(run):
    Value.objects.filter(district__code="220103").update(status=ValueStatus.SUBMITTED)

    output = run("export_values", period="2025Q1", status="submitted")

    assert output.stdout.splitlines() == [HEADER, "220103,gdp_growth,2025Q1,5.8,,"]


@pytest.mark.usefixtures("values")
def test_it_refuses_an_unknown_status(run):
    with pytest.raises(CommandError, match="invalid choice: 'published'"):
        run("export_values", "--status", "published")


@pytest.mark.usefixtures("values")
def test_it_refuses_an_unreadable_period_without_creating_the_file(rejected, tmp_path):
    target = tmp_path / "values.csv"

    rejection = rejected("export_values", str(target), period="2025Q7")

    assert "is not a period" in rejection.message
    assert not target.exists()


@pytest.mark.usefixtures("values")
def test_it_writes_to_a_file_when_given_one(run, tmp_path):
    target = tmp_path / "values.csv"

    output = run("export_values", str(target))

    assert output.stdout.strip() == f"exported 8 values to {target}"
    assert target.read_text(encoding="utf-8").splitlines()[0] == HEADER


@pytest.mark.usefixtures("reference_data")
def test_an_empty_period_exports_only_the_header(run):
    assert run("export_values", period="2030").stdout == HEADER + "\n"


@pytest.mark.usefixtures("values")
def test_export_then_import_is_an_exact_round_trip(run, tmp_path):
    exported = tmp_path / "values.csv"
    run("export_values", str(exported))
    before = all_values()
    Value.objects.all().delete()

    output = run("import_values", str(exported))

    assert output.stdout.splitlines()[-1] == "created 8, updated 0, unchanged 0"
    assert all_values() == before  # Decimal equality, target and note included
    exported_again = tmp_path / "again.csv"
    run("export_values", str(exported_again))
    assert exported_again.read_bytes() == exported.read_bytes()


@pytest.mark.usefixtures("values")
def test_importing_an_unchanged_export_changes_nothing(run, tmp_path, database_state):
    exported = tmp_path / "values.csv"
    run("export_values", str(exported))
    before = database_state()

    output = run("import_values", str(exported))

    assert output.stdout.splitlines()[-1] == "created 0, updated 0, unchanged 8"
    assert database_state() == before


def test_the_round_trip_keeps_every_digit_the_database_keeps(run, reference_data, tmp_path):
    # PostgreSQL keeps all 20 digits of the column; SQLite stores decimals as REAL and keeps 15.
    widest = "99999999999999.999999" if connection.vendor == "postgresql" else "999999999.999999"
    ValueFactory(
        district=reference_data["districts"]["220112"],
        indicator=reference_data["indicators"]["retail_sales"],
        value=Decimal(widest),
    )
    exported = tmp_path / "values.csv"
    run("export_values", str(exported), period="2025Q1")
    Value.objects.all().delete()

    run("import_values", str(exported))

    assert Value.objects.get(district__code="220112").value == Decimal(widest)


@given(
    st.decimals(
        min_value=Decimal("-99999999999999.999999"),
        max_value=Decimal("99999999999999.999999"),
        places=6,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_formatting_a_storable_decimal_reads_back_equal_and_never_in_scientific_notation(number):
    text = format_decimal(number)

    assert "e" not in text.lower()
    assert parse_decimal(text) == number


@pytest.mark.parametrize(
    ("stored", "written"),
    [("12.500000", "12.5"), ("100.000000", "100"), ("0.000000", "0"), ("-0.000000", "0"),
     ("1E+3", "1000"), ("0.000100", "0.0001")],
)  # fmt: skip
def test_it_writes_decimals_without_trailing_zero_noise(stored, written):
    assert format_decimal(Decimal(stored)) == written


def test_a_note_that_starts_like_a_formula_cannot_run_and_still_round_trips(
    run, reference_data, tmp_path
):
    ValueFactory(
        district=reference_data["districts"]["220102"],
        indicator=reference_data["indicators"]["gdp_growth"],
        period="2019Q3",
        value=Decimal("-2.5"),
        note='=HYPERLINK("http://example.invalid","see")',
    )
    exported = tmp_path / "values.csv"
    run("export_values", str(exported))

    assert '220102,gdp_growth,2019Q3,-2.5,,"\'=HYPERLINK(""http://example.invalid"",""see"")"' in (
        exported.read_text(encoding="utf-8").splitlines()
    )
    Value.objects.all().delete()
    run("import_values", str(exported))
    assert Value.objects.get(period="2019Q3").note == '=HYPERLINK("http://example.invalid","see")'
