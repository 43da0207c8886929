"""The review page: the bureau approves or returns a whole return; the clerk reads it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from districts.models import DataReturn, Value
from districts.periods import Period
from districts.services.entry import value_save
from districts.services.review import return_submit
from tests.builders import user_with_role
from tests.factories import DistrictFactory, GroupFactory, IndicatorFactory, ValueFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted():
    group = GroupFactory(code="g")
    district = DistrictFactory(group=group, code="220106", name_en="Lüyuan District")
    other = DistrictFactory(group=group, code="220105")
    gdp = IndicatorFactory(code="gdp", name_en="GDP growth", unit="%", change_threshold=30)
    ValueFactory(district=district, indicator=gdp, period="2025Q1", value=Decimal("5"))
    ValueFactory(district=district, indicator=gdp, period="2024Q2", value=Decimal("4.2"))
    clerk = user_with_role(Role.CLERK, districts=[district])
    value_save(
        user=clerk,
        district=district,
        indicator=gdp,
        period="2025Q2",
        value=Decimal("9"),
        target=Decimal("7"),
        justification="A car plant opened",
    )
    return_submit(user=clerk, district=district, period=Period.parse("2025Q2"))
    return {"district": district, "other": other, "clerk": clerk}


def review_url(district, period="2025Q2"):
    return reverse("entry-review", args=[district.code, period])


def test_the_reviewer_sees_each_figure_beside_last_period_last_year_target_and_checks(
    client, submitted
):
    client.force_login(user_with_role(Role.REVIEWER))
    html = client.get(review_url(submitted["district"])).content.decode()

    row = html.split('<th scope="row">GDP growth</th>')[1].split("</tr>")[0]
    cells = [c.split("</td>")[0].strip() for c in row.split('<td class="number">')[1:5]]
    assert cells == ["9%", "5%", "4.2%", "7%"]
    assert "up 80.0% on 2025Q1 (threshold 30%)" in row
    assert "A car plant opened" in row
    assert 'value="approve"' in html and 'value="return"' in html


def test_the_reviewer_returns_the_whole_return_with_a_reason(client, submitted):
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.post(
        review_url(submitted["district"]), {"action": "return", "reason": "Check the plant"}
    )

    assert response.status_code == 302
    data_return = DataReturn.objects.get(district=submitted["district"])
    assert (data_return.status, data_return.reason) == ("returned", "Check the plant")
    assert Value.objects.get(period="2025Q2").status == "returned"


def test_returning_without_a_reason_is_refused_on_the_form(client, submitted):
    client.force_login(user_with_role(Role.REVIEWER))
    response = client.post(review_url(submitted["district"]), {"action": "return", "reason": ""})

    assert response.status_code == 200
    assert "Write the reason" in response.content.decode()
    assert DataReturn.objects.get(district=submitted["district"]).status == "submitted"


def test_the_reviewer_approves_and_the_figures_are_approved(client, submitted):
    client.force_login(user_with_role(Role.REVIEWER))
    client.post(review_url(submitted["district"]), {"action": "approve"})

    assert DataReturn.objects.get(district=submitted["district"]).status == "approved"
    assert Value.objects.get(period="2025Q2").status == "approved"


def test_the_clerk_reads_his_return_but_cannot_decide(client, submitted):
    client.force_login(submitted["clerk"])
    page = client.get(review_url(submitted["district"]))
    assert page.status_code == 200
    assert 'value="approve"' not in page.content.decode()

    assert client.post(review_url(submitted["district"]), {"action": "approve"}).status_code == 403
    assert Value.objects.get(period="2025Q2").status == "submitted"


@pytest.mark.parametrize("role", [Role.OFFICIAL, Role.VIEWER])
def test_readers_do_not_see_returns(client, submitted, role):
    client.force_login(user_with_role(role))
    assert client.get(review_url(submitted["district"])).status_code == 403


def test_a_clerk_cannot_open_another_districts_return(client, submitted):
    client.force_login(submitted["clerk"])
    assert client.get(review_url(submitted["other"])).status_code == 403


@pytest.mark.parametrize("period", ["2025Q5", "²"])
def test_a_bad_period_is_not_found(client, submitted, period):
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(f"/entry/{submitted['district'].code}/{period}/review/").status_code == 404


def test_a_period_with_a_nul_byte_is_a_bad_request(client, submitted):
    # Refused before any view runs: PostgreSQL cannot hold a NUL in text.
    client.force_login(user_with_role(Role.REVIEWER))
    assert client.get(f"/entry/{submitted['district'].code}/%00/review/").status_code == 400


def test_the_history_page_lists_every_change_with_who_and_why(client, submitted):
    value = Value.objects.get(period="2025Q2")
    client.force_login(user_with_role(Role.REVIEWER))
    client.post(review_url(submitted["district"]), {"action": "return", "reason": "Check it"})

    html = client.get(reverse("value-history", args=[value.pk])).content.decode()

    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 3  # entered, submitted, returned (newest first)
    assert "status: submitted → returned" in rows[0] and "returned: Check it" in rows[0]
    assert "status: draft → submitted" in rows[1]
    assert "value: 9" in rows[2] and submitted["clerk"].username in rows[2]
