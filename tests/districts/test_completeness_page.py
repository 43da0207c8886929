"""The completeness page: for every district of every group, how much of what its races rank is
entered and where it stands in review; the period's deadline and which returns are late."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from districts.models import DataReturn, PeriodDeadline, ReturnStatus, ValueStatus
from districts.periods import Period
from districts.selectors.completeness import Timeliness, period_completeness, timeliness
from rankings.services.races import race_load
from tests.builders import race_spec, user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
PERIOD = "2025Q2"


@pytest.fixture(autouse=True)
def shanghai_time(settings):
    settings.TIME_ZONE = "Asia/Shanghai"


def url(period=PERIOD):
    return reverse("entry-completeness", args=[period])


def submitted_return(district, when, status=ReturnStatus.SUBMITTED):
    return DataReturn.objects.create(
        district=district, period=PERIOD, status=status, first_submitted_at=when, submitted_at=when
    )


@pytest.fixture
def city():
    """Counties race on gdp, industry and retail (quarterly); a monthly and a retired indicator
    and an inactive race do not count. Suburbs have no race at all."""
    counties = GroupFactory(code="counties", name_en="Counties", order=1)
    suburbs = GroupFactory(code="suburbs", name_en="Suburbs", order=2)
    gdp, industry, retail = (
        IndicatorFactory(code=code, name_en=name, order=order)
        for order, (code, name) in enumerate(
            [("gdp", "GDP"), ("industry", "Industry"), ("retail", "Retail")]
        )
    )
    jobs = IndicatorFactory(code="jobs", name_en="Jobs", frequency="monthly")
    retired = IndicatorFactory(code="retired", name_en="Retired")
    unranked = IndicatorFactory(code="unranked", name_en="Not ranked")
    other = IndicatorFactory(code="other", name_en="Other race only")
    # Version 1 ranked "retired"; the current version 2 no longer does.
    race_load(spec=race_spec(code="economy", group="counties", indicators=[gdp, retired]))
    race_load(spec=race_spec(code="economy", group="counties", indicators=[gdp, industry, jobs]))
    race_load(spec=race_spec(code="shops", group="counties", indicators=[retail, gdp]))
    race_load(spec=race_spec(code="dormant", group="counties", indicators=[other]), active=False)
    anshan, baishan, changling = (
        DistrictFactory(code=code, name_en=name, group=counties, order=order)
        for order, (code, name) in enumerate(
            [("A", "Anshan"), ("B", "Baishan"), ("C", "Changling")]
        )
    )
    DistrictFactory(code="Z", name_en="Closed county", group=counties, active=False)
    DistrictFactory(code="S", name_en="Suburb", group=suburbs)

    def enter(district, indicator, status):
        ValueFactory(district=district, indicator=indicator, period=PERIOD, status=status)

    for indicator in (gdp, industry, retail):
        enter(anshan, indicator, ValueStatus.APPROVED)
    enter(anshan, unranked, ValueStatus.APPROVED)  # not expected: not counted
    enter(baishan, gdp, ValueStatus.SUBMITTED)
    enter(baishan, industry, ValueStatus.RETURNED)
    enter(changling, gdp, ValueStatus.DRAFT)
    PeriodDeadline.objects.create(period=PERIOD, due=date(2025, 7, 15))
    # Anshan came in a minute before midnight of the due day (Beijing time): on time.
    submitted_return(anshan, datetime(2025, 7, 15, 23, 59, tzinfo=SHANGHAI), ReturnStatus.APPROVED)
    # Baishan half an hour after midnight: still 15 July in UTC, but a day late in Beijing.
    submitted_return(baishan, datetime(2025, 7, 16, 0, 30, tzinfo=SHANGHAI), ReturnStatus.RETURNED)
    # Changling has not submitted.
    return {"counties": counties, "suburbs": suburbs, "districts": [anshan, baishan, changling]}


def rows_by_code(report):
    return {row.district.code: row for block in report.groups for row in block.districts}


# --- who may see it ---------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.ADMINISTRATOR])
def test_the_bureau_reads_the_page(client, city, role):
    client.force_login(user_with_role(role))
    assert client.get(url()).status_code == 200


@pytest.mark.parametrize("role", [Role.CLERK, Role.OFFICIAL, Role.VIEWER])
def test_everyone_else_is_refused(client, city, role):
    client.force_login(user_with_role(role, districts=city["districts"][:1]))
    assert client.get(url()).status_code == 403


def test_a_clerk_cannot_set_the_deadline(client, city):
    client.force_login(user_with_role(Role.CLERK, districts=city["districts"][:1]))
    assert client.post(url(), {"due": "2030-01-01"}).status_code == 403
    assert PeriodDeadline.objects.get(period=PERIOD).due == date(2025, 7, 15)


def test_a_user_without_a_role_is_refused(client, city):
    client.force_login(get_user_model().objects.create_user("nobody", password="x-123456789"))
    assert client.get(url()).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, city):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("code", ["2025Q5", "2025-13", "soon", "1899"])
def test_a_period_that_does_not_exist_is_not_found(client, city, code):
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(url(code)).status_code == 404


def test_the_first_and_last_possible_periods_render(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(url("1900Q1")).status_code == 200
    assert client.get(url("2999-12")).status_code == 200


# --- what is expected and what is entered ------------------------------------------------


def test_expected_indicators_come_from_the_current_methodology_of_active_races(city):
    report = period_completeness(period=Period.parse(PERIOD), today=date(2025, 7, 20))
    counties = report.groups[0]
    # gdp is in both races but counted once; jobs is monthly; retired left in version 2;
    # "other" belongs to an inactive race.
    assert [i.code for i in counties.indicators] == ["gdp", "industry", "retail"]
    assert [row.expected for row in counties.districts] == [3, 3, 3]


def test_only_active_districts_are_listed_group_by_group(city):
    report = period_completeness(period=Period.parse(PERIOD), today=date(2025, 7, 20))
    assert [block.group.code for block in report.groups] == ["counties", "suburbs"]
    assert [row.district.code for row in report.groups[0].districts] == ["A", "B", "C"]
    suburbs = report.groups[1]
    assert suburbs.indicators == [] and suburbs.districts[0].expected == 0


def test_each_district_counts_its_expected_figures_by_status(city):
    rows = rows_by_code(period_completeness(period=Period.parse(PERIOD), today=date(2025, 7, 20)))
    counts = {
        code: (row.entered, row.draft, row.submitted, row.returned, row.approved, row.missing)
        for code, row in rows.items()
    }
    # Anshan's figure for an indicator no race ranks is not counted.
    assert counts == {
        "A": (3, 0, 0, 0, 3, 0),
        "B": (2, 0, 1, 1, 0, 1),
        "C": (1, 1, 0, 0, 0, 2),
        "S": (0, 0, 0, 0, 0, 0),
    }


def test_the_group_totals_add_up_its_districts(city):
    report = period_completeness(period=Period.parse(PERIOD), today=date(2025, 7, 20))
    totals = report.groups[0].totals
    assert (totals.expected, totals.entered, totals.draft, totals.submitted) == (9, 6, 1, 1)
    assert (totals.returned, totals.approved) == (1, 3)
    assert (totals.on_time, totals.late, totals.not_submitted) == (1, 2, 0)


# --- timeliness ---------------------------------------------------------------------------


def test_lateness_is_judged_on_the_first_submission_in_the_city_time_zone(city):
    rows = rows_by_code(period_completeness(period=Period.parse(PERIOD), today=date(2025, 7, 20)))
    assert (rows["A"].timeliness, rows["A"].days_late) == (Timeliness.ON_TIME, None)
    assert (rows["B"].timeliness, rows["B"].days_late) == (Timeliness.LATE, 1)
    # Not submitted five days after the due day: late by five days, and counting.
    assert (rows["C"].timeliness, rows["C"].days_late) == (Timeliness.LATE, 5)


def test_a_return_not_submitted_before_the_due_day_has_passed_is_not_late(city):
    for today in (date(2025, 7, 1), date(2025, 7, 15)):
        rows = rows_by_code(period_completeness(period=Period.parse(PERIOD), today=today))
        assert (rows["C"].timeliness, rows["C"].days_late) == (Timeliness.NOT_SUBMITTED, None)


def test_a_resubmission_keeps_the_day_the_return_first_came_in(city):
    baishan = DataReturn.objects.get(district__code="B", period=PERIOD)
    baishan.submitted_at = datetime(2025, 8, 30, 9, 0, tzinfo=SHANGHAI)
    baishan.save()
    rows = rows_by_code(period_completeness(period=Period.parse(PERIOD), today=date(2025, 9, 1)))
    assert (rows["B"].timeliness, rows["B"].days_late) == (Timeliness.LATE, 1)


def test_without_a_deadline_nothing_is_late():
    due = None
    today = date(2030, 1, 1)
    on = datetime(2025, 7, 16, tzinfo=SHANGHAI)
    assert timeliness(first_submitted_at=on, due=due, today=today) == (
        Timeliness.NO_DEADLINE,
        None,
    )
    assert timeliness(first_submitted_at=None, due=due, today=today) == (
        Timeliness.NOT_SUBMITTED,
        None,
    )


def test_the_page_shows_each_return_against_the_deadline(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(url()).content.decode()
    assert "Returns for 2025Q2 are due on July 15, 2025." in html
    row = {
        code: html.split(f'{reverse("entry-review", args=[code, PERIOD])}"')[1].split("</tr>")[0]
        for code in "ABC"
    }
    assert "on time" in row["A"] and "<td>approved</td>" in row["A"]
    assert "July 15, 2025, 11:59 p.m." in row["A"]
    assert "late by 1 day<" in row["B"] and "<td>returned</td>" in row["B"]
    assert "July 16, 2025, 12:30 a.m." in row["B"]
    assert "late by" in row["C"] and "not submitted yet" in row["C"] and "not started" in row["C"]
    assert "1 on time, 2 late, 0 not submitted and not late" in html


def test_each_district_links_to_its_review_page(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(url()).content.decode()
    for district in city["districts"]:
        assert f'href="{reverse("entry-review", args=[district.code, PERIOD])}"' in html
    assert "Closed county" not in html


# --- the deadline form ----------------------------------------------------------------------


def test_the_bureau_sets_the_deadline_of_a_period(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.post(url("2025Q3"), {"due": "2025-10-20"}, follow=True)
    assert response.redirect_chain == [(url("2025Q3"), 302)]
    assert PeriodDeadline.objects.get(period="2025Q3").due == date(2025, 10, 20)
    html = response.content.decode()
    assert "Returns for 2025Q3 are now due on Oct. 20, 2025." in html
    assert 'value="2025-10-20"' in html


def test_the_bureau_moves_a_deadline(client, city):
    client.force_login(user_with_role(Role.ADMINISTRATOR))
    client.post(url(), {"due": "2025-07-25"})
    assert PeriodDeadline.objects.get(period=PERIOD).due == date(2025, 7, 25)
    rows = rows_by_code(period_completeness(period=Period.parse(PERIOD), today=date(2025, 7, 20)))
    assert rows["B"].timeliness == Timeliness.ON_TIME


def test_a_lower_case_period_sets_the_deadline_of_the_canonical_period(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.post(url("2025q3"), {"due": "2025-10-20"})
    assert response["Location"] == url("2025Q3")
    assert PeriodDeadline.objects.filter(period="2025Q3").exists()


@pytest.mark.parametrize("due", ["", "2025-02-30", "next week", "15/07/2025", "99999-01-01"])
def test_a_date_that_is_not_one_is_refused_with_a_message(client, city, due):
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.post(url(), {"due": due})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Please correct the following:" in html
    assert PeriodDeadline.objects.get(period=PERIOD).due == date(2025, 7, 15)


def test_a_period_without_a_deadline_says_nothing_is_late(client, city):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(url("2025Q3")).content.decode()
    assert "No deadline is set for 2025Q3, so no return counts as late." in html


# --- cost ----------------------------------------------------------------------------------


def test_the_page_costs_the_same_queries_for_4_or_12_districts(client):
    group = GroupFactory(code="g")
    indicators = [IndicatorFactory() for _ in range(2)]
    race_load(spec=race_spec(code="r", group="g", indicators=indicators))
    client.force_login(user_with_role(Role.REVIEWER))
    PeriodDeadline.objects.create(period=PERIOD, due=date(2025, 7, 15))

    def add_districts(n):
        for _ in range(n):
            district = DistrictFactory(group=group)
            for indicator in indicators:
                ValueFactory(district=district, indicator=indicator, period=PERIOD)
            submitted_return(district, datetime(2025, 7, 1, tzinfo=SHANGHAI))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url()).status_code == 200
        return len(captured)

    add_districts(4)
    queries()  # the first request of a session reads what later ones find cached
    small = queries()
    add_districts(8)
    indicators += [IndicatorFactory() for _ in range(5)]
    race_load(spec=race_spec(code="r", group="g", indicators=indicators))
    GroupFactory(code="h")
    DistrictFactory(group__code="h")
    assert queries() == small
