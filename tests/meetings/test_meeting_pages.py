"""The meeting pages: who may open and do what, bad input named, the minutes and notices."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from docx import Document

from accounts.roles import Role
from comments.models import Comment
from meetings.models import Meeting, MeetingStatus
from meetings.services.meetings import meeting_create, meeting_mark_held, minutes_publish

BUREAU = [Role.ADMINISTRATOR, Role.REVIEWER]
NOT_BUREAU = [Role.OFFICIAL, Role.CLERK, Role.VIEWER]


@pytest.fixture
def meeting(published, users):
    return meeting_create(
        actor=users[Role.REVIEWER],
        title="Q2 meeting",
        period=published.latest_period.code,
        races=[published.race],
        date=datetime.date(2025, 7, 15),
    )


@pytest.fixture
def held(meeting, users):
    return meeting_mark_held(actor=users[Role.REVIEWER], meeting=meeting, attendance="Mayor")


def _plan(published, **changes):
    data = {
        "title": "Q3 meeting",
        "period": published.latest_period.code,
        "races": [published.race.pk],
        "date": "2025-10-15",
        "form": "on_site",
    }
    data.update(changes)
    return data


def test_an_anonymous_visitor_is_sent_to_sign_in_everywhere(client, held):
    for name in ("meeting", "minutes", "minutes-docx", "meeting-notice", "meeting-notice-docx"):
        response = client.get(reverse(f"meetings:{name}", args=[held.pk]))
        assert response.status_code == 302, name
        assert "/accounts/login/" in response["Location"]
    assert client.get(reverse("meetings:list")).status_code == 302


@pytest.mark.parametrize("role", BUREAU)
def test_the_bureau_plans_a_meeting_from_the_form(client_for, published, role):
    response = client_for(role).post(reverse("meetings:new"), _plan(published))
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])
    assert meeting.form == "on_site"


@pytest.mark.parametrize("role", NOT_BUREAU)
def test_no_one_else_may_plan_edit_hold_or_publish(client_for, published, meeting, role):
    client = client_for(role)
    assert client.post(reverse("meetings:new"), _plan(published)).status_code == 403
    assert (
        client.post(reverse("meetings:edit", args=[meeting.pk]), _plan(published)).status_code
        == 403
    )
    assert client.post(reverse("meetings:held", args=[meeting.pk]), {}).status_code == 403
    assert client.post(reverse("meetings:publish-minutes", args=[meeting.pk])).status_code == 403
    meeting.refresh_from_db()
    assert (meeting.title, meeting.status) == ("Q2 meeting", MeetingStatus.PLANNED)


def test_bad_plan_input_is_named_on_the_form(client_for, published):
    response = client_for(Role.REVIEWER).post(
        reverse("meetings:new"), _plan(published, period="2025Q9", races=[], date="soon")
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"period", "races", "date"}
    assert not Meeting.objects.exists()


def test_a_planned_meeting_is_hidden_from_viewers_until_held(client_for, meeting, users):
    viewer = client_for(Role.VIEWER)
    assert viewer.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 403
    assert "Q2 meeting" not in viewer.get(reverse("meetings:list")).content.decode()
    meeting_mark_held(actor=users[Role.REVIEWER], meeting=meeting, attendance="")
    assert viewer.get(reverse("meetings:meeting", args=[meeting.pk])).status_code == 200
    assert "Q2 meeting" in viewer.get(reverse("meetings:list")).content.decode()


def test_a_missing_meeting_is_404(client_for):
    assert client_for(Role.REVIEWER).get(reverse("meetings:meeting", args=[999])).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_a_held_meeting_with_its_results(client_for, held, published, role):
    page = client_for(role).get(reverse("meetings:meeting", args=[held.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for district in published.districts:
        assert f'data-district="{district.code}"' in html
    may_comment = role in (Role.OFFICIAL, Role.ADMINISTRATOR)
    assert ('id="write"' in html) == may_comment


def test_an_official_comments_at_the_meeting_and_it_is_shown(client_for, held, published):
    official = client_for(Role.OFFICIAL)
    subject = f"district:{published.race.code}:{published.districts[1].code}"
    response = official.post(
        reverse("meetings:meeting", args=[held.pk]), {"concerning": subject, "body": "Do more."}
    )
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    assert (comment.meeting, comment.district) == (held, published.districts[1])
    page = official.get(reverse("meetings:meeting", args=[held.pk])).content.decode()
    assert "Do more." in page


def test_a_forged_comment_subject_is_named_not_a_500(client_for, held):
    response = client_for(Role.OFFICIAL).post(
        reverse("meetings:meeting", args=[held.pk]), {"concerning": "district:x:y", "body": "x"}
    )
    assert response.status_code == 200
    assert "concerning" in response.context["comment_form"].errors
    assert not Comment.objects.exists()


@pytest.mark.parametrize("role", [Role.VIEWER, Role.CLERK, Role.REVIEWER])
def test_others_cannot_post_a_comment_at_the_meeting(client_for, held, role):
    response = client_for(role).post(
        reverse("meetings:meeting", args=[held.pk]), {"concerning": "meeting", "body": "x"}
    )
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_minutes_are_a_draft_for_the_bureau_and_hidden_from_others_until_published(
    client_for, held, users
):
    url = reverse("meetings:minutes", args=[held.pk])
    assert client_for(Role.VIEWER).get(url).status_code == 404
    assert "Draft" in client_for(Role.REVIEWER).get(url).content.decode()
    response = client_for(Role.REVIEWER).post(reverse("meetings:publish-minutes", args=[held.pk]))
    assert response.status_code == 302
    page = client_for(Role.VIEWER).get(url)
    assert page.status_code == 200
    assert "Draft" not in page.content.decode()


def test_the_viewer_downloads_the_minutes_and_notice_in_chinese(client_for, held, users, published):
    minutes_publish(actor=users[Role.REVIEWER], meeting=held)
    viewer = client_for(Role.VIEWER)
    viewer.cookies["django_language"] = "zh-hans"
    for name in ("minutes-docx", "meeting-notice-docx"):
        response = viewer.get(reverse(f"meetings:{name}", args=[held.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].endswith('-zh.docx"')
        document = Document(io.BytesIO(response.content))
        cells = {c.text for t in document.tables for r in t.rows for c in r.cells}
        assert {d.display_name for d in published.districts} <= cells
        headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
        assert any(h.startswith("一、") for h in headings), headings


def test_publishing_minutes_twice_says_so(client_for, held, users):
    minutes_publish(actor=users[Role.REVIEWER], meeting=held)
    client = client_for(Role.REVIEWER)
    response = client.post(reverse("meetings:publish-minutes", args=[held.pk]), follow=True)
    assert "already published" in response.content.decode()
