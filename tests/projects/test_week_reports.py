"""A unit's weekly report on its key projects: who may send it, what it refuses, and that it
is stored whole or not at all."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from projects.models import Problem, ProblemStatus, ProjectReport
from projects.services.reports import ProblemInput, RowInput, row_key, week_report_save
from tests.projects.conftest import make_project

TODAY = date(2026, 4, 8)  # a Wednesday of 2026-W15
WEEK = "2026-W14"


@pytest.fixture
def year_projects(own_unit):
    return [
        make_project(own_unit, name="Battery plant", year=2026),
        make_project(own_unit, name="Ring road", year=2026, industry="transport"),
    ]


def rows(projects, **changes) -> list[RowInput]:
    """A row per project; ``changes`` maps a project's name to the fields it changes."""
    result = []
    for project in projects:
        fields = {"investment_to_date": "120", "started": True} | changes.get(project.name, {})
        result.append(RowInput(project_id=project.pk, **fields))
    return result


def save(user, unit, projects, *, week=WEEK, **changes):
    return week_report_save(
        user=user, unit=unit, week=week, rows=rows(projects, **changes), today=TODAY
    )


def errors_of(error: ValidationError) -> dict[str, list[str]]:
    return error.value.message_dict


# Who may report


def test_the_clerk_reports_the_week_for_all_the_units_projects(users, own_unit, year_projects):
    reports = save(users[Role.CLERK], own_unit, year_projects)
    assert [(r.project.name, r.week, r.investment_to_date) for r in reports] == [
        ("Battery plant", WEEK, Decimal("120")),
        ("Ring road", WEEK, Decimal("120")),
    ]
    assert all(r.reported_by == users[Role.CLERK] for r in reports)


def test_a_clerk_cannot_report_another_units_projects(users, other_unit):
    project = make_project(other_unit, name="Cold-chain park", year=2026)
    with pytest.raises(PermissionDenied):
        save(users[Role.CLERK], other_unit, [project])
    assert not ProjectReport.objects.exists()


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_bureau_may_report_for_any_unit(users, other_unit, role):
    project = make_project(other_unit, name="Cold-chain park", year=2026)
    save(users[role], other_unit, [project])
    assert ProjectReport.objects.get().reported_by == users[role]


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER])
def test_officials_and_viewers_do_not_report(users, own_unit, year_projects, role):
    with pytest.raises(PermissionDenied):
        save(users[role], own_unit, year_projects)


def test_a_clerk_cannot_report_for_another_unit_with_no_projects(users, other_unit):
    with pytest.raises(PermissionDenied):
        save(users[Role.CLERK], other_unit, [])


# The week


@pytest.mark.parametrize("week", ["2026-W54", "2026-14", "next week", "2026Q2", ""])
def test_a_week_code_that_is_not_a_week_is_refused(users, own_unit, year_projects, week):
    with pytest.raises(ValidationError) as error:
        save(users[Role.CLERK], own_unit, year_projects, week=week)
    assert "not an ISO week" in errors_of(error)["week"][0]


def test_a_week_not_yet_started_is_refused_but_the_current_week_is_fine(
    users, own_unit, year_projects
):
    with pytest.raises(ValidationError) as error:
        save(users[Role.CLERK], own_unit, year_projects, week="2026-W16")
    assert errors_of(error)["week"] == ["Week 2026-W16 has not started yet."]
    save(users[Role.CLERK], own_unit, year_projects, week="2026-W15")
    assert ProjectReport.objects.filter(week="2026-W15").count() == 2


# What a row may say


@pytest.mark.parametrize(
    ("investment", "message"),
    [
        ("-5", "Ring road: investment completed this year cannot be negative."),
        ("lots", "Ring road: investment completed this year must be a number."),
        ("NaN", "Ring road: investment completed this year must be a number."),
        ("", "Ring road: investment completed this year is required."),
        ("10001", "Ring road: investment completed this year of 10001 is more than 10 times"),
        ("1e30", "Ring road: investment completed this year of 1e30 is more than 10 times"),
    ],
)
def test_a_bad_investment_figure_is_refused_naming_the_project_and_field(
    users, own_unit, year_projects, investment, message
):
    with pytest.raises(ValidationError) as error:
        save(
            users[Role.CLERK],
            own_unit,
            year_projects,
            **{"Ring road": {"investment_to_date": investment}},
        )
    found = errors_of(error)
    assert list(found) == [row_key(year_projects[1].pk, "investment")]
    assert found[row_key(year_projects[1].pk, "investment")][0].startswith(message)


def test_one_bad_row_stores_nothing_of_the_week(users, own_unit, year_projects):
    with pytest.raises(ValidationError):
        save(
            users[Role.CLERK],
            own_unit,
            year_projects,
            **{"Ring road": {"investment_to_date": "-1", "problems": [ProblemInput("land", "x")]}},
        )
    assert not ProjectReport.objects.exists()
    assert not Problem.objects.exists()


