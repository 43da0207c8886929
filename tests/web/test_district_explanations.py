"""The district page's explanation sections, read from what the publication stored: "Why
here" (against the districts just above and below), "What it takes" and "Since last
period", in English and Chinese; a publication without stored explanations still works."""

import io
import json
import math
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from rankings.models import StandingExplanation
from rankings.services.explanations import STORED_SEED, store_explanations
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db


def page(client, district, language="en") -> str:
    url = reverse("district", args=[district.code])
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def ranked(publication):
    return list(publication.standings.order_by("rank", "district__code").select_related("district"))


def explained(race, period, code) -> dict:
    out = io.StringIO()
    call_command(
        "explain", race, period, "--district", code, "--seed", str(STORED_SEED),
        "--format", "json", stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


@pytest.fixture
def viewer(client, published):
    client.force_login(user_with_role(Role.VIEWER))
    return client


def test_why_here_shows_the_gaps_with_the_district_above_and_below(viewer, published):
    publication = published.publications[-1]
    store_explanations(publication)
    standings = ranked(publication)
    middle, above, below = standings[1], standings[0], standings[2]
    html = page(viewer, middle.district)
    assert "Why here" in html
    assert f"Against {above.district.display_name}, ranked just above" in html
    assert f"Against {below.district.display_name}, ranked just below" in html
    assert 'class="gap-chart"' in html and "style=" not in html.split("Why here")[1]
    found = explained(published.race.code, "2025Q2", middle.district.code)
    assert found["versus"]["district"] == above.district.code
    for code, part in found["versus"]["parts"].items():
        assert f"{part:.3f}".replace("-0.000", "0.000") in html or abs(part) < 5e-4, code
    difference = found["versus"]["score_difference"]
    assert f"Score difference: {difference:.3f}." in html


def test_what_it_takes_names_the_rival_and_the_change_in_units(viewer, published):
    publication = published.publications[-1]
    store_explanations(publication)
    middle, above = ranked(publication)[1], ranked(publication)[0]
    html = page(viewer, middle.district)
    found = explained(published.race.code, "2025Q2", middle.district.code)["overtake"]
    reachable = [c for c in found if c["reachable"]]
    if reachable:
        first = min(reachable, key=lambda c: abs(c["change"]) / (abs(c["value"]) or 1))
        assert f"would overtake {above.district.display_name}" in html
        indicator = next(i for i in published.indicators if i.code == first["indicator"])
        assert indicator.display_name in html.split("What it takes")[1].split("Since last")[0]
    else:
        assert "No change of a single figure" in html


def test_since_last_period_shows_the_three_parts(viewer, published):
    publication = published.publications[-1]
    store_explanations(publication)
    middle = ranked(publication)[1]
    html = page(viewer, middle.district)
    change = explained(published.race.code, "2025Q2", middle.district.code)["rank_change"]
    section = html.split("Since last period")[-1]
    assert f"Score change since 2025Q1: {change['score_change']:.3f}" in section
    assert f"{math.fsum(change['own'].values()):.3f}" in section
    assert f"{change['others']:.3f}" in section
    assert "Other districts" in section


def test_the_sections_read_in_chinese(viewer, published):
    publication = published.publications[-1]
    store_explanations(publication)
    middle, above = ranked(publication)[1], ranked(publication)[0]
    html = page(viewer, middle.district, "zh-hans")
    assert "为何在此名次" in html and "如何赶超" in html
    assert f"对比紧邻其上的{above.district.display_name}" in html
    assert "得分差" in html


def test_the_leader_has_nobody_above_and_the_last_nobody_below(viewer, published):
    publication = published.publications[-1]
    store_explanations(publication)
    standings = ranked(publication)
    leader = page(viewer, standings[0].district)
    assert "nobody is ranked above it" in leader
    assert "ranked just above" not in leader and "ranked just below" in leader
    last = page(viewer, standings[-1].district)
    assert "ranked just below" not in last and "ranked just above" in last


def test_a_single_district_race_has_neither(client, db):
    race = build_published_race(districts=1, periods=1, code="alone")
    client.force_login(user_with_role(Role.VIEWER))
    html = page(client, race.districts[0])
    assert "there is nobody to compare with" in html
    assert "nobody is ranked above it" in html


def test_only_intervals_stored_say_the_rest_is_not_computed_yet(viewer, published):
    # As publishing stored them before it stored every part.
    publication = published.publications[-1]
    StandingExplanation.objects.filter(publication=publication).update(
        overtake=None, rank_change=None, complete=False
    )
    middle = ranked(publication)[1]
    html = page(viewer, middle.district)
    assert "has not been computed for this publication yet" in html
    assert "this district ranks between" in html


def test_a_publication_without_stored_explanations_says_so_politely(viewer, published):
    publication = published.publications[-1]
    StandingExplanation.objects.filter(publication=publication).delete()
    html = page(viewer, ranked(publication)[1].district)
    assert "Explanations were not stored with this publication" in html
    assert "Why here" in html  # the gaps come from the standings themselves


def test_the_stored_sections_cost_the_same_queries_in_a_bigger_race(
    client, db, django_assert_max_num_queries
):
    small = build_published_race(districts=4, periods=2)
    big = build_published_race(districts=12, periods=3, code="big")
    for race in (small, big):
        store_explanations(race.publications[-1])
    client.force_login(user_with_role(Role.VIEWER))
    url = reverse("district", args=[ranked(small.publications[-1])[1].district.code])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    bigger = reverse("district", args=[ranked(big.publications[-1])[5].district.code])
    with django_assert_max_num_queries(len(queries)):
        assert client.get(bigger).status_code == 200
