"""Writes: entering and correcting one figure, the way every entry path does it.

The admin form, the period grid and the review pages all save through ``value_save``: the
same access rule, the same hard checks, the same lock and conflict rules, and a history
record with who, when, old and new, and why.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.access import may_enter_values
from districts.models import DataReturn, District, Indicator, ReturnStatus, Value, ValueStatus
from districts.periods import Period
from districts.validation import figure_problems


class ValueConflict(ValidationError):
    """Someone else saved the figure after this editor opened it."""


def _with_history(record, *, user, reason: str):
    # django-simple-history reads these when it writes the historical row of this save.
    record._history_user = user
    record._change_reason = reason[:100]
    return record


@transaction.atomic
def value_save(
    *,
    user,
    district: District,
    indicator: Indicator,
    period: str,
    value: Decimal | None,
    target: Decimal | None = None,
    note: str = "",
    justification: str = "",
    expected_version: int | None = None,
    reason: str = "",
) -> Value:
    """Create or change one figure; a figure created or changed is a draft again.

    Raises PermissionDenied for a user who may not enter the district's figures,
    ValidationError naming the field for a figure that breaks a hard rule or is locked by a
    publication, and ValueConflict when ``expected_version`` is stale.
    """
    if not may_enter_values(user, district):
        raise PermissionDenied(_("You may enter figures for your own districts only."))
    problems = figure_problems(indicator=indicator, period_code=period, value=value, target=target)
    if problems:
        raise ValidationError(problems)
    code = Period.parse(period).code
    existing = (
        Value.objects.select_for_update()
        .filter(district=district, indicator=indicator, period=code)
        .first()
    )
    fields = {"value": value, "target": target, "note": note, "justification": justification}
    if existing is None:
        record = Value(district=district, indicator=indicator, period=code, **fields)
        record.entered_by = user
        _with_history(record, user=user, reason=reason or "entered")
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError as error:
            # Someone created the same figure between our read and our write.
            raise ValueConflict(
                _(
                    "Someone entered this figure while you were typing yours. Reload to see "
                    "it, then enter yours again if it is still right."
                )
            ) from error
    else:
        if expected_version is not None and existing.version != expected_version:
            raise ValueConflict(
                _(
                    "%(who)s saved this figure after you opened it (now %(value)s). "
                    "Reload to see it, then enter yours again if it is still right."
                )
                % {
                    "who": existing.entered_by or _("someone"),
                    "value": existing.value.normalize(),
                }
            )
        if all(getattr(existing, name) == new for name, new in fields.items()):
            return existing
        if existing.locked:
            raise ValidationError(
                {
                    "value": _(
                        "This figure is used by a published race and locked; a reviewer "
                        "reopens the return to correct it."
                    )
                }
            )
        for name, new in fields.items():
            setattr(existing, name, new)
        existing.status = ValueStatus.DRAFT
        existing.version += 1
        existing.entered_by = user
        record = _with_history(existing, user=user, reason=reason or "changed")
        record.save()
    _return_back_to_draft(district=district, period=code, user=user)
    return record


def _return_back_to_draft(*, district: District, period: str, user) -> None:
    """A changed figure must be submitted and reviewed again with the rest of its return."""
    data_return, created = DataReturn.objects.get_or_create(district=district, period=period)
    if not created and data_return.status in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED):
        data_return.status = ReturnStatus.DRAFT
        _with_history(data_return, user=user, reason="a figure changed")
        data_return.save()
