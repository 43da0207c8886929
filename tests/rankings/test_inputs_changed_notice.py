"""After a published figure is corrected, the leaderboard tells reviewers that publishing
again adds a revision; readers see the published standings unchanged."""

from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.roles import Role
from districts.models import Value
from districts.periods import Period
from districts.services.entry import value_save
from districts.services.review import return_approve, return_reopen, return_submit
from tests.builders import build_published_race, user_with_role

pytestmark = pytest.mark.django_db

NOTICE = "The inputs have changed since revision 1 was published."


@pytest.fixture
def published():
    return build_published_race(districts=3, periods=1)


def board_url(published):
    return reverse("leaderboard", args=[published.race.code, published.latest_period.code])


def test_nothing_is_said_while_the_inputs_are_those_published(client, published):
    client.force_login(user_with_role(Role.REVIEWER))
    assert NOTICE not in client.get(board_url(published)).content.decode()


def test_a_corrected_and_approved_figure_is_announced_to_reviewers_only(client, published):
    reviewer = user_with_role(Role.REVIEWER)
    district, period = published.districts[0], Period.parse("2025Q1")
    return_reopen(user=reviewer, district=district, period=period, reason="Typo")
    value_save(
        user=reviewer,
        district=district,
        indicator=published.indicators[0],
        period="2025Q1",
        value=Decimal("8.5"),
        target=Decimal(20),
    )
    return_submit(user=reviewer, district=district, period=period)
    return_approve(user=reviewer, district=district, period=period)

    client.force_login(reviewer)
    assert NOTICE in client.get(board_url(published)).content.decode()
    client.force_login(user_with_role(Role.VIEWER))
    assert NOTICE not in client.get(board_url(published)).content.decode()


def test_publishing_again_adds_revision_2_and_the_notice_goes(client, published):
    reviewer = user_with_role(Role.REVIEWER)
    Value.objects.filter(district=published.districts[0]).update(value=Decimal("8.5"))
    client.force_login(reviewer)
    assert NOTICE in client.get(board_url(published)).content.decode()

    publish = reverse("leaderboard-publish", args=[published.race.code, "2025Q1"])
    assert client.post(publish).status_code == 302

    html = client.get(board_url(published)).content.decode()
    assert NOTICE not in html
    assert "Revision 2" in html
