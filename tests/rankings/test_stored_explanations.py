"""Explanations stored with a publication (rankings/services/explanations.py): publishing
stores every part (up to the limit), `manage.py store_explanations` stores them for a
publication without them, and what is stored is what `manage.py explain` computes for the
same district."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from rankings.models import StandingExplanation
from rankings.selectors.explanations import publication_rank_intervals
from rankings.services.explanations import STORED_SEED, store_explanations
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import race_spec

pytestmark = pytest.mark.django_db


def explained(race, period, code) -> dict:
    out = io.StringIO()
    call_command(
        "explain", race, period, "--district", code, "--seed", str(STORED_SEED),
        "--format", "json", stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def ranked_codes(publication):
    return list(
        publication.standings.order_by("rank", "district__code").values_list(
            "district__code", flat=True
        )
    )


def test_publishing_stores_every_ranked_districts_interval(published):
    publication = published.publications[-1]
    intervals = publication_rank_intervals(publication)
    assert set(intervals) == set(ranked_codes(publication))
    code = ranked_codes(publication)[1]
    robustness = explained(published.race.code, "2025Q2", code)["robustness"]
    stored = intervals[code]
    assert (stored.rank_low, stored.rank_high, stored.rank_median) == (
        robustness["rank_low"],
        robustness["rank_high"],
        robustness["rank_median"],
    )
    assert (stored.draws, stored.seed) == (robustness["draws"], STORED_SEED)


def without_explanations(publication):
    """As a publication above the limit, or made before explanations were stored."""
    StandingExplanation.objects.filter(publication=publication).delete()
    return publication


def new_revision(published):
    """Publish the latest period again under a changed methodology: a new revision."""
    spec = race_spec(
        code=published.race.code, group=published.group.code, indicators=published.indicators
    )
    spec["nodes"][0]["weight"] = 3
    race_load(spec=spec)
    return standings_publish(race=published.race, period=published.latest_period).publication


@override_settings(SAIMA_EXPLANATIONS_AT_PUBLISH_MAX=0, SAIMA_INTERVALS_AT_PUBLISH_MAX=0)
def test_above_both_limits_publishing_stores_nothing(published):
    publication = new_revision(published)
    assert publication_rank_intervals(publication) == {}


@override_settings(SAIMA_EXPLANATIONS_AT_PUBLISH_MAX=0)
def test_between_the_limits_publishing_stores_the_rank_intervals_only(published):
    publication = new_revision(published)
    rows = StandingExplanation.objects.filter(publication=publication)
    assert rows.count() == publication.standings.count()
    assert not any(row.complete or row.overtake or row.rank_change for row in rows)
    intervals = publication_rank_intervals(publication)
    assert set(intervals) >= set(ranked_codes(publication))
    # The command then stores the rest, replacing the incomplete rows.
    assert store_explanations(publication) == publication.standings.count()
    assert all(row.complete for row in StandingExplanation.objects.filter(publication=publication))


def assert_stored_as_explain_computes(published, publication):
    codes = ranked_codes(publication)
    for code in codes[:3]:
        row = StandingExplanation.objects.get(publication=publication, district__code=code)
        found = explained(published.race.code, "2025Q2", code)
        assert row.complete
        assert row.overtake == found["overtake"]
        assert row.rank_change == found["rank_change"]
        assert row.rank_interval == found["robustness"]
    leader = StandingExplanation.objects.get(publication=publication, district__code=codes[0])
    assert leader.overtake is None


def test_publishing_stores_every_part_as_explain_computes_it(published):
    publication = published.publications[-1]
    rows = StandingExplanation.objects.filter(publication=publication)
    assert rows.count() == publication.standings.count()
    assert all(row.complete for row in rows)
    assert any(row.overtake for row in rows) and any(row.rank_change for row in rows)
    assert_stored_as_explain_computes(published, publication)
    assert store_explanations(publication) == 0


def test_stored_afterwards_they_equal_what_explain_computes(published):
    publication = without_explanations(published.publications[-1])
    assert store_explanations(publication) == publication.standings.count()
    assert_stored_as_explain_computes(published, publication)


def test_storing_again_is_idempotent_and_a_first_period_has_no_rank_change(published):
    first = without_explanations(published.publications[0])
    assert store_explanations(first) > 0
    assert store_explanations(first) == 0
    assert not StandingExplanation.objects.filter(
        publication=first, rank_change__isnull=False
    ).exists()


def test_a_new_revision_stores_its_own(published):
    old = published.publications[-1]
    store_explanations(old)
    before = {
        row.district_id: row.rank_interval
        for row in StandingExplanation.objects.filter(publication=old)
    }
    new = new_revision(published)
    assert new.pk != old.pk
    assert publication_rank_intervals(new)
    assert {
        row.district_id: row.rank_interval
        for row in StandingExplanation.objects.filter(publication=old)
    } == before


def refused(*args) -> str:
    with pytest.raises(CommandError) as refusal:
        call_command("store_explanations", *args, stdout=io.StringIO())
    return str(refusal.value)


def test_the_command_stores_everything_and_says_so_when_it_was_done(published):
    without_explanations(published.publications[-1])
    out = io.StringIO()
    call_command("store_explanations", published.race.code, "2025Q2", stdout=out)
    assert "stored the explanations of" in out.getvalue()
    out = io.StringIO()
    call_command("store_explanations", published.race.code, "2025Q2", stdout=out)
    assert "stored already" in out.getvalue()


def test_the_command_refuses_bad_arguments_naming_them(published):
    assert refused("no-such-race", "2025Q2").startswith("race:")
    assert refused(published.race.code, "2025Q9").startswith("period:")
    assert refused(published.race.code, "1999Q1").startswith("period:")
    assert "no publication" in refused(published.race.code, "2024Q4")
