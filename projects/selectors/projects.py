"""Reads: key projects with how far their investment has come against the time account, a
project's page, the lines of a unit's weekly report, the problems list."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery

from accounts.access import clerk_district_ids, is_bureau
from districts.models import District
from districts.periods import Period
from projects.models import Milestone, Problem, ProblemStatus, Project, ProjectReport


def annual_share(project: Project, investment: Decimal | None) -> float | None:
    """The share of the year's planned investment done (None for a year planning nothing)."""
    if investment is None or not project.planned_annual_investment:
        return None
    return float(investment / project.planned_annual_investment)


@dataclass
class ProjectRow:
    """A project in the list, with its last reported week."""

    project: Project
    last_week: str | None
    last_investment: Decimal | None
    started: bool | None

    @property
    def annual_share(self) -> float | None:
        return annual_share(self.project, self.last_investment)

    @property
    def year_share(self) -> float | None:
        """The time account at the end of the last reported week."""
        return Period.parse_week(self.last_week).year_share if self.last_week else None

    @property
    def behind(self) -> bool:
        done, due = self.annual_share, self.year_share
        return done is not None and due is not None and done < due


def project_rows(*, unit: District | None = None, industry: str = "") -> list[ProjectRow]:
    """Every role that reads reads every unit's projects; filtered by unit and industry."""
    latest = ProjectReport.objects.filter(project=OuterRef("pk")).order_by("-week")
    projects = (
        Project.objects.select_related("unit")
        .annotate(
            last_week=Subquery(latest.values("week")[:1]),
            last_investment=Subquery(latest.values("investment_to_date")[:1]),
            last_started=Subquery(latest.values("started")[:1]),
        )
        .order_by("unit__group__order", "unit__code", "name", "pk")
    )
    if unit is not None:
        projects = projects.filter(unit=unit)
    if industry:
        projects = projects.filter(industry=industry)
    return [ProjectRow(p, p.last_week, p.last_investment, p.last_started) for p in projects]


def project_units() -> list[District]:
    """The units that have key projects, for the list's filter."""
    return list(
        District.objects.filter(projects__isnull=False)
        .distinct()
        .select_related("group")
        .order_by("group__order", "code")
    )


def project_industries() -> list[str]:
    return list(Project.objects.order_by("industry").values_list("industry", flat=True).distinct())


def reportable_units(user) -> list[District]:
    """The units whose weekly report the user may fill: a clerk's own, the bureau's all."""
    units = project_units()
    if is_bureau(user):
        return units
    own = clerk_district_ids(user)
    return [unit for unit in units if unit.pk in own]


@dataclass
class WeekLine:
    """One weekly report on a project's page, against the time account."""

    report: ProjectReport
    week: Period
    annual_share: float | None

    @property
    def year_share(self) -> float:
        return self.week.year_share

    @property
    def behind(self) -> bool:
        return self.annual_share is not None and self.annual_share < self.year_share


@dataclass
class ProjectPage:
    project: Project
    milestones: list[Milestone]
    weeks: list[WeekLine]
    problems: list[Problem]

    @property
    def latest(self) -> WeekLine | None:
        return self.weeks[-1] if self.weeks else None


def project_page(pk: int) -> ProjectPage | None:
    project = Project.objects.select_related("unit", "unit__group").filter(pk=pk).first()
    if project is None:
        return None
    reports = project.reports.select_related("milestone", "reported_by").order_by("week")
    weeks = [
        WeekLine(r, Period.parse_week(r.week), annual_share(project, r.investment_to_date))
        for r in reports
    ]
    problems = list(
        project.problems.select_related("escalated_by", "resolved_by").order_by("raised_week", "pk")
    )
    return ProjectPage(project, list(project.milestones.all()), weeks, problems)


def reportable_projects(unit: District, week: Period):
    """The projects a unit reports on in a week: its active ones of that year's plan."""
    return Project.objects.filter(unit=unit, active=True, year=week.year).order_by("name", "pk")


@dataclass
class ReportLine:
    """One row of a unit's weekly report form."""

    project: Project
    milestones: list[Milestone]
    report: ProjectReport | None  # this week's, once sent
    previous: ProjectReport | None  # the latest earlier one this year: the form starts from it
    problems: list[Problem] = field(default_factory=list)  # raised this week

    @property
    def prefill(self) -> ProjectReport | None:
        return self.report or self.previous


def week_report_lines(unit: District, week: Period) -> list[ReportLine]:
    projects = list(reportable_projects(unit, week).prefetch_related("milestones"))
    reports = ProjectReport.objects.filter(
        project__in=projects, week__startswith=f"{week.year}-W", week__lte=week.code
    ).order_by("project", "week")
    this_week: dict[int, ProjectReport] = {}
    earlier: dict[int, ProjectReport] = {}
    for report in reports:
        if report.week == week.code:
            this_week[report.project_id] = report
        else:
            earlier[report.project_id] = report  # ordered by week: the last one stays
    problems: dict[int, list[Problem]] = {}
    for problem in Problem.objects.filter(project__in=projects, raised_week=week.code):
        problems.setdefault(problem.project_id, []).append(problem)
    return [
        ReportLine(
            project,
            list(project.milestones.all()),
            this_week.get(project.pk),
            earlier.get(project.pk),
            problems.get(project.pk, []),
        )
        for project in projects
    ]


def problem_list(*, status: str = "") -> list[Problem]:
    """Problems, the ones still needing coordination first (open, then escalated, then
    resolved), oldest first within each."""
    problems = Problem.objects.select_related(
        "project", "project__unit", "escalated_by", "resolved_by"
    )
    if status in ProblemStatus.values:
        problems = problems.filter(status=status)
    order = {ProblemStatus.OPEN: 0, ProblemStatus.ESCALATED: 1, ProblemStatus.RESOLVED: 2}
    return sorted(problems, key=lambda p: (order.get(p.status, 3), p.raised_week, p.pk))
