"""The leaderboard read at a glance (issue 11): the main reason says what lifts the top half
and what holds the bottom half back, each indicator's points are shaded by the fifth of the
race the district's rank on it falls in, and districts whose stored rank intervals overlap
a neighbour's are marked statistically tied. All of it is read from the publication; a page
never runs a race."""

import re

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from rankings.models import StandingExplanation
from rankings.services.explanations import store_explanations
from rankings.tables import heat_band, in_bottom_half
from tests.builders import build_published_race, user_with_role
from tests.web.test_leaderboard import cells, summary
from tests.web.test_leaderboard_export import export_url, read_csv

TIED = "statistically tied"


@pytest.fixture(autouse=True)
def empty_cache():
    # Kept pages are named by database ids, which another test's database may reuse.
    cache.clear()
    yield
    cache.clear()


def board_url(published, query: str = "") -> str:
    url = reverse("leaderboard", args=[published.race.code, published.latest_period.code])
    return f"{url}?{query}" if query else url


def store_intervals(published, intervals: dict[int, tuple[int, int]]) -> None:
    """Give the current publication the rank interval (low, high) of each district, by its
    rank: what publishing stored, with chosen numbers."""
    publication = published.publications[-1]
    StandingExplanation.objects.filter(publication=publication).delete()
    StandingExplanation.objects.bulk_create(
        StandingExplanation(
            publication=publication,
            district=standing.district,
            rank_interval={
                "rank_low": intervals[standing.rank][0],
                "rank_high": intervals[standing.rank][1],
                "rank_median": standing.rank,
                "draws": 1000,
                "seed": 0,
            },
        )
        for standing in publication.standings.select_related("district")
    )


def tie_marks(html: str) -> list[str]:
    """Each row's "statistically tied" mark, top to bottom ("" for none)."""
    found = []
    for row in cells(html):
        mark = re.search(r'<span class="statistical-tie">(.*?)</span>', row[2])
        found.append(mark.group(1) if mark else "")
    return found


# --- the main reason -------------------------------------------------------------------


def test_the_middle_place_of_an_odd_race_counts_in_the_top_half():
    assert [in_bottom_half(rank, ranked=5) for rank in (1, 2, 3, 4, 5)] == [
        False,
        False,
        False,
        True,
        True,
    ]
    assert [in_bottom_half(rank, ranked=4) for rank in (1, 2, 3, 4)] == [False, False, True, True]
    assert not in_bottom_half(None, ranked=4)


def test_the_last_placed_district_reads_what_holds_it_back(client_for, published):
    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()
    reasons = [summary(row[6]) for row in cells(html)]
    assert all("lifts the score" in reason for reason in reasons[:2])
    assert all("holds the score back" in reason for reason in reasons[2:])


def test_the_export_gives_the_bottom_half_its_heaviest_weakness_too(client_for, published):
    header, *body = read_csv(client_for(Role.VIEWER).get(export_url(published, "csv")))
    by_rank = {row[0]: row[-1] for row in body}
    assert "lifts the score" in by_rank["1"]
    assert by_rank["4"].startswith(f"{published.indicators[0].name_en} holds the score back: 6%")


# --- the heat map ------------------------------------------------------------------------


def test_a_rank_falls_in_one_of_five_bands_from_first_to_last_place():
    assert [heat_band(rank, out_of=5) for rank in (1, 2, 3, 4, 5)] == [1, 2, 3, 4, 5]
    assert [heat_band(rank, out_of=4) for rank in (1, 2, 3, 4)] == [1, 2, 4, 5]
    # Symmetric: as far from last place as the 2nd fifth's first is from first place.
    assert [heat_band(rank, out_of=11) for rank in (1, 2, 3, 6, 9, 10, 11)] == [
        1,
        1,
        2,
        3,
        4,
        5,
        5,
    ]
    assert heat_band(None, out_of=5) is None  # no figure of its own: no rank, no shade
    assert heat_band(1, out_of=1) is None  # alone in its race: nothing to compare


def test_each_indicator_cell_is_shaded_by_the_districts_rank_on_it(client_for, db):
    # Five districts entered 0.5, 8.5, 8, 7.5 and 7 on the one indicator: ranks 5, 1, 2, 3, 4.
    race = build_published_race(districts=5, indicators=1)
    code = race.indicators[0].code
    client = client_for(Role.VIEWER)

    response = client.get(board_url(race))

    html = response.content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    bands = [int(band) for band in re.findall(r'<td class="number heat heat-(\d)">', body)]
    ranks = [row["standing"].indicators[code]["rank"] for row in response.context["rows"]]
    assert ranks == [1, 2, 3, 4, 5]
    assert bands == ranks
    # The number is always shown, the shade only adds to it.
    assert [row[7] for row in cells(html)] == [
        f"{row['standing'].contributions[code]:.2f}" for row in response.context["rows"]
    ]


