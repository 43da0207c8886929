"""The data-quality page: every figure of a period the checks flag, with its justification,
ordered by how many places it moves its district in a race when set to the group median."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from districts.checks import Warning
from districts.models import Indicator, ValueStatus
from districts.periods import Period
from districts.presenters import warning_text
from districts.selectors.quality import period_quality
from rankings.models import Race
from rankings.services.races import race_load
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db

PERIOD = "2025Q2"


def url(period=PERIOD):
    return reverse("entry-quality", args=[period])


def raw_race(code, indicators, *, tie_break=()):
    """A race whose score is the plain mean of the figures: easy to work out by hand."""
    return race_load(
        spec={
            "code": code,
            "name": code,
            "name_en": f"{code.title()} race",
            "group": "g",
            "score": {"aggregation": "weighted_mean", "round": 2, "tie_break": list(tie_break)},
            "defaults": {"normalisation": {"method": "raw"}, "missing": "average"},
            "nodes": [{"indicator": code, "weight": 1} for code in indicators],
        }
    ).race


@pytest.fixture
def city():
    """Five districts race on x + y (the mean of the two figures, higher is better).

    2025Q2      x    y   score  rank
    Anshan     30    5   17.5    1   x is an outlier (robust z 12.8); y is up 400% on Q1 (1)
    Baishan    10   10   10.0    3
    Changling  11    8    9.5    4   y is up 60% on Q1 (5)
    Dehui      12    6    9.0    5
    Erdao       9   12   10.5    2

    Group medians: x 11, y 8.
    - Anshan's x at 11 scores (11 + 5) / 2 = 8: last, 5th. It moves 4 places.
    - Anshan's y at 8 scores (30 + 8) / 2 = 19: still 1st. It moves none.
    - Changling's y is the median already: it moves none.
    Both of Anshan's figures await review, so only a race on every status sees them.
    """
    group = GroupFactory(code="g", name_en="Counties")
    x = IndicatorFactory(code="x", name_en="Output", change_threshold=Decimal("30"))
    y = IndicatorFactory(code="y", name_en="Jobs", change_threshold=Decimal("30"))
    raw_race("economy", ["x", "y"], tie_break=["x"])
    names = ["Anshan", "Baishan", "Changling", "Dehui", "Erdao"]
    districts = {
        name: DistrictFactory(code=name[0], name_en=name, group=group, order=order)
        for order, name in enumerate(names)
    }
    figures = {"x": [30, 10, 11, 12, 9], "y": [5, 10, 8, 6, 12]}
    for indicator in (x, y):
        for name, figure in zip(names, figures[indicator.code], strict=True):
            ValueFactory(district=districts[name], indicator=indicator, period=PERIOD, value=figure)
    for name, figure in (("Anshan", 1), ("Changling", 5)):
        ValueFactory(district=districts[name], indicator=y, period="2025Q1", value=figure)
    anshan = districts["Anshan"].values.filter(period=PERIOD)
    anshan.filter(indicator=x).update(
        status=ValueStatus.SUBMITTED, justification="A car plant opened in May"
    )
    anshan.filter(indicator=y).update(status=ValueStatus.DRAFT)
    districts["Changling"].values.filter(period=PERIOD, indicator=y).update(
        status=ValueStatus.RETURNED
    )
    return {"group": group, "districts": districts, "x": x, "y": y}


def listing(report):
    return [
        (item.value.district.code, item.value.indicator.code, item.impact)
        for item in report.flagged
    ]


# --- who may see it ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_bureau_reads_the_page(client, city, role):
    client.force_login(user_with_role(role))
    assert client.get(url()).status_code == 200


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICIAL, Role.VIEWER])
def test_everyone_else_is_refused(client, city, role):
    client.force_login(user_with_role(role, districts=[city["districts"]["Anshan"]]))
    assert client.get(url()).status_code == 403


def test_a_user_without_a_role_is_refused(client, city):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123456789"))
    assert client.get(url()).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("code", ["2025Q5", "2025-00", "latest", "3000"])
def test_a_period_that_does_not_exist_is_not_found(client, city, code):
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(url(code)).status_code == 404


def test_the_first_and_last_possible_periods_render(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(url("1900Q1")).status_code == 200
    assert client.get(url("2999-12")).status_code == 200


# --- the order: the figure that changes the order first ----------------------------------


def test_the_figure_that_changes_the_order_comes_first(city):
    report = period_quality(period=Period.parse(PERIOD))
    # Equal impacts: Anshan's y (400% past a 30% threshold, 13.3 times the limit) before
    # Changling's y (60%, twice the limit).
    assert listing(report) == [("A", "x", 4), ("A", "y", 0), ("C", "y", 0)]
    assert report.values_checked == 10


def test_the_impact_compares_the_rank_as_entered_with_the_rank_at_the_median(city):
    report = period_quality(period=Period.parse(PERIOD))
    ranks = [
        [(i.race.code, i.rank_as_entered, i.rank_at_median, i.places) for i in item.impacts]
        for item in report.flagged
    ]
    assert ranks == [[("economy", 1, 5, 4)], [("economy", 1, 1, 0)], [("economy", 4, 4, 0)]]
    assert [item.group_median for item in report.flagged] == [11, 8, 8]


def test_the_largest_move_over_the_group_races_counts(city):
    # On y alone: Erdao 12, Baishan 10, Changling 8, Dehui 6, Anshan 5 (last). Anshan's y at
    # the median 8 ties Changling for 3rd: two places up.
    raw_race("jobs", ["y"])
    report = period_quality(period=Period.parse(PERIOD))
    assert listing(report) == [("A", "x", 4), ("A", "y", 2), ("C", "y", 0)]
    anshan_y = report.flagged[1]
    assert {(i.race.code, i.rank_as_entered, i.rank_at_median) for i in anshan_y.impacts} == {
        ("economy", 1, 1),
        ("jobs", 5, 3),
    }


def test_inactive_races_and_districts_are_left_out(city):
    raw_race("jobs", ["y"])
    Race.objects.filter(code="jobs").update(active=False)
    dehui = city["districts"]["Dehui"]
    ValueFactory(district=dehui, indicator=city["y"], period="2025Q1", value=2)  # y up 200%
    # Dehui's y at the median 8 scores (12 + 8) / 2 = 10, level with Baishan; its better x
    # breaks the tie: from 5th to 3rd.
    assert ("D", "y", 2) in listing(period_quality(period=Period.parse(PERIOD)))
    dehui.active = False
    dehui.save()
    # Without Dehui the medians are x 10.5 and y 9. Anshan's x at 10.5 scores 7.75: last of
    # four, 3 places down. Changling's y at 9 scores 10, level with Baishan, and its better x
    # puts it 3rd: a place up. Anshan's y at 9 leaves it 1st.
    report = period_quality(period=Period.parse(PERIOD))
    assert listing(report) == [("A", "x", 3), ("C", "y", 1), ("A", "y", 0)]
    assert [i.race.code for i in report.flagged[0].impacts] == ["economy"]


def test_a_figure_no_race_ranks_comes_after_those_that_a_race_ranks(city):
    z = IndicatorFactory(code="z", name_en="Tourists", change_threshold=Decimal("10"))
    anshan = city["districts"]["Anshan"]
    ValueFactory(district=anshan, indicator=z, period="2025Q1", value=10)
    ValueFactory(district=anshan, indicator=z, period=PERIOD, value=90)
    report = period_quality(period=Period.parse(PERIOD))
    assert listing(report)[-1] == ("A", "z", None)
    assert report.flagged[-1].impacts == ()


# --- what the page says ---------------------------------------------------------------------


def test_the_page_lists_each_warning_in_words_with_its_justification(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(url()).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr")[1:]
    assert len(rows) == 3
    anshan_x, anshan_y, changling_y = rows
    assert "4 places" in anshan_x and "Output" in anshan_x and "30%" in anshan_x
    assert "robust z-score 12.8 against the group median 11.0%" in anshan_x
    assert "A car plant opened in May" in anshan_x and "submitted" in anshan_x
    assert "Economy race: 1 → 5" in anshan_x
    assert "0 places" in anshan_y
    assert "up 400.0% on 2025Q1 (threshold 30%)" in anshan_y
    assert "none yet" in anshan_y and "draft" in anshan_y
    assert "up 60.0% on 2025Q1 (threshold 30%)" in changling_y and "returned" in changling_y
    assert f'href="{reverse("entry-review", args=["C", PERIOD])}"' in changling_y


def test_the_page_says_the_impact_reads_figures_of_every_status(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(url()).content.decode()
    assert "Computed on the figures as they stand now." in html
    assert "Published standings read approved figures only." in html
    assert "3 figures flagged of 10 entered for the period." in html


def test_a_period_without_flagged_figures_says_so(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(url("2024Q4")).content.decode()
    assert "The checks flag no figure of 2024Q4." in html


@pytest.mark.parametrize(
    ("warning", "text"),
    [
        (Warning("change", "previous", 9, 5, 80.0), "up 80.0% on 2025Q1 (threshold 30%)"),
        (Warning("change", "last_year", 2, 10, -80.0), "down 80.0% on 2024Q2 (threshold 30%)"),
        (
            Warning("outlier", "group", 40, 6.1, -5.24),
            "robust z-score -5.2 against the group median 6.1%",
        ),
    ],
)
def test_warnings_read_as_sentences(warning, text):
    indicator = Indicator(code="x", unit="%", decimals=1, change_threshold=Decimal("30.00"))
    assert warning_text(warning, indicator=indicator, period=Period.parse(PERIOD)) == text


def test_a_race_that_cannot_be_computed_is_named_not_a_server_error(client, city):
    gone = IndicatorFactory(code="gone")
    raw_race("broken", ["y", "gone"])
    gone.delete()
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.get(url())
    assert response.status_code == 200
    assert "Broken race: no such indicator: gone" in response.content.decode()
    assert listing(response.context["report"])[0] == ("A", "x", 4)


# --- cost ----------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_4_or_12_districts(client):
    group = GroupFactory(code="g")
    x = IndicatorFactory(code="x", change_threshold=Decimal("30"))
    y = IndicatorFactory(code="y", change_threshold=Decimal("30"))
    raw_race("economy", ["x", "y"])
    raw_race("jobs", ["y"])
    client.force_login(user_with_role(Role.REVIEWER))

    def add_districts(n):
        for _ in range(n):
            district = DistrictFactory(group=group)
            for indicator in (x, y):
                ValueFactory(district=district, indicator=indicator, period="2025Q1", value=5)
                # Every figure doubled since the last quarter: every one is flagged.
                ValueFactory(district=district, indicator=indicator, period=PERIOD, value=10)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url()).status_code == 200
        return len(captured)

    add_districts(4)
    queries()  # the first request of a session reads what later ones find cached
    small = queries()
    add_districts(8)
    assert len(period_quality(period=Period.parse(PERIOD)).flagged) == 24
    assert queries() == small
