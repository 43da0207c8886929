"""The scheduling board's pages: who may open them, bad weeks named, the N-weeks choice,
the CSV and Excel files, the print layout and the bureau's figures button."""

from __future__ import annotations

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from districts.models import Value, ValueStatus
from projects.models import ProblemStatus
from tests.factories import IndicatorFactory, UserFactory
from tests.projects.board_scene import problem_make, project_make, report_make

READERS = [Role.ADMINISTRATOR, Role.REVIEWER, Role.CLERK, Role.OFFICIAL, Role.VIEWER]
BUREAU = [Role.ADMINISTRATOR, Role.REVIEWER]
NOT_BUREAU = [Role.CLERK, Role.OFFICIAL, Role.VIEWER]


@pytest.fixture
def scene(published):
    """At 2026-W13 (time account 13/53): Road 240 of 1,000 is behind (< 245.28) and has a
    problem raised in W07 (6 weeks open); Park 300 of 1,000 is not; Plant is not reported."""
    unit = published.districts[0]
    road = project_make(unit, name="Road", industry="transport")
    park = project_make(unit, name="Park", industry="parks")
    project_make(unit, name="Plant", industry="=cmd|' /C calc'!A0")
    report_make(road, "2026-W12", "200")
    report_make(road, "2026-W13", "240")
    report_make(park, "2026-W13", "300")
    problem_make(report_make(road, "2026-W07", "50"), text="Land not handed over")
    return unit


def _url(name, week="2026-W13"):
    return reverse(f"projects:{name}", kwargs={"week": week})


def test_the_urls():
    assert _url("board") == "/projects/board/2026-W13/"
    assert _url("board-csv") == "/projects/board/2026-W13.csv"
    assert _url("board-xlsx") == "/projects/board/2026-W13.xlsx"
    assert reverse("projects:board-latest") == "/projects/board/"


