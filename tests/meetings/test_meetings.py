"""Planning a meeting, recording it held, publishing its minutes; comments made at it."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document

from accounts.roles import Role
from comments.models import Comment
from comments.services import meeting_comment_post
from meetings.minutes_docx import minutes_docx
from meetings.models import DeploymentTask, MeetingStatus, Speech
from meetings.selectors.meetings import meeting_minutes, meetings_visible
from meetings.services.meetings import (
    meeting_create,
    meeting_mark_held,
    meeting_update,
    minutes_publish,
)
from tests.builders import user_with_role

DATE = datetime.date(2025, 7, 15)


@pytest.fixture
def meeting(published, users):
    return meeting_create(
        actor=users[Role.REVIEWER],
        title="2025 Q2 horse-race meeting",
        period=published.latest_period.code,
        races=[published.race],
        date=DATE,
    )


def test_the_bureau_plans_a_meeting_of_a_period_over_its_races(meeting, published):
    assert meeting.status == MeetingStatus.PLANNED
    assert meeting.period == published.latest_period.code
    assert list(meeting.races.all()) == [published.race]


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CLERK, Role.VIEWER])
def test_only_the_bureau_plans_meetings(published, users, role):
    with pytest.raises(PermissionDenied):
        meeting_create(
            actor=users[role], title="x", period="2025Q2", races=[published.race], date=DATE
        )


def test_every_bad_field_is_named_at_once(published, users):
    with pytest.raises(ValidationError) as error:
        meeting_create(
            actor=users[Role.REVIEWER],
            title="  \u200b ",
            period="2025Q9",
            races=[],
            date="tomorrow",
            form="radio",
        )
    assert set(error.value.message_dict) == {"title", "period", "races", "date", "form"}


def test_a_held_meeting_keeps_its_period_and_races(meeting, users, published):
    reviewer = users[Role.REVIEWER]
    meeting_mark_held(actor=reviewer, meeting=meeting, attendance="Mayor\nBureau")
    with pytest.raises(ValidationError) as error:
        meeting_update(
            actor=reviewer,
            meeting=meeting,
            title="Renamed",
            period=published.periods[0].code,
            races=[published.race],
            date=DATE,
            form="video",
        )
    assert "period" in error.value.message_dict
    meeting_update(
        actor=reviewer,
        meeting=meeting,
        title="Renamed",
        period=meeting.period,
        races=[published.race],
        date=DATE,
        form="on_site",
    )
    meeting.refresh_from_db()
    assert (meeting.title, meeting.form) == ("Renamed", "on_site")


def test_minutes_follow_holding_and_close_the_record(meeting, users, published):
    reviewer = users[Role.REVIEWER]
    with pytest.raises(ValidationError):
        minutes_publish(actor=reviewer, meeting=meeting)
    meeting_mark_held(actor=reviewer, meeting=meeting, attendance="")
    minutes_publish(actor=reviewer, meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.MINUTES_PUBLISHED
    assert meeting.minutes_published_by == reviewer
    with pytest.raises(ValidationError):
        minutes_publish(actor=reviewer, meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_mark_held(actor=reviewer, meeting=meeting, attendance="late")
    with pytest.raises(PermissionDenied):
        meeting_comment_post(author=users[Role.OFFICIAL], meeting=meeting, body="Too late")


def test_a_planned_meeting_is_seen_by_the_bureau_leaders_and_its_own_units_only(
    meeting, users, published
):
    assert meeting in meetings_visible(users[Role.REVIEWER])
    assert meeting in meetings_visible(users[Role.OFFICIAL])
    assert meeting not in meetings_visible(users[Role.VIEWER])
    clerk = users[Role.CLERK]
    assert meeting not in meetings_visible(clerk)
    Speech.objects.create(meeting=meeting, district=published.districts[0])
    assert meeting in meetings_visible(clerk)
    other_clerk = user_with_role(Role.CLERK, username="other", districts=[published.districts[1]])
    assert meeting not in meetings_visible(other_clerk)
    meeting_mark_held(actor=users[Role.REVIEWER], meeting=meeting, attendance="")
    assert meeting in meetings_visible(users[Role.VIEWER])


def test_a_leader_comments_on_the_whole_meeting_a_race_or_a_unit(meeting, users, published):
    official = users[Role.OFFICIAL]
    whole = meeting_comment_post(author=official, meeting=meeting, body="Look at the quarter.")
    assert (whole.race, whole.meeting, whole.period) == (None, meeting, meeting.period)
    about_unit = meeting_comment_post(
        author=official,
        meeting=meeting,
        body="Catch up.",
        race=published.race,
        district=published.districts[2],
    )
    # A comment on a race at the meeting is also one of the race's comments.
    assert Comment.objects.filter(race=published.race, period=meeting.period).get() == about_unit


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.CLERK, Role.VIEWER])
def test_only_leaders_comment_at_a_meeting(meeting, users, role):
    with pytest.raises(PermissionDenied):
        meeting_comment_post(author=users[role], meeting=meeting, body="x")


def test_a_comment_on_a_race_not_on_the_agenda_or_a_unit_without_race_is_refused(
    meeting, users, published
):
    from tests.builders import build_published_race

    other = build_published_race(code="other-race")
    official = users[Role.OFFICIAL]
    with pytest.raises(ValidationError) as error:
        meeting_comment_post(author=official, meeting=meeting, body="x", race=other.race)
    assert "race" in error.value.message_dict
    with pytest.raises(ValidationError):
        meeting_comment_post(
            author=official, meeting=meeting, body="x", district=published.districts[0]
        )
    with pytest.raises(ValidationError) as error:
        meeting_comment_post(
            author=official,
            meeting=meeting,
            body="x",
            race=published.race,
            district=other.districts[0],
        )
    assert "district" in error.value.message_dict
    assert not Comment.objects.exists()


def test_the_minutes_hold_the_results_speeches_comments_and_tasks(meeting, users, published):
    first = published.districts[0]
    Speech.objects.create(
        meeting=meeting,
        district=first,
        title="How we rose",
        body="We built.",
        body_html="<p>We built.</p>",
    )
    meeting_comment_post(author=users[Role.OFFICIAL], meeting=meeting, body="Keep going.")
    task = DeploymentTask.objects.create(
        meeting=meeting,
        text="Bring projects forward",
        due_date=datetime.date(2025, 9, 30),
        created_by=users[Role.OFFICIAL],
    )
    task.responsible.set(published.districts[:2])
    meeting = meeting_mark_held(
        actor=users[Role.REVIEWER], meeting=meeting, attendance="Mayor\n\nBureau "
    )
    minutes = meeting_minutes(meeting=meeting)
    assert minutes.attendance == ["Mayor", "Bureau"]
    assert [s.unit for s in minutes.speeches] == [first.display_name]
    assert [c.body for c in minutes.comments] == ["Keep going."]
    assert minutes.tasks[0].units == ", ".join(d.display_name for d in published.districts[:2])
    publication = published.publications[-1]
    assert len(minutes.notice.races[0].rows) == publication.standings.count()

    document = Document(io.BytesIO(minutes_docx(minutes, chinese=False)))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    assert "How we rose" in text and "Keep going." in text
    assert {d.display_name for d in published.districts} <= cells
    assert "Bring projects forward" in cells
