"""A NUL byte or any other hostile text in an imported cell is a problem named by row and
column, never a server error or a traceback, and nothing is written (issue 9).

PostgreSQL refuses NUL in text, so a NUL must be caught while the file is read, before the
dry run compares rows with the database, in the command and in the admin upload alike.
"""

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils.exceptions import IllegalCharacterError

from accounts.roles import Role
from districts.models import DataReturn, Value
from tests.builders import user_with_role
from tests.data.imports.workbooks import VALUES_HEADER, workbook

pytestmark = pytest.mark.usefixtures("reference_data")

GOOD_ROW = ["220102", "gdp_growth", "2025Q1", "7.5", "", "a note"]
hypothesis_settings = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
hostile_cell = st.one_of(
    st.sampled_from(["\x00", "7\x00", "²", "٣", "9" * 40, "1e999999999", "NaN", "0000Q1"]),
    st.text(st.characters(blacklist_categories=("Cs",)), max_size=20),
)


def everything() -> dict:
    models = (Value, Value.history.model, DataReturn, DataReturn.history.model)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


def csv_file(path: Path, rows: list[list[str]]) -> str:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([VALUES_HEADER, *rows])
    return str(path)


def import_values(*args) -> str:
    """Run import_values; return its refusal, or "" when it imported."""
    try:
        call_command("import_values", *args, stdout=StringIO(), stderr=StringIO())
    except CommandError as error:
        return str(error)
    return ""


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "import"])
def test_the_nul_byte_corpus_file_is_refused_and_nothing_is_written(data_file, dry_run):
    before = everything()
    stderr = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_values",
            data_file("values_nul_byte.csv"),
            *(["--dry-run"] if dry_run else []),
            stdout=StringIO(),
            stderr=stderr,
        )
    assert 'row 3, column "note": contains a NUL character' in stderr.getvalue()
    assert everything() == before


@pytest.mark.parametrize("column", range(len(GOOD_ROW)), ids=VALUES_HEADER)
def test_a_nul_in_any_column_is_named_by_row_and_column(tmp_path, column):
    row = list(GOOD_ROW)
    row[column] = f"{row[column]}\x00"
    stderr = StringIO()
    before = everything()
    with pytest.raises(CommandError):
        call_command(
            "import_values",
            csv_file(tmp_path / "values.csv", [row]),
            "--dry-run",
            stdout=StringIO(),
            stderr=stderr,
        )
    assert f'row 2, column "{VALUES_HEADER[column]}": contains a NUL character' in stderr.getvalue()
    assert everything() == before


def test_the_admin_upload_refuses_a_nul_in_its_preview(client, data_file, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client.force_login(user_with_role(Role.REVIEWER))
    before = everything()
    content = Path(data_file("values_nul_byte.csv")).read_bytes()
    response = client.post(
        reverse("admin:districts_value_import"),
        {"file": SimpleUploadedFile("values.csv", content), "status": "approved"},
    )
    assert response.status_code == 200
    assert "contains a NUL character" in response.content.decode()
    assert everything() == before


@hypothesis_settings
@given(cells=st.lists(hostile_cell, min_size=6, max_size=6), dry_run=st.booleans())
def test_no_hostile_csv_cell_gives_a_traceback(tmp_path, cells, dry_run):
    path = csv_file(tmp_path / "hostile.csv", [GOOD_ROW, cells])
    before = everything()
    refusal = import_values(path, *(["--dry-run"] if dry_run else []))
    if any("\x00" in cell for cell in cells):
        assert refusal, "a NUL byte is never imported"
    if refusal or dry_run:
        assert everything() == before


@hypothesis_settings
@given(cells=st.lists(hostile_cell.filter(lambda text: "\x00" not in text), min_size=6, max_size=6))
def test_no_hostile_workbook_cell_gives_a_traceback(tmp_path, cells):
    # A workbook cannot hold a NUL (XML refuses it); every other text is tried.
    path = tmp_path / "hostile.xlsx"
    try:
        workbook(path, [VALUES_HEADER, GOOD_ROW, cells])
    except IllegalCharacterError:  # openpyxl refuses other control characters too
        return
    before = everything()
    import_values(str(path), "--dry-run")
    assert everything() == before
