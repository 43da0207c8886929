"""Exchange speeches (交流发言): suggested speakers, choosing them, and each unit's speech."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import docx
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from accounts.access import clerk_district_ids
from accounts.roles import Role
from districts.models import DistrictKind
from meetings.models import Meeting, MeetingStatus, Speech, SpeechAttachment
from meetings.selectors.speeches import meeting_speeches, speaker_suggestions
from meetings.services import speeches as speech_services
from meetings.services.speeches import DOCX_TYPE, PDF_TYPE, speakers_set, speech_submit
from tests.builders import build_published_race
from tests.factories import DistrictFactory

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf(name="speech.pdf", content=TINY_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def word_document(text="Our quarter.") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def make_meeting(published, user, *, status=MeetingStatus.PLANNED, period=None, races=None):
    meeting = Meeting.objects.create(
        title="Q2 horse-race meeting",
        period=period or published.latest_period.code,
        date=date(2025, 7, 10),
        status=status,
        created_by=user,
    )
    meeting.races.set(races or [published.race])
    return meeting


def standings_of(publication):
    return list(publication.standings.select_related("district").order_by("rank"))


@pytest.fixture
def meeting(published, users):
    return make_meeting(published, users[Role.REVIEWER])


@pytest.fixture
def speech(meeting, published):
    """The speech of the clerk's unit (the clerk of the users fixture looks after it)."""
    return Speech.objects.create(meeting=meeting, district=published.districts[0], order=1)


# Suggestions


def test_the_leader_the_biggest_riser_and_the_yellow_flag_are_suggested_with_reasons(
    meeting, published
):
    standings = standings_of(published.publications[-1])
    leader = standings[0]
    riser = max((s for s in standings if (s.rank_change or 0) > 0), key=lambda s: s.rank_change)
    (yellow,) = [s for s in standings if "yellow" in s.flags]
    suggestions = {s.district.pk: s for s in speaker_suggestions(meeting)}
    group = published.group.name_en
    assert f"First in {group}" in suggestions[leader.district_id].reasons
    assert f"Up {riser.rank_change} places in {group}" in suggestions[riser.district_id].reasons
    assert suggestions[yellow.district_id].reasons == [f"Yellow flag in {group}"]


def test_a_unit_suggested_twice_appears_once_with_both_reasons(meeting, published):
    # In the fixture's second quarter the leader is also the biggest riser (up 2).
    standings = standings_of(published.publications[-1])
    assert standings[0].rank_change == max(s.rank_change or 0 for s in standings)
    suggestions = speaker_suggestions(meeting)
    assert len({s.district.pk for s in suggestions}) == len(suggestions)
    (leader,) = [s for s in suggestions if s.district.pk == standings[0].district_id]
    assert len(leader.reasons) == 2
    assert leader.reason == "; ".join(leader.reasons)


def test_every_race_of_the_meeting_is_looked_at_departments_included(published, users):
    departments = build_published_race(code="departments", districts=3, periods=1)
    for unit in departments.districts:
        unit.kind = DistrictKind.DEPARTMENT
        unit.save()
    meeting = make_meeting(
        published,
        users[Role.REVIEWER],
        period="2025Q1",
        races=[published.race, departments.race],
    )
    suggested = {s.district.pk for s in speaker_suggestions(meeting)}
    first = standings_of(departments.publications[0])[0]
    assert first.district_id in suggested
    assert suggested & {d.pk for d in published.districts}
    # The first quarter has no previous one: nobody rose, so nobody is up.
    reasons = [r for s in speaker_suggestions(meeting) for r in s.reasons]
    assert not [r for r in reasons if r.startswith("Up ")]


def test_the_reasons_read_in_the_readers_language(meeting, published):
    with translation.override("zh-hans"):
        reasons = [r for s in speaker_suggestions(meeting) for r in s.reasons]
    assert f"{published.group.name}第一名" in reasons
    assert f"{published.group.name}黄旗" in reasons


