"""Writes: a unit's weekly report (周调度) on all its active projects at once.

The clerk fills one table for the week; it is stored whole or not at all, so the bureau never
sees half a week. Every row is checked before anything is written and each error names the
project and the field, so the form can show them all together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may_report_project
from districts.models import FIGURE_DECIMALS, FIGURE_DIGITS, District
from districts.periods import Period, PeriodError
from pages.text import visible_text
from projects.models import Problem, ProblemCategory, Project, ProjectReport
from projects.selectors.projects import reportable_projects

MAX_NOTE = 2000
MAX_PROBLEM_TEXT = 2000
# A reported figure above this many times the project's planned total investment is a typing
# slip (a figure in yuan where 10,000 yuan is meant), not progress.
ABSURD_MULTIPLE = 10
_LARGEST_FIGURE = Decimal(10) ** (FIGURE_DIGITS - FIGURE_DECIMALS) - 1


@dataclass
class ProblemInput:
    category: str
    description: str


@dataclass
class RowInput:
    """One project's line of the week's table, as typed (strings are checked here)."""

    project_id: int | str
    investment_to_date: Decimal | str | None
    started: bool = False
    milestone_id: int | str | None = None
    note: str = ""
    problems: list[ProblemInput] = field(default_factory=list)


def row_key(project_id, name: str) -> str:
    """The error key of one field of one project's row (the form's input name too)."""
    return f"p{project_id}-{name}"


def week_checked(code: str, *, today: datetime.date | None = None) -> Period:
    """The week, or a ValidationError: a week code that is not a week, or a week not yet
    started (the current week may be reported before it ends)."""
    try:
        week = Period.parse_week(code)
    except PeriodError as error:
        raise ValidationError(
            {"week": _("%(code)s is not an ISO week such as 2026-W14.") % {"code": code}}
        ) from error
    today = today or timezone.localdate()
    if week.first_day > today:
        raise ValidationError(
            {"week": _("Week %(week)s has not started yet.") % {"week": week.code}}
        )
    return week


def _figure(value, *, project: Project, label: str, key: str, errors) -> Decimal | None:
    text = "" if value is None else str(value).strip().replace(",", "")
    if text == "":
        errors.setdefault(key, []).append(
            _("%(project)s: %(field)s is required.") % {"project": project.name, "field": label}
        )
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        errors.setdefault(key, []).append(
            _("%(project)s: %(field)s must be a number.")
            % {"project": project.name, "field": label}
        )
        return None
    if number < 0:
        errors.setdefault(key, []).append(
            _("%(project)s: %(field)s cannot be negative.")
            % {"project": project.name, "field": label}
        )
        return None
    limit = project.planned_total_investment * ABSURD_MULTIPLE
    if number > limit or number > _LARGEST_FIGURE:
        errors.setdefault(key, []).append(
            _(
                "%(project)s: %(field)s of %(value)s is more than %(times)d times the planned "
                "total investment (%(total)s); figures are in 10,000 yuan."
            )
            % {
                "project": project.name,
                "field": label,
                "value": text,
                "times": ABSURD_MULTIPLE,
                "total": plain(project.planned_total_investment),
            }
        )
        return None
    return number.quantize(Decimal(1).scaleb(-FIGURE_DECIMALS))


def plain(number: Decimal) -> str:
    """A figure as people write it: 1200, 3.5 (never 1.2E+3 or 3.5000000000)."""
    return format(number.normalize(), "f")


def _text(value, *, project: Project, label: str, key: str, limit: int, errors) -> str:
    text = visible_text(str(value or ""))
    if len(text) > limit:
        errors.setdefault(key, []).append(
            _("%(project)s: %(field)s has more than %(limit)d characters.")
            % {"project": project.name, "field": label, "limit": limit}
        )
    return text


def _earlier_figure(project: Project, week: Period) -> ProjectReport | None:
    """The latest report before this week in the same year: the year-to-date figure restarts
    each January, so only the same year's figures bound it."""
    return (
        ProjectReport.objects.filter(
            project=project, week__startswith=f"{week.year}-W", week__lt=week.code
        )
        .order_by("-week")
        .first()
    )


@dataclass
class _CheckedRow:
    project: Project
    investment: Decimal
    started: bool
    milestone_id: int | None
    note: str
    problems: list[ProblemInput]


