"""The demo's review cycle: every published quarter approved on record (some returns late),
and the quarter after the last one in progress, so the entry pages have something to show.

Illustrative, like every demo figure: the statuses, dates and reasons are invented.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Case, When
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from districts.models import (
    DataReturn,
    District,
    Indicator,
    PeriodDeadline,
    ReturnStatus,
    Value,
    ValueStatus,
)
from districts.periods import Period, PeriodKind

DEMO_RETURN_SEED = "saima-demo-returns-v1"
RETURNED_REASON = "示例：请核实固定资产投资增速 (illustrative: please check the investment growth)"


def deadline_of(period: Period) -> date:
    """Returns are due on the 15th day of the month after the quarter ends."""
    month = period.end_month % 12 + 1
    year = period.year + (1 if month == 1 else 0)
    return date(year, month, 15)


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour=hour)))


def load_demo_returns(
    *,
    districts: list[District],
    quarters: list[Period],
    reviewer,
    note: str,
    seed: str = DEMO_RETURN_SEED,
) -> int:
    """Approved returns with deadlines for the published quarters; idempotent."""
    rng = random.Random(seed)
    count = 0
    for period in quarters:
        due = deadline_of(period)
        PeriodDeadline.objects.update_or_create(period=period.code, defaults={"due": due})
        for district in districts:
            # Most returns come in during the week before the deadline; a few are late.
            offset = rng.choice([-6, -4, -3, -2, -1, -1, 0, 2])
            submitted = _at(due + timedelta(days=offset), 16)
            DataReturn.objects.update_or_create(
                district=district,
                period=period.code,
                defaults={
                    "status": ReturnStatus.APPROVED,
                    "first_submitted_at": submitted,
                    "submitted_at": submitted,
                    "reviewed_at": submitted + timedelta(days=1),
                    "reviewed_by": reviewer,
                },
            )
            count += 1
    return count


def load_demo_in_progress(
    *,
    districts: list[District],
    indicators: dict[str, Indicator],
    last: Period,
    clerk_district: str,
    note: str,
) -> Period:
    """The quarter after ``last``: some returns drafted, submitted, approved or returned."""
    period = last.next()
    PeriodDeadline.objects.update_or_create(
        period=period.code, defaults={"due": deadline_of(period)}
    )
    rng = random.Random(f"{DEMO_RETURN_SEED}-{period.code}")
    # A figure entered monthly in ``last`` (its quarter rolled up) goes on from the quarter's
    # last month: the same year-to-date figure the race reads for the quarter.
    closing_month = last.parts(PeriodKind.MONTH)[-1]
    earlier = {
        (v.district_id, v.indicator_id): v
        for v in Value.objects.filter(
            district__in=districts, period__in=[closing_month.code, last.code]
        ).order_by(Case(When(period=last.code, then=0), default=1).desc())
    }
    taken = set(
        Value.objects.filter(district__in=districts, period=period.code).values_list(
            "district_id", "indicator_id"
        )
    )
    states = [None, ReturnStatus.DRAFT, ReturnStatus.SUBMITTED, ReturnStatus.APPROVED]
    to_create = []
    for index, district in enumerate(districts):
        state = states[index % len(states)]
        if district.code == clerk_district:
            state = ReturnStatus.RETURNED  # the demo clerk has a return to correct
        if state is None:
            continue
        value_status = {
            ReturnStatus.DRAFT: ValueStatus.DRAFT,
            ReturnStatus.SUBMITTED: ValueStatus.SUBMITTED,
            ReturnStatus.APPROVED: ValueStatus.APPROVED,
            ReturnStatus.RETURNED: ValueStatus.RETURNED,
        }[state]
        for indicator in indicators.values():
            base = earlier.get((district.pk, indicator.pk))
            if base is None:
                continue
            # A year-to-date figure grows by the quarter's share; a rate moves a little.
            factor = (
                Decimal("1.33") if indicator.cumulative else Decimal(str(rng.uniform(0.9, 1.1)))
            )
            # Drawn before skipping a figure already there, so that the draws of the others
            # do not depend on which figures an earlier run (or a person) entered.
            if (district.pk, indicator.pk) in taken:
                continue
            figure = (base.value * factor).quantize(Decimal(1).scaleb(-indicator.decimals))
            if indicator.max_value is not None:
                figure = min(figure, indicator.max_value)  # a rate of 100 % stays at most 100 %
            to_create.append(
                Value(
                    district=district,
                    indicator=indicator,
                    period=period.code,
                    value=figure,
                    target=base.target,
                    note=note,
                    status=value_status,
                )
            )
        submitted = state in (ReturnStatus.SUBMITTED, ReturnStatus.APPROVED, ReturnStatus.RETURNED)
        when = _at(deadline_of(last) + timedelta(days=70 + index), 10) if submitted else None
        DataReturn.objects.update_or_create(
            district=district,
            period=period.code,
            defaults={
                "status": state,
                "first_submitted_at": when,
                "submitted_at": when,
                "reviewed_at": when + timedelta(days=1)
                if when and state != ReturnStatus.SUBMITTED
                else None,
                "reason": RETURNED_REASON if state == ReturnStatus.RETURNED else "",
            },
        )
    bulk_create_with_history(to_create, Value, default_change_reason="demo")
    return period
