"""The bureau escalates problems raised in weekly reports and records their resolution."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from projects.models import ProblemStatus
from projects.services.problems import problem_escalate, problem_resolve
from projects.services.reports import ProblemInput, RowInput, week_report_save
from tests.projects.conftest import make_project

TODAY = date(2026, 4, 8)  # in 2026-W15


@pytest.fixture
def problem(users, own_unit):
    project = make_project(own_unit, name="Battery plant", year=2026)
    week_report_save(
        user=users[Role.CLERK],
        unit=own_unit,
        week="2026-W14",
        rows=[
            RowInput(
                project_id=project.pk,
                investment_to_date="10",
                problems=[ProblemInput("land", "The land transfer waits for the province.")],
            )
        ],
        today=TODAY,
    )
    return project.problems.get()


def resolve(user, problem, *, resolution="The province signed on 7 April.", week="2026-W15"):
    return problem_resolve(
        user=user, problem=problem, resolution=resolution, week=week, today=TODAY
    )


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_bureau_escalates_an_open_problem_recording_who_and_when(users, problem, role):
    escalated = problem_escalate(user=users[role], problem=problem)
    assert escalated.status == ProblemStatus.ESCALATED
    assert escalated.escalated_by == users[role] and escalated.escalated_at is not None


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICIAL, Role.VIEWER])
def test_no_one_else_escalates_or_resolves(users, problem, role):
    with pytest.raises(PermissionDenied):
        problem_escalate(user=users[role], problem=problem)
    with pytest.raises(PermissionDenied):
        resolve(users[role], problem)
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_an_escalated_problem_is_not_escalated_again(users, problem):
    problem_escalate(user=users[Role.REVIEWER], problem=problem)
    with pytest.raises(ValidationError, match="Only an open problem can be escalated"):
        problem_escalate(user=users[Role.REVIEWER], problem=problem)


def test_resolving_records_the_resolution_the_week_and_who(users, problem):
    problem_escalate(user=users[Role.REVIEWER], problem=problem)
    resolved = resolve(users[Role.REVIEWER], problem)
    assert resolved.status == ProblemStatus.RESOLVED
    assert resolved.resolution == "The province signed on 7 April."
    assert resolved.resolved_week == "2026-W15"
    assert resolved.resolved_by == users[Role.REVIEWER] and resolved.resolved_at is not None
    assert problem.history.count() == 3  # raised, escalated, resolved


def test_an_open_problem_may_be_resolved_without_escalating(users, problem):
    assert resolve(users[Role.REVIEWER], problem).status == ProblemStatus.RESOLVED


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"resolution": "  "}, "resolution", "Say how the problem was resolved."),
        ({"week": "W15"}, "week", "W15 is not an ISO week such as 2026-W14."),
        ({"week": "2026-W20"}, "week", "Week 2026-W20 has not started yet."),
        (
            {"week": "2026-W10"},
            "week",
            "A problem cannot be resolved before the week it was raised (2026-W14).",
        ),
    ],
)
def test_a_resolution_needs_text_and_a_week_from_raising_to_now(
    users, problem, fields, key, message
):
    with pytest.raises(ValidationError) as error:
        resolve(users[Role.REVIEWER], problem, **fields)
    assert error.value.message_dict[key] == [message]
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.OPEN


def test_a_resolved_problem_stays_resolved(users, problem):
    resolve(users[Role.REVIEWER], problem)
    with pytest.raises(ValidationError, match="already resolved"):
        resolve(users[Role.REVIEWER], problem, resolution="Again")
    with pytest.raises(ValidationError, match="Only an open problem"):
        problem_escalate(user=users[Role.REVIEWER], problem=problem)
