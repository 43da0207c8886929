import re
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from districts.models import DistrictKind, Value
from rankings.models import Standing
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import build_published_race, race_spec, user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

MAX_QUERIES = 15
CELL = re.compile(r"<t[dh][^>]*>(.*?)</t[dh]>", re.S)


def board_url(published, **params) -> str:
    url = reverse("leaderboard", args=[published.race.code, published.latest_period.code])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def rows(response) -> list[Standing]:
    """The standings of the table's rows, top to bottom (as rendered, not from the cache)."""
    return [row["standing"] for row in response.context["rows"]]


def cells(html: str) -> list[list[str]]:
    """The text of each body row's cells, top to bottom, whitespace squeezed."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return [
        [re.sub(r"\s+", " ", cell).strip() for cell in CELL.findall(row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize("role", list(Role))
def test_the_leaderboard_renders_for_every_role(client_for, published, role):
    response = client_for(role).get(board_url(published))
    assert response.status_code == 200
    assert len(rows(response)) == len(published.districts)


def test_anonymous_visitors_are_sent_to_sign_in(client, published):
    response = client.get(board_url(published))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_user_without_a_role_is_refused(client, published):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123456789"))
    assert client.get(board_url(published)).status_code == 403


def summary(reason_cell: str) -> str:
    """The main reason a reason cell shows before it is opened."""
    found = re.search(r"<summary>(.*?)</summary>", reason_cell, re.S)
    return found.group(1) if found else reason_cell


def district_name(district_cell: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<a [^>]*>.*?</a>", district_cell).group(0))


def test_the_leaderboard_lists_every_district_with_rank_movement_and_reason(client_for, published):
    # Worked out by hand from the builder's formula. In 2025Q2 the four districts entered
    # 7.5, 7, 6.5, 6 on indicator 0; 8 each on indicator 1; 8.5, 0.5, 1, 1.5 on indicator 2
    # (lower is better). Efficacy points are 60 + 40 × the share of the group's range and
    # each indicator counts a third, so the scores are 86.67, 95.56, 90.28 and 85.00; in
    # 2025Q1 the districts stood 4th, 3rd, 2nd and 1st.
    first, second, third, fourth = (d.name_en for d in published.districts)
    higher_is_better, _, lower_is_better = (i.name_en for i in published.indicators)
    up = '<span class="move-up"><span aria-hidden="true">▲</span> up {}</span>'
    down = '<span class="move-down"><span aria-hidden="true">▼</span> down {}</span>'
    same = '<span class="move-same"><span aria-hidden="true">＝</span> no change</span>'

    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()

    shown = [(row[0], row[1], district_name(row[2]), summary(row[6])) for row in cells(html)]
    # The main reason of the top half is its largest strength, of the bottom half its
    # largest weakness: the district's points on that indicator against the group's mean
    # points. 3.125 is exact in binary and shows rounded to even.
    assert shown == [
        ("1", up.format(2), second, f"{lower_is_better} lifts the score (+3.96)"),
        ("2", same, third, f"{lower_is_better} lifts the score (+3.12)"),
        ("3", up.format(1), first, f"{lower_is_better} holds the score back (-9.38)"),
        ("4", down.format(3), fourth, f"{higher_is_better} holds the score back (-6.67)"),
    ]


def test_the_main_reason_opens_on_every_strength_and_weakness_with_its_figures(
    client_for, published
):
    first, *_ = published.indicators
    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()
    # The last-placed district: its one strength and its one weakness, cited in full.
    last = cells(html)[-1][6]
    strengths = last[last.index("Strengths") : last.index("Weaknesses")]
    weaknesses = last[last.index("Weaknesses") :]
    assert "lifts the score: 1.5% in 2025Q2, rank 3 in the group; contributes 31.67" in strengths
    assert (
        f"{first.name_en} holds the score back: 6% in 2025Q2, rank 4 in the group; "
        "contributes 20.00 against a group average of 26.67 (-6.67)."
    ) in weaknesses


def test_shared_places_are_shown_with_an_equals_sign(client_for, published):
    group = GroupFactory()
    indicator = IndicatorFactory()
    for _ in range(3):
        ValueFactory(
            district=DistrictFactory(group=group),
            indicator=indicator,
            period="2025Q1",
            value=Decimal("4"),
        )
    race = race_load(spec=race_spec(code="tied", group=group.code, indicators=[indicator])).race
    standings_publish(race=race, period=published.periods[0])
    response = client_for(Role.VIEWER).get(reverse("leaderboard", args=["tied", "2025Q1"]))
    assert response.content.decode().count(">=1</td>") == 3


def test_the_leaderboard_links_to_districts_methodology_and_comments(client_for, published):
    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()
    race, period = published.race.code, published.latest_period.code
    district = reverse("district", args=[published.districts[0].code])
    assert f"{district}?race={race}&amp;period={period}" in html
    version = published.publications[-1].methodology.number
    assert f"{reverse('methodology', args=[race])}?version={version}" in html
    assert reverse("race-comments", args=[race, period]) in html
    assert "Revision 1" in html


def test_sorting_by_score_orders_the_rows(client_for, published):
    client = client_for(Role.VIEWER)
    descending = [s.score for s in rows(client.get(board_url(published, sort="-score")))]
    ascending = [s.score for s in rows(client.get(board_url(published, sort="score")))]
    assert descending == sorted(descending, reverse=True)
    assert ascending == sorted(ascending)


def test_sorting_by_an_indicator_orders_the_rows_by_its_points(client_for, published):
    code = published.indicators[0].code
    response = client_for(Role.VIEWER).get(board_url(published, sort="-indicator_0"))
    points = [s.contributions[code] for s in rows(response)]
    assert points == sorted(points, reverse=True)


def test_the_kind_filter_keeps_only_that_kind(client_for, published):
    county = published.districts[1]
    county.kind = DistrictKind.COUNTY
    county.save()
    response = client_for(Role.VIEWER).get(board_url(published, district__kind="county"))
    assert [s.district for s in rows(response)] == [county]
    choices = [
        value for value, _ in response.context["filters"].form.fields["district__kind"].choices
    ]
    assert choices == ["", "district", "county"]


def test_an_unknown_kind_leaves_the_table_unfiltered(client_for, published):
    response = client_for(Role.VIEWER).get(board_url(published, district__kind="castle"))
    assert len(rows(response)) == len(published.districts)


def test_show_values_switches_to_the_entered_values_with_units(client_for, published):
    html = client_for(Role.VIEWER).get(board_url(published, show="values")).content.decode()
    # The builder's 2025Q2 figures, as entered (no trailing zeros), rows in rank order.
    assert [row[7:] for row in cells(html)] == [
        ["7%", "8%", "0.5%"],
        ["6.5%", "8%", "1%"],
        ["7.5%", "8%", "8.5%"],
        ["6%", "8%", "1.5%"],
    ]
    assert "Show points" in html


def test_an_older_revision_says_it_was_superseded(client_for, published):
    value = Value.objects.filter(period=published.latest_period.code).first()
    value.value += 3
    value.save()
    result = standings_publish(race=published.race, period=published.latest_period)
    assert result.publication.revision == 2
    client = client_for(Role.VIEWER)

    old = client.get(board_url(published, revision=1)).content.decode()
    assert "This revision was superseded on" in old
    assert "by revision 2." in old
    assert f'href="{board_url(published)}">Read revision 2</a>' in old

    current = client.get(board_url(published)).content.decode()
    assert "superseded" not in current
    assert "Revision 2" in current


def test_an_unknown_revision_is_not_found(client_for, published):
    assert client_for(Role.VIEWER).get(board_url(published, revision=9)).status_code == 404


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER, Role.CLERK])
def test_a_preview_is_refused_to_those_who_do_not_publish(client_for, published, role):
    assert client_for(role).get(board_url(published, preview=1)).status_code == 403


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_a_preview_is_marked_as_not_published(client_for, published, role):
    response = client_for(role).get(board_url(published, preview=1))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="notice preview"' in html
    assert "Preview — not published" in html
    assert len(rows(response)) == len(published.districts)


def test_a_preview_of_an_unpublished_period_computes_the_standings(client_for, published):
    url = reverse("leaderboard", args=[published.race.code, "2025Q3"]) + "?preview=1"
    response = client_for(Role.REVIEWER).get(url)
    assert response.status_code == 200
    assert all(s.rank is None for s in rows(response))  # no values entered for 2025Q3


def test_an_unpublished_period_is_not_found_but_offers_a_preview_to_reviewers(
    client_for, published
):
    url = reverse("leaderboard", args=[published.race.code, "2025Q3"])
    assert client_for(Role.VIEWER).get(url).status_code == 404
    response = client_for(Role.REVIEWER).get(url)
    assert response.status_code == 404
    assert f'href="{url}?preview=1"' in response.content.decode()


def test_a_malformed_period_is_not_found(client_for, published):
    url = reverse("leaderboard", args=[published.race.code, "2025Q9"])
    assert client_for(Role.VIEWER).get(url).status_code == 404


def test_the_race_address_leads_to_its_latest_leaderboard(client_for, published):
    response = client_for(Role.VIEWER).get(reverse("race-latest", args=[published.race.code]))
    assert response.status_code == 302
    assert response["Location"] == board_url(published)


def test_an_unknown_race_is_not_found(client_for, published):
    assert client_for(Role.VIEWER).get(reverse("race-latest", args=["nope"])).status_code == 404


def test_the_periods_selector_links_every_published_period(client_for, published):
    html = client_for(Role.VIEWER).get(board_url(published)).content.decode()
    for period in published.periods:
        assert reverse("leaderboard", args=[published.race.code, period.code]) in html


def test_the_leaderboard_speaks_chinese_when_asked(client_for, published):
    client = client_for(Role.VIEWER)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get(board_url(published)).content.decode()
    assert '<html lang="zh-Hans">' in html
    assert published.districts[0].name in html
    assert published.districts[0].name_en not in html


def test_leaderboard_queries_do_not_grow_with_districts_or_periods(
    client, db, django_assert_max_num_queries
):
    small = build_published_race(districts=4, periods=2)
    client.force_login(user_with_role(Role.VIEWER))
    client.get(reverse("home"))  # warm the caches of the first request
    counts = []
    for race in (small, build_published_race(districts=12, periods=4, code="big")):
        url = reverse("leaderboard", args=[race.race.code, race.latest_period.code])
        with (
            django_assert_max_num_queries(MAX_QUERIES),
            CaptureQueriesContext(connection) as queries,
        ):
            assert client.get(url + "?show=values&sort=-score").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_an_unpublished_race_leads_reviewers_to_a_preview_and_others_nowhere(client_for, published):
    group = GroupFactory()
    indicator = IndicatorFactory()
    ValueFactory(district=DistrictFactory(group=group), indicator=indicator, period="2025Q2")
    race_load(spec=race_spec(code="fresh", group=group.code, indicators=[indicator]))
    url = reverse("race-latest", args=["fresh"])
    assert client_for(Role.VIEWER).get(url).status_code == 404
    response = client_for(Role.REVIEWER).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("leaderboard", args=["fresh", "2025Q2"]) + "?preview=1"


def test_a_reviewer_publishes_a_preview_from_the_page(client_for, published):
    value = Value.objects.filter(period=published.latest_period.code).first()
    value.value += 5
    value.save()
    client = client_for(Role.REVIEWER)
    url = reverse("leaderboard-publish", args=[published.race.code, published.latest_period.code])
    preview = client.get(board_url(published, preview="1")).content.decode()
    assert url in preview

    response = client.post(url, follow=True)

    assert response.redirect_chain[-1][0] == board_url(published)
    assert "Published revision 2; revision 1 is superseded." in response.content.decode()
    current = published.race.publications.get(
        period=published.latest_period.code, superseded_at=None
    )
    assert current.revision == 2


def test_publishing_unchanged_values_from_the_page_keeps_the_current_revision(
    client_for, published
):
    url = reverse("leaderboard-publish", args=[published.race.code, published.latest_period.code])
    response = client_for(Role.ADMINISTRATOR).post(url, follow=True)
    assert "stays current" in response.content.decode()
    assert published.race.publications.filter(period=published.latest_period.code).count() == 1


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.CLERK, Role.VIEWER])
def test_only_the_bureau_publishes(client_for, published, role):
    url = reverse("leaderboard-publish", args=[published.race.code, published.latest_period.code])
    assert client_for(role).post(url).status_code == 403
    assert client_for(role).get(url).status_code == 405


def test_publishing_a_period_without_values_says_why_and_publishes_nothing(client_for, published):
    url = reverse("leaderboard-publish", args=[published.race.code, "2031Q1"])
    response = client_for(Role.REVIEWER).post(url, follow=True)
    assert "nothing to publish" in response.content.decode()
    assert not published.race.publications.filter(period="2031Q1").exists()
