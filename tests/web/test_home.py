import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from rankings.models import Race
from tests.builders import build_published_race, user_with_role
from tests.factories import GroupFactory

# Generous but fixed: what matters is that the count is the same at every size.
MAX_QUERIES = 12


@pytest.mark.parametrize("role", list(Role))
def test_the_home_page_renders_for_every_role(client_for, published, role):
    response = client_for(role).get(reverse("home"))
    assert response.status_code == 200
    assert "test-race race" in response.content.decode()


def test_anonymous_visitors_are_sent_to_sign_in(client, published):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client, published):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123456789"))
    assert client.get(reverse("home")).status_code == 403


def test_the_home_page_shows_the_top_and_bottom_of_the_latest_leaderboard(client_for, published):
    html = client_for(Role.VIEWER).get(reverse("home")).content.decode()
    # The builder's 2025Q2 order, worked out by hand: second, third, first, fourth district.
    first, second, third, fourth = published.districts
    for district in (second, third, first, fourth):
        assert district.name_en in html
    assert reverse("leaderboard", args=[published.race.code, "2025Q2"]) in html
    assert reverse("race-comments", args=[published.race.code, "2025Q2"]) in html
    assert published.latest_period.code in html


def test_the_home_page_names_the_biggest_movers_with_words(client_for, published):
    response = client_for(Role.VIEWER).get(reverse("home"))
    summary = response.context["overview"].groups[0].races[0]
    first, second, _, fourth = published.districts
    # From 2025Q1 to 2025Q2 the builder's districts go from 4th, 3rd, 2nd, 1st to 3rd, 1st,
    # 2nd, 4th (worked out by hand): biggest rise first, biggest fall first.
    assert [(s.district, s.rank_change) for s in summary.risers] == [(second, 2), (first, 1)]
    assert [(s.district, s.rank_change) for s in summary.fallers] == [(fourth, -3)]
    html = response.content.decode()
    assert "up " in html or "down " in html


def test_the_period_selector_shows_an_earlier_period(client_for, published):
    first = published.periods[0].code
    response = client_for(Role.VIEWER).get(reverse("home"), {"period": first})
    summary = response.context["overview"].groups[0].races[0]
    assert summary.publication.period == first
    html = response.content.decode()
    assert f'<option value="{first}" selected>' in html
    assert f'<option value="{published.latest_period.code}"' in html


def test_a_period_without_publication_says_so(client_for, published):
    html = client_for(Role.VIEWER).get(reverse("home"), {"period": "2019Q1"}).content.decode()
    assert "Not published for 2019Q1." in html


def test_races_and_groups_without_publications_say_so(client_for, published):
    Race.objects.create(
        code="unpublished", name="未发布", name_en="Unpublished race", group=published.group
    )
    GroupFactory(name_en="Lonely group")
    html = client_for(Role.VIEWER).get(reverse("home")).content.decode()
    assert "Unpublished race" in html
    assert "Not published yet." in html
    assert "Lonely group" in html
    assert "No race for this group yet." in html


def test_the_home_page_speaks_chinese_when_asked(client_for, published):
    client = client_for(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert published.districts[1].name in html  # first in 2025Q2


def _count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_home_queries_do_not_grow_with_districts_or_periods(
    client, db, django_assert_max_num_queries
):
    build_published_race(districts=4, periods=2)
    client.force_login(user_with_role(Role.VIEWER))
    client.get(reverse("home"))  # warm the caches of the first request
    with django_assert_max_num_queries(MAX_QUERIES):
        small = _count_queries(client, reverse("home"))
    build_published_race(districts=12, periods=4, code="big")
    with django_assert_max_num_queries(MAX_QUERIES):
        big = _count_queries(client, reverse("home"))
    assert big == small, (small, big)


def test_every_district_named_on_the_home_page_links_to_its_district_page(client_for, published):
    html = client_for(Role.VIEWER).get(reverse("home")).content.decode()
    leader = published.districts[1]  # first in 2025Q2
    assert reverse("district", args=[leader.code]) + f"?race={published.race.code}" in html
