"""The health check answers without sign-in; a server error shows a page in both languages."""

from unittest import mock

import pytest
from django.db import OperationalError
from django.template.loader import render_to_string
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_health_check_answers_without_signing_in(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_reports_a_database_that_does_not_answer(client):
    with mock.patch("pages.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_the_server_error_page_renders_without_a_request_in_both_languages():
    html = render_to_string("500.html")
    assert "服务暂时不可用" in html and "Service unavailable" in html
