"""Writes: rectification (整改) items from published yellow flags, and their plans."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import clerk_district_ids, is_bureau
from accounts.roles import Role, roles_of
from districts.periods import Period
from meetings.models import RectificationItem, RectificationStatus
from rankings.models import Publication

YELLOW = "yellow"
MAX_TEXT = 5000


def may_submit_plan(user, item: RectificationItem) -> bool:
    """A unit's clerk writes its own unit's plan; the bureau may for any unit."""
    if not user.is_authenticated or not item.is_open:
        return False
    if item.status == RectificationStatus.SUBMITTED:
        return False  # waiting for a decision
    return is_bureau(user) or (
        Role.CLERK in roles_of(user) and item.district_id in clerk_district_ids(user)
    )


def may_decide(user, item: RectificationItem) -> bool:
    """Officials accept or return a submitted plan; so do reviewers and administrators."""
    if not user.is_authenticated or item.status != RectificationStatus.SUBMITTED:
        return False
    return is_bureau(user) or Role.OFFICIAL in roles_of(user)


@transaction.atomic
def rectification_items_from_publication(*, publication: Publication) -> list[RectificationItem]:
    """An item for every unit the publication flags yellow; called after a publication commits.

    A new revision of the same period finds the items already there (one per race, period and
    unit) and only points them at itself: no duplicates. A unit flagged while an item of an
    earlier period is still open gets its new item marked as flagged again.

    A monthly review makes no items: it is a lighter publication, and rectification follows
    the quarterly race only.
    """
    if publication.is_monthly_review:
        return []
    # Values, not instances: `only("district_id")` defers the key itself, and reading it
    # back cost a query per standing (2,844 queries, 2.7 s, after a national publish).
    flagged = [
        district_id
        for district_id, flags in publication.standings.order_by().values_list(
            "district_id", "flags"
        )
        if YELLOW in (flags or [])
    ]
    items = []
    this_period = Period.parse(publication.period)
    for district_id in flagged:
        earlier = [
            item
            for item in RectificationItem.objects.filter(
                race_id=publication.race_id, district_id=district_id
            )
            .exclude(status=RectificationStatus.CLOSED)
            .exclude(period=publication.period)
            if Period.parse(item.period) < this_period
        ]
        earlier.sort(key=lambda item: Period.parse(item.period))
        item, created = RectificationItem.objects.get_or_create(
            race_id=publication.race_id,
            period=publication.period,
            district_id=district_id,
            defaults={
                "publication": publication,
                "repeat_of": earlier[-1] if earlier else None,
            },
        )
        if not created and item.publication_id != publication.pk:
            item.publication = publication
            item.save(update_fields=["publication"])
        items.append(item)
    return items


@dataclass(frozen=True)
class Plan:
    causes: str
    measures: str
    deadline: date | None


def plan_clean(*, causes: str, measures: str, deadline: str | date | None) -> Plan:
    """The plan's fields checked; a ValidationError names each bad field."""
    errors = {}
    causes = (causes or "").strip()
    measures = (measures or "").strip()
    if not causes:
        errors["causes"] = _("Give the causes.")
    elif len(causes) > MAX_TEXT:
        errors["causes"] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    if not measures:
        errors["measures"] = _("Give the measures.")
    elif len(measures) > MAX_TEXT:
        errors["measures"] = _("At most %(n)d characters.") % {"n": MAX_TEXT}
    day = None
    if isinstance(deadline, date):
        day = deadline
    elif deadline:
        try:
            day = date.fromisoformat(str(deadline).strip())
        except ValueError:
            errors["deadline"] = _("Give the deadline as YYYY-MM-DD.")
    else:
        errors["deadline"] = _("Give the deadline.")
    if errors:
        raise ValidationError(errors)
    return Plan(causes, measures, day)


@transaction.atomic
def plan_submit(*, item: RectificationItem, user, causes, measures, deadline) -> RectificationItem:
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not may_submit_plan(user, item):
        raise PermissionDenied
    plan = plan_clean(causes=causes, measures=measures, deadline=deadline)
    item.causes, item.measures, item.deadline = plan.causes, plan.measures, plan.deadline
    item.status = RectificationStatus.SUBMITTED
    item.submitted_at = timezone.now()
    item.submitted_by = user
    item.save()
    return item


@transaction.atomic
def plan_accept(*, item: RectificationItem, user, remark: str = "") -> RectificationItem:
    """Accepting the plan closes the item."""
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not may_decide(user, item):
        raise PermissionDenied
    item.status = RectificationStatus.CLOSED
    item.remark = (remark or "").strip()[:MAX_TEXT]
    item.decided_at = timezone.now()
    item.decided_by = user
    item.save()
    return item


@transaction.atomic
def plan_return(*, item: RectificationItem, user, remark: str) -> RectificationItem:
    """Asking for more sends the plan back to the clerk with a remark saying what is missing."""
    item = RectificationItem.objects.select_for_update().get(pk=item.pk)
    if not may_decide(user, item):
        raise PermissionDenied
    remark = (remark or "").strip()
    if not remark:
        raise ValidationError({"remark": _("Say what the plan still needs.")})
    item.status = RectificationStatus.RETURNED
    item.remark = remark[:MAX_TEXT]
    item.decided_at = timezone.now()
    item.decided_by = user
    item.save()
    return item
