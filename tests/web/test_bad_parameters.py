"""Odd query parameters and period codes are pages not found, never server errors."""

import pytest
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["²", "٣", "１", "-1", "1.5", "9" * 30, "0x1"])
@pytest.mark.parametrize("parameter", ["revision", "version"])
def test_a_number_that_is_not_plain_ascii_digits_is_not_found(
    client_for, published, parameter, number
):
    race, period = published.race.code, published.latest_period.code
    url = (
        reverse("leaderboard", args=[race, period])
        if parameter == "revision"
        else reverse("methodology", args=[race])
    )
    assert client_for(Role.VIEWER).get(url, {parameter: number}).status_code == 404


@pytest.mark.parametrize("period", ["1900Q1", "1900", "1900-01", "2999Q4"])
def test_a_preview_at_the_edge_of_the_calendar_opens(client_for, published, period):
    url = reverse("leaderboard", args=[published.race.code, period]) + "?preview=1"
    assert client_for(Role.REVIEWER).get(url).status_code == 200
