"""The indicator page: every district of a group on one indicator, best first."""

import re
from decimal import Decimal
from statistics import fmean

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from districts.models import Value
from rankings.services.publishing import standings_publish
from tests.builders import build_published_race, user_with_role
from tests.factories import DistrictFactory, GroupFactory, ValueFactory

ROW = re.compile(
    r'<td class="number">(?P<rank>[^<]*)</td>\s*'
    r'<th scope="row"><a href="/districts/(?P<code>[^/]+)/">'
)


def page_url(indicator, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("indicator", args=[indicator.code]) + (f"?{query}" if query else "")


def republish(published) -> None:
    """Publish the latest period again after a test changed its figures (a new revision)."""
    standings_publish(race=published.race, period=published.latest_period)


def listed(html: str) -> list[tuple[str, str]]:
    """(rank, district code) of each row, top to bottom."""
    return [(m["rank"].strip(), m["code"]) for m in ROW.finditer(html)]


def test_it_sends_anonymous_readers_to_sign_in(client, published):
    response = client.get(page_url(published.indicators[0]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_refuses_a_signed_in_user_without_a_role(client, published):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-pass-12345"))

    assert client.get(page_url(published.indicators[0])).status_code == 403


@pytest.mark.parametrize("role", list(Role))
def test_every_role_can_read_it(client_for, published, role):
    response = client_for(role).get(page_url(published.indicators[0]))

    assert response.status_code == 200
    assert published.indicators[0].name_en in response.content.decode()


@pytest.mark.parametrize(
    "path", ["/indicators/no-such-indicator/", "?group=no-such-group", "?period=soon"]
)
def test_it_answers_404_for_unknown_codes(client_for, published, path):
    url = path if path.startswith("/") else page_url(published.indicators[0]) + path

    assert client_for(Role.VIEWER).get(url).status_code == 404


def test_it_defaults_to_the_first_group_and_the_latest_period_with_values(client_for, published):
    html = client_for(Role.VIEWER).get(page_url(published.indicators[0])).content.decode()

    assert '<option value="2025Q2" selected>' in html
    assert f'<option value="{published.group.code}" selected>' in html
    assert len(listed(html)) == len(published.districts)


def test_higher_is_better_lists_the_largest_value_first(client_for, published):
    indicator = published.indicators[0]
    values = Value.objects.filter(indicator=indicator, period="2025Q1")
    expected = [v.district.code for v in sorted(values, key=lambda v: (-v.value, v.district.order))]

    html = client_for(Role.VIEWER).get(page_url(indicator, period="2025Q1")).content.decode()

    assert [code for _rank, code in listed(html)] == expected


def test_lower_is_better_lists_the_smallest_value_first(client_for, published):
    indicator = published.indicators[-1]
    assert indicator.direction == "lower"
    values = Value.objects.filter(indicator=indicator, period="2025Q2")
    expected = [v.district.code for v in sorted(values, key=lambda v: v.value)]

    html = client_for(Role.VIEWER).get(page_url(indicator, period="2025Q2")).content.decode()

    assert "lower is better" in html
    assert [code for _rank, code in listed(html)] == expected
    assert listed(html)[0][0] == "1"


def test_equal_values_share_a_competition_rank(client_for, published):
    indicator = published.indicators[0]
    first, second, third, fourth = published.districts
    for district, number in [(first, 9), (second, 9), (third, 5), (fourth, 1)]:
        Value.objects.filter(district=district, indicator=indicator, period="2025Q2").update(
            value=Decimal(number)
        )
    republish(published)

    html = client_for(Role.VIEWER).get(page_url(indicator)).content.decode()

    assert [rank for rank, _code in listed(html)] == ["=1", "=1", "3", "4"]


def test_the_group_average_is_the_mean_of_the_entered_values(client_for, published):
    indicator = published.indicators[1]
    values = Value.objects.filter(indicator=indicator, period="2025Q2")
    average = fmean(float(v.value) for v in values)

    html = client_for(Role.VIEWER).get(page_url(indicator)).content.decode()

    assert f"<strong>{average:,.1f} %</strong>" in html
    assert "Group average" in html


def test_each_row_has_a_bar_with_its_number_beside_it(client_for, published):
    indicator = published.indicators[0]
    values = Value.objects.filter(indicator=indicator, period="2025Q2")
    widest = max(values, key=lambda v: abs(v.value))

    html = client_for(Role.VIEWER).get(page_url(indicator)).content.decode()

    assert html.count('<svg class="bar-track"') == len(values) + 1  # and the average
    assert '<rect class="bar" width="100.0"' in html
    assert f'<span class="bar-value">{widest.value:,.1f}%</span>' in html


def test_targets_show_completion_against_the_year_elapsed(client_for, published):
    indicator = published.indicators[0]
    Value.objects.filter(
        district=published.districts[0], indicator=indicator, period="2025Q2"
    ).update(value=Decimal(10), target=Decimal(20))
    republish(published)

    html = re.sub(r"\s+", " ", client_for(Role.VIEWER).get(page_url(indicator)).content.decode())

    assert "50.0% of 20 % done; 50.0% of the year elapsed" in html
    assert "on schedule" in html


def test_it_says_who_entered_each_value_and_when(client_for, published, users):
    indicator = published.indicators[0]
    Value.objects.filter(indicator=indicator, period="2025Q2").update(entered_by=users[Role.CLERK])

    # The bureau reads the figures as they stand; the published citation is unchanged, since
    # who typed a figure does not change the standings.
    html = client_for(Role.REVIEWER).get(page_url(indicator)).content.decode()

    assert html.count("entered by clerk on ") == len(published.districts)


def test_district_names_link_to_the_district_page(client_for, published):
    html = client_for(Role.VIEWER).get(page_url(published.indicators[0])).content.decode()

    for district in published.districts:
        assert f'href="{reverse("district", args=[district.code])}"' in html


def test_another_group_can_be_chosen_by_the_bureau_before_it_is_published(client_for, published):
    other = GroupFactory()
    elsewhere = DistrictFactory(group=other)
    ValueFactory(district=elsewhere, indicator=published.indicators[0], period="2025Q4")

    html = (
        client_for(Role.REVIEWER)
        .get(page_url(published.indicators[0], group=other.code))
        .content.decode()
    )

    assert listed(html) == [("1", elsewhere.code)]
    assert '<option value="2025Q4" selected>' in html
    assert "not published" in html


def test_readers_see_published_figures_only(client_for, published):
    indicator = published.indicators[0]
    leader = published.districts[0]
    # A correction entered after publishing, and a whole new period nobody has published.
    Value.objects.filter(district=leader, indicator=indicator, period="2025Q2").update(
        value=Decimal("99.5")
    )
    ValueFactory(district=leader, indicator=indicator, period="2025Q3", value=Decimal("42.5"))

    for role in (Role.VIEWER, Role.OFFICIAL, Role.CLERK):
        html = client_for(role).get(page_url(indicator)).content.decode()
        assert "99.5" not in html and "42.5" not in html
        assert "2025Q3" not in html
        assert "7.5%" in html  # the published figure of the leader (see the builder's pattern)
    assert client_for(Role.VIEWER).get(page_url(indicator, period="2025Q3")).status_code == 200
    assert (
        "42.5"
        not in client_for(Role.VIEWER).get(page_url(indicator, period="2025Q3")).content.decode()
    )


def test_the_bureau_sees_unpublished_figures_marked(client_for, published):
    indicator = published.indicators[0]
    ValueFactory(
        district=published.districts[0],
        indicator=indicator,
        period="2025Q3",
        value=Decimal("42.5"),
        status="submitted",
    )

    html = client_for(Role.REVIEWER).get(page_url(indicator, period="2025Q3")).content.decode()

    assert "42.5%" in html
    assert "not published: submitted" in html


def test_a_district_without_a_value_is_listed_last(client_for, published):
    indicator = published.indicators[0]
    Value.objects.filter(
        district=published.districts[0], indicator=indicator, period="2025Q2"
    ).delete()
    republish(published)

    html = client_for(Role.VIEWER).get(page_url(indicator)).content.decode()

    assert listed(html)[-1] == ("—", published.districts[0].code)
    assert "not entered" in html


def test_the_number_of_queries_does_not_grow_with_districts_or_periods(
    client, db, django_assert_max_num_queries
):
    small = build_published_race(districts=4, periods=2)
    big = build_published_race(districts=12, periods=4, code="big")
    client.force_login(user_with_role(Role.VIEWER))
    small_url = page_url(small.indicators[0], group=small.group.code)
    client.get(small_url)  # warm the caches of the first request

    with CaptureQueriesContext(connection) as queries:
        assert client.get(small_url).status_code == 200
    with django_assert_max_num_queries(len(queries)):
        response = client.get(page_url(big.indicators[0], group=big.group.code))

    assert response.status_code == 200
    assert len(listed(response.content.decode())) == 12
