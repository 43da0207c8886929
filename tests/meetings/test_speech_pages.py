"""The speech pages: choosing speakers, writing a speech, downloading its file; every role."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse

from accounts.roles import Role
from meetings.models import Meeting, MeetingStatus, Speech, SpeechAttachment
from meetings.selectors.speeches import meeting_speeches
from meetings.services.speeches import speech_submit
from tests.factories import DistrictFactory
from tests.meetings.test_speeches import TINY_PDF, pdf

BUREAU = {Role.ADMINISTRATOR, Role.REVIEWER}


@pytest.fixture
def meeting(published, users):
    meeting = Meeting.objects.create(
        title="Q2 horse-race meeting",
        period=published.latest_period.code,
        date=date(2025, 7, 10),
        created_by=users[Role.REVIEWER],
    )
    meeting.races.set([published.race])
    return meeting


@pytest.fixture
def speech(meeting, published):
    """The speech of the clerk's unit, with a PDF attached."""
    speech = Speech.objects.create(
        meeting=meeting, district=published.districts[0], order=1, reason="First in the race"
    )
    return speech


@pytest.fixture
def with_file(speech, users):
    speech_submit(
        author=users[Role.CLERK],
        speech=speech,
        title="How we rose",
        body="We **doubled** investment.",
        attachment=pdf('长春 speech "final".pdf'),
    )
    return speech


def held(meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)


# Choosing the speakers


@pytest.mark.parametrize("role", list(Role))
def test_only_the_bureau_opens_the_speakers_page(client_for, meeting, role):
    response = client_for(role).get(reverse("meetings:speakers", args=[meeting.pk]))
    assert response.status_code == (200 if role in BUREAU else 403)


def test_the_speakers_page_offers_the_suggestions_with_their_reasons(client_for, meeting):
    page = client_for(Role.REVIEWER).get(reverse("meetings:speakers", args=[meeting.pk]))
    text = page.content.decode()
    assert "First in Group" in text
    assert "Yellow flag in Group" in text
    assert 'name="speaker"' in text


def test_the_bureau_saves_the_speakers_in_the_order_given(client_for, meeting, published):
    first, second = published.districts[1], published.districts[2]
    response = client_for(Role.REVIEWER).post(
        reverse("meetings:speakers", args=[meeting.pk]),
        {
            "speaker": [str(first.pk), str(second.pk)],
            f"reason-{first.pk}": "Up 2 places",
            f"order-{first.pk}": "2",
            f"reason-{second.pk}": "Yellow flag",
            f"order-{second.pk}": "1",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:meeting", args=[meeting.pk])
    assert list(meeting.speeches.values_list("district_id", "reason")) == [
        (second.pk, "Yellow flag"),
        (first.pk, "Up 2 places"),
    ]


@pytest.mark.parametrize(
    ("post", "named"),
    [
        ({"speaker": ["nonsense"]}, "Speakers:"),
        ({"speaker": ["999999"]}, "Speakers:"),
        ({"speaker": ["{unit}"], "order-{unit}": "first"}, "Order of"),
    ],
)
def test_bad_speaker_input_is_named_not_a_500(client_for, meeting, published, post, named):
    unit = str(published.districts[0].pk)
    data = {
        key.replace("{unit}", unit): [v.replace("{unit}", unit) for v in value]
        if isinstance(value, list)
        else value
        for key, value in post.items()
    }
    response = client_for(Role.REVIEWER).post(reverse("meetings:speakers", args=[meeting.pk]), data)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert not meeting.speeches.exists()


def test_a_unit_of_another_group_cannot_be_slipped_in(client_for, meeting):
    stranger = DistrictFactory()
    response = client_for(Role.REVIEWER).post(
        reverse("meetings:speakers", args=[meeting.pk]), {"speaker": [str(stranger.pk)]}
    )
    assert response.status_code == 400
    assert not meeting.speeches.exists()


def test_dropping_a_unit_that_submitted_is_refused_with_its_name(client_for, meeting, with_file):
    response = client_for(Role.REVIEWER).post(reverse("meetings:speakers", args=[meeting.pk]), {})
    assert response.status_code == 400
    assert with_file.district.name_en in response.content.decode()
    assert meeting.speeches.count() == 1


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICIAL, Role.VIEWER])
def test_others_cannot_post_the_speakers(client_for, meeting, published, role):
    response = client_for(role).post(
        reverse("meetings:speakers", args=[meeting.pk]),
        {"speaker": [str(published.districts[0].pk)]},
    )
    assert response.status_code == 403
    assert not meeting.speeches.exists()


def test_missing_meetings_and_speeches_are_not_found(client_for):
    reader = client_for(Role.ADMINISTRATOR)
    assert reader.get(reverse("meetings:speakers", args=[999999])).status_code == 404
    assert reader.get(reverse("meetings:speech", args=[999999])).status_code == 404
    assert reader.get(reverse("meetings:speech-attachment", args=[999999])).status_code == 404


# The speech page


@pytest.mark.parametrize(
    ("role", "status", "form"),
    [
        (Role.ADMINISTRATOR, 200, True),
        (Role.REVIEWER, 200, True),
        (Role.CLERK, 200, True),
        (Role.OFFICIAL, 200, False),  # leaders read a planned meeting, but do not write
        (Role.VIEWER, 403, False),  # a planned meeting is not yet the viewer's to read
    ],
)
def test_who_sees_a_planned_meetings_speech_and_who_may_write_it(
    client_for, speech, role, status, form
):
    response = client_for(role).get(reverse("meetings:speech", args=[speech.pk]))
    assert response.status_code == status
    assert ('enctype="multipart/form-data"' in response.content.decode()) is form


