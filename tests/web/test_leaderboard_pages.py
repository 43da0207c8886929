"""The leaderboard shows a race a page of 100 districts at a time, with a district search;
each district keeps its rank in the race whatever page, sort or search shows it."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from districts.models import DistrictKind
from rankings.selectors.leaderboard_pages import LEADERBOARD_PAGE_SIZE
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pages_of_two(monkeypatch):
    """Pages of two districts, so a four-district race has two pages."""
    monkeypatch.setattr("rankings.selectors.leaderboard_pages.LEADERBOARD_PAGE_SIZE", 2)


def board_url(published, query: str = "") -> str:
    url = reverse("leaderboard", args=[published.race.code, published.latest_period.code])
    return f"{url}?{query}" if query else url


def shown(response) -> list[tuple[str, str]]:
    """(rank as shown, district code) of each row, top to bottom."""
    return [(row["rank"], row["standing"].district.code) for row in response.context["rows"]]


def in_race_order(published) -> list[tuple[str, str]]:
    standings = published.publications[-1].standings.order_by("rank", "district__code")
    return [
        (f"={s.rank}" if s.tied else str(s.rank), s.district.code)
        for s in standings.select_related("district")
    ]


def test_a_page_shows_100_districts_and_the_next_page_the_rest(client):
    published = build_published_race(districts=LEADERBOARD_PAGE_SIZE + 3, periods=1, indicators=1)
    client.force_login(user_with_role(Role.VIEWER))

    first = client.get(board_url(published))
    second = client.get(board_url(published, "page=2"))

    assert len(first.context["rows"]) == 100
    assert len(second.context["rows"]) == 3
    assert shown(first) + shown(second) == in_race_order(published)
    assert "Showing districts 1–100 of 103." in first.content.decode()
    assert "Showing districts 101–103 of 103." in second.content.decode()


def test_the_rank_shown_is_the_rank_in_the_race_not_in_the_page(
    client_for, published, pages_of_two
):
    response = client_for(Role.VIEWER).get(board_url(published, "page=2"))
    assert shown(response) == in_race_order(published)[2:]
    assert [row[0] for row in shown(response)] == ["3", "4"]


def test_a_sorted_page_continues_the_sort_from_the_page_before(client_for, published, pages_of_two):
    client = client_for(Role.VIEWER)
    scores = [
        row["standing"].score
        for page in (1, 2)
        for row in client.get(board_url(published, f"sort=score&page={page}")).context["rows"]
    ]
    assert scores == sorted(scores)


def test_the_last_page_can_be_asked_for_by_name(client_for, published, pages_of_two):
    response = client_for(Role.VIEWER).get(board_url(published, "page=last"))
    assert response.context["page"].number == 2


@pytest.mark.parametrize("page", ["3", "0", "-1", "two", "1.5", "9" * 40])
def test_a_page_that_is_not_there_is_not_found(client_for, published, pages_of_two, page):
    assert client_for(Role.VIEWER).get(board_url(published, f"page={page}")).status_code == 404


def test_page_links_keep_the_sort_the_filter_the_search_and_the_view(
    client_for, published, pages_of_two
):
    query = "sort=-score&show=values&district__kind=district&q=Dist"
    html = client_for(Role.VIEWER).get(board_url(published, query)).content.decode()
    nav = html[html.index('aria-label="Pages of the leaderboard"') :]
    next_link = re.search(r'<a rel="next" href="([^"]+)"', nav).group(1).replace("&amp;", "&")
    assert next_link == f"?{query}&page=2"


def test_sorting_and_filtering_start_again_from_the_first_page(client_for, published, pages_of_two):
    html = client_for(Role.VIEWER).get(board_url(published, "page=2&sort=score")).content.decode()
    assert 'href="?sort=-score"' in html  # the score header: the other direction, page 1
    form = html[html.index('<form method="get"') : html.index("</form>")]
    assert 'name="page"' not in form


def test_the_exports_offered_are_the_whole_table_whatever_the_page_or_search(
    client_for, published, pages_of_two
):
    html = client_for(Role.VIEWER).get(board_url(published, "page=2&q=District")).content.decode()
    csv_link = re.search(r'href="([^"]*export\.csv[^"]*)"', html).group(1)
    assert "page=" not in csv_link
    assert "q=" not in csv_link


def test_a_page_past_the_matches_of_a_search_is_not_found_but_no_match_is_a_page(
    client_for, published
):
    client = client_for(Role.VIEWER)
    response = client.get(board_url(published, "q=nowhere"))
    assert response.status_code == 200
    assert "No district matches this filter." in response.content.decode()
    assert client.get(board_url(published, "q=nowhere&page=2")).status_code == 404


def test_the_search_finds_a_district_by_the_start_of_its_code(client_for, published):
    wanted = published.districts[2]
    response = client_for(Role.VIEWER).get(board_url(published, f"q={wanted.code}"))
    assert [code for _rank, code in shown(response)] == [wanted.code]


def test_the_search_finds_districts_by_a_part_of_their_name_in_either_language(
    client_for, published
):
    wanted = published.districts[1]
    wanted.name, wanted.name_en = "绿园区", "Lüyuan District"
    wanted.save()
    client = client_for(Role.VIEWER)
    for text in ("绿园", "lüyuan", "YUAN DIST"):
        response = client.get(board_url(published, f"q={text}"))
        assert [code for _rank, code in shown(response)] == [wanted.code], text


def test_a_district_found_keeps_its_rank_in_the_race(client_for, published):
    rank, code = in_race_order(published)[3]
    response = client_for(Role.VIEWER).get(board_url(published, f"q={code}"))
    assert shown(response) == [(rank, code)]
    assert f"search: “{code}”" in response.content.decode()


def test_the_search_and_the_kind_filter_narrow_together(client_for, published):
    county = published.districts[1]
    county.kind = DistrictKind.COUNTY
    county.save()
    client = client_for(Role.VIEWER)
    found = client.get(board_url(published, f"q={county.code}&district__kind=county"))
    assert [code for _rank, code in shown(found)] == [county.code]
    none = client.get(board_url(published, f"q={county.code}&district__kind=district"))
    assert shown(none) == []


def test_an_unknown_kind_leaves_the_search_working(client_for, published):
    wanted = published.districts[0]
    response = client_for(Role.VIEWER).get(
        board_url(published, f"q={wanted.code}&district__kind=x")
    )
    assert [code for _rank, code in shown(response)] == [wanted.code]


def test_a_preview_is_paged_and_searched_too(client_for, published, pages_of_two):
    client = client_for(Role.REVIEWER)
    second = client.get(board_url(published, "preview=1&page=2"))
    assert [row[0] for row in shown(second)] == ["3", "4"]
    wanted = published.districts[0]
    found = client.get(board_url(published, f"preview=1&q={wanted.code}"))
    assert [code for _rank, code in shown(found)] == [wanted.code]


def test_the_search_field_is_labelled_in_chinese(client_for, published):
    client = client_for(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(board_url(published)).content.decode()
    assert '<label for="id_q">查找地区</label>' in html


def test_a_page_of_a_big_race_runs_as_many_queries_as_a_page_of_a_small_one(client, db):
    small = build_published_race(districts=4, periods=2, indicators=2)
    big = build_published_race(districts=130, periods=2, indicators=2, code="big")
    client.force_login(user_with_role(Role.VIEWER))
    client.get(reverse("home"))  # warm the caches of the first request
    counts = []
    for race, query in ((small, "sort=-score&q=2"), (big, "sort=-score&page=2")):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(board_url(race, query))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_QUERIES
