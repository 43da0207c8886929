"""Reads for the weekly scheduling board (周调度): what each unit's projects owe this week.

The rules, for a board of ISO week W (year Y = W's ISO year, share = W's number / weeks in Y,
``Period.year_share``):

* The board's projects are the active projects whose plan year is Y. A project's *latest
  report* is its report of the latest week from Y-W01 up to W (reports of an earlier year
  count investment of that year, so they say nothing about Y's plan).
* **Behind the time account**: the latest report's investment completed this year is below
  the planned annual investment times the share of the year elapsed,
  ``investment_to_date < planned_annual_investment × share``, compared exactly (a project
  that plans no investment this year is never behind).
* **Not reported**: no report from Y-W01 up to W; such a project is listed apart and is
  neither behind nor on schedule.
* **Not started when planned**: its planned start is on or before W's Sunday and its latest
  report says it has not started, or it has no report.
* **New problems**: problems raised in week W, whatever has become of them since.
* **Problems open for more than N weeks**: problems of the unit's active projects that were
  open (or escalated) at the end of W: raised in W or before and not resolved by then. A
  problem raised in week R has been open for W - R weeks (raised in W10, in W14 it has been
  open 4 weeks); it is listed when that is more than N.
* **Movement** against the previous week P: investment completed this week is the sum of the
  latest reports' figures up to W minus the same up to P (0 up to P when P falls in the year
  before), and the change in the number of projects behind (at P, by P's share; none behind
  when P falls in the year before, since the plan year is Y).

Every figure is read with a constant number of queries, whatever the number of projects.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from districts.models import District
from districts.periods import Period, iso_weeks_in_year
from projects.models import Problem, ProblemStatus, Project, ProjectReport

DEFAULT_OPEN_WEEKS = 4
ZERO = Decimal(0)


@dataclass(frozen=True)
class ProjectLine:
    """A project with its latest report in or before the week (None: not reported)."""

    project: Project
    report: ProjectReport | None

    @property
    def completed(self) -> Decimal:
        return self.report.investment_to_date if self.report else ZERO

    @property
    def share_done(self) -> float | None:
        planned = self.project.planned_annual_investment
        if self.report is None or not planned:
            return None
        return float(self.report.investment_to_date / planned)

    @property
    def percent_done(self) -> float | None:
        share = self.share_done
        return None if share is None else share * 100


@dataclass(frozen=True)
class ProblemLine:
    problem: Problem
    weeks_open: int


@dataclass
class Totals:
    projects: int = 0
    planned: Decimal = ZERO
    completed: Decimal = ZERO

    def add(self, line: ProjectLine) -> None:
        self.projects += 1
        self.planned += line.project.planned_annual_investment
        self.completed += line.completed

    @property
    def share_done(self) -> float | None:
        return float(self.completed / self.planned) if self.planned else None

    @property
    def percent_done(self) -> float | None:
        share = self.share_done
        return None if share is None else share * 100


@dataclass
class UnitBoard:
    unit: District
    behind: list[ProjectLine] = field(default_factory=list)
    not_reported: list[ProjectLine] = field(default_factory=list)
    not_started: list[ProjectLine] = field(default_factory=list)
    new_problems: list[Problem] = field(default_factory=list)
    long_open_problems: list[ProblemLine] = field(default_factory=list)
    totals: Totals = field(default_factory=Totals)
    completed_last_week: Decimal = ZERO
    behind_last_week: int = 0

    @property
    def completed_this_week(self) -> Decimal:
        return self.totals.completed - self.completed_last_week

    @property
    def behind_change(self) -> int:
        return len(self.behind) - self.behind_last_week


@dataclass
class SchedulingBoard:
    week: Period
    previous_week: Period
    open_weeks: int
    units: list[UnitBoard]
    industries: dict[str, Totals]
    totals: Totals

    @property
    def year_share(self) -> float:
        return self.week.year_share

    @property
    def year_percent(self) -> float:
        return self.week.year_share * 100


def is_behind(report: ProjectReport | None, project: Project, week: Period) -> bool:
    """The time-account rule (see the module's docstring), in integers and decimals only:
    investment_to_date × weeks in the year < planned × the week's number."""
    if report is None:
        return False
    weeks = iso_weeks_in_year(week.year)
    return report.investment_to_date * weeks < project.planned_annual_investment * week.number


def weeks_between(earlier: Period, later: Period) -> int:
    return (later.first_day - earlier.first_day).days // 7


def _latest_reports(
    reports: Iterable[ProjectReport], *, up_to: str, year: int
) -> dict[int, ProjectReport]:
    first = f"{year}-W01"
    latest: dict[int, ProjectReport] = {}
    for report in reports:
        if not first <= report.week <= up_to:
            continue
        known = latest.get(report.project_id)
        if known is None or report.week > known.week:
            latest[report.project_id] = report
    return latest


def scheduling_board(
    week: Period, units: Iterable[District] | None = None, *, open_weeks: int = DEFAULT_OPEN_WEEKS
) -> SchedulingBoard:
    """The board of ``week`` for ``units`` (every unit with projects or problems when None).
    Four queries: projects, reports, problems, and the units when none are given."""
    previous = week.previous()
    projects = Project.objects.filter(active=True, year=week.year).select_related("unit")
    # Open at the end of the week, or raised in it (a new problem is listed even when it was
    # resolved the same week).
    problems = (
        Problem.objects.filter(project__active=True, raised_week__lte=week.code)
        .filter(
            ~Q(status=ProblemStatus.RESOLVED)
            | Q(resolved_week__gt=week.code)
            | Q(raised_week=week.code)
        )
        .select_related("project", "project__unit")
    )
    if units is not None:
        units = list(units)
        projects = projects.filter(unit__in=units)
        problems = problems.filter(project__unit__in=units)
    projects = list(projects)
    # The reports of this plan year up to the week: the latest up to W and up to W-1 come
    # from the same rows. Week codes sort as text in time order (four-digit years).
    reports = list(
        ProjectReport.objects.filter(
            project_id__in=[p.pk for p in projects],
            week__gte=f"{week.year}-W01",
            week__lte=week.code,
        ).defer("note")
    )
    latest = _latest_reports(reports, up_to=week.code, year=week.year)
    latest_before = (
        _latest_reports(reports, up_to=previous.code, year=week.year)
        if previous.year == week.year
        else {}
    )
    problems = list(problems)

    if units is None:
        seen = {p.unit_id: p.unit for p in projects}
        seen.update({p.project.unit_id: p.project.unit for p in problems})
        units = list(seen.values())
    boards = {
        unit.pk: UnitBoard(unit=unit)
        for unit in sorted(units, key=lambda unit: (unit.order, unit.code))
    }
    industries: dict[str, Totals] = defaultdict(Totals)
    totals = Totals()

    last_day = week.last_day
    for project in projects:
        board = boards[project.unit_id]
        line = ProjectLine(project, latest.get(project.pk))
        board.totals.add(line)
        industries[project.industry].add(line)
        totals.add(line)
        if line.report is None:
            board.not_reported.append(line)
        elif is_behind(line.report, project, week):
            board.behind.append(line)
        if project.planned_start <= last_day and (line.report is None or not line.report.started):
            board.not_started.append(line)
        before = latest_before.get(project.pk)
        if before is not None:
            board.completed_last_week += before.investment_to_date
            if is_behind(before, project, previous):
                board.behind_last_week += 1

    for problem in problems:
        board = boards.get(problem.project.unit_id)
        if board is None:
            continue
        if problem.raised_week == week.code:
            board.new_problems.append(problem)
        weeks_open = weeks_between(Period.parse_week(problem.raised_week), week)
        still_open = problem.status != ProblemStatus.RESOLVED or problem.resolved_week > week.code
        if still_open and weeks_open > open_weeks:
            board.long_open_problems.append(ProblemLine(problem, weeks_open))

    return SchedulingBoard(
        week=week,
        previous_week=previous,
        open_weeks=open_weeks,
        units=list(boards.values()),
        industries=dict(sorted(industries.items())),
        totals=totals,
    )
