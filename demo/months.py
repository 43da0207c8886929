"""The demo's monthly reviews (月点评): month figures, a review of each demo race, comments.

For the latest two complete months the demo enters a figure for every indicator it enters
quarterly, drawn from the quarter's figures so that the two agree: the month that closes a
quarter repeats the quarter's year-to-date figure, a month after it goes on at the same pace.
Every figure is invented (the demo's illustrative note), as the quarters' are. Each demo race
is then published on both months (a monthly review) and an official comments on the latest.
Loading again changes nothing: figures are compared before they are written, publishing
unchanged inputs adds no revision, and a comment already there is not posted again.

The year-to-date figures of the latest demo quarter are entered month by month instead of for
the quarter (``entered_months``): the race rolls the quarter up from its last month (the
indicators' ``roll_up`` is ``last``, docs/periods.md), so its standings are the same figures.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal

from comments.models import Comment
from comments.services import comment_post
from districts.models import District, Indicator, RollUpKind
from districts.periods import Period, PeriodKind
from rankings.models import Race, Standing
from rankings.services.publishing import standings_publish

DEMO_MONTHS = 2
MONTH_SEED = "saima-demo-months-v1"
# Counts of tasks cannot be done more often than they were set (demo.departments).
AT_MOST_TARGET = {"key_tasks_done"}

Figure = tuple[District, Indicator, Period, float, Decimal | None]

REVIEW_COMMENT = (
    "Illustrative demo comment on the monthly review: investment attracted is behind the "
    "year elapsed in several units; keep the weekly project schedule through the quarter."
)
DISTRICT_COMMENT = (
    "Illustrative demo comment: this unit slipped in the month; its leader should name the "
    "lagging indicators at the next weekly schedule."
)


def demo_months(*, last_quarter: Period, today: date | None = None) -> list[Period]:
    """The two latest complete months before ``today`` (the real date unless given), no later
    than the month after the demo's last quarter: month figures are drawn from the quarters',
    and the demo has none after its last."""
    today = today or date.today()
    latest = Period(today.year, PeriodKind.MONTH, today.month).previous()
    after_quarters = last_quarter.parts(PeriodKind.MONTH)[-1].next()
    latest = min(latest, after_quarters)
    months = [latest]
    while len(months) < DEMO_MONTHS:
        months.insert(0, months[0].previous())
    return months


def _base_quarter(month: Period) -> Period:
    """The quarter a month's figure is drawn from: the one it closes, else the one before."""
    quarter = month.within(PeriodKind.QUARTER)
    return quarter if quarter.end_month == month.number else quarter.previous()


def month_figures(*, quarter_figures: Iterable[Figure], months: list[Period]) -> Iterator[Figure]:
    """Each month's (unit, indicator, month, figure, annual target) from the quarters'.

    Year-to-date amounts grow with the share of the year elapsed at the unit's own pace of the
    quarter, a little up or down; rates (growth, shares, intensity) move a little. A month that
    closes a quarter takes the quarter's figure as it is: both are the year to date then.
    """
    by_key = {
        (district.pk, indicator.pk, period): (district, indicator, number, target)
        for district, indicator, period, number, target in quarter_figures
    }
    rng = random.Random(MONTH_SEED)
    for month in months:
        base = _base_quarter(month)
        for (_d, _i, period), (district, indicator, number, target) in by_key.items():
            if period != base:
                continue
            # Drawn for every figure, so that one figure's draw never depends on another's.
            step = rng.uniform(0.96, 1.06)
            drift = rng.gauss(0, 0.03)
            if month.end_month == base.end_month and month.year == base.year:
                figure = number
            elif indicator.cumulative:
                figure = number / base.year_share * month.year_share * step
                if indicator.code in AT_MOST_TARGET and target is not None:
                    figure = min(figure, float(target))
                if month.year != base.year:
                    target = None  # a new year's target is not known yet
            else:
                figure = number * (1 + drift)
            if indicator.min_value is not None:
                figure = max(figure, float(indicator.min_value))
            if indicator.max_value is not None:
                figure = min(figure, float(indicator.max_value))
            yield district, indicator, month, figure, target


def entered_monthly(indicator: Indicator, period: Period, quarters: Iterable[Period]) -> bool:
    """Whether the demo enters ``indicator`` month by month in ``period``, one of ``quarters``
    (the quarters it converts), instead of for the quarter: its year-to-date figures, which
    races roll up from the quarter's last month."""
    return period in quarters and indicator.roll_up == RollUpKind.LAST


def entered_months(
    *, quarter_figures: Iterable[Figure], quarters: list[Period]
) -> Iterator[Figure]:
    """The months of each of ``quarters`` for the figures it enters monthly (``entered_monthly``).

    The quarter's last month is the quarter's figure, as it is (both are the year to date
    then), so that the rolled-up quarter ranks as the entered one did. Each month before is a
    little below the next at the pace of the year elapsed, so a year to date never falls.
    """
    rng = random.Random(f"{MONTH_SEED}-entered")
    for district, indicator, period, number, target in quarter_figures:
        if not entered_monthly(indicator, period, quarters):
            continue
        months = period.parts(PeriodKind.MONTH)
        figures = [number]
        for month, later in zip(reversed(months[:-1]), reversed(months[1:]), strict=True):
            figures.insert(
                0, figures[0] / later.year_share * month.year_share * rng.uniform(0.95, 1.0)
            )
        for month, figure in zip(months, figures, strict=True):
            yield district, indicator, month, figure, target


def load_demo_monthly_reviews(*, races: Iterable[Race], months: list[Period], publisher) -> int:
    """Publish each race on each month, oldest first (so a month's rank change has a base)."""
    count = 0
    for race in races:
        for month in months:
            standings_publish(race=race, period=month, user=publisher)
            count += 1
    return count


def load_demo_review_comments(*, race: Race, month: Period, official) -> int:
    """An official's illustrative comments on the monthly review of ``race`` for ``month``:
    one on the whole review, one on the unit ranked last. Each is posted once."""
    last = (
        Standing.objects.filter(
            publication__race=race,
            publication__period=month.code,
            publication__superseded_at__isnull=True,
            rank__isnull=False,
        )
        .select_related("district")
        .order_by("-rank", "district__code")
        .first()
    )
    wanted = [(REVIEW_COMMENT, None)]
    if last is not None:
        wanted.append((DISTRICT_COMMENT, last.district))
    posted = 0
    for body, district in wanted:
        # Compared by its opening words: the text as stored is the text posted, cleaned.
        if Comment.objects.filter(
            race=race, period=month.code, body__startswith=body[:60]
        ).exists():
            continue
        comment_post(author=official, race=race, period=month, body=body, district=district)
        posted += 1
    return posted
