"""Writes: deploying a task at a meeting ("how to do" next) and units' progress reports on it.

Each write asks accounts.access whether the user may make it, the same rule the pages use to
offer it, and checks every field at once so a form shows all its errors together.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.access import may_deploy_task, may_report_progress
from districts.models import District
from meetings.models import DeploymentTask, Meeting, TaskProgress
from pages.text import visible_text

MAX_TASK_TEXT = 2000


def _checked_text(text: str, *, empty: str, errors: dict[str, list[str]]) -> str:
    text = visible_text(text)
    if not text:
        errors.setdefault("text", []).append(empty)
    elif len(text) > MAX_TASK_TEXT:
        errors.setdefault("text", []).append(
            _("At most %(limit)d characters.") % {"limit": MAX_TASK_TEXT}
        )
    return text


def _checked_date(value, errors: dict[str, list[str]]) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if value:
        try:
            return datetime.date.fromisoformat(str(value).strip())
        except ValueError:
            pass
    errors.setdefault("due_date", []).append(_("Give the due date as YYYY-MM-DD."))
    return None


@transaction.atomic
def task_deploy(
    *,
    actor,
    meeting: Meeting,
    text: str,
    responsible: Iterable[District],
    due_date: datetime.date | str | None,
) -> DeploymentTask:
    """A task deployed at the meeting, for units that run in the meeting's races."""
    # Locked, so minutes published at the same moment cannot slip a task in after them.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if not may_deploy_task(actor, meeting):
        raise PermissionDenied(
            _("Only leaders and the bureau deploy tasks, until the minutes are published.")
        )
    errors: dict[str, list[str]] = {}
    text = _checked_text(text, empty=_("Say what is to be done."), errors=errors)
    units = list({district.pk: district for district in responsible}.values())
    if not units:
        errors.setdefault("responsible", []).append(_("Name at least one responsible unit."))
    groups = set(meeting.races.values_list("group_id", flat=True))
    for unit in units:
        if unit.group_id not in groups or not unit.active:
            errors.setdefault("responsible", []).append(
                _("%(unit)s does not run in this meeting's races.") % {"unit": unit.display_name}
            )
    due = _checked_date(due_date, errors)
    if due is not None and due < meeting.date:
        errors.setdefault("due_date", []).append(
            _("The due date cannot be before the meeting (%(date)s).")
            % {"date": meeting.date.isoformat()}
        )
    if errors:
        raise ValidationError(errors)
    task = DeploymentTask.objects.create(meeting=meeting, text=text, due_date=due, created_by=actor)
    task.responsible.set(units)
    return task


@transaction.atomic
def task_progress_report(
    *, actor, task: DeploymentTask, district: District, text: str, done: bool
) -> TaskProgress:
    """One unit's report on a task. A unit may add notes after reporting it done; whether it
    is done is always what its latest report says, so a unit can also reopen its part."""
    # Locked, so two reports on one task are stored in the order they were made.
    task = DeploymentTask.objects.select_for_update().get(pk=task.pk)
    if not may_report_progress(actor, task, district):
        raise PermissionDenied(_("Only a responsible unit's clerk reports progress on its part."))
    errors: dict[str, list[str]] = {}
    text = _checked_text(text, empty=_("Say what has been done."), errors=errors)
    if errors:
        raise ValidationError(errors)
    return TaskProgress.objects.create(
        task=task, district=district, text=text, done=bool(done), reported_by=actor
    )