def test_the_entered_values_are_shaded_the_same_way(client_for, published):
    client = client_for(Role.VIEWER)
    points = client.get(board_url(published)).content.decode()
    values = client.get(board_url(published, "show=values")).content.decode()
    shades = re.compile(r'<td class="number( heat heat-\d)?">')
    assert shades.findall(points) == shades.findall(values)
    # Every district has a figure of its own on every indicator, so every cell is shaded.
    shaded = re.findall(r'<td class="number heat heat-\d">', points)
    assert len(shaded) == len(published.districts) * len(published.indicators)


def test_the_legend_names_every_band_with_its_mark_in_both_languages(client_for, published):
    client = client_for(Role.VIEWER)
    english = client.get(board_url(published)).content.decode()
    start = english.index('class="heat-legend"')
    legend = english[start : english.index("</ul>", start)]
    for band, name in enumerate(
        ("top fifth", "second fifth", "middle fifth", "fourth fifth", "bottom fifth"), start=1
    ):
        assert f'<span class="heat heat-{band}">{name}</span>' in legend
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    chinese = client.get(board_url(published)).content.decode()
    assert '<span class="heat heat-1">前20%</span>' in chinese
    assert '<span class="heat heat-5">后20%</span>' in chinese


# --- statistical ties ----------------------------------------------------------------


def test_districts_whose_intervals_overlap_a_neighbours_are_marked_tied(client_for, published):
    # 1st is clear of 2nd; 2nd and 3rd overlap; 3rd and 4th overlap.
    store_intervals(published, {1: (1, 1), 2: (2, 3), 3: (3, 4), 4: (4, 4)})
    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()
    assert tie_marks(html) == ["", f"{TIED}: 2–3", f"{TIED}: 3–4", f"{TIED}: 4"]
    assert "“Statistically tied” marks a district whose rank interval" in html


def test_only_a_neighbour_counts_not_a_district_further_away(client_for, published):
    # 1st and 3rd share an interval, but neither overlaps a district ranked next to it.
    store_intervals(published, {1: (1, 1), 2: (3, 3), 3: (1, 1), 4: (4, 4)})
    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()
    assert tie_marks(html) == ["", "", "", ""]


def test_without_stored_intervals_nothing_is_marked(client_for, published):
    StandingExplanation.objects.filter(publication=published.publications[-1]).delete()
    response = client_for(Role.VIEWER).get(board_url(published))
    assert response.status_code == 200
    html = response.content.decode()
    assert TIED not in html.lower()
    assert tie_marks(html) == ["", "", "", ""]


def test_a_preview_marks_no_ties_and_runs_no_robustness_analysis(client_for, published):
    response = client_for(Role.REVIEWER).get(board_url(published, "preview=1"))
    assert response.status_code == 200
    assert TIED not in response.content.decode().lower()


def test_explanations_stored_after_publishing_renew_the_kept_page(client_for, published):
    publication = published.publications[-1]
    StandingExplanation.objects.filter(publication=publication).delete()
    client = client_for(Role.VIEWER)
    first = client.get(board_url(published))
    assert TIED not in first.content.decode().lower()

    store_explanations(publication)
    store_intervals(published, {1: (1, 2), 2: (1, 2), 3: (3, 3), 4: (4, 4)})

    again = client.get(board_url(published), headers={"if-none-match": first["ETag"]})
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]
    assert tie_marks(again.content.decode()) == [f"{TIED}: 1–2", f"{TIED}: 1–2", "", ""]


def test_marking_ties_costs_no_query_per_district(client, db):
    client.force_login(user_with_role(Role.VIEWER))
    client.get(reverse("home"))  # warm the caches of the first request
    counts = []
    for size, code in ((4, "small"), (12, "big")):
        race = build_published_race(districts=size, periods=2, code=code)
        assert StandingExplanation.objects.filter(publication=race.publications[-1]).exists()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(board_url(race)).status_code == 200
        counts.append(len(queries))
    bare = build_published_race(districts=12, periods=2, code="bare")
    StandingExplanation.objects.filter(publication=bare.publications[-1]).delete()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(board_url(bare)).status_code == 200
    assert counts[0] == counts[1] == len(queries)
