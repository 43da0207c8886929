"""The demo's monthly reviews: month figures for the latest two complete months, consistent
with the quarters', a monthly review of each demo race on both, and an official's comments."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from comments.models import Comment
from demo.city import DEMO_NOTE, demo_quarters
from demo.months import demo_months
from districts.models import Indicator, Value, ValueStatus
from districts.periods import Period, PeriodKind
from meetings.demo import DEMO_RACES
from meetings.models import Meeting, RectificationItem
from rankings.models import Publication

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def on_a_development_machine(settings):
    settings.DEBUG = True


def test_the_months_are_the_latest_two_complete_ones_within_the_demo_quarters():
    last = Period.parse("2026Q3")
    assert [m.code for m in demo_months(last_quarter=last, today=date(2026, 11, 29))] == [
        "2026-09",
        "2026-10",
    ]
    assert [m.code for m in demo_months(last_quarter=last, today=date(2026, 10, 2))] == [
        "2026-08",
        "2026-09",
    ]
    # Later, the months stay where the quarters' figures can carry them.
    assert [m.code for m in demo_months(last_quarter=last, today=date(2027, 5, 1))] == [
        "2026-09",
        "2026-10",
    ]


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    return demo_months(last_quarter=demo_quarters()[-1])


def test_each_demo_race_has_a_monthly_review_of_the_latest_two_months(demo):
    reviews = Publication.objects.filter(period__in=[m.code for m in demo])
    assert sorted(reviews.values_list("race__code", "period")) == sorted(
        (race, month.code) for race in DEMO_RACES for month in demo
    )
    assert all(review.is_monthly_review and review.is_current for review in reviews)
    for review in reviews:
        assert review.standings.filter(rank__isnull=False).count() == (
            review.race.group.districts.count()
        )
    # Lighter than the race: no rectification items, no meeting.
    assert not RectificationItem.objects.filter(period__in=[m.code for m in demo]).exists()
    assert not Meeting.objects.filter(period__in=[m.code for m in demo]).exists()


def test_every_month_figure_is_approved_illustrative_and_agrees_with_the_quarter(demo):
    september, october = demo
    quarter = september.within(PeriodKind.QUARTER)
    months = Value.objects.filter(period__in=[m.code for m in demo])
    quarter_values = Value.objects.filter(period=quarter.code, note=DEMO_NOTE)
    # Every unit reports every indicator of its race, as in the quarter before.
    reported = Value.objects.filter(period=quarter.previous().code, note=DEMO_NOTE)
    assert months.count() == 2 * reported.count()
    assert not months.exclude(note=DEMO_NOTE).exists()
    assert not months.exclude(status=ValueStatus.APPROVED).exists()
    by_key = {(v.district_id, v.indicator_id): v for v in quarter_values}
    septembers = {(v.district_id, v.indicator_id): v for v in months.filter(period=september.code)}
    for key, value in septembers.items():
        # The month that closes the quarter is the quarter's year to date; the quarter's
        # year-to-date figures are entered by month only (test_demo_rolled_up_quarter.py).
        if key in by_key:
            assert (value.value, value.target) == (by_key[key].value, by_key[key].target)
    cumulative = set(Indicator.objects.filter(cumulative=True).values_list("pk", flat=True))
    assert not quarter_values.filter(indicator_id__in=cumulative).exists()
    for value in months.filter(period=october.code, indicator_id__in=cumulative):
        base = septembers[(value.district_id, value.indicator_id)]
        assert value.value >= base.value  # a year to date only grows
        assert value.target == base.target


def test_an_official_has_commented_on_the_latest_review(demo):
    comments = Comment.objects.filter(period=demo[-1].code)
    assert comments.count() == 2
    assert all(c.body.startswith("Illustrative demo comment") for c in comments)
    assert {c.author.username for c in comments} == {"official"}
    assert {c.race.code for c in comments} == {DEMO_RACES[0]}


def test_loading_again_adds_no_review_revision_or_comment(demo, django_capture_on_commit_callbacks):
    before = (
        sorted(Publication.objects.values_list("race__code", "period", "revision")),
        sorted(Comment.objects.values_list("pk", "body")),
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", verbosity=0)
    after = (
        sorted(Publication.objects.values_list("race__code", "period", "revision")),
        sorted(Comment.objects.values_list("pk", "body")),
    )
    assert after == before
