"""Writes: the bureau escalates a problem raised in a weekly report and records its resolution.

Each write asks accounts.access, as the pages do, and records who acted and when (the history
keeps every earlier state).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import may_manage_projects
from pages.text import visible_text
from projects.models import Problem, ProblemStatus
from projects.services.reports import week_checked

MAX_RESOLUTION = 2000


def _locked(problem: Problem, user) -> Problem:
    if not may_manage_projects(user):
        raise PermissionDenied(_("Only the bureau escalates and resolves projects' problems."))
    # Locked, so two reviewers acting at once leave one consistent state.
    return Problem.objects.select_for_update().get(pk=problem.pk)


@transaction.atomic
def problem_escalate(*, user, problem: Problem) -> Problem:
    """Mark an open problem as escalated to the city's coordination."""
    problem = _locked(problem, user)
    if problem.status != ProblemStatus.OPEN:
        raise ValidationError(
            _("Only an open problem can be escalated; this one is %(status)s.")
            % {"status": problem.get_status_display()}
        )
    problem.status = ProblemStatus.ESCALATED
    problem.escalated_at = timezone.now()
    problem.escalated_by = user
    problem.save()
    return problem


@transaction.atomic
def problem_resolve(
    *, user, problem: Problem, resolution: str, week: str, today: datetime.date | None = None
) -> Problem:
    """Record how and in which week a problem (open or escalated) was resolved."""
    problem = _locked(problem, user)
    errors: dict[str, list[str]] = {}
    if problem.status == ProblemStatus.RESOLVED:
        errors.setdefault("__all__", []).append(_("This problem is already resolved."))
    text = visible_text(resolution)
    if not text:
        errors.setdefault("resolution", []).append(_("Say how the problem was resolved."))
    elif len(text) > MAX_RESOLUTION:
        errors.setdefault("resolution", []).append(
            _("At most %(limit)d characters.") % {"limit": MAX_RESOLUTION}
        )
    period = None
    try:
        period = week_checked(week, today=today)
    except ValidationError as error:
        errors.setdefault("week", []).extend(error.message_dict["week"])
    if period is not None and period.code < problem.raised_week:
        errors.setdefault("week", []).append(
            _("A problem cannot be resolved before the week it was raised (%(week)s).")
            % {"week": problem.raised_week}
        )
    if errors:
        raise ValidationError(errors)
    problem.status = ProblemStatus.RESOLVED
    problem.resolution = text
    problem.resolved_week = period.code
    problem.resolved_at = timezone.now()
    problem.resolved_by = user
    problem.save()
    return problem
