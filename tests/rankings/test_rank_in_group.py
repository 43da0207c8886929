"""'Rank in group' means the rank on the value as entered, on the district and indicator pages.

A race may rank a measure derived from the value instead (here: progress against the year
elapsed); where that rank differs, the district page shows it too, labelled.
"""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from districts.periods import Period
from rankings.services.publishing import standings_publish
from rankings.services.races import race_load
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def progress_race():
    """Big enters more investment, but Small is further through its own annual target."""
    group = GroupFactory(code="g")
    big = DistrictFactory(group=group, code="BIG", name_en="Big District")
    small = DistrictFactory(group=group, code="SMALL", name_en="Small District")
    investment = IndicatorFactory(code="investment", unit="亿元", decimals=1)
    # Big: 50 of 200 done (25 %); Small: 40 of 80 done (50 %); half the year has elapsed.
    ValueFactory(
        district=big,
        indicator=investment,
        period="2025Q2",
        value=Decimal("50"),
        target=Decimal("200"),
    )
    ValueFactory(
        district=small,
        indicator=investment,
        period="2025Q2",
        value=Decimal("40"),
        target=Decimal("80"),
    )
    spec = {
        "code": "progress-race",
        "name": "进度赛马",
        "group": "g",
        "defaults": {"normalisation": {"method": "minmax"}},
        "nodes": [{"indicator": "investment", "weight": 1, "input": "progress"}],
    }
    race = race_load(spec=spec).race
    standings_publish(race=race, period=Period.parse("2025Q2"))
    return big, small


def _indicator_row(html: str, code: str) -> str:
    """The district page's table row of one indicator (from its link to the end of the row)."""
    after_link = html.split(f'href="{reverse("indicator", args=[code])}')[1]
    return after_link.split("</tr>")[0]


def test_the_district_page_ranks_the_entered_value_and_names_the_races_own_rank(
    client, progress_race
):
    big, _small = progress_race
    client.force_login(user_with_role(Role.VIEWER))

    html = client.get(reverse("district", args=[big.code])).content.decode()

    row = _indicator_row(html, "investment")
    # 50 亿元 is the larger investment: first on the value; last on progress (25 % vs 50 %).
    assert re.search(
        r'<td class="number">1<br><span class="muted">race: 2 on progress '
        r"against the year elapsed</span></td>",
        row,
    ), row


def test_the_district_page_adds_nothing_where_the_two_ranks_agree(client, progress_race):
    _big, small = progress_race
    client.force_login(user_with_role(Role.VIEWER))

    html = client.get(reverse("district", args=[small.code])).content.decode()

    # Small is second on the value and first on progress: both are shown.
    assert "race: 1 on progress against the year elapsed" in html
    assert "race: 2 on progress" not in html


def test_the_indicator_page_gives_the_same_rank_in_group_as_the_district_page(
    client, progress_race
):
    big, small = progress_race
    client.force_login(user_with_role(Role.VIEWER))

    html = client.get(
        reverse("indicator", args=["investment"]) + "?group=g&period=2025Q2"
    ).content.decode()

    rows = re.findall(
        r'<td class="number">(\d+)</td>\s*<th scope="row"><a href="[^"]*">([^<]+)</a>', html
    )
    assert rows == [("1", "Big District"), ("2", "Small District")]