def test_a_race_not_yet_published_for_the_period_suggests_nobody(published, users):
    meeting = make_meeting(published, users[Role.REVIEWER], period="2026Q1")
    assert speaker_suggestions(meeting) == []


# Choosing the speakers


def test_the_bureau_sets_the_speakers_in_order_with_their_reasons(meeting, published, users):
    first, second = published.districts[2], published.districts[1]
    speakers_set(
        actor=users[Role.REVIEWER],
        meeting=meeting,
        speakers=[(first, "First in the race"), (second, " Up\u200b 2 places ")],
    )
    speeches = list(meeting.speeches.order_by("order"))
    assert [(s.district_id, s.order, s.reason) for s in speeches] == [
        (first.pk, 1, "First in the race"),
        (second.pk, 2, "Up 2 places"),
    ]


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICIAL, Role.VIEWER])
def test_only_the_bureau_chooses_the_speakers(meeting, published, users, role):
    with pytest.raises(PermissionDenied):
        speakers_set(actor=users[role], meeting=meeting, speakers=[(published.districts[0], "")])
    assert not meeting.speeches.exists()


def test_a_unit_outside_the_meetings_races_is_refused_by_name(meeting, users):
    stranger = DistrictFactory(name_en="Faraway County")
    with pytest.raises(ValidationError) as error:
        speakers_set(actor=users[Role.REVIEWER], meeting=meeting, speakers=[(stranger, "")])
    assert "Faraway County" in error.value.message_dict["speakers"][0]


def test_a_unit_listed_twice_or_with_a_long_reason_is_refused(meeting, published, users):
    unit = published.districts[0]
    with pytest.raises(ValidationError, match="listed twice"):
        speakers_set(actor=users[Role.REVIEWER], meeting=meeting, speakers=[(unit, ""), (unit, "")])
    with pytest.raises(ValidationError, match="at most 300"):
        speakers_set(actor=users[Role.REVIEWER], meeting=meeting, speakers=[(unit, "x" * 301)])


def test_units_kept_keep_their_speech_and_units_dropped_lose_an_unsubmitted_one(
    meeting, published, users
):
    kept, dropped = published.districts[0], published.districts[1]
    speakers_set(actor=users[Role.REVIEWER], meeting=meeting, speakers=[(kept, ""), (dropped, "")])
    meeting.speeches.filter(district=kept).update(title="Kept", body="Our draft.")
    speakers_set(
        actor=users[Role.REVIEWER],
        meeting=meeting,
        speakers=[(published.districts[3], ""), (kept, "")],
    )
    speech = meeting.speeches.get(district=kept)
    assert (speech.title, speech.body, speech.order) == ("Kept", "Our draft.", 2)
    assert not meeting.speeches.filter(district=dropped).exists()


def test_a_unit_that_submitted_its_speech_cannot_be_dropped(meeting, speech, published, users):
    speech_submit(author=users[Role.CLERK], speech=speech, title="Our quarter", body="Text.")
    with pytest.raises(ValidationError) as error:
        speakers_set(
            actor=users[Role.REVIEWER], meeting=meeting, speakers=[(published.districts[1], "")]
        )
    assert speech.district.name_en in error.value.message_dict["speakers"][0]
    assert list(meeting.speeches.values_list("district_id", flat=True)) == [speech.district_id]


def test_the_speakers_are_fixed_once_the_minutes_are_published(published, users):
    meeting = make_meeting(published, users[Role.REVIEWER], status=MeetingStatus.MINUTES_PUBLISHED)
    with pytest.raises(ValidationError, match="minutes are published"):
        speakers_set(
            actor=users[Role.REVIEWER], meeting=meeting, speakers=[(published.districts[0], "")]
        )


# Writing the speech


def test_the_units_clerk_submits_the_speech_rendered_as_markdown(speech, users):
    speech_submit(
        author=users[Role.CLERK],
        speech=speech,
        title="How we \u202erose",
        body="We **doubled** investment.\n\n<script>alert(1)</script>",
    )
    speech.refresh_from_db()
    assert speech.title == "How we rose"
    assert "<strong>doubled</strong>" in speech.body_html
    assert "<script>" not in speech.body_html
    assert speech.is_submitted and speech.submitted_by == users[Role.CLERK]


