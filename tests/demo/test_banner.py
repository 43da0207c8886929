"""Every page says when it shows illustrative demo data, without a query on every page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from demo.city import DEMO_SOURCE
from tests.builders import user_with_role
from tests.factories import IndicatorFactory

pytestmark = pytest.mark.django_db

BANNER = 'class="demo-banner"'


def _indicator_source_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "districts_indicator" in q["sql"] and "source" in q["sql"]]


def test_pages_carry_the_banner_when_demo_figures_are_loaded(client):
    IndicatorFactory(source=DEMO_SOURCE)
    client.force_login(user_with_role(Role.VIEWER))

    assert BANNER in client.get(reverse("comment-list")).content.decode()


def test_pages_carry_no_banner_without_demo_figures(client):
    IndicatorFactory(source="Municipal statistics bureau")
    client.force_login(user_with_role(Role.VIEWER))

    assert BANNER not in client.get(reverse("comment-list")).content.decode()


def test_the_demo_flag_is_read_once_not_on_every_page(client):
    IndicatorFactory(source=DEMO_SOURCE)
    client.force_login(user_with_role(Role.VIEWER))

    with CaptureQueriesContext(connection) as first:
        client.get(reverse("comment-list"))
    with CaptureQueriesContext(connection) as second:
        html = client.get(reverse("comment-list")).content.decode()

    assert len(_indicator_source_queries(first)) == 1
    assert _indicator_source_queries(second) == []
    assert BANNER in html