@pytest.mark.parametrize("role", READERS)
def test_every_role_reads_the_board(client_for, scene, role):
    response = client_for(role).get(_url("board"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Road" in page and "Land not handed over" in page
    assert client_for(role).get(_url("board-csv")).status_code == 200


def test_a_user_without_a_role_is_refused(client, scene):
    client.force_login(UserFactory(username="nobody"))
    for name in ("board", "board-csv", "board-xlsx"):
        assert client.get(_url(name)).status_code == 403, name
    assert client.get(reverse("projects:board-latest")).status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(client, scene):
    for name in ("board", "board-csv", "board-xlsx"):
        response = client.get(_url(name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("week", ["2026-W54", "2025-W53", "2026-W00", "2026W13", "yesterday"])
def test_a_bad_week_is_not_found_with_a_message(client_for, scene, week):
    for name in ("board", "board-csv", "board-xlsx"):
        response = client_for(Role.VIEWER).get(_url(name, week))
        assert response.status_code == 404, (name, week)
        assert "is not an ISO week" in response.content.decode()


def test_the_board_without_a_week_opens_the_last_finished_week(client_for, scene, monkeypatch):
    # Wednesday 1 April 2026 is in W14: the last finished week is W13.
    monkeypatch.setattr(
        "projects.views.board.timezone.localdate", lambda: datetime.date(2026, 4, 1)
    )
    response = client_for(Role.VIEWER).get(reverse("projects:board-latest"))
    assert response.status_code == 302
    assert response["Location"] == "/projects/board/2026-W13/"


def test_the_page_links_the_weeks_before_and_after_and_the_downloads(client_for, scene):
    page = client_for(Role.VIEWER).get(_url("board", "2026-W01")).content.decode()
    assert 'href="/projects/board/2025-W52/"' in page
    assert 'href="/projects/board/2026-W02/"' in page
    assert 'href="/projects/board/2026-W01.csv"' in page
    assert 'href="/projects/board/2026-W01.xlsx"' in page


def test_the_page_shows_the_lists(client_for, scene):
    response = client_for(Role.VIEWER).get(_url("board"))
    board = response.context["board"]
    (unit,) = board.units
    assert [line.project.name for line in unit.behind] == ["Road"]
    assert [line.project.name for line in unit.not_reported] == ["Plant"]
    assert [line.problem.description for line in unit.long_open_problems] == [
        "Land not handed over"
    ]
    page = response.content.decode()
    assert "24.5% of the year elapsed" in page  # 13/53
    assert "raised 2026-W07, open 6 weeks" in page


def test_the_open_weeks_can_be_chosen_in_the_query_string(client_for, scene):
    client = client_for(Role.VIEWER)
    response = client.get(_url("board"), {"open_weeks": "6"})
    assert response.context["board"].open_weeks == 6
    assert response.context["board"].units[0].long_open_problems == []  # 6 is not more than 6
    assert 'href="/projects/board/2026-W12/?open_weeks=6"' in response.content.decode()


@pytest.mark.parametrize("given", ["0", "53", "-1", "four", "1e3"])
def test_a_bad_open_weeks_falls_back_to_four_and_says_so(client_for, scene, given):
    response = client_for(Role.VIEWER).get(_url("board"), {"open_weeks": given})
    assert response.status_code == 200
    assert response.context["board"].open_weeks == 4
    assert "Showing the default of 4 weeks." in response.content.decode()


def test_the_page_prints_on_a4_without_navigation(client_for, scene):
    page = client_for(Role.VIEWER).get(_url("board")).content.decode()
    assert 'href="/static/css/print.css" media="print"' in page
    assert "css/board.css" in page
    assert 'class="toolbar no-print"' in page


def test_the_page_in_chinese(client_for, scene, settings):
    client = client_for(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    page = client.get(_url("board")).content.decode()
    assert "周调度" in page


def _csv_rows(response):
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_the_csv_holds_the_lists(client_for, scene):
    response = client_for(Role.VIEWER).get(_url("board-csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="scheduling-board-2026-W13.csv"' in response["Content-Disposition"]
    rows = _csv_rows(response)
    assert rows[0][:4] == ["List", "Unit code", "Unit", "Project"]
    by_list = {}
    for row in rows[1:]:
        by_list.setdefault(row[0], []).append(row)
    (behind,) = by_list["Behind the time account"]
    assert behind[1:9] == [
        scene.code,
        scene.name_en,
        "Road",
        "transport",
        "1000.0",
        "240.0",
        "24.0",
        "2026-W13",
    ]
    (not_reported,) = by_list["Not reported"]
    # A text that would run as a formula is neutralised.
    assert not_reported[4] == "'=cmd|' /C calc'!A0"
    (open_problem,) = by_list["Problem open more than 4 weeks"]
    assert open_problem[8:11] == ["2026-W07", "land (open): Land not handed over", "6"]
    (unit_total,) = by_list["Unit total"]
    # 3 projects; planned 3,000; completed 240 + 300 = 540, 18%; this week 540 - 200 = 340;
    # behind 1 now (Road), 1 at W12 (Road: 200 < 226.42) -> change 0.
    assert unit_total[3:8] == ["3 projects", "", "3000.0", "540.0", "18.0"]
    assert unit_total[11:14] == ["340.0", "1", "0"]
    assert [row[4] for row in by_list["Industry total"]] == [
        "'=cmd|' /C calc'!A0",
        "parks",
        "transport",
    ]
    assert by_list["All units"][0][5:8] == ["3000.0", "540.0", "18.0"]


def test_the_xlsx_holds_the_same_rows(client_for, scene):
    client = client_for(Role.VIEWER)
    response = client.get(_url("board-xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "2026-W13"
    assert sheet["A1"].value.startswith("Weekly scheduling board 2026-W13")
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    behind = next(row for row in rows if row[0] == "Behind the time account")
    assert behind[3:8] == ("Road", "transport", 1000, 240, 24.0)
    formula_like = next(row for row in rows if row[0] == "Not reported")
    assert formula_like[4] == "=cmd|' /C calc'!A0"
    cell = next(c for c in sheet["E"] if c.value == "=cmd|' /C calc'!A0")
    assert cell.data_type == "s"
    assert len(rows) == len(_csv_rows(client.get(_url("board-csv")))) - 1


def test_the_exports_follow_the_open_weeks_choice(client_for, scene):
    rows = _csv_rows(client_for(Role.VIEWER).get(_url("board-csv"), {"open_weeks": "10"}))
    assert not any(row[0].startswith("Problem open") for row in rows)


@pytest.fixture
def indicators(db):
    return {
        "share_on_schedule": IndicatorFactory(code="on_schedule"),
        "investment_completed": IndicatorFactory(code="invest_done"),
    }


def _figures(period="2026Q1", **choices):
    data = {"period": period}
    data.update(choices)
    return data


@pytest.mark.parametrize("role", BUREAU)
def test_the_bureau_computes_figures_with_the_button(client_for, scene, indicators, role):
    client = client_for(role)
    assert "Compute figures from project reports" in client.get(_url("board")).content.decode()
    response = client.post(
        _url("board-figures"),
        _figures(share_on_schedule="on_schedule", investment_completed="invest_done"),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == _url("board")
    page = response.content.decode()
    assert "Figures for 2026Q1 computed from the reports up to 2026-W13: 2 saved" in page
    value = Value.objects.get(district=scene, indicator=indicators["investment_completed"])
    # Road 240 (W13) + Park 300 (W13); Plant not reported.
    assert (value.value, value.status) == (Decimal("540"), ValueStatus.DRAFT)
    assert value.note.startswith("computed from weekly project reports: #")


def test_the_button_reports_skipped_figures(client_for, scene, indicators):
    Value.objects.create(
        district=scene,
        indicator=indicators["investment_completed"],
        period="2026Q1",
        value=1,
        status=ValueStatus.APPROVED,
    )
    response = client_for(Role.REVIEWER).post(
        _url("board-figures"), _figures(investment_completed="invest_done"), follow=True
    )
    page = response.content.decode()
    assert "0 saved as drafts for review, 0 unchanged, 1 skipped" in page
    assert "the figure is approved" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_figures(), "Choose an indicator for at least one project figure."),
        (
            _figures(period="2026", investment_completed="invest_done"),
            "a month (2026-03) or a quarter",
        ),
        (_figures(period="soon", investment_completed="invest_done"), "is not a period"),
        (_figures(investment_completed="nope"), "Select a valid choice"),
    ],
)
def test_the_button_names_bad_input(client_for, scene, indicators, data, message):
    response = client_for(Role.REVIEWER).post(_url("board-figures"), data, follow=True)
    assert message in response.content.decode()
    assert not Value.objects.filter(period="2026Q1").exists()


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_only_the_bureau_has_the_button(client_for, scene, indicators, role):
    client = client_for(role)
    assert "Compute figures" not in client.get(_url("board")).content.decode()
    response = client.post(_url("board-figures"), _figures(investment_completed="invest_done"))
    assert response.status_code == 403
    assert not Value.objects.filter(period="2026Q1").exists()


def test_the_button_needs_a_post_and_csrf(client, users, scene, indicators):
    client.force_login(users[Role.REVIEWER])
    assert client.get(_url("board-figures")).status_code == 405
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(users[Role.REVIEWER])
    response = strict.post(_url("board-figures"), _figures(investment_completed="invest_done"))
    assert response.status_code == 403
    assert not Value.objects.filter(period="2026Q1").exists()


def test_problems_resolved_do_not_show(client_for, scene):
    report = report_make(project_make(scene, name="Quay"), "2026-W02", "0")
    problem_make(report, status=ProblemStatus.RESOLVED, resolved_week="2026-W05", text="Old fix")
    assert "Old fix" not in client_for(Role.VIEWER).get(_url("board")).content.decode()


def test_text_from_reports_is_escaped(client_for, scene):
    report = report_make(project_make(scene, name="<b>Quay</b>"), "2026-W13", "0")
    problem_make(report, text="<script>alert(1)</script>")
    page = client_for(Role.VIEWER).get(_url("board")).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;Quay&lt;/b&gt;" in page
