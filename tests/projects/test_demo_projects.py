"""The demo's key projects: 30 illustrative projects reported for the last 26 weeks, some
behind, some not started, problems in every state; loading again changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from projects.demo import DEMO_PROJECT_NOTE, DEMO_WEEKS, demo_weeks, load_demo_projects
from projects.models import Milestone, Problem, ProblemStatus, Project, ProjectReport
from projects.selectors.projects import project_rows


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("load_demo", "--force", verbosity=0)


def _snapshot():
    return {
        "projects": list(Project.objects.order_by("pk").values_list("name", "year", "unit")),
        "milestones": Milestone.objects.count(),
        "reports": list(
            ProjectReport.objects.order_by("pk").values_list(
                "project", "week", "investment_to_date", "started", "milestone", "reported_by"
            )
        ),
        "problems": list(Problem.objects.order_by("pk").values_list("project", "status")),
    }


def test_thirty_illustrative_projects_across_districts_zones_and_departments(demo):
    projects = Project.objects.select_related("unit__group")
    assert projects.count() == 30
    assert all(p.note == DEMO_PROJECT_NOTE and p.name.startswith("Illustrative") for p in projects)
    assert {p.unit.group.code for p in projects} == {"counties", "zones", "departments"}
    assert all(p.milestones.count() == 5 for p in projects)


def test_every_project_is_reported_for_the_last_26_weeks(demo):
    weeks = [w.code for w in demo_weeks(datetime.date.today())]
    assert len(weeks) == DEMO_WEEKS == 26
    for project in Project.objects.all():
        assert sorted(project.reports.values_list("week", flat=True)) == weeks


def test_the_demo_clerk_reports_for_luyuan_and_the_reviewer_for_the_rest(demo):
    reports = ProjectReport.objects.select_related("project__unit", "reported_by")
    assert {r.reported_by.username for r in reports if r.project.unit.code == "220106"} == {"clerk"}
    assert {r.reported_by.username for r in reports if r.project.unit.code != "220106"} == {
        "reviewer"
    }


def test_some_are_behind_some_not_started_and_problems_in_every_state(demo):
    rows = project_rows()
    assert any(row.behind for row in rows) and not all(row.behind for row in rows)
    assert any(row.started is False for row in rows)
    statuses = set(Problem.objects.values_list("status", flat=True))
    assert statuses == {ProblemStatus.OPEN, ProblemStatus.ESCALATED, ProblemStatus.RESOLVED}
    assert all(p.description.startswith("Illustrative") for p in Problem.objects.all())


def test_a_year_to_date_figure_never_falls_within_a_year(demo):
    for project in Project.objects.all():
        figures = list(project.reports.order_by("week").values_list("week", "investment_to_date"))
        for (week, figure), (later_week, later) in zip(figures, figures[1:], strict=False):
            assert later >= figure or later_week[:4] != week[:4]


def test_loading_again_changes_nothing(demo):
    before = _snapshot()
    assert load_demo_projects() == 30
    call_command("load_demo", "--force", verbosity=0)
    assert _snapshot() == before
