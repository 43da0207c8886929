"""The demo's meetings: one per published quarter, as in the seed article, all illustrative."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from comments.models import Comment, CommentEvent
from districts.models import District
from meetings.demo import SEED_SPEAKERS, load_demo_meetings
from meetings.models import Meeting, MeetingStatus
from meetings.selectors.tasks import overdue_tasks_for_district
from rankings.models import Publication, is_monthly_review


@pytest.fixture
def demo(db):
    call_command("load_demo", "--force", verbosity=0)


def test_every_published_quarter_has_a_held_meeting_with_the_seed_speakers(demo):
    # Quarters only: the demo's monthly reviews are reported at no meeting.
    periods = {
        period
        for period in Publication.objects.filter(superseded_at__isnull=True).values_list(
            "period", flat=True
        )
        if not is_monthly_review(period)
    }
    meetings = list(Meeting.objects.order_by("date"))
    assert {m.period for m in meetings} == periods
    for meeting in meetings:
        assert "illustrative" in meeting.title
        assert meeting.date <= datetime.date.today()
        assert meeting.races.count() == 3
        assert [s.district.code for s in meeting.speeches.order_by("order")] == SEED_SPEAKERS
        assert all(s.is_submitted and "Illustrative" in s.body for s in meeting.speeches.all())
        comments = Comment.objects.filter(meeting=meeting)
        assert comments.count() == 2 and all("Illustrative" in c.body for c in comments)
        assert meeting.tasks.count() == 2
    assert [m.status for m in meetings[:-1]] == [MeetingStatus.MINUTES_PUBLISHED] * (
        len(meetings) - 1
    )
    assert meetings[-1].status == MeetingStatus.HELD


def test_the_demo_clerks_unit_has_an_overdue_task_to_show(demo):
    # Lüyuan District, the demo clerk's unit, is left behind on one task of every meeting.
    luyuan = District.objects.get(code="220106")
    assert overdue_tasks_for_district(luyuan, datetime.date.today())


def test_no_meeting_is_made_for_a_date_still_to_come(db):
    call_command("load_demo", "--force", verbosity=0)
    at_meetings = Comment.objects.filter(meeting__isnull=False)
    CommentEvent.objects.filter(comment__in=at_meetings).delete()
    at_meetings.delete()
    Meeting.objects.all().delete()
    load_demo_meetings(today=datetime.date(2025, 1, 1))
    assert not Meeting.objects.exists()


def test_loading_again_adds_no_meeting(demo):
    before = Meeting.objects.count()
    call_command("load_demo", "--force", verbosity=0)
    assert Meeting.objects.count() == before
