import csv
import io

import openpyxl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from districts.models import DistrictKind, Value
from rankings.services.publishing import standings_publish
from tests.builders import build_published_race, user_with_role

MAX_QUERIES = 12


def export_url(published, file_format: str, query: str = "") -> str:
    url = reverse(
        "leaderboard-export",
        args=[published.race.code, published.latest_period.code, file_format],
    )
    return f"{url}?{query}" if query else url


def read_csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_the_csv_export_has_one_row_per_district_with_its_rank(client_for, published):
    response = client_for(Role.VIEWER).get(export_url(published, "csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())  # so Excel reads UTF-8
    expected_name = f"{published.race.code}-{published.latest_period.code}-r1.csv"
    assert f'filename="{expected_name}"' in response["Content-Disposition"]

    header, *body = read_csv(response)
    assert header[:9] == [
        "Rank",
        "Tied",
        "District code",
        "District",
        "Kind",
        "Score",
        "Flags",
        "Rank change",
        "Movement",
    ]
    assert header[-1] == "Main reason"
    assert len(header) == 9 + len(published.indicators) + 1
    assert len(body) == len(published.districts)
    # The builder's 2025Q2 scores, worked out by hand: 86.67, 95.56, 90.28 and 85.00.
    first, second, third, fourth = (d.code for d in published.districts)
    assert {row[2]: row[0] for row in body} == {second: "1", third: "2", first: "3", fourth: "4"}
    assert all(row[-1] for row in body), "every ranked district has a reason"


def test_the_csv_export_keeps_chinese_names_intact(client_for, published):
    client = client_for(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    body = read_csv(client.get(export_url(published, "csv")))[1:]
    assert {row[3] for row in body} == {d.name for d in published.districts}


def test_the_xlsx_export_opens_with_a_title_and_a_bold_header(client_for, published):
    response = client_for(Role.VIEWER).get(export_url(published, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('-r1.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    title = sheet["A1"].value
    assert "test-race race" in title
    assert published.latest_period.code in title
    assert "revision 1" in title
    assert sheet["A2"].value == "Rank"
    assert sheet["A2"].font.bold
    ranks = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(ranks) == [1, 2, 3, 4]


def test_an_unknown_format_is_not_found(client_for, published):
    assert client_for(Role.VIEWER).get(export_url(published, "pdf")).status_code == 404


def test_the_export_follows_the_kind_filter(client_for, published):
    county = published.districts[2]
    county.kind = DistrictKind.COUNTY
    county.save()
    body = read_csv(
        client_for(Role.VIEWER).get(export_url(published, "csv", "district__kind=county"))
    )[1:]
    assert [row[2] for row in body] == [county.code]


def test_the_export_reads_the_revision_asked_for(client_for, published):
    first, second, third, fourth = published.districts
    # Raising the first district's indicator 1 from 8 to 13, where the others entered 8,
    # takes it from third to first place (scores 86.67, 82.22, 76.94, 71.67).
    Value.objects.filter(
        district=first, indicator=published.indicators[1], period=published.latest_period.code
    ).update(value=13)
    standings_publish(race=published.race, period=published.latest_period)
    client = client_for(Role.VIEWER)

    old = client.get(export_url(published, "csv", "revision=1"))
    current = client.get(export_url(published, "csv"))

    assert old["Content-Disposition"].endswith('-r1.csv"')
    assert {row[2]: row[0] for row in read_csv(old)[1:]} == {
        second.code: "1",
        third.code: "2",
        first.code: "3",
        fourth.code: "4",
    }
    assert current["Content-Disposition"].endswith('-r2.csv"')
    assert {row[2]: row[0] for row in read_csv(current)[1:]} == {
        first.code: "1",
        second.code: "2",
        third.code: "3",
        fourth.code: "4",
    }


def test_anonymous_visitors_are_sent_to_sign_in(client, published):
    response = client.get(export_url(published, "csv"))
    assert response.status_code == 302


def test_a_user_without_a_role_is_refused(client, published):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123456789"))
    assert client.get(export_url(published, "csv")).status_code == 403


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_export_queries_do_not_grow_with_districts_or_periods(
    client, db, django_assert_max_num_queries, file_format
):
    small = build_published_race(districts=4, periods=2)
    client.force_login(user_with_role(Role.VIEWER))
    counts = []
    for race in (small, build_published_race(districts=12, periods=4, code="big")):
        with (
            django_assert_max_num_queries(MAX_QUERIES),
            CaptureQueriesContext(connection) as queries,
        ):
            assert client.get(export_url(race, file_format)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
