"""Writes: the review workflow of a district's return for a period.

draft → submitted (by the district's clerk) → approved (by a reviewer), or returned to the
clerk with a written reason; after publishing, a reviewer may reopen an approved return with
a reason. Every step records who and when, on the return and in the history of each figure.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from accounts.access import may_review, may_submit_return
from districts.checks import needs_justification
from districts.importing.history import HISTORY_COLUMNS, tracked_columns
from districts.models import (
    DataReturn,
    District,
    PeriodDeadline,
    ReturnStatus,
    Value,
    ValueStatus,
)
from districts.periods import Period
from districts.selectors.checks import value_warnings

REASON_MAX = 1000


def _locked_return(district: District, period: str) -> DataReturn:
    data_return, _created = DataReturn.objects.get_or_create(district=district, period=period)
    return DataReturn.objects.select_for_update().get(pk=data_return.pk)


def _values(district: District, period: str):
    return Value.objects.select_for_update().filter(district=district, period=period)


def _set_status(values, status: str, *, user, reason: str) -> int:
    values = list(values)
    for value in values:
        value.status = status
    bulk_update_with_history(
        values, Value, ["status"], default_user=user, default_change_reason=reason[:100]
    )
    return len(values)


def _save_return(data_return: DataReturn, *, user, reason: str) -> None:
    data_return._history_user = user
    data_return._change_reason = reason[:100]
    data_return.save()


def _written_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Write the reason; the clerk reads it.")})
    if len(reason) > REASON_MAX:
        raise ValidationError(
            {"reason": _("A reason holds at most %(limit)d characters.") % {"limit": REASON_MAX}}
        )
    return reason


@transaction.atomic
def return_submit(*, user, district: District, period: Period) -> DataReturn:
    """The clerk hands the period's figures to the bureau.

    Refused when there is nothing to submit, or a figure the soft checks flag has no
    justification (the message names each one).
    """
    if not may_submit_return(user, district):
        raise PermissionDenied(_("Only the district's clerks submit its return."))
    data_return = _locked_return(district, period.code)
    if data_return.status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED):
        raise ValidationError(
            _("This return is already %(status)s.") % {"status": data_return.get_status_display()}
        )
    values = list(
        _values(district, period.code)
        .exclude(status=ValueStatus.APPROVED)
        .select_related("indicator", "district")
    )
    if not values:
        raise ValidationError(_("There is no figure to submit for this period."))
    warnings = value_warnings(values=values)
    unexplained = [
        v for v in values if needs_justification(warnings.get(v.pk, []), v.justification)
    ]
    if unexplained:
        raise ValidationError(
            {
                "justification": [
                    _("%(indicator)s: the checks flag %(value)s; explain it before submitting.")
                    % {"indicator": v.indicator.display_name, "value": v.value.normalize()}
                    for v in unexplained
                ]
            }
        )
    now = timezone.now()
    _set_status(values, ValueStatus.SUBMITTED, user=user, reason="submitted")
    data_return.status = ReturnStatus.SUBMITTED
    data_return.submitted_at, data_return.submitted_by = now, user
    data_return.first_submitted_at = data_return.first_submitted_at or now
    _save_return(data_return, user=user, reason="submitted")
    return data_return


@transaction.atomic
def return_approve(*, user, district: District, period: Period) -> DataReturn:
    """A reviewer approves the whole submitted return: races read its figures from now on."""
    if not may_review(user):
        raise PermissionDenied(_("Only reviewers approve returns."))
    data_return = _locked_return(district, period.code)
    if data_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted return can be approved."))
    _set_status(
        _values(district, period.code).filter(status=ValueStatus.SUBMITTED),
        ValueStatus.APPROVED,
        user=user,
        reason="approved",
    )
    data_return.status = ReturnStatus.APPROVED
    data_return.reviewed_at, data_return.reviewed_by = timezone.now(), user
    data_return.reason = ""
    _save_return(data_return, user=user, reason="approved")
    return data_return


@transaction.atomic
def return_send_back(*, user, district: District, period: Period, reason: str) -> DataReturn:
    """A reviewer returns the submitted figures to the clerk, saying why."""
    if not may_review(user):
        raise PermissionDenied(_("Only reviewers return a submission."))
    text = _written_reason(reason)
    data_return = _locked_return(district, period.code)
    if data_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted return can be returned."))
    _set_status(
        _values(district, period.code).filter(status=ValueStatus.SUBMITTED),
        ValueStatus.RETURNED,
        user=user,
        reason=f"returned: {text}",
    )
    data_return.status = ReturnStatus.RETURNED
    data_return.reviewed_at, data_return.reviewed_by = timezone.now(), user
    data_return.reason = text
    _save_return(data_return, user=user, reason=f"returned: {text}")
    return data_return


@transaction.atomic
def return_reopen(*, user, district: District, period: Period, reason: str) -> DataReturn:
    """A reviewer unlocks a published return so its figures can be corrected.

    The figures stay approved (the race keeps reading them) until one is changed; publishing
    again afterwards adds a revision.
    """
    if not may_review(user):
        raise PermissionDenied(_("Only reviewers reopen a return."))
    text = _written_reason(reason)
    data_return = _locked_return(district, period.code)
    locked = list(_values(district, period.code).filter(locked=True))
    # Figures loaded before returns were kept (or by an import) can be published without an
    # approved return on record: what a publication locked can always be reopened.
    if data_return.status not in (ReturnStatus.APPROVED, ReturnStatus.SUBMITTED) and not locked:
        raise ValidationError(_("Only an approved return can be reopened."))
    for value in locked:
        value.locked = False
    bulk_update_with_history(
        locked,
        Value,
        ["locked"],
        default_user=user,
        default_change_reason=f"reopened: {text}"[:100],
    )
    data_return.status = ReturnStatus.REOPENED
    data_return.reviewed_at, data_return.reviewed_by = timezone.now(), user
    data_return.reason = text
    _save_return(data_return, user=user, reason=f"reopened: {text}")
    return data_return


@transaction.atomic
def values_lock(*, values: QuerySet[Value], user=None) -> int:
    """Lock the approved figures a publication used, so they cannot change under it.

    ``values`` selects them (a national race cites over 110,000). Returns how many were
    locked now; those locked already are left as they are.
    """
    to_lock = values.filter(status=ValueStatus.APPROVED, locked=False)
    if connection.vendor == "postgresql":
        return _values_lock_in_database(to_lock, user=user)
    locked = list(to_lock.select_for_update())
    for value in locked:
        value.locked = True
    # One UPDATE … WHERE id IN (…) rather than bulk_update's CASE with an arm per value,
    # whose cost grows with the square of their number; the history in bulk, as
    # bulk_update_with_history would write it.
    Value.objects.filter(pk__in=[value.pk for value in locked]).update(locked=True)
    Value.history.bulk_history_create(
        locked, update=True, default_user=user, default_change_reason=PUBLISHED_REASON
    )
    return len(locked)


PUBLISHED_REASON = "published"


def _values_lock_in_database(to_lock: QuerySet[Value], *, user) -> int:
    """One statement: the UPDATE returns the locked rows and their history records are
    inserted from them, with the columns, user, date, reason and type django-simple-history
    gives a change ("~"). Nothing crosses to Python but the count."""
    quote = connection.ops.quote_name
    tracked = [quote(column) for column in tracked_columns(Value)]
    table = quote(Value._meta.db_table)
    selected, params = to_lock.values("pk").query.sql_with_params()
    update = (
        f"UPDATE {table} SET {quote('locked')} = true WHERE {quote('id')} IN ({selected}) "
        f"AND {quote('locked')} = false"
    )
    with connection.cursor() as cursor:
        if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
            cursor.execute(update, params)
            return cursor.rowcount
        historical = quote(Value.history.model._meta.db_table)
        columns = ", ".join([*tracked, *map(quote, HISTORY_COLUMNS)])
        cursor.execute(
            f"WITH locked AS ({update} RETURNING {', '.join(tracked)}) "
            f"INSERT INTO {historical} ({columns}) "
            f"SELECT {', '.join(tracked)}, %s, %s, %s, %s FROM locked",
            [*params, timezone.now(), PUBLISHED_REASON, "~", user.pk if user else None],
        )
        return cursor.rowcount


@transaction.atomic
def deadline_set(*, user, period: Period, due: date) -> PeriodDeadline:
    """The bureau sets when every district's return for a period is due."""
    if not may_review(user):
        raise PermissionDenied(_("Only the bureau sets deadlines."))
    deadline, _created = PeriodDeadline.objects.update_or_create(
        period=period.code, defaults={"due": due}
    )
    return deadline
