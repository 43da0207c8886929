"""The key project pages for every role: the list, a project, a unit's weekly report and the
problems with the bureau's escalate and resolve forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from accounts.roles import Role
from projects.models import Problem, ProblemStatus, ProjectReport

READERS = [Role.ADMINISTRATOR, Role.REVIEWER, Role.OFFICIAL, Role.CLERK, Role.VIEWER]


def report_url(unit, week) -> str:
    return reverse("projects:report", args=[unit.code, str(week)])


def week_form(projects, **changes) -> dict:
    """The posted report: each project at 120 and started; ``changes`` overrides fields."""
    data = {}
    for project in projects:
        data |= {
            f"p{project.pk}-investment": "120",
            f"p{project.pk}-started": "on",
            f"p{project.pk}-milestone": "",
            f"p{project.pk}-note": "",
            f"p{project.pk}-category": "",
            f"p{project.pk}-problem": "",
        }
    return data | changes


# The list and a project


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_list_and_a_project(client_for, projects, role):
    client = client_for(role)
    page = client.get(reverse("projects:list"))
    assert page.status_code == 200
    assert "Battery plant" in page.text and "Ring road" in page.text
    assert client.get(reverse("projects:project", args=[projects[0].pk])).status_code == 200


def test_the_navigation_links_the_key_projects(client_for, projects):
    page = client_for(Role.VIEWER).get(reverse("home"))
    assert reverse("projects:list") in page.text


def test_signed_out_visitors_are_sent_to_sign_in(client, projects):
    assert client.get(reverse("projects:list")).status_code == 302


def test_the_list_filters_by_unit_and_industry(client_for, projects, other_project):
    client = client_for(Role.VIEWER)
    page = client.get(reverse("projects:list"), {"unit": other_project.unit.code})
    assert "Cold-chain park" in page.text and "Battery plant" not in page.text
    page = client.get(reverse("projects:list"), {"industry": "transport"})
    assert "Ring road" in page.text and "Battery plant" not in page.text
    # An unknown choice is not a server error: the list stays unfiltered.
    page = client.get(reverse("projects:list"), {"unit": "nowhere", "industry": "x" * 500})
    assert page.status_code == 200 and "Cold-chain park" in page.text


def test_the_list_shows_the_share_done_against_the_year_gone(
    client_for, users, own_unit, projects, this_week
):
    client = client_for(Role.CLERK)
    client.post(report_url(own_unit, this_week), week_form(projects))
    page = client.get(reverse("projects:list"))
    assert f"{this_week.code}" in page.text
    assert "30%" in page.text  # 120 of the 400 planned this year
    assert f"{this_week.year_share * 100:.0f}%" in page.text


def test_an_unknown_project_is_not_found(client_for, projects):
    assert client_for(Role.VIEWER).get(reverse("projects:project", args=[99999])).status_code == 404


# The weekly report form


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.ADMINISTRATOR, 200),
        (Role.REVIEWER, 200),
        (Role.CLERK, 200),
        (Role.OFFICIAL, 403),
        (Role.VIEWER, 403),
    ],
)
def test_who_opens_the_clerks_unit_report(client_for, own_unit, projects, this_week, role, status):
    assert client_for(role).get(report_url(own_unit, this_week)).status_code == status


def test_a_clerk_of_another_unit_is_refused(client_for, other_project, this_week):
    client = client_for(Role.CLERK)
    url = report_url(other_project.unit, this_week)
    assert client.get(url).status_code == 403
    assert client.post(url, week_form([other_project])).status_code == 403
    assert not ProjectReport.objects.exists()


@pytest.mark.parametrize(
    ("unit_code", "week", "message"),
    [
        ("nowhere", None, "There is no unit with the code nowhere."),
        (None, "2026-W54", "2026-W54 is not an ISO week such as 2026-W14."),
        (None, "2026Q1", "2026Q1 is not an ISO week such as 2026-W14."),
    ],
)
def test_an_unknown_unit_or_a_code_that_is_not_a_week_is_not_found(
    client_for, own_unit, projects, this_week, unit_code, week, message
):
    url = reverse("projects:report", args=[unit_code or own_unit.code, week or this_week.code])
    page = client_for(Role.CLERK).get(url)
    assert page.status_code == 404
    assert message in page.text


def test_a_week_still_to_come_is_not_found(client_for, own_unit, projects, this_week):
    later = this_week.next()
    page = client_for(Role.CLERK).get(report_url(own_unit, later))
    assert page.status_code == 404
    assert f"Week {later.code} has not started yet." in page.text


def test_a_lower_case_week_code_goes_to_the_written_one(client_for, own_unit, projects, this_week):
    page = client_for(Role.CLERK).get(report_url(own_unit, this_week.code.lower()))
    assert page.status_code == 302 and page.url == report_url(own_unit, this_week)


def test_the_clerk_reports_two_projects_with_one_problem(client_for, own_unit, projects, this_week):
    client = client_for(Role.CLERK)
    battery, road = projects
    laid = battery.milestones.get(name="Foundation laid")
    form = week_form(
        projects,
        **{
            f"p{battery.pk}-milestone": str(laid.pk),
            f"p{road.pk}-investment": "35.5",
            f"p{road.pk}-category": "land",
            f"p{road.pk}-problem": "The land transfer waits for the province.",
        },
    )
    page = client.post(report_url(own_unit, this_week), form, follow=True)
    assert page.redirect_chain[-1][0] == report_url(own_unit, this_week)
    assert "is saved" in page.text
    reports = {r.project: r for r in ProjectReport.objects.filter(week=this_week.code)}
    assert reports[battery].milestone == laid and reports[battery].started
    assert reports[road].investment_to_date == 35.5
    problem = Problem.objects.get()
    assert (problem.project, problem.category, problem.status) == (road, "land", "open")
    # The form shows the week as sent, and the problem raised.
    assert 'value="35.5"' in page.text
    assert "The land transfer waits for the province." in page.text


def test_the_form_starts_from_last_weeks_report(client_for, own_unit, projects, this_week):
    client = client_for(Role.CLERK)
    earlier = this_week.previous()
    client.post(
        report_url(own_unit, earlier),
        week_form(projects, **{f"p{projects[0].pk}-investment": "77"}),
    )
    page = client.get(report_url(own_unit, this_week))
    assert 'value="77"' in page.text


def test_bad_input_gives_the_form_back_with_the_message(client_for, own_unit, projects, this_week):
    road = projects[1]
    form = week_form(projects, **{f"p{road.pk}-investment": "-3", f"p{road.pk}-note": "typo?"})
    page = client_for(Role.CLERK).post(report_url(own_unit, this_week), form)
    assert page.status_code == 200
    assert "Ring road: investment completed this year cannot be negative." in page.text
    assert 'value="-3"' in page.text and "typo?" in page.text
    assert not ProjectReport.objects.exists()


@pytest.mark.parametrize(
    "changes",
    [
        {"milestone": "9" * 30},
        {"milestone": "abc"},
        {"investment": "1" * 400},
        {"investment": "Infinity"},
        {"category": "weather", "problem": "Rain"},
        {"note": "x" * 5000},
    ],
)
def test_hostile_input_never_ends_in_a_server_error(
    client_for, own_unit, projects, this_week, changes
):
    pk = projects[0].pk
    form = week_form(projects, **{f"p{pk}-{name}": value for name, value in changes.items()})
    page = client_for(Role.CLERK).post(report_url(own_unit, this_week), form)
    assert page.status_code == 200
    assert "Battery plant:" in page.text
    assert not ProjectReport.objects.exists()


# Problems


@pytest.fixture
def problem(client_for, own_unit, projects, this_week):
    road = projects[1]
    form = week_form(
        projects, **{f"p{road.pk}-category": "funding", f"p{road.pk}-problem": "Loan delayed."}
    )
    client_for(Role.CLERK).post(report_url(own_unit, this_week), form)
    return Problem.objects.get()


@pytest.mark.parametrize("role", READERS)
def test_every_reader_sees_the_problems_and_only_the_bureau_gets_the_forms(
    client_for, problem, role
):
    page = client_for(role).get(reverse("projects:problems"))
    assert page.status_code == 200 and "Loan delayed." in page.text
    escalate = reverse("projects:problem-escalate", args=[problem.pk])
    assert (escalate in page.text) == (role in (Role.ADMINISTRATOR, Role.REVIEWER))


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CLERK, Role.VIEWER])
def test_only_the_bureau_escalates_and_resolves(client_for, problem, role):
    client = client_for(role)
    assert client.post(reverse("projects:problem-escalate", args=[problem.pk])).status_code == 403
    resolve = reverse("projects:problem-resolve", args=[problem.pk])
    assert client.post(resolve, {"resolution": "x", "week": problem.raised_week}).status_code == 403
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_the_reviewer_escalates_then_resolves(client_for, problem, users):
    client = client_for(Role.REVIEWER)
    page = client.post(reverse("projects:problem-escalate", args=[problem.pk]), follow=True)
    assert "is escalated" in page.text
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ESCALATED
    assert problem.escalated_by == users[Role.REVIEWER]
    page = client.post(
        reverse("projects:problem-resolve", args=[problem.pk]),
        {"resolution": "The bank approved the loan.", "week": problem.raised_week},
        follow=True,
    )
    assert "recorded as resolved" in page.text
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.RESOLVED
    page = client.get(reverse("projects:project", args=[problem.project.pk]))
    assert "The bank approved the loan." in page.text


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"resolution": "Done.", "week": "someday"}, "someday is not an ISO week"),
        ({"resolution": "", "week": "2026-W01"}, "This field is required."),
        ({"resolution": "Done.", "week": "2999-W01"}, "has not started yet"),
    ],
)
def test_a_bad_resolution_gives_the_form_back_with_the_message(client_for, problem, form, message):
    page = client_for(Role.REVIEWER).post(
        reverse("projects:problem-resolve", args=[problem.pk]), form
    )
    assert page.status_code == 200 and message in page.text
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_escalating_twice_says_why_not(client_for, problem):
    client = client_for(Role.REVIEWER)
    url = reverse("projects:problem-escalate", args=[problem.pk])
    client.post(url)
    page = client.post(url)
    assert page.status_code == 200 and "Only an open problem can be escalated" in page.text


def test_an_unknown_problem_is_not_found_and_get_is_refused(client_for, problem):
    client = client_for(Role.REVIEWER)
    assert client.post(reverse("projects:problem-escalate", args=[99999])).status_code == 404
    assert client.get(reverse("projects:problem-escalate", args=[problem.pk])).status_code == 403


def test_the_problems_filter_by_status(client_for, problem):
    client = client_for(Role.VIEWER)
    assert "Loan delayed." in client.get(reverse("projects:problems"), {"status": "open"}).text
    assert (
        "Loan delayed." not in client.get(reverse("projects:problems"), {"status": "resolved"}).text
    )
    assert client.get(reverse("projects:problems"), {"status": "<bad>"}).status_code == 200


def test_the_pages_and_messages_read_in_chinese(client_for, own_unit, projects, this_week):
    client = client_for(Role.CLERK)
    client.cookies["django_language"] = "zh-hans"
    assert "重点项目" in client.get(reverse("projects:list")).text
    page = client.get(report_url(own_unit, this_week))
    assert "提交本周周报" in page.text
    form = week_form(projects, **{f"p{projects[1].pk}-investment": "-3"})
    page = client.post(report_url(own_unit, this_week), form)
    assert "Ring road：本年完成投资不能为负数。" in page.text
    page = client.get(report_url(own_unit, this_week.next()))
    assert f"{this_week.next().code} 周尚未开始。" in page.text
