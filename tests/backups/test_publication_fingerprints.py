"""publication_fingerprints prints one comparable line per publication."""

import pytest
from django.core.management import call_command

from rankings.models import Standing

pytestmark = pytest.mark.django_db


def _lines(capsys) -> list[str]:
    call_command("publication_fingerprints")
    return capsys.readouterr().out.splitlines()


def test_it_prints_race_period_revision_and_both_fingerprints(published, capsys):
    lines = _lines(capsys)
    first = published.publications[0]
    race, period, revision, fingerprint, standings = lines[0].split()
    assert len(lines) == len(published.publications)
    assert (race, period, revision, fingerprint) == (
        published.race.code,
        first.period,
        "r1",
        first.fingerprint,
    )
    assert len(standings) == 64


def test_a_changed_standing_changes_its_line(published, capsys):
    before = _lines(capsys)
    Standing.objects.filter(pk=published.publications[-1].standings.first().pk).update(score=-1)
    after = _lines(capsys)
    assert before[:-1] == after[:-1]
    assert before[-1] != after[-1]
