"""Writes: a unit's race figures computed from its projects' weekly reports.

For a month or a quarter of year Y, each unit's active projects of plan year Y are read at
their latest report up to the period's last week (the last ISO week whose Thursday falls in
the period, as a week belongs to the month of its Thursday):

* ``share_on_schedule``: the percentage of the unit's projects on schedule, i.e. reported and
  not behind the time account of that week (the board's rule,
  ``projects.selectors.board.is_behind``); a project not reported counts as not on schedule;
* ``investment_completed``: the investment completed this year, summed (10,000 yuan);
* ``new_starts``: the number of new-start projects whose latest report says they started.

Each figure is saved as a draft through ``districts.services.entry.value_save`` (its checks
and history), with a note citing the reports it was computed from, and then goes through the
normal review: the unit's return is submitted and the bureau approves it. A figure already
submitted or approved (or in a return that is) is never overwritten: it is reported as
skipped with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.access import may_manage_projects
from districts.models import DataReturn, District, Indicator, ReturnStatus, Value, ValueStatus
from districts.periods import Period, PeriodKind
from districts.services.entry import value_save
from districts.validation import period_problem
from projects.models import Project, ProjectKind, ProjectReport
from projects.selectors.board import is_behind

FIGURES = ("share_on_schedule", "investment_completed", "new_starts")
# Value.note holds 500 characters; the citation list is cut to leave room for its tail.
NOTE_LENGTH = 500
CITATION_ROOM = 440
REVIEWED = (ValueStatus.SUBMITTED, ValueStatus.APPROVED)


@dataclass
class FiguresResult:
    period: Period
    last_week: Period
    written: int = 0
    unchanged: int = 0
    skipped: list[tuple[District, Indicator, str]] = field(default_factory=list)


@dataclass
class UnitFigures:
    unit: District
    figures: dict[str, Decimal]
    reports: list[ProjectReport]
    not_reported: int


def last_week_of(period: Period) -> Period:
    """The last ISO week whose Thursday falls in ``period``."""
    week = Period.week_of(period.last_day)
    return week if week.thursday <= period.last_day else week.previous()


def unit_figures(period: Period) -> list[UnitFigures]:
    """The three figures of every unit with active projects of the period's plan year."""
    week = last_week_of(period)
    projects = list(Project.objects.filter(active=True, year=period.year).select_related("unit"))
    latest: dict[int, ProjectReport] = {}
    reports = ProjectReport.objects.filter(
        project_id__in=[p.pk for p in projects],
        week__gte=f"{period.year}-W01",
        week__lte=week.code,
    ).only("pk", "project_id", "week", "investment_to_date", "started")
    for report in reports:
        known = latest.get(report.project_id)
        if known is None or report.week > known.week:
            latest[report.project_id] = report
    by_unit: dict[int, list[Project]] = {}
    for project in projects:
        by_unit.setdefault(project.unit_id, []).append(project)
    results = []
    for unit_projects in by_unit.values():
        reported = [(p, latest[p.pk]) for p in unit_projects if p.pk in latest]
        on_schedule = sum(1 for p, report in reported if not is_behind(report, p, week))
        figures = {
            "share_on_schedule": Decimal(100 * on_schedule) / len(unit_projects),
            "investment_completed": sum(
                (report.investment_to_date for _p, report in reported), Decimal(0)
            ),
            "new_starts": Decimal(
                sum(1 for p, r in reported if p.kind == ProjectKind.NEW_START and r.started)
            ),
        }
        results.append(
            UnitFigures(
                unit=unit_projects[0].unit,
                figures={
                    name: value.quantize(Decimal("0.0001")) for name, value in figures.items()
                },
                reports=sorted((r for _p, r in reported), key=lambda r: r.pk),
                not_reported=len(unit_projects) - len(reported),
            )
        )
    return sorted(results, key=lambda u: (u.unit.order, u.unit.code))


def citation_note(figures: UnitFigures) -> str:
    """ "computed from weekly project reports: #12 (2026-W39), …", cut to fit Value.note."""
    cited = []
    for number, report in enumerate(figures.reports):
        item = f"#{report.pk} ({report.week})"
        if len(", ".join([*cited, item])) > CITATION_ROOM:
            cited.append(_("and %(count)s more") % {"count": len(figures.reports) - number})
            break
        cited.append(item)
    note = _("computed from weekly project reports: %(reports)s") % {
        "reports": ", ".join(cited) if cited else _("none")
    }
    if figures.not_reported:
        count = figures.not_reported
        note += "; " + ngettext(
            "%(count)s project not reported", "%(count)s projects not reported", count
        ) % {"count": count}
    return note[:NOTE_LENGTH]


def _check_indicators(period: Period, indicator_map: dict[str, Indicator]) -> None:
    if period.kind not in (PeriodKind.MONTH, PeriodKind.QUARTER):
        raise ValidationError(
            {"period": _("Project figures are computed for a month or a quarter.")}
        )
    unknown = sorted(set(indicator_map) - set(FIGURES))
    if unknown:
        raise ValidationError(
            _("Unknown project figures: %(names)s (known: %(known)s).")
            % {"names": ", ".join(unknown), "known": ", ".join(FIGURES)}
        )
    if not indicator_map:
        raise ValidationError(_("Choose an indicator for at least one project figure."))
    for name, indicator in indicator_map.items():
        if problem := period_problem(indicator, period.code):
            raise ValidationError({name: problem})


@transaction.atomic
def project_figures_compute(
    *, user, period: Period, indicator_map: dict[str, Indicator]
) -> FiguresResult:
    """Compute each unit's project figures for ``period`` and save them as draft values of
    the indicators ``indicator_map`` names (figure name -> indicator). The bureau only."""
    if not may_manage_projects(user):
        raise PermissionDenied(_("Only the bureau computes figures from project reports."))
    _check_indicators(period, indicator_map)
    result = FiguresResult(period=period, last_week=last_week_of(period))
    computed = unit_figures(period)
    units = [figures.unit for figures in computed]
    existing = {
        (value.district_id, value.indicator_id): value
        for value in Value.objects.filter(
            district__in=units, indicator__in=indicator_map.values(), period=period.code
        )
    }
    closed_returns = set(
        DataReturn.objects.filter(
            district__in=units,
            period=period.code,
            status__in=(ReturnStatus.SUBMITTED, ReturnStatus.APPROVED),
        ).values_list("district_id", flat=True)
    )
    for figures in computed:
        note = citation_note(figures)
        for name, indicator in indicator_map.items():
            value = existing.get((figures.unit.pk, indicator.pk))
            reason = None
            if value is not None and value.status in REVIEWED:
                reason = _("the figure is %(status)s") % {"status": value.get_status_display()}
            elif figures.unit.pk in closed_returns:
                reason = _("the unit's return for the period is submitted or approved")
            if reason is None:
                try:
                    saved = value_save(
                        user=user,
                        district=figures.unit,
                        indicator=indicator,
                        period=period.code,
                        value=figures.figures[name],
                        target=value.target if value else None,
                        note=note,
                        justification=value.justification if value else "",
                        reason="computed from project reports",
                    )
                except ValidationError as error:
                    reason = "; ".join(error.messages)
                else:
                    unchanged = value is not None and saved.version == value.version
                    if unchanged:
                        result.unchanged += 1
                    else:
                        result.written += 1
                    continue
            result.skipped.append((figures.unit, indicator, reason))
    return result
