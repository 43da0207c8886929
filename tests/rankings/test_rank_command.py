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
    assert [r["rank"] for r in records] == [1, 2, 3, 4, 5]
    assert {r["district"] for r in records} == {d.code for d in scene.districts}


def test_json_matches_the_published_standings_of_the_same_inputs(scene):
    records = json.loads(_run(scene.race.code, "2025Q2", "--format", "json"))
    previewed = {r["district"]: (r["rank"], r["score"], r["flags"]) for r in records}
    published = {
        code: (rank, score, flags)
        for code, rank, score, flags in scene.publications[-1].standings.values_list(
            "district__code", "rank", "score", "flags"
        )
    }
    # Worked out by hand from the builder's formula. In 2025Q2 the five districts entered
    # 0.5, 8.5, 8, 7.5, 7 on indicator 0; 1 each on indicator 1; 1.5, 2, 2.5, 3, 3.5 on
    # indicator 2 (lower is better). Efficacy points 60 + 40 × the share of the range,
    # averaged over the three indicators.
    one, two, three, four, five = (d.code for d in scene.districts)
    expected = {
        one: (4, pytest.approx((60 + 100 + 100) / 3), []),
        two: (1, pytest.approx((100 + 100 + 90) / 3), ["red"]),
        three: (2, pytest.approx((97.5 + 100 + 80) / 3), []),
        four: (3, pytest.approx((95 + 100 + 70) / 3), []),
        five: (5, pytest.approx((92.5 + 100 + 60) / 3), ["yellow"]),
    }
    assert previewed == expected
    assert previewed == published  # to the last bit: the same inputs, the same numbers


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
