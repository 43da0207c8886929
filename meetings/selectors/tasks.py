"""Reads: deployment tasks with each responsible unit's progress, for a meeting's agenda, the
next meeting's agenda (tasks carried over), a task's page and a unit's district page.

``today`` is always passed in, so what counts as overdue is decided by the caller's clock.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from accounts.access import may_report_for_unit
from districts.models import District, Group
from meetings.models import DeploymentTask, Meeting, MeetingStatus, TaskProgress

DONE = "done"
OVERDUE = "overdue"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class UnitProgress:
    """One responsible unit's part of a task: its reports (oldest first) and where it stands."""

    district: District
    reports: tuple[TaskProgress, ...]
    overdue: bool
    may_report: bool

    @property
    def latest(self) -> TaskProgress | None:
        return self.reports[-1] if self.reports else None

    @property
    def done(self) -> bool:
        return self.latest is not None and self.latest.done

    @property
    def status(self) -> str:
        if self.done:
            return DONE
        if self.overdue:
            return OVERDUE
        return IN_PROGRESS if self.reports else NOT_STARTED


@dataclass(frozen=True)
class TaskRow:
    task: DeploymentTask
    units: list[UnitProgress]

    @property
    def done(self) -> bool:
        return all(unit.done for unit in self.units)

    @property
    def overdue(self) -> bool:
        return any(unit.overdue for unit in self.units)

    @property
    def reportable(self) -> list[District]:
        """The units the reader may report progress for."""
        return [unit.district for unit in self.units if unit.may_report]


def _tasks_with_progress() -> QuerySet[DeploymentTask]:
    """Tasks with their meeting, units and every report, in a fixed number of queries."""
    return DeploymentTask.objects.select_related("meeting", "created_by").prefetch_related(
        Prefetch(
            "responsible", queryset=District.objects.order_by("group__order", "order", "code")
        ),
        Prefetch(
            "progress",
            queryset=TaskProgress.objects.select_related("reported_by").order_by(
                "reported_at", "pk"
            ),
        ),
    )


def _rows(tasks, *, today: datetime.date, user=None) -> list[TaskRow]:
    # The units are the task's responsible ones already loaded, so only the role part of
    # accounts.access.may_report_progress is left to ask.
    rows = []
    for task in tasks:
        reports = defaultdict(list)
        for report in task.progress.all():
            reports[report.district_id].append(report)
        units = []
        for district in task.responsible.all():
            mine = tuple(reports[district.pk])
            done = bool(mine) and mine[-1].done
            units.append(
                UnitProgress(
                    district=district,
                    reports=mine,
                    overdue=task.due_date < today and not done,
                    may_report=user is not None and may_report_for_unit(user, district.pk),
                )
            )
        rows.append(TaskRow(task=task, units=units))
    return rows


def meeting_tasks(meeting: Meeting, user, today: datetime.date) -> list[TaskRow]:
    """The tasks deployed at a meeting, soonest due first."""
    tasks = _tasks_with_progress().filter(meeting=meeting).order_by("due_date", "pk")
    return _rows(tasks, today=today, user=user)


def carried_tasks(meeting: Meeting, today: datetime.date, user=None) -> list[TaskRow]:
    """Tasks of earlier meetings on the same races that were due before this meeting and that
    some unit has still not done: they come back on this meeting's agenda.

    Tasks of a meeting still only planned are left out: nobody but the bureau reads them yet.
    """
    earlier = (
        Meeting.objects.filter(date__lt=meeting.date, races__in=meeting.races.all())
        .exclude(status=MeetingStatus.PLANNED)
        .values("pk")
    )
    tasks = (
        _tasks_with_progress()
        .filter(meeting_id__in=earlier, due_date__lt=meeting.date)
        .order_by("meeting__date", "due_date", "pk")
    )
    return [row for row in _rows(tasks, today=today, user=user) if not row.done]


def task_row(pk: int, user, today: datetime.date) -> TaskRow | None:
    """One task with every unit's progress history, for its own page."""
    return next(iter(_rows(_tasks_with_progress().filter(pk=pk), today=today, user=user)), None)


def overdue_tasks_for_district(district: District, today: datetime.date) -> list[DeploymentTask]:
    """The unit's tasks whose due date has passed and whose latest report from this unit does
    not say done (or that it never reported on), oldest due first, in one query.

    Each task carries ``unit_reported_at``: when the unit last reported on it (or None).
    Tasks of a meeting still only planned are left out, as on the meeting list.
    """
    latest = TaskProgress.objects.filter(task=OuterRef("pk"), district=district).order_by(
        "-reported_at", "-pk"
    )
    return list(
        DeploymentTask.objects.filter(responsible=district, due_date__lt=today)
        .exclude(meeting__status=MeetingStatus.PLANNED)
        .select_related("meeting")
        .annotate(
            unit_done=Subquery(latest.values("done")[:1]),
            unit_reported_at=Subquery(latest.values("reported_at")[:1]),
        )
        .filter(Q(unit_done__isnull=True) | Q(unit_done=False))
        .order_by("due_date", "pk")
    )


def task_unit_choices(meeting: Meeting) -> list[tuple[Group, list[District]]]:
    """The units a task at this meeting may be given to, by group: those its races rank."""
    groups = Group.objects.filter(pk__in=meeting.races.values("group_id")).order_by("order", "code")
    by_group = defaultdict(list)
    for district in District.objects.filter(group__in=groups, active=True).order_by(
        "order", "code"
    ):
        by_group[district.group_id].append(district)
    return [(group, by_group[group.pk]) for group in groups if by_group[group.pk]]