def _check_row(row: RowInput, project: Project, week: Period, errors) -> _CheckedRow | None:
    before = len(errors)
    investment = _figure(
        row.investment_to_date,
        project=project,
        label=_("investment completed this year"),
        key=row_key(project.pk, "investment"),
        errors=errors,
    )
    note = _text(
        row.note,
        project=project,
        label=_("note"),
        key=row_key(project.pk, "note"),
        limit=MAX_NOTE,
        errors=errors,
    )
    # A year-to-date figure does not fall. When it does (a correction of an earlier week's
    # figure), the note must say why, so the board's reader is not left guessing.
    earlier = _earlier_figure(project, week)
    falls = (
        earlier is not None and investment is not None and investment < earlier.investment_to_date
    )
    if falls and not note:
        errors.setdefault(row_key(project.pk, "investment"), []).append(
            _(
                "%(project)s: investment completed this year (%(value)s) is lower than "
                "reported for %(week)s (%(earlier)s); say why in the note."
            )
            % {
                "project": project.name,
                "value": plain(investment),
                "week": earlier.week,
                "earlier": plain(earlier.investment_to_date),
            }
        )
    milestone_id = None
    if row.milestone_id not in (None, ""):
        milestone_ids = {m.pk for m in project.milestones.all()}
        try:
            milestone_id = int(str(row.milestone_id).strip())
        except ValueError:
            milestone_id = None
        if milestone_id not in milestone_ids:
            errors.setdefault(row_key(project.pk, "milestone"), []).append(
                _("%(project)s: the milestone reached must be one of this project's milestones.")
                % {"project": project.name}
            )
            milestone_id = None
    problems = []
    for problem in row.problems:
        category = str(problem.category or "").strip()
        description = _text(
            problem.description,
            project=project,
            label=_("problem"),
            key=row_key(project.pk, "problem"),
            limit=MAX_PROBLEM_TEXT,
            errors=errors,
        )
        if not category and not description:
            continue  # an empty problem line: nothing raised
        if category not in ProblemCategory.values:
            errors.setdefault(row_key(project.pk, "category"), []).append(
                _("%(project)s: choose the problem's category.") % {"project": project.name}
            )
        if not description:
            errors.setdefault(row_key(project.pk, "problem"), []).append(
                _("%(project)s: describe the problem needing coordination.")
                % {"project": project.name}
            )
        problems.append(ProblemInput(category, description))
    if len(errors) > before or investment is None:
        return None
    return _CheckedRow(project, investment, bool(row.started), milestone_id, note, problems)


@transaction.atomic
def week_report_save(
    *,
    user,
    unit: District,
    week: str,
    rows: Iterable[RowInput],
    today: datetime.date | None = None,
) -> list[ProjectReport]:
    """Store one week's report for all the unit's active projects of that year's plan.

    All or nothing: any error leaves the week as it was. Saving a week again updates its
    reports (their history keeps the earlier figures). A problem is added once: sending the
    same category and description again for the same week does not raise it twice.
    """
    period = week_checked(week, today=today)
    projects = {p.pk: p for p in reportable_projects(unit, period).select_for_update()}
    for project in projects.values():
        if not may_report_project(user, project):
            raise PermissionDenied(_("Only the unit's clerk or the bureau reports its projects."))
    if not projects and not may_report_project(user, Project(unit=unit)):
        raise PermissionDenied(_("Only the unit's clerk or the bureau reports its projects."))
    errors: dict[str, list[str]] = {}
    checked: list[_CheckedRow] = []
    seen: set[int] = set()
    for row in rows:
        try:
            project = projects.get(int(str(row.project_id).strip()))
        except ValueError:
            project = None
        if project is None:
            errors.setdefault("__all__", []).append(
                _("A row names a project that is not one of this unit's active projects.")
            )
            continue
        if project.pk in seen:
            errors.setdefault("__all__", []).append(
                _("%(project)s is reported twice.") % {"project": project.name}
            )
            continue
        seen.add(project.pk)
        result = _check_row(row, project, period, errors)
        if result is not None:
            checked.append(result)
    for project in projects.values():
        if project.pk not in seen:
            errors.setdefault(row_key(project.pk, "investment"), []).append(
                _("%(project)s: the week's report has no line for it.") % {"project": project.name}
            )
    if errors:
        raise ValidationError(errors)
    reports = []
    for row in checked:
        report, _created = ProjectReport.objects.update_or_create(
            project=row.project,
            week=period.code,
            defaults={
                "investment_to_date": row.investment,
                "started": row.started,
                "milestone_id": row.milestone_id,
                "note": row.note,
                "reported_by": user,
            },
        )
        for problem in row.problems:
            Problem.objects.get_or_create(
                project=row.project,
                report=report,
                category=problem.category,
                description=problem.description,
                defaults={"raised_week": period.code},
            )
        reports.append(report)
    return reports