def test_the_milestone_must_be_one_of_the_projects_own(users, own_unit, year_projects):
    others = year_projects[0].milestones.first()
    with pytest.raises(ValidationError) as error:
        save(
            users[Role.CLERK], own_unit, year_projects, **{"Ring road": {"milestone_id": others.pk}}
        )
    assert errors_of(error)[row_key(year_projects[1].pk, "milestone")] == [
        "Ring road: the milestone reached must be one of this project's milestones."
    ]
    with pytest.raises(ValidationError):
        save(
            users[Role.CLERK], own_unit, year_projects, **{"Ring road": {"milestone_id": "9" * 40}}
        )


def test_a_milestone_of_the_project_is_stored(users, own_unit, year_projects):
    topped = year_projects[1].milestones.get(name="Topped out")
    save(users[Role.CLERK], own_unit, year_projects, **{"Ring road": {"milestone_id": topped.pk}})
    assert ProjectReport.objects.get(project=year_projects[1]).milestone == topped


def test_a_problem_needs_a_known_category_and_a_description(users, own_unit, year_projects):
    bad = [ProblemInput("weather", "Rain"), ProblemInput("land", "  ")]
    with pytest.raises(ValidationError) as error:
        save(users[Role.CLERK], own_unit, year_projects, **{"Battery plant": {"problems": bad}})
    found = errors_of(error)
    pk = year_projects[0].pk
    assert found[row_key(pk, "category")] == ["Battery plant: choose the problem's category."]
    assert found[row_key(pk, "problem")] == [
        "Battery plant: describe the problem needing coordination."
    ]


def test_every_active_project_needs_a_line_and_no_stranger_may_have_one(
    users, own_unit, other_unit, year_projects
):
    stranger = make_project(other_unit, name="Cold-chain park", year=2026)
    with pytest.raises(ValidationError) as error:
        week_report_save(
            user=users[Role.REVIEWER],
            unit=own_unit,
            week=WEEK,
            rows=rows([year_projects[0], stranger]),
            today=TODAY,
        )
    found = errors_of(error)
    assert found[row_key(year_projects[1].pk, "investment")] == [
        "Ring road: the week's report has no line for it."
    ]
    assert "not one of this unit's active projects" in found["__all__"][0]


# A year-to-date figure does not fall


def test_a_figure_lower_than_last_weeks_needs_a_note(users, own_unit, year_projects):
    clerk = users[Role.CLERK]
    save(clerk, own_unit, year_projects, week="2026-W13")
    with pytest.raises(ValidationError) as error:
        save(clerk, own_unit, year_projects, **{"Ring road": {"investment_to_date": "100"}})
    assert errors_of(error)[row_key(year_projects[1].pk, "investment")] == [
        "Ring road: investment completed this year (100) is lower than reported for 2026-W13 "
        "(120); say why in the note."
    ]
    note = {"investment_to_date": "100", "note": "W13 counted an invoice twice."}
    save(clerk, own_unit, year_projects, **{"Ring road": note})
    assert ProjectReport.objects.get(project=year_projects[1], week=WEEK).investment_to_date == 100


def test_last_years_figures_do_not_bound_a_new_years(users, own_unit):
    old = make_project(own_unit, name="Old plan", year=2025)
    week_report_save(
        user=users[Role.CLERK],
        unit=own_unit,
        week="2025-W50",
        rows=rows([old], **{"Old plan": {"investment_to_date": "900"}}),
        today=TODAY,
    )
    old.year = 2026
    old.save()
    save(users[Role.CLERK], own_unit, [old], week="2026-W02")
    assert ProjectReport.objects.get(week="2026-W02").investment_to_date == 120


# Saving a week again


def test_saving_a_week_again_updates_it_and_history_keeps_the_old(users, own_unit, year_projects):
    clerk = users[Role.CLERK]
    problem = [ProblemInput("funding", "The bank loan waits for approval.")]
    save(clerk, own_unit, year_projects, **{"Ring road": {"problems": problem}})
    save(
        clerk,
        own_unit,
        year_projects,
        **{"Ring road": {"problems": problem, "investment_to_date": "150"}},
    )
    report = ProjectReport.objects.get(project=year_projects[1], week=WEEK)
    assert report.investment_to_date == 150
    assert ProjectReport.objects.filter(week=WEEK).count() == 2
    assert [h.investment_to_date for h in report.history.order_by("history_date")] == [120, 150]
    # The same problem sent again is not raised twice.
    assert Problem.objects.get().status == ProblemStatus.OPEN
    assert Problem.objects.get().raised_week == WEEK


def test_only_the_units_active_projects_of_the_weeks_year_are_reported(users, own_unit):
    current = make_project(own_unit, name="Battery plant", year=2026)
    make_project(own_unit, name="Finished last year", year=2025)
    make_project(own_unit, name="Dropped", year=2026, active=False)
    save(users[Role.CLERK], own_unit, [current])
    assert list(ProjectReport.objects.values_list("project__name", flat=True)) == ["Battery plant"]
