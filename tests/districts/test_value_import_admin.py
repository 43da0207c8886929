"""Importing a values file in the admin: upload, preview (new, changed, unchanged, problems),
confirm; all or nothing; for the statistics bureau only."""

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.roles import Role
from districts.admin_views import value_import
from districts.models import DataReturn, Value
from tests.builders import user_with_role
from tests.data.imports.workbooks import VALUES_HEADER, workbook

URL = reverse("admin:districts_value_import")
pytestmark = pytest.mark.usefixtures("reference_data")


@pytest.fixture(autouse=True)
def uploads_kept_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media" / "tmp" / "saima-value-imports"


@pytest.fixture
def reviewer(db):
    return user_with_role(Role.REVIEWER)


@pytest.fixture
def signed_in(client, reviewer):
    client.force_login(reviewer)
    return client


def upload(client, path: str, *, status: str = "approved", name: str | None = None):
    content = Path(path).read_bytes()
    file = SimpleUploadedFile(name or Path(path).name, content)
    return client.post(URL, {"file": file, "status": status})


def stored(district: str, indicator: str, period: str) -> Value:
    return Value.objects.get(district__code=district, indicator__code=indicator, period=period)


def everything() -> dict:
    models = (Value, Value.history.model, DataReturn, DataReturn.history.model)
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


# --- who ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_bureau_gets_the_upload_form(client, role):
    client.force_login(user_with_role(role))

    response = client.get(URL)

    assert response.status_code == 200
    assert "form" in response.context


def test_a_clerk_is_refused(client, reference_data, data_file):
    client.force_login(
        user_with_role(Role.CLERK, districts=[reference_data["districts"]["220102"]])
    )

    assert client.get(URL).status_code == 403
    assert upload(client, data_file("values_good.csv")).status_code == 403
    assert Value.objects.count() == 2


# --- preview ------------------------------------------------------------------------------


def test_the_preview_lists_new_changed_and_unchanged_rows_and_writes_nothing(
    signed_in, data_file, uploads_kept_in_tmp
):
    before = everything()

    response = upload(signed_in, data_file("values_good.csv"))

    assert response.status_code == 200
    assert everything() == before
    context = response.context
    result = context["result"]
    assert (result.created, result.updated, result.unchanged) == (4, 1, 1)
    assert [row.what for row in context["created_rows"]][0] == "220112 gdp_growth 2025Q1"
    [changed] = context["updated_rows"]
    assert [(f.name, f.old, f.new) for f in changed.fields] == [
        ("value", "6.1", "6.5"),
        ("note", "'初值'", "'季度核实'"),
    ]
    assert [row.what for row in context["unchanged_rows"]] == ["220103 gdp_growth 2025Q1"]
    assert context["source_line"] == "values_good.csv was read as CSV, UTF-8: 6 rows."
    page = response.content.decode()
    assert "→ 6.5" in page
    assert 'name="confirm"' in page
    assert len(list(uploads_kept_in_tmp.iterdir())) == 1  # waiting for the confirmation


def test_a_bad_file_shows_every_problem_by_row_and_column_and_keeps_nothing(
    signed_in, data_file, uploads_kept_in_tmp
):
    response = upload(signed_in, data_file("values_three_problems.csv"))

    assert response.status_code == 200
    problems = [(p.row, p.column) for p in response.context["result"].problems]
    assert problems == [(3, "district"), (4, "value"), (5, "period")]
    page = response.content.decode()
    assert "The file has 3 problems; nothing was imported." in page
    assert 'name="confirm"' not in page
    assert list(uploads_kept_in_tmp.iterdir()) == []


def test_a_bad_workbook_names_the_cell(signed_in, tmp_path):
    path = workbook(
        tmp_path / "merged.xlsx",
        [VALUES_HEADER, ["220112", "gdp_growth", "2025Q1", 4], ["220183", "gdp_growth", "2025Q1"]],
        merged=("D2:D3",),
    )

    response = upload(signed_in, path)

    [merged, _empty] = response.context["result"].problems
    assert (merged.row, merged.column, merged.cell) == (2, "value", "D2")
    assert "<td>D2</td>" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("values.xlsx", b"this is not a workbook"),
        ("values.csv", b"\x00\x01\x02\xff\xfe\xfd"),
        ("values.xlsx", b"PK\x03\x04" + b"\x00" * 100),
        ("values.csv", b""),
    ],
)
def test_a_damaged_file_is_a_problem_never_a_server_error(signed_in, name, content):
    response = signed_in.post(
        URL, {"file": SimpleUploadedFile(name, content or b" "), "status": "approved"}
    )

    assert response.status_code == 200
    assert response.context["result"].problems