def test_a_viewer_reads_a_held_meetings_speech_without_a_form(client_for, meeting, with_file):
    held(meeting)
    response = client_for(Role.VIEWER).get(reverse("meetings:speech", args=[with_file.pk]))
    text = response.content.decode()
    assert response.status_code == 200
    assert "<strong>doubled</strong>" in text
    assert '<form method="post" enctype' not in text
    assert reverse("meetings:speech-attachment", args=[with_file.pk]) in text


def test_the_clerk_submits_the_speech_with_a_file(client_for, speech):
    response = client_for(Role.CLERK).post(
        reverse("meetings:speech", args=[speech.pk]),
        {"title": "Our quarter", "body": "Text.", "attachment": pdf()},
    )
    assert response.status_code == 302
    speech.refresh_from_db()
    assert speech.is_submitted
    assert SpeechAttachment.objects.get(speech=speech).name == "speech.pdf"


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER])
def test_others_cannot_post_a_speech(client_for, speech, role):
    response = client_for(role).post(
        reverse("meetings:speech", args=[speech.pk]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 403
    speech.refresh_from_db()
    assert not speech.is_submitted


def test_a_clerk_of_another_unit_cannot_post_the_speech(client_for, meeting, published, users):
    other = Speech.objects.create(meeting=meeting, district=published.districts[1], order=2)
    Speech.objects.create(meeting=meeting, district=published.districts[0], order=1)
    response = client_for(Role.CLERK).post(
        reverse("meetings:speech", args=[other.pk]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("post", "named"),
    [
        ({"title": "", "body": "Text."}, "Title:"),
        ({"title": "T", "body": ""}, "Speech:"),
        (
            {
                "title": "T",
                "body": "",
                "attachment": SimpleUploadedFile("speech.pdf", b"plain text"),
            },
            "Attachment:",
        ),
    ],
)
def test_bad_speech_input_is_named_not_a_500(client_for, speech, post, named):
    response = client_for(Role.CLERK).post(reverse("meetings:speech", args=[speech.pk]), post)
    assert response.status_code == 400
    assert named in response.content.decode()


def test_after_the_minutes_the_clerk_reads_without_a_form(client_for, with_file, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.MINUTES_PUBLISHED)
    reader = client_for(Role.CLERK)
    page = reader.get(reverse("meetings:speech", args=[with_file.pk]))
    assert 'enctype="multipart/form-data"' not in page.content.decode()
    response = reader.post(
        reverse("meetings:speech", args=[with_file.pk]), {"title": "T", "body": "B"}
    )
    assert response.status_code == 403


# The attachment


def test_an_anonymous_visitor_is_sent_to_sign_in_and_never_gets_the_file(client, with_file):
    response = client.get(reverse("meetings:speech-attachment", args=[with_file.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert TINY_PDF not in response.content


def test_a_viewer_of_a_planned_meeting_gets_403(client_for, with_file):
    response = client_for(Role.VIEWER).get(
        reverse("meetings:speech-attachment", args=[with_file.pk])
    )
    assert response.status_code == 403
    assert TINY_PDF not in response.content


@pytest.mark.parametrize("role", list(Role))
def test_every_reader_of_a_held_meeting_downloads_the_file_safely(
    client_for, meeting, with_file, role
):
    held(meeting)
    response = client_for(role).get(reverse("meetings:speech-attachment", args=[with_file.pk]))
    assert response.status_code == 200
    assert response.content == TINY_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert "filename*=utf-8''" in disposition
    assert '"' not in disposition.split("filename*=", 1)[1]


def test_a_speech_without_a_file_has_no_download(client_for, speech):
    response = client_for(Role.REVIEWER).get(
        reverse("meetings:speech-attachment", args=[speech.pk])
    )
    assert response.status_code == 404


# The agenda's section


def test_the_agenda_section_shows_each_unit_its_reason_and_the_speech(
    meeting, published, with_file, users, rf
):
    Speech.objects.create(
        meeting=meeting, district=published.districts[1], order=2, reason="Yellow flag"
    )
    request = rf.get("/")
    request.user = users[Role.CLERK]
    html = render_to_string(
        "meetings/_speeches_section.html",
        {"meeting": meeting, "speeches": meeting_speeches(meeting, users[Role.CLERK])},
        request=request,
    )
    assert "First in the race" in html and "Yellow flag" in html
    assert "How we rose" in html and "<strong>doubled</strong>" in html
    assert "Not yet submitted." in html
    assert reverse("meetings:speech-attachment", args=[with_file.pk]) in html
    # The clerk may edit their own unit's speech, not the other unit's.
    assert html.count("/meetings/speech/") == 2
    assert reverse("meetings:speech", args=[with_file.pk]) + '"' in html
    assert "Choose the speaking units" not in html and "Change the speaking units" not in html


def test_the_bureau_is_offered_to_change_the_speakers_from_the_agenda(meeting, speech, users, rf):
    request = rf.get("/")
    request.user = users[Role.REVIEWER]
    html = render_to_string(
        "meetings/_speeches_section.html",
        {
            "meeting": meeting,
            "speeches": meeting_speeches(meeting, users[Role.REVIEWER]),
            "may_choose_speakers": True,
        },
        request=request,
    )
    assert reverse("meetings:speakers", args=[meeting.pk]) in html


@pytest.mark.parametrize("name", ["meetings:speech", "meetings:speech-attachment"])
def test_anonymous_visitors_are_sent_to_sign_in_from_every_speech_page(client, with_file, name):
    assert client.get(reverse(name, args=[with_file.pk])).status_code == 302
    assert client.post(reverse(name, args=[with_file.pk]), {"title": "X"}).status_code == 302
    response = client.get(reverse("meetings:speakers", args=[with_file.meeting_id]))
    assert response.status_code == 302
    with_file.refresh_from_db()
    assert with_file.title == "How we rose"
