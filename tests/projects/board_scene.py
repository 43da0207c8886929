"""Small builders for the scheduling board's tests: projects, reports and problems made
directly through the ORM (the report-entry services belong to the project pages)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from projects.models import Problem, ProblemStatus, Project, ProjectKind, ProjectReport
from tests.factories import UserFactory


def project_make(unit, *, name="Road", industry="transport", planned="1000", year=2026, **fields):
    values = {
        "kind": ProjectKind.CONTINUING,
        "planned_start": datetime.date(year, 1, 1),
        "planned_finish": datetime.date(year + 1, 12, 31),
        "planned_total_investment": Decimal(planned) * 2,
    }
    values.update(fields)
    return Project.objects.create(
        unit=unit,
        name=name,
        industry=industry,
        year=year,
        planned_annual_investment=Decimal(planned),
        **values,
    )


def report_make(project, week, completed, *, started=True):
    return ProjectReport.objects.create(
        project=project,
        week=week,
        investment_to_date=Decimal(completed),
        started=started,
        reported_by=UserFactory(username="reporter"),
    )


def problem_make(
    report, *, status=ProblemStatus.OPEN, resolved_week="", text="Land not handed over"
):
    return Problem.objects.create(
        project=report.project,
        report=report,
        raised_week=report.week,
        category="land",
        description=text,
        status=status,
        resolved_week=resolved_week,
    )
