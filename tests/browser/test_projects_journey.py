"""Weekly scheduling and the monthly review end to end in real Chromium (issue 13).

A clerk reports a week for two projects with one problem; the reviewer escalates the
problem; the scheduling board shows it; an official reads the monthly review and comments.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from comments.models import Comment
from districts.periods import Period
from projects.models import Problem, ProblemStatus, Project, ProjectReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLERK_UNIT = "220106"  # the demo clerk looks after Lüyuan District
RACE = "counties-economy"
MONTH = "2026-10"  # the demo's latest monthly review
PROBLEM = "Grid connection for the second plant waits on the power company (browser test)"


def test_a_week_reported_escalated_on_the_board_and_a_monthly_review_commented(
    demo, signed_in, live_server, screenshot
):
    week = Period.week_of(timezone.localdate())
    projects = list(
        Project.objects.filter(unit__code=CLERK_UNIT, active=True, year=week.year).order_by("pk")
    )
    assert len(projects) >= 2, "the demo gives Lüyuan at least two projects"
    first, second = projects[:2]
    earlier = {
        p.pk: ProjectReport.objects.filter(project=p).order_by("-week").first() for p in projects
    }

    # The clerk opens this week's report from the project list and reports both projects,
    # one with a problem needing coordination.
    clerk = signed_in("clerk")
    clerk.goto(f"{live_server.url}/")
    clerk.get_by_role("link", name="Key projects").first.click()
    clerk.get_by_role("link", name=f"this week ({week.code})").click()
    clerk.wait_for_url(f"**/projects/report/{CLERK_UNIT}/{week.code}/")
    figures = {}
    for project in (first, second):
        figures[project.pk] = earlier[project.pk].investment_to_date + Decimal("25")
        clerk.fill(f"#p{project.pk}-investment", str(figures[project.pk]))
        clerk.check(f"#p{project.pk}-started")
    clerk.select_option(f"#p{second.pk}-category", "utilities")
    clerk.fill(f"#p{second.pk}-problem", PROBLEM)
    clerk.get_by_role("button", name="Send the week's report").click()
    clerk.get_by_text(f"for {week.code} is saved").wait_for()
    for project in (first, second):
        report = ProjectReport.objects.get(project=project, week=week.code)
        assert report.investment_to_date == figures[project.pk]
        assert report.started
        assert report.reported_by.username == "clerk"
    problem = Problem.objects.get(description=PROBLEM)
    assert (problem.project, problem.raised_week, problem.status) == (
        second,
        week.code,
        ProblemStatus.OPEN,
    )

    # The reviewer escalates it from the list of problems.
    reviewer = signed_in("reviewer")
    reviewer.goto(f"{live_server.url}/projects/problems/")
    item = reviewer.locator(f"#problem-{problem.pk}")
    item.get_by_role("button", name="Escalate").click()
    item.locator(".badge", has_text="escalated").wait_for()
    assert "Escalated by" in item.inner_text()
    problem.refresh_from_db()
    assert problem.status == ProblemStatus.ESCALATED
    assert problem.escalated_by.username == "reviewer"

    # The board of the week shows the new problem as escalated, under Lüyuan.
    reviewer.goto(f"{live_server.url}/projects/board/{week.code}/")
    line = reviewer.locator("li").filter(has_text=PROBLEM)
    assert line.count() == 1
    assert "escalated" in line.inner_text()
    assert second.name in line.inner_text()
    screenshot(reviewer, "board-en")

    # An official reads the latest monthly review, marked as such, and comments on it.
    official = signed_in("official")
    official.goto(f"{live_server.url}/races/{RACE}/{MONTH}/")
    assert "Monthly review" in official.locator("h1").inner_text()
    official.goto(f"{live_server.url}/races/{RACE}/{MONTH}/comments/")
    official.fill("textarea[name=body]", "Lüyuan: **grid connection** first, then the plant.")
    official.get_by_role("button", name="Post comment").click()
    official.locator("article.comment").filter(has_text="grid connection").first.wait_for()
    comment = Comment.objects.get(body__contains="grid connection")
    assert (comment.race.code, comment.period) == (RACE, MONTH)


def test_the_board_and_a_project_page_in_both_languages(demo, signed_in, live_server, screenshot):
    """Screenshots of the board and a project page, in English and Chinese, for review."""
    week = Period.week_of(timezone.localdate()).previous()
    project = Project.objects.filter(unit__code=CLERK_UNIT).order_by("pk").first()
    for language, board_heading, project_heading in (
        ("en", "scheduling board", "Weekly reports"),
        ("zh-hans", "调度", "周报"),
    ):
        page = signed_in("viewer", language)
        page.goto(f"{live_server.url}/projects/board/{week.code}/")
        assert board_heading in page.locator("h1").inner_text()
        screenshot(page, f"board-week-{language}")
        page.goto(f"{live_server.url}/projects/{project.pk}/")
        assert project.name in page.locator("h1").inner_text()
        assert project_heading in page.locator("main").inner_text()
        screenshot(page, f"project-{language}")
