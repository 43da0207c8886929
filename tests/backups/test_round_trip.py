"""export_all then import_all into an empty database gives back the same deployment."""

import datetime
import hashlib

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.management import call_command

from backups.selectors import archive_export
from backups.services import archive_import
from comments.models import Comment, CommentEvent
from comments.services import comment_post
from districts.models import District, Value
from districts.periods import Period
from meetings.models import MeetingStatus, Speech, SpeechAttachment
from rankings.models import Publication, Race
from rankings.selectors.publications import publication_fingerprints
from rankings.selectors.race_previews import race_compute
from tests.backups.archives import database_contents, database_empty

pytestmark = pytest.mark.django_db

SPEECH_PDF = b"%PDF-1.4\n\x00\xff binary bytes survive\n%%EOF\n"


def _demo_with_comments_and_admin_log() -> None:
    call_command("load_demo", "--force", verbosity=0)
    official = User.objects.get(username="official")
    publication = Publication.objects.filter(superseded_at__isnull=True).first()
    comment_post(
        author=official,
        race=publication.race,
        period=Period.parse(publication.period),
        body="Why did **this** district fall?",
        district=publication.standings.first().district,
    )
    # A speech's attachment is kept in the database: the archive must carry its bytes.
    speech = Speech.objects.filter(meeting__status=MeetingStatus.HELD).first()
    SpeechAttachment.objects.create(
        speech=speech,
        name="讲话.pdf",
        content_type="application/pdf",
        size=len(SPEECH_PDF),
        sha256=hashlib.sha256(SPEECH_PDF).hexdigest(),
        content=SPEECH_PDF,
        uploaded_by=official,
    )
    LogEntry.objects.create(
        user=User.objects.get(username="admin"),
        content_type=ContentType.objects.get_for_model(District),
        object_id=str(District.objects.first().pk),
        object_repr="a district",
        action_flag=ADDITION,
    )


def _recomputed_fingerprints() -> dict:
    """The fingerprint each current publication's inputs give now, computed afresh."""
    return {
        (p.race.code, p.period): race_compute(
            race=p.race, period=Period.parse(p.period)
        ).fingerprint
        for p in Publication.objects.filter(superseded_at__isnull=True).select_related("race")
    }


def _leaderboard(client, publication: tuple[str, str]) -> tuple[list, str]:
    client.force_login(User.objects.get(username="viewer"))
    # The page keeps its rendered table under the publication's state, which a restore
    # reproduces: read the restored database, not the table kept from before.
    cache.clear()
    response = client.get(f"/races/{publication[0]}/{publication[1]}/")
    assert response.status_code == 200
    standings = [
        (s.district.code, s.rank, s.tied, s.score, s.movement, s.reasons)
        for s in response.context["board"].standings
    ]
    html = response.content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    return standings, table


def test_an_archive_restores_every_row_history_and_publication(tmp_path, client):
    _demo_with_comments_and_admin_log()
    before = database_contents()
    fingerprints = publication_fingerprints()
    recomputed = _recomputed_fingerprints()
    board = Publication.objects.filter(superseded_at__isnull=True).select_related("race").last()
    shown = _leaderboard(client, (board.race.code, board.period))
    assert before["districts.HistoricalValue"] > before["districts.Value"] > 1000
    # The demo's meetings and monthly reviews hold comments of their own; one more was
    # written above.
    at_meetings = Comment.objects.filter(meeting__isnull=False).count()
    on_reviews = sum(
        Comment.objects.filter(race=p.race, period=p.period, meeting__isnull=True).count()
        for p in Publication.objects.filter(superseded_at__isnull=True)
        if p.is_monthly_review
    )
    assert on_reviews == 2
    written = at_meetings + on_reviews + 1
    assert before["comments.Comment"] == before["comments.CommentEvent"] == written
    assert before["meetings.SpeechAttachment"] == 1
    assert before["admin.LogEntry"] == 1

    archive = archive_export(path=tmp_path / "saima.zip").path
    database_empty()
    assert District.objects.count() == User.objects.count() == Publication.objects.count() == 0
    summary = archive_import(path=archive)

    assert database_contents() == before
    assert summary.counts == {k: v for k, v in before.items() if "." in k}
    assert publication_fingerprints() == fingerprints
    assert _recomputed_fingerprints() == recomputed
    assert _leaderboard(client, (board.race.code, board.period)) == shown
    assert bytes(SpeechAttachment.objects.get().content) == SPEECH_PDF


def test_users_keep_their_password_roles_and_districts_after_a_restore(tmp_path):
    call_command("load_demo", "--force", verbosity=0)
    archive = archive_export(path=tmp_path / "saima.zip").path
    database_empty()
    archive_import(path=archive)
    clerk = User.objects.get(username="clerk")
    assert clerk.check_password("saima-demo")
    assert [group.name for group in clerk.groups.all()] == ["clerk"]
    assert clerk.clerk_districts.exists()
    assert clerk.has_perm("districts.change_value")


def test_new_rows_get_fresh_ids_after_a_restore(tmp_path, published):
    archive = archive_export(path=tmp_path / "saima.zip").path
    highest = Value.objects.order_by("-pk").first().pk
    database_empty()
    archive_import(path=archive)

    value = Value.objects.create(
        district=published.districts[0],
        indicator=published.indicators[0],
        period="2030Q1",
        value="1.5",
    )
    assert value.pk > highest
    assert value.history.count() == 1
    race = Race.objects.create(code="after-restore", name="新", group=published.group)
    assert race.pk > published.race.pk


def test_times_keep_their_microseconds(tmp_path, published):
    moment = datetime.datetime(2025, 4, 1, 8, 30, 15, 123456, tzinfo=datetime.UTC)
    Value.objects.filter(pk=Value.objects.first().pk).update(entered_at=moment)
    archive = archive_export(path=tmp_path / "saima.zip").path
    database_empty()
    archive_import(path=archive)
    assert Value.objects.filter(entered_at=moment).count() == 1
    assert Comment.objects.count() == CommentEvent.objects.count() == 0
