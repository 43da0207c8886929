"""Signed-in pages are private to their reader; downloads are not cached anywhere."""

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_a_signed_in_page_is_private(client_for, published):
    response = client_for(Role.VIEWER).get(reverse("home"))
    assert "private" in response["Cache-Control"]


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_an_export_is_never_stored(client_for, published, file_format):
    url = reverse(
        "leaderboard-export",
        args=[published.race.code, published.latest_period.code, file_format],
    )
    response = client_for(Role.VIEWER).get(url)
    assert response["Cache-Control"] == "no-store"


def test_database_connections_are_checked_before_reuse():
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True