def test_the_bureau_may_write_a_units_speech(speech, users):
    speech_submit(author=users[Role.REVIEWER], speech=speech, title="T", body="B")
    speech.refresh_from_db()
    assert speech.submitted_by == users[Role.REVIEWER]


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER])
def test_readers_who_are_not_the_units_clerk_cannot_write_it(speech, users, role):
    with pytest.raises(PermissionDenied):
        speech_submit(author=users[role], speech=speech, title="T", body="B")


def test_another_units_clerk_cannot_write_it(meeting, published, users):
    other = Speech.objects.create(meeting=meeting, district=published.districts[1])
    with pytest.raises(PermissionDenied):
        speech_submit(author=users[Role.CLERK], speech=other, title="T", body="B")
    other.refresh_from_db()
    assert not other.is_submitted


def test_nobody_writes_a_speech_after_the_minutes(speech, users):
    Meeting.objects.filter(pk=speech.meeting_id).update(status=MeetingStatus.MINUTES_PUBLISHED)
    speech.refresh_from_db()
    for role in (Role.CLERK, Role.REVIEWER, Role.ADMINISTRATOR):
        with pytest.raises(PermissionDenied):
            speech_submit(author=users[role], speech=speech, title="T", body="B")


@pytest.mark.parametrize(
    ("title", "body", "field"),
    [
        ("", "Text.", "title"),
        ("x" * 201, "Text.", "title"),
        ("Title", "x" * 20_001, "body"),
        ("Title", "  \u200b ", "body"),  # neither text nor a file
    ],
)
def test_a_bad_title_or_body_is_named(speech, users, title, body, field):
    with pytest.raises(ValidationError) as error:
        speech_submit(author=users[Role.CLERK], speech=speech, title=title, body=body)
    assert field in error.value.message_dict
    speech.refresh_from_db()
    assert not speech.is_submitted


# The attachment


def test_a_real_pdf_is_accepted_and_stored_with_its_digest(speech, users):
    speech_submit(
        author=users[Role.CLERK], speech=speech, title="T", body="", attachment=pdf("发言.pdf")
    )
    attachment = SpeechAttachment.objects.get(speech=speech)
    assert (attachment.name, attachment.content_type, attachment.size) == (
        "发言.pdf",
        PDF_TYPE,
        len(TINY_PDF),
    )
    assert len(attachment.sha256) == 64
    assert bytes(attachment.content) == TINY_PDF


def test_a_docx_made_by_word_processing_software_is_accepted(speech, users):
    upload = SimpleUploadedFile("speech.docx", word_document(), content_type="application/zip")
    speech_submit(author=users[Role.CLERK], speech=speech, title="T", body="", attachment=upload)
    assert SpeechAttachment.objects.get(speech=speech).content_type == DOCX_TYPE


@pytest.mark.parametrize(
    "content",
    [
        b"This is plain text, whatever its name says.",
        b"PK\x03\x04 not really a zip",
        b"",
    ],
)
def test_a_file_that_is_neither_pdf_nor_docx_is_refused_whatever_its_name(speech, users, content):
    with pytest.raises(ValidationError) as error:
        speech_submit(
            author=users[Role.CLERK],
            speech=speech,
            title="T",
            body="Text.",
            attachment=pdf("speech.pdf", content),
        )
    assert "attachment" in error.value.message_dict
    assert not SpeechAttachment.objects.exists()


def test_a_zip_without_a_word_document_is_refused(speech, users):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")
    upload = SimpleUploadedFile("speech.docx", buffer.getvalue())
    with pytest.raises(ValidationError, match="neither"):
        speech_submit(
            author=users[Role.CLERK], speech=speech, title="T", body="", attachment=upload
        )


