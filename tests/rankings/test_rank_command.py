"""`manage.py rank` previews standings without publishing, as JSON, CSV or text."""

import csv
import io
import json

import pytest
from django.core.management import call_command

from rankings.models import Publication
from tests.builders import build_published_race

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command("rank", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def scene():
    return build_published_race(districts=5, periods=2)


def test_json_lists_every_district_with_the_documented_fields(scene):
    records = json.loads(_run(scene.race.code, "2025Q2", "--format", "json"))
    assert len(records) == 5
    required = {
        "rank",
        "district",
        "name",
        "score",
        "tied",
        "flags",
        "rank_change",
        "contributions",
        "reasons",
    }
    for record in records:
        assert required <= record.keys()
        assert set(record["contributions"]) == {i.code for i in scene.indicators}
        assert all({"kind", "params", "text"} <= r.keys() for r in record["reasons"])
    assert [r["rank"] for r in records] == sorted(r["rank"] for r in records)
    assert {r["district"] for r in records} == {d.code for d in scene.districts}


def test_json_matches_the_published_standings_of_the_same_inputs(scene):
    records = {
        r["district"]: r for r in json.loads(_run(scene.race.code, "2025Q2", "--format", "json"))
    }
    for code, rank, score, flags in scene.publications[-1].standings.values_list(
        "district__code", "rank", "score", "flags"
    ):
        assert (records[code]["rank"], records[code]["score"], records[code]["flags"]) == (
            rank,
            score,
            flags,
        )


def test_contributions_add_up_to_the_score(scene):
    for record in json.loads(_run(scene.race.code, "2025Q2", "--format", "json")):
        assert sum(record["contributions"].values()) == pytest.approx(record["score"])


def test_csv_has_a_header_and_one_row_per_district(scene):
    rows = list(csv.DictReader(io.StringIO(_run(scene.race.code, "2025Q2", "--format", "csv"))))
    assert len(rows) == 5
    assert {"rank", "district", "score", *(i.code for i in scene.indicators)} <= rows[0].keys()


def test_text_says_it_is_a_preview(scene):
    text = _run(scene.race.code, "2025Q2")
    assert "preview, not published" in text
    assert all(d.code in text for d in scene.districts)


def test_previewing_publishes_nothing(scene):
    before = Publication.objects.count()
    _run(scene.race.code, "2025Q3")
    assert Publication.objects.count() == before