def test_it_refuses_a_file_that_is_neither_csv_nor_xlsx(signed_in):
    response = signed_in.post(
        URL, {"file": SimpleUploadedFile("values.pdf", b"%PDF-1.4"), "status": "approved"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Only CSV and XLSX files are imported; save the file as .csv or .xlsx."
    ]


def test_it_refuses_a_file_over_the_size_limit(signed_in, data_file, monkeypatch):
    monkeypatch.setattr(value_import, "UPLOAD_LIMIT", 100)

    response = upload(signed_in, data_file("values_good.csv"))

    assert response.context["form"].errors["file"] == [
        "The file is 297\xa0bytes; files of at most 100\xa0bytes are imported here."
    ]


# --- confirm ------------------------------------------------------------------------------


def confirm(client, preview):
    return client.post(URL, {"token": preview.context["token"], "confirm": "Import"})


def test_confirming_imports_the_file_with_history_and_removes_it(
    signed_in, reviewer, data_file, uploads_kept_in_tmp
):
    preview = upload(signed_in, data_file("values_good.csv"))

    response = confirm(signed_in, preview)

    assert response.status_code == 302
    assert response.url == reverse("admin:districts_value_changelist")
    value = stored("220112", "gdp_growth", "2025Q1")
    assert (value.value, value.status, value.entered_by) == (Decimal("-1.25"), "approved", reviewer)
    [record] = value.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        reviewer,
        "import values_good.csv",
    )
    assert stored("220102", "gdp_growth", "2025Q1").history.first().history_type == "~"
    assert list(uploads_kept_in_tmp.iterdir()) == []
    messages = [str(m) for m in signed_in.get(response.url).context["messages"]]
    assert "Imported values_good.csv: 4 created, 1 changed, 1 unchanged." in messages


def test_the_status_chosen_is_given_to_the_values_and_their_returns(signed_in, data_file):
    confirm(signed_in, upload(signed_in, data_file("values_good.csv"), status="submitted"))

    assert stored("220112", "gdp_growth", "2025Q1").status == "submitted"
    assert DataReturn.objects.get(district__code="220112", period="2025Q1").status == "submitted"


def test_a_preview_is_confirmed_once(signed_in, data_file):
    preview = upload(signed_in, data_file("values_good.csv"))
    confirm(signed_in, preview)
    before = everything()

    again = confirm(signed_in, preview)

    assert again.status_code == 302
    assert everything() == before
    messages = [str(m) for m in signed_in.get(again.url).context["messages"]]
    assert "This preview has expired or was already imported; upload the file again." in messages


def test_another_session_cannot_confirm_a_preview(client, signed_in, data_file):
    preview = upload(signed_in, data_file("values_good.csv"))
    client.logout()
    client.force_login(user_with_role(Role.ADMINISTRATOR))

    response = confirm(client, preview)

    assert response.status_code == 302
    assert not Value.objects.filter(district__code="220112").exists()


def test_cancelling_removes_the_file_and_imports_nothing(signed_in, data_file, uploads_kept_in_tmp):
    preview = upload(signed_in, data_file("values_good.csv"))

    signed_in.post(URL, {"token": preview.context["token"], "cancel": "Cancel"})

    assert list(uploads_kept_in_tmp.iterdir()) == []
    assert not Value.objects.filter(district__code="220112").exists()


def test_a_value_locked_after_the_preview_stops_the_whole_import(signed_in, data_file):
    preview = upload(signed_in, data_file("values_good.csv"))
    Value.objects.filter(district__code="220102", period="2025Q1").update(locked=True)
    before = everything()

    response = confirm(signed_in, preview)

    assert response.status_code == 200
    assert everything() == before
    [problem] = response.context["result"].problems
    assert (problem.row, problem.column) == (2, "value")
    assert "is locked" in problem.message


def test_the_preview_reads_in_chinese(signed_in, data_file):
    signed_in.cookies["django_language"] = "zh-hans"

    response = upload(signed_in, data_file("values_good.csv"))

    assert response.status_code == 200
