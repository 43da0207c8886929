"""Illustrative rectification items for the demo: some closed, some open, one returned.

Every plan's text says it is illustrative. Idempotent: items already given a plan are left.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth import get_user_model

from districts.periods import Period
from meetings.models import RectificationItem, RectificationStatus
from meetings.services.rectification import (
    plan_accept,
    plan_return,
    plan_submit,
    rectification_items_from_publication,
)
from rankings.models import Publication

CAUSES = "Illustrative demo text: investment projects started later than planned."
MEASURES = (
    "Illustrative demo text: a weekly project schedule, two projects brought forward, "
    "a named leader for each lagging indicator."
)


def load_demo_rectifications() -> int:
    """Items for every current demo publication's yellow flags, with illustrative plans.

    Items of the earlier quarters alternate closed and open (open ones carry over); in the
    latest quarter one plan waits for a decision and one was returned for more.
    """
    users = get_user_model().objects
    reviewer, official = users.get(username="reviewer"), users.get(username="official")
    publications = sorted(
        Publication.objects.filter(superseded_at__isnull=True).select_related("race"),
        key=lambda p: (Period.parse(p.period), p.race.code),
    )
    for publication in publications:
        rectification_items_from_publication(publication=publication)
    periods = sorted({Period.parse(p.period) for p in publications})
    if not periods:
        return 0
    latest = periods[-1].code
    fresh = RectificationItem.objects.filter(
        status=RectificationStatus.AWAITING_PLAN, causes=""
    ).order_by("period", "race__code", "district__code")
    latest_done = 0
    for n, item in enumerate(fresh):
        period = Period.parse(item.period)
        # A month after the quarter the flag was published in.
        deadline = date(period.year, period.end_month, 28) + timedelta(days=120)
        if item.period != latest:
            if n % 2:
                continue  # left open: it carries over
            plan_submit(
                item=item, user=reviewer, causes=CAUSES, measures=MEASURES, deadline=deadline
            )
            plan_accept(item=item, user=official, remark="Illustrative demo: accepted.")
        elif latest_done < 2:
            plan_submit(
                item=item, user=reviewer, causes=CAUSES, measures=MEASURES, deadline=deadline
            )
            if latest_done == 1:
                plan_return(
                    item=item,
                    user=official,
                    remark="Illustrative demo: name the projects and their dates.",
                )
            latest_done += 1
    return RectificationItem.objects.count()