def test_a_zip_bomb_is_refused_without_being_unpacked(speech, users, monkeypatch):
    monkeypatch.setattr(speech_services, "MAX_DOCX_UNPACKED_BYTES", 1_000_000)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w/>")
        archive.writestr("word/media/zeros.bin", b"\0" * 2_000_000)
    assert len(buffer.getvalue()) < 10_000
    upload = SimpleUploadedFile("speech.docx", buffer.getvalue())
    with pytest.raises(ValidationError, match="neither"):
        speech_submit(
            author=users[Role.CLERK], speech=speech, title="T", body="", attachment=upload
        )


def test_a_file_over_the_size_limit_is_refused(speech, users, settings):
    settings.SAIMA_SPEECH_ATTACHMENT_MAX_BYTES = 100
    with pytest.raises(ValidationError) as error:
        speech_submit(author=users[Role.CLERK], speech=speech, title="T", body="", attachment=pdf())
    assert "larger than" in error.value.message_dict["attachment"][0]


@pytest.mark.parametrize(
    ("uploaded", "stored"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\me\\Speech.PDF", "Speech.pdf"),
        ("bad\x00\x1f\u202ename.pdf", "badname.pdf"),
        ("speech.docx", "speech.docx.pdf"),  # named as a DOCX, but it is a PDF
        ("...", "speech.pdf"),
        ("x" * 300 + ".pdf", "x" * 196 + ".pdf"),
    ],
)
def test_the_file_name_is_made_safe(speech, users, uploaded, stored):
    speech_submit(
        author=users[Role.CLERK], speech=speech, title="T", body="", attachment=pdf(uploaded)
    )
    assert SpeechAttachment.objects.get(speech=speech).name == stored


def test_a_refused_submission_changes_nothing(speech, users):
    speech_submit(author=users[Role.CLERK], speech=speech, title="First", body="", attachment=pdf())
    with pytest.raises(ValidationError):
        speech_submit(
            author=users[Role.CLERK], speech=speech, title="Second", body="", remove_attachment=True
        )
    with pytest.raises(ValidationError):
        speech_submit(
            author=users[Role.CLERK],
            speech=speech,
            title="Third",
            body="Text",
            attachment=pdf(content=b"not a pdf"),
        )
    speech.refresh_from_db()
    assert speech.title == "First"
    assert SpeechAttachment.objects.get(speech=speech).size == len(TINY_PDF)


def test_an_attachment_can_be_replaced_or_removed(speech, users):
    clerk = users[Role.CLERK]
    speech_submit(author=clerk, speech=speech, title="T", body="Text", attachment=pdf())
    upload = SimpleUploadedFile("new.docx", word_document())
    speech_submit(author=clerk, speech=speech, title="T", body="Text", attachment=upload)
    assert SpeechAttachment.objects.get(speech=speech).name == "new.docx"
    speech_submit(author=clerk, speech=speech, title="T", body="Text", remove_attachment=True)
    assert not SpeechAttachment.objects.filter(speech=speech).exists()


# Listing the speeches


def test_the_meetings_speeches_come_in_order_in_one_query_without_the_files(
    meeting, published, users, django_assert_num_queries
):
    clerk = users[Role.CLERK]
    second = Speech.objects.create(meeting=meeting, district=published.districts[0], order=2)
    first = Speech.objects.create(meeting=meeting, district=published.districts[1], order=1)
    speech_submit(author=clerk, speech=second, title="T", body="", attachment=pdf())
    clerk_district_ids(clerk)
    clerk.has_perm("rankings.add_publication")  # permissions cached, as on any page
    with django_assert_num_queries(1):
        rows = meeting_speeches(meeting, clerk)
        assert [row.speech.pk for row in rows] == [first.pk, second.pk]
        assert [row.may_write for row in rows] == [False, True]
        assert [row.submitted for row in rows] == [False, True]
        assert [(row.attachment_name, row.attachment_size) for row in rows] == [
            ("", None),
            ("speech.pdf", len(TINY_PDF)),
        ]
        assert rows[0].speech.district.pk == published.districts[1].pk
    assert "content" in rows[1].speech.attachment.get_deferred_fields()
